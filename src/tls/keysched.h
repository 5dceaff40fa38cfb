/*
 * keysched.h - the TLS 1.3 key schedule for SHA-256 suites (RFC 8446 §7.1),
 * traffic keys (§7.3), Finished (§4.4.4) and KeyUpdate (§7.2).
 *
 * Each stage of §7.1 is its own type, and a stage can only be made from the
 * one before it, which it wipes: the compiler checks the order
 *	early secret -> handshake secret -> master secret.
 * No PSK: the early secret is always HKDF-Extract(0, 0).
 */
#ifndef SCRATCHD_TLS_KEYSCHED_H
#define SCRATCHD_TLS_KEYSCHED_H

#include <stddef.h>
#include <stdint.h>
#include "../crypto/sha256.h"

#define TLS_SECRET_LEN	SHA256_LEN
#define TLS_IV_LEN	12		/* both suites' nonce (§5.3) */

/* The labels of §7.1, §7.2, §7.3 and §4.4.4 (HKDF-Expand-Label adds "tls13 ") */
#define TLS_LABEL_DERIVED	"derived"
#define TLS_LABEL_C_HS_TRAFFIC	"c hs traffic"
#define TLS_LABEL_S_HS_TRAFFIC	"s hs traffic"
#define TLS_LABEL_C_AP_TRAFFIC	"c ap traffic"
#define TLS_LABEL_S_AP_TRAFFIC	"s ap traffic"
#define TLS_LABEL_KEY		"key"
#define TLS_LABEL_IV		"iv"
#define TLS_LABEL_FINISHED	"finished"
#define TLS_LABEL_TRAFFIC_UPD	"traffic upd"

struct ks_early {
	uint8_t secret[TLS_SECRET_LEN];
};

struct ks_handshake {
	uint8_t secret[TLS_SECRET_LEN];
};

struct ks_master {
	uint8_t secret[TLS_SECRET_LEN];
};

/* HKDF-Expand-Label(secret, label, context, len) (§7.1); len <= 255. */
void tls_expand_label(uint8_t *out, size_t len, const uint8_t secret[TLS_SECRET_LEN], const char *label,
		      const uint8_t *context, size_t context_len);

/* Derive-Secret(secret, label, messages), given Transcript-Hash(messages). */
void tls_derive_secret(uint8_t out[TLS_SECRET_LEN], const uint8_t secret[TLS_SECRET_LEN], const char *label,
		       const uint8_t hash[SHA256_LEN]);

/* Early Secret = HKDF-Extract(0, 0): no PSK. */
void ks_early(struct ks_early *e);

/* Handshake Secret = HKDF-Extract(Derive-Secret(early, "derived", ""),
 * (EC)DHE). Wipes e; the caller wipes the (EC)DHE secret. */
void ks_handshake(struct ks_handshake *hs, struct ks_early *e, const uint8_t ecdhe[32]);

/* client/server_handshake_traffic_secret, from Transcript-Hash(ClientHello
 * ... ServerHello). */
void ks_handshake_traffic(const struct ks_handshake *hs, const uint8_t hash[SHA256_LEN],
			  uint8_t client[TLS_SECRET_LEN], uint8_t server[TLS_SECRET_LEN]);

/* Master Secret = HKDF-Extract(Derive-Secret(hs, "derived", ""), 0). Wipes hs. */
void ks_master(struct ks_master *m, struct ks_handshake *hs);

/* client/server_application_traffic_secret_0, from Transcript-Hash(
 * ClientHello ... server Finished). Wipes m: nothing else is derived from it
 * (no exporters, no resumption). */
void ks_app_traffic(struct ks_master *m, const uint8_t hash[SHA256_LEN], uint8_t client[TLS_SECRET_LEN],
		    uint8_t server[TLS_SECRET_LEN]);

/* [sender]_write_key and [sender]_write_iv of a traffic secret (§7.3). */
void ks_traffic_key(const uint8_t secret[TLS_SECRET_LEN], uint8_t *key, size_t key_len, uint8_t iv[TLS_IV_LEN]);

/* finished_key of a handshake traffic secret (§4.4.4). */
void ks_finished_key(uint8_t out[TLS_SECRET_LEN], const uint8_t base_key[TLS_SECRET_LEN]);

/* verify_data = HMAC(finished_key, Transcript-Hash(...)) (§4.4.4). */
void ks_finished(uint8_t verify_data[SHA256_LEN], const uint8_t finished_key[TLS_SECRET_LEN],
		 const uint8_t hash[SHA256_LEN]);

/* application_traffic_secret_N+1 from _N, in place (§7.2). */
void ks_next_traffic(uint8_t secret[TLS_SECRET_LEN]);

#endif
