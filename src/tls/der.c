/*
 * der.c - the DER reader (ITU-T X.690). See der.h.
 */
#include "der.h"
#include "../mem.h"

int der_next_is(const struct der *r, uint8_t tag)
{
	return r->n > 0 && r->p[0] == tag;
}

int der_read(struct der *r, uint8_t tag, struct der *body)
{
	size_t len, hdr = 2;

	if (r->n < 2 || r->p[0] != tag)
		return -1;
	len = r->p[1];
	if (len & 0x80) {
		/* long form (§8.1.3.5): 1 to 3 length bytes are plenty here;
		 * DER wants the fewest (§10.1): no leading zero, and only
		 * for lengths of 128 and more */
		size_t k = len & 0x7f;

		if (k == 0 || k > 3 || r->n < 2 + k || r->p[2] == 0)
			return -1;
		len = 0;
		for (size_t i = 0; i < k; i++)
			len = len << 8 | r->p[2 + i];
		if (len < 0x80)
			return -1;
		hdr += k;
	}
	if (len > r->n - hdr)
		return -1;
	body->p = r->p + hdr;
	body->n = len;
	r->p += hdr + len;
	r->n -= hdr + len;
	return 0;
}

int der_read_uint(struct der *r, size_t max, struct der *mag)
{
	struct der save = *r, v;

	if (der_read(r, DER_INTEGER, &v) < 0 || v.n == 0)
		goto bad;
	if (v.p[0] & 0x80)
		goto bad;	/* negative */
	if (v.p[0] == 0 && v.n > 1) {
		if (!(v.p[1] & 0x80))
			goto bad;	/* a zero byte that is not needed (§8.3.2) */
		v.p++;
		v.n--;
	}
	if (v.n == 1 && v.p[0] == 0)
		v.n = 0;	/* zero: no magnitude bytes */
	if (v.n > max)
		goto bad;
	*mag = v;
	return 0;
bad:
	*r = save;
	return -1;
}

int der_oid_is(struct der body, const uint8_t *oid, size_t n)
{
	return body.n == n && memcmp(body.p, oid, n) == 0;
}

/* Append INTEGER v (32 bytes, unsigned) in its shortest form. */
static size_t write_uint(uint8_t *out, const uint8_t v[32])
{
	size_t skip = 0, n;

	while (skip < 31 && v[skip] == 0)
		skip++;
	n = 32 - skip;
	int pad = v[skip] >= 0x80;	/* a sign byte keeps it positive */
	out[0] = DER_INTEGER;
	out[1] = (uint8_t)(n + pad);
	out[2] = 0;
	memcpy(out + 2 + pad, v + skip, n);
	return 2 + pad + n;
}

size_t der_write_ecdsa_sig(uint8_t out[DER_ECDSA_SIG_MAX], const uint8_t rs[64])
{
	size_t len = write_uint(out + 2, rs);

	len += write_uint(out + 2 + len, rs + 32);
	out[0] = DER_SEQUENCE;
	out[1] = (uint8_t)len;	/* at most 70: the short form */
	return 2 + len;
}

int der_read_ecdsa_sig(uint8_t rs[64], const uint8_t *der, size_t n)
{
	struct der in = { der, n }, seq, r, s;

	if (der_read(&in, DER_SEQUENCE, &seq) < 0 || in.n != 0 ||
	    der_read_uint(&seq, 32, &r) < 0 || der_read_uint(&seq, 32, &s) < 0 || seq.n != 0)
		return -1;
	memset(rs, 0, 64);
	memcpy(rs + 32 - r.n, r.p, r.n);
	memcpy(rs + 64 - s.n, s.p, s.n);
	return 0;
}

int der_spki_p256(struct der spki, uint8_t point[65])
{
	/* 1.2.840.10045.2.1 id-ecPublicKey, 1.2.840.10045.3.1.7 prime256v1 */
	static const uint8_t ec_public_key[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
	static const uint8_t prime256v1[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
	struct der alg, oid, bits;

	if (der_read(&spki, DER_SEQUENCE, &alg) < 0 || der_read(&alg, DER_OID, &oid) < 0 ||
	    !der_oid_is(oid, ec_public_key, sizeof(ec_public_key)) ||
	    der_read(&alg, DER_OID, &oid) < 0 || !der_oid_is(oid, prime256v1, sizeof(prime256v1)) ||
	    alg.n != 0)
		return -1;
	/* BIT STRING: no unused bits, then the point (RFC 5480 §2.2) */
	if (der_read(&spki, DER_BIT_STRING, &bits) < 0 || spki.n != 0 || bits.n != 66 ||
	    bits.p[0] != 0 || bits.p[1] != 0x04)
		return -1;
	memcpy(point, bits.p + 1, 65);
	return 0;
}
