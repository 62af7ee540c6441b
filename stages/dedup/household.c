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
#include "ctx.h"
#include "publish.h"
#include "keysort.h"
#include "region.h"
#include "xlsx_out.h"

#include <stdlib.h>
#include <string.h>

struct desa_count {
	uint64_t wil, households, persons;
};

/*
 * Small-count suppression of the published counts (the rule of the
 * registry table, registry.c in angka-indicators): a count from 1 to
 * min_cell - 1 is hidden, and where exactly one desa of a kecamatan (the
 * first 6 digits) has a column hidden, the smallest other count of that
 * column there too (non-zero first), since the kecamatan totals are
 * published. dc is sorted by code; hid[i] gets bit 0 (households) and
 * bit 1 (persons).
 */
static uint64_t dc_val(const struct desa_count *d, int c)
{
	return c ? d->persons : d->households;
}

static void suppress_counts(const struct desa_count *dc, size_t n,
                            long min_cell, unsigned char *hid)
{
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < 2; c++) {
			uint64_t v = dc_val(&dc[i], c);
			if (dc[i].wil && v > 0 && v < (uint64_t)min_cell)
				hid[i] |= (unsigned char)(1u << c);
		}
	for (size_t i = 0; i < n; ) {
		size_t j = i + 1;
		uint64_t kec = dc[i].wil / 10000;
		while (j < n && dc[j].wil / 10000 == kec)
			j++;
		for (int c = 0; c < 2 && dc[i].wil; c++) {
			size_t h = 0;
			for (size_t k = i; k < j; k++)
				h += hid[k] >> c & 1;
			if (h != 1)
				continue;
			long best = -1;
			for (int pass = 0; pass < 2 && best < 0; pass++)
				for (size_t k = i; k < j; k++) {
					uint64_t v = dc_val(&dc[k], c);
					if ((hid[k] >> c & 1) || (pass == 0 && !v))
						continue;
					if (best < 0 || v < dc_val(&dc[best], c))
						best = (long)k;
				}
			if (best >= 0)
				hid[best] |= (unsigned char)(1u << c);
		}
		i = j;
	}
}

/* Households and persons per desa, aggregated as the households are
 * visited (an open-addressing table keyed by kode_wilayah; a desa table, not
 * a household one, so it stays small). */
struct hh_ctx {
	struct dedup_ctx *x;
	struct angka_csv_writer *w;
	struct desa_count *dc;   /* dccap slots; wil + 1 as the key, 0: empty */
	size_t ndc, dccap;
	int dclg;                /* dccap = 2^dclg */
	uint64_t *mem;           /* a group's members (hh_survivors) */
	size_t mcap;
	uint64_t *wil;           /* a group's desa codes (hh_group) */
	size_t wcap;
};

/* A member of a household as hh_group needs it: its kode_wilayah and
 * whether it is the head (hub_krt = 1), in one word, so that a group is
 * read from one array in order instead of from each member's record
 * (rows of a No KK lie anywhere in rec[]: a cache miss each). */
static inline uint64_t hh_member(const struct dedup_rec *r)
{
	return dedup_rec_wil(r) << 1 | r->head;
}

/* Where key's probe starts in the desa table: the top bits of its hash,
 * so that a key's home in the table twice the size is twice its home
 * here (or one more) and the growth (dc_add) moves the entries in
 * order, writing the new table front to back: with the low bits, every
 * entry moved was a cache miss, and the growth steps to the 556,000 desa
 * of 10 million rows were three quarters of hh_emit's time. */
static inline size_t dc_home(const struct hh_ctx *h, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> (64 - h->dclg));
}

