/* listing.h - an HTML index of a directory that has no index.html. */
#ifndef SCRATCHD_LISTING_H
#define SCRATCHD_LISTING_H

#include "file.h"
#include "http.h"
#include "str.h"

#define LISTING_MAX_ENTRIES	4096		/* names listed; more are counted, not shown */
#define LISTING_NAMES_SIZE	(256 * 1024)	/* bytes of names kept */
#define LISTING_HTML_SIZE	(1024 * 1024)	/* bytes of HTML, at most */

/* Append s to ob with & < > " ' as HTML character references. */
void html_escape(struct outbuf *ob, struct str s);

/* Append s to ob percent-encoded for use in a URL path segment: everything
 * but RFC 3986 unreserved characters becomes %HH. */
void url_encode(struct outbuf *ob, struct str s);

/*
 * Answer with a listing of the open directory dirfd, whose URL (as sent,
 * percent-encoded, ending in '/') is req->path: names sorted, HTML-escaped,
 * links percent-encoded, sizes, directories marked with '/'. The page is
 * written to a memfd that becomes *body, and the head goes into ob.
 * Returns the status (200, or 500 when the directory cannot be read).
 */
int listing_respond(int dirfd, const struct http_request *req, const char *date, int keep_alive,
		    struct outbuf *ob, struct file_body *body);

#endif
