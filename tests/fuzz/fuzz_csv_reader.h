/*
 * fuzz_csv_reader.h - the body of the libFuzzer target for angka_csv_reader.
 *
 * The first byte picks the options (encoding, fixed delimiter or sniffing,
 * a small record limit, gzip wrapping as two members, truncation of the
 * gzip stream); the rest is the file content. The input is put in a memory file (fuzz_mem.h:
 * no temporary file, no process, no reader thread) and read back record by
 * record; the reader's documented invariants are checked
 * and a violation aborts. tests/unit/test_csv_reader.c includes this file to
 * replay tests/fuzz/regress/ and the corpus.
 */
#ifndef FUZZ_CSV_READER_H
#define FUZZ_CSV_READER_H

#include "csv_reader.h"
#include "fuzz_mem.h"
#include "gzip_ref.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define FUZZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static int fuzz_csv_reader_one(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned mode = data[0];
	data++;
	size--;
	static const char delims[4] = { ',', ';', '|', '\t' };
	struct angka_csv_opts opts = { 0 };
	opts.encoding = (enum angka_encoding)((mode & 3) % 3);
	if (mode & 4)
		opts.delim = delims[(mode >> 3) & 3];
	if (mode & 0x20)
		opts.max_record_bytes = 64;
	/* 0x80 without gzip: every row through libcsv (the fast path's
	 * reference; test_csv_reader compares the two on random files). */
	if ((mode & 0xC0) == 0x80)
		opts.libcsv_only = 1;

	const char *path;
	if (mode & 0x40) {
		/* Two members (concatenated, as cat a.gz b.gz): the file is
		 * their contents one after the other. */
		struct gzref_buf gz = { 0 };
		gzref_member(&gz, data, size / 2, 0, NULL);
		gzref_member(&gz, data + size / 2, size - size / 2, 0, NULL);
		size_t n = gz.len;
		if (mode & 0x80)
			n /= 2;  /* a truncated stream */
		path = fuzz_mem_path(0, gz.p, n);
		free(gz.p);
	} else {
		path = fuzz_mem_path(0, data, size);
	}

	struct angka_csv_reader *r;
	struct angka_error e = { 0 };
	if (angka_csv_reader_open(&r, path, &opts, &e) != ANGKA_OK) {
		/* Only what input.c refuses by its first bytes (an old
		 * .xls) fails to open, naming the file. */
		FUZZ_CHECK(e.code == ANGKA_ESCHEMA && strstr(e.msg, path));
		return 0;
	}
	const struct angka_csv_record *rec;
	int got;
	long next_line = 1, nrec = 0;
	while ((got = angka_csv_reader_next(r, &rec, &e)) > 0) {
		FUZZ_CHECK(rec->nfields >= 1);
		FUZZ_CHECK(rec->nlines >= 1);
		FUZZ_CHECK(rec->line >= next_line);
		next_line = rec->line + rec->nlines;
		nrec++;
		FUZZ_CHECK(rec->field[rec->nfields] == NULL);
		for (size_t i = 0; i < rec->nfields; i++) {
			FUZZ_CHECK(rec->field[i][rec->len[i]] == '\0');
			if (!(rec->flags & ANGKA_CSV_REC_NUL))
				FUZZ_CHECK(strlen(rec->field[i]) == rec->len[i]);
			else if (rec->len[i])
				FUZZ_CHECK(rec->field[i][0] != '\0' ||
				           rec->flags & ANGKA_CSV_REC_NUL);
			if (!(rec->flags & ANGKA_CSV_REC_BADUTF8))
				FUZZ_CHECK(angka_utf8_valid(rec->field[i], rec->len[i]));
		}
		if (opts.encoding != ANGKA_ENC_UTF8)
			FUZZ_CHECK(!(rec->flags & ANGKA_CSV_REC_BADUTF8));
		if (opts.encoding == ANGKA_ENC_UTF8)
			FUZZ_CHECK(!(rec->flags & ANGKA_CSV_REC_TRANSCODED));
	}
	char d = angka_csv_reader_delim(r);
	if (opts.delim)
		FUZZ_CHECK(d == opts.delim);
	else if (nrec > 0)
		FUZZ_CHECK(d == ',' || d == ';' || d == '|' || d == '\t');
	if (got < 0) {
		FUZZ_CHECK(e.code != ANGKA_OK && e.msg[0] != '\0');
		FUZZ_CHECK(strstr(e.msg, path) != NULL);
		angka_csv_reader_free(r);
	} else {
		enum angka_err rc = angka_csv_reader_close(r, &e);
		if (mode & 0x40 && !(mode & 0x80))
			FUZZ_CHECK(rc == ANGKA_OK);
		if (mode & 0x80 && mode & 0x40 && rc != ANGKA_OK)
			FUZZ_CHECK(rc == ANGKA_EGZIP);
	}
	return 0;
}

#endif
