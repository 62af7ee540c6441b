/*
 * trend.c - angka-trend's run: read indicator tables, published series
 * and the previous history; merge them into history.csv (with revisions);
 * compute changes.csv and trend.csv. See trend.h; the inputs are read in
 * read.c, the rows kept in rows.c, the outputs written in write.c.
 */
#include "trend_int.h"
#include "publish.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ run */

enum angka_err trend_run(const struct trend_opts *o,
                         const struct trend_config *tc,
                         struct trend_stats *st, struct angka_error *e)
{
	struct hrows comp = { 0 }, pub = { 0 }, prev = { 0 }, out = { 0 };
	struct revs rv = { 0 };
	struct covs cv = { 0 };
	struct lines ln = { 0 };
	struct trend_chg *chg = NULL;
	size_t nchg = 0, capchg = 0;
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
	if (o->lines && (rc = trend_read_lines(o->lines, &ln, e)) != ANGKA_OK)
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

	angka_publish_apply(wh);
	angka_publish_apply(wc);
	if (wt)
		angka_publish_apply(wt);
	if (wr)
		angka_publish_apply(wr);
	trend_write_history(wh, &out);
	trend_write_change_header(wc);
	if (wt)
		trend_write_fit_header(wt);
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
			for (size_t k = 1; k < m + (m >= 3); k++) {
				if (nchg == capchg) {
					capchg = capchg ? 2 * capchg : 64;
					chg = angka_xrealloc(chg, capchg * sizeof *chg);
				}
				int per = k == m;
				trend_change_compute(&chg[nchg++],
				                     per ? s[0] : s[k - 1],
				                     per ? s[m - 1] : s[k],
				                     per ? "periode" : "tahunan", tc,
				                     pairs, npairs, &cv,
				                     o->lines ? &ln : NULL);
				st->changes++;
			}
			free(s);
			if (wt) {
				trend_write_fit(wt, &out.r[i], j - i, tc);
				st->fits++;
			}
		}
		i = j;
	}
	/* Multiplicity: adjusted p-values need every test of a family. */
	trend_changes_adjust(chg, nchg);
	for (size_t i = 0; i < nchg; i++)
		trend_write_change(wc, &chg[i], tc);
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
	trend_lines_release(&ln);
	free(chg);
	free(pairs);
	return rc;
}
