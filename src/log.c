/* log.c - the buffered access log (Combined Log Format). */
#include "../syscall.h"
#include "log.h"
#include "mem.h"
#include "response.h"

/* Lines wait here until log_flush writes them (log.h). Untouched while
 * logging is off. */
static char buf[LOG_BUF_SIZE] SCRATCH_BUFFER;

void log_set_time(struct access_log *log, int64_t t)
{
	char imf[IMF_DATE_LEN];	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	char *d = log->date;

	/* reuse the IMF-fixdate fields, in CLF order: [06/Nov/1994:08:49:37 +0000] */
	fmt_imf_date(imf, t);
	*d++ = '[';
	d[0] = imf[5], d[1] = imf[6], d[2] = '/';		/* day */
	d[3] = imf[8], d[4] = imf[9], d[5] = imf[10], d[6] = '/';	/* month */
	for (int i = 0; i < 4; i++)
		d[7 + i] = imf[12 + i];				/* year */
	d[11] = ':';
	for (int i = 0; i < 8; i++)
		d[12 + i] = imf[17 + i];			/* time */
	d += 20;
	for (const char *z = " +0000]"; *z; z++)
		*d++ = *z;
}

void log_escape(struct outbuf *ob, struct str s, size_t max)
{
	size_t n = s.n < max ? s.n : max;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
			char esc[4] = { '\\', 'x', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15] };
			ob_put(ob, esc, 4);
		} else {
			ob_put(ob, &s.p[i], 1);
		}
	}
	if (n < s.n)
		OB_LIT(ob, "...");
}

/* A quoted field, or "-" when absent. */
static void quoted(struct outbuf *ob, const struct http_header *h, size_t max)
{
	OB_LIT(ob, "\"");
	if (h)
		log_escape(ob, h->value, max);
	else
		OB_LIT(ob, "-");
	OB_LIT(ob, "\"");
}

/* The body bytes of a response: what follows its head in resp[0..len), plus
 * file_bytes (CLF's %b). */
static uint64_t body_bytes(const char *resp, size_t len, uint64_t file_bytes)
{
	for (size_t i = 0; i + 4 <= len; i++)
		if (resp[i] == '\r' && resp[i + 1] == '\n' && resp[i + 2] == '\r' && resp[i + 3] == '\n')
			return len - (i + 4) + file_bytes;
	return file_bytes;
}

void log_request(struct access_log *log, const struct net_addr *peer, const struct http_request *req,
		 int status, const char *resp, size_t len, uint64_t file_bytes)
{
	char host[NET_ADDR_TEXT_MAX];
	struct outbuf ob;

	if (log->fd < 0)
		return;
	/* The line is formatted in place, after what is buffered. */
	if (sizeof(buf) - log->len < LOG_LINE_MAX)
		log_flush(log);
	ob_init(&ob, buf + log->len, LOG_LINE_MAX);
	size_t n = net_fmt_addr(host, peer);
	while (n > 0 && host[n - 1] != ':')	/* drop ":port" */
		n--;
	size_t skip = host[0] == '[';		/* and the IPv6 brackets */
	ob_put(&ob, host + skip, n - 1 - 2 * skip);
	OB_LIT(&ob, " - - ");
	ob_put(&ob, log->date, CLF_DATE_LEN);
	OB_LIT(&ob, " \"");
	if (req && req->method.p) {
		log_escape(&ob, req->method, 32);
		OB_LIT(&ob, " ");
		log_escape(&ob, req->target, LOG_TARGET_MAX);
		if (req->minor >= 0)
			ob_put(&ob, req->minor ? " HTTP/1.1" : " HTTP/1.0", 9);
		OB_LIT(&ob, "\" ");
	} else {
		OB_LIT(&ob, "-\" ");
	}
	ob_u64(&ob, (uint64_t)status);
	OB_LIT(&ob, " ");
	ob_u64(&ob, body_bytes(resp, len, file_bytes));
	OB_LIT(&ob, " ");
	quoted(&ob, req ? http_find_header(req, STR("referer")) : NULL, LOG_FIELD_MAX);
	OB_LIT(&ob, " ");
	quoted(&ob, req ? http_find_header(req, STR("user-agent")) : NULL, LOG_FIELD_MAX);
	OB_LIT(&ob, "\n");
	/* host 47 + date 28 + method 131 + target 4099 + 2 x 1027 + numbers and
	 * punctuation < 200: the caps keep every line under LOG_LINE_MAX. */
	_Static_assert(NET_ADDR_TEXT_MAX + CLF_DATE_LEN + 4 * (32 + LOG_TARGET_MAX + 2 * LOG_FIELD_MAX) + 256 <
		       LOG_LINE_MAX, "a fully escaped log line must fit LOG_LINE_MAX");
	log->len += ob.len;
}

void log_flush(struct access_log *log)
{
	size_t off = 0;

	/* A log that cannot be written (a full disk, a closed pipe) must not
	 * stop the server: what cannot be written is dropped. */
	while (off < log->len) {
		long n = sys_write(log->fd, buf + off, log->len - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	log->len = 0;
}
