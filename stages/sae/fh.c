/*
 * fh.c - Fay-Herriot fit by Fisher scoring, EBLUP and MSE (see fh.h).
 *
 * Every quantity of the scoring step is computed from p x p matrices, never
 * from the m x m projection P = V^-1 - V^-1 X Q X' V^-1 that sae builds:
 * with W = V^-1 (diagonal), r = y - X beta,
 *   tr P     = sum W - tr(Q X'W^2X)
 *   tr P P   = sum W^2 - 2 tr(Q X'W^3X) + tr((Q X'W^2X)^2)
 *   y'P P y  = sum W^2 r^2
 * so one step costs O(m p^2), not O(m^3).
 */
#include "fh.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

void sae_fit_init(struct sae_fit *f, size_t p)
{
	memset(f, 0, sizeof *f);
	f->p = p;
	f->beta = angka_xcalloc(p, sizeof *f->beta);
	f->beta_se = angka_xcalloc(p, sizeof *f->beta_se);
	f->Q = angka_xcalloc(p * p, sizeof *f->Q);
}

void sae_fit_release(struct sae_fit *f)
{
	free(f->beta);
	free(f->beta_se);
	free(f->Q);
	memset(f, 0, sizeof *f);
}

/* Workspace (GSL views over one angka_xmalloc block) and the values of
 * one evaluation at a given A. */
struct fh_eval {
	double *buf;
	gsl_matrix_view qv, m2v, m3v, tv;
	gsl_vector_view bv, betav, rworkv;
	gsl_matrix *Q;      /* X'WX, its Cholesky factor, then its inverse */
	gsl_matrix *M2, *M3, *T;
	gsl_vector *b;
	gsl_vector *beta;
	gsl_vector *rwork;
	double sum_w, sum_w2, sum_w2r2, rwr, sum_logv, logdet;
	double tr_t, tr_qm3, tr_tt;
};

static void eval_alloc(struct fh_eval *ev, size_t p)
{
	double *z = ev->buf = angka_xmalloc((4 * p * p + 5 * p) * sizeof *z);
	ev->qv = gsl_matrix_view_array(z, p, p);
	ev->m2v = gsl_matrix_view_array(z + p * p, p, p);
	ev->m3v = gsl_matrix_view_array(z + 2 * p * p, p, p);
	ev->tv = gsl_matrix_view_array(z + 3 * p * p, p, p);
	ev->bv = gsl_vector_view_array(z + 4 * p * p, p);
	ev->betav = gsl_vector_view_array(z + 4 * p * p + p, p);
	ev->rworkv = gsl_vector_view_array(z + 4 * p * p + 2 * p, 3 * p);
	ev->Q = &ev->qv.matrix;
	ev->M2 = &ev->m2v.matrix;
	ev->M3 = &ev->m3v.matrix;
	ev->T = &ev->tv.matrix;
	ev->b = &ev->bv.vector;
	ev->beta = &ev->betav.vector;
	ev->rwork = &ev->rworkv.vector;
}

static void eval_free(struct fh_eval *ev)
{
	free(ev->buf);
}

/*
 * Everything at A: beta, Q, the residual sums and the traces of the
 * scoring step. Returns -1 when X'WX is not numerically positive definite.
 */
