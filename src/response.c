/*
 * response.c - HTTP/1.1 response heads, error pages and the Date format.
 * Pure functions: no system calls (the caller owns the clock).
 */
#include "../syscall.h"
#include "response.h"
#include "mem.h"
#include "page.h"

/* Header lines every response carries, "Name: value\r\n" each; set at start-up. */
static char extra_headers[RESP_EXTRA_MAX] LARGE_BUFFER;
static size_t extra_headers_len;
/* Strict-Transport-Security (--hsts): only on responses that go over TLS
 * (RFC 6797 §7.2: never over plain HTTP). */
static char hsts_line[64];
static size_t hsts_len;
static int secure_now;	/* the response being built goes over TLS */

int resp_add_extra_header(struct str name, struct str value)
{
	if (name.n == 0)
		return -EINVAL;
	for (size_t i = 0; i < name.n; i++)
		if (!is_tchar((unsigned char)name.p[i]))
			return -EINVAL;
	for (size_t i = 0; i < value.n; i++) {
		unsigned char c = (unsigned char)value.p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return -EINVAL;	/* no CR/LF: one line, no response splitting */
	}
	struct outbuf ob;
	ob_init(&ob, extra_headers + extra_headers_len, sizeof(extra_headers) - extra_headers_len);
	resp_header(&ob, name, value);
	if (ob.overflow)
		return -ENOBUFS;
	extra_headers_len += ob.len;
	return 0;
}

/* The status line of each status we send, without its CRLF (RFC 9112 §4):
 * one copy per response. Empty for a status not listed. */
static struct str status_line(int status)
{
	switch (status) {
	case 100: return STR("HTTP/1.1 100 Continue");
	case 200: return STR("HTTP/1.1 200 OK");
	case 204: return STR("HTTP/1.1 204 No Content");
	case 206: return STR("HTTP/1.1 206 Partial Content");
	case 301: return STR("HTTP/1.1 301 Moved Permanently");
	case 304: return STR("HTTP/1.1 304 Not Modified");
	case 308: return STR("HTTP/1.1 308 Permanent Redirect");
	case 400: return STR("HTTP/1.1 400 Bad Request");
	case 403: return STR("HTTP/1.1 403 Forbidden");
	case 404: return STR("HTTP/1.1 404 Not Found");
	case 405: return STR("HTTP/1.1 405 Method Not Allowed");
	case 408: return STR("HTTP/1.1 408 Request Timeout");
	case 412: return STR("HTTP/1.1 412 Precondition Failed");
	case 413: return STR("HTTP/1.1 413 Content Too Large");
	case 414: return STR("HTTP/1.1 414 URI Too Long");
	case 416: return STR("HTTP/1.1 416 Range Not Satisfiable");
	case 417: return STR("HTTP/1.1 417 Expectation Failed");
	case 431: return STR("HTTP/1.1 431 Request Header Fields Too Large");
	case 500: return STR("HTTP/1.1 500 Internal Server Error");
	case 501: return STR("HTTP/1.1 501 Not Implemented");
	case 503: return STR("HTTP/1.1 503 Service Unavailable");
	case 505: return STR("HTTP/1.1 505 HTTP Version Not Supported");
	}
	return (struct str){ NULL, 0 };
}

#define STATUS_LINE_PREFIX	13	/* "HTTP/1.1 NNN " */

struct str resp_reason(int status)
{
	struct str line = status_line(status);

	if (line.n == 0)
		return STR("Unknown");
	return (struct str){ line.p + STATUS_LINE_PREFIX, line.n - STATUS_LINE_PREFIX };
}

/* Two decimal digits of v (0..99). */
static char *put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

COLD void civil_from_unix(int64_t t, struct civil *c)
{
	int64_t days = t / 86400 - (t % 86400 < 0);	/* rounded down */

	/* Days since 1970-01-01 to a civil date, counting years from March so
	 * that the leap day is the last day of the year. 146097 days make a
	 * 400-year era; 719468 days run from 0000-03-01 to 1970-01-01. */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);			/* [0, 146096] */
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;	/* [0, 399] */
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);		/* [0, 365] */
	unsigned mp = (5 * doy + 2) / 153;				/* [0, 11], 0 = March */

	c->day = doy - (153 * mp + 2) / 5 + 1;
	c->month = mp < 10 ? mp + 3 : mp - 9;
	c->year = era * 400 + yoe + (mp >= 10);
	c->wday = (unsigned)((days % 7 + 11) % 7);	/* 1970-01-01 was a Thursday (4) */
	c->secs = (unsigned)((t % 86400 + 86400) % 86400);	/* no overflow at any t */
}

