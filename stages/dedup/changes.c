/*
 * changes.c - angka-dedup's registry changes between two periods
 * (perubahan): after the clusters, each person (cluster) is looked up in the
 * previous and the current period; the persons added (tambah), removed
 * (hapus), moved (pindah: kode_wilayah or kode_kec changed) or changed
 * (ubah: no_kk, desil or a programme flag changed) go to --perubahan
 * (private), their counts per desa to --perubahan-desa (no personal data;
 * the desa's name from --wilayah).
 * See docs/dedup.md, "Perubahan antar periode".
 *
 * A person's row in a period is its representative there: the best row of
 * that period by the survivor criteria without first_line, then the
 * smallest content (every field but src_file and src_line), so neither the
 * order of the rows nor the file names change it. Both files are sorted by
 * content (desa, then cluster id), so they are byte-identical for any input
 * order and file names.
 *
 * Cost: the representatives are chosen from the records (their text is
 * read only to break a tie), then one scan of the rows in order hashes
 * each representative's compared fields; the persons are classified on
 * the hashes and the records, and only the persons listed are read again.
 * 24 bytes a row while it runs.
 */
#include "ctx.h"
#include "publish.h"

#include <stdlib.h>
#include <string.h>

#include "region.h"

#define NONE UINT32_MAX

enum chg_status { CHG_TETAP, CHG_TAMBAH, CHG_HAPUS, CHG_PINDAH, CHG_UBAH };
static const char *const status_name[] = { "tetap", "tambah", "hapus",
                                           "pindah", "ubah" };

/* The compared fields, in the order berubah lists them: the first two
 * decide pindah, the others ubah. */
enum { F_KODE_WILAYAH, F_KODE_KEC, F_NO_KK, F_DESIL, F_PKH, F_BPNT, F_KKS,
       F_PBI, F_KIP, NCMP };
static const char *const cmp_col[NCMP] = { "kode_wilayah", "kode_kec",
	"no_kk", "desil", "pkh", "bpnt", "kks", "pbi", "kip" };
#define NMOVE 2   /* F_KODE_WILAYAH, F_KODE_KEC */

/* A person listed in perubahan.csv (its text is read again to write it). */
struct chg_row {
	uint64_t desa;       /* sort key: kode_wilayah (current, else
	                      * previous); UINT64_MAX: none */
	char cid[18];
	uint8_t status;
	uint32_t prev, cur;  /* representative rows; NONE: absent */
};

/* Persons per desa (open addressing on kode_wilayah + 1; 0: empty slot). */
struct chg_desa {
	uint64_t key;
	uint64_t jiwa_lama, jiwa_baru, tambah, hapus, masuk, keluar, ubah;
};

/* A row's text split into fields (a buffer of its own). */
struct chg_text {
	char *buf;
	size_t cap;
	const char **f;
	size_t *fl;
};

struct chg {
	struct dedup_ctx *x;
	struct dedup_settings sord;  /* x->s without content, first_line */
	int col[NCMP];               /* input column of each field; -1 */
	int col_nik, col_nama;
	struct chg_text t[4];        /* prev, cur, two for comparisons */
	struct chg_desa *dc;
	size_t ndc, dccap;
	struct chg_row *rows;
	size_t nrows, rowcap;
	char *kbuf;                  /* dedup_row_keyh scratch */
	size_t kcap;
	struct dedup_window win;     /* over the spool, for the scan */
	uint64_t *hv;                /* hv[2i], hv[2i + 1]: row i's hashes of
	                              * kode_wilayah, kode_kec and of the
	                              * other compared fields (reps only) */
	struct angka_error *e;
	enum angka_err rc;           /* a read error in a comparison */
};

static int find_col(const struct dedup_ctx *x, const char *name)
{
	for (size_t i = 0; i < x->nfields; i++)
		if (strcmp(x->header[i], name) == 0)
			return (int)i;
	return -1;
}

