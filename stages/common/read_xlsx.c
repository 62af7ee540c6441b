/*
 * read_xlsx.c - an Excel .xlsx workbook's sheet as CSV text (minizip +
 * expat), on input.c's reader thread (see input_int.h, read_xlsx.h).
 *
 * The workbook part names the sheets (the first, or --sheet NAME), its
 * relationships give the sheet's part, the styles part says which cell
 * styles are dates, the shared strings are read into memory (the one part
 * that is), then the sheet's XML is inflated and parsed in 64 KiB chunks
 * and written into the input ring row by row: memory does not grow with
 * the number of rows.
 */
#include "input_int.h"
#include "read_xlsx.h"

#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <minizip/unzip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum {
	MAX_COLS = 16384,            /* Excel's limit (XFD) */
	MAX_CELL = 4 << 20,          /* bytes of one cell's text */
	MAX_PART = 64 << 20,         /* workbook, rels, styles parts */
	CHUNK = 1 << 16
};

/* The local name of an XML name: "x:sheet" -> "sheet". */
static const char *local(const char *n)
{
	const char *c = strrchr(n, ':');
	return c ? c + 1 : n;
}

static const char *attr(const char **a, const char *name)
{
	for (; a && a[0]; a += 2)
		if (strcmp(local(a[0]), name) == 0)
			return a[1];
	return NULL;
}

/* A growable byte buffer. */
struct buf {
	char *p;
	size_t n, cap;
	int nomem;
};

