/*
 * str_test.c - the string layer (src/str.c) and the memory functions
 * (src/mem.c), built as a hosted program with ASan and UBSan.
 */
#include <stdint.h>
#include "tap.h"

/* mem.c defines memcpy & co.; give ours other names so libc's stay intact. */
#define memcpy sd_memcpy
#define memmove sd_memmove
#define memset sd_memset
#define memcmp sd_memcmp
#include "../../src/mem.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#define memcmp sd_memcmp
#define memcpy sd_memcpy
#include "../../src/str.c"
#undef memcmp
#undef memcpy

static struct str S(const char *s)
{
	return (struct str){ s, strlen(s) };
}

static void test_mem(void)
{
	char a[16] = "abcdefghij", b[16];

	sd_memset(b, 'x', sizeof(b));
	ok(sd_memcpy(b, a, 11) == b && strcmp(b, "abcdefghij") == 0, "memcpy copies n bytes");
	sd_memmove(a + 2, a, 5);
	is_mem(a, 10, "ababcdehij", "memmove forward overlap");
	sd_memmove(a, a + 2, 5);
	is_mem(a, 10, "abcdedehij", "memmove backward overlap");
	sd_memset(a, 0, 3);
	ok(a[0] == 0 && a[2] == 0 && a[3] == 'd', "memset fills exactly n bytes");
	ok(sd_memcmp("abc", "abd", 3) < 0 && sd_memcmp("abd", "abc", 3) > 0, "memcmp orders");
	ok(sd_memcmp("\xff", "\x01", 1) > 0, "memcmp compares as unsigned char");
	ok(sd_memcmp("abc", "abd", 2) == 0 && sd_memcmp("", "", 0) == 0, "memcmp equal prefixes");

	/* Word-at-a-time copies: every length 0..40 at every alignment 0..8 of
	 * source and destination, overlapping both ways for memmove, against a
	 * byte-by-byte model; the bytes around the target must not change. */
	unsigned char src[64], dst[64], want[64];
	int bad_cpy = 0, bad_move = 0;
	for (int n = 0; n <= 40; n++)
		for (int so = 0; so <= 8; so++)
			for (int dof = 0; dof <= 8; dof++) {
				for (int i = 0; i < 64; i++)
					src[i] = (unsigned char)(i * 7 + 1), dst[i] = want[i] = 0xee;
				for (int i = 0; i < n; i++)
					want[dof + i] = src[so + i];
				sd_memcpy(dst + dof, src + so, (size_t)n);
				bad_cpy += memcmp(dst, want, 64) != 0;
				/* memmove within one buffer: src at so, dst at 16 + dof - 8 */
				unsigned char buf[64], model[64];
				for (int i = 0; i < 64; i++)
					buf[i] = model[i] = (unsigned char)(i * 3 + 5);
				int from = 8 + so, to = 8 + dof;
				for (int i = 0; i < n; i++)	/* what it must become */
					model[to + i] = (unsigned char)((from + i) * 3 + 5);
				sd_memmove(buf + to, buf + from, (size_t)n);
				bad_move += memcmp(buf, model, 64) != 0;
			}
	is_int(bad_cpy, 0, "memcpy: lengths 0-40, all alignments, nothing outside touched");

	/* Long copies (x86-64: rep movsb from 256 bytes on) */
	static unsigned char big_src[5000], big_dst[5000], big_want[5000];
	static const size_t lens[] = { 255, 256, 257, 263, 1000, 4096, 4909 };
	int bad_long = 0;
	for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
		for (int so = 0; so <= 8; so += 3)
			for (int dof = 0; dof <= 8; dof += 5) {
				for (int i = 0; i < 5000; i++)
					big_src[i] = (unsigned char)(i * 13 + 7), big_dst[i] = big_want[i] = 0xee;
				for (size_t i = 0; i < lens[l]; i++)
					big_want[dof + i] = big_src[so + i];
				bad_long += sd_memcpy(big_dst + dof, big_src + so, lens[l]) != big_dst + dof;
				bad_long += memcmp(big_dst, big_want, sizeof(big_dst)) != 0;
			}
	is_int(bad_long, 0, "memcpy: long lengths around 256 and up to 4909, several alignments");
	is_int(bad_move, 0, "memmove: lengths 0-40, overlapping either way, all alignments");
}

static void test_compare(void)
{
	ok(str_eq(S("abc"), STR("abc")) && !str_eq(S("abc"), STR("abd")), "str_eq");
	ok(!str_eq(S("ab"), STR("abc")), "str_eq: different lengths differ");
	ok(str_ieq(S("Content-LENGTH"), STR("content-length")), "str_ieq ignores ASCII case");
	ok(!str_ieq(S("a["), STR("A{")), "str_ieq: '[' is not '{' (only letters fold)");
	ok(cstr_eq("--port", "--port") && !cstr_eq("--port", "--por") && !cstr_eq("--p", "--port"),
	   "cstr_eq needs the whole string");
	is_int(cstr_len(""), 0, "cstr_len of empty");
	is_int(cstr_len("hello"), 5, "cstr_len");
	char buf[8];
	char *end = cstr_copy(buf, "abc");
	ok(end == buf + 3 && memcmp(buf, "abc", 3) == 0, "cstr_copy returns the end");
}

