/*
 * fuzz_number.h - the body of the libFuzzer target for angka_number_* and
 * angka_period_*. The first byte picks the number locale; the rest is the
 * text, parsed as a number and as a period. Documented invariants are
 * checked (a violation aborts): a parsed number is finite and its shortest
 * form reads back to the same double; a failed parse leaves value 0; a
 * parsed period is in range and its canonical form parses back to itself.
 * tests/unit/test_number.c includes this file to replay
 * tests/fuzz/regress/fuzz_number and the seed corpus.
 */
#ifndef FUZZ_NUMBER_H
#define FUZZ_NUMBER_H

#include "number.h"
#include "period.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NUM_CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: " \
	"invariant failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static int fuzz_number_one(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum angka_number_locale loc = (enum angka_number_locale)(data[0] % 3);
	/* A copy of exactly size bytes, so reads past len are caught by ASan. */
	size_t n = size - 1;
	char *s = malloc(n ? n : 1);
	if (!s)
		abort();
	memcpy(s, data + 1, n);

	struct angka_number num;
	enum angka_number_status st = angka_number_parse(s, n, loc, &num);
	FUZZ_NUM_CHECK(st == ANGKA_NUMBER_OK || st == ANGKA_NUMBER_MISSING ||
	               st == ANGKA_NUMBER_INVALID);
	if (st == ANGKA_NUMBER_OK) {
		FUZZ_NUM_CHECK(isfinite(num.value));
		char buf[40];
		size_t bl = angka_number_format(num.value, buf, sizeof buf);
		FUZZ_NUM_CHECK(bl > 0 && bl == strlen(buf));
		FUZZ_NUM_CHECK(strtod(buf, NULL) == num.value);
		/* Our own output reads back under the English convention. */
		struct angka_number back;
		FUZZ_NUM_CHECK(angka_number_parse(buf, bl, ANGKA_NUMBER_EN, &back) ==
		               ANGKA_NUMBER_OK);
		FUZZ_NUM_CHECK(back.value == num.value);
		if (loc == ANGKA_NUMBER_AUTO)
			FUZZ_NUM_CHECK(!(num.flags & ANGKA_NUMBER_F_OTHER_LOCALE));
		else
			FUZZ_NUM_CHECK(!(num.flags & ANGKA_NUMBER_F_AMBIGUOUS));
	} else {
		FUZZ_NUM_CHECK(num.value == 0.0);
	}
	enum angka_number_locale sn = angka_number_sniff(s, n);
	FUZZ_NUM_CHECK(sn == ANGKA_NUMBER_AUTO || sn == ANGKA_NUMBER_ID ||
	               sn == ANGKA_NUMBER_EN);

	struct angka_period p;
	int r = angka_period_parse(s, n, &p);
	FUZZ_NUM_CHECK(r == 0 || r == 1 || r == -1);
	if (r == 0) {
		FUZZ_NUM_CHECK(p.year >= 1900 && p.year <= 2100);
		FUZZ_NUM_CHECK(p.month >= 0 && p.month <= 12);
		FUZZ_NUM_CHECK((p.month == 0) ==
		               !!(p.flags & ANGKA_PERIOD_F_YEAR_ONLY));
		char buf[16];
		size_t bl = angka_period_format(&p, 3, buf, sizeof buf);
		FUZZ_NUM_CHECK(bl == 7);
		struct angka_period q;
		FUZZ_NUM_CHECK(angka_period_parse(buf, bl, &q) == 0);
		FUZZ_NUM_CHECK(q.year == p.year &&
		               q.month == (p.month ? p.month : 3));
	} else {
		FUZZ_NUM_CHECK(p.year == 0 && p.month == 0);
	}
	free(s);
	return 0;
}

#endif
