/*
 * aesgcm_test.c - AES-GCM (src/crypto/aesgcm.c and this CPU's backend),
 * hosted, with ASan and UBSan: test cases 1-18 of the GCM specification
 * (McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", appendix
 * B: AES-128/192/256, 96-bit and other IVs, with and without AAD), a few
 * Wycheproof vectors (counter wrap, a one-byte IV), every length 0..300
 * and 16384, 16385 against digests computed with python3-cryptography
 * (OpenSSL), open(seal(m)) == m, in place == out of place, and forgeries:
 * every flipped bit of tag, ciphertext, AAD and IV fails and leaves the
 * output untouched.
 *
 * Skipped (TAP "# skip") on a CPU without AES-NI and PCLMULQDQ (x86-64) or
 * the ARMv8 AES and PMULL instructions (aarch64), and on other machines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include "tap.h"
#include "hex.h"

#include "../../src/crypto/sha256.c"
#include "../../src/crypto/aesgcm.c"
#if defined(__x86_64__)
#include "../../src/crypto/aesgcm_x86.c"
#elif defined(__aarch64__)
#include "../../src/crypto/aesgcm_arm.c"
#else
#include "../../src/crypto/aesgcm_none.c"
#endif


/* ---- known answers ---- */

struct vector {
	const char *name, *key, *iv, *ad, *pt, *ct, *tag;
};

#define K128 "feffe9928665731c6d6a8f9467308308"
#define P64 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define P60 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define AD "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define IV96 "cafebabefacedbaddecaf888"
#define IV64 "cafebabefacedbad"
#define IV480 "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728" \
	      "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b"

