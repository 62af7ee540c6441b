/*
 * period.h - reference periods of statistical tables ("Maret 2020",
 * "2020-03", "Mar-20", "March 2020", "Semester I 2020", "2020") parsed to
 * a year and a month and written in the canonical form "YYYY-MM".
 *
 * Accepted (case-insensitive, spaces, '-', '/', '.' and ',' between parts):
 *   YYYY-MM, YYYY/MM, YYYY-MM-DD (the day is ignored), YYYYMM, MM/YYYY,
 *   MM-YYYY; MONTH YYYY, MONTH-YY, YYYY MONTH, with MONTH an Indonesian or
 *   English month name or its 3-4 letter abbreviation (Maret, Mar, March,
 *   Agustus, Agt, Ags, Aug, Nopember, Sept, ...); "Semester I|II YYYY" or
 *   "Semester 1|2 YYYY" (I = March, II = September: the SUSENAS rounds);
 *   YYYY alone (month unknown), optionally after "Tahun". A two-digit year
 *   YY is 20YY when YY < 70, else 19YY. Years 1900-2100.
 *
 * No function here allocates, prints or exits.
 */
#ifndef ANGKA_PERIOD_H
#define ANGKA_PERIOD_H

#include <stddef.h>

enum angka_period_flags {
	ANGKA_PERIOD_F_YEAR_ONLY = 1 << 0,   /* no month was given */
	ANGKA_PERIOD_F_TWO_DIGIT = 1 << 1,   /* the year had two digits */
	ANGKA_PERIOD_F_SEMESTER = 1 << 2,    /* a semester, mapped to a month */
	ANGKA_PERIOD_F_MONTH_NAME = 1 << 3,  /* the month was a name */
	ANGKA_PERIOD_F_DAY = 1 << 4          /* a day was given and dropped */
};

struct angka_period {
	int year;        /* 1900-2100 */
	int month;       /* 1-12, or 0 when only the year was given */
	unsigned flags;  /* enum angka_period_flags */
};

/*
 * Parse s[0..len) (need not be NUL-terminated) into *p. Returns 0 on
 * success, 1 if s is empty or only spaces (p zeroed), -1 if it is not a
 * period in any accepted form (p zeroed).
 */
int angka_period_parse(const char *s, size_t len, struct angka_period *p);

/*
 * Write p as "YYYY-MM" into buf (capacity >= 8). A year-only period takes
 * default_month (1-12); with default_month 0 it is written as "YYYY".
 * Returns the length written, 0 if p is invalid or cap too small.
 */
size_t angka_period_format(const struct angka_period *p, int default_month,
                           char *buf, size_t cap);

#endif
