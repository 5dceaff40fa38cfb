/*
 * file.c - static files under the document root.
 *
 * Confinement is the kernel's job: every name is opened with openat2(2)
 * relative to the root fd with RESOLVE_BENEATH (no "..", absolute path or
 * symlink may leave the root) and RESOLVE_NO_MAGICLINKS (no /proc/self/fd
 * tricks). path_normalize() only decides which name to ask for.
 */
#include "../syscall.h"
#include "file.h"
#include "mem.h"
#include "mime.h"
#include "path.h"
#include "response.h"

#define INDEX_NAME	"index.html"
/* A decoded, normalised path is never longer than the target, plus
 * "/index.html" and the NUL. */
#define PATH_MAX_LEN	(HTTP_MAX_REQUEST_LINE + sizeof(INDEX_NAME) + 2)

int file_open_root(const char *dir)
{
	return sys_openat(-100 /* AT_FDCWD */, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
}

/* Open path (relative, NUL-terminated) beneath root. O_NONBLOCK: opening a
 * FIFO must not wait for a writer. Returns an fd or -errno. */
static int open_beneath(int root, const char *path)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};

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

/* ETag: "inode-size-mtime" in hex, strong: any change of content through
 * write(2) changes mtime (RFC 9110 §8.8.3). */
static void put_etag(struct outbuf *ob, const struct stat_k *st)
{
	OB_LIT(ob, "ETag: \"");
	ob_hex(ob, st->st_ino);
	OB_LIT(ob, "-");
	ob_hex(ob, (uint64_t)st->st_size);
	OB_LIT(ob, "-");
	ob_hex(ob, st->st_mtime);
	OB_LIT(ob, ".");
	ob_hex(ob, st->st_mtime_nsec);
	OB_LIT(ob, "\"\r\n");
}

static int error(struct outbuf *ob, int status, const char *date, int keep_alive, int head_only)
{
	resp_error(ob, status, date, keep_alive, head_only, STR(""));
	return status;
}

/* Answer /dir (no trailing slash) with a redirect to /dir/, keeping the
 * query: relative links in the directory's index must resolve inside it
 * (RFC 9110 §15.4.2). The path is VCHARs only: safe in a header. */
static int redirect_to_dir(const struct http_request *req, const char *date, int keep_alive,
			   struct outbuf *ob)
{
	resp_begin(ob, 301, date);
	OB_LIT(ob, "Location: ");
	ob_str(ob, req->path);
	OB_LIT(ob, "/");
	if (req->query.p) {
		OB_LIT(ob, "?");
		ob_str(ob, req->query);
	}
	OB_LIT(ob, "\r\n");
	resp_end(ob, 0, keep_alive);
	return 301;
}

/* Read the whole file (size bytes) into the output buffer after the head, so
 * head and body leave in one write. Returns 0, or -1 if it did not read fully
 * (the file changed under us). */
static int copy_small_file(int fd, uint64_t size, struct outbuf *ob)
{
	uint64_t got = 0;

	while (got < size) {
		long n = sys_read(fd, ob->p + ob->len + got, size - got);

		if (n <= 0)
			return -1;
		got += (uint64_t)n;
	}
	ob->len += got;
	return 0;
}

int file_respond(int root, const struct http_request *req, const char *date, int keep_alive,
		 struct outbuf *ob, struct file_body *body)
{
	char decoded[HTTP_MAX_REQUEST_LINE], path[PATH_MAX_LEN];
	int head_only = req->method_id == HTTP_HEAD;
	struct stat_k st;
	int fd, r;

	body->fd = -1;
	long n = http_percent_decode(req->path, decoded);
	if (n < 0 || (n = path_normalize((struct str){ decoded, (size_t)n }, path)) < 0)
		return error(ob, 400, date, keep_alive, head_only);

	if (req->path.p[req->path.n - 1] == '/') {
		/* A directory URL: go straight for its index. */
		size_t len = (size_t)n;

		if (len == 1 && path[0] == '.')
			len = 0;
		else
			path[len++] = '/';
		memcpy(path + len, INDEX_NAME, sizeof(INDEX_NAME));
		n = (long)(len + sizeof(INDEX_NAME) - 1);
		fd = open_beneath(root, path);
	} else {
		fd = open_beneath(root, path);
		if (fd >= 0 && (r = sys_fstat(fd, &st)) == 0 && (st.st_mode & S_IFMT) == S_IFDIR) {
			sys_close(fd);
			return redirect_to_dir(req, date, keep_alive, ob);
		}
		if (fd >= 0)
			goto opened;
	}
	if (fd < 0)
		return error(ob, open_error_status(fd), date, keep_alive, head_only);
	r = sys_fstat(fd, &st);
opened:
	if (r < 0 || (st.st_mode & S_IFMT) != S_IFREG) {
		sys_close(fd);
		/* a FIFO, socket, device, or a directory named index.html */
		return error(ob, r < 0 ? 500 : 403, date, keep_alive, head_only);
	}

	char lm[IMF_DATE_LEN];
	size_t head_start = ob->len;
	fmt_imf_date(lm, (int64_t)st.st_mtime);
	resp_begin(ob, 200, date);
	resp_header(ob, STR("Content-Type"), mime_type((struct str){ path, (size_t)n }));
	resp_header(ob, STR("Last-Modified"), (struct str){ lm, IMF_DATE_LEN });
	put_etag(ob, &st);
	OB_LIT(ob, "Accept-Ranges: bytes\r\n");
	resp_end(ob, (uint64_t)st.st_size, keep_alive);
	uint64_t size = (uint64_t)st.st_size;
	if (head_only || size == 0) {
		sys_close(fd);
		return 200;
	}
	if (size <= ob->cap - ob->len) {
		r = copy_small_file(fd, size, ob);
		sys_close(fd);
		if (r == 0)
			return 200;
		ob->len = head_start;
		return error(ob, 500, date, 0, 0);
	}
	*body = (struct file_body){ .fd = fd, .off = 0, .end = size };
	return 200;
}
