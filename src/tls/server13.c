/*
 * server13.c - the TLS 1.3 server handshake (RFC 8446 §2, §4), one function
 * per step, in the order of §2's full handshake:
 *
 *	ClientHello  ->	process_client_hello	§4.1.2, §4.2, §9.2
 *		     <-	send_hello_retry	§4.1.4 (no usable key share)
 *		     <-	send_server_hello	§4.1.3, and the key schedule §7.1
 *		     <-	send_encrypted_extensions §4.3.1
 *		     <-	send_certificate	§4.4.2
 *			... the signer ...	(TLS_NEED_SIGNATURE)
 *		     <-	send_certificate_verify	§4.4.3
 *		     <-	send_finished		§4.4.4, application secrets §7.1
 *	Finished     ->	read_client_finished	§4.4.4
 *
 * Each failed check sends its alert where it is found: return tls_fail(t,
 * ALERT). No PSK, no 0-RTT, no client certificates: an ECDHE handshake
 * authenticated by one ECDSA P-256 certificate.
 *
 * Constant time: the ephemeral key and the shared secret only meet
 * x25519/p256 and the key schedule; the client's Finished is compared with
 * ct_memeq. Whether the peer's share was bad (an all-zero X25519 result) is
 * public (§7.4.2) and declassified. Wiped: the ephemeral key and the shared
 * secret once the handshake secret exists, the handshake traffic secrets
 * once their keys and finished keys exist, the master secret and finished
 * keys once our Finished is sent, the expected client Finished once checked.
 */
#include "engine.h"
#include "client_hello.h"
#include "../crypto/ct.h"
#include "../crypto/p256.h"
#include "../crypto/x25519.h"
#include "../mem.h"

/* §4.1.3: the Random of a HelloRetryRequest, SHA-256("HelloRetryRequest") */
static const uint8_t hello_retry_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static const uint8_t alpn_http11[] = "http/1.1";

/* What process_client_hello() decided. */
struct choice {
	unsigned suite;
	unsigned group;
	struct rd share;	/* the client's key_exchange; p NULL: HelloRetryRequest */
	int alpn;		/* answer ALPN "http/1.1" */
};

/* ---- writing records and messages ---- */

/* A plaintext record (§5.1) of type; returns where its length goes. */
static size_t record_open(struct wr *w, uint8_t type)
{
	wr_u8(w, type);
	wr_u16(w, 0x0303);	/* legacy_record_version */
	return wr_open(w, 2);
}

/* A handshake message (§4) of type; returns where its length goes. */
static size_t message_open(struct wr *w, uint8_t type)
{
	wr_u8(w, type);
	return wr_open(w, 3);
}

/* Close the message opened at at, and add it to the transcript. */
static void message_close(struct tls_conn *t, struct wr *w, size_t at)
{
	wr_close(w, at, 3);
	if (!w->err)
		tr_add(&t->tr, w->p + at - 1, w->len - (at - 1));
}

/* §D.4: one change_cipher_spec, right after our first ServerHello or
 * HelloRetryRequest (middlebox compatibility). */
static void send_change_cipher_spec(struct tls_conn *t, struct wr *w)
{
	size_t at;

	if (t->sent_ccs)
		return;
	at = record_open(w, TLS_CT_CHANGE_CIPHER_SPEC);
	wr_u8(w, 1);
	wr_close(w, at, 2);
	t->sent_ccs = 1;
}

/* ---- ClientHello (§4.1.2) ---- */

/* §4.1.2: the client's first suite that we have. */
static unsigned choose_suite(const struct client_hello *ch, const struct tls_config *cfg)
{
	for (size_t i = 0; i + 1 < ch->suites.n; i += 2) {
		unsigned suite = (unsigned)(ch->suites.p[i] << 8 | ch->suites.p[i + 1]);

		if (suite == TLS_CHACHA20_POLY1305_SHA256 || (suite == TLS_AES_128_GCM_SHA256 && cfg->aes_gcm))
			return suite;
	}
	return 0;
}

/* §4.2.8: the share to use, or the group a HelloRetryRequest asks for
 * (c->share.p NULL). Returns 0 or an alert. */
