/*
 * chart_table.h - angka-chart's in-memory tables: a whole CSV
 * (aggregate tables: history, registry, programmes, region names),
 * column lookup, number parsing, region-code comparison, and the history
 * points a trend chart draws. Private to stages/chart.
 *
 * The short helpers are static inline: the charts call them once per row
 * of a table. Allocation failure is never returned: angka_xmalloc prints
 * "out of memory" and exits 1.
 */
#ifndef ANGKA_CHART_TABLE_H
#define ANGKA_CHART_TABLE_H

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "angka.h"

/* A whole CSV in memory: the cells' text in one arena, NUL-terminated,
 * and one offset per cell (no allocation per cell: a national registry
 * table of millions of rows costs its size plus 8 bytes a cell). */
struct ctab {
	const char *path;      /* borrowed from the caller, for messages */
	size_t ncol, nrow;
	char **hdr;            /* owned */
	size_t *cell;          /* nrow * ncol offsets into text, owned */
	char *text;            /* the arena, owned */
	size_t tlen, tcap;
};

/*
 * Load the CSV at path into t (comma-separated UTF-8, any number of rows,
 * as far as memory goes). Every column named in the NULL-terminated req must be in the
 * header (else ANGKA_ESCHEMA); every row must have the header's number of
 * fields (else ANGKA_ECSV). On error t is empty and e says why. t->path
 * borrows path; chart_ctab_release frees the rest.
 */
enum angka_err chart_ctab_load(struct ctab *t, const char *path,
                               const char *const *req, struct angka_error *e);
/* Free what chart_ctab_load allocated; t becomes empty. */
void chart_ctab_release(struct ctab *t);

/* Index of the column called name, or -1. */
static inline int ctab_col(const struct ctab *t, const char *name)
{
	for (size_t i = 0; i < t->ncol; i++)
		if (strcmp(t->hdr[i], name) == 0)
			return (int)i;
	return -1;
}

/* Cell (row, col); "" when col is -1 (a column the table does not have). */
static inline const char *ctab_get(const struct ctab *t, size_t row, int col)
{
	return col < 0 ? "" : t->text + t->cell[row * t->ncol + (size_t)col];
}

/* The whole of s as a finite number ('.' decimal point), else NaN. */
static inline double num(const char *s)
{
	if (!s || !*s)
		return NAN;
	char *end;
	double v = strtod(s, &end);
	return end == s || *end || !isfinite(v) ? NAN : v;
}

/* Region codes compare without dots ("63.11" == "6311"). */
static inline int kode_eq(const char *a, const char *b)
{
	for (;;) {
		while (*a == '.')
			a++;
		while (*b == '.')
			b++;
		if (*a != *b)
			return 0;
		if (!*a)
			return 1;
		a++;
		b++;
	}
}

/* 1 if code k lies strictly inside region parent ("631101" in "6311"). */
int chart_kode_within(const char *k, const char *parent);

/* ---------------------------------------------------------------- points */

/* One point of a history series. */
struct pt {
	double x, est, lo, hi, rse;
	double laby;     /* where its data label goes; NaN: at est */
	int terbitan;
};

/*
 * History points of kode/domain/indikator with sumber_data sumber,
 * sorted by x (the year, moved by the month of periode). Returns their
 * number; *pts is NULL when there are none, else owned by the caller.
 */
size_t chart_history_points(const struct ctab *h, const char *kode,
                            const char *domain, const char *ind,
                            const char *sumber, struct pt **pts);

/* An estimate with RSE > 25 %: drawn hollow. */
static inline int hollow(const struct pt *p)
{
	return p->rse > 25;
}

#endif
