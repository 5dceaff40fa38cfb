/*
 * http.h - HTTP/1.1 request parsing (RFC 9112), pure and zero-copy.
 *
 * The parser makes no system calls and never allocates: it takes a buffer and
 * fills a struct of slices that point into it (after picohttpparser). It is
 * incremental: call it again with more bytes and the length seen last time,
 * and it only scans the new bytes until the head is complete.
 */
#ifndef SCRATCHD_HTTP_H
#define SCRATCHD_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include "str.h"

/* Bounds, each answered with its own status. */
#define HTTP_MAX_REQUEST_LINE	8192		/* bytes, CRLF included -> 414 */
#define HTTP_MAX_HEAD		16384		/* request line + fields + blank line -> 431 */
#define HTTP_MAX_HEADERS	64		/* field lines -> 431 */
#define HTTP_MAX_BODY		(1u << 20)	/* request content, bytes -> 413 */
#define HTTP_MAX_CHUNK_LINE	256		/* chunk-size line with extensions -> 400 */

enum http_method {
	HTTP_OTHER,		/* a valid token we do not know -> 501 */
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_DELETE,
	HTTP_CONNECT,
	HTTP_OPTIONS,
	HTTP_TRACE,
	HTTP_PATCH,
};

struct http_header {
	struct str name;
	struct str value;	/* leading and trailing whitespace removed */
};

struct http_request {
	struct str method;
	enum http_method method_id;
	struct str target;	/* as sent */
	struct str path;	/* origin-form path ("/..."), still percent-encoded;
				 * empty for "*" and authority-form */
	struct str query;	/* after '?', without it; .p == NULL when there is none */
	int minor;		/* 0 or 1: HTTP/1.minor (1.2 and up count as 1); -1 until parsed */
	int status;		/* on HTTP_BAD: the status to answer */

	struct http_header *hdr; /* caller-owned array */
	size_t nhdr;		/* in: capacity, out: field lines found */

	/* What the fields mean for this message (RFC 9112 §6, §9; RFC 9110 §7.2) */
	struct str host;	/* Host field, or the authority of an absolute-form target */
	uint64_t content_length;
	unsigned has_body : 1;	/* Content-Length > 0 or chunked */
	unsigned chunked : 1;	/* Transfer-Encoding: chunked */
	unsigned keep_alive : 1; /* the connection may carry another request */
	unsigned expect_continue : 1;	/* Expect: 100-continue */
};

enum {
	HTTP_BAD = -1,		/* malformed or refused: answer req->status, close */
	HTTP_PARTIAL = -2,	/* the head is not complete yet: read more */
};

/*
 * Parse one request head from buf[0..len). last_len is len at the previous
 * call for the same request (0 the first time): bytes before it are known to
 * hold no end of head, so only the new ones are scanned until one appears.
 * Leading empty lines are skipped (RFC 9112 §2.2).
 * Returns the head's length in bytes (> 0), HTTP_PARTIAL, or HTTP_BAD with
 * req->status set to 400, 414, 431, 413, 501 or 505. Never reads buf[len].
 */
int http_parse_request(const char *buf, size_t len, size_t last_len, struct http_request *req);

/* The request's field named name (any case), or NULL. */
const struct http_header *http_find_header(const struct http_request *req, struct str name);

/*
 * Incremental chunked-body decoder (RFC 9112 §7.1): feed it the bytes that
 * follow the head, as they arrive. It checks the framing and counts the data;
 * the data itself is left in place (scratchd discards request content).
 */
struct http_chunked {
	int state;
	uint64_t chunk_left;	/* data bytes left in the current chunk */
	uint64_t total;		/* data bytes so far, for HTTP_MAX_BODY */
	size_t line_len;	/* bytes in the current size or trailer line */
	size_t trailer_len;	/* bytes of trailer section so far */
	int hex_digits;
};

enum {
	HTTP_CHUNKED_DONE = 1,	/* the body ended: *used is its last byte + 1 */
	HTTP_CHUNKED_MORE = 0,	/* all of buf belonged to the body: feed more */
	/* HTTP_BAD (-1) with *status: malformed (400) or too large (413) */
};

/* Start decoding a new chunked body. */
void http_chunked_init(struct http_chunked *c);

/* Consume buf[0..len). Returns HTTP_CHUNKED_DONE, HTTP_CHUNKED_MORE or
 * HTTP_BAD; sets *used to the number of bytes that belong to the body. */
int http_chunked_feed(struct http_chunked *c, const char *buf, size_t len, size_t *used,
		      int *status);

/*
 * Percent-decode a path (RFC 3986 §2.1) into out (room for in.n bytes: the
 * result is never longer). Returns the decoded length, or -EINVAL for a bad
 * escape ("%4", "%zz") or an encoded NUL ("%00").
 */
long http_percent_decode(struct str in, char *out);

#endif
