/*
 * csv_reader.c - pull-style CSV records over libcsv's push parser.
 *
 * libcsv calls cb_field/cb_row for every field/row of a chunk; we append the
 * fields to an arena and queue the rows, then hand them out one by one.
 * When the queue is empty the arena is reset (keeping a record that is still
 * open across the chunk boundary) and the next chunk is parsed.
 *
 * Most rows never reach libcsv: a row on one line without a quote is split
 * by fast_row() (16 bytes at a time where it can, SSE2), with the same result;
 * only rows with quotes, rows across a chunk boundary and the last line
 * without a line end are parsed by libcsv, one line at a time.
 *
 * Line counting: libcsv runs with CSV_REPALL_NL, so every CR and LF outside
 * quotes reaches cb_row. A row end adds one line; the LF of a CRLF pair is
 * recognised as an empty row right after a CR and adds none. Newlines inside
 * quoted fields are counted in cb_field and added when the row ends.
 */
#include "csv_reader.h"
#include "csv_scan.h"
#include "input.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec_entry {
	size_t first;   /* index of the first field in foff/flen */
	size_t nfields;
	long line, nlines;
	unsigned flags;
	int bad;        /* some field is not valid UTF-8 */
	int plain;      /* fast path, fields contiguous, none needs quoting */
	const char *src;  /* plain or a line record: the line in the
	                   * input's chunk */
	size_t srclen;    /* a line record: its length */
};

struct angka_csv_reader {
	struct angka_input *in;
	struct csv_parser p;
	int parser_ready;
	struct angka_csv_opts opts;
	char delim;
	int started;       /* first chunk seen (BOM, sniff done) */
	int eof;           /* csv_fini done: queue holds the last records */

	/* Arena of field bytes, each NUL-terminated. */
	char *buf;
	size_t buf_len, buf_cap;
	size_t *foff, *flen;
	unsigned char *fbad;
	unsigned char *fquote;  /* 1: field has , " CR or LF */
	size_t nf, fcap;

	/* Queue of complete records. */
	struct rec_entry *recs;
	size_t nrec, rcap, rpos;

	/* Record being built by the callbacks. */
	int in_record;
	size_t cur_first;
	size_t cur_bytes;
	long cur_line;
	long pending_nl;
	unsigned cur_flags;
	int cur_bad;
	int cur_plain;
	const char *cur_src;
	size_t cur_srclen;
	int lines;         /* angka_csv_reader_lines */

	long line;         /* physical line of the current position */
	int last_term_cr;
	long blank;

	/* Error raised inside a callback. */
	enum angka_err cb_err;
	char cb_msg[256];

	/* The record handed out. */
	const char **ptrs;
	size_t ptr_cap;
	char *tbuf;
	size_t tcap;
	struct angka_csv_record out;
};

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static void cb_error(struct angka_csv_reader *r, enum angka_err code,
                     const char *msg)
{
	if (r->cb_err != ANGKA_OK)
		return;
	r->cb_err = code;
	snprintf(r->cb_msg, sizeof r->cb_msg, "%s", msg);
}

static void field_too_large(struct angka_csv_reader *r)
{
	char m[128];
	snprintf(m, sizeof m, "field longer than the limit of %zu bytes "
	         "(a quote never closed, or not a CSV file)",
	         r->opts.max_field_bytes);
	cb_error(r, ANGKA_ENOMEM, m);
}

static void too_many_fields(struct angka_csv_reader *r)
{
	char m[128];
	snprintf(m, sizeof m, "record with more than the limit of %zu fields",
	         r->opts.max_fields);
	cb_error(r, ANGKA_ENOMEM, m);
}

/* Double the per-field arrays; -1 when out of memory. */
static int grow_fields(struct angka_csv_reader *r)
{
	size_t cap = r->fcap ? 2 * r->fcap : 1024;
	size_t *fo = realloc(r->foff, cap * sizeof *fo);
	if (fo)
		r->foff = fo;
	size_t *fl = fo ? realloc(r->flen, cap * sizeof *fl) : NULL;
	if (fl)
		r->flen = fl;
	unsigned char *fb = fl ? realloc(r->fbad, cap) : NULL;
	if (fb)
		r->fbad = fb;
	unsigned char *fq = fb ? realloc(r->fquote, cap) : NULL;
	if (!fq)
		return -1;
	r->fquote = fq;
	r->fcap = cap;
	return 0;
}

