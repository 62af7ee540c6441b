/*
 * read.c - angka-dedup's read pass: the input's header and columns, each row
 * spooled as the CSV line the unique file will carry and reduced to a
 * struct dedup_rec; then the rows' text back from the spool (one row, a
 * window for a scan in row order, split into fields).
 */
#include "ctx.h"
#include "spool.h"
#include "csv_line.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

static const char *const col_names[] = {
	"src_file", "src_line", "nik", "nik_status", "no_kk", "kk_status",
	"nama_kunci", "nama", "jenis_kelamin", "tgl_lahir", "kode_wilayah",
	"kode_kec", "hub_krt", "tgl_update", "fixes", "flags", "nama_asli",
	"gelar", "periode"
};
_Static_assert(sizeof col_names / sizeof col_names[0] == NCOL,
               "one name per enum col value");

#if defined(__GNUC__)
#define READ_INLINE inline __attribute__((always_inline))
#else
#define READ_INLINE inline
#endif

/* A data row as rec_from_row reads it: a line record by where its fields
 * start (angka_csv_line_offsets: field j is s[q[j] .. q[j + 1] - 1)),
 * any other row by its record's fields (q NULL). For a line record,
 * counted[j] is all ones if field j counts for most_complete, 0 if it
 * is a bookkeeping column (x->skip). */
struct read_row {
	const struct angka_csv_record *rec;
	const char *s;
	const uint32_t *q;
	const uint32_t *counted;
};

/* Field j of v: its length, its text in *p. Inline: rec_from_row is
 * made once for each kind of row, the test folded. */
static READ_INLINE size_t read_field(const struct read_row *v, int j,
                                     const char **p)
{
	if (v->q) {
		*p = v->s + v->q[j];
		return v->q[j + 1] - v->q[j] - 1;
	}
	*p = v->rec->field[j];
	return v->rec->len[j];
}

/* Whether field idx (-1: absent) is s. Inline, so the length of the
 * literal s and the compare are folded (three calls per row). */
static READ_INLINE int field_is(const struct read_row *v, int idx,
                                const char *s)
{
	if (idx < 0)
		return 0;
	size_t n = strlen(s);
	const char *f;
	return read_field(v, idx, &f) == n && memcmp(f, s, n) == 0;
}

/* kode_wilayah: ten digits as a number, 0 if s is not exactly that.
 * Eight by dedup_digits8 (once per row: the digit loop of parse_digits
 * took about 110 instructions), the last two on their own. */
static READ_INLINE uint64_t parse_digits10(const char *s, size_t len)
{
	if (len != 10)
		return 0;
	uint64_t hi = dedup_digits8(dedup_load8_le(s));
	unsigned a = (unsigned)(unsigned char)s[8] - '0';
	unsigned b = (unsigned)(unsigned char)s[9] - '0';
	if (hi == UINT64_MAX || a > 9 || b > 9)
		return 0;
	return hi * 100 + a * 10 + b;
}

static uint64_t parse_digits(const char *s, size_t len, size_t want)
{
	if (len != want)
		return 0;
	uint64_t v = 0;
	unsigned bad = 0;   /* one test at the end, not one per digit */
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		bad |= d > 9;
		v = v * 10 + d;
	}
	return bad ? 0 : v;
}

/* The non-empty fields j of a line record split into q, nf fields, that
 * have counted[j] all ones (the others have it 0): field j is empty when
 * q[j + 1] - q[j] is 1. The bookkeeping columns are masked out here, in
 * the same four-field steps, rather than looked up and subtracted after
 * (seven lookups a row). */
