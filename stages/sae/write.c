/*
 * write.c - angka-sae's outputs: one row per area, and the model table
 * (fit, coefficients, benchmark, variance function).
 */
#include "sae_int.h"
#include "number.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>

/* The shortest text that reads back as exactly v; NaN: empty. */
static void put_num(struct angka_csv_writer *w, double v)
{
	char buf[64];
	angka_number_format(v, buf, sizeof buf);
	angka_csv_writer_str(w, buf);
}

static const char *const area_col[] = {
	"area", "direct", "direct_se", "eblup", "mse", "rmse", "rse_pct",
	"gamma", "synthetic", "n_obs", "metode", "sumber_varians", "se_model"
};

static const char *const var_src_name[] = { "", "langsung", "gvf" };

void sae_write_areas(struct angka_csv_writer *w, const struct sae_opts *o,
                     const struct sae_table *t)
{
	for (size_t k = 0; k < sizeof area_col / sizeof *area_col; k++)
		angka_csv_writer_str(w, area_col[k]);
	if (o->benchmark) {
		angka_csv_writer_str(w, "eblup_bench");
		angka_csv_writer_str(w, "mse_bench");
		angka_csv_writer_str(w, "rse_bench_pct");
	}
	angka_csv_writer_end_row(w);
	for (size_t i = 0; i < t->n; i++) {
		const struct sae_area *a = &t->a[i];
		double rmse = sqrt(a->mse);
		angka_csv_writer_str(w, a->name);
		put_num(w, a->est);
		put_num(w, sqrt(a->var));
		put_num(w, a->eblup);
		put_num(w, a->mse);
		put_num(w, rmse);
		put_num(w, a->eblup != 0 ? rmse / fabs(a->eblup) * 100 : NAN);
		put_num(w, a->gamma);
		put_num(w, a->syn);
		put_num(w, a->nobs);
		angka_csv_writer_str(w, a->in_fit ? "eblup" : "sintetis");
		angka_csv_writer_str(w, var_src_name[a->var_src]);
		put_num(w, sqrt(a->vmodel));
		if (o->benchmark) {
			put_num(w, a->bench);
			put_num(w, a->mse_bench);
			put_num(w, a->bench != 0 ? sqrt(a->mse_bench) /
			        fabs(a->bench) * 100 : NAN);
		}
		angka_csv_writer_end_row(w);
	}
}

/* The leading columns of a model row (pre: NULL or tahun, indikator). */
static void lead(struct angka_csv_writer *w, const char *const *pre,
                 const char *kind)
{
	if (pre) {
		angka_csv_writer_str(w, pre[0]);
		angka_csv_writer_str(w, pre[1]);
	}
	angka_csv_writer_str(w, kind);
}

static void row(struct angka_csv_writer *w, const char *const *pre,
                const char *kind, const char *name, const char *text,
                double v)
{
	lead(w, pre, kind);
	angka_csv_writer_str(w, name);
	if (text)
		angka_csv_writer_str(w, text);
	else
		put_num(w, v);
	angka_csv_writer_str(w, NULL);
	angka_csv_writer_str(w, NULL);
	angka_csv_writer_str(w, NULL);
	angka_csv_writer_end_row(w);
}

void sae_write_model_header(struct angka_csv_writer *w,
                            const char *const *prefix)
{
	static const char *const hdr[] = { "tahun", "indikator", "kind", "name",
	                                   "value", "se", "z", "p_value" };
	angka_csv_writer_row(w, prefix ? 8 : 6, prefix ? hdr : hdr + 2);
}

void sae_write_model(struct angka_csv_writer *w, const char *const *prefix,
                     const struct sae_opts *o, const struct sae_table *t,
                     const struct sae_fit *f, const struct sae_stats *st,
                     const struct sae_summary *sm)
{
	const char *const *pre = prefix;
	int reml = f->method == SAE_REML;
	int arcsin = o->transform == SAE_TRANSFORM_ARCSIN;
	row(w, pre, "fit", "method", reml ? "REML" : "ML", 0);
	row(w, pre, "fit", "transform", arcsin ? "arcsin" : "none", 0);
	row(w, pre, "fit", "rows", NULL, (double)st->rows);
	row(w, pre, "fit", "areas_fit", NULL, (double)st->fit);
	row(w, pre, "fit", "areas_synthetic", NULL, (double)st->synthetic);
	row(w, pre, "fit", "rows_refused", NULL, (double)st->refused);
	lead(w, pre, "fit");
	angka_csv_writer_str(w, "refvar");
	put_num(w, f->A);
	put_num(w, f->A_se);
	angka_csv_writer_str(w, NULL);
	angka_csv_writer_str(w, NULL);
	angka_csv_writer_end_row(w);
	row(w, pre, "fit", "at_zero", NULL, f->at_zero);
	row(w, pre, "fit", "iterations", NULL, f->iterations);
	row(w, pre, "fit", "converged", NULL, f->converged);
	row(w, pre, "fit", "tolerance", NULL, o->tol);
	row(w, pre, "fit", "loglik", NULL, f->loglik);
	if (reml)
		row(w, pre, "fit", "loglik_reml", NULL, f->loglik_reml);
	row(w, pre, "fit", "aic", NULL, f->aic);
	row(w, pre, "fit", "bic", NULL, f->bic);
	const char *mse = o->bootstrap > 0 ? "bootstrap" :
	                  arcsin ? (reml ? "delta prasad-rao" :
	                            "delta datta-lahiri") :
	                  reml ? "prasad-rao" : "datta-lahiri";
	row(w, pre, "fit", "mse", mse, 0);
	if (o->bootstrap > 0) {
		row(w, pre, "fit", "bootstrap_replicates", NULL, (double)sm->boot_done);
		row(w, pre, "fit", "bootstrap_seed", NULL, (double)o->seed);
	}
	row(w, pre, "diag", "resid_skewness", NULL, sm->skewness);
	row(w, pre, "diag", "resid_kurtosis", NULL, sm->kurtosis);
	lead(w, pre, "diag");
	angka_csv_writer_str(w, "jarque_bera");
	put_num(w, sm->jb);
	angka_csv_writer_str(w, NULL);
	angka_csv_writer_str(w, NULL);
	put_num(w, sm->jb_p);
	angka_csv_writer_end_row(w);
	for (size_t j = 0; j < t->p; j++) {
		double z = f->beta[j] / f->beta_se[j];
		lead(w, pre, "coef");
		angka_csv_writer_str(w, t->xname[j]);
		put_num(w, f->beta[j]);
		put_num(w, f->beta_se[j]);
		put_num(w, z);
		put_num(w, 2 * gsl_cdf_ugaussian_Q(fabs(z)));
		angka_csv_writer_end_row(w);
	}
	if (o->benchmark) {
		row(w, pre, "benchmark", "value", NULL, t->bench_value);
		row(w, pre, "benchmark", "factor", NULL, sm->bench_factor);
	}
	if (o->gvf != SAE_GVF_OFF) {
		row(w, pre, "gvf", "a", NULL, sm->gvf_a);
		row(w, pre, "gvf", "b", NULL, sm->gvf_b);
		row(w, pre, "gvf", "smearing", NULL, sm->gvf_smear);
		row(w, pre, "gvf", "areas", NULL, (double)sm->gvf_n);
		row(w, pre, "gvf", "areas_smoothed", NULL, (double)st->gvf_used);
	}
}
