/*
 * lookup.c - a path beneath the root, from the cache or the disk.
 *
 * A hit in the cache's current second costs no system call. Otherwise
 * openat2 (beneath.c) and fstat; a cached entry from an earlier second is
 * checked against the fstat (fcache_revalidate), and a small regular file
 * not yet cached is read in (fcache_fill).
 */
#include "lookup.h"
#include "beneath.h"

/* The status for a failed open. */
static int open_error_status(int err)
{
	switch (err) {
	case -EACCES:
	case -EPERM:
		return 403;
	case -EMFILE:
	case -ENFILE:
	case -ENOMEM:
		return 503;
	default:	/* ENOENT, ENOTDIR, ENAMETOOLONG; EXDEV and ELOOP: an escape */
		return 404;
	}
}

void found_close(struct found *f)
{
	if (f->fd >= 0)
		sys_close(f->fd);
	f->fd = -1;
}

/* Open path and fstat it into f. Returns f->kind. */
static enum found_kind open_stat(int root, char *path, struct found *f)
{
	int fd = beneath_open(root, path);

	f->fd = -1;
	if (fd < 0) {
		f->status = open_error_status(fd);
		return f->kind = FOUND_NONE;
	}
	if (sys_fstat(fd, &f->st) < 0) {
		sys_close(fd);
		f->status = 500;
		return f->kind = FOUND_NONE;
	}
	switch (f->st.st_mode & S_IFMT) {
	case S_IFREG:
		f->fd = fd;
		return f->kind = FOUND_FILE;
	case S_IFDIR:
		f->fd = fd;
		return f->kind = FOUND_DIR;
	default:	/* a FIFO, socket or device */
		sys_close(fd);
		f->status = 403;
		return f->kind = FOUND_OTHER;
	}
}

enum found_kind lookup(int root, char *path, size_t n, int64_t now, struct found *f)
{
	struct str name = { path, n };
	int fresh = 0;
	struct fcache_entry *e = fcache_lookup(name, now, &fresh);

	f->e = NULL;
	f->gen = fcache_generation();
	if (e && fresh) {
		f->fd = -1;
		f->e = e;
		return f->kind = FOUND_FILE;
	}
	if (open_stat(root, path, f) != FOUND_FILE)
		return f->kind;
	/* Kept since an earlier second: still the same file? */
	if (e && !fcache_revalidate(e, &f->st, now))
		e = NULL;	/* changed: read it again, below */
	/* Small enough to keep: the next requests need no open at all. */
	if (!e && (uint64_t)f->st.st_size <= FCACHE_FILE_MAX)
		e = fcache_fill(root, name, now);
	if (e) {
		found_close(f);
		f->e = e;
		f->gen = fcache_generation();	/* a fill may have emptied it first */
	}
	return FOUND_FILE;
}

int found_open(int root, char *path, struct found *f)
{
	f->e = NULL;
	if (open_stat(root, path, f) != FOUND_FILE) {
		found_close(f);
		return -1;
	}
	return 0;
}
