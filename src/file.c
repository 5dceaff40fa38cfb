/*
 * file.c - static files under the document root.
 *
 * Confinement is the kernel's job: every name is opened with openat2(2)
 * relative to the root fd with RESOLVE_BENEATH (no "..", absolute path or
 * symlink may leave the root) and RESOLVE_NO_MAGICLINKS (no /proc/self/fd
 * tricks). path_normalize() only decides which name to ask for.
 *
 * A regular file is answered after its preconditions (If-Match,
 * If-Unmodified-Since, If-None-Match, If-Modified-Since) and its Range, in
 * the order of RFC 9110 §13.2.2; the field grammar is cond.c's.
 */
#include "../syscall.h"
#include "cond.h"
#include "fcache.h"
#include "file.h"
#include "listing.h"
#include "mem.h"
#include "mime.h"
#include "path.h"
#include "response.h"

static struct str index_name = STR("index.html");
static int listing = 1;
static int walk_mode;		/* no openat2: see open_walk() */
/* A decoded, normalised path is never longer than the target, plus
 * "/index.html" and the NUL. */
#define PATH_MAX_LEN	(HTTP_MAX_REQUEST_LINE + FILE_INDEX_MAX + 2)
/* file_respond's path. Static, not on the stack: an 8 KiB frame would put
 * every call below it on stack pages of their own (docs/architecture.md,
 * Memory). One request at a time per process, so one buffer. */
static char path_buf[PATH_MAX_LEN] SCRATCH_BUFFER;