static int choose_group(struct tls_conn *t, const struct client_hello *ch, struct choice *c)
{
	if (t->state == ST_CLIENT_HELLO2) {
		/* §4.1.4, §4.2.8: now exactly one share, for the group we asked for */
		c->group = t->group;
		c->share = c->group == TLS_GROUP_X25519 ? ch->x25519 : ch->secp256r1;
		if (ch->shares != 1 || !c->share.p)
			return TLS_ALERT_ILLEGAL_PARAMETER;
	} else if (ch->x25519.p) {
		c->group = TLS_GROUP_X25519;
		c->share = ch->x25519;
	} else if (ch->secp256r1.p) {
		c->group = TLS_GROUP_SECP256R1;
		c->share = ch->secp256r1;
	} else if (tls_list_has(ch->groups, TLS_GROUP_X25519)) {
		c->group = TLS_GROUP_X25519;
		return 0;
	} else if (tls_list_has(ch->groups, TLS_GROUP_SECP256R1)) {
		c->group = TLS_GROUP_SECP256R1;
		return 0;
	} else {
		return TLS_ALERT_HANDSHAKE_FAILURE;
	}
	/* §4.2.8: a share is for a group in supported_groups, and well formed
	 * (§4.2.8.1 X25519: 32 bytes; §4.2.8.2 P-256: an uncompressed point on
	 * the curve) */
	if (!tls_list_has(ch->groups, c->group))
		return TLS_ALERT_ILLEGAL_PARAMETER;
	if (c->group == TLS_GROUP_X25519 && c->share.n != X25519_LEN)
		return TLS_ALERT_ILLEGAL_PARAMETER;
	if (c->group == TLS_GROUP_SECP256R1 &&
	    (c->share.n != P256_POINT_LEN || p256_check_point(c->share.p) < 0))
		return TLS_ALERT_ILLEGAL_PARAMETER;
	return 0;
}

/* §4.1.2, §4.2, §9.2: check the hello and choose what to answer. Returns
 * 0 or an alert. */
static int process_client_hello(struct tls_conn *t, const struct tls_config *cfg, const struct client_hello *ch,
				struct choice *c)
{
	unsigned ext = ch->ext;

	/* §4.1.2: the second ClientHello is the first but for key_share,
	 * early_data (now gone), cookie, pre_shared_key and padding */
	if (t->state == ST_CLIENT_HELLO2 &&
	    (memcmp(ch->digest, t->ch1_digest, SHA256_LEN) != 0 || (ext & CH_EARLY_DATA)))
		return TLS_ALERT_ILLEGAL_PARAMETER;
	c->suite = choose_suite(ch, cfg);
	if (c->suite == 0)
		return TLS_ALERT_HANDSHAKE_FAILURE;
	if (t->state == ST_CLIENT_HELLO2 && c->suite != t->suite)
		return TLS_ALERT_ILLEGAL_PARAMETER;
	/* §9.2: without a PSK, signature_algorithms and supported_groups are
	 * required, and key_share comes with supported_groups; we take no PSK,
	 * so a PSK-only hello has nothing we can do */
	if ((ext & CH_PRE_SHARED_KEY) && !(ext & CH_PSK_MODES))
		return TLS_ALERT_MISSING_EXTENSION;	/* §4.2.9 */
	if ((ext & CH_PRE_SHARED_KEY) &&
	    (!(ext & CH_SIGNATURE_ALGORITHMS) || !(ext & (CH_SUPPORTED_GROUPS | CH_KEY_SHARE))))
		return TLS_ALERT_HANDSHAKE_FAILURE;
	if (!(ext & CH_SIGNATURE_ALGORITHMS) || !(ext & CH_SUPPORTED_GROUPS) || !(ext & CH_KEY_SHARE))
		return TLS_ALERT_MISSING_EXTENSION;
	/* §4.4.3: our certificate signs with ecdsa_secp256r1_sha256 only */
	if (!tls_list_has(ch->sig_algs, TLS_SIG_ECDSA_SECP256R1_SHA256))
		return TLS_ALERT_HANDSHAKE_FAILURE;
	/* RFC 7301 §3.2: no protocol in common */
	if ((ext & CH_ALPN) && !ch->alpn_http11)
		return TLS_ALERT_NO_APPLICATION_PROTOCOL;
	c->alpn = (ext & CH_ALPN) != 0;
	return choose_group(t, ch, c);
}

