/*
 * chacha20.c - the ChaCha20 stream cipher (RFC 8439: §2.1 quarter round,
 * §2.3 block function, §2.4 encryption).
 *
 * Constant time by construction (RFC 8439 §4): only additions, XORs and
 * fixed rotations on 32-bit words; no branch, loop bound or index depends on
 * the key or the nonce, only on the length. Four blocks are computed at once
 * with the compiler's generic vectors, one block per lane, so the rounds need
 * no shuffles and the compiler picks the instructions for each architecture
 * (on riscv64 without the V extension it emulates them: correct, but slower
 * than the one-block path). A plain one-block path does a tail of up to 128
 * bytes. The state (which holds the key) and the key stream buffer of the
 * tail are wiped; what the compiler spills of the vector registers to the
 * stack cannot be reached from C.
 */
#include "chacha20poly1305.h"
#include "ct.h"
#include "../mem.h"

/* The vector path loads and stores words in the machine's byte order, and
 * §2.3 serialises them little-endian: every target of scratchd is. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "chacha20.c needs a little-endian machine");

typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef uint16_t u16x8 __attribute__((vector_size(16)));
/* the same, at any address, aliasing the bytes it is read from or written to */
typedef uint32_t u32x4_any __attribute__((vector_size(16), aligned(1), may_alias));

#define CHACHA20_BLOCK	64

