/*
 * log.h - the access log, Combined Log Format (Apache's "combined"):
 *   HOST - - [22/Nov/2026:05:04:03 +0000] "GET / HTTP/1.1" 200 340 "REFERER" "AGENT"
 * Lines collect in a buffer that is written out when nearly full, once a
 * second, and at exit: no system call per request on a busy server.
 *
 * A line is written when its response is over: sent, or cut short by the
 * client, a timeout or the drain. Its size field is then the number of
 * body bytes the transport took (Apache's %b, nginx's $body_bytes_sent),
 * not the length promised; its date is that moment's (as nginx's). Until
 * then the connection keeps a record of the response (struct log_pending):
 * where its request's fields are in the connection's input buffer, which
 * is not written while the response is pending (server.c).
 */
#ifndef SCRATCHD_LOG_H
#define SCRATCHD_LOG_H

#include <stdint.h>
#include "http.h"
#include "net.h"
#include "str.h"

#define LOG_BUF_SIZE	65536	/* bytes buffered before a write */
#define LOG_LINE_MAX	8192	/* one line, at most: every field is capped (below) so
				 * that even fully escaped (4 bytes a byte) it fits */
#define LOG_METHOD_MAX	32	/* method bytes logged */
#define LOG_TARGET_MAX	1024	/* request-target bytes logged; longer ends "..." */
#define LOG_RAW_MAX	1024	/* bytes of a refused request's line, as received */
#define LOG_FIELD_MAX	256	/* Referer and User-Agent bytes logged */
#define LOG_PENDING_MAX	16	/* responses a connection may have waiting to be
				 * logged: a pipelined batch holds at most this many */
#define CLF_DATE_LEN	28	/* "[22/Nov/2026:05:04:03 +0000]" */

/* The buffer itself is log.c's: a process has one log. */
struct access_log {
	int fd;			/* -1: logging is off */
	size_t len;		/* bytes buffered */
	char date[CLF_DATE_LEN];
};

/* A field of the request, as an offset into the connection's input buffer. */
struct log_field {
	uint16_t off;
	uint16_t len;		/* at most the field's cap + 1 ("..." then shows) */
};

/* One response whose line waits for its end. */
struct log_record {
	struct log_field method, target, referer, agent;	/* len 0 with off 0xffff: absent */
	int8_t minor;		/* HTTP/1.minor, or -1 */
	uint8_t raw;		/* target is the request line as received (refused) */
	uint16_t status;
	uint8_t client_family;	/* 4 or 6: the client is client[] (--trusted-proxy, logfmt.h);
				 * 0: the connection's peer */
	uint8_t client[16];
	uint64_t body_at;	/* where its body starts in the connection's output */
	uint64_t body_len;	/* the body's length, as promised */
	uint64_t start_us;	/* when it was noted, for --log-format json (logfmt.h) */
};

/* A connection's records (all zero: none). */
struct log_pending {
	uint8_t n;
	struct log_record r[LOG_PENDING_MAX];
};

/* Format the Unix time t as a CLF date into log->date. */
void log_set_time(struct access_log *log, int64_t t);

/* 1 when no more responses may be recorded (logging on, and p full). */
int log_pending_full(const struct access_log *log, const struct log_pending *p);

/*
 * Record a response to req (parsed from in, the connection's input
 * buffer; NULL: nothing of it is known, the line shows "-"), answered with
 * status. resp[0..len) is the response as built (its head, and its body
 * when that is in memory too); file_bytes follow it from a file. at: the
 * position of resp[0] in the connection's output (bytes sent before it).
 */
void log_note(struct access_log *log, struct log_pending *p, const char *in,
	      const struct http_request *req, int status, const char *resp, size_t len,
	      uint64_t at, uint64_t file_bytes);

/* The same for a request the server refused: buffered is what was received
 * of it (from its first byte); its first line is logged as it came,
 * escaped, cut at LOG_RAW_MAX bytes with "...". */
void log_note_raw(struct access_log *log, struct log_pending *p, const char *in, struct str buffered,
		  int status, const char *resp, size_t len, uint64_t at, uint64_t file_bytes);

/* The last record's response was replaced by another (an error found while
 * its body was read): record that one instead. */
void log_note_again(struct log_pending *p, int status, const char *resp, size_t len, uint64_t at,
		    uint64_t file_bytes);

/* Move the request fields of the records to the front of in, so that the
 * rest of the buffer may be read into while the response waits (a request
 * body). Returns the bytes they now take: in[0..that) must be kept. */
size_t log_pending_pin(struct log_pending *p, char *in);

/* The responses are over, sent bytes of the connection's output having been
 * taken in all: append their lines, each with the body bytes that went. */
void log_settle(struct access_log *log, struct log_pending *p, const struct net_addr *peer,
		const char *in, uint64_t sent);

/* Write out what is buffered. */
void log_flush(struct access_log *log);

/* Append bytes to ob, escaping any that could forge or garble a log line:
 * CTLs, DEL, '"', '\\' and non-ASCII become \xHH. At most max input bytes;
 * a longer field ends in "...". Pure: used by log_settle, tested alone. */
void log_escape(struct outbuf *ob, struct str s, size_t max);

#endif