/* Read row i into t and split it; 0, or -1 with c->rc and c->e set. */
static int text_load(struct chg *c, struct chg_text *t, uint32_t i)
{
	size_t len = dedup_row_text(c->x, i, &t->buf, &t->cap, c->e);
	if (len == (size_t)-1) {
		c->rc = c->e->code;
		return -1;
	}
	dedup_split(t->buf, len, c->x->nfields, t->f, t->fl);
	return 0;
}

/* The same through the window c->win, for a scan in row order (no read
 * call a row). */
static int text_load_seq(struct chg *c, struct chg_text *t, uint32_t i)
{
	const char *p;
	size_t len = dedup_row_text_seq(c->x, &c->win, i, &p, c->e);
	if (len == (size_t)-1) {
		c->rc = c->e->code;
		return -1;
	}
	if (len + 1 > t->cap) {
		t->cap = (len + 1) * 2;
		t->buf = angka_xrealloc(t->buf, t->cap);
	}
	memcpy(t->buf, p, len);   /* split unquotes in place: a copy */
	t->buf[len] = 0;
	dedup_split(t->buf, len, c->x->nfields, t->f, t->fl);
	return 0;
}

static int field_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	int k = memcmp(a, b, al < bl ? al : bl);
	return k ? k : (al > bl) - (al < bl);
}

/* Rows a and b (loaded into ta, tb) by content: every field except
 * src_file and src_line, in column order. */
static int content_cmp(const struct chg *c, const struct chg_text *ta,
                       const struct chg_text *tb)
{
	const struct dedup_ctx *x = c->x;
	for (size_t k = 0; k < x->nfields; k++) {
		if ((int)k == x->col[COL_SRC_FILE] || (int)k == x->col[COL_SRC_LINE])
			continue;
		int d = field_cmp(ta->f[k], ta->fl[k], tb->f[k], tb->fl[k]);
		if (d)
			return d;
	}
	return 0;
}

/* Whether row a represents its person in a period rather than row b: the
 * survivor criteria without first_line (within one period, no majority
 * NIK), then the smaller content, then the first line (identical content:
 * the output is the same either way). */
static int rep_better(struct chg *c, uint32_t a, uint32_t b)
{
	const struct dedup_ctx *x = c->x;
	struct dedup_surv_row sa = { &x->rec[a], NULL, dedup_row_period(x, a), 0 };
	struct dedup_surv_row sb = { &x->rec[b], NULL, dedup_row_period(x, b), 0 };
	int k = dedup_survivor_cmp(&c->sord, &sa, &sb);
	if (k)
		return k < 0;
	if (text_load(c, &c->t[2], a) || text_load(c, &c->t[3], b))
		return 0;
	k = content_cmp(c, &c->t[2], &c->t[3]);
	return k ? k < 0 : dedup_first_line_cmp(x, a, b) < 0;
}

/* Row r's desa: its kode_wilayah as read (dedup_rec_wil); 0 (tanpa
 * wilayah) when it has none, also when only its kecamatan is known. */
static uint64_t rec_desa(const struct dedup_rec *r)
{
	uint64_t w = dedup_rec_wil(r);
	return w % 10000 ? w : 0;
}

/* FNV-1a of fields [from, to) of the compared fields of t, each with its
 * length (so "1","" and "","1" differ). */
static uint64_t fields_hash(const struct chg *c, const struct chg_text *t,
                            int from, int to)
{
	uint64_t h = DEDUP_FNV_INIT;
	for (int k = from; k < to; k++) {
		int col = c->col[k];
		uint32_t len = col >= 0 ? (uint32_t)t->fl[col] : 0;
		h = dedup_fnv1a(h, &len, sizeof len);
		if (len)
			h = dedup_fnv1a(h, t->f[col], len);
	}
	return h;
}

static size_t desa_slot(const struct chg *c, uint64_t key)
{
	size_t mask = c->dccap - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
	while (c->dc[i].key && c->dc[i].key != key)
		i = (i + 1) & mask;
	return i;
}

