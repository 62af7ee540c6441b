/*
 * distribution.c - statistics that need the whole weighted distribution of
 * one domain: median (R svyquantile's qrule "math"), Gini ratio (convey's
 * svygini point estimate) and the Lorenz curve (share of the bottom p).
 * The input is sorted into a canonical order first, so the results depend
 * only on the multiset of (y, w) and merged partials reproduce them exactly.
 */
#include "indicators.h"

#include <stdlib.h>
#include <math.h>

/* Canonical order: y ascending, ties by w, then PSU rank (a total order on
 * the records' values, so any correct sort gives the same array). */
static int yw_cmp(const void *pa, const void *pb)
{
	const struct ind_yw *a = pa, *b = pb;
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->w != b->w)
		return a->w < b->w ? -1 : 1;
	if (a->psu != b->psu)
		return a->psu < b->psu ? -1 : 1;
	return 0;
}

void ind_yw_sort(struct ind_yw *a, size_t n)
{
	/*
	 * glibc's qsort (a merge sort for small elements) instead of GSL's
	 * heapsort: the national benchmark sorts every domain's distribution
	 * and heapsort's strided access made it a fifth of the run. The
	 * order is the same total order, so results are unchanged.
	 */
	if (n < 2)
		return;
	qsort(a, n, sizeof *a, yw_cmp);
}

double ind_yw_median(const struct ind_yw *a, size_t n)
{
	return ind_yw_quantile(a, n, 0.5);
}

double ind_yw_quantile(const struct ind_yw *a, size_t n, double p)
{
	/*
	 * R's qrule_math: drop zero weights, pos = last i with
	 * cumw[i] <= p * W; the answer is y[pos] if p - cumw[pos]/W == 0,
	 * else y[pos + 1].
	 */
	double W = 0;
	for (size_t i = 0; i < n; i++)
		W += a[i].w;
	if (!(W > 0))
		return NAN;
	double cum = 0, cum_pos = 0;
	size_t pos = n, last_pos = n, first = n;
	for (size_t i = 0; i < n; i++) {
		if (a[i].w == 0)
			continue;
		if (first == n)
			first = i;
		cum += a[i].w;
		if (cum <= p * W) {
			pos = i;
			cum_pos = cum;
		}
		last_pos = i;
	}
	if (pos == n)
		return a[first].y;
	if (p - cum_pos / W == 0 || pos == last_pos)
		return a[pos].y;
	size_t next = pos + 1;
	while (next < n && a[next].w == 0)
		next++;
	return a[next].y;
}

double ind_yw_gini(const struct ind_yw *a, size_t n)
{
	/* convey: (sum((2 r - w) y w)) / (N T) - 1, r the cumulative weight. */
	double N = 0, T = 0, num = 0, r = 0;
	for (size_t i = 0; i < n; i++) {
		N += a[i].w;
		T += a[i].y * a[i].w;
	}
	if (!(N > 0) || !(T > 0))
		return NAN;
	for (size_t i = 0; i < n; i++) {
		r += a[i].w;
		num += (2 * r - a[i].w) * a[i].y * a[i].w;
	}
	return num / (N * T) - 1;
}

double ind_yw_lorenz(const struct ind_yw *a, size_t n, double p)
{
	/*
	 * L(p): share of sum(w y) held by the poorest p of the weight, with
	 * the observation that straddles p*N counted by its fraction.
	 */
	double N = 0, T = 0;
	for (size_t i = 0; i < n; i++) {
		N += a[i].w;
		T += a[i].y * a[i].w;
	}
	if (!(N > 0) || !(T > 0))
		return NAN;
	double target = p * N, cum = 0, part = 0;
	for (size_t i = 0; i < n; i++) {
		if (cum + a[i].w <= target) {
			cum += a[i].w;
			part += a[i].y * a[i].w;
			continue;
		}
		part += a[i].y * (target - cum);
		break;
	}
	return part / T;
}

void ind_yw_gini_lin(const struct ind_yw *a, size_t n, double g, double *z)
{
	double N = 0, T = 0;
	for (size_t i = 0; i < n; i++) {
		N += a[i].w;
		T += a[i].y * a[i].w;
	}
	double r = 0, Ti = 0;
	for (size_t i = 0; i < n; i++) {
		r += a[i].w;
		Ti += a[i].y * a[i].w;
		z[i] = (2 * r * a[i].y + 2 * (T - Ti) -
		        (g + 1) * (T + N * a[i].y)) / (N * T);
	}
}
