/*
 * syscall.h - the only place scratchd talks to the kernel.
 *
 * Three layers, from the bottom up (after Linux's tools/include/nolibc):
 *   1. raw_syscall0() .. raw_syscall6(): one inline-asm stub per argument
 *      count, one block per architecture. Each returns the raw kernel value.
 *      syscall0() .. syscall6() call them; in the trace build (make trace)
 *      they also report each call to src/trace.c, in strace's format.
 *   2. Kernel ABI constants and structs (syscall numbers, errno values, flags,
 *      struct sockaddr_in ...), written out by hand: no libc headers.
 *   3. sys_<name>(): one typed static inline wrapper per system call, headed by
 *      its man(2) prototype, in alphabetical order. Each returns what the kernel
 *      returns: >= 0 on success, -errno on failure. There is no global errno;
 *      callers test `r < 0` and pass the value up unchanged.
 *
 * Application code calls only the sys_* wrappers.
 */
#ifndef SCRATCHD_SYSCALL_H
#define SCRATCHD_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#define SYS_INLINE static inline __attribute__((always_inline, unused))

/* ------------------------------------------------------------------------ */
#if defined(__x86_64__)
/*
 * x86_64 Linux system call ABI (arch/x86/entry/entry_64.S):
 *   - the number goes in rax, the result comes back in rax;
 *   - arguments are in rdi, rsi, rdx, r10, r8, r9 (r10, not rcx: the
 *     `syscall` instruction itself overwrites rcx with the return address);
 *   - rcx and r11 are clobbered, every other register is preserved;
 *   - "memory": the kernel reads and writes our buffers behind the compiler.
 * x86 has constraint letters for rax/rdi/rsi/rdx; r10, r8 and r9 need register
 * variables. These are functions, not macros, so every argument is evaluated
 * before a register variable is set (GCC manual, "Local Register Variables").
 * Numbers: arch/x86/entry/syscalls/syscall_64.tbl.
 */
#define __NR_read		0
#define __NR_write		1
#define __NR_close		3
#define __NR_fstat		5
#define __NR_mmap		9
#define __NR_munmap		11
#define __NR_rt_sigaction	13
#define __NR_writev		20
#define __NR_madvise		28
#define __NR_sendfile		40
#define __NR_socket		41
#define __NR_sendto		44
#define __NR_shutdown		48
#define __NR_fcntl		72
#define __NR_bind		49
#define __NR_listen		50
#define __NR_getsockname	51
#define __NR_setsockopt		54
#define __NR_getpid		39
#define __NR_fork		57
#define __NR_wait4		61
#define __NR_kill		62
#define __NR_getppid		110
#define __NR_prctl		157
#define __NR_sched_getaffinity	204
#define __NR_rt_sigprocmask	14
#define __NR_getdents64		217
#define __NR_clock_gettime	228
#define __NR_exit_group		231
#define __NR_epoll_wait		232
#define __NR_epoll_ctl		233
#define __NR_openat		257
#define __NR_newfstatat		262
#define __NR_timerfd_create	283
#define __NR_timerfd_settime	286
#define __NR_accept4		288
#define __NR_signalfd4		289
#define __NR_memfd_create	319
#define __NR_epoll_create1	291
#define __NR_chdir		80
#define __NR_fchdir		81
#define __NR_inotify_add_watch	254
#define __NR_inotify_rm_watch	255
#define __NR_inotify_init1	294
#define __NR_rt_sigreturn	15
#define __NR_getuid		102
#define __NR_setuid		105
#define __NR_setgid		106
#define __NR_setgroups		116
#define __NR_chroot		161
#define __NR_prlimit64		302
#define __NR_seccomp		317
#define __NR_getrandom		318
#define __NR_pread64		17
#define __NR_socketpair		53
#define __NR_sendmsg		46
#define __NR_recvmsg		47
#define __NR_ppoll		271
#define __NR_openat2		437
#define __NR_connect		42	/* --check (src/check.c) */
#define __NR_getsockopt		55
#define __NR_recvfrom		45	/* --proxy-protocol: MSG_PEEK */

#define AUDIT_ARCH_SELF		0xc000003eu	/* AUDIT_ARCH_X86_64 */
#define SYS_ARCH_NAME		"x86_64"
#define SYS_X32_BIT		0x40000000u	/* the x32 ABI's numbers: refused by seccomp */

SYS_INLINE long raw_syscall0(long n)
{
	unsigned long ret;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n) : "rcx", "r11", "memory");
	return (long)ret;
}

SYS_INLINE long raw_syscall1(long n, long a1)
{
	unsigned long ret;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1) : "rcx", "r11", "memory");
	return (long)ret;
}

SYS_INLINE long raw_syscall2(long n, long a1, long a2)
{
	unsigned long ret;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2)
			  : "rcx", "r11", "memory");
	return (long)ret;
}

SYS_INLINE long raw_syscall3(long n, long a1, long a2, long a3)
{
	unsigned long ret;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2), "d"(a3)
			  : "rcx", "r11", "memory");
	return (long)ret;
}

SYS_INLINE long raw_syscall4(long n, long a1, long a2, long a3, long a4)
{
	unsigned long ret;
	register long r10 __asm__("r10") = a4;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
			  : "rcx", "r11", "memory");
	return (long)ret;
}

SYS_INLINE long raw_syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	unsigned long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			  "r"(r8) : "rcx", "r11", "memory");
	return (long)ret;
}

SYS_INLINE long raw_syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	unsigned long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			  "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return (long)ret;
}

