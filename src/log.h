/*
 * log.h - the access log, Combined Log Format (Apache's "combined"):
 *   HOST - - [22/Nov/2026:05:04:03 +0000] "GET / HTTP/1.1" 200 340 "REFERER" "AGENT"
 * Lines collect in a buffer that is written out when nearly full, once a
 * second, and at exit: no system call per request on a busy server.
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
#define LOG_TARGET_MAX	1024	/* request-target bytes logged; longer ends "..." */
#define LOG_FIELD_MAX	256	/* Referer and User-Agent bytes logged */
#define CLF_DATE_LEN	28	/* "[22/Nov/2026:05:04:03 +0000]" */

/* The buffer itself is log.c's: a process has one log. */
struct access_log {
	int fd;			/* -1: logging is off */
	size_t len;		/* bytes buffered */
	char date[CLF_DATE_LEN];
};

/* Format the Unix time t as a CLF date into log->date. */
void log_set_time(struct access_log *log, int64_t t);

/* Append one line for req (may be NULL when it could not be parsed: the line
 * then shows "-"), answered with status. resp[0..len) is the response as
 * built in memory (its head, and its body when that is in memory too);
 * file_bytes follow it from a file. The line reports the body's bytes. */
void log_request(struct access_log *log, const struct net_addr *peer, const struct http_request *req,
		 int status, const char *resp, size_t len, uint64_t file_bytes);

/* Write out what is buffered. */
void log_flush(struct access_log *log);

/* Append bytes to ob, escaping any that could forge or garble a log line:
 * CTLs, DEL, '"', '\\' and non-ASCII become \xHH. At most max input bytes;
 * a longer field ends in "...". Pure: used by log_request, tested alone. */
void log_escape(struct outbuf *ob, struct str s, size_t max);

#endif
