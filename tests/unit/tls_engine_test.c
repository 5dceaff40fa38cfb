/*
 * tls_engine_test.c - whole TLS 1.3 handshakes through the tls.h API
 * (src/tls/tls_engine.c, server13.c), driven from byte arrays by a small
 * client written here on keysched.c, transcript.c and record.c; hosted,
 * with ASan and UBSan.
 *
 * The client checks the server's flight: ServerHello, the dummy
 * change_cipher_spec, then EncryptedExtensions, Certificate,
 * CertificateVerify (an ECDSA P-256 signature made here with a fixed key,
 * checked with p256_verify) and Finished. Covered: both suites and both
 * groups; RFC 8448's own ClientHello and client key; every feed split
 * (whole, one byte per tls_in_add(), 7 bytes) and output taken in small
 * pieces; application data both ways; KeyUpdate both ways; close_notify;
 * the HelloRetryRequest path and the second ClientHello's checks; the
 * client's change_cipher_spec; 0-RTT skipped; every protocol error of the
 * record layer and the handshake with its alert; tls_init() reusing a slot.
 */
#include "tls_test.h"
#include "../../src/crypto/x25519.c"
#include "../../src/crypto/p256_field.c"
#include "../../src/crypto/p256_scalar.c"
#include "../../src/crypto/p256_inv.c"
#include "../../src/crypto/p256_point.c"
#include "../../src/crypto/p256.c"
#include "../../src/tls/der.c"
#include "../../src/tls/client_hello.c"
#include "../../src/tls/server13.c"
#include "../../src/tls/tls_engine.c"

/* ---- the server side: the engine, a signer, and where its output goes ---- */

static struct tls_conn conn, *t = &conn;
static uint8_t scratch[TLS_HS_MAX];
static struct tls_config cfg;
static uint8_t cert_msg[TLS_CERT_MSG_MAX + 1];
static _Alignas(64) uint8_t signer_mem[P256_KEY_SIZE];
#define signer ((struct p256_key *)signer_mem)
static uint8_t signer_pub[P256_POINT_LEN];
static int signer_fails;	/* answer with no signature */
static size_t out_piece;	/* take the output this many bytes at a time (0: all) */

static uint8_t s2c[1 << 18];	/* everything the server sent */
static size_t s2c_len;
static uint8_t app_in[1 << 18];	/* the application data it received */
static size_t app_in_len;
static int signatures;

static void server_start(void)
{
	uint8_t random[64];

	for (int i = 0; i < 64; i++)
		random[i] = (uint8_t)(3 * i + 1);
	tls_init(t, random);
	s2c_len = 0;
	app_in_len = 0;
	signatures = 0;
}

/* What the signer process does (RFC 8446 §4.4.3): sign the content built
 * from the transcript hash, DER-encode the signature. */
static size_t sign(const uint8_t hash[32], uint8_t der[DER_ECDSA_SIG_MAX])
{
	static const char context[] = "TLS 1.3, server CertificateVerify";
	uint8_t content[64 + sizeof(context) + 32], digest[32], rs[64];

	memset(content, 0x20, 64);
	memcpy(content + 64, context, sizeof(context));	/* with its 0 byte */
	memcpy(content + 64 + sizeof(context), hash, 32);
	sha256(digest, content, sizeof(content));
	if (p256_sign(signer, rs, digest, NULL, 0) < 0)
		return 0;
	return der_write_ecdsa_sig(der, rs);
}

static void drain_output(void)
{
	const uint8_t *p;
	size_t n;

	while ((p = tls_out(t, &n)) != NULL) {
		if (out_piece && n > out_piece)
			n = out_piece;
		memcpy(s2c + s2c_len, p, n);
		s2c_len += n;
		tls_out_sent(t, n);
	}
}

/* Advance until the engine waits for input (or ends), as the transport does. */
static int server_run(void)
{
	for (;;) {
		int r = tls_advance(t, &cfg, scratch);
		const uint8_t *p;
		size_t n;

		if (r == TLS_NEED_SIGNATURE) {
			uint8_t der[DER_ECDSA_SIG_MAX];
			size_t len = signer_fails ? 0 : sign(tls_sign_hash(t), der);

			signatures++;
			drain_output();		/* the ServerHello may go before the signature */
			tls_signed(t, der, len);
			continue;
		}
		if (r == TLS_APP_DATA) {
			p = tls_app_data(t, &n);
			memcpy(app_in + app_in_len, p, n);
			app_in_len += n;
			tls_app_consume(t, n);
			continue;
		}
		drain_output();
		return r;
	}
}

/* Give the server n bytes, chunk at a time (0: as many as fit). */
static int server_feed(const uint8_t *p, size_t n, size_t chunk)
{
	int r = server_run();

	while (n > 0 && r != TLS_FAILED && r != TLS_PEER_CLOSED) {
		size_t room, take = chunk && chunk < n ? chunk : n;
		uint8_t *dst = tls_in_room(t, &room);

		if (take > room)
			take = room;
		if (take == 0)
			return -100;	/* stuck: must not happen */
		memcpy(dst, p, take);
		tls_in_add(t, take);
		p += take;
		n -= take;
		r = server_run();
	}
	return r;
}

/* The server sends application data. */
static void server_write(const void *data, size_t n)
{
	const uint8_t *p = data;

	while (n > 0) {
		size_t room, take;
		uint8_t *dst = tls_app_room(t, &room);

		if (!dst) {
			drain_output();
			dst = tls_app_room(t, &room);
			if (!dst)
				return;
		}
		take = n < room ? n : room;
		memcpy(dst, p, take);
		tls_app_fill(t, take);
		p += take;
		n -= take;
	}
	tls_app_seal(t);
	drain_output();
}

/* ---- the client ---- */

struct share {
	unsigned group;
	const char *hex;	/* NULL: our real public key for the group */
};

/* What the ClientHello holds; zero fields take the defaults. */
struct hopts {
	unsigned version;		/* legacy_version: 0x0303 */
	int sid_len;			/* legacy_session_id: 32 bytes; -1: empty */
	const char *suites;		/* "1301 1303" */
	const char *compression;	/* "00" */
	const char *groups;		/* supported_groups: "001d 0017" */
	const struct share *shares;	/* key_share: an X25519 share */
	const char *sig_algs;		/* signature_algorithms: "0804 0403" */
	const char *const *alpn;	/* ALPN names: none */
	const char *sni;		/* server_name: "localhost" */
	const char *extra;		/* more whole extensions (hex), at the end */
	int no_versions, no_groups, no_sig_algs, no_key_share;
};

struct client {
	uint8_t x25519_key[32], p256_key[32];
	uint8_t sid[32];
	size_t sid_len;
	struct transcript tr;
	unsigned suite, group;
	struct tls_cipher rd, wr;
	uint8_t c_hs[32], s_hs[32], c_ap[32], s_ap[32];
	struct ks_master master;
	uint8_t hs[1 << 16];		/* handshake bytes from the server */
	size_t hs_len, hs_pos;
	size_t pos;			/* how much of s2c it has read */
	int ccs, alpn, hrr;
	uint8_t other[TLS_RECORD_MAX + 256];	/* the last non-handshake content */
	uint8_t other_type;
	size_t other_len;
	uint8_t finished[36];		/* its own Finished */
};

static const struct share share_x25519[] = { { TLS_GROUP_X25519, NULL }, { 0, NULL } };
static const struct share share_p256[] = { { TLS_GROUP_SECP256R1, NULL }, { 0, NULL } };
static const char *const alpn_h2_http11[] = { "h2", "http/1.1", NULL };
static const char *const alpn_h2[] = { "h2", NULL };

static void client_init(struct client *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < 32; i++) {
		c->x25519_key[i] = (uint8_t)(0x40 + i);
		c->p256_key[i] = (uint8_t)(0x11 + 5 * i);
	}
	tr_init(&c->tr);
}

static void put(uint8_t *b, size_t *n, size_t width, size_t v)
{
	for (size_t i = width; i-- > 0; v >>= 8)
		b[*n + i] = (uint8_t)v;
	*n += width;
}

static void put_hex(uint8_t *b, size_t *n, const char *hex)
{
	*n += unhex(b + *n, hex);
}

