/*
 * tls_hello_test.c - the ClientHello parser (src/tls/client_hello.c),
 * hosted, with ASan and UBSan.
 *
 * Hellos are built here, with every vector's length prefix recorded, and
 * each input is copied to the end of a page followed by a PROT_NONE page
 * (as http_test.c does), so a read past the end crashes. Covered: a good
 * hello's fields; truncation at every offset; every length prefix + 1;
 * vectors out of their ranges; repeated extensions and key share groups;
 * empty key shares; legacy_version, supported_versions and compression;
 * pre_shared_key not last; ALPN with and without http/1.1; the retry
 * digest (RFC 8446 §4.1.2); each alert the parser gives.
 */
#include <sys/mman.h>
#include <unistd.h>
#include "tls_test.h"
#include "../../src/tls/client_hello.c"

/* ---- guarded input ---- */

#define ARENA (64 * 1024)
static uint8_t *arena;

static void arena_init(void)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *m = mmap(NULL, ARENA + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED || mprotect(m + ARENA, page, PROT_NONE) != 0) {
		perror("mmap");
		_exit(2);
	}
	arena = m;
}

static int parse(struct client_hello *ch, const uint8_t *p, size_t n)
{
	uint8_t *g = arena + ARENA - n;

	memmove(g, p, n);
	return client_hello_parse(ch, g, n);
}

/* ---- a hello builder that remembers where its lengths are ---- */

struct b {
	uint8_t p[8192];
	size_t n;
	size_t len_at[256], len_width[256], nlens;
};

static void put(struct b *b, size_t width, size_t v)
{
	for (size_t i = width; i-- > 0; v >>= 8)
		b->p[b->n + i] = (uint8_t)v;
	b->n += width;
}

static void put_hex(struct b *b, const char *hex)
{
	b->n += unhex(b->p + b->n, hex);
}

static size_t open_vec(struct b *b, size_t width)
{
	size_t at = b->n;

	b->len_at[b->nlens] = at;
	b->len_width[b->nlens++] = width;
	put(b, width, 0);
	return at;
}

static void close_vec(struct b *b, size_t at, size_t width)
{
	size_t n = b->n - at - width;

	for (size_t i = width; i-- > 0; n >>= 8)
		b->p[at + i] = (uint8_t)n;
}

/* an extension whose body is one vector of hex */
static void ext_vec(struct b *b, unsigned type, size_t width, const char *hex)
{
	size_t e, v;

	put(b, 2, type);
	e = open_vec(b, 2);
	v = open_vec(b, width);
	put_hex(b, hex);
	close_vec(b, v, width);
	close_vec(b, e, 2);
}

static void ext_raw(struct b *b, unsigned type, const char *hex)
{
	size_t e;

	put(b, 2, type);
	e = open_vec(b, 2);
	put_hex(b, hex);
	close_vec(b, e, 2);
}

static void ext_server_name(struct b *b, const char *host)
{
	size_t e, list, name;

	put(b, 2, TLS_EXT_SERVER_NAME);
	e = open_vec(b, 2);
	list = open_vec(b, 2);
	put(b, 1, 0);		/* host_name */
	name = open_vec(b, 2);
	memcpy(b->p + b->n, host, strlen(host));
	b->n += strlen(host);
	close_vec(b, name, 2);
	close_vec(b, list, 2);
	close_vec(b, e, 2);
}

/* names: NULL-terminated */
static void ext_alpn(struct b *b, const char *const *names)
{
	size_t e, list, name;

	put(b, 2, TLS_EXT_ALPN);
	e = open_vec(b, 2);
	list = open_vec(b, 2);
	for (; *names; names++) {
		name = open_vec(b, 1);
		memcpy(b->p + b->n, *names, strlen(*names));
		b->n += strlen(*names);
		close_vec(b, name, 1);
	}
	close_vec(b, list, 2);
	close_vec(b, e, 2);
}

