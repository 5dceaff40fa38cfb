/*
 * mime.h - Content-Type from a file name's extension.
 *
 * Three sources, the first that knows an extension (any case) wins:
 *	--mime EXT=TYPE        the operator's, sent as written
 *	--mime-types FILE      a file in /etc/mime.types format (mimefile.c)
 *	the built-in table     the types a browser treats specially (mime.c)
 * Text types from the table and the file carry "; charset=utf-8"; an
 * unknown extension is application/octet-stream.
 */
#ifndef SCRATCHD_MIME_H
#define SCRATCHD_MIME_H

#include <stddef.h>
#include "str.h"

#define MIME_EXTRA_MAX	32		/* --mime entries */
#define MIME_FILE_MAX	(256 * 1024)	/* bytes of a --mime-types file */
#define MIME_FILE_EXTS	4096		/* extensions a --mime-types file may name */
#define MIME_EXT_MAX	32		/* bytes in one extension */
#define MIME_TYPE_MAX	127		/* bytes in one media type (RFC 6838 §4.2: each of
					 * type and subtype is at most 127; we hold the pair
					 * to 127 in all) */

/* The media type for name's extension. */
struct str mime_type(struct str name);

/* Map extension ext (without the dot) to type; both must outlive the
 * process (argv). Returns 0, -EINVAL for an empty or odd ext or a type with
 * control bytes, -ENOBUFS past MIME_EXTRA_MAX entries. */
int mime_add(struct str ext, struct str type);

/* The buffer a --mime-types file is read into (MIME_FILE_MAX bytes): its
 * entries point into it for the life of the process. */
char *mime_file_buffer(void);

/*
 * Take the len bytes read into mime_file_buffer(): lines of "TYPE EXT...",
 * blank lines and '#' comments. A type must be TOKEN/TOKEN (at most
 * MIME_TYPE_MAX bytes), an extension tokens joined by single dots
 * ("cwl.json"; at most MIME_EXT_MAX bytes): a name takes the type of its
 * longest such suffix. An extension named twice keeps its first type. Returns 0,
 * or -EINVAL (a bad line: *line is its number, *what says why) or -ENOBUFS
 * (more than MIME_FILE_EXTS extensions). Pure.
 */
int mime_load(size_t len, size_t *line, const char **what);

/* 1 when name's extension is in the built-in table and is not a document
 * (HTML, XHTML): a script, style, image, font, media file or archive, which
 * --fallback must not answer with a page. */
int mime_is_asset(struct str name);

#endif