/* ---- HelloRetryRequest (§4.1.4) ---- */

static int send_hello_retry(struct tls_conn *t, const struct client_hello *ch, const struct choice *c)
{
	struct wr w = tls_out_space(t);
	size_t rec, msg, exts, ext;

	rec = record_open(&w, TLS_CT_HANDSHAKE);
	msg = message_open(&w, HS_SERVER_HELLO);
	wr_u16(&w, 0x0303);				/* legacy_version */
	wr_bytes(&w, hello_retry_random, sizeof(hello_retry_random));
	wr_u8(&w, ch->session_id.n);			/* legacy_session_id_echo */
	wr_bytes(&w, ch->session_id.p, ch->session_id.n);
	wr_u16(&w, c->suite);
	wr_u8(&w, 0);					/* legacy_compression_method */
	exts = wr_open(&w, 2);
	wr_u16(&w, TLS_EXT_SUPPORTED_VERSIONS);
	ext = wr_open(&w, 2);
	wr_u16(&w, TLS_VERSION_13);
	wr_close(&w, ext, 2);
	wr_u16(&w, TLS_EXT_KEY_SHARE);			/* §4.2.8: selected_group */
	ext = wr_open(&w, 2);
	wr_u16(&w, c->group);
	wr_close(&w, ext, 2);
	wr_close(&w, exts, 2);
	/* §4.4.1: ClientHello1 becomes message_hash, then the HelloRetryRequest */
	tr_hello_retry(&t->tr);
	message_close(t, &w, msg);
	wr_close(&w, rec, 2);
	send_change_cipher_spec(t, &w);
	if (w.err)
		return tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
	tls_out_commit(t, w.len);
	memcpy(t->ch1_digest, ch->digest, SHA256_LEN);
	t->suite = (uint16_t)c->suite;
	t->group = (uint16_t)c->group;
	/* §4.2.10: 0-RTT sent with ClientHello1 arrives before ClientHello2 */
	t->early_data = (ch->ext & CH_EARLY_DATA) != 0;
	t->state = ST_CLIENT_HELLO2;
	return TLS_CONTINUE;
}

/* ---- ServerHello (§4.1.3) and the handshake secrets (§7.1) ---- */

/* §7.4: our public key into pub (its length in *pub_len) and the shared
 * secret. Wipes the ephemeral private key. Returns 0 or an alert. */
static int key_exchange(struct tls_conn *t, const struct choice *c, uint8_t pub[P256_POINT_LEN], size_t *pub_len,
			uint8_t shared[32])
{
	int alert = 0, r;

	if (c->group == TLS_GROUP_X25519) {
		x25519_public(pub, t->eph_key);
		*pub_len = X25519_LEN;
		r = x25519(shared, t->eph_key, c->share.p);
		ct_declassify(&r, sizeof(r));	/* §7.4.2: an all-zero result is refused openly */
		if (r < 0)
			alert = TLS_ALERT_ILLEGAL_PARAMETER;
	} else {
		*pub_len = P256_POINT_LEN;
		/* 32 random bytes that are 0 or >= n (probability below 2^-32)
		 * are no scalar: that connection ends in internal_error */
		if (p256_public(pub, t->eph_key) < 0)
			alert = TLS_ALERT_INTERNAL_ERROR;
		else if (p256_ecdh(shared, t->eph_key, c->share.p) < 0)
			alert = TLS_ALERT_ILLEGAL_PARAMETER;
	}
	WIPE(t->eph_key);
	return alert;
}

