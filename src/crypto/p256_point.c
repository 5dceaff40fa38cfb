/*
 * p256_point.c - the group of NIST P-256, y^2 = x^3 - 3x + b over GF(p)
 * (SP 800-186 §3.2.1.3): point formulas, scalar multiplication, tables.
 *
 * Points are homogeneous projective (X : Y : Z) and are added with the
 * complete formulas of Renes, Costello and Batina, "Complete addition
 * formulas for prime order elliptic curves" (eprint 2015/1060), algorithms
 * 4 (addition), 5 (mixed addition) and 6 (doubling) for a = -3. They are
 * correct for every pair of points, the point at infinity and equal points
 * included, so no code path depends on which points go in.
 *
 * Scalars are split into signed digits of w bits, d_i in [-2^(w-1), 2^(w-1)]
 * (recode()). Fixed-base multiplication adds one point per digit from a
 * table of j * 2^(wi) * B, j = 1..2^(w-1) (w = 7: 37 digits, no doubling
 * at all); G's table is built on first use, a signing key's by
 * p256_key_init(). Variable-base multiplication (ECDH) doubles 5 times per
 * 5-bit digit and adds j * P from a table of 16 points. The point formulas'
 * temporaries are left to the stack scrub of p256.c.
 *
 * Constant time: for a secret scalar every table lookup reads every entry of
 * its row and keeps the right one with masks; the sign of a digit is applied
 * by a masked negation and a zero digit by a masked copy; loop bounds are
 * fixed. p256_mul2_vartime() alone branches and indexes on its scalars: it
 * serves verification, where everything is public. The digits, the selected
 * points and the accumulators are wiped.
 */
#include "p256.h"
#include "p256_internal.h"
#include "ct.h"
#include "../mem.h"

static void fe_copy(p256_fe r, const p256_fe a)
{
	P256_UNROLL
	for (int i = 0; i < 4; i++)
		r[i] = a[i];
}

/* r = a where bit is 1, unchanged where it is 0 (a point's 12 limbs). */
static void point_copy_if(struct p256_point *r, const struct p256_point *a, uint64_t bit)
{
	uint64_t mask = ct_mask64(bit);

	P256_UNROLL
	for (int i = 0; i < 4; i++) {
		r->x[i] = ct_select64(mask, a->x[i], r->x[i]);
		r->y[i] = ct_select64(mask, a->y[i], r->y[i]);
		r->z[i] = ct_select64(mask, a->z[i], r->z[i]);
	}
}

/* r = (0 : 1 : 0), the point at infinity. */
static void point_identity(struct p256_point *r)
{
	P256_UNROLL
	for (int i = 0; i < 4; i++) {
		r->x[i] = 0;
		r->y[i] = p256_fe_one[i];
		r->z[i] = 0;
	}
}

static void point_from_affine(struct p256_point *r, const struct p256_affine *a)
{
	fe_copy(r->x, a->x);
	fe_copy(r->y, a->y);
	fe_copy(r->z, p256_fe_one);
}

