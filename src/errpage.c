/*
 * errpage.c - error responses, with the operator's pages (errpage.h).
 *
 * A page is looked up like any file (lookup.c: from the cache, or openat2
 * beneath the root), so a page that is a symlink out of the root is
 * refused, and a small one costs no system call. A missing page is not an
 * error: the built-in page answers instead.
 */
#include "../syscall.h"
#include "errpage.h"
#include "beneath.h"
#include "lookup.h"
#include "mem.h"
#include "mime.h"
#include "response.h"
#include "site.h"

#define NPAGES (ERRPAGE_MAX - ERRPAGE_MIN + 1)

static char paths[NPAGES][SITE_PATH_MAX] LARGE_BUFFER;
static uint16_t path_len[NPAGES];	/* 0: no page for that status */
static int root_fd = -1;

int errpage_set(const char *spec)
{
	uint64_t code;
	const char *eq = spec;

	while (*eq && *eq != '=')
		eq++;
	if (!*eq || parse_u64((struct str){ spec, (size_t)(eq - spec) }, ERRPAGE_MAX, &code) < 0 ||
	    code < ERRPAGE_MIN || eq - spec != 3)
		return -EINVAL;
	unsigned k = (unsigned)code - ERRPAGE_MIN;
	if (path_len[k])
		return -EEXIST;
	long n = site_normalize_option_path(eq + 1, paths[k]);
	if (n < 0)
		return (int)n;
	path_len[k] = (uint16_t)n;
	return 0;
}

void errpage_set_root(int root)
{
	root_fd = root;
}

/* The operator's page for status, found as f: its head and bytes. Returns
 * 0, or -1 with ob untouched (the page is not a regular file, or is too big
 * behind earlier responses: the caller's overflow rules then apply). */
static int custom_page(struct outbuf *ob, int status, const char *date, int keep_alive, int head_only,
		       struct str extra, char *path, size_t n, struct found *f, struct file_body *body)
{
	size_t start = ob->len;
	uint64_t size = f->e ? f->e->size : (uint64_t)f->st.st_size;

	resp_begin(ob, status, date);
	ob_str(ob, extra);
	resp_header(ob, STR("Content-Type"), mime_type((struct str){ path, n }));
	resp_end(ob, size, keep_alive);
	if (head_only || size == 0 || ob->overflow)
		return 0;
	if (f->e && size <= ob->cap - ob->len) {
		memcpy(ob->p + ob->len, f->e->data, size);
		ob->len += size;
		return 0;
	}
	if (f->fd < 0 && found_open(root_fd, path, f) < 0) {
		ob->len = start;
		return -1;
	}
	if (size <= ob->cap - ob->len && read_full(f->fd, ob->p + ob->len, size) == 0) {
		ob->len += size;
		return 0;
	}
	*body = (struct file_body){ .fd = f->fd, .off = 0, .end = size };
	f->fd = -1;	/* the body's now */
	return 0;
}

int errpage_respond(struct outbuf *ob, int status, const char *date, int64_t now, int keep_alive,
		    int head_only, struct str extra, struct str path, struct file_body *body)
{
	if (status >= ERRPAGE_MIN && status <= ERRPAGE_MAX && path_len[status - ERRPAGE_MIN] && root_fd >= 0) {
		unsigned k = (unsigned)status - ERRPAGE_MIN;
		struct found f;

		if (lookup(root_fd, paths[k], path_len[k], now, &f) == FOUND_FILE &&
		    custom_page(ob, status, date, keep_alive, head_only, extra, paths[k], path_len[k], &f,
				body) == 0) {
			found_close(&f);
			return status;
		}
		found_close(&f);
	}
	resp_error_page(ob, status, date, keep_alive, head_only, extra, path);
	return status;
}
