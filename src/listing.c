/*
 * listing.c - an HTML index of a directory that has no index.html.
 *
 * getdents64(2) gives the names, fstatat(2) their sizes; the names are kept
 * in a bounded arena and sorted; the page is written to a memfd (an anonymous
 * file, memfd_create(2)) so the connection sends it with sendfile like any
 * file, and no shared buffer is held while a slow client reads it.
 */
#include "../syscall.h"
#include "listing.h"
#include "mem.h"
#include "response.h"

struct entry {
	uint32_t name;		/* offset of the NUL-terminated name in names[] */
	uint16_t len;
	uint8_t is_dir;
	uint64_t size;
};

/* Per worker; a listing is built and written out in one go. */
static char names[LISTING_NAMES_SIZE] SCRATCH_BUFFER;
static struct entry entries[LISTING_MAX_ENTRIES] SCRATCH_BUFFER;
static char html[LISTING_HTML_SIZE] SCRATCH_BUFFER;
static char dents[32768] SCRATCH_BUFFER;

void html_escape(struct outbuf *ob, struct str s)
{
	for (size_t i = 0; i < s.n; i++) {
		switch (s.p[i]) {
		case '&': OB_LIT(ob, "&amp;"); break;
		case '<': OB_LIT(ob, "&lt;"); break;
		case '>': OB_LIT(ob, "&gt;"); break;
		case '"': OB_LIT(ob, "&quot;"); break;
		case '\'': OB_LIT(ob, "&#39;"); break;
		default: ob_put(ob, &s.p[i], 1);
		}
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

static int entry_before(const struct entry *a, const struct entry *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int d = memcmp(names + a->name, names + b->name, n);

	return d < 0 || (d == 0 && a->len < b->len);
}

/* Shell sort by name (byte order): no recursion, no allocation. */
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

/* Read the directory. Returns the number of entries kept, or -errno; sets
 * *more to the names that did not fit. */
static long read_entries(int dirfd, size_t *more)
{
	size_t n = 0, used = 0;

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

			off += d->d_reclen;
			if (d->d_name[0] == '.' && (len == 1 || (len == 2 && d->d_name[1] == '.')))
				continue;	/* "." and "..": the page links to ../ itself */
			if (n == LISTING_MAX_ENTRIES || len + 1 > sizeof(names) - used) {
				(*more)++;
				continue;
			}
			struct stat_k st;
			int is_dir = d->d_type == DT_DIR;
			uint64_t size = 0;
			/* NOFOLLOW: describe the entry itself, never where a link points */
			if (sys_fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
				is_dir = (st.st_mode & S_IFMT) == S_IFDIR;
				size = (uint64_t)st.st_size;
			}
			memcpy(names + used, d->d_name, len + 1);
			entries[n++] = (struct entry){ (uint32_t)used, (uint16_t)len, (uint8_t)is_dir, size };
			used += len + 1;
		}
	}
}

static int fail(struct outbuf *ob, int status, const char *date, int keep_alive)
{
	resp_error(ob, status, date, keep_alive, 0, STR(""));
	return status;
}

int listing_respond(int dirfd, const struct http_request *req, const char *date, int keep_alive,
		    struct outbuf *ob, struct file_body *body)
{
	/* Static, not on the stack, for the reason file.c's path is. */
	static char decoded[HTTP_MAX_REQUEST_LINE] SCRATCH_BUFFER;
	struct outbuf page;
	size_t more;
	long n = read_entries(dirfd, &more);
	long dlen = http_percent_decode(req->path, decoded);

	if (n < 0 || dlen < 0)
		return fail(ob, 500, date, keep_alive);
	sort_entries(entries, (size_t)n);

	struct str title = { decoded, (size_t)dlen };
	ob_init(&page, html, sizeof(html));
	OB_LIT(&page, "<!doctype html>\n<meta charset=\"utf-8\">\n<title>Index of ");
	html_escape(&page, title);
	OB_LIT(&page, "</title>\n<h1>Index of ");
	html_escape(&page, title);
	OB_LIT(&page, "</h1>\n<table>\n");
	if (title.n > 1)
		OB_LIT(&page, "<tr><td><a href=\"../\">../</a></td><td></td></tr>\n");
	for (long i = 0; i < n && !page.overflow; i++) {
		struct str name = { names + entries[i].name, entries[i].len };

		OB_LIT(&page, "<tr><td><a href=\"");
		url_encode(&page, name);
		if (entries[i].is_dir)
			OB_LIT(&page, "/");
		OB_LIT(&page, "\">");
		html_escape(&page, name);
		if (entries[i].is_dir)
			OB_LIT(&page, "/</a></td><td>-</td></tr>\n");
		else {
			OB_LIT(&page, "</a></td><td>");
			ob_u64(&page, entries[i].size);
			OB_LIT(&page, "</td></tr>\n");
		}
	}
	OB_LIT(&page, "</table>\n");
	if (more) {
		OB_LIT(&page, "<p>");
		ob_u64(&page, more);
		OB_LIT(&page, " more entries not listed.</p>\n");
	}
	if (page.overflow) {	/* never cut a page silently */
		page.len = 0;
		OB_LIT(&page, "<!doctype html>\n<p>This directory is too large to list.</p>\n");
	}

	int fd = sys_memfd_create("listing", MFD_CLOEXEC);
	if (fd < 0)
		return fail(ob, 503, date, keep_alive);
	for (size_t off = 0; off < page.len;) {
		long w = sys_write(fd, page.p + off, page.len - off);
		if (w <= 0) {
			sys_close(fd);
			return fail(ob, 500, date, keep_alive);
		}
		off += (size_t)w;
	}
	resp_begin(ob, 200, date);
	resp_header(ob, STR("Content-Type"), STR("text/html; charset=utf-8"));
	resp_end(ob, page.len, keep_alive);
	if (req->method_id == HTTP_HEAD) {
		sys_close(fd);
		return 200;
	}
	*body = (struct file_body){ .fd = fd, .off = 0, .end = page.len };
	return 200;
}
