/*
 * golden.c - angka-dedup's golden records (--golden, private): one row per
 * person (cluster) whose every field is the value with the most support
 * among the cluster's rows, with the row it came from (<field>_src =
 * "src_file:src_line"). A separate output: the unique file (the survivor's
 * row as it was) does not change.
 *
 * Fields come in groups: the first field of a group (its key) is chosen,
 * the others are taken from the same row (nik_status and the NIK's decoded
 * fields follow the NIK, the address follows kode_wilayah, ...). Identity
 * fields (NIK, name, sex, birth date and place) are chosen among all the
 * cluster's rows; the fields that change over time (No KK, desa and
 * address, programme flags, desil, ...) among its newest rows: the latest
 * tgl_update, then the latest period. Within those, the non-empty value on
 * the most rows wins (for the NIK, first a NIK that agrees with its row's
 * birth date and sex); ties go to the survivor's value, then to the
 * smaller value. The source is the survivor if it carries the value, else
 * the first such row in (src_file, src_line) order. Rows are sorted by
 * cluster id. Only the persons of two or more rows have one, unless
 * [dedup] golden = all (a person of one row is that row).
 * See docs/dedup.md, "Golden record".
 */
#include "ctx.h"

#include <stdlib.h>
#include <string.h>

struct ggroup {
	const char *key;
	int all;             /* chosen among all rows (else the newest) */
	int agree;           /* prefer a NIK agreeing with its row */
	const char *more[6]; /* the fields taken from the same row */
};

static const struct ggroup groups[] = {
	{ "nik", 1, 1, { "nik_status", "nik_kode_kec", "nik_tgl_lahir",
	                 "nik_jenis_kelamin", NULL } },
	{ "nama", 1, 0, { "nama_asli", "gelar", "nama_kunci", NULL } },
	{ "jenis_kelamin", 1, 0, { NULL } },
	{ "tgl_lahir", 1, 0, { NULL } },
	{ "tempat_lahir", 1, 0, { NULL } },
	{ "no_kk", 0, 0, { "kk_status", NULL } },
	{ "kode_wilayah", 0, 0, { "kode_kec", "alamat", "dusun", "rt", "rw",
	                          NULL } },
	{ "hub_krt", 0, 0, { NULL } },
	{ "pkh", 0, 0, { NULL } },
	{ "bpnt", 0, 0, { NULL } },
	{ "kks", 0, 0, { NULL } },
	{ "pbi", 0, 0, { NULL } },
	{ "kip", 0, 0, { NULL } },
	{ "status", 0, 0, { NULL } },
	{ "desil", 0, 0, { NULL } },
	{ "tgl_update", 0, 0, { NULL } },
	{ "iddtks", 0, 0, { NULL } },
	{ "idartbdt", 0, 0, { NULL } },
	{ "periode", 0, 0, { NULL } },
};
#define NGROUPS (sizeof groups / sizeof groups[0])

/* A person: its cluster id's 64 bits ("C" + 16 hex digits: the same
 * order), its root row and cluster slot; 16 bytes. */
struct gperson {
	uint64_t h;
	uint32_t root;
	uint32_t slot;   /* its multi-row cluster + 1; 0: a row alone */
};

/* A row to read: its spool offset, length and place in the chunk. */
struct gread {
	uint64_t off;
	uint32_t len, k;
};

struct gctx {
	struct dedup_ctx *x;
	int key[NGROUPS];          /* input column of each group's key; -1 */
	int more[NGROUPS][6];
	/* The current cluster's rows, in (src_file, src_line) order, their
	 * texts split: field j of member i is f[i * nfields + j]. */
	uint32_t *m;
	uint32_t *mk;              /* member i's row in the chunk */
	size_t nm, mcap;
	const char **f;
	size_t *fl;
	size_t fcap;
	uint32_t *cand;            /* members taking part in a choice */
	int kcol;                  /* the column qsort compares */
	struct dedup_buf src;      /* "src_file:src_line" */
	struct angka_error *e;
	/* The chunk: the rows of a run of persons, read in offset order
	 * (golden_read_chunk); row k is crow[k], its text (split in place)
	 * at ctext + cpos[k], ctlen[k] bytes. */
	uint32_t *crow;
	struct gread *rd;
	size_t *cpos, *clen;
	size_t ncrow, crcap;
	char *ctext;
	size_t ctcap;
	char *sbuf;                /* a span of the spool */
	size_t sbcap;
};

