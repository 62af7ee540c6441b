/*
 * proc.h - run a pipeline of child processes (fork + execv, no shell),
 * connected by pipes, with each child's stderr captured.
 *
 * Children get PR_SET_PDEATHSIG(SIGKILL), so a killed driver leaves no stage
 * running on. Exit statuses follow DESIGN.md: the child's exit code, or
 * 128+N when it died by signal N.
 */
#ifndef ANGKA_PROC_H
#define ANGKA_PROC_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Set (to the signal number) by the driver's SIGTERM/SIGINT/SIGHUP handler.
 * proc_run_pipeline() then sends SIGTERM to every child it started (once)
 * and returns when they are gone; the driver cleans up and exits 128+N.
 */
extern volatile sig_atomic_t proc_stop_signal;

struct proc_cmd {
	char **argv;            /* argv[0] is an absolute path; NULL-terminated */
	const char *stdin_path; /* first command only: file for stdin, or NULL */
	const char *stdout_path;/* last command only: file for stdout, or NULL
	                         * (then stdout goes to /dev/null) */
	char *const *envp;      /* its environment (borrowed, NULL-terminated),
	                         * or NULL: the driver's */
};

struct proc_result {
	int status;             /* exit code, or 128+signal */
	char *err;              /* captured stderr, NUL-terminated (owned) */
	size_t errlen;
	double seconds;
	/* The command's CPU time (user + system, its own and that of the
	 * children it waited for), seconds, if have_cpu (not with the
	 * engines other than local). */
	double cpu;
	int have_cpu;
	/* Set by the engines (engine.c), never here: the command has no exit
	 * status because its task did not run to its end (status 1); err
	 * is then one line "angka: the task did not finish: WHY" saying what
	 * the engine knows (signal, job state). */
	int unfinished;
};

/*
 * Called about once a second while the pipeline runs (may be NULL):
 * pids of the children, for progress display.
 */
typedef void (*proc_tick_fn)(void *user, const pid_t *pids, size_t n,
                             double elapsed);

/*
 * Run n commands as one pipeline and wait for all. res[i] is filled for each
 * (free the err buffers with proc_results_release). Returns 0 when every
 * command exited 0, 1 otherwise, -1 if a process could not be started
 * (errno set).
 *
 * Never exits the calling process (a child that cannot exec _exit()s 127):
 * it allocates with plain malloc. Out of memory before any child starts
 * returns -1 with errno ENOMEM; once children run, stderr that cannot be
 * stored is dropped (err is cut short, and NULL if not even an empty string
 * could be allocated), and if the poll set cannot be allocated stderr is
 * not read at all, so a child that fills its stderr pipe blocks and this
 * call does not return.
 */
int proc_run_pipeline(const struct proc_cmd *cmds, size_t n,
                      struct proc_result *res, proc_tick_fn tick, void *user);

/*
 * One command as proc_run_pipeline() runs it, but in a session of its own
 * (setsid), and whatever of that session outlives the command is killed
 * (SIGKILL) and gone before this returns: GNU parallel's tasks, each in a
 * process group of its own, would otherwise run on, writing into the run
 * directory, when GNU parallel itself is killed.
 */
int proc_run_own_session(const struct proc_cmd *cmd, struct proc_result *res);

void proc_results_release(struct proc_result *res, size_t n);

#endif
