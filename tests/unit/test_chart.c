/*
 * test_chart.c - angka-chart's text helpers: number labels in both
 * conventions, gnuplot quoting of hostile text, nice axes, format lists,
 * the table of charts.
 */
#include "minunit.h"
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void test_numbers(void)
{
	char b[64];
	mu_check_str(chart_format_number(7064, 0, CHART_ID, b, sizeof b), "7.064");
	mu_check_str(chart_format_number(7064, 0, CHART_EN, b, sizeof b), "7,064");
	mu_check_str(chart_format_number(5.32, 2, CHART_ID, b, sizeof b), "5,32");
	mu_check_str(chart_format_number(5.32, 2, CHART_EN, b, sizeof b), "5.32");
	mu_check_str(chart_format_number(-0.51, 2, CHART_ID, b, sizeof b), "-0,51");
	mu_check_str(chart_format_number(-0.001, 1, CHART_ID, b, sizeof b), "0,0");
	mu_check_str(chart_format_number(1234567.891, 1, CHART_ID, b, sizeof b),
	             "1.234.567,9");
	mu_check_str(chart_format_number(999, 0, CHART_ID, b, sizeof b), "999");
	mu_check_str(chart_format_number(NAN, 2, CHART_ID, b, sizeof b), "");
}

static void test_quote(void)
{
	struct chart_buf q = { 0 };
	chart_gp_quote(&q, "x'; system('touch PWNED'); print '");
	mu_check_str(q.s, "'x'.\"'\".'; system('.\"'\".'touch PWNED'.\"'\".'); "
	             "print '.\"'\"");
	chart_buf_release(&q);
	chart_gp_quote(&q, "`touch PWNED2`\nnext");
	mu_check_str(q.s, "\"'\".'touch PWNED2'.\"'\".' next'");
	chart_buf_release(&q);
	chart_gp_quote(&q, "x''@''y''");
	mu_check_str(q.s, "'x'.\"''\\100''\".'y'.\"''\"");
	chart_buf_release(&q);
	chart_gp_quote(&q, "a@b");
	mu_check_str(q.s, "'a'.\"\\100\".'b'");
	chart_buf_release(&q);
	chart_gp_quote(&q, "");
	mu_check_str(q.s, "''");
	chart_buf_release(&q);
	chart_dat_quote(&q, "Ju\"uh\tx");
	mu_check_str(q.s, "\"Ju'uh x\"");
	chart_buf_release(&q);
}

static void test_axis(void)
{
	double a, b, s;
	int d;
	chart_nice_axis(4.25, 7.57, 5, &a, &b, &s, &d);
	mu_check(a == 4 && b == 8 && s == 1 && d == 0);
	chart_nice_axis(0, 7420, 4, &a, &b, &s, &d);
	mu_check(a == 0 && b == 8000 && s == 2000 && d == 0);
	chart_nice_axis(0, 1.31, 5, &a, &b, &s, &d);
	mu_check_msg(a == 0 && fabs(b - 1.5) < 1e-12 && fabs(s - 0.5) < 1e-12 &&
	             d == 1, "a %g b %g s %g d %d", a, b, s, d);
	chart_nice_axis(0, 0.9, 4, &a, &b, &s, &d);
	mu_check_msg(fabs(s - 0.25) < 1e-12 && d == 2, "s %g d %d", s, d);
}

static void test_formats(void)
{
	unsigned f;
	mu_check_int(chart_parse_formats("png,svg,pdf", &f), 0);
	mu_check_int(f, CHART_PNG | CHART_SVG | CHART_PDF);
	mu_check_int(chart_parse_formats("svg", &f), 0);
	mu_check_int(f, CHART_SVG);
	mu_check_int(chart_parse_formats("png,gif", &f), -1);
	mu_check_int(chart_parse_formats("", &f), -1);
	mu_check_int(chart_index("dtks_vs_bps"), 4);
	mu_check_int(chart_index("pie"), -1);
}

/* Every chart of the table has its title key, and the key table has it. */
static void test_table(void)
{
	const struct angka_key_def *keys = chart_config_keys();
	size_t n = 0;
	for (size_t i = 0; chart_table[i]; i++, n++) {
		const struct chart_def *d = chart_table[i];
		char want[128];
		snprintf(want, sizeof want, "title_%s", d->name);
		mu_check_str(d->title_key, want);
		mu_check_int(chart_index(d->name), (int)i);
		mu_check(d->needs != 0 && d->build != NULL);
		const struct angka_key_def *k = keys;
		while (k->key && strcmp(k->key, want) != 0)
			k++;
		mu_check_msg(k->key != NULL, "no config key %s", want);
	}
	mu_check(n <= CHART_MAX);
	mu_check_int((int)n, 8);
}

/* Names of chart_select(given) joined by spaces. */
static const char *selected(unsigned given, char *buf, size_t cap)
{
	const char *names[CHART_MAX];
	size_t n = chart_select(given, names), l = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && l < cap; i++)
		l += (size_t)snprintf(buf + l, cap - l, "%s%s", i ? " " : "",
		                      names[i]);
	return buf;
}

/* `available` draws what the driver drew for each set of inputs. */
static void test_select(void)
{
	char b[512];
	const unsigned H = CHART_NEEDS_HISTORY, R = CHART_NEEDS_REGISTRY,
	               P = CHART_NEEDS_PROGRAMMES, S = CHART_NEEDS_SAE,
	               K = CHART_NEEDS_KOMODITAS;
	mu_check_str(selected(H, b, sizeof b), "p0_trend miskin_p0 p1_p2");
	mu_check_str(selected(R, b, sizeof b), "dtks_kecamatan");
	mu_check_str(selected(R | P, b, sizeof b),
	             "dtks_kecamatan program_kecamatan");
	mu_check_str(selected(H | R, b, sizeof b),
	             "p0_trend miskin_p0 p1_p2 dtks_kecamatan dtks_vs_bps");
	mu_check_str(selected(H | R | P, b, sizeof b),
	             "p0_trend miskin_p0 p1_p2 dtks_kecamatan dtks_vs_bps "
	             "program_kecamatan");
	mu_check_str(selected(S, b, sizeof b), "sae_kecamatan");
	mu_check_str(selected(H | R | P | S, b, sizeof b),
	             "p0_trend miskin_p0 p1_p2 dtks_kecamatan dtks_vs_bps "
	             "program_kecamatan sae_kecamatan");
	mu_check_str(selected(K, b, sizeof b), "komoditas_gk");
	mu_check_str(selected(H | K, b, sizeof b),
	             "p0_trend miskin_p0 p1_p2 komoditas_gk");
	mu_check_str(selected(~0u, b, sizeof b), selected(H | R | P | S | K,
	                                                  b + 256, 256));
	mu_check_str(selected(0, b, sizeof b), "");
}

int main(void)
{
	mu_run(test_numbers);
	mu_run(test_quote);
	mu_run(test_axis);
	mu_run(test_formats);
	mu_run(test_table);
	mu_run(test_select);
	return mu_report("test_chart");
}
