/*
 * signer.h - the key process: the one place the private key lives (after
 * OpenBSD relayd's "ca" process). Workers ask it for CertificateVerify
 * signatures over a socketpair and never see the key; the supervisor gives
 * it the key file as an open descriptor, at start-up and on SIGHUP.
 *
 * Worker -> signer, one SOCK_SEQPACKET message each way:
 *	struct signer_request	{ version, conn index, cookie, key id, transcript hash }
 *	struct signer_reply	{ conn index, cookie, length, DER signature }
 * The signer builds the signed content itself (RFC 8446 §4.4.3: 64 spaces,
 * "TLS 1.3, server CertificateVerify", 0, the hash), so a worker taken over
 * by an attacker can obtain server CertificateVerify signatures and nothing
 * else. A request of the wrong size or version gets a reply with length 0.
 *
 * Supervisor -> signer: struct signer_load with the key file's descriptor
 * (SCM_RIGHTS) and the certificate's public point; the reply says whether
 * the key was read, and matches. The signer keeps the new key and the one
 * before it (handshakes in flight during a reload still get signed).
 */
#ifndef SCRATCHD_SIGNER_H
#define SCRATCHD_SIGNER_H

#include <stdint.h>

#define SIGNER_VERSION	1
#define SIGNER_SIG_MAX	72	/* a DER ECDSA-Sig-Value for P-256 (DER_ECDSA_SIG_MAX) */

struct signer_request {
	uint32_t version;
	uint32_t index;		/* the worker's connection slot */
	uint64_t cookie;	/* told apart from stale replies (a closed, reused slot) */
	uint8_t key_id[32];	/* SHA-256 of the certificate's public point */
	uint8_t hash[32];	/* the transcript hash through Certificate */
};

struct signer_reply {
	uint32_t index;
	uint32_t len;		/* 0: no signature (unknown key, bad request) */
	uint64_t cookie;
	uint8_t sig[SIGNER_SIG_MAX];
};

struct signer_load {
	uint32_t version;
	uint8_t point[65];	/* the leaf certificate's public key */
};

struct signer_load_reply {
	int32_t status;		/* KEYFILE_OK or an enum keyfile_error (tls/keyfile.h) */
	uint8_t key_id[32];
};

/*
 * Start the signer: a process with a SOCK_SEQPACKET socketpair to the
 * caller (*control) and one to each of n workers (worker_fds[i]: the
 * workers' ends, non-blocking). It keeps nothing else open, confines itself
 * with seccomp (unless no_seccomp) and dies with its parent. Returns its
 * pid, or -errno.
 */
int signer_start(unsigned n, int *worker_fds, int *control, int no_seccomp);

#define SIGNER_LOST	(-100)	/* the signer did not answer: it is gone */

/* Give the signer the key file open as key_fd, to be checked against the
 * certificate's point. Returns the signer's status (KEYFILE_OK, or an enum
 * keyfile_error), or SIGNER_LOST, and sets key_id on success. Blocks: the
 * supervisor's only wait, at start-up and on SIGHUP. */
int signer_load_key(int control, int key_fd, const uint8_t point[65], uint8_t key_id[32]);

#endif
