/*
 * listing.c - the index of a directory that has no index file.
 *
 * getdents64(2) gives the names, fstatat(2) their types, sizes and times
 * (a symlink's target: opened beneath the root, like a request would, and
 * fstat); the names are kept in a bounded arena and sorted; the page (HTML,
 * or JSON when Accept prefers it) is written to a memfd (memfd_create(2))
 * in 64 KiB pieces, so a listing of any size needs no bigger buffer, and
 * the connection sends it with sendfile like any file: no shared buffer is
 * held while a slow client reads it.
 */
#include "../syscall.h"
#include "accept.h"
#include "beneath.h"
#include "errpage.h"
#include "listfmt.h"
#include "listing.h"
#include "mem.h"
#include "page.h"
#include "response.h"
#include "site.h"

struct entry {
	uint32_t name;		/* offset of the NUL-terminated name in names[] */
	uint16_t len;
	uint8_t is_dir;
	uint64_t size;
	int64_t mtime;
};

/* Per worker; a listing is built and written out in one go. */
static char names[LISTING_NAMES_SIZE] SCRATCH_BUFFER;
static struct entry entries[LISTING_MAX_ENTRIES] SCRATCH_BUFFER;
static char page_buf[LISTING_PAGE_BUF] SCRATCH_BUFFER;
static char dents[32768] SCRATCH_BUFFER;
/* a symlink's path from the root: the directory, '/', a name (255) */
static char link_path[HTTP_MAX_REQUEST_LINE + 258] SCRATCH_BUFFER;

/* A row at most: a 255-byte name percent-encoded (3 bytes a byte) and
 * escaped (6 at worst), the cells, a date and a size: under 4 KiB. The
 * page is written out before a row could not fit. */
#define ROW_MAX 4096

static int entry_before(const struct entry *a, const struct entry *b)
{
	if (a->is_dir != b->is_dir)
		return a->is_dir;	/* directories first */
	return natural_cmp((struct str){ names + a->name, a->len }, (struct str){ names + b->name, b->len }) < 0;
}

/* Shell sort: no recursion, no allocation. */
static void sort_entries(struct entry *e, size_t n)
{
	for (size_t gap = n / 2; gap > 0; gap = gap == 2 ? 1 : gap * 5 / 11) {
		for (size_t i = gap; i < n; i++) {
			struct entry t = e[i];
			size_t j = i;

			for (; j >= gap && entry_before(&t, &e[j - gap]); j -= gap)
				e[j] = e[j - gap];
			e[j] = t;
		}
	}
}

/* What a symlink dir/name would serve: 0 and *st when it leads to a file
 * or directory beneath the root (the open a request would make), else -1. */
static int link_target(int root, struct str dir, const char *name, size_t len, struct stat_k *st)
{
	size_t at = 0;

	if (!(dir.n == 1 && dir.p[0] == '.')) {
		memcpy(link_path, dir.p, dir.n);
		link_path[dir.n] = '/';
		at = dir.n + 1;
	}
	memcpy(link_path + at, name, len + 1);
	int fd = beneath_open(root, link_path);
	if (fd < 0)
		return -1;
	int r = sys_fstat(fd, st);
	sys_close(fd);
	return r;
}

/* Read the directory. Returns the number of entries kept, or -errno; sets
 * *more to the names that did not fit. */
static long read_entries(int root, int dirfd, struct str dir, size_t *more)
{
	size_t n = 0, used = 0;
	int dots = site_dotfiles();

	*more = 0;
	for (;;) {
		long got = sys_getdents64(dirfd, dents, sizeof(dents));

		if (got < 0)
			return got;
		if (got == 0)
			return (long)n;
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(dents + off);
			size_t len = cstr_len(d->d_name);
			struct stat_k st;

			off += d->d_reclen;
			if (d->d_name[0] == '.' && (!dots || len == 1 || (len == 2 && d->d_name[1] == '.')))
				continue;	/* hidden; "." and "..": the page links to ../ itself */
			/* NOFOLLOW: the entry itself; a symlink is then followed
			 * as a request would be, beneath the root */
			if (sys_fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			if ((st.st_mode & S_IFMT) == S_IFLNK && link_target(root, dir, d->d_name, len, &st) < 0)
				continue;	/* leads outside the root, or nowhere */
			unsigned type = st.st_mode & S_IFMT;
			if (type != S_IFREG && type != S_IFDIR)
				continue;	/* FIFOs, sockets, devices: never served */
			if (n == LISTING_MAX_ENTRIES || len + 1 > sizeof(names) - used) {
				(*more)++;
				continue;
			}
			memcpy(names + used, d->d_name, len + 1);
			entries[n++] = (struct entry){ (uint32_t)used, (uint16_t)len, type == S_IFDIR,
						       (uint64_t)st.st_size, (int64_t)st.st_mtime };
			used += len + 1;
		}
	}
}

