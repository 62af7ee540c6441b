/*
 * read.c - angka-garis's inputs into memory: the SUSENAS households, the
 * two consumption files (bad rows quarantined with a reason), the calorie
 * table, the basic-needs ratios, the CPI and the previous lines (errors
 * with file:line: field).
 */
#include "garis_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_columns.h"
#include "number.h"

const char *const garis_area_name[GARIS_NAREA] = { "perkotaan", "perdesaan" };

/* An open table: reader, header indexes, number locale. */
struct tab {
	struct angka_csv_reader *r;
	const char *name;
	int idx[12];
	enum angka_number_locale loc;
	char delim;
};

/* Columns cols[0..n) of which the first nreq are required. */
static enum angka_err tab_open_opt(struct tab *t, const char *path,
                                   const char *const *cols, size_t n,
                                   size_t nreq, const char *what,
                                   struct angka_error *e)
{
	const struct angka_csv_record *hdr;
	const char *req[13];
	for (size_t i = 0; i < nreq; i++)
		req[i] = cols[i];
	req[nreq] = NULL;
	enum angka_err rc = angka_csv_open_columns(&t->r, &hdr, path, NULL, cols,
	                                           n, t->idx, req, what, e);
	if (rc)
		return rc;
	t->name = angka_csv_reader_name(t->r);
	t->delim = angka_csv_reader_delim(t->r);
	/* ';' files (BPS exports, SUSENAS 2019) write the decimal comma */
	t->loc = t->delim == ';' ? ANGKA_NUMBER_ID : ANGKA_NUMBER_EN;
	return ANGKA_OK;
}

static const char *fld(const struct angka_csv_record *rec, const struct tab *t,
                       int i, size_t *len)
{
	int k = t->idx[i];
	if (k < 0 || (size_t)k >= rec->nfields) {
		*len = 0;
		return "";
	}
	*len = rec->len[k];
	return rec->field[k];
}

static enum angka_err tab_open(struct tab *t, const char *path,
                               const char *const *cols, size_t n,
                               const char *what, struct angka_error *e)
{
	return tab_open_opt(t, path, cols, n, n, what, e);
}

/* Parse field i: 0 ok, 1 missing, 2 invalid. */
static int num(const struct angka_csv_record *rec, const struct tab *t, int i,
               double *v)
{
	size_t len;
	const char *s = fld(rec, t, i, &len);
	struct angka_number n;
	enum angka_number_status st = angka_number_parse(s, len, t->loc, &n);
	*v = n.value;
	return st == ANGKA_NUMBER_OK ? 0 : st == ANGKA_NUMBER_MISSING ? 1 : 2;
}

static char *dup_field(const struct angka_csv_record *rec, const struct tab *t,
                       int i)
{
	size_t len;
	const char *s = fld(rec, t, i, &len);
	char *p = angka_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = 0;
	return p;
}

static enum angka_err tab_close(struct tab *t, int got, struct angka_error *e)
{
	if (got < 0) {
		angka_csv_reader_free(t->r);
		t->r = NULL;
		return e->code;
	}
	enum angka_err rc = angka_csv_reader_close(t->r, e);
	t->r = NULL;
	return rc;
}

/* Free the reader after the message was formatted (it names the file). */
static enum angka_err badrow(struct tab *t, enum angka_err rc)
{
	angka_csv_reader_free(t->r);
	t->r = NULL;
	return rc;
}

