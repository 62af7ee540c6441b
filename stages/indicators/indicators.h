/*
 * indicators.h - angka-indicators' logic: design-based poverty indicators
 * (FGT P0/P1/P2, number of poor, mean/median expenditure, Gini, share of the
 * bottom 40%, subgroup contributions) with ultimate-cluster linearization
 * SEs that reproduce R survey's svymean/svytotal/svyby (nest = TRUE).
 *
 * Everything is computed from mergeable sums: per year x domain x PSU, the
 * exact sums of w, w*g0, w*g1, w*g2 and w*y (struct ind_xsum, an exact
 * fixed-point accumulator), so partial results of any partition of the rows
 * merge into bit-identical output. Only the distribution statistics (median,
 * Gini, bottom-40 share) keep (y, w) per domain, in memory proportional to
 * rows; --no-distribution drops them.
 *
 * Ownership: struct ind_opts borrows every string it points to; ind_run()
 * copies what it keeps and frees everything before it returns.
 */
#ifndef ANGKA_INDICATORS_H
#define ANGKA_INDICATORS_H

#include <stddef.h>
#include <stdint.h>

#include "angka.h"

enum ind_mode { IND_MODE_SURVEY = 0, IND_MODE_REGISTRY, IND_MODE_PROGRAMME };
enum ind_rule { IND_RULE_STRICT = 0, IND_RULE_WEAK };
/* R survey's options(survey.lonely.psu = ...) meanings, survey 4.1. */
enum ind_lonely { IND_LONELY_FAIL = 0, IND_LONELY_REMOVE, IND_LONELY_ADJUST,
                  IND_LONELY_CERTAINTY };
/* Degrees of freedom of a domain's CI: its own (R degf(subset(...))) or the
 * whole design's. */
enum ind_domain_df { IND_DF_DOMAIN = 0, IND_DF_DESIGN };
/* CIs of proportions: R svyciprop's "logit" and "beta" (Korn-Graubard), or
 * the symmetric Wald interval cut to the range. */
enum ind_ci { IND_CI_LOGIT = 0, IND_CI_BETA, IND_CI_WALD };
/* The Gini's SE: R survey's delete-one-PSU jackknife (JKn) or convey's
 * linearization. */
enum ind_gini_se { IND_GINI_JACKKNIFE = 0, IND_GINI_LINEARIZATION };

#define IND_MAX_BY 16

/*
 * Settings of the [indicators] config section (angka_config_apply keys:
 * poverty_rule, lonely_psu, level, by, fpc, distribution, domain_df,
 * min_psu, min_obs, ci_method, gini_se). Strings borrowed from the config.
 */
struct ind_settings {
	int poverty_rule;        /* enum ind_rule */
	int lonely_psu;          /* enum ind_lonely */
	double level;            /* confidence level, default 0.95 */
	const char *by;          /* space-separated domain columns */
	const char *fpc;         /* fpc column or NULL */
	int distribution;        /* 1: median, Gini, bottom-40 share */
	int domain_df;           /* enum ind_domain_df */
	long min_psu, min_obs;   /* below either: catatan sampel_kecil */
	int ci_method;           /* enum ind_ci */
	int gini_se;             /* enum ind_gini_se */
};

extern const struct angka_key_def ind_setting_keys[];
void ind_settings_init(struct ind_settings *s);

struct ind_opts {
	int mode;                /* enum ind_mode */
	const char *out;         /* NULL or "-": stdout */
	const char *const *files;/* microdata, or partials with merge */
	size_t nfiles;
	const char *lines;       /* normalized poverty lines (survey mode) */

	/* Ad hoc mode when value is set: any CSV, columns named here. */
	const char *value, *weight, *hhsize, *strata, *psu;
	const char *line;        /* --line NUMBER|COL */

	const char *fpc;         /* column or NULL */
	const char *by[IND_MAX_BY];
	size_t nby;
	int rule;                /* enum ind_rule */
	int lonely;              /* enum ind_lonely */
	double level;
	int domain_df;           /* enum ind_domain_df */
	long min_psu, min_obs;   /* small-sample flag thresholds */
	int ci_method;           /* enum ind_ci */
	int gini_se;             /* enum ind_gini_se */
	int distribution;
	int partial;             /* write partial sums instead of indicators */
	int merge;               /* files are partials */
	int quiet;
};

