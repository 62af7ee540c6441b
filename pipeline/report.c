/*
 * report.c - what a run publishes for people rather than programs, built in
 * the run directory after the last step and published with it:
 *   tabel/kemiskinan.xlsx   a publication sheet per indicator in BPS layout
 *                           (regions with names as rows, years as columns,
 *                           RSE flags, title, unit, notes, source)
 *   private/review.xlsx, private/duplicates.xlsx,
 *   private/programme_violations.xlsx
 *                           the clerk files as workbooks (NIK and No KK as
 *                           text; a duplicate beside the row kept)
 *   ringkasan.html          one self-contained page: headline figures with
 *                           their reliability in words, the charts (inline
 *                           SVG), what the cleaning found, what to do
 * and the few lines the console ends a run with. Everything here is counts
 * and aggregates read back from the run's own files; no personal value is
 * copied into a published file or a message. These are no steps: they are
 * rebuilt on every run from outputs that are themselves checked and
 * reused, and cost milliseconds.
 */
#include "driver_int.h"
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "csv_writer.h"
#include "tmpreg.h"
#include "xalloc.h"
#include "xlsx_out.h"
#include "xlsx_write.h"

/* ------------------------------------------------------------------ */
/* Words.                                                              */

static const char *tr(const struct report *r, const char *id, const char *en)
{
	return r->lang_en ? en : id;
}

/* v with dec decimals, thousands grouped: Indonesian "6.742,20", English
 * "6,742.20". */
static void fmt_num(const struct report *r, double v, int dec, char *out,
                    size_t cap)
{
	char raw[64];
	snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
	char *dot = strchr(raw, '.');
	size_t nint = dot ? (size_t)(dot - raw) : strlen(raw);
	char th = r->lang_en ? ',' : '.', dp = r->lang_en ? '.' : ',';
	size_t k = 0;
	if (v < 0 && k + 1 < cap)
		out[k++] = '-';
	for (size_t i = 0; i < nint && k + 2 < cap; i++) {
		if (i && (nint - i) % 3 == 0)
			out[k++] = th;
		out[k++] = raw[i];
	}
	if (dot && k + 1 < cap) {
		out[k++] = dp;
		for (const char *p = dot + 1; *p && k + 1 < cap; p++)
			out[k++] = *p;
	}
	out[k] = '\0';
}

static const char *reliability_words(const struct report *r, const char *rel)
{
	if (strcmp(rel, "reliable") == 0)
		return tr(r, "dapat diandalkan (RSE paling tinggi 25 persen)",
		          "reliable (RSE at most 25 per cent)");
	if (strcmp(rel, "caution") == 0)
		return tr(r, "perlu digunakan dengan hati-hati (RSE 25-50 persen)",
		          "to be used with caution (RSE 25-50 per cent)");
	if (strcmp(rel, "unreliable") == 0)
		return tr(r, "tidak akurat (RSE di atas 50 persen)",
		          "not accurate (RSE above 50 per cent)");
	return tr(r, "keandalan tidak diketahui", "reliability unknown");
}

/* ------------------------------------------------------------------ */
/* Reading the run's files.                                            */

/* Count per distinct value. */
static void tally_add(struct tally *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->key[i], key) == 0) {
			t->count[i]++;
			return;
		}
	if (t->n == REPORT_MAX_KEYS)
		return;
	snprintf(t->key[t->n], sizeof t->key[t->n], "%s", key);
	t->count[t->n++] = 1;
}

static long long tally_total(const struct tally *t)
{
	long long s = 0;
	for (size_t i = 0; i < t->n; i++)
		s += t->count[i];
	return s;
}

/* Sort by count (descending), then key. */
static void tally_sort(struct tally *t)
{
	for (size_t i = 1; i < t->n; i++)
		for (size_t j = i; j > 0 && (t->count[j] > t->count[j - 1] ||
		                             (t->count[j] == t->count[j - 1] &&
		                              strcmp(t->key[j], t->key[j - 1]) < 0));
		     j--) {
			char k[64];
			long long c = t->count[j];
			memcpy(k, t->key[j], sizeof k);
			memcpy(t->key[j], t->key[j - 1], sizeof k);
			memcpy(t->key[j - 1], k, sizeof k);
			t->count[j] = t->count[j - 1];
			t->count[j - 1] = c;
		}
}

/* Data rows of a CSV (-1 if it is absent); with col, each row's value of
 * that column into t (then every row is parsed, else only counted). */
static long long count_rows(const char *path, const char *col,
                            struct tally *t)
{
	if (!col)
		return csv_rows(path);
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct angka_csvrec rec = { 0 };
	long long n = 0;
	long ci = -1;
	if (angka_csvrec_read(f, &rec) > 0 && col)
		ci = angka_csvrec_find(&rec, col);
	while (angka_csvrec_read(f, &rec) > 0) {
		n++;
		if (t && ci >= 0)
			tally_add(t, angka_csvrec_field(&rec, (size_t)ci));
	}
	angka_csvrec_free(&rec);
	fclose(f);
	return n;
}

/* Remove key from t: its count, or 0. */
static long long tally_take(struct tally *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->key[i], key) == 0) {
			long long n = t->count[i];
			t->n--;
			memmove(&t->key[i], &t->key[i + 1],
			        (t->n - i) * sizeof *t->key);
			memmove(&t->count[i], &t->count[i + 1],
			        (t->n - i) * sizeof *t->count);
			return n;
		}
	return 0;
}

/* Every quarantine file's rows by reason. */
static void count_quarantine(struct report *r)
{
	DIR *d = opendir("private/quarantine");
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 5 ||
		    strcmp(de->d_name + l - 4, ".csv") != 0)
			continue;
		char p[PATH_MAX];
		snprintf(p, sizeof p, "private/quarantine/%s", de->d_name);
		count_rows(p, "reason", &r->quarantine);
	}
	closedir(d);
	/* Title rows before a table's header are no data: counted apart. */
	for (size_t i = 0; i < r->quarantine.n; i++)
		if (strcmp(r->quarantine.key[i], "preamble") == 0) {
			r->preamble = r->quarantine.count[i];
			r->quarantine.n--;
			memmove(&r->quarantine.key[i], &r->quarantine.key[i + 1],
			        (r->quarantine.n - i) * sizeof *r->quarantine.key);
			memmove(&r->quarantine.count[i], &r->quarantine.count[i + 1],
			        (r->quarantine.n - i) * sizeof *r->quarantine.count);
			break;
		}
	tally_sort(&r->quarantine);
	/* The notes under a published table are no data: counted apart. */
	r->footer_notes = tally_take(&r->quarantine, "footer_note");
}

