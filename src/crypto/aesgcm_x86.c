/*
 * aesgcm_x86.c - the AES-GCM backend for x86-64 (aesgcm_backend.h): the
 * AES rounds of FIPS 197 §5.1 in AESENC/AESENCLAST, SubWord (§5.2) in
 * AESKEYGENASSIST, and GHASH (NIST SP 800-38D §6.3-6.4) in PCLMULQDQ,
 * eight blocks at a time: eight counter blocks go through each round
 * together, and eight GHASH blocks are multiplied by H^8..H^1 and summed
 * before one reduction.
 *
 * GHASH form: a block is held with its 16 bytes reversed, so bit 127 of
 * the register is x^0 and bit 0 is x^127 ("reflected"). For such A and B
 * the carry-less product is the reflected A*B*x as a 256-bit value, so
 * each power H^i is stored as H^i * x^-1 (times x^-1 is a left shift by one
 * and, if x^0 fell off, an XOR of x^-1 = x^127 + x^6 + x + 1, i.e.
 * 0xc2000000...01), which leaves the product A * H^i to reduce. Reduction
 * mod g = x^128 + x^7 + x^2 + x + 1: the low 128 bits hold the terms of
 * degree 128..255 (Q, reflected); x^128 * Q = Q * (1 + x + x^2 + x^7),
 * whose part beyond x^127 is folded a second time.
 *
 * Constant time: keys and data only meet these instructions and vector
 * XORs, shifts and byte shuffles; no table, and branches and loop bounds
 * depend on lengths and the key size only. Wiped: the partial-block
 * buffers (the last block's keystream passes through one); keystream,
 * round keys and powers of H otherwise stay in registers (see aesgcm_reload()).
 *
 * The file is built for baseline x86-64: each function that runs AES-NI,
 * PCLMULQDQ or SSSE3 (PSHUFB) carries TARGET, and aesgcm.c calls them
 * only after aesgcm_hw_detect() found all three.
 */
#include <cpuid.h>
#include <immintrin.h>
#include "aesgcm_backend.h"
#include "ct.h"

#define TARGET __attribute__((target("aes,pclmul,ssse3")))

int aesgcm_hw_detect(unsigned long hwcap)
{
	const unsigned int need = bit_AES | bit_PCLMUL | bit_SSSE3;	/* CPUID.1:ECX bits 25, 1, 9 */
	unsigned int eax, ebx, ecx, edx;

	(void)hwcap;
	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
		return 0;
	return (ecx & need) == need;
}

