/*
 * site_test.c - the pure parts of the site rules (src/site.c: dotfiles,
 * clean-URL names, option paths) and the Cache-Control rules
 * (src/cachectl.c), hosted, with ASan and UBSan. The rules that need a
 * directory are tested end to end in tests/62-site.bats.
 */
#include <stdint.h>
#include <stdlib.h>
#include "tap.h"

#define memcmp sd_memcmp
#define memcpy sd_memcpy
#include "../../src/mem.c"
#include "../../src/str.c"
#include "../../src/page.c"
#include "../../src/response.c"
#include "../../src/cond.c"
#include "../../src/path.c"
#include "../../src/mime.c"
#include "../../src/accept.c"
#include "../../src/beneath.c"
#include "../../src/fcache.c"
#include "../../src/lookup.c"
#include "../../src/site.c"
#include "../../src/cachectl.c"
#undef memcmp
#undef memcpy

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* start.S's signal return, which the file cache's set-up names; never run
 * here (fcache_init is not called). */
void sys_restore_rt(void)
{
	abort();
}

static struct str s_(const char *s)
{
	return (struct str){ s, strlen(s) };
}

static void test_hidden(void)
{
	static const struct {
		const char *path;	/* normalised, as site_resolve sees it */
		int hidden;
	} rows[] = {
		{ ".", 0 }, { "index.html", 0 }, { "a/b/c.txt", 0 }, { "a.b/c", 0 }, { "x.", 0 },
		{ ".env", 1 }, { ".git/config", 1 }, { "a/.git/config", 1 }, { "a/b/.htpasswd", 1 },
		{ "...", 1 }, { "..a", 1 }, { "a/.", 1 },
		{ ".well-known", 0 }, { ".well-known/acme-challenge/x", 0 }, { ".well-known/security.txt", 0 },
		{ ".well-known/.x", 1 }, { "a/.well-known/x", 1 }, { ".well-knownx", 1 }, { ".Well-Known/x", 1 },
	};

	for (size_t i = 0; i < N(rows); i++)
		is_int(site_hidden(s_(rows[i].path)), rows[i].hidden, "%s is %s", rows[i].path,
		       rows[i].hidden ? "hidden" : "served");
}

static void test_names(void)
{
	static const struct {
		const char *path;
		int html;
	} rows[] = {
		{ "about.html", 1 }, { "a/b.html", 1 }, { ".html", 0 }, { "a/.html", 0 }, { "x.htm", 0 },
		{ "x.HTML", 0 }, { "html", 0 }, { "a.html/b", 0 }, { "a.html.br", 0 },
	};

	for (size_t i = 0; i < N(rows); i++)
		is_int(site_is_html_name(s_(rows[i].path)), rows[i].html, "%s: %san .html name", rows[i].path,
		       rows[i].html ? "" : "not ");
}

static void test_option_paths(void)
{
	static const struct {
		const char *arg, *want;	/* want NULL: refused */
	} rows[] = {
		{ "/index.html", "index.html" }, { "index.html", "index.html" }, { "/a/../b/./c.html", "b/c.html" },
		{ "//x//y", "x/y" }, { "/", NULL }, { ".", NULL }, { "", NULL }, { "/..", NULL },
		{ "../etc/passwd", NULL }, { "/a/../..", NULL },
	};
	static char out[SITE_PATH_MAX];
	static char arg[SITE_PATH_MAX + 2];

	for (size_t i = 0; i < N(rows); i++) {
		long n = site_normalize_option_path(rows[i].arg, out);
		if (rows[i].want)
			is_mem(out, n < 0 ? 0 : (size_t)n, rows[i].want, "option path [%s]", rows[i].arg);
		else
			ok(n < 0, "option path [%s] refused", rows[i].arg);
	}
	/* SITE_PATH_MAX - 1 bytes taken, SITE_PATH_MAX refused */
	memset(arg, 'a', sizeof(arg));
	arg[0] = '/';
	arg[SITE_PATH_MAX - 1] = 0;
	is_int(site_normalize_option_path(arg, out), SITE_PATH_MAX - 2, "a %d-byte option path is taken",
	       SITE_PATH_MAX - 1);
	arg[SITE_PATH_MAX - 1] = 'a';
	arg[SITE_PATH_MAX] = 0;
	is_int(site_normalize_option_path(arg, out), -ENAMETOOLONG, "a %d-byte option path is refused",
	       SITE_PATH_MAX);
	is_int(site_set_fallback("/../x"), -EINVAL, "--fallback above the root is refused");
	is_int(site_set_index("a/b", 1), -EINVAL, "--index with a slash is refused");
	is_int(site_set_index("..", 1), -EINVAL, "--index .. is refused");
}

