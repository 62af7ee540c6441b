/*
 * dtks.c - angka-normalize --kind dtks: DTKS/DTSEN person rows.
 *
 * Reads ingest's canonical dtks CSV by header name and writes the columns of
 * docs/columns.md. Every repair is recorded in `fixes`, every problem left in
 * `flags`; a row goes to the quarantine only when it cannot be used: no name
 * and no NIK (missing_value), a region code or name not in the region table
 * (region_unknown) or a desa name matching several regions (region_ambiguous),
 * or a damaged NIK when [normalize] excel_nik/invalid_nik = quarantine.
 * Warnings on stderr name src_file:src_line, the field and the code only:
 * never a NIK or a name.
 *
 * Fix codes: nik_punct, kk_punct, nik_from_float, kk_from_float, name_title, name_spaces, sex_label,
 * sex_from_nik, date_swapped, date_text_month, date_excel_serial,
 * date_from_nik, region_by_name, region_code_padded.
 * Flag codes: the NIK/KK reasons of nik.h (nik_length, nik_chars,
 * nik_province, nik_date, nik_serial, nik_excel_mangled, kk_*),
 * nik_maybe_truncated, kk_maybe_truncated, sex_conflict, date_conflict,
 * date_placeholder, date_unparseable, nama_placeholder, region_missing, code_unknown.
 */
#include "normalize.h"
#include "dtks_int.h"
#include "dtks_labels.h"
#include "date.h"
#include "name.h"
#include "nik.h"
#include "dtks_period.h"
#include "region.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

/* Input columns read by name; any may be absent except the required. */
enum col {
	C_SRC_FILE, C_SRC_LINE, C_IDDTKS, C_IDARTBDT, C_NIK, C_NO_KK, C_NAMA,
	C_JENIS_KELAMIN, C_TEMPAT_LAHIR, C_TGL_LAHIR, C_ALAMAT, C_DUSUN, C_RT,
	C_RW, C_KODE_WILAYAH, C_KODE_PROV, C_KODE_KAB, C_KODE_KEC, C_KODE_DESA,
	C_PROVINSI, C_KABUPATEN, C_KECAMATAN, C_DESA, C_HUB_KRT, C_PKH, C_BPNT,
	C_KKS, C_PBI, C_KIP, C_STATUS, C_DESIL, C_TGL_UPDATE, C_COUNT
};
static const char *const col_name[C_COUNT] = {
	"src_file", "src_line", "iddtks", "idartbdt", "nik", "no_kk", "nama",
	"jenis_kelamin", "tempat_lahir", "tgl_lahir", "alamat", "dusun", "rt",
	"rw", "kode_wilayah", "kode_prov", "kode_kab", "kode_kec", "kode_desa",
	"provinsi", "kabupaten", "kecamatan", "desa", "hub_krt", "pkh", "bpnt",
	"kks", "pbi", "kip", "status", "desil", "tgl_update"
};
static const enum col required[] = { C_SRC_FILE, C_SRC_LINE, C_NIK, C_NAMA };

static const char *const out_cols[] = {
	"src_file", "src_line", "nik", "nik_status", "nik_kode_kec",
	"nik_tgl_lahir", "nik_jenis_kelamin", "no_kk", "kk_status", "nama",
	"nama_asli", "gelar", "nama_kunci", "jenis_kelamin", "tgl_lahir",
	"tempat_lahir", "alamat", "dusun", "rt", "rw", "kode_wilayah", "kode_kec",
	"hub_krt", "pkh", "bpnt", "kks", "pbi", "kip", "status", "desil",
	"tgl_update", "iddtks", "idartbdt", "fixes", "flags", "periode"
};

/* The codes of one row, in the order found, without repeats. */
#define MAX_CODES 24
struct codes {
	const char *v[MAX_CODES];
	int n;
};

static void codes_add(struct codes *c, const char *code)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->v[i], code) == 0)
			return;
	if (c->n < MAX_CODES)
		c->v[c->n++] = code;
}

/* Counts per code for the summary on stderr. */
#define MAX_TALLY 64
struct tally {
	const char *code[MAX_TALLY];
	uint64_t n[MAX_TALLY];
	int len;
};

static void tally_add(struct tally *t, const char *code)
{
	for (int i = 0; i < t->len; i++) {
		if (strcmp(t->code[i], code) == 0) {
			t->n[i]++;
			return;
		}
	}
	if (t->len < MAX_TALLY) {
		t->code[t->len] = code;
		t->n[t->len++] = 1;
	}
}

static void tally_print(const struct tally *t, const char *what)
{
	if (!t->len)
		return;
	char line[2048];
	size_t o = 0;
	for (int i = 0; i < t->len && o < sizeof line - 64; i++)
		o += (size_t)snprintf(line + o, sizeof line - o, "%s%s %llu",
		                      i ? ", " : "", t->code[i],
		                      (unsigned long long)t->n[i]);
	angka_warn("%s: %s", what, line);
}

/*
 * Rows normalized on worker threads (normalize_dtks_run): the main thread
 * reads the input and copies its records into batches of NB_ROWS; a worker
 * normalizes a whole batch into the batch's output bytes, and records what
 * must happen in input order - warnings and quarantined rows (events) and
 * the fix and flag counts; the main thread then takes the batches in input
 * order, replays the events and appends the bytes to the writer. So the
 * outputs, the quarantine and stderr are the same for any number of
 * workers: resolving a row depends on the row alone.
 */
#ifndef NB_ROWS
#define NB_ROWS 2048
#endif
#define NB_BYTES ((size_t)1 << 20)   /* of fields, unless one row is more */

/* A warning (quar 0) or a quarantined row (quar 1) of row `row`. */
struct nb_event {
	uint32_t row;
	int quar;
	const char *field, *code, *what;   /* static strings */
	size_t doff;                       /* quar: detail at text + doff */
};

struct nbatch {
	/* The input: n records, their fields in arena (filled by the main
	 * thread; field pointers set when the batch is handed over). */
	size_t n, rcap;
	struct angka_csv_record *rec;
	size_t *rfirst;          /* index of record i's first field */
	size_t nf, fcap;
	const char **fptr;       /* into arena, which never moves once a
	                          * record is in it */
	size_t *flen;
	unsigned char *fq;
	char *arena;
	size_t alen, acap;
	/* The fields of line records (split by the worker). */
	const char **lptr;
	size_t *llen;
	size_t lcap;
	unsigned char *lq;       /* zeros: no field of a line is quoted */
	size_t lqcap;
	/* The output, filled by a worker. */
	char *out;
	size_t olen, ocap;
	struct nb_event *ev;
	size_t nev, evcap;
	char *text;
	size_t tlen, tcap;
	struct tally fixes, flags;
	uint64_t rows_out, rows_fixed;
	int done;
	struct nbatch *next;     /* in the pool's free list */
};

struct npool;

struct dtks_ctx {
	const struct normalize_opts *o;
	struct normalize_settings set;
	struct angka_region_table *regions;
	int idx[C_COUNT];
	const struct angka_csv_record *rec;
	struct buf nama, gelar, kunci, alamat, dusun, tmp, esc;
	struct buf row;      /* the output row, when not in the writer's */
	/* The region query of the last resolved row and its result: rows of a
	 * household come together, and resolving depends on the query only. */
	struct buf rq_buf;
	size_t rq_off[9], rq_len[9];
	int rq_valid;
	struct angka_region_result rq_res;
	struct codes fixes, flags;
	struct tally fix_tally, flag_tally, q_tally;
	int warned;
	uint64_t warnings;
	struct normalize_period period;   /* periode, per src_file */
	struct nbatch *bat;  /* a worker's batch (events go there), or NULL */
	uint32_t bat_row;    /* the index of x->rec in bat */
	struct npool *pool;  /* a worker's pool */
};

