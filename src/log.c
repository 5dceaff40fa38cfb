/* log.c - the buffered access log (Combined Log Format), written as each
 * response ends, with the bytes that were sent (log.h). */
#include "../syscall.h"
#include "log.h"
#include "logfmt.h"
#include "mem.h"
#include "response.h"

/* Lines wait here until log_flush writes them (log.h). Untouched while
 * logging is off. */
static char buf[LOG_BUF_SIZE] SCRATCH_BUFFER;

#define ABSENT 0xffff

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

int log_pending_full(const struct access_log *log, const struct log_pending *p)
{
	return log->fd >= 0 && p->n == LOG_PENDING_MAX;
}

/* s (inside in) as a field, kept to cap + 1 bytes: enough to show "...". */
static struct log_field field(const char *in, struct str s, size_t cap)
{
	if (!s.p)
		return (struct log_field){ ABSENT, 0 };
	return (struct log_field){ (uint16_t)(s.p - in), (uint16_t)(s.n < cap + 1 ? s.n : cap + 1) };
}

static struct str value_of(const char *in, struct log_field f)
{
	return (struct str){ f.off == ABSENT ? NULL : in + f.off, f.len };
}

/* Where the body starts and how long it is: what follows the head in
 * resp[0..len), plus file_bytes (CLF's %b). */
static void place_body(struct log_record *r, const char *resp, size_t len, uint64_t at,
		       uint64_t file_bytes)
{
	size_t head = len;

	for (size_t i = 0; i + 4 <= len; i++) {
		if (resp[i] == '\r' && resp[i + 1] == '\n' && resp[i + 2] == '\r' && resp[i + 3] == '\n') {
			head = i + 4;
			break;
		}
	}
	r->body_at = at + head;
	r->body_len = len - head + file_bytes;
}

static struct log_record *next_record(struct access_log *log, struct log_pending *p)
{
	if (log->fd < 0 || p->n == LOG_PENDING_MAX)
		return NULL;
	return &p->r[p->n++];
}

void log_note(struct access_log *log, struct log_pending *p, const char *in,
	      const struct http_request *req, int status, const char *resp, size_t len,
	      uint64_t at, uint64_t file_bytes)
{
	struct log_record *r = next_record(log, p);

	if (!r)
		return;
	const struct http_header *ref = req ? http_find_header(req, STR("referer")) : NULL;
	const struct http_header *ua = req ? http_find_header(req, STR("user-agent")) : NULL;
	struct str none = { NULL, 0 };
	*r = (struct log_record){
		.method = field(in, req ? req->method : none, LOG_METHOD_MAX),
		.target = field(in, req ? req->target : none, LOG_TARGET_MAX),
		.referer = field(in, ref ? ref->value : none, LOG_FIELD_MAX),
		.agent = field(in, ua ? ua->value : none, LOG_FIELD_MAX),
		.minor = (int8_t)(req && req->target.p ? req->minor : -1),
		.status = (uint16_t)status,
	};
	place_body(r, resp, len, at, file_bytes);
}

void log_note_raw(struct access_log *log, struct log_pending *p, const char *in, struct str buffered,
		  int status, const char *resp, size_t len, uint64_t at, uint64_t file_bytes)
{
	struct log_record *r = next_record(log, p);
	size_t n = 0;

	if (!r)
		return;
	while (n < buffered.n && buffered.p[n] != '\n')
		n++;
	if (n > 0 && n < buffered.n && buffered.p[n - 1] == '\r')
		n--;	/* the line's CR LF is not part of it */
	struct str none = { NULL, 0 };
	*r = (struct log_record){
		.method = field(in, none, 0),
		.target = field(in, (struct str){ buffered.p, n }, LOG_RAW_MAX),
		.referer = field(in, none, 0),
		.agent = field(in, none, 0),
		.minor = -1,
		.raw = 1,
		.status = (uint16_t)status,
	};
	place_body(r, resp, len, at, file_bytes);
}

void log_note_again(struct log_pending *p, int status, const char *resp, size_t len, uint64_t at,
		    uint64_t file_bytes)
{
	if (p->n == 0)
		return;
	struct log_record *r = &p->r[p->n - 1];
	r->status = (uint16_t)status;
	place_body(r, resp, len, at, file_bytes);
}

