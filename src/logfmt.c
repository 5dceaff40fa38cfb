/*
 * logfmt.c - the client of a log line, and JSON lines (logfmt.h).
 */
#include "../syscall.h"
#include "logfmt.h"
#include "mem.h"
#include "response.h"

#define ABSENT 0xffff	/* a log_field's off when the field is absent (log.h) */

static int json;
static int clock_stale = 1;
static uint64_t clock_us;

int logfmt_set(const char *value)
{
	if (cstr_eq(value, "clf"))
		json = 0;
	else if (cstr_eq(value, "json"))
		json = 1;
	else
		return -EINVAL;
	return 0;
}

void logfmt_tick(void)
{
	clock_stale = 1;
}

/* Microseconds since 1970, as of this turn of the loop. */
static uint64_t now_us(void)
{
	struct timespec_k ts;

	if (clock_stale && sys_clock_gettime(CLOCK_REALTIME, &ts) == 0) {
		clock_us = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
		clock_stale = 0;
	}
	return clock_us;
}

void log_note_client(struct log_pending *p, const struct net_addr *client)
{
	if (p->n == 0)
		return;
	struct log_record *r = &p->r[p->n - 1];
	if (client->sa.family == AF_INET) {
		r->client_family = 4;
		memcpy(r->client, &client->sa.v4.sin_addr, 4);
	} else {
		r->client_family = 6;
		memcpy(r->client, client->sa.v6.sin6_addr, 16);
	}
	r->start_us = json ? now_us() : 0;
}

const struct net_addr *log_record_client(const struct log_record *r, const struct net_addr *peer,
					 struct net_addr *buf)
{
	if (!r->client_family)
		return peer;
	memset(buf, 0, sizeof(*buf));
	if (r->client_family == 4) {
		buf->sa.v4.sin_family = AF_INET;
		memcpy(&buf->sa.v4.sin_addr, r->client, 4);
		buf->len = sizeof(buf->sa.v4);
	} else {
		buf->sa.v6.sin6_family = AF_INET6;
		memcpy(buf->sa.v6.sin6_addr, r->client, 16);
		buf->len = sizeof(buf->sa.v6);
	}
	return buf;
}

