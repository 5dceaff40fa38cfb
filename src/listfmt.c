/* listfmt.c - names in natural order, sizes and dates for listings. */
#include "listfmt.h"
#include "mem.h"
#include "response.h"

static int is_decimal(char c)
{
	return c >= '0' && c <= '9';
}

int natural_cmp(struct str a, struct str b)
{
	size_t i = 0, j = 0;

	while (i < a.n && j < b.n) {
		if (is_decimal(a.p[i]) && is_decimal(b.p[j])) {
			/* two numbers: without leading zeros, the longer is
			 * larger, else the first digit that differs decides */
			while (i < a.n && a.p[i] == '0')
				i++;
			while (j < b.n && b.p[j] == '0')
				j++;
			size_t ei = i, ej = j;
			while (ei < a.n && is_decimal(a.p[ei]))
				ei++;
			while (ej < b.n && is_decimal(b.p[ej]))
				ej++;
			if (ei - i != ej - j)
				return ei - i < ej - j ? -1 : 1;
			int d = memcmp(a.p + i, b.p + j, ei - i);
			if (d)
				return d;
			i = ei;
			j = ej;
			continue;
		}
		unsigned char ca = ascii_lower((unsigned char)a.p[i]), cb = ascii_lower((unsigned char)b.p[j]);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		i++;
		j++;
	}
	if (i < a.n || j < b.n)
		return i < a.n ? 1 : -1;
	/* the same to a person: bytes decide */
	size_t n = a.n < b.n ? a.n : b.n;
	int d = memcmp(a.p, b.p, n);
	return d ? d : a.n < b.n ? -1 : a.n > b.n;
}

size_t fmt_size(char *out, uint64_t n)
{
	static const char units[] = "KMGTPE";
	char *p = out;

	if (n < 1024) {
		p += fmt_u64(p, n);
		*p++ = ' ';
		*p++ = 'B';
		return (size_t)(p - out);
	}
	unsigned k = 1;
	while (k < 6 && n >> (10 * (k + 1)) != 0)
		k++;
	for (;;) {
		uint64_t u = (uint64_t)1 << (10 * k);
		uint64_t whole = n >> (10 * k), rem = n & (u - 1);
		/* rem * 10 < 10 * 2^60: no overflow */
		uint64_t tenth = (rem * 10 + u / 2) >> (10 * k);

		if (tenth == 10) {
			whole++;
			tenth = 0;
		}
		if (whole == 1024 && k < 6) {
			k++;	/* 1023.96 KiB rounds to 1.0 MiB */
			continue;
		}
		p += fmt_u64(p, whole);
		*p++ = '.';
		*p++ = (char)('0' + tenth);
		*p++ = ' ';
		*p++ = units[k - 1];
		*p++ = 'i';
		*p++ = 'B';
		return (size_t)(p - out);
	}
}

/* Two decimal digits of v (0..99). */
static char *two_digits(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

size_t fmt_iso_date(char *out, int64_t t)
{
	struct civil c;

	/* years 0-9999 are within +-2^38 s: beyond, civil_from_unix's days
	 * could overflow its arithmetic for no use */
	if (t < -62167219200LL || t > 253402300799LL)
		return 0;
	civil_from_unix(t, &c);
	char *p = two_digits(out, (unsigned)(c.year / 100));
	p = two_digits(p, (unsigned)(c.year % 100));
	*p++ = '-';
	p = two_digits(p, c.month);
	*p++ = '-';
	p = two_digits(p, c.day);
	*p++ = 'T';
	p = two_digits(p, c.secs / 3600);
	*p++ = ':';
	p = two_digits(p, c.secs / 60 % 60);
	*p++ = ':';
	p = two_digits(p, c.secs % 60);
	*p = 'Z';
	return ISO_DATE_LEN;
}
