/* mime.h - Content-Type from a file name's extension. */
#ifndef SCRATCHD_MIME_H
#define SCRATCHD_MIME_H

#include "str.h"

#define MIME_EXTRA_MAX 32	/* --mime entries */

/* The media type for name's extension (any case): an entry added with
 * mime_add() first, then the built-in table (text types carry
 * "; charset=utf-8"); unknown -> "application/octet-stream". */
struct str mime_type(struct str name);

/* Map extension ext (without the dot) to type; both must outlive the
 * process (argv). Returns 0, -EINVAL for an empty or odd ext or a type with
 * control bytes, -ENOBUFS past MIME_EXTRA_MAX entries. */
int mime_add(struct str ext, struct str type);

#endif