static void test_cache_control(void)
{
	static const char *bad[] = {
		"*.js", "*.js=", "js=x", "*=x", "*.=x", "*./x=y", "**.js=x", "/assets=x", "/assets/=x",
		"assets/*=x", "//*=x", "/a//*=x", "/../*=x", "/./*=x", "/a/*/b/*=x", "*.js=a\rb", "*.js=a\nb",
		"*.js=a\x01", "*.js=a\x7f", "/a b/*=x",
	};
	static char value[CACHECTL_VALUE_MAX + 16];

	for (size_t i = 0; i < N(bad); i++)
		is_int(cachectl_add(bad[i]), -EINVAL, "--cache-control bad rule #%zu refused", i);
	is_int(cachectl_count(), 0, "nothing was added");
	struct str def = cachectl_value(s_("a.js"));
	is_mem(def.p, def.n, "no-cache", "no rule: no-cache");

	ok(cachectl_add("/assets/*=public, max-age=31536000, immutable") == 0, "a prefix rule");
	ok(cachectl_add("*.JS=max-age=60") == 0, "an extension rule");
	ok(cachectl_add("*.tar.gz=max-age=5") == 0, "a two-dot extension rule");
	ok(cachectl_add("/*=no-store") == 0, "a rule for every path");
	static const struct {
		const char *path, *want;
	} rows[] = {
		{ "assets/app.js", "public, max-age=31536000, immutable" },	/* first match wins */
		{ "assets/x/y.css", "public, max-age=31536000, immutable" },
		{ "app.js", "max-age=60" }, { "A.Js", "max-age=60" }, { "x.tar.gz", "max-age=5" },
		{ "assetsx/a.css", "no-store" }, { "index.html", "no-store" }, { ".js", "no-store" },
	};
	for (size_t i = 0; i < N(rows); i++) {
		struct str v = cachectl_value(s_(rows[i].path));
		is_mem(v.p, v.n, rows[i].want, "Cache-Control of %s", rows[i].path);
	}
	/* the value: CACHECTL_VALUE_MAX bytes taken, one more refused */
	memcpy(value, "*.x=", 4);
	memset(value + 4, 'v', CACHECTL_VALUE_MAX + 1);
	value[4 + CACHECTL_VALUE_MAX + 1] = 0;
	is_int(cachectl_add(value), -EINVAL, "a value of %d bytes is refused", CACHECTL_VALUE_MAX + 1);
	value[4 + CACHECTL_VALUE_MAX] = 0;
	is_int(cachectl_add(value), 0, "a value of %d bytes is taken", CACHECTL_VALUE_MAX);
	/* CACHECTL_RULES_MAX rules, then -ENOBUFS */
	while (cachectl_count() < CACHECTL_RULES_MAX)
		cachectl_add("*.y=z");
	is_int(cachectl_add("*.y=z"), -ENOBUFS, "rule %d is refused", CACHECTL_RULES_MAX + 1);
	cachectl_no_default();
	struct str none = cachectl_value(s_("q.unmatched"));
	ok(none.n != 0, "a rule still applies with no default");
}

int main(void)
{
	test_hidden();
	test_names();
	test_option_paths();
	test_cache_control();
	return done_testing();
}
