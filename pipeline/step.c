/*
 * step.c - one step: whether it reruns (needs_run) and running it: the
 * child pipeline with progress on a terminal, its stderr into run.log, the
 * row counts each stage reports checked for conservation; or the
 * driver-internal steps (collect, the export in export.c).
 */
#include "driver_int.h"
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Running steps.                                                      */

/*
 * Parse the last "rows in N, ..." line of a stage's stderr. The other counts
 * on that line are "out N" (or "unique N"), "quarantined N", "duplicates N",
 * each optional and in any order; the line ends at ';', '(' or newline.
 */
const char *const identity_names[IDENTITY_NCOUNTS] = {
	"nik_pattern", "nik_placeholder", "nik_is_kk", "nik_shared",
	"merges_refused"
};

/*
 * angka-dedup's "NIK not used as evidence: N rows with a placeholder NIK
 * ..., N rows of a NIK on more than ..., N rows with the No KK as NIK; N
 * rows share a NIK ...; N merges refused ..." line: each count is the
 * number just before its phrase.
 */
static void parse_identity(const char *err, struct counts *c)
{
	static const char *const phrase[IDENTITY_NCOUNTS] = {
		" rows with a placeholder NIK", " rows of a NIK on more than",
		" rows with the No KK as NIK", " rows share a NIK",
		" merges refused"
	};
	const char *line = strstr(err, "NIK not used as evidence: ");
	if (!line)
		return;
	size_t len = strcspn(line, "\n");
	long long v[IDENTITY_NCOUNTS];
	for (size_t k = 0; k < IDENTITY_NCOUNTS; k++) {
		const char *p = strstr(line, phrase[k]);
		if (!p || p >= line + len)
			return;
		const char *d = p;
		while (d > line && d[-1] >= '0' && d[-1] <= '9')
			d--;
		if (d == p)
			return;
		v[k] = strtoll(d, NULL, 10);
	}
	memcpy(c->identity, v, sizeof v);
	c->have_identity = 1;
}

static void parse_counts(const char *err, struct counts *c)
{
	parse_identity(err, c);
	const char *p = err, *last = NULL;
	while ((p = strstr(p, "rows in ")))
		last = p++;
	if (!last)
		return;
	size_t n = strcspn(last, ";(\n");
	char line[512];
	snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), last);
	long long v;
	if (sscanf(line, "rows in %lld", &v) != 1)
		return;
	c->have = 1;
	c->in = v;
	static const char *const names[] = { "out ", "unique ", "quarantined ",
	                                     "duplicates " };
	for (size_t k = 0; k < 4; k++) {
		const char *q = strstr(line, names[k]);
		if (!q || sscanf(q + strlen(names[k]), "%lld", &v) != 1)
			continue;
		if (k <= 1)
			c->out = v;
		else if (k == 2)
			c->quarantined = v;
		else
			c->duplicates = v;
	}
}

struct tick_ctx {
	struct env *v;
	struct step *st;
};

/*
 * Progress on a terminal: how far the first process of the step has read
 * into its input file (from /proc/PID/fdinfo), the rate and the time left.
 * Shows nothing when stderr is not a terminal or with --quiet.
 */
static void tick(void *user, const pid_t *pids, size_t n, double elapsed)
{
	struct tick_ctx *t = user;
	struct env *v = t->v;
	if (!v->tty || v->o->quiet || n == 0)
		return;
	long long pos = -1, size = 0;
	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%ld/fd", (long)pids[0]);
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d)) && pos < 0) {
		char link[PATH_MAX], target[PATH_MAX];
		snprintf(link, sizeof link, "%s/%s", dir, de->d_name);
		ssize_t k = readlink(link, target, sizeof target - 1);
		if (k <= 0)
			continue;
		target[k] = '\0';
		for (size_t i = 0; i < t->st->inputs.n; i++) {
			if (strcmp(target, t->st->inputs.v[i]) != 0)
				continue;
			char info[PATH_MAX];
			snprintf(info, sizeof info, "/proc/%ld/fdinfo/%s",
			         (long)pids[0], de->d_name);
			FILE *f = fopen(info, "r");
			struct stat sb;
			if (f && fscanf(f, "pos: %lld", &pos) == 1 &&
			    stat(target, &sb) == 0)
				size = (long long)sb.st_size;
			else
				pos = -1;
			if (f)
				fclose(f);
			break;
		}
	}
	if (d)
		closedir(d);
	if (pos >= 0 && size > 0 && elapsed > 0) {
		double rate = (double)pos / elapsed;
		double left = rate > 0 ? (double)(size - pos) / rate : 0;
		fprintf(stderr, "\r\033[K  %s: %3.0f%% of input, %.1f MB/s, "
		        "%.0f s elapsed, about %.0f s left", t->st->name,
		        100.0 * (double)pos / (double)size, rate / 1e6, elapsed,
		        left);
	} else {
		fprintf(stderr, "\r\033[K  %s: %.0f s elapsed", t->st->name,
		        elapsed);
	}
}

