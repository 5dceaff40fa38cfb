/*
 * cond.h - conditional requests (RFC 9110 §13) and byte ranges (§14).
 *
 * Pure functions over field values: no system calls, no allocation. They
 * answer "does this validator match" and "which bytes were asked for";
 * file.c decides the status in the order of RFC 9110 §13.2.2.
 */
#ifndef SCRATCHD_COND_H
#define SCRATCHD_COND_H

#include <stddef.h>
#include <stdint.h>
#include "str.h"

/*
 * Parse an HTTP-date (RFC 9110 §5.6.7): an IMF-fixdate, or one of the
 * obsolete RFC 850 and asctime forms. now (Unix seconds) decides the century
 * of an RFC 850 two-digit year. Returns 0 and sets *t (Unix seconds), or -1
 * if s is not exactly one valid date.
 */
int http_date_parse(struct str s, int64_t now, int64_t *t);

/* An entity-tag as scratchd makes them: two quotes, four hex numbers and
 * three separators. */
#define ETAG_MAX	(2 + 4 * U64_HEX_MAX + 3)

/*
 * The strong entity-tag of a file, "inode-size-mtime.nsec" in hex, into
 * out[ETAG_MAX]; returns its length. Strong: any write(2) to the file
 * changes its mtime (RFC 9110 §8.8.3).
 */
size_t etag_format(char *out, uint64_t ino, uint64_t size, int64_t mtime, int64_t mtime_nsec);

/* The time to send as Last-Modified and to compare If-(Un)Modified-Since
 * with: the file's mtime, but never later than now, the time in Date. A
 * future mtime (a skewed clock, or a file written since the last tick)
 * MUST be replaced with the Date (RFC 9110 §8.8.2.1). */
static inline int64_t last_modified(int64_t mtime, int64_t now)
{
	return mtime < now ? mtime : now;
}

/*
 * Match the current entity-tag etag (as sent in ETag, e.g. "\"x\"") against
 * an If-None-Match or If-Match field value: "*" or a list of entity-tags
 * (RFC 9110 §8.8.3). strong: 0 for the weak comparison (If-None-Match,
 * §13.1.2), 1 for the strong one (If-Match, §13.1.1). Returns 1 if a member
 * matches (or the value is "*"), 0 if none does, -1 if the value is malformed.
 */
int etag_list_match(struct str field, struct str etag, int strong);

/*
 * Evaluate an If-Range field value (RFC 9110 §13.1.5) for a representation
 * with entity-tag etag and modification time mtime, at time now (seconds).
 * Returns 1 when the Range may be honoured: a strong entity-tag that strongly
 * matches, or an HTTP-date equal to mtime that is a strong validator (mtime
 * earlier than now, §8.8.2.2). Returns 0 for anything else, malformed included.
 */
int if_range_match(struct str field, struct str etag, int64_t mtime, int64_t now);

/* What a Range field asks of a representation (RFC 9110 §14.2). */
enum range_kind {
	RANGE_NONE,		/* malformed, another unit, or too many ranges: ignore, 200 */
	RANGE_SINGLE,		/* one satisfiable range (after coalescing): 206 */
	RANGE_UNSATISFIABLE,	/* no range inside the data: 416 */
	RANGE_MULTIPLE,		/* several: 206 multipart/byteranges (§14.6) */
};

/* One byte range, both ends included (first <= last < size). */
struct byte_range {
	uint64_t first;
	uint64_t last;
};

/* Positions above this are refused as malformed: a file offset is an off_t. */
#define RANGE_POS_MAX	((uint64_t)INT64_MAX)

/* Ranges in one Range field, at most. A field with more is ignored and the
 * whole file is sent (200), as nginx's max_ranges does: each part costs a
 * part header and a sendfile, and §14.2 lets a server refuse many small
 * ranges (a sign of a broken client or an attack). */
#define RANGE_MAX	16

/*
 * Parse a Range field value (RFC 9110 §14.1.1, §14.1.2) for a representation
 * of size bytes into r[RANGE_MAX], clamped to size; *count is how many.
 * Unsatisfiable members are dropped; overlapping or adjacent ranges are
 * coalesced (§14.3 allows it "regardless of the order"), the others keep
 * the order they were asked in (§14.6). RANGE_SINGLE: r[0] is the range.
 */
enum range_kind range_parse(struct str field, uint64_t size, struct byte_range *r, unsigned *count);

#endif
