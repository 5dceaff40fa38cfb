/*
 * canned.c - the floor for bench/cpu.sh: an epoll loop on non-blocking
 * sockets that answers every "\r\n\r\n" it reads with one fixed response of
 * the same size as scratchd's answer for the bench's index.html. It parses
 * nothing, opens no file, keeps no state but the socket: what one keep-alive
 * request costs the kernel (epoll_wait, read, write), and little else.
 * A hosted benchmark tool, not part of scratchd.
 *
 * Usage: canned PORT BODY_BYTES	(prints "listening on http://127.0.0.1:PORT")
 */
#define _GNU_SOURCE	/* accept4 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_RESPONSE 16384

int main(int argc, char **argv)
{
	static char resp[MAX_RESPONSE], in[16384];
	int port = argc > 1 ? atoi(argv[1]) : 18999;
	int body = argc > 2 ? atoi(argv[2]) : 96;
	int one = 1;

	/* A head like scratchd's: status, Date, Server, type, validators,
	 * Cache-Control (no-cache: scratchd's default since issue 19), length. */
	int len = snprintf(resp, sizeof(resp),
			   "HTTP/1.1 200 OK\r\nServer: canned\r\nDate: Sun, 22 Nov 2026 07:00:00 GMT\r\n"
			   "Content-Type: text/html; charset=utf-8\r\n"
			   "Last-Modified: Sun, 22 Nov 2026 06:00:00 GMT\r\n"
			   "ETag: \"1234567-60-6920f2a0.1234567\"\r\nCache-Control: no-cache\r\n"
			   "Accept-Ranges: bytes\r\n"
			   "Content-Length: %d\r\n\r\n", body);
	if (body < 0 || len + body > MAX_RESPONSE)
		return 2;
	memset(resp + len, 'a', (size_t)body);
	len += body;

	signal(SIGPIPE, SIG_IGN);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 4096) < 0) {
		perror("canned: listen");
		return 1;
	}
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = lfd }, events[256];
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
		perror("canned: epoll");
		return 1;
	}
	printf("listening on http://127.0.0.1:%d\n", port);
	fflush(stdout);

	for (;;) {
		int n = epoll_wait(ep, events, 256, -1);

		for (int i = 0; i < n; i++) {
			int fd = events[i].data.fd;

			if (fd == lfd) {
				int c;

				while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					ev.data.fd = c;
					if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) < 0)
						close(c);
				}
				continue;
			}
			ssize_t got = read(fd, in, sizeof(in));
			if (got <= 0) {
				close(fd);
				continue;
			}
			/* One answer per request end in what came; a request split
			 * across reads is not handled: wrk sends each in one piece. */
			for (ssize_t k = 3; k < got; k++)
				if (memcmp(in + k - 3, "\r\n\r\n", 4) == 0 && write(fd, resp, (size_t)len) < 0)
					break;
		}
	}
}
