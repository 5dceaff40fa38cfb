/*
 * x25519.c - the X25519 function (RFC 7748 §5) and the arithmetic in
 * GF(2^255 - 19) beneath it.
 *
 * An element is five 64-bit limbs of 51 bits (radix 2^51), value
 * f[0] + f[1] 2^51 + f[2] 2^102 + f[3] 2^153 + f[4] 2^204, not necessarily
 * reduced; products go through unsigned __int128. Two limb bounds are used
 * (the "input/output bounds" of each function say which):
 *	tight:	every limb < 2^51 + 2^15	(what a carry produces)
 *	loose:	every limb < 2^53		(a sum or difference of tight ones)
 *
 * Constant time: the scalar is the secret. The Montgomery ladder (§5) runs
 * over all 255 bits whatever the scalar, and swaps its two points with a
 * mask made from the secret bit (ct_mask64), never with a branch; the field
 * functions have no branch, index or loop bound that depends on a value;
 * the inversion is a fixed chain of squarings and multiplications (Fermat,
 * z^(p - 2)); the final reduction subtracts p under a mask. Only the one bit
 * "the result is all zeros", which RFC 7748 §6.1 makes public, is
 * declassified. The clamped copy of the scalar, the ladder state and the
 * inversion temporaries are wiped before returning.
 */
#include "x25519.h"
#include "ct.h"

typedef unsigned __int128 u128;
typedef uint64_t fe25519[5];

#define FE25519_MASK51	((UINT64_C(1) << 51) - 1)

/* A24 = (486662 - 2) / 4, RFC 7748 §5 */
#define X25519_A24	121665

static uint64_t x25519_load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void x25519_store_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* §5 decodeUCoordinate: 255 bits little-endian, the top bit masked. A value
 * >= p is left as it is: every function below works modulo p.
 * output bounds: every limb < 2^51 */
static void fe25519_decode(fe25519 h, const uint8_t s[32])
{
	uint64_t w0 = x25519_load_le64(s), w1 = x25519_load_le64(s + 8);
	uint64_t w2 = x25519_load_le64(s + 16), w3 = x25519_load_le64(s + 24);

	h[0] = w0 & FE25519_MASK51;
	h[1] = (w0 >> 51 | w1 << 13) & FE25519_MASK51;
	h[2] = (w1 >> 38 | w2 << 26) & FE25519_MASK51;
	h[3] = (w2 >> 25 | w3 << 39) & FE25519_MASK51;
	h[4] = (w3 >> 12) & FE25519_MASK51;
}

/* §5 encodeUCoordinate: the value reduced to [0, p), 32 bytes little-endian.
 * input bounds: tight */
static void fe25519_encode(uint8_t s[32], const fe25519 f)
{
	uint64_t h0 = f[0], h1 = f[1], h2 = f[2], h3 = f[3], h4 = f[4], q;

	/* now every limb < 2^51 but h0 < 2^51 + 19: the value v < 2^255 + 19 */
	h1 += h0 >> 51; h0 &= FE25519_MASK51;
	h2 += h1 >> 51; h1 &= FE25519_MASK51;
	h3 += h2 >> 51; h2 &= FE25519_MASK51;
	h4 += h3 >> 51; h3 &= FE25519_MASK51;
	h0 += 19 * (h4 >> 51); h4 &= FE25519_MASK51;

	/* v < 2p, so v mod p = v - q p with q = 1 if v >= p, that is if
	 * v + 19 >= 2^255: q is the carry out of bit 255 of v + 19 */
	q = (h0 + 19) >> 51;
	q = (h1 + q) >> 51;
	q = (h2 + q) >> 51;
	q = (h3 + q) >> 51;
	q = (h4 + q) >> 51;

	/* v - q p = v + 19 q - q 2^255: add, carry, drop bit 255 */
	h0 += 19 * q;
	h1 += h0 >> 51; h0 &= FE25519_MASK51;
	h2 += h1 >> 51; h1 &= FE25519_MASK51;
	h3 += h2 >> 51; h2 &= FE25519_MASK51;
	h4 += h3 >> 51; h3 &= FE25519_MASK51;
	h4 &= FE25519_MASK51;

	x25519_store_le64(s, h0 | h1 << 51);
	x25519_store_le64(s + 8, h1 >> 13 | h2 << 38);
	x25519_store_le64(s + 16, h2 >> 26 | h3 << 25);
	x25519_store_le64(s + 24, h3 >> 39 | h4 << 12);
}

