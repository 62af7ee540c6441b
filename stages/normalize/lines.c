/*
 * lines.c - angka-normalize for poverty lines (--kind garis_kemiskinan) and
 * published poverty tables (--kind terbitan).
 *
 * Both are small tables: region codes to the dotted Kemendagri form,
 * periods to YYYY-MM, Indonesian numbers to plain decimals. Published
 * figures are stored as published: checks only flag, never recompute.
 * The poverty-line table is buffered (at most LINES_MAX rows) because the
 * year-on-year check needs the previous year whatever the row order.
 */
#include "normalize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "period.h"
#include "table.h"

#define LINES_MAX 1000000

/* Parse the period field col into canonical "YYYY-MM" (buf >= 8) and the
 * year. Returns 0, or -1 with the row quarantined (date_unparseable). */
static int parse_period(struct normalize_table *t, int col, long month_default,
                        struct normalize_codes *fixes, char *buf, int *year,
                        const char *nondata_detail)
{
	size_t len;
	const char *s = normalize_table_get(t, col, &len);
	struct angka_period p;
	int r = angka_period_parse(s, len, &p);
	if (r != 0) {
		char detail[128];
		if (nondata_detail)
			snprintf(detail, sizeof detail, "%s", nondata_detail);
		else if (r > 0)
			snprintf(detail, sizeof detail, "empty period");
		else
			snprintf(detail, sizeof detail, "'%.40s' is not a period", s);
		normalize_table_quarantine(t, "periode", "date_unparseable",
		                           detail);
		return -1;
	}
	angka_period_format(&p, (int)month_default, buf, 8);
	*year = p.year;
	if (p.flags & ANGKA_PERIOD_F_YEAR_ONLY)
		normalize_codes_add(fixes, "period_month_default");
	else if (len != 7 || strncmp(s, buf, 7) != 0)
		normalize_codes_add(fixes, "period_format");
	return 0;
}

/*
 * Parse the region code in field col (or fallback when the field is
 * empty) into dotted (>= 16). Returns 0, or -1 with the row quarantined.
 */
static int parse_kode(struct normalize_table *t, int col, const char *fallback,
                      struct normalize_codes *fixes, char *dotted)
{
	size_t len;
	const char *s = normalize_trim(normalize_table_get(t, col, &len), &len);
	if (!len && fallback) {
		s = fallback;
		len = strlen(fallback);
	}
	char digits[16];
	int lvl = normalize_kode(s, len, dotted, digits);
	if (lvl == 0) {
		normalize_table_quarantine(t, "kode_wilayah", "missing_value",
		                           "empty (give --region for a table of "
		                           "one region)");
		return -1;
	}
	if (lvl < 0) {
		char detail[96];
		snprintf(detail, sizeof detail, "'%.20s' is not a Kemendagri "
		         "region code", s);
		normalize_table_quarantine(t, "kode_wilayah", "region_unknown",
		                           detail);
		return -1;
	}
	if (strlen(dotted) != len || strncmp(dotted, s, len) != 0)
		normalize_codes_add(fixes, "kode_format");
	return 0;
}

/*
 * Parse the number in field col. *v is NAN when the cell is empty.
 * rupiah: Rupiah amount rules (normalize_rupiah), else Indonesian (ID).
 * Returns 0, or -1 with the row quarantined (number_unparseable).
 */
static int parse_num(struct normalize_table *t, int col, const char *field,
                     int rupiah, struct normalize_codes *fixes, double *v,
                     struct angka_number *out)
{
	size_t len;
	const char *s = normalize_table_get(t, col, &len);
	struct angka_number num;
	enum angka_number_status st = rupiah ? normalize_rupiah(s, len, &num)
	        : angka_number_parse(s, len, ANGKA_NUMBER_ID, &num);
	*v = NAN;
	if (out)
		*out = num;
	if (st == ANGKA_NUMBER_MISSING)
		return 0;
	if (st != ANGKA_NUMBER_OK) {
		char detail[96];
		snprintf(detail, sizeof detail, "'%.40s' is not a number", s);
		normalize_table_quarantine(t, field, "number_unparseable", detail);
		return -1;
	}
	if (num.flags & ANGKA_NUMBER_F_DECIMAL_COMMA)
		normalize_codes_add(fixes, "decimal_comma");
	if (num.flags & ANGKA_NUMBER_F_GROUPED)
		normalize_codes_add(fixes, "thousands_sep");
	if (num.flags & ANGKA_NUMBER_F_CURRENCY)
		normalize_codes_add(fixes, "currency");
	if (num.flags & ANGKA_NUMBER_F_PERCENT)
		normalize_codes_add(fixes, "percent_sign");
	*v = num.value;
	return 0;
}

