/*
 * accept.c - Accept-Encoding and Accept (RFC 9110 §12.5.1, §12.5.3): lists
 * of tokens with parameters and weights. Pure: no system calls.
 *
 * Strict where it is cheap to be: a member that does not follow the
 * grammar makes the whole field count as absent, which is always safe (the
 * file itself, or an HTML listing).
 */
#include "accept.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void skip_ows(struct str s, size_t *i)
{
	while (*i < s.n && is_blank(s.p[*i]))
		(*i)++;
}

/* A token at s[*i..] (RFC 9110 §5.6.2); moves *i past it. Returns it, or an
 * empty slice when none starts there. */
static struct str list_token(struct str s, size_t *i)
{
	size_t j = *i;

	while (j < s.n && is_tchar((unsigned char)s.p[j]))
		j++;
	struct str t = { s.p + *i, j - *i };
	*i = j;
	return t;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (§12.4.2),
 * times 1000. Returns -1 if t is not one. */
static int qvalue(struct str t)
{
	if (t.n == 0 || (t.p[0] != '0' && t.p[0] != '1'))
		return -1;
	int q = (t.p[0] - '0') * 1000;
	if (t.n == 1)
		return q;
	if (t.p[1] != '.' || t.n > 5)
		return -1;
	int scale = 100;
	for (size_t k = 2; k < t.n; k++, scale /= 10) {
		if (t.p[k] < '0' || t.p[k] > '9' || (q == 1000 && t.p[k] != '0'))
			return -1;
		q += (t.p[k] - '0') * scale;
	}
	return q;
}

/* A quoted-string at s[*i] (§5.6.4); moves *i past it. Returns 0 or -1. */
static int quoted_string(struct str s, size_t *i)
{
	size_t j = *i + 1;

	while (j < s.n && s.p[j] != '"') {
		if (s.p[j] == '\\')
			j++;
		j++;
	}
	if (j >= s.n)
		return -1;
	*i = j + 1;
	return 0;
}

/*
 * The parameters after a member's name: *( OWS ";" OWS name "=" value ),
 * the weight among them. media: other parameters are allowed (Accept);
 * else only "q" (Accept-Encoding's weight). Stops at the comma or the end.
 * Returns the weight (1000 when none), or -1 if malformed.
 */
static int member_params(struct str s, size_t *i, int media)
{
	int q = 1000;

	for (;;) {
		skip_ows(s, i);
		if (*i == s.n || s.p[*i] == ',')
			return q;
		if (s.p[*i] != ';')
			return -1;
		(*i)++;
		skip_ows(s, i);
		struct str name = list_token(s, i);
		if (name.n == 0 || *i == s.n || s.p[*i] != '=')
			return -1;
		(*i)++;
		int is_q = str_ieq(name, STR("q"));
		if (!is_q && !media)
			return -1;
		if (*i < s.n && s.p[*i] == '"' && !is_q) {
			if (quoted_string(s, i) < 0)
				return -1;
			continue;
		}
		struct str v = list_token(s, i);
		if (v.n == 0)
			return -1;
		if (is_q && (q = qvalue(v)) < 0)
			return -1;
	}
}

/* ---- Accept-Encoding ---- */

void coding_weights_init(struct coding_weights *w)
{
	for (int c = 0; c < CODING_COUNT; c++)
		w->q[c] = -1;
	w->star = -1;
	w->bad = 0;
}

static int coding_of(struct str name)
{
	if (str_ieq(name, STR("br")))
		return CODING_BR;
	if (str_ieq(name, STR("zstd")))
		return CODING_ZSTD;
	if (str_ieq(name, STR("gzip")) || str_ieq(name, STR("x-gzip")))
		return CODING_GZIP;
	if (str_ieq(name, STR("identity")))
		return CODING_IDENTITY;
	return -1;	/* deflate, compress, ...: nothing we have */
}

void coding_weights_add(struct coding_weights *w, struct str v)
{
	size_t i = 0;

	while (i < v.n && !w->bad) {
		skip_ows(v, &i);
		if (i < v.n && v.p[i] == ',') {	/* an empty member (§5.6.1.2) */
			i++;
			continue;
		}
		if (i == v.n)
			break;
		struct str name = list_token(v, &i);
		int q = name.n ? member_params(v, &i, 0) : -1;
		if (q < 0) {
			w->bad = 1;
			break;
		}
		if (name.n == 1 && name.p[0] == '*') {
			if (w->star < 0)
				w->star = (int16_t)q;
		} else {
			int c = coding_of(name);
			if (c >= 0 && w->q[c] < 0)
				w->q[c] = (int16_t)q;
		}
		if (i < v.n)
			i++;	/* the comma */
	}
}

int coding_weight(const struct coding_weights *w, enum coding c)
{
	if (w->q[c] >= 0)
		return w->q[c];
	if (w->star >= 0)
		return w->star;
	return c == CODING_IDENTITY ? 1 : 0;
}

enum coding coding_choose(const struct coding_weights *w, unsigned available)
{
	enum coding best = CODING_IDENTITY;
	int best_q = 0;

	if (w->bad)
		return CODING_IDENTITY;
	for (int c = 0; c < CODING_COUNT; c++) {
		int q = coding_weight(w, (enum coding)c);

		if ((c == CODING_IDENTITY || (available >> c & 1)) && q > best_q) {
			best = (enum coding)c;
			best_q = q;
		}
	}
	return best;
}

/* ---- Accept ---- */

void media_weights_init(struct media_weights *m)
{
	m->q[0] = m->q[1] = -1;
	m->spec[0] = m->spec[1] = 0;
	m->bad = 0;
}

/* How specifically the range type/sub names the media type t/s: 3, 2, 1,
 * or 0 when it does not match it. */
static int specificity(struct str type, struct str sub, struct str t, struct str s)
{
	if (str_eq(type, STR("*")))
		return str_eq(sub, STR("*")) ? 1 : 0;
	if (!str_ieq(type, t))
		return 0;
	if (str_eq(sub, STR("*")))
		return 2;
	return str_ieq(sub, s) ? 3 : 0;
}

void media_weights_add(struct media_weights *m, struct str v)
{
	static const struct str types[2][2] = {
		{ STR("text"), STR("html") }, { STR("application"), STR("json") },
	};
	size_t i = 0;

	while (i < v.n && !m->bad) {
		skip_ows(v, &i);
		if (i < v.n && v.p[i] == ',') {
			i++;
			continue;
		}
		if (i == v.n)
			break;
		struct str type = list_token(v, &i), sub = { NULL, 0 };
		if (type.n && i < v.n && v.p[i] == '/') {
			i++;
			sub = list_token(v, &i);
		}
		int q = sub.n ? member_params(v, &i, 1) : -1;
		if (q < 0) {
			m->bad = 1;
			break;
		}
		for (int k = 0; k < 2; k++) {
			int sp = specificity(type, sub, types[k][0], types[k][1]);

			if (sp > m->spec[k]) {	/* the most specific range wins (§12.5.1) */
				m->spec[k] = (int8_t)sp;
				m->q[k] = (int16_t)q;
			}
		}
		if (i < v.n)
			i++;
	}
}

int media_prefers_json(const struct media_weights *m)
{
	if (m->bad)
		return 0;
	return m->q[1] > (m->q[0] < 0 ? 0 : m->q[0]);
}
