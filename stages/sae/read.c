/*
 * read.c - angka-sae's input: one row per area, parsed into areas and the
 * design matrix (intercept, covariates, factor indicators with the first
 * level in byte order as reference, as R's treatment contrasts).
 */
#include "sae_int.h"
#include "csv_columns.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sae_note(struct sae_stats *st, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	st->notes = angka_xrealloc(st->notes,
	                           (st->nnotes + 1) * sizeof *st->notes);
	st->notes[st->nnotes++] = angka_xstrdup(buf);
}

void sae_stats_release(struct sae_stats *st)
{
	for (size_t i = 0; i < st->nnotes; i++)
		free(st->notes[i]);
	free(st->notes);
	memset(st, 0, sizeof *st);
}

void sae_table_release(struct sae_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->a[i].name);
	free(t->a);
	free(t->X);
	for (size_t j = 0; j < t->p; j++)
		free(t->xname[j]);
	free(t->xname);
	memset(t, 0, sizeof *t);
}

/* "" and NA are missing (NaN, 0); a full number (1); else -1. */
static int parse_num(const char *s, double *out)
{
	*out = NAN;
	if (!*s || strcmp(s, "NA") == 0)
		return 0;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno == ERANGE || end == s || *end || !isfinite(v))
		return -1;
	*out = v;
	return 1;
}

/* The wanted columns, in this order, then covariates, then factors. */
enum { C_AREA, C_EST, C_VAR, C_NOBS, C_NEFF, C_SHARE, C_BENCH, C_FIXED };

struct reader {
	const struct sae_opts *o;
	const char *name;
	int idx[C_FIXED];
	int *cov_idx, *fac_idx;
	const char *want_name[C_FIXED];
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct area_ref { const char *name; size_t i; };

static int cmp_ref(const void *a, const void *b)
{
	const struct area_ref *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Duplicate areas: the earliest second occurrence is the error. */
static enum angka_err check_duplicates(const struct sae_table *t, int col,
                                       const char *colname,
                                       struct angka_error *e)
{
	if (t->n < 2)
		return ANGKA_OK;
	struct area_ref *r = angka_xmalloc(t->n * sizeof *r);
	for (size_t i = 0; i < t->n; i++)
		r[i] = (struct area_ref){ t->a[i].name, i };
	qsort(r, t->n, sizeof *r, cmp_ref);
	size_t bad = t->n, first = 0;
	for (size_t i = 1; i < t->n; i++)
		if (strcmp(r[i].name, r[i - 1].name) == 0 && r[i].i < bad) {
			bad = r[i].i;
			first = r[i - 1].i;
		}
	free(r);
	if (bad == t->n)
		return ANGKA_OK;
	return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld:%d: column '%s': duplicate "
	                 "area '%s' (first at line %ld)", t->file,
	                 t->a[bad].line, col + 1, colname, t->a[bad].name,
	                 t->a[first].line);
}

enum angka_err sae_read(const struct sae_opts *o, struct sae_table *t,
                        struct sae_stats *st, struct angka_error *e)
{
	memset(t, 0, sizeof *t);
	t->bench_value = NAN;
	size_t nw = C_FIXED + o->ncov + o->nfac;
	const char **want = angka_xcalloc(nw, sizeof *want);
	int *idx = angka_xcalloc(nw, sizeof *idx);
	const char **req = angka_xcalloc(nw + 1, sizeof *req);
	size_t nreq = 0;
	want[C_AREA] = o->area;
	want[C_EST] = o->estimate;
	want[C_VAR] = o->variance ? o->variance : o->se;
	want[C_NOBS] = o->n_obs ? o->n_obs : "n_obs";
	want[C_NEFF] = o->n_eff ? o->n_eff : "";
	want[C_SHARE] = o->share ? o->share : "";
	/* --benchmark: a number, else a column. */
	double bv;
	int bench_is_col = 0;
	want[C_BENCH] = "";
	if (o->benchmark) {
		if (parse_num(o->benchmark, &bv) == 1) {
			t->bench_value = bv;
		} else {
			bench_is_col = 1;
			want[C_BENCH] = o->benchmark;
		}
	}
	for (size_t j = 0; j < o->ncov; j++)
		want[C_FIXED + j] = o->covariates[j];
	for (size_t j = 0; j < o->nfac; j++)
		want[C_FIXED + o->ncov + j] = o->factors[j];
	for (size_t j = 0; j < nw; j++)
		if (*want[j] && (j != C_NOBS || o->n_obs))
			req[nreq++] = want[j];
	req[nreq] = NULL;

