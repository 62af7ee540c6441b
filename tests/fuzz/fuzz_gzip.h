/*
 * fuzz_gzip.h - the body of the libFuzzer target for gzip input (input.c,
 * ISA-L's igzip), differential against zlib's gzread.
 *
 * The first byte picks the file: 0 in bit 0, the rest of the input as it
 * is (the fuzzer crafts gzip headers, deflate blocks and trailers itself);
 * 1, the rest gzip-compressed by zlib as 1 to 4 members (bits 1-2),
 * then maybe one bit flipped (bit 5), the stream cut (bit 6) or bytes
 * appended after it (bit 7). input.c must fail exactly when gzread fails
 * (saying "truncated" when the stream was only cut) and otherwise deliver
 * gzread's bytes. tests/unit/test_input.c replays the corpus.
 */
#ifndef FUZZ_GZIP_H
#define FUZZ_GZIP_H

#include "input.h"
#include "fuzz_mem.h"
#include "gzip_ref.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define FUZZ_GZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static int fuzz_gzip_one(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned mode = data[0];
	data++;
	size--;
	struct gzref_buf f = { 0 }, ref = { 0 }, got = { 0 };
	int pure_cut = (mode & 0xe1) == 0x41;
	if (!(mode & 1)) {
		gzref_add(&f, data, size);
	} else {
		size_t k = 1 + ((mode >> 1) & 3), at = 0;
		for (size_t i = 1; i <= k; i++) {
			size_t to = size * i / k;
			gzref_member(&f, data + at, to - at, 0, NULL);
			at = to;
		}
		uint32_t h = 2166136261u;
		for (size_t i = 0; i < size; i++)
			h = (h ^ data[i]) * 16777619u;
		if (mode & 0x20 && f.len)
			f.p[h % f.len] ^= (unsigned char)(1u << ((h >> 24) & 7));
		if (mode & 0x40)
			f.len = f.len * ((mode >> 3) & 3) / 4 + (h >> 8) % 8;
		if (mode & 0x80)
			gzref_add(&f, data, size < 8 ? size : 8);
	}
	const char *path = fuzz_mem_path(1, f.p, f.len);

	int zerr = gzref_read(path, &ref);

	struct angka_input *in;
	struct angka_error e = { 0 };
	enum angka_err rc = angka_input_open(&in, path, &e);
	int r = -1;
	enum angka_input_kind kind = ANGKA_IN_TEXT;
	if (rc == ANGKA_OK) {
		const char *d;
		size_t len;
		while ((r = angka_input_next(in, &d, &len, &e)) > 0)
			gzref_add(&got, d, len);
		kind = angka_input_kind(in);
		if (r < 0) {
			rc = e.code;
			angka_input_close(in, 1, NULL);
		} else {
			rc = angka_input_close(in, 0, &e);
		}
	}

	/* A binary format's magic (in the file or inside the gzip) and
	 * UTF-16 text (transcoded) are not gzread's bytes: skipped. */
	if (rc != ANGKA_ESCHEMA && kind == ANGKA_IN_TEXT) {
		if (zerr == Z_OK) {
			FUZZ_GZ_CHECK(rc == ANGKA_OK);
			FUZZ_GZ_CHECK(got.len == ref.len);
			FUZZ_GZ_CHECK(got.len == 0 || memcmp(got.p, ref.p, got.len) == 0);
		} else {
			FUZZ_GZ_CHECK(rc == ANGKA_EGZIP);
			FUZZ_GZ_CHECK(strstr(e.msg, path) != NULL);
			/* A valid stream cut short is truncated to both; bytes
			 * after the cut or a flipped bit may be invalid to one
			 * decoder before the other runs out of input. */
			if (zerr == Z_BUF_ERROR && pure_cut)
				FUZZ_GZ_CHECK(strstr(e.msg, "truncated") != NULL);
		}
	}
	free(f.p);
	free(ref.p);
	free(got.p);
	return 0;
}

#endif
