/*
 * certchain.c - from PEM certificates to the TLS 1.3 Certificate message:
 *
 *	opaque certificate_request_context<0..2^8-1>;	 empty from a server
 *	CertificateEntry certificate_list<0..2^24-1>;	 RFC 8446 §4.4.2
 *	  CertificateEntry: opaque cert_data<1..2^24-1>; Extension extensions<0..2^16-1>;
 *
 * and the leaf's key, read from its tbsCertificate (RFC 5280 §4.1):
 *
 *	Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
 *	TBSCertificate ::= SEQUENCE { version [0] EXPLICIT OPTIONAL, serialNumber,
 *		signature, issuer, validity, subject, subjectPublicKeyInfo, ... }
 *
 * The certificates are sent as they are: checking the chain is the client's
 * work, and the operator's file is trusted to be theirs.
 */
#include "certchain.h"
#include "der.h"
#include "pem.h"
#include "tls.h"
#include "../mem.h"

/* The leaf's P-256 point, from its DER. */
static int leaf_point_of(const uint8_t *cert, size_t n, uint8_t point[65])
{
	struct der in = { cert, n }, c, tbs, skip;

	if (der_read(&in, DER_SEQUENCE, &c) < 0 || in.n != 0 || der_read(&c, DER_SEQUENCE, &tbs) < 0)
		return CERTCHAIN_BAD_CERT;
	if (der_next_is(&tbs, DER_CONTEXT(0)) && der_read(&tbs, DER_CONTEXT(0), &skip) < 0)
		return CERTCHAIN_BAD_CERT;
	/* serialNumber (any length: RFC 5280 §4.1.2.2 allows 20 octets, some
	 * CAs send more), signature, issuer, validity, subject */
	if (der_read(&tbs, DER_INTEGER, &skip) < 0)
		return CERTCHAIN_BAD_CERT;
	for (int i = 0; i < 4; i++)
		if (der_read(&tbs, DER_SEQUENCE, &skip) < 0)
			return CERTCHAIN_BAD_CERT;
	struct der spki;
	if (der_read(&tbs, DER_SEQUENCE, &spki) < 0)
		return CERTCHAIN_BAD_CERT;
	return der_spki_p256(spki, point) < 0 ? CERTCHAIN_NOT_P256 : CERTCHAIN_OK;
}

static void put_u24(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

int certchain_build(const char *text, size_t n, uint8_t *msg, size_t cap, size_t *msg_len,
		    uint8_t leaf_point[65])
{
	size_t pos = 0, len, used = 4;	/* context length, list length */
	unsigned certs = 0;
	struct str label;
	int found;

	if (cap > TLS_CERT_MSG_MAX)
		cap = TLS_CERT_MSG_MAX;
	if (cap < used)
		return CERTCHAIN_TOO_BIG;
	/* each certificate is decoded in place, after its 3-byte length */
	while ((found = pem_next(text, n, &pos, &label, msg + used + 3,
				 cap - used > 5 ? cap - used - 5 : 0, &len)) != 0) {
		if (found < 0)
			return found == -2 ? CERTCHAIN_TOO_BIG : CERTCHAIN_BAD_PEM;
		if (!str_eq(label, STR("CERTIFICATE")))
			continue;
		if (certs == CERTCHAIN_MAX_CERTS || len == 0)
			return len == 0 ? CERTCHAIN_BAD_CERT : CERTCHAIN_TOO_BIG;
		if (certs == 0) {
			int r = leaf_point_of(msg + used + 3, len, leaf_point);

			if (r < 0)
				return r;
		}
		put_u24(msg + used, len);
		msg[used + 3 + len] = 0;	/* no extensions */
		msg[used + 3 + len + 1] = 0;
		used += 3 + len + 2;
		certs++;
	}
	if (certs == 0)
		return CERTCHAIN_NONE;
	msg[0] = 0;				/* certificate_request_context: empty */
	put_u24(msg + 1, used - 4);
	*msg_len = used;
	return CERTCHAIN_OK;
}

const char *certchain_reason(int error)
{
	switch (error) {
	case CERTCHAIN_OK:
		return "ok";
	case CERTCHAIN_BAD_PEM:
		return "malformed PEM";
	case CERTCHAIN_BAD_CERT:
		return "the first certificate is not a readable X.509 certificate";
	case CERTCHAIN_NOT_P256:
		return "the certificate's key is not ECDSA P-256 (prime256v1), the only type supported";
	case CERTCHAIN_TOO_BIG:
		return "the chain is too large (at most 8 certificates, 15.5 KiB of DER)";
	default:
		return "no PEM certificate found (BEGIN CERTIFICATE)";
	}
}
