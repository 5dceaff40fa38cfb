/*
 * file.c - the response to a GET or HEAD, built from what site.c decided:
 * a regular file (from the cache or an fd), a listing, a redirect or an
 * error page.
 *
 * A file is answered after its preconditions (If-Match,
 * If-Unmodified-Since, If-None-Match, If-Modified-Since) and its Range, in
 * the order of RFC 9110 §13.2.2; the field grammar is cond.c's.
 */
#include "../syscall.h"
#include "accept.h"
#include "cachectl.h"
#include "cond.h"
#include "errpage.h"
#include "file.h"
#include "listing.h"
#include "lookup.h"
#include "mem.h"
#include "mime.h"
#include "page.h"
#include "path.h"
#include "response.h"
#include "site.h"

/* A decoded, normalised path is never longer than the target; then what
 * site.c may append to it. */
#define PATH_MAX_LEN	(HTTP_MAX_REQUEST_LINE + SITE_PATH_EXTRA)
/* file_respond's path. Static, not on the stack: an 8 KiB frame would put
 * every call below it on stack pages of their own (docs/architecture.md,
 * Memory). One request at a time per process, so one buffer. */
static char path_buf[PATH_MAX_LEN] SCRATCH_BUFFER;

static int error(struct outbuf *ob, int status, const char *date, int64_t now, int keep_alive,
		 const struct http_request *req, struct str extra, struct file_body *body)
{
	return errpage_respond(ob, status, date, now, keep_alive, req->method_id == HTTP_HEAD, extra,
			       req->path, body);
}

/* Answer with a redirect to the normalised path dir ("." for the root):
 * 301 to /dir/ for a directory without its slash (relative links in its
 * index must resolve inside it, RFC 9110 §15.4.2), 308 from about.html to
 * about with --clean-urls. The query is kept. The Location is built from
 * the normalised path, each segment percent-encoded: never the target as
 * sent, whose "//host/..%2fdir" would send a browser to another host. A
 * Location too long for the response buffer gets 414. */
static int redirect(const struct http_request *req, int status, struct str dir, int slash,
		    const char *date, int64_t now, int keep_alive, struct outbuf *ob, struct file_body *body)
{
	size_t start = ob->len;

	if (dir.n == 1 && dir.p[0] == '.')
		dir.n = 0;	/* the root itself */
	resp_begin(ob, status, date);
	OB_LIT(ob, "Location: /");
	for (size_t i = 0; i < dir.n; i++) {
		if (dir.p[i] == '/')
			OB_LIT(ob, "/");
		else
			url_encode(ob, (struct str){ dir.p + i, 1 });
	}
	if (dir.n && slash)
		OB_LIT(ob, "/");
	if (req->query.p) {
		OB_LIT(ob, "?");
		ob_str(ob, req->query);
	}
	OB_LIT(ob, "\r\n");
	resp_end(ob, 0, keep_alive);
	if (!ob->overflow || start > 0)
		return status;	/* behind other responses: tried again alone */
	ob->len = start;
	ob->overflow = 0;
	return error(ob, 414, date, now, keep_alive, req, STR(""), body);
}

/* The value of the field name, which may appear once: returns 1 and sets *v,
 * 0 if absent, -1 if repeated (two lines would make a list, RFC 9110 §5.3,
 * and these fields are not lists). */
static int single_field(const struct http_request *req, struct str name, struct str *v)
{
	int count = 0;

	for (size_t i = 0; i < req->nhdr; i++)
		if (str_ieq(req->hdr[i].name, name) && count++ == 0)
			*v = req->hdr[i].value;
	return count > 1 ? -1 : count;
}

/* If-Match or If-None-Match against etag, over all its field lines (together
 * one list, RFC 9110 §5.3). Returns 1 or 0, or -1 when absent or malformed:
 * such a field is ignored, like an invalid date (§13.1.3). */
static int match_field(const struct http_request *req, struct str name, struct str etag,
		       int strong)
{
	int r = -1;

	for (size_t i = 0; i < req->nhdr; i++) {
		if (!str_ieq(req->hdr[i].name, name))
			continue;
		int m = etag_list_match(req->hdr[i].value, etag, strong);
		if (m < 0)
			return -1;
		r = r == 1 || m;
	}
	return r;
}

/* Whether req has any If-* or Range field. Most requests have none, and then
 * this one pass over the fields replaces the five lookups below. */
static int has_conditions(const struct http_request *req)
{
	for (size_t i = 0; i < req->nhdr; i++) {
		struct str n = req->hdr[i].name;

		if ((n.n > 3 && str_ieq((struct str){ n.p, 3 }, STR("if-"))) || str_ieq(n, STR("range")))
			return 1;
	}
	return 0;
}

