/*
 * privdrop.c - give up root: user and group lookup without libc (the
 * passwd(5) and group(5) formats), then chroot(2), setgroups(2), setgid(2),
 * setuid(2).
 */
#include "../syscall.h"
#include "privdrop.h"
#include "str.h"
#include "mem.h"

static char db[PRIV_DB_MAX] SCRATCH_BUFFER;

/* Read the whole file path into db. Returns its length or -errno. */
static long read_db(const char *path)
{
	int fd = sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	size_t len = 0;

	if (fd < 0)
		return fd;
	for (;;) {
		long n = sys_read(fd, db + len, sizeof(db) - len);

		if (n < 0 || (n > 0 && len + (size_t)n == sizeof(db))) {
			sys_close(fd);
			return n < 0 ? n : -ENOBUFS;	/* larger than PRIV_DB_MAX */
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	sys_close(fd);
	return (long)len;
}

/* The field'th ':'-separated field of line. */
static struct str field(struct str line, int field)
{
	const char *p = line.p, *end = line.p + line.n;

	for (; field > 0 && p < end; p++)
		if (*p == ':')
			field--;
	const char *f = p;
	while (p < end && *p != ':')
		p++;
	return (struct str){ f, (size_t)(p - f) };
}

/*
 * Find the entry of the file path (passwd or group) whose name, or whose id
 * (field id_field) when key is a number, is key; return its fields id_field
 * and, for passwd, the primary group. Returns 0 or -errno.
 */
static int lookup(const char *path, const char *key, int id_field, uint32_t *id, uint32_t *gid)
{
	struct str k = { key, cstr_len(key) };
	uint64_t num;
	int numeric = parse_u64(k, 0xfffffffe, &num) == 0;
	long len = read_db(path);

	if (len < 0 && !numeric)
		return (int)len;
	if (len < 0)
		len = 0;	/* no file: a number is still an id */
	for (const char *p = db, *end = db + len; p < end;) {
		const char *nl = p;

		while (nl < end && *nl != '\n')
			nl++;
		struct str line = { p, (size_t)(nl - p) };
		p = nl + 1;
		uint64_t v, g;
		if (parse_u64(field(line, id_field), 0xfffffffe, &v) < 0)
			continue;
		if (numeric ? v == num : str_eq(field(line, 0), k)) {
			*id = (uint32_t)v;
			if (gid && parse_u64(field(line, 3), 0xfffffffe, &g) == 0)
				*gid = (uint32_t)g;
			return 0;
		}
	}
	if (!numeric)
		return -ENOENT;
	*id = (uint32_t)num;	/* a number not in the file is still an id */
	return 0;
}

int priv_resolve(const char *user, const char *group, struct privdrop *p, const char **what)
{
	int r;

	p->change_user = user != NULL;
	p->change_group = user != NULL || group != NULL;
	if (user) {
		uint32_t gid = (uint32_t)-1;

		*what = user;
		if ((r = lookup("/etc/passwd", user, 2, &p->uid, &gid)) < 0)
			return r;
		p->gid = gid;
		if (gid == (uint32_t)-1 && !group)
			return -ENOENT;		/* a bare uid has no primary group: need --group */
	}
	if (group) {
		*what = group;
		if ((r = lookup("/etc/group", group, 2, &p->gid, NULL)) < 0)
			return r;
	}
	return 0;
}

int priv_drop(const struct privdrop *p, const char **step)
{
	int r;

	if (p->chroot_dir) {
		*step = "chroot";
		if ((r = sys_chroot(p->chroot_dir)) < 0)
			return r;
		*step = "chdir";
		if ((r = sys_chdir("/")) < 0)
			return r;
	}
	if (p->change_group) {
		*step = "setgroups";	/* drop root's supplementary groups */
		if ((r = sys_setgroups(0, NULL)) < 0)
			return r;
		*step = "setgid";
		if ((r = sys_setgid(p->gid)) < 0)
			return r;
	}
	if (p->change_user) {
		*step = "setuid";
		if ((r = sys_setuid(p->uid)) < 0)
			return r;
		*step = "setuid(0) after the drop";
		if (p->uid != 0 && sys_setuid(0) != -EPERM)
			return -EPERM;	/* the drop did not hold: refuse to run */
	}
	return 0;
}
