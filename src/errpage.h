/*
 * errpage.h - error responses: the operator's page for the status
 * (--error-page CODE=PATH, a file inside the root) or the built-in one
 * (response.c), for the file layer and the event loop alike.
 */
#ifndef SCRATCHD_ERRPAGE_H
#define SCRATCHD_ERRPAGE_H

#include <stdint.h>
#include "body.h"
#include "str.h"

#define ERRPAGE_MIN	400	/* the statuses a page may be given for */
#define ERRPAGE_MAX	599

/* --error-page CODE=PATH: CODE from 400 to 599, given once; PATH as
 * site_normalize_option_path takes it. Returns 0, -EINVAL or -EEXIST (the
 * code was given already), -ENAMETOOLONG. */
int errpage_set(const char *spec);

/* The root the pages are opened beneath (set once, at start-up). */
void errpage_set_root(int root);

/*
 * Write the error response for status into ob: the operator's page when
 * there is one and it is a regular file beneath the root (its bytes behind
 * the head, or in *body for sendfile when they do not fit), else the
 * built-in page showing path (the request's, or NULL). extra: field lines
 * for the head ("Allow: ...\r\n", "Content-Range: ...\r\n"), or empty.
 * now: the Unix second (for the file cache). Returns status.
 */
int errpage_respond(struct outbuf *ob, int status, const char *date, int64_t now, int keep_alive,
		    int head_only, struct str extra, struct str path, struct file_body *body);

#endif
