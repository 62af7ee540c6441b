/*
 * run.c - angka-sae's run: the model-scale data of every area (variance
 * source, arcsin transform), the fit, EBLUP or synthetic prediction and
 * MSE per area, the parametric bootstrap, ratio benchmarking.
 */
#include "sae_int.h"
#include "publish.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

void sae_opts_init(struct sae_opts *o)
{
	memset(o, 0, sizeof *o);
	o->method = SAE_REML;
	o->transform = SAE_TRANSFORM_NONE;
	o->tol = 1e-12;
	o->maxiter = 500;
}

/* Scale of the estimates under arcsin: 100 for percentages. */
static double arcsin_scale(const struct sae_opts *o)
{
	return o->percent ? 100.0 : 1.0;
}

/*
 * Back-transformation of the arcsin scale: E[sin^2 T] for T ~ N(mu, v),
 * (1 - cos(2 mu) exp(-2 v)) / 2, times the scale. With v = 0 it is the
 * naive sin^2(mu).
 */
static double arcsin_back(double mu, double v, double scale)
{
	return scale * (1 - cos(2 * mu) * exp(-2 * v)) / 2;
}

/*
 * Generalized variance function over the areas with a direct estimate, a
 * positive variance and n_obs > 0: log V = a + b log n, by least squares
 * (gsl_fit_linear), smoothed V = smear exp(a + b log n) with Duan's
 * smearing factor smear = mean exp(residual).
 */
static enum angka_err fit_gvf(const struct sae_table *t,
                              struct sae_summary *sm, struct angka_error *e)
{
	double *lx = angka_xmalloc((t->n ? t->n : 1) * sizeof *lx);
	double *ly = angka_xmalloc((t->n ? t->n : 1) * sizeof *ly);
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct sae_area *a = &t->a[i];
		if (isfinite(a->est) && a->var > 0 && a->nobs > 0) {
			lx[k] = log(a->nobs);
			ly[k] = log(a->var);
			k++;
		}
	}
	enum angka_err rc = ANGKA_OK;
	double c0, c1, cov00, cov01, cov11, sumsq;
	if (k < 3 || gsl_fit_linear(lx, 1, ly, 1, k, &c0, &c1, &cov00, &cov01,
	                            &cov11, &sumsq) != 0 ||
	    !isfinite(c0) || !isfinite(c1)) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': the variance function "
		               "needs at least 3 areas with a direct estimate, "
		               "a positive variance and distinct n_obs > 0 "
		               "(found %zu)", t->file, k);
		goto out;
	}
	double smear = 0;
	for (size_t i = 0; i < k; i++)
		smear += exp(ly[i] - c0 - c1 * lx[i]);
	sm->gvf_a = c0;
	sm->gvf_b = c1;
	sm->gvf_smear = smear / (double)k;
	sm->gvf_n = k;
out:
	free(lx);
	free(ly);
	return rc;
}

/*
 * Model-scale y and D of every area and whether it is in the fit. The
 * variance is the direct one, or the GVF's (o->gvf); under arcsin
 * D = 1/(4 n_eff), n_eff from its column or p(1 - p)/V.
 */
static enum angka_err prepare(const struct sae_opts *o, struct sae_table *t,
                              struct sae_stats *st, struct sae_summary *sm,
                              struct angka_error *e)
{
	enum angka_err rc;
	if (o->gvf != SAE_GVF_OFF) {
		if (!t->has_nobs)
			return ANGKA_ERR(e, ANGKA_EUSAGE, "'%s': --gvf needs an "
			                 "n_obs column (--n-obs)", t->file);
		if ((rc = fit_gvf(t, sm, e)) != ANGKA_OK)
			return rc;
	}
	double scale = arcsin_scale(o);
	for (size_t i = 0; i < t->n; i++) {
		struct sae_area *a = &t->a[i];
		double V = a->var;
		a->var_src = V > 0 ? SAE_VAR_DIRECT : SAE_VAR_NONE;
		if (o->gvf != SAE_GVF_OFF && isfinite(a->est) && a->nobs > 0 &&
		    (o->gvf == SAE_GVF_ALL || !(V > 0))) {
			V = sm->gvf_smear * exp(sm->gvf_a + sm->gvf_b *
			                        log(a->nobs));
			a->var_src = SAE_VAR_GVF;
			st->gvf_used++;
		}
		a->vmodel = a->var_src != SAE_VAR_NONE ? V : NAN;
		a->y = a->est;
		a->D = a->var_src != SAE_VAR_NONE ? V : NAN;
		if (o->transform == SAE_TRANSFORM_ARCSIN && isfinite(a->est)) {
			double pr = a->est / scale;
			if (pr < 0 || pr > 1)
				return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: column "
				                 "'%s': %.17g is not a %s in [0, %g] "
				                 "(--transform arcsin%s)", t->file,
				                 a->line, o->estimate, a->est,
				                 o->percent ? "percentage" :
				                 "proportion", scale,
				                 o->percent ? "" : "; --percent for "
				                 "percentages");
			a->y = asin(sqrt(pr));
			double neff = a->neff;
			if (!isfinite(neff) && a->var_src != SAE_VAR_NONE)
				neff = pr * (1 - pr) / (V / (scale * scale));
			a->D = neff > 0 && isfinite(neff) ? 1 / (4 * neff) : NAN;
			if (!isfinite(a->D) && a->var_src != SAE_VAR_NONE) {
				a->var_src = SAE_VAR_NONE;
				a->vmodel = NAN;
			}
		}
		a->in_fit = isfinite(a->y) && a->D > 0;
		if (a->in_fit) {
			st->fit++;
		} else {
			st->synthetic++;
			if (!isfinite(a->est))
				st->syn_no_est++;
			else
				st->syn_no_var++;
		}
	}
	return ANGKA_OK;
}

