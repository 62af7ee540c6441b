/*
 * nik.h - Indonesian NIK (Nomor Induk Kependudukan) and No KK numbers:
 * cleaning, validation, Excel-damage detection and decoding.
 *
 * A NIK is 16 digits PP KK CC DDMMYY SSSS: province, kabupaten/kota and
 * kecamatan of first registration, birth date with 40 added to the day for
 * women, serial 0001-9999. A No KK is 16 digits whose first 6 are the issuing
 * region (then an issue date and a serial, not checked). Pure functions over
 * caller memory: no allocation, never exits.
 */
#ifndef ANGKA_NIK_H
#define ANGKA_NIK_H

#include <stddef.h>

#include "date.h"

enum angka_nik_type { ANGKA_NIK_PERSON, ANGKA_NIK_KK };

enum angka_nik_status {
	ANGKA_NIK_MISSING = 0,    /* empty after trimming */
	ANGKA_NIK_VALID,
	ANGKA_NIK_INVALID,        /* reason says why */
	ANGKA_NIK_EXCEL           /* damaged by Excel: digits lost for good */
};

enum angka_nik_flags {
	/* Fix: spaces, dots, dashes or a leading apostrophe were removed. */
	ANGKA_NIK_F_PUNCT = 1 << 0,
	/*
	 * Warning on a VALID number that came through a float path (see
	 * ANGKA_NIK_F_FLOAT) and may have lost its last digit: it ends in 0,
	 * which is what Excel's 15-digit truncation leaves, or it is above
	 * 2^53. Sixteen plain digits ending in 0 do not get it: a genuine
	 * serial ends in 0 one time in ten and on the fixture 1162 of the
	 * 1233 such NIKs were correct (94 % false alarms); nothing in the
	 * text tells a truncated one from a genuine one, so matchers that
	 * want to tolerate truncation compare the first 15 digits of any NIK
	 * ending in 0.
	 */
	ANGKA_NIK_F_MAYBE_TRUNCATED = 1 << 1,
	/*
	 * Fix: the number was written as a float with a zero fraction
	 * ("6311013008731179.0", "...,00": pandas, a database or a float
	 * export) and its 16 integer digits were kept.
	 */
	ANGKA_NIK_F_FLOAT = 1 << 2
};

struct angka_nik {
	enum angka_nik_status status;
	/*
	 * Static reason code for INVALID and EXCEL (NULL otherwise). Person:
	 * nik_length, nik_chars, nik_province, nik_date, nik_serial,
	 * nik_excel_mangled. KK: kk_length, kk_chars, kk_province,
	 * kk_excel_mangled.
	 */
	const char *reason;
	unsigned flags;           /* enum angka_nik_flags */
	char digits[17];          /* the 16 digits when VALID, else "" */
	/* Decoded from a VALID person NIK (zero/empty otherwise): */
	char kode_kec[7];         /* first 6 digits */
	struct angka_date birth;  /* DDMMYY with the century resolved */
	char sex;                 /* 'L' or 'P'; 0 if not decoded */
};

/* 1 if pp is a province code in use (11-19, 21, 31-36, 51-53, 61-65, 71-76,
 * 81-82, 91-97). */
int angka_nik_province_known(int pp);

/*
 * Resolve the two-digit year yy: the century that puts it closest to
 * hint_year when hint_year > 0 (a birth year from the record), never after
 * ref_year; else the latest year not after ref_year (ref 2026: 26 -> 2026,
 * 27 -> 1927). A hint that is no plausible birth year (110 or more years
 * before ref_year, or after it: a placeholder like 1900) is ignored.
 */
int angka_nik_resolve_year(int yy, int hint_year, int ref_year);

/*
 * Parse s[0..len) as a NIK (type ANGKA_NIK_PERSON) or No KK into *out.
 * birth_hint: the record's birth date, used only to choose the century of
 * the NIK's two-digit year (NULL or a zero date: none). ref_year: see
 * angka_nik_resolve_year. Returns out->status.
 *
 * Rules, in order:
 *  1. surrounding white space is trimmed; empty -> MISSING;
 *  2. a number with a fraction of 1-6 zeros after '.' or ',' and exactly
 *     16 integer digits ("6311013008731179.0", "6311013008731179,00") is
 *     read from its integer digits (flag ANGKA_NIK_F_FLOAT; the text holds
 *     every digit) and validated from rule 4 on; it also gets
 *     ANGKA_NIK_F_MAYBE_TRUNCATED when its last digit is 0 (Excel, which
 *     keeps 15 significant digits, can print a number that way) or when it
 *     is above 2^53 = 9007199254740992 (a double holds only even integers
 *     there: the exporter may have rounded the last digit);
 *  2b. other Excel evidence -> EXCEL (digits lost, cannot be recovered):
 *     scientific notation ("6.31104E+15", "6,31104E+15", "6E15"), or a
 *     zero fraction after 15 or 17+ integer digits;
 *  3. one leading apostrophe (Excel's text marker), spaces, dots and dashes
 *     are removed (flag ANGKA_NIK_F_PUNCT); any other non-digit -> INVALID
 *     nik_chars;
 *  4. not 16 digits -> INVALID nik_length; province unknown -> nik_province;
 *  5. person only: DDMMYY not a real date (day 1-31 or 41-71 valid for the
 *     month, Feb 29 only in a leap year of the resolved century) ->
 *     nik_date; serial 0000 -> nik_serial;
 *  6. VALID (ANGKA_NIK_F_MAYBE_TRUNCATED only as said in rule 2).
 */
enum angka_nik_status angka_nik_parse(const char *s, size_t len,
                                      enum angka_nik_type type,
                                      const struct angka_date *birth_hint,
                                      int ref_year, struct angka_nik *out);

/* Static name of a status: "valid", "missing", "invalid", "excel_mangled". */
const char *angka_nik_status_name(enum angka_nik_status st);

#endif
