/*
 * str.c - length-based strings, number parsing/formatting, bounded output.
 * Pure functions: no system calls, no allocation.
 */
#include "str.h"
#include "mem.h"
#include "../syscall.h"

size_t cstr_len(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

char *cstr_copy(char *dst, const char *src)
{
	while (*src)
		*dst++ = *src++;
	return dst;
}

/*
 * tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
 *         "_" / "`" / "|" / "~" / DIGIT / ALPHA          (RFC 9110 §5.6.2)
 * Bit (c & 31) of word (c >> 5) is set for each tchar c < 128.
 */
const uint32_t tchar_map[4] = {
	0x00000000,	/*   0- 31: controls */
	0x03ff6cfa,	/*  32- 63: ! # $ % & ' * + - . 0-9 */
	0xc7fffffe,	/*  64- 95: A-Z ^ _ */
	0x57ffffff,	/*  96-127: ` a-z | ~ */
};

int cstr_eq(const char *s, const char *lit)
{
	while (*s && *s == *lit)
		s++, lit++;
	return *s == *lit;
}

int str_eq(struct str a, struct str b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

int str_ieq(struct str a, struct str b)
{
	if (a.n != b.n)
		return 0;
	for (size_t i = 0; i < a.n; i++)
		if (ascii_lower((unsigned char)a.p[i]) != ascii_lower((unsigned char)b.p[i]))
			return 0;
	return 1;
}

int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int parse_base(struct str s, unsigned base, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s.n == 0)
		return -EINVAL;
	for (size_t i = 0; i < s.n; i++) {
		int d = hex_value((unsigned char)s.p[i]);

		if (d < 0 || (unsigned)d >= base)
			return -EINVAL;
		/* v * base + d > max, rearranged so nothing can overflow */
		if (v > (max - (unsigned)d) / base)
			return -ERANGE;
		v = v * base + (unsigned)d;
	}
	*out = v;
	return 0;
}

int parse_u64(struct str s, uint64_t max, uint64_t *out)
{
	return parse_base(s, 10, max, out);
}

int parse_hex(struct str s, uint64_t max, uint64_t *out)
{
	return parse_base(s, 16, max, out);
}

int parse_ipv4(const char *s, uint32_t *addr_be)
{
	uint8_t *b = (uint8_t *)addr_be;

	for (int i = 0; i < 4; i++) {
		const char *start = s;
		uint64_t v;

		while (*s >= '0' && *s <= '9')
			s++;
		/* 1-3 digits, value <= 255, then '.' (or NUL after the last) */
		if (s - start > 3 || parse_u64((struct str){ start, (size_t)(s - start) }, 255, &v))
			return -EINVAL;
		if (*s != (i < 3 ? '.' : '\0'))
			return -EINVAL;
		b[i] = (uint8_t)v;
		s++;
	}
	return 0;
}

COLD int parse_ipv6(const char *s, uint8_t addr[16])
{
	uint16_t g[8];
	int n = 0, gap = -1;	/* groups read; where "::" stands */

	if (s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	}
	while (*s) {
		uint64_t v;
		const char *start = s;

		while (hex_value((unsigned char)*s) >= 0)
			s++;
		if (*s == '.') {	/* the last 32 bits as IPv4: "::ffff:1.2.3.4" */
			uint32_t v4;
			const uint8_t *b = (const uint8_t *)&v4;

			if (n > 6 || parse_ipv4(start, &v4) < 0)
				return -EINVAL;
			g[n++] = (uint16_t)(b[0] << 8 | b[1]);
			g[n++] = (uint16_t)(b[2] << 8 | b[3]);
			break;
		}
		if (n == 8 || s - start > 4 || parse_hex((struct str){ start, (size_t)(s - start) }, 0xffff, &v))
			return -EINVAL;
		g[n++] = (uint16_t)v;
		if (*s == ':' && s[1] == ':' && gap < 0) {
			gap = n;
			s += 2;
		} else if (*s == ':' && s[1] != '\0' && s[1] != ':') {
			s++;
		} else if (*s) {
			return -EINVAL;
		}
	}
	if (gap < 0 ? n != 8 : n > 7)
		return -EINVAL;
	/* groups after the gap go to the end; the gap is zeros */
	int tail = gap < 0 ? 0 : n - gap;
	for (int i = 0, j = 0; i < 8; i++) {
		uint16_t v = 0;

		if (gap < 0 || i < gap)
			v = g[j++];
		else if (i >= 8 - tail)
			v = g[gap + (i - (8 - tail))];
		addr[2 * i] = (uint8_t)(v >> 8);
		addr[2 * i + 1] = (uint8_t)v;
	}
	return 0;
}

COLD size_t fmt_ipv6(char *dst, const uint8_t addr[16])
{
	static const uint8_t v4_mapped[12] = { [10] = 0xff, [11] = 0xff };
	int best = -1, best_len = 1;	/* a run must be 2+ groups (RFC 5952 §4.2.2) */
	size_t n = 0;

	/* An IPv4 client of a dual-stack socket: "::ffff:127.0.0.1" (§5) */
	int mapped = 1;
	for (int i = 0; i < 12; i++)
		mapped &= addr[i] == v4_mapped[i];
	if (mapped) {
		for (const char *p = "::ffff:"; *p; p++)
			dst[n++] = *p;
		for (int i = 12; i < 16; i++) {
			n += fmt_u64(dst + n, addr[i]);
			if (i < 15)
				dst[n++] = '.';
		}
		return n;
	}

	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && addr[2 * j] == 0 && addr[2 * j + 1] == 0)
			j++;
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			dst[n++] = ':';
			if (i == 0)
				dst[n++] = ':';
			i += best_len - 1;
			continue;
		}
		n += fmt_hex(dst + n, (uint64_t)addr[2 * i] << 8 | addr[2 * i + 1]);
		if (i < 7)
			dst[n++] = ':';
	}
	return n;
}

size_t fmt_u64(char *dst, uint64_t v)
{
	char tmp[U64_DEC_MAX];
	size_t n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (size_t i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return n;
}

size_t fmt_hex(char *dst, uint64_t v)
{
	char tmp[U64_HEX_MAX];
	size_t n = 0;

	do
		tmp[n++] = "0123456789abcdef"[v & 15];
	while ((v >>= 4) != 0);
	for (size_t i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return n;
}

void ob_init(struct outbuf *ob, char *mem, size_t cap)
{
	ob->p = mem;
	ob->len = 0;
	ob->cap = cap;
	ob->overflow = 0;
}

char *ob_claim(struct outbuf *ob, size_t n)
{
	if (n > ob->cap - ob->len) {
		ob->overflow = 1;
		return NULL;
	}
	char *at = ob->p + ob->len;
	ob->len += n;
	return at;
}

int ob_put(struct outbuf *ob, const void *src, size_t n)
{
	char *at = ob_claim(ob, n);

	if (!at)
		return -ENOBUFS;
	memcpy(at, src, n);
	return 0;
}

int ob_str(struct outbuf *ob, struct str s)
{
	return ob_put(ob, s.p, s.n);
}

int ob_u64(struct outbuf *ob, uint64_t v)
{
	char tmp[U64_DEC_MAX];

	return ob_put(ob, tmp, fmt_u64(tmp, v));
}

int ob_hex(struct outbuf *ob, uint64_t v)
{
	char tmp[U64_HEX_MAX];

	return ob_put(ob, tmp, fmt_hex(tmp, v));
}
