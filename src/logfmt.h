/*
 * logfmt.h - what the access log says besides Combined Log Format's
 * fields (log.h): the client a trusted proxy named (--trusted-proxy), and
 * --log-format json, one JSON object a line (RFC 8259):
 *
 *   {"time":"2026-11-22T05:04:03.123456Z","client":"192.0.2.7","method":"GET",
 *    "target":"/a?b","protocol":"HTTP/1.1","status":200,"bytes":340,
 *    "referer":null,"user_agent":"curl/8.5.0","duration_us":87}
 *
 * Absent fields are null. A request refused before it was parsed has
 * method, target and protocol null and one more key, "request": its first
 * line as received. Strings are escaped as RFC 8259 §7 requires: '"' and
 * '\\' with a backslash, control characters (and DEL) as \u00XX; valid
 * UTF-8 passes as it is; each byte that is not part of valid UTF-8
 * (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF)
 * becomes \ufffd, U+FFFD, so every line is valid JSON and valid UTF-8.
 * Fields are cut as in CLF (LOG_*_MAX bytes of input), and also when their
 * escaped text passes 4 times that: a cut string ends in "...".
 *
 * time is when the response ended (as CLF's date); duration_us runs from
 * the moment its request head had been read whole to the moment its last
 * byte was handed to the kernel. Both come from CLOCK_REALTIME, read at
 * most once per turn of the event loop, and only with json (as nginx
 * caches its time per turn): no system call per request.
 */
#ifndef SCRATCHD_LOGFMT_H
#define SCRATCHD_LOGFMT_H

#include "log.h"
#include "net.h"
#include "str.h"

/* --log-format: "clf" (the default) or "json". Returns 0 or -EINVAL. */
int logfmt_set(const char *value);

/* A new turn of the event loop: the clock is to be read again (json only). */
void logfmt_tick(void);

/* The response just noted on p (log_note, log_note_raw) came from client:
 * record it, and the time (for json's duration). Nothing when p is empty
 * (logging is off). */
void log_note_client(struct log_pending *p, const struct net_addr *client);

/* The address r names: its client when one was recorded (*buf holds it),
 * else peer. */
const struct net_addr *log_record_client(const struct log_record *r, const struct net_addr *peer,
					 struct net_addr *buf);

/* With json: append r's line (fields in in[], the client's address, the
 * body bytes sent) to ob and return 1. With clf: 0, nothing appended. */
int logfmt_json_line(struct outbuf *ob, const struct net_addr *client, const char *in,
		     const struct log_record *r, uint64_t bytes);

/* s as a JSON string (quotes included; null when s.p is NULL): at most
 * max_in bytes of it, and at most max_out bytes of escaped text, then
 * "..." inside the quotes. Pure; tested alone. */
void json_string(struct outbuf *ob, struct str s, size_t max_in, size_t max_out);

#endif
