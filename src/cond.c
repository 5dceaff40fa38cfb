/*
 * cond.c - HTTP-dates, entity-tag comparison and Range parsing (RFC 9110
 * §5.6.7, §8.8.3, §13, §14). Pure functions: no system calls.
 *
 * Every parser here is strict about the grammar and says "invalid" rather
 * than guess: the caller then ignores the field, which is always safe for a
 * GET (the client gets the whole, current representation).
 */
#include "cond.h"
#include "mem.h"
#include "response.h"

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Step over the separator after a list member, OWS "," OWS (RFC 9110
 * §5.6.1.2). Empty members ("a,,b", a leading or trailing comma) are the
 * caller's to skip. Returns 1 if another member may start at *i, 0 at the end
 * of s, -1 if anything but a comma follows.
 */
static int list_sep(struct str s, size_t *i)
{
	size_t j = *i;

	while (j < s.n && is_ows(s.p[j]))
		j++;
	if (j == s.n) {
		*i = j;
		return 0;
	}
	if (s.p[j] != ',')
		return -1;
	j++;
	while (j < s.n && is_ows(s.p[j]))
		j++;
	*i = j;
	return 1;
}

/* ---- HTTP-date (RFC 9110 §5.6.7) ---- */

/* A cursor over a date. Once bad is set every step is a no-op, so a parse
 * runs straight through and is checked once at the end. */
struct cur {
	const char *p;
	size_t n;
	size_t i;
	int bad;
};

/* Exactly the bytes lit[0..n). */
static void lit(struct cur *c, const char *s, size_t n)
{
	if (c->bad || c->n - c->i < n || memcmp(c->p + c->i, s, n) != 0) {
		c->bad = 1;
		return;
	}
	c->i += n;
}

#define LIT(c, s) lit((c), (s), sizeof(s) - 1)

/* Exactly n digits, as a number. */
static int num(struct cur *c, size_t n)
{
	int v = 0;

	if (c->bad || c->n - c->i < n) {
		c->bad = 1;
		return 0;
	}
	for (size_t k = 0; k < n; k++) {
		if (!is_digit(c->p[c->i + k])) {
			c->bad = 1;
			return 0;
		}
		v = v * 10 + (c->p[c->i + k] - '0');
	}
	c->i += n;
	return v;
}

/* One of names[0..count) (case-sensitive: HTTP-date is, §5.6.7); its index. */
static int name(struct cur *c, const struct str *names, int count)
{
	for (int k = 0; k < count && !c->bad; k++) {
		struct str w = names[k];

		if (c->n - c->i >= w.n && memcmp(c->p + c->i, w.p, w.n) == 0) {
			c->i += w.n;
			return k;
		}
	}
	c->bad = 1;
	return 0;
}

static const struct str day_names[7] = {
	{ "Mon", 3 }, { "Tue", 3 }, { "Wed", 3 }, { "Thu", 3 },
	{ "Fri", 3 }, { "Sat", 3 }, { "Sun", 3 },
};
static const struct str day_names_long[7] = {
	{ "Monday", 6 }, { "Tuesday", 7 }, { "Wednesday", 9 }, { "Thursday", 8 },
	{ "Friday", 6 }, { "Saturday", 8 }, { "Sunday", 6 },
};
static const struct str month_names[12] = {
	{ "Jan", 3 }, { "Feb", 3 }, { "Mar", 3 }, { "Apr", 3 }, { "May", 3 }, { "Jun", 3 },
	{ "Jul", 3 }, { "Aug", 3 }, { "Sep", 3 }, { "Oct", 3 }, { "Nov", 3 }, { "Dec", 3 },
};

/* hour ":" minute ":" second, as seconds into the day. second may be 60: a
 * leap second (§5.6.7), which then counts as the next minute's first. */