/* qsort has no context argument in C11; the sorts here run once, on one
 * thread (like the review pairs in output.c). */
static struct gctx *gsort;

/* Chunk rows (their indices) by (src_file, src_line), then row. */
static int member_cmp(const void *pa, const void *pb)
{
	uint32_t a = gsort->crow[*(const uint32_t *)pa];
	uint32_t b = gsort->crow[*(const uint32_t *)pb];
	int c = dedup_first_line_cmp(gsort->x, a, b);
	return c ? c : (a > b) - (a < b);
}

static int gread_cmp(const void *pa, const void *pb)
{
	const struct gread *a = pa, *b = pb;
	return (a->off > b->off) - (a->off < b->off);
}

/* Candidates (member indices) by the value of column kcol, then by
 * member index (the first row in line order first). */
static int cand_cmp(const void *pa, const void *pb)
{
	const struct gctx *g = gsort;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	size_t nf = g->x->nfields;
	const char *sa = g->f[a * nf + (size_t)g->kcol];
	const char *sb = g->f[b * nf + (size_t)g->kcol];
	size_t la = g->fl[a * nf + (size_t)g->kcol];
	size_t lb = g->fl[b * nf + (size_t)g->kcol];
	int k = memcmp(sa, sb, la < lb ? la : lb);
	if (!k)
		k = (la > lb) - (la < lb);
	return k ? k : (a > b) - (a < b);
}

static int person_cmp(const void *pa, const void *pb)
{
	const struct gperson *a = pa, *b = pb;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	int c = dedup_first_line_cmp(gsort->x, a->root, b->root);
	return c ? c : (a->root > b->root) - (a->root < b->root);
}

/* Sort v[0..n) by cmp (a total order: equal only for equal elements, so
 * any sort gives the same result): most clusters have two rows, and
 * qsort's call (its merge sort's setup) cost several times the few
 * comparisons of an insertion sort, twenty times per person. */
