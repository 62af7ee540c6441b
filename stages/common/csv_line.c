/*
 * csv_line.c - line records split into fields (csv_line.h): a whole
 * record with its fields copied, or only where the fields start.
 */
#include "csv_line.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

void angka_csv_line_release(struct angka_csv_line *l)
{
	free(l->buf);
	free(l->tbuf);
	free(l->field);
	free(l->len);
	free(l->quote);
}

static int has_high(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

const struct angka_csv_record *
angka_csv_line_record(struct angka_csv_line *l, const struct angka_csv_record *row,
                  char delim)
{
	const char *s = row->src;
	size_t n = row->rawlen;
	/* A field per byte at most, and one more; 16 bytes to spare for
	 * the block stores. */
	if (n + 17 > l->cap) {
		l->cap = 2 * n + 17;
		free(l->buf);
		l->buf = angka_xmalloc(l->cap);
	}
	if (n + 2 > l->fcap) {
		l->fcap = 2 * n + 2;
		free(l->field);
		free(l->len);
		free(l->quote);
		l->field = angka_xmalloc(l->fcap * sizeof *l->field);
		l->len = angka_xmalloc(l->fcap * sizeof *l->len);
		l->quote = angka_xmalloc(l->fcap);
	}
	char *b = l->buf;
	const char **f = l->field;
	size_t *len = l->len;
	size_t k = 0, start = 0, i = 0;
	unsigned high = 0, comma = 0;
#if defined(__SSE2__) && defined(__GNUC__)
	const __m128i dv = _mm_set1_epi8(delim), cv = _mm_set1_epi8(',');
	/* 64 bytes a step, one mask: the loop over a mask's delimiters
	 * ends (a branch the CPU mispredicts) a quarter as often. */
	for (; i + 64 <= n; i += 64) {
		uint64_t md = 0, mh = 0, mc = 0;
		for (int j = 0; j < 64; j += 16) {
			__m128i w = _mm_loadu_si128((const __m128i *)(const void *)
			                            (s + i + j));
			__m128i eq = _mm_cmpeq_epi8(w, dv);
			_mm_storeu_si128((__m128i *)(void *)(b + i + j),
			                 _mm_andnot_si128(eq, w));
			md |= (uint64_t)(unsigned)_mm_movemask_epi8(eq) << j;
			mh |= (uint64_t)(unsigned)_mm_movemask_epi8(w) << j;
			mc |= (uint64_t)(unsigned)_mm_movemask_epi8(
			        _mm_cmpeq_epi8(w, cv)) << j;
		}
		high |= mh != 0;
		comma |= mc != 0;
		for (; md; md &= md - 1) {
			size_t d = i + (size_t)__builtin_ctzll(md);
			f[k] = b + start;
			len[k++] = d - start;
			start = d + 1;
		}
	}
	for (; i + 16 <= n || (i < n && n >= 16); ) {
		size_t at = i + 16 <= n ? i : n - 16;   /* the last 16, again */
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(s + at));
		__m128i eq = _mm_cmpeq_epi8(w, dv);
		_mm_storeu_si128((__m128i *)(void *)(b + at),
		                 _mm_andnot_si128(eq, w));
		unsigned skip = ~0u << (i - at);   /* bytes not yet seen */
		unsigned m = (unsigned)_mm_movemask_epi8(eq) & skip;
		high |= (unsigned)_mm_movemask_epi8(w) & skip;
		comma |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, cv)) & skip;
		for (; m; m &= m - 1) {
			size_t d = at + (size_t)__builtin_ctz(m);
			f[k] = b + start;
			len[k++] = d - start;
			start = d + 1;
		}
		i = at + 16;
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		high |= c >= 0x80;
		comma |= c == ',';
		if (c == (unsigned char)delim) {
			b[i] = '\0';
			f[k] = b + start;
			len[k++] = i - start;
			start = i + 1;
		} else {
			b[i] = (char)c;
		}
	}
	b[n] = '\0';
	f[k] = b + start;
	len[k++] = n - start;
	size_t nf = k;
	unsigned flags = 0;
	int quoted = 0;
	if (comma && delim != ',') {
		for (size_t j = 0; j < nf; j++)
			quoted |= l->quote[j] = memchr(f[j], ',', len[j]) != NULL;
	} else {
		memset(l->quote, 0, nf);
	}
	if (high) {
		size_t t = 0;
		for (size_t j = 0; j < nf; j++) {
			if (!has_high(f[j], len[j]) ||
			    angka_utf8_valid(f[j], len[j]))
				continue;
			if (l->enc != ANGKA_ENC_AUTO) {
				flags |= ANGKA_CSV_REC_BADUTF8;
				continue;
			}
			if (!(flags & ANGKA_CSV_REC_TRANSCODED)) {
				/* Room for every field transcoded. */
				if (3 * n + nf > l->tcap) {
					l->tcap = 6 * n + 2 * nf;
					free(l->tbuf);
					l->tbuf = angka_xmalloc(l->tcap);
				}
				flags |= ANGKA_CSV_REC_TRANSCODED;
			}
			char *dst = l->tbuf + t;
			len[j] = angka_cp1252_to_utf8(f[j], len[j], dst);
			f[j] = dst;
			t += len[j] + 1;
		}
	}
	struct angka_csv_record *r = &l->rec;
	r->nfields = nf;
	r->field = f;
	r->len = len;
	r->quote = l->quote;
	r->line = row->line;
	r->nlines = row->nlines;
	r->flags = flags;
	int plain = !quoted && !flags;
	r->raw = plain ? b : NULL;
	r->rawlen = plain ? n : 0;
	r->src = plain ? s : NULL;
	return r;
}

size_t angka_csv_line_offsets(const char *s, size_t len, uint32_t *q)
{
	size_t k = 1, i = 0;
	q[0] = 0;
#if defined(__SSE2__) && defined(__GNUC__)
	const __m128i comma = _mm_set1_epi8(',');
	/* 64 bytes a step, one mask: the loop over a mask's commas ends
	 * (a branch the CPU mispredicts) a quarter as often. */
	for (; i + 64 <= len; i += 64) {
		const char *b = s + i;
		uint64_t m = (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		        _mm_loadu_si128((const __m128i *)(const void *)b), comma));
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		        _mm_loadu_si128((const __m128i *)(const void *)(b + 16)),
		        comma)) << 16;
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		        _mm_loadu_si128((const __m128i *)(const void *)(b + 32)),
		        comma)) << 32;
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		        _mm_loadu_si128((const __m128i *)(const void *)(b + 48)),
		        comma)) << 48;
		for (; m; m &= m - 1)
			q[k++] = (uint32_t)(i + (size_t)__builtin_ctzll(m) + 1);
	}
	for (; i + 16 <= len; i += 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, comma));
		for (; m; m &= m - 1)
			q[k++] = (uint32_t)(i + (size_t)__builtin_ctz(m) + 1);
	}
	if (i < len && len >= 16) {
		/* The rest: the line's last 16 bytes, those before i
		 * masked out. */
		size_t b = len - 16;
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(s + b));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, comma));
		for (m &= ~0u << (i - b); m; m &= m - 1)
			q[k++] = (uint32_t)(b + (size_t)__builtin_ctz(m) + 1);
		i = len;
	}
#endif
	for (; i < len; i++)
		if (s[i] == ',')
			q[k++] = (uint32_t)(i + 1);
	q[k] = (uint32_t)(len + 1);
	return k;
}
