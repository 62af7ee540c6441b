/*
 * trend.c - angka-trend's logic: read indicator tables, published series
 * and the previous history; merge them into history.csv (with revisions);
 * compute changes.csv and trend.csv. See trend.h.
 */
#include "trend_int.h"
#include "number.h"
#include "csv_columns.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ CSV tables */

/* The names of the value columns (V_*). */
static const char *const value_col[V_COUNT] = {
	"estimate", "se", "ci_lower", "ci_upper", "rse_pct", "reliability",
	"n_obs", "n_psu", "df"
};

/* The name of path in messages; lives as long as path. */
static const char *display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

struct table {
	struct angka_csv_reader *r;
	const char *name;
	size_t nfields;
	int *idx;              /* per wanted column: field index or -1 */
	const struct angka_csv_record *rec;
};

/*
 * Open path and map its header onto want[0..n). Columns named in req
 * (a NULL-terminated subset) must be present. On error t is released.
 */
static enum angka_err table_open(struct table *t, const char *path,
                                 const char *const *want, size_t n,
                                 const char *const *req, struct angka_error *e)
{
	memset(t, 0, sizeof *t);
	struct angka_csv_opts copts = ANGKA_CSV_CANONICAL;
	const struct angka_csv_record *h;
	t->idx = angka_xmalloc((n ? n : 1) * sizeof *t->idx);
	enum angka_err rc = angka_csv_open_columns(&t->r, &h, path, &copts, want,
	                                           n, t->idx, req, NULL, e);
	if (rc != ANGKA_OK) {
		free(t->idx);
		t->idx = NULL;
		return rc;
	}
	t->name = angka_csv_reader_name(t->r);
	t->nfields = h->nfields;
	return ANGKA_OK;
}

/* Next row: 1, 0 at the end (stream checked and closed), -1 on error. */
static int table_next(struct table *t, struct angka_error *e)
{
	int got = angka_csv_reader_next(t->r, &t->rec, e);
	if (got < 0)
		return -1;
	if (got == 0) {
		enum angka_err rc = angka_csv_reader_close(t->r, e);
		t->r = NULL;
		return rc == ANGKA_OK ? 0 : -1;
	}
	if (t->rec->nfields != t->nfields) {
		ANGKA_ERR(e, ANGKA_ECSV, "'%s':%ld: expected %zu fields, found %zu",
		          t->name, t->rec->line, t->nfields, t->rec->nfields);
		return -1;
	}
	return 1;
}

/* Field of wanted column i in the current row; "" when absent. */
static const char *table_get(const struct table *t, size_t i)
{
	return t->idx[i] < 0 ? "" : t->rec->field[t->idx[i]];
}

static void table_release(struct table *t)
{
	angka_csv_reader_free(t->r);
	free(t->idx);
	memset(t, 0, sizeof *t);
}

/* Parse a number: "" is NaN; anything else must be a full number. */
static int parse_num(const char *s, double *out)
{
	if (!*s) {
		*out = NAN;
		return 0;
	}
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	if (errno == ERANGE || end == s || *end)
		return -1;
	return 0;
}

/*
 * Fill the parsed numbers of r from its texts; a bad number is an
 * ANGKA_EDATA error naming the file, line and column.
 */
static enum angka_err hrow_parse(struct hrow *r, struct angka_error *e)
{
	static const int num[] = { V_EST, V_SE, V_LO, V_HI, V_RSE, V_NOBS,
	                           V_NPSU, V_DF };
	for (size_t i = 0; i < sizeof num / sizeof *num; i++) {
		double d;
		const char *s = r->v[num[i]] ? r->v[num[i]] : "";
		if (parse_num(s, &d))
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: column '%s': "
			                 "'%s' is not a number", r->file, r->line,
			                 value_col[num[i]], s);
		if (num[i] == V_EST) r->est = d;
		if (num[i] == V_SE) r->se = d;
		if (num[i] == V_DF) r->df = d;
	}
	if (r->se < 0)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: negative se '%s'",
		                 r->file, r->line, r->v[V_SE]);
	return ANGKA_OK;
}

/* history.csv columns; an indicator table has the same names less some. */
enum { H_TAHUN, H_PERIODE, H_KODE, H_DOMAIN, H_IND, H_V0,
       H_SUMBER_DATA = H_V0 + V_COUNT, H_SUMBER, H_COUNT };