/* shares: pairs of group and key_exchange length, ended by 0 */
static void ext_key_share(struct b *b, const unsigned *shares)
{
	size_t e, list, kx;

	put(b, 2, TLS_EXT_KEY_SHARE);
	e = open_vec(b, 2);
	list = open_vec(b, 2);
	for (; shares[0]; shares += 2) {
		put(b, 2, shares[0]);
		kx = open_vec(b, 2);
		for (unsigned i = 0; i < shares[1]; i++)
			b->p[b->n++] = (uint8_t)(i + 9);
		close_vec(b, kx, 2);
	}
	close_vec(b, list, 2);
	close_vec(b, e, 2);
}

/* What a hello holds; the defaults make a good TLS 1.3 hello. */
struct spec {
	unsigned version;
	size_t sid_len;
	const char *suites, *compression;
	int no_extensions;
	const char *versions;		/* NULL: no supported_versions */
	const char *sni;		/* NULL: none */
	const char *const *alpn;	/* NULL: none */
	const unsigned *shares;		/* NULL: no key_share */
	const char *extra_first;	/* whole extensions (hex), before the others */
	const char *extra_last;		/* and after them */
};

static const char *const alpn_h2_http11[] = { "h2", "http/1.1", NULL };
static const unsigned share_x25519[] = { TLS_GROUP_X25519, 32, 0 };

static struct spec good(void)
{
	return (struct spec){
		.version = 0x0303,
		.sid_len = 32,
		.suites = "1301 1302 1303",
		.compression = "00",
		.versions = "7a7a 0304 0303",
		.sni = "example.com",
		.alpn = alpn_h2_http11,
		.shares = share_x25519,
	};
}

/* The ClientHello body (no handshake header). */
static size_t build(struct b *b, struct spec s)
{
	size_t v, exts;

	memset(b, 0, sizeof(*b));
	put(b, 2, s.version);
	for (int i = 0; i < 32; i++)
		b->p[b->n++] = (uint8_t)(0xa0 + i);	/* random */
	v = open_vec(b, 1);
	for (size_t i = 0; i < s.sid_len; i++)
		b->p[b->n++] = (uint8_t)i;
	close_vec(b, v, 1);
	v = open_vec(b, 2);
	put_hex(b, s.suites);
	close_vec(b, v, 2);
	v = open_vec(b, 1);
	put_hex(b, s.compression);
	close_vec(b, v, 1);
	if (s.no_extensions)
		return b->n;
	exts = open_vec(b, 2);
	if (s.extra_first)
		put_hex(b, s.extra_first);
	if (s.sni)
		ext_server_name(b, s.sni);
	ext_vec(b, TLS_EXT_SUPPORTED_GROUPS, 2, "1a1a 001d 0017 0018");
	ext_vec(b, TLS_EXT_SIGNATURE_ALGORITHMS, 2, "0403 0804 0401");
	if (s.alpn)
		ext_alpn(b, s.alpn);
	if (s.versions)
		ext_vec(b, TLS_EXT_SUPPORTED_VERSIONS, 1, s.versions);
	ext_vec(b, TLS_EXT_PSK_KEY_EXCHANGE_MODES, 1, "01");
	if (s.shares)
		ext_key_share(b, s.shares);
	ext_raw(b, 0x3a3a, "");		/* GREASE */
	if (s.extra_last)
		put_hex(b, s.extra_last);
	close_vec(b, exts, 2);
	return b->n;
}

static struct b hb;
static struct client_hello ch;

static int parse_spec(struct spec s)
{
	size_t n = build(&hb, s);

	return parse(&ch, hb.p, n);
}

/* ---- tests ---- */

