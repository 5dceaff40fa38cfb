/*
 * mime_test.c - media types (src/mime.c): the built-in table, --mime
 * entries, and --mime-types files as mime_load() parses them, at their
 * bounds. Hosted, with ASan and UBSan.
 */
#include <stdint.h>
#include <stdlib.h>
#include "tap.h"

#define memcmp sd_memcmp
#define memcpy sd_memcpy
#include "../../src/mem.c"
#include "../../src/str.c"
#include "../../src/mime.c"
#undef memcmp
#undef memcpy

static struct str s_(const char *s)
{
	return (struct str){ s, strlen(s) };
}

/* Load text as a --mime-types file; returns mime_load's result. */
static int load(const char *text, size_t n, size_t *line, const char **what)
{
	memcpy(mime_file_buffer(), text, n);
	return mime_load(n, line, what);
}

static void type_is(const char *name, const char *want)
{
	struct str t = mime_type(s_(name));

	is_mem(t.p, t.n, want, "type of %s", name);
}

int main(void)
{
	size_t line;
	const char *what;
	static char big[MIME_FILE_MAX];

	type_is("x.wav", "audio/wav");
	type_is("x.unknownext", "application/octet-stream");
	ok(mime_is_asset(s_("app.js")) && mime_is_asset(s_("a/b.WOFF2")) && mime_is_asset(s_("x.map")),
	   "scripts, fonts, maps are assets");
	ok(!mime_is_asset(s_("index.html")) && !mime_is_asset(s_("a.xhtml")) && !mime_is_asset(s_("jane.doe")) &&
	   !mime_is_asset(s_("noext")) && !mime_is_asset(s_("dir.js/x")),
	   "pages, unknown extensions and names without one are not");

	static const char sample[] = "# comment\n\napplication/x-a aa ab # trailing\ntext/x-b\tbb\r\n"
				     "application/first dup\napplication/second dup\napplication/none\n"
				     "application/sarif+json sarif.json\ntext/x-md md";	/* no final LF */
	is_int(load(sample, sizeof(sample) - 1, &line, &what), 0, "a sample file loads");
	type_is("f.aa", "application/x-a");
	type_is("f.AB", "application/x-a");
	type_is("f.bb", "text/x-b; charset=utf-8");
	type_is("f.dup", "application/first");
	type_is("f.sarif.json", "application/sarif+json");
	type_is("f.json", "application/json");
	type_is("f.md", "text/x-md; charset=utf-8");	/* the file wins over the table */
	ok(mime_add(s_("aa"), s_("x/over")) == 0, "--mime aa");
	type_is("f.aa", "x/over");
	is_int(mime_add(s_("a.b"), s_("x/y")), -EINVAL, "--mime takes no dotted extension");
	is_int(mime_add(s_("ok"), s_("x\ny")), -EINVAL, "--mime refuses a control byte in the type");

	static const struct {
		const char *text;
		size_t line;
		int r;
	} bad[] = {
		{ "text/plain a\nnoslash b\n", 2, -EINVAL }, { "text/ a\n", 1, -EINVAL }, { "/x a\n", 1, -EINVAL },
		{ "a/b/c x\n", 1, -EINVAL }, { "text/plain a..b\n", 1, -EINVAL }, { "text/plain .a\n", 1, -EINVAL },
		{ "text/plain a.\n", 1, -EINVAL }, { "text/plain a/b\n", 1, -EINVAL }, { "\n\nx/y a\x01\n", 3, -EINVAL },
		{ "x/y\x7f a\n", 1, -EINVAL },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = load(bad[i].text, strlen(bad[i].text), &line, &what);
		ok(r == bad[i].r && line == bad[i].line, "bad file #%zu: refused at line %zu (%s)", i, bad[i].line,
		   r ? what : "accepted");
	}

	/* MIME_FILE_EXTS extensions, then one more */
	size_t n = 0;
	for (int k = 1; k <= MIME_FILE_EXTS; k++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "x/y e%d\n", k);
	is_int(load(big, n, &line, &what), 0, "%d extensions load", MIME_FILE_EXTS);
	type_is("f.e4096", "x/y");
	n += (size_t)snprintf(big + n, sizeof(big) - n, "x/y e%d\n", MIME_FILE_EXTS + 1);
	is_int(load(big, n, &line, &what), -ENOBUFS, "extension %d is refused", MIME_FILE_EXTS + 1);
	is_int(line, MIME_FILE_EXTS + 1, "... on its line");
	/* an extension of MIME_EXT_MAX bytes, then one more; a type of MIME_TYPE_MAX, then one more */
	char text[512], ext[MIME_EXT_MAX + 2], type[MIME_TYPE_MAX + 2];
	memset(ext, 'e', sizeof(ext));
	memcpy(type, "application/", 12);
	memset(type + 12, 't', sizeof(type) - 12);
	for (int extra = 0; extra <= 1; extra++) {
		n = (size_t)snprintf(text, sizeof(text), "x/y %.*s\n", MIME_EXT_MAX + extra, ext);
		is_int(load(text, n, &line, &what), extra ? -EINVAL : 0, "a %d-byte extension", MIME_EXT_MAX + extra);
		n = (size_t)snprintf(text, sizeof(text), "%.*s z\n", MIME_TYPE_MAX + extra, type);
		is_int(load(text, n, &line, &what), extra ? -EINVAL : 0, "a %d-byte type", MIME_TYPE_MAX + extra);
	}
	/* a whole buffer of the shortest text lines: the copies with a charset fit */
	n = 0;
	for (int k = 0; n + 16 < sizeof(big); k++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "text/a %x\n", k);
	int r = load(big, n, &line, &what);
	ok(r == 0 || r == -ENOBUFS, "a file full of short text lines loads or stops at the extension bound");
	return done_testing();
}