/* The history's rows for the publication table and the headline. */
static void load_history(struct report *r)
{
	FILE *f = fopen(TREND_HISTORY, "rb");
	if (!f)
		return;
	struct angka_csvrec rec = { 0 };
	long c_year = -1, c_kode = -1, c_dom = -1, c_ind = -1, c_est = -1;
	long c_rel = -1, c_src = -1, c_lo = -1, c_hi = -1, c_rse = -1;
	if (angka_csvrec_read(f, &rec) > 0) {
		c_year = angka_csvrec_find(&rec, "tahun");
		c_kode = angka_csvrec_find(&rec, "kode_wilayah");
		c_dom = angka_csvrec_find(&rec, "domain");
		c_ind = angka_csvrec_find(&rec, "indikator");
		c_est = angka_csvrec_find(&rec, "estimate");
		c_rel = angka_csvrec_find(&rec, "reliability");
		c_src = angka_csvrec_find(&rec, "sumber_data");
		c_lo = angka_csvrec_find(&rec, "ci_lower");
		c_hi = angka_csvrec_find(&rec, "ci_upper");
		c_rse = angka_csvrec_find(&rec, "rse_pct");
	}
	if (c_year < 0 || c_kode < 0 || c_dom < 0 || c_ind < 0 || c_est < 0 ||
	    c_src < 0) {
		angka_csvrec_free(&rec);
		fclose(f);
		return;
	}
#define FLD(c) ((c) >= 0 ? angka_csvrec_field(&rec, (size_t)(c)) : "")
	while (angka_csvrec_read(f, &rec) > 0) {
		const char *dom = FLD(c_dom), *est = FLD(c_est);
		struct hist_row h = { 0 };
		if (strcmp(dom, "total") == 0) {
			snprintf(h.kode, sizeof h.kode, "%s", FLD(c_kode));
			h.total = 1;
		} else if (strncmp(dom, "kode_wilayah=", 13) == 0) {
			snprintf(h.kode, sizeof h.kode, "%s", dom + 13);
		} else {
			continue;
		}
		char *end;
		h.estimate = strtod(est, &end);
		if (!*est || *end)
			continue;
		h.year = atoi(FLD(c_year));
		h.published = strcmp(FLD(c_src), "terbitan") == 0;
		snprintf(h.ind, sizeof h.ind, "%s", FLD(c_ind));
		snprintf(h.rel, sizeof h.rel, "%s", FLD(c_rel));
		h.lo = c_lo >= 0 && *FLD(c_lo) ? atof(FLD(c_lo)) : NAN;
		h.hi = c_hi >= 0 && *FLD(c_hi) ? atof(FLD(c_hi)) : NAN;
		h.rse = c_rse >= 0 && *FLD(c_rse) ? atof(FLD(c_rse)) : NAN;
		if (r->nhist == r->caphist) {
			r->caphist = r->caphist ? 2 * r->caphist : 256;
			r->hist = angka_xrealloc(r->hist, r->caphist * sizeof *r->hist);
		}
		r->hist[r->nhist++] = h;
	}
#undef FLD
	angka_csvrec_free(&rec);
	fclose(f);
}

/* The region names of the normalized region table, by code without dots. */
static void load_names(struct report *r)
{
	FILE *f = fopen("private/normalized/wilayah.csv", "rb");
	if (!f)
		return;
	struct angka_csvrec rec = { 0 };
	long ck = -1, cn = -1, cl = -1;
	if (angka_csvrec_read(f, &rec) > 0) {
		ck = angka_csvrec_find(&rec, "kode");
		cn = angka_csvrec_find(&rec, "nama");
		cl = angka_csvrec_find(&rec, "level");
	}
	while (ck >= 0 && cn >= 0 && angka_csvrec_read(f, &rec) > 0) {
		if (r->nnames == r->capnames) {
			r->capnames = r->capnames ? 2 * r->capnames : 256;
			r->names = angka_xrealloc(r->names,
			                          r->capnames * sizeof *r->names);
		}
		struct region_name *n = &r->names[r->nnames++];
		snprintf(n->kode, sizeof n->kode, "%s",
		         angka_csvrec_field(&rec, (size_t)ck));
		snprintf(n->nama, sizeof n->nama, "%s",
		         angka_csvrec_field(&rec, (size_t)cn));
		snprintf(n->level, sizeof n->level, "%s",
		         cl >= 0 ? angka_csvrec_field(&rec, (size_t)cl) : "");
	}
	angka_csvrec_free(&rec);
	fclose(f);
}

/* The name of a region code (dots ignored), or NULL. */
static const struct region_name *region_name(const struct report *r,
                                             const char *kode)
{
	char want[32];
	size_t k = 0;
	for (const char *p = kode; *p && k + 1 < sizeof want; p++)
		if (*p != '.')
			want[k++] = *p;
	want[k] = '\0';
	for (size_t i = 0; i < r->nnames; i++) {
		char have[32];
		size_t j = 0;
		for (const char *p = r->names[i].kode; *p && j + 1 < sizeof have; p++)
			if (*p != '.')
				have[j++] = *p;
		have[j] = '\0';
		if (strcmp(want, have) == 0)
			return &r->names[i];
	}
	return NULL;
}

/* "Kecamatan Juai" / "Kabupaten Balangan", or the code. */
static void region_label(const struct report *r, const char *kode, char *out,
                         size_t cap)
{
	const struct region_name *n = region_name(r, kode);
	if (!n) {
		snprintf(out, cap, "%s", kode);
		return;
	}
	if (strcmp(n->level, "kabupaten") == 0)
		snprintf(out, cap, "%s %s", tr(r, "Kabupaten", "Regency"), n->nama);
	else if (strcmp(n->level, "kota") == 0)
		snprintf(out, cap, "%s %s", tr(r, "Kota", "City"), n->nama);
	else
		snprintf(out, cap, "%s", n->nama);
}

/* The newest computed total value of ind, or NULL. */
static const struct hist_row *latest_total(const struct report *r,
                                           const char *ind, int published)
{
	const struct hist_row *best = NULL;
	for (size_t i = 0; i < r->nhist; i++) {
		const struct hist_row *h = &r->hist[i];
		if (h->total && h->published == published &&
		    strcmp(h->ind, ind) == 0 && (!best || h->year > best->year))
			best = h;
	}
	return best;
}

/* The change of the total P0 into its newest year (trend/changes.csv). */
static void load_change(struct report *r)
{
	const struct hist_row *p0 = latest_total(r, "P0", 0);
	FILE *f = p0 ? fopen("trend/changes.csv", "rb") : NULL;
	if (!f)
		return;
	struct angka_csvrec rec = { 0 };
	long cd = -1, ci = -1, cj = -1, ct = -1, cp = -1, ck = -1;
	if (angka_csvrec_read(f, &rec) > 0) {
		cd = angka_csvrec_find(&rec, "domain");
		ci = angka_csvrec_find(&rec, "indikator");
		cj = angka_csvrec_find(&rec, "jenis");
		ct = angka_csvrec_find(&rec, "tahun_akhir");
		cp = angka_csvrec_find(&rec, "perubahan");
		ck = angka_csvrec_find(&rec, "kesimpulan");
	}
	while (cd >= 0 && ci >= 0 && cj >= 0 && ct >= 0 && cp >= 0 && ck >= 0 &&
	       angka_csvrec_read(f, &rec) > 0) {
		if (strcmp(angka_csvrec_field(&rec, (size_t)cd), "total") ||
		    strcmp(angka_csvrec_field(&rec, (size_t)ci), "P0") ||
		    strcmp(angka_csvrec_field(&rec, (size_t)cj), "tahunan") ||
		    atoi(angka_csvrec_field(&rec, (size_t)ct)) != p0->year)
			continue;
		r->have_change = 1;
		r->change = atof(angka_csvrec_field(&rec, (size_t)cp));
		snprintf(r->verdict, sizeof r->verdict, "%s",
		         angka_csvrec_field(&rec, (size_t)ck));
	}
	angka_csvrec_free(&rec);
	fclose(f);
}

