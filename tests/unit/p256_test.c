/*
 * p256_test.c - NIST P-256 (src/crypto/p256*.c), hosted, with ASan and UBSan.
 *
 * Known answers: RFC 6979 A.2.5 (the key, and k, r and s for "sample" and
 * "test" with SHA-256), 2G, and one ECDH case (Wycheproof
 * ecdh_secp256r1_ecpoint_test.json, tcId 1). Properties: the signed-digit
 * recoding sums back to the scalar, inversions agree with each other, k G by
 * the table equals k G by double-and-add, u1 G + u2 Q with Q's table equals
 * it without, a * (b G) == b * (a G), hedged signatures verify, any flipped
 * bit of a signature, digest or key makes verification fail, and the edges
 * of the scalar range and of point validation are rejected as p256.h says.
 */
#include <stdint.h>
#include "tap.h"
#include "hex.h"

#include "../../src/crypto/sha256.c"
#include "../../src/crypto/hmac.c"
#include "../../src/crypto/p256_field.c"
#include "../../src/crypto/p256_scalar.c"
#include "../../src/crypto/p256_inv.c"
#include "../../src/crypto/p256_point.c"
#include "../../src/crypto/p256.c"

/* ---- helpers ---------------------------------------------------------- */

/* got holds the bytes of the vector hex (as many as it has) */
static int eq_hex_prefix(const uint8_t *got, const char *hex)
{
	return eq_hex(got, strlen(hex) / 2, hex);
}

/* xorshift64*: deterministic "random" bytes for property tests */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng64(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static void rng_bytes(uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(rng64() >> 56);
}

/* A random valid scalar (in [1, n-1]). */
static void rng_scalar(uint8_t out[32])
{
	p256_sc s;

	do
		rng_bytes(out, 32);
	while (!p256_sc_from_bytes(s, out));
}

static const char N_HEX[] = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
static const char P_HEX[] = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
static const char GX[] = "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
static const char GY[] = "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";

/* out = n + delta (delta small, may be negative), 32 bytes big-endian */
static void n_plus(uint8_t out[32], int delta)
{
	uint64_t v[4], carry = 0;

	unhex(out, N_HEX);
	p256_load_be(v, out);
	if (delta >= 0) {
		v[0] = p256_adc(v[0], (uint64_t)delta, &carry);
		for (int i = 1; i < 4; i++)
			v[i] = p256_adc(v[i], 0, &carry);
	} else {
		v[0] = p256_sbb(v[0], (uint64_t)-delta, &carry);
		for (int i = 1; i < 4; i++)
			v[i] = p256_sbb(v[i], 0, &carry);
	}
	p256_store_be(out, v);
}

static void affine_of(struct p256_affine *a, const struct p256_point *p)
{
	p256_point_to_affine(a, p);
}

static int same_point(const struct p256_point *p, const struct p256_point *q)
{
	struct p256_affine a, b;

	affine_of(&a, p);
	affine_of(&b, q);
	return p256_fe_equal(a.x, b.x) && p256_fe_equal(a.y, b.y) &&
	       p256_fe_is_zero(p->z) == p256_fe_is_zero(q->z);
}

static struct p256_key key, key2;

/* ---- RFC 6979 A.2.5 ----------------------------------------------------- */

static const char RFC_X[] = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
static const char RFC_UX[] = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
static const char RFC_UY[] = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";

/* The first RFC 6979 candidate k for priv and hash, without k'. */
static void rfc6979_first_k(uint8_t k[32], const uint8_t priv[32], const uint8_t hash[32])
{
	static const uint8_t zero_key[32];
	struct drbg g;
	p256_sc e;
	uint8_t h1[32];

	p256_sc_reduce_bytes(e, hash);
	p256_sc_to_bytes(h1, e);
	memset(g.v, 0x01, sizeof g.v);
	drbg_set_key(&g, zero_key);
	drbg_update(&g, 0x00, priv, h1, NULL, 0);
	drbg_update(&g, 0x01, priv, h1, NULL, 0);
	drbg_next(&g);
	memcpy(k, g.v, 32);
}

static void test_rfc6979(void)
{
	static const struct {
		const char *msg, *k, *r, *s;
	} v[] = {
		{ "sample",
		  "a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60",
		  "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716",
		  "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8" },
		{ "test",
		  "d16b6ae827f17175e040871a1c7ec3500192c4c92677336ec2537acaee0008e0",
		  "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367",
		  "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083" },
	};
	uint8_t x[32], pub[65], pub2[65], hash[32], sig[64], k[32];

	unhex(x, RFC_X);
	is_int(p256_public(pub, x), 0, "RFC 6979 A.2.5: public key computed");
	ok(pub[0] == 0x04 && eq_hex_prefix(pub + 1, RFC_UX) && eq_hex_prefix(pub + 33, RFC_UY), "RFC 6979 A.2.5: Ux, Uy");
	is_int(p256_key_init(&key, x), 0, "key_init on the RFC key");
	p256_key_public(&key, pub2);
	ok(memcmp(pub, pub2, 65) == 0, "key_public == p256_public");
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		sha256(hash, v[i].msg, strlen(v[i].msg));
		rfc6979_first_k(k, x, hash);
		ok(eq_hex_prefix(k, v[i].k), "RFC 6979 A.2.5 \"%s\": k", v[i].msg);
		is_int(p256_sign(&key, sig, hash, NULL, 0), 0, "\"%s\": signed", v[i].msg);
		ok(eq_hex_prefix(sig, v[i].r), "RFC 6979 A.2.5 \"%s\": r", v[i].msg);
		ok(eq_hex_prefix(sig + 32, v[i].s), "RFC 6979 A.2.5 \"%s\": s", v[i].msg);
		is_int(p256_verify(pub, hash, sig), 0, "\"%s\": verifies", v[i].msg);
	}
}

