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

/* A string against itself scores exactly 1 at every length, repeated
 * letters included (dedup_score_pair takes 1 for equal names without
 * calling it). */
static void test_equal_is_one(void)
{
	static const char *const names[] = {
		"A", "AA", "ANNA", "SITI", "MUHAMMAD", "NURNURNUR",
		"SITINURHALIZA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char copy[64];
		size_t n = strlen(names[i]);
		memcpy(copy, names[i], n + 1);
		mu_check_msg(jw(names[i], copy) == 1.0, "%s", names[i]);
		mu_check_msg(jaro(names[i], copy) == 1.0, "%s", names[i]);
	}
	char a[DEDUP_JARO_MAXLEN + 9], b[sizeof a];
	for (size_t n = 1; n < sizeof a; n++) {
		for (size_t k = 0; k < n; k++)
			a[k] = "ABRAHAMAN"[(k * k + 3 * k) % 9];
		memcpy(b, a, n);
		mu_check_msg(dedup_jaro_winkler(a, n, b, n) == 1.0, "length %zu",
		             n);
	}
}

int main(void)
{
	mu_run(test_published);
	mu_run(test_edges);
	mu_run(test_equal_is_one);
	return mu_report("test_jaro");
}
