/*
 * design.c - building the per-year designs (struct ind_store) and putting
 * them into the canonical order that makes every later sum independent of
 * the input order.
 */
#include "design.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ind_store_init(struct ind_store *s)
{
	memset(s, 0, sizeof *s);
	ind_strtab_init(&s->str);
	ind_map_init(&s->design_map);
	s->empty = ind_strtab_intern(&s->str, "", 0);
}

static void design_release(struct ind_design *d)
{
	for (size_t i = 0; i < d->ndomains; i++)
		free(d->domains[i].dist);
	free(d->strata);
	free(d->psus);
	free(d->domains);
	free(d->cells);
	ind_map_release(&d->stratum_map);
	ind_map_release(&d->psu_map);
	ind_map_release(&d->domain_map);
	ind_map_release(&d->cell_map);
}

void ind_store_release(struct ind_store *s)
{
	for (size_t i = 0; i < s->ndesigns; i++)
		design_release(&s->designs[i]);
	free(s->designs);
	for (size_t i = 0; i < s->nby; i++)
		free(s->by[i]);
	ind_map_release(&s->design_map);
	ind_strtab_release(&s->str);
	memset(s, 0, sizeof *s);
}

#define GROW(arr, n, cap) do { \
	if ((n) == (cap)) { \
		(cap) = (cap) ? (cap) * 2 : 16; \
		(arr) = angka_xrealloc((arr), (cap) * sizeof *(arr)); \
	} \
} while (0)

struct ind_design *ind_store_design(struct ind_store *s, uint32_t tahun)
{
	uint32_t i = ind_map_get(&s->design_map, tahun);
	if (i != UINT32_MAX)
		return &s->designs[i];
	s->designs = angka_xrealloc(s->designs,
	                            (s->ndesigns + 1) * sizeof *s->designs);
	struct ind_design *d = &s->designs[s->ndesigns];
	memset(d, 0, sizeof *d);
	d->tahun = tahun;
	d->region = UINT32_MAX;
	d->last_psu = UINT32_MAX;
	ind_map_init(&d->stratum_map);
	ind_map_init(&d->psu_map);
	ind_map_init(&d->domain_map);
	ind_map_init(&d->cell_map);
	ind_map_put(&s->design_map, tahun, (uint32_t)s->ndesigns);
	s->ndesigns++;
	return d;
}

uint32_t ind_design_stratum(struct ind_design *d, uint32_t name)
{
	uint32_t i = ind_map_get(&d->stratum_map, name);
	if (i != UINT32_MAX)
		return i;
	GROW(d->strata, d->nstrata, d->cap_strata);
	struct ind_stratum *st = &d->strata[d->nstrata];
	memset(st, 0, sizeof *st);
	st->name = name;
	i = (uint32_t)d->nstrata++;
	ind_map_put(&d->stratum_map, name, i);
	return i;
}

uint32_t ind_design_psu(struct ind_design *d, uint32_t stratum, uint32_t name)
{
	if (d->last_psu != UINT32_MAX && d->last_psu_key_s == stratum &&
	    d->last_psu_key_p == name)
		return d->last_psu;
	uint64_t k = ind_key2(stratum, name);
	uint32_t i = ind_map_get(&d->psu_map, k);
	if (i == UINT32_MAX) {
		GROW(d->psus, d->npsus, d->cap_psus);
		d->psus[d->npsus].stratum = stratum;
		d->psus[d->npsus].name = name;
		d->psus[d->npsus].rank = 0;
		i = (uint32_t)d->npsus++;
		ind_map_put(&d->psu_map, k, i);
	}
	d->last_psu_key_s = stratum;
	d->last_psu_key_p = name;
	d->last_psu = i;
	return i;
}

uint32_t ind_design_domain(struct ind_design *d, uint32_t group,
                           uint32_t value)
{
	uint64_t k = ind_key2(group, value);
	uint32_t i = ind_map_get(&d->domain_map, k);
	if (i != UINT32_MAX)
		return i;
	GROW(d->domains, d->ndomains, d->cap_domains);
	struct ind_domain *dom = &d->domains[d->ndomains];
	memset(dom, 0, sizeof *dom);
	dom->group = group;
	dom->value = value;
	dom->first_file = UINT32_MAX;
	i = (uint32_t)d->ndomains++;
	ind_map_put(&d->domain_map, k, i);
	return i;
}

struct ind_cell *ind_design_cell(struct ind_design *d, uint32_t domain,
                                 uint32_t psu)
{
	uint64_t k = ind_key2(domain, psu);
	uint32_t i = ind_map_get(&d->cell_map, k);
	if (i != UINT32_MAX)
		return &d->cells[i];
	GROW(d->cells, d->ncells, d->cap_cells);
	struct ind_cell *c = &d->cells[d->ncells];
	memset(c, 0, sizeof *c);
	c->domain = domain;
	c->psu = psu;
	ind_map_put(&d->cell_map, k, (uint32_t)d->ncells);
	d->ncells++;
	return c;
}

