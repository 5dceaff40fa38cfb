/*
 * production_test.c - the pure parts of issue 16's features, hosted, with
 * ASan and UBSan: the PROXY header parser (src/proxy.c), --trusted-proxy
 * ranges and X-Forwarded-For/Forwarded walks (src/realip.c), JSON string
 * escaping (src/logfmt.c), --check's URL and status line (src/check.c) and
 * the metrics text (src/metrics.c). Inputs are copied into heap blocks of
 * exactly their length, so a read past the end is reported.
 */
#include <stdint.h>
#include <stdlib.h>
#include "tap.h"

#define memcmp sd_memcmp
#define memcpy sd_memcpy
#include "../../src/mem.c"
#include "../../src/str.c"
#include "../../src/err.c"
#include "../../src/page.c"
#include "../../src/response.c"
#include "../../src/http.c"
#include "../../src/net.c"
#include "../../src/proxy.c"
#include "../../src/realip.c"
#include "../../src/logfmt.c"
#include "../../src/check.c"
#include "../../src/metrics.c"
#undef memcmp
#undef memcpy

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint8_t *held;

/* b[0..n) in a block of exactly n bytes */
static const uint8_t *exact(const void *b, size_t n)
{
	free(held);
	held = malloc(n ? n : 1);
	if (!held)
		abort();
	memcpy(held, b, n);
	return held;
}

static int parse(const void *b, size_t n, struct proxy_addr *a)
{
	return proxy_parse(exact(b, n), n, a);
}

/* ---- PROXY ---- */

static const uint8_t v2_sig_bytes[12] = { 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a };

/* A v2 header: signature, ver_cmd, fam, then len bytes of body. */
static size_t v2(uint8_t *out, uint8_t ver_cmd, uint8_t fam, const uint8_t *body, size_t len)
{
	memcpy(out, v2_sig_bytes, 12);
	out[12] = ver_cmd;
	out[13] = fam;
	out[14] = (uint8_t)(len >> 8);
	out[15] = (uint8_t)len;
	memcpy(out + 16, body, len);
	return 16 + len;
}

