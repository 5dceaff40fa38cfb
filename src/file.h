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

/* Open DIR as the document root; returns the directory fd or -errno. */
int file_open_root(const char *dir);

/*
 * Answer a GET or HEAD for req from the root directory fd root: write the
 * response head (and a small body, for errors) into ob and, for a file body,
 * set *body. Conditional requests and a single byte Range are honoured.
 * Returns the status (200, 206, 301, 304, 400, 403, 404, 412, 416, ...).
 */
int file_respond(int root, const struct http_request *req, const char *date, int keep_alive,
		 struct outbuf *ob, struct file_body *body);

#endif
