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

int trend_fit_ols(const double *x, const double *y, const double *se,
                  size_t n, double alpha, struct trend_fit *f,
                  const char **msg)
{
	f->x0 = f->a = f->b = f->se_b = f->se_sampling = f->se_resid = NAN;
	f->lo = f->hi = NAN;
	f->df = (double)n - 2.0;
	f->n_nose = 0;
	if (n < 2) {
		*msg = "fewer than 2 points";
		return -1;
	}
	double *xc = angka_xmalloc(n * sizeof *xc);
	int rc = 0;
	/* Centre the years at their mean: the intercept is the fitted value
	 * there and the normal equations are orthogonal (no cancellation). */
	double xbar = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(y[i]) || !isfinite(x[i])) {
			*msg = "a point without an estimate";
			rc = -1;
			goto cleanup;
		}
		xbar += x[i];
	}
	xbar /= (double)n;
	f->x0 = xbar;
	double sxx = 0;
	for (size_t i = 0; i < n; i++) {
		xc[i] = x[i] - xbar;
		sxx += xc[i] * xc[i];
	}
	if (!(sxx > 0)) {
		*msg = "singular fit (all points in one year?)";
		rc = -1;
		goto cleanup;
	}
	double c0, c1, cov00, cov01, cov11, sumsq;
	int g = gsl_fit_linear(xc, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11,
	                       &sumsq);
	if (g != GSL_SUCCESS || !isfinite(c1)) {
		*msg = g != GSL_SUCCESS ? gsl_strerror(g) : "singular fit";
		rc = -1;
		goto cleanup;
	}
	f->a = c0;
	f->b = c1;
	/* Sampling variance of the OLS slope for independent years:
	 * b = sum c_i y_i, c_i = xc_i / sxx. A year without a positive SE
	 * (an estimate of 0 from a sample without poor) adds nothing here:
	 * counted in n_nose so the caller can say so. */
	double vs = 0;
	for (size_t i = 0; i < n; i++) {
		double ci = xc[i] / sxx;
		if (isfinite(se[i]) && se[i] > 0)
			vs += ci * ci * se[i] * se[i];
		else
			f->n_nose++;
	}
	f->se_sampling = sqrt(vs);
	if (n > 2) {
		f->se_resid = sqrt(sumsq / f->df / sxx);
		f->se_b = f->se_resid > f->se_sampling ? f->se_resid
		                                       : f->se_sampling;
		double t = gsl_cdf_tdist_Pinv(1.0 - alpha / 2.0, f->df);
		f->lo = f->b - t * f->se_b;
		f->hi = f->b + t * f->se_b;
	}
cleanup:
	free(xc);
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
