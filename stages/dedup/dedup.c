/*
 * dedup.c - angka-dedup's logic: the exact-NIK and blocking passes and the
 * unique/duplicates/review outputs. Settings are in settings.c, the read
 * pass in read.c, the scoring pass in score.c, clusters and survivors in
 * cluster.c, households in household.c.
 */
#include "dedup.h"
#include "ctx.h"
#include "keysort.h"
#include "spool.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* ---- Blocking ---- */

/* One step of the blocking-key hash: a multiply-xorshift, which spreads
 * every input bit over the high bytes the radix sort splits on. Keys only
 * have to be equal for equal inputs; the cluster ids use FNV-1a. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 31);
}

/* Largest block whose pairs stay within max_pairs_per_block. */
static size_t block_cap(long max_pairs)
{
	size_t n = 2;
	while ((double)(n + 1) * (double)n / 2.0 <= (double)max_pairs)
		n++;
	return n;
}

/*
 * One pass (the exact NIK pass, or a blocking rule and for nik_near one of
 * its 5 NIK windows) as a job for the pass threads: each job sorts its own
 * keys and collects its own pairs, counts and warnings, which blocking()
 * then joins in pass order, so the result (and the max_pairs cut) is that
 * of one thread. The jobs only read the records.
 */
#define NIK_WINDOWS 5
#define BLOCK_NJOBS (1 + NIK_WINDOWS + DEDUP_NRULES - DEDUP_RULE_DOB_SEX_KEC)

struct block_job {
	struct dedup_ctx *x;
	int rule, w;
	size_t sort_cap;             /* entries in memory before a spill */
	struct dedup_pair *pairs;
	size_t npairs, alloc;
	int capped;                  /* stopped at max_pairs */
	uint64_t skipped;            /* oversized blocks */
	size_t nwarn, warn_alloc;
	size_t *warn_rows;           /* sizes of the first max_warnings
	                              * oversized blocks */
	uint64_t runs;
	size_t buf_bytes;
	uint64_t groups;             /* exact: NIKs with several rows */
	double secs;                 /* wall time of the job (-v) */
	enum angka_err rc;
	struct angka_error e;
};

/* Exact pass: every row of a NIK group is paired with its first. */
static int exact_group(void *ctx, uint64_t key, const uint32_t *ids,
                       size_t nstored, size_t ntotal)
{
	struct block_job *j = ctx;
	(void)key;
	(void)ntotal;
	if (nstored < 2)
		return 0;
	j->groups++;
	for (size_t i = 1; i < nstored; i++) {
		if (j->npairs == j->alloc) {
			j->alloc = j->alloc ? j->alloc * 2 : 4096;
			j->pairs = angka_xrealloc(j->pairs,
			                          j->alloc * sizeof *j->pairs);
		}
		struct dedup_pair *p = &j->pairs[j->npairs++];
		p->a = ids[0];
		p->b = ids[i];
		p->rule = DEDUP_RULE_EXACT_NIK;
	}
	return 0;
}

static int block_group(void *ctx, uint64_t key, const uint32_t *ids,
                       size_t nstored, size_t ntotal)
{
	struct block_job *j = ctx;
	const struct dedup_ctx *x = j->x;
	(void)key;
	if (ntotal < 2)
		return 0;
	double pairs = (double)ntotal * (double)(ntotal - 1) / 2.0;
	if (pairs > (double)x->s->max_pairs_per_block) {
		if (j->nwarn < (size_t)x->s->max_warnings) {
			if (j->nwarn == j->warn_alloc) {
				j->warn_alloc = j->warn_alloc ? 2 * j->warn_alloc
				                              : 16;
				j->warn_rows = angka_xrealloc(j->warn_rows,
				        j->warn_alloc * sizeof *j->warn_rows);
			}
			j->warn_rows[j->nwarn++] = ntotal;
		}
		j->skipped++;
		return 0;
	}
	for (size_t i = 0; i < nstored; i++) {
		for (size_t k = i + 1; k < nstored; k++) {
			uint32_t a = ids[i], b = ids[k];
			/* Rows of one valid NIK are one person already (the
			 * exact pass joins them). */
			if (x->rec[a].nik_valid && x->rec[b].nik_valid &&
			    x->rec[a].nik == x->rec[b].nik)
				continue;
			if (j->npairs >= (size_t)x->s->max_pairs) {
				j->capped = 1;
				return 0;
			}
			if (j->npairs == j->alloc) {
				j->alloc = j->alloc ? j->alloc * 2 : 4096;
				j->pairs = angka_xrealloc(j->pairs,
				        j->alloc * sizeof *j->pairs);
			}
			struct dedup_pair *p = &j->pairs[j->npairs++];
			p->a = a;
			p->b = b;
			p->rule = (uint8_t)j->rule;
		}
	}
	return 0;
}

