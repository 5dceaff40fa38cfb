/*
 * response_test.c - response heads, error pages, IMF-fixdate (src/response.c),
 * path normalisation (src/path.c), media types (src/mime.c) and IPv6 text
 * (src/str.c). Hosted, with ASan and UBSan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include "tap.h"

#define memcmp sd_memcmp
#define memcpy sd_memcpy
#include "../../src/mem.c"
#include "../../src/str.c"
#include "../../src/page.c"
#include "../../src/response.c"
#include "../../src/path.c"
#include "../../src/mime.c"
#undef memcmp
#undef memcpy

static void test_dates(void)
{
	static const struct {
		int64_t t;
		const char *want;
	} rows[] = {
		{ 0, "Thu, 01 Jan 1970 00:00:00 GMT" },
		{ 784111777, "Sun, 06 Nov 1994 08:49:37 GMT" },	/* RFC 9110's example */
		{ 951782400, "Tue, 29 Feb 2000 00:00:00 GMT" },		/* a leap day in a 400 year */
		{ 4107542399, "Sun, 28 Feb 2100 23:59:59 GMT" },	/* 2100 is not a leap year */
		{ 4107542400, "Mon, 01 Mar 2100 00:00:00 GMT" },
		{ 2147483647, "Tue, 19 Jan 2038 03:14:07 GMT" },
		{ 253402300799, "Fri, 31 Dec 9999 23:59:59 GMT" },
	};
	char out[IMF_DATE_LEN + 1] = { 0 };

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		fmt_imf_date(out, rows[i].t);
		is_mem(out, IMF_DATE_LEN, rows[i].want, "IMF-fixdate of %lld", (long long)rows[i].t);
	}
	/* and agree with libc's gmtime/strftime on many instants */
	int bad = 0;
	for (int64_t t = 0; t < 4102444800LL; t += 86400 * 7 + 3607) {
		char want[64];
		time_t tt = (time_t)t;
		strftime(want, sizeof(want), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&tt));
		fmt_imf_date(out, t);
		bad += memcmp(out, want, IMF_DATE_LEN) != 0;
	}
	is_int(bad, 0, "IMF-fixdate matches strftime weekly from 1970 to 2100");
}

