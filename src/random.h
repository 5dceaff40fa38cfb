/* random.h - fresh random bytes from the kernel, and nothing else. */
#ifndef SCRATCHD_RANDOM_H
#define SCRATCHD_RANDOM_H

#include <stddef.h>

#define RANDOM_MAX 256	/* bytes one call may ask for (getrandom(2) never cuts these short) */

/* Fill buf[0..n) (n <= RANDOM_MAX) from getrandom(2). Returns 0, or -errno:
 * a failed call, or -EIO for a short one. There is no fallback: without the
 * kernel's randomness there are no keys. */
int random_bytes(void *buf, size_t n);

#endif
