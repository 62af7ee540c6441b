/*
 * indicators.c - angka-indicators' input side: the [indicators] settings,
 * the poverty-line table, reading normalized SUSENAS microdata (or any CSV
 * in ad hoc mode) into the per-year designs, and ind_run().
 */
#include "design.h"
#include "csv_columns.h"
#include "number.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct angka_key_def ind_setting_keys[] = {
	{ "poverty_rule", ANGKA_KEY_ENUM,
	  offsetof(struct ind_settings, poverty_rule), "strict|weak", 0, 0 },
	{ "lonely_psu", ANGKA_KEY_ENUM,
	  offsetof(struct ind_settings, lonely_psu),
	  "fail|remove|adjust|certainty", 0, 0 },
	{ "level", ANGKA_KEY_DOUBLE, offsetof(struct ind_settings, level),
	  NULL, 0.5, 0.999999 },
	{ "by", ANGKA_KEY_STRING, offsetof(struct ind_settings, by), NULL, 0, 0 },
	{ "fpc", ANGKA_KEY_STRING, offsetof(struct ind_settings, fpc), NULL, 0, 0 },
	{ "distribution", ANGKA_KEY_BOOL,
	  offsetof(struct ind_settings, distribution), NULL, 0, 0 },
	{ "domain_df", ANGKA_KEY_ENUM, offsetof(struct ind_settings, domain_df),
	  "domain|design", 0, 0 },
	{ "min_psu", ANGKA_KEY_INT, offsetof(struct ind_settings, min_psu),
	  NULL, 0, 1000000 },
	{ "ci_method", ANGKA_KEY_ENUM, offsetof(struct ind_settings, ci_method),
	  "logit|beta|wald", 0, 0 },
	{ "gini_se", ANGKA_KEY_ENUM, offsetof(struct ind_settings, gini_se),
	  "jackknife|linearization", 0, 0 },
	{ "min_obs", ANGKA_KEY_INT, offsetof(struct ind_settings, min_obs),
	  NULL, 0, 1000000000 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

void ind_settings_init(struct ind_settings *s)
{
	memset(s, 0, sizeof *s);
	s->poverty_rule = IND_RULE_STRICT;
	s->lonely_psu = IND_LONELY_FAIL;
	s->level = 0.95;
	s->distribution = 1;
	s->domain_df = IND_DF_DOMAIN;
	s->min_psu = 5;
	s->min_obs = 30;
}

/* ---- poverty lines --------------------------------------------------- */

struct line_table {
	struct ind_strtab keys;  /* "region\x1ftahun\x1fdaerah" */
	double *z;
	char **where;            /* "'file':line" of each key, for messages */
	size_t cap;
};

static size_t line_key(char *buf, size_t cap, const char *region, size_t rl,
                       const char *tahun, const char *daerah)
{
	int n = snprintf(buf, cap, "%.*s\x1f%s\x1f%s", (int)rl, region, tahun,
	                 daerah);
	return n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
}

static int parse_num(const char *s, double *out)
{
	char *end;
	if (!*s)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return (*end || errno == ERANGE || !isfinite(*out)) ? -1 : 0;
}

/*
 * A number of an ad hoc table read as the pipeline reads SUSENAS numbers
 * (number.h): either locale ("1322598,16" from an Indonesian Excel,
 * "1.322.598", "Rp", "%"), the column's locale fixed by the first value
 * that shows it. A value that reads both ways ("7.064") before any value
 * decided is -2 (an error: guessing could be off by a factor of 1000).
 * The canonical tables of the pipeline keep parse_num (strtod).
 */
static int adhoc_num(int adhoc, enum angka_number_locale *loc, const char *s,
                     double *out)
{
	if (!adhoc)
		return parse_num(s, out);
	size_t len = strlen(s);
	if (*loc == ANGKA_NUMBER_AUTO)
		*loc = angka_number_sniff(s, len);
	struct angka_number n;
	if (angka_number_parse(s, len, *loc, &n) != ANGKA_NUMBER_OK)
		return -1;
	if (n.flags & ANGKA_NUMBER_F_AMBIGUOUS)
		return -2;
	*out = n.value;
	return 0;
}

static enum angka_err ambiguous(struct angka_error *e, const char *file,
                                long line, const char *col, const char *v)
{
	return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: %s '%s' reads both as a "
	                 "decimal and as thousands, and no earlier value of the "
	                 "column shows which (write 7064 or 7,064)", file, line,
	                 col, v);
}