/* ---- arithmetic properties --------------------------------------------- */

static void test_constants(void)
{
	static const char b_hex[] = "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b";
	uint8_t buf[32], one[32] = { [31] = 1 };
	p256_fe fe;

	unhex(buf, b_hex);
	p256_fe_from_bytes(fe, buf);
	ok(p256_fe_equal(fe, p256_fe_b), "p256_fe_b is b in Montgomery form");
	p256_fe_from_bytes(fe, one);
	ok(p256_fe_equal(fe, p256_fe_one), "p256_fe_one is 1 in Montgomery form");
	unhex(buf, P_HEX);
	is_int(p256_fe_from_bytes(fe, buf), 0, "p is not a field element");
	n_plus(buf, 0);
	is_int(p256_fe_from_bytes(fe, buf), 1, "n is a field element");
}

/* a^(n-2) mod n by square-and-multiply: the reference for the divstep
 * inversion (p256_inv.c) */
static void sc_inv_fermat(p256_sc r, const p256_sc a)
{
	uint8_t e[32];
	p256_sc acc = { 1, 0, 0, 0 };

	n_plus(e, -2);
	for (int bit = 255; bit >= 0; bit--) {
		p256_sc_mul(acc, acc, acc);
		if (e[31 - bit / 8] >> (bit % 8) & 1)
			p256_sc_mul(acc, acc, a);
	}
	memcpy(r, acc, sizeof acc);
}

