/*
 * client_hello.c - the ClientHello parser (RFC 8446 §4.1.2, §4.2.1-4.2.11,
 * §D.5; RFC 6066 §3; RFC 7301 §3.1). Framing follows the presentation
 * language (§3): a vector whose length runs past its container, or lies
 * outside the range its definition gives, is a decode_error (§6.2).
 *
 * Nothing here is secret (constant time is not a concern). The only large
 * state is a bitmap of the 2^16 extension types (and then key share groups)
 * seen, 8 KiB on the stack, so that finding a repeat stays linear however
 * many entries a 16 KiB message holds.
 */
#include "client_hello.h"
#include "tls.h"
#include "../mem.h"

struct seen {
	uint64_t bits[65536 / 64];
};

/* 1 if v was seen before; marks it seen. */
static int seen_before(struct seen *s, size_t v)
{
	uint64_t bit = (uint64_t)1 << (v & 63);
	int was = (s->bits[v >> 6] & bit) != 0;

	s->bits[v >> 6] |= bit;
	return was;
}

int tls_list_has(struct rd list, unsigned v)
{
	for (size_t i = 0; i + 1 < list.n; i += 2)
		if ((unsigned)(list.p[i] << 8 | list.p[i + 1]) == v)
			return 1;
	return 0;
}

/* A vector of 2-byte values, of at least one: the body of the extension. */
static int u16_list(struct rd data, size_t width, struct rd *list)
{
	if (rd_vec(&data, width, list) < 0 || data.n != 0 || list->n < 2 || list->n & 1)
		return -1;
	return 0;
}

/* RFC 6066 §3: ServerNameList server_name_list<1..2^16-1>, each a NameType
 * and, for host_name (the only type defined), HostName<1..2^16-1>. */
static int parse_server_name(struct rd data)
{
	struct rd list, name;
	size_t type;

	if (rd_vec(&data, 2, &list) < 0 || data.n != 0 || list.n == 0)
		return -1;
	while (list.n > 0)
		if (rd_u8(&list, &type) < 0 || rd_vec(&list, 2, &name) < 0 || name.n == 0)
			return -1;
	return 0;
}

/* RFC 7301 §3.1: ProtocolNameList protocol_name_list<2..2^16-1>, each
 * ProtocolName<1..2^8-1>. */
static int parse_alpn(struct client_hello *ch, struct rd data)
{
	static const char http11[] = "http/1.1";
	struct rd list, name;

	if (rd_vec(&data, 2, &list) < 0 || data.n != 0 || list.n < 2)
		return -1;
	while (list.n > 0) {
		if (rd_vec(&list, 1, &name) < 0 || name.n == 0)
			return -1;
		if (name.n == sizeof(http11) - 1 && memcmp(name.p, http11, name.n) == 0)
			ch->alpn_http11 = 1;
	}
	return 0;
}

/* §4.2.1: ProtocolVersion versions<2..254>. */
static int parse_supported_versions(struct rd data, int *tls13)
{
	struct rd list;

	if (rd_vec(&data, 1, &list) < 0 || data.n != 0 || list.n < 2 || list.n & 1)
		return -1;
	*tls13 = tls_list_has(list, TLS_VERSION_13);
	return 0;
}

/* §4.2.8: KeyShareEntry client_shares<0..2^16-1>, each a NamedGroup and
 * opaque key_exchange<1..2^16-1>; a group may appear once. */
static int parse_key_share(struct client_hello *ch, struct rd data, struct seen *groups)
{
	struct rd list, kx;
	size_t group;

	if (rd_vec(&data, 2, &list) < 0 || data.n != 0)
		return TLS_ALERT_DECODE_ERROR;
	memset(groups, 0, sizeof(*groups));
	while (list.n > 0) {
		if (rd_u16(&list, &group) < 0 || rd_vec(&list, 2, &kx) < 0 || kx.n == 0)
			return TLS_ALERT_DECODE_ERROR;
		if (seen_before(groups, group))
			return TLS_ALERT_ILLEGAL_PARAMETER;
		if (group == TLS_GROUP_X25519)
			ch->x25519 = kx;
		else if (group == TLS_GROUP_SECP256R1)
			ch->secp256r1 = kx;
		ch->shares++;
	}
	return 0;
}

/* §4.2.11: OfferedPsks { identities<7..2^16-1>; binders<33..2^16-1> }.
 * Never accepted, so only the framing is checked. */
static int parse_pre_shared_key(struct rd data)
{
	struct rd ids, binders;

	if (rd_vec(&data, 2, &ids) < 0 || rd_vec(&data, 2, &binders) < 0 || data.n != 0 ||
	    ids.n < 7 || binders.n < 33)
		return -1;
	return 0;
}

/* §4.2.9: PskKeyExchangeMode ke_modes<1..255>. */
static int parse_psk_modes(struct rd data)
{
	struct rd modes;

	if (rd_vec(&data, 1, &modes) < 0 || data.n != 0 || modes.n == 0)
		return -1;
	return 0;
}

