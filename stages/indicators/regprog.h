/*
 * regprog.h - registry (DTKS) and programme (KUBE/UEP) indicators of
 * angka-indicators (--mode registry, --mode programme).
 *
 * Registry: from the deduplicated DTKS persons, per kabupaten, kecamatan and
 * desa: persons, households, persons per programme flag and per desil, share
 * of the population, and the ratio of DTKS persons to the BPS-estimated number
 * of poor of the same year and area (the targeting check district offices ask
 * for). Output registry.csv: tahun,kode_wilayah,domain,indikator,value,catatan
 * (aggregates only, no personal data).
 *
 * Programme: each KUBE/UEP recipient is checked against the registry (by NIK,
 * or by the dedup cluster of any NIK of the person), group sizes against the
 * configured limits, groups within one kecamatan, nobody in two groups in one
 * year, no repeat UEP recipient within the configured years. Output
 * programmes.csv (tahun,kode_wilayah,program,indikator,value; aggregates) and
 * the private programme_violations.csv
 * (src_file,src_line,program,tahun,id_kelompok,rule,detail).
 *
 * Ownership: regprog_opts borrows every string.
 */
#ifndef ANGKA_IND_REGPROG_H
#define ANGKA_IND_REGPROG_H

#include <stdint.h>

#include "angka.h"

/* [registry] and [programmes] config sections. */
struct regprog_settings {
	long tahun;              /* registry period; 0: year of the newest tgl_update */
	long kube_min, kube_max; /* KUBE group size limits (Permensos: 5-20) */
	long uep_repeat_years;   /* no second UEP within this many years */
	long min_cell;           /* desa counts 1..min_cell-1 suppressed (5) */
};
extern const struct angka_key_def regprog_registry_keys[];
extern const struct angka_key_def regprog_programme_keys[];
void regprog_settings_init(struct regprog_settings *s);

struct regprog_opts {
	const char *out;            /* NULL or "-": stdout */
	const char *unsuppressed;   /* registry: internal copy without
	                               suppression of small counts, or NULL */
	const char *violations;     /* programme: private violations file */
	const char *registry;       /* dedup's unique persons */
	const char *duplicates;     /* dedup's duplicates.csv (programme) */
	const char *normalized;     /* normalized DTKS, all rows (programme) */
	const char *penduduk;       /* normalized population table (registry) */
	const char *poverty;        /* poverty indicators, long format (registry) */
	const char *terbitan;       /* normalized published BPS table (registry) */
	const char *const *files;   /* programme: normalized KUBE/UEP lists */
	size_t nfiles;
	struct regprog_settings set;
	int quiet;
};

struct regprog_stats {
	uint64_t rows_in, rows_out, rows_quarantined;
	uint64_t violations;
};

enum angka_err regprog_registry_run(const struct regprog_opts *o,
                                    struct regprog_stats *st,
                                    struct angka_error *e);
enum angka_err regprog_programme_run(const struct regprog_opts *o,
                                     struct regprog_stats *st,
                                     struct angka_error *e);

#endif
