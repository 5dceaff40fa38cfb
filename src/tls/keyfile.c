/*
 * keyfile.c - a P-256 private key from PEM: PKCS#8 PrivateKeyInfo (RFC 5958
 * §2, "BEGIN PRIVATE KEY") wrapping, or SEC 1 alone (RFC 5915 §3,
 * "BEGIN EC PRIVATE KEY"), an ECPrivateKey:
 *
 *	ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING,
 *		parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
 *	PrivateKeyInfo ::= SEQUENCE { version INTEGER (0 or 1),
 *		privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, ... }
 *
 * RSA keys and encrypted keys are recognised, to say why they are refused.
 * Every buffer that held key material is wiped before returning.
 */
#include "keyfile.h"
#include "der.h"
#include "pem.h"
#include "../crypto/ct.h"
#include "../mem.h"

/* 1.2.840.10045.2.1 id-ecPublicKey, 1.2.840.10045.3.1.7 prime256v1,
 * 1.2.840.113549.1.1.1 rsaEncryption (RFC 5480, RFC 8017) */
static const uint8_t oid_ec[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
static const uint8_t oid_p256[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const uint8_t oid_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };

/* An ECPrivateKey's scalar; need_curve: its parameters must name P-256
 * (SEC 1 alone), else they may be absent (PKCS#8 names the curve). */
static int ec_private_key(struct der in, uint8_t priv[32], int need_curve)
{
	struct der seq, version, key, params, oid;

	if (der_read(&in, DER_SEQUENCE, &seq) < 0 || in.n != 0 || der_read_uint(&seq, 1, &version) < 0 ||
	    version.n != 1 || version.p[0] != 1 || der_read(&seq, DER_OCTET_STRING, &key) < 0)
		return KEYFILE_NO_KEY;
	/* RFC 5915: ceiling(log2(n)/8) = 32 bytes; some writers drop leading zeros */
	if (key.n == 0 || key.n > 32)
		return KEYFILE_UNSUPPORTED;
	if (der_next_is(&seq, DER_CONTEXT(0))) {
		if (der_read(&seq, DER_CONTEXT(0), &params) < 0 || der_read(&params, DER_OID, &oid) < 0)
			return KEYFILE_UNSUPPORTED;	/* explicit curve parameters */
		if (!der_oid_is(oid, oid_p256, sizeof(oid_p256)))
			return KEYFILE_UNSUPPORTED;
		need_curve = 0;
	}
	if (need_curve)
		return KEYFILE_UNSUPPORTED;
	memset(priv, 0, 32);
	memcpy(priv + 32 - key.n, key.p, key.n);
	return KEYFILE_OK;
}

static int pkcs8(struct der in, uint8_t priv[32])
{
	struct der seq, version, alg, oid, key;

	if (der_read(&in, DER_SEQUENCE, &seq) < 0 || der_read_uint(&seq, 1, &version) < 0 ||
	    version.n > 1 || (version.n == 1 && version.p[0] != 1) || der_read(&seq, DER_SEQUENCE, &alg) < 0 ||
	    der_read(&alg, DER_OID, &oid) < 0)
		return KEYFILE_NO_KEY;
	if (der_oid_is(oid, oid_rsa, sizeof(oid_rsa)))
		return KEYFILE_RSA;
	if (!der_oid_is(oid, oid_ec, sizeof(oid_ec)))
		return KEYFILE_UNSUPPORTED;
	if (der_read(&alg, DER_OID, &oid) < 0 || !der_oid_is(oid, oid_p256, sizeof(oid_p256)))
		return KEYFILE_UNSUPPORTED;
	if (der_read(&seq, DER_OCTET_STRING, &key) < 0)
		return KEYFILE_NO_KEY;
	return ec_private_key(key, priv, 0);
}

int keyfile_p256(const char *text, size_t n, uint8_t priv[32])
{
	static uint8_t der[KEYFILE_MAX] LARGE_BUFFER;	/* the decoded key: wiped below */
	size_t pos = 0, len;
	struct str label;
	int r, found;

	while ((found = pem_next(text, n, &pos, &label, der, sizeof(der), &len)) != 0) {
		struct der body = { der, len };

		if (found < 0) {
			r = KEYFILE_NO_KEY;
			break;
		}
		if (str_eq(label, STR("PRIVATE KEY")))
			r = pkcs8(body, priv);
		else if (str_eq(label, STR("EC PRIVATE KEY")))
			r = ec_private_key(body, priv, 1);
		else if (str_eq(label, STR("RSA PRIVATE KEY")))
			r = KEYFILE_RSA;
		else if (str_eq(label, STR("ENCRYPTED PRIVATE KEY")))
			r = KEYFILE_ENCRYPTED;
		else
			continue;	/* EC PARAMETERS (openssl ecparam -genkey), a certificate ... */
		ct_wipe(der, sizeof(der));
		return r;
	}
	if (found == 0)
		r = KEYFILE_NO_KEY;
	ct_wipe(der, sizeof(der));
	return r;
}

const char *keyfile_reason(int error)
{
	switch (error) {
	case KEYFILE_OK:
		return "ok";
	case KEYFILE_RSA:
		return "RSA keys are not supported: use an ECDSA P-256 (prime256v1) key";
	case KEYFILE_ENCRYPTED:
		return "encrypted keys are not supported: use an unencrypted ECDSA P-256 key";
	case KEYFILE_UNSUPPORTED:
		return "not an ECDSA P-256 (prime256v1) key, the only type supported";
	case KEYFILE_MISMATCH:
		return "the key does not match the certificate's public key";
	case KEYFILE_UNREADABLE:
		return "cannot read the key file";
	default:
		return "no PEM private key found (BEGIN PRIVATE KEY or BEGIN EC PRIVATE KEY)";
	}
}