static void range_error(struct normalize_table *t, const char *field,
                        const char *what, double v)
{
	char buf[40], detail[128];
	angka_number_format(v, buf, sizeof buf);
	snprintf(detail, sizeof detail, "%s (got %s)", what, buf);
	normalize_table_quarantine(t, field, "value_range", detail);
}

/* ---- garis_kemiskinan ---- */

static const char *const lines_cols[] = {
	"src_file", "src_line", "kode_wilayah", "periode", "tahun", "daerah",
	"garis_kemiskinan", "gkm", "gknm", "fixes", "flags", NULL
};

struct line_row {
	char *src_file;
	long src_line;
	char kode[16];
	char periode[8];
	int year, month, daerah;
	double gk, gkm, gknm;
	char *fixes;
	struct normalize_codes flags;
};

struct line_buf {
	struct line_row *row;
	size_t n, cap;
};

static void line_buf_release(struct line_buf *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->row[i].src_file);
		free(b->row[i].fixes);
	}
	free(b->row);
	memset(b, 0, sizeof *b);
}

static int line_key_cmp(const void *pa, const void *pb)
{
	const struct line_row *a = *(const struct line_row *const *)pa;
	const struct line_row *b = *(const struct line_row *const *)pb;
	int c = strcmp(a->kode, b->kode);
	if (c)
		return c;
	if (a->daerah != b->daerah)
		return a->daerah - b->daerah;
	if (a->month != b->month)
		return a->month - b->month;
	return a->year - b->year;
}

/* Read one row into the buffer, or quarantine it. */
static enum angka_err lines_row(struct normalize_table *t,
                                const struct normalize_settings *s,
                                const int *c, struct line_buf *b,
                                struct angka_error *e)
{
	struct normalize_codes fixes;
	struct line_row r;
	memset(&r, 0, sizeof r);
	normalize_codes_clear(&fixes);
	normalize_codes_clear(&r.flags);
	if (parse_kode(t, c[0], NULL, &fixes, r.kode))
		return ANGKA_OK;
	if (parse_period(t, c[1], s->period_month_default, &fixes, r.periode,
	                 &r.year, NULL))
		return ANGKA_OK;
	r.month = atoi(r.periode + 5);
	size_t len;
	const char *d = normalize_table_get(t, c[2], &len);
	r.daerah = normalize_daerah(d, len);
	if (r.daerah < 0) {
		normalize_table_quarantine(t, "daerah", "code_unknown",
		                           "expected perkotaan, perdesaan or "
		                           "total (1, 2, 3, Kota, Desa, K+D)");
		return ANGKA_OK;
	}
	if (r.daerah == 0)
		r.daerah = 3;
	else if (strcmp(normalize_daerah_name(r.daerah), d) != 0)
		normalize_codes_add(&fixes, "daerah_label");
	if (parse_num(t, c[3], "garis_kemiskinan", 1, &fixes, &r.gk, NULL) ||
	    parse_num(t, c[4], "gkm", 1, &fixes, &r.gkm, NULL) ||
	    parse_num(t, c[5], "gknm", 1, &fixes, &r.gknm, NULL))
		return ANGKA_OK;
	if (isnan(r.gk)) {
		normalize_table_quarantine(t, "garis_kemiskinan", "missing_value",
		                           "empty");
		return ANGKA_OK;
	}
	if (!(r.gk > 0)) {
		range_error(t, "garis_kemiskinan", "a poverty line must be > 0",
		            r.gk);
		return ANGKA_OK;
	}
	if (r.gkm < 0 || r.gknm < 0) {
		range_error(t, r.gkm < 0 ? "gkm" : "gknm", "must be >= 0",
		            r.gkm < 0 ? r.gkm : r.gknm);
		return ANGKA_OK;
	}
	if (!isnan(r.gkm) && !isnan(r.gknm) && fabs(r.gk - (r.gkm + r.gknm)) > 1.0) {
		normalize_codes_add(&r.flags, "gk_sum");
		normalize_table_warn(t, "gk_sum: garis_kemiskinan differs from "
		                     "gkm + gknm by more than Rp 1 (flagged)");
	}
	if (b->n == LINES_MAX)
		return ANGKA_ERR(e, ANGKA_ENOMEM, "'%s': more than %d poverty "
		                 "lines", t->name, LINES_MAX);
	if (b->n == b->cap) {
		size_t nc = b->cap ? 2 * b->cap : 64;
		struct line_row *nr = realloc(b->row, nc * sizeof *nr);
		if (!nr)
			return ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
		b->row = nr;
		b->cap = nc;
	}
	r.src_file = angka_xstrdup(normalize_table_src_file(t));
	r.src_line = normalize_table_src_line(t);
	r.fixes = angka_xstrdup(fixes.buf);
	b->row[b->n++] = r;
	return ANGKA_OK;
}

