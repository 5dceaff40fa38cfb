/*
 * cond_test.c - HTTP-dates, entity-tag lists, If-Range and Range parsing
 * (src/cond.c), hosted, with ASan and UBSan.
 *
 * Inputs under test are copied into heap blocks of exactly their length, so
 * ASan reports any read past the end of a field value; every prefix of a
 * valid date and of a valid Range is parsed that way too.
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
#include "../../src/cond.c"
#undef memcmp
#undef memcpy

#define NOW_2025	1748736000LL	/* Sun, 01 Jun 2025 00:00:00 GMT */
#define NOW_2099	4084041600LL	/* Tue, 02 Jun 2099 00:00:00 GMT */
#define RFC_EXAMPLE	784111777LL	/* Sun, 06 Nov 1994 08:49:37 GMT */

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- exact-length copies ---- */

static char *held;

/* The first n bytes of s in a heap block of exactly n bytes (valid until the
 * next call). */
static struct str exact_n(const char *s, size_t n)
{
	free(held);
	held = malloc(n ? n : 1);
	if (!held)
		abort();
	memcpy(held, s, n);
	return (struct str){ held, n };
}

static struct str exact(const char *s)
{
	return exact_n(s, strlen(s));
}

/* A C string as a slice (for the current entity-tag, which is ours). */
static struct str cstr(const char *s)
{
	return (struct str){ s, strlen(s) };
}

/* ---- HTTP-date ---- */

/* http_date_parse(s), or INT64_MIN when it fails. */
static int64_t date(const char *s, int64_t now)
{
	int64_t t = 0;

	return http_date_parse(exact(s), now, &t) == 0 ? t : INT64_MIN;
}

static void test_dates_valid(void)
{
	static const struct {
		const char *s;
		int64_t now, want;
	} rows[] = {
		/* RFC 9110 §5.6.7's three examples of one instant */
		{ "Sun, 06 Nov 1994 08:49:37 GMT", NOW_2025, RFC_EXAMPLE },
		{ "Sunday, 06-Nov-94 08:49:37 GMT", NOW_2025, RFC_EXAMPLE },
		{ "Sun Nov  6 08:49:37 1994", NOW_2025, RFC_EXAMPLE },
		/* IMF-fixdate at the edges */
		{ "Thu, 01 Jan 1970 00:00:00 GMT", 0, 0 },
		{ "Tue, 29 Feb 2000 00:00:00 GMT", 0, 951782400 },
		{ "Sun, 28 Feb 2100 23:59:59 GMT", 0, 4107542399 },
		{ "Tue, 19 Jan 2038 03:14:08 GMT", 0, 2147483648LL },
		{ "Fri, 31 Dec 9999 23:59:59 GMT", 0, 253402300799LL },
		{ "Mon, 01 Jan 1900 00:00:00 GMT", 0, -2208988800LL },
		{ "Sun, 06 Nov 1994 08:49:60 GMT", 0, RFC_EXAMPLE + 23 },	/* leap second */
		{ "Wed, 31 Dec 1997 23:59:60 GMT", 0, 883612800 },
		/* the day name is spelt right but wrong for the date: accepted
		 * (consistently, in all three forms) */
		{ "Mon, 06 Nov 1994 08:49:37 GMT", NOW_2025, RFC_EXAMPLE },
		{ "Monday, 06-Nov-94 08:49:37 GMT", NOW_2025, RFC_EXAMPLE },
		{ "Mon Nov  6 08:49:37 1994", NOW_2025, RFC_EXAMPLE },
		/* asctime: the day as SP DIGIT or as 2DIGIT */
		{ "Sun Nov 06 08:49:37 1994", NOW_2025, RFC_EXAMPLE },
		{ "Wed Nov 16 08:49:37 1994", NOW_2025, RFC_EXAMPLE + 10 * 86400 },
		/* RFC 850 two-digit years: in (now - 50, now + 50] by year */
		{ "Thursday, 06-Nov-75 08:49:37 GMT", NOW_2025, 3340255777LL },	/* 2075: +50 */
		{ "Saturday, 06-Nov-76 08:49:37 GMT", NOW_2025, 216118177 },	/* 1976, not 2076 */
		{ "Monday, 06-Nov-00 08:49:37 GMT", NOW_2025, 973500577 },	/* 2000 */
		{ "Thursday, 06-Nov-25 08:49:37 GMT", NOW_2025, 1762418977 },	/* 2025 */
		{ "Saturday, 06-Nov-00 08:49:37 GMT", NOW_2099, 4129174177LL },	/* 2100 */
		{ "Thursday, 06-Nov-49 08:49:37 GMT", NOW_2099, 5675474977LL },	/* 2149: +50 */
		{ "Sunday, 06-Nov-50 08:49:37 GMT", NOW_2099, 2551337377LL },	/* 2050 */
		{ "Sunday, 06-Nov-94 08:49:37 GMT", 0, RFC_EXAMPLE },		/* now 1970 */
		{ "Wednesday, 31-Dec-97 23:59:60 GMT", NOW_2025, 883612800 },
		{ "Tuesday, 29-Feb-00 00:00:00 GMT", NOW_2025, 951782400 },
	};

	for (size_t i = 0; i < N(rows); i++)
		is_int(date(rows[i].s, rows[i].now), rows[i].want, "date \"%s\"", rows[i].s);
}

