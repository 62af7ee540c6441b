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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows in the u sample (about) and random pairs drawn from it; the names
 * (Jaro-Winkler, the costly comparison) are compared on the first
 * NAME_PAIRS of them, the other fields on all (an equal birth date is
 * rare: 1 pair in 10,000-30,000). */
#define SAMPLE_ROWS 4096
#define RANDOM_PAIRS 200000
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

/* A sampled row, with what its comparisons need precomputed (each is
 * compared about 250 times). */
struct sample {
	const struct dedup_rec *r;
	const char *name;
	size_t nlen;
	int ymd[3];           /* civil birth date */
	char nd[16];          /* NIK digits */
	uint8_t hist[32];     /* name bytes by (byte & 31) */
};

static void sample_prepare(const struct dedup_ctx *x, uint32_t row,
                           struct sample *p)
{
	p->r = &x->rec[row];
	p->name = dedup_intern_str(&x->names, p->r->name, &p->nlen);
	if (p->r->dob != DEDUP_NODATE)
		dedup_fs_civil(p->r->dob, p->ymd);
	dedup_fs_nik_digits(p->r->nik, p->nd);
	memset(p->hist, 0, sizeof p->hist);
	for (size_t i = 0; i < p->nlen && i < DEDUP_JARO_MAXLEN; i++)
		p->hist[(unsigned char)p->name[i] & 31]++;
}

/* The names' Jaro-Winkler, or 0 when it is surely under 0.88 (level
 * other): Jaro's matches are at most the bytes the two names share, which
 * bounds the similarity from above without the O(n m) match. */
static double sample_jw(const struct sample *a, const struct sample *b)
{
	size_t la = a->nlen < DEDUP_JARO_MAXLEN ? a->nlen : DEDUP_JARO_MAXLEN;
	size_t lb = b->nlen < DEDUP_JARO_MAXLEN ? b->nlen : DEDUP_JARO_MAXLEN;
	unsigned m = 0;
	for (int c = 0; c < 32; c++)
		m += a->hist[c] < b->hist[c] ? a->hist[c] : b->hist[c];
	size_t l = 0;
	while (l < 4 && l < la && l < lb && a->name[l] == b->name[l])
		l++;
	double j = m ? ((double)m / (double)la + (double)m / (double)lb + 1.0)
	               / 3.0 : 0;
	if (j > 1)
		j = 1;
	if (j + (double)l * 0.1 * (1.0 - j) < 0.88 - 1e-9)
		return 0;
	return dedup_jaro_winkler(a->name, a->nlen, b->name, b->nlen);
}

/* The cell of sampled rows a and b, as dedup_fs_compare gives it (names
 * compared only if names is set, else their level missing); UINT_MAX for
 * two rows of one valid NIK (one person for the exact pass, not a random
 * pair of two people). */
static unsigned sample_cell(const struct dedup_ctx *x, const struct sample *a,
                            const struct sample *b, int names)
{
	const struct dedup_rec *ra = a->r, *rb = b->r;
	if (ra->nik_valid && rb->nik_valid && ra->nik == rb->nik)
		return UINT_MAX;
	int l[DEDUP_NCMP];
	l[DEDUP_CMP_NAME] = names && a->nlen && b->nlen
	                    ? dedup_fs_name_level(sample_jw(a, b)) : 0;
	l[DEDUP_CMP_DOB] = dedup_fs_date_level_ymd(ra->dob, rb->dob, a->ymd,
	                                           b->ymd,
	                                           x->s->date_tolerance_days);
	l[DEDUP_CMP_NIK] = dedup_fs_nik_level_digits(ra->nik, rb->nik, a->nd,
	                                             b->nd);
	dedup_fs_rec_levels(ra, rb, l);
	return dedup_fs_cell(l);
}

static void add_cell(uint32_t *h, unsigned cell)
{
	if (cell != UINT_MAX)
		h[cell]++;
}

/* One thread's share of random_hist's scan of rows [0, to): the counts
 * per name key into name_rows (unless NULL), the rows sampled (row hash
 * at most lim, in row order) into s[0..ns) (if sample). */
struct fit_scan {
	const struct dedup_ctx *x;
	uint32_t to;
	uint64_t lim;
	uint32_t *name_rows;
	int sample;
	struct sample_row *s;
	size_t ns, cap;
	uint32_t named;
};

