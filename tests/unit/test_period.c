/*
 * test_period.c - unit tests of period.c: month names in Indonesian and
 * English, numeric forms, semesters, year-only periods, rejects, format.
 */
#include <string.h>

#include "minunit.h"
#include "period.h"
#include "date.h"

static const struct {
	const char *in;
	int year, month;
	unsigned flags;      /* flags that must be set */
} ok_cases[] = {
	{ "Maret 2020", 2020, 3, ANGKA_PERIOD_F_MONTH_NAME },
	{ "maret 2020", 2020, 3, 0 },
	{ "MARET 2020", 2020, 3, 0 },
	{ "2020-03", 2020, 3, 0 },
	{ "2020/3", 2020, 3, 0 },
	{ "2020-03-31", 2020, 3, ANGKA_PERIOD_F_DAY },
	{ "202003", 2020, 3, 0 },
	{ "03/2020", 2020, 3, 0 },
	{ "3-2020", 2020, 3, 0 },
	{ "Mar-20", 2020, 3, ANGKA_PERIOD_F_TWO_DIGIT },
	{ "Mar 2020", 2020, 3, 0 },
	{ "March 2020", 2020, 3, 0 },
	{ "Sep-99", 1999, 9, ANGKA_PERIOD_F_TWO_DIGIT },
	{ "September 2022", 2022, 9, 0 },
	{ "Sept. 2022", 2022, 9, 0 },
	{ "Agustus 2021", 2021, 8, 0 },
	{ "Agt 2021", 2021, 8, 0 },
	{ "Nopember 2019", 2019, 11, 0 },
	{ "Pebruari 2019", 2019, 2, 0 },
	{ "Desember, 2018", 2018, 12, 0 },
	{ "Mei 2017", 2017, 5, 0 },
	{ "2020 Maret", 2020, 3, 0 },
	{ "Bulan Maret 2020", 2020, 3, 0 },
	{ "2020", 2020, 0, ANGKA_PERIOD_F_YEAR_ONLY },
	{ " 2020 ", 2020, 0, ANGKA_PERIOD_F_YEAR_ONLY },
	{ "Tahun 2021", 2021, 0, ANGKA_PERIOD_F_YEAR_ONLY },
	{ "Semester I 2020", 2020, 3, ANGKA_PERIOD_F_SEMESTER },
	{ "Semester II 2020", 2020, 9, ANGKA_PERIOD_F_SEMESTER },
	{ "semester 2 2020", 2020, 9, ANGKA_PERIOD_F_SEMESTER },
	{ NULL, 0, 0, 0 }
};

static const char *const bad_cases[] = {
	"Sumber: BPS Kabupaten Balangan",
	"Catatan: Data Maret (Susenas)",
	"2020-13", "2020-00", "13/2020", "Maretz 2020", "Maret", "1850",
	"2101", "20", "Semester III 2020", "Semester 2020", "2020-03-32",
	"Mar-2", "12345", "2020-03-01-05", "2019-2024", "x", "Maret 2020 2021",
	"2020\xC2\xA0" "03", NULL
};

static void test_ok(void)
{
	for (size_t i = 0; ok_cases[i].in; i++) {
		struct angka_period p;
		int r = angka_period_parse(ok_cases[i].in, strlen(ok_cases[i].in),
		                           &p);
		mu_check_msg(r == 0, "'%s': returned %d", ok_cases[i].in, r);
		mu_check_msg(p.year == ok_cases[i].year &&
		             p.month == ok_cases[i].month,
		             "'%s': got %d-%d", ok_cases[i].in, p.year, p.month);
		mu_check_msg((p.flags & ok_cases[i].flags) == ok_cases[i].flags,
		             "'%s': flags 0x%x", ok_cases[i].in, p.flags);
	}
}

static void test_bad(void)
{
	for (size_t i = 0; bad_cases[i]; i++) {
		struct angka_period p;
		int r = angka_period_parse(bad_cases[i], strlen(bad_cases[i]), &p);
		mu_check_msg(r == -1 && p.year == 0, "'%s' should be rejected, got "
		             "%d (%d-%d)", bad_cases[i], r, p.year, p.month);
	}
	struct angka_period p;
	mu_check_int(angka_period_parse("", 0, &p), 1);
	mu_check_int(angka_period_parse("   ", 3, &p), 1);
	mu_check_int(angka_period_parse(NULL, 0, &p), 1);
	/* Only len bytes are read. */
	mu_check_int(angka_period_parse("2020-035", 7, &p), 0);
	mu_check_int(p.month, 3);
}

static void test_month_names(void)
{
	mu_check_int(angka_date_month_from_name("Januari", 7), 1);
	mu_check_int(angka_date_month_from_name("DEC", 3), 12);
	mu_check_int(angka_date_month_from_name("okt", 3), 10);
	mu_check_int(angka_date_month_from_name("Juli", 4), 7);
	mu_check_int(angka_date_month_from_name("Mart", 4), 0);
	mu_check_int(angka_date_month_from_name("", 0), 0);
}

static void test_format(void)
{
	char buf[16];
	struct angka_period p = { 2020, 3, 0 };
	mu_check_int(angka_period_format(&p, 0, buf, sizeof buf), 7);
	mu_check_str(buf, "2020-03");
	struct angka_period y = { 2020, 0, ANGKA_PERIOD_F_YEAR_ONLY };
	angka_period_format(&y, 3, buf, sizeof buf);
	mu_check_str(buf, "2020-03");
	angka_period_format(&y, 9, buf, sizeof buf);
	mu_check_str(buf, "2020-09");
	mu_check_int(angka_period_format(&y, 0, buf, sizeof buf), 4);
	mu_check_str(buf, "2020");
	struct angka_period bad = { 1800, 3, 0 };
	mu_check_int(angka_period_format(&bad, 3, buf, sizeof buf), 0);
	mu_check_str(buf, "");
	mu_check_int(angka_period_format(&p, 13, buf, sizeof buf), 0);
	mu_check_int(angka_period_format(&p, 3, buf, 5), 0);
}

int main(void)
{
	mu_run(test_ok);
	mu_run(test_bad);
	mu_run(test_month_names);
	mu_run(test_format);
	return mu_report("test_period");
}
