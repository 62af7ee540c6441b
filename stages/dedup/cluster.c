/*
 * cluster.c - angka-dedup's clusters: after the merges, each row's root and
 * the clusters of more than one row with their survivor, smallest NIK and
 * smallest (src_file, src_line); and the cluster ids (see dedup.h).
 */
#include "ctx.h"

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

/* Add row i (a later row than every member so far) to cluster c. */
static void cluster_add(struct dedup_ctx *x, struct dedup_cluster *c,
                        uint32_t i)
{
	const struct dedup_rec *r = &x->rec[i];
	if (!c->size) {
		c->surv = c->minline = i;
		c->minnik = r->nik_valid ? i : UINT32_MAX;
	} else {
		const struct dedup_rec *s = &x->rec[c->surv];
		if (dedup_survivor_cmp(x->s, r, s, file_name(x, r->file),
		                       file_name(x, s->file)) < 0)
			c->surv = i;
		if (dedup_first_line_cmp(x, i, c->minline) < 0)
			c->minline = i;
		if (r->nik_valid && (c->minnik == UINT32_MAX ||
		                     r->nik < x->rec[c->minnik].nik))
			c->minnik = i;
	}
	c->size++;
}

void dedup_clusters(struct dedup_ctx *x)
{
	/* Flatten: parent = root, the smallest index of the cluster. The
	 * names are no longer needed: rec[].name becomes rec[].cslot, which
	 * numbers the clusters of more than one row at their roots (most
	 * rows are alone, and their clusters stay implicit). */
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
	dedup_note_bytes(x, cap * sizeof *x->cl);
}

/* Decimal digits of v into out, zero-padded to at least width; the count.
 * (snprintf per output row was a tenth of the stage's time.) */
static size_t put_dec(char *out, uint64_t v, size_t width)
{
	if (width == 16 && v < UINT64_C(10000000000000000)) {
		/* A NIK: two independent 8-digit halves, two digits a step. */
		static const char d2[201] =
			"00010203040506070809101112131415161718192021222324"
			"25262728293031323334353637383940414243444546474849"
			"50515253545556575859606162636465666768697071727374"
			"75767778798081828384858687888990919293949596979899";
		uint32_t hi = (uint32_t)(v / 100000000), lo = (uint32_t)(v % 100000000);
		for (int k = 3; k >= 0; k--) {
			memcpy(out + 2 * k, d2 + 2 * (hi % 100), 2);
			memcpy(out + 8 + 2 * k, d2 + 2 * (lo % 100), 2);
			hi /= 100;
			lo /= 100;
		}
		return 16;
	}
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

void dedup_cluster_id(const struct dedup_ctx *x, const struct dedup_cluster *cl,
                      char out[18])
{
	static const char hex[] = "0123456789abcdef";
	uint64_t h = DEDUP_FNV_INIT;
	char buf[40];
	if (cl->minnik != UINT32_MAX) {
		buf[0] = 'N';
		size_t n = 1 + put_dec(buf + 1, x->rec[cl->minnik].nik, 16);
		h = dedup_fnv1a(h, buf, n);
	} else {
		const struct dedup_rec *r = &x->rec[cl->minline];
		const char *f = file_name(x, r->file);
		/* The file's base name: the id must not change when the same
		 * extract is read from another directory. */
		const char *slash = strrchr(f, '/');
		if (slash)
			f = slash + 1;
		h = dedup_fnv1a(h, "L", 1);
		h = dedup_fnv1a(h, f, strlen(f) + 1);  /* with its NUL */
		size_t n = put_dec(buf, r->line, 1);
		h = dedup_fnv1a(h, buf, n);
	}
	out[0] = 'C';
	for (int i = 0; i < 16; i++)
		out[1 + i] = hex[(h >> (60 - 4 * i)) & 0xF];
	out[17] = 0;
}
