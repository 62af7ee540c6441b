/*
 * test_trend.c - angka-trend's statistics against values computed by hand
 * (independently, with Python's statistics.NormalDist and the closed-form
 * weighted least squares sums) for plausible Balangan P0 series.
 */
#include "minunit.h"
#include "trend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

static int close_rel(double a, double b, double tol)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return fabs(a - b) <= tol * (fabs(b) > 1e-300 ? fabs(b) : 1);
}

#define mu_check_close(a, b) mu_check_msg(close_rel((a), (b), 1e-9), \
	"%s = %.17g, expected %.17g", #a, (double)(a), (double)(b))

/* P0 2019 -> 2020: 5.91 (SE 0.82) -> 5.40 (SE 0.78), independent. */
static void test_change_independent(void)
{
	struct trend_change c;
	mu_check_int(trend_change_test(5.91, 0.82, 5.40, 0.78, 0, 0, 0.05, &c), 0);
	mu_check_close(c.d, -0.5099999999999998);
	mu_check_close(c.se, 1.1317243480636086);
	mu_check_close(c.stat, -0.4506397700752969);
	mu_check_close(c.p, 0.6522491982816807);
	mu_check_close(c.pct, -8.629441624365478);
	mu_check_int(c.verdict, 0);
	mu_check_str(trend_verdict_text(c.verdict), "tidak berubah signifikan");
}

/* 2023 -> 2024 with shared PSUs: covariance 0.12 shrinks the SE. */
static void test_change_covariance(void)
{
	struct trend_change c;
	mu_check_int(trend_change_test(5.05, 0.70, 4.62, 0.66, 0.12, 0, 0.05, &c), 0);
	mu_check_close(c.se, 0.8280096617793781);
	mu_check_close(c.stat, -0.5193176116760972);
	mu_check_close(c.p, 0.6035392738943142);
}

/* A significant fall and rise; and a t test with 40 df. */
static void test_change_significant(void)
{
	struct trend_change c;
	mu_check_int(trend_change_test(6.8, 0.5, 4.6, 0.45, 0, 0, 0.05, &c), 0);
	mu_check_close(c.se, 0.6726812023536856);
	mu_check_close(c.stat, -3.2704942434875317);
	mu_check_close(c.p, 0.001073597272672977);
	mu_check_int(c.verdict, -1);
	mu_check_str(trend_verdict_text(c.verdict), "turun signifikan");
	mu_check_int(trend_change_test(4.6, 0.45, 6.8, 0.5, 0, 0, 0.05, &c), 0);
	mu_check_int(c.verdict, 1);
	mu_check_str(trend_verdict_text(c.verdict), "naik signifikan");
	/* Not significant at 0.001. */
	mu_check_int(trend_change_test(6.8, 0.5, 4.6, 0.45, 0, 0, 0.001, &c), 0);
	mu_check_int(c.verdict, 0);
	/* t(40): 2 * Q_t(3.2704942434875317; 40) = 0.0022136 (Simpson
	 * integration of the t density, by hand). */
	mu_check_int(trend_change_test(6.8, 0.5, 4.6, 0.45, 0, 40, 0.05, &c), 0);
	mu_check_msg(fabs(c.p - 0.0022136009) < 1e-9, "p = %.12g", c.p);
	/* No variance: no test. */
	mu_check_int(trend_change_test(5, 0, 5, 0, 0, 0, 0.05, &c), -1);
	mu_check(isnan(c.se));
}

/* OLS fit of the 2019-2024 P0 series (values by closed-form OLS in
 * python3); the residual SE is below the sampling one, so se_b is the
 * sampling one. */
static void test_fit_p0(void)
{
	const double x[] = { 2019, 2020, 2021, 2022, 2023, 2024 };
	const double y[] = { 5.91, 5.40, 5.67, 5.28, 5.05, 4.62 };
	const double se[] = { 0.82, 0.78, 0.85, 0.74, 0.70, 0.66 };
	struct trend_fit f;
	const char *msg = NULL;
	mu_check_int(trend_fit_ols(x, y, se, 6, 0.05, &f, &msg), 0);
	mu_check_close(f.x0, 2021.5);
	mu_check_close(f.b, -0.22542857142857148);
	mu_check_close(f.a, 5.321666666666667);
	mu_check_close(f.se_sampling, 0.17809811558663446);
	mu_check_close(f.se_resid, 0.04662427617938639);
	mu_check_close(f.se_b, 0.17809811558663446);
	mu_check_close(f.df, 4);
	/* t(4, 0.975) = 2.7764451051977987 */
	mu_check_close(f.lo, -0.7199082126940346);
	mu_check_close(f.hi, 0.2690510698368916);
	mu_check_int(f.n_nose, 0);
	/* Target 4.0 (RPJMD): the fitted 2024 value 4.7581 falls 0.2254 a
	 * year, so 2027.36. */
	mu_check_close(trend_target_year(&f, 2024, 4.0), 2027.3629066328685);
	/* A target above the fitted value with a falling trend: never. */
	mu_check(isnan(trend_target_year(&f, 2024, 6.0)));
}

