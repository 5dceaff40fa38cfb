/* cachectl.c - Cache-Control rules for file responses (cachectl.h). */
#include "../syscall.h"
#include "cachectl.h"
#include "mem.h"

static struct rule {
	struct str match;	/* ".EXT", or "PREFIX/" ("" for every path) */
	uint8_t prefix;		/* a path prefix, else a suffix */
	struct str value;
} rules[CACHECTL_RULES_MAX];
static int nrules;
static struct str default_value = STR("no-cache");

int cachectl_count(void)
{
	return nrules;
}

void cachectl_no_default(void)
{
	default_value = STR("");
}

/* "*.EXT": a suffix that is a dot and tokens (no '/', no '*'). */
static int ext_pattern(struct str p)
{
	if (p.n < 3 || p.p[0] != '*' || p.p[1] != '.')
		return 0;
	for (size_t i = 1; i < p.n; i++)
		if (p.p[i] == '/' || p.p[i] == '*' || !is_tchar((unsigned char)p.p[i]))
			return 0;
	return p.p[p.n - 1] != '.';
}

/* "/PREFIX/" then "*": segments that are not empty, "." or "..", and no
 * '*'. */
static int prefix_pattern(struct str p)
{
	if (p.n < 2 || p.p[0] != '/' || p.p[p.n - 1] != '*' || p.p[p.n - 2] != '/')
		return 0;
	for (size_t i = 1; i + 1 < p.n;) {
		size_t end = i;

		while (p.p[end] != '/')
			end++;
		struct str seg = { p.p + i, end - i };
		if (seg.n == 0 || str_eq(seg, STR(".")) || str_eq(seg, STR("..")))
			return 0;
		for (size_t k = 0; k < seg.n; k++)
			if (seg.p[k] == '*' || (unsigned char)seg.p[k] <= 0x20 || seg.p[k] == 0x7f)
				return 0;
		i = end + 1;
	}
	return 1;
}

int cachectl_add(const char *spec)
{
	size_t n = cstr_len(spec), eq = 0;

	while (eq < n && spec[eq] != '=')
		eq++;
	if (eq == n)
		return -EINVAL;
	struct str pattern = { spec, eq }, value = { spec + eq + 1, n - eq - 1 };
	if (value.n == 0 || value.n > CACHECTL_VALUE_MAX)
		return -EINVAL;
	for (size_t i = 0; i < value.n; i++) {
		unsigned char c = (unsigned char)value.p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return -EINVAL;	/* one header line: no CR, LF, NUL... */
	}
	struct rule r = { .value = value };
	if (ext_pattern(pattern)) {
		r.match = (struct str){ pattern.p + 1, pattern.n - 1 };
	} else if (prefix_pattern(pattern)) {
		r.prefix = 1;
		r.match = (struct str){ pattern.p + 1, pattern.n - 2 };	/* "PREFIX/" */
	} else {
		return -EINVAL;
	}
	if (nrules == CACHECTL_RULES_MAX)
		return -ENOBUFS;
	rules[nrules++] = r;
	return 0;
}

struct str cachectl_value(struct str path)
{
	for (int i = 0; i < nrules; i++) {
		struct str m = rules[i].match;

		if (rules[i].prefix ? path.n >= m.n && memcmp(path.p, m.p, m.n) == 0
				    : path.n > m.n && str_ieq((struct str){ path.p + path.n - m.n, m.n }, m))
			return rules[i].value;
	}
	return default_value;
}
