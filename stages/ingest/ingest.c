/*
 * ingest.c - angka-ingest's logic: header search, profile mapping, copying
 * rows to canonical columns, quarantine, conservation check.
 */
#include "ingest.h"
#include "csv_line.h"
#include "line_index.h"
#include "xlsx_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

struct out_cols {
	char **name;      /* output column names after src_file, src_line */
	size_t n;
	size_t ncanon;    /* the first ncanon are the profile's columns */
};

static void out_cols_add(struct out_cols *oc, const char *name)
{
	for (size_t i = 0; i < oc->n; i++)
		if (strcmp(oc->name[i], name) == 0)
			return;
	oc->name = angka_xrealloc(oc->name, (oc->n + 1) * sizeof *oc->name);
	oc->name[oc->n++] = angka_xstrdup(name);
}

static void out_cols_release(struct out_cols *oc)
{
	for (size_t i = 0; i < oc->n; i++)
		free(oc->name[i]);
	free(oc->name);
}

struct file_state {
	struct angka_csv_reader *r;
	struct angka_header_map map;
	int have_map;
	long header_line;
	size_t *extra_out;     /* per map extra: index into out_cols */
};

static void file_state_release(struct file_state *fs)
{
	angka_csv_reader_free(fs->r);
	fs->r = NULL;
	if (fs->have_map)
		angka_header_map_release(&fs->map);
	fs->have_map = 0;
	free(fs->extra_out);
	fs->extra_out = NULL;
}

/*
 * Open path and find its header among the first p->header_search rows.
 * Rows before it go to q as "preamble" (if q is not NULL), counted in st.
 */
static enum angka_err open_and_find_header(const char *path,
                                           const struct angka_profile *p,
                                           struct file_state *fs,
                                           struct angka_quarantine *q,
                                           struct ingest_stats *st,
                                           struct angka_error *e)
{
	memset(fs, 0, sizeof *fs);
	struct angka_csv_opts copts = { .delim = p->delim, .encoding = p->encoding };
	enum angka_err rc = angka_csv_reader_open(&fs->r, path, &copts, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *name = angka_csv_reader_name(fs->r);
	char first_msg[2048] = "";
	long first_line = 0;
	for (int i = 0; i < p->header_search; i++) {
		const struct angka_csv_record *rec;
		int got = angka_csv_reader_next(fs->r, &rec, e);
		if (got < 0)
			return e->code;
		if (got == 0)
			break;
		struct angka_header_map map;
		int missing = angka_header_match(p, rec, &map);
		if (missing == 0 && map.dup_col >= 0) {
			/* Both fields matched an accepted header: no
			 * personal data in them. Kept (keep_unknown) under
			 * another name: a warning; else it would be dropped
			 * without a word: an error. */
			int a = map.dup_first, b = map.dup_second;
			const char *kept = NULL;
			for (size_t x = 0; x < map.nextra; x++)
				if (map.extra[x] == (size_t)b)
					kept = map.extra_name[x];
			if (kept) {
				if (q)  /* once: not in the column pre-pass */
					angka_warn("warning: '%s':%ld: columns %d ('%s') "
					           "and %d ('%s') both match column "
					           "'%s'; the second is kept as '%s'",
					           name, rec->line, a + 1, rec->field[a],
					           b + 1, rec->field[b],
					           p->col[map.dup_col].name, kept);
			} else {
				ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: columns %d "
				          "('%s') and %d ('%s') are both column "
				          "'%s'; remove or rename one", name,
				          rec->line, a + 1, rec->field[a], b + 1,
				          rec->field[b], p->col[map.dup_col].name);
				angka_header_map_release(&map);
				return ANGKA_ESCHEMA;
			}
		}
		if (missing == 0) {
			fs->map = map;
			fs->have_map = 1;
			fs->header_line = rec->line;
			return ANGKA_OK;
		}
		if (i == 0) {
			angka_header_map_missing(p, &map, rec, first_msg,
			                         sizeof first_msg);
			first_line = rec->line;
		}
		angka_header_map_release(&map);
		if (q) {
			st->rows_in++;
			angka_quarantine_add(q, name, rec->line, "", "preamble",
			                     "row before the header", NULL, rec,
			                     angka_csv_reader_delim(fs->r));
		}
	}
	if (!first_line)
		return ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s': empty file (no header)",
		                 name);
	if (p->header_search > 1)
		return ANGKA_ERR(e, ANGKA_ESCHEMA,
		                 "'%s': no header row for kind '%s' in the first "
		                 "%d rows; at line %ld: %s", name,
		                 angka_kind_name(p->kind), p->header_search,
		                 first_line, first_msg);
	return ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: %s", name, first_line,
	                 first_msg);
}

