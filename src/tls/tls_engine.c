/*
 * tls_engine.c - the tls.h API: buffers, the record layer (RFC 8446 §5.1
 * fragmentation and content types, §5.2 protected records, §5 the dummy
 * change_cipher_spec), handshake message reassembly (§4), alerts (§6),
 * application data, KeyUpdate (§4.6.3) and close_notify (§6.1). The
 * handshake itself is server13.c's.
 *
 * Input: records are processed in place in t->in, one at a time; a
 * protected record is decrypted where it lies, and its application data is
 * handed to the caller from there. Handshake messages are reassembled in
 * the caller's scratch buffer during the handshake, in t->post_hs after it.
 * Output: t->out holds records ready to send, then possibly the record
 * being built (a server flight waiting for its signature, or application
 * data), then room kept free for one alert.
 *
 * Constant time: keys only meet record.c and keysched.c. Wiped: every
 * secret when the connection fails or both sides have closed, the read
 * (write) side's secret and keys when the peer (we) closed, a traffic
 * secret when KeyUpdate replaces it, and the whole state in tls_init().
 */
#include "engine.h"
#include "der.h"
#include "../crypto/ct.h"
#include "../mem.h"

#define ALERT_WARNING		1
#define ALERT_FATAL		2
#define ALERT_USER_CANCELED	90	/* §6.1: ignored */

/* §4.2.10: 0-RTT we skip (record bodies, less tag and content type) before
 * a record that does not open is a bad_record_mac */
#define TLS_EARLY_DATA_SKIP	16384

/* Our KeyUpdate (§4.6.3) as a protected record: header, 4 + 1 message
 * bytes, content type, tag */
#define KEY_UPDATE_RECORD_LEN	(TLS_RECORD_OVERHEAD + 5)

size_t tls_conn_size(void)
{
	return sizeof(struct tls_conn);
}

/* Wipe what a connection left in its slot: the state (secrets included)
 * and the bytes it received and sent, up to its high-water marks. Only the
 * pages a connection used are touched: a slot never used costs one page,
 * not the 35 KB of its buffers (idle memory, docs/performance.md). */
static void wipe_slot(struct tls_conn *t)
{
	size_t in_used = t->in_used, out_used = t->out_used;

	ct_wipe(t, offsetof(struct tls_conn, in));
	ct_wipe(t->in, in_used <= TLS_IN_SIZE ? in_used : TLS_IN_SIZE);
	ct_wipe(t->out, out_used <= TLS_OUT_SIZE ? out_used : TLS_OUT_SIZE);
}

void tls_init(struct tls_conn *t, const uint8_t random[64])
{
	wipe_slot(t);
	memcpy(t->random, random, 32);
	memcpy(t->eph_key, random + 32, 32);
	tr_init(&t->tr);
	t->state = ST_CLIENT_HELLO;
}

void tls_end(struct tls_conn *t)
{
	wipe_slot(t);
	t->state = ST_FAILED;	/* nothing more in or out */
	t->closed = 1;
}

/* ---- secrets ---- */

static void wipe_read_side(struct tls_conn *t)
{
	WIPE(t->read_secret);
	rec_wipe(&t->read);
}

static void wipe_write_side(struct tls_conn *t)
{
	WIPE(t->write_secret);
	rec_wipe(&t->write);
}

static void wipe_secrets(struct tls_conn *t)
{
	WIPE(t->eph_key);
	WIPE(t->server_finished_key);
	WIPE(t->client_finished_key);
	WIPE(t->client_verify);
	WIPE(t->master);
	wipe_read_side(t);
	wipe_write_side(t);
}

/* ---- output ---- */

/* Output is only appended: what tls_out() returned stays where it is.
 * It never needs moving: a record is built only in an empty output, the
 * server's flight after at most a HelloRetryRequest, and an alert goes in
 * the room every writer leaves. */
struct wr tls_out_space(struct tls_conn *t)
{
	return wr_init(t->out + t->out_end, TLS_OUT_SIZE - TLS_ALERT_ROOM - t->out_end);
}

void tls_out_note(struct tls_conn *t)
{
	uint32_t end = t->out_end + TLS_RECORD_HDR + t->rec_len + 1 + TLS_TAG_LEN;

	if (end > t->out_used)
		t->out_used = end;
}

