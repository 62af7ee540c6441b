/*
 * survey.c - angka-normalize --kind susenas: SUSENAS household microdata.
 *
 * Numbers in decimal comma or point ([normalize] susenas_locale, decided
 * per source file under auto), region codes with their leading zeros, the
 * urban/rural code with its name, the person weight (bobot) from the
 * household weight, the year from the data, the options or the file name,
 * and an optional BPS -> Kemendagri crosswalk for kode_wilayah. Rows that
 * cannot enter an estimate (no weight, no expenditure, no design) are
 * quarantined with the field named.
 */
#include "normalize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "table.h"

static const char *const out_cols[] = {
	"src_file", "src_line", "tahun", "kode_wilayah", "kode_prov", "kode_kab",
	"kode_kec", "daerah", "daerah_nama", "psu", "strata", "id_ruta",
	"jumlah_art", "bobot_ruta", "bobot", "kapita", "fixes", NULL
};

/* Crosswalk entries: BPS digits -> dotted Kemendagri code. */
struct xwalk_entry {
	char bps[16];
	char kode[16];
};

struct xwalk {
	struct xwalk_entry *e;
	size_t n;
};

#define XWALK_MAX 2000000

static int xwalk_cmp(const void *a, const void *b)
{
	return strcmp(((const struct xwalk_entry *)a)->bps,
	              ((const struct xwalk_entry *)b)->bps);
}

/* Digits of s[0..len) into out (capacity cap); -1 if other characters
 * than digits, dots, spaces and dashes occur or it does not fit. */
static int digits_only(const char *s, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (n + 1 >= cap)
				return -1;
			out[n++] = s[i];
		} else if (s[i] != '.' && s[i] != ' ' && s[i] != '-') {
			return -1;
		}
	}
	out[n] = '\0';
	return (int)n;
}

/*
 * Load the crosswalk CSV at path (header bps_kode,kemendagri_kode, other
 * columns ignored). BPS codes are kecamatan PPKKCCC (7 digits) or
 * kabupaten PPKK (4 digits), dots allowed. ANGKA_EDATA names a bad line.
 */
static enum angka_err xwalk_load(struct xwalk *x, const char *path,
                                 struct angka_error *e)
{
	memset(x, 0, sizeof *x);
	struct angka_csv_reader *r = NULL;
	struct angka_csv_opts copts = { .delim = 0, .encoding = ANGKA_ENC_AUTO };
	enum angka_err rc = angka_csv_reader_open(&r, path, &copts, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *name = angka_csv_reader_name(r);
	const struct angka_csv_record *rec;
	int got = angka_csv_reader_next(r, &rec, e);
	int cb = -1, ck = -1;
	size_t cap = 0;
	if (got < 0) {
		rc = e->code;
		goto cleanup;
	}
	if (got > 0) {
		for (size_t i = 0; i < rec->nfields; i++) {
			char key[64];
			if (rec->len[i] >= sizeof key)
				continue;
			angka_header_key(rec->field[i], rec->len[i], key);
			if (strcmp(key, "bpskode") == 0 || strcmp(key, "kodebps") == 0)
				cb = (int)i;
			else if (strcmp(key, "kemendagrikode") == 0 ||
			         strcmp(key, "kodekemendagri") == 0)
				ck = (int)i;
		}
	}
	if (cb < 0 || ck < 0) {
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA,
		               "'%s': crosswalk needs the columns bps_kode and "
		               "kemendagri_kode", name);
		goto cleanup;
	}
	while ((got = angka_csv_reader_next(r, &rec, e)) > 0) {
		if ((size_t)cb >= rec->nfields || (size_t)ck >= rec->nfields) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: too few fields",
			               name, rec->line);
			goto cleanup;
		}
		struct xwalk_entry ent;
		char digits[16];
		int nb = digits_only(rec->field[cb], rec->len[cb], ent.bps,
		                     sizeof ent.bps);
		if ((nb != 4 && nb != 7) ||
		    normalize_kode(rec->field[ck], rec->len[ck], ent.kode,
		                   digits) < 2) {
			rc = ANGKA_ERR(e, ANGKA_EDATA,
			               "'%s':%ld: bad crosswalk row (bps_kode must "
			               "have 4 or 7 digits, kemendagri_kode be a "
			               "kabupaten or finer code)", name, rec->line);
			goto cleanup;
		}
		if (x->n == XWALK_MAX) {
			rc = ANGKA_ERR(e, ANGKA_ENOMEM,
			               "'%s': more than %d crosswalk rows", name,
			               XWALK_MAX);
			goto cleanup;
		}
		if (x->n == cap) {
			cap = cap ? 2 * cap : 64;
			struct xwalk_entry *ne = realloc(x->e, cap * sizeof *ne);
			if (!ne) {
				rc = ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory "
				               "reading '%s'", name);
				goto cleanup;
			}
			x->e = ne;
		}
		x->e[x->n++] = ent;
	}
	if (got < 0) {
		rc = e->code;
		goto cleanup;
	}
	rc = angka_csv_reader_close(r, e);
	r = NULL;
	if (rc != ANGKA_OK)
		goto cleanup;
	if (x->n)
		qsort(x->e, x->n, sizeof *x->e, xwalk_cmp);
	for (size_t i = 1; i < x->n; i++) {
		if (strcmp(x->e[i].bps, x->e[i - 1].bps) == 0 &&
		    strcmp(x->e[i].kode, x->e[i - 1].kode) != 0) {
			rc = ANGKA_ERR(e, ANGKA_EDATA,
			               "'%s': bps_kode '%s' maps to both '%s' and "
			               "'%s'", path, x->e[i].bps, x->e[i - 1].kode,
			               x->e[i].kode);
			goto cleanup;
		}
	}
	return ANGKA_OK;