static size_t dc_slot(const struct hh_ctx *h, uint64_t key)
{
	size_t mask = h->dccap - 1;
	size_t i = dc_home(h, key);
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
		h->dclg = on ? h->dclg + 1 : 8;
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

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* households.csv's flags: [multi][heads: 0, 1, more]. */
static const char *const hh_flags[2][3] = {
	{ "kk_no_head", "", "kk_multi_head" },
	{ "kk_multi_desa|kk_no_head", "kk_multi_desa",
	  "kk_multi_desa|kk_multi_head" },
};

/* A household's row and its desa's counts: No KK kk, its n persons, heads
 * of them, its desa best (0: none) and whether they live in several. */
static void hh_emit(struct hh_ctx *h, uint64_t kk, size_t n, size_t heads,
                    uint64_t best, int multi)
{
	h->x->st->households++;
	if (h->w) {
		/* The row built at once: digits and flags need no quotes. */
		char row[128];
		const char *fl = hh_flags[multi][heads < 2 ? heads : 2];
		size_t k = dedup_put_dec(row, kk, 16);
		row[k++] = ',';
		if (best)
			k += dedup_put_dec(row + k, best, 10);
		row[k++] = ',';
		k += dedup_put_dec(row + k, n, 1);
		row[k++] = ',';
		k += dedup_put_dec(row + k, heads, 1);
		row[k++] = ',';
		size_t fn = strlen(fl);
		memcpy(row + k, fl, fn);
		angka_csv_writer_raw(h->w, row, k + fn);
		angka_csv_writer_end_row(h->w);
	}
	dc_add(h, best, n);
}

/* A household: No KK kk and its persons' hh_member words m[0..n). */
static void hh_group(struct hh_ctx *h, uint64_t kk, const uint64_t *m,
                     size_t n)
{
	size_t heads = 0, best_n = 0, nw = 0;
	uint64_t best = 0;
	int multi = 0;
	/* The members' desa codes, sorted: the most frequent is the run
	 * longest (ties: the first, the smallest code). Sorted, not counted
	 * pairwise: a placeholder No KK can hold thousands of rows. */
	if (n > h->wcap) {
		h->wcap = n * 2;
		h->wil = angka_xrealloc(h->wil, h->wcap * sizeof *h->wil);
	}
	uint64_t *wil = h->wil;
	for (size_t i = 0; i < n; i++) {
		heads += m[i] & 1;
		uint64_t w = m[i] >> 1;
		if (w % 10000)
			wil[nw++] = w;
	}
	if (nw > 16) {
		qsort(wil, nw, sizeof *wil, u64_cmp);
	} else {
		/* Most households: a few members. */
		for (size_t i = 1; i < nw; i++) {
			uint64_t v = wil[i];
			size_t j = i;
			for (; j > 0 && wil[j - 1] > v; j--)
				wil[j] = wil[j - 1];
			wil[j] = v;
		}
	}
	for (size_t i = 0; i < nw;) {
		size_t j = i;
		while (j < nw && wil[j] == wil[i])
			j++;
		if (j - i > best_n) {
			best_n = j - i;
			best = wil[i];
		}
		if (i > 0)
			multi = 1;
		i = j;
	}
	hh_emit(h, kk, n, heads, best, multi);
}

/* A No KK group of all rows (dedup_keysort_groups): its persons are the
 * rows that survive their cluster (a folded row is its survivor, counted
 * where the survivor is). */
static int hh_survivors(void *ctx, uint64_t kk, const uint32_t *ids,
                        size_t nstored, size_t ntotal)
{
	struct hh_ctx *h = ctx;
	(void)ntotal;
	size_t k = 0;
	if (nstored > h->mcap) {
		h->mcap = nstored * 2;
		h->mem = angka_xrealloc(h->mem, h->mcap * sizeof *h->mem);
	}
	for (size_t i = 0; i < nstored; i++) {
		struct dedup_cluster one;
		if (dedup_cluster_of(h->x, ids[i], &one)->surv == ids[i])
			h->mem[k++] = hh_member(&h->x->rec[ids[i]]);
	}
	if (k)
		hh_group(h, kk, h->mem, k);
	return 0;
}

/* The distinct No KK values in ascending order (keysort groups of one id
 * each): order[k] the id of the k-th. */
struct rank_ctx {
	uint32_t *order;
	uint32_t next;
};

static int rank_one(void *ctx, uint64_t key, const uint32_t *ids,
                    size_t nstored, size_t ntotal)
{
	struct rank_ctx *rc = ctx;
	(void)key;
	(void)ntotal;
	for (size_t i = 0; i < nstored; i++)
		rc->order[rc->next++] = ids[i];
	return 0;
}

/* A member of a household in another desa than the household's first
 * (hh_by_id): its No KK's id and its desa. */
struct hh_side {
	uint64_t wil;
	uint32_t id;
};

static int side_cmp(const void *pa, const void *pb)
{
	const struct hh_side *a = pa, *b = pb;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return (a->wil > b->wil) - (a->wil < b->wil);
}

/* Per No KK id while the rows are scanned: persons, heads, and the
 * members in the first desa seen (w0[id]; bit 63: a member elsewhere,
 * in the side list). */
struct hh_acc {
	uint32_t n, heads, cnt0;
};
#define HH_MULTI (UINT64_C(1) << 63)

/*
 * The households by No KK of the rows that survive their cluster, in one
 * scan of rec[] in row order: per No KK (its interned id, x->kks), the
 * persons, the heads and the desa of the first member with one, with how
 * many members live there; a member in another desa (few: a household
 * that moved) goes to a side list, from which such a household's most
 * frequent desa is counted. The same figures as grouping the members
 * (hh_group): n, heads, the desa on the most members (ties: the smallest
 * code), several desa or not. With in_order the households are visited
 * in ascending No KK order, as dedup_keysort_groups gives them (the
 * distinct values are sorted first: the order of households.csv);
 * without, in order of first appearance, which no output can show (the
 * per-desa counts are sums, sorted by desa). Needs 24 bytes per distinct
 * No KK and 16 per member of a household in several desa; *done 0
 * (nothing visited) if that passes max_bytes, and the caller sorts the
 * rows instead (which can spill to disk).
 */
static enum angka_err hh_by_id(struct dedup_ctx *x, size_t max_bytes,
                               int in_order, struct hh_ctx *h, int *done,
                               struct angka_error *e)
{
	*done = 0;
	size_t nk = x->kks.n;   /* ids 1 .. nk - 1; 0: no valid No KK */
	size_t need = nk * (sizeof(uint64_t) + sizeof(struct hh_acc) +
	                    (in_order ? sizeof(uint32_t) : 0));
	if (need > max_bytes)
		return ANGKA_OK;
	size_t side_max = (max_bytes - need) / sizeof(struct hh_side);
	enum angka_err rc = ANGKA_OK;
	uint32_t ng = nk > 1 ? (uint32_t)nk - 1 : 0;
	uint32_t *order = NULL;   /* order[k]: the id of the k-th No KK */
	if (in_order && ng) {
		order = angka_xmalloc(ng * sizeof *order);
		struct dedup_keysort ks;
		dedup_keysort_init(&ks, nk, x->s->tmpdir);
		for (uint32_t id = 1; id < nk && rc == ANGKA_OK; id++)
			rc = dedup_keysort_add(&ks, x->kks.v[id], id, e);
		struct rank_ctx rk = { order, 0 };
		if (rc == ANGKA_OK)
			rc = dedup_keysort_groups(&ks, UINT32_MAX, rank_one, &rk,
			                          e);
		dedup_keysort_release(&ks);
		if (rc != ANGKA_OK) {
			free(order);
			return rc;
		}
	}
	uint64_t *w0 = angka_xcalloc(nk ? nk : 1, sizeof *w0);
	struct hh_acc *acc = angka_xcalloc(nk ? nk : 1, sizeof *acc);
	struct hh_side *side = NULL;
	size_t nside = 0, sidecap = 0;
	const struct dedup_rec *rec = x->rec;
	for (uint32_t i = 0; i < x->n; i++) {
		const struct dedup_rec *r = &rec[i];
		__builtin_prefetch(&rec[i + 32 < x->n ? i + 32 : i]);
		uint32_t kk = r->kk;
		if (!kk)
			continue;
		/* A person: the row survives its cluster. */
		uint32_t slot = rec[r->parent].cslot;
		if (slot && x->cl[slot - 1].surv != i)
			continue;
		struct hh_acc *a = &acc[kk];
		a->n++;
		a->heads += r->head;
		uint64_t w = dedup_rec_wil(r);
		if (!(w % 10000))
			continue;
		uint64_t f = w0[kk] & ~HH_MULTI;
		if (!f) {
			w0[kk] = w;
			a->cnt0 = 1;
		} else if (f == w) {
			a->cnt0++;
		} else {
			if (nside == sidecap) {
				if (nside >= side_max)
					goto too_big;
				sidecap = sidecap ? 2 * sidecap : 1024;
				if (sidecap > side_max)
					sidecap = side_max;
				side = angka_xrealloc(side, sidecap * sizeof *side);
			}
			side[nside].wil = w;
			side[nside++].id = kk;
			w0[kk] |= HH_MULTI;
		}
	}
	/* The side list by id, then desa. */
	if (nside > 1)
		qsort(side, nside, sizeof *side, side_cmp);
	for (uint32_t k = 0; k < ng; k++) {
		uint32_t id = order ? order[k] : k + 1;
		/* In No KK order the ids are random: their counts, first
		 * desa and value are fetched ahead (perf: 40 % of the
		 * thread's time waited for acc[id] without). */
		if (order && k + 16 < ng) {
			uint32_t f = order[k + 16];
			__builtin_prefetch(&acc[f]);
			__builtin_prefetch(&w0[f]);
			__builtin_prefetch(&x->kks.v[f]);
		}
		/* Its desa's counts too (hh_emit: a table of 556,000 desa on
		 * 10M rows, a miss per household that the profile showed as
		 * most of hh_emit), once its first desa is in the cache: the
		 * slot of the household 8 ahead (a household in several desa
		 * may end in another: a wasted prefetch, nothing more). */
		if (k + 8 < ng && h->dccap) {
			uint32_t f = order ? order[k + 8] : k + 9;
			__builtin_prefetch(&h->dc[dc_home(h, (w0[f] & ~HH_MULTI) +
			                                  1)]);
		}
		const struct hh_acc *a = &acc[id];
		if (!a->n)
			continue;
		uint64_t best = w0[id] & ~HH_MULTI;
		int multi = (w0[id] & HH_MULTI) != 0;
		if (multi) {
			/* The entries of id: a binary search for the first. */
			size_t lo = 0, hi = nside;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (side[mid].id < id)
					lo = mid + 1;
				else
					hi = mid;
			}
			/* The desa on the most members (ties: the smaller
			 * code): the first desa's count against each run. */
			size_t best_n = a->cnt0;
			for (size_t s = lo; s < nside && side[s].id == id;) {
				size_t t = s;
				while (t < nside && side[t].id == id &&
				       side[t].wil == side[s].wil)
					t++;
				if (t - s > best_n ||
				    (t - s == best_n && side[s].wil < best)) {
					best_n = t - s;
					best = side[s].wil;
				}
				s = t;
			}
		}
		hh_emit(h, x->kks.v[id], a->n, a->heads, best, multi);
	}
	*done = 1;
too_big:
	free(order);
	free(w0);
	free(acc);
	free(side);
	return rc;
}

