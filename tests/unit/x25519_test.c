/*
 * x25519_test.c - X25519 (src/crypto/x25519.c), hosted, with ASan and UBSan:
 * the RFC 7748 §5.2 test vectors (the two single ones and the iterated one
 * after 1 and 1,000 iterations; after 1,000,000 with X25519_MILLION=1 in the
 * environment, as it takes minutes under the sanitizers), the §6.1
 * Diffie-Hellman example, and properties: low-order points give all zeros
 * and -1, a non-canonical u equals its reduced value, the top bit of u and
 * the clamped bits of the scalar are ignored, both sides of an exchange
 * agree, and out may be the same buffer as u or the scalar.
 */
#include <stdint.h>
#include <stdlib.h>
#include "tap.h"
#include "hex.h"

#include "../../src/crypto/x25519.c"

/* 64 hex digits -> 32 bytes */
static void unhex32(uint8_t out[32], const char *hex)
{
	for (int i = 0; i < 32; i++)
		out[i] = (uint8_t)(hex_nibble(hex[2 * i]) << 4 | hex_nibble(hex[2 * i + 1]));
}

#define is_hex32(got, want, ...) do { \
	char h_[65]; \
	tohex(h_, (got), 32); \
	if (!ok(strcmp(h_, (want)) == 0, __VA_ARGS__)) \
		printf("#   got  %s\n#   want %s\n", h_, (want)); \
} while (0)

#define is_same32(got, want, ...) do { \
	char g_[65], w_[65]; \
	tohex(g_, (got), 32); \
	tohex(w_, (want), 32); \
	if (!ok(strcmp(g_, w_) == 0, __VA_ARGS__)) \
		printf("#   got  %s\n#   want %s\n", g_, w_); \
} while (0)

static const uint8_t zero32[32];

/* a fixed pseudo-random sequence (xorshift64) for the property tests */
static uint64_t rng_state = 0x9e3779b97f4a7c15;

static void random32(uint8_t out[32])
{
	for (int i = 0; i < 32; i++) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		out[i] = (uint8_t)(rng_state >> 32);
	}
}

static void single_vectors(void)
{
	static const struct {
		const char *scalar, *u, *out;
	} v[] = {
		{ "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
		  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
		  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552" },
		/* the top bit of u is set: it must be ignored */
		{ "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
		  "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
		  "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957" },
	};
	uint8_t k[32], u[32], out[32];

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		unhex32(k, v[i].scalar);
		unhex32(u, v[i].u);
		is_int(x25519(out, k, u), 0, "RFC 7748 5.2 vector %zu returns 0", i + 1);
		is_hex32(out, v[i].out, "RFC 7748 5.2 vector %zu", i + 1);
	}
}

/* §5.2: k = u = 9; repeatedly k, u = X25519(k, u), k */
static void iterated(void)
{
	uint8_t k[32] = { 9 }, u[32] = { 9 }, out[32];
	long n = getenv("X25519_MILLION") ? 1000000 : 1000;

	for (long i = 1; i <= n; i++) {
		x25519(out, k, u);
		memcpy(u, k, 32);
		memcpy(k, out, 32);
		if (i == 1)
			is_hex32(k, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
				 "RFC 7748 5.2 iterated, 1 iteration");
		if (i == 1000)
			is_hex32(k, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51",
				 "RFC 7748 5.2 iterated, 1,000 iterations");
		if (i == 1000000)
			is_hex32(k, "7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424",
				 "RFC 7748 5.2 iterated, 1,000,000 iterations");
	}
	if (n < 1000000)
		printf("# skipped the 1,000,000 iterations (set X25519_MILLION=1)\n");
}

