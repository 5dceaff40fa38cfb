/*
 * p256.c - NIST P-256 (FIPS 186-5, SP 800-186 §3.2.1.3, SEC 1 v2): ECDH
 * (SEC 1 §3.3.1), public keys, ECDSA signing with an RFC 6979 nonce (§3.2,
 * HMAC-SHA256, with additional data k' as in §3.6) and ECDSA verification
 * (FIPS 186-5 §6.4.1, §6.4.2). The arithmetic is in p256_field.c,
 * p256_scalar.c, p256_inv.c and p256_point.c.
 *
 * Constant time: the private scalar, the nonce and the DRBG state only go
 * through constant-time arithmetic (p256_internal.h). The branches taken on
 * secret-derived values are on facts the protocol makes public, each
 * declassified first (ct.h): "the private key is out of range", "this
 * candidate nonce is out of range", "r or s is zero", and the finished
 * signature and public key themselves. Verification is variable time: its
 * inputs are public. The scalar, the nonce and its inverse, the DRBG's K
 * and V and the intermediate results here are wiped before returning; what
 * the arithmetic below left on the stack is overwritten by scrub_stack().
 */
#include "p256.h"
#include "p256_internal.h"
#include "hmac.h"
#include "ct.h"
#include "../mem.h"

struct p256_key {
	/* Q's table (p256_internal.h), for the check after signing */
	struct p256_affine q_table[P256_TABLE_LEN(P256_TABLE_WINDOW)];
	p256_sc d;			/* the private scalar, in [1, n-1] */
	uint8_t pub[P256_POINT_LEN];	/* Q = d G, encoded */
};

_Static_assert(sizeof(struct p256_key) == P256_KEY_SIZE, "P256_KEY_SIZE must match struct p256_key");

/*
 * Overwrite the stack below the caller's frame. The arithmetic leaves limb
 * products and formula intermediates there (wiping each of them in every
 * field operation would cost a fifth of the time); the public functions
 * that handle a secret call this once before returning. 2 KiB is more than
 * the deepest call chain under them uses (p256_table_build, which handles
 * public values only, uses more).
 */
static __attribute__((noinline)) void scrub_stack(void)
{
	uint64_t area[256];
	volatile uint64_t *v = area;

	/* ct_wipe() by words: a quarter of the stores */
	for (size_t i = 0; i < sizeof area / sizeof area[0]; i++)
		v[i] = 0;
	__asm__ volatile("" : : "r"(area) : "memory");
}

/* SEC 1 §2.3.4 and §3.2.2.1 for an uncompressed point: 0x04, X < p, Y < p,
 * on the curve (cofactor 1: that is the whole check; the point at infinity
 * has no such encoding, and (0, 0) is not on the curve since b != 0).
 * Public input: plain branches. */
static int decode_point(struct p256_affine *a, const uint8_t in[P256_POINT_LEN])
{
	if (in[0] != 0x04)
		return -1;
	if (!p256_fe_from_bytes(a->x, in + 1) || !p256_fe_from_bytes(a->y, in + 33))
		return -1;
	return p256_on_curve(a) ? 0 : -1;
}

/* SEC 1 §2.3.3, uncompressed. */
static void encode_point(uint8_t out[P256_POINT_LEN], const struct p256_affine *a)
{
	out[0] = 0x04;
	p256_fe_to_bytes(out + 1, a->x);
	p256_fe_to_bytes(out + 33, a->y);
}

/* d = priv; 0 if it is in [1, n-1], else -1. Whether the key is valid is
 * what the caller is told anyway: declassified. */
static int load_private(p256_sc d, const uint8_t priv[P256_SCALAR_LEN])
{
	uint64_t ok = p256_sc_from_bytes(d, priv);

	ct_declassify(&ok, sizeof ok);
	return ok ? 0 : -1;
}

int p256_check_point(const uint8_t pub[P256_POINT_LEN])
{
	struct p256_affine a;

	return decode_point(&a, pub);
}

int p256_public(uint8_t pub[P256_POINT_LEN], const uint8_t priv[P256_SCALAR_LEN])
{
	struct p256_point q;
	struct p256_affine qa;
	p256_sc d;
	int ret = -1;

	if (load_private(d, priv) == 0) {
		p256_mul_base(&q, d);
		p256_point_to_affine(&qa, &q);
		encode_point(pub, &qa);
		ret = 0;
	}
	WIPE(q), WIPE(qa), WIPE(d);
	scrub_stack();
	return ret;
}

/* SEC 1 §3.3.1: the X coordinate of d * Q. Q is valid and d in [1, n-1],
 * so d * Q is never the point at infinity (Q has prime order n). */