static unsigned line_nonempty(const uint32_t *q, const uint32_t *counted,
                              size_t nf)
{
	size_t i = 0;
	unsigned n = 0;
#if defined(__SSE2__) && defined(__GNUC__)
	/* Four fields a step; unsigned d > 1 as signed with the top bit
	 * flipped (SSE2 compares signed only). */
	const __m128i top = _mm_set1_epi32((int)0x80000000u);
	const __m128i one = _mm_xor_si128(_mm_set1_epi32(1), top);
	__m128i acc = _mm_setzero_si128();
	for (; i + 4 <= nf; i += 4) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(q + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(q + i + 1));
		__m128i m = _mm_loadu_si128((const __m128i *)(const void *)
		                            (counted + i));
		__m128i d = _mm_xor_si128(_mm_sub_epi32(b, a), top);
		acc = _mm_sub_epi32(acc, _mm_and_si128(_mm_cmpgt_epi32(d, one),
		                                       m));
	}
	uint32_t lane[4];
	_mm_storeu_si128((__m128i *)(void *)lane, acc);
	n = lane[0] + lane[1] + lane[2] + lane[3];
#endif
	for (; i < nf; i++)
		n += (q[i + 1] - q[i] > 1) & counted[i];
	return n;
}

static int too_many(const struct dedup_ctx *x, long line, struct angka_error *e)
{
	ANGKA_ERR(e, ANGKA_ENOMEM, "'%s':%ld: too many distinct names, No KK "
	          "or src_file values; split the input (e.g. by province)",
	          x->in_name, line);
	return -1;
}

/* The No KK id of the row before the current one (rec_from_row left its
 * No KK in *kk, interned a row late so that the fetch of its slot had a
 * row's time); 0 or -1 with e set. Ids come in the order of the rows as
 * before: the same values asked for in the same order. */
static inline int read_kk_resolve(struct dedup_ctx *x, uint64_t kk, long line,
                                  struct angka_error *e)
{
	uint32_t id = dedup_u64set_get(&x->kks, kk);
	x->rec[x->n - 1].kk = id;
	return id == UINT32_MAX ? too_many(x, line, e) : 0;
}

/* Fill *r from one data row but its No KK id: the No KK itself (0: none)
 * in *kk, its slot in the set fetched into the cache; 0 or -1 with e set
 * (bad src_line). */