/*
 * Not a system call, but the one other instruction scratchd takes from this
 * architecture: `rep movsb` copies rcx bytes from [rsi] to [rdi], upwards.
 * With ERMS (Intel since Ivy Bridge, AMD since Zen 3) it moves whole cache
 * lines per step (Intel Optimization Reference Manual, "Enhanced REP MOVSB
 * and STOSB"); its start-up cost makes it a poor choice for short copies.
 * src/mem.c's memcpy uses it from ARCH_COPY_MIN bytes on (a cached file
 * behind its head); where no block defines it, a word loop does all copies.
 */
#define ARCH_COPY_MIN	256

SYS_INLINE void arch_copy(void *dst, const void *src, size_t n)
{
	__asm__ volatile ("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* A signal handler returns into sa_restorer, which must make rt_sigreturn:
 * on x86-64 the kernel has no trampoline of its own and insists on
 * SA_RESTORER (arch/x86/kernel/signal_64.c). start.S has the trampoline. */
#define SYS_SA_RESTORER	0x04000000
void sys_restore_rt(void);
#define SYS_RESTORER	sys_restore_rt

/* ------------------------------------------------------------------------ */
#elif defined(__aarch64__) || (defined(__riscv) && __riscv_xlen == 64)
/*
 * aarch64 and riscv64 share the kernel's generic system call table
 * (include/uapi/asm-generic/unistd.h). It has no open, fork, epoll_wait,
 * accept, dup2 or pipe: the wrappers below call openat, clone,
 * epoll_pwait ... instead, so src/ never needs to know.
 */
#define __NR_getdents64		61
#define __NR_epoll_create1	20
#define __NR_inotify_init1	26
#define __NR_inotify_add_watch	27
#define __NR_inotify_rm_watch	28
#define __NR_rt_sigreturn	139
#define __NR_epoll_ctl		21
#define __NR_epoll_pwait	22
#define __NR_fcntl		25
#define __NR_chdir		49
#define __NR_fchdir		50
#define __NR_chroot		51
#define __NR_openat		56
#define __NR_close		57
#define __NR_read		63
#define __NR_write		64
#define __NR_writev		66
#define __NR_sendfile		71
#define __NR_signalfd4		74
#define __NR_newfstatat		79
#define __NR_fstat		80
#define __NR_timerfd_create	85
#define __NR_timerfd_settime	86
#define __NR_exit_group		94
#define __NR_clock_gettime	113
#define __NR_sched_getaffinity	123
#define __NR_kill		129
#define __NR_rt_sigaction	134
#define __NR_rt_sigprocmask	135
#define __NR_setgid		144
#define __NR_setuid		146
#define __NR_setgroups		159
#define __NR_prctl		167
#define __NR_getpid		172
#define __NR_getppid		173
#define __NR_getuid		174
#define __NR_socket		198
#define __NR_bind		200
#define __NR_listen		201
#define __NR_getsockname	204
#define __NR_sendto		206
#define __NR_setsockopt		208
#define __NR_shutdown		210
#define __NR_munmap		215
#define __NR_clone		220
#define __NR_mmap		222
#define __NR_madvise		233
#define __NR_accept4		242
#define __NR_wait4		260
#define __NR_prlimit64		261
#define __NR_seccomp		277
#define __NR_getrandom		278
#define __NR_memfd_create	279
#define __NR_pread64		67
#define __NR_socketpair		199
#define __NR_sendmsg		211
#define __NR_recvmsg		212
#define __NR_ppoll		73
#define __NR_openat2		437
#define __NR_connect		203
#define __NR_getsockopt		209
#define __NR_recvfrom		207

#if defined(__aarch64__)
/*
 * aarch64 Linux system call ABI (arch/arm64/kernel/entry-common.c):
 *   - the number goes in x8; arguments in x0..x5; `svc #0` traps;
 *   - the result comes back in x0 (so x0 is both arg1 and the result);
 *   - no other register is clobbered; "memory" as on every arch.
 */
#define AUDIT_ARCH_SELF		0xc00000b7u	/* AUDIT_ARCH_AARCH64 */
#define SYS_ARCH_NAME		"aarch64"
#define SYS_ASM_INSN		"svc #0"
#define SYS_REG_NR		"x8"
#define SYS_REG(i)		"x" #i
#else
/*
 * riscv64 Linux system call ABI (arch/riscv/kernel/entry.S):
 *   - the number goes in a7; arguments in a0..a5; `ecall` traps;
 *   - the result comes back in a0;
 *   - no other register is clobbered.
 */
#define AUDIT_ARCH_SELF		0xc00000f3u	/* AUDIT_ARCH_RISCV64 */
#define SYS_ARCH_NAME		"riscv64"
#define SYS_ASM_INSN		"ecall"
#define SYS_REG_NR		"a7"
#define SYS_REG(i)		"a" #i
#endif

/* A signal handler returns through the vDSO's rt_sigreturn trampoline: no
 * sa_restorer of ours (arch/arm64/kernel/signal.c, arch/riscv/kernel/signal.c). */
#define SYS_SA_RESTORER	0
#define SYS_RESTORER	((void (*)(void))0)

SYS_INLINE long raw_syscall0(long n)
{
	register long nr __asm__(SYS_REG_NR) = n;
	register long r0 __asm__(SYS_REG(0));
	__asm__ volatile (SYS_ASM_INSN : "=r"(r0) : "r"(nr) : "memory");
	return r0;
}

SYS_INLINE long raw_syscall1(long n, long a1)
{
	register long nr __asm__(SYS_REG_NR) = n;
	register long r0 __asm__(SYS_REG(0)) = a1;
	__asm__ volatile (SYS_ASM_INSN : "+r"(r0) : "r"(nr) : "memory");
	return r0;
}

SYS_INLINE long raw_syscall2(long n, long a1, long a2)
{
	register long nr __asm__(SYS_REG_NR) = n;
	register long r0 __asm__(SYS_REG(0)) = a1;
	register long r1 __asm__(SYS_REG(1)) = a2;
	__asm__ volatile (SYS_ASM_INSN : "+r"(r0) : "r"(nr), "r"(r1) : "memory");
	return r0;
}

SYS_INLINE long raw_syscall3(long n, long a1, long a2, long a3)
{
	register long nr __asm__(SYS_REG_NR) = n;
	register long r0 __asm__(SYS_REG(0)) = a1;
	register long r1 __asm__(SYS_REG(1)) = a2;
	register long r2 __asm__(SYS_REG(2)) = a3;
	__asm__ volatile (SYS_ASM_INSN : "+r"(r0) : "r"(nr), "r"(r1), "r"(r2) : "memory");
	return r0;
}

SYS_INLINE long raw_syscall4(long n, long a1, long a2, long a3, long a4)
{
	register long nr __asm__(SYS_REG_NR) = n;
	register long r0 __asm__(SYS_REG(0)) = a1;
	register long r1 __asm__(SYS_REG(1)) = a2;
	register long r2 __asm__(SYS_REG(2)) = a3;
	register long r3 __asm__(SYS_REG(3)) = a4;
	__asm__ volatile (SYS_ASM_INSN : "+r"(r0) : "r"(nr), "r"(r1), "r"(r2), "r"(r3) : "memory");
	return r0;
}

SYS_INLINE long raw_syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	register long nr __asm__(SYS_REG_NR) = n;
	register long r0 __asm__(SYS_REG(0)) = a1;
	register long r1 __asm__(SYS_REG(1)) = a2;
	register long r2 __asm__(SYS_REG(2)) = a3;
	register long r3 __asm__(SYS_REG(3)) = a4;
	register long r4 __asm__(SYS_REG(4)) = a5;
	__asm__ volatile (SYS_ASM_INSN : "+r"(r0) : "r"(nr), "r"(r1), "r"(r2), "r"(r3), "r"(r4)
			  : "memory");
	return r0;
}

SYS_INLINE long raw_syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long nr __asm__(SYS_REG_NR) = n;
	register long r0 __asm__(SYS_REG(0)) = a1;
	register long r1 __asm__(SYS_REG(1)) = a2;
	register long r2 __asm__(SYS_REG(2)) = a3;
	register long r3 __asm__(SYS_REG(3)) = a4;
	register long r4 __asm__(SYS_REG(4)) = a5;
	register long r5 __asm__(SYS_REG(5)) = a6;
	__asm__ volatile (SYS_ASM_INSN : "+r"(r0) : "r"(nr), "r"(r1), "r"(r2), "r"(r3), "r"(r4),
			  "r"(r5) : "memory");
	return r0;
}