/* r = a + b: RCB algorithm 4 (a = -3), 12M + 2 m_b + 29a. Complete. */
void p256_point_add(struct p256_point *r, const struct p256_point *a, const struct p256_point *b)
{
	p256_fe t0, t1, t2, t3, t4, x3, y3, z3;

	p256_fe_mul(t0, a->x, b->x);	/*  1. t0 = X1 * X2 */
	p256_fe_mul(t1, a->y, b->y);	/*  2. t1 = Y1 * Y2 */
	p256_fe_mul(t2, a->z, b->z);	/*  3. t2 = Z1 * Z2 */
	p256_fe_add(t3, a->x, a->y);	/*  4. t3 = X1 + Y1 */
	p256_fe_add(t4, b->x, b->y);	/*  5. t4 = X2 + Y2 */
	p256_fe_mul(t3, t3, t4);	/*  6. t3 = t3 * t4 */
	p256_fe_add(t4, t0, t1);	/*  7. t4 = t0 + t1 */
	p256_fe_sub(t3, t3, t4);	/*  8. t3 = t3 - t4 */
	p256_fe_add(t4, a->y, a->z);	/*  9. t4 = Y1 + Z1 */
	p256_fe_add(x3, b->y, b->z);	/* 10. X3 = Y2 + Z2 */
	p256_fe_mul(t4, t4, x3);	/* 11. t4 = t4 * X3 */
	p256_fe_add(x3, t1, t2);	/* 12. X3 = t1 + t2 */
	p256_fe_sub(t4, t4, x3);	/* 13. t4 = t4 - X3 */
	p256_fe_add(x3, a->x, a->z);	/* 14. X3 = X1 + Z1 */
	p256_fe_add(y3, b->x, b->z);	/* 15. Y3 = X2 + Z2 */
	p256_fe_mul(x3, x3, y3);	/* 16. X3 = X3 * Y3 */
	p256_fe_add(y3, t0, t2);	/* 17. Y3 = t0 + t2 */
	p256_fe_sub(y3, x3, y3);	/* 18. Y3 = X3 - Y3 */
	p256_fe_mul(z3, p256_fe_b, t2);	/* 19. Z3 = b * t2 */
	p256_fe_sub(x3, y3, z3);	/* 20. X3 = Y3 - Z3 */
	p256_fe_add(z3, x3, x3);	/* 21. Z3 = X3 + X3 */
	p256_fe_add(x3, x3, z3);	/* 22. X3 = X3 + Z3 */
	p256_fe_sub(z3, t1, x3);	/* 23. Z3 = t1 - X3 */
	p256_fe_add(x3, t1, x3);	/* 24. X3 = t1 + X3 */
	p256_fe_mul(y3, p256_fe_b, y3);	/* 25. Y3 = b * Y3 */
	p256_fe_add(t1, t2, t2);	/* 26. t1 = t2 + t2 */
	p256_fe_add(t2, t1, t2);	/* 27. t2 = t1 + t2 */
	p256_fe_sub(y3, y3, t2);	/* 28. Y3 = Y3 - t2 */
	p256_fe_sub(y3, y3, t0);	/* 29. Y3 = Y3 - t0 */
	p256_fe_add(t1, y3, y3);	/* 30. t1 = Y3 + Y3 */
	p256_fe_add(y3, t1, y3);	/* 31. Y3 = t1 + Y3 */
	p256_fe_add(t1, t0, t0);	/* 32. t1 = t0 + t0 */
	p256_fe_add(t0, t1, t0);	/* 33. t0 = t1 + t0 */
	p256_fe_sub(t0, t0, t2);	/* 34. t0 = t0 - t2 */
	p256_fe_mul(t1, t4, y3);	/* 35. t1 = t4 * Y3 */
	p256_fe_mul(t2, t0, y3);	/* 36. t2 = t0 * Y3 */
	p256_fe_mul(y3, x3, z3);	/* 37. Y3 = X3 * Z3 */
	p256_fe_add(y3, y3, t2);	/* 38. Y3 = Y3 + t2 */
	p256_fe_mul(x3, t3, x3);	/* 39. X3 = t3 * X3 */
	p256_fe_sub(x3, x3, t1);	/* 40. X3 = X3 - t1 */
	p256_fe_mul(z3, t4, z3);	/* 41. Z3 = t4 * Z3 */
	p256_fe_mul(t1, t3, t0);	/* 42. t1 = t3 * t0 */
	p256_fe_add(z3, z3, t1);	/* 43. Z3 = Z3 + t1 */
	fe_copy(r->x, x3);
	fe_copy(r->y, y3);
	fe_copy(r->z, z3);
}

/* r = a + b for an affine b (Z2 = 1): RCB algorithm 5 (a = -3),
 * 11M + 2 m_b + 23a. Complete for every a; b cannot be the point at
 * infinity (it has no affine form). */
