/*
 * tls_fuzz.c - libFuzzer target for the TLS 1.3 engine (src/tls/): the
 * input is what a client sends to a fresh connection.
 *
 * The first byte chooses how: its low 3 bits the size of the reads (1, 2,
 * 3, 7, 64, 512, 4096 bytes, or all at once), its next 2 bits where the
 * input starts:
 *	0	from the first byte (ClientHello parsing, the record layer)
 *	1	after the server's flight to a fixed ClientHello, and
 *	2	after the whole handshake;
 * in phases 1 and 2 the rest is a list of records [type, length (2 bytes,
 * cut to what is left), content] that the harness protects with the key
 * the server reads with (it copies the server's own read state), so the
 * fuzzer reaches the Finished check, KeyUpdate, alerts and application data.
 * Signature requests get a fixed DER signature.
 *
 * Checked after every step: the status is one of tls.h's, every offset
 * stays inside its buffer, TLS_FAILED is sticky and leaves no key behind,
 * and the output is whole records. Build: clang -fsanitize=fuzzer,address,
 * undefined (see http_fuzz.c); seeds in tests/fuzz/tls_corpus/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/crypto/sha256.c"
#include "../../src/crypto/hmac.c"
#include "../../src/crypto/hkdf.c"
#include "../../src/crypto/chacha20.c"
#include "../../src/crypto/poly1305.c"
#include "../../src/crypto/chacha20poly1305.c"
#include "../../src/crypto/aesgcm.c"
#if defined(__x86_64__)
#include "../../src/crypto/aesgcm_x86.c"
#elif defined(__aarch64__)
#include "../../src/crypto/aesgcm_arm.c"
#else
#include "../../src/crypto/aesgcm_none.c"
#endif
#include "../../src/crypto/x25519.c"
#include "../../src/crypto/p256_field.c"
#include "../../src/crypto/p256_scalar.c"
#include "../../src/crypto/p256_inv.c"
#include "../../src/crypto/p256_point.c"
#include "../../src/crypto/p256.c"
#include "../../src/tls/der.c"
#include "../../src/tls/keysched.c"
#include "../../src/tls/transcript.c"
#include "../../src/tls/record.c"
#include "../../src/tls/client_hello.c"
#include "../../src/tls/server13.c"
#include "../../src/tls/tls_engine.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tls_conn conn, *t = &conn;
static uint8_t scratch[TLS_HS_MAX];
static struct tls_config cfg;
static uint8_t cert_msg[] = { 0, 0, 0, 8, 0, 0, 3, 1, 2, 3, 0, 0 };
static size_t out_total;

/* A well-formed ECDSA-Sig-Value (the engine does not check it). */
static const uint8_t fixed_sig[] = { 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01 };

/* A ClientHello record: X25519, both suites, ALPN h2 and http/1.1. */
static const uint8_t hello[] = {
	0x16, 0x03, 0x01, 0x00, 0x98, 0x01, 0x00, 0x00, 0x94, 0x03, 0x03,
	/* random */
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
	29, 30, 31, 32,
	0x00,					/* legacy_session_id */
	0x00, 0x04, 0x13, 0x01, 0x13, 0x03,	/* cipher_suites */
	0x01, 0x00,				/* compression */
	0x00, 0x67,				/* extensions */
	0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17,		/* supported_groups */
	0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03,			/* signature_algorithms */
	0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04,				/* supported_versions */
	0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 'h', '2', 0x08, 'h', 't', 't', 'p', '/', '1', '.', '1',
	0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20,		/* key_share: X25519 */
	0x99, 0x38, 0x1d, 0xe5, 0x60, 0xe4, 0xbd, 0x43, 0xd2, 0x3d, 0x8e, 0x43, 0x5a, 0x7d, 0xba, 0xfe,
	0xb3, 0xc0, 0x6e, 0x51, 0xc1, 0x3c, 0xae, 0x4d, 0x54, 0x13, 0x69, 0x1e, 0x52, 0x9a, 0xaf, 0x2c,
	0x00, 0x00, 0x00, 0x0e, 0x00, 0x0c, 0x00, 0x00, 0x09, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't',
};

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static void check_state(int r)
{
	size_t n;
	const uint8_t *p;

	if (r != TLS_NEED_INPUT && r != TLS_NEED_SIGNATURE && r != TLS_APP_DATA && r != TLS_PEER_CLOSED &&
	    r != TLS_FAILED)
		abort();
	if (t->in_start > t->in_end || t->in_end > TLS_IN_SIZE || t->out_start > t->out_end ||
	    t->out_end > TLS_OUT_SIZE || t->hs_len > TLS_HS_MAX || t->app_start + t->app_len > t->in_end ||
	    t->out_end + TLS_RECORD_HDR + t->rec_len > TLS_OUT_SIZE || t->state > ST_FAILED)
		abort();
	p = tls_app_data(t, &n);
	if (n && (p < t->in || p + n > t->in + TLS_IN_SIZE || n > TLS_RECORD_MAX))
		abort();
	if (r == TLS_FAILED) {
		/* sticky, and nothing secret is left */
		if (tls_advance(t, &cfg, scratch) != TLS_FAILED || t->read.suite || t->write.suite ||
		    !all_zero(t->eph_key, 32) || !all_zero(&t->master, sizeof(t->master)) ||
		    !all_zero(t->client_verify, 32))
			abort();
	}
}

