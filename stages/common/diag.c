/*
 * diag.c - message helpers for executables.
 */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *progname = "angka";

void angka_diag_init(const char *argv0)
{
	if (!argv0 || !*argv0)
		return;
	const char *slash = strrchr(argv0, '/');
	progname = slash ? slash + 1 : argv0;
}

const char *angka_progname(void)
{
	return progname;
}

static void vmsg(const char *fmt, va_list ap)
{
	int saved = errno;
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	size_t len = strlen(fmt);
	if (len > 0 && fmt[len - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

void angka_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void angka_die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(status);
}

int angka_report(const struct angka_error *e)
{
	if (e->code == ANGKA_OK)
		return 0;
	fprintf(stderr, "%s: %s\n", progname,
	        e->msg[0] ? e->msg : angka_strerror(e->code));
	return angka_exit_code(e->code);
}

const char *angka_value_shape(const char *s, size_t len, char *buf,
                              size_t cap)
{
	size_t digits = 0, seps = 0, other = 0, chars = 0;
	int sign = 0, dot = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			chars++;
		if (c >= '0' && c <= '9')
			digits++;
		else if ((c == '-' || c == '+') && i == 0)
			sign = 1;
		else if (c == '.' || c == ',')
			dot++;
		else if (c == '/' || c == '-')
			seps++;
		else
			other++;
	}
	if (!len)
		snprintf(buf, cap, "empty");
	else if (digits == len)
		snprintf(buf, cap, "a %zu-digit number", digits);
	else if (!other && !seps && digits && dot <= 1)
		snprintf(buf, cap, "a number");
	else if (!other && !sign && digits >= 4 && digits <= 8 &&
	         seps + dot == 2)
		snprintf(buf, cap, "a date");
	else
		snprintf(buf, cap, "text of %zu character%s", chars,
		         chars == 1 ? "" : "s");
	return buf;
}
