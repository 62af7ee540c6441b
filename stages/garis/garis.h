/*
 * garis.h - angka-garis's logic: the poverty line by the BPS basic-needs
 * method from a SUSENAS consumption module (docs/garis.md).
 *
 * Per region (R101.R102) and area (R105: 1 perkotaan, 2 perdesaan):
 *   1. provisional line zp = GK(t-1) x IHK(t) / IHK(t-1)  (March periods);
 *   2. reference population: the area's households sorted by KAPITA (ties
 *      in file order); from the first with KAPITA >= zp, households are
 *      taken while the persons taken so far (WERT x R301) are fewer than
 *      20 % of the area's persons;
 *   3. per food commodity k: Q_k, V_k = sum WERT x quantity (value) / P,
 *      P = sum WERT x R301 of the reference households; calories per
 *      capita per day C = sum_k Q_k kcal_k / 30; GKM = (2100 / C) sum_k V_k
 *      (commodity k contributes (2100 / C) V_k);
 *   4. GKNM = sum_j r_j N_j over the non-food items with a ratio for the
 *      area (N_j as V_k);
 *   5. GK = GKM + GKNM; the region's total is the persons-weighted mean of
 *      its areas' lines.
 * Standard errors: delete-one-PSU jackknife within strata (the whole
 * computation, reference population included, per replicate).
 *
 * Inputs are read into memory (a kabupaten's SUSENAS is small; a province
 * of 30,000 households with 50 items each is 1.5 M rows, ~50 MB). Nothing
 * here prints or exits, except angka_x* allocation on OOM.
 */
#ifndef ANGKA_GARIS_H
#define ANGKA_GARIS_H

#include <stddef.h>
#include <stdint.h>

#include "angka.h"

#define GARIS_KKAL 2100.0   /* kcal per capita per day */
#define GARIS_REF_SHARE 0.2 /* the reference population's share */

/*
 * The [garis] config section. source (driver): the lines indicators use,
 * the input lines or the computed ones (hitung). kalori, rasio, ihk: the
 * tables (defaults of the options). makanan, bukan_makanan (driver): the
 * consumption files, space-separated, relative to the config, the year in
 * each file's name.
 */
enum garis_source { GARIS_SOURCE_INPUT = 0, GARIS_SOURCE_HITUNG };
struct garis_config {
	int source;
	const char *kalori, *rasio, *ihk;
	const char *makanan, *bukan_makanan;
};
void garis_config_init(struct garis_config *gc);
extern const struct angka_key_def garis_config_keys[];

struct garis_price {        /* --price KODE=+10% */
	const char *kode;
	double change;          /* 0.10 for +10% */
};

struct garis_opts {
	const char *susenas;      /* URUT,R101,R102,R105,PSU,STRATA,R301,WERT,KAPITA */
	const char *makanan;      /* URUT,KODE,KUANTITAS,NILAI */
	const char *bukan_makanan;/* URUT,KODE,NILAI */
	const char *komoditas;    /* kode,nama,satuan,kkal_per_satuan */
	const char *rasio;        /* kode,nama,rasio_perkotaan,rasio_perdesaan */
	const char *ihk;          /* kode_wilayah,periode,ihk */
	const char *garis;        /* kode_wilayah,periode,garis_kemiskinan */
	int tahun;
	int bulan;                /* 3 (March) by default */
	const char *out;          /* lines (NULL/"-": stdout) */
	const char *out_komoditas;/* contributions or NULL */
	const char *out_whatif;   /* price what-if or NULL */
	const char *out_lines;    /* the lines as normalized poverty lines
	                           * (angka-indicators --lines) or NULL */
	const char *explain;      /* directory or NULL */
	const char *quarantine;   /* file or NULL */
	const struct garis_price *price;
	size_t nprice;
	int no_se;                /* skip the jackknife */
	unsigned writer_flags;
};

void garis_opts_init(struct garis_opts *o);

struct garis_stats {
	uint64_t households;
	uint64_t food_rows, food_used, food_quarantined;
	uint64_t nonfood_rows, nonfood_used, nonfood_quarantined;
	size_t regions;
	size_t replicates;
	char **notes;             /* messages for the user, in order */
	size_t nnotes;
};

void garis_stats_release(struct garis_stats *st);

/* Parse "KODE=+10%" / "KODE=-5%" / "KODE=0.1" into p (kode borrowed from
 * s). Returns 0, or -1 with why set to a static message. */
int garis_parse_price(char *s, struct garis_price *p, const char **why);

/* Read, compute, write. ANGKA_OK or the error with e set. */
enum angka_err garis_run(const struct garis_opts *o, struct garis_stats *st,
                         struct angka_error *e);

#endif
