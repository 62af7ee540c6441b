/*
 * test_survey.c - unit tests of the indicators stage's numeric core:
 * exact summation (xsum.c), the stratum variance of R survey's onestrat()
 * (variance.c) and the distribution statistics (distribution.c).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minunit.h"
#include "indicators.h"

static uint64_t seed = 42;
static double rnd(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(seed >> 11) * 0x1.0p-53;
}

static void test_xsum_exact(void)
{
	struct ind_xsum s;
	memset(&s, 0, sizeof s);
	mu_check(ind_xsum_value(&s) == 0);
	/* 1e16 + 1 - 1e16 loses the 1 in doubles, not here */
	mu_check(ind_xsum_add(&s, 1e16) == 0);
	mu_check(ind_xsum_add(&s, 1.0) == 0);
	mu_check(ind_xsum_add(&s, -1e16) == 0);
	mu_check(ind_xsum_value(&s) == 1.0);
	mu_check(ind_xsum_add(&s, -3.0) == 0);
	mu_check(ind_xsum_value(&s) == -2.0);
	mu_check(ind_xsum_add(&s, 0x1p-120) == 0);
	mu_check(ind_xsum_value(&s) == -2.0 + 0x1p-120 || ind_xsum_value(&s) == -2.0);
	mu_check(ind_xsum_add(&s, INFINITY) == -1);
	mu_check(ind_xsum_add(&s, NAN) == -1);
	mu_check(ind_xsum_add(&s, 0x1p101) == -1);
	/* correct rounding: 1 + 2^-53 + 2^-60 rounds up to 1 + 2^-52 */
	struct ind_xsum t;
	memset(&t, 0, sizeof t);
	ind_xsum_add(&t, 1.0);
	ind_xsum_add(&t, 0x1p-53);
	ind_xsum_add(&t, 0x1p-60);
	mu_check(ind_xsum_value(&t) == 1.0 + 0x1p-52);
	/* a tie rounds to even: 1 + 2^-53 -> 1 */
	memset(&t, 0, sizeof t);
	ind_xsum_add(&t, 1.0);
	ind_xsum_add(&t, 0x1p-53);
	mu_check(ind_xsum_value(&t) == 1.0);
}

static void test_xsum_order(void)
{
	/* any order and any split gives the same bits */
	enum { N = 5000 };
	static double x[N];
	for (int i = 0; i < N; i++)
		x[i] = (rnd() - 0.3) * pow(10, (int)(rnd() * 12) - 4);
	struct ind_xsum a, b, c, p[3];
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	memset(p, 0, sizeof p);
	for (int i = 0; i < N; i++)
		ind_xsum_add(&a, x[i]);
	for (int i = N - 1; i >= 0; i--)
		ind_xsum_add(&b, x[i]);
	for (int i = 0; i < N; i++)
		ind_xsum_add(&p[i % 3], x[i]);
	c = p[2];
	ind_xsum_merge(&c, &p[0]);
	ind_xsum_merge(&c, &p[1]);
	mu_check(memcmp(&a, &b, sizeof a) == 0);
	mu_check(memcmp(&a, &c, sizeof a) == 0);
	/* the value is close to a long double sum */
	long double ld = 0;
	for (int i = 0; i < N; i++)
		ld += x[i];
	double v = ind_xsum_value(&a);
	mu_check(fabs(v - (double)ld) <= 1e-12 * fabs(v));
	char hex[65];
	ind_xsum_format(&a, hex);
	struct ind_xsum r;
	mu_check(ind_xsum_parse(&r, hex, 64) == 0);
	mu_check(memcmp(&a, &r, sizeof a) == 0);
	mu_check(ind_xsum_parse(&r, "xyz", 3) == -1);
}