/* ------------------------------------------------------------------------ */
#else
#error "scratchd: unsupported architecture (add a block to syscall.h and start.S)"
#endif

/* The stubs the wrappers use: the raw ones, plus the trace hook in the trace
 * build. trace_syscall() gets the number, the result and the arguments, and
 * returns the result unchanged; the normal build has none of this code. */
#ifdef SCRATCHD_TRACE
long trace_syscall(long n, long ret, const long *args);
#define SYS_TRACED(n, ret, ...) trace_syscall((n), (ret), (const long[6]){ __VA_ARGS__ })
#else
#define SYS_TRACED(n, ret, ...) (ret)
#endif

SYS_INLINE long syscall0(long n)
{
	return SYS_TRACED(n, raw_syscall0(n), 0);
}

SYS_INLINE long syscall1(long n, long a1)
{
	return SYS_TRACED(n, raw_syscall1(n, a1), a1);
}

SYS_INLINE long syscall2(long n, long a1, long a2)
{
	return SYS_TRACED(n, raw_syscall2(n, a1, a2), a1, a2);
}

SYS_INLINE long syscall3(long n, long a1, long a2, long a3)
{
	return SYS_TRACED(n, raw_syscall3(n, a1, a2, a3), a1, a2, a3);
}

SYS_INLINE long syscall4(long n, long a1, long a2, long a3, long a4)
{
	return SYS_TRACED(n, raw_syscall4(n, a1, a2, a3, a4), a1, a2, a3, a4);
}

SYS_INLINE long syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	return SYS_TRACED(n, raw_syscall5(n, a1, a2, a3, a4, a5), a1, a2, a3, a4, a5);
}

SYS_INLINE long syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return SYS_TRACED(n, raw_syscall6(n, a1, a2, a3, a4, a5, a6), a1, a2, a3, a4, a5, a6);
}

/* ---- errno values (include/uapi/asm-generic/errno-base.h, errno.h) ---- */
#define EPERM		1
#define ENOENT		2
#define EINTR		4
#define EIO		5
#define EBADF		9
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EEXIST		17
#define EXDEV		18
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOSPC		28
#define EPIPE		32
#define ERANGE		34
#define ENAMETOOLONG	36
#define ENOSYS		38
#define ELOOP		40
#define EOVERFLOW	75
#define EOPNOTSUPP	95
#define EAFNOSUPPORT	97
#define EADDRINUSE	98
#define EADDRNOTAVAIL	99
#define ENOBUFS		105
#define ECONNABORTED	103
#define ECONNRESET	104
#define ENOTCONN	107
#define ETIMEDOUT	110
#define ECONNREFUSED	111
#define EHOSTUNREACH	113
#define EINPROGRESS	115
#define ENETUNREACH	101
#define EPROTO		71

