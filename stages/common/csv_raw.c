/*
 * csv_raw.c - a fast-path record's raw text back into a CSV line
 * (angka_csv_raw_join, see csv_reader.h), with the reader's block width.
 */
#include "csv_reader.h"
#include "csv_scan.h"

#include <stdint.h>
#include <string.h>

size_t angka_csv_raw_join(const char *raw, size_t len, char sep, char *out)
{
	size_t i = 0;
#if defined(BLK) && BLK == 16
	/* Sixteen bytes at a time: sep into every zero byte. */
	const __m128i z = _mm_setzero_si128(), ks = _mm_set1_epi8(sep);
	for (; i + 16 <= len; i += 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(raw + i));
		__m128i m = _mm_cmpeq_epi8(w, z);
		w = _mm_or_si128(w, _mm_and_si128(m, ks));
		_mm_storeu_si128((__m128i *)(void *)(out + i), w);
	}
#elif defined(BLK)
	/* Eight bytes at a time: sep into every zero byte. */
	const uint64_t ks = (uint64_t)(unsigned char)sep;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, raw + i, 8);
		w |= (zero_bytes(w) >> 7) * ks;
		memcpy(out + i, &w, 8);
	}
#endif
	for (; i < len; i++)
		out[i] = raw[i] ? raw[i] : sep;
	return len;
}