cleanup:
	angka_csv_reader_free(r);
	free(x->e);
	x->e = NULL;
	x->n = 0;
	return rc;
}

static const char *xwalk_find(const struct xwalk *x, const char *bps)
{
	if (!x->n)
		return NULL;
	struct xwalk_entry key;
	snprintf(key.bps, sizeof key.bps, "%s", bps);
	const struct xwalk_entry *hit = bsearch(&key, x->e, x->n, sizeof *x->e,
	                                        xwalk_cmp);
	return hit ? hit->kode : NULL;
}

/* Per source file: the number convention and the year's provenance. */
struct file_ctx {
	char name[512];
	enum angka_number_locale loc;
	int year;             /* from the file name, 0 if none */
	int noted;            /* the year source was printed */
};

/*
 * Restore the leading zeros of a code field to width digits into out.
 * Returns 1 if padded, 0 if already right, -1 if not 1..width digits.
 */
static int pad_code(const char *s, size_t len, size_t width, char *out)
{
	s = normalize_trim(s, &len);
	if (len == 0 || len > width)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	size_t pad = width - len;
	memset(out, '0', pad);
	memcpy(out + pad, s, len);
	out[width] = '\0';
	return pad > 0;
}

struct survey {
	struct normalize_table t;
	const struct normalize_settings *s;
	struct xwalk xw;
	struct file_ctx fc;
	struct normalize_codes fixes;
	int c_tahun, c_id, c_prov, c_kab, c_kec, c_daerah, c_psu, c_strata,
	    c_art, c_wrt, c_wind, c_kapita;
};

/*
 * Parse number field col under the file's convention into *v. Returns 0
 * when usable; otherwise the row is quarantined (missing_value or
 * number_unparseable naming field) and -1 is returned.
 */
static int survey_number(struct survey *sv, int col, const char *field,
                         double *v, int *frac)
{
	size_t len;
	const char *s = normalize_table_get(&sv->t, col, &len);
	if (sv->fc.loc == ANGKA_NUMBER_AUTO) {
		enum angka_number_locale l = angka_number_sniff(s, len);
		if (l != ANGKA_NUMBER_AUTO)
			sv->fc.loc = l;
	}
	struct angka_number num;
	enum angka_number_status st = angka_number_parse(s, len, sv->fc.loc,
	                                                 &num);
	if (st == ANGKA_NUMBER_MISSING) {
		normalize_table_quarantine(&sv->t, field, "missing_value",
		                           "empty");
		return -1;
	}
	if (st != ANGKA_NUMBER_OK || (num.flags & (ANGKA_NUMBER_F_PERCENT |
	                                           ANGKA_NUMBER_F_CURRENCY))) {
		char detail[96];
		snprintf(detail, sizeof detail, "'%.40s' is not a number",
		         s);
		normalize_table_quarantine(&sv->t, field, "number_unparseable",
		                           detail);
		return -1;
	}
	if (num.flags & ANGKA_NUMBER_F_DECIMAL_COMMA)
		normalize_codes_add(&sv->fixes, "decimal_comma");
	if (num.flags & ANGKA_NUMBER_F_GROUPED)
		normalize_codes_add(&sv->fixes, "thousands_sep");
	if (num.flags & ANGKA_NUMBER_F_OTHER_LOCALE)
		normalize_codes_add(&sv->fixes, "number_other_locale");
	*v = num.value;
	if (frac)
		*frac = num.frac_digits;
	return 0;
}