void tls_out_commit(struct tls_conn *t, size_t n)
{
	t->out_end += (uint32_t)n;
	tls_out_note(t);
}

const uint8_t *tls_out(struct tls_conn *t, size_t *n)
{
	*n = t->out_end - t->out_start;
	return *n ? t->out + t->out_start : NULL;
}

void tls_out_sent(struct tls_conn *t, size_t n)
{
	if (n > t->out_end - t->out_start)
		n = t->out_end - t->out_start;
	t->out_start += (uint32_t)n;
	if (t->out_start == t->out_end && t->rec_len == 0)
		t->out_start = t->out_end = 0;
}

/* §6: one alert record, protected once we have a write key. A record being
 * built is dropped. */
static void queue_alert(struct tls_conn *t, uint8_t level, uint8_t desc)
{
	uint8_t *rec;
	size_t n = 7;

	t->rec_len = 0;
	rec = t->out + t->out_end;
	/* the output always keeps TLS_ALERT_ROOM for this */
	if (TLS_OUT_SIZE - t->out_end < TLS_RECORD_OVERHEAD + 2)
		return;
	rec[5] = level;
	rec[6] = desc;
	if (t->write.suite) {
		n = rec_seal(&t->write, rec, 2, TLS_CT_ALERT);
	} else {
		rec[0] = TLS_CT_ALERT;
		rec[1] = 0x03;
		rec[2] = 0x03;
		rec[3] = 0;
		rec[4] = 2;
	}
	t->out_end += (uint32_t)n;
	tls_out_note(t);
}

int tls_fail(struct tls_conn *t, int alert)
{
	if (t->state != ST_FAILED) {
		/* after our close_notify, nothing more is said */
		if (!t->closed)
			queue_alert(t, ALERT_FATAL, (uint8_t)alert);
		t->closed = 1;
		t->state = ST_FAILED;
		wipe_secrets(t);
	}
	return TLS_FAILED;
}

/* ---- input ---- */

uint8_t *tls_in_room(struct tls_conn *t, size_t *room)
{
	/* application data handed out stays where it is until consumed */
	if (t->app_len == 0 && t->in_start > 0) {
		memmove(t->in, t->in + t->in_start, t->in_end - t->in_start);
		t->in_end -= t->in_start;
		t->in_start = 0;
		t->app_start = 0;
	}
	*room = TLS_IN_SIZE - t->in_end;
	return t->in + t->in_end;
}

void tls_in_add(struct tls_conn *t, size_t n)
{
	if (n > TLS_IN_SIZE - t->in_end)
		n = TLS_IN_SIZE - t->in_end;
	t->in_end += (uint32_t)n;
	if (t->in_end > t->in_used)
		t->in_used = t->in_end;
}

/* §6: an alert from the peer. close_notify ends its data, user_canceled is
 * nothing by itself, every other alert is fatal whatever its level. */
static int read_alert(struct tls_conn *t, const uint8_t *p, size_t n)
{
	/* §5.1: exactly one alert per record, never fragmented */
	if (n != 2)
		return tls_fail(t, TLS_ALERT_DECODE_ERROR);
	if (p[1] == TLS_ALERT_CLOSE_NOTIFY) {
		t->state = ST_PEER_CLOSED;
		if (t->closed)
			wipe_secrets(t);
		else
			wipe_read_side(t);
		return TLS_PEER_CLOSED;
	}
	if (p[1] == ALERT_USER_CANCELED)
		return TLS_CONTINUE;
	t->state = ST_FAILED;
	t->closed = 1;
	wipe_secrets(t);
	return TLS_FAILED;
}

/* §4.6.3: the client's KeyUpdate: its next secret, and ours if asked. */
static int read_key_update(struct tls_conn *t, const uint8_t *msg)
{
	if (msg[4] > 1)		/* update_not_requested(0), update_requested(1) */
		return tls_fail(t, TLS_ALERT_ILLEGAL_PARAMETER);
	ks_next_traffic(t->read_secret);
	if (rec_set_key(&t->read, t->suite, t->read_secret) < 0)
		return tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
	if (msg[4] == 1)
		t->key_update = 1;
	return TLS_CONTINUE;
}

/* A handshake message's whole length, from its 4-byte header (§4). */
static size_t message_len(const uint8_t *hdr)
{
	return 4 + ((size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3]);
}

