/*
 * p256_internal.h - what the P-256 files share: field elements mod p
 * (p256_field.c), scalars mod n (p256_scalar.c), points and tables
 * (p256_point.c). Not for use outside src/crypto/p256*.c.
 *
 * A field element or a scalar is four 64-bit limbs, least significant
 * first. Unless a comment says otherwise, a value is fully reduced (below
 * p, or below n) when it goes in and when it comes out, and an output may
 * alias an input.
 */
#ifndef SCRATCHD_P256_INTERNAL_H
#define SCRATCHD_P256_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 p256_u128;

/* Unroll the loop that follows: the limb loops are short and fixed, and
 * gcc -O2 keeps them rolled (and the limbs in memory) otherwise. */
#define P256_UNROLL _Pragma("GCC unroll 8")

/* For the limb helpers below: inlined even where the compiler would not
 * (a call per limb product would cost more than the product). */
#define P256_INLINE static inline __attribute__((always_inline))

/* Limb steps. Each returns the low limb and leaves the carry (or borrow)
 * in *c; none overflows: a limb product plus two limbs is at most
 * 2^128 - 1. The carries come from __builtin_add_overflow and
 * __builtin_sub_overflow, which compile to add/adc, sub/sbb and setc (sltu
 * on riscv64, cset on aarch64): gcc emits about half the instructions it
 * emits for the same sums on unsigned __int128, and P-256 signing is 14%
 * faster for it. But a carry is a boolean to the compiler: with a known
 * operand (0 - x) gcc was seen computing it with a branch. So no caller
 * lets a carry hinge on a secret and a constant alone (p256_fe_cneg() hides
 * its zero behind ct_barrier64(); a known t = 0 in p256_mac() folds the sum
 * away), and the constant-time check (valgrind, secrets undefined) passes
 * this code with gcc and clang at -O1, -O2, -O3 and -Os, in one unit or as
 * separate objects; the field and scalar functions have no conditional
 * jump but their loops'. If a compiler ever branches here, make ct says
 * so: go back to 128-bit sums for p256_adc() and p256_sbb(). */

/* a + b + *c; *c in {0, 1}. */
P256_INLINE uint64_t p256_adc(uint64_t a, uint64_t b, uint64_t *c)
{
	uint64_t s, carry = __builtin_add_overflow(a, b, &s);

	carry += __builtin_add_overflow(s, *c, &s);
	*c = carry;
	return s;
}

/* a - b - *c; *c (the borrow) in {0, 1}. */
P256_INLINE uint64_t p256_sbb(uint64_t a, uint64_t b, uint64_t *c)
{
	uint64_t d, borrow = __builtin_sub_overflow(a, b, &d);

	borrow += __builtin_sub_overflow(d, *c, &d);
	*c = borrow;
	return d;
}

/* t + a * b + *c, any limbs; *c becomes the high limb. */
P256_INLINE uint64_t p256_mac(uint64_t t, uint64_t a, uint64_t b, uint64_t *c)
{
	p256_u128 p = (p256_u128)a * b;
	uint64_t lo = (uint64_t)p, hi = (uint64_t)(p >> 64);

	hi += __builtin_add_overflow(lo, t, &lo);
	hi += __builtin_add_overflow(lo, *c, &lo);
	*c = hi;
	return lo;
}

/* r = the big-endian integer in[0..32). */
static inline void p256_load_be(uint64_t r[4], const uint8_t in[32])
{
	for (int i = 0; i < 4; i++) {
		const uint8_t *b = in + 8 * (3 - i);
		uint64_t w = 0;

		for (int j = 0; j < 8; j++)
			w = (w << 8) | b[j];
		r[i] = w;
	}
}

/* out = a as a 32-byte big-endian integer. */
static inline void p256_store_be(uint8_t out[32], const uint64_t a[4])
{
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 8; j++)
			out[8 * (3 - i) + j] = (uint8_t)(a[i] >> (56 - 8 * j));
}

/* t[0..8) = a * b: the full 512-bit product of any a, b below 2^256
 * (schoolbook, one row per limb of a). */
