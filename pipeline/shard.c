/*
 * shard.c - a big DTKS extract as many tasks ([engine] shards = N > 1):
 * when normalize:dtks and dedup:dtks run together, instead of their one
 * pipe (ingest | normalize --tee | dedup -) the tasks plan_shards()
 * (plan.c) made run, phase by phase: ingest into one file; normalize
 * --shard K/N of it (N tasks); dedup --recs-out of each part (N tasks);
 * dedup --shard K/N over all recs (N tasks); the merge, writing every
 * output of dedup:dtks. The normalized table and the quarantines are the
 * parts concatenated (angka-normalize's shards are made for it), so both
 * steps publish the bytes of shards = 1, with the same hashes and counts.
 *
 * Engines: local runs a phase's tasks on up to --jobs threads; GNU
 * parallel gets each phase as one batch; Slurm gets all phases at once,
 * a job (array) per phase chained by --dependency=afterok (engine.c
 * chains tasks by the files they read). The intermediate files (the raw
 * table, parts, recs, pair files: personal data, mode 0600) live in
 * SHARD_DIR of the run directory (0700) and are removed at the end.
 */
#include "driver_int.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A phase's tasks on threads of the driver (engine local). */
struct pool {
	struct env *v;
	struct step **t;
	size_t n, next;
	int failed;
	enum angka_err *rc;
	struct angka_error *e;
	pthread_mutex_t mu;
};

static void *pool_worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t i = p->failed ? p->n : p->next++;
		pthread_mutex_unlock(&p->mu);
		if (i >= p->n)
			break;
		log_hold();
		p->rc[i] = run_step(p->v, p->t[i], &p->e[i]);
		p->t[i]->ran = 1;
		log_release(p->v);
		if (p->rc[i] != ANGKA_OK) {
			pthread_mutex_lock(&p->mu);
			p->failed = 1;
			pthread_mutex_unlock(&p->mu);
		}
	}
	return NULL;
}

/* A task the engine never started after another failed: not the cause. */
static void not_started(struct step *t, enum angka_err *rc,
                        struct angka_error *e, int *cancelled)
{
	*rc = ANGKA_ERR(e, ANGKA_EDATA, "step '%s': not run: another task "
	                "of the sharded run failed", t->name);
	*cancelled = 1;
}

/* Run t[0..n-1] together on the engine of v: each one's result in rc[i],
 * e[i]; cancelled[i] 1 if it was stopped or not started because another
 * failed. */
static void run_tasks(struct env *v, struct step **t, size_t n,
                      enum angka_err *rc, struct angka_error *e,
                      int *cancelled)
{
	for (size_t i = 0; i < n; i++) {
		rc[i] = ANGKA_OK;
		cancelled[i] = 0;
	}
	if (v->eo.type == ENGINE_LOCAL) {
		struct pool p = { .v = v, .t = t, .n = n, .rc = rc, .e = e };
		pthread_mutex_init(&p.mu, NULL);
		size_t nth = v->jobs < 1 ? 1 : (size_t)v->jobs;
		if (nth > n)
			nth = n;
		pthread_t *tid = angka_xcalloc(nth, sizeof *tid);
		size_t started = 0;
		for (size_t k = 0; k < nth; k++)
			if (pthread_create(&tid[k], NULL, pool_worker, &p) == 0)
				started++;
			else
				break;
		if (!started)
			pool_worker(&p);   /* no thread: here, one at a time */
		for (size_t k = 0; k < started; k++)
			pthread_join(tid[k], NULL);
		free(tid);
		pthread_mutex_destroy(&p.mu);
		for (size_t i = 0; i < n; i++)
			if (!t[i]->ran)
				not_started(t[i], &rc[i], &e[i], &cancelled[i]);
		return;
	}
	struct proc_result *res = angka_xcalloc(n * MAXPIPE, sizeof *res);
	struct angka_error be = { 0 };
	int brc = 0;
	for (size_t i = 0; i < n && brc == 0; i++)
		if (step_prepare(v, t[i], &be) != ANGKA_OK)
			brc = -1;
	if (brc == 0)
		brc = engine_run_batch(v, t, n, res, cancelled, &be);
	/* The caller's thread holds its log lines (sched.c): these join
	 * them. */
	for (size_t i = 0; i < n; i++) {
		step_log_commands(v, t[i]);
		t[i]->ran = 1;
		if (brc < 0) {
			rc[i] = be.code;
			e[i] = be;
		} else if (cancelled[i]) {
			proc_results_release(&res[i * MAXPIPE], t[i]->ncmd);
			logf_(v, "%s: cancelled: another task of the run failed",
			      t[i]->name);
			rc[i] = ANGKA_ERR(&e[i], ANGKA_EDATA, "step '%s': cancelled "
			                  "after another task failed", t[i]->name);
		} else {
			rc[i] = step_finish(v, t[i], &res[i * MAXPIPE], &e[i]);
		}
	}
	free(res);
}