/* The key of row r under rule (and NIK window w; name0 the first byte of
 * its nama_kunci, 0 if none); 0 if r has no key. */
static uint64_t block_key(const struct dedup_rec *r, uint64_t name0, int rule,
                          int w)
{
	uint64_t h = mix(0x736f6d6570736575ULL,
	                 (uint64_t)rule * 16 + (uint64_t)w);
	switch (rule) {
	case DEDUP_RULE_NIK_NEAR: {
		if (!r->nik)
			return 0;
		/* Mask the 4-digit window at digit 3w (from the left): the
		 * windows 0-3, 3-6, 6-9, 9-12, 12-15 hold every single digit
		 * and every pair of neighbouring digits (a typo, a swap). */
		uint64_t p10 = 1;
		for (int i = 0; i < 12 - 3 * w; i++)
			p10 *= 10;
		uint64_t low = r->nik % p10;
		uint64_t high = r->nik / (p10 * 10000);
		/* Plus the name's first letter: serials are small numbers, so
		 * a window over the birth date alone would block everyone of a
		 * kecamatan born on the same day of any month together. */
		return mix(mix(mix(h, high), low), name0) | 1;
	}
	case DEDUP_RULE_DOB_SEX_KEC:
		if (r->dob == DEDUP_NODATE || !r->sex || !dedup_rec_wil(r))
			return 0;
		return mix(mix(mix(h, (uint64_t)(uint32_t)r->dob), r->sex),
		           dedup_rec_wil(r) / 10000) | 1;
	case DEDUP_RULE_NAME_DOB:
		if (!r->name || r->dob == DEDUP_NODATE)
			return 0;
		return mix(mix(h, r->name), (uint64_t)(uint32_t)r->dob) | 1;
	case DEDUP_RULE_NAME_DESA_YEAR: {
		uint64_t wil = dedup_rec_wil(r);
		if (!r->name || !wil || r->dob == DEDUP_NODATE)
			return 0;
		/* 365.2425-day years are close enough for a blocking key;
		 * the birth year shifts only at the very year's edges. */
		int64_t year = ((int64_t)r->dob * 400) / 146097;
		return mix(mix(mix(h, r->name), wil), (uint64_t)year) | 1;
	}
	}
	return 0;
}

static uint64_t job_key(const struct block_job *j, const struct dedup_rec *r,
                        uint8_t name0)
{
	if (j->rule == DEDUP_RULE_EXACT_NIK)
		return r->nik_valid ? r->nik : 0;
	return block_key(r, name0, j->rule, j->w);
}

/*
 * A pass keeps only the rows whose key may occur twice: a first scan marks
 * each key's bucket in a "seen" and a "seen again" bit array (2^b buckets,
 * 3 to 6 per row); a key whose bucket was seen once is alone, and its row
 * cannot be in any pair. Most keys are alone (a NIK window, a birth date
 * with a name), so the sort gets a few per cent of the rows instead of all
 * of them. A shared bucket only keeps a row that is alone: the groups are
 * exactly those of sorting everything.
 */