static void test_dates_invalid(void)
{
	static const char *const bad[] = {
		"",
		"Sun",
		"Sun,",
		"Sun, 06 Foo 1994 08:49:37 GMT",	/* no such month */
		"Sun, 06 nov 1994 08:49:37 GMT",	/* HTTP-date is case-sensitive */
		"Sun, 06 NOV 1994 08:49:37 GMT",
		"sun, 06 Nov 1994 08:49:37 GMT",
		"Xyz, 06 Nov 1994 08:49:37 GMT",	/* no such day */
		"Sunday, 06 Nov 1994 08:49:37 GMT",	/* long name, IMF date */
		"Sun, 06-Nov-94 08:49:37 GMT",		/* short name, RFC 850 date */
		"Sun, 06 Nov 94 08:49:37 GMT",		/* two-digit year in IMF */
		"Sun, 6 Nov 1994 08:49:37 GMT",		/* one-digit day in IMF */
		"Sun, 00 Nov 1994 08:49:37 GMT",	/* day 0 */
		"Sun, 31 Nov 1994 08:49:37 GMT",	/* November has 30 */
		"Sun, 32 Jan 1994 08:49:37 GMT",
		"Sun, 29 Feb 1900 08:49:37 GMT",	/* 1900 is not a leap year */
		"Sun, 30 Feb 2000 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:60:37 GMT",
		"Sun, 06 Nov 1994 08:49:61 GMT",
		"Sun, 06 Nov 1994 8:49:37 GMT",
		"Sun, 06 Nov 1994 08:49 GMT",
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 06 Nov 1994 08:49:37 gmt",
		"Sun, 06 Nov 1994 08:49:37",
		"Sun, 06 Nov 1994 08:49:37 GMT ",	/* trailing bytes */
		"Sun, 06 Nov 1994 08:49:37 GMTx",
		" Sun, 06 Nov 1994 08:49:37 GMT",
		"Sun,  06 Nov 1994 08:49:37 GMT",
		"Sun,06 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",	/* a list */
		"Sun, 06 Nov +994 08:49:37 GMT",
		"Sun, -6 Nov 1994 08:49:37 GMT",
		"Sunday, 06-Nov-1994 08:49:37 GMT",	/* four-digit year in RFC 850 */
		"Sunday, 06-Nov-94 08:49:37",
		"Sunday, 31-Apr-94 08:49:37 GMT",
		"Sunday, 06-Nov-9x 08:49:37 GMT",
		"Sun Nov 6 08:49:37 1994",		/* asctime one-digit day needs SP */
		"Sun Nov   6 08:49:37 1994",
		"Sun Nov  6 08:49:37 94",
		"Sun Nov  6 08:49:37 1994 GMT",
		"Sun Nov  0 08:49:37 1994",
		"Sun Feb 29 08:49:37 1994",
		"Sun  Nov  6 08:49:37 1994",
		"1994-11-06T08:49:37Z",
		"784111777",
	};

	for (size_t i = 0; i < N(bad); i++)
		is_int(date(bad[i], NOW_2025), INT64_MIN, "not a date: \"%s\"", bad[i]);

	/* an absurd clock: no overflow (UBSan), and no year past 9999 */
	is_int(date("Sunday, 06-Nov-94 08:49:37 GMT", INT64_MAX), INT64_MIN, "RFC 850 date at now = 2^63-1");
	is_int(date("Sunday, 06-Nov-94 08:49:37 GMT", INT64_MIN), INT64_MIN, "RFC 850 date at now = -2^63");
	is_int(date("Friday, 31-Dec-99 23:59:59 GMT", 253402300799LL), 253402300799LL,
	       "RFC 850 date in 9999");
}