static void cb_field(void *data, size_t len, void *user)
{
	struct angka_csv_reader *r = user;
	if (r->cb_err != ANGKA_OK)
		return;
	if (!r->in_record) {
		r->in_record = 1;
		r->cur_first = r->nf;
		r->cur_bytes = 0;
		r->cur_line = r->line;
		r->pending_nl = 0;
		r->cur_flags = 0;
		r->cur_bad = 0;
		r->cur_plain = 0;
	}
	r->cur_bytes += len + 1;
	if (len > r->opts.max_field_bytes) {
		field_too_large(r);
		return;
	}
	if (r->cur_bytes > r->opts.max_record_bytes) {
		cb_error(r, ANGKA_ENOMEM, "record larger than the limit");
		return;
	}
	if (r->nf - r->cur_first >= r->opts.max_fields) {
		too_many_fields(r);
		return;
	}
	if (grow((void **)&r->buf, &r->buf_cap, r->buf_len + len + 1, 1)) {
		cb_error(r, ANGKA_ENOMEM, "out of memory");
		return;
	}
	if (r->nf + 1 > r->fcap && grow_fields(r)) {
		cb_error(r, ANGKA_ENOMEM, "out of memory");
		return;
	}
	const unsigned char *s = data;
	char *dst = r->buf + r->buf_len;
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
	unsigned cls = 0;
	for (size_t i = 0; i < len; i++)
		cls |= byte_class[s[i]];
	unsigned char bad = 0;
	if (cls & C_HIGH) {
		if (r->opts.encoding == ANGKA_ENC_CP1252 ||
		    !angka_utf8_valid((const char *)s, len))
			bad = 1;
	}
	if (cls & (C_NL | C_NUL)) {
		/* A quoted LF, CRLF or lone CR is one physical line end. */
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '\n' ||
			    (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
				r->pending_nl++;
			else if (s[i] == '\0')
				r->cur_flags |= ANGKA_CSV_REC_NUL;
		}
	}
	r->foff[r->nf] = r->buf_len;
	r->flen[r->nf] = len;
	r->fbad[r->nf] = bad;
	r->fquote[r->nf] = (cls & C_QUOTE) != 0;
	r->cur_bad |= bad;
	r->nf++;
	r->buf_len += len + 1;
}

static void cb_row(int c, void *user)
{
	struct angka_csv_reader *r = user;
	if (r->cb_err != ANGKA_OK)
		return;
	if (!r->in_record) {
		/* An empty row: the LF of a CRLF pair, a blank line, or the
		 * end of input right after a row end. */
		if (c == '\n' && r->last_term_cr) {
			r->last_term_cr = 0;
			return;
		}
		if (c == '\n' || c == '\r') {
			r->blank++;
			r->line++;
		}
		r->last_term_cr = (c == '\r');
		return;
	}
	if (grow((void **)&r->recs, &r->rcap, r->nrec + 1, sizeof *r->recs)) {
		cb_error(r, ANGKA_ENOMEM, "out of memory");
		return;
	}
	struct rec_entry *re = &r->recs[r->nrec++];
	re->first = r->cur_first;
	re->nfields = r->nf - r->cur_first;
	re->line = r->cur_line;
	re->nlines = r->pending_nl + 1;
	re->flags = r->cur_flags;
	re->bad = r->cur_bad;
	re->plain = r->cur_plain;
	re->src = r->cur_plain || (r->cur_flags & ANGKA_CSV_REC_LINE)
	          ? r->cur_src : NULL;
	re->srclen = r->cur_srclen;
	r->line += r->pending_nl;
	r->pending_nl = 0;
	r->in_record = 0;
	if (c == '\n' || c == '\r')
		r->line++;
	r->last_term_cr = (c == '\r');
}