/* ------------------------------------------------------------------ */
/* Workbooks.                                                          */

/* csv as the workbook xlsx (a temporary file renamed into place). A table
 * too long for a sheet is left out with a warning: the CSV is the record. */
static enum angka_err csv_to_book(struct env *v, const char *csv,
                                  const char *xlsx, struct angka_error *e)
{
	if (access(csv, F_OK) != 0)
		return ANGKA_OK;
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s.tmp", xlsx);
	struct angka_error e2 = { 0 };
	enum angka_err rc = angka_xlsx_from_csv(csv, tmp, NULL, &e2);
	if (rc == ANGKA_OK && rename(tmp, xlsx) != 0)
		rc = ANGKA_ERR(&e2, ANGKA_EIO, "cannot rename '%s':", tmp);
	if (rc == ANGKA_OK)
		return ANGKA_OK;
	unlink(tmp);
	if (rc == ANGKA_EDATA) {
		logf_(v, "warning: %s", e2.msg);
		say(v, "warning: %s", e2.msg);
		return ANGKA_OK;
	}
	*e = e2;
	return rc;
}

/* One row of the normalized DTKS a duplicate pair names. */
struct dup_rec {
	char *key;          /* "src_file\tsrc_line" */
	char *val[8];
};
static const char *const dup_cols[] = {
	"nik", "no_kk", "nama", "jenis_kelamin", "tgl_lahir", "kode_wilayah",
	"alamat", "periode",
};
enum { NDUP = sizeof dup_cols / sizeof *dup_cols };

static int dup_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dup_rec *)a)->key,
	              ((const struct dup_rec *)b)->key);
}

/* The duplicate pairs of private/duplicates.csv and the rows they name. */
struct dupbook {
	struct pair { char *a, *b, *cluster, *rule, *score, *differ; } *pairs;
	size_t np;
	struct dup_rec *recs;  /* each row named once, sorted by key */
	size_t nr;
	int have;              /* duplicates.csv has the columns needed */
};

/* The pairs of private/duplicates.csv into d (nothing if it is absent or
 * lacks the key columns), and the keys of both rows of each. */
static void dup_load(struct dupbook *d)
{
	memset(d, 0, sizeof *d);
	FILE *f = fopen("private/duplicates.csv", "rb");
	if (!f)
		return;
	struct angka_csvrec rec = { 0 };
	long cf = -1, cl = -1, sf = -1, sl = -1, cc = -1, cr = -1, cs = -1,
	     cd = -1;
	if (angka_csvrec_read(f, &rec) > 0) {
		cf = angka_csvrec_find(&rec, "src_file");
		cl = angka_csvrec_find(&rec, "src_line");
		sf = angka_csvrec_find(&rec, "survivor_src_file");
		sl = angka_csvrec_find(&rec, "survivor_src_line");
		cc = angka_csvrec_find(&rec, "cluster_id");
		cr = angka_csvrec_find(&rec, "rule");
		cs = angka_csvrec_find(&rec, "score");
		cd = angka_csvrec_find(&rec, "fields_differ");
	}
	if (cf < 0 || cl < 0 || sf < 0 || sl < 0) {
		angka_csvrec_free(&rec);
		fclose(f);
		return;
	}
	size_t cap = 0;
	while (angka_csvrec_read(f, &rec) > 0) {
		if (d->np == cap) {
			cap = cap ? 2 * cap : 256;
			d->pairs = angka_xrealloc(d->pairs, cap * sizeof *d->pairs);
		}
		char k[PATH_MAX + 32];
		struct pair *p = &d->pairs[d->np++];
		snprintf(k, sizeof k, "%s\t%s", angka_csvrec_field(&rec, (size_t)cf),
		         angka_csvrec_field(&rec, (size_t)cl));
		p->a = angka_xstrdup(k);
		snprintf(k, sizeof k, "%s\t%s", angka_csvrec_field(&rec, (size_t)sf),
		         angka_csvrec_field(&rec, (size_t)sl));
		p->b = angka_xstrdup(k);
#define DUPF(c) angka_xstrdup((c) >= 0 ? angka_csvrec_field(&rec, (size_t)(c)) : "")
		p->cluster = DUPF(cc);
		p->rule = DUPF(cr);
		p->score = DUPF(cs);
		p->differ = DUPF(cd);
#undef DUPF
		if (d->np >= ANGKA_XLSX_MAX_ROWS)
			break;
	}
	angka_csvrec_free(&rec);
	fclose(f);
	d->have = 1;
	d->recs = angka_xcalloc(2 * d->np + 1, sizeof *d->recs);
	size_t nr = 0;
	for (size_t i = 0; i < d->np; i++) {
		d->recs[nr++].key = d->pairs[i].a;
		d->recs[nr++].key = d->pairs[i].b;
	}
	qsort(d->recs, nr, sizeof *d->recs, dup_cmp);
	size_t u = 0;
	for (size_t i = 0; i < nr; i++)
		if (u == 0 || strcmp(d->recs[u - 1].key, d->recs[i].key) != 0)
			d->recs[u++] = d->recs[i];
	d->nr = u;
}

static void dup_free(struct dupbook *d)
{
	for (size_t i = 0; i < d->nr; i++)
		for (size_t k = 0; k < NDUP; k++)
			free(d->recs[i].val[k]);
	free(d->recs);
	for (size_t i = 0; i < d->np; i++) {
		free(d->pairs[i].a);
		free(d->pairs[i].b);
		free(d->pairs[i].cluster);
		free(d->pairs[i].rule);
		free(d->pairs[i].score);
		free(d->pairs[i].differ);
	}
	free(d->pairs);
	memset(d, 0, sizeof *d);
}

/* 1 if the |-separated list s holds one of the words. */
static int has_code(const char *s, const char *const *words)
{
	for (; words && *words; words++) {
		size_t n = strlen(*words);
		for (const char *p = s; (p = strstr(p, *words)) != NULL; p += n)
			if ((p == s || p[-1] == '|') && (p[n] == '\0' || p[n] == '|'))
				return 1;
	}
	return 0;
}

/* One pass over the normalized DTKS table at path: its rows, those whose
 * NIK (No KK) Excel damaged (stored as a number and rounded, or read back
 * from a float), and the two records of each duplicate pair in d. */