/* Field c of the current record, "" when the column is absent. Only for
 * records with as many fields as the header (do_row), so a column of the
 * header is always there. */
static const char *fld(const struct dtks_ctx *x, enum col c, size_t *len)
{
	int i = x->idx[c];
	if (i < 0) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = x->rec->len[i];
	return x->rec->field[i];
}

/* 1 if field c of the current record has , " CR or LF (the reader's flag). */
static int fld_q(const struct dtks_ctx *x, enum col c)
{
	int i = x->idx[c];
	if (i < 0)
		return 0;
	return x->rec->quote[i];
}

/* Record an event of the current row of a worker's batch; detail (of a
 * quarantined row) is copied. */
static void nb_event(struct dtks_ctx *x, int quar, const char *field,
                     const char *code, const char *what, const char *detail)
{
	struct nbatch *b = x->bat;
	if (b->nev == b->evcap) {
		b->evcap = b->evcap ? 2 * b->evcap : 256;
		b->ev = angka_xrealloc(b->ev, b->evcap * sizeof *b->ev);
	}
	struct nb_event *v = &b->ev[b->nev++];
	v->row = x->bat_row;
	v->quar = quar;
	v->field = field;
	v->code = code;
	v->what = what;
	v->doff = 0;
	if (detail) {
		size_t dl = strlen(detail) + 1;
		if (b->tlen + dl > b->tcap) {
			b->tcap = 2 * (b->tlen + dl) + 1024;
			b->text = angka_xrealloc(b->text, b->tcap);
		}
		memcpy(b->text + b->tlen, detail, dl);
		v->doff = b->tlen;
		b->tlen += dl;
	}
}

/* One warning line: file:line, field and code, never the value. */
static void row_warn(struct dtks_ctx *x, const char *field, const char *code,
                     const char *what)
{
	if (x->bat) {   /* replayed in input order by the main thread */
		nb_event(x, 0, field, code, what, NULL);
		return;
	}
	x->warnings++;
	if (x->o->quiet || x->warned >= x->set.max_warnings)
		return;
	x->warned++;
	angka_warn("'%s':%s: field '%s': %s%s", fld(x, C_SRC_FILE, NULL),
	           fld(x, C_SRC_LINE, NULL), field, code, what);
}

static void flag(struct dtks_ctx *x, const char *field, const char *code)
{
	codes_add(&x->flags, code);
	tally_add(&x->flag_tally, code);
	row_warn(x, field, code, "");
}

static void fix(struct dtks_ctx *x, const char *code)
{
	codes_add(&x->fixes, code);
	tally_add(&x->fix_tally, code);
}

/*
 * The output row is built in one piece, in the writer's buffer
 * (angka_csv_writer_reserve) or else in x->row, with room for the longest
 * row the record can give (row_bound), so no field checks for room. Each
 * put_* writes one field and the comma after it at o and returns the end:
 * the cursor stays in a register (a char store through x could alias any
 * member of x). Fields are quoted exactly as the writer would.
 */

/* Write s[0..len), which needs no quotes. */
static inline char *put_plain(char *o, const char *s, size_t len)
{
	angka_csv_copy_field(o, s, len);
	o += len;
	*o++ = ',';
	return o;
}

/* Write s, empty or of n (a constant) bytes, which need no quotes: the
 * copy is a few moves. */
#define PUT_FIXED(o, s, full, n) do { \
		if (full) { \
			memcpy((o), (s), (n)); \
			(o) += (n); \
		} \
		*(o)++ = ','; \
	} while (0)

/* Write a 1- or 2-character code or "". */
static inline char *put_code(char *o, const char *s)
{
	while (*s)
		*o++ = *s++;
	*o++ = ',';
	return o;
}

/* Write s[0..len) quoted, quotes doubled (2 * len + 3 bytes at most). */
static char *put_quoted(char *o, const char *s, size_t len)
{
	o += angka_csv_quote(s, len, 1, o);
	*o++ = ',';
	return o;
}

/* Write s[0..len), quoted if it has , " CR or LF; maybe 0: it has none. */
static inline char *put_text(char *o, const char *s, size_t len, int maybe)
{
	if (maybe && angka_csv_needs_quote(s, len))
		return put_quoted(o, s, len);
	return put_plain(o, s, len);
}

/* The output length of s[0..len): up to a NUL byte if the record has one
 * (the bytes after it were never written). */
static size_t out_len(const struct dtks_ctx *x, const char *s, size_t len)
{
	return (x->rec->flags & ANGKA_CSV_REC_NUL) ? strlen(s) : len;
}

/* angka_csv_formula_like(), its first byte tested here: a formula starts
 * with = @ + - TAB or CR, and almost no field does (the call for every
 * field of every row was a tenth of the writing). */
static inline int formula_like(const char *s, size_t len)
{
	if (!len)
		return 0;
	char c = s[0];
	if (c != '=' && c != '@' && c != '+' && c != '-' && c != '\t' &&
	    c != '\r')
		return 0;
	return angka_csv_formula_like(s, len);
}

/* Write text s[0..len) as put_text(); a text a spreadsheet would read as
 * a formula (=, +, -, @, TAB, CR; not a number like -5) gets a leading
 * apostrophe and the row the fix formula_escaped: the normalized file and
 * all that dedup copies from it are opened by clerks in Excel. */
static inline char *put_safe(struct dtks_ctx *x, char *o, const char *s,
                             size_t len, int maybe)
{
	if (!formula_like(s, len))
		return put_text(o, s, len, maybe);
	fix(x, "formula_escaped");
	char *t = buf_need(&x->esc, len + 1);
	t[0] = '\'';
	memcpy(t + 1, s, len);
	/* A CR first needs quotes even where the field had none. */
	return put_text(o, t, len + 1, 1);
}

/* Write s[0..len), derived from field c by dropping or upper-casing
 * characters: it can need quotes only if the field did. */
static char *put_from(struct dtks_ctx *x, char *o, enum col c, const char *s,
                      size_t len)
{
	return put_safe(x, o, s, out_len(x, s, len), fld_q(x, c));
}

/* Write field c as it is. */
static char *put_fld(struct dtks_ctx *x, char *o, enum col c)
{
	size_t len;
	const char *s = fld(x, c, &len);
	len = out_len(x, s, len);
	if (formula_like(s, len))
		return put_safe(x, o, s, len, 1);
	if (fld_q(x, c))
		return put_quoted(o, s, len);
	return put_plain(o, s, len);
}

