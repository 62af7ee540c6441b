/*
 * jaro.c - Jaro and Jaro-Winkler similarity; see jaro.h. No allocation: the
 * match flags live on the stack, which is why lengths are capped.
 */
#include "jaro.h"

#include <string.h>

double dedup_jaro(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen > DEDUP_JARO_MAXLEN)
		alen = DEDUP_JARO_MAXLEN;
	if (blen > DEDUP_JARO_MAXLEN)
		blen = DEDUP_JARO_MAXLEN;
	if (alen == 0 && blen == 0)
		return 1.0;
	if (alen == 0 || blen == 0)
		return 0.0;
	size_t longer = alen > blen ? alen : blen;
	size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
	unsigned char amatch[DEDUP_JARO_MAXLEN], bmatch[DEDUP_JARO_MAXLEN];
	memset(amatch, 0, alen);
	memset(bmatch, 0, blen);
	size_t m = 0;
	for (size_t i = 0; i < alen; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < blen ? i + window + 1 : blen;
		for (size_t j = lo; j < hi; j++) {
			if (!bmatch[j] && a[i] == b[j]) {
				amatch[i] = bmatch[j] = 1;
				m++;
				break;
			}
		}
	}
	if (m == 0)
		return 0.0;
	/* Count matched bytes that are out of order (each transposition
	 * shows up twice, hence the halving). */
	size_t half = 0, j = 0;
	for (size_t i = 0; i < alen; i++) {
		if (!amatch[i])
			continue;
		while (!bmatch[j])
			j++;
		if (a[i] != b[j])
			half++;
		j++;
	}
	double md = (double)m;
	double t = (double)half / 2.0;
	return (md / (double)alen + md / (double)blen + (md - t) / md) / 3.0;
}

double dedup_jaro_winkler(const char *a, size_t alen, const char *b,
                          size_t blen)
{
	double j = dedup_jaro(a, alen, b, blen);
	size_t l = 0;
	while (l < 4 && l < alen && l < blen && a[l] == b[l])
		l++;
	return j + (double)l * 0.1 * (1.0 - j);
}
