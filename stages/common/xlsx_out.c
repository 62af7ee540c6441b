/*
 * xlsx_out.c - a CSV table as an Excel workbook (see xlsx_out.h).
 */
#include "xlsx_out.h"
#include "xalloc.h"
#include "xlsx_write.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


int angka_xlsx_path(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

long long angka_xlsx_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (s && *s) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!errno && !*end && v > 0 && v < 253402300800LL)
			return v;
	}
	return 946684800LL;  /* 2000-01-01T00:00:00Z */
}

int angka_xlsx_text_column(const char *name, size_t len)
{
	static const char *const words[] = {
		"nik", "kk", "nkk", "kode", "kd", "id", "cluster", "region",
		"wilayah", "rt", "rw", "iddtks", "idartbdt",
	};
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && name[j] != '_' && name[j] != ' ')
			j++;
		for (size_t k = 0; k < sizeof words / sizeof *words; k++)
			if (strlen(words[k]) == j - i &&
			    strncasecmp(name + i, words[k], j - i) == 0)
				return 1;
		i = j + 1;
	}
	return 0;
}

int angka_xlsx_number(const char *s, size_t len, double *v)
{
	size_t i = 0, ndig = 0;
	if (len == 0 || len > 64)
		return 0;
	if (s[i] == '-')
		i++;
	size_t int0 = i;
	while (i < len && isdigit((unsigned char)s[i]))
		i++;
	size_t nint = i - int0;
	if (nint == 0 || (nint > 1 && s[int0] == '0'))
		return 0;    /* no digits, or a leading zero: "007" is a code */
	ndig = nint;
	int plain_int = 1;
	if (i < len && s[i] == '.') {
		size_t f0 = ++i;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		if (i == f0)
			return 0;
		plain_int = 0;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e0 = i;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		if (i == e0)
			return 0;
		plain_int = 0;
	}
	if (i != len)
		return 0;
	if (plain_int && ndig > 15)
		return 0;    /* a NIK: Excel would keep 15 of its digits */
	char buf[72];
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	double d = strtod(buf, NULL);
	if (errno == ERANGE || !isfinite(d))
		return 0;
	/* Excel's range: a subnormal or a number above 9.99999999999999E+307
	 * is no number there; the text keeps it. */
	if (d != 0 && (fabs(d) < DBL_MIN || fabs(d) > 9.99999999999999e307))
		return 0;
	*v = d;
	return 1;
}

#define rec angka_csvrec

static void rec_put(struct rec *r, char c)
{
	if (r->len == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->buf = angka_xrealloc(r->buf, r->cap);
	}
	r->buf[r->len++] = c;
}

static void rec_putn(struct rec *r, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (r->cap - r->len < n) {
		while (r->cap - r->len < n)
			r->cap = r->cap ? 2 * r->cap : 1024;
		r->buf = angka_xrealloc(r->buf, r->cap);
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

static void rec_field(struct rec *r, size_t start)
{
	if (r->n == r->ncap) {
		r->ncap = r->ncap ? 2 * r->ncap : 64;
		r->start = angka_xrealloc(r->start, r->ncap * sizeof *r->start);
		r->flen = angka_xrealloc(r->flen, r->ncap * sizeof *r->flen);
	}
	r->start[r->n] = start;
	r->flen[r->n] = r->len - start;
	r->n++;
	rec_put(r, '\0');
}

const char *angka_csvrec_field(const struct angka_csvrec *r, size_t i)
{
	return i < r->n ? r->buf + r->start[i] : "";
}

long angka_csvrec_find(const struct angka_csvrec *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->buf + r->start[i], name) == 0)
			return (long)i;
	return -1;
}

void angka_csvrec_free(struct angka_csvrec *r)
{
	free(r->buf);
	free(r->start);
	free(r->flen);
	free(r->line);
	memset(r, 0, sizeof *r);
}

/* Bytes of a line that end an unquoted run of field text. */
static int csvrec_special(unsigned char c)
{
	return c == ',' || c == '"' || c == '\r' || c == '\n';
}

/* Reads f one line at a time (getdelim stops right after the newline, so
 * f is never read ahead) and splits the line in memory; a quoted field
 * with a newline in it takes the next line. The same record as reading
 * byte by byte: a quote opens a field only at its start, "" in a quoted
 * field is one quote, text after the closing quote joins the field, CRLF
 * or a CR at the end of the file ends the record, any other CR is text,
 * and the end of the file ends a record (even inside quotes). */
