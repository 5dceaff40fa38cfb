/*
 * listing.h - the index of a directory that has no index file: an HTML
 * page for people, or JSON for programs (Accept: application/json).
 */
#ifndef SCRATCHD_LISTING_H
#define SCRATCHD_LISTING_H

#include <stdint.h>
#include "body.h"
#include "http.h"
#include "str.h"

#define LISTING_MAX_ENTRIES	4096		/* names listed; more are counted, not shown */
#define LISTING_NAMES_SIZE	(256 * 1024)	/* bytes of names kept */
#define LISTING_PAGE_BUF	(64 * 1024)	/* the page is built here, and written to
						 * its memfd each time it is nearly full */

/*
 * Answer with a listing of the open directory dirfd, which is dir
 * (normalised, "." for the root) beneath root, and whose URL (as sent,
 * percent-encoded, ending in '/') is req->path. Listed: subdirectories
 * first, then files, each group in natural order (listfmt.h), with size and
 * modification time; a symlink as what it leads to, when that is a file or
 * directory beneath the root, else not at all; no name starting with '.'
 * unless --dotfiles. The page is written to a memfd that becomes *body,
 * and the head goes into ob. Returns the status (200, or an error's).
 */
int listing_respond(int root, int dirfd, struct str dir, const struct http_request *req,
		    const char *date, int64_t now, int keep_alive, struct outbuf *ob,
		    struct file_body *body);

#endif
