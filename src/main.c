/*
 * main.c - scratchd's entry: options, document root, listening socket, loop.
 *
 *	scratchd [OPTIONS] [DIR]
 *
 * Nothing listens until every option is valid. Errors go to stderr as one
 * line; bad usage exits 2, a failure to start exits 1.
 */
#include "../syscall.h"
#include "auxv.h"
#include "beneath.h"
#include "cachectl.h"
#include "check.h"
#include "entry.h"
#include "err.h"
#include "errpage.h"
#include "file.h"
#include "logfile.h"
#include "logfmt.h"
#include "mem.h"
#include "metrics.h"
#include "mime.h"
#include "mimefile.h"
#include "net.h"
#include "ops.h"
#include "privdrop.h"
#include "realip.h"
#include "redirect.h"
#include "response.h"
#include "server.h"
#include "signer.h"
#include "site.h"
#include "str.h"
#include "tls_io.h"
#include "tls_load.h"
#include "workers.h"
#include "crypto/aesgcm.h"
#include "crypto/p256.h"

#define VERSION "0.1.0"
#ifndef BUILD_INFO
#define BUILD_INFO "unknown compiler"
#endif


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
	uint64_t no_seccomp;
	uint64_t no_file_cache;
	const char *index;
	uint64_t no_listing;
	const char *mime_types;
	uint64_t precompressed;
	const char *fallback;
	uint64_t clean_urls;
	uint64_t dotfiles;
	const char *user;
	const char *group;
	const char *chroot;
	const char *cert;
	const char *key;
	uint64_t redirect_http;	/* NOT_SET, or a port */
	uint64_t hsts;		/* NOT_SET, or max-age seconds */
	uint64_t metrics_public;
	uint64_t proxy_protocol;
	const char *check;	/* --check URL: a client, no server */
	uint64_t help;
	uint64_t version;
};

enum opt_kind { OPT_FLAG, OPT_NUM, OPT_STR, OPT_CALL };

#define NOT_SET UINT64_MAX	/* a number option that was not given */

static int add_header(const char *value);
static int add_mime(const char *value);
static int header_cache_control;	/* a --header named Cache-Control */