static const char *const hist_col[H_COUNT] = {
	"tahun", "periode", "kode_wilayah", "domain", "indikator",
	"estimate", "se", "ci_lower", "ci_upper", "rse_pct", "reliability",
	"n_obs", "n_psu", "df", "sumber_data", "sumber"
};

/*
 * Read an indicator table (is_history 0) or a previous history.csv
 * (is_history 1) into h.
 */
static enum angka_err read_rows(const char *path, int is_history,
                                struct hrows *h, struct angka_error *e)
{
	static const char *const req_ind[] = { "tahun", "kode_wilayah", "domain",
	                                       "indikator", "estimate", NULL };
	static const char *const req_hist[] = { "tahun", "kode_wilayah", "domain",
	                                        "indikator", "estimate",
	                                        "sumber_data", NULL };
	struct table t;
	enum angka_err rc = table_open(&t, path, hist_col, H_COUNT,
	                               is_history ? req_hist : req_ind, e);
	if (rc != ANGKA_OK)
		return rc;
	int got;
	while ((got = table_next(&t, e)) > 0) {
		struct hrow *r = trend_hrows_add(h);
		r->file = display_name(path);
		r->line = t.rec->line;
		const char *ty = table_get(&t, H_TAHUN);
		if (trend_parse_year(ty, &r->tahun)) {
			ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: column 'tahun': '%s' "
			          "is not a year", t.name, r->line, ty);
			goto fail;
		}
		r->periode = trend_opt_dup(table_get(&t, H_PERIODE));
		r->kode = trend_kode_dup(table_get(&t, H_KODE));
		r->domain = angka_xstrdup(table_get(&t, H_DOMAIN));
		r->indikator = angka_xstrdup(table_get(&t, H_IND));
		if (!*r->kode || !*r->domain || !*r->indikator) {
			ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: empty kode_wilayah, "
			          "domain or indikator", t.name, r->line);
			goto fail;
		}
		for (int i = 0; i < V_COUNT; i++)
			r->v[i] = trend_opt_dup(table_get(&t, (size_t)(H_V0 + i)));
		r->sumber = SRC_HITUNG;
		if (is_history) {
			const char *sd = table_get(&t, H_SUMBER_DATA);
			if (strcmp(sd, "terbitan") == 0)
				r->sumber = SRC_TERBITAN;
			else if (strcmp(sd, "hitung") != 0) {
				ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: sumber_data '%s' "
				          "is not hitung or terbitan", t.name,
				          r->line, sd);
				goto fail;
			}
			r->sumber_text = trend_opt_dup(table_get(&t, H_SUMBER));
		}
		if ((rc = hrow_parse(r, e)) != ANGKA_OK)
			goto fail;
	}
	if (got < 0)
		goto fail;
	table_release(&t);
	return ANGKA_OK;
fail:
	table_release(&t);
	return e->code ? e->code : ANGKA_EDATA;
}

/*
 * Read a normalized published series (kind terbitan): one history row per
 * non-empty value column, text kept exactly as in the file.
 */
static enum angka_err read_published(const char *path, struct hrows *h,
                                     struct angka_error *e)
{
	enum { P_KODE, P_PERIODE, P_TAHUN, P_SUMBER, P_V0 };
	static const char *const want[] = {
		"kode_wilayah", "periode", "tahun", "sumber",
		"p0", "jumlah_miskin", "p1", "p2", "garis_kemiskinan"
	};
	static const char *const ind[] = {
		"P0", "jumlah_miskin", "P1", "P2", "garis_kemiskinan"
	};
	static const char *const req[] = { "kode_wilayah", "tahun", "p0", NULL };
	struct table t;
	enum angka_err rc = table_open(&t, path, want, sizeof want / sizeof *want,
	                               req, e);
	if (rc != ANGKA_OK)
		return rc;
	int got;
	while ((got = table_next(&t, e)) > 0) {
		int tahun;
		const char *ty = table_get(&t, P_TAHUN);
		if (trend_parse_year(ty, &tahun)) {
			ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: column 'tahun': '%s' "
			          "is not a year", t.name, t.rec->line, ty);
			goto fail;
		}
		for (size_t k = 0; k < sizeof ind / sizeof *ind; k++) {
			const char *val = table_get(&t, P_V0 + k);
			if (!*val)
				continue;
			struct hrow *r = trend_hrows_add(h);
			r->file = display_name(path);
			r->line = t.rec->line;
			r->tahun = tahun;
			r->sumber = SRC_TERBITAN;
			r->periode = trend_opt_dup(table_get(&t, P_PERIODE));
			r->kode = trend_kode_dup(table_get(&t, P_KODE));
			r->domain = angka_xstrdup("total");
			r->indikator = angka_xstrdup(ind[k]);
			r->sumber_text = trend_opt_dup(table_get(&t, P_SUMBER));
			r->v[V_EST] = angka_xstrdup(val);
			if ((rc = hrow_parse(r, e)) != ANGKA_OK)
				goto fail;
		}
	}
	if (got < 0)
		goto fail;
	table_release(&t);
	return ANGKA_OK;
