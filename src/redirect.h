/* redirect.h - the --redirect-http listener: every request gets a 308 to the
 * same path on https:// (RFC 9110 §15.4.9: the method and body are kept). */
#ifndef SCRATCHD_REDIRECT_H
#define SCRATCHD_REDIRECT_H

#include <stdint.h>
#include "http.h"
#include "str.h"

/* Where redirects point: the TLS listener's port (443 is left out of the
 * URL), and the host for a request that names none (HTTP/1.0 without Host):
 * the address listened on, or NULL for none (then such requests get 400). */
void redirect_set(uint16_t tls_port, const char *fallback_host);

/* Answer req: a 308 with Location https://HOST[:PORT]/PATH?QUERY, or 400
 * when there is no usable host. Returns the status. */
int redirect_respond(const struct http_request *req, const char *date, int keep_alive, struct outbuf *ob);

#endif
