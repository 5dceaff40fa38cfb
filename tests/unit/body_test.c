/*
 * body_test.c - file bodies (src/body.c): one range and multipart/byteranges
 * sent through a transport that takes a few bytes at a time and often says
 * EAGAIN, must come out byte for byte as RFC 9110 §14.6 lays them out, with
 * the count of bytes taken right. Hosted, with ASan and UBSan.
 */
#include <stdint.h>
#include <stdlib.h>
#include "tap.h"

#define memcmp sd_memcmp
#define memcpy sd_memcpy
#include "../../src/mem.c"
#include "../../src/str.c"
#include "../../src/body.c"
#undef memcmp
#undef memcpy
/* after syscall.h, whose constants the C library's headers would redefine */
#include <unistd.h>
int mkstemp(char *template);

/* What the fake socket received, and how stingy it is. */
static char got[1 << 20];
static size_t got_len;
static unsigned seed = 1;

static size_t stingy(size_t n)
{
	seed = seed * 1103515245 + 12345;
	if ((seed >> 16) % 4 == 0)
		return 0;	/* EAGAIN */
	size_t take = 1 + (seed >> 8) % 700;
	return take < n ? take : n;
}

static long fake_write(struct conn_io *io, const void *buf, size_t n, int more)
{
	(void)io, (void)more;
	size_t k = stingy(n);
	if (!k)
		return -EAGAIN;
	memcpy(got + got_len, buf, k);
	got_len += k;
	return (long)k;
}

static long fake_sendfile(struct conn_io *io, int fd, uint64_t *off, uint64_t n)
{
	(void)io;
	size_t k = stingy(n);
	if (!k)
		return -EAGAIN;
	ssize_t r = pread(fd, got + got_len, k, (off_t)*off);
	if (r <= 0)
		return -EIO;
	got_len += (size_t)r;
	*off += (uint64_t)r;
	return r;
}

static const struct transport fake = { .write = fake_write, .sendfile = fake_sendfile };

/* Send b to the end through the fake; returns the count body_send reported. */
static uint64_t send_all(struct file_body *b)
{
	struct conn_io io = { .fd = -1, .t = &fake };
	uint64_t sent = 0;
	int turns = 0;

	got_len = 0;
	while (body_send(b, &io, &sent) == 0 && turns++ < 100000)
		;
	return sent;
}

int main(void)
{
	static char data[100000];
	char path[] = "/tmp/body_test.XXXXXX";
	int fd = mkstemp(path);

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + i / 251);
	if (fd < 0 || write(fd, data, sizeof(data)) != (ssize_t)sizeof(data))
		return 2;
	unlink(path);

	/* one range */
	struct file_body b = { .fd = dup(fd), .off = 1000, .end = 61000 };
	is_int(body_length(&b), 60000, "a single range's length");
	uint64_t sent = send_all(&b);
	ok(got_len == 60000 && memcmp(got, data + 1000, 60000) == 0 && sent == 60000 && b.fd == -1,
	   "one range: the bytes, the count, the file closed");

	/* several, in the order asked, as a multipart body */
	struct file_body m = {
		.fd = dup(fd), .parts = 3, .in_head = 1, .size = sizeof(data), .boundary = 0x0123456789abcdefULL,
		.type = STR("application/octet-stream"),
		.range = { { 50000, 50009 }, { 0, 0 }, { 90000, 99999 } },
	};
	uint64_t want = body_multipart_length(&m);
	is_int(body_length(&m), want, "a multipart body's length");
	sent = send_all(&m);
	static char expect[1 << 20];
	size_t n = 0;
	static const struct { uint64_t a, b; } r[3] = { { 50000, 50009 }, { 0, 0 }, { 90000, 99999 } };
	for (int k = 0; k < 3; k++) {
		n += (size_t)snprintf(expect + n, sizeof(expect) - n,
				      "\r\n--scratchd-0123456789abcdef\r\nContent-Type: application/octet-stream\r\n"
				      "Content-Range: bytes %llu-%llu/100000\r\n\r\n",
				      (unsigned long long)r[k].a, (unsigned long long)r[k].b);
		memcpy(expect + n, data + r[k].a, r[k].b - r[k].a + 1);
		n += r[k].b - r[k].a + 1;
	}
	n += (size_t)snprintf(expect + n, sizeof(expect) - n, "\r\n--scratchd-0123456789abcdef--\r\n");
	ok(got_len == n && memcmp(got, expect, n) == 0, "multipart: every header and byte as RFC 9110 §14.6 says");
	ok(sent == n && want == n && m.fd == -1, "multipart: the count and the promised length agree (%zu)", n);

	/* RANGE_MAX parts, and a type as long as a part header holds */
	struct file_body big = { .fd = dup(fd), .parts = RANGE_MAX, .in_head = 1, .size = sizeof(data) };
	char type[BODY_TYPE_MAX + 50];
	memset(type, 't', sizeof(type));
	big.type = (struct str){ type, sizeof(type) };
	for (int k = 0; k < RANGE_MAX; k++)
		big.range[k] = (struct byte_range){ (uint64_t)k * 10, (uint64_t)k * 10 + 4 };
	want = body_multipart_length(&big);
	sent = send_all(&big);
	ok(sent == want && got_len == want, "%d parts with a long type: %llu bytes as promised", RANGE_MAX,
	   (unsigned long long)want);
	close(fd);
	return done_testing();
}
