/*
 * fcache.c - the file cache: small files served without opening them.
 *
 * Without it a small file costs openat2, fstat, read and close on every
 * request, most of the server's time. With it, the bytes, the ETag and
 * Last-Modified come from memory.
 *
 * A cache must never serve what the disk no longer says. Before a file is
 * read in, inotify(7) watches are put on every directory of its path and on
 * the file itself, so any rename, delete, write, truncate or chmod on the way
 * queues an event, and the event empties the whole cache (changes to a
 * served tree are rare; precision is not worth the code).
 *
 * The event is queued by the system call that made the change, and with it
 * the kernel sends us SIGIO (O_ASYNC, fcntl(2)), whose handler only sets a
 * flag. A signal is delivered before the process next returns to user mode,
 * so by the time a read(2) hands us a request sent after the change, the
 * flag is set, and the lookup empties the cache first: edit, then request,
 * and the new bytes are served, however long the current epoll batch has
 * run. (The inotify fd is also in the epoll set, which empties the cache
 * between batches; on its own that left a window: a request read late in a
 * batch that began before the change.) No system call per request.
 *
 * inotify sees only changes made through this kernel: not on NFS or FUSE
 * servers, not through a shared writable mmap. For those, an entry is used
 * without a look at the file only during the second (the server's tick) it
 * was read or checked in; after that the next request opens the file and
 * compares inode, size and mtime (fcache_revalidate), and reads it again if
 * they changed: at most about one second of staleness, and three calls per
 * hot file per second.
 */
#include "../syscall.h"
#include "beneath.h"
#include "fcache.h"
#include "mem.h"
#include "mime.h"

/* The changes that can alter what a cached path serves. Not IN_ACCESS nor
 * IN_OPEN: reading the files ourselves would then empty the cache. */
#define WATCH_MASK (IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | \
		    IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW)
/* ... and on a directory, a name created in it: an entry remembers which
 * precompressed siblings (FILE.br ...) its file has, and a new one must be
 * seen (a hard link or a symlink made there raises nothing else). */
#define DIR_WATCH_MASK (WATCH_MASK | IN_CREATE | IN_ONLYDIR)

/* Entries, with their names and bytes, are laid end to end in the arena,
 * and found through slot[]: so the pages a few hot files touch are few. */
static char arena[FCACHE_ARENA] __attribute__((aligned(8))) LARGE_BUFFER;
static size_t arena_used;
static uint32_t slot[FCACHE_SLOTS] LARGE_BUFFER;	/* 1 + the entry's offset in arena; 0: none */
static int inotify_fd = -1;	/* -1: no cache */
static int first_wd = 1;	/* the current watches are first_wd .. max_wd */
static int max_wd;		/* highest watch descriptor seen: new ones are higher */
static unsigned watches;
static volatile int signalled;	/* SIGIO came: an event may be queued */

static void on_sigio(int sig)
{
	(void)sig;
	signalled = 1;
}

_Static_assert(FCACHE_NAME_MAX <= 255, "name_len is a uint8_t");

static uint32_t generation;	/* flushes so far: entries from before one are gone */

uint32_t fcache_generation(void)
{
	return generation;
}

static void flush(void)
{
	generation++;
	arena_used = 0;
	memset(slot, 0, sizeof(slot));
}

int fcache_init(int epfd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data = tag };
	int fd, r;

	if ((r = sys_sigaction_handler(SIGIO, on_sigio)) < 0)
		return r;
	if ((fd = sys_inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return fd;
	/* SIGIO to this process (each worker has its own instance) whenever
	 * an event is queued. */
	if ((r = sys_fcntl(fd, F_SETOWN, sys_getpid())) < 0 ||
	    (r = sys_fcntl(fd, F_SETFL, O_NONBLOCK | O_ASYNC)) < 0 ||
	    (r = sys_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) < 0) {
		sys_close(fd);
		return r;
	}
	inotify_fd = fd;
	return 0;
}

/* Stop caching: the cache cannot know about changes any more. */
static void disable(void)
{
	flush();
	if (inotify_fd >= 0)
		sys_close(inotify_fd);	/* also leaves the epoll set */
	inotify_fd = -1;
}

void fcache_changed(void)
{
	/* One event of any kind is enough: drain them all (level-triggered
	 * epoll would report the fd again), then start afresh. The flag goes
	 * down first: an event queued during the drain raises it again.
	 * The buffer holds one event with the longest name, the least a read
	 * accepts (inotify(7): struct inotify_event is 16 bytes, then
	 * NAME_MAX + 1); more would only deepen the stack. */
	char events[16 + 255 + 1] __attribute__((aligned(8)));
	long n;

	signalled = 0;
	while ((n = sys_read(inotify_fd, events, sizeof(events))) > 0)
		;
	flush();
	if (n != -EAGAIN)
		disable();
}

/* FNV-1a: small, and good enough to spread paths over the slots. */
static uint32_t hash_path(struct str path)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < path.n; i++)
		h = (h ^ (unsigned char)path.p[i]) * 16777619u;
	return h;
}