static struct chg_desa *desa_get(struct chg *c, uint64_t wil)
{
	if ((c->ndc + 1) * 2 > c->dccap) {
		struct chg_desa *old = c->dc;
		size_t on = c->dccap;
		c->dccap = on ? 2 * on : 256;
		c->dc = angka_xcalloc(c->dccap, sizeof *c->dc);
		for (size_t i = 0; i < on; i++)
			if (old[i].key)
				c->dc[desa_slot(c, old[i].key)] = old[i];
		free(old);
	}
	size_t i = desa_slot(c, wil + 1);
	if (!c->dc[i].key) {
		c->dc[i].key = wil + 1;
		c->ndc++;
	}
	return &c->dc[i];
}

static int field_eq(const struct chg_text *a, const struct chg_text *b,
                    int k)
{
	return k < 0 || (a->fl[k] == b->fl[k] &&
	                 memcmp(a->f[k], b->f[k], a->fl[k]) == 0);
}

void dedup_period_text(unsigned code, char out[8])
{
	unsigned v = code - 1, y = v / 13 + 1900, m = v % 13;
	if (m)
		snprintf(out, 8, "%04u-%02u", y % 10000, m);
	else
		snprintf(out, 8, "%04u", y % 10000);
}

/* "PREV,CUR" into two period codes; -1 if not two periods, PREV older. */
int dedup_parse_change_periods(const char *s, unsigned *prev, unsigned *cur)
{
	const char *comma = strchr(s, ',');
	if (!comma)
		return -1;
	const char *a = s, *b = comma + 1;
	size_t al = (size_t)(comma - s), bl = strlen(b);
	while (al && a[0] == ' ')
		a++, al--;
	while (al && a[al - 1] == ' ')
		al--;
	while (bl && b[0] == ' ')
		b++, bl--;
	while (bl && b[bl - 1] == ' ')
		bl--;
	*prev = dedup_period_code(a, al);
	*cur = dedup_period_code(b, bl);
	return *prev && *cur && *prev < *cur ? 0 : -1;
}

/* The two periods compared: the override, else the two newest present.
 * 0 with *prev = 0 if the input has fewer than two. */
static enum angka_err choose_periods(struct chg *c, unsigned *prev,
                                     unsigned *cur, struct angka_error *e)
{
	struct dedup_ctx *x = c->x;
	*prev = *cur = 0;
	if (!x->period)
		return ANGKA_OK;
	uint8_t *seen = angka_xcalloc(DEDUP_PERIOD_MAX + 1, 1);
	for (uint32_t i = 0; i < x->n; i++)
		seen[x->period[i]] = 1;
	const char *want = x->o->change_periods ? x->o->change_periods
	                   : x->s->change_periods;
	enum angka_err rc = ANGKA_OK;
	if (want) {
		unsigned p, q;
		if (dedup_parse_change_periods(want, &p, &q)) {
			/* Checked by the settings and the command line. */
			rc = ANGKA_ERR(e, ANGKA_EUSAGE, "perubahan periods '%s': "
			               "expected PREV,CUR (YYYY or YYYY-MM, PREV "
			               "older)", want);
		} else if (!seen[p] || !seen[q]) {
			char t[8];
			dedup_period_text(seen[p] ? q : p, t);
			rc = ANGKA_ERR(e, ANGKA_EDATA, "perubahan periods: no row "
			               "of period %s in the input", t);
		} else {
			*prev = p;
			*cur = q;
		}
	} else {
		for (unsigned k = DEDUP_PERIOD_MAX; k > 0; k--) {
			if (!seen[k])
				continue;
			if (!*cur) {
				*cur = k;
			} else {
				*prev = k;
				break;
			}
		}
		if (!*prev)
			*cur = 0;
	}
	free(seen);
	return rc;
}