/* Scattered points: the residual SE exceeds the sampling one. */
static void test_fit_scaled(void)
{
	const double x[] = { 2021, 2022, 2023, 2024 };
	const double y[] = { 6.0, 4.0, 6.5, 3.5 };
	const double se[] = { 0.5, 0.5, 0.5, 0.5 };
	struct trend_fit f;
	const char *msg = NULL;
	mu_check_int(trend_fit_ols(x, y, se, 4, 0.05, &f, &msg), 0);
	mu_check_close(f.b, -0.5);
	mu_check_close(f.se_sampling, 0.22360679774997896);
	mu_check_close(f.se_resid, 0.724568837309472);
	mu_check_close(f.se_b, 0.724568837309472);
	/* t(2, 0.975) = 4.302652729911275 */
	mu_check_close(f.lo, -3.6175680858582377);
	mu_check_close(f.hi, 2.6175680858582377);
	mu_check_close(trend_target_year(&f, 2024, 3.0), 2026.5);
	mu_check(isnan(trend_target_year(&f, 2024, 7.0)));
}

/* A year with a tiny SE does not pin the line (1/se^2 weights forced it
 * through (2016, 2.5) with a weight of 1e30): OLS slope 4.75/5 = 0.95 and
 * mean 2.625, exact in binary with centred years. */
static void test_fit_stable(void)
{
	const double x[] = { 2015, 2016, 2017, 2018 };
	const double y[] = { 1.0, 2.5, 3.0, 4.0 };
	const double se[] = { 0.5, 1e-15, 0.5, 0.5 };
	struct trend_fit f;
	const char *msg = NULL;
	mu_check_int(trend_fit_ols(x, y, se, 4, 0.05, &f, &msg), 0);
	mu_check_close(f.b, 0.95);
	mu_check_close(f.a, 2.625);
	mu_check_close(f.x0, 2016.5);
}

static void test_fit_edge(void)
{
	const double x[] = { 2023, 2024 }, y[] = { 5.2, 4.8 }, se[] = { 0.7, 0.6 };
	const double z[] = { 0.7, 0 };
	const double nan_se[] = { NAN, 0.6 };
	struct trend_fit f;
	const char *msg = NULL;
	/* Two points: slope, no CI. */
	mu_check_int(trend_fit_ols(x, y, se, 2, 0.05, &f, &msg), 0);
	mu_check_close(f.b, -0.40000000000000036);
	mu_check(isnan(f.lo) && isnan(f.se_b));
	/* A year with SE 0 or none stays in the fit; it adds nothing to the
	 * sampling SE and is counted. */
	mu_check_int(trend_fit_ols(x, y, z, 2, 0.05, &f, &msg), 0);
	mu_check_close(f.se_sampling, 0.7);
	mu_check_int(f.n_nose, 1);
	mu_check_int(trend_fit_ols(x, y, nan_se, 2, 0.05, &f, &msg), 0);
	mu_check_int(f.n_nose, 1);
	/* A single point, or two in one year, is refused. */
	mu_check_int(trend_fit_ols(x, y, se, 1, 0.05, &f, &msg), -1);
	const double x1[] = { 2024, 2024 };
	mu_check_int(trend_fit_ols(x1, y, se, 2, 0.05, &f, &msg), -1);
}

static void test_year_pairs(void)
{
	int *pairs;
	size_t n;
	struct angka_error e = { 0 };
	mu_check_int(trend_parse_year_pairs("2023-2024, 2020-2019", &pairs, &n, &e),
	             ANGKA_OK);
	mu_check_int(n, 2);
	mu_check_int(pairs[0], 2023);
	mu_check_int(pairs[1], 2024);
	mu_check_int(pairs[2], 2019);
	mu_check_int(pairs[3], 2020);
	free(pairs);
	mu_check_int(trend_parse_year_pairs("2023", &pairs, &n, &e), ANGKA_ECONFIG);
	mu_check_int(trend_parse_year_pairs("2023-2023", &pairs, &n, &e),
	             ANGKA_ECONFIG);
	mu_check_int(trend_parse_year_pairs(NULL, &pairs, &n, &e), ANGKA_OK);
	mu_check_int(n, 0);
}

int main(void)
{
	gsl_set_error_handler_off();
	mu_run(test_change_independent);
	mu_run(test_change_covariance);
	mu_run(test_change_significant);
	mu_run(test_fit_p0);
	mu_run(test_fit_scaled);
	mu_run(test_fit_stable);
	mu_run(test_fit_edge);
	mu_run(test_year_pairs);
	return mu_report("test_trend");
}
