/*
 * rows.c - angka-trend's history rows: the row set that history.csv is
 * made of, its series order and comparisons (see trend_int.h).
 */
#include "trend_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const trend_sumber_name[2] = { "hitung", "terbitan" };

struct hrow *trend_hrows_add(struct hrows *h)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 64;
		h->r = angka_xrealloc(h->r, h->cap * sizeof *h->r);
	}
	struct hrow *r = &h->r[h->n++];
	memset(r, 0, sizeof *r);
	r->est = r->se = r->df = NAN;
	return r;
}

static void hrow_release(struct hrow *r)
{
	free(r->periode);
	free(r->kode);
	free(r->domain);
	free(r->indikator);
	free(r->sumber_text);
	for (int i = 0; i < V_COUNT; i++)
		free(r->v[i]);
}

void trend_hrows_release(struct hrows *h)
{
	for (size_t i = 0; i < h->n; i++)
		hrow_release(&h->r[i]);
	free(h->r);
	memset(h, 0, sizeof *h);
}

/* Move a row (ownership of its strings passes to dst). */
void trend_hrows_take(struct hrows *dst, struct hrow *src)
{
	*trend_hrows_add(dst) = *src;
	memset(src, 0, sizeof *src);
}

static int str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int str_cmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Series order: kode, domain, indikator, sumber, tahun, periode. */
int trend_hrow_cmp(const void *pa, const void *pb)
{
	const struct hrow *a = pa, *b = pb;
	int c;
	if ((c = str_cmp(a->kode, b->kode)) ||
	    (c = str_cmp(a->domain, b->domain)) ||
	    (c = str_cmp(a->indikator, b->indikator)))
		return c;
	if (a->sumber != b->sumber)
		return a->sumber - b->sumber;
	if (a->tahun != b->tahun)
		return a->tahun < b->tahun ? -1 : 1;
	return str_cmp(a->periode, b->periode);
}

int trend_same_series(const struct hrow *a, const struct hrow *b)
{
	return str_eq(a->kode, b->kode) && str_eq(a->domain, b->domain) &&
	       str_eq(a->indikator, b->indikator) && a->sumber == b->sumber;
}

int trend_same_value(const struct hrow *a, const struct hrow *b)
{
	/* Equal when both are missing or both are the same number. */
	int e = (isnan(a->est) && isnan(b->est)) || a->est == b->est;
	int s = (isnan(a->se) && isnan(b->se)) || a->se == b->se;
	return e && s;
}

/* Region codes: dots removed ("63.11" and "6311" are the same region). */
char *trend_kode_dup(const char *s)
{
	char *out = angka_xmalloc(strlen(s) + 1), *o = out;
	for (; *s; s++)
		if (*s != '.' && *s != ' ')
			*o++ = *s;
	*o = '\0';
	return out;
}

char *trend_opt_dup(const char *s)
{
	return s && *s ? angka_xstrdup(s) : NULL;
}