#define BADROW(t, rec, col, ...) \
	badrow((t), ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: field '%s': " __VA_ARGS__))

/* ---------------------------------------------------------------- lookups */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Index of kode among n structs of size sz whose first member is char *kode,
 * by linear search (52 commodities: no index needed). */
static size_t find_kode(const void *base, size_t n, size_t sz, const char *s,
                        size_t len)
{
	for (size_t i = 0; i < n; i++) {
		const char *k = *(char *const *)((const char *)base + i * sz);
		if (strlen(k) == len && memcmp(k, s, len) == 0)
			return i;
	}
	return (size_t)-1;
}

/* Households sorted by URUT for the consumption files. */
struct urut_ix { const char *urut; size_t hh; };

static int cmp_urut(const void *a, const void *b)
{
	return strcmp(((const struct urut_ix *)a)->urut,
	              ((const struct urut_ix *)b)->urut);
}

/* ---------------------------------------------------------------- tables */

static enum angka_err read_food_table(const char *path, struct garis_data *d,
                                      struct angka_error *e)
{
	static const char *const cols[] = { "kode", "nama", "satuan", "kkal_per_satuan" };
	struct tab t;
	enum angka_err rc = tab_open(&t, path, cols, 4, "calorie table", e);
	if (rc)
		return rc;
	const struct angka_csv_record *rec;
	int got;
	size_t cap = 0;
	while ((got = angka_csv_reader_next(t.r, &rec, e)) > 0) {
		size_t len;
		const char *k = fld(rec, &t, 0, &len);
		if (len == 0)
			return BADROW(&t, rec, "kode", "empty commodity code", t.name, rec->line, "kode");
		if (find_kode(d->fc, d->nfc, sizeof *d->fc, k, len) != (size_t)-1)
			return BADROW(&t, rec, "kode", "commodity '%s' listed twice", t.name, rec->line, "kode", k);
		double kk;
		int st = num(rec, &t, 3, &kk);
		if (st == 1)
			return BADROW(&t, rec, "kkal_per_satuan", "commodity '%s' has no calories (0 if it has none, e.g. cigarettes)", t.name, rec->line, "kkal_per_satuan", k);
		if (st == 2 || kk < 0 || !isfinite(kk))
			return BADROW(&t, rec, "kkal_per_satuan", "not a number >= 0", t.name, rec->line, "kkal_per_satuan");
		if (d->nfc == cap) {
			cap = cap ? 2 * cap : 64;
			d->fc = angka_xrealloc(d->fc, cap * sizeof *d->fc);
		}
		struct garis_food *f = &d->fc[d->nfc++];
		f->kode = dup_field(rec, &t, 0);
		f->nama = dup_field(rec, &t, 1);
		f->satuan = dup_field(rec, &t, 2);
		f->kkal = kk;
	}
	rc = tab_close(&t, got, e);
	if (!rc && d->nfc == 0)
		rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': no food commodity", path);
	return rc;
}

static enum angka_err read_ratio_table(const char *path, struct garis_data *d,
                                       struct angka_error *e)
{
	static const char *const cols[] = { "kode", "nama", "rasio_perkotaan", "rasio_perdesaan" };
	struct tab t;
	enum angka_err rc = tab_open(&t, path, cols, 4, "basic-needs ratios", e);
	if (rc)
		return rc;
	const struct angka_csv_record *rec;
	int got;
	size_t cap = 0;
	while ((got = angka_csv_reader_next(t.r, &rec, e)) > 0) {
		size_t len;
		const char *k = fld(rec, &t, 0, &len);
		if (len == 0)
			return BADROW(&t, rec, "kode", "empty item code", t.name, rec->line, "kode");
		if (find_kode(d->nc, d->nnc, sizeof *d->nc, k, len) != (size_t)-1 ||
		    find_kode(d->fc, d->nfc, sizeof *d->fc, k, len) != (size_t)-1)
			return BADROW(&t, rec, "kode", "item '%s' listed twice or also a food commodity", t.name, rec->line, "kode", k);
		if (d->nnc == cap) {
			cap = cap ? 2 * cap : 64;
			d->nc = angka_xrealloc(d->nc, cap * sizeof *d->nc);
		}
		struct garis_nonfood *f = &d->nc[d->nnc];
		for (int a = 0; a < GARIS_NAREA; a++) {
			double r;
			int st = num(rec, &t, 2 + a, &r);
			if (st == 2 || (st == 0 && (r < 0 || r > 1)))
				return BADROW(&t, rec, cols[2 + a], "not a ratio in [0, 1]", t.name, rec->line, cols[2 + a]);
			f->has[a] = st == 0;
			f->r[a] = st == 0 ? r : 0;
		}
		f->kode = dup_field(rec, &t, 0);
		f->nama = dup_field(rec, &t, 1);
		d->nnc++;
	}
	return tab_close(&t, got, e);
}

/* The value of kode_wilayah,periode,COL for (kode, periode); -1 if absent. */
static enum angka_err read_series(const char *path, const char *col,
                                  const char *what, struct garis_data *d,
                                  int tahun, int bulan, int which,
                                  struct angka_error *e)
{
	const char *cols[] = { "kode_wilayah", "periode", col, "daerah" };
	struct tab t;
	enum angka_err rc = tab_open_opt(&t, path, cols, 4, 3, what, e);
	if (rc)
		return rc;
	int dcol = t.idx[3];
	char want[2][16];
	snprintf(want[0], sizeof want[0], "%04d-%02d", tahun - 1, bulan);
	snprintf(want[1], sizeof want[1], "%04d-%02d", tahun, bulan);
	const struct angka_csv_record *rec;
	int got;
	while ((got = angka_csv_reader_next(t.r, &rec, e)) > 0) {
		size_t kl, pl, dl;
		/* normalized lines: the total line (daerah total or empty) */
		if (dcol >= 0 && (size_t)dcol < rec->nfields) {
			dl = rec->len[dcol];
			if (dl && strcmp(rec->field[dcol], "total"))
				continue;
		}
		const char *k = fld(rec, &t, 0, &kl);
		const char *p = fld(rec, &t, 1, &pl);
		int per = -1;
		for (int i = 0; i < 2; i++)
			if (pl == 7 && memcmp(p, want[i], 7) == 0)
				per = i;
		if (per < 0 || (which == 0 && per == 1))
			continue;
		size_t r = find_kode(d->reg, d->nreg, sizeof *d->reg, k, kl);
		if (r == (size_t)-1)
			continue;
		double v;
		if (num(rec, &t, 2, &v) || !(v > 0))
			return BADROW(&t, rec, col, "not a number > 0", t.name, rec->line, col);
		if (which == 0)
			d->reg[r].gk_prev = v;
		else if (per == 0)
			d->reg[r].ihk_prev = v;
		else
			d->reg[r].ihk_cur = v;
	}
	return tab_close(&t, got, e);
}

/* ---------------------------------------------------------------- SUSENAS */

static enum angka_err read_susenas(const char *path, struct garis_data *d,
                                   struct angka_error *e)
{
	/* The raw SUSENAS names, or angka-normalize's (--kind susenas). */
	static const char *const raw[] = { "URUT", "R101", "R102", "R105", "PSU",
	                                   "STRATA", "R301", "WERT", "KAPITA" };
	static const char *const norm[] = { "id_ruta", "kode_prov", "kode_kab",
	                                    "daerah", "psu", "strata", "jumlah_art",
	                                    "bobot_ruta", "kapita" };
	const char *want[18];
	for (int i = 0; i < 9; i++)
		want[i] = raw[i], want[9 + i] = norm[i];
	struct tab t;
	const struct angka_csv_record *hdr;
	int all[18];
	enum angka_err rc = angka_csv_open_columns(&t.r, &hdr, path, NULL, want, 18,
	                                           all, NULL, NULL, e);
	if (rc)
		return rc;
	t.name = angka_csv_reader_name(t.r);
	t.delim = angka_csv_reader_delim(t.r);
	t.loc = t.delim == ';' ? ANGKA_NUMBER_ID : ANGKA_NUMBER_EN;
	int use = -1;
	for (int set = 0; set < 2 && use < 0; set++) {
		int ok = 1;
		for (int i = 0; i < 9; i++)
			ok &= all[9 * set + i] >= 0;
		if (ok)
			use = set;
	}
	if (use < 0) {
		int set = all[9] >= 0 ? 1 : 0;
		const char *miss = "";
		for (int i = 0; i < 9 && !*miss; i++)
			if (all[9 * set + i] < 0)
				miss = want[9 * set + i];
		return badrow(&t, ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':1: missing column '%s' (SUSENAS households: %s)",
		                            t.name, miss, set ? "angka-normalize's columns" : "URUT,R101,R102,R105,PSU,STRATA,R301,WERT,KAPITA"));
	}
	for (int i = 0; i < 9; i++)
		t.idx[i] = all[9 * use + i];
	const char *const *cols = use ? norm : raw;
	const struct angka_csv_record *rec;
	int got;
	size_t cap = 0, ucap = 0, rcap = 0;
	while ((got = angka_csv_reader_next(t.r, &rec, e)) > 0) {
		size_t len, l1, l2;
		fld(rec, &t, 0, &len);
		if (len == 0)
			return BADROW(&t, rec, cols[0], "empty household number", t.name, rec->line, cols[0]);
		const char *p = fld(rec, &t, 1, &l1);
		const char *k = fld(rec, &t, 2, &l2);
		if (l1 == 0 || l2 == 0 || l1 + l2 > 14)
			return BADROW(&t, rec, cols[l1 ? 2 : 1], "empty or too long region code", t.name, rec->line, cols[l1 ? 2 : 1]);
		char kode[16];
		snprintf(kode, sizeof kode, "%.*s.%.*s", (int)l1, p, (int)l2, k);
		size_t a = 0;
		const char *ar = fld(rec, &t, 3, &len);
		if (len == 1 && (ar[0] == '1' || ar[0] == '2'))
			a = (size_t)(ar[0] - '1');
		else
			return BADROW(&t, rec, cols[3], "not 1 (perkotaan) or 2 (perdesaan)", t.name, rec->line, cols[3]);
		double size, w, y;
		if (num(rec, &t, 6, &size) || size < 1 || size != floor(size) || size > 100)
			return BADROW(&t, rec, cols[6], "not a household size 1-100", t.name, rec->line, cols[6]);
		if (num(rec, &t, 7, &w) || !(w > 0) || !isfinite(w))
			return BADROW(&t, rec, cols[7], "not a weight > 0", t.name, rec->line, cols[7]);
		if (num(rec, &t, 8, &y) || y < 0 || !isfinite(y))
			return BADROW(&t, rec, cols[8], "not an expenditure >= 0", t.name, rec->line, cols[8]);
		const char *ps = fld(rec, &t, 4, &l1);
		const char *sn = fld(rec, &t, 5, &l2);
		if (l1 == 0 || l2 == 0)
			return BADROW(&t, rec, cols[l1 ? 5 : 4], "empty", t.name, rec->line, cols[l1 ? 5 : 4]);
		if (d->nhh == cap) {
			cap = cap ? 2 * cap : 1024;
			d->hh = angka_xrealloc(d->hh, cap * sizeof *d->hh);
		}
		struct garis_hh *h = &d->hh[d->nhh++];
		memset(h, 0, sizeof *h);
		h->urut = dup_field(rec, &t, 0);
		h->area = (int)a;
		h->size = (int)size;
		h->w = w;
		h->y = y;
		/* region */
		size_t r = find_kode(d->reg, d->nreg, sizeof *d->reg, kode, strlen(kode));
		if (r == (size_t)-1) {
			if (d->nreg == rcap) {
				rcap = rcap ? 2 * rcap : 8;
				d->reg = angka_xrealloc(d->reg, rcap * sizeof *d->reg);
			}
			r = d->nreg++;
			memset(&d->reg[r], 0, sizeof d->reg[r]);
			d->reg[r].kode = angka_xstrdup(kode);
		}
		h->region = r;
		/* (strata, PSU) unit: linear in the units of the last stratum
		 * seen is enough for SUSENAS order; search all to be safe */
		size_t u;
		for (u = d->nunits; u-- > 0;)
			if (strlen(d->units[u].psu) == l1 && !memcmp(d->units[u].psu, ps, l1) &&
			    strlen(d->units[u].strata) == l2 && !memcmp(d->units[u].strata, sn, l2))
				break;
		if (u == (size_t)-1) {
			if (d->nunits == ucap) {
				ucap = ucap ? 2 * ucap : 64;
				d->units = angka_xrealloc(d->units, ucap * sizeof *d->units);
			}
			u = d->nunits++;
			d->units[u].psu = dup_field(rec, &t, 4);
			d->units[u].strata = dup_field(rec, &t, 5);
		}
		h->unit = u;
	}
	rc = tab_close(&t, got, e);
	if (rc)
		return rc;
	if (d->nhh == 0)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s': no household", path);
	/* URUT unique */
	char **u = angka_xmalloc(d->nhh * sizeof *u);
	for (size_t i = 0; i < d->nhh; i++)
		u[i] = d->hh[i].urut;
	qsort(u, d->nhh, sizeof *u, cmp_str);
	for (size_t i = 1; i < d->nhh; i++)
		if (!strcmp(u[i], u[i - 1])) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': field '%s': household number '%s' twice", path, cols[0], u[i]);
			break;
		}
	free(u);
	if (rc)
		return rc;
	/* strata numbering */
	char **s = angka_xmalloc(d->nunits * sizeof *s);
	for (size_t i = 0; i < d->nunits; i++)
		s[i] = d->units[i].strata;
	qsort(s, d->nunits, sizeof *s, cmp_str);
	size_t ns = 0;
	for (size_t i = 0; i < d->nunits; i++)
		if (i == 0 || strcmp(s[i], s[i - 1]))
			s[ns++] = s[i];
	for (size_t i = 0; i < d->nunits; i++) {
		char **f = bsearch(&d->units[i].strata, s, ns, sizeof *s, cmp_str);
		d->units[i].stratum = (size_t)(f - s);
	}
	d->nstrata = ns;
	free(s);
	return ANGKA_OK;
}