static void test_heads(void)
{
	char mem[8192];
	struct outbuf ob;
	const char *date = "Sun, 06 Nov 1994 08:49:37 GMT";

	ob_init(&ob, mem, sizeof(mem));
	resp_begin(&ob, 200, date);
	resp_header(&ob, STR("Content-Type"), STR("text/plain"));
	resp_end(&ob, 5, 1);
	is_mem(ob.p, ob.len, "HTTP/1.1 200 OK\r\nServer: scratchd\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
			     "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n", "a keep-alive head");
	ob_init(&ob, mem, sizeof(mem));
	resp_begin(&ob, 404, date);
	resp_end(&ob, 0, 0);
	ok(strstr(mem, "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n") != NULL, "a closing head says so");

	int statuses[] = { 400, 403, 404, 405, 408, 413, 414, 417, 431, 500, 501, 503, 505 };
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		ob_init(&ob, mem, sizeof(mem));
		resp_error(&ob, statuses[i], date, 1, 0, statuses[i] == 405 ? STR("GET") : STR(""));
		mem[ob.len] = 0;
		char *body = strstr(mem, "\r\n\r\n") + 4;
		long cl = atol(strstr(mem, "Content-Length: ") + 16);
		ok(!ob.overflow && cl == (long)(mem + ob.len - body) && strstr(body, "<h1>") &&
		   atoi(mem + 9) == statuses[i], "error page %d: Content-Length matches its body", statuses[i]);
		ok(strncmp(resp_reason(statuses[i]).p, "Unknown", 7) != 0, "status %d has a reason phrase", statuses[i]);
	}
	ob_init(&ob, mem, sizeof(mem));
	resp_error(&ob, 405, date, 1, 1, STR("GET, HEAD"));
	ok(strstr(mem, "\r\nAllow: GET, HEAD\r\n") && memcmp(mem + ob.len - 4, "\r\n\r\n", 4) == 0,
	   "HEAD error: Allow, and no body");
	ob_init(&ob, mem, 40);
	resp_error(&ob, 404, date, 1, 0, STR(""));
	ok(ob.overflow && ob.len <= 40, "a head too big for the buffer overflows, never past it");
	/* one field line: exactly the room it needs, or one byte less */
	char line[16] = "..............";
	ob_init(&ob, line, 9);
	resp_header(&ob, STR("Age"), STR("42"));
	ok(!ob.overflow && ob.len == 9 && memcmp(line, "Age: 42\r\n.", 10) == 0,
	   "a field line that just fits is written whole, and not a byte past it");
	ob_init(&ob, line, 8);
	resp_header(&ob, STR("Age"), STR("42"));
	ok(ob.overflow && ob.len == 0, "a field line one byte too long is refused whole");
	ob_init(&ob, mem, sizeof(mem));
	resp_begin(&ob, 200, date);
	int ok200 = strncmp(mem, "HTTP/1.1 200 OK\r\nServer: scratchd\r\nDate: ", 40) == 0;
	ob_init(&ob, mem, sizeof(mem));
	resp_begin(&ob, 404, date);
	ok(ok200 && strncmp(mem, "HTTP/1.1 404 Not Found\r\nServer: scratchd\r\nDate: ", 47) == 0,
	   "status lines: 200 OK, 404 Not Found");
	ob_init(&ob, mem, sizeof(mem));
	resp_begin(&ob, 299, date);
	ok(strncmp(mem, "HTTP/1.1 299 Unknown\r\nServer: scratchd\r\n", 39) == 0 &&
	   strncmp(resp_reason(299).p, "Unknown", 7) == 0 && resp_reason(431).n == 31,
	   "a status with no line of its own: its number and Unknown; reasons cut from the lines");

	/* the built-in page: status, a sentence, the path escaped, a link home */
	static char big[8192];
	char path[RESP_ERROR_PATH_MAX + 2];
	ob_init(&ob, big, sizeof(big) - 1);
	resp_error_page(&ob, 404, date, 1, 0, STR("X-A: b\r\n"), STR("/<a href=\"x\">&'\x01"));
	big[ob.len] = 0;
	ok(strstr(big, "\r\nX-A: b\r\n") && strstr(big, "<h1>404 Not Found</h1>") &&
	   strstr(big, "<p>There is nothing at this address.</p>") && strstr(big, "<a href=\"/\">") &&
	   strstr(big, "<style>") && strstr(big, "<code>/&lt;a href=&quot;x&quot;&gt;&amp;&#39;\xef\xbf\xbd</code>"),
	   "error page: sentence, link home, style, path escaped (controls as U+FFFD)");
	long cl = atol(strstr(big, "Content-Length: ") + 16);
	is_int(cl, (long)(big + ob.len - (strstr(big, "\r\n\r\n") + 4)), "error page: Content-Length matches");
	/* the path shown: RESP_ERROR_PATH_MAX bytes whole, one more cut with an ellipsis */
	for (int extra = 0; extra <= 1; extra++) {
		memset(path, 'p', sizeof(path));
		path[0] = '/';
		path[RESP_ERROR_PATH_MAX - 1] = 'Z';
		ob_init(&ob, big, sizeof(big) - 1);
		resp_error_page(&ob, 404, date, 1, 0, STR(""), (struct str){ path, RESP_ERROR_PATH_MAX + (size_t)extra });
		big[ob.len] = 0;
		char *code = strstr(big, "<code>") + 6, *end = strstr(code, "</code>");
		ok(end - code == RESP_ERROR_PATH_MAX + (extra ? 3 : 0) && code[RESP_ERROR_PATH_MAX - 1] == 'Z' &&
		   (!extra || memcmp(code + RESP_ERROR_PATH_MAX, "\xe2\x80\xa6", 3) == 0),
		   "error page: a path of %d bytes is shown %s", RESP_ERROR_PATH_MAX + extra,
		   extra ? "cut, with an ellipsis" : "whole");
	}
	/* the largest page fits the 8 KiB response buffer with room to spare */
	memset(path, '"', sizeof(path));
	ob_init(&ob, big, 8192);
	resp_error_page(&ob, 505, date, 0, 0, STR("Allow: GET, HEAD, OPTIONS\r\n"), (struct str){ path, sizeof(path) });
	ok(!ob.overflow && ob.len < 4096, "the largest built-in error page is %zu bytes", ob.len);
}