/* Flag lines that moved more than s->line_jump from the previous year's
 * line of the same region, daerah and month. */
static void lines_check_jumps(struct normalize_table *t,
                              const struct normalize_settings *s,
                              struct line_buf *b)
{
	if (b->n < 2)
		return;
	struct line_row **idx = angka_xmalloc(b->n * sizeof *idx);
	for (size_t i = 0; i < b->n; i++)
		idx[i] = &b->row[i];
	qsort(idx, b->n, sizeof *idx, line_key_cmp);
	for (size_t i = 1; i < b->n; i++) {
		struct line_row *prev = idx[i - 1], *cur = idx[i];
		if (strcmp(prev->kode, cur->kode) || prev->daerah != cur->daerah ||
		    prev->month != cur->month || prev->year != cur->year - 1)
			continue;
		double ch = cur->gk / prev->gk - 1.0;
		if (fabs(ch) <= s->line_jump)
			continue;
		normalize_codes_add(&cur->flags, "line_jump");
		if (!t->quiet && t->warnings++ < t->max_warnings)
			angka_warn("'%s':%ld: line_jump: the %s %s line %s moved "
			           "%+.1f%% from %s (limit %.0f%%; flagged)",
			           cur->src_file, cur->src_line, cur->kode,
			           normalize_daerah_name(cur->daerah), cur->periode,
			           100.0 * ch, prev->periode, 100.0 * s->line_jump);
	}
	free(idx);
}

enum angka_err normalize_lines_run(const struct normalize_opts *o,
                                   struct angka_config *cfg,
                                   struct normalize_stats *st,
                                   struct angka_error *e)
{
	struct normalize_settings s;
	enum angka_err rc = normalize_settings_load(&s, o, cfg, e);
	if (rc != ANGKA_OK)
		return rc;
	struct normalize_table t;
	rc = normalize_table_open(&t, o, &s, lines_cols, st, e);
	if (rc != ANGKA_OK)
		return rc;
	static const char *const required[] = {
		"kode_wilayah", "periode", "garis_kemiskinan", NULL
	};
	struct line_buf b = { 0 };
	rc = normalize_table_require(&t, required, e);
	if (rc != ANGKA_OK)
		goto fail;
	int c[6] = {
		normalize_table_col(&t, "kode_wilayah"),
		normalize_table_col(&t, "periode"),
		normalize_table_col(&t, "daerah"),
		normalize_table_col(&t, "garis_kemiskinan"),
		normalize_table_col(&t, "gkm"),
		normalize_table_col(&t, "gknm"),
	};
	int got;
	while ((got = normalize_table_next(&t, e)) > 0) {
		rc = lines_row(&t, &s, c, &b, e);
		if (rc != ANGKA_OK)
			goto fail;
	}
	if (got < 0) {
		rc = e->code;
		goto fail;
	}
	lines_check_jumps(&t, &s, &b);
	for (size_t i = 0; i < b.n; i++) {
		struct line_row *r = &b.row[i];
		char buf[24];
		normalize_table_str(&t, r->src_file);
		snprintf(buf, sizeof buf, "%ld", r->src_line);
		normalize_table_str(&t, buf);
		normalize_table_str(&t, r->kode);
		normalize_table_str(&t, r->periode);
		snprintf(buf, sizeof buf, "%04d", r->year);
		normalize_table_str(&t, buf);
		normalize_table_str(&t, normalize_daerah_name(r->daerah));
		normalize_table_num(&t, r->gk);
		normalize_table_num(&t, r->gkm);
		normalize_table_num(&t, r->gknm);
		normalize_table_str(&t, r->fixes);
		normalize_table_str(&t, r->flags.buf);
		normalize_table_end_row(&t, r->fixes[0] != '\0');
	}
	line_buf_release(&b);
	return normalize_table_finish(&t, e);
fail:
	line_buf_release(&b);
	normalize_table_abort(&t);
	return rc;
}