TARGET static inline __m128i load(const uint8_t *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

TARGET static inline void store(uint8_t *p, __m128i x)
{
	_mm_storeu_si128((__m128i *)p, x);
}

/* The PSHUFB mask that reverses the 16 bytes. */
TARGET static inline __m128i reverse_mask(void)
{
	return _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}

/* The n < 16 bytes at p, zero-padded to a block. Byte loops rather than
 * memcpy: a call would make the compiler save live vector registers on
 * the stack. */
TARGET static inline __attribute__((always_inline)) __m128i load_partial(const uint8_t *p, size_t n)
{
	uint8_t b[16];
	__m128i x;

	for (size_t i = 0; i < 16; i++)
		b[i] = i < n ? p[i] : 0;
	x = load(b);
	WIPE(b);
	return x;
}

TARGET static inline __attribute__((always_inline)) void store_partial(uint8_t *p, size_t n, __m128i x)
{
	uint8_t b[16];

	store(b, x);
	for (size_t i = 0; i < n; i++)
		p[i] = b[i];
	WIPE(b);
}

TARGET static inline __m128i round_key(const struct aesgcm_key *k, unsigned int i)
{
	return _mm_load_si128((const __m128i *)(k->opaque + AESGCM_ROUND_KEYS + 16 * i));
}

TARGET static inline __m128i encrypt(const struct aesgcm_key *k, __m128i b)
{
	b = _mm_xor_si128(b, round_key(k, 0));
	for (unsigned int r = 1; r < k->rounds; r++)
		b = _mm_aesenc_si128(b, round_key(k, r));
	return _mm_aesenclast_si128(b, round_key(k, k->rounds));
}

/* Eight blocks through each round together: AESENC's latency is hidden
 * behind the other seven. */
TARGET static inline void encrypt_wide(const struct aesgcm_key *k, __m128i b[AESGCM_WIDE])
{
	__m128i rk = round_key(k, 0);

#pragma GCC unroll 8
	for (int i = 0; i < AESGCM_WIDE; i++)
		b[i] = _mm_xor_si128(b[i], rk);
	for (unsigned int r = 1; r < k->rounds; r++) {
		rk = round_key(k, r);
#pragma GCC unroll 8
		for (int i = 0; i < AESGCM_WIDE; i++)
			b[i] = _mm_aesenc_si128(b[i], rk);
	}
	rk = round_key(k, k->rounds);
#pragma GCC unroll 8
	for (int i = 0; i < AESGCM_WIDE; i++)
		b[i] = _mm_aesenclast_si128(b[i], rk);
}

/* AESKEYGENASSIST puts SubWord of dword 1 in dword 0. */
TARGET uint32_t aesgcm_hw_sub_word(uint32_t w)
{
	__m128i x = _mm_set_epi32(0, 0, (int)w, 0);

	return (uint32_t)_mm_cvtsi128_si32(_mm_aeskeygenassist_si128(x, 0));
}

TARGET void aesgcm_hw_encrypt_block(const struct aesgcm_key *k, uint8_t out[16], const uint8_t in[16])
{
	store(out, encrypt(k, load(in)));
}

TARGET void aesgcm_hw_ctr32(const struct aesgcm_key *k, uint8_t *out, const uint8_t *in, size_t n,
			    const uint8_t cb[16])
{
	const __m128i rev = reverse_mask(), one = _mm_set_epi32(0, 0, 0, 1);
	/* reversed, the counter block's last 32 bits are dword 0: inc32 is a
	 * 32-bit add there, wrapping mod 2^32 as §6.2 says */
	__m128i ctr = _mm_shuffle_epi8(load(cb), rev), b[AESGCM_WIDE];

	for (; n >= 16 * AESGCM_WIDE; n -= 16 * AESGCM_WIDE, in += 16 * AESGCM_WIDE, out += 16 * AESGCM_WIDE) {
#pragma GCC unroll 8
		for (int i = 0; i < AESGCM_WIDE; i++) {
			b[i] = _mm_shuffle_epi8(ctr, rev);
			ctr = _mm_add_epi32(ctr, one);
		}
		encrypt_wide(aesgcm_reload(k), b);
#pragma GCC unroll 8
		for (int i = 0; i < AESGCM_WIDE; i++)
			store(out + 16 * i, _mm_xor_si128(load(in + 16 * i), b[i]));
	}
	for (; n >= 16; n -= 16, in += 16, out += 16) {
		store(out, _mm_xor_si128(load(in), encrypt(k, _mm_shuffle_epi8(ctr, rev))));
		ctr = _mm_add_epi32(ctr, one);
	}
	if (n > 0)
		store_partial(out, n, _mm_xor_si128(load_partial(in, n), encrypt(k, _mm_shuffle_epi8(ctr, rev))));
}

/* ---- GHASH ---- */

TARGET static inline __m128i h_power(const struct aesgcm_key *k, unsigned int i)
{
	return _mm_load_si128((const __m128i *)(k->opaque + AESGCM_H_POWERS + 16 * (i - 1)));
}

TARGET static inline __m128i h_karatsuba(const struct aesgcm_key *k, unsigned int i)
{
	return _mm_loadl_epi64((const __m128i *)(k->opaque + AESGCM_H_KARATSUBA + 8 * (i - 1)));
}

/* The XOR of the two 64-bit halves, in the low half. */
TARGET static inline __m128i fold_halves(__m128i x)
{
	return _mm_xor_si128(x, _mm_shuffle_epi32(x, 0x4e));
}

/* A 256-bit carry-less product as three Karatsuba parts, summed over the
 * blocks of one step: lo = a0*b0, hi = a1*b1, mid = (a0^a1)*(b0^b1). */
struct product {
	__m128i lo, mid, hi;
};

TARGET static inline void multiply_add(struct product *p, __m128i a, __m128i b, __m128i b_halves)
{
	p->lo = _mm_xor_si128(p->lo, _mm_clmulepi64_si128(a, b, 0x00));
	p->hi = _mm_xor_si128(p->hi, _mm_clmulepi64_si128(a, b, 0x11));
	p->mid = _mm_xor_si128(p->mid, _mm_clmulepi64_si128(fold_halves(a), b_halves, 0x00));
}

/* The reflected 256-bit value hi:lo modulo g, reflected (see the top). */
TARGET static inline __m128i reduce(struct product p)
{
	__m128i mid = _mm_xor_si128(p.mid, _mm_xor_si128(p.lo, p.hi));
	__m128i lo = _mm_xor_si128(p.lo, _mm_slli_si128(mid, 8));
	__m128i hi = _mm_xor_si128(p.hi, _mm_srli_si128(mid, 8));
	/* Q*(x + x^2 + x^7) beyond x^127: the low bits of Q shifted left by
	 * 127, 126, 121, which only reach the upper 64 bits */
	__m128i over = _mm_xor_si128(_mm_slli_epi64(lo, 63), _mm_xor_si128(_mm_slli_epi64(lo, 62),
									    _mm_slli_epi64(lo, 57)));
	__m128i q = _mm_xor_si128(lo, _mm_slli_si128(over, 8));
	/* hi + q*(1 + x + x^2 + x^7): q ^ q>>1 ^ q>>2 ^ q>>7 as 128-bit shifts */
	__m128i carry = _mm_xor_si128(_mm_slli_epi64(q, 63), _mm_xor_si128(_mm_slli_epi64(q, 62),
									     _mm_slli_epi64(q, 57)));
	__m128i shifted = _mm_xor_si128(_mm_srli_epi64(q, 1), _mm_xor_si128(_mm_srli_epi64(q, 2),
									      _mm_srli_epi64(q, 7)));

	return _mm_xor_si128(_mm_xor_si128(hi, q), _mm_xor_si128(shifted, _mm_srli_si128(carry, 8)));
}

/* a * b * x, reduced: with b = H^i * x^-1, the product A * H^i. */
TARGET static inline __m128i gf_multiply(__m128i a, __m128i b)
{
	struct product p = { _mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128() };

	multiply_add(&p, a, b, fold_halves(b));
	return reduce(p);
}

/* h * x^-1: shift towards x^0 by one; if x^0 fell off, add x^-1. */
TARGET static inline __m128i times_inverse_x(__m128i h)
{
	__m128i x0 = _mm_shuffle_epi32(_mm_srai_epi32(h, 31), 0xff);	/* bit 127, everywhere */
	__m128i shifted = _mm_xor_si128(_mm_slli_epi64(h, 1), _mm_slli_si128(_mm_srli_epi64(h, 63), 8));

	return _mm_xor_si128(shifted, _mm_and_si128(x0, _mm_set_epi32((int)0xc2000000, 0, 0, 1)));
}

TARGET void aesgcm_hw_init_ghash(struct aesgcm_key *k)
{
	__m128i h = _mm_shuffle_epi8(encrypt(k, _mm_setzero_si128()), reverse_mask());
	__m128i h1 = times_inverse_x(h), power = h;

	for (unsigned int i = 1; i <= AESGCM_WIDE; i++) {
		__m128i stored;

		if (i > 1)
			power = gf_multiply(power, h1);
		stored = times_inverse_x(power);
		_mm_store_si128((__m128i *)(k->opaque + AESGCM_H_POWERS + 16 * (i - 1)), stored);
		_mm_storel_epi64((__m128i *)(k->opaque + AESGCM_H_KARATSUBA + 8 * (i - 1)), fold_halves(stored));
	}
}

/* Y = ((Y ^ X1) * H^m) ^ (X2 * H^(m-1)) ^ ... ^ (Xm * H) for m <= 8 blocks:
 * Horner's rule of §6.4 unrolled, with one reduction. */
TARGET static inline __m128i ghash_blocks(const struct aesgcm_key *k, __m128i y, const uint8_t *in,
					  unsigned int m)
{
	const __m128i rev = reverse_mask();
	struct product p = { _mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128() };

	multiply_add(&p, _mm_xor_si128(y, _mm_shuffle_epi8(load(in), rev)), h_power(k, m), h_karatsuba(k, m));
	for (unsigned int i = 1; i < m; i++)
		multiply_add(&p, _mm_shuffle_epi8(load(in + 16 * i), rev), h_power(k, m - i),
			     h_karatsuba(k, m - i));
	return reduce(p);
}

TARGET void aesgcm_hw_ghash(const struct aesgcm_key *k, uint8_t y[16], const uint8_t *in, size_t n)
{
	const __m128i rev = reverse_mask();
	__m128i acc = _mm_shuffle_epi8(load(y), rev);

	for (; n >= 16 * AESGCM_WIDE; n -= 16 * AESGCM_WIDE, in += 16 * AESGCM_WIDE)
		acc = ghash_blocks(aesgcm_reload(k), acc, in, AESGCM_WIDE);
	if (n >= 16) {
		acc = ghash_blocks(k, acc, in, (unsigned int)(n / 16));
		in += n & ~(size_t)15;
		n &= 15;
	}
	if (n > 0) {
		__m128i x = _mm_shuffle_epi8(load_partial(in, n), rev);

		acc = gf_multiply(_mm_xor_si128(acc, x), h_power(k, 1));
	}
	store(y, _mm_shuffle_epi8(acc, rev));
}