/* Every proper prefix of a valid date is invalid (and read within bounds). */
static void test_dates_prefixes(void)
{
	static const char *const good[] = {
		"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
	};
	int64_t t;

	for (size_t i = 0; i < N(good); i++) {
		int bad = 0;

		for (size_t n = 0; n < strlen(good[i]); n++)
			bad += http_date_parse(exact_n(good[i], n), NOW_2025, &t) == 0;
		is_int(bad, 0, "no prefix of \"%s\" is a date", good[i]);
	}
}

/* The three forms agree with libc (strftime/timegm) and with our own
 * fmt_imf_date, from 1970 to 2100. */
static void test_dates_sweep(void)
{
	static const char *const formats[] = {
		"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y",
	};
	char buf[64], imf[IMF_DATE_LEN];
	int bad[4] = { 0 }, count = 0;

	for (int64_t t = 0; t < 4102444800LL; t += 86400 * 5 + 3607, count++) {
		time_t tt = (time_t)t;
		struct tm tm;

		gmtime_r(&tt, &tm);
		for (int f = 0; f < 3; f++) {
			size_t n = strftime(buf, sizeof(buf), formats[f], &tm);
			int64_t got;

			/* now = t: a two-digit year is then always this year */
			if (http_date_parse(exact_n(buf, n), t, &got) != 0 || got != (int64_t)timegm(&tm))
				bad[f]++;
		}
		fmt_imf_date(imf, t);
		int64_t got;
		if (http_date_parse(exact_n(imf, IMF_DATE_LEN), 0, &got) != 0 || got != t)
			bad[3]++;
	}
	is_int(bad[0], 0, "IMF-fixdate parses as timegm says, %d instants", count);
	is_int(bad[1], 0, "RFC 850 dates parse as timegm says, %d instants", count);
	is_int(bad[2], 0, "asctime dates parse as timegm says, %d instants", count);
	is_int(bad[3], 0, "fmt_imf_date output parses back to the same second, %d instants", count);
}

/* ---- entity-tags ---- */

