/*
 * date.h - calendar dates as found in Indonesian registry extracts:
 * ISO, day-first numeric, Indonesian/English month names, Excel serials.
 * Pure functions over caller buffers: no allocation, no locale, no clock.
 */
#ifndef ANGKA_DATE_H
#define ANGKA_DATE_H

#include <stddef.h>

struct angka_date {
	int year, month, day;     /* all 0: no date */
};

/* How a date string was written (the result of angka_date_parse). */
enum angka_date_form {
	ANGKA_DATE_EMPTY = 0,     /* empty or blank */
	ANGKA_DATE_ISO,           /* YYYY-MM-DD (also YYYY/MM/DD) */
	ANGKA_DATE_DMY,           /* D/M/YYYY, DD-MM-YYYY, DD.MM.YYYY */
	ANGKA_DATE_MDY,           /* M/D/YYYY, recognised only when the first
	                           * number cannot be a day-first month (> 12)
	                           * and the second can (<= 12 fails) */
	ANGKA_DATE_TEXT_MONTH,    /* 12 Agustus 1980, 12-Aug-1980, Aug 12, 1980 */
	ANGKA_DATE_EXCEL_SERIAL,  /* a 5-digit Excel 1900-system serial */
	ANGKA_DATE_BAD            /* none of the above, or not a real date */
};

/* 1 if y is a Gregorian leap year. */
int angka_date_is_leap(int y);
/* Days in month m (1-12) of year y; 0 for a bad month. */
int angka_date_days_in_month(int y, int m);
/* 1 if y-m-d is a real date with 1 <= y <= 9999. */
int angka_date_valid(int y, int m, int d);

/*
 * Parse s[0..len) (surrounding spaces ignored) into *out. Returns the form
 * found; *out is set only for ISO, DMY, MDY, TEXT_MONTH and EXCEL_SERIAL and
 * zeroed otherwise. Accepted:
 *  - YYYY-MM-DD, YYYY/MM/DD, with an optional time part after a space or T
 *    ("2024-05-30 00:00:00");
 *  - D/M/YYYY with / - or . as separator (day first; when the first number
 *    is > 12 and the second <= 12 is impossible, i.e. "12/25/1980", the
 *    date is read month first and ANGKA_DATE_MDY is returned);
 *  - D MONTH YYYY, D-MON-YYYY, MONTH D YYYY, MONTH D, YYYY, with Indonesian
 *    (Januari, Pebruari, Agustus, Agt, Nopember, Des, ...) or English names
 *    and 3-letter abbreviations, any case;
 *  - Excel serials of the 1900 date system: an integer of exactly 5 digits
 *    (10000-99999 = 1927-05-18 .. 2173-10-14), optionally followed by ".0".
 *    Shorter integers are not taken as serials: "1980" is a year, not
 *    1905-06-02. The serial 60 (Excel's fictitious 1900-02-29) is invalid.
 * Two-digit years are not accepted (BAD): the century is a guess.
 */
enum angka_date_form angka_date_parse(const char *s, size_t len,
                                      struct angka_date *out);

/*
 * Excel 1900-system serial -> date: 1 = 1900-01-01, 59 = 1900-02-28,
 * 60 = the fictitious 1900-02-29 (returns 0), 61 = 1900-03-01. Returns 1 on
 * success, 0 if serial < 1 or > 2958465 (9999-12-31) or == 60.
 */
int angka_date_from_excel_serial(long serial, struct angka_date *out);

/* Kinds of placeholder birth date (angka_date_placeholder). */
enum angka_date_placeholder_kind {
	ANGKA_DATE_PH_NONE = 0,
	/* 1900-01-01, 1970-01-01 (in any accepted format), an Excel serial 0
	 * or 1 ("0", "1", "1.0") or all zeros ("00/00/0000", "0000-00-00"):
	 * a value typed when the date was unknown. */
	ANGKA_DATE_PH_FIXED,
	/* 31 December of any year: often "born that year" with the day
	 * unknown, but also a real date; only other evidence (a NIK whose date
	 * differs) shows it is a placeholder. */
	ANGKA_DATE_PH_YEAR_END
};

/*
 * The placeholder kind of a birth date: s[0..len) is the text, d and form
 * what angka_date_parse made of it. Costs two integer compares unless the
 * date is 1 January, 31 December or unparseable.
 */
enum angka_date_placeholder_kind angka_date_placeholder(
	const char *s, size_t len, const struct angka_date *d,
	enum angka_date_form form);

/* Write d as YYYY-MM-DD into out (capacity >= 11); "" for a zero date. */
void angka_date_format(const struct angka_date *d, char *out);

/* Month 1-12 from an Indonesian or English name or abbreviation
 * (case-insensitive, s[0..len)); 0 if none. */
int angka_date_month_from_name(const char *s, size_t len);

#endif
