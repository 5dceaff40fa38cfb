/* mimefile.c - --mime-types FILE: its bytes into mime.c's buffer. */
#include "../syscall.h"
#include "mime.h"
#include "mimefile.h"

int mime_types_load(const char *path, struct outbuf *why)
{
	char *buf = mime_file_buffer();
	int fd = sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
	size_t len = 0;
	long n;

	struct stat_k st;

	if (fd < 0)
		return fd;
	if (sys_fstat(fd, &st) < 0 || (st.st_mode & S_IFMT) != S_IFREG) {
		sys_close(fd);
		OB_LIT(why, "not a regular file");
		return -EINVAL;
	}
	/* one byte more than the bound: a file that fills it is too large */
	while ((n = sys_read(fd, buf + len, MIME_FILE_MAX - len)) > 0 && (len += (size_t)n) < MIME_FILE_MAX)
		;
	if (n >= 0 && len == MIME_FILE_MAX) {
		char extra;
		n = sys_read(fd, &extra, 1);
		if (n > 0) {
			sys_close(fd);
			OB_LIT(why, "larger than ");
			ob_u64(why, MIME_FILE_MAX);
			OB_LIT(why, " bytes");
			return -ENOBUFS;
		}
	}
	sys_close(fd);
	if (n < 0)
		return (int)n;

	size_t line;
	const char *what;
	int r = mime_load(len, &line, &what);
	if (r < 0) {
		OB_LIT(why, "line ");
		ob_u64(why, line);
		OB_LIT(why, ": ");
		ob_put(why, what, cstr_len(what));
	}
	return r;
}
