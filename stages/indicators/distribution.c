/*
 * distribution.c - statistics that need the whole weighted distribution of
 * one domain: median (R svyquantile's qrule "math"), Gini ratio (convey's
 * svygini point estimate) and the Lorenz curve (share of the bottom p).
 * The input is sorted into a canonical order first, so the results depend
 * only on the multiset of (y, w) and merged partials reproduce them exactly.
 */
#include "indicators.h"

#include <gsl/gsl_sort.h>
#include <math.h>

void ind_yw_sort(struct ind_yw *a, size_t n)
{
	if (n < 2)
		return;
	/* gsl_sort2 (heapsort) orders y and carries w; then order ties by w. */
	gsl_sort2(&a[0].y, 2, &a[0].w, 2, n);
	size_t i = 0;
	while (i < n) {
		size_t j = i + 1;
		while (j < n && a[j].y == a[i].y)
			j++;
		if (j - i > 1)
			gsl_sort(&a[i].w, 2, j - i);
		i = j;
	}
}

double ind_yw_median(const struct ind_yw *a, size_t n)
{
	/*
	 * R's qrule_math: drop zero weights, pos = last i with
	 * cumw[i] <= p * W; the answer is y[pos] if p - cumw[pos]/W == 0,
	 * else y[pos + 1].
	 */
	const double p = 0.5;
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
