/*
 * trend.h - angka-trend's logic: the history of every indicator over the
 * years (computed and published), revisions, year-to-year changes with their
 * standard errors and tests, and a weighted linear trend per series.
 *
 * Inputs are indicator tables in the long format of DESIGN.md, a normalized
 * published series (kind terbitan), an optional previous history.csv and an
 * optional covariance table for years that share PSUs. Every output is
 * written atomically (csv_writer.h): on any error none of them changes.
 * Nothing here prints or exits, except angka_x* allocation on OOM.
 */
#ifndef ANGKA_TREND_H
#define ANGKA_TREND_H

#include <stddef.h>

#include "angka.h"

/* Settings of the [trend] config section (see trend_config_keys). */
struct trend_config {
	double alpha;                  /* significance level, default 0.05 */
	int test;                      /* 0: z (default), 1: t (df = min) */
	const char *shared_psu_years;  /* "2023-2024, 2019-2020" or NULL */
	double target_P0, target_P1, target_P2;  /* NaN: no target */
	double target_jumlah_miskin, target_gini;
};

/* Set the defaults. */
void trend_config_init(struct trend_config *tc);

/* The key table of [trend], for angka_config_apply(). */
extern const struct angka_key_def trend_config_keys[];

struct trend_opts {
	const char *history;           /* output history.csv (required) */
	const char *changes;           /* output changes.csv (required) */
	const char *trend;             /* output trend.csv or NULL */
	const char *revisions;         /* revisions.csv: read if it exists,
	                                * rewritten with the new rows; or NULL */
	const char *previous_history;  /* or NULL */
	const char *published;         /* normalized terbitan CSV or NULL */
	const char *cov;               /* covariance table or NULL */
	const char *lines;             /* normalized poverty lines (deflator of
	                                * rata_kapita, median_kapita) or NULL */
	const char *const *files;      /* indicator tables */
	size_t nfiles;
	unsigned writer_flags;         /* csv_writer flags (NOSYNC in tests) */
};

struct trend_stats {
	size_t hitung;        /* computed rows in history */
	size_t terbitan;      /* published rows in history */
	size_t carried;       /* rows kept from the previous history */
	size_t revised;       /* new revisions */
	size_t changes;       /* rows of changes.csv */
	size_t fits;          /* rows of trend.csv */
};

/*
 * Parse a shared_psu_years value ("2023-2024, 2019-2020") into pairs
 * (*pairs owned by the caller, 2 ints per pair, free()). NULL or "" gives
 * 0 pairs. Returns ANGKA_ECONFIG with e set on a malformed item.
 */
enum angka_err trend_parse_year_pairs(const char *s, int **pairs,
                                      size_t *npairs, struct angka_error *e);

/*
 * The result of comparing two estimates v1 (year 1) and v2 (year 2) with
 * standard errors se1, se2 and covariance cov: d = v2 - v1,
 * se = sqrt(se1^2 + se2^2 - 2 cov), stat = d / se and the two-sided p-value
 * from N(0,1) (df <= 0) or t(df). verdict: -1 decrease, +1 increase,
 * 0 no significant change at level alpha. Returns -1 (fields NaN) when the
 * variance is not positive or an input is not finite.
 */
struct trend_change {
	double d, pct, se, stat, p;
	int verdict;
};
int trend_change_test(double v1, double se1, double v2, double se2,
                      double cov, double df, double alpha,
                      struct trend_change *out);

/* "turun signifikan", "naik signifikan" or "tidak berubah signifikan". */
const char *trend_verdict_text(int verdict);

/*
 * The trend of a series: ordinary least squares y = a + b (x - x0) on every
 * year with an estimate, x0 the mean year (centred: stable, a is the
 * fitted value at x0), by gsl_fit_linear. Not weighted by 1/se^2: the SE of
 * a proportion grows with the estimate, so those weights pull the line
 * towards the low years, and a year with SE 0 (an estimate of 0 from a
 * sample without poor) would get infinite weight.
 * se_sampling = sqrt(sum c_i^2 se_i^2), c_i = (x_i - x0)/Sxx: the slope's
 * sampling error for independent yearly samples (years whose se is not
 * positive add nothing; n_nose counts them). se_resid = sqrt(RSS/(n-2)/Sxx)
 * (n > 2): the classical OLS SE, which also carries the true series'
 * departures from a line. se_b = max(se_sampling, se_resid); CI = b -/+
 * t(n-2, 1 - alpha/2) se_b. With n = 2: slope and se_sampling only.
 * Returns 0, or -1 with msg holding gsl_strerror() or the reason.
 */
struct trend_fit {
	double x0, a, b, se_b, se_sampling, se_resid, lo, hi, df;
	size_t n_nose;
};
int trend_fit_ols(const double *x, const double *y, const double *se,
                  size_t n, double alpha, struct trend_fit *f,
                  const char **msg);

/*
 * When the fitted line reaches target: the exact x (NaN if never, i.e. the
 * slope is zero or points away from the target). x_last is the last year of
 * the data; a target already met by the fitted value at x_last gives x_last.
 */
double trend_target_year(const struct trend_fit *f, double x_last,
                         double target);

/* Run the stage; returns a code with e set. Exits (status 1, the size on
 * stderr) only when memory runs out: it allocates with angka_xmalloc. */
enum angka_err trend_run(const struct trend_opts *o,
                         const struct trend_config *tc,
                         struct trend_stats *st, struct angka_error *e);

#endif
