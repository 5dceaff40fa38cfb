/*
 * transcript.h - the handshake transcript hash (RFC 8446 §4.4.1): a running
 * SHA-256 over the handshake messages, read by snapshot at each point the
 * key schedule and Finished need it.
 */
#ifndef SCRATCHD_TLS_TRANSCRIPT_H
#define SCRATCHD_TLS_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include "../crypto/sha256.h"

struct transcript {
	struct sha256 h;
};

void tr_init(struct transcript *tr);
/* Add one whole handshake message, its 4-byte header included. */
void tr_add(struct transcript *tr, const uint8_t *msg, size_t n);
/* Transcript-Hash of the messages so far; tr goes on. */
void tr_hash(const struct transcript *tr, uint8_t out[SHA256_LEN]);
/* After a HelloRetryRequest is decided, the transcript holds ClientHello1
 * alone: replace it with message_hash (§4.4.1). */
void tr_hello_retry(struct transcript *tr);

#endif
