/*
 * read.c - angka-trend's inputs: indicator tables, the published series
 * and the previous history as history rows, the revisions file and the
 * covariance table (see trend_int.h).
 */
#include "trend_int.h"
#include "csv_columns.h"

#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		/* "" is missing (NaN); a written inf or nan is no value. */
		if (*s && !isfinite(d))
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: column '%s': "
			                 "'%s' is not a finite number", r->file,
			                 r->line, value_col[num[i]], s);
		if (num[i] == V_EST) r->est = d;
		if (num[i] == V_SE) r->se = d;
		if (num[i] == V_DF) r->df = d;
	}
	if (r->se < 0)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: negative se '%s'",
		                 r->file, r->line, r->v[V_SE]);
	/* The range of the estimate where the indicator fixes one: P0, P1
	 * and P2 in percent (x 100), counts and lines not negative. */
	static const struct { const char *ind; double lo, hi; } range[] = {
		{ "P0", 0, 100 }, { "P1", 0, 100 }, { "P2", 0, 100 },
		{ "jumlah_miskin", 0, INFINITY }, { "garis_kemiskinan", 0, INFINITY },
		{ "gini", 0, 1 },
	};
	for (size_t k = 0; k < sizeof range / sizeof *range; k++)
		if (r->indikator && strcmp(r->indikator, range[k].ind) == 0 &&
		    !isnan(r->est) && (r->est < range[k].lo || r->est > range[k].hi))
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: column "
			                 "'estimate': %s %s out of range (%g to %g)",
			                 r->file, r->line, r->indikator,
			                 r->v[V_EST], range[k].lo, range[k].hi);
	return ANGKA_OK;
}

/* history.csv columns; an indicator table has the same names less some. */
const char *const trend_hist_col[H_COUNT] = {
	"tahun", "periode", "kode_wilayah", "domain", "indikator",
	"estimate", "se", "ci_lower", "ci_upper", "rse_pct", "reliability",
	"n_obs", "n_psu", "df", "sumber_data", "sumber"
};

/*
 * Read an indicator table (is_history 0) or a previous history.csv
 * (is_history 1) into h.
 */
