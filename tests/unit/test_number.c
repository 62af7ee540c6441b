/*
 * test_number.c - unit tests of number.c: Indonesian and English number
 * formats, missing markers, exactness against strtod, shortest formatting.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minunit.h"
#include "number.h"
#include "../fuzz/fuzz_number.h"
#include "replay.h"

struct ok_case {
	const char *in;
	enum angka_number_locale loc;
	const char *expect;   /* compared with strtod(expect) bit for bit */
	unsigned flags;       /* flags that must be set */
};

static const struct ok_case ok_cases[] = {
	{ "5,32", ANGKA_NUMBER_AUTO, "5.32", ANGKA_NUMBER_F_DECIMAL_COMMA },
	{ "5,32", ANGKA_NUMBER_ID, "5.32", ANGKA_NUMBER_F_DECIMAL_COMMA },
	{ "5,32", ANGKA_NUMBER_EN, "5.32", ANGKA_NUMBER_F_OTHER_LOCALE },
	{ "5.32", ANGKA_NUMBER_AUTO, "5.32", ANGKA_NUMBER_F_DECIMAL_POINT },
	{ "5.32", ANGKA_NUMBER_ID, "5.32", ANGKA_NUMBER_F_OTHER_LOCALE },
	{ "7.064", ANGKA_NUMBER_ID, "7064", ANGKA_NUMBER_F_GROUPED },
	{ "7.064", ANGKA_NUMBER_EN, "7.064", 0 },
	{ "7.064", ANGKA_NUMBER_AUTO, "7.064", ANGKA_NUMBER_F_AMBIGUOUS },
	{ "7,064", ANGKA_NUMBER_EN, "7064", ANGKA_NUMBER_F_GROUPED },
	{ "7,064", ANGKA_NUMBER_ID, "7.064", 0 },
	{ "7,064", ANGKA_NUMBER_AUTO, "7.064", ANGKA_NUMBER_F_AMBIGUOUS },
	{ "0.064", ANGKA_NUMBER_ID, "0.064", ANGKA_NUMBER_F_OTHER_LOCALE },
	{ "1234.567", ANGKA_NUMBER_ID, "1234.567", 0 },
	{ "Rp581.229,00", ANGKA_NUMBER_AUTO, "581229", ANGKA_NUMBER_F_CURRENCY },
	/* ",-" after Rupiah: no cents, and the Indonesian convention. */
	{ "Rp 581.229,-", ANGKA_NUMBER_AUTO, "581229", ANGKA_NUMBER_F_CURRENCY },
	{ "581.229,-", ANGKA_NUMBER_EN, "581229", 0 },
	{ "Rp 2.000.000", ANGKA_NUMBER_ID, "2000000", ANGKA_NUMBER_F_CURRENCY },
	{ "Rp. 2.000.000", ANGKA_NUMBER_AUTO, "2000000", ANGKA_NUMBER_F_GROUPED },
	{ "Rp20.000.000", ANGKA_NUMBER_AUTO, "20000000", 0 },
	{ "IDR 2,500,000", ANGKA_NUMBER_AUTO, "2500000", ANGKA_NUMBER_F_CURRENCY },
	{ "2.500.000", ANGKA_NUMBER_EN, "2500000", ANGKA_NUMBER_F_OTHER_LOCALE },
	{ "1.234,56", ANGKA_NUMBER_EN, "1234.56", 0 },
	{ "1,234.56", ANGKA_NUMBER_ID, "1234.56", 0 },
	{ "187,87 ribu", ANGKA_NUMBER_ID, "187870", ANGKA_NUMBER_F_SCALED },
	{ "187,87 Ribu Jiwa", ANGKA_NUMBER_ID, "187870", ANGKA_NUMBER_F_UNIT },
	{ "7,06", ANGKA_NUMBER_ID, "7.06", 0 },
	{ "1,2 juta", ANGKA_NUMBER_ID, "1200000", ANGKA_NUMBER_F_SCALED },
	{ "1,2 jt.", ANGKA_NUMBER_ID, "1200000", ANGKA_NUMBER_F_SCALED },
	{ "3 miliar", ANGKA_NUMBER_ID, "3000000000", 0 },
	{ "7.064 jiwa", ANGKA_NUMBER_ID, "7064", ANGKA_NUMBER_F_UNIT },
	{ "5,32%", ANGKA_NUMBER_ID, "5.32", ANGKA_NUMBER_F_PERCENT },
	{ "5,32 %", ANGKA_NUMBER_AUTO, "5.32", ANGKA_NUMBER_F_PERCENT },
	{ "5,32 persen", ANGKA_NUMBER_AUTO, "5.32", ANGKA_NUMBER_F_PERCENT },
	{ "  42  ", ANGKA_NUMBER_AUTO, "42", ANGKA_NUMBER_F_SPACES },
	{ "\xC2\xA0" "42", ANGKA_NUMBER_AUTO, "42", ANGKA_NUMBER_F_SPACES },
	{ "-1,5", ANGKA_NUMBER_ID, "-1.5", 0 },
	{ "\xE2\x88\x92" "1,5", ANGKA_NUMBER_ID, "-1.5", 0 },
	{ "-Rp 1.000", ANGKA_NUMBER_ID, "-1000", ANGKA_NUMBER_F_CURRENCY },
	{ "Rp -1.000", ANGKA_NUMBER_ID, "-1000", ANGKA_NUMBER_F_CURRENCY },
	{ "+3", ANGKA_NUMBER_AUTO, "3", 0 },
	{ "0", ANGKA_NUMBER_AUTO, "0", 0 },
	{ "-0", ANGKA_NUMBER_AUTO, "0", 0 },
	{ "007", ANGKA_NUMBER_AUTO, "7", 0 },
	{ "0,1", ANGKA_NUMBER_AUTO, "0.1", 0 },
	{ ",5", ANGKA_NUMBER_ID, "0.5", 0 },
	{ "6.31104E+15", ANGKA_NUMBER_AUTO, "6.31104e15", ANGKA_NUMBER_F_EXPONENT },
	{ "1e-3", ANGKA_NUMBER_AUTO, "0.001", ANGKA_NUMBER_F_EXPONENT },
	{ "642579,24", ANGKA_NUMBER_AUTO, "642579.24", 0 },
	{ "38,57", ANGKA_NUMBER_AUTO, "38.57", 0 },
	{ "1160199.77", ANGKA_NUMBER_AUTO, "1160199.77", 0 },
	{ "0.1", ANGKA_NUMBER_AUTO, "0.1", 0 },
	{ "123456789012345678901234567890", ANGKA_NUMBER_AUTO,
	  "123456789012345678901234567890", 0 },
	{ "9007199254740993", ANGKA_NUMBER_AUTO, "9007199254740993", 0 },
	{ "2.2250738585072011e-308", ANGKA_NUMBER_AUTO,
	  "2.2250738585072011e-308", 0 },
	{ NULL, 0, NULL, 0 }
};