void p256_point_add_affine(struct p256_point *r, const struct p256_point *a, const struct p256_affine *b)
{
	p256_fe t0, t1, t2, t3, t4, x3, y3, z3;

	p256_fe_mul(t0, a->x, b->x);	/*  1. t0 = X1 * X2 */
	p256_fe_mul(t1, a->y, b->y);	/*  2. t1 = Y1 * Y2 */
	p256_fe_add(t3, b->x, b->y);	/*  3. t3 = X2 + Y2 */
	p256_fe_add(t4, a->x, a->y);	/*  4. t4 = X1 + Y1 */
	p256_fe_mul(t3, t3, t4);	/*  5. t3 = t3 * t4 */
	p256_fe_add(t4, t0, t1);	/*  6. t4 = t0 + t1 */
	p256_fe_sub(t3, t3, t4);	/*  7. t3 = t3 - t4 */
	p256_fe_mul(t4, b->y, a->z);	/*  8. t4 = Y2 * Z1 */
	p256_fe_add(t4, t4, a->y);	/*  9. t4 = t4 + Y1 */
	p256_fe_mul(y3, b->x, a->z);	/* 10. Y3 = X2 * Z1 */
	p256_fe_add(y3, y3, a->x);	/* 11. Y3 = Y3 + X1 */
	p256_fe_mul(z3, p256_fe_b, a->z);	/* 12. Z3 = b * Z1 */
	p256_fe_sub(x3, y3, z3);	/* 13. X3 = Y3 - Z3 */
	p256_fe_add(z3, x3, x3);	/* 14. Z3 = X3 + X3 */
	p256_fe_add(x3, x3, z3);	/* 15. X3 = X3 + Z3 */
	p256_fe_sub(z3, t1, x3);	/* 16. Z3 = t1 - X3 */
	p256_fe_add(x3, t1, x3);	/* 17. X3 = t1 + X3 */
	p256_fe_mul(y3, p256_fe_b, y3);	/* 18. Y3 = b * Y3 */
	p256_fe_add(t1, a->z, a->z);	/* 19. t1 = Z1 + Z1 */
	p256_fe_add(t2, t1, a->z);	/* 20. t2 = t1 + Z1 */
	p256_fe_sub(y3, y3, t2);	/* 21. Y3 = Y3 - t2 */
	p256_fe_sub(y3, y3, t0);	/* 22. Y3 = Y3 - t0 */
	p256_fe_add(t1, y3, y3);	/* 23. t1 = Y3 + Y3 */
	p256_fe_add(y3, t1, y3);	/* 24. Y3 = t1 + Y3 */
	p256_fe_add(t1, t0, t0);	/* 25. t1 = t0 + t0 */
	p256_fe_add(t0, t1, t0);	/* 26. t0 = t1 + t0 */
	p256_fe_sub(t0, t0, t2);	/* 27. t0 = t0 - t2 */
	p256_fe_mul(t1, t4, y3);	/* 28. t1 = t4 * Y3 */
	p256_fe_mul(t2, t0, y3);	/* 29. t2 = t0 * Y3 */
	p256_fe_mul(y3, x3, z3);	/* 30. Y3 = X3 * Z3 */
	p256_fe_add(y3, y3, t2);	/* 31. Y3 = Y3 + t2 */
	p256_fe_mul(x3, t3, x3);	/* 32. X3 = t3 * X3 */
	p256_fe_sub(x3, x3, t1);	/* 33. X3 = X3 - t1 */
	p256_fe_mul(z3, t4, z3);	/* 34. Z3 = t4 * Z3 */
	p256_fe_mul(t1, t3, t0);	/* 35. t1 = t3 * t0 */
	p256_fe_add(z3, z3, t1);	/* 36. Z3 = Z3 + t1 */
	fe_copy(r->x, x3);
	fe_copy(r->y, y3);
	fe_copy(r->z, z3);
}

