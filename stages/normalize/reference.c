/*
 * reference.c - angka-normalize --kind penduduk|wilayah: light cleaning of
 * reference tables. Region codes become the dotted Kemendagri form
 * (kode_wilayah "63.11.01") plus the undotted digits (kode "631101"),
 * numbers are parsed (Indonesian thousands dots), years checked.
 */
#include "normalize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "period.h"
#include "table.h"

/*
 * Normalize the region code in field col into dotted and digits; the row
 * is quarantined (missing_value, region_unknown) and -1 returned if it is
 * not a code. Returns the level.
 */
static int ref_kode(struct normalize_table *t, int col, const char *field,
                    struct normalize_codes *fixes, char *dotted, char *digits)
{
	size_t len;
	const char *s = normalize_trim(normalize_table_get(t, col, &len), &len);
	int lvl = normalize_kode(s, len, dotted, digits);
	if (lvl == 0) {
		normalize_table_quarantine(t, field, "missing_value", "empty");
		return -1;
	}
	if (lvl < 0) {
		char detail[96];
		snprintf(detail, sizeof detail,
		         "'%.20s' is not a Kemendagri region code", s);
		normalize_table_quarantine(t, field, "region_unknown", detail);
		return -1;
	}
	if (strlen(dotted) != len || memcmp(dotted, s, len) != 0)
		normalize_codes_add(fixes, "kode_format");
	return lvl;
}

static void put_trim(struct normalize_table *t, int col)
{
	size_t len;
	const char *s = normalize_trim(normalize_table_get(t, col, &len), &len);
	normalize_table_field(t, s, len);
}

/* ---- penduduk ---- */

static const char *const penduduk_cols[] = {
	"src_file", "src_line", "kode_wilayah", "kode", "nama_wilayah", "tahun",
	"penduduk", "sumber", "fixes", NULL
};

enum { P_KODE, P_NAMA, P_TAHUN, P_PENDUDUK, P_SUMBER, P_NCOL };

static void penduduk_row(struct normalize_table *t, const int *c)
{
	struct normalize_codes fixes;
	normalize_codes_clear(&fixes);
	char dotted[16], digits[16];
	if (ref_kode(t, c[P_KODE], "kode_wilayah", &fixes, dotted, digits) < 0)
		return;
	size_t len;
	const char *s = normalize_table_get(t, c[P_TAHUN], &len);
	struct angka_period per;
	int r = angka_period_parse(s, len, &per);
	if (r != 0) {
		normalize_table_quarantine(t, "tahun", r > 0 ? "missing_value"
		                           : "date_unparseable",
		                           r > 0 ? "empty" : "not a year");
		return;
	}
	if (!(per.flags & ANGKA_PERIOD_F_YEAR_ONLY))
		normalize_codes_add(&fixes, "period_format");
	s = normalize_table_get(t, c[P_PENDUDUK], &len);
	struct angka_number num;
	enum angka_number_status st = angka_number_parse(s, len, ANGKA_NUMBER_ID,
	                                                 &num);
	if (st == ANGKA_NUMBER_MISSING) {
		normalize_table_quarantine(t, "penduduk", "missing_value", "empty");
		return;
	}
	if (st != ANGKA_NUMBER_OK) {
		normalize_table_quarantine(t, "penduduk", "number_unparseable",
		                           "not a number");
		return;
	}
	if (num.value < 0 || num.value != floor(num.value)) {
		normalize_table_quarantine(t, "penduduk", "value_range",
		                           "a population must be a whole number "
		                           ">= 0");
		return;
	}
	if (num.flags & ANGKA_NUMBER_F_GROUPED)
		normalize_codes_add(&fixes, "thousands_sep");
	if (num.flags & ANGKA_NUMBER_F_SCALED)
		normalize_codes_add(&fixes, "number_scale");
	normalize_table_src(t);
	normalize_table_str(t, dotted);
	normalize_table_str(t, digits);
	put_trim(t, c[P_NAMA]);
	char ybuf[8];
	snprintf(ybuf, sizeof ybuf, "%04d", per.year);
	normalize_table_str(t, ybuf);
	normalize_table_num(t, num.value);
	put_trim(t, c[P_SUMBER]);
	normalize_table_str(t, fixes.buf);
	normalize_table_end_row(t, fixes.len > 0);
}

/* ---- wilayah ---- */

static const char *const wilayah_cols[] = {
	"src_file", "src_line", "kode_wilayah", "kode", "level", "nama",
	"kode_induk", "fixes", NULL
};

enum { W_KODE, W_LEVEL, W_NAMA, W_INDUK, W_NCOL };

/*
 * The level label of a code: provinsi; kabupaten or kota (kota codes are
 * 71-99); kecamatan; desa or kelurahan (the 4-digit part starts with 2 for
 * a desa, 1 for a kelurahan). given is the table's label, used when it
 * agrees with the code's level. Returns NULL when given contradicts it.
 */
