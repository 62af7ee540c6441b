/*
 * block.c - angka-dedup's blocking pass: the exact-NIK pass and the blocking
 * rules as jobs on the pass threads, each sorting its rows by key and
 * pairing the rows of each block; the exact NIK groups are joined at once,
 * the other pairs joined in rule order, cut at max_pairs and made distinct.
 */
#include "ctx.h"
#include "keysort.h"
#include "jaro.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* One step of the blocking-key hash: a multiply-xorshift, which spreads
 * every input bit over the high bytes the radix sort splits on. Keys only
 * have to be equal for equal inputs; the cluster ids use FNV-1a. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 31);
}

/* Largest block whose pairs stay within max_pairs_per_block. */
static size_t block_cap(long max_pairs)
{
	size_t n = 2;
	while ((double)(n + 1) * (double)n / 2.0 <= (double)max_pairs)
		n++;
	return n;
}

/*
 * The key functions of the rules: the key of row r (name0: the first byte
 * of its nama_kunci, 0 if none) for window w of its rule, from the job's
 * seed h; 0 if r has no key. Rows with equal keys form a block.
 */

#define NIK_WINDOWS 5   /* nik_near's 4-digit windows */

/* nik_near: the NIK with window w masked, and the name's first letter. */
static inline uint64_t key_nik_near(uint64_t nik, uint64_t name0, uint64_t h,
                                    int w)
{
	if (!nik)
		return 0;
	/* Mask the 4-digit window at digit 3w (from the left): the
	 * windows 0-3, 3-6, 6-9, 9-12, 12-15 hold every single digit
	 * and every pair of neighbouring digits (a typo, a swap). */
	static const uint64_t pow10[NIK_WINDOWS] = {
		1000000000000ULL, 1000000000ULL, 1000000ULL, 1000ULL, 1ULL
	};
	uint64_t p10 = pow10[w];
	uint64_t low = nik % p10;
	uint64_t high = nik / (p10 * 10000);
	/* Plus the name's first letter: serials are small numbers, so
	 * a window over the birth date alone would block everyone of a
	 * kecamatan born on the same day of any month together. */
	return mix(mix(mix(h, high), low), name0) | 1;
}

static inline uint64_t key_dob_sex_kec(const struct dedup_rec *r,
                                       uint64_t name0, uint64_t h, int w)
{
	(void)name0;
	(void)w;
	if (r->dob == DEDUP_NODATE || !r->sex || !dedup_rec_wil(r))
		return 0;
	return mix(mix(mix(h, (uint64_t)(uint32_t)r->dob), r->sex),
	           dedup_rec_wil(r) / 10000) | 1;
}

static inline uint64_t key_name_dob(const struct dedup_rec *r, uint64_t name0,
                                    uint64_t h, int w)
{
	(void)name0;
	(void)w;
	if (!r->name || r->dob == DEDUP_NODATE)
		return 0;
	return mix(mix(h, r->name), (uint64_t)(uint32_t)r->dob) | 1;
}

static inline uint64_t key_name_desa_year(const struct dedup_rec *r,
                                          uint64_t name0, uint64_t h, int w)
{
	(void)name0;
	(void)w;
	uint64_t wil = dedup_rec_wil(r);
	if (!r->name || !wil || r->dob == DEDUP_NODATE)
		return 0;
	/* 365.2425-day years are close enough for a blocking key;
	 * the birth year shifts only at the very year's edges. */
	int64_t year = ((int64_t)r->dob * 400) / 146097;
	return mix(mix(mix(h, r->name), wil), (uint64_t)year) | 1;
}

/* name_kk: the name key and the No KK, for the rows the other rules cannot
 * reach (neither NIK nor birth date: a family member listed twice). */
static inline uint64_t key_name_kk(const struct dedup_rec *r, uint64_t name0,
                                   uint64_t h, int w)
{
	(void)name0;
	(void)w;
	if (!r->name || !r->kk)
		return 0;
	return mix(mix(h, r->name), r->kk) | 1;
}

/* dob_sex_kab: birth date, sex and kabupaten (the first 4 digits of
 * kode_wilayah): a person who moved to another kecamatan, the name
 * perhaps spelt otherwise. */
static inline uint64_t key_dob_sex_kab(const struct dedup_rec *r,
                                       uint64_t name0, uint64_t h, int w)
{
	(void)name0;
	(void)w;
	if (r->dob == DEDUP_NODATE || !r->sex || !dedup_rec_wil(r))
		return 0;
	return mix(mix(mix(h, (uint64_t)(uint32_t)r->dob), r->sex),
	           dedup_rec_wil(r) / 1000000) | 1;
}

/* name_desa: the name key and the desa, for rows with neither NIK nor
 * birth date whose No KK differs or is missing (name_kk reaches the
 * others). */
static inline uint64_t key_name_desa(const struct dedup_rec *r,
                                     uint64_t name0, uint64_t h, int w)
{
	(void)name0;
	(void)w;
	uint64_t wil = dedup_rec_wil(r);
	if (!r->name || !wil)
		return 0;
	return mix(mix(h, r->name), wil) | 1;
}

/*
 * Pair filters: whether rows a and b of one block are a pair of the rule
 * (NULL in block_rules: every pair). They keep the pairs no earlier rule
 * finds and that may merge.
 */
typedef int block_pair_fn(const struct dedup_rec *a, const struct dedup_rec *b);

/* Movers: two kecamatan (one kecamatan is dob_sex_kec's), and a row
 * without NIK (two NIKs are nik_near's or never one person). */
static int pair_dob_sex_kab(const struct dedup_rec *a,
                            const struct dedup_rec *b)
{
	return dedup_rec_wil(a) / 10000 != dedup_rec_wil(b) / 10000 &&
	       (!a->nik || !b->nik);
}

/* A row with neither NIK nor birth date: the other rules reach it only
 * through its No KK. */
static int pair_name_desa(const struct dedup_rec *a, const struct dedup_rec *b)
{
	return (!a->nik && a->dob == DEDUP_NODATE) ||
	       (!b->nik && b->dob == DEDUP_NODATE);
}

/*
 * What the key functions read: the records, the first byte of each row's
 * name key and, for the NIK rules (exact_nik, nik_near's five windows),
 * the NIKs on their own (nikv: 8 bytes a row, the NIK with BLOCK_NIK_VALID
 * set if valid), so that these six passes read 9 bytes a row instead of
 * the 48-byte record: streaming rec[] was most of their time.
 */
struct block_src {
	const struct dedup_rec *rec;
	const uint8_t *name0;
	const uint64_t *nikv;        /* NULL: no NIK rule runs */
};

/* A NIK has 16 digits (dedup_parse_nik: below 10^16 < 2^54), so the top
 * bit of nikv's entries is free for its validity. */
#define BLOCK_NIK_VALID ((uint64_t)1 << 63)

/* The keys of rows i0..i0+n into key[0..n): one call per batch of rows
 * through the rule table, the key function inlined into the loop. */
typedef void block_keys_fn(const struct block_src *src, uint32_t i0,
                           uint32_t n, uint64_t h, int w, uint64_t *key);
#define BLOCK_KEYS(fn)                                                      \
static void fn##_keys(const struct block_src *src, uint32_t i0,            \
                      uint32_t n, uint64_t h, int w, uint64_t *key)         \
{                                                                           \
	const struct dedup_rec *rec = src->rec + i0;                        \
	const uint8_t *name0 = src->name0 + i0;                             \
	for (uint32_t t = 0; t < n; t++)                                    \
		key[t] = fn(&rec[t], name0[t], h, w);                       \
}
BLOCK_KEYS(key_dob_sex_kec)
BLOCK_KEYS(key_name_dob)
BLOCK_KEYS(key_name_desa_year)
BLOCK_KEYS(key_name_kk)
BLOCK_KEYS(key_dob_sex_kab)
BLOCK_KEYS(key_name_desa)

/* exact_nik: the valid NIK itself (the exact pass groups equal NIKs). */
static void key_exact_nik_keys(const struct block_src *src, uint32_t i0,
                               uint32_t n, uint64_t h, int w, uint64_t *key)
{
	(void)h;
	(void)w;
	const uint64_t *v = src->nikv + i0;
	for (uint32_t t = 0; t < n; t++)
		key[t] = v[t] & BLOCK_NIK_VALID ? v[t] & ~BLOCK_NIK_VALID : 0;
}

/* nik_near's keys with the window a constant in each loop: the division
 * and remainder by its power of ten become multiplications (a 64-bit
 * division per row and window was 7 % of the whole run). */
static void key_nik_near_keys(const struct block_src *src, uint32_t i0,
                              uint32_t n, uint64_t h, int w, uint64_t *key)
{
	const uint64_t *v = src->nikv + i0;
	const uint8_t *name0 = src->name0 + i0;
#define NIK_NEAR_WINDOW(W)                                                  \
	case W:                                                             \
		for (uint32_t t = 0; t < n; t++)                            \
			key[t] = key_nik_near(v[t] & ~BLOCK_NIK_VALID,      \
			                      name0[t], h, W);              \
		break;
	switch (w) {
	NIK_NEAR_WINDOW(0)
	NIK_NEAR_WINDOW(1)
	NIK_NEAR_WINDOW(2)
	NIK_NEAR_WINDOW(3)
	default:   /* the last window, 4 */
		for (uint32_t t = 0; t < n; t++)
			key[t] = key_nik_near(v[t] & ~BLOCK_NIK_VALID,
			                      name0[t], h, 4);
	}
#undef NIK_NEAR_WINDOW
}
_Static_assert(NIK_WINDOWS == 5, "one NIK_NEAR_WINDOW case per window");

/*
 * The blocking rules, one row per value of enum dedup_rule (dedup.h), in
 * its order: the name printed and written in duplicates.csv and
 * review.csv, the keys (a key function above, through BLOCK_KEYS) and the
 * number of windows: a rule runs as one job per window w = 0, 1, ... (the
 * key function sees w). The jobs are generated from this table, row after
 * row, and their pairs joined in that order: a pair keeps the first rule
 * that found it, and max_pairs cuts the later rules first.
 *
 * The exact NIK pass is the first row and a single job: its groups are
 * joined before any scoring, its pairs never scored.
 *
 * Adding a rule: a value in enum dedup_rule before DEDUP_NRULES, its key
 * function above with its BLOCK_KEYS line, and its row here.
 */
struct block_rule {
	const char *name;
	block_keys_fn *keys;
	int windows;
	block_pair_fn *pair_ok;   /* NULL: every pair of a block */
	int pair_no_nik;          /* pair_ok needs a row without NIK */
};

