/*
 * chart.c - angka-chart's logic: read the history and aggregate tables,
 * write NAME.dat and NAME.gp for each chart, run gnuplot on temporary
 * names and rename everything into place. See chart.h and docs/charts.md.
 */
#include "chart.h"
#include "chart_draw.h"
#include "chart_render.h"
#include "chart_shared.h"
#include "chart_table.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- config */

void chart_config_init(struct chart_config *cc)
{
	memset(cc, 0, sizeof *cc);
	cc->lang = CHART_ID;
	cc->formats = "png,svg,pdf";
	cc->width_cm = 16;
	cc->height_cm = 9;
	cc->dpi = 300;
	cc->font_pt = 8;
}

#define CK(name, type, field, ch, lo, hi) \
	{ name, type, offsetof(struct chart_config, field), ch, lo, hi }
/* The keys of [chart] but the title of each chart. */
static const struct angka_key_def fixed_keys[] = {
	CK("dpi", ANGKA_KEY_INT, dpi, NULL, 72, 1200),
	CK("font_pt", ANGKA_KEY_DOUBLE, font_pt, NULL, 5, 16),
	CK("formats", ANGKA_KEY_STRING, formats, NULL, 0, 0),
	CK("height_cm", ANGKA_KEY_DOUBLE, height_cm, NULL, 3, 30),
	CK("history", ANGKA_KEY_PATH, history, NULL, 0, 0),
	CK("kode_wilayah", ANGKA_KEY_STRING, kode_wilayah, NULL, 0, 0),
	CK("lang", ANGKA_KEY_ENUM, lang, "id|en", 0, 0),
	CK("nama_wilayah", ANGKA_KEY_STRING, nama_wilayah, NULL, 0, 0),
	CK("programmes", ANGKA_KEY_PATH, programmes, NULL, 0, 0),
	CK("registry", ANGKA_KEY_PATH, registry, NULL, 0, 0),
	CK("source", ANGKA_KEY_STRING, source, NULL, 0, 0),
	CK("source_registry", ANGKA_KEY_STRING, source_registry, NULL, 0, 0),
	CK("tahun", ANGKA_KEY_INT, tahun, NULL, 1900, 2200),
	CK("wilayah", ANGKA_KEY_PATH, wilayah, NULL, 0, 0),
	CK("width_cm", ANGKA_KEY_DOUBLE, width_cm, NULL, 4, 40),
};

const struct angka_key_def *chart_config_keys(void)
{
	enum { NFIXED = sizeof fixed_keys / sizeof fixed_keys[0] };
	/* The fixed keys, a title key per chart, the NULL key. */
	static struct angka_key_def keys[NFIXED + CHART_MAX + 1];
	if (keys[0].key)
		return keys;
	size_t n = 0;
	for (size_t i = 0; i < NFIXED; i++)
		keys[n++] = fixed_keys[i];
	for (size_t i = 0; chart_table[i]; i++) {
		struct angka_key_def k = {
			chart_table[i]->title_key, ANGKA_KEY_STRING,
			offsetof(struct chart_config, title) + i * sizeof(const char *),
			NULL, 0, 0
		};
		keys[n++] = k;
	}
	return keys;
}

int chart_parse_formats(const char *s, unsigned *flags)
{
	*flags = 0;
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ", ");
		if (n == 3 && strncmp(p, "png", 3) == 0)
			*flags |= CHART_PNG;
		else if (n == 3 && strncmp(p, "svg", 3) == 0)
			*flags |= CHART_SVG;
		else if (n == 3 && strncmp(p, "pdf", 3) == 0)
			*flags |= CHART_PDF;
		else if (n)
			return -1;
		p += n;
		p += strspn(p, ", ");
	}
	return *flags ? 0 : -1;
}

/* ---------------------------------------------------------------- context */

/* The path of input k (0 history, 1 registry, 2 programmes), or NULL. */
static const char *input_path(const struct chart_config *cc, int k)
{
	return k == 0 ? cc->history : k == 1 ? cc->registry : cc->programmes;
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
	const char *path = input_path(c->cc, which);
	int *have = which == 0 ? &c->have_hist
	          : which == 1 ? &c->have_reg : &c->have_prog;
	struct ctab *t = which == 0 ? &c->hist : which == 1 ? &c->reg : &c->prog;
	static const char *const opt[] = { "--history", "--registry",
	                                   "--programmes" };
	if (*have)
		return ANGKA_OK;
	if (!path)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "chart '%s' needs %s FILE (or "
		                 "[chart] %s)", chart, opt[which], opt[which] + 2);
	enum angka_err rc = chart_ctab_load(t, path, which == 0 ? req_hist
	                                    : which == 1 ? req_reg : req_prog, e);
	if (rc == ANGKA_OK)
		*have = 1;
	return rc;
}

/* The region charted: config, else the first total P0 row of the history,
 * else the first row of whichever table is loaded. */
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
	/* Load every input the charts need before drawing anything. */
	for (size_t i = 0; i < o->ncharts && rc == ANGKA_OK; i++) {
		const struct chart_def *d = chart_table[idx[i]];
		for (int k = 0; k < 3 && rc == ANGKA_OK; k++)
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
	if (c.have_wil)
		chart_ctab_release(&c.wil);
	return rc;
}