	struct angka_csv_opts copts = ANGKA_CSV_CANONICAL;
	struct angka_csv_reader *r = NULL;
	const struct angka_csv_record *h, *rec;
	char **facv = NULL;          /* n x nfac factor values */
	double *covv = NULL;         /* n x ncov covariate values */
	size_t cap = 0;
	enum angka_err rc = angka_csv_open_columns(&r, &h, o->input, &copts,
	                                           want, nw, idx, req, NULL, e);
	if (rc != ANGKA_OK)
		goto out;
	t->file = o->input && strcmp(o->input, "-") ? o->input : "<stdin>";
	size_t nfields = h->nfields;
	t->has_nobs = idx[C_NOBS] >= 0;
	int got;
	while ((got = angka_csv_reader_next(r, &rec, e)) > 0) {
		st->rows++;
		long line = rec->line;
		if (rec->nfields != nfields) {
			rc = ANGKA_ERR(e, ANGKA_ECSV, "'%s':%ld: expected %zu "
			               "fields, found %zu", t->file, line, nfields,
			               rec->nfields);
			goto out;
		}
		double num[C_FIXED];
		for (int c = C_EST; c < C_FIXED; c++) {
			num[c] = NAN;
			if (idx[c] < 0 || c == C_AREA)
				continue;
			const char *s = rec->field[idx[c]];
			if (parse_num(s, &num[c]) < 0) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld:%d: column "
				               "'%s': '%s' is not a number", t->file,
				               line, idx[c] + 1, want[c], s);
				goto out;
			}
		}
		if (num[C_VAR] < 0) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld:%d: column '%s': "
			               "negative %s '%s'", t->file, line,
			               idx[C_VAR] + 1, want[C_VAR],
			               o->variance ? "variance" : "standard error",
			               rec->field[idx[C_VAR]]);
			goto out;
		}
		if (num[C_NEFF] < 0 || num[C_NOBS] < 0 || num[C_SHARE] < 0) {
			int c = num[C_NEFF] < 0 ? C_NEFF :
			        num[C_NOBS] < 0 ? C_NOBS : C_SHARE;
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld:%d: column '%s': "
			               "negative value '%s'", t->file, line,
			               idx[c] + 1, want[c], rec->field[idx[c]]);
			goto out;
		}
		if (bench_is_col && isfinite(num[C_BENCH])) {
			if (isfinite(t->bench_value) &&
			    num[C_BENCH] != t->bench_value) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld:%d: column "
				               "'%s': benchmark '%s' differs from "
				               "%.17g of the rows before", t->file,
				               line, idx[C_BENCH] + 1, want[C_BENCH],
				               rec->field[idx[C_BENCH]],
				               t->bench_value);
				goto out;
			}
			t->bench_value = num[C_BENCH];
		}
		/* Covariates: a bad number is an error, a missing one refuses
		 * the row. */
		const char *area = rec->field[idx[C_AREA]];
		const char *why = NULL, *whycol = NULL;
		if (!*area)
			why = "empty area";
		if (t->n == cap) {
			cap = cap ? 2 * cap : 64;
			t->a = angka_xrealloc(t->a, cap * sizeof *t->a);
			covv = angka_xrealloc(covv, cap * (o->ncov ? o->ncov : 1) *
			                      sizeof *covv);
			facv = angka_xrealloc(facv, cap * (o->nfac ? o->nfac : 1) *
			                      sizeof *facv);
		}
		for (size_t j = 0; j < o->ncov; j++) {
			int c = idx[C_FIXED + j];
			double v;
			int k = parse_num(rec->field[c], &v);
			if (k < 0) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld:%d: column "
				               "'%s': '%s' is not a number", t->file,
				               line, c + 1, o->covariates[j],
				               rec->field[c]);
				goto out;
			}
			if (k == 0 && !why) {
				why = "missing covariate";
				whycol = o->covariates[j];
			}
			covv[t->n * o->ncov + j] = v;
		}
		for (size_t j = 0; j < o->nfac; j++) {
			const char *s = rec->field[idx[C_FIXED + o->ncov + j]];
			if (!*s && !why) {
				why = "missing factor value";
				whycol = o->factors[j];
			}
			facv[t->n * o->nfac + j] = NULL;
			if (!why)
				facv[t->n * o->nfac + j] = angka_xstrdup(s);
		}
		if (why) {
			for (size_t j = 0; j < o->nfac; j++)
				free(facv[t->n * o->nfac + j]);
			st->refused++;
			if (whycol)
				sae_note(st, "'%s':%ld: row refused: %s '%s' "
				         "(area '%s')", t->file, line, why, whycol,
				         area);
			else
				sae_note(st, "'%s':%ld: row refused: %s", t->file,
				         line, why);
			continue;
		}
		struct sae_area *a = &t->a[t->n++];
		memset(a, 0, sizeof *a);
		a->name = angka_xstrdup(area);
		a->line = line;
		a->est = num[C_EST];
		a->var = num[C_VAR];
		if (!o->variance && isfinite(a->var))
			a->var *= a->var;
		a->nobs = num[C_NOBS];
		a->neff = num[C_NEFF];
		a->share = num[C_SHARE];
	}
	if (got < 0) {
		rc = e->code;
		goto out;
	}
	rc = angka_csv_reader_close(r, e);
	r = NULL;
	if (rc != ANGKA_OK)
		goto out;
	if ((rc = check_duplicates(t, idx[C_AREA], o->area, e)) != ANGKA_OK)
		goto out;

	/* Design matrix: intercept, covariates, then per factor its levels
	 * after the first (byte order). */
	size_t p = 1 + o->ncov;
	char ***levels = angka_xcalloc(o->nfac ? o->nfac : 1, sizeof *levels);
	size_t *nlev = angka_xcalloc(o->nfac ? o->nfac : 1, sizeof *nlev);
	for (size_t j = 0; j < o->nfac; j++) {
		char **l = angka_xmalloc((t->n ? t->n : 1) * sizeof *l);
		size_t k = 0;
		for (size_t i = 0; i < t->n; i++)
			l[k++] = facv[i * o->nfac + j];
		qsort(l, k, sizeof *l, cmp_str);
		size_t u = 0;
		for (size_t i = 0; i < k; i++)
			if (u == 0 || strcmp(l[i], l[u - 1]))
				l[u++] = l[i];
		levels[j] = l;
		nlev[j] = u;
		if (u < 2)
			sae_note(st, "factor '%s' has %s: no indicator column",
			         o->factors[j], u ? "one level" : "no levels");
		p += u > 1 ? u - 1 : 0;
	}
	t->p = p;
	t->xname = angka_xcalloc(p, sizeof *t->xname);
	t->xname[0] = angka_xstrdup("(Intercept)");
	size_t col = 1;
	for (size_t j = 0; j < o->ncov; j++)
		t->xname[col++] = angka_xstrdup(o->covariates[j]);
	for (size_t j = 0; j < o->nfac; j++)
		for (size_t k = 1; k < nlev[j]; k++) {
			size_t len = strlen(o->factors[j]) + strlen(levels[j][k]) + 2;
			t->xname[col] = angka_xmalloc(len);
			snprintf(t->xname[col++], len, "%s=%s", o->factors[j],
			         levels[j][k]);
		}
	t->X = angka_xcalloc((t->n ? t->n : 1) * p, sizeof *t->X);
	for (size_t i = 0; i < t->n; i++) {
		double *x = t->X + i * p;
		x[0] = 1;
		for (size_t j = 0; j < o->ncov; j++)
			x[1 + j] = covv[i * o->ncov + j];
		size_t c = 1 + o->ncov;
		for (size_t j = 0; j < o->nfac; j++) {
			const char *v = facv[i * o->nfac + j];
			for (size_t k = 1; k < nlev[j]; k++)
				x[c + k - 1] = strcmp(v, levels[j][k]) == 0;
			c += nlev[j] > 1 ? nlev[j] - 1 : 0;
		}
	}
	for (size_t j = 0; j < o->nfac; j++)
		free(levels[j]);
	free(levels);
	free(nlev);
out:
	angka_csv_reader_free(r);
	if (facv)
		for (size_t i = 0; i < t->n * o->nfac; i++)
			free(facv[i]);
	free(facv);
	free(covv);
	free(want);
	free(req);
	free(idx);
	return rc;
}