static void test_inversions(void)
{
	int good_fe = 1, good_sc = 1, edges = 1;
	p256_fe zero_fe = { 0 }, inv_fe;
	p256_sc zero_sc = { 0 }, inv_sc, ref;

	for (int i = 0; i < 200; i++) {
		uint8_t buf[32];
		p256_fe a, ainv, prod;
		p256_sc s, sinv;

		rng_bytes(buf, 32);
		buf[0] &= 0x7f;
		if (i < 8) {
			unhex(buf, P_HEX);
			buf[31] -= (uint8_t)(i + 1);		/* p-1 .. p-8 */
		} else if (i < 16) {
			memset(buf, 0, 32);
			buf[31] = (uint8_t)(i - 7);		/* 1 .. 8 */
		}
		p256_fe_from_bytes(a, buf);
		p256_fe_inv(ainv, a);
		p256_fe_mul(prod, a, ainv);
		good_fe &= p256_fe_equal(prod, p256_fe_one) == 1;

		if (i < 8)
			n_plus(buf, -1 - i);				/* n-1 .. n-8 */
		else if (i >= 16)
			rng_scalar(buf);
		p256_sc_from_bytes(s, buf);
		p256_inv_mod_n(sinv, s);
		sc_inv_fermat(ref, s);
		good_sc &= memcmp(sinv, ref, sizeof ref) == 0;
	}
	ok(good_fe, "a * a^-1 == 1 mod p (random, 1..8, p-8..p-1)");
	ok(good_sc, "divstep inverse mod n == Fermat's (random, 1..8, n-8..n-1)");
	p256_fe_inv(inv_fe, zero_fe);
	p256_inv_mod_n(inv_sc, zero_sc);
	edges &= p256_fe_is_zero(inv_fe) && p256_sc_is_zero(inv_sc);
	ok(edges, "the inverse of 0 is 0");
}

/* sum d_i 2^(wi) == k, computed back with 4-limb arithmetic mod 2^256 */
static int recode_sums_back(const uint64_t k[4], int w)
{
	uint64_t sum[4] = { 0 };

	for (int i = P256_WINDOWS(w) - 1; i >= 0; i--) {
		uint32_t mag, neg;
		uint64_t carry = 0, d[4] = { 0 };

		/* sum = sum * 2^w + d_i */
		for (int j = 3; j > 0; j--)
			sum[j] = (sum[j] << w) | (sum[j - 1] >> (64 - w));
		sum[0] <<= w;
		recode(k, i, w, &mag, &neg);
		if (mag > (1u << (w - 1)))
			return 0;
		d[0] = mag;
		if (neg) {
			for (int j = 0; j < 4; j++)
				sum[j] = p256_sbb(sum[j], d[j], &carry);
		} else {
			for (int j = 0; j < 4; j++)
				sum[j] = p256_adc(sum[j], d[j], &carry);
		}
	}
	return memcmp(sum, k, sizeof sum) == 0;
}

static void test_recode(void)
{
	int good = 1;
	uint64_t edge[][4] = {
		{ 0, 0, 0, 0 }, { 1, 0, 0, 0 }, { ~0ull, ~0ull, ~0ull, ~0ull },
		{ 0, 0, 0, 1ull << 63 }, { 0x5555555555555555, 0xaaaaaaaaaaaaaaaa, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa },
	};

	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
		for (int w = 5; w <= 7; w++)
			good &= recode_sums_back(edge[i], w);
	for (int i = 0; i < 200; i++) {
		uint64_t k[4] = { rng64(), rng64(), rng64(), rng64() };

		for (int w = 5; w <= 7; w++)
			good &= recode_sums_back(k, w);
	}
	ok(good, "signed windows of 5, 6, 7 bits sum back to the scalar, digits in range");
}

static void test_scalar_mult(void)
{
	struct p256_affine g, q;
	struct p256_point a, b, c;
	int base_ok = 1, mul2_ok = 1;
	uint8_t buf[32];

	p256_generator(&g);
	for (int i = 0; i < 10; i++) {
		uint64_t k[4] = { rng64(), rng64(), rng64(), rng64() >> (i & 3) };

		p256_mul_base(&a, k);
		p256_mul(&b, k, &g);
		base_ok &= same_point(&a, &b);
	}
	ok(base_ok, "k G from G's table == k G by double-and-add (any 256-bit k)");

	rng_scalar(buf);
	is_int(p256_key_init(&key2, buf), 0, "random key");
	p256_fe_from_bytes(q.x, key2.pub + 1);
	p256_fe_from_bytes(q.y, key2.pub + 33);
	for (int i = 0; i < 10; i++) {
		uint64_t u1[4] = { rng64(), rng64(), rng64(), rng64() >> 1 };
		uint64_t u2[4] = { rng64(), rng64(), rng64(), rng64() >> 1 };

		if (i == 0)
			memset(u1, 0, sizeof u1);	/* u1 = 0: only Q */
		p256_mul2_vartime(&a, u1, u2, key2.q_table, NULL);
		p256_mul2_vartime(&b, u1, u2, NULL, &q);
		mul2_ok &= same_point(&a, &b);
		p256_mul_base(&b, u1);
		p256_mul(&c, u2, &q);
		p256_point_add(&c, &b, &c);
		mul2_ok &= same_point(&a, &c);
	}
	ok(mul2_ok, "u1 G + u2 Q: with Q's table == without == constant-time parts");
}