/* ---- terbitan ---- */

static const char *const terbitan_cols[] = {
	"src_file", "src_line", "kode_wilayah", "periode", "tahun", "p0",
	"jumlah_miskin", "p1", "p2", "garis_kemiskinan", "sumber", "fixes",
	"flags", NULL
};

enum { T_KODE, T_PERIODE, T_P0, T_JML, T_RIBU, T_P1, T_P2, T_GK, T_SUMBER,
       T_NCOL };

static void terbitan_row(struct normalize_table *t,
                         const struct normalize_settings *s, const int *c,
                         const char *region)
{
	struct normalize_codes fixes, flags;
	normalize_codes_clear(&fixes);
	normalize_codes_clear(&flags);
	char kode[16], periode[8];
	int year;
	/* A row whose period is not a period is a footnote or title padded
	 * with delimiters ("Sumber: BPS;;;;"), or an empty line of the table. */
	if (parse_period(t, c[T_PERIODE], s->period_month_default, &fixes,
	                 periode, &year, "footnote or non-data row"))
		return;
	if (parse_kode(t, c[T_KODE], region, &fixes, kode))
		return;
	double p0, jml, ribu, p1, p2, gk;
	struct angka_number nribu, np1, np2;
	if (parse_num(t, c[T_P0], "p0", 0, &fixes, &p0, NULL) ||
	    parse_num(t, c[T_JML], "jumlah_miskin", 0, &fixes, &jml, NULL) ||
	    parse_num(t, c[T_RIBU], "jumlah_miskin_ribu", 0, &fixes, &ribu,
	              &nribu) ||
	    parse_num(t, c[T_P1], "p1", 0, &fixes, &p1, &np1) ||
	    parse_num(t, c[T_P2], "p2", 0, &fixes, &p2, &np2) ||
	    parse_num(t, c[T_GK], "garis_kemiskinan", 1, &fixes, &gk, NULL))
		return;
	if (p0 < 0 || p0 > 100) {
		range_error(t, "p0", "a percentage must be within 0-100", p0);
		return;
	}
	if (jml < 0 || ribu < 0) {
		range_error(t, jml < 0 ? "jumlah_miskin" : "jumlah_miskin_ribu",
		            "a count must be >= 0", jml < 0 ? jml : ribu);
		return;
	}
	if (p1 < 0 || p2 < 0) {
		range_error(t, p1 < 0 ? "p1" : "p2", "must be >= 0",
		            p1 < 0 ? p1 : p2);
		return;
	}
	if (gk <= 0) {
		range_error(t, "garis_kemiskinan", "a poverty line must be > 0",
		            gk);
		return;
	}
	if (!isnan(ribu)) {
		/* "187,87 ribu" in the ribu column already carries its
		 * scale word: do not multiply twice. */
		double persons = (nribu.flags & ANGKA_NUMBER_F_SCALED)
		        ? ribu : normalize_scale10(&nribu, 3);
		if (isnan(jml)) {
			jml = persons;
			normalize_codes_add(&fixes, "ribu_to_persons");
		} else if (fabs(jml - persons) > 5.0) {
			/* Both published: keep the count in persons, flag. */
			normalize_codes_add(&flags, "jumlah_mismatch");
		}
	}
	if (s->terbitan_p_scale == 1) {
		/* Declared as fractions: to the BPS x100 scale. */
		if (!isnan(p1))
			p1 = normalize_scale10(&np1, 2);
		if (!isnan(p2))
			p2 = normalize_scale10(&np2, 2);
		if (!isnan(p1) || !isnan(p2))
			normalize_codes_add(&fixes, "p_scale_fraction");
	}
	/* 0 <= P2 <= P1 <= P0 as fractions: P0 (percent), P1 and P2 (x100)
	 * are all a hundred times the fraction, so compare them directly. */
	if ((!isnan(p2) && !isnan(p1) && p2 > p1) ||
	    (!isnan(p1) && !isnan(p0) && p1 > p0) ||
	    (!isnan(p2) && !isnan(p0) && p2 > p0)) {
		normalize_codes_add(&flags, "fgt_order");
		normalize_table_warn(t, "fgt_order: P2 <= P1 <= P0 does not hold "
		                     "(kept as published, flagged)");
	}
	if (isnan(p0) && isnan(jml) && isnan(p1) && isnan(p2) && isnan(gk))
		normalize_codes_add(&flags, "no_values");

	normalize_table_src(t);
	normalize_table_str(t, kode);
	normalize_table_str(t, periode);
	char ybuf[8];
	snprintf(ybuf, sizeof ybuf, "%04d", year);
	normalize_table_str(t, ybuf);
	normalize_table_num(t, p0);
	normalize_table_num(t, jml);
	normalize_table_num(t, p1);
	normalize_table_num(t, p2);
	normalize_table_num(t, gk);
	size_t sl;
	const char *sumber = normalize_trim(normalize_table_get(t, c[T_SUMBER],
	                                                        &sl), &sl);
	normalize_table_field(t, sumber, sl);
	normalize_table_str(t, fixes.buf);
	normalize_table_str(t, flags.buf);
	normalize_table_end_row(t, fixes.len > 0);
}

