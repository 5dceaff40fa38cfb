/* mem.h - the compiler-required memory functions (see mem.c), and where
 * things go in memory: large and scratch buffers, the loop's state, rarely
 * run code (the attributes below; linker.ld places the sections). */
#ifndef SCRATCHD_MEM_H
#define SCRATCHD_MEM_H

#include <stddef.h>

/* A large static buffer, most of which stays untouched (a page counts in the
 * resident set only once written). linker.ld puts these after every other
 * variable, so the small ones that each request touches share one page with
 * .data instead of being scattered between the big ones. ".bss." makes the
 * compilers emit it as zero-filled (NOBITS); '~' cannot start a C name, so
 * the linker tells these sections from those -fdata-sections makes. */
#define LARGE_BUFFER __attribute__((section(".bss.~large")))

/* A large static buffer that holds nothing between requests (a response
 * being built, a decoded path, a listing being made, log lines already
 * written out). linker.ld gathers these on whole pages of their own,
 * between scratch_start and scratch_end, so that a server with no
 * connection can give their pages back in one madvise (server.c). */
#define SCRATCH_BUFFER __attribute__((section(".bss.~scratch"), aligned(4096)))
extern char scratch_start[], scratch_end[];

/* The code only start-up runs, on whole pages of its own (linker.ld): a
 * worker gives its pages back once serving starts (src/server.c). Empty in
 * build/hello. */
extern char startup_text_start[], startup_text_end[];

/* The code of features an option turns on or a rare request needs, in a
 * code segment of its own (linker.ld): the idle tick gives its pages back
 * (src/server.c). Empty in build/hello. */
extern char rare_text_start[], rare_text_end[];

/* The one variable that follows the small ones on their page: the event
 * loop's state (server.c), whose first part every turn touches. */
#define AFTER_SMALL_VARIABLES __attribute__((section(".bss.~last")))

/* A function that runs rarely (once a second, once per file, for a request
 * body) in a file otherwise built for speed: the compiler builds it for
 * size, and calls to it count as unlikely branches. The text stays small
 * enough for a quiet server to map 12 pages of it, not 13 (idle RSS). */
#define COLD __attribute__((cold))

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