/* The GCM specification, appendix B, test cases 1-18. */
static const struct vector spec[] = {
	{ "test case 1 (AES-128, empty)", "00000000000000000000000000000000", "000000000000000000000000", "", "", "",
	  "58e2fccefa7e3061367f1d57a4e7455a" },
	{ "test case 2 (AES-128, one zero block)", "00000000000000000000000000000000", "000000000000000000000000", "",
	  "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf" },
	{ "test case 3 (AES-128, 64 bytes)", K128, IV96, "", P64,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ "test case 4 (AES-128, 60 bytes, AAD)", K128, IV96, AD, P60,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "test case 5 (AES-128, 64-bit IV)", K128, IV64, AD, P60,
	  "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423"
	  "73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598",
	  "3612d2e79e3b0785561be14aaca2fccb" },
	{ "test case 6 (AES-128, 480-bit IV)", K128, IV480, AD, P60,
	  "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7"
	  "01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
	  "619cc5aefffe0bfa462af43c1699d050" },
	{ "test case 7 (AES-192, empty)", "000000000000000000000000000000000000000000000000", "000000000000000000000000",
	  "", "", "", "cd33b28ac773f74ba00ed1f312572435" },
	{ "test case 8 (AES-192, one zero block)", "000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", "", "00000000000000000000000000000000", "98e7247c07f0fe411c267e4384b0f600",
	  "2ff58d80033927ab8ef4d4587514f0fb" },
	{ "test case 9 (AES-192, 64 bytes)", K128 "feffe9928665731c", IV96, "", P64,
	  "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
	  "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
	  "9924a7c8587336bfb118024db8674a14" },
	{ "test case 10 (AES-192, 60 bytes, AAD)", K128 "feffe9928665731c", IV96, AD, P60,
	  "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
	  "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
	  "2519498e80f1478f37ba55bd6d27618c" },
	{ "test case 11 (AES-192, 64-bit IV)", K128 "feffe9928665731c", IV64, AD, P60,
	  "0f10f599ae14a154ed24b36e25324db8c566632ef2bbb34f8347280fc4507057"
	  "fddc29df9a471f75c66541d4d4dad1c9e93a19a58e8b473fa0f062f7",
	  "65dcc57fcf623a24094fcca40d3533f8" },
	{ "test case 12 (AES-192, 480-bit IV)", K128 "feffe9928665731c", IV480, AD, P60,
	  "d27e88681ce3243c4830165a8fdcf9ff1de9a1d8e6b447ef6ef7b79828666e45"
	  "81e79012af34ddd9e2f037589b292db3e67c036745fa22e7e9b7373b",
	  "dcf566ff291c25bbb8568fc3d376a6d9" },
	{ "test case 13 (AES-256, empty)", "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "test case 14 (AES-256, one zero block)", "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", "", "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
	  "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "test case 15 (AES-256, 64 bytes)", K128 K128, IV96, "", P64,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "test case 16 (AES-256, 60 bytes, AAD)", K128 K128, IV96, AD, P60,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
	{ "test case 17 (AES-256, 64-bit IV)", K128 K128, IV64, AD, P60,
	  "c3762df1ca787d32ae47c13bf19844cbaf1ae14d0b976afac52ff7d79bba9de0"
	  "feb582d33934a4f0954cc2363bc73f7862ac430e64abe499f47c9b1f",
	  "3a337dbf46a792c45e454913fe2ea8f2" },
	{ "test case 18 (AES-256, 480-bit IV)", K128 K128, IV480, AD, P60,
	  "5a8def2f0c9e53f1f75d7853659e2a20eeb2b22aafde6419a058ab4f6f746bf4"
	  "0fc0c3b780f244452da3ebf1c5d82cdea2418997200ef82e44ae7e3f",
	  "a44a8266ee1c8eb0c8b5d4cf5ae9f19a" },
	/* Wycheproof aes_gcm_test.json (C2SP/wycheproof) */
	{ "Wycheproof tcId 79 (J0 = ff..ff: the counter wraps at once)", "00112233445566778899aabbccddeeff",
	  "1a552e67cdc4dc1a33b824874ebf0bed", "",
	  "00000000000000000000000000000000000000000000000000000000000000000000000000000000",
	  "948ca37a8e6649e88aeffb1c598f3607007702417ea0e0bc3c60ad5a949886de968cf53ea6462aed",
	  "99b381bfa2af9751c39d1b6e86d1be6a" },
	{ "Wycheproof tcId 278 (an 8-bit IV)", "fec58aa8cf06bfe05de829f27ec77693", "9d", "",
	  "f2d99a9f893378e0757d27c2e3a3101b", "0a24612a9d1cbe967dbfe804bf8440e5", "96e6fd2cdc707e3ee0a1c90d34c9c36c" },
	/* python3-cryptography: tcId 81's key and IV (J0 ends in fffffffd),
	 * 144 zero bytes, so the counter wraps inside an 8-block step */
	{ "counter wrap inside an 8-block step", "00112233445566778899aabbccddeeff",
	  "57c5643c4e37b4041db794cfe8e1f0f4", "",
	  "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000",
	  "2bb69c3e5d1f91815c6b87a0d5bbea7164b19314c31af45accdf7e3c4db79f0d948ca37a8e6649e8"
	  "8aeffb1c598f3607007702417ea0e0bc3c60ad5a949886de968cf53ea6462aed99ccaf0e46969a2a"
	  "6fa1c862fdc0450759adefc7fc65df62d31cc3dc9353da913cce3d85399fd15d649240bdf0556667"
	  "1750f1b6d47be3494b4172b5c421ddd6d617d29cf9b054b4",
	  "212dd216a4fc019a0e8d3cb18339e321" },
};

struct parsed {
	uint8_t key[32], iv[64], ad[32], pt[160], ct[160], tag[16];
	size_t key_len, iv_len, ad_len, n;
};

static void parse(struct parsed *p, const struct vector *v)
{
	p->key_len = unhex(p->key, v->key);
	p->iv_len = unhex(p->iv, v->iv);
	p->ad_len = unhex(p->ad, v->ad);
	p->n = unhex(p->pt, v->pt);
	unhex(p->ct, v->ct);
	unhex(p->tag, v->tag);
}

static void test_known_answers(void)
{
	for (size_t i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		const struct vector *v = &spec[i];
		struct parsed p;
		struct aesgcm_key k;
		uint8_t out[160], tag[16];

		parse(&p, v);
		is_int(aesgcm_init(&k, p.key, p.key_len), 0, "%s: init", v->name);
		aesgcm_seal(&k, out, tag, p.pt, p.n, p.iv, p.iv_len, p.ad, p.ad_len);
		is_hex(out, p.n, v->ct, "%s: ciphertext", v->name);
		is_hex(tag, 16, v->tag, "%s: tag", v->name);
		memset(out, 0, sizeof(out));
		is_int(aesgcm_open(&k, out, p.ct, p.n, p.tag, p.iv, p.iv_len, p.ad, p.ad_len), 0, "%s: open",
		       v->name);
		is_hex(out, p.n, v->pt, "%s: plaintext", v->name);
		aesgcm_wipe(&k);
	}
}

/* ---- keys ---- */

static void test_keys(void)
{
	static const size_t bad[] = { 0, 1, 8, 15, 17, 20, 23, 25, 31, 33, 64 };
	uint8_t key[64] = { 0 };
	struct aesgcm_key k, zero;
	int fails = 0;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		fails += aesgcm_init(&k, key, bad[i]) == -1;
	is_int(fails, (int)(sizeof(bad) / sizeof(bad[0])), "init refuses keys of 0, 1, 8, 15, 17, ... 64 bytes");
	is_int(aesgcm_init(&k, key, 16), 0, "init takes 16 bytes");
	is_int(k.rounds, 10, "AES-128: 10 rounds");
	is_int(aesgcm_init(&k, key, 24), 0, "init takes 24 bytes");
	is_int(k.rounds, 12, "AES-192: 12 rounds");
	is_int(aesgcm_init(&k, key, 32), 0, "init takes 32 bytes");
	is_int(k.rounds, 14, "AES-256: 14 rounds");
	aesgcm_wipe(&k);
	memset(&zero, 0, sizeof(zero));
	ok(memcmp(&k, &zero, sizeof(k)) == 0, "wipe zeroes the whole key");
}

/* ---- forgeries ---- */

#define SENTINEL 0x5a

static int untouched(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != SENTINEL)
			return 0;
	return 1;
}

