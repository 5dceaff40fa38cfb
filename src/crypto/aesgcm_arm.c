/*
 * aesgcm_arm.c - the AES-GCM backend for aarch64 (aesgcm_backend.h) on
 * the ARMv8 Cryptography Extensions: the AES rounds of FIPS 197 §5.1 in
 * AESE (AddRoundKey, ShiftRows, SubBytes) and AESMC (MixColumns), SubWord
 * (§5.2) in AESE with a zero round key, and GHASH (NIST SP 800-38D
 * §6.3-6.4) in PMULL/PMULL2, eight blocks at a time: eight counter blocks
 * go through each round together, and eight GHASH blocks are multiplied
 * by H^8..H^1 and summed before one reduction.
 *
 * GHASH form, as in aesgcm_x86.c: a block is held with its 16 bytes
 * reversed, so bit 127 is x^0 and bit 0 is x^127 ("reflected"). For such
 * A and B the carry-less product is the reflected A*B*x as a 256-bit
 * value, so each power H^i is stored as H^i * x^-1 (a left shift by one
 * and, if x^0 fell off, an XOR of x^-1 = x^127 + x^6 + x + 1, i.e.
 * 0xc2000000...01), which leaves the product A * H^i to reduce. Reduction
 * mod g = x^128 + x^7 + x^2 + x + 1: the low 128 bits hold the terms of
 * degree 128..255 (Q, reflected); x^128 * Q = Q * (1 + x + x^2 + x^7),
 * whose part beyond x^127 is folded a second time.
 *
 * Constant time: keys and data only meet these instructions and vector
 * XORs, shifts and byte permutations; no table, and branches and loop
 * bounds depend on lengths and the key size only. Wiped: the
 * partial-block buffers (the last block's keystream passes through one);
 * keystream, round keys and powers of H otherwise stay in registers (see
 * aesgcm_reload()).
 *
 * The functions that run the extensions carry CRYPTO, and aesgcm.c calls
 * them only after aesgcm_hw_detect() found AES and PMULL in AT_HWCAP.
 * gcc 12 takes target("+crypto"); clang 14 rejects that spelling, and its
 * arm_neon.h declares vaeseq_u8 and friends only when __ARM_FEATURE_AES
 * is defined, so with clang this file must be built with
 * -march=armv8-a+crypto (which gcc accepts too).
 */
#include <arm_neon.h>
#include "aesgcm_backend.h"
#include "ct.h"

#ifdef __clang__
#define CRYPTO
#else
#define CRYPTO __attribute__((target("+crypto")))
#endif

/* arm64 uapi asm/hwcap.h */
#define HWCAP_BIT_AES	(1UL << 3)
#define HWCAP_BIT_PMULL	(1UL << 4)

int aesgcm_hw_detect(unsigned long hwcap)
{
	const unsigned long need = HWCAP_BIT_AES | HWCAP_BIT_PMULL;

	return (hwcap & need) == need;
}

/* The n < 16 bytes at p, zero-padded to a block. Byte loops rather than
 * memcpy: a call would make the compiler save live vector registers on
 * the stack. */
CRYPTO static inline __attribute__((always_inline)) uint8x16_t load_partial(const uint8_t *p, size_t n)
{
	uint8_t b[16];
	uint8x16_t x;

	for (size_t i = 0; i < 16; i++)
		b[i] = i < n ? p[i] : 0;
	x = vld1q_u8(b);
	WIPE(b);
	return x;
}

CRYPTO static inline __attribute__((always_inline)) void store_partial(uint8_t *p, size_t n, uint8x16_t x)
{
	uint8_t b[16];

	vst1q_u8(b, x);
	for (size_t i = 0; i < n; i++)
		p[i] = b[i];
	WIPE(b);
}

CRYPTO static inline uint8x16_t round_key(const struct aesgcm_key *k, unsigned int i)
{
	return vld1q_u8(k->opaque + AESGCM_ROUND_KEYS + 16 * i);
}

