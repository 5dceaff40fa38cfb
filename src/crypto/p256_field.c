/*
 * p256_field.c - arithmetic in GF(p), p = 2^256 - 2^224 + 2^192 + 2^96 - 1,
 * the field of NIST P-256 (SP 800-186 §3.2.1.3).
 *
 * Elements are four 64-bit limbs in Montgomery form (x * 2^256 mod p), so a
 * product is reduced by Montgomery's method; p's shape makes each step of it
 * a few shifts and one multiplication (see reduce_p()).
 *
 * Constant time: no branch or memory index depends on a value; a choice
 * between two results is made with a mask (ct.h). Inversion is in
 * p256_inv.c. The limb temporaries of each operation are left to the
 * caller's stack scrub (p256.c): wiping them here would cost a fifth of the
 * time.
 */
#include "p256_internal.h"
#include "ct.h"

/* p, least significant limb first. */
static const uint64_t P[4] = {
	0xffffffffffffffff, 0x00000000ffffffff, 0x0000000000000000, 0xffffffff00000001,
};

/* 2^256 mod p: 1 in Montgomery form. */
const p256_fe p256_fe_one = {
	0x0000000000000001, 0xffffffff00000000, 0xffffffffffffffff, 0x00000000fffffffe,
};

/* b = 0x5ac635d8 aa3a93e7 b3ebbd55 769886bc 651d06b0 cc53b0f6 3bce3c3e 27d2604b
 * (SP 800-186 §3.2.1.3) times 2^256 mod p. */
const p256_fe p256_fe_b = {
	0xd89cdf6229c4bddf, 0xacf005cd78843090, 0xe5a220abf7212ed6, 0xdc30061d04874834,
};

/* 2^512 mod p: a Montgomery product with it enters Montgomery form. */
static const uint64_t R2_P[4] = {
	0x0000000000000003, 0xfffffffbffffffff, 0xfffffffffffffffe, 0x00000004fffffffd,
};

/*
 * r = a - p if the 257-bit value hi * 2^256 + a is >= p, else a.
 * Assumes a value below 2p; produces r < p.
 */
P256_INLINE void subtract_p_once(p256_fe r, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
				   uint64_t hi)
{
	uint64_t d0, d1, d2, d3, borrow = 0, keep;

	d0 = p256_sbb(a0, P[0], &borrow);
	d1 = p256_sbb(a1, P[1], &borrow);
	d2 = p256_sbb(a2, P[2], &borrow);
	d3 = p256_sbb(a3, P[3], &borrow);
	/* a - p went below zero only if it borrowed and no 257th bit covers it */
	keep = ct_mask64(borrow & ~hi & 1);
	r[0] = ct_select64(keep, a0, d0);
	r[1] = ct_select64(keep, a1, d1);
	r[2] = ct_select64(keep, a2, d2);
	r[3] = ct_select64(keep, a3, d3);
}

/*
 * One step of the Montgomery reduction below, on the limbs x0..x4 = t[i..i+4]:
 * adds m * p * 2^(64i) with m = x0, which clears x0. With -p^-1 = 1 mod 2^64
 * (p = -1 mod 2^64), m = x0 * 1, and with
 * p = (2^64 - 1) + (2^32 - 1) 2^64 + 0 * 2^128 + P3 * 2^192:
 *   x0 + m (2^64 - 1)      = m 2^64        (x0 becomes 0, m moves up)
 *   x1 + m (2^32 - 1) + m  = x1 + m 2^32
 *   x2 + 0                 (+ the carry)
 *   x3 + m P3              (+ the carry)
 *   x4 + the carry + *top, the one-bit carry out of the previous step,
 * and the carry out of x4 (one bit) goes to *top for the next step.
 */
P256_INLINE void reduce_step(uint64_t x0, uint64_t *x1, uint64_t *x2, uint64_t *x3, uint64_t *x4,
			       uint64_t *top)
{
	uint64_t m = x0, c = 0;

	*x1 = p256_adc(*x1, m << 32, &c);
	*x2 = p256_adc(*x2, m >> 32, &c);
	*x3 = p256_mac(*x3, m, P[3], &c);
	*x4 = p256_adc(*x4, c, top);
}

/*
 * Montgomery reduction: r = t * 2^-256 mod p.
 * Assumes t < p * 2^256 (true of any product of two values below p, and of
 * a value below p times anything below 2^256); produces r < p.
 * Four reduce_step()s add less than p * 2^256 in all, so the sum is below
 * 2p * 2^256 and its top half below 2p: one conditional subtraction.
 */
P256_INLINE void reduce_p(p256_fe r, const uint64_t t[8])
{
	uint64_t t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7];
	uint64_t top = 0;

	reduce_step(t[0], &t1, &t2, &t3, &t4, &top);
	reduce_step(t1, &t2, &t3, &t4, &t5, &top);
	reduce_step(t2, &t3, &t4, &t5, &t6, &top);
	reduce_step(t3, &t4, &t5, &t6, &t7, &top);
	subtract_p_once(r, t4, t5, t6, t7, top);
}

/* r = a * b * 2^-256 mod p: the Montgomery product. a, b < p; r < p. */
void p256_fe_mul(p256_fe r, const p256_fe a, const p256_fe b)
{
	uint64_t t[8];

	p256_mul_wide(t, a, b);
	reduce_p(r, t);
}