/* extension with a body of one vector given in hex */
static void put_ext_vec(uint8_t *b, size_t *n, unsigned type, size_t width, const char *hex)
{
	uint8_t body[1024];
	size_t len = unhex(body, hex);

	put(b, n, 2, type);
	put(b, n, 2, width + len);
	put(b, n, width, len);
	memcpy(b + *n, body, len);
	*n += len;
}

/* The whole ClientHello message, header included. */
static size_t client_hello(struct client *c, const struct hopts *o, uint8_t *msg)
{
	size_t n = 0, exts, v, list;

	put(msg, &n, 1, HS_CLIENT_HELLO);
	put(msg, &n, 3, 0);
	put(msg, &n, 2, o->version ? o->version : 0x0303);
	for (int i = 0; i < 32; i++)
		msg[n++] = (uint8_t)(0xc0 ^ i);
	c->sid_len = o->sid_len < 0 ? 0 : o->sid_len ? (size_t)o->sid_len : 32;
	for (size_t i = 0; i < c->sid_len; i++)
		c->sid[i] = (uint8_t)(0x70 + i);
	put(msg, &n, 1, c->sid_len);
	memcpy(msg + n, c->sid, c->sid_len);
	n += c->sid_len;
	v = n;
	put(msg, &n, 2, 0);
	put_hex(msg, &n, o->suites ? o->suites : "1301 1303");
	put(msg, &v, 2, n - v - 2);
	v = n;
	put(msg, &n, 1, 0);
	put_hex(msg, &n, o->compression ? o->compression : "00");
	put(msg, &v, 1, n - v - 1);
	exts = n;
	put(msg, &n, 2, 0);
	{
		const char *host = o->sni ? o->sni : "localhost";
		size_t hl = strlen(host);

		put(msg, &n, 2, TLS_EXT_SERVER_NAME);
		put(msg, &n, 2, 2 + 1 + 2 + hl);
		put(msg, &n, 2, 1 + 2 + hl);
		put(msg, &n, 1, 0);
		put(msg, &n, 2, hl);
		memcpy(msg + n, host, hl);
		n += hl;
	}
	if (!o->no_groups)
		put_ext_vec(msg, &n, TLS_EXT_SUPPORTED_GROUPS, 2, o->groups ? o->groups : "001d 0017");
	if (!o->no_sig_algs)
		put_ext_vec(msg, &n, TLS_EXT_SIGNATURE_ALGORITHMS, 2, o->sig_algs ? o->sig_algs : "0804 0403");
	if (o->alpn) {
		size_t e = n;

		put(msg, &n, 2, TLS_EXT_ALPN);
		put(msg, &n, 2, 0);
		list = n;
		put(msg, &n, 2, 0);
		for (const char *const *a = o->alpn; *a; a++) {
			put(msg, &n, 1, strlen(*a));
			memcpy(msg + n, *a, strlen(*a));
			n += strlen(*a);
		}
		put(msg, &list, 2, n - list - 2);
		e += 2;
		put(msg, &e, 2, n - e - 2);
	}
	if (!o->no_versions)
		put_ext_vec(msg, &n, TLS_EXT_SUPPORTED_VERSIONS, 1, "0304");
	if (!o->no_key_share) {
		size_t e = n;

		put(msg, &n, 2, TLS_EXT_KEY_SHARE);
		put(msg, &n, 2, 0);
		list = n;
		put(msg, &n, 2, 0);
		for (const struct share *s = o->shares ? o->shares : share_x25519; s->group; s++) {
			uint8_t kx[300];
			size_t len;

			if (s->hex) {
				len = unhex(kx, s->hex);
			} else if (s->group == TLS_GROUP_X25519) {
				x25519_public(kx, c->x25519_key);
				len = 32;
			} else {
				p256_public(kx, c->p256_key);
				len = 65;
			}
			put(msg, &n, 2, s->group);
			put(msg, &n, 2, len);
			memcpy(msg + n, kx, len);
			n += len;
		}
		put(msg, &list, 2, n - list - 2);
		e += 2;
		put(msg, &e, 2, n - e - 2);
	}
	if (o->extra)
		put_hex(msg, &n, o->extra);
	put(msg, &exts, 2, n - exts - 2);
	v = 1;
	put(msg, &v, 3, n - 4);
	return n;
}

/* Plaintext records of type holding p[0..n), split every `split` bytes
 * (0: one record), fed chunk bytes at a time. */
static int send_plain(uint8_t type, const uint8_t *p, size_t n, size_t split, size_t chunk)
{
	static uint8_t recs[1 << 18];
	size_t len = 0;

	do {
		size_t take = split && split < n ? split : n;

		recs[len++] = type;
		recs[len++] = 3;
		recs[len++] = 1;
		recs[len++] = (uint8_t)(take >> 8);
		recs[len++] = (uint8_t)take;
		memcpy(recs + len, p, take);
		len += take;
		p += take;
		n -= take;
	} while (n > 0);
	return server_feed(recs, len, chunk);
}

/* One protected record from the client. */
static int client_send(struct client *c, uint8_t type, const void *p, size_t n, size_t chunk)
{
	static uint8_t rec[TLS_RECORD_HDR + TLS_CIPHERTEXT_MAX];
	size_t len;

	memcpy(rec + 5, p, n);
	len = rec_seal(&c->wr, rec, n, type);
	return server_feed(rec, len, chunk);
}

/* The next record the server sent, opened if protected. Returns 1 (*type,
 * *p, *n), 0 if there is none, -1 if it does not open. */
static int client_record(struct client *c, uint8_t *type, uint8_t **p, size_t *n)
{
	static uint8_t rec[TLS_RECORD_HDR + TLS_CIPHERTEXT_MAX + 64];
	size_t len;

	if (s2c_len - c->pos < 5)
		return 0;
	len = (size_t)s2c[c->pos + 3] << 8 | s2c[c->pos + 4];
	if (s2c_len - c->pos < 5 + len)
		return 0;
	memcpy(rec, s2c + c->pos, 5 + len);
	c->pos += 5 + len;
	*type = rec[0];
	*p = rec + 5;
	*n = len;
	if (rec[0] == TLS_CT_APPLICATION_DATA && c->rd.suite)
		return rec_open(&c->rd, rec, len, type, n) == 0 ? 1 : -1;
	return 1;
}

/* The next whole handshake message from the server into msg; 0 if the
 * next content is something else (kept in c->other) or there is none. */
static size_t client_message(struct client *c, uint8_t *msg)
{
	for (;;) {
		uint8_t type, *p;
		size_t n, len;

		if (c->hs_len - c->hs_pos >= 4) {
			len = 4 + ((size_t)c->hs[c->hs_pos + 1] << 16 | (size_t)c->hs[c->hs_pos + 2] << 8 |
				   c->hs[c->hs_pos + 3]);
			if (c->hs_len - c->hs_pos >= len) {
				memcpy(msg, c->hs + c->hs_pos, len);
				c->hs_pos += len;
				return len;
			}
		}
		if (client_record(c, &type, &p, &n) != 1)
			return 0;
		if (type == TLS_CT_CHANGE_CIPHER_SPEC && n == 1 && p[0] == 1) {
			c->ccs++;
			continue;
		}
		if (type != TLS_CT_HANDSHAKE) {
			c->other_type = type;
			c->other_len = n;
			memcpy(c->other, p, n);
			return 0;
		}
		memcpy(c->hs + c->hs_len, p, n);
		c->hs_len += n;
	}
}

/* The alert among the server's remaining output, or -1. */
static int server_alert(struct client *c)
{
	uint8_t msg[1 << 15];
	int alert = -1;

	for (;;) {
		size_t before = c->pos;

		if (client_message(c, msg) == 0) {
			if (c->other_type == TLS_CT_ALERT && c->other_len == 2)
				alert = c->other[1];
			c->other_type = 0;
			if (c->pos == before)
				return alert;
		}
	}
}

static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

enum { FLIGHT_OK, FLIGHT_HRR, FLIGHT_BAD };

/* Read and check the server's answer to a ClientHello: a HelloRetryRequest
 * (FLIGHT_HRR, c->group is its choice), or the whole flight (FLIGHT_OK,
 * keys ready, c->finished built), or FLIGHT_BAD. */