/* Rounds 1..Nr-1 are AESE (with the previous round key) then AESMC; the
 * last has no MixColumns and ends with the last round key. */
CRYPTO static inline uint8x16_t encrypt(const struct aesgcm_key *k, uint8x16_t b)
{
	unsigned int r;

	for (r = 0; r + 1 < k->rounds; r++)
		b = vaesmcq_u8(vaeseq_u8(b, round_key(k, r)));
	return veorq_u8(vaeseq_u8(b, round_key(k, r)), round_key(k, r + 1));
}

/* Eight blocks through each round together: AESE's latency is hidden
 * behind the other seven. */
CRYPTO static inline void encrypt_wide(const struct aesgcm_key *k, uint8x16_t b[AESGCM_WIDE])
{
	unsigned int r;
	uint8x16_t rk;

	for (r = 0; r + 1 < k->rounds; r++) {
		rk = round_key(k, r);
#pragma GCC unroll 8
		for (int i = 0; i < AESGCM_WIDE; i++)
			b[i] = vaesmcq_u8(vaeseq_u8(b[i], rk));
	}
	rk = round_key(k, r);
#pragma GCC unroll 8
	for (int i = 0; i < AESGCM_WIDE; i++)
		b[i] = vaeseq_u8(b[i], rk);
	rk = round_key(k, r + 1);
#pragma GCC unroll 8
	for (int i = 0; i < AESGCM_WIDE; i++)
		b[i] = veorq_u8(b[i], rk);
}

/* AESE with a zero round key is SubBytes(ShiftRows(x)); ShiftRows only
 * moves bytes between columns, and all four columns hold w. */
CRYPTO uint32_t aesgcm_hw_sub_word(uint32_t w)
{
	uint8x16_t x = vaeseq_u8(vreinterpretq_u8_u32(vdupq_n_u32(w)), vdupq_n_u8(0));

	return vgetq_lane_u32(vreinterpretq_u32_u8(x), 0);
}

CRYPTO void aesgcm_hw_encrypt_block(const struct aesgcm_key *k, uint8_t out[16], const uint8_t in[16])
{
	vst1q_u8(out, encrypt(k, vld1q_u8(in)));
}

/* The counter block with the bytes of each 32-bit word reversed: its last
 * word (inc32's) is lane 3, a native integer, and a 32-bit add there wraps
 * mod 2^32 as §6.2 says. */
CRYPTO static inline uint8x16_t counter_block(uint32x4_t ctr)
{
	return vrev32q_u8(vreinterpretq_u8_u32(ctr));
}

CRYPTO void aesgcm_hw_ctr32(const struct aesgcm_key *k, uint8_t *out, const uint8_t *in, size_t n,
			    const uint8_t cb[16])
{
	const uint32x4_t one = vsetq_lane_u32(1, vdupq_n_u32(0), 3);
	uint32x4_t ctr = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(cb)));
	uint8x16_t b[AESGCM_WIDE];

	for (; n >= 16 * AESGCM_WIDE; n -= 16 * AESGCM_WIDE, in += 16 * AESGCM_WIDE, out += 16 * AESGCM_WIDE) {
#pragma GCC unroll 8
		for (int i = 0; i < AESGCM_WIDE; i++) {
			b[i] = counter_block(ctr);
			ctr = vaddq_u32(ctr, one);
		}
		encrypt_wide(aesgcm_reload(k), b);
#pragma GCC unroll 8
		for (int i = 0; i < AESGCM_WIDE; i++)
			vst1q_u8(out + 16 * i, veorq_u8(vld1q_u8(in + 16 * i), b[i]));
	}
	for (; n >= 16; n -= 16, in += 16, out += 16) {
		vst1q_u8(out, veorq_u8(vld1q_u8(in), encrypt(k, counter_block(ctr))));
		ctr = vaddq_u32(ctr, one);
	}
	if (n > 0)
		store_partial(out, n, veorq_u8(load_partial(in, n), encrypt(k, counter_block(ctr))));
}

