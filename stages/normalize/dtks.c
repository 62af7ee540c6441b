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
 * Fix codes: nik_punct, kk_punct, name_title, name_spaces, sex_label,
 * sex_from_nik, date_swapped, date_text_month, date_excel_serial,
 * date_from_nik, region_by_name, region_code_padded.
 * Flag codes: the NIK/KK reasons of nik.h (nik_length, nik_chars,
 * nik_province, nik_date, nik_serial, nik_excel_mangled, kk_*),
 * nik_maybe_truncated, kk_maybe_truncated, sex_conflict, date_conflict,
 * date_unparseable, region_missing, code_unknown.
 */
#include "normalize.h"
#include "date.h"
#include "name.h"
#include "nik.h"
#include "region.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	"tgl_update", "iddtks", "idartbdt", "fixes", "flags"
};

/* A growable scratch buffer, reused across rows (grows, never shrinks). */
struct buf {
	char *p;
	size_t cap;
};

static char *buf_need(struct buf *b, size_t n)
{
	if (n > b->cap) {
		size_t c = b->cap ? b->cap : 256;
		while (c < n)
			c *= 2;
		b->p = angka_xrealloc(b->p, c);
		b->cap = c;
	}
	return b->p;
}

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

struct dtks_ctx {
	const struct normalize_opts *o;
	struct normalize_settings set;
	struct angka_region_table *regions;
	int idx[C_COUNT];
	const struct angka_csv_record *rec;
	struct buf nama, gelar, kunci, tempat, alamat, dusun, join, tmp;
	struct codes fixes, flags;
	struct tally fix_tally, flag_tally, q_tally;
	int warned;
	uint64_t warnings;
};

/* Field c of the current record, "" when the column is absent. */
static const char *fld(const struct dtks_ctx *x, enum col c, size_t *len)
{
	int i = x->idx[c];
	if (i < 0 || (size_t)i >= x->rec->nfields) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = x->rec->len[i];
	return x->rec->field[i];
}

/* One warning line: file:line, field and code, never the value. */
static void row_warn(struct dtks_ctx *x, const char *field, const char *code,
                     const char *what)
{
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

/* Trim s[0..len) and collapse every run of white space (CR, LF, TAB
 * included) into one space; upper-case it if upper. Into b. */
static const char *squeeze(struct buf *b, const char *s, size_t len, int upper)
{
	char *o = buf_need(b, len + 1);
	size_t n = 0;
	int sp = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			sp = 1;
			continue;
		}
		if (sp && n)
			o[n++] = ' ';
		sp = 0;
		o[n++] = c;
	}
	o[n] = 0;
	if (upper)   /* in place: upper-casing never lengthens */
		angka_name_upper(o, n, o);
	return o;
}

/* Write field c trimmed and with white space collapsed. */
static void put_squeezed(struct dtks_ctx *x, struct angka_csv_writer *w,
                         enum col c)
{
	size_t len;
	const char *s = fld(x, c, &len);
	angka_csv_writer_str(w, squeeze(&x->tmp, s, len, 0));
}

/* Fold a label: ASCII letters and digits upper-cased, the rest dropped. */
static size_t label_key(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	for (; *s && o + 1 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 'a' && c <= 'z')
			out[o++] = (char)(c - 32);
		else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			out[o++] = (char)c;
	}
	out[o] = 0;
	return o;
}

/* Sex label -> 'L'/'P', 0 if empty, '?' if unknown. */
static char parse_sex(const char *s)
{
	static const struct { const char *k; char v; } t[] = {
		{ "L", 'L' }, { "P", 'P' }, { "1", 'L' }, { "2", 'P' },
		{ "LAKILAKI", 'L' }, { "LAKI", 'L' }, { "LELAKI", 'L' },
		{ "PRIA", 'L' }, { "LK", 'L' }, { "MALE", 'L' },
		{ "PEREMPUAN", 'P' }, { "WANITA", 'P' }, { "PR", 'P' },
		{ "W", 'P' }, { "FEMALE", 'P' },
	};
	char k[32];
	if (!label_key(s, k, sizeof k)) {
		while (*s == ' ')
			s++;
		return *s ? '?' : 0;
	}
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(k, t[i].k) == 0)
			return t[i].v;
	return '?';
}

