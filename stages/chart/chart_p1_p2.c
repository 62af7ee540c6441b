/*
 * chart_p1_p2.c - the chart p1_p2: computed P1 and P2 with 95 % confidence
 * intervals, and the published P1 and P2 (open black markers).
 */
#include "chart_shared.h"

#include <math.h>
#include <stdlib.h>

static enum angka_err build_p1_p2(struct chart_ctx *c, struct chart_plot *p,
                                  struct angka_error *e)
{
	struct pt *s[4] = { NULL };
	size_t n[4];
	n[0] = chart_history_points(&c->hist, c->kode, "total", "P1", "hitung",
	                            &s[0]);
	n[1] = chart_history_points(&c->hist, c->kode, "total", "P2", "hitung",
	                            &s[1]);
	n[2] = chart_history_points(&c->hist, c->kode, "total", "P1", "terbitan",
	                            &s[2]);
	n[3] = chart_history_points(&c->hist, c->kode, "total", "P2", "terbitan",
	                            &s[3]);
	enum angka_err rc = ANGKA_OK;
	if (!n[0] && !n[1] && !n[2] && !n[3]) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "chart 'p1_p2': no P1 or P2 rows for "
		               "region '%s' in '%s'", c->kode, c->hist.path);
		goto cleanup;
	}
	int y0 = 99999, y1 = -99999;
	for (int k = 0; k < 4; k++) {
		int a, b;
		chart_span_years(s[k], n[k], NULL, 0, &a, &b);
		if (a < y0) y0 = a;
		if (b > y1) y1 = b;
	}
	char span[32], tbuf[512];
	chart_year_span(y0, y1, span, sizeof span);
	chart_gp_begin(c, p, "P1 and P2 trend with 95 % confidence intervals",
	               chart_title(c, W_TITLE_P1P2, tbuf, sizeof tbuf, span));
	double lo = 0, hi = -INFINITY, a, b, step;
	int dec;
	for (int k = 0; k < 4; k++)
		chart_pts_range(s[k], n[k], k < 2, &lo, &hi);
	chart_nice_axis(0, hi, 5, &a, &b, &step, &dec);
	chart_gp_year_axis(p, y0, y1);
	chart_gp_value_axis(c, p, "y", 0, b + step * 0.3, 0, b, step, dec);
	chart_gp_set_text(p, "ylabel", W(c, W_INDEX), NULL);
	const char *foot[2] = {
		n[0] || n[1] ? W(c, W_ERRBAR) : NULL,
		chart_count_hollow(s[0], n[0]) + chart_count_hollow(s[1], n[1])
		? W(c, W_HOLLOW) : NULL
	};
	chart_gp_notes(p, c->cc->source ? c->cc->source : W(c, W_SOURCE), foot, 2, 0);
	static const char *const comment[4] = {
		"P1 hitung (computed)", "P2 hitung (computed)",
		"P1 terbitan (published)", "P2 terbitan (published)"
	};
	/* Empty blocks do not count as gnuplot indexes: number the others. */
	int ix[4], next = 0;
	for (int k = 0; k < 4; k++) {
		chart_dat_series(c, p, comment[k], s[k], n[k], 2);
		ix[k] = n[k] ? next++ : -1;
	}

	/* P1: dark, solid line, circles; P2: mid, dashed, triangles. */
	static const int dt[2] = { 1, 2 }, pt_full[2] = { 7, 9 },
	                 pt_open[2] = { 6, 8 }, pub_pt[2] = { 4, 12 };
	static const char *const col[2] = { C_DARK, C_MID };
	static const int name_w[2] = { W_P1, W_P2 }, pub_w[2] = { W_P1_RESMI,
	                                                          W_P2_RESMI };
	struct chart_buf cmd = { 0 };
	const char *sep = "plot ";
	for (int k = 0; k < 2; k++) {
		if (!n[k])
			continue;
		chart_buf_printf(&cmd, "%sdat index %d using 1:2:3:4 with yerrorbars "
		                 "pt -1 lc rgb '%s' lw 0.8 notitle", sep, ix[k], col[k]);
		sep = ", \\\n  ";
		chart_buf_printf(&cmd, "%sdat index %d using 1:2 with lines lc rgb "
		                 "'%s' lw 1.5 dt %d notitle", sep, ix[k], col[k], dt[k]);
		if (chart_count_hollow(s[k], n[k]) < n[k])
			chart_buf_printf(&cmd, "%sdat index %d using 1:5 with points "
			                 "lc rgb '%s' pt %d ps 0.7 notitle", sep, ix[k],
			                 col[k], pt_full[k]);
		/* The key sample: line and marker together. */
		chart_buf_printf(&cmd, "%skeyentry with linespoints lc rgb '%s' "
		                 "lw 1.5 dt %d pt %d ps 0.7 title ", sep, col[k],
		                 dt[k], pt_full[k]);
		chart_gp_quote(&cmd, W(c, name_w[k]));
		if (chart_count_hollow(s[k], n[k]))
			chart_buf_printf(&cmd, "%sdat index %d using 1:6 with points pt %d "
			                 "ps 0.7 lc rgb 'white' notitle%sdat index %d "
			                 "using 1:6 with points pt %d ps 0.7 lc rgb '%s' "
			                 "notitle", sep, ix[k], pt_full[k], sep, ix[k], pt_open[k],
			                 col[k]);
		/* Labels right of and above the points, clear of the bars. */
		chart_buf_printf(&cmd, "%sdat index %d using 1:2:7 with labels "
		                 "offset 1.8,0.8 font ',7.5' tc rgb '%s' notitle", sep,
		                 k, col[k]);
	}
	for (int k = 0; k < 2; k++) {
		if (!n[2 + k])
			continue;
		chart_buf_printf(&cmd, "%sdat index %d using 1:2 with points pt %d "
		                 "ps 0.65 lc rgb '%s' title ", sep, ix[2 + k], pub_pt[k],
		                 C_PUB);
		sep = ", \\\n  ";
		chart_gp_quote(&cmd, W(c, pub_w[k]));
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
cleanup:
	for (int k = 0; k < 4; k++)
		free(s[k]);
	return rc;
}

const struct chart_def chart_p1_p2 = {
	.name = "p1_p2",
	.needs = CHART_NEEDS_HISTORY,
	.title_key = "title_p1_p2",
	.build = build_p1_p2
};
