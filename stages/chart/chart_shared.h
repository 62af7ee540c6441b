/*
 * chart_shared.h - helpers used by several charts, private to
 * stages/chart: region names, history series written to the .dat, the
 * year span and value range of points, the per-kecamatan bar charts and
 * the two layouts of the registry table. A helper that only one chart
 * uses stays static in that chart's file.
 *
 * Allocation failure is never returned: angka_xmalloc prints "out of
 * memory" and exits 1.
 */
#ifndef ANGKA_CHART_SHARED_H
#define ANGKA_CHART_SHARED_H

#include <stddef.h>

#include "chart_draw.h"
#include "chart_table.h"

/* Name of a kecamatan (or any region) from the wilayah table, else NULL.
 * The string belongs to c->wil. */
const char *chart_region_name(const struct chart_ctx *c, const char *kode);

/* ---------------------------------------------------------------- series */

/* Widen [*lo, *hi] to the estimates of pts (and their CIs when with_ci). */
void chart_pts_range(const struct pt *pts, size_t n, int with_ci, double *lo,
                     double *hi);

/*
 * Write one series block of the .dat: "# comment", the column names, one
 * line per point (x est lo hi reliable rse_gt_25 label label_y, the label
 * with dec decimals) and two blank lines (a gnuplot index).
 */
void chart_dat_series(struct chart_ctx *c, struct chart_plot *p,
                      const char *comment, const struct pt *pts, size_t n,
                      int dec);

/* How many of pts are hollow (RSE > 25 %). */
size_t chart_count_hollow(const struct pt *pts, size_t n);

/* First and last year of the points of a and b (99999, -99999 if none). */
void chart_span_years(const struct pt *a, size_t na, const struct pt *b,
                      size_t nb, int *y0, int *y1);

/* ---------------------------------------------------------------- kecamatan */

/* One bar of a per-kecamatan chart. */
struct kec {
	char kode[32];
	char nama[128];
	double v[4];     /* per series */
	double total;
};

/* qsort order of bars: ascending total (gnuplot's y grows upwards, so the
 * largest ends on top), then descending code. */
int chart_kec_cmp(const void *a, const void *b);

/* The bar of kode in (*ks)[0..*n), appended (values NaN) when new; *ks
 * grows (owned by the caller) and may move. */
struct kec *chart_kec_find(struct kec **ks, size_t *n, const char *kode);

/* Fill each bar's nama from the wilayah table, else its code. */
void chart_kec_names(struct chart_ctx *c, struct kec *ks, size_t n);

/* The latest year in column tahun of t among rows accepted by keep(), or
 * 0 when none. */
long chart_latest_year(const struct ctab *t, int (*keep)(struct chart_ctx *,
                       const struct ctab *, size_t), struct chart_ctx *c);

/* Horizontal bars, n of them: a y tick per kecamatan (names from the .dat),
 * an x value axis from 0 to room times the nice axis over hi. */
void chart_gp_kec_axis(struct chart_ctx *c, struct chart_plot *p, size_t n,
                       double hi, double room);

/* ---------------------------------------------------------------- registry */

/*
 * The registry table comes in two layouts (see chart_shared.c): the
 * kecamatan code of row i when it is a kecamatan of the charted kabupaten
 * c->kode, else NULL (the string belongs to t).
 */
const char *chart_reg_kecamatan(const struct chart_ctx *c,
                                const struct ctab *t, size_t i);
/* 1 if row i is the charted kabupaten itself, in either layout. */
int chart_reg_is_total(const struct chart_ctx *c, const struct ctab *t,
                       size_t i);

#endif