/* Write the page so far to the memfd. Returns 0 or -1. */
static int drain(int fd, struct outbuf *page, uint64_t *total)
{
	for (size_t off = 0; off < page->len;) {
		long w = sys_write(fd, page->p + off, page->len - off);

		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	*total += page->len;
	page->len = 0;
	return 0;
}

static void html_row(struct outbuf *page, const struct entry *e)
{
	struct str name = { names + e->name, e->len };
	char date[ISO_DATE_LEN], size[SIZE_TEXT_MAX];
	size_t dlen = fmt_iso_date(date, e->mtime);

	OB_LIT(page, "<tr><td><a href=\"");
	url_encode(page, name);
	if (e->is_dir)
		OB_LIT(page, "/");
	OB_LIT(page, "\">");
	html_escape(page, name);
	if (e->is_dir) {
		OB_LIT(page, "/</a></td><td class=\"size\">\xe2\x80\x94</td>");
	} else {
		OB_LIT(page, "</a></td><td class=\"size\" title=\"");
		ob_u64(page, e->size);
		ob_str(page, e->size == 1 ? STR(" byte\">") : STR(" bytes\">"));
		ob_put(page, size, fmt_size(size, e->size));
		OB_LIT(page, "</td>");
	}
	OB_LIT(page, "<td class=\"time\">");
	if (dlen) {
		/* 2026-11-22 05:04, the full RFC 3339 time in the attribute */
		OB_LIT(page, "<time datetime=\"");
		ob_put(page, date, dlen);
		OB_LIT(page, "\">");
		ob_put(page, date, 10);
		OB_LIT(page, " ");
		ob_put(page, date + 11, 5);
		OB_LIT(page, "</time>");
	}
	OB_LIT(page, "</td></tr>\n");
}

static void json_row(struct outbuf *page, const struct entry *e, int first)
{
	struct str name = { names + e->name, e->len };
	char date[ISO_DATE_LEN];
	size_t dlen = fmt_iso_date(date, e->mtime);

	ob_str(page, first ? STR("\n{\"name\":\"") : STR(",\n{\"name\":\""));
	json_escape(page, name);
	ob_str(page, e->is_dir ? STR("\",\"type\":\"directory\",\"size\":null") : STR("\",\"type\":\"file\",\"size\":"));
	if (!e->is_dir)
		ob_u64(page, e->size);
	OB_LIT(page, ",\"mtime\":");
	if (dlen) {
		OB_LIT(page, "\"");
		ob_put(page, date, dlen);
		OB_LIT(page, "\"");
	} else {
		OB_LIT(page, "null");
	}
	OB_LIT(page, ",\"url\":\"");
	url_encode(page, name);	/* percent-encoded: no escape needed */
	ob_str(page, e->is_dir ? STR("/\"}") : STR("\"}"));
}

static int fail(struct outbuf *ob, int status, const char *date, int64_t now, int keep_alive,
		const struct http_request *req, struct file_body *body)
{
	return errpage_respond(ob, status, date, now, keep_alive, req->method_id == HTTP_HEAD, STR(""),
			       req->path, body);
}

/* Whether Accept prefers JSON to HTML. */
static int wants_json(const struct http_request *req)
{
	struct media_weights m;

	media_weights_init(&m);
	for (size_t i = 0; i < req->nhdr; i++)
		if (str_ieq(req->hdr[i].name, STR("accept")))
			media_weights_add(&m, req->hdr[i].value);
	return media_prefers_json(&m);
}

int listing_respond(int root, int dirfd, struct str dir, const struct http_request *req,
		    const char *date, int64_t now, int keep_alive, struct outbuf *ob,
		    struct file_body *body)
{
	/* Static, not on the stack, for the reason file.c's path is. */
	static char decoded[HTTP_MAX_REQUEST_LINE] SCRATCH_BUFFER;
	struct outbuf page;
	uint64_t total = 0;
	size_t more;
	long n = read_entries(root, dirfd, dir, &more);
	long dlen = http_percent_decode(req->path, decoded);
	int json = wants_json(req);

	if (n < 0 || dlen < 0)
		return fail(ob, 500, date, now, keep_alive, req, body);
	sort_entries(entries, (size_t)n);

	int fd = sys_memfd_create("listing", MFD_CLOEXEC);
	if (fd < 0)
		return fail(ob, 503, date, now, keep_alive, req, body);
	struct str title = { decoded, (size_t)dlen };
	ob_init(&page, page_buf, sizeof(page_buf));
	if (json) {
		OB_LIT(&page, "[");
	} else {
		page_open(&page);
		OB_LIT(&page, "Index of ");
		html_escape(&page, title);
		page_body(&page);
		OB_LIT(&page, "<h1>Index of ");
		html_escape(&page, title);
		OB_LIT(&page, "</h1>\n<table>\n<thead><tr><th>Name</th><th class=\"size\">Size</th>"
			      "<th class=\"time\">Modified (UTC)</th></tr></thead>\n<tbody>\n");
		if (title.n > 1)
			OB_LIT(&page, "<tr><td><a href=\"../\">../</a></td><td class=\"size\"></td>"
				      "<td class=\"time\"></td></tr>\n");
	}
	int bad = page.overflow;
	for (long i = 0; i < n && !bad; i++) {
		if (page.cap - page.len < ROW_MAX && drain(fd, &page, &total) < 0)
			bad = 1;
		if (json)
			json_row(&page, &entries[i], i == 0);
		else
			html_row(&page, &entries[i]);
		bad |= page.overflow;
	}
	if (json) {
		ob_str(&page, n ? STR("\n]\n") : STR("]\n"));
	} else {
		OB_LIT(&page, "</tbody>\n</table>\n");
		if (more) {
			OB_LIT(&page, "<p class=\"muted\">");
			ob_u64(&page, more);
			OB_LIT(&page, " more entries not listed: a listing shows at most 4096.</p>\n");
		}
		page_close(&page);
	}
	if (bad || page.overflow || drain(fd, &page, &total) < 0) {
		sys_close(fd);
		return fail(ob, 500, date, now, keep_alive, req, body);
	}
	resp_begin(ob, 200, date);
	resp_header(ob, STR("Content-Type"), json ? STR("application/json") : STR("text/html; charset=utf-8"));
	/* no validator: ask each time; the form depends on Accept (RFC 9110 §12.5.5) */
	OB_LIT(ob, "Cache-Control: no-cache\r\nVary: Accept\r\n");
	resp_end(ob, total, keep_alive);
	if (req->method_id == HTTP_HEAD) {
		sys_close(fd);
		return 200;
	}
	*body = (struct file_body){ .fd = fd, .off = 0, .end = total };
	return 200;
}
