/*
 * http.c - HTTP/1.1 request parsing (RFC 9112), pure and zero-copy.
 *
 * Two paths:
 *  - the first call for a request (last_len == 0) parses straight through and
 *    returns HTTP_PARTIAL if it runs out of bytes, so a request that arrives
 *    in one read is scanned once;
 *  - later calls first look for the end of the head in the new bytes only
 *    and return HTTP_PARTIAL at once when there is none, so feeding a request
 *    one byte at a time stays linear (the slowloris case).
 *
 * Long runs (request target, field values) are checked 8 bytes at a time
 * with plain 64-bit arithmetic (SWAR), which needs no SIMD instructions and
 * works on every architecture; a hit falls back to a byte loop.
 *
 * Invariant of the scanning helpers: every pointer they return lies in
 * [p, end]; none reads *end.
 */
#include "http.h"
#include "mem.h"
#include "../syscall.h"

/* ---- character classes ------------------------------------------------ */

#define C_TCHAR		1	/* token (RFC 9110 §5.6.2) */
#define C_TARGET	2	/* VCHAR 0x21-0x7e: may appear in a request-target */
#define C_VALUE		4	/* field-content: VCHAR, obs-text, SP, HTAB (§5.5) */
#define C_HOST		8	/* uri-host [":" port] (RFC 3986 §3.2.2): unreserved,
				 * pct-encoded, sub-delims, ':' and IP-literal brackets */

#define TV	(C_TARGET | C_VALUE)
#define TVK	(C_TARGET | C_VALUE | C_TCHAR)
#define TVH	(C_TARGET | C_VALUE | C_HOST)
#define TVKH	(C_TARGET | C_VALUE | C_TCHAR | C_HOST)

/* Disjoint ranges, in byte order; unlisted bytes (CTLs, DEL) are 0. */
static const uint8_t char_class[256] = {
	['\t'] = C_VALUE,	[' '] = C_VALUE,
	['!'] = TVKH,		['"'] = TV,
	['#'] = TVK,		['$' ... '\''] = TVKH,
	['(' ... ')'] = TVH,	['*' ... '+'] = TVKH,
	[','] = TVH,		['-' ... '.'] = TVKH,
	['/'] = TV,		['0' ... '9'] = TVKH,
	[':'] = TVH,		[';'] = TVH,
	['<'] = TV,		['='] = TVH,
	['>' ... '@'] = TV,	['A' ... 'Z'] = TVKH,
	['['] = TVH,		['\\'] = TV,
	[']'] = TVH,		['^'] = TVK,
	['_'] = TVKH,		['`'] = TVK,
	['a' ... 'z'] = TVKH,	['{'] = TV,
	['|'] = TVK,		['}'] = TV,
	['~'] = TVKH,
	[0x80 ... 0xff] = C_VALUE,	/* obs-text */
};

static inline int has_class(unsigned char c, int class)
{
	return char_class[c] & class;
}

/* ---- 8 bytes at a time ------------------------------------------------ */

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* Nonzero if a byte of x is < n (n <= 128). A borrow can also flag bytes
 * above the first real hit, never below it: a hit is only a hint to look. */
#define HAS_LESS(x, n)	(((x) - ONES * (n)) & ~(x) & HIGHS)
/* Nonzero if a byte of x is > n (n <= 127); same caveat. */
#define HAS_MORE(x, n)	((((x) + ONES * (127 - (n))) | (x)) & HIGHS)
/* Nonzero if a byte of x equals c. */
#define HAS_BYTE(x, c)	HAS_LESS((x) ^ (ONES * (c)), 1)

static inline uint64_t load8(const char *p)
{
	uint64_t w;

	__builtin_memcpy(&w, p, 8);	/* one unaligned load, on every arch */
	return w;
}

/* Index (0-7) of the first flagged byte of a nonzero HAS_* mask. Borrows
 * only flag bytes after a real hit, so the first flag is exact. */
static inline unsigned first_flag(uint64_t mask)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (unsigned)__builtin_ctzll(mask) / 8;
#else
	return (unsigned)__builtin_clzll(mask) / 8;
#endif
}

