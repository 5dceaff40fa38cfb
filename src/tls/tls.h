/*
 * tls.h - one TLS 1.3 server connection (RFC 8446), as a pure engine: the
 * caller moves bytes between the socket and the buffers below, and nothing
 * in src/tls/ makes a system call or allocates (after BearSSL's engine and
 * picotls). src/tls_io.c drives it for the event loop; the unit tests drive
 * it from byte arrays.
 *
 * What it speaks (the minimum every current client speaks, done completely):
 * TLS 1.3 only; TLS_AES_128_GCM_SHA256 (when the CPU has AES instructions)
 * and TLS_CHACHA20_POLY1305_SHA256; key exchange on X25519 or secp256r1,
 * with a HelloRetryRequest when the client's key shares hold neither but
 * its supported_groups lists one; ecdsa_secp256r1_sha256 signatures, made by
 * another process (the signer: the private key never enters this one);
 * ALPN http/1.1; KeyUpdate; close_notify. No PSK, no 0-RTT, no tickets, no
 * client certificates.
 *
 * The calling protocol, for the caller (the "transport"):
 *
 *	tls_init(t, random)			once per connection
 *	loop:
 *	  p = tls_in_room(t, &room); n = read(fd, p, room); tls_in_add(t, n)
 *	  r = tls_advance(t, cfg, scratch)	run the handshake / decrypt
 *	  r == TLS_NEED_SIGNATURE:	send t's hash to the signer, later
 *					tls_signed(t, sig, len) and advance again
 *	  p = tls_out(t, &n): write(fd, p, n); tls_out_sent(t, written)
 *	  app data in:  tls_app_data(t, &len) / tls_app_consume(t, n)
 *	  app data out: p = tls_app_room(t, &room); fill; tls_app_fill(t, n);
 *			tls_app_seal(t) (when the record is full or the
 *			caller has no more for now), then write tls_out()
 *	  r == TLS_FAILED: write what tls_out() holds (the alert), close
 *	  r == TLS_PEER_CLOSED: no more input will come; tls_close_notify()
 *
 * Every length read from the peer is checked against what is left before
 * it is used; every malformed input ends in the alert RFC 8446 §6 names
 * for it, queued in the output, and TLS_FAILED (sticky).
 */
#ifndef SCRATCHD_TLS_H
#define SCRATCHD_TLS_H

#include <stddef.h>
#include <stdint.h>

#define TLS_RECORD_HDR		5			/* type, version, length (§5.1) */
#define TLS_RECORD_MAX		16384			/* plaintext bytes in a record (§5.1) */
#define TLS_CIPHERTEXT_MAX	(TLS_RECORD_MAX + 256)	/* protected record body (§5.2) */
#define TLS_TAG_LEN		16			/* both suites' AEAD tag */

/* Input: room for one whole record of the largest size, so a record never
 * waits for room that will not come. */
#define TLS_IN_SIZE		(TLS_RECORD_HDR + TLS_CIPHERTEXT_MAX)

/* Output: one protected record of TLS_RECORD_MAX plaintext (plus its inner
 * content type and tag), with room before it for the plaintext records of
 * a server flight (ServerHello or HelloRetryRequest, change_cipher_spec)
 * and after it for an alert. The whole first flight fits: ServerHello, then
 * EncryptedExtensions, Certificate, CertificateVerify and Finished in one
 * protected record; this bounds the Certificate message (TLS_CERT_MSG_MAX). */
#define TLS_OUT_SIZE		(TLS_RECORD_HDR + TLS_RECORD_MAX + 1 + TLS_TAG_LEN + 512)

/* The largest handshake message accepted (a ClientHello; browsers' post-
 * quantum key shares make them 1.5-2 KB): a larger one is refused with
 * illegal_parameter, as OpenSSL and BoringSSL do. Also the size of the
 * scratch buffer tls_advance() reassembles handshake messages in. */
#define TLS_HS_MAX		16384

/* The Certificate message body (§4.4.2: context and certificate_list) that
 * fits in the first flight's protected record beside the other messages. */
#define TLS_CERT_MSG_MAX	(TLS_RECORD_MAX - 512)

/* What the server offers, the same for every connection of a worker. */
struct tls_config {
	const uint8_t *cert_msg;	/* Certificate message body (§4.4.2) */
	size_t cert_msg_len;		/* <= TLS_CERT_MSG_MAX */
	int aes_gcm;			/* the CPU runs AES-GCM (aesgcm_available()) */
};

/* Cipher suites (§B.4) and named groups (§4.2.7), as negotiated. */
#define TLS_AES_128_GCM_SHA256		0x1301
#define TLS_CHACHA20_POLY1305_SHA256	0x1303
#define TLS_GROUP_SECP256R1		0x0017
#define TLS_GROUP_X25519		0x001d