static void table_scan(struct report *r, struct dupbook *d, const char *path)
{
	static const char *const nik[] = { "nik_excel_mangled", "nik_from_float",
	                                   NULL };
	static const char *const kk[] = { "kk_excel_mangled", "kk_from_float",
	                                  NULL };
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	struct angka_csvrec rec = { 0 };
	long fx = -1, fl = -1, nf = -1, nl = -1, col[NDUP];
	if (angka_csvrec_read(f, &rec) > 0) {
		fx = angka_csvrec_find(&rec, "fixes");
		fl = angka_csvrec_find(&rec, "flags");
		nf = angka_csvrec_find(&rec, "src_file");
		nl = angka_csvrec_find(&rec, "src_line");
		for (size_t k = 0; k < NDUP; k++)
			col[k] = angka_csvrec_find(&rec, dup_cols[k]);
	}
	int want_dups = d->nr > 0 && nf >= 0 && nl >= 0;
	r->dtks_rows = 0;
	while (angka_csvrec_read(f, &rec) > 0) {
		r->dtks_rows++;
		const char *a = fx >= 0 ? angka_csvrec_field(&rec, (size_t)fx) : "";
		const char *b = fl >= 0 ? angka_csvrec_field(&rec, (size_t)fl) : "";
		r->excel_nik += has_code(a, nik) || has_code(b, nik);
		r->excel_kk += has_code(a, kk) || has_code(b, kk);
		if (!want_dups)
			continue;
		char k[PATH_MAX + 32];
		snprintf(k, sizeof k, "%s\t%s",
		         angka_csvrec_field(&rec, (size_t)nf),
		         angka_csvrec_field(&rec, (size_t)nl));
		struct dup_rec key = { .key = k };
		struct dup_rec *hit = bsearch(&key, d->recs, d->nr,
		                              sizeof *d->recs, dup_cmp);
		if (!hit || hit->val[0])
			continue;
		for (size_t j = 0; j < NDUP; j++)
			hit->val[j] = angka_xstrdup(col[j] >= 0 ?
				angka_csvrec_field(&rec, (size_t)col[j]) : "");
	}
	angka_csvrec_free(&rec);
	fclose(f);
}

/*
 * private/duplicates.xlsx: each folded row beside the row kept for its
 * person (rule, score, the fields that differ, then the two records' NIK,
 * No KK, name, sex, birth date, region, address, period side by side),
 * from d (table_scan has filled in the records).
 */
static enum angka_err duplicates_book(struct env *v, const struct dupbook *d,
                                      struct angka_error *e)
{
	if (!d->have)
		return ANGKA_OK;
	const struct pair *pairs = d->pairs;
	/* Written through the CSV writer: an .xlsx path makes the workbook,
	 * identifier columns as text. */
	struct angka_csv_writer *w;
	enum angka_err rc = angka_csv_writer_open(&w, "private/duplicates.xlsx",
	                                          ANGKA_CSV_WRITER_PRIVATE, e);
	if (rc == ANGKA_OK) {
		angka_csv_writer_str(w, "cluster_id");
		angka_csv_writer_str(w, "rule");
		angka_csv_writer_str(w, "score");
		angka_csv_writer_str(w, "fields_differ");
		static const char *const side[2] = { "duplikat", "dipertahankan" };
		for (int s = 0; s < 2; s++) {
			char h[64];
			snprintf(h, sizeof h, "src_file_%s", side[s]);
			angka_csv_writer_str(w, h);
			snprintf(h, sizeof h, "src_line_%s", side[s]);
			angka_csv_writer_str(w, h);
			for (size_t k = 0; k < NDUP; k++) {
				snprintf(h, sizeof h, "%s_%s", dup_cols[k], side[s]);
				angka_csv_writer_str(w, h);
			}
		}
		angka_csv_writer_end_row(w);
		for (size_t i = 0; i < d->np; i++) {
			angka_csv_writer_str(w, pairs[i].cluster);
			angka_csv_writer_str(w, pairs[i].rule);
			angka_csv_writer_str(w, pairs[i].score);
			angka_csv_writer_str(w, pairs[i].differ);
			const char *keys[2] = { pairs[i].a, pairs[i].b };
			for (int s = 0; s < 2; s++) {
				const char *tab = strchr(keys[s], '\t');
				angka_csv_writer_field(w, keys[s],
				                       (size_t)(tab - keys[s]));
				angka_csv_writer_str(w, tab + 1);
				struct dup_rec want = { .key = (char *)keys[s] };
				struct dup_rec *hit = bsearch(&want, d->recs,
				                              d->nr, sizeof *d->recs,
				                              dup_cmp);
				for (size_t k = 0; k < NDUP; k++)
					angka_csv_writer_str(w, hit && hit->val[k] ?
					                        hit->val[k] : "");
			}
			angka_csv_writer_end_row(w);
		}
		rc = angka_csv_writer_commit(w, e);
	}
	if (rc == ANGKA_EDATA) {
		logf_(v, "warning: %s", e->msg);
		rc = ANGKA_OK;
	}
	return rc;
}

/* One publication sheet's indicator. */
struct pub {
	const char *ind, *sheet;
	const char *title_id, *title_en, *unit_id, *unit_en;
	int dec;
};
static const struct pub pubs[] = {
	{ "P0", "P0", "Persentase Penduduk Miskin (P0)",
	  "Percentage of Poor Population (P0)", "persen", "per cent", 2 },
	{ "jumlah_miskin", "Jumlah Miskin", "Jumlah Penduduk Miskin",
	  "Number of Poor People", "jiwa", "persons", 0 },
	{ "P1", "P1", "Indeks Kedalaman Kemiskinan (P1)",
	  "Poverty Gap Index (P1)", "indeks (x 100)", "index (x 100)", 2 },
	{ "P2", "P2", "Indeks Keparahan Kemiskinan (P2)",
	  "Poverty Severity Index (P2)", "indeks (x 100)", "index (x 100)", 2 },
	{ "gini", "Gini", "Rasio Gini Pengeluaran per Kapita",
	  "Gini Ratio of Per Capita Expenditure", "rasio (0-1)",
	  "ratio (0-1)", 3 },
};

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The cell of (kode or total, year) in the history, or NULL. */
static const struct hist_row *hist_cell(const struct report *r,
                                        const char *ind, const char *kode,
                                        int total, int published, int year)
{
	for (size_t i = 0; i < r->nhist; i++) {
		const struct hist_row *h = &r->hist[i];
		if (h->year == year && h->published == published &&
		    h->total == total && strcmp(h->ind, ind) == 0 &&
		    (total || strcmp(h->kode, kode) == 0))
			return h;
	}
	return NULL;
}

/* Cell formats of the publication workbook. */
enum { F_TITLE, F_HEAD, F_YEAR, F_TOTAL, F_NA, F_NUM, NFMT = F_NUM + 12 };

static void put_str(struct angka_xlsx *x, uint32_t col, const char *s,
                    int style)
{
	if (*s)   /* an empty text is no cell */
		angka_xlsx_put_text(x, col, s, strlen(s), style);
}