size_t log_pending_pin(struct log_pending *p, char *in)
{
	struct log_field *f[4 * LOG_PENDING_MAX];
	size_t nf = 0, used = 0;

	for (unsigned i = 0; i < p->n; i++) {
		struct log_record *r = &p->r[i];
		struct log_field *each[4] = { &r->method, &r->target, &r->referer, &r->agent };

		for (int k = 0; k < 4; k++)
			if (each[k]->off != ABSENT)
				f[nf++] = each[k];
	}
	/* by where they are now: each moves down, never over one not yet moved */
	for (size_t i = 1; i < nf; i++)
		for (size_t j = i; j > 0 && f[j]->off < f[j - 1]->off; j--) {
			struct log_field *t = f[j];
			f[j] = f[j - 1];
			f[j - 1] = t;
		}
	for (size_t i = 0; i < nf; i++) {
		memmove(in + used, in + f[i]->off, f[i]->len);
		f[i]->off = (uint16_t)used;
		used += f[i]->len;
	}
	return used;
}

/* Append one line for r to the buffer. */
static void log_line(struct access_log *log, const struct net_addr *peer, const char *in,
		     const struct log_record *r, uint64_t bytes)
{
	char host[NET_ADDR_TEXT_MAX];
	struct outbuf ob;

	/* The line is formatted in place, after what is buffered. */
	if (sizeof(buf) - log->len < LOG_LINE_MAX)
		log_flush(log);
	ob_init(&ob, buf + log->len, LOG_LINE_MAX);
	struct net_addr client;	/* --trusted-proxy, --log-format json (logfmt.h) */
	peer = log_record_client(r, peer, &client);
	if (logfmt_json_line(&ob, peer, in, r, bytes)) {
		log->len += ob.len;
		return;
	}
	size_t n = net_fmt_addr(host, peer);
	while (n > 0 && host[n - 1] != ':')	/* drop ":port" */
		n--;
	size_t skip = host[0] == '[';		/* and the IPv6 brackets */
	ob_put(&ob, host + skip, n - 1 - 2 * skip);
	OB_LIT(&ob, " - - ");
	ob_put(&ob, log->date, CLF_DATE_LEN);
	OB_LIT(&ob, " \"");
	if (r->raw) {
		log_escape(&ob, value_of(in, r->target), LOG_RAW_MAX);
		OB_LIT(&ob, "\" ");
	} else if (r->method.off != ABSENT) {
		log_escape(&ob, value_of(in, r->method), LOG_METHOD_MAX);
		OB_LIT(&ob, " ");
		log_escape(&ob, value_of(in, r->target), LOG_TARGET_MAX);
		if (r->minor >= 0)
			ob_put(&ob, r->minor ? " HTTP/1.1" : " HTTP/1.0", 9);
		OB_LIT(&ob, "\" ");
	} else {
		OB_LIT(&ob, "-\" ");
	}
	ob_u64(&ob, r->status);
	OB_LIT(&ob, " ");
	ob_u64(&ob, bytes);
	for (int k = 0; k < 2; k++) {
		struct log_field f = k ? r->agent : r->referer;

		OB_LIT(&ob, " \"");
		if (f.off != ABSENT)
			log_escape(&ob, value_of(in, f), LOG_FIELD_MAX);
		else
			OB_LIT(&ob, "-");
		OB_LIT(&ob, "\"");
	}
	OB_LIT(&ob, "\n");
	/* host 47 + date 28 + the request line (4 x (32 + 1024) + 9 parsed, or
	 * 4 x 1024 raw) + 2 x 4 x 256 + numbers and punctuation < 256: the caps
	 * keep every line under LOG_LINE_MAX. */
	_Static_assert(NET_ADDR_TEXT_MAX + CLF_DATE_LEN + 4 * (LOG_METHOD_MAX + LOG_TARGET_MAX) + 9 +
			       8 * LOG_FIELD_MAX + 256 < LOG_LINE_MAX &&
			       4 * LOG_RAW_MAX <= 4 * (LOG_METHOD_MAX + LOG_TARGET_MAX),
		       "a fully escaped log line must fit LOG_LINE_MAX");
	log->len += ob.len;
}

void log_settle(struct access_log *log, struct log_pending *p, const struct net_addr *peer,
		const char *in, uint64_t sent)
{
	if (log->fd >= 0) {
		for (unsigned i = 0; i < p->n; i++) {
			const struct log_record *r = &p->r[i];
			uint64_t got = sent > r->body_at ? sent - r->body_at : 0;

			log_line(log, peer, in, r, got < r->body_len ? got : r->body_len);
		}
	}
	p->n = 0;
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
