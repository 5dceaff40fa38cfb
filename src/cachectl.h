/*
 * cachectl.h - the Cache-Control of file responses (200, 206, 304):
 * --cache-control 'PATTERN=VALUE' rules, first match wins, else
 * "no-cache": the browser keeps the file but asks again each time (a 304
 * when nothing changed), so an edit is never hidden behind heuristic
 * freshness (RFC 9111 §4.2.2). Pure.
 */
#ifndef SCRATCHD_CACHECTL_H
#define SCRATCHD_CACHECTL_H

#include "str.h"

#define CACHECTL_RULES_MAX	32	/* --cache-control rules */
#define CACHECTL_VALUE_MAX	256	/* bytes in one VALUE */

/*
 * Add the rule spec, "PATTERN=VALUE" (argv: it must outlive the process).
 * PATTERN is "*.EXT" (the name ends in .EXT, any case; EXT may hold dots:
 * "*.tar.gz") or "/PREFIX/" then "*" (the path starts with /PREFIX/; "/"
 * then "*" is every path). VALUE: 1 to CACHECTL_VALUE_MAX visible characters, spaces and
 * tabs; no CR, LF or other control byte (RFC 9110 §5.5). Returns 0,
 * -EINVAL, or -ENOBUFS past CACHECTL_RULES_MAX rules.
 */
int cachectl_add(const char *spec);

/* How many rules there are. */
int cachectl_count(void);

/* No default: --header gives every response a Cache-Control already. */
void cachectl_no_default(void);

/* The value for the file at path (normalised, relative to the root), or
 * an empty slice for none. */
struct str cachectl_value(struct str path);

#endif
