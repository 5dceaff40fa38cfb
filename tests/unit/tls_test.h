/*
 * tls_test.h - what the TLS unit tests share: the crypto and TLS sources
 * under test (included whole, as the other unit tests do) and hex helpers.
 * Hosted; for tests/unit/tls_*_test.c only.
 */
#ifndef SCRATCHD_TLS_TEST_H
#define SCRATCHD_TLS_TEST_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include "tap.h"

#include "../../src/crypto/sha256.c"
#include "../../src/crypto/hmac.c"
#include "../../src/crypto/hkdf.c"
#include "../../src/crypto/chacha20.c"
#include "../../src/crypto/poly1305.c"
#include "../../src/crypto/chacha20poly1305.c"
#include "../../src/crypto/aesgcm.c"
/* the backend the Makefile would choose */
#if defined(__x86_64__)
#include "../../src/crypto/aesgcm_x86.c"
#elif defined(__aarch64__)
#include "../../src/crypto/aesgcm_arm.c"
#else
#include "../../src/crypto/aesgcm_none.c"
#endif
#include "../../src/tls/keysched.c"
#include "../../src/tls/transcript.c"
#include "../../src/tls/record.c"

/* 1 if AES-GCM runs here (the server's own check, aesgcm_cpu_init()) */
static inline int have_aesgcm(void)
{
	return aesgcm_cpu_init(getauxval(AT_HWCAP));
}

#include "hex.h"

#endif
