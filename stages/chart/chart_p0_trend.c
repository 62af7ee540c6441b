/*
 * chart_p0_trend.c - the chart p0_trend: P0 of domain total, computed (line
 * and points) with its 95 % confidence band, and the published P0; the data
 * labels of a year go above and below so that the two never collide.
 */
#include "chart_shared.h"

#include <math.h>
#include <stdlib.h>

static enum angka_err build_p0_trend(struct chart_ctx *c, struct chart_plot *p,
                                     struct angka_error *e)
{
	struct pt *h = NULL, *t = NULL;
	size_t nh = chart_history_points(&c->hist, c->kode, "total", "P0",
	                                 "hitung", &h);
	size_t nt = chart_history_points(&c->hist, c->kode, "total", "P0",
	                                 "terbitan", &t);
	if (!nh && !nt) {
		free(h);
		free(t);
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'p0_trend': no P0 rows for "
		                 "region '%s' in '%s'", c->kode, c->hist.path);
	}
	int y0, y1;
	chart_span_years(h, nh, t, nt, &y0, &y1);
	char span[32], tbuf[512];
	chart_year_span(y0, y1, span, sizeof span);
	chart_gp_begin(c, p, "P0 trend with its 95 % confidence band and the "
	               "published points", chart_title(c, W_TITLE_P0, tbuf,
	                                               sizeof tbuf, span));
	double lo = INFINITY, hi = -INFINITY;
	chart_pts_range(h, nh, 1, &lo, &hi);
	chart_pts_range(t, nt, 0, &lo, &hi);
	double a, b, step;
	int dec;
	chart_nice_axis(lo, hi, 5, &a, &b, &step, &dec);
	if (a < 0 && lo >= 0)
		a = 0;
	/* Labels above the computed points and below the published ones,
	 * swapped in a year where the published value is the higher. */
	double off = (b - a) * 0.075;
	for (size_t i = 0; i < nh; i++) {
		int up = 1;
		for (size_t j = 0; j < nt; j++)
			if (t[j].x == h[i].x && t[j].est > h[i].est)
				up = 0;
		h[i].laby = h[i].est + (up ? off : -off);
		for (size_t j = 0; j < nt; j++)
			if (t[j].x == h[i].x)
				t[j].laby = t[j].est + (up ? -off : off);
	}
	for (size_t j = 0; j < nt; j++)
		if (isnan(t[j].laby))
			t[j].laby = t[j].est - off;
	chart_gp_year_axis(p, y0, y1);
	/* Head room above the top tick for the data labels. */
	chart_gp_value_axis(c, p, "y", a, b + step * 0.35, a, b, step, dec);
	chart_gp_set_text(p, "ylabel", W(c, W_PERSEN), NULL);
	const char *foot[1] = { chart_count_hollow(h, nh) ? W(c, W_HOLLOW) : NULL };
	chart_gp_notes(p, c->cc->source ? c->cc->source : W(c, W_SOURCE), foot, 1, 0);
	chart_dat_series(c, p, "P0 hitung (computed)", h, nh, 2);
	chart_dat_series(c, p, "P0 terbitan (published)", t, nt, 2);

	struct chart_buf cmd = { 0 };
	const char *sep = "plot ";
	if (nh) {
		chart_buf_printf(&cmd, "%sdat index 0 using 1:3:4 with filledcurves "
		                 "fc rgb '%s' fs solid 1.0 noborder title ", sep,
		                 C_BAND);
		chart_gp_quote(&cmd, W(c, W_CI));
		chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:2 with lines "
		                 "lc rgb '%s' lw 1.5 dt 1 notitle", C_DARK);
		if (chart_count_hollow(h, nh) < nh)
			chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:5 with "
			                 "points pt 7 ps 0.7 lc rgb '%s' notitle", C_DARK);
		chart_buf_printf(&cmd, ", \\\n  keyentry with linespoints lc rgb "
		                 "'%s' lw 1.5 pt 7 ps 0.7 title ", C_DARK);
		chart_gp_quote(&cmd, W(c, W_HITUNG));
		if (chart_count_hollow(h, nh))
			chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:6 with points "
			                 "pt 7 ps 0.7 lc rgb 'white' notitle, \\\n  '' "
			                 "index 0 using 1:6 with points pt 6 ps 0.7 lc "
			                 "rgb '%s' notitle", C_DARK);
		chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:8:7 with labels "
		                 "font ',7.5' tc rgb '%s' notitle", C_DARK);
		sep = ", \\\n  ";
	}
	if (nt) {
		/* Empty blocks do not count as gnuplot indexes. */
		int ti = nh ? 1 : 0;
		chart_buf_printf(&cmd, "%sdat index %d using 1:2 with points pt 5 "
		                 "ps 0.65 lc rgb '%s' title ", sep, ti, C_MID);
		chart_gp_quote(&cmd, W(c, W_RESMI));
		chart_buf_printf(&cmd, ", \\\n  dat index %d using 1:8:7 with labels "
		                 "font ',7.5' tc rgb '%s' notitle", ti, C_MID);
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
	free(h);
	free(t);
	return ANGKA_OK;
}

const struct chart_def chart_p0_trend = {
	.name = "p0_trend",
	.needs = CHART_NEEDS_HISTORY,
	.title_key = "title_p0_trend",
	.build = build_p0_trend
};
