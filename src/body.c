/*
 * body.c - sending a file body: one range with sendfile, or the parts of a
 * multipart/byteranges body (RFC 9110 §14.6), whose small headers are made
 * again from the ranges when their turn comes, so the connection keeps
 * nothing but the ranges themselves.
 */
#include "../syscall.h"
#include "body.h"
#include "mem.h"

size_t body_boundary(uint64_t v, char *out)
{
	static const char prefix[] = "scratchd-";

	memcpy(out, prefix, sizeof(prefix) - 1);
	for (int i = 0; i < 16; i++)
		out[sizeof(prefix) - 1 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	return BODY_BOUNDARY_LEN;
}

size_t body_part_head(const struct file_body *b, unsigned k, char *out)
{
	struct outbuf ob;

	ob_init(&ob, out, BODY_PART_HEAD_MAX);
	OB_LIT(&ob, "\r\n--");
	ob.len += body_boundary(b->boundary, out + ob.len);
	if (k == b->parts) {
		OB_LIT(&ob, "--\r\n");	/* close-delimiter (RFC 2046 §5.1.1) */
		return ob.len;
	}
	OB_LIT(&ob, "\r\nContent-Type: ");
	ob_put(&ob, b->type.p, b->type.n < BODY_TYPE_MAX ? b->type.n : BODY_TYPE_MAX);
	OB_LIT(&ob, "\r\nContent-Range: bytes ");
	ob_u64(&ob, b->range[k].first);
	OB_LIT(&ob, "-");
	ob_u64(&ob, b->range[k].last);
	OB_LIT(&ob, "/");
	ob_u64(&ob, b->size);
	OB_LIT(&ob, "\r\n\r\n");
	return ob.len;
}

uint64_t body_multipart_length(const struct file_body *b)
{
	char head[BODY_PART_HEAD_MAX];
	uint64_t n = 0;

	for (unsigned k = 0; k <= b->parts; k++) {
		n += body_part_head(b, k, head);
		if (k < b->parts)
			n += b->range[k].last - b->range[k].first + 1;
	}
	return n;
}

uint64_t body_length(const struct file_body *b)
{
	return b->parts ? body_multipart_length(b) : b->end - b->off;
}

long body_send(struct file_body *b, struct conn_io *io, uint64_t *sent)
{
	while (b->fd >= 0) {
		if (b->parts && b->in_head) {
			char head[BODY_PART_HEAD_MAX];
			size_t n = body_part_head(b, b->part, head);
			int last = b->part == b->parts;

			while (b->head_off < n) {
				long w = io->t->write(io, head + b->head_off, n - b->head_off, !last);

				if (w < 0)
					return w == -EAGAIN ? 0 : w;
				b->head_off = (uint16_t)(b->head_off + w);
				*sent += (uint64_t)w;
			}
			b->in_head = 0;
			b->head_off = 0;
			if (last)
				break;
			b->off = b->range[b->part].first;
			b->end = b->range[b->part].last + 1;
		}
		while (b->off < b->end) {
			uint64_t at = b->off;
			long n = io->t->sendfile(io, b->fd, &b->off, b->end - b->off);

			if (n < 0)
				return n == -EAGAIN ? 0 : n;
			*sent += b->off - at;
		}
		if (!b->parts)
			break;
		b->part++;
		b->in_head = 1;
	}
	if (b->fd >= 0)
		sys_close(b->fd);
	b->fd = -1;
	return 1;
}