/* ---- sockets (include/linux/socket.h, include/uapi/linux/in.h, in6.h) ---- */
#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define SOCK_STREAM	1
#define SOCK_SEQPACKET	5	/* connected, reliable, message boundaries kept */
#define SOCK_NONBLOCK	00004000
#define SOCK_CLOEXEC	02000000
#define SOL_SOCKET	1
#define SO_REUSEADDR	2
#define SO_RCVTIMEO	20	/* x86_64 and the generic table: SO_RCVTIMEO_OLD */
#define SO_REUSEPORT	15
#define SO_ERROR	4	/* getsockopt: a non-blocking connect's result */
#define IPPROTO_TCP	6
#define IPPROTO_IPV6	41
#define IPV6_V6ONLY	26
#define TCP_NODELAY	1
#define SHUT_WR		1
#define MSG_PEEK	2		/* recv: look, leave the bytes queued */
#define MSG_NOSIGNAL	0x4000
#define MSG_MORE	0x8000		/* more data follows: do not push yet (send(2)) */
#define MSG_CMSG_CLOEXEC 0x40000000	/* received descriptors get FD_CLOEXEC */
#define SCM_RIGHTS	1		/* ancillary data: file descriptors (unix(7)) */
#define TCP_DEFER_ACCEPT 9

struct sockaddr_in {
	uint16_t sin_family;
	uint16_t sin_port;		/* network byte order */
	uint32_t sin_addr;		/* network byte order */
	uint8_t sin_zero[8];
};

struct sockaddr_in6 {
	uint16_t sin6_family;
	uint16_t sin6_port;		/* network byte order */
	uint32_t sin6_flowinfo;
	uint8_t sin6_addr[16];
	uint32_t sin6_scope_id;
};

struct timeval_k {			/* struct __kernel_old_timeval */
	long tv_sec;
	long tv_usec;
};

struct timespec_k {			/* struct __kernel_timespec */
	long tv_sec;
	long tv_nsec;
};

struct iovec {
	void *iov_base;
	size_t iov_len;
};

/* sendmsg(2)/recvmsg(2): the kernel's struct user_msghdr and cmsghdr */
struct msghdr {
	void *msg_name;
	int msg_namelen;
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	unsigned msg_flags;
};

struct cmsghdr {
	size_t cmsg_len;		/* header and data, not padded after */
	int cmsg_level;
	int cmsg_type;
};

/* The room a control message with one descriptor takes (CMSG_SPACE(sizeof(int))). */
#define CMSG_ONE_FD_SPACE	(sizeof(struct cmsghdr) + 8)

/* ppoll(2) */
struct pollfd {
	int fd;
	short events;
	short revents;
};
#define POLLIN		0x001
#define POLLOUT		0x004
#define POLLERR		0x008
#define POLLHUP		0x010

/* getrandom(2): no flags, the urandom source, blocking only until the
 * kernel's pool is first initialised. */

/* The auxiliary vector after envp (getauxval(3)): the CPU's capability bits */
#define AT_NULL		0
#define AT_HWCAP	16

/* ---- signals (arch/x86/include/uapi/asm/signal.h, linux/signalfd.h) ---- */
#define SIGINT		2
#define SIGKILL		9
#define SIGPIPE		13
#define SIGIO		29
#define SIGTERM		15
#define SIGHUP		1
#define SIGUSR1		10
#define SIGCHLD		17
#define WNOHANG		1
#define PR_SET_PDEATHSIG 1
#define SIG_IGN		((void *)1)
#define SA_RESTART	0x10000000	/* interrupted calls resume (signal(7)) */
#define F_SETOWN	8
#define O_ASYNC		020000		/* SIGIO when the fd becomes readable */
#define SIG_BLOCK	0
#define SFD_NONBLOCK	O_NONBLOCK
#define SFD_CLOEXEC	O_CLOEXEC
#define SIG_BIT(sig)	(1ULL << ((sig) - 1))	/* a signal's bit in a sigset */

struct signalfd_siginfo {		/* 128 bytes; we read only the number */
	uint32_t ssi_signo;
	uint8_t pad[124];
};

/* ---- timerfd (include/uapi/linux/timerfd.h) ---- */
#define TFD_NONBLOCK	O_NONBLOCK
#define TFD_CLOEXEC	O_CLOEXEC

struct itimerspec_k {
	struct timespec_k it_interval;
	struct timespec_k it_value;
};