/* The one message type each state accepts, checked from the 4-byte header
 * before any of its body is stored. Returns 0 or an alert. */
static int check_message_header(const struct tls_conn *t, const uint8_t *hdr)
{
	size_t len = message_len(hdr) - 4;
	uint8_t want = t->state == ST_CLIENT_FINISHED ? HS_FINISHED
		     : t->state == ST_CONNECTED ? HS_KEY_UPDATE : HS_CLIENT_HELLO;

	/* §4.6: we send no NewSessionTicket and request no certificate, so
	 * after the handshake only KeyUpdate may come */
	if (hdr[0] != want)
		return TLS_ALERT_UNEXPECTED_MESSAGE;
	if (len > TLS_HS_MAX - 4)
		return TLS_ALERT_ILLEGAL_PARAMETER;
	if ((want == HS_FINISHED && len != SHA256_LEN) || (want == HS_KEY_UPDATE && len != 1))
		return TLS_ALERT_DECODE_ERROR;
	return 0;
}

static int handshake_message(struct tls_conn *t, const struct tls_config *cfg, const uint8_t *msg, size_t n)
{
	switch (t->state) {
	case ST_CLIENT_HELLO:
	case ST_CLIENT_HELLO2:
		return tls13_client_hello(t, cfg, msg, n);
	case ST_CLIENT_FINISHED:
		return tls13_client_finished(t, msg, n);
	default:
		return read_key_update(t, msg);
	}
}

/* Handshake bytes from one record: reassembled (§5.1: a message may span
 * records), each whole message processed. */
static int handshake_bytes(struct tls_conn *t, const struct tls_config *cfg, uint8_t *scratch, const uint8_t *p,
			   size_t n)
{
	uint8_t *buf = t->done ? t->post_hs : scratch;

	while (n > 0) {
		size_t want = t->hs_len < 4 ? 4 : message_len(buf), take = want - t->hs_len, len;
		int alert;

		if (take > n)
			take = n;
		memcpy(buf + t->hs_len, p, take);
		t->hs_len += (uint32_t)take;
		p += take;
		n -= take;
		if (t->hs_len < 4)
			continue;
		if (t->hs_len == 4) {
			alert = check_message_header(t, buf);
			if (alert)
				return tls_fail(t, alert);
		}
		len = message_len(buf);
		if (t->hs_len < len)
			continue;
		/* §5.1: ClientHello, Finished and KeyUpdate (all we accept)
		 * come before a key change, so each must end its record */
		if (n > 0)
			return tls_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE);
		t->hs_len = 0;
		return handshake_message(t, cfg, buf, len);
	}
	return TLS_CONTINUE;
}

/* 0-RTT we do not accept (§4.2.10): skipped, up to a bound. */
static int skip_early_data(struct tls_conn *t, size_t body_len, int alert)
{
	if (body_len > 1 + TLS_TAG_LEN)
		t->early_skipped += (uint32_t)(body_len - 1 - TLS_TAG_LEN);
	if (t->early_skipped > TLS_EARLY_DATA_SKIP)
		return tls_fail(t, alert);
	return TLS_CONTINUE;
}

/* The content of a record: a plaintext one, or a protected one opened. */
static int record_content(struct tls_conn *t, const struct tls_config *cfg, uint8_t *scratch, uint8_t type,
			  uint8_t *p, size_t n, int protected)
{
	/* §5.1: nothing comes between the records of a split message */
	if (t->hs_len > 0 && type != TLS_CT_HANDSHAKE)
		return tls_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE);
	switch (type) {
	case TLS_CT_CHANGE_CIPHER_SPEC:
		/* §5: one unprotected byte 0x01 after the first ClientHello and
		 * before the client's Finished is dropped */
		if (protected || n != 1 || p[0] != 1 || t->state == ST_CLIENT_HELLO || t->done)
			return tls_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE);
		return TLS_CONTINUE;
	case TLS_CT_ALERT:
		/* an unprotected alert is heard during the handshake (a client
		 * that could not read our ServerHello has no keys) */
		if (!protected && t->done)
			return tls_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE);
		return read_alert(t, p, n);
	case TLS_CT_HANDSHAKE:
		/* §5.1: no zero-length handshake fragments; none unprotected
		 * once keys are in use */
		if (n == 0 || (!protected && t->read.suite))
			return tls_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE);
		return handshake_bytes(t, cfg, scratch, p, n);
	case TLS_CT_APPLICATION_DATA:
		if (!t->done)
			return tls_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE);
		if (n == 0)	/* §5.1: zero-length application data is allowed */
			return TLS_CONTINUE;
		t->app_start = (uint32_t)(p - t->in);
		t->app_len = (uint32_t)n;
		return TLS_APP_DATA;
	default:
		return tls_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE);
	}
}

