/*
 * gnuplot.c - the text side of angka-chart: a growing buffer, quoting of
 * untrusted text for gnuplot scripts and data files, number labels in the
 * Indonesian or English convention, nice axes, and running gnuplot as a
 * child process with its stderr captured.
 */
#include "chart.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---------------------------------------------------------------- buffer */

void chart_buf_add(struct chart_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = angka_xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void chart_buf_printf(struct chart_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		chart_buf_add(b, small, (size_t)n);
		return;
	}
	char *big = angka_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	chart_buf_add(b, big, (size_t)n);
	free(big);
}

void chart_buf_release(struct chart_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

/* ---------------------------------------------------------------- quoting */

/*
 * Copy s with the characters that could end a quoted string or start a
 * command substitution replaced: quote (the closing quote of the context)
 * becomes sub (or is doubled when sub is 0), a backquote becomes an
 * apostrophe (handled like quote when quote is '), controls a space.
 */
static void quote_into(struct chart_buf *b, const char *s, char quote, char sub)
{
	chart_buf_add(b, &quote, 1);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		char c = (char)*p;
		if (*p < 0x20 || *p == 0x7f)
			c = ' ';
		else if (c == '`')
			c = '\'';
		if (c == quote) {
			if (sub) {
				chart_buf_add(b, &sub, 1);
			} else {
				chart_buf_add(b, &c, 1);
				chart_buf_add(b, &c, 1);
			}
			continue;
		}
		chart_buf_add(b, &c, 1);
	}
	chart_buf_add(b, &quote, 1);
}

/* The character quote_into() writes for c (before quote handling). */
static char mapped(unsigned char c)
{
	return c < 0x20 || c == 0x7f ? ' ' : c == '`' ? '\'' : (char)c;
}

void chart_gp_quote(struct chart_buf *b, const char *s)
{
	/*
	 * The text becomes a concatenation of string constants. Text goes in
	 * single quotes, but never an apostrophe: gnuplot reads '' after an
	 * opening quote as an empty string and a second '' pair in a row as
	 * the end of the string, so doubling does not work for every text.
	 * It also expands @name macros even inside quotes. So every run of
	 * '@' and apostrophes goes into double quotes, '@' written as the
	 * octal escape \100. Example: x''@y gives 'x'."''\100".'y'.
	 */
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	int first = 1;
	while (*u) {
		if (!first)
			chart_buf_add(b, ".", 1);
		first = 0;
		char c = mapped(*u);
		if (c == '@' || c == '\'') {
			chart_buf_add(b, "\"", 1);
			for (; *u && (mapped(*u) == '@' || mapped(*u) == '\''); u++) {
				if (mapped(*u) == '@')
					chart_buf_add(b, "\\100", 4);
				else
					chart_buf_add(b, "'", 1);
			}
			chart_buf_add(b, "\"", 1);
			continue;
		}
		chart_buf_add(b, "'", 1);
		for (; *u && mapped(*u) != '@' && mapped(*u) != '\''; u++) {
			c = mapped(*u);
			chart_buf_add(b, &c, 1);
		}
		chart_buf_add(b, "'", 1);
	}
	if (first)
		chart_buf_add(b, "''", 2);
}

void chart_dat_quote(struct chart_buf *b, const char *s)
{
	quote_into(b, s, '"', '\'');
}

/* ---------------------------------------------------------------- numbers */

char *chart_format_number(double v, int dec, enum chart_lang lang, char *buf,
                          size_t cap)
{
	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (!isfinite(v))
		return buf;
	if (dec < 0)
		dec = 0;
	if (dec > 9)
		dec = 9;
	char raw[64];
	snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
	/* Treat a value that rounds to zero as zero: no "-0,0". */
	int neg = v < 0 && strspn(raw, "0.") != strlen(raw);
	const char *dot = strchr(raw, '.');
	size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
	char thou = lang == CHART_ID ? '.' : ',';
	char decs = lang == CHART_ID ? ',' : '.';
	char out[96];
	size_t o = 0;
	if (neg)
		out[o++] = '-';
	for (size_t i = 0; i < ilen; i++) {
		if (i && (ilen - i) % 3 == 0 && ilen >= 4)
			out[o++] = thou;
		out[o++] = raw[i];
	}
	if (dot) {
		out[o++] = decs;
		for (const char *p = dot + 1; *p && o < sizeof out - 1; p++)
			out[o++] = *p;
	}
	out[o] = '\0';
	snprintf(buf, cap, "%s", out);
	return buf;
}

void chart_nice_axis(double lo, double hi, int want, double *a, double *b,
                     double *step, int *dec)
{
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (hi < lo) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (hi == lo) {
		double d = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;
		lo -= d;
		hi += d;
	}
	if (want < 2)
		want = 2;
	double raw = (hi - lo) / want;
	double p = pow(10, floor(log10(raw)));
	static const double mult[] = { 1, 2, 2.5, 5, 10 };
	double s = p * 10;
	for (size_t i = 0; i < sizeof mult / sizeof *mult; i++) {
		if (mult[i] * p >= raw) {
			s = mult[i] * p;
			break;
		}
	}
	*step = s;
	*a = floor(lo / s + 1e-9) * s;
	*b = ceil(hi / s - 1e-9) * s;
	int d = (int)-floor(log10(s) + 1e-9);
	/* 2.5 x 10^k needs one more digit than 10^k. */
	double m = s / pow(10, floor(log10(s) + 1e-9));
	if (fabs(m - 2.5) < 1e-9)
		d++;
	*dec = d > 0 ? d : 0;
}

/* ---------------------------------------------------------------- exec */

int chart_gnuplot_exec(const char *prog, const char *dir, const char *defs,
                       const char *script, int *status, int *sig, char *err,
                       size_t cap, struct angka_error *e)
{
	*status = -1;
	*sig = 0;
	if (cap)
		err[0] = '\0';
	int fd[2];
	if (pipe(fd) != 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot create a pipe:"), -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot fork:"), -1;
	}
	if (pid == 0) {
		/* Child: stderr into the pipe, stdout and stdin to /dev/null. */
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
		}
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		if (dir && chdir(dir) != 0) {
			dprintf(2, "cannot enter '%s': %s\n", dir, strerror(errno));
			_exit(127);
		}
		char *argv[5];
		int n = 0;
		argv[n++] = (char *)prog;
		if (defs) {
			argv[n++] = (char *)"-e";
			argv[n++] = (char *)defs;
		}
		argv[n++] = (char *)script;
		argv[n] = NULL;
		execvp(prog, argv);
		dprintf(2, "cannot run '%s': %s\n", prog, strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	size_t len = 0;
	char chunk[4096];
	for (;;) {
		ssize_t r = read(fd[0], chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		size_t keep = (size_t)r;
		if (cap && len + keep > cap - 1)
			keep = cap - 1 - len;
		if (keep) {
			memcpy(err + len, chunk, keep);
			len += keep;
		}
	}
	if (cap)
		err[len] = '\0';
	close(fd[0]);
	int ws;
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR)
			return ANGKA_ERR(e, ANGKA_EIO, "waitpid:"), -1;
	}
	if (WIFEXITED(ws))
		*status = WEXITSTATUS(ws);
	else if (WIFSIGNALED(ws))
		*sig = WTERMSIG(ws);
	return 0;
}
