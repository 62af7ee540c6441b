/*
 * chart_table.c - angka-chart's in-memory tables: load an aggregate
 * CSV whole, region codes, and the history points of one series. See
 * chart_table.h.
 */
#include "chart_table.h"
#include "csv_columns.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void chart_ctab_release(struct ctab *t)
{
	for (size_t i = 0; i < t->ncol; i++)
		free(t->hdr[i]);
	free(t->hdr);
	free(t->cell);
	free(t->text);
	memset(t, 0, sizeof *t);
}

enum angka_err chart_ctab_load(struct ctab *t, const char *path,
                               const char *const *req, struct angka_error *e)
{
	memset(t, 0, sizeof *t);
	t->path = path;
	struct angka_csv_reader *r;
	struct angka_csv_opts copts = ANGKA_CSV_CANONICAL;
	const struct angka_csv_record *rec;
	enum angka_err rc = angka_csv_open_columns(&r, &rec, path, &copts, NULL,
	                                           0, NULL, req, NULL, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *name = angka_csv_reader_name(r);
	t->ncol = rec->nfields;
	t->hdr = angka_xmalloc(t->ncol * sizeof *t->hdr);
	for (size_t i = 0; i < t->ncol; i++)
		t->hdr[i] = angka_xstrdup(rec->field[i]);
	int got;
	size_t cap = 0;
	while ((got = angka_csv_reader_next(r, &rec, e)) > 0) {
		if (rec->nfields != t->ncol) {
			ANGKA_ERR(e, ANGKA_ECSV, "'%s':%ld: expected %zu fields, "
			          "found %zu", name, rec->line, t->ncol, rec->nfields);
			break;
		}
		if (t->nrow == cap) {
			cap = cap ? 2 * cap : 64;
			t->cell = angka_xrealloc(t->cell, cap * t->ncol * sizeof *t->cell);
		}
		for (size_t i = 0; i < t->ncol; i++) {
			size_t len = strlen(rec->field[i]) + 1;
			if (t->tcap - t->tlen < len) {
				while (t->tcap - t->tlen < len)
					t->tcap = t->tcap ? 2 * t->tcap : 4096;
				t->text = angka_xrealloc(t->text, t->tcap);
			}
			memcpy(t->text + t->tlen, rec->field[i], len);
			t->cell[t->nrow * t->ncol + i] = t->tlen;
			t->tlen += len;
		}
		t->nrow++;
	}
	if (got == 0) {
		rc = angka_csv_reader_close(r, e);
		if (rc == ANGKA_OK)
			return ANGKA_OK;
	} else {
		angka_csv_reader_free(r);
	}
	chart_ctab_release(t);
	return e->code ? e->code : ANGKA_ECSV;
}

int chart_kode_within(const char *k, const char *parent)
{
	while (*parent) {
		while (*k == '.')
			k++;
		while (*parent == '.')
			parent++;
		if (!*parent)
			break;
		if (*k != *parent)
			return 0;
		k++;
		parent++;
	}
	while (*k == '.')
		k++;
	return *k != '\0';
}

/* ---------------------------------------------------------------- points */

static int pt_cmp(const void *a, const void *b)
{
	const struct pt *p = a, *q = b;
	return (p->x > q->x) - (p->x < q->x);
}

/* x of a row: the year, moved by the month of periode ("2021-09"). */
static double row_x(const char *tahun, const char *periode)
{
	double x = num(tahun);
	const char *dash = periode ? strchr(periode, '-') : NULL;
	if (dash) {
		double m = num(dash + 1);
		if (m >= 1 && m <= 12)
			x += (m - 3) / 12.0;
	}
	return x;
}

size_t chart_history_points(const struct ctab *h, const char *kode,
                            const char *domain, const char *ind,
                            const char *sumber, struct pt **pts)
{
	int ct = ctab_col(h, "tahun"), cp = ctab_col(h, "periode"),
	    ck = ctab_col(h, "kode_wilayah"), cd = ctab_col(h, "domain"),
	    ci = ctab_col(h, "indikator"), ce = ctab_col(h, "estimate"),
	    cs = ctab_col(h, "se"), cl = ctab_col(h, "ci_lower"),
	    cu = ctab_col(h, "ci_upper"), cr = ctab_col(h, "rse_pct"),
	    csd = ctab_col(h, "sumber_data");
	size_t n = 0;
	*pts = NULL;
	for (size_t i = 0; i < h->nrow; i++) {
		if (!kode_eq(ctab_get(h, i, ck), kode) ||
		    strcmp(ctab_get(h, i, cd), domain) != 0 ||
		    strcmp(ctab_get(h, i, ci), ind) != 0 ||
		    strcmp(ctab_get(h, i, csd), sumber) != 0)
			continue;
		double est = num(ctab_get(h, i, ce));
		if (isnan(est))
			continue;
		*pts = angka_xrealloc(*pts, (n + 1) * sizeof **pts);
		struct pt *p = &(*pts)[n++];
		p->x = row_x(ctab_get(h, i, ct), ctab_get(h, i, cp));
		p->est = est;
		p->lo = num(ctab_get(h, i, cl));
		p->hi = num(ctab_get(h, i, cu));
		p->rse = num(ctab_get(h, i, cr));
		double se = num(ctab_get(h, i, cs));
		if (isnan(p->rse) && se >= 0 && est != 0)
			p->rse = se / fabs(est) * 100;
		p->laby = NAN;
		p->terbitan = strcmp(sumber, "terbitan") == 0;
	}
	if (n)
		qsort(*pts, n, sizeof **pts, pt_cmp);
	return n;
}