/* First byte in [p, end) that is not C_TARGET (so SP, CTL, DEL, >= 0x80), or end. */
static const char *skip_target(const char *p, const char *end)
{
	while (end - p >= 8) {
		uint64_t w = load8(p);

		if (HAS_LESS(w, 0x21) | HAS_MORE(w, 0x7e))
			break;
		p += 8;
	}
	while (p < end && has_class((unsigned char)*p, C_TARGET))
		p++;
	return p;
}

/* Flags the bytes of w that may not appear in a field value: CTLs (HTAB
 * too, sorted out by the caller) and DEL. Exact for the first flag. */
static inline uint64_t value_stops(uint64_t w)
{
	return HAS_LESS(w, 0x20) | HAS_BYTE(w, 0x7f);
}

/* First byte in [p, end) that is not C_VALUE (so CR, LF, other CTL, DEL), or end. */
static const char *skip_value(const char *p, const char *end)
{
	/* Two words a step while there is room: values are long (cookies,
	 * user agents), and one branch per 16 bytes beats one per 8. */
	while (end - p >= 16) {
		uint64_t a = value_stops(load8(p)), b = value_stops(load8(p + 8));

		if ((a | b) == 0) {
			p += 16;
			continue;
		}
		p += a ? first_flag(a) : 8 + first_flag(b);
		if (*p != '\t')
			return p;
		p++;		/* a HTAB is part of the value */
	}
	while (p < end && has_class((unsigned char)*p, C_VALUE))
		p++;
	return p;
}

/* First byte in [p, end) that is not a tchar, or end. */
static const char *skip_token(const char *p, const char *end)
{
	/* four lookups, one branch */
	while (end - p >= 4 && (char_class[(unsigned char)p[0]] & char_class[(unsigned char)p[1]] &
				char_class[(unsigned char)p[2]] & char_class[(unsigned char)p[3]] & C_TCHAR))
		p += 4;
	while (p < end && has_class((unsigned char)*p, C_TCHAR))
		p++;
	return p;
}

/* The first byte c in [p, end), or end. */
static const char *find_byte(const char *p, const char *end, char c)
{
	while (end - p >= 8) {
		uint64_t hit = HAS_BYTE(load8(p), (unsigned char)c);

		if (hit)
			return p + first_flag(hit);
		p += 8;
	}
	while (p < end && *p != c)
		p++;
	return p;
}

/* The first '?' or '#' in [p, end), or end. */
static const char *find_query(const char *p, const char *end)
{
	while (end - p >= 8) {
		uint64_t w = load8(p), hit = HAS_BYTE(w, '?') | HAS_BYTE(w, '#');

		if (hit)
			return p + first_flag(hit);
		p += 8;
	}
	while (p < end && *p != '?' && *p != '#')
		p++;
	return p;
}

/* The offset just past the blank line that ends a head ("\n\n" or "\n\r\n")
 * when it lies in buf[from, len), or 0. A "\n\r" followed by anything else
 * also ends the scan there: the full parse then rejects the lone CR. */
static size_t find_head_end(const char *buf, size_t from, size_t len)
{
	const char *end = buf + len;

	for (const char *p = buf + from; (p = find_byte(p, end, '\n')) < end; p++) {
		if (end - p >= 2 && p[1] == '\n')
			return (size_t)(p + 2 - buf);
		if (end - p >= 3 && p[1] == '\r')
			return (size_t)(p + 3 - buf);
	}
	return 0;
}

/* ---- small helpers ---------------------------------------------------- */

/*
 * Does a equal lower, a lower-case literal, ignoring ASCII case? Only for
 * bytes the scanners have already let through (tokens and field values hold
 * no control bytes): then `c | 0x20` folds exactly the letters, since the
 * only other byte it could map onto a literal byte ('-', digits, ':') is a
 * control byte (0x0d -> '-', 0x10-0x19 -> digits, 0x1a -> ':').
 */
static int lower_eq(struct str a, struct str lower)
{
	size_t i = 0;

	if (a.n != lower.n)
		return 0;
	for (; i + 8 <= a.n; i += 8)
		if ((load8(a.p + i) | 0x2020202020202020ULL) != load8(lower.p + i))
			return 0;
	for (; i < a.n; i++)
		if (((unsigned char)a.p[i] | 0x20) != (unsigned char)lower.p[i])
			return 0;
	return 1;
}