static const char *const missing_cases[] = {
	"", "   ", "-", "--", "...", "\xE2\x80\xA6", "\xE2\x80\x94", "NA", "n/a",
	"null", "x", NULL
};

static const struct {
	const char *in;
	enum angka_number_locale loc;
} bad_cases[] = {
	{ "abc", ANGKA_NUMBER_AUTO }, { "5,", ANGKA_NUMBER_AUTO },
	{ "5,,3", ANGKA_NUMBER_AUTO }, { "1.2.3", ANGKA_NUMBER_ID },
	{ "1.23.456", ANGKA_NUMBER_ID }, { "1.234.56", ANGKA_NUMBER_ID },
	{ "1,234,56", ANGKA_NUMBER_EN }, { "1.234,56,7", ANGKA_NUMBER_ID },
	{ "1,234.567,8", ANGKA_NUMBER_AUTO }, { "12 34", ANGKA_NUMBER_AUTO },
	{ "Rp", ANGKA_NUMBER_AUTO }, { "5 ribu ribu", ANGKA_NUMBER_AUTO },
	{ "5 kg", ANGKA_NUMBER_AUTO }, { "1e999", ANGKA_NUMBER_AUTO },
	{ "1,5e3", ANGKA_NUMBER_AUTO }, { "Rpx5", ANGKA_NUMBER_AUTO },
	{ "1234567890123456789012345678901234567890123", ANGKA_NUMBER_AUTO },
	{ "--5", ANGKA_NUMBER_AUTO }, { "5-", ANGKA_NUMBER_AUTO },
	{ "0.123.456", ANGKA_NUMBER_ID }, { ".", ANGKA_NUMBER_AUTO + 0 },
	{ "6.2,-", ANGKA_NUMBER_AUTO }, { "1,5,-", ANGKA_NUMBER_EN },
	{ "1.2345,-", ANGKA_NUMBER_AUTO }, { " .668,-", ANGKA_NUMBER_AUTO },
	{ "73002.246,-", ANGKA_NUMBER_AUTO },
	{ NULL, 0 }
};

