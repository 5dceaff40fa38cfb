/*
 * proxy_io.c - the PROXY header off the socket (proxy_io.h), as the first
 * stage of a connection's transport.
 *
 * The header must be taken off the socket exactly: a byte more would be
 * the client's first bytes of HTTP or of a TLS ClientHello, which belong to
 * the next transport (and TLS reads the socket itself). So each readiness
 * event peeks (recvfrom MSG_PEEK) at what has come, parses what is known of
 * the header with it, and then reads exactly: the whole rest of the header
 * when it is complete, or everything peeked when it is not (all of that is
 * header, so nothing is left queued for level-triggered epoll to report
 * again and again). The bytes gather in the connection's empty input
 * buffer, as a TLS handshake's do (transport.h).
 *
 *	recvfrom(fd, buf, 1024, MSG_PEEK) = 80      header and request together
 *	read(fd, buf, 48) = 48                      the header: 48 bytes
 *	read(fd, buf, 16384) = 32                   the request, by the next transport
 */
#include "../syscall.h"
#include "mem.h"
#include "proxy.h"
#include "proxy_io.h"

struct proxy_slot {
	const struct transport *next;	/* the connection's own transport */
	struct net_addr *peer;		/* where the header's address goes */
	uint32_t have;			/* header bytes read so far (into buf) */
};

static struct proxy_slot *slots;

int proxy_io_setup(unsigned max_conns)
{
	long r = sys_mmap(NULL, (size_t)max_conns * sizeof(struct proxy_slot), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (SYS_IS_ERR(r))
		return (int)r;
	slots = (struct proxy_slot *)r;
	return 0;
}

static void set_peer(struct net_addr *peer, const struct proxy_addr *a)
{
	memset(peer, 0, sizeof(*peer));
	if (a->family == 4) {
		peer->sa.v4.sin_family = AF_INET;
		peer->sa.v4.sin_port = (uint16_t)(a->port >> 8 | a->port << 8);
		memcpy(&peer->sa.v4.sin_addr, a->addr, 4);
		peer->len = sizeof(peer->sa.v4);
	} else {
		peer->sa.v6.sin6_family = AF_INET6;
		peer->sa.v6.sin6_port = (uint16_t)(a->port >> 8 | a->port << 8);
		memcpy(peer->sa.v6.sin6_addr, a->addr, 16);
		peer->len = sizeof(peer->sa.v6);
	}
}

static long proxy_read(struct conn_io *io, void *buf, size_t n)
{
	struct proxy_slot *p = &slots[io->index];
	uint8_t *b = buf;
	struct proxy_addr a;

	if (n < PROXY_MAX)
		return -ENOBUFS;	/* cannot happen: buf is the empty request buffer */
	long k = sys_recvfrom(io->fd, b + p->have, PROXY_MAX - p->have, MSG_PEEK);
	if (k <= 0)
		return k;	/* -EAGAIN, the end (0) or an error: as any read */
	int r = proxy_parse(b, p->have + (size_t)k, &a);
	if (r == PROXY_BAD)
		return -EPROTO;
	size_t take = r == PROXY_PARTIAL ? (size_t)k : (size_t)r - p->have;
	long got = sys_read(io->fd, b + p->have, take);
	if (got != (long)take)
		return got < 0 ? got : -EIO;	/* what was peeked must be there */
	if (r == PROXY_PARTIAL) {
		p->have += (uint32_t)take;
		return -EAGAIN;
	}
	if (a.family)
		set_peer(p->peer, &a);
	io->t = p->next;
	/* the request (or ClientHello) often came with the header */
	return io->t->read(io, buf, n);
}

/* Nothing is sent before the header has come. */
static long proxy_write(struct conn_io *io, const void *buf, size_t n, int more)
{
	(void)io, (void)buf, (void)n, (void)more;
	return -EPIPE;
}

static long proxy_sendfile(struct conn_io *io, int file_fd, uint64_t *off, uint64_t n)
{
	(void)io, (void)file_fd, (void)off, (void)n;
	return -EPIPE;
}

static int proxy_flush(struct conn_io *io)
{
	(void)io;
	return 1;
}

static int proxy_never(struct conn_io *io)
{
	(void)io;
	return 0;
}

/* Closed before the header came: nothing to say (not even a TLS alert). */
static void proxy_goodbye(struct conn_io *io)
{
	(void)io;
}

static const struct transport transport_proxy = {
	.read = proxy_read,
	.write = proxy_write,
	.sendfile = proxy_sendfile,
	.flush = proxy_flush,
	.buffered = proxy_never,
	.wants_write = proxy_never,
	.goodbye = proxy_goodbye,
};

void proxy_io_attach(struct conn_io *io, struct net_addr *peer)
{
	struct proxy_slot *p = &slots[io->index];

	p->next = io->t;
	p->peer = peer;
	p->have = 0;
	io->t = &transport_proxy;
}