static struct chg_row *row_add(struct chg *c)
{
	if (c->nrows == c->rowcap) {
		c->rowcap = c->rowcap ? 2 * c->rowcap : 256;
		c->rows = angka_xrealloc(c->rows, c->rowcap * sizeof *c->rows);
	}
	return &c->rows[c->nrows++];
}

/* One person (cluster of root r) with its rows p (previous period) and q
 * (current), either NONE: classified, counted per desa, listed if changed. */
static int person(struct chg *c, uint32_t r, uint32_t p, uint32_t q)
{
	struct dedup_ctx *x = c->x;
	struct dedup_stats *st = x->st;
	uint64_t dp = p != NONE ? rec_desa(&x->rec[p]) : 0;
	uint64_t dq = q != NONE ? rec_desa(&x->rec[q]) : 0;
	enum chg_status s;
	if (p == NONE)
		s = CHG_TAMBAH;
	else if (q == NONE)
		s = CHG_HAPUS;
	else if (c->hv[2 * (size_t)p] != c->hv[2 * (size_t)q])
		s = CHG_PINDAH;
	else if (c->hv[2 * (size_t)p + 1] != c->hv[2 * (size_t)q + 1])
		s = CHG_UBAH;
	else
		s = CHG_TETAP;
	if (p != NONE) {
		desa_get(c, dp)->jiwa_lama++;
		st->chg_persons_prev++;
	}
	if (q != NONE) {
		desa_get(c, dq)->jiwa_baru++;
		st->chg_persons_cur++;
	}
	switch (s) {
	case CHG_TETAP:
		return 0;
	case CHG_TAMBAH:
		desa_get(c, dq)->tambah++;
		st->chg_tambah++;
		break;
	case CHG_HAPUS:
		desa_get(c, dp)->hapus++;
		st->chg_hapus++;
		break;
	case CHG_PINDAH:
		desa_get(c, dp)->keluar++;
		desa_get(c, dq)->masuk++;
		st->chg_pindah++;
		break;
	case CHG_UBAH:
		desa_get(c, dq)->ubah++;
		st->chg_ubah++;
		break;
	}
	/* Listed: its cluster id. */
	struct dedup_cluster one;
	const struct dedup_cluster *cl = dedup_cluster_of(x, r, &one);
	char cid[18];
	if (cl == &one && dedup_cluster_needs_key(x, cl)) {
		/* A row alone without a valid NIK: its id from its content
		 * key, as the output pass computes it (r is p or q). */
		size_t len = dedup_row_text(x, r, &c->t[2].buf, &c->t[2].cap,
		                            c->e);
		if (len == (size_t)-1) {
			c->rc = c->e->code;
			return -1;
		}
		one.keyh = dedup_row_keyh(x, c->t[2].buf, len, &c->kbuf,
		                          &c->kcap, NULL, NULL);
	}
	dedup_cluster_id(x, cl, cid);
	struct chg_row *w = row_add(c);
	uint64_t d = q != NONE ? dq : dp;
	w->desa = d ? d : UINT64_MAX;
	memcpy(w->cid, cid, sizeof w->cid);
	w->status = (uint8_t)s;
	w->prev = p;
	w->cur = q;
	return 0;
}

/* qsort has no context argument in C11; the rows are sorted once,
 * single-threaded (like the review pairs in output.c). */
static struct chg *sort_ctx;

static int row_cmp(const void *pa, const void *pb)
{
	const struct chg_row *a = pa, *b = pb;
	if (a->desa != b->desa)
		return a->desa < b->desa ? -1 : 1;
	int k = strcmp(a->cid, b->cid);
	if (k)
		return k;
	if (a->status != b->status)
		return a->status < b->status ? -1 : 1;
	/* Two clusters with one id (the same content key): by content. */
	struct chg *c = sort_ctx;
	const uint32_t ra[2] = { a->cur, a->prev }, rb[2] = { b->cur, b->prev };
	for (int i = 0; i < 2; i++) {
		if (ra[i] == NONE || rb[i] == NONE)
			continue;
		if (text_load(c, &c->t[2], ra[i]) || text_load(c, &c->t[3], rb[i]))
			return 0;
		k = content_cmp(c, &c->t[2], &c->t[3]);
		if (k)
			return k;
	}
	return 0;
}

