/* err.h - what an errno value means, in words (for messages to operators). */
#ifndef SCRATCHD_ERR_H
#define SCRATCHD_ERR_H

#include "str.h"

/* The strerror(3)-style text for the errno value err (positive or negative),
 * e.g. "address already in use"; "error N" style "unknown error" otherwise. */
struct str err_message(long err);

#endif
