/*
 * cluster.c - angka-dedup's clusters: after the merges, each row's root and
 * the clusters of more than one row with their survivor, smallest NIK and
 * smallest (src_file, src_line); and the cluster ids (see dedup.h).
 */
#include "ctx.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *file_name(const struct dedup_ctx *x, uint32_t id)
{
	size_t l;
	return dedup_intern_str(&x->files, id, &l);
}

int dedup_first_line_cmp(const struct dedup_ctx *x, uint32_t a, uint32_t b)
{
	const struct dedup_rec *ra = &x->rec[a], *rb = &x->rec[b];
	if (ra->file != rb->file) {
		int c = strcmp(file_name(x, ra->file), file_name(x, rb->file));
		if (c)
			return c;
	}
	return (ra->line > rb->line) - (ra->line < rb->line);
}

/* Add row i to cluster c (its survivor is chosen later, clusters_survive). */
static void cluster_add(struct dedup_ctx *x, struct dedup_cluster *c,
                        uint32_t i)
{
	const struct dedup_rec *r = &x->rec[i];
	if (!c->size) {
		c->surv = i;
		c->minnik = r->nik_valid ? i : UINT32_MAX;
		c->keyh = 0;
	} else if (r->nik_valid && (c->minnik == UINT32_MAX ||
	                            r->nik < x->rec[c->minnik].nik)) {
		c->minnik = i;
	}
	c->size++;
}

/* A cluster's majority NIK: the candidate of a Boyer-Moore vote over its
 * rows with a NIK, then its rows and the rows with a NIK counted. */
struct nik_vote {
	uint64_t nik;
	uint32_t votes, total;
};

static void surv_row(const struct dedup_ctx *x, uint32_t i,
                     const struct nik_vote *v, struct dedup_surv_row *o)
{
	o->r = &x->rec[i];
	o->file = file_name(x, o->r->file);
	o->period = dedup_row_period(x, i);
	o->nik_major = o->r->nik && o->r->nik == v->nik &&
	               2 * (uint64_t)v->votes > v->total;
}

/* Two rows' texts split into fields, for the content criterion. */
struct surv_text {
	char *buf[2];
	size_t cap[2];
	const char **f[2];
	size_t *fl[2];
};

/* Rows a and b by content: every field but src_file and src_line, as
 * text, in column order; 0 if equal or if a text cannot be read (the
 * output pass reports the error). */
static int content_cmp(struct dedup_ctx *x, struct surv_text *t, uint32_t a,
                       uint32_t b)
{
	struct angka_error e;
	uint32_t row[2] = { a, b };
	for (int k = 0; k < 2; k++) {
		if (!t->f[k]) {
			t->f[k] = angka_xmalloc(x->nfields * sizeof *t->f[k]);
			t->fl[k] = angka_xmalloc(x->nfields * sizeof *t->fl[k]);
		}
		size_t len = dedup_row_text(x, row[k], &t->buf[k], &t->cap[k],
		                            &e);
		if (len == (size_t)-1)
			return 0;
		dedup_split(t->buf[k], len, x->nfields, t->f[k], t->fl[k]);
	}
	for (size_t k = 0; k < x->nfields; k++) {
		if ((int)k == x->col[COL_SRC_FILE] ||
		    (int)k == x->col[COL_SRC_LINE])
			continue;
		size_t la = t->fl[0][k], lb = t->fl[1][k];
		int c = memcmp(t->f[0][k], t->f[1][k], la < lb ? la : lb);
		if (!c)
			c = (la > lb) - (la < lb);
		if (c)
			return c;
	}
	return 0;
}

/* The survivors of the clusters of slots [lo, hi) (1-based), each from
 * its rows rows[start[slot - 1] .. start[slot]) (ascending): the majority
 * NIK candidate (a Boyer-Moore vote over its rows with a NIK), its count,
 * then the survivor by dedup_survivor_cmp. The survivor order is split
 * around its content criterion: the criteria before it (pre), then the
 * rows' content (read only for rows tied on all of those), then the
 * criteria after it (post). A cluster's rows are compared in ascending
 * row order by one thread, as one scan of all rows did: the result does
 * not depend on the split. */
struct survive_job {
	struct dedup_ctx *x;
	const struct dedup_settings *pre, *post;
	int content;
	const uint32_t *rows, *start;
	uint32_t lo, hi;
};

