/*
 * mem.c - memcpy, memmove, memset, memcmp: the four functions GCC and clang
 * may call on their own even with -ffreestanding (GCC manual, "Standards";
 * clang's -ffreestanding docs), e.g. to copy or zero a large struct.
 *
 * Built with -fno-tree-loop-distribute-patterns (see Makefile) so gcc does not
 * recognise these loops as memcpy/memset and turn them into calls to
 * themselves. Byte loops, after musl: short, obviously correct, and the hot
 * paths of scratchd do not depend on them.
 */
#include <stddef.h>
#include "mem.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

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
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
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