static const struct block_rule block_rules[] = {
	[DEDUP_RULE_EXACT_NIK] = { "exact_nik", key_exact_nik_keys, 1 },
	[DEDUP_RULE_NIK_NEAR] = { "nik_near", key_nik_near_keys, NIK_WINDOWS },
	[DEDUP_RULE_DOB_SEX_KEC] = { "dob_sex_kec", key_dob_sex_kec_keys, 1 },
	[DEDUP_RULE_NAME_DOB] = { "name_dob", key_name_dob_keys, 1 },
	[DEDUP_RULE_NAME_DESA_YEAR] = { "name_desa_year",
	                                key_name_desa_year_keys, 1 },
	[DEDUP_RULE_NAME_KK] = { "name_kk", key_name_kk_keys, 1 },
	[DEDUP_RULE_DOB_SEX_KAB] = { "dob_sex_kab", key_dob_sex_kab_keys, 1,
	                             pair_dob_sex_kab, 1 },
	[DEDUP_RULE_NAME_DESA] = { "name_desa", key_name_desa_keys, 1,
	                           pair_name_desa, 1 },
};
_Static_assert(sizeof block_rules / sizeof block_rules[0] == DEDUP_NRULES,
               "one row of block_rules per enum dedup_rule value");
_Static_assert(DEDUP_RULE_EXACT_NIK == 0,
               "the exact NIK pass is the first job");

const char *dedup_rule_name(int rule)
{
	if (rule == DEDUP_RULE_DECISION)
		return "keputusan";
	return rule >= 0 && rule < DEDUP_NRULES ? block_rules[rule].name : "";
}

/*
 * One pass (a rule's window: the exact NIK pass, a blocking rule, one of
 * nik_near's NIK windows) as a job for the pass threads: each job sorts
 * its own keys and collects its own pairs, counts and warnings, which
 * dedup_blocking then joins in job order, so the result (and the max_pairs
 * cut) is that of one thread. The jobs only read the records.
 */
struct block_job {
	struct dedup_ctx *x;
	int rule, w;
	size_t job;                  /* its index among every rule's windows */
	block_keys_fn *keys;         /* block_rules[rule].keys */
	uint64_t seed;               /* h of the key functions */
	size_t sort_cap;             /* entries in memory before a spill */
	struct dedup_pair *pairs;
	size_t npairs, alloc;
	int capped;                  /* stopped at max_pairs */
	uint64_t skipped;            /* oversized blocks */
	size_t nwarn, warn_alloc;
	size_t *warn_rows;           /* sizes of the first max_warnings
	                              * oversized blocks */
	uint64_t runs;
	size_t buf_bytes;
	uint64_t groups;             /* exact: NIKs with several rows */
	struct dedup_pair *spairs;   /* exact: pairs of shared NIKs, scored */
	size_t nspairs, salloc;
	uint32_t *frows;             /* exact: rows flagged, with their bits
	                              * in fbits */
	uint8_t *fbits;
	size_t nfrows, falloc;
	double secs;                 /* wall time of the job (-v) */
	int pre;                     /* pairs[].cell holds block_verdicts'
	                              * BLOCK_DROP_* */
	int nik_src;                 /* its keys come from block_src.nikv */
	unsigned shard_k, shard_n;   /* keys of shard shard_k only (n 0: all) */
	enum angka_err rc;
	struct angka_error e;
};

static void push_pair(struct dedup_pair **v, size_t *n, size_t *alloc,
                      uint32_t a, uint32_t b, int rule)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 4096;
		*v = angka_xrealloc(*v, *alloc * sizeof **v);
	}
	struct dedup_pair *p = &(*v)[(*n)++];
	p->a = a;
	p->b = b;
	p->score = 0;
	p->rule = (uint8_t)rule;
}

static void flag_row(struct block_job *j, uint32_t row, uint8_t bits)
{
	if (j->nfrows == j->falloc) {
		j->falloc = j->falloc ? 2 * j->falloc : 64;
		j->frows = angka_xrealloc(j->frows, j->falloc * sizeof *j->frows);
		j->fbits = angka_xrealloc(j->fbits, j->falloc * sizeof *j->fbits);
	}
	j->frows[j->nfrows] = row;
	j->fbits[j->nfrows++] = bits;
}

/* Rows a and b of one NIK are two people: their names (Jaro-Winkler of
 * the name keys) under DEDUP_NAME_MIN, or, unless names_only, their sexes
 * or birth dates differ (both known). */
static int nik_conflict(const struct dedup_ctx *x, uint32_t a, uint32_t b,
                        int names_only)
{
	const struct dedup_rec *ra = &x->rec[a], *rb = &x->rec[b];
	if (ra->name && rb->name && ra->name != rb->name) {
		size_t la, lb;
		const char *na = dedup_intern_str(&x->names, ra->name, &la);
		const char *nb = dedup_intern_str(&x->names, rb->name, &lb);
		if (dedup_jaro_winkler(na, la, nb, lb) < DEDUP_NAME_MIN)
			return 1;
	}
	if (names_only)
		return 0;
	if (ra->sex && rb->sex && ra->sex != rb->sex)
		return 1;
	return ra->dob != DEDUP_NODATE && rb->dob != DEDUP_NODATE &&
	       dedup_date_agreement(ra->dob, rb->dob,
	                            x->s->date_tolerance_days) ==
	       DEDUP_DATE_DIFF;
}

/*
 * Exact pass: the rows of one valid NIK are one person (every row paired
 * with the first), unless they conflict:
 *   - more than placeholder_rows rows, a name conflicting with the first
 *     row's: a placeholder, the NIK is no NIK for these rows
 *     (nik_placeholder);
 *   - up to placeholder_rows rows, any two conflicting in name, sex or
 *     birth date: several people share the NIK; none is folded by it, each
 *     is flagged nik_shared, and every pair of the group is scored (rule
 *     exact_nik: merged if it scores as one person, else sent to review).
 */
static int exact_group(void *ctx, uint64_t key, const uint32_t *ids,
                       size_t nstored, size_t ntotal)
{
	struct block_job *j = ctx;
	const struct dedup_ctx *x = j->x;
	(void)key;
	(void)ntotal;
	if (nstored < 2)
		return 0;
	int conflict = 0;
	if (nstored > (size_t)x->s->placeholder_rows) {
		for (size_t i = 1; i < nstored && !conflict; i++)
			conflict = nik_conflict(x, ids[0], ids[i], 1);
		if (conflict) {
			for (size_t i = 0; i < nstored; i++)
				flag_row(j, ids[i], DEDUP_F_NIK_PLACEHOLDER);
			return 0;
		}
	} else {
		for (size_t i = 0; i < nstored && !conflict; i++)
			for (size_t k = i + 1; k < nstored && !conflict; k++)
				conflict = nik_conflict(x, ids[i], ids[k], 0);
		if (conflict) {
			for (size_t i = 0; i < nstored; i++) {
				flag_row(j, ids[i], DEDUP_F_NIK_SHARED);
				for (size_t k = i + 1; k < nstored; k++)
					push_pair(&j->spairs, &j->nspairs,
					          &j->salloc, ids[i], ids[k],
					          DEDUP_RULE_EXACT_NIK);
			}
			return 0;
		}
	}
	j->groups++;
	for (size_t i = 1; i < nstored; i++)
		push_pair(&j->pairs, &j->npairs, &j->alloc, ids[0], ids[i],
		          DEDUP_RULE_EXACT_NIK);
	return 0;
}

static int block_group(void *ctx, uint64_t key, const uint32_t *ids,
                       size_t nstored, size_t ntotal)
{
	struct block_job *j = ctx;
	const struct dedup_ctx *x = j->x;
	(void)key;
	if (ntotal < 2)
		return 0;
	double pairs = (double)ntotal * (double)(ntotal - 1) / 2.0;
	if (pairs > (double)x->s->max_pairs_per_block) {
		if (j->nwarn < (size_t)x->s->max_warnings) {
			if (j->nwarn == j->warn_alloc) {
				j->warn_alloc = j->warn_alloc ? 2 * j->warn_alloc
				                              : 16;
				j->warn_rows = angka_xrealloc(j->warn_rows,
				        j->warn_alloc * sizeof *j->warn_rows);
			}
			j->warn_rows[j->nwarn++] = ntotal;
		}
		j->skipped++;
		return 0;
	}
	block_pair_fn *ok = block_rules[j->rule].pair_ok;
	/* A block of a mover rule whose rows all have a NIK has no pair:
	 * one look at each row instead of pair_ok on every pair. */
	if (block_rules[j->rule].pair_no_nik) {
		size_t i = 0;
		while (i < nstored && x->rec[ids[i]].nik)
			i++;
		if (i == nstored)
			return 0;
	}
	for (size_t i = 0; i < nstored; i++) {
		for (size_t k = i + 1; k < nstored; k++) {
			uint32_t a = ids[i], b = ids[k];
			if (ok && !ok(&x->rec[a], &x->rec[b]))
				continue;
			/* Rows of one valid NIK are one person already (the
			 * exact pass joins them), unless the NIK turns out to
			 * be shared or a placeholder: dedup_blocking drops
			 * those pairs then, when it knows. */
			if (j->npairs >= (size_t)x->s->max_pairs) {
				j->capped = 1;
				return 0;
			}
			if (j->npairs == j->alloc) {
				j->alloc = j->alloc ? j->alloc * 2 : 4096;
				j->pairs = angka_xrealloc(j->pairs,
				        j->alloc * sizeof *j->pairs);
			}
			struct dedup_pair *p = &j->pairs[j->npairs++];
			p->a = a;
			p->b = b;
			p->rule = (uint8_t)j->rule;
		}
	}
	return 0;
}

/* The shard of a blocking key (--shard): a block is in one shard. The
 * exact pass's keys are NIKs, so they are mixed first. */
static unsigned block_shard_of(uint64_t key, unsigned n)
{
	return (unsigned)(((key * 0xc4ceb9fe1a85ec53ULL) >> 32) % n);
}

/*
 * A pass keeps only the rows whose key may occur twice: a first scan marks
 * each key's bucket in a "seen" and a "seen again" bit array (2^b buckets,
 * 3 to 6 per row); a key whose bucket was seen once is alone, and its row
 * cannot be in any pair. Most keys are alone (a NIK window, a birth date
 * with a name), so the sort gets a few per cent of the rows instead of all
 * of them. A shared bucket only keeps a row that is alone: the groups are
 * exactly those of sorting everything.
 */
/*
 * A rule whose pairs need a row without NIK (block_rules[].pair_no_nik)
 * has pairs only in the blocks that hold such a row: a first scan puts
 * the keys of the rows without NIK in a hash set (exact 64-bit keys, open
 * addressing), a second adds every row whose key is in the set to the
 * sort, so each of those blocks is sorted whole (its size, the oversized
 * cut and its warning as before) and the other blocks, which can give no
 * pair, are never sorted (nor counted as oversized).
 */