void ind_domain_add_dist(struct ind_domain *dom, double y, double w,
                         uint32_t psu)
{
	GROW(dom->dist, dom->ndist, dom->distcap);
	dom->dist[dom->ndist].y = y;
	dom->dist[dom->ndist].w = w;
	dom->dist[dom->ndist].psu = psu;
	dom->ndist++;
}

void ind_domain_note_first(struct ind_store *s, struct ind_domain *dom,
                           uint32_t file, long line)
{
	if (dom->first_file != UINT32_MAX) {
		int c = file == dom->first_file ? 0 :
		        strcmp(ind_strtab_get(&s->str, file),
		               ind_strtab_get(&s->str, dom->first_file));
		if (c > 0 || (c == 0 && line >= dom->first_line))
			return;
	}
	dom->first_file = file;
	dom->first_line = line;
}

void ind_design_note_region(struct ind_store *s, struct ind_design *d,
                            const char *code, size_t len)
{
	if (d->region == UINT32_MAX) {
		d->region = ind_strtab_intern(&s->str, code, len);
		return;
	}
	const char *cur = ind_strtab_get(&s->str, d->region);
	size_t cl = s->str.len[d->region];
	if (cl <= len && memcmp(cur, code, cl) == 0 &&
	    (cl == len || code[cl] == '.'))
		return;
	/* Longest common prefix that ends at a dot boundary of both. */
	size_t n = 0, keep = 0;
	while (n < cl && n < len && cur[n] == code[n]) {
		n++;
		if ((n == cl || cur[n] == '.') && (n == len || code[n] == '.'))
			keep = n;
	}
	char buf[256];
	if (keep >= sizeof buf)
		keep = sizeof buf - 1;
	memcpy(buf, cur, keep);
	d->region = ind_strtab_intern(&s->str, buf, keep);
}

/* ---- canonical order --------------------------------------------------- */

static const struct ind_store *sort_store;
static const struct ind_design *sort_design;

static int cmp_stratum(const void *a, const void *b)
{
	const struct ind_stratum *x = a, *y = b;
	return strcmp(ind_strtab_get(&sort_store->str, x->name),
	              ind_strtab_get(&sort_store->str, y->name));
}

static int cmp_psu(const void *a, const void *b)
{
	const struct ind_psu *x = a, *y = b;
	uint32_t rx = sort_design->strata[x->stratum].rank;
	uint32_t ry = sort_design->strata[y->stratum].rank;
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(ind_strtab_get(&sort_store->str, x->name),
	              ind_strtab_get(&sort_store->str, y->name));
}

static int cmp_domain(const void *a, const void *b)
{
	const struct ind_domain *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return strcmp(ind_strtab_get(&sort_store->str, x->value),
	              ind_strtab_get(&sort_store->str, y->value));
}

static int cmp_cell(const void *a, const void *b)
{
	const struct ind_cell *x = a, *y = b;
	/* after remapping, indices are ranks */
	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	if (x->psu != y->psu)
		return x->psu < y->psu ? -1 : 1;
	return 0;
}

static enum angka_err design_finish(struct ind_store *s, struct ind_design *d,
                                    struct angka_error *e)
{
	sort_store = s;
	sort_design = d;
	const char *yr = ind_strtab_get(&s->str, d->tahun);

	/* Strata: sort, then map old index -> new index. */
	uint32_t *smap = angka_xmalloc((d->nstrata + 1) * sizeof *smap);
	for (size_t i = 0; i < d->nstrata; i++)
		d->strata[i].rank = (uint32_t)i;     /* old index */
	qsort(d->strata, d->nstrata, sizeof *d->strata, cmp_stratum);
	for (size_t i = 0; i < d->nstrata; i++) {
		smap[d->strata[i].rank] = (uint32_t)i;
		d->strata[i].rank = (uint32_t)i;
	}
	for (size_t i = 0; i < d->npsus; i++)
		d->psus[i].stratum = smap[d->psus[i].stratum];
	free(smap);

	uint32_t *pmap = angka_xmalloc((d->npsus + 1) * sizeof *pmap);
	for (size_t i = 0; i < d->npsus; i++)
		d->psus[i].rank = (uint32_t)i;
	qsort(d->psus, d->npsus, sizeof *d->psus, cmp_psu);
	for (size_t i = 0; i < d->npsus; i++) {
		pmap[d->psus[i].rank] = (uint32_t)i;
		d->psus[i].rank = (uint32_t)i;
	}