int p256_ecdh(uint8_t shared[32], const uint8_t priv[P256_SCALAR_LEN], const uint8_t pub[P256_POINT_LEN])
{
	struct p256_affine q, sa;
	struct p256_point s;
	p256_sc d;
	int ret = -1;

	if (decode_point(&q, pub) == 0 && load_private(d, priv) == 0) {
		p256_mul(&s, d, &q);
		p256_point_to_affine(&sa, &s);
		p256_fe_to_bytes(shared, sa.x);
		ret = 0;
	}
	WIPE(s), WIPE(sa), WIPE(d);
	scrub_stack();
	return ret;
}

int p256_key_init(struct p256_key *k, const uint8_t priv[P256_SCALAR_LEN])
{
	struct p256_point q;
	struct p256_affine qa;

	if (load_private(k->d, priv) != 0) {
		p256_key_wipe(k);
		return -1;
	}
	p256_mul_base(&q, k->d);
	p256_point_to_affine(&qa, &q);
	/* Q is the public key: the table built from it needs no secrecy */
	ct_declassify(&qa, sizeof qa);
	encode_point(k->pub, &qa);
	WIPE(q);
	scrub_stack();
	p256_table_build(k->q_table, P256_TABLE_WINDOW, &qa);
	return 0;
}

void p256_key_public(const struct p256_key *k, uint8_t pub[P256_POINT_LEN])
{
	memcpy(pub, k->pub, P256_POINT_LEN);
}

void p256_key_wipe(struct p256_key *k)
{
	ct_wipe(k, sizeof *k);
}

/*
 * FIPS 186-5 §6.4.2 steps 2-9 on r || s, for e = hash mod n (the hash is
 * exactly as long as n, so bits2int takes all of it): with w = s^-1,
 * R = (e w) G + (r w) Q must not be the point at infinity and x(R) mod n
 * must be r. x(R) = X/Z is compared without an inversion: X = r Z, or
 * X = (r + n) Z when r + n < p (x itself may lie in [n, p)). Q comes as
 * its table or as the point. Variable time: public inputs only.
 */
static int verify_core(const struct p256_affine *q_table, const struct p256_affine *q,
		       const uint8_t hash[32], const uint8_t sig[P256_SIG_LEN])
{
	p256_sc r, s, e, w, u1, u2;
	uint64_t r_plus_n[4];
	uint8_t buf[32];
	struct p256_point R;
	p256_fe xr;

	if (!p256_sc_from_bytes(r, sig) || !p256_sc_from_bytes(s, sig + 32))
		return -1;
	p256_sc_reduce_bytes(e, hash);
	p256_inv_mod_n(w, s);
	p256_sc_mul(u1, e, w);
	p256_sc_mul(u2, r, w);
	p256_mul2_vartime(&R, u1, u2, q_table, q);
	if (p256_fe_is_zero(R.z))
		return -1;

	p256_fe_from_bytes(xr, sig);		/* r < n < p */
	p256_fe_mul(xr, xr, R.z);
	if (p256_fe_equal(xr, R.x))
		return 0;
	if (p256_sc_plus_n(r_plus_n, r))
		return -1;
	p256_store_be(buf, r_plus_n);
	if (!p256_fe_from_bytes(xr, buf))	/* r + n >= p */
		return -1;
	p256_fe_mul(xr, xr, R.z);
	return p256_fe_equal(xr, R.x) ? 0 : -1;
}

int p256_verify(const uint8_t pub[P256_POINT_LEN], const uint8_t hash[32], const uint8_t sig[P256_SIG_LEN])
{
	struct p256_affine q;

	if (decode_point(&q, pub) != 0)
		return -1;
	return verify_core(NULL, &q, hash, sig);
}

/* The HMAC-DRBG of RFC 6979 §3.2: V, and HMAC keyed with K (the state
 * after the key's two blocks, copied for each MAC under the same K). */
struct drbg {
	struct hmac_sha256 keyed;
	uint8_t v[SHA256_LEN];
};

static void drbg_set_key(struct drbg *g, const uint8_t k[SHA256_LEN])
{
	hmac_sha256_init(&g->keyed, k, SHA256_LEN);
}

/* V = HMAC_K(V): §3.2 steps e, g and h.2. */
static void drbg_next(struct drbg *g)
{
	struct hmac_sha256 h = g->keyed;

	hmac_sha256_update(&h, g->v, sizeof g->v);
	hmac_sha256_final(&h, g->v);
}

