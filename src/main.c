/*
 * main.c - scratchd's entry: options, document root, listening socket, loop.
 *
 *	scratchd [OPTIONS] [DIR]
 *
 * Nothing listens until every option is valid. Errors go to stderr as one
 * line; bad usage exits 2, a failure to start exits 1.
 */
#include "../syscall.h"
#include "entry.h"
#include "err.h"
#include "file.h"
#include "mem.h"
#include "net.h"
#include "server.h"
#include "str.h"
#include "workers.h"

#define VERSION "0.1.0"

struct config {
	const char *addr;
	const char *dir;
	uint64_t port;
	uint64_t workers;
	uint64_t max_conns;
	uint64_t header_timeout;
	uint64_t idle_timeout;
	uint64_t write_timeout;
	uint64_t grace;
	const char *log;
	uint64_t no_log;
	uint64_t help;
	uint64_t version;
};

enum opt_kind { OPT_FLAG, OPT_NUM, OPT_STR };

static const struct option {
	const char *name;	/* long name, without "--" */
	char short_name;	/* 0: none */
	enum opt_kind kind;
	size_t offset;		/* of the field in struct config */
	uint64_t min, max;	/* for OPT_NUM */
	const char *arg;	/* what the value is, for --help */
	const char *help;
} options[] = {
	{ "addr", 'b', OPT_STR, offsetof(struct config, addr), 0, 0, "IP",
	  "address to listen on, IPv4 or IPv6 (default 127.0.0.1; :: = all)" },
	{ "bind", 0, OPT_STR, offsetof(struct config, addr), 0, 0, "IP", "same as --addr" },
	{ "port", 'p', OPT_NUM, offsetof(struct config, port), 0, 65535, "N",
	  "TCP port (default 8080; 0 = any free port)" },
	{ "workers", 'w', OPT_NUM, offsetof(struct config, workers), 1, WORKERS_MAX, "N",
	  "worker processes (default: the CPUs we may run on)" },
	{ "max-conns", 0, OPT_NUM, offsetof(struct config, max_conns), 1, 1u << 20, "N",
	  "connections served at once (default 1024)" },
	{ "header-timeout", 0, OPT_NUM, offsetof(struct config, header_timeout), 1, 3600, "SECS",
	  "time to send a whole request head (default 10)" },
	{ "idle-timeout", 0, OPT_NUM, offsetof(struct config, idle_timeout), 1, 3600, "SECS",
	  "keep-alive idle time (default 5)" },
	{ "write-timeout", 0, OPT_NUM, offsetof(struct config, write_timeout), 1, 3600, "SECS",
	  "time a client may stall a response (default 30)" },
	{ "grace", 0, OPT_NUM, offsetof(struct config, grace), 0, 3600, "SECS",
	  "time in-flight responses get after SIGTERM (default 10)" },
	{ "log", 0, OPT_STR, offsetof(struct config, log), 0, 0, "FILE",
	  "append the access log to FILE (default: stdout)" },
	{ "no-log", 0, OPT_FLAG, offsetof(struct config, no_log), 0, 0, NULL, "no access log" },
	{ "help", 'h', OPT_FLAG, offsetof(struct config, help), 0, 0, NULL, "show this help" },
	{ "version", 0, OPT_FLAG, offsetof(struct config, version), 0, 0, NULL, "show the version" },
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

/* ---- output: one write(2) per message ---- */

static void put_line(int fd, struct outbuf *ob)
{
	sys_write(fd, ob->p, ob->len);
}

static void put_cstr(struct outbuf *ob, const char *s)
{
	ob_put(ob, s, cstr_len(s));
}

/* "scratchd: WHAT: MESSAGE" on stderr; returns status. */
static int complain(int status, const char *what, const char *detail, struct str message)
{
	char buf[512];
	struct outbuf ob;

	ob_init(&ob, buf, sizeof(buf));
	OB_LIT(&ob, "scratchd: ");
	put_cstr(&ob, what);
	if (detail) {
		OB_LIT(&ob, " ");
		put_cstr(&ob, detail);
	}
	OB_LIT(&ob, ": ");
	ob_str(&ob, message);
	OB_LIT(&ob, "\n");
	if (status == 2)
		OB_LIT(&ob, "Try 'scratchd --help' for more information.\n");
	put_line(2, &ob);
	return status;
}

static void usage(void)
{
	char buf[2048];
	struct outbuf ob;

	ob_init(&ob, buf, sizeof(buf));
	OB_LIT(&ob, "usage: scratchd [OPTIONS] [DIR]\n"
		    "Serve the files under DIR (default: the current directory) over HTTP/1.1.\n\n");
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct option *o = &options[i];
		size_t start = ob.len;

		OB_LIT(&ob, "  ");
		if (o->short_name) {
			OB_LIT(&ob, "-");
			ob_put(&ob, &o->short_name, 1);
			OB_LIT(&ob, ", ");
		} else {
			OB_LIT(&ob, "    ");
		}
		OB_LIT(&ob, "--");
		put_cstr(&ob, o->name);
		if (o->arg) {
			OB_LIT(&ob, " ");
			put_cstr(&ob, o->arg);
		}
		while (ob.len - start < 30)
			OB_LIT(&ob, " ");
		put_cstr(&ob, o->help);
		OB_LIT(&ob, "\n");
	}
	OB_LIT(&ob, "\nPrints 'listening on http://IP:PORT' once ready. SIGTERM or SIGINT:\n"
		    "stop accepting, finish in-flight responses, exit 0.\n");
	put_line(1, &ob);
}

