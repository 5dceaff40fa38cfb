/*
 * mime.c - extension -> media type: the built-in table, a --mime-types file
 * and --mime entries (mime.h). Pure: no system calls.
 *
 * The built-in table is the one source of truth for the types scratchd
 * knows without being told: tests/64-browse.bats reads it from this
 * file, fetches a file of each extension and checks the Content-Type, and
 * checks each type against Debian's /etc/mime.types. Keep one entry per
 * line, in this form.
 */
#include "../syscall.h"
#include "mime.h"
#include "mem.h"

static const struct mime_entry {
	struct str ext, type;
} builtin[] = {
	/* documents, styles, scripts, data */
	{ STR("html"), STR("text/html; charset=utf-8") },
	{ STR("htm"), STR("text/html; charset=utf-8") },
	{ STR("xhtml"), STR("application/xhtml+xml") },
	{ STR("css"), STR("text/css; charset=utf-8") },
	{ STR("js"), STR("text/javascript; charset=utf-8") },
	{ STR("mjs"), STR("text/javascript; charset=utf-8") },
	{ STR("map"), STR("application/json") },
	{ STR("json"), STR("application/json") },
	{ STR("jsonld"), STR("application/ld+json") },
	{ STR("webmanifest"), STR("application/manifest+json") },
	{ STR("wasm"), STR("application/wasm") },
	{ STR("xml"), STR("application/xml") },
	{ STR("txt"), STR("text/plain; charset=utf-8") },
	{ STR("csv"), STR("text/csv; charset=utf-8") },
	{ STR("md"), STR("text/markdown; charset=utf-8") },
	{ STR("vtt"), STR("text/vtt; charset=utf-8") },
	{ STR("ics"), STR("text/calendar; charset=utf-8") },
	{ STR("pdf"), STR("application/pdf") },
	{ STR("epub"), STR("application/epub+zip") },
	/* fonts */
	{ STR("woff"), STR("font/woff") },
	{ STR("woff2"), STR("font/woff2") },
	{ STR("ttf"), STR("font/ttf") },
	{ STR("otf"), STR("font/otf") },
	{ STR("eot"), STR("application/vnd.ms-fontobject") },
	/* images */
	{ STR("avif"), STR("image/avif") },
	{ STR("apng"), STR("image/apng") },
	{ STR("bmp"), STR("image/bmp") },
	{ STR("gif"), STR("image/gif") },
	{ STR("ico"), STR("image/vnd.microsoft.icon") },
	{ STR("jpg"), STR("image/jpeg") },
	{ STR("jpeg"), STR("image/jpeg") },
	{ STR("jxl"), STR("image/jxl") },
	{ STR("png"), STR("image/png") },
	{ STR("svg"), STR("image/svg+xml") },
	{ STR("tif"), STR("image/tiff") },
	{ STR("tiff"), STR("image/tiff") },
	{ STR("webp"), STR("image/webp") },
	/* audio and video */
	{ STR("aac"), STR("audio/aac") },
	{ STR("flac"), STR("audio/flac") },
	{ STR("m4a"), STR("audio/mp4") },
	{ STR("mp3"), STR("audio/mpeg") },
	{ STR("oga"), STR("audio/ogg") },
	{ STR("ogg"), STR("audio/ogg") },
	{ STR("opus"), STR("audio/ogg") },
	{ STR("wav"), STR("audio/wav") },
	{ STR("mp4"), STR("video/mp4") },
	{ STR("m4v"), STR("video/mp4") },
	{ STR("mov"), STR("video/quicktime") },
	{ STR("ogv"), STR("video/ogg") },
	{ STR("webm"), STR("video/webm") },
	/* archives */
	{ STR("zip"), STR("application/zip") },
	{ STR("gz"), STR("application/gzip") },
	{ STR("tgz"), STR("application/x-gtar-compressed") },
	{ STR("tar"), STR("application/x-tar") },
	{ STR("bz2"), STR("application/x-bzip2") },
	{ STR("xz"), STR("application/x-xz") },
	{ STR("zst"), STR("application/zstd") },
	{ STR("7z"), STR("application/x-7z-compressed") },
	{ STR("rar"), STR("application/vnd.rar") },
};

#define NBUILTIN (sizeof(builtin) / sizeof(builtin[0]))

static struct mime_entry added[MIME_EXTRA_MAX] LARGE_BUFFER;	/* --mime, checked first */
static size_t nadded;

/* The --mime-types file: its bytes, its entries, and an open-addressing
 * hash table of them (twice as many slots as entries, at most). */
#define FILE_SLOTS	(2 * MIME_FILE_EXTS)
static char file_text[MIME_FILE_MAX] LARGE_BUFFER;
/* Text types, each copied once with "; charset=utf-8" after it (the others
 * point into file_text). A line that stores one holds the type, a space, an
 * extension and a line end, 9 bytes at least for 21 stored ("text/a" +
 * charset): never more than 3 times the file. */
static char file_types[3 * MIME_FILE_MAX] LARGE_BUFFER;
static struct mime_entry file_entries[MIME_FILE_EXTS] LARGE_BUFFER;
static uint16_t file_slots[FILE_SLOTS] LARGE_BUFFER;	/* 1 + index; 0: empty */
static size_t nfile;

_Static_assert(MIME_FILE_EXTS < 65535, "slots hold 1 + an index in 16 bits");
_Static_assert((FILE_SLOTS & (FILE_SLOTS - 1)) == 0, "a power of two");

/* An extension: tokens, joined by single dots when dots is set (a
 * --mime-types file has "cwl.json", "tar.gz"); never a '/'. */
