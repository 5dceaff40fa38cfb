/*
 * server.c - the event loop: one thread, one epoll set, many connections.
 *
 * Every connection is a small state machine (darkhttpd's design) kept in one
 * table mapped once at start-up; nothing is allocated per request:
 *
 *	CONN_READ    read and parse request heads (several may be buffered)
 *	CONN_BODY    discard a request body (after "100 Continue" if asked)
 *	CONN_WRITE   send the response: head from out[], body from a file
 *	CONN_LINGER  after an error: half-closed, reading what the client still
 *	             sends so that close() does not reset the answer away
 *
 * epoll is level-triggered: a connection is registered for EPOLLIN, and for
 * EPOLLOUT instead only while a response is stuck on a full socket. Each
 * readiness event allows one read, so a keep-alive request costs exactly
 * epoll_wait, read and write (or write + sendfile for large files).
 *
 * Time comes from a timerfd that ticks once a second: each tick refreshes
 * the cached Date and advances a timer wheel with one slot per second, which
 * holds every connection under its deadline (header, idle or write timeout).
 * Setting a deadline is a store: a connection stays in its slot while the
 * new deadline is no earlier, and the slot's tick moves it on; nothing
 * scans the whole table.
 * SIGTERM and SIGINT arrive through a signalfd in the same epoll set.
 */
#include "../syscall.h"
#include "errpage.h"
#include "fcache.h"
#include "file.h"
#include "http.h"
#include "log.h"
#include "logfile.h"
#include "logfmt.h"
#include "metrics.h"
#include "mem.h"
#include "net.h"
#include "ops.h"
#include "proxy_io.h"
#include "realip.h"
#include "response.h"
#include "seccomp.h"
#include "redirect.h"
#include "server.h"
#include "str.h"
#include "tls_io.h"
#include "transport.h"

#define CONN_IN_SIZE	HTTP_MAX_HEAD	/* a whole request head must fit */
#define CONN_OUT_SIZE	8192		/* a response head and a small file */
#define WHEEL_SLOTS	64		/* timer wheel: one slot per second */
#define MAX_EVENTS	256		/* events taken per epoll_wait */
#define ACCEPT_BATCH	16		/* connections accepted per turn, at most */
#define SEND_BUDGET	(256 * 1024)	/* bytes a connection sends per turn, at most
					 * (transport.h; docs/performance.md) */
#define LINGER_MAX	(256 * 1024)	/* bytes discarded after an error, at most */
#define LINGER_TIMEOUT	2		/* seconds to wait for the client to close */

/* epoll data for the descriptors that are not connections (a connection's
 * is its address, never this small) */
#define EV_TIMER	1
#define EV_SIGNAL	2
#define EV_FCACHE	3	/* the file cache's inotify fd */
#define EV_SIGNER	4	/* the socket to the signer process (src/tls_io.c) */
#define EV_LOGFILE	5	/* the supervisor's socket: a reopened --log file (src/logfile.c) */
#define EV_LISTEN	16	/* + the listener's index */

enum conn_state { CONN_FREE, CONN_READ, CONN_BODY, CONN_WRITE, CONN_LINGER };

struct conn {
	struct conn_io io;	/* the socket, and its transport: plain or TLS */
	uint8_t state;
	uint8_t keep_alive;	/* the connection goes on after this response */
	uint8_t want_write;	/* registered for EPOLLOUT (instead of EPOLLIN) */
	uint8_t watched;	/* in the epoll set: not while its first turn lasts */
	uint8_t again;		/* on the server's again list (its budget was spent) */
	uint8_t chunked;	/* the body being discarded is chunked */
	uint8_t timed;		/* linked into the timer wheel */
	uint8_t linger;		/* after this response: linger, then close */
	uint8_t head_only;	/* the request whose body is read is a HEAD */
	uint8_t secure;		/* over TLS: responses may say Strict-Transport-Security */
	uint8_t redirect;	/* on the --redirect-http listener: every answer is a 308 */
	uint32_t in_off;	/* unparsed input is in[in_off .. in_len) */
	uint32_t in_len;
	uint32_t in_seen;	/* bytes of it the parser has already scanned */
	uint32_t out_off;	/* next byte of out[] to send */
	uint32_t out_ready;	/* out[out_off .. out_ready) may be sent now */
	uint32_t out_len;	/* the rest waits for the request body */
	uint32_t deadline;	/* tick at which the timeout fires */
	uint32_t wheel_at;	/* the tick of the slot it is linked into: <= deadline */
	uint32_t lingered;	/* bytes discarded in CONN_LINGER */
	uint64_t body_left;	/* Content-Length bytes still to discard */
	struct http_chunked chunk;
	struct file_body file;
	uint64_t sent;		/* output bytes the transport took, in all (the log's counts) */
	uint64_t metered;	/* ... of which the metrics have been told (metrics.h) */
	uint16_t pin;		/* in[0..pin) holds logged request fields while a body is read */
	struct net_addr peer;	/* the client, for the access log */
	char *outp;		/* the response: the shared resp[] while it is being
				 * sent in the turn that built it, else out[] */
	struct conn *tprev, *tnext;	/* timer wheel slot list */
	struct conn *next_free;
	struct conn *again_next;	/* the again list: see conn_again() */
	struct log_pending logq;	/* responses whose log lines wait for their end (log.h) */
	char in[CONN_IN_SIZE];
	char out[CONN_OUT_SIZE];
};

