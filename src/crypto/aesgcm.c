/*
 * aesgcm.c - AES-GCM, the part every backend shares: NIST SP 800-38D §7.1
 * (GCM-AE: the pre-counter block J0, GCTR from inc32(J0), the tag from
 * GHASH over A, C and the length block) and §7.2 (GCM-AD: the tag is
 * checked before any plaintext is written), and FIPS 197 §5.2
 * (KeyExpansion, with SubWord on the CPU's AES instruction). The AES
 * rounds and GHASH run in the backend (aesgcm_backend.h).
 *
 * Constant time: branches and loop bounds here depend on lengths and the
 * key size only; the one secret-derived value a branch reads is whether
 * the tag matched, which the protocol makes public (declassified). Wiped:
 * J0 and the counter block (J0 is GHASH_H(IV) for an IV that is not 96
 * bits long), E(K, J0), the GHASH state and the expected tag.
 */
#include "aesgcm.h"
#include "aesgcm_backend.h"
#include "ct.h"
#include "../mem.h"

static int have_hw;

int aesgcm_cpu_init(unsigned long hwcap)
{
	have_hw = aesgcm_hw_detect(hwcap);
	return have_hw;
}

int aesgcm_available(void)
{
	return have_hw;
}

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void store_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* FIPS 197 §5.2: w[i] = w[i-Nk] ^ temp, where temp is w[i-1], after
 * RotWord, SubWord and Rcon every Nk words, and after SubWord alone at
 * i mod 8 == 4 for a 256-bit key. A word's byte j sits in bits 8j..8j+7,
 * so RotWord is a right rotation by 8 and Rcon[i/Nk] = {x^(i/Nk-1), 0, 0, 0}
 * (§4.2, §5.2) goes in the low byte. Indices and branches depend on the
 * key length only. */
static void expand_key(uint8_t *w, const uint8_t *key, size_t nk, size_t words)
{
	static const uint8_t rcon[10] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36 };

	memcpy(w, key, 4 * nk);
	for (size_t i = nk; i < words; i++) {
		uint32_t temp = load_le32(w + 4 * (i - 1));

		if (i % nk == 0)
			temp = aesgcm_hw_sub_word(temp >> 8 | temp << 24) ^ rcon[i / nk - 1];
		else if (nk > 6 && i % nk == 4)
			temp = aesgcm_hw_sub_word(temp);
		store_le32(w + 4 * i, load_le32(w + 4 * (i - nk)) ^ temp);
	}
}

int aesgcm_init(struct aesgcm_key *k, const uint8_t *key, size_t key_len)
{
	if (!have_hw || (key_len != 16 && key_len != 24 && key_len != 32))
		return -1;
	k->rounds = (uint32_t)(key_len / 4 + 6);	/* §5: Nr = Nk + 6 */
	expand_key(k->opaque + AESGCM_ROUND_KEYS, key, key_len / 4, 4 * (k->rounds + 1));
	aesgcm_hw_init_ghash(k);
	return 0;
}

void aesgcm_wipe(struct aesgcm_key *k)
{
	ct_wipe(k, sizeof(*k));
}

/* §7.1 step 2: J0 = IV || 0^31 || 1 for a 96-bit IV, otherwise
 * GHASH_H(IV || 0^(s+64) || [len(IV)]64). */
static void pre_counter_block(const struct aesgcm_key *k, uint8_t j0[16], const uint8_t *iv, size_t iv_len)
{
	uint8_t len_block[16] = { 0 };

	if (iv_len == AESGCM_NONCE_LEN) {
		memcpy(j0, iv, AESGCM_NONCE_LEN);
		memset(j0 + AESGCM_NONCE_LEN, 0, 3);
		j0[15] = 1;
		return;
	}
	memset(j0, 0, 16);
	aesgcm_hw_ghash(k, j0, iv, iv_len);
	store_be64(len_block + 8, (uint64_t)iv_len * 8);
	aesgcm_hw_ghash(k, j0, len_block, sizeof(len_block));
}

