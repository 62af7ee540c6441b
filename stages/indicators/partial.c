/*
 * partial.c - mergeable partial results (--partial / --merge).
 *
 * A partial file is a CSV with the fixed header
 *   type,tahun,a,b,c,d,n,s0,s1,s2,s3,s4,s5,s6,s7
 * and one row per item (docs/indicators.md has the full table):
 *   V  a=format version (2), b=poverty rule, c=by columns (space-separated),
 *      d=distribution kept (0/1)
 *   R  tahun, a=common region prefix, b=1 if set
 *   S  tahun, a=stratum, b=fpc as a hex float (empty: none)
 *   C  tahun, a=stratum, b=psu, c=domain group, d=domain value, n=records,
 *      s0..s7 = exact sums of w, w*g0, w*g1, w*g2, w*y, w*y^2, w*g2^2 and
 *      the count of records with w > 0 (64 hex digits each)
 *   F  tahun, a=domain group, b=value, c=src_file, d=src_line of the
 *      domain's first record (for messages)
 *   X  tahun, a=domain group, b=value, c=y, d=w (hex floats), s0=stratum,
 *      s1=psu of the record (for the SEs of the distribution statistics):
 *      one per record and domain, only when the distribution is kept
 * Sums are exact integers, so merging is addition and the merged result is
 * bit-identical to a single run over all rows.
 */
#include "design.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const partial_header[] = {
	"type", "tahun", "a", "b", "c", "d", "n", "s0", "s1", "s2", "s3", "s4",
	"s5", "s6", "s7"
};
#define NPCOL (7 + IND_NQ)
_Static_assert(sizeof partial_header / sizeof *partial_header == NPCOL,
               "partial header and IND_NQ disagree");
/* Empty cells after the first 6 (4) columns of a row. */
#define TAIL6 (NPCOL - 6)
#define TAIL4 (NPCOL - 4)

static void put_hexf(struct angka_csv_writer *w, double x)
{
	char buf[64];
	int n = snprintf(buf, sizeof buf, "%a", x);
	angka_csv_writer_field(w, buf, (size_t)n);
}

static void put_empty(struct angka_csv_writer *w, int n)
{
	for (int i = 0; i < n; i++)
		angka_csv_writer_field(w, "", 0);
}

static void put_group(struct angka_csv_writer *w, uint32_t g)
{
	angka_csv_writer_long(w, (long long)g);
}

enum angka_err ind_write_partial(struct ind_store *s, const char *out,
                                 struct ind_stats *st, struct angka_error *e)
{
	struct angka_csv_writer *w;
	enum angka_err rc = angka_csv_writer_open(&w, out, 0, e);
	if (rc != ANGKA_OK)
		return rc;
	angka_csv_writer_row(w, NPCOL, partial_header);
	char by[1024] = "";
	size_t bl = 0;
	for (size_t i = 0; i < s->nby; i++)
		bl += (size_t)snprintf(by + bl, sizeof by - bl, "%s%s",
		                       i ? " " : "", s->by[i]);
	angka_csv_writer_str(w, "V");
	angka_csv_writer_str(w, "");
	angka_csv_writer_str(w, "2");
	angka_csv_writer_str(w, s->rule == IND_RULE_WEAK ? "weak" : "strict");
	angka_csv_writer_str(w, by);
	angka_csv_writer_str(w, s->distribution ? "1" : "0");
	put_empty(w, TAIL6);
	angka_csv_writer_end_row(w);
	const struct ind_strtab *t = &s->str;
	for (size_t i = 0; i < s->ndesigns; i++) {
		struct ind_design *d = &s->designs[i];
		const char *yr = ind_strtab_get(t, d->tahun);
		angka_csv_writer_str(w, "R");
		angka_csv_writer_str(w, yr);
		angka_csv_writer_str(w, d->region == UINT32_MAX ? "" :
		                     ind_strtab_get(t, d->region));
		angka_csv_writer_str(w, d->region == UINT32_MAX ? "0" : "1");
		put_empty(w, TAIL4);
		angka_csv_writer_end_row(w);
		for (size_t h = 0; h < d->nstrata; h++) {
			angka_csv_writer_str(w, "S");
			angka_csv_writer_str(w, yr);
			angka_csv_writer_str(w, ind_strtab_get(t, d->strata[h].name));
			if (d->strata[h].has_fpc)
				put_hexf(w, d->strata[h].fpc);
			else
				angka_csv_writer_str(w, "");
			put_empty(w, TAIL4);
			angka_csv_writer_end_row(w);
		}
		for (size_t k = 0; k < d->ncells; k++) {
			const struct ind_cell *c = &d->cells[k];
			const struct ind_psu *p = &d->psus[c->psu];
			const struct ind_domain *dom = &d->domains[c->domain];
			angka_csv_writer_str(w, "C");
			angka_csv_writer_str(w, yr);
			angka_csv_writer_str(w, ind_strtab_get(t, d->strata[p->stratum].name));
			angka_csv_writer_str(w, ind_strtab_get(t, p->name));
			put_group(w, dom->group);
			angka_csv_writer_str(w, ind_strtab_get(t, dom->value));
			angka_csv_writer_long(w, (long long)c->n_obs);
			for (int q = 0; q < IND_NQ; q++) {
				char hex[65];
				ind_xsum_format(&c->s[q], hex);
				angka_csv_writer_field(w, hex, 64);
			}
			angka_csv_writer_end_row(w);
		}
		for (size_t k = 0; k < d->ndomains; k++) {
			struct ind_domain *dom = &d->domains[k];
			if (dom->first_file != UINT32_MAX) {
				angka_csv_writer_str(w, "F");
				angka_csv_writer_str(w, yr);
				put_group(w, dom->group);
				angka_csv_writer_str(w, ind_strtab_get(t, dom->value));
				angka_csv_writer_str(w, ind_strtab_get(t, dom->first_file));
				angka_csv_writer_long(w, dom->first_line);
				put_empty(w, TAIL6);
				angka_csv_writer_end_row(w);
			}
			if (!s->distribution)
				continue;
			ind_yw_sort(dom->dist, dom->ndist);
			for (size_t j = 0; j < dom->ndist; j++) {
				angka_csv_writer_str(w, "X");
				angka_csv_writer_str(w, yr);
				put_group(w, dom->group);
				angka_csv_writer_str(w, ind_strtab_get(t, dom->value));
				put_hexf(w, dom->dist[j].y);
				put_hexf(w, dom->dist[j].w);
				put_empty(w, 1);
				const struct ind_psu *xp = &d->psus[dom->dist[j].psu];
				angka_csv_writer_str(w, ind_strtab_get(t,
				        d->strata[xp->stratum].name));
				angka_csv_writer_str(w, ind_strtab_get(t, xp->name));
				put_empty(w, TAIL6 - 3);
				angka_csv_writer_end_row(w);
			}
		}
	}
	st->designs = s->ndesigns;
	st->rows_out = angka_csv_writer_rows(w);
	return angka_csv_writer_commit(w, e);
}

