/*
 * p256_inv.c - constant-time modular inversion modulo p or n (P-256) by
 * the "divstep" method of Bernstein and Yang, "Fast constant-time gcd
 * computation and modular inversion" (TCHES 2019, eprint 2019/266), §§ 8-11.
 *
 * divstep(delta, f, g), with f odd:
 *   (1 - delta, g, (g - f) / 2)         if delta > 0 and g is odd,
 *   (1 + delta, f, (g + (g mod 2) f) / 2)  otherwise.
 * From (1, M, x), 741 divsteps reach g = 0 and f = +-gcd(M, x) = +-1 for
 * any 256-bit M and x (Theorem 11.2: floor((49 * 256 + 57) / 17) = 741).
 * They go in 12 batches of 62 (744 steps): each batch runs on the low 64
 * bits of f and g only (62 steps need only the low 62 bits to decide every
 * branch) and yields a matrix T with 2^62 (f', g') = T (f, g), which is
 * then applied to the whole f and g. Alongside, (d, e) with f = d x and
 * g = e x (mod M) go through the same matrix, divided by 2^62 modulo M;
 * at the end x^-1 = +-d.
 *
 * Numbers are signed, in five limbs of 62 bits (limbs 0-3 in [0, 2^62),
 * limb 4 signed), so that a limb times a matrix entry (at most 2^62 in
 * absolute value) plus a few more fits in a signed 128-bit accumulator.
 * This relies on >> of a negative signed value being arithmetic, as gcc and
 * clang define it.
 *
 * Constant time: the divsteps choose with masks, every loop has a fixed
 * count, and no branch or index depends on the values. The state is wiped.
 */
#include "p256_internal.h"
#include "ct.h"

typedef __int128 i128;

#define LIMB_BITS	62
#define LIMB_MASK	(((uint64_t)1 << LIMB_BITS) - 1)
#define BATCHES		12	/* 12 * 62 = 744 >= 741 divsteps */

/* A signed number sum v[i] 2^(62 i). */
struct signed62 {
	int64_t v[5];
};

/* The transition matrix of a batch: 2^62 (f', g') = (u f + v g, q f + r g). */
struct matrix {
	int64_t u, v, q, r;
};

struct modulus {
	struct signed62 m;	/* M */
	uint64_t m_inv62;	/* M^-1 mod 2^62 */
};

static const struct modulus modulus_p = {
	{ { 0x3fffffffffffffff, 0x3ffffffff, 0, 0x3fffffc000000040, 0xff } },
	0x3fffffffffffffff,
};

static const struct modulus modulus_n = {
	{ { 0x33b9cac2fc632551, 0x339beab69c5e7a13, 0x3ffffffffffffffb, 0x3fffffc00000003f, 0xff } },
	0x332e375511ff43b1,
};

static void to_signed62(struct signed62 *r, const uint64_t a[4])
{
	r->v[0] = (int64_t)(a[0] & LIMB_MASK);
	r->v[1] = (int64_t)(((a[0] >> 62) | (a[1] << 2)) & LIMB_MASK);
	r->v[2] = (int64_t)(((a[1] >> 60) | (a[2] << 4)) & LIMB_MASK);
	r->v[3] = (int64_t)(((a[2] >> 58) | (a[3] << 6)) & LIMB_MASK);
	r->v[4] = (int64_t)(a[3] >> 56);
}

/* a in [0, 2^256) */
static void from_signed62(uint64_t r[4], const struct signed62 *a)
{
	uint64_t v0 = (uint64_t)a->v[0], v1 = (uint64_t)a->v[1], v2 = (uint64_t)a->v[2];
	uint64_t v3 = (uint64_t)a->v[3], v4 = (uint64_t)a->v[4];

	r[0] = v0 | (v1 << 62);
	r[1] = (v1 >> 2) | (v2 << 60);
	r[2] = (v2 >> 4) | (v3 << 58);
	r[3] = (v3 >> 6) | (v4 << 56);
}