/* Every single-bit change of tag, ciphertext, AAD and IV must fail, and
 * leave the output buffer as it was. */
static void test_forgeries(const struct vector *v)
{
	struct parsed p;
	struct aesgcm_key k;
	uint8_t out[160];
	int accepted = 0, written = 0;

	parse(&p, v);
	aesgcm_init(&k, p.key, p.key_len);
	for (size_t bit = 0; bit < 8 * 16; bit++) {
		p.tag[bit / 8] ^= (uint8_t)(1 << bit % 8);
		memset(out, SENTINEL, sizeof(out));
		accepted += aesgcm_open(&k, out, p.ct, p.n, p.tag, p.iv, p.iv_len, p.ad, p.ad_len) != -1;
		written += !untouched(out, sizeof(out));
		p.tag[bit / 8] ^= (uint8_t)(1 << bit % 8);
	}
	for (size_t bit = 0; bit < 8 * p.n; bit++) {
		p.ct[bit / 8] ^= (uint8_t)(1 << bit % 8);
		memset(out, SENTINEL, sizeof(out));
		accepted += aesgcm_open(&k, out, p.ct, p.n, p.tag, p.iv, p.iv_len, p.ad, p.ad_len) != -1;
		written += !untouched(out, sizeof(out));
		p.ct[bit / 8] ^= (uint8_t)(1 << bit % 8);
	}
	for (size_t bit = 0; bit < 8 * p.ad_len; bit++) {
		p.ad[bit / 8] ^= (uint8_t)(1 << bit % 8);
		memset(out, SENTINEL, sizeof(out));
		accepted += aesgcm_open(&k, out, p.ct, p.n, p.tag, p.iv, p.iv_len, p.ad, p.ad_len) != -1;
		written += !untouched(out, sizeof(out));
		p.ad[bit / 8] ^= (uint8_t)(1 << bit % 8);
	}
	for (size_t bit = 0; bit < 8 * p.iv_len; bit++) {
		p.iv[bit / 8] ^= (uint8_t)(1 << bit % 8);
		memset(out, SENTINEL, sizeof(out));
		accepted += aesgcm_open(&k, out, p.ct, p.n, p.tag, p.iv, p.iv_len, p.ad, p.ad_len) != -1;
		written += !untouched(out, sizeof(out));
		p.iv[bit / 8] ^= (uint8_t)(1 << bit % 8);
	}
	is_int(accepted, 0, "%s: no flipped bit of tag, ciphertext, AAD or IV is accepted", v->name);
	is_int(written, 0, "%s: a rejected open leaves the output untouched", v->name);

	memset(out, SENTINEL, sizeof(out));
	ok(aesgcm_open(&k, out, p.ct, p.n - 1, p.tag, p.iv, p.iv_len, p.ad, p.ad_len) == -1 &&
	   untouched(out, sizeof(out)), "%s: a truncated ciphertext fails", v->name);
	ok(aesgcm_open(&k, out, p.ct, p.n, p.tag, p.iv, p.iv_len, p.ad, p.ad_len - 1) == -1 &&
	   untouched(out, sizeof(out)), "%s: truncated AAD fails", v->name);
	ok(aesgcm_open(&k, out, p.ct, p.n, p.tag, p.iv, 0, p.ad, p.ad_len) == -1 && untouched(out, sizeof(out)),
	   "%s: an empty IV fails (SP 800-38D §5.2.1.1)", v->name);
	is_int(aesgcm_open(&k, out, p.ct, p.n, p.tag, p.iv, p.iv_len, p.ad, p.ad_len), 0,
	       "%s: the unmodified message still opens", v->name);
	aesgcm_wipe(&k);
}