static void *survive_range(void *arg)
{
	struct survive_job *j = arg;
	struct dedup_ctx *x = j->x;
	struct surv_text t;
	memset(&t, 0, sizeof t);
	for (uint32_t slot = j->lo; slot < j->hi; slot++) {
		const uint32_t *m = j->rows + j->start[slot - 1];
		uint32_t nm = j->start[slot] - j->start[slot - 1];
		struct nik_vote v = { 0, 0, 0 };
		for (uint32_t k = 0; k < nm; k++) {
			uint64_t nik = x->rec[m[k]].nik;
			if (!nik)
				continue;
			if (!v.votes)
				v.nik = nik;
			v.votes += v.nik == nik ? 1u : (uint32_t)-1;
		}
		v.votes = 0;
		for (uint32_t k = 0; k < nm; k++) {
			uint64_t nik = x->rec[m[k]].nik;
			if (!nik)
				continue;
			v.total++;
			v.votes += v.nik == nik;
		}
		struct dedup_cluster *c = &x->cl[slot - 1];
		for (uint32_t k = 0; k < nm; k++) {
			uint32_t i = m[k];
			if (c->surv == i)
				continue;
			struct dedup_surv_row ra, rb;
			surv_row(x, i, &v, &ra);
			surv_row(x, c->surv, &v, &rb);
			int d = dedup_survivor_cmp(j->pre, &ra, &rb);
			if (!d && j->content)
				d = content_cmp(x, &t, i, c->surv);
			if (!d && j->content)
				d = dedup_survivor_cmp(j->post, &ra, &rb);
			if (d < 0)
				c->surv = i;
		}
	}
	for (int k = 0; k < 2; k++) {
		free(t.buf[k]);
		free(t.f[k]);
		free(t.fl[k]);
	}
	return NULL;
}

/* Clusters below this many run on one thread (the second thread's start
 * costs more than it saves). Low enough that the DTKS fixtures (759
 * clusters) take the two-thread path, which tests/check-dedup-quality.sh
 * compares with threads = 1. */
#define SURVIVE_THREAD_MIN 256

/* The survivors of the multi-row clusters: one scan of the rows buckets
 * the rows of multi-row clusters by slot (4 bytes a row of them, few;
 * counted by dedup_clusters in their sizes),
 * then survive_range per cluster; with threads > 1, the clusters in two
 * halves by slot on two threads (mostly the content comparisons' reads
 * of the rows). */
static void clusters_survive(struct dedup_ctx *x)
{
	if (!x->ncl)
		return;
	struct dedup_settings pre = *x->s, post = *x->s;
	pre.norder = post.norder = 0;
	int content = 0;
	for (int k = 0; k < x->s->norder; k++) {
		if (x->s->order[k] == DEDUP_CONTENT)
			content = 1;
		else if (content)
			post.order[post.norder++] = x->s->order[k];
		else
			pre.order[pre.norder++] = x->s->order[k];
	}
	/* start[s]: the rows of slots 1 .. s (the clusters' sizes); after
	 * the scatter (rows from the last), the first row of slot s. */
	uint32_t *start = angka_xcalloc((size_t)x->ncl + 1, sizeof *start);
	for (uint32_t c = 1; c <= x->ncl; c++)
		start[c] = start[c - 1] + x->cl[c - 1].size;
	uint32_t nrows = start[x->ncl];
	uint32_t *rows = angka_xmalloc((nrows ? nrows : 1) * sizeof *rows);
	for (uint32_t i = x->n; i-- > 0;) {
		uint32_t slot = x->rec[x->rec[i].parent].cslot;
		if (slot)
			rows[--start[slot]] = i;
	}
	/* Shifted by one: slot s's rows are rows[start[s - 1] .. start[s]).
	 * (These 4 bytes per row of a multi-row cluster and per cluster stay
	 * under the 16 per cluster that dedup_clusters notes for them.) */
	memmove(start, start + 1, (size_t)x->ncl * sizeof *start);
	start[x->ncl] = nrows;
	uint32_t mid = 1 + x->ncl / 2, end = x->ncl + 1;
	struct survive_job jobs[2] = {
		{ x, &pre, &post, content, rows, start, 1, mid },
		{ x, &pre, &post, content, rows, start, mid, end },
	};
	pthread_t tid;
	int threaded = x->s->threads > 1 && x->ncl >= SURVIVE_THREAD_MIN &&
	               pthread_create(&tid, NULL, survive_range, &jobs[1]) == 0;
	if (!threaded)
		jobs[0].hi = end;
	survive_range(&jobs[0]);
	if (threaded)
		pthread_join(tid, NULL);
	/* Kept: the golden records read the same buckets. */
	x->cl_rows = rows;
	x->cl_start = start;
}

/* The column of a content key field: the first of two that the input has. */
static int key_col(const struct dedup_ctx *x, int a, int b)
{
	return x->col[a] >= 0 ? x->col[a] : x->col[b];
}