/* Length of a short static code ("", "1", "10", ...). */
static size_t code_len(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* Write field c trimmed and with white space collapsed, and upper-cased
 * if upper. */
static char *put_squeezed(struct dtks_ctx *x, char *o, enum col c, int upper)
{
	size_t len, n;
	const char *s = fld(x, c, &len);
	/* The common case, copied while it is checked: the short codes and
	 * IDs (RT, RW, status, iddtks, idartbdt) and the place of birth
	 * mostly need no change, no quotes and no apostrophe; the calls
	 * that find so cost several times the copy. sq: 1 a space, 2 TAB,
	 * CR or LF, 4 what upper-casing changes (a-z, any byte >= 0x80).
	 * prev: 1 after a space, and at the start, so that a leading space
	 * is a double one. */
	static const unsigned char sq[256] = {
		['\t'] = 2, ['\n'] = 2, ['\r'] = 2, [' '] = 1,
		['a'] = 4, ['b'] = 4, ['c'] = 4, ['d'] = 4, ['e'] = 4, ['f'] = 4,
		['g'] = 4, ['h'] = 4, ['i'] = 4, ['j'] = 4, ['k'] = 4, ['l'] = 4,
		['m'] = 4, ['n'] = 4, ['o'] = 4, ['p'] = 4, ['q'] = 4, ['r'] = 4,
		['s'] = 4, ['t'] = 4, ['u'] = 4, ['v'] = 4, ['w'] = 4, ['x'] = 4,
		['y'] = 4, ['z'] = 4,
		[0x80] = 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
		4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
		4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
		4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
		4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
		4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
		4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
		4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	};
	if (!fld_q(x, c) && !(x->rec->flags & ANGKA_CSV_REC_NUL) &&
	    (!len || (s[0] != '=' && s[0] != '@' && s[0] != '+' &&
	              s[0] != '-'))) {
		unsigned bad = 0, prev = 1, m = upper ? 6 : 2;
		for (size_t i = 0; i < len; i++) {
			unsigned k = sq[(unsigned char)s[i]];
			bad |= k & (prev | m);   /* 2 spaces, TAB, CR, LF, a-z */
			prev = k & 1;
			o[i] = s[i];
		}
		if (!bad && !(len && prev)) {
			o += len;
			*o++ = ',';
			return o;
		}
	}
	s = normalize_squeeze(&x->tmp, s, len, upper, &n);
	return put_from(x, o, c, s, n);
}

/*
 * The longest row the current record can give: every text field of the
 * output comes from one input field (nama three times: nama, nama_asli,
 * gelar), each at most 2 * (len + 1) + 2 bytes with its quotes, a formula
 * apostrophe and comma; the key at most 4 * len + 16 (name.h); the rest
 * (NIKs, dates, codes, statuses, at most 2 * MAX_CODES fix and flag codes
 * of < 32 bytes) fits in 4096 with the period's pl bytes.
 */
static size_t row_bound(const struct dtks_ctx *x, size_t nl, size_t pl)
{
	const struct angka_csv_record *r = x->rec;
	size_t bytes;
	if (r->raw)
		bytes = r->rawlen + 1;
	else {
		bytes = 0;
		for (size_t i = 0; i < r->nfields; i++)
			bytes += r->len[i] + 1;
	}
	return 6 * bytes + 4 * nl + pl + 4096;
}

/* Write the codes joined with '|' (each shorter than 32 bytes). */
static char *put_codes(char *o, const struct codes *c)
{
	for (int i = 0; i < c->n; i++) {
		if (i)
			*o++ = '|';
		const char *v = c->v[i];
		while (*v)
			*o++ = *v++;
	}
	*o++ = ',';
	return o;
}

static void quarantine(struct dtks_ctx *x, struct angka_quarantine *q,
                       const char *field, const char *reason,
                       const char *detail)
{
	if (x->bat) {   /* replayed in input order by the main thread */
		nb_event(x, 1, field, reason, NULL, detail);
		return;
	}
	tally_add(&x->q_tally, reason);
	row_warn(x, field, reason, " (row quarantined)");
	long line = strtol(fld(x, C_SRC_LINE, NULL), NULL, 10);
	angka_quarantine_add(q, fld(x, C_SRC_FILE, NULL), line, field, reason,
	                     detail, NULL, x->rec, ',');
}

/* 1 if a[0..n) equals b[0..n): region fields are a few bytes, for which
 * a loop costs less than a call to memcmp. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
	if (n > 16)
		return memcmp(a, b, n) == 0;
	unsigned d = 0;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return d == 0;
}

/* Resolve the region of the current record into rr, reusing the last
 * result when the nine query fields are byte for byte the same. */
static void resolve_region(struct dtks_ctx *x, struct angka_region_result *rr)
{
	static const enum col qc[9] = {
		C_KODE_WILAYAH, C_KODE_PROV, C_KODE_KAB, C_KODE_KEC, C_KODE_DESA,
		C_PROVINSI, C_KABUPATEN, C_KECAMATAN, C_DESA
	};
	const char *v[9];
	size_t l[9], total = 0;
	int same = x->rq_valid;
	for (int i = 0; i < 9; i++) {
		v[i] = fld(x, qc[i], &l[i]);
		total += l[i] + 1;
		if (same && (l[i] != x->rq_len[i] ||
		             !same_bytes(v[i], x->rq_buf.p + x->rq_off[i], l[i])))
			same = 0;
	}
	if (same) {
		*rr = x->rq_res;
		return;
	}
	struct angka_region_query q = {
		v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]
	};
	angka_region_resolve(x->regions, &q, rr);
	char *b = buf_need(&x->rq_buf, total);
	size_t o = 0;
	for (int i = 0; i < 9; i++) {
		memcpy(b + o, v[i], l[i]);
		x->rq_off[i] = o;
		x->rq_len[i] = l[i];
		o += l[i] + 1;
	}
	x->rq_res = *rr;
	x->rq_valid = 1;
}

/* Process the current record: write it to w or quarantine it. */
static void do_row(struct dtks_ctx *x, struct angka_csv_writer *w,
                   struct angka_quarantine *q, struct normalize_stats *st)
{
	x->fixes.n = x->flags.n = 0;
	size_t len;
	/* The extract's period (first: its note on stderr comes before the
	 * file's row warnings). */
	size_t pl;
	const char *sf = fld(x, C_SRC_FILE, &len);
	const char *per = normalize_period_of(&x->period, sf, len, &pl);

	/* Birth date first: it chooses the century of the NIK's year. */
	struct angka_date birth;
	const char *tgl = fld(x, C_TGL_LAHIR, &len);
	enum angka_date_form form = angka_date_parse(tgl, len, &birth);
	/* Placeholder dates (1900-01-01, serial 0/1, ...): two compares on
	 * the common path. A fixed placeholder's year says nothing about
	 * the century of the NIK's year. */
	enum angka_date_placeholder_kind ph = ANGKA_DATE_PH_NONE;
	if ((birth.day == 1 && birth.month == 1) ||
	    (birth.day == 31 && birth.month == 12) || form == ANGKA_DATE_BAD)
		ph = angka_date_placeholder(tgl, len, &birth, form);

	struct angka_nik nik, kk;
	const char *s = fld(x, C_NIK, &len);
	angka_nik_parse(s, len, ANGKA_NIK_PERSON,
	                birth.year && ph != ANGKA_DATE_PH_FIXED ? &birth : NULL,
	                (int)x->set.reference_year, &nik);
	s = fld(x, C_NO_KK, &len);
	angka_nik_parse(s, len, ANGKA_NIK_KK, NULL, (int)x->set.reference_year,
	                &kk);

	const char *nama_asli = fld(x, C_NAMA, &len);
	char *nama = buf_need(&x->nama, len + 1);
	char *gelar = buf_need(&x->gelar, len + 1);
	unsigned nf = angka_name_clean(nama_asli, len, nama, gelar);
	size_t nl = strlen(nama);
	char *kunci = buf_need(&x->kunci, 4 * nl + 16);
	size_t kl = angka_name_key(nama, nl, kunci, 4 * nl + 16);

