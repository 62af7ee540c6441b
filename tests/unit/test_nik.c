/*
 * test_nik.c - unit tests of nik.c: cleaning, Excel damage, validation
 * reasons, decoding, century resolution.
 */
#include <string.h>

#include "minunit.h"
#include "nik.h"

struct ncase {
	const char *in;
	enum angka_nik_type type;
	enum angka_nik_status st;
	const char *reason;    /* NULL for VALID/MISSING */
	const char *digits;    /* "" unless VALID */
	unsigned flags;
};

#define P ANGKA_NIK_PERSON
#define K ANGKA_NIK_KK
static const struct ncase cases[] = {
	{ "", P, ANGKA_NIK_MISSING, NULL, "", 0 },
	{ "  ", P, ANGKA_NIK_MISSING, NULL, "", 0 },
	{ "6311013008731179", P, ANGKA_NIK_VALID, NULL, "6311013008731179", 0 },
	{ " 6311013008731179 ", P, ANGKA_NIK_VALID, NULL, "6311013008731179", 0 },
	{ "'6311026311689025", P, ANGKA_NIK_VALID, NULL, "6311026311689025", ANGKA_NIK_F_PUNCT },
	/* a no-break space (U+00A0) from Excel or a web form */
	{ "6311026311689025\xc2\xa0", P, ANGKA_NIK_VALID, NULL, "6311026311689025", ANGKA_NIK_F_PUNCT },
	{ "631102\xc2\xa0" "6311689025", P, ANGKA_NIK_VALID, NULL, "6311026311689025", ANGKA_NIK_F_PUNCT },
	{ "6311026311689025\xc2", P, ANGKA_NIK_INVALID, "nik_chars", "", 0 },
	{ "63.11.04.600458.6245", P, ANGKA_NIK_VALID, NULL, "6311046004586245", ANGKA_NIK_F_PUNCT },
	{ "6311 0459 0998 3993", P, ANGKA_NIK_VALID, NULL, "6311045909983993", ANGKA_NIK_F_PUNCT },
	{ "6311-0459-0998-3993", P, ANGKA_NIK_VALID, NULL, "6311045909983993", ANGKA_NIK_F_PUNCT },
	/* 16 plain digits ending in 0: no evidence of truncation, no flag */
	{ "6311013008731170", P, ANGKA_NIK_VALID, NULL, "6311013008731170", 0 },
	{ "'6311013008731170", P, ANGKA_NIK_VALID, NULL, "6311013008731170", ANGKA_NIK_F_PUNCT },
	{ "9171014508991230", P, ANGKA_NIK_VALID, NULL, "9171014508991230", 0 },
	{ "6.31104E+15", P, ANGKA_NIK_EXCEL, "nik_excel_mangled", "", 0 },
	{ "6,31104E+15", P, ANGKA_NIK_EXCEL, "nik_excel_mangled", "", 0 },
	{ "6.311013008731E15", P, ANGKA_NIK_EXCEL, "nik_excel_mangled", "", 0 },
	/* Float exports with a zero fraction: 16 integer digits are exact. */
#define F ANGKA_NIK_F_FLOAT
#define TR ANGKA_NIK_F_MAYBE_TRUNCATED
	{ "6311013008731179.0", P, ANGKA_NIK_VALID, NULL, "6311013008731179", F },
	{ "6311013008731179.00", P, ANGKA_NIK_VALID, NULL, "6311013008731179", F },
	{ "6311013008731179,0", P, ANGKA_NIK_VALID, NULL, "6311013008731179", F },
	{ " 6311013008731179,00 ", P, ANGKA_NIK_VALID, NULL, "6311013008731179", F },
	{ "6311013008731179.000000", P, ANGKA_NIK_VALID, NULL, "6311013008731179", F },
	/* a last 0 after a float path may be Excel's 15 digits */
	{ "6311013008731170.0", P, ANGKA_NIK_VALID, NULL, "6311013008731170", F | TR },
	{ "6311013008731170,00", P, ANGKA_NIK_VALID, NULL, "6311013008731170", F | TR },
	/* above 2^53 a double cannot hold an odd integer */
	{ "9171014508991235.0", P, ANGKA_NIK_VALID, NULL, "9171014508991235", F | TR },
	/* recovered digits are validated as usual */
	{ "6311013208731179.0", P, ANGKA_NIK_INVALID, "nik_date", "", F },
	{ "1011013008731179.0", P, ANGKA_NIK_INVALID, "nik_province", "", F },
	/* not a zero fraction, too many zeros, 15 or 17 integer digits */
	{ "6311013008731179.5", P, ANGKA_NIK_INVALID, "nik_length", "", ANGKA_NIK_F_PUNCT },
	{ "6311013008731179.0000000", P, ANGKA_NIK_INVALID, "nik_length", "", ANGKA_NIK_F_PUNCT },
	{ "631101300873117.0", P, ANGKA_NIK_EXCEL, "nik_excel_mangled", "", 0 },
	{ "63110130087311790.0", P, ANGKA_NIK_EXCEL, "nik_excel_mangled", "", 0 },
	{ "6311013008731179.", P, ANGKA_NIK_VALID, NULL, "6311013008731179", ANGKA_NIK_F_PUNCT },
	{ "6311011109110001.0", K, ANGKA_NIK_VALID, NULL, "6311011109110001", F },
	{ "6311011109110001,00", K, ANGKA_NIK_VALID, NULL, "6311011109110001", F },
	{ "6.311011109110E+15", K, ANGKA_NIK_EXCEL, "kk_excel_mangled", "", 0 },
#undef F
#undef TR
	{ "6.31102E+15", K, ANGKA_NIK_EXCEL, "kk_excel_mangled", "", 0 },
	{ "631101300873117", P, ANGKA_NIK_INVALID, "nik_length", "", 0 },
	{ "63110130087311799", P, ANGKA_NIK_INVALID, "nik_length", "", 0 },
	{ "63110130087311X9", P, ANGKA_NIK_INVALID, "nik_chars", "", 0 },
	{ "1011013008731179", P, ANGKA_NIK_INVALID, "nik_province", "", 0 },
	{ "2011013008731179", P, ANGKA_NIK_INVALID, "nik_province", "", 0 },
	{ "9811013008731179", P, ANGKA_NIK_INVALID, "nik_province", "", 0 },
	{ "6311013208731179", P, ANGKA_NIK_INVALID, "nik_date", "", 0 },   /* day 32 */
	{ "6311014008731179", P, ANGKA_NIK_INVALID, "nik_date", "", 0 },   /* day 40 */
	{ "6311017208731179", P, ANGKA_NIK_INVALID, "nik_date", "", 0 },   /* day 72 */
	{ "6311013013731179", P, ANGKA_NIK_INVALID, "nik_date", "", 0 },   /* month 13 */
	{ "6311013102731179", P, ANGKA_NIK_INVALID, "nik_date", "", 0 },   /* 31 Feb */
	{ "6311012902231179", P, ANGKA_NIK_INVALID, "nik_date", "", 0 },   /* 29 Feb 2023 */
	{ "6311012902241179", P, ANGKA_NIK_VALID, NULL, "6311012902241179", 0 },
	{ "6311016902241179", P, ANGKA_NIK_VALID, NULL, "6311016902241179", 0 },
	{ "6311013008730000", P, ANGKA_NIK_INVALID, "nik_serial", "", 0 },
	/* A KK has no date or serial check. */
	{ "6311013208730000", K, ANGKA_NIK_VALID, NULL, "6311013208730000", 0 },
	{ "6311013208730000.0", K, ANGKA_NIK_VALID, NULL, "6311013208730000", ANGKA_NIK_F_FLOAT | ANGKA_NIK_F_MAYBE_TRUNCATED },
	{ "1011011109110001", K, ANGKA_NIK_INVALID, "kk_province", "", 0 },
	{ "631101110911", K, ANGKA_NIK_INVALID, "kk_length", "", 0 },
};

