/*
 * tls_store.h - the certificate chain the workers send, in memory shared
 * with the supervisor (MAP_SHARED, made before the fork): the supervisor
 * replaces it on SIGHUP, each worker copies it when it changes.
 *
 * A sequence lock: the writer makes seq odd, writes, makes it even again;
 * a reader copies, and keeps the copy only if seq was even and the same
 * before and after. The writer is one process (the supervisor) and writes
 * rarely; readers never block it and never see half a chain.
 */
#ifndef SCRATCHD_TLS_STORE_H
#define SCRATCHD_TLS_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "mem.h"
#include "tls/tls.h"

struct tls_store {
	uint32_t seq;				/* even: stable */
	uint32_t msg_len;			/* bytes of msg */
	uint8_t key_id[32];			/* the signer's name for the matching key */
	uint8_t msg[TLS_CERT_MSG_MAX];		/* the Certificate message body */
};

static inline void tls_store_publish(struct tls_store *st, const uint8_t *msg, size_t len,
				     const uint8_t key_id[32])
{
	uint32_t seq = st->seq;

	__atomic_store_n(&st->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(st->msg, msg, len);
	memcpy(st->key_id, key_id, 32);
	st->msg_len = (uint32_t)len;
	__atomic_store_n(&st->seq, seq + 2, __ATOMIC_RELEASE);
}

/* Copy the chain into msg (TLS_CERT_MSG_MAX bytes) and key_id if its
 * sequence is not *seen; returns 1 when copied (and updates *seen), 0 when
 * nothing changed. */
static inline int tls_store_fetch(const struct tls_store *st, uint32_t *seen, uint8_t *msg, size_t *len,
				  uint8_t key_id[32])
{
	for (;;) {
		uint32_t before = __atomic_load_n(&st->seq, __ATOMIC_ACQUIRE);

		if (before == *seen)
			return 0;
		if (before & 1)
			continue;	/* being written: a few microseconds */
		uint32_t n = st->msg_len;
		if (n > TLS_CERT_MSG_MAX)
			continue;
		memcpy(msg, st->msg, n);
		memcpy(key_id, st->key_id, 32);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&st->seq, __ATOMIC_RELAXED) != before)
			continue;
		*len = n;
		*seen = before;
		return 1;
	}
}

#endif
