/* file.h - the response to a GET or HEAD: a file, a listing, a redirect
 * or an error, as site.c decided. */
#ifndef SCRATCHD_FILE_H
#define SCRATCHD_FILE_H

#include <stdint.h>
#include "beneath.h"
#include "body.h"
#include "http.h"
#include "str.h"

/*
 * Answer a GET or HEAD for req from the root directory fd root: write the
 * response head (and a small body) into ob and, for a body sent from a
 * file, set *body. Conditional requests, byte ranges (one, or several as
 * multipart/byteranges) and the site rules (site.h) are honoured.
 * date: the Date value (IMF_DATE_LEN bytes); now: the same time in seconds.
 * Returns the status (200, 206, 301, 304, 308, 400, 403, 404, 412, 416, ...).
 * When ob holds earlier responses (ob->len > 0 on entry) and this one does
 * not fit behind them, ob->overflow is set: try again with ob empty.
 */
int file_respond(int root, const struct http_request *req, const char *date, int64_t now,
		 int keep_alive, struct outbuf *ob, struct file_body *body);

#endif