struct kernel_sigaction {		/* what rt_sigaction(2) really takes */
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

/* ---- files (include/uapi/asm-generic/fcntl.h, linux/openat2.h) ---- */
#define AT_FDCWD	(-100)
#define F_GETFL		3
#define F_SETFL		4
#define O_RDONLY	00
#define O_WRONLY	01
#define O_CREAT		0100
#define O_APPEND	02000
#define O_NOCTTY	0400
#define O_NONBLOCK	04000
#if defined(__aarch64__)		/* arch/arm64/include/uapi/asm/fcntl.h */
#define O_DIRECTORY	040000
#define O_NOFOLLOW	0100000
#define O_DIRECT	0200000
#define O_LARGEFILE	0400000
#else
#define O_DIRECTORY	0200000
#define O_NOFOLLOW	0400000
#define O_DIRECT	040000
#define O_LARGEFILE	0100000
#endif
#define O_CLOEXEC	02000000
#define O_PATH		010000000
#define AT_SYMLINK_NOFOLLOW	0x100
#define MFD_CLOEXEC		0x0001
#define RESOLVE_NO_MAGICLINKS	0x02
#define RESOLVE_NO_SYMLINKS	0x04
#define RESOLVE_BENEATH		0x08

struct open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

#if defined(__x86_64__)
struct stat_k {				/* x86_64 struct stat (arch/x86/include/uapi/asm/stat.h) */
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned long st_nlink;
	unsigned int st_mode;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned int pad0;
	unsigned long st_rdev;
	long st_size;
	long st_blksize;
	long st_blocks;
	unsigned long st_atime;
	unsigned long st_atime_nsec;
	unsigned long st_mtime;
	unsigned long st_mtime_nsec;
	unsigned long st_ctime;
	unsigned long st_ctime_nsec;
	long reserved[3];
};
#else
struct stat_k {				/* include/uapi/asm-generic/stat.h */
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned int st_mode;
	unsigned int st_nlink;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned long st_rdev;
	unsigned long pad1;
	long st_size;
	int st_blksize;
	int pad2;
	long st_blocks;
	long st_atime;
	unsigned long st_atime_nsec;
	long st_mtime;
	unsigned long st_mtime_nsec;
	long st_ctime;
	unsigned long st_ctime_nsec;
	unsigned int unused[2];
};
#endif

/* getdents64(2) records */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};
#define DT_DIR		4
#define DT_LNK		10

#define S_IFMT		0170000
#define S_IFDIR		0040000
#define S_IFREG		0100000
#define S_IFLNK		0120000

/* ---- epoll (include/uapi/linux/eventpoll.h) ---- */
#define EPOLL_CLOEXEC	O_CLOEXEC
#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3
#define EPOLLIN		0x001
#define EPOLLOUT	0x004
#define EPOLLERR	0x008
#define EPOLLHUP	0x010
#define EPOLLRDHUP	0x2000
#define EPOLLEXCLUSIVE	(1u << 28)	/* wake one waiter, not all (epoll_ctl(2)) */

/* x86_64 packs this struct so 32- and 64-bit layouts agree (EPOLL_PACKED). */
struct epoll_event {
	uint32_t events;
	uint64_t data;
}
#if defined(__x86_64__)
__attribute__((packed))
#endif
;

/* ---- inotify (include/uapi/linux/inotify.h) ---- */
#define IN_MODIFY	0x00000002	/* content written or truncated */
#define IN_ATTRIB	0x00000004	/* mode, owner, times, link count */
#define IN_CREATE	0x00000100	/* a name created in a watched directory */
#define IN_MOVED_FROM	0x00000040	/* a name moved out of a watched directory */
#define IN_MOVED_TO	0x00000080	/* ... or into it (rename over a file) */
#define IN_DELETE	0x00000200	/* a name removed from a watched directory */
#define IN_DELETE_SELF	0x00000400
#define IN_MOVE_SELF	0x00000800
#define IN_ONLYDIR	0x01000000	/* add_watch: fail unless a directory */
#define IN_DONT_FOLLOW	0x02000000	/* add_watch: do not follow a final symlink */
#define IN_NONBLOCK	O_NONBLOCK
#define IN_CLOEXEC	O_CLOEXEC

/* ---- resource limits (include/uapi/asm-generic/resource.h) ---- */
#define RLIMIT_NOFILE	7

struct rlimit64 {
	uint64_t rlim_cur;	/* soft limit */
	uint64_t rlim_max;	/* hard limit */
};

/* ---- clocks (include/uapi/linux/time.h) ---- */
#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1

/* ---- mmap (include/uapi/asm-generic/mman-common.h) ---- */
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_ANONYMOUS	0x20
#define MADV_DONTNEED	4	/* private anonymous pages read back as zeros */

/* ---- seccomp (include/uapi/linux/seccomp.h, filter.h, audit.h) ---- */
#define PR_SET_NO_NEW_PRIVS	38
#define SECCOMP_SET_MODE_FILTER	1
#define SECCOMP_RET_KILL_PROCESS 0x80000000u
#define SECCOMP_RET_ALLOW	0x7fff0000u

struct sock_filter {		/* one classic BPF instruction */
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct sock_fprog {
	uint16_t len;
	struct sock_filter *filter;
};

/* Address-like results: the kernel's error range is the top 4095 values. */
#define SYS_IS_ERR(r)	((unsigned long)(r) > -4096UL)

/* ======== sys_* wrappers, alphabetical; each returns >= 0 or -errno ======== */

/* int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags); */
SYS_INLINE int sys_accept4(int fd, void *addr, uint32_t *addrlen, int flags)
{
	return (int)syscall4(__NR_accept4, fd, (long)addr, (long)addrlen, flags);
}

/* int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen); */
SYS_INLINE int sys_bind(int fd, const void *addr, uint32_t addrlen)
{
	return (int)syscall3(__NR_bind, fd, (long)addr, addrlen);
}

/* int chdir(const char *path); */
SYS_INLINE int sys_chdir(const char *path)
{
	return (int)syscall1(__NR_chdir, (long)path);
}

/* int chroot(const char *path); */
SYS_INLINE int sys_chroot(const char *path)
{
	return (int)syscall1(__NR_chroot, (long)path);
}

/* int clock_gettime(clockid_t clockid, struct timespec *tp); */
SYS_INLINE int sys_clock_gettime(int clock, struct timespec_k *tp)
{
	return (int)syscall2(__NR_clock_gettime, clock, (long)tp);
}

/* int close(int fd); */
SYS_INLINE int sys_close(int fd)
{
	return (int)syscall1(__NR_close, fd);
}

/* int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen); */
SYS_INLINE int sys_connect(int fd, const void *addr, uint32_t addrlen)
{
	return (int)syscall3(__NR_connect, fd, (long)addr, addrlen);
}

/* int epoll_create1(int flags); */
SYS_INLINE int sys_epoll_create1(int flags)
{
	return (int)syscall1(__NR_epoll_create1, flags);
}

/* int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event); */
SYS_INLINE int sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	return (int)syscall4(__NR_epoll_ctl, epfd, op, fd, (long)ev);
}

