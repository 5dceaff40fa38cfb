/* workers.h - several worker processes, each with its own listener. */
#ifndef SCRATCHD_WORKERS_H
#define SCRATCHD_WORKERS_H

#include "server.h"

#define WORKERS_MAX 256

/* How many CPUs this process may run on (sched_getaffinity(2)), 1 to WORKERS_MAX. */
unsigned workers_cpu_count(void);

/*
 * Fork n workers and supervise them. Each serves lfds[i] alone, or, when
 * cfg->shared_listeners (socket activation), all of cfg->listen_fds:
 * restart a worker that dies (logged on stderr), forward SIGTERM/SIGINT,
 * and return 0 once every worker has exited after one of those. Returns
 * -errno if supervision cannot be set up.
 */
int workers_run(struct server_config *cfg, const int *lfds, unsigned n);

#endif
