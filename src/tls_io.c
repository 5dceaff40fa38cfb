/*
 * tls_io.c - the TLS transport: the engine of src/tls/ between the event
 * loop and the socket, and the worker's half of the signer protocol
 * (signer.h).
 *
 * Reading: one read(2) per call at most (as plain HTTP: one per readiness
 * event), into the engine's record buffer; tls_advance() runs the handshake
 * or decrypts; application data is copied into the caller's buffer. While
 * the handshake runs, that buffer (the connection's empty request buffer)
 * is where the engine reassembles handshake messages.
 *
 * Writing: bytes go into the engine's open record; a file's bytes are read
 * straight into it with pread(2) (sendfile(2) cannot encrypt; with the
 * kernel's TLS, TCP_ULP "tls", it could: docs/tls.md). A record is sealed
 * when it is full or the response has no more for now, and written with
 * write(2). What the socket does not take waits in the engine, and the loop
 * waits for EPOLLOUT (wants_write).
 *
 * Signing: when the engine needs its CertificateVerify, the transcript hash
 * goes to the signer in a struct signer_request, the connection waits (its
 * timeouts run as usual), and tls_io_signer_replies() resumes it. At most
 * SIGNER_WINDOW requests are in flight: their replies always fit in the
 * socket's buffer, so the signer (whose writes never block, for a worker
 * that stops reading must not stall the others) never has to drop one.
 * Requests beyond the window wait in a queue, in order. A reply carries the
 * slot and a cookie, so a reply for a connection that has since closed (and
 * whose slot serves another) is dropped.
 */
#include "../syscall.h"
#include "mem.h"
#include "random.h"
#include "signer.h"
#include "tls_io.h"
#include "crypto/ct.h"
#include "tls/tls.h"

/* Requests in flight to the signer: 64 replies of 88 bytes, each costing
 * under 1 KiB of socket buffer, stay far below the default 208 KiB
 * (socket(7), wmem_default). At ~0.1 ms a signature, 64 keep it busy. */
#define SIGNER_WINDOW	64

/* A slot's dealings with the signer. */
struct sign_slot {
	uint64_t cookie;	/* of the request in flight */
	uint8_t waiting;	/* a request was made, its reply has not come */
	uint8_t queued;		/* the slot is in the send queue */
	uint8_t key_id[32];	/* the key the flight's certificate names */
};

static struct {
	const struct tls_worker *w;
	uint8_t *conns;			/* max_conns states of conn_size bytes */
	size_t conn_size;
	struct sign_slot *slots;
	uint32_t *queue;		/* slots whose requests wait for the socket */
	unsigned queue_head, queue_len, max_conns;
	int epfd;
	uint64_t ev;
	int signer_gone;
	int signer_armed;		/* EPOLLOUT asked for on the signer's socket */
	unsigned in_flight;		/* requests sent, replies not yet read */
	uint64_t next_cookie;
	uint32_t store_seq;		/* the chain copied last */
	uint8_t key_id[32];
	struct tls_config config;
} io;

static uint8_t cert_msg[TLS_CERT_MSG_MAX] LARGE_BUFFER;

static struct tls_conn *conn_of(unsigned index)
{
	return (struct tls_conn *)(io.conns + (size_t)index * io.conn_size);
}

/* ---- the signer ---- */

static void signer_events(int want_write)
{
	struct epoll_event ev = { .events = EPOLLIN | (want_write ? EPOLLOUT : 0), .data = io.ev };

	if (io.signer_armed != want_write && sys_epoll_ctl(io.epfd, EPOLL_CTL_MOD, io.w->signer_fd, &ev) == 0)
		io.signer_armed = want_write;
}

/* Send slot index's request: 0, -EAGAIN (the socket is full), or -errno. */
static int send_request(unsigned index)
{
	struct sign_slot *s = &io.slots[index];
	struct signer_request req = { .version = SIGNER_VERSION, .index = index, .cookie = s->cookie };

	memcpy(req.key_id, s->key_id, sizeof(req.key_id));
	memcpy(req.hash, tls_sign_hash(conn_of(index)), sizeof(req.hash));
	long n = sys_write(io.w->signer_fd, &req, sizeof(req));
	if (n == sizeof(req)) {
		io.in_flight++;
		return 0;
	}
	return n == -EAGAIN ? -EAGAIN : n < 0 ? (int)n : -EIO;
}

/* The handshake in slot index goes on without a signature: the engine
 * sends internal_error. */
static void sign_failed(unsigned index)
{
	io.slots[index].waiting = 0;
	tls_signed(conn_of(index), NULL, 0);
}

static void request_signature(unsigned index)
{
	struct sign_slot *s = &io.slots[index];

	s->cookie = io.next_cookie++;
	s->waiting = 1;
	memcpy(s->key_id, io.key_id, sizeof(s->key_id));
	if (io.signer_gone) {
		sign_failed(index);
		return;
	}
	if (io.queue_len == 0 && io.in_flight < SIGNER_WINDOW) {
		int r = send_request(index);

		if (r == 0)
			return;
		if (r != -EAGAIN) {
			sign_failed(index);
			return;
		}
		signer_events(1);	/* the socket is full: wait for EPOLLOUT */
	}
	if (!s->queued) {
		io.queue[(io.queue_head + io.queue_len++) % io.max_conns] = index;
		s->queued = 1;
	}
}

