/*
 * log.c - the run's log (run.log in the run directory, timestamped) and
 * progress messages on stderr. What goes in: step names, command lines,
 * counts and the stages' stderr (stages never print personal data).
 */
#include "driver_int.h"

#include <stdarg.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Logging.                                                            */

void logf_(struct env *v, const char *fmt, ...)
{
	if (!v->log)
		return;
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(v->log, "%s ", ts);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(v->log, fmt, ap);
	va_end(ap);
	fputc('\n', v->log);
	fflush(v->log);
}

void say(struct env *v, const char *fmt, ...)
{
	if (v->o->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "angka: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
