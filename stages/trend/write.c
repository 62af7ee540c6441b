/*
 * write.c - angka-trend's outputs: the rows of history.csv, changes.csv
 * (with the test of each change) and trend.csv (with the fit of each
 * series) (see trend_int.h).
 */
#include "trend_int.h"
#include "number.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A number in the shortest digits that strtod() reads back as exactly the
 * double computed (angka_csv_writer_double, as history.csv and the
 * indicators have it): nilai_awal is the history's estimate digit for
 * digit, and a difference is the exact one (5.4 - 5.91 is
 * -0.5099999999999998, the double the subtraction gives). -0 is written 0.
 */
static void put_num(struct angka_csv_writer *w, double v)
{
	angka_csv_writer_double(w, v == 0 ? 0.0 : v);
}

static void put_int(struct angka_csv_writer *w, long v)
{
	angka_csv_writer_long(w, v);
}

void trend_write_history(struct angka_csv_writer *w, const struct hrows *h)
{
	angka_csv_writer_row(w, H_COUNT, trend_hist_col);
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
	"df", "p_value", "alpha", "kesimpulan", "p_holm", "p_bh",
	"kesimpulan_holm", "perubahan_riil_pct", "deflator", "catatan"
};

void trend_write_change_header(struct angka_csv_writer *w)
{
	angka_csv_writer_row(w, sizeof chg_col / sizeof *chg_col, chg_col);
}

