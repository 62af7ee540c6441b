/*
 * engine.c - running steps' commands elsewhere than in the driver's own
 * children: GNU parallel (this machine, or [engine] hosts over ssh) and
 * Slurm (one sbatch job array per stage of a batch). The driver still
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
	return ANGKA_OK;
}

/* ------------------------------------------------------------------ */
/* Task scripts.                                                       */

static pthread_mutex_t task_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long task_next;

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
	for (size_t c = 0; c < st->ncmd; c++)
		fprintf(f, "rm -f \"$T.rc%zu\"\n", c);
	for (size_t c = 0; c < st->ncmd; c++) {
		fputs(c ? " | { " : "{ ", f);
		for (size_t i = 0; i < st->argv[c].n; i++) {
			if (i)
				fputc(' ', f);
			put_quoted(f, st->argv[c].v[i]);
		}
		if (c == 0)
			fputs(" </dev/null", f);
		if (c + 1 == st->ncmd)
			fputs(" >/dev/null", f);
		fprintf(f, " 2>\"$T.err%zu\"; echo $? >\"$T.rc%zu\"; }", c, c);
	}
	fprintf(f, "\nfor c in");
	for (size_t c = 0; c < st->ncmd; c++)
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
	for (size_t c = 0; c < st->ncmd; c++) {
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
 * goes line by line into run.log under the name what. The exit status. */
static int run_engine_cmd(struct env *v, struct strlist *argv,
                          const char *out_path, const char *what,
                          char *lasterr, size_t cap)
{
	if (!what) {
		/* A poll: nothing logged. */
		struct proc_cmd cmd = { argv->v, NULL, out_path };
		struct proc_result res;
		int rc = proc_run_pipeline(&cmd, 1, &res, NULL, NULL);
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
	struct proc_cmd cmd = { argv->v, NULL, out_path };
	struct proc_result res;
	int rc = proc_run_pipeline(&cmd, 1, &res, NULL, NULL);
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

/* ------------------------------------------------------------------ */
/* GNU parallel.                                                       */

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
	sl_add(&a, "--joblog=.engine/parallel.joblog");
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
	char lasterr[512] = "";
	int status = run_engine_cmd(v, &a, NULL, "parallel", lasterr,
	                            sizeof lasterr);
	sl_free(&a);
	char why[700];
	snprintf(why, sizeof why, "GNU parallel exited with status %d%s%s",
	         status, lasterr[0] ? ": " : "", lasterr);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double secs = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - t0;
	for (size_t i = 0; i < n; i++)
		read_task(st[i], ids[i], &res[i * MAXCMD], secs, why);
	unlink(".engine/parallel.joblog");
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

struct slurm_job {
	struct env *v;
	int stage;
	size_t *tasks;            /* indices into the batch */
	size_t n;
	const unsigned long *ids;
	int status;
	char why[700];
	char jobid[64];
	pthread_t tid;
	int started;
};

static void *slurm_one(void *arg)
{
	struct slurm_job *j = arg;
	struct env *v = j->v;
	const struct engine_opts *eo = &v->eo;
	const char *stage = driver_stages[j->stage].name;
	unsigned long first = j->ids[j->tasks[0]];
	char script[PATH_MAX], out[PATH_MAX], jobout[PATH_MAX];
	snprintf(script, sizeof script, ".engine/array-%lu.sh", first);
	snprintf(out, sizeof out, ".engine/array-%lu.jobid", first);
	FILE *f = fopen_new(script, 0700);
	if (!f) {
		j->status = 1;
		snprintf(j->why, sizeof j->why, "cannot write '%s'", script);
		return NULL;
	}
	/* Array task k runs task script ids[tasks[k]]. */
	fprintf(f, "#!/bin/sh\ncase \"${SLURM_ARRAY_TASK_ID:-0}\" in\n");
	for (size_t k = 0; k < j->n; k++)
		fprintf(f, "%zu) exec sh '%s/.engine/task-%lu.sh' ;;\n", k,
		        v->tmp, j->ids[j->tasks[k]]);
	fprintf(f, "esac\nexit 70\n");
	if (fclose(f) != 0) {
		j->status = 1;
		snprintf(j->why, sizeof j->why, "cannot write '%s'", script);
		return NULL;
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
	j->status = run_engine_cmd(v, &a, out, what, lasterr, sizeof lasterr);
	sl_free(&a);
	char *id = slurp(out, NULL);
	if (id) {
		snprintf(j->jobid, sizeof j->jobid, "%.*s",
		         (int)strcspn(id, ";\n"), id);
		free(id);
	}
	unlink(out);
	/* Wait while squeue lists the job (pending, running, requeued,
	 * completing); sbatch --wait polls far less often. The exit codes
	 * are in the tasks' files. */
	if (j->status == 0 && j->jobid[0]) {
		char sq[PATH_MAX];
		slurm_program(eo, "squeue", sq, sizeof sq);
		struct strlist q = { 0 };
		sl_add(&q, sq);
		sl_add(&q, "-h");
		sl_add(&q, "-o");
		sl_add(&q, "%i %T");
		sl_addf(&q, "--jobs=%s", j->jobid);
		int misses = 0;
		while (!proc_stop_signal) {
			char err[512] = "";
			int st = run_engine_cmd(v, &q, out, NULL, err, sizeof err);
			size_t len = 0;
			char *text = slurp(out, &len);
			free(text);
			unlink(out);
			if (st == 0 && len == 0)
				break;           /* no longer listed: ended */
			if (st != 0 && (strstr(err, "Invalid job id") ||
			                ++misses >= 20))
				break;           /* purged, or squeue keeps failing */
			if (st == 0)
				misses = 0;
			struct timespec ts = { 0, 300000000L };
			nanosleep(&ts, NULL);
		}
		sl_free(&q);
	}
	if (proc_stop_signal && j->jobid[0]) {
		/* Stopped while the job ran: take it out of the queue. */
		char sc[PATH_MAX];
		slurm_program(eo, "scancel", sc, sizeof sc);
		struct strlist c = { 0 };
		sl_add(&c, sc);
		sl_add(&c, j->jobid);
		char ign[64] = "";
		run_engine_cmd(v, &c, NULL, what, ign, sizeof ign);
		sl_free(&c);
	}
	if (j->status != 0 || !j->jobid[0])
		snprintf(j->why, sizeof j->why, "sbatch for stage %s failed "
		         "(status %d)%s%s", stage, j->status,
		         lasterr[0] ? ": " : "", lasterr);
	else
		snprintf(j->why, sizeof j->why, "Slurm job %s (stage %s) ended "
		         "without it (cancelled, time limit or node failure: "
		         "see run.log)", j->jobid, stage);
	unlink(script);
	/* What Slurm itself said about each array task (time limit,
	 * cancellation, node failure) into run.log. */
	for (size_t k = 0; k < j->n && j->jobid[0]; k++) {
		char p[PATH_MAX];
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
	return NULL;
}

static void run_slurm(struct env *v, struct step **st, size_t n,
                      const unsigned long *ids, struct proc_result *res,
                      double t0)
{
	/* One job (an array when it has several tasks) per stage. */
	struct slurm_job jobs[DRIVER_NSTAGES];
	memset(jobs, 0, sizeof jobs);
	size_t *tasks = angka_xcalloc(n, sizeof *tasks);
	size_t used = 0;
	for (int s = 0; s < DRIVER_NSTAGES; s++) {
		struct slurm_job *j = &jobs[s];
		j->v = v;
		j->stage = s;
		j->ids = ids;
		j->tasks = tasks + used;
		for (size_t i = 0; i < n; i++)
			if (st[i]->first_stage == s)
				j->tasks[j->n++] = i;
		used += j->n;
	}
	for (int s = 0; s < DRIVER_NSTAGES; s++)
		if (jobs[s].n)
			jobs[s].started = pthread_create(&jobs[s].tid, NULL, slurm_one,
			                                 &jobs[s]) == 0 ? 1 : -1;
	for (int s = 0; s < DRIVER_NSTAGES; s++) {
		if (jobs[s].started > 0)
			pthread_join(jobs[s].tid, NULL);
		else if (jobs[s].started < 0)
			slurm_one(&jobs[s]);
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double secs = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - t0;
	for (int s = 0; s < DRIVER_NSTAGES; s++)
		for (size_t k = 0; k < jobs[s].n; k++) {
			size_t i = jobs[s].tasks[k];
			read_task(st[i], ids[i], &res[i * MAXCMD], secs, jobs[s].why);
		}
	free(tasks);
}

int engine_run_batch(struct env *v, struct step **st, size_t n,
                     struct proc_result *res, struct angka_error *e)
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
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double t0 = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (v->eo.type == ENGINE_SLURM)
		run_slurm(v, st, n, ids, res, t0);
	else
		run_parallel(v, st, n, ids, res, t0);
	free(ids);
	return 0;
}
