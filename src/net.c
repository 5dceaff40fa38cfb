/*
 * net.c - the listening socket: socket, setsockopt, bind, listen,
 * getsockname, for IPv4 and IPv6 (ip(7), ipv6(7), tcp(7)).
 */
#include "../syscall.h"
#include "mem.h"
#include "net.h"

static uint16_t swap16(uint16_t v)	/* htons/ntohs on a little-endian host */
{
	return (uint16_t)(v >> 8 | v << 8);
}

int net_parse_addr(const char *ip, uint16_t port, struct net_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (parse_ipv4(ip, &addr->sa.v4.sin_addr) == 0) {
		addr->sa.v4.sin_family = AF_INET;
		addr->sa.v4.sin_port = swap16(port);
		addr->len = sizeof(addr->sa.v4);
		return 0;
	}
	if (parse_ipv6(ip, addr->sa.v6.sin6_addr) == 0) {
		addr->sa.v6.sin6_family = AF_INET6;
		addr->sa.v6.sin6_port = swap16(port);
		addr->len = sizeof(addr->sa.v6);
		return 0;
	}
	return -EINVAL;
}

uint16_t net_port(const struct net_addr *addr)
{
	uint16_t be = addr->sa.family == AF_INET ? addr->sa.v4.sin_port : addr->sa.v6.sin6_port;

	return (uint16_t)(be >> 8 | be << 8);
}

int net_is_unspecified(const struct net_addr *addr)
{
	if (addr->sa.family == AF_INET)
		return addr->sa.v4.sin_addr == 0;
	for (int i = 0; i < 16; i++)
		if (addr->sa.v6.sin6_addr[i])
			return 0;
	return 1;
}

size_t net_fmt_addr(char *out, const struct net_addr *addr)
{
	size_t n = 0;
	uint16_t port;

	if (addr->sa.family == AF_INET6) {
		out[n++] = '[';
		n += fmt_ipv6(out + n, addr->sa.v6.sin6_addr);
		out[n++] = ']';
		port = swap16(addr->sa.v6.sin6_port);
	} else {
		const uint8_t *b = (const uint8_t *)&addr->sa.v4.sin_addr;

		for (int i = 0; i < 4; i++) {
			n += fmt_u64(out + n, b[i]);
			if (i < 3)
				out[n++] = '.';
		}
		port = swap16(addr->sa.v4.sin_port);
	}
	out[n++] = ':';
	return n + fmt_u64(out + n, port);
}

/*
 * With SO_REUSEPORT a second server on the same port (same user) would not
 * fail: it would join the first one's group and take half its connections.
 * So the first worker's listener is preceded by a plain bind, which fails
 * with EADDRINUSE if anyone listens there, and picks the port for port 0.
 */
static int probe_port(struct net_addr *addr, const char **step)
{
	int one = 1, r;
	int fd = sys_socket(addr->sa.family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	*step = "socket";
	if (fd < 0)
		return fd;
	*step = "bind";
	if ((r = sys_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) >= 0 &&
	    (r = sys_bind(fd, &addr->sa, addr->len)) >= 0)
		r = sys_getsockname(fd, &addr->sa, &addr->len);
	sys_close(fd);
	return r;
}

int net_listen(struct net_addr *addr, int reuseport, const char **step)
{
	int one = 1, zero = 0, defer_secs = 1, r;

	if (reuseport == NET_REUSEPORT_FIRST && (r = probe_port(addr, step)) < 0)
		return r;
	int fd = sys_socket(addr->sa.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	*step = "socket";
	if (fd < 0)
		return fd;
	/* Restart at once even while old connections sit in TIME_WAIT. */
	*step = "setsockopt SO_REUSEADDR";
	if ((r = sys_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) < 0)
		goto fail;
	*step = "setsockopt SO_REUSEPORT";
	if (reuseport && (r = sys_setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one))) < 0)
		goto fail;
	/* Responses leave in one write or as head + sendfile: do not let Nagle
	 * hold the file's first segment back until the head is acknowledged.
	 * Accepted sockets inherit it (tcp(7)). */
	*step = "setsockopt TCP_NODELAY";
	if ((r = sys_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one))) < 0)
		goto fail;
	/* Wake us for a connection once its first bytes have come, not at the
	 * end of the handshake (tcp(7)): accept4 then returns a connection whose
	 * request can be read at once, and is answered in the same turn. One
	 * second: a client that connects and says nothing is accepted after
	 * the SYN-ACK's first retransmission, about a second later, and its
	 * header timeout starts then. With Connection: close this took the
	 * server's CPU per connection from 28 to 22 us (docs/performance.md). */
	*step = "setsockopt TCP_DEFER_ACCEPT";
	if ((r = sys_setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_secs, sizeof(defer_secs))) < 0)
		goto fail;
	/* "::" serves IPv4 too, whatever net.ipv6.bindv6only says (ipv6(7)). */
	*step = "setsockopt IPV6_V6ONLY";
	if (addr->sa.family == AF_INET6 &&
	    (r = sys_setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero))) < 0)
		goto fail;
	*step = "bind";
	if ((r = sys_bind(fd, &addr->sa, addr->len)) < 0)
		goto fail;
	/* The kernel caps the backlog at net.core.somaxconn (listen(2)). */
	*step = "listen";
	if ((r = sys_listen(fd, 4096)) < 0)
		goto fail;
	*step = "getsockname";
	if ((r = sys_getsockname(fd, &addr->sa, &addr->len)) < 0)
		goto fail;
	return fd;
fail:
	sys_close(fd);
	return r;
}
