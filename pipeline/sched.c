/*
 * sched.c - the order steps run in: a step starts once every step that
 * produces one of its inputs is done (the plan lists producers first), up
 * to v->jobs steps at a time on threads of the driver (engine local), or
 * handed in batches to GNU parallel or Slurm (engine.c). Whether a step
 * reruns or is reused is decided, as in a serial run, when its inputs
 * exist, so every engine and every --jobs publishes the same bytes.
 *
 * Threads: the scheduler (the caller's thread) alone hashes steps, decides
 * and starts them; a worker runs one step (or one engine batch) and marks
 * it done under mu. Each worker holds its log lines (log.c) and appends
 * them to run.log when its step ends.
 */
#include "driver_int.h"
#include "proc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { WAITING, RUNNING, DONE };

struct sched {
	struct env *v;
	struct plan *p;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int *state;
	size_t **dep;             /* producers of each step */
	size_t *ndep;
	size_t running;           /* workers not yet done */
	int failed;
	enum angka_err rc;
	struct angka_error e;     /* the failure reported (step_done) */
	size_t fidx;              /* its step, or p->n (not a step's) */
	int frank;                /* its rank (step_done) */
};

/* One worker: one step, or an engine batch of several. */
struct work {
	struct sched *s;
	size_t *idx;
	size_t n;
	int batch;
	pthread_t tid;
	struct work *next;
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1 if the run-relative input in is output out or inside it. */
static int produces(const char *out, const char *in)
{
	size_t n = strlen(out);
	return strncmp(out, in, n) == 0 && (in[n] == '\0' || in[n] == '/');
}

int step_reads(const struct step *b, const struct step *a)
{
	for (size_t k = 0; k < b->inputs.n; k++)
		for (size_t o = 0; o < a->outputs.n; o++)
			if (b->inputs.v[k][0] != '/' &&
			    produces(a->outputs.v[o], b->inputs.v[k]))
				return 1;
	return 0;
}

static void find_deps(struct sched *s)
{
	struct plan *p = s->p;
	s->dep = angka_xcalloc(p->n, sizeof *s->dep);
	s->ndep = angka_xcalloc(p->n, sizeof *s->ndep);
	for (size_t j = 0; j < p->n; j++) {
		const struct step *b = &p->s[j];
		for (size_t i = 0; i < j; i++) {
			if (step_reads(b, &p->s[i])) {
				s->dep[j] = angka_xrealloc(s->dep[j], (s->ndep[j] + 1) *
				                           sizeof **s->dep);
				s->dep[j][s->ndep[j]++] = i;
			}
		}
	}
}

/* 1 if step i can take the step reading its output into its pipe: that
 * step waits only for i (under mu). */
static int pipe_ready(struct sched *s, size_t i)
{
	size_t j = s->p->s[i].pipe_to;
	if (j >= s->p->n || s->state[j] != WAITING || s->p->s[j].ncmd != 1 ||
	    !s->p->s[j].pipe_argv.n)
		return 0;
	for (size_t d = 0; d < s->ndep[j]; d++)
		if (s->dep[j][d] != i && s->state[s->dep[j][d]] != DONE)
			return 0;
	return 1;
}

/* Record the end of step i (under mu). Of the failures of steps that ran,
 * the one reported is the failure of the lowest rank (0 a command's own,
 * 1 a step failed by its pipe partner's failure, 2 cancelled by the
 * engine), of these the first step in plan order: not the first in time,
 * so steps failing together on several workers are reported the same
 * whatever order they end in. A failure not of a step (the stop signal)
 * stays reported. */
static void step_done(struct sched *s, size_t i, enum angka_err rc,
                      const struct angka_error *e, int rank)
{
	s->state[i] = DONE;
	if (rc == ANGKA_OK)
		return;
	if (!s->failed || (s->fidx < s->p->n &&
	                   (rank < s->frank || (rank == s->frank && i < s->fidx)))) {
		s->failed = 1;
		s->rc = rc;
		s->e = *e;
		s->fidx = i;
		s->frank = rank;
	}
}

static void say_done(struct env *v, struct step *st)
{
	say(v, "%-36s done in %.1f s", st->name, st->seconds);
}

static void *run_one(struct sched *s, size_t i)
{
	struct env *v = s->v;
	struct step *st = &s->p->s[i];
	struct angka_error e = { 0 };
	log_hold();
	double t0 = mono();
	/* dedup:dtks alone, sharded: its tasks (shard.c). */
	enum angka_err rc = st->shard && !st->pipe_to ?
	                    shard_run_alone(v, st, &e) : run_step(v, st, &e);
	st->seconds = mono() - t0;
	st->ran = 1;
	if (rc == ANGKA_OK)
		say_done(v, st);
	log_release(v);
	pthread_mutex_lock(&s->mu);
	step_done(s, i, rc, &e, 0);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* The identity of the external inputs of a deferred step (its run-relative
 * ones do not exist yet) before its job is submitted: step_finish() checks
 * them after the job as for any step. */
static void external_ids(struct step *st)
{
	if (!st->in_id)
		st->in_id = angka_xcalloc(st->inputs.n ? st->inputs.n : 1,
		                          sizeof *st->in_id);
	for (size_t i = 0; i < st->inputs.n; i++) {
		struct stat sb;
		if (st->inputs.v[i][0] == '/' && stat(st->inputs.v[i], &sb) == 0)
			file_id_of(&sb, &st->in_id[i].id);
	}
}

/* A deferred step's hash, once its job ended (its inputs exist now); an
 * external input must still be the file it was at submission. */
static enum angka_err deferred_hash(struct env *v, struct step *st,
                                    struct angka_error *e)
{
	size_t n = st->inputs.n;
	struct input_id *before = angka_xcalloc(n ? n : 1, sizeof *before);
	memcpy(before, st->in_id, n * sizeof *before);
	char missing[PATH_MAX] = "";
	enum angka_err rc = ANGKA_OK;
	if (step_hash(st, v->config_abs, ".", missing, sizeof missing) != 0)
		rc = ANGKA_ERR(e, ANGKA_EINTERNAL, "step '%s': input '%s' was "
		               "not produced:", st->name, missing);
	for (size_t i = 0; i < n && rc == ANGKA_OK; i++)
		if (st->inputs.v[i][0] == '/' &&
		    !file_id_same(&before[i].id, &st->in_id[i].id))
			rc = ANGKA_ERR(e, ANGKA_EDATA, "step '%s': input '%s' "
			               "changed while the step ran; run again once "
			               "it is complete", st->name, st->inputs.v[i]);
	free(before);
	return rc;
}

/* Tasks of a batch lost together (their engine died: a command without an
 * exit status, not cancelled): which of them did not finish depends on
 * when the engine died, and the first in plan order is the one reported.
 * Its message names the others, so the report says what was lost. */
static void lost_note(struct step **sts, size_t m, const size_t *map,
                      const struct proc_result *res, const int *cancelled,
                      const enum angka_err *rcs, struct angka_error *es,
                      int brc)
{
	size_t nlost = 0, first = m;
	int *lost = angka_xcalloc(m ? m : 1, sizeof *lost);
	for (size_t j = 0; j < m && brc >= 0; j++) {
		size_t ncmd = sts[j]->ncmd + (sts[j]->piped != NULL);
		for (size_t c = 0; c < ncmd && !cancelled[j]; c++)
			lost[j] |= res[j * MAXPIPE + c].unfinished;
		if (lost[j] && rcs[map[j]] != ANGKA_OK) {
			nlost++;
			if (first == m)
				first = j;
		} else {
			lost[j] = 0;
		}
	}
	if (nlost > 1) {
		struct angka_error *e = &es[map[first]];
		size_t len = strlen(e->msg);
		len += (size_t)snprintf(e->msg + len, sizeof e->msg - len,
		                        "; %zu other task%s did not finish "
		                        "either:", nlost - 1, nlost > 2 ? "s" : "");
		const char *sep = " ";
		for (size_t j = first + 1; j < m && len < sizeof e->msg; j++)
			if (lost[j]) {
				len += (size_t)snprintf(e->msg + len,
				                        sizeof e->msg - len, "%s'%s'",
				                        sep, sts[j]->name);
				sep = ", ";
			}
	}
	free(lost);
}

/* An engine batch: every step prepared here, the commands run by the
 * engine together, then each step's results checked as run_step() does.
 * A step piped from another (piped_from) has no task of its own: it runs
 * in its producer's, which is in the same batch. */
static void run_batch(struct sched *s, struct work *w)
{
	struct env *v = s->v;
	struct step **sts = angka_xcalloc(w->n, sizeof *sts);
	struct proc_result *res = angka_xcalloc(w->n * MAXPIPE, sizeof *res);
	enum angka_err *rcs = angka_xcalloc(w->n, sizeof *rcs);
	struct angka_error *es = angka_xcalloc(w->n, sizeof *es);
	/* The order failures are recorded in: 0 first, 1 a step failed by
	 * its pipe partner's failure, 2 cancelled by the engine. */
	int *late = angka_xcalloc(w->n, sizeof *late);
	size_t m = 0;
	size_t *map = angka_xcalloc(w->n, sizeof *map);
	double t0 = mono();
	for (size_t k = 0; k < w->n; k++) {
		struct step *st = &s->p->s[w->idx[k]];
		rcs[k] = step_prepare(v, st, &es[k]);
		if (rcs[k] == ANGKA_OK) {
			if (st->deferred || st->piped_from)
				external_ids(st);
			if (st->piped_from)
				continue;
			map[m] = k;
			sts[m++] = st;
		}
	}
	/* A piped step whose producer could not be prepared has no task. */
	for (size_t k = 0; k < w->n; k++) {
		struct step *st = &s->p->s[w->idx[k]];
		int has_task = 0;
		for (size_t j = 0; j < m && st->piped_from; j++)
			has_task |= sts[j]->piped == st;
		if (st->piped_from && rcs[k] == ANGKA_OK && !has_task) {
			rcs[k] = ANGKA_ERR(&es[k], ANGKA_EDATA, "step '%s': not "
			                   "run: the step it reads from in one pipe "
			                   "could not start", st->name);
			late[k] = 1;
		}
	}
	struct angka_error be = { 0 };
	int *cancelled = angka_xcalloc(w->n, sizeof *cancelled);
	int brc = m ? engine_run_batch(v, sts, m, res, cancelled, &be) : 0;
	double secs = mono() - t0;
	for (size_t j = 0; j < m; j++) {
		size_t k = map[j], kb = w->n;
		struct step *st = sts[j], *b = st->piped;
		for (size_t q = 0; b && q < w->n; q++)
			if (&s->p->s[w->idx[q]] == b)
				kb = q;
		log_hold();
		step_log_commands(v, st);
		st->ran = 1;
		st->seconds = secs;
		if (b) {
			b->ran = 1;
			b->seconds = secs;
		}
		if (brc < 0) {
			rcs[k] = be.code;
			es[k] = be;
			if (kb < w->n && rcs[kb] == ANGKA_OK) {
				rcs[kb] = be.code;
				es[kb] = be;
				late[kb] = 1;
			}
		} else if (cancelled[j]) {
			proc_results_release(&res[j * MAXPIPE], st->ncmd + (b != NULL));
			logf_(v, "%s: cancelled: another task of the run failed",
			      st->name);
			rcs[k] = ANGKA_ERR(&es[k], ANGKA_EDATA, "step '%s': "
			                   "cancelled after another task failed",
			                   st->name);
			late[k] = 2;
			if (kb < w->n && rcs[kb] == ANGKA_OK) {
				rcs[kb] = ANGKA_ERR(&es[kb], ANGKA_EDATA, "step '%s': "
				                    "cancelled after another task "
				                    "failed", b->name);
				late[kb] = 2;
			}
		} else if (b) {
			enum angka_err rc2[2];
			struct angka_error e2[2] = { { 0 }, { 0 } };
			int b_first = 0;
			step_finish_piped(v, st, &res[j * MAXPIPE], rc2, e2, &b_first);
			if (rc2[1] == ANGKA_OK)
				rc2[1] = deferred_hash(v, b, &e2[1]);
			rcs[k] = rc2[0];
			es[k] = e2[0];
			late[k] = b_first;
			if (kb < w->n && rcs[kb] == ANGKA_OK) {
				rcs[kb] = rc2[1];
				es[kb] = e2[1];
				late[kb] = !b_first;
			}
			if (rcs[k] == ANGKA_OK)
				say_done(v, st);
			if (kb < w->n && rcs[kb] == ANGKA_OK)
				say_done(v, b);
		} else {
			rcs[k] = step_finish(v, st, &res[j * MAXPIPE], &es[k]);
			if (rcs[k] == ANGKA_OK && st->deferred)
				rcs[k] = deferred_hash(v, st, &es[k]);
			st->seconds = secs;
			if (rcs[k] == ANGKA_OK)
				say_done(v, st);
		}
		log_release(v);
	}
	lost_note(sts, m, map, res, cancelled, rcs, es, brc);
	/* The steps failed by another's failure last: the failure reported
	 * is the task's (the command's) that failed. */
	pthread_mutex_lock(&s->mu);
	for (int pass = 0; pass < 3; pass++)
		for (size_t k = 0; k < w->n; k++)
			if (late[k] == pass)
				step_done(s, w->idx[k], rcs[k], &es[k], pass);
	pthread_mutex_unlock(&s->mu);
	free(cancelled);
	free(late);
	free(sts);
	free(res);
	free(rcs);
	free(es);
	free(map);
}

/* Steps i and j (p->s[i].piped) as one pipe (run_piped). */
static void run_pair(struct sched *s, size_t i, size_t j)
{
	struct env *v = s->v;
	struct step *a = &s->p->s[i], *b = &s->p->s[j];
	enum angka_err rc[2];
	struct angka_error e[2] = { { 0 }, { 0 } };
	int b_first = 0;
	log_hold();
	double t0 = mono();
	rc[0] = step_prepare(v, a, &e[0]);
	rc[1] = rc[0] == ANGKA_OK ? step_prepare(v, b, &e[1]) : rc[0];
	if (rc[0] != ANGKA_OK || rc[1] != ANGKA_OK) {
		/* Nothing ran: the first error for both. */
		if (rc[0] == ANGKA_OK) {
			rc[0] = rc[1];
			e[0] = e[1];
		}
		rc[1] = rc[0];
		e[1] = e[0];
	} else {
		external_ids(b);
		if (a->shard)
			shard_run(v, a, rc, e, &b_first);
		else
			run_piped(v, a, rc, e, &b_first);
		if (rc[1] == ANGKA_OK)
			rc[1] = deferred_hash(v, b, &e[1]);
	}
	a->seconds = b->seconds = mono() - t0;
	a->ran = b->ran = 1;
	if (rc[0] == ANGKA_OK)
		say_done(v, a);
	if (rc[1] == ANGKA_OK)
		say_done(v, b);
	log_release(v);
	pthread_mutex_lock(&s->mu);
	step_done(s, b_first ? j : i, rc[b_first], &e[b_first], 0);
	step_done(s, b_first ? i : j, rc[!b_first], &e[!b_first], 1);
	pthread_mutex_unlock(&s->mu);
}

static void *worker(void *arg)
{
	struct work *w = arg;
	struct sched *s = w->s;
	if (w->batch)
		run_batch(s, w);
	else if (w->n == 2)
		run_pair(s, w->idx[0], w->idx[1]);
	else
		run_one(s, w->idx[0]);
	pthread_mutex_lock(&s->mu);
	s->running--;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static struct work *start(struct sched *s, struct work *list, size_t *idx,
                          size_t n, int batch)
{
	struct work *w = angka_xcalloc(1, sizeof *w);
	w->s = s;
	w->idx = angka_xcalloc(n, sizeof *idx);
	memcpy(w->idx, idx, n * sizeof *idx);
	w->n = n;
	w->batch = batch;
	w->next = list;
	for (size_t k = 0; k < n; k++)
		s->state[idx[k]] = RUNNING;
	s->running++;
	if (pthread_create(&w->tid, NULL, worker, w) != 0) {
		/* No thread: run it here (still correct, only slower). */
		pthread_mutex_unlock(&s->mu);
		worker(w);
		pthread_mutex_lock(&s->mu);
		w->tid = pthread_self();
		w->batch = -1;     /* nothing to join */
	}
	return w;
}

/*
 * Slurm, submitting the plan at once: to the batch of the steps that run
 * now (batch[0..nb-1], marked RUNNING) add every waiting child-pipeline
 * step whose producers are done or in the batch. Its inputs do not exist
 * yet, so it is not hashed and it runs (a step downstream of a rerun is
 * not reused even when its inputs come out the same bytes); its job waits
 * for its producers' with --dependency=afterok (engine.c). The batch in
 * plan order; its new size.
 */
static size_t defer(struct sched *s, size_t *batch, size_t nb)
{
	struct plan *p = s->p;
	for (size_t i = 0; i < p->n; i++) {
		struct step *st = &p->s[i];
		if (s->state[i] != WAITING || st->ncmd == 0 || st->collect_from ||
		    st->export_step || s->ndep[i] == 0)
			continue;
		int ok = 1, chained = 0;
		for (size_t d = 0; d < s->ndep[i] && ok; d++) {
			size_t j = s->dep[i][d];
			int inb = 0;
			for (size_t k = 0; k < nb && !inb; k++)
				inb = batch[k] == j;
			chained |= inb;
			ok = inb || s->state[j] == DONE;
		}
		if (!ok || !chained)
			continue;
		st->deferred = 1;
		snprintf(st->reason, sizeof st->reason, "an upstream step runs: "
		         "submitted with --dependency=afterok");
		logf_(s->v, "%s: runs (%s)", st->name, st->reason);
		s->state[i] = RUNNING;
		batch[nb++] = i;
	}
	/* Plan order (the ready steps came first). */
	for (size_t k = 1; k < nb; k++)
		for (size_t j = k; j > 0 && batch[j - 1] > batch[j]; j--) {
			size_t t = batch[j];
			batch[j] = batch[j - 1];
			batch[j - 1] = t;
		}
	return nb;
}

enum angka_err sched_run(struct env *v, struct plan *p, struct prev_state *ps,
                         struct angka_error *e)
{
	struct sched s = { .v = v, .p = p, .fidx = p->n };
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	s.state = angka_xcalloc(p->n ? p->n : 1, sizeof *s.state);
	find_deps(&s);
	size_t *batch = angka_xcalloc(p->n ? p->n : 1, sizeof *batch);
	struct work *works = NULL;
	int engine = v->eo.type != ENGINE_LOCAL;
	long slots = v->jobs < 1 ? 1 : v->jobs;
	enum angka_err rc = ANGKA_OK;
	pthread_mutex_lock(&s.mu);
	for (;;) {
		if (!s.failed && proc_stop_signal) {
			s.failed = 1;
			s.rc = ANGKA_EIO;
			snprintf(s.e.msg, sizeof s.e.msg, "stopped");
			s.e.code = ANGKA_EIO;
		}
		size_t nb = 0, waiting = 0;
		int progress = 0;
		for (size_t i = 0; i < p->n && !s.failed; i++) {
			if (s.state[i] != WAITING)
				continue;
			waiting++;
			int ready = 1, upstream = 0;
			for (size_t d = 0; d < s.ndep[i] && ready; d++) {
				ready = s.state[s.dep[i][d]] == DONE;
				upstream |= p->s[s.dep[i][d]].ran;
			}
			if (!ready)
				continue;
			if (!engine && (long)s.running >= slots)
				break;
			struct step *st = &p->s[i];
			/* Hashing and reuse copy files: not under mu. */
			pthread_mutex_unlock(&s.mu);
			char missing[PATH_MAX] = "";
			struct angka_error ie = { 0 };
			enum angka_err irc = ANGKA_OK;
			int r = 0;
			if (step_hash(st, v->config_abs, ".", missing,
			              sizeof missing) != 0) {
				irc = ANGKA_ERR(&ie, ANGKA_EINTERNAL,
				                "step '%s': input '%s' was not produced:",
				                st->name, missing);
			} else {
				r = needs_run(v, st, ps, upstream);
				if (!r) {
					r = reuse_outputs(v, st, &ie);
					if (r < 0)
						irc = ie.code;
				}
			}
			pthread_mutex_lock(&s.mu);
			progress = 1;
			waiting--;
			if (irc != ANGKA_OK) {
				step_done(&s, i, irc, &ie, 0);
				break;
			}
			if (!r) {
				st->skipped = 1;
				prev_counts(ps, st);
				logf_(v, "%s: reused (%s)", st->name, st->reason);
				say(v, "%-36s reused (unchanged)", st->name);
				s.state[i] = DONE;
				continue;
			}
			logf_(v, "%s: runs (%s)", st->name, st->reason);
			/* The step reading this one's output joins its pipe
			 * (plan.c: pipe_to) when nothing else holds it back. */
			size_t pair[2] = { i, 0 }, np = 1;
			if (st->pipe_to && pipe_ready(&s, i)) {
				struct step *b = &p->s[st->pipe_to];
				st->piped = b;
				b->piped_from = 1;
				if (st->shard)
					snprintf(b->reason, sizeof b->reason, "runs "
					         "with step '%s' as its shards' "
					         "tasks, merged", st->name);
				else
					snprintf(b->reason, sizeof b->reason, "runs "
					         "in one pipe with step '%s', reading "
					         "its output", st->name);
				logf_(v, "%s: runs (%s)", b->name, b->reason);
				s.state[st->pipe_to] = RUNNING;
				pair[np++] = st->pipe_to;
			}
			/* Engines take the child pipelines of every step ready
			 * now in one batch; driver-internal steps run here, and
			 * a sharded pair or dedup:dtks alone, sharded, whose
			 * worker hands its tasks to the engine phase by phase
			 * (shard.c). */
			if (engine && st->ncmd > 0 && !st->collect_from &&
			    !st->export_step && !(st->shard && st->piped) &&
			    !(st->shard && !st->pipe_to)) {
				s.state[i] = RUNNING;
				for (size_t k = 0; k < np; k++)
					batch[nb++] = pair[k];
			} else {
				works = start(&s, works, pair, np, 0);
			}
		}
		if (nb && v->eo.type == ENGINE_SLURM &&
		    v->eo.submit == SUBMIT_PLAN && !s.failed)
			nb = defer(&s, batch, nb);
		if (nb) {
			for (size_t k = 0; k < nb; k++)
				s.state[batch[k]] = WAITING;
			works = start(&s, works, batch, nb, 1);
			progress = 1;
		}
		if (progress)
			continue;
		if (s.running == 0) {
			if (!s.failed && waiting) {
				/* Nothing runs and nothing can start: a step
				 * waits on one that failed or never ran. */
				s.failed = 1;
				s.rc = ANGKA_ERR(&s.e, ANGKA_EINTERNAL, "%zu steps "
				                 "cannot start", waiting);
			}
			break;
		}
		/* Wake at least every 250 ms to see a stop signal. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		int w = pthread_cond_timedwait(&s.cv, &s.mu, &ts);
		if (w != 0 && w != ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&s.mu);
	while (works) {
		struct work *n = works->next;
		if (works->batch >= 0)
			pthread_join(works->tid, NULL);
		free(works->idx);
		free(works);
		works = n;
	}
	if (s.failed) {
		rc = s.rc;
		*e = s.e;
		/* The driver exits 128+N for the reported step's signal N
		 * (step_results), not for another's that failed with it. */
		if (s.fidx < p->n) {
			int st = p->s[s.fidx].status;
			v->signo = st > 128 && st < 128 + 65 ? st - 128 : 0;
		}
	}
	for (size_t i = 0; i < p->n; i++)
		free(s.dep[i]);
	free(s.dep);
	free(s.ndep);
	free(s.state);
	free(batch);
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.mu);
	return rc;
}
