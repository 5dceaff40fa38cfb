/*
 * ct.h - constant-time building blocks for src/crypto/ and src/tls/.
 *
 * The rules (after BearSSL's inner.h and Monocypher):
 *  - No branch, loop bound or memory index may depend on a secret. Secret
 *    choices are made with masks: a "mask" is all ones or all zeros, a
 *    "bit" is 0 or 1, never anything else.
 *  - The optimiser is the adversary: it may turn a mask back into a branch.
 *    ct_barrier*() hides a value from it (an empty asm that "changes" the
 *    register: the compiler can no longer reason about its value).
 *  - Division and remainder (/ and %) never take a secret operand: their
 *    time depends on the value on many CPUs, and valgrind cannot see that.
 *  - Secrets are wiped with ct_wipe() (the compiler may remove a memset of
 *    memory that is not read again; it may not remove volatile stores).
 *  - A secret-derived value that the protocol makes public (an ECDH result
 *    that is all zero, a tag that did not match) is "declassified" before a
 *    branch reads it: ct_declassify() does nothing in the server, and tells
 *    valgrind the value is now defined in the constant-time check (make ct,
 *    tests/ct/), which treats every secret input as undefined memory.
 */
#ifndef SCRATCHD_CT_H
#define SCRATCHD_CT_H

#include <stddef.h>
#include <stdint.h>

#ifndef ct_declassify
#define ct_declassify(p, n) ((void)(p), (void)(n))
#endif

static inline uint32_t ct_barrier32(uint32_t x)
{
	__asm__("" : "+r"(x));
	return x;
}

static inline uint64_t ct_barrier64(uint64_t x)
{
	__asm__("" : "+r"(x));
	return x;
}

/* All ones if bit is 1, zero if bit is 0. */
static inline uint64_t ct_mask64(uint64_t bit)
{
	return -ct_barrier64(bit);
}

static inline uint32_t ct_mask32(uint32_t bit)
{
	return -ct_barrier32(bit);
}

/* 1 if x == 0, else 0. */
static inline uint64_t ct_is_zero64(uint64_t x)
{
	return (~x & (x - 1)) >> 63;
}

static inline uint32_t ct_is_zero32(uint32_t x)
{
	return (~x & (x - 1)) >> 31;
}

/* 1 if a == b, else 0. */
static inline uint64_t ct_eq64(uint64_t a, uint64_t b)
{
	return ct_is_zero64(a ^ b);
}

static inline uint32_t ct_eq32(uint32_t a, uint32_t b)
{
	return ct_is_zero32(a ^ b);
}

/* 1 if a < b (unsigned), else 0: the borrow of a - b. */
static inline uint64_t ct_lt64(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a - b) >> 64) & 1;
}

/* mask ? a : b, for a mask of all ones or zeros. */
static inline uint64_t ct_select64(uint64_t mask, uint64_t a, uint64_t b)
{
	return b ^ (mask & (a ^ b));
}

static inline uint32_t ct_select32(uint32_t mask, uint32_t a, uint32_t b)
{
	return b ^ (mask & (a ^ b));
}

/* dst = src where bit is 1; dst unchanged where it is 0. n bytes. */
static inline void ct_copy_if(uint64_t bit, void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	unsigned char m = (unsigned char)ct_mask64(bit);

	for (size_t i = 0; i < n; i++)
		d[i] ^= m & (d[i] ^ s[i]);
}

/* 1 if a[0..n) == b[0..n), else 0; the time depends on n only. */
static inline uint32_t ct_memeq(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	uint32_t diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= (uint32_t)(x[i] ^ y[i]);
	return ct_is_zero32(ct_barrier32(diff));
}

/* Zero n bytes at p in a way the compiler must keep. */
static inline void ct_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
	__asm__ volatile("" : : "r"(p) : "memory");
}

/* Wipe a variable (an array or a struct) whole. */
#define WIPE(x) ct_wipe(&(x), sizeof(x))

#endif