/* Send queued requests while the window has room. ready: where to note the
 * slots whose requests failed (n of them so far, max). Returns the new n. */
static int send_queued(unsigned *ready, int n, int max)
{
	int full = 0;

	while (io.queue_len > 0 && io.in_flight < SIGNER_WINDOW) {
		unsigned index = io.queue[io.queue_head];
		int r = io.slots[index].waiting ? send_request(index) : 0;

		if (r == -EAGAIN) {
			full = 1;	/* the socket itself: wait for EPOLLOUT */
			break;
		}
		io.queue_head = (io.queue_head + 1) % io.max_conns;
		io.queue_len--;
		io.slots[index].queued = 0;
		if (r < 0 && n < max) {
			sign_failed(index);
			ready[n++] = index;
		}
	}
	signer_events(full);
	return n;
}

/* The signer is gone (it exited, or its socket failed): every waiting
 * handshake ends with internal_error; the supervisor stops the server. */
static int signer_lost(unsigned *ready, int n, int max)
{
	io.signer_gone = 1;
	sys_epoll_ctl(io.epfd, EPOLL_CTL_DEL, io.w->signer_fd, NULL);
	for (unsigned i = 0; i < io.max_conns && n < max; i++) {
		if (io.slots[i].waiting) {
			sign_failed(i);
			ready[n++] = i;
		}
	}
	return n;
}

int tls_io_signer_replies(unsigned *ready, int max)
{
	int n = 0;

	while (n < max) {
		struct signer_reply reply;
		long got = sys_read(io.w->signer_fd, &reply, sizeof(reply));

		if (got == -EAGAIN)
			break;
		if (got <= 0)
			return signer_lost(ready, n, max);
		if (io.in_flight > 0)
			io.in_flight--;
		if (got != sizeof(reply) || reply.index >= io.max_conns)
			continue;
		struct sign_slot *s = &io.slots[reply.index];
		if (!s->waiting || s->cookie != reply.cookie)
			continue;	/* for a connection that has closed */
		s->waiting = 0;
		tls_signed(conn_of(reply.index), reply.sig, reply.len <= sizeof(reply.sig) ? reply.len : 0);
		ready[n++] = reply.index;
	}
	return send_queued(ready, n, max);
}

/* ---- the transport ---- */

/* Write what the engine holds: 1 when all of it went, 0 when the socket is
 * full, or -errno. */
static int send_out(struct conn_io *c, struct tls_conn *t)
{
	for (;;) {
		size_t len;
		const uint8_t *p = tls_out(t, &len);

		if (len == 0)
			return 1;
		long n = sys_write(c->fd, p, len);
		if (n < 0)
			return n == -EAGAIN ? 0 : (int)n;
		tls_out_sent(t, (size_t)n);
	}
}

static long tls_read(struct conn_io *c, void *buf, size_t cap)
{
	struct tls_conn *t = conn_of(c->index);
	int may_read = 1;

	for (;;) {
		int sent = send_out(c, t);
		size_t len;
		const uint8_t *p = tls_app_data(t, &len);

		if (sent < 0)
			return sent;
		if (len > 0) {
			size_t take = len < cap ? len : cap;

			memcpy(buf, p, take);
			tls_app_consume(t, take);
			return (long)take;
		}
		if (io.slots[c->index].waiting)
			return -EAGAIN;		/* the signer has the next move */
		switch (tls_advance(t, &io.config, buf)) {
		case TLS_NEED_SIGNATURE:
			request_signature(c->index);
			continue;
		case TLS_APP_DATA:
			continue;
		case TLS_PEER_CLOSED:
			return 0;
		case TLS_FAILED:
			send_out(c, t);		/* the alert, if the socket takes it */
			return -EPROTO;
		}
		/* TLS_NEED_INPUT: send first, if anything waits */
		if (!sent)
			return -EAGAIN;
		if (tls_out(t, &len) && len > 0)
			continue;
		if (!may_read)
			return -EAGAIN;
		size_t room;
		uint8_t *in = tls_in_room(t, &room);
		if (room == 0)
			return -EPROTO;		/* a full buffer the engine cannot use */
		long n = sys_read(c->fd, in, room);
		if (n <= 0)
			return n;		/* 0: the peer closed without close_notify */
		tls_in_add(t, (size_t)n);
		may_read = 0;
	}
}

/* Where the next bytes of the response go: the open record, after what
 * waits has been sent. NULL, with *err set, when there is no room now
 * (-EAGAIN: the socket is full) or none ever (-EPROTO: no session). */
static uint8_t *record_room(struct conn_io *c, struct tls_conn *t, size_t *room, long *err)
{
	int sent = send_out(c, t);
	uint8_t *p;

	if (sent < 0) {
		*err = sent;
		return NULL;
	}
	p = tls_app_room(t, room);
	if (!p)
		*err = sent == 0 ? -EAGAIN : -EPROTO;
	return p;
}

