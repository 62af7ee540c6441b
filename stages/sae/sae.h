/*
 * sae.h - angka-sae's logic: small-area estimation with the area-level
 * Fay-Herriot model (fh.h) over a table of one row per area: the direct
 * estimate and its sampling variance (or SE), covariates every area has,
 * categorical covariates as indicator columns.
 *
 * Areas with a direct estimate and a positive variance are fitted and get
 * the EBLUP; areas without an estimate, or whose variance is 0 or missing,
 * get the synthetic x'beta (never gamma = 1). Rows with a missing covariate
 * or factor value are refused with a reason. Outputs are written
 * atomically (csv_writer.h). Nothing here prints or exits, except
 * angka_x* allocation on OOM.
 */
#ifndef ANGKA_SAE_H
#define ANGKA_SAE_H

#include <stddef.h>

#include "angka.h"
#include "fh.h"

enum sae_transform { SAE_TRANSFORM_NONE = 0, SAE_TRANSFORM_ARCSIN };

/* Generalized variance function: off, for areas without a usable direct
 * variance only, or for every area. */
enum sae_gvf { SAE_GVF_OFF = 0, SAE_GVF_MISSING, SAE_GVF_ALL };

/*
 * Settings of the [sae] config section, the defaults of the long mode
 * (the driver's step): method, the indicators and the registry covariates
 * (space- or comma-separated lists). Command-line options override them.
 */
struct sae_config {
	int method;              /* enum sae_method */
	const char *indikator;   /* "P0 P1 P2" */
	const char *covariates;  /* "desil12_pct pkh_pct" */
};

void sae_config_init(struct sae_config *sc);
extern const struct angka_key_def sae_config_keys[];

struct sae_opts {
	const char *input;             /* CSV, "-" for stdin */
	const char *out;               /* NULL or "-": stdout */
	const char *model;             /* model table or NULL */
	const char *area, *estimate;   /* column names (required) */
	const char *se, *variance;     /* exactly one of them */
	const char *const *covariates; /* numeric columns */
	size_t ncov;
	const char *const *factors;    /* categorical columns */
	size_t nfac;
	const char *n_obs;             /* column; NULL: "n_obs" if present */
	enum sae_method method;
	enum sae_transform transform;
	const char *n_eff;             /* arcsin: effective sample size column */
	int percent;                   /* arcsin: estimates are percentages */
	long bootstrap;                /* parametric bootstrap replicates */
	unsigned long seed;
	const char *benchmark;         /* a number or a column, or NULL */
	const char *share;             /* benchmark weights column or NULL */
	enum sae_gvf gvf;
	/* Long mode: areas from angka-indicators' tables (long.c). */
	const char *poverty;           /* poverty.csv (direct estimates) */
	const char *registry;          /* registry.csv (covariates) */
	/* The registry table without suppression (private): covariates from
	 * it; an area whose covariates the published o->registry cannot
	 * give is published without a value (metode ditahan). */
	const char *registry_internal;
	const char *out_internal;      /* every area's values (private) */
	long tahun;                    /* 0: the registry's year */
	const char *const *indikator;  /* indicators to model (P0 if none) */
	size_t nind;
	double tol;                    /* relative tolerance on A */
	int maxiter;
	unsigned writer_flags;
};

/* Set the defaults: REML, no transform, tol 1e-12, maxiter 500. */
void sae_opts_init(struct sae_opts *o);

struct sae_stats {
	size_t rows;          /* data rows read */
	size_t fit;           /* areas in the fit (metode eblup) */
	size_t synthetic;     /* areas predicted synthetically */
	size_t syn_no_est;    /*   of which: no direct estimate */
	size_t syn_no_var;    /*   of which: variance 0 or missing */
	size_t refused;       /* rows refused (reasons in notes) */
	size_t gvf_used;      /* areas whose model variance came from the GVF */
	char **notes;         /* messages for the user, in order */
	size_t nnotes;
};

void sae_stats_release(struct sae_stats *st);

/*
 * Read, fit, write. With o->poverty (long mode) the areas are the
 * kecamatan and desa of o->registry: the direct estimates of o->poverty's
 * domains kode_wilayah=CODE of the year, covariates derived from the
 * registry counts (o->covariates names them: desil12_pct, pkh_pct,
 * bpnt_pct, art_per_ruta, dtks_pct; default desil12_pct and pkh_pct), and
 * the output is the long format of DESIGN.md with a metode column. Returns
 * ANGKA_OK or the error with e set.
 */
enum angka_err sae_run(const struct sae_opts *o, struct sae_stats *st,
                       struct angka_error *e);

#endif