static int valid_ext(struct str ext, int dots)
{
	if (ext.n == 0 || ext.n > MIME_EXT_MAX || ext.p[0] == '.' || ext.p[ext.n - 1] == '.')
		return 0;
	for (size_t i = 0; i < ext.n; i++) {
		if (ext.p[i] == '.' && dots && ext.p[i - 1] != '.')
			continue;
		if (ext.p[i] == '.' || ext.p[i] == '/' || !is_tchar((unsigned char)ext.p[i]))
			return 0;
	}
	return 1;
}

int mime_add(struct str ext, struct str type)
{
	if (!valid_ext(ext, 0) || type.n == 0)
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

/* FNV-1a of the lower-cased extension. */
static uint32_t hash_ext(struct str ext)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < ext.n; i++)
		h = (h ^ ascii_lower((unsigned char)ext.p[i])) * 16777619u;
	return h;
}

/* The slot of ext in the file's table: its entry's, or the empty one where
 * it would go. */
static uint16_t *file_slot(struct str ext)
{
	for (uint32_t i = hash_ext(ext);; i++) {
		uint16_t *s = &file_slots[i & (FILE_SLOTS - 1)];

		if (*s == 0 || str_ieq(file_entries[*s - 1].ext, ext))
			return s;
	}
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
		/* the file's, the longest suffix first: "a.sarif.json" is
		 * sarif.json's type before json's */
		size_t seg = dot;
		while (seg > 0 && name.p[seg - 1] != '/')
			seg--;
		for (size_t i = seg; nfile && i < name.n; i++) {
			struct str suffix = { name.p + i + 1, name.n - i - 1 };
			uint16_t s;

			if (name.p[i] == '.' && suffix.n && suffix.n <= MIME_EXT_MAX && (s = *file_slot(suffix)))
				return file_entries[s - 1].type;
		}
		for (size_t i = 0; i < NBUILTIN; i++)
			if (str_ieq(ext, builtin[i].ext))
				return builtin[i].type;
	}
	return STR("application/octet-stream");
}

int mime_is_asset(struct str name)
{
	size_t dot = name.n;

	while (dot > 0 && name.p[dot - 1] != '.' && name.p[dot - 1] != '/')
		dot--;
	if (dot == 0 || name.p[dot - 1] != '.')
		return 0;
	struct str ext = { name.p + dot, name.n - dot };
	for (size_t i = 0; i < NBUILTIN; i++) {
		struct str t = builtin[i].type;

		if (str_ieq(ext, builtin[i].ext))
			return !(t.n >= 9 && memcmp(t.p, "text/html", 9) == 0) &&
			       !str_eq(t, STR("application/xhtml+xml"));
	}
	return 0;
}

char *mime_file_buffer(void)
{
	return file_text;
}

/* type "/" subtype, both tokens (RFC 9110 §8.3.1). */
static int valid_type(struct str t)
{
	size_t slash = 0, slashes = 0;

	if (t.n == 0 || t.n > MIME_TYPE_MAX)
		return 0;
	for (size_t i = 0; i < t.n; i++) {
		if (t.p[i] == '/') {
			slash = i;
			slashes++;
		} else if (!is_tchar((unsigned char)t.p[i])) {
			return 0;
		}
	}
	return slashes == 1 && slash > 0 && slash < t.n - 1;
}

/* The next whitespace-separated word of line[*i..end), or an empty one. */
static struct str word(const char *text, size_t *i, size_t end)
{
	while (*i < end && (text[*i] == ' ' || text[*i] == '\t'))
		(*i)++;
	size_t start = *i;
	while (*i < end && text[*i] != ' ' && text[*i] != '\t')
		(*i)++;
	return (struct str){ text + start, *i - start };
}

int mime_load(size_t len, size_t *line, const char **what)
{
	static const char charset[] = "; charset=utf-8";
	size_t types_used = 0;

	nfile = 0;
	memset(file_slots, 0, sizeof(file_slots));
	*line = 0;
	for (size_t at = 0; at < len;) {
		size_t end = at, stop;

		while (end < len && file_text[end] != '\n')
			end++;
		(*line)++;
		/* a comment runs to the end of the line; a CR before the LF is allowed */
		for (stop = at; stop < end && file_text[stop] != '#'; stop++)
			;
		if (stop == end && stop > at && file_text[stop - 1] == '\r')
			stop--;
		size_t i = at;
		struct str type = word(file_text, &i, stop);
		if (type.n && (!valid_type(type) || type.p[0] == '#')) {
			*what = "not a media type (TYPE/SUBTYPE, at most 127 bytes)";
			return -EINVAL;
		}
		const char *stored = NULL;
		size_t stored_len = 0;
		for (struct str ext; (ext = word(file_text, &i, stop)).n;) {
			if (!valid_ext(ext, 1)) {
				*what = "not an extension (tokens joined by single dots, at most 32 bytes)";
				return -EINVAL;
			}
			uint16_t *s = file_slot(ext);
			if (*s)
				continue;	/* named before: the first type stays */
			if (nfile == MIME_FILE_EXTS) {
				*what = "more than 4096 extensions";
				return -ENOBUFS;
			}
			if (!stored) {
				/* text types as the built-in ones are: UTF-8 */
				int text = type.n > 5 && str_ieq((struct str){ type.p, 5 }, STR("text/"));
				stored = type.p;
				stored_len = type.n;
				if (text && types_used + type.n + sizeof(charset) <= sizeof(file_types)) {
					char *t = file_types + types_used;
					memcpy(t, type.p, type.n);
					memcpy(t + type.n, charset, sizeof(charset) - 1);
					stored = t;
					stored_len += sizeof(charset) - 1;
					types_used += stored_len;
				}
			}
			file_entries[nfile] = (struct mime_entry){ ext, { stored, stored_len } };
			*s = (uint16_t)++nfile;
		}
		at = end + 1;
	}
	return 0;
}
