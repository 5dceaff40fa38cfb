/*
 * engine.h - the state of one TLS 1.3 server connection, shared by the
 * record layer and API (tls_engine.c) and the handshake (server13.c).
 * Nothing outside src/tls/ includes it: tls.h keeps the type opaque.
 */
#ifndef SCRATCHD_TLS_ENGINE_H
#define SCRATCHD_TLS_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "tls.h"
#include "wire.h"
#include "keysched.h"
#include "record.h"
#include "transcript.h"

/* One expected message (or event) per state (after picotls). */
enum tls_state {
	ST_CLIENT_HELLO,	/* waiting for the ClientHello */
	ST_CLIENT_HELLO2,	/* HelloRetryRequest sent: waiting for the second ClientHello */
	ST_SIGNATURE,		/* the flight waits for the CertificateVerify signature */
	ST_CLIENT_FINISHED,	/* the flight is sealed: waiting for the client's Finished */
	ST_CONNECTED,		/* application data, KeyUpdate */
	ST_PEER_CLOSED,		/* close_notify received: no more input */
	ST_FAILED,		/* a fatal alert was sent or received */
};

/* Handlers' result besides an enum tls_status: go on with the next record. */
#define TLS_CONTINUE	(-1)

/* Handshake message types (§4) */
#define HS_CLIENT_HELLO		1
#define HS_SERVER_HELLO		2
#define HS_ENCRYPTED_EXTENSIONS	8
#define HS_CERTIFICATE		11
#define HS_CERTIFICATE_VERIFY	15
#define HS_FINISHED		20
#define HS_KEY_UPDATE		24

/* Output kept free for alerts: a protected alert is 5 + 2 + 1 + 16 bytes, and
 * close_notify may be followed by a fatal one. */
#define TLS_ALERT_ROOM	(2 * (5 + 2 + 1 + TLS_TAG_LEN))

struct tls_conn {
	uint8_t state;			/* enum tls_state */
	uint8_t done;			/* the client's Finished is verified */
	uint8_t sent_ccs;		/* our one change_cipher_spec is out (§D.4) */
	uint8_t early_data;		/* 0-RTT was offered: skip what does not open (§4.2.10) */
	uint8_t key_update;		/* send KeyUpdate before our next record (§4.6.3) */
	uint8_t closed;			/* our close_notify is queued */
	uint16_t suite;			/* negotiated cipher suite, 0 before */
	uint16_t group;			/* negotiated group, 0 before */
	uint32_t early_skipped;		/* 0-RTT bytes skipped */
	uint32_t hs_len;		/* bytes of the handshake message being reassembled */
	uint32_t in_start, in_end;	/* unprocessed input: in[in_start..in_end) */
	uint32_t app_start, app_len;	/* application data for the caller, in in[] */
	uint32_t out_start, out_end;	/* output to send: out[out_start..out_end) */
	uint32_t rec_len;		/* content bytes of the protected record being
					 * built at out + out_end + 5 */
	uint32_t in_used, out_used;	/* high-water marks: the bytes of in[] and out[]
					 * this connection wrote, wiped when it ends */
	uint8_t post_hs[8];		/* post-handshake reassembly: KeyUpdate is 5 bytes */
	struct transcript tr;
	uint8_t ch1_digest[SHA256_LEN];	/* the first ClientHello, for the second (§4.1.2) */
	uint8_t random[32];		/* ServerHello.random */
	uint8_t sign_hash[SHA256_LEN];	/* what CertificateVerify signs (§4.4.3) */

	/* secrets, each wiped as soon as it is no longer needed */
	uint8_t eph_key[32];		/* ephemeral (EC)DHE private key, until the ServerHello */
	uint8_t server_finished_key[TLS_SECRET_LEN];	/* until our Finished */
	uint8_t client_finished_key[TLS_SECRET_LEN];	/* until our Finished */
	uint8_t client_verify[SHA256_LEN];		/* the client's Finished, until it comes */
	struct ks_master master;			/* until our Finished */
	uint8_t read_secret[TLS_SECRET_LEN];		/* client_application_traffic_secret_N */
	uint8_t write_secret[TLS_SECRET_LEN];		/* server_application_traffic_secret_N */
	struct tls_cipher read, write;

	uint8_t in[TLS_IN_SIZE];
	uint8_t out[TLS_OUT_SIZE];
};

/* tls_engine.c, for server13.c */

/* Note how far into out[] the connection has written (out_used), after
 * out_end or rec_len grew. */
void tls_out_note(struct tls_conn *t);

/* Queue the alert (plaintext or protected, as the keys are), wipe the
 * secrets, fail for good. Returns TLS_FAILED. */
int tls_fail(struct tls_conn *t, int alert);
/* A writer over the free output, less the room kept for an alert. */
struct wr tls_out_space(struct tls_conn *t);
/* n bytes written at tls_out_space() are ready to send. */
void tls_out_commit(struct tls_conn *t, size_t n);

/* server13.c, for tls_engine.c */

/* A whole ClientHello (header included). Returns TLS_NEED_SIGNATURE,
 * TLS_CONTINUE (after a HelloRetryRequest) or TLS_FAILED. */
int tls13_client_hello(struct tls_conn *t, const struct tls_config *cfg, const uint8_t *msg, size_t n);
/* The signature came: CertificateVerify, Finished, seal the flight. */
void tls13_signed(struct tls_conn *t, const uint8_t *sig, size_t len);
/* The client's whole Finished message. Returns TLS_CONTINUE or TLS_FAILED. */
int tls13_client_finished(struct tls_conn *t, const uint8_t *msg, size_t n);

#endif