static int fail(struct http_request *req, int status)
{
	req->status = status;
	return HTTP_BAD;
}

static enum http_method method_id(struct str m)
{
	static const struct {
		struct str name;
		enum http_method id;
	} methods[] = {
		{ STR("GET"), HTTP_GET },       { STR("HEAD"), HTTP_HEAD },
		{ STR("POST"), HTTP_POST },     { STR("PUT"), HTTP_PUT },
		{ STR("DELETE"), HTTP_DELETE }, { STR("CONNECT"), HTTP_CONNECT },
		{ STR("OPTIONS"), HTTP_OPTIONS }, { STR("TRACE"), HTTP_TRACE },
		{ STR("PATCH"), HTTP_PATCH },
	};

	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (str_eq(m, methods[i].name))	/* methods are case-sensitive (§9.1) */
			return methods[i].id;
	return HTTP_OTHER;
}

/* The next member of a comma-separated list (RFC 9110 §5.6.1) at *p, with
 * its whitespace trimmed; empty members are skipped. Returns 0 at the end. */
static int next_member(const char **p, const char *end, struct str *m)
{
	while (*p < end) {
		const char *b = *p, *e;

		while (*p < end && **p != ',')
			(*p)++;
		e = (*p)++;
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > b) {
			*m = (struct str){ b, (size_t)(e - b) };
			return 1;
		}
	}
	return 0;
}

/* Does the list v contain the token t (any case)? */
static int list_has(struct str v, struct str t)
{
	const char *p = v.p;
	struct str m;

	while (next_member(&p, v.p + v.n, &m))
		if (lower_eq(m, t))
			return 1;
	return 0;
}

/* Is [p, end) an IPvFuture: "v" 1*HEXDIG "." 1*( unreserved / sub-delims /
 * ":" ) (RFC 3986 §3.2.2)? */
static int ipvfuture_ok(const char *p, const char *end)
{
	const char *s;

	if (p == end || (*p != 'v' && *p != 'V'))
		return 0;
	for (s = ++p; p < end && hex_value((unsigned char)*p) >= 0; p++)
		;
	if (p == s || p == end || *p++ != '.' || p == end)
		return 0;
	for (; p < end; p++)
		if (!has_class((unsigned char)*p, C_HOST) || *p == '%' || *p == '[' || *p == ']')
			return 0;
	return 1;
}

/* Is v a valid Host value: uri-host [ ":" port ] (RFC 9110 §7.2)? uri-host
 * is an IP-literal in brackets (IPv6 or IPvFuture) or a reg-name, which
 * covers IPv4 (RFC 3986
 * §3.2.2: unreserved, pct-encoded "%" HEXDIG HEXDIG, sub-delims); port is
 * digits, maybe none (§3.2.3). Empty is valid: a URI without authority. */
static int host_ok(struct str v)
{
	size_t i = 0;

	if (v.n > 0 && v.p[0] == '[') {	/* IP-literal */
		char text[48];	/* the longest IPv6 text, with an IPv4 tail, is 45 */
		uint8_t addr[16];

		while (++i < v.n && v.p[i] != ']')
			;
		if (i == v.n)
			return 0;
		if (!ipvfuture_ok(v.p + 1, v.p + i)) {
			if (i - 1 >= sizeof(text))
				return 0;
			memcpy(text, v.p + 1, i - 1);
			text[i - 1] = '\0';
			if (parse_ipv6(text, addr) < 0)
				return 0;
		}
		i++;
	} else {
		for (; i < v.n && v.p[i] != ':'; i++) {
			unsigned char c = (unsigned char)v.p[i];

			if (c == '%') {
				if (v.n - i < 3 || hex_value((unsigned char)v.p[i + 1]) < 0 ||
				    hex_value((unsigned char)v.p[i + 2]) < 0)
					return 0;
				i += 2;
			} else if (!has_class(c, C_HOST) || c == '[' || c == ']') {
				return 0;
			}
		}
	}
	if (i < v.n && v.p[i++] != ':')
		return 0;	/* something after "]" */
	for (; i < v.n; i++)
		if (v.p[i] < '0' || v.p[i] > '9')
			return 0;
	return 1;
}