static enum angka_err load_lines(struct line_table *lt, const char *path,
                                 struct angka_error *e)
{
	static const char *const need[] = { "kode_wilayah", "tahun", "daerah",
	                                    "garis_kemiskinan", NULL };
	struct angka_csv_reader *r;
	const struct angka_csv_record *rec;
	int ci[4];
	enum angka_err rc = angka_csv_open_columns(&r, &rec, path, NULL, need, 4,
	                                           ci, need, "normalized poverty "
	                                           "lines expected", e);
	if (rc != ANGKA_OK)
		return rc;
	const char *name = angka_csv_reader_name(r);
	int got;
	int c_file = angka_csv_column(rec, "src_file"), c_line = angka_csv_column(rec, "src_line");
	size_t nf = rec->nfields;
	char key[512];
	while ((got = angka_csv_reader_next(r, &rec, e)) == 1) {
		if (rec->nfields != nf) {
			rc = ANGKA_ERR(e, ANGKA_ECSV, "'%s':%ld: %zu fields, expected "
			               "%zu", name, rec->line, rec->nfields, nf);
			goto out;
		}
		const char *const *f = rec->field;
		double z;
		if (parse_num(f[ci[3]], &z) || !(z > 0)) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: garis_kemiskinan "
			               "'%s' is not a positive number", name,
			               rec->line, f[ci[3]]);
			goto out;
		}
		const char *dae = f[ci[2]];
		if (strcmp(dae, "total") && strcmp(dae, "perkotaan") &&
		    strcmp(dae, "perdesaan")) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: daerah '%s' (expected "
			               "total, perkotaan or perdesaan)", name,
			               rec->line, dae);
			goto out;
		}
		size_t kl = line_key(key, sizeof key, f[ci[0]], rec->len[ci[0]],
		                     f[ci[1]], dae);
		char where[600];
		if (c_file >= 0 && c_line >= 0)
			snprintf(where, sizeof where, "'%s':%s", f[c_file], f[c_line]);
		else
			snprintf(where, sizeof where, "'%s':%ld", name, rec->line);
		uint32_t id = ind_strtab_find(&lt->keys, key, kl);
		if (id != UINT32_MAX) {
			if (lt->z[id] == z)
				continue;
			rc = ANGKA_ERR(e, ANGKA_EDATA, "%s: second poverty line for "
			               "kode_wilayah '%s', tahun '%s', daerah '%s' "
			               "(%s, first at %s)", where, f[ci[0]],
			               f[ci[1]], dae, f[ci[3]], lt->where[id]);
			goto out;
		}
		id = ind_strtab_intern(&lt->keys, key, kl);
		if (id >= lt->cap) {
			lt->cap = lt->cap ? lt->cap * 2 : 64;
			lt->z = angka_xrealloc(lt->z, lt->cap * sizeof *lt->z);
			lt->where = angka_xrealloc(lt->where, lt->cap * sizeof *lt->where);
		}
		lt->z[id] = z;
		lt->where[id] = angka_xstrdup(where);
	}
	if (got < 0) {
		rc = e->code;
		goto out;
	}
	return angka_csv_reader_close(r, e);
out:
	angka_csv_reader_free(r);
	return rc;
}

static void line_table_release(struct line_table *lt)
{
	for (size_t i = 0; i < lt->keys.n; i++)
		free(lt->where[i]);
	free(lt->where);
	free(lt->z);
	ind_strtab_release(&lt->keys);
}

