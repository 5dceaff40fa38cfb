/*
 * listfmt.h - what a directory listing shows, as a person reads it: the
 * order of names, sizes and dates. Pure: no system calls.
 */
#ifndef SCRATCHD_LISTFMT_H
#define SCRATCHD_LISTFMT_H

#include <stddef.h>
#include <stdint.h>
#include "str.h"

/*
 * Natural order: runs of digits compare as numbers ("file2" < "file10"),
 * other bytes without ASCII case ("a" < "B"); names equal that way (a1,
 * a01; A, a) then compare byte by byte, so the order is total.
 * Returns < 0, 0 or > 0.
 */
int natural_cmp(struct str a, struct str b);

#define SIZE_TEXT_MAX 24	/* "1023.9 KiB", "18446744073709551615 B" */

/* A size for people into out[SIZE_TEXT_MAX]: "0 B" to "1023 B", then one
 * decimal and a binary unit, rounded: "5.0 MiB", "1.5 KiB" ... "16.0 EiB".
 * Returns the length. */
size_t fmt_size(char *out, uint64_t n);

#define ISO_DATE_LEN 20		/* "2026-11-22T05:04:03Z" */

/* The Unix time t in UTC as an RFC 3339 timestamp (ISO 8601), into
 * out[ISO_DATE_LEN]. Returns ISO_DATE_LEN, or 0 when its year is not in
 * 0000-9999 (RFC 3339 has four digits). */
size_t fmt_iso_date(char *out, int64_t t);

#endif
