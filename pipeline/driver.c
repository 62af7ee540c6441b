/*
 * driver.c - the commands of `angka`: setup (config, inputs, directories)
 * and run, status and check over the plan (plan.c).
 *
 * run: under the lock, in a fresh run directory, every step whose hash
 * (hash.c) equals the one recorded by the published run is reused: its
 * outputs are copied from the published run, each checked on the way
 * against the hash that run recorded (step.c, hash.c); the others run
 * (step.c). Then the state, the manifest (manifest.c) and run.log are
 * written and the run is published atomically.
 */
#include "driver_int.h"
#include "proc.h"
#include "report.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Main.                                                               */

static enum angka_err setup(struct env *v, const struct driver_opts *o,
                            struct angka_error *e)
{
	memset(v, 0, sizeof *v);
	v->o = o;
	v->parent_fd = v->runs_fd = -1;
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
	if (strcmp(v->out, "/") == 0)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s': output_dir is '/': angka "
		                 "publishes a symlink named output_dir beside "
		                 "output_dir.runs; name a directory inside it",
		                 v->config_abs);
	snprintf(v->runs, sizeof v->runs, "%s.runs", v->out);
	char *slash = strrchr(v->out, '/');
	snprintf(v->outbase, sizeof v->outbase, "%s", slash + 1);
	snprintf(v->parent, sizeof v->parent, "%.*s",
	         slash == v->out ? 1 : (int)(slash - v->out), v->out);
	return check_output_dir(v, e);
}

static const struct angka_key_def run_keys[] = {
	{ "retention", ANGKA_KEY_INT, offsetof(struct run_opts, retention), NULL, 1, 100 },
	{ "retention_personal_days", ANGKA_KEY_INT,
	  offsetof(struct run_opts, personal_days), NULL, 0, 36500 },
	{ "pseudonymize_nik", ANGKA_KEY_ENUM, offsetof(struct run_opts, pseudonymize),
	  "none|hmac-sha256", 0, 0 },
	{ "key_file", ANGKA_KEY_PATH, offsetof(struct run_opts, key_file), NULL, 0, 0 },
	{ "k_anonymity", ANGKA_KEY_INT, offsetof(struct run_opts, k_anonymity), NULL, 1, 1000000 },
	{ "lang", ANGKA_KEY_ENUM, offsetof(struct run_opts, lang), "id|en", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

/* [output]: the form of the published tables (excel.c). */
static const struct angka_key_def output_keys[] = {
	{ "csv", ANGKA_KEY_ENUM, offsetof(struct run_opts, csv),
	  "rfc4180|excel-id", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

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

/* SIGTERM, SIGINT, SIGHUP during a run: note the signal; proc.c stops the
 * children, do_run() removes the run directory and driver_main()'s caller
 * exits 128+N. A signal the driver inherited as ignored (nohup, a
 * background job's SIGINT) stays ignored. */
static void on_stop(int sig)
{
	proc_stop_signal = sig;
}

static void catch_stop_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct sigaction old, sa;
		if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_stop;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		sigaction(sigs[i], &sa, NULL);
	}
}

/* ANGKA_EIO with v->signo set if a stop signal arrived (whatever rc says:
 * a stage stopped by it failed because of it), else rc. */
static enum angka_err check_stop(struct env *v, enum angka_err rc,
                                 struct angka_error *e)
{
	int sig = proc_stop_signal;
	if (!sig)
		return rc;
	v->signo = sig;
	return ANGKA_ERR(e, ANGKA_EIO, "stopped by signal %d (%s): the run is "
	                 "removed, the published run is unchanged", sig,
	                 strsignal(sig));
}

static enum angka_err do_run(struct env *v, struct plan *p, struct run_opts *ro,
                             struct angka_error *e)
{
	enum angka_err rc;
	catch_stop_signals();
	if ((rc = open_runs(v, e)) != ANGKA_OK)
		return rc;
	int lock_fd = -1;
	rc = take_lock(v, &lock_fd, e);
	if (rc != ANGKA_OK)
		return rc;
	/* The published run may have changed while we waited: re-read. */
	v->prev[0] = '\0';
	if ((rc = check_output_dir(v, e)) != ANGKA_OK) {
		close(lock_fd);
		return rc;
	}
	snprintf(v->tmpname, sizeof v->tmpname, "tmp-%ld", (long)getpid());
	snprintf(v->tmp, sizeof v->tmp, "%s/%s", v->runs, v->tmpname);
	clean_runs(v, ro->retention);
	rm_rf_at(v->runs_fd, v->tmpname);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd)) {
		close(lock_fd);
		return ANGKA_ERR(e, ANGKA_EIO, "getcwd:");
	}
	/* A directory this run made (never one that was there), 0700 until
	 * it is published. */
	int tfd = -1;
	if (mkdirat(v->runs_fd, v->tmpname, 0700) != 0 ||
	    (tfd = openat(v->runs_fd, v->tmpname, O_RDONLY | O_DIRECTORY |
	                  O_NOFOLLOW | O_CLOEXEC)) < 0 || fchdir(tfd) != 0) {
		rc = ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s':", v->tmp);
		if (tfd >= 0)
			close(tfd);
		close(lock_fd);
		return rc;
	}
	close(tfd);
	mkdir("private", 0700);
	mkdir("private/normalized", 0700);
	mkdir("private/quarantine", 0700);
	mkdir("indicators", 0755);
	v->log = fopen_new("run.log", 0644);
	logf_(v, "angka %s: run of '%s' (pid %ld)", ANGKA_VERSION, v->config_abs,
	      (long)getpid());

	struct prev_state ps;
	prev_load(v, &ps);
	v->ps = &ps;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = sched_run(v, p, &ps, e);
	rc = check_stop(v, rc, e);
	/* The engines' task scripts and logs are no part of the run. */
	if (rm_rf_at(AT_FDCWD, ".engine") != 0 && rc == ANGKA_OK)
		rc = ANGKA_ERR(e, ANGKA_EIO, "cannot remove '%s/.engine':", v->tmp);
	struct report rep;
	memset(&rep, 0, sizeof rep);
	if (rc == ANGKA_OK)
		rc = report_build(v, &rep, e);
	/* Last, so every table is final; before the state and manifest, so
	 * a failure fails the run. */
	if (rc == ANGKA_OK && ro->csv)
		rc = check_stop(v, excel_copies(v, e), e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
	              (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc == ANGKA_OK) {
		FILE *sf = fopen_new(".angka-state", 0644);
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
				for (size_t j = 0; k->have_identity &&
				                   j < IDENTITY_NCOUNTS; j++)
					fprintf(sf, ":%lld", k->identity[j]);
			}
			/* The outputs' hashes: what a reuse is checked against. */
			fputc('\t', sf);
			for (size_t k = 0; k < st->out_hash.n; k++)
				fprintf(sf, "%s%s=%s", k ? ";" : "", st->outputs.v[k],
				        st->out_hash.v[k]);
			fputc('\n', sf);
		}
		if (sf && fclose(sf) != 0)
			rc = ANGKA_ERR(e, ANGKA_EIO, "cannot write state:");
	}
	enum angka_err mrc = write_manifest(v, p, rc == ANGKA_OK ? "ok" : "failed",
	                                    secs, e);
	if (rc == ANGKA_OK)
		rc = mrc;
	if (rc != ANGKA_OK)
		logf_(v, "error: %s", e->msg);
	logf_(v, "run %s in %.1f s", rc == ANGKA_OK ? "finished" : "failed", secs);
	if (v->log && fclose(v->log) != 0 && rc == ANGKA_OK)
		rc = ANGKA_ERR(e, ANGKA_EIO, "cannot write run.log:");
	v->log = NULL;
	v->ps = NULL;
	prev_free(&ps);
	if (rc == ANGKA_OK)
		set_run_modes(".");
	if (chdir(cwd) != 0 && rc == ANGKA_OK)
		rc = ANGKA_ERR(e, ANGKA_EIO, "chdir:");
	rc = check_stop(v, rc, e);
	if (rc == ANGKA_OK) {
		char run_id[128];
		rc = publish(v, run_id, sizeof run_id, e);
		if (rc == ANGKA_OK) {
			snprintf(v->prev, sizeof v->prev, "%s/%s", v->runs, run_id);
			clean_runs(v, ro->retention);
			say(v, "published %s -> %s", v->out, run_id);
			report_print(v, &rep);
		} else {
			/* The log is closed: the publication's error goes after
			 * its last line. */
			char logp[PATH_MAX];
			snprintf(logp, sizeof logp, "%s/run.log", v->tmpname);
			int fd = openat(v->runs_fd, logp, O_WRONLY | O_APPEND |
			                O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0) {
				dprintf(fd, "error: %s\n", e->msg);
				close(fd);
			}
		}
	}
	if (rc != ANGKA_OK) {
		/* A failed run is removed: it may hold personal data outside a
		 * published, access-controlled tree. Keep its log beside the
		 * runs for diagnosis (the log holds no personal data). */
		char logp[PATH_MAX];
		snprintf(logp, sizeof logp, "%s/run.log", v->tmpname);
		/* 0600: the stages' messages are in it. */
		fchmodat(v->runs_fd, logp, 0600, 0);
		renameat(v->runs_fd, logp, v->runs_fd, "failed-run.log");
		rm_rf_at(v->runs_fd, v->tmpname);
	}
	report_free(&rep);
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
	struct proc_cmd cmd = { a->v, NULL, NULL, NULL };
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
		prog(v, &a, DRIVER_STAGE_INGEST);
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
		prog(v, &a, (enum driver_stage_id)s);
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