void trend_change_compute(struct trend_chg *x, const struct hrow *a,
                          const struct hrow *b, const char *jenis,
                          const struct trend_config *tc, const int *pairs,
                          size_t npairs, const struct covs *cv,
                          const struct lines *ln)
{
	memset(x, 0, sizeof *x);
	x->a = a;
	x->b = b;
	x->jenis = jenis;
	x->p_holm = x->p_bh = x->real_pct = x->z1 = x->z2 = NAN;
	double cov = 0, df = 0;
	const char *note = "sampel independen";
	/*
	 * Both years need a positive SE: an estimate of 0 from a sample with
	 * no poor has SE 0 (or none, angka-indicators withholds it), which is
	 * "not estimable", not "exact"; testing the change with the other
	 * year's SE alone would overstate significance.
	 */
	int testable = isfinite(a->se) && isfinite(b->se) && a->se > 0 &&
	               b->se > 0;
	if (!testable)
		note = (isfinite(a->est) && !(a->se > 0) && a->est == 0) ||
		       (isfinite(b->est) && !(b->se > 0) && b->est == 0)
		       ? "estimasi 0 tanpa SE (tidak dapat diestimasi): tidak diuji"
		       : (a->se == 0 || b->se == 0)
		       ? "SE 0 (tidak dapat diestimasi): tidak diuji"
		       : "SE tidak tersedia";
	if (testable && trend_pair_shared(pairs, npairs, a->tahun, b->tahun)) {
		const struct cov_entry *ce = trend_find_cov(cv, a, a->tahun,
		                                            b->tahun);
		if (ce) {
			cov = ce->cov;
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
	int ok = -1;
	if (testable)
		ok = trend_change_test(a->est, a->se, b->est, b->se, cov, df,
		                       tc->alpha, &x->c);
	else
		trend_change_test(a->est, 0, b->est, 0, 0, 0, tc->alpha, &x->c);
	if (testable && ok < 0)
		note = "varians perubahan tidak positif";
	x->ok = ok;
	x->use_t = use_t;
	x->cov = cov;
	x->df = df;
	x->note = note;
	/* Real terms: the expenditure of each year in multiples of that
	 * year's total poverty line (the price of the poor's basket). */
	if (ln && (strcmp(a->indikator, "rata_kapita") == 0 ||
	           strcmp(a->indikator, "median_kapita") == 0)) {
		const struct line_entry *l1 = trend_find_line(ln, a->kode, a->tahun);
		const struct line_entry *l2 = trend_find_line(ln, b->kode, b->tahun);
		if (l1 && l2 && isfinite(a->est) && isfinite(b->est) &&
		    a->est > 0) {
			x->z1 = l1->z;
			x->z2 = l2->z;
			x->real_pct = ((b->est / l2->z) / (a->est / l1->z) - 1) *
			              100.0;
		}
	}
}

/* Order of the family sort: indikator, jenis, years; then p. */
static int fam_cmp(const struct trend_chg *x, const struct trend_chg *y)
{
	int c = strcmp(x->a->indikator, y->a->indikator);
	if (!c)
		c = strcmp(x->jenis, y->jenis);
	if (!c && x->a->tahun != y->a->tahun)
		c = x->a->tahun < y->a->tahun ? -1 : 1;
	if (!c && x->b->tahun != y->b->tahun)
		c = x->b->tahun < y->b->tahun ? -1 : 1;
	return c;
}

/* Family order, then p, then position in x: a total order, so any sort
 * gives one result. */
static int ptr_cmp(const void *pa, const void *pb)
{
	const struct trend_chg *x = *(const struct trend_chg *const *)pa;
	const struct trend_chg *y = *(const struct trend_chg *const *)pb;
	int c = fam_cmp(x, y);
	if (!c && x->c.p != y->c.p)
		c = x->c.p < y->c.p ? -1 : 1;
	if (!c)
		c = x < y ? -1 : x > y;
	return c;
}

void trend_changes_adjust(struct trend_chg *x, size_t n)
{
	struct trend_chg **ix = angka_xmalloc((n ? n : 1) * sizeof *ix);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (x[i].ok == 0)
			ix[m++] = &x[i];
	if (m)
		qsort(ix, m, sizeof *ix, ptr_cmp);
	for (size_t f0 = 0; f0 < m;) {
		size_t f1 = f0 + 1;
		while (f1 < m && fam_cmp(ix[f0], ix[f1]) == 0)
			f1++;
		size_t k = f1 - f0;
		/* Holm: p_(i) (k - i + 1), running maximum, capped at 1. */
		double run = 0;
		for (size_t i = 0; i < k; i++) {
			double v = ix[f0 + i]->c.p * (double)(k - i);
			if (v > run)
				run = v;
			ix[f0 + i]->p_holm = run < 1 ? run : 1;
		}
		/* Benjamini-Hochberg: p_(i) k / i, running minimum from the
		 * largest, capped at 1. */
		run = 1;
		for (size_t i = k; i-- > 0;) {
			double v = ix[f0 + i]->c.p * (double)k / (double)(i + 1);
			if (v < run)
				run = v;
			ix[f0 + i]->p_bh = run;
		}
		f0 = f1;
	}
	free(ix);
}

void trend_write_change(struct angka_csv_writer *w, const struct trend_chg *x,
                        const struct trend_config *tc)
{
	const struct hrow *a = x->a, *b = x->b;
	int ok = x->ok;
	angka_csv_writer_str(w, a->kode);
	angka_csv_writer_str(w, a->domain);
	angka_csv_writer_str(w, a->indikator);
	angka_csv_writer_str(w, x->jenis);
	put_int(w, a->tahun);
	put_int(w, b->tahun);
	put_num(w, a->est);
	put_num(w, b->est);
	put_num(w, x->c.d);
	put_num(w, x->c.pct);
	put_num(w, a->se);
	put_num(w, b->se);
	put_num(w, ok == 0 ? x->cov : NAN);
	put_num(w, ok == 0 ? x->c.se : NAN);
	angka_csv_writer_str(w, ok == 0 ? (x->use_t ? "t" : "z") : "");
	put_num(w, ok == 0 ? x->c.stat : NAN);
	put_num(w, ok == 0 && x->use_t ? x->df : NAN);
	put_num(w, ok == 0 ? x->c.p : NAN);
	put_num(w, tc->alpha);
	angka_csv_writer_str(w, ok == 0 ? trend_verdict_text(x->c.verdict) : "");
	put_num(w, ok == 0 ? x->p_holm : NAN);
	put_num(w, ok == 0 ? x->p_bh : NAN);
	int vh = ok == 0 && x->p_holm < tc->alpha ? (x->c.d < 0 ? -1 : 1) : 0;
	angka_csv_writer_str(w, ok == 0 ? trend_verdict_text(vh) : "");
	put_num(w, x->real_pct);
	if (isfinite(x->real_pct)) {
		char buf[160], z1[32], z2[32];
		angka_number_format(x->z1, z1, sizeof z1);
		angka_number_format(x->z2, z2, sizeof z2);
		snprintf(buf, sizeof buf, "garis_kemiskinan total %d %s, %d %s",
		         a->tahun, z1, b->tahun, z2);
		angka_csv_writer_str(w, buf);
	} else {
		angka_csv_writer_str(w, NULL);
	}
	angka_csv_writer_str(w, x->note);
	angka_csv_writer_end_row(w);
}

static const char *const fit_col[] = {
	"kode_wilayah", "domain", "indikator", "tahun_awal", "tahun_akhir",
	"n_tahun", "slope", "se_slope", "se_slope_sampling", "se_slope_residual",
	"df", "ci_lower", "ci_upper", "alpha", "fit_akhir", "target",
	"tahun_target", "tahun_target_tepat", "catatan"
};

void trend_write_fit_header(struct angka_csv_writer *w)
{
	angka_csv_writer_row(w, sizeof fit_col / sizeof *fit_col, fit_col);
}

/* Append "; text" (or text) to the note buffer. */
static void note_add(char *note, size_t cap, const char *text)
{
	size_t l = strlen(note);
	snprintf(note + l, cap - l, "%s%s", l ? "; " : "", text);
}

/* One trend.csv row for the hitung series r[0..n) (sorted by year). */
void trend_write_fit(struct angka_csv_writer *w, const struct hrow *r,
                     size_t n, const struct trend_config *tc)
{
	double *x = angka_xmalloc((n ? n : 1) * sizeof *x);
	double *y = angka_xmalloc((n ? n : 1) * sizeof *y);
	double *se = angka_xmalloc((n ? n : 1) * sizeof *se);
	size_t m = 0;
	/* Every year with an estimate, zeros included (dropping them would
	 * bias the trend upwards). */
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(r[i].est))
			continue;
		x[m] = r[i].tahun;
		y[m] = r[i].est;
		se[m] = r[i].se;
		m++;
	}
	struct trend_fit f;
	const char *msg = "";
	char note[400] = "", buf[160];
	int ok = m >= 2 ? trend_fit_ols(x, y, se, m, tc->alpha, &f, &msg) : -1;
	if (m < 2)
		note_add(note, sizeof note, "kurang dari 2 tahun");
	else if (ok < 0) {
		snprintf(buf, sizeof buf, "regresi gagal: %s", msg);
		note_add(note, sizeof note, buf);
	} else if (m == 2)
		note_add(note, sizeof note, "2 tahun: tanpa selang kepercayaan");
	if (ok == 0 && f.n_nose) {
		snprintf(buf, sizeof buf, "%zu tahun tanpa SE (estimasi 0 tidak "
		         "dapat diestimasi): ikut regresi, tidak ikut SE "
		         "sampling", f.n_nose);
		note_add(note, sizeof note, buf);
	}
	double fit_last = ok == 0 ? f.a + f.b * (x[m - 1] - f.x0) : NAN;
	/* Every indicator of angka is >= 0: a line below 0 in the last year
	 * says the decline has slowed, not that the value is negative. */
	if (fit_last < 0) {
		fit_last = 0;
		note_add(note, sizeof note, "garis tren di bawah 0 pada tahun "
		         "akhir: fit_akhir dipotong ke 0 (penurunan melambat, "
		         "bukan linear)");
	}
	double target = strcmp(r[0].domain, "total") == 0
	              ? trend_config_target(tc, r[0].indikator) : NAN;
	double ty = NAN;
	if (ok == 0 && isfinite(target)) {
		ty = trend_target_year(&f, x[m - 1], target);
		if (isnan(ty))
			note_add(note, sizeof note, "tren tidak menuju target");
		else if (!(f.lo > 0 || f.hi < 0))
			note_add(note, sizeof note, "selang kepercayaan slope "
			         "memuat 0 (atau tidak ada): tahun target tidak "
			         "didukung data");
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
	put_num(w, have ? f.se_resid : NAN);
	put_num(w, have && m > 2 ? f.df : NAN);
	put_num(w, have ? f.lo : NAN);
	put_num(w, have ? f.hi : NAN);
	put_num(w, tc->alpha);
	put_num(w, fit_last);
	put_num(w, target);
	put_num(w, isfinite(ty) ? ceil(ty - 1e-9) : NAN);
	put_num(w, ty);
	angka_csv_writer_str(w, note);
	angka_csv_writer_end_row(w);
	free(x);
	free(y);
	free(se);
}