static void test_paths(void)
{
	static const struct {
		const char *in, *want;	/* want NULL: -EINVAL */
	} rows[] = {
		{ "/", "." }, { "/a", "a" }, { "/a/b/", "a/b" }, { "//a///b", "a/b" },
		{ "/./a/./", "a" }, { "/a/../b", "b" }, { "/a/b/../../c", "c" }, { "/a/..", "." },
		{ "/..", NULL }, { "/../a", NULL }, { "/a/../..", NULL }, { "/a/../../etc/passwd", NULL },
		{ "/...", "..." }, { "/..a", "..a" }, { "/a\\..\\..\\b", "a\\..\\..\\b" },
		{ "a", NULL }, { "", NULL },
	};
	char out[64];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		long n = path_normalize((struct str){ rows[i].in, strlen(rows[i].in) }, out);
		if (rows[i].want)
			ok(n >= 0 && strcmp(out, rows[i].want) == 0 && (size_t)n == strlen(out),
			   "path \"%s\" -> \"%s\"", rows[i].in, rows[i].want);
		else
			is_int(n, -EINVAL, "path \"%s\" is refused", rows[i].in);
		/* in place, as file.c calls it: the buffer is the input too */
		size_t len = strlen(rows[i].in);
		memcpy(out, rows[i].in, len);
		n = path_normalize((struct str){ out, len }, out);
		if (rows[i].want)
			ok(n >= 0 && strcmp(out, rows[i].want) == 0, "in place: \"%s\" -> \"%s\"",
			   rows[i].in, rows[i].want);
		else
			is_int(n, -EINVAL, "in place: \"%s\" is refused", rows[i].in);
	}
	is_int(path_normalize((struct str){ "/a\0b", 4 }, out), -EINVAL, "path with a NUL is refused");
}

static void test_mime(void)
{
	static const struct {
		const char *name, *type;
	} rows[] = {
		{ "index.html", "text/html; charset=utf-8" }, { "A.HTM", "text/html; charset=utf-8" },
		{ "app.mjs", "text/javascript; charset=utf-8" }, { "x.json", "application/json" },
		{ "logo.svg", "image/svg+xml" }, { "f.woff2", "font/woff2" }, { "a.tar", "application/x-tar" },
		{ "a.tar.gz", "application/gzip" }, { "noext", "application/octet-stream" },
		{ "dir.d/noext", "application/octet-stream" }, { ".hidden", "application/octet-stream" },
		{ "x.avif", "image/avif" }, { "x.wasm", "application/wasm" }, { "x.", "application/octet-stream" },
		{ "t.vtt", "text/vtt; charset=utf-8" }, { "s.WAV", "audio/wav" }, { "a.m4a", "audio/mp4" },
		{ "f.ttf", "font/ttf" }, { "f.otf", "font/otf" }, { "m.webmanifest", "application/manifest+json" },
		{ "i.bmp", "image/bmp" }, { "p.xhtml", "application/xhtml+xml" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct str t = mime_type((struct str){ rows[i].name, strlen(rows[i].name) });
		is_mem(t.p, t.n, rows[i].type, "media type of %s", rows[i].name);
	}
}

static void test_ipv6(void)
{
	static const struct {
		const char *in, *canonical;
	} rows[] = {
		{ "::", "::" }, { "::1", "::1" }, { "1::", "1::" }, { "fe80::1:2", "fe80::1:2" },
		{ "2001:DB8:0:0:0:0:2:1", "2001:db8::2:1" }, { "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
		{ "1:0:0:2:0:0:0:3", "1:0:0:2::3" }, { "0:0:0:0:0:0:0:0", "::" },
		{ "::ffff:7f00:1", "::ffff:127.0.0.1" }, { "::fffe:7f00:1", "::fffe:7f00:1" },
		{ "::ffff:192.0.2.1", "::ffff:192.0.2.1" }, { "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304" },
		{ "64:ff9b::10.0.0.1", "64:ff9b::a00:1" },
	};
	static const char *bad[] = { ":", ":::", "1:2", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7:8:9",
				     "::1:", "1.2.3.4", "", "::1.2.3", "::1.2.3.256", "1:2:3:4:5:6:7:1.2.3.4",
				     "::1.2.3.4:5", "1.2.3.4::" };
	uint8_t a[16];
	char out[IPV6_TEXT_MAX + 1];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int r = parse_ipv6(rows[i].in, a);
		size_t n = r == 0 ? fmt_ipv6(out, a) : 0;
		ok(r == 0 && n == strlen(rows[i].canonical) && memcmp(out, rows[i].canonical, n) == 0,
		   "IPv6 %s -> %s", rows[i].in, rows[i].canonical);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(parse_ipv6(bad[i], a), -EINVAL, "IPv6 rejects \"%s\"", bad[i]);
	memset(a, 0xff, 16);
	is_int(fmt_ipv6(out, a), IPV6_TEXT_MAX, "the longest IPv6 text is IPV6_TEXT_MAX");
}

int main(void)
{
	test_dates();
	test_heads();
	test_paths();
	test_mime();
	test_ipv6();
	return done_testing();
}
