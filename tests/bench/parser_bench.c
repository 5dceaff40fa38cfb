/*
 * parser_bench.c - how fast http_parse_request() is: `make bench-parser`.
 *
 * Parses two requests in a loop and prints ns/request and MB/s:
 *  - a ~700-byte browser GET (9 fields, long User-Agent, Accept lists, a
 *    ~300-byte Cookie);
 *  - a minimal "GET / HTTP/1.1" with Host.
 * Then feeds the browser request in 1-byte and 16-byte pieces, as a slow
 * client would, and prints the total time per request: it stays linear
 * because later calls scan only the new bytes for the end of the head.
 * Built like the server (-O2 -fno-builtin, no -march): baseline x86-64.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define memcmp sd_memcmp
#define memcpy sd_memcpy
#include "../../src/mem.c"
#include "../../src/str.c"
#include "../../src/http.c"
#undef memcmp
#undef memcpy

static const char browser[] =
	"GET /wp-content/uploads/2010/03/hello-kitty-darth-vader-pink.jpg HTTP/1.1\r\n"
	"Host: www.kittyhell.com\r\n"
	"User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10_6_3; ja-JP-mac; rv:1.9.2.3) "
	"Gecko/20100401 Firefox/3.6.3 Pathtraq/0.9\r\n"
	"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
	"Accept-Language: ja,en-us;q=0.7,en;q=0.3\r\n"
	"Accept-Encoding: gzip,deflate\r\n"
	"Accept-Charset: Shift_JIS,utf-8;q=0.7,*;q=0.7\r\n"
	"Keep-Alive: 115\r\n"
	"Connection: keep-alive\r\n"
	"Cookie: wp_ozh_wsa_visits=2; wp_ozh_wsa_visit_lasttime=xxxxxxxxxx; "
	"__utma=xxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.x; "
	"__utmz=xxxxxxxxx.xxxxxxxxxx.x.x.utmccn=(referral)|utmcsr=reader.livedoor.com|utmcct=/reader/|utmcmd=referral; "
	"session=0123456789abcdef0123456789abcdef; theme=dark; lang=ja\r\n"
	"\r\n";

static const char minimal[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static struct http_header hdr[HTTP_MAX_HEADERS];
static volatile long sink;

/* Parse req (len bytes) fed in pieces of `piece` bytes (0: whole), n times.
 * Returns ns per complete request. */
static double run(const char *req, size_t len, size_t piece, long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		struct http_request r = { .hdr = hdr, .nhdr = HTTP_MAX_HEADERS };
		int res = HTTP_PARTIAL;

		if (piece == 0) {
			res = http_parse_request(req, len, 0, &r);
		} else {
			for (size_t have = 0, last = 0; res == HTTP_PARTIAL && have < len; last = have) {
				have = have + piece < len ? have + piece : len;
				r.nhdr = HTTP_MAX_HEADERS;
				res = http_parse_request(req, have, last, &r);
			}
		}
		if (res != (int)len) {
			fprintf(stderr, "parse failed: %d (status %d)\n", res, r.status);
			return -1;
		}
		sink += r.nhdr;
	}
	return (now_ns() - t0) / (double)n;
}

static void report(const char *name, const char *req, size_t len, size_t piece, long n)
{
	run(req, len, piece, n / 10);	/* warm up */
	double best = 1e18;
	for (int round = 0; round < 5; round++) {
		double ns = run(req, len, piece, n);
		if (ns < best)
			best = ns;
	}
	printf("%-34s %5zu bytes  %9.1f ns/request  %8.1f MB/s\n", name, len, best, len / best * 1e3);
}

int main(int argc, char **argv)
{
	/* argv[1]: divide every loop count (for valgrind --tool=callgrind);
	 * argv[2]: run only that case (1-4) */
	long scale = argc > 1 ? atol(argv[1]) : 1;
	int only = argc > 2 ? atoi(argv[2]) : 0;
	size_t nfields = 0;

	for (const char *p = strstr(browser, "\r\n") + 2; strncmp(p, "\r\n", 2) != 0; p = strstr(p, "\r\n") + 2)
		nfields++;
	printf("# best of 5 rounds; browser request: %zu bytes, %zu fields\n", sizeof(browser) - 1, nfields);
	if (scale < 1)
		scale = 1;
	if (!only || only == 1)
		report("browser GET, whole", browser, sizeof(browser) - 1, 0, 2000000 / scale);
	if (!only || only == 2)
		report("minimal GET, whole", minimal, sizeof(minimal) - 1, 0, 5000000 / scale);
	if (!only || only == 3)
		report("browser GET, 16-byte pieces", browser, sizeof(browser) - 1, 16, 200000 / scale);
	if (!only || only == 4)
		report("browser GET, 1-byte pieces", browser, sizeof(browser) - 1, 1, 20000 / scale);
	return 0;
}
