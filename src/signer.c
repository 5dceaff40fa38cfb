/*
 * signer.c - the key process (see signer.h).
 *
 * Its whole life:
 *
 *	socketpair x (1 + workers)		in the parent, before the fork
 *	fork
 *	close (everything but its own ends)	it holds no listener, no file, no root
 *	prctl(PR_SET_PDEATHSIG, SIGKILL)	it never outlives the supervisor
 *	seccomp					ppoll, read, write, recvmsg on the
 *						control socket, getrandom, close, exit
 *	loop: ppoll over the sockets
 *	  control: recvmsg(key fd) -> read, parse, check, keep; reply
 *	  worker:  read(request) -> sign -> write(reply)
 *
 * The key file's text, its DER and the scalar are wiped as soon as the key
 * is prepared (struct p256_key); a key replaced twice over is wiped too.
 * The nonce of each signature is RFC 6979's, hedged with 32 bytes from
 * getrandom(2) (p256_sign).
 */
#include "../syscall.h"
#include "mem.h"
#include "random.h"
#include "seccomp.h"
#include "signer.h"
#include "crypto/ct.h"
#include "crypto/p256.h"
#include "crypto/sha256.h"
#include "tls/der.h"
#include "tls/keyfile.h"

#define SIGNER_MAX_WORKERS	256	/* WORKERS_MAX */

/* The current key and the one before it. */
struct key_slot {
	int loaded;
	uint8_t id[32];
};

static struct key_slot slots[2];
static _Alignas(64) uint8_t key_mem[2][P256_KEY_SIZE] LARGE_BUFFER;
static unsigned current;	/* slots[current] is the newest */
static char key_text[KEYFILE_MAX] LARGE_BUFFER;	/* the key file, wiped after each load */

static struct p256_key *slot_key(unsigned i)
{
	return (struct p256_key *)key_mem[i];
}

/* Read the key file open as fd (at most KEYFILE_MAX bytes), parse it and
 * check it against point; on success it becomes the current key. */
static int load_key(int fd, const uint8_t point[65], uint8_t id[32])
{
	uint8_t priv[32], pub[65];
	size_t len = 0;
	long n;
	int r;

	while (len < sizeof(key_text) && (n = sys_read(fd, key_text + len, sizeof(key_text) - len)) > 0)
		len += (size_t)n;
	if (len == 0 || len == sizeof(key_text)) {
		r = KEYFILE_UNREADABLE;	/* empty, unreadable (a directory), or too large */
		goto out;
	}
	r = keyfile_p256(key_text, len, priv);
	if (r != KEYFILE_OK)
		goto out;
	unsigned next = current ^ 1;
	if (slots[next].loaded)
		p256_key_wipe(slot_key(next));
	slots[next].loaded = 0;
	if (p256_key_init(slot_key(next), priv) < 0) {
		r = KEYFILE_UNSUPPORTED;	/* 0 or >= n: not a P-256 private key */
		goto out;
	}
	p256_key_public(slot_key(next), pub);
	if (memcmp(pub, point, sizeof(pub)) != 0) {
		p256_key_wipe(slot_key(next));
		r = KEYFILE_MISMATCH;
		goto out;
	}
	sha256(slots[next].id, pub, sizeof(pub));
	memcpy(id, slots[next].id, 32);
	slots[next].loaded = 1;
	/* the first load fills both slots' roles: current points at it */
	current = next;
	r = KEYFILE_OK;
out:
	WIPE(priv);
	ct_wipe(key_text, len);
	return r;
}

/* A control message: a struct signer_load, and the key file's descriptor
 * as ancillary data (SCM_RIGHTS, unix(7)). */
struct fd_message {
	struct msghdr msg;
	struct iovec iov;
	union {
		struct cmsghdr h;
		uint8_t space[CMSG_ONE_FD_SPACE];
	} cmsg;
};

static void fd_message_init(struct fd_message *m, struct signer_load *load)
{
	memset(m, 0, sizeof(*m));
	m->iov = (struct iovec){ load, sizeof(*load) };
	m->msg.msg_iov = &m->iov;
	m->msg.msg_iovlen = 1;
	m->msg.msg_control = &m->cmsg;
	m->msg.msg_controllen = sizeof(m->cmsg);
}