	/* Unusable rows. */
	if (!*nama && nik.status == ANGKA_NIK_MISSING) {
		quarantine(x, q, "nama", "missing_value", "no name and no NIK");
		return;
	}
	if (nik.status == ANGKA_NIK_EXCEL &&
	    x->set.excel_nik == NORMALIZE_QUARANTINE) {
		quarantine(x, q, "nik", nik.reason,
		           "NIK damaged by Excel ([normalize] excel_nik = quarantine)");
		return;
	}
	if (nik.status == ANGKA_NIK_INVALID &&
	    x->set.invalid_nik == NORMALIZE_QUARANTINE) {
		quarantine(x, q, "nik", nik.reason,
		           "invalid NIK ([normalize] invalid_nik = quarantine)");
		return;
	}
	struct angka_region_result rr;
	resolve_region(x, &rr);
	if (rr.outcome == ANGKA_REGION_UNKNOWN) {
		quarantine(x, q, rr.field, "region_unknown", rr.detail);
		return;
	}
	if (rr.outcome == ANGKA_REGION_AMBIGUOUS) {
		quarantine(x, q, rr.field, "region_ambiguous", rr.detail);
		return;
	}

	/* NIK and KK. */
	if (nik.flags & ANGKA_NIK_F_PUNCT)
		fix(x, "nik_punct");
	if (nik.flags & ANGKA_NIK_F_FLOAT)
		fix(x, "nik_from_float");
	if (nik.status == ANGKA_NIK_INVALID || nik.status == ANGKA_NIK_EXCEL)
		flag(x, "nik", nik.reason);
	if (nik.flags & ANGKA_NIK_F_MAYBE_TRUNCATED) {
		/* Counted, not warned per row, as before: only a float
		 * export ending in 0 or above 2^53 gets it (nik.h). */
		codes_add(&x->flags, "nik_maybe_truncated");
		tally_add(&x->flag_tally, "nik_maybe_truncated");
	}
	if (kk.flags & ANGKA_NIK_F_PUNCT)
		fix(x, "kk_punct");
	if (kk.flags & ANGKA_NIK_F_FLOAT)
		fix(x, "kk_from_float");
	if (kk.status == ANGKA_NIK_INVALID || kk.status == ANGKA_NIK_EXCEL)
		flag(x, "no_kk", kk.reason);
	int nik_ok = nik.status == ANGKA_NIK_VALID;

	/* Names. */
	if (nf & ANGKA_NAME_F_TITLE)
		fix(x, "name_title");
	if (nf & ANGKA_NAME_F_SPACES)
		fix(x, "name_spaces");
	/* A name without a key: a placeholder ("BAYI NY. SITI", "-"), never
	 * name evidence for dedup. */
	if (nl && !kl)
		flag(x, "nama", "nama_placeholder");

	/* Sex. */
	const char *sraw = fld(x, C_JENIS_KELAMIN, NULL);
	char sex = parse_sex(sraw);
	if (sex == '?') {
		flag(x, "jenis_kelamin", "code_unknown");
		sex = 0;
	} else if (sex && !((sraw[0] == 'L' || sraw[0] == 'P') && !sraw[1])) {
		fix(x, "sex_label");
	}
	if (!sex && nik_ok) {
		sex = nik.sex;
		fix(x, "sex_from_nik");
	} else if (sex && nik_ok && sex != nik.sex) {
		flag(x, "jenis_kelamin", "sex_conflict");
	}

	/* Birth date, reconciled with the NIK. A placeholder the NIK does
	 * not confirm is replaced by the NIK's date; without a valid NIK a
	 * fixed placeholder is emptied (flag date_placeholder) and a 31
	 * December is kept: it may be real. */
	if (ph) {
		const struct angka_date *nd = &nik.birth;
		if (nik_ok && (birth.year != nd->year || birth.month != nd->month ||
		               birth.day != nd->day)) {
			birth = *nd;
			form = ANGKA_DATE_ISO;
			fix(x, "date_from_nik");
		} else if (!nik_ok && ph == ANGKA_DATE_PH_FIXED) {
			memset(&birth, 0, sizeof birth);
			form = ANGKA_DATE_ISO;   /* no further date fix or flag */
			flag(x, "tgl_lahir", "date_placeholder");
		}
	}
	switch (form) {
	case ANGKA_DATE_MDY: fix(x, "date_swapped"); break;
	case ANGKA_DATE_TEXT_MONTH: fix(x, "date_text_month"); break;
	case ANGKA_DATE_EXCEL_SERIAL: fix(x, "date_excel_serial"); break;
	case ANGKA_DATE_BAD: flag(x, "tgl_lahir", "date_unparseable"); break;
	default: break;
	}
	if (nik_ok && form == ANGKA_DATE_EMPTY) {
		birth = nik.birth;
		fix(x, "date_from_nik");
	} else if (nik_ok && birth.year) {
		const struct angka_date *nd = &nik.birth;
		if (birth.year == nd->year && birth.month == nd->month &&
		    birth.day == nd->day) {
			/* agrees */
		} else if (birth.year == nd->year && birth.month == nd->day &&
		           birth.day == nd->month) {
			birth = *nd;
			fix(x, "date_swapped");
		} else {
			flag(x, "tgl_lahir", "date_conflict");
		}
	}

	/* Region. */
	if (rr.outcome == ANGKA_REGION_MISSING)
		flag(x, rr.field, "region_missing");
	if (rr.fixes & ANGKA_REGION_F_BY_NAME)
		fix(x, "region_by_name");
	if (rr.fixes & ANGKA_REGION_F_PADDED)
		fix(x, "region_code_padded");

	/* Coded values. */
	static const enum col yn[] = { C_PKH, C_BPNT, C_KKS, C_PBI, C_KIP };
	const char *ynv[5];
	for (int i = 0; i < 5; i++) {
		ynv[i] = parse_yesno(fld(x, yn[i], NULL));
		if (!ynv[i]) {
			flag(x, col_name[yn[i]], "code_unknown");
			ynv[i] = "";
		}
	}
	const char *hub = parse_hub(fld(x, C_HUB_KRT, NULL));
	if (!hub) {
		flag(x, "hub_krt", "code_unknown");
		hub = "";
	}
	const char *desil = parse_desil(fld(x, C_DESIL, NULL));
	if (!desil) {
		flag(x, "desil", "code_unknown");
		desil = "";
	}
	struct angka_date upd;
	s = fld(x, C_TGL_UPDATE, &len);
	enum angka_date_form uform = angka_date_parse(s, len, &upd);
	if (uform == ANGKA_DATE_BAD)
		flag(x, "tgl_update", "date_unparseable");

	/* Write: every length is known, and only text taken from the input
	 * can need quotes. */
	char d1[11], d2[11], d3[11], sx[2] = { sex, 0 }, nsx[2] = { nik.sex, 0 };
	angka_date_format(&nik.birth, d1);
	angka_date_format(&birth, d2);
	angka_date_format(&upd, d3);
	size_t al, dl;
	const char *alamat = fld(x, C_ALAMAT, &len);
	alamat = normalize_squeeze(&x->alamat, alamat, len, 0, &al);
	const char *dusun = fld(x, C_DUSUN, &len);
	dusun = normalize_squeeze(&x->dusun, dusun, len, 0, &dl);