static int dc_cmp(const void *a, const void *b)
{
	const struct desa_count *x = a, *y = b;
	return (x->wil > y->wil) - (x->wil < y->wil);
}

/* dc[0..n) by code (distinct): three passes of 12 bits of a radix sort
 * (a code has 10 digits, under 2^34), not qsort's calls of dc_cmp (on
 * 10M rows 556,000 desa). */
static void dc_sort(struct desa_count *dc, size_t n)
{
	if (n < 256) {
		qsort(dc, n, sizeof *dc, dc_cmp);
		return;
	}
	int wide = 0;
	for (size_t i = 0; i < n && !wide; i++)
		wide = dc[i].wil >> 36 != 0;
	if (wide) {   /* not a code the region table knows: no matter */
		qsort(dc, n, sizeof *dc, dc_cmp);
		return;
	}
	struct desa_count *tmp = angka_xmalloc(n * sizeof *tmp);
	struct desa_count *a = dc, *b = tmp;
	for (int shift = 0; shift < 36; shift += 12) {
		size_t cnt[4097];
		memset(cnt, 0, sizeof cnt);
		for (size_t i = 0; i < n; i++)
			cnt[((a[i].wil >> shift) & 4095) + 1]++;
		for (size_t d = 1; d <= 4096; d++)
			cnt[d] += cnt[d - 1];
		for (size_t i = 0; i < n; i++)
			b[cnt[(a[i].wil >> shift) & 4095]++] = a[i];
		struct desa_count *t = a;
		a = b;
		b = t;
	}
	if (a != dc)
		memcpy(dc, a, n * sizeof *dc);
	free(tmp);
}

