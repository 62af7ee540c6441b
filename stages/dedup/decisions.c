/*
 * decisions.c - angka-dedup's clerical review loop: the decisions file a
 * clerk fills from review.csv (sama: one person, must-link; beda: two
 * people, cannot-link), the cannot-link check on clusters, and
 * --evaluate (precision and recall per threshold from the labelled pairs).
 * See docs/dedup.md, "Clerical review".
 *
 * Rows are named as the outputs name them: src_file exactly as written in
 * the input's src_file column, and src_line. The decisions are few (a clerk
 * decides them one by one): every check here is O(decisions), and rows
 * without a decision cost one bit test.
 */
#include "ctx.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"

static int has_bit(const uint8_t *b, uint32_t i)
{
	return b[i >> 3] >> (i & 7) & 1;
}

/* The marked roots (sets holding a row of a beda decision): open
 * addressing, grown at half full; entries of rows no longer roots stay. */
static uint32_t *mark_slot(struct dedup_decisions *d, uint32_t root)
{
	size_t k = ((uint64_t)root * 0x9e3779b97f4a7c15ULL) >> 32 &
	           (d->mcap - 1);
	while (d->marks[k] != UINT32_MAX && d->marks[k] != root)
		k = (k + 1) & (d->mcap - 1);
	return &d->marks[k];
}

static void mark_root(struct dedup_decisions *d, uint32_t root)
{
	if (2 * (d->nmarks + 1) > d->mcap) {
		uint32_t *old = d->marks;
		size_t ocap = d->mcap;
		d->mcap = ocap ? 2 * ocap : 64;
		d->marks = angka_xmalloc(d->mcap * sizeof *d->marks);
		memset(d->marks, 0xff, d->mcap * sizeof *d->marks);
		d->nmarks = 0;
		for (size_t k = 0; k < ocap; k++)
			if (old[k] != UINT32_MAX) {
				*mark_slot(d, old[k]) = old[k];
				d->nmarks++;
			}
		free(old);
	}
	uint32_t *s = mark_slot(d, root);
	if (*s == UINT32_MAX) {
		*s = root;
		d->nmarks++;
	}
}

static int marked(const struct dedup_decisions *d, uint32_t root)
{
	return d->mcap && *mark_slot((struct dedup_decisions *)d, root) == root;
}

int dedup_decision_of(const struct dedup_ctx *x, uint32_t a, uint32_t b)
{
	const struct dedup_decisions *d = x->dec;
	if (!d || !has_bit(d->rowbit, a) || !has_bit(d->rowbit, b))
		return 0;
	if (a > b) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct dedup_decision *m = &d->d[mid];
		if (m->a < a || (m->a == a && m->b < b))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->n && d->d[lo].a == a && d->d[lo].b == b
	       ? d->d[lo].kind : 0;
}

int dedup_cannot_join(struct dedup_ctx *x, uint32_t ra, uint32_t rb)
{
	struct dedup_decisions *d = x->dec;
	if (!d || !marked(d, ra) || !marked(d, rb))
		return 0;
	for (size_t i = 0; i < d->n; i++) {
		if (d->d[i].kind != DEDUP_DEC_BEDA)
			continue;
		uint32_t fa = dedup_uf_find(x->rec, d->d[i].a);
		uint32_t fb = dedup_uf_find(x->rec, d->d[i].b);
		if ((fa == ra && fb == rb) || (fa == rb && fb == ra))
			return 1;
	}
	return 0;
}

void dedup_decisions_joined(struct dedup_ctx *x, uint32_t ra, uint32_t rb,
                            uint32_t root)
{
	struct dedup_decisions *d = x->dec;
	if (d && (marked(d, ra) || marked(d, rb)))
		mark_root(d, root);
}

/* A row named by a decision: the decision's index and side. */
struct want {
	uint64_t key;   /* file id << 32 | line */
	uint32_t dec;
	uint32_t side;
};

static int want_cmp(const void *pa, const void *pb)
{
	const struct want *a = pa, *b = pb;
	return (a->key > b->key) - (a->key < b->key);
}

static int dec_cmp(const void *pa, const void *pb)
{
	const struct dedup_decision *a = pa, *b = pb;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return (a->kind < b->kind) - (a->kind > b->kind);   /* beda first */
}

/* A decision as read: the two rows by file id (0: a file not in the
 * input) and line. */
struct raw_dec {
	uint32_t file[2], line[2];
	uint32_t row[2];
	int kind;
};

static uint32_t file_id(const struct dedup_ctx *x, const char *s, size_t len)
{
	for (uint32_t id = 1; id < x->files.n; id++) {   /* n counts id 0 */
		size_t l;
		const char *t = dedup_intern_str(&x->files, id, &l);
		if (l == len && memcmp(s, t, len) == 0)
			return id;
	}
	return 0;
}

