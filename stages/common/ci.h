/*
 * ci.h - confidence intervals kept inside an estimate's range, shared by
 * angka-indicators (direct estimates) and angka-sae (model estimates).
 * q is the quantile (t or z), se > 0 the estimate's standard error.
 * Both set *lo and *hi to the bounds and return 0, or set them to NaN and
 * return -1 when the scale has no interval there (est on or outside the
 * range's bounds).
 */
#ifndef ANGKA_CI_H
#define ANGKA_CI_H

/* A positive quantity on the log scale: est exp(-/+ q se / est). */
int angka_ci_log(double est, double se, double q, double *lo, double *hi);

/* A proportion of m (100 for percent, 1 for a unit share) on the logit
 * scale, delta method: p = est / m, half-width q (se / m) / (p (1 - p)),
 * back-transformed. */
int angka_ci_logit(double m, double est, double se, double q, double *lo,
                   double *hi);

#endif