/* Alert descriptions sent (§6) */
enum tls_alert {
	TLS_ALERT_CLOSE_NOTIFY = 0,
	TLS_ALERT_UNEXPECTED_MESSAGE = 10,
	TLS_ALERT_BAD_RECORD_MAC = 20,
	TLS_ALERT_RECORD_OVERFLOW = 22,
	TLS_ALERT_HANDSHAKE_FAILURE = 40,
	TLS_ALERT_ILLEGAL_PARAMETER = 47,
	TLS_ALERT_DECODE_ERROR = 50,
	TLS_ALERT_DECRYPT_ERROR = 51,
	TLS_ALERT_PROTOCOL_VERSION = 70,
	TLS_ALERT_INTERNAL_ERROR = 80,
	TLS_ALERT_MISSING_EXTENSION = 109,
	TLS_ALERT_NO_APPLICATION_PROTOCOL = 120,
};

/* tls_advance() results */
enum tls_status {
	TLS_NEED_INPUT,		/* nothing more happens until bytes arrive (or tls_out() drains) */
	TLS_NEED_SIGNATURE,	/* the handshake waits for the CertificateVerify signature of
				 * tls_sign_hash(t): ask the signer, then tls_signed() */
	TLS_APP_DATA,		/* application data is ready: tls_app_data() */
	TLS_PEER_CLOSED,	/* the client sent close_notify: no more data comes */
	TLS_FAILED,		/* a fatal alert is queued (tls_out() holds it), or one came
				 * in: send what is queued, then close */
};

/* The engine's own state is tls_engine.c's business; its size is fixed and
 * it holds no pointers, so the caller keeps one per connection in a table
 * made at start-up (src/tls_io.c). */
struct tls_conn;

/* Bytes of one struct tls_conn: the state, TLS_IN_SIZE and TLS_OUT_SIZE. */
size_t tls_conn_size(void);

/* Start a connection. random: 64 fresh bytes from getrandom(2) (the server
 * random and the ephemeral private key). */
void tls_init(struct tls_conn *t, const uint8_t random[64]);

/* Where the next bytes from the socket go, and how many fit (0: none now;
 * then the engine needs tls_advance() or the application to consume). */
uint8_t *tls_in_room(struct tls_conn *t, size_t *room);
/* n bytes were written at tls_in_room(). */
void tls_in_add(struct tls_conn *t, size_t n);

/*
 * Process what has arrived: handshake messages, change_cipher_spec, alerts,
 * protected records (decrypted one at a time, when the application has
 * consumed the previous one's data). scratch: TLS_HS_MAX bytes, unused by
 * the caller until the handshake is complete, where handshake messages are
 * reassembled across records. Returns an enum tls_status.
 */
int tls_advance(struct tls_conn *t, const struct tls_config *cfg, uint8_t *scratch);

/* The SHA-256 transcript hash the CertificateVerify signs (§4.4.3), valid
 * while tls_advance() says TLS_NEED_SIGNATURE. */
const uint8_t *tls_sign_hash(const struct tls_conn *t);
/* The signer's answer: a DER ECDSA-Sig-Value (at most 72 bytes), or
 * len 0 when the signer failed (the handshake then ends with
 * internal_error). Finishes the server's flight in tls_out(). */
void tls_signed(struct tls_conn *t, const uint8_t *sig, size_t len);

/* Bytes to send (*n of them; NULL and 0 when none), and how many the
 * socket took. */
const uint8_t *tls_out(struct tls_conn *t, size_t *n);
void tls_out_sent(struct tls_conn *t, size_t n);

/* Application data received: its first bytes and length (0: none now). */
const uint8_t *tls_app_data(struct tls_conn *t, size_t *len);
void tls_app_consume(struct tls_conn *t, size_t n);
/* 1 if a call to tls_advance() could make progress without new input
 * (undecrypted records are buffered), else 0. */
int tls_has_buffered(const struct tls_conn *t);

/* Application data to send: where to put it and how much fits in the
 * record being built (NULL and 0 while the handshake is not complete,
 * while protected bytes wait in tls_out(), or after close). */
uint8_t *tls_app_room(struct tls_conn *t, size_t *room);
void tls_app_fill(struct tls_conn *t, size_t n);
/* Protect the record being built, if it holds any bytes: it moves to
 * tls_out(). (Also done by tls_app_fill() when the record is full.) */
void tls_app_seal(struct tls_conn *t);

/* Queue a close_notify alert (after sealing a record being built). */
void tls_close_notify(struct tls_conn *t);

/* The connection is over (its socket is about to close): wipe its secrets
 * and the bytes it received and sent. Nothing more goes in or out. */
void tls_end(struct tls_conn *t);

/* 1 once the client's Finished has been verified. */
int tls_handshake_done(const struct tls_conn *t);
/* The negotiated suite and group (0 before the ServerHello), for the log. */
unsigned tls_suite(const struct tls_conn *t);
unsigned tls_group(const struct tls_conn *t);

#endif