/* r = 2a: RCB algorithm 6 (a = -3), 8M + 3S + 2 m_b + 21a. Complete. */
void p256_point_double(struct p256_point *r, const struct p256_point *a)
{
	p256_fe t0, t1, t2, t3, x3, y3, z3;

	p256_fe_sqr(t0, a->x);		/*  1. t0 = X * X */
	p256_fe_sqr(t1, a->y);		/*  2. t1 = Y * Y */
	p256_fe_sqr(t2, a->z);		/*  3. t2 = Z * Z */
	p256_fe_mul(t3, a->x, a->y);	/*  4. t3 = X * Y */
	p256_fe_add(t3, t3, t3);	/*  5. t3 = t3 + t3 */
	p256_fe_mul(z3, a->x, a->z);	/*  6. Z3 = X * Z */
	p256_fe_add(z3, z3, z3);	/*  7. Z3 = Z3 + Z3 */
	p256_fe_mul(y3, p256_fe_b, t2);	/*  8. Y3 = b * t2 */
	p256_fe_sub(y3, y3, z3);	/*  9. Y3 = Y3 - Z3 */
	p256_fe_add(x3, y3, y3);	/* 10. X3 = Y3 + Y3 */
	p256_fe_add(y3, x3, y3);	/* 11. Y3 = X3 + Y3 */
	p256_fe_sub(x3, t1, y3);	/* 12. X3 = t1 - Y3 */
	p256_fe_add(y3, t1, y3);	/* 13. Y3 = t1 + Y3 */
	p256_fe_mul(y3, x3, y3);	/* 14. Y3 = X3 * Y3 */
	p256_fe_mul(x3, x3, t3);	/* 15. X3 = X3 * t3 */
	p256_fe_add(t3, t2, t2);	/* 16. t3 = t2 + t2 */
	p256_fe_add(t2, t2, t3);	/* 17. t2 = t2 + t3 */
	p256_fe_mul(z3, p256_fe_b, z3);	/* 18. Z3 = b * Z3 */
	p256_fe_sub(z3, z3, t2);	/* 19. Z3 = Z3 - t2 */
	p256_fe_sub(z3, z3, t0);	/* 20. Z3 = Z3 - t0 */
	p256_fe_add(t3, z3, z3);	/* 21. t3 = Z3 + Z3 */
	p256_fe_add(z3, z3, t3);	/* 22. Z3 = Z3 + t3 */
	p256_fe_add(t3, t0, t0);	/* 23. t3 = t0 + t0 */
	p256_fe_add(t0, t3, t0);	/* 24. t0 = t3 + t0 */
	p256_fe_sub(t0, t0, t2);	/* 25. t0 = t0 - t2 */
	p256_fe_mul(t0, t0, z3);	/* 26. t0 = t0 * Z3 */
	p256_fe_add(y3, y3, t0);	/* 27. Y3 = Y3 + t0 */
	p256_fe_mul(t0, a->y, a->z);	/* 28. t0 = Y * Z */
	p256_fe_add(t0, t0, t0);	/* 29. t0 = t0 + t0 */
	p256_fe_mul(z3, t0, z3);	/* 30. Z3 = t0 * Z3 */
	p256_fe_sub(x3, x3, z3);	/* 31. X3 = X3 - Z3 */
	p256_fe_mul(z3, t0, t1);	/* 32. Z3 = t0 * t1 */
	p256_fe_add(z3, z3, z3);	/* 33. Z3 = Z3 + Z3 */
	p256_fe_add(z3, z3, z3);	/* 34. Z3 = Z3 + Z3 */
	fe_copy(r->x, x3);
	fe_copy(r->y, y3);
	fe_copy(r->z, z3);
}

