/*
 * transport_plain.c - the transport of plain HTTP: each call is the one
 * system call it names, so a plain request under strace is read, write
 * (or sendto + sendfile) and nothing else.
 */
#include "../syscall.h"
#include "transport.h"

static long plain_read(struct conn_io *io, void *buf, size_t n)
{
	return sys_read(io->fd, buf, n);
}

/* A head followed by sendfile goes with MSG_MORE, so the kernel sends it
 * together with the file's first bytes instead of as a small segment of
 * its own (what nginx gets from TCP_CORK). */
static long plain_write(struct conn_io *io, const void *buf, size_t n, int more)
{
	long r = more ? sys_sendto(io->fd, buf, n, MSG_MORE) : sys_write(io->fd, buf, n);

	/* the head counts against the turn's budget (see plain_sendfile) */
	if (r > 0)
		io_spend(io, (uint64_t)r);
	return r;
}

/* A body's rest that exceeds the budget by at most this goes in the same
 * call: no turn of the loop, and no segment of its own, for a few hundred
 * bytes (a file of exactly 1 MiB would otherwise end with the head's length
 * of it alone). */
#define SENDFILE_SLACK	(64 * 1024)

/*
 * At most the turn's budget, then back to the event loop (docs/performance.md,
 * "One large transfer"):
 *  - one call that moves a whole large file holds every other connection for
 *    as long as the socket keeps taking bytes (tens of milliseconds on
 *    loopback);
 *  - the head was counted against the budget, so the first call sends the
 *    budget less the head, and every call ends at a multiple of the budget
 *    in the byte stream. Measured on loopback (medians of 9 downloads of
 *    100 MiB), calls of 256 KiB of file each: 1.8 GB/s; one call until the
 *    socket is full: 2.1-2.4 GB/s; like this: 2.4-3.3 GB/s, as lighttpd,
 *    which sends the same way.
 */
static long plain_sendfile(struct conn_io *io, int file_fd, uint64_t *off, uint64_t n)
{
	long pos = (long)*off;

	if (io->budget == 0)
		return -EAGAIN;
	long r = sys_sendfile(io->fd, file_fd, &pos, n <= (uint64_t)io->budget + SENDFILE_SLACK ? n : io->budget);
	if (r == 0)
		return -EIO;	/* the file shrank: the promised length cannot be kept */
	if (r > 0) {
		*off += (uint64_t)r;
		io_spend(io, (uint64_t)r);
	}
	return r;
}

static int plain_flush(struct conn_io *io)
{
	(void)io;
	return 1;
}

static int plain_never(struct conn_io *io)
{
	(void)io;
	return 0;
}

static void plain_goodbye(struct conn_io *io)
{
	(void)io;
}

const struct transport transport_plain = {
	.read = plain_read,
	.write = plain_write,
	.sendfile = plain_sendfile,
	.flush = plain_flush,
	.buffered = plain_never,
	.wants_write = plain_never,
	.goodbye = plain_goodbye,
};
