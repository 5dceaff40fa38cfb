/*
 * sha256.c - SHA-256 (FIPS 180-4: §4.1.2 functions, §4.2.2 constants,
 * §5.1.1 padding, §5.3.3 initial value, §6.2.2 computation).
 *
 * Constant time by construction: the message schedule and the rounds use
 * only additions, rotations and bitwise operations, and the only branches
 * depend on lengths (public). The state and the schedule are wiped when a
 * digest is finished, since HMAC and HKDF feed it keys.
 */
#include "sha256.h"
#include "ct.h"
#include "../mem.h"

/* §4.2.2: the first 32 bits of the fractional parts of the cube roots of
 * the first 64 primes */
static const uint32_t k256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* §6.2.2: one 64-byte block into the chaining value. The schedule W is
 * kept as a 16-word ring: W[t] only needs W[t-2], W[t-7], W[t-15], W[t-16]. */
static void compress(uint32_t h[8], const uint8_t block[SHA256_BLOCK])
{
	uint32_t w[16];
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];

	for (int t = 0; t < 64; t++) {
		uint32_t wt;

		if (t < 16) {
			wt = w[t] = load_be32(block + 4 * t);
		} else {
			uint32_t w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
			uint32_t s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3);	/* σ0 */
			uint32_t s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10);		/* σ1 */

			wt = w[t & 15] = s1 + w[(t - 7) & 15] + s0 + w[t & 15];
		}
		uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);		/* Σ1 */
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = hh + S1 + ch + k256[t] + wt;
		uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);		/* Σ0 */
		uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = S0 + maj;

		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
	WIPE(w);
}

void sha256_init(struct sha256 *s)
{
	/* §5.3.3: the first 32 bits of the fractional parts of the square
	 * roots of the first 8 primes */
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, h0, sizeof(h0));
	s->len = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t used = (size_t)(s->len % SHA256_BLOCK);

	s->len += n;
	if (used) {
		size_t take = SHA256_BLOCK - used < n ? SHA256_BLOCK - used : n;

		memcpy(s->buf + used, p, take);
		p += take;
		n -= take;
		if (used + take < SHA256_BLOCK)
			return;
		compress(s->h, s->buf);
	}
	for (; n >= SHA256_BLOCK; n -= SHA256_BLOCK, p += SHA256_BLOCK)
		compress(s->h, p);
	memcpy(s->buf, p, n);
}

void sha256_final(struct sha256 *s, uint8_t out[SHA256_LEN])
{
	uint64_t bits = s->len * 8;
	size_t used = (size_t)(s->len % SHA256_BLOCK);

	/* §5.1.1: a 1 bit, zeros to 56 bytes mod 64, the length in bits */
	s->buf[used++] = 0x80;
	if (used > SHA256_BLOCK - 8) {
		memset(s->buf + used, 0, SHA256_BLOCK - used);
		compress(s->h, s->buf);
		used = 0;
	}
	memset(s->buf + used, 0, SHA256_BLOCK - 8 - used);
	store_be32(s->buf + 56, (uint32_t)(bits >> 32));
	store_be32(s->buf + 60, (uint32_t)bits);
	compress(s->h, s->buf);
	for (int i = 0; i < 8; i++)
		store_be32(out + 4 * i, s->h[i]);
	ct_wipe(s, sizeof(*s));
}

void sha256(uint8_t out[SHA256_LEN], const void *data, size_t n)
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, data, n);
	sha256_final(&s, out);
}