/* ---- lengths ---- */

struct message {
	uint8_t key[32], iv[64], ad[64];
	size_t key_len, iv_len, ad_len;
	uint8_t *pt;
	size_t n;
};

/* The inputs for length n: every key size, 96-bit and other IVs, AAD of
 * 0..40 bytes. The expected digest came from python3-cryptography:
 *   h = hashlib.sha256()
 *   for n in range(301):
 *       key = bytes((i * 13 + n) & 255 for i in range(16 + 8 * (n % 3)))
 *       iv = bytes((i * 29 + 3 * n + 1) & 255 for i in range(8 + n % 57 if n % 7 == 3 else 12))
 *       ad = bytes((i * 5 + n + 7) & 255 for i in range(n % 41))
 *       pt = bytes((i * 31 + n * 7 + 11) & 255 for i in range(n))
 *       e = Cipher(algorithms.AES(key), modes.GCM(iv)).encryptor()
 *       e.authenticate_additional_data(ad)
 *       h.update(e.update(pt) + e.finalize() + e.tag)
 */
static void sweep_inputs(struct message *m, size_t n)
{
	m->key_len = 16 + 8 * (n % 3);
	m->iv_len = n % 7 == 3 ? 8 + n % 57 : 12;
	m->ad_len = n % 41;
	m->n = n;
	for (size_t i = 0; i < m->key_len; i++)
		m->key[i] = (uint8_t)(i * 13 + n);
	for (size_t i = 0; i < m->iv_len; i++)
		m->iv[i] = (uint8_t)(i * 29 + 3 * n + 1);
	for (size_t i = 0; i < m->ad_len; i++)
		m->ad[i] = (uint8_t)(i * 5 + n + 7);
	for (size_t i = 0; i < n; i++)
		m->pt[i] = (uint8_t)(i * 31 + n * 7 + 11);
}

/* Seal m out of place into ct (tag after it), then check: the same in
 * place, open out of place and in place, all against the first result.
 * Returns the number of disagreements. */
static int round_trip(const struct aesgcm_key *k, const struct message *m, uint8_t *ct, uint8_t *work)
{
	uint8_t tag[16];
	int bad = 0;

	aesgcm_seal(k, ct, ct + m->n, m->pt, m->n, m->iv, m->iv_len, m->ad, m->ad_len);
	memcpy(work, m->pt, m->n);
	aesgcm_seal(k, work, tag, work, m->n, m->iv, m->iv_len, m->ad, m->ad_len);
	bad += memcmp(work, ct, m->n) != 0 || memcmp(tag, ct + m->n, 16) != 0;
	memset(work, SENTINEL, m->n);
	bad += aesgcm_open(k, work, ct, m->n, ct + m->n, m->iv, m->iv_len, m->ad, m->ad_len) != 0;
	bad += memcmp(work, m->pt, m->n) != 0;
	memcpy(work, ct, m->n);
	bad += aesgcm_open(k, work, work, m->n, ct + m->n, m->iv, m->iv_len, m->ad, m->ad_len) != 0;
	bad += memcmp(work, m->pt, m->n) != 0;
	return bad;
}

