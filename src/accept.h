/*
 * accept.h - proactive negotiation (RFC 9110 §12): which content coding of
 * a file (--precompressed) and which form of a listing (HTML or JSON) a
 * request prefers. Pure functions over field values: no system calls.
 *
 * Weights are qvalues times 1000 (§12.4.2): 0 = "not acceptable", 1000 = 1.
 */
#ifndef SCRATCHD_ACCEPT_H
#define SCRATCHD_ACCEPT_H

#include <stdint.h>
#include "str.h"

/* The codings scratchd can serve from files beside the original, in the
 * order of preference when weights tie (a smaller file first), then the
 * file itself. */
enum coding { CODING_BR, CODING_ZSTD, CODING_GZIP, CODING_IDENTITY, CODING_COUNT };

/* What Accept-Encoding said, field line by field line (one list, §5.3). */
struct coding_weights {
	int16_t q[CODING_COUNT];	/* -1: not named */
	int16_t star;			/* "*", or -1 */
	int bad;			/* a member did not parse: the field is ignored */
};

void coding_weights_init(struct coding_weights *w);

/* Add one Accept-Encoding field value: a list of codings, each with an
 * optional ";q=" weight; names compare without case; "x-gzip" is gzip
 * (§8.4.1.3). A coding named twice keeps its first weight. A member that
 * does not parse sets w->bad. */
void coding_weights_add(struct coding_weights *w, struct str value);

/*
 * The weight of coding c after every line was added (§12.5.3): its own,
 * else that of "*", else 0, except identity, which is acceptable unless
 * excluded, with the least weight (1): "gzip;q=0.5" still prefers gzip.
 */
int coding_weight(const struct coding_weights *w, enum coding c);

/*
 * The coding to serve: among those in available (bit 1 << c; identity is
 * always available), the one with the highest weight, ties broken by the
 * enum's order. When none is acceptable (identity excluded too), identity:
 * a response without a coding, never 406 (§12.5.3).
 */
enum coding coding_choose(const struct coding_weights *w, unsigned available);

/* What Accept says of the two forms of a listing. */
struct media_weights {
	int16_t q[2];		/* text/html, application/json: the weight of the
				 * most specific range that matched, or -1 */
	int8_t spec[2];		/* how specific that range was: 1 star/star,
				 * 2 type/star, 3 exact */
	int bad;
};

void media_weights_init(struct media_weights *m);

/* Add one Accept field value (§12.5.1): media ranges with parameters and
 * an optional weight. */
void media_weights_add(struct media_weights *m, struct str value);

/* 1 when JSON is strictly preferred to HTML: "Accept: application/json",
 * not a browser's text/html,...,star/star;q=0.8. A field that does not
 * parse, or none, means HTML. */
int media_prefers_json(const struct media_weights *m);

#endif
