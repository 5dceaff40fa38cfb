/*
 * site.h - the site-hosting rules: which file answers a GET or HEAD, and
 * with which status, before file.c builds the response.
 *
 *	directory URLs   /dir/ -> dir/index.html, else the listing (or 403)
 *	dotfiles         a path with a segment starting with '.' is 404, but
 *	                 /.well-known/ (RFC 8615); --dotfiles serves them
 *	--clean-urls     /about -> about.html; /about.html -> 308 /about
 *	--fallback       a missing path (404) -> the fallback file, 200, unless
 *	                 its name has an asset extension (mime_is_asset)
 *	--precompressed  FILE.br, FILE.zst or FILE.gz when Accept-Encoding
 *	                 takes it; Vary: Accept-Encoding whenever one exists
 *
 * docs/site.md states the rules; tests/62-site.bats checks them.
 */
#ifndef SCRATCHD_SITE_H
#define SCRATCHD_SITE_H

#include <stddef.h>
#include <stdint.h>
#include "accept.h"
#include "http.h"
#include "lookup.h"
#include "str.h"

#define SITE_INDEX_MAX	255	/* bytes in an --index name */
#define SITE_PATH_MAX	1024	/* bytes in a --fallback or --error-page path */
/* What site_resolve may append to a request's path: "/" and the index
 * name, or ".html" (clean URLs); then a variant's suffix (".zst" is the
 * longest); and the NUL. */
#define SITE_PATH_EXTRA	(1 + SITE_INDEX_MAX + 4 + 1)

/* The name served for a directory URL (default "index.html"), and whether a
 * directory without it is listed (else 403). Returns -EINVAL for a bad name. */
int site_set_index(const char *name, int listing);

/* --precompressed, --clean-urls, --dotfiles. */
void site_set_options(int precompressed, int clean_urls, int dotfiles);

/* Whether names starting with '.' are served and listed (--dotfiles). */
int site_dotfiles(void);

/* Normalise an option's PATH ("/app.html" or "app.html": inside the root)
 * into out[SITE_PATH_MAX]. Returns its length, or -EINVAL when it leaves
 * the root, names the root itself or holds a NUL or a bad escape;
 * -ENAMETOOLONG past SITE_PATH_MAX. Pure. */
long site_normalize_option_path(const char *arg, char *out);

/* --fallback PATH. Returns 0 or site_normalize_option_path's error. */
int site_set_fallback(const char *path);

/* 1 when the normalised path (relative, "." for the root) has a segment
 * that starts with '.', other than a first ".well-known". Pure. */
int site_hidden(struct str path);

/* 1 when the last segment of path ends in ".html" after at least one byte. */
int site_is_html_name(struct str path);

enum plan_kind { PLAN_FILE, PLAN_LISTING, PLAN_REDIRECT, PLAN_ERROR };

/* What a request gets. */
struct site_plan {
	enum plan_kind kind;
	int status;		/* 200 (a file or listing), 301 or 308, or the error */
	struct found f;		/* PLAN_FILE: the file (maybe a variant); PLAN_LISTING: the directory */
	char *path;		/* PLAN_FILE: f's path, NUL-terminated (found_open);
				 * PLAN_LISTING: the directory's ("." for the root);
				 * PLAN_REDIRECT: where to ("." for the root) */
	size_t path_len;
	struct str name;	/* PLAN_FILE: whose type and Cache-Control apply (for a
				 * variant, the file it was made from) */
	struct str type;	/* PLAN_FILE: its Content-Type: the name's (kept in the
				 * cache entry when there is one: no lookup per request) */
	enum coding coding;	/* PLAN_FILE: the variant served, or CODING_IDENTITY */
	uint8_t vary;		/* Vary: Accept-Encoding (a variant of the file exists) */
	uint8_t slash;		/* PLAN_REDIRECT: to a directory URL (trailing '/') */
};

/*
 * Decide the answer to a GET or HEAD of req. path: its decoded, normalised
 * path (path_len bytes, NUL-terminated) in a buffer with SITE_PATH_EXTRA
 * bytes to spare after it; dir_url: the URL ended in '/'. now: the Unix
 * second. Fills *p; what p->f holds open is the caller's to close.
 */
void site_resolve(int root, const struct http_request *req, char *path, size_t path_len,
		  int dir_url, int64_t now, struct site_plan *p);

#endif