/* The fit's areas as a compact data set (arrays owned by the caller). */
static void fit_data(const struct sae_table *t, const double *y,
                     struct sae_data *d, double **X, double **yy, double **D)
{
	size_t m = 0, p = t->p;
	*X = angka_xmalloc((t->n ? t->n : 1) * p * sizeof **X);
	*yy = angka_xmalloc((t->n ? t->n : 1) * sizeof **yy);
	*D = angka_xmalloc((t->n ? t->n : 1) * sizeof **D);
	for (size_t i = 0; i < t->n; i++) {
		if (!t->a[i].in_fit)
			continue;
		memcpy(*X + m * p, t->X + i * p, p * sizeof **X);
		(*yy)[m] = y ? y[i] : t->a[i].y;
		(*D)[m] = t->a[i].D;
		m++;
	}
	d->m = m;
	d->p = p;
	d->X = *X;
	d->y = *yy;
	d->D = *D;
}

/* Update only y of a compact data set from per-area values y[0..n). */
static void fit_data_y(const struct sae_table *t, const double *y, double *yy)
{
	size_t m = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->a[i].in_fit)
			yy[m++] = y[i];
}

/*
 * The point estimate of area i (input scale) under fit f with model-scale
 * direct value y; *gamma, *mse_model (analytic, model scale) and *syn too.
 */
static double predict(const struct sae_opts *o, const struct sae_table *t,
                      const struct sae_fit *f, size_t i, double y,
                      double *gamma, double *mse_model, double *syn,
                      double *mu)
{
	const struct sae_area *a = &t->a[i];
	const double *x = t->X + i * t->p;
	double s = sae_fh_synthetic(f, x), est;
	double scale = arcsin_scale(o);
	int arcsin = o->transform == SAE_TRANSFORM_ARCSIN;
	*syn = arcsin ? arcsin_back(s, f->A, scale) : s;
	if (a->in_fit) {
		sae_fh_area(f, x, y, a->D, gamma, mu, mse_model);
		est = arcsin ? arcsin_back(*mu, *gamma * a->D, scale) : *mu;
	} else {
		*gamma = 0;
		*mu = s;
		*mse_model = sae_fh_synthetic_mse(f, x);
		est = *syn;
	}
	return est;
}

/*
 * Parametric bootstrap MSE (Gonzalez-Manteiga et al. 2008, as emdi's
 * fh): per replicate, theta_i = x_i'beta + u_i, u_i ~ N(0, A), truth =
 * theta_i (arcsin: scale sin^2 theta_i), y_i = theta_i + e_i with e_i ~
 * N(0, D_i) for the areas of the fit; refit, predict, and average the
 * squared errors. Draws come from one MT19937 stream seeded with o->seed
 * in a fixed order (per replicate: for each area u, then e if fitted), so
 * a seed reproduces the MSE exactly.
 */
