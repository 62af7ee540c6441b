/*
 * fh.h - the area-level Fay-Herriot model: fit, EBLUP and MSE.
 *
 *   y_i = x_i' beta + u_i + e_i,  u_i ~ N(0, A),  e_i ~ N(0, D_i), D_i known
 *
 * A is estimated by REML or ML with Fisher scoring as R sae::eblupFH
 * (start at median(D), step s/F), to a tolerance far tighter than sae's
 * 1e-4, and bounded at 0: a step below 0 lands on 0, and a fit whose score
 * at 0 still points below 0 stops there (at_zero). With A the GLS beta,
 * EBLUP_i = gamma_i y_i + (1 - gamma_i) x_i' beta, gamma_i = A/(A + D_i),
 * and the MSE of sae::mseFH: Prasad-Rao g1 + g2 + 2 g3 (REML), Datta-Lahiri
 * g1 + g2 + 2 g3 - b B_i^2 (ML). docs/sae.md has the formulas.
 *
 * Linear algebra through GSL (Cholesky of X'V^-1 X and its inverse). No
 * function here prints or exits; memory comes from angka_xmalloc.
 */
#ifndef ANGKA_SAE_FH_H
#define ANGKA_SAE_FH_H

#include <stddef.h>

#include "err.h"

enum sae_method { SAE_REML = 0, SAE_ML };

/* The areas of the fit: X is m x p row-major; all borrowed. */
struct sae_data {
	size_t m, p;
	const double *X;
	const double *y;
	const double *D;   /* sampling variances, all > 0 */
};

struct sae_fit {
	enum sae_method method;
	size_t m, p;
	double A;          /* variance of the area effects, >= 0 */
	double A_se;       /* sqrt(2 / sum (A + D_i)^-2) */
	double *beta;      /* p coefficients */
	double *beta_se;   /* p standard errors: sqrt(diag Q) */
	double *Q;         /* p x p: (X' V^-1 X)^-1 */
	double sum_w2;     /* sum (A + D_i)^-2 */
	double b_ml;       /* Datta-Lahiri bias term -tr(Q X'V^-2 X)/sum_w2 */
	double loglik;     /* ML log-likelihood at A (as sae reports it) */
	double loglik_reml;/* restricted log-likelihood at A */
	double aic, bic;   /* -2 loglik + 2 (p + 1), -2 loglik + (p + 1) log m */
	int iterations;
	int converged;
	int at_zero;       /* the fit stopped at the bound A = 0 */
};

/* Allocate the arrays of f for p coefficients; sae_fit_release frees them. */
void sae_fit_init(struct sae_fit *f, size_t p);
void sae_fit_release(struct sae_fit *f);

/*
 * Fit d by method to relative tolerance tol on A (at most maxiter Fisher
 * steps). f must have been set up by sae_fit_init with d->p. Returns
 * ANGKA_OK (check f->converged), or ANGKA_EDATA when m <= p or
 * X' V^-1 X is singular (collinear covariates).
 */
enum angka_err sae_fh_fit(const struct sae_data *d, enum sae_method method,
                          double tol, int maxiter, struct sae_fit *f,
                          struct angka_error *e);

/* x' beta for a row x of p values. */
double sae_fh_synthetic(const struct sae_fit *f, const double *x);
/* x' Q x. */
double sae_fh_xqx(const struct sae_fit *f, const double *x);

/*
 * For an area of the fit with direct estimate y, variance D and row x:
 * *gamma, *eblup and the analytic MSE (Prasad-Rao or Datta-Lahiri by the
 * fit's method).
 */
void sae_fh_area(const struct sae_fit *f, const double *x, double y, double D,
                 double *gamma, double *eblup, double *mse);

/*
 * MSE of the synthetic x' beta for an area outside the fit: A + x'Qx, with
 * ML's first-order bias removed from A (A - b_ml, b_ml < 0).
 */
double sae_fh_synthetic_mse(const struct sae_fit *f, const double *x);

#endif