	uint32_t *dmap = angka_xmalloc((d->ndomains + 1) * sizeof *dmap);
	for (size_t i = 0; i < d->ndomains; i++)
		d->domains[i].rank = (uint32_t)i;
	qsort(d->domains, d->ndomains, sizeof *d->domains, cmp_domain);
	for (size_t i = 0; i < d->ndomains; i++) {
		dmap[d->domains[i].rank] = (uint32_t)i;
		d->domains[i].rank = (uint32_t)i;
	}
	for (size_t i = 0; i < d->ncells; i++) {
		d->cells[i].psu = pmap[d->cells[i].psu];
		d->cells[i].domain = dmap[d->cells[i].domain];
	}
	for (size_t i = 0; i < d->ndomains; i++)
		for (size_t j = 0; j < d->domains[i].ndist; j++)
			d->domains[i].dist[j].psu = pmap[d->domains[i].dist[j].psu];
	free(pmap);
	free(dmap);
	qsort(d->cells, d->ncells, sizeof *d->cells, cmp_cell);
	for (size_t i = 0; i < d->ncells; i++)
		for (int q = 0; q < IND_NQ; q++)
			d->cells[i].v[q] = ind_xsum_value(&d->cells[i].s[q]);
	/* The lookup maps are stale now; nothing is added after this. */
	ind_map_release(&d->stratum_map);
	ind_map_release(&d->psu_map);
	ind_map_release(&d->domain_map);
	ind_map_release(&d->cell_map);
	d->last_psu = UINT32_MAX;
	d->sorted = 1;

	/* PSU counts; positive-weight PSUs and strata (R's degf). */
	for (size_t i = 0; i < d->npsus; i++)
		d->strata[d->psus[i].stratum].n_psu++;
	if (d->ndomains && d->domains[0].group == IND_G_TOTAL) {
		for (size_t i = 0; i < d->ncells && d->cells[i].domain == 0; i++) {
			double w = d->cells[i].v[IND_Q_W];
			if (w > 0)
				d->strata[d->psus[d->cells[i].psu].stratum].nonzero = 1;
		}
	}

	/* fpc: counts of population PSUs, or fractions when all are <= 1. */
	int any = 0, all_le1 = 1;
	for (size_t i = 0; i < d->nstrata; i++) {
		struct ind_stratum *st = &d->strata[i];
		if (!st->has_fpc)
			continue;
		any = 1;
		if (st->fpc > 1)
			all_le1 = 0;
	}
	for (size_t i = 0; i < d->nstrata; i++) {
		struct ind_stratum *st = &d->strata[i];
		st->f = 1.0;
		if (!any)
			continue;
		const char *sn = ind_strtab_get(&s->str, st->name);
		if (!st->has_fpc)
			return ANGKA_ERR(e, ANGKA_EDATA,
			                 "tahun '%s': stratum '%s' has no fpc value",
			                 yr, sn);
		double N = st->fpc;
		if (all_le1) {
			if (!(st->fpc > 0))
				return ANGKA_ERR(e, ANGKA_EDATA,
				                 "tahun '%s': stratum '%s': fpc %g is not "
				                 "a sampling fraction in (0, 1]",
				                 yr, sn, st->fpc);
			N = (double)st->n_psu / st->fpc;
		} else if (st->fpc < 1) {
			return ANGKA_ERR(e, ANGKA_EDATA,
			                 "tahun '%s': stratum '%s': fpc %g: must be all "
			                 "PSU counts (>= 1) or all fractions (<= 1)",
			                 yr, sn, st->fpc);
		}
		if (N < (double)st->n_psu)
			return ANGKA_ERR(e, ANGKA_EDATA,
			                 "tahun '%s': stratum '%s': fpc gives %g "
			                 "population PSUs but %ld are in the sample",
			                 yr, sn, N, st->n_psu);
		st->f = isinf(N) ? 1.0 : (N - (double)st->n_psu) / N;
	}
	return ANGKA_OK;
}

enum angka_err ind_store_finish(struct ind_store *s, struct angka_error *e)
{
	/* Designs in year order (string order of tahun). */
	sort_store = s;
	for (size_t i = 1; i < s->ndesigns; i++) {
		struct ind_design tmp = s->designs[i];
		size_t j = i;
		while (j > 0 && strcmp(ind_strtab_get(&s->str, s->designs[j - 1].tahun),
		                       ind_strtab_get(&s->str, tmp.tahun)) > 0) {
			s->designs[j] = s->designs[j - 1];
			j--;
		}
		s->designs[j] = tmp;
	}
	ind_map_release(&s->design_map);
	for (size_t i = 0; i < s->ndesigns; i++) {
		enum angka_err rc = design_finish(s, &s->designs[i], e);
		if (rc != ANGKA_OK)
			return rc;
	}
	return ANGKA_OK;
}

void ind_domain_label(const struct ind_store *s, const struct ind_domain *dom,
                      char *buf, size_t cap)
{
	switch (dom->group) {
	case IND_G_TOTAL: snprintf(buf, cap, "total"); break;
	case IND_G_KOTA: snprintf(buf, cap, "perkotaan"); break;
	case IND_G_DESA: snprintf(buf, cap, "perdesaan"); break;
	default:
		snprintf(buf, cap, "%s=%s", s->by[dom->group - IND_G_BY],
		         ind_strtab_get(&s->str, dom->value));
	}
}
