/*
 * transcript.c - the transcript hash (RFC 8446 §4.4.1), with the
 * HelloRetryRequest rewrite:
 *	Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
 *	    Hash(message_hash ||  00 00 Hash.length || Hash(ClientHello1) ||
 *		 HelloRetryRequest || ... || Mn)
 *
 * Handshake messages are public: nothing here is secret or needs wiping.
 */
#include "transcript.h"

#define HS_MESSAGE_HASH	254	/* HandshakeType message_hash (§4) */

void tr_init(struct transcript *tr)
{
	sha256_init(&tr->h);
}

void tr_add(struct transcript *tr, const uint8_t *msg, size_t n)
{
	sha256_update(&tr->h, msg, n);
}

void tr_hash(const struct transcript *tr, uint8_t out[SHA256_LEN])
{
	struct sha256 snapshot = tr->h;

	sha256_final(&snapshot, out);
}

void tr_hello_retry(struct transcript *tr)
{
	uint8_t msg[4 + SHA256_LEN] = { HS_MESSAGE_HASH, 0, 0, SHA256_LEN };

	sha256_final(&tr->h, msg + 4);
	sha256_init(&tr->h);
	sha256_update(&tr->h, msg, sizeof(msg));
}
