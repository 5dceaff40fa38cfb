/*
 * der.h - a reader for DER (ITU-T X.690 §8 and §10), the encoding of
 * certificates, keys and ECDSA signatures. Pure; bounds-checked: every
 * length read from the input is checked against what is left before use.
 *
 * Strict: definite lengths in their shortest form, one-byte tags only,
 * INTEGERs in their shortest two's-complement form. What BER would also
 * allow (and what a parser differential could exploit) is refused.
 */
#ifndef SCRATCHD_DER_H
#define SCRATCHD_DER_H

#include <stddef.h>
#include <stdint.h>

/* Tags (X.690 §8.1.2; universal class; SEQUENCE is constructed) */
#define DER_INTEGER	0x02
#define DER_BIT_STRING	0x03
#define DER_OCTET_STRING 0x04
#define DER_NULL	0x05
#define DER_OID		0x06
#define DER_SEQUENCE	0x30
#define DER_CONTEXT(n)	(0xa0 | (n))	/* [n] EXPLICIT, constructed */

/* Unread input: p[0..n). */
struct der {
	const uint8_t *p;
	size_t n;
};

/* Read one element whose tag is tag: *body is its contents, r moves past
 * it. Returns 0, or -1 (r unchanged) for another tag or a bad encoding. */
int der_read(struct der *r, uint8_t tag, struct der *body);

/* 1 if the next element has tag tag (and r is not empty), else 0. */
int der_next_is(const struct der *r, uint8_t tag);

/* Read an INTEGER that must be positive and at most max bytes long once
 * its sign byte is dropped; *mag is its magnitude without leading zeros.
 * Returns 0 or -1. */
int der_read_uint(struct der *r, size_t max, struct der *mag);

/* 1 if body is exactly the OID whose contents are oid[0..n), else 0. */
int der_oid_is(struct der body, const uint8_t *oid, size_t n);

/* The ECDSA-Sig-Value (RFC 5480 §2.2.3: SEQUENCE { r INTEGER, s INTEGER })
 * of a P-256 signature, to and from r || s (32 bytes each). */
#define DER_ECDSA_SIG_MAX 72	/* 2 + 2 * (2 + 33) */
size_t der_write_ecdsa_sig(uint8_t out[DER_ECDSA_SIG_MAX], const uint8_t rs[64]);
/* Returns 0, or -1 if der[0..n) is not exactly one well-formed value with
 * r and s below 2^256 (whether they are below the group order is the
 * verifier's business). */
int der_read_ecdsa_sig(uint8_t rs[64], const uint8_t *der, size_t n);

/* The P-256 public point of a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7,
 * RFC 5480 §2): algorithm id-ecPublicKey with the named curve prime256v1,
 * and a BIT STRING that holds the 65-byte uncompressed point. spki is the
 * SEQUENCE's body. Returns 0, or -1 for anything else (another curve or
 * key type, explicit parameters, a compressed point). The point itself is
 * not validated here (p256_check_point). */
int der_spki_p256(struct der spki, uint8_t point[65]);

#endif
