/*
 * keyfile.h - the private key of a certificate, from its file: PEM holding
 * PKCS#8 ("BEGIN PRIVATE KEY", RFC 5958) or SEC 1 ("BEGIN EC PRIVATE KEY",
 * RFC 5915), for a P-256 key. Pure; used by the signer process only.
 */
#ifndef SCRATCHD_KEYFILE_H
#define SCRATCHD_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#define KEYFILE_MAX	16384	/* bytes of a key file read (a P-256 key takes ~250) */

/* Why a key file was refused */
enum keyfile_error {
	KEYFILE_OK = 0,
	KEYFILE_NO_KEY = -1,		/* no PRIVATE KEY block, or malformed PEM/DER */
	KEYFILE_RSA = -2,		/* an RSA key */
	KEYFILE_ENCRYPTED = -3,		/* ENCRYPTED PRIVATE KEY */
	KEYFILE_UNSUPPORTED = -4,	/* another key type or curve */
	KEYFILE_MISMATCH = -5,		/* not the certificate's key (keyfile's caller) */
	KEYFILE_UNREADABLE = -6,	/* could not be read (keyfile's caller) */
};

/* The 32-byte private scalar of the first key in the PEM text[0..n).
 * Returns KEYFILE_OK or a keyfile_error. The caller wipes text; this
 * function wipes its own copies. */
int keyfile_p256(const char *text, size_t n, uint8_t priv[32]);

/* A one-line reason for a keyfile_error. */
const char *keyfile_reason(int error);

#endif
