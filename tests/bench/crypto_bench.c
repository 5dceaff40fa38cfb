/*
 * crypto_bench.c - how fast the crypto layer is, built like the server
 * (-O2, baseline CPU, one core): microseconds per operation for the
 * public-key operations of a handshake, MB/s for the AEADs at 16 KiB (a
 * full TLS record). Each measurement runs for BENCH_SECONDS (default 1)
 * and prints one line "NAME VALUE UNIT"; tests/bench/crypto_bench.sh puts
 * `openssl speed` beside it (make bench-crypto).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../crypto/sources.h"

static double seconds = 1.0;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run op until the time is up; returns seconds per call. */
#define MEASURE(result, op) do { \
	long calls_ = 0; \
	double start_ = now(), end_; \
	do { \
		for (int i_ = 0; i_ < 16; i_++) { op; } \
		calls_ += 16; \
		end_ = now(); \
	} while (end_ - start_ < seconds); \
	result = (end_ - start_) / calls_; \
} while (0)

static _Alignas(64) uint8_t key_mem[P256_KEY_SIZE];
static uint8_t buf[16384], out[16384 + 16];

int main(void)
{
	uint8_t scalar[32], u[32], shared[32], pub[65], hash[32], rnd[32], sig[64], tag[16], k32[32], nonce[12];
	struct p256_key *key = (struct p256_key *)key_mem;
	double t;

	if (getenv("BENCH_SECONDS"))
		seconds = atof(getenv("BENCH_SECONDS"));
	for (int i = 0; i < 32; i++)
		scalar[i] = (uint8_t)(i * 7 + 1), hash[i] = (uint8_t)i, rnd[i] = (uint8_t)(i * 3), k32[i] = (uint8_t)(i + 9);
	memset(nonce, 7, sizeof(nonce));
	memset(buf, 0x5a, sizeof(buf));

	x25519_public(u, scalar);
	MEASURE(t, x25519(shared, scalar, u));
	printf("x25519 %.2f us/op\n", t * 1e6);

	p256_public(pub, scalar);
	MEASURE(t, p256_ecdh(shared, scalar, pub));
	printf("p256-ecdh %.2f us/op\n", t * 1e6);
	MEASURE(t, p256_public(pub, scalar));
	printf("p256-keygen %.2f us/op\n", t * 1e6);
	p256_key_init(key, scalar);
	MEASURE(t, p256_sign(key, sig, hash, rnd, sizeof(rnd)));
	printf("p256-sign %.2f us/op\n", t * 1e6);
	p256_key_public(key, pub);
	MEASURE(t, p256_verify(pub, hash, sig));
	printf("p256-verify %.2f us/op\n", t * 1e6);

	MEASURE(t, chacha20poly1305_seal(out, tag, buf, sizeof(buf), NULL, 0, k32, nonce));
	printf("chacha20-poly1305-seal %.0f MB/s\n", sizeof(buf) / t / 1e6);
	MEASURE(t, chacha20poly1305_open(buf, out, sizeof(buf), tag, NULL, 0, k32, nonce));
	printf("chacha20-poly1305-open %.0f MB/s\n", sizeof(buf) / t / 1e6);

	if (aesgcm_cpu_init(0)) {
		struct aesgcm_key ak;

		aesgcm_init(&ak, k32, 16);
		MEASURE(t, aesgcm_seal(&ak, out, tag, buf, sizeof(buf), nonce, 12, NULL, 0));
		printf("aes-128-gcm-seal %.0f MB/s\n", sizeof(buf) / t / 1e6);
		MEASURE(t, aesgcm_open(&ak, buf, out, sizeof(buf), tag, nonce, 12, NULL, 0));
		printf("aes-128-gcm-open %.0f MB/s\n", sizeof(buf) / t / 1e6);
	}
	return 0;
}
