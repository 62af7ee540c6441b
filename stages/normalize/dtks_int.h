/*
 * dtks_int.h - what the DTKS handler (dtks.c) shares with the files split
 * from it, dtks_squeeze.c (internal to angka-normalize; see normalize.h).
 */
#ifndef ANGKA_NORMALIZE_DTKS_INT_H
#define ANGKA_NORMALIZE_DTKS_INT_H

#include <stddef.h>

#include "angka.h"

/* A growable scratch buffer, reused across rows (grows, never shrinks). */
struct buf {
	char *p;
	size_t cap;
};

/*
 * Room for n bytes in b. Static, not static inline: GCC inlines it
 * everywhere anyway, and the inline keyword alone shifts its inlining
 * budget so that it also inlines put_code() into the row loop, which
 * changes the row loop's code. Every file including this header calls it
 * (else -Wunused-function).
 */
static char *buf_need(struct buf *b, size_t n)
{
	if (n > b->cap) {
		size_t c = b->cap ? b->cap : 256;
		while (c < n)
			c *= 2;
		b->p = angka_xrealloc(b->p, c);
		b->cap = c;
	}
	return b->p;
}

/* Trim s[0..len) and collapse every run of white space (CR, LF, TAB
 * included) into one space; upper-case it if upper. Into b, or s itself
 * when nothing changes; *olen gets the length. In dtks_squeeze.c. */
const char *normalize_squeeze(struct buf *b, const char *s, size_t len,
                              int upper, size_t *olen);

#endif
