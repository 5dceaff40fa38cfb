/*
 * logfile.h - the --log file, reopened on SIGHUP and SIGUSR1 in every
 * worker (logrotate's postrotate; nginx uses USR1 for this), without
 * giving a worker the right to open a file.
 *
 * Workers run under seccomp and open nothing but files beneath the
 * document root, read-only. So the supervisor, which is not confined,
 * opens the log file again, by the name it was given, relative to the
 * directory it was first opened in (a directory descriptor taken at start,
 * so --chroot and the change to the document root's directory do not move
 * it); then sends the new descriptor to every worker over a socketpair
 * (SCM_RIGHTS, unix(7)), one per worker, made before the workers fork.
 * A worker's filter lets it receive on its own socket (recvmsg, with
 * MSG_CMSG_CLOEXEC) and nothing more: it never names a file. With --log
 * there is therefore always a supervisor, even with --workers 1.
 *
 * A worker that receives a descriptor writes what it has buffered to the
 * old file, closes it and writes to the new one from then on: its lines
 * are whole (O_APPEND, and a line is only ever written whole) and each is
 * in one of the two files. If the file cannot be opened again, the old
 * one is kept and the supervisor says so on stderr.
 */
#ifndef SCRATCHD_LOGFILE_H
#define SCRATCHD_LOGFILE_H

#include "log.h"

/* In main, once the log file is open and before any fork: the directory
 * of path and one socketpair per worker. Returns 0 or -errno. */
int logfile_setup(const char *path, unsigned nworkers);

/* 1 when logfile_setup succeeded. */
int logfile_active(void);

/* In worker i: close what belongs to the supervisor and the other
 * workers; returns worker i's socket, or -1 when there is none. */
int logfile_worker(unsigned i);

/* In the supervisor, on signal signo: open the file again, send it to
 * every worker whose pid is not 0, and make it *log_fd (which workers
 * started later inherit). Says on stderr what happened. */
void logfile_reopen(int signo, int *log_fd, const int *pids, unsigned n);

/* In a worker, its socket readable: take the newest descriptor sent and
 * switch log to it, after writing out what is buffered. */
void logfile_receive(struct access_log *log, int sock);

#endif
