/*
 * str.h - length-based strings, numbers and a bounded output buffer.
 *
 * Everything works on (pointer, length) slices: request data is never
 * NUL-terminated. Only argv and environment strings are C strings.
 */
#ifndef SCRATCHD_STR_H
#define SCRATCHD_STR_H

#include <stddef.h>
#include <stdint.h>

/* A slice of bytes owned by someone else (usually the request buffer). */
struct str {
	const char *p;
	size_t n;
};

/* A string literal as a slice. */
#define STR(lit) ((struct str){ (lit), sizeof(lit) - 1 })

/* Length of a NUL-terminated C string (argv, envp). */
size_t cstr_len(const char *s);

/* 1 if the C string s equals the literal-sized bytes lit[0..n), else 0. */
int cstr_eq(const char *s, const char *lit);

/* 1 if a and b have the same length and bytes, else 0. */
int str_eq(struct str a, struct str b);

/* 1 if a and b are equal ignoring ASCII case, else 0. */
int str_ieq(struct str a, struct str b);

/* The ASCII lower-case of c; other bytes unchanged. */
static inline unsigned char ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

/* Copy the C string src to dst without its NUL; returns the end of the copy.
 * The caller guarantees room (used only for fixed, short messages). */
char *cstr_copy(char *dst, const char *src);

/* 1 if c is an RFC 9110 §5.6.2 tchar (the bytes of a method or field name). */
static inline int is_tchar(unsigned char c)
{
	extern const uint32_t tchar_map[4];

	return c < 128 && (tchar_map[c >> 5] >> (c & 31)) & 1;
}

/* The value of the hex digit c (any case), or -1. */
int hex_value(unsigned char c);

/* Parse s as decimal digits only (no sign, no space, at least one digit).
 * Returns 0 and sets *out, -EINVAL for a non-digit or empty input, -ERANGE
 * if the value exceeds max. */
int parse_u64(struct str s, uint64_t max, uint64_t *out);

/* Parse s as hex digits only (at least one). Same returns as parse_u64. */
int parse_hex(struct str s, uint64_t max, uint64_t *out);

/* Parse a dotted-quad IPv4 address ("127.0.0.1") into network byte order.
 * Returns 0 or -EINVAL. */
int parse_ipv4(const char *s, uint32_t *addr_be);

/* Parse an IPv6 address in text form (RFC 4291 §2.2; "::" allowed, the last
 * 32 bits maybe in IPv4 form, no zone) into 16 bytes. Returns 0 or -EINVAL. */
int parse_ipv6(const char *s, uint8_t addr[16]);

#define IPV6_TEXT_MAX 39	/* "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" */

/* Write addr in the RFC 5952 canonical form (lower case, the longest run of
 * two or more zero groups as "::"); returns the length. */
size_t fmt_ipv6(char *dst, const uint8_t addr[16]);

#define U64_DEC_MAX 20	/* digits in 18446744073709551615 */
#define U64_HEX_MAX 16

/* Write v in decimal to dst (room for U64_DEC_MAX bytes); returns the length. */
size_t fmt_u64(char *dst, uint64_t v);

/* Write v in lower-case hex to dst (room for U64_HEX_MAX); returns the length. */
size_t fmt_hex(char *dst, uint64_t v);

/*
 * An append-only output buffer with a fixed capacity. An append that does not
 * fit writes nothing, returns -ENOBUFS and sets the sticky `overflow` flag, so
 * a writer can append a whole message and check once at the end.
 */
struct outbuf {
	char *p;
	size_t len;
	size_t cap;
	int overflow;
};

void ob_init(struct outbuf *ob, char *mem, size_t cap);
/* The next n bytes of ob, counted as written, for the caller to fill; or
 * NULL (overflow set, nothing counted) when they do not fit. */
char *ob_claim(struct outbuf *ob, size_t n);
int ob_put(struct outbuf *ob, const void *src, size_t n);
int ob_str(struct outbuf *ob, struct str s);
int ob_u64(struct outbuf *ob, uint64_t v);
int ob_hex(struct outbuf *ob, uint64_t v);

/* Append a string literal. */
#define OB_LIT(ob, lit) ob_put((ob), (lit), sizeof(lit) - 1)

#endif
