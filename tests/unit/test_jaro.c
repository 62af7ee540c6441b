/*
 * test_jaro.c - Jaro and Jaro-Winkler against the published examples
 * (Winkler 1990; Wikipedia's worked MARTHA/MARHTA) and edge cases.
 */
#include "minunit.h"
#include "jaro.h"

#include <math.h>
#include <string.h>

static double jw(const char *a, const char *b)
{
	return dedup_jaro_winkler(a, strlen(a), b, strlen(b));
}

static double jaro(const char *a, const char *b)
{
	return dedup_jaro(a, strlen(a), b, strlen(b));
}

#define near(a, b, tol) (fabs((a) - (b)) <= (tol))

static void test_published(void)
{
	mu_check_msg(near(jaro("MARTHA", "MARHTA"), 0.944, 5e-4), "%f",
	             jaro("MARTHA", "MARHTA"));
	mu_check_msg(near(jw("MARTHA", "MARHTA"), 0.961, 5e-4), "%f",
	             jw("MARTHA", "MARHTA"));
	mu_check_msg(near(jaro("DWAYNE", "DUANE"), 0.822, 5e-4), "%f",
	             jaro("DWAYNE", "DUANE"));
	mu_check_msg(near(jw("DWAYNE", "DUANE"), 0.840, 5e-4), "%f",
	             jw("DWAYNE", "DUANE"));
	mu_check_msg(near(jaro("DIXON", "DICKSONX"), 0.767, 5e-4), "%f",
	             jaro("DIXON", "DICKSONX"));
	mu_check_msg(near(jw("DIXON", "DICKSONX"), 0.813, 5e-4), "%f",
	             jw("DIXON", "DICKSONX"));
	/* Exact fractions: MARTHA/MARHTA m = 6, t = 1. */
	mu_check(near(jaro("MARTHA", "MARHTA"), (1.0 + 1.0 + 5.0 / 6.0) / 3, 1e-12));
}

static void test_edges(void)
{
	mu_check(jw("", "") == 1.0);
	mu_check(jw("A", "") == 0.0);
	mu_check(jw("ABC", "XYZ") == 0.0);
	mu_check(jw("SITIAMINAH", "SITIAMINAH") == 1.0);
	/* Symmetric. */
	mu_check(jw("DWAYNE", "DUANE") == jw("DUANE", "DWAYNE"));
	mu_check(jw("MUHAMMADNOOR", "MUHAMADNOOR") > 0.95);
	/* Over-long strings are capped, not overflowed. */
	char a[300], b[300];
	memset(a, 'A', 299);
	a[299] = 0;
	memcpy(b, a, 300);
	mu_check(jw(a, b) == 1.0);
}

int main(void)
{
	mu_run(test_published);
	mu_run(test_edges);
	return mu_report("test_jaro");
}
