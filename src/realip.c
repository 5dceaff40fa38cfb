/*
 * realip.c - the client behind trusted proxies (realip.h). Pure.
 *
 * A list field is walked from its last member to its first, field line
 * by field line from the last (RFC 9110 §5.3: several lines are one list,
 * in order). Only the members reached are parsed, so what a client wrote
 * left of the address a trusted proxy appended is never read.
 */
#include "../syscall.h"
#include "mem.h"
#include "realip.h"

struct range {
	uint8_t v6;		/* 0: IPv4, addr[0..4) */
	uint8_t bits;
	uint8_t addr[16];
};

static struct range ranges[REALIP_MAX];
static unsigned nranges;

/* An address as 4 or 16 bytes: *v6 = 0 for IPv4 (an IPv4-mapped IPv6
 * address counts as its IPv4 address). Returns the bytes. */
static const uint8_t *addr_bytes(const struct net_addr *a, int *v6)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (a->sa.family == AF_INET) {
		*v6 = 0;
		return (const uint8_t *)&a->sa.v4.sin_addr;
	}
	if (memcmp(a->sa.v6.sin6_addr, mapped, 12) == 0) {
		*v6 = 0;
		return a->sa.v6.sin6_addr + 12;
	}
	*v6 = 1;
	return a->sa.v6.sin6_addr;
}

static int prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return 0;
	return rest == 0 || ((a[whole] ^ b[whole]) & (0xff00u >> rest) & 0xff) == 0;
}

int realip_add(const char *cidr)
{
	char ip[IPV6_TEXT_MAX + 1];
	struct range r = { 0 };
	size_t n = 0;
	uint64_t bits;
	uint32_t v4;

	while (cidr[n] && cidr[n] != '/') {
		if (n == IPV6_TEXT_MAX)
			return -EINVAL;
		ip[n] = cidr[n];
		n++;
	}
	ip[n] = 0;
	if (parse_ipv4(ip, &v4) == 0) {
		memcpy(r.addr, &v4, 4);
		r.bits = 32;
	} else if (parse_ipv6(ip, r.addr) == 0) {
		r.v6 = 1;
		r.bits = 128;
	} else {
		return -EINVAL;
	}
	if (cidr[n] == '/') {
		const char *b = cidr + n + 1;

		if (parse_u64((struct str){ b, cstr_len(b) }, r.bits, &bits) < 0 || (cstr_len(b) > 1 && b[0] == '0'))
			return -EINVAL;
		r.bits = (uint8_t)bits;
	}
	if (nranges == REALIP_MAX)
		return -ENOBUFS;
	ranges[nranges++] = r;
	return 0;
}

int realip_trusted(const struct net_addr *a)
{
	int v6;
	const uint8_t *b = addr_bytes(a, &v6);

	for (unsigned i = 0; i < nranges; i++)
		if (ranges[i].v6 == v6 && prefix_match(b, ranges[i].addr, ranges[i].bits))
			return 1;
	return 0;
}

int realip_loopback(const struct net_addr *a)
{
	static const uint8_t one[16] = { [15] = 1 };
	int v6;
	const uint8_t *b = addr_bytes(a, &v6);

	return v6 ? memcmp(b, one, 16) == 0 : b[0] == 127;
}