/* r = a^2 * 2^-256 mod p. a < p; r < p. */
void p256_fe_sqr(p256_fe r, const p256_fe a)
{
	uint64_t t[8];

	p256_sqr_wide(t, a);
	reduce_p(r, t);
}

/* r = a + b mod p: a + b - p, plus p back if that went below zero (the
 * shape of p256_fe_sub(), which needs fewer registers than choosing
 * between two results). a, b < p; the sum is below 2p; r < p. */
void p256_fe_add(p256_fe r, const p256_fe a, const p256_fe b)
{
	uint64_t s0, s1, s2, s3, carry = 0, borrow = 0, mask;

	s0 = p256_adc(a[0], b[0], &carry);
	s1 = p256_adc(a[1], b[1], &carry);
	s2 = p256_adc(a[2], b[2], &carry);
	s3 = p256_adc(a[3], b[3], &carry);
	s0 = p256_sbb(s0, P[0], &borrow);
	s1 = p256_sbb(s1, P[1], &borrow);
	s2 = p256_sbb(s2, P[2], &borrow);
	s3 = p256_sbb(s3, P[3], &borrow);
	/* (carry:s) - p < 0 only if it borrowed with no 257th bit */
	mask = ct_mask64(borrow & ~carry & 1);
	carry = 0;
	r[0] = p256_adc(s0, P[0] & mask, &carry);
	r[1] = p256_adc(s1, P[1] & mask, &carry);
	r[2] = p256_adc(s2, P[2] & mask, &carry);
	r[3] = p256_adc(s3, P[3] & mask, &carry);
}

/* r = a - b mod p: a - b, plus p if that borrowed. a, b < p; r < p. */
void p256_fe_sub(p256_fe r, const p256_fe a, const p256_fe b)
{
	uint64_t d0, d1, d2, d3, borrow = 0, mask, carry = 0;

	d0 = p256_sbb(a[0], b[0], &borrow);
	d1 = p256_sbb(a[1], b[1], &borrow);
	d2 = p256_sbb(a[2], b[2], &borrow);
	d3 = p256_sbb(a[3], b[3], &borrow);
	mask = ct_mask64(borrow);
	r[0] = p256_adc(d0, P[0] & mask, &carry);
	r[1] = p256_adc(d1, P[1] & mask, &carry);
	r[2] = p256_adc(d2, P[2] & mask, &carry);
	r[3] = p256_adc(d3, P[3] & mask, &carry);
}

/* r = mask ? -a : a, for a mask of all ones or zeros. a < p; r < p
 * (0 - a mod p keeps 0 at 0). The zero is hidden from the compiler, so
 * that it cannot specialize the subtraction on it. */
void p256_fe_cneg(p256_fe r, const p256_fe a, uint64_t mask)
{
	uint64_t zero = ct_barrier64(0);
	p256_fe z = { zero, zero, zero, zero }, neg;

	p256_fe_sub(neg, z, a);
	P256_UNROLL
	for (int i = 0; i < 4; i++)
		r[i] = ct_select64(mask, neg[i], a[i]);
	WIPE(neg);
}

/*
 * r = a^-1 mod p, 0 for a = 0. a < p; r < p. a holds A = a 2^256; the
 * divstep inversion (p256_inv.c) gives A^-1 = a^-1 2^-256, and two
 * Montgomery products with 2^512 turn that into a^-1 2^256.
 */
void p256_fe_inv(p256_fe r, const p256_fe a)
{
	p256_fe t;

	p256_inv_mod_p(t, a);
	p256_fe_mul(t, t, R2_P);
	p256_fe_mul(r, t, R2_P);
	WIPE(t);
}

/* 1 if a == 0, else 0. a < p (so 0 has a single form). */
uint64_t p256_fe_is_zero(const p256_fe a)
{
	return ct_is_zero64(a[0] | a[1] | a[2] | a[3]);
}

/* 1 if a == b, else 0. a, b < p. */
uint64_t p256_fe_equal(const p256_fe a, const p256_fe b)
{
	return ct_is_zero64((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]));
}

/*
 * r = in * 2^256 mod p: a big-endian integer into Montgomery form. Returns
 * 1 if it was below p, else 0 (r is then meaningless but still below p: the
 * Montgomery product of anything below 2^256 with R2_P < p is reduced).
 */
uint64_t p256_fe_from_bytes(p256_fe r, const uint8_t in[32])
{
	uint64_t a[4], t[8], borrow = 0;

	p256_load_be(a, in);
	for (int i = 0; i < 4; i++)
		p256_sbb(a[i], P[i], &borrow);
	p256_mul_wide(t, a, R2_P);
	reduce_p(r, t);
	WIPE(a);
	WIPE(t);
	return borrow;
}

/* out = a * 2^-256 mod p (out of Montgomery form), big-endian. a < p. */
void p256_fe_to_bytes(uint8_t out[32], const p256_fe a)
{
	uint64_t t[8] = { a[0], a[1], a[2], a[3], 0, 0, 0, 0 };
	p256_fe plain;

	reduce_p(plain, t);
	p256_store_be(out, plain);
	WIPE(t);
	WIPE(plain);
}
