/*
 * aesgcm_none.c - the AES-GCM backend for CPUs without AES instructions
 * (riscv64 and any other architecture): there is none. aesgcm.h explains
 * why there is no table-based AES to fall back on (its lookups leak the key
 * through the cache); aesgcm_available() stays 0, aesgcm_init() returns -1,
 * and TLS offers ChaCha20-Poly1305 alone.
 *
 * Constant time and wiping: nothing here touches a secret. The functions
 * below exist for the linker: aesgcm.c reaches them only with a key that
 * aesgcm_init() refused, a caller's bug, which stops the program rather
 * than let anything leave "encrypted".
 */
#include "aesgcm_backend.h"

int aesgcm_hw_detect(unsigned long hwcap)
{
	(void)hwcap;
	return 0;
}

uint32_t aesgcm_hw_sub_word(uint32_t w)
{
	(void)w;
	__builtin_trap();
}

void aesgcm_hw_init_ghash(struct aesgcm_key *k)
{
	(void)k;
	__builtin_trap();
}

void aesgcm_hw_encrypt_block(const struct aesgcm_key *k, uint8_t out[16], const uint8_t in[16])
{
	(void)k, (void)out, (void)in;
	__builtin_trap();
}

void aesgcm_hw_ctr32(const struct aesgcm_key *k, uint8_t *out, const uint8_t *in, size_t n, const uint8_t cb[16])
{
	(void)k, (void)out, (void)in, (void)n, (void)cb;
	__builtin_trap();
}

void aesgcm_hw_ghash(const struct aesgcm_key *k, uint8_t y[16], const uint8_t *in, size_t n)
{
	(void)k, (void)y, (void)in, (void)n;
	__builtin_trap();
}
