/*
 * listfmt_test.c - what a listing shows (src/listfmt.c: natural order,
 * sizes, dates) and the escapes of the pages scratchd writes (src/page.c),
 * hosted, with ASan and UBSan.
 */
#include <stdint.h>
#include <stdlib.h>
#include "tap.h"

#define memcmp sd_memcmp
#define memcpy sd_memcpy
#include "../../src/mem.c"
#include "../../src/str.c"
#include "../../src/page.c"
#include "../../src/response.c"
#include "../../src/listfmt.c"
#undef memcmp
#undef memcpy

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct str s_(const char *s)
{
	return (struct str){ s, strlen(s) };
}

static int cmp_names(const void *a, const void *b)
{
	return natural_cmp(s_(*(const char *const *)a), s_(*(const char *const *)b));
}

static void test_order(void)
{
	/* already in natural order: sorting must not move anything */
	static const char *want[] = {
		"", "0", "00", "01", "1", "2", "9", "010", "10", "11", "100", "A", "a", "a01", "a1", "a2", "a10",
		"B", "b", "file", "file1", "File2", "file2", "file3", "file10", "file11", "file100",
		"file999999999999999999999999", "file1000000000000000000000000", "x.txt", "x1.txt", "x10.txt",
		"\xc3\xa9",
	};
	const char *got[N(want)];

	for (size_t i = 0; i < N(want); i++)
		got[N(want) - 1 - i] = want[i];
	qsort(got, N(got), sizeof(got[0]), cmp_names);
	int same = 1;
	for (size_t i = 0; i < N(want); i++)
		if (strcmp(got[i], want[i]) != 0) {
			printf("#   at %zu: got [%s], want [%s]\n", i, got[i], want[i]);
			same = 0;
		}
	ok(same, "natural order: numbers by value, case ignored, then bytes");
	/* a total order: antisymmetric, and 0 only for equal names */
	int bad = 0;
	for (size_t i = 0; i < N(want); i++)
		for (size_t j = 0; j < N(want); j++) {
			int a = natural_cmp(s_(want[i]), s_(want[j])), b = natural_cmp(s_(want[j]), s_(want[i]));
			bad += (a > 0) != (b < 0) || (a == 0) != (i == j);
		}
	is_int(bad, 0, "natural_cmp is a total order on distinct names");
}

static void test_sizes(void)
{
	static const struct {
		uint64_t n;
		const char *want;
	} rows[] = {
		{ 0, "0 B" }, { 1, "1 B" }, { 1023, "1023 B" }, { 1024, "1.0 KiB" }, { 1075, "1.0 KiB" },
		{ 1076, "1.1 KiB" }, { 1536, "1.5 KiB" }, { 10239, "10.0 KiB" }, { 1048524, "1023.9 KiB" },
		{ 1048525, "1.0 MiB" }, { 1048575, "1.0 MiB" }, { 1048576, "1.0 MiB" }, { 5255225, "5.0 MiB" },
		{ 20000753, "19.1 MiB" }, { 3221225472ULL, "3.0 GiB" }, { 1ULL << 40, "1.0 TiB" },
		{ 1ULL << 50, "1.0 PiB" }, { 1ULL << 60, "1.0 EiB" }, { UINT64_MAX, "16.0 EiB" },
	};
	char out[SIZE_TEXT_MAX + 1];

	for (size_t i = 0; i < N(rows); i++) {
		size_t n = fmt_size(out, rows[i].n);
		ok(n < SIZE_TEXT_MAX, "size text within bound");
		is_mem(out, n, rows[i].want, "size %llu", (unsigned long long)rows[i].n);
	}
}

static void test_dates(void)
{
	static const struct {
		int64_t t;
		const char *want;	/* NULL: out of range */
	} rows[] = {
		{ 0, "1970-01-01T00:00:00Z" }, { 784111777, "1994-11-06T08:49:37Z" },
		{ 951782400, "2000-02-29T00:00:00Z" }, { -1, "1969-12-31T23:59:59Z" },
		{ -62167219200LL, "0000-01-01T00:00:00Z" }, { 253402300799LL, "9999-12-31T23:59:59Z" },
		{ -62167219201LL, NULL }, { 253402300800LL, NULL }, { INT64_MAX, NULL }, { INT64_MIN, NULL },
	};
	char out[ISO_DATE_LEN];

	for (size_t i = 0; i < N(rows); i++) {
		size_t n = fmt_iso_date(out, rows[i].t);
		if (rows[i].want)
			is_mem(out, n, rows[i].want, "RFC 3339 date of %lld", (long long)rows[i].t);
		else
			is_int(n, 0, "no date for %lld (year outside 0000-9999)", (long long)rows[i].t);
	}
}

static void test_escapes(void)
{
	static const struct {
		const char *in, *html, *json;
	} rows[] = {
		{ "plain.txt", "plain.txt", "plain.txt" },
		{ "a\"b'c<d>e&f\\g", "a&quot;b&#39;c&lt;d&gt;e&amp;f\\g", "a\\u0022b'c\\u003cd\\u003ee\\u0026f\\u005cg" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "tab\there\nnl\x01\x7f", "tab\xef\xbf\xbdhere\xef\xbf\xbdnl\xef\xbf\xbd\xef\xbf\xbd",
		  "tab\\u0009here\\u000anl\\u0001\\u007f" },
		/* not UTF-8: a lone continuation, an overlong form, a surrogate, a cut sequence */
		{ "a\x80z", "a\xef\xbf\xbdz", "a\\ufffdz" },
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", "\\ufffd\\ufffd" },
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "\\ufffd\\ufffd\\ufffd" },
		{ "x\xe2\x82", "x\xef\xbf\xbd\xef\xbf\xbd", "x\\ufffd\\ufffd" },
	};
	char mem[256];
	struct outbuf ob;

	for (size_t i = 0; i < N(rows); i++) {
		size_t n = strlen(rows[i].in);
		char *p = malloc(n ? n : 1);	/* exactly its length */
		memcpy(p, rows[i].in, n);
		ob_init(&ob, mem, sizeof(mem));
		html_escape(&ob, (struct str){ p, n });
		is_mem(ob.p, ob.len, rows[i].html, "HTML escape #%zu", i);
		ob_init(&ob, mem, sizeof(mem));
		json_escape(&ob, (struct str){ p, n });
		is_mem(ob.p, ob.len, rows[i].json, "JSON escape #%zu", i);
		free(p);
	}
	ob_init(&ob, mem, sizeof(mem));
	url_encode(&ob, s_("a b/c%d\xc3\xa9~._-"));
	is_mem(ob.p, ob.len, "a%20b%2Fc%25d%C3%A9~._-", "URL encoding of a segment");
}

int main(void)
{
	test_order();
	test_sizes();
	test_dates();
	test_escapes();
	return done_testing();
}
