/*
 * chacha20poly1305_test.c - ChaCha20, Poly1305 and the ChaCha20-Poly1305
 * AEAD (src/crypto/chacha20.c, poly1305.c, chacha20poly1305.c), hosted, with
 * ASan and UBSan.
 *
 * Every test vector of RFC 8439 (§2.1.1, §2.2.1, §2.3.2, §2.4.2, §2.5.2,
 * §2.6.2, §2.8.2 and Appendix A.1-A.5), a few more Poly1305 and AEAD tags
 * from python3-cryptography for carries and lengths the RFC misses, then
 * properties: the four-block path equals the one-block path (also across the
 * counter wrapping), incremental Poly1305 at every split point equals one
 * shot, in place equals out of place, every length 0..300, 16384 and 16385
 * round-trips through exactly sized buffers, and any flipped bit of
 * ciphertext, tag or AD fails without writing the output.
 */
#include <stdint.h>
#include <stdlib.h>
#include "tap.h"
#include "hex.h"

#include "../../src/crypto/chacha20.c"
#include "../../src/crypto/poly1305.c"
#include "../../src/crypto/chacha20poly1305.c"

/* ---- helpers ---- */


static int mem_eq_hex(const uint8_t *got, size_t n, const char *want_hex)
{
	uint8_t want[512];
	size_t wn = unhex(want, want_hex);

	if (wn != n || memcmp(got, want, n) != 0) {
		printf("#   got  ");
		for (size_t i = 0; i < n; i++)
			printf("%02x", got[i]);
		printf("\n#   want %s\n", want_hex);
		return 0;
	}
	return 1;
}

/* A reproducible byte stream for the property tests (xorshift64). */
static uint64_t rng_state = 0x9e3779b97f4a7c15;

static void fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		p[i] = (uint8_t)(rng_state >> 32);
	}
}

/* Exactly n bytes on the heap, so ASan sees any access past them. */
static uint8_t *alloc_exact(size_t n)
{
	uint8_t *p = calloc(n ? n : 1, 1);

	if (!p)
		abort();
	return p;
}

/* ---- the texts of the RFC's examples ---- */

static const char sunscreen[] =
	"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
	"sunscreen would be it.";

static const char ietf_submission[] =
	"Any submission to the IETF intended by the Contributor for publication as all or part of an IETF "
	"Internet-Draft or RFC and any statement made within the context of an IETF activity is considered "
	"an \"IETF Contribution\". Such statements include oral statements in IETF sessions, as well as "
	"written and electronic communications made at any time or place, which are addressed to";

static const char jabberwocky[] =
	"'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\nAll mimsy were the borogoves,\n"
	"And the mome raths outgrabe.";

static const char internet_drafts[] =
	"Internet-Drafts are draft documents valid for a maximum of six months and may be updated, replaced, "
	"or obsoleted by other documents at any time. It is inappropriate to use Internet-Drafts as "
	"reference material or to cite them other than as /\xe2\x80\x9cwork in progress./\xe2\x80\x9d";

#define TEXT(s) (const uint8_t *)(s), (sizeof(s) - 1)

/* ---- §2.1.1, §2.2.1: the quarter round ---- */

static void test_quarter_round(void)
{
	uint32_t x[16] = { 0x11111111, 0x01020304, 0x9b8d6f43, 0x01234567 };

	chacha20_quarter_round(x, 0, 1, 2, 3);
	ok(x[0] == 0xea2a92f4 && x[1] == 0xcb1cf8ce && x[2] == 0x4581472e && x[3] == 0x5881c4bb,
	   "§2.1.1 quarter round");

	uint32_t s[16] = {
		0x879531e0, 0xc5ecf37d, 0x516461b1, 0xc9a62f8a, 0x44c20ef3, 0x3390af7f, 0xd9fc690b, 0x2a5f714c,
		0x53372767, 0xb00a5631, 0x974c541a, 0x359e9963, 0x5c971061, 0x3d631689, 0x2098d9d6, 0x91dbd320,
	};
	const uint32_t want[16] = {
		0x879531e0, 0xc5ecf37d, 0xbdb886dc, 0xc9a62f8a, 0x44c20ef3, 0x3390af7f, 0xd9fc690b, 0xcfacafd2,
		0xe46bea80, 0xb00a5631, 0x974c541a, 0x359e9963, 0x5c971061, 0xccc07c79, 0x2098d9d6, 0x91dbd320,
	};

	chacha20_quarter_round(s, 2, 7, 8, 13);
	ok(memcmp(s, want, sizeof want) == 0, "§2.2.1 QUARTERROUND(2, 7, 8, 13) on a state");
}

