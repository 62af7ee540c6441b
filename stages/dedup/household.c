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

struct hh_ctx {
	struct dedup_ctx *x;
	struct angka_csv_writer *w;
	struct desa_count *dc;
	size_t ndc, dccap;
};

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
		uint64_t w = r->wil % 10000 ? r->wil : 0;
		if (!w)
			continue;
		if (!first_desa)
			first_desa = w;
		else if (w != first_desa)
			multi = 1;
		size_t n = 0;
		for (size_t j = 0; j < nstored; j++)
			n += rec[ids[j]].wil == w;
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
	if (h->ndc == h->dccap) {
		h->dccap = h->dccap ? 2 * h->dccap : 256;
		h->dc = angka_xrealloc(h->dc, h->dccap * sizeof *h->dc);
	}
	h->dc[h->ndc].wil = best;
	h->dc[h->ndc].households = 1;
	h->dc[h->ndc].persons = nstored;
	h->ndc++;
	return 0;
}

static int dc_cmp(const void *a, const void *b)
{
	const struct desa_count *x = a, *y = b;
	return (x->wil > y->wil) - (x->wil < y->wil);
}

enum angka_err dedup_households(struct dedup_ctx *x, struct angka_error *e)
{
	struct hh_ctx h = { x, NULL, NULL, 0, 0 };
	struct angka_csv_writer *wc = NULL;
	struct dedup_keysort ks;
	enum angka_err rc = ANGKA_OK;
	dedup_keysort_init(&ks, (size_t)(x->s->memory_mb * 1048576.0 /
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
	for (uint32_t i = 0; i < x->n && rc == ANGKA_OK; i++) {
		const struct dedup_rec *r = &x->rec[i];
		if (r->kk && x->cl[r->parent].surv == i)
			rc = dedup_keysort_add(&ks, r->kk, i, e);
	}
	if (rc == ANGKA_OK)
		rc = dedup_keysort_groups(&ks, UINT32_MAX, hh_group, &h, e);
	x->st->runs_spilled += dedup_keysort_runs(&ks);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (x->o->household_counts) {
		if (h.ndc)
			qsort(h.dc, h.ndc, sizeof *h.dc, dc_cmp);
		rc = angka_csv_writer_open(&wc, x->o->household_counts, 0, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		static const char *const hd[] = { "kode_wilayah", "households",
			"persons" };
		angka_csv_writer_row(wc, 3, hd);
		for (size_t i = 0; i < h.ndc;) {
			struct desa_count t = h.dc[i++];
			while (i < h.ndc && h.dc[i].wil == t.wil) {
				t.households++;
				t.persons += h.dc[i++].persons;
			}
			char buf[24];
			int n = t.wil ? snprintf(buf, sizeof buf, "%010llu",
			                         (unsigned long long)t.wil) : 0;
			angka_csv_writer_raw(wc, buf, (size_t)n);
			angka_csv_writer_long(wc, (long long)t.households);
			angka_csv_writer_long(wc, (long long)t.persons);
			angka_csv_writer_end_row(wc);
		}
	}
	if (h.w) {
		rc = angka_csv_writer_commit(h.w, e);
		h.w = NULL;
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	if (wc) {
		rc = angka_csv_writer_commit(wc, e);
		wc = NULL;
	}
cleanup:
	angka_csv_writer_abort(h.w);
	angka_csv_writer_abort(wc);
	dedup_keysort_release(&ks);
	free(h.dc);
	return rc;
}
