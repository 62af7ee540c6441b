/*
 * estimate.c - from the canonical designs to the long indicator table of
 * DESIGN.md: point estimates from the exact domain sums, SEs by
 * ultimate-cluster linearization over the whole design (R survey's
 * svymean / svytotal / svyratio on a domain), t-based CIs with the domain's
 * degrees of freedom that stay inside each indicator's range, design
 * effects, RSE and the BPS reliability class.
 */
#include "ci.h"
#include "design.h"
#include "publish.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out_ctx {
	struct angka_csv_writer *w;
	const char *tahun, *region, *label;
	double t;        /* t quantile, NaN if df < 1 */
	long df;
	uint64_t n_obs;
	size_t n_psu;
	const char *note;  /* catatan of the domain's rows */
	double npos;     /* records with w > 0 */
	int ci;          /* enum ind_ci */
	double level;
	int given;       /* 1: the next row's CI is glo, ghi (Woodruff) */
	double glo, ghi;
	uint64_t rows;
};

/* t(df) quantile for the level, cached per df; NaN when df < 1. */
static double t_quantile(double level, long df)
{
	static double last_level = NAN, last_t = NAN;
	static long last_df = -1;
	if (df < 1)
		return NAN;
	if (df == last_df && level == last_level)
		return last_t;
	last_t = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, (double)df);
	last_df = df;
	last_level = level;
	return last_t;
}

/*
 * Degrees of freedom of a domain as R's degf(subset(design, ...)): PSUs
 * with a positive-weight record of the domain less the strata of those
 * PSUs. Cells are sorted by PSU, PSUs by stratum.
 */
static long domain_df(const struct ind_design *d, const struct ind_cell *c,
                      size_t n)
{
	long psus = 0, strata = 0;
	uint32_t last = UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		if (!(c[i].v[IND_Q_W] > 0))
			continue;
		psus++;
		uint32_t h = d->psus[c[i].psu].stratum;
		if (h != last)
			strata++;
		last = h;
	}
	return psus - strata;
}

/* The range of an indicator, for its CI. */
enum { SC_NONE = 0,  /* unbounded: symmetric t interval */
       SC_PCT,       /* a mean of [0, 1] values x 100: P0, P1, P2 */
       SC_SHARE,     /* a ratio in [0, 100] that is no mean: kontribusi */
       SC_UNIT,      /* the same in [0, 1]: gini */
       SC_POS };     /* positive: jumlah_miskin, rata_kapita */

/*
 * The beta(a, b) quantile of P: gsl_cdf_beta_Pinv, which gives up (NaN)
 * for some skewed shapes (a ~ 3, b ~ 3e4); then bisection on
 * gsl_cdf_beta_P down to adjacent doubles.
 */