static int eval_at(const struct sae_data *d, double A, struct fh_eval *ev)
{
	size_t m = d->m, p = d->p;
	gsl_matrix_set_zero(ev->Q);
	gsl_matrix_set_zero(ev->M2);
	gsl_matrix_set_zero(ev->M3);
	gsl_vector_set_zero(ev->b);
	ev->sum_w = ev->sum_w2 = ev->sum_logv = 0;
	for (size_t i = 0; i < m; i++) {
		const double *x = d->X + i * p;
		double v = A + d->D[i], w = 1 / v, w2 = w * w, w3 = w2 * w;
		ev->sum_w += w;
		ev->sum_w2 += w2;
		ev->sum_logv += log(v);
		for (size_t j = 0; j < p; j++) {
			if (x[j] == 0)
				continue;
			double *q = gsl_matrix_ptr(ev->Q, j, 0);
			double *m2 = gsl_matrix_ptr(ev->M2, j, 0);
			double *m3 = gsl_matrix_ptr(ev->M3, j, 0);
			for (size_t k = 0; k <= j; k++) {
				double xx = x[j] * x[k];
				q[k] += w * xx;
				m2[k] += w2 * xx;
				m3[k] += w3 * xx;
			}
			*gsl_vector_ptr(ev->b, j) += w * x[j] * d->y[i];
		}
	}
	for (size_t j = 0; j < p; j++)
		for (size_t k = 0; k < j; k++) {
			gsl_matrix_set(ev->Q, k, j, gsl_matrix_get(ev->Q, j, k));
			gsl_matrix_set(ev->M2, k, j, gsl_matrix_get(ev->M2, j, k));
			gsl_matrix_set(ev->M3, k, j, gsl_matrix_get(ev->M3, j, k));
		}
	if (gsl_linalg_cholesky_decomp1(ev->Q) != GSL_SUCCESS)
		return -1;
	double rcond;
	if (gsl_linalg_cholesky_rcond(ev->Q, &rcond, ev->rwork) != GSL_SUCCESS ||
	    !(rcond > 1e-13))
		return -1;
	ev->logdet = 0;
	for (size_t j = 0; j < p; j++)
		ev->logdet += 2 * log(gsl_matrix_get(ev->Q, j, j));
	gsl_linalg_cholesky_solve(ev->Q, ev->b, ev->beta);
	gsl_linalg_cholesky_invert(ev->Q);
	ev->sum_w2r2 = ev->rwr = 0;
	for (size_t i = 0; i < m; i++) {
		const double *x = d->X + i * p;
		double fit = 0;
		for (size_t j = 0; j < p; j++)
			fit += x[j] * gsl_vector_get(ev->beta, j);
		double r = d->y[i] - fit, w = 1 / (A + d->D[i]);
		ev->sum_w2r2 += w * w * r * r;
		ev->rwr += w * r * r;
	}
	/* T = Q M2; traces of T, Q M3 and T T. */
	gsl_blas_dsymm(CblasLeft, CblasUpper, 1.0, ev->Q, ev->M2, 0.0, ev->T);
	ev->tr_t = ev->tr_qm3 = ev->tr_tt = 0;
	for (size_t j = 0; j < p; j++) {
		ev->tr_t += gsl_matrix_get(ev->T, j, j);
		for (size_t k = 0; k < p; k++) {
			ev->tr_qm3 += gsl_matrix_get(ev->Q, j, k) *
			              gsl_matrix_get(ev->M3, k, j);
			ev->tr_tt += gsl_matrix_get(ev->T, j, k) *
			             gsl_matrix_get(ev->T, k, j);
		}
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(const double *v, size_t n)
{
	double *s = angka_xmalloc(n * sizeof *s);
	memcpy(s, v, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	double med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return med;
}

enum angka_err sae_fh_fit(const struct sae_data *d, enum sae_method method,
                          double tol, int maxiter, struct sae_fit *f,
                          struct angka_error *e)
{
	size_t m = d->m, p = d->p;
	if (m <= p)
		return ANGKA_ERR(e, ANGKA_EDATA, "%zu areas with a direct "
		                 "estimate and variance for %zu coefficients: "
		                 "the model needs more areas than coefficients",
		                 m, p);
	struct fh_eval ev;
	eval_alloc(&ev, p);
	double medD = median(d->D, m);
	double floor_a = 1e-12 * medD;  /* below this, |step| is absolute */
	double A = medD;
	int k, converged = 0;
	enum angka_err rc = ANGKA_OK;
	for (k = 1; k <= maxiter; k++) {
		if (eval_at(d, A, &ev)) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "X'V^-1X is singular over "
			               "the %zu areas of the fit: covariates are "
			               "collinear (or a factor level has no area "
			               "with a direct estimate)", m);
			goto out;
		}
		double s, F;
		if (method == SAE_ML) {
			s = -0.5 * ev.sum_w + 0.5 * ev.sum_w2r2;
			F = 0.5 * ev.sum_w2;
		} else {
			s = -0.5 * (ev.sum_w - ev.tr_t) + 0.5 * ev.sum_w2r2;
			F = 0.5 * (ev.sum_w2 - 2 * ev.tr_qm3 + ev.tr_tt);
		}
		double next = A + s / F;
		if (!(next > 0))
			next = 0;
		double step = fabs(next - A);
		A = next;
		if (step <= tol * (A > floor_a ? A : floor_a)) {
			converged = 1;
			break;
		}
	}
	if (k > maxiter)
		k = maxiter;
	if (eval_at(d, A, &ev)) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "X'V^-1X is singular over the "
		               "%zu areas of the fit: covariates are collinear", m);
		goto out;
	}
	f->method = method;
	f->m = m;
	f->A = A;
	f->at_zero = A == 0;
	f->iterations = k;
	f->converged = converged;
	f->sum_w2 = ev.sum_w2;
	f->A_se = sqrt(2 / ev.sum_w2);
	f->b_ml = -ev.tr_t / ev.sum_w2;
	for (size_t j = 0; j < p; j++) {
		f->beta[j] = gsl_vector_get(ev.beta, j);
		for (size_t l = 0; l < p; l++)
			f->Q[j * p + l] = gsl_matrix_get(ev.Q, j, l);
		f->beta_se[j] = sqrt(f->Q[j * p + j]);
	}
	double l2pi = log(2 * M_PI);
	f->loglik = -0.5 * (m * l2pi + ev.sum_logv + ev.rwr);
	f->loglik_reml = -0.5 * ((double)(m - p) * l2pi + ev.sum_logv +
	                         ev.logdet + ev.rwr);
	f->aic = -2 * f->loglik + 2.0 * (double)(p + 1);
	f->bic = -2 * f->loglik + (double)(p + 1) * log((double)m);
out:
	eval_free(&ev);
	return rc;
}

double sae_fh_synthetic(const struct sae_fit *f, const double *x)
{
	double s = 0;
	for (size_t j = 0; j < f->p; j++)
		s += x[j] * f->beta[j];
	return s;
}

double sae_fh_xqx(const struct sae_fit *f, const double *x)
{
	double s = 0;
	for (size_t j = 0; j < f->p; j++)
		for (size_t k = 0; k < f->p; k++)
			s += x[j] * f->Q[j * f->p + k] * x[k];
	return s;
}

void sae_fh_area(const struct sae_fit *f, const double *x, double y, double D,
                 double *gamma, double *eblup, double *mse)
{
	double A = f->A, v = A + D, B = D / v;
	double syn = sae_fh_synthetic(f, x);
	*gamma = A / v;
	*eblup = syn + *gamma * (y - syn);
	double g1 = D * (1 - B);
	double g2 = B * B * sae_fh_xqx(f, x);
	double g3 = B * B * (2 / f->sum_w2) / v;
	*mse = g1 + g2 + 2 * g3;
	if (f->method == SAE_ML)
		*mse -= f->b_ml * B * B;
}

double sae_fh_synthetic_mse(const struct sae_fit *f, const double *x)
{
	/* ML's A is biased by b_ml (< 0) to first order; A - b_ml is not. */
	double A = f->method == SAE_ML ? f->A - f->b_ml : f->A;
	return A + sae_fh_xqx(f, x);
}