static void test_table(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct ncase *c = &cases[i];
		struct angka_nik n;
		angka_nik_parse(c->in, strlen(c->in), c->type, NULL, 2026, &n);
		mu_check_msg(n.status == c->st, "'%s': status %d, expected %d",
		             c->in, (int)n.status, (int)c->st);
		mu_check_msg((!n.reason && !c->reason) ||
		             (n.reason && c->reason && strcmp(n.reason, c->reason) == 0),
		             "'%s': reason %s, expected %s", c->in,
		             n.reason ? n.reason : "NULL", c->reason ? c->reason : "NULL");
		mu_check_msg(strcmp(n.digits, c->digits) == 0, "'%s': digits '%s'",
		             c->in, n.digits);
		mu_check_msg(n.flags == c->flags, "'%s': flags %u, expected %u",
		             c->in, n.flags, c->flags);
	}
}

static void test_decode(void)
{
	struct angka_nik n;
	const char *s = "6311014311789467";   /* woman, 3 Nov 1978 */
	mu_check(angka_nik_parse(s, strlen(s), P, NULL, 2026, &n) == ANGKA_NIK_VALID);
	mu_check_str(n.kode_kec, "631101");
	mu_check_int(n.sex, 'P');
	mu_check_int(n.birth.year, 1978);
	mu_check_int(n.birth.month, 11);
	mu_check_int(n.birth.day, 3);
	s = "6311013008731179";
	angka_nik_parse(s, strlen(s), P, NULL, 2026, &n);
	mu_check_int(n.sex, 'L');
	mu_check_int(n.birth.day, 30);
	/* A KK is not decoded. */
	angka_nik_parse(s, strlen(s), K, NULL, 2026, &n);
	mu_check_int(n.sex, 0);
	mu_check_str(n.kode_kec, "");
}

