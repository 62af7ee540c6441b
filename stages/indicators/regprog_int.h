/*
 * regprog_int.h - what the registry (registry.c) and programme
 * (programmes.c) indicators share: a CSV table read by column name, code
 * and number parsing, growable arrays (internal to angka-indicators; see
 * regprog.h). The per-row helpers are static inline, so that each mode
 * inlines them as before; the others are in regprog.c.
 */
#ifndef ANGKA_IND_REGPROG_INT_H
#define ANGKA_IND_REGPROG_INT_H

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "regprog.h"
#include "tables.h"

#define TAB_MAXCOL 24

struct tab {
	struct angka_csv_reader *r;
	const char *path;
	int idx[TAB_MAXCOL];
	const struct angka_csv_record *rec;
};

/*
 * Open path and find cols (NULL-terminated); names starting with '?' are
 * optional (index -1 when absent). A missing required column is an error
 * naming the file, the column and the header.
 */
enum angka_err regprog_tab_open(struct tab *t, const char *path,
                                const char *const *cols,
                                struct angka_error *e);
/* End a read loop whose last tab_next returned got: free on error (e is
 * already set), else close and check the end of the stream. */
enum angka_err regprog_tab_end(struct tab *t, int got, struct angka_error *e);
/* Dotted Kemendagri code of the first `level` digits of a 10-digit code:
 * level 4 -> 63.11, 6 -> 63.11.01, 10 -> 63.11.01.2001. */
void regprog_dotted(const char *d, size_t level, char *out);
/* Ids of t's strings in byte order of the strings (owned by the caller). */
uint32_t *regprog_sorted_ids(struct ind_strtab *t);

/* Next row: 1, 0 at end, -1 on error. */
static inline int tab_next(struct tab *t, struct angka_error *e)
{
	return angka_csv_reader_next(t->r, &t->rec, e);
}

/* Field c of the current row ("" when absent or short). */
static inline const char *tab_get(const struct tab *t, int c, size_t *len)
{
	int i = t->idx[c];
	if (i < 0 || (size_t)i >= t->rec->nfields) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = t->rec->len[i];
	return t->rec->field[i];
}

/* Digits of s (dots and spaces dropped) into out (cap >= 24); their count. */
static inline size_t digits_of(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o < 23; i++)
		if (isdigit((unsigned char)s[i]))
			out[o++] = s[i];
	out[o] = '\0';
	return o;
}

/* s[0..n) as a whole decimal long; dflt when empty, too long or not all
 * digits. */
static inline long parse_long(const char *s, size_t n, long dflt)
{
	char buf[32];
	if (n == 0 || n >= sizeof buf)
		return dflt;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *end;
	long v = strtol(buf, &end, 10);
	return *end ? dflt : v;
}

/* s[0..n) as a whole double, *ok 1; *ok 0 when empty, too long or not a
 * number. */
static inline double parse_double(const char *s, size_t n, int *ok)
{
	char buf[64];
	*ok = 0;
	if (n == 0 || n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *end;
	double v = strtod(buf, &end);
	*ok = *end == '\0';
	return v;
}

/* p grown to hold need elements of elem bytes, the new ones zeroed
 * (angka_xrealloc: exits when memory runs out). */
static inline void *grow_zero(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	char *q = angka_xrealloc(p, n * elem);
	memset(q + *cap * elem, 0, (n - *cap) * elem);
	*cap = n;
	return q;
}

#endif