	size_t bound = row_bound(x, nl, pl);
	struct nbatch *b = x->bat;
	char *row;
	if (b) {
		if (bound > b->ocap - b->olen) {
			b->ocap = 2 * (b->olen + bound);
			b->out = angka_xrealloc(b->out, b->ocap);
		}
		row = b->out + b->olen;
	} else {
		row = angka_csv_writer_reserve(w, bound);
	}
	int direct = row != NULL;
	if (!direct)
		row = buf_need(&x->row, bound);
	char *o = row;
	o = put_fld(x, o, C_SRC_FILE);
	o = put_fld(x, o, C_SRC_LINE);
	/* digits and kode_kec are all set or all empty (nik.h) */
	PUT_FIXED(o, nik.digits, nik.digits[0], 16);
	o = put_plain(o, angka_nik_status_name(nik.status),
	              code_len(angka_nik_status_name(nik.status)));
	PUT_FIXED(o, nik.kode_kec, nik.kode_kec[0], 6);
	PUT_FIXED(o, d1, d1[0], 10);
	PUT_FIXED(o, nsx, nsx[0], 1);
	PUT_FIXED(o, kk.digits, kk.digits[0], 16);
	o = put_plain(o, angka_nik_status_name(kk.status),
	              code_len(angka_nik_status_name(kk.status)));
	/* Cleaning drops CR, LF and commas (separators): only a quote can
	 * remain, and only if the field had one. */
	o = put_from(x, o, C_NAMA, nama, nl);
	o = put_fld(x, o, C_NAMA);
	o = put_plain(o, gelar, strlen(gelar));   /* titles: letters, spaces */
	o = put_plain(o, kunci, kl);              /* letters only */
	PUT_FIXED(o, sx, sx[0], 1);
	PUT_FIXED(o, d2, d2[0], 10);
	o = put_squeezed(x, o, C_TEMPAT_LAHIR, 1);
	o = put_from(x, o, C_ALAMAT, alamat, al);
	o = put_from(x, o, C_DUSUN, dusun, dl);
	o = put_squeezed(x, o, C_RT, 0);
	o = put_squeezed(x, o, C_RW, 0);
	/* a desa code has 10 digits (region.h) */
	PUT_FIXED(o, rr.code, rr.desa != NULL, 10);
	PUT_FIXED(o, rr.code, rr.desa != NULL, 6);
	o = put_code(o, hub);
	for (int i = 0; i < 5; i++)
		o = put_code(o, ynv[i]);
	o = put_squeezed(x, o, C_STATUS, 0);
	o = put_code(o, desil);
	PUT_FIXED(o, d3, d3[0], 10);
	o = put_squeezed(x, o, C_IDDTKS, 0);
	o = put_squeezed(x, o, C_IDARTBDT, 0);
	o = put_codes(o, &x->fixes);
	o = put_codes(o, &x->flags);
	/* Last: a column added after the others (docs/columns.md). */
	o = put_plain(o, per, pl);
	if (b) {
		o[-1] = '\n';
		b->olen += (size_t)(o - row);
	} else if (direct) {
		o[-1] = '\n';
		angka_csv_writer_row_done(w, (size_t)(o - row));
	} else {
		angka_csv_writer_raw(w, row, (size_t)(o - row) - 1);
		angka_csv_writer_end_row(w);
	}
	st->rows_out++;
	if (x->fixes.n)
		st->rows_fixed++;
}

static void ctx_release(struct dtks_ctx *x)
{
	struct buf *b[] = { &x->nama, &x->gelar, &x->kunci,
	                    &x->alamat, &x->dusun, &x->tmp, &x->row,
	                    &x->rq_buf, &x->esc };
	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
		free(b[i]->p);
	angka_region_free(x->regions);
	normalize_period_free(&x->period);
}

/* A record whose field count is not the header's: quarantined as it is. */
static void field_count_row(struct dtks_ctx *x, struct angka_quarantine *q,
                            const char *name,
                            const struct angka_csv_record *rec, size_t nheader)
{
	char detail[96];
	snprintf(detail, sizeof detail,
	         "%zu fields, header has %zu (not angka-ingest output?)",
	         rec->nfields, nheader);
	tally_add(&x->q_tally, "field_count");
	angka_quarantine_add(q, name, rec->line, "", "field_count", detail, NULL,
	                     rec, ',');
}

/* Add the counts of b to t, codes new to t in b's order. */
static void tally_merge(struct tally *t, const struct tally *b)
{
	for (int i = 0; i < b->len; i++) {
		int j = 0;
		while (j < t->len && strcmp(t->code[j], b->code[i]) != 0)
			j++;
		if (j < t->len) {
			t->n[j] += b->n[i];
		} else if (t->len < MAX_TALLY) {
			t->code[t->len] = b->code[i];
			t->n[t->len++] = b->n[i];
		}
	}
}

/* The worker threads and the ring of batches between them and the main
 * thread. Batch number k is in slot k % nslot; the main thread fills
 * batches in order, the workers take them in order, the main thread
 * drains them in order. */
struct npool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct nbatch **slot;  /* batch k at slot[k % nslot] while in use */
	size_t nslot;
	struct nbatch *freeb;  /* drained batches for reuse */
	size_t nalloc;         /* batches allocated */
	uint64_t filled;     /* batches handed to the workers */
	uint64_t taken;      /* batches a worker has taken */
	uint64_t drained;    /* batches drained by the main thread */
	int quit;
	int dead;            /* the region table failed to load: no batch is
	                      * normalized, none drained */
	struct angka_region_loader *rl;   /* NULL: the table was loaded
	                                   * before */
	size_t nnorm;        /* batches read ahead once the table is there
	                      * (and kept for reuse); nslot while it loads */
	size_t nheader;
	int nw;
	pthread_t *tid;
	struct dtks_ctx *wx;  /* each worker's context */
	/* The main thread's, for draining. */
	struct dtks_ctx *x;
	struct angka_csv_writer *w;
	struct angka_quarantine *q;
	struct normalize_stats *st;
	const char *name;
};

static void nb_free(struct nbatch *b)
{
	free(b->rec);
	free(b->rfirst);
	free(b->fptr);
	free(b->flen);
	free(b->fq);
	free(b->arena);
	free(b->lptr);
	free(b->llen);
	free(b->lq);
	free(b->out);
	free(b->ev);
	free(b->text);
}

/* Copy rec into b: 0, or -1 if it does not fit in b's NB_BYTES (b holds
 * other records). The records' field arrays are set by nb_seal, a line
 * record's (angka_csv_reader_lines: raw points at its copy, nfields 0) by
 * the worker's nb_split. */
static int nb_add(struct nbatch *b, const struct angka_csv_record *rec)
{
	size_t nf = rec->nfields;
	size_t bytes;
	if (rec->flags & ANGKA_CSV_REC_LINE) {
		bytes = rec->rawlen + 1;
	} else if (rec->raw) {
		bytes = rec->rawlen + 1;
	} else {
		bytes = 0;
		for (size_t i = 0; i < nf; i++)
			bytes += rec->len[i] + 1;
	}
	if (bytes > b->acap - b->alen) {
		if (b->n)
			return -1;
		b->acap = bytes > NB_BYTES ? bytes : NB_BYTES;
		free(b->arena);
		b->arena = angka_xmalloc(b->acap);
	}
	if (b->n == b->rcap) {
		b->rcap = b->rcap ? 2 * b->rcap : NB_ROWS;
		b->rec = angka_xrealloc(b->rec, b->rcap * sizeof *b->rec);
		b->rfirst = angka_xrealloc(b->rfirst, b->rcap * sizeof *b->rfirst);
	}
	if (b->nf + nf > b->fcap) {
		b->fcap = 2 * (b->nf + nf) + 64;
		b->fptr = angka_xrealloc(b->fptr, b->fcap * sizeof *b->fptr);
		b->flen = angka_xrealloc(b->flen, b->fcap * sizeof *b->flen);
		b->fq = angka_xrealloc(b->fq, b->fcap);
	}
	const char **restrict fp = b->fptr + b->nf;
	char *a = b->arena + b->alen;
	if (rec->flags & ANGKA_CSV_REC_LINE) {
		memcpy(a, rec->src, rec->rawlen);
		a[rec->rawlen] = '\0';
		struct angka_csv_record *c = &b->rec[b->n];
		memset(c, 0, sizeof *c);
		c->line = rec->line;
		c->nlines = rec->nlines;
		c->flags = rec->flags;
		c->raw = a;
		c->rawlen = rec->rawlen;
		b->rfirst[b->n++] = 0;
		b->alen += bytes;
		return 0;
	}
	if (rec->raw) {
		/* The fields lie in raw in order, NUL-separated (restrict:
		 * the loop is vectorized). */
		const char *const *restrict src = rec->field;
		const char *raw = rec->raw;
		memcpy(a, raw, rec->rawlen);
		a[rec->rawlen] = '\0';
		for (size_t i = 0; i < nf; i++)
			fp[i] = a + (src[i] - raw);
	} else {
		for (size_t i = 0; i < nf; i++) {
			memcpy(a, rec->field[i], rec->len[i]);
			a[rec->len[i]] = '\0';
			fp[i] = a;
			a += rec->len[i] + 1;
		}
	}
	b->alen += bytes;
	memcpy(b->flen + b->nf, rec->len, nf * sizeof *rec->len);
	memcpy(b->fq + b->nf, rec->quote, nf);
	struct angka_csv_record *c = &b->rec[b->n];
	memset(c, 0, sizeof *c);
	c->nfields = nf;
	c->line = rec->line;
	c->nlines = rec->nlines;
	c->flags = rec->flags & ~(unsigned)ANGKA_CSV_REC_LINE;
	b->rfirst[b->n++] = b->nf;
	b->nf += nf;
	return 0;
}

