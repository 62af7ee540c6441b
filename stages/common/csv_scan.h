/*
 * csv_scan.h - the byte classes and the block scanner of the CSV reader
 * (internal to csv_reader.c and csv_raw.c; not part of the library's
 * interface). Everything here is static: the reader's hot loop inlines it.
 */
#ifndef ANGKA_CSV_SCAN_H
#define ANGKA_CSV_SCAN_H

#include <stdint.h>
#include <string.h>

/*
 * Byte classes, OR-ed over each field in one pass: replaces all_ascii() and
 * three memchr() calls per field. C_QUOTE marks what a CSV writer must quote
 * (, " CR LF).
 */
enum { C_HIGH = 1, C_NL = 2, C_NUL = 4, C_QUOTE = 8 };
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char byte_class[256] = {
	C_NUL, 0, 0, 0, 0, 0, 0, 0, 0, 0, C_NL | C_QUOTE, 0, 0,
	C_NL | C_QUOTE, 0, 0,
	R16(0),
	0, 0, C_QUOTE, 0, 0, 0, 0, 0, 0, 0, 0, 0, C_QUOTE, 0, 0, 0,
	R16(0), R16(0), R16(0), R16(0), R16(0),
	R16(C_HIGH), R16(C_HIGH), R16(C_HIGH), R16(C_HIGH),
	R16(C_HIGH), R16(C_HIGH), R16(C_HIGH), R16(C_HIGH),
};
#undef R16

/* fast_row()'s classes: F_EOL a line end, F_DQ a quote; a comma, NUL and
 * bytes >= 0x80 as in byte_class. */
enum { F_EOL = 16, F_DQ = 32 };
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char fast_class[256] = {
	C_NUL, 0, 0, 0, 0, 0, 0, 0, 0, 0, F_EOL, 0, 0, F_EOL, 0, 0,
	R16(0),
	0, 0, F_DQ, 0, 0, 0, 0, 0, 0, 0, 0, 0, C_QUOTE, 0, 0, 0,
	R16(0), R16(0), R16(0), R16(0), R16(0),
	R16(C_HIGH), R16(C_HIGH), R16(C_HIGH), R16(C_HIGH),
	R16(C_HIGH), R16(C_HIGH), R16(C_HIGH), R16(C_HIGH),
};
#undef R16

/*
 * Block scan: BLK bytes at p, as two bit masks (bit j for byte j): the
 * delimiters, and the "odd" bytes that the byte loop must see (line end,
 * quote, NUL, byte >= 0x80 and, with another delimiter, a comma). SSE2 on
 * x86-64 (16 bytes), SWAR elsewhere on little-endian GCC/clang (8 bytes);
 * without either, bytes one at a time.
 */
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define BLK 16
struct blk_consts {
	__m128i d, n, r, q, z, c;
	int comma;
};
static inline void blk_init(struct blk_consts *k, unsigned char delim)
{
	k->d = _mm_set1_epi8((char)delim);
	k->n = _mm_set1_epi8('\n');
	k->r = _mm_set1_epi8('\r');
	k->q = _mm_set1_epi8('"');
	k->z = _mm_setzero_si128();
	k->c = _mm_set1_epi8(',');
	k->comma = delim != ',';
}
static inline unsigned blk_scan(const struct blk_consts *k,
                                const unsigned char *p, unsigned *delims)
{
	__m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i o = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, k->n),
	                                      _mm_cmpeq_epi8(w, k->r)),
	                         _mm_or_si128(_mm_cmpeq_epi8(w, k->q),
	                                      _mm_cmpeq_epi8(w, k->z)));
	if (k->comma)
		o = _mm_or_si128(o, _mm_cmpeq_epi8(w, k->c));
	*delims = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, k->d));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(o, w));
}
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    defined(__GNUC__)
#define BLK 8
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
/* The high bit of every byte of v that is zero, nothing else (exact). */
static inline uint64_t zero_bytes(uint64_t v)
{
	return ~(((v & ~HIGHS) + ~HIGHS) | v | ~HIGHS);
}
/* High bits of the 8 bytes -> bits 0..7. */
static inline unsigned pack_highs(uint64_t h)
{
	return (unsigned)(((h >> 7) * UINT64_C(0x0102040810204080)) >> 56);
}
struct blk_consts {
	uint64_t d, c;
};
static inline void blk_init(struct blk_consts *k, unsigned char delim)
{
	k->d = ONES * delim;
	k->c = delim == ',' ? 0 : ONES * ',';
}
static inline unsigned blk_scan(const struct blk_consts *k,
                                const unsigned char *p, unsigned *delims)
{
	uint64_t w;
	memcpy(&w, p, 8);
	uint64_t odd = zero_bytes(w ^ (ONES * '\n')) |
	               zero_bytes(w ^ (ONES * '\r')) |
	               zero_bytes(w ^ (ONES * '"')) | zero_bytes(w) |
	               (w & HIGHS) | (k->c ? zero_bytes(w ^ k->c) : 0);
	*delims = pack_highs(zero_bytes(w ^ k->d));
	return pack_highs(odd);
}
#endif

#endif