struct server {
	const struct server_config *cfg;
	int epfd, timerfd, sigfd;
	int accept_paused;	/* out of descriptors: listeners disarmed */
	int draining;		/* SIGTERM seen: finish and leave */
	uint32_t now;		/* ticks (seconds) since start */
	int64_t unix_now;	/* the wall clock at the last tick, for file.c */
	uint32_t drain_deadline;
	unsigned active;
	struct conn *conns;
	struct conn *free_list;	/* closed connections, to reuse first */
	struct conn *again;	/* connections to run again after this turn's events */
	unsigned fresh;		/* conns[fresh..] have never been used */
	int used_since_idle;	/* a connection came since release_idle_memory */
	struct conn *wheel[WHEEL_SLOTS];
	char date[IMF_DATE_LEN];
	struct http_header hdr[HTTP_MAX_HEADERS];
	struct access_log log;
	/* The kernel fills these from the start: up to about 100 ready
	 * connections stay on the page the fields above already use. */
	struct epoll_event events[MAX_EVENTS];
};

/* Responses are built here and usually sent in the same turn; only what the
 * socket does not take is copied to the connection's out[]. So an idle or
 * keep-alive connection touches its in[] page, not its out[] pages too: half
 * the memory at 1000 connections. Page-aligned, so a small response touches
 * one page, not two. */
static char resp[CONN_OUT_SIZE] SCRATCH_BUFFER;

/* The bytes the open file body still holds: what follows the head. */
static uint64_t file_bytes(const struct conn *c)
{
	return c->file.fd >= 0 ? body_length(&c->file) : 0;
}

/* Where the buffered request starts: past the empty lines a client may send
 * between requests, which are ignored (RFC 9112 §2.2). in_len: none yet. */
static uint32_t request_start(const struct conn *c)
{
	uint32_t i = c->in_off;

	while (i < c->in_len && (c->in[i] == '\r' || c->in[i] == '\n'))
		i++;
	return i;
}

/* Part of a request is buffered, not only empty lines. */
static int request_begun(const struct conn *c)
{
	return request_start(c) < c->in_len;
}

/* A file body was planned and will not be sent: close it. */
static void conn_drop_file(struct conn *c)
{
	if (c->file.fd >= 0) {
		sys_close(c->file.fd);
		c->file.fd = -1;
	}
}

/* The response must outlive this turn (a full socket, or a body to read
 * first): move what is unsent of it from the shared resp[] into the
 * connection's own out[]. Often nothing is (a big file's head has gone, its
 * body waits for sendfile), and then out[] is not touched at all. */
static void conn_keep_output(struct conn *c)
{
	if (c->outp != c->out) {
		memcpy(c->out, c->outp + c->out_off, c->out_len - c->out_off);
		c->outp = c->out;
		c->out_ready -= c->out_off;
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
}

static const char continue_100[] = "HTTP/1.1 100 Continue\r\n\r\n";
static const char refuse_503[] = "HTTP/1.1 503 Service Unavailable\r\nServer: scratchd\r\n"
				 "Content-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n";
static const struct str allow = STR("GET, HEAD, OPTIONS");
static const struct str allow_line = STR("Allow: GET, HEAD, OPTIONS\r\n");

unsigned long server_conn_size(void)
{
	return sizeof(struct conn);
}

/* ---- timer wheel ---- */

static void timer_stop(struct server *s, struct conn *c)
{
	if (!c->timed)
		return;
	if (c->tprev)
		c->tprev->tnext = c->tnext;
	else
		s->wheel[c->wheel_at % WHEEL_SLOTS] = c->tnext;
	if (c->tnext)
		c->tnext->tprev = c->tprev;
	c->timed = 0;
}

static void timer_link(struct server *s, struct conn *c)
{
	struct conn **slot = &s->wheel[c->deadline % WHEEL_SLOTS];

	c->wheel_at = c->deadline;
	c->tprev = NULL;
	c->tnext = *slot;
	if (*slot)
		(*slot)->tprev = c;
	*slot = c;
	c->timed = 1;
}

static void timer_start(struct server *s, struct conn *c, unsigned secs)
{
	/* +1: the next tick may be a moment away; never fire early */
	c->deadline = s->now + secs + 1;
	/* A slot is visited at or before its tick: one no later than the
	 * deadline may keep the connection, and tick() moves it on. A keep-
	 * alive request's two deadlines (header, then idle) relink nothing. */
	if (c->timed && (int32_t)(c->deadline - c->wheel_at) >= 0)
		return;
	timer_stop(s, c);
	timer_link(s, c);
}

/* ---- connections ---- */

static void set_events(struct server *s, struct conn *c, int want_write)
{
	struct epoll_event ev = { .events = want_write ? EPOLLOUT : EPOLLIN, .data = (uint64_t)c };

	if (c->watched && c->want_write == want_write)
		return;
	c->want_write = (uint8_t)want_write;
	/* A new connection joins the epoll set only when it first has to wait:
	 * one answered and closed in its first turn (Connection: close) never
	 * does. Cannot fail short of ENOMEM (or max_user_watches, for the
	 * ADD); a connection that misses its events then meets its timeout. */
	if (sys_epoll_ctl(s->epfd, c->watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->io.fd, &ev) == 0)
		c->watched = 1;
}

/* Watch (or stop watching) the listeners. EPOLLEXCLUSIVE: when workers share
 * a listener (socket activation), one of them wakes per connection. Such an
 * entry cannot be modified (epoll_ctl(2)), so pausing removes it. */
static int watch_listeners(struct server *s, int on)
{
	int r = 0;

	for (unsigned i = 0; i < s->cfg->nlisten; i++) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data = EV_LISTEN + i };
		int fd = s->cfg->listen_fds[i];

		r |= sys_epoll_ctl(s->epfd, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, fd, &ev);
	}
	return r;
}