static void *fit_scan_rows(void *arg)
{
	struct fit_scan *f = arg;
	const struct dedup_ctx *x = f->x;
	for (uint32_t i = 0; i < f->to; i++) {
		const struct dedup_rec *r = &x->rec[i];
		if (f->name_rows && r->name) {
			f->name_rows[r->name]++;
			f->named++;
		}
		if (!f->sample)
			continue;
		uint64_t h = row_hash(x, r);
		if (h > f->lim && f->lim != UINT64_MAX)
			continue;
		if (f->ns == f->cap) {
			f->cap = f->cap ? 2 * f->cap : 2 * SAMPLE_ROWS;
			f->s = angka_xrealloc(f->s, f->cap * sizeof *f->s);
		}
		f->s[f->ns].h = h;
		f->s[f->ns++].row = i;
	}
	return NULL;
}

/* The histogram of random pairs' cells into rnd; and the rows per name key
 * into name_rows (names.n + 1 entries, zeroed), the rows with a name key
 * returned. One scan of the records (a stream of 48 bytes a row) does
 * both, or, on two threads, one the names and the other the sample: each
 * row costs a cache miss or two at random (the name's count; the No KK of
 * the row hash), and on one thread this scan was 0.35 s of the scoring
 * pass on 10M rows. */
static uint32_t random_hist(const struct dedup_ctx *x, uint32_t *rnd,
                            uint32_t *name_rows)
{
	uint64_t lim = x->n <= SAMPLE_ROWS ? UINT64_MAX
	               : (uint64_t)((double)SAMPLE_ROWS / x->n * 4294967296.0)
	                 << 32;
	struct fit_scan scan = { x, x->n, lim, name_rows, 1, NULL, 0, 0, 0 };
	struct fit_scan names = scan;
	pthread_t tid;
	if (x->s->threads > 1 && x->n >= 65536) {
		names.sample = 0;
		scan.name_rows = NULL;
		if (pthread_create(&tid, NULL, fit_scan_rows, &names) == 0) {
			fit_scan_rows(&scan);
			pthread_join(tid, NULL);
		} else {
			fit_scan_rows(&names);
			fit_scan_rows(&scan);
		}
	} else {
		fit_scan_rows(&scan);
		names.named = scan.named;
	}
	size_t ns = scan.ns;
	struct sample_row *s = scan.s;
	uint32_t named = names.named;
	sample_ctx = x;
	if (ns > 1)
		qsort(s, ns, sizeof *s, sample_cmp);
	sample_ctx = NULL;
	struct sample *sp = angka_xmalloc((ns ? ns : 1) * sizeof *sp);
	for (size_t i = 0; i < ns; i++)
		sample_prepare(x, s[i].row, &sp[i]);
	free(s);
	if (ns >= 2 && (double)ns * (double)(ns - 1) / 2 <= NAME_PAIRS) {
		for (size_t i = 0; i < ns; i++)
			for (size_t k = i + 1; k < ns; k++)
				add_cell(rnd, sample_cell(x, &sp[i], &sp[k], 1));
	} else if (ns >= 2) {
		uint64_t st = PRNG_SEED;
		for (int t = 0; t < RANDOM_PAIRS; t++) {
			size_t i = (size_t)(splitmix64(&st) % ns);
			size_t k = (size_t)(splitmix64(&st) % (ns - 1));
			if (k >= i)
				k++;
			add_cell(rnd, sample_cell(x, &sp[i], &sp[k],
			                          t < NAME_PAIRS));
		}
	}
	free(sp);
	return named;
}

void dedup_fit(struct dedup_ctx *x, const unsigned *cells, size_t ncells)
{
	uint32_t *cand = angka_xcalloc(2 * DEDUP_FS_NCELLS, sizeof *cand);
	uint32_t *rnd = cand + DEDUP_FS_NCELLS;
	for (size_t i = 0; i < ncells; i++)
		cand[cells[i]]++;
	/* Rows per name key, for the term-frequency adjustment. */
	x->name_rows = angka_xcalloc((size_t)x->names.n + 1,
	                             sizeof *x->name_rows);
	uint32_t named = random_hist(x, rnd, x->name_rows);
	dedup_fs_fit(&x->fm, cand, rnd,
	             (double)x->n * ((double)x->n - 1) / 2);
	free(cand);
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
