/*
 * record.c - record protection (RFC 8446 §5.2 TLSCiphertext, §5.3 per-record
 * nonce, §5.4 padding):
 *	nonce = iv XOR (0^32 || seq as 64 bits big-endian)
 *	additional_data = the 5-byte record header
 *	plaintext = content || content type || zero padding
 *
 * Constant time: keys only meet the AEADs; the nonce is public. Padding is
 * removed by a scan whose time depends on the padding length, which the
 * sender chose and §5.4 accepts as public (the plaintext, once
 * authenticated, is declassified for the constant-time check). Wiped: keys and IVs when a
 * direction is rekeyed or closed (rec_wipe).
 */
#include "record.h"
#include "tls.h"
#include "../crypto/ct.h"
#include "../mem.h"

int rec_set_key(struct tls_cipher *c, unsigned suite, const uint8_t secret[TLS_SECRET_LEN])
{
	uint8_t key[CHACHA20_KEY_LEN];
	int r = 0;

	rec_wipe(c);
	if (suite == TLS_AES_128_GCM_SHA256) {
		ks_traffic_key(secret, key, 16, c->iv);
		r = aesgcm_init(&c->key.gcm, key, 16);
	} else {
		ks_traffic_key(secret, c->key.chacha, CHACHA20_KEY_LEN, c->iv);
	}
	WIPE(key);
	if (r < 0) {
		rec_wipe(c);
		return -1;
	}
	c->suite = (uint16_t)suite;
	return 0;
}

void rec_wipe(struct tls_cipher *c)
{
	ct_wipe(c, sizeof(*c));
}

static void make_nonce(uint8_t nonce[TLS_IV_LEN], const struct tls_cipher *c)
{
	memcpy(nonce, c->iv, TLS_IV_LEN);
	for (int i = 0; i < 8; i++)
		nonce[TLS_IV_LEN - 1 - i] ^= (uint8_t)(c->seq >> (8 * i));
}

size_t rec_seal(struct tls_cipher *c, uint8_t *rec, size_t n, uint8_t type)
{
	uint8_t nonce[TLS_IV_LEN], *body = rec + 5;
	size_t len = n + 1 + TLS_TAG_LEN;

	if (c->seq == UINT64_MAX)
		return 0;
	rec[0] = TLS_CT_APPLICATION_DATA;	/* opaque_type (§5.2) */
	rec[1] = 0x03;
	rec[2] = 0x03;
	rec[3] = (uint8_t)(len >> 8);
	rec[4] = (uint8_t)len;
	body[n] = type;
	make_nonce(nonce, c);
	if (c->suite == TLS_AES_128_GCM_SHA256)
		aesgcm_seal(&c->key.gcm, body, body + n + 1, body, n + 1, nonce, sizeof(nonce), rec, 5);
	else
		chacha20poly1305_seal(body, body + n + 1, body, n + 1, rec, 5, c->key.chacha, nonce);
	c->seq++;
	return 5 + len;
}

int rec_open(struct tls_cipher *c, uint8_t *rec, size_t body_len, uint8_t *type, size_t *len)
{
	uint8_t nonce[TLS_IV_LEN], *body = rec + 5;
	size_t n;
	int r;

	/* §5.4: the whole TLSInnerPlaintext is at most 2^14 + 1 bytes */
	if (body_len > TLS_RECORD_MAX + 1 + TLS_TAG_LEN)
		return TLS_ALERT_RECORD_OVERFLOW;
	if (body_len < 1 + TLS_TAG_LEN || c->seq == UINT64_MAX)
		return TLS_ALERT_BAD_RECORD_MAC;
	n = body_len - TLS_TAG_LEN;
	make_nonce(nonce, c);
	if (c->suite == TLS_AES_128_GCM_SHA256)
		r = aesgcm_open(&c->key.gcm, body, body, n, body + n, nonce, sizeof(nonce), rec, 5);
	else
		r = chacha20poly1305_open(body, body, n, body + n, rec, 5, c->key.chacha, nonce);
	if (r < 0)
		return TLS_ALERT_BAD_RECORD_MAC;
	c->seq++;
	/* authenticated plaintext is not secret for timing (only keys are) */
	ct_declassify(body, n);
	/* the content type is the last non-zero byte (§5.4) */
	while (n > 0 && body[n - 1] == 0)
		n--;
	if (n == 0)
		return TLS_ALERT_UNEXPECTED_MESSAGE;
	*type = body[n - 1];
	*len = n - 1;
	return 0;
}
