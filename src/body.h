/*
 * body.h - a response body sent from a file: one range of it with
 * sendfile, or several as multipart/byteranges (RFC 9110 §14.6), each
 * part a small header written between sendfiles.
 */
#ifndef SCRATCHD_BODY_H
#define SCRATCHD_BODY_H

#include <stdint.h>
#include "cond.h"
#include "str.h"
#include "transport.h"

/* A part's header: CRLF "--" boundary CRLF, Content-Type, Content-Range,
 * CRLF CRLF. The type is held to BODY_TYPE_MAX bytes for it to fit. */
#define BODY_TYPE_MAX		160
#define BODY_PART_HEAD_MAX	(BODY_TYPE_MAX + 160)

struct file_body {
	int fd;			/* -1: none */
	uint64_t off;		/* next byte to send */
	uint64_t end;		/* one past the last byte to send */
	/* multipart/byteranges: parts > 0 */
	uint8_t parts;		/* how many */
	uint8_t part;		/* the one being sent; parts: the closing boundary */
	uint8_t in_head;	/* its header is being written */
	uint16_t head_off;	/* bytes of that header taken */
	uint64_t size;		/* the file's length, for Content-Range */
	uint64_t boundary;	/* the boundary's number (body_boundary) */
	struct str type;	/* the file's Content-Type (static storage) */
	struct byte_range range[RANGE_MAX];
};

/* Write part k's header (k == parts: the closing delimiter) into out
 * [BODY_PART_HEAD_MAX]; returns its length. Pure. */
size_t body_part_head(const struct file_body *b, unsigned k, char *out);

/* The boundary string for number v: "scratchd-" and 16 hex digits, into
 * out[25]; returns 25. Pure. */
#define BODY_BOUNDARY_LEN 25
size_t body_boundary(uint64_t v, char *out);

/* The whole length of a multipart body: every part's header and bytes and
 * the closing delimiter. Pure. */
uint64_t body_multipart_length(const struct file_body *b);

/* The bytes b will send in all, from its start (the access log's promise). */
uint64_t body_length(const struct file_body *b);

/*
 * Send what is left of b through io: 1 when all of it has gone (b->fd is
 * then closed and -1), 0 when the socket is full, or -errno. *sent grows by
 * every byte the transport took (the access log's count).
 */
long body_send(struct file_body *b, struct conn_io *io, uint64_t *sent);

#endif
