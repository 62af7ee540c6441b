/*
 * dtks_squeeze.c - white space of DTKS text fields: trim, collapse and
 * upper-case (split from dtks.c; called per field, out of line as before).
 */
#include "dtks_int.h"
#include "name.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

/* 1 if normalize_squeeze() would return s[0..len) unchanged: no TAB, CR
 * or LF, no leading, trailing or double space, and if upper, nothing but
 * ASCII without a-z. Sixteen bytes at a time with SSE2. */
static int squeeze_noop(const char *s, size_t len, int upper)
{
	if (!len)
		return 1;
	if (s[0] == ' ' || s[len - 1] == ' ')
		return 0;
	size_t i = 0;
#if defined(__SSE2__) && defined(__GNUC__)
	const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'),
	              cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n'),
	              lo = _mm_set1_epi8('a' - 1), hi = _mm_set1_epi8('z' + 1);
	/* s[i + 16] is read for the double-space test: i + 17 <= len. */
	for (; i + 17 <= len; i += 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i w1 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
		__m128i bad = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(w, tab), _mm_cmpeq_epi8(w, cr)),
			_mm_or_si128(_mm_cmpeq_epi8(w, lf),
			             _mm_and_si128(_mm_cmpeq_epi8(w, sp),
			                           _mm_cmpeq_epi8(w1, sp))));
		if (upper)   /* a-z (signed compares: >= 0x80 is negative) */
			bad = _mm_or_si128(bad, _mm_and_si128(_mm_cmpgt_epi8(w, lo),
			                                      _mm_cmplt_epi8(w, hi)));
		int m = _mm_movemask_epi8(bad);
		if (upper)
			m |= _mm_movemask_epi8(w);   /* bytes >= 0x80 */
		if (m)
			return 0;
	}
#endif
	/* The rest (most fields are short: all of them) without branches:
	 * bit 1 space, 2 TAB/CR/LF, 4 a-z or >= 0x80. */
	static const unsigned char sq[128] = {
		['\t'] = 2, ['\n'] = 2, ['\r'] = 2, [' '] = 1,
		['a'] = 4, ['b'] = 4, ['c'] = 4, ['d'] = 4, ['e'] = 4, ['f'] = 4,
		['g'] = 4, ['h'] = 4, ['i'] = 4, ['j'] = 4, ['k'] = 4, ['l'] = 4,
		['m'] = 4, ['n'] = 4, ['o'] = 4, ['p'] = 4, ['q'] = 4, ['r'] = 4,
		['s'] = 4, ['t'] = 4, ['u'] = 4, ['v'] = 4, ['w'] = 4, ['x'] = 4,
		['y'] = 4, ['z'] = 4,
	};
	unsigned bad = 0, prev = 0;
	/* Eight bytes at a time (SWAR); zb: the high bit of each zero byte
	 * of v, exactly. prev: the byte before is a space. */
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = ones * 0x80;
#define ZB(v) (~((((v) & ~highs) + ~highs) | (v) | ~highs))
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t sp = ZB(w ^ (ones * ' '));
		uint64_t m = ZB(w ^ (ones * '\t')) | ZB(w ^ (ones * '\r')) |
		             ZB(w ^ (ones * '\n')) |
		             (sp & ((sp << 8) | (prev ? 0x80u : 0u)));
		if (upper) {
			/* Any byte >= 0x80 fails; else no carry crosses a
			 * byte and the high bits say >= 'a' and > 'z'. */
			uint64_t ge_a = w + ones * (0x80 - 'a');
			uint64_t gt_z = w + ones * (0x80 - 'z' - 1);
			m |= (w & highs) | (ge_a & ~gt_z & highs);
		}
		if (m)
			return 0;
		prev = (unsigned)(sp >> 63);
	}
#undef ZB
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned k = c < 0x80 ? sq[c] : 4;
		bad |= (k & 2) | (k & prev & 1) | (k & 4);
		prev = k;
	}
	return !(bad & (upper ? 7u : 3u));
}

/* Trim s[0..len) and collapse every run of white space (CR, LF, TAB
 * included) into one space; upper-case it if upper. Into b, or s itself
 * when nothing changes; *olen gets the length. */
const char *normalize_squeeze(struct buf *b, const char *s, size_t len,
                              int upper, size_t *olen)
{
	if (squeeze_noop(s, len, upper)) {
		*olen = len;
		return s;
	}
	char *o = buf_need(b, len + 1);
	size_t n = 0;
	int sp = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			sp = 1;
			continue;
		}
		if (sp && n)
			o[n++] = ' ';
		sp = 0;
		o[n++] = c;
	}
	o[n] = 0;
	if (upper)   /* in place: upper-casing never lengthens */
		n = angka_name_upper(o, n, o);
	*olen = n;
	return o;
}