static READ_INLINE int rec_from_row(struct dedup_ctx *x,
                                    const struct read_row *v,
                                    struct dedup_rec *r, uint64_t *kk_out,
                                    struct angka_error *e)
{
	const struct angka_csv_record *row = v->rec;
	const int *c = x->col;
	memset(r, 0, sizeof *r);
	/* src_file: most often the previous row's. */
	const char *sf;
	size_t sfl = read_field(v, c[COL_SRC_FILE], &sf), pl;
	const char *prev = x->n ? dedup_intern_str(&x->files, x->last_file,
	                                           &pl) : NULL;
	if (prev && pl == sfl && memcmp(prev, sf, sfl) == 0)
		r->file = x->last_file;
	else
		r->file = x->last_file = dedup_intern_get(&x->files, sf, sfl);
	const char *ls;
	size_t ll = read_field(v, c[COL_SRC_LINE], &ls);
	uint64_t line = 0;
	if (ll <= 10) {
		/* Up to ten digits cannot overflow: one test at the end. */
		unsigned bad = !ll;
		for (size_t i = 0; i < ll; i++) {
			unsigned d = (unsigned)(unsigned char)ls[i] - '0';
			bad |= d > 9;
			line = line * 10 + d;
		}
		if (bad)
			ll = 0;
	}
	for (size_t i = 0; ll > 10 && i < ll; i++) {   /* leading zeros */
		if (ls[i] < '0' || ls[i] > '9' || line > UINT32_MAX / 10) {
			ll = 0;
			break;
		}
		line = line * 10 + (uint64_t)(ls[i] - '0');
	}
	if (!ll || line > UINT32_MAX) {
		ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: bad src_line (not a "
		          "line number)", x->in_name, row->line);
		return -1;
	}
	r->line = (uint32_t)line;
	/* The No KK and the name are interned later (the No KK with the
	 * next row, the name at the end of this one): their slots in the
	 * tables (millions of entries: a cache miss each) are fetched now,
	 * while the rest is parsed. */
	uint64_t kk = 0;
	if (c[COL_NO_KK] >= 0) {
		const char *f;
		size_t fl = read_field(v, c[COL_NO_KK], &f);
		kk = dedup_parse_nik(f, fl);
		if (c[COL_KK_STATUS] >= 0 &&
		    !field_is(v, c[COL_KK_STATUS], "valid"))
			kk = 0;
		dedup_u64set_prefetch(&x->kks, kk);
	}
	int ni = c[COL_NAMA_KUNCI] >= 0 ? c[COL_NAMA_KUNCI] : c[COL_NAMA];
	const char *name = NULL;
	size_t namel = ni >= 0 ? read_field(v, ni, &name) : 0;
	uint64_t nh = ni >= 0 ? dedup_intern_prefetch(&x->names, name, namel)
	                      : 0;
	const char *nik;
	size_t nikl = read_field(v, c[COL_NIK], &nik);
	r->nik = dedup_parse_nik(nik, nikl);
	if (c[COL_NIK_STATUS] >= 0)
		r->nik_valid = r->nik && field_is(v, c[COL_NIK_STATUS], "valid");
	else
		r->nik_valid = r->nik != 0;
	if (c[COL_NO_KK] >= 0) {
		/* The No KK typed as the NIK: the family's number, not the
		 * person's; not used as evidence. */
		if (r->nik && r->nik == kk) {
			r->nik = 0;
			r->nik_valid = 0;
			x->st->nik_is_kk++;
			dedup_rflag_add(x, x->n, DEDUP_F_NIK_IS_KK);
		}
	}
	/* A placeholder NIK (1111..., 1234...) is no NIK. */
	if (r->nik && dedup_nik_placeholder(r->nik)) {
		r->nik = 0;
		r->nik_valid = 0;
		x->st->nik_pattern++;
		dedup_rflag_add(x, x->n, DEDUP_F_NIK_PLACEHOLDER);
	}
	x->name0[x->n] = namel ? (uint8_t)name[0] : 0;
	const char *f;
	if (c[COL_JENIS_KELAMIN] >= 0 &&
	    read_field(v, c[COL_JENIS_KELAMIN], &f) == 1)
		r->sex = f[0] == 'L' ? DEDUP_SEX_L : f[0] == 'P' ? DEDUP_SEX_P
		                                               : DEDUP_SEX_NONE;
	r->dob = r->upd = DEDUP_NODATE;
	size_t fl;
	if (c[COL_TGL_LAHIR] >= 0) {
		fl = read_field(v, c[COL_TGL_LAHIR], &f);
		r->dob = dedup_parse_date(f, fl);
	}
	if (c[COL_TGL_UPDATE] >= 0) {
		fl = read_field(v, c[COL_TGL_UPDATE], &f);
		r->upd = dedup_parse_date(f, fl);
	}
	uint64_t wil = 0;
	if (c[COL_KODE_WILAYAH] >= 0) {
		fl = read_field(v, c[COL_KODE_WILAYAH], &f);
		wil = parse_digits10(f, fl);
	}
	if (!wil && c[COL_KODE_KEC] >= 0) {
		fl = read_field(v, c[COL_KODE_KEC], &f);
		wil = parse_digits(f, fl, 6) * 10000;
	}
	dedup_rec_set_wil(r, wil);
	if (x->period) {
		fl = read_field(v, c[COL_PERIODE], &f);
		x->period[x->n] = (uint16_t)dedup_period_code(f, fl);
	}
	r->head = (unsigned int)field_is(v, c[COL_HUB_KRT], "1");
	/* most_complete: the data fields a row has, less one per warning
	 * normalize left in flags (the bookkeeping columns do not count: a
	 * row with more repairs or warnings is not more complete). */
	unsigned filled = 0, warned = 0;
	const size_t nf = row->nfields;
	size_t i = 0;
	unsigned f0 = 0, f1 = 0, f2 = 0, f3 = 0;   /* four chains */
	if (v->q) {
		filled = line_nonempty(v->q, v->counted, nf);
	} else {
		const size_t *len = row->len;
		for (; i + 4 <= nf; i += 4) {
			f0 += len[i] != 0;
			f1 += len[i + 1] != 0;
			f2 += len[i + 2] != 0;
			f3 += len[i + 3] != 0;
		}
		for (; i < nf; i++)
			filled += len[i] != 0;
		filled += f0 + f1 + f2 + f3;
		for (int k = 0; k < x->nskip; k++)
			filled -= read_field(v, x->skip[k], &f) != 0;
	}
	if (c[COL_FLAGS] >= 0 && (fl = read_field(v, c[COL_FLAGS], &f))) {
		warned = 1;
		for (size_t k = 0; k < fl; k++)
			warned += f[k] == '|';
	}
	filled = filled > warned ? filled - warned : 0;
	r->nfilled = filled > DEDUP_NFILLED_MAX ? DEDUP_NFILLED_MAX : filled;
	r->rule = DEDUP_RULE_NONE;
	*kk_out = kk;
	if (ni >= 0)
		r->name = dedup_intern_get_hashed(&x->names, name, namel, nh);
	if (r->name == UINT32_MAX || r->file == UINT32_MAX)
		return too_many(x, row->line, e);
	return 0;
}