/* h = f + g (no carry)
 * input bounds: tight; output bounds: loose */
static inline void fe25519_add(fe25519 h, const fe25519 f, const fe25519 g)
{
	for (int i = 0; i < 5; i++)
		h[i] = f[i] + g[i];
}

/* h = f - g, computed as f + 2p - g so that no limb goes negative: 2p in
 * limbs is (2^52 - 38, 2^52 - 2, 2^52 - 2, 2^52 - 2, 2^52 - 2).
 * input bounds: tight; output bounds: loose (< 2^51 + 2^15 + 2^52) */
static inline void fe25519_sub(fe25519 h, const fe25519 f, const fe25519 g)
{
	h[0] = f[0] + ((UINT64_C(1) << 52) - 38) - g[0];
	for (int i = 1; i < 5; i++)
		h[i] = f[i] + ((UINT64_C(1) << 52) - 2) - g[i];
}

/* h = r mod p, given the five column sums of a product: carry 51 bits up
 * from each column, and the carry out of the top one comes back times 19
 * (2^255 = 19 mod p).
 * input bounds: every r[i] < 77 * 2^106 (< 2^112.3); output bounds: tight */
static inline void fe25519_carry_wide(fe25519 h, u128 r0, u128 r1, u128 r2, u128 r3, u128 r4)
{
	uint64_t c;
	u128 t;

	r1 += (uint64_t)(r0 >> 51);
	r2 += (uint64_t)(r1 >> 51);
	r3 += (uint64_t)(r2 >> 51);
	r4 += (uint64_t)(r3 >> 51);
	c = (uint64_t)(r4 >> 51);	/* < 2^61.3 + 1 */
	/* 19 c can exceed 2^64: multiply wide; t >> 51 < 2^14.6 */
	t = (u128)c * 19 + ((uint64_t)r0 & FE25519_MASK51);
	h[0] = (uint64_t)t & FE25519_MASK51;
	h[1] = ((uint64_t)r1 & FE25519_MASK51) + (uint64_t)(t >> 51);	/* + < 2^15 */
	h[2] = (uint64_t)r2 & FE25519_MASK51;
	h[3] = (uint64_t)r3 & FE25519_MASK51;
	h[4] = (uint64_t)r4 & FE25519_MASK51;
}

/* h = f g. A limb of weight 2^(51 (i + j)) with i + j >= 5 folds down
 * times 19, since 2^255 = 19 mod p. h may alias f or g.
 * input bounds: loose; output bounds: tight
 * (each column < 2^106 + 4 * 19 * 2^106 = 77 * 2^106) */
static void fe25519_mul(fe25519 h, const fe25519 f, const fe25519 g)
{
	uint64_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
	uint64_t g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4];
	uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
	u128 r0, r1, r2, r3, r4;

	r0 = (u128)f0 * g0 + (u128)f1 * g4_19 + (u128)f2 * g3_19 + (u128)f3 * g2_19 + (u128)f4 * g1_19;
	r1 = (u128)f0 * g1 + (u128)f1 * g0 + (u128)f2 * g4_19 + (u128)f3 * g3_19 + (u128)f4 * g2_19;
	r2 = (u128)f0 * g2 + (u128)f1 * g1 + (u128)f2 * g0 + (u128)f3 * g4_19 + (u128)f4 * g3_19;
	r3 = (u128)f0 * g3 + (u128)f1 * g2 + (u128)f2 * g1 + (u128)f3 * g0 + (u128)f4 * g4_19;
	r4 = (u128)f0 * g4 + (u128)f1 * g3 + (u128)f2 * g2 + (u128)f3 * g1 + (u128)f4 * g0;
	fe25519_carry_wide(h, r0, r1, r2, r3, r4);
}

