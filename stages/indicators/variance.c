/*
 * variance.c - one stratum's contribution to the ultimate-cluster
 * linearization variance, exactly as R survey 4.1's onestrat() computes it
 * (DOMAIN.md section 1): PSUs of the whole design that the domain does not
 * touch count as zero totals; a lonely stratum follows the lonely-PSU policy.
 */
#include "indicators.h"

#include <math.h>

double ind_stratum_variance(const double *u, size_t m, long n_psu, double f,
                            int lonely)
{
	/* R: if (all(f < 1e-7)) return 0, a self-representing stratum. */
	if (f < 1e-7)
		return 0.0;
	if (n_psu <= 1) {
		switch (lonely) {
		case IND_LONELY_FAIL:
			return NAN;
		case IND_LONELY_ADJUST: {
			/* R centres nothing here: the PSU total squared, times f. */
			double s = 0;
			for (size_t i = 0; i < m; i++)
				s += f * u[i] * u[i];
			return s;
		}
		default:
			/* remove and certainty: centred on itself, so zero. */
			return 0.0;
		}
	}
	double sum = 0;
	for (size_t i = 0; i < m; i++)
		sum += u[i];
	double mean = sum / (double)n_psu;
	double ss = 0;
	for (size_t i = 0; i < m; i++) {
		double d = u[i] - mean;
		ss += d * d;
	}
	ss += (double)((size_t)n_psu - m) * mean * mean;
	return f * (double)n_psu / (double)(n_psu - 1) * ss;
}