/* Yes/no programme flag -> "1"/"0", "" if empty, NULL if unknown. */
static const char *parse_yesno(const char *s)
{
	static const char *const yes[] = { "1", "Y", "YA", "TRUE", "YES", "ADA", NULL };
	static const char *const no[] = { "0", "N", "TIDAK", "FALSE", "NO",
	                                  "TIDAKADA", "BUKAN", NULL };
	char k[32];
	if (!label_key(s, k, sizeof k)) {
		while (*s == ' ')
			s++;
		return *s ? NULL : "";
	}
	for (const char *const *p = yes; *p; p++)
		if (strcmp(k, *p) == 0)
			return "1";
	for (const char *const *p = no; *p; p++)
		if (strcmp(k, *p) == 0)
			return "0";
	return NULL;
}

/* hub_krt code or label -> "1".."8", "" if empty, NULL if unknown. */
static const char *parse_hub(const char *s)
{
	static const struct { const char *k; const char *v; } t[] = {
		{ "KEPALARUMAHTANGGA", "1" }, { "KEPALAKELUARGA", "1" },
		{ "KRT", "1" }, { "KK", "1" }, { "KEPALA", "1" },
		{ "ISTRI", "2" }, { "ISTERI", "2" }, { "SUAMI", "2" },
		{ "ISTRISUAMI", "2" }, { "SUAMIISTRI", "2" }, { "PASANGAN", "2" },
		{ "ANAK", "3" }, { "ANAKKANDUNG", "3" }, { "ANAKTIRI", "3" },
		{ "ANAKANGKAT", "3" }, { "MENANTU", "4" }, { "CUCU", "5" },
		{ "ORANGTUA", "6" }, { "MERTUA", "6" }, { "ORANGTUAMERTUA", "6" },
		{ "AYAH", "6" }, { "IBU", "6" }, { "PEMBANTU", "7" },
		{ "PEMBANTURUMAHTANGGA", "7" }, { "PEMBANTURUTA", "7" },
		{ "PRT", "7" }, { "LAINNYA", "8" }, { "FAMILILAIN", "8" },
		{ "FAMILILAINNYA", "8" }, { "LAINLAIN", "8" }, { "SAUDARA", "8" },
	};
	static const char *const codes[] = { "1", "2", "3", "4", "5", "6", "7", "8" };
	char k[40];
	if (!label_key(s, k, sizeof k)) {
		while (*s == ' ')
			s++;
		return *s ? NULL : "";
	}
	if (k[0] == '0' && k[1] >= '1' && k[1] <= '8' && !k[2])
		return codes[k[1] - '1'];
	if (k[0] >= '1' && k[0] <= '8' && !k[1])
		return codes[k[0] - '1'];
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(k, t[i].k) == 0)
			return t[i].v;
	return NULL;
}

/* desil 1-10 -> its text, "" if empty, NULL if bad. */
static const char *parse_desil(const char *s)
{
	static const char *const v[] = { "1", "2", "3", "4", "5", "6", "7", "8",
	                                 "9", "10" };
	while (*s == ' ')
		s++;
	if (!*s)
		return "";
	long n = 0;
	int nd = 0;
	for (; *s >= '0' && *s <= '9' && nd < 4; s++, nd++)
		n = n * 10 + (*s - '0');
	if (s[0] == '.' && s[1] == '0')
		s += 2;
	while (*s == ' ')
		s++;
	if (*s || !nd || n < 1 || n > 10)
		return NULL;
	return v[n - 1];
}

/* Join codes with '|' into b. */
static const char *join_codes(struct buf *b, const struct codes *c)
{
	size_t n = 1;
	for (int i = 0; i < c->n; i++)
		n += strlen(c->v[i]) + 1;
	char *o = buf_need(b, n);
	size_t k = 0;
	for (int i = 0; i < c->n; i++) {
		if (i)
			o[k++] = '|';
		size_t l = strlen(c->v[i]);
		memcpy(o + k, c->v[i], l);
		k += l;
	}
	o[k] = 0;
	return o;
}

static void quarantine(struct dtks_ctx *x, struct angka_quarantine *q,
                       const char *field, const char *reason,
                       const char *detail)
{
	tally_add(&x->q_tally, reason);
	row_warn(x, field, reason, " (row quarantined)");
	long line = strtol(fld(x, C_SRC_LINE, NULL), NULL, 10);
	angka_quarantine_add(q, fld(x, C_SRC_FILE, NULL), line, field, reason,
	                     detail, NULL, x->rec, ',');
}