enum angka_err dedup_read_input(struct dedup_ctx *x, struct angka_error *e)
{
	struct angka_csv_opts copts = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	struct angka_csv_reader *rd = NULL;
	struct dedup_buf line = { 0 };
	uint32_t *lq = NULL;   /* a line record's fields (csv_line.h) */
	size_t lqcap = 0;
	uint32_t *counted = NULL;   /* struct read_row */
	/* --header-from: the header is another file's first row (a part
	 * file after the first holds rows only). */
	enum angka_err rc = angka_csv_reader_open(&rd, x->o->header_from
	                                          ? x->o->header_from
	                                          : x->o->in, &copts, e);
	if (rc != ANGKA_OK)
		return rc;
	x->in_name = angka_xstrdup(angka_csv_reader_name(rd));
	const struct angka_csv_record *row;
	int got = angka_csv_reader_next(rd, &row, e);
	if (got < 0)
		goto fail;
	if (got == 0) {
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s': empty file (no header)",
		               x->in_name);
		goto out;
	}
	x->nfields = row->nfields;
	x->header = angka_xmalloc(row->nfields * sizeof *x->header);
	for (int k = 0; k < NCOL; k++)
		x->col[k] = -1;
	for (size_t i = 0; i < row->nfields; i++) {
		x->header[i] = angka_xstrdup(row->field[i]);
		if (strcmp(row->field[i], "cluster_id") == 0) {
			rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: input already "
			               "has a cluster_id column (deduplicated twice?)",
			               x->in_name, row->line);
			goto out;
		}
		for (int k = 0; k < NCOL; k++)
			if (strcmp(row->field[i], col_names[k]) == 0)
				x->col[k] = (int)i;
	}
	static const int required[] = { COL_SRC_FILE, COL_SRC_LINE, COL_NIK };
	for (size_t k = 0; k < sizeof required / sizeof *required; k++)
		if (x->col[required[k]] < 0) {
			rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: missing column "
			               "'%s' (expected normalized rows, see "
			               "docs/columns.md)", x->in_name, row->line,
			               col_names[required[k]]);
			goto out;
		}
	/* The bookkeeping columns most_complete does not count (those
	 * present), once rather than per row. */
	static const int skip[] = { COL_SRC_FILE, COL_SRC_LINE, COL_FIXES,
	                            COL_FLAGS, COL_NAMA_ASLI, COL_GELAR,
	                            COL_PERIODE };
	x->nskip = 0;
	for (size_t k = 0; k < sizeof skip / sizeof skip[0]; k++)
		if (x->col[skip[k]] >= 0)
			x->skip[x->nskip++] = x->col[skip[k]];
	counted = angka_xmalloc(x->nfields * sizeof *counted);
	for (size_t i = 0; i < x->nfields; i++)
		counted[i] = UINT32_MAX;
	for (int k = 0; k < x->nskip; k++)
		counted[x->skip[k]] = 0;
	if (x->o->header_from) {
		angka_csv_reader_free(rd);
		rd = NULL;
		if ((rc = angka_csv_reader_open(&rd, x->o->in, &copts,
		                                e)) != ANGKA_OK)
			goto out;
		free(x->in_name);
		x->in_name = angka_xstrdup(angka_csv_reader_name(rd));
	}
	/* --recs-out: the rows are read back from the part itself, so they
	 * are checked against it instead of copied (recs.c). */
	rc = x->o->recs_out ?
	     dedup_spool_check(&x->spool, x->o->in, !x->o->header_from, e) :
	     dedup_spool_open(&x->spool, (uint64_t)(x->s->spool_memory_mb *
	                                            1048576.0),
	                      x->s->tmpdir, e);
	if (rc != ANGKA_OK)
		goto out;
	/* Rows on one line without quotes come whole (line records) and
	 * are split here: only the lengths and the columns used are
	 * wanted, and the line is spooled as it is. */
	struct angka_csv_record split;
	if (angka_csv_reader_delim(rd) == ',')
		angka_csv_reader_lines(rd, 1);
	size_t cap = 0;
	uint64_t kk_prev = 0;   /* the No KK of row x->n - 1, not interned */
	long kk_line = 0;
	while ((got = angka_csv_reader_next(rd, &row, e)) > 0) {
		struct read_row v = { row, NULL, NULL, NULL };
		if (row->flags & ANGKA_CSV_REC_LINE) {
			if (row->rawlen >= UINT32_MAX - 1) {
				rc = ANGKA_ERR(e, ANGKA_ENOMEM, "'%s':%ld: a row "
				               "of 4 GiB or more", x->in_name,
				               row->line);
				goto out;
			}
			if (row->rawlen + 2 > lqcap) {
				lqcap = 2 * row->rawlen + 2;
				free(lq);
				lq = angka_xmalloc(lqcap * sizeof *lq);
			}
			split = *row;
			split.nfields = angka_csv_line_offsets(
			        row->src, row->rawlen, ',', lq);
			row = v.rec = &split;
			v.s = row->src;
			v.q = lq;
			v.counted = counted;
		}
		if (row->nfields != x->nfields) {
			rc = ANGKA_ERR(e, ANGKA_ECSV, "'%s':%ld: %zu fields, the "
			               "header has %zu", x->in_name, row->line,
			               row->nfields, x->nfields);
			goto out;
		}
		if (row->flags & ANGKA_CSV_REC_NUL) {
			rc = ANGKA_ERR(e, ANGKA_ECSV, "'%s':%ld: a field contains "
			               "a NUL byte", x->in_name, row->line);
			goto out;
		}
		if (x->n == UINT32_MAX - 1) {
			rc = ANGKA_ERR(e, ANGKA_ENOMEM, "'%s':%ld: more than %u "
			               "rows; split the input (e.g. by province)",
			               x->in_name, row->line, UINT32_MAX - 2);
			goto out;
		}
		if (x->n == cap) {
			cap = cap ? cap * 2 : 1024;
			x->rec = angka_xrealloc(x->rec, cap * sizeof *x->rec);
			x->name0 = angka_xrealloc(x->name0, cap);
			if (x->col[COL_PERIODE] >= 0)
				x->period = angka_xrealloc(x->period, cap *
				                           sizeof *x->period);
			x->offbase = angka_xrealloc(x->offbase,
			        ((cap >> DEDUP_OFF_SHIFT) + 1) * sizeof *x->offbase);
			/* Filled row by row: huge pages spare a page fault
			 * per 4 KiB (80 per 1000 rows in rec[]). */
			dedup_hugepage_hint(x->rec, cap * sizeof *x->rec);
			dedup_hugepage_hint(x->name0, cap);
			if (x->period)
				dedup_hugepage_hint(x->period,
				                    cap * sizeof *x->period);
		}
		struct dedup_rec *r = &x->rec[x->n];
		uint64_t kk;
		/* rec_from_row made for each kind of row (inline). */
		if ((v.q ? rec_from_row(x, &v, r, &kk, e)
		         : rec_from_row(x, &(struct read_row){ row, NULL, NULL,
		                                                NULL },
		                        r, &kk, e)) ||
		    (x->n && read_kk_resolve(x, kk_prev, kk_line, e))) {
			rc = e->code;
			goto out;
		}
		kk_prev = kk;
		kk_line = row->line;
		if (!r->nik) {
			x->no_nik = 1;
			x->no_nik_dob |= r->dob == DEDUP_NODATE;
		}
		if (!(x->n & (DEDUP_OFF_BLOCK - 1)))
			x->offbase[x->n >> DEDUP_OFF_SHIFT] = x->spool.len;
		uint64_t rel = x->spool.len - x->offbase[x->n >> DEDUP_OFF_SHIFT];
		if (rel > UINT32_MAX) {
			rc = ANGKA_ERR(e, ANGKA_ENOMEM, "'%s':%ld: rows too long "
			               "(%u rows over 4 GiB)", x->in_name,
			               row->line, DEDUP_OFF_BLOCK);
			goto out;
		}
		r->off = (uint32_t)rel;
		r->parent = (uint32_t)x->n;
		/* The row is spooled as the CSV line it will be written as
		 * (quoted where the reader saw a character that needs it), so
		 * the unique file is the spool plus two columns: joined in one
		 * buffer, written with one fwrite. */
		/* A line record, or a row the fast path split with the
		 * comma (raw): the line as read is the row, copied. */
		const char *src = row->src && angka_csv_reader_delim(rd) == ','
		                  ? row->src : NULL;
		if (src && x->spool.checking) {
			/* --recs-out: compared with the file where it is, not
			 * copied first (dedup_spool_add only checks). */
			if ((rc = dedup_spool_add(&x->spool, src, row->rawlen,
			                          e)) != ANGKA_OK)
				goto out;
			x->n++;
			continue;
		}
		if (src || row->raw) {
			/* The common case, straight into the spool's buffer. */
			e->code = ANGKA_OK;
			char *dst = dedup_spool_reserve(&x->spool, row->rawlen, e);
			if (dst) {
				if (src)
					memcpy(dst, src, row->rawlen);
				else
					angka_csv_raw_join(row->raw, row->rawlen,
					                   ',', dst);
				dedup_spool_added(&x->spool, row->rawlen);
				x->n++;
				continue;
			}
			if (e->code != ANGKA_OK) {
				rc = e->code;
				goto out;
			}
		}
		size_t need = row->nfields + row->rawlen;
		for (size_t i = 0; !src && !row->raw && i < row->nfields; i++)
			need += row->quote[i] ? 2 * row->len[i] + 2 : row->len[i];
		if (need > line.cap) {
			line.cap = need * 2;
			line.s = angka_xrealloc(line.s, line.cap);
		}
		line.len = 0;
		if (src) {   /* one piece, nothing to quote */
			memcpy(line.s, src, row->rawlen);
			line.len = row->rawlen;
		} else if (row->raw) {
			line.len = angka_csv_raw_join(row->raw, row->rawlen, ',',
			                              line.s);
		}
		for (size_t i = 0; !src && !row->raw && i < row->nfields; i++) {
			if (i)
				line.s[line.len++] = ',';
			if (row->quote[i]) {
				line.len += angka_csv_quote(row->field[i],
				                            row->len[i], 1,
				                            line.s + line.len);
				continue;
			}
			memcpy(line.s + line.len, row->field[i], row->len[i]);
			line.len += row->len[i];
		}
		if ((rc = dedup_spool_add(&x->spool, line.s, line.len, e)))
			goto out;
		x->n++;
	}
	free(line.s);
	line.s = NULL;
	free(lq);
	lq = NULL;
	if (got < 0)
		goto fail;
	if (x->n && read_kk_resolve(x, kk_prev, kk_line, e)) {
		rc = e->code;
		goto out;
	}
	dedup_intern_freeze(&x->names);
	dedup_intern_freeze(&x->files);
	dedup_u64set_freeze(&x->kks);
	if ((rc = dedup_spool_finish(&x->spool, e)) != ANGKA_OK)
		goto out;
	rc = angka_csv_reader_close(rd, e);
	rd = NULL;
	goto out;
