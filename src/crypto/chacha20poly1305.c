/*
 * chacha20poly1305.c - the AEAD_CHACHA20_POLY1305 construction (RFC 8439
 * §2.8), on chacha20.c and poly1305.c; the one-time key as in §2.6.
 *
 * Constant time: the primitives are, the tag comparison is ct_memeq, and the
 * only secret-derived branch is on whether the tag matched, which the
 * protocol makes public (declassified). Opening MACs the ciphertext and
 * checks the tag before it decrypts anything, so a forgery leaves the output
 * untouched. The one-time Poly1305 key, the Poly1305 state (poly1305_final)
 * and the expected tag are wiped.
 */
#include "chacha20poly1305.h"
#include "ct.h"

static const uint8_t aead_zeros[15];

static void aead_mac_padded(struct poly1305 *mac, const uint8_t *data, size_t n)
{
	poly1305_update(mac, data, n);
	/* §2.8: padding1 / padding2, zeros up to a multiple of 16 bytes */
	poly1305_update(mac, aead_zeros, (16 - (n & 15)) & 15);
}

/* §2.8: the tag over ad | padding1 | ct | padding2 | len(ad) | len(ct) */
static void aead_tag(uint8_t tag[POLY1305_TAG_LEN], const uint8_t *ct, size_t n, const uint8_t *ad,
		     size_t ad_len, const uint8_t key[CHACHA20_KEY_LEN], const uint8_t nonce[CHACHA20_NONCE_LEN])
{
	uint8_t otk[POLY1305_KEY_LEN] = { 0 };
	uint8_t lengths[16];
	struct poly1305 mac;

	/* §2.6: the one-time key is the first 32 bytes of block 0 */
	chacha20_xor(otk, otk, sizeof otk, key, nonce, 0);
	poly1305_init(&mac, otk);
	WIPE(otk);

	aead_mac_padded(&mac, ad, ad_len);
	aead_mac_padded(&mac, ct, n);
	for (int i = 0; i < 8; i++) {
		lengths[i] = (uint8_t)((uint64_t)ad_len >> (8 * i));
		lengths[8 + i] = (uint8_t)((uint64_t)n >> (8 * i));
	}
	poly1305_update(&mac, lengths, sizeof lengths);
	poly1305_final(&mac, tag);
}

void chacha20poly1305_seal(uint8_t *ct, uint8_t tag[POLY1305_TAG_LEN], const uint8_t *pt, size_t n,
			   const uint8_t *ad, size_t ad_len, const uint8_t key[CHACHA20_KEY_LEN],
			   const uint8_t nonce[CHACHA20_NONCE_LEN])
{
	/* §2.8: the plaintext is encrypted from block counter 1 */
	chacha20_xor(ct, pt, n, key, nonce, 1);
	aead_tag(tag, ct, n, ad, ad_len, key, nonce);
}

int chacha20poly1305_open(uint8_t *pt, const uint8_t *ct, size_t n, const uint8_t tag[POLY1305_TAG_LEN],
			  const uint8_t *ad, size_t ad_len, const uint8_t key[CHACHA20_KEY_LEN],
			  const uint8_t nonce[CHACHA20_NONCE_LEN])
{
	uint8_t expected[POLY1305_TAG_LEN];
	uint32_t match;

	aead_tag(expected, ct, n, ad, ad_len, key, nonce);
	match = ct_memeq(expected, tag, POLY1305_TAG_LEN);
	WIPE(expected);
	ct_declassify(&match, sizeof match);	/* a forgery is made public anyway */
	if (!match)
		return -1;
	chacha20_xor(pt, ct, n, key, nonce, 1);
	return 0;
}
