/*
 * hkdf.h - HKDF with SHA-256 (RFC 5869): Extract, then Expand.
 */
#ifndef SCRATCHD_HKDF_H
#define SCRATCHD_HKDF_H

#include "sha256.h"

#define HKDF_SHA256_MAX (255 * SHA256_LEN)	/* RFC 5869 §2.3: L <= 255 * HashLen */

/* PRK = HMAC-Hash(salt, IKM); an empty salt means HashLen zeros (§2.2). */
void hkdf_sha256_extract(uint8_t prk[SHA256_LEN], const void *salt, size_t salt_len,
			 const void *ikm, size_t ikm_len);

/* OKM: the first len bytes of T(1) | T(2) | ... (§2.3). Returns 0, or -1
 * (writing nothing) when len > HKDF_SHA256_MAX. prk may be any length. */
int hkdf_sha256_expand(uint8_t *out, size_t len, const void *prk, size_t prk_len,
		       const void *info, size_t info_len);

#endif