/*
 * The line of a record: region candidates are kode_wilayah and its dotted
 * prefixes down to the kabupaten level (two components); at each, the exact
 * daerah line first, then the total line. Returns NaN if none matches.
 */
static double find_line(const struct line_table *lt, const char *region,
                        const char *tahun, const char *daerah)
{
	char key[512];
	size_t rl = strlen(region);
	for (;;) {
		const char *dv[2] = { daerah, "total" };
		for (int k = 0; k < 2; k++) {
			if (!dv[k])
				continue;
			size_t kl = line_key(key, sizeof key, region, rl, tahun, dv[k]);
			uint32_t id = ind_strtab_find(&lt->keys, key, kl);
			if (id != UINT32_MAX)
				return lt->z[id];
		}
		/* shorten to the previous dot, but keep at least "PP.KK" */
		size_t dots = 0;
		for (size_t i = 0; i < rl; i++)
			dots += region[i] == '.';
		if (dots < 2)
			return NAN;
		while (rl > 0 && region[rl - 1] != '.')
			rl--;
		rl--;
	}
}

/* ---- microdata --------------------------------------------------------- */

struct cols {
	int value, weight, hhsize, strata, psu, fpc, line, tahun, region, daerah;
	int src_file, src_line;
	int by[IND_MAX_BY];
};

static enum angka_err need_col(const struct angka_csv_record *h,
                               const char *file, const char *name,
                               const char *what, int *out,
                               struct angka_error *e)
{
	*out = angka_csv_column(h, name);
	if (*out < 0)
		return ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: no column '%s' (%s)",
		                 file, h->line, name, what);
	return ANGKA_OK;
}

struct reader_ctx {
	const struct ind_opts *o;
	struct ind_store *s;
	const struct line_table *lt;
	double line_const;       /* ad hoc --line NUMBER, else NaN */
	uint32_t kota, desa;     /* string ids */
	char psu_buf[32];
	/* cache of the last line lookup */
	char last_key[512];
	double last_z;
};