/* ---------------------------------------------------------------- consumption */

static enum angka_err read_items(const char *path, int food,
                                 const struct urut_ix *ix,
                                 struct garis_data *d, struct angka_quarantine *q,
                                 uint64_t *rows, uint64_t *used, uint64_t *quar,
                                 struct angka_error *e)
{
	static const char *const fcols[] = { "URUT", "KODE", "KUANTITAS", "NILAI" };
	static const char *const ncols[] = { "URUT", "KODE", "NILAI" };
	struct tab t;
	enum angka_err rc = tab_open(&t, path, food ? fcols : ncols, food ? 4 : 3,
	                             food ? "food consumption" : "non-food consumption", e);
	if (rc)
		return rc;
	struct garis_item **arr = food ? &d->food : &d->nonf;
	size_t *n = food ? &d->nfood_rows : &d->nnonf_rows;
	size_t cap = 0;
	int vi = food ? 3 : 2;
	const struct angka_csv_record *rec;
	int got;
	while ((got = angka_csv_reader_next(t.r, &rec, e)) > 0) {
		(*rows)++;
		const char *field = NULL, *reason = NULL, *detail = NULL;
		size_t ul, kl;
		const char *us = fld(rec, &t, 0, &ul);
		const char *ks = fld(rec, &t, 1, &kl);
		char ubuf[64];
		snprintf(ubuf, sizeof ubuf, "%.*s", (int)(ul < 63 ? ul : 63), us);
		struct urut_ix key = { ubuf, 0 };
		const struct urut_ix *hit = ul && ul < 63 ? bsearch(&key, ix, d->nhh, sizeof *ix, cmp_urut) : NULL;
		size_t com = food ? find_kode(d->fc, d->nfc, sizeof *d->fc, ks, kl)
		                  : find_kode(d->nc, d->nnc, sizeof *d->nc, ks, kl);
		double qv = 0, v = 0;
		int qs = food ? num(rec, &t, 2, &qv) : 0;
		int vs = num(rec, &t, vi, &v);
		if (!hit) {
			field = "URUT", reason = "household_unknown",
			detail = ul ? "household not in the SUSENAS file" : "empty household number";
		} else if (com == (size_t)-1) {
			field = "KODE";
			reason = "commodity_unknown";
			detail = food ? "not in the calorie table" : "not in the basic-needs ratio table";
		} else if (vs == 1) {
			field = "NILAI", reason = "missing_value", detail = "empty value";
		} else if (vs == 2 || !isfinite(v)) {
			field = "NILAI", reason = "number_unparseable", detail = "value not a number";
		} else if (v < 0) {
			field = "NILAI", reason = "value_range", detail = "negative value";
		} else if (food && qs == 2) {
			field = "KUANTITAS", reason = "number_unparseable", detail = "quantity not a number";
		} else if (food && qs == 0 && qv < 0) {
			field = "KUANTITAS", reason = "value_range", detail = "negative quantity";
		} else if (food && (qs == 1 || (qv == 0 && v > 0))) {
			field = "KUANTITAS", reason = "quantity_missing",
			detail = "a value without a quantity (no unit value)";
		}
		if (reason) {
			angka_quarantine_add(q, t.name, rec->line, field, reason, detail,
			                     NULL, rec, t.delim);
			(*quar)++;
			continue;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 4096;
			*arr = angka_xrealloc(*arr, cap * sizeof **arr);
		}
		struct garis_item *it = &(*arr)[(*n)++];
		it->hh = hit->hh;
		it->com = com;
		it->q = qv;
		it->v = v;
		it->line = rec->line;
		(*used)++;
	}
	return tab_close(&t, got, e);
}