/* The extensions a second ClientHello may change (§4.1.2). */
static int may_change_in_retry(size_t type)
{
	return type == TLS_EXT_KEY_SHARE || type == TLS_EXT_EARLY_DATA || type == TLS_EXT_COOKIE ||
	       type == TLS_EXT_PRE_SHARED_KEY || type == TLS_EXT_PADDING;
}

/* One extension this server knows; others are ignored (§4.2). Sets its bit
 * in ch->ext. Returns 0 or -1 (malformed: decode_error). */
static int parse_extension(struct client_hello *ch, size_t type, struct rd data, struct rd *key_share,
			   int *tls13)
{
	switch (type) {
	case TLS_EXT_SERVER_NAME:
		ch->ext |= CH_SERVER_NAME;
		return parse_server_name(data);
	case TLS_EXT_SUPPORTED_GROUPS:
		ch->ext |= CH_SUPPORTED_GROUPS;
		return u16_list(data, 2, &ch->groups);
	case TLS_EXT_SIGNATURE_ALGORITHMS:
		ch->ext |= CH_SIGNATURE_ALGORITHMS;
		return u16_list(data, 2, &ch->sig_algs);
	case TLS_EXT_ALPN:
		ch->ext |= CH_ALPN;
		return parse_alpn(ch, data);
	case TLS_EXT_SUPPORTED_VERSIONS:
		ch->ext |= CH_SUPPORTED_VERSIONS;
		return parse_supported_versions(data, tls13);
	case TLS_EXT_KEY_SHARE:
		/* parsed after the loop, which needs the bitmap until then */
		ch->ext |= CH_KEY_SHARE;
		*key_share = data;
		return 0;
	case TLS_EXT_EARLY_DATA:
		/* §4.2.10: empty in a ClientHello */
		ch->ext |= CH_EARLY_DATA;
		return data.n == 0 ? 0 : -1;
	case TLS_EXT_PRE_SHARED_KEY:
		ch->ext |= CH_PRE_SHARED_KEY;
		return parse_pre_shared_key(data);
	case TLS_EXT_PSK_KEY_EXCHANGE_MODES:
		ch->ext |= CH_PSK_MODES;
		return parse_psk_modes(data);
	default:
		return 0;
	}
}

/* Extension extensions<8..2^16-1> (§4.1.2, §4.2), each hashed into the
 * digest unless a second ClientHello may change it. */
static int parse_extensions(struct client_hello *ch, struct rd exts, struct sha256 *digest, int *tls13)
{
	struct seen seen;
	struct rd key_share = { NULL, 0 };

	memset(&seen, 0, sizeof(seen));
	while (exts.n > 0) {
		const uint8_t *start = exts.p;
		struct rd data;
		size_t type;

		/* §4.2.11: pre_shared_key MUST be the last extension */
		if (ch->ext & CH_PRE_SHARED_KEY)
			return TLS_ALERT_ILLEGAL_PARAMETER;
		if (rd_u16(&exts, &type) < 0 || rd_vec(&exts, 2, &data) < 0)
			return TLS_ALERT_DECODE_ERROR;
		/* §4.2: no more than one extension of a type */
		if (seen_before(&seen, type))
			return TLS_ALERT_ILLEGAL_PARAMETER;
		if (!may_change_in_retry(type))
			sha256_update(digest, start, (size_t)(exts.p - start));
		if (parse_extension(ch, type, data, &key_share, tls13) < 0)
			return TLS_ALERT_DECODE_ERROR;
	}
	if (ch->ext & CH_KEY_SHARE)
		return parse_key_share(ch, key_share, &seen);
	return 0;
}

int client_hello_parse(struct client_hello *ch, const uint8_t *body, size_t n)
{
	struct rd r = { body, n }, compression, exts;
	struct sha256 digest;
	int tls13 = 0, alert;

	memset(ch, 0, sizeof(*ch));
	if (rd_u16(&r, &ch->legacy_version) < 0 || rd_bytes(&r, 32, &ch->random) < 0 ||
	    rd_vec(&r, 1, &ch->session_id) < 0 || ch->session_id.n > 32 ||
	    rd_vec(&r, 2, &ch->suites) < 0 || ch->suites.n < 2 || ch->suites.n & 1 ||
	    rd_vec(&r, 1, &compression) < 0 || compression.n == 0)
		return TLS_ALERT_DECODE_ERROR;
	sha256_init(&digest);
	sha256_update(&digest, body, n - r.n);
	/* a hello without extensions is no TLS 1.3 hello: protocol_version below */
	if (r.n > 0) {
		if (rd_vec(&r, 2, &exts) < 0 || r.n != 0)
			return TLS_ALERT_DECODE_ERROR;
		alert = parse_extensions(ch, exts, &digest, &tls13);
		if (alert)
			return alert;
	}
	sha256_final(&digest, ch->digest);
	/* §D.5: legacy_version 0x0300 or below; §4.2.1: only supported_versions
	 * negotiates TLS 1.3 */
	if (ch->legacy_version <= 0x0300 || !tls13)
		return TLS_ALERT_PROTOCOL_VERSION;
	/* §4.1.2: exactly one compression method, null */
	if (compression.n != 1 || compression.p[0] != 0)
		return TLS_ALERT_ILLEGAL_PARAMETER;
	return 0;
}