enum angka_err angka_csv_reader_open(struct angka_csv_reader **out,
                                     const char *path,
                                     const struct angka_csv_opts *opts,
                                     struct angka_error *e)
{
	*out = NULL;
	struct angka_csv_reader *r = calloc(1, sizeof *r);
	if (!r)
		return ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
	if (opts)
		r->opts = *opts;
	if (!r->opts.max_record_bytes)
		r->opts.max_record_bytes = (size_t)64 << 20;
	if (!r->opts.max_field_bytes)
		r->opts.max_field_bytes = (size_t)1 << 20;
	if (r->opts.max_field_bytes > r->opts.max_record_bytes)
		r->opts.max_field_bytes = r->opts.max_record_bytes;
	if (!r->opts.max_fields)
		r->opts.max_fields = 65536;
	r->line = r->opts.start_offset ? r->opts.start_line : 1;
	r->delim = r->opts.delim;  /* known before the first record if fixed */
	enum angka_err rc = angka_input_open_at(&r->in, path,
	                                        r->opts.start_offset, e);
	if (rc != ANGKA_OK) {
		free(r);
		return rc;
	}
	if (csv_init(&r->p, CSV_REPALL_NL | CSV_STRICT_FINI) != 0) {
		angka_csv_reader_free(r);
		return ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
	}
	r->parser_ready = 1;
	csv_set_space_func(&r->p, no_space);
	csv_set_blk_size(&r->p, 4096);
	*out = r;
	return ANGKA_OK;
}

/* Drop consumed records; keep an open record's fields at the arena start. */
static void reset_arena(struct angka_csv_reader *r)
{
	r->nrec = 0;
	r->rpos = 0;
	if (!r->in_record) {
		r->nf = 0;
		r->buf_len = 0;
		return;
	}
	size_t n = r->nf - r->cur_first;
	size_t base = n ? r->foff[r->cur_first] : r->buf_len;
	memmove(r->buf, r->buf + base, r->buf_len - base);
	r->buf_len -= base;
	for (size_t i = 0; i < n; i++) {
		r->foff[i] = r->foff[r->cur_first + i] - base;
		r->flen[i] = r->flen[r->cur_first + i];
		r->fbad[i] = r->fbad[r->cur_first + i];
		r->fquote[i] = r->fquote[r->cur_first + i];
	}
	r->nf = n;
	r->cur_first = 0;
}

/*
 * Fast path: a whole row on one line without a quote character is split
 * here, without libcsv. With CSV_REPALL_NL and no space trimming, libcsv
 * would report exactly this: the bytes between delimiters as fields, then
 * the row with its CR or LF (an empty line: the row alone). The line is
 * copied into the arena once and each delimiter overwritten with the NUL
 * that ends its field, which is the layout cb_field() builds.
 *
 * Returns the bytes consumed (the line and its terminator), or 0 when
 * libcsv must take the row: a quote in it, no line end in this chunk, or
 * a record over the size limit (libcsv raises the error).
 */

/* The field arrays of the reader in locals while fast_row splits a line:
 * a char store through r could alias any member of r, and reloading them
 * for every field cost a tenth of the reader. */
struct fsink {
	size_t *fo, *fl;
	unsigned char *fb, *fq;
	size_t nf, cap, base;
	size_t first;    /* the row's first field */
	size_t maxlen;   /* opts.max_field_bytes */
	size_t maxnf;    /* opts.max_fields */
	size_t lim;      /* fields up to which no check is due: the lesser
	                  * of cap and first + maxnf */
	unsigned quoted; /* a field of the row was quoted (C_QUOTE) */
};

static inline void sink_load(struct fsink *k, const struct angka_csv_reader *r,
                             size_t first)
{
	k->fo = r->foff;
	k->fl = r->flen;
	k->fb = r->fbad;
	k->fq = r->fquote;
	k->nf = r->nf;
	k->cap = r->fcap;
	k->base = r->buf_len;
	k->first = first;
	k->maxlen = r->opts.max_field_bytes;
	k->maxnf = r->opts.max_fields;
	k->lim = k->cap - first > k->maxnf ? first + k->maxnf : k->cap;
}

/* Record field s[start..end) of the line being split (class bits cls);
 * -1 when out of memory, 1 when over the field or field-count limit. */
