/*
 * err.c - error codes, their descriptions and the error context.
 */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const messages[ANGKA_ERR_COUNT] = {
	[ANGKA_OK] = "success",
	[ANGKA_EIO] = "input/output error",
	[ANGKA_ENOMEM] = "out of memory or size limit exceeded",
	[ANGKA_EGZIP] = "corrupt or truncated gzip stream",
	[ANGKA_ECSV] = "malformed CSV",
	[ANGKA_ESCHEMA] = "header does not match the profile",
	[ANGKA_ECONFIG] = "invalid configuration",
	[ANGKA_EUSAGE] = "invalid usage",
	[ANGKA_EDATA] = "invalid data",
	[ANGKA_EWEIGHT] = "invalid survey weight",
	[ANGKA_EBALANCE] = "row counts do not balance",
	[ANGKA_ELOCKED] = "another run holds the lock",
	[ANGKA_EINTERNAL] = "internal error",
};

const char *angka_strerror(enum angka_err code)
{
	if ((int)code < 0 || code >= ANGKA_ERR_COUNT)
		return "unknown error";
	return messages[code];
}

int angka_exit_code(enum angka_err code)
{
	switch (code) {
	case ANGKA_OK:
		return 0;
	case ANGKA_ECONFIG:
	case ANGKA_EUSAGE:
		return 2;
	case ANGKA_ELOCKED:
		return 75;
	default:
		return 1;
	}
}

enum angka_err angka_error_set(struct angka_error *e, const char *src_file,
                               int src_line, enum angka_err code,
                               const char *fmt, ...)
{
	int saved = errno;
	if (!e)
		return code;
	e->code = code;
	e->src_file = src_file;
	e->src_line = src_line;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		snprintf(e->msg, sizeof e->msg, "%s", angka_strerror(code));
		return code;
	}
	size_t len = strlen(e->msg);
	if (len > 0 && e->msg[len - 1] == ':')
		snprintf(e->msg + len, sizeof e->msg - len, " %s", strerror(saved));
	return code;
}

void angka_error_clear(struct angka_error *e)
{
	if (!e)
		return;
	e->code = ANGKA_OK;
	e->msg[0] = '\0';
	e->src_file = NULL;
	e->src_line = 0;
}