/* Pre-pass over every file's header: the union of kept unknown columns. */
static enum angka_err collect_columns(const struct ingest_opts *o,
                                      const struct angka_profile *p,
                                      struct out_cols *oc,
                                      struct angka_error *e)
{
	for (size_t c = 0; c < p->ncol; c++)
		out_cols_add(oc, p->col[c].name);
	oc->ncanon = oc->n;
	if (!p->keep_unknown)
		return ANGKA_OK;
	for (size_t f = 0; f < o->nfiles; f++) {
		/* stdin cannot be read twice; its extras are added below. */
		if (strcmp(o->files[f], "-") == 0)
			continue;
		struct file_state fs;
		struct ingest_stats dummy = { 0 };
		enum angka_err rc = open_and_find_header(o->files[f], p, &fs, NULL,
		                                         &dummy, e);
		if (rc == ANGKA_OK)
			for (size_t i = 0; i < fs.map.nextra; i++)
				out_cols_add(oc, fs.map.extra_name[i]);
		file_state_release(&fs);
		if (rc != ANGKA_OK)
			return rc;
	}
	return ANGKA_OK;
}

struct warn_state {
	int printed;
	int max;
	int quiet;
};

static void row_warning(struct warn_state *ws, const char *file, long line,
                        const char *reason, const char *detail)
{
	if (ws->quiet || ws->printed >= ws->max)
		return;
	ws->printed++;
	angka_warn("'%s':%ld: %s: %s (row quarantined)", file, line, reason,
	           detail);
}

/* 1 if fields [from, n) are all empty. */
static int tail_empty(const struct angka_csv_record *rec, size_t from)
{
	for (size_t i = from; i < rec->nfields; i++)
		if (rec->len[i])
			return 0;
	return 1;
}

/* Why a data row is quarantined (NULL: it is not): the field count, a NUL
 * byte, invalid UTF-8 under encoding = utf-8. */
static const char *row_reason(const struct angka_csv_record *rec,
                              size_t nheader)
{
	if (rec->nfields != nheader &&
	    !(rec->nfields > nheader && tail_empty(rec, nheader)))
		return "field_count";
	if (rec->flags & ANGKA_CSV_REC_NUL)
		return "nul_byte";
	if (rec->flags & ANGKA_CSV_REC_BADUTF8)
		return "encoding";
	return NULL;
}

/* The main reason among field_count, nul_byte, encoding; on a tie the
 * NUL byte, then the encoding: they explain a wrong field count too. */
static int top_reason(const uint64_t n[3])
{
	int top = n[1] >= n[2] ? 1 : 2;
	return n[0] > n[top] ? 0 : top;
}

/*
 * A note under a published table ("Sumber: BPS ...", "Catatan: ..."): the
 * first field starts with a note word followed by ':' or nothing else
 * (spaces around it allowed), and the row is no data row: a wrong field
 * count (a ';' in the note splits it), or the other fields empty (Excel
 * pads a row to the table's width). ingest_file holds such rows until it
 * knows whether a data row follows (see held_flush).
 */
static int note_like(const struct angka_csv_record *rec, const char *reason)
{
	static const char *const words[] = {
		"sumber", "catatan", "keterangan", "ket", "note", "notes",
		"source", "sources", NULL
	};
	if (!rec->nfields || (reason && reason[0] != 'f') ||
	    (!reason && !tail_empty(rec, 1)))
		return 0;
	const char *f = rec->field[0], *end = f + rec->len[0];
	while (f < end && (*f == ' ' || *f == '\t'))
		f++;
	for (int i = 0; words[i]; i++) {
		size_t l = strlen(words[i]);
		if ((size_t)(end - f) < l || strncasecmp(f, words[i], l) != 0)
			continue;
		const char *t = f + l;
		while (t < end && (*t == ' ' || *t == '\t'))
			t++;
		if (t == end || *t == ':')
			return 1;
	}
	return 0;
}