static inline int fast_field(struct angka_csv_reader *r, struct fsink *k,
                             const unsigned char *s, size_t start,
                             size_t end, unsigned cls, unsigned *flags,
                             int *any_bad)
{
	/* The field count limit is checked only when the arrays are full
	 * or the limit reached (k->lim), the field length once per row
	 * (fast_row): checked for every field they cost a tenth of the
	 * reader's instructions. */
	if (k->nf >= k->lim) {
		if (k->nf - k->first >= k->maxnf)
			return 1;  /* over a limit: libcsv takes the row and fails */
		r->nf = k->nf;
		if (grow_fields(r))
			return -1;
		sink_load(k, r, k->first);
	}
	size_t len = end - start;
	unsigned char bad = 0;
	if ((cls & C_HIGH) &&
	    (r->opts.encoding == ANGKA_ENC_CP1252 ||
	     !angka_utf8_valid((const char *)s + start, len)))
		bad = 1;
	if (cls & C_NUL)
		*flags |= ANGKA_CSV_REC_NUL;
	size_t n = k->nf;
	k->fo[n] = k->base + start;
	k->fl[n] = len;
	k->fb[n] = bad;
	k->fq[n] = (cls & C_QUOTE) != 0;
	k->quoted |= cls & C_QUOTE;
	*any_bad |= bad;
	k->nf = n + 1;
	return 0;
}

static size_t fast_row(struct angka_csv_reader *r, const unsigned char *s,
                       size_t avail)
{
	const unsigned char delim = (unsigned char)r->delim;
	const size_t first = r->nf;
	size_t i = 0, start = 0;
	unsigned cls = 0, flags = 0;
	int any_bad = 0;
	struct fsink k;
	sink_load(&k, r, first);
	k.quoted = 0;
#ifdef BLK
	struct blk_consts kc;
	blk_init(&kc, delim);
#endif
	for (;;) {
#ifdef BLK
		/* Blocks while the field has no odd byte: only delimiters
		 * matter there, and each field they end has class 0. Up to
		 * the first odd byte, which the byte step below takes. */
		while (!cls && i + BLK <= avail) {
			unsigned d;
			unsigned odd = blk_scan(&kc, s + i, &d);
			unsigned lim = odd ? (unsigned)__builtin_ctz(odd) : BLK;
			if (lim < BLK)
				d &= (1u << lim) - 1;
			for (; d; d &= d - 1) {
				size_t at = i + (size_t)__builtin_ctz(d);
				int f = fast_field(r, &k, s, start, at, 0,
				                   &flags, &any_bad);
				if (f < 0)
					goto nomem;
				if (f > 0)
					goto decline;
				start = at + 1;
			}
			i += lim;
			if (lim < BLK)
				break;
		}
#endif
		if (i == avail)
			goto decline;
		unsigned c = s[i];
		unsigned kl = fast_class[c];
		if (c == delim || (kl & (F_EOL | F_DQ))) {
			if ((kl & F_DQ) && c != delim)
				goto decline;
			if (c != delim && i == 0)
				break;  /* an empty line: no field */
			int f = fast_field(r, &k, s, start, i, cls, &flags,
			                   &any_bad);
			if (f < 0)
				goto nomem;
			if (f > 0)
				goto decline;
			cls = 0;
			start = i + 1;
			if (c != delim)
				break;
		} else {
			cls |= kl;
		}
		i++;
	}
	/* A field over the length limit: only in a line that long. */
	if (i > k.maxlen)
		for (size_t f = first; f < k.nf; f++)
			if (k.fl[f] > k.maxlen)
				goto decline;
	r->nf = k.nf;
	if (i + 1 > r->opts.max_record_bytes)
		goto decline;
	if (i) {
		if (grow((void **)&r->buf, &r->buf_cap, r->buf_len + i + 1, 1))
			goto nomem;
		char *dst = r->buf + r->buf_len;
		memcpy(dst, s, i);
		/* In locals: a char store may alias any member of r, and
		 * reloading them each field cost a tenth of the reader. */
		char *b = r->buf;
		const size_t *fo = r->foff, *fl = r->flen;
		for (size_t f = first, nf = r->nf; f < nf; f++)
			b[fo[f] + fl[f]] = '\0';
		r->in_record = 1;
		r->cur_first = first;
		r->cur_bytes = i + 1;
		r->cur_line = r->line;
		r->pending_nl = 0;
		r->cur_flags = flags;
		r->cur_bad = any_bad;
		/* The line is in buf as it was, delimiters now NUL: whole as
		 * raw text when no field needs quoting or holds a NUL. */
		r->cur_plain = !any_bad && !(flags & ANGKA_CSV_REC_NUL) &&
		               !k.quoted;
		r->cur_src = (const char *)s;
		r->buf_len += i + 1;
	}
	cb_row(s[i], r);
	return i + 1;
nomem:
	r->nf = first;
	cb_error(r, ANGKA_ENOMEM, "out of memory");
	return avail;
decline:
	r->nf = first;
	return 0;
}