/* Process the current record: write it to w or quarantine it. */
static void do_row(struct dtks_ctx *x, struct angka_csv_writer *w,
                   struct angka_quarantine *q, struct normalize_stats *st)
{
	x->fixes.n = x->flags.n = 0;
	size_t len;

	/* Birth date first: it chooses the century of the NIK's year. */
	struct angka_date birth;
	const char *tgl = fld(x, C_TGL_LAHIR, &len);
	enum angka_date_form form = angka_date_parse(tgl, len, &birth);

	struct angka_nik nik, kk;
	const char *s = fld(x, C_NIK, &len);
	angka_nik_parse(s, len, ANGKA_NIK_PERSON,
	                birth.year ? &birth : NULL,
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
	angka_name_key(nama, nl, kunci, 4 * nl + 16);

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
	struct angka_region_query rq = {
		fld(x, C_KODE_WILAYAH, NULL), fld(x, C_KODE_PROV, NULL),
		fld(x, C_KODE_KAB, NULL), fld(x, C_KODE_KEC, NULL),
		fld(x, C_KODE_DESA, NULL), fld(x, C_PROVINSI, NULL),
		fld(x, C_KABUPATEN, NULL), fld(x, C_KECAMATAN, NULL),
		fld(x, C_DESA, NULL)
	};
	struct angka_region_result rr;
	angka_region_resolve(x->regions, &rq, &rr);
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
	if (nik.status == ANGKA_NIK_INVALID || nik.status == ANGKA_NIK_EXCEL)
		flag(x, "nik", nik.reason);
	if (nik.flags & ANGKA_NIK_F_MAYBE_TRUNCATED) {
		/* Counted, not warned per row: one NIK in ten ends in 0. */
		codes_add(&x->flags, "nik_maybe_truncated");
		tally_add(&x->flag_tally, "nik_maybe_truncated");
	}
	if (kk.flags & ANGKA_NIK_F_PUNCT)
		fix(x, "kk_punct");
	if (kk.status == ANGKA_NIK_INVALID || kk.status == ANGKA_NIK_EXCEL)
		flag(x, "no_kk", kk.reason);
	int nik_ok = nik.status == ANGKA_NIK_VALID;

	/* Names. */
	if (nf & ANGKA_NAME_F_TITLE)
		fix(x, "name_title");
	if (nf & ANGKA_NAME_F_SPACES)
		fix(x, "name_spaces");

	/* Sex. */
	const char *sraw = fld(x, C_JENIS_KELAMIN, NULL);
	char sex = parse_sex(sraw);
	if (sex == '?') {
		flag(x, "jenis_kelamin", "code_unknown");
		sex = 0;
	} else if (sex && strcmp(sraw, "L") != 0 && strcmp(sraw, "P") != 0) {
		fix(x, "sex_label");
	}
	if (!sex && nik_ok) {
		sex = nik.sex;
		fix(x, "sex_from_nik");
	} else if (sex && nik_ok && sex != nik.sex) {
		flag(x, "jenis_kelamin", "sex_conflict");
	}

	/* Birth date, reconciled with the NIK. */
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

	/* Write. */
	char d1[11], d2[11], d3[11], sx[2] = { sex, 0 }, nsx[2] = { nik.sex, 0 };
	angka_date_format(&nik.birth, d1);
	angka_date_format(&birth, d2);
	angka_date_format(&upd, d3);
	char kec[7] = "";
	if (rr.desa) {
		memcpy(kec, rr.desa->code, 6);
		kec[6] = 0;
	}
	const char *tempat = fld(x, C_TEMPAT_LAHIR, &len);
	tempat = squeeze(&x->tempat, tempat, len, 1);
	const char *alamat = fld(x, C_ALAMAT, &len);
	alamat = squeeze(&x->alamat, alamat, len, 0);
	const char *dusun = fld(x, C_DUSUN, &len);
	dusun = squeeze(&x->dusun, dusun, len, 0);

	angka_csv_writer_str(w, fld(x, C_SRC_FILE, NULL));
	angka_csv_writer_str(w, fld(x, C_SRC_LINE, NULL));
	angka_csv_writer_str(w, nik.digits);
	angka_csv_writer_str(w, angka_nik_status_name(nik.status));
	angka_csv_writer_str(w, nik.kode_kec);
	angka_csv_writer_str(w, d1);
	angka_csv_writer_str(w, nsx);
	angka_csv_writer_str(w, kk.digits);
	angka_csv_writer_str(w, angka_nik_status_name(kk.status));
	angka_csv_writer_str(w, nama);
	angka_csv_writer_str(w, nama_asli);
	angka_csv_writer_str(w, gelar);
	angka_csv_writer_str(w, kunci);
	angka_csv_writer_str(w, sx);
	angka_csv_writer_str(w, d2);
	angka_csv_writer_str(w, tempat);
	angka_csv_writer_str(w, alamat);
	angka_csv_writer_str(w, dusun);
	put_squeezed(x, w, C_RT);
	put_squeezed(x, w, C_RW);
	angka_csv_writer_str(w, rr.desa ? rr.desa->code : "");
	angka_csv_writer_str(w, kec);
	angka_csv_writer_str(w, hub);
	for (int i = 0; i < 5; i++)
		angka_csv_writer_str(w, ynv[i]);
	put_squeezed(x, w, C_STATUS);
	angka_csv_writer_str(w, desil);
	angka_csv_writer_str(w, d3);
	put_squeezed(x, w, C_IDDTKS);
	put_squeezed(x, w, C_IDARTBDT);
	angka_csv_writer_str(w, join_codes(&x->join, &x->fixes));
	angka_csv_writer_str(w, join_codes(&x->join, &x->flags));
	angka_csv_writer_end_row(w);
	st->rows_out++;
	if (x->fixes.n)
		st->rows_fixed++;
}

static void ctx_release(struct dtks_ctx *x)
{
	struct buf *b[] = { &x->nama, &x->gelar, &x->kunci, &x->tempat,
	                    &x->alamat, &x->dusun, &x->join, &x->tmp };
	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
		free(b[i]->p);
	angka_region_free(x->regions);
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
	struct angka_csv_reader *r = NULL;
	struct angka_csv_writer *w = NULL;
	struct angka_quarantine q = { 0 };
	int q_open = 0;

	enum angka_err rc = normalize_settings_load(&x.set, o, cfg, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (!x.set.wilayah) {
		rc = ANGKA_ERR(e, ANGKA_EUSAGE,
		               "kind 'dtks' needs a region table: give --wilayah "
		               "FILE or [normalize] wilayah = PATH");
		goto cleanup;
	}
	rc = angka_region_load(&x.regions, x.set.wilayah, e);
	if (rc != ANGKA_OK)
		goto cleanup;

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

	rc = angka_csv_writer_open(&w, o->out, 0, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	rc = angka_quarantine_open(&q, o->quarantine, "normalize", e);
	if (rc != ANGKA_OK)
		goto cleanup;
	q_open = 1;
	angka_csv_writer_row(w, sizeof out_cols / sizeof out_cols[0], out_cols);

	while ((got = angka_csv_reader_next(r, &rec, e)) > 0) {
		st->rows_in++;
		x.rec = rec;
		if (rec->nfields != nheader) {
			char detail[96];
			snprintf(detail, sizeof detail,
			         "%zu fields, header has %zu (not angka-ingest output?)",
			         rec->nfields, nheader);
			tally_add(&x.q_tally, "field_count");
			angka_quarantine_add(&q, name, rec->line, "", "field_count",
			                     detail, NULL, rec, ',');
			continue;
		}
		do_row(&x, w, &q, st);
	}
	if (got < 0) {
		rc = e->code;
		goto cleanup;
	}
	rc = angka_csv_reader_close(r, e);
	r = NULL;
	if (rc != ANGKA_OK)
		goto cleanup;
	st->rows_quarantined = q.rows;
	if (st->rows_in != st->rows_out + st->rows_quarantined) {
		rc = ANGKA_ERR(e, ANGKA_EBALANCE,
		               "row counts do not balance: in %llu, out %llu, "
		               "quarantined %llu",
		               (unsigned long long)st->rows_in,
		               (unsigned long long)st->rows_out,
		               (unsigned long long)st->rows_quarantined);
		goto cleanup;
	}
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
	if (q_open)
		angka_quarantine_abort(&q);
	if (w)
		angka_csv_writer_abort(w);
	angka_csv_reader_free(r);
	ctx_release(&x);
	return rc;
}
