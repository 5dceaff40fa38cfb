/*
 * tls_io.h - the TLS transport (struct transport, transport.h) and a
 * worker's side of the signer: src/tls/ is the protocol, this file feeds
 * it from the socket and the signer's socket.
 */
#ifndef SCRATCHD_TLS_IO_H
#define SCRATCHD_TLS_IO_H

#include <stdint.h>
#include "tls_store.h"
#include "transport.h"

/* What a worker needs to serve TLS. */
struct tls_worker {
	int signer_fd;			/* this worker's socket to the signer (non-blocking) */
	const struct tls_store *store;	/* the certificate chain (shared memory) */
	int aes_gcm;			/* the CPU runs AES-GCM */
};

extern const struct transport transport_tls;

/* Set up a worker: the table of TLS states (max_conns entries, mapped now,
 * touched only as connections use it), and the signer's socket in the
 * epoll set epfd with data ev. Returns 0 or -errno. */
int tls_io_setup(const struct tls_worker *w, unsigned max_conns, int epfd, uint64_t ev);

/* A new connection in slot index: fresh randomness, the newest chain.
 * Returns 0 or -errno (no randomness: the connection must be refused). */
int tls_io_accept(unsigned index);

/* The signer's socket is ready: send what waits, read what came. Writes
 * the slots whose handshakes can go on to ready[] (at most max); returns
 * how many. */
int tls_io_signer_replies(unsigned *ready, int max);

/* No connection is open: give back the pages the TLS states touched. */
void tls_io_release_idle(void);

#endif