enum angka_err normalize_terbitan_run(const struct normalize_opts *o,
                                      struct angka_config *cfg,
                                      struct normalize_stats *st,
                                      struct angka_error *e)
{
	struct normalize_settings s;
	enum angka_err rc = normalize_settings_load(&s, o, cfg, e);
	if (rc != ANGKA_OK)
		return rc;
	char region[16] = "";
	if (s.terbitan_region) {
		char digits[16];
		if (normalize_kode(s.terbitan_region, strlen(s.terbitan_region),
		                   region, digits) <= 0)
			return ANGKA_ERR(e, ANGKA_EUSAGE,
			                 "bad region '%s' (expected a Kemendagri "
			                 "code such as 63.11)", s.terbitan_region);
	}
	struct normalize_table t;
	rc = normalize_table_open(&t, o, &s, terbitan_cols, st, e);
	if (rc != ANGKA_OK)
		return rc;
	static const char *const required[] = { "periode", NULL };
	rc = normalize_table_require(&t, required, e);
	if (rc != ANGKA_OK)
		goto fail;
	static const char *const names[T_NCOL] = {
		"kode_wilayah", "periode", "p0", "jumlah_miskin",
		"jumlah_miskin_ribu", "p1", "p2", "garis_kemiskinan", "sumber"
	};
	int c[T_NCOL];
	for (int i = 0; i < T_NCOL; i++)
		c[i] = normalize_table_col(&t, names[i]);
	if (c[T_KODE] < 0 && !region[0]) {
		rc = ANGKA_ERR(e, ANGKA_EUSAGE,
		               "'%s': the table has no kode_wilayah column: give "
		               "--region CODE or [normalize] terbitan_region",
		               t.name);
		goto fail;
	}
	int got;
	while ((got = normalize_table_next(&t, e)) > 0)
		terbitan_row(&t, &s, c, region[0] ? region : NULL);
	if (got < 0) {
		rc = e->code;
		goto fail;
	}
	return normalize_table_finish(&t, e);
fail:
	normalize_table_abort(&t);
	return rc;
}