/* h = f^2: fe25519_mul with the equal cross products counted once, doubled.
 * input bounds: loose; output bounds: tight */
static void fe25519_sq(fe25519 h, const fe25519 f)
{
	uint64_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
	uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3;
	uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
	u128 r0, r1, r2, r3, r4;

	r0 = (u128)f0 * f0 + (u128)f1_2 * f4_19 + (u128)f2_2 * f3_19;
	r1 = (u128)f0_2 * f1 + (u128)f2_2 * f4_19 + (u128)f3 * f3_19;
	r2 = (u128)f0_2 * f2 + (u128)f1 * f1 + (u128)f3_2 * f4_19;
	r3 = (u128)f0_2 * f3 + (u128)f1_2 * f2 + (u128)f4 * f4_19;
	r4 = (u128)f0_2 * f4 + (u128)f1_2 * f3 + (u128)f2 * f2;
	fe25519_carry_wide(h, r0, r1, r2, r3, r4);
}

/* h = f^(2^n), n >= 1 (n is public: a step of the inversion chain)
 * input bounds: loose; output bounds: tight */
static void fe25519_sq_n(fe25519 h, const fe25519 f, int n)
{
	fe25519_sq(h, f);
	while (--n > 0)
		fe25519_sq(h, h);
}

/* h = A24 f (§5: a24 * E)
 * input bounds: loose; output bounds: tight */
static void fe25519_mul_a24(fe25519 h, const fe25519 f)
{
	u128 r0 = (u128)f[0] * X25519_A24, r1 = (u128)f[1] * X25519_A24;
	u128 r2 = (u128)f[2] * X25519_A24, r3 = (u128)f[3] * X25519_A24;
	u128 r4 = (u128)f[4] * X25519_A24;

	fe25519_carry_wide(h, r0, r1, r2, r3, r4);
}

/* h = z^(p - 2) = 1/z (Fermat; 0 for z = 0), p - 2 = 2^255 - 21, by a
 * fixed chain of 254 squarings and 11 multiplications. Each name says the
 * exponent it holds: z_2_50_0 is z^(2^50 - 2^0).
 * input bounds: tight; output bounds: tight */
static void fe25519_invert(fe25519 h, const fe25519 z)
{
	fe25519 z2, z9, z11, z_2_5_0, z_2_10_0, z_2_20_0, z_2_50_0, z_2_100_0, t;

	fe25519_sq(z2, z);				/* 2 */
	fe25519_sq_n(t, z2, 2);				/* 8 */
	fe25519_mul(z9, t, z);				/* 9 */
	fe25519_mul(z11, z9, z2);			/* 11 */
	fe25519_sq(t, z11);				/* 22 */
	fe25519_mul(z_2_5_0, t, z9);			/* 31 = 2^5 - 1 */
	fe25519_sq_n(t, z_2_5_0, 5);
	fe25519_mul(z_2_10_0, t, z_2_5_0);		/* 2^10 - 1 */
	fe25519_sq_n(t, z_2_10_0, 10);
	fe25519_mul(z_2_20_0, t, z_2_10_0);		/* 2^20 - 1 */
	fe25519_sq_n(t, z_2_20_0, 20);
	fe25519_mul(t, t, z_2_20_0);			/* 2^40 - 1 */
	fe25519_sq_n(t, t, 10);
	fe25519_mul(z_2_50_0, t, z_2_10_0);		/* 2^50 - 1 */
	fe25519_sq_n(t, z_2_50_0, 50);
	fe25519_mul(z_2_100_0, t, z_2_50_0);		/* 2^100 - 1 */
	fe25519_sq_n(t, z_2_100_0, 100);
	fe25519_mul(t, t, z_2_100_0);			/* 2^200 - 1 */
	fe25519_sq_n(t, t, 50);
	fe25519_mul(t, t, z_2_50_0);			/* 2^250 - 1 */
	fe25519_sq_n(t, t, 5);				/* 2^255 - 2^5 */
	fe25519_mul(h, t, z11);				/* 2^255 - 21 */

	WIPE(z2);
	WIPE(z9);
	WIPE(z11);
	WIPE(z_2_5_0);
	WIPE(z_2_10_0);
	WIPE(z_2_20_0);
	WIPE(z_2_50_0);
	WIPE(z_2_100_0);
	WIPE(t);
}