static void resume_accept(struct server *s)
{
	if (s->accept_paused && !s->draining && watch_listeners(s, 1) == 0)
		s->accept_paused = 0;
}

/* --metrics-path: the bytes sent since the last count (metrics.h). */
static void meter(struct conn *c)
{
	metrics_add(METRIC_SENT, c->sent - c->metered);
	c->metered = c->sent;
}

static void conn_close(struct server *s, struct conn *c)
{
	/* responses cut short: logged with what was sent of them */
	log_settle(&s->log, &c->logq, &c->peer, c->in, c->sent);
	meter(c);
	metrics_add(METRIC_OPEN, (uint64_t)-1);
	c->io.t->goodbye(&c->io);
	timer_stop(s, c);
	if (c->file.fd >= 0)
		sys_close(c->file.fd);
	sys_close(c->io.fd);	/* also removes it from the epoll set */
	c->state = CONN_FREE;
	c->next_free = s->free_list;
	s->free_list = c;
	s->active--;
	resume_accept(s);
}

/* Close after an error answer: half-close, then read and discard what the
 * client still sends, until it closes or LINGER_TIMEOUT (RFC 9112 §9.6). */
static void conn_linger(struct server *s, struct conn *c)
{
	c->io.t->goodbye(&c->io);
	if (sys_shutdown(c->io.fd, SHUT_WR) < 0)
		return conn_close(s, c);
	c->state = CONN_LINGER;
	c->lingered = 0;
	set_events(s, c, 0);
	timer_start(s, c, LINGER_TIMEOUT);
}

/* Queue the answer to a request that cannot be served, and close after it.
 * req: the request, when it was parsed whole (a 500), for the log and the
 * error page; NULL: it was refused, and is logged as received. */
static void conn_error(struct server *s, struct conn *c, int status, int head_only,
		       const struct http_request *req)
{
	struct outbuf ob;
	uint32_t at = request_start(c);

	conn_drop_file(c);
	ob_init(&ob, resp, sizeof(resp));
	resp_set_secure(c->secure);
	errpage_respond(&ob, status, s->date, s->unix_now, 0, head_only, status == 405 ? allow_line : STR(""),
			req ? req->path : (struct str){ NULL, 0 }, &c->file);
	if (c->state == CONN_BODY)	/* the answer that waited for the body: replaced */
		log_note_again(&c->logq, status, ob.p, ob.len, c->sent, file_bytes(c));
	else if (req)
		log_note(&s->log, &c->logq, c->in, req, status, ob.p, ob.len, c->sent, file_bytes(c));
	else
		log_note_raw(&s->log, &c->logq, c->in, (struct str){ c->in + at, c->in_len - at }, status,
			     ob.p, ob.len, c->sent, file_bytes(c));
	if (c->state != CONN_BODY) {	/* a new answer, not one replaced */
		struct net_addr client;

		realip_client(&client, &c->peer, req);
		log_note_client(&c->logq, &client);
		metrics_response(status);
	}
	c->outp = resp;
	c->out_off = 0;
	c->out_ready = c->out_len = (uint32_t)ob.len;
	c->keep_alive = 0;
	c->linger = 1;
	c->state = CONN_WRITE;
}

/*
 * Answer one parsed request: build the response in resp[], behind the
 * answers to earlier pipelined requests that wait there (c->out_len bytes),
 * and pick the next state. Returns 1, or 0 when the response did not fit
 * behind those: nothing was done, send them first and come back.
 */