static enum angka_err read_file(struct reader_ctx *x, const char *path,
                                struct ind_stats *st, struct angka_error *e)
{
	const struct ind_opts *o = x->o;
	struct ind_store *s = x->s;
	int adhoc = o->value != NULL;
	struct angka_csv_reader *r;
	enum angka_err rc = angka_csv_reader_open(&r, path, NULL, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *name = angka_csv_reader_name(r);
	uint32_t name_id = ind_strtab_intern(&s->str, name, strlen(name));
	const struct angka_csv_record *rec;
	int got = angka_csv_reader_next(r, &rec, e);
	if (got <= 0) {
		/* name is r's: the message before r is freed. */
		rc = got < 0 ? e->code :
		     ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s': empty file", name);
		angka_csv_reader_free(r);
		return rc;
	}
	struct cols c;
	memset(&c, -1, sizeof c);
	const char *vname = adhoc ? o->value : "kapita";
	const char *wname = adhoc ? o->weight : "bobot";
	if ((rc = need_col(rec, name, vname, "per-capita expenditure", &c.value, e)) ||
	    (rc = need_col(rec, name, wname, "weight", &c.weight, e)))
		goto out;
	if (adhoc) {
		if ((o->hhsize && (rc = need_col(rec, name, o->hhsize,
		                                 "household size", &c.hhsize, e))) ||
		    (o->strata && (rc = need_col(rec, name, o->strata, "strata",
		                                 &c.strata, e))) ||
		    (o->psu && (rc = need_col(rec, name, o->psu, "PSU", &c.psu, e))))
			goto out;
		if (isnan(x->line_const) &&
		    (rc = need_col(rec, name, o->line, "poverty line", &c.line, e)))
			goto out;
	} else {
		if ((rc = need_col(rec, name, "strata", "strata", &c.strata, e)) ||
		    (rc = need_col(rec, name, "psu", "PSU", &c.psu, e)) ||
		    (rc = need_col(rec, name, "tahun", "year", &c.tahun, e)) ||
		    (rc = need_col(rec, name, "kode_wilayah", "region", &c.region, e)) ||
		    (rc = need_col(rec, name, "daerah", "urban/rural", &c.daerah, e)))
			goto out;
		c.src_file = angka_csv_column(rec, "src_file");
		c.src_line = angka_csv_column(rec, "src_line");
	}
	if (o->fpc && (rc = need_col(rec, name, o->fpc, "fpc", &c.fpc, e)))
		goto out;
	for (size_t j = 0; j < o->nby; j++)
		if ((rc = need_col(rec, name, o->by[j], "--by domain", &c.by[j], e)))
			goto out;
	size_t nf = rec->nfields;
	uint64_t rowno = 0;
	/* Ad hoc columns' locales: value, weight, hhsize, line, fpc. */
	enum angka_number_locale loc[5] = { ANGKA_NUMBER_AUTO, ANGKA_NUMBER_AUTO,
		ANGKA_NUMBER_AUTO, ANGKA_NUMBER_AUTO, ANGKA_NUMBER_AUTO };
	while ((got = angka_csv_reader_next(r, &rec, e)) == 1) {
		const char *const *f = rec->field;
		st->rows_in++;
		rowno++;
		/* Where this record came from, for messages. */
		const char *wf = name;
		long wl = rec->line;
		uint32_t wf_id = name_id;
		if (c.src_file >= 0 && c.src_line >= 0 && rec->nfields == nf &&
		    f[c.src_file][0]) {
			wf = f[c.src_file];
			wl = strtol(f[c.src_line], NULL, 10);
		}
		if (rec->nfields != nf) {
			rc = ANGKA_ERR(e, ANGKA_ECSV, "'%s':%ld: %zu fields, expected "
			               "%zu", name, rec->line, rec->nfields, nf);
			goto out;
		}
		double y, w, z;
		int pn;
		if ((pn = adhoc_num(adhoc, &loc[0], f[c.value], &y)) == -2) {
			rc = ambiguous(e, wf, wl, vname, f[c.value]);
			goto out;
		}
		if (pn || y < 0) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: %s '%s' is not a "
			               "nonnegative number", wf, wl, vname, f[c.value]);
			goto out;
		}
		if ((pn = adhoc_num(adhoc, &loc[1], f[c.weight], &w)) == -2) {
			rc = ambiguous(e, wf, wl, wname, f[c.weight]);
			goto out;
		}
		if (pn || !(w >= 0)) {
			rc = ANGKA_ERR(e, ANGKA_EWEIGHT, "'%s':%ld: invalid weight "
			               "%s '%s' (negative, missing or not a number)",
			               wf, wl, wname, f[c.weight]);
			goto out;
		}
		if (c.hhsize >= 0) {
			double m;
			if ((pn = adhoc_num(adhoc, &loc[2], f[c.hhsize], &m)) == -2) {
				rc = ambiguous(e, wf, wl, o->hhsize, f[c.hhsize]);
				goto out;
			}
			if (pn || !(m >= 0)) {
				rc = ANGKA_ERR(e, ANGKA_EWEIGHT, "'%s':%ld: invalid "
				               "household size %s '%s'", wf, wl,
				               o->hhsize, f[c.hhsize]);
				goto out;
			}
			w *= m;
		}
		const char *tahun = c.tahun >= 0 ? f[c.tahun] : "";
		const char *daerah = NULL;
		uint32_t dgroup = UINT32_MAX;
		if (c.daerah >= 0) {
			const char *dv = f[c.daerah];
			if (strcmp(dv, "1") == 0 || strcmp(dv, "perkotaan") == 0) {
				daerah = "perkotaan";
				dgroup = IND_G_KOTA;
			} else if (strcmp(dv, "2") == 0 ||
			           strcmp(dv, "perdesaan") == 0) {
				daerah = "perdesaan";
				dgroup = IND_G_DESA;
			} else {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: daerah '%s' "
				               "(expected 1 perkotaan or 2 perdesaan)",
				               wf, wl, dv);
				goto out;
			}
		}
		if (!isnan(x->line_const)) {
			z = x->line_const;
		} else if (c.line >= 0) {
			if ((pn = adhoc_num(adhoc, &loc[3], f[c.line], &z)) == -2) {
				rc = ambiguous(e, wf, wl, o->line, f[c.line]);
				goto out;
			}
			if (pn || !(z > 0)) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: poverty line "
				               "%s '%s' is not a positive number", wf,
				               wl, o->line, f[c.line]);
				goto out;
			}
		} else {
			char key[512];
			line_key(key, sizeof key, f[c.region], rec->len[c.region],
			         tahun, daerah);
			if (strcmp(key, x->last_key) == 0) {
				z = x->last_z;
			} else {
				z = find_line(x->lt, f[c.region], tahun, daerah);
				if (isnan(z)) {
					rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: no "
					               "poverty line for kode_wilayah "
					               "'%s', daerah '%s', tahun '%s'",
					               wf, wl, f[c.region], daerah, tahun);
					goto out;
				}
				memcpy(x->last_key, key, sizeof key);
				x->last_z = z;
			}
		}
		/* FGT terms (DOMAIN.md): g_a = 1[y < z] ((z - y)/z)^a. */
		int poor = o->rule == IND_RULE_WEAK ? y <= z : y < z;
		double gap = poor ? (z - y) / z : 0;
		double t[IND_NQ];
		t[IND_Q_W] = w;
		t[IND_Q_G0] = poor ? w : 0;
		t[IND_Q_G1] = w * gap;
		t[IND_Q_G2] = w * (gap * gap);
		t[IND_Q_Y] = w * y;
		t[IND_Q_Y2] = w * (y * y);
		t[IND_Q_G2SQ] = w * ((gap * gap) * (gap * gap));
		t[IND_Q_NPOS] = w > 0;

		uint32_t yr = ind_strtab_intern(&s->str, tahun, strlen(tahun));
		struct ind_design *d = ind_store_design(s, yr);
		if (c.region >= 0)
			ind_design_note_region(s, d, f[c.region], rec->len[c.region]);
		uint32_t sname = c.strata >= 0 ?
		        ind_strtab_intern(&s->str, f[c.strata], rec->len[c.strata]) :
		        s->empty;
		uint32_t h = ind_design_stratum(d, sname);
		if (c.fpc >= 0) {
			double fv;
			struct ind_stratum *sh = &d->strata[h];
			if ((pn = adhoc_num(adhoc, &loc[4], f[c.fpc], &fv)) == -2) {
				rc = ambiguous(e, wf, wl, o->fpc, f[c.fpc]);
				goto out;
			}
			if (pn || !(fv > 0)) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: fpc %s '%s' "
				               "is not a positive number", wf, wl,
				               o->fpc, f[c.fpc]);
				goto out;
			}
			if (sh->has_fpc && sh->fpc != fv) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: fpc %s '%s' "
				               "differs from %g earlier in stratum '%s'",
				               wf, wl, o->fpc, f[c.fpc], sh->fpc,
				               ind_strtab_get(&s->str, sh->name));
				goto out;
			}
			sh->has_fpc = 1;
			sh->fpc = fv;
			s->has_fpc = 1;
		}
		uint32_t pname;
		if (c.psu >= 0) {
			pname = ind_strtab_intern(&s->str, f[c.psu], rec->len[c.psu]);
		} else {
			/* ids = ~1: every record is its own PSU */
			int n = snprintf(x->psu_buf, sizeof x->psu_buf, "%s#%020llu",
			                 "", (unsigned long long)st->rows_in);
			pname = ind_strtab_intern(&s->str, x->psu_buf, (size_t)n);
		}
		uint32_t p = ind_design_psu(d, h, pname);

		uint32_t doms[IND_MAX_BY + 2];
		size_t nd = 0;
		doms[nd++] = ind_design_domain(d, IND_G_TOTAL, s->empty);
		if (dgroup != UINT32_MAX)
			doms[nd++] = ind_design_domain(d, dgroup, s->empty);
		for (size_t j = 0; j < o->nby; j++) {
			uint32_t v = ind_strtab_intern(&s->str, f[c.by[j]],
			                               rec->len[c.by[j]]);
			doms[nd++] = ind_design_domain(d, IND_G_BY + (uint32_t)j, v);
		}
		if (wf != name)
			wf_id = ind_strtab_intern(&s->str, wf, strlen(wf));
		for (size_t k = 0; k < nd; k++) {
			struct ind_cell *cell = ind_design_cell(d, doms[k], p);
			cell->n_obs++;
			for (int q = 0; q < IND_NQ; q++)
				if (ind_xsum_add(&cell->s[q], t[q])) {
					rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: value "
					               "too large to sum (%g)", wf, wl,
					               t[q]);
					goto out;
				}
			struct ind_domain *dom = &d->domains[doms[k]];
			ind_domain_note_first(s, dom, wf_id, wl);
			if (s->distribution)
				ind_domain_add_dist(dom, y, w, p);
		}
		(void)rowno;
	}
	if (got < 0) {
		rc = e->code;
		goto out;
	}
	return angka_csv_reader_close(r, e);