static int client_flight(struct client *c)
{
	static uint8_t msg[1 << 15];
	uint8_t hash[32], shared[32], fk[32], verify[32];
	struct ks_early early;
	struct ks_handshake hs;
	const uint8_t *kx = NULL;
	size_t n, off, exts_end, kx_len = 0;
	int version_ok = 0;

	n = client_message(c, msg);
	if (n < 4 + 2 + 32 + 1 || msg[0] != HS_SERVER_HELLO || msg[4] != 3 || msg[5] != 3)
		return FLIGHT_BAD;
	off = 4 + 2 + 32;
	if (msg[off] != c->sid_len || memcmp(msg + off + 1, c->sid, c->sid_len) != 0)
		return FLIGHT_BAD;
	off += 1 + c->sid_len;
	c->suite = (unsigned)(msg[off] << 8 | msg[off + 1]);
	if (msg[off + 2] != 0)
		return FLIGHT_BAD;
	off += 3;
	exts_end = off + 2 + (size_t)(msg[off] << 8 | msg[off + 1]);
	if (exts_end != n)
		return FLIGHT_BAD;
	c->hrr = memcmp(msg + 6, hrr_random, 32) == 0;
	for (off += 2; off < exts_end;) {
		unsigned type = (unsigned)(msg[off] << 8 | msg[off + 1]);
		size_t len = (size_t)(msg[off + 2] << 8 | msg[off + 3]);
		const uint8_t *d = msg + off + 4;

		if (type == TLS_EXT_SUPPORTED_VERSIONS)
			version_ok = len == 2 && d[0] == 3 && d[1] == 4;
		else if (type == TLS_EXT_KEY_SHARE) {
			c->group = (unsigned)(d[0] << 8 | d[1]);
			if (!c->hrr) {
				kx_len = (size_t)(d[2] << 8 | d[3]);
				kx = d + 4;
			} else if (len != 2) {
				return FLIGHT_BAD;
			}
		} else {
			return FLIGHT_BAD;	/* nothing else is sent */
		}
		off += 4 + len;
	}
	if (!version_ok || (!c->hrr && !kx))
		return FLIGHT_BAD;
	if (c->hrr) {
		/* §4.4.1: ClientHello1 becomes message_hash */
		tr_hello_retry(&c->tr);
		tr_add(&c->tr, msg, n);
		return FLIGHT_HRR;
	}
	if (c->group == TLS_GROUP_X25519) {
		if (kx_len != 32 || x25519(shared, c->x25519_key, kx) < 0)
			return FLIGHT_BAD;
	} else if (kx_len != 65 || p256_ecdh(shared, c->p256_key, kx) < 0) {
		return FLIGHT_BAD;
	}
	tr_add(&c->tr, msg, n);
	tr_hash(&c->tr, hash);
	ks_early(&early);
	ks_handshake(&hs, &early, shared);
	ks_handshake_traffic(&hs, hash, c->c_hs, c->s_hs);
	ks_master(&c->master, &hs);
	rec_set_key(&c->rd, c->suite, c->s_hs);
	rec_set_key(&c->wr, c->suite, c->c_hs);

	/* EncryptedExtensions: nothing, or ALPN http/1.1 */
	n = client_message(c, msg);
	if (n < 6 || msg[0] != HS_ENCRYPTED_EXTENSIONS)
		return FLIGHT_BAD;
	if (n == 6 && msg[4] == 0 && msg[5] == 0)
		c->alpn = 0;
	else if (eq_hex(msg, n, "08 000011 000f 0010 000b 0009 08 687474702f312e31"))
		c->alpn = 1;
	else
		return FLIGHT_BAD;
	tr_add(&c->tr, msg, n);
	/* Certificate: the configured body */
	n = client_message(c, msg);
	if (n != 4 + cfg.cert_msg_len || msg[0] != HS_CERTIFICATE || memcmp(msg + 4, cfg.cert_msg, n - 4) != 0)
		return FLIGHT_BAD;
	tr_add(&c->tr, msg, n);
	/* CertificateVerify: ecdsa_secp256r1_sha256 over §4.4.3's content */
	tr_hash(&c->tr, hash);
	n = client_message(c, msg);
	{
		static const char context[] = "TLS 1.3, server CertificateVerify";
		uint8_t content[64 + sizeof(context) + 32], digest[32], rs[64];

		if (n < 8 || msg[0] != HS_CERTIFICATE_VERIFY || msg[4] != 4 || msg[5] != 3 ||
		    (size_t)(msg[6] << 8 | msg[7]) != n - 8 || der_read_ecdsa_sig(rs, msg + 8, n - 8) < 0)
			return FLIGHT_BAD;
		memset(content, 0x20, 64);
		memcpy(content + 64, context, sizeof(context));
		memcpy(content + 64 + sizeof(context), hash, 32);
		sha256(digest, content, sizeof(content));
		if (p256_verify(signer_pub, digest, rs) < 0)
			return FLIGHT_BAD;
	}
	tr_add(&c->tr, msg, n);
	/* Finished */
	tr_hash(&c->tr, hash);
	n = client_message(c, msg);
	ks_finished_key(fk, c->s_hs);
	ks_finished(verify, fk, hash);
	if (n != 36 || msg[0] != HS_FINISHED || memcmp(msg + 4, verify, 32) != 0)
		return FLIGHT_BAD;
	tr_add(&c->tr, msg, n);
	/* nothing more in the flight */
	if (c->hs_pos != c->hs_len || c->pos != s2c_len)
		return FLIGHT_BAD;
	tr_hash(&c->tr, hash);
	ks_app_traffic(&c->master, hash, c->c_ap, c->s_ap);
	ks_finished_key(fk, c->c_hs);
	c->finished[0] = HS_FINISHED;
	c->finished[1] = c->finished[2] = 0;
	c->finished[3] = 32;
	ks_finished(c->finished + 4, fk, hash);
	rec_set_key(&c->rd, c->suite, c->s_ap);
	return FLIGHT_OK;
}

/* The client's Finished, then application keys for writing too. */
static int client_finish(struct client *c, size_t chunk)
{
	int r = client_send(c, TLS_CT_HANDSHAKE, c->finished, sizeof(c->finished), chunk);

	rec_set_key(&c->wr, c->suite, c->c_ap);
	return r;
}

/* A full handshake; 0 when it completed. */
static int connect_with(struct client *c, const struct hopts *o, size_t chunk)
{
	static uint8_t msg[1 << 15];
	size_t n;

	client_init(c);
	server_start();
	n = client_hello(c, o, msg);
	tr_add(&c->tr, msg, n);
	if (send_plain(TLS_CT_HANDSHAKE, msg, n, 0, chunk) != TLS_NEED_INPUT)
		return -1;
	if (client_flight(c) != FLIGHT_OK)
		return -2;
	if (client_finish(c, chunk) != TLS_NEED_INPUT || !tls_handshake_done(t))
		return -3;
	return 0;
}

/* Application data from the server to the client; its length, or -1. */
static long client_read(struct client *c, uint8_t *out)
{
	uint8_t type, *p;
	size_t n, total = 0;
	int r;

	while ((r = client_record(c, &type, &p, &n)) == 1) {
		if (type == TLS_CT_HANDSHAKE && n == 5 && p[0] == HS_KEY_UPDATE && p[4] == 0) {
			/* the server's KeyUpdate: its next secret */
			ks_next_traffic(c->s_ap);
			rec_set_key(&c->rd, c->suite, c->s_ap);
			c->other_type = HS_KEY_UPDATE;
			continue;
		}
		if (type != TLS_CT_APPLICATION_DATA)
			return -1;
		memcpy(out + total, p, n);
		total += n;
	}
	return r == 0 ? (long)total : -1;
}