/* The option named by arg ("--name", "--name=value" or "-x"), or NULL.
 * Sets *inline_value to what follows '=' if present. */
static const struct option *find_option(const char *arg, const char **inline_value)
{
	*inline_value = NULL;
	if (arg[0] == '-' && arg[1] != '-' && arg[1] && !arg[2]) {
		for (size_t i = 0; i < NOPTIONS; i++)
			if (options[i].short_name == arg[1])
				return &options[i];
		return NULL;
	}
	if (arg[0] != '-' || arg[1] != '-')
		return NULL;
	const char *name = arg + 2, *eq = name;
	while (*eq && *eq != '=')
		eq++;
	for (size_t i = 0; i < NOPTIONS; i++) {
		size_t n = cstr_len(options[i].name);

		if ((size_t)(eq - name) == n && memcmp(name, options[i].name, n) == 0) {
			if (*eq == '=')
				*inline_value = eq + 1;
			return &options[i];
		}
	}
	return NULL;
}

/* Parse argv into cfg. Returns 0, or 2 after printing why. */
static int parse_args(int argc, char **argv, struct config *cfg)
{
	int positional = 0;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *value;

		if (arg[0] != '-' || arg[1] == '\0') {
			if (positional++)
				return complain(2, "extra argument", NULL, (struct str){ arg, cstr_len(arg) });
			cfg->dir = arg;
			continue;
		}
		const struct option *o = find_option(arg, &value);
		if (!o)
			return complain(2, "unknown option", NULL, (struct str){ arg, cstr_len(arg) });
		char *field = (char *)cfg + o->offset;
		if (o->kind == OPT_FLAG) {
			if (value)
				return complain(2, arg, NULL, STR("takes no value"));
			*(uint64_t *)field = 1;
			continue;
		}
		if (!value) {
			if (i + 1 == argc)
				return complain(2, arg, NULL, STR("needs a value"));
			value = argv[++i];
		}
		if (o->kind == OPT_STR) {
			*(const char **)field = value;
			continue;
		}
		uint64_t v;
		if (parse_u64((struct str){ value, cstr_len(value) }, o->max, &v) < 0 || v < o->min) {
			char msg[96];
			struct outbuf ob;

			ob_init(&ob, msg, sizeof(msg));
			OB_LIT(&ob, "invalid value '");
			ob_put(&ob, value, cstr_len(value) < 32 ? cstr_len(value) : 32);
			OB_LIT(&ob, "' (a number from ");
			ob_u64(&ob, o->min);
			OB_LIT(&ob, " to ");
			ob_u64(&ob, o->max);
			OB_LIT(&ob, ")");
			return complain(2, "--", o->name, (struct str){ msg, ob.len });
		}
		*(uint64_t *)field = v;
	}
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	static const struct kernel_sigaction ignore = { .handler = SIG_IGN };
	struct config cfg = {
		.addr = "127.0.0.1", .dir = ".", .port = 8080, .max_conns = 1024,
		.header_timeout = 10, .idle_timeout = 5, .write_timeout = 30, .grace = 10,
	};
	struct net_addr addr;
	char text[NET_ADDR_TEXT_MAX];
	const char *step;
	(void)envp;

	int r = parse_args(argc, argv, &cfg);
	if (r)
		return r;
	if (cfg.help) {
		usage();
		return 0;
	}
	if (cfg.version) {
		static const char v[] = "scratchd " VERSION "\n";
		sys_write(1, v, sizeof(v) - 1);
		return 0;
	}
	if (net_parse_addr(cfg.addr, (uint16_t)cfg.port, &addr) < 0)
		return complain(2, "--addr", NULL, STR("not an IPv4 or IPv6 address"));

	int root = file_open_root(cfg.dir);
	if (root < 0)
		return complain(1, cfg.dir, NULL, err_message(root));
	int log_fd = cfg.no_log ? -1 : 1;
	if (cfg.log && !cfg.no_log) {
		/* O_APPEND: every worker's write lands whole at the end (open(2)) */
		log_fd = sys_openat(AT_FDCWD, cfg.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (log_fd < 0)
			return complain(1, "--log", cfg.log, err_message(log_fd));
	}
	/* A write to a client that has gone must fail with EPIPE, not kill us:
	 * write(2) and sendfile(2) both raise SIGPIPE otherwise. */
	if ((r = sys_rt_sigaction(SIGPIPE, &ignore, NULL)) < 0)
		return complain(1, "rt_sigaction", NULL, err_message(r));
	/* One listener per worker, all bound before we say we listen: the
	 * first picks the port (for --port 0), the others share it. */
	unsigned nworkers = cfg.workers ? (unsigned)cfg.workers : workers_cpu_count();
	static int lfds[WORKERS_MAX];
	for (unsigned i = 0; i < nworkers; i++) {
		text[net_fmt_addr(text, &addr)] = 0;
		lfds[i] = net_listen(&addr, nworkers > 1, &step);
		if (lfds[i] < 0)
			return complain(1, step, text, err_message(lfds[i]));
	}

	char line[64 + NET_ADDR_TEXT_MAX];
	struct outbuf ob;
	ob_init(&ob, line, sizeof(line));
	OB_LIT(&ob, "listening on http://");
	ob_put(&ob, text, net_fmt_addr(text, &addr));
	OB_LIT(&ob, "\n");
	if ((r = (int)sys_write(1, ob.p, ob.len)) < 0)
		return complain(1, "write", "stdout", err_message(r));

	struct server_config sc = {
		.listen_fd = lfds[0], .root_fd = root, .max_conns = (unsigned)cfg.max_conns,
		.header_timeout = (unsigned)cfg.header_timeout, .idle_timeout = (unsigned)cfg.idle_timeout,
		.write_timeout = (unsigned)cfg.write_timeout, .grace = (unsigned)cfg.grace,
		.log_fd = log_fd,
	};
	/* One worker: this process serves (and strace shows just that). */
	r = nworkers == 1 ? server_run(&sc) : workers_run(&sc, lfds, nworkers);
	if (r < 0)
		return complain(1, "event loop", NULL, err_message(r));
	return 0;
}