/* One control message: load the key whose descriptor rides along. */
static int serve_control(int control)
{
	struct signer_load req;
	struct signer_load_reply reply = { .status = KEYFILE_UNREADABLE };
	struct fd_message m;

	fd_message_init(&m, &req);
	long n = sys_recvmsg(control, &m.msg, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return -1;	/* the supervisor is gone: so are we */
	int fd = -1;
	if (m.msg.msg_controllen >= sizeof(struct cmsghdr) + sizeof(int) && m.cmsg.h.cmsg_level == SOL_SOCKET &&
	    m.cmsg.h.cmsg_type == SCM_RIGHTS)
		memcpy(&fd, m.cmsg.space + sizeof(struct cmsghdr), sizeof(fd));
	if (n == sizeof(req) && req.version == SIGNER_VERSION && fd >= 0)
		reply.status = load_key(fd, req.point, reply.key_id);
	if (fd >= 0)
		sys_close(fd);
	sys_write(control, &reply, sizeof(reply));
	return 0;
}

/* The content a server CertificateVerify signs (RFC 8446 §4.4.3), hashed. */
static void verify_content_digest(uint8_t digest[32], const uint8_t transcript[32])
{
	static const char context[] = "TLS 1.3, server CertificateVerify";
	uint8_t spaces[64];
	struct sha256 h;

	memset(spaces, 0x20, sizeof(spaces));
	sha256_init(&h);
	sha256_update(&h, spaces, sizeof(spaces));
	sha256_update(&h, context, sizeof(context));	/* with its 0 separator */
	sha256_update(&h, transcript, 32);
	sha256_final(&h, digest);
}

/* One request from a worker. A worker that does not read its replies loses
 * them (the socket is non-blocking); its connections time out. */
static void serve_worker(int fd)
{
	struct signer_request req;
	struct signer_reply reply;
	long n = sys_read(fd, &req, sizeof(req));

	if (n < 0)
		return;
	memset(&reply, 0, sizeof(reply));
	if (n == sizeof(req) && req.version == SIGNER_VERSION) {
		reply.index = req.index;
		reply.cookie = req.cookie;
		for (unsigned i = 0; i < 2; i++) {
			uint8_t digest[32], rnd[32], rs[P256_SIG_LEN];
			unsigned s = current ^ i;

			if (!slots[s].loaded || memcmp(slots[s].id, req.key_id, 32) != 0)
				continue;
			verify_content_digest(digest, req.hash);
			if (random_bytes(rnd, sizeof(rnd)) == 0 &&
			    p256_sign(slot_key(s), rs, digest, rnd, sizeof(rnd)) == 0)
				reply.len = (uint32_t)der_write_ecdsa_sig(reply.sig, rs);
			WIPE(rnd);
			break;
		}
	}
	sys_write(fd, &reply, sizeof(reply));
}

__attribute__((noreturn))
static void signer_main(unsigned n, const int *fds, int control, int no_seccomp)
{
	static struct pollfd pfd[1 + SIGNER_MAX_WORKERS];

	if (sys_prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
	    (!no_seccomp && seccomp_install_signer(control) < 0))
		sys_exit_group(1);
	pfd[0] = (struct pollfd){ .fd = control, .events = POLLIN };
	for (unsigned i = 0; i < n; i++)
		pfd[1 + i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	for (;;) {
		if (sys_ppoll(pfd, 1 + n, NULL) < 0)
			continue;	/* EINTR */
		if (pfd[0].revents && serve_control(control) < 0)
			sys_exit_group(0);
		for (unsigned i = 0; i < n; i++)
			if (pfd[1 + i].revents & POLLIN)
				serve_worker(fds[i]);
	}
}

int signer_start(unsigned n, int *worker_fds, int *control, int no_seccomp)
{
	static int signer_ends[SIGNER_MAX_WORKERS] LARGE_BUFFER;
	int pair[2], r, signer_control;

	if (n > SIGNER_MAX_WORKERS)
		return -EINVAL;
	if ((r = sys_socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair)) < 0)
		return r;
	*control = pair[0];
	signer_control = pair[1];
	for (unsigned i = 0; i < n; i++) {
		if ((r = sys_socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair)) < 0)
			return r;
		worker_fds[i] = pair[0];
		signer_ends[i] = pair[1];
	}
	int pid = sys_fork();
	if (pid < 0)
		return pid;
	if (pid == 0) {
		/* Keep only our own ends: not the supervisor's, and not stdin,
		 * stdout or stderr (nothing is written there, and a pipe on
		 * stdout must not wait for us to close it). */
		sys_close(*control);
		for (int fd = 0; fd < 3; fd++)
			sys_close(fd);
		for (unsigned i = 0; i < n; i++) {
			int fl = sys_fcntl(signer_ends[i], F_GETFL, 0);

			sys_close(worker_fds[i]);
			if (fl < 0 || sys_fcntl(signer_ends[i], F_SETFL, fl | O_NONBLOCK) < 0)
				sys_exit_group(1);
		}
		signer_main(n, signer_ends, signer_control, no_seccomp);
	}
	sys_close(signer_control);
	for (unsigned i = 0; i < n; i++) {
		int fl = sys_fcntl(worker_fds[i], F_GETFL, 0);

		sys_close(signer_ends[i]);
		if (fl < 0 || (r = sys_fcntl(worker_fds[i], F_SETFL, fl | O_NONBLOCK)) < 0)
			return fl < 0 ? fl : r;
	}
	return pid;
}

int signer_load_key(int control, int key_fd, const uint8_t point[65], uint8_t key_id[32])
{
	struct signer_load req = { .version = SIGNER_VERSION };
	struct signer_load_reply reply;
	struct fd_message m;

	memcpy(req.point, point, sizeof(req.point));
	fd_message_init(&m, &req);
	m.cmsg.h.cmsg_len = sizeof(struct cmsghdr) + sizeof(int);
	m.cmsg.h.cmsg_level = SOL_SOCKET;
	m.cmsg.h.cmsg_type = SCM_RIGHTS;
	memcpy(m.cmsg.space + sizeof(struct cmsghdr), &key_fd, sizeof(key_fd));
	if (sys_sendmsg(control, &m.msg, 0) != sizeof(req) || sys_read(control, &reply, sizeof(reply)) != sizeof(reply))
		return SIGNER_LOST;
	if (reply.status == KEYFILE_OK)
		memcpy(key_id, reply.key_id, 32);
	return reply.status;
}