static void test_ok(void)
{
	for (const struct ok_case *c = ok_cases; c->in; c++) {
		struct angka_number num;
		enum angka_number_status st =
			angka_number_parse(c->in, strlen(c->in), c->loc, &num);
		double want = strtod(c->expect, NULL);
		mu_check_msg(st == ANGKA_NUMBER_OK, "'%s' (locale %d): status %d", c->in,
		      (int)c->loc, (int)st);
		mu_check_msg(num.value == want && !signbit(num.value) == !signbit(want),
		      "'%s' (locale %d): got %.17g, want %.17g", c->in,
		      (int)c->loc, num.value, want);
		mu_check_msg((num.flags & c->flags) == c->flags,
		      "'%s': flags 0x%x lack 0x%x", c->in, num.flags, c->flags);
	}
}

static void test_missing_and_bad(void)
{
	for (const char *const *m = missing_cases; *m; m++) {
		struct angka_number num;
		mu_check_msg(angka_number_parse(*m, strlen(*m), ANGKA_NUMBER_ID, &num) ==
		      ANGKA_NUMBER_MISSING, "'%s' should be missing", *m);
	}
	struct angka_number num;
	mu_check_msg(angka_number_parse(NULL, 0, ANGKA_NUMBER_ID, &num) ==
	      ANGKA_NUMBER_MISSING, "NULL should be missing");
	for (size_t i = 0; bad_cases[i].in; i++) {
		const char *in = bad_cases[i].in;
		enum angka_number_status st =
			angka_number_parse(in, strlen(in), bad_cases[i].loc, &num);
		/* "." is a missing marker (BPS "data not available"). */
		if (strcmp(in, ".") == 0)
			mu_check_msg(st == ANGKA_NUMBER_MISSING, "'.' should be missing");
		else
			mu_check_msg(st == ANGKA_NUMBER_INVALID && num.value == 0.0,
			      "'%s' should be invalid, got status %d value %g", in,
			      (int)st, num.value);
	}
	/* Not NUL-terminated: only len bytes are read. */
	char buf[4] = { '5', ',', '3', '9' };
	mu_check_msg(angka_number_parse(buf, 3, ANGKA_NUMBER_ID, &num) ==
	      ANGKA_NUMBER_OK && num.value == 5.3, "length respected");
}

static void test_sniff(void)
{
	static const struct {
		const char *in;
		enum angka_number_locale want;
	} cases[] = {
		{ "5,32", ANGKA_NUMBER_ID }, { "5.32", ANGKA_NUMBER_EN },
		{ "1.234,5", ANGKA_NUMBER_ID }, { "1,234.5", ANGKA_NUMBER_EN },
		{ "2.000.000", ANGKA_NUMBER_ID }, { "2,000,000", ANGKA_NUMBER_EN },
		{ "7.064", ANGKA_NUMBER_AUTO }, { "7,064", ANGKA_NUMBER_AUTO },
		{ "42", ANGKA_NUMBER_AUTO }, { "", ANGKA_NUMBER_AUTO },
		{ "abc", ANGKA_NUMBER_AUTO }, { "0,064", ANGKA_NUMBER_ID },
		{ NULL, 0 }
	};
	for (size_t i = 0; cases[i].in; i++)
		mu_check_msg(angka_number_sniff(cases[i].in, strlen(cases[i].in)) ==
		      cases[i].want, "sniff '%s'", cases[i].in);
	enum angka_number_locale loc;
	mu_check_msg(angka_number_locale_from_name("id", &loc) == 0 &&
	      loc == ANGKA_NUMBER_ID, "locale id");
	mu_check_msg(angka_number_locale_from_name("en", &loc) == 0 &&
	      loc == ANGKA_NUMBER_EN, "locale en");
	mu_check_msg(angka_number_locale_from_name("auto", &loc) == 0 &&
	      loc == ANGKA_NUMBER_AUTO, "locale auto");
	mu_check_msg(angka_number_locale_from_name("fr", &loc) == -1, "locale fr");
}