static void block_pass(struct block_job *j, const uint8_t *name0)
{
	struct dedup_ctx *x = j->x;
	struct dedup_keysort ks;
	dedup_keysort_init(&ks, j->sort_cap, x->s->tmpdir);
	enum angka_err rc = ANGKA_OK;
	int b = 12;
	while (b < 34 && ((uint64_t)1 << b) < (uint64_t)x->n * 3)
		b++;
	/* bits[2w] says "seen", bits[2w + 1] "seen again", for the 64
	 * buckets of word w: one cache line holds both. */
	size_t words = ((size_t)1 << b) / 64;
	uint64_t *bits = angka_xcalloc(2 * words, sizeof *bits);
	/* In batches: the bit array does not fit the cache, so each batch
	 * computes its buckets and prefetches them before touching any. */
	enum { BATCH = 64 };
	uint64_t kb[BATCH], hb[BATCH];
	for (int scan = 0; scan < 2 && rc == ANGKA_OK; scan++) {
		for (uint32_t i0 = 0; i0 < x->n && rc == ANGKA_OK; i0 += BATCH) {
			uint32_t nb = x->n - i0 < BATCH ? x->n - i0 : BATCH;
			for (uint32_t t = 0; t < nb; t++) {
				kb[t] = job_key(j, &x->rec[i0 + t], name0[i0 + t]);
				hb[t] = (kb[t] * 0xff51afd7ed558ccdULL) >> (64 - b);
				__builtin_prefetch(&bits[(hb[t] >> 6) * 2]);
			}
			for (uint32_t t = 0; t < nb; t++) {
				if (!kb[t])
					continue;
				uint64_t *wp = &bits[(hb[t] >> 6) * 2];
				uint64_t bit = (uint64_t)1 << (hb[t] & 63);
				if (scan == 0) {
					if (wp[0] & bit)
						wp[1] |= bit;
					else
						wp[0] |= bit;
				} else if (wp[1] & bit) {
					rc = dedup_keysort_add(&ks, kb[t], i0 + t,
					                       &j->e);
					if (rc != ANGKA_OK)
						break;
				}
			}
		}
	}
	free(bits);
	j->buf_bytes = ks.buf_alloc * sizeof *ks.buf + 2 * words * sizeof *bits;
	if (rc == ANGKA_OK && j->rule == DEDUP_RULE_EXACT_NIK)
		rc = dedup_keysort_groups(&ks, UINT32_MAX, exact_group, j,
		                          &j->e);
	else if (rc == ANGKA_OK)
		rc = dedup_keysort_groups(&ks, block_cap(x->s->max_pairs_per_block),
		                          block_group, j, &j->e);
	j->runs = dedup_keysort_runs(&ks);
	dedup_keysort_release(&ks);
	j->rc = rc;
}

struct block_pool {
	struct block_job *jobs;  /* the passes */
	const uint8_t *name0;
	size_t next;
	pthread_mutex_t lock;
};

static void *block_worker(void *arg)
{
	struct block_pool *bp = arg;
	for (;;) {
		pthread_mutex_lock(&bp->lock);
		size_t k = bp->next++;
		pthread_mutex_unlock(&bp->lock);
		if (k >= BLOCK_NJOBS)
			return NULL;
		double t0 = dedup_now();
		block_pass(&bp->jobs[k], bp->name0);
		bp->jobs[k].secs = dedup_now() - t0;
	}
}

static int pair_cmp(const void *pa, const void *pb)
{
	const struct dedup_pair *a = pa, *b = pb;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return (a->rule > b->rule) - (a->rule < b->rule);
}