static void test_etag_lists(void)
{
	static const struct {
		const char *field, *cur;
		int weak, strong;	/* etag_list_match with strong = 0, 1 */
	} rows[] = {
		{ "\"abc\"", "\"abc\"", 1, 1 },
		{ "W/\"abc\"", "\"abc\"", 1, 0 },	/* weak matches only weakly */
		{ "\"abc\"", "W/\"abc\"", 1, 0 },
		{ "W/\"abc\"", "W/\"abc\"", 1, 0 },
		{ "\"abd\"", "\"abc\"", 0, 0 },
		{ "\"ABC\"", "\"abc\"", 0, 0 },		/* opaque-tags compare byte for byte */
		{ "\"abc \"", "\"abc\"", -1, -1 },	/* SP is not an etagc */
		{ "\"\"", "\"\"", 1, 1 },		/* the empty tag */
		{ "\"\"", "\"abc\"", 0, 0 },
		{ "*", "\"abc\"", 1, 1 },
		{ "\"x\", \"abc\"", "\"abc\"", 1, 1 },
		{ "\"x\",\"abc\"", "\"abc\"", 1, 1 },
		{ "\"x\" ,\t W/\"abc\"", "\"abc\"", 1, 0 },
		{ "\"x\", \"y\"", "\"abc\"", 0, 0 },
		{ "\"abc\", \"y\"", "\"abc\"", 1, 1 },
		{ ",\"x\",,\"abc\",", "\"abc\"", 1, 1 },	/* empty members are skipped */
		{ "\"a,b\"", "\"a,b\"", 1, 1 },		/* a comma inside a tag */
		{ "\"a,b\"", "\"a\"", 0, 0 },
		{ "\"\x80\xff\"", "\"\x80\xff\"", 1, 1 },	/* obs-text */
		{ "", "\"abc\"", -1, -1 },
		{ ",", "\"abc\"", -1, -1 },
		{ ", ,", "\"abc\"", -1, -1 },
		{ "abc", "\"abc\"", -1, -1 },		/* not quoted */
		{ "\"abc", "\"abc\"", -1, -1 },
		{ "abc\"", "\"abc\"", -1, -1 },
		{ "\"abc\"x", "\"abc\"", -1, -1 },
		{ "\"x\" \"abc\"", "\"abc\"", -1, -1 },	/* no comma */
		{ "\"x\"; \"abc\"", "\"abc\"", -1, -1 },
		{ "w/\"abc\"", "\"abc\"", -1, -1 },	/* "W/" is case-sensitive */
		{ "W/ \"abc\"", "\"abc\"", -1, -1 },
		{ "W\"abc\"", "\"abc\"", -1, -1 },
		{ "*, \"abc\"", "\"abc\"", -1, -1 },	/* "*" stands alone */
		{ "**", "\"abc\"", -1, -1 },
		{ "\"a\x7f\"", "\"a\x7f\"", -1, -1 },	/* DEL */
		{ "\"abc\", \"a\x01\"", "\"abc\"", -1, -1 },	/* a bad member spoils the list */
		{ "\"abc\"", "abc", 0, 0 },		/* a current tag that is not one */
	};

	for (size_t i = 0; i < N(rows); i++) {
		is_int(etag_list_match(exact(rows[i].field), cstr(rows[i].cur), 0), rows[i].weak,
		       "weak match of [%s] against [%s]", rows[i].field, rows[i].cur);
		is_int(etag_list_match(exact(rows[i].field), cstr(rows[i].cur), 1), rows[i].strong,
		       "strong match of [%s] against [%s]", rows[i].field, rows[i].cur);
	}
}

static void test_if_range(void)
{
	const int64_t wed = 1577836800;		/* Wed, 01 Jan 2020 00:00:00 GMT */
	static const struct {
		const char *field, *cur;
		int64_t mtime, now;
		int want;
	} rows[] = {
		{ "\"abc\"", "\"abc\"", 0, 0, 1 },
		{ "\"abd\"", "\"abc\"", 0, 0, 0 },
		{ "W/\"abc\"", "\"abc\"", 0, 0, 0 },	/* a weak tag never counts */
		{ "\"abc\"", "W/\"abc\"", 0, 0, 0 },
		{ "\"abc\", \"x\"", "\"abc\"", 0, 0, 0 },	/* not a list */
		{ "\"abc", "\"abc\"", 0, 0, 0 },
		{ "", "\"abc\"", 0, 0, 0 },
		{ "Sun, 06 Nov 1994 08:49:37 GMT", "\"abc\"", RFC_EXAMPLE, NOW_2025, 1 },
		{ "Sunday, 06-Nov-94 08:49:37 GMT", "\"abc\"", RFC_EXAMPLE, NOW_2025, 1 },
		{ "Sun Nov  6 08:49:37 1994", "\"abc\"", RFC_EXAMPLE, NOW_2025, 1 },
		{ "Sun, 06 Nov 1994 08:49:38 GMT", "\"abc\"", RFC_EXAMPLE, NOW_2025, 0 },
		{ "Sun, 06 Nov 1994 08:49:36 GMT", "\"abc\"", RFC_EXAMPLE, NOW_2025, 0 },
		/* modified in the current second: the date is weak (§8.8.2.2) */
		{ "Sun, 06 Nov 1994 08:49:37 GMT", "\"abc\"", RFC_EXAMPLE, RFC_EXAMPLE, 0 },
		{ "Sun, 06 Nov 1994 08:49:37 GMT", "\"abc\"", RFC_EXAMPLE, RFC_EXAMPLE + 1, 1 },
		/* a date that starts with W is still a date */
		{ "Wed, 01 Jan 2020 00:00:00 GMT", "\"abc\"", wed, NOW_2025, 1 },
		{ "Wednesday, 01-Jan-20 00:00:00 GMT", "\"abc\"", wed, NOW_2025, 1 },
		{ "Wed Jan  1 00:00:00 2020", "\"abc\"", wed, NOW_2025, 1 },
		{ "W/Wed, 01 Jan 2020 00:00:00 GMT", "\"abc\"", wed, NOW_2025, 0 },
		{ "yesterday", "\"abc\"", wed, NOW_2025, 0 },
	};

	for (size_t i = 0; i < N(rows); i++)
		is_int(if_range_match(exact(rows[i].field), cstr(rows[i].cur), rows[i].mtime, rows[i].now),
		       rows[i].want, "If-Range [%s] against [%s]", rows[i].field, rows[i].cur);
}

