/*
 * driver_int.h - what the files of the driver `angka` share (not for the
 * stages: they never see it). driver.h is the driver's public side.
 *
 * Ownership: driver_main() owns the one struct env and the one struct plan
 * of a command, both on its stack. struct plan owns its steps; a step owns
 * its name and every string of its string lists (freed by plan_free()); its
 * collect_from points at a string literal. struct prev_state owns its
 * strings (prev_free()). struct env owns cfg (angka_config_release()) and
 * its log FILE while a run is under way; ro.key_file points into cfg.
 *
 * Out of memory: the driver's own allocations go through angka_x*()
 * (xalloc.h), which print the size and exit 1 (see driver.h); proc.c uses
 * plain malloc and says in proc.h what it does instead.
 *
 * The files, none of which calls back into one that calls it:
 *   main.c      the command line
 *   driver.c    setup, and the commands run, status and check
 *   stages.c    the stage table (names in enum driver_stage_id, driver.h)
 *   plan.c      config -> steps: argv, inputs, outputs, sections of each
 *   sched.c     which steps run when: dependencies, --jobs, threads
 *   engine.c    [engine]: task scripts run by GNU parallel or Slurm
 *   shard.c     [engine] shards: normalize:dtks + dedup:dtks as tasks
 *   step.c      does a step rerun (needs_run), run one step (run_step)
 *   export.c    the pseudonymized DTKS export (a driver-internal step)
 *   forget.c    the command forget (one person's rows out of every run)
 *   excel.c     [output] csv = excel-id: excel-id copies of the tables
 *   hash.c      step hashes and file digests
 *   rundir.c    run directory, lock, state, publication, retention
 *   manifest.c  manifest.json
 *   log.c       run.log and progress messages
 *   proc.c      child pipelines (proc.h)
 *
 * Adding a driver step: a block in plan_build() (plan.c) naming its stages
 * and its paths with step_in()/step_out(). A driver-internal step (no
 * child process) also needs a flag in struct step and its branch in
 * run_step(). Adding a stage: a value in enum driver_stage_id (driver.h),
 * its row in driver_stages[] (stages.c), and the steps that run it.
 */
#ifndef ANGKA_DRIVER_INT_H
#define ANGKA_DRIVER_INT_H

#include "driver.h"
#include "number.h"

/* Paths here are built from realpath()ed directories (< PATH_MAX) plus short
 * fixed suffixes; a truncated path fails at open/rename with a clear error,
 * so GCC's speculative truncation warnings are noise for the driver's files
 * (every one includes this header first). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* A NULL-terminated list of owned strings (an argv, a list of paths). */
struct strlist {
	char **v;
	size_t n;
};

/* The trend step's files that are also state carried from the published
 * run into the next (plan.c names them, run_step() in step.c carries). */
#define TREND_HISTORY "trend/history.csv"
#define TREND_REVISIONS "trend/revisions.csv"
#define TREND_PREVIOUS_HISTORY "trend/.history.previous.csv"

/* Commands in one step's pipeline (ingest | normalize is the longest). */
#define MAXCMD 2
/* Commands in one pipe the driver or an engine runs: a step's, and the one
 * command of the step reading its stdout (struct step: pipe_to, piped). */
#define MAXPIPE (MAXCMD + 1)

/* Row counts one stage reported ("rows in N, out N, ..."). */
/* The identity counts angka-dedup reports (NIKs not used as evidence,
 * merges refused), in the order of identity_names (step.c). */
enum { IDENTITY_NCOUNTS = 5 };
extern const char *const identity_names[IDENTITY_NCOUNTS];

struct counts {
	int have;
	long long in, out, quarantined, duplicates;
	int have_identity;            /* dedup printed its identity line */
	long long identity[IDENTITY_NCOUNTS];
};

/* What identifies the bytes of a file without reading them: a change in
 * any (ctime included, which even a restored copy changes) means the file
 * changed. */