static enum angka_err blocking(struct dedup_ctx *x, struct angka_error *e)
{
	struct block_job jobs[BLOCK_NJOBS];
	memset(jobs, 0, sizeof jobs);
	size_t nthreads = (size_t)x->s->threads;
	if (nthreads > BLOCK_NJOBS)
		nthreads = BLOCK_NJOBS;
	/* The sort budget, shared by the pass threads, each of which also
	 * holds its bit array (about 1.5 bytes per row, counted). The
	 * households sort later, on their own (dedup_households). */
	size_t budget = dedup_sort_entries(x);
	size_t bits = ((size_t)x->n * 12 / 8 + 64) / sizeof(struct dedup_kv);
	size_t cap = budget / nthreads;
	cap = cap > bits + 64 ? cap - bits : 64;
	for (int k = 0; k < BLOCK_NJOBS; k++) {
		jobs[k].x = x;
		jobs[k].rule = k == 0 ? DEDUP_RULE_EXACT_NIK
		               : k <= NIK_WINDOWS ? DEDUP_RULE_NIK_NEAR
		               : DEDUP_RULE_DOB_SEX_KEC + (k - NIK_WINDOWS - 1);
		jobs[k].w = k >= 1 && k <= NIK_WINDOWS ? k - 1 : 0;
		jobs[k].sort_cap = cap;
	}
	/* The first byte of each row's name key, for the nik_near keys,
	 * noted while reading (x->name0). */
	const uint8_t *name0 = x->name0;
	struct block_pool bp = { jobs, name0, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t tid[BLOCK_NJOBS];
	size_t started = 0;
	for (; started + 1 < nthreads; started++)
		if (pthread_create(&tid[started], NULL, block_worker, &bp))
			break;   /* fewer threads: the jobs still all run */
	block_worker(&bp);
	for (size_t t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	free(x->name0);
	x->name0 = NULL;
	if (x->o->verbose) {
		fprintf(stderr, "%s: blocking jobs (s):", angka_progname());
		for (int k = 0; k < BLOCK_NJOBS; k++)
			fprintf(stderr, " %s %.2f", dedup_rule_name(jobs[k].rule),
			        jobs[k].secs);
		fputc('\n', stderr);
	}

	/* Join in pass order. */
	enum angka_err rc = ANGKA_OK;
	size_t total = 0, bufs = 0;
	for (int k = 0; k < BLOCK_NJOBS; k++) {
		struct block_job *j = &jobs[k];
		if (j->rc != ANGKA_OK && rc == ANGKA_OK) {
			*e = j->e;
			rc = j->rc;
		}
		total += j->npairs;
		if (j->buf_bytes > bufs)
			bufs = j->buf_bytes;   /* the largest pass */
		x->st->runs_spilled += j->runs;
	}
	dedup_note_bytes(x, bufs * nthreads +
	              total * sizeof *x->pairs);
	if (rc != ANGKA_OK)
		goto out;
	/* Exact NIK groups: one person, before any scoring. */
	x->exact_groups = jobs[0].groups;
	for (size_t i = 0; i < jobs[0].npairs; i++) {
		const struct dedup_pair *p = &jobs[0].pairs[i];
		dedup_uf_union(x->rec, p->a, p->b);
		x->rec[p->a].rule = x->rec[p->b].rule = DEDUP_RULE_EXACT_NIK;
		x->rec[p->a].score = x->rec[p->b].score = 10000;
	}
	total -= jobs[0].npairs;
	x->pairs = angka_xrealloc(x->pairs, (total ? total : 1) * sizeof *x->pairs);
	x->npairs_alloc = total ? total : 1;
	for (int k = 1; k < BLOCK_NJOBS; k++) {
		struct block_job *j = &jobs[k];
		x->st->blocks_skipped[j->rule] += j->skipped;
		for (size_t i = 0; i < j->nwarn && !x->o->quiet &&
		     x->warnings < x->s->max_warnings; i++) {
			x->warnings++;
			size_t n = j->warn_rows[i];
			angka_warn("warning: rule %s: a block of %zu rows (%.0f "
			           "pairs) exceeds max_pairs_per_block %ld; "
			           "skipped", dedup_rule_name(j->rule), n,
			           (double)n * (double)(n - 1) / 2.0,
			           x->s->max_pairs_per_block);
		}
		size_t take = j->npairs;
		if (x->npairs + take > (size_t)x->s->max_pairs) {
			take = (size_t)x->s->max_pairs - x->npairs;
			j->capped = 1;
		}
		if (j->capped && !x->pairs_capped) {
			if (!x->o->quiet)
				angka_warn("warning: %ld candidate pairs reached "
				           "(max_pairs); further pairs from rule "
				           "%s on are dropped", x->s->max_pairs,
				           dedup_rule_name(j->rule));
			x->pairs_capped = 1;
		}
		if (take)
			memcpy(x->pairs + x->npairs, j->pairs,
			       take * sizeof *j->pairs);
		x->npairs += take;
		x->st->pairs[j->rule] += take;
		/* After the cut the later passes still count their skipped
		 * blocks and warn, as one thread would. */
	}
	/* One entry per distinct pair, with the first rule that found it. */
	if (x->npairs)
		qsort(x->pairs, x->npairs, sizeof *x->pairs, pair_cmp);
	size_t k = 0;
	for (size_t i = 0; i < x->npairs; i++)
		if (!k || x->pairs[i].a != x->pairs[k - 1].a ||
		    x->pairs[i].b != x->pairs[k - 1].b)
			x->pairs[k++] = x->pairs[i];
	x->npairs = k;
	x->st->pairs_distinct = k;
out:
	for (int j = 0; j < BLOCK_NJOBS; j++) {
		free(jobs[j].pairs);
		free(jobs[j].warn_rows);
	}
	return rc;
}

/* ---- Output ---- */

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

/* A score in units of 0.0001 as "%.4f" would print it. */
static void write_score(struct angka_csv_writer *w, unsigned int units)
{
	char buf[16];
	int n = snprintf(buf, sizeof buf, "%u.%04u", units / 10000,
	                 units % 10000);
	angka_csv_writer_raw(w, buf, (size_t)n);
}

struct hh_job {
	struct dedup_ctx *x;
	enum angka_err rc;
	struct angka_error e;
	struct angka_csv_writer *hw, *hc;   /* written, not committed */
};

static void *hh_worker(void *arg)
{
	struct hh_job *j = arg;
	double t0 = dedup_now();
	j->rc = dedup_households(j->x, &j->hw, &j->hc, &j->e);
	if (j->x->o->verbose)
		fprintf(stderr, "%s: households thread %.2f s\n",
		        angka_progname(), dedup_now() - t0);
	return NULL;
}

static enum angka_err write_outputs(struct dedup_ctx *x,
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
	struct dedup_buf diff = { 0 };
	const unsigned priv = ANGKA_CSV_WRITER_PRIVATE;
	const int cf = x->col[COL_SRC_FILE], cln = x->col[COL_SRC_LINE];
	struct hh_job hj = { x, ANGKA_OK, { 0 }, NULL, NULL };
	pthread_t hh_tid;
	int hh_thread = 0;

	if ((rc = angka_csv_writer_open(&wu, x->o->out, priv, e)) != ANGKA_OK)
		goto cleanup;
	/* Households (their own sort and files) on a second thread while
	 * this one writes the unique rows: both only read the records. The
	 * sort gets the budget left now. */
	x->hh_sort_cap = dedup_sort_entries(x);
	hh_thread = x->s->threads > 1 &&
	            pthread_create(&hh_tid, NULL, hh_worker, &hj) == 0;
	if (!hh_thread)
		hh_worker(&hj);
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
		dedup_cluster_id(x, c, cid);
		if (c->surv == i) {
			const char *text;
			size_t len = dedup_row_text_seq(x, &x->win, i, &text, e);
			if (len == (size_t)-1) {
				rc = e->code;
				goto cleanup;
			}
			/* The spooled row is its CSV line already. */
			angka_csv_writer_raw(wu, text, len);
			angka_csv_writer_raw(wu, cid, 17);
			angka_csv_writer_long(wu, c->size);
			angka_csv_writer_end_row(wu);
			x->st->unique++;
			continue;
		}
		x->st->duplicates++;
		if (r->rule == DEDUP_RULE_EXACT_NIK)
			x->st->dup_exact++;
		if (!wd)
			continue;
		size_t alen = dedup_row_text(x, i, &abuf, &acap, e);
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
		static const char *const h[] = { "a_src_file", "a_src_line",
			"b_src_file", "b_src_line", "rule", "score",
			"fields_differ" };
		angka_csv_writer_row(wr, 7, h);
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
			angka_csv_writer_end_row(wr);
		}
	}
	rc = angka_check_balance(x->st->rows_in, x->st->unique, 0,
	                         x->st->duplicates, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (hh_thread) {
		pthread_join(hh_tid, NULL);
		hh_thread = 0;
	}
	dedup_pass_done(x, "households");
	if (hj.rc != ANGKA_OK) {
		*e = hj.e;
		rc = hj.rc;
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
cleanup:
	if (hh_thread)
		pthread_join(hh_tid, NULL);
	angka_csv_writer_abort(hj.hw);
	angka_csv_writer_abort(hj.hc);
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
	return rc;
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

/* ---- Driver ---- */

static void print_candidates(const struct dedup_ctx *x)
{
	const struct dedup_stats *st = x->st;
	fprintf(stderr, "%s: candidate pairs per blocking rule (before "
	        "scoring): exact_nik %llu groups", angka_progname(),
	        (unsigned long long)x->exact_groups);
	for (int r = DEDUP_RULE_NIK_NEAR; r < DEDUP_NRULES; r++) {
		fprintf(stderr, ", %s %llu", dedup_rule_name(r),
		        (unsigned long long)st->pairs[r]);
		if (st->blocks_skipped[r])
			fprintf(stderr, " (%llu oversized blocks skipped)",
			        (unsigned long long)st->blocks_skipped[r]);
	}
	fprintf(stderr, "; distinct pairs %llu\n",
	        (unsigned long long)st->pairs_distinct);
}

enum angka_err dedup_run(const struct dedup_opts *o,
                         const struct dedup_settings *s,
                         struct dedup_stats *st, struct angka_error *e)
{
	struct dedup_ctx x;
	memset(&x, 0, sizeof x);
	x.spool.mfd = x.spool.dfd = -1;
	long page = sysconf(_SC_PAGESIZE);
	x.page = page > 0 ? (uint64_t)page : 4096;
	memset(st, 0, sizeof *st);
	x.o = o;
	x.s = s;
	x.st = st;
	dedup_intern_init(&x.names);
	dedup_intern_init(&x.files);
	dedup_u64set_init(&x.kks);
	dedup_pass_done(&x, "");
	enum angka_err rc = dedup_read_input(&x, e);
	dedup_pass_done(&x, "read");
	if (rc != ANGKA_OK)
		goto cleanup;
	st->rows_in = x.n;
	dedup_note_bytes(&x, 0);
	if ((rc = blocking(&x, e)) != ANGKA_OK)
		goto cleanup;
	if (!o->quiet)
		print_candidates(&x);
	dedup_pass_done(&x, "blocking");
	dedup_scoring(&x);
	dedup_intern_release(&x.names);
	dedup_intern_init(&x.names);
	dedup_clusters(&x);
	dedup_pass_done(&x, "scoring");
	rc = write_outputs(&x, e);
	dedup_pass_done(&x, "commit");
cleanup:
	dedup_spool_close(&x.spool);
	for (size_t i = 0; x.header && i < x.nfields; i++)
		free(x.header[i]);
	free(x.header);
	free(x.rec);
	free(x.offbase);
	free(x.name0);
	dedup_u64set_release(&x.kks);
	dedup_unmap_window(&x.win);
	free(x.pairs);
	free(x.cl);
	free(x.in_name);
	dedup_intern_release(&x.names);
	dedup_intern_release(&x.files);
	return rc;
}
