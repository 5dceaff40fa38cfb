/*
 * workers.c - the supervisor: one process per worker, one SO_REUSEPORT
 * listener per worker (the kernel spreads new connections over them).
 *
 * The parent never serves. It blocks SIGCHLD, SIGTERM and SIGINT and reads
 * them from a signalfd: a dead worker is reaped with wait4(2) and replaced on
 * the same listener; SIGTERM/SIGINT are passed on to every worker, which
 * drains its connections, and the parent exits 0 once all are gone.
 */
#include "../syscall.h"
#include "str.h"
#include "workers.h"
#include "logfile.h"
#include "metrics.h"
#include "mem.h"
#include "tls_io.h"

unsigned workers_cpu_count(void)
{
	uint64_t mask[16] = { 0 };	/* 1024 CPUs */
	unsigned n = 0;
	int bytes = sys_sched_getaffinity(0, sizeof(mask), mask);

	/* count set bits; __builtin_popcount would be a libgcc call here */
	for (int i = 0; i < bytes / 8; i++)
		for (uint64_t m = mask[i]; m; m &= m - 1)
			n++;
	return n == 0 ? 1 : n > WORKERS_MAX ? WORKERS_MAX : n;
}

/* "scratchd: worker I (pid P) WHAT N; restarting" on stderr. */
static void log_death(unsigned i, int pid, int status, int restarting)
{
	char buf[128];
	struct outbuf ob;

	ob_init(&ob, buf, sizeof(buf));
	OB_LIT(&ob, "scratchd: worker ");
	ob_u64(&ob, i);
	OB_LIT(&ob, " (pid ");
	ob_u64(&ob, (uint64_t)pid);
	if ((status & 0x7f) == 0) {	/* exited: WIFEXITED, WEXITSTATUS */
		OB_LIT(&ob, ") exited with status ");
		ob_u64(&ob, (uint64_t)(status >> 8 & 0xff));
	} else {			/* WTERMSIG */
		OB_LIT(&ob, ") killed by signal ");
		ob_u64(&ob, (uint64_t)(status & 0x7f));
	}
	if (restarting)
		OB_LIT(&ob, "; restarting");
	OB_LIT(&ob, "\n");
	sys_write(2, ob.p, ob.len);
}

/* In the child: serve on worker i's listeners only, and never outlive the
 * parent. */
__attribute__((noreturn))
static void worker_main(struct server_config *cfg, const int *lfds, unsigned n, unsigned i,
			int parent, int sigfd, const struct supervision *sup)
{
	static struct tls_worker tls;

	/* PR_SET_PDEATHSIG: SIGTERM if the parent dies (prctl(2)); if it died
	 * before this call, we have been re-parented already. */
	if (sys_prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || sys_getppid() != parent)
		sys_exit_group(1);
	sys_close(sigfd);
	if (!cfg->shared_listeners) {	/* own SO_REUSEPORT listeners: drop the others */
		unsigned per = sup->per_worker;

		for (unsigned j = 0; j < n * per; j++)
			if (j / per != i)
				sys_close(lfds[j]);
		cfg->listen_fds = &lfds[i * per];
		cfg->listen_kind = cfg->listen_kind ? &cfg->listen_kind[i * per] : NULL;
		cfg->nlisten = per;
	}
	if (sup->signer_fds) {		/* our own socket to the signer, and no other */
		for (unsigned j = 0; j < n; j++)
			if (j != i)
				sys_close(sup->signer_fds[j]);
		sys_close(sup->signer_control);
		tls = *cfg->tls;
		tls.signer_fd = sup->signer_fds[i];
		cfg->tls = &tls;
	}
	cfg->log_sock = logfile_worker(i);	/* its socket for a reopened --log file, or -1 */
	metrics_worker(i);			/* its row of the --metrics-path counters */
	sys_exit_group(server_run(cfg) < 0 ? 1 : 0);
}

/* Fork worker i. Returns its pid, or -errno. */
static int start(struct server_config *cfg, const int *lfds, unsigned n, unsigned i, int self,
		 int sigfd, const struct supervision *sup)
{
	int pid = sys_fork();

	if (pid == 0)
		worker_main(cfg, lfds, n, i, self, sigfd, sup);
	return pid;
}

/* "scratchd: the signer (pid P) WHAT N; stopping" */
static void log_signer_death(int pid, int status)
{
	char buf[128];
	struct outbuf ob;

	ob_init(&ob, buf, sizeof(buf));
	OB_LIT(&ob, "scratchd: the signer (pid ");
	ob_u64(&ob, (uint64_t)pid);
	if ((status & 0x7f) == 0) {
		OB_LIT(&ob, ") exited with status ");
		ob_u64(&ob, (uint64_t)(status >> 8 & 0xff));
	} else {
		OB_LIT(&ob, ") was killed by signal ");
		ob_u64(&ob, (uint64_t)(status & 0x7f));
	}
	OB_LIT(&ob, "; no handshake can complete: stopping\n");
	sys_write(2, ob.p, ob.len);
}

int workers_run(struct server_config *cfg, const int *lfds, unsigned n, const struct supervision *sup)
{
	static int pids[WORKERS_MAX] LARGE_BUFFER;	/* 0: not running */
	uint64_t mask = SIG_BIT(SIGCHLD) | SIG_BIT(SIGTERM) | SIG_BIT(SIGINT) | SIG_BIT(SIGHUP) | SIG_BIT(SIGUSR1);
	int self = sys_getpid(), sigfd, r, stopping = 0, status_out = 0;
	unsigned alive = 0;

	if ((r = sys_rt_sigprocmask(SIG_BLOCK, &mask, NULL)) < 0)
		return r;
	if ((sigfd = sys_signalfd4(-1, &mask, SFD_CLOEXEC)) < 0)
		return sigfd;
	for (unsigned i = 0; i < n; i++) {
		if ((pids[i] = start(cfg, lfds, n, i, self, sigfd, sup)) < 0)
			return pids[i];	/* the started ones get SIGTERM as we exit */
		alive++;
	}

	while (alive > 0) {
		struct signalfd_siginfo si;

		if (sys_read(sigfd, &si, sizeof(si)) != sizeof(si))
			continue;	/* EINTR */
		if (si.ssi_signo == SIGHUP || si.ssi_signo == SIGUSR1) {
			if (si.ssi_signo == SIGHUP && sup->reload && !stopping)
				sup->reload();
			/* the --log file, in every worker (logfile.h) */
			if (logfile_active() && !stopping)
				logfile_reopen((int)si.ssi_signo, &cfg->log_fd, pids, n);
			continue;
		}
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			stopping = 1;
			for (unsigned i = 0; i < n; i++)
				if (pids[i] > 0)
					sys_kill(pids[i], SIGTERM);
			continue;
		}
		/* SIGCHLD: several children may have died behind one signal */
		int status, pid;
		while ((pid = sys_wait4(-1, &status, WNOHANG)) > 0) {
			if (pid == sup->signer_pid) {
				if (!stopping) {
					log_signer_death(pid, status);
					status_out = 1;
					stopping = 1;
					for (unsigned i = 0; i < n; i++)
						if (pids[i] > 0)
							sys_kill(pids[i], SIGTERM);
				}
				continue;
			}
			for (unsigned i = 0; i < n; i++) {
				if (pids[i] != pid)
					continue;
				pids[i] = 0;
				alive--;
				if (!stopping) {
					log_death(i, pid, status, 1);
					if ((pids[i] = start(cfg, lfds, n, i, self, sigfd, sup)) > 0)
						alive++;
					else
						pids[i] = 0;
				}
				break;
			}
		}
	}
	return status_out;
}