static void test_good(void)
{
	size_t n = build(&hb, good());

	is_int(parse(&ch, hb.p, n), 0, "a good hello parses");
	is_int(ch.legacy_version, 0x0303, "legacy_version");
	ok(ch.random == arena + ARENA - n + 2 && ch.random[0] == 0xa0 && ch.random[31] == 0xbf, "random");
	ok(ch.session_id.n == 32 && ch.session_id.p[31] == 31, "legacy_session_id");
	ok(ch.suites.n == 6 && tls_list_has(ch.suites, 0x1303) && !tls_list_has(ch.suites, 0x1304), "cipher_suites");
	ok(ch.groups.n == 8 && tls_list_has(ch.groups, TLS_GROUP_SECP256R1), "supported_groups");
	ok(tls_list_has(ch.sig_algs, 0x0403) && tls_list_has(ch.sig_algs, 0x0401), "signature_algorithms");
	ok(ch.x25519.n == 32 && ch.x25519.p[0] == 9 && !ch.secp256r1.p && ch.shares == 1, "key_share");
	is_int(ch.ext, CH_SERVER_NAME | CH_SUPPORTED_GROUPS | CH_SIGNATURE_ALGORITHMS | CH_ALPN |
		       CH_SUPPORTED_VERSIONS | CH_KEY_SHARE | CH_PSK_MODES, "the extensions present");
	ok(ch.alpn_http11, "ALPN lists http/1.1 (after h2)");
}

static void test_truncated(void)
{
	size_t n = build(&hb, good()), no_ext_at = 2 + 32 + 1 + 32 + 2 + 6 + 1 + 1;
	int all = 1;

	for (size_t k = 0; k < n; k++) {
		int r = parse(&ch, hb.p, k);

		/* cut right after the compression methods it is a hello
		 * without extensions: no TLS 1.3 */
		all &= r == (k == no_ext_at ? TLS_ALERT_PROTOCOL_VERSION : TLS_ALERT_DECODE_ERROR);
	}
	ok(all, "truncated at each of %zu offsets: decode_error", n);
	hb.p[n] = 0;
	is_int(parse(&ch, hb.p, n + 1), TLS_ALERT_DECODE_ERROR, "a byte after the extensions: decode_error");
}

static void test_lengths_overrun(void)
{
	size_t n = build(&hb, good());
	int all = 1, refused = 1;

	for (size_t i = 0; i < hb.nlens; i++) {
		static uint8_t copy[8192];
		size_t at = hb.len_at[i], w = hb.len_width[i], v = 0;
		int r;

		memcpy(copy, hb.p, n);
		for (size_t k = 0; k < w; k++)
			v = v << 8 | copy[at + k];
		v++;
		for (size_t k = w; k-- > 0; v >>= 8)
			copy[at + k] = (uint8_t)v;
		r = parse(&ch, copy, n);
		refused &= r != 0;
		all &= r == TLS_ALERT_DECODE_ERROR;
		if (r != TLS_ALERT_DECODE_ERROR)
			printf("#   length at %zu (+1): alert %d\n", at, r);
	}
	ok(refused, "each of %zu length prefixes + 1 is refused", hb.nlens);
	ok(all, "... with decode_error");
}

static void test_ranges(void)
{
	struct spec s;
	static const char *const alpn_empty_name[] = { "http/1.1", "", NULL };
	static const char *const alpn_none[] = { NULL };

	s = good();
	s.sid_len = 33;
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "legacy_session_id of 33 bytes: decode_error");
	s.sid_len = 0;
	is_int(parse_spec(s), 0, "an empty legacy_session_id is fine");
	s = good();
	s.suites = "";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "no cipher suites: decode_error");
	s.suites = "1301 13";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "an odd cipher_suites length: decode_error");
	s = good();
	s.compression = "";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "no compression methods: decode_error");
	s = good();
	s.sni = "";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "an empty host_name: decode_error");
	s = good();
	s.sni = NULL;
	s.extra_first = "0000 0002 0000";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "an empty server_name_list: decode_error");
	s.extra_first = "0000 0000";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "an empty server_name body: decode_error");
	s.extra_first = "0000 0008 0006 05 0003 616263";
	is_int(parse_spec(s), 0, "an unknown name type is skipped");
	s = good();
	s.alpn = alpn_empty_name;
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "an empty ALPN protocol name: decode_error");
	s.alpn = alpn_none;
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "an empty ALPN list: decode_error");
	s = good();
	s.versions = "";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "empty supported_versions: decode_error");
	s.versions = "0304 03";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "an odd supported_versions: decode_error");
	s = good();
	s.extra_last = "002a 0001 00";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "early_data with a body: decode_error");
	s.extra_last = "002a 0000";
	ok(parse_spec(s) == 0 && (ch.ext & CH_EARLY_DATA), "early_data, empty");
	s = good();
	s.extra_first = "000a 0003 0001 1d";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "supported_groups with a byte left over: decode_error");
	s.extra_first = "000d 0002 0000";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "empty signature_algorithms: decode_error");
	s.extra_first = "002d 0001 00";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "empty psk_key_exchange_modes: decode_error");
	s = good();
	s.extra_first = "fe0d 0003 010203";
	is_int(parse_spec(s), 0, "an unknown extension is skipped, whatever its body");
}

