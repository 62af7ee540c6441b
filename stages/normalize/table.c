/*
 * table.c - plumbing shared by the table-like normalize handlers: canonical
 * CSV in by column name, fixed-header CSV out, quarantine, warnings,
 * conservation, region codes. See table.h.
 */
#include "table.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "number.h"

static void table_release(struct normalize_table *t)
{
	angka_csv_reader_free(t->r);
	t->r = NULL;
	for (size_t i = 0; i < t->nheader; i++)
		free(t->header[i]);
	free(t->header);
	t->header = NULL;
	t->nheader = 0;
}

enum angka_err normalize_table_open(struct normalize_table *t,
                                    const struct normalize_opts *o,
                                    const struct normalize_settings *s,
                                    const char *const *out_cols,
                                    struct normalize_stats *st,
                                    struct angka_error *e)
{
	memset(t, 0, sizeof *t);
	memset(st, 0, sizeof *st);
	t->st = st;
	t->quiet = o->quiet;
	t->max_warnings = s->max_warnings;
	struct angka_csv_opts copts = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	enum angka_err rc = angka_csv_reader_open(&t->r, o->in, &copts, e);
	if (rc != ANGKA_OK)
		goto fail;
	t->name = angka_csv_reader_name(t->r);
	const struct angka_csv_record *hdr;
	int got = angka_csv_reader_next(t->r, &hdr, e);
	if (got < 0) {
		rc = e->code;
		goto fail;
	}
	if (got == 0) {
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s': empty input (no header)",
		               t->name);
		goto fail;
	}
	t->nheader = hdr->nfields;
	t->header = angka_xcalloc(t->nheader, sizeof *t->header);
	for (size_t i = 0; i < t->nheader; i++)
		t->header[i] = angka_xstrdup(hdr->field[i]);
	t->col_file = normalize_table_col(t, "src_file");
	t->col_line = normalize_table_col(t, "src_line");
	if (t->col_file < 0 || t->col_line < 0) {
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA,
		               "'%s':%ld: missing column '%s' (is this the output "
		               "of angka-ingest?)", t->name, hdr->line,
		               t->col_file < 0 ? "src_file" : "src_line");
		goto fail;
	}
	rc = angka_csv_writer_open(&t->w, o->out, 0, e);
	if (rc != ANGKA_OK)
		goto fail;
	if (o->tee)
		angka_csv_writer_tee_stdout(t->w);
	rc = angka_quarantine_open(&t->q, o->quarantine, "normalize", e);
	if (rc != ANGKA_OK)
		goto fail;
	t->q_open = 1;
	for (const char *const *c = out_cols; *c; c++)
		angka_csv_writer_str(t->w, *c);
	angka_csv_writer_end_row(t->w);
	return ANGKA_OK;
fail:
	normalize_table_abort(t);
	return rc;
}

int normalize_table_col(const struct normalize_table *t, const char *name)
{
	for (size_t i = 0; i < t->nheader; i++)
		if (strcmp(t->header[i], name) == 0)
			return (int)i;
	return -1;
}

enum angka_err normalize_table_require(const struct normalize_table *t,
                                       const char *const *names,
                                       struct angka_error *e)
{
	for (const char *const *n = names; *n; n++) {
		if (normalize_table_col(t, *n) >= 0)
			continue;
		char found[512];
		size_t fl = 0;
		found[0] = '\0';
		for (size_t i = 0; i < t->nheader && fl + 4 < sizeof found; i++) {
			int k = snprintf(found + fl, sizeof found - fl, "%s%s",
			                 i ? ", " : "", t->header[i]);
			if (k < 0)
				break;
			fl += (size_t)k;
		}
		return ANGKA_ERR(e, ANGKA_ESCHEMA,
		                 "'%s': missing required column '%s'; columns "
		                 "found: %s", t->name, *n, found);
	}
	return ANGKA_OK;
}

int normalize_table_next(struct normalize_table *t, struct angka_error *e)
{
	for (;;) {
		int got = angka_csv_reader_next(t->r, &t->rec, e);
		if (got <= 0)
			return got;
		t->st->rows_in++;
		if (t->rec->nfields == t->nheader)
			return 1;
		char detail[96];
		snprintf(detail, sizeof detail, "%zu fields, header has %zu",
		         t->rec->nfields, t->nheader);
		/* src_file/src_line may be misplaced: name the canonical line. */
		t->st->rows_quarantined++;
		angka_quarantine_add(&t->q, t->name, t->rec->line, "",
		                     "field_count", detail, NULL, t->rec, ',');
		if (!t->quiet && t->warnings++ < t->max_warnings)
			angka_warn("'%s':%ld: field_count: %s (row quarantined)",
			           t->name, t->rec->line, detail);
	}
}

const char *normalize_table_get(const struct normalize_table *t, int col,
                                size_t *len)
{
	if (col < 0 || (size_t)col >= t->rec->nfields) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = t->rec->len[col];
	return t->rec->field[col];
}