/* ---- GHASH ---- */

/* A block in GHASH form: its bytes reversed. */
CRYPTO static inline uint64x2_t reflect(uint8x16_t x)
{
	x = vrev64q_u8(x);
	return vreinterpretq_u64_u8(vextq_u8(x, x, 8));
}

CRYPTO static inline uint8x16_t unreflect(uint64x2_t x)
{
	uint8x16_t b = vrev64q_u8(vreinterpretq_u8_u64(x));

	return vextq_u8(b, b, 8);
}

CRYPTO static inline uint64x2_t h_power(const struct aesgcm_key *k, unsigned int i)
{
	return vreinterpretq_u64_u8(vld1q_u8(k->opaque + AESGCM_H_POWERS + 16 * (i - 1)));
}

CRYPTO static inline uint64_t h_karatsuba(const struct aesgcm_key *k, unsigned int i)
{
	return vget_lane_u64(vreinterpret_u64_u8(vld1_u8(k->opaque + AESGCM_H_KARATSUBA + 8 * (i - 1))), 0);
}

/* x shifted by 64 bits towards lane 1 / towards lane 0, zeros shifted in. */
CRYPTO static inline uint64x2_t up64(uint64x2_t x)
{
	return vextq_u64(vdupq_n_u64(0), x, 1);
}

CRYPTO static inline uint64x2_t down64(uint64x2_t x)
{
	return vextq_u64(x, vdupq_n_u64(0), 1);
}

/* The XOR of the two 64-bit halves. */
CRYPTO static inline uint64_t fold_halves(uint64x2_t x)
{
	return vgetq_lane_u64(x, 0) ^ vgetq_lane_u64(x, 1);
}

CRYPTO static inline uint64x2_t pmull(uint64_t a, uint64_t b)
{
	return vreinterpretq_u64_p128(vmull_p64((poly64_t)a, (poly64_t)b));
}

/* A 256-bit carry-less product as three Karatsuba parts, summed over the
 * blocks of one step: lo = a0*b0, hi = a1*b1, mid = (a0^a1)*(b0^b1). */
struct product {
	uint64x2_t lo, mid, hi;
};

CRYPTO static inline void multiply_add(struct product *p, uint64x2_t a, uint64x2_t b, uint64_t b_halves)
{
	p->lo = veorq_u64(p->lo, pmull(vgetq_lane_u64(a, 0), vgetq_lane_u64(b, 0)));
	p->hi = veorq_u64(p->hi, vreinterpretq_u64_p128(vmull_high_p64(vreinterpretq_p64_u64(a),
									   vreinterpretq_p64_u64(b))));
	p->mid = veorq_u64(p->mid, pmull(fold_halves(a), b_halves));
}

/* The reflected 256-bit value hi:lo modulo g, reflected (see the top). */
CRYPTO static inline uint64x2_t reduce(struct product p)
{
	uint64x2_t mid = veorq_u64(p.mid, veorq_u64(p.lo, p.hi));
	uint64x2_t lo = veorq_u64(p.lo, up64(mid));
	uint64x2_t hi = veorq_u64(p.hi, down64(mid));
	/* Q*(x + x^2 + x^7) beyond x^127: the low bits of Q shifted left by
	 * 127, 126, 121, which only reach the upper 64 bits */
	uint64x2_t over = veorq_u64(vshlq_n_u64(lo, 63), veorq_u64(vshlq_n_u64(lo, 62), vshlq_n_u64(lo, 57)));
	uint64x2_t q = veorq_u64(lo, up64(over));
	/* hi + q*(1 + x + x^2 + x^7): q ^ q>>1 ^ q>>2 ^ q>>7 as 128-bit shifts */
	uint64x2_t carry = veorq_u64(vshlq_n_u64(q, 63), veorq_u64(vshlq_n_u64(q, 62), vshlq_n_u64(q, 57)));
	uint64x2_t shifted = veorq_u64(vshrq_n_u64(q, 1), veorq_u64(vshrq_n_u64(q, 2), vshrq_n_u64(q, 7)));

	return veorq_u64(veorq_u64(hi, q), veorq_u64(shifted, down64(carry)));
}

