/* err.c - errno values as words, for the errors an operator can meet. */
#include "../syscall.h"
#include "err.h"

struct str err_message(long err)
{
	switch (err < 0 ? -err : err) {
	case EPERM: return STR("operation not permitted");
	case ENOENT: return STR("no such file or directory");
	case EACCES: return STR("permission denied");
	case ENOTDIR: return STR("not a directory");
	case EINVAL: return STR("invalid argument");
	case EMFILE: return STR("too many open files");
	case ENFILE: return STR("too many open files in system");
	case ENOMEM: return STR("out of memory");
	case ENOSYS: return STR("function not implemented");
	case EAFNOSUPPORT: return STR("address family not supported");
	case EADDRINUSE: return STR("address already in use");
	case EADDRNOTAVAIL: return STR("cannot assign requested address");
	case ELOOP: return STR("too many levels of symbolic links");
	case ENAMETOOLONG: return STR("file name too long");
	case EBADF: return STR("bad file descriptor");
	case ENOBUFS: return STR("too large for its buffer");
	case ECONNREFUSED: return STR("connection refused");
	case ECONNRESET: return STR("connection reset by peer");
	case ENETUNREACH: return STR("network is unreachable");
	case EHOSTUNREACH: return STR("no route to host");
	case EISDIR: return STR("is a directory");
	case ENOSPC: return STR("no space left on device");
	}
	return STR("unknown error");
}