static int desa_cmp(const void *pa, const void *pb)
{
	/* Tanpa wilayah (key 1) last. */
	uint64_t a = ((const struct chg_desa *)pa)->key - 2;
	uint64_t b = ((const struct chg_desa *)pb)->key - 2;
	return (a > b) - (a < b);
}

static void put_field(struct angka_csv_writer *w, const struct chg_text *t,
                      uint32_t row, int k)
{
	if (row == NONE || k < 0)
		angka_csv_writer_raw(w, "", 0);
	else
		angka_csv_writer_field(w, t->f[k], t->fl[k]);
}

static enum angka_err write_rows(struct chg *c, struct angka_csv_writer *w,
                                 const char *pt, const char *ct)
{
	struct dedup_buf diff = { 0 };
	for (size_t i = 0; i < c->nrows; i++) {
		const struct chg_row *r = &c->rows[i];
		if ((r->prev != NONE && text_load(c, &c->t[0], r->prev)) ||
		    (r->cur != NONE && text_load(c, &c->t[1], r->cur))) {
			free(diff.s);
			return c->rc;
		}
		/* The person's own fields from the current row, else the
		 * previous one. */
		const struct chg_text *own = r->cur != NONE ? &c->t[1] : &c->t[0];
		uint32_t orow = r->cur != NONE ? r->cur : r->prev;
		diff.len = 0;
		for (int k = 0; r->status >= CHG_PINDAH && k < NCMP; k++) {
			if (field_eq(&c->t[0], &c->t[1], c->col[k]))
				continue;
			size_t n = strlen(cmp_col[k]);
			if (diff.len + n + 2 > diff.cap) {
				diff.cap = (diff.len + n + 2) * 2;
				diff.s = angka_xrealloc(diff.s, diff.cap);
			}
			if (diff.len)
				diff.s[diff.len++] = '|';
			memcpy(diff.s + diff.len, cmp_col[k], n);
			diff.len += n;
		}
		angka_csv_writer_str(w, pt);
		angka_csv_writer_str(w, ct);
		angka_csv_writer_str(w, status_name[r->status]);
		angka_csv_writer_raw(w, r->cid, 17);
		put_field(w, own, orow, c->col_nik);
		put_field(w, own, orow, c->col_nama);
		angka_csv_writer_field(w, diff.s ? diff.s : "", diff.len);
		for (int k = 0; k < NCMP; k++) {
			put_field(w, &c->t[0], r->prev, c->col[k]);
			put_field(w, &c->t[1], r->cur, c->col[k]);
		}
		angka_csv_writer_end_row(w);
	}
	free(diff.s);
	return ANGKA_OK;
}

/* The seven published counts of a desa row, in column order. */
enum { NCNT = 7 };
static void desa_vals(const struct chg_desa *d, uint64_t v[NCNT])
{
	v[0] = d->jiwa_lama;
	v[1] = d->tambah;
	v[2] = d->hapus;
	v[3] = d->masuk;
	v[4] = d->keluar;
	v[5] = d->jiwa_baru;
	v[6] = d->ubah;
}

/* Hide the smallest visible count among cells cand[0..n) of v (a
 * non-zero one first); returns 1 if one was hidden. */
static int hide_smallest(const uint64_t *v, unsigned char *hid,
                         const size_t *cand, size_t n)
{
	long best = -1;
	for (int pass = 0; pass < 2 && best < 0; pass++)
		for (size_t k = 0; k < n; k++) {
			size_t q = cand[k];
			if (hid[q] || (pass == 0 && v[q] == 0))
				continue;
			if (best < 0 || v[q] < v[(size_t)best])
				best = (long)q;
		}
	if (best < 0)
		return 0;
	hid[best] = 1;
	return 1;
}