static int no_nik_set_add(uint64_t **set, size_t *mask, size_t *used,
                          uint64_t key)
{
	if (2 * (*used + 1) > *mask + 1) {
		size_t ncap = 2 * (*mask + 1);
		uint64_t *n = angka_xcalloc(ncap, sizeof *n);
		for (size_t i = 0; i <= *mask; i++) {
			uint64_t k = (*set)[i];
			if (!k)
				continue;
			size_t h = (size_t)((k * 0xff51afd7ed558ccdULL) >> 32);
			while (n[h & (ncap - 1)])
				h++;
			n[h & (ncap - 1)] = k;
		}
		free(*set);
		*set = n;
		*mask = ncap - 1;
	}
	size_t h = (size_t)((key * 0xff51afd7ed558ccdULL) >> 32);
	for (;; h++) {
		uint64_t *slot = &(*set)[h & *mask];
		if (*slot == key)
			return 0;
		if (!*slot) {
			*slot = key;
			(*used)++;
			return 1;
		}
	}
}

static int no_nik_set_has(const uint64_t *set, size_t mask, uint64_t key)
{
	for (size_t h = (size_t)((key * 0xff51afd7ed558ccdULL) >> 32);; h++) {
		uint64_t k = set[h & mask];
		if (k == key)
			return 1;
		if (!k)
			return 0;
	}
}

/* The set takes its bytes from the job's sort budget (a run spills
 * sooner if rows without NIK are many). */
static enum angka_err block_no_nik_rows(struct block_job *j,
                                        const struct block_src *src,
                                        struct dedup_keysort *ks)
{
	struct dedup_ctx *x = j->x;
	enum angka_err rc = ANGKA_OK;
	size_t mask = 1023, used = 0;
	uint64_t *set = angka_xcalloc(mask + 1, sizeof *set);
	enum { BATCH = 64 };
	uint64_t kb[BATCH];
	for (uint32_t i = 0; i < x->n; i++) {
		if (x->rec[i].nik)
			continue;
		j->keys(src, i, 1, j->seed, j->w, kb);
		if (kb[0] && (!j->shard_n ||
		    block_shard_of(kb[0], j->shard_n) == j->shard_k))
			no_nik_set_add(&set, &mask, &used, kb[0]);
	}
	size_t set_entries = (mask + 1) * sizeof *set / sizeof *ks->buf;
	if (ks->cap > set_entries + 64)
		ks->cap -= set_entries;
	else
		ks->cap = 64;
	for (uint32_t i0 = 0; i0 < x->n && used && rc == ANGKA_OK;
	     i0 += BATCH) {
		uint32_t nb = x->n - i0 < BATCH ? x->n - i0 : BATCH;
		j->keys(src, i0, nb, j->seed, j->w, kb);
		for (uint32_t t = 0; t < nb && rc == ANGKA_OK; t++)
			if (kb[t] && no_nik_set_has(set, mask, kb[t]))
				rc = dedup_keysort_add(ks, kb[t], i0 + t, &j->e);
	}
	j->buf_bytes = ks->buf_alloc * sizeof *ks->buf +
	               (mask + 1) * sizeof *set;
	free(set);
	return rc;
}

/* A pass thread's arrays, kept from one job to the next: fresh ones for
 * every job cost a page fault per 4 KiB each time (expensive in a VM), and
 * allocated in huge pages (dedup_alloc_huge): the first job of each thread
 * faulted them in 4 KiB at a time, which made it 2.5 times as long as the
 * others (exact_nik 1.29 s, nik_near 1.35 s against 0.52 s on 10M rows). */
struct block_scratch {
	uint64_t *bits;
	size_t nbits;                /* words */
	uint32_t *g;                 /* x->n key hashes (block_pass) */
	struct dedup_kv *buf;        /* the sort buffer */
	size_t buf_alloc;
};

/* ks takes the scratch sort buffer (dedup_keysort_add grows it). */
static void scratch_lend(struct block_scratch *sc, struct dedup_keysort *ks)
{
	ks->buf = sc->buf;
	ks->buf_alloc = sc->buf_alloc;
	sc->buf = NULL;
	sc->buf_alloc = 0;
}

/* The sort buffer back from ks, which is released. */
static void scratch_keep(struct block_scratch *sc, struct dedup_keysort *ks)
{
	sc->buf = ks->buf;
	sc->buf_alloc = ks->buf_alloc;
	ks->buf = NULL;
	ks->buf_alloc = 0;
	dedup_keysort_release(ks);
}

#define BLOCK_BATCH 64

/* A key's 32-bit hash for the filter, 0 for none (the filter only has to
 * give equal keys equal hashes). */
static inline uint32_t block_g(uint64_t k)
{
	uint32_t g = (uint32_t)((k * 0xff51afd7ed558ccdULL) >> 32);
	return g ? g : 1;
}

/* The line of hash g in a filter of 2^lb 64-byte lines and its two marks
 * in the line: words p1, p2 and bits b1, b2, chosen by multiplier m (one
 * per filter, so that two keys alike in one are not alike in the other). */
static inline uint64_t *block_marks(uint64_t *bits, int lb, uint32_t g,
                                    uint32_t m, uint64_t **p2, uint64_t *b1,
                                    uint64_t *b2)
{
	uint64_t *line = &bits[(size_t)(g >> (32 - lb)) * 8];
	uint32_t hw = g * m;
	*p2 = &line[(hw >> 20) & 7];
	*b1 = (uint64_t)1 << ((hw >> 23) & 63);
	*b2 = (uint64_t)1 << ((hw >> 14) & 63);
	return &line[hw >> 29];
}

#define BLOCK_SEEN_M 0x9e3779b1u     /* the seen filter's multiplier */
#define BLOCK_AGAIN_M 0x85ebca6bu    /* the again filter's */

/* The hashes of the keys of rows [i0, i0 + BLOCK_BATCH) (fewer at the
 * end) into g[0..], 0 for a row without key (or of another shard), their
 * lines prefetched. */
static void block_batch(const struct block_job *j, const struct block_src *src,
                        const uint64_t *bits, int lb, uint32_t i0,
                        uint32_t *g)
{
	const struct dedup_ctx *x = j->x;
	uint64_t k[BLOCK_BATCH];
	uint32_t nb = x->n - i0 < BLOCK_BATCH ? x->n - i0 : BLOCK_BATCH;
	j->keys(src, i0, nb, j->seed, j->w, k);
	for (uint32_t t = 0; t < nb; t++) {
		uint32_t h = 0;
		if (k[t] && (!j->shard_n ||
		    block_shard_of(k[t], j->shard_n) == j->shard_k))
			h = block_g(k[t]);
		g[t] = h;
		__builtin_prefetch(&bits[(size_t)(h >> (32 - lb)) * 8]);
	}
}

static void block_pass(struct block_job *j, const struct block_src *src,
                       struct block_scratch *sc)
{
	struct dedup_ctx *x = j->x;
	if (!j->keys)
		return;
	struct dedup_keysort ks;
	dedup_keysort_init(&ks, j->sort_cap, x->s->tmpdir);
	scratch_lend(sc, &ks);
	enum angka_err rc = ANGKA_OK;
	if (block_rules[j->rule].pair_no_nik) {
		rc = block_no_nik_rows(j, src, &ks);
		if (rc == ANGKA_OK)
			rc = dedup_keysort_groups(&ks,
			        block_cap(x->s->max_pairs_per_block),
			        block_group, j, &j->e);
		j->runs = dedup_keysort_runs(&ks);
		scratch_keep(sc, &ks);
		j->rc = rc;
		return;
	}
	/* Two filters of 64-byte lines, in which a key marks two bits of
	 * one line (one cache miss). The first scan marks every key in
	 * the "seen" filter (2^b bits, 6 to 12 per row) and, if both its
	 * bits were marked already, in the "again" filter (2^a bits, 1.5
	 * to 3 per row); the second keeps the rows whose key has both bits
	 * in the again filter. A key that occurs twice always is kept (its
	 * second row finds the bits of its first); an alone key only if
	 * other keys marked its bits in both filters, a few per cent of
	 * the rows. The second scan reads only the again filter, small
	 * enough for the cache: when the second scan read the seen-again
	 * bits of one 16 MiB filter (twice the L3), a miss to memory on
	 * nearly every row of both scans was most of every job. */
	int b = 12, a = 12;
	while (b < 35 && ((uint64_t)1 << b) < (uint64_t)x->n * 6)
		b++;
	while (a < 33 && ((uint64_t)1 << a) < (uint64_t)x->n * 3 / 2)
		a++;
	size_t words = ((size_t)1 << b) / 64;   /* the seen filter */
	size_t awords = ((size_t)1 << a) / 64;  /* the again filter */
	if (sc->nbits < words + awords) {
		free(sc->bits);
		sc->bits = dedup_alloc_huge((words + awords) * sizeof *sc->bits);
		sc->nbits = words + awords;
	}
	memset(sc->bits, 0, (words + awords) * sizeof *sc->bits);
	uint64_t *bits = sc->bits, *again = sc->bits + words;
	const int lb = b - 9, la = a - 9;       /* 2^lb, 2^la lines */
	/* The NIK rules read their keys from nikv, 8 bytes a row: their
	 * second scan computes them again rather than keep the hashes in g
	 * (4 bytes a row per thread), so nikv and the threads' g are not
	 * held at once. */
	int keep_g = !j->nik_src;
	uint32_t ring[2][BLOCK_BATCH];
	if (keep_g && !sc->g)
		sc->g = dedup_alloc_huge((x->n ? x->n : 1) * sizeof *sc->g);
	uint32_t *g = sc->g;
#define BATCH_G(i0) (keep_g ? g + (i0) : ring[((i0) / BLOCK_BATCH) & 1])
	/* The first scan computes the keys, keeps their hashes in g and
	 * marks them; in batches, as the seen filter does not fit the
	 * cache: the lines of the next batch are prefetched while this one
	 * is marked. */
	if (x->n)
		block_batch(j, src, bits, lb, 0, BATCH_G(0));
	for (uint32_t i0 = 0; i0 < x->n; i0 += BLOCK_BATCH) {
		uint32_t nb = x->n - i0 < BLOCK_BATCH ? x->n - i0 : BLOCK_BATCH;
		if (x->n - i0 > BLOCK_BATCH)
			block_batch(j, src, bits, lb, i0 + BLOCK_BATCH,
			            BATCH_G(i0 + BLOCK_BATCH));
		const uint32_t *gb = BATCH_G(i0);
		for (uint32_t t = 0; t < nb; t++) {
			if (!gb[t])
				continue;
			uint64_t *p2, b1, b2;
			uint64_t *p1 = block_marks(bits, lb, gb[t], BLOCK_SEEN_M,
			                           &p2, &b1, &b2);
			int seen = (*p1 & b1) && (*p2 & b2);
			*p1 |= b1;
			*p2 |= b2;
			if (seen) {
				p1 = block_marks(again, la, gb[t], BLOCK_AGAIN_M,
				                 &p2, &b1, &b2);
				*p1 |= b1;
				*p2 |= b2;
			}
		}
	}
	/* The second scan of a NIK rule: the hashes again, a batch ahead. */
	if (!keep_g && x->n)
		block_batch(j, src, again, la, 0, BATCH_G(0));
	for (uint32_t i0 = 0; !keep_g && i0 < x->n && rc == ANGKA_OK;
	     i0 += BLOCK_BATCH) {
		uint32_t nb = x->n - i0 < BLOCK_BATCH ? x->n - i0 : BLOCK_BATCH;
		if (x->n - i0 > BLOCK_BATCH)
			block_batch(j, src, again, la, i0 + BLOCK_BATCH,
			            BATCH_G(i0 + BLOCK_BATCH));
		const uint32_t *gb = BATCH_G(i0);
		for (uint32_t t = 0; t < nb && rc == ANGKA_OK; t++) {
			if (!gb[t])
				continue;
			uint64_t *p2, b1, b2;
			uint64_t *p1 = block_marks(again, la, gb[t], BLOCK_AGAIN_M,
			                           &p2, &b1, &b2);
			if ((*p1 & b1) && (*p2 & b2)) {
				uint64_t k;
				j->keys(src, i0 + t, 1, j->seed, j->w, &k);
				rc = dedup_keysort_add(&ks, k, i0 + t, &j->e);
			}
		}
	}
#undef BATCH_G
	/* The second reads the hashes only (4 bytes a row, not the record)
	 * and computes the key again for the few rows it keeps. */
	for (uint32_t i = 0; keep_g && i < x->n && rc == ANGKA_OK; i++) {
		if (i + BLOCK_BATCH < x->n)
			__builtin_prefetch(&again[(size_t)(g[i + BLOCK_BATCH] >>
			                                   (32 - la)) * 8]);
		if (!g[i])
			continue;
		uint64_t *p2, b1, b2;
		uint64_t *p1 = block_marks(again, la, g[i], BLOCK_AGAIN_M,
		                           &p2, &b1, &b2);
		if ((*p1 & b1) && (*p2 & b2)) {
			uint64_t k;
			j->keys(src, i, 1, j->seed, j->w, &k);
			rc = dedup_keysort_add(&ks, k, i, &j->e);
		}
	}
	j->buf_bytes = ks.buf_alloc * sizeof *ks.buf +
	               (words + awords) * sizeof *bits +
	               (keep_g ? (size_t)x->n * sizeof *g : 0);
	if (rc == ANGKA_OK && j->rule == DEDUP_RULE_EXACT_NIK)
		rc = dedup_keysort_groups(&ks, UINT32_MAX, exact_group, j,
		                          &j->e);
	else if (rc == ANGKA_OK)
		rc = dedup_keysort_groups(&ks, block_cap(x->s->max_pairs_per_block),
		                          block_group, j, &j->e);
	j->runs = dedup_keysort_runs(&ks);
	scratch_keep(sc, &ks);
	j->rc = rc;
}