/* ---- scalar range and point validation ---------------------------------- */

static void test_scalar_range(void)
{
	static const char G2X[] = "7cf27b188d034f7e8a52380304b51ac3c08969e277f21b35a60b48fc47669978";
	static const char G2Y[] = "07775510db8ed040293d9ac69f7430dbba7dade63ce982299e04b79d227873d1";
	uint8_t s[32], pub[65], other[65], shared[32], all_ones[32];
	int keys_ok = 1;

	memset(all_ones, 0xff, sizeof all_ones);
	rng_scalar(s);
	p256_public(other, s);

	memset(s, 0, 32);
	is_int(p256_public(pub, s), -1, "scalar 0 rejected by p256_public");
	is_int(p256_ecdh(shared, s, other), -1, "scalar 0 rejected by p256_ecdh");
	is_int(p256_key_init(&key2, s), -1, "scalar 0 rejected by p256_key_init");
	s[31] = 1;
	is_int(p256_public(pub, s), 0, "scalar 1 accepted");
	ok(eq_hex_prefix(pub + 1, GX) && eq_hex_prefix(pub + 33, GY), "1 G = G");
	s[31] = 2;
	is_int(p256_public(pub, s), 0, "scalar 2 accepted");
	ok(eq_hex_prefix(pub + 1, G2X) && eq_hex_prefix(pub + 33, G2Y), "2 G");
	is_int(p256_ecdh(shared, s, other), 0, "scalar 2 accepted by p256_ecdh");

	n_plus(s, -1);
	is_int(p256_public(pub, s), 0, "scalar n-1 accepted");
	{
		uint8_t gy[32], neg_gy[32];
		p256_fe y;

		unhex(gy, GY);
		p256_fe_from_bytes(y, gy);
		p256_fe_cneg(y, y, ~(uint64_t)0);
		p256_fe_to_bytes(neg_gy, y);
		ok(eq_hex_prefix(pub + 1, GX) && memcmp(pub + 33, neg_gy, 32) == 0, "(n-1) G = -G");
	}
	is_int(p256_key_init(&key2, s), 0, "scalar n-1 accepted by p256_key_init");
	is_int(p256_ecdh(shared, s, other), 0, "scalar n-1 accepted by p256_ecdh");
	for (int d = 0; d <= 2; d++) {
		n_plus(s, d);
		is_int(p256_public(pub, s), -1, "scalar n+%d rejected by p256_public", d);
		is_int(p256_ecdh(shared, s, other), -1, "scalar n+%d rejected by p256_ecdh", d);
		is_int(p256_key_init(&key2, s), -1, "scalar n+%d rejected by p256_key_init", d);
	}
	is_int(p256_public(pub, all_ones), -1, "scalar 2^256-1 rejected by p256_public");
	is_int(p256_ecdh(shared, all_ones, other), -1, "scalar 2^256-1 rejected by p256_ecdh");
	is_int(p256_key_init(&key2, all_ones), -1, "scalar 2^256-1 rejected by p256_key_init");

	/* n - j for j = 64..1: valid keys, and (n - j) G = -(j G) */
	for (int j = 64; j >= 1; j--) {
		uint8_t small[32] = { 0 }, pos[65];

		small[31] = (uint8_t)j;
		n_plus(s, -j);
		keys_ok &= p256_public(pub, s) == 0 && p256_check_point(pub) == 0;
		p256_public(pos, small);
		keys_ok &= memcmp(pub + 1, pos + 1, 32) == 0 && memcmp(pub + 33, pos + 33, 32) != 0;
	}
	ok(keys_ok, "n-64 .. n-1: valid public keys, (n-j) G = -(j G)");
}

