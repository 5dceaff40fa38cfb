/*
 * tls_load.h - the supervisor's part of TLS: read the certificate chain,
 * have the signer read and check the key, and publish the chain to the
 * workers (tls_store.h). At start-up, and again on SIGHUP (certificates are
 * renewed every 60-90 days), when a bad new pair leaves the old one in use.
 */
#ifndef SCRATCHD_TLS_LOAD_H
#define SCRATCHD_TLS_LOAD_H

#include "str.h"
#include "tls_store.h"

struct tls_files {
	const char *cert;	/* --cert: PEM chain, leaf first */
	const char *key;	/* --key: PEM private key */
	int signer;		/* the control socket to the signer */
	struct tls_store *store;
};

/* Load the pair named by f. Returns 0, or -1 after writing one line that
 * says what was wrong into why ("--key FILE: RSA keys are not supported..."). */
int tls_load(const struct tls_files *f, struct outbuf *why);

#endif