static int time_of_day(struct cur *c)
{
	int h = num(c, 2);
	LIT(c, ":");
	int m = num(c, 2);
	LIT(c, ":");
	int s = num(c, 2);

	if (h > 23 || m > 59 || s > 60)
		c->bad = 1;
	return h * 3600 + m * 60 + s;
}

static int days_in_month(int64_t y, int m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 1 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m];
}

/* Days from 1970-01-01 to the civil date y-m-d (m 1..12), counting years
 * from March so the leap day is the last of its year (as in response.c).
 * 146097 days make a 400-year era; 719468 run from 0000-03-01 to 1970-01-01. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);				/* [0, 399] */
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;	/* [0, 365] */
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;		/* [0, 146096] */

	return era * 146097 + (int64_t)doe - 719468;
}

/* The civil year of the Unix time t. */
static int64_t year_of(int64_t t)
{
	struct civil c;

	civil_from_unix(t, &c);
	return c.year;
}

/* The year an RFC 850 two-digit year yy means at time now: §5.6.7 reads one
 * that "appears to be more than 50 years in the future" as the most recent
 * past year with those digits. So the year lands in (now - 50, now + 50],
 * judged by calendar year. */
static int64_t full_year(int yy, int64_t now)
{
	int64_t ny = year_of(now);
	int64_t y = ny - (ny % 100 + 100) % 100 + yy;

	if (y > ny + 50)
		y -= 100;
	else if (y <= ny - 50)
		y += 100;
	return y;
}

int http_date_parse(struct str s, int64_t now, int64_t *t)
{
	struct cur c = { s.p, s.n, 0, 0 };
	int64_t year;
	int day, mon, secs;

	if (s.n < 4)
		return -1;
	/* The fourth byte tells the three forms apart: "Sun," "Sun " "Sund". The
	 * day name is checked for spelling, not against the date: it carries no
	 * information the date does not. */
	if (s.p[3] == ',') {
		/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
		name(&c, day_names, 7);
		LIT(&c, ", ");
		day = num(&c, 2);
		LIT(&c, " ");
		mon = name(&c, month_names, 12);
		LIT(&c, " ");
		year = num(&c, 4);
		LIT(&c, " ");
		secs = time_of_day(&c);
		LIT(&c, " GMT");
	} else if (s.p[3] == ' ') {
		/* asctime: Sun Nov  6 08:49:37 1994 (day: 2DIGIT or SP DIGIT) */
		name(&c, day_names, 7);
		LIT(&c, " ");
		mon = name(&c, month_names, 12);
		LIT(&c, " ");
		if (c.i < c.n && c.p[c.i] == ' ') {
			c.i++;
			day = num(&c, 1);
		} else {
			day = num(&c, 2);
		}
		LIT(&c, " ");
		secs = time_of_day(&c);
		LIT(&c, " ");
		year = num(&c, 4);
	} else {
		/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
		name(&c, day_names_long, 7);
		LIT(&c, ", ");
		day = num(&c, 2);
		LIT(&c, "-");
		mon = name(&c, month_names, 12);
		LIT(&c, "-");
		year = full_year(num(&c, 2), now);
		LIT(&c, " ");
		secs = time_of_day(&c);
		LIT(&c, " GMT");
	}
	/* years 0..9999, as 4DIGIT allows: also keeps a two-digit year from an
	 * absurd now far from overflowing */
	if (c.bad || c.i != c.n || year < 0 || year > 9999 || day < 1 ||
	    day > days_in_month(year, mon))
		return -1;
	*t = days_from_civil(year, (unsigned)mon + 1, (unsigned)day) * 86400 + secs;
	return 0;
}

/* ---- entity-tags (RFC 9110 §8.8.3) ---- */

/* etagc = %x21 / %x23-7E / obs-text: any visible byte but DQUOTE */
static int is_etagc(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c != 0x7f);
}

/* An entity-tag at s[*i..]: [ "W/" ] DQUOTE *etagc DQUOTE. Sets *tag to the
 * opaque-tag (quotes included) and *weak, and moves *i past it. Returns 0,
 * or -1 if none starts there. */