const char *normalize_table_src_file(const struct normalize_table *t)
{
	return normalize_table_get(t, t->col_file, NULL);
}

long normalize_table_src_line(const struct normalize_table *t)
{
	return strtol(normalize_table_get(t, t->col_line, NULL), NULL, 10);
}

void normalize_table_warn(struct normalize_table *t, const char *fmt, ...)
{
	if (t->quiet || t->warnings++ >= t->max_warnings)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	angka_warn("'%s':%ld: %s", normalize_table_src_file(t),
	           normalize_table_src_line(t), msg);
}

void normalize_table_quarantine(struct normalize_table *t, const char *field,
                                const char *reason, const char *detail)
{
	t->st->rows_quarantined++;
	angka_quarantine_add(&t->q, normalize_table_src_file(t),
	                     normalize_table_src_line(t), field, reason, detail,
	                     NULL, t->rec, ',');
	if (field && *field)
		normalize_table_warn(t, "%s: field '%s': %s (row quarantined)",
		                     reason, field, detail);
	else
		normalize_table_warn(t, "%s: %s (row quarantined)", reason, detail);
}

void normalize_table_str(struct normalize_table *t, const char *s)
{
	angka_csv_writer_str(t->w, s);
}

void normalize_table_field(struct normalize_table *t, const char *s,
                           size_t len)
{
	angka_csv_writer_field(t->w, s, len);
}

int normalize_table_text(struct normalize_table *t, const char *s, size_t len)
{
	angka_csv_writer_text(t->w, s, len);
	return angka_csv_formula_like(s, len);
}

void normalize_table_num(struct normalize_table *t, double v)
{
	char buf[40];
	size_t n = angka_number_format(v, buf, sizeof buf);
	angka_csv_writer_raw(t->w, buf, n);
}

void normalize_table_src(struct normalize_table *t)
{
	size_t len;
	const char *f = normalize_table_get(t, t->col_file, &len);
	angka_csv_writer_text(t->w, f, len);
	f = normalize_table_get(t, t->col_line, &len);
	angka_csv_writer_field(t->w, f, len);
}

void normalize_table_end_row(struct normalize_table *t, int fixed)
{
	angka_csv_writer_end_row(t->w);
	t->st->rows_out++;
	if (fixed)
		t->st->rows_fixed++;
}

enum angka_err normalize_table_finish(struct normalize_table *t,
                                      struct angka_error *e)
{
	enum angka_err rc = angka_csv_reader_close(t->r, e);
	t->r = NULL;
	if (rc != ANGKA_OK)
		goto fail;
	struct normalize_stats *st = t->st;
	/* The quarantine file must also hold exactly the rows counted as
	 * quarantined. */
	rc = angka_check_balance(st->rows_in, st->rows_out,
	                         st->rows_quarantined, 0, e);
	if (rc == ANGKA_OK && st->rows_quarantined != t->q.rows)
		rc = ANGKA_ERR(e, ANGKA_EBALANCE, "quarantined %llu rows but "
		               "the quarantine holds %llu",
		               (unsigned long long)st->rows_quarantined,
		               (unsigned long long)t->q.rows);
	if (rc != ANGKA_OK)
		goto fail;
	if (!t->quiet && t->warnings > t->max_warnings)
		angka_warn("%ld more warnings not shown",
		           t->warnings - t->max_warnings);
	/* The quarantine first: an output without its quarantine would break
	 * conservation for a reader. */
	t->q_open = 0;
	rc = angka_quarantine_commit(&t->q, e);
	if (rc != ANGKA_OK)
		goto fail;
	rc = angka_csv_writer_commit(t->w, e);
	t->w = NULL;
	if (rc != ANGKA_OK)
		goto fail;
	table_release(t);
	return ANGKA_OK;
fail:
	normalize_table_abort(t);
	return rc;
}

void normalize_table_abort(struct normalize_table *t)
{
	if (t->q_open)
		angka_quarantine_abort(&t->q);
	t->q_open = 0;
	angka_csv_writer_abort(t->w);
	t->w = NULL;
	table_release(t);
}

void normalize_codes_clear(struct normalize_codes *c)
{
	c->len = 0;
	c->buf[0] = '\0';
}

void normalize_codes_add(struct normalize_codes *c, const char *code)
{
	size_t cl = strlen(code);
	const char *p = c->buf;
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == cl && strncmp(p, code, n) == 0)
			return;
		p += n + (bar ? 1 : 0);
	}
	if (c->len + cl + 2 > sizeof c->buf)
		return;
	if (c->len)
		c->buf[c->len++] = '|';
	memcpy(c->buf + c->len, code, cl + 1);
	c->len += cl;
}

