/*
 * number.h - numbers as they appear in Indonesian and English statistical
 * tables: "5,32", "7.064", "Rp581.229,00", "Rp 2.000.000", "187,87 ribu",
 * "1,2 juta", "5,32 %", "-" (missing), and their exact conversion to double.
 *
 * Exactness: the digits are collected into a decimal mantissa and a power of
 * ten (separators and scale words only move the exponent), and the result is
 * one correctly rounded strtod() of "DIGITSeEXP". So "5,32" gives exactly the
 * double strtod("5.32") gives, and "187,87 ribu" exactly 187870. No locale is
 * consulted: the C library's LC_NUMERIC is never used for parsing or output.
 *
 * Separator rules (locale = the column's declared convention):
 *   - a dot and a comma in one value: the one that occurs last, once, is the
 *     decimal separator and the other groups thousands ("1.234,56" and
 *     "1,234.56" are both 1234.56, in every locale);
 *   - one kind of separator occurring twice or more groups thousands
 *     ("2.000.000", "2,000,000"); groups after the first must have 3 digits;
 *   - one separator occurring once is a decimal separator unless it could
 *     group thousands (1-3 digits before, not starting with 0, exactly 3
 *     after). That case ("7.064", "7,064") is ambiguous: locale ID reads
 *     "7.064" as 7064 and "7,064" as 7,064; locale EN the reverse; AUTO
 *     reads the separator as a decimal separator and sets
 *     ANGKA_NUMBER_F_AMBIGUOUS so the caller can decide from other values
 *     of the column (see angka_number_sniff) or flag the row;
 *   - a separator that contradicts the declared locale but cannot be the
 *     other reading ("5.32" under ID, "5,32" under EN) is accepted as a
 *     decimal separator with ANGKA_NUMBER_F_OTHER_LOCALE: published tables
 *     sometimes mix both conventions in one column.
 *
 * Accepted around the digits (case-insensitive): a sign (+, -, U+2212), a
 * currency prefix "Rp", "Rp.", "IDR" (spaces allowed after it), scale words
 * after the number "ribu", "rb", "juta", "jt", "miliar", "milyar", "M",
 * "triliun", "T", "thousand", "million", "billion", a unit "jiwa", "orang",
 * "%" or "persen" (the value is not divided by 100), and an exponent
 * ("6.31104E+15") when the decimal separator is a point.
 * Missing: empty, only spaces, "-", "--", "–", "—", ".", "..", "...", "…",
 * "NA", "N/A", "null", "x" (BPS's "data not available").
 *
 * No function here allocates, prints or exits.
 */
#ifndef ANGKA_NUMBER_H
#define ANGKA_NUMBER_H

#include <stddef.h>
#include <stdint.h>

enum angka_number_locale {
	ANGKA_NUMBER_AUTO = 0,  /* decide from the value; see above */
	ANGKA_NUMBER_ID,        /* decimal comma, thousands dot */
	ANGKA_NUMBER_EN         /* decimal point, thousands comma */
};

enum angka_number_status {
	ANGKA_NUMBER_OK = 0,
	ANGKA_NUMBER_MISSING,   /* empty or a missing-value marker */
	ANGKA_NUMBER_INVALID    /* not a number in any accepted form */
};

enum angka_number_flags {
	ANGKA_NUMBER_F_CURRENCY = 1 << 0,      /* "Rp"/"IDR" prefix removed */
	ANGKA_NUMBER_F_PERCENT = 1 << 1,       /* "%" or "persen" removed */
	ANGKA_NUMBER_F_SCALED = 1 << 2,        /* a scale word multiplied it */
	ANGKA_NUMBER_F_GROUPED = 1 << 3,       /* thousands separators removed */
	ANGKA_NUMBER_F_DECIMAL_COMMA = 1 << 4, /* the decimal separator was ',' */
	ANGKA_NUMBER_F_AMBIGUOUS = 1 << 5,     /* "7.064" under AUTO */
	ANGKA_NUMBER_F_OTHER_LOCALE = 1 << 6,  /* separator against the locale */
	ANGKA_NUMBER_F_EXPONENT = 1 << 7,      /* scientific notation */
	ANGKA_NUMBER_F_UNIT = 1 << 8,          /* "jiwa"/"orang" removed */
	ANGKA_NUMBER_F_SPACES = 1 << 9,        /* surrounding spaces trimmed */
	ANGKA_NUMBER_F_DECIMAL_POINT = 1 << 10 /* the decimal separator was '.' */
};

struct angka_number {
	double value;       /* finite when status is OK, else 0 */
	unsigned flags;     /* enum angka_number_flags */
	int scale;          /* power of ten of the scale word (3 ribu, 6 juta) */
	int frac_digits;    /* digits after the decimal separator, as written */
};

/*
 * Parse s[0..len) (need not be NUL-terminated) under locale loc into *out.
 * Returns ANGKA_NUMBER_OK with out->value set, ANGKA_NUMBER_MISSING, or
 * ANGKA_NUMBER_INVALID (also for values that overflow a double or have more
 * than 40 significant digits). out is always fully written.
 */
enum angka_number_status angka_number_parse(const char *s, size_t len,
                                            enum angka_number_locale loc,
                                            struct angka_number *out);

/*
 * The locale that s[0..len) proves, if any: ID for a value whose decimal
 * separator can only be a comma or whose thousands separator can only be a
 * dot ("5,32", "1.234,5", "2.000.000"), EN for the reverse ("5.32",
 * "1,234.5", "2,000,000"), AUTO when the value does not tell (integers,
 * "7.064", missing or invalid values). Use it to decide a column's or a
 * file's convention from the data.
 */
enum angka_number_locale angka_number_sniff(const char *s, size_t len);

/*
 * Parse a locale name: "auto", "id", "en". Returns 0 and sets *loc, or -1.
 */
int angka_number_locale_from_name(const char *name,
                                  enum angka_number_locale *loc);

/*
 * Write v into buf (capacity cap, >= 32 is always enough) in the shortest
 * form that strtod() reads back as exactly v ("5.32", "7064", "1e+20"),
 * with a '.' decimal point whatever the C locale. NaN and infinities give
 * an empty string. Returns the length written (excluding the NUL), or 0 if
 * cap is too small (buf then holds "").
 */
size_t angka_number_format(double v, char *buf, size_t cap);

/*
 * Parse a shard option "K/N" (0 <= K < N <= 100000, decimal digits only)
 * into *k and *n. Returns 0, or -1 (outputs untouched) if s is not such.
 */
int angka_shard_parse(const char *s, unsigned *k, unsigned *n);

/* The n bytes d as 2n lowercase hex digits and a NUL into out (capacity
 * >= 2n + 1): a digest as sha256sum prints it. */
void angka_hex(const uint8_t *d, size_t n, char *out);

#endif