/* Concatenate the files src[0..n-1] into dst (a new file, 0600, via a
 * temp file and rename), hashing the bytes as they are copied: the hash
 * is remembered by dst's identity (hash.c), so that neither the step's
 * output hashes nor dedup:dtks's input hash read the file again. */
static enum angka_err concat(const char *dst, char *const *src, size_t n,
                             struct angka_error *e)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s.tmp", dst);
	unlink(tmp);
	int out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	               0600);
	if (out < 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write '%s':", tmp);
	enum angka_err rc = ANGKA_OK;
	size_t cap = 1 << 20;
	char *buf = angka_xmalloc(cap);
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	for (size_t i = 0; i < n && rc == ANGKA_OK; i++) {
		int in = open(src[i], O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (in < 0) {
			rc = ANGKA_ERR(e, ANGKA_EIO, "cannot read '%s':", src[i]);
			break;
		}
		for (;;) {
			ssize_t got = read(in, buf, cap);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				rc = ANGKA_ERR(e, ANGKA_EIO, "cannot read '%s':", src[i]);
				break;
			}
			if (got == 0)
				break;
			sha256_update(&ctx, (size_t)got, (const uint8_t *)buf);
			for (ssize_t off = 0; off < got && rc == ANGKA_OK;) {
				ssize_t w = write(out, buf + off, (size_t)(got - off));
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					rc = ANGKA_ERR(e, ANGKA_EIO, "cannot write '%s':",
					               tmp);
				else
					off += w;
			}
			if (rc != ANGKA_OK)
				break;
		}
		close(in);
	}
	free(buf);
	if (close(out) != 0 && rc == ANGKA_OK)
		rc = ANGKA_ERR(e, ANGKA_EIO, "cannot write '%s':", tmp);
	if (rc == ANGKA_OK && rename(tmp, dst) != 0)
		rc = ANGKA_ERR(e, ANGKA_EIO, "cannot rename '%s':", tmp);
	if (rc != ANGKA_OK) {
		unlink(tmp);
		return rc;
	}
	/* Its identity once renamed (a rename changes the ctime). */
	struct stat sb;
	if (stat(dst, &sb) == 0) {
		uint8_t d[SHA256_DIGEST_SIZE];
		char h[65];
		struct file_id id;
		sha256_digest(&ctx, sizeof d, d);
		angka_hex(d, sizeof d, h);
		file_id_of(&sb, &id);
		hash_remember(&id, h);
	}
	return rc;
}

/* The tasks' output path of phase ph whose name starts with prefix, in
 * task order, into l. */
static void outputs_of(const struct plan *q, int ph, const char *prefix,
                       struct strlist *l)
{
	size_t n = strlen(prefix);
	for (size_t i = 0; i < q->n; i++)
		for (size_t o = 0; q->s[i].phase == ph && o < q->s[i].outputs.n; o++)
			if (!strncmp(q->s[i].outputs.v[o], prefix, n))
				sl_add(l, q->s[i].outputs.v[o]);
}

