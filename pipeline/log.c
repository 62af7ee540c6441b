/*
 * log.c - the run's log (run.log in the run directory, timestamped) and
 * progress messages on stderr. What goes in: step names, command lines,
 * counts and the stages' stderr (stages never print personal data).
 *
 * Steps run on several threads: a thread that holds its lines (log_hold)
 * writes them into its own buffer, appended to run.log in one piece under
 * a lock when the step ends (log_release).
 */
#include "driver_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Logging.                                                            */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local FILE *held;
static _Thread_local char *held_buf;
static _Thread_local size_t held_len;

void log_hold(void)
{
	if (!held)
		held = open_memstream(&held_buf, &held_len);
}

void log_release(struct env *v)
{
	if (!held)
		return;
	fclose(held);
	held = NULL;
	pthread_mutex_lock(&log_lock);
	if (v->log && held_buf && held_len) {
		fwrite(held_buf, 1, held_len, v->log);
		fflush(v->log);
	}
	pthread_mutex_unlock(&log_lock);
	free(held_buf);
	held_buf = NULL;
	held_len = 0;
}

void logf_(struct env *v, const char *fmt, ...)
{
	if (!v->log)
		return;
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	FILE *f = held ? held : v->log;
	if (!held)
		pthread_mutex_lock(&log_lock);
	fprintf(f, "%s ", ts);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	if (!held) {
		fflush(f);
		pthread_mutex_unlock(&log_lock);
	}
}

void say(struct env *v, const char *fmt, ...)
{
	if (v->o->quiet)
		return;
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* One write: lines of steps running together never mix. */
	fprintf(stderr, "angka: %s\n", buf);
}