/* ---- §2.3.2, A.1: the block function ---- */

struct block_vector {
	const char *name, *key, *nonce;
	uint32_t counter;
	const char *keystream;
};

static const struct block_vector block_vectors[] = {
	{ "§2.3.2", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  "000000090000004a00000000", 1,
	  "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
	  "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e" },
	{ "A.1 #1", "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", 0,
	  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	  "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586" },
	{ "A.1 #2", "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", 1,
	  "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
	  "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f" },
	{ "A.1 #3", "0000000000000000000000000000000000000000000000000000000000000001",
	  "000000000000000000000000", 1,
	  "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
	  "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0" },
	{ "A.1 #4", "00ff000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", 2,
	  "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
	  "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096" },
	{ "A.1 #5", "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000002", 0,
	  "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
	  "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d" },
};

static void test_block_function(void)
{
	uint8_t key[32], nonce[12], out[64];
	uint32_t s[16];

	for (size_t i = 0; i < sizeof block_vectors / sizeof block_vectors[0]; i++) {
		const struct block_vector *v = &block_vectors[i];

		unhex(key, v->key);
		unhex(nonce, v->nonce);
		chacha20_init(s, key, nonce, v->counter);
		chacha20_block(out, s);
		ok(mem_eq_hex(out, 64, v->keystream), "%s block function", v->name);

		memset(out, 0, sizeof out);
		chacha20_xor(out, out, sizeof out, key, nonce, v->counter);
		ok(mem_eq_hex(out, 64, v->keystream), "%s key stream through chacha20_xor", v->name);
	}

	/* §2.3.2 also shows the state set up from key, nonce and counter */
	unhex(key, block_vectors[0].key);
	unhex(nonce, block_vectors[0].nonce);
	chacha20_init(s, key, nonce, 1);
	const uint32_t setup[16] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, 0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c,
		0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c, 0x00000001, 0x09000000, 0x4a000000, 0x00000000,
	};
	ok(memcmp(s, setup, sizeof setup) == 0, "§2.3.2 state set-up");
}

/* ---- §2.4.2, A.2: encryption ---- */

static void check_chacha20(const char *name, const char *key_hex, const char *nonce_hex, uint32_t counter,
			   const uint8_t *pt, size_t n, const char *ct_hex)
{
	uint8_t key[32], nonce[12];
	uint8_t *in = alloc_exact(n), *out = alloc_exact(n);

	unhex(key, key_hex);
	unhex(nonce, nonce_hex);
	memcpy(in, pt, n);
	chacha20_xor(out, in, n, key, nonce, counter);
	ok(mem_eq_hex(out, n, ct_hex), "%s encryption", name);
	chacha20_xor(out, out, n, key, nonce, counter);
	ok(memcmp(out, pt, n) == 0, "%s decryption in place", name);
	free(in);
	free(out);
}