/* Quarantine with a value_range reason naming field. */
static void out_of_range(struct survey *sv, const char *field,
                         const char *what, double v)
{
	char buf[40], detail[128];
	angka_number_format(v, buf, sizeof buf);
	snprintf(detail, sizeof detail, "%s (got %s)", what,
	         buf[0] ? buf : "not finite");
	normalize_table_quarantine(&sv->t, field, "value_range", detail);
}

/* Switch the per-file context when src_file changes. */
static void survey_file(struct survey *sv)
{
	const char *f = normalize_table_src_file(&sv->t);
	if (strncmp(sv->fc.name, f, sizeof sv->fc.name - 1) == 0 &&
	    strlen(f) < sizeof sv->fc.name)
		return;
	memset(&sv->fc, 0, sizeof sv->fc);
	snprintf(sv->fc.name, sizeof sv->fc.name, "%s", f);
	sv->fc.loc = (enum angka_number_locale)sv->s->susenas_locale;
	sv->fc.year = normalize_year_in(f);
}

/*
 * The year of the row: the tahun column, else --year / [normalize] year,
 * else a 4-digit year in the source file name. 0 if none; the source is
 * printed once per file.
 */
static int survey_year(struct survey *sv, int *bad)
{
	size_t len;
	const char *s = normalize_table_get(&sv->t, sv->c_tahun, &len);
	s = normalize_trim(s, &len);
	*bad = 0;
	if (len) {
		if (len != 4 || !(s[0] >= '1' && s[0] <= '2')) {
			*bad = 1;
			return 0;
		}
		int y = 0;
		for (size_t i = 0; i < 4; i++) {
			if (s[i] < '0' || s[i] > '9') {
				*bad = 1;
				return 0;
			}
			y = y * 10 + (s[i] - '0');
		}
		return y;
	}
	const char *how;
	int y;
	if (sv->s->year) {
		y = (int)sv->s->year;
		how = "from --year or [normalize] year";
	} else {
		y = sv->fc.year;
		how = "from the file name";
	}
	if (y && !sv->fc.noted && !sv->t.quiet) {
		sv->fc.noted = 1;
		angka_warn("'%s': no tahun in the data; year %d %s", sv->fc.name,
		           y, how);
	}
	return y;
}