/* The preconditions of a GET or HEAD, in the order of RFC 9110 §13.2.2.
 * Returns 412, 304, or 0 to go on. */
static int preconditions(const struct http_request *req, struct str etag, int64_t mtime,
			 int64_t now)
{
	struct str v;
	int64_t t;
	int m;

	/* 1. If-Match (strong, §13.1.1); 2. only without it, If-Unmodified-Since */
	m = match_field(req, STR("if-match"), etag, 1);
	if (m == 0)
		return 412;
	if (m < 0 && single_field(req, STR("if-unmodified-since"), &v) == 1 &&
	    http_date_parse(v, now, &t) == 0 && mtime > t)
		return 412;
	/* 3. If-None-Match (weak, §13.1.2); 4. only without it, If-Modified-Since,
	 * to the second: Last-Modified has no finer resolution (§13.1.3) */
	m = match_field(req, STR("if-none-match"), etag, 0);
	if (m == 1)
		return 304;
	if (m < 0 && single_field(req, STR("if-modified-since"), &v) == 1 &&
	    http_date_parse(v, now, &t) == 0 && mtime <= t)
		return 304;
	return 0;
}

/* The preconditions of a directory listing, which has no validator: only
 * "*" matches it, as it exists (RFC 9110 §13.1.1, §13.1.2), and the date
 * conditions, with no Last-Modified to compare, are ignored. Returns 412,
 * 304, or 0 to go on. */
static int listing_preconditions(const struct http_request *req)
{
	if (!has_conditions(req))
		return 0;
	if (match_field(req, STR("if-match"), STR(""), 1) == 0)
		return 412;
	if (match_field(req, STR("if-none-match"), STR(""), 0) == 1)
		return 304;
	return 0;
}

/* What the Range field of req asks of a file of size bytes, after If-Range
 * (§13.2.2 step 5). Only a GET has ranges (RFC 9110 §14.2). */
static enum range_kind want_range(const struct http_request *req, struct str etag, int64_t mtime,
				  int64_t now, uint64_t size, struct byte_range *br, unsigned *count)
{
	struct str range, ir;
	int has_ir;

	if (req->method_id != HTTP_GET || single_field(req, STR("range"), &range) != 1)
		return RANGE_NONE;
	/* a false If-Range, or a repeated one, means "send the whole thing" */
	has_ir = single_field(req, STR("if-range"), &ir);
	if (has_ir < 0 || (has_ir == 1 && !if_range_match(ir, etag, mtime, now)))
		return RANGE_NONE;
	return range_parse(range, size, br, count);
}

/* What file_send needs of a regular file: its validators, and either an open
 * fd or (from the cache) its bytes; and what site.c decided about it. */
struct file_meta {
	uint64_t size;
	int64_t mtime;		/* Last-Modified, as last_modified() gives it */
	struct str etag, lm;
	struct str type;	/* Content-Type */
	struct str coding;	/* Content-Encoding, or empty */
	struct str cache;	/* Cache-Control, or empty */
	int vary;		/* Vary: Accept-Encoding */
	const char *data;	/* the cached bytes, or NULL: read from fd */
	int fd;			/* -1 with data */
};

/* The fields a response about the file carries, a 304 too (RFC 9110
 * §15.4.5): validators, Cache-Control, Vary. */
static void put_validators(struct outbuf *ob, const struct file_meta *f)
{
	resp_header(ob, STR("Last-Modified"), f->lm);
	resp_header(ob, STR("ETag"), f->etag);
	if (f->cache.n)
		resp_header(ob, STR("Cache-Control"), f->cache);
	if (f->vary)
		OB_LIT(ob, "Vary: Accept-Encoding\r\n");
}

/* The fields a 200 and a 206 share. */
static void put_meta(struct outbuf *ob, const struct file_meta *f, struct str type)
{
	if (type.n)	/* none: a multipart body's, written before */
		resp_header(ob, STR("Content-Type"), type);
	if (f->coding.n)
		resp_header(ob, STR("Content-Encoding"), f->coding);
	put_validators(ob, f);
	OB_LIT(ob, "Accept-Ranges: bytes\r\n");
}

static void close_file(const struct file_meta *f)
{
	if (f->fd >= 0)
		sys_close(f->fd);
}

/* Append f's bytes [off, off + n) to ob, behind the head. Returns 0, or -1
 * if they do not fit (ob->overflow set) or the file changed under us. */
static int copy_body(const struct file_meta *f, uint64_t off, uint64_t n, struct outbuf *ob)
{
	if (n > ob->cap - ob->len) {
		ob->overflow = 1;
		return -1;
	}
	if (f->data)
		memcpy(ob->p + ob->len, f->data + off, n);
	else if (read_full(f->fd, ob->p + ob->len, n) < 0)	/* the whole file: off is 0 */
		return -1;
	ob->len += n;
	return 0;
}