/* §6.2 inc32: the low 32 bits of the block, big-endian, plus one mod 2^32. */
static void inc32(uint8_t cb[16], const uint8_t j0[16])
{
	uint32_t c = (uint32_t)j0[12] << 24 | (uint32_t)j0[13] << 16 | (uint32_t)j0[14] << 8 | j0[15];

	c++;
	memcpy(cb, j0, 12);
	cb[12] = (uint8_t)(c >> 24);
	cb[13] = (uint8_t)(c >> 16);
	cb[14] = (uint8_t)(c >> 8);
	cb[15] = (uint8_t)c;
}

/* §7.1 steps 5-6: S = GHASH_H(A || 0^v || C || 0^u || [len(A)]64 ||
 * [len(C)]64), T = GCTR_K(J0, S) = CIPH_K(J0) ^ S (t = 128). */
static void compute_tag(const struct aesgcm_key *k, uint8_t tag[AESGCM_TAG_LEN], const uint8_t j0[16],
			const uint8_t *ad, size_t ad_len, const uint8_t *c, size_t n)
{
	uint8_t s[16] = { 0 }, len_block[16], ek_j0[16];

	aesgcm_hw_ghash(k, s, ad, ad_len);
	aesgcm_hw_ghash(k, s, c, n);
	store_be64(len_block, (uint64_t)ad_len * 8);
	store_be64(len_block + 8, (uint64_t)n * 8);
	aesgcm_hw_ghash(k, s, len_block, sizeof(len_block));
	aesgcm_hw_encrypt_block(k, ek_j0, j0);
	for (int i = 0; i < AESGCM_TAG_LEN; i++)
		tag[i] = ek_j0[i] ^ s[i];
	WIPE(s);
	WIPE(ek_j0);
}

/* n must stay below 2^36 - 32 bytes and ad_len below 2^61 (§5.2.1.1);
 * TLS records are far smaller. An empty IV is not allowed (§5.2.1.1):
 * rather than encrypt under J0 = 0, seal then writes zeros. */
void aesgcm_seal(const struct aesgcm_key *k, uint8_t *ct, uint8_t tag[AESGCM_TAG_LEN], const uint8_t *pt,
		 size_t n, const uint8_t *iv, size_t iv_len, const uint8_t *ad, size_t ad_len)
{
	uint8_t j0[16], cb[16];

	if (iv_len == 0) {
		memset(ct, 0, n);
		memset(tag, 0, AESGCM_TAG_LEN);
		return;
	}
	pre_counter_block(k, j0, iv, iv_len);
	inc32(cb, j0);
	aesgcm_hw_ctr32(k, ct, pt, n, cb);
	compute_tag(k, tag, j0, ad, ad_len, ct, n);
	WIPE(j0);
	WIPE(cb);
}

/* §7.2: the tag is computed over the ciphertext and compared first; the
 * plaintext is made (GCTR from inc32(J0)) only when it matched. */
int aesgcm_open(const struct aesgcm_key *k, uint8_t *pt, const uint8_t *ct, size_t n,
		const uint8_t tag[AESGCM_TAG_LEN], const uint8_t *iv, size_t iv_len, const uint8_t *ad,
		size_t ad_len)
{
	uint8_t j0[16], cb[16], expected[AESGCM_TAG_LEN];
	uint32_t match;

	if (iv_len == 0)
		return -1;
	pre_counter_block(k, j0, iv, iv_len);
	compute_tag(k, expected, j0, ad, ad_len, ct, n);
	match = ct_memeq(expected, tag, AESGCM_TAG_LEN);
	WIPE(expected);
	ct_declassify(&match, sizeof(match));
	if (match) {
		inc32(cb, j0);
		aesgcm_hw_ctr32(k, pt, ct, n, cb);
		WIPE(cb);
	}
	WIPE(j0);
	return match ? 0 : -1;
}