struct block_pool {
	struct block_job *jobs;  /* the passes */
	size_t njobs;
	const struct block_src *src;
	size_t next;
	pthread_mutex_t lock;
	uint64_t *nikv;          /* src->nikv, freed by the thread that
	                          * ends the last job reading it */
	size_t nik_left;         /* jobs reading it not ended yet */
};

#define JOIN_AHEAD 16   /* pairs between a prefetch and its use */

/* Append pair p of job j to x->pairs after the `*take` pairs the job has
 * added so far (its cell cleared); 0, with the job marked capped, when
 * max_pairs is reached. */
static int join_take(struct dedup_ctx *x, struct block_job *j,
                     const struct dedup_pair *p, size_t *take)
{
	if (x->npairs + *take >= (size_t)x->s->max_pairs) {
		j->capped = 1;
		return 0;
	}
	struct dedup_pair *q = &x->pairs[x->npairs + (*take)++];
	*q = *p;
	q->cell = 0;
	return 1;
}

/*
 * What block_join drops a pair for, as the records are when the job ends,
 * noted in the pair's cell (unused until the scoring) by the pass thread
 * that ran it: its rows share a valid NIK (the exact pass joins them, or
 * scores them as a shared NIK), or a nik_near pair has a row without NIK.
 * Only the exact pass's placeholder NIKs change a NIK before the join;
 * then the join looks at the records itself, else it goes by these
 * verdicts. The rows of a pair are anywhere in rec[]: two cache misses a
 * pair, which on one thread after the jobs (2.1 million pairs on 10
 * million rows) were a large part of the blocking pass.
 */
enum { BLOCK_DROP_SAME_NIK = 1, BLOCK_DROP_NO_NIK = 2 };

static void block_verdicts(struct block_job *j)
{
	const struct dedup_rec *rec = j->x->rec;
	const int near = j->rule == DEDUP_RULE_NIK_NEAR;
	for (size_t i = 0; i < j->npairs; i++) {
		if (i + JOIN_AHEAD < j->npairs) {
			const struct dedup_pair *q = &j->pairs[i + JOIN_AHEAD];
			__builtin_prefetch(&rec[q->a]);
			__builtin_prefetch(&rec[q->b]);
		}
		struct dedup_pair *p = &j->pairs[i];
		const struct dedup_rec *a = &rec[p->a], *b = &rec[p->b];
		p->cell = (uint16_t)(
		        (a->nik_valid && b->nik_valid && a->nik == b->nik ?
		         BLOCK_DROP_SAME_NIK : 0) |
		        (near && (!a->nik || !b->nik) ? BLOCK_DROP_NO_NIK : 0));
	}
	j->pre = 1;
}

static void *block_worker(void *arg)
{
	struct block_pool *bp = arg;
	struct block_scratch sc = { NULL, 0, NULL, NULL, 0 };
	for (;;) {
		pthread_mutex_lock(&bp->lock);
		size_t k = bp->next++;
		pthread_mutex_unlock(&bp->lock);
		if (k >= bp->njobs)
			break;
		double t0 = dedup_now();
		block_pass(&bp->jobs[k], bp->src, &sc);
		bp->jobs[k].secs = dedup_now() - t0;
		if (bp->jobs[k].nik_src) {
			pthread_mutex_lock(&bp->lock);
			uint64_t *done = --bp->nik_left ? NULL : bp->nikv;
			bp->nikv = done ? NULL : bp->nikv;
			pthread_mutex_unlock(&bp->lock);
			free(done);
		}
		if (bp->jobs[k].rule != DEDUP_RULE_EXACT_NIK &&
		    !bp->jobs[k].x->o->pairs_out)
			block_verdicts(&bp->jobs[k]);
	}
	free(sc.bits);
	free(sc.g);
	free(sc.buf);
	return NULL;
}

/* The byte d of pair p's sort key: d 0-3 the bytes of b from the lowest,
 * 4-7 those of a, 8 the rule. */
static inline unsigned pair_digit(const struct dedup_pair *p, int d)
{
	return d < 4 ? (p->b >> (8 * d)) & 0xFF :
	       d < 8 ? (p->a >> (8 * (d - 4))) & 0xFF : p->rule;
}

/*
 * Sort v[0..n) by (a, b, rule), stably: an LSD radix sort, a byte per
 * pass from the rule up to a's highest byte, with one scan counting
 * every byte first; a byte the same in every pair (the high bytes of
 * rows below 2^24, the rule of pairs already in rule order) costs no
 * pass. The order is that of a stable comparison sort on (a, b, rule)
 * (qsort's merge sort was most of the join: 1.4 million pairs on 10
 * million rows), with scratch of the same size as the merge sort's.
 */
static void pairs_sort(struct dedup_pair *v, size_t n)
{
	enum { DIGITS = 9 };
	if (n < 2)
		return;
	size_t (*cnt)[256] = angka_xcalloc(DIGITS, sizeof *cnt);
	for (size_t i = 0; i < n; i++)
		for (int d = 0; d < DIGITS; d++)
			cnt[d][pair_digit(&v[i], d)]++;
	struct dedup_pair *tmp = angka_xmalloc(n * sizeof *tmp);
	struct dedup_pair *src = v, *dst = tmp;
	static const int order[DIGITS] = { 8, 0, 1, 2, 3, 4, 5, 6, 7 };
	for (int k = 0; k < DIGITS; k++) {
		int d = order[k];
		if (cnt[d][pair_digit(&src[0], d)] == n)
			continue;   /* one value: the pass would change nothing */
		size_t pos[256], sum = 0;
		for (int c = 0; c < 256; c++) {
			pos[c] = sum;
			sum += cnt[d][c];
		}
		for (size_t i = 0; i < n; i++)
			dst[pos[pair_digit(&src[i], d)]++] = src[i];
		struct dedup_pair *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof *v);
	free(tmp);
	free(cnt);
}

/*
 * Join the jobs' results in job order: the exact NIK groups joined in rec[],
 * shared and placeholder NIKs flagged, the other pairs filtered, cut at
 * max_pairs and made distinct in x->pairs. Frees the jobs' arrays (not
 * jobs itself).
 */