static void test_encryption(void)
{
	uint8_t zeros[64] = { 0 };

	check_chacha20("§2.4.2", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		       "000000000000004a00000000", 1, TEXT(sunscreen),
		       "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
		       "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
		       "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
		       "5af90bbf74a35be6b40b8eedf2785e42874d");
	check_chacha20("A.2 #1", "0000000000000000000000000000000000000000000000000000000000000000",
		       "000000000000000000000000", 0, zeros, sizeof zeros,
		       "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
		       "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
	check_chacha20("A.2 #2", "0000000000000000000000000000000000000000000000000000000000000001",
		       "000000000000000000000002", 1, TEXT(ietf_submission),
		       "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec"
		       "2a97948bd3722915c8f3d337f7d370050e9e96d647b7c39f56e031ca5eb6250d"
		       "4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950"
		       "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85a"
		       "d00f8449ed8f72d0d662ab052691ca66424bc86d2df80ea41f43abf937d3259d"
		       "c4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b"
		       "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6c"
		       "cc3aaf9f3979c92b3720fc88dc95ed84a1be059c6499b9fda236e7e818b04b0b"
		       "c39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f"
		       "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e6"
		       "98ced759c3ff9b6477338f3da4f9cd8514ea9982ccafb341b2384dd902f3d1ab"
		       "7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221");
	check_chacha20("A.2 #3", "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
		       "000000000000000000000002", 42, TEXT(jabberwocky),
		       "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf"
		       "166d3df2d721caf9b21e5fb14c616871fd84c54f9d65b283196c7fe4f60553eb"
		       "f39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77"
		       "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1");
}

/* ---- §2.5.2, A.3: Poly1305 ---- */

static void check_poly1305(const char *name, const char *key_hex, const uint8_t *msg, size_t n, const char *tag_hex)
{
	uint8_t key[32], tag[16];
	struct poly1305 p;

	unhex(key, key_hex);
	poly1305_init(&p, key);
	poly1305_update(&p, msg, n);
	poly1305_final(&p, tag);
	ok(mem_eq_hex(tag, 16, tag_hex), "%s Poly1305", name);
}

/* A.3 #5-#11 give r, s and the data apart, in hex */
static void check_poly1305_hex(const char *name, const char *r_hex, const char *s_hex, const char *msg_hex,
			       const char *tag_hex)
{
	char key_hex[65];
	uint8_t msg[64];
	size_t n = unhex(msg, msg_hex);

	snprintf(key_hex, sizeof key_hex, "%s%s", r_hex, s_hex);
	check_poly1305(name, key_hex, msg, n, tag_hex);
}

static void test_poly1305(void)
{
	uint8_t zeros[64] = { 0 };
	static const char ff[] = "ffffffffffffffffffffffffffffffff", r1[] = "01000000000000000000000000000000",
			  r2[] = "02000000000000000000000000000000", z[] = "00000000000000000000000000000000";

	check_poly1305("§2.5.2", "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
		       TEXT("Cryptographic Forum Research Group"), "a8061dc1305136c6c22b8baf0c0127a9");
	check_poly1305("A.3 #1", "0000000000000000000000000000000000000000000000000000000000000000",
		       zeros, sizeof zeros, "00000000000000000000000000000000");
	check_poly1305("A.3 #2", "0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e",
		       TEXT(ietf_submission), "36e5f6b5c5e06070f0efca96227a863e");
	check_poly1305("A.3 #3", "36e5f6b5c5e06070f0efca96227a863e00000000000000000000000000000000",
		       TEXT(ietf_submission), "f3477e7cd95417af89a6b8794c310cf0");
	check_poly1305("A.3 #4", "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
		       TEXT(jabberwocky), "4541669a7eaaee61e708dc7cbcc5eb62");
	check_poly1305_hex("A.3 #5 (not fully reduced)", r2, z, ff, "03000000000000000000000000000000");
	check_poly1305_hex("A.3 #6 (s overflows 2^128)", r2, ff, r2, "03000000000000000000000000000000");
	check_poly1305_hex("A.3 #7 (limb carry)", r1, z,
			   "ffffffffffffffffffffffffffffffff f0ffffffffffffffffffffffffffffff"
			   "11000000000000000000000000000000", "05000000000000000000000000000000");
	check_poly1305_hex("A.3 #8 (result 2^130 - 5)", r1, z,
			   "ffffffffffffffffffffffffffffffff fbfefefefefefefefefefefefefefefe"
			   "01010101010101010101010101010101", "00000000000000000000000000000000");
	check_poly1305_hex("A.3 #9 (result 2^130 - 6)", r2, z, "fdffffffffffffffffffffffffffffff",
			   "faffffffffffffffffffffffffffffff");
	check_poly1305_hex("A.3 #10 (131-bit intermediate)", "01000000000000000400000000000000", z,
			   "e33594d7505e43b90000000000000000 3394d7505e4379cd0100000000000000"
			   "00000000000000000000000000000000 01000000000000000000000000000000",
			   "14000000000000005500000000000000");
	check_poly1305_hex("A.3 #11 (131-bit final)", "01000000000000000400000000000000", z,
			   "e33594d7505e43b90000000000000000 3394d7505e4379cd0100000000000000"
			   "00000000000000000000000000000000", "13000000000000000000000000000000");
}

/* Carries the RFC's vectors do not reach, e.g. h[0] + 5 (h >> 130) wrapping
 * into h[1] and on into h[2]; tags from python3-cryptography (OpenSSL). */
static void test_poly1305_edges(void)
{
	static const char r1[] = "01000000000000000000000000000000", z[] = "00000000000000000000000000000000",
			  ff[] = "ffffffffffffffffffffffffffffffff";
	uint8_t msg[1024];
	char key_hex[65];

	memset(msg, 0xff, sizeof msg);
	snprintf(key_hex, sizeof key_hex, "%s%s", r1, z);
	check_poly1305("r = 1, 3 blocks of ff", key_hex, msg, 48, "02000000000000000000000000000000");
	check_poly1305("r = 1, 4 blocks of ff", key_hex, msg, 64, "06000000000000000000000000000000");
	snprintf(key_hex, sizeof key_hex, "%s%s", ff, ff);
	check_poly1305("largest r and s, 257 bytes of ff", key_hex, msg, 257, "2d5d96b08bcdc7a0a2dd87a44f5222c1");
	snprintf(key_hex, sizeof key_hex, "%s%s", ff, z);
	check_poly1305("largest r, 1024 bytes of ff", key_hex, msg, 1024, "26d4926a53bb480da228ec61e0a31a38");
}

/* ---- §2.6.2, A.4: the one-time key ---- */

static void check_keygen(const char *name, const char *key_hex, const char *nonce_hex, const char *otk_hex)
{
	uint8_t key[32], nonce[12], otk[32] = { 0 };

	unhex(key, key_hex);
	unhex(nonce, nonce_hex);
	chacha20_xor(otk, otk, sizeof otk, key, nonce, 0);
	ok(mem_eq_hex(otk, sizeof otk, otk_hex), "%s Poly1305 key generation", name);
}

static void test_keygen(void)
{
	check_keygen("§2.6.2", "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
		     "000000000001020304050607",
		     "8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646");
	check_keygen("A.4 #1", "0000000000000000000000000000000000000000000000000000000000000000",
		     "000000000000000000000000",
		     "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7");
	check_keygen("A.4 #2", "0000000000000000000000000000000000000000000000000000000000000001",
		     "000000000000000000000002",
		     "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739");
	check_keygen("A.4 #3", "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
		     "000000000000000000000002",
		     "965e3bc6f9ec7ed9560808f4d229f94b137ff275ca9b3fcbdd59deaad23310ae");
}

/* ---- §2.8.2, A.5: the AEAD ---- */

static void test_aead_vectors(void)
{
	uint8_t key[32], nonce[12], ad[16], tag[16], ct[512], pt[512];
	size_t ad_len;

	/* §2.8.2: nonce = the 32-bit constant 07 00 00 00 | IV 40..47 */
	unhex(key, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
	unhex(nonce, "070000004041424344454647");
	ad_len = unhex(ad, "50515253c0c1c2c3c4c5c6c7");
	chacha20poly1305_seal(ct, tag, TEXT(sunscreen), ad, ad_len, key, nonce);
	ok(mem_eq_hex(ct, sizeof sunscreen - 1,
		      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
		      "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
		      "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
		      "3ff4def08e4b7a9de576d26586cec64b6116"), "§2.8.2 AEAD ciphertext");
	ok(mem_eq_hex(tag, 16, "1ae10b594f09e26a7e902ecbd0600691"), "§2.8.2 AEAD tag");
	is_int(chacha20poly1305_open(pt, ct, sizeof sunscreen - 1, tag, ad, ad_len, key, nonce), 0,
	       "§2.8.2 AEAD opens");
	ok(memcmp(pt, sunscreen, sizeof sunscreen - 1) == 0, "§2.8.2 AEAD plaintext back");

	/* A.5 */
	unhex(key, "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
	unhex(nonce, "000000000102030405060708");
	ad_len = unhex(ad, "f33388860000000000004e91");
	unhex(tag, "eead9d67890cbb22392336fea1851f38");
	size_t n = unhex(ct,
			 "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
			 "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
			 "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
			 "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
			 "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
			 "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
			 "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
			 "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
			 "a6ad5cb4022b02709b");
	is_int(n, sizeof internet_drafts - 1, "A.5 ciphertext length");
	is_int(chacha20poly1305_open(pt, ct, n, tag, ad, ad_len, key, nonce), 0, "A.5 AEAD tag verifies");
	ok(memcmp(pt, internet_drafts, n) == 0, "A.5 AEAD decryption");
	uint8_t tag2[16];

	chacha20poly1305_seal(pt, tag2, (const uint8_t *)internet_drafts, n, ad, ad_len, key, nonce);
	ok(memcmp(pt, ct, n) == 0 && memcmp(tag2, tag, 16) == 0, "A.5 AEAD seal gives the same");
}

/* AD and message lengths the RFC's examples miss (empty, multiples of 16,
 * long); tags from python3-cryptography (OpenSSL), key 00..1f, nonce 40..4b,
 * ad[i] = a0 + i, pt[i] = 7 i + 1. */
static void test_aead_lengths(void)
{
	static const struct {
		size_t ad_len, n;
		const char *tag;
	} v[] = {
		{ 0, 0, "2feeb456ec810ae069850c4c40c195c9" },
		{ 16, 0, "42b5366c5e25ba0ec503d3da1f593490" },
		{ 0, 16, "aeebc8bd14427314f9b1f32868867a95" },
		{ 16, 16, "16905b760eb6fc1d3bd246c57bc65e4e" },
		{ 17, 255, "c3964194325aed541d8320cacb545cda" },
		{ 32, 256, "24277fc8e7e1f60652cf92b2bd13033e" },
		{ 13, 16384, "9d9b04f77fb64e0b67d5428dda1571d2" },
	};
	uint8_t key[32], nonce[12], ad[32], tag[16];

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i, ad[i] = (uint8_t)(0xa0 + i);
	for (int i = 0; i < 12; i++)
		nonce[i] = (uint8_t)(0x40 + i);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t *pt = alloc_exact(v[i].n), *ct = alloc_exact(v[i].n);

		for (size_t j = 0; j < v[i].n; j++)
			pt[j] = (uint8_t)(7 * j + 1);
		chacha20poly1305_seal(ct, tag, pt, v[i].n, ad, v[i].ad_len, key, nonce);
		ok(mem_eq_hex(tag, 16, v[i].tag), "AEAD tag, %zu bytes of AD, %zu of message", v[i].ad_len, v[i].n);
		free(pt);
		free(ct);
	}
}

/* ---- properties ---- */

/* The four-block vector path against the one-block path, also where the
 * 32-bit counter wraps. */
static void test_x4_matches_block(void)
{
	static const uint32_t counters[] = { 0, 1, 0x7fffffff, 0xfffffffd, 0xffffffff };
	uint8_t key[32], nonce[12], x4[256], one[256];
	uint32_t s[16];
	int same = 1;

	fill_random(key, sizeof key);
	fill_random(nonce, sizeof nonce);
	for (size_t c = 0; c < sizeof counters / sizeof counters[0]; c++) {
		memset(x4, 0, sizeof x4);
		chacha20_xor(x4, x4, sizeof x4, key, nonce, counters[c]);
		chacha20_init(s, key, nonce, counters[c]);
		for (int b = 0; b < 4; b++) {
			chacha20_block(one + 64 * b, s);
			s[12]++;
		}
		same &= memcmp(x4, one, sizeof one) == 0;
	}
	ok(same, "four-block path == one-block path, counter wrapping included");

	/* any length is a prefix of the longest key stream */
	enum { LONG = 16385 };
	uint8_t *stream = alloc_exact(LONG), *part = alloc_exact(LONG);
	int prefix = 1;

	memset(stream, 0, LONG);
	chacha20_xor(stream, stream, LONG, key, nonce, 7);
	for (size_t n = 0; n <= LONG; n += n < 600 ? 1 : 997) {
		memset(part, 0, n);
		chacha20_xor(part, part, n, key, nonce, 7);
		prefix &= memcmp(part, stream, n) == 0;
	}
	ok(prefix, "every length's key stream is a prefix of the longest");
	free(stream);
	free(part);
}

static void test_poly1305_incremental(void)
{
	enum { N = 300 };
	uint8_t key[32], msg[N], whole[16], tag[16];
	struct poly1305 p;
	int same = 1;

	fill_random(key, sizeof key);
	fill_random(msg, sizeof msg);
	for (size_t n = 0; n <= N; n += n < 70 ? 1 : 23) {
		poly1305_init(&p, key);
		poly1305_update(&p, msg, n);
		poly1305_final(&p, whole);
		for (size_t i = 0; i <= n; i++) {
			poly1305_init(&p, key);
			poly1305_update(&p, msg, i);
			poly1305_update(&p, msg + i, n - i);
			poly1305_final(&p, tag);
			same &= memcmp(tag, whole, 16) == 0;
			/* three pieces: i, one more block and a bit, the rest */
			size_t j = i + 17 < n ? i + 17 : n;

			poly1305_init(&p, key);
			poly1305_update(&p, msg, i);
			poly1305_update(&p, msg + i, j - i);
			poly1305_update(&p, msg + j, n - j);
			poly1305_final(&p, tag);
			same &= memcmp(tag, whole, 16) == 0;
		}
		poly1305_init(&p, key);
		for (size_t i = 0; i < n; i++)
			poly1305_update(&p, msg + i, 1);
		poly1305_final(&p, tag);
		same &= memcmp(tag, whole, 16) == 0;
	}
	ok(same, "Poly1305: every split point and byte by byte == one shot");

	const uint8_t zero_state[sizeof p] = { 0 };

	poly1305_init(&p, key);
	poly1305_update(&p, msg, 5);
	poly1305_final(&p, tag);
	ok(memcmp(&p, zero_state, sizeof p) == 0, "poly1305_final wipes the state");
}

/* seal and open of n bytes through exactly sized buffers, out of place and
 * in place; returns 1 if everything agreed */
static int round_trip(size_t n, size_t ad_len)
{
	uint8_t key[32], nonce[12], tag[16], tag2[16];
	uint8_t *pt = alloc_exact(n), *ct = alloc_exact(n), *back = alloc_exact(n), *io = alloc_exact(n);
	uint8_t *ad = alloc_exact(ad_len);
	int good = 1;

	fill_random(key, sizeof key);
	fill_random(nonce, sizeof nonce);
	fill_random(pt, n);
	fill_random(ad, ad_len);

	chacha20poly1305_seal(ct, tag, pt, n, ad, ad_len, key, nonce);
	good &= chacha20poly1305_open(back, ct, n, tag, ad, ad_len, key, nonce) == 0;
	good &= memcmp(back, pt, n) == 0;

	memcpy(io, pt, n);
	chacha20poly1305_seal(io, tag2, io, n, ad, ad_len, key, nonce);
	good &= memcmp(io, ct, n) == 0 && memcmp(tag2, tag, 16) == 0;
	good &= chacha20poly1305_open(io, io, n, tag2, ad, ad_len, key, nonce) == 0;
	good &= memcmp(io, pt, n) == 0;

	free(pt);
	free(ct);
	free(back);
	free(io);
	free(ad);
	return good;
}

static void test_round_trips(void)
{
	int good = 1;

	for (size_t n = 0; n <= 300; n++)
		good &= round_trip(n, n % 37);
	ok(good, "open(seal(m)) == m, in place == out of place, every length 0..300");
	ok(round_trip(16384, 13), "round trip, 16384 bytes");
	ok(round_trip(16385, 0), "round trip, 16385 bytes");

	/* empty message and empty AD may come as null pointers */
	uint8_t key[32] = { 1 }, nonce[12] = { 2 }, tag[16];

	chacha20poly1305_seal(NULL, tag, NULL, 0, NULL, 0, key, nonce);
	is_int(chacha20poly1305_open(NULL, NULL, 0, tag, NULL, 0, key, nonce), 0, "empty message, null pointers");
}

static void test_forgeries(void)
{
	enum { N = 77, AD = 19 };
	uint8_t key[32], nonce[12], pt[N], ad[AD], ct[N], tag[16], out[N], before[N];
	int rejected = 1, untouched = 1;

	fill_random(key, sizeof key);
	fill_random(nonce, sizeof nonce);
	fill_random(pt, sizeof pt);
	fill_random(ad, sizeof ad);
	fill_random(before, sizeof before);
	chacha20poly1305_seal(ct, tag, pt, N, ad, AD, key, nonce);

	uint8_t *fields[] = { ct, tag, ad };
	const size_t sizes[] = { N, 16, AD };

	for (int f = 0; f < 3; f++) {
		for (size_t bit = 0; bit < 8 * sizes[f]; bit++) {
			fields[f][bit / 8] ^= (uint8_t)(1 << bit % 8);
			memcpy(out, before, N);
			rejected &= chacha20poly1305_open(out, ct, N, tag, ad, AD, key, nonce) == -1;
			untouched &= memcmp(out, before, N) == 0;
			/* in place: the ciphertext must survive a forgery too */
			uint8_t io[N];

			memcpy(io, ct, N);
			rejected &= chacha20poly1305_open(io, io, N, tag, ad, AD, key, nonce) == -1;
			untouched &= memcmp(io, ct, N) == 0;
			fields[f][bit / 8] ^= (uint8_t)(1 << bit % 8);
		}
	}
	ok(rejected, "every flipped bit of ciphertext, tag or AD is rejected");
	ok(untouched, "a rejected message leaves the output untouched");
	is_int(chacha20poly1305_open(out, ct, N, tag, ad, AD, key, nonce), 0, "the unflipped message still opens");

	/* a wrong key or nonce, or one more or one less byte */
	key[0] ^= 1;
	is_int(chacha20poly1305_open(out, ct, N, tag, ad, AD, key, nonce), -1, "wrong key rejected");
	key[0] ^= 1;
	nonce[11] ^= 0x80;
	is_int(chacha20poly1305_open(out, ct, N, tag, ad, AD, key, nonce), -1, "wrong nonce rejected");
	nonce[11] ^= 0x80;
	is_int(chacha20poly1305_open(out, ct, N - 1, tag, ad, AD, key, nonce), -1, "truncated ciphertext rejected");
	is_int(chacha20poly1305_open(out, ct, N, tag, ad, AD - 1, key, nonce), -1, "truncated AD rejected");
}

int main(void)
{
	test_quarter_round();
	test_block_function();
	test_encryption();
	test_poly1305();
	test_poly1305_edges();
	test_keygen();
	test_aead_vectors();
	test_aead_lengths();
	test_x4_matches_block();
	test_poly1305_incremental();
	test_round_trips();
	test_forgeries();
	return done_testing();
}