static int take_etag(struct str s, size_t *i, struct str *tag, int *weak)
{
	size_t j = *i, start;

	*weak = 0;
	if (s.n - j >= 2 && s.p[j] == 'W' && s.p[j + 1] == '/') {
		*weak = 1;
		j += 2;
	}
	if (j == s.n || s.p[j] != '"')
		return -1;
	start = j++;
	while (j < s.n && is_etagc((unsigned char)s.p[j]))
		j++;
	if (j == s.n || s.p[j] != '"')
		return -1;
	j++;
	*tag = (struct str){ s.p + start, j - start };
	*i = j;
	return 0;
}

/* The whole of s as one entity-tag, or -1. */
static int one_etag(struct str s, struct str *tag, int *weak)
{
	size_t i = 0;

	return take_etag(s, &i, tag, weak) == 0 && i == s.n ? 0 : -1;
}

/* §8.8.3.2: the strong comparison needs both tags strong and the same
 * opaque-tag; the weak one only the same opaque-tag. */
static int etag_eq(struct str a, int a_weak, struct str b, int b_weak, int strong)
{
	return str_eq(a, b) && (!strong || (!a_weak && !b_weak));
}

size_t etag_format(char *out, uint64_t ino, uint64_t size, int64_t mtime, int64_t mtime_nsec)
{
	char *p = out;

	*p++ = '"';
	p += fmt_hex(p, ino);
	*p++ = '-';
	p += fmt_hex(p, size);
	*p++ = '-';
	p += fmt_hex(p, (uint64_t)mtime);
	*p++ = '.';
	p += fmt_hex(p, (uint64_t)mtime_nsec);
	*p++ = '"';
	return (size_t)(p - out);
}

int etag_list_match(struct str field, struct str etag, int strong)
{
	struct str cur, tag;
	int cur_weak, weak, found = 0, members = 0, more;
	size_t i = 0;

	/* If-None-Match = "*" / #entity-tag: "*" stands alone (§13.1.2) */
	if (field.n == 1 && field.p[0] == '*')
		return 1;
	int have = one_etag(etag, &cur, &cur_weak) == 0;
	do {
		if (i < field.n && field.p[i] != ',') {
			if (take_etag(field, &i, &tag, &weak) < 0)
				return -1;
			members++;
			found |= have && etag_eq(tag, weak, cur, cur_weak, strong);
		}
	} while ((more = list_sep(field, &i)) > 0);
	if (more < 0 || members == 0)
		return -1;
	return found;
}

int if_range_match(struct str field, struct str etag, int64_t mtime, int64_t now)
{
	struct str tag, cur;
	int weak, cur_weak;
	int64_t t;

	/* §13.1.5: an entity-tag starts with DQUOTE or "W/" (a DQUOTE within
	 * its first three bytes), which an HTTP-date ("Wed, ...") never does. */
	if (field.n > 0 && (field.p[0] == '"' ||
			    (field.n > 1 && field.p[0] == 'W' && field.p[1] == '/'))) {
		/* a weak tag never matches here: the client must not send one */
		if (one_etag(field, &tag, &weak) < 0 || one_etag(etag, &cur, &cur_weak) < 0)
			return 0;
		return etag_eq(tag, weak, cur, cur_weak, 1);
	}
	if (http_date_parse(field, now, &t) < 0)
		return 0;
	/* §8.8.2.2: a Last-Modified date is a strong validator only if the
	 * representation cannot have changed twice within that second; the most
	 * this server can tell is that the second has passed. */
	return t == mtime && mtime < now;
}

/* ---- Range (RFC 9110 §14.1) ---- */

/* first-pos, last-pos or suffix-length: 1*DIGIT at s[*i..], at most
 * RANGE_POS_MAX. Moves *i past the digits. Returns 0, or -1. */
