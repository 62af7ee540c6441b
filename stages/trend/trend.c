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
		if ((rc = trend_read_rows(o->files[i], 0, &comp, e)) != ANGKA_OK)
			goto cleanup;
	if ((rc = trend_sort_unique(&comp, e)) != ANGKA_OK)
		goto cleanup;
	if (o->published) {
		if ((rc = trend_read_published(o->published, &pub, e)) != ANGKA_OK)
			goto cleanup;
		if ((rc = trend_sort_unique(&pub, e)) != ANGKA_OK)
			goto cleanup;
	}
	/* A previous history that does not exist yet (the first run) is an
	 * empty one: the driver always names the same path. */
	if (o->previous_history && access(o->previous_history, F_OK) == 0 &&
	    (rc = trend_read_rows(o->previous_history, 1, &prev, e)) != ANGKA_OK)
		goto cleanup;
	if ((rc = trend_sort_unique(&prev, e)) != ANGKA_OK)
		goto cleanup;
	if (o->cov && (rc = trend_read_covs(o->cov, &cv, e)) != ANGKA_OK)
		goto cleanup;
	if (o->revisions && access(o->revisions, F_OK) == 0 &&
	    (rc = trend_read_revisions(o->revisions, &rv, e)) != ANGKA_OK)
		goto cleanup;

	/* Merge: new computed and published rows win over the previous ones;
	 * a changed value leaves a revision row. */
	for (size_t i = 0; i < prev.n; i++) {
		struct hrow *p = &prev.r[i];
		struct hrows *now = p->sumber == SRC_HITUNG ? &comp
		                  : o->published ? &pub : NULL;
		struct hrow *n = now ? trend_find_row(now, p) : NULL;
		if (!n) {
			trend_hrows_take(&out, p);
			st->carried++;
			continue;
		}
		if (!trend_same_value(p, n)) {
			trend_add_revision(&rv, p, n,
			                   p->sumber == SRC_HITUNG ? "recomputed"
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
		angka_csv_writer_row(wr, R_COUNT, trend_rev_col);
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
	trend_revs_release(&rv);
	trend_covs_release(&cv);
	free(pairs);
	return rc;
}
