/*
 * merge.c - angka-dedup's scoring pass: scores every candidate pair
 * (score.c), applies the merges in the canonical order under the identity
 * constraints and the clerk's decisions (decisions.c), and keeps the other
 * pairs for review (see ctx.h).
 */
#include "dedup.h"
#include "ctx.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void note_link(struct dedup_rec *r, int rule, double score)
{
	if (r->rule == DEDUP_RULE_EXACT_NIK)
		return;
	unsigned int s = dedup_score_units(score);
	if (r->rule == DEDUP_RULE_NONE || s > r->score ||
	    (s == r->score && (unsigned int)rule < r->rule)) {
		r->score = s;
		r->rule = (unsigned int)rule;
	}
}

/* A merge pair with its rows in content order (lo before hi). */
struct merge {
	struct dedup_pair p;
	uint32_t lo, hi;
	int sama;            /* a clerk's sama decision: applied first */
};

/* Rows a and b by content, never by position: NIK, name key, birth date,
 * sex, kode_wilayah, No KK, tgl_update, filled fields, head; the row
 * index last (only rows equal in all of these, whose order cannot change
 * what the merges join). */
static int row_key_cmp(const struct dedup_ctx *x, uint32_t a, uint32_t b)
{
	const struct dedup_rec *ra = &x->rec[a], *rb = &x->rec[b];
	if (ra->nik != rb->nik)
		return ra->nik < rb->nik ? -1 : 1;
	if (ra->name != rb->name) {
		size_t la, lb;
		const char *na = dedup_intern_str(&x->names, ra->name, &la);
		const char *nb = dedup_intern_str(&x->names, rb->name, &lb);
		int c = strcmp(na, nb);
		if (c)
			return c;
	}
	if (ra->dob != rb->dob)
		return ra->dob < rb->dob ? -1 : 1;
	if (ra->sex != rb->sex)
		return ra->sex < rb->sex ? -1 : 1;
	uint64_t wa = dedup_rec_wil(ra), wb = dedup_rec_wil(rb);
	if (wa != wb)
		return wa < wb ? -1 : 1;
	uint64_t ka = x->kks.v[ra->kk], kb = x->kks.v[rb->kk];
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (ra->upd != rb->upd)
		return ra->upd < rb->upd ? -1 : 1;
	if (ra->nfilled != rb->nfilled)
		return ra->nfilled < rb->nfilled ? -1 : 1;
	if (ra->head != rb->head)
		return ra->head < rb->head ? -1 : 1;
	return (a > b) - (a < b);
}

/* qsort has no context argument in C11; the merges are sorted once,
 * single-threaded. */
static const struct dedup_ctx *merge_ctx;

/* Canonical merge order: score descending, then the pair's rows by
 * content. */
static int merge_cmp(const void *pa, const void *pb)
{
	const struct merge *a = pa, *b = pb;
	if (a->sama != b->sama)
		return a->sama ? -1 : 1;
	if (a->p.score != b->p.score)
		return a->p.score > b->p.score ? -1 : 1;
	int c = row_key_cmp(merge_ctx, a->lo, b->lo);
	return c ? c : row_key_cmp(merge_ctx, a->hi, b->hi);
}

/*
 * The valid NIKs of the sets that hold more than one (a NIK and its typo
 * or swap), by root: few, as few as such merges. A set with one valid NIK
 * has it at its root (dedup_uf_union_nik). Entries of rows that are no
 * longer roots stay, never looked up again.
 */
struct nik_set {
	uint32_t root;
	uint32_t n;
	uint64_t *v;
};
struct nik_sets {
	struct nik_set *e;
	size_t cap;          /* power of two, more than twice the entries */
};

static struct nik_set *nik_set_slot(struct nik_sets *ns, uint32_t root)
{
	size_t k = ((uint64_t)root * 0x9e3779b97f4a7c15ULL) >> 40 & (ns->cap - 1);
	while (ns->e[k].root != UINT32_MAX && ns->e[k].root != root)
		k = (k + 1) & (ns->cap - 1);
	return &ns->e[k];
}

