/*
 * sha256_test.c - SHA-256, HMAC-SHA256 and HKDF-SHA256 (src/crypto/sha256.c,
 * hmac.c, hkdf.c), hosted, with ASan and UBSan: the FIPS 180-4 examples,
 * RFC 4231 and RFC 5869 test vectors, and the incremental interface at
 * every split point and after a snapshot (a copied state).
 */
#include <stdint.h>
#include <stdlib.h>
#include "tap.h"
#include "hex.h"

#include "../../src/crypto/sha256.c"
#include "../../src/crypto/hmac.c"
#include "../../src/crypto/hkdf.c"


/* ---- SHA-256: FIPS 180-4 examples (NIST CSRC "Examples with
 * intermediate values", SHA256.pdf) and the usual long messages ---- */

static void test_sha256_examples(void)
{
	uint8_t d[32];
	static char million[1000000];

	sha256(d, "abc", 3);
	is_hex(d, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256(\"abc\")");
	sha256(d, "", 0);
	is_hex(d, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA-256(\"\")");
	sha256(d, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
	is_hex(d, 32, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	       "SHA-256 of the 448-bit two-block message");
	sha256(d, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 112);
	is_hex(d, 32, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
	       "SHA-256 of the 896-bit message");
	memset(million, 'a', sizeof(million));
	sha256(d, million, sizeof(million));
	is_hex(d, 32, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	       "SHA-256 of one million 'a'");
}

/* Every split of a message into two updates, and one byte at a time, gives
 * the one-shot digest; so does a copy of the state taken half-way. */
static void test_sha256_incremental(void)
{
	uint8_t msg[200], want[32], got[32];
	int bad = 0;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	for (size_t len = 0; len <= sizeof(msg); len++) {
		sha256(want, msg, len);
		for (size_t cut = 0; cut <= len; cut++) {
			struct sha256 s;

			sha256_init(&s);
			sha256_update(&s, msg, cut);
			sha256_update(&s, msg + cut, len - cut);
			sha256_final(&s, got);
			bad += memcmp(got, want, 32) != 0;
		}
		struct sha256 s, snap;
		sha256_init(&s);
		for (size_t i = 0; i < len; i++) {
			sha256_update(&s, msg + i, 1);
			if (i == len / 2)
				snap = s;
		}
		sha256_final(&s, got);
		bad += memcmp(got, want, 32) != 0;
		if (len) {
			uint8_t half[32];

			sha256(want, msg, len / 2 + 1);
			sha256_final(&snap, half);
			bad += memcmp(half, want, 32) != 0;
		}
	}
	is_int(bad, 0, "incremental SHA-256 == one-shot at every split, byte by byte, and from a snapshot");
}

/* ---- HMAC-SHA256: RFC 4231 §4 ---- */

static void test_hmac_rfc4231(void)
{
	static const struct {
		const char *key, *data, *mac;
		size_t trunc;	/* bytes of the MAC compared */
	} v[] = {
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32 },
		{ "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
		  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32 },
		{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
		  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
		  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32 },
		{ "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e",
		  "a3b6167473100ee06e0c796c2955552b", 16 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
		  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 32 },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t key[256], data[256], mac[32];
		size_t kl = unhex(key, v[i].key), dl = unhex(data, v[i].data);

		hmac_sha256(mac, key, kl, data, dl);
		is_hex(mac, v[i].trunc, v[i].mac, "RFC 4231 test case %zu", i + 1);
	}
}

static void test_hmac_incremental(void)
{
	uint8_t key[100], msg[150], want[32], got[32];
	int bad = 0;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i ^ 0x5a);
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 13);
	/* key lengths around the block size: 63, 64 (padded) and 65 (hashed) */
	for (size_t kl = 0; kl <= sizeof(key); kl++) {
		hmac_sha256(want, key, kl, msg, sizeof(msg));
		for (size_t cut = 0; cut <= sizeof(msg); cut += 7) {
			struct hmac_sha256 h;

			hmac_sha256_init(&h, key, kl);
			hmac_sha256_update(&h, msg, cut);
			hmac_sha256_update(&h, msg + cut, sizeof(msg) - cut);
			hmac_sha256_final(&h, got);
			bad += memcmp(got, want, 32) != 0;
		}
	}
	is_int(bad, 0, "incremental HMAC == one-shot for keys of 0..100 bytes at many splits");
	/* A key of more than 64 bytes is hashed first (RFC 2104 §2). */
	uint8_t long_key[65], hashed[32];
	memset(long_key, 0xaa, sizeof(long_key));
	sha256(hashed, long_key, sizeof(long_key));
	hmac_sha256(want, long_key, sizeof(long_key), msg, 10);
	hmac_sha256(got, hashed, sizeof(hashed), msg, 10);
	ok(memcmp(want, got, 32) == 0, "a 65-byte key acts as its SHA-256 digest");
}

/* ---- HKDF-SHA256: RFC 5869 Appendix A.1-A.3 ---- */

static void test_hkdf_rfc5869(void)
{
	static const struct {
		const char *ikm, *salt, *info, *prk, *okm;
	} v[] = {
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
		  "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
		  "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865" },
		{ "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
		  "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
		  "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		  "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
		  "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87" },
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
		  "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
		  "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t ikm[128], salt[128], info[128], prk[32], okm[128];
		size_t il = unhex(ikm, v[i].ikm), sl = unhex(salt, v[i].salt), nl = unhex(info, v[i].info);
		size_t ol = strlen(v[i].okm) / 2;

		hkdf_sha256_extract(prk, salt, sl, ikm, il);
		is_hex(prk, 32, v[i].prk, "RFC 5869 A.%zu PRK", i + 1);
		is_int(hkdf_sha256_expand(okm, ol, prk, 32, info, nl), 0, "RFC 5869 A.%zu expand succeeds", i + 1);
		is_hex(okm, ol, v[i].okm, "RFC 5869 A.%zu OKM", i + 1);
	}
}

static void test_hkdf_bounds(void)
{
	static uint8_t okm[HKDF_SHA256_MAX + 1], prefix[HKDF_SHA256_MAX];
	uint8_t prk[32] = { 1, 2, 3 };

	is_int(hkdf_sha256_expand(okm, HKDF_SHA256_MAX, prk, 32, "x", 1), 0, "expand to 255 * 32 bytes succeeds");
	memcpy(prefix, okm, sizeof(prefix));
	memset(okm, 0xee, sizeof(okm));
	is_int(hkdf_sha256_expand(okm, HKDF_SHA256_MAX + 1, prk, 32, "x", 1), -1, "expand to 255 * 32 + 1 bytes fails");
	ok(okm[0] == 0xee && okm[HKDF_SHA256_MAX] == 0xee, "a refused expand writes nothing");
	/* shorter outputs are prefixes of longer ones */
	int bad = 0;
	for (size_t len = 0; len <= 100; len++) {
		uint8_t part[100];

		hkdf_sha256_expand(part, len, prk, 32, "x", 1);
		bad += memcmp(part, prefix, len) != 0;
	}
	is_int(bad, 0, "expand to L bytes is the prefix of a longer expand, for L = 0..100");
	is_int(hkdf_sha256_expand(okm, 0, prk, 32, "x", 1), 0, "expand to 0 bytes succeeds");
}

int main(void)
{
	test_sha256_examples();
	test_sha256_incremental();
	test_hmac_rfc4231();
	test_hmac_incremental();
	test_hkdf_rfc5869();
	test_hkdf_bounds();
	return done_testing();
}