/* §5 cswap: swap f and g if mask is all ones, leave them if it is zero */
static inline void fe25519_cswap(uint64_t mask, fe25519 f, fe25519 g)
{
	for (int i = 0; i < 5; i++) {
		uint64_t x = mask & (f[i] ^ g[i]);

		f[i] ^= x;
		g[i] ^= x;
	}
}

int x25519(uint8_t out[X25519_LEN], const uint8_t scalar[X25519_LEN], const uint8_t u[X25519_LEN])
{
	uint8_t k[X25519_LEN];
	fe25519 x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb;
	uint64_t swap = 0, acc = 0;
	int zero;

	/* §5 decodeScalar25519: clear the three low bits and bit 255, set bit 254 */
	for (int i = 0; i < X25519_LEN; i++)
		k[i] = scalar[i];
	k[0] &= 248;
	k[31] &= 127;
	k[31] |= 64;

	fe25519_decode(x1, u);
	for (int i = 0; i < 5; i++) {
		x2[i] = i == 0;
		z2[i] = 0;
		x3[i] = x1[i];
		z3[i] = i == 0;
	}

	/* §5 the Montgomery ladder, bit 254 down to bit 0 (bit 255 is zero).
	 * (x2 : z2) and (x3 : z3) are swapped only when the bit changes. */
	for (int t = 254; t >= 0; t--) {
		uint64_t k_t = (k[t >> 3] >> (t & 7)) & 1;

		swap ^= k_t;
		fe25519_cswap(ct_mask64(swap), x2, x3);
		fe25519_cswap(ct_mask64(swap), z2, z3);
		swap = k_t;

		fe25519_add(a, x2, z2);
		fe25519_sq(aa, a);
		fe25519_sub(b, x2, z2);
		fe25519_sq(bb, b);
		fe25519_sub(e, aa, bb);
		fe25519_add(c, x3, z3);
		fe25519_sub(d, x3, z3);
		fe25519_mul(da, d, a);
		fe25519_mul(cb, c, b);
		fe25519_add(x3, da, cb);
		fe25519_sq(x3, x3);
		fe25519_sub(z3, da, cb);
		fe25519_sq(z3, z3);
		fe25519_mul(z3, z3, x1);
		fe25519_mul(x2, aa, bb);
		fe25519_mul_a24(z2, e);
		fe25519_add(z2, z2, aa);
		fe25519_mul(z2, z2, e);
	}
	fe25519_cswap(ct_mask64(swap), x2, x3);
	fe25519_cswap(ct_mask64(swap), z2, z3);

	/* x2 / z2; z2 = 0 (the point at infinity) gives 0 */
	fe25519_invert(z2, z2);
	fe25519_mul(x2, x2, z2);
	fe25519_encode(out, x2);

	/* §6.1: an all-zero result is public (the caller aborts the exchange) */
	for (int i = 0; i < X25519_LEN; i++)
		acc |= out[i];
	zero = (int)ct_is_zero64(ct_barrier64(acc));
	ct_declassify(&zero, sizeof zero);

	WIPE(k);
	WIPE(swap);
	WIPE(x2);
	WIPE(z2);
	WIPE(x3);
	WIPE(z3);
	WIPE(a);
	WIPE(aa);
	WIPE(b);
	WIPE(bb);
	WIPE(e);
	WIPE(c);
	WIPE(d);
	WIPE(da);
	WIPE(cb);
	return zero ? -1 : 0;
}

void x25519_public(uint8_t pub[X25519_LEN], const uint8_t scalar[X25519_LEN])
{
	static const uint8_t base[X25519_LEN] = { 9 };

	/* the base point has prime order and a clamped scalar is never a
	 * multiple of it: the result is never zero */
	(void)x25519(pub, scalar, base);
}