/* Send everything queued; the output is whole records. */
static void drain(void)
{
	size_t n, off = 0;
	const uint8_t *p = tls_out(t, &n);

	while (off < n) {
		if (n - off < TLS_RECORD_HDR || n - off < TLS_RECORD_HDR + (size_t)(p[off + 3] << 8 | p[off + 4]))
			abort();
		off += TLS_RECORD_HDR + (size_t)(p[off + 3] << 8 | p[off + 4]);
	}
	out_total += n;
	tls_out_sent(t, n);
}

static int run(void)
{
	for (;;) {
		int r = tls_advance(t, &cfg, scratch);

		check_state(r);
		if (r == TLS_NEED_SIGNATURE) {
			tls_signed(t, fixed_sig, sizeof(fixed_sig));
			continue;
		}
		if (r == TLS_APP_DATA) {
			size_t n;

			tls_app_data(t, &n);
			tls_app_consume(t, n);
			continue;
		}
		drain();
		return r;
	}
}

static int feed(const uint8_t *p, size_t n, size_t chunk)
{
	int r = run();

	while (n > 0 && r != TLS_FAILED && r != TLS_PEER_CLOSED) {
		size_t room, take = chunk && chunk < n ? chunk : n;
		uint8_t *dst = tls_in_room(t, &room);

		if (take > room)
			take = room;
		if (take == 0)
			abort();	/* the engine would wait forever */
		memcpy(dst, p, take);
		tls_in_add(t, take);
		p += take;
		n -= take;
		r = run();
	}
	return r;
}

/* Records [type, length, content] from the input, each protected with a
 * copy of the server's read state (so it opens), fed chunk at a time. */
static int feed_records(const uint8_t *p, size_t n, size_t chunk)
{
	static uint8_t rec[TLS_RECORD_HDR + TLS_CIPHERTEXT_MAX];
	int r = run();

	while (n >= 3 && r != TLS_FAILED && r != TLS_PEER_CLOSED) {
		uint8_t type = p[0];
		size_t len = (size_t)(p[1] << 8 | p[2]), sealed;
		struct tls_cipher c = t->read;

		p += 3;
		n -= 3;
		if (len > n)
			len = n;
		if (len > TLS_RECORD_MAX)
			len = TLS_RECORD_MAX;
		memcpy(rec + TLS_RECORD_HDR, p, len);
		p += len;
		n -= len;
		sealed = rec_seal(&c, rec, len, type);
		rec_wipe(&c);
		r = feed(rec, sealed, chunk);
	}
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[8] = { 1, 2, 3, 7, 64, 512, 4096, 0 };
	uint8_t random[64];
	size_t chunk;
	int phase, r;

	if (size == 0)
		return 0;
	chunk = chunks[data[0] & 7];
	phase = (data[0] >> 3) & 3;
	data++;
	size--;
	cfg.cert_msg = cert_msg;
	cfg.cert_msg_len = sizeof(cert_msg);
	cfg.aes_gcm = aesgcm_cpu_init(0) && (phase & 1);
	for (int i = 0; i < 64; i++)
		random[i] = (uint8_t)(i + 1);
	tls_init(t, random);
	out_total = 0;

	if (phase == 0) {
		/* an exact-size copy, so ASan sees any read past the end */
		uint8_t *copy = malloc(size ? size : 1);

		memcpy(copy, data, size);
		r = feed(copy, size, chunk);
		free(copy);
	} else {
		r = feed(hello, sizeof(hello), 0);
		if (r != TLS_NEED_INPUT || t->state != ST_CLIENT_FINISHED)
			abort();
		if (phase >= 2) {
			/* the client's Finished, which the server expects */
			uint8_t fin[36] = { HS_FINISHED, 0, 0, 32 };

			memcpy(fin + 4, t->client_verify, 32);
			{
				static uint8_t rec[64];
				struct tls_cipher c = t->read;
				size_t n;

				memcpy(rec + TLS_RECORD_HDR, fin, sizeof(fin));
				n = rec_seal(&c, rec, sizeof(fin), TLS_CT_HANDSHAKE);
				r = feed(rec, n, 0);
			}
			if (r != TLS_NEED_INPUT || !tls_handshake_done(t))
				abort();
		}
		r = feed_records(data, size, chunk);
	}
	check_state(r);
	/* the application answers, then closes */
	{
		size_t room;
		uint8_t *p = tls_app_room(t, &room);

		if (p) {
			if (!tls_handshake_done(t) || room != TLS_RECORD_MAX)
				abort();
			memset(p, 'x', 100);
			tls_app_fill(t, 100);
		}
	}
	tls_close_notify(t);
	drain();
	check_state(tls_advance(t, &cfg, scratch));
	return 0;
}
