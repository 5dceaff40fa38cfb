/*
 * beneath.c - opening files beneath the document root.
 *
 * Confinement is the kernel's job: every name is opened with openat2(2)
 * relative to the root fd with RESOLVE_BENEATH (no "..", absolute path or
 * symlink may leave the root) and RESOLVE_NO_MAGICLINKS (no /proc/self/fd
 * tricks). path_normalize() only decides which name to ask for.
 */
#include "beneath.h"

static int walk_mode;		/* no openat2: see open_walk() */

int beneath_walk_mode(void)
{
	return walk_mode;
}

int beneath_open_root(const char *dir)
{
	struct open_how how = { .flags = FILE_OPEN_FLAGS, .resolve = RESOLVE_BENEATH };
	int root = sys_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

	if (root < 0)
		return root;
	int fd = sys_openat2(root, ".", &how);
#ifdef SCRATCHD_TEST_WALK
	if (fd >= 0)	/* test build (make test-builds): as if the kernel had no openat2 */
		sys_close(fd);
	fd = -ENOSYS;
#endif
	if (fd == -ENOSYS)
		walk_mode = 1;	/* Linux < 5.6, or a sandbox that hides it */
	else if (fd >= 0)
		sys_close(fd);
	return root;
}

/*
 * Without openat2: open path one component at a time from root, each with
 * O_NOFOLLOW, so no symlink is ever followed (symlinks are not served in
 * this mode) and, with ".." gone after path_normalize(), no component can
 * leave the root. Returns an fd or -errno.
 */
static int open_walk(int root, char *path)
{
	int dir = root;
	char *p = path;

	if (p[0] == '.' && p[1] == '\0')
		return sys_openat(root, ".", FILE_OPEN_FLAGS | O_NOFOLLOW, 0);
	for (;;) {
		char *slash = p;

		while (*slash && *slash != '/')
			slash++;
		int last = *slash == '\0';
		*slash = '\0';
		int fd = sys_openat(dir, p, FILE_OPEN_FLAGS | O_NOFOLLOW, 0);
		if (!last)
			*slash = '/';
		if (dir != root)
			sys_close(dir);
		if (fd < 0 || last)
			return fd;
		dir = fd;
		p = slash + 1;
	}
}

int beneath_open(int root, char *path)
{
	struct open_how how = {
		.flags = FILE_OPEN_FLAGS,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};

	if (walk_mode)
		return open_walk(root, path);
	return sys_openat2(root, path, &how);
}

int beneath_open_no_symlinks(int root, const char *path)
{
	struct open_how how = {
		.flags = FILE_OPEN_FLAGS,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};

	return sys_openat2(root, path, &how);
}

int read_full(int fd, char *dst, uint64_t n)
{
	for (uint64_t got = 0; got < n;) {
		long r = sys_read(fd, dst + got, n - got);

		if (r <= 0)
			return -1;
		got += (uint64_t)r;
	}
	return 0;
}
