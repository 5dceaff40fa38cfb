/*
 * check.c - the health-check client (check.h).
 *
 *	socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC) = 3
 *	connect(3, 127.0.0.1:8080) = -EINPROGRESS
 *	ppoll([3: POLLOUT], time left) = 1; getsockopt(3, SO_ERROR) = 0
 *	sendto(3, "GET /healthz HTTP/1.1\r\nHost: ...", MSG_NOSIGNAL)
 *	ppoll([3: POLLIN], time left) = 1; read(3, ...) until the status line
 *
 * Each wait gets only what is left of CHECK_TIMEOUT_MS (CLOCK_MONOTONIC),
 * so a server that accepts and never answers costs 3 seconds, not more.
 */
#include "../syscall.h"
#include "check.h"
#include "err.h"
#include "mem.h"
#include "str.h"

static int url_ieq(const char *s, size_t n, const char *lit)
{
	size_t k = cstr_len(lit);

	return n == k && str_ieq((struct str){ s, n }, (struct str){ lit, k });
}

int check_parse_url(const char *url, struct check_url *out, const char **why)
{
	size_t n = cstr_len(url), i = 7, host_end, port_at = 0;
	char ip[IPV6_TEXT_MAX + 1];
	uint64_t port = 80;

	*why = "not a URL this check can fetch";
	if (n > CHECK_URL_MAX) {
		*why = "URL too long";
		return -1;
	}
	if (n >= 8 && url_ieq(url, 8, "https://")) {
		*why = "https:// is not supported: give the plain HTTP address (--check speaks no TLS)";
		return -1;
	}
	if (n < 7 || !url_ieq(url, 7, "http://")) {
		*why = "not an http:// URL";
		return -1;
	}
	for (size_t k = 0; k < n; k++)
		if (url[k] <= ' ' || url[k] > '~') {
			*why = "a URL may not hold spaces or control characters";
			return -1;
		}
	/* the authority: up to the path, query or fragment */
	host_end = i;
	while (host_end < n && url[host_end] != '/' && url[host_end] != '?' && url[host_end] != '#')
		host_end++;
	out->host = url + i;
	out->host_len = host_end - i;
	for (size_t k = i; k < host_end; k++)
		if (url[k] == '@') {
			*why = "user information in a URL is not supported";
			return -1;
		}
	size_t h = i, h_end = host_end;	/* the host, without the port */
	if (h < host_end && url[h] == '[') {
		size_t close = h;

		while (close < host_end && url[close] != ']')
			close++;
		if (close == host_end) {
			*why = "an IPv6 address must end with ']'";
			return -1;
		}
		if (close + 1 < host_end) {
			if (url[close + 1] != ':')
				return -1;
			port_at = close + 2;
		}
		h++;
		h_end = close;
	} else {
		for (size_t k = h; k < host_end; k++)
			if (url[k] == ':') {
				port_at = k + 1;
				h_end = k;
				break;
			}
	}
	if (port_at && port_at < host_end &&
	    (parse_u64((struct str){ url + port_at, host_end - port_at }, 65535, &port) < 0 || port == 0)) {
		*why = "the port must be a number from 1 to 65535";
		return -1;
	}
	if (h_end - h > IPV6_TEXT_MAX || h_end == h) {
		*why = "the host must be an IPv4 or IPv6 address, or localhost (no DNS)";
		return -1;
	}
	memcpy(ip, url + h, h_end - h);
	ip[h_end - h] = 0;
	if (url_ieq(ip, h_end - h, "localhost"))
		memcpy(ip, "127.0.0.1", 10);
	int v6 = url[i] == '[';
	if ((v6 && parse_ipv6(ip, out->addr.sa.v6.sin6_addr) < 0) ||
	    (!v6 && net_parse_addr(ip, (uint16_t)port, &out->addr) < 0) ||
	    (!v6 && out->addr.sa.family != AF_INET)) {
		*why = "the host must be an IPv4 or IPv6 address, or localhost (no DNS)";
		return -1;
	}
	if (v6) {
		uint8_t a[16];

		memcpy(a, out->addr.sa.v6.sin6_addr, 16);
		memset(&out->addr, 0, sizeof(out->addr));
		out->addr.sa.v6.sin6_family = AF_INET6;
		out->addr.sa.v6.sin6_port = (uint16_t)(port >> 8 | (port & 0xff) << 8);
		memcpy(out->addr.sa.v6.sin6_addr, a, 16);
		out->addr.len = sizeof(out->addr.sa.v6);
	}
	/* the target: the path and query, never the fragment */
	size_t t_end = host_end;
	while (t_end < n && url[t_end] != '#')
		t_end++;
	out->target = t_end > host_end && url[host_end] == '/' ? url + host_end : "/";
	out->target_len = t_end > host_end && url[host_end] == '/' ? t_end - host_end : 1;
	if (t_end > host_end && url[host_end] == '?') {
		/* "http://h?q" is "/?q": written with the '/' in front, below */
		out->target = url + host_end;
		out->target_len = t_end - host_end;
	}
	return 0;
}