static enum angka_err block_join(struct dedup_ctx *x, struct block_job *jobs,
                                 size_t njobs, size_t nthreads,
                                 struct angka_error *e)
{
	/* Join in pass order. */
	enum angka_err rc = ANGKA_OK;
	size_t total = 0, bufs = 0;
	for (size_t k = 0; k < njobs; k++) {
		struct block_job *j = &jobs[k];
		if (j->rc != ANGKA_OK && rc == ANGKA_OK) {
			*e = j->e;
			rc = j->rc;
		}
		total += j->npairs;
		if (j->buf_bytes > bufs)
			bufs = j->buf_bytes;   /* the largest pass */
		x->st->runs_spilled += j->runs;
	}
	dedup_note_bytes(x, bufs * nthreads +
	              total * sizeof *x->pairs);
	if (rc != ANGKA_OK)
		goto out;
	/* Exact NIK groups: one person, before any scoring. */
	x->exact_groups = jobs[0].groups;
	for (size_t i = 0; i < jobs[0].npairs; i++) {
		const struct dedup_pair *p = &jobs[0].pairs[i];
		if (x->dec) {
			/* A beda decision splits the group: the refused pair
			 * is scored like a shared NIK's (review unless it is
			 * the decided pair itself). */
			uint32_t ra = dedup_uf_find(x->rec, p->a);
			uint32_t rb = dedup_uf_find(x->rec, p->b);
			if (ra != rb && dedup_cannot_join(x, ra, rb)) {
				x->st->beda_refused++;
				dedup_rflag_add(x, p->a, DEDUP_F_NIK_SHARED);
				dedup_rflag_add(x, p->b, DEDUP_F_NIK_SHARED);
				push_pair(&jobs[0].spairs, &jobs[0].nspairs,
				          &jobs[0].salloc, p->a, p->b,
				          DEDUP_RULE_EXACT_NIK);
				continue;
			}
			dedup_uf_union(x->rec, p->a, p->b);
			dedup_decisions_joined(x, ra, rb,
			                       dedup_uf_find(x->rec, p->a));
		} else {
			dedup_uf_union(x->rec, p->a, p->b);
		}
		x->rec[p->a].rule = x->rec[p->b].rule = DEDUP_RULE_EXACT_NIK;
		x->rec[p->a].score = x->rec[p->b].score = DEDUP_SCORE_UNITS_MAX;
	}
	/* Shared and placeholder NIKs: flagged; a placeholder is no NIK from
	 * here on (scoring, clusters). */
	size_t placeholders = 0;
	for (size_t i = 0; i < jobs[0].nfrows; i++) {
		uint32_t r = jobs[0].frows[i];
		if (jobs[0].fbits[i] & DEDUP_F_NIK_PLACEHOLDER) {
			placeholders++;
			x->rec[r].nik = 0;
			x->rec[r].nik_valid = 0;
			x->st->nik_placeholder++;
		} else {
			x->st->nik_shared++;
		}
		dedup_rflag_add(x, r, jobs[0].fbits[i]);
	}
	dedup_rflags_sort(x);
	total -= jobs[0].npairs;
	total += jobs[0].nspairs;
	x->pairs = angka_xrealloc(x->pairs, (total ? total : 1) * sizeof *x->pairs);
	x->npairs_alloc = total ? total : 1;
	/* The pairs of shared NIKs first: they are scored under exact_nik. */
	if (jobs[0].nspairs)
		memcpy(x->pairs, jobs[0].spairs,
		       jobs[0].nspairs * sizeof *jobs[0].spairs);
	x->npairs = jobs[0].nspairs;
	for (size_t k = 1; k < njobs; k++) {
		struct block_job *j = &jobs[k];
		x->st->blocks_skipped[j->rule] += j->skipped;
		for (size_t i = 0; i < j->nwarn && !x->o->quiet &&
		     x->warnings < x->s->max_warnings; i++) {
			x->warnings++;
			size_t n = j->warn_rows[i];
			angka_warn("warning: rule %s: a block of %zu rows (%.0f "
			           "pairs) exceeds max_pairs_per_block %ld; "
			           "skipped", dedup_rule_name(j->rule), n,
			           (double)n * (double)(n - 1) / 2.0,
			           x->s->max_pairs_per_block);
		}
		/* Pairs of one valid NIK are joined (or, shared, scored under
		 * exact_nik) already; a nik_near pair of a row whose NIK
		 * turned out to be a placeholder was found on no evidence. */
		size_t take = 0;
		/* The verdicts of block_verdicts hold while no NIK turned
		 * out to be a placeholder. */
		int pre = j->pre && !placeholders;
		for (size_t i = 0; pre && i < j->npairs; i++) {
			const struct dedup_pair *p = &j->pairs[i];
			if (p->cell)
				continue;
			if (!join_take(x, j, p, &take))
				break;
		}
		for (size_t i = 0; !pre && i < j->npairs; i++) {
			/* The rows of a pair are anywhere in rec[]: those of
			 * a pair further on are fetched while this one is
			 * looked at (a cache miss each, one thread). */
			if (i + JOIN_AHEAD < j->npairs) {
				const struct dedup_pair *q = &j->pairs[i + JOIN_AHEAD];
				__builtin_prefetch(&x->rec[q->a]);
				__builtin_prefetch(&x->rec[q->b]);
			}
			const struct dedup_pair *p = &j->pairs[i];
			const struct dedup_rec *a = &x->rec[p->a], *b = &x->rec[p->b];
			if (a->nik_valid && b->nik_valid && a->nik == b->nik)
				continue;
			if (j->rule == DEDUP_RULE_NIK_NEAR && (!a->nik || !b->nik))
				continue;
			if (!join_take(x, j, p, &take))
				break;
		}
		if (j->capped && !x->pairs_capped) {
			if (!x->o->quiet)
				angka_warn("warning: %ld candidate pairs reached "
				           "(max_pairs); further pairs from rule "
				           "%s on are dropped", x->s->max_pairs,
				           dedup_rule_name(j->rule));
			x->pairs_capped = 1;
			x->capped_rule = j->rule;
		}
		x->npairs += take;
		x->st->pairs[j->rule] += take;
		/* After the cut the later passes still count their skipped
		 * blocks and warn, as one thread would. */
	}
	/* One entry per distinct pair, with the first rule that found it. */
	pairs_sort(x->pairs, x->npairs);
	size_t k = 0;
	for (size_t i = 0; i < x->npairs; i++)
		if (!k || x->pairs[i].a != x->pairs[k - 1].a ||
		    x->pairs[i].b != x->pairs[k - 1].b)
			x->pairs[k++] = x->pairs[i];
	x->npairs = k;
	x->st->pairs_distinct = k;
out:
	for (size_t j = 0; j < njobs; j++) {
		free(jobs[j].pairs);
		free(jobs[j].warn_rows);
		free(jobs[j].spairs);
		free(jobs[j].frows);
		free(jobs[j].fbits);
	}
	return rc;
}

/*
 * The shards' work plan: a shard does not run every job on its share of
 * the keys (then each shard computes every rule's key for every row, and
 * N shards cost N times one pass) but owns whole cells, a cell being a
 * job (a rule's window) on one partition of its keys. Job j is cut into
 * P_j = ceil(cost_j N / total) partitions (1 for most jobs while N is
 * below the number of jobs), so each key is computed by one shard for a
 * job of one partition, and the cells are dealt to the shards longest
 * first, each to the least loaded shard (ties: the lowest), by the
 * relative cost of the jobs measured on the 10M-row extract (a cell of a
 * cut job costs cost_j / P_j). The plan depends on N only: the merge
 * makes it again and checks that every cell came once, from its shard.
 */
#define BLOCK_MAXJOBS 16
_Static_assert(NIK_WINDOWS + DEDUP_NRULES - 1 <= BLOCK_MAXJOBS,
               "every job (nik_near's windows, one for each other rule) "
               "in a plan");

/* Relative CPU cost of a job (its wall seconds x 100 in one process on
 * 10M rows, 2026-12-05); only the balance of the shards depends on it. */
static uint64_t block_job_cost(int rule, int w)
{
	switch (rule) {
	case DEDUP_RULE_EXACT_NIK: return 133;
	case DEDUP_RULE_NIK_NEAR: return w == 0 ? 134 : 47;
	case DEDUP_RULE_NAME_DOB: return 84;
	case DEDUP_RULE_DOB_SEX_KAB:
	case DEDUP_RULE_NAME_DESA: return 20;
	default: return 44;
	}
}

struct block_plan {
	size_t njobs;
	int rule[BLOCK_MAXJOBS], w[BLOCK_MAXJOBS];
	unsigned nparts[BLOCK_MAXJOBS];
	size_t base[BLOCK_MAXJOBS + 1];   /* job j's cells: base[j].. */
	unsigned *owner;                  /* the shard of each cell */
};

struct plan_cell {
	uint64_t cost;
	size_t cell;
};

static int plan_cell_cmp(const void *pa, const void *pb)
{
	const struct plan_cell *a = pa, *b = pb;
	if (a->cost != b->cost)
		return a->cost > b->cost ? -1 : 1;
	return (a->cell > b->cell) - (a->cell < b->cell);
}

/* The plan of n shards into p (p->owner allocated). */
static void block_plan_make(struct block_plan *p, unsigned n)
{
	uint64_t total = 0;
	p->njobs = 0;
	for (int r = 0; r < DEDUP_NRULES; r++)
		for (int w = 0; w < block_rules[r].windows; w++) {
			p->rule[p->njobs] = r;
			p->w[p->njobs++] = w;
			total += block_job_cost(r, w);
		}
	size_t ncells = 0;
	for (size_t j = 0; j < p->njobs; j++) {
		uint64_t c = block_job_cost(p->rule[j], p->w[j]);
		uint64_t np = (c * n + total - 1) / total;
		p->nparts[j] = np ? (unsigned)np : 1;
		p->base[j] = ncells;
		ncells += p->nparts[j];
	}
	p->base[p->njobs] = ncells;
	p->owner = angka_xmalloc(ncells * sizeof *p->owner);
	/* The cells by cost, the highest first (ties: in cell order). */
	struct plan_cell *cells = angka_xmalloc(ncells * sizeof *cells);
	for (size_t j = 0; j < p->njobs; j++)
		for (size_t c = p->base[j]; c < p->base[j + 1]; c++) {
			cells[c].cost = block_job_cost(p->rule[j], p->w[j]) *
			                4096 / p->nparts[j];
			cells[c].cell = c;
		}
	qsort(cells, ncells, sizeof *cells, plan_cell_cmp);
	/* A min-heap of the shards by (load, shard). */
	uint64_t *load = angka_xcalloc(n, sizeof *load);
	unsigned *heap = angka_xmalloc(n * sizeof *heap);
	for (unsigned k = 0; k < n; k++)
		heap[k] = k;   /* all loads 0: ordered by shard */
#define PLAN_LESS(a, b) (load[a] < load[b] || (load[a] == load[b] && (a) < (b)))
	for (size_t i = 0; i < ncells; i++) {
		unsigned k = heap[0];
		p->owner[cells[i].cell] = k;
		load[k] += cells[i].cost;
		/* Sift the root down. */
		size_t at = 0;
		for (;;) {
			size_t l = 2 * at + 1, m = at;
			if (l < n && PLAN_LESS(heap[l], heap[m]))
				m = l;
			if (l + 1 < n && PLAN_LESS(heap[l + 1], heap[m]))
				m = l + 1;
			if (m == at)
				break;
			unsigned t = heap[at];
			heap[at] = heap[m];
			heap[m] = t;
			at = m;
		}
	}
#undef PLAN_LESS
	free(heap);
	free(load);
	free(cells);
}

/* What the cells of shard k of n read of a row beyond its NIK, birth
 * date, sex, region and first name byte (DEDUP_SHARD_*, ctx.h): the
 * name ids for the rules keyed on the name and the exact pass (which
 * compares the names of a NIK's rows), the No KK ids for name_kk. A
 * shard loading its recs (recs.c) interns only those. */
unsigned dedup_shard_needs(unsigned k, unsigned n)
{
	struct block_plan p;
	unsigned need = 0;
	block_plan_make(&p, n);
	for (size_t j = 0; j < p.njobs; j++)
		for (size_t c = p.base[j]; c < p.base[j + 1]; c++) {
			if (p.owner[c] != k)
				continue;
			switch (p.rule[j]) {
			case DEDUP_RULE_NAME_KK:
				need |= DEDUP_SHARD_KK;
				/* fall through */
			case DEDUP_RULE_EXACT_NIK:
			case DEDUP_RULE_NAME_DOB:
			case DEDUP_RULE_NAME_DESA_YEAR:
			case DEDUP_RULE_NAME_DESA:
				need |= DEDUP_SHARD_NAMES;
				break;
			default:
				break;
			}
		}
	free(p.owner);
	return need;
}