static inline uint32_t chacha20_load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void chacha20_store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t chacha20_rotl(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

/* §2.1, §2.2: QUARTERROUND(a, b, c, d) on the words at those indices of x */
static inline void chacha20_quarter_round(uint32_t x[16], int a, int b, int c, int d)
{
	x[a] += x[b]; x[d] ^= x[a]; x[d] = chacha20_rotl(x[d], 16);
	x[c] += x[d]; x[b] ^= x[c]; x[b] = chacha20_rotl(x[b], 12);
	x[a] += x[b]; x[d] ^= x[a]; x[d] = chacha20_rotl(x[d], 8);
	x[c] += x[d]; x[b] ^= x[c]; x[b] = chacha20_rotl(x[b], 7);
}

/* §2.3: the constants, the key, the block counter and the nonce */
static void chacha20_init(uint32_t s[16], const uint8_t key[CHACHA20_KEY_LEN],
			  const uint8_t nonce[CHACHA20_NONCE_LEN], uint32_t counter)
{
	s[0] = 0x61707865;
	s[1] = 0x3320646e;
	s[2] = 0x79622d32;
	s[3] = 0x6b206574;
	for (int i = 0; i < 8; i++)
		s[4 + i] = chacha20_load_le32(key + 4 * i);
	s[12] = counter;
	for (int i = 0; i < 3; i++)
		s[13 + i] = chacha20_load_le32(nonce + 4 * i);
}

/* §2.3: 20 rounds (10 column rounds and 10 diagonal rounds), add the
 * input, serialise little-endian */
static void chacha20_block(uint8_t out[CHACHA20_BLOCK], const uint32_t s[16])
{
	uint32_t x[16];

	for (int i = 0; i < 16; i++)
		x[i] = s[i];
	for (int i = 0; i < 10; i++) {
		chacha20_quarter_round(x, 0, 4, 8, 12);
		chacha20_quarter_round(x, 1, 5, 9, 13);
		chacha20_quarter_round(x, 2, 6, 10, 14);
		chacha20_quarter_round(x, 3, 7, 11, 15);
		chacha20_quarter_round(x, 0, 5, 10, 15);
		chacha20_quarter_round(x, 1, 6, 11, 12);
		chacha20_quarter_round(x, 2, 7, 8, 13);
		chacha20_quarter_round(x, 3, 4, 9, 14);
	}
	for (int i = 0; i < 16; i++)
		chacha20_store_le32(out + 4 * i, x[i] + s[i]);
	WIPE(x);
}

static inline u32x4 chacha20_rotl_x4(u32x4 v, int n)
{
	return v << n | v >> (32 - n);
}

/* By 16, a rotation swaps the 16-bit halves of each word: one shuffle,
 * where shifting takes four instructions on baseline x86-64. */
static inline u32x4 chacha20_rotl16_x4(u32x4 v)
{
	return (u32x4)__builtin_shufflevector((u16x8)v, (u16x8)v, 1, 0, 3, 2, 5, 4, 7, 6);
}

/* §2.1 on four blocks at once */
static inline void chacha20_quarter_round_x4(u32x4 *a, u32x4 *b, u32x4 *c, u32x4 *d)
{
	*a += *b; *d ^= *a; *d = chacha20_rotl16_x4(*d);
	*c += *d; *b ^= *c; *b = chacha20_rotl_x4(*b, 12);
	*a += *b; *d ^= *a; *d = chacha20_rotl_x4(*d, 8);
	*c += *d; *b ^= *c; *b = chacha20_rotl_x4(*b, 7);
}

/* a, b, c, d hold words i, i + 1, i + 2, i + 3 of blocks 0-3, one block per
 * lane; afterwards a holds words i..i+3 of block 0, b of block 1, and so on. */
static inline void chacha20_transpose(u32x4 *a, u32x4 *b, u32x4 *c, u32x4 *d)
{
	u32x4 ab_lo = __builtin_shufflevector(*a, *b, 0, 4, 1, 5);
	u32x4 ab_hi = __builtin_shufflevector(*a, *b, 2, 6, 3, 7);
	u32x4 cd_lo = __builtin_shufflevector(*c, *d, 0, 4, 1, 5);
	u32x4 cd_hi = __builtin_shufflevector(*c, *d, 2, 6, 3, 7);

	*a = __builtin_shufflevector(ab_lo, cd_lo, 0, 1, 4, 5);
	*b = __builtin_shufflevector(ab_lo, cd_lo, 2, 3, 6, 7);
	*c = __builtin_shufflevector(ab_hi, cd_hi, 0, 1, 4, 5);
	*d = __builtin_shufflevector(ab_hi, cd_hi, 2, 3, 6, 7);
}

/* 16 bytes of out = 16 bytes of in XOR v */
static inline void chacha20_xor16(uint8_t *out, const uint8_t *in, u32x4 v)
{
	*(u32x4_any *)out = *(const u32x4_any *)in ^ v;
}

/* §2.4 for the four blocks s[12], s[12] + 1, .. + 3: 256 bytes of in XOR
 * the key stream into out. Word i of the four states is x[i], one lane each. */
static void chacha20_x4(uint8_t *out, const uint8_t *in, const uint32_t s[16])
{
	const u32x4 lane = { 0, 1, 2, 3 };
	u32x4 x[16];

	for (int i = 0; i < 16; i++)
		x[i] = (u32x4){ s[i], s[i], s[i], s[i] };
	x[12] += lane;
	for (int i = 0; i < 10; i++) {
		chacha20_quarter_round_x4(&x[0], &x[4], &x[8], &x[12]);
		chacha20_quarter_round_x4(&x[1], &x[5], &x[9], &x[13]);
		chacha20_quarter_round_x4(&x[2], &x[6], &x[10], &x[14]);
		chacha20_quarter_round_x4(&x[3], &x[7], &x[11], &x[15]);
		chacha20_quarter_round_x4(&x[0], &x[5], &x[10], &x[15]);
		chacha20_quarter_round_x4(&x[1], &x[6], &x[11], &x[12]);
		chacha20_quarter_round_x4(&x[2], &x[7], &x[8], &x[13]);
		chacha20_quarter_round_x4(&x[3], &x[4], &x[9], &x[14]);
	}
	/* the input is added back from s, not kept in registers */
	for (int i = 0; i < 16; i++)
		x[i] += (u32x4){ s[i], s[i], s[i], s[i] };
	x[12] += lane;
	for (int i = 0; i < 16; i += 4) {
		chacha20_transpose(&x[i], &x[i + 1], &x[i + 2], &x[i + 3]);
		for (int j = 0; j < 4; j++)
			chacha20_xor16(out + CHACHA20_BLOCK * j + 4 * i, in + CHACHA20_BLOCK * j + 4 * i, x[i + j]);
	}
}

/* The last 1-255 bytes: their key stream goes through a buffer (wiped), so
 * that no more than n bytes of out are written. */
static void chacha20_xor_tail(uint8_t *out, const uint8_t *in, size_t n, uint32_t s[16])
{
	uint8_t buf[4 * CHACHA20_BLOCK];

	if (n > 2 * CHACHA20_BLOCK) {
		/* four blocks at once cost less than three one at a time */
		memset(buf, 0, sizeof buf);
		memcpy(buf, in, n);
		chacha20_x4(buf, buf, s);
		memcpy(out, buf, n);
		ct_wipe(buf, sizeof buf);
		return;
	}
	for (size_t done = 0; done < n; done += CHACHA20_BLOCK) {
		size_t len = n - done < CHACHA20_BLOCK ? n - done : CHACHA20_BLOCK;

		chacha20_block(buf, s);
		s[12]++;
		for (size_t i = 0; i < len; i++)
			out[done + i] = in[done + i] ^ buf[i];
	}
	ct_wipe(buf, CHACHA20_BLOCK);
}

/* The block counter wraps modulo 2^32 (§2.3 makes it a 32-bit word); the
 * AEAD never gets that far (§2.8: P_MAX is 2^32 - 1 blocks). */
void chacha20_xor(uint8_t *out, const uint8_t *in, size_t n, const uint8_t key[CHACHA20_KEY_LEN],
		  const uint8_t nonce[CHACHA20_NONCE_LEN], uint32_t counter)
{
	uint32_t s[16];

	chacha20_init(s, key, nonce, counter);
	for (; n >= 4 * CHACHA20_BLOCK; n -= 4 * CHACHA20_BLOCK) {
		chacha20_x4(out, in, s);
		s[12] += 4;
		out += 4 * CHACHA20_BLOCK;
		in += 4 * CHACHA20_BLOCK;
	}
	if (n > 0)
		chacha20_xor_tail(out, in, n, s);
	WIPE(s);
}
