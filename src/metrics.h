/*
 * metrics.h - counters for --metrics-path, summed over every worker.
 *
 * One row of counters per worker, in memory shared by every process
 * (MAP_SHARED | MAP_ANONYMOUS, mapped by main before the first fork, as
 * the certificate store is: tls_store.h). A worker adds to its own row with
 * relaxed atomic adds: no lock, no system call, and no cache line written
 * by two processes; the worker that answers the metrics path reads every
 * row (atomic loads) and sums them. A restarted worker takes its
 * predecessor's row: its counters go on, its gauges start again from 0.
 */
#ifndef SCRATCHD_METRICS_H
#define SCRATCHD_METRICS_H

#include <stddef.h>
#include <stdint.h>

enum metric {
	METRIC_1XX, METRIC_2XX, METRIC_3XX, METRIC_4XX, METRIC_5XX,	/* responses by status class */
	METRIC_SENT,		/* bytes the transport took: heads and bodies */
	METRIC_ACCEPTED,	/* connections accepted */
	METRIC_TIMEOUTS,	/* connections closed because the client was too slow */
	METRIC_ERRORS,		/* connections that ended in an error, or were refused */
	METRIC_OPEN,		/* gauge: connections open now */
	METRIC_CACHED,		/* gauge: files in the file cache (set once a second) */
	METRICS_N
};

/* A worker's row: two cache lines (a 128-byte stride also keeps adjacent
 * lines apart, which some CPUs prefetch in pairs). */
struct metrics_row {
	uint64_t v[16];
};
_Static_assert(METRICS_N <= 16, "a row holds every metric");

/* This process's row; NULL: no --metrics-path. */
extern struct metrics_row *metrics_mine;

static inline void metrics_add(enum metric m, uint64_t n)
{
	struct metrics_row *row = metrics_mine;

	if (row)
		__atomic_fetch_add(&row->v[m], n, __ATOMIC_RELAXED);
}

/* A gauge this process alone writes. */
static inline void metrics_set(enum metric m, uint64_t v)
{
	struct metrics_row *row = metrics_mine;

	if (row)
		__atomic_store_n(&row->v[m], v, __ATOMIC_RELAXED);
}

/* A response with this status was made. */
static inline void metrics_response(int status)
{
	unsigned c = (unsigned)status / 100 - 1;

	if (c < 5)
		metrics_add((enum metric)c, 1);
}

/* In main, before any fork: one row per worker. Returns 0 or -errno. */
int metrics_setup(unsigned nworkers);

/* In worker i (or the one serving process, row 0): use its row, with its
 * gauges at 0. */
void metrics_worker(unsigned i);

/* The rows summed, in Prometheus's text format 0.0.4, into out[0..cap).
 * Returns the length, or 0 when it does not fit. */
size_t metrics_format(char *out, size_t cap);

#endif
