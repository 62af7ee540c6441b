/*
 * jackknife.c - the delete-one-PSU jackknife SE of a domain's Gini ratio,
 * exactly as R survey's as.svrepdesign(type = "JKn") with withReplicates()
 * (mse = FALSE) computes it, in O(records + strata + domain PSUs) per domain
 * on the already sorted records: no replicate re-sorts or rescans them.
 *
 * Replicate (h, j) gives PSU j of stratum h weight 0, the other PSUs of h
 * c = n_h/(n_h - 1) times their weight and every other PSU its own; its
 * scale is f_h (n_h - 1)/n_h (f_h = 1 - n_h/N_h, 1 without fpc). V = sum of
 * scale x (G_hj - mean of all G_hj)^2. Census strata (f_h = 0) have no
 * replicates (R drops them); a lonely stratum has none under remove and
 * certainty, makes the SE unavailable under fail, and under adjust gives
 * one replicate without the stratum (every other weight x S/(S - 1), S the
 * number of strata; scale (S - 1)/S), as R's jknweights(). A replicate
 * that leaves the domain no weight (or no income) makes the SE unavailable,
 * as R's NaN replicate does.
 *
 * convey's estimator G = num/(N T) - 1, num = sum_k (2 r_k - w_k) w_k y_k
 * over the records in canonical order, is num = sum_{k,l} w_k w_l y_max(k,l)
 * (max by position): a quadratic form in the weights. With the records cut
 * into J (PSU j), S (the rest of stratum h) and O (outside h), and
 * M(X,Y) = sum_{k in X, l in Y} w_k w_l y_max(k,l):
 *   num_hj = c^2 M(S,S) + 2 c M(S,O) + M(O,O),
 *   M(S,S) = M(H,H) - 2 M(J,H) + M(J,J),
 *   M(S,O) = M(H,U) - M(H,H) - M(J,U) + M(J,H),
 *   M(O,O) = M(U,U) - 2 M(H,U) + M(H,H),
 * and for J inside X, M(J,X) = sum_{k in J} w_k (y_k r^X_k + T^X - T^X_k),
 * r^X_k and T^X_k the cumulative w and w y of X's records up to and
 * including k: one pass over the sorted records gives M(J,J), M(J,H) and
 * M(J,U) for every PSU, sums over a stratum's PSUs M(H,H) and M(H,U).
 */
#include "design.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Per PSU: N, T, M(J,J), M(J,H), M(J,U), running r and T within J. */
enum { JP_N = 0, JP_T, JP_JJ, JP_JH, JP_JU, JP_R, JP_C, JP_NQ };
/* Per stratum: N, T, M(H,H), M(H,U), running r and T within H. */
enum { JS_N = 0, JS_T, JS_HH, JS_HU, JS_R, JS_C, JS_NQ };

struct ind_jk {
	double *p;               /* npsus x JP_NQ, kept zero between calls */
	double *s;               /* nstrata x JS_NQ */
	size_t nstrata;
};

struct ind_jk *ind_jk_new(const struct ind_design *d)
{
	struct ind_jk *j = angka_xcalloc(1, sizeof *j);
	j->p = angka_xcalloc(d->npsus ? d->npsus : 1, JP_NQ * sizeof *j->p);
	j->s = angka_xcalloc(d->nstrata ? d->nstrata : 1, JS_NQ * sizeof *j->s);
	j->nstrata = d->nstrata;
	return j;
}

void ind_jk_free(struct ind_jk *j)
{
	if (!j)
		return;
	free(j->p);
	free(j->s);
	free(j);
}

/* G of one replicate: J's weights x 0, S's x c, O's x 1; NAN if empty. */
static double rep_gini(double c, const double *J, const double *H,
                       double N, double T, double MUU)
{
	double NS = H[JS_N] - J[JP_N], TS = H[JS_T] - J[JP_T];
	double Nr = c * NS + (N - H[JS_N]);
	double Tr = c * TS + (T - H[JS_T]);
	if (!(Nr > 0) || !(Tr > 0))
		return NAN;
	double mss = H[JS_HH] - 2 * J[JP_JH] + J[JP_JJ];
	double mso = H[JS_HU] - H[JS_HH] - J[JP_JU] + J[JP_JH];
	double moo = MUU - 2 * H[JS_HU] + H[JS_HH];
	return (c * c * mss + 2 * c * mso + moo) / (Nr * Tr) - 1;
}

/*
 * Visit every replicate's G - g (pass 0: sum and count; pass 1: scaled
 * squares around mean) for the domain whose cells are dc[0..dn), in PSU
 * order, so by ascending stratum (ind_store_finish sorts PSUs by stratum).
 */