/* FNV-1a of the ETag: a multipart body's boundary, the same for the same
 * file (a byte string a file could hold only by design). */
static uint64_t boundary_of(struct str etag)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < etag.n; i++)
		h = (h ^ (unsigned char)etag.p[i]) * 1099511628211ull;
	return h;
}

/* 206 with a multipart/byteranges body (RFC 9110 §14.6): from the cache,
 * whole in ob; from an fd, the parts by sendfile (body.c). */
static int send_multipart(const struct http_request *req, const char *date, int keep_alive,
			  const struct file_meta *f, const struct byte_range *br, unsigned count,
			  struct outbuf *ob, struct file_body *body)
{
	struct file_body mp = {
		.fd = f->fd, .parts = (uint8_t)count, .in_head = 1, .size = f->size,
		.boundary = boundary_of(f->etag), .type = f->type,
	};
	char boundary[BODY_BOUNDARY_LEN];

	memcpy(mp.range, br, count * sizeof(*br));
	resp_begin(ob, 206, date);
	OB_LIT(ob, "Content-Type: multipart/byteranges; boundary=");
	ob_put(ob, boundary, body_boundary(mp.boundary, boundary));
	OB_LIT(ob, "\r\n");
	put_meta(ob, f, (struct str){ NULL, 0 });
	resp_end(ob, body_multipart_length(&mp), keep_alive);
	if (req->method_id == HTTP_HEAD || ob->overflow) {
		close_file(f);
		return 206;
	}
	if (f->data) {
		for (unsigned k = 0; k <= count && !ob->overflow; k++) {
			char head[BODY_PART_HEAD_MAX];

			ob_put(ob, head, body_part_head(&mp, k, head));
			if (k < count)
				ob_put(ob, f->data + br[k].first, br[k].last - br[k].first + 1);
		}
		return 206;
	}
	*body = mp;
	return 206;
}

/* Answer for the regular file f: 200, 206, 304, 412 or 416. now:
 * the current Unix time (If-Range dates, RFC 850 years). Takes f->fd: it is
 * closed, or handed over in *body. */
static int file_send(const struct http_request *req, const char *date, int64_t now, int keep_alive,
		     const struct file_meta *f, struct outbuf *ob, struct file_body *body)
{
	int head_only = req->method_id == HTTP_HEAD;
	struct byte_range br[RANGE_MAX];
	unsigned count;
	int status;

	int conditional = has_conditions(req);

	status = conditional ? preconditions(req, f->etag, f->mtime, now) : 0;
	if (status == 412) {
		close_file(f);
		return error(ob, 412, date, now, keep_alive, req,
			     f->vary ? STR("Vary: Accept-Encoding\r\n") : STR(""), body);
	}
	if (status == 304) {
		/* The validators, and no Content-Length: a 304 has no content
		 * (RFC 9112 §6.3) and this one would state the 200's (§8.6). */
		close_file(f);
		resp_begin(ob, 304, date);
		put_validators(ob, f);
		resp_connection(ob, keep_alive);
		OB_LIT(ob, "\r\n");
		return 304;
	}

	switch (conditional ? want_range(req, f->etag, f->mtime, now, f->size, br, &count) : RANGE_NONE) {
	case RANGE_UNSATISFIABLE: {
		char extra[96];
		struct outbuf e;

		close_file(f);
		ob_init(&e, extra, sizeof(extra));
		OB_LIT(&e, "Content-Range: bytes */");	/* the current length, §15.5.17 */
		ob_u64(&e, f->size);
		OB_LIT(&e, "\r\n");
		if (f->vary)
			OB_LIT(&e, "Vary: Accept-Encoding\r\n");
		return error(ob, 416, date, now, keep_alive, req, (struct str){ e.p, e.len }, body);
	}
	case RANGE_SINGLE:
		/* From an fd always through sendfile from the offset, small
		 * or not: the head goes out first, then bytes first..last. */
		resp_begin(ob, 206, date);
		put_meta(ob, f, f->type);
		OB_LIT(ob, "Content-Range: bytes ");
		ob_u64(ob, br[0].first);
		OB_LIT(ob, "-");
		ob_u64(ob, br[0].last);
		OB_LIT(ob, "/");
		ob_u64(ob, f->size);
		OB_LIT(ob, "\r\n");
		resp_end(ob, br[0].last - br[0].first + 1, keep_alive);
		if (f->data && !head_only)
			copy_body(f, br[0].first, br[0].last - br[0].first + 1, ob);
		if (ob->overflow || f->fd < 0 || head_only) {	/* overflow: the caller answers 500 */
			close_file(f);
			return 206;
		}
		*body = (struct file_body){ .fd = f->fd, .off = br[0].first, .end = br[0].last + 1 };
		return 206;
	case RANGE_MULTIPLE:
		return send_multipart(req, date, keep_alive, f, br, count, ob, body);
	default:	/* no range, an ignored one, or too many: all of it */
		break;
	}

	size_t head_start = ob->len;
	resp_begin(ob, 200, date);
	put_meta(ob, f, f->type);
	resp_end(ob, f->size, keep_alive);
	if (head_only || f->size == 0 || ob->overflow) {
		close_file(f);
		return 200;
	}
	/* A small file goes behind its head, in the same write. */
	if (f->data || f->size <= ob->cap - ob->len) {
		int r = copy_body(f, 0, f->size, ob);
		close_file(f);
		if (r == 0 || ob->overflow)
			return 200;
		ob->len = head_start;
		return error(ob, 500, date, now, 0, req, STR(""), body);
	}
	*body = (struct file_body){ .fd = f->fd, .off = 0, .end = f->size };
	return 200;
}