/* Concatenate CSV files with one header (driver-internal step). */
static enum angka_err collect(struct env *v, struct step *st,
                              struct angka_error *e)
{
	(void)v;
	char out[PATH_MAX];
	snprintf(out, sizeof out, "%s", st->outputs.v[0]);
	struct angka_csv_writer *w;
	enum angka_err rc = angka_csv_writer_open(&w, out, ANGKA_CSV_WRITER_NOSYNC, e);
	if (rc != ANGKA_OK)
		return rc;
	for (size_t i = 0; i < st->inputs.n; i++) {
		struct angka_csv_reader *r;
		struct angka_csv_opts o = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
		rc = angka_csv_reader_open(&r, st->inputs.v[i], &o, e);
		if (rc != ANGKA_OK)
			break;
		const struct angka_csv_record *rec;
		int got, first = 1;
		while ((got = angka_csv_reader_next(r, &rec, e)) > 0) {
			if (first && i > 0) {
				first = 0;
				continue;
			}
			first = 0;
			for (size_t f = 0; f < rec->nfields; f++)
				angka_csv_writer_field(w, rec->field[f], rec->len[f]);
			angka_csv_writer_end_row(w);
		}
		if (got < 0) {
			angka_csv_reader_free(r);
			rc = e->code;
			break;
		}
		rc = angka_csv_reader_close(r, e);
		if (rc != ANGKA_OK)
			break;
	}
	if (rc != ANGKA_OK) {
		angka_csv_writer_abort(w);
		return rc;
	}
	return angka_csv_writer_commit(w, e);
}

enum angka_err step_prepare(struct env *v, struct step *st,
                            struct angka_error *e)
{
	for (size_t i = 0; i < st->outputs.n; i++)
		if (ensure_parent(".", st->outputs.v[i]) != 0)
			return ANGKA_ERR(e, ANGKA_EIO, "cannot create directory for '%s':",
			                 st->outputs.v[i]);
	if (st->collect_from || st->export_step)
		return ANGKA_OK;
	if (st->trend_step) {
		char src[PATH_MAX];
		const char *carry[2][2] = {
			{ TREND_HISTORY, TREND_PREVIOUS_HISTORY },
			{ TREND_REVISIONS, TREND_REVISIONS },
		};
		for (int k = 0; k < 2; k++) {
			unlink(carry[k][1]);
			snprintf(src, sizeof src, "%s/%s", v->prev, carry[k][0]);
			if (!v->prev[0] || access(src, R_OK) != 0)
				continue;
			/* A copy (never a link into the published run), checked
			 * against what that run recorded: a hand edit is not
			 * carried on. A run from before output hashes has none. */
			char h[65];
			const char *want = v->ps ? prev_out_hash(v->ps, carry[k][0])
			                         : NULL;
			if (tree_hash(src, carry[k][1], h) != 0)
				return ANGKA_ERR(e, ANGKA_EIO, "cannot carry '%s':", src);
			if (want && strcmp(want, h) != 0)
				return ANGKA_ERR(e, ANGKA_EDATA, "'%s' differs from what "
				                 "its run recorded (edited by hand?): restore "
				                 "it from an older run in '%s' or remove it",
				                 src, v->runs);
		}
	}
	return ANGKA_OK;
}

void step_log_commands(struct env *v, const struct step *st)
{
	for (size_t c = 0; c < st->ncmd; c++) {
		/* A step run in its producer's pipe: the command it ran. */
		const struct strlist *a = st->piped_from ? &st->pipe_argv
		                                         : &st->argv[c];
		char line[8192];
		size_t o = 0;
		for (size_t i = 0; i < a->n && o < sizeof line - 1; i++)
			o += (size_t)snprintf(line + o, sizeof line - o, "%s%s",
			                      i ? " " : "", a->v[i]);
		logf_(v, "%s: %s%s", st->name, line,
		      st->piped_from ? "  (stdin: the pipe above)" : "");
	}
}