/* The valid NIKs of the set of root r: *n of them. */
static const uint64_t *set_niks(const struct dedup_rec *rec,
                                struct nik_sets *ns, uint32_t r,
                                uint64_t *one, uint32_t *n)
{
	struct nik_set *e = nik_set_slot(ns, r);
	if (e->root == r) {
		*n = e->n;
		return e->v;
	}
	*n = rec[r].nik_valid;
	one[0] = rec[r].nik;
	return one;
}

/* The two valid NIKs of merge pair p that the cluster constraint lets
 * through although they are far apart (dedup_nik_two_typos, the name keys
 * equal): 1 and *na, *nb set, or 0. */
static int nik_typo2(const struct dedup_ctx *x, const struct dedup_pair *p,
                     uint64_t *na, uint64_t *nb)
{
	const struct dedup_rec *a = &x->rec[p->a], *b = &x->rec[p->b];
	if (dedup_fs_level(p->cell, DEDUP_CMP_NAME) != 1 ||
	    !dedup_nik_two_typos(a, b))
		return 0;
	*na = a->nik;
	*nb = b->nik;
	return 1;
}

/* Join the sets of a and b unless two of their valid NIKs are far apart
 * (more than one typo or swap; but the pair ta, tb, both nonzero, is let
 * through: nik_typo2): 1 joined, 0 one set already, -1 refused.
 * Each merge pair joins two sets at most once, and the sets with several
 * NIKs are few: the lists stay short. */
static int union_checked(struct dedup_rec *rec, struct nik_sets *ns,
                         uint32_t a, uint32_t b, uint64_t ta, uint64_t tb)
{
	uint32_t ra = dedup_uf_find(rec, a), rb = dedup_uf_find(rec, b);
	if (ra == rb)
		return 0;
	uint64_t oa, ob;
	uint32_t na, nb;
	const uint64_t *va = set_niks(rec, ns, ra, &oa, &na);
	const uint64_t *vb = set_niks(rec, ns, rb, &ob, &nb);
	for (uint32_t i = 0; i < na; i++)
		for (uint32_t k = 0; k < nb; k++)
			if (dedup_nik_distance(va[i], vb[k]) == DEDUP_NIK_FAR &&
			    !(ta && ((va[i] == ta && vb[k] == tb) ||
			             (va[i] == tb && vb[k] == ta))))
				return -1;
	uint64_t *v = NULL;
	uint32_t n = 0;
	if (na && nb) {
		v = angka_xmalloc((na + nb) * sizeof *v);
		for (uint32_t i = 0; i < na; i++)
			v[n++] = va[i];
		for (uint32_t k = 0; k < nb; k++) {
			uint32_t i = 0;
			while (i < na && va[i] != vb[k])
				i++;
			if (i == na)
				v[n++] = vb[k];
		}
	}
	dedup_uf_union_nik(rec, ra, rb, 1);
	if (n >= 2) {
		uint32_t r = dedup_uf_find(rec, ra);
		struct nik_set *e = nik_set_slot(ns, r);
		if (e->root == r)
			free(e->v);   /* copied into v */
		e->root = r;
		e->n = n;
		e->v = v;
	} else {
		free(v);
	}
	return 1;
}

/* Row i's entry in x->rflags (sorted), NULL if none. */
static struct dedup_rflag *rflag_entry(struct dedup_ctx *x, uint32_t i)
{
	size_t lo = 0, hi = x->nrflags;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->rflags[mid].row < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->nrflags && x->rflags[lo].row == i ? &x->rflags[lo]
	                                                  : NULL;
}

