/* net.h - the listening socket. */
#ifndef SCRATCHD_NET_H
#define SCRATCHD_NET_H

#include <stdint.h>
#include "str.h"

/* An IPv4 or IPv6 socket address (struct sockaddr_in or sockaddr_in6). */
struct net_addr {
	union {
		uint16_t family;
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} sa;
	uint32_t len;
};

#define NET_ADDR_TEXT_MAX (1 + IPV6_TEXT_MAX + 2 + 5)	/* "[v6]:port" */

/* Parse "127.0.0.1" or "::1" and a port into addr. Returns 0 or -EINVAL. */
int net_parse_addr(const char *ip, uint16_t port, struct net_addr *addr);

/* The port of addr, in host byte order. */
uint16_t net_port(const struct net_addr *addr);

/* 1 if addr is 0.0.0.0 or ::, the address of every interface. */
int net_is_unspecified(const struct net_addr *addr);

/* Write "IP:PORT" ("[IPv6]:PORT") for addr into out; returns the length. */
size_t net_fmt_addr(char *out, const struct net_addr *addr);

/*
 * Create a non-blocking listening TCP socket bound to addr (IPv6 "::" also
 * takes IPv4), and read back the bound address (the real port for port 0).
 * reuseport: 0, or set SO_REUSEPORT so several sockets (one per worker) share
 * the port and the kernel spreads connections over them (socket(7)):
 * NET_REUSEPORT_FIRST for the first of them (which first checks that nobody
 * listens there yet), NET_REUSEPORT for the others.
 * On failure returns -errno and sets *step to the call that failed.
 */
enum { NET_REUSEPORT = 1, NET_REUSEPORT_FIRST = 2 };
int net_listen(struct net_addr *addr, int reuseport, const char **step);

#endif
