/*
 * proxy_io.h - --proxy-protocol: every connection starts with a PROXY
 * header (proxy.h), read here before its own transport (plain HTTP or TLS)
 * sees a byte. A connection is handed to transport_proxy at accept; once
 * the header is read whole it goes back to the transport it came with, and
 * the header's source address, if it carries one, becomes the connection's
 * peer. A bad header makes the read fail (-EPROTO): the connection is
 * closed without a response. The header must come within the time the
 * loop gives a connection's first bytes (--header-timeout, from accept).
 */
#ifndef SCRATCHD_PROXY_IO_H
#define SCRATCHD_PROXY_IO_H

#include "net.h"
#include "transport.h"

/* A worker's table of header states, max_conns entries (mapped now,
 * touched as connections use them). Returns 0 or -errno. */
int proxy_io_setup(unsigned max_conns);

/* A new connection: read its PROXY header first, then go on with the
 * transport io->t it has now; *peer (which must outlive the connection)
 * gets the header's address. */
void proxy_io_attach(struct conn_io *io, struct net_addr *peer);

#endif