/* ---- reading ------------------------------------------------------------ */

static int parse_hexf(const char *s, double *out)
{
	char *end;
	errno = 0;
	if (!*s)
		return -1;
	*out = strtod(s, &end);
	return (*end || errno == ERANGE || !isfinite(*out)) ? -1 : 0;
}

static int parse_ulong(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return -1;
	*out = strtoull(s, &end, 10);
	return (*end || errno) ? -1 : 0;
}

enum angka_err ind_read_partial(struct ind_store *s, const char *path,
                                int first, struct ind_stats *st,
                                struct angka_error *e)
{
	struct angka_csv_reader *r;
	struct angka_csv_opts copts = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	enum angka_err rc = angka_csv_reader_open(&r, path, &copts, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *name = angka_csv_reader_name(r);
	const struct angka_csv_record *rec;
	int got = angka_csv_reader_next(r, &rec, e);
	if (got < 0)
		goto fail;
	if (got == 0 || rec->nfields != NPCOL ||
	    strcmp(rec->field[0], "type") != 0 || strcmp(rec->field[6], "n") != 0) {
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA,
		               "'%s':%ld: not an angka-indicators partial file "
		               "(expected header '%s,%s,...')", name,
		               got ? rec->line : 1L, partial_header[0],
		               partial_header[1]);
		goto out;
	}
	int seen_v = 0;
	while ((got = angka_csv_reader_next(r, &rec, e)) == 1) {
		const char *const *f = rec->field;
		long line = rec->line;
		st->rows_in++;
		if (rec->nfields != NPCOL) {
			rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: %zu fields, "
			               "expected %d", name, line, rec->nfields, NPCOL);
			goto out;
		}
		char type = f[0][0];
		if (!f[0][0] || f[0][1]) {
			rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: bad row type "
			               "'%s'", name, line, f[0]);
			goto out;
		}
		if (type == 'V') {
			if (strcmp(f[2], "2") != 0) {
				rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: partial "
				               "format version '%s' (expected 2)",
				               name, line, f[2]);
				goto out;
			}
			int rule = strcmp(f[3], "weak") == 0 ? IND_RULE_WEAK :
			           IND_RULE_STRICT;
			char by[1024] = "";
			size_t bl = 0;
			for (size_t i = 0; i < s->nby; i++)
				bl += (size_t)snprintf(by + bl, sizeof by - bl,
				                       "%s%s", i ? " " : "", s->by[i]);
			if (first && !seen_v) {
				s->rule = rule;
				s->distribution = strcmp(f[5], "1") == 0;
				/* by columns: split on spaces */
				const char *p = f[4];
				while (*p) {
					while (*p == ' ')
						p++;
					const char *q = p;
					while (*q && *q != ' ')
						q++;
					if (q > p && s->nby < IND_MAX_BY) {
						char *c = angka_xmalloc((size_t)(q - p) + 1);
						memcpy(c, p, (size_t)(q - p));
						c[q - p] = '\0';
						s->by[s->nby++] = c;
					}
					p = q;
				}
			} else {
				if (rule != s->rule || strcmp(by, f[4]) != 0) {
					rc = ANGKA_ERR(e, ANGKA_EUSAGE,
					               "'%s':%ld: partial made with rule "
					               "'%s' and --by '%s', but the first "
					               "with '%s' and '%s'", name, line,
					               f[3], f[4], s->rule ? "weak" :
					               "strict", by);
					goto out;
				}
				if (strcmp(f[5], "1") != 0)
					s->distribution = 0;
			}
			seen_v = 1;
			continue;
		}
		if (!seen_v) {
			rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: row before the "
			               "V row", name, line);
			goto out;
		}
		uint32_t yr = ind_strtab_intern(&s->str, f[1], rec->len[1]);
		struct ind_design *d = ind_store_design(s, yr);
		unsigned long long g = 0, n = 0;
		double x, y;
		switch (type) {
		case 'R':
			if (strcmp(f[3], "1") == 0)
				ind_design_note_region(s, d, f[2], rec->len[2]);
			break;
		case 'S': {
			uint32_t h = ind_design_stratum(d,
			        ind_strtab_intern(&s->str, f[2], rec->len[2]));
			struct ind_stratum *sh = &d->strata[h];
			if (!f[3][0])
				break;
			if (parse_hexf(f[3], &x))
				goto bad;
			if (sh->has_fpc && sh->fpc != x) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: stratum "
				               "'%s': fpc %g differs from %g in an "
				               "earlier partial", name, line, f[2], x,
				               sh->fpc);
				goto out;
			}
			sh->has_fpc = 1;
			sh->fpc = x;
			s->has_fpc = 1;
			break;
		}
		case 'C': {
			if (parse_ulong(f[4], &g) || parse_ulong(f[6], &n) ||
			    g >= IND_G_BY + s->nby)
				goto bad;
			uint32_t h = ind_design_stratum(d,
			        ind_strtab_intern(&s->str, f[2], rec->len[2]));
			uint32_t p = ind_design_psu(d, h,
			        ind_strtab_intern(&s->str, f[3], rec->len[3]));
			uint32_t dm = ind_design_domain(d, (uint32_t)g,
			        ind_strtab_intern(&s->str, f[5], rec->len[5]));
			struct ind_cell *c = ind_design_cell(d, dm, p);
			c->n_obs += n;
			for (int q = 0; q < IND_NQ; q++) {
				struct ind_xsum v;
				if (ind_xsum_parse(&v, f[7 + q], rec->len[7 + q]))
					goto bad;
				ind_xsum_merge(&c->s[q], &v);
			}
			break;
		}
		case 'F': {
			if (parse_ulong(f[2], &g) || parse_ulong(f[5], &n) ||
			    g >= IND_G_BY + s->nby)
				goto bad;
			uint32_t dm = ind_design_domain(d, (uint32_t)g,
			        ind_strtab_intern(&s->str, f[3], rec->len[3]));
			uint32_t file = ind_strtab_intern(&s->str, f[4], rec->len[4]);
			ind_domain_note_first(s, &d->domains[dm], file, (long)n);
			break;
		}
		case 'X': {
			if (parse_ulong(f[2], &g) || g >= IND_G_BY + s->nby ||
			    parse_hexf(f[4], &x) || parse_hexf(f[5], &y))
				goto bad;
			if (!s->distribution)
				break;
			uint32_t dm = ind_design_domain(d, (uint32_t)g,
			        ind_strtab_intern(&s->str, f[3], rec->len[3]));
			uint32_t h = ind_design_stratum(d,
			        ind_strtab_intern(&s->str, f[7], rec->len[7]));
			uint32_t p = ind_design_psu(d, h,
			        ind_strtab_intern(&s->str, f[8], rec->len[8]));
			ind_domain_add_dist(&d->domains[dm], x, y, p);
			break;
		}
		default:
			goto bad;
		}
		continue;
bad:
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: malformed '%s' row "
		               "in a partial file", name, line, f[0]);
		goto out;
	}
	if (got < 0)
		goto fail;
	if (!seen_v) {
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s': partial file without a "
		               "V row", name);
		goto out;
	}
	return angka_csv_reader_close(r, e);
fail:
	rc = e->code;
out:
	angka_csv_reader_free(r);
	return rc;
}