static void test_proxy_v1(void)
{
	static const struct {
		const char *text;
		int family;
		const char *addr;	/* as inet text, for 4/6 */
		int port;
	} good[] = {
		{ "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n", 4, "192.0.2.1", 56324 },
		{ "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n", 4, "255.255.255.255", 65535 },
		{ "PROXY TCP4 0.0.0.0 0.0.0.0 0 0\r\n", 4, "0.0.0.0", 0 },
		{ "PROXY TCP6 2001:db8::1 2001:db8::2 1 443\r\n", 6, "2001:db8::1", 1 },
		{ "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n",
		  6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535 },
		{ "PROXY TCP6 ::ffff:192.0.2.1 ::1 80 80\r\n", 6, "::ffff:192.0.2.1", 80 },
		{ "PROXY UNKNOWN\r\n", 0, NULL, 0 },
		{ "PROXY UNKNOWN 1.2.3.4 junk that is ignored\r\n", 0, NULL, 0 },
	};
	for (size_t i = 0; i < N(good); i++) {
		size_t n = strlen(good[i].text);
		struct proxy_addr a;
		char text[64];

		memset(&a, 0xaa, sizeof(a));
		is_int(parse(good[i].text, n, &a), (int)n, "v1 %zu: the whole line", i);
		is_int(a.family, good[i].family, "v1 %zu: family", i);
		if (good[i].family == 4) {
			size_t k = 0;
			for (int j = 0; j < 4; j++)
				k += (size_t)sprintf(text + k, j ? ".%u" : "%u", a.addr[j]);
			is_mem(text, k, good[i].addr, "v1 %zu: address", i);
		} else if (good[i].family == 6) {
			size_t k = fmt_ipv6(text, a.addr);
			is_mem(text, k, good[i].addr, "v1 %zu: address", i);
		}
		if (good[i].family)
			is_int(a.port, good[i].port, "v1 %zu: port", i);
		/* every proper prefix is a valid beginning */
		int all_partial = 1;
		for (size_t k = 0; k < n; k++)
			all_partial &= parse(good[i].text, k, &a) == PROXY_PARTIAL;
		ok(all_partial, "v1 %zu: every prefix waits for more", i);
		/* what follows is not the header's */
		char more[256];
		snprintf(more, sizeof(more), "%sGET / HTTP/1.1\r\n\r\n", good[i].text);
		is_int(parse(more, strlen(more), &a), (int)n, "v1 %zu: bytes after it are left", i);
	}
	static const char *const bad[] = {
		"proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n",
		"PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n",
		"PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n",
		"PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n",		/* a leading zero */
		"PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n",
		"PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n",
		"PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n",
		"PROXY TCP4 ::1 ::1 1 2\r\n",			/* the family's format */
		"PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n",
		"PROXY TCP6 2001:db8::g ::1 1 2\r\n",
		"PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",
		"PROXY UNKNOWNX\r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n",		/* a lone LF */
		"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX\n",		/* a lone CR */
		"PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n",
		"PROXY \r\n",
		"GET / HTTP/1.1\r\n",
		"\x16\x03\x01\x02\x00",				/* a TLS ClientHello */
		"PROXY UNKNOWN \x80\r\n",
	};
	for (size_t i = 0; i < N(bad); i++) {
		struct proxy_addr a;

		is_int(parse(bad[i], strlen(bad[i]), &a), PROXY_BAD, "v1: bad line %zu is refused", i);
	}
	/* 107 bytes with the CRLF: the longest line; one more is refused */
	char line[PROXY_V1_MAX + 2];
	memset(line, 'x', sizeof(line));
	memcpy(line, "PROXY UNKNOWN ", 14);
	memcpy(line + PROXY_V1_MAX - 2, "\r\n", 2);
	struct proxy_addr a;
	is_int(parse(line, PROXY_V1_MAX, &a), PROXY_V1_MAX, "v1: a 107-byte line is whole");
	memset(line, 'x', sizeof(line));
	memcpy(line, "PROXY UNKNOWN ", 14);
	memcpy(line + PROXY_V1_MAX - 1, "\r\n", 2);
	is_int(parse(line, PROXY_V1_MAX + 1, &a), PROXY_BAD, "v1: a 108-byte line is refused");
	is_int(parse(line, PROXY_V1_MAX - 1, &a), PROXY_PARTIAL, "v1: 106 bytes without CRLF wait");
	is_int(parse(line, PROXY_V1_MAX, &a), PROXY_BAD, "v1: 107 bytes without CRLF are refused");
	is_int(parse("P", 1, &a), PROXY_PARTIAL, "v1: one byte waits");
	is_int(parse("", 0, &a), PROXY_PARTIAL, "nothing yet waits");
}