fail:
	rc = e->code;
out:
	free(line.s);
	free(lq);
	free(counted);
	angka_csv_reader_free(rd);
	return rc;
}

size_t dedup_row_text(struct dedup_ctx *x, uint32_t i, char **buf,
                      size_t *bufcap, struct angka_error *e)
{
	uint64_t off = dedup_row_off(x, i);
	uint64_t end = i + 1 < x->n ? dedup_row_off(x, i + 1) : x->spool.len;
	size_t len = (size_t)(end - off);
	if (len + 1 > *bufcap) {
		*bufcap = (len + 1) * 2;
		*buf = angka_xrealloc(*buf, *bufcap);
	}
	if (dedup_spool_read(&x->spool, off, *buf, len, e) != ANGKA_OK)
		return (size_t)-1;
	/* A spool of files (--recs): the line end after the row. */
	while (len && ((*buf)[len - 1] == '\n' || (*buf)[len - 1] == '\r'))
		len--;
	(*buf)[len] = '\0';
	return len;
}

#define SPOOL_WINDOW ((size_t)1 << 20)

/* The window is read with pread into one buffer kept for the whole scan
 * (SPOOL_WINDOW, or one row if longer), not mapped: in this VM the first
 * touch of each newly mapped page stalls for microseconds even with
 * MAP_POPULATE (the unique pass spent a third of its time on the first
 * byte of each row), while the kernel's copy into a buffer that stays
 * mapped and in cache costs a fraction of that (a 544 MB spool scanned in
 * 64 MiB mapped windows: 1.0 s; read in 1 MiB: 0.21 s). A small window
 * also stays in the cache between the read and the copy to the output. */