/* A copy of a record held back (the reader reuses its own), with what
 * it is if a data row follows: field_count (detail) or a data row. */
struct held_row {
	struct angka_csv_record rec;
	char **field;
	size_t *len;
	unsigned char *quote;
	int field_count;
	char detail[160];
};

static void held_add(struct held_row **h, size_t *n,
                     const struct angka_csv_record *rec, int field_count,
                     const char *detail)
{
	*h = angka_xrealloc(*h, (*n + 1) * sizeof **h);
	struct held_row *x = &(*h)[(*n)++];
	size_t nf = rec->nfields;
	x->field = angka_xmalloc((nf ? nf : 1) * sizeof *x->field);
	x->len = angka_xmalloc((nf ? nf : 1) * sizeof *x->len);
	x->quote = angka_xmalloc(nf ? nf : 1);
	for (size_t i = 0; i < nf; i++) {
		x->field[i] = angka_xmalloc(rec->len[i] + 1);
		memcpy(x->field[i], rec->field[i], rec->len[i]);
		x->field[i][rec->len[i]] = '\0';
		x->len[i] = rec->len[i];
		x->quote[i] = rec->quote[i];
	}
	x->rec = *rec;
	x->rec.field = (const char *const *)x->field;
	x->rec.len = x->len;
	x->rec.quote = x->quote;
	x->rec.raw = NULL;
	x->rec.rawlen = 0;
	x->field_count = field_count;
	snprintf(x->detail, sizeof x->detail, "%s", field_count ? detail : "");
}

/*
 * The output columns as runs of consecutive source fields (a, a+1, ..., b),
 * each after ncomma commas (one per column up to and including the run's
 * first): a row whose fields lie in one piece (angka_csv_record.raw) is
 * written with one copy per run instead of one per field. Built only when
 * the sources rise strictly over the whole row (the runs never overlap, so
 * the row needs at most rawlen bytes for them); else nrun is 0 and no
 * row takes this way.
 */
struct ingest_run {
	size_t ncomma;
	int a, b;
};

struct ingest_plan {
	struct ingest_run *run;
	size_t nrun;
	size_t tail;      /* commas after the last run (empty columns) */
	int ok;
};

static void ingest_plan_build(struct ingest_plan *pl, const int *src,
                              size_t nout)
{
	memset(pl, 0, sizeof *pl);
	pl->run = angka_xmalloc((nout ? nout : 1) * sizeof *pl->run);
	size_t k = 0;
	int last = -1;
	for (size_t c = 0; c < nout; c++) {
		k++;
		if (src[c] < 0)
			continue;
		if (src[c] <= last)
			return;   /* not rising: ok stays 0 */
		if (pl->nrun && k == 1 && pl->run[pl->nrun - 1].b + 1 == src[c]) {
			pl->run[pl->nrun - 1].b = src[c];
		} else {
			pl->run[pl->nrun].ncomma = k;
			pl->run[pl->nrun].a = pl->run[pl->nrun].b = src[c];
			pl->nrun++;
		}
		last = src[c];
		k = 0;
	}
	pl->tail = k;
	pl->ok = 1;
}

/*
 * The last line number written, in decimal: rows come in line order, so
 * the next is mostly one more, a few byte increments instead of a
 * division for every two digits. d holds the n digits and zeros after
 * them, and is copied whole (the row's next bytes overwrite the rest).
 */
struct ingest_lineno {
	long line;       /* the number in d; 0: none yet */
	size_t n;
	char d[24];
};

/* The line number (>= 1) at p; returns the end of its digits. p has room
 * for 24 bytes. */
static char *ingest_put_line(char *p, struct ingest_lineno *c, long line)
{
	size_t i = c->n;
	if (c->line && line == c->line + 1) {
		while (i > 0 && c->d[i - 1] == '9')
			c->d[--i] = '0';
		if (i > 0)
			c->d[i - 1]++;
		else
			c->line = 0;   /* 99 -> 100: one digit more */
	}
	if (!c->line || line != c->line + 1) {
		static const char d2[201] =
		        "00010203040506070809101112131415161718192021222324"
		        "25262728293031323334353637383940414243444546474849"
		        "50515253545556575859606162636465666768697071727374"
		        "75767778798081828384858687888990919293949596979899";
		char num[24], *q = num + sizeof num;
		unsigned long v = (unsigned long)line;
		while (v >= 100) {
			q -= 2;
			memcpy(q, d2 + 2 * (v % 100), 2);
			v /= 100;
		}
		if (v >= 10) {
			q -= 2;
			memcpy(q, d2 + 2 * v, 2);
		} else {
			*--q = (char)('0' + v);
		}
		c->n = (size_t)(num + sizeof num - q);
		memset(c->d, 0, sizeof c->d);
		memcpy(c->d, q, c->n);
	}
	c->line = line;
	memcpy(p, c->d, sizeof c->d);
	return p + c->n;
}