const char *normalize_trim(const char *s, size_t *len)
{
	size_t n = *len;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

int normalize_kode(const char *s, size_t len, char *dotted, char *digits)
{
	static const size_t width[4] = { 2, 2, 2, 4 };
	char part[4][5];
	size_t np = 0, pl = 0;
	int has_dot = 0;
	size_t ndot = 0, last_part = 0;
	dotted[0] = digits[0] = '\0';
	s = normalize_trim(s, &len);
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			has_dot = 1;
			ndot++;
			last_part = 0;
		} else {
			last_part++;
		}
	}
	/* "63.1" is what a spreadsheet makes of the number 63.10: the lost
	 * digit is a trailing zero, not a leading one, so it is no code. */
	if (ndot == 1 && last_part < 2)
		return -1;
	if (has_dot) {
		for (size_t i = 0; i <= len; i++) {
			if (i == len || s[i] == '.') {
				if (pl == 0 || np == 4 || pl > width[np])
					return -1;
				/* Restore leading zeros lost in a spreadsheet. */
				size_t pad = width[np] - pl;
				memmove(part[np] + pad, part[np], pl);
				memset(part[np], '0', pad);
				part[np][width[np]] = '\0';
				np++;
				pl = 0;
			} else if (s[i] >= '0' && s[i] <= '9') {
				if (np == 4 || pl >= width[np])
					return -1;
				part[np][pl++] = s[i];
			} else if (s[i] != ' ') {
				return -1;
			}
		}
	} else {
		char d[16];
		size_t nd = 0;
		for (size_t i = 0; i < len; i++) {
			if (s[i] >= '0' && s[i] <= '9') {
				if (nd == 10)
					return -1;
				d[nd++] = s[i];
			} else if (s[i] != ' ' && s[i] != '-') {
				return -1;
			}
		}
		if (nd != 2 && nd != 4 && nd != 6 && nd != 10)
			return -1;
		size_t off = 0;
		while (off < nd) {
			memcpy(part[np], d + off, width[np]);
			part[np][width[np]] = '\0';
			off += width[np];
			np++;
		}
	}
	size_t dl = 0, gl = 0;
	for (size_t i = 0; i < np; i++) {
		if (i)
			dotted[dl++] = '.';
		memcpy(dotted + dl, part[i], width[i]);
		memcpy(digits + gl, part[i], width[i]);
		dl += width[i];
		gl += width[i];
	}
	dotted[dl] = '\0';
	digits[gl] = '\0';
	return (int)np;
}

int normalize_daerah(const char *s, size_t len)
{
	static const struct {
		const char *label;
		int d;
	} labels[] = {
		{ "1", 1 }, { "perkotaan", 1 }, { "kota", 1 }, { "urban", 1 },
		{ "k", 1 },
		{ "2", 2 }, { "perdesaan", 2 }, { "pedesaan", 2 }, { "desa", 2 },
		{ "rural", 2 }, { "d", 2 },
		{ "3", 3 }, { "total", 3 }, { "jumlah", 3 }, { "k+d", 3 },
		{ "perkotaan+perdesaan", 3 }, { "kota+desa", 3 },
		{ "perkotaandanperdesaan", 3 },
		{ NULL, 0 }
	};
	char key[32];
	size_t kl = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t')
			continue;
		if (kl + 1 >= sizeof key)
			return -1;
		key[kl++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	key[kl] = '\0';
	if (kl == 0)
		return 0;
	for (size_t i = 0; labels[i].label; i++)
		if (strcmp(key, labels[i].label) == 0)
			return labels[i].d;
	return -1;
}

const char *normalize_daerah_name(int d)
{
	switch (d) {
	case 1: return "perkotaan";
	case 2: return "perdesaan";
	case 3: return "total";
	default: return "";
	}
}

int normalize_year_in(const char *s)
{
	const char *slash = strrchr(s, '/');
	if (slash)
		s = slash + 1;
	size_t i = 0, n = strlen(s);
	while (i < n) {
		if (s[i] < '0' || s[i] > '9') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j - i == 4) {
			int y = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 +
			        (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
			if (y >= 1900 && y <= 2100)
				return y;
		}
		i = j;
	}
	return 0;
}

enum angka_number_status normalize_rupiah(const char *s, size_t len,
                                          struct angka_number *num)
{
	enum angka_number_status st = angka_number_parse(s, len,
	                                                 ANGKA_NUMBER_AUTO, num);
	if (st != ANGKA_NUMBER_OK || !(num->flags & ANGKA_NUMBER_F_AMBIGUOUS))
		return st;
	/* The lone separator is a thousands separator: parse under the
	 * locale in which it is one. */
	enum angka_number_locale loc = memchr(s, '.', len) ? ANGKA_NUMBER_ID
	                                                   : ANGKA_NUMBER_EN;
	return angka_number_parse(s, len, loc, num);
}

double normalize_scale10(const struct angka_number *num, int k)
{
	char buf[64];
	double v = num->value * pow(10.0, k);
	int d = num->frac_digits - k;
	if (d < 0)
		d = 0;
	if (d > 17)
		d = 17;
	if (!isfinite(v) || fabs(v) >= 1e17)
		return v;
	snprintf(buf, sizeof buf, "%.*f", d, v);
	return strtod(buf, NULL);
}