struct ind_stats {
	uint64_t rows_in;        /* microdata rows read (or partial rows) */
	uint64_t designs;        /* years */
	uint64_t domains;
	uint64_t rows_out;
	int lonely_strata;       /* strata with one PSU (all years) */
};

/* "fail", "remove", "adjust", "certainty". */
const char *ind_lonely_name(int policy);

/* Run the survey indicators; returns a code with e set. Exits (status 1,
 * the size on stderr) only when memory runs out (angka_xmalloc). */
enum angka_err ind_run(const struct ind_opts *o, struct ind_stats *st,
                       struct angka_error *e);

/* ---- exact summation (xsum.c) ---------------------------------------- */

/*
 * An exact sum of doubles in fixed point: 256-bit two's complement, least
 * significant bit 2^-128, so every double in [2^-128, 2^100) adds exactly
 * and the order of additions never changes the result. Terms below 2^-128
 * are rounded to the grid (deterministically), terms of magnitude 2^100 or
 * more are refused. Zero-initialised is the empty sum.
 */
struct ind_xsum {
	uint64_t limb[4];        /* little-endian limbs */
};

/* Add x; returns 0, or -1 if x is not finite or |x| >= 2^100. */
int ind_xsum_add(struct ind_xsum *s, double x);
/* s += t exactly. */
void ind_xsum_merge(struct ind_xsum *s, const struct ind_xsum *t);
/* The sum correctly rounded to double. */
double ind_xsum_value(const struct ind_xsum *s);
/* 64 hex digits (most significant first) plus NUL into buf[65]. */
void ind_xsum_format(const struct ind_xsum *s, char buf[65]);
/* Parse what ind_xsum_format wrote; returns 0 or -1. */
int ind_xsum_parse(struct ind_xsum *s, const char *text, size_t len);

/* ---- linearized variance (variance.c) --------------------------------- */

/*
 * One stratum's PSU totals of a linearized variable for the variance of
 * R survey's onestrat(): n_psu is the stratum's PSU count in the whole
 * design, u[0..m) the totals of the PSUs present (m <= n_psu; the others
 * are 0), f the finite population factor (1 - n/N, 1 without fpc).
 * Returns the stratum's variance contribution, or NAN under policy fail
 * for a lonely stratum (the caller reports it).
 */
double ind_stratum_variance(const double *u, size_t m, long n_psu, double f,
                            int lonely);

/* ---- distribution statistics (distribution.c) ------------------------- */

struct ind_yw {
	double y, w;
	uint32_t psu;            /* design PSU index (canonical rank once the
	                          * design is finished) */
};

/*
 * Sort a[0..n) into the canonical order (y ascending, ties by w, then PSU
 * rank), so that the result depends only on the multiset.
 */
void ind_yw_sort(struct ind_yw *a, size_t n);
/* On sorted a with total weight > 0 (zero weights allowed): */
double ind_yw_median(const struct ind_yw *a, size_t n);
/* The p quantile by the same rule (R qrule "math"), 0 <= p <= 1. */
double ind_yw_quantile(const struct ind_yw *a, size_t n, double p);
double ind_yw_gini(const struct ind_yw *a, size_t n);
double ind_yw_lorenz(const struct ind_yw *a, size_t n, double p);
/*
 * The linearized variable of the Gini ratio g (ind_yw_gini of the same
 * sorted a): z[i] = (2 r_i y_i + 2 (T - T_i) - (g + 1)(T + N y_i)) / (N T),
 * r_i and T_i the cumulative weight and w y up to and including i, N and T
 * the totals (the derivative of convey's estimator with respect to w_i,
 * Langel and Tille 2013); the Gini's variance is that of sum w_i z_i.
 */
void ind_yw_gini_lin(const struct ind_yw *a, size_t n, double g, double *z);

#endif
