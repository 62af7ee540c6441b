/*
 * gzip_ref.h - zlib as the independent gzip reference of the tests of
 * input.c (ISA-L's igzip): members written by zlib's deflate and files
 * read back by zlib's gzread. Shared by the fuzz targets (fuzz_gzip.h,
 * fuzz_csv_reader.h) and the unit tests that include them
 * (test_input.c, test_csv_reader.c).
 */
#ifndef GZIP_REF_H
#define GZIP_REF_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A growing byte buffer (free p when done). */
struct gzref_buf {
	unsigned char *p;
	size_t len, cap;
};

static inline void gzref_add(struct gzref_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

/* Append one gzip member of src to b (zlib's deflate, level 6); with hdr,
 * a header with the file name name, a comment, an extra field and a
 * header CRC, else zlib's plain header. */
static inline void gzref_member(struct gzref_buf *b, const void *src,
                                size_t len, int hdr, const char *name)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	gz_header h;
	memset(&h, 0, sizeof h);
	static unsigned char extra[] = "AB\004\000xyzw";
	if (hdr) {
		h.name = (Bytef *)(uintptr_t)name;
		h.comment = (Bytef *)"a comment";
		h.extra = extra;
		h.extra_len = 8;
		h.hcrc = 1;
		h.os = 3;
		if (deflateSetHeader(&z, &h) != Z_OK)
			abort();
	}
	size_t cap = deflateBound(&z, (uLong)len) + 64;
	unsigned char *out = malloc(cap);
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (!out || deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	gzref_add(b, out, cap - z.avail_out);
	deflateEnd(&z);
	free(out);
}

/* What gzread makes of the file: Z_OK and its bytes appended to out, or
 * the zlib error (Z_BUF_ERROR: truncated; Z_ERRNO: a read error). */
static inline int gzref_read(const char *path, struct gzref_buf *out)
{
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		abort();
	unsigned char tmp[16384];
	int n;
	while ((n = gzread(gz, tmp, sizeof tmp)) > 0)
		gzref_add(out, tmp, (size_t)n);
	int err = Z_OK;
	gzerror(gz, &err);
	gzclose_r(gz);
	return n < 0 && err == Z_OK ? Z_ERRNO : err;
}

#endif
