/*
 * household.c - households of the unique persons, grouped by valid No KK:
 * households.csv (no_kk,kode_wilayah,n_persons,n_heads,flags; private) and
 * the aggregate household counts per desa (kode_wilayah,households,persons;
 * no personal data).
 *
 * A household's kode_wilayah is the desa most of its members live in (ties:
 * the smallest code). Flags: kk_multi_desa (members in several desa),
 * kk_multi_head (hub_krt = 1 more than once), kk_no_head (no hub_krt = 1).
 * The counts file attributes each household, with all its persons, to its
 * kode_wilayah; persons without a valid No KK are in neither file.
 */
#include "dedup_int.h"
#include "keysort.h"

#include <stdlib.h>
#include <string.h>

struct desa_count {
	uint64_t wil, households, persons;
};

/* Households and persons per desa, aggregated as the households are
 * visited (an open-addressing table keyed by kode_wilayah; a desa table, not
 * a household one, so it stays small). */
struct hh_ctx {
	struct dedup_ctx *x;
	struct angka_csv_writer *w;
	struct desa_count *dc;   /* dccap slots; wil + 1 as the key, 0: empty */
	size_t ndc, dccap;
	uint32_t *surv;          /* a group's surviving rows (hh_survivors) */
	size_t scap;
};

static size_t dc_slot(const struct hh_ctx *h, uint64_t key)
{
	size_t mask = h->dccap - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
	while (h->dc[i].wil && h->dc[i].wil != key)
		i = (i + 1) & mask;
	return i;
}

static void dc_add(struct hh_ctx *h, uint64_t wil, uint64_t persons)
{
	if ((h->ndc + 1) * 2 > h->dccap) {
		struct desa_count *old = h->dc;
		size_t on = h->dccap;
		h->dccap = on ? 2 * on : 256;
		h->dc = angka_xcalloc(h->dccap, sizeof *h->dc);
		for (size_t i = 0; i < on; i++)
			if (old[i].wil)
				h->dc[dc_slot(h, old[i].wil)] = old[i];
		free(old);
	}
	size_t i = dc_slot(h, wil + 1);
	if (!h->dc[i].wil) {
		h->dc[i].wil = wil + 1;
		h->ndc++;
	}
	h->dc[i].households++;
	h->dc[i].persons += persons;
}

static int hh_group(void *ctx, uint64_t kk, const uint32_t *ids,
                    size_t nstored, size_t ntotal)
{
	struct hh_ctx *h = ctx;
	const struct dedup_rec *rec = h->x->rec;
	(void)ntotal;
	size_t heads = 0, best_n = 0;
	uint64_t best = 0, first_desa = 0;
	int multi = 0;
	for (size_t i = 0; i < nstored; i++) {
		const struct dedup_rec *r = &rec[ids[i]];
		heads += r->head;
		uint64_t w = dedup_rec_wil(r);
		if (!(w % 10000))
			w = 0;
		if (!w)
			continue;
		if (!first_desa)
			first_desa = w;
		else if (w != first_desa)
			multi = 1;
		size_t n = 0;
		for (size_t j = 0; j < nstored; j++)
			n += dedup_rec_wil(&rec[ids[j]]) == w;
		if (n > best_n || (n == best_n && w < best)) {
			best_n = n;
			best = w;
		}
	}
	h->x->st->households++;
	if (h->w) {
		char buf[24];
		int n = snprintf(buf, sizeof buf, "%016llu", (unsigned long long)kk);
		angka_csv_writer_raw(h->w, buf, (size_t)n);
		n = best ? snprintf(buf, sizeof buf, "%010llu",
		                    (unsigned long long)best) : 0;
		angka_csv_writer_raw(h->w, buf, (size_t)n);
		angka_csv_writer_long(h->w, (long long)nstored);
		angka_csv_writer_long(h->w, (long long)heads);
		char flags[64] = "";
		if (multi)
			strcat(flags, "kk_multi_desa");
		if (heads != 1) {
			if (*flags)
				strcat(flags, "|");
			strcat(flags, heads ? "kk_multi_head" : "kk_no_head");
		}
		angka_csv_writer_str(h->w, flags);
		angka_csv_writer_end_row(h->w);
	}
	dc_add(h, best, nstored);
	return 0;
}