/*
 * Small-count suppression of perubahan_desa (the rule of the registry
 * tables): a count from 1 to min_cell - 1 in a desa row is hidden; then,
 * until nothing changes, a row with exactly one hidden cell among the
 * balance jiwa_lama + tambah - hapus + pindah_masuk - pindah_keluar =
 * jiwa_baru hides its smallest other balance cell, and a column with
 * exactly one hidden desa cell hides its smallest other desa cell (the
 * total row is published), or the total's cell when there is none.
 * v holds (k + 1) rows of NCNT counts, the total last; hid the same.
 */
static void suppress_changes(const uint64_t *v, unsigned char *hid, size_t k,
                             long min_cell)
{
	for (size_t i = 0; i < k * NCNT; i++)
		if (v[i] > 0 && v[i] < (uint64_t)min_cell)
			hid[i] = 1;
	size_t *cand = angka_xmalloc((k + 1 > NCNT ? k + 1 : NCNT) *
	                             sizeof *cand);
	for (int changed = 1; changed; ) {
		changed = 0;
		for (size_t i = 0; i < k; i++) {
			size_t h = 0, n = 0;
			for (size_t j = 0; j < 6; j++)
				h += hid[i * NCNT + j];
			if (h != 1)
				continue;
			for (size_t j = 0; j < 6; j++)
				cand[n++] = i * NCNT + j;
			changed |= hide_smallest(v, hid, cand, n);
		}
		for (size_t j = 0; j < NCNT; j++) {
			size_t h = 0, n = 0;
			for (size_t i = 0; i < k; i++)
				h += hid[i * NCNT + j];
			if (h != 1 || hid[k * NCNT + j])
				continue;
			for (size_t i = 0; i < k; i++)
				cand[n++] = i * NCNT + j;
			if (!hide_smallest(v, hid, cand, n))
				hid[k * NCNT + j] = 1;
			changed = 1;
		}
	}
	free(cand);
}

static void write_counts(struct chg *c, struct angka_csv_writer *w,
                         const struct angka_region_table *wil,
                         const char *pt, const char *ct)
{
	size_t k = 0;
	for (size_t i = 0; i < c->dccap; i++)
		if (c->dc[i].key)
			c->dc[k++] = c->dc[i];
	if (k)
		qsort(c->dc, k, sizeof *c->dc, desa_cmp);
	struct chg_desa tot = { 0, 0, 0, 0, 0, 0, 0, 0 };
	for (size_t i = 0; i < k; i++) {
		const struct chg_desa *d = &c->dc[i];
		tot.jiwa_lama += d->jiwa_lama;
		tot.jiwa_baru += d->jiwa_baru;
		tot.tambah += d->tambah;
		tot.hapus += d->hapus;
		tot.masuk += d->masuk;
		tot.keluar += d->keluar;
		tot.ubah += d->ubah;
	}
	uint64_t *v = angka_xmalloc((k + 1) * NCNT * sizeof *v);
	unsigned char *hid = angka_xcalloc((k + 1) * NCNT, 1);
	for (size_t i = 0; i <= k; i++)
		desa_vals(i < k ? &c->dc[i] : &tot, v + i * NCNT);
	suppress_changes(v, hid, k, c->x->s->min_cell);
	for (size_t i = 0; i <= k; i++) {
		const struct chg_desa *d = i < k ? &c->dc[i] : &tot;
		char buf[24];
		const struct angka_region *reg = NULL;
		if (i == k) {
			angka_csv_writer_str(w, "total");
		} else if (d->key > 1) {
			snprintf(buf, sizeof buf, "%010llu",
			         (unsigned long long)(d->key - 1));
			angka_csv_writer_str(w, buf);
			reg = wil ? angka_region_find(wil, buf) : NULL;
		} else {
			angka_csv_writer_str(w, "tanpa_wilayah");
		}
		angka_csv_writer_str(w, reg ? reg->nama : NULL);
		angka_csv_writer_str(w, pt);
		angka_csv_writer_str(w, ct);
		int any = 0;
		for (int j = 0; j < NCNT; j++) {
			if (hid[i * NCNT + j]) {
				angka_csv_writer_str(w, NULL);
				any = 1;
			} else
				angka_csv_writer_long(w, (long long)v[i * NCNT + j]);
		}
		char note[96] = "";
		if (any)
			snprintf(note, sizeof note, "disembunyikan: jumlah 1-%ld "
			         "atau sel yang membukanya", c->x->s->min_cell - 1);
		angka_csv_writer_str(w, note[0] ? note : NULL);
		angka_csv_writer_end_row(w);
	}
	free(v);
	free(hid);
}

