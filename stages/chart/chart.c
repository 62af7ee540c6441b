/*
 * chart.c - angka-chart's run: load the inputs the charts need, choose
 * the region charted, and render each chart in turn (chart_render.c).
 * See chart.h and docs/charts.md.
 */
#include "chart.h"
#include "chart_draw.h"
#include "chart_render.h"
#include "chart_shared.h"
#include "chart_table.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------- inputs */

/* The number of inputs: bit k of enum chart_input is input k. */
#define NINPUTS 5

/* The path of input k (0 history, 1 registry, 2 programmes, 3 sae,
 * 4 komoditas), or NULL. */
static const char *input_path(const struct chart_config *cc, int k)
{
	return k == 0 ? cc->history : k == 1 ? cc->registry :
	       k == 2 ? cc->programmes : k == 3 ? cc->sae : cc->komoditas;
}

static enum angka_err need(struct chart_ctx *c, int which, const char *chart,
                           struct angka_error *e)
{
	static const char *const req_hist[] = { "tahun", "kode_wilayah", "domain",
	                                        "indikator", "estimate",
	                                        "sumber_data", NULL };
	static const char *const req_reg[] = { "tahun", "kode_wilayah", "domain",
	                                       "indikator", "value", NULL };
	static const char *const req_prog[] = { "tahun", "kode_wilayah", "program",
	                                        "indikator", "value", NULL };
	static const char *const req_sae[] = { "tahun", "kode_wilayah", "domain",
	                                       "indikator", "estimate",
	                                       "ci_lower", "ci_upper", "rse_pct",
	                                       "metode", NULL };
	static const char *const req_kom[] = { "tahun", "kode_wilayah", "domain",
	                                       "kode", "nama", "porsi_gk_pct",
	                                       NULL };
	static const char *const *const req[NINPUTS] = { req_hist, req_reg,
	                                                 req_prog, req_sae,
	                                                 req_kom };
	const char *path = input_path(c->cc, which);
	int *have = which == 0 ? &c->have_hist
	          : which == 1 ? &c->have_reg
	          : which == 2 ? &c->have_prog
	          : which == 3 ? &c->have_sae : &c->have_kom;
	struct ctab *t = which == 0 ? &c->hist : which == 1 ? &c->reg
	               : which == 2 ? &c->prog
	               : which == 3 ? &c->sae : &c->kom;
	static const char *const opt[NINPUTS] = { "--history", "--registry",
	                                          "--programmes", "--sae",
	                                          "--komoditas" };
	if (*have)
		return ANGKA_OK;
	if (!path)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "chart '%s' needs %s FILE (or "
		                 "[chart] %s)", chart, opt[which], opt[which] + 2);
	enum angka_err rc = chart_ctab_load(t, path, req[which], e);
	if (rc == ANGKA_OK)
		*have = 1;
	return rc;
}

/* The region charted: config, else the first total P0 row of the history,
 * else the first row of whichever table is loaded (sae.csv and
 * komoditas_gk.csv: their kode_wilayah column, the kabupaten). */