/* A No KK group of all rows: its persons are the rows that survive their
 * cluster (a folded row is its survivor, counted where the survivor is). */
static int hh_survivors(void *ctx, uint64_t kk, const uint32_t *ids,
                        size_t nstored, size_t ntotal)
{
	struct hh_ctx *h = ctx;
	(void)ntotal;
	size_t k = 0;
	if (nstored > h->scap) {
		h->scap = nstored * 2;
		h->surv = angka_xrealloc(h->surv, h->scap * sizeof *h->surv);
	}
	for (size_t i = 0; i < nstored; i++) {
		struct dedup_cluster one;
		if (dedup_cluster_of(h->x, ids[i], &one)->surv == ids[i])
			h->surv[k++] = ids[i];
	}
	return k ? hh_group(h, kk, h->surv, k, k) : 0;
}

static int dc_cmp(const void *a, const void *b)
{
	const struct desa_count *x = a, *y = b;
	return (x->wil > y->wil) - (x->wil < y->wil);
}

enum angka_err dedup_households(struct dedup_ctx *x,
                                struct angka_csv_writer **hw,
                                struct angka_csv_writer **hc,
                                struct angka_error *e)
{
	*hw = *hc = NULL;
	struct hh_ctx h = { x, NULL, NULL, 0, 0, NULL, 0 };
	struct angka_csv_writer *wc = NULL;
	struct dedup_keysort own, *ks = &own;
	enum angka_err rc = ANGKA_OK;
	dedup_keysort_init(&own, x->hh_sort_cap ? x->hh_sort_cap
	                   : (size_t)(x->s->memory_mb * 1048576.0 /
	                              sizeof(struct dedup_kv) / 2),
	                   x->s->tmpdir);
	if (x->o->households) {
		rc = angka_csv_writer_open(&h.w, x->o->households,
		                           ANGKA_CSV_WRITER_PRIVATE, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		static const char *const hd[] = { "no_kk", "kode_wilayah",
			"n_persons", "n_heads", "flags" };
		angka_csv_writer_row(h.w, 5, hd);
	}
	for (uint32_t i = 0; i < x->n && rc == ANGKA_OK; i++)
		if (x->rec[i].kk)
			rc = dedup_keysort_add(ks, x->kks.v[x->rec[i].kk], i, e);
	if (rc == ANGKA_OK)
		rc = dedup_keysort_groups(ks, UINT32_MAX, hh_survivors, &h, e);
	x->st->runs_spilled += dedup_keysort_runs(ks);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (x->o->household_counts) {
		/* Pack the used slots (keys back to kode_wilayah), sort. */
		size_t k = 0;
		for (size_t i = 0; i < h.dccap; i++)
			if (h.dc[i].wil) {
				h.dc[k] = h.dc[i];
				h.dc[k++].wil--;
			}
		if (k)
			qsort(h.dc, k, sizeof *h.dc, dc_cmp);
		rc = angka_csv_writer_open(&wc, x->o->household_counts, 0, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		static const char *const hd[] = { "kode_wilayah", "households",
			"persons" };
		angka_csv_writer_row(wc, 3, hd);
		for (size_t i = 0; i < h.ndc; i++) {
			struct desa_count t = h.dc[i];
			char buf[24];
			int n = t.wil ? snprintf(buf, sizeof buf, "%010llu",
			                         (unsigned long long)t.wil) : 0;
			angka_csv_writer_raw(wc, buf, (size_t)n);
			angka_csv_writer_long(wc, (long long)t.households);
			angka_csv_writer_long(wc, (long long)t.persons);
			angka_csv_writer_end_row(wc);
		}
	}
	/* Written, not committed: the caller commits them once the whole
	 * run has succeeded. */
	*hw = h.w;
	*hc = wc;
	h.w = wc = NULL;
cleanup:
	angka_csv_writer_abort(h.w);
	angka_csv_writer_abort(wc);
	dedup_keysort_release(ks);
	free(h.dc);
	free(h.surv);
	return rc;
}
