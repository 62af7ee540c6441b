/*
 * fuzz_indicators.c - libFuzzer target for angka-indicators' input and
 * estimation. FUZZ_STAGE: indicators
 *
 * Input: the first byte picks the options (strata and PSU columns or
 * none, household size, poverty line as a number or a column, a --by
 * domain, lonely-PSU policy); the rest is the microdata CSV (columns
 * kapita, bobot, art, strata, psu, gk, dom). Checked: no crash or
 * sanitizer report; an error has a message.
 */
#include "fuzz_mem.h"
#include "indicators.h"

#include <stdio.h>
#include <stdlib.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_mem_quiet_stdout();
	unsigned m = data[0];
	const char *file = fuzz_mem_path(0, data + 1, size - 1);
	struct ind_opts o = { 0 };
	struct ind_settings set;
	ind_settings_init(&set);
	o.rule = set.poverty_rule;
	o.lonely = (int)((m >> 4) & 3);
	o.level = 0.95;
	o.files = &file;
	o.nfiles = 1;
	o.value = "kapita";
	o.weight = "bobot";
	o.hhsize = (m & 1) ? "art" : NULL;
	if (m & 2) {
		o.strata = "strata";
		o.psu = "psu";
	}
	o.line = (m & 4) ? "gk" : "100";
	if (m & 8)
		o.by[o.nby++] = "dom";
	o.distribution = (m >> 6) & 1;
	o.quiet = 1;
	struct ind_stats st = { 0 };
	struct angka_error e = { 0 };
	if (ind_run(&o, &st, &e) != ANGKA_OK)
		CHECK(e.msg[0] != '\0');
	return 0;
}