static void diffie_hellman(void)
{
	uint8_t a[32], b[32], pub_a[32], pub_b[32], k_a[32], k_b[32];

	unhex32(a, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
	unhex32(b, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
	x25519_public(pub_a, a);
	is_hex32(pub_a, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
		 "RFC 7748 6.1 Alice's public key");
	x25519_public(pub_b, b);
	is_hex32(pub_b, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
		 "RFC 7748 6.1 Bob's public key");
	is_int(x25519(k_a, a, pub_b), 0, "RFC 7748 6.1 Alice's side returns 0");
	is_hex32(k_a, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
		 "RFC 7748 6.1 shared secret, Alice's side");
	is_int(x25519(k_b, b, pub_a), 0, "RFC 7748 6.1 Bob's side returns 0");
	is_hex32(k_b, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
		 "RFC 7748 6.1 shared secret, Bob's side");
}

/* §6.1: points of small order (and their non-canonical forms) give 0 */
static void low_order(void)
{
	static const char *const u[] = {
		"0000000000000000000000000000000000000000000000000000000000000000",	/* order 1 (infinity) */
		"0100000000000000000000000000000000000000000000000000000000000000",	/* 1, order 4 */
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",	/* order 8 */
		"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",	/* order 8 */
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",	/* p - 1, order 4 */
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",	/* p = 0 */
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",	/* p + 1 = 1 */
		"0000000000000000000000000000000000000000000000000000000000000080",	/* 0, top bit set */
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",	/* order 8, top bit set */
	};
	uint8_t k[32], pt[32], out[32];

	for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
		unhex32(pt, u[i]);
		for (int j = 0; j < 4; j++) {
			random32(k);
			memset(out, 0xa5, 32);
			is_int(x25519(out, k, pt), -1, "low-order u %zu, scalar %d: returns -1", i, j);
			ok(memcmp(out, zero32, 32) == 0, "low-order u %zu, scalar %d: out is all zeros", i, j);
		}
	}
}

/* u and u + p (both < 2^255) are the same field element; 2^255 - 1 = p + 18 */
static void non_canonical(void)
{
	uint8_t k[32], u[32], u_p[32], a[32], b[32];

	unhex32(u_p, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
	memset(u, 0, 32);
	u[0] = 18;
	for (int j = 0; j < 4; j++) {
		random32(k);
		is_int(x25519(a, k, u_p), 0, "u = 2^255 - 1 returns 0");
		is_int(x25519(b, k, u), 0, "u = 18 returns 0");
		is_same32(a, b, "u = 2^255 - 1 gives the same as u = 18 (scalar %d)", j);
	}
	/* u = 9 + p: the base point */
	unhex32(u_p, "f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
	for (int j = 0; j < 4; j++) {
		random32(k);
		x25519(a, k, u_p);
		x25519_public(b, k);
		is_same32(a, b, "u = 9 + p gives the public key (scalar %d)", j);
	}
	/* every u < 19 against u + p */
	for (int v = 0; v < 19; v++) {
		memset(u, 0, 32);
		u[0] = (uint8_t)v;
		unhex32(u_p, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
		u_p[0] = (uint8_t)(u_p[0] + v);
		random32(k);
		is_int(x25519(a, k, u_p), x25519(b, k, u), "u = %d + p: same return value as u = %d", v, v);
		is_same32(a, b, "u = %d + p gives the same as u = %d", v, v);
	}
}

static void top_bit_and_clamping(void)
{
	uint8_t k[32], k2[32], u[32], u2[32], a[32], b[32];

	for (int j = 0; j < 8; j++) {
		random32(k);
		random32(u);
		u[31] &= 0x7f;
		memcpy(u2, u, 32);
		u2[31] |= 0x80;
		x25519(a, k, u);
		x25519(b, k, u2);
		is_same32(a, b, "top bit of u ignored (%d)", j);

		/* bits 0-2 and 255 are cleared, bit 254 set (§5) */
		memcpy(k2, k, 32);
		k2[0] ^= (uint8_t)(1 + j % 7);
		k2[31] ^= (uint8_t)(0x40 << (j & 1)) | (uint8_t)(j & 2 ? 0xc0 : 0);
		ok(memcmp(k, k2, 32) != 0, "scalars differ (%d)", j);
		x25519(b, k2, u);
		is_same32(a, b, "scalars differing in clamped bits agree (%d)", j);
	}
}

static void exchange_and_aliasing(void)
{
	uint8_t a[32], b[32], pub_a[32], pub_b[32], k_a[32], k_b[32], buf[32];

	for (int j = 0; j < 16; j++) {
		random32(a);
		random32(b);
		x25519_public(pub_a, a);
		x25519_public(pub_b, b);
		is_int(x25519(k_a, a, pub_b), 0, "exchange %d, side a returns 0", j);
		is_int(x25519(k_b, b, pub_a), 0, "exchange %d, side b returns 0", j);
		is_same32(k_a, k_b, "exchange %d: both sides agree", j);

		memcpy(buf, pub_b, 32);
		is_int(x25519(buf, a, buf), 0, "exchange %d: out == u returns 0", j);
		is_same32(buf, k_a, "exchange %d: out == u", j);
		memcpy(buf, a, 32);
		x25519(buf, buf, pub_b);
		is_same32(buf, k_a, "exchange %d: out == scalar", j);
		memcpy(buf, a, 32);
		x25519_public(buf, buf);
		is_same32(buf, pub_a, "exchange %d: x25519_public in place", j);
	}
}

int main(void)
{
	single_vectors();
	iterated();
	diffie_hellman();
	low_order();
	non_canonical();
	top_bit_and_clamping();
	exchange_and_aliasing();
	return done_testing();
}
