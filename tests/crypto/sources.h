/*
 * sources.h - the whole crypto layer (src/crypto/) in one translation unit,
 * for the hosted harnesses that test it from outside: the constant-time
 * check (tests/ct/), the benchmark (tests/bench/crypto_bench.c) and the
 * fuzzer (tests/fuzz/crypto_fuzz.c). One list, so a new file in
 * src/crypto/ is added once. AESGCM_BACKEND names the architecture's AES
 * file (the Makefile passes it: aesgcm_x86.c on x86-64).
 */
#include "../../src/crypto/sha256.c"
#include "../../src/crypto/hmac.c"
#include "../../src/crypto/hkdf.c"
#include "../../src/crypto/x25519.c"
#include "../../src/crypto/chacha20.c"
#include "../../src/crypto/poly1305.c"
#include "../../src/crypto/chacha20poly1305.c"
#include "../../src/crypto/aesgcm.c"
#include AESGCM_BACKEND
#include "../../src/crypto/p256_field.c"
#include "../../src/crypto/p256_scalar.c"
#include "../../src/crypto/p256_inv.c"
#include "../../src/crypto/p256_point.c"
#include "../../src/crypto/p256.c"
