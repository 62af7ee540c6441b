/*
 * jaro.h - Jaro and Jaro-Winkler string similarity (Winkler 1990), on bytes.
 *
 * Used by angka-dedup on nama_kunci, which normalize reduces to upper-case
 * letters, so comparing bytes is comparing letters. Strings longer than
 * DEDUP_JARO_MAXLEN bytes are compared on their first DEDUP_JARO_MAXLEN bytes.
 */
#ifndef DEDUP_JARO_H
#define DEDUP_JARO_H

#include <stddef.h>

#define DEDUP_JARO_MAXLEN 128

/*
 * Jaro similarity of a[0..alen) and b[0..blen) in [0, 1]: matches are equal
 * bytes no further apart than max(alen, blen)/2 - 1; t is half the number of
 * matched bytes out of order; J = (m/alen + m/blen + (m - t)/m) / 3.
 * Two empty strings: 1; one empty: 0.
 */
double dedup_jaro(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Jaro-Winkler: J + l * 0.1 * (1 - J), l the common prefix length (max 4).
 * MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813.
 */
double dedup_jaro_winkler(const char *a, size_t alen, const char *b,
                          size_t blen);

#endif
