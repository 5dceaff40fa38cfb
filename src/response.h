/*
 * response.h - HTTP/1.1 response heads (RFC 9110 §15, RFC 9112 §4).
 *
 * A head is written in three steps into the connection's output buffer:
 *	resp_begin(ob, status, date)		status line, Date, Server
 *	resp_header(ob, name, value) ...	any other fields
 *	resp_end(ob, content_length, keep_alive)	framing, blank line
 * Every step goes through struct outbuf, so nothing is ever truncated
 * silently: check ob->overflow once at the end.
 */
#ifndef SCRATCHD_RESPONSE_H
#define SCRATCHD_RESPONSE_H

#include <stdint.h>
#include "str.h"

#define IMF_DATE_LEN 29		/* "Sun, 06 Nov 1994 08:49:37 GMT" */

/* The reason phrase for status, e.g. "Not Found"; "Unknown" if none. */
struct str resp_reason(int status);

/* A moment as a civil (proleptic Gregorian) date in UTC. */
struct civil {
	int64_t year;
	unsigned month;		/* 1-12 */
	unsigned day;		/* 1-31 */
	unsigned wday;		/* 0 = Sunday */
	unsigned secs;		/* of the day, 0-86399 */
};

/* The civil date of the Unix time t (before 1970 too). */
void civil_from_unix(int64_t t, struct civil *c);

/* Format the Unix time t (seconds, >= 0) as an IMF-fixdate (RFC 9110 §5.6.7)
 * into out[IMF_DATE_LEN]. */
void fmt_imf_date(char *out, int64_t t);

#define RESP_EXTRA_MAX 2048	/* bytes of operator-given header lines (--header) */

/* Add "name: value" to every response (from --header). Returns 0, or -EINVAL
 * when name is not a token or value holds a control byte, -ENOBUFS when the
 * lines would pass RESP_EXTRA_MAX. */
int resp_add_extra_header(struct str name, struct str value);

/* Send "Strict-Transport-Security: max-age=max_age" on responses over TLS
 * (--hsts), from the next resp_set_secure(1) on. */
void resp_set_hsts(uint64_t max_age);

/* Whether the responses built from now on go over TLS (set per request:
 * a worker serves one request at a time). */
void resp_set_secure(int secure);

/* Status line, Date (date: IMF_DATE_LEN bytes), Server, the --header lines,
 * and Strict-Transport-Security over TLS when --hsts is set. */
void resp_begin(struct outbuf *ob, int status, const char *date);

/* One field line "name: value". */
void resp_header(struct outbuf *ob, struct str name, struct str value);

/* keep_alive, wherever a response is built: 0 when the connection closes
 * after it, 1 when it persists, RESP_KEEP_ALIVE_SAID when it persists and
 * the response must say so: an HTTP/1.0 client that asked for keep-alive
 * takes a response without "Connection: keep-alive" as closing (RFC 9112
 * Appendix C.2.2; ApacheBench -k is one such client). */
#define RESP_KEEP_ALIVE_SAID	2

/* The Connection field keep_alive calls for, if any. */
void resp_connection(struct outbuf *ob, int keep_alive);

/* Content-Length, the Connection field (resp_connection), and the blank line. */
void resp_end(struct outbuf *ob, uint64_t content_length, int keep_alive);

#define RESP_ERROR_PATH_MAX 256	/* bytes of the path asked for shown on an error page */

/* A whole error response: head plus a small HTML page (no body when
 * head_only) in the look of the listings and the landing page: the status,
 * one sentence, the path asked for (HTML-escaped, at most
 * RESP_ERROR_PATH_MAX bytes, then an ellipsis; none when path.p is NULL)
 * and a link to "/". extra: field lines for the head ("Allow: ...\r\n"),
 * or empty. */
void resp_error_page(struct outbuf *ob, int status, const char *date, int keep_alive, int head_only,
		     struct str extra, struct str path);

/* The same page without a path; allow: an Allow value for 405, or empty. */
void resp_error(struct outbuf *ob, int status, const char *date, int keep_alive, int head_only,
		struct str allow);

#endif