/*
 * Sharded blocking (--shard K/N --pairs-out, then --merge-pairs): each
 * shard runs the cells of the plan (block_plan_make) that are its own and
 * writes what the join needs, as CSV rows of integers (row numbers, never
 * a NIK or a name):
 *   angka-dedup-pairs,3,N,K,ROWS,FINGERPRINT   first row
 *   x,JOB,PART,PARTS  a cell: job JOB (0..) on partition PART of its keys
 *                     of PARTS; the rows below up to the next x are its
 *   e,A,B      an exact NIK pair (a group's first row and another)
 *   s,A,B      a pair of a shared NIK (scored under exact_nik)
 *   f,ROW,BITS a row flagged nik_shared or nik_placeholder
 *   g,GROUPS   exact NIK groups of several rows
 *   p,A,B,RULE a candidate pair of a blocking rule
 *   k,RULE,N   blocks of the rule skipped (max_pairs_per_block)
 *   c,RULE     the rule's job stopped at max_pairs
 *   end,ROWS   the number of rows above (a whole file)
 * The merge feeds them to block_join as one job per rule: a block is in
 * one cell, the exact pairs are put back in the order of one process
 * (NIK, then rows) and the other pairs are sorted and made distinct by
 * block_join, so its result is that of one process. Only the max_pairs
 * cut depends on the order of pairs within a job: the merge refuses a run
 * that reaches max_pairs.
 */

/* Of the input the shards and the merge read: rows and their keys
 * (those every shard loads: a shard interns the names and No KK only if
 * its cells use them, dedup_shard_needs). */
static uint64_t block_fingerprint(const struct dedup_ctx *x)
{
	uint64_t h = mix(0x6661726d70727433ULL, x->n);
	for (uint32_t i = 0; i < x->n; i++) {
		const struct dedup_rec *r = &x->rec[i];
		h = mix(h, r->nik);
		h = mix(h, (uint64_t)(uint32_t)r->dob ^ ((uint64_t)r->line << 32));
	}
	return h;
}

static void shard_row(struct angka_csv_writer *w, uint64_t *rows,
                      const char *tag, int nv, uint64_t a, uint64_t b,
                      uint64_t c)
{
	uint64_t v[3] = { a, b, c };
	angka_csv_writer_str(w, tag);
	for (int i = 0; i < nv; i++)
		angka_csv_writer_long(w, (long long)v[i]);
	angka_csv_writer_end_row(w);
	(*rows)++;
}

static enum angka_err block_write_shard(struct dedup_ctx *x,
                                        struct block_job *jobs, size_t njobs,
                                        struct angka_error *e)
{
	enum angka_err rc = ANGKA_OK;
	struct angka_csv_writer *w = NULL;
	for (size_t k = 0; k < njobs && rc == ANGKA_OK; k++)
		if (jobs[k].rc != ANGKA_OK) {
			*e = jobs[k].e;
			rc = jobs[k].rc;
		}
	if (rc == ANGKA_OK)
		rc = angka_csv_writer_open(&w, x->o->pairs_out,
		                           ANGKA_CSV_WRITER_PRIVATE, e);
	if (rc == ANGKA_OK) {
		char fp[24];
		snprintf(fp, sizeof fp, "%016llx",
		         (unsigned long long)block_fingerprint(x));
		angka_csv_writer_str(w, "angka-dedup-pairs");
		angka_csv_writer_long(w, 3);
		angka_csv_writer_long(w, x->o->shard_n);
		angka_csv_writer_long(w, x->o->shard_k);
		angka_csv_writer_long(w, x->n);
		angka_csv_writer_str(w, fp);
		angka_csv_writer_end_row(w);
		uint64_t rows = 0;
		for (size_t k = 0; k < njobs; k++) {
			const struct block_job *j = &jobs[k];
			uint64_t v[3] = { j->job, j->shard_n ? j->shard_k : 0,
			                  j->shard_n ? j->shard_n : 1 };
			angka_csv_writer_str(w, "x");
			for (int i = 0; i < 3; i++)
				angka_csv_writer_long(w, (long long)v[i]);
			angka_csv_writer_end_row(w);
			rows++;
			if (j->rule == DEDUP_RULE_EXACT_NIK) {
				shard_row(w, &rows, "g", 1, j->groups, 0, 0);
				for (size_t i = 0; i < j->npairs; i++)
					shard_row(w, &rows, "e", 2, j->pairs[i].a,
					          j->pairs[i].b, 0);
				for (size_t i = 0; i < j->nspairs; i++)
					shard_row(w, &rows, "s", 2, j->spairs[i].a,
					          j->spairs[i].b, 0);
				for (size_t i = 0; i < j->nfrows; i++)
					shard_row(w, &rows, "f", 2, j->frows[i],
					          j->fbits[i], 0);
				continue;
			}
			for (size_t i = 0; i < j->npairs; i++)
				shard_row(w, &rows, "p", 3, j->pairs[i].a,
				          j->pairs[i].b, (uint64_t)j->rule);
			if (j->skipped)
				shard_row(w, &rows, "k", 2, (uint64_t)j->rule,
				          j->skipped, 0);
			if (j->capped)
				shard_row(w, &rows, "c", 1, (uint64_t)j->rule, 0,
				          0);
		}
		shard_row(w, &rows, "end", 1, rows, 0, 0);
		rc = angka_csv_writer_commit(w, e);
		w = NULL;
	}
	for (size_t k = 0; k < njobs; k++) {
		free(jobs[k].pairs);
		free(jobs[k].warn_rows);
		free(jobs[k].spairs);
		free(jobs[k].frows);
		free(jobs[k].fbits);
	}
	return rc;
}

static void job_push(struct block_job *j, int shared, uint32_t a, uint32_t b,
                     int rule)
{
	if (shared)
		push_pair(&j->spairs, &j->nspairs, &j->salloc, a, b, rule);
	else
		push_pair(&j->pairs, &j->npairs, &j->alloc, a, b, rule);
}

/* The exact pairs in one process's order: by NIK (the keys sorted), then
 * the group's first row, then the other row. */
static const struct dedup_ctx *exact_cmp_x;
static int exact_cmp(const void *pa, const void *pb)
{
	const struct dedup_pair *a = pa, *b = pb;
	uint64_t na = exact_cmp_x->rec[a->a].nik, nb = exact_cmp_x->rec[b->a].nik;
	if (na != nb)
		return na < nb ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->b > b->b) - (a->b < b->b);
}

/* The merge's reading of the pair files: the plan of their shard count
 * (from the first file), the shards and the cells seen. */
struct shard_merge {
	unsigned n;                  /* shards (0: no file read yet) */
	struct block_plan plan;
	unsigned char *seen;         /* per shard */
	unsigned char *cseen;        /* per cell of the plan */
	char fp[24];                 /* block_fingerprint of the input, hex:
	                              * computed once for every file */
};

/*
 * The rows of a pair file. A file written as block_write_shard writes
 * it (letters, digits, ',', '-' and line ends only, no empty line, short
 * lines) is split here, on a mapping, without the CSV reader: the rows,
 * fields and line numbers the reader gives on such a file, at a fraction
 * of its cost (the merge runs alone: its reading of the pair files is
 * wall time). Any other file (edited by hand, damaged, not a regular
 * file) goes through the reader, with its messages.
 */
#define PAIRS_LINE_MAX 255
#define PAIRS_FIELDS_MAX 8

struct pairs_src {
	struct angka_csv_reader *r;  /* the reader, or NULL: the mapping */
	const char *m;               /* the file, mapped */
	size_t size, pos;
	long line;
	char buf[PAIRS_LINE_MAX + 1];
	const char *field[PAIRS_FIELDS_MAX];
	size_t len[PAIRS_FIELDS_MAX];
	struct angka_csv_record rec;
};

/* 1 if m[0..size) is a pair file as block_write_shard writes it. */
static int pairs_plain(const char *m, size_t size)
{
	static unsigned char ok[256];
	if (!ok['0']) {
		for (int c = '0'; c <= '9'; c++)
			ok[c] = 1;
		for (int c = 'a'; c <= 'z'; c++)
			ok[c] = ok[c - 'a' + 'A'] = 1;
		ok[','] = ok['-'] = 1;
	}
	size_t len = 0, commas = 0;
	for (size_t i = 0; i < size; i++) {
		unsigned char c = (unsigned char)m[i];
		if (c == '\n') {
			if (!len)
				return 0;   /* an empty line */
			len = commas = 0;
			continue;
		}
		if (!ok[c] || ++len > PAIRS_LINE_MAX ||
		    (c == ',' && ++commas >= PAIRS_FIELDS_MAX))
			return 0;
	}
	return 1;
}

static enum angka_err pairs_open(struct pairs_src *s, const char *path,
                                 struct angka_error *e)
{
	memset(s, 0, sizeof *s);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size > 0 && (uint64_t)sb.st_size < SIZE_MAX) {
		void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE,
		               fd, 0);
		if (p != MAP_FAILED) {
			madvise(p, (size_t)sb.st_size, MADV_SEQUENTIAL);
			if (pairs_plain(p, (size_t)sb.st_size)) {
				s->m = p;
				s->size = (size_t)sb.st_size;
			} else {
				munmap(p, (size_t)sb.st_size);
			}
		}
	}
	if (fd >= 0)
		close(fd);
	if (s->m)
		return ANGKA_OK;
	struct angka_csv_opts copts = { .delim = ',',
	                                .encoding = ANGKA_ENC_UTF8 };
	return angka_csv_reader_open(&s->r, path, &copts, e);
}

/* The next row: 1, 0 at the end, -1 on an error (in *e). */
static int pairs_next(struct pairs_src *s, const struct angka_csv_record **rec,
                      struct angka_error *e)
{
	if (s->r)
		return angka_csv_reader_next(s->r, rec, e);
	if (s->pos >= s->size)
		return 0;
	const char *p = s->m + s->pos;
	const char *nl = memchr(p, '\n', s->size - s->pos);
	size_t len = nl ? (size_t)(nl - p) : s->size - s->pos;
	s->pos += len + (nl != NULL);
	memcpy(s->buf, p, len);   /* len <= PAIRS_LINE_MAX: pairs_plain */
	s->buf[len] = '\0';
	size_t nf = 0, start = 0;
	for (size_t i = 0; i <= len; i++)
		if (i == len || s->buf[i] == ',') {
			s->buf[i] = '\0';
			s->field[nf] = s->buf + start;
			s->len[nf++] = i - start;
			start = i + 1;
		}
	s->rec.nfields = nf;
	s->rec.field = s->field;
	s->rec.len = s->len;
	s->rec.line = ++s->line;
	s->rec.nlines = 1;
	*rec = &s->rec;
	return 1;
}

