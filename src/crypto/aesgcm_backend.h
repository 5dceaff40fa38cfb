/*
 * aesgcm_backend.h - what aesgcm.c (NIST SP 800-38D §7: J0, the length
 * block, the tag; FIPS 197 §5.2 KeyExpansion) asks of the one backend the
 * Makefile builds for the architecture: aesgcm_x86.c (AES-NI, PCLMULQDQ),
 * aesgcm_arm.c (ARMv8 Cryptography Extensions) or aesgcm_none.c (neither).
 *
 * Blocks cross this interface in the specification's byte order (byte 0
 * first, bit 7 of byte 0 is GHASH's x^0); how a backend holds them in its
 * registers is its own affair. Of these functions only aesgcm_hw_detect()
 * runs before aesgcm_hw_detect() has said yes.
 */
#ifndef SCRATCHD_AESGCM_BACKEND_H
#define SCRATCHD_AESGCM_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include "aesgcm.h"

/* struct aesgcm_key's opaque bytes, the same for both instruction sets:
 * the round keys (FIPS 197 §5.2: w[0..4(Nr+1)), each word's bytes in
 * order), then H^1..H^8 in the backend's GHASH form, then for each power
 * the XOR of its two 64-bit halves (Karatsuba's middle operand). */
#define AESGCM_ROUND_KEYS	0
#define AESGCM_H_POWERS		(15 * 16)
#define AESGCM_H_KARATSUBA	(15 * 16 + 8 * 16)
#define AESGCM_WIDE		8	/* blocks per step of the fast paths */

/* 1 if this CPU has the instructions (hwcap: AT_HWCAP, where that says). */
int aesgcm_hw_detect(unsigned long hwcap);

/* FIPS 197 §5.2 SubWord: the S-box on each byte of w (byte 0 in bits 0-7). */
uint32_t aesgcm_hw_sub_word(uint32_t w);

/* H = CIPH_K(0^128) (SP 800-38D §7.1 step 1) and its powers, once the
 * round keys are in place. */
void aesgcm_hw_init_ghash(struct aesgcm_key *k);

/* out = CIPH_K(in). */
void aesgcm_hw_encrypt_block(const struct aesgcm_key *k, uint8_t out[16], const uint8_t in[16]);

/* GCTR (§6.5): out[0..n) = in[0..n) ^ CIPH_K(cb), CIPH_K(inc32(cb)), ...;
 * the last block may be partial. out == in or disjoint. */
void aesgcm_hw_ctr32(const struct aesgcm_key *k, uint8_t *out, const uint8_t *in, size_t n,
		     const uint8_t cb[16]);

/* GHASH (§6.4) continued over in[0..n), its last block padded with zero
 * bits: y = (y ^ X1) * H, then (y ^ X2) * H, ... */
void aesgcm_hw_ghash(const struct aesgcm_key *k, uint8_t y[16], const uint8_t *in, size_t n);

/* The key's address, hidden from the optimiser at each step of a loop:
 * the backends then load round keys and powers of H from the key where
 * they are used, instead of keeping copies on the stack that nothing would
 * wipe. */
static inline const struct aesgcm_key *aesgcm_reload(const struct aesgcm_key *k)
{
	__asm__ volatile("" : "+r"(k));
	return k;
}

#endif
