/*
 * driver.c - plan, lock, run, record and publish one pipeline run.
 *
 * plan(): turns the config into a list of steps (one child pipeline each).
 * Every step has inputs, outputs (paths inside the run directory) and a hash
 * of everything that decides its result: program version, its command line,
 * the bytes of its inputs and the config sections it reads. A step whose hash
 * equals the one recorded by the published run is not run again: its outputs
 * are hard-linked from the published run.
 */
#include "driver_int.h"
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Running steps.                                                      */

/*
 * Parse the last "rows in N, ..." line of a stage's stderr. The other counts
 * on that line are "out N" (or "unique N"), "quarantined N", "duplicates N",
 * each optional and in any order; the line ends at ';', '(' or newline.
 */
static void parse_counts(const char *err, struct counts *c)
{
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

static enum angka_err run_step(struct env *v, struct step *st,
                               struct angka_error *e)
{
	for (size_t i = 0; i < st->outputs.n; i++)
		if (ensure_parent(".", st->outputs.v[i]) != 0)
			return ANGKA_ERR(e, ANGKA_EIO, "cannot create directory for '%s':",
			                 st->outputs.v[i]);
	if (st->collect_from)
		return collect(v, st, e);
	if (st->export_step)
		return export_pseudonym(v, st, e);
	if (st->trend_step) {
		char src[PATH_MAX];
		const char *carry[2][2] = {
			{ "trend/history.csv", "trend/.history.previous.csv" },
			{ "trend/revisions.csv", "trend/revisions.csv" },
		};
		for (int k = 0; k < 2; k++) {
			unlink(carry[k][1]);
			snprintf(src, sizeof src, "%s/%s", v->prev, carry[k][0]);
			if (v->prev[0] && access(src, R_OK) == 0 &&
			    link_or_copy(src, carry[k][1]) != 0)
				return ANGKA_ERR(e, ANGKA_EIO, "cannot carry '%s':", src);
		}
	}
	struct proc_cmd cmds[MAXCMD];
	for (size_t c = 0; c < st->ncmd; c++) {
		cmds[c].argv = st->argv[c].v;
		cmds[c].stdin_path = NULL;
		cmds[c].stdout_path = NULL;
	}
	for (size_t c = 0; c < st->ncmd; c++) {
		char line[8192];
		size_t o = 0;
		for (size_t i = 0; i < st->argv[c].n && o < sizeof line - 1; i++)
			o += (size_t)snprintf(line + o, sizeof line - o, "%s%s",
			                      i ? " " : "", st->argv[c].v[i]);
		logf_(v, "%s: %s", st->name, line);
	}
	struct proc_result res[MAXCMD];
	struct tick_ctx tc = { v, st };
	int rc = proc_run_pipeline(cmds, st->ncmd, res, tick, &tc);
	if (v->tty && !v->o->quiet)
		fprintf(stderr, "\r\033[K");
	if (rc < 0)
		return ANGKA_ERR(e, ANGKA_EIO, "step '%s': cannot start:", st->name);
	enum angka_err out = ANGKA_OK;
	char lasterr[MAXCMD][400];
	for (size_t c = 0; c < st->ncmd; c++) {
		parse_counts(res[c].err, &st->counts[c]);
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
	for (size_t c = 0; c < st->ncmd; c++) {
		/* Stage stderr goes to the log; stages never print personal data. */
		char *line = res[c].err, *save = NULL;
		for (char *l = strtok_r(line, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			logf_(v, "%s: %s", st->name, l);
		st->seconds = res[c].seconds;
		if (res[c].status != 0 && out == ANGKA_OK) {
			st->status = res[c].status;
			out = ANGKA_ERR(e, ANGKA_EDATA,
			                "step '%s': %s exited with status %d: %s",
			                st->name, driver_stages[st->first_stage + (int)c].program,
			                res[c].status, lasterr[c][0] ? lasterr[c]
			                                             : "(see run.log)");
		}
	}
	proc_results_release(res, st->ncmd);
	if (st->trend_step)
		unlink("trend/.history.previous.csv");
	if (out != ANGKA_OK)
		return out;
	/* Conservation, per stage and across the pipe. */
	for (size_t c = 0; c < st->ncmd; c++) {
		struct counts *k = &st->counts[c];
		const char *stage = driver_stages[st->first_stage + (int)c].name;
		/* Row-conserving stages (ingest .. indicators) must report their
		 * counts; trend and chart aggregate and report none. */
		if (!k->have && st->first_stage + (int)c <= DRIVER_STAGE_INDICATORS)
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

/* ------------------------------------------------------------------ */
/* Main.                                                               */

static enum angka_err setup(struct env *v, const struct driver_opts *o,
                            struct angka_error *e)
{
	memset(v, 0, sizeof *v);
	v->o = o;
	v->tty = isatty(STDERR_FILENO);
	angka_config_init(&v->cfg);
	if (!realpath(o->config, v->config_abs))
		return ANGKA_ERR(e, ANGKA_ECONFIG, "cannot open config '%s':", o->config);
	enum angka_err rc = angka_config_load(&v->cfg, v->config_abs, e);
	if (rc != ANGKA_OK)
		return rc;
	/* Inputs must exist; resolve them to absolute paths. */
	for (int k = 0; k < ANGKA_KIND_COUNT; k++) {
		struct angka_input_list *in = &v->cfg.input[k];
		for (size_t i = 0; i < in->nfiles; i++) {
			char abs[PATH_MAX];
			if (!realpath(in->files[i], abs))
				return ANGKA_ERR(e, ANGKA_ECONFIG,
				                 "'%s': [input.%s] file '%s':", v->config_abs,
				                 angka_kind_name((enum angka_kind)k),
				                 in->files[i]);
			if (access(abs, R_OK) != 0)
				return ANGKA_ERR(e, ANGKA_ECONFIG, "cannot read '%s':", abs);
			free(in->files[i]);
			in->files[i] = angka_xstrdup(abs);
		}
	}
	if (o->bindir) {
		snprintf(v->bindir, sizeof v->bindir, "%s", o->bindir);
	} else {
		ssize_t n = readlink("/proc/self/exe", v->bindir, sizeof v->bindir - 1);
		if (n <= 0)
			return ANGKA_ERR(e, ANGKA_EIO, "cannot find the angka executables");
		v->bindir[n] = '\0';
		char *slash = strrchr(v->bindir, '/');
		if (slash)
			*slash = '\0';
	}
	/* output_dir: absolute, without a trailing slash. */
	char od[PATH_MAX];
	snprintf(od, sizeof od, "%s", v->cfg.output_dir);
	size_t l = strlen(od);
	while (l > 1 && od[l - 1] == '/')
		od[--l] = '\0';
	if (od[0] != '/') {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd))
			return ANGKA_ERR(e, ANGKA_EIO, "getcwd:");
		snprintf(v->out, sizeof v->out, "%s/%s", cwd, od);
	} else {
		snprintf(v->out, sizeof v->out, "%s", od);
	}
	/* Canonical parent directory, so messages show no "config/../". */
	{
		char parent[PATH_MAX], canon[PATH_MAX];
		snprintf(parent, sizeof parent, "%s", v->out);
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			if (mkdir_p(parent, 0755) == 0 && realpath(parent, canon)) {
				char tmp[PATH_MAX];
				snprintf(tmp, sizeof tmp, "%s/%s", canon, slash + 1);
				snprintf(v->out, sizeof v->out, "%s", tmp);
			}
		}
	}
	snprintf(v->runs, sizeof v->runs, "%s.runs", v->out);
	struct stat sb;
	if (lstat(v->out, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		if (!realpath(v->out, v->prev))
			v->prev[0] = '\0';
	}
	return ANGKA_OK;
}

static const struct angka_key_def run_keys[] = {
	{ "retention", ANGKA_KEY_INT, offsetof(struct run_opts, retention), NULL, 1, 100 },
	{ "pseudonymize_nik", ANGKA_KEY_ENUM, offsetof(struct run_opts, pseudonymize),
	  "none|hmac-sha256", 0, 0 },
	{ "key_file", ANGKA_KEY_PATH, offsetof(struct run_opts, key_file), NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

/* Decide for each step whether it reruns; fills reason. */
static int needs_run(struct env *v, struct step *st, const struct prev_state *ps,
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
	}
	snprintf(st->reason, sizeof st->reason, "unchanged");
	return 0;
}

static enum angka_err do_status(struct env *v, struct plan *p,
                                struct angka_error *e)
{
	(void)e;
	struct prev_state ps;
	prev_load(v, &ps);
	printf("published run: %s\n", v->prev[0] ? v->prev : "(none)");
	int upstream = 0;
	struct strlist dirty = { 0 };   /* outputs of steps that rerun */
	for (size_t i = 0; i < p->n; i++) {
		struct step *st = &p->s[i];
		char missing[PATH_MAX];
		st->hash[0] = '\0';
		if (v->prev[0])
			step_hash(st, v->config_abs, v->prev, missing, sizeof missing);
		int r = needs_run(v, st, &ps, upstream);
		for (size_t k = 0; k < st->inputs.n && !r; k++)
			for (size_t d = 0; d < dirty.n; d++)
				if (strcmp(st->inputs.v[k], dirty.v[d]) == 0) {
					r = 1;
					snprintf(st->reason, sizeof st->reason,
					         "input '%s' is rebuilt by an upstream step",
					         st->inputs.v[k]);
					break;
				}
		if (r) {
			upstream = 1;
			for (size_t k = 0; k < st->outputs.n; k++)
				sl_add(&dirty, st->outputs.v[k]);
		}
		printf("%-40s %-6s %s\n", st->name, r ? "rerun" : "skip", st->reason);
	}
	prev_free(&ps);
	sl_free(&dirty);
	return ANGKA_OK;
}

static enum angka_err do_run(struct env *v, struct plan *p, struct run_opts *ro,
                             struct angka_error *e)
{
	enum angka_err rc;
	if (mkdir_p(v->runs, 0755) != 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s':", v->runs);
	int lock_fd = -1;
	rc = take_lock(v, &lock_fd, e);
	if (rc != ANGKA_OK)
		return rc;
	/* The published run may have changed while we waited: re-read. */
	struct stat sb;
	v->prev[0] = '\0';
	if (lstat(v->out, &sb) == 0 && S_ISLNK(sb.st_mode) &&
	    !realpath(v->out, v->prev))
		v->prev[0] = '\0';
	snprintf(v->tmp, sizeof v->tmp, "%s/tmp-%ld", v->runs, (long)getpid());
	clean_runs(v, ro->retention);
	rm_rf(v->tmp);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd)) {
		close(lock_fd);
		return ANGKA_ERR(e, ANGKA_EIO, "getcwd:");
	}
	if (mkdir_p(v->tmp, 0755) != 0 || chdir(v->tmp) != 0) {
		close(lock_fd);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s':", v->tmp);
	}
	mkdir("private", 0700);
	mkdir("private/normalized", 0700);
	mkdir("private/quarantine", 0700);
	mkdir("indicators", 0755);
	v->log = fopen("run.log", "w");
	logf_(v, "angka %s: run of '%s' (pid %ld)", ANGKA_VERSION, v->config_abs,
	      (long)getpid());

	struct prev_state ps;
	prev_load(v, &ps);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = ANGKA_OK;
	int upstream = 0;
	for (size_t i = 0; i < p->n && rc == ANGKA_OK; i++) {
		struct step *st = &p->s[i];
		char missing[PATH_MAX] = "";
		if (step_hash(st, v->config_abs, ".", missing, sizeof missing) != 0) {
			rc = ANGKA_ERR(e, ANGKA_EINTERNAL,
			               "step '%s': input '%s' was not produced:",
			               st->name, missing);
			break;
		}
		int r = needs_run(v, st, &ps, upstream);
		if (!r) {
			for (size_t k = 0; k < st->outputs.n && rc == ANGKA_OK; k++) {
				char src[PATH_MAX];
				snprintf(src, sizeof src, "%s/%s", v->prev, st->outputs.v[k]);
				if (ensure_parent(".", st->outputs.v[k]) != 0 ||
				    link_or_copy(src, st->outputs.v[k]) != 0)
					rc = ANGKA_ERR(e, ANGKA_EIO, "cannot reuse '%s':", src);
			}
			st->skipped = 1;
			prev_counts(&ps, st);
			logf_(v, "%s: reused (%s)", st->name, st->reason);
			say(v, "%-36s reused (unchanged)", st->name);
			continue;
		}
		upstream = 1;
		logf_(v, "%s: runs (%s)", st->name, st->reason);
		struct timespec s0, s1;
		clock_gettime(CLOCK_MONOTONIC, &s0);
		rc = run_step(v, st, e);
		clock_gettime(CLOCK_MONOTONIC, &s1);
		st->seconds = (double)(s1.tv_sec - s0.tv_sec) +
		              (double)(s1.tv_nsec - s0.tv_nsec) / 1e9;
		st->ran = 1;
		if (rc == ANGKA_OK)
			say(v, "%-36s done in %.1f s", st->name, st->seconds);
	}
	lock_down_private("private");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
	              (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc == ANGKA_OK) {
		FILE *sf = fopen(".angka-state", "w");
		if (!sf)
			rc = ANGKA_ERR(e, ANGKA_EIO, "cannot write state:");
		for (size_t i = 0; sf && i < p->n; i++) {
			struct step *st = &p->s[i];
			fprintf(sf, "%s\t%s\t", st->name, st->hash);
			for (size_t c = 0; c < st->ncmd; c++) {
				struct counts *k = &st->counts[c];
				if (k->have)
					fprintf(sf, "%s%lld:%lld:%lld:%lld", c ? "|" : "",
					        k->in, k->out, k->quarantined, k->duplicates);
				else
					fprintf(sf, "%s-1:-1:-1:-1", c ? "|" : "");
			}
			fputc('\n', sf);
		}
		if (sf && fclose(sf) != 0)
			rc = ANGKA_ERR(e, ANGKA_EIO, "cannot write state:");
	}
	enum angka_err mrc = write_manifest(v, p, rc == ANGKA_OK ? "ok" : "failed",
	                                    secs, e);
	if (rc == ANGKA_OK)
		rc = mrc;
	logf_(v, "run %s in %.1f s", rc == ANGKA_OK ? "finished" : "failed", secs);
	if (v->log && fclose(v->log) != 0 && rc == ANGKA_OK)
		rc = ANGKA_ERR(e, ANGKA_EIO, "cannot write run.log:");
	v->log = NULL;
	prev_free(&ps);
	if (chdir(cwd) != 0 && rc == ANGKA_OK)
		rc = ANGKA_ERR(e, ANGKA_EIO, "chdir:");
	if (rc == ANGKA_OK) {
		char run_id[128];
		rc = publish(v, run_id, sizeof run_id, e);
		if (rc == ANGKA_OK) {
			snprintf(v->prev, sizeof v->prev, "%s/%s", v->runs, run_id);
			clean_runs(v, ro->retention);
			say(v, "published %s -> %s", v->out, run_id);
		}
	} else {
		/* A failed run is removed: it may hold personal data outside a
		 * published, access-controlled tree. Keep its log beside the
		 * runs for diagnosis (the log holds no personal data). */
		char logp[PATH_MAX], keep[PATH_MAX];
		snprintf(logp, sizeof logp, "%s/run.log", v->tmp);
		snprintf(keep, sizeof keep, "%s/failed-run.log", v->runs);
		rename(logp, keep);
		rm_rf(v->tmp);
	}
	close(lock_fd);
	return rc;
}

/*
 * angka check: the config parsed (done by setup), every input exists, every
 * input's header matches its profile (angka-ingest --check), and every stage
 * accepts its config section (angka-STAGE --check-config). Nothing is run on
 * data and nothing is written.
 */
/* Run one check command (argv a, freed here): 1 if it failed, with its
 * stderr shown on stderr; on success its stderr goes to stdout if echo. */
static int check_cmd(struct strlist *a, int echo)
{
	struct proc_cmd cmd = { a->v, NULL, NULL };
	struct proc_result res;
	int failed = proc_run_pipeline(&cmd, 1, &res, NULL, NULL) != 0;
	if (failed)
		fprintf(stderr, "%s", res.err ? res.err : "");
	else if (echo)
		fputs(res.err ? res.err : "", stdout);
	proc_results_release(&res, 1);
	sl_free(a);
	return failed;
}

static enum angka_err do_check(struct env *v, struct plan *p,
                               struct angka_error *e)
{
	int bad = 0;
	char first[600] = "";
	for (int k = 0; k < ANGKA_KIND_COUNT; k++) {
		struct angka_input_list *in = &v->cfg.input[k];
		if (!in->nfiles)
			continue;
		struct strlist a = { 0 };
		prog(v, &a, "angka-ingest");
		sl_addf(&a, "--kind=%s", angka_kind_name((enum angka_kind)k));
		sl_addf(&a, "--config=%s", v->config_abs);
		sl_add(&a, "--check");
		for (size_t i = 0; i < in->nfiles; i++)
			sl_add(&a, in->files[i]);
		if (check_cmd(&a, !v->o->quiet)) {
			bad++;
			if (!first[0])
				snprintf(first, sizeof first, "input of kind '%s' does "
				         "not match its profile",
				         angka_kind_name((enum angka_kind)k));
		}
	}
	/* The stages from dedup on read a config section; ingest and
	 * normalize were checked with the inputs above. */
	for (size_t s = DRIVER_STAGE_DEDUP; s < driver_nstages; s++) {
		struct strlist a = { 0 };
		prog(v, &a, driver_stages[s].program);
		sl_addf(&a, "--config=%s", v->config_abs);
		sl_add(&a, "--check-config");
		if (check_cmd(&a, 0)) {
			bad++;
			if (!first[0])
				snprintf(first, sizeof first, "stage '%s' rejects the "
				         "config", driver_stages[s].name);
		}
	}
	if (bad)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s': %d problem%s; first: %s",
		                 v->config_abs, bad, bad > 1 ? "s" : "", first);
	if (!v->o->quiet)
		printf("config '%s' is valid: %zu steps, every input's header "
		       "matches its profile\n", v->config_abs, p->n);
	return ANGKA_OK;
}

enum angka_err driver_main(const struct driver_opts *o, struct angka_error *e)
{
	if (o->from && stage_index(o->from) < 0)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "unknown stage '%s' for --from", o->from);
	if (o->only && stage_index(o->only) < 0)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "unknown stage '%s' for --only", o->only);
	struct env v;
	enum angka_err rc = setup(&v, o, e);
	v.ro.retention = 2;
	if (rc == ANGKA_OK)
		rc = angka_config_apply(&v.cfg, "run", run_keys, &v.ro, e);
	if (rc == ANGKA_OK && v.ro.pseudonymize && !v.ro.key_file)
		rc = ANGKA_ERR(e, ANGKA_ECONFIG, "'%s': [run] pseudonymize_nik = "
		               "hmac-sha256 needs key_file", v.config_abs);
	struct plan p = { 0 };
	if (rc == ANGKA_OK) {
		plan_build(&v, &p);
		switch (o->cmd) {
		case DRIVER_CHECK:
			rc = do_check(&v, &p, e);
			break;
		case DRIVER_STATUS:
			rc = do_status(&v, &p, e);
			break;
		case DRIVER_RUN:
			rc = do_run(&v, &p, &v.ro, e);
			break;
		}
	}
	plan_free(&p);
	angka_config_release(&v.cfg);
	return rc;
}