/* Every two-decimal value with up to 7 integer digits, both separators,
 * must equal strtod of the point form exactly. */
static void test_exact_sweep(void)
{
	unsigned long long x = 88172645463325252ULL;
	int bad = 0;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		unsigned long long ip = x % 10000000ULL, fp = (x >> 32) % 100;
		char pt[32], cm[32];
		snprintf(pt, sizeof pt, "%llu.%02llu", ip, fp);
		snprintf(cm, sizeof cm, "%llu,%02llu", ip, fp);
		struct angka_number a, b;
		if (angka_number_parse(pt, strlen(pt), ANGKA_NUMBER_AUTO, &a) ||
		    angka_number_parse(cm, strlen(cm), ANGKA_NUMBER_AUTO, &b) ||
		    a.value != strtod(pt, NULL) || b.value != a.value)
			bad++;
	}
	mu_check_msg(bad == 0, "exact sweep: %d mismatches", bad);
}

static void test_format(void)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {
		{ 5.32, "5.32" }, { 7064, "7064" }, { 0.1, "0.1" },
		{ 581229, "581229" }, { 2000000, "2000000" }, { -1.5, "-1.5" },
		{ 0.0, "0" }, { -0.0, "0" }, { 1e20, "1e+20" },
		{ 0.1 + 0.2, "0.30000000000000004" }, { 1.0 / 3, "0.3333333333333333" },
		{ 38.57 * 3, "115.71000000000001" }, { 0, NULL }
	};
	char buf[40];
	for (size_t i = 0; cases[i].want; i++) {
		angka_number_format(cases[i].v, buf, sizeof buf);
		mu_check_msg(strcmp(buf, cases[i].want) == 0, "format %.17g: got '%s', want '%s'",
		      cases[i].v, buf, cases[i].want);
	}
	mu_check_msg(angka_number_format(NAN, buf, sizeof buf) == 0 && buf[0] == '\0',
	      "NaN formats empty");
	mu_check_msg(angka_number_format(INFINITY, buf, sizeof buf) == 0, "inf empty");
	mu_check_msg(angka_number_format(5.32, buf, 3) == 0 && buf[0] == '\0',
	      "too small buffer");
	/* Round trip of random doubles. */
	unsigned long long x = 0x9E3779B97F4A7C15ULL;
	int bad = 0;
	for (int i = 0; i < 100000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double v;
		memcpy(&v, &x, sizeof v);
		if (!isfinite(v))
			continue;
		angka_number_format(v, buf, sizeof buf);
		if (strtod(buf, NULL) != v && !(v == 0.0))
			bad++;
	}
	mu_check_msg(bad == 0, "format round trip: %d failures", bad);
}

/* Shortest: a decimal of k <= 15 significant digits (any exponent of the
 * normal range) is read with strtod and formatted again: the result must
 * read back to the same double and have no more than k digits (the issue's
 * 7296.24, which %.17g prints as 7296.2399999999998). Also uniformly
 * random bit patterns, subnormals included: exact round trip, and no form
 * with one digit fewer reads back to the same double. */
static int sig_digits(const char *s)
{
	int n = 0, lead = 1, trail = 0;
	for (; *s && *s != 'e'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (lead && *s == '0')
			continue;
		lead = 0;
		n++;
		trail = *s == '0' ? trail + 1 : 0;
	}
	return n - trail;
}