static void test_lengths(void)
{
	static uint8_t pt[301], ct[1 + 301 + 16], work[2 + 301];
	struct message m = { .pt = pt };
	struct aesgcm_key k;
	struct sha256 h;
	uint8_t digest[32];
	int bad = 0;

	sha256_init(&h);
	for (size_t n = 0; n <= 300; n++) {
		sweep_inputs(&m, n);
		aesgcm_init(&k, m.key, m.key_len);
		/* odd offsets: nothing may assume aligned data */
		bad += round_trip(&k, &m, ct + 1, work + 2);
		sha256_update(&h, ct + 1, n + 16);
	}
	sha256_final(&h, digest);
	is_hex(digest, 32, "c355e966fc2f2e34debb660c08d5dd74f42952781ce29ce4243130c4c191802c",
	       "lengths 0..300: SHA-256 of every ciphertext and tag matches python3-cryptography");
	is_int(bad, 0, "lengths 0..300: in place == out of place, open(seal(m)) == m, both ways");
	aesgcm_wipe(&k);
}

/* key 00 01 .. 0f, IV a0 a1 .. ab, AAD 00 01 .. 0c, pt[i] = i * 7 + i / 256
 * (mod 256); expected values from python3-cryptography as above. */
static void test_long(size_t n, const char *ct_sha256, const char *tag)
{
	struct message m = { .key_len = 16, .iv_len = 12, .ad_len = 13, .n = n };
	uint8_t *ct = malloc(n + 16), *work = malloc(n);
	struct aesgcm_key k;
	uint8_t digest[32];

	m.pt = malloc(n);
	for (size_t i = 0; i < 16; i++)
		m.key[i] = (uint8_t)i;
	for (size_t i = 0; i < 12; i++)
		m.iv[i] = (uint8_t)(0xa0 + i);
	for (size_t i = 0; i < 13; i++)
		m.ad[i] = (uint8_t)i;
	for (size_t i = 0; i < n; i++)
		m.pt[i] = (uint8_t)(i * 7 + (i >> 8));
	aesgcm_init(&k, m.key, m.key_len);
	is_int(round_trip(&k, &m, ct, work), 0, "%zu bytes: in place == out of place, open(seal(m)) == m", n);
	sha256(digest, ct, n);
	is_hex(digest, 32, ct_sha256, "%zu bytes: SHA-256 of the ciphertext matches python3-cryptography", n);
	is_hex(ct + n, 16, tag, "%zu bytes: tag matches python3-cryptography", n);
	ct[n / 2] ^= 0x80;
	memset(work, SENTINEL, n);
	ok(aesgcm_open(&k, work, ct, n, ct + n, m.iv, m.iv_len, m.ad, m.ad_len) == -1 && untouched(work, n),
	   "%zu bytes: a flipped bit in the middle fails, output untouched", n);
	aesgcm_wipe(&k);
	free(m.pt);
	free(ct);
	free(work);
}

int main(void)
{
	uint8_t key[16] = { 0 };
	struct aesgcm_key k;

	if (!aesgcm_cpu_init(getauxval(AT_HWCAP))) {
		is_int(aesgcm_init(&k, key, sizeof(key)), -1, "no AES instructions: init refuses");
		printf("ok %d # skip no AES and carry-less multiply instructions on this CPU\n", ++tap_count);
		return done_testing();
	}
	ok(aesgcm_available(), "aesgcm_available() after aesgcm_cpu_init()");
	test_known_answers();
	test_keys();
	test_forgeries(&spec[3]);	/* AES-128, 96-bit IV */
	test_forgeries(&spec[17]);	/* AES-256, 480-bit IV */
	test_lengths();
	test_long(16384, "13b3dbe7941d3c28f208ef64885212dbe89c2e9da8df12683c54fc09b960cf6f",
		  "f3e625eb8ebba48c5df7831145e4ada0");
	test_long(16385, "916871a457b6816121aeda9e6998a6aa9718c288751e54724c4bffb0267945b3",
		  "8267dab26668f54bd549ac37454e2997");
	return done_testing();
}
