/*
 * fuzz_dedup_read.c - libFuzzer target for angka-dedup's reader and the
 * passes after it, on normalized DTKS rows. FUZZ_STAGE: dedup
 *
 * Input: the CSV dedup reads (normalized persons). One thread, small pair
 * limits (a block of many equal keys stays cheap). Checked: no crash or
 * sanitizer report; on success unique + duplicates = rows in.
 */
#include "fuzz_mem.h"
#include "dedup.h"

#include <stdio.h>
#include <stdlib.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_mem_quiet_stdout();
	struct dedup_settings s;
	struct angka_error e = { 0 };
	if (dedup_settings_load(&s, NULL, &e) != ANGKA_OK)
		abort();
	s.threads = 1;
	s.max_pairs_per_block = 50;
	s.max_pairs = 2000;
	s.spool_memory_mb = 64;
	struct dedup_opts o = { 0 };
	o.in = fuzz_mem_path(0, data, size);
	o.quiet = 1;
	struct dedup_stats st;
	memset(&st, 0, sizeof st);
	enum angka_err rc = dedup_run(&o, &s, &st, &e);
	if (rc == ANGKA_OK)
		CHECK(st.unique + st.duplicates == st.rows_in);
	else
		CHECK(e.msg[0] != '\0');
	return 0;
}
