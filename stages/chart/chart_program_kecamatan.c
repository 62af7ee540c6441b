/*
 * chart_program_kecamatan.c - the chart program_kecamatan: programme
 * recipients per kecamatan, one bar per programme (up to 4), for one year.
 */
#include "chart_shared.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int prog_row(struct chart_ctx *c, const struct ctab *t, size_t i)
{
	return chart_kode_within(ctab_get(t, i, ctab_col(t, "kode_wilayah")),
	                         c->kode) &&
	       strcmp(ctab_get(t, i, ctab_col(t, "indikator")), "penerima") == 0;
}

static enum angka_err build_program_kecamatan(struct chart_ctx *c,
                                              struct chart_plot *p,
                                              struct angka_error *e)
{
	const struct ctab *t = &c->prog;
	long year = c->cc->tahun ? c->cc->tahun : chart_latest_year(t, prog_row, c);
	int ct = ctab_col(t, "tahun"), cp = ctab_col(t, "program"),
	    cv = ctab_col(t, "value"), ck = ctab_col(t, "kode_wilayah");
	char prog[4][32];
	int nprog = 0;
	struct kec *ks = NULL;
	size_t n = 0;
	for (size_t i = 0; i < t->nrow; i++) {
		if (!prog_row(c, t, i) || num(ctab_get(t, i, ct)) != (double)year)
			continue;
		const char *pg = ctab_get(t, i, cp);
		int k = 0;
		while (k < nprog && strcasecmp(prog[k], pg) != 0)
			k++;
		if (k == nprog) {
			if (nprog == 4)
				return free(ks), ANGKA_ERR(e, ANGKA_EDATA, "chart "
				       "'program_kecamatan': more than 4 programmes in "
				       "'%s'", t->path);
			/* Displayed upper-case: "uep" is the programme UEP. */
			snprintf(prog[nprog], sizeof prog[0], "%s", pg);
			for (char *q = prog[nprog]; *q; q++)
				if (*q >= 'a' && *q <= 'z')
					*q = (char)(*q - 'a' + 'A');
			nprog++;
		}
		struct kec *kc = chart_kec_find(&ks, &n, ctab_get(t, i, ck));
		double v = num(ctab_get(t, i, cv));
		kc->v[k] = isnan(kc->v[k]) ? v : kc->v[k] + v;
	}
	if (!n) {
		free(ks);
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'program_kecamatan': no "
		                 "'penerima' rows for kecamatan of region '%s' in "
		                 "'%s'", c->kode, t->path);
	}
	double hi = 0;
	for (size_t i = 0; i < n; i++) {
		ks[i].total = 0;
		for (int k = 0; k < nprog; k++) {
			if (isfinite(ks[i].v[k]))
				ks[i].total += ks[i].v[k];
			if (ks[i].v[k] > hi)
				hi = ks[i].v[k];
		}
	}
	qsort(ks, n, sizeof *ks, chart_kec_cmp);
	chart_kec_names(c, ks, n);
	char span[32], tbuf[512], lab[64];
	snprintf(span, sizeof span, "%ld", year);
	char what[256] = "";
	if (!c->title) {
		/* "Penerima KUBE dan UEP per kecamatan" from the programmes found. */
		size_t l = 0;
		l += (size_t)snprintf(what + l, sizeof what - l, "%s",
		                      c->lang == CHART_ID ? "Penerima " : "");
		for (int k = 0; k < nprog && l < sizeof what; k++)
			l += (size_t)snprintf(what + l, sizeof what - l, "%s%s",
			                      k == 0 ? "" : k == nprog - 1
			                      ? (c->lang == CHART_ID ? " dan " : " and ")
			                      : ", ", prog[k]);
		if (l < sizeof what)
			snprintf(what + l, sizeof what - l, "%s",
			         c->lang == CHART_ID ? " per kecamatan"
			                             : " recipients by district");
		snprintf(tbuf, sizeof tbuf, "%s, %s, %s", what, c->nama, span);
	}
	chart_gp_begin(c, p, "programme recipients per kecamatan, one bar per "
	               "programme", c->title ? c->title : tbuf);
	chart_gp_kec_axis(c, p, n, hi, 1.15);
	/* Short programme names: no negative key width, or they overlap. */
	chart_gp_line(p, "set key width 1");
	chart_gp_set_text(p, "xlabel", W(c, W_PENERIMA), NULL);
	chart_gp_notes(p, c->cc->source_registry ? c->cc->source_registry
	                                         : W(c, W_SOURCE_REG), NULL, 0, 1);
	chart_buf_printf(&p->dat, "# recipients per kecamatan, %ld\n# row kode "
	                 "nama", year);
	for (int k = 0; k < nprog; k++)
		chart_buf_printf(&p->dat, " %s label_%s", prog[k], prog[k]);
	chart_buf_add(&p->dat, "\n", 1);
	for (size_t i = 0; i < n; i++) {
		chart_buf_printf(&p->dat, "%zu", i);
		chart_dat_label(p, ks[i].kode);
		chart_dat_label(p, ks[i].nama);
		for (int k = 0; k < nprog; k++) {
			chart_dat_num(p, ks[i].v[k]);
			chart_dat_label(p, fmt(c, ks[i].v[k], 0, lab, sizeof lab));
		}
		chart_buf_add(&p->dat, "\n", 1);
	}
	/* nprog bars per row, dark to light, the first on top. */
	static const char *const col[4] = { C_DARK, C_LIGHT, C_MID, "#BBBBBB" };
	double hw = 0.8 / nprog / 2 * 0.9;
	struct chart_buf cmd = { 0 };
	for (int k = 0; k < nprog; k++) {
		chart_gp_hbar_series(&cmd, k, 0.4 - 0.8 / nprog * (k + 0.5), hw,
		                     col[k], prog[k], 7);
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
	free(ks);
	return ANGKA_OK;
}

const struct chart_def chart_program_kecamatan = {
	.name = "program_kecamatan",
	.needs = CHART_NEEDS_PROGRAMMES,
	.title_key = "title_program_kecamatan",
	.build = build_program_kecamatan
};