/*
 * 62 divsteps on the low 64 bits of f and g (f odd); returns the new delta
 * and sets t. Matrix entries are kept as uint64_t (two's complement, no
 * signed overflow): after i steps 2^i (f_i, g_i) = (u f + v g, q f + r g)
 * and |u| + |v|, |q| + |r| <= 2^i.
 *
 * One step, with swap = "delta > 0 and g odd": if swap, replace
 * (delta, f, g, u, v, q, r) by (-delta, g, -f, q, r, -u, -v), which turns
 * the first case into the second with g odd; then, with odd = "g odd",
 *   g = (g + odd f) / 2,  (q, r) += odd (u, v),  (u, v) *= 2,  delta += 1.
 */
static uint64_t divsteps_62(uint64_t delta, uint64_t f, uint64_t g, struct matrix *t)
{
	uint64_t u = 1, v = 0, q = 0, r = 1, swap, odd, x;

	for (int i = 0; i < LIMB_BITS; i++) {
		/* delta > 0 (|delta| stays far below 2^62): the sign of -delta */
		swap = ct_mask64((0 - delta) >> 63) & ct_mask64(g & 1);
		x = (f ^ g) & swap;
		f ^= x;
		g ^= x;
		g = (g ^ swap) - swap;
		x = (u ^ q) & swap;
		u ^= x;
		q ^= x;
		q = (q ^ swap) - swap;
		x = (v ^ r) & swap;
		v ^= x;
		r ^= x;
		r = (r ^ swap) - swap;
		delta = (delta ^ swap) - swap;

		odd = ct_mask64(g & 1);
		g = (g + (f & odd)) >> 1;
		q += u & odd;
		r += v & odd;
		u <<= 1;
		v <<= 1;
		delta++;
	}
	t->u = (int64_t)u;
	t->v = (int64_t)v;
	t->q = (int64_t)q;
	t->r = (int64_t)r;
	return delta;
}

/* (f, g) = T (f, g) / 2^62, exactly (the low 62 bits of both sums are
 * zero by construction). |f|, |g| < 2^257 stay so. */
static void apply_fg(struct signed62 *f, struct signed62 *g, const struct matrix *t)
{
	i128 cf, cg;

	cf = (i128)t->u * f->v[0] + (i128)t->v * g->v[0];
	cg = (i128)t->q * f->v[0] + (i128)t->r * g->v[0];
	cf >>= LIMB_BITS;
	cg >>= LIMB_BITS;
	for (int i = 1; i < 5; i++) {
		cf += (i128)t->u * f->v[i] + (i128)t->v * g->v[i];
		cg += (i128)t->q * f->v[i] + (i128)t->r * g->v[i];
		f->v[i - 1] = (int64_t)((uint64_t)cf & LIMB_MASK);
		g->v[i - 1] = (int64_t)((uint64_t)cg & LIMB_MASK);
		cf >>= LIMB_BITS;
		cg >>= LIMB_BITS;
	}
	f->v[4] = (int64_t)cf;
	g->v[4] = (int64_t)cg;
}

/* a += M where mask is all ones. */
static void add_masked(struct signed62 *a, const struct signed62 *m, uint64_t mask)
{
	int64_t c = 0;

	for (int i = 0; i < 4; i++) {
		c += a->v[i] + (int64_t)((uint64_t)m->v[i] & mask);
		a->v[i] = (int64_t)((uint64_t)c & LIMB_MASK);
		c >>= LIMB_BITS;
	}
	a->v[4] += c + (int64_t)((uint64_t)m->v[4] & mask);
}

/* a in (-M, 2M) -> a mod M in [0, M): add M if negative, then subtract M
 * if that leaves a value >= M (kept only if a - M is not negative). */
static void normalize(struct signed62 *a, const struct modulus *mod)
{
	struct signed62 b;
	uint64_t negative, keep;
	int64_t c = 0;

	negative = ct_mask64((uint64_t)a->v[4] >> 63);
	add_masked(a, &mod->m, negative);
	for (int i = 0; i < 4; i++) {
		c += a->v[i] - mod->m.v[i];
		b.v[i] = (int64_t)((uint64_t)c & LIMB_MASK);
		c >>= LIMB_BITS;
	}
	b.v[4] = a->v[4] - mod->m.v[4] + c;
	keep = ct_mask64((uint64_t)b.v[4] >> 63);	/* a - M < 0: keep a */
	for (int i = 0; i < 5; i++)
		a->v[i] = (int64_t)ct_select64(keep, (uint64_t)a->v[i], (uint64_t)b.v[i]);
	WIPE(b);
}