static long tls_write(struct conn_io *c, const void *buf, size_t n, int more)
{
	struct tls_conn *t = conn_of(c->index);
	size_t room;
	long err;
	uint8_t *p = record_room(c, t, &room, &err);

	if (!p)
		return err;
	size_t take = n < room ? n : room;
	memcpy(p, buf, take);
	tls_app_fill(t, take);
	if (!more && take == n)
		tls_app_seal(t);
	int sent = send_out(c, t);
	return sent < 0 ? sent : (long)take;
}

static long tls_sendfile(struct conn_io *c, int file_fd, uint64_t *off, uint64_t n)
{
	struct tls_conn *t = conn_of(c->index);
	size_t room;
	long err;
	uint8_t *p = record_room(c, t, &room, &err);

	if (!p)
		return err;
	if (c->budget == 0)
		return -EAGAIN;		/* the turn's share is spent (transport.h) */
	size_t take = n < room ? (size_t)n : room;
	if (take > c->budget)
		take = c->budget;
	long got = sys_pread64(file_fd, p, take, (long)*off);
	if (got <= 0)
		return got == 0 ? -EIO : got;	/* the file shrank under us */
	tls_app_fill(t, (size_t)got);
	*off += (uint64_t)got;
	io_spend(c, (uint64_t)got);
	if ((uint64_t)got == n)
		tls_app_seal(t);	/* the body's end: no more for this record */
	int sent = send_out(c, t);
	return sent < 0 ? sent : got;
}

static int tls_flush(struct conn_io *c)
{
	struct tls_conn *t = conn_of(c->index);

	tls_app_seal(t);
	return send_out(c, t);
}

static int tls_buffered(struct conn_io *c)
{
	struct tls_conn *t = conn_of(c->index);
	size_t len;

	if (io.slots[c->index].waiting)
		return 0;
	tls_app_data(t, &len);
	return len > 0 || tls_has_buffered(t);
}

static int tls_wants_write(struct conn_io *c)
{
	size_t len;

	tls_out(conn_of(c->index), &len);
	return len > 0;
}

/* close_notify, or the alert already queued, as far as the socket takes it
 * now; then the connection's secrets and data are wiped at once, not when
 * the slot is next used. A handshake waiting for its signature is
 * forgotten (its reply will find the cookie changed). */
static void tls_goodbye(struct conn_io *c)
{
	struct tls_conn *t = conn_of(c->index);

	io.slots[c->index].waiting = 0;
	io.slots[c->index].cookie = 0;
	tls_close_notify(t);
	send_out(c, t);
	tls_end(t);
}

const struct transport transport_tls = {
	.read = tls_read,
	.write = tls_write,
	.sendfile = tls_sendfile,
	.flush = tls_flush,
	.buffered = tls_buffered,
	.wants_write = tls_wants_write,
	.goodbye = tls_goodbye,
};

/* ---- set-up ---- */

int tls_io_accept(unsigned index)
{
	uint8_t rnd[64];
	size_t len;
	int r;

	if (tls_store_fetch(io.w->store, &io.store_seq, cert_msg, &len, io.key_id))
		io.config.cert_msg_len = len;
	if ((r = random_bytes(rnd, sizeof(rnd))) < 0)
		return r;
	tls_init(conn_of(index), rnd);
	WIPE(rnd);
	io.slots[index].waiting = 0;
	return 0;
}

int tls_io_setup(const struct tls_worker *w, unsigned max_conns, int epfd, uint64_t ev)
{
	struct epoll_event e = { .events = EPOLLIN, .data = ev };
	uint64_t seed;
	long m;
	int r;

	io.w = w;
	io.max_conns = max_conns;
	io.epfd = epfd;
	io.ev = ev;
	io.conn_size = (tls_conn_size() + 63) & ~(size_t)63;
	/* like the connection table: mapped once, each page touched only when
	 * a connection first needs it */
	m = sys_mmap(NULL, max_conns * (io.conn_size + sizeof(struct sign_slot) + sizeof(uint32_t)),
		     PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (SYS_IS_ERR(m))
		return (int)m;
	io.conns = (uint8_t *)m;
	io.slots = (struct sign_slot *)(io.conns + (size_t)max_conns * io.conn_size);
	io.queue = (uint32_t *)(io.slots + max_conns);
	/* cookies: random high bits, so a restarted worker does not take its
	 * predecessor's late replies for its own */
	if ((r = random_bytes(&seed, sizeof(seed))) < 0)
		return r;
	io.next_cookie = seed << 32 | 1;
	io.config.cert_msg = cert_msg;
	io.config.aes_gcm = w->aes_gcm;
	tls_store_fetch(w->store, &io.store_seq, cert_msg, &io.config.cert_msg_len, io.key_id);
	return sys_epoll_ctl(epfd, EPOLL_CTL_ADD, w->signer_fd, &e);
}

void tls_io_release_idle(void)
{
	if (io.conns && io.queue_len == 0)
		sys_madvise(io.conns, (size_t)io.max_conns * (io.conn_size + sizeof(struct sign_slot)), MADV_DONTNEED);
}
