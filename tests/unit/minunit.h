/*
 * minunit.h - a MinUnit-style test harness: a test is a void function that
 * uses mu_check(); a failed check prints "file:line: check failed: expr"
 * (plus an optional message) and marks the test failed, the test goes on.
 * main() runs tests with mu_run() and returns mu_report(): it prints
 * "PROGRAM: N checks, N failed tests of N" and returns 1 on any failure.
 */
#ifndef MINUNIT_H
#define MINUNIT_H

#include <stdio.h>

static int mu_tests, mu_failed_tests, mu_checks, mu_fail_flag;

#define mu_fail(...) do { fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); mu_fail_flag = 1; } while (0)
#define mu_check(expr) do { mu_checks++; if (!(expr)) \
	mu_fail("check failed: %s", #expr); } while (0)
#define mu_check_msg(expr, ...) do { mu_checks++; if (!(expr)) { \
	mu_fail("check failed: %s", #expr); fprintf(stderr, "    "); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)
#define mu_check_int(a, b) do { long long mu_a_ = (long long)(a), mu_b_ = (long long)(b); \
	mu_check_msg(mu_a_ == mu_b_, "%s = %lld, expected %lld", #a, mu_a_, mu_b_); } while (0)
#define mu_check_str(a, b) do { const char *mu_a_ = (a), *mu_b_ = (b); \
	mu_check_msg(mu_a_ && mu_b_ && strcmp(mu_a_, mu_b_) == 0, "%s = \"%s\", expected \"%s\"", \
	             #a, mu_a_ ? mu_a_ : "(null)", mu_b_ ? mu_b_ : "(null)"); } while (0)
#define mu_run(test) do { mu_fail_flag = 0; mu_tests++; test(); \
	if (mu_fail_flag) { mu_failed_tests++; fprintf(stderr, "  FAIL %s\n", #test); } } while (0)
#define mu_report(prog) (printf("%s: %d checks, %d failed tests of %d\n", (prog), \
	mu_checks, mu_failed_tests, mu_tests), mu_failed_tests != 0)

#endif
