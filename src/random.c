/*
 * random.c - getrandom(2), the only source of randomness in scratchd.
 *
 * No generator of our own, no pool kept across fork(2) (a child would
 * repeat its parent's bytes): each caller asks the kernel for what it needs
 * when it needs it, at most RANDOM_MAX bytes, for which getrandom(2) with
 * no flags never returns short once the kernel's pool is initialised (it
 * blocks before that, at boot only). A short count is treated as the
 * failure it would be.
 */
#include "../syscall.h"
#include "random.h"

int random_bytes(void *buf, size_t n)
{
	long r;

	if (n > RANDOM_MAX)
		return -EINVAL;
	r = sys_getrandom(buf, n, 0);
	if (r < 0)
		return (int)r;
	return (size_t)r == n ? 0 : -EIO;
}
