/*
 * charts.c - the table of every chart. A chart is one file chart_NAME.c
 * defining `const struct chart_def chart_NAME` (see chart.h), declared and
 * listed here; its place in the table is its place in `all` and in the
 * usage text.
 */
#include "chart.h"

#include <string.h>

extern const struct chart_def chart_p0_trend, chart_miskin_p0, chart_p1_p2,
	chart_dtks_kecamatan, chart_dtks_vs_bps, chart_program_kecamatan,
	chart_sae_kecamatan, chart_komoditas_gk;

/* Every chart, in the order of `all` and of the usage text. */
const struct chart_def *const chart_table[] = {
	&chart_p0_trend,
	&chart_miskin_p0,
	&chart_p1_p2,
	&chart_dtks_kecamatan,
	&chart_dtks_vs_bps,
	&chart_program_kecamatan,
	&chart_sae_kecamatan,
	&chart_komoditas_gk,
	NULL
};
_Static_assert(sizeof chart_table / sizeof chart_table[0] <= CHART_MAX + 1,
               "chart_table has more than CHART_MAX charts");

int chart_index(const char *name)
{
	for (int i = 0; chart_table[i]; i++)
		if (strcmp(chart_table[i]->name, name) == 0)
			return i;
	return -1;
}

size_t chart_select(unsigned given, const char **names)
{
	size_t n = 0;
	for (size_t i = 0; chart_table[i]; i++)
		if (((chart_table[i]->needs | chart_table[i]->uses) & ~given) == 0)
			names[n++] = chart_table[i]->name;
	return n;
}