/* a * b * x, reduced: with b = H^i * x^-1, the product A * H^i. */
CRYPTO static inline uint64x2_t gf_multiply(uint64x2_t a, uint64x2_t b)
{
	struct product p = { vdupq_n_u64(0), vdupq_n_u64(0), vdupq_n_u64(0) };

	multiply_add(&p, a, b, fold_halves(b));
	return reduce(p);
}

/* h * x^-1: shift towards x^0 by one; if x^0 fell off, add x^-1. */
CRYPTO static inline uint64x2_t times_inverse_x(uint64x2_t h)
{
	uint64x2_t x0 = vdupq_laneq_u64(vreinterpretq_u64_s64(vshrq_n_s64(vreinterpretq_s64_u64(h), 63)), 1);
	uint64x2_t shifted = veorq_u64(vshlq_n_u64(h, 1), up64(vshrq_n_u64(h, 63)));
	uint64x2_t inverse_x = vcombine_u64(vcreate_u64(1), vcreate_u64(0xc200000000000000));

	return veorq_u64(shifted, vandq_u64(x0, inverse_x));
}

CRYPTO void aesgcm_hw_init_ghash(struct aesgcm_key *k)
{
	uint64x2_t h = reflect(encrypt(k, vdupq_n_u8(0)));
	uint64x2_t h1 = times_inverse_x(h), power = h;

	for (unsigned int i = 1; i <= AESGCM_WIDE; i++) {
		uint64x2_t stored;

		if (i > 1)
			power = gf_multiply(power, h1);
		stored = times_inverse_x(power);
		vst1q_u8(k->opaque + AESGCM_H_POWERS + 16 * (i - 1), vreinterpretq_u8_u64(stored));
		vst1_u8(k->opaque + AESGCM_H_KARATSUBA + 8 * (i - 1), vcreate_u8(fold_halves(stored)));
	}
}

/* Y = ((Y ^ X1) * H^m) ^ (X2 * H^(m-1)) ^ ... ^ (Xm * H) for m <= 8 blocks:
 * Horner's rule of §6.4 unrolled, with one reduction. */
CRYPTO static inline uint64x2_t ghash_blocks(const struct aesgcm_key *k, uint64x2_t y, const uint8_t *in,
					     unsigned int m)
{
	struct product p = { vdupq_n_u64(0), vdupq_n_u64(0), vdupq_n_u64(0) };

	multiply_add(&p, veorq_u64(y, reflect(vld1q_u8(in))), h_power(k, m), h_karatsuba(k, m));
	for (unsigned int i = 1; i < m; i++)
		multiply_add(&p, reflect(vld1q_u8(in + 16 * i)), h_power(k, m - i), h_karatsuba(k, m - i));
	return reduce(p);
}

CRYPTO void aesgcm_hw_ghash(const struct aesgcm_key *k, uint8_t y[16], const uint8_t *in, size_t n)
{
	uint64x2_t acc = reflect(vld1q_u8(y));

	for (; n >= 16 * AESGCM_WIDE; n -= 16 * AESGCM_WIDE, in += 16 * AESGCM_WIDE)
		acc = ghash_blocks(aesgcm_reload(k), acc, in, AESGCM_WIDE);
	if (n >= 16) {
		acc = ghash_blocks(k, acc, in, (unsigned int)(n / 16));
		in += n & ~(size_t)15;
		n &= 15;
	}
	if (n > 0)
		acc = gf_multiply(veorq_u64(acc, reflect(load_partial(in, n))), h_power(k, 1));
	vst1q_u8(y, unreflect(acc));
}
