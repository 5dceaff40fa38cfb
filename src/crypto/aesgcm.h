/*
 * aesgcm.h - AES-GCM (FIPS 197; NIST SP 800-38D) with AES-128, -192 or -256,
 * on the CPU's AES instructions only: AES-NI and PCLMULQDQ on x86-64, the
 * ARMv8 Cryptography Extensions (AESE/AESMC, PMULL) on aarch64. There is no
 * table-based software AES (its lookups leak the key through the cache):
 * where the CPU has no AES instructions, aesgcm_available() is 0 and TLS
 * offers ChaCha20-Poly1305 alone.
 *
 * The backend is one file per architecture, chosen by the Makefile
 * (aesgcm_x86.c, aesgcm_arm.c, aesgcm_none.c); aesgcm.c holds what they
 * share (the counter block J0, the length block, the tag check).
 */
#ifndef SCRATCHD_AESGCM_H
#define SCRATCHD_AESGCM_H

#include <stddef.h>
#include <stdint.h>

#define AESGCM_TAG_LEN	16
#define AESGCM_NONCE_LEN 12	/* the usual IV (SP 800-38D §8.2.1); others work too */

/* An expanded key: round keys and GHASH powers of H, laid out by the
 * backend (aesgcm_backend.h): 15 round keys, H^1..H^8, and 8 bytes per
 * power for Karatsuba multiplication. 16-byte aligned; no pointers. */
struct aesgcm_key {
	_Alignas(16) uint8_t opaque[15 * 16 + 8 * 16 + 8 * 8];
	uint32_t rounds;	/* 10, 12 or 14 */
};

/* Find out once whether the CPU can run AES-GCM here. hwcap: the auxiliary
 * vector's AT_HWCAP (aarch64 reads its bits; x86-64 asks CPUID). Returns
 * the answer that aesgcm_available() gives from then on. */
int aesgcm_cpu_init(unsigned long hwcap);
int aesgcm_available(void);

/* Expand a 16, 24 or 32-byte key. Returns 0, or -1 (bad length, or no AES
 * instructions: aesgcm_available() is 0). */
int aesgcm_init(struct aesgcm_key *k, const uint8_t *key, size_t key_len);
void aesgcm_wipe(struct aesgcm_key *k);

/* ct[0..n) and tag from pt[0..n), the IV (any non-zero length; 12 bytes is
 * the fast path) and ad. In place (ct == pt) or disjoint. */
void aesgcm_seal(const struct aesgcm_key *k, uint8_t *ct, uint8_t tag[AESGCM_TAG_LEN], const uint8_t *pt,
		 size_t n, const uint8_t *iv, size_t iv_len, const uint8_t *ad, size_t ad_len);

/* pt[0..n) from ct[0..n) if tag is right: 0; else -1, pt not written. */
int aesgcm_open(const struct aesgcm_key *k, uint8_t *pt, const uint8_t *ct, size_t n,
		const uint8_t tag[AESGCM_TAG_LEN], const uint8_t *iv, size_t iv_len, const uint8_t *ad,
		size_t ad_len);

#endif