/* ---- tests ---- */

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static void test_handshake(unsigned suite, unsigned group, size_t chunk, size_t piece)
{
	static uint8_t big[40000], got[40000];
	struct client c;
	struct hopts o = { .suites = suite == TLS_AES_128_GCM_SHA256 ? "1301" : "1303",
			   .shares = group == TLS_GROUP_X25519 ? share_x25519 : share_p256,
			   .alpn = alpn_h2_http11 };
	const char *name = suite == TLS_AES_128_GCM_SHA256 ? "AES-128-GCM" : "ChaCha20-Poly1305";
	const char *gname = group == TLS_GROUP_X25519 ? "X25519" : "P-256";
	const char *req = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
	long n;
	int r;

	out_piece = piece;
	r = connect_with(&c, &o, chunk);
	if (!ok(r == 0, "%s %s, fed %zu at a time: handshake completes", name, gname, chunk))
		printf("#   step %d\n", r);
	ok(tls_suite(t) == suite && tls_group(t) == group && c.alpn && c.ccs == 1 && signatures == 1,
	   "%s %s: suite, group, ALPN http/1.1, one change_cipher_spec, one signature", name, gname);
	ok(all_zero(t->eph_key, 32) && all_zero(t->server_finished_key, 32) && all_zero(t->client_finished_key, 32) &&
	   all_zero(t->client_verify, 32) && all_zero(&t->master, sizeof(t->master)),
	   "%s %s: ephemeral key, finished keys, master secret wiped", name, gname);

	/* application data, client to server, then back */
	client_send(&c, TLS_CT_APPLICATION_DATA, req, strlen(req), chunk);
	is_mem(app_in, app_in_len, req, "%s %s: the server reads the request", name, gname);
	server_write("HTTP/1.1 200 OK\r\n\r\nhi", 21);
	n = client_read(&c, got);
	is_mem(got, n < 0 ? 0 : (size_t)n, "HTTP/1.1 200 OK\r\n\r\nhi", "%s %s: the client reads the answer", name, gname);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	server_write(big, sizeof(big));
	n = client_read(&c, got);
	ok(n == (long)sizeof(big) && memcmp(got, big, sizeof(big)) == 0, "%s %s: 40000 bytes in records of 2^14",
	   name, gname);

	/* KeyUpdate from the client, asking for ours (twice: one answer) */
	{
		static const uint8_t ku_req[5] = { HS_KEY_UPDATE, 0, 0, 1, 1 };

		client_send(&c, TLS_CT_HANDSHAKE, ku_req, 5, chunk);
		ks_next_traffic(c.c_ap);
		rec_set_key(&c.wr, c.suite, c.c_ap);
		client_send(&c, TLS_CT_HANDSHAKE, ku_req, 5, chunk);
		ks_next_traffic(c.c_ap);
		rec_set_key(&c.wr, c.suite, c.c_ap);
		app_in_len = 0;
		r = client_send(&c, TLS_CT_APPLICATION_DATA, "after", 5, chunk);
		is_mem(app_in, app_in_len, "after", "%s %s: the server reads under the client's updated key", name,
		       gname);
		ok(s2c_len == c.pos, "%s %s: no KeyUpdate is sent before there is data", name, gname);
		server_write("x", 1);
		c.other_type = 0;
		n = client_read(&c, got);
		ok(n == 1 && got[0] == 'x' && c.other_type == HS_KEY_UPDATE,
		   "%s %s: one KeyUpdate(update_not_requested) goes before our next record", name, gname);
		server_write("y", 1);
		c.other_type = 0;
		n = client_read(&c, got);
		ok(n == 1 && got[0] == 'y' && c.other_type == 0, "%s %s: and only one", name, gname);
	}

	/* close_notify both ways */
	{
		static const uint8_t close_notify[2] = { 1, 0 };
		uint8_t type, *p;
		size_t len;

		r = client_send(&c, TLS_CT_ALERT, close_notify, 2, chunk);
		ok(r == TLS_PEER_CLOSED && tls_advance(t, &cfg, scratch) == TLS_PEER_CLOSED,
		   "%s %s: close_notify: TLS_PEER_CLOSED, and it stays", name, gname);
		ok(all_zero(t->read_secret, 32) && t->read.suite == 0, "%s %s: the read side is wiped", name, gname);
		server_write("bye", 3);
		tls_close_notify(t);
		drain_output();
		n = client_read(&c, got);
		ok(n == -1 && c.pos == s2c_len, "%s %s: data, then ...", name, gname);
		c.pos -= 5 + 2 + 1 + 16 + 5 + 3 + 1 + 16;
		c.rd.seq -= 2;
		ok(client_record(&c, &type, &p, &len) == 1 && type == TLS_CT_APPLICATION_DATA && len == 3 &&
		   client_record(&c, &type, &p, &len) == 1 && type == TLS_CT_ALERT && len == 2 && p[0] == 1 &&
		   p[1] == 0, "%s %s: ... our close_notify, protected", name, gname);
		ok(tls_app_room(t, &len) == NULL && len == 0, "%s %s: no room to write after close", name, gname);
		ok(all_zero(t->write_secret, 32) && t->write.suite == 0, "%s %s: everything is wiped", name, gname);
	}
	out_piece = 0;
}

/* RFC 8448 §3: the RFC's ClientHello, completed with its client key. */
static void test_rfc8448_client(void)
{
	static const char ch_hex[] =
		"01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2"
		"1a 8d 99 12 ec 18 a2 ef 62 83 02 4d ec e7 00 00 06 13 01 13 03 13 02 01"
		"00 00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01 00 00"
		"0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00"
		"23 00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2 3d 8e"
		"43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c 00 2b 00"
		"03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02 03 08 04 08 05 08 06"
		"04 01 05 01 06 01 02 01 04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c"
		"00 02 40 01";
	uint8_t msg[256];
	struct client c;
	size_t n = unhex(msg, ch_hex);

	client_init(&c);
	unhex(c.x25519_key, "49 af 42 ba 7f 79 94 85 2d 71 3e f2 78 4b cb ca"
			    "a7 91 1d e2 6a dc 56 42 cb 63 45 40 e7 ea 50 05");
	server_start();
	tr_add(&c.tr, msg, n);
	ok(send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0) == TLS_NEED_INPUT, "RFC 8448 ClientHello: the server answers");
	ok(client_flight(&c) == FLIGHT_OK && !c.alpn, "its flight checks out with the RFC's client key");
	ok(c.suite == (cfg.aes_gcm ? TLS_AES_128_GCM_SHA256 : TLS_CHACHA20_POLY1305_SHA256),
	   "the client's first suite we have");
	ok(client_finish(&c, 0) == TLS_NEED_INPUT && tls_handshake_done(t), "the client's Finished is accepted");
}

/* A plaintext alert record alone (before any key). */
static int plain_alert(size_t from)
{
	if (s2c_len - from != 7 || s2c[from] != TLS_CT_ALERT || s2c[from + 3] != 0 || s2c[from + 4] != 2 ||
	    s2c[from + 5] != 2)
		return -1;
	return s2c[from + 6];
}

/* Send a hello; the alert it gets (plaintext or protected), or -1. */
static int hello_alert(const struct hopts *o)
{
	static uint8_t msg[1 << 15];
	struct client c;
	size_t n;
	int r;

	client_init(&c);
	server_start();
	n = client_hello(&c, o, msg);
	r = send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0);
	if (r != TLS_FAILED)
		return -1;
	return plain_alert(0);
}

