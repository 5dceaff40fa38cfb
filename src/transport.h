/*
 * transport.h - how a connection's bytes reach its socket: as they are
 * (transport_plain.c: read, write, sendfile) or through TLS (tls_io.c:
 * decrypt, encrypt, handshake). server.c calls these and nothing under
 * them, so the event loop has no TLS in it.
 *
 * Every call is non-blocking. -EAGAIN means "wait for the socket": for
 * readability, unless wants_write() says the transport must first send
 * (a TLS handshake flight, the answer to a KeyUpdate).
 */
#ifndef SCRATCHD_TRANSPORT_H
#define SCRATCHD_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

struct transport;

/* A connection as its transport sees it. */
struct conn_io {
	int fd;				/* the socket */
	unsigned index;			/* the connection's slot in the table */
	const struct transport *t;
	/* Bytes the connection may still send in this turn of the event
	 * loop: server.c sets it (SEND_BUDGET) before each turn; writes count
	 * against it, and sendfile, once it is spent, says -EAGAIN, so that
	 * the connection goes on the server's again list, behind the others
	 * that are ready (server.c: conn_again). */
	uint32_t budget;
};

/* n bytes sent: taken from the turn's budget, which stops at 0. */
static inline void io_spend(struct conn_io *io, uint64_t n)
{
	io->budget = n < io->budget ? io->budget - (uint32_t)n : 0;
}

struct transport {
	/* Up to n bytes of the peer's data into buf: > 0 bytes, 0 at the
	 * end of the stream, -EAGAIN, or -errno (the connection is over).
	 * A TLS transport also uses buf as its scratch space during the
	 * handshake: n is the whole of an empty request buffer then. */
	long (*read)(struct conn_io *io, void *buf, size_t n);
	/* Send from buf[0..n): the bytes taken (> 0), -EAGAIN or -errno.
	 * more: a file body follows at once (MSG_MORE; TLS: the same record). */
	long (*write)(struct conn_io *io, const void *buf, size_t n, int more);
	/* Send up to n bytes of file_fd from *off, which advances, and no
	 * more than io->budget: bytes taken (> 0), -EAGAIN (the socket is
	 * full, or the turn's budget spent) or -errno (-EIO: the file ended
	 * early). */
	long (*sendfile)(struct conn_io *io, int file_fd, uint64_t *off, uint64_t n);
	/* Send what the transport still holds: 1 when nothing is left, 0
	 * when the socket is full, or -errno. */
	int (*flush)(struct conn_io *io);
	/* 1 if a read would return data without the socket being readable
	 * (TLS: records already read, not yet decrypted or handed over). */
	int (*buffered)(struct conn_io *io);
	/* 1 if the transport cannot go on until the socket is writable. */
	int (*wants_write)(struct conn_io *io);
	/* The connection is about to be closed or half-closed: say goodbye
	 * (TLS: close_notify), without blocking. */
	void (*goodbye)(struct conn_io *io);
};

extern const struct transport transport_plain;

#endif