static int conn_request(struct server *s, struct conn *c, struct http_request *req)
{
	int head_only = req->method_id == HTTP_HEAD;
	int keep = 0;	/* see RESP_KEEP_ALIVE_SAID in response.h */
	/* RFC 9110 §10.1.1: no 100 Continue to HTTP/1.0 clients */
	int expect = req->expect_continue && req->minor == 1;
	size_t base = c->out_len;
	struct outbuf ob;
	int status;

	if (req->keep_alive && !s->draining)
		keep = req->minor == 0 ? RESP_KEEP_ALIVE_SAID : 1;
	if ((base && req->has_body) || log_pending_full(&s->log, &c->logq))
		return 0;	/* a body changes states: one response at a time */
	/* Room for an interim "100 Continue", put in front of the answer once
	 * it is built (so file.c sees ob.len > 0 only when answers to earlier
	 * requests wait there). */
	size_t reserve = req->has_body && expect ? sizeof(continue_100) - 1 : 0;
	ob_init(&ob, resp, sizeof(resp) - reserve);
	ob.len = base;

#ifdef SCRATCHD_SECCOMP_TEST
	/* Test build only (make test-builds): a request that makes a system
	 * call the filter does not allow, to prove the filter kills. */
	if (str_eq(req->path, STR("/__forbidden__")))
		sys_getpid();
#endif
	resp_set_secure(c->secure);
	struct net_addr client;	/* --trusted-proxy (realip.h) */
	realip_client(&client, &c->peer, req);
	if (ops_wanted(req))	/* --health-path, --metrics-path (ops.h): not the root */
		status = ops_respond(req, &client, s->date, keep, &ob);
	else if (c->redirect)	/* --redirect-http: whatever was asked, go to https:// */
		status = redirect_respond(req, s->date, keep, &ob);
	else switch (req->method_id) {
	case HTTP_GET:
	case HTTP_HEAD:
		status = file_respond(s->cfg->root_fd, req, s->date, s->unix_now, keep, &ob, &c->file);
		break;
	case HTTP_OPTIONS:
		status = 200;
		resp_begin(&ob, 200, s->date);
		resp_header(&ob, STR("Allow"), allow);
		resp_end(&ob, 0, keep);
		break;
	case HTTP_OTHER:
		status = 501;	/* a method we have never heard of (RFC 9110 §9.1) */
		errpage_respond(&ob, status, s->date, s->unix_now, keep, 0, STR(""), req->path, &c->file);
		break;
	default:
		status = 405;	/* a method static resources do not allow */
		errpage_respond(&ob, status, s->date, s->unix_now, keep, 0, allow_line, req->path, &c->file);
		break;
	}
	if (ob.overflow && base) {
		conn_drop_file(c);
		return 0;
	}
	/* The "100 Continue" is sent at once; taken back on an error. */
	size_t interim = base + reserve;
	if (reserve && !ob.overflow) {
		memmove(ob.p + interim, ob.p + base, ob.len - base);
		memcpy(ob.p + base, continue_100, reserve);
		ob.len += reserve;
		ob.cap += reserve;
	}
	if (ob.overflow) {	/* CONN_OUT_SIZE holds every head we write */
		conn_error(s, c, 500, head_only, req);
		return 1;
	}
	/* resp[x] will be byte c->sent + x of the output: nothing of this
	 * batch has been sent yet */
	log_note(&s->log, &c->logq, c->in, req, status, ob.p + interim, ob.len - interim, c->sent + interim,
		 file_bytes(c));
	log_note_client(&c->logq, &client);
	metrics_response(status);
	c->outp = resp;

	if (status == 500)
		keep = 0;	/* the head said so (file.c): a file changed under us */
	c->keep_alive = (uint8_t)keep;
	c->out_off = 0;
	c->out_len = (uint32_t)ob.len;
	c->out_ready = c->out_len;
	c->state = CONN_WRITE;
	/* Pipelining (RFC 9112 §9.3): while whole responses fit, answer the
	 * requests already read before writing, so 16 requests that came in
	 * one segment leave in one write. */
	if (keep && c->file.fd < 0 && !req->has_body && c->in_off < c->in_len)
		c->state = CONN_READ;
	if (!req->has_body)
		return 1;
	if (expect && status >= 400) {
		/* Refuse at once: the client has not sent the body and will not,
		 * so the connection cannot go on (RFC 9110 §10.1.1): answer again,
		 * with Connection: close, and without the 100. */
		conn_drop_file(c);
		ob_init(&ob, resp, sizeof(resp));
		errpage_respond(&ob, status, s->date, s->unix_now, 0, head_only,
				status == 405 ? allow_line : STR(""), req->path, &c->file);
		log_note_again(&c->logq, status, ob.p, ob.len, c->sent, file_bytes(c));
		c->out_ready = c->out_len = (uint32_t)ob.len;
		c->keep_alive = 0;
		c->linger = 1;
		return 1;
	}
	/* Read the body (and throw it away) before answering. All of it must
	 * come within the header timeout: restarting the clock at each read
	 * would let a byte every few seconds hold the connection for ever
	 * (a "slow POST"). */
	conn_keep_output(c);
	timer_start(s, c, s->cfg->header_timeout);
	c->state = CONN_BODY;
	c->out_ready = (uint32_t)interim;
	c->chunked = req->chunked;
	c->head_only = (uint8_t)head_only;
	c->body_left = req->content_length;
	if (req->chunked)
		http_chunked_init(&c->chunk);
	/* the body is read into in[]: keep the fields the log line needs */
	c->pin = (uint16_t)log_pending_pin(&c->logq, c->in);
	return 1;
}

/*
 * Send what may be sent now: out[out_off .. out_ready), then, in CONN_WRITE,
 * the file body, then whatever the transport still holds. Returns 1 when
 * all is sent, 0 when the socket is full, or -errno.
 */
static long conn_send(struct conn *c)
{
	/* A head followed by a file body: sent with it, not alone */
	int more = c->state == CONN_WRITE && c->file.fd >= 0;

	while (c->out_off < c->out_ready) {
		long n = c->io.t->write(&c->io, c->outp + c->out_off, c->out_ready - c->out_off, more);

		if (n < 0)
			return n == -EAGAIN ? 0 : n;
		c->out_off += (uint32_t)n;
		c->sent += (uint64_t)n;
	}
	if (c->state == CONN_WRITE) {
		long r = body_send(&c->file, &c->io, &c->sent);	/* sendfile, part by part */

		if (r <= 0)
			return r;
	}
	return c->io.t->flush(&c->io);
}

/* Discard body bytes from in[]. Returns 1 when the body has ended, 0 when more
 * is needed, or an HTTP status for a bad body. */
