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
	"df", "p_value", "alpha", "kesimpulan", "catatan"
};

void trend_write_change_header(struct angka_csv_writer *w)
{
	angka_csv_writer_row(w, sizeof chg_col / sizeof *chg_col, chg_col);
}

void trend_write_change(struct angka_csv_writer *w, const struct hrow *a,
                        const struct hrow *b, const char *jenis,
                        const struct trend_config *tc, const int *pairs,
                        size_t npairs, const struct covs *cv)
{
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
		const struct cov_entry *x = trend_find_cov(cv, a, a->tahun,
		                                           b->tahun);
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

void trend_write_fit_header(struct angka_csv_writer *w)
{
	angka_csv_writer_row(w, sizeof fit_col / sizeof *fit_col, fit_col);
}

/* One trend.csv row for the hitung series r[0..n) (sorted by year). */
void trend_write_fit(struct angka_csv_writer *w, const struct hrow *r,
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