/* One field as the publication form writes it (csv_writer.c pub_field):
 * quoted if it holds the separator, a quote, CR or LF. The new length. */
static size_t hh_pub_field(char *out, size_t n, char sep, const char *s,
                           size_t len)
{
	int q = 0;
	for (size_t i = 0; i < len && !q; i++)
		q = s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!q) {
		memcpy(out + n, s, len);
		return n + len;
	}
	out[n++] = '"';
	for (size_t i = 0; i < len; i++) {
		out[n++] = s[i];
		if (s[i] == '"')
			out[n++] = '"';
	}
	out[n++] = '"';
	return n;
}

/*
 * The household counts per desa dc[0..n) (sorted, hid from
 * suppress_counts) into w, opened plain, in the publication form
 * (publish.h; csv_writer.c's pub_row gives the same bytes) built here
 * row by row: the columns are fixed, and rewriting each row in pub_row
 * (split, unquote, requote field by field) cost ~2,900 instructions a
 * row, 556,000 rows on 10 million persons, on the households thread
 * beside the unique rows. kode_wilayah dotted, nama_wilayah after it
 * with a region table, the dialect's separator and BOM (a workbook is
 * converted from RFC 4180); the counts are integers (no decimal comma).
 */
static void hh_counts_write(struct dedup_ctx *x, struct angka_csv_writer *w,
                            const struct desa_count *dc, size_t n,
                            const unsigned char *hid)
{
	const struct angka_region_table *reg = angka_publish_regions();
	enum angka_csv_dialect d = angka_xlsx_path(x->o->household_counts)
	                           ? ANGKA_CSV_RFC4180 : angka_publish_dialect();
	const char sep = d == ANGKA_CSV_EXCEL_ID ? ';' : ',';
	char note[96], qnote[200];
	snprintf(note, sizeof note, "disembunyikan: kurang dari %ld atau "
	         "membuka sel lain", x->s->min_cell);
	size_t qn = hh_pub_field(qnote, 0, sep, note, strlen(note));
	static const char *const hd[] = { "kode_wilayah", "nama_wilayah",
		"households", "persons", "catatan" };
	char row[1024];
	size_t k = 0;
	if (d == ANGKA_CSV_EXCEL_ID) {
		memcpy(row, "\xEF\xBB\xBF", 3);
		k = 3;
	}
	for (size_t c = 0; c < 5; c++) {
		if (c == 1 && !reg)
			continue;
		if (c)
			row[k++] = sep;
		k = hh_pub_field(row, k, sep, hd[c], strlen(hd[c]));
	}
	row[k++] = '\n';
	angka_csv_writer_rows_raw(w, row, k, 1);
	char *big = NULL;
	size_t bigcap = 0;
	for (size_t i = 0; i < n; i++) {
		const struct desa_count *t = &dc[i];
		const char *nama = "";
		char digits[24];
		size_t dl = t->wil ? dedup_put_dec(digits, t->wil, 10) : 0;
		digits[dl] = 0;
		if (reg && dl == 10) {
			const struct angka_region *r = angka_region_find(reg,
			                                                 digits);
			nama = r ? r->nama : "";
		}
		size_t nlen = strlen(nama);
		/* The longest row: a name all quotes doubled. */
		size_t need = 64 + 2 * nlen + 2 + qn;
		char *p = row;
		if (need > sizeof row) {
			if (need > bigcap) {
				bigcap = need;
				big = angka_xrealloc(big, bigcap);
			}
			p = big;
		}
		k = angka_region_dotted(digits, dl, p);
		if (!k) {
			memcpy(p, digits, dl);
			k = dl;
		}
		if (reg) {
			p[k++] = sep;
			k = hh_pub_field(p, k, sep, nama, nlen);
		}
		p[k++] = sep;
		if (!(hid[i] & 1))
			k += dedup_put_dec(p + k, t->households, 1);
		p[k++] = sep;
		if (!(hid[i] & 2))
			k += dedup_put_dec(p + k, t->persons, 1);
		p[k++] = sep;
		if (hid[i]) {
			memcpy(p + k, qnote, qn);
			k += qn;
		}
		p[k++] = '\n';
		angka_csv_writer_rows_raw(w, p, k, 1);
	}
	free(big);
}

