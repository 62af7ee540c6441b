/*
 * chart_dtks_kecamatan.c - the chart dtks_kecamatan: DTKS individuals per
 * kecamatan (horizontal bars, largest on top) labelled with the count and
 * the share of the kecamatan population, for one year.
 */
#include "chart_shared.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reg_kec_row(struct chart_ctx *c, const struct ctab *t, size_t i)
{
	return chart_reg_kecamatan(c, t, i) &&
	       strcmp(ctab_get(t, i, ctab_col(t, "indikator")), "dtks_jiwa") == 0;
}

static enum angka_err build_dtks_kecamatan(struct chart_ctx *c,
                                           struct chart_plot *p,
                                           struct angka_error *e)
{
	const struct ctab *t = &c->reg;
	long year = c->cc->tahun ? c->cc->tahun : chart_latest_year(t, reg_kec_row, c);
	int ct = ctab_col(t, "tahun"), ci = ctab_col(t, "indikator"),
	    cv = ctab_col(t, "value"), cn = ctab_col(t, "catatan");
	struct kec *ks = NULL;
	size_t n = 0;
	/* The oldest population year behind the shares ("penduduk tahun Y"
	 * in registry.csv's catatan): a reader must know when it is old. */
	long pop_year = 0;
	for (size_t i = 0; i < t->nrow; i++) {
		const char *ind = ctab_get(t, i, ci);
		const char *kec = chart_reg_kecamatan(c, t, i);
		if (!kec || num(ctab_get(t, i, ct)) != (double)year)
			continue;
		int k = strcmp(ind, "dtks_jiwa") == 0 ? 0
		      : strcmp(ind, "share_penduduk_pct") == 0 ? 1 : -1;
		if (k < 0)
			continue;
		long py;
		if (k == 1 && cn >= 0 &&
		    sscanf(ctab_get(t, i, cn), "penduduk tahun %ld", &py) == 1 &&
		    (!pop_year || py < pop_year))
			pop_year = py;
		chart_kec_find(&ks, &n, kec)->v[k] = num(ctab_get(t, i, cv));
	}
	/* Drop kecamatan without a count. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(ks[i].v[0])) {
			ks[i].total = ks[i].v[0];
			ks[m++] = ks[i];
		}
	n = m;
	if (!n) {
		free(ks);
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'dtks_kecamatan': no "
		                 "dtks_jiwa rows per kecamatan for region '%s' in "
		                 "'%s'", c->kode, t->path);
	}
	qsort(ks, n, sizeof *ks, chart_kec_cmp);
	chart_kec_names(c, ks, n);
	char span[32], tbuf[512], b1[64], b2[64], lab[160];
	snprintf(span, sizeof span, "%ld", year);
	chart_gp_begin(c, p, "DTKS registered individuals per kecamatan (bars) with "
	               "their share of the kecamatan population",
	               chart_title(c, W_TITLE_DTKS_KEC, tbuf, sizeof tbuf, span));
	double hi = 0;
	for (size_t i = 0; i < n; i++)
		if (ks[i].v[0] > hi)
			hi = ks[i].v[0];
	chart_gp_kec_axis(c, p, n, hi, 1.22);
	chart_gp_line(p, "unset key");
	chart_gp_line(p, "set tmargin 3");
	chart_gp_set_text(p, "xlabel", W(c, W_SHARE), NULL);
	char popnote[160];
	const char *foot[1] = { NULL };
	if (pop_year && pop_year != year) {
		snprintf(popnote, sizeof popnote, c->cc->lang == CHART_EN
		         ? "Shares of the %ld population (latest available)"
		         : "Persen terhadap penduduk tahun %ld (data terbaru)",
		         pop_year);
		foot[0] = popnote;
	}
	chart_gp_notes(p, c->cc->source_registry ? c->cc->source_registry
	                                         : W(c, W_SOURCE_REG), foot, 1, 1);
	chart_buf_printf(&p->dat, "# DTKS per kecamatan, %ld\n# row kode nama "
	                 "dtks_jiwa share_penduduk_pct label\n", year);
	for (size_t i = 0; i < n; i++) {
		fmt(c, ks[i].v[0], 0, b1, sizeof b1);
		if (isfinite(ks[i].v[1]))
			snprintf(lab, sizeof lab, "%s (%s %%)", b1,
			         fmt(c, ks[i].v[1], 1, b2, sizeof b2));
		else
			snprintf(lab, sizeof lab, "%s", b1);
		chart_buf_printf(&p->dat, "%zu", i);
		chart_dat_label(p, ks[i].kode);
		chart_dat_label(p, ks[i].nama);
		chart_dat_num(p, ks[i].v[0]);
		chart_dat_num(p, ks[i].v[1]);
		chart_dat_label(p, lab);
		chart_buf_add(&p->dat, "\n", 1);
	}
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "plot dat using (0):1:(0):4:($1-0.32):($1+0.32)"
	         ":ytic(3) with boxxyerror fc rgb '%s' fs solid 1.0 noborder, \\\n"
	         "  dat using 4:1:6 with labels left offset 0.6,0 font ',7.5' "
	         "tc rgb '%s'", C_DARK, C_DARK);
	chart_gp_terminals(c, p, cmd);
	free(ks);
	return ANGKA_OK;
}

const struct chart_def chart_dtks_kecamatan = {
	.name = "dtks_kecamatan",
	.needs = CHART_NEEDS_REGISTRY,
	.title_key = "title_dtks_kecamatan",
	.build = build_dtks_kecamatan
};
