/*
 * http_fuzz.c - libFuzzer target for the request parser and its helpers.
 *
 * For each input: parse it whole; parse it again in two pieces split where
 * the first byte says, and demand the same answer; check that every slice
 * points inside the input; then push the path through percent-decoding and
 * normalisation, and the bytes after the head through the chunked decoder.
 * Build and run: make fuzz (FUZZ_TIME=seconds, default 60).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define memcmp sd_memcmp
#define memcpy sd_memcpy
#include "../../src/mem.c"
#include "../../src/str.c"
#include "../../src/http.c"
#include "../../src/path.c"
#undef memcmp
#undef memcpy

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(struct str s, const char *buf, size_t len)
{
	if (s.p && (s.p < buf || s.p + s.n > buf + len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_header hdr[HTTP_MAX_HEADERS], hdr2[HTTP_MAX_HEADERS];
	/* an exact-size copy, so ASan sees any read past the end */
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);

	struct http_request req = { .hdr = hdr, .nhdr = HTTP_MAX_HEADERS };
	int r = http_parse_request(buf, size, 0, &req);

	/* the same bytes in two pieces */
	size_t split = size ? data[0] % size : 0;
	struct http_request req2 = { .hdr = hdr2, .nhdr = HTTP_MAX_HEADERS };
	int r2 = http_parse_request(buf, split, 0, &req2);
	if (r2 == HTTP_PARTIAL) {
		req2 = (struct http_request){ .hdr = hdr2, .nhdr = HTTP_MAX_HEADERS };
		r2 = http_parse_request(buf, size, split, &req2);
		/* The incremental path may still be waiting where the one-shot
		 * parse already saw an error in bytes that end no head. */
		if (!(r == HTTP_BAD && r2 == HTTP_PARTIAL) &&
		    (r2 != r || (r == HTTP_BAD && req2.status != req.status) ||
		     (r > 0 && (req2.nhdr != req.nhdr || req2.keep_alive != req.keep_alive ||
				req2.content_length != req.content_length))))
			abort();
	}

	if (r > 0) {
		if ((size_t)r > size || req.nhdr > HTTP_MAX_HEADERS || (req.minor != 0 && req.minor != 1))
			abort();
		inside(req.method, buf, size);
		inside(req.target, buf, size);
		inside(req.host, buf, size);
		inside(req.query, buf, size);
		if (req.path.p && req.path.p[0] != '/')
			abort();
		for (size_t i = 0; i < req.nhdr; i++) {
			inside(hdr[i].name, buf, size);
			inside(hdr[i].value, buf, size);
		}
		if (req.path.n) {
			char *dec = malloc(req.path.n), *norm = malloc(req.path.n + 2);
			long n = http_percent_decode(req.path, dec);

			if (n > (long)req.path.n)
				abort();
			if (n >= 0) {
				long m = path_normalize((struct str){ dec, (size_t)n }, norm);
				/* never a ".." segment, never absolute */
				if (m >= 0 && (norm[0] == '/' || (size_t)m != strlen(norm) ||
					       strstr(norm, "/../") || strncmp(norm, "../", 3) == 0 ||
					       strcmp(norm, "..") == 0 ||
					       (m >= 3 && strcmp(norm + m - 3, "/..") == 0)))
					abort();
			}
			free(dec);
			free(norm);
		}
		if (req.chunked) {
			struct http_chunked c;
			size_t used = 0;
			int status;

			http_chunked_init(&c);
			int cr = http_chunked_feed(&c, buf + r, size - (size_t)r, &used, &status);
			if (used > size - (size_t)r || (cr == HTTP_BAD && status != 400 && status != 413 && status != 431))
				abort();
		}
	} else if (r == HTTP_BAD) {
		if (req.status < 400 || req.status > 505)
			abort();
	} else if (r != HTTP_PARTIAL) {
		abort();
	}
	free(buf);
	return 0;
}