enum angka_err dedup_changes(struct dedup_ctx *x,
                             struct angka_csv_writer **wp,
                             struct angka_csv_writer **wd,
                             struct angka_error *e)
{
	*wp = *wd = NULL;
	if (!x->o->perubahan && !x->o->perubahan_desa)
		return ANGKA_OK;
	struct chg c;
	memset(&c, 0, sizeof c);
	c.x = x;
	c.e = e;
	c.sord = *x->s;
	c.sord.norder = 0;
	for (int k = 0; k < x->s->norder; k++)
		if (x->s->order[k] != DEDUP_FIRST_LINE &&
		    x->s->order[k] != DEDUP_CONTENT)
			c.sord.order[c.sord.norder++] = x->s->order[k];
	for (int k = 0; k < NCMP; k++)
		c.col[k] = find_col(x, cmp_col[k]);
	c.col_nik = x->col[COL_NIK];
	c.col_nama = x->col[COL_NAMA];
	for (int k = 0; k < 4; k++) {
		c.t[k].f = angka_xmalloc(x->nfields * sizeof *c.t[k].f);
		c.t[k].fl = angka_xmalloc(x->nfields * sizeof *c.t[k].fl);
	}
	uint32_t *rep = NULL;
	struct angka_csv_writer *w = NULL, *wc = NULL;
	const struct angka_region_table *wil = NULL;
	unsigned prev, cur;
	enum angka_err rc = choose_periods(&c, &prev, &cur, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	char pt[8] = "", ct[8] = "";
	if (prev) {
		dedup_period_text(prev, pt);
		dedup_period_text(cur, ct);
		x->st->chg_period_prev = prev;
		x->st->chg_period_cur = cur;
	}
	if (x->o->perubahan) {
		if ((rc = angka_csv_writer_open(&w, x->o->perubahan,
		                                ANGKA_CSV_WRITER_PRIVATE, e)))
			goto cleanup;
		static const char *const h[] = { "periode_lama", "periode_baru",
			"status", "cluster_id", "nik", "nama", "berubah",
			"kode_wilayah_lama", "kode_wilayah_baru", "kode_kec_lama",
			"kode_kec_baru", "no_kk_lama", "no_kk_baru", "desil_lama",
			"desil_baru", "pkh_lama", "pkh_baru", "bpnt_lama",
			"bpnt_baru", "kks_lama", "kks_baru", "pbi_lama", "pbi_baru",
			"kip_lama", "kip_baru" };
		angka_csv_writer_row(w, sizeof h / sizeof *h, h);
	}
	if (x->o->perubahan_desa) {
		/* nama_wilayah from the table the published counts use. */
		if ((rc = dedup_publish_regions(x, e)) != ANGKA_OK)
			goto cleanup;
		wil = angka_publish_regions();
		if ((rc = angka_csv_writer_open(&wc, x->o->perubahan_desa, 0, e)))
			goto cleanup;
		angka_publish_apply(wc);
		static const char *const h[] = { "kode_wilayah", "nama_wilayah",
			"periode_lama",
			"periode_baru", "jiwa_lama", "tambah", "hapus",
			"pindah_masuk", "pindah_keluar", "jiwa_baru", "ubah",
			"catatan" };
		angka_csv_writer_row(wc, sizeof h / sizeof *h, h);
	}
	if (!prev)
		goto done;   /* fewer than two periods: the headers only */

	/* Each person's representative row in the previous (rep[2r]) and
	 * the current (rep[2r + 1]) period, at its root r: 8 bytes a row. */
	rep = angka_xmalloc((size_t)x->n * 2 * sizeof *rep);
	memset(rep, 0xFF, (size_t)x->n * 2 * sizeof *rep);
	for (uint32_t i = 0; i < x->n; i++) {
		unsigned pc = x->period[i];
		if (pc != prev && pc != cur)
			continue;
		uint32_t *slot = &rep[2 * (size_t)x->rec[i].parent + (pc == cur)];
		if (*slot == NONE || rep_better(&c, i, *slot))
			*slot = i;
		if (c.rc) {
			rc = c.rc;
			goto cleanup;
		}
	}
	/* The representatives' hashes, in one scan of the rows in order:
	 * the persons are then classified without their text (16 bytes a
	 * row); only the persons listed are read again. */
	c.hv = angka_xmalloc((size_t)x->n * 2 * sizeof *c.hv);
	dedup_note_bytes(x, (size_t)x->n * 2 * (sizeof *rep + sizeof *c.hv));
	for (uint32_t i = 0; i < x->n; i++) {
		unsigned pc = x->period[i];
		if ((pc != prev && pc != cur) ||
		    rep[2 * (size_t)x->rec[i].parent + (pc == cur)] != i)
			continue;
		if (text_load_seq(&c, &c.t[0], i)) {
			rc = c.rc;
			goto cleanup;
		}
		c.hv[2 * (size_t)i] = fields_hash(&c, &c.t[0], 0, NMOVE);
		c.hv[2 * (size_t)i + 1] = fields_hash(&c, &c.t[0], NMOVE, NCMP);
	}
	for (uint32_t r = 0; r < x->n; r++) {
		uint32_t p = rep[2 * (size_t)r], q = rep[2 * (size_t)r + 1];
		if ((p != NONE || q != NONE) && person(&c, r, p, q)) {
			rc = c.rc;
			goto cleanup;
		}
	}
	if (x->st->chg_persons_cur + x->st->chg_hapus !=
	    x->st->chg_persons_prev + x->st->chg_tambah) {
		rc = ANGKA_ERR(e, ANGKA_EBALANCE, "perubahan: persons %llu -> "
		               "%llu but tambah %llu, hapus %llu (a bug)",
		               (unsigned long long)x->st->chg_persons_prev,
		               (unsigned long long)x->st->chg_persons_cur,
		               (unsigned long long)x->st->chg_tambah,
		               (unsigned long long)x->st->chg_hapus);
		goto cleanup;
	}
	if (c.nrows) {
		sort_ctx = &c;
		qsort(c.rows, c.nrows, sizeof *c.rows, row_cmp);
		sort_ctx = NULL;
		if (c.rc) {
			rc = c.rc;
			goto cleanup;
		}
	}
	if (w && (rc = write_rows(&c, w, pt, ct)) != ANGKA_OK)
		goto cleanup;
	if (wc)
		write_counts(&c, wc, wil, pt, ct);
done:
	/* Written, not committed: the caller commits them with the other
	 * outputs. */
	*wp = w;
	*wd = wc;
	w = wc = NULL;
cleanup:
	angka_csv_writer_abort(w);
	angka_csv_writer_abort(wc);
	free(rep);
	free(c.hv);
	dedup_unmap_window(&c.win);
	for (int k = 0; k < 4; k++) {
		free(c.t[k].buf);
		free(c.t[k].f);
		free(c.t[k].fl);
	}
	free(c.dc);
	free(c.rows);
	free(c.kbuf);
	return rc;
}