static enum angka_err bootstrap(const struct sae_opts *o, struct sae_table *t,
                                const struct sae_fit *f,
                                struct sae_summary *sm, struct angka_error *e)
{
	size_t n = t->n, p = t->p;
	double scale = arcsin_scale(o);
	int arcsin = o->transform == SAE_TRANSFORM_ARCSIN;
	double *ystar = angka_xcalloc(n ? n : 1, sizeof *ystar);
	double *truth = angka_xcalloc(n ? n : 1, sizeof *truth);
	double *acc = angka_xcalloc(n ? n : 1, sizeof *acc);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng) {
		free(ystar);
		free(truth);
		free(acc);
		return ANGKA_ERR(e, ANGKA_ENOMEM, "bootstrap: cannot allocate "
		                 "the random number generator");
	}
	gsl_rng_set(rng, o->seed);
	struct sae_data d;
	double *X, *yy, *D;
	fit_data(t, NULL, &d, &X, &yy, &D);
	struct sae_fit fb;
	sae_fit_init(&fb, p);
	enum angka_err rc = ANGKA_OK;
	double sdA = sqrt(f->A);
	for (long b = 0; b < o->bootstrap; b++) {
		for (size_t i = 0; i < n; i++) {
			double th = sae_fh_synthetic(f, t->X + i * p) +
			            gsl_ran_gaussian(rng, sdA);
			truth[i] = arcsin ? scale * sin(th) * sin(th) : th;
			ystar[i] = NAN;
			if (t->a[i].in_fit)
				ystar[i] = th + gsl_ran_gaussian(rng,
				                                 sqrt(t->a[i].D));
		}
		fit_data_y(t, ystar, yy);
		struct angka_error eb = { 0 };
		if (sae_fh_fit(&d, o->method, o->tol, o->maxiter, &fb, &eb) !=
		    ANGKA_OK || !fb.converged) {
			sm->boot_failed++;
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			double g, mm, syn, mu;
			double est = predict(o, t, &fb, i, ystar[i], &g, &mm, &syn,
			                     &mu);
			acc[i] += (est - truth[i]) * (est - truth[i]);
		}
		sm->boot_done++;
	}
	if (sm->boot_done == 0) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': no bootstrap replicate "
		               "converged (%ld tried)", t->file, o->bootstrap);
	} else {
		for (size_t i = 0; i < n; i++)
			t->a[i].mse = acc[i] / (double)sm->boot_done;
	}
	sae_fit_release(&fb);
	gsl_rng_free(rng);
	free(X);
	free(yy);
	free(D);
	free(ystar);
	free(truth);
	free(acc);
	return rc;
}

/*
 * Ratio benchmarking: every estimate times c = B / (sum s_i est_i / sum s_i).
 * The MSE of the benchmarked estimate: MSE(bench_i) = MSE(eblup_i) +
 * E(bench_i - eblup_i)^2 + 2 E[(eblup_i - theta_i)(bench_i - eblup_i)]; the
 * last term is 0 when eblup_i is the posterior mean E(theta_i | y) (known
 * model parameters) and bench_i a function of the data (Steorts and Ghosh
 * 2013, the excess of benchmarking is O(1/m)). The observed (bench_i -
 * eblup_i)^2 is an unbiased estimator of the middle term, so mse_bench_i =
 * mse_i + (bench_i - eblup_i)^2, whichever MSE (analytic or bootstrap).
 */
static enum angka_err benchmark(const struct sae_opts *o, struct sae_table *t,
                                struct sae_summary *sm, struct angka_error *e)
{
	double num = 0, den = 0;
	for (size_t i = 0; i < t->n; i++) {
		double s = o->share ? t->a[i].share : 1.0;
		if (!isfinite(s))
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: column '%s': "
			                 "missing benchmark weight of area '%s'",
			                 t->file, t->a[i].line, o->share,
			                 t->a[i].name);
		num += s * t->a[i].eblup;
		den += s;
	}
	if (!(den > 0) || num == 0)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s': cannot benchmark: the "
		                 "weighted mean of the estimates is 0 or the "
		                 "weights sum to 0", t->file);
	sm->bench_factor = t->bench_value / (num / den);
	for (size_t i = 0; i < t->n; i++) {
		struct sae_area *a = &t->a[i];
		a->bench = a->eblup * sm->bench_factor;
		a->mse_bench = a->mse + (a->bench - a->eblup) *
		                        (a->bench - a->eblup);
	}
	return ANGKA_OK;
}

/*
 * Jarque-Bera test of the standardized residuals (y_i - x_i'beta) /
 * sqrt(A + D_i) over the fit: skewness S, kurtosis K, JB = m/6 (S^2 +
 * (K - 3)^2 / 4), p from chi-square(2).
 */
static void residual_normality(const struct sae_table *t,
                               const struct sae_fit *f,
                               struct sae_summary *sm)
{
	double s1 = 0, s2 = 0, s3 = 0, s4 = 0, m = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct sae_area *a = &t->a[i];
		if (!a->in_fit)
			continue;
		double r = (a->y - sae_fh_synthetic(f, t->X + i * t->p)) /
		           sqrt(f->A + a->D);
		s1 += r;
		m++;
	}
	double mean = s1 / m;
	for (size_t i = 0; i < t->n; i++) {
		const struct sae_area *a = &t->a[i];
		if (!a->in_fit)
			continue;
		double r = (a->y - sae_fh_synthetic(f, t->X + i * t->p)) /
		           sqrt(f->A + a->D) - mean;
		s2 += r * r;
		s3 += r * r * r;
		s4 += r * r * r * r;
	}
	s2 /= m;
	sm->skewness = s3 / m / pow(s2, 1.5);
	sm->kurtosis = s4 / m / (s2 * s2);
	sm->jb = m / 6 * (sm->skewness * sm->skewness +
	                  (sm->kurtosis - 3) * (sm->kurtosis - 3) / 4);
	sm->jb_p = gsl_cdf_chisq_Q(sm->jb, 2);
}