/* "sama", "beda" or empty (blanks around ignored), any case: the kind, 0
 * for empty, -1 otherwise. */
static int parse_kind(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len)
		return 0;
	char w[5];
	if (len != 4)
		return -1;
	for (int i = 0; i < 4; i++)
		w[i] = (char)tolower((unsigned char)s[i]);
	w[4] = 0;
	if (strcmp(w, "sama") == 0)
		return DEDUP_DEC_SAMA;
	if (strcmp(w, "beda") == 0)
		return DEDUP_DEC_BEDA;
	return -1;
}

static int parse_line(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	if (!len || len > 10)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

enum angka_err dedup_decisions_load(struct dedup_ctx *x, const char *path,
                                    struct angka_error *e)
{
	static const char *const names[5] = {
		"a_src_file", "a_src_line", "b_src_file", "b_src_line",
		"keputusan"
	};
	struct angka_csv_reader *r = NULL;
	enum angka_err rc = angka_csv_reader_open(&r, path, NULL, e);
	if (rc != ANGKA_OK)
		return rc;
	const struct angka_csv_record *rec;
	int col[5] = { -1, -1, -1, -1, -1 };
	struct raw_dec *v = NULL;
	size_t n = 0, cap = 0;
	int k, first = 1;
	while ((k = angka_csv_reader_next(r, &rec, e)) == 1) {
		if (first) {
			first = 0;
			for (size_t f = 0; f < rec->nfields; f++)
				for (int c = 0; c < 5; c++)
					if (col[c] < 0 &&
					    strcmp(rec->field[f], names[c]) == 0)
						col[c] = (int)f;
			for (int c = 0; c < 5; c++)
				if (col[c] < 0) {
					rc = ANGKA_ERR(e, ANGKA_ESCHEMA,
					               "'%s': decisions file lacks "
					               "column %s", path, names[c]);
					goto out;
				}
			continue;
		}
		const char *fv[5];
		size_t fl[5];
		for (int c = 0; c < 5; c++) {
			size_t f = (size_t)col[c];
			fv[c] = f < rec->nfields ? rec->field[f] : "";
			fl[c] = f < rec->nfields ? rec->len[f] : 0;
		}
		int kind = parse_kind(fv[4], fl[4]);
		if (kind < 0) {
			rc = ANGKA_ERR(e, ANGKA_EDATA,
			               "'%s':%ld: keputusan: not sama, beda or "
			               "empty", path, rec->line);
			goto out;
		}
		if (!kind) {
			x->st->decisions_empty++;
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = angka_xrealloc(v, cap * sizeof *v);
		}
		struct raw_dec *d = &v[n];
		for (int s = 0; s < 2; s++) {
			if (parse_line(fv[2 * s + 1], fl[2 * s + 1],
			               &d->line[s])) {
				rc = ANGKA_ERR(e, ANGKA_EDATA,
				               "'%s':%ld: %s: not a line number",
				               path, rec->line, names[2 * s + 1]);
				goto out;
			}
			d->file[s] = file_id(x, fv[2 * s], fl[2 * s]);
			d->row[s] = UINT32_MAX;
		}
		d->kind = kind;
		n++;
	}
	if (k < 0) {
		rc = e->code;
		goto out;
	}
	rc = angka_csv_reader_close(r, e);
	r = NULL;
	if (rc != ANGKA_OK)
		goto out;

	/* The rows: one scan of the input's rows against the sorted
	 * names of the decisions (only with a decisions file). */
	struct want *w = angka_xmalloc((n ? 2 * n : 1) * sizeof *w);
	size_t nw = 0;
	for (size_t i = 0; i < n; i++)
		for (uint32_t s = 0; s < 2; s++)
			if (v[i].file[s]) {
				w[nw].key = (uint64_t)v[i].file[s] << 32 |
				            v[i].line[s];
				w[nw].dec = (uint32_t)i;
				w[nw++].side = s;
			}
	if (nw)
		qsort(w, nw, sizeof *w, want_cmp);
	for (uint32_t i = 0; i < x->n && nw; i++) {
		uint64_t key = (uint64_t)x->rec[i].file << 32 | x->rec[i].line;
		size_t lo = 0, hi = nw;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (w[mid].key < key)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < nw && w[lo].key == key; lo++)
			if (v[w[lo].dec].row[w[lo].side] == UINT32_MAX)
				v[w[lo].dec].row[w[lo].side] = i;
	}
	free(w);

	struct dedup_decisions *d = angka_xcalloc(1, sizeof *d);
	d->rowbit = angka_xcalloc((size_t)x->n / 8 + 1, 1);
	d->d = angka_xmalloc((n ? n : 1) * sizeof *d->d);
	for (size_t i = 0; i < n; i++) {
		uint32_t a = v[i].row[0], b = v[i].row[1];
		if (a == UINT32_MAX || b == UINT32_MAX || a == b) {
			x->st->decisions_unknown++;
			continue;
		}
		if (a > b) {
			uint32_t t = a;
			a = b;
			b = t;
		}
		d->d[d->n].a = a;
		d->d[d->n].b = b;
		d->d[d->n++].kind = (uint8_t)v[i].kind;
	}
	/* One decision per pair; a pair marked both sama and beda is beda
	 * (the cautious reading), counted as a conflict. */
	if (d->n)
		qsort(d->d, d->n, sizeof *d->d, dec_cmp);
	size_t m = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (m && d->d[m - 1].a == d->d[i].a &&
		    d->d[m - 1].b == d->d[i].b) {
			if (d->d[m - 1].kind != d->d[i].kind)
				x->st->decisions_conflict++;
			continue;
		}
		d->d[m++] = d->d[i];
	}
	d->n = m;
	for (size_t i = 0; i < d->n; i++) {
		const struct dedup_decision *p = &d->d[i];
		d->rowbit[p->a >> 3] |= (uint8_t)(1u << (p->a & 7));
		d->rowbit[p->b >> 3] |= (uint8_t)(1u << (p->b & 7));
		if (p->kind == DEDUP_DEC_SAMA) {
			x->st->decisions_sama++;
		} else {
			x->st->decisions_beda++;
			mark_root(d, p->a);   /* no merge yet: rows are roots */
			mark_root(d, p->b);
		}
	}
	x->dec = d;