uint64_t dedup_row_keyh(const struct dedup_ctx *x, const char *text,
                        size_t len, char **buf, size_t *cap,
                        const char **key, size_t *klen)
{
	/* The row is split in a copy; the key is built after it. */
	size_t need = 2 * len + 16 + x->nfields * (sizeof(char *) +
	                                            sizeof(size_t));
	if (*cap < need) {
		*cap = need;
		*buf = angka_xrealloc(*buf, *cap);
	}
	const char **f = (const char **)(void *)*buf;
	size_t *fl = (size_t *)(void *)(*buf + x->nfields * sizeof(char *));
	char *copy = *buf + x->nfields * (sizeof(char *) + sizeof(size_t));
	memcpy(copy, text, len);
	copy[len] = 0;
	dedup_split(copy, len, x->nfields, f, fl);
	char *k = copy + len + 1, *k0 = k;
	*k++ = 'K';
	const int cols[5] = {
		key_col(x, COL_NAMA_KUNCI, COL_NAMA),
		key_col(x, COL_TGL_LAHIR, COL_TGL_LAHIR),
		key_col(x, COL_JENIS_KELAMIN, COL_JENIS_KELAMIN),
		key_col(x, COL_KODE_WILAYAH, COL_KODE_KEC),
		key_col(x, COL_NO_KK, COL_NO_KK)
	};
	for (int c = 0; c < 5; c++) {
		if (cols[c] >= 0) {
			memcpy(k, f[cols[c]], fl[cols[c]]);
			k += fl[cols[c]];
		}
		*k++ = 0;
	}
	if (key) {
		*key = k0;
		*klen = (size_t)(k - k0);
	}
	return dedup_fnv1a(DEDUP_FNV_INIT, k0, (size_t)(k - k0));
}

/* The content keys of the clusters without a valid NIK: the smallest key
 * of their members (rare: most clusters have a NIK). */
static void cluster_keys(struct dedup_ctx *x)
{
	struct dedup_buf *best = NULL;
	char *text = NULL, *scratch = NULL;
	size_t tcap = 0, scap = 0;
	int any = 0;
	for (uint32_t c = 0; c < x->ncl && !any; c++)
		any = dedup_cluster_needs_key(x, &x->cl[c]);
	if (!any)
		return;
	best = angka_xcalloc(x->ncl, sizeof *best);
	struct angka_error e;
	for (uint32_t i = 0; i < x->n; i++) {
		uint32_t slot = x->rec[x->rec[i].parent].cslot;
		if (!slot || !dedup_cluster_needs_key(x, &x->cl[slot - 1]))
			continue;
		size_t len = dedup_row_text(x, i, &text, &tcap, &e);
		if (len == (size_t)-1)
			continue;   /* the output pass reports the error */
		const char *key;
		size_t klen;
		dedup_row_keyh(x, text, len, &scratch, &scap, &key, &klen);
		struct dedup_buf *b = &best[slot - 1];
		if (b->s) {
			size_t m = b->len < klen ? b->len : klen;
			int cmp = memcmp(key, b->s, m);
			if (cmp > 0 || (cmp == 0 && klen >= b->len))
				continue;
		}
		if (b->cap < klen) {
			b->cap = klen;
			b->s = angka_xrealloc(b->s, b->cap);
		}
		memcpy(b->s, key, klen);
		b->len = klen;
	}
	for (uint32_t c = 0; c < x->ncl; c++) {
		if (best[c].s)
			x->cl[c].keyh = dedup_fnv1a(DEDUP_FNV_INIT, best[c].s,
			                            best[c].len);
		free(best[c].s);
	}
	free(best);
	free(text);
	free(scratch);
}

void dedup_clusters(struct dedup_ctx *x)
{
	/* Flatten: parent = root (a row with the cluster's valid NIK if it
	 * has one, else its smallest index). The names are no longer
	 * needed: rec[].name becomes rec[].cslot, which numbers the
	 * clusters of more than one row at their roots (most rows are
	 * alone, and their clusters stay implicit). */
	for (uint32_t i = 0; i < x->n; i++) {
		x->rec[i].parent = dedup_uf_find(x->rec, i);
		x->rec[i].cslot = 0;
	}
	size_t cap = 0;
	for (uint32_t i = 0; i < x->n; i++) {
		uint32_t p = x->rec[i].parent;
		if (p == i)
			continue;
		if (!x->rec[p].cslot) {
			if (x->ncl == cap) {
				cap = cap ? 2 * cap : 1024;
				x->cl = angka_xrealloc(x->cl, cap * sizeof *x->cl);
			}
			x->rec[p].cslot = ++x->ncl;
			x->cl[x->ncl - 1].size = 0;
			cluster_add(x, &x->cl[x->ncl - 1], p);
		}
		cluster_add(x, &x->cl[x->rec[p].cslot - 1], i);
	}
	dedup_note_bytes(x, cap * sizeof *x->cl +
	                    x->ncl * sizeof(struct nik_vote));
	clusters_survive(x);
	cluster_keys(x);
}

