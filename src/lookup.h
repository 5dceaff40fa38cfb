/*
 * lookup.h - what a path beneath the root is: a file kept in the cache, an
 * open file or directory, or an error with the status it answers.
 *
 * The site rules (site.c) ask for candidates one after another (the index,
 * "about.html", "app.js.br", the fallback page) and the response is built
 * from what was found (file.c), so this is the one place that opens files
 * for a request and fills the cache.
 */
#ifndef SCRATCHD_LOOKUP_H
#define SCRATCHD_LOOKUP_H

#include <stddef.h>
#include <stdint.h>
#include "../syscall.h"
#include "fcache.h"

enum found_kind {
	FOUND_NONE,	/* status: 404 (missing, or an escape), 403, 503 or 500 */
	FOUND_FILE,	/* a regular file: e, or fd and st */
	FOUND_DIR,	/* a directory: fd and st */
	FOUND_OTHER,	/* a FIFO, socket or device: never served (403) */
};

struct found {
	enum found_kind kind;
	int status;		/* FOUND_NONE, FOUND_OTHER: the status to answer */
	int fd;			/* -1, or the open file or directory */
	struct fcache_entry *e;	/* FOUND_FILE from the cache (fd -1), or NULL: valid
				 * while fcache_generation() is still gen */
	uint32_t gen;
	struct stat_k st;	/* with fd */
};

/*
 * Look path (normalised, relative to root, NUL-terminated, n bytes) up:
 * from the cache when it holds the file (no system call in the second it
 * was checked), else openat2 and fstat, and a small regular file goes into
 * the cache. now: the Unix second. Returns f->kind.
 */
enum found_kind lookup(int root, char *path, size_t n, int64_t now, struct found *f);

/* For a FOUND_FILE from the cache whose bytes cannot be used (its head is
 * too big to send them behind it): open the file itself. Returns 0, or -1
 * (the file is gone, or is no longer a regular file). */
int found_open(int root, char *path, struct found *f);

/* 1 when f's cache entry may have gone: the cache was emptied since (a
 * later lookup filled it past its arena, or a change came). */
static inline int found_stale(const struct found *f)
{
	return f->e && f->gen != fcache_generation();
}

/* Close what f holds open, if anything. */
void found_close(struct found *f);

#endif