static void pub_sheet(struct report *r, struct angka_xlsx *x,
                      const struct pub *pb, const int *fmt,
                      const char *source)
{
	int years[64];
	size_t ny = 0;
	char *kodes[512];
	size_t nk = 0;
	const char *total_kode = NULL;
	int have_published = 0;
	for (size_t i = 0; i < r->nhist; i++) {
		const struct hist_row *h = &r->hist[i];
		if (strcmp(h->ind, pb->ind) != 0)
			continue;
		size_t j = 0;
		while (j < ny && years[j] != h->year)
			j++;
		if (j == ny && ny < 64)
			years[ny++] = h->year;
		if (h->published) {
			have_published = 1;
			continue;
		}
		if (h->total) {
			total_kode = h->kode;
			continue;
		}
		for (j = 0; j < nk && strcmp(kodes[j], h->kode) != 0; j++)
			;
		if (j == nk && nk < 512)
			kodes[nk++] = r->hist[i].kode;
	}
	if (ny == 0)
		return;
	qsort(years, ny, sizeof *years, int_cmp);
	qsort(kodes, nk, sizeof *kodes, str_cmp);
	double width[2 + 64] = { 14, 34 };
	for (size_t j = 0; j < ny; j++)
		width[2 + j] = 11;
	angka_xlsx_sheet(x, pb->sheet, width, 2 + ny, 4, 2);
	char title[512], area[256] = "";
	if (total_kode)
		region_label(r, total_kode, area, sizeof area);
	else if (r->name)
		snprintf(area, sizeof area, "%s", r->name);
	snprintf(title, sizeof title, "%s %s %s, %d-%d",
	         tr(r, pb->title_id, pb->title_en),
	         nk ? tr(r, "menurut Kecamatan di", "by Subdistrict,") :
	              tr(r, "di", "in"),
	         area, years[0], years[ny - 1]);
	angka_xlsx_row(x, 0);
	put_str(x, 0, title, fmt[F_TITLE]);
	char unit[128];
	snprintf(unit, sizeof unit, "%s: %s", tr(r, "Satuan", "Unit"),
	         tr(r, pb->unit_id, pb->unit_en));
	angka_xlsx_row(x, 1);
	put_str(x, 0, unit, 0);
	uint32_t row = 3;
	angka_xlsx_row(x, row);
	put_str(x, 0, tr(r, "Kode Wilayah", "Region Code"), fmt[F_HEAD]);
	put_str(x, 1, tr(r, "Wilayah", "Region"), fmt[F_HEAD]);
	for (size_t j = 0; j < ny; j++)
		angka_xlsx_put_number(x, (uint32_t)(2 + j), years[j], fmt[F_YEAR]);
	int flagged[4] = { 0, 0, 0, 0 };
	/* Rows: each kecamatan, the total, BPS's own published total. */
	for (size_t k = 0; k <= nk + 1; k++) {
		const char *kode;
		int total = 0, published = 0;
		char label[320];
		if (k < nk) {
			kode = kodes[k];
			region_label(r, kode, label, sizeof label);
		} else if (k == nk) {
			if (!total_kode)
				continue;
			kode = total_kode;
			total = 1;
			region_label(r, kode, label, sizeof label);
		} else {
			if (!have_published)
				continue;
			kode = total_kode ? total_kode : "";
			total = 1;
			published = 1;
			char base[256];
			region_label(r, kode, base, sizeof base);
			snprintf(label, sizeof label, "%s (%s)", base,
			         tr(r, "angka resmi BPS", "official BPS figure"));
		}
		angka_xlsx_row(x, ++row);
		int bold = total ? fmt[F_TOTAL] : 0;
		put_str(x, 0, kode, bold);
		put_str(x, 1, label, bold);
		for (size_t j = 0; j < ny; j++) {
			const struct hist_row *h = hist_cell(r, pb->ind, kode, total,
			                                     published, years[j]);
			uint32_t c = (uint32_t)(2 + j);
			if (!h || !isfinite(h->estimate)) {
				put_str(x, c, "...", fmt[F_NA]);
				continue;
			}
			/* A computed estimate without an RSE (a sample with
			 * no poor: 0 with its SE not estimable) is no exact
			 * zero: marked (a). */
			int flag = strcmp(h->rel, "caution") == 0 ? 1 :
			           strcmp(h->rel, "unreliable") == 0 ? 2 :
			           !published && !h->rel[0] && h->estimate == 0 ? 3 : 0;
			flagged[flag] = 1;
			/* fmt[F_NUM + 4 * dec-index + flag]: the number format
			 * with its asterisks or mark. The value is the table's double,
			 * all its digits. */
			int di = pb->dec == 0 ? 0 : pb->dec == 2 ? 1 : 2;
			angka_xlsx_put_number(x, c, h->estimate,
			                      fmt[F_NUM + 4 * di + flag]);
		}
	}
	row += 2;
	angka_xlsx_row(x, row++);
	put_str(x, 0, tr(r, "Catatan:", "Notes:"), 0);
	if (flagged[1]) {
		angka_xlsx_row(x, row++);
		put_str(x, 0, tr(r,
			"* Estimasi dengan RSE 25-50 persen: perlu digunakan dengan "
			"hati-hati.",
			"* Estimate with RSE 25-50 per cent: to be used with "
			"caution."), 0);
	}
	if (flagged[2]) {
		angka_xlsx_row(x, row++);
		put_str(x, 0, tr(r,
			"** Estimasi dengan RSE di atas 50 persen: tidak akurat, "
			"tidak disarankan untuk digunakan.",
			"** Estimate with RSE above 50 per cent: not accurate, not "
			"recommended for use."), 0);
	}
	if (flagged[3]) {
		angka_xlsx_row(x, row++);
		put_str(x, 0, tr(r,
			"(a) Tidak ada rumah tangga miskin dalam sampel: RSE tidak "
			"dapat dihitung; angka 0 tidak berarti tidak ada penduduk "
			"miskin.",
			"(a) No poor household in the sample: the RSE cannot be "
			"computed; 0 does not mean there are no poor people."), 0);
	}
	angka_xlsx_row(x, row++);
	put_str(x, 0, tr(r,
		"Estimasi langsung dari data SUSENAS (Maret) dengan penimbang dan "
		"rancangan sampel; ... = tidak tersedia.",
		"Direct estimates from SUSENAS (March) microdata with weights "
		"and sample design; ... = not available."), 0);
	if (have_published) {
		angka_xlsx_row(x, row++);
		put_str(x, 0, tr(r,
			"Baris \"angka resmi BPS\": angka yang diterbitkan BPS.",
			"Row \"official BPS figure\": the figure BPS published."), 0);
	}
	char src[512];
	snprintf(src, sizeof src, "%s: %s", tr(r, "Sumber", "Source"),
	         source && *source ? source :
	         tr(r, "BPS, SUSENAS Maret (diolah)",
	            "BPS, SUSENAS March (processed)"));
	angka_xlsx_row(x, row);
	put_str(x, 0, src, 0);
}

/* tabel/kemiskinan.xlsx. */
static enum angka_err publication_book(struct report *r, struct env *v,
                                       struct angka_error *e)
{
	(void)v;
	if (r->nhist == 0)
		return ANGKA_OK;
	if (mkdir("tabel", 0755) != 0 && errno != EEXIST)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot create 'tabel':");
	const char *tmp = "tabel/.kemiskinan.xlsx.tmp";
	struct angka_xlsx *x = angka_xlsx_open(tmp,
		tr(r, "Statistik Kemiskinan", "Poverty Statistics"), e);
	if (!x)
		return e->code;
	int fmt[NFMT];
	fmt[F_TITLE] = angka_xlsx_style(x, &(struct angka_xlsx_style){
		.bold = 1, .size = 12 });
	fmt[F_HEAD] = angka_xlsx_style(x, &(struct angka_xlsx_style){
		.bold = 1, .border = 1, .fill = 0xDDEBF7 });
	fmt[F_YEAR] = angka_xlsx_style(x, &(struct angka_xlsx_style){
		.bold = 1, .border = 1, .fill = 0xDDEBF7,
		.align = ANGKA_XLSX_ALIGN_CENTER, .numfmt = "0" });
	fmt[F_TOTAL] = angka_xlsx_style(x, &(struct angka_xlsx_style){
		.bold = 1 });
	fmt[F_NA] = angka_xlsx_style(x, &(struct angka_xlsx_style){
		.align = ANGKA_XLSX_ALIGN_RIGHT });
	/* Number formats: 0, 2, 3 decimals, each plain / * / ** / (a). The codes
	 * are the file's own (',' groups, '.' decimals): an Indonesian Excel
	 * shows them as 6.742 and 5,32, as BPS prints. */
	static const char *const nf[12] = {
		"#,##0", "#,##0\"*\"", "#,##0\"**\"", "#,##0\" (a)\"",
		"#,##0.00", "#,##0.00\"*\"", "#,##0.00\"**\"", "#,##0.00\" (a)\"",
		"0.000", "0.000\"*\"", "0.000\"**\"", "0.000\" (a)\"",
	};
	for (int i = 0; i < 12; i++)
		fmt[F_NUM + i] = angka_xlsx_style(x, &(struct angka_xlsx_style){
			.numfmt = nf[i] });
	int sheets = 0;
	for (size_t i = 0; i < sizeof pubs / sizeof *pubs; i++)
		for (size_t j = 0; j < r->nhist; j++)
			if (strcmp(r->hist[j].ind, pubs[i].ind) == 0) {
				pub_sheet(r, x, &pubs[i], fmt, r->source);
				sheets++;
				break;
			}
	if (!sheets)   /* none of the five indicators: an empty sheet */
		angka_xlsx_sheet(x, "Sheet1", NULL, 0, 0, 0);
	enum angka_err rc = angka_xlsx_close(x, e);
	if (rc != ANGKA_OK) {
		unlink(tmp);
		return rc;
	}
	if (rename(tmp, "tabel/kemiskinan.xlsx") != 0) {
		unlink(tmp);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot rename '%s':", tmp);
	}
	return ANGKA_OK;
}