static int cmp_item(const void *a, const void *b)
{
	const struct garis_item *x = a, *y = b;
	if (x->hh != y->hh)
		return x->hh < y->hh ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static void index_items(struct garis_data *d, int food)
{
	struct garis_item *a = food ? d->food : d->nonf;
	size_t n = food ? d->nfood_rows : d->nnonf_rows;
	if (n)
		qsort(a, n, sizeof *a, cmp_item);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && a[j].hh == a[i].hh)
			j++;
		struct garis_hh *h = &d->hh[a[i].hh];
		if (food)
			h->food_off = i, h->food_n = j - i;
		else
			h->nonf_off = i, h->nonf_n = j - i;
		i = j;
	}
}

/* Sort each region-area's households by KAPITA, ties in file order. */
static const struct garis_hh *g_sort_hh;
static int cmp_kapita(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	double x = g_sort_hh[i].y, y = g_sort_hh[j].y;
	if (x != y)
		return x < y ? -1 : 1;
	return (i > j) - (i < j);
}

enum angka_err garis_read(const struct garis_opts *o, struct garis_data *d,
                          struct garis_stats *st, struct angka_error *e)
{
	memset(d, 0, sizeof *d);
	enum angka_err rc;
	if ((rc = read_food_table(o->komoditas, d, e)) ||
	    (rc = read_ratio_table(o->rasio, d, e)) ||
	    (rc = read_susenas(o->susenas, d, e)))
		return rc;
	st->households = d->nhh;
	st->regions = d->nreg;
	if ((rc = read_series(o->garis, "garis_kemiskinan", "previous poverty lines", d,
	                      o->tahun, o->bulan, 0, e)) ||
	    (rc = read_series(o->ihk, "ihk", "consumer price index", d, o->tahun,
	                      o->bulan, 1, e)))
		return rc;
	for (size_t r = 0; r < d->nreg; r++) {
		struct garis_region *g = &d->reg[r];
		if (!(g->gk_prev > 0))
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s': no line of region %s for %04d-%02d (the provisional line moves it by the CPI)",
			                 o->garis, g->kode, o->tahun - 1, o->bulan);
		if (!(g->ihk_prev > 0) || !(g->ihk_cur > 0))
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s': no CPI of region %s for %04d-%02d",
			                 o->ihk, g->kode, g->ihk_prev > 0 ? o->tahun : o->tahun - 1, o->bulan);
		g->zp = g->gk_prev * (g->ihk_cur / g->ihk_prev);
	}
	struct urut_ix *ix = angka_xmalloc(d->nhh * sizeof *ix);
	for (size_t i = 0; i < d->nhh; i++)
		ix[i].urut = d->hh[i].urut, ix[i].hh = i;
	qsort(ix, d->nhh, sizeof *ix, cmp_urut);
	struct angka_quarantine q;
	rc = angka_quarantine_open(&q, o->quarantine, "garis", e);
	if (rc) {
		free(ix);
		return rc;
	}
	rc = read_items(o->makanan, 1, ix, d, &q, &st->food_rows, &st->food_used,
	                &st->food_quarantined, e);
	if (!rc)
		rc = read_items(o->bukan_makanan, 0, ix, d, &q, &st->nonfood_rows,
		                &st->nonfood_used, &st->nonfood_quarantined, e);
	free(ix);
	if (!rc)
		rc = angka_check_balance(st->food_rows + st->nonfood_rows,
		                         st->food_used + st->nonfood_used,
		                         st->food_quarantined + st->nonfood_quarantined, 0, e);
	if (rc) {
		angka_quarantine_abort(&q);
		return rc;
	}
	if ((rc = angka_quarantine_commit(&q, e)))
		return rc;
	index_items(d, 1);
	index_items(d, 0);
	g_sort_hh = d->hh;
	for (size_t r = 0; r < d->nreg; r++)
		for (int a = 0; a < GARIS_NAREA; a++) {
			struct garis_region *g = &d->reg[r];
			g->ord[a] = angka_xmalloc((d->nhh ? d->nhh : 1) * sizeof *g->ord[a]);
			for (size_t i = 0; i < d->nhh; i++)
				if (d->hh[i].region == r && d->hh[i].area == a)
					g->ord[a][g->n[a]++] = i;
			qsort(g->ord[a], g->n[a], sizeof *g->ord[a], cmp_kapita);
		}
	return ANGKA_OK;
}

void garis_data_free(struct garis_data *d)
{
	for (size_t i = 0; i < d->nhh; i++)
		free(d->hh[i].urut);
	free(d->hh);
	free(d->food);
	free(d->nonf);
	for (size_t i = 0; i < d->nfc; i++) {
		free(d->fc[i].kode);
		free(d->fc[i].nama);
		free(d->fc[i].satuan);
	}
	free(d->fc);
	for (size_t i = 0; i < d->nnc; i++) {
		free(d->nc[i].kode);
		free(d->nc[i].nama);
	}
	free(d->nc);
	for (size_t i = 0; i < d->nunits; i++) {
		free(d->units[i].strata);
		free(d->units[i].psu);
	}
	free(d->units);
	for (size_t r = 0; r < d->nreg; r++) {
		free(d->reg[r].kode);
		for (int a = 0; a < GARIS_NAREA; a++)
			free(d->reg[r].ord[a]);
	}
	free(d->reg);
	memset(d, 0, sizeof *d);
}
