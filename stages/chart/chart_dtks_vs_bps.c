/*
 * chart_dtks_vs_bps.c - the chart dtks_vs_bps: per year, the DTKS
 * individuals of the kabupaten next to the published BPS number of poor
 * people (the March figure of the history's terbitan rows, else
 * jumlah_miskin_bps of the registry) and angka's own estimate from SUSENAS
 * (the history's hitung rows, else jumlah_miskin_hitung of the registry),
 * each bar labelled with its source: a computed estimate is never shown as
 * BPS's.
 */
#include "chart_shared.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static enum angka_err build_dtks_vs_bps(struct chart_ctx *c,
                                        struct chart_plot *p,
                                        struct angka_error *e)
{
	const struct ctab *t = &c->reg;
	int ct = ctab_col(t, "tahun"), ci = ctab_col(t, "indikator"),
	    cv = ctab_col(t, "value");
	/* Years 1900..2199 indexed directly: small and simple. */
	enum { Y0 = 1900, NY = 300 };
	double dtks[NY], bps[NY], hit[NY];
	for (int i = 0; i < NY; i++)
		dtks[i] = bps[i] = hit[i] = NAN;
	for (size_t i = 0; i < t->nrow; i++) {
		double y = num(ctab_get(t, i, ct));
		const char *ind = ctab_get(t, i, ci);
		if (!chart_reg_is_total(c, t, i) || !(y >= Y0 && y < Y0 + NY))
			continue;
		if (strcmp(ind, "dtks_jiwa") == 0)
			dtks[(int)y - Y0] = num(ctab_get(t, i, cv));
		else if (strcmp(ind, "jumlah_miskin_bps") == 0)
			bps[(int)y - Y0] = num(ctab_get(t, i, cv));
		else if (strcmp(ind, "jumlah_miskin_hitung") == 0)
			hit[(int)y - Y0] = num(ctab_get(t, i, cv));
	}
	/* The history, when given, for every year. */
	struct pt *h = NULL, *pb = NULL;
	size_t nh = 0, np = 0;
	if (c->have_hist) {
		nh = chart_history_points(&c->hist, c->kode, "total",
		                          "jumlah_miskin", "hitung", &h);
		np = chart_history_points(&c->hist, c->kode, "total",
		                          "jumlah_miskin", "terbitan", &pb);
	}
	for (size_t i = 0; i < nh; i++)
		if (h[i].x >= Y0 && h[i].x < Y0 + NY)
			hit[(int)h[i].x - Y0] = h[i].est;
	for (size_t i = 0; i < np; i++) {
		int y = (int)floor(pb[i].x);
		/* March figures only, so the years line up with SUSENAS. */
		if (y >= Y0 && y < Y0 + NY && pb[i].x == y)
			bps[y - Y0] = pb[i].est;
	}
	free(h);
	free(pb);
	/* Years with a DTKS count, and the other figures when there are. */
	int y0 = 0, y1 = 0, any_bps = 0, any_hit = 0;
	double hi = 0;
	for (int i = 0; i < NY; i++) {
		if (isnan(dtks[i]))
			continue;
		if (!y0)
			y0 = Y0 + i;
		y1 = Y0 + i;
		if (dtks[i] > hi) hi = dtks[i];
		if (bps[i] > hi) hi = bps[i];
		if (hit[i] > hi) hi = hit[i];
		any_bps |= isfinite(bps[i]);
		any_hit |= isfinite(hit[i]);
	}
	if (!y0)
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'dtks_vs_bps': no total "
		                 "dtks_jiwa rows for region '%s' in '%s'", c->kode,
		                 t->path);
	char span[32], tbuf[512], b1[64], b2[64], b3[64];
	chart_year_span(y0, y1, span, sizeof span);
	chart_gp_begin(c, p, "DTKS registered individuals against the published "
	               "BPS number of poor people and angka's estimate, per year",
	               chart_title(c, W_TITLE_DTKS_BPS, tbuf, sizeof tbuf, span));
	double a, b, step;
	int dec;
	chart_nice_axis(0, hi, 4, &a, &b, &step, &dec);
	chart_gp_year_axis(p, y0, y1);
	chart_gp_value_axis(c, p, "y", 0, b * 1.12, 0, b, step, dec);
	chart_gp_set_text(p, "ylabel", W(c, W_JIWA), NULL);
	chart_gp_line(p, "set boxwidth 0.26");
	const char *foot[1] = { NULL };
	chart_gp_notes(p, c->cc->source_registry ? c->cc->source_registry
	                                         : W(c, W_SOURCE_REG), foot, 1, 0);
	chart_buf_printf(&p->dat, "# tahun dtks_jiwa jumlah_miskin_bps "
	                 "jumlah_miskin_hitung dtks_label bps_label "
	                 "hitung_label\n");
	for (int y = y0; y <= y1; y++) {
		int i = y - Y0;
		if (isnan(dtks[i]) && isnan(bps[i]) && isnan(hit[i]))
			continue;
		chart_buf_printf(&p->dat, "%d", y);
		chart_dat_num(p, dtks[i]);
		chart_dat_num(p, bps[i]);
		chart_dat_num(p, hit[i]);
		chart_dat_label(p, fmt(c, dtks[i], 0, b1, sizeof b1));
		chart_dat_label(p, fmt(c, bps[i], 0, b2, sizeof b2));
		chart_dat_label(p, fmt(c, hit[i], 0, b3, sizeof b3));
		chart_buf_add(&p->dat, "\n", 1);
	}
	struct chart_buf cmd = { 0 };
	chart_buf_printf(&cmd, "plot dat using ($1-0.27):2 with boxes fc rgb '%s' "
	                 "fs solid 1.0 noborder title ", C_DARK);
	chart_gp_quote(&cmd, W(c, W_DTKS));
	chart_buf_printf(&cmd, ", \\\n  dat using ($1-0.27):2:5 with labels "
	                 "offset 0,0.6 font ',7' tc rgb '%s' notitle", C_DARK);
	if (any_bps) {
		chart_buf_printf(&cmd, ", \\\n  dat using 1:3 with boxes "
		                 "fc rgb '%s' fs solid 1.0 noborder title ", C_LIGHT);
		chart_gp_quote(&cmd, W(c, W_BPS));
		chart_buf_printf(&cmd, ", \\\n  dat using 1:3:6 with labels "
		                 "offset 0,0.6 font ',7' tc rgb '%s' notitle", C_DARK);
	}
	if (any_hit) {
		chart_buf_printf(&cmd, ", \\\n  dat using ($1+0.27):4 with boxes "
		                 "fc rgb '%s' fs solid 1.0 noborder title ", C_MID);
		chart_gp_quote(&cmd, W(c, W_MISKIN_HITUNG));
		chart_buf_printf(&cmd, ", \\\n  dat using ($1+0.27):4:7 with labels "
		                 "offset 0,0.6 font ',7' tc rgb '%s' notitle", C_DARK);
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
	return ANGKA_OK;
}

const struct chart_def chart_dtks_vs_bps = {
	.name = "dtks_vs_bps",
	.needs = CHART_NEEDS_REGISTRY,
	/* Both series from the history when it is given, else from the
	 * registry's jumlah_miskin_bps and jumlah_miskin_hitung. */
	.uses = CHART_NEEDS_HISTORY,
	.title_key = "title_dtks_vs_bps",
	.build = build_dtks_vs_bps
};