static const char *level_label(int lvl, const char *digits, const char *given,
                               size_t glen)
{
	char g[32];
	size_t n = 0;
	for (size_t i = 0; i < glen && n + 1 < sizeof g; i++) {
		char ch = given[i];
		if (ch == ' ')
			continue;
		g[n++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	g[n] = '\0';
	static const struct {
		const char *label;
		int lvl;
		const char *canon;
	} labels[] = {
		{ "provinsi", 1, "provinsi" }, { "propinsi", 1, "provinsi" },
		{ "kabupaten", 2, "kabupaten" }, { "kab", 2, "kabupaten" },
		{ "kota", 2, "kota" }, { "kabupaten/kota", 2, NULL },
		{ "kecamatan", 3, "kecamatan" }, { "kec", 3, "kecamatan" },
		{ "desa", 4, "desa" }, { "kelurahan", 4, "kelurahan" },
		{ "kel", 4, "kelurahan" }, { "desa/kelurahan", 4, NULL },
		{ NULL, 0, NULL }
	};
	const char *canon = NULL;
	if (n) {
		size_t i;
		for (i = 0; labels[i].label; i++)
			if (strcmp(g, labels[i].label) == 0)
				break;
		if (!labels[i].label || labels[i].lvl != lvl)
			return NULL;
		canon = labels[i].canon;
	}
	if (canon)
		return canon;
	switch (lvl) {
	case 1: return "provinsi";
	case 2: return digits[2] >= '7' ? "kota" : "kabupaten";
	case 3: return "kecamatan";
	default: return digits[6] == '1' ? "kelurahan" : "desa";
	}
}

static void wilayah_row(struct normalize_table *t, const int *c)
{
	struct normalize_codes fixes;
	normalize_codes_clear(&fixes);
	char dotted[16], digits[16];
	int lvl = ref_kode(t, c[W_KODE], "kode", &fixes, dotted, digits);
	if (lvl < 0)
		return;
	size_t len;
	const char *lv = normalize_trim(normalize_table_get(t, c[W_LEVEL], &len),
	                                &len);
	const char *label = level_label(lvl, digits, lv, len);
	if (!label) {
		char detail[96];
		snprintf(detail, sizeof detail, "level '%.24s' but the code has "
		         "%zu digits", lv, strlen(digits));
		normalize_table_quarantine(t, "level", "code_unknown", detail);
		return;
	}
	if (len && (strlen(label) != len || memcmp(label, lv, len) != 0))
		normalize_codes_add(&fixes, "level_label");
	size_t nl;
	normalize_trim(normalize_table_get(t, c[W_NAMA], &nl), &nl);
	if (!nl) {
		normalize_table_quarantine(t, "nama", "missing_value", "empty");
		return;
	}
	/* kode_induk: the parent is the code's prefix, whatever is given. */
	char induk[16] = "";
	if (lvl > 1) {
		static const size_t cut[5] = { 0, 0, 2, 5, 8 };
		memcpy(induk, dotted, cut[lvl]);
		induk[cut[lvl]] = '\0';
	}
	const char *gi = normalize_trim(normalize_table_get(t, c[W_INDUK], &len),
	                                &len);
	if (len) {
		char gd[16], gg[16];
		if (normalize_kode(gi, len, gd, gg) <= 0 || strcmp(gd, induk) != 0) {
			char detail[96];
			snprintf(detail, sizeof detail, "kode_induk '%.20s' is not "
			         "the parent of %s", gi, dotted);
			normalize_table_quarantine(t, "kode_induk", "code_unknown",
			                           detail);
			return;
		}
	} else if (lvl > 1) {
		normalize_codes_add(&fixes, "kode_induk_derived");
	}
	normalize_table_src(t);
	normalize_table_str(t, dotted);
	normalize_table_str(t, digits);
	normalize_table_str(t, label);
	put_trim(t, c[W_NAMA]);
	normalize_table_str(t, induk);
	normalize_table_str(t, fixes.buf);
	normalize_table_end_row(t, fixes.len > 0);
}

/* ---- entry points ---- */

static enum angka_err reference_run(const struct normalize_opts *o,
                                    struct angka_config *cfg,
                                    struct normalize_stats *st,
                                    struct angka_error *e, int wilayah)
{
	struct normalize_settings s;
	enum angka_err rc = normalize_settings_load(&s, o, cfg, e);
	if (rc != ANGKA_OK)
		return rc;
	struct normalize_table t;
	rc = normalize_table_open(&t, o, &s, wilayah ? wilayah_cols
	                                             : penduduk_cols, st, e);
	if (rc != ANGKA_OK)
		return rc;
	static const char *const req_p[] = { "kode_wilayah", "tahun", "penduduk",
	                                     NULL };
	static const char *const req_w[] = { "kode", "nama", NULL };
	static const char *const names_p[P_NCOL] = {
		"kode_wilayah", "nama_wilayah", "tahun", "penduduk", "sumber"
	};
	static const char *const names_w[W_NCOL] = {
		"kode", "level", "nama", "kode_induk"
	};
	rc = normalize_table_require(&t, wilayah ? req_w : req_p, e);
	if (rc != ANGKA_OK) {
		normalize_table_abort(&t);
		return rc;
	}
	int c[(int)P_NCOL > (int)W_NCOL ? (int)P_NCOL : (int)W_NCOL];
	int nc = wilayah ? W_NCOL : P_NCOL;
	for (int i = 0; i < nc; i++)
		c[i] = normalize_table_col(&t, wilayah ? names_w[i] : names_p[i]);
	int got;
	while ((got = normalize_table_next(&t, e)) > 0) {
		if (wilayah)
			wilayah_row(&t, c);
		else
			penduduk_row(&t, c);
	}
	if (got < 0) {
		normalize_table_abort(&t);
		return e->code;
	}
	return normalize_table_finish(&t, e);
}

enum angka_err normalize_penduduk_run(const struct normalize_opts *o,
                                      struct angka_config *cfg,
                                      struct normalize_stats *st,
                                      struct angka_error *e)
{
	return reference_run(o, cfg, st, e, 0);
}

enum angka_err normalize_wilayah_run(const struct normalize_opts *o,
                                     struct angka_config *cfg,
                                     struct normalize_stats *st,
                                     struct angka_error *e)
{
	return reference_run(o, cfg, st, e, 1);
}