/*
 * Fast path for a row with quoted fields, on one line: each field either
 * unquoted without a quote character, or quoted from its first byte to a
 * closing quote right before a delimiter or the line end, with "" for a
 * quote and no CR or LF inside. The fields are written unquoted into the
 * arena as cb_field() would. Returns the bytes consumed, or 0 when libcsv
 * must take the row (anything else: a quote elsewhere, a quoted line end,
 * no line end in this chunk, a limit reached). Such rows never get raw:
 * a field may hold the delimiter.
 */
static size_t quoted_row(struct angka_csv_reader *r, const unsigned char *s,
                         size_t avail)
{
	const unsigned char delim = (unsigned char)r->delim;
	/* The line end: the first LF, or a CR before it (memchr's block
	 * scans, not a byte loop: a DTKS address with a ';' is quoted in
	 * one row of twelve). */
	const unsigned char *lf = memchr(s, '\n', avail);
	size_t e = lf ? (size_t)(lf - s) : avail;
	const unsigned char *cr = memchr(s, '\r', e);
	if (cr)
		e = (size_t)(cr - s);
	if (e == avail || e == 0)
		return 0;
	/* The fields take at most the line's bytes and a NUL each. */
	if (e + 1 > r->opts.max_record_bytes ||
	    grow((void **)&r->buf, &r->buf_cap, r->buf_len + e + 1, 1))
		return 0;
	const size_t first = r->nf;
	char *const b = r->buf;
	size_t o = r->buf_len, i = 0, bytes = 0;
	unsigned flags = 0;
	int any_bad = 0;
	for (;;) {
		size_t at = o;
		unsigned cls = 0;
		if (i < e && s[i] == '"') {
			i++;
			for (;;) {
				if (i >= e)
					goto decline;   /* a quoted line end */
				unsigned char c = s[i];
				if (c == '"') {
					if (i + 1 < e && s[i + 1] == '"') {
						b[o++] = '"';
						cls |= C_QUOTE;
						i += 2;
						continue;
					}
					i++;
					break;
				}
				b[o++] = (char)c;
				cls |= byte_class[c];
				i++;
			}
			if (i < e && s[i] != delim)
				goto decline;   /* text after the closing quote */
		} else {
			while (i < e && s[i] != delim) {
				unsigned char c = s[i];
				if (c == '"')
					goto decline;
				b[o++] = (char)c;
				cls |= byte_class[c];
				i++;
			}
		}
		size_t len = o - at;
		b[o++] = '\0';
		bytes += len + 1;
		if (len > r->opts.max_field_bytes ||
		    bytes > r->opts.max_record_bytes ||
		    r->nf - first >= r->opts.max_fields)
			goto decline;   /* libcsv raises the error */
		if (r->nf + 1 > r->fcap && grow_fields(r)) {
			r->nf = first;
			cb_error(r, ANGKA_ENOMEM, "out of memory");
			return avail;
		}
		unsigned char bad = 0;
		if ((cls & C_HIGH) &&
		    (r->opts.encoding == ANGKA_ENC_CP1252 ||
		     !angka_utf8_valid(b + at, len)))
			bad = 1;
		if (cls & C_NUL)
			flags |= ANGKA_CSV_REC_NUL;
		r->foff[r->nf] = at;
		r->flen[r->nf] = len;
		r->fbad[r->nf] = bad;
		r->fquote[r->nf] = (cls & C_QUOTE) != 0;
		r->nf++;
		any_bad |= bad;
		if (i == e)
			break;
		i++;   /* the delimiter */
	}
	r->in_record = 1;
	r->cur_first = first;
	r->cur_bytes = bytes;
	r->cur_line = r->line;
	r->pending_nl = 0;
	r->cur_flags = flags;
	r->cur_bad = any_bad;
	r->cur_plain = 0;
	r->buf_len = o;
	cb_row(s[e], r);
	return e + 1;
decline:
	r->nf = first;
	return 0;
}