static const struct option {
	const char *name;	/* long name, without "--" */
	char short_name;	/* 0: none */
	enum opt_kind kind;
	size_t offset;		/* of the field in struct config */
	uint64_t min, max;	/* for OPT_NUM */
	const char *arg;	/* what the value is, for --help */
	const char *help;
	int (*call)(const char *value);	/* OPT_CALL, for each use: 0 or -errno */
} options[] = {
#define FIELD(f) .offset = offsetof(struct config, f)
	{ .name = "addr", .short_name = 'b', .kind = OPT_STR, FIELD(addr), .arg = "IP",
	  .help = "address to listen on, IPv4 or IPv6 (default 127.0.0.1; :: = all)" },
	{ .name = "bind", .kind = OPT_STR, FIELD(addr), .arg = "IP", .help = "same as --addr" },
	{ .name = "port", .short_name = 'p', .kind = OPT_NUM, FIELD(port), .max = 65535, .arg = "N",
	  .help = "TCP port (default 8080; 0 = any free port)" },
	{ .name = "workers", .short_name = 'w', .kind = OPT_NUM, FIELD(workers), .min = 1,
	  .max = WORKERS_MAX, .arg = "N", .help = "worker processes (default: the CPUs we may run on)" },
	{ .name = "max-conns", .kind = OPT_NUM, FIELD(max_conns), .min = 1, .max = 1u << 20,
	  .arg = "N", .help = "connections per worker (default 1024)" },
	{ .name = "header-timeout", .kind = OPT_NUM, FIELD(header_timeout), .min = 1, .max = 3600,
	  .arg = "SECS", .help = "time to send a request head, then its body (default 10)" },
	{ .name = "idle-timeout", .kind = OPT_NUM, FIELD(idle_timeout), .min = 1, .max = 3600,
	  .arg = "SECS", .help = "keep-alive idle time (default 5)" },
	{ .name = "write-timeout", .kind = OPT_NUM, FIELD(write_timeout), .min = 1, .max = 3600,
	  .arg = "SECS", .help = "time a client may stall a response (default 30)" },
	{ .name = "grace", .kind = OPT_NUM, FIELD(grace), .max = 3600, .arg = "SECS",
	  .help = "time in-flight responses get after SIGTERM (default 10)" },
	{ .name = "index", .kind = OPT_STR, FIELD(index), .arg = "NAME",
	  .help = "file served for a directory URL (default index.html)" },
	{ .name = "no-listing", .kind = OPT_FLAG, FIELD(no_listing),
	  .help = "answer 403 for a directory without one, instead of listing it" },
	{ .name = "header", .kind = OPT_CALL, .call = add_header, .arg = "'NAME: VALUE'",
	  .help = "add this field to every response (repeatable)" },
	{ .name = "mime", .kind = OPT_CALL, .call = add_mime, .arg = "EXT=TYPE",
	  .help = "serve *.EXT as TYPE (repeatable)" },
	{ .name = "mime-types", .kind = OPT_STR, FIELD(mime_types), .arg = "FILE",
	  .help = "more types from FILE, in /etc/mime.types format" },
	{ .name = "precompressed", .kind = OPT_FLAG, FIELD(precompressed),
	  .help = "serve FILE.br, FILE.zst or FILE.gz to clients that accept it" },
	{ .name = "error-page", .kind = OPT_CALL, .call = errpage_set, .arg = "CODE=PATH",
	  .help = "answer status CODE with the file PATH (repeatable)" },
	{ .name = "fallback", .kind = OPT_STR, FIELD(fallback), .arg = "PATH",
	  .help = "answer a missing page with the file PATH, 200 (single-page apps)" },
	{ .name = "clean-urls", .kind = OPT_FLAG, FIELD(clean_urls),
	  .help = "serve /about from about.html, and redirect /about.html there" },
	{ .name = "dotfiles", .kind = OPT_FLAG, FIELD(dotfiles),
	  .help = "serve and list names starting with '.' (hidden: 404)" },
	{ .name = "cache-control", .kind = OPT_CALL, .call = cachectl_add, .arg = "RULE",
	  .help = "'*.EXT=VALUE' or '/DIR/*=VALUE': Cache-Control (repeatable)" },
	{ .name = "log", .kind = OPT_STR, FIELD(log), .arg = "FILE",
	  .help = "append the access log to FILE (default: stdout)" },
	{ .name = "no-log", .kind = OPT_FLAG, FIELD(no_log), .help = "no access log" },
	{ .name = "log-format", .kind = OPT_CALL, .call = logfmt_set, .arg = "clf|json",
	  .help = "Combined Log Format (default), or one JSON object a line" },
	{ .name = "user", .kind = OPT_STR, FIELD(user), .arg = "NAME|UID",
	  .help = "after binding, run as this user (started as root)" },
	{ .name = "group", .kind = OPT_STR, FIELD(group), .arg = "NAME|GID",
	  .help = "and this group (default: the user's primary group)" },
	{ .name = "chroot", .kind = OPT_STR, FIELD(chroot), .arg = "DIR",
	  .help = "after binding, chroot to DIR (needs --user when root)" },
	{ .name = "no-file-cache", .kind = OPT_FLAG, FIELD(no_file_cache),
	  .help = "open small files for every request instead of keeping them" },
	{ .name = "cert", .kind = OPT_STR, FIELD(cert), .arg = "FILE",
	  .help = "serve HTTPS with this PEM certificate chain (leaf first)" },
	{ .name = "key", .kind = OPT_STR, FIELD(key), .arg = "FILE",
	  .help = "... and its PEM private key (ECDSA P-256)" },
	{ .name = "redirect-http", .kind = OPT_NUM, FIELD(redirect_http), .max = 65535, .arg = "PORT",
	  .help = "also listen for plain HTTP on PORT: 308 to https://" },
	{ .name = "hsts", .kind = OPT_NUM, FIELD(hsts), .max = 1u << 30, .arg = "SECONDS",
	  .help = "send Strict-Transport-Security: max-age=SECONDS over HTTPS" },
	{ .name = "health-path", .kind = OPT_CALL, .call = ops_set_health, .arg = "PATH",
	  .help = "answer GET PATH with 200 \"ok\", whatever the root holds" },
	{ .name = "metrics-path", .kind = OPT_CALL, .call = ops_set_metrics, .arg = "PATH",
	  .help = "Prometheus metrics at PATH (to loopback, --trusted-proxy)" },
	{ .name = "metrics-public", .kind = OPT_FLAG, FIELD(metrics_public),
	  .help = "... to every client" },
	{ .name = "trusted-proxy", .kind = OPT_CALL, .call = realip_add, .arg = "CIDR",
	  .help = "take the client from X-Forwarded-For/Forwarded (repeatable)" },
	{ .name = "proxy-protocol", .kind = OPT_FLAG, FIELD(proxy_protocol),
	  .help = "every connection starts with a PROXY header (v1 or v2)" },
	{ .name = "check", .kind = OPT_STR, FIELD(check), .arg = "URL",
	  .help = "no server: GET http://IP[:PORT]/PATH, exit 0 on 2xx" },
	{ .name = "no-seccomp", .kind = OPT_FLAG, FIELD(no_seccomp),
	  .help = "do not confine workers with seccomp (debugging)" },
	{ .name = "help", .short_name = 'h', .kind = OPT_FLAG, FIELD(help), .help = "show this help" },
	{ .name = "version", .kind = OPT_FLAG, FIELD(version), .help = "show the version" },
#undef FIELD
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

/* --header 'Name: value' */
static int add_header(const char *value)
{
	const char *colon = value;

	while (*colon && *colon != ':')
		colon++;
	if (!*colon)
		return -EINVAL;
	const char *v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	if (str_ieq((struct str){ value, (size_t)(colon - value) }, STR("cache-control")))
		header_cache_control = 1;	/* instead of the default no-cache */
	return resp_add_extra_header((struct str){ value, (size_t)(colon - value) },
				     (struct str){ v, cstr_len(v) });
}

/* --mime EXT=TYPE */
static int add_mime(const char *value)
{
	const char *eq = value;

	while (*eq && *eq != '=')
		eq++;
	if (!*eq)
		return -EINVAL;
	return mime_add((struct str){ value, (size_t)(eq - value) }, (struct str){ eq + 1, cstr_len(eq + 1) });
}

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

/* Not inlined: its 4 KiB buffer would stay in main's frame, under the
 * whole server's stack, for the life of the process. */
static __attribute__((noinline)) void usage(void)
{
	char buf[4096];
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
	OB_LIT(&ob, "\nPrints 'listening on http://IP:PORT' (https:// with --cert) once ready.\n"
		    "SIGTERM or SIGINT: stop accepting, finish in-flight responses, exit 0.\n"
		    "SIGHUP (with --cert): read the certificate and key again; a bad pair is refused\n"
		    "and the old one stays in use. SIGHUP or SIGUSR1: reopen the --log file.\n");
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

/* The value of NAME in envp ("NAME=value"), or NULL. */
static const char *env_get(char **envp, const char *name)
{
	size_t n = cstr_len(name);

	for (; *envp; envp++)
		if (memcmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/*
 * systemd socket activation (sd_listen_fds(3)): when LISTEN_PID is our pid,
 * LISTEN_FDS sockets start at fd 3. Returns how many (0: not activated), or
 * -errno after the sockets cannot be made non-blocking.
 */
static int activated_listeners(char **envp, int *fds)
{
	const char *pid = env_get(envp, "LISTEN_PID"), *nfds = env_get(envp, "LISTEN_FDS");
	uint64_t p, n;

	if (!pid || !nfds || parse_u64((struct str){ pid, cstr_len(pid) }, 1u << 30, &p) < 0 ||
	    p != (uint64_t)sys_getpid() || parse_u64((struct str){ nfds, cstr_len(nfds) }, 64, &n) < 0)
		return 0;
	if (n > SERVER_MAX_LISTEN)
		n = SERVER_MAX_LISTEN;
	for (unsigned i = 0; i < n; i++) {
		int fd = 3 + (int)i, fl = sys_fcntl(fd, F_GETFL, 0);

		if (fl < 0 || (fl = sys_fcntl(fd, F_SETFL, fl | O_NONBLOCK)) < 0)
			return fl;
		fds[i] = fd;
	}
	return (int)n;
}

/* Raise the soft RLIMIT_NOFILE to the hard one, and lower max_conns so a
 * worker can hold them all: a socket and a file each, plus a few of its own. */
static void fit_descriptors(uint64_t *max_conns)
{
	struct rlimit64 lim;

	if (sys_prlimit64(0, RLIMIT_NOFILE, NULL, &lim) < 0)
		return;
	if (lim.rlim_cur < lim.rlim_max) {
		uint64_t soft = lim.rlim_cur;

		lim.rlim_cur = lim.rlim_max;
		if (sys_prlimit64(0, RLIMIT_NOFILE, &lim, NULL) < 0)
			lim.rlim_cur = soft;	/* keep what we have */
	}
	if (lim.rlim_cur < 64)
		return;
	uint64_t fit = (lim.rlim_cur - 32) / 2;
	if (*max_conns > fit) {
		char msg[96];
		struct outbuf ob;

		*max_conns = fit;
		ob_init(&ob, msg, sizeof(msg));
		OB_LIT(&ob, "scratchd: --max-conns lowered to ");
		ob_u64(&ob, fit);
		OB_LIT(&ob, " to fit RLIMIT_NOFILE\n");
		put_line(2, &ob);
	}
}

/* "scratchd: --NAME: invalid value 'VALUE' (NOTE)" and status 2. */
static int bad_value(const struct option *o, const char *value, const char *note)
{
	char opt[40], msg[160];
	struct outbuf ob;

	ob_init(&ob, opt, sizeof(opt) - 1);
	OB_LIT(&ob, "--");
	put_cstr(&ob, o->name);
	opt[ob.len] = 0;
	ob_init(&ob, msg, sizeof(msg));
	OB_LIT(&ob, "invalid value '");
	ob_put(&ob, value, cstr_len(value) < 64 ? cstr_len(value) : 64);
	OB_LIT(&ob, "'");
	if (note) {
		OB_LIT(&ob, " (");
		put_cstr(&ob, note);
		OB_LIT(&ob, ")");
	}
	return complain(2, opt, NULL, (struct str){ msg, ob.len });
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
		if (o->kind == OPT_CALL) {
			int e = o->call(value);
			if (e < 0)
				return bad_value(o, value, e == -ENOBUFS ? "past the limit" : NULL);
			continue;
		}
		uint64_t v;
		if (parse_u64((struct str){ value, cstr_len(value) }, o->max, &v) < 0 || v < o->min) {
			char range[48];
			struct outbuf ob;

			ob_init(&ob, range, sizeof(range) - 1);
			OB_LIT(&ob, "a number from ");
			ob_u64(&ob, o->min);
			OB_LIT(&ob, " to ");
			ob_u64(&ob, o->max);
			range[ob.len] = 0;
			return bad_value(o, value, range);
		}
		*(uint64_t *)field = v;
	}
	return 0;
}

/* The supervisor's SIGHUP with --cert: load the pair again (tls_load.h). */
static struct tls_files tls_files;

static void reload_tls(void)
{
	char line[512];
	struct outbuf ob;

	ob_init(&ob, line, sizeof(line) - 1);
	OB_LIT(&ob, "scratchd: SIGHUP: ");
	if (tls_load(&tls_files, &ob) == 0)
		OB_LIT(&ob, "certificate and key reloaded");
	else
		OB_LIT(&ob, "; keeping the certificate and key in use");
	OB_LIT(&ob, "\n");
	put_line(2, &ob);
}

/* Listen on addr with one socket per worker (SO_REUSEPORT), or one in all:
 * fds[i * stride] for worker i. The first picks the port (for --port 0);
 * addr gets it. Returns 0, or the exit status after saying why. */
static int listen_all(struct net_addr *addr, unsigned nworkers, int *fds, unsigned stride)
{
	char text[NET_ADDR_TEXT_MAX];
	const char *step;

	for (unsigned i = 0; i < nworkers; i++) {
		int fd = net_listen(addr, nworkers == 1 ? 0 : i == 0 ? NET_REUSEPORT_FIRST : NET_REUSEPORT, &step);

		if (fd < 0) {
			text[net_fmt_addr(text, addr)] = 0;
			return complain(1, step, text, err_message(fd));
		}
		fds[i * stride] = fd;
	}
	return 0;
}

/* "listening on SCHEME://IP:PORT" on stdout. */
static int say_listening(const char *scheme, const struct net_addr *addr)
{
	char line[64 + NET_ADDR_TEXT_MAX], text[NET_ADDR_TEXT_MAX];
	struct outbuf ob;
	int r;

	ob_init(&ob, line, sizeof(line));
	OB_LIT(&ob, "listening on ");
	put_cstr(&ob, scheme);
	OB_LIT(&ob, "://");
	ob_put(&ob, text, net_fmt_addr(text, addr));
	OB_LIT(&ob, "\n");
	if ((r = (int)sys_write(1, ob.p, ob.len)) < 0)
		return complain(1, "write", "stdout", err_message(r));
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	static const struct kernel_sigaction ignore = { .handler = SIG_IGN };
	static int lfds[2 * WORKERS_MAX];		/* main returns only when the server is done */
	static uint8_t kinds[2 * WORKERS_MAX];
	static int signer_fds[WORKERS_MAX];
	struct config cfg = {
		.addr = "127.0.0.1", .dir = ".", .port = 8080, .max_conns = 1024,
		.header_timeout = 10, .idle_timeout = 5, .write_timeout = 30, .grace = 10,
		.redirect_http = NOT_SET, .hsts = NOT_SET,
	};
	struct net_addr addr, redirect_addr;
	const char *step;

	int r = parse_args(argc, argv, &cfg);
	if (r)
		return r;
	if (cfg.help) {
		usage();
		return 0;
	}
	if (cfg.version) {
		static const char v[] = "scratchd " VERSION " (" SYS_ARCH_NAME ")\n"
					"built with " BUILD_INFO ", freestanding, static, no libc\n";
		sys_write(1, v, sizeof(v) - 1);
		return 0;
	}
	if (cfg.check)		/* a health check, in an image with no curl (check.h) */
		return check_run(cfg.check);
	if (cfg.metrics_public)
		ops_metrics_public();
	const char *clash_why, *clash = ops_check(&clash_why);
	if (clash)
		return complain(2, clash, NULL, (struct str){ clash_why, cstr_len(clash_why) });
	if (net_parse_addr(cfg.addr, (uint16_t)cfg.port, &addr) < 0)
		return complain(2, "--addr", NULL, STR("not an IPv4 or IPv6 address"));
	int tls = cfg.cert != NULL;
	if (!cfg.cert != !cfg.key)
		return complain(2, cfg.cert ? "--cert" : "--key", NULL, STR("--cert and --key go together"));
	if (!tls && cfg.redirect_http != NOT_SET)
		return complain(2, "--redirect-http", NULL, STR("needs --cert and --key"));
	if (!tls && cfg.hsts != NOT_SET)
		return complain(2, "--hsts", NULL, STR("needs --cert and --key"));
	redirect_addr = addr;
	if (cfg.redirect_http != NOT_SET)
		net_parse_addr(cfg.addr, (uint16_t)cfg.redirect_http, &redirect_addr);

	/* Root can leave a chroot (chroot(2) NOTES): one without a user change
	 * would only look safe. */
	if (cfg.chroot && !cfg.user && sys_getuid() == 0)
		return complain(2, "--chroot", NULL, STR("needs --user when running as root"));
	struct privdrop priv = { .chroot_dir = cfg.chroot };
	const char *what;
	if ((cfg.user || cfg.group) && (r = priv_resolve(cfg.user, cfg.group, &priv, &what)) < 0)
		return complain(1, cfg.user ? "--user/--group" : "--group", what,
				r == -ENOENT ? STR("no such user or group") : err_message(r));
	if (site_set_index(cfg.index ? cfg.index : "index.html", !cfg.no_listing) < 0)
		return complain(2, "--index", cfg.index, STR("not a file name"));
	site_set_options((int)cfg.precompressed, (int)cfg.clean_urls, (int)cfg.dotfiles);
	if (cfg.fallback && site_set_fallback(cfg.fallback) < 0)
		return complain(2, "--fallback", cfg.fallback, STR("not a file path inside the root"));
	if (header_cache_control && cachectl_count())
		return complain(2, "--cache-control", NULL, STR("not with --header 'Cache-Control: ...'"));
	if (header_cache_control)
		cachectl_no_default();
	if (cfg.mime_types) {	/* before any chroot: the path is the operator's */
		char why[160];
		struct outbuf ob;

		ob_init(&ob, why, sizeof(why));
		if ((r = mime_types_load(cfg.mime_types, &ob)) < 0)
			return complain(1, "--mime-types", cfg.mime_types,
					ob.len ? (struct str){ why, ob.len } : err_message(r));
	}
	fit_descriptors(&cfg.max_conns);
	unsigned nworkers = cfg.workers ? (unsigned)cfg.workers : workers_cpu_count();
	int nlisten = activated_listeners(envp, lfds);
	if (nlisten < 0)
		return complain(1, "socket activation", NULL, err_message(nlisten));
	if (nlisten && cfg.redirect_http != NOT_SET)
		return complain(2, "--redirect-http", NULL, STR("not with socket activation: activate that port too"));

	/* HTTPS: the signer first, while this process holds nothing else it
	 * could inherit; then the certificate, and the key through it. */
	struct tls_worker tls_worker = { .signer_fd = -1 };
	int signer_pid = 0;
	if (tls) {
		int control;
		long m;

		tls_worker.aes_gcm = aesgcm_cpu_init(auxv_value(envp, AT_HWCAP));
		if ((signer_pid = signer_start(nworkers, signer_fds, &control, cfg.no_seccomp)) < 0)
			return complain(1, "signer", NULL, err_message(signer_pid));
		m = sys_mmap(NULL, sizeof(struct tls_store), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (SYS_IS_ERR(m))
			return complain(1, "mmap", NULL, err_message(m));
		tls_files = (struct tls_files){ cfg.cert, cfg.key, control, (struct tls_store *)m };
		tls_worker.store = tls_files.store;
		char why[512];
		struct outbuf ob;
		ob_init(&ob, why, sizeof(why));
		if (tls_load(&tls_files, &ob) < 0)
			return complain(1, "cannot serve HTTPS", NULL, (struct str){ ob.p, ob.len });
		if (cfg.hsts != NOT_SET)
			resp_set_hsts(cfg.hsts);
		/* G's table (148 KiB) built once here, before the workers fork,
		 * so they share its pages rather than each building its own at
		 * its first P-256 key share */
		p256_precompute();
	}

	int root = beneath_open_root(cfg.dir);
	if (root < 0)
		return complain(1, cfg.dir, NULL, err_message(root));
	errpage_set_root(root);
	if (beneath_walk_mode())
		complain(0, "openat2", NULL, STR("not available (ENOSYS): opening files one path component "
						 "at a time with O_NOFOLLOW; symlinks will not be served"));
	int log_fd = cfg.no_log ? -1 : 1;
	if (cfg.log && !cfg.no_log) {
		/* O_APPEND: every worker's write lands whole at the end (open(2)) */
		log_fd = sys_openat(AT_FDCWD, cfg.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (log_fd < 0)
			return complain(1, "--log", cfg.log, err_message(log_fd));
		/* reopened by the supervisor on SIGHUP/SIGUSR1 (logfile.h) */
		if ((r = logfile_setup(cfg.log, nworkers)) < 0)
			return complain(1, "--log", cfg.log, err_message(r));
	}
	/* the counters, shared by the workers forked below (metrics.h) */
	if (ops_metrics_on() && (r = metrics_setup(nworkers)) < 0)
		return complain(1, "--metrics-path", NULL, err_message(r));
	/* A write to a client that has gone must fail with EPIPE, not kill us:
	 * write(2) and sendfile(2) both raise SIGPIPE otherwise. */
	if ((r = sys_rt_sigaction(SIGPIPE, &ignore, NULL)) < 0)
		return complain(1, "rt_sigaction", NULL, err_message(r));
	/* SIGHUP and SIGUSR1 reopen the log, which only a supervisor does (it
	 * reads them from its signalfd): one serving process has no log file to
	 * reopen, and must not die of them (their default action). */
	if ((r = sys_rt_sigaction(SIGHUP, &ignore, NULL)) < 0 || (r = sys_rt_sigaction(SIGUSR1, &ignore, NULL)) < 0)
		return complain(1, "rt_sigaction", NULL, err_message(r));
	/* Listeners: one (or, with --redirect-http, two) per worker, all bound
	 * before we say we listen. */
	unsigned per_worker = cfg.redirect_http != NOT_SET ? 2 : 1;
	if (nlisten == 0) {
		if ((r = listen_all(&addr, nworkers, lfds, per_worker)) != 0)
			return r;
		for (unsigned i = 0; i < nworkers; i++)
			kinds[i * per_worker] = tls ? LISTEN_TLS : LISTEN_HTTP;
		if (per_worker == 2) {
			if ((r = listen_all(&redirect_addr, nworkers, lfds + 1, 2)) != 0)
				return r;
			for (unsigned i = 0; i < nworkers; i++)
				kinds[i * 2 + 1] = LISTEN_REDIRECT;
			redirect_set(net_port(&addr), net_is_unspecified(&addr) ? NULL : cfg.addr);
		}
	} else {
		for (int i = 0; i < nlisten; i++)
			kinds[i] = tls ? LISTEN_TLS : LISTEN_HTTP;
	}
	/* Bound, root, log: all open. Now give up what is no longer needed. */
	if ((priv.chroot_dir || priv.change_user || priv.change_group) && (r = priv_drop(&priv, &step)) < 0)
		return complain(1, step, NULL, err_message(r));
	/* The file cache names directories to inotify_add_watch(2) by paths
	 * relative to the working directory: make it the document root. */
	if ((r = sys_fchdir(root)) < 0)
		return complain(1, "fchdir", cfg.dir, err_message(r));
	for (int i = 0; i < (nlisten ? nlisten : 1); i++) {
		if (nlisten) {
			addr.len = sizeof(addr.sa);
			if ((r = sys_getsockname(lfds[i], &addr.sa, &addr.len)) < 0 ||
			    (addr.sa.family != AF_INET && addr.sa.family != AF_INET6))
				return complain(1, "socket activation", NULL,
						STR("a passed descriptor is not a TCP socket"));
		}
		if ((r = say_listening(tls ? "https" : "http", &addr)) != 0)
			return r;
	}
	if (per_worker == 2 && (r = say_listening("http", &redirect_addr)) != 0)
		return r;

	struct server_config sc = {
		.listen_fds = lfds, .listen_kind = kinds, .nlisten = nlisten ? (unsigned)nlisten : per_worker,
		.shared_listeners = nlisten > 0, .root_fd = root, .max_conns = (unsigned)cfg.max_conns,
		.header_timeout = (unsigned)cfg.header_timeout, .idle_timeout = (unsigned)cfg.idle_timeout,
		.write_timeout = (unsigned)cfg.write_timeout, .grace = (unsigned)cfg.grace,
		.log_fd = log_fd, .seccomp = !cfg.no_seccomp, .walk = beneath_walk_mode(),
		.file_cache = !cfg.no_file_cache, .tls = tls ? &tls_worker : NULL,
		.proxy_protocol = (int)cfg.proxy_protocol, .log_sock = -1,
	};
	struct supervision sup = {
		.per_worker = per_worker, .signer_fds = tls ? signer_fds : NULL, .signer_pid = signer_pid,
		.signer_control = tls ? tls_files.signer : -1, .reload = tls ? reload_tls : NULL,
	};
	/* One worker and no signer: this process serves (and strace shows
	 * just that). With HTTPS the supervisor stays, for SIGHUP. */
	int alone = nworkers == 1 && !tls && !logfile_active();	/* --log: a supervisor reopens it */
	r = alone ? server_run(&sc) : workers_run(&sc, lfds, nworkers, &sup);
	if (r < 0)
		return complain(1, alone ? "event loop" : "workers",
				cfg.no_seccomp || !alone ? NULL : "(or seccomp: try --no-seccomp)",
				err_message(r));
	return r;
}