P256_INLINE void p256_mul_wide(uint64_t t[8], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
	uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
	uint64_t t0, t1, t2, t3, t4, t5, t6, c;

	c = 0;
	t0 = p256_mac(0, a0, b0, &c);
	t1 = p256_mac(0, a0, b1, &c);
	t2 = p256_mac(0, a0, b2, &c);
	t3 = p256_mac(0, a0, b3, &c);
	t4 = c;
	c = 0;
	t1 = p256_mac(t1, a1, b0, &c);
	t2 = p256_mac(t2, a1, b1, &c);
	t3 = p256_mac(t3, a1, b2, &c);
	t4 = p256_mac(t4, a1, b3, &c);
	t5 = c;
	c = 0;
	t2 = p256_mac(t2, a2, b0, &c);
	t3 = p256_mac(t3, a2, b1, &c);
	t4 = p256_mac(t4, a2, b2, &c);
	t5 = p256_mac(t5, a2, b3, &c);
	t6 = c;
	c = 0;
	t[3] = p256_mac(t3, a3, b0, &c);
	t[4] = p256_mac(t4, a3, b1, &c);
	t[5] = p256_mac(t5, a3, b2, &c);
	t[6] = p256_mac(t6, a3, b3, &c);
	t[7] = c;
	t[0] = t0;
	t[1] = t1;
	t[2] = t2;
}

/* t[0..8) = a^2 for any a below 2^256: the cross products a[i] a[j]
 * (i < j) once, doubled, plus the squares a[i]^2 (10 limb products, not 16). */
P256_INLINE void p256_sqr_wide(uint64_t t[8], const uint64_t a[4])
{
	uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
	uint64_t t1, t2, t3, t4, t5, t6, t7, c;
	p256_u128 sq;

	c = 0;
	t1 = p256_mac(0, a0, a1, &c);
	t2 = p256_mac(0, a0, a2, &c);
	t3 = p256_mac(0, a0, a3, &c);
	t4 = c;
	c = 0;
	t3 = p256_mac(t3, a1, a2, &c);
	t4 = p256_mac(t4, a1, a3, &c);
	t5 = c;
	c = 0;
	t5 = p256_mac(t5, a2, a3, &c);
	t6 = c;
	/* the cross sum is below 2^511: doubling it cannot overflow */
	t7 = t6 >> 63;
	t6 = (t6 << 1) | (t5 >> 63);
	t5 = (t5 << 1) | (t4 >> 63);
	t4 = (t4 << 1) | (t3 >> 63);
	t3 = (t3 << 1) | (t2 >> 63);
	t2 = (t2 << 1) | (t1 >> 63);
	t1 <<= 1;
	sq = (p256_u128)a0 * a0;
	t[0] = (uint64_t)sq;
	c = 0;
	t[1] = p256_adc(t1, (uint64_t)(sq >> 64), &c);
	sq = (p256_u128)a1 * a1;
	t[2] = p256_adc(t2, (uint64_t)sq, &c);
	t[3] = p256_adc(t3, (uint64_t)(sq >> 64), &c);
	sq = (p256_u128)a2 * a2;
	t[4] = p256_adc(t4, (uint64_t)sq, &c);
	t[5] = p256_adc(t5, (uint64_t)(sq >> 64), &c);
	sq = (p256_u128)a3 * a3;
	t[6] = p256_adc(t6, (uint64_t)sq, &c);
	t[7] = p256_adc(t7, (uint64_t)(sq >> 64), &c);
}

/* ---- the field GF(p), p = 2^256 - 2^224 + 2^192 + 2^96 - 1 ------------ */

/* An element x held in Montgomery form: x * 2^256 mod p, below p. */
typedef uint64_t p256_fe[4];

extern const p256_fe p256_fe_one;	/* 1, in Montgomery form */
extern const p256_fe p256_fe_b;		/* the curve's b, in Montgomery form */

void p256_fe_mul(p256_fe r, const p256_fe a, const p256_fe b);
void p256_fe_sqr(p256_fe r, const p256_fe a);
void p256_fe_add(p256_fe r, const p256_fe a, const p256_fe b);
void p256_fe_sub(p256_fe r, const p256_fe a, const p256_fe b);
/* r = -a where mask is all ones, r = a where it is zero. */
void p256_fe_cneg(p256_fe r, const p256_fe a, uint64_t mask);
/* r = a^-1 (0 gives 0). */
void p256_fe_inv(p256_fe r, const p256_fe a);
/* 1 if a == 0, else 0. */
uint64_t p256_fe_is_zero(const p256_fe a);
/* 1 if a == b, else 0. */
uint64_t p256_fe_equal(const p256_fe a, const p256_fe b);
/* r = the big-endian integer in[0..32) in Montgomery form. Returns 1 if it
 * was below p, else 0 (r is then unusable). */
uint64_t p256_fe_from_bytes(p256_fe r, const uint8_t in[32]);
/* out = a as a big-endian integer (out of Montgomery form). */
void p256_fe_to_bytes(uint8_t out[32], const p256_fe a);

