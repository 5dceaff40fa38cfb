/*
 * client_hello.h - the ClientHello (RFC 8446 §4.1.2) and the extensions a
 * TLS 1.3 server acts on (§4.2; RFC 6066 §3 server_name; RFC 7301 ALPN),
 * parsed into slices of the message. Pure: no state, no allocation; every
 * slice points into the message, which must outlive the result.
 */
#ifndef SCRATCHD_TLS_CLIENT_HELLO_H
#define SCRATCHD_TLS_CLIENT_HELLO_H

#include <stddef.h>
#include <stdint.h>
#include "wire.h"
#include "../crypto/sha256.h"

/* ExtensionType values (§4.2; RFC 6066, RFC 7301, RFC 7685) */
#define TLS_EXT_SERVER_NAME		0
#define TLS_EXT_SUPPORTED_GROUPS	10
#define TLS_EXT_SIGNATURE_ALGORITHMS	13
#define TLS_EXT_ALPN			16
#define TLS_EXT_PADDING			21
#define TLS_EXT_PRE_SHARED_KEY		41
#define TLS_EXT_EARLY_DATA		42
#define TLS_EXT_SUPPORTED_VERSIONS	43
#define TLS_EXT_COOKIE			44
#define TLS_EXT_PSK_KEY_EXCHANGE_MODES	45
#define TLS_EXT_KEY_SHARE		51

/* Bits of client_hello.ext: the extensions present */
#define CH_SERVER_NAME		(1u << 0)
#define CH_SUPPORTED_GROUPS	(1u << 1)
#define CH_SIGNATURE_ALGORITHMS	(1u << 2)
#define CH_ALPN			(1u << 3)
#define CH_SUPPORTED_VERSIONS	(1u << 4)
#define CH_KEY_SHARE		(1u << 5)
#define CH_EARLY_DATA		(1u << 6)
#define CH_PRE_SHARED_KEY	(1u << 7)
#define CH_PSK_MODES		(1u << 8)

#define TLS_VERSION_13		0x0304
#define TLS_SIG_ECDSA_SECP256R1_SHA256	0x0403	/* SignatureScheme (§4.2.3) */

struct client_hello {
	size_t legacy_version;
	const uint8_t *random;		/* 32 bytes */
	struct rd session_id;		/* legacy_session_id, at most 32 bytes */
	struct rd suites;		/* cipher_suites: 2 bytes each, at least one */
	struct rd groups;		/* supported_groups' named_group_list: 2 bytes each */
	struct rd sig_algs;		/* signature_algorithms' list: 2 bytes each */
	struct rd x25519;		/* key_exchange of the x25519 KeyShareEntry (p NULL: none) */
	struct rd secp256r1;		/* key_exchange of the secp256r1 one (p NULL: none) */
	size_t shares;			/* KeyShareEntry values in key_share */
	unsigned ext;			/* CH_* bits */
	int alpn_http11;		/* ALPN lists "http/1.1" */
	/* SHA-256 of the message less the extensions a second ClientHello may
	 * change (§4.1.2: key_share, early_data, cookie, pre_shared_key,
	 * padding) and less the extensions' total length */
	uint8_t digest[SHA256_LEN];
};

/* Parse the ClientHello body (after its 4-byte handshake header). Returns
 * 0, or the alert (§6.2) that refuses it:
 *	decode_error		bad framing, a vector out of its range
 *	illegal_parameter	a repeated extension or key share group,
 *				pre_shared_key not last, compression not {0}
 *	protocol_version	no TLS 1.3 (supported_versions without 0x0304,
 *				or absent; legacy_version 0x0300 or below, §D.5)
 */
int client_hello_parse(struct client_hello *ch, const uint8_t *body, size_t n);

/* 1 if the list of 2-byte values holds v, else 0. */
int tls_list_has(struct rd list, unsigned v);

#endif