COLD void fmt_imf_date(char *out, int64_t t)
{
	static const char wday[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct civil c;

	civil_from_unix(t, &c);
	char *p = out;
	const char *w = wday[c.wday], *m = mon[c.month - 1];
	*p++ = w[0], *p++ = w[1], *p++ = w[2], *p++ = ',', *p++ = ' ';
	p = put2(p, c.day);
	*p++ = ' ';
	*p++ = m[0], *p++ = m[1], *p++ = m[2], *p++ = ' ';
	p = put2(p, (unsigned)(c.year / 100 % 100));
	p = put2(p, (unsigned)(c.year % 100));
	*p++ = ' ';
	p = put2(p, c.secs / 3600);
	*p++ = ':';
	p = put2(p, c.secs / 60 % 60);
	*p++ = ':';
	p = put2(p, c.secs % 60);
	*p++ = ' ', *p++ = 'G', *p++ = 'M', *p = 'T';
}

void resp_begin(struct outbuf *ob, int status, const char *date)
{
	struct str line = status_line(status);

	if (line.n) {
		ob_str(ob, line);
	} else {
		OB_LIT(ob, "HTTP/1.1 ");
		ob_u64(ob, (uint64_t)status);
		OB_LIT(ob, " Unknown");
	}
	OB_LIT(ob, "\r\nServer: scratchd\r\nDate: ");
	ob_put(ob, date, IMF_DATE_LEN);
	OB_LIT(ob, "\r\n");
	ob_put(ob, extra_headers, extra_headers_len);
	if (secure_now)
		ob_put(ob, hsts_line, hsts_len);
}

void resp_set_hsts(uint64_t max_age)
{
	struct outbuf ob;

	ob_init(&ob, hsts_line, sizeof(hsts_line));
	OB_LIT(&ob, "Strict-Transport-Security: max-age=");
	ob_u64(&ob, max_age);
	OB_LIT(&ob, "\r\n");
	hsts_len = ob.len;
}

void resp_set_secure(int secure)
{
	secure_now = secure;
}

void resp_header(struct outbuf *ob, struct str name, struct str value)
{
	char *p = ob_claim(ob, name.n + 2 + value.n + 2);	/* "name: value\r\n" */

	if (!p)
		return;
	memcpy(p, name.p, name.n);
	p += name.n;
	*p++ = ':';
	*p++ = ' ';
	memcpy(p, value.p, value.n);
	p += value.n;
	*p++ = '\r';
	*p = '\n';
}

void resp_connection(struct outbuf *ob, int keep_alive)
{
	if (!keep_alive)
		OB_LIT(ob, "Connection: close\r\n");
	else if (keep_alive == RESP_KEEP_ALIVE_SAID)
		OB_LIT(ob, "Connection: keep-alive\r\n");
}

void resp_end(struct outbuf *ob, uint64_t content_length, int keep_alive)
{
	OB_LIT(ob, "Content-Length: ");
	ob_u64(ob, content_length);
	OB_LIT(ob, "\r\n");
	resp_connection(ob, keep_alive);
	OB_LIT(ob, "\r\n");
}

/* One sentence on what the status means to the person who sees the page. */
static struct str resp_sentence(int status)
{
	switch (status) {
	case 400: return STR("The server could not understand this request.");
	case 403: return STR("You do not have permission to see this.");
	case 404: return STR("There is nothing at this address.");
	case 405: return STR("This method is not allowed here; only GET, HEAD and OPTIONS are.");
	case 408: return STR("The request took too long to arrive.");
	case 412: return STR("A condition of the request did not hold.");
	case 413: return STR("The request's content is too large.");
	case 414: return STR("This address is too long.");
	case 416: return STR("The range asked for is outside the file.");
	case 417: return STR("The expectation in the request cannot be met.");
	case 431: return STR("The request's header fields are too large.");
	case 500: return STR("Something went wrong on the server.");
	case 501: return STR("The server does not know this method.");
	case 503: return STR("The server is too busy right now; try again shortly.");
	case 505: return STR("This version of HTTP is not supported.");
	}
	return status < 500 ? STR("The request cannot be answered.") : STR("The server cannot answer this request.");
}

void resp_error_page(struct outbuf *ob, int status, const char *date, int keep_alive, int head_only,
		     struct str extra, struct str path)
{
	/* The body, built first for its length: at most the page's frame and
	 * style, a sentence, and RESP_ERROR_PATH_MAX bytes of path escaped
	 * (6 bytes each at worst, "&quot;"). Static for the reason of file.c's
	 * path (docs/architecture.md, Memory). */
	static char body[4096] SCRATCH_BUFFER;
	struct outbuf b;
	struct str reason = resp_reason(status), sentence = resp_sentence(status);

	ob_init(&b, body, sizeof(body));
	page_open(&b);
	ob_u64(&b, (uint64_t)status);
	OB_LIT(&b, " ");
	ob_str(&b, reason);
	page_body(&b);
	OB_LIT(&b, "<h1>");
	ob_u64(&b, (uint64_t)status);
	OB_LIT(&b, " ");
	ob_str(&b, reason);
	OB_LIT(&b, "</h1>\n<p>");
	ob_str(&b, sentence);
	OB_LIT(&b, "</p>\n");
	if (path.p && path.n) {
		OB_LIT(&b, "<p class=\"muted\">Asked for: <code>");
		html_escape(&b, (struct str){ path.p, path.n < RESP_ERROR_PATH_MAX ? path.n : RESP_ERROR_PATH_MAX });
		if (path.n > RESP_ERROR_PATH_MAX)
			OB_LIT(&b, "\xe2\x80\xa6");	/* U+2026, the rest left out */
		OB_LIT(&b, "</code></p>\n");
	}
	OB_LIT(&b, "<p><a href=\"/\">Go to the home page</a></p>\n");
	page_close(&b);

	resp_begin(ob, status, date);
	ob_str(ob, extra);
	resp_header(ob, STR("Content-Type"), STR("text/html; charset=utf-8"));
	resp_end(ob, b.len, keep_alive);
	if (!head_only)
		ob_put(ob, b.p, b.len);
}

void resp_error(struct outbuf *ob, int status, const char *date, int keep_alive, int head_only,
		struct str allow)
{
	char extra[128];
	struct outbuf e;

	ob_init(&e, extra, sizeof(extra));
	if (allow.n)
		resp_header(&e, STR("Allow"), allow);
	resp_error_page(ob, status, date, keep_alive, head_only, (struct str){ e.p, e.len },
			(struct str){ NULL, 0 });
}
