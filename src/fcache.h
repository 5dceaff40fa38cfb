/*
 * fcache.h - the file cache: small files' bytes and validators, kept in
 * memory for as long as inotify(7) reports no change to them.
 *
 * A request for a cached file then costs no file system call at all. Each
 * worker has its own cache; every bound below is fixed at build time.
 */
#ifndef SCRATCHD_FCACHE_H
#define SCRATCHD_FCACHE_H

#include <stdint.h>
#include "cond.h"
#include "response.h"
#include "str.h"

#define FCACHE_SLOTS	256		/* hash slots, direct-mapped by path */
#define FCACHE_NAME_MAX	160		/* longer paths are not cached */
#define FCACHE_FILE_MAX	7168		/* larger files are not cached: 1 KiB of the
					 * 8 KiB response buffer is left for the head */
#define FCACHE_ARENA	(1024 * 1024)	/* bytes for all entries and their data */
#define FCACHE_WATCH_MAX 1024		/* watches before the set is renewed */

/* An entry, in the arena, followed by its name and the file's bytes. */
struct fcache_entry {
	uint32_t hash;
	uint8_t etag_len;
	uint8_t name_len;
	uint8_t variants;		/* the precompressed siblings found (1 << enum coding) */
	uint8_t variants_known;		/* ... and whether they were looked for since it was
					 * read or last checked (site.c) */
	int64_t loaded;			/* Unix second it was read or checked */
	uint64_t size;
	uint64_t ino;
	int64_t mtime, mtime_nsec;	/* the file's, to tell a change */
	int64_t lm_time;		/* Last-Modified: last_modified() when read */
	const char *name;		/* name_len bytes, not NUL-terminated */
	const char *data;		/* size bytes */
	struct str type;		/* Content-Type, from mime.c */
	char etag[ETAG_MAX];
	char lm[IMF_DATE_LEN];		/* Last-Modified */
};

/*
 * Start the cache: an inotify instance registered in epfd with data tag.
 * On failure (-errno) the server goes on without the cache. Call after
 * fchdir(2) to the document root: watches are added by relative paths.
 */
int fcache_init(int epfd, uint64_t tag);

/* How many times the cache was emptied: an entry found before the number
 * changed is gone (its memory holds another), so look it up again. */
uint32_t fcache_generation(void);

/* The inotify fd reported readable: any change at all empties the cache. */
void fcache_changed(void);

/* The entry for path (normalised, relative to the root), or NULL. *fresh:
 * 1 when it was read or checked during the second now; an older one must
 * pass fcache_revalidate() before it is used. */
struct fcache_entry *fcache_lookup(struct str path, int64_t now, int *fresh);

/* st: fstat(2) of the file the path opens now. If it is still the file e
 * holds (inode, size, mtime to the nanosecond), e is good for the second now:
 * returns 1. Otherwise 0, and e must be read again (fcache_fill). */
int fcache_revalidate(struct fcache_entry *e, const struct stat_k *st, int64_t now);

/*
 * Read path (NUL-terminated, path.n bytes) into the cache, after watching
 * every directory on the way and the file itself. The open refuses symlinks
 * (RESOLVE_NO_SYMLINKS): a symlink's target may change unseen. Returns the
 * entry, or NULL when the file cannot be cached (the caller serves it
 * from its own fd). Directories are watched for new names too (IN_CREATE):
 * a precompressed sibling created later empties the cache.
 */
struct fcache_entry *fcache_fill(int root, struct str path, int64_t now);

/* The files held now (--metrics-path's gauge, read once a second). */
unsigned fcache_entries(void);

#endif
