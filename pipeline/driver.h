/*
 * driver.h - `angka`: runs the stage chain a config describes, under a lock,
 * in a temporary run directory that is published atomically, skipping steps
 * whose inputs, config and program version are unchanged.
 *
 * On disk, for output_dir = D:
 *   D            a symlink to D.runs/<run-id>: the published run
 *   D.runs/lock  flock()ed by the running driver, holds its pid
 *   D.runs/tmp-<pid>/   the run being built (removed if it fails)
 *   D.runs/<run-id>/    published runs; the newest `retention` are kept
 * A reader of D sees the previous complete run or the new complete run,
 * never a mixture: the symlink is replaced with rename(2).
 */
#ifndef ANGKA_DRIVER_H
#define ANGKA_DRIVER_H

#include "angka.h"

enum driver_cmd { DRIVER_RUN, DRIVER_STATUS, DRIVER_CHECK, DRIVER_FORGET };

struct driver_opts {
	enum driver_cmd cmd;
	const char *config;
	int force;            /* rerun every step */
	const char *from;     /* rerun steps of this stage and later ones */
	const char *only;     /* run only the steps of this stage */
	int quiet;            /* print only errors */
	const char *bindir;   /* where angka-* live (default: beside angka) */
	long jobs;            /* --jobs: steps at once (0: [engine] or cores) */
	const char *engine;   /* --engine: local, parallel, slurm (or NULL) */
	char **niks;          /* forget: the NIKs (owned by the caller) */
	size_t nniks;
};

/*
 * The stages, in chain order: the index of each in driver_stages[]. A step
 * names its stages with these, never with a number. Adding a stage: one
 * value here (before DRIVER_NSTAGES) and one row in driver_stages[].
 */
enum driver_stage_id {
	DRIVER_STAGE_INGEST,
	DRIVER_STAGE_NORMALIZE,
	DRIVER_STAGE_DEDUP,
	DRIVER_STAGE_GARIS,
	DRIVER_STAGE_INDICATORS,
	DRIVER_STAGE_TREND,
	DRIVER_STAGE_SAE,
	DRIVER_STAGE_CHART,
	DRIVER_NSTAGES
};

/* The stage table: the one list of stages, indexed by enum driver_stage_id. */
struct driver_stage {
	const char *name;
	const char *program;
	const char *summary;
};
extern const struct driver_stage driver_stages[];
extern const size_t driver_nstages;

/*
 * Run the command; returns a code with e set, and *signo > 0 when the run
 * ended because a stage died by signal *signo or the driver itself got
 * SIGTERM, SIGINT or SIGHUP (it then removes its run directory, keeps the
 * log as D.runs/failed-run.log, and its caller exits 128 + *signo). The
 * one way out is memory:
 * the driver and the config loader allocate with angka_x*() (xalloc.h),
 * which print the size and exit 1 when memory runs out. A run cut short so
 * (or by SIGKILL) leaves its D.runs/tmp-<pid>/ (the next run removes it),
 * its lock goes with the process, and the published run is untouched.
 */
enum angka_err driver_main(const struct driver_opts *o, struct angka_error *e,
                           int *signo);

#endif