/* v with each zero byte made a comma (exact: no carry between bytes). */
static inline uint64_t ingest_nul_comma64(uint64_t v)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;
	uint64_t z = ~(((v & lo7) + lo7) | v | lo7);   /* 0x80 where 0 */
	return v | (z >> 7) * (uint64_t)',';
}

/* Copy s[0..n) to out with every NUL byte made a comma (the separators of
 * a run; no field of a raw record holds a NUL). out has 16 bytes to spare. */
static inline void ingest_copy_run(char *out, const char *s, size_t n)
{
#if defined(__SSE2__) && defined(__GNUC__)
	if (n >= 16) {
		const __m128i zero = _mm_setzero_si128();
		const __m128i comma = _mm_set1_epi8(',');
		size_t i = 0;
		for (;;) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
			v = _mm_or_si128(v, _mm_and_si128(_mm_cmpeq_epi8(v, zero),
			                                  comma));
			_mm_storeu_si128((__m128i *)(out + i), v);
			if (i + 16 >= n)
				return;
			i += 16;
			if (i + 16 > n)
				i = n - 16;   /* the last 16, again in part */
		}
	}
#endif
	if (n >= 8) {   /* two 8-byte words, the second overlapping */
		uint64_t a, b;
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		a = ingest_nul_comma64(a);
		b = ingest_nul_comma64(b);
		memcpy(out, &a, 8);
		memcpy(out + n - 8, &b, 8);
		return;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = s[i] ? s[i] : ',';
}

/*
 * --index: the output's physical lines and the start of every interval-th
 * row, followed as the rows are written (line_index.h). Only a field
 * written quoted can hold a line end (rec->quote: it has , " CR or LF),
 * and the file name in src_file: rows split by the fast path (rec->raw)
 * have none, and cost a compare.
 */
struct ingest_index {
	struct angka_line_index x;
	long line;            /* physical line where the next row starts */
	uint64_t next;        /* the next row (the header is row 0) marked */
	long name_nl;         /* line ends in the current file's name */
	enum angka_err rc;    /* the first failure to add a mark */
	struct angka_error e;
};

/* The '\n' bytes of text s[0..len) that is written quoted; *lone_cr set
 * if a '\r' in it is not before a '\n' (the closing quote follows the
 * last byte). */