enum angka_err driver_main(const struct driver_opts *o, struct angka_error *e,
                           int *signo)
{
	if (o->from && stage_index(o->from) < 0)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "unknown stage '%s' for --from", o->from);
	if (o->only && stage_index(o->only) < 0)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "unknown stage '%s' for --only", o->only);
	/* Only a hash log of the driver's own (hash.c) is read: a value
	 * from the caller's environment reaches no stage. */
	unsetenv(HASH_LOG_ENV);
	struct env v;
	enum angka_err rc = setup(&v, o, e);
	v.ro.retention = 2;
	v.ro.k_anonymity = 5;
	if (rc == ANGKA_OK)
		rc = angka_config_apply(&v.cfg, "run", run_keys, &v.ro, e);
	if (rc == ANGKA_OK)
		rc = angka_config_apply(&v.cfg, "output", output_keys, &v.ro, e);
	if (rc == ANGKA_OK && v.ro.pseudonymize && !v.ro.key_file)
		rc = ANGKA_ERR(e, ANGKA_ECONFIG, "'%s': [run] pseudonymize_nik = "
		               "hmac-sha256 needs key_file", v.config_abs);
	if (rc == ANGKA_OK && v.ro.pseudonymize)
		rc = export_key_check(&v, e);
	if (rc == ANGKA_OK)
		rc = engine_setup(&v, e);
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
		case DRIVER_FORGET:
			rc = forget_niks(&v, e);
			break;
		}
	}
	plan_free(&p);
	angka_config_release(&v.cfg);
	if (v.runs_fd >= 0)
		close(v.runs_fd);
	if (v.parent_fd >= 0)
		close(v.parent_fd);
	*signo = rc != ANGKA_OK ? v.signo : 0;
	return rc;
}