/* ---- the fields that frame the message -------------------------------- */

struct framing {
	int hosts;		/* Host field lines seen */
	int has_length;
	int has_te;
	struct str te;		/* the last Transfer-Encoding line */
	int te_lines;
	int close;		/* Connection: close */
	int keep_alive;		/* Connection: keep-alive */
};

/* Apply one field line to req. Returns 0 or an HTTP status. */
static int apply_field(struct http_request *req, struct framing *f, struct str name, struct str value)
{
	switch (name.n) {
	case 4:
		if (lower_eq(name, STR("host"))) {
			if (++f->hosts > 1 || !host_ok(value))
				return 400;
			if (!req->host.p)
				req->host = value;	/* an absolute-form target wins */
		}
		break;
	case 6:
		if (lower_eq(name, STR("expect"))) {
			/* A list whose one known member is 100-continue (RFC 9110
			 * §10.1.1); empty members do not count (§5.6.1.2). */
			const char *p = value.p;
			struct str m;

			while (next_member(&p, value.p + value.n, &m)) {
				if (!lower_eq(m, STR("100-continue")))
					return 417;
				req->expect_continue = 1;
			}
		}
		break;
	case 10:
		if (lower_eq(name, STR("connection"))) {
			if (lower_eq(value, STR("keep-alive")))	/* the usual values first */
				f->keep_alive = 1;
			else if (lower_eq(value, STR("close")) || list_has(value, STR("close")))
				f->close = 1;
			else if (list_has(value, STR("keep-alive")))
				f->keep_alive = 1;
		}
		break;
	case 14:
		if (lower_eq(name, STR("content-length"))) {
			uint64_t n;
			int r = parse_u64(value, UINT64_MAX, &n);

			if (r == -ERANGE)
				return 413;
			/* digits only; a repeat must agree (RFC 9110 §8.6) */
			if (r < 0 || (f->has_length && n != req->content_length))
				return 400;
			f->has_length = 1;
			req->content_length = n;
		}
		break;
	case 17:
		if (lower_eq(name, STR("transfer-encoding"))) {
			f->has_te = 1;
			f->te = value;
			f->te_lines++;
		}
		break;
	}
	return 0;
}

/* After the last field: the framing rules of RFC 9112 §6.1-6.3. */
static int check_framing(struct http_request *req, struct framing *f)
{
	if (req->minor == 1 && f->hosts == 0)
		return 400;	/* RFC 9112 §3.2 */
	/* Persistence (RFC 9112 §9.3): HTTP/1.1 unless "close", HTTP/1.0 only
	 * with "keep-alive". */
	req->keep_alive = !f->close && (req->minor == 1 || f->keep_alive);
	if (f->has_te) {
		const char *p = f->te.p;
		struct str m;
		int codings = 0, chunked = 0, last_chunked = 0;

		/* Both framings: a request-smuggling attempt. HTTP/1.0 has no TE. */
		if (f->has_length || req->minor == 0 || f->te_lines > 1)
			return 400;
		while (next_member(&p, f->te.p + f->te.n, &m)) {
			last_chunked = lower_eq(m, STR("chunked"));
			chunked += last_chunked;
			codings++;
		}
		/* Not ending in chunked (or chunked twice): where the body ends
		 * cannot be known, so 400 and close (§6.3, rule 4). */
		if (!last_chunked || chunked != 1)
			return 400;
		if (codings > 1)
			return 501;	/* a coding before chunked we do not implement (§6.1) */
		req->chunked = 1;
		req->has_body = 1;
	} else if (req->content_length > 0) {
		if (req->content_length > HTTP_MAX_BODY)
			return 413;
		req->has_body = 1;
	}
	return 0;
}

/* ---- request-target forms (RFC 9112 §3.2) ----------------------------- */

