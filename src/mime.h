/* mime.h - Content-Type from a file name's extension. */
#ifndef SCRATCHD_MIME_H
#define SCRATCHD_MIME_H

#include "str.h"

/* The media type for name's extension (any case); text types carry
 * "; charset=utf-8"; unknown -> "application/octet-stream". */
struct str mime_type(struct str name);

#endif