int file_set_index(const char *name, int list)
{
	size_t n = cstr_len(name);

	if (n == 0 || n > FILE_INDEX_MAX)
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

int file_walk_mode(void)
{
	return walk_mode;
}


int file_open_root(const char *dir)
{
	struct open_how how = { .flags = FILE_OPEN_FLAGS, .resolve = RESOLVE_BENEATH };
	int root = sys_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

	if (root < 0)
		return root;
	int fd = sys_openat2(root, ".", &how);
#ifdef SCRATCHD_TEST_WALK
	if (fd >= 0)	/* test build (make test-builds): as if the kernel had no openat2 */
		sys_close(fd);
	fd = -ENOSYS;
#endif
	if (fd == -ENOSYS)
		walk_mode = 1;	/* Linux < 5.6, or a sandbox that hides it */
	else if (fd >= 0)
		sys_close(fd);
	return root;
}

/*
 * Without openat2: open path one component at a time from root, each with
 * O_NOFOLLOW, so no symlink is ever followed (symlinks are not served in
 * this mode) and, with ".." gone after path_normalize(), no component can
 * leave the root. Returns an fd or -errno.
 */
static int open_walk(int root, char *path)
{
	int dir = root;
	char *p = path;

	if (p[0] == '.' && p[1] == '\0')
		return sys_openat(root, ".", FILE_OPEN_FLAGS | O_NOFOLLOW, 0);
	for (;;) {
		char *slash = p;

		while (*slash && *slash != '/')
			slash++;
		int last = *slash == '\0';
		*slash = '\0';
		int fd = sys_openat(dir, p, FILE_OPEN_FLAGS | O_NOFOLLOW, 0);
		if (!last)
			*slash = '/';
		if (dir != root)
			sys_close(dir);
		if (fd < 0 || last)
			return fd;
		dir = fd;
		p = slash + 1;
	}
}

/* Open path (relative, NUL-terminated) beneath root. O_NONBLOCK: opening a
 * FIFO must not wait for a writer. Returns an fd or -errno. */
static int open_beneath(int root, char *path)
{
	struct open_how how = {
		.flags = FILE_OPEN_FLAGS,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};

	if (walk_mode)
		return open_walk(root, path);
	return sys_openat2(root, path, &how);
}

/* The status for a failed open. */
static int open_error_status(int err)
{
	switch (err) {
	case -EACCES:
	case -EPERM:
		return 403;
	case -EMFILE:
	case -ENFILE:
	case -ENOMEM:
		return 503;
	default:	/* ENOENT, ENOTDIR, ENAMETOOLONG; EXDEV and ELOOP: an escape */
		return 404;
	}
}

static int error(struct outbuf *ob, int status, const char *date, int keep_alive, int head_only)
{
	resp_error(ob, status, date, keep_alive, head_only, STR(""));
	return status;
}

/* Answer /dir (no trailing slash) with a redirect to /dir/, keeping the
 * query: relative links in the directory's index must resolve inside it
 * (RFC 9110 §15.4.2). The Location is built from the normalised path dir
 * (relative to the root, no "." or ".." left), each segment percent-encoded:
 * never the target as sent, whose "//host/..%2fdir" would send a browser to
 * another host. A Location too long for the response buffer gets 414. */
static int redirect_to_dir(const struct http_request *req, struct str dir, const char *date,
			   int keep_alive, struct outbuf *ob)
{
	size_t start = ob->len;

	if (dir.n == 1 && dir.p[0] == '.')
		dir.n = 0;	/* the root itself */
	resp_begin(ob, 301, date);
	OB_LIT(ob, "Location: /");
	for (size_t i = 0; i < dir.n; i++) {
		if (dir.p[i] == '/')
			OB_LIT(ob, "/");
		else
			url_encode(ob, (struct str){ dir.p + i, 1 });
	}
	if (dir.n)
		OB_LIT(ob, "/");
	if (req->query.p) {
		OB_LIT(ob, "?");
		ob_str(ob, req->query);
	}
	OB_LIT(ob, "\r\n");
	resp_end(ob, 0, keep_alive);
	if (!ob->overflow || start > 0)
		return 301;	/* behind other responses: tried again alone */
	ob->len = start;
	ob->overflow = 0;
	return error(ob, 414, date, keep_alive, req->method_id == HTTP_HEAD);
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
				  int64_t now, uint64_t size, struct byte_range *br)
{
	struct str range, ir;
	int has_ir;

	if (req->method_id != HTTP_GET || single_field(req, STR("range"), &range) != 1)
		return RANGE_NONE;
	/* a false If-Range, or a repeated one, means "send the whole thing" */
	has_ir = single_field(req, STR("if-range"), &ir);
	if (has_ir < 0 || (has_ir == 1 && !if_range_match(ir, etag, mtime, now)))
		return RANGE_NONE;
	return range_parse(range, size, br);
}

/* The fields a 200 and a 206 share: type and validators. */
static void put_meta(struct outbuf *ob, struct str type, struct str lm, struct str etag)
{
	resp_header(ob, STR("Content-Type"), type);
	resp_header(ob, STR("Last-Modified"), lm);
	resp_header(ob, STR("ETag"), etag);
	OB_LIT(ob, "Accept-Ranges: bytes\r\n");
}

/* What file_send needs of a regular file: its validators, and either an open
 * fd or (from the cache) its bytes. */
struct file_meta {
	uint64_t size;
	int64_t mtime;		/* Last-Modified, as last_modified() gives it */
	struct str etag, lm;
	struct str type;	/* Content-Type */
	const char *data;	/* the cached bytes, or NULL: read from fd */
	int fd;			/* -1 with data */
};

static void close_file(const struct file_meta *f)
{
	if (f->fd >= 0)
		sys_close(f->fd);
}

int file_read_full(int fd, char *dst, uint64_t n)
{
	for (uint64_t got = 0; got < n;) {
		long r = sys_read(fd, dst + got, n - got);

		if (r <= 0)
			return -1;
		got += (uint64_t)r;
	}
	return 0;
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
	else if (file_read_full(f->fd, ob->p + ob->len, n) < 0)	/* the whole file: off is 0 */
		return -1;
	ob->len += n;
	return 0;
}

/* Answer for the regular file f: 200, 206, 304, 412 or 416. now:
 * the current Unix time (If-Range dates, RFC 850 years). Takes f->fd: it is
 * closed, or handed over in *body. */
static int file_send(const struct http_request *req, const char *date, int64_t now, int keep_alive,
		     const struct file_meta *f, struct outbuf *ob, struct file_body *body)
{
	int head_only = req->method_id == HTTP_HEAD;
	struct byte_range br;
	int status;

	int conditional = has_conditions(req);

	status = conditional ? preconditions(req, f->etag, f->mtime, now) : 0;
	if (status == 412) {
		close_file(f);
		return error(ob, 412, date, keep_alive, head_only);
	}
	if (status == 304) {
		/* The validators, and no Content-Length: a 304 has no content
		 * (RFC 9112 §6.3) and this one would state the 200's (§8.6). */
		close_file(f);
		resp_begin(ob, 304, date);
		resp_header(ob, STR("Last-Modified"), f->lm);
		resp_header(ob, STR("ETag"), f->etag);
		resp_connection(ob, keep_alive);
		OB_LIT(ob, "\r\n");
		return 304;
	}

	switch (conditional ? want_range(req, f->etag, f->mtime, now, f->size, &br) : RANGE_NONE) {
	case RANGE_UNSATISFIABLE:
		close_file(f);
		resp_begin(ob, 416, date);
		OB_LIT(ob, "Content-Range: bytes */");	/* the current length, §15.5.17 */
		ob_u64(ob, f->size);
		OB_LIT(ob, "\r\n");
		resp_end(ob, 0, keep_alive);
		return 416;
	case RANGE_SINGLE:
		/* From an fd always through sendfile from the offset, small
		 * or not: the head goes out first, then bytes first..last. */
		resp_begin(ob, 206, date);
		put_meta(ob, f->type, f->lm, f->etag);
		OB_LIT(ob, "Content-Range: bytes ");
		ob_u64(ob, br.first);
		OB_LIT(ob, "-");
		ob_u64(ob, br.last);
		OB_LIT(ob, "/");
		ob_u64(ob, f->size);
		OB_LIT(ob, "\r\n");
		resp_end(ob, br.last - br.first + 1, keep_alive);
		if (f->data && !head_only)
			copy_body(f, br.first, br.last - br.first + 1, ob);
		if (ob->overflow || f->fd < 0) {	/* overflow: the caller answers 500 */
			close_file(f);
			return 206;
		}
		*body = (struct file_body){ .fd = f->fd, .off = br.first, .end = br.last + 1 };
		return 206;
	default:	/* no range, an ignored one, or several: all of it */
		break;
	}

	size_t head_start = ob->len;
	resp_begin(ob, 200, date);
	put_meta(ob, f->type, f->lm, f->etag);
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
		return error(ob, 500, date, 0, 0);
	}
	*body = (struct file_body){ .fd = f->fd, .off = 0, .end = f->size };
	return 200;
}