static int send_server_hello(struct tls_conn *t, const struct client_hello *ch, const struct choice *c)
{
	uint8_t pub[P256_POINT_LEN], shared[32], hash[SHA256_LEN];
	uint8_t client_hs[TLS_SECRET_LEN], server_hs[TLS_SECRET_LEN];
	struct ks_early early;
	struct ks_handshake hs;
	size_t pub_len, rec, msg, exts, ext, share;
	struct wr w;
	int alert, r;

	alert = key_exchange(t, c, pub, &pub_len, shared);
	if (alert) {
		WIPE(shared);
		return tls_fail(t, alert);
	}
	w = tls_out_space(t);
	rec = record_open(&w, TLS_CT_HANDSHAKE);
	msg = message_open(&w, HS_SERVER_HELLO);
	wr_u16(&w, 0x0303);				/* legacy_version */
	wr_bytes(&w, t->random, sizeof(t->random));
	wr_u8(&w, ch->session_id.n);			/* legacy_session_id_echo */
	wr_bytes(&w, ch->session_id.p, ch->session_id.n);
	wr_u16(&w, c->suite);
	wr_u8(&w, 0);					/* legacy_compression_method */
	exts = wr_open(&w, 2);
	wr_u16(&w, TLS_EXT_SUPPORTED_VERSIONS);		/* §4.2.1: selected_version */
	ext = wr_open(&w, 2);
	wr_u16(&w, TLS_VERSION_13);
	wr_close(&w, ext, 2);
	wr_u16(&w, TLS_EXT_KEY_SHARE);			/* §4.2.8: server_share */
	ext = wr_open(&w, 2);
	wr_u16(&w, c->group);
	share = wr_open(&w, 2);
	wr_bytes(&w, pub, pub_len);
	wr_close(&w, share, 2);
	wr_close(&w, ext, 2);
	wr_close(&w, exts, 2);
	message_close(t, &w, msg);
	wr_close(&w, rec, 2);
	send_change_cipher_spec(t, &w);
	if (w.err) {
		WIPE(shared);
		return tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
	}
	tls_out_commit(t, w.len);
	t->suite = (uint16_t)c->suite;
	t->group = (uint16_t)c->group;

	/* §7.1: Early Secret -> Handshake Secret, with ClientHello...ServerHello */
	ks_early(&early);
	ks_handshake(&hs, &early, shared);
	WIPE(shared);
	tr_hash(&t->tr, hash);
	ks_handshake_traffic(&hs, hash, client_hs, server_hs);
	ks_master(&t->master, &hs);
	ks_finished_key(t->client_finished_key, client_hs);
	ks_finished_key(t->server_finished_key, server_hs);
	r = rec_set_key(&t->read, c->suite, client_hs);
	r |= rec_set_key(&t->write, c->suite, server_hs);
	WIPE(client_hs);
	WIPE(server_hs);
	if (r < 0)
		return tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
	return 0;
}

/* ---- the protected part of the flight ---- */

/* A writer over the content of the protected record being built, holding
 * t->rec_len bytes: at most a record's worth, with room after it for the
 * content type, the tag and an alert. */
static struct wr flight_writer(struct tls_conn *t)
{
	size_t at = t->out_end + TLS_RECORD_HDR, room = TLS_OUT_SIZE - TLS_ALERT_ROOM - at - 1 - TLS_TAG_LEN;
	struct wr w = wr_init(t->out + at, room < TLS_RECORD_MAX ? room : TLS_RECORD_MAX);

	w.len = t->rec_len;
	return w;
}

/* §4.3.1: only ALPN (RFC 7301 §3.1); server_name is accepted, not echoed. */
static void send_encrypted_extensions(struct tls_conn *t, struct wr *w, const struct choice *c)
{
	size_t msg, exts, ext, list;

	msg = message_open(w, HS_ENCRYPTED_EXTENSIONS);
	exts = wr_open(w, 2);
	if (c->alpn) {
		wr_u16(w, TLS_EXT_ALPN);
		ext = wr_open(w, 2);
		list = wr_open(w, 2);
		wr_u8(w, sizeof(alpn_http11) - 1);
		wr_bytes(w, alpn_http11, sizeof(alpn_http11) - 1);
		wr_close(w, list, 2);
		wr_close(w, ext, 2);
	}
	wr_close(w, exts, 2);
	message_close(t, w, msg);
}

/* §4.4.2: the configured body (empty context, certificate_list). */
static void send_certificate(struct tls_conn *t, struct wr *w, const struct tls_config *cfg)
{
	size_t msg = message_open(w, HS_CERTIFICATE);

	wr_bytes(w, cfg->cert_msg, cfg->cert_msg_len);
	message_close(t, w, msg);
}