out:
	angka_csv_reader_free(r);
	return rc;
}

/* ---- run ------------------------------------------------------------- */

enum angka_err ind_run(const struct ind_opts *o, struct ind_stats *st,
                       struct angka_error *e)
{
	gsl_set_error_handler_off();
	memset(st, 0, sizeof *st);
	if (o->mode != IND_MODE_SURVEY)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "mode '%s' is not implemented yet",
		                 o->mode == IND_MODE_REGISTRY ? "registry" :
		                 "programme");
	struct ind_store s;
	ind_store_init(&s);
	struct line_table lt;
	memset(&lt, 0, sizeof lt);
	ind_strtab_init(&lt.keys);
	enum angka_err rc = ANGKA_OK;

	if (o->merge) {
		for (size_t i = 0; i < o->nfiles; i++)
			if ((rc = ind_read_partial(&s, o->files[i], i == 0, st, e)))
				goto out;
	} else {
		s.rule = o->rule;
		s.distribution = o->distribution;
		for (size_t j = 0; j < o->nby; j++)
			s.by[s.nby++] = angka_xstrdup(o->by[j]);
		struct reader_ctx x;
		memset(&x, 0, sizeof x);
		x.o = o;
		x.s = &s;
		x.lt = &lt;
		x.line_const = NAN;
		x.last_key[0] = '\x1e';   /* matches no key */
		if (o->value) {
			double z;
			if (parse_num(o->line, &z) == 0) {
				if (!(z > 0)) {
					rc = ANGKA_ERR(e, ANGKA_EUSAGE, "--line %s: the "
					               "poverty line must be positive",
					               o->line);
					goto out;
				}
				x.line_const = z;
			}
		} else {
			if (!o->lines) {
				rc = ANGKA_ERR(e, ANGKA_EUSAGE, "survey mode needs "
				               "--lines FILE (normalized poverty lines)");
				goto out;
			}
			if ((rc = load_lines(&lt, o->lines, e)))
				goto out;
		}
		for (size_t i = 0; i < o->nfiles; i++)
			if ((rc = read_file(&x, o->files[i], st, e)))
				goto out;
		if (s.ndesigns == 0) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "no data rows");
			goto out;
		}
	}
	if ((rc = ind_store_finish(&s, e)))
		goto out;
	if (o->partial)
		rc = ind_write_partial(&s, o->out, st, e);
	else
		rc = ind_write_indicators(&s, o, st, e);
out:
	line_table_release(&lt);
	ind_store_release(&s);
	return rc;
}