static void test_century(void)
{
	mu_check_int(angka_nik_resolve_year(26, 0, 2026), 2026);
	mu_check_int(angka_nik_resolve_year(27, 0, 2026), 1927);
	mu_check_int(angka_nik_resolve_year(5, 0, 2026), 2005);
	mu_check_int(angka_nik_resolve_year(20, 1920, 2026), 1920);
	mu_check_int(angka_nik_resolve_year(20, 2020, 2026), 2020);
	mu_check_int(angka_nik_resolve_year(99, 2001, 2026), 1999);
	mu_check_int(angka_nik_resolve_year(1, 1999, 2026), 2001);
	/* placeholder dates do not choose the century */
	mu_check_int(angka_nik_resolve_year(0, 1900, 2026), 2000);
	mu_check_int(angka_nik_resolve_year(4, 1900, 2026), 2004);
	mu_check_int(angka_nik_resolve_year(10, 1900, 2026), 2010);
	mu_check_int(angka_nik_resolve_year(30, 2031, 2026), 1930);
	mu_check_int(angka_nik_resolve_year(99, 1900, 2026), 1999);
	/* 29 Feb 00: valid in 2000, not in 1900; a plausible birth date
	 * decides, a placeholder 1900 does not. */
	struct angka_nik n;
	const char *s = "6311012902001179";
	struct angka_date b2000 = { 2000, 2, 29 }, b1900 = { 1900, 3, 1 },
	                  b1920 = { 1920, 3, 1 };
	mu_check(angka_nik_parse(s, strlen(s), P, &b2000, 2026, &n) == ANGKA_NIK_VALID);
	mu_check_int(n.birth.year, 2000);
	mu_check(angka_nik_parse(s, strlen(s), P, &b1900, 2026, &n) == ANGKA_NIK_VALID);
	mu_check_int(n.birth.year, 2000);
	mu_check(angka_nik_parse(s, strlen(s), P, &b1920, 2026, &n) == ANGKA_NIK_INVALID);
	mu_check_str(n.reason, "nik_date");
	/* Reference year: with 2026, "30" is 1930. */
	s = "6311010101301179";
	angka_nik_parse(s, strlen(s), P, NULL, 2026, &n);
	mu_check_int(n.birth.year, 1930);
	angka_nik_parse(s, strlen(s), P, NULL, 2035, &n);
	mu_check_int(n.birth.year, 2030);
}

static void test_provinces(void)
{
	static const int known[] = { 11, 19, 21, 31, 36, 51, 53, 61, 65, 71, 76,
	                             81, 82, 91, 97 };
	static const int unknown[] = { 0, 10, 20, 22, 30, 37, 50, 54, 60, 66, 70,
	                               77, 80, 83, 90, 98, 99 };
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		mu_check_msg(angka_nik_province_known(known[i]), "%d", known[i]);
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		mu_check_msg(!angka_nik_province_known(unknown[i]), "%d", unknown[i]);
	mu_check_str(angka_nik_status_name(ANGKA_NIK_EXCEL), "excel_mangled");
}

int main(void)
{
	mu_run(test_table);
	mu_run(test_decode);
	mu_run(test_century);
	mu_run(test_provinces);
	return mu_report("test_nik");
}
