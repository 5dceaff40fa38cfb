/*
 * realip.h - --trusted-proxy: the client's address when a proxy we trust
 * stands between it and us, from X-Forwarded-For or Forwarded (RFC 7239).
 * Pure: no system calls.
 *
 * The peer (the socket's other end, or what a PROXY header said) decides:
 * only when it is in a --trusted-proxy range are the fields read at all.
 * Each proxy appends the address it got the request from, so the list is
 * walked from its right end, past every trusted address; the first address
 * that is not trusted is the client. If every one is trusted, the leftmost
 * is. X-Forwarded-For is used when the request has one, else Forwarded's
 * for= parameters. A member the walk reaches that is not an IP address
 * (garbage, "unknown", an obfuscated "_name", too long) stops it: the
 * whole field is ignored and the peer stays the client. Members left of
 * the first untrusted address are never looked at.
 */
#ifndef SCRATCHD_REALIP_H
#define SCRATCHD_REALIP_H

#include "http.h"
#include "net.h"

#define REALIP_MAX	64	/* --trusted-proxy ranges */

/* Add a range: "IP" or "IP/BITS", IPv4 (BITS 0-32) or IPv6 (0-128).
 * Returns 0, -EINVAL, or -ENOBUFS past REALIP_MAX. */
int realip_add(const char *cidr);

/* 1 when addr (an IPv4-mapped IPv6 address counts as IPv4) is in a range. */
int realip_trusted(const struct net_addr *addr);

/* 1 when addr is a loopback address (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104). */
int realip_loopback(const struct net_addr *addr);

/* The client of req, which came from peer: *out = peer, or the address
 * the fields name when peer is trusted (port 0). req may be NULL (a
 * request that did not parse): then the peer. */
void realip_client(struct net_addr *out, const struct net_addr *peer, const struct http_request *req);

#endif
