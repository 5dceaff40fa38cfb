/*
 * crypto_tool.c - build/crypto-tool: the crypto layer (src/crypto/) from the
 * command line, for tests and for anyone auditing it. Freestanding, like the
 * server, and built from the same sources.
 *
 * One command a line on stdin, exactly one line on stdout: the result in
 * lowercase hex, "-" for an empty result (a verification that passed), or
 * "error". Arguments are hex ("-" for empty); LEN is decimal.
 *
 *	sha256 MSG				hmac-sha256 KEY MSG
 *	hkdf-sha256 SALT IKM INFO LEN		x25519 SCALAR U
 *	p256-public PRIV			p256-ecdh PRIV PUB65
 *	p256-ecdh-spki PRIV SPKI_DER		p256-sign PRIV HASH32 RAND  (r || s)
 *	p256-verify PUB65 HASH32 SIG64		p256-verify-der PUB65 HASH32 SIG_DER
 *	chacha20poly1305-seal KEY NONCE AD PLAINTEXT	(ciphertext || tag)
 *	chacha20poly1305-open KEY NONCE AD CIPHERTEXT_AND_TAG
 *	aes128gcm-seal KEY NONCE AD PLAINTEXT	aes128gcm-open KEY NONCE AD CIPHERTEXT_AND_TAG
 *	aesgcm-seal / aesgcm-open		the same for 16, 24 or 32-byte keys, any IV length
 *
 * RAND for p256-sign is the hedge of RFC 6979 §3.6 ("-": the deterministic
 * nonce of §3.2). Where the CPU has no AES instructions the AES-GCM commands
 * answer "error". Output is written when no complete line is left to do, so
 * the tool works in a pipeline and interactively alike.
 */
#include "../syscall.h"
#include "auxv.h"
#include "mem.h"
#include "str.h"
#include "crypto/aesgcm.h"
#include "crypto/chacha20poly1305.h"
#include "crypto/hkdf.h"
#include "crypto/hmac.h"
#include "crypto/p256.h"
#include "crypto/sha256.h"
#include "crypto/x25519.h"
#include "tls/der.h"

#define LINE_MAX	(512 * 1024)	/* one command line, in hex: 256 KiB of data */
#define DATA_MAX	(LINE_MAX / 2)	/* bytes of all the arguments of a line together */
#define OUT_MAX		(DATA_MAX + 64)	/* bytes of a result */
#define MAX_ARGS	6

static char in[LINE_MAX + 1];
static uint8_t data[DATA_MAX];
static uint8_t result[OUT_MAX];
#define ANSWER_MAX	(2 * OUT_MAX + 1)	/* a result in hex and its newline */
static char out[2 * ANSWER_MAX];
static _Alignas(64) uint8_t key_storage[P256_KEY_SIZE];

/* An argument: its bytes in data[]. */
struct arg {
	const uint8_t *p;
	size_t n;
};

/* A command: the result goes to result[], *len its length. Returns 0, or
 * -1 for "error". */
struct command {
	const char *name;
	unsigned nargs;
	int (*run)(const struct arg *a, size_t *len);
};

static int run_sha256(const struct arg *a, size_t *len)
{
	sha256(result, a[0].p, a[0].n);
	*len = SHA256_LEN;
	return 0;
}

static int run_hmac(const struct arg *a, size_t *len)
{
	hmac_sha256(result, a[0].p, a[0].n, a[1].p, a[1].n);
	*len = SHA256_LEN;
	return 0;
}

/* hkdf-sha256 SALT IKM INFO LEN: the LEN argument arrives as its digits */
static int run_hkdf(const struct arg *a, size_t *len)
{
	uint8_t prk[SHA256_LEN];
	uint64_t n;

	if (parse_u64((struct str){ (const char *)a[3].p, a[3].n }, OUT_MAX, &n) < 0)
		return -1;
	hkdf_sha256_extract(prk, a[0].p, a[0].n, a[1].p, a[1].n);
	if (hkdf_sha256_expand(result, n, prk, sizeof(prk), a[2].p, a[2].n) < 0)
		return -1;
	*len = n;
	return 0;
}

static int run_x25519(const struct arg *a, size_t *len)
{
	if (a[0].n != X25519_LEN || a[1].n != X25519_LEN || x25519(result, a[0].p, a[1].p) < 0)
		return -1;
	*len = X25519_LEN;
	return 0;
}

static int run_p256_public(const struct arg *a, size_t *len)
{
	if (a[0].n != P256_SCALAR_LEN || p256_public(result, a[0].p) < 0)
		return -1;
	*len = P256_POINT_LEN;
	return 0;
}

static int run_p256_ecdh(const struct arg *a, size_t *len)
{
	if (a[0].n != P256_SCALAR_LEN || a[1].n != P256_POINT_LEN || p256_ecdh(result, a[0].p, a[1].p) < 0)
		return -1;
	*len = 32;
	return 0;
}

