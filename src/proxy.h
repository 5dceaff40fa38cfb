/*
 * proxy.h - the PROXY protocol header (HAProxy's proxy-protocol.txt,
 * versions 1 and 2) that a load balancer puts before anything else on a
 * connection, to say whose it is. Pure: no system calls (the parser);
 * src/proxy_io.c reads the header off the socket with it.
 *
 *	v1: "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"   (text, <= 107 bytes)
 *	    "PROXY TCP6 2001:db8::1 2001:db8::2 56324 443\r\n"
 *	    "PROXY UNKNOWN ...\r\n"
 *	v2: "\r\n\r\n\0\r\nQUIT\n", version/command, family/protocol, length
 *	    (big-endian), then that many bytes: addresses, ports, TLVs
 */
#ifndef SCRATCHD_PROXY_H
#define SCRATCHD_PROXY_H

#include <stddef.h>
#include <stdint.h>

#define PROXY_V1_MAX	107	/* bytes of a v1 line, CRLF included (§2.1) */
#define PROXY_MAX	1024	/* bytes of a whole header, v2 with its TLVs: more is refused */
#define PROXY_MIN	15	/* the shortest header ("PROXY UNKNOWN\r\n"): a read of
				 * this many can never take bytes that follow one */

enum {
	PROXY_BAD = -1,		/* not a valid header: close the connection */
	PROXY_PARTIAL = -2,	/* a valid beginning: wait for more */
};

/* What a header says about the client. */
struct proxy_addr {
	int family;		/* 4, 6, or 0: keep the connection's own address
				 * (v1 UNKNOWN, v2 LOCAL, v2 UNSPEC/UDP/UNIX) */
	uint8_t addr[16];	/* the source address: 4 or 16 bytes, network order */
	uint16_t port;		/* the source port, host order */
};

/*
 * Parse the header at the start of buf[0..len). Returns its length in
 * bytes (> 0) and fills *out; PROXY_PARTIAL when buf holds a valid
 * beginning of one (at most PROXY_MAX - 1 bytes of it); PROXY_BAD
 * otherwise: any byte that does not match the specification exactly,
 * a v1 line with no CRLF in 107 bytes, a v2 header longer than PROXY_MAX,
 * an address block too short for its family. TLVs are skipped unread.
 * Never reads buf[len].
 */
int proxy_parse(const uint8_t *buf, size_t len, struct proxy_addr *out);

#endif