/* Point the records of a filled batch at their copied fields. */
static void nb_seal(struct nbatch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		if (b->rec[i].flags & ANGKA_CSV_REC_LINE)
			continue;
		size_t f = b->rfirst[i];
		b->rec[i].field = b->fptr + f;
		b->rec[i].len = b->flen + f;
		b->rec[i].quote = b->fq + f;
	}
}

/* Room in b->lptr/llen for need entries. */
static void nb_grow(struct nbatch *b, size_t need)
{
	size_t c = b->lcap ? 2 * b->lcap : 4096;
	while (c < need)
		c *= 2;
	b->lptr = angka_xrealloc(b->lptr, c * sizeof *b->lptr);
	b->llen = angka_xrealloc(b->llen, c * sizeof *b->llen);
	b->lcap = c;
}

/* The fields that end at the commas of mask m (bit j: s[i + j]) into
 * lp/ll from index n: each comma becomes its field's NUL, *start moves
 * past it. Returns the new n. */
static inline size_t nb_cut(char *s, uint64_t m, size_t i, size_t *start,
                            const char **restrict lp, size_t *restrict ll,
                            size_t n)
{
	size_t st = *start;
	for (; m; m &= m - 1) {
		size_t at = i + (size_t)__builtin_ctzll(m);
		s[at] = '\0';
		lp[n] = s + st;
		ll[n] = at - st;
		n++;
		st = at + 1;
	}
	*start = st;
	return n;
}

/* Split the line s[0..len) (NUL-terminated, in the batch's arena) at its
 * commas, each of which separates two fields (angka_csv_reader_lines):
 * each comma becomes the NUL ending its field, the fields' starts and
 * lengths go to b->lptr/llen from index k. Returns the field count.
 * The room is made once per block of 64 or 16 bytes (a comma a byte at
 * most), not per field, and the fields are stored through local
 * pointers: a store of a NUL into s may alias any member of b, so
 * b->lptr, b->llen and b->lcap would be loaded again for every field. */
static size_t nb_split(struct nbatch *b, char *s, size_t len, size_t k)
{
	size_t n = 0, start = 0, i = 0;
	const char **restrict lp;
	size_t *restrict ll;
#if defined(__SSE2__) && defined(__GNUC__)
	/* 64 bytes a step, their commas in one mask (as csv_line.c's
	 * scan), then 16. */
	const __m128i comma = _mm_set1_epi8(',');
#define NB_MASK(j) ((uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8( \
		_mm_loadu_si128((const __m128i *)(const void *)(s + i + (j))), \
		comma)) << (j))
	for (; i + 64 <= len; i += 64) {
		if (k + n + 64 > b->lcap)
			nb_grow(b, k + n + 64);
		lp = b->lptr + k;
		ll = b->llen + k;
		uint64_t m = NB_MASK(0) | NB_MASK(16) | NB_MASK(32) |
		             NB_MASK(48);
		n = nb_cut(s, m, i, &start, lp, ll, n);
	}
	for (; i + 16 <= len; i += 16) {
		if (k + n + 16 > b->lcap)
			nb_grow(b, k + n + 16);
		lp = b->lptr + k;
		ll = b->llen + k;
		uint64_t m = NB_MASK(0);
		n = nb_cut(s, m, i, &start, lp, ll, n);
	}
#undef NB_MASK
#endif
	/* The rest: at most a field a byte, and the last. */
	if (k + n + (len - i) + 1 > b->lcap)
		nb_grow(b, k + n + (len - i) + 1);
	lp = b->lptr + k;
	ll = b->llen + k;
	for (; i < len; i++) {
		if (s[i] != ',')
			continue;
		s[i] = '\0';
		lp[n] = s + start;
		ll[n] = i - start;
		n++;
		start = i + 1;
	}
	lp[n] = s + start;
	ll[n] = len - start;
	return n + 1;
}

/* Normalize batch b on worker context x. */
static void nb_run(struct dtks_ctx *x, struct nbatch *b, size_t nheader)
{
	struct normalize_stats bst = { 0 };
	x->bat = b;
	x->fix_tally.len = x->flag_tally.len = 0;
	b->olen = b->nev = b->tlen = 0;
	/* Room for the usual batch at once (a fresh batch would otherwise
	 * grow, copying, row by row): rows of about the input's length,
	 * nheader fields a row. */
	if (b->ocap < 2 * b->alen + 65536) {
		free(b->out);
		b->ocap = 2 * b->alen + 65536;
		b->out = angka_xmalloc(b->ocap);
	}
	if (b->lcap < b->n * (nheader + 1)) {
		free(b->lptr);
		free(b->llen);
		b->lcap = b->n * (nheader + 1);
		b->lptr = angka_xmalloc(b->lcap * sizeof *b->lptr);
		b->llen = angka_xmalloc(b->lcap * sizeof *b->llen);
	}
	/* Split the line records, then point them at their fields (the
	 * arrays may move while splitting). */
	size_t k = 0, maxf = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct angka_csv_record *c = &b->rec[i];
		if (!(c->flags & ANGKA_CSV_REC_LINE))
			continue;
		/* raw is the batch's own copy, in its arena */
		char *line = b->arena + (c->raw - b->arena);
		c->nfields = nb_split(b, line, c->rawlen, k);
		b->rfirst[i] = k;
		k += c->nfields;
		if (c->nfields > maxf)
			maxf = c->nfields;
	}
	if (maxf > b->lqcap) {
		free(b->lq);
		b->lq = angka_xcalloc(maxf, 1);
		b->lqcap = maxf;
	}
	for (size_t i = 0; i < b->n; i++) {
		struct angka_csv_record *c = &b->rec[i];
		if (!(c->flags & ANGKA_CSV_REC_LINE))
			continue;
		c->field = b->lptr + b->rfirst[i];
		c->len = b->llen + b->rfirst[i];
		c->quote = b->lq;
		/* Now as the fast path splits a row: the fields in raw,
		 * NUL-separated, none needing quotes. */
		c->flags &= ~(unsigned)ANGKA_CSV_REC_LINE;
	}
	for (size_t i = 0; i < b->n; i++) {
		if (b->rec[i].nfields != nheader)
			continue;   /* quarantined by the main thread */
		x->rec = &b->rec[i];
		x->bat_row = (uint32_t)i;
		do_row(x, NULL, NULL, &bst);
	}
	b->fixes = x->fix_tally;
	b->flags = x->flag_tally;
	b->rows_out = bst.rows_out;
	b->rows_fixed = bst.rows_fixed;
	x->bat = NULL;
}

