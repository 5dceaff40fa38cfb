/*
 * keysched.c - the TLS 1.3 key schedule (RFC 8446 §7.1), traffic keys
 * (§7.3), Finished's verify_data (§4.4.4) and the KeyUpdate secret (§7.2),
 * for the SHA-256 suites: HKDF (RFC 5869) and HMAC calls only.
 *
 * Constant time: secrets only meet HKDF and HMAC, which are; lengths and
 * labels are public. Wiped: each stage's input once the next exists, and
 * every temporary that held a secret (the HkdfLabel holds none).
 */
#include "keysched.h"
#include "../crypto/ct.h"
#include "../crypto/hkdf.h"
#include "../crypto/hmac.h"
#include "../mem.h"

/* SHA-256 of the empty string: Derive-Secret(., "derived", "") hashes no messages */
static const uint8_t empty_hash[SHA256_LEN] = {
	0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
	0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};

static const uint8_t zero_secret[TLS_SECRET_LEN];

void tls_expand_label(uint8_t *out, size_t len, const uint8_t secret[TLS_SECRET_LEN], const char *label,
		      const uint8_t *context, size_t context_len)
{
	/* struct { uint16 length; opaque label<7..255> = "tls13 " + Label;
	 *          opaque context<0..255>; } HkdfLabel; */
	static const char prefix[] = "tls13 ";
	uint8_t info[2 + 1 + 255 + 1 + 255];
	size_t label_len = 0, n = 0;

	while (label[label_len])
		label_len++;
	info[n++] = (uint8_t)(len >> 8);
	info[n++] = (uint8_t)len;
	info[n++] = (uint8_t)(sizeof(prefix) - 1 + label_len);
	memcpy(info + n, prefix, sizeof(prefix) - 1);
	n += sizeof(prefix) - 1;
	memcpy(info + n, label, label_len);
	n += label_len;
	info[n++] = (uint8_t)context_len;
	if (context_len)
		memcpy(info + n, context, context_len);
	n += context_len;
	hkdf_sha256_expand(out, len, secret, TLS_SECRET_LEN, info, n);
}

void tls_derive_secret(uint8_t out[TLS_SECRET_LEN], const uint8_t secret[TLS_SECRET_LEN], const char *label,
		       const uint8_t hash[SHA256_LEN])
{
	tls_expand_label(out, TLS_SECRET_LEN, secret, label, hash, SHA256_LEN);
}

void ks_early(struct ks_early *e)
{
	/* no PSK: IKM is HashLen zeros, and so is the salt */
	hkdf_sha256_extract(e->secret, zero_secret, sizeof(zero_secret), zero_secret, sizeof(zero_secret));
}

void ks_handshake(struct ks_handshake *hs, struct ks_early *e, const uint8_t ecdhe[32])
{
	uint8_t derived[TLS_SECRET_LEN];

	tls_derive_secret(derived, e->secret, TLS_LABEL_DERIVED, empty_hash);
	hkdf_sha256_extract(hs->secret, derived, sizeof(derived), ecdhe, 32);
	WIPE(derived);
	WIPE(*e);
}

void ks_handshake_traffic(const struct ks_handshake *hs, const uint8_t hash[SHA256_LEN],
			  uint8_t client[TLS_SECRET_LEN], uint8_t server[TLS_SECRET_LEN])
{
	tls_derive_secret(client, hs->secret, TLS_LABEL_C_HS_TRAFFIC, hash);
	tls_derive_secret(server, hs->secret, TLS_LABEL_S_HS_TRAFFIC, hash);
}

void ks_master(struct ks_master *m, struct ks_handshake *hs)
{
	uint8_t derived[TLS_SECRET_LEN];

	tls_derive_secret(derived, hs->secret, TLS_LABEL_DERIVED, empty_hash);
	hkdf_sha256_extract(m->secret, derived, sizeof(derived), zero_secret, sizeof(zero_secret));
	WIPE(derived);
	WIPE(*hs);
}

void ks_app_traffic(struct ks_master *m, const uint8_t hash[SHA256_LEN], uint8_t client[TLS_SECRET_LEN],
		    uint8_t server[TLS_SECRET_LEN])
{
	tls_derive_secret(client, m->secret, TLS_LABEL_C_AP_TRAFFIC, hash);
	tls_derive_secret(server, m->secret, TLS_LABEL_S_AP_TRAFFIC, hash);
	WIPE(*m);
}

void ks_traffic_key(const uint8_t secret[TLS_SECRET_LEN], uint8_t *key, size_t key_len, uint8_t iv[TLS_IV_LEN])
{
	tls_expand_label(key, key_len, secret, TLS_LABEL_KEY, NULL, 0);
	tls_expand_label(iv, TLS_IV_LEN, secret, TLS_LABEL_IV, NULL, 0);
}

void ks_finished_key(uint8_t out[TLS_SECRET_LEN], const uint8_t base_key[TLS_SECRET_LEN])
{
	tls_expand_label(out, TLS_SECRET_LEN, base_key, TLS_LABEL_FINISHED, NULL, 0);
}

void ks_finished(uint8_t verify_data[SHA256_LEN], const uint8_t finished_key[TLS_SECRET_LEN],
		 const uint8_t hash[SHA256_LEN])
{
	hmac_sha256(verify_data, finished_key, TLS_SECRET_LEN, hash, SHA256_LEN);
}

void ks_next_traffic(uint8_t secret[TLS_SECRET_LEN])
{
	uint8_t next[TLS_SECRET_LEN];

	tls_expand_label(next, sizeof(next), secret, TLS_LABEL_TRAFFIC_UPD, NULL, 0);
	memcpy(secret, next, sizeof(next));
	WIPE(next);
}