static int parse_target(struct http_request *req)
{
	struct str t = req->target;
	const char *p = t.p, *end = t.p + t.n;

	if (*p == '*')			/* asterisk-form */
		return t.n == 1 && req->method_id == HTTP_OPTIONS ? 0 : 400;
	if (*p != '/') {
		if (req->method_id == HTTP_CONNECT) {	/* authority-form */
			req->host = t;
			return 0;
		}
		/* absolute-form: http[s]://authority[/path][?query] */
		if (t.n > 7 && str_ieq((struct str){ p, 7 }, STR("http://")))
			p += 7;
		else if (t.n > 8 && str_ieq((struct str){ p, 8 }, STR("https://")))
			p += 8;
		else
			return 400;
		const char *a = p;
		while (p < end && *p != '/' && *p != '?')
			p++;
		req->host = (struct str){ a, (size_t)(p - a) };	/* wins over Host (§3.2.2) */
		if (req->host.n == 0 || !host_ok(req->host))
			return 400;
	}
	const char *q = find_query(p, end);
	if (q < end && (*q == '#' || find_byte(q, end, '#') < end))
		return 400;		/* a fragment is never sent */
	req->path = q > p ? (struct str){ p, (size_t)(q - p) } : STR("/");
	if (q < end)
		req->query = (struct str){ q + 1, (size_t)(end - q - 1) };
	return 0;
}

/* ---- the parser ------------------------------------------------------- */

/* No end of head yet: is the request already past a bound? */
static int partial(const char *buf, size_t start, size_t len, size_t last_len,
		   struct http_request *req)
{
	/* Look for the request line's LF once, when the line could first be too
	 * long; later calls know the answer from last time. */
	if (len - start >= HTTP_MAX_REQUEST_LINE &&
	    (last_len < start || last_len - start < HTTP_MAX_REQUEST_LINE) &&
	    find_byte(buf + start, buf + start + HTTP_MAX_REQUEST_LINE, '\n') == buf + start + HTTP_MAX_REQUEST_LINE)
		return fail(req, 414);
	if (len >= HTTP_MAX_HEAD)
		return fail(req, 431);
	return HTTP_PARTIAL;
}