enum angka_err dedup_window_load(const struct dedup_ctx *x,
                                 struct dedup_window *w, uint64_t off,
                                 size_t len, struct angka_error *e)
{
	/* The window stays within the segment (memory or disk) of
	 * the row: a row never straddles the two. */
	uint64_t so, left;
	(void)dedup_spool_segment(&x->spool, off, &so, &left);
	size_t want = len > SPOOL_WINDOW ? len : SPOOL_WINDOW;
	if (want > left)
		want = (size_t)left;
	if (want + 1 > w->cap) {
		free(w->p);
		w->cap = want + 1;
		w->p = angka_xmalloc(w->cap);
	}
	w->off = off;
	w->len = 0;
	if (dedup_spool_read(&x->spool, off, w->p, want, e) != ANGKA_OK)
		return e->code;
	w->len = want;
	return ANGKA_OK;
}

void dedup_unmap_window(struct dedup_window *w)
{
	free(w->p);
	w->p = NULL;
	w->cap = 0;
	w->off = w->len = 0;
}

/* Split a spooled CSV row into fields, unquoting quoted fields in place
 * (an unquoted field is never longer than its quoted form). */
void dedup_split(char *text, size_t len, size_t nfields, const char **f,
                 size_t *flen)
{
	size_t k = 0, i = 0;
	while (k < nfields) {
		if (i < len && text[i] == '"') {
			char *dst = text + i;
			size_t w = 0;
			i++;
			while (i < len) {
				if (text[i] == '"') {
					if (i + 1 < len && text[i + 1] == '"') {
						dst[w++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				dst[w++] = text[i++];
			}
			f[k] = dst;
			flen[k] = w;
			while (i < len && text[i] != ',')
				i++;
		} else {
			const char *z = memchr(text + i, ',', len - i);
			size_t end = z ? (size_t)(z - text) : len;
			f[k] = text + i;
			flen[k] = end - i;
			i = end;
		}
		k++;
		if (i >= len)
			break;
		i++;  /* the comma */
	}
	while (k < nfields) {
		f[k] = "";
		flen[k++] = 0;
	}
}