static void *nb_worker(void *arg)
{
	struct dtks_ctx *x = arg;
	struct npool *p = x->pool;
	if (p->rl) {
		if (angka_region_loader_wait(p->rl, &x->regions, NULL)
		    != ANGKA_OK) {
			pthread_mutex_lock(&p->mu);
			p->dead = 1;
			pthread_cond_broadcast(&p->done);
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
	}
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->taken == p->filled && !p->quit)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->taken == p->filled)
			break;   /* quit, and nothing left */
		struct nbatch *b = p->slot[p->taken++ % p->nslot];
		pthread_mutex_unlock(&p->mu);
		nb_run(x, b, p->nheader);
		pthread_mutex_lock(&p->mu);
		b->done = 1;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Drain batch p->drained, done by its worker, into the outputs: the
 * events in input order, then the rows. */
static void nb_drain(struct npool *p, struct nbatch *b)
{
	struct dtks_ctx *x = p->x;
	size_t e = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct angka_csv_record *rec = &b->rec[i];
		x->rec = rec;
		if (rec->nfields != p->nheader) {
			field_count_row(x, p->q, p->name, rec, p->nheader);
			continue;
		}
		/* The period's note on stderr, as do_row gives it. */
		size_t len, pl;
		const char *sf = fld(x, C_SRC_FILE, &len);
		(void)normalize_period_of(&x->period, sf, len, &pl);
		for (; e < b->nev && b->ev[e].row == i; e++) {
			const struct nb_event *v = &b->ev[e];
			if (v->quar)
				quarantine(x, p->q, v->field, v->code,
				           b->text + v->doff);
			else
				row_warn(x, v->field, v->code, v->what);
		}
	}
	tally_merge(&x->fix_tally, &b->fixes);
	tally_merge(&x->flag_tally, &b->flags);
	angka_csv_writer_rows_raw(p->w, b->out, b->olen, b->rows_out);
	p->st->rows_out += b->rows_out;
	p->st->rows_fixed += b->rows_fixed;
	x->rec = NULL;
}

/* Drain the next batch: wait for it if wait, else only if it is done.
 * 1 if one was drained. */
static int pool_drain_one(struct npool *p, int wait)
{
	if (p->drained == p->filled)
		return 0;
	struct nbatch *b = p->slot[p->drained % p->nslot];
	pthread_mutex_lock(&p->mu);
	while (!b->done && !p->dead && wait)
		pthread_cond_wait(&p->done, &p->mu);
	int done = b->done && !p->dead;
	pthread_mutex_unlock(&p->mu);
	if (!done)
		return 0;
	nb_drain(p, b);
	p->slot[p->drained++ % p->nslot] = NULL;
	if (p->nalloc > p->nnorm) {   /* read ahead during the load */
		nb_free(b);
		free(b);
		p->nalloc--;
	} else {
		b->next = p->freeb;
		p->freeb = b;
	}
	return 1;
}

/* The empty batch to fill next (earlier batches drained as needed), or
 * NULL if the region table failed to load. */
static struct nbatch *pool_next(struct npool *p)
{
	for (;;) {
		size_t limit = angka_region_loader_ready(p->rl) ? p->nnorm
		                                                : p->nslot;
		if (p->filled < p->drained + limit)
			break;
		if (!pool_drain_one(p, 1))
			return NULL;
	}
	struct nbatch *b = p->freeb;
	if (b) {
		p->freeb = b->next;
	} else {
		b = angka_xcalloc(1, sizeof *b);
		p->nalloc++;
	}
	p->slot[p->filled % p->nslot] = b;
	b->n = b->nf = b->alen = 0;
	b->done = 0;
	return b;
}

/* Hand the filled batch b to the workers, then drain what is done. */
static void pool_submit(struct npool *p, struct nbatch *b)
{
	nb_seal(b);
	pthread_mutex_lock(&p->mu);
	p->filled++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	while (pool_drain_one(p, 0))
		;
}

/* Workers for normalize_dtks_run: ANGKA_NORMALIZE_THREADS (0-16) if set,
 * else 2 with two or more usable cores and 0 (rows normalized by the
 * reading thread) with one or for a shard (--shard: shards run side by
 * side already). normalize runs in a chain of three processes (ingest |
 * normalize | dedup) and is its longest thread: with workers the reading
 * thread only splits and writes, and the chain's read phase is shorter
 * even on two cores (two workers better than one), at the cost of some
 * CPU and ~150 MB. */
static int pool_workers(const struct normalize_opts *o)
{
	const char *v = getenv("ANGKA_NORMALIZE_THREADS");
	if (v && *v) {
		char *end;
		long n = strtol(v, &end, 10);
		if (!*end && n >= 0 && n <= 16)
			return (int)n;
	}
	if (o->shard_n)
		return 0;
	/* The cores this process may run on (taskset, a Slurm task's
	 * cpuset), not the machine's. */
	long nc = 0;
	cpu_set_t cs;
	if (sched_getaffinity(0, sizeof cs, &cs) == 0)
		nc = CPU_COUNT(&cs);
	else
		nc = sysconf(_SC_NPROCESSORS_ONLN);
	return nc >= 2 ? 2 : 0;
}

/* Stop and free the workers (after their last batch) and the batches. */
static void pool_stop(struct npool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nw; i++)
		pthread_join(p->tid[i], NULL);
	for (int i = 0; i < p->nw; i++) {
		p->wx[i].regions = NULL;   /* the main thread's */
		ctx_release(&p->wx[i]);
	}
	while (p->freeb) {
		struct nbatch *b = p->freeb;
		p->freeb = b->next;
		nb_free(b);
		free(b);
	}
	/* Batches not drained (after an error), and the one being filled. */
	for (uint64_t k = p->drained; k <= p->filled; k++) {
		struct nbatch *b = p->slot[k % p->nslot];
		p->slot[k % p->nslot] = NULL;
		if (b) {
			nb_free(b);
			free(b);
		}
	}
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p->slot);
	free(p->tid);
	free(p->wx);
	free(p);
}

/* Batches read ahead while the region table loads (0.4 s): up to 256 of
 * 2048 rows, ~110 MB of ingest's output; those beyond the normal ring
 * are freed once drained. */
#define NB_SLOTS_LOADING 256

/* Start nw workers on copies of x's settings, the region table x's or,
 * if rl, rl's once loaded; NULL if a thread could not be started (then
 * the rows are normalized by the reading thread). */
static struct npool *pool_start(struct dtks_ctx *x, int nw, size_t nheader,
                                struct angka_region_loader *rl)
{
	struct npool *p = angka_xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->nnorm = 2 * (size_t)nw + 2;
	p->nslot = rl ? NB_SLOTS_LOADING : p->nnorm;
	p->rl = rl;
	p->slot = angka_xcalloc(p->nslot, sizeof *p->slot);
	p->nheader = nheader;
	p->tid = angka_xcalloc((size_t)nw, sizeof *p->tid);
	p->wx = angka_xcalloc((size_t)nw, sizeof *p->wx);
	p->x = x;
	for (int i = 0; i < nw; i++) {
		struct dtks_ctx *y = &p->wx[i];
		y->o = x->o;
		y->set = x->set;
		memcpy(y->idx, x->idx, sizeof y->idx);
		y->period.args = x->period.args;
		y->period.nargs = x->period.nargs;
		y->period.quiet = 1;   /* the main thread says it */
		y->pool = p;
		y->regions = x->regions;   /* shared, read only */
		if (pthread_create(&p->tid[i], NULL, nb_worker, y) != 0)
			break;
		p->nw++;
	}
	if (p->nw < nw) {
		pool_stop(p);
		return NULL;
	}
	return p;
}

