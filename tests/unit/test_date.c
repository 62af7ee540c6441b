/*
 * test_date.c - unit tests of date.c: formats, Excel serials (with the
 * 1900 leap-year bug), month names, invalid dates.
 */
#include <string.h>

#include "date.h"
#include "minunit.h"

struct dcase {
	const char *in;
	enum angka_date_form form;
	const char *iso;      /* "" when no date */
};

static const struct dcase cases[] = {
	{ "", ANGKA_DATE_EMPTY, "" },
	{ "   ", ANGKA_DATE_EMPTY, "" },
	{ "1980-08-12", ANGKA_DATE_ISO, "1980-08-12" },
	{ "1980/08/12", ANGKA_DATE_ISO, "1980-08-12" },
	{ "2024-05-30 00:00:00", ANGKA_DATE_ISO, "2024-05-30" },
	{ "2024-05-30T10:00:00", ANGKA_DATE_ISO, "2024-05-30" },
	{ "12/08/1980", ANGKA_DATE_DMY, "1980-08-12" },
	{ "12-08-1980", ANGKA_DATE_DMY, "1980-08-12" },
	{ "12.08.1980", ANGKA_DATE_DMY, "1980-08-12" },
	{ "1/2/1990", ANGKA_DATE_DMY, "1990-02-01" },
	{ " 30/08/1973 ", ANGKA_DATE_DMY, "1973-08-30" },
	{ "12/25/1980", ANGKA_DATE_MDY, "1980-12-25" },
	{ "12 Agustus 1980", ANGKA_DATE_TEXT_MONTH, "1980-08-12" },
	{ "7 agustus 1980", ANGKA_DATE_TEXT_MONTH, "1980-08-07" },
	{ "9 November 2010", ANGKA_DATE_TEXT_MONTH, "2010-11-09" },
	{ "01 Pebruari 1975", ANGKA_DATE_TEXT_MONTH, "1975-02-01" },
	{ "3 Mei 2001", ANGKA_DATE_TEXT_MONTH, "2001-05-03" },
	{ "12-Aug-1980", ANGKA_DATE_TEXT_MONTH, "1980-08-12" },
	{ "12 Agt 1980", ANGKA_DATE_TEXT_MONTH, "1980-08-12" },
	{ "12 DES 1980", ANGKA_DATE_TEXT_MONTH, "1980-12-12" },
	{ "August 12, 1980", ANGKA_DATE_TEXT_MONTH, "1980-08-12" },
	{ "Oct 1 1999", ANGKA_DATE_TEXT_MONTH, "1999-10-01" },
	{ "34846", ANGKA_DATE_EXCEL_SERIAL, "1995-05-27" },
	{ "40905", ANGKA_DATE_EXCEL_SERIAL, "2011-12-28" },
	{ "44309", ANGKA_DATE_EXCEL_SERIAL, "2021-04-23" },
	{ "34846.0", ANGKA_DATE_EXCEL_SERIAL, "1995-05-27" },
	{ "1980", ANGKA_DATE_BAD, "" },
	{ "123456", ANGKA_DATE_BAD, "" },
	{ "09999", ANGKA_DATE_BAD, "" },
	{ "31/02/1980", ANGKA_DATE_BAD, "" },
	{ "29/02/1900", ANGKA_DATE_BAD, "" },
	{ "29/02/2000", ANGKA_DATE_DMY, "2000-02-29" },
	{ "29/02/2023", ANGKA_DATE_BAD, "" },
	{ "13/13/1980", ANGKA_DATE_BAD, "" },
	{ "12/08/80", ANGKA_DATE_BAD, "" },
	{ "12 Foo 1980", ANGKA_DATE_BAD, "" },
	{ "12/08-1980", ANGKA_DATE_BAD, "" },
	{ "12 08 1980", ANGKA_DATE_BAD, "" },
	{ "tidak tahu", ANGKA_DATE_BAD, "" },
	{ "1980-08-12-01", ANGKA_DATE_BAD, "" },
	{ "00/08/1980", ANGKA_DATE_BAD, "" },
};

static void test_parse_table(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct angka_date d;
		char iso[11];
		enum angka_date_form f = angka_date_parse(cases[i].in,
		                                          strlen(cases[i].in), &d);
		angka_date_format(&d, iso);
		mu_check_msg(f == cases[i].form, "'%s': form %d, expected %d",
		             cases[i].in, (int)f, (int)cases[i].form);
		mu_check_msg(strcmp(iso, cases[i].iso) == 0, "'%s': '%s', expected '%s'",
		             cases[i].in, iso, cases[i].iso);
	}
}