static void survey_row(struct survey *sv)
{
	struct normalize_table *t = &sv->t;
	normalize_codes_clear(&sv->fixes);
	survey_file(sv);

	int bad_year;
	int year = survey_year(sv, &bad_year);
	if (bad_year) {
		normalize_table_quarantine(t, "tahun", "value_range",
		                           "not a 4-digit year");
		return;
	}
	if (!year) {
		normalize_table_quarantine(t, "tahun", "missing_value",
		                           "no tahun value, no --year or "
		                           "[normalize] year, no year in the "
		                           "file name");
		return;
	}

	/* Region codes with their leading zeros restored. */
	char prov[3], kab[3], kec[4] = "";
	size_t len;
	const char *v = normalize_table_get(t, sv->c_prov, &len);
	int r = pad_code(v, len, 2, prov);
	if (r < 0) {
		normalize_table_quarantine(t, "kode_prov", len ? "code_unknown" :
		                           "missing_value",
		                           len ? "not a 1-2 digit code" : "empty");
		return;
	}
	if (r)
		normalize_codes_add(&sv->fixes, "code_zero_pad");
	v = normalize_table_get(t, sv->c_kab, &len);
	const char *kv = normalize_trim(v, &len);
	if (len == 4 && strncmp(kv, prov, 2) == 0) {
		/* "6311": province and kabupaten in one field. */
		kv += 2;
		len = 2;
		normalize_codes_add(&sv->fixes, "code_split");
	}
	r = pad_code(kv, len, 2, kab);
	if (r < 0) {
		normalize_table_quarantine(t, "kode_kab", len ? "code_unknown" :
		                           "missing_value",
		                           len ? "not a 1-2 digit code" : "empty");
		return;
	}
	if (r)
		normalize_codes_add(&sv->fixes, "code_zero_pad");
	v = normalize_table_get(t, sv->c_kec, &len);
	kv = normalize_trim(v, &len);
	if (len) {
		r = pad_code(kv, len, 3, kec);
		if (r < 0) {
			normalize_table_quarantine(t, "kode_kec", "code_unknown",
			                           "not a 1-3 digit BPS code");
			return;
		}
		if (r)
			normalize_codes_add(&sv->fixes, "code_zero_pad");
	}

	v = normalize_table_get(t, sv->c_daerah, &len);
	int daerah = normalize_daerah(v, len);
	if (daerah == 0) {
		normalize_table_quarantine(t, "daerah", "missing_value", "empty");
		return;
	}
	if (daerah < 0 || daerah > 2) {
		normalize_table_quarantine(t, "daerah", "code_unknown",
		                           "expected 1 (perkotaan) or 2 "
		                           "(perdesaan)");
		return;
	}
	if (!(len == 1 && (v[0] == '1' || v[0] == '2')))
		normalize_codes_add(&sv->fixes, "daerah_label");

	size_t psul, stl;
	const char *psu = normalize_trim(normalize_table_get(t, sv->c_psu, &psul),
	                                 &psul);
	if (!psul) {
		normalize_table_quarantine(t, "psu", "missing_value", "empty");
		return;
	}
	const char *strata = normalize_trim(normalize_table_get(t, sv->c_strata,
	                                                        &stl), &stl);
	if (!stl) {
		normalize_table_quarantine(t, "strata", "missing_value", "empty");
		return;
	}

	double art, wrt = NAN, wind = NAN, kapita, bobot;
	int frac = 0;
	if (survey_number(sv, sv->c_art, "jumlah_art", &art, NULL))
		return;
	if (!(art >= 1) || art != floor(art) || art > 1000) {
		out_of_range(sv, "jumlah_art", "household size must be an "
		             "integer from 1", art);
		return;
	}
	int person = sv->s->susenas_weight == 1;
	size_t wl;
	normalize_table_get(t, sv->c_wrt, &wl);
	if (!person || wl) {
		if (survey_number(sv, sv->c_wrt, "bobot_ruta", &wrt, &frac))
			return;
		if (!(wrt > 0) || !isfinite(wrt)) {
			out_of_range(sv, "bobot_ruta", "weight must be > 0", wrt);
			return;
		}
	}
	if (person) {
		if (survey_number(sv, sv->c_wind, "bobot_individu", &wind, NULL))
			return;
		if (!(wind > 0) || !isfinite(wind)) {
			out_of_range(sv, "bobot_individu", "weight must be > 0",
			             wind);
			return;
		}
		bobot = wind;
	} else {
		/* The exact product has as many decimals as the household
		 * weight: round the double product to them, so 38.57 x 3 is
		 * written 115.71, not 115.71000000000001. */
		char buf[64];
		snprintf(buf, sizeof buf, "%.*f", frac > 15 ? 15 : frac,
		         wrt * art);
		bobot = strtod(buf, NULL);
		if (!isfinite(bobot)) {
			out_of_range(sv, "bobot_ruta", "weight x household size "
			             "overflows", wrt);
			return;
		}
	}
	if (survey_number(sv, sv->c_kapita, "kapita", &kapita, NULL))
		return;
	if (!(kapita > 0) || !isfinite(kapita)) {
		out_of_range(sv, "kapita", "per-capita expenditure must be > 0",
		             kapita);
		return;
	}

	/* kode_wilayah: the crosswalk's kecamatan (or kabupaten) code, else
	 * the kabupaten PP.KK. */
	char kode[16];
	snprintf(kode, sizeof kode, "%s.%s", prov, kab);
	if (sv->xw.n) {
		char key[16];
		const char *hit = NULL;
		if (kec[0]) {
			snprintf(key, sizeof key, "%s%s%s", prov, kab, kec);
			hit = xwalk_find(&sv->xw, key);
		}
		if (!hit) {
			snprintf(key, sizeof key, "%s%s", prov, kab);
			hit = xwalk_find(&sv->xw, key);
			if (kec[0])
				normalize_codes_add(&sv->fixes, "crosswalk_miss");
		}
		if (hit)
			snprintf(kode, sizeof kode, "%s", hit);
	}

	normalize_table_src(t);
	char ybuf[8];
	snprintf(ybuf, sizeof ybuf, "%04d", year);
	normalize_table_str(t, ybuf);
	normalize_table_str(t, kode);
	normalize_table_str(t, prov);
	normalize_table_str(t, kab);
	normalize_table_str(t, kec);
	normalize_table_str(t, daerah == 1 ? "1" : "2");
	normalize_table_str(t, normalize_daerah_name(daerah));
	normalize_table_field(t, psu, psul);
	normalize_table_field(t, strata, stl);
	size_t il;
	const char *id = normalize_trim(normalize_table_get(t, sv->c_id, &il),
	                                &il);
	normalize_table_field(t, id, il);
	normalize_table_num(t, art);
	normalize_table_num(t, wrt);
	normalize_table_num(t, bobot);
	normalize_table_num(t, kapita);
	normalize_table_str(t, sv->fixes.buf);
	normalize_table_end_row(t, sv->fixes.len > 0);
}

