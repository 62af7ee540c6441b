/*
 * stages.c - the stage table: the one list of the stages the driver runs,
 * indexed by enum driver_stage_id (driver.h). Adding a stage: a value in
 * enum driver_stage_id and a row here; the assertion below keeps the two
 * the same length.
 */
#include "driver_int.h"

#include <string.h>

const struct driver_stage driver_stages[] = {
	[DRIVER_STAGE_INGEST] = { "ingest", "angka-ingest",
	                          "raw extracts -> canonical CSV" },
	[DRIVER_STAGE_NORMALIZE] = { "normalize", "angka-normalize",
	                             "canonical -> validated, typed rows" },
	[DRIVER_STAGE_DEDUP] = { "dedup", "angka-dedup",
	                         "persons and households found once" },
	[DRIVER_STAGE_GARIS] = { "garis", "angka-garis",
	                         "poverty lines from consumption (basic needs)" },
	[DRIVER_STAGE_INDICATORS] = { "indicators", "angka-indicators",
	                              "poverty, registry, programme indicators" },
	[DRIVER_STAGE_TREND] = { "trend", "angka-trend", "history, changes, trend" },
	[DRIVER_STAGE_SAE] = { "sae", "angka-sae",
	                       "kecamatan and desa estimates (Fay-Herriot)" },
	[DRIVER_STAGE_CHART] = { "chart", "angka-chart", "publication charts" },
};
const size_t driver_nstages = sizeof driver_stages / sizeof *driver_stages;
_Static_assert(sizeof driver_stages / sizeof *driver_stages == DRIVER_NSTAGES,
               "driver_stages[] needs one row per enum driver_stage_id");

int stage_index(const char *name)
{
	for (size_t i = 0; i < driver_nstages; i++)
		if (strcmp(driver_stages[i].name, name) == 0)
			return (int)i;
	return -1;
}