/* The Content-Encoding of each variant (enum coding order). */
static const struct str coding_names[CODING_COUNT] = { STR("br"), STR("zstd"), STR("gzip"), STR("") };

/* Answer with the file p found. From the cache when its bytes fit behind
 * the head; when they do not (a --header too long, or earlier responses
 * in ob), from the file itself. */
static int send_found(int root, const struct http_request *req, const char *date, int64_t now,
		      int keep_alive, struct site_plan *p, struct outbuf *ob, struct file_body *body)
{
	struct fcache_entry *e = p->f.e;
	struct file_meta f = {
		.type = p->type, .coding = coding_names[p->coding],
		.cache = cachectl_value(p->name), .vary = p->vary, .fd = -1,
	};

	if (e) {
		size_t start = ob->len;

		f.size = e->size;
		f.mtime = e->lm_time;
		f.data = e->data;
		f.etag = (struct str){ e->etag, e->etag_len };
		f.lm = (struct str){ e->lm, IMF_DATE_LEN };
		int status = file_send(req, date, now, keep_alive, &f, ob, body);
		if (!ob->overflow || start > 0)
			return status;
		ob->len = start;
		ob->overflow = 0;
		if (found_open(root, p->path, &p->f) < 0)
			return error(ob, 404, date, now, keep_alive, req, STR(""), body);
		f.data = NULL;
	}
	char lm[IMF_DATE_LEN], etag[ETAG_MAX];
	struct stat_k *st = &p->f.st;
	f.size = (uint64_t)st->st_size;
	f.mtime = last_modified((int64_t)st->st_mtime, now);
	f.etag = (struct str){ etag, etag_format(etag, st->st_ino, (uint64_t)st->st_size, st->st_mtime,
						 st->st_mtime_nsec) };
	f.lm = (struct str){ lm, IMF_DATE_LEN };
	f.fd = p->f.fd;
	p->f.fd = -1;	/* file_send's now */
	fmt_imf_date(lm, f.mtime);
	return file_send(req, date, now, keep_alive, &f, ob, body);
}

int file_respond(int root, const struct http_request *req, const char *date, int64_t now,
		 int keep_alive, struct outbuf *ob, struct file_body *body)
{
	char *path = path_buf;
	struct site_plan p;
	int r;

	body->fd = -1;
	long n = http_percent_decode(req->path, path);	/* then normalised in place */
	if (n < 0 || (n = path_normalize((struct str){ path, (size_t)n }, path)) < 0)
		return error(ob, 400, date, now, keep_alive, req, STR(""), body);
	site_resolve(root, req, path, (size_t)n, req->path.p[req->path.n - 1] == '/', now, &p);

	switch (p.kind) {
	case PLAN_FILE:
		r = send_found(root, req, date, now, keep_alive, &p, ob, body);
		break;
	case PLAN_REDIRECT:
		r = redirect(req, p.status, (struct str){ p.path, p.path_len }, p.slash, date, now,
			     keep_alive, ob, body);
		break;
	case PLAN_LISTING:
		if ((r = listing_preconditions(req)) == 412) {
			r = error(ob, 412, date, now, keep_alive, req, STR(""), body);
		} else if (r == 304) {
			resp_begin(ob, 304, date);	/* no validator to send */
			OB_LIT(ob, "Cache-Control: no-cache\r\nVary: Accept\r\n");
			resp_connection(ob, keep_alive);
			OB_LIT(ob, "\r\n");
		} else {
			r = listing_respond(root, p.f.fd, (struct str){ p.path, p.path_len }, req, date, now,
					    keep_alive, ob, body);
		}
		break;
	default:
		r = error(ob, p.status, date, now, keep_alive, req, STR(""), body);
		break;
	}
	found_close(&p.f);
	return r;
}
