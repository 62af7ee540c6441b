/*
 * ci.c - log- and logit-scale confidence intervals (ci.h).
 */
#include "ci.h"

#include <math.h>

int angka_ci_log(double est, double se, double q, double *lo, double *hi)
{
	*lo = *hi = NAN;
	if (!(est > 0))
		return -1;
	double h = q * se / est;
	*lo = est * exp(-h);
	*hi = est * exp(h);
	return 0;
}

int angka_ci_logit(double m, double est, double se, double q, double *lo,
                   double *hi)
{
	*lo = *hi = NAN;
	double p = est / m;
	if (!(p > 0 && p < 1))
		return -1;
	double L = log(p / (1 - p)), h = q * (se / m) / (p * (1 - p));
	*lo = m / (1 + exp(-(L - h)));
	*hi = m / (1 + exp(-(L + h)));
	return 0;
}