enum angka_err dedup_households(struct dedup_ctx *x,
                                struct angka_csv_writer **hw,
                                struct angka_csv_writer **hc,
                                struct angka_error *e)
{
	*hw = *hc = NULL;
	struct hh_ctx h = { x, NULL, NULL, 0, 0, 0, NULL, 0, NULL, 0 };
	struct angka_csv_writer *wc = NULL;
	struct dedup_keysort own, *ks = &own;
	enum angka_err rc = ANGKA_OK;
	size_t cap = x->hh_sort_cap ? x->hh_sort_cap
	             : (size_t)(x->s->memory_mb * 1048576.0 /
	                        sizeof(struct dedup_kv) / 2);
	dedup_keysort_init(&own, cap, x->s->tmpdir);
	if (x->o->households) {
		rc = angka_csv_writer_open(&h.w, x->o->households,
		                           ANGKA_CSV_WRITER_PRIVATE, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		static const char *const hd[] = { "no_kk", "kode_wilayah",
			"n_persons", "n_heads", "flags" };
		angka_csv_writer_row(h.w, 5, hd);
	}
	int done = 0;
	rc = hh_by_id(x, cap * sizeof(struct dedup_kv), h.w != NULL, &h,
	              &done, e);
	for (uint32_t i = 0; !done && i < x->n && rc == ANGKA_OK; i++)
		if (x->rec[i].kk)
			rc = dedup_keysort_add(ks, x->kks.v[x->rec[i].kk], i, e);
	if (!done && rc == ANGKA_OK)
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
		dc_sort(h.dc, k);
		if ((rc = dedup_publish_regions(x, e)) != ANGKA_OK)
			goto cleanup;
		rc = angka_csv_writer_open(&wc, x->o->household_counts, 0, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		unsigned char *hid = angka_xcalloc(h.ndc ? h.ndc : 1, 1);
		suppress_counts(h.dc, h.ndc, x->s->min_cell, hid);
		hh_counts_write(x, wc, h.dc, h.ndc, hid);
		free(hid);
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
	free(h.mem);
	free(h.wil);
	return rc;
}