/* The peer's key as a DER SubjectPublicKeyInfo, as certificates carry it. */
static int run_p256_ecdh_spki(const struct arg *a, size_t *len)
{
	struct der in_der = { a[1].p, a[1].n }, spki;
	uint8_t point[P256_POINT_LEN];

	if (der_read(&in_der, DER_SEQUENCE, &spki) < 0 || in_der.n != 0 || der_spki_p256(spki, point) < 0)
		return -1;
	const struct arg b[2] = { a[0], { point, sizeof(point) } };
	return run_p256_ecdh(b, len);
}

static int run_p256_sign(const struct arg *a, size_t *len)
{
	struct p256_key *k = (struct p256_key *)key_storage;
	int r;

	if (a[0].n != P256_SCALAR_LEN || a[1].n != 32 || p256_key_init(k, a[0].p) < 0)
		return -1;
	r = p256_sign(k, result, a[1].p, a[2].p, a[2].n);
	p256_key_wipe(k);
	*len = P256_SIG_LEN;
	return r;
}

static int run_p256_verify(const struct arg *a, size_t *len)
{
	*len = 0;
	if (a[0].n != P256_POINT_LEN || a[1].n != 32 || a[2].n != P256_SIG_LEN)
		return -1;
	return p256_verify(a[0].p, a[1].p, a[2].p);
}

static int run_p256_verify_der(const struct arg *a, size_t *len)
{
	uint8_t rs[P256_SIG_LEN];

	*len = 0;
	if (a[0].n != P256_POINT_LEN || a[1].n != 32 || der_read_ecdsa_sig(rs, a[2].p, a[2].n) < 0)
		return -1;
	return p256_verify(a[0].p, a[1].p, rs);
}

/* KEY NONCE AD TEXT for every AEAD */
static int run_chacha_seal(const struct arg *a, size_t *len)
{
	if (a[0].n != CHACHA20_KEY_LEN || a[1].n != CHACHA20_NONCE_LEN)
		return -1;
	chacha20poly1305_seal(result, result + a[3].n, a[3].p, a[3].n, a[2].p, a[2].n, a[0].p, a[1].p);
	*len = a[3].n + POLY1305_TAG_LEN;
	return 0;
}

static int run_chacha_open(const struct arg *a, size_t *len)
{
	if (a[0].n != CHACHA20_KEY_LEN || a[1].n != CHACHA20_NONCE_LEN || a[3].n < POLY1305_TAG_LEN)
		return -1;
	*len = a[3].n - POLY1305_TAG_LEN;
	return chacha20poly1305_open(result, a[3].p, *len, a[3].p + *len, a[2].p, a[2].n, a[0].p, a[1].p);
}

static int aesgcm_seal_any(const struct arg *a, size_t *len)
{
	struct aesgcm_key k;

	if (a[1].n == 0 || aesgcm_init(&k, a[0].p, a[0].n) < 0)
		return -1;
	aesgcm_seal(&k, result, result + a[3].n, a[3].p, a[3].n, a[1].p, a[1].n, a[2].p, a[2].n);
	aesgcm_wipe(&k);
	*len = a[3].n + AESGCM_TAG_LEN;
	return 0;
}

static int aesgcm_open_any(const struct arg *a, size_t *len)
{
	struct aesgcm_key k;
	int r;

	if (a[1].n == 0 || a[3].n < AESGCM_TAG_LEN || aesgcm_init(&k, a[0].p, a[0].n) < 0)
		return -1;
	*len = a[3].n - AESGCM_TAG_LEN;
	r = aesgcm_open(&k, result, a[3].p, *len, a[3].p + *len, a[1].p, a[1].n, a[2].p, a[2].n);
	aesgcm_wipe(&k);
	return r;
}

/* TLS_AES_128_GCM_SHA256's AEAD: a 16-byte key and a 12-byte nonce */
static int run_aes128gcm_seal(const struct arg *a, size_t *len)
{
	if (a[0].n != 16 || a[1].n != AESGCM_NONCE_LEN)
		return -1;
	return aesgcm_seal_any(a, len);
}

static int run_aes128gcm_open(const struct arg *a, size_t *len)
{
	if (a[0].n != 16 || a[1].n != AESGCM_NONCE_LEN)
		return -1;
	return aesgcm_open_any(a, len);
}