static int take_pos(struct str s, size_t *i, uint64_t *v)
{
	size_t j = *i;

	while (j < s.n && is_digit(s.p[j]))
		j++;
	if (parse_u64((struct str){ s.p + *i, j - *i }, RANGE_POS_MAX, v) < 0)
		return -1;
	*i = j;
	return 0;
}

/* Merge every range of r[0..n) that overlaps or touches another into the
 * earlier one, until none does; returns the new count. The survivors keep
 * their order. At most RANGE_MAX ranges: quadratic is nothing. */
static unsigned coalesce(struct byte_range *r, unsigned n)
{
	for (int merged = 1; merged;) {
		merged = 0;
		for (unsigned a = 0; a < n; a++) {
			for (unsigned b = a + 1; b < n; b++) {
				/* disjoint with a gap between: keep both */
				if (r[b].first > r[a].last + 1 || r[a].first > r[b].last + 1)
					continue;
				if (r[b].first < r[a].first)
					r[a].first = r[b].first;
				if (r[b].last > r[a].last)
					r[a].last = r[b].last;
				for (unsigned k = b; k + 1 < n; k++)
					r[k] = r[k + 1];
				n--;
				b--;
				merged = 1;
			}
		}
	}
	return n;
}

enum range_kind range_parse(struct str field, uint64_t size, struct byte_range *r, unsigned *count)
{
	unsigned members = 0, kept = 0;
	int satisfiable = 0, more;
	size_t i = 0;

	*count = 0;
	/* ranges-specifier = range-unit "=" range-set; units compare without
	 * case (§14.1). Another unit is not ours to serve: ignore it. */
	while (i < field.n && field.p[i] != '=')
		i++;
	if (i == field.n || !str_ieq((struct str){ field.p, i }, STR("bytes")))
		return RANGE_NONE;
	i++;
	/* range-set = 1#range-spec. No whitespace right after "=": OWS is only
	 * allowed around the commas. One invalid member invalidates the whole
	 * field (§14.1.1: the recipient ignores it). */
	do {
		if (i < field.n && field.p[i] != ',') {
			uint64_t a, b = 0;
			int sfx = field.p[i] == '-', hl = 0;

			if (sfx) {
				i++;	/* suffix-range = "-" suffix-length */
				if (take_pos(field, &i, &a) < 0)
					return RANGE_NONE;
			} else {
				/* int-range = first-pos "-" [ last-pos ] */
				if (take_pos(field, &i, &a) < 0 || i == field.n ||
				    field.p[i] != '-')
					return RANGE_NONE;
				i++;
				if (i < field.n && is_digit(field.p[i])) {
					hl = 1;
					if (take_pos(field, &i, &b) < 0 || b < a)
						return RANGE_NONE;
				}
			}
			if (++members > RANGE_MAX)
				return RANGE_NONE;
			/* §14.1.1: an int-range is satisfiable if it starts inside
			 * the data, a suffix-range if it is not empty. */
			if ((sfx && a == 0) || (!sfx && a >= size))
				continue;
			satisfiable = 1;
			if (size == 0)
				continue;
			if (sfx) {
				/* the last a bytes; all of them if the data is shorter (§14.1.2) */
				r[kept].first = a >= size ? 0 : size - a;
				r[kept].last = size - 1;
			} else {
				/* a last-pos past the end, or none, means "to the end" (§14.1.2) */
				r[kept].first = a;
				r[kept].last = hl && b < size - 1 ? b : size - 1;
			}
			kept++;
		}
	} while ((more = list_sep(field, &i)) > 0);
	if (more < 0 || members == 0)
		return RANGE_NONE;
	if (!satisfiable)
		return RANGE_UNSATISFIABLE;
	/* On an empty representation only a non-empty suffix-range is
	 * satisfiable: it names all of nothing, which no Content-Range can say,
	 * so the whole (empty) data goes with 200. */
	if (kept == 0)
		return RANGE_NONE;
	*count = coalesce(r, kept);
	return *count == 1 ? RANGE_SINGLE : RANGE_MULTIPLE;
}
