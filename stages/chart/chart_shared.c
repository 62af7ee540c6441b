/*
 * chart_shared.c - helpers used by several charts: region names, history
 * series in the .dat, year spans and value ranges of points, the
 * per-kecamatan bars and the two layouts of the registry table. See
 * chart_shared.h.
 */
#include "chart_shared.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Name of a kecamatan (or any region) from the wilayah table, else NULL. */
const char *chart_region_name(const struct chart_ctx *c, const char *kode)
{
	if (!c->have_wil)
		return NULL;
	int ck = ctab_col(&c->wil, "kode"), cn = ctab_col(&c->wil, "nama");
	for (size_t i = 0; i < c->wil.nrow; i++)
		if (kode_eq(ctab_get(&c->wil, i, ck), kode))
			return ctab_get(&c->wil, i, cn);
	return NULL;
}

/* Range of est (and CI when with_ci) over pts. */
void chart_pts_range(const struct pt *pts, size_t n, int with_ci, double *lo,
                     double *hi)
{
	for (size_t i = 0; i < n; i++) {
		double a = pts[i].est, b = pts[i].est;
		if (with_ci && isfinite(pts[i].lo) && pts[i].lo < a)
			a = pts[i].lo;
		if (with_ci && isfinite(pts[i].hi) && pts[i].hi > b)
			b = pts[i].hi;
		if (a < *lo)
			*lo = a;
		if (b > *hi)
			*hi = b;
	}
}

/*
 * Write one series block of the .dat: x est lo hi solid hollow label,
 * then two blank lines (a gnuplot index).
 */
void chart_dat_series(struct chart_ctx *c, struct chart_plot *p,
                      const char *comment, const struct pt *pts, size_t n,
                      int dec)
{
	char buf[64];
	chart_buf_printf(&p->dat, "# %s\n# x estimate ci_lower ci_upper "
	                 "reliable rse_gt_25 label label_y\n", comment);
	for (size_t i = 0; i < n; i++) {
		const struct pt *q = &pts[i];
		chart_buf_printf(&p->dat, "%.10g", q->x);
		chart_dat_num(p, q->est);
		chart_dat_num(p, q->lo);
		chart_dat_num(p, q->hi);
		chart_dat_num(p, hollow(q) ? NAN : q->est);
		chart_dat_num(p, hollow(q) ? q->est : NAN);
		chart_dat_label(p, fmt(c, q->est, dec, buf, sizeof buf));
		chart_dat_num(p, isfinite(q->laby) ? q->laby : q->est);
		chart_buf_add(&p->dat, "\n", 1);
	}
	chart_buf_add(&p->dat, "\n\n", 2);
}

size_t chart_count_hollow(const struct pt *pts, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += hollow(&pts[i]) != 0;
	return k;
}

void chart_span_years(const struct pt *a, size_t na, const struct pt *b,
                      size_t nb, int *y0, int *y1)
{
	*y0 = 99999;
	*y1 = -99999;
	for (size_t i = 0; i < na; i++) {
		if ((int)floor(a[i].x) < *y0) *y0 = (int)floor(a[i].x);
		if ((int)floor(a[i].x) > *y1) *y1 = (int)floor(a[i].x);
	}
	for (size_t i = 0; i < nb; i++) {
		if ((int)floor(b[i].x) < *y0) *y0 = (int)floor(b[i].x);
		if ((int)floor(b[i].x) > *y1) *y1 = (int)floor(b[i].x);
	}
}

int chart_kec_cmp(const void *a, const void *b)
{
	const struct kec *p = a, *q = b;
	/* Ascending: gnuplot's y grows upwards, so the largest ends on top. */
	if (p->total != q->total)
		return (p->total > q->total) - (p->total < q->total);
	return strcmp(q->kode, p->kode);
}

struct kec *chart_kec_find(struct kec **ks, size_t *n, const char *kode)
{
	for (size_t i = 0; i < *n; i++)
		if (kode_eq((*ks)[i].kode, kode))
			return &(*ks)[i];
	*ks = angka_xrealloc(*ks, (*n + 1) * sizeof **ks);
	struct kec *k = &(*ks)[(*n)++];
	memset(k, 0, sizeof *k);
	snprintf(k->kode, sizeof k->kode, "%s", kode);
	for (int i = 0; i < 4; i++)
		k->v[i] = NAN;
	return k;
}

void chart_kec_names(struct chart_ctx *c, struct kec *ks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *nm = chart_region_name(c, ks[i].kode);
		snprintf(ks[i].nama, sizeof ks[i].nama, "%s", nm ? nm : ks[i].kode);
	}
}

/* The latest year in column tahun of t among rows accepted by keep(). */
long chart_latest_year(const struct ctab *t, int (*keep)(struct chart_ctx *,
                       const struct ctab *, size_t), struct chart_ctx *c)
{
	int ct = ctab_col(t, "tahun");
	long best = 0;
	for (size_t i = 0; i < t->nrow; i++) {
		double y = num(ctab_get(t, i, ct));
		if (keep(c, t, i) && isfinite(y) && y > best)
			best = (long)y;
	}
	return best;
}

/*
 * Registry rows come in two layouts: angka-indicators writes the region in
 * kode_wilayah and its level in domain ("63.11,kabupaten",
 * "63.11.01,kecamatan"); the breakdown layout has the kabupaten in
 * kode_wilayah and "total" or a kecamatan code in domain.
 * chart_reg_kecamatan returns the kecamatan code of row i of the charted
 * kabupaten, or NULL; chart_reg_is_total says whether row i is the
 * kabupaten itself.
 */
const char *chart_reg_kecamatan(const struct chart_ctx *c,
                                const struct ctab *t, size_t i)
{
	const char *k = ctab_get(t, i, ctab_col(t, "kode_wilayah"));
	const char *d = ctab_get(t, i, ctab_col(t, "domain"));
	if (strcmp(d, "kecamatan") == 0)
		return chart_kode_within(k, c->kode) ? k : NULL;
	if (strcmp(d, "total") == 0 || strcmp(d, "kabupaten") == 0)
		return NULL;
	return kode_eq(k, c->kode) ? d : NULL;
}

int chart_reg_is_total(const struct chart_ctx *c, const struct ctab *t,
                       size_t i)
{
	const char *d = ctab_get(t, i, ctab_col(t, "domain"));
	return (strcmp(d, "total") == 0 || strcmp(d, "kabupaten") == 0) &&
	       kode_eq(ctab_get(t, i, ctab_col(t, "kode_wilayah")), c->kode);
}

/* Horizontal bars: y tick per kecamatan (names from the .dat). */
void chart_gp_kec_axis(struct chart_ctx *c, struct chart_plot *p, size_t n,
                       double hi, double room)
{
	double a, b, step;
	int dec;
	chart_nice_axis(0, hi, 4, &a, &b, &step, &dec);
	chart_gp_line(p, "set yrange [-0.6:%zu.6]", n - 1);
	chart_gp_line(p, "set ytics scale 0");
	chart_gp_line(p, "set grid noytics xtics");
	chart_gp_line(p, "set border 1 lc rgb '#333333'");
	chart_gp_line(p, "set lmargin 17");
	chart_gp_value_axis(c, p, "x", 0, b * room, 0, b, step, dec);
}