int check_status(const char *buf, size_t len)
{
	size_t eol = 0;

	while (eol < len && buf[eol] != '\n')
		eol++;
	if (eol == len)
		return len >= 512 ? -1 : 0;	/* no status line is that long */
	if (eol < 12 || memcmp(buf, "HTTP/1.", 7) != 0 || buf[7] < '0' || buf[7] > '9' || buf[8] != ' ' ||
	    (eol > 12 && buf[12] != ' ' && buf[12] != '\r'))
		return -1;
	int code = 0;
	for (int k = 9; k < 12; k++) {
		if (buf[k] < '0' || buf[k] > '9')
			return -1;
		code = code * 10 + (buf[k] - '0');
	}
	return code >= 100 ? code : -1;
}

/* Milliseconds on the monotonic clock. */
static int64_t now_ms(void)
{
	struct timespec_k ts;

	if (sys_clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd has events, at most until deadline. Returns 1, 0 when the
 * time is up, or -errno. */
static int wait_for(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - now_ms();
		struct pollfd p = { .fd = fd, .events = events };

		if (left <= 0)
			return 0;
		struct timespec_k t = { left / 1000, left % 1000 * 1000000 };
		int r = sys_ppoll(&p, 1, &t);
		if (r == -EINTR)
			continue;
		return r;
	}
}

/* "scratchd: --check URL: WHY" on stderr; returns 1. */
static int check_fail(const char *url, struct str why, struct str more)
{
	char buf[512];
	struct outbuf ob;
	size_t n = cstr_len(url);

	ob_init(&ob, buf, sizeof(buf) - 1);
	OB_LIT(&ob, "scratchd: --check ");
	ob_put(&ob, url, n < 200 ? n : 200);
	if (n >= 200)
		OB_LIT(&ob, "...");
	OB_LIT(&ob, ": ");
	ob_str(&ob, why);
	ob_str(&ob, more);
	buf[ob.len++] = '\n';
	sys_write(2, buf, ob.len);
	return 1;
}

int check_run(const char *url)
{
	struct check_url u;
	const char *why;
	char req[CHECK_URL_MAX + 256], resp[512];
	struct outbuf ob;
	int64_t deadline = now_ms() + CHECK_TIMEOUT_MS;
	int r, fd;

	if (check_parse_url(url, &u, &why) < 0)
		return check_fail(url, (struct str){ why, cstr_len(why) }, STR(""));
	ob_init(&ob, req, sizeof(req));
	OB_LIT(&ob, "GET ");
	if (u.target[0] == '?')
		OB_LIT(&ob, "/");
	ob_put(&ob, u.target, u.target_len);
	OB_LIT(&ob, " HTTP/1.1\r\nHost: ");
	ob_put(&ob, u.host, u.host_len);
	OB_LIT(&ob, "\r\nUser-Agent: scratchd-check\r\nConnection: close\r\n\r\n");
	if ((fd = sys_socket(u.addr.sa.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
		return check_fail(url, STR("socket: "), err_message(fd));
	r = sys_connect(fd, &u.addr.sa, u.addr.len);
	if (r == -EINPROGRESS) {
		int err = 0;
		uint32_t len = sizeof(err);

		if ((r = wait_for(fd, POLLOUT, deadline)) == 0)
			return check_fail(url, STR("timed out connecting (3 s)"), STR(""));
		if (r > 0)
			r = sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ? -EIO : -err;
	}
	if (r < 0)
		return check_fail(url, STR("connect: "), err_message(r));
	for (size_t off = 0; off < ob.len;) {
		long n = sys_sendto(fd, req + off, ob.len - off, MSG_NOSIGNAL);

		if (n == -EAGAIN) {
			if ((r = wait_for(fd, POLLOUT, deadline)) <= 0)
				return r ? check_fail(url, STR("send: "), err_message(r))
					 : check_fail(url, STR("timed out sending the request (3 s)"), STR(""));
			continue;
		}
		if (n < 0)
			return check_fail(url, STR("send: "), err_message(n));
		off += (size_t)n;
	}
	size_t got = 0;
	int status = 0;
	while (status == 0) {
		if ((r = wait_for(fd, POLLIN, deadline)) <= 0)
			return r ? check_fail(url, STR("read: "), err_message(r))
				 : check_fail(url, STR("timed out waiting for the response (3 s)"), STR(""));
		long n = sys_read(fd, resp + got, sizeof(resp) - got);
		if (n == -EAGAIN)
			continue;
		if (n < 0)
			return check_fail(url, STR("read: "), err_message(n));
		if (n == 0)
			return check_fail(url, got ? STR("the connection closed in the middle of the status line")
					     : STR("the connection closed with no response"), STR(""));
		got += (size_t)n;
		status = check_status(resp, got);
	}
	sys_close(fd);
	if (status < 0)
		return check_fail(url, STR("not an HTTP response"), STR(""));
	if (status < 200 || status > 299) {
		char code[4] = { (char)('0' + status / 100), (char)('0' + status / 10 % 10), (char)('0' + status % 10) };

		return check_fail(url, STR("status "), (struct str){ code, 3 });
	}
	return 0;
}
