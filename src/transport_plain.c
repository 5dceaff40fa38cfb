/*
 * transport_plain.c - the transport of plain HTTP: each call is the one
 * system call it names, so a plain request under strace is read, write
 * (or sendto + sendfile) and nothing else.
 */
#include "../syscall.h"
#include "transport.h"

#define SENDFILE_MAX	(1L << 30)	/* bytes per sendfile call (it moves < 2 GiB) */

static long plain_read(struct conn_io *io, void *buf, size_t n)
{
	return sys_read(io->fd, buf, n);
}

/* A head followed by sendfile goes with MSG_MORE, so the kernel sends it
 * together with the file's first bytes instead of as a small segment of
 * its own (what nginx gets from TCP_CORK). */
static long plain_write(struct conn_io *io, const void *buf, size_t n, int more)
{
	return more ? sys_sendto(io->fd, buf, n, MSG_MORE) : sys_write(io->fd, buf, n);
}

static long plain_sendfile(struct conn_io *io, int file_fd, uint64_t *off, uint64_t n)
{
	long pos = (long)*off;
	long r = sys_sendfile(io->fd, file_fd, &pos, n < SENDFILE_MAX ? n : SENDFILE_MAX);

	if (r == 0)
		return -EIO;	/* the file shrank: the promised length cannot be kept */
	if (r > 0)
		*off += (uint64_t)r;
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
