/*
 * beneath.h - opening and reading files beneath the document root.
 *
 * The one place that turns a relative path into an open descriptor. Both
 * the file layer (file.c, lookup.c, listing.c) and the file cache (fcache.c)
 * open through here, so neither needs the other to reach the disk.
 */
#ifndef SCRATCHD_BENEATH_H
#define SCRATCHD_BENEATH_H

#include <stdint.h>
#include "../syscall.h"

/* How every file is opened: read-only, never as a controlling terminal, and
 * without waiting (a FIFO would block an O_RDONLY open until a writer came).
 * The walk (no openat2) adds O_NOFOLLOW; seccomp pins these flags. */
#define FILE_OPEN_FLAGS	(O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)

/* Open DIR as the document root; returns the directory fd or -errno.
 * Also learns whether the kernel has openat2(2): see beneath_walk_mode(). */
int beneath_open_root(const char *dir);

/* 1 when openat2 is missing (ENOSYS) and names are resolved by the
 * component-by-component walk (O_NOFOLLOW: symlinks are not served). */
int beneath_walk_mode(void);

/* Open path (relative to root, NUL-terminated; the walk writes NULs into
 * it for a moment) so that nothing can resolve outside root: openat2 with
 * RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS, or the O_NOFOLLOW walk. Returns
 * an fd or -errno (EXDEV or ELOOP for an escape). */
int beneath_open(int root, char *path);

/* The same, refusing any symlink on the way (RESOLVE_NO_SYMLINKS): for the
 * file cache, whose watches would not see a link's target change. openat2
 * only (the cache is off in walk mode). */
int beneath_open_no_symlinks(int root, const char *path);

/* Read n bytes of fd into dst. Returns 0, or -1 if the file ended first or
 * read failed (the file changed under us). */
int read_full(int fd, char *dst, uint64_t n);

#endif