static void log_counts(struct env *v, const struct step *st, size_t c)
{
	const struct counts *k = &st->counts[c];
	logf_(v, "%s: %s rows in %lld, out %lld, quarantined %lld, "
	      "duplicates %lld", st->name,
	      driver_stages[st->first_stage + (int)c].name, k->in, k->out,
	      k->quarantined, k->duplicates);
}

/*
 * normalize:dtks's outputs (the table, the ingest and the normalize
 * quarantine, plan_prep()'s order) from the tasks of phases 0 and 1,
 * concatenated. With the local and parallel engines this runs on a
 * thread of its own from the end of phase 1 (shard_concat_start), while
 * the dedup tasks read the parts: it is off the sharded run's critical
 * path (2.7 GB copied and hashed for 10M rows), as normalize's writing of
 * the table is in the pipe of shards = 1.
 */
struct shard_concat {
	struct step *a;
	const struct plan *q;
	int started;
	pthread_t tid;
	double seconds;          /* the concatenation's wall time */
	enum angka_err rc;
	struct angka_error e;
};

static enum angka_err concat_outputs(struct shard_concat *c)
{
	struct strlist src[3] = { { 0 }, { 0 }, { 0 } };
	outputs_of(c->q, 1, SHARD_DIR "/part.", &src[0]);
	outputs_of(c->q, 0, SHARD_DIR "/quarantine.", &src[1]);
	outputs_of(c->q, 1, SHARD_DIR "/quarantine.", &src[2]);
	enum angka_err rc = ANGKA_OK;
	for (size_t k = 0; k < 3 && rc == ANGKA_OK; k++)
		rc = concat(c->a->outputs.v[k], src[k].v, src[k].n, &c->e);
	for (size_t k = 0; k < 3; k++)
		sl_free(&src[k]);
	return rc;
}

static void *concat_main(void *arg)
{
	struct shard_concat *c = arg;
	double t0 = mono();
	c->rc = concat_outputs(c);
	c->seconds = mono() - t0;
	return NULL;
}

/* Phase 1 done: the concatenation on its thread (else, if no thread can
 * start, in shard_concat_wait). */
static void shard_concat_start(struct shard_concat *c)
{
	c->started = pthread_create(&c->tid, NULL, concat_main, c) == 0;
}

/* The concatenation's result (done here if no thread started). A failed
 * dedup task does not stop it: normalize:dtks still succeeds, and the
 * failure reported is the task's, as with the pipe. */
static enum angka_err shard_concat_wait(struct shard_concat *c)
{
	if (c->started)
		pthread_join(c->tid, NULL);
	else
		concat_main(c);
	c->started = 0;
	return c->rc;
}

/* normalize:dtks from its tasks (phases 0 and 1 done) and c, its outputs
 * concatenated: its counts those of one ingest and of all normalize
 * shards, checked and hashed. */
static enum angka_err finish_normalize(struct env *v, struct step *a,
                                       const struct plan *q,
                                       struct shard_concat *c,
                                       struct angka_error *e)
{
	enum angka_err rc = shard_concat_wait(c);
	if (rc != ANGKA_OK) {
		*e = c->e;
		return rc;
	}
	logf_(v, "%s: outputs concatenated in %.1f s", a->name, c->seconds);
	struct counts *in = &a->counts[0], *nz = &a->counts[1];
	memset(a->counts, 0, sizeof a->counts);
	*in = q->s[0].counts[0];
	nz->have = 1;
	for (size_t i = 0; i < q->n; i++) {
		const struct counts *k = &q->s[i].counts[0];
		if (q->s[i].phase != 1)
			continue;
		nz->have &= k->have;
		nz->in += k->in;
		nz->out += k->out;
		nz->quarantined += k->quarantined;
		nz->duplicates += k->duplicates;
	}
	if (!in->have || !nz->have)
		return ANGKA_ERR(e, ANGKA_EBALANCE, "step '%s': a task printed "
		                 "no row counts", a->name);
	if (nz->in != in->out)
		return ANGKA_ERR(e, ANGKA_EBALANCE, "step '%s': normalize read "
		                 "%lld rows but ingest wrote %lld", a->name, nz->in,
		                 in->out);
	log_counts(v, a, 0);
	log_counts(v, a, 1);
	return step_check_outputs(a, e);
}