fail:
	table_release(&t);
	return e->code ? e->code : ANGKA_EDATA;
}

/* Sort h and reject two rows with the same key. */
static enum angka_err sort_unique(struct hrows *h, struct angka_error *e)
{
	if (h->n)
		qsort(h->r, h->n, sizeof *h->r, trend_hrow_cmp);
	for (size_t i = 1; i < h->n; i++) {
		struct hrow *a = &h->r[i - 1], *b = &h->r[i];
		if (trend_hrow_cmp(a, b) == 0)
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: duplicate %s/%s/%s "
			                 "for %d (first at '%s':%ld)", b->file,
			                 b->line, b->kode, b->domain, b->indikator,
			                 b->tahun, a->file, a->line);
	}
	return ANGKA_OK;
}

static struct hrow *find_row(struct hrows *h, const struct hrow *key)
{
	if (!h->n)
		return NULL;
	return bsearch(key, h->r, h->n, sizeof *h->r, trend_hrow_cmp);
}

/* ------------------------------------------------------------ revisions */

enum { R_TAHUN, R_PERIODE, R_KODE, R_DOMAIN, R_IND, R_SUMBER_DATA,
       R_LAMA, R_SE_LAMA, R_BARU, R_SE_BARU, R_ALASAN, R_COUNT };
static const char *const rev_col[R_COUNT] = {
	"tahun", "periode", "kode_wilayah", "domain", "indikator", "sumber_data",
	"nilai_lama", "se_lama", "nilai_baru", "se_baru", "alasan"
};

struct revs {
	char **cell;   /* R_COUNT per row, owned */
	size_t n;
};

static void revs_add(struct revs *rv, const char *const *cells)
{
	rv->cell = angka_xrealloc(rv->cell, (rv->n + 1) * R_COUNT * sizeof *rv->cell);
	for (int i = 0; i < R_COUNT; i++)
		rv->cell[rv->n * R_COUNT + i] = angka_xstrdup(cells[i] ? cells[i] : "");
	rv->n++;
}

static void revs_release(struct revs *rv)
{
	for (size_t i = 0; i < rv->n * R_COUNT; i++)
		free(rv->cell[i]);
	free(rv->cell);
}

static enum angka_err read_revisions(const char *path, struct revs *rv,
                                     struct angka_error *e)
{
	static const char *const req[] = { "tahun", "kode_wilayah", "indikator",
	                                   "alasan", NULL };
	struct table t;
	enum angka_err rc = table_open(&t, path, rev_col, R_COUNT, req, e);
	if (rc != ANGKA_OK)
		return rc;
	int got;
	while ((got = table_next(&t, e)) > 0) {
		const char *cells[R_COUNT];
		for (int i = 0; i < R_COUNT; i++)
			cells[i] = table_get(&t, (size_t)i);
		revs_add(rv, cells);
	}
	table_release(&t);
	return got < 0 ? (e->code ? e->code : ANGKA_ECSV) : ANGKA_OK;
}

static void add_revision(struct revs *rv, const struct hrow *old,
                         const struct hrow *new, const char *reason)
{
	char y[16];
	snprintf(y, sizeof y, "%d", old->tahun);
	const char *cells[R_COUNT] = {
		y, old->periode, old->kode, old->domain, old->indikator,
		trend_sumber_name[old->sumber], old->v[V_EST], old->v[V_SE],
		new->v[V_EST], new->v[V_SE], reason
	};
	revs_add(rv, cells);
}

