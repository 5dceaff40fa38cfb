/* mimefile.h - --mime-types FILE: read at start-up, before any chroot. */
#ifndef SCRATCHD_MIMEFILE_H
#define SCRATCHD_MIMEFILE_H

#include "str.h"

/* Read FILE (at most MIME_FILE_MAX bytes) and hand it to mime_load().
 * Returns 0, or -errno with the reason in why ("line 7: not a media type
 * ...", "larger than 262144 bytes", or nothing: err_message says it). */
int mime_types_load(const char *path, struct outbuf *why);

#endif