static void test_proxy_v2(void)
{
	uint8_t body[PROXY_MAX], h[PROXY_MAX + 16];
	struct proxy_addr a;
	size_t n;

	memset(body, 0, sizeof(body));
	/* TCP over IPv4: 192.0.2.9:4711 -> 10.0.0.1:80 */
	const uint8_t v4[12] = { 192, 0, 2, 9, 10, 0, 0, 1, 0x12, 0x67, 0, 80 };
	n = v2(h, 0x21, 0x11, v4, sizeof(v4));
	is_int(parse(h, n, &a), 28, "v2 TCP4: 28 bytes");
	ok(a.family == 4 && memcmp(a.addr, v4, 4) == 0 && a.port == 4711, "v2 TCP4: 192.0.2.9:4711");
	int all_partial = 1;
	for (size_t k = 0; k < n; k++)
		all_partial &= parse(h, k, &a) == PROXY_PARTIAL;
	ok(all_partial, "v2 TCP4: every prefix waits for more");
	/* with a TLV after the addresses (skipped) */
	uint8_t tlv[12 + 7];
	memcpy(tlv, v4, 12);
	memcpy(tlv + 12, "\x04\x00\x04" "abcd", 7);
	n = v2(h, 0x21, 0x11, tlv, sizeof(tlv));
	is_int(parse(h, n, &a), 35, "v2 TCP4 with a TLV: 35 bytes");
	ok(a.family == 4 && a.port == 4711, "v2 TCP4 with a TLV: the address");
	/* TCP over IPv6 */
	uint8_t v6[36] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5, [16] = 0x20, [17] = 1, [31] = 1, [32] = 0xff, [33] = 0xfe };
	n = v2(h, 0x21, 0x21, v6, sizeof(v6));
	is_int(parse(h, n, &a), 52, "v2 TCP6: 52 bytes");
	ok(a.family == 6 && memcmp(a.addr, v6, 16) == 0 && a.port == 65534, "v2 TCP6: [2001:db8::5]:65534");
	/* LOCAL, UNSPEC, UDP, UNIX: the connection's own address */
	static const uint8_t keep[][2] = { { 0x20, 0x00 }, { 0x20, 0x11 }, { 0x21, 0x00 }, { 0x21, 0x12 },
					   { 0x21, 0x22 }, { 0x21, 0x31 }, { 0x21, 0x32 } };
	for (size_t i = 0; i < N(keep); i++) {
		n = v2(h, keep[i][0], keep[i][1], body, keep[i][1] == 0 ? 0 : 216);
		a.family = 9;
		is_int(parse(h, n, &a), (int)n, "v2 %02x %02x: accepted", keep[i][0], keep[i][1]);
		is_int(a.family, 0, "v2 %02x %02x: the connection's address stands", keep[i][0], keep[i][1]);
	}
	/* refused */
	static const uint8_t bad[][2] = { { 0x11, 0x11 }, { 0x31, 0x11 }, { 0x22, 0x11 }, { 0x2f, 0x11 },
					  { 0x21, 0x41 }, { 0x21, 0x13 }, { 0x21, 0xff } };
	for (size_t i = 0; i < N(bad); i++) {
		n = v2(h, bad[i][0], bad[i][1], v4, sizeof(v4));
		is_int(parse(h, n, &a), PROXY_BAD, "v2 %02x %02x: refused", bad[i][0], bad[i][1]);
		/* refused as soon as the 16 bytes are in */
		is_int(parse(h, 16, &a), PROXY_BAD, "v2 %02x %02x: refused at once", bad[i][0], bad[i][1]);
	}
	n = v2(h, 0x21, 0x11, v4, 11);
	is_int(parse(h, n, &a), PROXY_BAD, "v2 TCP4 with 11 address bytes: refused");
	n = v2(h, 0x21, 0x21, v6, 35);
	is_int(parse(h, n, &a), PROXY_BAD, "v2 TCP6 with 35 address bytes: refused");
	h[5] = 'X';
	is_int(parse(h, 6, &a), PROXY_BAD, "v2: a wrong signature byte is refused at once");
	/* PROXY_MAX bytes in all: accepted; one more: refused, from the length alone */
	n = v2(h, 0x21, 0x11, body, PROXY_MAX - 16);
	memcpy(h + 16, v4, 12);
	is_int(parse(h, n, &a), PROXY_MAX, "v2: a %d-byte header is accepted", PROXY_MAX);
	n = v2(h, 0x21, 0x11, body, PROXY_MAX - 15);
	is_int(parse(h, 16, &a), PROXY_BAD, "v2: a %d-byte header is refused", PROXY_MAX + 1);
	/* random bytes after each signature: never a crash, a read past the
	 * end, or a length beyond what was given */
	srand(16);
	int sane = 1;
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(rand() % 80);
		uint8_t r[96];

		for (size_t k = 0; k < len; k++)
			r[k] = (uint8_t)rand();
		if (round % 2 && len >= 12)
			memcpy(r, v2_sig_bytes, 12);
		else if (len >= 6)
			memcpy(r, "PROXY ", 6);
		int got = parse(r, len, &a);
		sane &= got == PROXY_BAD || got == PROXY_PARTIAL || (got > 0 && (size_t)got <= len);
	}
	ok(sane, "random headers: every answer is BAD, PARTIAL or a length within the input");
}