int http_parse_request(const char *buf, size_t len, size_t last_len, struct http_request *req)
{
	size_t cap = req->nhdr;
	const char *p = buf, *end;
	struct framing f = { 0 };

	/* Reset every output, so a partial or failed parse is well defined. */
	*req = (struct http_request){ .hdr = req->hdr, .minor = -1, .status = 0 };

	/* Ignore empty lines before the request line (RFC 9112 §2.2). */
	while (p < buf + len && (*p == '\r' || *p == '\n')) {
		if (*p == '\r' && p + 1 == buf + len)
			return HTTP_PARTIAL;	/* the CR of an empty line? */
		if (*p == '\r' && p[1] != '\n')
			break;			/* a lone CR: the parse below rejects it */
		p++;
	}
	size_t start = (size_t)(p - buf);
	if (start == len)
		return start >= HTTP_MAX_HEAD ? fail(req, 431) : HTTP_PARTIAL;

	end = buf + len;
	if (last_len > start) {
		/* An earlier call saw no end of head before last_len: look only at
		 * what is new (a "\n\r\n" may start up to 2 bytes before it). */
		size_t head_end = find_head_end(buf, last_len - start >= 2 ? last_len - 2 : start, len);
		if (head_end == 0)
			return partial(buf, start, len, last_len, req);
		end = buf + head_end;
	}

	/* request-line = method SP request-target SP HTTP-version (RFC 9112 §3) */
	const char *m = p;
	p = skip_token(p, end);
	if (p == end)
		return partial(buf, start, len, last_len, req);
	if (p == m || *p != ' ')
		return fail(req, 400);
	req->method = (struct str){ m, (size_t)(p - m) };
	req->method_id = method_id(req->method);

	const char *t = ++p;
	p = skip_target(p, end);
	if (p == end)
		return partial(buf, start, len, last_len, req);
	if (p == t || *p != ' ')
		return fail(req, (p - buf) - (ptrdiff_t)start >= HTTP_MAX_REQUEST_LINE ? 414 : 400);
	req->target = (struct str){ t, (size_t)(p - t) };

	/* HTTP-version = "HTTP/" DIGIT "." DIGIT, then CRLF (or a bare LF) */
	static const char version[] = "HTTP/0.0";	/* '0' stands for any digit */
	const char *ver = ++p;
	uint64_t w;
	if (end - p >= 8 && ((w = load8(p)) == load8("HTTP/1.1") || w == load8("HTTP/1.0"))) {
		p += 8;		/* the usual case, in one compare */
	} else {
		for (int i = 0; i < 8; i++, p++) {
			if (p == end)
				return partial(buf, start, len, last_len, req);
			if (version[i] == '0' ? *p < '0' || *p > '9' : *p != version[i])
				return fail(req, 400);
		}
	}
	if (p < end && *p == '\r')
		p++;
	if (p == end)
		return partial(buf, start, len, last_len, req);
	if (*p++ != '\n')
		return fail(req, 400);
	if ((size_t)(p - buf) - start > HTTP_MAX_REQUEST_LINE)
		return fail(req, 414);
	if (ver[5] != '1')
		return fail(req, 505);	/* HTTP/2.0, HTTP/0.9 ... */
	/* A later HTTP/1.x is served as HTTP/1.1, the highest minor version
	 * we conform to (RFC 9110 §6.2). */
	req->minor = ver[7] == '0' ? 0 : 1;

	/* field-line = field-name ":" OWS field-value OWS (RFC 9112 §5) */
	for (;;) {
		if (p == end)
			return partial(buf, start, len, last_len, req);
		if (*p == '\r') {
			if (end - p < 2)
				return partial(buf, start, len, last_len, req);
			if (p[1] != '\n')
				return fail(req, 400);
			p += 2;
			break;
		}
		if (*p == '\n') {
			p++;
			break;
		}
		const char *n = p;
		p = skip_token(p, end);
		if (p == end)
			return partial(buf, start, len, last_len, req);
		/* Nothing may come between name and colon, and no line may start
		 * with whitespace (obs-fold): both have been used to smuggle requests
		 * past proxies that read them differently (RFC 9112 §5.1, §5.2). */
		if (p == n || *p != ':')
			return fail(req, 400);
		struct str name = { n, (size_t)(p - n) };

		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		const char *v = p;
		p = skip_value(p, end);
		if (p == end)
			return partial(buf, start, len, last_len, req);
		const char *ve = p;
		if (*p == '\r') {
			if (end - p < 2)
				return partial(buf, start, len, last_len, req);
			if (p[1] != '\n')
				return fail(req, 400);	/* a bare CR (§2.2) */
			p += 2;
		} else if (*p == '\n') {
			p++;
		} else {
			return fail(req, 400);		/* NUL, CTL or DEL in a value */
		}
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (req->nhdr == cap || req->nhdr == HTTP_MAX_HEADERS)
			return fail(req, 431);
		struct str value = { v, (size_t)(ve - v) };
		req->hdr[req->nhdr++] = (struct http_header){ name, value };
		int status = apply_field(req, &f, name, value);
		if (status)
			return fail(req, status);
	}

	if ((size_t)(p - buf) > HTTP_MAX_HEAD)
		return fail(req, 431);
	int status = parse_target(req);
	if (!status)
		status = check_framing(req, &f);
	if (status)
		return fail(req, status);
	return (int)(p - buf);
}

const struct http_header *http_find_header(const struct http_request *req, struct str name)
{
	for (size_t i = 0; i < req->nhdr; i++)
		if (str_ieq(req->hdr[i].name, name))
			return &req->hdr[i];
	return NULL;
}

/* ---- chunked bodies (RFC 9112 §7.1) ----------------------------------- */

/* The states of the chunked decoder. Their order matters to
 * http_chunked_feed: up to CH_SIZE_LF they are the size line (bounded by
 * HTTP_MAX_CHUNK_LINE), from CH_TRAILER on the trailer section. */