static int buf_add(struct buf *b, const char *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *q = realloc(b->p, cap);
		if (!q) {
			b->nomem = 1;
			return -1;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* Number formats                                                       */

int xlsx_format_is_date(int id, const char *code)
{
	if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) ||
	    (id >= 50 && id <= 58))
		return 1;
	if (!code)
		return 0;
	/* d or y outside quoted text, [brackets] and escapes; only the
	 * first section (positive numbers) counts. */
	for (const char *c = code; *c && *c != ';'; c++) {
		if (*c == '"') {
			c = strchr(c + 1, '"');
			if (!c)
				return 0;
		} else if (*c == '[') {
			c = strchr(c + 1, ']');
			if (!c)
				return 0;
		} else if (*c == '\\' || *c == '_' || *c == '*') {
			if (!*++c)
				return 0;
		} else if (*c == 'd' || *c == 'D' || *c == 'y' || *c == 'Y') {
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The worksheet                                                        */

enum cell_type { T_NUM, T_SST, T_STR, T_INLINE, T_BOOL, T_ERR, T_DATE };

struct xlsx_sheet {
	const struct xlsx_book *b;
	xlsx_put_fn put;
	void *ctx;
	XML_Parser xp;
	int err;              /* 0, -1 error, -2 stopped */
	char msg[160];

	long next_line;       /* CSV line the next output line will be */
	long row;             /* current row number */
	long rows_seen;
	size_t width;         /* fields per row so far */
	size_t col;           /* fields written in the current row */
	int row_nonempty;
	struct buf line;      /* the row being built */

	int in_cell, in_v, in_is, in_t, in_rph;
	enum cell_type type;
	long style;
	long cell_col;        /* -1: no reference */
	struct buf text;      /* <v> or inline <t> text of the cell */
};

static void sheet_fail(struct xlsx_sheet *s, const char *msg)
{
	if (s->err)
		return;
	s->err = -1;
	snprintf(s->msg, sizeof s->msg, "%s", msg);
	XML_StopParser(s->xp, XML_FALSE);
}

/* "AB12" -> column 27 (0-based); -1 if there are no letters. */
static long ref_col(const char *r)
{
	long c = 0;
	int n = 0;
	for (; *r >= 'A' && *r <= 'Z' && n < 4; r++, n++)
		c = c * 26 + (*r - 'A' + 1);
	return n ? c - 1 : -1;
}

static int emit(struct xlsx_sheet *s, const char *p, size_t n)
{
	if (s->err)
		return -1;
	if (s->put(s->ctx, p, n)) {
		s->err = -2;
		XML_StopParser(s->xp, XML_FALSE);
		return -1;
	}
	return 0;
}

/* Append a field to the row, quoted when it must be. */
static void field_text(struct xlsx_sheet *s, const char *t, size_t n)
{
	struct buf *l = &s->line;
	if (!memchr(t, ',', n) && !memchr(t, '"', n) && !memchr(t, '\n', n) &&
	    !memchr(t, '\r', n)) {
		buf_add(l, t, n);
		return;
	}
	buf_add(l, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '"')
			buf_add(l, "\"", 1);
		else if (t[i] == '\n' || (t[i] == '\r' && (i + 1 == n ||
		                                          t[i + 1] != '\n')))
			s->next_line++;  /* the reader counts it as a line */
		buf_add(l, t + i, 1);
	}
	buf_add(l, "\"", 1);
}

/* 1 if t[0..n) is a plain decimal: -?digits(.digits)? */
static int plain_decimal(const char *t, size_t n)
{
	size_t i = t[0] == '-';
	size_t d = 0;
	for (; i < n && isdigit((unsigned char)t[i]); i++)
		d++;
	if (i < n && t[i] == '.') {
		size_t f = 0;
		for (i++; i < n && isdigit((unsigned char)t[i]); i++)
			f++;
		if (!f)
			return 0;
	}
	return d && i == n;
}

static void cell_value(struct xlsx_sheet *s, char *t, size_t n)
{
	char buf[64];
	switch (s->type) {
	case T_SST: {
		char *end;
		errno = 0;
		unsigned long i = strtoul(t, &end, 10);
		if (end == t || *end || errno || i >= s->b->nsst) {
			sheet_fail(s, "a shared string index out of range");
			return;
		}
		const char *v = s->b->sst + s->b->sst_off[i];
		field_text(s, v, strlen(v));
		return;
	}
	case T_BOOL:
		field_text(s, strcmp(t, "1") == 0 ? "TRUE" : "FALSE",
		           strcmp(t, "1") == 0 ? 4 : 5);
		return;
	case T_NUM:
	case T_DATE:
		break;
	default:
		field_text(s, t, n);
		return;
	}
	/* A number. */
	while (n && isspace((unsigned char)t[n - 1]))
		t[--n] = '\0';
	char *end;
	double v = strtod(t, &end);
	if (!n || *end || !isfinite(v)) {
		field_text(s, t, n);  /* not a number: as it is */
		return;
	}
	int is_date = s->style >= 0 && (size_t)s->style < s->b->nxf &&
	              s->b->xf_date[s->style];
	if (is_date && v >= 1) {
		double days = floor(v);
		double secs = floor((v - days) * 86400.0 + 0.5);
		if (secs >= 86400) {
			days += 1;
			secs = 0;
		}
		if (!s->b->date1904) {
			if (days == 60)
				goto number;  /* 1900-02-29, which never was */
			days += days < 60 ? -25568 : -25569;
		} else {
			days += -24107;
		}
		size_t k = angka_format_iso(days * 86400.0 + secs, secs != 0,
		                            buf, sizeof buf);
		if (k) {
			field_text(s, buf, k);
			return;
		}
	}
number:
	if (plain_decimal(t, n)) {
		field_text(s, t, n);  /* every digit as the file has it */
		/* An integer above 2^53 went through a double, which holds
		 * only even integers there: ".0" says so (nik.h, rule 2). */
		if (!memchr(t, '.', n) && fabs(v) >= 9007199254740992.0)
			buf_add(&s->line, ".0", 2);
		return;
	}
	size_t k = angka_format_double_exact(v, buf, sizeof buf);
	field_text(s, buf, k);
}

static void row_end(struct xlsx_sheet *s)
{
	if (s->col > s->width)
		s->width = s->col;
	if (!s->row_nonempty) {
		s->line.n = 0;
	} else {
		for (; s->col < s->width; s->col++)
			buf_add(&s->line, ",", 1);
	}
	/* Blank lines for the rows the sheet skipped. */
	while (s->next_line < s->row) {
		if (emit(s, "\n", 1))
			return;
		s->next_line++;
	}
	buf_add(&s->line, "\n", 1);
	if (s->line.nomem) {
		sheet_fail(s, "out of memory");
		return;
	}
	emit(s, s->line.p, s->line.n);
	s->next_line++;
	s->line.n = 0;
	s->col = 0;
	s->row_nonempty = 0;
}

static void XMLCALL on_start(void *ud, const char *name, const char **a)
{
	struct xlsx_sheet *s = ud;
	const char *n = local(name);
	if (strcmp(n, "row") == 0) {
		const char *r = attr(a, "r");
		long rn = r ? strtol(r, NULL, 10) : 0;
		s->row = rn > s->row && rn <= 1048576 ? rn : s->row + 1;
		s->col = 0;
		s->line.n = 0;
		s->row_nonempty = 0;
		s->rows_seen++;
	} else if (strcmp(n, "c") == 0) {
		s->in_cell = 1;
		s->text.n = 0;
		const char *t = attr(a, "t");
		s->type = !t || strcmp(t, "n") == 0 ? T_NUM
		          : strcmp(t, "s") == 0 ? T_SST
		          : strcmp(t, "inlineStr") == 0 ? T_INLINE
		          : strcmp(t, "b") == 0 ? T_BOOL
		          : strcmp(t, "e") == 0 ? T_ERR : T_STR;
		const char *st = attr(a, "s");
		s->style = st ? strtol(st, NULL, 10) : -1;
		const char *r = attr(a, "r");
		s->cell_col = r ? ref_col(r) : -1;
		if (s->cell_col >= MAX_COLS)
			sheet_fail(s, "a cell beyond column XFD");
	} else if (s->in_cell && strcmp(n, "v") == 0) {
		s->in_v = 1;
	} else if (s->in_cell && strcmp(n, "is") == 0) {
		s->in_is = 1;
	} else if (s->in_is && strcmp(n, "rPh") == 0) {
		s->in_rph = 1;
	} else if (s->in_is && !s->in_rph && strcmp(n, "t") == 0) {
		s->in_t = 1;
	} else if (strcmp(n, "dimension") == 0) {
		/* ref="A1:F100": rows are at least F wide. */
		const char *r = attr(a, "ref");
		const char *c = r ? strchr(r, ':') : NULL;
		long w = c ? ref_col(c + 1) + 1 : 0;
		if (w > 0 && w <= MAX_COLS)
			s->width = (size_t)w;
	}
}

static void XMLCALL on_end(void *ud, const char *name)
{
	struct xlsx_sheet *s = ud;
	const char *n = local(name);
	if (strcmp(n, "v") == 0) {
		s->in_v = 0;
	} else if (strcmp(n, "t") == 0) {
		s->in_t = 0;
	} else if (strcmp(n, "rPh") == 0) {
		s->in_rph = 0;
	} else if (strcmp(n, "is") == 0) {
		s->in_is = 0;
	} else if (strcmp(n, "c") == 0 && s->in_cell) {
		s->in_cell = 0;
		if (!s->text.n)
			return;  /* an empty (styled) cell */
		if (s->cell_col >= 0 && (size_t)s->cell_col < s->col) {
			char m[64];
			snprintf(m, sizeof m, "cells out of order in row %ld", s->row);
			sheet_fail(s, m);
			return;
		}
		size_t c = s->cell_col >= 0 ? (size_t)s->cell_col : s->col;
		/* Empty fields for the columns the row skips, then the cell. */
		for (; s->col < c; s->col++)
			if (s->col)
				buf_add(&s->line, ",", 1);
		if (s->col)
			buf_add(&s->line, ",", 1);
		cell_value(s, s->text.p, s->text.n);
		s->col++;
		s->row_nonempty = 1;
		if (s->line.nomem || s->text.nomem)
			sheet_fail(s, "out of memory");
	} else if (strcmp(n, "row") == 0) {
		row_end(s);
	}
}

static void XMLCALL on_text(void *ud, const char *p, int len)
{
	struct xlsx_sheet *s = ud;
	if (!s->in_v && !s->in_t)
		return;
	if (s->text.n + (size_t)len > MAX_CELL) {
		sheet_fail(s, "a cell longer than 4 MiB");
		return;
	}
	buf_add(&s->text, p, (size_t)len);
}

struct xlsx_sheet *xlsx_sheet_new(const struct xlsx_book *b, xlsx_put_fn put,
                                  void *ctx)
{
	struct xlsx_sheet *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->b = b;
	s->put = put;
	s->ctx = ctx;
	s->next_line = 1;
	s->xp = XML_ParserCreate("UTF-8");
	if (!s->xp) {
		free(s);
		return NULL;
	}
	XML_SetUserData(s->xp, s);
	XML_SetElementHandler(s->xp, on_start, on_end);
	XML_SetCharacterDataHandler(s->xp, on_text);
	return s;
}

int xlsx_sheet_feed(struct xlsx_sheet *s, const char *p, size_t n, int last)
{
	if (s->err)
		return s->err;
	if (XML_Parse(s->xp, p, (int)n, last) == XML_STATUS_ERROR && !s->err) {
		s->err = -1;
		snprintf(s->msg, sizeof s->msg, "XML error at line %lu: %s",
		         (unsigned long)XML_GetCurrentLineNumber(s->xp),
		         XML_ErrorString(XML_GetErrorCode(s->xp)));
	}
	return s->err;
}

const char *xlsx_sheet_error(const struct xlsx_sheet *s)
{
	return s->msg;
}

void xlsx_sheet_free(struct xlsx_sheet *s)
{
	if (!s)
		return;
	XML_ParserFree(s->xp);
	free(s->line.p);
	free(s->text.p);
	free(s);
}

/* ------------------------------------------------------------------ */
/* The zip archive, over the descriptor input.c opened                  */

static voidpf ZCALLBACK z_open(voidpf opaque, const void *name, int mode)
{
	(void)name;
	(void)mode;
	return opaque;  /* the FILE * */
}

static uLong ZCALLBACK z_read(voidpf opaque, voidpf f, void *b, uLong n)
{
	(void)opaque;
	return (uLong)fread(b, 1, n, f);
}

static uLong ZCALLBACK z_write(voidpf opaque, voidpf f, const void *b, uLong n)
{
	(void)opaque;
	(void)f;
	(void)b;
	(void)n;
	return 0;
}

static ZPOS64_T ZCALLBACK z_tell(voidpf opaque, voidpf f)
{
	(void)opaque;
	off_t o = ftello(f);
	return o < 0 ? (ZPOS64_T)-1 : (ZPOS64_T)o;
}

static long ZCALLBACK z_seek(voidpf opaque, voidpf f, ZPOS64_T off, int origin)
{
	(void)opaque;
	int w = origin == ZLIB_FILEFUNC_SEEK_SET ? SEEK_SET
	        : origin == ZLIB_FILEFUNC_SEEK_CUR ? SEEK_CUR : SEEK_END;
	return fseeko(f, (off_t)off, w) ? -1 : 0;
}

static int ZCALLBACK z_close(voidpf opaque, voidpf f)
{
	(void)opaque;
	(void)f;
	return 0;  /* read_book closes the FILE */
}

static int ZCALLBACK z_error(voidpf opaque, voidpf f)
{
	(void)opaque;
	return ferror((FILE *)f);
}

struct book_ctx {
	struct angka_input *in;
	const char *name;
	unzFile z;
	struct xlsx_book b;
	/* workbook.xml */
	const char *want_sheet;
	char *sheet_rid, *sheet_name, *first_rid, *first_name;
	struct buf sheet_names;   /* for the message when not found */
	/* rels */
	char *target;
	/* styles */
	long *fmt_id;             /* custom numFmt ids ... */
	char **fmt_code;          /* ... and their codes */
	size_t nfmt;
	int in_cellxfs;
	struct buf xf;            /* numFmtId per xf, as longs */
	/* shared strings */
	struct buf sst;
	struct buf sst_off;       /* size_t offsets */
	struct buf si;
	int in_si, in_t, in_rph;
	int nomem;
};

/* Inflate part into a handler: expat over the whole part, chunk by chunk.
 * 0, 1 when the part is missing, -1 with msg on an error. */
static int parse_part(struct book_ctx *c, const char *part,
                      XML_StartElementHandler st, XML_EndElementHandler en,
                      XML_CharacterDataHandler tx, char *msg, size_t cap)
{
	if (unzLocateFile(c->z, part, 1) != UNZ_OK)
		return 1;
	if (unzOpenCurrentFile(c->z) != UNZ_OK) {
		snprintf(msg, cap, "cannot open part %s", part);
		return -1;
	}
	XML_Parser xp = XML_ParserCreate("UTF-8");
	char *chunk = malloc(CHUNK);
	if (!xp || !chunk) {
		if (xp)
			XML_ParserFree(xp);
		free(chunk);
		unzCloseCurrentFile(c->z);
		snprintf(msg, cap, "out of memory");
		return -1;
	}
	XML_SetUserData(xp, c);
	XML_SetElementHandler(xp, st, en);
	if (tx)
		XML_SetCharacterDataHandler(xp, tx);
	int rc = 0;
	for (;;) {
		int n = unzReadCurrentFile(c->z, chunk, CHUNK);
		if (n < 0) {
			snprintf(msg, cap, "part %s is damaged (zip error %d)", part, n);
			rc = -1;
			break;
		}
		if (XML_Parse(xp, chunk, n, n == 0) == XML_STATUS_ERROR) {
			snprintf(msg, cap, "part %s: XML error at line %lu: %s", part,
			         (unsigned long)XML_GetCurrentLineNumber(xp),
			         XML_ErrorString(XML_GetErrorCode(xp)));
			rc = -1;
			break;
		}
		if (c->nomem) {
			snprintf(msg, cap, "out of memory reading part %s", part);
			rc = -1;
			break;
		}
		if (n == 0)
			break;
	}
	if (unzCloseCurrentFile(c->z) == UNZ_CRCERROR && rc == 0) {
		snprintf(msg, cap, "part %s fails its CRC check", part);
		rc = -1;
	}
	XML_ParserFree(xp);
	free(chunk);
	return rc;
}

static char *sdup(struct book_ctx *c, const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		c->nomem = 1;
	return d;
}

static void XMLCALL wb_start(void *ud, const char *name, const char **a)
{
	struct book_ctx *c = ud;
	const char *n = local(name);
	if (strcmp(n, "workbookPr") == 0) {
		const char *d = attr(a, "date1904");
		c->b.date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	} else if (strcmp(n, "sheet") == 0) {
		const char *sn = attr(a, "name"), *id = attr(a, "id");
		if (!sn || !id)
			return;
		if (c->sheet_names.n)
			buf_add(&c->sheet_names, ", ", 2);
		buf_add(&c->sheet_names, sn, strlen(sn));
		c->nomem |= c->sheet_names.nomem;
		if (!c->first_rid) {
			c->first_rid = sdup(c, id);
			c->first_name = sdup(c, sn);
		}
		if (c->want_sheet && !c->sheet_rid &&
		    strcmp(sn, c->want_sheet) == 0) {
			c->sheet_rid = sdup(c, id);
			c->sheet_name = sdup(c, sn);
		}
	}
}

static void XMLCALL no_end(void *ud, const char *name)
{
	(void)ud;
	(void)name;
}

static void XMLCALL rels_start(void *ud, const char *name, const char **a)
{
	struct book_ctx *c = ud;
	if (strcmp(local(name), "Relationship") != 0 || c->target)
		return;
	const char *id = attr(a, "Id"), *t = attr(a, "Target");
	if (id && t && c->sheet_rid && strcmp(id, c->sheet_rid) == 0)
		c->target = sdup(c, t);
}

static void XMLCALL st_start(void *ud, const char *name, const char **a)
{
	struct book_ctx *c = ud;
	const char *n = local(name);
	if (strcmp(n, "numFmt") == 0) {
		const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
		if (!id || !code)
			return;
		long *ni = realloc(c->fmt_id, (c->nfmt + 1) * sizeof *ni);
		if (ni)
			c->fmt_id = ni;
		char **nc = ni ? realloc(c->fmt_code, (c->nfmt + 1) * sizeof *nc)
		               : NULL;
		if (!nc) {
			c->nomem = 1;
			return;
		}
		c->fmt_code = nc;
		c->fmt_id[c->nfmt] = strtol(id, NULL, 10);
		c->fmt_code[c->nfmt++] = sdup(c, code);
	} else if (strcmp(n, "cellXfs") == 0) {
		c->in_cellxfs = 1;
	} else if (c->in_cellxfs && strcmp(n, "xf") == 0) {
		const char *id = attr(a, "numFmtId");
		long v = id ? strtol(id, NULL, 10) : 0;
		if (buf_add(&c->xf, (const char *)&v, sizeof v))
			c->nomem = 1;
	}
}

static void XMLCALL st_end(void *ud, const char *name)
{
	struct book_ctx *c = ud;
	if (strcmp(local(name), "cellXfs") == 0)
		c->in_cellxfs = 0;
}

static void XMLCALL sst_start(void *ud, const char *name, const char **a)
{
	struct book_ctx *c = ud;
	(void)a;
	const char *n = local(name);
	if (strcmp(n, "si") == 0) {
		c->in_si = 1;
		c->si.n = 0;
	} else if (c->in_si && strcmp(n, "rPh") == 0) {
		c->in_rph = 1;
	} else if (c->in_si && !c->in_rph && strcmp(n, "t") == 0) {
		c->in_t = 1;
	}
}

static void XMLCALL sst_end(void *ud, const char *name)
{
	struct book_ctx *c = ud;
	const char *n = local(name);
	if (strcmp(n, "t") == 0) {
		c->in_t = 0;
	} else if (strcmp(n, "rPh") == 0) {
		c->in_rph = 0;
	} else if (strcmp(n, "si") == 0 && c->in_si) {
		c->in_si = 0;
		size_t off = c->sst.n;
		if (buf_add(&c->sst, c->si.n ? c->si.p : "", c->si.n + 1) ||
		    buf_add(&c->sst_off, (const char *)&off, sizeof off))
			c->nomem = 1;
	}
}

static void XMLCALL sst_text(void *ud, const char *p, int len)
{
	struct book_ctx *c = ud;
	if (!c->in_t)
		return;
	if (c->si.n + (size_t)len > MAX_CELL || buf_add(&c->si, p, (size_t)len))
		c->nomem = 1;
}

/* The sheet's part name from a relationship target. */
static char *part_of(struct book_ctx *c, const char *t)
{
	struct buf b = { 0 };
	if (t[0] == '/')
		buf_add(&b, t + 1, strlen(t + 1));
	else {
		buf_add(&b, "xl/", 3);
		buf_add(&b, t, strlen(t));
	}
	if (b.nomem)
		c->nomem = 1;
	return b.p;
}

static int put_in(void *ctx, const char *p, size_t n)
{
	return angka_input_put(ctx, p, n);
}

static void book_release(struct book_ctx *c)
{
	free(c->sheet_rid);
	free(c->sheet_name);
	free(c->first_rid);
	free(c->first_name);
	free(c->sheet_names.p);
	free(c->target);
	free(c->fmt_id);
	for (size_t i = 0; i < c->nfmt; i++)
		free(c->fmt_code[i]);
	free(c->fmt_code);
	free(c->xf.p);
	free(c->sst.p);
	free(c->sst_off.p);
	free(c->si.p);
	free(c->b.xf_date);
}

static int read_book(struct book_ctx *c, char *msg, size_t cap)
{
	int rc = parse_part(c, "xl/workbook.xml", wb_start, no_end, NULL, msg,
	                    cap);
	if (rc == 1) {
		snprintf(msg, cap, "a zip archive without xl/workbook.xml: not an "
		         "Excel workbook (.xlsx)");
		return -1;
	}
	if (rc)
		return -1;
	if (c->want_sheet && !c->sheet_rid) {
		snprintf(msg, cap, "no sheet named '%s' (sheets: %s)", c->want_sheet,
		         c->sheet_names.p ? c->sheet_names.p : "none");
		return -1;
	}
	if (!c->want_sheet) {
		if (!c->first_rid) {
			snprintf(msg, cap, "the workbook has no sheet");
			return -1;
		}
		c->sheet_rid = sdup(c, c->first_rid);
		c->sheet_name = sdup(c, c->first_name);
	}
	rc = parse_part(c, "xl/_rels/workbook.xml.rels", rels_start, no_end,
	                NULL, msg, cap);
	if (rc < 0)
		return -1;
	if (!c->target) {
		snprintf(msg, cap, "sheet '%s' has no part in the workbook's "
		         "relationships", c->sheet_name);
		return -1;
	}
	if (parse_part(c, "xl/styles.xml", st_start, st_end, NULL, msg, cap) < 0)
		return -1;
	c->b.nxf = c->xf.n / sizeof(long);
	c->b.xf_date = calloc(c->b.nxf + 1, 1);
	if (!c->b.xf_date)
		c->nomem = 1;
	for (size_t i = 0; c->b.xf_date && i < c->b.nxf; i++) {
		long id;
		memcpy(&id, c->xf.p + i * sizeof id, sizeof id);
		const char *code = NULL;
		for (size_t k = 0; k < c->nfmt; k++)
			if (c->fmt_id[k] == id)
				code = c->fmt_code[k];
		c->b.xf_date[i] = (unsigned char)xlsx_format_is_date((int)id, code);
	}
	if (parse_part(c, "xl/sharedStrings.xml", sst_start, sst_end, sst_text,
	               msg, cap) < 0)
		return -1;
	c->b.sst = c->sst.p;
	c->b.sst_off = (size_t *)(void *)c->sst_off.p;
	c->b.nsst = c->sst_off.n / sizeof(size_t);
	if (c->nomem) {
		snprintf(msg, cap, "out of memory");
		return -1;
	}
	return 0;
}

static int read_sheet(struct book_ctx *c, char *msg, size_t cap)
{
	char *part = part_of(c, c->target);
	if (!part || unzLocateFile(c->z, part, 1) != UNZ_OK ||
	    unzOpenCurrentFile(c->z) != UNZ_OK) {
		snprintf(msg, cap, "sheet '%s': part %s missing", c->sheet_name,
		         part ? part : "?");
		free(part);
		return -1;
	}
	struct xlsx_sheet *s = xlsx_sheet_new(&c->b, put_in, c->in);
	char *chunk = malloc(CHUNK);
	int rc = 0;
	if (!s || !chunk) {
		snprintf(msg, cap, "out of memory");
		rc = -1;
	}
	while (rc == 0) {
		int n = unzReadCurrentFile(c->z, chunk, CHUNK);
		if (n < 0) {
			snprintf(msg, cap, "sheet '%s': part %s is damaged (zip "
			         "error %d)", c->sheet_name, part, n);
			rc = -1;
			break;
		}
		rc = xlsx_sheet_feed(s, chunk, (size_t)n, n == 0);
		if (rc == -1)
			snprintf(msg, cap, "sheet '%s': %s", c->sheet_name,
			         xlsx_sheet_error(s));
		if (rc == -2)
			msg[0] = '\0';  /* the consumer stopped */
		if (n == 0)
			break;
	}
	if (unzCloseCurrentFile(c->z) == UNZ_CRCERROR && rc == 0) {
		snprintf(msg, cap, "sheet '%s': part %s fails its CRC check",
		         c->sheet_name, part);
		rc = -1;
	}
	xlsx_sheet_free(s);
	free(chunk);
	free(part);
	return rc ? -1 : 0;
}

int angka_read_xlsx(struct angka_input *in, int fd,
                    const struct angka_input_opts *o)
{
	struct book_ctx c = { 0 };
	c.in = in;
	c.name = angka_input_name(in);
	c.want_sheet = o->sheet;
	char msg[400] = "";
	int d = dup(fd);
	FILE *f = d >= 0 ? fdopen(d, "rb") : NULL;
	if (!f) {
		if (d >= 0)
			close(d);
		angka_input_fail(in, ANGKA_EIO, "'%s': cannot read: %s", c.name,
		                 strerror(errno));
		return -1;
	}
	zlib_filefunc64_def io = { z_open, z_read, z_write, z_tell, z_seek,
	                           z_close, z_error, f };
	c.z = unzOpen2_64(c.name, &io);
	int rc = -1;
	if (!c.z)
		snprintf(msg, sizeof msg, "a damaged zip archive (not a readable "
		         ".xlsx)");
	else if (read_book(&c, msg, sizeof msg) == 0)
		rc = read_sheet(&c, msg, sizeof msg);
	if (rc && msg[0])
		angka_input_fail(in, c.nomem ? ANGKA_ENOMEM : ANGKA_EDATA,
		                 "'%s': %s", c.name, msg);
	if (c.z)
		unzClose(c.z);
	fclose(f);
	book_release(&c);
	return rc;
}