/* dedup:dtks from the merge (its outputs are the step's). */
static enum angka_err finish_dedup(struct env *v, struct step *b,
                                   const struct step *a,
                                   const struct step *merge,
                                   struct angka_error *e)
{
	b->counts[0] = merge->counts[0];
	const struct counts *k = &b->counts[0];
	if (k->in != a->counts[1].out)
		return ANGKA_ERR(e, ANGKA_EBALANCE, "step '%s': %s read %lld rows "
		                 "but step '%s' wrote %lld", b->name,
		                 driver_stages[b->first_stage].name, k->in, a->name,
		                 a->counts[1].out);
	log_counts(v, b, 0);
	return step_check_outputs(b, e);
}

/* Phase 1 done: the ingested table (phase 0's output, read by phase 1
 * only) removed at once rather than with SHARD_DIR at the end. At 10M
 * rows it is 2 GB of dirty pages that the kernel would otherwise write
 * back to disk during phases 2-4, beside the parts, the concatenation
 * and the recs (the engines that run phases one after another only). */
static void drop_ingested(const struct plan *q)
{
	static const char qpre[] = SHARD_DIR "/quarantine.";
	for (size_t i = 0; i < q->n; i++)
		for (size_t o = 0; q->s[i].phase == 0 && o < q->s[i].outputs.n; o++)
			if (strncmp(q->s[i].outputs.v[o], qpre, sizeof qpre - 1))
				unlink(q->s[i].outputs.v[o]);
}

/* Run the tasks of q phase by phase (Slurm: all at once), into a fresh
 * SHARD_DIR (created here: -1 with e set if it cannot be), each one's
 * result into trc[i], te[i]; with c, its concatenation started once
 * phase 1 succeeded. The first task that failed by itself (a cancelled
 * one only if none did), or q->n if none failed. */
static long run_phases(struct env *v, const char *name, struct plan *q,
                       enum angka_err *trc, struct angka_error *te,
                       struct shard_concat *c, struct angka_error *e)
{
	rm_rf_at(AT_FDCWD, SHARD_DIR);
	if (mkdir(SHARD_DIR, 0700) != 0) {
		ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s/%s':", v->tmp, SHARD_DIR);
		return -1;
	}
	long shards = 0;
	for (size_t i = 0; i < q->n; i++)
		shards += q->s[i].phase == 3;
	logf_(v, "%s: sharded: %ld dedup shards, %zu tasks on engine %s", name,
	      shards, q->n, engine_name(v->eo.type));
	int *canc = angka_xcalloc(q->n, sizeof *canc);
	struct step **t = angka_xcalloc(q->n, sizeof *t);
	for (size_t i = 0; i < q->n; i++) {
		q->s[i].ran = 0;
		sl_free(&q->s[i].warnings);
		memset(q->s[i].counts, 0, sizeof q->s[i].counts);
	}
	size_t bad = q->n;
	int all = v->eo.type == ENGINE_SLURM;
	for (int ph = 0; ph <= 4 && bad == q->n; ph++) {
		size_t first = q->n, m = 0;
		for (size_t i = 0; i < q->n; i++)
			if (all || q->s[i].phase == ph) {
				if (first == q->n)
					first = i;
				t[m++] = &q->s[i];
			}
		if (!m)
			continue;
		double t0 = mono();
		run_tasks(v, t, m, &trc[first], &te[first], &canc[first]);
		logf_(v, "%s: sharded: phase %d (%zu task%s) done in %.1f s", name,
		      ph, m, m > 1 ? "s" : "", mono() - t0);
		for (size_t i = first; i < first + m && bad == q->n; i++)
			if (trc[i] != ANGKA_OK && !canc[i])
				bad = i;
		for (size_t i = first; i < first + m && bad == q->n; i++)
			if (trc[i] != ANGKA_OK)
				bad = i;
		if (all)
			break;
		if (ph == 1 && bad == q->n)
			drop_ingested(q);
		if (ph == 1 && c && bad == q->n)
			shard_concat_start(c);
	}
	free(canc);
	free(t);
	return (long)bad;
}

