/*
 * hmac.h - HMAC-SHA256 (RFC 2104; FIPS 198-1), one-shot and incremental.
 */
#ifndef SCRATCHD_HMAC_H
#define SCRATCHD_HMAC_H

#include "sha256.h"

struct hmac_sha256 {
	struct sha256 inner;	/* H(K ^ ipad || ...) */
	struct sha256 outer;	/* H(K ^ opad || ...), fed at the end */
};

/* A key longer than a block is hashed first (RFC 2104 §2). */
void hmac_sha256_init(struct hmac_sha256 *h, const void *key, size_t key_len);
void hmac_sha256_update(struct hmac_sha256 *h, const void *data, size_t n);
/* Write the MAC and wipe the state. */
void hmac_sha256_final(struct hmac_sha256 *h, uint8_t out[SHA256_LEN]);

void hmac_sha256(uint8_t out[SHA256_LEN], const void *key, size_t key_len, const void *data, size_t n);

#endif