static void test_tchar(void)
{
	const char *rfc = "!#$%&'*+-.^_`|~0123456789"
			  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	int bad = 0;

	for (int c = 0; c < 256; c++)
		bad += is_tchar((unsigned char)c) != (c != 0 && strchr(rfc, c) != NULL);
	is_int(bad, 0, "is_tchar matches RFC 9110 tchar for all 256 bytes");
}

static void test_parse(void)
{
	uint64_t v = 7;

	ok(parse_u64(S("0"), UINT64_MAX, &v) == 0 && v == 0, "parse_u64 0");
	ok(parse_u64(S("18446744073709551615"), UINT64_MAX, &v) == 0 && v == UINT64_MAX,
	   "parse_u64 at the limit: 2^64-1");
	is_int(parse_u64(S("18446744073709551616"), UINT64_MAX, &v), -ERANGE,
	       "parse_u64 limit+1 overflows: -ERANGE");
	is_int(parse_u64(S("99999999999999999999999"), UINT64_MAX, &v), -ERANGE, "parse_u64 long overflow");
	ok(parse_u64(S("65535"), 65535, &v) == 0 && v == 65535, "parse_u64 at max");
	is_int(parse_u64(S("65536"), 65535, &v), -ERANGE, "parse_u64 max+1: -ERANGE");
	is_int(parse_u64(S(""), 10, &v), -EINVAL, "parse_u64 empty: -EINVAL");
	is_int(parse_u64(S("+1"), 10, &v), -EINVAL, "parse_u64 sign: -EINVAL");
	is_int(parse_u64(S("1 "), 10, &v), -EINVAL, "parse_u64 trailing space: -EINVAL");
	is_int(parse_u64(S("0x10"), 100, &v), -EINVAL, "parse_u64 hex prefix: -EINVAL");
	ok(parse_u64(S("007"), 10, &v) == 0 && v == 7, "parse_u64 leading zeros");
	ok(parse_hex(S("fFfF"), UINT64_MAX, &v) == 0 && v == 0xffff, "parse_hex any case");
	ok(parse_hex(S("ffffffffffffffff"), UINT64_MAX, &v) == 0 && v == UINT64_MAX, "parse_hex at the limit");
	is_int(parse_hex(S("10000000000000000"), UINT64_MAX, &v), -ERANGE, "parse_hex limit+1");
	is_int(parse_hex(S("g"), UINT64_MAX, &v), -EINVAL, "parse_hex non-digit");

	uint32_t a;
	ok(parse_ipv4("127.0.0.1", &a) == 0 && memcmp(&a, "\x7f\0\0\x01", 4) == 0, "parse_ipv4 loopback");
	ok(parse_ipv4("255.255.255.255", &a) == 0 && a == 0xffffffff, "parse_ipv4 broadcast");
	const char *bad[] = { "256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "", "a.b.c.d",
			      "1.2.3.4 ", "0001.2.3.4", "-1.2.3.4" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(parse_ipv4(bad[i], &a), -EINVAL, "parse_ipv4 rejects \"%s\"", bad[i]);
}

static void test_format(void)
{
	char b[32];

	is_mem(b, fmt_u64(b, 0), "0", "fmt_u64 0");
	is_mem(b, fmt_u64(b, UINT64_MAX), "18446744073709551615", "fmt_u64 max (U64_DEC_MAX digits)");
	is_mem(b, fmt_hex(b, 0), "0", "fmt_hex 0");
	is_mem(b, fmt_hex(b, 0xdeadBEEF), "deadbeef", "fmt_hex lower case");
	is_mem(b, fmt_hex(b, UINT64_MAX), "ffffffffffffffff", "fmt_hex max (U64_HEX_MAX digits)");
}

static void test_outbuf(void)
{
	char mem[8];
	struct outbuf ob;

	ob_init(&ob, mem, sizeof(mem));
	is_int(OB_LIT(&ob, "abcd"), 0, "ob_put fits");
	is_int(ob_u64(&ob, 123), 0, "ob_u64 fits");
	is_int(ob_put(&ob, "x", 1), 0, "ob_put fills to exactly cap");
	is_mem(ob.p, ob.len, "abcd123x", "outbuf holds every byte");
	ok(!ob.overflow, "no overflow at exactly cap");
	is_int(ob_put(&ob, "y", 1), -ENOBUFS, "append at cap+1: -ENOBUFS");
	ok(ob.overflow && ob.len == 8, "overflow is sticky and nothing was written");
	ob_init(&ob, mem, sizeof(mem));
	is_int(ob_hex(&ob, UINT64_MAX), -ENOBUFS, "16 hex digits do not fit in 8");
	ok(ob.len == 0, "a failed append writes nothing (no silent truncation)");
	is_int(ob_str(&ob, STR("1234567")), 0, "ob_str");
	is_int(ob_u64(&ob, 10), -ENOBUFS, "a number that does not fit is refused whole");
}

int main(void)
{
	test_mem();
	test_compare();
	test_tchar();
	test_parse();
	test_format();
	test_outbuf();
	return done_testing();
}