/* (X/Z, Y/Z); Z = 0 (infinity) gives (0, 0): the inverse of 0 is 0. */
void p256_point_to_affine(struct p256_affine *r, const struct p256_point *a)
{
	p256_fe zinv;

	p256_fe_inv(zinv, a->z);
	p256_fe_mul(r->x, a->x, zinv);
	p256_fe_mul(r->y, a->y, zinv);
	WIPE(zinv);
}

/* 1 if y^2 = x^3 - 3x + b, else 0. */
uint64_t p256_on_curve(const struct p256_affine *a)
{
	p256_fe lhs, rhs, three_x;

	p256_fe_sqr(lhs, a->y);			/* y^2 */
	p256_fe_sqr(rhs, a->x);
	p256_fe_mul(rhs, rhs, a->x);		/* x^3 */
	p256_fe_add(three_x, a->x, a->x);
	p256_fe_add(three_x, three_x, a->x);
	p256_fe_sub(rhs, rhs, three_x);		/* x^3 - 3x */
	p256_fe_add(rhs, rhs, p256_fe_b);	/* x^3 - 3x + b */
	return p256_fe_equal(lhs, rhs);
}

/* G (SP 800-186 §3.2.1.3). */
void p256_generator(struct p256_affine *g)
{
	static const uint8_t gx[32] = {
		0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
		0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
	};
	static const uint8_t gy[32] = {
		0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
		0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
	};

	p256_fe_from_bytes(g->x, gx);
	p256_fe_from_bytes(g->y, gy);
}

/*
 * Digit i of k (any 256-bit value) for windows of w bits, as a magnitude
 * and a sign (1 for negative): with bits b_j of k (b_-1 = 0, b_j = 0 past
 * 255),
 *   d_i = b_(wi-1) + sum_(j<w-1) b_(wi+j) 2^j - b_(wi+w-1) 2^(w-1),
 * so that sum d_i 2^(wi) = k (the -2^(w-1) b_(wi+w-1) of one digit and the
 * b_(wi+w-1) carried into the next add up to b_(wi+w-1) 2^(wi+w-1)), and
 * d_i lies in [-2^(w-1), 2^(w-1)]; the top digit is >= 0 since
 * w * P256_WINDOWS(w) > 256. Arithmetic only: no branch on k (the branches
 * below test i and w).
 */
static void recode(const uint64_t k[4], int i, int w, uint32_t *mag, uint32_t *neg)
{
	int pos = w * i - 1;		/* the lowest bit read: b_(wi-1) */
	uint32_t half = 1u << (w - 1), v, x, top, mask;
	uint64_t bits;

	if (pos < 0) {
		bits = k[0] << 1;
	} else {
		bits = k[pos / 64] >> (pos % 64);
		if (pos % 64 + w + 1 > 64 && pos / 64 < 3)
			bits |= k[pos / 64 + 1] << (64 - pos % 64);
	}
	v = (uint32_t)bits & ((2u << w) - 1);	/* b_(wi-1) .. b_(wi+w-1) */
	top = v >> w;
	x = ((v >> 1) & (half - 1)) + (v & 1);	/* d_i + 2^(w-1) top, in [0, 2^(w-1)] */
	mask = ct_mask32(top);
	*mag = ((x ^ mask) - mask) + (mask & half);	/* top ? 2^(w-1) - x : x */
	*neg = top;
}

/* r = row[mag - 1] (the point mag * B of a row of count), or (0, 0) for
 * mag = 0. Reads every entry of the row (into one accumulator of 8 limbs,
 * which compilers may handle two or four limbs at a time). */
static void select_affine(struct p256_affine *r, const struct p256_affine *row, int count, uint32_t mag)
{
	uint64_t acc[8] = { 0 };

	for (int j = 0; j < count; j++) {
		uint64_t mask = ct_mask64(ct_eq64(mag, (uint64_t)j + 1));

		P256_UNROLL
		for (int i = 0; i < 4; i++) {
			acc[i] |= mask & row[j].x[i];
			acc[4 + i] |= mask & row[j].y[i];
		}
	}
	for (int i = 0; i < 4; i++) {
		r->x[i] = acc[i];
		r->y[i] = acc[4 + i];
	}
}