struct fcache_entry *fcache_lookup(struct str path, int64_t now, int *fresh)
{
	if (signalled && inotify_fd >= 0)
		fcache_changed();	/* a change since the batch began */

	uint32_t h = hash_path(path);
	uint32_t at = slot[h % FCACHE_SLOTS];

	if (at == 0)
		return NULL;
	struct fcache_entry *e = (struct fcache_entry *)(arena + at - 1);
	if (e->hash != h || e->name_len != path.n || memcmp(e->name, path.p, path.n) != 0)
		return NULL;
	*fresh = e->loaded == now;
	return e;
}

int fcache_revalidate(struct fcache_entry *e, const struct stat_k *st, int64_t now)
{
	if (e->ino != st->st_ino || e->size != (uint64_t)st->st_size ||
	    e->mtime != (int64_t)st->st_mtime || e->mtime_nsec != (int64_t)st->st_mtime_nsec)
		return 0;
	e->loaded = now;
	e->variants_known = 0;	/* a second has passed: look for them again */
	return 1;
}

/* Watch name (relative to the working directory, the root) for mask. */
static int watch(const char *name, uint32_t mask)
{
	int wd = sys_inotify_add_watch(inotify_fd, name, mask);

	if (wd > max_wd) {	/* a new watch, not one we had */
		max_wd = wd;
		watches++;
	}
	return wd;
}

/* Watch the root, each directory of name[0..n) and the file itself. name is
 * a copy we may cut at each '/'. */
static int watch_path(char *name, size_t n)
{
	if (watches >= FCACHE_WATCH_MAX) {
		/* Watches of files long gone from the cache pile up: remove
		 * them all. Each removal queues an IN_IGNORED event, which
		 * empties the cache once; the watches below go on afresh. */
		for (int wd = first_wd; wd <= max_wd; wd++)
			sys_inotify_rm_watch(inotify_fd, wd);	/* EINVAL: gone already */
		first_wd = max_wd + 1;
		watches = 0;
	}
	if (watch(".", DIR_WATCH_MASK) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (name[i] != '/')
			continue;
		name[i] = '\0';
		int r = watch(name, DIR_WATCH_MASK);
		name[i] = '/';
		if (r < 0)
			return -1;
	}
	return watch(name, WATCH_MASK) < 0 ? -1 : 0;
}

COLD struct fcache_entry *fcache_fill(int root, struct str path, int64_t now)
{
	char name[FCACHE_NAME_MAX];
	struct stat_k st;

	if (inotify_fd < 0 || path.n >= sizeof(name))
		return NULL;
	memcpy(name, path.p, path.n);
	name[path.n] = '\0';
	/* Watches first, then open: a change after this point queues an
	 * event; one before it is in what we read. */
	if (watch_path(name, path.n) < 0)
		return NULL;
	int fd = beneath_open_no_symlinks(root, name);
	if (fd < 0)
		return NULL;
	if (sys_fstat(fd, &st) < 0 || (st.st_mode & S_IFMT) != S_IFREG ||
	    (uint64_t)st.st_size > FCACHE_FILE_MAX) {
		sys_close(fd);
		return NULL;
	}
	uint64_t size = (uint64_t)st.st_size;
	/* entry, name, bytes; the next entry 8-aligned */
	size_t need = (sizeof(struct fcache_entry) + path.n + size + 7) & ~(size_t)7;
	if (need > sizeof(arena) - arena_used)
		flush();	/* full: start again with what is asked now */
	struct fcache_entry *e = (struct fcache_entry *)(arena + arena_used);
	char *name_at = (char *)(e + 1), *data_at = name_at + path.n;
	int r = read_full(fd, data_at, size);
	sys_close(fd);
	if (r < 0)
		return NULL;

	uint32_t h = hash_path(path);
	e->hash = h;
	e->loaded = now;
	e->size = size;
	e->ino = st.st_ino;
	e->mtime = (int64_t)st.st_mtime;
	e->mtime_nsec = (int64_t)st.st_mtime_nsec;
	e->name = name_at;
	e->name_len = (uint8_t)path.n;
	memcpy(name_at, path.p, path.n);
	e->data = data_at;
	e->type = mime_type(path);
	e->variants = 0;
	e->variants_known = 0;
	e->etag_len = (uint8_t)etag_format(e->etag, st.st_ino, size, st.st_mtime, st.st_mtime_nsec);
	e->lm_time = last_modified(e->mtime, now);
	fmt_imf_date(e->lm, e->lm_time);
	slot[h % FCACHE_SLOTS] = (uint32_t)arena_used + 1;
	arena_used += need;
	return e;
}

unsigned fcache_entries(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < FCACHE_SLOTS; i++)
		n += slot[i] != 0;
	return n;
}
