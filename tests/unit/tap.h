/*
 * tap.h - the smallest Test Anything Protocol harness: ok(), is_int(),
 * is_str(), done_testing(). Hosted (uses stdio); unit tests only.
 */
#ifndef SCRATCHD_TAP_H
#define SCRATCHD_TAP_H

#include <stdio.h>
#include <stdarg.h>
#include <string.h>

static int tap_count, tap_failed;

/* Record one test result; print "ok N - name" or "not ok N - name". */
#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 4, 5)))
static int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return pass;
}

#define is_int(got, want, ...) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (!ok(g_ == w_, __VA_ARGS__)) \
		printf("#   got %lld, want %lld\n", g_, w_); \
} while (0)

#define is_mem(got, got_len, want, ...) do { \
	size_t gl_ = (got_len), wl_ = strlen(want); \
	if (!ok(gl_ == wl_ && memcmp((got), (want), wl_) == 0, __VA_ARGS__)) \
		printf("#   got \"%.*s\", want \"%s\"\n", (int)gl_, (const char *)(got), (want)); \
} while (0)

static int done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}

#endif
