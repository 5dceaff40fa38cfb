/*
 * page.h - the HTML pages scratchd writes itself: listings and error
 * pages, with the landing page's look (www/style.css), and their escapes.
 *
 *	page_open(ob); html_escape(ob, title); page_body(ob);
 *	... the content ...
 *	page_close(ob);
 */
#ifndef SCRATCHD_PAGE_H
#define SCRATCHD_PAGE_H

#include "str.h"

/* The stylesheet, the same text as www/style.css. */
extern const struct str page_style;

/* Doctype, charset, viewport, and "<title>" (the caller writes the title). */
void page_open(struct outbuf *ob);

/* "</title>", the stylesheet, "<main>". */
void page_body(struct outbuf *ob);

/* "</main>". */
void page_close(struct outbuf *ob);

/* Append s as HTML text or attribute value: & < > " ' as references;
 * control bytes and bytes that are not UTF-8 as U+FFFD. */
void html_escape(struct outbuf *ob, struct str s);

/* Append s as the inside of a JSON string (RFC 8259 §7): " \ and controls
 * escaped, < > & too; bytes that are not UTF-8 as \ufffd. */
void json_escape(struct outbuf *ob, struct str s);

/* Append s percent-encoded for use in a URL path segment: everything but
 * RFC 3986 unreserved characters becomes %HH. */
void url_encode(struct outbuf *ob, struct str s);

#endif
