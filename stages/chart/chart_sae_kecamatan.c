/*
 * chart_sae_kecamatan.c - the chart sae_kecamatan: P0 per kecamatan of one
 * year from angka-sae's long table (indicators/sae.csv), the direct SUSENAS
 * estimate (open marker) and the small-area estimate (EBLUP or synthetic,
 * filled) each with its 95 % interval, sorted by the small-area estimate
 * (largest on top), and the median RSE of both in a note.
 */
#include "chart_shared.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* v: direct est, lo, hi, rse; model est, lo, hi, rse. */
struct sae_kec {
	struct kec k;
	double v[8];
	int synthetic;
};

static int cmp_sae(const void *a, const void *b)
{
	const struct sae_kec *x = a, *y = b;
	if (x->v[4] != y->v[4])
		return x->v[4] < y->v[4] ? -1 : 1;
	return strcmp(y->k.kode, x->k.kode);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The digits of s ("63.11.01" -> "631101") into out (cap >= 1). */
static void digits(const char *s, char *out, size_t cap)
{
	size_t j = 0;
	for (; *s && j + 1 < cap; s++)
		if (*s >= '0' && *s <= '9')
			out[j++] = *s;
	out[j] = '\0';
}

/* The kecamatan code of row i when it is a P0 row of a kecamatan of the
 * charted kabupaten (dotted or not: two digits more than the kabupaten's),
 * else NULL (the string belongs to t). */
static const char *sae_kec_row(const struct chart_ctx *c, const struct ctab *t,
                               size_t i)
{
	const char *d = ctab_get(t, i, ctab_col(t, "domain"));
	if (strcmp(ctab_get(t, i, ctab_col(t, "indikator")), "P0") != 0 ||
	    strncmp(d, "kode_wilayah=", 13) != 0)
		return NULL;
	d += 13;
	char kd[32], kk[32];
	digits(d, kd, sizeof kd);
	digits(c->kode, kk, sizeof kk);
	size_t n = strlen(kk);
	if (!n || strlen(kd) != n + 2 || strncmp(kd, kk, n) != 0)
		return NULL;
	return d;
}

static int keep_row(struct chart_ctx *c, const struct ctab *t, size_t i)
{
	return sae_kec_row(c, t, i) != NULL;
}

static double median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static enum angka_err build_sae_kecamatan(struct chart_ctx *c,
                                          struct chart_plot *p,
                                          struct angka_error *e)
{
	const struct ctab *t = &c->sae;
	long year = c->cc->tahun ? c->cc->tahun : chart_latest_year(t, keep_row, c);
	int ct = ctab_col(t, "tahun"), cm = ctab_col(t, "metode"),
	    ce = ctab_col(t, "estimate"), cl = ctab_col(t, "ci_lower"),
	    ch = ctab_col(t, "ci_upper"), cr = ctab_col(t, "rse_pct");
	struct sae_kec *ks = NULL;
	size_t n = 0;
	for (size_t i = 0; i < t->nrow; i++) {
		const char *kec = sae_kec_row(c, t, i);
		if (!kec || num(ctab_get(t, i, ct)) != (double)year)
			continue;
		const char *m = ctab_get(t, i, cm);
		int off = strcmp(m, "langsung") == 0 ? 0 :
		          strcmp(m, "eblup") == 0 || strcmp(m, "sintetis") == 0
		          ? 4 : -1;
		if (off < 0)
			continue;
		size_t j;
		for (j = 0; j < n; j++)
			if (strcmp(ks[j].k.kode, kec) == 0)
				break;
		if (j == n) {
			ks = angka_xrealloc(ks, (n + 1) * sizeof *ks);
			memset(&ks[n], 0, sizeof ks[n]);
			snprintf(ks[n].k.kode, sizeof ks[n].k.kode, "%s", kec);
			for (int k = 0; k < 8; k++)
				ks[n].v[k] = NAN;
			n++;
		}
		ks[j].v[off] = num(ctab_get(t, i, ce));
		ks[j].v[off + 1] = num(ctab_get(t, i, cl));
		ks[j].v[off + 2] = num(ctab_get(t, i, ch));
		ks[j].v[off + 3] = num(ctab_get(t, i, cr));
		if (off == 4)
			ks[j].synthetic = strcmp(m, "sintetis") == 0;
	}
	/* Only kecamatan with a small-area estimate. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(ks[i].v[4]))
			ks[m++] = ks[i];
	n = m;
	if (!n) {
		free(ks);
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'sae_kecamatan': no P0 "
		                 "small-area rows per kecamatan for region '%s' "
		                 "in '%s'", c->kode, t->path);
	}
	qsort(ks, n, sizeof *ks, cmp_sae);
	struct kec *names = angka_xmalloc(n * sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = ks[i].k;
	chart_kec_names(c, names, n);
	/* RSE reduction: medians over the kecamatan with both RSEs. */
	double *rd = angka_xmalloc(n * sizeof *rd), *rm = angka_xmalloc(n * sizeof *rm);
	size_t nr = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(ks[i].v[3]) && isfinite(ks[i].v[7])) {
			rd[nr] = ks[i].v[3];
			rm[nr++] = ks[i].v[7];
		}
	double md = median(rd, nr), mm = median(rm, nr);
	char span[32], tbuf[512], b1[64], b2[64], note[256];
	snprintf(span, sizeof span, "%ld", year);
	chart_gp_begin(c, p, "P0 per kecamatan: direct SUSENAS estimate (open) "
	               "and small-area estimate (filled), 95 % intervals",
	               chart_title(c, W_TITLE_SAE, tbuf, sizeof tbuf, span));
	double hi = 0;
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 8; k++)
			if (k % 4 != 3 && isfinite(ks[i].v[k]) && ks[i].v[k] > hi)
				hi = ks[i].v[k];
	chart_gp_kec_axis(c, p, n, hi, 1.05);
	chart_gp_set_text(p, "xlabel", W(c, W_PERSEN), NULL);
	const char *foot[2] = { NULL, NULL };
	if (nr) {
		snprintf(note, sizeof note, "%s: %s %% -> %s %%", W(c, W_SAE_RSE),
		         fmt(c, md, 1, b1, sizeof b1), fmt(c, mm, 1, b2, sizeof b2));
		foot[0] = note;
	}
	foot[1] = W(c, W_SAE_NOTE);
	chart_gp_notes(p, c->cc->source ? c->cc->source : W(c, W_SOURCE),
	               foot, 2, 1);
	chart_buf_printf(&p->dat, "# P0 per kecamatan, %ld: direct and "
	                 "small-area estimates\n# row kode nama direct lo hi "
	                 "rse model lo hi rse metode\n", year);
	for (size_t i = 0; i < n; i++) {
		chart_buf_printf(&p->dat, "%zu", i);
		chart_dat_label(p, names[i].kode);
		chart_dat_label(p, names[i].nama);
		for (int k = 0; k < 8; k++)
			chart_dat_num(p, ks[i].v[k]);
		chart_dat_label(p, ks[i].synthetic ? "sintetis" : "eblup");
		chart_buf_add(&p->dat, "\n", 1);
	}
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "plot dat using 4:($1+0.18):5:6:ytic(3) with xerrorbars "
	         "pt 6 ps 0.9 lw 1.2 lc rgb '%s' title '%s', \\\n"
	         "  dat using 8:($1-0.18):9:10 with xerrorbars pt 7 ps 0.9 "
	         "lw 1.6 lc rgb '%s' title '%s'", C_MID, W(c, W_SAE_DIRECT),
	         C_DARK, W(c, W_SAE_MODEL));
	chart_gp_terminals(c, p, cmd);
	free(rd);
	free(rm);
	free(names);
	free(ks);
	return ANGKA_OK;
}

const struct chart_def chart_sae_kecamatan = {
	.name = "sae_kecamatan",
	.needs = CHART_NEEDS_SAE,
	.title_key = "title_sae_kecamatan",
	.build = build_sae_kecamatan
};