/* §5.2: a protected record, opened in place. */
static int open_record(struct tls_conn *t, const struct tls_config *cfg, uint8_t *scratch, uint8_t *rec,
		       size_t len)
{
	uint8_t type;
	size_t n;
	int alert = rec_open(&t->read, rec, len, &type, &n);

	if (alert == TLS_ALERT_BAD_RECORD_MAC && t->early_data)
		return skip_early_data(t, len, alert);
	if (alert)
		return tls_fail(t, alert);
	/* §4.2.10: the first record that opens starts the client's flight */
	t->early_data = 0;
	return record_content(t, cfg, scratch, type, rec + TLS_RECORD_HDR, n, 1);
}

/* §5.1, §5.2: the next whole record, if there is one. */
static int next_record(struct tls_conn *t, const struct tls_config *cfg, uint8_t *scratch)
{
	uint8_t *rec = t->in + t->in_start;
	size_t avail = t->in_end - t->in_start, len, max;
	uint8_t type;

	if (avail < TLS_RECORD_HDR)
		return TLS_NEED_INPUT;
	type = rec[0];
	len = (size_t)rec[3] << 8 | rec[4];
	/* legacy_record_version is ignored (§5.1) */
	switch (type) {
	case TLS_CT_APPLICATION_DATA:
		/* protected records only; before keys, only 0-RTT skipped
		 * while a second ClientHello is awaited (§4.2.10) */
		if (!t->read.suite && !(t->state == ST_CLIENT_HELLO2 && t->early_data))
			return tls_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE);
		max = TLS_CIPHERTEXT_MAX;
		break;
	case TLS_CT_CHANGE_CIPHER_SPEC:
	case TLS_CT_ALERT:
	case TLS_CT_HANDSHAKE:
		max = TLS_RECORD_MAX;
		break;
	default:
		return tls_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE);
	}
	if (len > max)
		return tls_fail(t, TLS_ALERT_RECORD_OVERFLOW);
	if (avail < TLS_RECORD_HDR + len)
		return TLS_NEED_INPUT;
	t->in_start += (uint32_t)(TLS_RECORD_HDR + len);
	if (type != TLS_CT_APPLICATION_DATA)
		return record_content(t, cfg, scratch, type, rec + TLS_RECORD_HDR, len, 0);
	if (!t->read.suite)
		return skip_early_data(t, len, TLS_ALERT_UNEXPECTED_MESSAGE);
	return open_record(t, cfg, scratch, rec, len);
}

int tls_advance(struct tls_conn *t, const struct tls_config *cfg, uint8_t *scratch)
{
	for (;;) {
		int r;

		switch (t->state) {
		case ST_FAILED:
			return TLS_FAILED;
		case ST_PEER_CLOSED:
			return TLS_PEER_CLOSED;
		case ST_SIGNATURE:
			return TLS_NEED_SIGNATURE;
		}
		if (t->app_len)
			return TLS_APP_DATA;
		r = next_record(t, cfg, scratch);
		if (r != TLS_CONTINUE)
			return r;
	}
}

int tls_has_buffered(const struct tls_conn *t)
{
	size_t avail = t->in_end - t->in_start, len;

	if (t->state == ST_FAILED || t->state == ST_PEER_CLOSED || t->state == ST_SIGNATURE ||
	    avail < TLS_RECORD_HDR)
		return 0;
	len = (size_t)t->in[t->in_start + 3] << 8 | t->in[t->in_start + 4];
	/* a whole record, or a header tls_advance() will refuse */
	return avail >= TLS_RECORD_HDR + len || len > TLS_CIPHERTEXT_MAX;
}

/* ---- the signature ---- */

const uint8_t *tls_sign_hash(const struct tls_conn *t)
{
	return t->sign_hash;
}

