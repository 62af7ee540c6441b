/*
 * fuzz_normalize.c - libFuzzer target for angka-normalize's row handlers
 * (DTKS, KUBE, UEP). FUZZ_STAGE: normalize
 *
 * Input: the first byte picks the kind (dtks, kube, uep); the rest is the
 * canonical CSV angka-ingest writes (header and rows). The region table is
 * a small fixed one. Checked: no crash or sanitizer report, and on success
 * every row read is written or quarantined.
 */
#include "fuzz_mem.h"
#include "normalize.h"

#include <stdio.h>
#include <stdlib.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static const char wilayah[] =
	"kode,level,nama,kode_induk\n"
	"63,provinsi,Kalimantan Selatan,\n"
	"63.11,kabupaten,Balangan,63\n"
	"63.11.01,kecamatan,Juai,63.11\n"
	"63.11.01.2001,desa,Muara Ninian,63.11.01\n"
	"63.11.01.2006,desa,Galumbang,63.11.01\n"
	"63.11.07,kecamatan,Paringin Selatan,63.11\n"
	"63.11.07.2006,desa,Galumbang,63.11.07\n"
	"63.11.08.2004,desa,Ju'uh,63.11.08\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_mem_quiet_stdout();
	static const enum angka_kind kinds[3] = { ANGKA_KIND_DTKS,
		ANGKA_KIND_KUBE, ANGKA_KIND_UEP };
	struct normalize_opts o = { 0 };
	o.kind = kinds[data[0] % 3];
	o.wilayah = fuzz_mem_path(1, wilayah, sizeof wilayah - 1);
	o.in = fuzz_mem_path(0, data + 1, size - 1);
	o.out = NULL;
	o.quiet = 1;
	struct angka_config cfg;
	angka_config_init(&cfg);
	struct normalize_stats st = { 0 };
	struct angka_error e = { 0 };
	enum angka_err rc = normalize_run(&o, &cfg, &st, &e);
	if (rc == ANGKA_OK)
		CHECK(st.rows_in == st.rows_out + st.rows_quarantined);
	else
		CHECK(e.msg[0] != '\0');
	angka_config_release(&cfg);
	return 0;
}