void dedup_score_rows(const struct dedup_ctx *x, uint32_t a, uint32_t b,
                      struct dedup_pair_score *ps)
{
	const struct dedup_rec *ra = &x->rec[a], *rb = &x->rec[b];
	size_t al, bl;
	const char *an = dedup_intern_str(&x->names, ra->name, &al);
	const char *bn = dedup_intern_str(&x->names, rb->name, &bl);
	dedup_score_pair(x->s, ra, an, al, rb, bn, bl, ps);
	ps->cell = dedup_fs_compare(ra, rb, ps->name_sim,
	                            x->s->date_tolerance_days);
	/* Rows of two periods (extracts): a person may have moved between
	 * them, so another KK or desa is no evidence (level missing,
	 * weight 0); agreeing still is. */
	unsigned pa = dedup_row_period(x, a), pb = dedup_row_period(x, b);
	if (pa && pb && pa != pb) {
		int l[DEDUP_NCMP];
		for (int k = 0; k < DEDUP_NCMP; k++)
			l[k] = dedup_fs_level(ps->cell, k);
		if (l[DEDUP_CMP_KK] == 2)
			l[DEDUP_CMP_KK] = 0;
		if (l[DEDUP_CMP_DESA] >= 2)
			l[DEDUP_CMP_DESA] = 0;
		ps->cell = dedup_fs_cell(l);
	}
}

int dedup_score_learned(const struct dedup_ctx *x, uint32_t a, uint32_t b,
                        struct dedup_pair_score *ps, const int *cellcb)
{
	(void)b;
	if (x->s->fixed)
		return 0;
	int tf = 0;
	if (dedup_fs_level(ps->cell, DEDUP_CMP_NAME) == 1)
		tf = (int)floor(dedup_fit_tf(x, x->rec[a].name) * 100.0 + 0.5);
	int w = x->fm.prior_cb + tf +
	        (cellcb ? cellcb[ps->cell] : dedup_fs_cell_cb(&x->fm, ps->cell));
	ps->score = floor(dedup_fs_probability(w / 100.0) * 10000.0 + 0.5) /
	            10000.0;
	/* Birth dates both known and far apart: a father and son of one
	 * name in one KK agree on everything else (the fixed score never
	 * reached merge_threshold on such pairs either). */
	if (dedup_fs_level(ps->cell, DEDUP_CMP_DOB) == DEDUP_FS_DOB_OTHER)
		ps->mergeable = 0;
	/* Names only similar (JW 0.88-0.95: RAHMAT / RAHMAN) without a NIK
	 * that agrees: twins of one KK agree on everything else. */
	int nik = dedup_fs_level(ps->cell, DEDUP_CMP_NIK);
	if (dedup_fs_level(ps->cell, DEDUP_CMP_NAME) >= DEDUP_FS_NAME_SIMILAR &&
	    (nik == 0 || nik == DEDUP_FS_NIK_OTHER))
		ps->mergeable = 0;
	return tf;
}

/* Under the learned weights, names that disagree (JW under 0.88) or birth
 * dates far apart keep a pair out of review: KK, desa and sex (and the
 * date, or the name) agree for twins, siblings and a mother and daughter
 * of one name in one household, and weigh far more than the one
 * disagreement (the levels are taken as independent). Such a pair is
 * never mergeable, and the fixed score never sent it to review either. */
static int fs_no_review(const struct dedup_ctx *x, unsigned cell)
{
	return !x->s->fixed &&
	       (dedup_fs_level(cell, DEDUP_CMP_NAME) == DEDUP_FS_NAME_OTHER ||
	        dedup_fs_level(cell, DEDUP_CMP_DOB) == DEDUP_FS_DOB_OTHER);
}

/* Scores of pairs [from, to), computed apart from the merges: the score
 * of a pair reads only fields the merges never change. */
struct score_job {
	const struct dedup_ctx *x;
	size_t from, to;
	struct dedup_pair_score *score;   /* per pair */
	const int *cellcb;                /* learned_worker: per cell */
	int16_t *tfs;                     /* learned_worker: per pair */
};

/* Pairs between the prefetch stages of score_worker. */
#define SCORE_AHEAD 8