static void test_point_validation(void)
{
	uint8_t s[32], pub[65], bad[65], shared[32];

	rng_scalar(s);
	p256_public(pub, s);
	is_int(p256_check_point(pub), 0, "a valid point passes");
	for (int prefix = 0; prefix < 256; prefix++) {
		if (prefix == 0x04)
			continue;
		memcpy(bad, pub, 65);
		bad[0] = (uint8_t)prefix;
		if (p256_check_point(bad) != -1) {
			ok(0, "prefix 0x%02x rejected", prefix);
			break;
		}
		if (prefix == 255)
			ok(1, "every prefix but 0x04 rejected");
	}
	memcpy(bad, pub, 65);
	unhex(bad + 1, P_HEX);
	is_int(p256_check_point(bad), -1, "X = p rejected");
	memcpy(bad, pub, 65);
	unhex(bad + 33, P_HEX);
	is_int(p256_check_point(bad), -1, "Y = p rejected");
	memcpy(bad, pub, 65);
	memset(bad + 1, 0xff, 32);
	is_int(p256_check_point(bad), -1, "X = 2^256-1 rejected");
	memcpy(bad, pub, 65);
	bad[64] ^= 1;
	is_int(p256_check_point(bad), -1, "off-curve point rejected");
	is_int(p256_ecdh(shared, s, bad), -1, "off-curve point rejected by p256_ecdh");
	is_int(p256_verify(bad, shared, (uint8_t[64]){ 1 }), -1, "off-curve point rejected by p256_verify");
	memset(bad, 0, 65);
	bad[0] = 0x04;
	is_int(p256_check_point(bad), -1, "(0, 0) rejected");
	is_int(p256_ecdh(shared, s, bad), -1, "(0, 0) rejected by p256_ecdh");
}

/* ---- ECDH ------------------------------------------------------------- */

static void test_ecdh(void)
{
	uint8_t priv[32], pub[65], shared[32];
	int sym = 1;

	unhex(pub, "0462d5bd3372af75fe85a040715d0f502428e07046868b0bfdfa61d731afe44f26"
		   "ac333a93a9e70a81cd5a95b5bf8d13990eb741c8c38872b4a07d275a014e30cf");
	unhex(priv, "0612465c89a023ab17855b0a6bcebfd3febb53aef84138647b5352e02c10c346");
	is_int(p256_ecdh(shared, priv, pub), 0, "ECDH known answer: accepted");
	ok(eq_hex_prefix(shared, "53020d908b0219328b658b525f26780e3ae12bcd952bb25a93bc0895e1714285"),
	   "ECDH known answer (Wycheproof tcId 1)");
	for (int i = 0; i < 8; i++) {
		uint8_t a[32], b[32], pa[65], pb[65], sab[32], sba[32];

		rng_scalar(a);
		rng_scalar(b);
		p256_public(pa, a);
		p256_public(pb, b);
		sym &= p256_ecdh(sab, a, pb) == 0 && p256_ecdh(sba, b, pa) == 0 && memcmp(sab, sba, 32) == 0;
	}
	ok(sym, "a * (b G) == b * (a G)");
}

/* ---- signatures ------------------------------------------------------- */

