/*
 * hello.c - the seed's server, done right: one connection at a time, no libc.
 *
 *	socket -> setsockopt(SO_REUSEADDR) -> bind -> listen -> getsockname
 *	loop { accept4 -> setsockopt(SO_RCVTIMEO) -> read the request
 *	       -> writev the response [-> shutdown -> read, on errors] -> close }
 *
 * Unlike the Go programs it grew from, every system call is checked, the
 * request line is validated (400), a request that does not fit the buffer is
 * refused (431 for the head, 413 for the body), a body announced by
 * Content-Length is read before answering, and a client that stalls, sends
 * half a request or vanishes costs at most one timeout. It is also small:
 * `make size` prints its size. Read top to bottom; build/scratchd is the
 * real server.
 */
#include "../syscall.h"
#include "entry.h"
#include "str.h"

#define REQ_MAX		4096	/* request line + headers + body, bytes */
#define RECV_TIMEOUT	5	/* seconds a client may stall one read */
#define LINGER_READS	16	/* reads discarded after an error response */

#define BODY	"<h1>hello world</h1>"
_Static_assert(sizeof(BODY) - 1 == 20, "ok_tail's Content-Length must match BODY");

/* Every response is "HTTP/1.1 ", a status, these headers, then one tail. */
static const char version[] = "HTTP/1.1 ";
static const char headers[] = "\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n";
static const char ok_tail[] = "Content-Length: 20\r\n\r\n" BODY;
static const char error_tail[] = "Content-Length: 0\r\n\r\n";

static const char usage[] = "usage: hello [--addr IPv4] [--port N]\n";

/* Print "hello: WHAT failed: errno N" on stderr and exit 1. WHAT is one of
 * the call names below, 12 bytes at most. */
static void die(const char *what, long err)
{
	char msg[64], *p = msg;		/* 7 + 12 + 15 + 20 + 1 bytes at most */

	p = cstr_copy(p, "hello: ");
	p = cstr_copy(p, what);
	p = cstr_copy(p, " failed: errno ");
	p += fmt_u64(p, (uint64_t)-err);
	*p++ = '\n';
	sys_write(2, msg, (size_t)(p - msg));
	sys_exit_group(1);
}

/* Send a whole response in one writev. On a blocking socket writev returns
 * only when everything is sent, or fails (write(2)); on failure the client
 * has gone and we close the connection next anyway. */
static void respond(int fd, const char *status, const char *tail, size_t tail_len)
{
	struct iovec iov[4] = {
		{ (void *)version, sizeof(version) - 1 },
		{ (void *)status, cstr_len(status) },
		{ (void *)headers, sizeof(headers) - 1 },
		{ (void *)tail, tail_len },
	};

	sys_writev(fd, iov, 4);
}

/* Answer an error, then close gently: the client may still be sending, and
 * close() with unread data makes the kernel send a reset that can destroy the
 * answer before the client reads it. So half-close, and read and discard what
 * is in flight (at most LINGER_READS reads) until the client closes too
 * (RFC 9112 §9.6). */
static void respond_error(int fd, const char *status, char *scratch)
{
	respond(fd, status, error_tail, sizeof(error_tail) - 1);
	if (sys_shutdown(fd, SHUT_WR) < 0)
		return;
	for (int i = 0; i < LINGER_READS && sys_read(fd, scratch, REQ_MAX) > 0; i++)
		;
}

/* 1 if [p, ...) starts with "METHOD SP target SP HTTP/1.d CR" (RFC 9112 §3).
 * The head ends in CR LF CR LF, and every loop stops at a CR, so no read
 * goes past it. */
static int request_line_ok(const unsigned char *p)
{
	const unsigned char *start = p;

	while (is_tchar(*p))
		p++;
	if (p == start || *p++ != ' ')
		return 0;
	for (start = p; *p > ' ' && *p < 0x7f; p++)
		;
	if (p == start || *p++ != ' ')
		return 0;
	for (const char *v = "HTTP/1."; *v; v++, p++)
		if (*p != *v)
			return 0;
	return *p >= '0' && *p <= '9' && p[1] == '\r';
}

/* Find a "Content-Length:" line (any case) in the head [p, end) and parse its
 * value. Returns 0 (and *len, 0 when absent), -EINVAL or -ERANGE. */
static int content_length(const char *p, const char *end, uint64_t *len)
{
	static const char name[] = "\ncontent-length:";

	for (*len = 0; p < end; p++) {
		size_t i = 0;

		while (name[i] && ascii_lower((unsigned char)p[i]) == name[i])
			i++;
		if (name[i])
			continue;
		const char *v = p + i, *e;
		while (*v == ' ' || *v == '\t')
			v++;
		for (e = v; *e >= '0' && *e <= '9'; e++)
			;
		int r = parse_u64((struct str){ v, (size_t)(e - v) }, UINT64_MAX, len);
		while (*e == ' ' || *e == '\t')
			e++;
		if (r < 0 || *e != '\r')
			return r < 0 ? r : -EINVAL;
	}
	return 0;
}