static enum angka_err run_step_inner(struct env *v, struct step *st,
                                     struct angka_error *e)
{
	enum angka_err prc = step_prepare(v, st, e);
	if (prc != ANGKA_OK)
		return prc;
	if (st->collect_from)
		return collect(v, st, e);
	if (st->export_step)
		return export_pseudonym(v, st, e);
	/* The stages log what they write (hash_log_open): its hashes are
	 * remembered before step_check_outputs() hashes the outputs. */
	struct hash_log hl;
	hash_log_open(&hl);
	struct proc_cmd cmds[MAXCMD];
	for (size_t c = 0; c < st->ncmd; c++) {
		cmds[c].argv = st->argv[c].v;
		cmds[c].stdin_path = NULL;
		cmds[c].stdout_path = NULL;
		cmds[c].envp = hl.envp;
	}
	step_log_commands(v, st);
	struct proc_result res[MAXCMD];
	struct tick_ctx tc = { v, st };
	/* Progress only when one step runs at a time. */
	int show = v->tty && !v->o->quiet && v->jobs <= 1;
	int rc = proc_run_pipeline(cmds, st->ncmd, res, show ? tick : NULL, &tc);
	hash_log_close(&hl);
	if (show)
		fprintf(stderr, "\r\033[K");
	if (rc < 0)
		return ANGKA_ERR(e, ANGKA_EIO, "step '%s': cannot start:", st->name);
	return step_results(v, st, res, e);
}

size_t pipe_culprit(const struct proc_result *res, size_t n)
{
	size_t exited = n, piped = n;
	for (size_t c = 0; c < n; c++) {
		int status = res[c].status;
		if (status == 0)
			continue;
		int sig = !res[c].unfinished && status > 128 && status < 128 + 65
		          ? status - 128 : 0;
		if (sig == SIGPIPE) {
			if (piped == n)
				piped = c;
		} else if (sig) {
			return c;
		} else if (exited == n) {
			exited = c;
		}
	}
	return exited < n ? exited : piped;
}

