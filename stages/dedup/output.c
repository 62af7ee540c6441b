/*
 * output.c - angka-dedup's output pass: the unique rows with cluster_id and
 * cluster_size, the duplicates and the review pairs (households on a second
 * thread, household.c), all committed only once the whole run succeeded.
 */
#include "ctx.h"
#include "publish.h"
#include "region.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "|"-joined names of the columns (src_file, src_line excluded) whose values
 * differ between rows a and b, into *out. */
static void fields_differ(struct dedup_ctx *x, const char **af,
                          const size_t *al, const char **bf, const size_t *bl,
                          struct dedup_buf *out)
{
	out->len = 0;
	for (size_t i = 0; i < x->nfields; i++) {
		if ((int)i == x->col[COL_SRC_FILE] || (int)i == x->col[COL_SRC_LINE])
			continue;
		if (al[i] == bl[i] && memcmp(af[i], bf[i], al[i]) == 0)
			continue;
		size_t n = strlen(x->header[i]);
		if (out->len + n + 2 > out->cap) {
			out->cap = (out->len + n + 2) * 2;
			out->s = angka_xrealloc(out->s, out->cap);
		}
		if (out->len)
			out->s[out->len++] = '|';
		memcpy(out->s + out->len, x->header[i], n);
		out->len += n;
	}
}

/* The CSV line text[0..len) with flag names bits added to its flags
 * field, into *out; the new length. The line ends with a comma (the
 * cluster columns follow), as spooled. */
static size_t add_flags(const struct dedup_ctx *x, const char *text,
                        size_t len, uint32_t bits, struct dedup_buf *out)
{
	char names[64];
	size_t nl = dedup_rflag_names(bits, names);
	/* Find the end of field col[COL_FLAGS] (quote-aware). */
	size_t pos = 0, start = 0;
	int field = 0, inq = 0;
	const int want = x->col[COL_FLAGS];
	for (; pos < len; pos++) {
		char ch = text[pos];
		if (inq) {
			if (ch == '"')
				inq = pos + 1 < len && text[pos + 1] == '"'
				      ? (pos++, 1) : 0;
			continue;
		}
		if (ch == '"') {
			inq = 1;
		} else if (ch == ',') {
			if (field == want)
				break;
			field++;
			start = pos + 1;
		}
	}
	/* Insert before the field's closing quote, if quoted. */
	size_t at = pos;
	int empty = pos == start;
	if (pos > start && text[pos - 1] == '"' && text[start] == '"') {
		at = pos - 1;
		empty = pos - start == 2;
	}
	size_t need = len + nl + 2;
	if (out->cap < need) {
		out->cap = need;
		out->s = angka_xrealloc(out->s, out->cap);
	}
	memcpy(out->s, text, at);
	size_t n = at;
	if (!empty)
		out->s[n++] = '|';
	memcpy(out->s + n, names, nl);
	n += nl;
	memcpy(out->s + n, text + at, len - at);
	return n + len - at;
}

/* A score in units of 0.0001 as "%.4f" would print it. */
static void write_score(struct angka_csv_writer *w, unsigned int units)
{
	char buf[16];
	int n = snprintf(buf, sizeof buf, "%u.%04u", units / 10000,
	                 units % 10000);
	angka_csv_writer_raw(w, buf, (size_t)n);
}

/* A weight in units of 0.01 bits as "%.2f" would print it. */
static void write_cb(struct angka_csv_writer *w, int cb)
{
	char buf[24];
	unsigned a = (unsigned)(cb < 0 ? -cb : cb);
	int n = snprintf(buf, sizeof buf, "%s%u.%02u", cb < 0 ? "-" : "",
	                 a / 100, a % 100);
	angka_csv_writer_raw(w, buf, (size_t)n);
}

/* review.csv's waterfall: per comparison the columns of the two rows side
 * by side, the comparison's level and its weight; then the prior and the
 * total. The columns shown per comparison (enum dedup_cmp order; -1: none;
 * wilayah falls back to kode_kec). */
static const int review_cols[DEDUP_NCMP][2] = {
	[DEDUP_CMP_NAME] = { COL_NAMA, COL_NAMA_KUNCI },
	[DEDUP_CMP_DOB] = { COL_TGL_LAHIR, -1 },
	[DEDUP_CMP_NIK] = { COL_NIK, -1 },
	[DEDUP_CMP_KK] = { COL_NO_KK, -1 },
	[DEDUP_CMP_DESA] = { COL_KODE_WILAYAH, -1 },
	[DEDUP_CMP_SEX] = { COL_JENIS_KELAMIN, -1 },
};
static const char *const review_col_names[DEDUP_NCMP][2] = {
	{ "nama", "nama_kunci" }, { "tgl_lahir", NULL }, { "nik", NULL },
	{ "no_kk", NULL }, { "kode_wilayah", NULL }, { "jenis_kelamin", NULL },
};