struct file_id {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

/* An input as the step's hash saw it. */
struct input_id {
	char hash[65];
	struct file_id id;
};

struct plan;

/* The run-relative directory of a sharded DTKS run's intermediate files
 * (personal data, 0700; removed once the merge ended, never published). */
#define SHARD_DIR ".shards"

/* One step of the plan: one child pipeline, or one driver-internal step. */
struct step {
	char *name;
	int first_stage, last_stage;  /* enum driver_stage_id */
	struct strlist argv[MAXCMD];
	size_t ncmd;
	struct strlist inputs;    /* absolute (external) or run-relative */
	struct strlist outputs;   /* run-relative */
	struct strlist sections;  /* config sections hashed */
	struct strlist warnings;  /* its stages' "warning:" lines (this run) */
	const char *collect_from; /* internal concatenation step */
	int export_step;          /* internal pseudonymized export */
	int trend_step;           /* carries history/revisions from the last run */
	char hash[65];
	struct input_id *in_id;   /* per input, filled by step_hash() */
	struct strlist out_hash;  /* per output: tree_hash(), "-" if absent */
	int skipped, ran, status;
	int deferred;             /* slurm: submitted before its inputs existed,
	                           * hashed once its job ended (sched.c) */
	/* Sharded DTKS ([engine] shards > 1, shard.c): normalize:dtks holds
	 * in shard the tasks that replace the pipe of it and dedup:dtks
	 * (ingest to a file, normalize K/N, dedup --recs-out per part,
	 * dedup --shard K/S, the merge), their files in SHARD_DIR. Those
	 * tasks are no steps of the plan: never hashed, reused or recorded;
	 * sub_task set, the phase they run in; no_counts: the stage prints
	 * no row counts in that mode. dedup:dtks holds in shard the tasks
	 * that replace it when it reruns alone, on the table (phases 2-4). */
	struct plan *shard;
	int sub_task, phase, no_counts;
	/* One pipe for two steps (plan.c: normalize:dtks | dedup:dtks): a
	 * step whose last command writes its output file and, with --tee,
	 * the same bytes to stdout names in pipe_to the plan index of the
	 * step reading that file (0: none; never the first step), which
	 * holds in pipe_argv its command reading stdin instead. When the
	 * first runs and the second can start with it, the scheduler runs
	 * them as one pipe: piped points at the second, which has
	 * piped_from set and is hashed once the pipe ended (its input
	 * exists only then). Each keeps its own hash, so a change of the
	 * second's config reruns only the second (reading the file). */
	size_t pipe_to;
	struct strlist pipe_argv;
	struct step *piped;
	int piped_from;
	double seconds;
	char reason[256];
	struct counts counts[MAXCMD];
};

/* The steps of one run, in the order they run. */
struct plan {
	struct step *s;
	size_t n;
};

/* The [run] section of the config. */
struct run_opts {
	long retention;
	long personal_days;       /* retention_personal_days, 0: no limit */
	int pseudonymize;
	const char *key_file;
	long k_anonymity;         /* shared export: smallest class (5) */
	int lang;                 /* ringkasan.html, console: 0 id, 1 en */
	int csv;                  /* [output] csv: 0 rfc4180, 1 excel-id */
};

/* How steps run (sched.c, engine.c): [engine] and --engine, --jobs. */
enum engine_type { ENGINE_LOCAL, ENGINE_PARALLEL, ENGINE_SLURM };

struct engine_opts {
	int type;                 /* enum engine_type */
	long jobs;                /* steps (local) or tasks (parallel) at once */
	const char *hosts;        /* parallel: ssh hosts, "," or " " apart */
	const char *partition;    /* slurm */
	const char *account;      /* slurm */
	const char *time_limit;   /* slurm --time */
	long retries;             /* extra attempts of a failed task */
	const char *parallel;     /* the GNU parallel program */
	const char *sbatch;       /* the sbatch program */
	int submit;               /* slurm: enum slurm_submit */
	const char *shards_s;     /* [engine] shards: a count or "auto" */
	long shards;              /* DTKS parts and dedup shards (1: none) */
};

/* How the slurm engine submits: every step it can at once, chained by
 * --dependency=afterok (plan), or the steps ready at each moment (levels:
 * a step downstream of a rerun is hashed before it is submitted, so it is
 * reused when its inputs came out the same bytes). */
enum slurm_submit { SUBMIT_PLAN, SUBMIT_LEVELS };

/* Everything one command knows: options, config, directories, log. */
struct env {
	struct run_opts ro;
	struct engine_opts eo;
	long jobs;                /* steps running at once (1: serial) */
	const struct driver_opts *o;
	struct angka_config cfg;
	char config_abs[PATH_MAX];
	char bindir[PATH_MAX];
	char out[PATH_MAX];       /* output_dir (the published symlink) */
	char runs[PATH_MAX];      /* output_dir.runs */
	char parent[PATH_MAX];    /* the directory holding output_dir */
	char outbase[NAME_MAX + 1]; /* the last component of out */
	int parent_fd, runs_fd;   /* open during a run, else -1 */
	char tmp[PATH_MAX];       /* this run's directory */
	char tmpname[64];         /* its name in runs: "tmp-<pid>" */
	const struct prev_state *ps; /* the published run's, during a run */
	char prev[PATH_MAX];      /* published run dir, "" if none */
	FILE *log;
	int tty;
	int signo;                /* a stage died by (or we got) signal signo */
};

/* Step name -> hash and counts, from the published run's .angka-state,
 * and "path=hash" of every output it recorded. */
struct prev_state {
	char **name, **hash, **counts;
	size_t n;
	struct strlist outs;
};

/* stages.c ------------------------------------------------------------ */

/* Index of the stage called name in driver_stages[], or -1. */
int stage_index(const char *name);

/* plan.c -------------------------------------------------------------- */

/* Append a copy of s to l (l->v stays NULL-terminated). */
void sl_add(struct strlist *l, const char *s);
/* Append a formatted string (cut at PATH_MAX + 255 bytes) to l. */
void sl_addf(struct strlist *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Free the strings of l and empty it; l can be reused. */
void sl_free(struct strlist *l);

/* Append the absolute path of stage s's program (driver_stages[s].program
 * in v->bindir) to argv. */
void prog(struct env *v, struct strlist *argv, enum driver_stage_id s);
/* Fill the empty plan p with the steps the config of v asks for. */
void plan_build(struct env *v, struct plan *p);
/* Free every step of p and empty it. */
void plan_free(struct plan *p);

/* hash.c -------------------------------------------------------------- */

/* n bytes d as lowercase hex into out (2n + 1 chars). */
/* sha256 of a file's bytes into out (65 chars), its size into *size if
 * size; -1 with errno on failure. */
int sha256_file(const char *path, char *out, long long *size);
/* The same, with the file's identity before it was read into *id (may be
 * NULL). */
int sha256_file_id(const char *path, char *out, long long *size,
                   struct file_id *id);
/* Fill id from sb; 1 if a and b are the same unchanged file. */
void file_id_of(const struct stat *sb, struct file_id *id);
int file_id_same(const struct file_id *a, const struct file_id *b);
/* The hash of an output into out (65 chars): a file's sha256, or for a
 * directory the sha256 of its sorted entries' names and hashes. With dst,
 * the output is copied to dst (new files 0600, directories 0700) in the
 * same pass, so what is hashed is what is copied. -1 with errno (EINVAL:
 * neither a file nor a directory). */
int tree_hash(const char *src, const char *dst, char *out);
/* hash, the sha256 of the file of identity id (shard.c: a table hashed
 * while it was concatenated; tree_hash() of a regular file without dst
 * remembers what it read): sha256_file_id() and tree_hash() without dst
 * return it while the file is unchanged (same device, inode, size, mtime
 * and ctime) instead of reading it again. Per process, thread-safe. */
void hash_remember(const struct file_id *id, const char *hash);
/*
 * The hash log of one local run of a step or a pipe: the stages append a
 * line per output file they wrote (angka_csv_writer_commit with the
 * environment variable HASH_LOG_ENV, csv_writer.h) with its identity and
 * the sha256 of the bytes written, and the driver remembers those
 * (hash_remember) so that tree_hash() finds them instead of reading the
 * files back. hash.c says why a line is trusted only by identity.
 */
#define HASH_LOG_ENV "ANGKA_HASH_LOG"
struct hash_log {
	char path[PATH_MAX];          /* the log, "" if none */
	char kv[PATH_MAX + 32];       /* HASH_LOG_ENV=path */
	char **envp;                  /* the driver's environment with kv, for
	                               * proc_cmd.envp; NULL if no log */
};
/* Create an empty log (0600) in the current directory (the run
 * directory) and the commands' environment naming it. Never fails: with
 * no log (envp NULL) the commands get the driver's environment and the
 * outputs are read and hashed as before. */
void hash_log_open(struct hash_log *hl);
/* After the commands ended: every well-formed line remembered, the log
 * removed, envp freed. The number of lines remembered. */
size_t hash_log_close(struct hash_log *hl);
/* Hash step st into st->hash, its run-relative inputs looked up under
 * rundir and the sections read from config; -1 (errno) with the input that
 * cannot be read in missing (cap bytes). */
int step_hash(struct step *st, const char *config, const char *rundir,
              char *missing, size_t cap);

/* log.c --------------------------------------------------------------- */

/* A timestamped line in v->log (nothing if no log is open). */
void logf_(struct env *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Lines logged by this thread go to a buffer from log_hold() until
 * log_release() appends them to v->log in one piece: the lines of a step
 * run beside others stay together. */
void log_hold(void);
void log_release(struct env *v);
/* "angka: message" on stderr, unless --quiet. */
void say(struct env *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* excel.c ------------------------------------------------------------- */

/* In the run directory (the cwd): excel/REL, the excel-id copy of each
 * published CSV table REL (excel.c says which). ANGKA_EIO. */
enum angka_err excel_copies(struct env *v, struct angka_error *e);

/* rundir.c ------------------------------------------------------------ */

/* mkdir -p: parents 0755, path itself with mode; -1 with errno. */
int mkdir_p(const char *path, mode_t mode);
/* rm -rf name under the directory dirfd (never following a symlink, so
 * nothing outside it is reached); 0 if it is gone, else -1. */
int rm_rf_at(int dirfd, const char *name);
/* fopen(path, "w") of a new file (O_CREAT | O_EXCL | O_NOFOLLOW: never an
 * existing file or a symlink) with mode; NULL with errno. */
FILE *fopen_new(const char *path, mode_t mode);
/* Create the directory holding rundir/rel (0700 under private/). */
int ensure_parent(const char *rundir, const char *rel);
/* The modes of a run about to be published, read-only for everyone: the
 * stages write every file 0600 (csv_writer.h); published aggregates become
 * 0444 in 0555 directories, private/ and shared/ 0400 in 0500 ones. A
 * published run never changes (retention and `angka forget` open up what
 * they remove or rewrite). */
void set_run_modes(const char *dir);

/* Read the published run's .angka-state into ps (empty if none). */
void prev_load(struct env *v, struct prev_state *ps);
/* The published hash of step name, or NULL. */
const char *prev_hash(const struct prev_state *ps, const char *name);
/* Fill st->counts from the published state of the same step. */
void prev_counts(const struct prev_state *ps, struct step *st);
/* The hash the published run recorded for its output rel, or NULL. */
const char *prev_out_hash(const struct prev_state *ps, const char *rel);
/* Free what prev_load() read. */
void prev_free(struct prev_state *ps);

/* Refuse an output_dir another account could tamper with: its parent
 * directory (v->parent) not this user's or root's, or writable by everyone
 * without the sticky bit (group-writable: a warning); v->runs a symlink or
 * not this user's, or writable by others; v->out a symlink angka did not
 * make. Sets v->prev to the published run, if any. ANGKA_ECONFIG. */
enum angka_err check_output_dir(struct env *v, struct angka_error *e);
/* Open v->parent (v->parent_fd) and create or open v->runs (v->runs_fd),
 * with the checks of check_output_dir() on the open descriptors. */
enum angka_err open_runs(struct env *v, struct angka_error *e);
/* flock() v->runs/lock without waiting and write our pid into it; the fd
 * in *fd_out (close it to unlock); ANGKA_ELOCKED if another run holds it.
 * The lock is opened O_NOFOLLOW and must be a plain file of this user's
 * with one link, else ANGKA_ECONFIG (it is never truncated). */
enum angka_err take_lock(struct env *v, int *fd_out, struct angka_error *e);
/* Remove tmp-* dirs of killed runs and all but the newest `retention`
 * run-* dirs (never the published one), by name under v->runs_fd; with
 * v->ro.personal_days, remove private/ and shared/ of the kept run-* and
 * legacy-* dirs older than that (not the published run), marking each in
 * its manifest ("edits"). */
void clean_runs(struct env *v, long retention);
/* syncfs v->tmp, rename it to v->runs/<run-id> (run_id, cap bytes) and
 * point the v->out symlink at it with rename(2) (a real directory there is
 * moved aside to v->runs/legacy-*); all relative to v->runs_fd and
 * v->parent_fd. */
enum angka_err publish(struct env *v, char *run_id, size_t cap,
                       struct angka_error *e);

/* manifest.c ---------------------------------------------------------- */

/* The rows of the CSV at path, its header not counted, or -1 if it cannot
 * be read: a newline inside double quotes is no row end (the files angka
 * writes quote every field holding a quote). */
long long csv_rows(const char *path);

/* Write manifest.json in the current directory (via a temp file and
 * rename) for plan p, run status ("ok" or "failed") and wall time. */
enum angka_err write_manifest(struct env *v, struct plan *p,
                              const char *status, double seconds,
                              struct angka_error *e);

/* Append edit (one JSON object, no newline) to the "edits" list at the
 * end of manifest.json in the run directory rundir (named run in
 * messages), via a temp file and rename; the directory must be writable. */
enum angka_err manifest_add_edit(int rundir, const char *run, const char *edit,
                                 struct angka_error *e);

/* forget.c ------------------------------------------------------------ */

/* angka forget: remove the rows of the persons v->o->niks from the
 * private/ and shared/ files of every run in v->runs (under the lock),
 * print where they were (naming each NIK by its position only) and mark
 * each edited run in its manifest. ANGKA_EUSAGE for an argument that is
 * not a NIK (not echoed). */
enum angka_err forget_niks(struct env *v, struct angka_error *e);

/* export.c ------------------------------------------------------------ */

/* Run the export step st in the run directory (the current directory):
 * st->inputs.v[0] pseudonymized with v->ro.key_file into st->outputs.v[0]. */
enum angka_err export_pseudonym(struct env *v, struct step *st,
                                struct angka_error *e);
/* The key of [run] key_file into key (capacity 4096), its length in *len:
 * a regular file owned by the effective user, no access for group or
 * others, 16 to 4096 bytes (a final line end dropped), used whole. */
enum angka_err export_key_load(const char *path, uint8_t *key, size_t *len,
                               struct angka_error *e);
/* export_key_load() of v->ro.key_file, the key discarded: the config check
 * before anything runs. */
enum angka_err export_key_check(const struct env *v, struct angka_error *e);
/* The pseudonym of the value val (len bytes) in the column label of the
 * shared export: HMAC-SHA256(key, label NUL val) truncated to 128 bits,
 * as 32 lower-case hex digits and a NUL into out (33 bytes). */
void export_pseudonym_of(const uint8_t *key, size_t klen, const char *label,
                         const char *val, size_t len, char *out);

/* sched.c ------------------------------------------------------------- */

/* 1 if step b reads an output of step a (a run-relative input). */
int step_reads(const struct step *b, const struct step *a);

/* Run the steps of p in the run directory (the current directory): each
 * step once every step producing one of its inputs is done, up to v->jobs
 * at a time (or as many as the engine takes), reused from the published
 * run ps where needs_run() allows. The first failure is the result; steps
 * already running finish, no new one starts. */
enum angka_err sched_run(struct env *v, struct plan *p, struct prev_state *ps,
                         struct angka_error *e);

/* engine.c ------------------------------------------------------------ */

/* The [engine] section and the command line into v->eo and v->jobs. */
enum angka_err engine_setup(struct env *v, struct angka_error *e);
/* Run the child-pipeline steps st[0..n-1] (prepared, commands logged, in
 * plan order; a step may read another's outputs: Slurm chains their jobs)
 * through GNU parallel or Slurm, a step's piped partner (st[i]->piped) in
 * its task; each one's results in res[i * MAXPIPE ..] (its commands, then
 * the partner's),
 * cancelled[i] 1 if the engine stopped it because another task failed;
 * -1 with e set if the engine itself failed (then no result is valid). */
struct proc_result;
int engine_run_batch(struct env *v, struct step **st, size_t n,
                     struct proc_result *res, int *cancelled,
                     struct angka_error *e);
/* The name of an engine type. */
const char *engine_name(int type);

/* shard.c ------------------------------------------------------------- */

/* Run step a (normalize:dtks, prepared) and a->piped (dedup:dtks) as the
 * tasks of a->shard, phase by phase (Slurm: all at once, chained), on the
 * engine of v; then a's outputs from the parts, b's from the merge, the
 * counts and the checks of step_finish_piped(), whose results it gives.
 * SHARD_DIR is removed at the end whatever happened. */
void shard_run(struct env *v, struct step *a, enum angka_err rc[2],
               struct angka_error e[2], int *b_first);
/* Run step b (dedup:dtks rerunning alone on the table) as the tasks of
 * b->shard: --recs-out of the table, the dedup shards, the merge; its
 * counts from the merge, its outputs checked and hashed as run_step()
 * does. */
enum angka_err shard_run_alone(struct env *v, struct step *b,
                               struct angka_error *e);

/* step.c -------------------------------------------------------------- */

/* Create the output directories of st and, for the trend step, carry the
 * published history in; nothing else (the engines run the commands). */
enum angka_err step_prepare(struct env *v, struct step *st,
                            struct angka_error *e);
/* Log the command lines of st. */
void step_log_commands(struct env *v, const struct step *st);
/* What run_step() does once its commands ran: the results res[0..ncmd-1]
 * (released here) checked, counted and logged, the inputs checked, the
 * outputs hashed. */
enum angka_err step_finish(struct env *v, struct step *st,
                           struct proc_result *res, struct angka_error *e);
/* The external inputs of st checked unchanged since step_hash(), then
 * its outputs hashed (not a sharded step's task's). */
enum angka_err step_check_outputs(struct step *st, struct angka_error *e);
/* The results only (no input check, no output hashes). */
enum angka_err step_results(struct env *v, struct step *st,
                            struct proc_result *res, struct angka_error *e);
/* The command of res[0..n-1] (one pipe) whose failure explains the
 * others': the first killed by a signal other than SIGPIPE, else the
 * first that exited non-zero or did not finish, else the first killed by
 * SIGPIPE (its reader went away); n if all exited 0. */
size_t pipe_culprit(const struct proc_result *res, size_t n);
/* What step_finish() does for step a piped into a->piped (b): the
 * results res[0..a->ncmd] (a's commands, then b's; released here) into
 * rc[0], e[0] for a and rc[1], e[1] for b. A failure anywhere fails b (its
 * input was cut short); a fails only for its own commands (its outputs
 * are whole when they exited 0). b's rows in must be a's rows out. The
 * step whose failure caused the other's: *b_first 1 if it is b. b's hash
 * is left to the caller (its inputs exist now). */
void step_finish_piped(struct env *v, struct step *a, struct proc_result *res,
                       enum angka_err rc[2], struct angka_error e[2],
                       int *b_first);
/* Run step a piped into a->piped in the run directory (both prepared):
 * results as step_finish_piped(). */
void run_piped(struct env *v, struct step *a, enum angka_err rc[2],
               struct angka_error e[2], int *b_first);

/* 1 if step st must run (--force/--from/--only, no or another published
 * hash, an upstream step reruns, an output missing or without a recorded
 * hash), 0 if it can be reused from the published run; the reason in
 * st->reason either way. */
int needs_run(struct env *v, struct step *st, const struct prev_state *ps,
              int upstream_changed);
/* Copy the outputs of a step needs_run() let be reused from the published
 * run, each verified on the way against the hash that run recorded; 1 if
 * one differs (edited since: it is removed and the reason is in
 * st->reason, the step must run), 0 if all were reused, -1 on an I/O
 * error (e set). */
int reuse_outputs(struct env *v, struct step *st, struct angka_error *e);
/* Run step st in the run directory (the current directory); its counts,
 * status and seconds into st. ANGKA_EDATA if a stage failed or an external
 * input changed while it ran (identity or hash differs from step_hash()'s),
 * ANGKA_EBALANCE if the row counts do not add up. Then the hashes of its
 * outputs into st->out_hash. */
enum angka_err run_step(struct env *v, struct step *st,
                        struct angka_error *e);

#endif
