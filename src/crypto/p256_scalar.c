/*
 * p256_scalar.c - arithmetic modulo n, the order of the P-256 group
 * (SP 800-186 §3.2.1.3), for ECDSA (FIPS 186-5 §6.4).
 *
 * Scalars are four 64-bit limbs, plain integers below n. Products go
 * through Montgomery multiplication (R = 2^256) with the generic reduction
 * step, n' = -n^-1 mod 2^64: a plain product a * b is two Montgomery
 * products, (a * b / R) * R^2 / R. Inversion is in p256_inv.c.
 *
 * Constant time: no branch or memory index depends on a value; choices are
 * masks (ct.h). Temporaries that may hold secrets are wiped here or by the
 * caller's stack scrub (p256.c).
 */
#include "p256_internal.h"
#include "ct.h"

/* n, least significant limb first. */
static const uint64_t N[4] = {
	0xf3b9cac2fc632551, 0xbce6faada7179e84, 0xffffffffffffffff, 0xffffffff00000000,
};

/* -n^-1 mod 2^64 */
#define N_PRIME 0xccd1c8aaee00bc4fULL

/* 2^512 mod n: a Montgomery product with it multiplies by 2^256. */
static const uint64_t R2_N[4] = {
	0x83244c95be79eea2, 0x4699799c49bd6fa6, 0x2845b2392b6bec59, 0x66e12d94f3d95620,
};

/* r = a - n if hi * 2^256 + a >= n, else a. Assumes a value below 2n;
 * produces r < n. */
P256_INLINE void subtract_n_once(p256_sc r, const uint64_t a[4], uint64_t hi)
{
	uint64_t d[4], borrow = 0, keep;

	P256_UNROLL
	for (int i = 0; i < 4; i++)
		d[i] = p256_sbb(a[i], N[i], &borrow);
	keep = ct_mask64(borrow & ~hi & 1);
	P256_UNROLL
	for (int i = 0; i < 4; i++)
		r[i] = ct_select64(keep, a[i], d[i]);
}

/*
 * One step of the reduction below on the limbs x0..x4 = t[i..i+4]: adds
 * m * n * 2^(64i) with m = x0 * n' mod 2^64, which clears x0 (its sum is
 * dropped; only its carry goes on). A limb product plus two limbs fits in
 * 128 bits. The carry out of x4 is one bit: *top, added in the next step.
 */
P256_INLINE void reduce_step_n(uint64_t x0, uint64_t *x1, uint64_t *x2, uint64_t *x3, uint64_t *x4, uint64_t *top)
{
	uint64_t m = x0 * N_PRIME, c = 0;

	p256_mac(x0, m, N[0], &c);
	*x1 = p256_mac(*x1, m, N[1], &c);
	*x2 = p256_mac(*x2, m, N[2], &c);
	*x3 = p256_mac(*x3, m, N[3], &c);
	*x4 = p256_adc(*x4, c, top);
}

/*
 * r = t * 2^-256 mod n. Assumes t < n * 2^256; produces r < n. The four
 * steps add less than n * 2^256, so the top half of the sum is below 2n:
 * one conditional subtraction finishes.
 */
P256_INLINE void reduce_n(p256_sc r, const uint64_t t[8])
{
	uint64_t x[4], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7];
	uint64_t top = 0;

	reduce_step_n(t[0], &t1, &t2, &t3, &t4, &top);
	reduce_step_n(t1, &t2, &t3, &t4, &t5, &top);
	reduce_step_n(t2, &t3, &t4, &t5, &t6, &top);
	reduce_step_n(t3, &t4, &t5, &t6, &t7, &top);
	x[0] = t4;
	x[1] = t5;
	x[2] = t6;
	x[3] = t7;
	subtract_n_once(r, x, top);
}

/* r = a * b * 2^-256 mod n. a * b < n * 2^256 (e.g. a < 2^256, b < n);
 * r < n. */
static void mont_mul_n(p256_sc r, const uint64_t a[4], const uint64_t b[4])
{
	uint64_t t[8];

	p256_mul_wide(t, a, b);
	reduce_n(r, t);
}

/* 1 if a < n (a is any 256-bit integer), else 0: the borrow of a - n. */
uint64_t p256_sc_below_n(const uint64_t a[4])
{
	uint64_t borrow = 0;

	for (int i = 0; i < 4; i++)
		p256_sbb(a[i], N[i], &borrow);
	return borrow;
}

/* r = a + n as a 256-bit integer; returns the carry out of bit 255.
 * Verification needs x = r + n, the other x that reduces to r. */
uint64_t p256_sc_plus_n(uint64_t r[4], const p256_sc a)
{
	uint64_t carry = 0;

	for (int i = 0; i < 4; i++)
		r[i] = p256_adc(a[i], N[i], &carry);
	return carry;
}

/* 1 if a == 0, else 0. */
uint64_t p256_sc_is_zero(const p256_sc a)
{
	return ct_is_zero64(a[0] | a[1] | a[2] | a[3]);
}

/* r = in, unreduced; returns 1 if 1 <= in <= n-1 (a valid private key,
 * nonce or signature half), else 0. */
uint64_t p256_sc_from_bytes(p256_sc r, const uint8_t in[32])
{
	p256_load_be(r, in);
	return p256_sc_below_n(r) & (p256_sc_is_zero(r) ^ 1);
}

/* r = in mod n for any 256-bit in: in < 2^256 < 2n, so one subtraction. */
void p256_sc_reduce_bytes(p256_sc r, const uint8_t in[32])
{
	uint64_t a[4];

	p256_load_be(a, in);
	subtract_n_once(r, a, 0);
	WIPE(a);
}

void p256_sc_to_bytes(uint8_t out[32], const p256_sc a)
{
	p256_store_be(out, a);
}

/* r = a + b mod n. a, b < n; the sum is below 2n; r < n. */
void p256_sc_add(p256_sc r, const p256_sc a, const p256_sc b)
{
	uint64_t s[4], carry = 0;

	P256_UNROLL
	for (int i = 0; i < 4; i++)
		s[i] = p256_adc(a[i], b[i], &carry);
	subtract_n_once(r, s, carry);
	WIPE(s);
}

/* r = a * b mod n. a, b < n; r < n. */
void p256_sc_mul(p256_sc r, const p256_sc a, const p256_sc b)
{
	p256_sc t;

	mont_mul_n(t, a, b);	/* a b / R */
	mont_mul_n(r, t, R2_N);	/* a b / R * R^2 / R = a b */
	WIPE(t);
}
