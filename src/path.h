/* path.h - turning a decoded URL path into a path relative to the root. */
#ifndef SCRATCHD_PATH_H
#define SCRATCHD_PATH_H

#include <stddef.h>
#include "str.h"

/*
 * Normalise the decoded path in (which starts with '/') into out, relative to
 * the document root and NUL-terminated: "//" collapse, "." segments go, ".."
 * removes the segment before it. The root itself is ".". out needs room for
 * in.n + 2 bytes; it may be in.p itself (every write lands before the byte
 * being read: the output drops at least the leading '/'). Returns the length (without the NUL), or -EINVAL when a
 * ".." would climb above the root, the path does not start with '/', or it
 * holds a NUL byte. (The kernel confines the open as well: this only decides
 * which name is asked for.)
 */
long path_normalize(struct str in, char *out);

#endif