enum angka_err sae_compute(const struct sae_opts *o, struct sae_table *t,
                           struct sae_stats *st, struct sae_summary *sm,
                           struct sae_fit *f, struct angka_error *e)
{
	double *X = NULL, *yy = NULL, *D = NULL;
	*sm = (struct sae_summary){ .bench_factor = NAN, .gvf_a = NAN,
	                            .gvf_b = NAN, .gvf_smear = NAN,
	                            .skewness = NAN, .kurtosis = NAN,
	                            .jb = NAN, .jb_p = NAN };
	sae_fit_init(f, t->p);
	enum angka_err rc;
	if (o->benchmark && !isfinite(t->bench_value)) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': column '%s': no "
		               "benchmark value", t->file, o->benchmark);
		goto out;
	}
	if ((rc = prepare(o, t, st, sm, e)) != ANGKA_OK)
		goto out;
	struct sae_data d;
	fit_data(t, NULL, &d, &X, &yy, &D);
	if ((rc = sae_fh_fit(&d, o->method, o->tol, o->maxiter, f, e)) !=
	    ANGKA_OK)
		goto out;
	if (!f->converged) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': Fisher scoring did not "
		               "converge in %d iterations (last A %.17g)",
		               t->file, f->iterations, f->A);
		goto out;
	}
	if (f->at_zero)
		sae_note(st, "variance of the area effects bounded at 0: the "
		         "covariates explain all between-area variation, every "
		         "EBLUP is the synthetic estimate (gamma = 0)");
	residual_normality(t, f, sm);
	double scale = arcsin_scale(o);
	for (size_t i = 0; i < t->n; i++) {
		struct sae_area *a = &t->a[i];
		double mm, mu;
		a->eblup = predict(o, t, f, i, a->y, &a->gamma, &mm, &a->syn,
		                   &mu);
		if (o->transform == SAE_TRANSFORM_ARCSIN) {
			/* delta method; replaced by the bootstrap if asked */
			double dd = scale * sin(2 * mu);
			a->mse = dd * dd * mm;
		} else {
			a->mse = mm;
		}
	}
	if (o->bootstrap > 0 &&
	    (rc = bootstrap(o, t, f, sm, e)) != ANGKA_OK)
		goto out;
	if (sm->boot_failed)
		sae_note(st, "%ld of %ld bootstrap replicates did not converge "
		         "and were left out", sm->boot_failed, o->bootstrap);
	if (o->benchmark)
		rc = benchmark(o, t, sm, e);
out:
	free(X);
	free(yy);
	free(D);
	return rc;
}

enum angka_err sae_run(const struct sae_opts *o, struct sae_stats *st,
                       struct angka_error *e)
{
	if (o->poverty)
		return sae_run_long(o, st, e);
	struct sae_table t;
	struct sae_summary sm;
	struct sae_fit f = { 0 };
	enum angka_err rc = sae_read(o, &t, st, e);
	if (rc != ANGKA_OK)
		goto out;
	if ((rc = sae_compute(o, &t, st, &sm, &f, e)) != ANGKA_OK)
		goto out;
	/* Both outputs are complete before either is renamed into place. */
	struct angka_csv_writer *wa = NULL, *wm = NULL;
	if ((rc = angka_csv_writer_open(&wa, o->out, o->writer_flags, e)) !=
	    ANGKA_OK)
		goto out;
	if (o->model && (rc = angka_csv_writer_open(&wm, o->model,
	                                            o->writer_flags, e)) !=
	    ANGKA_OK) {
		angka_csv_writer_abort(wa);
		goto out;
	}
	angka_publish_apply(wa);
	if (wm)
		angka_publish_apply(wm);
	sae_write_areas(wa, o, &t);
	if (wm) {
		sae_write_model_header(wm, NULL);
		sae_write_model(wm, NULL, o, &t, &f, st, &sm);
	}
	if (wm && (rc = angka_csv_writer_commit(wm, e)) != ANGKA_OK) {
		angka_csv_writer_abort(wa);
		goto out;
	}
	rc = angka_csv_writer_commit(wa, e);
out:
	sae_fit_release(&f);
	sae_table_release(&t);
	return rc;
}