/*
 * K = HMAC_K(V || sep || int2octets(x) || bits2octets(h1) || k'), then
 * V = HMAC_K(V): §3.2 steps d-e (sep 0x00) and f-g (sep 0x01), with the
 * additional data k' of §3.6. Without x (NULL), K = HMAC_K(V || 0x00) and
 * V = HMAC_K(V): step h.3, after an unsuitable candidate.
 */
static void drbg_update(struct drbg *g, uint8_t sep, const uint8_t *x, const uint8_t *h1,
			const uint8_t *extra, size_t extra_len)
{
	struct hmac_sha256 h = g->keyed;
	uint8_t k[SHA256_LEN];

	hmac_sha256_update(&h, g->v, sizeof g->v);
	hmac_sha256_update(&h, &sep, 1);
	if (x) {
		hmac_sha256_update(&h, x, 32);
		hmac_sha256_update(&h, h1, 32);
		if (extra_len != 0)
			hmac_sha256_update(&h, extra, extra_len);
	}
	hmac_sha256_final(&h, k);
	drbg_set_key(g, k);
	WIPE(k);
	drbg_next(g);
}

/*
 * One attempt of FIPS 186-5 §6.4.1 steps 4-11 with nonce bytes nonce
 * (candidate k, step h.2 of RFC 6979: qlen = hlen = 256, so one block of V
 * is the whole candidate). Returns 0 with r and s, or -1 if the candidate is
 * unsuitable: k out of [1, n-1], r = 0 or s = 0.
 */
static int sign_attempt(p256_sc r, p256_sc s, const uint8_t nonce[32], const p256_sc d, const p256_sc e)
{
	struct p256_point R;
	struct p256_affine Ra;
	p256_sc k, kinv, rd;
	uint8_t x[32];
	uint64_t ok, zero;
	int ret = -1;

	ok = p256_sc_from_bytes(k, nonce);
	ct_declassify(&ok, sizeof ok);
	if (!ok)
		goto out;
	/* R = k G; r = x(R) mod n (x < p < 2n: one subtraction) */
	p256_mul_base(&R, k);
	p256_point_to_affine(&Ra, &R);
	p256_fe_to_bytes(x, Ra.x);
	p256_sc_reduce_bytes(r, x);
	zero = p256_sc_is_zero(r);
	ct_declassify(&zero, sizeof zero);
	if (zero)
		goto out;
	/* s = k^-1 (e + r d) mod n */
	p256_inv_mod_n(kinv, k);
	p256_sc_mul(rd, r, d);
	p256_sc_add(rd, e, rd);
	p256_sc_mul(s, kinv, rd);
	zero = p256_sc_is_zero(s);
	ct_declassify(&zero, sizeof zero);
	ret = zero ? -1 : 0;
out:
	WIPE(R), WIPE(Ra), WIPE(k), WIPE(kinv), WIPE(rd), WIPE(x);
	return ret;
}

int p256_sign(const struct p256_key *k, uint8_t sig[P256_SIG_LEN], const uint8_t hash[32],
	      const uint8_t *rand, size_t rand_len)
{
	static const uint8_t zero_key[SHA256_LEN];
	struct drbg g;
	p256_sc e, r, s;
	uint8_t x[32], h1[32], out[P256_SIG_LEN];
	int ret = -1;

	/* e = bits2int(hash) mod n = the integer of bits2octets(h1) */
	p256_sc_reduce_bytes(e, hash);
	p256_sc_to_bytes(h1, e);
	p256_sc_to_bytes(x, k->d);

	/* RFC 6979 §3.2 steps b-g, with k' = rand (§3.6) */
	memset(g.v, 0x01, sizeof g.v);
	drbg_set_key(&g, zero_key);
	drbg_update(&g, 0x00, x, h1, rand, rand_len);
	drbg_update(&g, 0x01, x, h1, rand, rand_len);
	for (;;) {
		drbg_next(&g);		/* h.2: T = V (qlen = hlen) */
		if (sign_attempt(r, s, g.v, k->d, e) == 0)
			break;
		drbg_update(&g, 0x00, NULL, NULL, NULL, 0);
	}
	WIPE(g), WIPE(x);
	scrub_stack();

	/* The signature is what we publish: declassified. Check it against
	 * Q before it leaves (a fault in the computation must not release a
	 * signature that could reveal d). */
	p256_sc_to_bytes(out, r);
	p256_sc_to_bytes(out + 32, s);
	ct_declassify(out, sizeof out);
	if (verify_core(k->q_table, NULL, hash, out) == 0) {
		memcpy(sig, out, sizeof out);
		ret = 0;
	}
	WIPE(r), WIPE(s), WIPE(out);
	return ret;
}