/*
 * The rows of a pair are anywhere in rec[] (b at random: the pairs are in
 * (a, b) order), and each leads to two more cache misses, its name's start
 * in the interner and the name itself: three misses in a chain per row,
 * which were most of the scoring pass. They are fetched in stages ahead:
 * the records 3 x SCORE_AHEAD pairs ahead, their names' starts 2 x, the
 * names' bytes 1 x.
 */
static void *score_worker(void *arg)
{
	struct score_job *j = arg;
	const struct dedup_ctx *x = j->x;
	const struct dedup_pair *pp = x->pairs;
	const uint32_t *start = x->names.start;
	for (size_t i = j->from; i < j->to; i++) {
		if (i + 3 * SCORE_AHEAD < j->to) {
			const struct dedup_pair *q = &pp[i + 3 * SCORE_AHEAD];
			__builtin_prefetch(&x->rec[q->a]);
			__builtin_prefetch(&x->rec[q->b]);
			if (x->period)
				__builtin_prefetch(&x->period[q->b]);
		}
		if (i + 2 * SCORE_AHEAD < j->to) {
			const struct dedup_pair *q = &pp[i + 2 * SCORE_AHEAD];
			__builtin_prefetch(&start[x->rec[q->a].name]);
			__builtin_prefetch(&start[x->rec[q->b].name]);
		}
		if (i + SCORE_AHEAD < j->to) {
			const struct dedup_pair *q = &pp[i + SCORE_AHEAD];
			__builtin_prefetch(x->names.arena +
			                   start[x->rec[q->a].name]);
			__builtin_prefetch(x->names.arena +
			                   start[x->rec[q->b].name]);
		}
		const struct dedup_pair *p = &pp[i];
		dedup_score_rows(x, p->a, p->b, &j->score[i]);
	}
	return NULL;
}

/*
 * The learned scores of pairs [from, to) (after dedup_fit): a function of
 * each pair alone, on the two threads like the scores. The name
 * frequency of a pair's first row is read at random (name_rows, 4 bytes
 * per name key): fetched SCORE_AHEAD pairs ahead. On one thread after the
 * fit this loop was 0.53 s of the 4.7 s scoring pass on 10M rows (1.43
 * million pairs, machine under load).
 */
static void *learned_worker(void *arg)
{
	struct score_job *j = arg;
	const struct dedup_ctx *x = j->x;
	const struct dedup_pair *pp = x->pairs;
	for (size_t i = j->from; i < j->to; i++) {
		if (x->name_rows && i + SCORE_AHEAD < j->to)
			__builtin_prefetch(&x->name_rows[
			        x->rec[pp[i + SCORE_AHEAD].a].name]);
		j->tfs[i] = (int16_t)dedup_score_learned(x, pp[i].a, pp[i].b,
		                                         &j->score[i],
		                                         j->cellcb);
	}
	return NULL;
}

/* fn on pairs [0, npairs) as the two halves jobs[0..1] (one thread unless
 * threads and the pairs make a second worth it). */
static void score_halves(const struct dedup_ctx *x, struct score_job jobs[2],
                         void *(*fn)(void *))
{
	pthread_t tid;
	int threaded = x->s->threads > 1 && x->npairs > 10000 &&
	               pthread_create(&tid, NULL, fn, &jobs[1]) == 0;
	fn(&jobs[0]);
	if (threaded)
		pthread_join(tid, NULL);
	else
		fn(&jobs[1]);
}