static void test_hello_alerts(void)
{
	struct hopts o;
	static const struct share x448_only[] = { { 0x001e, "00" }, { 0, NULL } };
	static const struct share short_x25519[] = {
		{ TLS_GROUP_X25519, "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" }, { 0, NULL } };
	static const struct share zero_x25519[] = {
		{ TLS_GROUP_X25519, "0000000000000000000000000000000000000000000000000000000000000000" }, { 0, NULL } };
	static const struct share off_curve[] = {
		{ TLS_GROUP_SECP256R1, "04 0000000000000000000000000000000000000000000000000000000000000001"
				       "0000000000000000000000000000000000000000000000000000000000000001" },
		{ 0, NULL } };
	static const struct share compressed[] = {
		{ TLS_GROUP_SECP256R1, "03 6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" },
		{ 0, NULL } };
	static const struct share dup[] = { { TLS_GROUP_X25519, NULL }, { TLS_GROUP_X25519, NULL }, { 0, NULL } };

	o = (struct hopts){ .version = 0x0303, .no_versions = 1 };
	is_int(hello_alert(&o), TLS_ALERT_PROTOCOL_VERSION, "a TLS 1.2 hello: protocol_version");
	o = (struct hopts){ .version = 0x0300 };
	is_int(hello_alert(&o), TLS_ALERT_PROTOCOL_VERSION, "legacy_version 0x0300: protocol_version");
	o = (struct hopts){ .compression = "01 00" };
	is_int(hello_alert(&o), TLS_ALERT_ILLEGAL_PARAMETER, "compression {1, 0}: illegal_parameter");
	o = (struct hopts){ .suites = "1302 1304 c02b" };
	is_int(hello_alert(&o), TLS_ALERT_HANDSHAKE_FAILURE, "no suite in common: handshake_failure");
	cfg.aes_gcm = 0;
	o = (struct hopts){ .suites = "1301" };
	is_int(hello_alert(&o), TLS_ALERT_HANDSHAKE_FAILURE, "AES-GCM without the CPU for it: handshake_failure");
	o = (struct hopts){ .suites = "1301 1303" };
	ok(hello_alert(&o) == -1 && tls_suite(t) == TLS_CHACHA20_POLY1305_SHA256, "... so ChaCha20-Poly1305");
	cfg.aes_gcm = have_aesgcm();
	if (cfg.aes_gcm) {
		o = (struct hopts){ .suites = "1303 1301" };
		ok(hello_alert(&o) == -1 && tls_suite(t) == TLS_CHACHA20_POLY1305_SHA256, "the client's order counts");
		o = (struct hopts){ .suites = "1301 1303" };
		ok(hello_alert(&o) == -1 && tls_suite(t) == TLS_AES_128_GCM_SHA256, "... both ways");
	}
	o = (struct hopts){ .groups = "001e 0018", .shares = x448_only };
	is_int(hello_alert(&o), TLS_ALERT_HANDSHAKE_FAILURE, "no group in common: handshake_failure");
	o = (struct hopts){ .no_sig_algs = 1 };
	is_int(hello_alert(&o), TLS_ALERT_MISSING_EXTENSION, "no signature_algorithms: missing_extension");
	o = (struct hopts){ .sig_algs = "0804 0503 0807" };
	is_int(hello_alert(&o), TLS_ALERT_HANDSHAKE_FAILURE, "no ecdsa_secp256r1_sha256: handshake_failure");
	o = (struct hopts){ .no_key_share = 1 };
	is_int(hello_alert(&o), TLS_ALERT_MISSING_EXTENSION, "supported_groups without key_share: missing_extension");
	o = (struct hopts){ .no_groups = 1 };
	is_int(hello_alert(&o), TLS_ALERT_MISSING_EXTENSION, "key_share without supported_groups: missing_extension");
	o = (struct hopts){ .alpn = alpn_h2 };
	is_int(hello_alert(&o), TLS_ALERT_NO_APPLICATION_PROTOCOL, "ALPN without http/1.1: no_application_protocol");
	o = (struct hopts){ .shares = short_x25519 };
	is_int(hello_alert(&o), TLS_ALERT_ILLEGAL_PARAMETER, "a 31-byte X25519 share: illegal_parameter");
	o = (struct hopts){ .shares = zero_x25519 };
	is_int(hello_alert(&o), TLS_ALERT_ILLEGAL_PARAMETER,
	       "an X25519 share of order 1 (all-zero result): illegal_parameter");
	o = (struct hopts){ .shares = off_curve };
	is_int(hello_alert(&o), TLS_ALERT_ILLEGAL_PARAMETER, "a P-256 point off the curve: illegal_parameter");
	o = (struct hopts){ .shares = compressed };
	is_int(hello_alert(&o), TLS_ALERT_ILLEGAL_PARAMETER, "a compressed P-256 point: illegal_parameter");
	o = (struct hopts){ .groups = "0017", .shares = share_x25519 };
	is_int(hello_alert(&o), TLS_ALERT_ILLEGAL_PARAMETER, "a share for a group not offered: illegal_parameter");
	o = (struct hopts){ .shares = dup };
	is_int(hello_alert(&o), TLS_ALERT_ILLEGAL_PARAMETER, "two X25519 shares: illegal_parameter");
	o = (struct hopts){ .extra = "000d 0004 0002 0403" };
	is_int(hello_alert(&o), TLS_ALERT_ILLEGAL_PARAMETER, "an extension twice: illegal_parameter");
	o = (struct hopts){ .extra = "0029 002c 0007 0001 aa 00000000 0021 20"
				     "0000000000000000000000000000000000000000000000000000000000000000 ff01 0001 00" };
	is_int(hello_alert(&o), TLS_ALERT_ILLEGAL_PARAMETER, "pre_shared_key not last: illegal_parameter");
	o = (struct hopts){ .extra = "0029 002c 0007 0001 aa 00000000 0021 20"
				     "0000000000000000000000000000000000000000000000000000000000000000" };
	is_int(hello_alert(&o), TLS_ALERT_MISSING_EXTENSION,
	       "pre_shared_key without psk_key_exchange_modes: missing_extension");
	o = (struct hopts){ .sni = "" };
	is_int(hello_alert(&o), TLS_ALERT_DECODE_ERROR, "a malformed server_name: decode_error");
	o = (struct hopts){ .shares = share_p256 };
	ok(hello_alert(&o) == -1 && tls_group(t) == TLS_GROUP_SECP256R1, "a P-256 share alone: P-256");
	{
		static const struct share both[] = { { TLS_GROUP_SECP256R1, NULL }, { TLS_GROUP_X25519, NULL },
						     { 0, NULL } };

		o = (struct hopts){ .groups = "0017 001d", .shares = both };
		ok(hello_alert(&o) == -1 && tls_group(t) == TLS_GROUP_X25519, "P-256 and X25519 shares: X25519");
	}
}

