/*
 * mem.c - memcpy, memmove, memset, memcmp: the four functions GCC and clang
 * may call on their own even with -ffreestanding (GCC manual, "Standards";
 * clang's -ffreestanding docs), e.g. to copy or zero a large struct.
 *
 * Built with -fno-tree-loop-distribute-patterns (see Makefile) so gcc does not
 * recognise these loops as memcpy/memset and turn them into calls to
 * themselves. After musl: short and obviously correct. memcpy and memmove
 * move 8 bytes per step: scratchd copies whole cached files (up to 7 KiB)
 * behind their heads, and a byte loop made a 4 KiB file cost more than
 * reading it from the kernel.
 */
#include <stddef.h>
#include <stdint.h>
#include "../syscall.h"
#include "mem.h"

/* An 8-byte word at any address, that may alias anything: loads and stores
 * through it are defined, and the compiler emits byte accesses where the
 * target cannot do unaligned ones. */
typedef uint64_t __attribute__((__may_alias__, __aligned__(1))) any_word;
typedef uint32_t __attribute__((__may_alias__, __aligned__(1))) any_half;

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

#ifdef ARCH_COPY_MIN
	/* Long copies the architecture's way (syscall.h): under perf, a cached
	 * 4 KiB file spent 5 % of the server's CPU in the word loop below. */
	if (n >= ARCH_COPY_MIN) {
		arch_copy(dst, src, n);
		return dst;
	}
#endif
	if (n >= 8) {
		/* words; then, if n is no multiple of 8, the last 8 bytes as one
		 * more word: it rewrites a few bytes with the values they have */
		for (size_t i = 0; i + 8 <= n; i += 8)
			*(any_word *)(d + i) = *(const any_word *)(s + i);
		*(any_word *)(d + n - 8) = *(const any_word *)(s + n - 8);
		return dst;
	}
	if (n >= 4) {	/* 4..7 bytes: two 4-byte moves, overlapping likewise */
		*(any_half *)d = *(const any_half *)s;
		*(any_half *)(d + n - 4) = *(const any_half *)(s + n - 4);
		return dst;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s)
		return dst;
	if (d < s) {	/* forward: each word is read before it is overwritten */
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(any_word *)d = *(const any_word *)s;
		while (n--)
			*d++ = *s++;
	} else {	/* backward, from the end */
		for (; n >= 8; n -= 8)
			*(any_word *)(d + n - 8) = *(const any_word *)(s + n - 8);
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *l = a, *r = b;

	for (; n && *l == *r; n--, l++, r++)
		;
	return n ? *l - *r : 0;
}
