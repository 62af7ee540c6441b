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

#if defined(__GNUC__)
#define LINE_INLINE inline __attribute__((always_inline))
#else
#define LINE_INLINE inline
#endif

/* What line_scan saw besides the delimiters (with a copy only). */
enum { LINE_HIGH = 1, LINE_COMMA = 2 };

#if defined(__SSE2__) && defined(__GNUC__)
/* Bytes j..j+15 of the 64 at s (at i in the line) for line_scan: the
 * delimiters' mask shifted to j; with copy, the bytes stored at copy + i
 * + j with each delimiter a NUL and the masks of bytes >= 0x80 and of
 * commas OR-ed into *mh, *mc. Four calls, not a loop: GCC -O2 would
 * keep the loop and its shifts by a variable. */
static LINE_INLINE uint64_t line_blk(const char *s, char *copy, size_t i,
                                     int j, __m128i dv, __m128i cv,
                                     uint64_t *mh, uint64_t *mc)
{
	__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
	__m128i eq = _mm_cmpeq_epi8(w, dv);
	if (copy) {
		_mm_storeu_si128((__m128i *)(void *)(copy + i + j),
		                 _mm_andnot_si128(eq, w));
		*mh |= (uint64_t)(unsigned)_mm_movemask_epi8(w) << j;
		*mc |= (uint64_t)(unsigned)_mm_movemask_epi8(
		        _mm_cmpeq_epi8(w, cv)) << j;
	}
	return (uint64_t)(unsigned)_mm_movemask_epi8(eq) << j;
}
#endif

/*
 * The one scan of a line record s[0..n) for its delimiters: 64 bytes a
 * step (one mask: the loop over a mask's delimiters ends, a branch the
 * CPU mispredicts, a quarter as often), then 16, then the last 16 again
 * in part (those before i masked out), then bytes for a line under 16.
 * copy NULL (angka_csv_line_offsets): q[k] one past the k-th delimiter
 * (q[0] 0, q[nf] n + 1), one store per delimiter without a test.
 * copy set (angka_csv_line_record): s into copy (n + 16 bytes: block
 * stores) with each delimiter a NUL, field k at f[k] (in copy), len[k];
 * *seen LINE_HIGH for a byte >= 0x80, LINE_COMMA for a comma.
 * Returns the number of fields. Always inlined, copy a constant NULL or
 * not: each caller gets a loop of its own, without the tests.
 */
static LINE_INLINE size_t line_scan(const char *s, size_t n, char delim,
                                    uint32_t *q, char *copy,
                                    const char **f, size_t *len,
                                    unsigned *seen)
{
	size_t k = 0, start = 0, i = 0;
	unsigned high = 0, comma = 0;
	/* Field k ends at the delimiter at d. */
#define LINE_FIELD(d) do { \
		if (copy) { \
			f[k] = copy + start; \
			len[k++] = (d) - start; \
			start = (d) + 1; \
		} else { \
			q[++k] = (uint32_t)((d) + 1); \
		} \
	} while (0)
	if (!copy)
		q[0] = 0;
#if defined(__SSE2__) && defined(__GNUC__)
	const __m128i dv = _mm_set1_epi8(delim), cv = _mm_set1_epi8(',');
	for (; i + 64 <= n; i += 64) {
		uint64_t mh = 0, mc = 0;
		uint64_t md = line_blk(s + i, copy, i, 0, dv, cv, &mh, &mc) |
		              line_blk(s + i, copy, i, 16, dv, cv, &mh, &mc) |
		              line_blk(s + i, copy, i, 32, dv, cv, &mh, &mc) |
		              line_blk(s + i, copy, i, 48, dv, cv, &mh, &mc);
		high |= mh != 0;
		comma |= mc != 0;
		for (; md; md &= md - 1)
			LINE_FIELD(i + (size_t)__builtin_ctzll(md));
	}
	for (; i + 16 <= n; i += 16) {
		uint64_t mh = 0, mc = 0;
		unsigned m = (unsigned)line_blk(s + i, copy, i, 0, dv, cv, &mh,
		                                &mc);
		high |= mh != 0;
		comma |= mc != 0;
		for (; m; m &= m - 1)
			LINE_FIELD(i + (size_t)__builtin_ctz(m));
	}
	if (i < n && n >= 16) {
		/* The rest: the line's last 16 bytes, those before i
		 * masked out (stored again as they were). */
		size_t at = n - 16;
		uint64_t mh = 0, mc = 0;
		unsigned skip = ~0u << (i - at);
		unsigned m = (unsigned)line_blk(s + at, copy, at, 0, dv, cv,
		                                &mh, &mc) & skip;
		high |= (mh & skip) != 0;
		comma |= (mc & skip) != 0;
		for (; m; m &= m - 1)
			LINE_FIELD(at + (size_t)__builtin_ctz(m));
		i = n;
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (copy) {
			high |= c >= 0x80;
			comma |= c == ',';
			copy[i] = c == (unsigned char)delim ? '\0' : (char)c;
		}
		if (c == (unsigned char)delim)
			LINE_FIELD(i);
	}
	LINE_FIELD(n);
#undef LINE_FIELD
	if (copy) {
		copy[n] = '\0';
		*seen = (high ? LINE_HIGH : 0) | (comma ? LINE_COMMA : 0);
	}
	return k;
}

const struct angka_csv_record *
angka_csv_line_record(struct angka_csv_line *l,
                      const struct angka_csv_record *row, char delim)
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
	unsigned seen;
	size_t nf = line_scan(s, n, delim, NULL, b, f, len, &seen);
	unsigned high = seen & LINE_HIGH, comma = seen & LINE_COMMA;
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

size_t angka_csv_line_offsets(const char *s, size_t len, char delim,
                              uint32_t *q)
{
	return line_scan(s, len, delim, q, NULL, NULL, NULL, NULL);
}
