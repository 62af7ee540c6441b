/*
 * tmpreg.c - the table of temporary files and the signal handler that
 * removes them (see tmpreg.h).
 */
#include "tmpreg.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

struct slot {
	volatile sig_atomic_t used;
	char path[4096];
};

static struct slot slots[ANGKA_TMPREG_MAX];
static int installed;

static const int stop_signals[] = { SIGTERM, SIGINT, SIGHUP };

static void on_signal(int sig)
{
	for (int i = 0; i < ANGKA_TMPREG_MAX; i++)
		if (slots[i].used)
			unlink(slots[i].path);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void install(void)
{
	installed = 1;
	for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++) {
		struct sigaction old, sa;
		/* Only where the default action would kill the process: an
		 * ignored signal stays ignored, and a program's own handler
		 * (the driver's, which removes its whole run directory) stays. */
		if (sigaction(stop_signals[i], NULL, &old) != 0 ||
		    (old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		/* Every stop signal waits while one is handled. */
		sigemptyset(&sa.sa_mask);
		for (size_t k = 0; k < sizeof stop_signals / sizeof *stop_signals; k++)
			sigaddset(&sa.sa_mask, stop_signals[k]);
		sigaction(stop_signals[i], &sa, NULL);
	}
}

int angka_tmpreg_add(const char *path)
{
	size_t len = strlen(path);
	if (len >= sizeof slots[0].path)
		return -1;
	/* Threads of one process (the driver runs steps on several) claim
	 * slots one at a time. */
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&lock);
	if (!installed)
		install();
	int got = -1;
	for (int i = 0; i < ANGKA_TMPREG_MAX; i++) {
		if (slots[i].used)
			continue;
		memcpy(slots[i].path, path, len + 1);
		/* The path is complete before the handler can see the slot. */
		atomic_signal_fence(memory_order_seq_cst);
		slots[i].used = 1;
		got = i;
		break;
	}
	pthread_mutex_unlock(&lock);
	return got;
}

void angka_tmpreg_remove(int slot)
{
	if (slot >= 0 && slot < ANGKA_TMPREG_MAX)
		slots[slot].used = 0;
}

int angka_tmpreg_mkstemp(char *tmpl, int *slot)
{
	sigset_t block, old;
	sigemptyset(&block);
	for (size_t k = 0; k < sizeof stop_signals / sizeof *stop_signals; k++)
		sigaddset(&block, stop_signals[k]);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int fd = mkstemp(tmpl);
	int saved = errno;
	*slot = fd >= 0 ? angka_tmpreg_add(tmpl) : -1;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return fd;
}