/* Records and messages that are refused before any key. */
static void test_record_alerts(void)
{
	static uint8_t big[TLS_HS_MAX + 64], msg[1 << 15];
	static const char get[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	struct client c;
	struct hopts o = { 0 };
	size_t n;
	int r;

	server_start();
	r = server_feed((const uint8_t *)get, strlen(get), 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_UNEXPECTED_MESSAGE, "an HTTP request: unexpected_message");
	server_start();
	r = server_feed((const uint8_t *)"\x16\x03\x01\x40\x01", 5, 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_RECORD_OVERFLOW,
	   "a plaintext record of 2^14 + 1 bytes: record_overflow, from its header");
	server_start();
	r = server_feed((const uint8_t *)"\x17\x03\x03\x00\x20", 5, 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "application data before keys: unexpected_message");
	server_start();
	r = server_feed((const uint8_t *)"\x14\x03\x03\x00\x01\x01", 6, 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "change_cipher_spec before the ClientHello: unexpected_message");
	server_start();
	r = server_feed((const uint8_t *)"\x16\x03\x01\x00\x00", 5, 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "a zero-length handshake record: unexpected_message");
	server_start();
	r = server_feed((const uint8_t *)"\x15\x03\x03\x00\x03\x02\x28\x00", 8, 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_DECODE_ERROR, "a 3-byte alert record: decode_error");
	server_start();
	r = server_feed((const uint8_t *)"\x16\x03\x01\x00\x04\x14\x00\x00\x20", 9, 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_UNEXPECTED_MESSAGE, "a Finished first: unexpected_message");
	server_start();
	r = server_feed((const uint8_t *)"\x16\x03\x01\x00\x04\x01\x00\x40\x00", 9, 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_ILLEGAL_PARAMETER,
	   "a ClientHello larger than TLS_HS_MAX: illegal_parameter, from its header");
	server_start();
	r = server_feed((const uint8_t *)"\x16\x03\x01\x00\x04\x01\x00\x00\x00", 9, 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_DECODE_ERROR, "an empty ClientHello: decode_error");

	/* a ClientHello of exactly TLS_HS_MAX bytes: padded with an unknown extension */
	client_init(&c);
	{
		char *pad = malloc(2 * TLS_HS_MAX);
		size_t base, padlen;

		o.extra = NULL;
		base = client_hello(&c, &o, msg);
		padlen = TLS_HS_MAX - base - 4;
		sprintf(pad, "fe00 %04zx", padlen);
		for (size_t i = 0; i < padlen; i++)
			memcpy(pad + 9 + 2 * i, "00", 3);
		o.extra = pad;
		client_init(&c);
		n = client_hello(&c, &o, big);
		server_start();
		r = send_plain(TLS_CT_HANDSHAKE, big, n, 1000, 0);
		ok(n == TLS_HS_MAX && r == TLS_NEED_INPUT, "a ClientHello of TLS_HS_MAX bytes in 17 records is fine");
		client_init(&c);
		{
			char head[10];

			snprintf(head, sizeof(head), "fe00 %04zx", padlen + 1);
			memcpy(pad, head, 9);
		}
		memcpy(pad + 9 + 2 * padlen, "00", 3);
		n = client_hello(&c, &o, big);
		server_start();
		r = send_plain(TLS_CT_HANDSHAKE, big, n, 1000, 0);
		ok(n == TLS_HS_MAX + 1 && r == TLS_FAILED && plain_alert(0) == TLS_ALERT_ILLEGAL_PARAMETER,
		   "one byte more: illegal_parameter");
		free(pad);
	}

	/* split and coalesced messages */
	client_init(&c);
	o = (struct hopts){ 0 };
	n = client_hello(&c, &o, msg);
	server_start();
	ok(send_plain(TLS_CT_HANDSHAKE, msg, n, 1, 0) == TLS_NEED_INPUT && signatures == 1,
	   "a ClientHello in one-byte records, in one read");
	server_start();
	ok(send_plain(TLS_CT_HANDSHAKE, msg, n, 3, 1) == TLS_NEED_INPUT && signatures == 1,
	   "a ClientHello in 3-byte records, one byte per read");
	memcpy(msg + n, msg, 4);
	server_start();
	r = send_plain(TLS_CT_HANDSHAKE, msg, n + 4, 0, 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "more handshake bytes after the ClientHello in its record: unexpected_message");
	server_start();
	send_plain(TLS_CT_HANDSHAKE, msg, 10, 0, 0);
	r = server_feed((const uint8_t *)"\x15\x03\x03\x00\x02\x01\x5a", 7, 0);
	ok(r == TLS_FAILED && plain_alert(0) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "an alert between the records of a ClientHello: unexpected_message");

	/* alerts from the client */
	server_start();
	r = server_feed((const uint8_t *)"\x15\x03\x03\x00\x02\x02\x28", 7, 0);
	ok(r == TLS_FAILED && s2c_len == 0, "a fatal alert: TLS_FAILED, nothing sent back");
	server_start();
	r = server_feed((const uint8_t *)"\x15\x03\x03\x00\x02\x01\x70", 7, 0);
	ok(r == TLS_FAILED && s2c_len == 0, "a warning alert other than close_notify is fatal too");
	server_start();
	r = server_feed((const uint8_t *)"\x15\x03\x03\x00\x02\x01\x5a\x15\x03\x03\x00\x02\x01\x00", 14, 0);
	ok(r == TLS_PEER_CLOSED && s2c_len == 0, "user_canceled is ignored, close_notify: TLS_PEER_CLOSED");
	tls_close_notify(t);
	drain_output();
	ok(eq_hex(s2c, s2c_len, "15 0303 0002 01 00"), "our close_notify, in plaintext before keys");
	ok(tls_advance(t, &cfg, scratch) == TLS_PEER_CLOSED, "TLS_PEER_CLOSED stays");

	/* tls_has_buffered() */
	server_start();
	ok(!tls_has_buffered(t), "tls_has_buffered: nothing");
	{
		size_t room;
		uint8_t *p = tls_in_room(t, &room);

		ok(p && room == TLS_IN_SIZE, "tls_in_room: the whole input buffer");
		memcpy(p, "\x15\x03\x03\x00\x02\x01", 6);
		tls_in_add(t, 6);
		ok(!tls_has_buffered(t), "tls_has_buffered: part of a record");
		p = tls_in_room(t, &room);
		*p = 0;
		tls_in_add(t, 1);
		ok(tls_has_buffered(t), "tls_has_buffered: a whole record");
		ok(tls_advance(t, &cfg, scratch) == TLS_PEER_CLOSED && !tls_has_buffered(t), "... consumed");
	}
}

/* Errors once the handshake keys are in use. */
static void test_keyed_alerts(void)
{
	static uint8_t msg[1 << 15];
	static const uint8_t ccs[1] = { 1 };
	struct client c;
	struct hopts o = { 0 };
	uint8_t rec[64];
	size_t n;
	int r;

	/* the client's change_cipher_spec, then its Finished */
	client_init(&c);
	server_start();
	n = client_hello(&c, &o, msg);
	tr_add(&c.tr, msg, n);
	send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0);
	client_flight(&c);
	r = server_feed((const uint8_t *)"\x14\x03\x03\x00\x01\x01", 6, 0);
	ok(r == TLS_NEED_INPUT, "the client's change_cipher_spec is dropped");
	r = server_feed((const uint8_t *)"\x14\x03\x03\x00\x01\x01", 6, 0);
	ok(r == TLS_NEED_INPUT, "... every one before its Finished");
	ok(client_finish(&c, 0) == TLS_NEED_INPUT && tls_handshake_done(t), "the Finished after it is accepted");
	r = server_feed((const uint8_t *)"\x14\x03\x03\x00\x01\x01", 6, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "change_cipher_spec after the Finished: unexpected_message (protected)");

#define FLIGHT_THEN(what) do { \
		client_init(&c); \
		server_start(); \
		n = client_hello(&c, &o, msg); \
		tr_add(&c.tr, msg, n); \
		send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0); \
		if (client_flight(&c) != FLIGHT_OK) \
			printf("#   no flight for %s\n", what); \
	} while (0)

	FLIGHT_THEN("ccs");
	r = server_feed((const uint8_t *)"\x14\x03\x03\x00\x01\x02", 6, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "change_cipher_spec of 0x02: unexpected_message, protected under the application key");
	FLIGHT_THEN("ccs2");
	r = server_feed((const uint8_t *)"\x14\x03\x03\x00\x02\x01\x01", 7, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "change_cipher_spec of two bytes: unexpected_message");
	FLIGHT_THEN("pccs");
	r = client_send(&c, TLS_CT_CHANGE_CIPHER_SPEC, ccs, 1, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "a protected change_cipher_spec: unexpected_message");
	FLIGHT_THEN("bad finished");
	c.finished[10] ^= 1;
	r = client_finish(&c, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_DECRYPT_ERROR, "a wrong Finished: decrypt_error");
	ok(all_zero(t->client_verify, 32) && t->read.suite == 0, "... and the secrets are wiped");
	FLIGHT_THEN("finished + more");
	memcpy(msg, c.finished, 36);
	memcpy(msg + 36, c.finished, 4);
	r = client_send(&c, TLS_CT_HANDSHAKE, msg, 40, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "more after the Finished in its record: unexpected_message");
	FLIGHT_THEN("finished split");
	r = client_send(&c, TLS_CT_HANDSHAKE, c.finished, 10, 0);
	r = client_send(&c, TLS_CT_HANDSHAKE, c.finished + 10, 26, 0);
	ok(r == TLS_NEED_INPUT && tls_handshake_done(t), "a Finished in two protected records");
	FLIGHT_THEN("finished + empty");
	msg[0] = 0;
	r = client_send(&c, TLS_CT_HANDSHAKE, msg, 0, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "a zero-length protected handshake record: unexpected_message");
	FLIGHT_THEN("app before finished");
	r = client_send(&c, TLS_CT_APPLICATION_DATA, "GET", 3, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "application data before the client's Finished: unexpected_message");
	FLIGHT_THEN("tampered");
	memcpy(rec + 5, c.finished, 36);
	n = rec_seal(&c.wr, rec, 36, TLS_CT_HANDSHAKE);
	rec[20] ^= 0x40;
	r = server_feed(rec, n, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_BAD_RECORD_MAC, "a tampered record: bad_record_mac");
	FLIGHT_THEN("plain handshake");
	r = send_plain(TLS_CT_HANDSHAKE, c.finished, 36, 0, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "an unprotected Finished: unexpected_message");
	FLIGHT_THEN("overflow");
	r = server_feed((const uint8_t *)"\x17\x03\x03\x41\x01", 5, 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_RECORD_OVERFLOW,
	   "a protected record of 2^14 + 257 bytes: record_overflow");
	FLIGHT_THEN("zeros");
	memset(msg, 0, 20);
	n = 0;
	{
		uint8_t big[64];

		memset(big + 5, 0, 19);
		n = rec_seal(&c.wr, big, 19, 0);
		r = server_feed(big, n, 0);
	}
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "an all-zero inner plaintext: unexpected_message");
	FLIGHT_THEN("plain alert");
	r = server_feed((const uint8_t *)"\x15\x03\x03\x00\x02\x02\x30", 7, 0);
	ok(r == TLS_FAILED && c.pos == s2c_len, "an unprotected alert from a client without keys: heard");

	/* the signer failed: internal_error, protected after our ServerHello */
	signer_fails = 1;
	client_init(&c);
	server_start();
	n = client_hello(&c, &o, msg);
	tr_add(&c.tr, msg, n);
	r = send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0);
	signer_fails = 0;
	ok(r == TLS_FAILED && client_flight(&c) == FLIGHT_BAD && c.rd.suite && c.other_type == TLS_CT_ALERT &&
	   c.other[1] == TLS_ALERT_INTERNAL_ERROR, "no signature: internal_error under the handshake key");

	/* after the handshake */
	{
		static const uint8_t nst[] = { 4, 0, 0, 1, 0 }, ku2[] = { HS_KEY_UPDATE, 0, 0, 1, 2 },
				     ku_long[] = { HS_KEY_UPDATE, 0, 0, 2, 0, 0 },
				     ku_more[] = { HS_KEY_UPDATE, 0, 0, 1, 0, HS_KEY_UPDATE };

		o = (struct hopts){ 0 };
		connect_with(&c, &o, 0);
		r = client_send(&c, TLS_CT_HANDSHAKE, nst, sizeof(nst), 0);
		ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
		   "a post-handshake message other than KeyUpdate: unexpected_message");
		connect_with(&c, &o, 0);
		r = client_send(&c, TLS_CT_HANDSHAKE, ku2, sizeof(ku2), 0);
		ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_ILLEGAL_PARAMETER,
		   "KeyUpdate with request_update 2: illegal_parameter");
		connect_with(&c, &o, 0);
		r = client_send(&c, TLS_CT_HANDSHAKE, ku_long, sizeof(ku_long), 0);
		ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_DECODE_ERROR, "a 2-byte KeyUpdate: decode_error");
		connect_with(&c, &o, 0);
		r = client_send(&c, TLS_CT_HANDSHAKE, ku_more, sizeof(ku_more), 0);
		ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
		   "more after a KeyUpdate in its record: unexpected_message");
		connect_with(&c, &o, 0);
		r = client_send(&c, TLS_CT_HANDSHAKE, ku_long, 3, 0);
		r = client_send(&c, TLS_CT_HANDSHAKE, "\x01\x00", 2, 0);
		ok(r == TLS_NEED_INPUT, "a KeyUpdate in two records");
		connect_with(&c, &o, 0);
		r = server_feed((const uint8_t *)"\x15\x03\x03\x00\x02\x02\x28", 7, 0);
		ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_UNEXPECTED_MESSAGE,
		   "an unprotected alert after the handshake: unexpected_message");
		connect_with(&c, &o, 0);
		r = client_send(&c, TLS_CT_APPLICATION_DATA, "", 0, 0);
		ok(r == TLS_NEED_INPUT && app_in_len == 0, "empty application data is allowed");
		r = client_send(&c, TLS_CT_ALERT, "\x02\x28", 2, 0);
		ok(r == TLS_FAILED && c.pos == s2c_len, "a protected fatal alert: TLS_FAILED, nothing sent");
		ok(all_zero(t->write_secret, 32) && t->write.suite == 0 && t->read.suite == 0, "... secrets wiped");
	}
}

