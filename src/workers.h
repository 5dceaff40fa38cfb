/* workers.h - several worker processes, each with its own listener. */
#ifndef SCRATCHD_WORKERS_H
#define SCRATCHD_WORKERS_H

#include "server.h"

#define WORKERS_MAX 256

/* How many CPUs this process may run on (sched_getaffinity(2)), 1 to WORKERS_MAX. */
unsigned workers_cpu_count(void);

/* What the supervisor has besides the workers. */
struct supervision {
	unsigned per_worker;		/* listeners each worker owns: lfds[i * per_worker ...] */
	const int *signer_fds;		/* worker i's socket to the signer; NULL: no HTTPS */
	int signer_pid;			/* the signer process, 0: none */
	int signer_control;		/* the supervisor's socket to it, -1: none */
	void (*reload)(void);		/* run on SIGHUP; NULL: SIGHUP is ignored */
};

/*
 * Fork n workers and supervise them. Each serves its own per_worker
 * listeners from lfds, or, when cfg->shared_listeners (socket activation),
 * all of cfg->listen_fds: restart a worker that dies (logged on stderr),
 * forward SIGTERM/SIGINT, run sup->reload on SIGHUP, reopen the --log file
 * in every worker on SIGHUP and SIGUSR1 (logfile.h), and return 0 once
 * every worker has exited after one of those. If the signer dies, the
 * workers are stopped and 1 is returned: no handshake could complete.
 * Returns -errno if supervision cannot be set up.
 */
int workers_run(struct server_config *cfg, const int *lfds, unsigned n, const struct supervision *sup);

#endif