/* r = row[mag - 1], or the point at infinity for mag = 0. Reads all 16. */
static void select_point(struct p256_point *r, const struct p256_point row[16], uint32_t mag)
{
	point_identity(r);
	for (int j = 0; j < 16; j++)
		point_copy_if(r, &row[j], ct_eq64(mag, (uint64_t)j + 1));
}

/*
 * out[j] = the affine form of in[j], j < count, with one inversion
 * (Montgomery's trick): prefix[j] = Z_0 ... Z_j; then from the top,
 * 1/Z_j = prefix[j-1] / prefix[j] and 1/prefix[j-1] = Z_j / prefix[j].
 * No in[j] may be the point at infinity. count <= 64.
 */
static void batch_to_affine(struct p256_affine *out, const struct p256_point *in, int count)
{
	p256_fe prefix[64], inv, zinv;

	fe_copy(prefix[0], in[0].z);
	for (int j = 1; j < count; j++)
		p256_fe_mul(prefix[j], prefix[j - 1], in[j].z);
	p256_fe_inv(inv, prefix[count - 1]);
	for (int j = count - 1; j > 0; j--) {
		p256_fe_mul(zinv, inv, prefix[j - 1]);
		p256_fe_mul(inv, inv, in[j].z);
		p256_fe_mul(out[j].x, in[j].x, zinv);
		p256_fe_mul(out[j].y, in[j].y, zinv);
	}
	p256_fe_mul(out[0].x, in[0].x, inv);
	p256_fe_mul(out[0].y, in[0].y, inv);
}

/*
 * Row i of table = j * 2^(wi) * base, j = 1..2^(w-1), i < P256_WINDOWS(w),
 * w <= 7. No entry is the point at infinity: base has prime order n, and
 * j * 2^(wi) is a product of primes below n. Used for G and for public
 * keys: every input is public.
 */
void p256_table_build(struct p256_affine *table, int w, const struct p256_affine *base)
{
	struct p256_point row[64], b;
	int count = P256_ROW(w);

	point_from_affine(&b, base);
	for (int i = 0; i < P256_WINDOWS(w); i++) {
		row[0] = b;
		p256_point_double(&row[1], &b);
		for (int j = 2; j < count; j++)
			p256_point_add(&row[j], &row[j - 1], &b);
		p256_point_double(&b, &row[count - 1]);	/* 2^(w-1) 2^(wi) * 2 = 2^(w(i+1)) */
		batch_to_affine(table + i * count, row, count);
	}
}

/* The table of G, built the first time it is needed (p256.h). */
static struct p256_affine base_table[P256_TABLE_LEN(P256_TABLE_WINDOW)] LARGE_BUFFER;
static int base_table_ready;

static const struct p256_affine *get_base_table(void)
{
	if (!base_table_ready) {
		struct p256_affine g;

		p256_generator(&g);
		p256_table_build(base_table, P256_TABLE_WINDOW, &g);
		base_table_ready = 1;
	}
	return base_table;
}

void p256_precompute(void)
{
	get_base_table();
}

/* r = k * G, constant time: one mixed addition per digit, from G's table;
 * no doubling. */
void p256_mul_base(struct p256_point *r, const uint64_t k[4])
{
	const int w = P256_TABLE_WINDOW;
	const struct p256_affine *t = get_base_table();
	struct p256_point acc, sum;
	struct p256_affine sel;
	uint32_t mag, neg;

	point_identity(&acc);
	for (int i = 0; i < P256_WINDOWS(w); i++) {
		recode(k, i, w, &mag, &neg);
		select_affine(&sel, t + i * P256_ROW(w), P256_ROW(w), mag);
		p256_fe_cneg(sel.y, sel.y, ct_mask64(neg));
		p256_point_add_affine(&sum, &acc, &sel);
		/* a zero digit selected no point: keep acc */
		point_copy_if(&acc, &sum, ct_is_zero64(mag) ^ 1);
	}
	*r = acc;
	WIPE(acc), WIPE(sum), WIPE(sel), WIPE(mag), WIPE(neg);
}

