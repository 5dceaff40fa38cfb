/*
 * path.c - URL path normalisation (RFC 3986 §5.2.4 "remove_dot_segments", but
 * refusing to climb above the root instead of silently stopping there).
 */
#include "path.h"
#include "../syscall.h"

long path_normalize(struct str in, char *out)
{
	const char *p = in.p, *end = in.p + in.n;
	size_t n = 0;

	if (in.n == 0 || *p != '/')
		return -EINVAL;
	while (p < end) {
		while (p < end && *p == '/')
			p++;
		const char *seg = p;
		while (p < end && *p != '/') {
			if (*p == '\0')
				return -EINVAL;
			p++;
		}
		size_t len = (size_t)(p - seg);

		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (n == 0)
				return -EINVAL;		/* above the root */
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;			/* the '/' before it */
			continue;
		}
		if (n > 0)
			out[n++] = '/';
		for (size_t i = 0; i < len; i++)
			out[n++] = seg[i];
	}
	if (n == 0)
		out[n++] = '.';
	out[n] = '\0';
	return (long)n;
}
