/*
 * tls_test.h - what the TLS unit tests share: the crypto and TLS sources
 * under test (included whole, as the other unit tests do) and hex helpers.
 * Hosted; for tests/unit/tls_*_test.c only.
 */
#ifndef SCRATCHD_TLS_TEST_H
#define SCRATCHD_TLS_TEST_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include "tap.h"

#include "../../src/crypto/sha256.c"
#include "../../src/crypto/hmac.c"
#include "../../src/crypto/hkdf.c"
#include "../../src/crypto/chacha20.c"
#include "../../src/crypto/poly1305.c"
#include "../../src/crypto/chacha20poly1305.c"
#include "../../src/crypto/aesgcm.c"
/* the backend the Makefile would choose */
#if defined(__x86_64__)
#include "../../src/crypto/aesgcm_x86.c"
#elif defined(__aarch64__)
#include "../../src/crypto/aesgcm_arm.c"
#else
#include "../../src/crypto/aesgcm_none.c"
#endif
#include "../../src/tls/keysched.c"
#include "../../src/tls/transcript.c"
#include "../../src/tls/record.c"

/* 1 if AES-GCM runs here (the server's own check, aesgcm_cpu_init()) */
static inline int have_aesgcm(void)
{
	return aesgcm_cpu_init(getauxval(AT_HWCAP));
}

static inline int hex_digit(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* hex (spaces and newlines ignored) -> bytes; returns the length */
static inline size_t unhex(uint8_t *out, const char *hex)
{
	size_t n = 0;

	while (*hex) {
		if (*hex == ' ' || *hex == '\n') {
			hex++;
			continue;
		}
		out[n++] = (uint8_t)(hex_digit(hex[0]) << 4 | hex_digit(hex[1]));
		hex += 2;
	}
	return n;
}

/* 1 if p[0..n) is exactly the bytes of hex */
static inline int eq_hex(const uint8_t *p, size_t n, const char *hex)
{
	static uint8_t want[32768];
	size_t m = unhex(want, hex);

	return m == n && memcmp(p, want, n) == 0;
}

static inline void print_hex(const char *what, const uint8_t *p, size_t n)
{
	printf("#   %s ", what);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

#define is_hex(got, n, want, ...) do { \
	if (!ok(eq_hex((got), (n), (want)), __VA_ARGS__)) \
		print_hex("got ", (got), (n)); \
} while (0)

#endif