out:
	angka_csv_reader_free(r);
	free(v);
	return rc;
}

void dedup_decisions_free(struct dedup_ctx *x)
{
	if (!x->dec)
		return;
	free(x->dec->d);
	free(x->dec->rowbit);
	free(x->dec->marks);
	free(x->dec);
	x->dec = NULL;
}

/* Label counts at one threshold. */
struct eval_row {
	uint64_t tp, fp, fn;
};

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0;
}

void dedup_evaluate(struct dedup_ctx *x, FILE *out)
{
	enum { T_FROM = 70, T_TO = 100 };   /* thresholds, in hundredths */
	struct eval_row rows[T_TO - T_FROM + 1];
	memset(rows, 0, sizeof rows);
	const struct dedup_decisions *d = x->dec;
	uint64_t nsama = 0, nbeda = 0;
	/* Each labelled pair scored as the run would score it (whether or
	 * not blocking brings it together): merged at threshold t if it is
	 * mergeable and scores t or more. */
	for (size_t i = 0; d && i < d->n; i++) {
		struct dedup_pair_score ps;
		dedup_score_rows(x, d->d[i].a, d->d[i].b, &ps);
		dedup_score_learned(x, d->d[i].a, d->d[i].b, &ps, NULL);
		unsigned int u = dedup_score_units(ps.score);
		int sama = d->d[i].kind == DEDUP_DEC_SAMA;
		nsama += sama;
		nbeda += !sama;
		for (int t = T_FROM; t <= T_TO; t++) {
			int merged = ps.mergeable && u >= (unsigned int)t * 100;
			struct eval_row *r = &rows[t - T_FROM];
			if (sama && merged)
				r->tp++;
			else if (sama)
				r->fn++;
			else if (merged)
				r->fp++;
		}
	}
	fprintf(out, "threshold,true_merges,false_merges,missed,precision,"
	        "recall\n");
	for (int t = T_FROM; t <= T_TO; t++) {
		const struct eval_row *r = &rows[t - T_FROM];
		fprintf(out, "%d.%02d,%llu,%llu,%llu,", t / 100, t % 100,
		        (unsigned long long)r->tp, (unsigned long long)r->fp,
		        (unsigned long long)r->fn);
		if (r->tp + r->fp)
			fprintf(out, "%.4f,", ratio(r->tp, r->tp + r->fp));
		else
			fputs("-,", out);
		if (r->tp + r->fn)
			fprintf(out, "%.4f\n", ratio(r->tp, r->tp + r->fn));
		else
			fputs("-\n", out);
	}
	/* The lowest threshold whose merges are all right (with 1000
	 * labelled pairs or more: at most one wrong in a thousand). */
	double need = nsama + nbeda >= 1000 ? 0.999 : 1.0;
	fprintf(out, "# labelled pairs: %llu sama, %llu beda\n",
	        (unsigned long long)nsama, (unsigned long long)nbeda);
	for (int t = T_FROM; t <= T_TO; t++) {
		const struct eval_row *r = &rows[t - T_FROM];
		if (r->tp && ratio(r->tp, r->tp + r->fp) >= need) {
			fprintf(out, "# suggested merge_threshold = %d.%02d "
			        "(precision %.4f, recall %.4f)\n", t / 100,
			        t % 100, ratio(r->tp, r->tp + r->fp),
			        ratio(r->tp, r->tp + r->fn));
			return;
		}
	}
	fprintf(out, "# no threshold from 0.70 to 1.00 reaches precision "
	        "%.3f on these labels\n", need);
}
