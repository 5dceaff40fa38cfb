/* server.h - the event loop: one thread, one epoll set, many connections. */
#ifndef SCRATCHD_SERVER_H
#define SCRATCHD_SERVER_H

#include <stdint.h>

#define SERVER_MAX_LISTEN 16	/* listening sockets one worker serves */

/* What a listener's connections speak */
enum listen_kind {
	LISTEN_HTTP,		/* plain HTTP */
	LISTEN_TLS,		/* HTTPS (src/tls_io.c) */
	LISTEN_REDIRECT,	/* plain HTTP answered with 308 to https:// (--redirect-http) */
};

struct tls_worker;

struct server_config {
	const int *listen_fds;	/* non-blocking, listening */
	const uint8_t *listen_kind; /* enum listen_kind of each (NULL: all LISTEN_HTTP) */
	unsigned nlisten;
	int shared_listeners;	/* every worker serves every listener */
	int root_fd;		/* the document root directory */
	unsigned max_conns;	/* connection table size */
	unsigned header_timeout; /* seconds to receive a whole request head */
	unsigned idle_timeout;	/* seconds a keep-alive connection may sit idle */
	unsigned write_timeout;	/* seconds a client may stall a response */
	unsigned grace;		/* seconds in-flight responses get after SIGTERM */
	int log_fd;		/* access log (Combined Log Format), -1: none */
	int seccomp;		/* confine the loop with seccomp (src/seccomp.c) */
	int file_cache;		/* keep small files in memory (src/fcache.c) */
	int walk;		/* files are opened by the openat walk (no openat2) */
	const struct tls_worker *tls; /* NULL: no TLS listener (src/tls_io.h) */
	int proxy_protocol;	/* connections start with a PROXY header (src/proxy_io.h) */
	int log_sock;		/* where a reopened --log file comes from (src/logfile.h), -1: none */
};

/* Bytes of memory one connection costs in the table (see server.c). */
unsigned long server_conn_size(void);

/*
 * Serve until SIGTERM or SIGINT, then stop accepting, let in-flight responses
 * finish (at most cfg->grace seconds) and return 0. Returns -errno if the loop
 * cannot be set up.
 */
int server_run(const struct server_config *cfg);

#endif