static void test_excel_serial(void)
{
	struct angka_date d;
	char iso[11];
	mu_check(angka_date_from_excel_serial(1, &d));
	angka_date_format(&d, iso);
	mu_check_str(iso, "1900-01-01");
	mu_check(angka_date_from_excel_serial(59, &d));
	angka_date_format(&d, iso);
	mu_check_str(iso, "1900-02-28");
	mu_check(!angka_date_from_excel_serial(60, &d));   /* 1900-02-29 */
	mu_check(angka_date_from_excel_serial(61, &d));
	angka_date_format(&d, iso);
	mu_check_str(iso, "1900-03-01");
	mu_check(angka_date_from_excel_serial(25569, &d));
	angka_date_format(&d, iso);
	mu_check_str(iso, "1970-01-01");
	mu_check(angka_date_from_excel_serial(2958465, &d));
	angka_date_format(&d, iso);
	mu_check_str(iso, "9999-12-31");
	mu_check(!angka_date_from_excel_serial(0, &d));
	mu_check(!angka_date_from_excel_serial(2958466, &d));
}

static void test_calendar(void)
{
	mu_check(angka_date_is_leap(2000));
	mu_check(!angka_date_is_leap(1900));
	mu_check(angka_date_is_leap(2024));
	mu_check_int(angka_date_days_in_month(2023, 2), 28);
	mu_check_int(angka_date_days_in_month(2024, 2), 29);
	mu_check_int(angka_date_days_in_month(2024, 13), 0);
	mu_check(!angka_date_valid(0, 1, 1));
	mu_check_int(angka_date_month_from_name("AGUSTUS", 7), 8);
	mu_check_int(angka_date_month_from_name("nop", 3), 11);
	mu_check_int(angka_date_month_from_name("xyz", 3), 0);
}

static void test_placeholder(void)
{
	enum { N = ANGKA_DATE_PH_NONE, F = ANGKA_DATE_PH_FIXED,
	       Y = ANGKA_DATE_PH_YEAR_END };
	static const struct { const char *in; int kind; } t[] = {
		{ "01/01/1900", F }, { "1900-01-01", F },
		{ "1900-01-01 00:00:00", F }, { "1 Januari 1900", F },
		{ "01/01/1970", F }, { "1970-01-01", F },
		{ "0", F }, { "1", F }, { " 1 ", F }, { "1.0", F }, { "0,00", F },
		{ "00/00/0000", F }, { "0000-00-00", F }, { "00-00-00", F },
		{ "31/12/1985", Y }, { "1985-12-31", Y }, { "12/31/1985", Y },
		{ "01/01/1985", N }, { "02/01/1900", N }, { "30/12/1985", N },
		{ "2", N }, { "10", N }, { "1.5", N }, { "0/0", N }, { "", N },
		{ "abc", N }, { "30/08/1973", N }, { "1980", N },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct angka_date d;
		enum angka_date_form f = angka_date_parse(t[i].in, strlen(t[i].in), &d);
		int k = (int)angka_date_placeholder(t[i].in, strlen(t[i].in), &d, f);
		mu_check_msg(k == t[i].kind, "'%s': kind %d, expected %d",
		             t[i].in, k, t[i].kind);
	}
}

/* angka_date_format: every year of 1-9999, every month and day of 0-99
 * (the table's range), against snprintf; beyond it the last four digits
 * of the year as before; no year, no date. */
static void test_format(void)
{
	char got[11], want[32];
	int bad = 0;
	for (int y = 1; y <= 9999; y++) {
		for (int m = 0; m < 100; m += (y % 97 == 0) ? 1 : 11) {
			for (int dd = 0; dd < 100; dd += (y % 97 == 0) ? 1 : 13) {
				struct angka_date d = { y, m, dd };
				angka_date_format(&d, got);
				snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, dd);
				if (strcmp(got, want) != 0 && bad++ < 5)
					mu_fail("%d-%d-%d: '%s', expected '%s'", y, m,
					        dd, got, want);
			}
		}
	}
	mu_check_int(bad, 0);
	struct angka_date d = { 2024, 2, 29 };
	angka_date_format(&d, got);
	mu_check_str(got, "2024-02-29");
	d = (struct angka_date){ 12345, 6, 7 };
	angka_date_format(&d, got);
	mu_check_str(got, "2345-06-07");
	d = (struct angka_date){ 0, 6, 7 };
	angka_date_format(&d, got);
	mu_check_str(got, "");
}

int main(void)
{
	mu_run(test_placeholder);
	mu_run(test_parse_table);
	mu_run(test_excel_serial);
	mu_run(test_calendar);
	mu_run(test_format);
	return mu_report("test_date");
}
