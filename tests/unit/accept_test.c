/*
 * accept_test.c - Accept-Encoding and Accept negotiation (src/accept.c),
 * hosted, with ASan and UBSan. Every field value is copied into a heap
 * block of exactly its length, so a read past its end is reported.
 */
#include <stdint.h>
#include <stdlib.h>
#include "tap.h"

#define memcmp sd_memcmp
#define memcpy sd_memcpy
#include "../../src/mem.c"
#include "../../src/str.c"
#include "../../src/accept.c"
#undef memcmp
#undef memcpy

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char *held;

static struct str exact(const char *s)
{
	size_t n = strlen(s);

	free(held);
	held = malloc(n ? n : 1);
	if (!held)
		abort();
	memcpy(held, s, n);
	return (struct str){ held, n };
}

static const char *coding_name(int c)
{
	static const char *const names[] = { "br", "zstd", "gzip", "identity" };

	return c >= 0 && c < 4 ? names[c] : "?";
}

#define BR (1u << CODING_BR)
#define ZS (1u << CODING_ZSTD)
#define GZ (1u << CODING_GZIP)

static void test_encodings(void)
{
	static const struct {
		const char *field;	/* NULL: no Accept-Encoding at all */
		unsigned have;
		enum coding want;
	} rows[] = {
		/* preference br, zstd, gzip when weights tie */
		{ "gzip, deflate, br, zstd", BR | ZS | GZ, CODING_BR },
		{ "gzip, deflate, br, zstd", ZS | GZ, CODING_ZSTD },
		{ "gzip, deflate, br, zstd", GZ, CODING_GZIP },
		{ "gzip, deflate, br, zstd", 0, CODING_IDENTITY },
		{ "gzip", BR | ZS | GZ, CODING_GZIP },
		{ "br", GZ, CODING_IDENTITY },
		/* q=0 refuses */
		{ "br;q=0, gzip", BR | GZ, CODING_GZIP },
		{ "br;q=0", BR, CODING_IDENTITY },
		{ "gzip;q=0.5, br;q=0.4", BR | GZ, CODING_GZIP },
		{ "gzip;q=1.0, br;q=0.999", BR | GZ, CODING_GZIP },
		{ "gzip;q=0.001", GZ, CODING_GZIP },	/* still beats identity's implied least weight */
		/* * */
		{ "*", BR | GZ, CODING_BR },
		{ "*;q=0, gzip", BR | GZ, CODING_GZIP },
		{ "*;q=0, gzip", BR, CODING_IDENTITY },	/* nothing acceptable: the file, never 406 */
		{ "*;q=0.5, br;q=0", BR | GZ, CODING_GZIP },
		/* identity */
		{ "identity;q=0", 0, CODING_IDENTITY },
		{ "identity;q=0, gzip", GZ, CODING_GZIP },
		{ "identity, gzip;q=0.5", GZ, CODING_IDENTITY },
		{ "identity;q=0.5, gzip;q=0.5", GZ, CODING_GZIP },	/* a tie: the variant */
		/* case, spacing, aliases, empty members */
		{ "GZIP", GZ, CODING_GZIP },
		{ "Br ; Q=0.8", BR, CODING_BR },
		{ "x-gzip", GZ, CODING_GZIP },
		{ " , ,gzip ,", GZ, CODING_GZIP },
		{ "gzip;q=0, gzip", GZ, CODING_IDENTITY },	/* named twice: the first weight */
		/* empty: no coding wanted */
		{ "", BR | GZ, CODING_IDENTITY },
		/* malformed: the field is ignored (the file itself) */
		{ "gzip;q=2", GZ, CODING_IDENTITY },
		{ "gzip;q=1.5", GZ, CODING_IDENTITY },
		{ "gzip;q=0.1234", GZ, CODING_IDENTITY },
		{ "gzip;q=.5", GZ, CODING_IDENTITY },
		{ "gzip;q=", GZ, CODING_IDENTITY },
		{ "gzip;level=1", GZ, CODING_IDENTITY },
		{ "gzip br", GZ, CODING_IDENTITY },
		{ "gz\"ip", GZ, CODING_IDENTITY },
		{ ";q=1", GZ, CODING_IDENTITY },
	};

	for (size_t i = 0; i < N(rows); i++) {
		struct coding_weights w;

		coding_weights_init(&w);
		coding_weights_add(&w, exact(rows[i].field));
		enum coding got = coding_choose(&w, rows[i].have);
		if (!ok(got == rows[i].want, "Accept-Encoding [%s], have %x: %s", rows[i].field, rows[i].have,
			coding_name(rows[i].want)))
			printf("#   got %s\n", coding_name(got));
	}

	/* two field lines are one list (RFC 9110 §5.3) */
	struct coding_weights w;
	coding_weights_init(&w);
	coding_weights_add(&w, exact("br;q=0"));
	coding_weights_add(&w, exact("gzip"));
	is_int(coding_choose(&w, BR | GZ), CODING_GZIP, "two lines: br;q=0 then gzip: gzip");
	is_int(coding_weight(&w, CODING_IDENTITY), 1, "identity unnamed: acceptable, the least weight");
	/* every prefix of a valid value parses within bounds */
	static const char full[] = "gzip;q=0.5, br ; q=1.000, *;q=0";
	for (size_t n = 0; n < sizeof(full); n++) {
		char *p = malloc(n ? n : 1);
		memcpy(p, full, n);
		coding_weights_init(&w);
		coding_weights_add(&w, (struct str){ p, n });
		free(p);
	}
	ok(1, "every prefix of [%s] parsed within its bytes", full);
}

static void test_media(void)
{
	static const struct {
		const char *field;
		int json;
	} rows[] = {
		{ "application/json", 1 },
		{ "Application/JSON", 1 },
		{ "application/json, text/html;q=0.9", 1 },
		{ "application/json;q=0.9, text/html", 0 },
		{ "application/*", 1 },
		{ "*/*", 0 },
		{ "", 0 },
		/* Chromium's, and Firefox's */
		{ "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
		  "application/signed-exchange;v=b3;q=0.7", 0 },
		{ "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 0 },
		/* the most specific range decides */
		{ "application/json;q=0, */*", 0 },
		{ "text/html;q=0, */*", 1 },
		{ "text/*;q=0.1, application/json;q=0.2", 1 },
		{ "application/json; charset=\"utf-8\"; q=0.5, text/html;q=0.4", 1 },
		/* malformed: HTML */
		{ "application/json;q=x", 0 },
		{ "application", 0 },
		{ "application/json;charset=\"utf-8", 0 },
	};

	for (size_t i = 0; i < N(rows); i++) {
		struct media_weights m;

		media_weights_init(&m);
		media_weights_add(&m, exact(rows[i].field));
		is_int(media_prefers_json(&m), rows[i].json, "Accept [%s]: %s", rows[i].field,
		       rows[i].json ? "JSON" : "HTML");
	}
	struct media_weights m;
	media_weights_init(&m);
	is_int(media_prefers_json(&m), 0, "no Accept: HTML");
}

int main(void)
{
	test_encodings();
	test_media();
	free(held);
	return done_testing();
}