/* ------------------------------------------------------------ covariances */

struct cov_entry {
	char *kode, *domain, *indikator;
	int y1, y2;    /* y1 < y2 */
	double cov;
};

struct covs {
	struct cov_entry *c;
	size_t n;
};

static void covs_release(struct covs *cv)
{
	for (size_t i = 0; i < cv->n; i++) {
		free(cv->c[i].kode);
		free(cv->c[i].domain);
		free(cv->c[i].indikator);
	}
	free(cv->c);
}

static enum angka_err read_covs(const char *path, struct covs *cv,
                                struct angka_error *e)
{
	static const char *const want[] = { "kode_wilayah", "domain", "indikator",
	                                    "tahun_1", "tahun_2", "kovarians" };
	static const char *const req[] = { "kode_wilayah", "domain", "indikator",
	                                   "tahun_1", "tahun_2", "kovarians",
	                                   NULL };
	struct table t;
	enum angka_err rc = table_open(&t, path, want, 6, req, e);
	if (rc != ANGKA_OK)
		return rc;
	int got;
	while ((got = table_next(&t, e)) > 0) {
		int a, b;
		double c;
		if (trend_parse_year(table_get(&t, 3), &a) ||
		    trend_parse_year(table_get(&t, 4), &b) || a == b ||
		    parse_num(table_get(&t, 5), &c) || !isfinite(c)) {
			ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: need two different "
			          "years and a number in tahun_1, tahun_2, "
			          "kovarians", t.name, t.rec->line);
			table_release(&t);
			return ANGKA_EDATA;
		}
		cv->c = angka_xrealloc(cv->c, (cv->n + 1) * sizeof *cv->c);
		struct cov_entry *x = &cv->c[cv->n++];
		x->kode = trend_kode_dup(table_get(&t, 0));
		x->domain = angka_xstrdup(table_get(&t, 1));
		x->indikator = angka_xstrdup(table_get(&t, 2));
		x->y1 = a < b ? a : b;
		x->y2 = a < b ? b : a;
		x->cov = c;
	}
	table_release(&t);
	return got < 0 ? (e->code ? e->code : ANGKA_ECSV) : ANGKA_OK;
}

static const struct cov_entry *find_cov(const struct covs *cv,
                                        const struct hrow *r, int y1, int y2)
{
	for (size_t i = 0; i < cv->n; i++) {
		const struct cov_entry *x = &cv->c[i];
		if (x->y1 == y1 && x->y2 == y2 && strcmp(x->kode, r->kode) == 0 &&
		    strcmp(x->domain, r->domain) == 0 &&
		    strcmp(x->indikator, r->indikator) == 0)
			return x;
	}
	return NULL;
}

static int pair_shared(const int *pairs, size_t n, int y1, int y2)
{
	for (size_t i = 0; i < n; i++)
		if (pairs[2 * i] == y1 && pairs[2 * i + 1] == y2)
			return 1;
	return 0;
}

/* ------------------------------------------------------------ outputs */

/*
 * A derived number with 12 significant digits: 5.4 - 5.91 is written
 * -0.51, not -0.5099999999999998 (the last digits are rounding noise).
 */
static void put_num(struct angka_csv_writer *w, double v)
{
	char buf[64];
	if (!isfinite(v)) {
		angka_csv_writer_str(w, NULL);
		return;
	}
	snprintf(buf, sizeof buf, "%.12g", v);
	double r = strtod(buf, NULL);
	angka_number_format(r == 0 ? 0.0 : r, buf, sizeof buf);
	angka_csv_writer_str(w, buf);
}

static void put_int(struct angka_csv_writer *w, long v)
{
	angka_csv_writer_long(w, v);
}

static void write_history(struct angka_csv_writer *w, const struct hrows *h)
{
	angka_csv_writer_row(w, H_COUNT, hist_col);
	for (size_t i = 0; i < h->n; i++) {
		const struct hrow *r = &h->r[i];
		put_int(w, r->tahun);
		angka_csv_writer_str(w, r->periode);
		angka_csv_writer_str(w, r->kode);
		angka_csv_writer_str(w, r->domain);
		angka_csv_writer_str(w, r->indikator);
		for (int k = 0; k < V_COUNT; k++)
			angka_csv_writer_str(w, r->v[k]);
		angka_csv_writer_str(w, trend_sumber_name[r->sumber]);
		angka_csv_writer_str(w, r->sumber_text);
		angka_csv_writer_end_row(w);
	}
}