void shard_run(struct env *v, struct step *a, enum angka_err rc[2],
               struct angka_error e[2], int *b_first)
{
	struct step *b = a->piped;
	struct plan *q = a->shard;
	*b_first = 0;
	rc[0] = rc[1] = ANGKA_OK;
	enum angka_err *trc = angka_xcalloc(q->n, sizeof *trc);
	struct angka_error *te = angka_xcalloc(q->n, sizeof *te);
	struct shard_concat *c = angka_xcalloc(1, sizeof *c);
	c->a = a;
	c->q = q;
	long r = run_phases(v, a->name, q, trc, te, c, &e[0]);
	/* (The concatenation starts only after phase 1 succeeded, and
	 * finish_normalize() waits for it before SHARD_DIR is removed.) */
	if (r < 0) {
		free(c);
		rc[0] = e[0].code;
		rc[1] = rc[0];
		e[1] = e[0];
		free(trc);
		free(te);
		return;
	}
	size_t bad = (size_t)r;
	/* Warnings to the step whose work the task did. */
	for (size_t i = 0; i < q->n; i++)
		for (size_t k = 0; k < q->s[i].warnings.n; k++)
			sl_add(q->s[i].phase < 2 ? &a->warnings : &b->warnings,
			       q->s[i].warnings.v[k]);
	if (bad < q->n && q->s[bad].phase < 2) {
		rc[0] = trc[bad];
		e[0] = te[bad];
		a->status = q->s[bad].status;
	} else {
		rc[0] = finish_normalize(v, a, q, c, &e[0]);
	}
	free(c);
	if (rc[0] != ANGKA_OK) {
		rc[1] = ANGKA_ERR(&e[1], ANGKA_EDATA, "step '%s': its input, "
		                  "step '%s', failed", b->name, a->name);
	} else if (bad < q->n) {
		rc[1] = trc[bad];
		e[1] = te[bad];
		b->status = q->s[bad].status;
		*b_first = 1;
	} else {
		rc[1] = finish_dedup(v, b, a, &q->s[q->n - 1], &e[1]);
	}
	if (rm_rf_at(AT_FDCWD, SHARD_DIR) != 0 && rc[1] == ANGKA_OK)
		rc[1] = ANGKA_ERR(&e[1], ANGKA_EIO, "cannot remove '%s/%s':",
		                  v->tmp, SHARD_DIR);
	free(trc);
	free(te);
}

enum angka_err shard_run_alone(struct env *v, struct step *b,
                               struct angka_error *e)
{
	struct plan *q = b->shard;
	enum angka_err rc = step_prepare(v, b, e);
	if (rc != ANGKA_OK)
		return rc;
	enum angka_err *trc = angka_xcalloc(q->n, sizeof *trc);
	struct angka_error *te = angka_xcalloc(q->n, sizeof *te);
	long r = run_phases(v, b->name, q, trc, te, NULL, e);
	if (r < 0) {
		rc = e->code;
	} else {
		for (size_t i = 0; i < q->n; i++)
			for (size_t k = 0; k < q->s[i].warnings.n; k++)
				sl_add(&b->warnings, q->s[i].warnings.v[k]);
		if ((size_t)r < q->n) {
			rc = trc[r];
			*e = te[r];
			b->status = q->s[r].status;
		} else {
			b->counts[0] = q->s[q->n - 1].counts[0];
			log_counts(v, b, 0);
			rc = step_check_outputs(b, e);
		}
	}
	if (rm_rf_at(AT_FDCWD, SHARD_DIR) != 0 && rc == ANGKA_OK)
		rc = ANGKA_ERR(e, ANGKA_EIO, "cannot remove '%s/%s':", v->tmp,
		               SHARD_DIR);
	free(trc);
	free(te);
	return rc;
}
