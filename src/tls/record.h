/*
 * record.h - record protection (RFC 8446 §5.2-5.4) with
 * TLS_AES_128_GCM_SHA256 or TLS_CHACHA20_POLY1305_SHA256: one direction's
 * key, IV and sequence number.
 */
#ifndef SCRATCHD_TLS_RECORD_H
#define SCRATCHD_TLS_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include "keysched.h"
#include "../crypto/aesgcm.h"
#include "../crypto/chacha20poly1305.h"

/* Content types (§5.1) */
#define TLS_CT_CHANGE_CIPHER_SPEC	20
#define TLS_CT_ALERT			21
#define TLS_CT_HANDSHAKE		22
#define TLS_CT_APPLICATION_DATA		23

/* What protecting a record of n content bytes adds: the header, the inner
 * content type and the tag (no padding is ever sent). */
#define TLS_RECORD_OVERHEAD	(5 + 1 + 16)

struct tls_cipher {
	union {
		struct aesgcm_key gcm;
		uint8_t chacha[CHACHA20_KEY_LEN];
	} key;
	uint8_t iv[TLS_IV_LEN];
	uint16_t suite;		/* 0: no key yet */
	uint64_t seq;		/* the next record's sequence number (§5.3) */
};

/* Install the key and IV of a traffic secret (§7.3), sequence number 0.
 * Returns 0, or -1 if AES-GCM cannot run here. */
int rec_set_key(struct tls_cipher *c, unsigned suite, const uint8_t secret[TLS_SECRET_LEN]);
void rec_wipe(struct tls_cipher *c);

/* Protect the n content bytes at rec + 5 as one record of type type: the
 * inner type byte and the tag go after them, the header before. Returns the
 * record's length, or 0 when the sequence number is used up (§5.3: it
 * never wraps). */
size_t rec_seal(struct tls_cipher *c, uint8_t *rec, size_t n, uint8_t type);

/* Open the protected record rec (header, then body_len bytes) in place.
 * Returns 0 with its inner content at rec + 5 (*type, *len, padding
 * removed), or the alert: bad_record_mac (it does not open, or the
 * sequence number is used up), record_overflow, unexpected_message (no
 * content type: all zeros). */
int rec_open(struct tls_cipher *c, uint8_t *rec, size_t body_len, uint8_t *type, size_t *len);

#endif