static const char *const chg_col[] = {
	"kode_wilayah", "domain", "indikator", "jenis", "tahun_awal",
	"tahun_akhir", "nilai_awal", "nilai_akhir", "perubahan", "perubahan_pct",
	"se_awal", "se_akhir", "kovarians", "se_perubahan", "uji", "statistik",
	"df", "p_value", "alpha", "kesimpulan", "catatan"
};

static void write_change(struct angka_csv_writer *w, const struct hrow *a,
                         const struct hrow *b, const char *jenis,
                         const struct trend_config *tc, const int *pairs,
                         size_t npairs, const struct covs *cv)
{
	double cov = 0, df = 0;
	const char *note = "sampel independen";
	int testable = isfinite(a->se) && isfinite(b->se);
	if (!testable)
		note = "SE tidak tersedia";
	if (testable && pair_shared(pairs, npairs, a->tahun, b->tahun)) {
		const struct cov_entry *x = find_cov(cv, a, a->tahun, b->tahun);
		if (x) {
			cov = x->cov;
			note = "PSU bersama: kovarians dipakai";
		} else {
			testable = 0;
			note = "PSU bersama tetapi kovarians tidak tersedia";
		}
	}
	int use_t = tc->test == 1 && isfinite(a->df) && isfinite(b->df) &&
	            a->df > 0 && b->df > 0;
	if (use_t)
		df = a->df < b->df ? a->df : b->df;
	struct trend_change c;
	int ok = -1;
	if (testable)
		ok = trend_change_test(a->est, a->se, b->est, b->se, cov, df,
		                       tc->alpha, &c);
	else
		trend_change_test(a->est, 0, b->est, 0, 0, 0, tc->alpha, &c);
	if (testable && ok < 0)
		note = "varians perubahan tidak positif";
	angka_csv_writer_str(w, a->kode);
	angka_csv_writer_str(w, a->domain);
	angka_csv_writer_str(w, a->indikator);
	angka_csv_writer_str(w, jenis);
	put_int(w, a->tahun);
	put_int(w, b->tahun);
	put_num(w, a->est);
	put_num(w, b->est);
	put_num(w, c.d);
	put_num(w, c.pct);
	put_num(w, a->se);
	put_num(w, b->se);
	put_num(w, ok == 0 ? cov : NAN);
	put_num(w, ok == 0 ? c.se : NAN);
	angka_csv_writer_str(w, ok == 0 ? (use_t ? "t" : "z") : "");
	put_num(w, ok == 0 ? c.stat : NAN);
	put_num(w, ok == 0 && use_t ? df : NAN);
	put_num(w, ok == 0 ? c.p : NAN);
	put_num(w, tc->alpha);
	angka_csv_writer_str(w, ok == 0 ? trend_verdict_text(c.verdict) : "");
	angka_csv_writer_str(w, note);
	angka_csv_writer_end_row(w);
}

static const char *const fit_col[] = {
	"kode_wilayah", "domain", "indikator", "tahun_awal", "tahun_akhir",
	"n_tahun", "slope", "se_slope", "se_slope_sampling", "df", "ci_lower",
	"ci_upper", "alpha", "fit_akhir", "chisq", "target", "tahun_target",
	"tahun_target_tepat", "catatan"
};