/* §4.4.3: signature_algorithm and the signer's DER ECDSA-Sig-Value. */
static void send_certificate_verify(struct tls_conn *t, struct wr *w, const uint8_t *sig, size_t len)
{
	size_t msg = message_open(w, HS_CERTIFICATE_VERIFY), vec;

	wr_u16(w, TLS_SIG_ECDSA_SECP256R1_SHA256);
	vec = wr_open(w, 2);
	wr_bytes(w, sig, len);
	wr_close(w, vec, 2);
	message_close(t, w, msg);
}

/* §4.4.4: verify_data over ClientHello...CertificateVerify. */
static void send_finished(struct tls_conn *t, struct wr *w)
{
	uint8_t hash[SHA256_LEN], verify[SHA256_LEN];
	size_t msg = message_open(w, HS_FINISHED);

	tr_hash(&t->tr, hash);
	ks_finished(verify, t->server_finished_key, hash);
	WIPE(t->server_finished_key);
	wr_bytes(w, verify, sizeof(verify));
	message_close(t, w, msg);
}

/* The ClientHello's whole answer up to the signature. */
static int send_server_flight(struct tls_conn *t, const struct tls_config *cfg, const struct client_hello *ch,
			      const struct choice *c)
{
	struct wr w;

	if (cfg->cert_msg_len > TLS_CERT_MSG_MAX)
		return tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
	if (send_server_hello(t, ch, c) != 0)
		return TLS_FAILED;
	t->early_data = (ch->ext & CH_EARLY_DATA) != 0;
	w = flight_writer(t);
	send_encrypted_extensions(t, &w, c);
	send_certificate(t, &w, cfg);
	if (w.err)
		return tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
	t->rec_len = (uint32_t)w.len;
	tls_out_note(t);
	tr_hash(&t->tr, t->sign_hash);
	t->state = ST_SIGNATURE;
	return TLS_NEED_SIGNATURE;
}

int tls13_client_hello(struct tls_conn *t, const struct tls_config *cfg, const uint8_t *msg, size_t n)
{
	struct client_hello ch;
	struct choice c = { 0 };
	int alert;

	alert = client_hello_parse(&ch, msg + 4, n - 4);
	if (!alert)
		alert = process_client_hello(t, cfg, &ch, &c);
	if (alert)
		return tls_fail(t, alert);
	tr_add(&t->tr, msg, n);
	if (!c.share.p)
		return send_hello_retry(t, &ch, &c);
	return send_server_flight(t, cfg, &ch, &c);
}

void tls13_signed(struct tls_conn *t, const uint8_t *sig, size_t len)
{
	uint8_t hash[SHA256_LEN];
	struct wr w = flight_writer(t);
	size_t n;

	send_certificate_verify(t, &w, sig, len);
	send_finished(t, &w);
	if (w.err) {
		tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
		return;
	}
	n = rec_seal(&t->write, t->out + t->out_end, w.len, TLS_CT_HANDSHAKE);
	t->rec_len = 0;
	if (n == 0) {
		tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
		return;
	}
	tls_out_commit(t, n);

	/* §7.1: Master Secret -> application traffic secrets, with ClientHello
	 * ...server Finished, the same hash the client's Finished covers */
	tr_hash(&t->tr, hash);
	ks_finished(t->client_verify, t->client_finished_key, hash);
	WIPE(t->client_finished_key);
	ks_app_traffic(&t->master, hash, t->read_secret, t->write_secret);
	/* we write with application keys from now on; we read with them after
	 * the client's Finished */
	if (rec_set_key(&t->write, t->suite, t->write_secret) < 0) {
		tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
		return;
	}
	t->state = ST_CLIENT_FINISHED;
}

/* ---- the client's Finished (§4.4.4) ---- */

int tls13_client_finished(struct tls_conn *t, const uint8_t *msg, size_t n)
{
	uint32_t match = n == 4 + SHA256_LEN && ct_memeq(msg + 4, t->client_verify, SHA256_LEN);

	WIPE(t->client_verify);
	ct_declassify(&match, sizeof(match));	/* a wrong Finished ends the connection openly */
	if (!match)
		return tls_fail(t, TLS_ALERT_DECRYPT_ERROR);
	if (rec_set_key(&t->read, t->suite, t->read_secret) < 0)
		return tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
	t->early_data = 0;
	t->done = 1;
	t->state = ST_CONNECTED;
	return TLS_CONTINUE;
}
