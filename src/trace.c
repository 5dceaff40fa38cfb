/*
 * trace.c - the trace build (make trace): one line on stderr for every
 * system call, in strace's own format:
 *
 *	socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 3
 *	read(5, "GET / HTTP/1.1\r\nHost: 127.0.0.1:"..., 16384) = 78
 *	openat2(3, "nope", {flags=O_RDONLY, resolve=RESOLVE_BENEATH}, 24) = -1 ENOENT (No such file or directory)
 *
 * syscall.h calls trace_syscall() after each call (exit_group: before it)
 * with the number, the six argument slots and the result. The number is
 * looked up in a table of {number, name, argument kinds}; each kind is one
 * case of put_arg(), and struct arguments have a printer of their own. The
 * whole line is built in a bounded stack buffer and goes out in one write
 * through the raw stub, which is not traced: that write is the only system
 * call the trace adds.
 *
 * Where we differ from strace, because we run inside the process after the
 * call:
 *  - in/out values show only the value after the call: accept4's address
 *    length prints [16] where strace prints [28 => 16] (sendfile's offset is
 *    exact: before = after - bytes sent);
 *  - no "[pid N]" prefix (a getpid per line would be a second system call),
 *    no <unfinished ...>, no "--- SIGTERM ---" or "+++ exited +++" lines;
 *  - a call the kernel restarts after a signal is one line, where strace
 *    shows "= ? ERESTARTSYS" and the call again;
 *  - memory is read as the kernel read it: a wild pointer in a call that
 *    fails before the kernel looks (EBADF) would fault here, as strace's
 *    read would fail; after EFAULT only addresses are printed;
 *  - socket addresses other than AF_INET and AF_INET6 print as addresses;
 *  - sendmsg and recvmsg (the signer's key file) show the message's
 *    address, not its fields; ppoll shows its array as passed in, not the
 *    revents strace adds after the result.
 *
 * Values syscall.h does not define are the asm-generic ones, which x86_64,
 * arm64 and riscv64 share (the few open flags arm64 moves are set apart
 * below, as syscall.h does for O_DIRECTORY). Signal numbers are the
 * x86/arm/generic ones.
 */
#include "../syscall.h"
#include "mem.h"
#include "str.h"

#ifndef SCRATCHD_TRACE
#error "src/trace.c belongs to the trace build only (make trace: -DSCRATCHD_TRACE)"
#endif

#define TRACE_LINE_MAX	1024	/* one line, at most; a longer one is cut with "..." */
#define TRACE_TAIL_MAX	160	/* kept free for "...) = -1 EXXX (message)\n" */
#define TRACE_STRLEN	32	/* strace's default -s: bytes of a buffer shown */
#define TRACE_PATH_MAX	4095	/* paths show whole, as in strace (PATH_MAX - 1) */
#define TRACE_ARRAY_MAX	32	/* array elements shown (strace uses -s here too) */
#define TRACE_COLUMN	40	/* strace starts "= result" in this column */

/* ---- appending, cut at the first piece that does not fit ---------------- */

/* After an overflow nothing more is appended, so a cut line is a true prefix
 * of the whole one (outbuf alone would still take later, shorter pieces). */
static void put(struct outbuf *ob, const void *s, size_t n)
{
	if (!ob->overflow)
		ob_put(ob, s, n);
}

#define PUT_LIT(ob, lit) put((ob), (lit), sizeof(lit) - 1)

static void put_cs(struct outbuf *ob, const char *s)
{
	put(ob, s, cstr_len(s));
}

static void put_udec(struct outbuf *ob, uint64_t v)
{
	char tmp[U64_DEC_MAX];

	put(ob, tmp, fmt_u64(tmp, v));
}