/* Serve one connection: read one request, answer it, return. */
static void serve(int fd)
{
	static const struct timeval_k timeout = { .tv_sec = RECV_TIMEOUT };
	char req[REQ_MAX];
	size_t len = 0, head_len = 0;
	uint64_t body_len;

	/* A client that stalls holds us RECV_TIMEOUT at most: read then fails
	 * with EAGAIN (socket(7), SO_RCVTIMEO). */
	if (sys_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0)
		return;

	/* Read until the blank line that ends the head (RFC 9112 §2.1). */
	while (head_len == 0) {
		if (len == sizeof(req))
			return respond_error(fd, "431 Request Header Fields Too Large", req);
		long n = sys_read(fd, req + len, sizeof(req) - len);
		if (n <= 0)
			return;		/* closed, reset or timed out: no one to answer */
		/* Scan only the new bytes, and the 3 before them, for CR LF CR LF. */
		for (size_t i = len > 3 ? len - 3 : 0; i + 4 <= len + (size_t)n; i++)
			if (req[i] == '\r' && req[i + 1] == '\n' && req[i + 2] == '\r' &&
			    req[i + 3] == '\n') {
				head_len = i + 4;
				break;
			}
		len += (size_t)n;
	}

	int r = content_length(req, req + head_len, &body_len);
	if (!request_line_ok((const unsigned char *)req) || r == -EINVAL)
		return respond_error(fd, "400 Bad Request", req);
	if (r < 0 || body_len > sizeof(req) - head_len)
		return respond_error(fd, "413 Content Too Large", req);

	/* Read the whole body before answering, as the client expects. */
	while (len < head_len + body_len) {
		long n = sys_read(fd, req + len, head_len + body_len - len);
		if (n <= 0)
			return;
		len += (size_t)n;
	}
	/* HEAD: the same headers, no body (RFC 9110 §9.3.2). */
	size_t tail_len = sizeof(ok_tail) - 1;
	if (req[0] == 'H' && req[1] == 'E' && req[2] == 'A' && req[3] == 'D' && req[4] == ' ')
		tail_len -= sizeof(BODY) - 1;
	respond(fd, "200 OK", ok_tail, tail_len);
}

int main(int argc, char **argv, char **envp)
{
	static const struct kernel_sigaction ignore = { .handler = SIG_IGN };
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = 0x901f,		/* 8080, network byte order */
		.sin_addr = 0x0100007f,		/* 127.0.0.1 */
	};
	uint32_t addr_len = sizeof(addr);
	int one = 1;
	long r;
	(void)argc, (void)envp;

	for (char **arg = argv + 1; *arg; arg += 2) {
		uint64_t port;
		const char *val = arg[1];

		if (val && cstr_eq(arg[0], "--port") &&
		    parse_u64((struct str){ val, cstr_len(val) }, 65535, &port) == 0)
			addr.sin_port = (uint16_t)(port >> 8 | port << 8);	/* htons */
		else if (!(val && cstr_eq(arg[0], "--addr") && parse_ipv4(val, &addr.sin_addr) == 0)) {
			sys_write(2, usage, sizeof(usage) - 1);
			sys_exit_group(1);
		}
	}

	/* A write to a client that has gone must fail with EPIPE, not kill us. */
	if ((r = sys_rt_sigaction(SIGPIPE, &ignore, NULL)) < 0)
		die("rt_sigaction", r);
	int lfd = sys_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die("socket", lfd);
	/* Restart at once even while old connections sit in TIME_WAIT. */
	if ((r = sys_setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) < 0)
		die("setsockopt", r);
	if ((r = sys_bind(lfd, &addr, sizeof(addr))) < 0)
		die("bind", r);
	if ((r = sys_listen(lfd, 128)) < 0)
		die("listen", r);
	/* With --port 0 the kernel chose the port: ask which. */
	if ((r = sys_getsockname(lfd, &addr, &addr_len)) < 0)
		die("getsockname", r);

	char line[48], *p = cstr_copy(line, "listening on http://");	/* 20 + 21 + 1 */
	const uint8_t *ip = (const uint8_t *)&addr.sin_addr;
	for (int i = 0; i < 4; i++) {
		p += fmt_u64(p, ip[i]);
		*p++ = i < 3 ? '.' : ':';
	}
	p += fmt_u64(p, (uint16_t)(addr.sin_port >> 8 | addr.sin_port << 8));
	*p++ = '\n';
	if ((r = sys_write(1, line, (size_t)(p - line))) < 0)
		die("write", r);

	for (;;) {
		int fd = sys_accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;	/* ECONNABORTED, EINTR...: that client is gone */
		serve(fd);
		sys_close(fd);
	}
}
