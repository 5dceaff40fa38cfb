/* mime.c - the built-in extension -> media type table (IANA media types). */
#include "../syscall.h"
#include "mime.h"
#include "mem.h"

static const struct {
	struct str ext, type;
} types[] = {
	{ STR("html"), STR("text/html; charset=utf-8") },
	{ STR("htm"), STR("text/html; charset=utf-8") },
	{ STR("css"), STR("text/css; charset=utf-8") },
	{ STR("js"), STR("text/javascript; charset=utf-8") },
	{ STR("mjs"), STR("text/javascript; charset=utf-8") },
	{ STR("json"), STR("application/json") },
	{ STR("txt"), STR("text/plain; charset=utf-8") },
	{ STR("md"), STR("text/markdown; charset=utf-8") },
	{ STR("csv"), STR("text/csv; charset=utf-8") },
	{ STR("xml"), STR("application/xml") },
	{ STR("svg"), STR("image/svg+xml") },
	{ STR("png"), STR("image/png") },
	{ STR("jpg"), STR("image/jpeg") },
	{ STR("jpeg"), STR("image/jpeg") },
	{ STR("gif"), STR("image/gif") },
	{ STR("webp"), STR("image/webp") },
	{ STR("avif"), STR("image/avif") },
	{ STR("ico"), STR("image/vnd.microsoft.icon") },
	{ STR("wasm"), STR("application/wasm") },
	{ STR("pdf"), STR("application/pdf") },
	{ STR("woff"), STR("font/woff") },
	{ STR("woff2"), STR("font/woff2") },
	{ STR("mp4"), STR("video/mp4") },
	{ STR("webm"), STR("video/webm") },
	{ STR("mp3"), STR("audio/mpeg") },
	{ STR("ogg"), STR("audio/ogg") },
	{ STR("zip"), STR("application/zip") },
	{ STR("gz"), STR("application/gzip") },
	{ STR("tar"), STR("application/x-tar") },
};

static struct {
	struct str ext, type;
} added[MIME_EXTRA_MAX] LARGE_BUFFER;	/* from --mime, checked first */
static size_t nadded;

int mime_add(struct str ext, struct str type)
{
	if (ext.n == 0 || type.n == 0)
		return -EINVAL;
	for (size_t i = 0; i < ext.n; i++)
		if (ext.p[i] == '.' || ext.p[i] == '/' || !is_tchar((unsigned char)ext.p[i]))
			return -EINVAL;
	for (size_t i = 0; i < type.n; i++)
		if ((unsigned char)type.p[i] < 0x20 || type.p[i] == 0x7f)
			return -EINVAL;
	if (nadded == MIME_EXTRA_MAX)
		return -ENOBUFS;
	added[nadded].ext = ext;
	added[nadded++].type = type;
	return 0;
}

struct str mime_type(struct str name)
{
	size_t dot = name.n;

	while (dot > 0 && name.p[dot - 1] != '.' && name.p[dot - 1] != '/')
		dot--;
	if (dot > 0 && name.p[dot - 1] == '.') {
		struct str ext = { name.p + dot, name.n - dot };

		for (size_t i = 0; i < nadded; i++)
			if (str_ieq(ext, added[i].ext))
				return added[i].type;
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (str_ieq(ext, types[i].ext))
				return types[i].type;
	}
	return STR("application/octet-stream");
}
