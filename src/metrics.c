/*
 * metrics.c - the shared rows of counters and their text (metrics.h).
 */
#include "../syscall.h"
#include "metrics.h"
#include "str.h"

struct metrics_row *metrics_mine;
static struct metrics_row *rows;
static unsigned nrows;

int metrics_setup(unsigned nworkers)
{
	long r = sys_mmap(NULL, (size_t)nworkers * sizeof(struct metrics_row), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (SYS_IS_ERR(r))
		return (int)r;
	rows = (struct metrics_row *)r;
	nrows = nworkers;
	metrics_mine = rows;
	return 0;
}

void metrics_worker(unsigned i)
{
	if (!rows || i >= nrows)
		return;
	metrics_mine = &rows[i];
	metrics_set(METRIC_OPEN, 0);
	metrics_set(METRIC_CACHED, 0);
}

static const struct {
	const char *name;	/* the family's name (NULL: another sample of the one before) */
	const char *type;
	const char *help;
	const char *label;	/* {...} of this sample, or "" */
	enum metric m;
} families[] = {
	{ "scratchd_requests_total", "counter", "Responses made, by the class of their status.",
	  "{code=\"1xx\"}", METRIC_1XX },
	{ NULL, NULL, NULL, "{code=\"2xx\"}", METRIC_2XX },
	{ NULL, NULL, NULL, "{code=\"3xx\"}", METRIC_3XX },
	{ NULL, NULL, NULL, "{code=\"4xx\"}", METRIC_4XX },
	{ NULL, NULL, NULL, "{code=\"5xx\"}", METRIC_5XX },
	{ "scratchd_sent_bytes_total", "counter", "Bytes of responses, heads and bodies, taken by the kernel.",
	  "", METRIC_SENT },
	{ "scratchd_connections_accepted_total", "counter", "Connections accepted.", "", METRIC_ACCEPTED },
	{ "scratchd_timeouts_total", "counter",
	  "Connections closed because the client was too slow (not idle keep-alive ones).", "",
	  METRIC_TIMEOUTS },
	{ "scratchd_errors_total", "counter",
	  "Connections that ended in an error (a reset, a bad PROXY header, a TLS failure) or were refused.",
	  "", METRIC_ERRORS },
	{ "scratchd_connections_open", "gauge", "Connections open now.", "", METRIC_OPEN },
	{ "scratchd_file_cache_entries", "gauge", "Files held in the workers' file caches.", "", METRIC_CACHED },
};

size_t metrics_format(char *out, size_t cap)
{
	struct outbuf ob;

	ob_init(&ob, out, cap);
	for (size_t k = 0; k < sizeof(families) / sizeof(families[0]); k++) {
		uint64_t sum = 0;
		const char *name = families[k].name;

		for (unsigned i = 0; i < nrows; i++)
			sum += __atomic_load_n(&rows[i].v[families[k].m], __ATOMIC_RELAXED);
		if (name) {
			OB_LIT(&ob, "# HELP ");
			ob_put(&ob, name, cstr_len(name));
			OB_LIT(&ob, " ");
			ob_put(&ob, families[k].help, cstr_len(families[k].help));
			OB_LIT(&ob, "\n# TYPE ");
			ob_put(&ob, name, cstr_len(name));
			OB_LIT(&ob, " ");
			ob_put(&ob, families[k].type, cstr_len(families[k].type));
			OB_LIT(&ob, "\n");
		} else {
			for (size_t j = k; !name; j--)
				name = families[j - 1].name;
		}
		ob_put(&ob, name, cstr_len(name));
		ob_put(&ob, families[k].label, cstr_len(families[k].label));
		OB_LIT(&ob, " ");
		ob_u64(&ob, sum);
		OB_LIT(&ob, "\n");
	}
	OB_LIT(&ob, "# HELP scratchd_workers Worker processes.\n# TYPE scratchd_workers gauge\nscratchd_workers ");
	ob_u64(&ob, nrows);
	OB_LIT(&ob, "\n");
	return ob.overflow ? 0 : ob.len;
}