static int conn_discard_body(struct conn *c)
{
	uint32_t avail = c->in_len - c->in_off;

	if (!c->chunked) {
		uint32_t n = c->body_left < avail ? (uint32_t)c->body_left : avail;

		c->in_off += n;
		c->body_left -= n;
		return c->body_left == 0;
	}
	size_t used;
	int status;
	int r = http_chunked_feed(&c->chunk, c->in + c->in_off, avail, &used, &status);
	c->in_off += (uint32_t)used;
	return r == HTTP_BAD ? status : r == HTTP_CHUNKED_DONE;
}

/* Read once into in[] after the unparsed bytes. Returns > 0, 0 for "would
 * block", or -1 when the connection is over (closed, reset or error). */
static long conn_read(struct conn *c)
{
	if (c->in_off == c->in_len) {
		c->in_off = c->in_len = c->pin;
	} else if (c->in_len == sizeof(c->in)) {
		/* a partial head at the end of the buffer: move it to the front
		 * (behind what the log keeps while a body is read) */
		memmove(c->in + c->pin, c->in + c->in_off, c->in_len - c->in_off);
		c->in_len -= c->in_off - c->pin;
		c->in_off = c->pin;
	}
	long n = c->io.t->read(&c->io, c->in + c->in_len, sizeof(c->in) - c->in_len);
	if (n == -EAGAIN)
		return 0;
	if (n < 0)	/* a reset, a bad PROXY header, a TLS failure */
		metrics_add(METRIC_ERRORS, 1);
	if (n <= 0)
		return -1;
	c->in_len += (uint32_t)n;
	return n;
}

/* The one read a readiness event allows (*may_read, cleared here), or one
 * from what the transport holds already. Returns 1 when bytes arrived, 0
 * when the connection must wait for epoll, -1 when it is over (and has been
 * closed). */
static int conn_read_once(struct server *s, struct conn *c, int *may_read)
{
	if (!*may_read && !c->io.t->buffered(&c->io))
		return 0;
	*may_read = 0;
	long n = conn_read(c);
	if (n < 0) {
		conn_close(s, c);
		return -1;
	}
	return n > 0;
}

/*
 * A connection that spent its send budget (SEND_BUDGET) while the socket
 * still takes bytes goes on the again list, to go on once the other ready
 * connections have had their turn: the loop's next epoll_wait does not
 * block while the list holds any (run_again). Cheaper than waiting for
 * EPOLLOUT, which would be ready at once: no epoll_ctl there and back per
 * response, no EPOLLOUT event. 1 MiB responses over 10 connections, ten
 * alternating runs: 305 us of server CPU each (median) against 321 by way
 * of EPOLLOUT (docs/performance.md, "One large transfer").
 * A connection closed while on the list stays on it, flagged: its slot,
 * reused meanwhile, is then run once with no read allowed, which is
 * harmless, and the flag keeps it from being linked twice.
 */
static void conn_again(struct server *s, struct conn *c)
{
	if (c->again)
		return;
	c->again = 1;
	c->again_next = s->again;
	s->again = c;
}

/* Run a connection until it must wait for the socket. may_read: the socket
 * reported readable, so one read is allowed. */
static void conn_run(struct server *s, struct conn *c, int may_read)
{
	c->io.budget = SEND_BUDGET;	/* then the others' turn: see transport_plain.c */
	for (;;) {
		switch (c->state) {
		case CONN_READ: {
			if (c->in_off < c->in_len) {
				struct http_request req = { .hdr = s->hdr, .nhdr = HTTP_MAX_HEADERS };
				int r = http_parse_request(c->in + c->in_off, c->in_len - c->in_off, c->in_seen, &req);

				if (r > 0) {
					c->in_off += (uint32_t)r;
					if (conn_request(s, c, &req)) {
						c->in_seen = 0;
						continue;
					}
					c->in_off -= (uint32_t)r;	/* no room: later */
					c->state = CONN_WRITE;
					continue;
				}
				if (r != HTTP_BAD)
					c->in_seen = c->in_len - c->in_off;
				if (c->out_len) {
					/* answers to the requests before: send them */
					c->state = CONN_WRITE;
					continue;
				}
				if (r == HTTP_BAD) {
					/* HEAD, if the method was read: no body (RFC 9110 §9.3.2);
					 * logged as received */
					conn_error(s, c, req.status, req.method_id == HTTP_HEAD, NULL);
					continue;
				}
			}
			int idle = !request_begun(c);
			int got = conn_read_once(s, c, &may_read);
			if (got < 0)
				return;
			if (got == 0) {
				/* TLS may need to send first (its handshake) */
				set_events(s, c, c->io.t->wants_write(&c->io));
				return;
			}
			if (idle && request_begun(c))	/* its first bytes: the head has this long */
				timer_start(s, c, s->cfg->header_timeout);
			continue;
		}
		case CONN_BODY: {
			long sent = conn_send(c);	/* a pending "100 Continue" */
			if (sent < 0)
				return conn_close(s, c);
			if (sent == 0) {
				/* the client sends nothing before it sees the 100:
				 * wait until the socket takes it */
				set_events(s, c, 1);
				timer_start(s, c, s->cfg->write_timeout);
				return;
			}
			if (c->want_write) {	/* the 100 went: the body's time starts now */
				set_events(s, c, 0);
				timer_start(s, c, s->cfg->header_timeout);
			}
			int r = conn_discard_body(c);
			if (r == 1) {
				c->state = CONN_WRITE;
				c->out_ready = c->out_len;
				continue;
			}
			if (r > 1) {
				conn_error(s, c, r, c->head_only, NULL);
				continue;
			}
			int got = conn_read_once(s, c, &may_read);
			if (got == 0)
				set_events(s, c, c->io.t->wants_write(&c->io));
			if (got <= 0)
				return;
			continue;
		}
		case CONN_WRITE: {
			long r = conn_send(c);
			if (r < 0) {
				metrics_add(METRIC_ERRORS, 1);
				return conn_close(s, c);
			}
			if (r == 0) {
				conn_keep_output(c);
				if (c->io.budget == 0)
					conn_again(s, c);	/* not full: the turn's share is spent */
				else
					set_events(s, c, 1);
				timer_start(s, c, s->cfg->write_timeout);
				return;
			}
			if (c->watched)
				set_events(s, c, 0);
			log_settle(&s->log, &c->logq, &c->peer, c->in, c->sent);
			meter(c);
			c->pin = 0;
			if (!c->keep_alive || s->draining) {
				/* unread input (pipelined requests, a refused body)
				 * must not turn into a reset that eats the answer */
				if (c->linger || c->in_off < c->in_len)
					return conn_linger(s, c);
				return conn_close(s, c);
			}
			c->state = CONN_READ;
			c->out_len = c->out_ready = c->out_off = 0;
			timer_start(s, c, request_begun(c) ? s->cfg->header_timeout
							   : s->cfg->idle_timeout);
			continue;
		}
		case CONN_LINGER: {
			if (!may_read)
				return;
			long n = sys_read(c->io.fd, c->in, sizeof(c->in));
			may_read = 0;
			if (n == -EAGAIN)
				return;
			if (n <= 0 || (c->lingered += (uint32_t)n) > LINGER_MAX)
				return conn_close(s, c);
			continue;
		}
		default:
			return;
		}
	}
}