/* int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout); */
SYS_INLINE int sys_epoll_wait(int epfd, struct epoll_event *evs, int max, int timeout_ms)
{
#ifdef __NR_epoll_wait
	return (int)syscall4(__NR_epoll_wait, epfd, (long)evs, max, timeout_ms);
#else	/* the generic table: epoll_pwait with no signal mask */
	return (int)syscall6(__NR_epoll_pwait, epfd, (long)evs, max, timeout_ms, 0, sizeof(uint64_t));
#endif
}

/* noreturn void exit_group(int status); */
__attribute__((noreturn)) SYS_INLINE void sys_exit_group(int status)
{
	/* reported before the call: it does not return (strace shows "= ?") */
	(void)SYS_TRACED(__NR_exit_group, 0, status);
	raw_syscall1(__NR_exit_group, status);
	__builtin_unreachable();
}

/* int fchdir(int fd); */
SYS_INLINE int sys_fchdir(int fd)
{
	return (int)syscall1(__NR_fchdir, fd);
}

/* int fcntl(int fd, int cmd, ... arg); */
SYS_INLINE int sys_fcntl(int fd, int cmd, long arg)
{
	return (int)syscall3(__NR_fcntl, fd, cmd, arg);
}

/* pid_t fork(void); */
SYS_INLINE int sys_fork(void)
{
#ifdef __NR_fork
	return (int)syscall0(__NR_fork);
#else	/* the generic table: clone(SIGCHLD) is fork (clone(2)) */
	return (int)syscall5(__NR_clone, SIGCHLD, 0, 0, 0, 0);
#endif
}

/* int fstat(int fd, struct stat *statbuf); */
SYS_INLINE int sys_fstat(int fd, struct stat_k *st)
{
	return (int)syscall2(__NR_fstat, fd, (long)st);
}

/* int fstatat(int dirfd, const char *pathname, struct stat *statbuf, int flags); */
SYS_INLINE int sys_fstatat(int dirfd, const char *path, struct stat_k *st, int flags)
{
	return (int)syscall4(__NR_newfstatat, dirfd, (long)path, (long)st, flags);
}

/* ssize_t getdents64(int fd, void *dirp, size_t count); */
SYS_INLINE long sys_getdents64(int fd, void *buf, size_t count)
{
	return syscall3(__NR_getdents64, fd, (long)buf, (long)count);
}

/* ssize_t getrandom(void *buf, size_t buflen, unsigned int flags);
 * Up to 256 bytes never come back short once the pool is ready (getrandom(2));
 * callers treat a short count as an error all the same. */
SYS_INLINE long sys_getrandom(void *buf, size_t len, unsigned flags)
{
	return syscall3(__NR_getrandom, (long)buf, (long)len, flags);
}

/* pid_t getpid(void); */
SYS_INLINE int sys_getpid(void)
{
	return (int)syscall0(__NR_getpid);
}

/* pid_t getppid(void); */
SYS_INLINE int sys_getppid(void)
{
	return (int)syscall0(__NR_getppid);
}

/* int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen); */
SYS_INLINE int sys_getsockname(int fd, void *addr, uint32_t *addrlen)
{
	return (int)syscall3(__NR_getsockname, fd, (long)addr, (long)addrlen);
}

/* int getsockopt(int sockfd, int level, int optname, void *optval,
 *                socklen_t *optlen); */
SYS_INLINE int sys_getsockopt(int fd, int level, int name, void *val, uint32_t *len)
{
	return (int)syscall5(__NR_getsockopt, fd, level, name, (long)val, (long)len);
}

/* uid_t getuid(void); */
SYS_INLINE int sys_getuid(void)
{
	return (int)syscall0(__NR_getuid);
}

/* int inotify_add_watch(int fd, const char *pathname, uint32_t mask);
 * Returns the watch descriptor: the same one again for an inode already
 * watched (inotify(7)). */
SYS_INLINE int sys_inotify_add_watch(int fd, const char *path, uint32_t mask)
{
	return (int)syscall3(__NR_inotify_add_watch, fd, (long)path, mask);
}

/* int inotify_rm_watch(int fd, int wd); */
SYS_INLINE int sys_inotify_rm_watch(int fd, int wd)
{
	return (int)syscall2(__NR_inotify_rm_watch, fd, wd);
}

/* int inotify_init1(int flags); */
SYS_INLINE int sys_inotify_init1(int flags)
{
	return (int)syscall1(__NR_inotify_init1, flags);
}

/* int kill(pid_t pid, int sig); */
SYS_INLINE int sys_kill(int pid, int sig)
{
	return (int)syscall2(__NR_kill, pid, sig);
}

/* int listen(int sockfd, int backlog); */
SYS_INLINE int sys_listen(int fd, int backlog)
{
	return (int)syscall2(__NR_listen, fd, backlog);
}

/* int memfd_create(const char *name, unsigned int flags); */
SYS_INLINE int sys_memfd_create(const char *name, unsigned flags)
{
	return (int)syscall2(__NR_memfd_create, (long)name, flags);
}

/* void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
 * Returns the address, or -errno (test with SYS_IS_ERR). */
SYS_INLINE long sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return syscall6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, off);
}

/* int madvise(void *addr, size_t length, int advice); addr page-aligned. */
SYS_INLINE int sys_madvise(void *addr, size_t len, int advice)
{
	return (int)syscall3(__NR_madvise, (long)addr, (long)len, advice);
}