enum {
	CH_SIZE,		/* chunk-size hex digits */
	CH_EXT_END,		/* after the size or an extension: ';', BWS or CR */
	CH_EXT_END_BWS,		/* BWS there: only ';' may follow */
	CH_EXT_NAME_BWS,	/* after ';': BWS, then the name */
	CH_EXT_NAME,		/* chunk-ext-name */
	CH_EXT_EQ_BWS,		/* BWS after the name: '=' or ';' may follow */
	CH_EXT_VAL_BWS,		/* after '=': BWS, then the value */
	CH_EXT_TOKEN,		/* chunk-ext-val, a token */
	CH_EXT_QUOTED,		/* chunk-ext-val, a quoted-string */
	CH_EXT_QUOTED_PAIR,	/* the byte after a backslash in it */
	CH_SIZE_LF,		/* the LF after the size line's CR */
	CH_DATA,		/* chunk-data */
	CH_DATA_CR,		/* the CR LF after chunk-data */
	CH_DATA_LF,
	CH_TRAILER,		/* start of a trailer line, or the final CR LF */
	CH_TRAILER_NAME,	/* its field-name, up to ':' */
	CH_TRAILER_VALUE,	/* the rest of it, up to CR */
	CH_TRAILER_LF,
	CH_END_LF,		/* the LF of the final empty line */
};

/*
 * One byte of a size line after the digits: the chunk extensions, which are
 * ignored but must be well formed (RFC 9112 §7.1.1):
 *	chunk-ext     = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 *	chunk-ext-val = token / quoted-string
 * A front proxy that read them another way would disagree with us on where
 * the body ends, so anything else is an error. Returns the next state
 * (CH_SIZE_LF after the CR), or -1.
 */
static int ext_step(int state, unsigned char ch)
{
	int ws = ch == ' ' || ch == '\t', tchar = has_class(ch, C_TCHAR);

	switch (state) {
	case CH_EXT_NAME:
		if (tchar)
			return CH_EXT_NAME;
		if (ch == '=')
			return CH_EXT_VAL_BWS;
		if (ws)
			return CH_EXT_EQ_BWS;
		break;			/* ';' or CR: as after a whole extension */
	case CH_EXT_TOKEN:
		if (tchar)
			return CH_EXT_TOKEN;
		break;
	case CH_EXT_END:
		break;
	case CH_EXT_END_BWS:
		if (ws)
			return CH_EXT_END_BWS;
		return ch == ';' ? CH_EXT_NAME_BWS : -1;
	case CH_EXT_EQ_BWS:
		if (ws)
			return CH_EXT_EQ_BWS;
		if (ch == '=')
			return CH_EXT_VAL_BWS;
		return ch == ';' ? CH_EXT_NAME_BWS : -1;
	case CH_EXT_NAME_BWS:
		if (ws)
			return CH_EXT_NAME_BWS;
		return tchar ? CH_EXT_NAME : -1;
	case CH_EXT_VAL_BWS:
		if (ws)
			return CH_EXT_VAL_BWS;
		if (ch == '"')
			return CH_EXT_QUOTED;
		return tchar ? CH_EXT_TOKEN : -1;
	case CH_EXT_QUOTED:	/* qdtext: HTAB, SP, VCHAR but '"' and '\\', obs-text (RFC 9110 §5.6.4) */
		if (ch == '"')
			return CH_EXT_END;
		if (ch == '\\')
			return CH_EXT_QUOTED_PAIR;
		return has_class(ch, C_VALUE) ? CH_EXT_QUOTED : -1;
	case CH_EXT_QUOTED_PAIR:	/* HTAB, SP, VCHAR or obs-text */
		return has_class(ch, C_VALUE) ? CH_EXT_QUOTED : -1;
	}
	if (ch == ';')
		return CH_EXT_NAME_BWS;
	if (ch == '\r')
		return CH_SIZE_LF;
	return ws ? CH_EXT_END_BWS : -1;
}

void http_chunked_init(struct http_chunked *c)
{
	*c = (struct http_chunked){ .state = CH_SIZE };
}