static void review_header(struct angka_csv_writer *w)
{
	static const char *const h[] = { "a_src_file", "a_src_line",
		"b_src_file", "b_src_line", "rule", "score", "fields_differ" };
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
		angka_csv_writer_str(w, h[i]);
	char name[64];
	for (int k = 0; k < DEDUP_NCMP; k++) {
		for (int c = 0; c < 2 && review_col_names[k][c]; c++)
			for (int side = 0; side < 2; side++) {
				snprintf(name, sizeof name, "%c_%s",
				         side ? 'b' : 'a', review_col_names[k][c]);
				angka_csv_writer_str(w, name);
			}
		snprintf(name, sizeof name, "%s_level", dedup_fs_cmp_name(k));
		angka_csv_writer_str(w, name);
		snprintf(name, sizeof name, "%s_weight", dedup_fs_cmp_name(k));
		angka_csv_writer_str(w, name);
		if (k == DEDUP_CMP_NAME)
			angka_csv_writer_str(w, "nama_tf_weight");
	}
	angka_csv_writer_str(w, "prior_weight");
	angka_csv_writer_str(w, "total_weight");
	angka_csv_writer_end_row(w);
}

/* The waterfall of pair p (rows split into af/al and bf/bl). Under model =
 * fixed the levels only: the weights are empty. */
static void review_waterfall(const struct dedup_ctx *x,
                             const struct dedup_pair *p, const char **af,
                             const size_t *al, const char **bf,
                             const size_t *bl, struct angka_csv_writer *w)
{
	int fixed = x->s->fixed;
	int total = x->fm.prior_cb;
	for (int k = 0; k < DEDUP_NCMP; k++) {
		for (int c = 0; c < 2 && review_col_names[k][c]; c++) {
			int col = x->col[review_cols[k][c]];
			if (k == DEDUP_CMP_DESA && (col < 0 || !al[col]) &&
			    x->col[COL_KODE_KEC] >= 0)
				col = x->col[COL_KODE_KEC];
			if (col < 0) {
				angka_csv_writer_str(w, "");
				angka_csv_writer_str(w, "");
				continue;
			}
			angka_csv_writer_field(w, af[col], al[col]);
			angka_csv_writer_field(w, bf[col], bl[col]);
		}
		int l = dedup_fs_level(p->cell, k);
		angka_csv_writer_str(w, dedup_fs_level_name(k, l));
		if (fixed)
			angka_csv_writer_str(w, "");
		else
			write_cb(w, x->fm.wcb[k][l]);
		total += x->fm.wcb[k][l];
		if (k == DEDUP_CMP_NAME) {
			if (fixed)
				angka_csv_writer_str(w, "");
			else
				write_cb(w, p->tf);
			total += p->tf;
		}
	}
	if (fixed) {
		angka_csv_writer_str(w, "");
		angka_csv_writer_str(w, "");
	} else {
		write_cb(w, x->fm.prior_cb);
		write_cb(w, total);
	}
}

/*
 * The work beside the unique rows: the households on a second thread
 * and the golden records (golden.c) on a third (with threads = 1 both
 * before the unique rows, on this thread; if the third cannot start, on
 * whichever thread is free first: the second after the households, or
 * this one after the unique, duplicate and review rows). All only read
 * the records.
 */
struct hh_job {
	struct dedup_ctx *x;
	enum angka_err rc;
	struct angka_error e;
	struct angka_csv_writer *hw, *hc;   /* written, not committed */
	atomic_int golden_taken;
	enum angka_err grc;
	struct angka_error ge;
	struct angka_csv_writer *gw;        /* written, not committed */
};

/* CPU time of the calling thread (-v: the machine may be shared, so the
 * wall time of a thread is mostly the others' load). */