/*
 * A line record (angka_csv_reader_lines): the row at s, if it is one line
 * ending in this chunk without a quote or a NUL byte, queued as it is,
 * not split. Returns the bytes consumed, or 0 when fast_row must take it
 * (an empty line, a quote or NUL, no line end here, a limit it could
 * pass: a line no longer than the field limit, with fewer bytes than the
 * field-count limit, passes neither).
 */
static size_t line_row(struct angka_csv_reader *r, const unsigned char *s,
                       size_t avail)
{
	size_t i = 0;
#if defined(BLK) && BLK == 16
	const __m128i n = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
	              q = _mm_set1_epi8('"'), z = _mm_setzero_si128();
	for (; i + 16 <= avail; i += 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i o = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, n),
		                                      _mm_cmpeq_epi8(w, cr)),
		                         _mm_or_si128(_mm_cmpeq_epi8(w, q),
		                                      _mm_cmpeq_epi8(w, z)));
		unsigned m = (unsigned)_mm_movemask_epi8(o);
		if (m) {
			i += (size_t)__builtin_ctz(m);
			goto found;
		}
	}
#endif
	for (; i < avail; i++)
		if (s[i] == '\n' || s[i] == '\r' || s[i] == '"' || !s[i])
			goto found;
	return 0;
found:
	if ((s[i] != '\n' && s[i] != '\r') || i == 0 ||
	    i > r->opts.max_field_bytes || i + 1 > r->opts.max_fields ||
	    i + 1 > r->opts.max_record_bytes)
		return 0;
	r->in_record = 1;
	r->cur_first = r->nf;
	r->cur_bytes = i + 1;
	r->cur_line = r->line;
	r->pending_nl = 0;
	r->cur_flags = ANGKA_CSV_REC_LINE;
	r->cur_bad = 0;
	r->cur_plain = 0;
	r->cur_src = (const char *)s;
	r->cur_srclen = i;
	cb_row(s[i], r);
	return i + 1;
}

/* Parse a chunk: rows the fast path can take there, the others through
 * libcsv one line at a time until it is back between rows. Returns the
 * bytes consumed (less than len on a libcsv error). */
static size_t parse_chunk(struct angka_csv_reader *r, const char *data,
                          size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	int fast_ok = !r->opts.libcsv_only && r->delim != '"' &&
	              r->delim != '\r' && r->delim != '\n';
	const int lines = r->lines && (r->opts.encoding == ANGKA_ENC_UTF8 ||
	                               (r->lines == 2 &&
	                                r->opts.encoding == ANGKA_ENC_AUTO));
	size_t pos = 0;
	while (pos < len) {
		if (r->cb_err != ANGKA_OK)
			return len;  /* the callbacks would ignore the rest */
		/* pstate 0 is ROW_NOT_BEGUN: libcsv is between rows. */
		if (fast_ok && r->p.pstate == 0) {
			size_t n = lines ? line_row(r, s + pos, len - pos) : 0;
			if (!n)
				n = fast_row(r, s + pos, len - pos);
			if (!n)
				n = quoted_row(r, s + pos, len - pos);
			if (n) {
				pos += n;
				continue;
			}
		}
		size_t n = pos;
		while (n < len && s[n] != '\n' && s[n] != '\r')
			n++;
		n = (n < len ? n + 1 : len) - pos;
		size_t done = csv_parse(&r->p, s + pos, n, cb_field, cb_row, r);
		if (done < n)
			return pos + done;
		pos += n;
		/* A field still open in libcsv counts against the limits now,
		 * not when it ends: a field that never ends must not grow
		 * libcsv's buffer without bound. */
		if (r->p.entry_pos > r->opts.max_field_bytes) {
			field_too_large(r);
			return len;
		}
		if (r->in_record && r->cur_bytes + r->p.entry_pos >
		    r->opts.max_record_bytes) {
			cb_error(r, ANGKA_ENOMEM, "record larger than the limit");
			return len;
		}
	}
	return len;
}