static void put_dec(struct outbuf *ob, int64_t v)
{
	if (v < 0)
		PUT_LIT(ob, "-");
	put_udec(ob, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

/* strace's %#lx: 0x1f, and 0 for zero */
static void put_hex(struct outbuf *ob, uint64_t v)
{
	char tmp[U64_HEX_MAX];

	if (v)
		PUT_LIT(ob, "0x");
	put(ob, tmp, fmt_hex(tmp, v));
}

static void put_ptr(struct outbuf *ob, long p)
{
	if (p)
		put_hex(ob, (unsigned long)p);
	else
		PUT_LIT(ob, "NULL");
}

/* A file mode as strace prints it, %#03o: 000, 007, 0644, 01777. */
static void put_mode(struct outbuf *ob, unsigned m)
{
	char tmp[16];
	size_t n = 0, width;
	const int nonzero = m != 0;

	do
		tmp[n++] = (char)('0' + (m & 7));
	while ((m >>= 3) != 0);
	for (width = n + nonzero; width < 3; width++)
		PUT_LIT(ob, "0");
	if (nonzero)
		PUT_LIT(ob, "0");	/* the '#' flag's leading zero */
	while (n > 0)
		put(ob, &tmp[--n], 1);
}

/*
 * n bytes of p, quoted as strace quotes by default: C escapes for \t \n \v
 * \f \r " and \\, other bytes outside 0x20-0x7e in octal, short (\1) unless
 * an octal digit follows (\0012). p[n] is looked at only if more: strace
 * reads one byte past what it shows, and so picks \001 before a cut "2".
 */
static void put_quoted(struct outbuf *ob, const unsigned char *p, size_t n, int more)
{
	PUT_LIT(ob, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		char esc[4] = { '\\' };
		size_t k = 1;

		switch (c) {
		case '"': case '\\': esc[k++] = (char)c; break;
		case '\t': esc[k++] = 't'; break;
		case '\n': esc[k++] = 'n'; break;
		case '\v': esc[k++] = 'v'; break;
		case '\f': esc[k++] = 'f'; break;
		case '\r': esc[k++] = 'r'; break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				esc[0] = (char)c;
				break;
			}
			int digit_next = (i + 1 < n || more) && p[i + 1] >= '0' && p[i + 1] <= '7';
			if (digit_next || c >= 0100)
				esc[k++] = (char)('0' + (c >> 6));
			if (digit_next || c >= 010)
				esc[k++] = (char)('0' + ((c >> 3) & 7));
			esc[k++] = (char)('0' + (c & 7));
		}
		put(ob, esc, k);
	}
	PUT_LIT(ob, "\"");
}

/* A buffer of len bytes: the first TRACE_STRLEN, and "..." if there is more. */
static void put_buf(struct outbuf *ob, long addr, uint64_t len)
{
	size_t n = len < TRACE_STRLEN ? (size_t)len : TRACE_STRLEN;

	if (!addr) {
		PUT_LIT(ob, "NULL");
		return;
	}
	put_quoted(ob, (const unsigned char *)addr, n, len > n);
	if (len > n)
		PUT_LIT(ob, "...");
}

/* A NUL-terminated string: at most max bytes, and "..." after a longer one. */
static void put_cstr(struct outbuf *ob, long addr, size_t max)
{
	const unsigned char *s = (const unsigned char *)addr;
	size_t n = 0;

	if (!addr) {
		PUT_LIT(ob, "NULL");
		return;
	}
	while (n <= max && s[n])	/* one byte past max tells "longer" */
		n++;
	put_quoted(ob, s, n > max ? max : n, n > max);
	if (n > max)
		PUT_LIT(ob, "...");
}

/* ---- value and flag names ----------------------------------------------- */

struct xlat {
	uint64_t val;
	const char *name;
};

#define XLAT_END { 0, NULL }

/* The name of v; a value the table lacks in strace's form: the hex value,
 * then the unknown text in a C comment. */
static void put_xval(struct outbuf *ob, const struct xlat *x, uint64_t v, const char *unknown)
{
	for (; x->name; x++) {
		if (x->val == v) {
			put_cs(ob, x->name);
			return;
		}
	}
	put_hex(ob, v);
	PUT_LIT(ob, " /* ");
	put_cs(ob, unknown);
	PUT_LIT(ob, " */");
}

/* The names of v's bits in table order (strace's order, not always numeric),
 * joined by '|'; bits left over in hex, commented when no name matched. */
static void put_flags(struct outbuf *ob, const struct xlat *x, uint64_t v, const char *unknown)
{
	int named = 0;

	if (v == 0) {
		PUT_LIT(ob, "0");
		return;
	}
	for (; x->name; x++) {
		if (x->val && (v & x->val) == x->val) {
			if (named++)
				PUT_LIT(ob, "|");
			put_cs(ob, x->name);
			v &= ~x->val;
		}
	}
	if (v && named) {
		PUT_LIT(ob, "|");
		put_hex(ob, v);
	} else if (v) {
		put_xval(ob, x, v, unknown);	/* x is at the end: the comment form */
	}
}

/* include/uapi/asm-generic/fcntl.h (per-arch values in syscall.h); after the
 * access mode, in strace's order */
static const struct xlat open_flags[] = {
	{ O_CREAT, "O_CREAT" }, { 0200, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" },
	{ 01000, "O_TRUNC" }, { O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
	{ 04010000, "O_SYNC" }, { 04000000, "__O_SYNC" }, { 010000, "O_DSYNC" },
	{ O_DIRECT, "O_DIRECT" }, { O_LARGEFILE, "O_LARGEFILE" }, { O_NOFOLLOW, "O_NOFOLLOW" },
	{ 01000000, "O_NOATIME" }, { O_CLOEXEC, "O_CLOEXEC" },
	{ O_PATH, "O_PATH" }, { 020000000 | O_DIRECTORY, "O_TMPFILE" }, { 020000000, "__O_TMPFILE" },
	{ O_DIRECTORY, "O_DIRECTORY" }, { 020000, "FASYNC" },
	XLAT_END
};
#define O_ACCMODE	3
#define O_TMPFILE_BIT	020000000	/* __O_TMPFILE: mode given, as with O_CREAT */

static void put_open_flags(struct outbuf *ob, uint64_t v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };

	put_cs(ob, acc[v & O_ACCMODE]);
	if (v & ~(uint64_t)O_ACCMODE) {
		PUT_LIT(ob, "|");
		put_flags(ob, open_flags, v & ~(uint64_t)O_ACCMODE, "O_???");
	}
}

/* include/uapi/linux/openat2.h */
static const struct xlat resolve_flags[] = {
	{ 0x01, "RESOLVE_NO_XDEV" }, { RESOLVE_NO_MAGICLINKS, "RESOLVE_NO_MAGICLINKS" },
	{ 0x04, "RESOLVE_NO_SYMLINKS" }, { RESOLVE_BENEATH, "RESOLVE_BENEATH" },
	{ 0x10, "RESOLVE_IN_ROOT" }, { 0x20, "RESOLVE_CACHED" },
	XLAT_END
};

/* include/uapi/linux/fcntl.h: the *at() flags */
static const struct xlat at_flags[] = {
	{ AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" },
	{ 0x400, "AT_SYMLINK_FOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" },
	XLAT_END
};

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_DUPFD_CLOEXEC	1030
static const struct xlat fcntl_cmds[] = {
	{ F_DUPFD, "F_DUPFD" }, { F_GETFD, "F_GETFD" }, { F_SETFD, "F_SETFD" },
	{ F_GETFL, "F_GETFL" }, { F_SETFL, "F_SETFL" }, { F_SETOWN, "F_SETOWN" },
	{ F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC" },
	XLAT_END
};
static const struct xlat fd_flags[] = { { 1, "FD_CLOEXEC" }, XLAT_END };

/* include/linux/socket.h, net.h, uapi/linux/in.h */
static const struct xlat families[] = {
	{ 1, "AF_UNIX" }, { AF_INET, "AF_INET" }, { AF_INET6, "AF_INET6" }, { 16, "AF_NETLINK" },
	XLAT_END
};
static const struct xlat sock_types[] = {
	{ SOCK_STREAM, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" },
	{ 5, "SOCK_SEQPACKET" },
	XLAT_END
};
static const struct xlat sock_flags[] = {		/* strace's order */
	{ SOCK_CLOEXEC, "SOCK_CLOEXEC" }, { SOCK_NONBLOCK, "SOCK_NONBLOCK" },
	XLAT_END
};
static const struct xlat inet_protos[] = {
	{ 0, "IPPROTO_IP" }, { IPPROTO_TCP, "IPPROTO_TCP" }, { 17, "IPPROTO_UDP" },
	{ IPPROTO_IPV6, "IPPROTO_IPV6" },
	XLAT_END
};
static const struct xlat sock_levels[] = {
	{ 0, "SOL_IP" }, { SOL_SOCKET, "SOL_SOCKET" }, { IPPROTO_TCP, "SOL_TCP" },
	{ 17, "SOL_UDP" }, { IPPROTO_IPV6, "SOL_IPV6" },
	XLAT_END
};
#define SO_LINGER	13
#define SO_SNDTIMEO_OLD	21
static const struct xlat so_opts[] = {
	{ SO_REUSEADDR, "SO_REUSEADDR" }, { SO_ERROR, "SO_ERROR" }, { 7, "SO_SNDBUF" }, { 8, "SO_RCVBUF" },
	{ 9, "SO_KEEPALIVE" }, { SO_LINGER, "SO_LINGER" }, { SO_REUSEPORT, "SO_REUSEPORT" },
	{ SO_RCVTIMEO, "SO_RCVTIMEO_OLD" }, { SO_SNDTIMEO_OLD, "SO_SNDTIMEO_OLD" },
	XLAT_END
};
static const struct xlat tcp_opts[] = {
	{ TCP_NODELAY, "TCP_NODELAY" }, { 3, "TCP_CORK" }, { 9, "TCP_DEFER_ACCEPT" },
	{ 23, "TCP_FASTOPEN" },
	XLAT_END
};
static const struct xlat ipv6_opts[] = { { IPV6_V6ONLY, "IPV6_V6ONLY" }, XLAT_END };
static const struct xlat msg_flags[] = {
	{ 0x1, "MSG_OOB" }, { 0x2, "MSG_PEEK" }, { 0x4, "MSG_DONTROUTE" },
	{ 0x40, "MSG_DONTWAIT" }, { 0x80, "MSG_EOR" }, { 0x100, "MSG_WAITALL" },
	{ 0x800, "MSG_CONFIRM" }, { MSG_NOSIGNAL, "MSG_NOSIGNAL" }, { MSG_MORE, "MSG_MORE" },
	{ 0x4000000, "MSG_ZEROCOPY" }, { 0x20000000, "MSG_FASTOPEN" }, { MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC" },
	XLAT_END
};
static const struct xlat shut_hows[] = {
	{ 0, "SHUT_RD" }, { SHUT_WR, "SHUT_WR" }, { 2, "SHUT_RDWR" },
	XLAT_END
};
static const struct xlat madv_advices[] = {
	{ MADV_DONTNEED, "MADV_DONTNEED" },
	XLAT_END
};

/* include/uapi/linux/eventpoll.h */
static const struct xlat epoll_events[] = {
	{ EPOLLIN, "EPOLLIN" }, { 0x002, "EPOLLPRI" }, { EPOLLOUT, "EPOLLOUT" },
	{ EPOLLERR, "EPOLLERR" }, { EPOLLHUP, "EPOLLHUP" }, { 0x020, "EPOLLNVAL" },
	{ 0x040, "EPOLLRDNORM" }, { 0x080, "EPOLLRDBAND" }, { 0x100, "EPOLLWRNORM" },
	{ 0x200, "EPOLLWRBAND" }, { 0x400, "EPOLLMSG" }, { EPOLLRDHUP, "EPOLLRDHUP" },
	{ EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE" }, { 1u << 29, "EPOLLWAKEUP" },
	{ 1u << 30, "EPOLLONESHOT" }, { 1u << 31, "EPOLLET" },
	XLAT_END
};
static const struct xlat epoll_ops[] = {
	{ EPOLL_CTL_ADD, "EPOLL_CTL_ADD" }, { EPOLL_CTL_DEL, "EPOLL_CTL_DEL" },
	{ EPOLL_CTL_MOD, "EPOLL_CTL_MOD" },
	XLAT_END
};
static const struct xlat epoll_flags[] = { { EPOLL_CLOEXEC, "EPOLL_CLOEXEC" }, XLAT_END };

/* include/uapi/asm-generic/mman-common.h, mman.h */
static const struct xlat prot_flags[] = {
	{ PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" }, { 0x4, "PROT_EXEC" },
	XLAT_END
};
static const struct xlat map_types[] = {
	{ 0x01, "MAP_SHARED" }, { MAP_PRIVATE, "MAP_PRIVATE" }, { 0x03, "MAP_SHARED_VALIDATE" },
	XLAT_END
};
static const struct xlat map_flags[] = {
	{ 0x10, "MAP_FIXED" }, { MAP_ANONYMOUS, "MAP_ANONYMOUS" }, { 0x40, "MAP_32BIT" },
	{ 0x100, "MAP_GROWSDOWN" }, { 0x2000, "MAP_LOCKED" }, { 0x4000, "MAP_NORESERVE" },
	{ 0x8000, "MAP_POPULATE" }, { 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" },
	{ 0x100000, "MAP_FIXED_NOREPLACE" },
	XLAT_END
};

/* signals: the x86/arm/generic numbers; sigaction's flags */
static const char *const sig_names[32] = {
	NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
	"SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP",
	"TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};
#define SIG_MAX		64
#define SA_RESTORER	0x04000000
static const struct xlat sa_flags[] = {			/* strace's order */
	{ SA_RESTORER, "SA_RESTORER" }, { 0x08000000, "SA_ONSTACK" }, { 0x10000000, "SA_RESTART" },
	{ 0x20000000, "SA_INTERRUPT" }, { 0x40000000, "SA_NODEFER" }, { 0x80000000, "SA_RESETHAND" },
	{ 4, "SA_SIGINFO" }, { 1, "SA_NOCLDSTOP" }, { 2, "SA_NOCLDWAIT" },
	XLAT_END
};
static const struct xlat sig_hows[] = {
	{ SIG_BLOCK, "SIG_BLOCK" }, { 1, "SIG_UNBLOCK" }, { 2, "SIG_SETMASK" },
	XLAT_END
};
static const struct xlat sfd_flags[] = {
	{ SFD_CLOEXEC, "SFD_CLOEXEC" }, { SFD_NONBLOCK, "SFD_NONBLOCK" },
	XLAT_END
};

/* clocks and timers: include/uapi/linux/time.h, timerfd.h */
static const struct xlat clocks[] = {
	{ CLOCK_REALTIME, "CLOCK_REALTIME" }, { CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
	{ 2, "CLOCK_PROCESS_CPUTIME_ID" }, { 3, "CLOCK_THREAD_CPUTIME_ID" },
	{ 4, "CLOCK_MONOTONIC_RAW" }, { 5, "CLOCK_REALTIME_COARSE" },
	{ 6, "CLOCK_MONOTONIC_COARSE" }, { 7, "CLOCK_BOOTTIME" },
	XLAT_END
};
static const struct xlat tfd_flags[] = {
	{ TFD_CLOEXEC, "TFD_CLOEXEC" }, { TFD_NONBLOCK, "TFD_NONBLOCK" },
	XLAT_END
};
static const struct xlat tfd_settime_flags[] = {
	{ 1, "TFD_TIMER_ABSTIME" }, { 2, "TFD_TIMER_CANCEL_ON_SET" },
	XLAT_END
};

/* processes: include/uapi/linux/sched.h, wait.h, prctl.h, resource.h,
 * seccomp.h, memfd.h */
static const struct xlat clone_flags[] = {	/* the low byte is the exit signal */
	{ 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" },
	{ 0x800, "CLONE_SIGHAND" }, { 0x1000, "CLONE_PIDFD" }, { 0x2000, "CLONE_PTRACE" },
	{ 0x4000, "CLONE_VFORK" }, { 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" },
	{ 0x20000, "CLONE_NEWNS" }, { 0x40000, "CLONE_SYSVSEM" }, { 0x80000, "CLONE_SETTLS" },
	{ 0x100000, "CLONE_PARENT_SETTID" }, { 0x200000, "CLONE_CHILD_CLEARTID" },
	{ 0x1000000, "CLONE_CHILD_SETTID" },
	XLAT_END
};
static const struct xlat wait_opts[] = {
	{ WNOHANG, "WNOHANG" }, { 2, "WSTOPPED" }, { 4, "WEXITED" }, { 8, "WCONTINUED" },
	{ 0x01000000, "WNOWAIT" }, { 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" },
	{ 0x80000000, "__WCLONE" },
	XLAT_END
};
static const struct xlat prctl_opts[] = {		/* the options decoded below */
	{ PR_SET_PDEATHSIG, "PR_SET_PDEATHSIG" }, { PR_SET_NO_NEW_PRIVS, "PR_SET_NO_NEW_PRIVS" },
	XLAT_END
};
static const struct xlat rlimits[] = {
	{ 0, "RLIMIT_CPU" }, { 1, "RLIMIT_FSIZE" }, { 2, "RLIMIT_DATA" }, { 3, "RLIMIT_STACK" },
	{ 4, "RLIMIT_CORE" }, { 5, "RLIMIT_RSS" }, { 6, "RLIMIT_NPROC" },
	{ RLIMIT_NOFILE, "RLIMIT_NOFILE" }, { 8, "RLIMIT_MEMLOCK" }, { 9, "RLIMIT_AS" },
	{ 10, "RLIMIT_LOCKS" }, { 11, "RLIMIT_SIGPENDING" }, { 12, "RLIMIT_MSGQUEUE" },
	{ 13, "RLIMIT_NICE" }, { 14, "RLIMIT_RTPRIO" }, { 15, "RLIMIT_RTTIME" },
	XLAT_END
};
static const struct xlat seccomp_ops[] = {
	{ 0, "SECCOMP_SET_MODE_STRICT" }, { SECCOMP_SET_MODE_FILTER, "SECCOMP_SET_MODE_FILTER" },
	{ 2, "SECCOMP_GET_ACTION_AVAIL" }, { 3, "SECCOMP_GET_NOTIF_SIZES" },
	XLAT_END
};
static const struct xlat seccomp_flags[] = {
	{ 1, "SECCOMP_FILTER_FLAG_TSYNC" }, { 2, "SECCOMP_FILTER_FLAG_LOG" },
	{ 4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW" }, { 8, "SECCOMP_FILTER_FLAG_NEW_LISTENER" },
	{ 16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH" }, { 32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" },
	XLAT_END
};
static const struct xlat inotify_flags[] = {
	{ IN_NONBLOCK, "IN_NONBLOCK" }, { IN_CLOEXEC, "IN_CLOEXEC" },
	XLAT_END
};
static const struct xlat inotify_mask[] = {	/* include/uapi/linux/inotify.h */
	{ 0x1, "IN_ACCESS" }, { IN_MODIFY, "IN_MODIFY" }, { IN_ATTRIB, "IN_ATTRIB" },
	{ 0x8, "IN_CLOSE_WRITE" }, { 0x10, "IN_CLOSE_NOWRITE" }, { 0x20, "IN_OPEN" },
	{ IN_MOVED_FROM, "IN_MOVED_FROM" }, { IN_MOVED_TO, "IN_MOVED_TO" }, { 0x100, "IN_CREATE" },
	{ IN_DELETE, "IN_DELETE" }, { IN_DELETE_SELF, "IN_DELETE_SELF" },
	{ IN_MOVE_SELF, "IN_MOVE_SELF" }, { IN_ONLYDIR, "IN_ONLYDIR" },
	{ IN_DONT_FOLLOW, "IN_DONT_FOLLOW" }, { 0x04000000, "IN_EXCL_UNLINK" },
	{ 0x10000000, "IN_MASK_CREATE" }, { 0x20000000, "IN_MASK_ADD" },
	{ 0x80000000, "IN_ONESHOT" },
	XLAT_END
};
static const struct xlat mfd_flags[] = {
	{ MFD_CLOEXEC, "MFD_CLOEXEC" }, { 2, "MFD_ALLOW_SEALING" }, { 4, "MFD_HUGETLB" },
	{ 8, "MFD_NOEXEC_SEAL" }, { 16, "MFD_EXEC" },
	XLAT_END
};

/* include/uapi/linux/stat.h: the file type, then the special bits */
static const struct xlat file_types[] = {
	{ S_IFREG, "S_IFREG" }, { S_IFDIR, "S_IFDIR" }, { 0020000, "S_IFCHR" },
	{ 0060000, "S_IFBLK" }, { 0010000, "S_IFIFO" }, { 0120000, "S_IFLNK" },
	{ 0140000, "S_IFSOCK" },
	XLAT_END
};
static const struct xlat mode_bits[] = {
	{ 04000, "S_ISUID" }, { 02000, "S_ISGID" }, { 01000, "S_ISVTX" },
	XLAT_END
};

/* include/uapi/asm-generic/errno-base.h, errno.h; the text is strerror(3)'s */
static const struct {
	int err;
	const char *name, *text;
} errnos[] = {
	{ 1, "EPERM", "Operation not permitted" },
	{ 2, "ENOENT", "No such file or directory" },
	{ 3, "ESRCH", "No such process" },
	{ 4, "EINTR", "Interrupted system call" },
	{ 5, "EIO", "Input/output error" },
	{ 6, "ENXIO", "No such device or address" },
	{ 7, "E2BIG", "Argument list too long" },
	{ 9, "EBADF", "Bad file descriptor" },
	{ 10, "ECHILD", "No child processes" },
	{ 11, "EAGAIN", "Resource temporarily unavailable" },
	{ 12, "ENOMEM", "Cannot allocate memory" },
	{ 13, "EACCES", "Permission denied" },
	{ 14, "EFAULT", "Bad address" },
	{ 16, "EBUSY", "Device or resource busy" },
	{ 17, "EEXIST", "File exists" },
	{ 18, "EXDEV", "Invalid cross-device link" },
	{ 19, "ENODEV", "No such device" },
	{ 20, "ENOTDIR", "Not a directory" },
	{ 21, "EISDIR", "Is a directory" },
	{ 22, "EINVAL", "Invalid argument" },
	{ 23, "ENFILE", "Too many open files in system" },
	{ 24, "EMFILE", "Too many open files" },
	{ 25, "ENOTTY", "Inappropriate ioctl for device" },
	{ 26, "ETXTBSY", "Text file busy" },
	{ 27, "EFBIG", "File too large" },
	{ 28, "ENOSPC", "No space left on device" },
	{ 29, "ESPIPE", "Illegal seek" },
	{ 30, "EROFS", "Read-only file system" },
	{ 31, "EMLINK", "Too many links" },
	{ 32, "EPIPE", "Broken pipe" },
	{ 34, "ERANGE", "Numerical result out of range" },
	{ 36, "ENAMETOOLONG", "File name too long" },
	{ 38, "ENOSYS", "Function not implemented" },
	{ 39, "ENOTEMPTY", "Directory not empty" },
	{ 40, "ELOOP", "Too many levels of symbolic links" },
	{ 75, "EOVERFLOW", "Value too large for defined data type" },
	{ 88, "ENOTSOCK", "Socket operation on non-socket" },
	{ 90, "EMSGSIZE", "Message too long" },
	{ 92, "ENOPROTOOPT", "Protocol not available" },
	{ 93, "EPROTONOSUPPORT", "Protocol not supported" },
	{ 95, "EOPNOTSUPP", "Operation not supported" },
	{ 97, "EAFNOSUPPORT", "Address family not supported by protocol" },
	{ 98, "EADDRINUSE", "Address already in use" },
	{ 99, "EADDRNOTAVAIL", "Cannot assign requested address" },
	{ 100, "ENETDOWN", "Network is down" },
	{ 101, "ENETUNREACH", "Network is unreachable" },
	{ 103, "ECONNABORTED", "Software caused connection abort" },
	{ 104, "ECONNRESET", "Connection reset by peer" },
	{ 105, "ENOBUFS", "No buffer space available" },
	{ 106, "EISCONN", "Transport endpoint is already connected" },
	{ 107, "ENOTCONN", "Transport endpoint is not connected" },
	{ 110, "ETIMEDOUT", "Connection timed out" },
	{ 111, "ECONNREFUSED", "Connection refused" },
	{ 113, "EHOSTUNREACH", "No route to host" },
	{ 114, "EALREADY", "Operation already in progress" },
	{ 115, "EINPROGRESS", "Operation now in progress" },
	{ 122, "EDQUOT", "Disk quota exceeded" },
	{ 125, "ECANCELED", "Operation canceled" },
};

/* ---- signals --------------------------------------------------------------- */

/* SIGTERM, SIGRTMIN, SIGRT_2 (sig 34), or the number; in a set without "SIG". */
static void put_signame(struct outbuf *ob, long sig, int in_set)
{
	if (sig < 1 || sig > SIG_MAX) {
		put_dec(ob, sig);
		return;
	}
	if (!in_set)
		PUT_LIT(ob, "SIG");
	if (sig < 32) {
		put_cs(ob, sig_names[sig]);
	} else if (sig == 32) {
		PUT_LIT(ob, "RTMIN");
	} else {
		PUT_LIT(ob, "RT_");
		put_udec(ob, (uint64_t)(sig - 32));
	}
}

/* A 64-signal set: [INT TERM], or ~[KILL] when 2/3 or more are set (strace's rule). */
static void put_sigset(struct outbuf *ob, uint64_t set)
{
	unsigned bits = 0;
	const char *sep = "[";

	for (uint64_t s = set; s; s &= s - 1)	/* no __builtin_popcount: it may call libgcc */
		bits++;
	if (bits >= SIG_MAX * 2 / 3) {
		PUT_LIT(ob, "~");
		set = ~set;
	}
	for (int sig = 1; sig <= SIG_MAX; sig++) {
		if (set & SIG_BIT(sig)) {
			put_cs(ob, sep);
			put_signame(ob, sig, 1);
			sep = " ";
		}
	}
	if (*sep == '[')
		PUT_LIT(ob, "[");
	PUT_LIT(ob, "]");
}

/* ---- struct arguments ----------------------------------------------------- */

static void put_ipv4(struct outbuf *ob, const uint8_t *b)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			PUT_LIT(ob, ".");
		put_udec(ob, b[i]);
	}
}

/* inet_ntop's text: RFC 5952, but with the IPv4 tail of ::ffff:a.b.c.d and
 * ::a.b.c.d in dotted form, as glibc writes them. */
static void put_ipv6(struct outbuf *ob, const uint8_t *a)
{
	static const uint8_t zero[12];
	char text[IPV6_TEXT_MAX];

	if (memcmp(a, zero, 10) == 0 && a[10] == 0xff && a[11] == 0xff) {
		PUT_LIT(ob, "::ffff:");
		put_ipv4(ob, a + 12);
	} else if (memcmp(a, zero, 12) == 0 && (a[12] | a[13]) != 0) {
		PUT_LIT(ob, "::");
		put_ipv4(ob, a + 12);
	} else {
		put(ob, text, fmt_ipv6(text, a));
	}
}

static unsigned port_of(const uint16_t *port_be)
{
	const uint8_t *b = (const uint8_t *)port_be;

	return (unsigned)b[0] << 8 | b[1];
}

/* {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}
 * and the AF_INET6 form; other families (or a short length) as the address. */
static void put_sockaddr(struct outbuf *ob, long addr, uint64_t len)
{
	uint16_t family = 0;

	if (addr && len >= sizeof(family))
		memcpy(&family, (const void *)addr, sizeof(family));
	if (family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin;

		memcpy(&sin, (const void *)addr, sizeof(sin));
		PUT_LIT(ob, "{sa_family=AF_INET, sin_port=htons(");
		put_udec(ob, port_of(&sin.sin_port));
		PUT_LIT(ob, "), sin_addr=inet_addr(\"");
		put_ipv4(ob, (const uint8_t *)&sin.sin_addr);
		PUT_LIT(ob, "\")}");
	} else if (family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;
		const uint8_t *fl = (const uint8_t *)&sin6.sin6_flowinfo;

		memcpy(&sin6, (const void *)addr, sizeof(sin6));
		PUT_LIT(ob, "{sa_family=AF_INET6, sin6_port=htons(");
		put_udec(ob, port_of(&sin6.sin6_port));
		PUT_LIT(ob, "), sin6_flowinfo=htonl(");
		put_udec(ob, (uint32_t)fl[0] << 24 | (uint32_t)fl[1] << 16 | (uint32_t)fl[2] << 8 | fl[3]);
		PUT_LIT(ob, "), inet_pton(AF_INET6, \"");
		put_ipv6(ob, sin6.sin6_addr);
		PUT_LIT(ob, "\", &sin6_addr), sin6_scope_id=");
		put_udec(ob, sin6.sin6_scope_id);
		PUT_LIT(ob, "}");
	} else {
		put_ptr(ob, addr);
	}
}

static void put_epoll_event(struct outbuf *ob, const struct epoll_event *ev)
{
	uint64_t data = ev->data;
	uint32_t u32;

	memcpy(&u32, &data, sizeof(u32));	/* the union's first 4 bytes, on any endianness */
	PUT_LIT(ob, "{events=");
	put_flags(ob, epoll_events, ev->events, "EPOLL???");
	PUT_LIT(ob, ", data={u32=");
	put_udec(ob, u32);
	PUT_LIT(ob, ", u64=");
	put_udec(ob, data);
	PUT_LIT(ob, "}}");
}

/* {st_mode=S_IFREG|0644, st_size=340, ...}; devices show st_rdev instead */
static void put_stat(struct outbuf *ob, const struct stat_k *st)
{
	unsigned type = st->st_mode & S_IFMT;

	PUT_LIT(ob, "{st_mode=");
	for (const struct xlat *x = file_types; x->name; x++) {
		if (x->val == type) {
			put_cs(ob, x->name);
			PUT_LIT(ob, "|");
		}
	}
	for (const struct xlat *x = mode_bits; x->name; x++) {
		if (st->st_mode & x->val) {
			put_cs(ob, x->name);
			PUT_LIT(ob, "|");
		}
	}
	put_mode(ob, st->st_mode & 0777);
	if (type == 0020000 || type == 0060000) {
		uint64_t d = st->st_rdev;

		PUT_LIT(ob, ", st_rdev=makedev(");	/* glibc's major()/minor() split */
		put_hex(ob, ((d >> 8) & 0xfff) | ((d >> 32) & ~0xfffULL));
		PUT_LIT(ob, ", ");
		put_hex(ob, (d & 0xff) | ((d >> 12) & ~0xffULL));
		PUT_LIT(ob, ")");
	} else {
		PUT_LIT(ob, ", st_size=");
		put_dec(ob, st->st_size);
	}
	PUT_LIT(ob, ", ...}");
}

static void put_timespec(struct outbuf *ob, const struct timespec_k *ts)
{
	PUT_LIT(ob, "{tv_sec=");
	put_dec(ob, ts->tv_sec);
	PUT_LIT(ob, ", tv_nsec=");
	put_dec(ob, ts->tv_nsec);
	PUT_LIT(ob, "}");
}

static void put_itimerspec(struct outbuf *ob, const struct itimerspec_k *it)
{
	PUT_LIT(ob, "{it_interval=");
	put_timespec(ob, &it->it_interval);
	PUT_LIT(ob, ", it_value=");
	put_timespec(ob, &it->it_value);
	PUT_LIT(ob, "}");
}

/* RLIM64_INFINITY, 1024*1024 for multiples of 1024 above it, or the number */
static void put_rlim(struct outbuf *ob, uint64_t v)
{
	if (v == UINT64_MAX) {
		PUT_LIT(ob, "RLIM64_INFINITY");
	} else if (v > 1024 && v % 1024 == 0) {
		put_udec(ob, v / 1024);
		PUT_LIT(ob, "*1024");
	} else {
		put_udec(ob, v);
	}
}

static void put_rlimit(struct outbuf *ob, const struct rlimit64 *rl)
{
	PUT_LIT(ob, "{rlim_cur=");
	put_rlim(ob, rl->rlim_cur);
	PUT_LIT(ob, ", rlim_max=");
	put_rlim(ob, rl->rlim_max);
	PUT_LIT(ob, "}");
}

static void put_sigaction(struct outbuf *ob, const struct kernel_sigaction *sa)
{
	PUT_LIT(ob, "{sa_handler=");
	if (sa->handler == (void *)0)
		PUT_LIT(ob, "SIG_DFL");
	else if (sa->handler == SIG_IGN)
		PUT_LIT(ob, "SIG_IGN");
	else
		put_hex(ob, (uintptr_t)sa->handler);
	PUT_LIT(ob, ", sa_mask=");
	put_sigset(ob, sa->mask);
	PUT_LIT(ob, ", sa_flags=");
	put_flags(ob, sa_flags, sa->flags, "SA_???");
	if (sa->flags & SA_RESTORER) {
		PUT_LIT(ob, ", sa_restorer=");
		put_ptr(ob, (long)sa->restorer);
	}
	PUT_LIT(ob, "}");
}

/* {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_BENEATH}; mode only when it matters */
static void put_open_how(struct outbuf *ob, const struct open_how *how)
{
	PUT_LIT(ob, "{flags=");
	put_open_flags(ob, how->flags);
	if (how->flags & (O_CREAT | O_TMPFILE_BIT) || how->mode) {
		PUT_LIT(ob, ", mode=");
		put_mode(ob, (unsigned)how->mode);
	}
	PUT_LIT(ob, ", resolve=");
	put_flags(ob, resolve_flags, how->resolve, "RESOLVE_???");
	PUT_LIT(ob, "}");
}

/* [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] and the other wait(2) outcomes */
static void put_wstatus(struct outbuf *ob, int s)
{
	if ((s & 0x7f) == 0) {
		PUT_LIT(ob, "[{WIFEXITED(s) && WEXITSTATUS(s) == ");
		put_udec(ob, (unsigned)(s >> 8) & 0xff);
	} else if ((s & 0xff) == 0x7f) {
		PUT_LIT(ob, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
		put_signame(ob, (s >> 8) & 0xff, 0);
	} else if (s == 0xffff) {
		PUT_LIT(ob, "[{WIFCONTINUED(s)");
	} else {
		PUT_LIT(ob, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
		put_signame(ob, s & 0x7f, 0);
		if (s & 0x80)
			PUT_LIT(ob, " && WCOREDUMP(s)");
	}
	PUT_LIT(ob, "}]");
}

/* ---- the call table ---------------------------------------------------------- */

/* How to print one argument. Kinds marked "<- aN" also read argument N
 * (counting from 0); "ret" ones use the result and print only an address
 * when the call failed. A "+" kind prints the argument(s) after it too. */
enum arg_kind {
	A_END,			/* no more arguments */
	A_INT,			/* int, signed decimal (fds, pids, counts) */
	A_UINT,			/* unsigned int */
	A_ID,			/* uid/gid: -1, or unsigned */
	A_ULONG,		/* size_t, unsigned decimal */
	A_HEX,			/* 0x1000, or 0 */
	A_PTR,			/* 0x7ffd..., or NULL */
	A_DIRFD,		/* AT_FDCWD, or the fd */
	A_PATH,			/* whole NUL-terminated string */
	A_STR,			/* NUL-terminated string, TRACE_STRLEN bytes at most */
	A_BUF_IN,		/* bytes the call reads <- next argument's count */
	A_BUF_RET,		/* bytes the call wrote: ret of them */
	A_IOV,			/* struct iovec array <- next argument's count */
	A_OPEN_FLAGS,		/* O_RDONLY|O_CLOEXEC, + the mode with O_CREAT */
	A_OPEN_HOW,		/* struct open_how */
	A_AT_FLAGS,
	A_STAT_RET,		/* struct stat */
	A_DIRENTS_RET,		/* 0x... followed by a count of the records */
	A_FCNTL,		/* F_SETFL, + the argument in F_SETFL's terms */
	A_FAMILY,
	A_SOCK_TYPE,		/* SOCK_STREAM|SOCK_CLOEXEC */
	A_PROTO,		/* <- a0, the family */
	A_SOCK_FLAGS,
	A_MSG_FLAGS,
	A_SOCKADDR_IN,		/* <- next argument's length */
	A_SOCKADDR_RET,		/* <- next argument, the length it points to */
	A_SOCKLEN_RET,		/* [16] */
	A_SOCK_LEVEL,
	A_SOCK_OPT,		/* <- a1, the level */
	A_SOCKOPT_VAL,		/* [1], <- next argument's length */
	A_SHUT,
	A_MADV,
	A_EPOLL_FLAGS,
	A_EPOLL_OP,
	A_EPOLL_EVENT,		/* <- a1, the op: DEL shows the address */
	A_EPOLL_EVENTS_RET,
	A_OFFSET_INOUT,		/* [0] => [4096] */
	A_PROT,
	A_MAP_FLAGS,
	A_SIG,
	A_SIGHOW,
	A_SIGSET,		/* a uint64_t set */
	A_SIGSET_RET,
	A_SIGACTION,
	A_SIGACTION_RET,
	A_SFD_FLAGS,
	A_CLOCK,
	A_TIMESPEC_RET,
	A_TFD_FLAGS,
	A_TFD_SETTIME_FLAGS,
	A_ITIMERSPEC,
	A_ITIMERSPEC_RET,
	A_WSTATUS_RET,
	A_WAIT_OPTS,
	A_CLONE,		/* child_stack=, flags= (a1, a0); not the tid/tls ones */
	A_PRCTL,		/* PR_SET_PDEATHSIG, + its arguments */
	A_RLIMIT_RES,
	A_RLIMIT,
	A_RLIMIT_RET,
	A_CPUSET_RET,		/* [0 1] */
	A_FDPAIR_RET,		/* [3, 4] (socketpair) */
	A_POLLFDS,		/* [{fd=3, events=POLLIN}], <- next argument's count */
	A_GIDS,			/* <- a0, the count */
	A_SECCOMP_OP,
	A_SECCOMP_FLAGS,	/* <- a0: raw hex under an unknown op */
	A_SECCOMP_ARGS,		/* <- a0, the op */
	A_MFD_FLAGS,
	A_INOTIFY_FLAGS,
	A_INOTIFY_MASK,
};

/* How to print the result. */
enum ret_kind {
	R_DEC,			/* signed decimal, or -1 EXXX (text) */
	R_HEX,			/* an address (mmap) */
	R_NONE,			/* "?": the call does not return (exit_group) */
	R_FCNTL,		/* F_GETFL's flags */
	R_FORK,			/* the child's 0 is not shown: strace shows the call once */
};

struct call {
	long nr;
	const char *name;
	uint8_t ret;
	uint8_t arg[6];
};

/* Every call syscall.h numbers; the calls one table lacks (x86_64: clone,
 * epoll_pwait; the generic one: fork, epoll_wait) are in #ifdef. */
static const struct call calls[] = {
	{ __NR_accept4, "accept4", R_DEC, { A_INT, A_SOCKADDR_RET, A_SOCKLEN_RET, A_SOCK_FLAGS } },
	{ __NR_bind, "bind", R_DEC, { A_INT, A_SOCKADDR_IN, A_UINT } },
	{ __NR_chdir, "chdir", R_DEC, { A_PATH } },
	{ __NR_chroot, "chroot", R_DEC, { A_PATH } },
	{ __NR_clock_gettime, "clock_gettime", R_DEC, { A_CLOCK, A_TIMESPEC_RET } },
#ifdef __NR_clone
	{ __NR_clone, "clone", R_FORK, { A_CLONE } },
#endif
	{ __NR_close, "close", R_DEC, { A_INT } },
	{ __NR_epoll_create1, "epoll_create1", R_DEC, { A_EPOLL_FLAGS } },
	{ __NR_epoll_ctl, "epoll_ctl", R_DEC, { A_INT, A_EPOLL_OP, A_INT, A_EPOLL_EVENT } },
#ifdef __NR_epoll_pwait
	{ __NR_epoll_pwait, "epoll_pwait", R_DEC,
	  { A_INT, A_EPOLL_EVENTS_RET, A_INT, A_INT, A_SIGSET, A_ULONG } },
#endif
#ifdef __NR_epoll_wait
	{ __NR_epoll_wait, "epoll_wait", R_DEC, { A_INT, A_EPOLL_EVENTS_RET, A_INT, A_INT } },
#endif
	{ __NR_exit_group, "exit_group", R_NONE, { A_INT } },
	{ __NR_fchdir, "fchdir", R_DEC, { A_INT } },
	{ __NR_fcntl, "fcntl", R_FCNTL, { A_INT, A_FCNTL } },
#ifdef __NR_fork
	{ __NR_fork, "fork", R_FORK, { A_END } },
#endif
	{ __NR_fstat, "fstat", R_DEC, { A_INT, A_STAT_RET } },
	{ __NR_getdents64, "getdents64", R_DEC, { A_INT, A_DIRENTS_RET, A_ULONG } },
	{ __NR_getpid, "getpid", R_DEC, { A_END } },
	{ __NR_getppid, "getppid", R_DEC, { A_END } },
	{ __NR_getsockname, "getsockname", R_DEC, { A_INT, A_SOCKADDR_RET, A_SOCKLEN_RET } },
	{ __NR_getuid, "getuid", R_DEC, { A_END } },
	{ __NR_inotify_add_watch, "inotify_add_watch", R_DEC, { A_INT, A_PATH, A_INOTIFY_MASK } },
	{ __NR_inotify_rm_watch, "inotify_rm_watch", R_DEC, { A_INT, A_INT } },
	{ __NR_inotify_init1, "inotify_init1", R_DEC, { A_INOTIFY_FLAGS } },
	{ __NR_kill, "kill", R_DEC, { A_INT, A_SIG } },
	{ __NR_listen, "listen", R_DEC, { A_INT, A_INT } },
	{ __NR_madvise, "madvise", R_DEC, { A_PTR, A_ULONG, A_MADV } },
	{ __NR_memfd_create, "memfd_create", R_DEC, { A_STR, A_MFD_FLAGS } },
	{ __NR_mmap, "mmap", R_HEX, { A_PTR, A_ULONG, A_PROT, A_MAP_FLAGS, A_INT, A_HEX } },
	{ __NR_munmap, "munmap", R_DEC, { A_PTR, A_ULONG } },
	{ __NR_newfstatat, "newfstatat", R_DEC, { A_DIRFD, A_PATH, A_STAT_RET, A_AT_FLAGS } },
	{ __NR_openat, "openat", R_DEC, { A_DIRFD, A_PATH, A_OPEN_FLAGS } },
	{ __NR_openat2, "openat2", R_DEC, { A_DIRFD, A_PATH, A_OPEN_HOW, A_ULONG } },
	{ __NR_prctl, "prctl", R_DEC, { A_PRCTL } },
	{ __NR_prlimit64, "prlimit64", R_DEC, { A_INT, A_RLIMIT_RES, A_RLIMIT, A_RLIMIT_RET } },
	{ __NR_read, "read", R_DEC, { A_INT, A_BUF_RET, A_ULONG } },
	{ __NR_rt_sigaction, "rt_sigaction", R_DEC, { A_SIG, A_SIGACTION, A_SIGACTION_RET, A_ULONG } },
	{ __NR_rt_sigprocmask, "rt_sigprocmask", R_DEC, { A_SIGHOW, A_SIGSET, A_SIGSET_RET, A_ULONG } },
	{ __NR_sched_getaffinity, "sched_getaffinity", R_DEC, { A_INT, A_ULONG, A_CPUSET_RET } },
	{ __NR_getrandom, "getrandom", R_DEC, { A_BUF_RET, A_ULONG, A_UINT } },
	{ __NR_pread64, "pread64", R_DEC, { A_INT, A_BUF_RET, A_ULONG, A_ULONG } },
	{ __NR_socketpair, "socketpair", R_DEC, { A_FAMILY, A_SOCK_TYPE, A_INT, A_FDPAIR_RET } },
	{ __NR_sendmsg, "sendmsg", R_DEC, { A_INT, A_PTR, A_MSG_FLAGS } },
	{ __NR_recvmsg, "recvmsg", R_DEC, { A_INT, A_PTR, A_MSG_FLAGS } },
	{ __NR_ppoll, "ppoll", R_DEC, { A_POLLFDS, A_UINT, A_PTR, A_PTR, A_ULONG } },
	{ __NR_connect, "connect", R_DEC, { A_INT, A_SOCKADDR_IN, A_UINT } },
	{ __NR_getsockopt, "getsockopt", R_DEC, { A_INT, A_SOCK_LEVEL, A_SOCK_OPT, A_PTR, A_PTR } },
	{ __NR_recvfrom, "recvfrom", R_DEC, { A_INT, A_BUF_RET, A_ULONG, A_MSG_FLAGS, A_PTR, A_PTR } },
	{ __NR_seccomp, "seccomp", R_DEC, { A_SECCOMP_OP, A_SECCOMP_FLAGS, A_SECCOMP_ARGS } },
	{ __NR_sendfile, "sendfile", R_DEC, { A_INT, A_INT, A_OFFSET_INOUT, A_ULONG } },
	{ __NR_sendto, "sendto", R_DEC,
	  { A_INT, A_BUF_IN, A_ULONG, A_MSG_FLAGS, A_SOCKADDR_IN, A_UINT } },
	{ __NR_setgid, "setgid", R_DEC, { A_ID } },
	{ __NR_setgroups, "setgroups", R_DEC, { A_INT, A_GIDS } },
	{ __NR_setsockopt, "setsockopt", R_DEC,
	  { A_INT, A_SOCK_LEVEL, A_SOCK_OPT, A_SOCKOPT_VAL, A_UINT } },
	{ __NR_setuid, "setuid", R_DEC, { A_ID } },
	{ __NR_shutdown, "shutdown", R_DEC, { A_INT, A_SHUT } },
	{ __NR_signalfd4, "signalfd4", R_DEC, { A_INT, A_SIGSET, A_ULONG, A_SFD_FLAGS } },
	{ __NR_socket, "socket", R_DEC, { A_FAMILY, A_SOCK_TYPE, A_PROTO } },
	{ __NR_timerfd_create, "timerfd_create", R_DEC, { A_CLOCK, A_TFD_FLAGS } },
	{ __NR_timerfd_settime, "timerfd_settime", R_DEC,
	  { A_INT, A_TFD_SETTIME_FLAGS, A_ITIMERSPEC, A_ITIMERSPEC_RET } },
	{ __NR_wait4, "wait4", R_DEC, { A_INT, A_WSTATUS_RET, A_WAIT_OPTS, A_PTR } },
	{ __NR_write, "write", R_DEC, { A_INT, A_BUF_IN, A_ULONG } },
	{ __NR_writev, "writev", R_DEC, { A_INT, A_IOV, A_INT } },
};

/* ---- one line ------------------------------------------------------------------ */

struct tr {
	struct outbuf ob;
	const long *a;		/* the six argument slots */
	long ret;
	int failed;		/* ret is -errno */
	int fault;		/* EFAULT: the call's memory may not be read */
};

static void put_iov(struct tr *t, long addr, long count)
{
	const struct iovec *iov = (const struct iovec *)addr;

	PUT_LIT(&t->ob, "[");
	for (long i = 0; i < count; i++) {
		if (i)
			PUT_LIT(&t->ob, ", ");
		if (i == TRACE_ARRAY_MAX) {
			PUT_LIT(&t->ob, "...");
			break;
		}
		PUT_LIT(&t->ob, "{iov_base=");
		put_buf(&t->ob, (long)iov[i].iov_base, iov[i].iov_len);
		PUT_LIT(&t->ob, ", iov_len=");
		put_udec(&t->ob, iov[i].iov_len);
		PUT_LIT(&t->ob, "}");
	}
	PUT_LIT(&t->ob, "]");
}

static void put_epoll_events(struct tr *t, long addr)
{
	const struct epoll_event *ev = (const struct epoll_event *)addr;

	PUT_LIT(&t->ob, "[");
	for (long i = 0; i < t->ret; i++) {
		if (i)
			PUT_LIT(&t->ob, ", ");
		if (i == TRACE_ARRAY_MAX) {
			PUT_LIT(&t->ob, "...");
			break;
		}
		put_epoll_event(&t->ob, &ev[i]);
	}
	PUT_LIT(&t->ob, "]");
}

static void put_dirents(struct tr *t, long addr)
{
	const uint8_t *p = (const uint8_t *)addr;
	unsigned long entries = 0;

	for (long off = 0; off < t->ret; entries++) {
		const struct linux_dirent64 *d = (const struct linux_dirent64 *)(p + off);

		if (d->d_reclen == 0)
			break;
		off += d->d_reclen;
	}
	put_hex(&t->ob, (unsigned long)addr);
	PUT_LIT(&t->ob, " /* ");
	put_udec(&t->ob, entries);
	PUT_LIT(&t->ob, " entries */");	/* strace's plural, even for one */
}

/* The CPUs set in the ret bytes of the mask the kernel filled: [0 1] */
/* socketpair's two descriptors: [3, 4] */
static void put_fdpair(struct tr *t, long addr)
{
	const int *fd = (const int *)addr;

	if (t->failed || !addr) {
		put_ptr(&t->ob, addr);
		return;
	}
	PUT_LIT(&t->ob, "[");
	put_dec(&t->ob, fd[0]);
	PUT_LIT(&t->ob, ", ");
	put_dec(&t->ob, fd[1]);
	PUT_LIT(&t->ob, "]");
}

/* ppoll's array as passed in (strace also shows the revents after the
 * result; this trace does not) */
static void put_pollfds(struct tr *t, long addr, long count)
{
	const struct pollfd *p = (const struct pollfd *)addr;

	PUT_LIT(&t->ob, "[");
	for (long i = 0; i < count; i++) {
		if (i)
			PUT_LIT(&t->ob, ", ");
		if (i == TRACE_ARRAY_MAX) {
			PUT_LIT(&t->ob, "...");
			break;
		}
		PUT_LIT(&t->ob, "{fd=");
		put_dec(&t->ob, p[i].fd);
		if (p[i].events == POLLIN)
			PUT_LIT(&t->ob, ", events=POLLIN}");
		else if (p[i].events == POLLOUT)
			PUT_LIT(&t->ob, ", events=POLLOUT}");
		else
			PUT_LIT(&t->ob, ", events=...}");
	}
	PUT_LIT(&t->ob, "]");
}

static void put_cpuset(struct tr *t, long addr)
{
	const unsigned long *w = (const unsigned long *)addr;
	const unsigned bits = 8 * sizeof(*w);
	const char *sep = "[";

	for (unsigned long cpu = 0; cpu < 8 * (unsigned long)t->ret; cpu++) {
		if (w[cpu / bits] >> (cpu % bits) & 1) {
			put_cs(&t->ob, sep);
			put_udec(&t->ob, cpu);
			sep = " ";
		}
	}
	if (*sep == '[')
		PUT_LIT(&t->ob, "[");
	PUT_LIT(&t->ob, "]");
}

static void put_gids(struct tr *t, long addr, long count)
{
	const uint32_t *g = (const uint32_t *)addr;

	PUT_LIT(&t->ob, "[");
	for (long i = 0; i < count; i++) {
		if (i)
			PUT_LIT(&t->ob, ", ");
		if (i == TRACE_ARRAY_MAX) {
			PUT_LIT(&t->ob, "...");
			break;
		}
		put_udec(&t->ob, g[i]);
	}
	PUT_LIT(&t->ob, "]");
}

static void put_sockopt(struct tr *t, long level, long name)
{
	const struct xlat *x = level == SOL_SOCKET ? so_opts : level == IPPROTO_TCP ? tcp_opts :
			       level == IPPROTO_IPV6 ? ipv6_opts : NULL;

	if (x)
		put_xval(&t->ob, x, (unsigned)name, level == SOL_SOCKET ? "SO_???" :
			 level == IPPROTO_TCP ? "TCP_???" : "IPV6_???");
	else
		put_dec(&t->ob, (int)name);
}

/* An option's value: [1] for the int options, the bytes for a struct one. */
static void put_sockopt_val(struct tr *t, long addr, long len)
{
	int is_struct = t->a[1] == SOL_SOCKET && (t->a[2] == SO_RCVTIMEO ||
						  t->a[2] == SO_SNDTIMEO_OLD || t->a[2] == SO_LINGER);
	int v;

	if (is_struct) {
		put_buf(&t->ob, addr, (uint32_t)len);
	} else if ((uint32_t)len >= sizeof(v) && addr) {
		memcpy(&v, (const void *)addr, sizeof(v));
		PUT_LIT(&t->ob, "[");
		put_dec(&t->ob, v);
		PUT_LIT(&t->ob, "]");
	} else {
		put_ptr(&t->ob, addr);
	}
}

static void put_fcntl(struct tr *t)
{
	int cmd = (int)t->a[1];

	put_xval(&t->ob, fcntl_cmds, (unsigned)cmd, "F_???");
	if (cmd == F_GETFL || cmd == F_GETFD)
		return;
	PUT_LIT(&t->ob, ", ");
	if (cmd == F_SETFL)
		put_open_flags(&t->ob, (unsigned)t->a[2]);
	else if (cmd == F_SETFD)
		put_flags(&t->ob, fd_flags, (unsigned)t->a[2], "FD_???");
	else if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_SETOWN)
		put_dec(&t->ob, (int)t->a[2]);
	else
		put_hex(&t->ob, (unsigned long)t->a[2]);
}

/* clone(child_stack=NULL, flags=SIGCHLD): fork, on the generic table */
static void put_clone(struct tr *t)
{
	unsigned long flags = (unsigned long)t->a[0], sig = flags & 0xff;

	PUT_LIT(&t->ob, "child_stack=");
	put_ptr(&t->ob, t->a[1]);
	PUT_LIT(&t->ob, ", flags=");
	flags &= ~0xffUL;
	if (flags)
		put_flags(&t->ob, clone_flags, flags, "CLONE_???");
	if (flags && sig)
		PUT_LIT(&t->ob, "|");
	if (sig || !flags)
		put_signame(&t->ob, (long)sig, 0);
}

static void put_prctl(struct tr *t)
{
	int opt = (int)t->a[0];

	put_xval(&t->ob, prctl_opts, (unsigned)opt, "PR_???");
	PUT_LIT(&t->ob, ", ");
	if (opt == PR_SET_PDEATHSIG) {
		put_signame(&t->ob, t->a[1], 0);
		return;
	}
	if (opt == PR_SET_NO_NEW_PRIVS)
		put_udec(&t->ob, (unsigned long)t->a[1]);
	else
		put_hex(&t->ob, (unsigned long)t->a[1]);
	for (int i = 2; i < 5; i++) {
		PUT_LIT(&t->ob, ", ");
		put_hex(&t->ob, (unsigned long)t->a[i]);
	}
}

/* Argument i of the call, printed as kind k. */
static void put_arg(struct tr *t, int k, int i)
{
	struct outbuf *ob = &t->ob;
	const long v = t->a[i], next = i < 5 ? t->a[i + 1] : 0;

	/* a pointer the kernel could not use, or an output the call did not
	 * fill: its address, as strace prints it */
	switch (k) {
	case A_STAT_RET: case A_DIRENTS_RET: case A_SOCKADDR_RET: case A_EPOLL_EVENTS_RET:
	case A_SIGSET_RET: case A_SIGACTION_RET: case A_TIMESPEC_RET: case A_ITIMERSPEC_RET:
	case A_RLIMIT_RET: case A_CPUSET_RET: case A_BUF_RET:
		if (t->failed || !v) {
			put_ptr(ob, v);
			return;
		}
		break;
	case A_WSTATUS_RET:
		if (t->failed || t->ret == 0 || !v) {
			put_ptr(ob, v);
			return;
		}
		break;
	case A_PATH: case A_STR: case A_BUF_IN: case A_IOV: case A_OPEN_HOW: case A_SOCKADDR_IN:
	case A_SOCKLEN_RET: case A_SOCKOPT_VAL: case A_EPOLL_EVENT: case A_OFFSET_INOUT:
	case A_SIGSET: case A_SIGACTION: case A_ITIMERSPEC: case A_RLIMIT: case A_GIDS:
	case A_SECCOMP_ARGS:
		if (t->fault) {
			put_ptr(ob, v);
			return;
		}
		break;
	}

	switch (k) {
	case A_INT: put_dec(ob, (int)v); break;
	case A_UINT: put_udec(ob, (unsigned)v); break;
	case A_ID:
		if ((unsigned)v == (unsigned)-1)
			PUT_LIT(ob, "-1");
		else
			put_udec(ob, (unsigned)v);
		break;
	case A_ULONG: put_udec(ob, (unsigned long)v); break;
	case A_HEX: put_hex(ob, (unsigned long)v); break;
	case A_PTR: put_ptr(ob, v); break;
	case A_DIRFD:
		if ((int)v == AT_FDCWD)
			PUT_LIT(ob, "AT_FDCWD");
		else
			put_dec(ob, (int)v);
		break;
	case A_PATH: put_cstr(ob, v, TRACE_PATH_MAX); break;
	case A_STR: put_cstr(ob, v, TRACE_STRLEN); break;
	case A_BUF_IN: put_buf(ob, v, (unsigned long)next); break;
	case A_BUF_RET: put_buf(ob, v, (unsigned long)t->ret); break;
	case A_IOV:
		if (v)
			put_iov(t, v, (int)next);
		else
			PUT_LIT(ob, "NULL");
		break;
	case A_OPEN_FLAGS:
		put_open_flags(ob, (unsigned)v);
		if (v & (O_CREAT | O_TMPFILE_BIT)) {
			PUT_LIT(ob, ", ");
			put_mode(ob, (unsigned)next);
		}
		break;
	case A_OPEN_HOW:
		if (v)
			put_open_how(ob, (const struct open_how *)v);
		else
			PUT_LIT(ob, "NULL");
		break;
	case A_AT_FLAGS: put_flags(ob, at_flags, (unsigned)v, "AT_???"); break;
	case A_STAT_RET: put_stat(ob, (const struct stat_k *)v); break;
	case A_DIRENTS_RET: put_dirents(t, v); break;
	case A_FCNTL: put_fcntl(t); break;
	case A_FAMILY: put_xval(ob, families, (unsigned)v, "AF_???"); break;
	case A_SOCK_TYPE:
		put_xval(ob, sock_types, (unsigned)v & 0xf, "SOCK_???");
		if ((unsigned)v & ~0xfu) {
			PUT_LIT(ob, "|");
			put_flags(ob, sock_flags, (unsigned)v & ~0xfu, "SOCK_???");
		}
		break;
	case A_PROTO:
		if (t->a[0] == AF_INET || t->a[0] == AF_INET6)
			put_xval(ob, inet_protos, (unsigned)v, "IPPROTO_???");
		else
			put_dec(ob, (int)v);
		break;
	case A_SOCK_FLAGS: put_flags(ob, sock_flags, (unsigned)v, "SOCK_???"); break;
	case A_MSG_FLAGS: put_flags(ob, msg_flags, (unsigned)v, "MSG_???"); break;
	case A_SOCKADDR_IN: put_sockaddr(ob, v, (uint32_t)next); break;
	case A_SOCKADDR_RET: put_sockaddr(ob, v, next ? *(const uint32_t *)next : 0); break;
	case A_SOCKLEN_RET:
		if (v) {
			PUT_LIT(ob, "[");
			put_udec(ob, *(const uint32_t *)v);
			PUT_LIT(ob, "]");
		} else {
			PUT_LIT(ob, "NULL");
		}
		break;
	case A_SOCK_LEVEL: put_xval(ob, sock_levels, (unsigned)v, "SOL_??"); break;
	case A_SOCK_OPT: put_sockopt(t, t->a[1], v); break;
	case A_SOCKOPT_VAL: put_sockopt_val(t, v, next); break;
	case A_SHUT: put_xval(ob, shut_hows, (unsigned)v, "SHUT_???"); break;
	case A_MADV: put_xval(ob, madv_advices, (unsigned)v, "MADV_???"); break;
	case A_EPOLL_FLAGS: put_flags(ob, epoll_flags, (unsigned)v, "EPOLL_???"); break;
	case A_EPOLL_OP: put_xval(ob, epoll_ops, (unsigned)v, "EPOLL_CTL_???"); break;
	case A_EPOLL_EVENT:
		if (t->a[1] == EPOLL_CTL_DEL || !v)
			put_ptr(ob, v);
		else
			put_epoll_event(ob, (const struct epoll_event *)v);
		break;
	case A_EPOLL_EVENTS_RET: put_epoll_events(t, v); break;
	case A_OFFSET_INOUT:
		/* strace: [before], and " => [after]" once bytes moved; the
		 * kernel advanced the offset by exactly the bytes sent */
		if (!v) {
			PUT_LIT(ob, "NULL");
			break;
		}
		PUT_LIT(ob, "[");
		put_dec(ob, *(const long *)v - (t->failed ? 0 : t->ret));
		PUT_LIT(ob, "]");
		if (!t->failed && t->ret) {
			PUT_LIT(ob, " => [");
			put_dec(ob, *(const long *)v);
			PUT_LIT(ob, "]");
		}
		break;
	case A_PROT:
		if (v == 0)
			PUT_LIT(ob, "PROT_NONE");
		else
			put_flags(ob, prot_flags, (unsigned)v, "PROT_???");
		break;
	case A_MAP_FLAGS:
		put_xval(ob, map_types, (unsigned)v & 0xf, "MAP_???");
		if ((unsigned)v & ~0xfu) {
			PUT_LIT(ob, "|");
			put_flags(ob, map_flags, (unsigned)v & ~0xfu, "MAP_???");
		}
		break;
	case A_SIG: put_signame(ob, (int)v, 0); break;
	case A_SIGHOW: put_xval(ob, sig_hows, (unsigned)v, "SIG_???"); break;
	case A_SIGSET: case A_SIGSET_RET:
		if (v)
			put_sigset(ob, *(const uint64_t *)v);
		else
			PUT_LIT(ob, "NULL");
		break;
	case A_SIGACTION: case A_SIGACTION_RET:
		if (v)
			put_sigaction(ob, (const struct kernel_sigaction *)v);
		else
			PUT_LIT(ob, "NULL");
		break;
	case A_SFD_FLAGS: put_flags(ob, sfd_flags, (unsigned)v, "SFD_???"); break;
	case A_CLOCK: put_xval(ob, clocks, (unsigned)v, "CLOCK_???"); break;
	case A_TIMESPEC_RET: put_timespec(ob, (const struct timespec_k *)v); break;
	case A_TFD_FLAGS: put_flags(ob, tfd_flags, (unsigned)v, "TFD_???"); break;
	case A_TFD_SETTIME_FLAGS: put_flags(ob, tfd_settime_flags, (unsigned)v, "TFD_???"); break;
	case A_ITIMERSPEC: case A_ITIMERSPEC_RET:
		if (v)
			put_itimerspec(ob, (const struct itimerspec_k *)v);
		else
			PUT_LIT(ob, "NULL");
		break;
	case A_WSTATUS_RET: put_wstatus(ob, *(const int *)v); break;
	case A_WAIT_OPTS: put_flags(ob, wait_opts, (unsigned)v, "W???"); break;
	case A_CLONE: put_clone(t); break;
	case A_PRCTL: put_prctl(t); break;
	case A_RLIMIT_RES: put_xval(ob, rlimits, (unsigned)v, "RLIMIT_???"); break;
	case A_RLIMIT: case A_RLIMIT_RET:
		if (v)
			put_rlimit(ob, (const struct rlimit64 *)v);
		else
			PUT_LIT(ob, "NULL");
		break;
	case A_CPUSET_RET: put_cpuset(t, v); break;
	case A_FDPAIR_RET: put_fdpair(t, v); break;
	case A_POLLFDS: put_pollfds(t, v, next); break;
	case A_GIDS:
		if (v)
			put_gids(t, v, (int)t->a[0]);
		else
			PUT_LIT(ob, "NULL");
		break;
	case A_SECCOMP_OP: put_xval(ob, seccomp_ops, (unsigned)v, "SECCOMP_SET_MODE_???"); break;
	case A_SECCOMP_FLAGS:
		if ((unsigned long)t->a[0] <= 3)
			put_flags(ob, seccomp_flags, (unsigned)v, "SECCOMP_FILTER_FLAG_???");
		else
			put_hex(ob, (unsigned)v);
		break;
	case A_SECCOMP_ARGS:
		if (t->a[0] == SECCOMP_SET_MODE_FILTER && v) {
			const struct sock_fprog *fp = (const struct sock_fprog *)v;

			PUT_LIT(ob, "{len=");
			put_udec(ob, fp->len);
			PUT_LIT(ob, ", filter=");
			put_ptr(ob, (long)fp->filter);
			PUT_LIT(ob, "}");
		} else {
			put_ptr(ob, v);
		}
		break;
	case A_MFD_FLAGS: put_flags(ob, mfd_flags, (unsigned)v, "MFD_???"); break;
	case A_INOTIFY_FLAGS: put_flags(ob, inotify_flags, (unsigned)v, "IN_???"); break;
	case A_INOTIFY_MASK: put_flags(ob, inotify_mask, (unsigned)v, "IN_???"); break;
	}
}

/* = 3, = 0x7f12... (mmap), = ?, or = -1 ENOENT (No such file or directory) */
static void put_result(struct tr *t, const struct call *c)
{
	struct outbuf *ob = &t->ob;

	if (c && c->ret == R_NONE) {
		PUT_LIT(ob, "?");
		return;
	}
	if (t->failed) {
		long e = -t->ret;

		PUT_LIT(ob, "-1 ");
		for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++) {
			if (errnos[i].err == e) {
				put_cs(ob, errnos[i].name);
				PUT_LIT(ob, " (");
				put_cs(ob, errnos[i].text);
				PUT_LIT(ob, ")");
				return;
			}
		}
		PUT_LIT(ob, "ERRNO_");	/* strace's form for a value it has no name for */
		put_dec(ob, e);
		PUT_LIT(ob, " (Unknown error ");
		put_dec(ob, e);
		PUT_LIT(ob, ")");
		return;
	}
	if (c && c->ret == R_HEX) {
		put_hex(ob, (unsigned long)t->ret);
	} else if (c && c->ret == R_FCNTL && t->a[1] == F_GETFL) {
		put_hex(ob, (unsigned long)t->ret);
		PUT_LIT(ob, " (flags ");
		put_open_flags(ob, (unsigned long)t->ret);
		PUT_LIT(ob, ")");
	} else if (c && c->ret == R_FCNTL && t->a[1] == F_GETFD && t->ret) {
		put_hex(ob, (unsigned long)t->ret);
		PUT_LIT(ob, " (flags ");
		put_flags(ob, fd_flags, (unsigned long)t->ret, "FD_???");
		PUT_LIT(ob, ")");
	} else {
		put_dec(ob, t->ret);
	}
}

/* Report the system call n, made with args (six slots), that returned ret:
 * one line in strace's format on fd 2. Returns ret unchanged. */
long trace_syscall(long n, long ret, const long *args)
{
	char line[TRACE_LINE_MAX];
	const struct call *c = NULL;
	struct tr t = { .a = args, .ret = ret };

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]) && !c; i++)
		if (calls[i].nr == n)
			c = &calls[i];
	if (c && c->ret == R_FORK && ret == 0)
		return ret;
	t.failed = c && c->ret == R_NONE ? 0 : SYS_IS_ERR(ret);
	t.fault = ret == -EFAULT;

	/* the call, leaving room for the result */
	ob_init(&t.ob, line, sizeof(line) - TRACE_TAIL_MAX);
	if (c) {
		put_cs(&t.ob, c->name);
		PUT_LIT(&t.ob, "(");
		for (int i = 0; i < 6 && c->arg[i] != A_END; i++) {
			if (i)
				PUT_LIT(&t.ob, ", ");
			put_arg(&t, c->arg[i], i);
		}
	} else {
		/* strace's form for a call it does not know: every slot in hex */
		PUT_LIT(&t.ob, "syscall_");
		put_hex(&t.ob, (unsigned long)n);
		PUT_LIT(&t.ob, "(");
		for (int i = 0; i < 6; i++) {
			if (i)
				PUT_LIT(&t.ob, ", ");
			put_hex(&t.ob, (unsigned long)args[i]);
		}
	}
	t.ob.cap = sizeof(line);
	if (t.ob.overflow) {
		t.ob.overflow = 0;
		PUT_LIT(&t.ob, "...");
	}
	PUT_LIT(&t.ob, ") ");
	while (t.ob.len < TRACE_COLUMN)
		PUT_LIT(&t.ob, " ");
	PUT_LIT(&t.ob, "= ");
	put_result(&t, c);
	PUT_LIT(&t.ob, "\n");
	if (t.ob.overflow) {
		/* even the result did not fit (a very long flag list): cut it */
		t.ob.len = t.ob.len < sizeof(line) - 4 ? t.ob.len : sizeof(line) - 4;
		memcpy(line + t.ob.len, "...\n", 4);
		t.ob.len += 4;
	}
	/* the raw stub: syscall3() would trace this write, and recurse */
	raw_syscall3(__NR_write, 2, (long)line, (long)t.ob.len);
	return ret;
}
