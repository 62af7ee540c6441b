/*
 * stats.c - angka-trend's statistics: the test of a change between two
 * years and the weighted linear trend of a series, with the year it
 * reaches a target (see trend.h).
 */
#include "trend.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>

const char *trend_verdict_text(int verdict)
{
	return verdict < 0 ? "turun signifikan"
	     : verdict > 0 ? "naik signifikan" : "tidak berubah signifikan";
}

int trend_change_test(double v1, double se1, double v2, double se2,
                      double cov, double df, double alpha,
                      struct trend_change *out)
{
	out->d = v2 - v1;
	out->pct = v1 != 0 ? (v2 - v1) / v1 * 100.0 : NAN;
	out->se = out->stat = out->p = NAN;
	out->verdict = 0;
	double var = se1 * se1 + se2 * se2 - 2.0 * cov;
	if (!isfinite(out->d) || !isfinite(var) || !(var > 0))
		return -1;
	out->se = sqrt(var);
	out->stat = out->d / out->se;
	double a = fabs(out->stat);
	out->p = df > 0 ? 2.0 * gsl_cdf_tdist_Q(a, df) : 2.0 * gsl_cdf_ugaussian_Q(a);
	if (out->p < alpha)
		out->verdict = out->d < 0 ? -1 : 1;
	return 0;
}

int trend_fit_wlinear(const double *x, const double *y, const double *se,
                      size_t n, double alpha, struct trend_fit *f,
                      const char **msg)
{
	f->x0 = n ? x[0] : NAN;
	f->a = f->b = f->se_b = f->se_sampling = f->lo = f->hi = NAN;
	f->chisq = NAN;
	f->df = (double)n - 2.0;
	if (n < 2) {
		*msg = "fewer than 2 points";
		return -1;
	}
	double *xc = angka_xmalloc(n * sizeof *xc);
	double *w = angka_xmalloc(n * sizeof *w);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(se[i] > 0) || !isfinite(se[i]) || !isfinite(y[i])) {
			*msg = "a point without a positive standard error";
			rc = -1;
			goto cleanup;
		}
		xc[i] = x[i] - f->x0;
		w[i] = 1.0 / (se[i] * se[i]);
	}
	double cov00, cov01, cov11;
	int g = gsl_fit_wlinear(xc, 1, w, 1, y, 1, n, &f->a, &f->b, &cov00,
	                        &cov01, &cov11, &f->chisq);
	if (g != GSL_SUCCESS) {
		*msg = gsl_strerror(g);
		rc = -1;
		goto cleanup;
	}
	if (!isfinite(f->b) || !isfinite(cov11)) {
		*msg = "singular fit (all points in one year?)";
		rc = -1;
		goto cleanup;
	}
	f->se_sampling = sqrt(cov11);
	if (n > 2) {
		/* Scale up only: the sampling variances are known, so a fit
		 * tighter than they allow (chisq < df) must not shrink the CI. */
		double disp = f->chisq / f->df;
		f->se_b = sqrt(cov11 * (disp > 1 ? disp : 1));
		double t = gsl_cdf_tdist_Pinv(1.0 - alpha / 2.0, f->df);
		f->lo = f->b - t * f->se_b;
		f->hi = f->b + t * f->se_b;
	}
cleanup:
	free(xc);
	free(w);
	return rc;
}

double trend_target_year(const struct trend_fit *f, double x_last,
                         double target)
{
	double fit_last = f->a + f->b * (x_last - f->x0);
	if (!isfinite(fit_last) || !isfinite(target))
		return NAN;
	if (fit_last == target)
		return x_last;
	if (f->b == 0 || (target < fit_last) != (f->b < 0))
		return NAN;
	return x_last + (target - fit_last) / f->b;
}
