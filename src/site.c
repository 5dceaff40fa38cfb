/*
 * site.c - which file answers a GET or HEAD (site.h has the rules).
 *
 * Candidates are looked up one after another (lookup.c: from the cache, or
 * openat2 beneath the root, so a variant or a fallback that is a symlink out
 * of the root is refused like any other file); the first that is a regular
 * file is the answer. With no option given, a request costs what it did
 * before: one lookup, and a scan of its path for a dot segment.
 */
#include "site.h"
#include "mem.h"
#include "mime.h"
#include "path.h"

static struct str index_name = STR("index.html");
static int listing = 1;
static int precompressed, clean_urls, dotfiles;
static char fallback[SITE_PATH_MAX + 4];	/* + a variant's suffix */
static size_t fallback_len;	/* 0: no --fallback */

/* The suffix of each variant (enum coding order). */
static const struct str suffix[CODING_IDENTITY] = { STR(".br"), STR(".zst"), STR(".gz") };

int site_set_index(const char *name, int list)
{
	size_t n = cstr_len(name);

	if (n == 0 || n > SITE_INDEX_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (name[i] == '/')
			return -EINVAL;
	if (n <= 2 && name[0] == '.' && (n == 1 || name[1] == '.'))
		return -EINVAL;
	index_name = (struct str){ name, n };
	listing = list;
	return 0;
}

void site_set_options(int pre, int clean, int dots)
{
	precompressed = pre;
	clean_urls = clean;
	dotfiles = dots;
}

int site_dotfiles(void)
{
	return dotfiles;
}

long site_normalize_option_path(const char *arg, char *out)
{
	/* '/' + the argument, so that "app.html" and "/app.html" are the same */
	static char with_slash[SITE_PATH_MAX + 1];
	size_t n = cstr_len(arg);

	if (n == 0 || n > SITE_PATH_MAX - 1)
		return n ? -ENAMETOOLONG : -EINVAL;
	size_t at = arg[0] != '/';
	with_slash[0] = '/';
	memcpy(with_slash + at, arg, n);
	long len = path_normalize((struct str){ with_slash, n + at }, out);
	if (len < 0 || (len == 1 && out[0] == '.'))
		return -EINVAL;
	return len;
}

int site_set_fallback(const char *path)
{
	long n = site_normalize_option_path(path, fallback);

	if (n < 0)
		return (int)n;
	fallback_len = (size_t)n;
	return 0;
}

int site_hidden(struct str path)
{
	/* One pass: a segment starts at 0 or after a '/'. Most paths have no
	 * dot there at all. */
	for (size_t i = 0; i < path.n; i++) {
		if (path.p[i] != '.' || (i > 0 && path.p[i - 1] != '/'))
			continue;
		if (path.n == 1)
			return 0;	/* ".": the root itself */
		if (i == 0 && path.n >= 11 && memcmp(path.p, ".well-known", 11) == 0 &&
		    (path.n == 11 || path.p[11] == '/'))
			continue;	/* RFC 8615 */
		return 1;
	}
	return 0;
}

int site_is_html_name(struct str path)
{
	size_t last = path.n;

	while (last > 0 && path.p[last - 1] != '/')
		last--;
	return path.n - last > 5 && memcmp(path.p + path.n - 5, ".html", 5) == 0;
}

/* The last segment of path, "." for the root. */
static struct str last_segment(struct str path)
{
	size_t i = path.n;

	while (i > 0 && path.p[i - 1] != '/')
		i--;
	return (struct str){ path.p + i, path.n - i };
}

static void error_plan(struct site_plan *p, int status)
{
	p->kind = PLAN_ERROR;
	p->status = status;
	p->f.fd = -1;
}

/* The Accept-Encoding weights of req; 0 when it has no such field (then
 * only the file itself is sent: no coding the client did not ask for). */
static int encoding_weights(const struct http_request *req, struct coding_weights *w)
{
	int present = 0;

	coding_weights_init(w);
	for (size_t i = 0; i < req->nhdr; i++) {
		if (str_ieq(req->hdr[i].name, STR("accept-encoding"))) {
			coding_weights_add(w, req->hdr[i].value);
			present = 1;
		}
	}
	return present && !w->bad;
}

/*
 * p->f is the file path[0..n) (n bytes; the buffer has room for a suffix).
 * With --precompressed, find its variants (once per second for a kept file:
 * its entry remembers them) and, if the request accepts one better than
 * the file, make p->f that variant.
 */
static void choose_variant(int root, const struct http_request *req, char *path, size_t n,
			   int64_t now, struct site_plan *p)
{
	struct coding_weights w;
	struct fcache_entry *e = p->f.e;
	int accepts = encoding_weights(req, &w);
	unsigned have = 0;
	struct found v;

	if (e && e->variants_known) {
		have = e->variants;
	} else {
		uint32_t gen = fcache_generation();

		for (int c = 0; c < CODING_IDENTITY; c++) {
			memcpy(path + n, suffix[c].p, suffix[c].n + 1);
			if (lookup(root, path, n + suffix[c].n, now, &v) == FOUND_FILE)
				have |= 1u << c;
			found_close(&v);
		}
		path[n] = '\0';
		if (e && gen == fcache_generation()) {	/* e is still e */
			e->variants = (uint8_t)have;
			e->variants_known = 1;
		}
	}
	p->vary = have != 0;
	enum coding c = accepts && have ? coding_choose(&w, have) : CODING_IDENTITY;
	if (c != CODING_IDENTITY) {
		memcpy(path + n, suffix[c].p, suffix[c].n + 1);
		if (lookup(root, path, n + suffix[c].n, now, &v) == FOUND_FILE) {
			found_close(&p->f);
			p->f = v;
			p->coding = c;
			p->path_len = n + suffix[c].n;
			return;
		}
		found_close(&v);	/* gone since: the file itself */
		path[n] = '\0';
	}
	/* the variants' lookups may have emptied the cache (its arena full):
	 * the file's entry may hold another file now */
	if (found_stale(&p->f) && lookup(root, path, n, now, &p->f) != FOUND_FILE) {
		found_close(&p->f);
		p->f.e = NULL;	/* gone in the meantime: the caller answers 404 */
	}
}

/* Answer with the file just found at path[0..n). */
static void file_plan(int root, const struct http_request *req, char *path, size_t n, int64_t now,
		      struct site_plan *p)
{
	/* an earlier candidate's lookup may have emptied the cache since */
	if (found_stale(&p->f) && lookup(root, path, n, now, &p->f) != FOUND_FILE) {
		found_close(&p->f);
		return error_plan(p, 404);
	}
	p->kind = PLAN_FILE;
	p->status = 200;
	p->path = path;
	p->path_len = n;
	p->name = (struct str){ path, n };
	p->type = p->f.e ? p->f.e->type : mime_type(p->name);
	if (precompressed) {
		choose_variant(root, req, path, n, now, p);
		if (!p->f.e && p->f.fd < 0)
			error_plan(p, 404);	/* the file went while its variants were looked for */
	}
}

/* A 404 so far: the fallback page, when there is one and the name asked
 * for is not an asset's (a missing script must not be fed HTML). */
static void missing(int root, const struct http_request *req, struct str asked, int64_t now,
		    struct site_plan *p)
{
	if (fallback_len && !mime_is_asset(last_segment(asked)) &&
	    lookup(root, fallback, fallback_len, now, &p->f) == FOUND_FILE)
		return file_plan(root, req, fallback, fallback_len, now, p);
	found_close(&p->f);
	error_plan(p, 404);
}

/* A directory URL: its index, else its listing. path[0..n) is the
 * directory ("." for the root). */
static void directory(int root, const struct http_request *req, char *path, size_t n, int64_t now,
		      struct site_plan *p)
{
	int top = n == 1 && path[0] == '.';	/* the root: "index.html", not "./index.html" */
	size_t at = top ? 0 : n + 1;

	if (at)
		path[n] = '/';
	memcpy(path + at, index_name.p, index_name.n);
	path[at + index_name.n] = '\0';
	enum found_kind k = lookup(root, path, at + index_name.n, now, &p->f);
	if (k == FOUND_FILE)
		return file_plan(root, req, path, at + index_name.n, now, p);
	found_close(&p->f);
	if (k != FOUND_NONE || p->f.status != 404) {
		/* a directory or FIFO named index.html, an unreadable one */
		return error_plan(p, k == FOUND_NONE ? p->f.status : 403);
	}
	/* no index: list the directory itself, if allowed */
	if (top)
		path[0] = '.';
	path[n] = '\0';
	k = lookup(root, path, n, now, &p->f);
	if (k == FOUND_DIR && listing) {
		p->kind = PLAN_LISTING;
		p->status = 200;
		p->path = path;
		p->path_len = n;
		return;
	}
	found_close(&p->f);
	if (k == FOUND_DIR)
		return error_plan(p, 403);	/* --no-listing */
	/* a file named like a directory ("a.txt/"), or nothing at all */
	if (k == FOUND_FILE || (k == FOUND_NONE && p->f.status == 404))
		return missing(root, req, (struct str){ path, n }, now, p);
	error_plan(p, p->f.status);
}

static void redirect_plan(struct site_plan *p, int status, char *path, size_t n, int slash)
{
	p->kind = PLAN_REDIRECT;
	p->status = status;
	p->path = path;
	p->path_len = n;
	p->slash = (uint8_t)slash;
	p->f.fd = -1;
}

/* --clean-urls and a request for an existing X.html: 308 to X (or, for the
 * index, to its directory), unless X itself exists and would then be served
 * instead. Returns 1 when redirected, 0 to serve X.html as asked (the
 * caller's p->f). */
static int clean_redirect(int root, char *path, size_t n, int64_t now, struct site_plan *p)
{
	struct str last = last_segment((struct str){ path, n });
	struct found stem;

	if (str_eq(last, index_name)) {
		found_close(&p->f);
		n -= last.n;
		if (n == 0)
			path[n++] = '.';
		else
			n--;	/* the '/' before it */
		redirect_plan(p, 308, path, n, 1);
		return 1;
	}
	char keep = path[n - 5];
	path[n - 5] = '\0';
	enum found_kind k = lookup(root, path, n - 5, now, &stem);
	found_close(&stem);
	path[n - 5] = keep;
	if (k != FOUND_NONE || stem.status != 404)
		return 0;
	found_close(&p->f);
	redirect_plan(p, 308, path, n - 5, 0);
	return 1;
}

void site_resolve(int root, const struct http_request *req, char *path, size_t n, int dir_url,
		  int64_t now, struct site_plan *p)
{
	struct str asked = { path, n };

	p->coding = CODING_IDENTITY;
	p->vary = 0;
	p->f.fd = -1;
	p->f.e = NULL;
	if (!dotfiles && site_hidden(asked))
		return error_plan(p, 404);	/* as if it were not there */
	if (dir_url)
		return directory(root, req, path, n, now, p);

	enum found_kind k = lookup(root, path, n, now, &p->f);
	if (k == FOUND_FILE) {
		if (clean_urls && site_is_html_name(asked) && clean_redirect(root, path, n, now, p))
			return;
		return file_plan(root, req, path, n, now, p);
	}
	found_close(&p->f);
	if (k == FOUND_DIR)
		return redirect_plan(p, 301, path, n, 1);
	if (k == FOUND_OTHER || p->f.status != 404)
		return error_plan(p, p->f.status);
	if (clean_urls && !site_is_html_name(asked) && !(n == 1 && path[0] == '.')) {
		memcpy(path + n, ".html", 6);
		if (lookup(root, path, n + 5, now, &p->f) == FOUND_FILE)
			return file_plan(root, req, path, n + 5, now, p);
		found_close(&p->f);
		path[n] = '\0';
	}
	missing(root, req, asked, now, p);
}