/* The again list (conn_again), after the turn's events. */
static void run_again(struct server *s)
{
	struct conn *c = s->again;

	s->again = NULL;
	while (c) {
		struct conn *next = c->again_next;

		c->again = 0;
		if (c->state != CONN_FREE)
			conn_run(s, c, 0);
		c = next;
	}
}

/* A deadline passed. */
static void conn_timeout(struct server *s, struct conn *c)
{
	c->timed = 0;
	if (c->state != CONN_READ || request_begun(c) || c->sent == 0)	/* not a keep-alive's idle end */
		metrics_add(METRIC_TIMEOUTS, 1);
	if (c->state == CONN_READ && request_begun(c) && !s->draining) {
		/* part of a request came, too slowly: say why (RFC 9110 §15.5.9),
		 * with no body if it is a HEAD (RFC 9110 §9.3.2) */
		uint32_t at = request_start(c);
		int head = c->in_len - at >= 5 && memcmp(c->in + at, "HEAD ", 5) == 0;

		conn_error(s, c, 408, head, NULL);
		conn_run(s, c, 0);
		return;
	}
	conn_close(s, c);
}

/* ---- accepting ---- */

/* Accept until EAGAIN, but at most ACCEPT_BATCH connections: each is served
 * at once, and a steady stream of new ones must not keep the loop from its
 * other connections and its timers. The listener is level-triggered: the
 * next epoll_wait reports it again if more are waiting. */
static void accept_all(struct server *s, unsigned listener)
{
	int lfd = s->cfg->listen_fds[listener];
	uint8_t kind = s->cfg->listen_kind ? s->cfg->listen_kind[listener] : LISTEN_HTTP;

	for (int accepted = 0; accepted < ACCEPT_BATCH; accepted++) {
		struct net_addr peer = { .len = sizeof(peer.sa) };
		int fd = sys_accept4(lfd, &peer.sa, &peer.len, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd == -EAGAIN)
			return;
		if (fd == -EMFILE || fd == -ENFILE || fd == -ENOBUFS || fd == -ENOMEM) {
			/* Out of descriptors or memory: the connection stays queued
			 * and level-triggered epoll would report it forever. Stop
			 * listening until a connection closes. */
			if (!s->accept_paused) {
				watch_listeners(s, 0);
				s->accept_paused = 1;
			}
			return;
		}
		if (fd < 0)
			continue;	/* ECONNABORTED, EPROTO...: that client is gone */

		/* Reuse a closed entry, else take a never-used one: the table's
		 * pages are touched, and so count as memory, only as needed. */
		struct conn *c = s->free_list;
		if (c)
			s->free_list = c->next_free;
		else if (s->fresh < s->cfg->max_conns)
			c = &s->conns[s->fresh++];
		if (!c) {
			/* The table is full: refuse cleanly rather than leave the
			 * client waiting in the backlog. Best effort, never blocks
			 * (a TLS client would only read it as garbage). */
			if (kind != LISTEN_TLS)
				sys_write(fd, refuse_503, sizeof(refuse_503) - 1);
			sys_close(fd);
			metrics_add(METRIC_ERRORS, 1);
			continue;
		}
		unsigned index = (unsigned)(c - s->conns);
		if (kind == LISTEN_TLS && tls_io_accept(index) < 0) {
			c->next_free = s->free_list;
			s->free_list = c;
			sys_close(fd);
			continue;
		}
		s->active++;
		s->used_since_idle = 1;
		c->io = (struct conn_io){ fd, index, kind == LISTEN_TLS ? &transport_tls : &transport_plain, 0 };
		c->secure = kind == LISTEN_TLS;
		c->redirect = kind == LISTEN_REDIRECT;
		c->peer = peer;
		c->state = CONN_READ;
		c->keep_alive = 1;
		c->want_write = 0;
		c->watched = 0;
		c->linger = 0;
		c->in_off = c->in_len = c->in_seen = 0;
		c->out_off = c->out_ready = c->out_len = 0;
		c->outp = c->out;
		c->file.fd = -1;
		c->sent = c->metered = 0;
		metrics_add(METRIC_ACCEPTED, 1);
		metrics_add(METRIC_OPEN, 1);
		if (s->cfg->proxy_protocol)	/* its PROXY header first (proxy_io.h) */
			proxy_io_attach(&c->io, &c->peer);
		c->pin = 0;
		c->logq.n = 0;
		timer_start(s, c, s->cfg->header_timeout);
		/* The request has usually arrived with the connection (the
		 * listener defers accept until it does: src/net.c): answer it
		 * now. The connection joins the epoll set only if it must wait
		 * (set_events). */
		conn_run(s, c, 1);
	}
}

