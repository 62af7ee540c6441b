/*
 * fit.c - angka-dedup's fit of the learned match weights on this extract:
 * the histogram of the candidate pairs' cells (given by the scoring pass),
 * a histogram of random pairs for u, the name frequencies for the
 * term-frequency adjustment, and the --fit table. The arithmetic is in
 * fs.c; see docs/dedup.md "Match weights".
 *
 * Nothing here depends on the order of the rows: the random pairs are
 * drawn from a sample of rows chosen and ordered by their content (a hash
 * of NIK, birth date, sex, wilayah and No KK, then the content itself),
 * with a PRNG seeded from a constant.
 */
#include "ctx.h"
#include "jaro.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows in the u sample (about) and random pairs drawn from it; the names
 * (Jaro-Winkler, the costly comparison) are compared on the first
 * NAME_PAIRS of them, the other fields on all (an equal birth date is
 * rare: 1 pair in 10,000-20,000). */
#define SAMPLE_ROWS 4096
#define RANDOM_PAIRS 500000
#define NAME_PAIRS 100000
#define PRNG_SEED 0x616e676b612d6673ULL   /* "angka-fs" */

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 31);
}

/* A row's content hash, without its name (see the file comment). */
static uint64_t row_hash(const struct dedup_ctx *x, const struct dedup_rec *r)
{
	uint64_t h = mix(PRNG_SEED, r->nik);
	h = mix(h, (uint64_t)(uint32_t)r->dob);
	h = mix(h, r->sex);
	h = mix(h, dedup_rec_wil(r));
	h = mix(h, x->kks.v[r->kk]);
	return mix(h, 0);
}

struct sample_row {
	uint64_t h;
	uint32_t row;
};

static const struct dedup_ctx *sample_ctx;

/* By hash, then by content (rows equal in all of it compare alike). */
static int sample_cmp(const void *pa, const void *pb)
{
	const struct sample_row *a = pa, *b = pb;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	const struct dedup_ctx *x = sample_ctx;
	const struct dedup_rec *ra = &x->rec[a->row], *rb = &x->rec[b->row];
	if (ra->nik != rb->nik)
		return ra->nik < rb->nik ? -1 : 1;
	if (ra->dob != rb->dob)
		return ra->dob < rb->dob ? -1 : 1;
	if (ra->sex != rb->sex)
		return ra->sex < rb->sex ? -1 : 1;
	if (dedup_rec_wil(ra) != dedup_rec_wil(rb))
		return dedup_rec_wil(ra) < dedup_rec_wil(rb) ? -1 : 1;
	if (x->kks.v[ra->kk] != x->kks.v[rb->kk])
		return x->kks.v[ra->kk] < x->kks.v[rb->kk] ? -1 : 1;
	size_t la, lb;
	const char *na = dedup_intern_str(&x->names, ra->name, &la);
	const char *nb = dedup_intern_str(&x->names, rb->name, &lb);
	return strcmp(na, nb);
}

/* The cell of rows a and b (as the scoring pass computes it; without
 * names, their level missing); UINT_MAX for two rows of one valid NIK (one
 * person for the exact pass, not a random pair of two people). */
static unsigned pair_cell(const struct dedup_ctx *x, uint32_t a, uint32_t b,
                          int names)
{
	const struct dedup_rec *ra = &x->rec[a], *rb = &x->rec[b];
	if (ra->nik_valid && rb->nik_valid && ra->nik == rb->nik)
		return UINT_MAX;
	size_t la = 0, lb = 0;
	const char *na = "", *nb = "";
	if (names) {
		na = dedup_intern_str(&x->names, ra->name, &la);
		nb = dedup_intern_str(&x->names, rb->name, &lb);
	}
	double jw = la && lb ? dedup_jaro_winkler(na, la, nb, lb) : -1;
	return dedup_fs_compare(ra, rb, jw, x->s->date_tolerance_days);
}

static void add_cell(uint32_t *h, unsigned cell)
{
	if (cell != UINT_MAX)
		h[cell]++;
}

