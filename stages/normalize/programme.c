/*
 * programme.c - angka-normalize --kind kube|uep: programme recipient lists
 * (KUBE groups, UEP individuals).
 *
 * The NIK is cleaned with angka_nik_parse (kept only when valid, else empty
 * with its reason in flags), the year must have 4 digits, the amount is
 * read in Rupiah formats, and with a region table (--wilayah or
 * [normalize] wilayah) the kecamatan and desa names resolve to the 10-digit
 * desa code. Rows are kept whenever a person can be identified later:
 * programme checks need every listed recipient. Warnings never quote a NIK
 * or a name.
 */
#include "normalize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nik.h"
#include "number.h"
#include "region.h"
#include "table.h"

static const char *const out_cols[] = {
	"src_file", "src_line", "program", "id_kelompok", "nama_kelompok", "nik",
	"nama", "jabatan", "kode_wilayah", "kecamatan", "desa", "tahun",
	"nilai_bantuan", "jenis_usaha", "fixes", "flags", NULL
};

enum { C_ID, C_NAMA_KEL, C_NIK, C_NAMA, C_JABATAN, C_KODE, C_KEC, C_DESA,
       C_TAHUN, C_NILAI, C_USAHA, C_NCOL };

static const char *const in_names[C_NCOL] = {
	"id_kelompok", "nama_kelompok", "nik", "nama", "jabatan", "kode_wilayah",
	"kecamatan", "desa", "tahun", "nilai_bantuan", "jenis_usaha"
};

struct programme {
	struct normalize_table t;
	const struct normalize_settings *s;
	struct angka_region_table *regions;   /* NULL: no resolution */
	int kube;
	int c[C_NCOL];
};

/* Write field col trimmed, with inner runs of spaces collapsed; upper:
 * ASCII upper-case. Sets *changed when the text changed, *escaped when it
 * got a leading ' against formula injection (normalize_table_text). */