/* Answer from the cache entry e; returns the status. When its bytes do not
 * fit behind the head: with other responses before it in ob (pipelining),
 * returns the status with ob->overflow set, so they are sent first and the
 * request is answered again; alone, returns 0 (ob unchanged): then the
 * bytes go by sendfile. */
static int send_cached(const struct fcache_entry *e, const struct http_request *req,
		       const char *date, int64_t now, int keep_alive, struct outbuf *ob,
		       struct file_body *body)
{
	const struct file_meta f = {
		.size = e->size, .mtime = e->lm_time, .data = e->data, .fd = -1,
		.etag = { e->etag, e->etag_len }, .lm = { e->lm, IMF_DATE_LEN }, .type = e->type,
	};
	size_t start = ob->len;
	int status = file_send(req, date, now, keep_alive, &f, ob, body);

	if (!ob->overflow || start > 0)
		return status;
	ob->len = start;
	ob->overflow = 0;
	return 0;
}

int file_respond(int root, const struct http_request *req, const char *date, int64_t now,
		 int keep_alive, struct outbuf *ob, struct file_body *body)
{
	char *path = path_buf;
	int head_only = req->method_id == HTTP_HEAD;
	int dir_url = req->path.p[req->path.n - 1] == '/';
	size_t dir_len = 0;
	struct fcache_entry *e;
	struct stat_k st;
	int fresh = 0, r;

	body->fd = -1;
	long n = http_percent_decode(req->path, path);	/* then normalised in place */
	if (n < 0 || (n = path_normalize((struct str){ path, (size_t)n }, path)) < 0)
		return error(ob, 400, date, keep_alive, head_only);
	if (dir_url) {
		/* A directory URL: go straight for its index. */
		dir_len = (size_t)n;
		if (dir_len == 1 && path[0] == '.')
			dir_len = 0;
		else
			path[dir_len++] = '/';
		memcpy(path + dir_len, index_name.p, index_name.n);
		n = (long)(dir_len + index_name.n);
		path[n] = '\0';
	}
	struct str name = { path, (size_t)n };

	e = fcache_lookup(name, now, &fresh);
	if (e && fresh && (r = send_cached(e, req, date, now, keep_alive, ob, body)))
		return r;

	int fd = open_beneath(root, path);
	if (fd == -ENOENT && dir_url) {
		/* no index: list the directory itself, if allowed */
		path[dir_len ? dir_len - 1 : 0] = '\0';
		if (!dir_len)
			path[0] = '.', path[1] = '\0';
		fd = open_beneath(root, path);
		if (fd < 0)
			return error(ob, open_error_status(fd), date, keep_alive, head_only);
		if (!listing) {
			sys_close(fd);
			return error(ob, 403, date, keep_alive, head_only);
		}
		if ((r = listing_preconditions(req)) != 0) {
			sys_close(fd);
			if (r == 412)
				return error(ob, 412, date, keep_alive, head_only);
			resp_begin(ob, 304, date);	/* no validator to send */
			resp_connection(ob, keep_alive);
			OB_LIT(ob, "\r\n");
			return 304;
		}
		r = listing_respond(fd, req, date, keep_alive, ob, body);
		sys_close(fd);
		return r;
	}
	if (fd < 0)
		return error(ob, open_error_status(fd), date, keep_alive, head_only);
	r = sys_fstat(fd, &st);
	if (r == 0 && !dir_url && (st.st_mode & S_IFMT) == S_IFDIR) {
		sys_close(fd);
		return redirect_to_dir(req, name, date, keep_alive, ob);
	}
	if (r < 0 || (st.st_mode & S_IFMT) != S_IFREG) {
		sys_close(fd);
		/* a FIFO, socket, device, or a directory named index.html */
		return error(ob, r < 0 ? 500 : 403, date, keep_alive, head_only);
	}

	/* Kept since an earlier second: still the same file? */
	if (e && !fresh) {
		if (!fcache_revalidate(e, &st, now))
			e = NULL;	/* changed: read it again, below */
		else if ((r = send_cached(e, req, date, now, keep_alive, ob, body))) {
			sys_close(fd);
			return r;
		}
	}
	/* Small enough to keep: the next requests need no open at all. (Not
	 * again when it is kept but its head is too big to send it from there.) */
	if (!e && (uint64_t)st.st_size <= FCACHE_FILE_MAX && (e = fcache_fill(root, name, now)) &&
	    (r = send_cached(e, req, date, now, keep_alive, ob, body))) {
		sys_close(fd);
		return r;
	}

	char lm[IMF_DATE_LEN], etag[ETAG_MAX];
	const struct file_meta f = {
		.size = (uint64_t)st.st_size, .mtime = last_modified((int64_t)st.st_mtime, now), .fd = fd,
		.etag = { etag, etag_format(etag, st.st_ino, (uint64_t)st.st_size, st.st_mtime,
					   st.st_mtime_nsec) },
		.lm = { lm, IMF_DATE_LEN }, .type = mime_type(name),
	};
	fmt_imf_date(lm, f.mtime);
	return file_send(req, date, now, keep_alive, &f, ob, body);
}