static double beta_quantile(double P, double a, double b)
{
	double x = gsl_cdf_beta_Pinv(P, a, b);
	if (isfinite(x))
		return x;
	double lo = 0, hi = 1;
	for (int i = 0; i < 2200; i++) {
		double mid = lo + (hi - lo) / 2;
		if (mid <= lo || mid >= hi)
			break;
		if (gsl_cdf_beta_P(mid, a, b) < P)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2;
}

/*
 * The CI of est (SE se > 0) on its scale, with the domain's t quantile:
 * SC_PCT as R's svyciprop(method = "logit") (Wald on the logit scale,
 * back-transformed; R fits svyglm(quasibinomial), whose intercept SE is
 * se/(p(1-p))) or "beta" (Korn-Graubard: effective n p(1-p)/V times
 * (t(n-1)/t(df))^2 with n the domain's records, then Clopper-Pearson
 * quantiles); SC_SHARE on the logit scale (delta method, as "xlogit");
 * SC_POS on the log scale, est exp(-/+ t se/est). wald: est -/+ t se cut
 * to the range. Bounds NaN when there is no interval.
 */
static void ci_bounds(const struct out_ctx *c, int scale, double est,
                      double se, double *lo, double *hi)
{
	*lo = *hi = NAN;
	double t = c->t;
	if (!isfinite(t) || !isfinite(est) || !(se >= 0))
		return;
	if (se == 0) {
		/* exact: every PSU of the domain's strata was taken (fpc) */
		*lo = *hi = est;
		return;
	}
	if (scale == SC_NONE || c->ci == IND_CI_WALD) {
		*lo = est - t * se;
		*hi = est + t * se;
		if (scale != SC_NONE && *lo < 0)
			*lo = 0;
		if ((scale == SC_PCT || scale == SC_SHARE) && *hi > 100)
			*hi = 100;
		if (scale == SC_UNIT && *hi > 1)
			*hi = 1;
		return;
	}
	if (scale == SC_POS) {
		angka_ci_log(est, se, t, lo, hi);
		return;
	}
	double m = scale == SC_UNIT ? 1 : 100;
	double p = est / m, v = se / m;
	if (!(p > 0 && p < 1))
		return;
	if (c->ci == IND_CI_BETA && scale == SC_PCT) {
		if (c->n_obs < 2)
			return;
		double a = 1 - c->level;
		double r = gsl_cdf_tdist_Pinv(a / 2, (double)(c->n_obs - 1)) /
		           gsl_cdf_tdist_Pinv(a / 2, (double)c->df);
		double neff = p * (1 - p) / (v * v) * (r * r);
		*lo = 100 * beta_quantile(a / 2, neff * p, neff * (1 - p) + 1);
		*hi = 100 * beta_quantile(1 - a / 2, neff * p + 1,
		                          neff * (1 - p));
		return;
	}
	angka_ci_logit(m, est, se, t, lo, hi);
}

/*
 * The design effect of R survey's svymean/svytotal(deff = TRUE) on a
 * domain: V / Vsrs, Vsrs = s2 (N - n)/(N n) for a mean (times N^2 for a
 * total), s2 = n/(n-1) sum w (x - xbar)^2 / N, N = sum w, n = records with
 * w > 0; s1 = sum w x, s2w = sum w x^2. V is on the unscaled variable. NaN
 * when R gives none (n < 2, N <= n, no variation).
 */
static double deff_of(double V, double s1, double s2w, double N, double n,
                      int total)
{
	if (!(n >= 2) || !(N > n) || !isfinite(V))
		return NAN;
	double m = s1 / N;
	double s2 = n / (n - 1) * (s2w / N - m * m);
	double vsrs = s2 * (N - n) / (N * n);
	if (total)
		vsrs *= N * N;
	return vsrs > 0 ? V / vsrs : NAN;
}

/*
 * One row. se NaN: no SE (the distribution statistics). flat: the sample
 * has no variation in the indicator (no poor record in the domain, or every
 * record poor): the estimate stands, but its SE of 0 is not a measurement
 * of precision, so SE, CI and design effect are withheld with catatan
 * se_tidak_dapat_diestimasi. deff NaN: none.
 */
static void out_row(struct out_ctx *c, const char *ind, double est, double se,
                    int flat, int scale, double deff)
{
	if (flat)
		se = deff = NAN;
	struct angka_csv_writer *w = c->w;
	angka_csv_writer_str(w, c->tahun);
	angka_csv_writer_str(w, c->region);
	angka_csv_writer_str(w, c->label);
	angka_csv_writer_str(w, ind);
	angka_csv_writer_double(w, est);
	if (isfinite(est) && isfinite(se)) {
		double lo, hi;
		if (c->given) {
			lo = c->glo;
			hi = c->ghi;
		} else {
			ci_bounds(c, scale, est, se, &lo, &hi);
		}
		angka_csv_writer_double(w, se);
		angka_csv_writer_double(w, lo);
		angka_csv_writer_double(w, hi);
		double rse = est != 0 ? se / fabs(est) * 100 : NAN;
		angka_csv_writer_double(w, rse);
		const char *rel = !isfinite(rse) ? "" :
		                  rse <= 25 ? "reliable" :
		                  rse <= 50 ? "caution" : "unreliable";
		angka_csv_writer_str(w, rel);
	} else {
		for (int i = 0; i < 5; i++)
			angka_csv_writer_str(w, "");
	}
	angka_csv_writer_long(w, (long long)c->n_obs);
	angka_csv_writer_long(w, (long long)c->n_psu);
	angka_csv_writer_long(w, c->df);
	angka_csv_writer_double(w, deff);
	angka_csv_writer_double(w, isfinite(deff) && deff > 0 ?
	                        c->npos / deff : NAN);
	char note[64];
	snprintf(note, sizeof note, "%s%s%s", c->note,
	         *c->note && flat ? "|" : "",
	         flat ? "se_tidak_dapat_diestimasi" : "");
	angka_csv_writer_str(w, note);
	angka_csv_writer_end_row(w);
	c->rows++;
	c->given = 0;
}

/* Sum of the strata contributions for PSU totals u of cells c[0..n). */
static double var_cells(const struct ind_design *d, const struct ind_cell *c,
                        size_t n, const double *u, int lonely)
{
	double v = 0;
	size_t i = 0;
	while (i < n) {
		uint32_t h = d->psus[c[i].psu].stratum;
		size_t j = i + 1;
		while (j < n && d->psus[c[j].psu].stratum == h)
			j++;
		const struct ind_stratum *st = &d->strata[h];
		v += ind_stratum_variance(u + i, j - i, st->n_psu, st->f, lonely);
		i = j;
	}
	return v;
}

/*
 * SE of a statistic with linearized values z[k] of the domain's records
 * a[0..n) (sorted distribution, PSU ranks): PSU totals sum w_k z_k, over
 * the domain's cells c[0..cn) (all PSUs its records touch). acc: scratch
 * of d->npsus zeros (left zeroed), u: scratch of cn.
 */
static double se_records(const struct ind_design *d, const struct ind_cell *c,
                         size_t cn, const struct ind_yw *a, size_t n,
                         const double *z, double *acc, double *u, int lonely)
{
	for (size_t k = 0; k < n; k++)
		acc[a[k].psu] += a[k].w * z[k];
	for (size_t i = 0; i < cn; i++) {
		u[i] = acc[c[i].psu];
		acc[c[i].psu] = 0;
	}
	return sqrt(var_cells(d, c, cn, u, lonely));
}

/* SE of the ratio R = A/B over cells, quantities qa / qb. */
static double se_ratio(const struct ind_design *d, const struct ind_cell *c,
                       size_t n, int qa, int qb, double A, double B,
                       double *u, int lonely)
{
	double R = A / B;
	for (size_t i = 0; i < n; i++) {
		double a = c[i].v[qa];
		double b = c[i].v[qb];
		u[i] = fma(-R, b, a) / B;
	}
	return sqrt(var_cells(d, c, n, u, lonely));
}

static double se_total(const struct ind_design *d, const struct ind_cell *c,
                       size_t n, int q, double *u, int lonely)
{
	for (size_t i = 0; i < n; i++)
		u[i] = c[i].v[q];
	return sqrt(var_cells(d, c, n, u, lonely));
}

/*
 * SE of K = A_dom / A_tot (contribution of a domain to the total). The
 * total domain's cells tc[0..tn) cover every PSU, grouped by stratum:
 * tstart[h]..tstart[h+1]. dc[0..dn) are the domain's cells (same PSU
 * order). U_i = (a_i - K t_i)/A_tot; in a stratum the domain does not touch
 * a_i = 0, so its contribution is K^2 times vt[h], the precomputed
 * contribution of t_i/A_tot.
 */
static double se_share(const struct ind_design *d, const struct ind_cell *tc,
                       const size_t *tstart, const double *vt,
                       const struct ind_cell *dc, size_t dn, int q,
                       double Ad, double At, double *u, int lonely)
{
	double K = Ad / At, v = 0;
	size_t j = 0;
	for (size_t h = 0; h < d->nstrata; h++) {
		if (j >= dn || d->psus[dc[j].psu].stratum != h) {
			v += K * K * vt[h];
			continue;
		}
		size_t i0 = tstart[h], i1 = tstart[h + 1];
		for (size_t i = i0; i < i1; i++) {
			double a = 0;
			if (j < dn && dc[j].psu == tc[i].psu)
				a = dc[j++].v[q];
			u[i - i0] = fma(-K, tc[i].v[q], a) / At;
		}
		const struct ind_stratum *st = &d->strata[h];
		v += ind_stratum_variance(u, i1 - i0, st->n_psu, st->f, lonely);
	}
	return sqrt(v);
}

static const char *const lonely_names[] = { "fail", "remove", "adjust",
                                            "certainty" };

static enum angka_err design_rows(struct ind_store *s, struct ind_design *d,
                                  const struct ind_opts *o, struct out_ctx *c,
                                  struct angka_error *e)
{
	const char *yr = ind_strtab_get(&s->str, d->tahun);
	c->tahun = yr;
	c->region = d->region == UINT32_MAX ? "" :
	            ind_strtab_get(&s->str, d->region);

	/* Lonely strata. */
	for (size_t i = 0; i < d->nstrata; i++) {
		const struct ind_stratum *st = &d->strata[i];
		/* A census stratum (fpc: every PSU taken) has zero variance
		 * before any lonely-PSU policy applies (R's onestrat()). */
		if (st->n_psu == 1 && st->f >= 1e-7 &&
		    o->lonely == IND_LONELY_FAIL) {
			const char *psu = "";
			for (size_t p = 0; p < d->npsus; p++)
				if (d->psus[p].stratum == i)
					psu = ind_strtab_get(&s->str, d->psus[p].name);
			return ANGKA_ERR(e, ANGKA_EDATA,
			                 "tahun '%s': stratum '%s' has only one PSU "
			                 "('%s'); choose a lonely-PSU policy with "
			                 "--lonely-psu or [indicators] lonely_psu "
			                 "(remove, adjust, certainty)", yr,
			                 ind_strtab_get(&s->str, st->name), psu);
		}
	}
	/* The whole design's df: the total domain's (R's degf). */
	long design_df = -1;
	if (d->ndomains && d->domains[0].group == IND_G_TOTAL) {
		size_t n = 0;
		while (n < d->ncells && d->cells[n].domain == 0)
			n++;
		design_df = domain_df(d, d->cells, n);
	}

	double *u = angka_xmalloc((d->ncells + 1) * sizeof *u);
	double *acc = angka_xcalloc(d->npsus + 1, sizeof *acc);
	size_t maxdist = 0;
	for (size_t i = 0; i < d->ndomains; i++)
		if (d->domains[i].ndist > maxdist)
			maxdist = d->domains[i].ndist;
	double *z = angka_xmalloc((maxdist + 1) * sizeof *z);
	struct ind_jk *jk = s->distribution &&
	                    o->gini_se == IND_GINI_JACKKNIFE ?
	                    ind_jk_new(d) : NULL;
	/* Totals of the total domain, for the contributions. */
	const struct ind_cell *tc = NULL;
	double Atot[IND_NQ] = { 0 };
	size_t *tstart = angka_xcalloc(d->nstrata + 1, sizeof *tstart);
	double *vt = angka_xcalloc(3 * d->nstrata + 1, sizeof *vt);
	enum angka_err rc = ANGKA_OK;
	size_t c0 = 0;
	for (size_t di = 0; di < d->ndomains; di++) {
		struct ind_domain *dom = &d->domains[di];
		size_t c1 = c0;
		while (c1 < d->ncells && d->cells[c1].domain == di)
			c1++;
		const struct ind_cell *dc = d->cells + c0;
		size_t dn = c1 - c0;
		c0 = c1;
		char label[512];
		ind_domain_label(s, dom, label, sizeof label);
		c->label = label;
		struct ind_xsum sum[IND_NQ];
		memset(sum, 0, sizeof sum);
		uint64_t n_obs = 0;
		for (size_t i = 0; i < dn; i++) {
			n_obs += dc[i].n_obs;
			for (int q = 0; q < IND_NQ; q++)
				ind_xsum_merge(&sum[q], &dc[i].s[q]);
		}
		double A[IND_NQ];
		for (int q = 0; q < IND_NQ; q++)
			A[q] = ind_xsum_value(&sum[q]);
		c->n_obs = n_obs;
		c->n_psu = dn;
		c->df = o->domain_df == IND_DF_DESIGN && design_df >= 0 ?
		        design_df : domain_df(d, dc, dn);
		c->t = t_quantile(o->level, c->df);
		if (c->df >= 1 && !isfinite(c->t)) {
			rc = ANGKA_ERR(e, ANGKA_EINTERNAL, "gsl_cdf_tdist_Pinv(%g, "
			               "%ld) failed", o->level, c->df);
			goto cleanup;
		}
		c->note = (long)dn < o->min_psu || n_obs < (uint64_t)o->min_obs ?
		          "sampel_kecil" : "";
		double B = A[IND_Q_W];
		if (!(B > 0)) {
			const char *ff = dom->first_file == UINT32_MAX ? "?" :
			                 ind_strtab_get(&s->str, dom->first_file);
			rc = ANGKA_ERR(e, ANGKA_EWEIGHT,
			               "'%s':%ld: tahun '%s', domain '%s': total "
			               "weight is zero (every record from this one "
			               "on has weight 0)", ff, dom->first_line, yr,
			               label);
			goto cleanup;
		}
		if (dom->group == IND_G_TOTAL) {
			tc = dc;
			memcpy(Atot, A, sizeof A);
			/* stratum boundaries of the total's cells, and vt */
			size_t i = 0;
			for (size_t h = 0; h < d->nstrata; h++) {
				tstart[h] = i;
				while (i < dn && d->psus[dc[i].psu].stratum == h)
					i++;
			}
			tstart[d->nstrata] = i;
			for (int a = 0; a < 3; a++) {
				int q = IND_Q_G0 + a;
				for (size_t h = 0; h < d->nstrata; h++) {
					size_t i0 = tstart[h], i1 = tstart[h + 1];
					for (size_t k = i0; k < i1; k++)
						u[k - i0] = dc[k].v[q] / A[q];
					const struct ind_stratum *st = &d->strata[h];
					vt[a * d->nstrata + h] = A[q] > 0 ?
					        ind_stratum_variance(u, i1 - i0,
					                             st->n_psu, st->f,
					                             o->lonely) : 0;
				}
			}
		}
		static const char *const fgt[] = { "P0", "P1", "P2" };
		static const int sq[] = { IND_Q_G0, IND_Q_G2, IND_Q_G2SQ };
		double npos = A[IND_Q_NPOS];
		/* A domain inside one PSU: a ratio's linearized PSU total is
		 * A - R B = 0, its SE rounding noise, not a measurement. */
		size_t psu_pos = 0;
		for (size_t i = 0; i < dn; i++)
			psu_pos += dc[i].v[IND_Q_W] > 0;
		int one_psu = psu_pos == 1;
		c->npos = npos;
		for (int a = 0; a < 3; a++) {
			int q = IND_Q_G0 + a;
			double se = se_ratio(d, dc, dn, q, IND_Q_W, A[q], B, u,
			                     o->lonely);
			/* exact sums: nothing in the sample (no poor), or (P0)
			 * every record poor */
			int flat = A[q] == 0 || (a == 0 && A[IND_Q_G0] == B) ||
			           one_psu;
			out_row(c, fgt[a], 100 * (A[q] / B), 100 * se, flat,
			        SC_PCT, deff_of(se * se, A[q], A[sq[a]], B, npos,
			                        0));
		}
		double se = se_total(d, dc, dn, IND_Q_G0, u, o->lonely);
		out_row(c, "jumlah_miskin", A[IND_Q_G0], se, A[IND_Q_G0] == 0,
		        SC_POS, deff_of(se * se, A[IND_Q_G0], A[IND_Q_G0], B,
		                        npos, 1));
		se = se_ratio(d, dc, dn, IND_Q_Y, IND_Q_W, A[IND_Q_Y], B, u,
		              o->lonely);
		out_row(c, "rata_kapita", A[IND_Q_Y] / B, se, one_psu, SC_POS,
		        deff_of(se * se, A[IND_Q_Y], A[IND_Q_Y2], B, npos, 0));
		if (s->distribution) {
			ind_yw_sort(dom->dist, dom->ndist);
			double med = ind_yw_median(dom->dist, dom->ndist);
			double mse = NAN;
			/*
			 * Woodruff, as R svyquantile(interval.type = "mean",
			 * qrule = "math"): the CI of F(med) = share of weight at
			 * or below med, by linearization with the domain's t;
			 * its ends mapped back through the quantile rule; SE =
			 * CI width / (2 t). An end outside [0, 1]: none (R NaN).
			 */
			if (isfinite(med) && isfinite(c->t)) {
				double W = 0, Wle = 0;
				for (size_t k = 0; k < dom->ndist; k++) {
					W += dom->dist[k].w;
					if (dom->dist[k].y <= med)
						Wle += dom->dist[k].w;
				}
				double pm = Wle / W;
				for (size_t k = 0; k < dom->ndist; k++)
					z[k] = ((dom->dist[k].y <= med) - pm) / W;
				double sp = se_records(d, dc, dn, dom->dist, dom->ndist,
				                       z, acc, u, o->lonely);
				double plo = pm - c->t * sp, phi = pm + c->t * sp;
				if (plo >= 0 && phi <= 1) {
					c->glo = ind_yw_quantile(dom->dist, dom->ndist, plo);
					c->ghi = ind_yw_quantile(dom->dist, dom->ndist, phi);
					mse = (c->ghi - c->glo) / (2 * c->t);
					c->given = 1;
				}
			}
			if (one_psu)
				c->given = 0;
			out_row(c, "median_kapita", med, mse, one_psu, SC_POS, NAN);
			double g = ind_yw_gini(dom->dist, dom->ndist);
			double gse = NAN;
			if (isfinite(g)) {
				if (o->gini_se == IND_GINI_JACKKNIFE) {
					gse = ind_gini_jackknife(d, jk, dc, dn,
					                         dom->dist, dom->ndist,
					                         g, o->lonely);
				} else {
					ind_yw_gini_lin(dom->dist, dom->ndist, g, z);
					gse = se_records(d, dc, dn, dom->dist,
					                 dom->ndist, z, acc, u,
					                 o->lonely);
				}
			}
			out_row(c, "gini", g, gse, one_psu, SC_UNIT, NAN);
			/*
			 * Bottom-40 share S = L(0.4): linearized as a partial
			 * income share (Osier 2009), q the 0.4 quantile:
			 * z_k = ((y_k - q) 1[y_k <= q] + 0.4 q - S y_k) / T.
			 */
			double S = ind_yw_lorenz(dom->dist, dom->ndist, 0.4);
			double sse = NAN;
			if (isfinite(S)) {
				double q = ind_yw_quantile(dom->dist, dom->ndist, 0.4);
				double T = 0;
				for (size_t k = 0; k < dom->ndist; k++)
					T += dom->dist[k].w * dom->dist[k].y;
				for (size_t k = 0; k < dom->ndist; k++) {
					double y = dom->dist[k].y;
					z[k] = ((y <= q ? y - q : 0) + 0.4 * q - S * y) / T;
				}
				sse = 100 * se_records(d, dc, dn, dom->dist, dom->ndist,
				                       z, acc, u, o->lonely);
			}
			out_row(c, "porsi_40_bawah", 100 * S, sse, one_psu,
			        SC_SHARE, NAN);
		}
		if (dom->group != IND_G_TOTAL && tc) {
			static const char *const kon[] = { "kontribusi_P0",
			                                   "kontribusi_P1",
			                                   "kontribusi_P2" };
			for (int a = 0; a < 3; a++) {
				int q = IND_Q_G0 + a;
				if (!(Atot[q] > 0)) {
					out_row(c, kon[a], NAN, NAN, 0, SC_SHARE,
					        NAN);
					continue;
				}
				double se = se_share(d, tc, tstart,
				                     vt + a * d->nstrata, dc, dn, q,
				                     A[q], Atot[q], u, o->lonely);
				/* none of the sample's poor in the domain, or all */
				int flat = A[q] == 0 || A[q] == Atot[q];
				out_row(c, kon[a], 100 * (A[q] / Atot[q]), 100 * se,
				        flat, SC_SHARE, NAN);
			}
		}
	}
cleanup:
	free(u);
	free(acc);
	ind_jk_free(jk);
	free(z);
	free(tstart);
	free(vt);
	return rc;
}

enum angka_err ind_write_indicators(struct ind_store *s,
                                    const struct ind_opts *o,
                                    struct ind_stats *st,
                                    struct angka_error *e)
{
	struct angka_csv_writer *w;
	enum angka_err rc = angka_csv_writer_open(&w, o->out, 0, e);
	if (rc != ANGKA_OK)
		return rc;
	angka_publish_apply(w);
	static const char *const header[] = {
		"tahun", "kode_wilayah", "domain", "indikator", "estimate", "se",
		"ci_lower", "ci_upper", "rse_pct", "reliability", "n_obs",
		"n_psu", "df", "deff", "n_eff", "catatan"
	};
	angka_csv_writer_row(w, sizeof header / sizeof *header, header);
	struct out_ctx c = { .w = w, .ci = o->ci_method, .level = o->level };
	for (size_t i = 0; i < s->ndesigns; i++) {
		struct ind_design *d = &s->designs[i];
		for (size_t h = 0; h < d->nstrata; h++)
			if (d->strata[h].n_psu == 1 && d->strata[h].f >= 1e-7)
				st->lonely_strata++;
		st->domains += d->ndomains;
		rc = design_rows(s, d, o, &c, e);
		if (rc != ANGKA_OK) {
			angka_csv_writer_abort(w);
			return rc;
		}
	}
	st->designs = s->ndesigns;
	st->rows_out = c.rows;
	return angka_csv_writer_commit(w, e);
}

const char *ind_lonely_name(int policy)
{
	return policy >= 0 && policy < 4 ? lonely_names[policy] : "?";
}