/* The length of the valid UTF-8 sequence (RFC 3629 §4) at p[0..n), or 0. */
static size_t utf8_seq_len(const uint8_t *p, size_t n)
{
	uint8_t c = p[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* not overlong */
		if (c == 0xed)
			hi = 0x9f;	/* not a surrogate */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;	/* not overlong */
		if (c == 0xf4)
			hi = 0x8f;	/* not past U+10FFFF */
	} else {
		return 0;
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

void json_string(struct outbuf *ob, struct str s, size_t max_in, size_t max_out)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)s.p;
	size_t n = s.n < max_in ? s.n : max_in, start;
	int cut = s.n > max_in;

	if (!s.p) {
		OB_LIT(ob, "null");
		return;
	}
	OB_LIT(ob, "\"");
	start = ob->len;
	for (size_t i = 0; i < n;) {
		char esc[6] = { '\\', 'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 15] };
		const char *u = esc;
		size_t ulen = 6, adv = 1;

		if (p[i] == '"' || p[i] == '\\') {
			esc[1] = (char)p[i];
			ulen = 2;
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			u = (const char *)p + i;
			ulen = 1;
		} else if (p[i] >= 0x80) {
			adv = utf8_seq_len(p + i, n - i);
			if (adv) {
				u = (const char *)p + i;
				ulen = adv;
			} else {
				u = "\\ufffd";
				adv = 1;
			}
		}
		if (ob->len - start + ulen > max_out) {
			cut = 1;
			break;
		}
		ob_put(ob, u, ulen);
		i += adv;
	}
	if (cut)
		OB_LIT(ob, "...");
	OB_LIT(ob, "\"");
}

static struct str field(const char *in, struct log_field f)
{
	return (struct str){ f.off == ABSENT ? NULL : in + f.off, f.len };
}

/* "2026-11-22T05:04:03.123456Z" */
static void iso_time(struct outbuf *ob, uint64_t us)
{
	struct civil c;
	char t[32];
	unsigned v[6];

	civil_from_unix((int64_t)(us / 1000000), &c);
	v[0] = (unsigned)c.month, v[1] = c.day, v[2] = c.secs / 3600, v[3] = c.secs / 60 % 60, v[4] = c.secs % 60;
	size_t n = fmt_u64(t, (uint64_t)c.year);
	for (int k = 0; k < 5; k++) {
		t[n++] = "--T::"[k];
		t[n++] = (char)('0' + v[k] / 10);
		t[n++] = (char)('0' + v[k] % 10);
	}
	t[n++] = '.';
	v[5] = (unsigned)(us % 1000000);
	for (unsigned d = 100000; d; d /= 10)
		t[n++] = (char)('0' + v[5] / d % 10);
	t[n++] = 'Z';
	ob_put(ob, t, n);
}

int logfmt_json_line(struct outbuf *ob, const struct net_addr *client, const char *in,
		     const struct log_record *r, uint64_t bytes)
{
	char host[NET_ADDR_TEXT_MAX];
	static const struct str none = { NULL, 0 };

	if (!json)
		return 0;
	uint64_t end = now_us();
	size_t n = net_fmt_addr(host, client);
	while (n > 0 && host[n - 1] != ':')	/* drop ":port" */
		n--;
	size_t skip = host[0] == '[';		/* and the IPv6 brackets */
	OB_LIT(ob, "{\"time\":\"");
	iso_time(ob, end);
	OB_LIT(ob, "\",\"client\":\"");
	ob_put(ob, host + skip, n - 1 - 2 * skip);
	OB_LIT(ob, "\",\"method\":");
	json_string(ob, r->raw ? none : field(in, r->method), LOG_METHOD_MAX, 4 * LOG_METHOD_MAX);
	OB_LIT(ob, ",\"target\":");
	json_string(ob, r->raw ? none : field(in, r->target), LOG_TARGET_MAX, 4 * LOG_TARGET_MAX);
	OB_LIT(ob, ",\"protocol\":");
	if (r->minor >= 0 && !r->raw)
		ob_put(ob, r->minor ? "\"HTTP/1.1\"" : "\"HTTP/1.0\"", 10);
	else
		OB_LIT(ob, "null");
	if (r->raw) {
		OB_LIT(ob, ",\"request\":");
		json_string(ob, field(in, r->target), LOG_RAW_MAX, 4 * LOG_RAW_MAX);
	}
	OB_LIT(ob, ",\"status\":");
	ob_u64(ob, r->status);
	OB_LIT(ob, ",\"bytes\":");
	ob_u64(ob, bytes);
	OB_LIT(ob, ",\"referer\":");
	json_string(ob, field(in, r->referer), LOG_FIELD_MAX, 4 * LOG_FIELD_MAX);
	OB_LIT(ob, ",\"user_agent\":");
	json_string(ob, field(in, r->agent), LOG_FIELD_MAX, 4 * LOG_FIELD_MAX);
	OB_LIT(ob, ",\"duration_us\":");
	ob_u64(ob, r->start_us && end > r->start_us ? end - r->start_us : 0);
	OB_LIT(ob, "}\n");
	/* keys and numbers < 512; the address; the strings' caps, plus quotes and "...":
	 * every line fits LOG_LINE_MAX, as log.c's CLF lines do */
	_Static_assert(512 + NET_ADDR_TEXT_MAX + 4 * (LOG_METHOD_MAX + LOG_TARGET_MAX) + 8 * LOG_FIELD_MAX +
			       4 * 5 < LOG_LINE_MAX && LOG_RAW_MAX <= LOG_TARGET_MAX,
		       "a JSON log line must fit LOG_LINE_MAX");
	return 1;
}
