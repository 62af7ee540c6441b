/*
 * proc.c - fork/exec pipelines with captured stderr, polled together so no
 * child can block on a full stderr pipe.
 */
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t proc_stop_signal;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void append(struct proc_result *r, const char *buf, size_t n)
{
	char *p = realloc(r->err, r->errlen + n + 1);
	if (!p)
		return;
	memcpy(p + r->errlen, buf, n);
	r->errlen += n;
	p[r->errlen] = '\0';
	r->err = p;
}

/* In the child: exec or report and _exit(127). */
static void child_exec(const struct proc_cmd *c, int in_fd, int out_fd,
                       int err_fd, pid_t parent, int own_session)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(128 + SIGKILL);
	if (own_session)
		setsid();
	if (in_fd != STDIN_FILENO) {
		dup2(in_fd, STDIN_FILENO);
		close(in_fd);
	}
	if (out_fd != STDOUT_FILENO) {
		dup2(out_fd, STDOUT_FILENO);
		close(out_fd);
	}
	dup2(err_fd, STDERR_FILENO);
	close(err_fd);
	execve(c->argv[0], c->argv, c->envp ? c->envp : environ);
	dprintf(STDERR_FILENO, "angka: cannot run '%s': %s\n", c->argv[0],
	        strerror(errno));
	_exit(127);
}

/* Kill (SIGKILL) every process of session sid, again until none is left
 * but zombies (their new parent reaps them), for at most a minute (a
 * process in an uninterruptible wait dies when it returns). The session's
 * leader is reaped already; its id stays in use, and so names no other
 * process, while any process of the session lives. */
static void kill_session(pid_t sid)
{
	double end = now() + 60;
	for (;;) {
		DIR *d = opendir("/proc");
		if (!d)
			return;
		int alive = 0;
		struct dirent *de;
		while ((de = readdir(d))) {
			char *e;
			long pid = strtol(de->d_name, &e, 10);
			if (*e || pid <= 0)
				continue;
			char path[64], buf[512];
			snprintf(path, sizeof path, "/proc/%ld/stat", pid);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			ssize_t got = read(fd, buf, sizeof buf - 1);
			close(fd);
			if (got <= 0)
				continue;
			buf[got] = '\0';
			/* pid (comm) state ppid pgrp session ...: comm may
			 * hold any character, the last ')' ends it. */
			char *p = strrchr(buf, ')');
			char state;
			long ppid, pgrp, session;
			if (!p || sscanf(p + 1, " %c %ld %ld %ld", &state, &ppid,
			                 &pgrp, &session) != 4 ||
			    session != (long)sid || state == 'Z')
				continue;
			alive++;
			kill((pid_t)pid, SIGKILL);
		}
		closedir(d);
		if (!alive || now() > end)
			return;
		struct timespec ts = { 0, 10000000L };
		nanosleep(&ts, NULL);
	}
}

static int run_pipeline(const struct proc_cmd *cmds, size_t n,
                        struct proc_result *res, proc_tick_fn tick, void *user,
                        int own_session)
{
	pid_t *pids = calloc(n, sizeof *pids);
	int *errfd = calloc(n, sizeof *errfd);
	if (!pids || !errfd) {
		free(pids);
		free(errfd);
		errno = ENOMEM;
		return -1;
	}
	memset(res, 0, n * sizeof *res);
	pid_t self = getpid();
	double t0 = now();
	int prev_read = -1;
	int started = 0, rc = 0;
	for (size_t i = 0; i < n; i++) {
		int in_fd = STDIN_FILENO, out_fd = STDOUT_FILENO;
		int pipefd[2] = { -1, -1 }, errpipe[2];
		if (i == 0) {
			in_fd = open(cmds[0].stdin_path ? cmds[0].stdin_path
			                                : "/dev/null",
			             O_RDONLY | O_CLOEXEC);
		} else {
			in_fd = prev_read;
		}
		if (i + 1 < n) {
			if (pipe2(pipefd, O_CLOEXEC) != 0)
				goto fail;
			out_fd = pipefd[1];
		} else {
			out_fd = cmds[i].stdout_path
			         ? open(cmds[i].stdout_path,
			                O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)
			         : open("/dev/null", O_WRONLY | O_CLOEXEC);
		}
		if (in_fd < 0 || out_fd < 0 || pipe2(errpipe, O_CLOEXEC) != 0)
			goto fail;
		pid_t pid = fork();
		if (pid < 0)
			goto fail;
		if (pid == 0) {
			if (pipefd[0] >= 0)
				close(pipefd[0]);
			close(errpipe[0]);
			child_exec(&cmds[i], in_fd, out_fd, errpipe[1], self,
			           own_session);
		}
		pids[i] = pid;
		started++;
		close(errpipe[1]);
		errfd[i] = errpipe[0];
		close(in_fd);
		close(out_fd);
		prev_read = pipefd[0];
		continue;
fail:
		rc = -1;
		break;
	}
	if (prev_read >= 0 && rc < 0)
		close(prev_read);

	/* Collect stderr of every child until all pipes close. */
	struct pollfd *pfd = calloc(n, sizeof *pfd);
	size_t open_fds = 0;
	for (int i = 0; i < started; i++) {
		pfd[i].fd = errfd[i];
		pfd[i].events = POLLIN;
		open_fds++;
	}
	double last_tick = now();
	int stopped = 0;
	while (open_fds > 0 && pfd) {
		if (proc_stop_signal && !stopped) {
			/* The driver was told to stop: so are its children (their
			 * handlers remove their temporary files). */
			for (int i = 0; i < started; i++)
				kill(pids[i], SIGTERM);
			stopped = 1;
		}
		int k = poll(pfd, (nfds_t)started, 250);
		if (k < 0 && errno != EINTR)
			break;
		for (int i = 0; i < started && k > 0; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[4096];
			ssize_t got = read(pfd[i].fd, buf, sizeof buf);
			if (got > 0) {
				append(&res[i], buf, (size_t)got);
			} else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
			}
		}
		if (tick && now() - last_tick >= 1.0) {
			last_tick = now();
			tick(user, pids, (size_t)started, last_tick - t0);
		}
	}
	free(pfd);
	int all_ok = rc == 0;
	for (int i = 0; i < started; i++) {
		int st;
		struct rusage ru;
		memset(&ru, 0, sizeof ru);
		while (wait4(pids[i], &st, 0, &ru) < 0 && errno == EINTR)
			;
		res[i].cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		             (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
		res[i].have_cpu = 1;
		if (WIFEXITED(st))
			res[i].status = WEXITSTATUS(st);
		else if (WIFSIGNALED(st))
			res[i].status = 128 + WTERMSIG(st);
		else
			res[i].status = 1;
		res[i].seconds = now() - t0;
		if (res[i].status != 0)
			all_ok = 0;
		if (own_session)
			kill_session(pids[i]);
		if (!res[i].err) {
			res[i].err = calloc(1, 1);
			res[i].errlen = 0;
		}
	}
	free(pids);
	free(errfd);
	if (rc < 0)
		return -1;
	return all_ok ? 0 : 1;
}

int proc_run_pipeline(const struct proc_cmd *cmds, size_t n,
                      struct proc_result *res, proc_tick_fn tick, void *user)
{
	return run_pipeline(cmds, n, res, tick, user, 0);
}

int proc_run_own_session(const struct proc_cmd *cmd, struct proc_result *res)
{
	return run_pipeline(cmd, 1, res, NULL, NULL, 1);
}

void proc_results_release(struct proc_result *res, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(res[i].err);
		res[i].err = NULL;
	}
}