/* §4.1.4, §4.4.1: the HelloRetryRequest, then the second ClientHello. */
static int hrr_start(struct client *c, const struct hopts *o, uint8_t *msg, size_t *n)
{
	client_init(c);
	server_start();
	*n = client_hello(c, o, msg);
	tr_add(&c->tr, msg, *n);
	if (send_plain(TLS_CT_HANDSHAKE, msg, *n, 0, 0) != TLS_NEED_INPUT)
		return -1;
	return client_flight(c);
}

static void test_hello_retry(void)
{
	static uint8_t msg[1 << 15];
	static const struct share x448[] = { { 0x001e, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
						      "00112233445566778899aabbccddeeff0011223344556677" },
					     { 0, NULL } };
	static const struct share two[] = { { TLS_GROUP_X25519, NULL }, { TLS_GROUP_SECP256R1, NULL }, { 0, NULL } };
	struct hopts o1 = { .groups = "001e 001d 0017", .shares = x448, .alpn = alpn_h2_http11 }, o2;
	struct client c;
	size_t n;
	int r;

	ok(hrr_start(&c, &o1, msg, &n) == FLIGHT_HRR && c.group == TLS_GROUP_X25519 && signatures == 0 &&
	   eq_hex(s2c + c.pos, s2c_len - c.pos, "14 0303 0001 01"),
	   "an x448 share only: HelloRetryRequest for X25519, then change_cipher_spec");
	c.pos = s2c_len;
	c.ccs = 1;
	ok(eq_hex(s2c, 5 + 4 + 2, "16 0303 0058 02 000054 0303") && memcmp(s2c + 11, hrr_random, 32) == 0,
	   "the HelloRetryRequest random of §4.1.3");
	o2 = o1;
	o2.shares = share_x25519;
	n = client_hello(&c, &o2, msg);
	tr_add(&c.tr, msg, n);
	r = send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 1);
	ok(r == TLS_NEED_INPUT && client_flight(&c) == FLIGHT_OK && c.ccs == 1,
	   "the second ClientHello: the flight checks out over the message_hash transcript, no second CCS");
	ok(client_finish(&c, 0) == TLS_NEED_INPUT && tls_handshake_done(t) && tls_group(t) == TLS_GROUP_X25519,
	   "and the handshake completes");

	o1.groups = "001e 0017";
	ok(hrr_start(&c, &o1, msg, &n) == FLIGHT_HRR && c.group == TLS_GROUP_SECP256R1,
	   "x448 and secp256r1 offered: HelloRetryRequest for P-256");
	o2 = o1;
	o2.shares = share_p256;
	n = client_hello(&c, &o2, msg);
	tr_add(&c.tr, msg, n);
	r = send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0);
	ok(r == TLS_NEED_INPUT && client_flight(&c) == FLIGHT_OK && client_finish(&c, 0) == TLS_NEED_INPUT &&
	   tls_handshake_done(t), "... and it completes on P-256");

	/* the largest Certificate, after a HelloRetryRequest still in the output */
	{
		static uint8_t big_cert[TLS_CERT_MSG_MAX + 1];
		const uint8_t *saved = cfg.cert_msg;
		size_t saved_len = cfg.cert_msg_len, len = TLS_CERT_MSG_MAX;

		big_cert[1] = (uint8_t)((len - 4) >> 16);
		big_cert[2] = (uint8_t)((len - 4) >> 8);
		big_cert[3] = (uint8_t)(len - 4);
		big_cert[4] = (uint8_t)((len - 9) >> 16);
		big_cert[5] = (uint8_t)((len - 9) >> 8);
		big_cert[6] = (uint8_t)(len - 9);
		cfg.cert_msg = big_cert;
		cfg.cert_msg_len = len;
		o1.groups = "001e 0017";
		hrr_start(&c, &o1, msg, &n);
		o2 = o1;
		o2.shares = share_p256;
		n = client_hello(&c, &o2, msg);
		tr_add(&c.tr, msg, n);
		out_piece = 7;
		r = send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0);
		out_piece = 0;
		ok(r == TLS_NEED_INPUT && client_flight(&c) == FLIGHT_OK && client_finish(&c, 0) == TLS_NEED_INPUT,
		   "a Certificate of TLS_CERT_MSG_MAX bytes fits in the flight, with ALPN, P-256, after an HRR");
		cfg.cert_msg_len = len + 1;
		ok(hello_alert(&o2) == TLS_ALERT_INTERNAL_ERROR, "one byte more: internal_error");
		cfg.cert_msg = saved;
		cfg.cert_msg_len = saved_len;
	}

	o1.groups = "001e 001d 0017";
	o1.shares = NULL;
	{
		static const struct share none[] = { { 0, NULL } };

		o1.shares = none;
		ok(hrr_start(&c, &o1, msg, &n) == FLIGHT_HRR && c.group == TLS_GROUP_X25519,
		   "an empty key_share: HelloRetryRequest");
	}
	o1.shares = x448;

	/* second ClientHellos that are refused */
