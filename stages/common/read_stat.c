/*
 * read_stat.c - Stata, SPSS and SAS files as CSV text, through libreadstat.
 *
 * Runs on input.c's reader thread (see input_int.h): a header row of the
 * variable names, then one row per observation, written into the input
 * ring as it is parsed, so memory does not grow with the file.
 *
 * Values: a missing value (system missing, Stata's .a-.z, SPSS user
 * missing) is an empty field; integers are written as integers; other
 * doubles with the fewest digits that read back to the same double, floats
 * with the fewest that read back to the same float; an integer above 2^53
 * (where a double holds only even integers, the NIK case) gets ".0", which
 * the NIK check flags as possibly rounded. A variable with a date format
 * (Stata %td/%tc, SPSS DATE/ADATE/EDATE/SDATE/DATETIME, SAS DATE/YYMMDD/
 * DATETIME/...) is written as an ISO date (YYYY-MM-DD, with " HH:MM:SS"
 * for a date-time format). With labels on, a value that has a value label
 * is written as its label; the labels are read first (Stata keeps them
 * after the data), so the file is parsed twice then.
 */
#include "input_int.h"
#include "number.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct label {
	double d;
	char *s;          /* the key of a string label set */
	char *text;
};

struct label_set {
	char *name;
	int is_str;
	size_t n, cap;
	struct label *v;
};

enum date_kind {
	D_NONE,
	D_DAYS_1960,      /* Stata %td, SAS dates */
	D_MS_1960,        /* Stata %tc: milliseconds, date-time */
	D_SECS_1582,      /* SPSS dates: seconds since 1582-10-14 */
	D_SECS_1582_TIME, /* SPSS DATETIME */
	D_SECS_1960_TIME  /* SAS DATETIME */
};

struct var {
	char *name;
	char *label;
	char *format;
	char *set_name;   /* NULL: no value labels */
	int set;          /* index into sets, -1: none */
	enum date_kind date;
	readstat_type_t type;
	size_t width;
};

struct stat_ctx {
	struct angka_input *in;   /* NULL when only describing */
	const char *name;
	enum angka_input_kind kind;
	int labels;
	int nvars;
	long nrows;
	char *file_label;
	struct var *vars;
	struct label_set *sets;
	size_t nsets;
	char *row;
	size_t rlen, rcap;
	int header_done;
	int stopped;              /* the consumer stopped, or out of memory */
	int nomem;
	char err[256];
};

