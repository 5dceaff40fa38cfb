/*
 * pem.h - the textual encoding of certificates and keys (RFC 7468): base64
 * between "-----BEGIN LABEL-----" and "-----END LABEL-----" lines. Pure.
 */
#ifndef SCRATCHD_PEM_H
#define SCRATCHD_PEM_H

#include <stddef.h>
#include <stdint.h>
#include "../str.h"

/* Find the next PEM block in text[*pos..n): its label, and its contents
 * decoded into out (at most cap bytes; *len set). Text outside blocks is
 * skipped (RFC 7468 §2: "explanatory text"). Returns 1 for a block, 0 when
 * there is none left, -1 for a malformed block (unterminated, an END label
 * that does not match, bad base64), -2 for one larger than cap. *pos moves
 * past the block. */
int pem_next(const char *text, size_t n, size_t *pos, struct str *label, uint8_t *out, size_t cap,
	     size_t *len);

#endif