#define SECOND(what, change, alert) do { \
		hrr_start(&c, &o1, msg, &n); \
		o2 = o1; \
		o2.shares = share_x25519; \
		change; \
		n = client_hello(&c, &o2, msg); \
		r = send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0); \
		ok(r == TLS_FAILED && server_alert(&c) == (alert), "second ClientHello %s", what); \
	} while (0)

	SECOND("with another server_name: illegal_parameter", o2.sni = "example.org", TLS_ALERT_ILLEGAL_PARAMETER);
	SECOND("with the suites reordered: illegal_parameter", o2.suites = "1303 1301", TLS_ALERT_ILLEGAL_PARAMETER);
	SECOND("without ALPN: illegal_parameter", o2.alpn = NULL, TLS_ALERT_ILLEGAL_PARAMETER);
	SECOND("still with x448 only: illegal_parameter", o2.shares = x448, TLS_ALERT_ILLEGAL_PARAMETER);
	SECOND("with two shares: illegal_parameter", o2.shares = two, TLS_ALERT_ILLEGAL_PARAMETER);
	SECOND("with a P-256 share, not the X25519 asked for: illegal_parameter", o2.shares = share_p256,
	       TLS_ALERT_ILLEGAL_PARAMETER);
	SECOND("with early_data: illegal_parameter", o2.extra = "002a 0000", TLS_ALERT_ILLEGAL_PARAMETER);
	hrr_start(&c, &o1, msg, &n);
	o2 = o1;
	o2.shares = share_x25519;
	o2.extra = "0015 0002 0000 002c 0004 0002 abcd";
	n = client_hello(&c, &o2, msg);
	r = send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0);
	ok(r == TLS_NEED_INPUT && signatures == 1, "second ClientHello with padding and a cookie added: accepted");
}

/* §4.2.10: 0-RTT that we do not accept is skipped. */
static void test_early_data(void)
{
	static uint8_t msg[1 << 15], junk[TLS_RECORD_HDR + 1000];
	struct client c;
	struct hopts o = { .extra = "002a 0000" };
	size_t n;
	int r = 0, skipped = 1;

	/* early data: records under a key we do not have */
	junk[0] = TLS_CT_APPLICATION_DATA;
	junk[1] = junk[2] = 3;
	junk[3] = 1000 >> 8;
	junk[4] = 1000 & 0xff;
	for (int i = 0; i < 1000; i++)
		junk[5 + i] = (uint8_t)(i * 13);

	client_init(&c);
	server_start();
	n = client_hello(&c, &o, msg);
	tr_add(&c.tr, msg, n);
	send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0);
	for (int i = 0; i < 16; i++)
		skipped &= server_feed(junk, sizeof(junk), 0) == TLS_NEED_INPUT;
	ok(skipped && client_flight(&c) == FLIGHT_OK && client_finish(&c, 0) == TLS_NEED_INPUT &&
	   tls_handshake_done(t), "early_data offered: 16 records of 0-RTT skipped, then the handshake completes");

	client_init(&c);
	server_start();
	n = client_hello(&c, &o, msg);
	send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0);
	for (int i = 0; i < 17 && r != TLS_FAILED; i++)
		r = server_feed(junk, sizeof(junk), 0);
	ok(r == TLS_FAILED, "past the bound (16 KiB): bad_record_mac");

	o = (struct hopts){ 0 };
	FLIGHT_THEN("no early data");
	r = server_feed(junk, sizeof(junk), 0);
	ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_BAD_RECORD_MAC,
	   "without early_data offered, such a record is bad_record_mac");

	{
		static const struct share x448[] = { { 0x001e, "00" }, { 0, NULL } };
		struct hopts o1 = { .groups = "001e 001d", .shares = x448, .extra = "002a 0000" }, o2;

		hrr_start(&c, &o1, msg, &n);
		r = server_feed(junk, sizeof(junk), 0);
		ok(r == TLS_NEED_INPUT, "after a HelloRetryRequest, 0-RTT records are skipped");
		o2 = o1;
		o2.shares = share_x25519;
		o2.extra = NULL;
		n = client_hello(&c, &o2, msg);
		tr_add(&c.tr, msg, n);
		r = send_plain(TLS_CT_HANDSHAKE, msg, n, 0, 0);
		ok(r == TLS_NEED_INPUT && client_flight(&c) == FLIGHT_OK, "and the second ClientHello goes on");
		r = server_feed(junk, sizeof(junk), 0);
		ok(r == TLS_FAILED && server_alert(&c) == TLS_ALERT_BAD_RECORD_MAC,
		   "after it, a record that does not open is bad_record_mac again");
	}
}

/* One slot, used again: tls_init() resets everything. */
static void test_reuse(void)
{
	struct client c;
	struct hopts o = { 0 };
	static struct tls_conn fresh;
	uint8_t random[64];

	connect_with(&c, &o, 0);
	client_send(&c, TLS_CT_APPLICATION_DATA, "secret", 6, 0);
	ok(connect_with(&c, &o, 0) == 0 && app_in_len == 0, "a second connection in the same slot");
	for (int i = 0; i < 64; i++)
		random[i] = (uint8_t)(3 * i + 1);
	tls_init(&fresh, random);
	memset(t, 0xa5, sizeof(*t));
	tls_init(t, random);
	/* everything but the struct's tail padding, which no connection writes */
	size_t meaningful = offsetof(struct tls_conn, out) + TLS_OUT_SIZE;
	ok(memcmp(t, &fresh, meaningful) == 0, "tls_init() leaves nothing of the slot's past");
	ok(tls_out(t, &(size_t){ 0 }) == NULL && tls_app_data(t, &(size_t){ 0 }) == NULL && !tls_handshake_done(t) &&
	   tls_suite(t) == 0 && tls_group(t) == 0, "and starts from nothing");
	ok(tls_app_room(t, &(size_t){ 1 }) == NULL, "no application data before the handshake");
}

int main(void)
{
	static const uint8_t signer_priv[32] = { 0x0c, 0x1d, 0x2e, 0x3f, 0x40, 0x51, 0x62, 0x73, 0x84, 0x95, 0xa6,
						 0xb7, 0xc8, 0xd9, 0xea, 0xfb, 0x0c, 0x1d, 0x2e, 0x3f, 0x40, 0x51,
						 0x62, 0x73, 0x84, 0x95, 0xa6, 0xb7, 0xc8, 0xd9, 0xea, 0xfb };
	size_t sizes[] = { 0, 1, 7 };

	cfg.aes_gcm = have_aesgcm();
	/* a Certificate body: empty context, one entry of 300 bytes, no extensions */
	cert_msg[0] = 0;
	cert_msg[1] = 0;
	cert_msg[2] = 1;
	cert_msg[3] = 305 - 256;
	cert_msg[4] = 0;
	cert_msg[5] = 1;
	cert_msg[6] = 300 - 256;
	for (int i = 0; i < 300; i++)
		cert_msg[7 + i] = (uint8_t)i;
	cert_msg[307] = cert_msg[308] = 0;
	cfg.cert_msg = cert_msg;
	cfg.cert_msg_len = 309;
	if (p256_key_init(signer, signer_priv) < 0)
		return 2;
	p256_key_public(signer, signer_pub);
	printf("# sizeof(struct tls_conn) = %zu\n", tls_conn_size());

	for (size_t i = 0; i < 3; i++) {
		test_handshake(TLS_CHACHA20_POLY1305_SHA256, TLS_GROUP_X25519, sizes[i], i == 2 ? 100 : 0);
		test_handshake(TLS_CHACHA20_POLY1305_SHA256, TLS_GROUP_SECP256R1, sizes[i], 0);
		if (cfg.aes_gcm) {
			test_handshake(TLS_AES_128_GCM_SHA256, TLS_GROUP_X25519, sizes[i], 0);
			test_handshake(TLS_AES_128_GCM_SHA256, TLS_GROUP_SECP256R1, sizes[i], i == 1 ? 1 : 0);
		}
	}
	test_rfc8448_client();
	test_hello_alerts();
	test_record_alerts();
	test_keyed_alerts();
	test_hello_retry();
	test_early_data();
	test_reuse();
	return done_testing();
}