/* The signer answered: run the connections whose handshakes can go on. */
static void signatures_arrived(struct server *s)
{
	unsigned ready[MAX_EVENTS];
	int n = tls_io_signer_replies(ready, MAX_EVENTS);

	for (int i = 0; i < n; i++) {
		struct conn *c = &s->conns[ready[i]];

		if (c->state == CONN_READ)
			conn_run(s, c, 1);
	}
}

/* ---- time and signals ---- */

static void update_date(struct server *s)
{
	struct timespec_k ts;

	if (sys_clock_gettime(CLOCK_REALTIME, &ts) == 0) {
		s->unix_now = ts.tv_sec;
		fmt_imf_date(s->date, ts.tv_sec);
		log_set_time(&s->log, ts.tv_sec);
	}
}

/* No connection is open: give the kernel back the pages that only
 * connections and requests use, so that memory touched by a burst (1,000
 * connections, a listing of a big directory) does not stay with an idle
 * server. MADV_DONTNEED on private anonymous memory (madvise(2)): the pages
 * go, and read back as zeros when next touched. The connection table is
 * then all never-used again; the scratch buffers (src/mem.h) hold nothing
 * between requests, and the log buffer nothing after a flush. Kept: the
 * file cache, the variables' first page and the stack. On failure (pages
 * larger than 4 KiB make the scratch call EINVAL, for one) the pages stay;
 * nothing else changes, and nothing relies on their reading as zeros. */
static void release_idle_memory(struct server *s)
{
	size_t table = ((size_t)s->fresh * sizeof(struct conn) + 4095) & ~(size_t)4095;

	if (table && sys_madvise(s->conns, table, MADV_DONTNEED) == 0) {
		s->free_list = NULL;
		s->fresh = 0;
	}
	sys_madvise(scratch_start, (size_t)(scratch_end - scratch_start), MADV_DONTNEED);
	/* the rare features' code, if a request ran some of it: file pages,
	 * back on the next fault. The segment's pages are its own, its last
	 * one too (linker.ld), and madvise rounds the length up to it. */
	size_t rare = (size_t)(rare_text_end - rare_text_start);
	if (rare) {
		char *from = (char *)((uintptr_t)rare_text_start & ~(uintptr_t)4095);
		sys_madvise(from, (size_t)(rare_text_end - from), MADV_DONTNEED);
	}
	if (s->cfg->tls)
		tls_io_release_idle();
	s->used_since_idle = 0;
}

static void tick(struct server *s)
{
	uint64_t ticks;

	if (sys_read(s->timerfd, &ticks, sizeof(ticks)) != sizeof(ticks))
		return;
	update_date(s);
	if (s->log.len)
		log_flush(&s->log);	/* at least once a second */
	metrics_set(METRIC_CACHED, fcache_entries());
	/* After a long stall, visit each slot once. */
	for (uint64_t i = 0; i < ticks; i++) {
		s->now++;
		if (ticks - i > WHEEL_SLOTS)
			continue;
		struct conn *c = s->wheel[s->now % WHEEL_SLOTS];
		while (c) {
			struct conn *next = c->tnext;

			timer_stop(s, c);
			if ((int32_t)(c->deadline - s->now) <= 0)
				conn_timeout(s, c);
			else
				timer_link(s, c);	/* a later deadline, or a lap of the wheel ahead */
			c = next;
		}
	}
	/* not while the again list links closed slots: it is in the table */
	if (s->active == 0 && s->used_since_idle && s->log.len == 0 && !s->again)
		release_idle_memory(s);
}

static void start_draining(struct server *s)
{
	s->draining = 1;
	s->drain_deadline = s->now + s->cfg->grace;
	/* No new connections. Remove the listeners from the epoll set before
	 * closing them: the supervisor holds the same sockets open, so close()
	 * alone would leave them registered, and always readable. */
	if (!s->accept_paused)
		watch_listeners(s, 0);
	for (unsigned i = 0; i < s->cfg->nlisten; i++)
		sys_close(s->cfg->listen_fds[i]);
	/* Idle keep-alive connections go now; busy ones after their response. */
	for (unsigned i = 0; i < s->fresh; i++) {
		struct conn *c = &s->conns[i];

		if (c->state == CONN_READ && c->in_off == c->in_len)
			conn_close(s, c);
	}
}