static void golden_sort_u32(uint32_t *v, size_t n,
                            int (*cmp)(const void *, const void *))
{
	if (n > 16) {
		qsort(v, n, sizeof *v, cmp);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint32_t t = v[i];
		size_t j = i;
		for (; j > 0 && cmp(&v[j - 1], &t) > 0; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

/* The 64 bits of a cluster id "C" + 16 hex digits. */
static uint64_t golden_cid_bits(const char cid[18])
{
	uint64_t h = 0;
	for (int k = 1; k < 17; k++)
		h = h << 4 | (uint64_t)(cid[k] <= '9' ? cid[k] - '0'
		                                       : cid[k] - 'a' + 10);
	return h;
}

static int find_col(const struct dedup_ctx *x, const char *name)
{
	for (size_t i = 0; i < x->nfields; i++)
		if (strcmp(x->header[i], name) == 0)
			return (int)i;
	return -1;
}

/* Spans of the spool read at once: rows closer than GOLDEN_GAP bytes
 * share one read, up to GOLDEN_SPAN bytes. */
#define GOLDEN_GAP 4096
#define GOLDEN_SPAN ((size_t)1 << 20)
/* A chunk: the persons whose rows come to this many, or (at 512 bytes a
 * row, about twice a DTKS row) these bytes. */
#define GOLDEN_CHUNK_ROWS 16384
#define GOLDEN_CHUNK_BYTES ((size_t)8 << 20)

/* Add row i to the chunk (its offsets: chunk_offsets). */
static void chunk_add(struct gctx *g, uint32_t i)
{
	if (g->ncrow == g->crcap) {
		g->crcap = g->crcap ? 2 * g->crcap : 4096;
		g->crow = angka_xrealloc(g->crow, g->crcap * sizeof *g->crow);
		g->rd = angka_xrealloc(g->rd, g->crcap * sizeof *g->rd);
		g->cpos = angka_xrealloc(g->cpos, g->crcap * sizeof *g->cpos);
		g->clen = angka_xrealloc(g->clen, g->crcap * sizeof *g->clen);
	}
	g->crow[g->ncrow++] = i;
}

/* The spool ranges of the chunk's rows, in a loop of its own: the rows
 * lie anywhere in rec[], and independent loads overlap their misses. */
static void chunk_offsets(struct gctx *g)
{
	const struct dedup_ctx *x = g->x;
	for (size_t k = 0; k < g->ncrow; k++) {
		uint32_t i = g->crow[k];
		if (k + 8 < g->ncrow)
			__builtin_prefetch(&x->rec[g->crow[k + 8]]);
		uint64_t off = dedup_row_off(x, i);
		uint64_t end = i + 1 < x->n ? dedup_row_off(x, i + 1)
		                            : x->spool.len;
		g->rd[k].off = off;
		g->rd[k].len = (uint32_t)(end - off);
		g->rd[k].k = (uint32_t)k;
	}
}

/* The texts of the chunk's rows, read in offset order: the rows sorted
 * by offset, neighbours read in one span (one pread instead of one per
 * row), each text copied to its place and NUL-terminated (as
 * dedup_row_text gives it: without the line end of a spool of files). */
static enum angka_err chunk_read(struct gctx *g)
{
	struct dedup_ctx *x = g->x;
	size_t n = g->ncrow, total = 0;
	for (size_t k = 0; k < n; k++) {
		g->cpos[k] = total;
		total += (size_t)g->rd[k].len + 1;
	}
	if (total > g->ctcap) {
		g->ctcap = 2 * total;
		g->ctext = angka_xrealloc(g->ctext, g->ctcap);
	}
	if (n > 1)
		qsort(g->rd, n, sizeof *g->rd, gread_cmp);
	for (size_t s = 0; s < n;) {
		uint64_t so, left, start = g->rd[s].off;
		(void)dedup_spool_segment(&x->spool, start, &so, &left);
		uint64_t end = start + g->rd[s].len;
		size_t t = s + 1;
		for (; t < n; t++) {
			uint64_t o = g->rd[t].off, oe = o + g->rd[t].len;
			if (o > end + GOLDEN_GAP || oe - start > GOLDEN_SPAN ||
			    oe - start > left)
				break;
			if (oe > end)
				end = oe;
		}
		size_t span = (size_t)(end - start);
		if (span > g->sbcap) {
			g->sbcap = span > GOLDEN_SPAN ? span : GOLDEN_SPAN;
			g->sbuf = angka_xrealloc(g->sbuf, g->sbcap);
		}
		if (span && dedup_spool_read(&x->spool, start, g->sbuf, span,
		                             g->e) != ANGKA_OK)
			return g->e->code;
		for (; s < t; s++) {
			const struct gread *r = &g->rd[s];
			char *to = g->ctext + g->cpos[r->k];
			size_t len = r->len;
			memcpy(to, g->sbuf + (r->off - start), len);
			while (len && (to[len - 1] == '\n' || to[len - 1] == '\r'))
				len--;
			to[len] = 0;
			g->clen[r->k] = len;
		}
	}
	return ANGKA_OK;
}

/* Split the texts of the members mk[0..nm) (chunk rows). */
static void load_members(struct gctx *g)
{
	size_t nf = g->x->nfields;
	if (g->nm * nf > g->fcap) {
		g->fcap = g->nm * nf * 2;
		g->f = angka_xrealloc(g->f, g->fcap * sizeof *g->f);
		g->fl = angka_xrealloc(g->fl, g->fcap * sizeof *g->fl);
		g->cand = angka_xrealloc(g->cand, g->fcap * sizeof *g->cand);
	}
	for (size_t i = 0; i < g->nm; i++) {
		size_t k = g->mk[i];
		dedup_split(g->ctext + g->cpos[k], g->clen[k], nf, g->f + i * nf,
		            g->fl + i * nf);
	}
}

static void put_src(struct angka_csv_writer *w, struct gctx *g, size_t i)
{
	const struct dedup_ctx *x = g->x;
	size_t nf = x->nfields;
	size_t cf = (size_t)x->col[COL_SRC_FILE], cl = (size_t)x->col[COL_SRC_LINE];
	size_t lf = g->fl[i * nf + cf], ll = g->fl[i * nf + cl];
	if (lf + ll + 1 > g->src.cap) {
		g->src.cap = 2 * (lf + ll + 1);
		g->src.s = angka_xrealloc(g->src.s, g->src.cap);
	}
	memcpy(g->src.s, g->f[i * nf + cf], lf);
	g->src.s[lf] = ':';
	memcpy(g->src.s + lf + 1, g->f[i * nf + cl], ll);
	angka_csv_writer_field(w, g->src.s, lf + 1 + ll);
}

/* Choose and write every group of the person whose rows are loaded;
 * surv is the cluster's survivor row. */
static void write_person(struct gctx *g, struct angka_csv_writer *w,
                         const char *cid, uint32_t surv)
{
	struct dedup_ctx *x = g->x;
	size_t nf = x->nfields;
	/* The newest rows: the latest tgl_update, then the latest period. */
	int32_t upd = INT32_MIN;
	unsigned per = 0;
	for (size_t i = 0; i < g->nm; i++)
		if (x->rec[g->m[i]].upd > upd)
			upd = x->rec[g->m[i]].upd;
	for (size_t i = 0; i < g->nm; i++)
		if (x->rec[g->m[i]].upd == upd &&
		    dedup_row_period(x, g->m[i]) > per)
			per = dedup_row_period(x, g->m[i]);
	angka_csv_writer_raw(w, cid, 17);
	angka_csv_writer_long(w, (long long)g->nm);
	for (size_t k = 0; k < NGROUPS; k++) {
		const struct ggroup *gr = &groups[k];
		int kc = g->key[k];
		if (kc < 0)
			continue;
		size_t nc = 0;
		for (size_t i = 0; i < g->nm; i++) {
			uint32_t r = g->m[i];
			if (!g->fl[i * nf + (size_t)kc])
				continue;
			if (!gr->all && (x->rec[r].upd != upd ||
			                 dedup_row_period(x, r) != per))
				continue;
			g->cand[nc++] = (uint32_t)i;
		}
		g->kcol = kc;
		if (nc > 1)
			golden_sort_u32(g->cand, nc, cand_cmp);
		/* The runs of equal values: the best by agreement (the NIK),
		 * support, the survivor's value; the first run (the smaller
		 * value) on a tie. A run's source: the survivor, else its first
		 * member (its first row). */
		size_t best = SIZE_MAX, bn = 0, bsrc = 0;
		int bagree = 0, bsurv = 0;
		for (size_t s = 0; s < nc;) {
			size_t t = s, ssrc = g->cand[s];
			int agree = 0, hs = 0;
			for (; t < nc; t++) {
				if (t > s) {
					uint32_t a = g->cand[s], b = g->cand[t];
					size_t la = g->fl[a * nf + (size_t)kc];
					if (la != g->fl[b * nf + (size_t)kc] ||
					    memcmp(g->f[a * nf + (size_t)kc],
					           g->f[b * nf + (size_t)kc], la))
						break;
				}
				uint32_t r = g->m[g->cand[t]];
				agree |= gr->agree && dedup_nik_agrees(&x->rec[r]);
				if (r == surv) {
					hs = 1;
					ssrc = g->cand[t];
				}
			}
			size_t n = t - s;
			int better = best == SIZE_MAX;
			if (!better && agree != bagree)
				better = agree > bagree;
			else if (!better && n != bn)
				better = n > bn;
			else if (!better)
				better = hs > bsurv;
			if (better) {
				best = s;
				bn = n;
				bagree = agree;
				bsurv = hs;
				bsrc = ssrc;
			}
			s = t;
		}
		size_t src = best == SIZE_MAX ? SIZE_MAX : bsrc;
		for (int j = -1; j < 0 || gr->more[j]; j++) {
			int c = j < 0 ? kc : g->more[k][j];
			if (src == SIZE_MAX || c < 0)
				angka_csv_writer_raw(w, "", 0);
			else
				angka_csv_writer_field(w, g->f[src * nf + (size_t)c],
				                       g->fl[src * nf + (size_t)c]);
		}
		if (src == SIZE_MAX)
			angka_csv_writer_raw(w, "", 0);
		else
			put_src(w, g, src);
	}
	angka_csv_writer_end_row(w);
}

enum angka_err dedup_golden(struct dedup_ctx *x, struct angka_csv_writer **wp,
                            struct angka_error *e)
{
	*wp = NULL;
	if (!x->o->golden)
		return ANGKA_OK;
	struct gctx g;
	memset(&g, 0, sizeof g);
	g.x = x;
	g.e = e;
	for (size_t k = 0; k < NGROUPS; k++) {
		g.key[k] = find_col(x, groups[k].key);
		for (int j = 0; groups[k].more[j]; j++)
			g.more[k][j] = find_col(x, groups[k].more[j]);
	}
	struct angka_csv_writer *w = NULL;
	struct gperson *pp = NULL;
	char *kbuf = NULL, *tbuf = NULL;
	size_t kcap = 0, tcap = 0, np = 0;
	enum angka_err rc = angka_csv_writer_open(&w, x->o->golden,
	                                          ANGKA_CSV_WRITER_PRIVATE, e);
	if (rc != ANGKA_OK)
		return rc;
	/* Header: cluster_id, cluster_size, then each group's fields and
	 * its key's _src. */
	angka_csv_writer_str(w, "cluster_id");
	angka_csv_writer_str(w, "cluster_size");
	for (size_t k = 0; k < NGROUPS; k++) {
		if (g.key[k] < 0)
			continue;
		angka_csv_writer_str(w, groups[k].key);
		for (int j = 0; groups[k].more[j]; j++)
			angka_csv_writer_str(w, groups[k].more[j]);
		char name[64];
		snprintf(name, sizeof name, "%s_src", groups[k].key);
		angka_csv_writer_str(w, name);
	}
	angka_csv_writer_end_row(w);

	/* The persons: the multi-row clusters (their rows bucketed by
	 * slot, ascending, by cluster.c) and, with golden = all, each row
	 * alone (a scan of the rows). */
	size_t ppcap = x->s->golden_all ? (size_t)x->n : (size_t)x->ncl;
	pp = angka_xmalloc((ppcap ? ppcap : 1) * sizeof *pp);
	for (uint32_t slot = 1; slot <= x->ncl; slot++) {
		const struct dedup_cluster *c = &x->cl[slot - 1];
		char cid[18];
		dedup_cluster_id(x, c, cid);
		pp[np].h = golden_cid_bits(cid);
		pp[np].slot = slot;
		pp[np++].root = x->rec[x->cl_rows[x->cl_start[slot - 1]]].parent;
	}
	for (uint32_t i = 0; x->s->golden_all && i < x->n; i++) {
		const struct dedup_rec *r = &x->rec[i];
		if (r->parent != i || r->cslot)
			continue;
		/* A person of one row: the golden record is that row (every
		 * _src the row itself). */
		struct dedup_cluster one;
		const struct dedup_cluster *c = dedup_cluster_of(x, i, &one);
		if (dedup_cluster_needs_key(x, c)) {
			size_t len = dedup_row_text(x, i, &tbuf, &tcap, e);
			if (len == (size_t)-1) {
				rc = e->code;
				goto cleanup;
			}
			one.keyh = dedup_row_keyh(x, tbuf, len, &kbuf, &kcap,
			                          NULL, NULL);
		}
		char cid[18];
		dedup_cluster_id(x, c, cid);
		pp[np].h = golden_cid_bits(cid);
		pp[np].slot = 0;
		pp[np++].root = i;
	}
	dedup_note_bytes(x, ppcap * sizeof *pp);
	gsort = &g;
	qsort(pp, np, sizeof *pp, person_cmp);
	/* In chunks of persons: their rows read in offset order, then each
	 * person chosen and written in cluster id order. */
	size_t *pk = NULL;   /* person p0 + q's rows: chunk pk[q] .. pk[q + 1] */
	size_t pkcap = 0;
	for (size_t p0 = 0; p0 < np;) {
		size_t p1 = p0, bytes = 0;
		g.ncrow = 0;
		while (p1 < np && (p1 == p0 || (g.ncrow < GOLDEN_CHUNK_ROWS &&
		                                bytes < GOLDEN_CHUNK_BYTES))) {
			if (p1 - p0 + 2 > pkcap) {
				pkcap = 2 * (p1 - p0 + 2);
				pk = angka_xrealloc(pk, pkcap * sizeof *pk);
			}
			pk[p1 - p0] = g.ncrow;
			uint32_t slot = pp[p1].slot;
			if (slot) {
				for (uint32_t a = x->cl_start[slot - 1];
				     a < x->cl_start[slot]; a++)
					chunk_add(&g, x->cl_rows[a]);
				bytes += (size_t)(x->cl_start[slot] -
				                  x->cl_start[slot - 1]) * 512;
			} else {
				chunk_add(&g, pp[p1].root);
				bytes += 512;
			}
			p1++;
		}
		pk[p1 - p0] = g.ncrow;
		chunk_offsets(&g);
		if ((rc = chunk_read(&g)) != ANGKA_OK)
			goto cleanup_pk;
		for (size_t p = p0; p < p1; p++) {
			size_t a = pk[p - p0], b = pk[p - p0 + 1];
			uint32_t r = pp[p].root, slot = pp[p].slot;
			uint32_t surv = slot ? x->cl[slot - 1].surv : r;
			if (b - a > g.mcap) {
				g.mcap = 2 * (b - a);
				g.m = angka_xrealloc(g.m, g.mcap * sizeof *g.m);
				g.mk = angka_xrealloc(g.mk, g.mcap * sizeof *g.mk);
			}
			g.nm = b - a;
			for (size_t q = 0; q < g.nm; q++)
				g.mk[q] = (uint32_t)(a + q);
			if (g.nm > 1)
				golden_sort_u32(g.mk, g.nm, member_cmp);
			for (size_t q = 0; q < g.nm; q++)
				g.m[q] = g.crow[g.mk[q]];
			load_members(&g);
			char cid[18];
			snprintf(cid, sizeof cid, "C%016llx",
			         (unsigned long long)pp[p].h);
			write_person(&g, w, cid, surv);
		}
		p0 = p1;
	}
	free(pk);
	pk = NULL;
	*wp = w;
	w = NULL;
cleanup_pk:
	free(pk);
cleanup:
	gsort = NULL;
	angka_csv_writer_abort(w);
	free(pp);
	free(kbuf);
	free(tbuf);
	free(g.m);
	free(g.mk);
	free(g.crow);
	free(g.rd);
	free(g.cpos);
	free(g.clen);
	free(g.ctext);
	free(g.sbuf);
	free(g.f);
	free(g.fl);
	free(g.cand);
	free(g.src.s);
	return rc;
}