/* One trend.csv row for the hitung series r[0..n) (sorted by year). */
static void write_fit(struct angka_csv_writer *w, const struct hrow *r,
                      size_t n, const struct trend_config *tc)
{
	double *x = angka_xmalloc(n * sizeof *x);
	double *y = angka_xmalloc(n * sizeof *y);
	double *se = angka_xmalloc(n * sizeof *se);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(r[i].est) || !(r[i].se > 0))
			continue;
		x[m] = r[i].tahun;
		y[m] = r[i].est;
		se[m] = r[i].se;
		m++;
	}
	struct trend_fit f;
	const char *msg = "";
	char note[160] = "";
	int ok = m >= 2 ? trend_fit_wlinear(x, y, se, m, tc->alpha, &f, &msg) : -1;
	if (m < 2)
		snprintf(note, sizeof note, "kurang dari 2 tahun dengan SE");
	else if (ok < 0)
		snprintf(note, sizeof note, "regresi gagal: %s", msg);
	else if (m == 2)
		snprintf(note, sizeof note, "2 tahun: tanpa selang kepercayaan");
	double target = strcmp(r[0].domain, "total") == 0
	              ? trend_config_target(tc, r[0].indikator) : NAN;
	double ty = NAN;
	if (ok == 0 && isfinite(target)) {
		ty = trend_target_year(&f, x[m - 1], target);
		if (isnan(ty)) {
			size_t l = strlen(note);
			snprintf(note + l, sizeof note - l, "%stren tidak menuju target",
			         l ? "; " : "");
		}
	}
	angka_csv_writer_str(w, r[0].kode);
	angka_csv_writer_str(w, r[0].domain);
	angka_csv_writer_str(w, r[0].indikator);
	if (m) {
		put_int(w, (long)x[0]);
		put_int(w, (long)x[m - 1]);
	} else {
		angka_csv_writer_str(w, NULL);
		angka_csv_writer_str(w, NULL);
	}
	put_int(w, (long)m);
	int have = ok == 0;
	put_num(w, have ? f.b : NAN);
	put_num(w, have ? f.se_b : NAN);
	put_num(w, have ? f.se_sampling : NAN);
	put_num(w, have && m > 2 ? f.df : NAN);
	put_num(w, have ? f.lo : NAN);
	put_num(w, have ? f.hi : NAN);
	put_num(w, tc->alpha);
	put_num(w, have ? f.a + f.b * (x[m - 1] - f.x0) : NAN);
	put_num(w, have ? f.chisq : NAN);
	put_num(w, target);
	put_num(w, isfinite(ty) ? ceil(ty - 1e-9) : NAN);
	put_num(w, ty);
	angka_csv_writer_str(w, note);
	angka_csv_writer_end_row(w);
	free(x);
	free(y);
	free(se);
}

/* ------------------------------------------------------------ run */

enum angka_err trend_run(const struct trend_opts *o,
                         const struct trend_config *tc,
                         struct trend_stats *st, struct angka_error *e)
{
	struct hrows comp = { 0 }, pub = { 0 }, prev = { 0 }, out = { 0 };
	struct revs rv = { 0 };
	struct covs cv = { 0 };
	int *pairs = NULL;
	size_t npairs = 0;
	struct angka_csv_writer *wh = NULL, *wc = NULL, *wt = NULL, *wr = NULL;
	enum angka_err rc;
	memset(st, 0, sizeof *st);

	if ((rc = trend_parse_year_pairs(tc->shared_psu_years, &pairs, &npairs,
	                                 e)) != ANGKA_OK)
		goto cleanup;
	for (size_t i = 0; i < o->nfiles; i++)
		if ((rc = read_rows(o->files[i], 0, &comp, e)) != ANGKA_OK)
			goto cleanup;
	if ((rc = sort_unique(&comp, e)) != ANGKA_OK)
		goto cleanup;
	if (o->published) {
		if ((rc = read_published(o->published, &pub, e)) != ANGKA_OK)
			goto cleanup;
		if ((rc = sort_unique(&pub, e)) != ANGKA_OK)
			goto cleanup;
	}
	/* A previous history that does not exist yet (the first run) is an
	 * empty one: the driver always names the same path. */
	if (o->previous_history && access(o->previous_history, F_OK) == 0 &&
	    (rc = read_rows(o->previous_history, 1, &prev, e)) != ANGKA_OK)
		goto cleanup;
	if ((rc = sort_unique(&prev, e)) != ANGKA_OK)
		goto cleanup;
	if (o->cov && (rc = read_covs(o->cov, &cv, e)) != ANGKA_OK)
		goto cleanup;
	if (o->revisions && access(o->revisions, F_OK) == 0 &&
	    (rc = read_revisions(o->revisions, &rv, e)) != ANGKA_OK)
		goto cleanup;