/*
 * (d, e) = T (d, e) / 2^62 mod M, for d, e in [0, M). To each sum is added
 * m M with m in [0, 2^62) making it divisible by 2^62:
 * m = -sum M^-1 mod 2^62. |u d + v e| <= 2^62 M and m M < 2^62 M, so the
 * quotient lies in (-M, 2M): normalize() brings it back to [0, M).
 */
static void apply_de(struct signed62 *d, struct signed62 *e, const struct matrix *t,
		     const struct modulus *mod)
{
	const int64_t *m = mod->m.v;
	uint64_t md, me;
	i128 cd, ce;

	cd = (i128)t->u * d->v[0] + (i128)t->v * e->v[0];
	ce = (i128)t->q * d->v[0] + (i128)t->r * e->v[0];
	md = (0 - (uint64_t)cd * mod->m_inv62) & LIMB_MASK;
	me = (0 - (uint64_t)ce * mod->m_inv62) & LIMB_MASK;
	cd += (i128)md * m[0];
	ce += (i128)me * m[0];
	cd >>= LIMB_BITS;
	ce >>= LIMB_BITS;
	for (int i = 1; i < 5; i++) {
		cd += (i128)t->u * d->v[i] + (i128)t->v * e->v[i] + (i128)md * m[i];
		ce += (i128)t->q * d->v[i] + (i128)t->r * e->v[i] + (i128)me * m[i];
		d->v[i - 1] = (int64_t)((uint64_t)cd & LIMB_MASK);
		e->v[i - 1] = (int64_t)((uint64_t)ce & LIMB_MASK);
		cd >>= LIMB_BITS;
		ce >>= LIMB_BITS;
	}
	d->v[4] = (int64_t)cd;
	e->v[4] = (int64_t)ce;
	normalize(d, mod);
	normalize(e, mod);
}

/* r = a^-1 mod M for a < M; 0 for a = 0 (then g starts at 0, f stays M
 * and d at 0). */
static void inverse(uint64_t r[4], const uint64_t a[4], const struct modulus *mod)
{
	struct signed62 f = mod->m, g, d = { { 0 } }, e = { { 1 } };
	struct matrix t;
	uint64_t delta = 1, negative;

	to_signed62(&g, a);
	for (int i = 0; i < BATCHES; i++) {
		uint64_t f_low = (uint64_t)f.v[0] | ((uint64_t)f.v[1] << 62);
		uint64_t g_low = (uint64_t)g.v[0] | ((uint64_t)g.v[1] << 62);

		delta = divsteps_62(delta, f_low, g_low, &t);
		apply_fg(&f, &g, &t);
		apply_de(&d, &e, &t, mod);
	}
	/* f = +-1 and d x = f: x^-1 = d, or M - d (d != 0 then) if f = -1 */
	negative = ct_mask64((uint64_t)f.v[4] >> 63);
	for (int i = 0; i < 5; i++)
		e.v[i] = 0;
	add_masked(&e, &mod->m, negative);		/* e = M or 0 */
	for (int i = 0; i < 5; i++)
		d.v[i] = (int64_t)(((uint64_t)d.v[i] ^ negative) - negative);	/* -d */
	/* e + (-d) as limbs: renormalize the carries */
	{
		int64_t c = 0;

		for (int i = 0; i < 4; i++) {
			c += e.v[i] + d.v[i];
			d.v[i] = (int64_t)((uint64_t)c & LIMB_MASK);
			c >>= LIMB_BITS;
		}
		d.v[4] += e.v[4] + c;
	}
	from_signed62(r, &d);
	WIPE(f), WIPE(g), WIPE(d), WIPE(e), WIPE(t), WIPE(delta);
}

/* r = a^-1 mod p: a plain integer below p (not Montgomery form). */
void p256_inv_mod_p(uint64_t r[4], const uint64_t a[4])
{
	inverse(r, a, &modulus_p);
}

/* r = a^-1 mod n: a below n. */
void p256_inv_mod_n(uint64_t r[4], const uint64_t a[4])
{
	inverse(r, a, &modulus_n);
}
