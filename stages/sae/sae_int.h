/*
 * sae_int.h - angka-sae's internals shared by read.c, run.c and write.c.
 */
#ifndef ANGKA_SAE_INT_H
#define ANGKA_SAE_INT_H

#include "sae.h"

enum sae_var_src { SAE_VAR_NONE = 0, SAE_VAR_DIRECT, SAE_VAR_GVF };

/* One accepted input row = one area. Numbers are NaN when missing. */
struct sae_area {
	char *name;
	long line;
	double est, var;       /* direct estimate and variance, input scale */
	double nobs, neff, share;
	double vmodel;         /* variance for the model, input scale */
	double y, D;           /* model scale (arcsin: transformed) */
	int in_fit;
	enum sae_var_src var_src;
	double eblup, mse, gamma, syn, bench;   /* results, input scale */
	double mse_bench;      /* mse + (bench - eblup)^2 (--benchmark) */
};

struct sae_table {
	const char *file;      /* display name of the input */
	struct sae_area *a;
	size_t n;
	size_t p;              /* columns of X */
	double *X;             /* n x p row-major */
	char **xname;          /* p names: "(Intercept)", COL, COL=LEVEL */
	int has_nobs;
	double bench_value;    /* NaN unless --benchmark (value or column) */
};

void sae_table_release(struct sae_table *t);

/* Read o->input into t (areas, design matrix). Refused rows are counted
 * in st with a note each. */
enum angka_err sae_read(const struct sae_opts *o, struct sae_table *t,
                        struct sae_stats *st, struct angka_error *e);

/* Append a note (printf format) to st. */
void sae_note(struct sae_stats *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Everything the model file reports beyond the fit. */
struct sae_summary {
	double bench_factor;   /* NaN without --benchmark */
	double gvf_a, gvf_b, gvf_smear;  /* NaN without GVF */
	size_t gvf_n;
	long boot_done;        /* bootstrap replicates used */
	long boot_failed;      /* replicates whose refit did not converge */
	double skewness, kurtosis, jb, jb_p;  /* standardized residuals */
};

/*
 * Model-scale data, fit, per-area results (t->a[].eblup, mse, gamma, syn,
 * bench) of a table. f is set up here; the caller releases it (also on
 * error).
 */
enum angka_err sae_compute(const struct sae_opts *o, struct sae_table *t,
                           struct sae_stats *st, struct sae_summary *sm,
                           struct sae_fit *f, struct angka_error *e);

/* The long mode (--poverty/--registry): long.c. */
enum angka_err sae_run_long(const struct sae_opts *o, struct sae_stats *st,
                            struct angka_error *e);

/* The per-area table and the model table, into open writers. */
void sae_write_areas(struct angka_csv_writer *w, const struct sae_opts *o,
                     const struct sae_table *t);
/* The model table: its header, then the rows of one fit. prefix: NULL,
 * or the values of the leading columns tahun,indikator (long mode). */
void sae_write_model_header(struct angka_csv_writer *w,
                            const char *const *prefix);
void sae_write_model(struct angka_csv_writer *w, const char *const *prefix,
                     const struct sae_opts *o, const struct sae_table *t,
                     const struct sae_fit *f, const struct sae_stats *st,
                     const struct sae_summary *sm);

#endif
