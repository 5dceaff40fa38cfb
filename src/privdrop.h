/* privdrop.h - from root to an unprivileged user, optionally in a chroot. */
#ifndef SCRATCHD_PRIVDROP_H
#define SCRATCHD_PRIVDROP_H

#include <stdint.h>

#define PRIV_DB_MAX (256 * 1024)	/* bytes of /etc/passwd or /etc/group read */

struct privdrop {
	uint32_t uid, gid;
	int change_user, change_group;
	const char *chroot_dir;		/* NULL: none */
};

/* Resolve user (a name from /etc/passwd, or a number) and group (a name from
 * /etc/group, or a number; default: the user's primary group) into p. Reads
 * the files itself, so call it before chroot. Returns 0 or -errno (-ENOENT:
 * no such user or group) and sets *what to the name that failed. */
int priv_resolve(const char *user, const char *group, struct privdrop *p, const char **what);

/*
 * chroot(p->chroot_dir) and chdir("/") if asked, then setgroups(0, NULL),
 * setgid, setuid, in that order (setuid last: afterwards the others are no
 * longer allowed), and check that the drop holds: setuid(0) must now fail.
 * Returns 0 or -errno and sets *step to the call that failed.
 */
int priv_drop(const struct privdrop *p, const char **step);

#endif
