/*
 * crypto_fuzz.c - libFuzzer target for what the crypto layer takes from a
 * peer: P-256 points (a key share, a certificate's key) and AEAD records.
 *
 * The first input byte picks the case:
 *  0: the rest, padded or cut to 65 bytes, is a point. p256_check_point and
 *     p256_ecdh must agree on whether it is valid, and for a valid point
 *     ECDH with the scalar 1 must give back its X coordinate.
 *  1, 2: ChaCha20-Poly1305 (1) or AES-128-GCM (2). A key, nonce, AD and
 *     plaintext are cut from the input and sealed; then the ciphertext,
 *     tag or AD is changed where the input says (or not at all). Opening
 *     must succeed, with the plaintext back, exactly when nothing changed:
 *     no forgery is ever accepted.
 * Build and run: make fuzz (FUZZ_TIME seconds for each target).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/sources.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void point_case(const uint8_t *data, size_t size)
{
	uint8_t point[65] = { 0 }, one[32] = { 0 }, shared[32];

	memcpy(point, data, size < 65 ? size : 65);
	one[31] = 1;
	int valid = p256_check_point(point) == 0;
	int r = p256_ecdh(shared, one, point);
	if (valid != (r == 0))
		abort();	/* the two disagree on what a valid point is */
	if (valid && memcmp(shared, point + 1, 32) != 0)
		abort();	/* 1 * P is not P */
}

static void aead_case(int aes, const uint8_t *data, size_t size)
{
	static uint8_t pt[4096], ct[4096], out[4096];
	uint8_t key[32] = { 0 }, nonce[12] = { 0 }, ad[64] = { 0 }, tag[16];
	struct aesgcm_key k;
	size_t take;

	if (size < 4)
		return;
	size_t ad_len = data[0] % 65, where = (size_t)data[1] << 8 | data[2];
	uint8_t flip = data[3];
	data += 4, size -= 4;
	take = size < 32 ? size : 32;
	memcpy(key, data, take), data += take, size -= take;
	take = size < 12 ? size : 12;
	memcpy(nonce, data, take), data += take, size -= take;
	take = size < ad_len ? size : ad_len;
	memcpy(ad, data, take), data += take, size -= take;
	size_t n = size < sizeof(pt) ? size : sizeof(pt);
	memcpy(pt, data, n);

	if (aes) {
		if (!aesgcm_cpu_init(0) || aesgcm_init(&k, key, 16) < 0)
			return;
		aesgcm_seal(&k, ct, tag, pt, n, nonce, 12, ad, ad_len);
	} else {
		chacha20poly1305_seal(ct, tag, pt, n, ad, ad_len, key, nonce);
	}
	/* change one bit of ciphertext, tag or AD, or nothing (flip == 0) */
	size_t span = n + 16 + ad_len;
	if (flip) {
		size_t at = where % span;
		uint8_t *p = at < n ? &ct[at] : at < n + 16 ? &tag[at - n] : &ad[at - n - 16];
		*p ^= flip;
	}
	memset(out, 0xee, n);
	int r = aes ? aesgcm_open(&k, out, ct, n, tag, nonce, 12, ad, ad_len)
		    : chacha20poly1305_open(out, ct, n, tag, ad, ad_len, key, nonce);
	if (flip ? r != -1 : r != 0 || memcmp(out, pt, n) != 0)
		abort();	/* a forgery accepted, or a genuine record refused */
	for (size_t i = 0; flip && i < n; i++)
		if (out[i] != 0xee)
			abort();	/* a refused record wrote plaintext */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		point_case(data + 1, size - 1);
		break;
	default:
		aead_case(data[0] % 3 == 2, data + 1, size - 1);
		break;
	}
	return 0;
}