/* ---- Range ---- */

static const char *kind_name(int k)
{
	static const char *const names[] = { "none", "single", "unsatisfiable", "multiple" };

	return k >= 0 && k < 4 ? names[k] : "?";
}

static void test_ranges(void)
{
	static const struct {
		const char *field;
		uint64_t size;
		enum range_kind want;
		uint64_t first, last;
	} rows[] = {
		{ "bytes=0-9", 100, RANGE_SINGLE, 0, 9 },
		{ "bytes=0-0", 100, RANGE_SINGLE, 0, 0 },
		{ "bytes=5-5", 100, RANGE_SINGLE, 5, 5 },
		{ "bytes=5-", 100, RANGE_SINGLE, 5, 99 },
		{ "bytes=0-", 100, RANGE_SINGLE, 0, 99 },
		/* at the end: size - 1, size, size + 1 */
		{ "bytes=99-99", 100, RANGE_SINGLE, 99, 99 },
		{ "bytes=99-", 100, RANGE_SINGLE, 99, 99 },
		{ "bytes=100-", 100, RANGE_UNSATISFIABLE },
		{ "bytes=100-100", 100, RANGE_UNSATISFIABLE },
		{ "bytes=101-", 100, RANGE_UNSATISFIABLE },
		{ "bytes=1000000-", 100, RANGE_UNSATISFIABLE },
		{ "bytes=0-98", 100, RANGE_SINGLE, 0, 98 },
		{ "bytes=0-99", 100, RANGE_SINGLE, 0, 99 },
		{ "bytes=0-100", 100, RANGE_SINGLE, 0, 99 },	/* clamped to the end */
		{ "bytes=0-101", 100, RANGE_SINGLE, 0, 99 },
		{ "bytes=50-9223372036854775807", 100, RANGE_SINGLE, 50, 99 },
		/* suffixes */
		{ "bytes=-1", 100, RANGE_SINGLE, 99, 99 },
		{ "bytes=-10", 100, RANGE_SINGLE, 90, 99 },
		{ "bytes=-99", 100, RANGE_SINGLE, 1, 99 },
		{ "bytes=-100", 100, RANGE_SINGLE, 0, 99 },
		{ "bytes=-101", 100, RANGE_SINGLE, 0, 99 },	/* longer than the file: all */
		{ "bytes=-1000000", 100, RANGE_SINGLE, 0, 99 },
		{ "bytes=-9223372036854775807", 100, RANGE_SINGLE, 0, 99 },
		{ "bytes=-0", 100, RANGE_UNSATISFIABLE },
		{ "bytes=-000", 100, RANGE_UNSATISFIABLE },
		/* tiny and empty files */
		{ "bytes=0-", 1, RANGE_SINGLE, 0, 0 },
		{ "bytes=0-0", 1, RANGE_SINGLE, 0, 0 },
		{ "bytes=-5", 1, RANGE_SINGLE, 0, 0 },
		{ "bytes=1-", 1, RANGE_UNSATISFIABLE },
		{ "bytes=0-", 0, RANGE_UNSATISFIABLE },
		{ "bytes=0-0", 0, RANGE_UNSATISFIABLE },
		{ "bytes=-1", 0, RANGE_NONE },			/* satisfiable: 200, all of nothing */
		{ "bytes=-5", 0, RANGE_NONE },
		{ "bytes=-0", 0, RANGE_UNSATISFIABLE },
		{ "bytes=5-1", 0, RANGE_NONE },			/* invalid beats empty */
		/* past 2 GiB and 4 GiB */
		{ "bytes=3000000000-3000000009", 5000000000ULL, RANGE_SINGLE, 3000000000ULL, 3000000009ULL },
		{ "bytes=-1", 5000000000ULL, RANGE_SINGLE, 4999999999ULL, 4999999999ULL },
		{ "bytes=4611686018427387903-", 1ULL << 62, RANGE_SINGLE, (1ULL << 62) - 1, (1ULL << 62) - 1 },
		/* overflow: at most 2^63 - 1, the largest off_t */
		{ "bytes=9223372036854775807-", 100, RANGE_UNSATISFIABLE },
		{ "bytes=9223372036854775808-", 100, RANGE_NONE },
		{ "bytes=18446744073709551615-", 100, RANGE_NONE },
		{ "bytes=18446744073709551616-", 100, RANGE_NONE },	/* 2^64 */
		{ "bytes=0-18446744073709551616", 100, RANGE_NONE },
		{ "bytes=-18446744073709551616", 100, RANGE_NONE },
		{ "bytes=-9223372036854775808", 100, RANGE_NONE },
		{ "bytes=99999999999999999999999999999999-", 100, RANGE_NONE },
		{ "bytes=000000000000000000000000000000001-2", 100, RANGE_SINGLE, 1, 2 },
		/* first > last: invalid, the field is ignored */
		{ "bytes=10-5", 100, RANGE_NONE },
		{ "bytes=1-0", 100, RANGE_NONE },
		{ "bytes=0-1,10-5", 100, RANGE_NONE },
		/* several ranges: multipart, unless they coalesce into one */
		{ "bytes=1-2,5-6", 100, RANGE_MULTIPLE, 1, 2 },
		{ "bytes=1-2, 5-6", 100, RANGE_MULTIPLE, 1, 2 },
		{ "bytes=1-2 ,5-6", 100, RANGE_MULTIPLE, 1, 2 },
		{ "bytes=0-1\t,\t-5", 100, RANGE_MULTIPLE, 0, 1 },
		{ "bytes=0-1,0-1", 100, RANGE_SINGLE, 0, 1 },
		{ "bytes=0-1,2-3", 100, RANGE_SINGLE, 0, 3 },		/* adjacent: one */
		{ "bytes=0-5,3-9", 100, RANGE_SINGLE, 0, 9 },		/* overlapping: one */
		{ "bytes=1000-,2000-", 100, RANGE_UNSATISFIABLE },	/* none inside */
		{ "bytes=1000-,5-6", 100, RANGE_SINGLE, 5, 6 },	/* the unsatisfiable one dropped */
		{ "bytes=0-0,-0", 100, RANGE_SINGLE, 0, 0 },
		{ "bytes=-0,-0", 100, RANGE_UNSATISFIABLE },
		{ "bytes=0-0,-5", 0, RANGE_NONE },			/* empty file, a suffix: 200 */
		{ "bytes=1-2,5-6,x", 100, RANGE_NONE },
		{ "bytes=1-2 5-6", 100, RANGE_NONE },
		/* empty list members do not count (RFC 9110 §5.6.1.2) */
		{ "bytes=0-1,", 100, RANGE_SINGLE, 0, 1 },
		{ "bytes=,0-1", 100, RANGE_SINGLE, 0, 1 },
		{ "bytes=,, 0-1 ,,", 100, RANGE_SINGLE, 0, 1 },
		{ "bytes=,", 100, RANGE_NONE },
		{ "bytes=", 100, RANGE_NONE },
		/* units */
		{ "items=0-1", 100, RANGE_NONE },
		{ "Bytes=0-1", 100, RANGE_SINGLE, 0, 1 },	/* units ignore case */
		{ "BYTES=0-1", 100, RANGE_SINGLE, 0, 1 },
		{ "byte=0-1", 100, RANGE_NONE },
		{ "bytesx=0-1", 100, RANGE_NONE },
		{ "=0-1", 100, RANGE_NONE },
		{ "bytes", 100, RANGE_NONE },
		{ "bytes 0-1", 100, RANGE_NONE },
		{ "", 100, RANGE_NONE },
		/* whitespace: only around commas */
		{ "bytes= 0-1", 100, RANGE_NONE },
		{ "bytes =0-1", 100, RANGE_NONE },
		{ "bytes=0 -1", 100, RANGE_NONE },
		{ "bytes=0- 1", 100, RANGE_NONE },
		{ "bytes=- 1", 100, RANGE_NONE },
		{ "bytes=0-1 ", 100, RANGE_SINGLE, 0, 1 },
		/* other garbage */
		{ "bytes=a-b", 100, RANGE_NONE },
		{ "bytes=1", 100, RANGE_NONE },
		{ "bytes=-", 100, RANGE_NONE },
		{ "bytes=--1", 100, RANGE_NONE },
		{ "bytes=-1-2", 100, RANGE_NONE },
		{ "bytes=1-2-3", 100, RANGE_NONE },
		{ "bytes=+1-2", 100, RANGE_NONE },
		{ "bytes=1-+2", 100, RANGE_NONE },
		{ "bytes=0x10-", 100, RANGE_NONE },
		{ "bytes=1-2;", 100, RANGE_NONE },
		{ "bytes==1-2", 100, RANGE_NONE },
	};

	for (size_t i = 0; i < N(rows); i++) {
		struct byte_range r[RANGE_MAX] = { { 12345, 67890 } };
		unsigned count;
		enum range_kind k = range_parse(exact(rows[i].field), rows[i].size, r, &count);
		int pass = k == rows[i].want &&
			   (k != RANGE_SINGLE || (count == 1 && r[0].first == rows[i].first && r[0].last == rows[i].last)) &&
			   (k != RANGE_MULTIPLE || (count > 1 && r[0].first == rows[i].first && r[0].last == rows[i].last));

		if (!ok(pass, "Range [%s] on %llu bytes: %s", rows[i].field,
			(unsigned long long)rows[i].size, kind_name((int)rows[i].want)))
			printf("#   got %s %llu-%llu\n", kind_name((int)k), (unsigned long long)r[0].first,
			       (unsigned long long)r[0].last);
	}

	/* RANGE_MAX ranges are served, one more is not (200, the whole file) */
	char many[1024];
	for (int extra = 0; extra <= 1; extra++) {
		struct byte_range r[RANGE_MAX];
		unsigned count = 0;
		size_t n = (size_t)snprintf(many, sizeof(many), "bytes=0-0");
		for (int k = 1; k < RANGE_MAX + extra; k++)
			n += (size_t)snprintf(many + n, sizeof(many) - n, ",%d-%d", 2 * k, 2 * k);
		enum range_kind kd = range_parse(exact(many), 1000, r, &count);
		if (extra)
			is_int(kd, RANGE_NONE, "%d ranges: ignored, the whole file", RANGE_MAX + 1);
		else
			ok(kd == RANGE_MULTIPLE && count == RANGE_MAX && r[RANGE_MAX - 1].first == 2 * (RANGE_MAX - 1),
			   "%d ranges: all served, in order", RANGE_MAX);
	}
	/* coalescing keeps the order asked for, and merges across it */
	{
		struct byte_range r[RANGE_MAX];
		unsigned count;
		enum range_kind kd = range_parse(exact("bytes=50-59,0-9,55-70,10-12,90-"), 100, r, &count);
		ok(kd == RANGE_MULTIPLE && count == 3 && r[0].first == 50 && r[0].last == 70 && r[1].first == 0 &&
		   r[1].last == 12 && r[2].first == 90 && r[2].last == 99,
		   "ranges coalesce (50-70, 0-12, 90-99) and keep their order");
		kd = range_parse(exact("bytes=0-9,20-29,10-19"), 100, r, &count);
		ok(kd == RANGE_SINGLE && count == 1 && r[0].first == 0 && r[0].last == 29,
		   "a range that bridges two merges all three");
	}

	/* every prefix of a valid field, read within bounds */
	static const char full[] = "bytes=12-34, -5";
	int bad = 0;
	for (size_t n = 0; n < sizeof(full) - 1; n++) {
		struct byte_range r[RANGE_MAX];
		unsigned count;
		enum range_kind k = range_parse(exact_n(full, n), 100, r, &count);

		/* "bytes=1" "bytes=12" "bytes=12-" ... "bytes=12-34, -" : none or single */
		bad += k == RANGE_MULTIPLE || k == RANGE_UNSATISFIABLE;
	}
	is_int(bad, 0, "no prefix of [%s] is multiple or unsatisfiable", full);
}

int main(void)
{
	test_dates_valid();
	test_dates_invalid();
	test_dates_prefixes();
	test_dates_sweep();
	test_etag_lists();
	test_if_range();
	test_ranges();
	free(held);
	return done_testing();
}