static enum angka_err raise_cb(struct angka_csv_reader *r, struct angka_error *e)
{
	long line = r->in_record ? r->cur_line : r->line;
	return ANGKA_ERR(e, r->cb_err, "'%s':%ld: %s",
	                 angka_input_name(r->in), line, r->cb_msg);
}

/* Parse input until at least one record is queued or input ends. */
static int fill(struct angka_csv_reader *r, struct angka_error *e)
{
	while (r->rpos >= r->nrec && !r->eof) {
		/* A limit passed in the last chunk, after the rows queued
		 * before it were handed out. */
		if (r->cb_err != ANGKA_OK)
			return raise_cb(r, e), -1;
		reset_arena(r);
		const char *data;
		size_t len;
		int got = angka_input_next(r->in, &data, &len, e);
		if (got < 0)
			return -1;
		if (got == 0) {
			/* libcsv reports an open quote at EOF only in strict
			 * mode, which we do not use (stray quotes inside
			 * unquoted fields are common and harmless): look at
			 * its state instead. pstate 2 is FIELD_BEGUN. */
			if (r->p.pstate == 2 && r->p.quoted) {
				long opened = r->in_record ? r->line + r->pending_nl
				                           : r->line;
				long end = opened;
				for (size_t i = 0; i < r->p.entry_pos; i++)
					if (r->p.entry_buf[i] == '\n' ||
					    (r->p.entry_buf[i] == '\r' &&
					     (i + 1 == r->p.entry_pos ||
					      r->p.entry_buf[i + 1] != '\n')))
						end++;
				r->eof = 1;
				ANGKA_ERR(e, ANGKA_ECSV,
				          "'%s':%ld: unterminated quoted field at end "
				          "of file (opened at line %ld)",
				          angka_input_name(r->in), end, opened);
				return -1;
			}
			int rc = csv_fini(&r->p, cb_field, cb_row, r);
			r->eof = 1;
			if (r->cb_err != ANGKA_OK)
				return raise_cb(r, e), -1;
			if (rc != 0) {
				long line = r->in_record ? r->cur_line : r->line;
				ANGKA_ERR(e, ANGKA_ECSV,
				          "'%s':%ld: unterminated quoted field at "
				          "end of file (record starts at line %ld)",
				          angka_input_name(r->in), r->line, line);
				return -1;
			}
			break;
		}
		if (!r->started) {
			r->started = 1;
			if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
				data += 3;
				len -= 3;
			}
			r->delim = r->opts.delim ? r->opts.delim
			                         : angka_csv_sniff_delim(data, len);
			angka_csv_reader_converted(r->in, &r->delim,
			                           &r->opts.encoding);
			csv_set_delim(&r->p, (unsigned char)r->delim);
		}
		size_t done = parse_chunk(r, data, len);
		if (r->cb_err != ANGKA_OK) {
			if (r->rpos < r->nrec)
				break;  /* the rows before it first */
			return raise_cb(r, e), -1;
		}
		if (done < len) {
			ANGKA_ERR(e, ANGKA_ECSV, "'%s':%ld: %s",
			          angka_input_name(r->in), r->line,
			          csv_strerror(csv_error(&r->p)));
			return -1;
		}
	}
	return r->rpos < r->nrec ? 1 : 0;
}

