/*
 * logfile.c - the --log file reopened by the supervisor and handed to
 * the workers (logfile.h).
 *
 *	supervisor (SIGHUP or SIGUSR1 from its signalfd):
 *	  openat(dirfd, "access.log", O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC, 0644) = 9
 *	  sendmsg(sock[i], {1 byte, SCM_RIGHTS [9]}, MSG_NOSIGNAL)	for each worker
 *	  close(old)
 *	worker (its socket readable, in the epoll set):
 *	  recvmsg(sock, {SCM_RIGHTS [12]}, MSG_CMSG_CLOEXEC) = 1
 *	  write(old, buffered lines); close(old)
 */
#include "../syscall.h"
#include "err.h"
#include "logfile.h"
#include "mem.h"
#include "str.h"

#define LOGFILE_FLAGS	(O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC)
#define LOGFILE_WORKERS	256	/* WORKERS_MAX */
#define LOGFILE_DIR_MAX	4096	/* PATH_MAX */

static int dir_fd = -1;
static const char *name;	/* the file's name in dir_fd */
static const char *path;	/* as given, for messages */
static int sup_end[LOGFILE_WORKERS], worker_end[LOGFILE_WORKERS];
static unsigned nsocks;

int logfile_setup(const char *file, unsigned nworkers)
{
	static char dir[LOGFILE_DIR_MAX];
	size_t n = cstr_len(file), slash = n;
	int r;

	while (slash > 0 && file[slash - 1] != '/')
		slash--;
	if (slash == n)
		return -EISDIR;		/* "logs/": no file name */
	if (slash >= sizeof(dir))
		return -ENAMETOOLONG;
	if (slash == 0) {
		dir[0] = '.', dir[1] = 0;
	} else {
		memcpy(dir, file, slash);
		dir[slash] = 0;		/* "/var/log/" is as good as "/var/log" */
	}
	if ((dir_fd = sys_openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0)) < 0)
		return dir_fd;
	if (nworkers > LOGFILE_WORKERS)
		return -EINVAL;
	for (nsocks = 0; nsocks < nworkers; nsocks++) {
		int sv[2];

		if ((r = sys_socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv)) < 0)
			return r;
		sup_end[nsocks] = sv[0];
		worker_end[nsocks] = sv[1];
	}
	name = file + slash;
	path = file;
	return 0;
}

int logfile_active(void)
{
	return name != NULL;
}

int logfile_worker(unsigned i)
{
	if (!name)
		return -1;
	sys_close(dir_fd);
	for (unsigned j = 0; j < nsocks; j++) {
		sys_close(sup_end[j]);
		if (j != i)
			sys_close(worker_end[j]);
	}
	return i < nsocks ? worker_end[i] : -1;
}

/* A message with one descriptor: one byte, and the fd as SCM_RIGHTS. */
struct fd_msg {
	struct msghdr msg;
	struct iovec iov;
	char byte;
	union {
		struct cmsghdr h;
		uint8_t space[CMSG_ONE_FD_SPACE];
	} cmsg;
};

static void fd_msg_init(struct fd_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->iov = (struct iovec){ &m->byte, 1 };
	m->msg.msg_iov = &m->iov;
	m->msg.msg_iovlen = 1;
	m->msg.msg_control = &m->cmsg;
	m->msg.msg_controllen = sizeof(m->cmsg);
}

/* "scratchd: SIGHUP: --log FILE" WHAT DETAIL TAIL on stderr, one line. */
static void say(int signo, struct str what, struct str detail, struct str tail)
{
	char buf[512];
	struct outbuf ob;

	ob_init(&ob, buf, sizeof(buf) - 1);
	OB_LIT(&ob, "scratchd: ");
	if (signo == SIGHUP)
		OB_LIT(&ob, "SIGHUP: --log ");
	else
		OB_LIT(&ob, "SIGUSR1: --log ");
	ob_put(&ob, path, cstr_len(path) < 256 ? cstr_len(path) : 256);
	ob_str(&ob, what);
	ob_str(&ob, detail);
	ob_str(&ob, tail);
	if (ob.overflow)
		ob.len = sizeof(buf) - 1;
	buf[ob.len++] = '\n';
	sys_write(2, buf, ob.len);
}

void logfile_reopen(int signo, int *log_fd, const int *pids, unsigned n)
{
	int fd = sys_openat(dir_fd, name, LOGFILE_FLAGS, 0644);

	if (fd < 0) {
		say(signo, STR(": "), err_message(fd), STR("; keeping the old log file"));
		return;
	}
	unsigned missed = 0;
	for (unsigned i = 0; i < n && i < nsocks; i++) {
		struct fd_msg m;

		if (pids[i] <= 0)
			continue;	/* not running: the next one inherits the new file */
		fd_msg_init(&m);
		m.cmsg.h.cmsg_len = sizeof(struct cmsghdr) + sizeof(int);
		m.cmsg.h.cmsg_level = SOL_SOCKET;
		m.cmsg.h.cmsg_type = SCM_RIGHTS;
		memcpy(m.cmsg.space + sizeof(struct cmsghdr), &fd, sizeof(fd));
		if (sys_sendmsg(sup_end[i], &m.msg, MSG_NOSIGNAL) != 1)
			missed++;	/* its socket is full: a worker that reads nothing */
	}
	sys_close(*log_fd);
	*log_fd = fd;
	if (missed)
		say(signo, STR(" reopened; a worker could not be told (its socket is full)"), STR(""), STR(""));
	else
		say(signo, STR(" reopened"), STR(""), STR(""));
}

void logfile_receive(struct access_log *log, int sock)
{
	int newest = -1;

	for (;;) {
		struct fd_msg m;
		int fd = -1;

		fd_msg_init(&m);
		long n = sys_recvmsg(sock, &m.msg, MSG_CMSG_CLOEXEC);
		if (n == 0)
			sys_close(sock);	/* the supervisor is gone: stop watching (level-triggered) */
		if (n <= 0)
			break;	/* -EAGAIN: all taken */
		if (m.msg.msg_controllen >= sizeof(struct cmsghdr) + sizeof(int) &&
		    m.cmsg.h.cmsg_level == SOL_SOCKET && m.cmsg.h.cmsg_type == SCM_RIGHTS)
			memcpy(&fd, m.cmsg.space + sizeof(struct cmsghdr), sizeof(fd));
		if (fd < 0)
			continue;
		if (newest >= 0)
			sys_close(newest);	/* two reopens before we looked: the last wins */
		newest = fd;
	}
	if (newest < 0)
		return;
	log_flush(log);		/* every buffered line to the old file */
	if (log->fd > 2)
		sys_close(log->fd);
	log->fd = newest;
}
