/*
 * chacha20poly1305.h - the ChaCha20-Poly1305 AEAD (RFC 8439 §2.8), and the
 * two primitives under it (chacha20.c, poly1305.c).
 *
 * Sealing and opening work in place (out == in) or between distinct buffers
 * (never partly overlapping). Opening writes plaintext only after the tag
 * has been checked: a forgery leaves out untouched.
 */
#ifndef SCRATCHD_CHACHA20POLY1305_H
#define SCRATCHD_CHACHA20POLY1305_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_LEN	32
#define CHACHA20_NONCE_LEN	12
#define POLY1305_KEY_LEN	32
#define POLY1305_TAG_LEN	16

/* ChaCha20 (RFC 8439 §2.4): out = in XOR the key stream that starts at block
 * counter; n bytes, any length. */
void chacha20_xor(uint8_t *out, const uint8_t *in, size_t n, const uint8_t key[CHACHA20_KEY_LEN],
		  const uint8_t nonce[CHACHA20_NONCE_LEN], uint32_t counter);

/* Poly1305 (RFC 8439 §2.5), incremental: the key is used for one message. */
struct poly1305 {
	uint64_t r[3], s[2], h[3];	/* layout is poly1305.c's */
	uint8_t buf[16];
	size_t used;
};
void poly1305_init(struct poly1305 *p, const uint8_t key[POLY1305_KEY_LEN]);
void poly1305_update(struct poly1305 *p, const void *data, size_t n);
/* Write the tag and wipe the state. */
void poly1305_final(struct poly1305 *p, uint8_t tag[POLY1305_TAG_LEN]);

/* ct[0..n) and tag from pt[0..n) and ad. */
void chacha20poly1305_seal(uint8_t *ct, uint8_t tag[POLY1305_TAG_LEN], const uint8_t *pt, size_t n,
			   const uint8_t *ad, size_t ad_len, const uint8_t key[CHACHA20_KEY_LEN],
			   const uint8_t nonce[CHACHA20_NONCE_LEN]);

/* pt[0..n) from ct[0..n) if tag is right: 0; else -1 and pt is not written. */
int chacha20poly1305_open(uint8_t *pt, const uint8_t *ct, size_t n, const uint8_t tag[POLY1305_TAG_LEN],
			  const uint8_t *ad, size_t ad_len, const uint8_t key[CHACHA20_KEY_LEN],
			  const uint8_t nonce[CHACHA20_NONCE_LEN]);

#endif
