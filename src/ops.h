/*
 * ops.h - the paths that answer for the server rather than the document
 * root: --health-path (a 200 for HEALTHCHECKs and probes) and
 * --metrics-path (metrics.h, in Prometheus's text format).
 *
 * Both answer GET and HEAD only (other methods go on to the usual 405/501),
 * on every listener (the --redirect-http one too: a health check over
 * plain HTTP must not get a 308), before the document root is looked at:
 * the health path answers even when the root is unreadable. Each request
 * is logged as any other. The metrics path answers only clients whose
 * address (after --trusted-proxy) is loopback or in a --trusted-proxy
 * range, 403 to others, unless --metrics-public.
 */
#ifndef SCRATCHD_OPS_H
#define SCRATCHD_OPS_H

#include "http.h"
#include "net.h"
#include "str.h"

#define OPS_PATH_MAX	256	/* bytes of --health-path / --metrics-path */

/* --health-path, --metrics-path: "/" then printable ASCII, no '?', '#' or
 * space, at most OPS_PATH_MAX bytes. Returns 0 or -EINVAL. */
int ops_set_health(const char *path);
int ops_set_metrics(const char *path);

/* --metrics-public: anyone may read the metrics. */
void ops_metrics_public(void);

/* After the options: NULL, or the option that does not go with the
 * others, and *why. */
const char *ops_check(const char **why);

/* 1 when --metrics-path is set. */
int ops_metrics_on(void);

/* 1 when req is a GET or HEAD of one of the paths. */
int ops_wanted(const struct http_request *req);

/* Answer such a request into ob (the status line on): 200, or 403 for
 * the metrics to a client that may not see them. Returns the status. */
int ops_respond(const struct http_request *req, const struct net_addr *client, const char *date,
		int keep_alive, struct outbuf *ob);

#endif
