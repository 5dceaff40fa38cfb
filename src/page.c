/*
 * page.c - the look shared by the pages scratchd writes itself (listings,
 * error pages) and the landing page (www/style.css holds the same rules:
 * tests/64-browse.bats checks that they are the same text), and the
 * escapes those pages need. Pure: no system calls. Inline and self-
 * contained: a page works under any Content-Security-Policy that allows
 * inline styles, and loads nothing else.
 */
#include "page.h"

static const char style[] =
	":root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --link: #0969da; --code: #f3f5f7; }\n"
	"@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --link: #4493f8; --code: #161b22; } }\n"
	"body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, \"Segoe UI\", sans-serif; }\n"
	"main { max-width: 56rem; margin: 0 auto; padding: 2rem 1rem 3rem; }\n"
	"h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; overflow-wrap: anywhere; }\n"
	"h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }\n"
	"a { color: var(--link); }\n"
	"code, pre { font: .9em ui-monospace, \"SFMono-Regular\", Menlo, monospace; background: var(--code); border-radius: 4px; }\n"
	"code { padding: .1em .3em; overflow-wrap: anywhere; }\n"
	"pre { padding: .75rem 1rem; overflow-x: auto; }\n"
	"pre code { padding: 0; }\n"
	".muted { color: var(--muted); }\n"
	"table { width: 100%; border-collapse: collapse; table-layout: fixed; }\n"
	"th, td { padding: .35rem .5rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }\n"
	"th { color: var(--muted); font-weight: 600; }\n"
	"td:first-child { overflow-wrap: anywhere; }\n"
	".size, .time { white-space: nowrap; font-variant-numeric: tabular-nums; }\n"
	".size { width: 6.5rem; text-align: right; }\n"
	".time { width: 10.5rem; }\n"
	"@media (max-width: 32rem) { .time { display: none; } }\n";

const struct str page_style = { style, sizeof(style) - 1 };

void page_open(struct outbuf *ob)
{
	OB_LIT(ob, "<!doctype html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
}

void page_body(struct outbuf *ob)
{
	OB_LIT(ob, "</title>\n<style>\n");
	ob_str(ob, page_style);
	OB_LIT(ob, "</style>\n<main>\n");
}

void page_close(struct outbuf *ob)
{
	OB_LIT(ob, "</main>\n");
}

/* The length of the UTF-8 sequence starting s.p[i], or 0 when the bytes
 * there are not one (RFC 3629 §4: no overlong forms, no surrogates). */
static size_t utf8_len(struct str s, size_t i)
{
	unsigned char c = (unsigned char)s.p[i];
	size_t n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
		   c >= 0xf0 && c <= 0xf4 ? 4 : 0;

	if (n == 0 || s.n - i < n)
		return 0;
	for (size_t k = 1; k < n; k++)
		if (((unsigned char)s.p[i + k] & 0xc0) != 0x80)
			return 0;
	unsigned char d = (unsigned char)(n > 1 ? s.p[i + 1] : 0);
	if ((c == 0xe0 && d < 0xa0) || (c == 0xed && d >= 0xa0) || (c == 0xf0 && d < 0x90) ||
	    (c == 0xf4 && d >= 0x90))
		return 0;
	return n;
}

void html_escape(struct outbuf *ob, struct str s)
{
	for (size_t i = 0; i < s.n;) {
		unsigned char c = (unsigned char)s.p[i];
		size_t n = utf8_len(s, i);

		if (n == 0 || c < 0x20 || c == 0x7f) {
			OB_LIT(ob, "\xef\xbf\xbd");	/* U+FFFD: never a raw control or a bad byte */
			i++;
			continue;
		}
		switch (c) {
		case '&': OB_LIT(ob, "&amp;"); break;
		case '<': OB_LIT(ob, "&lt;"); break;
		case '>': OB_LIT(ob, "&gt;"); break;
		case '"': OB_LIT(ob, "&quot;"); break;
		case '\'': OB_LIT(ob, "&#39;"); break;
		default: ob_put(ob, s.p + i, n);
		}
		i += n;
	}
}

void json_escape(struct outbuf *ob, struct str s)
{
	for (size_t i = 0; i < s.n;) {
		unsigned char c = (unsigned char)s.p[i];
		size_t n = utf8_len(s, i);

		if (n == 0) {
			OB_LIT(ob, "\\ufffd");	/* not UTF-8: JSON text must be (RFC 8259 §8.1) */
			i++;
			continue;
		}
		if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == 0x7f) {
			/* controls must be escaped (§7); < > & too, so no sniffer
			 * ever finds markup in it */
			char e[6] = { '\\', 'u', '0', '0', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15] };
			ob_put(ob, e, 6);
		} else {
			ob_put(ob, s.p + i, n);
		}
		i += n;
	}
}

void url_encode(struct outbuf *ob, struct str s)
{
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			ob_put(ob, &s.p[i], 1);
		} else {
			char e[3] = { '%', "0123456789ABCDEF"[c >> 4], "0123456789ABCDEF"[c & 15] };
			ob_put(ob, e, 3);
		}
	}
}