static void pick_region(struct chart_ctx *c)
{
	if (c->kode)
		return;
	if (c->cc->kode_wilayah) {
		c->kode = c->cc->kode_wilayah;
	} else if (c->have_hist && c->hist.nrow) {
		int ck = ctab_col(&c->hist, "kode_wilayah"),
		    cd = ctab_col(&c->hist, "domain");
		c->kode = ctab_get(&c->hist, 0, ck);
		for (size_t i = 0; i < c->hist.nrow; i++) {
			if (strcmp(ctab_get(&c->hist, i, cd), "total") == 0) {
				c->kode = ctab_get(&c->hist, i, ck);
				break;
			}
		}
	} else if (c->have_reg && c->reg.nrow) {
		int ck = ctab_col(&c->reg, "kode_wilayah"),
		    cd = ctab_col(&c->reg, "domain");
		c->kode = ctab_get(&c->reg, 0, ck);
		for (size_t i = 0; i < c->reg.nrow; i++) {
			const char *d = ctab_get(&c->reg, i, cd);
			if (strcmp(d, "total") == 0 || strcmp(d, "kabupaten") == 0) {
				c->kode = ctab_get(&c->reg, i, ck);
				break;
			}
		}
	} else if (c->have_prog && c->prog.nrow) {
		/* Programme rows are per kecamatan (or "total"): take the
		 * kabupaten part (4 digits) of the first code. */
		static char kab[16];
		int ck = ctab_col(&c->prog, "kode_wilayah");
		kab[0] = '\0';
		for (size_t i = 0; i < c->prog.nrow && !kab[0]; i++) {
			const char *k = ctab_get(&c->prog, i, ck);
			size_t j = 0;
			for (; *k && j < 4; k++)
				if (*k >= '0' && *k <= '9')
					kab[j++] = *k;
			kab[j] = '\0';
			if (j < 4)
				kab[0] = '\0';
		}
		c->kode = kab;
	} else if (c->have_sae && c->sae.nrow) {
		c->kode = ctab_get(&c->sae, 0, ctab_col(&c->sae, "kode_wilayah"));
	} else if (c->have_kom && c->kom.nrow) {
		c->kode = ctab_get(&c->kom, 0, ctab_col(&c->kom, "kode_wilayah"));
	} else {
		c->kode = "";
	}
	if (c->cc->nama_wilayah) {
		snprintf(c->nama, sizeof c->nama, "%s", c->cc->nama_wilayah);
	} else {
		const char *n = chart_region_name(c, c->kode);
		if (n)
			snprintf(c->nama, sizeof c->nama, "%s", n);
		else
			snprintf(c->nama, sizeof c->nama, "%s %s",
			         c->lang == CHART_ID ? "Wilayah" : "Region", c->kode);
	}
}

enum angka_err chart_run(const struct chart_opts *o,
                         const struct chart_config *cc, int *sig,
                         struct angka_error *e)
{
	struct chart_ctx c = { .o = o, .cc = cc, .lang = cc->lang ? CHART_EN : CHART_ID };
	enum angka_err rc = ANGKA_OK;
	*sig = 0;
	int idx[64];
	if (o->ncharts > 64)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "too many charts");
	for (size_t i = 0; i < o->ncharts; i++) {
		idx[i] = chart_index(o->charts[i]);
		if (idx[i] < 0)
			return ANGKA_ERR(e, ANGKA_EUSAGE, "unknown chart '%s'",
			                 o->charts[i]);
	}
	if (mkdir(o->outdir, 0777) != 0 && errno != EEXIST)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s':", o->outdir);
	if (!o->formats)
		return ANGKA_OK;   /* formats = none: charts switched off */
	/* Load every input the charts need before drawing anything. */
	for (size_t i = 0; i < o->ncharts && rc == ANGKA_OK; i++) {
		const struct chart_def *d = chart_table[idx[i]];
		for (int k = 0; k < NINPUTS && rc == ANGKA_OK; k++)
			if ((d->needs & (1u << k)) ||
			    ((d->uses & (1u << k)) && input_path(cc, k)))
				rc = need(&c, k, d->name, e);
	}
	if (rc == ANGKA_OK && cc->wilayah) {
		static const char *const req[] = { "kode", "nama", NULL };
		rc = chart_ctab_load(&c.wil, cc->wilayah, req, e);
		c.have_wil = rc == ANGKA_OK;
	}
	if (rc == ANGKA_OK)
		pick_region(&c);
	for (size_t i = 0; i < o->ncharts && rc == ANGKA_OK; i++)
		rc = chart_render(&c, idx[i], sig, e);
	if (c.have_hist)
		chart_ctab_release(&c.hist);
	if (c.have_reg)
		chart_ctab_release(&c.reg);
	if (c.have_prog)
		chart_ctab_release(&c.prog);
	if (c.have_sae)
		chart_ctab_release(&c.sae);
	if (c.have_kom)
		chart_ctab_release(&c.kom);
	if (c.have_wil)
		chart_ctab_release(&c.wil);
	return rc;
}