int angka_csvrec_read(FILE *f, struct angka_csvrec *r)
{
	r->len = 0;
	r->n = 0;
	ssize_t got = getdelim(&r->line, &r->lcap, '\n', f);
	if (got < 0)
		return ferror(f) ? -1 : 0;
	const char *p = r->line, *end = p + got;
	size_t start = 0;
	int quoted = 0;
	for (;;) {
		if (p == end) {
			/* An unquoted line without a newline: the file's
			 * end. A quoted field goes on on the next line. */
			if (!quoted)
				break;
			if ((got = getdelim(&r->line, &r->lcap, '\n', f)) < 0)
				break;
			p = r->line;
			end = p + got;
			continue;
		}
		if (quoted) {
			const char *q = memchr(p, '"', (size_t)(end - p));
			if (!q) {
				rec_putn(r, p, (size_t)(end - p));
				p = end;
				continue;
			}
			rec_putn(r, p, (size_t)(q - p));
			p = q + 1;
			if (p < end && *p == '"') {
				rec_put(r, '"');
				p++;
				continue;
			}
			quoted = 0;
			/* A closing quote as the file's last byte. */
			if (p == end)
				break;
			continue;
		}
		const char *q = p;
		while (q < end && !csvrec_special((unsigned char)*q))
			q++;
		rec_putn(r, p, (size_t)(q - p));
		if (q == end) {
			p = end;
			continue;
		}
		char c = *q;
		p = q + 1;
		if (c == '\n')
			break;
		if (c == '"' && r->len == start) {
			quoted = 1;
		} else if (c == ',') {
			rec_field(r, start);
			start = r->len;
		} else if (c == '\r') {
			/* CRLF, or a CR as the file's last byte. */
			if (p == end || *p == '\n')
				break;
			rec_put(r, '\r');
		} else {
			rec_put(r, c);
		}
	}
	rec_field(r, start);
	return ferror(f) ? -1 : 1;
}

enum angka_err angka_xlsx_from_csv(const char *csv, const char *xlsx,
                                   const char *sheet, struct angka_error *e)
{
	FILE *f = fopen(csv, "rb");
	if (!f)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot open '%s':", csv);
	struct angka_xlsx *x = angka_xlsx_open(xlsx, NULL, e);
	if (!x) {
		fclose(f);
		return e->code;
	}
	struct angka_xlsx_style hs = { .bold = 1 };
	int bold = angka_xlsx_style(x, &hs);
	struct rec r[2] = { { 0 }, { 0 } };   /* the header, then each row */
	unsigned char *text = NULL;   /* per column: identifier column */
	size_t ntext = 0;
	enum angka_err rc = ANGKA_OK;
	/* The header and the first row are read before the sheet starts: the
	 * header row is frozen when a row follows it. */
	int got = angka_csvrec_read(f, &r[0]);
	int got1 = got > 0 ? angka_csvrec_read(f, &r[1]) : got;
	if (got < 0 || got1 < 0) {
		rc = ANGKA_ERR(e, ANGKA_EIO, "read error on '%s':", csv);
		goto out;
	}
	angka_xlsx_sheet(x, sheet ? sheet : "Sheet1", NULL, 0, got1 > 0, 0);
	if (got > 0) {
		ntext = r[0].n;
		text = angka_xcalloc(ntext ? ntext : 1, 1);
		for (size_t i = 0; i < r[0].n; i++)
			text[i] = (unsigned char)angka_xlsx_text_column(
				r[0].buf + r[0].start[i], r[0].flen[i]);
	}
	uint32_t row = 0;
	for (struct rec *p = &r[0]; got > 0; row++) {
		if (row >= ANGKA_XLSX_MAX_ROWS) {
			rc = ANGKA_ERR(e, ANGKA_EDATA,
			               "'%s': more than %d rows, the most an Excel "
			               "sheet holds; write a CSV instead",
			               xlsx, ANGKA_XLSX_MAX_ROWS);
			break;
		}
		if (p->n > ANGKA_XLSX_COLS) {
			rc = ANGKA_ERR(e, ANGKA_EDATA,
			               "'%s': row %u has more than %d columns, the most "
			               "an Excel sheet holds; write a CSV instead",
			               xlsx, (unsigned)row + 1, ANGKA_XLSX_COLS);
			break;
		}
		angka_xlsx_row(x, row);
		for (size_t i = 0; i < p->n; i++) {
			const char *s = p->buf + p->start[i];
			size_t n = p->flen[i];
			double v;
			if (n == 0)
				continue;
			if (row > 0 && !(i < ntext && text[i]) &&
			    angka_xlsx_number(s, n, &v))
				angka_xlsx_put_number(x, (uint32_t)i, v, 0);
			else
				angka_xlsx_put_text(x, (uint32_t)i, s, n,
				                    row == 0 ? bold : 0);
		}
		/* The next record: the one read ahead, then from the file. */
		if (row == 0) {
			p = &r[1];
			got = got1;
		} else {
			got = angka_csvrec_read(f, p);
		}
	}
	if (got < 0 && rc == ANGKA_OK)
		rc = ANGKA_ERR(e, ANGKA_EIO, "read error on '%s':", csv);
out:;
	struct angka_error e2 = { 0 };
	enum angka_err crc = angka_xlsx_close(x, &e2);
	if (crc != ANGKA_OK && rc == ANGKA_OK) {
		rc = crc;
		*e = e2;
	}
	fclose(f);
	free(text);
	angka_csvrec_free(&r[0]);
	angka_csvrec_free(&r[1]);
	return rc;
}
