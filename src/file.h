/* file.h - serving files from the document root. */
#ifndef SCRATCHD_FILE_H
#define SCRATCHD_FILE_H

#include <stdint.h>
#include "http.h"
#include "str.h"

/* A response body that comes from a file, sent with sendfile(2). */
struct file_body {
	int fd;			/* -1: none */
	uint64_t off;		/* next byte to send */
	uint64_t end;		/* one past the last byte to send */
};

#define FILE_INDEX_MAX 255	/* bytes in an --index name */

/* How every file is opened: read-only, never as a controlling terminal, and
 * without waiting (a FIFO would block an O_RDONLY open until a writer came).
 * The walk (no openat2) adds O_NOFOLLOW; seccomp pins these flags. */
#define FILE_OPEN_FLAGS	(O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)

/* Read n bytes of fd into dst. Returns 0, or -1 if the file ended first or
 * read failed (the file changed under us). */
int file_read_full(int fd, char *dst, uint64_t n);

/* Open DIR as the document root; returns the directory fd or -errno.
 * Also learns whether the kernel has openat2(2): see file_walk_mode(). */
int file_open_root(const char *dir);

/* 1 when openat2 is missing (ENOSYS) and names are resolved by the
 * component-by-component walk (O_NOFOLLOW: symlinks are not served). */
int file_walk_mode(void);

/* The name served for a directory URL (default "index.html"), and whether a
 * directory without it is listed (else 403). Returns -EINVAL for a bad name. */
int file_set_index(const char *name, int listing);

/*
 * Answer a GET or HEAD for req from the root directory fd root: write the
 * response head (and a small body, for errors) into ob and, for a file body,
 * set *body. Conditional requests and a single byte Range are honoured.
 * date: the Date value (IMF_DATE_LEN bytes); now: the same time in seconds.
 * Returns the status (200, 206, 301, 304, 400, 403, 404, 412, 416, ...).
 */
int file_respond(int root, const struct http_request *req, const char *date, int64_t now,
		 int keep_alive, struct outbuf *ob, struct file_body *body);

#endif
