/* mem.h - the compiler-required memory functions (see mem.c). */
#ifndef SCRATCHD_MEM_H
#define SCRATCHD_MEM_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
