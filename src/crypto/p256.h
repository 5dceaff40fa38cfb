/*
 * p256.h - the NIST P-256 curve (FIPS 186-5, SP 800-186 §3.2.1.3; SEC 1):
 * ECDH, ECDSA signing with SHA-256 and verification.
 *
 * Points travel in SEC 1 §2.3.3 uncompressed form: 0x04 || X || Y, 65 bytes.
 * Scalars are 32 bytes, big-endian. Everything that touches a private
 * scalar runs in constant time; verification works on public values only.
 *
 * One-time set-up: the first call that multiplies by the generator
 * (p256_public, p256_key_init, p256_sign, p256_verify) fills a 148 KiB
 * static table of multiples of G (about 1.5 ms; static storage in
 * .bss, LARGE_BUFFER), which every later call only reads. A process that
 * forks workers should make that first call before forking, so that they
 * share the table's pages. Not thread-safe until then.
 */
#ifndef SCRATCHD_P256_H
#define SCRATCHD_P256_H

#include <stddef.h>
#include <stdint.h>

#define P256_SCALAR_LEN	32
#define P256_POINT_LEN	65	/* 0x04 || X || Y */
#define P256_SIG_LEN	64	/* r || s, 32 bytes each (IEEE P1363) */

/* Build G's table now (the one-time set-up above), if it is not built yet. */
void p256_precompute(void);

/* pub = priv * G. Returns 0, or -1 if priv is 0 or >= n (the group order). */
int p256_public(uint8_t pub[P256_POINT_LEN], const uint8_t priv[P256_SCALAR_LEN]);

/* The shared secret: the X coordinate of priv * pub (SEC 1 §3.3.1). pub is
 * fully validated first (SEC 1 §3.2.2.1: uncompressed form, X and Y below p,
 * on the curve; the point at infinity has no encoding). Returns 0, or -1 for
 * a bad point or a bad scalar (nothing useful is written then). */
int p256_ecdh(uint8_t shared[32], const uint8_t priv[P256_SCALAR_LEN], const uint8_t pub[P256_POINT_LEN]);

/* 0 if pub is a valid uncompressed point (as p256_ecdh checks), else -1. */
int p256_check_point(const uint8_t pub[P256_POINT_LEN]);

/*
 * A signing key, prepared once (the signer process holds one or two): the
 * private scalar, its public point, and what makes signing and the check
 * after it fast. Its size is fixed; it holds no pointer.
 */
struct p256_key;
/* Bytes of struct p256_key (the type is p256.c's; callers give aligned
 * storage of this size, checked by a static assertion): a table of 37 x 64
 * multiples of the public point, 64 bytes each (148 KiB: it makes the check
 * after each signature fast), then the scalar and the encoded point (104
 * bytes with padding). */
#define P256_KEY_SIZE	(37 * 64 * 64 + 104)

/* Prepare k from priv (this builds the table of Q: about 1.5 ms). Returns
 * 0, or -1 if priv is 0 or >= n. */
int p256_key_init(struct p256_key *k, const uint8_t priv[P256_SCALAR_LEN]);
/* The public point of k. */
void p256_key_public(const struct p256_key *k, uint8_t pub[P256_POINT_LEN]);
/* Wipe k. */
void p256_key_wipe(struct p256_key *k);

/*
 * ECDSA signature (FIPS 186-5 §6.4.1) of a SHA-256 digest, r || s. The nonce
 * is RFC 6979's (§3.2, HMAC-SHA256), with the caller's fresh random bytes
 * (rand_len 0 to 64; 32 is usual) mixed in as the "additional data" k' of
 * §3.6: deterministic when rand_len is 0 (the RFC's test vectors), and still
 * safe if the random bytes are bad. The signature is verified against the
 * public key before it is returned (a fault must not release a bad one).
 * Returns 0, or -1 (nothing written) if that check failed.
 */
int p256_sign(const struct p256_key *k, uint8_t sig[P256_SIG_LEN], const uint8_t hash[32],
	      const uint8_t *rand, size_t rand_len);

/* ECDSA verification (FIPS 186-5 §6.4.2): 0 if sig (r || s) is valid for
 * hash under pub, else -1 (also for a bad point, r or s out of [1, n-1]).
 * Variable time: every input is public. */
int p256_verify(const uint8_t pub[P256_POINT_LEN], const uint8_t hash[32], const uint8_t sig[P256_SIG_LEN]);

#endif
