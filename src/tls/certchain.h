/*
 * certchain.h - a PEM certificate chain (leaf first, as Let's Encrypt's
 * fullchain.pem) turned into the body of a TLS 1.3 Certificate message
 * (RFC 8446 §4.4.2), with the leaf's P-256 public key. Pure.
 */
#ifndef SCRATCHD_CERTCHAIN_H
#define SCRATCHD_CERTCHAIN_H

#include <stddef.h>
#include <stdint.h>

#define CERTCHAIN_FILE_MAX	(64 * 1024)	/* bytes of a certificate file read */
#define CERTCHAIN_MAX_CERTS	8		/* certificates in a chain */

enum certchain_error {
	CERTCHAIN_OK = 0,
	CERTCHAIN_NONE = -1,		/* no CERTIFICATE block */
	CERTCHAIN_BAD_PEM = -2,		/* a malformed PEM block */
	CERTCHAIN_BAD_CERT = -3,	/* the leaf is not an X.509 certificate we can read */
	CERTCHAIN_NOT_P256 = -4,	/* the leaf's key is not ECDSA P-256 */
	CERTCHAIN_TOO_BIG = -5,		/* the chain does not fit TLS_CERT_MSG_MAX, or too many */
};

/* Build the Certificate message body in msg (cap bytes; *msg_len set) from
 * the PEM text[0..n), and the leaf's public point (65 bytes, uncompressed).
 * Blocks other than CERTIFICATE are skipped. Returns CERTCHAIN_OK or an
 * enum certchain_error. */
int certchain_build(const char *text, size_t n, uint8_t *msg, size_t cap, size_t *msg_len,
		    uint8_t leaf_point[65]);

/* A one-line reason for a certchain_error. */
const char *certchain_reason(int error);

#endif