void tls_signed(struct tls_conn *t, const uint8_t *sig, size_t len)
{
	if (t->state != ST_SIGNATURE)
		return;
	if (len == 0 || len > DER_ECDSA_SIG_MAX) {
		tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
		return;
	}
	tls13_signed(t, sig, len);
}

/* ---- application data ---- */

const uint8_t *tls_app_data(struct tls_conn *t, size_t *len)
{
	*len = t->app_len;
	return t->app_len ? t->in + t->app_start : NULL;
}

void tls_app_consume(struct tls_conn *t, size_t n)
{
	if (n > t->app_len)
		n = t->app_len;
	t->app_start += (uint32_t)n;
	t->app_len -= (uint32_t)n;
}

uint8_t *tls_app_room(struct tls_conn *t, size_t *room)
{
	*room = 0;
	if (!t->done || t->closed || t->state == ST_FAILED || t->out_start != t->out_end)
		return NULL;
	if (t->rec_len == 0)
		t->out_start = t->out_end = 0;
	*room = TLS_RECORD_MAX - t->rec_len;
	return t->out + t->out_end + TLS_RECORD_HDR + t->rec_len;
}

/* §4.6.3: our KeyUpdate(update_not_requested), protected with the current
 * key at out + out_end, then our next secret. The content of the record
 * being built moves up past it. */
static int send_key_update(struct tls_conn *t)
{
	static const uint8_t key_update[5] = { HS_KEY_UPDATE, 0, 0, 1, 0 };
	uint8_t *rec = t->out + t->out_end;

	memmove(rec + KEY_UPDATE_RECORD_LEN + TLS_RECORD_HDR, rec + TLS_RECORD_HDR, t->rec_len);
	memcpy(rec + TLS_RECORD_HDR, key_update, sizeof(key_update));
	if (rec_seal(&t->write, rec, sizeof(key_update), TLS_CT_HANDSHAKE) == 0)
		return -1;
	t->out_end += KEY_UPDATE_RECORD_LEN;
	tls_out_note(t);
	t->key_update = 0;
	ks_next_traffic(t->write_secret);
	return rec_set_key(&t->write, t->suite, t->write_secret);
}

/* Protect the application data record being built. */
static void seal_app(struct tls_conn *t)
{
	size_t n;

	if (t->rec_len == 0)
		return;
	if (t->key_update && send_key_update(t) < 0) {
		tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
		return;
	}
	n = rec_seal(&t->write, t->out + t->out_end, t->rec_len, TLS_CT_APPLICATION_DATA);
	t->rec_len = 0;
	if (n == 0) {
		tls_fail(t, TLS_ALERT_INTERNAL_ERROR);
		return;
	}
	t->out_end += (uint32_t)n;
	tls_out_note(t);
}

void tls_app_fill(struct tls_conn *t, size_t n)
{
	if (!t->done || t->closed || t->state == ST_FAILED)
		return;
	if (n > TLS_RECORD_MAX - t->rec_len)
		n = TLS_RECORD_MAX - t->rec_len;
	t->rec_len += (uint32_t)n;
	tls_out_note(t);
	if (t->rec_len == TLS_RECORD_MAX)
		seal_app(t);
}

void tls_app_seal(struct tls_conn *t)
{
	if (t->done && !t->closed && t->state != ST_FAILED)
		seal_app(t);
}

/* ---- closing ---- */

void tls_close_notify(struct tls_conn *t)
{
	if (t->closed || t->state == ST_FAILED)
		return;
	if (t->done)
		seal_app(t);
	if (t->state == ST_FAILED)
		return;
	queue_alert(t, ALERT_WARNING, TLS_ALERT_CLOSE_NOTIFY);
	t->closed = 1;
	if (!t->done || t->state == ST_PEER_CLOSED) {
		/* nothing more to send or to read: the connection is over */
		if (!t->done && t->state != ST_PEER_CLOSED)
			t->state = ST_FAILED;
		wipe_secrets(t);
	} else {
		wipe_write_side(t);
	}
}

/* ---- for the log ---- */

int tls_handshake_done(const struct tls_conn *t)
{
	return t->done;
}

unsigned tls_suite(const struct tls_conn *t)
{
	return t->suite;
}

unsigned tls_group(const struct tls_conn *t)
{
	return t->group;
}