/* Decimal digits of v into out, zero-padded to at least width; the count.
 * (snprintf per output row was a tenth of the stage's time.) */
size_t dedup_put_dec(char *out, uint64_t v, size_t width)
{
	static const char d2[201] =
		"00010203040506070809101112131415161718192021222324"
		"25262728293031323334353637383940414243444546474849"
		"50515253545556575859606162636465666768697071727374"
		"75767778798081828384858687888990919293949596979899";
	if (width == 16 && v < UINT64_C(10000000000000000)) {
		/* A NIK: two independent 8-digit halves, two digits a step. */
		uint32_t hi = (uint32_t)(v / 100000000), lo = (uint32_t)(v % 100000000);
		for (int k = 3; k >= 0; k--) {
			memcpy(out + 2 * k, d2 + 2 * (hi % 100), 2);
			memcpy(out + 8 + 2 * k, d2 + 2 * (lo % 100), 2);
			hi /= 100;
			lo /= 100;
		}
		return 16;
	}
	if (v < 10 && width <= 1) {
		/* A cluster size, a count of heads: most are one digit. */
		out[0] = (char)('0' + v);
		return 1;
	}
	/* Two digits a step from the end of tmp, then the zeros. */
	char tmp[24];
	char *e = tmp + sizeof tmp, *p = e;
	while (v >= 100) {
		p -= 2;
		memcpy(p, d2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, d2 + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	size_t n = (size_t)(e - p);
	size_t z = width > n ? width - n : 0;
	memset(out, '0', z);
	memcpy(out + z, p, n);
	return z + n;
}

/* One FNV-1a 64 step (dedup_fnv1a, inline: called per output row). */
#define CID_FNV_PRIME 0x100000001b3ULL

/* The 8 hex digits of v (lower case, most significant first) as the 8
 * bytes of a word in memory order, without a table or a loop: each
 * nibble spread to a byte, then '0' + nibble, plus 39 for a-f. */
static inline uint64_t cid_hex8(uint32_t v)
{
	uint64_t x = v;
	x = (x | x << 16) & 0x0000FFFF0000FFFFULL;
	x = (x | x << 8) & 0x00FF00FF00FF00FFULL;
	x = (x | x << 4) & 0x0F0F0F0F0F0F0F0FULL;   /* nibble k in byte k */
	uint64_t af = ((x + 0x0606060606060606ULL) >> 4) &
	              0x0101010101010101ULL;          /* 1 where >= 10 */
	x += 0x3030303030303030ULL + af * 39;
	/* Byte k holds nibble k: in memory the most significant first. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	unsigned char b[8], r[8];
	memcpy(b, &x, 8);
	for (int k = 0; k < 8; k++)
		r[k] = b[7 - k];
	memcpy(&x, r, 8);
	return x;
#else
	return __builtin_bswap64(x);
#endif
}

void dedup_cluster_id(const struct dedup_ctx *x, const struct dedup_cluster *cl,
                      char out[18])
{
	uint64_t h;
	if (cl->minnik != UINT32_MAX) {
		/* FNV-1a of "N" + the NIK's digits: the step over "N" is a
		 * constant. (Per output row: the unique pass calls this for
		 * each of its rows.) */
		char buf[24];
		size_t n = dedup_put_dec(buf, x->rec[cl->minnik].nik, 16);
		h = (DEDUP_FNV_INIT ^ (uint64_t)'N') * CID_FNV_PRIME;
		if (n == 16) {   /* every valid NIK: a fixed count, unrolled */
#pragma GCC unroll 16
			for (size_t i = 0; i < 16; i++)
				h = (h ^ (unsigned char)buf[i]) * CID_FNV_PRIME;
		} else {
			for (size_t i = 0; i < n; i++)
				h = (h ^ (unsigned char)buf[i]) * CID_FNV_PRIME;
		}
		/* A NIK shared by several people: each cluster of it is
		 * told apart by its content key. */
		if (dedup_cluster_needs_key(x, cl)) {
			unsigned char kb[8];
			for (int i = 0; i < 8; i++)
				kb[i] = (unsigned char)(cl->keyh >> (8 * i));
			h = dedup_fnv1a(h, kb, 8);
		}
	} else {
		/* The content key of the cluster's smallest member: never
		 * the file's name or the row's line (the same person in
		 * 2023/dtks.csv:5 and 2024/dtks.csv:5, or the rows
		 * shuffled, keeps the id). */
		h = cl->keyh;
	}
	out[0] = 'C';
	uint64_t hi = cid_hex8((uint32_t)(h >> 32)), lo = cid_hex8((uint32_t)h);
	memcpy(out + 1, &hi, 8);
	memcpy(out + 9, &lo, 8);
	out[17] = 0;
}
