/*
 * pem.c - PEM blocks (RFC 7468 §2-3) and their base64 (RFC 4648 §4).
 *
 * Strict where it matters: the END line must name the BEGIN line's label,
 * and the base64 must be canonical (padding only at the end, no stray
 * characters); whitespace and line breaks inside the body are allowed, as
 * RFC 7468 §3 ("laxtextualmsg") lets writers wrap lines anywhere.
 *
 * Keys pass through here: the caller wipes its buffers (the decoded output
 * is the key itself); this file keeps no copy.
 */
#include "pem.h"
#include "../mem.h"

static const char begin[] = "-----BEGIN ";
static const char end[] = "-----END ";
static const char dashes[] = "-----";

/* The value of base64 character c (RFC 4648 Table 1), or -1. */
static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64 s[0..n), skipping whitespace, into out. Returns the length,
 * -1 for bad base64, or -2 when it does not fit in cap bytes. */
static long b64_decode(const char *s, size_t n, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	size_t len = 0;
	unsigned bits = 0, pad = 0, chars = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int v;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			chars++;
			continue;
		}
		if (pad || (v = b64_value(c)) < 0)
			return -1;	/* data after padding, or not base64 */
		chars++;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (len == cap)
				return -2;
			out[len++] = (uint8_t)(acc >> bits);
		}
	}
	/* whole quantums only; padding as §4 says; the dropped bits zero */
	if (chars % 4 || pad > 2 || (pad && pad != (bits == 4 ? 2u : bits == 2 ? 1u : 99u)) ||
	    (acc & ((1u << bits) - 1)))
		return -1;
	return (long)len;
}

/* The index of the first occurrence of lit in s[from..n), or n. */
static size_t find(const char *s, size_t n, size_t from, const char *lit, size_t lit_len)
{
	for (size_t i = from; i + lit_len <= n; i++)
		if (memcmp(s + i, lit, lit_len) == 0)
			return i;
	return n;
}

int pem_next(const char *text, size_t n, size_t *pos, struct str *label, uint8_t *out, size_t cap,
	     size_t *len)
{
	size_t b = find(text, n, *pos, begin, sizeof(begin) - 1);

	if (b == n) {
		*pos = n;
		return 0;
	}
	size_t lab = b + sizeof(begin) - 1;
	size_t lab_end = find(text, n, lab, dashes, sizeof(dashes) - 1);
	if (lab_end == n)
		return -1;
	*label = (struct str){ text + lab, lab_end - lab };
	for (size_t i = 0; i < label->n; i++)
		if (label->p[i] == '\n' || label->p[i] == '\r')
			return -1;	/* the label ends its own line */
	size_t body = lab_end + sizeof(dashes) - 1;
	size_t e = find(text, n, body, end, sizeof(end) - 1);
	if (e == n)
		return -1;
	size_t elab = e + sizeof(end) - 1;
	if (n - elab < label->n + sizeof(dashes) - 1 || memcmp(text + elab, label->p, label->n) != 0 ||
	    memcmp(text + elab + label->n, dashes, sizeof(dashes) - 1) != 0)
		return -1;
	long got = b64_decode(text + body, e - body, out, cap);
	if (got < 0)
		return (int)got;
	*len = (size_t)got;
	*pos = elab + label->n + sizeof(dashes) - 1;
	return 1;
}