COLD int http_chunked_feed(struct http_chunked *c, const char *buf, size_t len, size_t *used,
		      int *status)
{
	const char *p = buf, *end = buf + len;

	*status = 400;
	while (p < end) {
		unsigned char ch = (unsigned char)*p;

		switch (c->state) {
		case CH_SIZE: {
			int d = hex_value(ch);

			if (d >= 0) {
				if (c->chunk_left >> 60) {
					*status = 413;	/* more than 2^64 - 1 bytes */
					return HTTP_BAD;
				}
				c->chunk_left = c->chunk_left << 4 | (unsigned)d;
				c->hex_digits++;
				break;
			}
			if (c->hex_digits == 0)
				return HTTP_BAD;
			if (c->total + c->chunk_left > HTTP_MAX_BODY || c->chunk_left > HTTP_MAX_BODY) {
				*status = 413;
				return HTTP_BAD;
			}
			c->state = CH_EXT_END;
			continue;	/* look at this byte again */
		}
		case CH_EXT_END:
		case CH_EXT_END_BWS:
		case CH_EXT_NAME_BWS:
		case CH_EXT_NAME:
		case CH_EXT_EQ_BWS:
		case CH_EXT_VAL_BWS:
		case CH_EXT_TOKEN:
		case CH_EXT_QUOTED:
		case CH_EXT_QUOTED_PAIR: {
			int next = ext_step(c->state, ch);

			if (next < 0)
				return HTTP_BAD;
			c->state = next;
			break;
		}
		case CH_SIZE_LF:
			/* CR LF only, here and below: the LF-alone leniency of
			 * RFC 9112 §2.2 is for the start-line and header fields,
			 * not for the chunk framing (§7.1). */
			if (ch != '\n' || ++c->line_len > HTTP_MAX_CHUNK_LINE)
				return HTTP_BAD;
			c->line_len = 0;
			c->hex_digits = 0;
			c->total += c->chunk_left;
			c->state = c->chunk_left ? CH_DATA : CH_TRAILER;
			p++;
			continue;
		case CH_DATA: {
			size_t n = (size_t)(end - p) < c->chunk_left ? (size_t)(end - p) : (size_t)c->chunk_left;

			p += n;
			c->chunk_left -= n;
			if (c->chunk_left == 0)
				c->state = CH_DATA_CR;
			continue;
		}
		case CH_DATA_CR:
			if (ch != '\r')
				return HTTP_BAD;
			c->state = CH_DATA_LF;
			break;
		case CH_DATA_LF:
			if (ch != '\n')
				return HTTP_BAD;
			c->state = CH_SIZE;
			break;
		case CH_TRAILER:	/* field-line = field-name ":" OWS field-value OWS */
			if (ch == '\r')
				c->state = CH_END_LF;
			else if (has_class(ch, C_TCHAR))	/* no obs-fold */
				c->state = CH_TRAILER_NAME;
			else
				return HTTP_BAD;
			break;
		case CH_TRAILER_NAME:
			if (ch == ':')
				c->state = CH_TRAILER_VALUE;
			else if (!has_class(ch, C_TCHAR))
				return HTTP_BAD;
			break;
		case CH_TRAILER_VALUE:
			if (ch == '\r')
				c->state = CH_TRAILER_LF;
			else if (!has_class(ch, C_VALUE))
				return HTTP_BAD;
			break;
		case CH_TRAILER_LF:
			if (ch != '\n')
				return HTTP_BAD;
			c->state = CH_TRAILER;
			break;
		case CH_END_LF:
			if (ch != '\n')
				return HTTP_BAD;
			goto done;
		}
		/* one byte of a size, extension or trailer line */
		p++;
		if (c->state <= CH_SIZE_LF && ++c->line_len > HTTP_MAX_CHUNK_LINE)
			return HTTP_BAD;
		if (c->state >= CH_TRAILER && ++c->trailer_len > HTTP_MAX_HEAD) {
			*status = 431;
			return HTTP_BAD;
		}
	}
	*used = len;
	return HTTP_CHUNKED_MORE;
done:
	*used = (size_t)(p + 1 - buf);
	return HTTP_CHUNKED_DONE;
}

/* ---- percent-decoding ------------------------------------------------- */

long http_percent_decode(struct str in, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < in.n; i++) {
		char c = in.p[i];

		if (c == '%') {
			if (in.n - i < 3)
				return -EINVAL;
			int hi = hex_value((unsigned char)in.p[i + 1]);
			int lo = hex_value((unsigned char)in.p[i + 2]);
			if (hi < 0 || lo < 0 || (hi | lo) == 0)
				return -EINVAL;	/* bad escape, or %00 */
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		out[n++] = c;
	}
	return (long)n;
}
