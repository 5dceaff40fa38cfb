/* seccomp.h - confine a worker, or the signer, to the system calls it needs. */
#ifndef SCRATCHD_SECCOMP_H
#define SCRATCHD_SECCOMP_H

#include <stdint.h>

/*
 * Install the SECCOMP_ALLOWLIST filter (syscall.h) on this process, after
 * PR_SET_NO_NEW_PRIVS: any other call, another architecture's ABI, or a
 * checked argument with another value kills the process (SIGSYS).
 * root_fd and epfd pin openat2's and epoll_ctl's first argument.
 * walk: also allow openat(2) with exactly walk_flags (the file layer's
 * fallback when the kernel has no openat2). tls: also allow
 * SECCOMP_TLS_ALLOWLIST (getrandom with no flags, pread64). proxy: also
 * SECCOMP_PROXY_ALLOWLIST (recvfrom with MSG_PEEK: --proxy-protocol).
 * log_sock >= 0: also SECCOMP_LOGFILE_ALLOWLIST (recvmsg on log_sock only,
 * with MSG_CMSG_CLOEXEC: a reopened --log file, logfile.h). Returns 0 or
 * -errno.
 */
int seccomp_install(int root_fd, int epfd, int walk, uint32_t walk_flags, int tls, int log_sock, int proxy);

/* The signer's filter (src/signer.c): SECCOMP_SIGNER_ALLOWLIST, with
 * recvmsg only on control (where the supervisor sends the key file).
 * Returns 0 or -errno. */
int seccomp_install_signer(int control);

#endif