static void test_format_shortest(void)
{
	char buf[40], in[64];
	angka_number_format(strtod("7296.2399999999998", NULL), buf, sizeof buf);
	mu_check_str(buf, "7296.24");
	angka_number_format(4.9e-324, buf, sizeof buf);
	mu_check_str(buf, "5e-324");
	angka_number_format(1322598.16, buf, sizeof buf);
	mu_check_str(buf, "1322598.16");
	unsigned long long x = 0x2545F4914F6CDD1DULL;
	int bad = 0, longer = 0, notshort = 0;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int k = 1 + (int)(x % 15);
		unsigned long long m = (x >> 8) % 1000000000000000ULL;
		int ex = (int)((x >> 56) % 600) - 300;
		/* m with k digits: drop the low 15-k of its 15. */
		for (int j = k; j < 15; j++)
			m /= 10;
		if (m == 0)
			m = 1;
		snprintf(in, sizeof in, "%llue%d", m, ex);
		double v = strtod(in, NULL);
		if (!isfinite(v) || fabs(v) < DBL_MIN)
			continue;
		angka_number_format(v, buf, sizeof buf);
		if (strtod(buf, NULL) != v)
			bad++;
		else if (sig_digits(buf) > sig_digits(in))
			longer++;
	}
	mu_check_msg(bad == 0, "shortest: %d round-trip failures", bad);
	mu_check_msg(longer == 0, "shortest: %d outputs longer than the input", longer);
	/* Random bit patterns: one digit fewer (correctly rounded) never
	 * reads back the same. */
	bad = 0;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double v;
		memcpy(&v, &x, sizeof v);
		if (!isfinite(v) || v == 0.0)
			continue;
		size_t n = angka_number_format(v, buf, sizeof buf);
		if (n == 0 || strtod(buf, NULL) != v) {
			bad++;
			continue;
		}
		int d = sig_digits(buf);
		if (d > 1) {
			snprintf(in, sizeof in, "%.*e", d - 2, v);
			if (strtod(in, NULL) == v)
				notshort++;
		}
	}
	mu_check_msg(bad == 0, "random doubles: %d round-trip failures", bad);
	mu_check_msg(notshort == 0, "random doubles: %d not shortest", notshort);
}

/* ---- fuzz regressions and seeds, through the fuzz target's body ---- */


static void test_shard_parse(void)
{
	static const struct { const char *s; int ok; unsigned k, n; } c[] = {
		{ "0/1", 1, 0, 1 }, { "6/7", 1, 6, 7 }, { "15/16", 1, 15, 16 },
		{ "99999/100000", 1, 99999, 100000 }, { "00/2", 1, 0, 2 },
		{ "1/1", 0, 0, 0 }, { "2/1", 0, 0, 0 }, { "0/0", 0, 0, 0 },
		{ "0/100001", 0, 0, 0 }, { "-1/2", 0, 0, 0 }, { "+1/2", 0, 0, 0 },
		{ "1/2x", 0, 0, 0 }, { "1 /2", 0, 0, 0 }, { "/2", 0, 0, 0 },
		{ "1/", 0, 0, 0 }, { "1", 0, 0, 0 }, { "", 0, 0, 0 },
		{ "1/99999999999999999999", 0, 0, 0 }, { "1/2/3", 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		unsigned k = 77, n = 77;
		int r = angka_shard_parse(c[i].s, &k, &n);
		mu_check_msg((r == 0) == c[i].ok, "'%s': %d", c[i].s, r);
		if (c[i].ok)
			mu_check_msg(k == c[i].k && n == c[i].n, "'%s': %u/%u",
			             c[i].s, k, n);
		else
			mu_check_msg(k == 77 && n == 77, "'%s' touched", c[i].s);
	}
}

static void test_fuzz_replay(void)
{
	mu_check(replay_dir("tests/fuzz/corpus/fuzz_number", fuzz_number_one) > 0);
	mu_check(replay_dir("tests/fuzz/regress/fuzz_number", fuzz_number_one) >= 0);
}

int main(void)
{
	mu_run(test_ok);
	mu_run(test_missing_and_bad);
	mu_run(test_sniff);
	mu_run(test_exact_sweep);
	mu_run(test_format);
	mu_run(test_format_shortest);
	mu_run(test_shard_parse);
	mu_run(test_fuzz_replay);
	return mu_report("test_number");
}