/* Join the loading thread: the table becomes x's (freed with x), or its
 * error is e's. */
static enum angka_err rload_join(struct angka_region_loader *rl,
                                 struct dtks_ctx *x, struct angka_error *e)
{
	enum angka_err rc = angka_region_loader_take(rl, &x->regions, e);
	angka_region_loader_free(rl);
	return rc;
}

enum angka_err normalize_dtks_run(const struct normalize_opts *o,
                                  struct angka_config *cfg,
                                  struct normalize_stats *st,
                                  struct angka_error *e)
{
	struct dtks_ctx x;
	memset(&x, 0, sizeof x);
	memset(st, 0, sizeof *st);
	x.o = o;
	x.period.args = o->periods;
	x.period.nargs = o->nperiods;
	x.period.quiet = o->quiet;
	struct angka_csv_reader *r = NULL;
	struct angka_csv_writer *w = NULL;
	struct angka_quarantine q = { 0 };
	int q_open = 0;
	struct npool *pool = NULL;
	struct nbatch *cur = NULL;
	struct angka_region_loader *rl = NULL;

	enum angka_err rc = normalize_settings_load(&x.set, o, cfg, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (!x.set.wilayah) {
		rc = ANGKA_ERR(e, ANGKA_EUSAGE,
		               "kind 'dtks' needs a region table: give --wilayah "
		               "FILE or [normalize] wilayah = PATH");
		goto cleanup;
	}
	int nw = pool_workers(o);
	/* With workers, the table is loaded on a thread of its own while the
	 * main thread starts reading: the stage before in a pipe is not held
	 * up by the load (0.4 s for the national table). The workers wait
	 * for it. */
	if (nw > 0)
		rl = angka_region_loader_start(x.set.wilayah);
	if (!rl) {
		rc = angka_region_load(&x.regions, x.set.wilayah, e);
		if (rc != ANGKA_OK)
			goto cleanup;
	}

	struct angka_csv_opts copts = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	rc = angka_csv_reader_open(&r, o->in, &copts, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	const char *name = angka_csv_reader_name(r);
	const struct angka_csv_record *rec;
	int got = angka_csv_reader_next(r, &rec, e);
	if (got < 0) {
		rc = e->code;
		goto cleanup;
	}
	if (got == 0) {
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s': empty input (no header)",
		               name);
		goto cleanup;
	}
	for (int c = 0; c < C_COUNT; c++) {
		x.idx[c] = -1;
		for (size_t i = 0; i < rec->nfields; i++) {
			if (strcmp(rec->field[i], col_name[c]) == 0) {
				x.idx[c] = (int)i;
				break;
			}
		}
	}
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		if (x.idx[required[i]] < 0) {
			rc = ANGKA_ERR(e, ANGKA_ESCHEMA,
			               "'%s':%ld: missing column '%s' (is this the "
			               "output of angka-ingest --kind dtks?)", name,
			               rec->line, col_name[required[i]]);
			goto cleanup;
		}
	}
	size_t nheader = rec->nfields;
	long shard_lo, shard_hi, shard_line;
	uint64_t shard_off;
	rc = normalize_shard_range(o, &shard_lo, &shard_hi, &shard_off,
	                           &shard_line, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (shard_off) {
		/* The header read, the shard's records from their byte on. */
		angka_csv_reader_free(r);
		r = NULL;
		copts.start_offset = shard_off;
		copts.start_line = shard_line;
		rc = angka_csv_reader_open(&r, o->in, &copts, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		name = o->in;
	}
	int header = o->shard_k == 0;

	rc = angka_csv_writer_open(&w, o->out, 0, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (o->tee)
		angka_csv_writer_tee_stdout(w);
	rc = angka_quarantine_open_header(&q, o->quarantine, "normalize",
	                                  header, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	q_open = 1;
	if (header)
		angka_csv_writer_row(w, sizeof out_cols / sizeof out_cols[0],
		                     out_cols);

	if (nw > 0) {
		pool = pool_start(&x, nw, nheader, rl);
		if (!pool && rl) {
			rc = rload_join(rl, &x, e);
			rl = NULL;
			if (rc != ANGKA_OK)
				goto cleanup;
		}
		if (pool) {
			pool->w = w;
			pool->q = &q;
			pool->st = st;
			pool->name = name;
			cur = pool_next(pool);
			/* Rows as lines: the workers split them. */
			angka_csv_reader_lines(r, 1);
		}
	}
	int early = 0, dead = 0;
	while ((got = angka_csv_reader_next(r, &rec, e)) > 0) {
		if (rec->line < shard_lo)
			continue;
		if (rec->line >= shard_hi) {
			early = 1;   /* the next shard's records */
			break;
		}
		st->rows_in++;
		if (pool) {
			if (nb_add(cur, rec)) {
				pool_submit(pool, cur);
				cur = pool_next(pool);
				if (!cur) {
					dead = 1;
					break;
				}
				(void)nb_add(cur, rec);   /* fits an empty batch */
			}
			if (cur->n == NB_ROWS) {
				pool_submit(pool, cur);
				cur = pool_next(pool);
				if (!cur) {
					dead = 1;
					break;
				}
			}
			continue;
		}
		x.rec = rec;
		if (rec->nfields != nheader) {
			field_count_row(&x, &q, name, rec, nheader);
			continue;
		}
		do_row(&x, w, &q, st);
	}
	if (pool) {
		if (!dead && got >= 0 && cur->n)
			pool_submit(pool, cur);
		while (!dead && got >= 0 && pool_drain_one(pool, 1))
			;
		pool_stop(pool);
		pool = NULL;
	}
	if (rl) {
		/* Its error first, as when it was loaded before reading. */
		enum angka_err rrc = rload_join(rl, &x, e);
		rl = NULL;
		if (rrc != ANGKA_OK) {
			rc = rrc;
			goto cleanup;
		}
	}
	if (got < 0) {
		rc = e->code;
		goto cleanup;
	}
	if (early)
		angka_csv_reader_free(r);   /* read on by the next shard */
	else
		rc = angka_csv_reader_close(r, e);
	r = NULL;
	if (rc != ANGKA_OK)
		goto cleanup;
	st->rows_quarantined = q.rows;
	rc = angka_check_balance(st->rows_in, st->rows_out,
	                         st->rows_quarantined, 0, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (!o->quiet) {
		if (x.warnings > (uint64_t)x.warned)
			angka_warn("%llu more warnings not shown",
			           (unsigned long long)(x.warnings - (uint64_t)x.warned));
		tally_print(&x.fix_tally, "fixes");
		tally_print(&x.flag_tally, "flags");
		tally_print(&x.q_tally, "quarantined");
	}
	/* The quarantine first: an output without its quarantine would break
	 * conservation for a reader. */
	q_open = 0;
	rc = angka_quarantine_commit(&q, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	rc = angka_csv_writer_commit(w, e);
	w = NULL;
cleanup:
	pool_stop(pool);
	if (rl) {
		/* Its error first, as when it was loaded before reading. */
		struct angka_error re = { 0 };
		enum angka_err rrc = rload_join(rl, &x, &re);
		if (rrc != ANGKA_OK) {
			rc = rrc;
			*e = re;
		}
	}
	if (q_open)
		angka_quarantine_abort(&q);
	if (w)
		angka_csv_writer_abort(w);
	angka_csv_reader_free(r);
	ctx_release(&x);
	return rc;
}
