/*
 * seccomp.c - the filter: classic BPF over struct seccomp_data
 * (Documentation/userspace-api/seccomp_filter.rst).
 *
 *	load arch; != AUDIT_ARCH_SELF -> kill	(another ABI, other numbers)
 *	load nr;   x32 bit set (x86_64) -> kill
 *	for each allowed call: nr == N -> [argument checks] -> allow
 *	kill
 *
 * seccomp cannot read user memory, so openat2's flags (inside struct
 * open_how) are out of reach: what it can pin is the directory fd, the root;
 * RESOLVE_BENEATH, set by our own code, keeps every open under it.
 */
#include "../syscall.h"
#include "seccomp.h"

#define BPF_LD_W_ABS	0x20	/* A = *(u32 *)(data + k) */
#define BPF_JEQ_K	0x15	/* pc += (A == k) ? jt : jf */
#define BPF_JSET_K	0x45	/* pc += (A & k) ? jt : jf */
#define BPF_RET_K	0x06	/* return k */

#define OFF_NR		0
#define OFF_ARCH	4
#define OFF_ARG(i)	(16 + 8 * (i))	/* low 32 bits on little-endian */

#define MAX_INSNS	160	/* the longest: walk mode, TLS, --proxy-protocol and --log */

struct check {
	long nr;
	int arg;
	uint64_t value;
};

/* The filter being built. It lives on seccomp_install's stack: needed once,
 * it then costs no page of its own for the rest of the run. */
struct filter {
	unsigned n;		/* may pass MAX_INSNS: then the filter is refused */
	struct sock_filter insn[MAX_INSNS];
};

static void emit(struct filter *f, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (f->n < MAX_INSNS)
		f->insn[f->n] = (struct sock_filter){ code, jt, jf, k };
	f->n++;
}

/* Allow call nr when every check for it holds:
 *	[JEQ nr] { [LD lo] [JEQ lo] [LD hi] [JEQ hi] } x k [RET ALLOW] [RET KILL]
 * A mismatching argument jumps to the RET KILL at the end of the block. */
static void allow(struct filter *f, long nr, const struct check *checks, unsigned nchecks)
{
	unsigned k = 0;

	for (unsigned i = 0; i < nchecks; i++)
		k += checks[i].nr == nr;
	emit(f, BPF_JEQ_K, 0, (uint8_t)(4 * k + 2), (uint32_t)nr);
	unsigned j = 0;
	for (unsigned i = 0; i < nchecks; i++) {
		if (checks[i].nr != nr)
			continue;
		emit(f, BPF_LD_W_ABS, 0, 0, OFF_ARG(checks[i].arg));
		emit(f, BPF_JEQ_K, 0, (uint8_t)(4 * k - 4 * j - 1), (uint32_t)checks[i].value);
		emit(f, BPF_LD_W_ABS, 0, 0, OFF_ARG(checks[i].arg) + 4);
		emit(f, BPF_JEQ_K, 0, (uint8_t)(4 * k - 4 * j - 3), (uint32_t)(checks[i].value >> 32));
		j++;
	}
	emit(f, BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW);
	emit(f, BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
	/* the block leaves A = nr when nr did not match: the next block reads it */
}

/* The head every filter shares: the architecture, and on x86_64 no x32. */
static void filter_begin(struct filter *f)
{
	f->n = 0;
	emit(f, BPF_LD_W_ABS, 0, 0, OFF_ARCH);
	emit(f, BPF_JEQ_K, 1, 0, AUDIT_ARCH_SELF);
	emit(f, BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
	emit(f, BPF_LD_W_ABS, 0, 0, OFF_NR);
#ifdef SYS_X32_BIT	/* x86_64 also takes x32 numbers: not ours */
	emit(f, BPF_JSET_K, 0, 1, SYS_X32_BIT);
	emit(f, BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
#endif
}

/* Kill anything not allowed above, and install the filter. */
static int filter_load(struct filter *f)
{
	emit(f, BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
	if (f->n > MAX_INSNS)
		return -ENOBUFS;

	struct sock_fprog fprog = { (uint16_t)f->n, f->insn };
	int r = sys_prctl(PR_SET_NO_NEW_PRIVS, 1);
	if (r < 0)
		return r;
	return sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &fprog);
}

int seccomp_install(int root_fd, int epfd, int walk, uint32_t walk_flags, int tls, int log_sock, int proxy)
{
	const struct check checks[] = {
		{ __NR_accept4, 3, SOCK_NONBLOCK | SOCK_CLOEXEC },
		{ __NR_epoll_ctl, 0, (uint64_t)epfd },
		{ __NR_memfd_create, 1, MFD_CLOEXEC },
		{ __NR_newfstatat, 3, AT_SYMLINK_NOFOLLOW },
		{ __NR_openat2, 0, (uint64_t)root_fd },
		{ __NR_openat2, 3, sizeof(struct open_how) },
		{ __NR_shutdown, 1, SHUT_WR },
		{ __NR_madvise, 2, MADV_DONTNEED },
		{ __NR_sendto, 3, MSG_MORE },
		{ __NR_openat, 2, walk_flags },
		{ __NR_getrandom, 2, 0 },
		{ __NR_recvfrom, 3, MSG_PEEK },
		{ __NR_recvmsg, 0, (uint64_t)(int64_t)log_sock },
		{ __NR_recvmsg, 2, MSG_CMSG_CLOEXEC },
	};
	const unsigned nchecks = sizeof(checks) / sizeof(checks[0]);
	struct filter f;

	filter_begin(&f);
#define ALLOW(name) allow(&f, __NR_##name, checks, nchecks);
	SECCOMP_ALLOWLIST(ALLOW)
	if (tls) {
		SECCOMP_TLS_ALLOWLIST(ALLOW)
	}
	if (proxy) {
		SECCOMP_PROXY_ALLOWLIST(ALLOW)
	}
	if (log_sock >= 0) {
		SECCOMP_LOGFILE_ALLOWLIST(ALLOW)
	}
#undef ALLOW
	if (walk)
		allow(&f, __NR_openat, checks, nchecks);
	return filter_load(&f);
}

int seccomp_install_signer(int control)
{
	const struct check checks[] = {
		{ __NR_recvmsg, 0, (uint64_t)control },
		{ __NR_recvmsg, 2, MSG_CMSG_CLOEXEC },
		{ __NR_getrandom, 2, 0 },
	};
	const unsigned nchecks = sizeof(checks) / sizeof(checks[0]);
	struct filter f;

	filter_begin(&f);
#define ALLOW(name) allow(&f, __NR_##name, checks, nchecks);
	SECCOMP_SIGNER_ALLOWLIST(ALLOW)
#undef ALLOW
	return filter_load(&f);
}