static const struct command commands[] = {
	{ "sha256", 1, run_sha256 },
	{ "hmac-sha256", 2, run_hmac },
	{ "hkdf-sha256", 4, run_hkdf },
	{ "x25519", 2, run_x25519 },
	{ "p256-public", 1, run_p256_public },
	{ "p256-ecdh", 2, run_p256_ecdh },
	{ "p256-ecdh-spki", 2, run_p256_ecdh_spki },
	{ "p256-sign", 3, run_p256_sign },
	{ "p256-verify", 3, run_p256_verify },
	{ "p256-verify-der", 3, run_p256_verify_der },
	{ "chacha20poly1305-seal", 4, run_chacha_seal },
	{ "chacha20poly1305-open", 4, run_chacha_open },
	{ "aes128gcm-seal", 4, run_aes128gcm_seal },
	{ "aes128gcm-open", 4, run_aes128gcm_open },
	{ "aesgcm-seal", 4, aesgcm_seal_any },
	{ "aesgcm-open", 4, aesgcm_open_any },
};

/* Decode the hex word w[0..n) ("-": empty) to *dst; returns 0 or -1. */
static int unhex(struct str w, uint8_t **dst, const uint8_t *end, struct arg *a)
{
	a->p = *dst;
	a->n = 0;
	if (w.n == 1 && w.p[0] == '-')
		return 0;
	if (w.n % 2 || (size_t)(end - *dst) < w.n / 2)
		return -1;
	for (size_t i = 0; i < w.n; i += 2) {
		int hi = hex_value((unsigned char)w.p[i]), lo = hex_value((unsigned char)w.p[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		*(*dst)++ = (uint8_t)(hi << 4 | lo);
	}
	a->n = w.n / 2;
	return 0;
}

/* Run one line (without its newline) and append the answer to ob. */
static void run_line(struct str line, struct outbuf *ob)
{
	struct str words[MAX_ARGS + 1];
	unsigned nwords = 0;
	size_t i = 0;

	while (i < line.n) {
		while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t' || line.p[i] == '\r'))
			i++;
		size_t start = i;
		while (i < line.n && line.p[i] != ' ' && line.p[i] != '\t' && line.p[i] != '\r')
			i++;
		if (i == start)
			break;
		if (nwords == MAX_ARGS + 1)
			goto error;
		words[nwords++] = (struct str){ line.p + start, i - start };
	}
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		const struct command *cmd = &commands[c];
		struct arg args[MAX_ARGS];
		uint8_t *dst = data;
		size_t len = 0;

		if (nwords == 0 || !str_eq(words[0], (struct str){ cmd->name, cstr_len(cmd->name) }))
			continue;
		if (nwords != cmd->nargs + 1)
			goto error;
		for (unsigned k = 0; k < cmd->nargs; k++) {
			/* hkdf's LEN is decimal: passed on as its digits */
			if (cmd->run == run_hkdf && k == 3) {
				args[k] = (struct arg){ (const uint8_t *)words[k + 1].p, words[k + 1].n };
				continue;
			}
			if (unhex(words[k + 1], &dst, data + sizeof(data), &args[k]) < 0)
				goto error;
		}
		if (cmd->run(args, &len) < 0)
			goto error;
		if (len == 0)
			OB_LIT(ob, "-");
		for (size_t k = 0; k < len; k++) {
			static const char digits[] = "0123456789abcdef";
			char h[2] = { digits[result[k] >> 4], digits[result[k] & 15] };

			ob_put(ob, h, 2);
		}
		OB_LIT(ob, "\n");
		return;
	}
error:
	OB_LIT(ob, "error\n");
}

static int write_all(const char *p, size_t n)
{
	while (n > 0) {
		long w = sys_write(1, p, n);

		if (w < 0)
			return (int)w;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	size_t have = 0;
	int too_long = 0;	/* the line being read passed LINE_MAX: skip to its end */

	(void)argc;
	(void)argv;
	aesgcm_cpu_init(auxv_value(envp, AT_HWCAP));
	for (;;) {
		long n = sys_read(0, in + have, LINE_MAX - have);

		if (n < 0)
			return 1;
		if (n == 0 && have > 0 && !too_long) {
			in[have++] = '\n';	/* a last line without its newline */
			n = 0;
		} else if (n == 0) {
			return 0;
		}
		have += (size_t)n;
		size_t start = 0;
		struct outbuf ob;

		ob_init(&ob, out, sizeof(out));
		for (size_t i = 0; i < have; i++) {
			if (in[i] != '\n')
				continue;
			if (too_long) {
				OB_LIT(&ob, "error\n");
				too_long = 0;
			} else {
				run_line((struct str){ in + start, i - start }, &ob);
			}
			start = i + 1;
			/* flush before the next answer could fail to fit */
			if (ob.cap - ob.len < ANSWER_MAX) {
				if (write_all(ob.p, ob.len) < 0)
					return 1;
				ob.len = 0;
			}
		}
		if (ob.len && write_all(ob.p, ob.len) < 0)
			return 1;
		memmove(in, in + start, have - start);
		have -= start;
		if (have == LINE_MAX) {
			too_long = 1;
			have = 0;
		}
	}
}