/* r = k * a, constant time: 5-bit windows from the top digit down, 5
 * doublings and the addition of +-|d_i| a from a table of a, 2a, ..., 16a. */
void p256_mul(struct p256_point *r, const uint64_t k[4], const struct p256_affine *a)
{
	const int w = 5;
	struct p256_point row[16], acc, sel;
	uint32_t mag, neg;

	point_from_affine(&row[0], a);
	p256_point_double(&row[1], &row[0]);
	for (int j = 2; j < 16; j++)
		p256_point_add_affine(&row[j], &row[j - 1], a);

	point_identity(&acc);
	for (int i = P256_WINDOWS(w) - 1; i >= 0; i--) {
		if (i != P256_WINDOWS(w) - 1)
			for (int s = 0; s < w; s++)
				p256_point_double(&acc, &acc);
		recode(k, i, w, &mag, &neg);
		select_point(&sel, row, mag);
		p256_fe_cneg(sel.y, sel.y, ct_mask64(neg));
		p256_point_add(&acc, &acc, &sel);
	}
	*r = acc;
	WIPE(row), WIPE(acc), WIPE(sel), WIPE(mag), WIPE(neg);
}

/* acc += k * B from B's table of w-bit windows, skipping zero digits.
 * Variable time. */
static void add_table_vartime(struct p256_point *acc, const uint64_t k[4], const struct p256_affine *t,
			      int w)
{
	struct p256_affine sel;
	uint32_t mag, neg;

	for (int i = 0; i < P256_WINDOWS(w); i++) {
		recode(k, i, w, &mag, &neg);
		if (mag == 0)
			continue;
		sel = t[i * P256_ROW(w) + (int)mag - 1];
		if (neg)
			p256_fe_cneg(sel.y, sel.y, ~(uint64_t)0);
		p256_point_add_affine(acc, acc, &sel);
	}
}

/* acc += k * q with 5-bit windows: doublings and additions from a table of
 * q, ..., 16q, skipping zero digits. Variable time. */
static void add_mul_vartime(struct p256_point *acc, const uint64_t k[4], const struct p256_affine *q)
{
	const int w = 5;
	struct p256_point row[16], qacc, sel;
	uint32_t mag, neg;

	point_from_affine(&row[0], q);
	p256_point_double(&row[1], &row[0]);
	for (int j = 2; j < 16; j++)
		p256_point_add_affine(&row[j], &row[j - 1], q);
	point_identity(&qacc);
	for (int i = P256_WINDOWS(w) - 1; i >= 0; i--) {
		if (i != P256_WINDOWS(w) - 1)
			for (int s = 0; s < w; s++)
				p256_point_double(&qacc, &qacc);
		recode(k, i, w, &mag, &neg);
		if (mag == 0)
			continue;
		sel = row[mag - 1];
		if (neg)
			p256_fe_cneg(sel.y, sel.y, ~(uint64_t)0);
		p256_point_add(&qacc, &qacc, &sel);
	}
	p256_point_add(acc, acc, &qacc);
}

void p256_mul2_vartime(struct p256_point *r, const uint64_t u1[4], const uint64_t u2[4],
		       const struct p256_affine *q_table, const struct p256_affine *q)
{
	point_identity(r);
	add_table_vartime(r, u1, get_base_table(), P256_TABLE_WINDOW);
	if (q_table)
		add_table_vartime(r, u2, q_table, P256_TABLE_WINDOW);
	else
		add_mul_vartime(r, u2, q);
}