static double thread_cpu(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The golden records, if no thread has taken them yet. */
static void golden_job(struct hh_job *j)
{
	if (atomic_exchange(&j->golden_taken, 1))
		return;
	double t0 = dedup_now(), c0 = thread_cpu();
	j->grc = dedup_golden(j->x, &j->gw, &j->ge);
	if (j->x->o->verbose && j->x->o->golden)
		fprintf(stderr, "%s: golden records %.2f s, cpu %.2f s\n",
		        angka_progname(), dedup_now() - t0, thread_cpu() - c0);
}

/* No thread takes the golden records after this. */
static void golden_skip(struct hh_job *j)
{
	atomic_store(&j->golden_taken, 1);
}

static void *golden_worker(void *arg)
{
	golden_job(arg);
	return NULL;
}

static void *hh_worker(void *arg)
{
	struct hh_job *j = arg;
	double t0 = dedup_now(), c0 = thread_cpu();
	j->rc = dedup_households(j->x, &j->hw, &j->hc, &j->e);
	if (j->x->o->verbose)
		fprintf(stderr, "%s: households thread %.2f s, cpu %.2f s\n",
		        angka_progname(), dedup_now() - t0, thread_cpu() - c0);
	golden_job(j);
	return NULL;
}

enum angka_err dedup_write_outputs(struct dedup_ctx *x,
                                   struct angka_csv_writer **golden,
                                   struct angka_error *e)
{
	enum angka_err rc = ANGKA_OK;
	struct angka_csv_writer *wu = NULL, *wd = NULL, *wr = NULL;
	char *abuf = NULL, *bbuf = NULL;
	size_t acap = 0, bcap = 0;
	const char **af = angka_xmalloc(x->nfields * sizeof *af);
	const char **bf = angka_xmalloc(x->nfields * sizeof *bf);
	size_t *al = angka_xmalloc(x->nfields * sizeof *al);
	size_t *bl = angka_xmalloc(x->nfields * sizeof *bl);
	struct dedup_buf diff = { 0 }, fbuf = { 0 };
	char *kbuf = NULL;
	size_t kcap = 0;
	const unsigned priv = ANGKA_CSV_WRITER_PRIVATE;
	const int cf = x->col[COL_SRC_FILE], cln = x->col[COL_SRC_LINE];
	struct hh_job hj;
	memset(&hj, 0, sizeof hj);
	hj.x = x;
	atomic_init(&hj.golden_taken, 0);
	*golden = NULL;
	pthread_t hh_tid, golden_tid;
	int hh_thread = 0, golden_thread = 0;

	if ((rc = angka_csv_writer_open(&wu, x->o->out, priv, e)) != ANGKA_OK)
		goto cleanup;
	/* Households (their own sort and files) on a second thread while
	 * this one writes the unique rows: both only read the records. The
	 * sort gets the budget left now. Without a second thread, the
	 * households and the golden records come first. */
	x->hh_sort_cap = dedup_sort_entries(x);
	hh_thread = x->s->threads > 1 &&
	            pthread_create(&hh_tid, NULL, hh_worker, &hj) == 0;
	if (!hh_thread)
		hh_worker(&hj);
	/* The golden records on a thread of their own from the start: the
	 * unique pass mostly waits for the disk, the households thread
	 * takes as long as it does, and the golden records after either
	 * were the tail of the run. */
	golden_thread = hh_thread && x->o->golden &&
	                pthread_create(&golden_tid, NULL, golden_worker,
	                               &hj) == 0;
	if (x->o->duplicates &&
	    (rc = angka_csv_writer_open(&wd, x->o->duplicates, priv, e)))
		goto cleanup;
	if (x->o->review &&
	    (rc = angka_csv_writer_open(&wr, x->o->review, priv, e)))
		goto cleanup;

	for (size_t i = 0; i < x->nfields; i++)
		angka_csv_writer_str(wu, x->header[i]);
	angka_csv_writer_str(wu, "cluster_id");
	angka_csv_writer_str(wu, "cluster_size");
	angka_csv_writer_end_row(wu);
	if (wd) {
		static const char *const h[] = { "src_file", "src_line",
			"cluster_id", "survivor_src_file", "survivor_src_line",
			"rule", "score", "fields_differ" };
		angka_csv_writer_row(wd, 8, h);
	}
	for (uint32_t i = 0; i < x->n; i++) {
		struct dedup_rec *r = &x->rec[i];
		__builtin_prefetch(&x->rec[i + 16 < x->n ? i + 16 : i]);
		struct dedup_cluster one;
		const struct dedup_cluster *c = dedup_cluster_of(x, i, &one);
		char cid[18];
		if (c->surv == i) {
			const char *text;
			size_t len = dedup_row_text_seq(x, &x->win, i, &text, e);
			if (len == (size_t)-1) {
				rc = e->code;
				goto cleanup;
			}
			/* A row alone without a valid NIK (few): its id from
			 * its content key. */
			if (c == &one && dedup_cluster_needs_key(x, c))
				one.keyh = dedup_row_keyh(x, text, len, &kbuf,
				                          &kcap, NULL, NULL);
			dedup_cluster_id(x, c, cid);
			/* The spooled row is its CSV line already; a flagged
			 * row (few) gets its flags added. */
			uint32_t fl = r->flagged && x->col[COL_FLAGS] >= 0
			              ? dedup_rflag_get(x, i) : 0;
			if (fl) {
				len = add_flags(x, text, len, fl, &fbuf);
				text = fbuf.s;
			}
			x->st->unique++;
			/* The row, its cluster id and size built in the
			 * writer's buffer at once (10 million rows: the
			 * field calls were a quarter of this loop). */
			char *o = angka_csv_writer_reserve(wu, len + 40);
			if (o) {
				memcpy(o, text, len);
				size_t k = len;
				o[k++] = ',';
				memcpy(o + k, cid, 17);
				k += 17;
				o[k++] = ',';
				k += dedup_put_dec(o + k, c->size, 1);
				o[k++] = '\n';
				angka_csv_writer_row_done(wu, k);
				continue;
			}
			angka_csv_writer_raw(wu, text, len);
			angka_csv_writer_raw(wu, cid, 17);
			angka_csv_writer_long(wu, c->size);
			angka_csv_writer_end_row(wu);
			continue;
		}
		dedup_cluster_id(x, c, cid);
		x->st->duplicates++;
		if (r->rule == DEDUP_RULE_EXACT_NIK)
			x->st->dup_exact++;
		if (!wd)
			continue;
		/* The row itself from the window of the scan (no read of
		 * its own), copied: dedup_split unquotes in place. */
		const char *atext;
		size_t alen = dedup_row_text_seq(x, &x->win, i, &atext, e);
		if (alen != (size_t)-1) {
			if (alen + 1 > acap) {
				acap = (alen + 1) * 2;
				abuf = angka_xrealloc(abuf, acap);
			}
			memcpy(abuf, atext, alen);
			abuf[alen] = '\0';
		}
		size_t slen = alen == (size_t)-1 ? alen
		              : dedup_row_text(x, c->surv, &bbuf, &bcap, e);
		if (slen == (size_t)-1) {
			rc = e->code;
			goto cleanup;
		}
		dedup_split(abuf, alen, x->nfields, af, al);
		dedup_split(bbuf, slen, x->nfields, bf, bl);
		fields_differ(x, af, al, bf, bl, &diff);
		angka_csv_writer_field(wd, af[cf], al[cf]);
		angka_csv_writer_field(wd, af[cln], al[cln]);
		angka_csv_writer_raw(wd, cid, 17);
		angka_csv_writer_field(wd, bf[cf], bl[cf]);
		angka_csv_writer_field(wd, bf[cln], bl[cln]);
		angka_csv_writer_str(wd, dedup_rule_name(r->rule));
		write_score(wd, r->score);
		angka_csv_writer_field(wd, diff.s ? diff.s : "", diff.len);
		angka_csv_writer_end_row(wd);
	}
	x->st->clusters_multi = x->ncl;
	dedup_pass_done(x, "unique");

	/* Review pairs that the merges did not settle, a before b in
	 * (src_file, src_line) order, sorted, so the file does not depend
	 * on the input order. */
	size_t k = 0;
	for (size_t i = 0; i < x->nreview; i++) {
		struct dedup_pair p = x->pairs[i];
		if (x->rec[p.a].parent == x->rec[p.b].parent)
			continue;
		if (dedup_first_line_cmp(x, p.a, p.b) > 0) {
			uint32_t t = p.a;
			p.a = p.b;
			p.b = t;
		}
		x->pairs[k++] = p;
	}
	x->nreview = k;
	x->st->review = k;
	dedup_sort_review(x);
	if (wr) {
		review_header(wr);
		for (size_t i = 0; i < x->nreview; i++) {
			const struct dedup_pair *p = &x->pairs[i];
			size_t la = dedup_row_text(x, p->a, &abuf, &acap, e);
			size_t lb = la == (size_t)-1 ? la
			            : dedup_row_text(x, p->b, &bbuf, &bcap, e);
			if (lb == (size_t)-1) {
				rc = e->code;
				goto cleanup;
			}
			dedup_split(abuf, la, x->nfields, af, al);
			dedup_split(bbuf, lb, x->nfields, bf, bl);
			fields_differ(x, af, al, bf, bl, &diff);
			angka_csv_writer_field(wr, af[cf], al[cf]);
			angka_csv_writer_field(wr, af[cln], al[cln]);
			angka_csv_writer_field(wr, bf[cf], bl[cf]);
			angka_csv_writer_field(wr, bf[cln], bl[cln]);
			angka_csv_writer_str(wr, dedup_rule_name(p->rule));
			write_score(wr, p->score);
			angka_csv_writer_field(wr, diff.s ? diff.s : "", diff.len);
			review_waterfall(x, p, af, al, bf, bl, wr);
			angka_csv_writer_end_row(wr);
		}
	}
	rc = angka_check_balance(x->st->rows_in, x->st->unique, 0,
	                         x->st->duplicates, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	golden_job(&hj);
	if (hh_thread) {
		pthread_join(hh_tid, NULL);
		hh_thread = 0;
	}
	if (golden_thread) {
		pthread_join(golden_tid, NULL);
		golden_thread = 0;
	}
	dedup_pass_done(x, "households");
	if (hj.grc != ANGKA_OK || hj.rc != ANGKA_OK) {
		*e = hj.grc != ANGKA_OK ? hj.ge : hj.e;
		rc = hj.grc != ANGKA_OK ? hj.grc : hj.rc;
		goto cleanup;
	}
	/* The audit files and the households first, the unique rows last: a
	 * reader that sees the unique file also finds the rows folded out of
	 * it. Nothing is committed before the whole run has succeeded. */
	for (int k = 0; k < 2; k++) {
		struct angka_csv_writer **w = k ? &hj.hc : &hj.hw;
		if (*w) {
			rc = angka_csv_writer_commit(*w, e);
			*w = NULL;
			if (rc != ANGKA_OK)
				goto cleanup;
		}
	}
	if (wd) {
		rc = angka_csv_writer_commit(wd, e);
		wd = NULL;
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	if (wr) {
		rc = angka_csv_writer_commit(wr, e);
		wr = NULL;
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	rc = angka_csv_writer_commit(wu, e);
	wu = NULL;
	if (rc == ANGKA_OK) {
		*golden = hj.gw;
		hj.gw = NULL;
	}
cleanup:
	/* Failed: the golden records are not needed any more. */
	golden_skip(&hj);
	if (hh_thread)
		pthread_join(hh_tid, NULL);
	if (golden_thread)
		pthread_join(golden_tid, NULL);
	angka_csv_writer_abort(hj.hw);
	angka_csv_writer_abort(hj.hc);
	angka_csv_writer_abort(hj.gw);
	angka_csv_writer_abort(wu);
	angka_csv_writer_abort(wd);
	angka_csv_writer_abort(wr);
	free(abuf);
	free(bbuf);
	free(af);
	free(bf);
	free(al);
	free(bl);
	free(diff.s);
	free(fbuf.s);
	free(kbuf);
	return rc;
}

void dedup_regions_preload(struct dedup_ctx *x)
{
	if (x->regions_loaded || x->regions_job || !x->o->wilayah ||
	    x->s->threads < 2 ||
	    !(x->o->household_counts || x->o->perubahan_desa))
		return;
	/* NULL (no thread): loaded when needed. */
	x->regions_job = angka_region_loader_start(x->o->wilayah);
}

/* Take the preload's table for the published tables; its error. */
static enum angka_err regions_join(struct dedup_ctx *x, struct angka_error *e)
{
	struct angka_region_table *t = NULL;
	enum angka_err rc = angka_region_loader_take(x->regions_job, &t, e);
	angka_region_loader_free(x->regions_job);
	x->regions_job = NULL;
	if (rc == ANGKA_OK)
		angka_publish_take_regions(t);
	return rc;
}

void dedup_regions_wait(struct dedup_ctx *x)
{
	angka_region_loader_free(x->regions_job);
	x->regions_job = NULL;
}

enum angka_err dedup_publish_regions(struct dedup_ctx *x, struct angka_error *e)
{
	if (x->regions_loaded || !x->o->wilayah)
		return ANGKA_OK;
	x->regions_loaded = 1;
	if (x->regions_job)
		return regions_join(x, e);
	return angka_publish_set_regions(x->o->wilayah, e);
}

static const struct dedup_ctx *review_ctx;

static int review_cmp(const void *pa, const void *pb)
{
	const struct dedup_pair *a = pa, *b = pb;
	int c = dedup_first_line_cmp(review_ctx, a->a, b->a);
	return c ? c : dedup_first_line_cmp(review_ctx, a->b, b->b);
}

void dedup_sort_review(struct dedup_ctx *x)
{
	/* qsort has no context argument in C11; the review is sorted once,
	 * single-threaded, so a file-scope pointer is safe. */
	if (!x->nreview)
		return;
	review_ctx = x;
	qsort(x->pairs, x->nreview, sizeof *x->pairs, review_cmp);
	review_ctx = NULL;
}