enum angka_err trend_read_rows(const char *path, int is_history,
                               struct hrows *h, struct angka_error *e)
{
	static const char *const req_ind[] = { "tahun", "kode_wilayah", "domain",
	                                       "indikator", "estimate", NULL };
	static const char *const req_hist[] = { "tahun", "kode_wilayah", "domain",
	                                        "indikator", "estimate",
	                                        "sumber_data", NULL };
	struct table t;
	enum angka_err rc = table_open(&t, path, trend_hist_col, H_COUNT,
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
		/* An empty kode_wilayah is the region of several provinces
		 * (angka-indicators' total over a national survey): the
		 * nation, which has no Kemendagri code. */
		if (!*r->domain || !*r->indikator) {
			ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: empty domain or "
			          "indikator", t.name, r->line);
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
enum angka_err trend_read_published(const char *path, struct hrows *h,
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
enum angka_err trend_sort_unique(struct hrows *h, struct angka_error *e)
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

struct hrow *trend_find_row(struct hrows *h, const struct hrow *key)
{
	if (!h->n)
		return NULL;
	return bsearch(key, h->r, h->n, sizeof *h->r, trend_hrow_cmp);
}

/* ------------------------------------------------------------ revisions */

const char *const trend_rev_col[R_COUNT] = {
	"tahun", "periode", "kode_wilayah", "domain", "indikator", "sumber_data",
	"nilai_lama", "se_lama", "nilai_baru", "se_baru", "alasan"
};

static void revs_add(struct revs *rv, const char *const *cells)
{
	if (rv->n == rv->cap) {
		rv->cap = rv->cap ? 2 * rv->cap : 64;
		rv->cell = angka_xrealloc(rv->cell,
		                          rv->cap * R_COUNT * sizeof *rv->cell);
	}
	for (int i = 0; i < R_COUNT; i++)
		rv->cell[rv->n * R_COUNT + i] = angka_xstrdup(cells[i] ? cells[i] : "");
	rv->n++;
}

void trend_revs_release(struct revs *rv)
{
	for (size_t i = 0; i < rv->n * R_COUNT; i++)
		free(rv->cell[i]);
	free(rv->cell);
}

enum angka_err trend_read_revisions(const char *path, struct revs *rv,
                                    struct angka_error *e)
{
	static const char *const req[] = { "tahun", "kode_wilayah", "indikator",
	                                   "alasan", NULL };
	struct table t;
	enum angka_err rc = table_open(&t, path, trend_rev_col, R_COUNT, req, e);
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

void trend_add_revision(struct revs *rv, const struct hrow *old,
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

/* ------------------------------------------------------------ indexes */

/* FNV-1a over s and its terminating NUL, continuing from h. */
static uint64_t hash_str(uint64_t h, const char *s)
{
	do {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	} while (*s++);
	return h;
}

static uint64_t hash_int(uint64_t h, int v)
{
	unsigned u = (unsigned)v;
	for (int i = 0; i < 4; i++, u >>= 8) {
		h ^= u & 0xffu;
		h *= 1099511628211u;
	}
	return h;
}

#define HASH_SEED 14695981039346656037u

/* Position of key h in ix: the slot holding an entry eq accepts, or the
 * empty slot where it would go. ix has at least one empty slot. */
static size_t index_probe(const struct trend_index *ix, uint64_t h,
                          int (*eq)(const void *ctx, size_t i, const void *key),
                          const void *ctx, const void *key)
{
	size_t mask = ix->cap - 1, p = (size_t)h & mask;
	while (ix->slot[p] && !eq(ctx, ix->slot[p] - 1, key))
		p = (p + 1) & mask;
	return p;
}

/* Entry index of key, or (size_t)-1. */
static size_t index_find(const struct trend_index *ix, uint64_t h,
                         int (*eq)(const void *ctx, size_t i, const void *key),
                         const void *ctx, const void *key)
{
	if (!ix->cap)
		return (size_t)-1;
	size_t p = index_probe(ix, h, eq, ctx, key);
	return ix->slot[p] ? ix->slot[p] - 1 : (size_t)-1;
}

/* Make room for one more key in ix, which indexes n entries whose hashes
 * hash(ctx, i) gives. */
static void index_reserve(struct trend_index *ix, size_t n,
                          uint64_t (*hash)(const void *ctx, size_t i),
                          const void *ctx)
{
	if (2 * (n + 1) <= ix->cap)
		return;
	size_t cap = ix->cap ? 2 * ix->cap : 64;
	size_t *old = ix->slot, oldcap = ix->cap;
	ix->slot = angka_xcalloc(cap, sizeof *ix->slot);
	ix->cap = cap;
	for (size_t k = 0; k < oldcap; k++) {
		if (!old[k])
			continue;
		size_t p = (size_t)hash(ctx, old[k] - 1) & (cap - 1);
		while (ix->slot[p])
			p = (p + 1) & (cap - 1);
		ix->slot[p] = old[k];
	}
	free(old);
}

static void index_release(struct trend_index *ix)
{
	free(ix->slot);
	memset(ix, 0, sizeof *ix);
}

/* ------------------------------------------------------------ covariances */

void trend_covs_release(struct covs *cv)
{
	for (size_t i = 0; i < cv->n; i++) {
		free(cv->c[i].kode);
		free(cv->c[i].domain);
		free(cv->c[i].indikator);
	}
	free(cv->c);
	index_release(&cv->ix);
	memset(cv, 0, sizeof *cv);
}

struct cov_key {
	const char *kode, *domain, *indikator;
	int y1, y2;
};

static uint64_t cov_key_hash(const struct cov_key *k)
{
	uint64_t h = hash_str(HASH_SEED, k->kode);
	h = hash_str(h, k->domain);
	h = hash_str(h, k->indikator);
	return hash_int(hash_int(h, k->y1), k->y2);
}

static uint64_t cov_hash(const void *ctx, size_t i)
{
	const struct cov_entry *x = &((const struct covs *)ctx)->c[i];
	struct cov_key k = { x->kode, x->domain, x->indikator, x->y1, x->y2 };
	return cov_key_hash(&k);
}

static int cov_eq(const void *ctx, size_t i, const void *key)
{
	const struct cov_entry *x = &((const struct covs *)ctx)->c[i];
	const struct cov_key *k = key;
	return x->y1 == k->y1 && x->y2 == k->y2 &&
	       strcmp(x->kode, k->kode) == 0 &&
	       strcmp(x->domain, k->domain) == 0 &&
	       strcmp(x->indikator, k->indikator) == 0;
}

enum angka_err trend_read_covs(const char *path, struct covs *cv,
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
		if (cv->n == cv->cap) {
			cv->cap = cv->cap ? 2 * cv->cap : 64;
			cv->c = angka_xrealloc(cv->c, cv->cap * sizeof *cv->c);
		}
		struct cov_entry *x = &cv->c[cv->n];
		x->kode = trend_kode_dup(table_get(&t, 0));
		x->domain = angka_xstrdup(table_get(&t, 1));
		x->indikator = angka_xstrdup(table_get(&t, 2));
		x->y1 = a < b ? a : b;
		x->y2 = a < b ? b : a;
		x->cov = c;
		/* A key given twice: the first row counts (as before). */
		index_reserve(&cv->ix, cv->n, cov_hash, cv);
		struct cov_key k = { x->kode, x->domain, x->indikator, x->y1,
		                     x->y2 };
		size_t p = index_probe(&cv->ix, cov_key_hash(&k), cov_eq, cv, &k);
		if (!cv->ix.slot[p])
			cv->ix.slot[p] = cv->n + 1;
		cv->n++;
	}
	table_release(&t);
	return got < 0 ? (e->code ? e->code : ANGKA_ECSV) : ANGKA_OK;
}

const struct cov_entry *trend_find_cov(const struct covs *cv,
                                       const struct hrow *r, int y1, int y2)
{
	struct cov_key k = { r->kode, r->domain, r->indikator, y1, y2 };
	size_t i = index_find(&cv->ix, cov_key_hash(&k), cov_eq, cv, &k);
	return i == (size_t)-1 ? NULL : &cv->c[i];
}

int trend_pair_shared(const int *pairs, size_t n, int y1, int y2)
{
	for (size_t i = 0; i < n; i++)
		if (pairs[2 * i] == y1 && pairs[2 * i + 1] == y2)
			return 1;
	return 0;
}

/* ------------------------------------------------------------ deflator */

void trend_lines_release(struct lines *ln)
{
	for (size_t i = 0; i < ln->n; i++)
		free(ln->l[i].kode);
	free(ln->l);
	index_release(&ln->ix);
	memset(ln, 0, sizeof *ln);
}

struct line_key {
	const char *kode;
	int tahun;
};

static uint64_t line_key_hash(const struct line_key *k)
{
	return hash_int(hash_str(HASH_SEED, k->kode), k->tahun);
}

static uint64_t line_hash(const void *ctx, size_t i)
{
	const struct line_entry *x = &((const struct lines *)ctx)->l[i];
	struct line_key k = { x->kode, x->tahun };
	return line_key_hash(&k);
}

static int line_eq(const void *ctx, size_t i, const void *key)
{
	const struct line_entry *x = &((const struct lines *)ctx)->l[i];
	const struct line_key *k = key;
	return x->tahun == k->tahun && strcmp(x->kode, k->kode) == 0;
}

enum angka_err trend_read_lines(const char *path, struct lines *ln,
                                struct angka_error *e)
{
	static const char *const want[] = { "kode_wilayah", "tahun", "daerah",
	                                    "garis_kemiskinan" };
	static const char *const req[] = { "kode_wilayah", "tahun", "daerah",
	                                   "garis_kemiskinan", NULL };
	struct table t;
	enum angka_err rc = table_open(&t, path, want, 4, req, e);
	if (rc != ANGKA_OK)
		return rc;
	int got;
	while ((got = table_next(&t, e)) > 0) {
		if (strcmp(table_get(&t, 2), "total") != 0)
			continue;
		int y;
		double z;
		if (trend_parse_year(table_get(&t, 1), &y) ||
		    parse_num(table_get(&t, 3), &z) || !(z > 0) || !isfinite(z)) {
			ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: need a year and a "
			          "positive garis_kemiskinan", t.name, t.rec->line);
			table_release(&t);
			return ANGKA_EDATA;
		}
		char *kode = trend_kode_dup(table_get(&t, 0));
		index_reserve(&ln->ix, ln->n, line_hash, ln);
		struct line_key k = { kode, y };
		size_t p = index_probe(&ln->ix, line_key_hash(&k), line_eq, ln, &k);
		const struct line_entry *old = ln->ix.slot[p]
		                             ? &ln->l[ln->ix.slot[p] - 1] : NULL;
		if (old && old->z != z) {
			ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: second poverty line "
			          "for kode_wilayah '%s', tahun %d", t.name,
			          t.rec->line, table_get(&t, 0), y);
			free(kode);
			table_release(&t);
			return ANGKA_EDATA;
		}
		if (old) {
			free(kode);
			continue;
		}
		if (ln->n == ln->cap) {
			ln->cap = ln->cap ? 2 * ln->cap : 64;
			ln->l = angka_xrealloc(ln->l, ln->cap * sizeof *ln->l);
		}
		ln->l[ln->n].kode = kode;
		ln->l[ln->n].tahun = y;
		ln->l[ln->n].z = z;
		ln->n++;
		ln->ix.slot[p] = ln->n;
	}
	table_release(&t);
	return got < 0 ? (e->code ? e->code : ANGKA_ECSV) : ANGKA_OK;
}

const struct line_entry *trend_find_line(const struct lines *ln,
                                         const char *kode, int tahun)
{
	struct line_key k = { kode, tahun };
	size_t i = index_find(&ln->ix, line_key_hash(&k), line_eq, ln, &k);
	return i == (size_t)-1 ? NULL : &ln->l[i];
}
