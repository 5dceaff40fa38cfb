/*
 * hmac.c - HMAC-SHA256 (RFC 2104 §2; FIPS 198-1 §4):
 *	HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m))
 * where K0 is the key padded with zeros to the block size, or its digest
 * (then padded) when it is longer than a block.
 *
 * Constant time: the key only ever meets XOR and SHA-256; the padded key
 * is wiped, and so is the state when the MAC is finished.
 */
#include "hmac.h"
#include "ct.h"
#include "../mem.h"

void hmac_sha256_init(struct hmac_sha256 *h, const void *key, size_t key_len)
{
	uint8_t k0[SHA256_BLOCK];

	memset(k0, 0, sizeof(k0));
	if (key_len > SHA256_BLOCK)
		sha256(k0, key, key_len);
	else
		memcpy(k0, key, key_len);
	for (int i = 0; i < SHA256_BLOCK; i++)
		k0[i] ^= 0x36;		/* ipad */
	sha256_init(&h->inner);
	sha256_update(&h->inner, k0, sizeof(k0));
	for (int i = 0; i < SHA256_BLOCK; i++)
		k0[i] ^= 0x36 ^ 0x5c;	/* ipad off, opad on */
	sha256_init(&h->outer);
	sha256_update(&h->outer, k0, sizeof(k0));
	WIPE(k0);
}

void hmac_sha256_update(struct hmac_sha256 *h, const void *data, size_t n)
{
	sha256_update(&h->inner, data, n);
}

void hmac_sha256_final(struct hmac_sha256 *h, uint8_t out[SHA256_LEN])
{
	uint8_t inner[SHA256_LEN];

	sha256_final(&h->inner, inner);
	sha256_update(&h->outer, inner, sizeof(inner));
	sha256_final(&h->outer, out);
	WIPE(inner);
}

void hmac_sha256(uint8_t out[SHA256_LEN], const void *key, size_t key_len, const void *data, size_t n)
{
	struct hmac_sha256 h;

	hmac_sha256_init(&h, key, key_len);
	hmac_sha256_update(&h, data, n);
	hmac_sha256_final(&h, out);
}