/* ---- scalars mod n, the group order ----------------------------------- */

/* A scalar: a plain integer (not Montgomery form), below n. */
typedef uint64_t p256_sc[4];

/* r = the big-endian integer in[0..32), unreduced. Returns 1 if it is in
 * [1, n-1], else 0. */
uint64_t p256_sc_from_bytes(p256_sc r, const uint8_t in[32]);
/* r = in[0..32) mod n: any 256-bit big-endian integer. */
void p256_sc_reduce_bytes(p256_sc r, const uint8_t in[32]);
void p256_sc_to_bytes(uint8_t out[32], const p256_sc a);
void p256_sc_add(p256_sc r, const p256_sc a, const p256_sc b);
void p256_sc_mul(p256_sc r, const p256_sc a, const p256_sc b);
uint64_t p256_sc_is_zero(const p256_sc a);
/* 1 if the 256-bit integer a (any value below 2^256) is below n, else 0. */
uint64_t p256_sc_below_n(const uint64_t a[4]);
/* r = a + n (256 bits); returns the carry out. */
uint64_t p256_sc_plus_n(uint64_t r[4], const p256_sc a);

/* ---- inversion (p256_inv.c) ------------------------------------------- */

/* r = a^-1 mod p, or mod n, for a plain integer a below the modulus (0
 * gives 0). Constant time. */
void p256_inv_mod_p(uint64_t r[4], const uint64_t a[4]);
void p256_inv_mod_n(uint64_t r[4], const uint64_t a[4]);

/* ---- points ------------------------------------------------------------ */

/* Homogeneous projective coordinates: (X : Y : Z) is the point (X/Z, Y/Z),
 * (0 : 1 : 0) is the point at infinity. */
struct p256_point {
	p256_fe x, y, z;
};

/* An affine point (x, y); never the point at infinity. */
struct p256_affine {
	p256_fe x, y;
};

/*
 * Signed windows of w bits (p256_point.c): a scalar below 2^256 is
 * sum d_i 2^(wi), i < P256_WINDOWS(w), with d_i in [-2^(w-1), 2^(w-1)]. A
 * table for a point B holds, row after row, for each window i the affine
 * points j * 2^(wi) * B, j = 1..2^(w-1).
 *
 * The tables of G and of a signing key's Q use 7-bit windows: 37 rows of
 * 64 points, 148 KiB each, so that k G costs 37 mixed additions and
 * u1 G + u2 Q 74. (A constant-time lookup reads a whole row; beyond 7 bits
 * that reading costs more than the additions it saves.)
 */
#define P256_WINDOWS(w)		((256 + (w)) / (w))	/* w * count >= 257 */
#define P256_ROW(w)		(1 << ((w) - 1))
#define P256_TABLE_LEN(w)	(P256_WINDOWS(w) * P256_ROW(w))

#define P256_TABLE_WINDOW	7

void p256_point_add(struct p256_point *r, const struct p256_point *a, const struct p256_point *b);
void p256_point_add_affine(struct p256_point *r, const struct p256_point *a, const struct p256_affine *b);
void p256_point_double(struct p256_point *r, const struct p256_point *a);
/* The affine x and y of a (0 and 0 for the point at infinity). */
void p256_point_to_affine(struct p256_affine *r, const struct p256_point *a);

/* 1 if the affine point (x, y) is on the curve, else 0. */
uint64_t p256_on_curve(const struct p256_affine *a);

/* The generator G in affine form (Montgomery form coordinates). */
void p256_generator(struct p256_affine *g);

/* Fill table[0 .. P256_TABLE_LEN(w)) for base (not the point at infinity)
 * and windows of w bits. Constant time. */
void p256_table_build(struct p256_affine *table, int w, const struct p256_affine *base);

/* r = k * G, constant time in k (any 256-bit value, 64-bit limbs). Builds
 * G's table on first use (p256.h). */
void p256_mul_base(struct p256_point *r, const uint64_t k[4]);
/* r = k * a, constant time in k; a is not the point at infinity. */
void p256_mul(struct p256_point *r, const uint64_t k[4], const struct p256_affine *a);

/* r = u1 * G + u2 * Q, with Q's table (P256_TABLE_WINDOW) if q_table is not
 * NULL, else from the point q. Variable time: public inputs only. */
void p256_mul2_vartime(struct p256_point *r, const uint64_t u1[4], const uint64_t u2[4],
		       const struct p256_affine *q_table, const struct p256_affine *q);

#endif
