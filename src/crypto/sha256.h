/*
 * sha256.h - SHA-256 (FIPS 180-4 §6.2), one-shot and incremental.
 *
 * The state is a plain struct: copying it takes a snapshot (TLS keeps a
 * running transcript hash and reads it at several points, RFC 8446 §4.4.1).
 */
#ifndef SCRATCHD_SHA256_H
#define SCRATCHD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32	/* bytes of a digest */
#define SHA256_BLOCK	64	/* bytes of a message block */

struct sha256 {
	uint32_t h[8];			/* the chaining value H(i) */
	uint64_t len;			/* message bytes so far */
	uint8_t buf[SHA256_BLOCK];	/* a partial block: len % 64 bytes */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* Write the digest and wipe the state (copy it first to go on hashing). */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_LEN]);

/* The digest of data[0..n) in one call. */
void sha256(uint8_t out[SHA256_LEN], const void *data, size_t n);

#endif