	/* Merge: new computed and published rows win over the previous ones;
	 * a changed value leaves a revision row. */
	for (size_t i = 0; i < prev.n; i++) {
		struct hrow *p = &prev.r[i];
		struct hrows *now = p->sumber == SRC_HITUNG ? &comp
		                  : o->published ? &pub : NULL;
		struct hrow *n = now ? find_row(now, p) : NULL;
		if (!n) {
			trend_hrows_take(&out, p);
			st->carried++;
			continue;
		}
		if (!trend_same_value(p, n)) {
			add_revision(&rv, p, n, p->sumber == SRC_HITUNG ? "recomputed"
			                                                : "republished");
			st->revised++;
		}
	}
	for (size_t i = 0; i < comp.n; i++)
		trend_hrows_take(&out, &comp.r[i]);
	for (size_t i = 0; i < pub.n; i++)
		trend_hrows_take(&out, &pub.r[i]);
	if (out.n)
		qsort(out.r, out.n, sizeof *out.r, trend_hrow_cmp);
	for (size_t i = 0; i < out.n; i++) {
		if (out.r[i].sumber == SRC_HITUNG)
			st->hitung++;
		else
			st->terbitan++;
	}

	unsigned fl = o->writer_flags;
	if ((rc = angka_csv_writer_open(&wh, o->history, fl, e)) != ANGKA_OK ||
	    (rc = angka_csv_writer_open(&wc, o->changes, fl, e)) != ANGKA_OK)
		goto cleanup;
	if (o->trend && (rc = angka_csv_writer_open(&wt, o->trend, fl, e)) != ANGKA_OK)
		goto cleanup;
	if (o->revisions &&
	    (rc = angka_csv_writer_open(&wr, o->revisions, fl, e)) != ANGKA_OK)
		goto cleanup;

	write_history(wh, &out);
	angka_csv_writer_row(wc, sizeof chg_col / sizeof *chg_col, chg_col);
	if (wt)
		angka_csv_writer_row(wt, sizeof fit_col / sizeof *fit_col, fit_col);
	/* Changes and fits: computed series only (published have no SE). */
	for (size_t i = 0; i < out.n;) {
		size_t j = i + 1;
		while (j < out.n && trend_same_series(&out.r[i], &out.r[j]))
			j++;
		if (out.r[i].sumber == SRC_HITUNG) {
			/* Years with an estimate. */
			size_t m = 0;
			const struct hrow **s = angka_xmalloc((j - i) * sizeof *s);
			for (size_t k = i; k < j; k++)
				if (isfinite(out.r[k].est))
					s[m++] = &out.r[k];
			for (size_t k = 1; k < m; k++, st->changes++)
				write_change(wc, s[k - 1], s[k], "tahunan", tc, pairs,
				             npairs, &cv);
			if (m >= 3) {
				write_change(wc, s[0], s[m - 1], "periode", tc, pairs,
				             npairs, &cv);
				st->changes++;
			}
			free(s);
			if (wt) {
				write_fit(wt, &out.r[i], j - i, tc);
				st->fits++;
			}
		}
		i = j;
	}
	if (wr) {
		angka_csv_writer_row(wr, R_COUNT, rev_col);
		for (size_t i = 0; i < rv.n; i++)
			angka_csv_writer_row(wr, R_COUNT,
			                     (const char *const *)&rv.cell[i * R_COUNT]);
	}

	/* Commit all or none (a failed commit removes its own temporary). */
	rc = angka_csv_writer_commit(wh, e);
	wh = NULL;
	if (rc == ANGKA_OK) {
		rc = angka_csv_writer_commit(wc, e);
		wc = NULL;
	}
	if (rc == ANGKA_OK && wt) {
		rc = angka_csv_writer_commit(wt, e);
		wt = NULL;
	}
	if (rc == ANGKA_OK && wr) {
		rc = angka_csv_writer_commit(wr, e);
		wr = NULL;
	}
cleanup:
	angka_csv_writer_abort(wh);
	angka_csv_writer_abort(wc);
	angka_csv_writer_abort(wt);
	angka_csv_writer_abort(wr);
	trend_hrows_release(&comp);
	trend_hrows_release(&pub);
	trend_hrows_release(&prev);
	trend_hrows_release(&out);
	revs_release(&rv);
	covs_release(&cv);
	free(pairs);
	return rc;
}
