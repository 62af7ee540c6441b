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
 * order) and its root row; 16 bytes. */
struct gperson {
	uint64_t h;
	uint32_t root;
};

struct gctx {
	struct dedup_ctx *x;
	int key[NGROUPS];          /* input column of each group's key; -1 */
	int more[NGROUPS][6];
	/* The current cluster's rows, in (src_file, src_line) order, their
	 * texts split: field j of member i is f[i * nfields + j]. */
	uint32_t *m;
	size_t nm, mcap;
	char *arena;
	size_t alen, acap;
	size_t *aoff;              /* member i's text at arena + aoff[i] */
	const char **f;
	size_t *fl;
	size_t fcap;
	uint32_t *cand;            /* members taking part in a choice */
	int kcol;                  /* the column qsort compares */
	struct dedup_buf src;      /* "src_file:src_line" */
	struct angka_error *e;
};

/* qsort has no context argument in C11; the sorts here run once, on one
 * thread (like the review pairs in output.c). */
static struct gctx *gsort;

static int member_cmp(const void *a, const void *b)
{
	return dedup_first_line_cmp(gsort->x, *(const uint32_t *)a,
	                            *(const uint32_t *)b);
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
	return dedup_first_line_cmp(gsort->x, a->root, b->root);
}

static int find_col(const struct dedup_ctx *x, const char *name)
{
	for (size_t i = 0; i < x->nfields; i++)
		if (strcmp(x->header[i], name) == 0)
			return (int)i;
	return -1;
}

/* Read and split the texts of the members m[0..nm). */
static enum angka_err load_members(struct gctx *g)
{
	struct dedup_ctx *x = g->x;
	size_t nf = x->nfields;
	if (g->nm * nf > g->fcap) {
		g->fcap = g->nm * nf * 2;
		g->f = angka_xrealloc(g->f, g->fcap * sizeof *g->f);
		g->fl = angka_xrealloc(g->fl, g->fcap * sizeof *g->fl);
		g->aoff = angka_xrealloc(g->aoff, g->fcap * sizeof *g->aoff);
		g->cand = angka_xrealloc(g->cand, g->fcap * sizeof *g->cand);
	}
	char *buf = NULL;
	size_t cap = 0;
	g->alen = 0;
	for (size_t i = 0; i < g->nm; i++) {
		size_t len = dedup_row_text(x, g->m[i], &buf, &cap, g->e);
		if (len == (size_t)-1) {
			free(buf);
			return g->e->code;
		}
		if (g->alen + len + 1 > g->acap) {
			g->acap = (g->alen + len + 1) * 2;
			g->arena = angka_xrealloc(g->arena, g->acap);
		}
		memcpy(g->arena + g->alen, buf, len);
		g->arena[g->alen + len] = 0;
		g->aoff[i] = g->alen;
		g->alen += len + 1;
	}
	free(buf);
	for (size_t i = 0; i < g->nm; i++) {
		size_t next = i + 1 < g->nm ? g->aoff[i + 1] : g->alen;
		dedup_split(g->arena + g->aoff[i], next - g->aoff[i] - 1, nf,
		            g->f + i * nf, g->fl + i * nf);
	}
	return ANGKA_OK;
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
			qsort(g->cand, nc, sizeof *g->cand, cand_cmp);
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
	uint32_t *start = NULL, *rows = NULL, *bucket = NULL;
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

	/* One scan of the rows: the persons, and the rows of each multi-row
	 * cluster (ascending), counted by cluster slot. Without golden =
	 * all the persons are the ncl multi-row clusters. */
	size_t ppcap = x->s->golden_all ? (size_t)x->n : (size_t)x->ncl;
	pp = angka_xmalloc((ppcap ? ppcap : 1) * sizeof *pp);
	start = angka_xcalloc((size_t)x->ncl + 2, sizeof *start);
	size_t nmem = 0, memcap = 0;
	for (uint32_t i = 0; i < x->n; i++) {
		const struct dedup_rec *r = &x->rec[i];
		uint32_t slot = r->parent == i ? r->cslot
		                               : x->rec[r->parent].cslot;
		if (slot) {
			start[slot]++;
			if (nmem == memcap) {
				memcap = memcap ? 2 * memcap : 4096;
				rows = angka_xrealloc(rows, memcap * sizeof *rows);
			}
			rows[nmem++] = i;
		}
		if (r->parent != i)
			continue;
		/* A person of one row: the golden record is that row
		 * (every _src the row itself); written only with golden =
		 * all. */
		if (!slot && !x->s->golden_all)
			continue;
		struct dedup_cluster one;
		const struct dedup_cluster *c = dedup_cluster_of(x, i, &one);
		if (c == &one && dedup_cluster_needs_key(x, c)) {
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
		uint64_t h = 0;
		for (int k = 1; k < 17; k++)
			h = h << 4 | (uint64_t)(cid[k] <= '9' ? cid[k] - '0'
			                                       : cid[k] - 'a' + 10);
		pp[np].h = h;
		pp[np++].root = i;
	}
	for (uint32_t c = 1; c <= x->ncl; c++)
		start[c] += start[c - 1];
	start[x->ncl + 1] = start[x->ncl];
	/* Bucketed by slot, each bucket ascending: rows[start[s] ..
	 * start[s + 1]) are the rows of slot s. */
	bucket = angka_xmalloc((nmem ? nmem : 1) * sizeof *bucket);
	for (size_t k = nmem; k-- > 0;) {
		uint32_t i = rows[k];
		uint32_t slot = x->rec[x->rec[i].parent].cslot;
		bucket[--start[slot]] = i;
	}
	free(rows);
	rows = bucket;
	bucket = NULL;

	dedup_note_bytes(x, ppcap * sizeof *pp + nmem * 2 * sizeof *rows);
	gsort = &g;
	qsort(pp, np, sizeof *pp, person_cmp);
	for (size_t p = 0; p < np; p++) {
		uint32_t r = pp[p].root, slot = x->rec[r].cslot;
		uint32_t surv = r;
		g.nm = 0;
		if (slot) {
			uint32_t a = start[slot], b = start[slot + 1];
			if (b - a > g.mcap) {
				g.mcap = b - a;
				g.m = angka_xrealloc(g.m, g.mcap * sizeof *g.m);
			}
			memcpy(g.m, rows + a, (b - a) * sizeof *g.m);
			g.nm = b - a;
			qsort(g.m, g.nm, sizeof *g.m, member_cmp);
			surv = x->cl[slot - 1].surv;
		} else {
			if (!g.mcap) {
				g.mcap = 16;
				g.m = angka_xmalloc(g.mcap * sizeof *g.m);
			}
			g.m[g.nm++] = r;
		}
		if ((rc = load_members(&g)) != ANGKA_OK)
			goto cleanup;
		char cid[18];
		snprintf(cid, sizeof cid, "C%016llx", (unsigned long long)pp[p].h);
		write_person(&g, w, cid, surv);
	}
	*wp = w;
	w = NULL;
cleanup:
	gsort = NULL;
	angka_csv_writer_abort(w);
	free(start);
	free(rows);
	free(bucket);
	free(pp);
	free(kbuf);
	free(tbuf);
	free(g.m);
	free(g.arena);
	free(g.aoff);
	free(g.f);
	free(g.fl);
	free(g.cand);
	free(g.src.s);
	return rc;
}