static void test_stratum_variance(void)
{
	/* two PSUs, totals 1 and 3, n = 2: mean 2, 2/1 * (1 + 1) = 4 */
	double u[] = { 1, 3 };
	mu_check(ind_stratum_variance(u, 2, 2, 1.0, IND_LONELY_FAIL) == 4);
	/* a domain present in one PSU of three: totals (6, 0, 0) */
	double v[] = { 6 };
	/* mean 2; ss = 16 + 4 + 4 = 24; x 3/2 = 36 */
	mu_check(fabs(ind_stratum_variance(v, 1, 3, 1.0, IND_LONELY_FAIL) - 36) < 1e-12);
	/* fpc f = 0.5 halves it; f < 1e-7 gives 0 */
	mu_check(fabs(ind_stratum_variance(v, 1, 3, 0.5, IND_LONELY_FAIL) - 18) < 1e-12);
	mu_check(ind_stratum_variance(v, 1, 3, 0.0, IND_LONELY_FAIL) == 0);
	/* lonely stratum: fail NaN, remove/certainty 0, adjust u^2 */
	mu_check(isnan(ind_stratum_variance(v, 1, 1, 1.0, IND_LONELY_FAIL)));
	mu_check(ind_stratum_variance(v, 1, 1, 1.0, IND_LONELY_REMOVE) == 0);
	mu_check(ind_stratum_variance(v, 1, 1, 1.0, IND_LONELY_CERTAINTY) == 0);
	mu_check(ind_stratum_variance(v, 1, 1, 1.0, IND_LONELY_ADJUST) == 36);
	mu_check(ind_stratum_variance(v, 0, 1, 1.0, IND_LONELY_ADJUST) == 0);
}

static void test_distribution(void)
{
	struct ind_yw a[] = { { 3, 1, 0 }, { 1, 1, 0 }, { 2, 1, 0 }, { 4, 1, 0 },
	                      { 2, 0.5, 0 } };
	size_t n = 5;
	ind_yw_sort(a, n);
	mu_check(a[0].y == 1 && a[1].y == 2 && a[1].w == 0.5 && a[2].w == 1);
	/* weights 1, .5, 1, 1, 1 (W 4.5): cum 1, 1.5, 2.5 > 2.25 -> y 2 */
	mu_check(ind_yw_median(a, n) == 2);
	/* equal weights 1..4: exact half at y 2 -> 2 (R's qrule "math") */
	struct ind_yw b[] = { { 1, 1, 0 }, { 2, 1, 0 }, { 3, 1, 0 }, { 4, 1, 0 } };
	mu_check(ind_yw_median(b, 4) == 2);
	/* Gini of 1..4, equal weights: (2 sum r y - sum y)/(N T) - 1 = 0.25 */
	mu_check(fabs(ind_yw_gini(b, 4) - 0.25) < 1e-15);
	/* everyone equal: Gini 0, bottom 40% hold 40% */
	struct ind_yw c[] = { { 5, 2, 0 }, { 5, 3, 0 } };
	mu_check(fabs(ind_yw_gini(c, 2)) < 1e-15);
	mu_check(fabs(ind_yw_lorenz(c, 2, 0.4) - 0.4) < 1e-15);
	/* Linearized Gini of 1..4 (N 4, T 10, G 0.25): by hand,
	 * z_k = (2 r_k y_k + 2 (T - T_k) - 1.25 (T + 4 y_k)) / 40 =
	 * 2.5/40, -0.5/40, -1.5/40, -0.5/40; sum w z = 0. */
	double zl[4];
	ind_yw_gini_lin(b, 4, 0.25, zl);
	mu_check(fabs(zl[0] - 0.0625) < 1e-15 && fabs(zl[1] + 0.0125) < 1e-15 &&
	         fabs(zl[2] + 0.0375) < 1e-15 && fabs(zl[3] + 0.0125) < 1e-15);
	/* Ties are ordered by PSU rank after y and w. */
	struct ind_yw t[] = { { 2, 1, 7 }, { 2, 1, 3 } };
	ind_yw_sort(t, 2);
	mu_check(t[0].psu == 3 && t[1].psu == 7);
	/* Lorenz of 1..4 at 0.4: 1 + 0.6 * 2 = 2.2 of 10 */
	mu_check(fabs(ind_yw_lorenz(b, 4, 0.4) - 0.22) < 1e-15);
	struct ind_yw z[] = { { 1, 0, 0 } };
	mu_check(isnan(ind_yw_median(z, 1)));
	mu_check(isnan(ind_yw_gini(z, 1)));
}

int main(void)
{
	mu_run(test_xsum_exact);
	mu_run(test_xsum_order);
	mu_run(test_stratum_variance);
	mu_run(test_distribution);
	return mu_report("test_survey");
}
