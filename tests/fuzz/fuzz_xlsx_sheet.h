/*
 * fuzz_xlsx_sheet.h - the body of the libFuzzer target for the .xlsx
 * worksheet handler (read_xlsx.h): the first byte says where the rest is
 * cut in two chunks, the rest is fed as sheet XML against a small workbook
 * (three shared strings, style 1 a date). Invariants (a violation aborts):
 * the handler returns 0 or -1, never stops on its own; every line it
 * writes ends in a newline and has balanced quotes, so it is CSV; after an
 * error it writes nothing more. tests/unit/test_read_formats.c replays the
 * seed corpus and tests/fuzz/regress/fuzz_xlsx_sheet through it.
 */
#ifndef FUZZ_XLSX_SHEET_H
#define FUZZ_XLSX_SHEET_H

#include "read_xlsx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_XLSX_CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: " \
	"invariant failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

struct fuzz_xlsx_sink {
	int quotes_open;  /* inside a quoted field */
	size_t bytes;
	char last;
};

static int fuzz_xlsx_put(void *ctx, const char *p, size_t n)
{
	struct fuzz_xlsx_sink *k = ctx;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			k->quotes_open = !k->quotes_open;
		k->last = p[i];
	}
	k->bytes += n;
	return 0;
}

static int fuzz_xlsx_sheet_one(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static char sst[] = "a\0b,\"c\0\0";
	static size_t off[] = { 0, 2, 7 };
	static unsigned char xf[] = { 0, 1 };
	struct xlsx_book b = { sst, off, 3, xf, 2, data[0] & 1 };
	size_t cut = size > 1 ? (size_t)data[0] % size : 0;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	if (cut > n)
		cut = n;
	struct fuzz_xlsx_sink k = { 0, 0, '\n' };
	struct xlsx_sheet *s = xlsx_sheet_new(&b, fuzz_xlsx_put, &k);
	if (!s)
		return 0;
	int rc = xlsx_sheet_feed(s, p, cut, 0);
	size_t at_error = k.bytes;
	if (rc == 0)
		rc = xlsx_sheet_feed(s, p + cut, n - cut, 1);
	FUZZ_XLSX_CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		FUZZ_XLSX_CHECK(!k.quotes_open);
		FUZZ_XLSX_CHECK(k.bytes == 0 || k.last == '\n');
	} else {
		size_t before = k.bytes;
		FUZZ_XLSX_CHECK(xlsx_sheet_feed(s, "<x/>", 4, 1) == -1);
		FUZZ_XLSX_CHECK(k.bytes == before);
		FUZZ_XLSX_CHECK(xlsx_sheet_error(s)[0] != '\0');
	}
	(void)at_error;
	xlsx_sheet_free(s);
	return 0;
}

#endif
