/*
 * hkdf.c - HKDF-SHA256 (RFC 5869 §2.2 Extract, §2.3 Expand).
 *
 * Both steps are HMAC calls (hmac.c); the chaining block T(i) is secret
 * and wiped when done.
 */
#include "hkdf.h"
#include "ct.h"
#include "hmac.h"
#include "../mem.h"

void hkdf_sha256_extract(uint8_t prk[SHA256_LEN], const void *salt, size_t salt_len,
			 const void *ikm, size_t ikm_len)
{
	static const uint8_t zeros[SHA256_LEN];

	/* §2.2: "if not provided, [salt] is set to a string of HashLen zeros" */
	if (salt_len == 0)
		salt = zeros, salt_len = sizeof(zeros);
	hmac_sha256(prk, salt, salt_len, ikm, ikm_len);
}

int hkdf_sha256_expand(uint8_t *out, size_t len, const void *prk, size_t prk_len,
		       const void *info, size_t info_len)
{
	uint8_t t[SHA256_LEN];
	struct hmac_sha256 h;

	if (len > HKDF_SHA256_MAX)
		return -1;
	/* T(i) = HMAC(PRK, T(i-1) | info | i), T(0) empty */
	for (uint8_t i = 1; len > 0; i++) {
		size_t take = len < SHA256_LEN ? len : SHA256_LEN;

		hmac_sha256_init(&h, prk, prk_len);
		if (i > 1)
			hmac_sha256_update(&h, t, sizeof(t));
		hmac_sha256_update(&h, info, info_len);
		hmac_sha256_update(&h, &i, 1);
		hmac_sha256_final(&h, t);
		memcpy(out, t, take);
		out += take;
		len -= take;
	}
	WIPE(t);
	return 0;
}
