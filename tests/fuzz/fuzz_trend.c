/*
 * fuzz_trend.c - libFuzzer target for angka-trend's input readers: an
 * indicator table, a previous history or a published series, then the
 * sort and duplicate check. FUZZ_STAGE: trend
 *
 * Input: the first byte picks the reader; the rest is the file. Checked:
 * no crash or sanitizer report; an error has a message naming the file;
 * every row read has a year, a region, a domain and an indicator, and a
 * finite estimate within its range where the indicator has one.
 */
#include "fuzz_mem.h"
#include "trend_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned m = data[0] % 3;
	const char *path = fuzz_mem_path(0, data + 1, size - 1);
	struct hrows h;
	memset(&h, 0, sizeof h);
	struct angka_error e = { 0 };
	enum angka_err rc = m == 2 ? trend_read_published(path, &h, &e)
	                           : trend_read_rows(path, (int)m, &h, &e);
	if (rc == ANGKA_OK) {
		for (size_t i = 0; i < h.n; i++) {
			const struct hrow *r = &h.r[i];
			CHECK(r->kode && *r->kode && r->domain && *r->domain &&
			      r->indikator && *r->indikator);
			CHECK(isnan(r->est) || isfinite(r->est));
			if (!strcmp(r->indikator, "P0") && !isnan(r->est))
				CHECK(r->est >= 0 && r->est <= 100);
		}
		rc = trend_sort_unique(&h, &e);
	}
	if (rc != ANGKA_OK)
		CHECK(e.msg[0] != '\0');
	trend_hrows_release(&h);
	return 0;
}