/* The histogram of random pairs' cells into rnd. */
static void random_hist(const struct dedup_ctx *x, uint32_t *rnd)
{
	uint64_t lim = x->n <= SAMPLE_ROWS ? UINT64_MAX
	               : (uint64_t)((double)SAMPLE_ROWS / x->n * 4294967296.0)
	                 << 32;
	size_t ns = 0, cap = x->n <= SAMPLE_ROWS ? x->n : 2 * SAMPLE_ROWS;
	struct sample_row *s = angka_xmalloc((cap ? cap : 1) * sizeof *s);
	for (uint32_t i = 0; i < x->n; i++) {
		uint64_t h = row_hash(x, &x->rec[i]);
		if (h > lim && lim != UINT64_MAX)
			continue;
		if (ns == cap) {
			cap *= 2;
			s = angka_xrealloc(s, cap * sizeof *s);
		}
		s[ns].h = h;
		s[ns++].row = i;
	}
	sample_ctx = x;
	if (ns > 1)
		qsort(s, ns, sizeof *s, sample_cmp);
	sample_ctx = NULL;
	if (ns >= 2 && (double)ns * (double)(ns - 1) / 2 <= NAME_PAIRS) {
		for (size_t i = 0; i < ns; i++)
			for (size_t k = i + 1; k < ns; k++)
				add_cell(rnd, pair_cell(x, s[i].row, s[k].row,
				                        1));
	} else if (ns >= 2) {
		uint64_t st = PRNG_SEED;
		for (int t = 0; t < RANDOM_PAIRS; t++) {
			size_t i = (size_t)(splitmix64(&st) % ns);
			size_t k = (size_t)(splitmix64(&st) % (ns - 1));
			if (k >= i)
				k++;
			add_cell(rnd, pair_cell(x, s[i].row, s[k].row,
			                        t < NAME_PAIRS));
		}
	}
	free(s);
}

void dedup_fit(struct dedup_ctx *x, const unsigned *cells, size_t ncells)
{
	uint32_t *cand = angka_xcalloc(2 * DEDUP_FS_NCELLS, sizeof *cand);
	uint32_t *rnd = cand + DEDUP_FS_NCELLS;
	for (size_t i = 0; i < ncells; i++)
		cand[cells[i]]++;
	random_hist(x, rnd);
	dedup_fs_fit(&x->fm, cand, rnd,
	             (double)x->n * ((double)x->n - 1) / 2);
	free(cand);
	/* Rows per name key, for the term-frequency adjustment. */
	x->name_rows = angka_xcalloc((size_t)x->names.n + 1,
	                             sizeof *x->name_rows);
	uint32_t named = 0;
	for (uint32_t i = 0; i < x->n; i++)
		if (x->rec[i].name) {
			x->name_rows[x->rec[i].name]++;
			named++;
		}
	x->name_total = named > DEDUP_FS_MIN_ROWS ? named : DEDUP_FS_MIN_ROWS;
}

double dedup_fit_tf(const struct dedup_ctx *x, uint32_t name)
{
	if (!name || !x->name_rows)
		return 0;
	return dedup_fs_tf_weight(&x->fm, (double)x->name_rows[name] /
	                                  (double)x->name_total);
}

void dedup_fit_print(const struct dedup_ctx *x, FILE *out)
{
	const struct dedup_fs_model *fm = &x->fm;
	fprintf(out, "comparison,level,m,u,weight\n");
	for (int k = 0; k < DEDUP_NCMP; k++)
		for (int l = 0; l < dedup_fs_nlevels(k); l++) {
			if (!l) {
				fprintf(out, "%s,%s,,,0.00\n", dedup_fs_cmp_name(k),
				        dedup_fs_level_name(k, l));
				continue;
			}
			fprintf(out, "%s,%s,%.6g,%.6g,%.2f\n",
			        dedup_fs_cmp_name(k), dedup_fs_level_name(k, l),
			        fm->m[k][l], fm->u[k][l], fm->w[k][l]);
		}
	fprintf(out, "prior,match,%.6g,,%.2f\n", fm->prior, fm->prior_w);
	if (!x->o->quiet)
		fprintf(stderr, "%s: fit: %llu candidate pairs, %llu random "
		        "pairs, %d EM iterations, matches among candidates "
		        "%.4f\n", angka_progname(),
		        (unsigned long long)fm->ncand,
		        (unsigned long long)fm->nrandom, fm->iterations,
		        fm->lambda);
}