void dedup_scoring(struct dedup_ctx *x)
{
	struct dedup_pair_score *score = angka_xmalloc((x->npairs ? x->npairs
	                                                            : 1) *
	                                               sizeof *score);
	struct score_job jobs[2] = {
		{ x, 0, x->npairs / 2, score, NULL, NULL },
		{ x, x->npairs / 2, x->npairs, score, NULL, NULL }
	};
	score_halves(x, jobs, score_worker);
	/* The learned weights: fitted on these pairs, then each pair's
	 * probability replaces the fixed score. */
	int *cellcb = NULL;
	int16_t *tfs = NULL;
	if (!x->s->fixed || x->o->fit) {
		unsigned *cells = angka_xmalloc((x->npairs ? x->npairs : 1) *
		                                sizeof *cells);
		for (size_t i = 0; i < x->npairs; i++)
			cells[i] = score[i].cell;
		dedup_fit(x, cells, x->npairs);
		free(cells);
		if (x->o->fit || x->o->evaluate) {
			free(score);
			return;
		}
		cellcb = angka_xmalloc(DEDUP_FS_NCELLS * sizeof *cellcb);
		for (unsigned c = 0; c < DEDUP_FS_NCELLS; c++)
			cellcb[c] = dedup_fs_cell_cb(&x->fm, c);
		tfs = angka_xmalloc((x->npairs ? x->npairs : 1) * sizeof *tfs);
		for (int k = 0; k < 2; k++) {
			jobs[k].cellcb = cellcb;
			jobs[k].tfs = tfs;
		}
		score_halves(x, jobs, learned_worker);
		free(cellcb);
	}
	/* Review pairs are kept in place in x->pairs[0..nrev); the merges
	 * are collected, put in the canonical order and applied under the
	 * cluster constraint (a refused merge is a review pair too). A pair
	 * of rows sharing a NIK (rule exact_nik: the exact pass found a
	 * conflict) goes to review whatever its score. */
	size_t nrev = 0, nmerge = 0;
	size_t nm = x->npairs + (x->dec ? x->dec->n : 0);
	struct merge *m = angka_xmalloc((nm ? nm : 1) * sizeof *m);
	for (size_t i = 0; i < x->npairs; i++) {
		struct dedup_pair *p = &x->pairs[i];
		double sc = score[i].score;
		p->score = (uint16_t)dedup_score_units(sc);
		p->cell = (uint16_t)score[i].cell;
		p->tf = tfs ? tfs[i] : 0;
		/* A decided pair is settled: sama is merged below, beda
		 * never; neither goes to review. */
		if (x->dec && dedup_decision_of(x, p->a, p->b))
			continue;
		if (score[i].mergeable && sc >= x->s->merge_threshold) {
			m[nmerge].sama = 0;
			m[nmerge].p = *p;
			if (row_key_cmp(x, p->a, p->b) <= 0) {
				m[nmerge].lo = p->a;
				m[nmerge].hi = p->b;
			} else {
				m[nmerge].lo = p->b;
				m[nmerge].hi = p->a;
			}
			nmerge++;
		} else if ((sc >= x->s->review_threshold &&
		            !fs_no_review(x, score[i].cell)) ||
		           p->rule == DEDUP_RULE_EXACT_NIK) {
			x->pairs[nrev++] = *p;
		}
	}
	free(score);
	free(tfs);
	/* The clerk's sama pairs, whatever their score (still under the
	 * NIK constraint and the beda decisions). */
	for (size_t i = 0; x->dec && i < x->dec->n; i++) {
		const struct dedup_decision *d = &x->dec->d[i];
		if (d->kind != DEDUP_DEC_SAMA)
			continue;
		struct dedup_pair_score ps;
		dedup_score_rows(x, d->a, d->b, &ps);
		int tf = dedup_score_learned(x, d->a, d->b, &ps, NULL);
		struct merge *mm = &m[nmerge++];
		mm->sama = 1;
		mm->p.a = d->a;
		mm->p.b = d->b;
		mm->p.score = (uint16_t)dedup_score_units(ps.score);
		mm->p.rule = DEDUP_RULE_DECISION;
		mm->p.cell = (uint16_t)ps.cell;
		mm->p.tf = (int16_t)tf;
		if (row_key_cmp(x, d->a, d->b) <= 0) {
			mm->lo = d->a;
			mm->hi = d->b;
		} else {
			mm->lo = d->b;
			mm->hi = d->a;
		}
	}
	merge_ctx = x;
	if (nmerge)
		qsort(m, nmerge, sizeof *m, merge_cmp);
	merge_ctx = NULL;
	struct nik_sets ns = { 0 };
	ns.cap = 16;
	while (ns.cap < 2 * nmerge)
		ns.cap *= 2;
	ns.e = angka_xmalloc(ns.cap * sizeof *ns.e);
	for (size_t k = 0; k < ns.cap; k++)
		ns.e[k].root = UINT32_MAX;
	for (size_t i = 0; i < nmerge; i++) {
		struct dedup_pair *p = &m[i].p;
		uint32_t ra = 0, rb = 0;
		int u = 0;
		if (x->dec) {
			ra = dedup_uf_find(x->rec, p->a);
			rb = dedup_uf_find(x->rec, p->b);
			if (ra != rb && dedup_cannot_join(x, ra, rb))
				u = -2;
		}
		uint64_t ta = 0, tb = 0;
		if (!u && !x->s->merge_distinct_nik)
			nik_typo2(x, p, &ta, &tb);
		if (!u)
			u = x->s->merge_distinct_nik
			    ? dedup_uf_union_nik(x->rec, p->a, p->b, 1)
			    : union_checked(x->rec, &ns, p->a, p->b, ta, tb);
		if (u < 0 && m[i].sama) {
			x->st->sama_refused++;   /* decided: not in review */
			continue;
		}
		if (u < 0) {
			if (u == -2)
				x->st->beda_refused++;
			else
				x->st->merges_refused++;
			x->pairs[nrev++] = *p;
			continue;
		}
		if (u > 0 && ta)
			x->st->nik_typo2++;
		if (u > 0 && x->dec)
			dedup_decisions_joined(x, ra, rb,
			                       dedup_uf_find(x->rec, p->a));
		double sc = p->score / 10000.0;
		note_link(&x->rec[p->a], p->rule, sc);
		note_link(&x->rec[p->b], p->rule, sc);
		x->st->pairs_merged++;
	}
	free(m);
	for (size_t k = 0; k < ns.cap; k++)
		if (ns.e[k].root != UINT32_MAX)
			free(ns.e[k].v);
	free(ns.e);
	x->nreview = nrev;
	/* nik_shared stays only on the rows of a shared-NIK pair that the
	 * scoring kept apart: rows of one NIK that scored as one person are
	 * one person after all (e.g. a sex typo). */
	for (size_t i = 0; i < x->nrflags; i++)
		x->rflags[i].bits &= ~(uint32_t)DEDUP_F_NIK_SHARED;
	x->st->nik_shared = 0;
	for (size_t i = 0; i < nrev; i++) {
		const struct dedup_pair *p = &x->pairs[i];
		if (p->rule != DEDUP_RULE_EXACT_NIK ||
		    dedup_uf_find(x->rec, p->a) == dedup_uf_find(x->rec, p->b))
			continue;
		uint32_t rows[2] = { p->a, p->b };
		for (int k = 0; k < 2; k++) {
			struct dedup_rflag *f = rflag_entry(x, rows[k]);
			if (f && !(f->bits & DEDUP_F_NIK_SHARED)) {
				f->bits |= DEDUP_F_NIK_SHARED;
				x->st->nik_shared++;
			}
		}
	}
	/* So are the rows of one NIK that a beda decision keeps apart (not
	 * in review: decided). */
	for (size_t i = 0; x->dec && i < x->dec->n; i++) {
		const struct dedup_decision *d = &x->dec->d[i];
		const struct dedup_rec *a = &x->rec[d->a], *b = &x->rec[d->b];
		if (d->kind != DEDUP_DEC_BEDA || !a->nik_valid ||
		    !b->nik_valid || a->nik != b->nik)
			continue;
		uint32_t rows[2] = { d->a, d->b };
		for (int k = 0; k < 2; k++) {
			struct dedup_rflag *f = rflag_entry(x, rows[k]);
			if (f && !(f->bits & DEDUP_F_NIK_SHARED)) {
				f->bits |= DEDUP_F_NIK_SHARED;
				x->st->nik_shared++;
			}
		}
	}
}
