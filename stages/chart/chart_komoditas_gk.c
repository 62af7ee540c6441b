/*
 * chart_komoditas_gk.c - the chart komoditas_gk: the commodities that
 * contribute most to the poverty line (BPS's "komoditas penyumbang
 * terbesar"), as a share of GK in %, urban and rural bars side by side,
 * from angka-garis's komoditas_gk.csv, for one year.
 */
#include "chart_shared.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The commodities shown: the largest, as BPS's release tables. */
#define TOP 10

static int kom_row(struct chart_ctx *c, const struct ctab *t, size_t i)
{
	return kode_eq(ctab_get(t, i, ctab_col(t, "kode_wilayah")), c->kode);
}

static enum angka_err build_komoditas_gk(struct chart_ctx *c,
                                         struct chart_plot *p,
                                         struct angka_error *e)
{
	const struct ctab *t = &c->kom;
	long year = c->cc->tahun ? c->cc->tahun : chart_latest_year(t, kom_row, c);
	int ct = ctab_col(t, "tahun"), cd = ctab_col(t, "domain"),
	    ck = ctab_col(t, "kode"), cn = ctab_col(t, "nama"),
	    cv = ctab_col(t, "porsi_gk_pct");
	/* v[0] perkotaan, v[1] perdesaan, v[2] total. */
	static const char *const dom[3] = { "perkotaan", "perdesaan", "total" };
	struct kec *ks = NULL;
	size_t n = 0;
	for (size_t i = 0; i < t->nrow; i++) {
		if (!kom_row(c, t, i) || num(ctab_get(t, i, ct)) != (double)year)
			continue;
		const char *d = ctab_get(t, i, cd);
		int k = 0;
		while (k < 3 && strcmp(d, dom[k]) != 0)
			k++;
		double v = num(ctab_get(t, i, cv));
		if (k == 3 || !isfinite(v))
			continue;
		struct kec *kc = chart_kec_find(&ks, &n, ctab_get(t, i, ck));
		kc->v[k] = v;
		if (!kc->nama[0])
			snprintf(kc->nama, sizeof kc->nama, "%s", ctab_get(t, i, cn));
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		/* Ranked by the share of the total line, else the larger of
		 * the urban and rural shares. */
		ks[i].total = isfinite(ks[i].v[2]) ? ks[i].v[2]
		            : fmax(isfinite(ks[i].v[0]) ? ks[i].v[0] : 0,
		                   isfinite(ks[i].v[1]) ? ks[i].v[1] : 0);
		if (isfinite(ks[i].v[0]) || isfinite(ks[i].v[1]))
			ks[m++] = ks[i];
	}
	n = m;
	if (!n) {
		free(ks);
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'komoditas_gk': no "
		                 "perkotaan or perdesaan rows for region '%s' in "
		                 "'%s'", c->kode, t->path);
	}
	/* Ascending (the largest drawn on top): keep the last TOP. */
	qsort(ks, n, sizeof *ks, chart_kec_cmp);
	struct kec *top = ks + (n > TOP ? n - TOP : 0);
	size_t nt = n > TOP ? TOP : n;
	double hi = 0;
	for (size_t i = 0; i < nt; i++)
		for (int k = 0; k < 2; k++)
			if (top[i].v[k] > hi)
				hi = top[i].v[k];
	char span[32], tbuf[512], lab[64];
	snprintf(span, sizeof span, "%ld", year);
	chart_gp_begin(c, p, "the commodities contributing most to the poverty "
	               "line (share of GK in %), urban and rural",
	               chart_title(c, W_TITLE_KOMODITAS, tbuf, sizeof tbuf, span));
	chart_gp_kec_axis(c, p, nt, hi, 1.18);
	/* Room for the longest name (BPS names run to 34 characters,
	 * "Perkiraan sewa rumah milik sendiri"): ~0.85 of a character
	 * each (UTF-8 continuation bytes not counted), longer ones cut. */
	size_t w = 0;
	for (size_t i = 0; i < nt; i++) {
		size_t l = 0;
		for (const char *q = top[i].nama; *q; q++)
			l += ((unsigned char)*q & 0xC0) != 0x80;
		if (l > 40) {
			/* Cut at a character boundary, then "...". */
			size_t b = 0;
			for (size_t k = 0; top[i].nama[b] && k < 37; k++)
				for (b++; ((unsigned char)top[i].nama[b] & 0xC0) == 0x80; b++)
					;
			snprintf(top[i].nama + b, sizeof top[i].nama - b, "...");
			l = 40;
		}
		if (l > w)
			w = l;
	}
	chart_gp_line(p, "set lmargin %d", w < 14 ? 14 : (int)(w * 0.85) + 3);
	chart_gp_line(p, "set key width 1");
	chart_gp_set_text(p, "xlabel", W(c, W_PORSI_GK), NULL);
	const char *foot[1] = { W(c, W_KOMODITAS_NOTE) };
	chart_gp_notes(p, c->cc->source ? c->cc->source : W(c, W_SOURCE), foot,
	               1, 1);
	chart_buf_printf(&p->dat, "# share of the poverty line per commodity, "
	                 "%ld (top %zu of %zu)\n# row kode nama perkotaan "
	                 "label_perkotaan perdesaan label_perdesaan total\n",
	                 year, nt, n);
	for (size_t i = 0; i < nt; i++) {
		chart_buf_printf(&p->dat, "%zu", i);
		chart_dat_label(p, top[i].kode);
		chart_dat_label(p, top[i].nama);
		for (int k = 0; k < 2; k++) {
			chart_dat_num(p, top[i].v[k]);
			chart_dat_label(p, fmt(c, top[i].v[k], 2, lab, sizeof lab));
		}
		chart_dat_num(p, top[i].total);
		chart_buf_add(&p->dat, "\n", 1);
	}
	/* Urban (dark) above rural (light) in each row. */
	static const char *const col[2] = { C_DARK, C_LIGHT };
	static const int word[2] = { W_PERKOTAAN, W_PERDESAAN };
	struct chart_buf cmd = { 0 };
	for (int k = 0; k < 2; k++) {
		/* Labels 0.5 rows apart (~7.7 pt at 16 x 9 cm and ten rows):
		 * 6.5 pt labels (7.6 pt boxes) never touch. */
		chart_gp_hbar_series(&cmd, k, k ? -0.25 : 0.25, 0.2, col[k],
		                     W(c, word[k]), 6.5);
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
	free(ks);
	return ANGKA_OK;
}

const struct chart_def chart_komoditas_gk = {
	.name = "komoditas_gk",
	.needs = CHART_NEEDS_KOMODITAS,
	.title_key = "title_komoditas_gk",
	.build = build_komoditas_gk
};