/* ------------------------------------------------------------------ */
/* ringkasan.html                                                      */

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* The chart's SVG, inline: its XML prolog dropped, its ids made unique to
 * the chart (several charts share gnuplot's id names). */
static void inline_svg(FILE *out, const char *path, int n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int started = 0;
	char pre[16];
	snprintf(pre, sizeof pre, "c%d_", n);
	while ((len = getline(&line, &cap, f)) > 0) {
		if (!started) {
			if (strncmp(line, "<svg", 4) != 0)
				continue;
			started = 1;
		}
		for (char *p = line; *p; p++) {
			/* id='gp..', id="gnuplot_..", #gp.. and url(#gp..) */
			if ((strncmp(p, "id='", 4) == 0 || strncmp(p, "id=\"", 4) == 0) &&
			    (p[4] == 'g')) {
				fwrite(p, 1, 4, out);
				fputs(pre, out);
				p += 3;
				continue;
			}
			if (p[0] == '#' && p[1] == 'g' && p[2] == 'p') {
				fputc('#', out);
				fputs(pre, out);
				continue;
			}
			if (p[0] == '#' && strncmp(p + 1, "gnuplot_", 8) == 0) {
				fputc('#', out);
				fputs(pre, out);
				continue;
			}
			fputc(*p, out);
		}
	}
	free(line);
	fclose(f);
}

struct chart_caption {
	const char *name, *id, *en;
};
static const struct chart_caption charts[] = {
	{ "p0_trend", "Persentase penduduk miskin dari tahun ke tahun",
	  "Percentage of poor people over the years" },
	{ "miskin_p0", "Jumlah dan persentase penduduk miskin",
	  "Number and percentage of poor people" },
	{ "p1_p2", "Kedalaman (P1) dan keparahan (P2) kemiskinan",
	  "Poverty gap (P1) and severity (P2)" },
	{ "dtks_vs_bps", "DTKS dibandingkan dengan perkiraan BPS",
	  "DTKS compared with the BPS estimate" },
	{ "dtks_kecamatan", "Penduduk DTKS per kecamatan",
	  "DTKS persons per subdistrict" },
	{ "program_kecamatan", "Penerima program per kecamatan",
	  "Programme recipients per subdistrict" },
	{ "sae_kecamatan", "Perkiraan area kecil per kecamatan",
	  "Small-area estimates per subdistrict" },
};

static const char *reason_words(const struct report *r, const char *reason)
{
	static const struct { const char *code, *id, *en; } w[] = {
		{ "field_count", "jumlah kolom tidak sesuai header",
		  "number of fields differs from the header" },
		{ "encoding", "karakter tidak valid", "invalid characters" },
		{ "nul_byte", "byte NUL", "NUL byte" },
		{ "nik_invalid", "NIK tidak valid", "invalid NIK" },
		{ "nik_excel_mangled", "NIK rusak oleh Excel", "NIK damaged by Excel" },
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		if (strcmp(w[i].code, reason) == 0)
			return r->lang_en ? w[i].en : w[i].id;
	return reason;
}

/* A programme rule (private/programme_violations.csv's rule) in words,
 * its code after it so the officer finds the rows. */
static void rule_words(const struct report *r, const char *rule, char *out,
                       size_t cap)
{
	static const struct { const char *code, *id, *en; } w[] = {
		{ "not_in_registry", "penerima tidak terdaftar di DTKS",
		  "recipient not in the DTKS" },
		{ "group_size", "jumlah anggota kelompok KUBE di luar batas",
		  "KUBE group size outside the limits" },
		{ "group_multi_kecamatan",
		  "anggota satu kelompok KUBE tinggal di lebih dari satu kecamatan",
		  "members of one KUBE group live in more than one subdistrict" },
		{ "two_groups_same_year",
		  "satu orang di dua kelompok KUBE pada tahun yang sama",
		  "one person in two KUBE groups in the same year" },
		{ "uep_repeat", "UEP diterima lagi sebelum jeda minimum",
		  "UEP received again before the minimum gap" },
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		if (strcmp(w[i].code, rule) == 0) {
			snprintf(out, cap, "%s (%s)", r->lang_en ? w[i].en : w[i].id,
			         rule);
			return;
		}
	snprintf(out, cap, "%s", rule);
}

/* The findings and what to do, as lines (HTML list items or console). */
static size_t advice(const struct report *r, char lines[][512], size_t max)
{
	size_t n = 0;
	char a[64], b[64];
	if (r->review > 0 && n < max) {
		fmt_num(r, (double)r->review, 0, a, sizeof a);
		snprintf(lines[n++], 512, tr(r,
			"Periksa %s pasangan yang mungkin orang yang sama di "
			"private/review.xlsx dan tandai sama/beda ([dedup] decisions); "
			"keputusan dipakai pada proses berikutnya.",
			"Check %s pairs that may be the same person in "
			"private/review.xlsx and mark them same/different ([dedup] "
			"decisions); the next run applies the decisions."), a);
	}
	if (r->excel_nik + r->excel_kk > 0 && n < max) {
		fmt_num(r, (double)r->excel_nik, 0, a, sizeof a);
		fmt_num(r, (double)r->excel_kk, 0, b, sizeof b);
		snprintf(lines[n++], 512, tr(r,
			"%s NIK dan %s No KK rusak karena disimpan Excel sebagai "
			"angka: minta ekspor ulang dengan kolom NIK/No KK sebagai teks.",
			"%s NIKs and %s family card numbers were damaged by Excel "
			"storing them as numbers: ask for a new export with those "
			"columns as text."), a, b);
	}
	long long q = tally_total(&r->quarantine);
	if (q > 0 && n < max) {
		fmt_num(r, (double)q, 0, a, sizeof a);
		snprintf(lines[n++], 512, tr(r,
			"%s baris dikarantina (tidak dihitung): lihat "
			"private/quarantine/ dan perbaiki berkas sumbernya.",
			"%s rows were quarantined (not counted): see "
			"private/quarantine/ and correct the source files."), a);
	}
	if (r->violations > 0 && n < max) {
		fmt_num(r, (double)r->violations, 0, a, sizeof a);
		snprintf(lines[n++], 512, tr(r,
			"Tindak lanjuti %s pelanggaran aturan program KUBE/UEP di "
			"private/programme_violations.xlsx.",
			"Follow up %s KUBE/UEP programme rule violations in "
			"private/programme_violations.xlsx."), a);
	}
	if (r->unreliable > 0 && n < max) {
		fmt_num(r, (double)r->unreliable, 0, a, sizeof a);
		snprintf(lines[n++], 512, tr(r,
			"%s angka kecamatan tidak akurat (RSE di atas 50 persen, "
			"tanda ** di tabel/kemiskinan.xlsx): jangan diterbitkan tanpa "
			"catatan; pertimbangkan estimasi area kecil ([sae]).",
			"%s subdistrict figures are not accurate (RSE above 50 per "
			"cent, marked ** in tabel/kemiskinan.xlsx): do not publish "
			"them without a note; consider small-area estimates ([sae])."),
			a);
	}
	return n;
}

/* The headline sentence(s) into out. */
static void headline(const struct report *r, char *out, size_t cap)
{
	const struct hist_row *p0 = latest_total(r, "P0", 0);
	const struct hist_row *jm = latest_total(r, "jumlah_miskin", 0);
	out[0] = '\0';
	if (!p0)
		return;
	char v[64], lo[64], hi[64], n[64] = "";
	fmt_num(r, p0->estimate, 2, v, sizeof v);
	fmt_num(r, p0->lo, 2, lo, sizeof lo);
	fmt_num(r, p0->hi, 2, hi, sizeof hi);
	if (jm)
		fmt_num(r, jm->estimate, 0, n, sizeof n);
	size_t k = (size_t)snprintf(out, cap, tr(r,
		"Maret %d: %s persen penduduk miskin%s%s%s (selang kepercayaan "
		"95 persen %s-%s); angka ini %s.",
		"March %d: %s per cent of the population poor%s%s%s (95 per cent "
		"confidence interval %s-%s); this figure is %s."),
		p0->year, v, jm ? tr(r, ", sekitar ", ", about ") : "", n,
		jm ? tr(r, " jiwa", " persons") : "", lo, hi,
		reliability_words(r, p0->rel));
	if (r->have_change && k < cap) {
		char c[64];
		fmt_num(r, fabs(r->change), 2, c, sizeof c);
		int sig = strstr(r->verdict, "tidak") == NULL &&
		          strstr(r->verdict, "signifikan") != NULL;
		k += (size_t)snprintf(out + k, cap - k, tr(r,
			" Dibanding %d %s %s poin persen, %s.",
			" Compared with %d it %s by %s percentage points, %s."),
			p0->year - 1,
			r->change < 0 ? tr(r, "turun", "fell") : tr(r, "naik", "rose"),
			c, sig ? tr(r, "perubahan yang nyata secara statistik",
			            "a statistically significant change") :
			         tr(r, "perubahan yang tidak nyata secara statistik",
			            "not a statistically significant change"));
	}
	const struct hist_row *pub = latest_total(r, "P0", 1);
	if (pub && pub->year == p0->year && k < cap) {
		fmt_num(r, pub->estimate, 2, v, sizeof v);
		snprintf(out + k, cap - k, tr(r,
			" Angka resmi BPS tahun itu: %s persen.",
			" BPS's official figure for that year: %s per cent."), v);
	}
}

static enum angka_err write_html(struct report *r, struct angka_error *e)
{
	const char *tmp = ".ringkasan.html.tmp";
	FILE *f = fopen_new(tmp, 0600);
	if (!f)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s':", tmp);
	const char *area = r->name ? r->name : "";
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	        "<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, "
	        "initial-scale=1\">\n<title>", r->lang_en ? "en" : "id");
	html_text(f, tr(r, "Ringkasan statistik kemiskinan",
	                "Poverty statistics summary"));
	if (*area) {
		fputs(" - ", f);
		html_text(f, area);
	}
	fputs("</title>\n<style>\n"
	      "body{font-family:sans-serif;max-width:52em;margin:1em auto;"
	      "padding:0 1em;line-height:1.45;color:#222}\n"
	      "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;"
	      "border-bottom:1px solid #ccc}\n"
	      ".headline{font-size:1.15em;background:#eef4fb;padding:.7em 1em}\n"
	      "figure{margin:1em 0}figure svg{max-width:100%;height:auto}\n"
	      "figcaption{font-size:.9em;color:#555}\n"
	      "table{border-collapse:collapse}td,th{padding:.2em .6em;"
	      "border-bottom:1px solid #ddd;text-align:left}"
	      "td.n{text-align:right}\n"
	      "</style>\n</head>\n<body>\n<h1>", f);
	html_text(f, tr(r, "Ringkasan statistik kemiskinan",
	                "Poverty statistics summary"));
	if (*area) {
		fputs(" ", f);
		html_text(f, area);
	}
	fputs("</h1>\n", f);
	char line[2048];
	headline(r, line, sizeof line);
	if (line[0]) {
		fputs("<p class=\"headline\">", f);
		html_text(f, line);
		fputs("</p>\n", f);
	}
	/* Findings. */
	fprintf(f, "<h2>%s</h2>\n<table>\n",
	        tr(r, "Hasil pembersihan data", "What the cleaning found"));
	char a[64];
	struct { const char *id, *en; long long n; } rows[] = {
		{ "Baris DTKS diolah (setelah karantina)", "DTKS rows processed (after quarantine)",
		  r->dtks_rows },
		{ "Orang unik", "Unique persons", r->persons },
		{ "Baris duplikat digabung", "Duplicate rows merged", r->duplicates },
		{ "Pasangan untuk diperiksa", "Pairs to review", r->review },
		{ "NIK rusak oleh Excel", "NIKs damaged by Excel", r->excel_nik },
		{ "No KK rusak oleh Excel", "Family card numbers damaged by Excel",
		  r->excel_kk },
		{ "Baris catatan di bawah tabel (Sumber/Catatan; bukan data, dilewati)",
		  "Note rows under a table (Sumber/Catatan; not data, skipped)",
		  r->footer_notes > 0 ? r->footer_notes : -1 },
		{ "Baris dikarantina", "Rows quarantined",
		  tally_total(&r->quarantine) },
		{ "Baris judul sebelum header tabel (bukan data, dilewati)",
		  "Title rows before a table's header (not data, skipped)",
		  r->preamble > 0 ? r->preamble : -1 },
		{ "Pelanggaran aturan program", "Programme rule violations",
		  r->violations },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		if (rows[i].n < 0)
			continue;
		fmt_num(r, (double)rows[i].n, 0, a, sizeof a);
		fputs("<tr><td>", f);
		html_text(f, r->lang_en ? rows[i].en : rows[i].id);
		fprintf(f, "</td><td class=\"n\">%s</td></tr>\n", a);
	}
	fputs("</table>\n", f);
	if (r->quarantine.n) {
		fprintf(f, "<p>%s</p>\n<ul>\n", tr(r, "Baris dikarantina menurut alasan:",
		                                   "Quarantined rows by reason:"));
		for (size_t i = 0; i < r->quarantine.n; i++) {
			fmt_num(r, (double)r->quarantine.count[i], 0, a, sizeof a);
			fputs("<li>", f);
			html_text(f, reason_words(r, r->quarantine.key[i]));
			fprintf(f, ": %s</li>\n", a);
		}
		fputs("</ul>\n", f);
	}
	if (r->rules.n) {
		fprintf(f, "<p>%s</p>\n<ul>\n", tr(r, "Pelanggaran menurut aturan:",
		                                   "Violations by rule:"));
		for (size_t i = 0; i < r->rules.n; i++) {
			fmt_num(r, (double)r->rules.count[i], 0, a, sizeof a);
			char words[256];
			rule_words(r, r->rules.key[i], words, sizeof words);
			fputs("<li>", f);
			html_text(f, words);
			fprintf(f, ": %s</li>\n", a);
		}
		fputs("</ul>\n", f);
	}
	char adv[8][512];
	size_t na = advice(r, adv, 8);
	fprintf(f, "<h2>%s</h2>\n", tr(r, "Yang perlu dilakukan", "What to do"));
	if (na) {
		fputs("<ol>\n", f);
		for (size_t i = 0; i < na; i++) {
			fputs("<li>", f);
			html_text(f, adv[i]);
			fputs("</li>\n", f);
		}
		fputs("</ol>\n", f);
	} else {
		fprintf(f, "<p>%s</p>\n", tr(r, "Tidak ada temuan yang perlu "
		        "ditindaklanjuti.", "Nothing needs follow-up."));
	}
	/* Charts. */
	int nc = 0;
	for (size_t i = 0; i < sizeof charts / sizeof *charts; i++) {
		char p[PATH_MAX];
		snprintf(p, sizeof p, "charts/%s.svg", charts[i].name);
		if (access(p, R_OK) != 0)
			continue;
		if (nc == 0)
			fprintf(f, "<h2>%s</h2>\n", tr(r, "Grafik", "Charts"));
		fputs("<figure>\n", f);
		inline_svg(f, p, ++nc);
		fputs("<figcaption>", f);
		html_text(f, r->lang_en ? charts[i].en : charts[i].id);
		fputs("</figcaption>\n</figure>\n", f);
	}
	fprintf(f, "<h2>%s</h2>\n<p>", tr(r, "Berkas", "Files"));
	html_text(f, tr(r,
		"Tabel terbitan: tabel/kemiskinan.xlsx (format BPS) dan "
		"indicators/*.csv. Berkas untuk petugas (berisi NIK, jangan "
		"dibagikan): private/review.xlsx, private/duplicates.xlsx, "
		"private/programme_violations.xlsx.",
		"Published tables: tabel/kemiskinan.xlsx (BPS layout) and "
		"indicators/*.csv. Clerk files (they hold NIKs, do not share): "
		"private/review.xlsx, private/duplicates.xlsx, "
		"private/programme_violations.xlsx."));
	fputs("</p>\n</body>\n</html>\n", f);
	if (ferror(f) | (fclose(f) != 0)) {
		unlink(tmp);
		return ANGKA_ERR(e, ANGKA_EIO, "write error on '%s':", tmp);
	}
	if (rename(tmp, "ringkasan.html") != 0) {
		unlink(tmp);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot rename '%s':", tmp);
	}
	return ANGKA_OK;
}

/* ------------------------------------------------------------------ */

enum angka_err report_build(struct env *v, struct report *r,
                            struct angka_error *e)
{
	memset(r, 0, sizeof *r);
	r->lang_en = v->ro.lang == 1;
	r->name = v->cfg.name;
	for (size_t i = 0; i < v->cfg.nkv; i++)
		if (strcmp(v->cfg.kv[i].section, "chart") == 0 &&
		    strcmp(v->cfg.kv[i].key, "source") == 0)
			r->source = v->cfg.kv[i].value;
	r->dtks_rows = -1;
	r->persons = count_rows("private/dtks_unik.csv", NULL, NULL);
	r->duplicates = count_rows("private/duplicates.csv", NULL, NULL);
	r->review = count_rows("private/review.csv", NULL, NULL);
	r->violations = count_rows("private/programme_violations.csv", "rule",
	                           &r->rules);
	tally_sort(&r->rules);
	/* The normalized table is read once, for its counts and for the
	 * duplicates workbook's records. */
	struct dupbook dups;
	dup_load(&dups);
	table_scan(r, &dups, "private/normalized/dtks.csv");
	if (r->persons < 0)
		r->dtks_rows = -1;
	count_quarantine(r);
	load_names(r);
	load_history(r);
	load_change(r);
	for (size_t i = 0; i < r->nhist; i++) {
		const struct hist_row *h = &r->hist[i];
		int newest = 1;
		for (size_t j = 0; j < r->nhist && newest; j++)
			if (r->hist[j].year > h->year)
				newest = 0;
		r->unreliable += newest && !h->total && !h->published &&
		                 strcmp(h->ind, "P0") == 0 &&
		                 strcmp(h->rel, "unreliable") == 0;
	}
	enum angka_err rc = publication_book(r, v, e);
	if (rc == ANGKA_OK)
		rc = csv_to_book(v, "private/review.csv", "private/review.xlsx", e);
	if (rc == ANGKA_OK)
		rc = csv_to_book(v, "private/programme_violations.csv",
		                 "private/programme_violations.xlsx", e);
	if (rc == ANGKA_OK)
		rc = duplicates_book(v, &dups, e);
	dup_free(&dups);
	if (rc == ANGKA_OK)
		rc = write_html(r, e);
	if (rc == ANGKA_OK)
		logf_(v, "report: ringkasan.html, tabel/kemiskinan.xlsx, clerk "
		      "workbooks written");
	return rc;
}

void report_print(struct env *v, const struct report *r)
{
	char line[2048];
	headline(r, line, sizeof line);
	if (line[0])
		say(v, "%s", line);
	char a[64], b[64], c[64], d[64];
	if (r->persons >= 0) {
		fmt_num(r, (double)r->dtks_rows, 0, a, sizeof a);
		fmt_num(r, (double)r->persons, 0, b, sizeof b);
		fmt_num(r, (double)(r->duplicates > 0 ? r->duplicates : 0), 0, c,
		        sizeof c);
		fmt_num(r, (double)r->excel_nik, 0, d, sizeof d);
		say(v, tr(r, "DTKS: %s baris, %s orang unik, %s duplikat, %s NIK "
		          "rusak oleh Excel.",
		          "DTKS: %s rows, %s unique persons, %s duplicates, %s NIKs "
		          "damaged by Excel."), a, b, c, d);
	}
	char adv[8][512];
	size_t na = advice(r, adv, 8);
	for (size_t i = 0; i < na; i++)
		say(v, "- %s", adv[i]);
	say(v, "%s", tr(r, "Ringkasan lengkap: ringkasan.html; tabel: "
	               "tabel/kemiskinan.xlsx.",
	               "Full summary: ringkasan.html; tables: "
	               "tabel/kemiskinan.xlsx."));
}

void report_free(struct report *r)
{
	free(r->hist);
	free(r->names);
	r->hist = NULL;
	r->names = NULL;
}