static void put_clean(struct programme *p, int col, int upper, int *changed,
                      int *escaped)
{
	size_t len;
	const char *s = normalize_table_get(&p->t, col, &len);
	char buf[1024];
	size_t n = 0;
	int space = 0;
	if (len >= sizeof buf) {
		*escaped |= normalize_table_text(&p->t, s, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (ch == ' ' || ch == '\t') {
			space = n > 0;
			continue;
		}
		if (space)
			buf[n++] = ' ';
		space = 0;
		if (upper && ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		buf[n++] = ch;
	}
	if (changed && (n != len || memcmp(buf, s, n) != 0))
		*changed = 1;
	*escaped |= normalize_table_text(&p->t, buf, n);
}

static void programme_row(struct programme *p)
{
	struct normalize_table *t = &p->t;
	const int *c = p->c;
	struct normalize_codes fixes, flags;
	normalize_codes_clear(&fixes);
	normalize_codes_clear(&flags);
	size_t len;
	const char *v;

	/* A KUBE member without a group cannot be checked. */
	if (p->kube) {
		v = normalize_trim(normalize_table_get(t, c[C_ID], &len), &len);
		if (!len) {
			normalize_table_quarantine(t, "id_kelompok", "missing_value",
			                           "empty");
			return;
		}
	}

	v = normalize_trim(normalize_table_get(t, c[C_TAHUN], &len), &len);
	int year = 0;
	if (len == 4) {
		for (size_t i = 0; i < 4; i++)
			year = (v[i] >= '0' && v[i] <= '9') ? year * 10 + v[i] - '0'
			                                    : -100000;
	}
	if (!len) {
		normalize_table_quarantine(t, "tahun", "missing_value", "empty");
		return;
	}
	if (year < 1900 || year > 2100) {
		normalize_table_quarantine(t, "tahun", "date_unparseable",
		                           "not a 4-digit year");
		return;
	}

	v = normalize_table_get(t, c[C_NILAI], &len);
	struct angka_number num;
	enum angka_number_status ns = normalize_rupiah(v, len, &num);
	double nilai = NAN;
	if (ns == ANGKA_NUMBER_INVALID) {
		normalize_table_quarantine(t, "nilai_bantuan", "number_unparseable",
		                           "not a Rupiah amount");
		return;
	}
	if (ns == ANGKA_NUMBER_OK) {
		if (num.value < 0) {
			normalize_table_quarantine(t, "nilai_bantuan", "value_range",
			                           "a negative amount");
			return;
		}
		nilai = num.value;
		if (num.flags & ANGKA_NUMBER_F_CURRENCY)
			normalize_codes_add(&fixes, "currency");
		if (num.flags & ANGKA_NUMBER_F_GROUPED)
			normalize_codes_add(&fixes, "thousands_sep");
		if (num.flags & ANGKA_NUMBER_F_DECIMAL_COMMA)
			normalize_codes_add(&fixes, "decimal_comma");
		if (num.flags & ANGKA_NUMBER_F_SCALED)
			normalize_codes_add(&fixes, "number_scale");
	}

	/* NIK: kept only when valid; the reason goes to flags. */
	v = normalize_table_get(t, c[C_NIK], &len);
	struct angka_nik nik;
	angka_nik_parse(v, len, ANGKA_NIK_PERSON, NULL,
	                (int)p->s->reference_year, &nik);
	if (nik.status == ANGKA_NIK_VALID) {
		if (nik.flags & ANGKA_NIK_F_PUNCT)
			normalize_codes_add(&fixes, "nik_punct");
		if (nik.flags & ANGKA_NIK_F_FLOAT)
			normalize_codes_add(&fixes, "nik_from_float");
		if (nik.flags & ANGKA_NIK_F_MAYBE_TRUNCATED)
			normalize_codes_add(&flags, "nik_maybe_truncated");
	} else if (nik.status == ANGKA_NIK_MISSING) {
		normalize_codes_add(&flags, "nik_missing");
	} else {
		normalize_codes_add(&flags, nik.reason ? nik.reason : "nik_invalid");
		normalize_table_warn(t, "%s: NIK not usable, left empty (flagged)",
		                     nik.reason ? nik.reason : "nik_invalid");
	}

	/* Region: resolved from the table when there is one. */
	char kode[16] = "";
	size_t kl;
	const char *kv = normalize_trim(normalize_table_get(t, c[C_KODE], &kl),
	                                &kl);
	if (p->regions) {
		char kec[256], desa[256];
		size_t l1, l2;
		const char *s1 = normalize_table_get(t, c[C_KEC], &l1);
		const char *s2 = normalize_table_get(t, c[C_DESA], &l2);
		snprintf(kec, sizeof kec, "%.*s", (int)l1, s1);
		snprintf(desa, sizeof desa, "%.*s", (int)l2, s2);
		char kbuf[64];
		snprintf(kbuf, sizeof kbuf, "%.*s", (int)(kl < 63 ? kl : 63), kv);
		struct angka_region_query q = { 0 };
		q.kode_wilayah = kbuf;
		q.kecamatan = kec;
		q.desa = desa;
		struct angka_region_result r;
		enum angka_region_outcome oc = angka_region_resolve(p->regions, &q,
		                                                    &r);
		if (oc == ANGKA_REGION_OK) {
			snprintf(kode, sizeof kode, "%s", r.desa->code);
			if (r.fixes & ANGKA_REGION_F_BY_NAME)
				normalize_codes_add(&fixes, "region_by_name");
			if (r.fixes & ANGKA_REGION_F_PADDED)
				normalize_codes_add(&fixes, "code_zero_pad");
		} else {
			const char *code = oc == ANGKA_REGION_AMBIGUOUS ?
			        "region_ambiguous" : oc == ANGKA_REGION_MISSING ?
			        "region_missing" : "region_unknown";
			normalize_codes_add(&flags, code);
			/* Not r.detail: it quotes the value, which may be anything. */
			normalize_table_warn(t, "%s: field '%s' (flagged)", code,
			                     r.field);
		}
	}
	if (!kode[0] && kl) {
		char dotted[16];
		if (normalize_kode(kv, kl, dotted, kode) < 0) {
			snprintf(kode, sizeof kode, "%.*s", (int)(kl < 15 ? kl : 15), kv);
			normalize_codes_add(&flags, "kode_format");
		}
	}

	normalize_table_src(t);
	normalize_table_str(t, p->kube ? "kube" : "uep");
	int changed = 0, esc = 0;
	put_clean(p, c[C_ID], 0, &changed, &esc);
	put_clean(p, c[C_NAMA_KEL], 0, &changed, &esc);
	normalize_table_str(t, nik.digits);
	put_clean(p, c[C_NAMA], 0, &changed, &esc);
	put_clean(p, c[C_JABATAN], 1, &changed, &esc);
	normalize_table_str(t, kode);
	put_clean(p, c[C_KEC], 0, &changed, &esc);
	put_clean(p, c[C_DESA], 0, &changed, &esc);
	char ybuf[8];
	snprintf(ybuf, sizeof ybuf, "%04d", year);
	normalize_table_str(t, ybuf);
	normalize_table_num(t, nilai);
	put_clean(p, c[C_USAHA], 0, &changed, &esc);
	if (changed)
		normalize_codes_add(&fixes, "spaces");
	if (esc)
		normalize_codes_add(&fixes, "formula_escaped");
	normalize_table_str(t, fixes.buf);
	normalize_table_str(t, flags.buf);
	normalize_table_end_row(t, fixes.len > 0);
}

enum angka_err normalize_programme_run(const struct normalize_opts *o,
                                       struct angka_config *cfg,
                                       struct normalize_stats *st,
                                       struct angka_error *e)
{
	struct normalize_settings s;
	enum angka_err rc = normalize_settings_load(&s, o, cfg, e);
	if (rc != ANGKA_OK)
		return rc;
	struct programme p;
	memset(&p, 0, sizeof p);
	p.s = &s;
	p.kube = o->kind == ANGKA_KIND_KUBE;
	if (s.wilayah) {
		rc = angka_region_load(&p.regions, s.wilayah, e);
		if (rc != ANGKA_OK)
			return rc;
	}
	rc = normalize_table_open(&p.t, o, &s, out_cols, st, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	static const char *const req_kube[] = { "id_kelompok", "nik", "tahun",
	                                        NULL };
	static const char *const req_uep[] = { "nik", "tahun", NULL };
	rc = normalize_table_require(&p.t, p.kube ? req_kube : req_uep, e);
	if (rc != ANGKA_OK) {
		normalize_table_abort(&p.t);
		goto cleanup;
	}
	for (int i = 0; i < C_NCOL; i++)
		p.c[i] = normalize_table_col(&p.t, in_names[i]);
	int got;
	while ((got = normalize_table_next(&p.t, e)) > 0)
		programme_row(&p);
	if (got < 0) {
		rc = e->code;
		normalize_table_abort(&p.t);
		goto cleanup;
	}
	rc = normalize_table_finish(&p.t, e);
cleanup:
	angka_region_free(p.regions);
	return rc;
}