enum angka_err step_results(struct env *v, struct step *st,
                            struct proc_result *res, struct angka_error *e)
{
	enum angka_err out = ANGKA_OK;
	char lasterr[MAXCMD][400];
	for (size_t c = 0; c < st->ncmd; c++) {
		parse_counts(res[c].err, &st->counts[c]);
		/* angka-dedup prints its identity line only when a count is
		 * not 0: its row counts without it mean all zero. */
		struct counts *kc = &st->counts[c];
		if (st->first_stage + (int)c == DRIVER_STAGE_DEDUP && kc->have &&
		    !kc->have_identity)
			kc->have_identity = 1;
		/* The stage's own last message explains a failure best. */
		lasterr[c][0] = '\0';
		size_t len = res[c].errlen;
		while (len > 0 && res[c].err[len - 1] == '\n')
			len--;
		size_t start = len;
		while (start > 0 && res[c].err[start - 1] != '\n')
			start--;
		snprintf(lasterr[c], sizeof lasterr[c], "%.*s", (int)(len - start),
		         res[c].err + start);
	}
	/* The command whose failure explains the others' (pipe_culprit). A
	 * stage that died by a signal: the driver exits 128+N for it. */
	size_t bad = pipe_culprit(res, st->ncmd);
	if (bad < st->ncmd) {
		const char *prog =
			driver_stages[st->first_stage + (int)bad].program;
		int status = res[bad].status;
		int sig = status > 128 && status < 128 + 65 ? status - 128 : 0;
		st->status = status;
		if (res[bad].unfinished) {
			/* An engine's task that ended without the command's
			 * status: what the engine knows (read_task). */
			static const char pre[] = "angka: the task did not finish: ";
			const char *why = lasterr[bad];
			if (!strncmp(why, pre, sizeof pre - 1))
				why += sizeof pre - 1;
			out = ANGKA_ERR(e, ANGKA_EDATA, "step '%s': the task did not "
			                "finish (%s had no exit status): %s; its log: "
			                "%s/failed-run.log", st->name, prog, why,
			                v->runs);
		} else if (sig) {
			v->signo = sig;
			out = ANGKA_ERR(e, ANGKA_EDATA, "step '%s': %s was killed by "
			                "signal %d (%s); its log: %s/failed-run.log",
			                st->name, prog, sig, strsignal(sig), v->runs);
		} else {
			out = ANGKA_ERR(e, ANGKA_EDATA,
			                "step '%s': %s exited with status %d: %s",
			                st->name, prog, status,
			                lasterr[bad][0] ? lasterr[bad] : "(see run.log)");
		}
	}
	for (size_t c = 0; c < st->ncmd; c++) {
		/* Stage stderr goes to the log; stages never print personal data. */
		char *line = res[c].err, *save = NULL;
		for (char *l = strtok_r(line, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			logf_(v, "%s: %s", st->name, l);
			/* A stage's "warning:" says a result is degraded: on
			 * stderr even with --quiet, and in the manifest. */
			if (strstr(l, ": warning: ")) {
				sl_add(&st->warnings, l);
				fprintf(stderr, "angka: step '%s': %s\n", st->name, l);
			}
		}
		/* Where a run's time goes (engine local: the CPU is known). */
		if (res[c].have_cpu)
			logf_(v, "%s: %s ended after %.1f s, cpu %.1f s", st->name,
			      driver_stages[st->first_stage + (int)c].name,
			      res[c].seconds, res[c].cpu);
		st->seconds = res[c].seconds;
	}
	proc_results_release(res, st->ncmd);
	if (st->trend_step)
		unlink(TREND_PREVIOUS_HISTORY);
	if (out != ANGKA_OK)
		return out;
	/* Conservation, per stage and across the pipe. */
	for (size_t c = 0; c < st->ncmd; c++) {
		struct counts *k = &st->counts[c];
		const char *stage = driver_stages[st->first_stage + (int)c].name;
		/* Row-conserving stages (ingest .. indicators) must report their
		 * counts; trend and chart aggregate and report none. */
		if (!k->have && !st->no_counts &&
		    st->first_stage + (int)c <= DRIVER_STAGE_INDICATORS)
			return ANGKA_ERR(e, ANGKA_EBALANCE,
			                 "step '%s': %s printed no row counts", st->name,
			                 stage);
		if (!k->have)
			continue;
		if (k->in != k->out + k->quarantined + k->duplicates)
			return ANGKA_ERR(e, ANGKA_EBALANCE,
			                 "step '%s': %s rows do not balance: in %lld, "
			                 "out %lld, quarantined %lld, duplicates %lld",
			                 st->name, stage, k->in, k->out, k->quarantined,
			                 k->duplicates);
		if (c > 0 && k->in != st->counts[c - 1].out)
			return ANGKA_ERR(e, ANGKA_EBALANCE,
			                 "step '%s': %s read %lld rows but %s wrote %lld",
			                 st->name, stage, k->in,
			                 driver_stages[st->first_stage + (int)c - 1].name,
			                 st->counts[c - 1].out);
		logf_(v, "%s: %s rows in %lld, out %lld, quarantined %lld, "
		      "duplicates %lld", st->name, stage, k->in, k->out,
		      k->quarantined, k->duplicates);
	}
	return out;
}

/* An external input that changed between step_hash() and now (a ctime
 * changes even when a truncated file is restored): the step's result may
 * come from other bytes than the hashed ones. Run-relative inputs are in
 * this run's 0700 directory. */
static enum angka_err check_inputs(struct step *st, struct angka_error *e)
{
	for (size_t i = 0; st->in_id && i < st->inputs.n; i++) {
		const char *in = st->inputs.v[i];
		if (in[0] != '/')
			continue;
		struct stat sb;
		struct file_id now;
		if (stat(in, &sb) != 0)
			return ANGKA_ERR(e, ANGKA_EDATA, "step '%s': input '%s' is "
			                 "gone after the step ran:", st->name, in);
		file_id_of(&sb, &now);
		if (!file_id_same(&now, &st->in_id[i].id))
			return ANGKA_ERR(e, ANGKA_EDATA, "step '%s': input '%s' changed "
			                 "while the step ran; run again once it is "
			                 "complete", st->name, in);
	}
	return ANGKA_OK;
}

/* The hash of every output of st (in the run directory) into out_hash. */
static enum angka_err hash_outputs(struct step *st, struct angka_error *e)
{
	sl_free(&st->out_hash);
	for (size_t i = 0; i < st->outputs.n; i++) {
		char h[65];
		if (tree_hash(st->outputs.v[i], NULL, h) == 0)
			sl_add(&st->out_hash, h);
		else if (errno == ENOENT)
			sl_add(&st->out_hash, "-");
		else
			return ANGKA_ERR(e, ANGKA_EIO, "cannot read '%s':",
			                 st->outputs.v[i]);
	}
	return ANGKA_OK;
}

/* hash_outputs() of one step on a thread (step_finish_piped). */
struct hash_job {
	struct step *st;
	struct angka_error *e;
	enum angka_err rc;
};

static void *hash_job_run(void *arg)
{
	struct hash_job *j = arg;
	j->rc = hash_outputs(j->st, j->e);
	return NULL;
}

enum angka_err step_check_outputs(struct step *st, struct angka_error *e)
{
	enum angka_err rc = check_inputs(st, e);
	/* A sharded step's task: its files are not kept, not hashed. */
	if (rc == ANGKA_OK && !st->sub_task)
		rc = hash_outputs(st, e);
	return rc;
}

enum angka_err step_finish(struct env *v, struct step *st,
                           struct proc_result *res, struct angka_error *e)
{
	enum angka_err rc = step_results(v, st, res, e);
	if (rc == ANGKA_OK)
		rc = step_check_outputs(st, e);
	return rc;
}

void step_finish_piped(struct env *v, struct step *a, struct proc_result *res,
                       enum angka_err rc[2], struct angka_error e[2],
                       int *b_first)
{
	struct step *b = a->piped;
	size_t n = a->ncmd + 1, bad = pipe_culprit(res, n);
	*b_first = bad == a->ncmd;
	int status = bad < n && !res[bad].unfinished ? res[bad].status : 0;
	int signo = v->signo;
	/* a's lines, then b's command and lines: one block in run.log. */
	rc[0] = step_results(v, a, res, &e[0]);
	step_log_commands(v, b);
	rc[1] = step_results(v, b, &res[a->ncmd], &e[1]);
	/* The driver's exit is the culprit's signal, not the SIGPIPE it
	 * caused upstream. */
	v->signo = status > 128 && status < 128 + 65 ? status - 128 : signo;
	if (rc[0] != ANGKA_OK && rc[1] == ANGKA_OK)
		rc[1] = ANGKA_ERR(&e[1], ANGKA_EDATA, "step '%s': its input, the "
		                  "pipe from step '%s', failed", b->name, a->name);
	const struct counts *out = &a->counts[a->ncmd - 1], *in = &b->counts[0];
	if (rc[0] == ANGKA_OK && rc[1] == ANGKA_OK && out->have && in->have &&
	    in->in != out->out)
		rc[1] = ANGKA_ERR(&e[1], ANGKA_EBALANCE, "step '%s': %s read %lld "
		                  "rows but step '%s' wrote %lld", b->name,
		                  driver_stages[b->first_stage].name, in->in, a->name,
		                  out->out);
	struct step *both[2] = { a, b };
	for (int k = 0; k < 2; k++)
		if (rc[k] == ANGKA_OK)
			rc[k] = check_inputs(both[k], &e[k]);
	/* b's outputs hashed on a thread of their own beside a's: at 10M
	 * rows they are the 2.7 GB table and the 2.9 GB unique file, read
	 * back from disk. Each step owns its out_hash and error. */
	struct hash_job jb = { b, &e[1], ANGKA_OK };
	pthread_t t;
	int threaded = rc[0] == ANGKA_OK && rc[1] == ANGKA_OK &&
	               pthread_create(&t, NULL, hash_job_run, &jb) == 0;
	if (rc[0] == ANGKA_OK)
		rc[0] = hash_outputs(a, &e[0]);
	if (threaded) {
		pthread_join(t, NULL);
		rc[1] = jb.rc;
	} else if (rc[1] == ANGKA_OK) {
		rc[1] = hash_outputs(b, &e[1]);
	}
}

void run_piped(struct env *v, struct step *a, enum angka_err rc[2],
               struct angka_error e[2], int *b_first)
{
	struct step *b = a->piped;
	/* One hash log for the pipe's processes (run_step_inner). */
	struct hash_log hl;
	hash_log_open(&hl);
	struct proc_cmd cmds[MAXPIPE];
	size_t n = 0;
	for (size_t c = 0; c < a->ncmd; c++)
		cmds[n++] = (struct proc_cmd){ a->argv[c].v, NULL, NULL, hl.envp };
	cmds[n++] = (struct proc_cmd){ b->pipe_argv.v, NULL, NULL, hl.envp };
	step_log_commands(v, a);
	struct proc_result res[MAXPIPE];
	struct tick_ctx tc = { v, a };
	int show = v->tty && !v->o->quiet && v->jobs <= 1;
	int prc = proc_run_pipeline(cmds, n, res, show ? tick : NULL, &tc);
	hash_log_close(&hl);
	if (show)
		fprintf(stderr, "\r\033[K");
	*b_first = 0;
	if (prc < 0) {
		rc[0] = ANGKA_ERR(&e[0], ANGKA_EIO, "step '%s': cannot start:",
		                  a->name);
		rc[1] = ANGKA_ERR(&e[1], ANGKA_EIO, "step '%s': cannot start:",
		                  b->name);
		return;
	}
	step_finish_piped(v, a, res, rc, e, b_first);
}

enum angka_err run_step(struct env *v, struct step *st,
                        struct angka_error *e)
{
	enum angka_err rc = run_step_inner(v, st, e);
	if (rc == ANGKA_OK)
		rc = step_check_outputs(st, e);
	return rc;
}

int reuse_outputs(struct env *v, struct step *st, struct angka_error *e)
{
	sl_free(&st->out_hash);
	for (size_t k = 0; k < st->outputs.n; k++) {
		const char *rel = st->outputs.v[k];
		char src[PATH_MAX], h[65];
		snprintf(src, sizeof src, "%s/%s", v->prev, rel);
		const char *want = prev_out_hash(v->ps, rel);
		if (ensure_parent(".", rel) != 0 || tree_hash(src, rel, h) != 0) {
			ANGKA_ERR(e, ANGKA_EIO, "cannot reuse '%s':", src);
			return -1;
		}
		if (!want || strcmp(want, h) != 0) {
			/* Edited or swapped since it was published. */
			snprintf(st->reason, sizeof st->reason, "published '%s' "
			         "differs from its recorded hash", rel);
			for (size_t j = 0; j <= k; j++)
				rm_rf_at(AT_FDCWD, st->outputs.v[j]);
			sl_free(&st->out_hash);
			return 1;
		}
		sl_add(&st->out_hash, h);
	}
	return 0;
}

/* Decide for each step whether it reruns; fills reason. */
int needs_run(struct env *v, struct step *st, const struct prev_state *ps,
              int upstream_changed)
{
	const struct driver_opts *o = v->o;
	if (o->force) {
		snprintf(st->reason, sizeof st->reason, "--force");
		return 1;
	}
	if (o->from && st->last_stage >= stage_index(o->from)) {
		snprintf(st->reason, sizeof st->reason, "--from %s", o->from);
		return 1;
	}
	if (o->only) {
		int k = stage_index(o->only);
		if (st->first_stage <= k && k <= st->last_stage) {
			snprintf(st->reason, sizeof st->reason, "--only %s", o->only);
			return 1;
		}
	}
	const char *h = prev_hash(ps, st->name);
	if (!h) {
		snprintf(st->reason, sizeof st->reason, "no previous run of this step");
		return 1;
	}
	if (upstream_changed && !st->hash[0]) {
		snprintf(st->reason, sizeof st->reason, "an upstream step reruns");
		return 1;
	}
	if (strcmp(h, st->hash) != 0) {
		snprintf(st->reason, sizeof st->reason,
		         "inputs, config or version changed");
		return 1;
	}
	for (size_t i = 0; i < st->outputs.n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", v->prev, st->outputs.v[i]);
		if (access(path, R_OK) != 0) {
			snprintf(st->reason, sizeof st->reason, "output '%s' missing",
			         st->outputs.v[i]);
			return 1;
		}
		if (!prev_out_hash(ps, st->outputs.v[i])) {
			snprintf(st->reason, sizeof st->reason, "no hash recorded "
			         "for output '%s'", st->outputs.v[i]);
			return 1;
		}
	}
	snprintf(st->reason, sizeof st->reason, "unchanged");
	return 0;
}
