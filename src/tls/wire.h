/*
 * wire.h - the TLS presentation language (RFC 8446 §3.3-3.4): big-endian
 * integers of 1, 2 and 3 bytes and vectors with a 1, 2 or 3-byte length
 * prefix, read from and written to fixed buffers.
 *
 * Reading: every length taken from the input is checked against what is
 * left before anything is read through it; a failed read leaves the
 * reader unchanged. Writing: a failed write (no room, or a vector too long
 * for its length prefix) sets a sticky error, so a message is written
 * straight through and checked once at the end.
 *
 * No secrets pass through here (constant time is not a concern).
 */
#ifndef SCRATCHD_TLS_WIRE_H
#define SCRATCHD_TLS_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include "../mem.h"

/* The unread bytes p[0..n). */
struct rd {
	const uint8_t *p;
	size_t n;
};

/* Read an integer of width bytes (1 to 3). Returns 0, or -1 if fewer are left. */
static inline int rd_uint(struct rd *r, size_t width, size_t *v)
{
	size_t x = 0;

	if (r->n < width)
		return -1;
	for (size_t i = 0; i < width; i++)
		x = x << 8 | r->p[i];
	r->p += width;
	r->n -= width;
	*v = x;
	return 0;
}

static inline int rd_u8(struct rd *r, size_t *v)
{
	return rd_uint(r, 1, v);
}

static inline int rd_u16(struct rd *r, size_t *v)
{
	return rd_uint(r, 2, v);
}

static inline int rd_u24(struct rd *r, size_t *v)
{
	return rd_uint(r, 3, v);
}

/* The next n bytes as *p. Returns 0, or -1 if fewer are left. */
static inline int rd_bytes(struct rd *r, size_t n, const uint8_t **p)
{
	if (r->n < n)
		return -1;
	*p = r->p;
	r->p += n;
	r->n -= n;
	return 0;
}

/* A vector with a width-byte length prefix, as a sub-reader over its body.
 * Returns 0, or -1 (r unchanged) if the prefix or the body is cut short. */
static inline int rd_vec(struct rd *r, size_t width, struct rd *sub)
{
	struct rd save = *r;
	size_t n;

	if (rd_uint(r, width, &n) < 0 || rd_bytes(r, n, &sub->p) < 0) {
		*r = save;
		return -1;
	}
	sub->n = n;
	return 0;
}

/* Output into p[0..cap): len bytes written so far; err set once a write
 * did not fit (later writes then do nothing). */
struct wr {
	uint8_t *p;
	size_t cap;
	size_t len;
	int err;
};

static inline struct wr wr_init(uint8_t *p, size_t cap)
{
	return (struct wr){ p, cap, 0, 0 };
}

static inline void wr_uint(struct wr *w, size_t width, size_t v)
{
	if (w->err || w->cap - w->len < width) {
		w->err = 1;
		return;
	}
	for (size_t i = width; i-- > 0; v >>= 8)
		w->p[w->len + i] = (uint8_t)v;
	w->len += width;
}

static inline void wr_u8(struct wr *w, size_t v)
{
	wr_uint(w, 1, v);
}

static inline void wr_u16(struct wr *w, size_t v)
{
	wr_uint(w, 2, v);
}

static inline void wr_u24(struct wr *w, size_t v)
{
	wr_uint(w, 3, v);
}

static inline void wr_bytes(struct wr *w, const void *src, size_t n)
{
	if (w->err || w->cap - w->len < n) {
		w->err = 1;
		return;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

/* Start a vector with a width-byte length prefix; returns where the prefix
 * is, for wr_close(). */
static inline size_t wr_open(struct wr *w, size_t width)
{
	size_t at = w->len;

	wr_uint(w, width, 0);
	return at;
}

/* End the vector opened at at: back-fill its length, or set the error if
 * the body is too long for the prefix. */
static inline void wr_close(struct wr *w, size_t at, size_t width)
{
	size_t n = w->len - at - width;

	if (w->err || (width < sizeof(size_t) && n >> (8 * width) != 0)) {
		w->err = 1;
		return;
	}
	for (size_t i = width; i-- > 0; n >>= 8)
		w->p[at + i] = (uint8_t)n;
}

#endif