static void test_signatures(void)
{
	uint8_t priv[32], pub[65], hash[32], rnd[64], sig[64], det[64], bad[65];
	int verify_ok = 1, differ = 1, flips = 1, hash_flips = 1, key_flips = 1;
	static const size_t lens[] = { 1, 16, 32, 64 };

	rng_scalar(priv);
	is_int(p256_key_init(&key2, priv), 0, "signing key");
	p256_key_public(&key2, pub);
	rng_bytes(hash, 32);
	is_int(p256_sign(&key2, det, hash, NULL, 0), 0, "deterministic signature");
	for (size_t i = 0; i < 4 * sizeof lens / sizeof lens[0]; i++) {
		size_t len = lens[i % 4];

		rng_bytes(rnd, len);
		verify_ok &= p256_sign(&key2, sig, hash, rnd, len) == 0 && p256_verify(pub, hash, sig) == 0;
		differ &= memcmp(sig, det, 32) != 0;
	}
	ok(verify_ok, "hedged signatures (random bytes of 1..64) verify");
	ok(differ, "hedged signatures differ from the deterministic one");
	is_int(p256_sign(&key2, sig, hash, NULL, 0), 0, "deterministic again");
	ok(memcmp(sig, det, 64) == 0, "rand_len 0 is deterministic");

	for (int bit = 0; bit < 512; bit++) {
		memcpy(sig, det, 64);
		sig[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		flips &= p256_verify(pub, hash, sig) == -1;
	}
	ok(flips, "every flipped bit of the signature fails");
	for (int bit = 0; bit < 256; bit++) {
		uint8_t h[32];

		memcpy(h, hash, 32);
		h[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		hash_flips &= p256_verify(pub, h, det) == -1;
	}
	ok(hash_flips, "every flipped bit of the digest fails");
	for (int bit = 8; bit < 520; bit++) {
		memcpy(bad, pub, 65);
		bad[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		key_flips &= p256_verify(bad, hash, det) == -1;
	}
	ok(key_flips, "every flipped bit of the public key fails");
	ok(p256_verify(pub, hash, det) == 0, "the original still verifies");

	/* r or s out of [1, n-1] */
	{
		uint8_t n[32], n1[32];

		n_plus(n, 0);
		n_plus(n1, 1);
		memcpy(sig, det, 64);
		memset(sig, 0, 32);
		is_int(p256_verify(pub, hash, sig), -1, "r = 0 rejected");
		memcpy(sig, n, 32);
		is_int(p256_verify(pub, hash, sig), -1, "r = n rejected");
		memcpy(sig, n1, 32);
		is_int(p256_verify(pub, hash, sig), -1, "r = n+1 rejected");
		memcpy(sig, det, 64);
		memset(sig + 32, 0, 32);
		is_int(p256_verify(pub, hash, sig), -1, "s = 0 rejected");
		memcpy(sig + 32, n, 32);
		is_int(p256_verify(pub, hash, sig), -1, "s = n rejected");
		memcpy(sig + 32, n1, 32);
		is_int(p256_verify(pub, hash, sig), -1, "s = n+1 rejected");
		memset(sig, 0xff, 64);
		is_int(p256_verify(pub, hash, sig), -1, "r = s = 2^256-1 rejected");
	}
	/* s and n - s are both valid (no low-s rule in FIPS 186-5) */
	{
		p256_sc sv, neg;
		uint64_t zero[4] = { 0 }, borrow = 0;

		p256_load_be(sv, det + 32);
		for (int i = 0; i < 4; i++)
			neg[i] = p256_sbb(zero[i], sv[i], &borrow);
		p256_sc_plus_n(neg, neg);
		memcpy(sig, det, 32);
		p256_store_be(sig + 32, neg);
		is_int(p256_verify(pub, hash, sig), 0, "(r, n - s) verifies too");
	}
	/* a digest above n is reduced (e = H mod n) */
	{
		uint8_t big[32];

		memset(big, 0xff, 32);
		is_int(p256_sign(&key2, sig, big, NULL, 0), 0, "digest 2^256-1 signed");
		is_int(p256_verify(pub, big, sig), 0, "digest 2^256-1 verifies");
	}
}

static void test_wipe(void)
{
	static const struct p256_key zero;

	p256_key_wipe(&key2);
	ok(memcmp(&key2, &zero, sizeof key2) == 0, "p256_key_wipe zeroes the key");
	is_int(sizeof(struct p256_key), P256_KEY_SIZE, "P256_KEY_SIZE");
}

int main(void)
{
	test_rfc6979();
	test_constants();
	test_inversions();
	test_recode();
	test_scalar_mult();
	test_scalar_range();
	test_point_validation();
	test_ecdh();
	test_signatures();
	test_wipe();
	return done_testing();
}
