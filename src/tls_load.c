/*
 * tls_load.c - loading a certificate and its key (see tls_load.h).
 *
 * The supervisor reads the certificate file itself, but only opens the key
 * file: the descriptor goes to the signer (signer_load_key), which reads it,
 * checks the key against the certificate's public key and keeps it. No
 * byte of the key ever enters this process, or a worker.
 */
#include "../syscall.h"
#include "err.h"
#include "mem.h"
#include "signer.h"
#include "tls_load.h"
#include "tls/certchain.h"
#include "tls/keyfile.h"

static char cert_text[CERTCHAIN_FILE_MAX] LARGE_BUFFER;
static uint8_t msg[TLS_CERT_MSG_MAX] LARGE_BUFFER;

/* "--OPTION FILE: reason" */
static int fail(struct outbuf *why, const char *option, const char *file, struct str reason)
{
	ob_put(why, option, cstr_len(option));
	OB_LIT(why, " ");
	ob_put(why, file, cstr_len(file));
	OB_LIT(why, ": ");
	ob_str(why, reason);
	return -1;
}

static struct str cstr(const char *s)
{
	return (struct str){ s, cstr_len(s) };
}

int tls_load(const struct tls_files *f, struct outbuf *why)
{
	uint8_t point[65], key_id[32];
	size_t len = 0, msg_len;
	long n;
	int fd, r;

	if ((fd = sys_openat(AT_FDCWD, f->cert, O_RDONLY | O_CLOEXEC, 0)) < 0)
		return fail(why, "--cert", f->cert, err_message(fd));
	while (len < sizeof(cert_text) && (n = sys_read(fd, cert_text + len, sizeof(cert_text) - len)) > 0)
		len += (size_t)n;
	sys_close(fd);
	if (len == sizeof(cert_text))
		return fail(why, "--cert", f->cert, STR("larger than 64 KiB"));
	if ((r = certchain_build(cert_text, len, msg, sizeof(msg), &msg_len, point)) != CERTCHAIN_OK)
		return fail(why, "--cert", f->cert, cstr(certchain_reason(r)));

	if ((fd = sys_openat(AT_FDCWD, f->key, O_RDONLY | O_CLOEXEC, 0)) < 0)
		return fail(why, "--key", f->key, err_message(fd));
	r = signer_load_key(f->signer, fd, point, key_id);
	sys_close(fd);
	if (r == SIGNER_LOST)
		return fail(why, "--key", f->key, STR("the signer process is gone"));
	if (r != KEYFILE_OK)
		return fail(why, "--key", f->key, cstr(keyfile_reason(r)));
	tls_store_publish(f->store, msg, msg_len, key_id);
	return 0;
}
