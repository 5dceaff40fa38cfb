/*
 * redirect.c - answers on the --redirect-http listener. The Location is
 * built from the request: the Host field's name (RFC 9110 §7.2; its port
 * is dropped, the TLS port added), the path and the query as sent. The host
 * is checked to be an RFC 3986 §3.2.2 reg-name, IPv4 address or [IP-literal]
 * made of the characters those allow, so the Location cannot be made to
 * say something else; anything else gets 400.
 */
#include "redirect.h"
#include "mem.h"
#include "response.h"

static uint16_t https_port = 443;
static char fallback[IPV6_TEXT_MAX + 3];	/* "[v6]" or IPv4, or empty */
static size_t fallback_len;

void redirect_set(uint16_t tls_port, const char *fallback_host)
{
	size_t n = fallback_host ? cstr_len(fallback_host) : 0;

	https_port = tls_port;
	fallback_len = 0;
	if (n == 0 || n > IPV6_TEXT_MAX)
		return;
	int v6 = 0;
	for (size_t i = 0; i < n; i++)
		v6 |= fallback_host[i] == ':';
	if (v6)
		fallback[fallback_len++] = '[';
	for (size_t i = 0; i < n; i++)
		fallback[fallback_len++] = fallback_host[i];
	if (v6)
		fallback[fallback_len++] = ']';
}

/* The host part of a Host value, without its port; empty if malformed. */
static struct str host_name(struct str h)
{
	size_t end = h.n;

	if (h.n && h.p[0] == '[') {		/* IP-literal: hex digits, ':' and '.' */
		size_t i = 1;

		while (i < h.n && (hex_value((unsigned char)h.p[i]) >= 0 || h.p[i] == ':' || h.p[i] == '.'))
			i++;
		if (i == 1 || i == h.n || h.p[i] != ']')
			return (struct str){ h.p, 0 };
		end = i + 1;
	} else {				/* reg-name or IPv4: unreserved characters */
		end = 0;
		while (end < h.n) {
			unsigned char c = (unsigned char)h.p[end];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      c == '-' || c == '.' || c == '_' || c == '~'))
				break;
			end++;
		}
		if (end == 0)
			return (struct str){ h.p, 0 };
	}
	if (end < h.n) {			/* ":" port, digits only */
		if (h.p[end] != ':')
			return (struct str){ h.p, 0 };
		for (size_t i = end + 1; i < h.n; i++)
			if (h.p[i] < '0' || h.p[i] > '9')
				return (struct str){ h.p, 0 };
	}
	return (struct str){ h.p, end };
}

int redirect_respond(const struct http_request *req, const char *date, int keep_alive, struct outbuf *ob)
{
	struct str host = req->host.n ? host_name(req->host) : (struct str){ fallback, fallback_len };
	static char location[8 + 256 + 6 + HTTP_MAX_HEAD] SCRATCH_BUFFER;
	struct outbuf loc;

	if (host.n == 0 || host.n > 255 || req->path.n == 0) {
		resp_error(ob, 400, date, keep_alive, req->method_id == HTTP_HEAD, STR(""));
		return 400;
	}
	ob_init(&loc, location, sizeof(location));
	OB_LIT(&loc, "https://");
	ob_str(&loc, host);
	if (https_port != 443) {
		OB_LIT(&loc, ":");
		ob_u64(&loc, https_port);
	}
	ob_str(&loc, req->path);
	if (req->query.p) {
		OB_LIT(&loc, "?");
		ob_str(&loc, req->query);
	}
	resp_begin(ob, 308, date);
	resp_header(ob, STR("Location"), (struct str){ loc.p, loc.len });
	resp_end(ob, 0, keep_alive);
	return 308;
}
