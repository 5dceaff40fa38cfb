/*
 * x25519.h - the X25519 function (RFC 7748 §5): Diffie-Hellman on
 * Curve25519 with u-coordinates only.
 */
#ifndef SCRATCHD_X25519_H
#define SCRATCHD_X25519_H

#include <stdint.h>

#define X25519_LEN 32

/* out = X25519(scalar, u): the scalar is clamped (§5), the top bit of u is
 * ignored and a non-canonical u (>= 2^255 - 19) is reduced. Returns 0, or -1
 * when out is all zeros (u was a low-order point: RFC 7748 §6.1, RFC 8446
 * §7.4.2); out is written either way. Constant time in scalar. */
int x25519(uint8_t out[X25519_LEN], const uint8_t scalar[X25519_LEN], const uint8_t u[X25519_LEN]);

/* pub = X25519(scalar, 9): a public key. */
void x25519_public(uint8_t pub[X25519_LEN], const uint8_t scalar[X25519_LEN]);

#endif