static int visit(const struct ind_design *d, const struct ind_jk *jk,
                 const struct ind_cell *dc, size_t dn, int lonely, double g,
                 double N, double T, double MUU, int pass, double mean,
                 double *acc, double *count)
{
	static const double none[JP_NQ];
	size_t i = 0;
	for (size_t h = 0; h < d->nstrata; h++) {
		const struct ind_stratum *st = &d->strata[h];
		const double *H = jk->s + h * JS_NQ;
		size_t i0 = i;
		while (i < dn && d->psus[dc[i].psu].stratum == h)
			i++;
		if (st->f < 1e-7 || st->n_psu < 1)
			continue;
		if (st->n_psu == 1) {
			if (lonely == IND_LONELY_FAIL)
				return -1;
			if (lonely != IND_LONELY_ADJUST || d->nstrata < 2)
				continue;
			/* the stratum's records out, the rest x S/(S-1) */
			double No = N - H[JS_N], To = T - H[JS_T];
			if (!(No > 0) || !(To > 0))
				return -1;
			double G = (MUU - 2 * H[JS_HU] + H[JS_HH]) / (No * To) - 1;
			double sc = (double)(d->nstrata - 1) / (double)d->nstrata;
			double x = G - g;
			if (pass == 0) {
				*acc += x;
				*count += 1;
			} else {
				*acc += sc * (x - mean) * (x - mean);
			}
			continue;
		}
		double n = (double)st->n_psu;
		double c = n / (n - 1);
		double sc = st->f * (n - 1) / n;
		/* the domain's PSUs of h, then the others (all alike) */
		for (size_t k = i0; k <= i; k++) {
			const double *J = k < i ? jk->p + (size_t)dc[k].psu * JP_NQ
			                        : none;
			double copies = k < i ? 1 : n - (double)(i - i0);
			if (copies <= 0)
				continue;
			double G = H[JS_N] > 0 ? rep_gini(c, J, H, N, T, MUU) : g;
			if (!isfinite(G))
				return -1;       /* the domain is empty: R NaN */
			double x = G - g;
			if (pass == 0) {
				*acc += copies * x;
				*count += copies;
			} else {
				*acc += copies * sc * (x - mean) * (x - mean);
			}
		}
	}
	return 0;
}

double ind_gini_jackknife(const struct ind_design *d, struct ind_jk *jk,
                          const struct ind_cell *dc, size_t dn,
                          const struct ind_yw *a, size_t n, double g,
                          int lonely)
{
	double N = 0, T = 0;
	for (size_t k = 0; k < n; k++) {
		double *P = jk->p + (size_t)a[k].psu * JP_NQ;
		double *H = jk->s + (size_t)d->psus[a[k].psu].stratum * JS_NQ;
		double wy = a[k].w * a[k].y;
		N += a[k].w;
		T += wy;
		P[JP_N] += a[k].w;
		P[JP_T] += wy;
		H[JS_N] += a[k].w;
		H[JS_T] += wy;
	}
	double r = 0, Tc = 0, MUU = 0;
	for (size_t k = 0; k < n; k++) {
		double w = a[k].w, y = a[k].y, wy = w * y;
		double *P = jk->p + (size_t)a[k].psu * JP_NQ;
		double *H = jk->s + (size_t)d->psus[a[k].psu].stratum * JS_NQ;
		r += w;
		Tc += wy;
		P[JP_R] += w;
		P[JP_C] += wy;
		H[JS_R] += w;
		H[JS_C] += wy;
		double mu = w * (y * r + (T - Tc));
		MUU += mu;
		P[JP_JU] += mu;
		P[JP_JH] += w * (y * H[JS_R] + (H[JS_T] - H[JS_C]));
		P[JP_JJ] += w * (y * P[JP_R] + (P[JP_T] - P[JP_C]));
	}
	for (size_t i = 0; i < dn; i++) {
		const double *P = jk->p + (size_t)dc[i].psu * JP_NQ;
		double *H = jk->s + (size_t)d->psus[dc[i].psu].stratum * JS_NQ;
		H[JS_HH] += P[JP_JH];
		H[JS_HU] += P[JP_JU];
	}
	double se = NAN;
	double sum = 0, count = 0;
	if (visit(d, jk, dc, dn, lonely, g, N, T, MUU, 0, 0, &sum, &count) == 0
	    && count > 0) {
		double v = 0;
		visit(d, jk, dc, dn, lonely, g, N, T, MUU, 1, sum / count, &v,
		      &count);
		se = sqrt(v);
	}
	for (size_t k = 0; k < n; k++)
		memset(jk->p + (size_t)a[k].psu * JP_NQ, 0,
		       JP_NQ * sizeof *jk->p);
	memset(jk->s, 0, jk->nstrata * JS_NQ * sizeof *jk->s);
	return se;
}
