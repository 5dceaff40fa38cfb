/*
 * hex.h - test vectors written in hex, for the unit tests: hex to bytes,
 * bytes to hex, and is_hex(), which prints both sides when they differ.
 * Spaces, colons and newlines inside a vector are ignored (RFCs print their
 * values in blocks). Hosted (stdio), tests only.
 */
#ifndef SCRATCHD_TEST_HEX_H
#define SCRATCHD_TEST_HEX_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value of a hex digit; anything else is a broken test vector. */
static inline int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	fprintf(stderr, "not a hex digit in a test vector: '%c'\n", c);
	abort();
}

/* hex -> bytes in out; returns the number of bytes. */
static inline size_t unhex(uint8_t *out, const char *hex)
{
	size_t n = 0;

	while (*hex) {
		if (*hex == ' ' || *hex == ':' || *hex == '\n') {
			hex++;
			continue;
		}
		out[n++] = (uint8_t)(hex_nibble(hex[0]) << 4 | hex_nibble(hex[1]));
		hex += 2;
	}
	return n;
}

/* bytes -> lowercase hex in out (2 n + 1 bytes), NUL-terminated. */
static inline void tohex(char *out, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = 0;
}

/* 1 if p[0..n) is exactly the bytes the hex string says. */
static inline int eq_hex(const uint8_t *p, size_t n, const char *hex)
{
	static uint8_t want[65536];
	size_t m = unhex(want, hex);

	return m == n && memcmp(p, want, n) == 0;
}

/* A TAP test that got[0..n) is the vector want; both printed if not. */
#define is_hex(got, n, want, ...) do { \
	static char got_hex_[2 * 32768 + 1]; \
	size_t n_ = (n); \
	if (!ok(eq_hex((got), n_, (want)), __VA_ARGS__)) { \
		tohex(got_hex_, (got), n_ < 32768 ? n_ : 32768); \
		printf("#   got  %s\n#   want %s\n", got_hex_, (want)); \
	} \
} while (0)

#endif
