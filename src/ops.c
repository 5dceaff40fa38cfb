/*
 * ops.c - the health and metrics paths (ops.h).
 */
#include "../syscall.h"
#include "metrics.h"
#include "ops.h"
#include "realip.h"
#include "response.h"

static struct str health, metrics;	/* .n == 0: not set */
static int metrics_public;

static int set_path(struct str *where, const char *path)
{
	size_t n = cstr_len(path);

	if (n == 0 || n > OPS_PATH_MAX || path[0] != '/')
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (path[i] <= ' ' || path[i] > '~' || path[i] == '?' || path[i] == '#')
			return -EINVAL;
	*where = (struct str){ path, n };
	return 0;
}

int ops_set_health(const char *path)
{
	return set_path(&health, path);
}

int ops_set_metrics(const char *path)
{
	return set_path(&metrics, path);
}

void ops_metrics_public(void)
{
	metrics_public = 1;
}

const char *ops_check(const char **why)
{
	*why = NULL;
	if (health.n && str_eq(health, metrics))
		*why = "must differ from --health-path";
	else if (metrics_public && !metrics.n)
		*why = "needs --metrics-path";
	return !*why ? NULL : metrics.n ? "--metrics-path" : "--metrics-public";
}

int ops_metrics_on(void)
{
	return metrics.n != 0;
}

int ops_wanted(const struct http_request *req)
{
	if (req->method_id != HTTP_GET && req->method_id != HTTP_HEAD)
		return 0;
	return (health.n && str_eq(req->path, health)) || (metrics.n && str_eq(req->path, metrics));
}

/* 200 with body[0..len) of type type, never cached. */
static void answer(struct outbuf *ob, const char *date, int keep_alive, int head_only, struct str type,
		   const char *body, size_t len)
{
	resp_begin(ob, 200, date);
	resp_header(ob, STR("Content-Type"), type);
	resp_header(ob, STR("Cache-Control"), STR("no-store"));
	resp_end(ob, len, keep_alive);
	if (!head_only)
		ob_put(ob, body, len);
}

int ops_respond(const struct http_request *req, const struct net_addr *client, const char *date,
		int keep_alive, struct outbuf *ob)
{
	int head_only = req->method_id == HTTP_HEAD;

	if (health.n && str_eq(req->path, health)) {
		answer(ob, date, keep_alive, head_only, STR("text/plain; charset=utf-8"), "ok\n", 3);
		return 200;
	}
	/* Counts can tell an outsider how busy the server is and how it
	 * fails: by default only the machine itself and the proxies trusted
	 * with client addresses (a scraper placed there) may read them. */
	if (!metrics_public && !realip_loopback(client) && !realip_trusted(client)) {
		resp_error(ob, 403, date, keep_alive, head_only, STR(""));
		return 403;
	}
	char body[2048];
	size_t len = metrics_format(body, sizeof(body));
	if (len == 0) {		/* cannot happen: the text has a fixed size */
		resp_error(ob, 500, date, keep_alive, head_only, STR(""));
		return 500;
	}
	answer(ob, date, keep_alive, head_only, STR("text/plain; version=0.0.4; charset=utf-8"), body, len);
	return 200;
}