/* ---- --trusted-proxy ---- */

static struct net_addr ip(const char *s)
{
	struct net_addr a;

	if (net_parse_addr(s, 1234, &a) < 0)
		abort();
	return a;
}

static char request[4096];

/* The client realip_client finds for a request from peer with these field lines. */
static const char *client_of(const char *peer, const char *fields)
{
	static struct http_header hdr[HTTP_MAX_HEADERS];
	static char text[64];
	struct http_request req = { .hdr = hdr, .nhdr = HTTP_MAX_HEADERS };
	struct net_addr p = ip(peer), out;

	snprintf(request, sizeof(request), "GET / HTTP/1.1\r\nHost: x\r\n%s\r\n", fields);
	size_t n = strlen(request);
	if (http_parse_request((const char *)exact(request, n), n, 0, &req) <= 0)
		return "(request did not parse)";
	realip_client(&out, &p, &req);
	size_t k = net_fmt_addr(text, &out);
	text[k] = 0;
	return text;
}

static void test_realip(void)
{
	static const char *const good[] = { "10.0.0.0/8", "192.0.2.1", "2001:db8::/32", "::1/128", "0.0.0.0/0",
					    "172.16.0.0/12" };
	static const char *const bad[] = { "", "10.0.0.0/33", "/8", "x", "10.0.0.0/08", "::/129", "10.0.0.0/",
					   "10.0.0.0/-1", "10.0.0.0/8/8", "1.2.3", "2001:db8::/", "[::1]",
					   "10.0.0.1 " };
	for (size_t i = 0; i < N(bad); i++)
		is_int(realip_add(bad[i]), -EINVAL, "--trusted-proxy '%s' is refused", bad[i]);
	is_int(nranges, 0, "nothing refused was kept");
	/* the table: REALIP_MAX ranges, then no more */
	int all = 1;
	for (int i = 0; i < REALIP_MAX; i++)
		all &= realip_add("198.51.100.0/24") == 0;
	ok(all, "%d ranges are taken", REALIP_MAX);
	is_int(realip_add("198.51.100.0/24"), -ENOBUFS, "range %d is refused", REALIP_MAX + 1);
	nranges = 0;
	for (size_t i = 0; i < N(good) - 2; i++)	/* not 0.0.0.0/0 nor 172.16/12 */
		is_int(realip_add(good[i]), 0, "--trusted-proxy %s", good[i]);
	struct net_addr mapped = ip("::ffff:10.1.2.3");
	ok(realip_trusted(&mapped), "an IPv4-mapped peer matches an IPv4 range");
	struct net_addr a = ip("11.0.0.1"), b = ip("2001:db9::1"), c = ip("2001:db8:ffff::1");
	ok(!realip_trusted(&a) && !realip_trusted(&b) && realip_trusted(&c), "prefixes are compared bit by bit");
	struct net_addr l1 = ip("127.9.9.9"), l2 = ip("::1"), l3 = ip("::ffff:127.0.0.1"), l4 = ip("::2");
	ok(realip_loopback(&l1) && realip_loopback(&l2) && realip_loopback(&l3) && !realip_loopback(&l4),
	   "loopback: 127/8, ::1, ::ffff:127/104");

	static const struct {
		const char *peer, *fields, *want;
	} rows[] = {
		/* an untrusted peer: the fields are never read */
		{ "203.0.113.5", "X-Forwarded-For: 198.51.100.1\r\n", "203.0.113.5:1234" },
		/* a trusted peer, no field */
		{ "10.0.0.1", "", "10.0.0.1:1234" },
		{ "10.0.0.1", "X-Forwarded-For: 198.51.100.1\r\n", "198.51.100.1:0" },
		/* the rightmost untrusted address; a spoofed left part is not read */
		{ "10.0.0.1", "X-Forwarded-For: 1.1.1.1, 198.51.100.1, 10.0.0.7\r\n", "198.51.100.1:0" },
		{ "10.0.0.1", "X-Forwarded-For: garbage, 198.51.100.1\r\n", "198.51.100.1:0" },
		/* several lines: one list, the last line last */
		{ "10.0.0.1", "X-Forwarded-For: 198.51.100.2\r\nX-Forwarded-For: 10.0.0.9\r\n", "198.51.100.2:0" },
		{ "10.0.0.1", "X-Forwarded-For: 198.51.100.2\r\nX-Forwarded-For: 198.51.100.3\r\n", "198.51.100.3:0" },
		/* every hop trusted: the leftmost */
		{ "10.0.0.1", "X-Forwarded-For: 10.9.9.9, 10.0.0.7\r\n", "10.9.9.9:0" },
		/* IPv6, ports, brackets, empty members */
		{ "10.0.0.1", "X-Forwarded-For: 2001:db9::7\r\n", "[2001:db9::7]:0" },
		{ "10.0.0.1", "X-Forwarded-For: [2001:db9::7]:443, \r\n", "[2001:db9::7]:0" },
		{ "10.0.0.1", "X-Forwarded-For: 198.51.100.4:5555,,\r\n", "198.51.100.4:0" },
		{ "::1", "X-Forwarded-For: 198.51.100.4\r\n", "198.51.100.4:0" },
		/* malformed where the walk reaches: ignored, the peer stays */
		{ "10.0.0.1", "X-Forwarded-For: 198.51.100.1, garbage\r\n", "10.0.0.1:1234" },
		{ "10.0.0.1", "X-Forwarded-For: 300.1.1.1\r\n", "10.0.0.1:1234" },
		{ "10.0.0.1", "X-Forwarded-For: 198.51.100.1:99999\r\n", "10.0.0.1:1234" },
		{ "10.0.0.1", "X-Forwarded-For: [2001:db9::7\r\n", "10.0.0.1:1234" },
		{ "10.0.0.1", "X-Forwarded-For: unknown\r\n", "10.0.0.1:1234" },
		{ "10.0.0.1", "X-Forwarded-For: 198.51.100.1 198.51.100.2\r\n", "10.0.0.1:1234" },
		{ "10.0.0.1", "X-Forwarded-For: \r\n", "10.0.0.1:1234" },
		/* Forwarded (RFC 7239), when there is no X-Forwarded-For */
		{ "10.0.0.1", "Forwarded: for=198.51.100.9\r\n", "198.51.100.9:0" },
		{ "10.0.0.1", "Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43\r\n", "192.0.2.60:0" },
		{ "10.0.0.1", "Forwarded: For=\"[2001:db9:cafe::17]:4711\"\r\n", "[2001:db9:cafe::17]:0" },
		{ "10.0.0.1", "Forwarded: for=198.51.100.9, for=10.0.0.3;proto=https\r\n", "198.51.100.9:0" },
		{ "10.0.0.1", "Forwarded: proto=https;for=\"198.51.100.8:80\"\r\n", "198.51.100.8:0" },
		{ "10.0.0.1", "Forwarded: for=\"bad, one\", for=198.51.100.7\r\n", "198.51.100.7:0" },
		{ "10.0.0.1", "Forwarded: for=unknown\r\n", "10.0.0.1:1234" },
		{ "10.0.0.1", "Forwarded: for=_hidden\r\n", "10.0.0.1:1234" },
		{ "10.0.0.1", "Forwarded: proto=https\r\n", "10.0.0.1:1234" },
		{ "10.0.0.1", "Forwarded: for=[2001:db9::1]\r\n", "10.0.0.1:1234" },	/* must be quoted */
		{ "10.0.0.1", "Forwarded: for=\"198.51.100.1\r\n", "10.0.0.1:1234" },
		/* both: X-Forwarded-For wins */
		{ "10.0.0.1", "Forwarded: for=198.51.100.1\r\nX-Forwarded-For: 198.51.100.2\r\n", "198.51.100.2:0" },
	};
	for (size_t i = 0; i < N(rows); i++) {
		const char *got = client_of(rows[i].peer, rows[i].fields);

		if (!ok(strcmp(got, rows[i].want) == 0, "client of %s with %zu: %s", rows[i].peer, i, rows[i].want))
			printf("#   got %s\n", got);
	}
	/* no range at all: the fields are never used */
	nranges = 0;
	const char *got = client_of("10.0.0.1", "X-Forwarded-For: 198.51.100.1\r\n");
	ok(strcmp(got, "10.0.0.1:1234") == 0, "without --trusted-proxy the fields are ignored");
	/* everything trusted: a walk to the start */
	realip_add("0.0.0.0/0");
	got = client_of("10.0.0.1", "X-Forwarded-For: 198.51.100.1, 198.51.100.2\r\n");
	ok(strcmp(got, "198.51.100.1:0") == 0, "0.0.0.0/0 trusted: the leftmost address");
	nranges = 0;
}