/* ---- a member: an address, maybe with a port ---- */

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static struct str trim(struct str s)
{
	while (s.n && is_ows(s.p[0]))
		s.p++, s.n--;
	while (s.n && is_ows(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* A port after an address: 1 to 5 digits, at most 65535. */
static int port_ok(struct str s)
{
	uint64_t v;

	return s.n <= 5 && parse_u64(s, 65535, &v) == 0;
}

/* "192.0.2.1", "192.0.2.1:4711", "2001:db8::1", "[2001:db8::1]" or
 * "[2001:db8::1]:4711" into *out (port 0). Returns 0 or -1. */
static int hop_addr(struct str s, struct net_addr *out)
{
	char text[IPV6_TEXT_MAX + 1];
	struct str ip = s;
	size_t colons = 0;

	for (size_t i = 0; i < s.n; i++)
		colons += s.p[i] == ':';
	if (s.n && s.p[0] == '[') {
		size_t close = 1;

		while (close < s.n && s.p[close] != ']')
			close++;
		if (close == s.n || (close + 1 < s.n && (s.p[close + 1] != ':' ||
							 !port_ok((struct str){ s.p + close + 2, s.n - close - 2 }))))
			return -1;
		ip = (struct str){ s.p + 1, close - 1 };
		colons = 2;	/* IPv6 only */
	} else if (colons == 1) {
		size_t c = 0;

		while (s.p[c] != ':')
			c++;
		if (!port_ok((struct str){ s.p + c + 1, s.n - c - 1 }))
			return -1;
		ip = (struct str){ s.p, c };
		colons = 0;
	}
	if (ip.n == 0 || ip.n > IPV6_TEXT_MAX)
		return -1;
	memcpy(text, ip.p, ip.n);
	text[ip.n] = 0;
	memset(out, 0, sizeof(*out));
	if (colons == 0 && parse_ipv4(text, &out->sa.v4.sin_addr) == 0) {
		out->sa.v4.sin_family = AF_INET;
		out->len = sizeof(out->sa.v4);
		return 0;
	}
	if (colons >= 2 && parse_ipv6(text, out->sa.v6.sin6_addr) == 0) {
		out->sa.v6.sin6_family = AF_INET6;
		out->len = sizeof(out->sa.v6);
		return 0;
	}
	return -1;
}

/* ---- walking a list from its end ---- */

struct walk {
	const struct http_request *req;
	struct str name;
	size_t line;		/* the field line being read + 1; 0: none left */
	size_t end;		/* its bytes before end are still to be read */
};

/* The previous non-empty member of the list, into *m. Commas inside a
 * quoted string do not separate members (Forwarded). Returns 1, 0 at the
 * start of the list, -1 for an unbalanced quote. */
static int prev_member(struct walk *w, struct str *m)
{
	for (;;) {
		while (w->line > 0 && w->end == 0) {
			/* the previous line of this field */
			do
				w->line--;
			while (w->line > 0 && !str_ieq(w->req->hdr[w->line - 1].name, w->name));
			if (w->line > 0)
				w->end = w->req->hdr[w->line - 1].value.n + 1;	/* + 1: no comma */
		}
		if (w->line == 0)
			return 0;
		const char *v = w->req->hdr[w->line - 1].value.p;
		size_t stop = w->end - 1, start = stop;
		int quoted = 0;

		while (start > 0 && (quoted || v[start - 1] != ',')) {
			quoted ^= v[start - 1] == '"';
			start--;
		}
		if (quoted)
			return -1;
		w->end = start;	/* 0: this line is done (its first member, or after a comma at 0) */
		*m = trim((struct str){ v + start, stop - start });
		if (m->n)
			return 1;
	}
}

/* The address of a Forwarded element's for= parameter (RFC 7239 §4):
 * pairs separated by ';', the value a token or a quoted string. */
static int forwarded_for(struct str e, struct net_addr *out)
{
	size_t i = 0;

	while (i < e.n) {
		size_t start = i;
		int quoted = 0;

		while (i < e.n && (quoted || e.p[i] != ';')) {
			if (quoted && e.p[i] == '\\')
				i++;
			else if (e.p[i] == '"')
				quoted ^= 1;
			i++;
		}
		struct str pair = trim((struct str){ e.p + start, (i < e.n ? i : e.n) - start });
		i++;
		if (pair.n < 4 || !str_ieq((struct str){ pair.p, 4 }, STR("for=")))
			continue;
		struct str v = { pair.p + 4, pair.n - 4 };
		char text[64];
		size_t n = 0;
		if (v.n >= 2 && v.p[0] == '"' && v.p[v.n - 1] == '"') {
			for (size_t k = 1; k + 1 < v.n; k++) {
				if (v.p[k] == '\\' && k + 2 < v.n)
					k++;
				if (n == sizeof(text))
					return -1;
				text[n++] = v.p[k];
			}
			v = (struct str){ text, n };
		} else {
			for (size_t k = 0; k < v.n; k++)
				if (!is_tchar((unsigned char)v.p[k]))
					return -1;
		}
		return hop_addr(v, out);
	}
	return -1;	/* an element without for= names nobody */
}

void realip_client(struct net_addr *out, const struct net_addr *peer, const struct http_request *req)
{
	struct walk w = { .req = req, .name = STR("x-forwarded-for") };
	struct net_addr hop, last;
	struct str m;
	int r, seen = 0, forwarded = 0;

	*out = *peer;
	if (nranges == 0 || !req || !realip_trusted(peer))
		return;
	if (!http_find_header(req, w.name)) {
		w.name = STR("forwarded");
		forwarded = 1;
	}
	w.line = req->nhdr + 1;
	while ((r = prev_member(&w, &m)) > 0) {
		if ((forwarded ? forwarded_for(m, &hop) : hop_addr(m, &hop)) < 0)
			return;		/* not an address: the field says nothing we can use */
		if (!realip_trusted(&hop)) {
			*out = hop;
			return;
		}
		last = hop;
		seen = 1;
	}
	if (r == 0 && seen)
		*out = last;	/* every hop is trusted: the first one is the client */
}