/* int openat(int dirfd, const char *pathname, int flags, mode_t mode); */
SYS_INLINE int sys_openat(int dirfd, const char *path, int flags, int mode)
{
	return (int)syscall4(__NR_openat, dirfd, (long)path, flags, mode);
}

/* long openat2(int dirfd, const char *pathname, struct open_how *how, size_t size); */
SYS_INLINE int sys_openat2(int dirfd, const char *path, struct open_how *how)
{
	return (int)syscall4(__NR_openat2, dirfd, (long)path, (long)how, sizeof(*how));
}

/* int prctl(int option, unsigned long arg2, ...);
 * The unused arguments are passed as 0: some options (PR_SET_NO_NEW_PRIVS)
 * fail with EINVAL otherwise. */
SYS_INLINE int sys_prctl(int option, unsigned long arg2)
{
	return (int)syscall5(__NR_prctl, option, (long)arg2, 0, 0, 0);
}

/* int prlimit(pid_t pid, int resource, const struct rlimit64 *new, struct rlimit64 *old); */
SYS_INLINE int sys_prlimit64(int pid, int resource, const struct rlimit64 *new_limit,
			     struct rlimit64 *old)
{
	return (int)syscall4(__NR_prlimit64, pid, resource, (long)new_limit, (long)old);
}

/* int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo_p,
 *           const sigset_t *sigmask); -- no mask; tmo NULL: no timeout */
SYS_INLINE int sys_ppoll(struct pollfd *fds, unsigned long nfds, const struct timespec_k *tmo)
{
	return (int)syscall5(__NR_ppoll, (long)fds, (long)nfds, (long)tmo, 0, 0);
}

/* ssize_t pread(int fd, void *buf, size_t count, off_t offset); */
SYS_INLINE long sys_pread64(int fd, void *buf, size_t count, long offset)
{
	return syscall4(__NR_pread64, fd, (long)buf, (long)count, offset);
}

/* ssize_t read(int fd, void *buf, size_t count); */
SYS_INLINE long sys_read(int fd, void *buf, size_t count)
{
	return syscall3(__NR_read, fd, (long)buf, (long)count);
}

/* ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags,
 *                  struct sockaddr *src_addr, socklen_t *addrlen); -- no address */
SYS_INLINE long sys_recvfrom(int fd, void *buf, size_t len, int flags)
{
	return syscall6(__NR_recvfrom, fd, (long)buf, (long)len, flags, 0, 0);
}

/* ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags); */
SYS_INLINE long sys_recvmsg(int fd, struct msghdr *msg, int flags)
{
	return syscall3(__NR_recvmsg, fd, (long)msg, flags);
}

/* int rt_sigaction(int sig, const struct sigaction *act, struct sigaction *oact,
 *                  size_t sigsetsize); */
SYS_INLINE int sys_rt_sigaction(int sig, const struct kernel_sigaction *act,
				struct kernel_sigaction *old)
{
	return (int)syscall4(__NR_rt_sigaction, sig, (long)act, (long)old, sizeof(uint64_t));
}

/* rt_sigaction(2) for a handler: fn(sig) runs on the signal; calls it
 * interrupts resume (SA_RESTART), except those signal(7) lists, such as
 * epoll_wait, which fail with EINTR. */
SYS_INLINE int sys_sigaction_handler(int sig, void (*fn)(int))
{
	struct kernel_sigaction act = {
		.handler = (void *)fn,
		.flags = SA_RESTART | SYS_SA_RESTORER,
		.restorer = (void *)SYS_RESTORER,
	};

	return sys_rt_sigaction(sig, &act, NULL);
}

/* int rt_sigprocmask(int how, const sigset_t *set, sigset_t *oldset, size_t sigsetsize); */
SYS_INLINE int sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
	return (int)syscall4(__NR_rt_sigprocmask, how, (long)set, (long)old, sizeof(uint64_t));
}

/* int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask);
 * The raw call returns the size of the kernel's mask in bytes. */
SYS_INLINE int sys_sched_getaffinity(int pid, size_t size, void *mask)
{
	return (int)syscall3(__NR_sched_getaffinity, pid, (long)size, (long)mask);
}

/* int seccomp(unsigned int operation, unsigned int flags, void *args); */
SYS_INLINE int sys_seccomp(unsigned op, unsigned flags, const void *args)
{
	return (int)syscall3(__NR_seccomp, op, flags, (long)args);
}

/* ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count); */
SYS_INLINE long sys_sendfile(int out_fd, int in_fd, long *offset, size_t count)
{
	return syscall4(__NR_sendfile, out_fd, in_fd, (long)offset, (long)count);
}

/* ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags); */
SYS_INLINE long sys_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	return syscall3(__NR_sendmsg, fd, (long)msg, flags);
}

/* ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
 *                const struct sockaddr *dest_addr, socklen_t addrlen); */
SYS_INLINE long sys_sendto(int fd, const void *buf, size_t len, int flags)
{
	return syscall6(__NR_sendto, fd, (long)buf, (long)len, flags, 0, 0);
}

/* int setgid(gid_t gid); */
SYS_INLINE int sys_setgid(uint32_t gid)
{
	return (int)syscall1(__NR_setgid, gid);
}

/* int setgroups(size_t size, const gid_t *list); */
SYS_INLINE int sys_setgroups(size_t size, const uint32_t *list)
{
	return (int)syscall2(__NR_setgroups, (long)size, (long)list);
}

/* int setsockopt(int sockfd, int level, int optname, const void *optval,
 *                socklen_t optlen); */
