/*
 * poly1305.c - the Poly1305 one-time authenticator (RFC 8439 §2.5).
 *
 * The accumulator h is kept in radix 2^64: h = h[0] + h[1] 2^64 + h[2] 2^128,
 * reduced only partly after each block (h < 2^130 + 2^65), and fully in
 * poly1305_final. Constant time: a fixed number of 64 x 64 -> 128-bit
 * products per block, carries computed (never branched on), and the final
 * reduction chooses with a mask, never a branch on h.
 * Only the length of the message (public) steers the code. The state (r, s,
 * h and the buffered bytes) is wiped by poly1305_final.
 */
#include "chacha20poly1305.h"
#include "ct.h"
#include "../mem.h"

typedef unsigned __int128 u128;

#define POLY1305_BLOCK	16

static inline uint64_t poly1305_load_le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline void poly1305_store_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * r[0], r[1]: r, clamped (§2.5); r[2] = r[1] + r[1] / 4. Clamping clears the
 * low two bits of r[1], so h[1] r[1] 2^128 = h[1] (r[1] / 4) 2^130, which is
 * h[1] (r[1] / 4) 5 = h[1] r[2] modulo p = 2^130 - 5: the products with r[1]
 * that land at 2^128 and 2^192 come back down by 2^128 as products with r[2].
 */
void poly1305_init(struct poly1305 *p, const uint8_t key[POLY1305_KEY_LEN])
{
	p->r[0] = poly1305_load_le64(key) & 0x0ffffffc0fffffff;
	p->r[1] = poly1305_load_le64(key + 8) & 0x0ffffffc0ffffffc;
	p->r[2] = p->r[1] + (p->r[1] >> 2);
	p->s[0] = poly1305_load_le64(key + 16);
	p->s[1] = poly1305_load_le64(key + 24);
	p->h[0] = p->h[1] = p->h[2] = 0;
	p->used = 0;
}

/* a + b + *carry, and the carry out (0 or 1) in *carry. Comparisons, not
 * 128-bit sums: gcc spills those to the stack. a + b and s + *carry cannot
 * both wrap. */
static inline uint64_t poly1305_add(uint64_t a, uint64_t b, uint64_t *carry)
{
	uint64_t s = a + b;
	uint64_t wrapped = s < a;

	s += *carry;
	*carry = wrapped + (s < *carry);
	return s;
}

/*
 * §2.5: for each 16-byte block, h = (h + block + hibit 2^128) r mod p, where
 * hibit is 1 for a full block and 0 for the last, already padded, partial one.
 * Bounds: h[2] <= 4 on entry, so h[2] <= 6 after the addition; r[0], r[1] <
 * 2^60 and r[2] < 2^61, so every sum below fits its type.
 */
static void poly1305_blocks(struct poly1305 *p, const uint8_t *m, size_t blocks, uint64_t hibit)
{
	const uint64_t r0 = p->r[0], r1 = p->r[1], r1_5_4 = p->r[2];
	uint64_t h0 = p->h[0], h1 = p->h[1], h2 = p->h[2];

	for (; blocks > 0; blocks--, m += POLY1305_BLOCK) {
		uint64_t carry = 0;

		h0 = poly1305_add(h0, poly1305_load_le64(m), &carry);
		h1 = poly1305_add(h1, poly1305_load_le64(m + 8), &carry);
		h2 += carry + hibit;

		/* d0 + d1 2^64 + d2 2^128 = h r, with the terms at 2^128 and
		 * 2^192 already folded down (see poly1305_init) */
		u128 d0 = (u128)h0 * r0 + (u128)h1 * r1_5_4;
		u128 d1 = (u128)h0 * r1 + (u128)h1 * r0 + h2 * r1_5_4;
		uint64_t d2 = h2 * r0;

		d1 += (uint64_t)(d0 >> 64);
		d2 += (uint64_t)(d1 >> 64);

		/* partial reduction: the bits from 2^130 up, times 5 (2^130 = 5
		 * mod p), go back in at the bottom */
		uint64_t fold = (d2 >> 2) + (d2 & ~(uint64_t)3);

		carry = 0;
		h0 = poly1305_add((uint64_t)d0, fold, &carry);
		h1 = poly1305_add((uint64_t)d1, 0, &carry);
		h2 = (d2 & 3) + carry;
	}
	p->h[0] = h0;
	p->h[1] = h1;
	p->h[2] = h2;
}

void poly1305_update(struct poly1305 *p, const void *data, size_t n)
{
	const uint8_t *m = data;

	if (n == 0)
		return;
	if (p->used > 0) {
		size_t take = POLY1305_BLOCK - p->used;

		if (take > n)
			take = n;
		memcpy(p->buf + p->used, m, take);
		p->used += take;
		m += take;
		n -= take;
		if (p->used < POLY1305_BLOCK)
			return;
		poly1305_blocks(p, p->buf, 1, 1);
		p->used = 0;
	}
	if (n >= POLY1305_BLOCK) {
		poly1305_blocks(p, m, n / POLY1305_BLOCK, 1);
		m += n & ~(size_t)(POLY1305_BLOCK - 1);
		n &= POLY1305_BLOCK - 1;
	}
	if (n > 0) {
		memcpy(p->buf, m, n);
		p->used = n;
	}
}

void poly1305_final(struct poly1305 *p, uint8_t tag[POLY1305_TAG_LEN])
{
	/* §2.5: the last, short block gets its 1 byte after the data, then
	 * zeros, and no 2^128 */
	if (p->used > 0) {
		p->buf[p->used] = 1;
		memset(p->buf + p->used + 1, 0, POLY1305_BLOCK - p->used - 1);
		poly1305_blocks(p, p->buf, 1, 0);
	}

	/* h < 2^130 + 2^65 < 2p, so h mod p is h, or h - p = h + 5 - 2^130
	 * when h + 5 reaches 2^130: compute g = h + 5, take it by mask if
	 * bit 130 of it is set (its bits from 128 up are dropped anyway) */
	uint64_t h0 = p->h[0], h1 = p->h[1], carry = 0;
	uint64_t g0 = poly1305_add(h0, 5, &carry);
	uint64_t g1 = poly1305_add(h1, 0, &carry);
	uint64_t use_g = ct_mask64((p->h[2] + carry) >> 2);

	h0 = ct_select64(use_g, g0, h0);
	h1 = ct_select64(use_g, g1, h1);

	/* §2.5: tag = (h + s) mod 2^128 */
	carry = 0;
	poly1305_store_le64(tag, poly1305_add(h0, p->s[0], &carry));
	poly1305_store_le64(tag + 8, poly1305_add(h1, p->s[1], &carry));
	WIPE(*p);
}