static void test_duplicates(void)
{
	struct spec s = good();
	static const unsigned dup_share[] = { TLS_GROUP_X25519, 32, 0x6a6a, 1, TLS_GROUP_X25519, 32, 0 };

	s.extra_first = "000d 0004 0002 0403";
	is_int(parse_spec(s), TLS_ALERT_ILLEGAL_PARAMETER, "signature_algorithms twice: illegal_parameter");
	s.extra_first = "1234 0000";
	s.extra_last = "1234 0001 00";
	is_int(parse_spec(s), TLS_ALERT_ILLEGAL_PARAMETER, "an unknown extension twice: illegal_parameter");
	s = good();
	s.shares = dup_share;
	is_int(parse_spec(s), TLS_ALERT_ILLEGAL_PARAMETER, "x25519 twice in key_share: illegal_parameter");
}

static void test_key_shares(void)
{
	struct spec s = good();
	static const unsigned none[] = { 0 }, empty_kx[] = { TLS_GROUP_X25519, 0, 0 },
			      both[] = { 0x2a2a, 1, TLS_GROUP_SECP256R1, 65, TLS_GROUP_X25519, 32, 0x11ec, 1216, 0 };

	s.shares = none;
	ok(parse_spec(s) == 0 && (ch.ext & CH_KEY_SHARE) && ch.shares == 0 && !ch.x25519.p,
	   "an empty client_shares is fine (it asks for a HelloRetryRequest)");
	s.shares = empty_kx;
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "an empty key_exchange: decode_error");
	s.shares = NULL;
	s.extra_last = "0033 0000";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "a key_share without its list: decode_error");
	s.extra_last = "0033 0003 0001 00";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "a key_share cut inside: decode_error");
	s = good();
	s.shares = both;
	ok(parse_spec(s) == 0 && ch.shares == 4 && ch.x25519.n == 32 && ch.secp256r1.n == 65,
	   "GREASE, P-256, X25519 and a large unknown share");
}

static void test_versions(void)
{
	struct spec s = good();

	s.version = 0x0300;
	is_int(parse_spec(s), TLS_ALERT_PROTOCOL_VERSION, "legacy_version 0x0300: protocol_version (RFC 8446 §D.5)");
	s.version = 0x0200;
	is_int(parse_spec(s), TLS_ALERT_PROTOCOL_VERSION, "legacy_version 0x0200: protocol_version");
	s.version = 0x0301;
	is_int(parse_spec(s), 0, "legacy_version 0x0301 with supported_versions: TLS 1.3 (§4.2.1)");
	s = good();
	s.versions = NULL;
	is_int(parse_spec(s), TLS_ALERT_PROTOCOL_VERSION, "no supported_versions: protocol_version");
	s.versions = "0303 0302";
	is_int(parse_spec(s), TLS_ALERT_PROTOCOL_VERSION, "supported_versions without 0x0304: protocol_version");
	s = good();
	s.no_extensions = 1;
	is_int(parse_spec(s), TLS_ALERT_PROTOCOL_VERSION, "no extensions at all: protocol_version");
	s.compression = "01 00";
	s.version = 0x0301;
	is_int(parse_spec(s), TLS_ALERT_PROTOCOL_VERSION, "an old hello with DEFLATE: protocol_version first");
	s = good();
	s.compression = "01 00";
	is_int(parse_spec(s), TLS_ALERT_ILLEGAL_PARAMETER, "compression {1, 0}: illegal_parameter");
	s.compression = "01";
	is_int(parse_spec(s), TLS_ALERT_ILLEGAL_PARAMETER, "compression {1}: illegal_parameter");
	s.compression = "00 00";
	is_int(parse_spec(s), TLS_ALERT_ILLEGAL_PARAMETER, "compression {0, 0}: illegal_parameter");
}