static long text_line_ends(const char *s, size_t len, int *lone_cr)
{
	long n = 0;
	const char *end = s + len, *p;
	for (p = s; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		n++;
	for (p = s; (p = memchr(p, '\r', (size_t)(end - p))) != NULL; p++)
		if (p + 1 == end || p[1] != '\n')
			*lone_cr = 1;
	return n;
}

/* A row of rec is about to be written to w: mark it if it is the next
 * marked row, and count its lines. */
static void index_row(struct ingest_index *ix, struct angka_csv_writer *w,
                      const struct angka_csv_record *rec, const int *src,
                      size_t nout)
{
	if (angka_csv_writer_rows(w) == ix->next) {
		if (ix->rc == ANGKA_OK)
			ix->rc = angka_line_index_add(&ix->x, ix->line,
			                              angka_csv_writer_offset(w),
			                              &ix->e);
		ix->next += ix->x.interval;
	}
	ix->line += 1 + ix->name_nl;
	if (rec->raw)
		return;
	for (size_t c = 0; c < nout; c++) {
		int sc = src[c];
		if (sc >= 0 && rec->quote[sc])
			ix->line += text_line_ends(rec->field[sc], rec->len[sc],
			                           &ix->x.lone_cr);
	}
}

/* Write src_file, src_line and the line end around the runs of a record
 * with raw (see ingest_plan): 1, or 0 if the writer's buffer is too small
 * (then write_row's other ways take it). */
static int write_row_raw(struct angka_csv_writer *w, const char *qname,
                         size_t ql, const struct ingest_plan *pl,
                         size_t nout, const struct angka_csv_record *rec,
                         struct ingest_lineno *ln)
{
	char *o = angka_csv_writer_reserve(w, ql + 25 + nout + rec->rawlen + 16);
	if (!o)
		return 0;
	char *p = o;
	memcpy(p, qname, ql);
	p += ql;
	*p++ = ',';
	p = ingest_put_line(p, ln, rec->line);
	const char *const *f = rec->field;
	const size_t *len = rec->len;
	for (size_t r = 0; r < pl->nrun; r++) {
		const struct ingest_run *x = &pl->run[r];
		if (x->ncomma <= 8)
			memcpy(p, ",,,,,,,,", 8);   /* 16 bytes to spare */
		else
			memset(p, ',', x->ncomma);
		p += x->ncomma;
		/* Fields a..b lie in one piece, one NUL between two. */
		const char *s = f[x->a];
		size_t n = (size_t)(f[x->b] + len[x->b] - s);
		ingest_copy_run(p, s, n);
		p += n;
	}
	for (size_t i = 0; i < pl->tail; i++)
		*p++ = ',';
	*p++ = '\n';
	angka_csv_writer_row_done(w, (size_t)(p - o));
	return 1;
}

/* Write one data row: src_file, src_line, then the output columns (src[c]:
 * the record's field, or -1 for an empty one); ix: --index, or NULL. */
static void write_row(struct angka_csv_writer *w, const char *qname,
                      size_t ql, const int *src, size_t nout,
                      const struct ingest_plan *pl,
                      const struct angka_csv_record *rec,
                      struct ingest_lineno *ln, struct ingest_stats *st,
                      struct ingest_index *ix)
{
	if (rec->flags & ANGKA_CSV_REC_TRANSCODED)
		st->transcoded++;
	if (ix)
		index_row(ix, w, rec, src, nout);
	if (rec->raw && pl->ok && write_row_raw(w, qname, ql, pl, nout, rec, ln)) {
		st->rows_out++;
		return;
	}
	/* The row formatted straight into the writer's buffer. */
	size_t need = ql + 25 + nout;
	for (size_t c = 0; c < nout; c++)
		if (src[c] >= 0)
			need += 2 * rec->len[src[c]] + 2;
	char *o = angka_csv_writer_reserve(w, need);
	if (o) {
		char *p = o;
		memcpy(p, qname, ql);
		p += ql;
		*p++ = ',';
		p = ingest_put_line(p, ln, rec->line);
		for (size_t c = 0; c < nout; c++) {
			*p++ = ',';
			int sc = src[c];
			if (sc < 0)
				continue;
			if (rec->quote[sc])
				p += angka_csv_quote(rec->field[sc],
				                     rec->len[sc], 1, p);
			else {
				angka_csv_copy_field(p, rec->field[sc],
				                     rec->len[sc]);
				p += rec->len[sc];
			}
		}
		*p++ = '\n';
		angka_csv_writer_row_done(w, (size_t)(p - o));
		st->rows_out++;
		return;
	}
	angka_csv_writer_raw(w, qname, ql);
	angka_csv_writer_long(w, rec->line);
	for (size_t c = 0; c < nout; c++) {
		int s = src[c];
		if (s >= 0)
			angka_csv_writer_field_q(w, rec->field[s], rec->len[s],
			                         rec->quote[s]);
		else
			angka_csv_writer_raw(w, "", 0);
	}
	angka_csv_writer_end_row(w);
	st->rows_out++;
}

/* Where ingest_file's rows go. */
struct row_sink {
	struct angka_csv_writer *w;
	struct angka_quarantine *q;
	const char *name, *qname;
	size_t ql, nout;
	const int *src;
	const struct ingest_plan *plan;
	char delim;
	struct ingest_stats *st;
	struct ingest_lineno *ln;
	struct warn_state *ws;
	uint64_t *nfield;     /* field_count rows of the file */
	struct ingest_index *ix;  /* --index, or NULL */
};

/*
 * The held rows: if no data row came after them, footer notes (the
 * notes under a published table: quarantined as footer_note so every row
 * is accounted for, but no problem to fix, no warning); else what they
 * are: field_count rows (with a warning) or data rows.
 */
static void held_flush(struct held_row *h, size_t *n, int footer,
                       const struct row_sink *k)
{
	for (size_t j = 0; j < *n; j++) {
		struct held_row *x = &h[j];
		if (footer) {
			angka_quarantine_add(k->q, k->name, x->rec.line, "",
			                     "footer_note", "note after the last "
			                     "data row", NULL, &x->rec, k->delim);
		} else if (x->field_count) {
			(*k->nfield)++;
			row_warning(k->ws, k->name, x->rec.line, "field_count",
			            x->detail);
			angka_quarantine_add(k->q, k->name, x->rec.line, "",
			                     "field_count", x->detail, NULL,
			                     &x->rec, k->delim);
		} else {
			write_row(k->w, k->qname, k->ql, k->src, k->nout,
			          k->plan, &x->rec, k->ln, k->st, k->ix);
		}
		for (size_t i = 0; i < x->rec.nfields; i++)
			free(x->field[i]);
		free(x->field);
		free(x->len);
		free(x->quote);
	}
	*n = 0;
}

static enum angka_err ingest_file(const char *path,
                                  const struct angka_profile *p,
                                  struct out_cols *oc,
                                  struct angka_csv_writer *w,
                                  struct angka_quarantine *q,
                                  struct ingest_stats *st,
                                  struct warn_state *ws,
                                  struct ingest_index *ix,
                                  struct angka_error *e)
{
	struct file_state fs;
	enum angka_err rc = open_and_find_header(path, p, &fs, q, st, e);
	if (rc != ANGKA_OK) {
		file_state_release(&fs);
		return rc;
	}
	const char *name = angka_csv_reader_name(fs.r);
	char delim = angka_csv_reader_delim(fs.r);
	/* Where each kept unknown column of this file goes. */
	size_t nout = oc->n;
	fs.extra_out = angka_xcalloc(fs.map.nextra ? fs.map.nextra : 1,
	                             sizeof *fs.extra_out);
	int *src = angka_xmalloc((nout ? nout : 1) * sizeof *src);
	for (size_t c = 0; c < oc->ncanon; c++)
		src[c] = fs.map.src[c];
	for (size_t c = oc->ncanon; c < nout; c++)
		src[c] = -1;
	for (size_t i = 0; i < fs.map.nextra; i++) {
		for (size_t c = oc->ncanon; c < nout; c++) {
			if (strcmp(oc->name[c], fs.map.extra_name[i]) == 0) {
				src[c] = (int)fs.map.extra[i];
				break;
			}
		}
	}
	/* src_file is the same on every row: quote it once. */
	size_t nlen = strlen(name);
	char *qname = angka_xmalloc(2 * nlen + 3);
	size_t ql = angka_csv_quote(name, nlen, 0, qname);
	if (ix)   /* with a line end (or a CR) the name is quoted */
		ix->name_nl = text_line_ends(name, nlen, &ix->x.lone_cr);

	size_t nheader = fs.map.nheader;
	const struct angka_csv_record *rec;
	int got;
	char detail[160];
	/* This file's data rows, those passed on, those quarantined for
	 * each reason (a file with none passed on is an error below). */
	uint64_t file_in = 0, file_out = st->rows_out, nreason[3] = { 0 };
	static const char *const reasons[3] = { "field_count", "nul_byte",
	                                        "encoding" };
	struct held_row *held = NULL;
	size_t nheld = 0;
	struct ingest_plan plan;
	ingest_plan_build(&plan, src, nout);
	struct ingest_lineno ln = { 0 };
	const struct row_sink sink = { w, q, name, qname, ql, nout, src, &plan,
	                               delim, st, &ln, ws, &nreason[0], ix };
	/* Plain text under AUTO or UTF-8: rows on one line come whole and
	 * are split here (angka_csv_line_record). */
	struct angka_csv_line lines = { 0 };
	lines.enc = p->encoding;
	if (angka_csv_reader_kind(fs.r) == ANGKA_IN_TEXT &&
	    (p->encoding == ANGKA_ENC_AUTO || p->encoding == ANGKA_ENC_UTF8))
		angka_csv_reader_lines(fs.r, 2);
	while ((got = angka_csv_reader_next(fs.r, &rec, e)) > 0) {
		if (rec->flags & ANGKA_CSV_REC_LINE)
			rec = angka_csv_line_record(&lines, rec, delim);
		st->rows_in++;
		file_in++;
		const char *reason = row_reason(rec, nheader);
		if (reason && reason[0] == 'f') {
			if (rec->nlines > 1)
				snprintf(detail, sizeof detail,
				         "%zu fields, header (line %ld) has %zu; the "
				         "record spans lines %ld-%ld (a quoted field "
				         "may be unterminated)", rec->nfields,
				         fs.header_line, nheader, rec->line,
				         rec->line + rec->nlines - 1);
			else
				snprintf(detail, sizeof detail,
				         "%zu fields, header (line %ld) has %zu",
				         rec->nfields, fs.header_line, nheader);
		} else if (reason && reason[0] == 'n') {
			snprintf(detail, sizeof detail, "a field contains a NUL byte");
		} else if (reason) {
			snprintf(detail, sizeof detail,
			         "invalid UTF-8 and the profile says encoding = utf-8");
		}
		/* A note row: held until a data row follows (then it is
		 * what it seems) or the file ends (a footer note). */
		if (note_like(rec, reason)) {
			held_add(&held, &nheld, rec, reason != NULL, detail);
			continue;
		}
		if (nheld)
			held_flush(held, &nheld, 0, &sink);
		if (reason) {
			nreason[reason[0] == 'f' ? 0 : reason[0] == 'n' ? 1 : 2]++;
			row_warning(ws, name, rec->line, reason, detail);
			angka_quarantine_add(q, name, rec->line, "", reason, detail,
			                     NULL, rec, delim);
			continue;
		}
		write_row(w, qname, ql, src, nout, &plan, rec, &ln, st, ix);
	}
	/* Notes held at the end of the file (or of what was read before an
	 * error, which fails the stage anyway) are footer notes. */
	held_flush(held, &nheld, 1, &sink);
	free(held);
	free(plan.run);
	angka_csv_line_release(&lines);
	free(qname);
	free(src);
	if (got < 0) {
		file_state_release(&fs);
		return e->code;
	}
	st->blank_lines += (uint64_t)angka_csv_reader_blank_lines(fs.r);
	st->bytes += angka_csv_reader_bytes(fs.r);
	char what[512];
	snprintf(what, sizeof what, "'%s'", name);  /* name dies with fs.r */
	rc = angka_csv_reader_close(fs.r, e);
	fs.r = NULL;
	if (rc == ANGKA_OK) {
		int top = top_reason(nreason);
		rc = angka_check_not_all_quarantined(what, angka_kind_name(p->kind),
		                                     file_in, st->rows_out - file_out,
		                                     reasons[top], nreason[top], e);
	}
	file_state_release(&fs);
	return rc;
}

/* angka check: the first CHECK_ROWS data rows after the header must not
 * all be quarantined (the wrong delimiter or encoding shows there). */
enum { CHECK_ROWS = 100 };
static enum angka_err check_first_rows(struct file_state *fs,
                                       const struct angka_profile *p,
                                       struct angka_error *e)
{
	static const char *const reasons[3] = { "field_count", "nul_byte",
	                                        "encoding" };
	uint64_t n = 0, ok = 0, nreason[3] = { 0 };
	const struct angka_csv_record *rec;
	int got = 0;
	while (n < CHECK_ROWS && (got = angka_csv_reader_next(fs->r, &rec, e)) > 0) {
		n++;
		const char *r = row_reason(rec, fs->map.nheader);
		if (!r)
			ok++;
		else
			nreason[r[0] == 'f' ? 0 : r[0] == 'n' ? 1 : 2]++;
	}
	if (got < 0)
		return e->code;
	int top = top_reason(nreason);
	char what[512];
	snprintf(what, sizeof what, "'%s' (the first %llu rows)",
	         angka_csv_reader_name(fs->r), (unsigned long long)n);
	return angka_check_not_all_quarantined(what, angka_kind_name(p->kind), n,
	                                       ok, reasons[top], nreason[top], e);
}

/* 1 if the output path is one --index cannot describe: compressed, or a
 * workbook the writer converts at commit (by the writer's own test,
 * angka_xlsx_path: ".xlsx" in any case). */
static int index_unfit(const char *path)
{
	size_t n = strlen(path);
	return (n >= 3 && strcmp(path + n - 3, ".gz") == 0) ||
	       angka_xlsx_path(path);
}

enum angka_err ingest_run(const struct ingest_opts *o,
                          const struct angka_profile *p,
                          struct ingest_stats *st, struct angka_error *e)
{
	memset(st, 0, sizeof *st);
	struct out_cols oc = { 0 };
	struct angka_csv_writer *w = NULL;
	struct angka_quarantine q = { 0 };
	int q_open = 0;
	struct warn_state ws = { 0, o->max_warnings ? o->max_warnings : 10,
	                         o->quiet };
	/* The header is row 0 on line 1; the first mark is a data row's. */
	uint64_t every = o->index_every ? o->index_every :
	                 ANGKA_LINE_INDEX_INTERVAL;
	struct ingest_index ix = { .line = 1, .next = every };
	angka_line_index_init(&ix.x, every);

	enum angka_err rc;
	if (o->check_only) {
		/* angka check: every file opens, its header matches the
		 * profile; no data row is read, nothing is written. */
		for (size_t f = 0; f < o->nfiles; f++) {
			struct file_state fs;
			struct ingest_stats dummy = { 0 };
			rc = open_and_find_header(o->files[f], p, &fs, NULL, &dummy, e);
			if (rc == ANGKA_OK)
				rc = check_first_rows(&fs, p, e);
			if (rc == ANGKA_OK && !o->quiet)
				fprintf(stderr, "%s: '%s': header at line %ld matches "
				        "profile '%s' (%zu columns)\n", angka_progname(),
				        angka_csv_reader_name(fs.r), fs.header_line,
				        angka_kind_name(p->kind), fs.map.nheader);
			file_state_release(&fs);
			if (rc != ANGKA_OK)
				return rc;
		}
		return ANGKA_OK;
	}
	if (o->index && (!o->out || strcmp(o->out, "-") == 0 ||
	                 index_unfit(o->out)))
		return ANGKA_ERR(e, ANGKA_EUSAGE, "--index needs a plain file "
		                 "output (--output FILE, not stdout, .gz or "
		                 ".xlsx)");
	rc = collect_columns(o, p, &oc, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	rc = angka_csv_writer_open(&w, o->out, 0, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	rc = angka_quarantine_open(&q, o->quarantine, "ingest", e);
	if (rc != ANGKA_OK)
		goto cleanup;
	q_open = 1;

	angka_csv_writer_str(w, "src_file");
	angka_csv_writer_str(w, "src_line");
	for (size_t c = 0; c < oc.n; c++) {
		angka_csv_writer_str(w, oc.name[c]);
		ix.line += text_line_ends(oc.name[c], strlen(oc.name[c]),
		                          &ix.x.lone_cr);
	}
	angka_csv_writer_end_row(w);
	ix.line++;

	for (size_t f = 0; f < o->nfiles; f++) {
		rc = ingest_file(o->files[f], p, &oc, w, &q, st, &ws,
		                 o->index ? &ix : NULL, e);
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	st->rows_quarantined = q.rows;
	rc = angka_check_balance(st->rows_in, st->rows_out,
	                         st->rows_quarantined, 0, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (ws.printed < (int)q.rows && !o->quiet && ws.printed >= ws.max)
		angka_warn("%llu more quarantined rows not shown",
		           (unsigned long long)(q.rows - (uint64_t)ws.printed));
	/* The quarantine first: an output without its quarantine would
	 * break conservation for a reader. */
	q_open = 0;
	rc = angka_quarantine_commit(&q, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (o->index) {
		if (ix.rc != ANGKA_OK) {
			*e = ix.e;
			rc = ix.rc;
			goto cleanup;
		}
		ix.x.lines = (uint64_t)(ix.line - 1);
		ix.x.records = angka_csv_writer_rows(w);
		ix.x.size = angka_csv_writer_offset(w);
	}
	rc = angka_csv_writer_commit(w, e);
	w = NULL;
	/* The index describes the output in place (its size and mtime):
	 * written after it. Without its index the output is not kept. */
	if (rc == ANGKA_OK && o->index) {
		rc = angka_line_index_write(&ix.x, o->index, o->out, e);
		if (rc != ANGKA_OK)
			unlink(o->out);
	}
cleanup:
	if (q_open)
		angka_quarantine_abort(&q);
	if (w)
		angka_csv_writer_abort(w);
	angka_line_index_release(&ix.x);
	out_cols_release(&oc);
	return rc;
}