/* Closed; rc: the reading so far (a reader's close checks the end). */
static enum angka_err pairs_close(struct pairs_src *s, enum angka_err rc,
                                  struct angka_error *e)
{
	if (s->m)
		munmap((void *)s->m, s->size);
	s->m = NULL;
	if (!s->r)
		return rc;
	if (rc == ANGKA_OK)
		return angka_csv_reader_close(s->r, e);
	angka_csv_reader_free(s->r);
	return rc;
}

/* strtoull(f, end, 10) of field f of len bytes, without the locale
 * machinery for a plain number of up to 19 digits (no overflow). */
static unsigned long long pairs_num(const char *f, size_t len, char **end)
{
	if (len && len <= 19) {
		unsigned long long v = 0;
		size_t i = 0;
		while (i < len && f[i] >= '0' && f[i] <= '9')
			v = v * 10 + (unsigned)(f[i++] - '0');
		if (i == len) {
			*end = (char *)f + len;
			return v;
		}
	}
	return strtoull(f, end, 10);
}

/* Read one shard's pair file into the merge's jobs (one per rule). */
static enum angka_err block_read_shard(struct dedup_ctx *x, const char *path,
                                       struct block_job *jobs,
                                       struct shard_merge *m,
                                       struct angka_error *e)
{
	struct pairs_src *src = angka_xmalloc(sizeof *src);
	enum angka_err rc = pairs_open(src, path, e);
	if (rc != ANGKA_OK) {
		free(src);
		return rc;
	}
	const struct angka_csv_record *rec;
	uint64_t rows = 0, v[3];
	int got, ended = 0, have_header = 0;
	unsigned shard = 0;
	int cell_rule = -1;          /* the rule of the current cell */
	const char *fp = m->fp;
	while ((got = pairs_next(src, &rec, e)) > 0) {
		const char *tag = rec->field[0];
		int first = !have_header;
		have_header = 1;
		size_t nv = rec->nfields - 1, want;
		int bad = ended || nv > 5;
		for (size_t i = 0; i < nv && i < 3 && !bad; i++) {
			char *end;
			v[i] = pairs_num(rec->field[i + 1], rec->len[i + 1],
			                 &end);
			bad = !first && (*end || !rec->len[i + 1]);
		}
		if (first) {
			/* angka-dedup-pairs,3,N,K,ROWS,FINGERPRINT */
			unsigned long long h[4] = { 0, 0, 0, 0 };
			int ok = nv == 5 && !strcmp(tag, "angka-dedup-pairs");
			for (int i = 0; i < 4 && ok; i++) {
				char *end;
				h[i] = strtoull(rec->field[i + 1], &end, 10);
				ok = !*end && rec->len[i + 1];
			}
			if (!ok) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "%s:1: not a pair "
				               "file of angka-dedup --pairs-out",
				               path);
				break;
			}
			if (h[0] != 3) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "%s:1: a pair file "
				               "of version %llu (this angka-dedup "
				               "merges version 3): run the shards "
				               "again", path, h[0]);
				break;
			}
			if (h[3] != x->n || strcmp(rec->field[5], fp)) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "%s:1: the pairs "
				               "of another input (%llu rows; this "
				               "one has %lu)", path, h[3],
				               (unsigned long)x->n);
				break;
			}
			if (!m->n && h[1] >= 1 && h[1] <= 100000) {
				m->n = (unsigned)h[1];
				m->seen = angka_xcalloc(m->n, 1);
				block_plan_make(&m->plan, m->n);
				m->cseen = angka_xcalloc(
				        m->plan.base[m->plan.njobs], 1);
			}
			if (!m->n || h[1] != m->n || h[2] >= h[1]) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "%s:1: shard %llu/"
				               "%llu in a merge of %u shards", path,
				               h[2], h[1], m->n);
				break;
			}
			if (m->seen[h[2]]++) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "%s:1: shard %llu/"
				               "%llu given twice", path, h[2], h[1]);
				break;
			}
			shard = (unsigned)h[2];
			continue;
		}
		if (!strcmp(tag, "x")) {
			/* A cell of the plan, of this shard, not seen yet. */
			const struct block_plan *pl = &m->plan;
			if (bad || nv != 3 || v[0] >= pl->njobs ||
			    v[2] != pl->nparts[v[0]] || v[1] >= v[2] ||
			    pl->owner[pl->base[v[0]] + v[1]] != shard) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "%s:%ld: a cell "
				               "that is not shard %u's in the plan "
				               "of %u shards", path, rec->line,
				               shard, m->n);
				break;
			}
			if (m->cseen[pl->base[v[0]] + v[1]]++) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "%s:%ld: cell "
				               "%llu.%llu given twice", path,
				               rec->line, (unsigned long long)v[0],
				               (unsigned long long)v[1]);
				break;
			}
			cell_rule = pl->rule[v[0]];
			rows++;
			continue;
		}
		want = !strcmp(tag, "e") || !strcmp(tag, "s") ||
		       !strcmp(tag, "f") || !strcmp(tag, "k") ? 2 :
		       !strcmp(tag, "p") ? 3 :
		       !strcmp(tag, "g") || !strcmp(tag, "c") ||
		       !strcmp(tag, "end") ? 1 : 0;
		if (!bad && want == 2 && tag[0] != 'k' && tag[0] != 'f')
			bad = v[0] >= x->n || v[1] >= x->n;
		if (!bad && tag[0] == 'f')
			bad = v[0] >= x->n;
		if (!bad && (tag[0] == 'p' || tag[0] == 'k' || tag[0] == 'c'))
			bad = (tag[0] == 'p' ? (v[0] >= x->n || v[1] >= x->n ||
			       v[2] < 1 || v[2] >= DEDUP_NRULES ||
			       (int)v[2] != cell_rule) :
			       (v[0] < 1 || v[0] >= DEDUP_NRULES ||
			        (int)v[0] != cell_rule));
		/* The exact pass's rows in a cell of the exact job. */
		if (!bad && (!strcmp(tag, "e") || !strcmp(tag, "s") ||
		             !strcmp(tag, "f") || !strcmp(tag, "g")))
			bad = cell_rule != DEDUP_RULE_EXACT_NIK;
		if (bad || !want || nv != want) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "%s:%ld: bad row of a "
			               "pair file", path, rec->line);
			break;
		}
		if (!strcmp(tag, "end")) {
			if (v[0] != rows) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "%s:%ld: %llu rows, "
				               "the file says %llu", path,
				               rec->line, (unsigned long long)rows,
				               (unsigned long long)v[0]);
				break;
			}
			ended = 1;
			continue;
		}
		switch (tag[0]) {
		case 'e': job_push(&jobs[0], 0, (uint32_t)v[0], (uint32_t)v[1],
		                   DEDUP_RULE_EXACT_NIK); break;
		case 's': job_push(&jobs[0], 1, (uint32_t)v[0], (uint32_t)v[1],
		                   DEDUP_RULE_EXACT_NIK); break;
		case 'f': {
			struct block_job *j = &jobs[0];
			flag_row(j, (uint32_t)v[0], (uint8_t)v[1]);
			break;
		}
		case 'g': jobs[0].groups += v[0]; break;
		case 'p': job_push(&jobs[v[2]], 0, (uint32_t)v[0],
		                   (uint32_t)v[1], (int)v[2]); break;
		case 'k': jobs[v[0]].skipped += v[1]; break;
		case 'c': jobs[v[0]].capped = 1; break;
		}
		rows++;
	}
	if (got < 0)
		rc = e->code;
	if (rc == ANGKA_OK && !ended)
		rc = ANGKA_ERR(e, ANGKA_EDATA, "%s: %s", path, rows || got == 0 ?
		               "cut short (no end row)" : "empty");
	rc = pairs_close(src, rc, e);
	free(src);
	return rc;
}

enum angka_err dedup_blocking_merge(struct dedup_ctx *x, struct angka_error *e)
{
	/* One job per rule: the windows of a rule are one job here. */
	struct block_job *jobs = angka_xcalloc(DEDUP_NRULES, sizeof *jobs);
	for (int r = 0; r < DEDUP_NRULES; r++) {
		jobs[r].x = x;
		jobs[r].rule = r;
	}
	struct shard_merge m;
	memset(&m, 0, sizeof m);
	snprintf(m.fp, sizeof m.fp, "%016llx",
	         (unsigned long long)block_fingerprint(x));
	enum angka_err rc = ANGKA_OK;
	for (size_t i = 0; i < x->o->nmerge_pairs && rc == ANGKA_OK; i++)
		rc = block_read_shard(x, x->o->merge_pairs[i], jobs, &m, e);
	for (unsigned k = 0; k < m.n && rc == ANGKA_OK; k++)
		if (!m.seen[k])
			rc = ANGKA_ERR(e, ANGKA_EDATA, "--merge-pairs: shard "
			               "%u/%u missing", k, m.n);
	/* Every cell of the plan, once (a shard's file with a cell left
	 * out would lose its pairs). */
	for (size_t j = 0; m.n && j < m.plan.njobs && rc == ANGKA_OK; j++)
		for (size_t c = m.plan.base[j]; c < m.plan.base[j + 1]; c++)
			if (!m.cseen[c]) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "--merge-pairs: "
				               "cell %zu.%zu (rule %s) missing from "
				               "shard %u/%u", j, c - m.plan.base[j],
				               dedup_rule_name(m.plan.rule[j]),
				               m.plan.owner[c], m.n);
				break;
			}
	free(m.seen);
	free(m.cseen);
	free(m.plan.owner);
	free(x->name0);
	x->name0 = NULL;
	int capped = 0;
	for (int r = 0; r < DEDUP_NRULES; r++)
		capped |= jobs[r].capped;
	if (rc == ANGKA_OK && capped)
		rc = ANGKA_ERR(e, ANGKA_EDATA, "a shard reached max_pairs %ld: "
		               "a sharded run cannot cut where one process "
		               "would; raise max_pairs or run unsharded",
		               x->s->max_pairs);
	if (rc != ANGKA_OK) {
		for (int r = 0; r < DEDUP_NRULES; r++) {
			free(jobs[r].pairs);
			free(jobs[r].spairs);
			free(jobs[r].frows);
			free(jobs[r].fbits);
			free(jobs[r].warn_rows);
		}
		free(jobs);
		return rc;
	}
	exact_cmp_x = x;
	if (jobs[0].npairs)
		qsort(jobs[0].pairs, jobs[0].npairs, sizeof *jobs[0].pairs,
		      exact_cmp);
	size_t nthreads = (size_t)x->s->threads;
	rc = block_join(x, jobs, DEDUP_NRULES, nthreads ? nthreads : 1, e);
	if (rc == ANGKA_OK && x->pairs_capped)
		rc = ANGKA_ERR(e, ANGKA_EDATA, "max_pairs %ld reached: a sharded "
		               "run cannot cut where one process would; raise "
		               "max_pairs or run unsharded", x->s->max_pairs);
	free(jobs);
	return rc;
}

