/*
 * ct_check.c - the constant-time check (make ct), after Monocypher's
 * ctgrind and Adam Langley's: every secret input is marked undefined for
 * valgrind's memcheck (VALGRIND_MAKE_MEM_UNDEFINED), and every function that
 * handles secrets is run. memcheck then reports any branch ("Conditional
 * jump or move depends on uninitialised value") and any memory address
 * ("Use of uninitialised value") computed from a secret. Where the protocol
 * makes a secret-derived bit public (an ECDH result that is zero, a tag
 * that does not match, a nonce that must be drawn again), the code says so
 * with ct_declassify(), defined here as VALGRIND_MAKE_MEM_DEFINED.
 *
 *	ct_check		run everything; valgrind must report nothing
 *	ct_check control	a deliberately leaky compare and table lookup:
 *				valgrind must report them (the check works)
 *
 * Built hosted at the server's -O2 (the optimiser is what could add a
 * branch), with gcc and with clang; what memcheck cannot see is division
 * by a secret, which the code never does (src/crypto/ct.h).
 */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#define ct_declassify(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

#include "../crypto/sources.h"

#define SECRET(x) VALGRIND_MAKE_MEM_UNDEFINED(&(x), sizeof(x))
#define PUBLIC(x) VALGRIND_MAKE_MEM_DEFINED(&(x), sizeof(x))

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 31 * i);
}

static void check_hashes(void)
{
	uint8_t key[100], msg[300], out[64];
	struct hmac_sha256 h;

	fill(key, sizeof(key), 1);
	fill(msg, sizeof(msg), 2);
	SECRET(key);
	SECRET(msg);
	sha256(out, msg, sizeof(msg));
	hmac_sha256(out, key, 32, msg, sizeof(msg));
	hmac_sha256(out, key, sizeof(key), msg, 10);	/* a key longer than a block */
	hmac_sha256_init(&h, key, 20);
	hmac_sha256_update(&h, msg, 77);
	hmac_sha256_final(&h, out);
	uint8_t prk[32];
	hkdf_sha256_extract(prk, msg, 13, key, sizeof(key));
	hkdf_sha256_expand(out, 64, prk, sizeof(prk), msg, 9);
	puts("hashes: SHA-256, HMAC-SHA256, HKDF-SHA256 with secret keys and messages");
}

static void check_x25519(void)
{
	uint8_t scalar[32], u[32], out[32], zero[32] = { 0 };

	fill(scalar, sizeof(scalar), 3);
	x25519_public(u, scalar);
	fill(scalar, sizeof(scalar), 4);
	SECRET(scalar);
	x25519_public(out, scalar);
	x25519(out, scalar, u);
	x25519(out, scalar, zero);	/* a low-order point: the zero result is declassified */
	puts("x25519: the ladder, with a secret scalar, on a good and on a low-order point");
}

static _Alignas(64) uint8_t key_mem[P256_KEY_SIZE];

static void check_p256(void)
{
	uint8_t priv[32], peer_priv[32], peer[65], pub[65], shared[32], hash[32], rnd[32], sig[64];
	struct p256_key *k = (struct p256_key *)key_mem;

	fill(peer_priv, sizeof(peer_priv), 5);
	p256_public(peer, peer_priv);
	fill(priv, sizeof(priv), 6);
	fill(hash, sizeof(hash), 7);
	fill(rnd, sizeof(rnd), 8);
	SECRET(priv);
	SECRET(rnd);
	p256_public(pub, priv);
	p256_ecdh(shared, priv, peer);
	p256_key_init(k, priv);
	p256_sign(k, sig, hash, rnd, sizeof(rnd));
	p256_sign(k, sig, hash, NULL, 0);
	p256_key_wipe(k);
	puts("p256: public key, ECDH, key preparation and signing, with a secret scalar and nonce hedge");
}

static void check_aeads(void)
{
	uint8_t key[32], nonce[12], ad[20], pt[1000], ct[1000], tag[16];

	fill(key, sizeof(key), 9);
	fill(nonce, sizeof(nonce), 10);
	fill(ad, sizeof(ad), 11);
	fill(pt, sizeof(pt), 12);
	SECRET(key);
	SECRET(pt);
	chacha20poly1305_seal(ct, tag, pt, sizeof(pt), ad, sizeof(ad), key, nonce);
	PUBLIC(ct);
	PUBLIC(tag);
	chacha20poly1305_open(pt, ct, sizeof(ct), tag, ad, sizeof(ad), key, nonce);
	tag[3] ^= 1;	/* a forgery: the mismatch is declassified, nothing else */
	chacha20poly1305_open(pt, ct, sizeof(ct), tag, ad, sizeof(ad), key, nonce);
	puts("chacha20poly1305: seal, open, open of a forgery, with a secret key");

	if (!aesgcm_cpu_init(0)) {
		puts("aesgcm: no AES instructions on this CPU: not checked");
		return;
	}
	for (size_t len = 16; len <= 32; len += 8) {
		struct aesgcm_key k;

		SECRET(key);
		SECRET(pt);
		aesgcm_init(&k, key, len);
		aesgcm_seal(&k, ct, tag, pt, sizeof(pt), nonce, sizeof(nonce), ad, sizeof(ad));
		PUBLIC(ct);
		PUBLIC(tag);
		aesgcm_open(&k, pt, ct, sizeof(ct), tag, nonce, sizeof(nonce), ad, sizeof(ad));
		tag[0] ^= 1;
		aesgcm_open(&k, pt, ct, sizeof(ct), tag, nonce, sizeof(nonce), ad, sizeof(ad));
		aesgcm_seal(&k, ct, tag, pt, 100, nonce, 7, ad, 3);	/* an IV of another length */
		aesgcm_wipe(&k);
	}
	puts("aesgcm: key expansion, seal, open, open of a forgery, with 128/192/256-bit secret keys");
}

/* The negative control: two leaks memcheck must report. */
static int leaky_compare(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static void control(void)
{
	static const uint8_t table[256] = { 1, 2, 3 };
	uint8_t secret[16], other[16];
	volatile uint8_t sink;

	fill(secret, sizeof(secret), 13);
	fill(other, sizeof(other), 13);
	SECRET(secret);
	sink = (uint8_t)leaky_compare(secret, other, sizeof(secret));
	sink = table[secret[0]];
	(void)sink;
	puts("control: an early-exit compare and a table lookup on a secret");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "control") == 0) {
		control();
		return 0;
	}
	check_hashes();
	check_x25519();
	check_p256();
	check_aeads();
	return 0;
}
