/*
 * check.h - `scratchd --check URL`: a health check for an image that has
 * no shell and no curl (Docker's HEALTHCHECK, a Kubernetes exec probe).
 *
 * It fetches an http:// URL whose host is an IPv4 literal, a bracketed
 * IPv6 literal or "localhost" (127.0.0.1): no DNS, no TLS. The whole
 * exchange (connect, request, status line) has CHECK_TIMEOUT_MS; exit
 * status 0 for a 2xx status, 1 for anything else (refused, timed out, not
 * 2xx, not HTTP, a URL it cannot use: Docker reserves 2), with one line on
 * stderr saying why. Nothing listens, nothing else runs.
 */
#ifndef SCRATCHD_CHECK_H
#define SCRATCHD_CHECK_H

#include <stddef.h>
#include "net.h"

#define CHECK_TIMEOUT_MS 3000
#define CHECK_URL_MAX	2048	/* bytes of a URL */

/* A URL taken apart: the address to connect to, the target and the Host
 * field to send. */
struct check_url {
	struct net_addr addr;
	const char *target;	/* "/..." (with the query), no fragment */
	size_t target_len;
	const char *host;	/* the authority as written ("127.0.0.1:8080") */
	size_t host_len;
};

/* Parse url. Returns 0, or -1 with *why set. Pure. */
int check_parse_url(const char *url, struct check_url *out, const char **why);

/* The status code of a response's start, buf[0..len) (its first line must
 * be whole: "HTTP/1.x NNN ..."), or -1 when it is not an HTTP/1 status
 * line, 0 when more bytes are needed. Pure. */
int check_status(const char *buf, size_t len);

/* Run the check; returns the exit status. */
int check_run(const char *url);

#endif