/* The NIKs of rows [from, to) into nikv (struct block_src). */
struct block_nikv {
	const struct dedup_ctx *x;
	uint64_t *nikv;
	uint32_t from, to;
};

static void *block_nikv_fill(void *arg)
{
	const struct block_nikv *h = arg;
	const struct dedup_rec *rec = h->x->rec;
	for (uint32_t i = h->from; i < h->to; i++)
		h->nikv[i] = rec[i].nik |
		             (rec[i].nik_valid ? BLOCK_NIK_VALID : 0);
	return NULL;
}

/*
 * The arrays the blocking, scoring and output passes read at random (a
 * pair's two records, their names, a household's No KK) in huge pages
 * before they start. They were filled as they grew by realloc, whose
 * mremap splits huge pages, and in this VM a random read of a 4 KiB page
 * costs microseconds: on 10 million rows, run side by side with and
 * without the collapse of rec[] under the same (heavy) load, the drop
 * verdicts of the blocking jobs (block_verdicts, 1.4 million pairs in
 * name_dob) took 17.9 s of CPU against 0.3 s, the blocking pass 32.1 s
 * against 5.2 s and the scoring 15.8 s against 3.3 s; the collapse
 * itself 0.07 s.
 */
static void block_collapse(struct dedup_ctx *x)
{
	dedup_hugepage_collapse(x->rec, (size_t)x->n * sizeof *x->rec);
	dedup_hugepage_collapse(x->names.arena, x->names.alen);
	dedup_hugepage_collapse(x->names.start,
	                        ((size_t)x->names.n + 1) *
	                        sizeof *x->names.start);
	dedup_hugepage_collapse(x->kks.v, (size_t)x->kks.n * sizeof *x->kks.v);
}

enum angka_err dedup_blocking(struct dedup_ctx *x, struct angka_error *e)
{
	block_collapse(x);
	/* The jobs: each rule's windows, in table order; a shard's are the
	 * cells of the plan it owns, in cell order (block_plan_make). */
	struct block_plan plan;
	memset(&plan, 0, sizeof plan);
	size_t njobs = 0;
	if (x->o->shard_n) {
		block_plan_make(&plan, x->o->shard_n);
		for (size_t c = 0; c < plan.base[plan.njobs]; c++)
			njobs += plan.owner[c] == x->o->shard_k;
	} else {
		for (int r = 0; r < DEDUP_NRULES; r++)
			njobs += (size_t)block_rules[r].windows;
	}
	struct block_job *jobs = angka_xcalloc(njobs ? njobs : 1, sizeof *jobs);
	size_t nthreads = (size_t)x->s->threads;
	if (nthreads > njobs)
		nthreads = njobs ? njobs : 1;
	/* The sort budget, shared by the pass threads, each of which also
	 * holds its bit arrays (at most 3 bytes per row) and its key hashes
	 * (4), counted. The
	 * households sort later, on their own (dedup_households). */
	size_t budget = dedup_sort_entries(x);
	size_t bits = ((size_t)x->n * 7 + 64) / sizeof(struct dedup_kv);
	size_t cap = budget / nthreads;
	cap = cap > bits + 64 ? cap - bits : 64;
	/* Rules whose pairs need a kind of row the input lacks are not run
	 * (no row without NIK: no mover pair; no row without NIK and birth
	 * date: no name_desa pair). Noted while reading: a scan of rec
	 * here missed the cache on every row. */
	int no_nik = x->no_nik, no_nik_dob = x->no_nik_dob;
	struct block_job *job = jobs;
	size_t jx = 0;
	for (int r = 0; r < DEDUP_NRULES; r++)
		for (int w = 0; w < block_rules[r].windows; w++, jx++) {
			unsigned np = x->o->shard_n ? plan.nparts[jx] : 1;
			for (unsigned part = 0; part < np; part++) {
				if (x->o->shard_n &&
				    plan.owner[plan.base[jx] + part] !=
				    x->o->shard_k)
					continue;
				job->x = x;
				job->rule = r;
				job->w = w;
				job->job = jx;
				job->keys = block_rules[r].keys;
				if ((r == DEDUP_RULE_DOB_SEX_KAB && !no_nik) ||
				    (r == DEDUP_RULE_NAME_DESA && !no_nik_dob))
					job->keys = NULL;   /* no pair possible */
				job->seed = mix(0x736f6d6570736575ULL,
				                (uint64_t)r * 16 + (uint64_t)w);
				job->sort_cap = cap;
				/* A job cut into parts keeps the keys of its
				 * part (1 part: all). */
				job->shard_k = np > 1 ? part : 0;
				job->shard_n = np > 1 ? np : 0;
				job++;
			}
		}
	free(plan.owner);
	/* The first byte of each row's name key, for the nik_near keys,
	 * noted while reading (x->name0), and the NIKs for the NIK rules'
	 * passes (struct block_src), taken from the sort budget. */
	struct block_src src = { x->rec, x->name0, NULL };
	uint64_t *nikv = NULL;
	size_t nik_jobs = 0;
	for (size_t k = 0; k < njobs; k++) {
		jobs[k].nik_src = jobs[k].keys && x->n &&
		                  (jobs[k].rule == DEDUP_RULE_EXACT_NIK ||
		                   jobs[k].rule == DEDUP_RULE_NIK_NEAR);
		nik_jobs += (size_t)jobs[k].nik_src;
	}
	if (nik_jobs) {
		nikv = dedup_alloc_huge((size_t)x->n * sizeof *nikv);
		/* Two halves on two threads: a stream of the 48-byte
		 * records, on one thread before any job could start. */
		struct block_nikv half[2] = { { x, nikv, 0, x->n / 2 },
		                              { x, nikv, x->n / 2, x->n } };
		pthread_t ntid;
		int two = nthreads > 1 && x->n >= 65536 &&
		          pthread_create(&ntid, NULL, block_nikv_fill,
		                         &half[1]) == 0;
		block_nikv_fill(&half[0]);
		if (two)
			pthread_join(ntid, NULL);
		else
			block_nikv_fill(&half[1]);
		src.nikv = nikv;
		size_t nv = (size_t)x->n * sizeof *nikv /
		            sizeof(struct dedup_kv) / nthreads;
		for (size_t k = 0; k < njobs; k++)
			jobs[k].sort_cap = jobs[k].sort_cap > nv + 64 ?
			                   jobs[k].sort_cap - nv : 64;
	}
	struct block_pool bp = { jobs, njobs, &src, 0,
	                         PTHREAD_MUTEX_INITIALIZER, nikv, nik_jobs };
	pthread_t *tid = angka_xmalloc(nthreads * sizeof *tid);
	size_t started = 0;
	for (; started + 1 < nthreads; started++)
		if (pthread_create(&tid[started], NULL, block_worker, &bp))
			break;   /* fewer threads: the jobs still all run */
	block_worker(&bp);
	for (size_t t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	if (nik_jobs) {
		size_t bufs = 0;
		for (size_t k = 0; k < njobs; k++)
			if (jobs[k].buf_bytes > bufs)
				bufs = jobs[k].buf_bytes;
		dedup_note_bytes(x, bufs * nthreads +
		                 (size_t)x->n * sizeof *nikv);
	}
	free(x->name0);
	x->name0 = NULL;
	if (x->o->verbose) {
		fprintf(stderr, "%s: blocking jobs (s):", angka_progname());
		for (size_t k = 0; k < njobs; k++)
			fprintf(stderr, " %s %.2f", dedup_rule_name(jobs[k].rule),
			        jobs[k].secs);
		fputc('\n', stderr);
	}

	enum angka_err rc = x->o->pairs_out ?
	        block_write_shard(x, jobs, njobs, e) :
	        block_join(x, jobs, njobs, nthreads, e);
	free(jobs);
	free(tid);
	return rc;
}

void dedup_print_candidates(const struct dedup_ctx *x)
{
	const struct dedup_stats *st = x->st;
	fprintf(stderr, "%s: candidate pairs per blocking rule (before "
	        "scoring): exact_nik %llu groups", angka_progname(),
	        (unsigned long long)x->exact_groups);
	for (int r = DEDUP_RULE_NIK_NEAR; r < DEDUP_NRULES; r++) {
		fprintf(stderr, ", %s %llu", dedup_rule_name(r),
		        (unsigned long long)st->pairs[r]);
		if (st->blocks_skipped[r])
			fprintf(stderr, " (%llu oversized blocks skipped)",
			        (unsigned long long)st->blocks_skipped[r]);
	}
	fprintf(stderr, "; distinct pairs %llu\n",
	        (unsigned long long)st->pairs_distinct);
}

enum angka_err dedup_check_degraded(const struct dedup_ctx *x,
                                    struct angka_error *e)
{
	const struct dedup_stats *st = x->st;
	char msg[768];
	size_t o = 0;
	msg[0] = '\0';
	if (x->pairs_capped) {
		o += (size_t)snprintf(msg + o, sizeof msg - o, "max_pairs %ld "
		                      "reached: rule %s cut short",
		                      x->s->max_pairs,
		                      dedup_rule_name(x->capped_rule));
		int later = 0;
		for (int r = x->capped_rule + 1; r < DEDUP_NRULES &&
		     o < sizeof msg; r++)
			o += (size_t)snprintf(msg + o, sizeof msg - o, "%s%s",
			                      later++ ? ", " : ", rules ",
			                      dedup_rule_name(r));
		if (later && o < sizeof msg)
			o += (size_t)snprintf(msg + o, sizeof msg - o,
			                      " got no pairs");
	}
	for (int r = DEDUP_RULE_NIK_NEAR; r < DEDUP_NRULES && o < sizeof msg; r++)
		if (st->blocks_skipped[r])
			o += (size_t)snprintf(msg + o, sizeof msg - o,
			                      "%srule %s: %llu blocks over "
			                      "max_pairs_per_block %ld skipped",
			                      o ? "; " : "", dedup_rule_name(r),
			                      (unsigned long long)st->blocks_skipped[r],
			                      x->s->max_pairs_per_block);
	if (!o)
		return ANGKA_OK;
	if (x->s->fail_on_cap)
		return ANGKA_ERR(e, ANGKA_EDATA, "blocking degraded ([dedup] "
		                 "fail_on_cap): %s", msg);
	/* Even with --quiet: duplicates may go unfound. */
	angka_warn("warning: blocking degraded, duplicates may be missed: %s",
	           msg);
	return ANGKA_OK;
}
