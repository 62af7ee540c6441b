/*
 * chart_miskin_p0.c - the chart miskin_p0: the computed number of poor
 * people (bars) with the computed P0 (dashed line on the right axis, in a
 * band above the bars).
 */
#include "chart_shared.h"

#include <math.h>
#include <stdlib.h>

/*
 * Map [lo, hi] onto the band [f0, f1] of an axis: returns the axis range
 * in *ra, *rb (used to keep the P0 line above the bars).
 */
static void band_range(double lo, double hi, double f0, double f1, double *ra,
                       double *rb)
{
	double span = hi > lo ? (hi - lo) / (f1 - f0) : 1;
	*ra = lo - f0 * span;
	*rb = *ra + span;
}

static enum angka_err build_miskin_p0(struct chart_ctx *c, struct chart_plot *p,
                                      struct angka_error *e)
{
	struct pt *m = NULL, *q = NULL;
	size_t nm = chart_history_points(&c->hist, c->kode, "total",
	                                 "jumlah_miskin", "hitung", &m);
	size_t nq = chart_history_points(&c->hist, c->kode, "total", "P0",
	                                 "hitung", &q);
	if (!nm) {
		free(m);
		free(q);
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'miskin_p0': no computed "
		                 "jumlah_miskin rows for region '%s' in '%s'",
		                 c->kode, c->hist.path);
	}
	int y0, y1;
	chart_span_years(m, nm, q, nq, &y0, &y1);
	char span[32], tbuf[512];
	chart_year_span(y0, y1, span, sizeof span);
	chart_gp_begin(c, p, "number of poor people (bars) and P0 (line, right "
	               "axis)", chart_title(c, W_TITLE_MISKIN, tbuf, sizeof tbuf,
	                                    span));
	double lo = 0, hi = -INFINITY;
	chart_pts_range(m, nm, 0, &lo, &hi);
	double a, b, step;
	int dec;
	chart_nice_axis(0, hi, 4, &a, &b, &step, &dec);
	chart_gp_year_axis(p, y0, y1);
	/* Bars use the lower 62 % of the height, the P0 line the band above. */
	chart_gp_value_axis(c, p, "y", 0, b / 0.62, 0, b, step, dec);
	chart_gp_set_text(p, "ylabel", W(c, W_MISKIN_BAR), NULL);
	if (nq) {
		double plo = INFINITY, phi = -INFINITY, pa, pb, pstep, ra, rb;
		int pdec;
		chart_pts_range(q, nq, 0, &plo, &phi);
		chart_nice_axis(plo, phi, 2, &pa, &pb, &pstep, &pdec);
		band_range(pa, pb, 0.68, 0.93, &ra, &rb);
		chart_gp_value_axis(c, p, "y2", ra, rb, pa, pb, pstep, pdec);
		chart_gp_line(p, "set y2tics nomirror out scale 0.5 tc rgb '%s'", C_MID);
		chart_gp_set_text(p, "y2label", W(c, W_P0_LINE), NULL);
		chart_gp_line(p, "set rmargin 9");
	}
	chart_gp_line(p, "set boxwidth 0.6");
	const char *foot[1] = { chart_count_hollow(m, nm) ? W(c, W_HOLLOW_BAR)
	                                                  : NULL };
	chart_gp_notes(p, c->cc->source ? c->cc->source : W(c, W_SOURCE), foot, 1, 0);
	chart_dat_series(c, p, "jumlah_miskin hitung (computed)", m, nm, 0);
	chart_dat_series(c, p, "P0 hitung (computed)", q, nq, 2);

	struct chart_buf cmd = { 0 };
	chart_buf_printf(&cmd, "plot keyentry with boxes fc rgb '%s' fs solid 1.0 "
	                 "noborder title ", C_LIGHT);
	chart_gp_quote(&cmd, W(c, W_MISKIN_BAR));
	if (chart_count_hollow(m, nm) < nm)
		chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:5 with boxes "
		                 "fc rgb '%s' fs solid 1.0 noborder notitle", C_LIGHT);
	if (chart_count_hollow(m, nm))
		chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:6 with boxes "
		                 "lc rgb '%s' lw 1.2 fs empty border notitle", C_DARK);
	/* Counts inside the bars, near their top. */
	chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:2:7 with labels "
	                 "offset 0,-0.8 font ',7.5' tc rgb '%s' notitle", C_DARK);
	if (nq) {
		chart_buf_printf(&cmd, ", \\\n  dat index 1 using 1:2 axes x1y2 with "
		                 "lines lc rgb '%s' lw 1.5 dt 2 notitle", C_MID);
		chart_buf_printf(&cmd, ", \\\n  keyentry with linespoints lc rgb '%s' "
		                 "lw 1.5 dt 2 pt 5 ps 0.65 title ", C_MID);
		chart_gp_quote(&cmd, W(c, W_P0_LINE));
		if (chart_count_hollow(q, nq) < nq)
			chart_buf_printf(&cmd, ", \\\n  dat index 1 using 1:5 axes x1y2 "
			                 "with points pt 5 ps 0.65 lc rgb '%s' notitle",
			                 C_MID);
		if (chart_count_hollow(q, nq))
			chart_buf_printf(&cmd, ", \\\n  dat index 1 using 1:6 axes x1y2 "
			                 "with points pt 5 ps 0.65 lc rgb 'white' notitle, "
			                 "\\\n  dat index 1 using 1:6 axes x1y2 with points "
			                 "pt 4 ps 0.65 lc rgb '%s' notitle", C_MID);
		chart_buf_printf(&cmd, ", \\\n  dat index 1 using 1:2:7 axes x1y2 "
		                 "with labels offset 0,0.9 font ',7.5' tc rgb '%s' "
		                 "notitle", C_MID);
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
	free(m);
	free(q);
	return ANGKA_OK;
}

const struct chart_def chart_miskin_p0 = {
	.name = "miskin_p0",
	.needs = CHART_NEEDS_HISTORY,
	.title_key = "title_miskin_p0",
	.build = build_miskin_p0
};