/* ------------------------------------------------------------------ */
/* Formatting                                                           */

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil(long long z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long yy = (long long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

size_t angka_format_iso(double secs, int with_time, char *buf, size_t cap)
{
	/* Years 0001-9999 only. */
	if (!(secs > -62135596800.0 && secs < 253402300800.0))
		return 0;
	long long s = (long long)floor(secs);
	long long days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	long long tod = s - days * 86400;
	int y;
	unsigned m, d;
	civil(days, &y, &m, &d);
	int n = with_time
	        ? snprintf(buf, cap, "%04d-%02u-%02u %02lld:%02lld:%02lld", y, m,
	                   d, tod / 3600, tod / 60 % 60, tod % 60)
	        : snprintf(buf, cap, "%04d-%02u-%02u", y, m, d);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* v in the variable's date unit as ISO text; 0 when out of range. */
static size_t fmt_date(double v, enum date_kind k, char *buf, size_t cap)
{
	switch (k) {
	case D_DAYS_1960:
		return angka_format_iso((floor(v) - 3653) * 86400.0, 0, buf, cap);
	case D_MS_1960:
		return angka_format_iso(floor(v / 1000.0) - 3653 * 86400.0, 1,
		                        buf, cap);
	case D_SECS_1582:
		return angka_format_iso(floor(v / 86400.0) * 86400.0 -
		                        12219379200.0, 0, buf, cap);
	case D_SECS_1582_TIME:
		return angka_format_iso(floor(v) - 12219379200.0, 1, buf, cap);
	case D_SECS_1960_TIME:
		return angka_format_iso(floor(v) - 3653 * 86400.0, 1, buf, cap);
	default:
		return 0;
	}
}

size_t angka_format_double_exact(double v, char *buf, size_t cap)
{
	if (!isfinite(v))
		return 0;
	if (v == 0.0)
		v = 0.0;  /* no "-0" */
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return (size_t)snprintf(buf, cap, "%.0f", v);
	if (v == floor(v) && fabs(v) < 1e17)
		/* Above 2^53 a double holds only even integers: ".0" says the
		 * digits came through a double (see nik.h, rule 2). */
		return (size_t)snprintf(buf, cap, "%.0f.0", v);
	return angka_number_format(v, buf, cap);
}

static size_t fmt_float(float f, char *buf, size_t cap)
{
	double v = f;
	if (v == floor(v) && fabs(v) < 1e17)
		return angka_format_double_exact(v, buf, cap);
	int n = 0;
	for (int prec = 6; prec <= 9; prec++) {
		n = snprintf(buf, cap, "%.*g", prec, v);
		if ((float)strtod(buf, NULL) == f)
			break;
	}
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

static enum date_kind date_kind_of(enum angka_input_kind k, const char *fmt)
{
	if (!fmt || !*fmt)
		return D_NONE;
	if (k == ANGKA_IN_DTA) {
		if (strncmp(fmt, "%td", 3) == 0 || strncmp(fmt, "%-td", 4) == 0 ||
		    strncmp(fmt, "%d", 2) == 0)
			return D_DAYS_1960;
		if (strncmp(fmt, "%tc", 3) == 0 || strncmp(fmt, "%tC", 3) == 0 ||
		    strncmp(fmt, "%-tc", 4) == 0)
			return D_MS_1960;
		return D_NONE;
	}
	if (k == ANGKA_IN_SAV || k == ANGKA_IN_POR) {
		if (strncasecmp(fmt, "DATETIME", 8) == 0 ||
		    strncasecmp(fmt, "YMDHMS", 6) == 0)
			return D_SECS_1582_TIME;
		static const char *const d[] = { "DATE", "ADATE", "EDATE", "SDATE",
		                                 "JDATE" };
		for (size_t i = 0; i < sizeof d / sizeof *d; i++)
			if (strncasecmp(fmt, d[i], strlen(d[i])) == 0)
				return D_SECS_1582;
		return D_NONE;
	}
	/* SAS */
	if (strncasecmp(fmt, "DATETIME", 8) == 0 ||
	    strncasecmp(fmt, "E8601DT", 7) == 0 ||
	    strncasecmp(fmt, "B8601DT", 7) == 0)
		return D_SECS_1960_TIME;
	static const char *const s[] = { "DATE", "YYMMDD", "MMDDYY", "DDMMYY",
	                                 "E8601DA", "B8601DA", "WORDDATE",
	                                 "WEEKDATE", "NLDATE", "JULIAN" };
	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		if (strncasecmp(fmt, s[i], strlen(s[i])) == 0)
			return D_DAYS_1960;
	return D_NONE;
}

/* ------------------------------------------------------------------ */
/* Value labels                                                         */

static int set_index(const struct stat_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->nsets; i++)
		if (strcmp(c->sets[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int cmp_label(const void *a, const void *b)
{
	const struct label *x = a, *y = b;
	if (x->s || y->s)
		return strcmp(x->s ? x->s : "", y->s ? y->s : "");
	return (x->d > y->d) - (x->d < y->d);
}

static const char *label_of(const struct label_set *ls, double d,
                            const char *s)
{
	struct label key = { d, (char *)s, NULL };
	if (ls->is_str != (s != NULL))
		return NULL;
	const struct label *hit = bsearch(&key, ls->v, ls->n, sizeof *ls->v,
	                                  cmp_label);
	return hit ? hit->text : NULL;
}

static char *dup_or_flag(struct stat_ctx *c, const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		c->nomem = 1;
	return d;
}

static int on_value_label(const char *set, readstat_value_t v,
                          const char *label, void *ctx)
{
	struct stat_ctx *c = ctx;
	if (readstat_value_is_tagged_missing(v) ||
	    readstat_value_is_system_missing(v))
		return READSTAT_HANDLER_OK;
	int i = set_index(c, set);
	if (i < 0) {
		struct label_set *ns = realloc(c->sets, (c->nsets + 1) * sizeof *ns);
		if (!ns)
			goto nomem;
		c->sets = ns;
		memset(&ns[c->nsets], 0, sizeof *ns);
		ns[c->nsets].name = dup_or_flag(c, set);
		ns[c->nsets].is_str =
			readstat_value_type_class(v) == READSTAT_TYPE_CLASS_STRING;
		i = (int)c->nsets++;
	}
	struct label_set *ls = &c->sets[i];
	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? 2 * ls->cap : 16;
		struct label *nv = realloc(ls->v, cap * sizeof *nv);
		if (!nv)
			goto nomem;
		ls->v = nv;
		ls->cap = cap;
	}
	struct label *l = &ls->v[ls->n++];
	memset(l, 0, sizeof *l);
	if (ls->is_str)
		l->s = dup_or_flag(c, readstat_string_value(v));
	else if (readstat_value_type(v) == READSTAT_TYPE_FLOAT)
		l->d = readstat_float_value(v);
	else if (readstat_value_type(v) == READSTAT_TYPE_DOUBLE)
		l->d = readstat_double_value(v);
	else
		l->d = readstat_int32_value(v);
	l->text = dup_or_flag(c, label);
	return c->nomem ? READSTAT_HANDLER_ABORT : READSTAT_HANDLER_OK;
nomem:
	c->nomem = 1;
	return READSTAT_HANDLER_ABORT;
}

/* ------------------------------------------------------------------ */
/* Rows                                                                 */

static int row_add(struct stat_ctx *c, const char *p, size_t n)
{
	if (c->rlen + n > c->rcap) {
		size_t cap = c->rcap ? c->rcap : 4096;
		while (cap < c->rlen + n)
			cap *= 2;
		char *r = realloc(c->row, cap);
		if (!r) {
			c->nomem = 1;
			return -1;
		}
		c->row = r;
		c->rcap = cap;
	}
	memcpy(c->row + c->rlen, p, n);
	c->rlen += n;
	return 0;
}

/* A text field, quoted when it must be (RFC 4180). */
static int row_text(struct stat_ctx *c, const char *s)
{
	size_t n = strlen(s);
	if (!strpbrk(s, ",\"\r\n"))
		return row_add(c, s, n);
	if (row_add(c, "\"", 1))
		return -1;
	for (const char *q; (q = strchr(s, '"')); s = q + 1)
		if (row_add(c, s, (size_t)(q - s) + 1) || row_add(c, "\"", 1))
			return -1;
	return row_add(c, s, strlen(s)) || row_add(c, "\"", 1) ? -1 : 0;
}

static int row_flush(struct stat_ctx *c)
{
	if (row_add(c, "\n", 1))
		return -1;
	int rc = c->in ? angka_input_put(c->in, c->row, c->rlen) : 0;
	c->rlen = 0;
	if (rc)
		c->stopped = 1;
	return rc;
}

static int emit_header(struct stat_ctx *c)
{
	c->header_done = 1;
	for (int i = 0; i < c->nvars; i++) {
		if ((i && row_add(c, ",", 1)) ||
		    row_text(c, c->vars[i].name ? c->vars[i].name : ""))
			return -1;
		c->vars[i].set = c->vars[i].set_name
		                 ? set_index(c, c->vars[i].set_name) : -1;
	}
	for (size_t i = 0; i < c->nsets; i++)
		qsort(c->sets[i].v, c->sets[i].n, sizeof *c->sets[i].v, cmp_label);
	return row_flush(c);
}

static int on_metadata(readstat_metadata_t *md, void *ctx)
{
	struct stat_ctx *c = ctx;
	if (c->vars)
		return READSTAT_HANDLER_OK;  /* second pass */
	int n = readstat_get_var_count(md);
	c->nrows = readstat_get_row_count(md);
	c->file_label = dup_or_flag(c, readstat_get_file_label(md));
	if (n < 0)
		n = 0;
	c->vars = calloc((size_t)n + 1, sizeof *c->vars);
	if (!c->vars) {
		c->nomem = 1;
		return READSTAT_HANDLER_ABORT;
	}
	c->nvars = n;
	return READSTAT_HANDLER_OK;
}

static int on_variable(int index, readstat_variable_t *v,
                       const char *val_labels, void *ctx)
{
	struct stat_ctx *c = ctx;
	if (index < 0 || index >= c->nvars || c->vars[index].name)
		return READSTAT_HANDLER_OK;
	struct var *x = &c->vars[index];
	x->name = dup_or_flag(c, readstat_variable_get_name(v));
	x->label = dup_or_flag(c, readstat_variable_get_label(v));
	x->format = dup_or_flag(c, readstat_variable_get_format(v));
	x->set_name = val_labels && *val_labels ? dup_or_flag(c, val_labels) : NULL;
	x->set = -1;
	x->type = readstat_variable_get_type(v);
	x->width = readstat_variable_get_storage_width(v);
	x->date = date_kind_of(c->kind, x->format);
	return c->nomem ? READSTAT_HANDLER_ABORT : READSTAT_HANDLER_OK;
}

static int on_value(int obs, readstat_variable_t *v, readstat_value_t val,
                    void *ctx)
{
	struct stat_ctx *c = ctx;
	(void)obs;
	if (!c->header_done && emit_header(c))
		return READSTAT_HANDLER_ABORT;
	int i = readstat_variable_get_index(v);
	if (i < 0 || i >= c->nvars)
		return READSTAT_HANDLER_OK;
	const struct var *x = &c->vars[i];
	if (i > 0 && row_add(c, ",", 1))
		return READSTAT_HANDLER_ABORT;
	if (!readstat_value_is_missing(val, v)) {
		const struct label_set *ls = c->labels && x->set >= 0
		                             ? &c->sets[x->set] : NULL;
		char buf[64];
		size_t n = 0;
		const char *lab = NULL;
		readstat_type_t t = readstat_value_type(val);
		if (t == READSTAT_TYPE_STRING || t == READSTAT_TYPE_STRING_REF) {
			const char *s = readstat_string_value(val);
			s = s ? s : "";
			lab = ls ? label_of(ls, 0, s) : NULL;
			if (row_text(c, lab ? lab : s))
				return READSTAT_HANDLER_ABORT;
		} else {
			double d;
			if (t == READSTAT_TYPE_FLOAT) {
				float f = readstat_float_value(val);
				d = f;
				n = fmt_float(f, buf, sizeof buf);
			} else {
				d = t == READSTAT_TYPE_DOUBLE ? readstat_double_value(val)
				    : t == READSTAT_TYPE_INT8 ? readstat_int8_value(val)
				    : t == READSTAT_TYPE_INT16 ? readstat_int16_value(val)
				    : readstat_int32_value(val);
				n = angka_format_double_exact(d, buf, sizeof buf);
			}
			lab = ls ? label_of(ls, d, NULL) : NULL;
			if (!lab && x->date != D_NONE && isfinite(d)) {
				size_t k = fmt_date(d, x->date, buf, sizeof buf);
				if (k)
					n = k;
			}
			if (lab ? row_text(c, lab) : row_add(c, buf, n))
				return READSTAT_HANDLER_ABORT;
		}
	}
	if (i == c->nvars - 1 && row_flush(c))
		return READSTAT_HANDLER_ABORT;
	return READSTAT_HANDLER_OK;
}

static void on_error(const char *msg, void *ctx)
{
	struct stat_ctx *c = ctx;
	if (!c->err[0]) {
		snprintf(c->err, sizeof c->err, "%s", msg);
		size_t n = strlen(c->err);
		while (n && isspace((unsigned char)c->err[n - 1]))
			c->err[--n] = '\0';
	}
}

/* ------------------------------------------------------------------ */
/* I/O over the descriptor input.c opened                               */

struct fd_io {
	int fd;
	off_t base;
};

static int io_open(const char *path, void *io)
{
	(void)path;
	return ((struct fd_io *)io)->fd;
}

static int io_close(void *io)
{
	(void)io;
	return 0;
}

static readstat_off_t io_seek(readstat_off_t off, readstat_io_flags_t whence,
                              void *io)
{
	struct fd_io *f = io;
	int w = whence == READSTAT_SEEK_SET ? SEEK_SET
	        : whence == READSTAT_SEEK_CUR ? SEEK_CUR : SEEK_END;
	off_t r = lseek(f->fd, w == SEEK_SET ? f->base + off : off, w);
	return r < 0 ? -1 : r - f->base;
}

static ssize_t io_read(void *buf, size_t n, void *io)
{
	struct fd_io *f = io;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(f->fd, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return got ? (ssize_t)got : -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static readstat_error_t io_update(long size, readstat_progress_handler ph,
                                  void *user, void *io)
{
	(void)size;
	(void)ph;
	(void)user;
	(void)io;
	return READSTAT_OK;
}

static readstat_error_t parse(struct stat_ctx *c, struct fd_io *io,
                              int values)
{
	readstat_parser_t *p = readstat_parser_init();
	if (!p)
		return READSTAT_ERROR_MALLOC;
	readstat_set_open_handler(p, io_open);
	readstat_set_close_handler(p, io_close);
	readstat_set_seek_handler(p, io_seek);
	readstat_set_read_handler(p, io_read);
	readstat_set_update_handler(p, io_update);
	readstat_set_io_ctx(p, io);
	readstat_set_metadata_handler(p, on_metadata);
	readstat_set_variable_handler(p, on_variable);
	readstat_set_value_label_handler(p, values ? NULL : on_value_label);
	if (values)
		readstat_set_value_handler(p, on_value);
	readstat_set_error_handler(p, on_error);
	if (lseek(io->fd, io->base, SEEK_SET) < 0) {
		readstat_parser_free(p);
		return READSTAT_ERROR_SEEK;
	}
	readstat_error_t rc;
	switch (c->kind) {
	case ANGKA_IN_DTA: rc = readstat_parse_dta(p, c->name, c); break;
	case ANGKA_IN_SAV: rc = readstat_parse_sav(p, c->name, c); break;
	case ANGKA_IN_POR: rc = readstat_parse_por(p, c->name, c); break;
	case ANGKA_IN_SAS7BDAT: rc = readstat_parse_sas7bdat(p, c->name, c); break;
	default: rc = readstat_parse_xport(p, c->name, c); break;
	}
	readstat_parser_free(p);
	return rc;
}

static void ctx_release(struct stat_ctx *c)
{
	for (int i = 0; c->vars && i < c->nvars; i++) {
		free(c->vars[i].name);
		free(c->vars[i].label);
		free(c->vars[i].format);
		free(c->vars[i].set_name);
	}
	free(c->vars);
	for (size_t i = 0; i < c->nsets; i++) {
		for (size_t j = 0; j < c->sets[i].n; j++) {
			free(c->sets[i].v[j].s);
			free(c->sets[i].v[j].text);
		}
		free(c->sets[i].v);
		free(c->sets[i].name);
	}
	free(c->sets);
	free(c->row);
	free(c->file_label);
}

/* Run pass 1 (labels) and, with in, pass 2 (values). 0 or -1, msg set. */
static int read_all(struct stat_ctx *c, int fd, int values, char *msg,
                    size_t cap)
{
	struct fd_io io = { fd, lseek(fd, 0, SEEK_CUR) };
	readstat_error_t rc = READSTAT_OK;
	if (!values || c->labels)
		rc = parse(c, &io, 0);
	if (rc == READSTAT_OK && values) {
		rc = parse(c, &io, 1);
		if (rc == READSTAT_OK && !c->header_done && c->vars &&
		    emit_header(c))
			rc = READSTAT_ERROR_USER_ABORT;
	}
	if (rc == READSTAT_OK)
		return 0;
	if (c->nomem)
		snprintf(msg, cap, "'%s': out of memory reading the %s file",
		         c->name, angka_input_kind_name(c->kind));
	else if (c->stopped)
		msg[0] = '\0';
	else
		snprintf(msg, cap, "'%s': not a readable %s file: %s%s%s", c->name,
		         angka_input_kind_name(c->kind), readstat_error_message(rc),
		         c->err[0] ? ": " : "", c->err);
	return -1;
}

int angka_read_stat(struct angka_input *in, int fd, enum angka_input_kind k,
                    const struct angka_input_opts *o)
{
	struct stat_ctx c = { 0 };
	c.in = in;
	c.name = angka_input_name(in);
	c.kind = k;
	c.labels = o->labels;
	char msg[512];
	int rc = read_all(&c, fd, 1, msg, sizeof msg);
	if (rc && msg[0])
		angka_input_fail(in, c.nomem ? ANGKA_ENOMEM : ANGKA_EDATA, "%s", msg);
	ctx_release(&c);
	return rc;
}

static const char *type_name(const struct var *x, char *buf, size_t cap)
{
	switch (x->type) {
	case READSTAT_TYPE_STRING:
	case READSTAT_TYPE_STRING_REF:
		snprintf(buf, cap, "str%zu", x->width);
		return buf;
	case READSTAT_TYPE_INT8: return "byte";
	case READSTAT_TYPE_INT16: return "int";
	case READSTAT_TYPE_INT32: return "long";
	case READSTAT_TYPE_FLOAT: return "float";
	default: return "double";
	}
}

int angka_stat_describe(int fd, const char *name, enum angka_input_kind k,
                        FILE *out, char *msg, size_t cap)
{
	struct stat_ctx c = { 0 };
	c.name = name;
	c.kind = k;
	c.labels = 1;
	if (read_all(&c, fd, 0, msg, cap)) {
		ctx_release(&c);
		return -1;
	}
	for (size_t i = 0; i < c.nsets; i++)
		qsort(c.sets[i].v, c.sets[i].n, sizeof *c.sets[i].v, cmp_label);
	fprintf(out, "Contains data from %s (%s)\n", name,
	        angka_input_kind_name(k));
	if (c.nrows >= 0)
		fprintf(out, "  Observations: %ld\n", c.nrows);
	fprintf(out, "     Variables: %d\n", c.nvars);
	if (c.file_label && *c.file_label)
		fprintf(out, "         Label: %s\n", c.file_label);
	fprintf(out, "\n%-20s %-8s %-12s %-14s %s\n", "Variable", "Storage",
	        "Format", "Value label", "Variable label");
	for (int i = 0; i < c.nvars; i++) {
		const struct var *x = &c.vars[i];
		char tb[32], line[1024];
		int n = snprintf(line, sizeof line, "%-20s %-8s %-12s %-14s %s",
		                 x->name ? x->name : "",
		                 type_name(x, tb, sizeof tb),
		                 x->format ? x->format : "",
		                 x->set_name ? x->set_name : "",
		                 x->label ? x->label : "");
		size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n
		                                                   : sizeof line - 1;
		while (len && line[len - 1] == ' ')
			line[--len] = '\0';
		fprintf(out, "%s\n", line);
	}
	int any = 0;
	for (size_t i = 0; i < c.nsets; i++) {
		const struct label_set *ls = &c.sets[i];
		if (!any++)
			fprintf(out, "\nValue labels\n");
		fprintf(out, "%s:\n", ls->name);
		for (size_t j = 0; j < ls->n; j++) {
			char b[64];
			if (ls->is_str)
				fprintf(out, "  %12s %s\n", ls->v[j].s, ls->v[j].text);
			else if (angka_format_double_exact(ls->v[j].d, b, sizeof b))
				fprintf(out, "  %12s %s\n", b, ls->v[j].text);
		}
	}
	ctx_release(&c);
	if (fflush(out) || ferror(out)) {
		snprintf(msg, cap, "cannot write the description: %s",
		         strerror(errno));
		return -1;
	}
	return 0;
}