SYS_INLINE int sys_setsockopt(int fd, int level, int name, const void *val, uint32_t len)
{
	return (int)syscall5(__NR_setsockopt, fd, level, name, (long)val, len);
}

/* int setuid(uid_t uid); */
SYS_INLINE int sys_setuid(uint32_t uid)
{
	return (int)syscall1(__NR_setuid, uid);
}

/* int shutdown(int sockfd, int how); */
SYS_INLINE int sys_shutdown(int fd, int how)
{
	return (int)syscall2(__NR_shutdown, fd, how);
}

/* int signalfd4(int fd, const sigset_t *mask, size_t sizemask, int flags); */
SYS_INLINE int sys_signalfd4(int fd, const uint64_t *mask, int flags)
{
	return (int)syscall4(__NR_signalfd4, fd, (long)mask, sizeof(uint64_t), flags);
}

/* int socket(int domain, int type, int protocol); */
SYS_INLINE int sys_socket(int domain, int type, int protocol)
{
	return (int)syscall3(__NR_socket, domain, type, protocol);
}

/* int socketpair(int domain, int type, int protocol, int sv[2]); */
SYS_INLINE int sys_socketpair(int domain, int type, int protocol, int sv[2])
{
	return (int)syscall4(__NR_socketpair, domain, type, protocol, (long)sv);
}

/* int timerfd_create(int clockid, int flags); */
SYS_INLINE int sys_timerfd_create(int clock, int flags)
{
	return (int)syscall2(__NR_timerfd_create, clock, flags);
}

/* int timerfd_settime(int fd, int flags, const struct itimerspec *new,
 *                     struct itimerspec *old); */
SYS_INLINE int sys_timerfd_settime(int fd, int flags, const struct itimerspec_k *t,
				   struct itimerspec_k *old)
{
	return (int)syscall4(__NR_timerfd_settime, fd, flags, (long)t, (long)old);
}

/* pid_t wait4(pid_t pid, int *wstatus, int options, struct rusage *rusage); */
SYS_INLINE int sys_wait4(int pid, int *status, int options)
{
	return (int)syscall4(__NR_wait4, pid, (long)status, options, 0);
}

/* ssize_t write(int fd, const void *buf, size_t count); */
SYS_INLINE long sys_write(int fd, const void *buf, size_t count)
{
	return syscall3(__NR_write, fd, (long)buf, (long)count);
}

/* ssize_t writev(int fd, const struct iovec *iov, int iovcnt); */
SYS_INLINE long sys_writev(int fd, const struct iovec *iov, int iovcnt)
{
	return syscall3(__NR_writev, fd, (long)iov, iovcnt);
}

#ifdef __NR_epoll_wait
#define __NR_EPOLL_WAIT	__NR_epoll_wait
#else
#define __NR_EPOLL_WAIT	__NR_epoll_pwait
#endif

/*
 * The seccomp allowlist: the only system calls a worker makes once it serves
 * (src/server.c and what it calls), each with its number. src/seccomp.c
 * turns it into a filter that kills the process on anything else; argument
 * checks are added there. A new call in the serving path must be listed here.
 */
#define SECCOMP_ALLOWLIST(X)						\
	X(accept4)	/* new connections (flags checked) */		\
	X(clock_gettime) /* the Date header, once a second */		\
	X(close)							\
	X(epoll_ctl)	/* our epoll set only */			\
	X(EPOLL_WAIT)	/* epoll_wait, or epoll_pwait */	\
	X(exit_group)							\
	X(fstat)	/* the file just opened */			\
	X(getdents64)	/* directory listings */			\
	X(inotify_add_watch) /* the file cache's watches */		\
	X(inotify_rm_watch) /* ... dropped when they pile up */	\
	X(madvise)	/* idle: MADV_DONTNEED only */			\
	X(memfd_create)	/* a listing's page (flags checked) */		\
	X(newfstatat)	/* a listing's sizes (flags checked) */		\
	X(openat2)	/* beneath the root fd only */			\
	X(read)								\
	X(rt_sigreturn)	/* the end of the SIGIO handler (file cache) */	\
	X(sendfile)							\
	X(sendto)	/* a head before sendfile: MSG_MORE only */	\
	X(shutdown)	/* lingering close: SHUT_WR only */		\
	X(write)

/* What a worker with --proxy-protocol also needs (src/proxy_io.c): */
#define SECCOMP_PROXY_ALLOWLIST(X)					\
	X(recvfrom)	/* a PROXY header, peeked at (flags: MSG_PEEK only) */

/* What a worker with a --log file also needs (src/logfile.c): */
#define SECCOMP_LOGFILE_ALLOWLIST(X)					\
	X(recvmsg)	/* a reopened log file's fd (its socket, MSG_CMSG_CLOEXEC) */

/* What a worker with a TLS listener also needs (src/tls_io.c): */
#define SECCOMP_TLS_ALLOWLIST(X)					\
	X(getrandom)	/* each handshake's random and key share (flags 0) */ \
	X(pread64)	/* a file read to be encrypted (sendfile cannot) */

/* The signer's whole list (src/signer.c): */
#define SECCOMP_SIGNER_ALLOWLIST(X)					\
	X(close)	/* a key file, once read */			\
	X(exit_group)							\
	X(getrandom)	/* the hedge of each nonce (flags 0) */		\
	X(ppoll)	/* wait for the supervisor or a worker */	\
	X(read)		/* requests, key files */			\
	X(recvmsg)	/* a key file's fd: the control socket only */	\
	X(write)	/* replies */

#endif /* SCRATCHD_SYSCALL_H */
