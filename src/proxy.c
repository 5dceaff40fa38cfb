/*
 * proxy.c - the PROXY protocol header, versions 1 and 2 (proxy.h), parsed
 * exactly as HAProxy's specification writes it: a header that does not
 * match byte for byte is refused, never guessed at. Pure: no system calls.
 */
#include "mem.h"
#include "proxy.h"
#include "str.h"

static const uint8_t v1_sig[6] = { 'P', 'R', 'O', 'X', 'Y', ' ' };
static const uint8_t v2_sig[12] = { 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a };

/* 1 when buf[0..len) agrees with sig[0..min(len, n)). */
static int starts_like(const uint8_t *buf, size_t len, const uint8_t *sig, size_t n)
{
	return memcmp(buf, sig, len < n ? len : n) == 0;
}

/* A decimal number at s[*i..] of 1 to max_digits digits, without a
 * leading zero (§2.1: "0" itself is allowed), at most max; moves *i past it.
 * Returns it, or -1. */
static long number(const uint8_t *s, size_t n, size_t *i, int max_digits, long max)
{
	size_t start = *i;
	long v = 0;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9' && (int)(*i - start) < max_digits)
		v = v * 10 + (s[(*i)++] - '0');
	size_t digits = *i - start;
	if (digits == 0 || (digits > 1 && s[start] == '0') || v > max ||
	    (*i < n && s[*i] >= '0' && s[*i] <= '9'))
		return -1;
	return v;
}

/* An IPv4 address in the canonical form (four decimal numbers, no leading
 * zeros) at s[*i..]; moves *i past it. Returns 0 or -1. */
static int v1_ipv4(const uint8_t *s, size_t n, size_t *i, uint8_t out[4])
{
	for (int k = 0; k < 4; k++) {
		long v = number(s, n, i, 3, 255);

		if (v < 0 || (k < 3 && (*i >= n || s[(*i)++] != '.')))
			return -1;
		out[k] = (uint8_t)v;
	}
	return 0;
}

/* An IPv6 address at s[*i..], up to the next space; moves *i past it. */
static int v1_ipv6(const uint8_t *s, size_t n, size_t *i, uint8_t out[16])
{
	char text[IPV6_TEXT_MAX + 1];
	size_t k = 0;

	while (*i < n && s[*i] != ' ') {
		if (k == IPV6_TEXT_MAX)
			return -1;
		text[k++] = (char)s[(*i)++];
	}
	text[k] = 0;
	return parse_ipv6(text, out);
}

/* One space at s[*i]. */
static int space(const uint8_t *s, size_t n, size_t *i)
{
	if (*i >= n || s[*i] != ' ')
		return -1;
	(*i)++;
	return 0;
}

/* The line line[0..n) of a v1 header, CRLF excluded. Returns 0 or -1. */
static int v1_line(const uint8_t *line, size_t n, struct proxy_addr *out)
{
	size_t i = sizeof(v1_sig);
	uint8_t dst[16];

	out->family = 0;
	if (n - i >= 7 && memcmp(line + i, "UNKNOWN", 7) == 0 && (n - i == 7 || line[i + 7] == ' '))
		return 0;	/* the rest of the line is to be ignored (§2.1) */
	if (n - i < 5 || memcmp(line + i, "TCP", 3) != 0 || (line[i + 3] != '4' && line[i + 3] != '6') ||
	    line[i + 4] != ' ')
		return -1;
	int v6 = line[i + 3] == '6';
	i += 5;
	if ((v6 ? v1_ipv6(line, n, &i, out->addr) : v1_ipv4(line, n, &i, out->addr)) < 0 ||
	    space(line, n, &i) < 0 ||
	    (v6 ? v1_ipv6(line, n, &i, dst) : v1_ipv4(line, n, &i, dst)) < 0 || space(line, n, &i) < 0)
		return -1;
	long sport = number(line, n, &i, 5, 65535);
	if (sport < 0 || space(line, n, &i) < 0 || number(line, n, &i, 5, 65535) < 0 || i != n)
		return -1;
	out->family = v6 ? 6 : 4;
	out->port = (uint16_t)sport;
	return 0;
}

static int parse_v1(const uint8_t *buf, size_t len, struct proxy_addr *out)
{
	size_t n = len < PROXY_V1_MAX ? len : PROXY_V1_MAX;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = buf[i];

		if (c == '\r') {
			if (i + 2 > PROXY_V1_MAX)
				return PROXY_BAD;	/* no room for its LF in 107 bytes */
			if (i + 1 == len)
				return PROXY_PARTIAL;
			if (buf[i + 1] != '\n' || v1_line(buf, i, out) < 0)
				return PROXY_BAD;
			return (int)(i + 2);
		}
		if (c < 0x20 || c > 0x7e)	/* a lone LF, a NUL, any control: refused at once */
			return PROXY_BAD;
	}
	return len < PROXY_V1_MAX ? PROXY_PARTIAL : PROXY_BAD;
}

static int parse_v2(const uint8_t *buf, size_t len, struct proxy_addr *out)
{
	if (len < 16)
		return PROXY_PARTIAL;
	unsigned version = buf[12] >> 4, command = buf[12] & 15;
	unsigned family = buf[13] >> 4, protocol = buf[13] & 15;
	size_t total = 16 + ((size_t)buf[14] << 8 | buf[15]);

	if (version != 2 || command > 1 || family > 3 || protocol > 2 || total > PROXY_MAX)
		return PROXY_BAD;
	if (len < total)
		return PROXY_PARTIAL;
	out->family = 0;
	if (command == 1 && buf[13] == 0x11) {		/* TCP over IPv4 */
		if (total < 16 + 12)
			return PROXY_BAD;
		memcpy(out->addr, buf + 16, 4);
		out->port = (uint16_t)(buf[24] << 8 | buf[25]);
		out->family = 4;
	} else if (command == 1 && buf[13] == 0x21) {	/* TCP over IPv6 */
		if (total < 16 + 36)
			return PROXY_BAD;
		memcpy(out->addr, buf + 16, 16);
		out->port = (uint16_t)(buf[48] << 8 | buf[49]);
		out->family = 6;
	}
	/* LOCAL (a health check from the proxy itself), UNSPEC, UDP, UNIX:
	 * the connection's own addresses stand (§2.2) */
	return (int)total;
}

int proxy_parse(const uint8_t *buf, size_t len, struct proxy_addr *out)
{
	if (len == 0)
		return PROXY_PARTIAL;
	if (buf[0] == 'P') {
		if (!starts_like(buf, len, v1_sig, sizeof(v1_sig)))
			return PROXY_BAD;
		return len < sizeof(v1_sig) ? PROXY_PARTIAL : parse_v1(buf, len, out);
	}
	if (!starts_like(buf, len, v2_sig, sizeof(v2_sig)))
		return PROXY_BAD;
	return parse_v2(buf, len, out);
}