/* ---- JSON strings ---- */

static void test_json(void)
{
	static const struct {
		const char *in;
		size_t n;	/* 0: strlen */
		size_t max_in, max_out;
		const char *want;
	} rows[] = {
		{ "curl/8.5.0", 0, 256, 1024, "\"curl/8.5.0\"" },
		{ "a\"b\\c", 0, 256, 1024, "\"a\\\"b\\\\c\"" },
		{ "\x1b[2J\r\n\t\x7f", 0, 256, 1024, "\"\\u001b[2J\\u000d\\u000a\\u0009\\u007f\"" },
		{ "\0x", 2, 256, 1024, "\"\\u0000x\"" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0, 256, 1024, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
		{ "\xff\xfe", 0, 256, 1024, "\"\\ufffd\\ufffd\"" },
		{ "\xc0\xaf", 0, 256, 1024, "\"\\ufffd\\ufffd\"" },		/* overlong '/' */
		{ "\xe0\x80\xaf", 0, 256, 1024, "\"\\ufffd\\ufffd\\ufffd\"" },	/* overlong */
		{ "\xed\xa0\x80", 0, 256, 1024, "\"\\ufffd\\ufffd\\ufffd\"" },	/* a surrogate */
		{ "\xf4\x90\x80\x80", 0, 256, 1024, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* past U+10FFFF */
		{ "\xe2\x82", 0, 256, 1024, "\"\\ufffd\\ufffd\"" },		/* cut short */
		{ "\xe2\x82x", 0, 256, 1024, "\"\\ufffd\\ufffdx\"" },
		{ "\x80", 0, 256, 1024, "\"\\ufffd\"" },
		/* caps: input, then output */
		{ "abcdef", 0, 4, 1024, "\"abcd...\"" },
		{ "abcd", 0, 4, 1024, "\"abcd\"" },
		{ "\x01\x02\x03", 0, 256, 12, "\"\\u0001\\u0002...\"" },
		{ "\xc3\xa9\xc3\xa9", 0, 3, 1024, "\"\xc3\xa9\\ufffd...\"" },
		{ "", 0, 256, 1024, "\"\"" },
	};
	for (size_t i = 0; i < N(rows); i++) {
		char out[256];
		struct outbuf ob;
		size_t n = rows[i].n ? rows[i].n : strlen(rows[i].in);

		ob_init(&ob, out, sizeof(out));
		json_string(&ob, (struct str){ (const char *)exact(rows[i].in, n), n }, rows[i].max_in, rows[i].max_out);
		is_mem(out, ob.len, rows[i].want, "json_string %zu", i);
	}
	char out[16];
	struct outbuf ob;
	ob_init(&ob, out, sizeof(out));
	json_string(&ob, (struct str){ NULL, 0 }, 10, 10);
	is_mem(out, ob.len, "null", "an absent field is null");
	/* every byte value, alone and in pairs: the output is valid UTF-8 and
	 * has no raw control character */
	int clean = 1;
	for (int x = 0; x < 256; x++)
		for (int y = 0; y < 256; y += 17) {
			char big[64], in[2] = { (char)x, (char)y };

			ob_init(&ob, big, sizeof(big));
			json_string(&ob, (struct str){ (const char *)exact(in, 2), 2 }, 8, 64);
			for (size_t k = 0; k < ob.len; k++) {
				uint8_t c = (uint8_t)big[k];
				size_t l = c >= 0x80 ? utf8_seq_len((const uint8_t *)big + k, ob.len - k) : 1;

				clean &= c >= 0x20 && c != 0x7f && l > 0;
				k += l ? l - 1 : 0;
			}
		}
	ok(clean, "any two bytes: valid UTF-8 out, no control character");
}

/* ---- --check ---- */

static void test_check(void)
{
	static const struct {
		const char *url;
		int family, port;
		const char *target, *host;
	} good[] = {
		{ "http://127.0.0.1:8080/healthz", AF_INET, 8080, "/healthz", "127.0.0.1:8080" },
		{ "http://127.0.0.1/", AF_INET, 80, "/", "127.0.0.1" },
		{ "http://127.0.0.1", AF_INET, 80, "/", "127.0.0.1" },
		{ "HTTP://LOCALHOST:81/a?b=c#frag", AF_INET, 81, "/a?b=c", "LOCALHOST:81" },
		{ "http://localhost:1?q", AF_INET, 1, "?q", "localhost:1" },
		{ "http://[::1]:8080/x", AF_INET6, 8080, "/x", "[::1]:8080" },
		{ "http://[2001:db8::1]/", AF_INET6, 80, "/", "[2001:db8::1]" },
		{ "http://127.0.0.1:/", AF_INET, 80, "/", "127.0.0.1:" },
	};
	for (size_t i = 0; i < N(good); i++) {
		struct check_url u;
		const char *why = NULL;
		int r = check_parse_url(good[i].url, &u, &why);

		if (!ok(r == 0, "--check %s is usable", good[i].url)) {
			printf("#   %s\n", why);
			continue;
		}
		is_int(u.addr.sa.family, good[i].family, "%s: family", good[i].url);
		is_int(net_port(&u.addr), good[i].port, "%s: port", good[i].url);
		is_mem(u.target, u.target_len, good[i].target, "%s: target", good[i].url);
		is_mem(u.host, u.host_len, good[i].host, "%s: Host", good[i].url);
	}
	static const char *const bad[] = {
		"https://127.0.0.1/", "ftp://127.0.0.1/", "127.0.0.1:8080", "http://", "http://example.com/",
		"http://user@127.0.0.1/", "http://127.0.0.1:0/", "http://127.0.0.1:65536/", "http://127.0.0.1:x/",
		"http://[::1/", "http://[::1]x/", "http://1.2.3/", "http://127.0.0.1/a b", "http://127.0.0.1/\x01",
		"http://::1/", "http://[1.2.3.4]/",
	};
	for (size_t i = 0; i < N(bad); i++) {
		struct check_url u;
		const char *why = NULL;

		ok(check_parse_url(bad[i], &u, &why) < 0 && why && *why, "--check %s is refused", bad[i]);
	}
	/* the URL's limit */
	static char url[CHECK_URL_MAX + 2];
	memset(url, 'a', sizeof(url) - 1);
	memcpy(url, "http://127.0.0.1/", 17);
	url[CHECK_URL_MAX] = 0;
	struct check_url u;
	const char *why;
	is_int(check_parse_url(url, &u, &why), 0, "a URL of %d bytes is usable", CHECK_URL_MAX);
	url[CHECK_URL_MAX] = 'a';
	is_int(check_parse_url(url, &u, &why), -1, "a URL of %d bytes is refused", CHECK_URL_MAX + 1);

	static const struct {
		const char *line;
		int want;
	} st[] = {
		{ "HTTP/1.1 200 OK\r\n", 200 }, { "HTTP/1.0 204\r\n", 204 }, { "HTTP/1.1 404 Not Found\r\n", 404 },
		{ "HTTP/1.1 200\n", 200 }, { "HTTP/1.1 200 OK", 0 }, { "HTTP/1.1 2", 0 }, { "", 0 },
		{ "HTTP/2 200\r\n", -1 }, { "HTTP/1.1 2000 OK\r\n", -1 }, { "HTTP/1.1 20x OK\r\n", -1 },
		{ "SSH-2.0-OpenSSH_9.2\r\n", -1 }, { "HTTP/1.1 099 x\r\n", -1 }, { "hello\n", -1 },
	};
	for (size_t i = 0; i < N(st); i++)
		is_int(check_status((const char *)exact(st[i].line, strlen(st[i].line)), strlen(st[i].line)), st[i].want,
		       "status line %zu", i);
	char junk[512];
	memset(junk, 'x', sizeof(junk));
	is_int(check_status((const char *)exact(junk, 511), 511), 0, "511 bytes with no line end: wait");
	is_int(check_status((const char *)exact(junk, 512), 512), -1, "512 bytes with no line end: not HTTP");
}

/* ---- metrics ---- */

static void test_metrics(void)
{
	char text[2048];

	is_int(metrics_setup(3), 0, "three rows of shared memory");
	metrics_worker(0);
	metrics_response(200);
	metrics_response(404);
	metrics_add(METRIC_SENT, 100);
	metrics_add(METRIC_OPEN, 1);
	metrics_worker(2);
	metrics_response(200);
	metrics_response(503);
	metrics_response(99);	/* no class: not counted */
	metrics_response(600);
	metrics_add(METRIC_SENT, 23);
	metrics_add(METRIC_OPEN, 2);
	metrics_add(METRIC_OPEN, (uint64_t)-1);
	metrics_set(METRIC_CACHED, 7);
	size_t n = metrics_format(text, sizeof(text));
	ok(n > 0, "the text fits");
	text[n] = 0;
	ok(strstr(text, "\nscratchd_requests_total{code=\"2xx\"} 2\n") != NULL, "2xx summed over the rows");
	ok(strstr(text, "\nscratchd_requests_total{code=\"4xx\"} 1\n") && strstr(text, "{code=\"5xx\"} 1\n") &&
	   strstr(text, "{code=\"1xx\"} 0\n"), "4xx, 5xx, 1xx");
	ok(strstr(text, "\nscratchd_sent_bytes_total 123\n") != NULL, "bytes summed");
	ok(strstr(text, "\nscratchd_connections_open 2\n") != NULL, "a gauge summed");
	ok(strstr(text, "\nscratchd_file_cache_entries 7\n") && strstr(text, "\nscratchd_workers 3\n"),
	   "the cache gauge, and the workers");
	ok(strstr(text, "# TYPE scratchd_requests_total counter\n") && strstr(text, "# TYPE scratchd_connections_open gauge\n"),
	   "TYPE lines");
	ok(text[n - 1] == '\n', "ends with a line feed");
	metrics_worker(2);	/* restarted: gauges from 0, counters go on */
	n = metrics_format(text, sizeof(text));
	text[n] = 0;
	ok(strstr(text, "\nscratchd_connections_open 1\n") && strstr(text, "\nscratchd_sent_bytes_total 123\n"),
	   "a restarted worker's gauges start again; its counters do not");
	is_int(metrics_format(text, 100), 0, "too small a buffer: 0, nothing half written");
}

int main(void)
{
	test_proxy_v1();
	test_proxy_v2();
	test_realip();
	test_json();
	test_check();
	test_metrics();
	free(held);
	return done_testing();
}