enum angka_err normalize_survey_run(const struct normalize_opts *o,
                                    struct angka_config *cfg,
                                    struct normalize_stats *st,
                                    struct angka_error *e)
{
	struct normalize_settings s;
	enum angka_err rc = normalize_settings_load(&s, o, cfg, e);
	if (rc != ANGKA_OK)
		return rc;
	struct survey sv;
	memset(&sv, 0, sizeof sv);
	sv.s = &s;
	if (s.crosswalk) {
		rc = xwalk_load(&sv.xw, s.crosswalk, e);
		if (rc != ANGKA_OK)
			return rc;
	}
	rc = normalize_table_open(&sv.t, o, &s, out_cols, st, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	static const char *const required[] = {
		"kode_prov", "kode_kab", "daerah", "psu", "strata", "jumlah_art",
		"kapita", NULL
	};
	rc = normalize_table_require(&sv.t, required, e);
	if (rc == ANGKA_OK) {
		static const char *const wrt[] = { "bobot_ruta", NULL };
		static const char *const wind[] = { "bobot_individu", NULL };
		rc = normalize_table_require(&sv.t, s.susenas_weight ? wind : wrt,
		                             e);
	}
	if (rc != ANGKA_OK) {
		normalize_table_abort(&sv.t);
		goto cleanup;
	}
	sv.c_tahun = normalize_table_col(&sv.t, "tahun");
	sv.c_id = normalize_table_col(&sv.t, "id_ruta");
	sv.c_prov = normalize_table_col(&sv.t, "kode_prov");
	sv.c_kab = normalize_table_col(&sv.t, "kode_kab");
	sv.c_kec = normalize_table_col(&sv.t, "kode_kec");
	sv.c_daerah = normalize_table_col(&sv.t, "daerah");
	sv.c_psu = normalize_table_col(&sv.t, "psu");
	sv.c_strata = normalize_table_col(&sv.t, "strata");
	sv.c_art = normalize_table_col(&sv.t, "jumlah_art");
	sv.c_wrt = normalize_table_col(&sv.t, "bobot_ruta");
	sv.c_wind = normalize_table_col(&sv.t, "bobot_individu");
	sv.c_kapita = normalize_table_col(&sv.t, "kapita");
	int got;
	while ((got = normalize_table_next(&sv.t, e)) > 0)
		survey_row(&sv);
	if (got < 0) {
		rc = e->code;
		normalize_table_abort(&sv.t);
		goto cleanup;
	}
	rc = normalize_table_finish(&sv.t, e);
cleanup:
	free(sv.xw.e);
	return rc;
}