static void test_pre_shared_key(void)
{
	struct spec s = good();
	/* identities: one of 1 byte plus its age; binders: one of 32 bytes */
	static const char psk[] = "0029 002c 0007 0001 aa 00000000 0021 20"
				  "0000000000000000000000000000000000000000000000000000000000000000";
	char first[256];

	s.extra_last = psk;
	ok(parse_spec(s) == 0 && (ch.ext & CH_PRE_SHARED_KEY), "pre_shared_key last is parsed");
	snprintf(first, sizeof(first), "%s", psk);
	s.extra_last = NULL;
	s.extra_first = first;
	is_int(parse_spec(s), TLS_ALERT_ILLEGAL_PARAMETER, "pre_shared_key not last: illegal_parameter");
	s.extra_first = NULL;
	s.extra_last = "0029 0004 0000 0000";
	is_int(parse_spec(s), TLS_ALERT_DECODE_ERROR, "pre_shared_key with empty vectors: decode_error");
}

static void test_alpn(void)
{
	struct spec s = good();
	static const char *const h2[] = { "h2", NULL }, *const close[] = { "http/1.0", "http/1.11", "http/1.", NULL },
				 *const only[] = { "http/1.1", NULL };

	s.alpn = only;
	ok(parse_spec(s) == 0 && (ch.ext & CH_ALPN) && ch.alpn_http11, "ALPN http/1.1 alone");
	s.alpn = h2;
	ok(parse_spec(s) == 0 && (ch.ext & CH_ALPN) && !ch.alpn_http11, "ALPN h2 alone: no http/1.1");
	s.alpn = close;
	ok(parse_spec(s) == 0 && !ch.alpn_http11, "names near http/1.1 are not it");
	s.alpn = NULL;
	ok(parse_spec(s) == 0 && !(ch.ext & CH_ALPN) && !ch.alpn_http11, "no ALPN");
}

static void test_digest(void)
{
	static const unsigned p256[] = { TLS_GROUP_SECP256R1, 65, 0 };
	uint8_t first[32];
	struct spec s = good();

	parse_spec(s);
	memcpy(first, ch.digest, 32);
	s.shares = p256;
	s.extra_first = "0015 0003 000000";		/* padding */
	s.extra_last = "002c 0004 0002 abcd";		/* cookie */
	ok(parse_spec(s) == 0 && memcmp(ch.digest, first, 32) == 0,
	   "the retry digest ignores key_share, padding and cookie");
	s = good();
	s.extra_last = "002a 0000";
	ok(parse_spec(s) == 0 && memcmp(ch.digest, first, 32) == 0, "and early_data");
	s = good();
	s.sni = "example.org";
	ok(parse_spec(s) == 0 && memcmp(ch.digest, first, 32) != 0, "but not server_name");
	s = good();
	s.suites = "1303 1301 1302";
	ok(parse_spec(s) == 0 && memcmp(ch.digest, first, 32) != 0, "nor cipher_suites");
	s = good();
	s.sid_len = 31;
	ok(parse_spec(s) == 0 && memcmp(ch.digest, first, 32) != 0, "nor legacy_session_id");
}

int main(void)
{
	arena_init();
	test_good();
	test_truncated();
	test_lengths_overrun();
	test_ranges();
	test_duplicates();
	test_key_shares();
	test_versions();
	test_pre_shared_key();
	test_alpn();
	test_digest();
	return done_testing();
}