int angka_csv_reader_next(struct angka_csv_reader *r,
                          const struct angka_csv_record **rec,
                          struct angka_error *e)
{
	int got = fill(r, e);
	if (got <= 0)
		return got;
	struct rec_entry *re = &r->recs[r->rpos++];
	if (re->flags & ANGKA_CSV_REC_LINE) {
		r->out.nfields = 0;
		r->out.field = NULL;
		r->out.len = NULL;
		r->out.quote = NULL;
		r->out.line = re->line;
		r->out.nlines = re->nlines;
		r->out.flags = re->flags;
		r->out.raw = NULL;
		r->out.rawlen = re->srclen;
		r->out.src = re->src;
		*rec = &r->out;
		return 1;
	}
	if (grow((void **)&r->ptrs, &r->ptr_cap, re->nfields + 1, sizeof *r->ptrs)) {
		ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
		return -1;
	}
	unsigned flags = re->flags;
	if (re->bad && r->opts.encoding != ANGKA_ENC_UTF8) {
		size_t need = 0;
		for (size_t i = 0; i < re->nfields; i++)
			if (r->fbad[re->first + i])
				need += 3 * r->flen[re->first + i] + 1;
		if (grow((void **)&r->tbuf, &r->tcap, need, 1)) {
			ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
			return -1;
		}
		flags |= ANGKA_CSV_REC_TRANSCODED;
	} else if (re->bad) {
		flags |= ANGKA_CSV_REC_BADUTF8;
	}
	size_t t = 0;
	const char **ptrs = r->ptrs;
	if (!(flags & ANGKA_CSV_REC_TRANSCODED)) {
		/* The common case, with the members in locals (see above). */
		const char *b = r->buf;
		const size_t *fo = r->foff + re->first;
		for (size_t i = 0, n = re->nfields; i < n; i++)
			ptrs[i] = b + fo[i];
	}
	for (size_t i = 0; (flags & ANGKA_CSV_REC_TRANSCODED) &&
	     i < re->nfields; i++) {
		size_t k = re->first + i;
		if (r->fbad[k]) {
			char *dst = r->tbuf + t;
			size_t n = angka_cp1252_to_utf8(r->buf + r->foff[k],
			                                r->flen[k], dst);
			r->ptrs[i] = dst;
			/* Keep the transcoded length next to the pointer. */
			r->flen[k] = n;
			r->fbad[k] = 0;
			t += n + 1;
		} else {
			r->ptrs[i] = r->buf + r->foff[k];
		}
	}
	r->ptrs[re->nfields] = NULL;
	r->out.nfields = re->nfields;
	r->out.field = r->ptrs;
	r->out.len = r->flen + re->first;
	r->out.quote = r->fquote + re->first;
	r->out.line = re->line;
	r->out.nlines = re->nlines;
	r->out.flags = flags;
	if (re->plain && re->nfields && !(flags & ANGKA_CSV_REC_TRANSCODED)) {
		size_t last = re->first + re->nfields - 1;
		r->out.raw = r->buf + r->foff[re->first];
		r->out.rawlen = r->foff[last] + r->flen[last] -
		                r->foff[re->first];
		r->out.src = re->src;
	} else {
		r->out.raw = NULL;
		r->out.rawlen = 0;
		r->out.src = NULL;
	}
	*rec = &r->out;
	return 1;
}

void angka_csv_reader_lines(struct angka_csv_reader *r, int on)
{
	r->lines = on == 2 ? 2 : on != 0;
}

char angka_csv_reader_delim(const struct angka_csv_reader *r)
{
	return r->delim;
}

const char *angka_csv_reader_name(const struct angka_csv_reader *r)
{
	return angka_input_name(r->in);
}

enum angka_input_kind angka_csv_reader_kind(const struct angka_csv_reader *r)
{
	return angka_input_kind(r->in);
}

long angka_csv_reader_blank_lines(const struct angka_csv_reader *r)
{
	return r->blank;
}

uint64_t angka_csv_reader_bytes(const struct angka_csv_reader *r)
{
	return angka_input_bytes(r->in);
}

enum angka_err angka_csv_reader_close(struct angka_csv_reader *r,
                                      struct angka_error *e)
{
	if (!r)
		return ANGKA_OK;
	enum angka_err rc = angka_input_close(r->in, !r->eof, e);
	r->in = NULL;
	angka_csv_reader_free(r);
	return rc;
}

void angka_csv_reader_free(struct angka_csv_reader *r)
{
	if (!r)
		return;
	if (r->in)
		angka_input_close(r->in, 1, NULL);
	if (r->parser_ready)
		csv_free(&r->p);
	free(r->buf);
	free(r->foff);
	free(r->flen);
	free(r->fbad);
	free(r->fquote);
	free(r->recs);
	free(r->ptrs);
	free(r->tbuf);
	free(r);
}