/* ---- the loop ---- */

static int setup(struct server *s, const struct server_config *cfg)
{
	uint64_t mask = SIG_BIT(SIGTERM) | SIG_BIT(SIGINT);
	struct itimerspec_k every_second = { { 1, 0 }, { 1, 0 } };
	struct epoll_event ev = { .events = EPOLLIN };
	long r;

	s->cfg = cfg;
	s->now = 1;
	s->log.fd = cfg->log_fd;
	/* One mapping for every connection, made once (mmap(2)). Anonymous
	 * pages are zero and cost nothing until touched, and an entry is
	 * touched only when a connection first needs it (accept_all). */
	r = sys_mmap(NULL, cfg->max_conns * sizeof(struct conn), PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (SYS_IS_ERR(r))
		return (int)r;
	s->conns = (struct conn *)r;

	if ((r = s->epfd = sys_epoll_create1(EPOLL_CLOEXEC)) < 0)
		return (int)r;
	/* SIGTERM/SIGINT: blocked, then read as events (signalfd(2)) */
	if ((r = sys_rt_sigprocmask(SIG_BLOCK, &mask, NULL)) < 0)
		return (int)r;
	if ((r = s->sigfd = sys_signalfd4(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		return (int)r;
	if ((r = s->timerfd = sys_timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) < 0)
		return (int)r;
	if ((r = sys_timerfd_settime(s->timerfd, 0, &every_second, NULL)) < 0)
		return (int)r;
	if ((r = watch_listeners(s, 1)) < 0)
		return (int)r;
	ev.data = EV_TIMER;
	if ((r = sys_epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->timerfd, &ev)) < 0)
		return (int)r;
	ev.data = EV_SIGNAL;
	if ((r = sys_epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->sigfd, &ev)) < 0)
		return (int)r;
	/* Without the cache (no inotify, or no openat2) every request opens
	 * its file: slower, never wrong. */
	if (cfg->file_cache && !cfg->walk)
		fcache_init(s->epfd, EV_FCACHE);
	if (cfg->tls && (r = tls_io_setup(cfg->tls, cfg->max_conns, s->epfd, EV_SIGNER)) < 0)
		return (int)r;
	if (cfg->proxy_protocol && (r = proxy_io_setup(cfg->max_conns)) < 0)
		return (int)r;
	ev.data = EV_LOGFILE;
	if (cfg->log_sock >= 0 && (r = sys_epoll_ctl(s->epfd, EPOLL_CTL_ADD, cfg->log_sock, &ev)) < 0)
		return (int)r;
	update_date(s);
	/* Last: from here on, only SECCOMP_ALLOWLIST calls (syscall.h). */
	if (cfg->seccomp &&
	    (r = seccomp_install(cfg->root_fd, s->epfd, cfg->walk, FILE_OPEN_FLAGS | O_NOFOLLOW, cfg->tls != NULL,
				 cfg->log_sock, cfg->proxy_protocol)) < 0)
		return (int)r;
	/* The start-up code has run (seccomp_install was the last of it): its
	 * pages go back to the kernel. They are file pages: should anything
	 * run them again (the way out of main, at exit) they come back on a
	 * fault. MADV_DONTNEED only drops our mapping (madvise(2)); on
	 * failure they simply stay. */
	size_t once = (size_t)(startup_text_end - startup_text_start);
	if (once)
		sys_madvise(startup_text_start, once, MADV_DONTNEED);
	return 0;
}

int server_run(const struct server_config *cfg)
{
	static struct server s AFTER_SMALL_VARIABLES;
	int r = setup(&s, cfg);

	if (r < 0)
		return r;
	while (!s.draining || (s.active > 0 && (int32_t)(s.drain_deadline - s.now) > 0)) {
		int n = sys_epoll_wait(s.epfd, s.events, MAX_EVENTS, s.again ? 0 : -1);

		logfmt_tick();	/* --log-format json: a new time for this turn */

		if (n < 0 && n != -EINTR)
			return n;
		/* A file change first, wherever epoll put it in the batch: a
		 * level-triggered connection stays on the ready list ahead of
		 * it, and its next request must not get the old bytes. */
		for (int i = 0; i < n; i++)
			if (s.events[i].data == EV_FCACHE)
				fcache_changed();
		for (int i = 0; i < n; i++) {
			uint64_t d = s.events[i].data;

			if (d >= EV_LISTEN && d < EV_LISTEN + cfg->nlisten) {
				if (!s.draining)
					accept_all(&s, (unsigned)(d - EV_LISTEN));
			} else if (d == EV_FCACHE) {
				continue;	/* done above */
			} else if (d == EV_SIGNER) {
				signatures_arrived(&s);
			} else if (d == EV_LOGFILE) {
				logfile_receive(&s.log, cfg->log_sock);
			} else if (d == EV_TIMER) {
				tick(&s);
			} else if (d == EV_SIGNAL) {
				struct signalfd_siginfo si;

				if (sys_read(s.sigfd, &si, sizeof(si)) == sizeof(si) && !s.draining)
					start_draining(&s);
			} else {
				struct conn *c = (struct conn *)d;

				if (c->state != CONN_FREE)
					conn_run(&s, c, 1);
			}
		}
		run_again(&s);
	}
	log_flush(&s.log);
	return 0;
}
