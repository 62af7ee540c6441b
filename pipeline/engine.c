/*
 * engine.c - running steps' commands elsewhere than in the driver's own
 * children: GNU parallel (this machine, or [engine] hosts over ssh) and
 * Slurm (one sbatch job array per stage, chained by --dependency=afterok). The driver still
 * decides what runs (sched.c) and checks every result (step.c): an engine
 * only runs task scripts and leaves, per command, its exit status and its
 * stderr in the run directory, which must therefore be on storage every
 * host sees at the same path (docs/engines.md).
 *
 * A task script (run-dir/.engine/task-N.sh) runs one step's pipeline as
 * the driver would: stdin /dev/null, stdout of the last command to
 * /dev/null, each command's stderr into task-N.errC and its exit status
 * (128+N for a signal, as the driver reports) into task-N.rcC. It exits
 * with the first failing status, so the engine sees the failure and its
 * own retry mechanism applies (parallel --retries, sbatch --requeue).
 */
#include "driver_int.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const engine_names[] = { "local", "parallel", "slurm" };

const char *engine_name(int type)
{
	return type >= 0 && type <= ENGINE_SLURM ? engine_names[type] : "?";
}

static const struct angka_key_def engine_keys[] = {
	{ "type", ANGKA_KEY_ENUM, offsetof(struct engine_opts, type),
	  "local|parallel|slurm", 0, 0 },
	{ "jobs", ANGKA_KEY_INT, offsetof(struct engine_opts, jobs), NULL, 1, 4096 },
	{ "hosts", ANGKA_KEY_STRING, offsetof(struct engine_opts, hosts), NULL, 0, 0 },
	{ "partition", ANGKA_KEY_STRING, offsetof(struct engine_opts, partition),
	  NULL, 0, 0 },
	{ "account", ANGKA_KEY_STRING, offsetof(struct engine_opts, account),
	  NULL, 0, 0 },
	{ "time_limit", ANGKA_KEY_STRING, offsetof(struct engine_opts, time_limit),
	  NULL, 0, 0 },
	{ "retries", ANGKA_KEY_INT, offsetof(struct engine_opts, retries), NULL, 0, 100 },
	{ "parallel", ANGKA_KEY_STRING, offsetof(struct engine_opts, parallel),
	  NULL, 0, 0 },
	{ "sbatch", ANGKA_KEY_STRING, offsetof(struct engine_opts, sbatch), NULL, 0, 0 },
	{ "submit", ANGKA_KEY_ENUM, offsetof(struct engine_opts, submit),
	  "plan|levels", 0, 0 },
	{ "shards", ANGKA_KEY_STRING, offsetof(struct engine_opts, shards_s),
	  NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

/* A config string passed to sbatch or parallel as one argument: no
 * newline or other control character. */
static int clean_value(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

enum angka_err engine_setup(struct env *v, struct angka_error *e)
{
	struct engine_opts *eo = &v->eo;
	memset(eo, 0, sizeof *eo);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	eo->jobs = cores > 0 ? cores : 1;
	eo->parallel = "parallel";
	eo->sbatch = "sbatch";
	enum angka_err rc = angka_config_apply(&v->cfg, "engine", engine_keys, eo, e);
	if (rc != ANGKA_OK)
		return rc;
	const struct driver_opts *o = v->o;
	if (o->engine) {
		int t = -1;
		for (int k = 0; k <= ENGINE_SLURM; k++)
			if (strcmp(o->engine, engine_names[k]) == 0)
				t = k;
		if (t < 0)
			return ANGKA_ERR(e, ANGKA_EUSAGE, "unknown engine '%s' for "
			                 "--engine (local, parallel or slurm)",
			                 o->engine);
		eo->type = t;
	}
	if (o->jobs > 0)
		eo->jobs = o->jobs;
	const char *vals[] = { eo->hosts, eo->partition, eo->account,
	                       eo->time_limit, eo->parallel, eo->sbatch };
	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
		if (!clean_value(vals[i]))
			return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s': [engine]: a value "
			                 "holds a control character", v->config_abs);
	v->jobs = eo->jobs;
	/* shards: 1 (default) to 256, or auto (plan.c: shard_count). */
	eo->shards = 1;
	if (eo->shards_s && strcmp(eo->shards_s, "auto") == 0) {
		eo->shards = -1;
	} else if (eo->shards_s) {
		char *end = NULL;
		errno = 0;
		long n = strtol(eo->shards_s, &end, 10);
		if (errno || end == eo->shards_s || *end || n < 1 || n > 256)
			return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s': [engine] shards: "
			                 "'%s' is not a count from 1 to 256 or auto",
			                 v->config_abs, eo->shards_s);
		eo->shards = n;
	}
	return ANGKA_OK;
}

/* ------------------------------------------------------------------ */
/* Task scripts.                                                       */

static pthread_mutex_t task_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long task_next, query_next;

/* s single-quoted for sh. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* The commands of st's task: its own, then its piped partner's. */
static size_t task_ncmd(const struct step *st)
{
	return st->ncmd + (st->piped != NULL);
}

static const struct strlist *task_argv(const struct step *st, size_t c)
{
	return c < st->ncmd ? &st->argv[c] : &st->piped->pipe_argv;
}

/* 1 if step b reads an output of the task of step a. */
static int task_reads(const struct step *b, const struct step *a)
{
	return step_reads(b, a) || (a->piped && step_reads(b, a->piped));
}

/* Write the task script of st as .engine/task-N.sh; N into *id. */
static enum angka_err write_task(struct env *v, const struct step *st,
                                 unsigned long *id, struct angka_error *e)
{
	pthread_mutex_lock(&task_lock);
	*id = task_next++;
	pthread_mutex_unlock(&task_lock);
	char path[PATH_MAX];
	snprintf(path, sizeof path, ".engine/task-%lu.sh", *id);
	FILE *f = fopen_new(path, 0700);
	if (!f)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write '%s/%s':", v->tmp, path);
	fprintf(f, "#!/bin/sh\n# angka %s: step %s\ncd ", ANGKA_VERSION, st->name);
	put_quoted(f, v->tmp);
	fprintf(f, " || exit 70\nT=.engine/task-%lu\n", *id);
	size_t ncmd = task_ncmd(st);
	for (size_t c = 0; c < ncmd; c++)
		fprintf(f, "rm -f \"$T.rc%zu\"\n", c);
	for (size_t c = 0; c < ncmd; c++) {
		const struct strlist *a = task_argv(st, c);
		fputs(c ? " | { " : "{ ", f);
		for (size_t i = 0; i < a->n; i++) {
			if (i)
				fputc(' ', f);
			put_quoted(f, a->v[i]);
		}
		if (c == 0)
			fputs(" </dev/null", f);
		if (c + 1 == ncmd)
			fputs(" >/dev/null", f);
		fprintf(f, " 2>\"$T.err%zu\"; echo $? >\"$T.rc%zu\"; }", c, c);
	}
	fprintf(f, "\nfor c in");
	for (size_t c = 0; c < ncmd; c++)
		fprintf(f, " %zu", c);
	fprintf(f, "; do\n\tread r <\"$T.rc$c\" || exit 70\n"
	        "\t[ \"$r\" = 0 ] || exit \"$r\"\ndone\nexit 0\n");
	if (fclose(f) != 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write '%s/%s':", v->tmp, path);
	return ANGKA_OK;
}

/* Read a whole small file into a NUL-terminated buffer; NULL if absent. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (buf)
		buf[n] = '\0';
	if (len)
		*len = buf ? n : 0;
	return buf;
}

/* The results of task id into res[0..ncmd-1]; a command whose status is
 * missing did not run to its end: status 1 and the engine's message why. */
static void read_task(const struct step *st, unsigned long id,
                      struct proc_result *res, double seconds,
                      const char *why)
{
	for (size_t c = 0; c < task_ncmd(st); c++) {
		char path[PATH_MAX];
		struct proc_result *r = &res[c];
		memset(r, 0, sizeof *r);
		r->seconds = seconds;
		snprintf(path, sizeof path, ".engine/task-%lu.err%zu", id, c);
		r->err = slurp(path, &r->errlen);
		unlink(path);
		snprintf(path, sizeof path, ".engine/task-%lu.rc%zu", id, c);
		char *s = slurp(path, NULL);
		unlink(path);
		char *end = NULL;
		long status = s ? strtol(s, &end, 10) : -1;
		if (!s || end == s || status < 0 || status > 255) {
			free(r->err);
			size_t n = strlen(why) + 64;
			r->err = malloc(n);
			if (r->err)
				r->errlen = (size_t)snprintf(r->err, n, "angka: the task "
				                             "did not finish: %s\n", why);
			status = 1;
			r->unfinished = 1;
		}
		free(s);
		r->status = (int)status;
		if (!r->err) {
			r->err = calloc(1, 1);
			r->errlen = 0;
		}
	}
	char path[PATH_MAX];
	snprintf(path, sizeof path, ".engine/task-%lu.sh", id);
	unlink(path);
}

/* Run argv (an engine's command) with stdout into out_path; its stderr
 * goes line by line into run.log under the name what. own_session: in a
 * session of its own, whatever of it outlives the command killed (proc.h).
 * The exit status. */
static int run_engine_cmd(struct env *v, struct strlist *argv,
                          const char *out_path, const char *what,
                          int own_session, char *lasterr, size_t cap)
{
	if (!what) {
		/* A poll: nothing logged. */
		struct proc_cmd cmd = { argv->v, NULL, out_path, NULL };
		struct proc_result res;
		int rc = own_session ? proc_run_own_session(&cmd, &res)
		                     : proc_run_pipeline(&cmd, 1, &res, NULL, NULL);
		if (rc < 0)
			return 127;
		snprintf(lasterr, cap, "%s", res.err ? res.err : "");
		proc_results_release(&res, 1);
		return res.status;
	}
	char line[8192];
	size_t o = 0;
	for (size_t i = 0; i < argv->n && o < sizeof line - 1; i++)
		o += (size_t)snprintf(line + o, sizeof line - o, "%s%s",
		                      i ? " " : "", argv->v[i]);
	logf_(v, "engine %s: %s", what, line);
	struct proc_cmd cmd = { argv->v, NULL, out_path, NULL };
	struct proc_result res;
	int rc = own_session ? proc_run_own_session(&cmd, &res)
	                     : proc_run_pipeline(&cmd, 1, &res, NULL, NULL);
	if (rc < 0) {
		snprintf(lasterr, cap, "cannot start '%s': %s", argv->v[0],
		         strerror(errno));
		return 127;
	}
	char *save = NULL;
	for (char *l = strtok_r(res.err, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		logf_(v, "engine %s: %s", what, l);
		/* The engine's last word explains a failure best. */
		snprintf(lasterr, cap, "%s", l);
	}
	int status = res.status;
	proc_results_release(&res, 1);
	if (status == 127)
		snprintf(lasterr, cap, "cannot run '%s' (is it installed?)",
		         argv->v[0]);
	return status;
}

/* The program prog as the path execv() needs: as is with a slash, else
 * searched on PATH. */
static void find_program(const char *prog, char *out, size_t cap)
{
	snprintf(out, cap, "%s", prog);
	if (strchr(prog, '/'))
		return;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		char cand[PATH_MAX];
		snprintf(cand, sizeof cand, "%.*s/%s", (int)n, n ? path : ".", prog);
		if (access(cand, X_OK) == 0) {
			snprintf(out, cap, "%s", cand);
			return;
		}
		path += n;
		if (*path == ':')
			path++;
	}
}

/* A signal number as "signal N (Name)" into out. */
static void signal_text(int sig, char *out, size_t cap)
{
	snprintf(out, cap, "signal %d (%s)", sig, strsignal(sig));
}

/* ------------------------------------------------------------------ */
/* GNU parallel.                                                       */

/* What GNU parallel's joblog says of the task whose script is script
 * (its last attempt: exit value, signal) into why; 0 if it has a line. */
static int joblog_why(const char *joblog, const char *script, char *why,
                      size_t cap)
{
	char *text = slurp(joblog, NULL);
	if (!text)
		return -1;
	char exitval[32] = "", sig[32] = "";
	int attempts = 0;
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		/* Seq Host Starttime JobRuntime Send Receive Exitval Signal
		 * Command, tab-separated. */
		char *f[9];
		size_t nf = 0;
		for (char *p = l; nf < 9; nf++) {
			f[nf] = p;
			char *t = nf < 8 ? strchr(p, '\t') : NULL;
			if (!t) {
				nf++;
				break;
			}
			*t = '\0';
			p = t + 1;
		}
		size_t sl = strlen(script), cl = nf == 9 ? strlen(f[8]) : 0;
		if (nf < 9 || cl < sl || strcmp(f[8] + cl - sl, script) != 0)
			continue;
		snprintf(exitval, sizeof exitval, "%s", f[6]);
		snprintf(sig, sizeof sig, "%s", f[7]);
		attempts++;
	}
	free(text);
	if (!attempts)
		return -1;
	int signo = atoi(sig);
	char st[96] = "";
	if (signo > 0)
		signal_text(signo, st, sizeof st);
	snprintf(why, cap, "its script %s%s (GNU parallel joblog: attempt %d, "
	         "Exitval %s, Signal %s)", signo > 0 ? "was killed by " :
	         "ended before its commands did, exit value ",
	         signo > 0 ? st : exitval, attempts, exitval, sig);
	return 0;
}

static void run_parallel(struct env *v, struct step **st, size_t n,
                         const unsigned long *ids, struct proc_result *res,
                         double t0)
{
	const struct engine_opts *eo = &v->eo;
	char prog_path[PATH_MAX];
	find_program(eo->parallel, prog_path, sizeof prog_path);
	struct strlist a = { 0 };
	sl_add(&a, prog_path);
	sl_add(&a, "--will-cite");
	sl_addf(&a, "--jobs=%ld", eo->jobs);
	/* Every task runs even when one fails: the driver reports the
	 * first failure in plan order with its log. */
	sl_add(&a, "--halt=never");
	/* --retries N: N attempts in all (0 would mean forever). */
	sl_addf(&a, "--retries=%ld", eo->retries + 1);
	/* A joblog of this batch's own: batches may run at once. */
	char joblog[64];
	snprintf(joblog, sizeof joblog, ".engine/parallel-%lu.joblog", ids[0]);
	sl_addf(&a, "--joblog=%s", joblog);
	if (eo->hosts && eo->hosts[0]) {
		/* "a, b c" -> -S a,b,c */
		char hosts[4096];
		size_t k = 0;
		for (const char *h = eo->hosts; *h && k + 1 < sizeof hosts; h++)
			hosts[k++] = (*h == ' ' || *h == '\t') ? ',' : *h;
		hosts[k] = '\0';
		sl_add(&a, "-S");
		sl_add(&a, hosts);
	}
	sl_add(&a, "sh");
	sl_add(&a, ":::");
	for (size_t i = 0; i < n; i++)
		sl_addf(&a, "%s/.engine/task-%lu.sh", v->tmp, ids[i]);
	/* In a session of its own: were GNU parallel killed, its tasks
	 * (each in a process group of its own) would run on, writing into
	 * the run directory while the driver reads their statuses and
	 * removes it; they are killed when it ends (proc.h). */
	char lasterr[512] = "";
	int status = run_engine_cmd(v, &a, NULL, "parallel", 1, lasterr,
	                            sizeof lasterr);
	sl_free(&a);
	char why[700], how[96];
	if (status > 128 && status < 128 + 65) {
		/* Its exit status (a shell's convention), or as a child. */
		signal_text(status - 128, how, sizeof how);
		snprintf(why, sizeof why, "GNU parallel was killed by %s "
		         "(exit status %d)%s%s", how, status,
		         lasterr[0] ? ": " : "", lasterr);
	} else {
		snprintf(why, sizeof why, "GNU parallel exited with status %d%s%s",
		         status, lasterr[0] ? ": " : "", lasterr);
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double secs = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - t0;
	for (size_t i = 0; i < n; i++) {
		/* A task without its statuses: what the joblog says. */
		char script[PATH_MAX], tw[900];
		snprintf(script, sizeof script, "/.engine/task-%lu.sh", ids[i]);
		if (joblog_why(joblog, script, tw, sizeof tw) == 0)
			snprintf(tw + strlen(tw), sizeof tw - strlen(tw), "; %s", why);
		else
			snprintf(tw, sizeof tw, "%s", why);
		read_task(st[i], ids[i], &res[i * MAXPIPE], secs, tw);
	}
	unlink(joblog);
}

/* ------------------------------------------------------------------ */
/* Slurm.                                                              */

/* A Slurm command: beside [engine] sbatch when that is a path, else on
 * PATH. */
static void slurm_program(const struct engine_opts *eo, const char *name,
                          char *out, size_t cap)
{
	const char *slash = strrchr(eo->sbatch, '/');
	if (slash)
		snprintf(out, cap, "%.*s/%s", (int)(slash - eo->sbatch),
		         eo->sbatch, name);
	else
		find_program(name, out, cap);
}

/* Run the Slurm query command name (squeue, scontrol) with args, its
 * stdout into .engine/NAME.N.out (N: a number of this call's own, as
 * batches run at once poll Slurm at once): that text (the caller frees
 * it), or NULL if it failed (its last message in err) or wrote nothing. */
static char *slurm_query(struct env *v, const char *name,
                         const char *const *args, size_t nargs, char *err,
                         size_t cap)
{
	char prog_path[PATH_MAX], out[PATH_MAX];
	slurm_program(&v->eo, name, prog_path, sizeof prog_path);
	pthread_mutex_lock(&task_lock);
	unsigned long n = query_next++;
	pthread_mutex_unlock(&task_lock);
	snprintf(out, sizeof out, ".engine/%s.%lu.out", name, n);
	struct strlist a = { 0 };
	sl_add(&a, prog_path);
	for (size_t i = 0; i < nargs; i++)
		sl_add(&a, args[i]);
	int rc = run_engine_cmd(v, &a, out, NULL, 0, err, cap);
	sl_free(&a);
	char *text = slurp(out, NULL);
	unlink(out);
	if (rc != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* One sbatch: the tasks of one stage (a job array when several) whose
 * producers are in earlier jobs or done. */
struct slurm_job {
	int stage;
	size_t *tasks;            /* indices into the batch, plan order */
	size_t n;
	size_t *deps;             /* earlier jobs it waits for (afterok) */
	size_t ndep;
	char jobid[64];           /* "" until submitted */
	int ended;                /* no longer listed by squeue */
	int cancelled;            /* scancel'led by the driver */
	char why[700];
};

/* The exit status of task id (steps of ncmd commands) as far as its rc
 * files tell: -1 while a command has none yet, else the first non-zero
 * status (0 if all are 0); *any_bad 1 if a present one is non-zero. */
static int task_state(unsigned long id, size_t ncmd, int *any_bad)
{
	int first = 0, complete = 1;
	*any_bad = 0;
	for (size_t c = 0; c < ncmd; c++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, ".engine/task-%lu.rc%zu", id, c);
		char *s = slurp(path, NULL);
		if (!s) {
			complete = 0;
			continue;
		}
		char *end = NULL;
		long r = strtol(s, &end, 10);
		int whole = end != s && *end == '\n';
		free(s);
		if (!whole) {
			complete = 0;  /* being written */
			continue;
		}
		if (r != 0) {
			*any_bad = 1;
			if (!first)
				first = (int)r;
		}
	}
	return complete ? first : -1;
}

/* scancel the jobs still listed; 1 if any. */
static int slurm_cancel(struct env *v, struct slurm_job *jobs, size_t nj,
                        const char *why)
{
	const struct engine_opts *eo = &v->eo;
	char sc[PATH_MAX];
	slurm_program(eo, "scancel", sc, sizeof sc);
	struct strlist c = { 0 };
	sl_add(&c, sc);
	for (size_t g = 0; g < nj; g++)
		if (jobs[g].jobid[0] && !jobs[g].ended && !jobs[g].cancelled) {
			sl_add(&c, jobs[g].jobid);
			jobs[g].cancelled = 1;
		}
	int any = c.n > 1;
	if (any) {
		logf_(v, "engine slurm: cancelling the run's other jobs: %s", why);
		char ign[512] = "";
		run_engine_cmd(v, &c, NULL, "slurm", 0, ign, sizeof ign);
	}
	sl_free(&c);
	return any;
}

/* Submit job g (its dependencies submitted): 0, or the sbatch status. */
static int slurm_submit(struct env *v, struct step **st,
                        const unsigned long *ids, struct slurm_job *jobs,
                        size_t g)
{
	const struct engine_opts *eo = &v->eo;
	struct slurm_job *j = &jobs[g];
	const char *stage = driver_stages[j->stage].name;
	unsigned long first = ids[j->tasks[0]];
	char script[PATH_MAX], out[PATH_MAX], jobout[PATH_MAX];
	snprintf(script, sizeof script, ".engine/array-%lu.sh", first);
	snprintf(out, sizeof out, ".engine/array-%lu.jobid", first);
	FILE *f = fopen_new(script, 0700);
	if (!f) {
		snprintf(j->why, sizeof j->why, "cannot write '%s'", script);
		return 1;
	}
	/* Array task k runs task script ids[tasks[k]]. */
	fprintf(f, "#!/bin/sh\n# angka %s: %zu task%s of stage %s\n"
	        "case \"${SLURM_ARRAY_TASK_ID:-0}\" in\n", ANGKA_VERSION, j->n,
	        j->n > 1 ? "s" : "", stage);
	for (size_t k = 0; k < j->n; k++)
		fprintf(f, "%zu) exec sh '%s/.engine/task-%lu.sh' ;; # %s\n", k,
		        v->tmp, ids[j->tasks[k]], st[j->tasks[k]]->name);
	fprintf(f, "esac\nexit 70\n");
	if (fclose(f) != 0) {
		snprintf(j->why, sizeof j->why, "cannot write '%s'", script);
		return 1;
	}
	char prog_path[PATH_MAX];
	find_program(eo->sbatch, prog_path, sizeof prog_path);
	struct strlist a = { 0 };
	sl_add(&a, prog_path);
	sl_add(&a, "--parsable");
	/* The driver's pid names its jobs: scancel --name after a kill -9. */
	sl_addf(&a, "--job-name=angka-%ld-%s", (long)getpid(), stage);
	sl_addf(&a, "--chdir=%s", v->tmp);
	snprintf(jobout, sizeof jobout, "%s/.engine/slurm-%%A_%%a.out", v->tmp);
	sl_addf(&a, "--output=%s", jobout);
	sl_add(&a, "--ntasks=1");
	/* A job whose node fails or is preempted goes back in the queue. */
	if (eo->retries > 0)
		sl_add(&a, "--requeue");
	else
		sl_add(&a, "--no-requeue");
	if (j->n > 1)
		sl_addf(&a, "--array=0-%zu", j->n - 1);
	if (j->ndep) {
		/* afterok on an array's id: once all its tasks succeeded.
		 * A failed producer: Slurm cancels the job (and the driver
		 * cancels every job of the run as soon as it sees it). */
		char dep[1024];
		size_t o = (size_t)snprintf(dep, sizeof dep, "--dependency=afterok");
		for (size_t d = 0; d < j->ndep && o < sizeof dep; d++)
			o += (size_t)snprintf(dep + o, sizeof dep - o, ":%s",
			                      jobs[j->deps[d]].jobid);
		sl_add(&a, dep);
		sl_add(&a, "--kill-on-invalid-dep=yes");
	}
	if (eo->partition && eo->partition[0])
		sl_addf(&a, "--partition=%s", eo->partition);
	if (eo->account && eo->account[0])
		sl_addf(&a, "--account=%s", eo->account);
	if (eo->time_limit && eo->time_limit[0])
		sl_addf(&a, "--time=%s", eo->time_limit);
	sl_addf(&a, "%s/%s", v->tmp, script);
	char lasterr[512] = "";
	char what[96];
	snprintf(what, sizeof what, "slurm %s", stage);
	int status = run_engine_cmd(v, &a, out, what, 0, lasterr, sizeof lasterr);
	sl_free(&a);
	char *id = slurp(out, NULL);
	if (id) {
		size_t len = strcspn(id, ";\n");
		if (len > 0 && len < sizeof j->jobid && status == 0)
			snprintf(j->jobid, sizeof j->jobid, "%.*s", (int)len, id);
		free(id);
	}
	unlink(out);
	if (status != 0 || !j->jobid[0]) {
		snprintf(j->why, sizeof j->why, "sbatch for stage %s failed "
		         "(status %d)%s%s", stage, status,
		         lasterr[0] ? ": " : "", lasterr);
		return status ? status : 1;
	}
	snprintf(j->why, sizeof j->why, "Slurm job %s (stage %s) ended without "
	         "it (cancelled, time limit or node failure: see run.log)",
	         j->jobid, stage);
	return 0;
}

/* Poll squeue until none of the jobs is listed. A task that fails (its rc
 * files say so; with retries, once its job ended) or a job that ends with a
 * task unfinished gets every other job cancelled, so the run ends at once
 * instead of leaving dependent jobs pending forever. */
static void slurm_wait(struct env *v, struct step **st,
                       const unsigned long *ids, struct slurm_job *jobs,
                       size_t nj, int *failed, long *culprit)
{
	int any = 0;
	for (size_t g = 0; g < nj; g++)
		any |= jobs[g].jobid[0] != '\0';
	if (!any)
		return;
	const struct engine_opts *eo = &v->eo;
	/* By name, not --jobs: squeue fails on a job id already purged. */
	char names[4096];
	size_t o = (size_t)snprintf(names, sizeof names, "--name=");
	for (size_t g = 0; g < nj; g++) {
		if (!jobs[g].jobid[0])
			continue;
		o += (size_t)snprintf(names + o, sizeof names - o, "%sangka-%ld-%s",
		                      o > 7 ? "," : "", (long)getpid(),
		                      driver_stages[jobs[g].stage].name);
		if (o >= sizeof names)
			o = sizeof names - 1;
	}
	const char *const q[] = { "-h", "-o", "%i %T", names };
	int misses = 0, stopping = 0;
	double give_up = 0;
	for (;;) {
		if (proc_stop_signal && !stopping) {
			stopping = 1;
			slurm_cancel(v, jobs, nj, "the driver was stopped");
		}
		char err[512] = "";
		char *text = slurm_query(v, "squeue", q, sizeof q / sizeof *q,
		                         err, sizeof err);
		if (!text) {
			if (++misses >= 20) {
				logf_(v, "engine slurm: squeue keeps failing: %s", err);
				break;
			}
		} else {
			misses = 0;
			for (size_t g = 0; g < nj; g++) {
				struct slurm_job *j = &jobs[g];
				if (!j->jobid[0] || j->ended)
					continue;
				/* "ID", "ID_K" or "ID_[0-3]" at a line start. */
				size_t len = strlen(j->jobid);
				int listed = 0;
				for (const char *l = text; *l && !listed;
				     l += strcspn(l, "\n"), l += *l == '\n') {
					listed = strncmp(l, j->jobid, len) == 0 &&
					         (l[len] == '_' || l[len] == ' ');
				}
				j->ended = !listed;
			}
			free(text);
		}
		/* A failure cancels the rest. */
		const char *bad = NULL;
		for (size_t g = 0; g < nj && !*failed; g++) {
			struct slurm_job *j = &jobs[g];
			for (size_t k = 0; k < j->n && !bad; k++) {
				size_t i = j->tasks[k];
				int any_bad;
				int s = task_state(ids[i], task_ncmd(st[i]), &any_bad);
				if ((any_bad && eo->retries == 0) || s > 0 ||
				    (j->ended && s < 0)) {
					bad = st[i]->name;
					*culprit = (long)i;
				}
			}
			if (bad) {
				char why[256];
				snprintf(why, sizeof why, "the task of step '%s' failed",
				         bad);
				*failed = 1;
				slurm_cancel(v, jobs, nj, why);
			}
		}
		int listed = 0;
		for (size_t g = 0; g < nj; g++)
			listed |= jobs[g].jobid[0] && !jobs[g].ended;
		if (!listed)
			break;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double t = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
		if ((*failed || stopping) && give_up == 0)
			give_up = t + 120;
		if (give_up > 0 && t > give_up) {
			logf_(v, "engine slurm: cancelled jobs still listed after "
			      "120 s; not waiting for them");
			break;
		}
		struct timespec ts = { 0, 300000000L };
		nanosleep(&ts, NULL);
	}
}

/* What Slurm says of array task k of job j (scontrol show job -o, while
 * it still knows the job): its state, exit code (a signal named) and
 * reason, then j->why, into why; j->why alone if Slurm says nothing. */
static void slurm_task_why(struct env *v, const struct slurm_job *j, size_t k,
                           char *why, size_t cap)
{
	snprintf(why, cap, "%s", j->why);
	if (!j->jobid[0])
		return;
	char err[512] = "";
	const char *const a[] = { "-o", "show", "job", j->jobid };
	char *text = slurm_query(v, "scontrol", a, sizeof a / sizeof *a, err,
	                         sizeof err);
	if (!text)
		return;
	char want[64];
	snprintf(want, sizeof want, "ArrayTaskId=%zu ", k);
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (j->n > 1 && !strstr(l, want))
			continue;
		char state[64] = "?", reason[128] = "?", code[32] = "?";
		const char *p;
		if ((p = strstr(l, "JobState=")))
			sscanf(p + 9, "%63s", state);
		if ((p = strstr(l, "Reason=")))
			sscanf(p + 7, "%127s", reason);
		if ((p = strstr(l, " ExitCode=")))
			sscanf(p + 10, "%31s", code);
		const char *colon = strchr(code, ':');
		int signo = colon ? atoi(colon + 1) : 0;
		char st[96] = "";
		if (signo > 0)
			signal_text(signo, st, sizeof st);
		char jid[96];
		if (j->n > 1)
			snprintf(jid, sizeof jid, "%s_%zu", j->jobid, k);
		else
			snprintf(jid, sizeof jid, "%s", j->jobid);
		snprintf(why, cap, "%s%s%sSlurm job %s: JobState=%s ExitCode=%s "
		         "Reason=%s (stage %s)", signo > 0 ? "its script was "
		         "killed by " : "", st, signo > 0 ? "; " : "", jid, state,
		         code, reason, driver_stages[j->stage].name);
		break;
	}
	free(text);
}

static void run_slurm(struct env *v, struct step **st, size_t n,
                      const unsigned long *ids, struct proc_result *res,
                      int *cancelled, double t0)
{
	/* Jobs in plan order: a task joins the last job of its stage when
	 * that job comes after every job holding one of its producers, else
	 * opens a new one (so the jobs' dependencies never form a cycle). */
	struct slurm_job *jobs = angka_xcalloc(n, sizeof *jobs);
	size_t *job_of = angka_xcalloc(n, sizeof *job_of);
	size_t nj = 0;
	for (size_t i = 0; i < n; i++) {
		long maxdep = -1;
		for (size_t p = 0; p < i; p++)
			if (task_reads(st[i], st[p]) && (long)job_of[p] > maxdep)
				maxdep = (long)job_of[p];
		long g = -1;
		for (long k = (long)nj - 1; k >= 0 && g < 0; k--)
			if (jobs[k].stage == st[i]->first_stage)
				g = k;
		if (g < 0 || g <= maxdep) {
			g = (long)nj++;
			jobs[g].stage = st[i]->first_stage;
			jobs[g].tasks = angka_xcalloc(n, sizeof *jobs[g].tasks);
			jobs[g].deps = angka_xcalloc(n, sizeof *jobs[g].deps);
		}
		struct slurm_job *j = &jobs[g];
		j->tasks[j->n++] = i;
		job_of[i] = (size_t)g;
		for (size_t p = 0; p < i; p++) {
			if (!task_reads(st[i], st[p]))
				continue;
			size_t d = 0;
			while (d < j->ndep && j->deps[d] != job_of[p])
				d++;
			if (d == j->ndep)
				j->deps[j->ndep++] = job_of[p];
		}
	}
	int failed = 0;
	for (size_t g = 0; g < nj && !failed && !proc_stop_signal; g++)
		if (slurm_submit(v, st, ids, jobs, g) != 0) {
			failed = 1;
			slurm_cancel(v, jobs, nj, jobs[g].why);
		}
	for (size_t g = 0; g < nj; g++)
		if (!jobs[g].jobid[0] && !jobs[g].why[0])
			snprintf(jobs[g].why, sizeof jobs[g].why, "not submitted: "
			         "an earlier sbatch failed or the driver was stopped");
	long culprit = -1;
	slurm_wait(v, st, ids, jobs, nj, &failed, &culprit);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double secs = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - t0;
	for (size_t g = 0; g < nj; g++) {
		struct slurm_job *j = &jobs[g];
		const char *stage = driver_stages[j->stage].name;
		for (size_t k = 0; k < j->n; k++) {
			size_t i = j->tasks[k];
			int any_bad;
			/* Not the task that failed, in a submitted job, after
			 * a failure: cancelled by the driver or by Slurm (a
			 * producer failed) if it did not end well; scancel's
			 * SIGTERM may have reached its commands, which then
			 * wrote 143 (the failure is the culprit's, and the
			 * exit status not 128+15). After a stop signal: if
			 * unfinished. */
			int ts = task_state(ids[i], task_ncmd(st[i]), &any_bad);
			cancelled[i] = j->jobid[0] && (long)i != culprit &&
			               ((failed && ts != 0) ||
			                (proc_stop_signal && ts < 0 && !any_bad));
			char why[900];
			snprintf(why, sizeof why, "%s", j->why);
			if (ts < 0 && !cancelled[i])
				slurm_task_why(v, j, k, why, sizeof why);
			read_task(st[i], ids[i], &res[i * MAXPIPE], secs, why);
		}
		char script[PATH_MAX];
		snprintf(script, sizeof script, ".engine/array-%lu.sh",
		         ids[j->tasks[0]]);
		unlink(script);
		/* What Slurm itself said about each array task (time limit,
		 * cancellation, node failure) into run.log. */
		for (size_t k = 0; k < j->n && j->jobid[0]; k++) {
			char p[PATH_MAX], what[96];
			snprintf(what, sizeof what, "slurm %s", stage);
			snprintf(p, sizeof p, ".engine/slurm-%s_%zu.out", j->jobid,
			         j->n > 1 ? k : (size_t)4294967294UL);
			char *text = slurp(p, NULL);
			if (text) {
				char *save = NULL;
				for (char *l = strtok_r(text, "\n", &save); l;
				     l = strtok_r(NULL, "\n", &save))
					logf_(v, "engine %s[%zu]: %s", what, k, l);
				free(text);
			}
			unlink(p);
		}
		free(j->tasks);
		free(j->deps);
	}
	free(jobs);
	free(job_of);
}

int engine_run_batch(struct env *v, struct step **st, size_t n,
                     struct proc_result *res, int *cancelled,
                     struct angka_error *e)
{
	if (mkdir(".engine", 0700) != 0 && errno != EEXIST) {
		ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s/.engine':", v->tmp);
		return -1;
	}
	unsigned long *ids = angka_xcalloc(n, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		if (write_task(v, st[i], &ids[i], e) != ANGKA_OK) {
			free(ids);
			return -1;
		}
	for (size_t i = 0; i < n; i++)
		cancelled[i] = 0;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double t0 = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (v->eo.type == ENGINE_SLURM)
		run_slurm(v, st, n, ids, res, cancelled, t0);
	else
		run_parallel(v, st, n, ids, res, t0);
	free(ids);
	return 0;
}
