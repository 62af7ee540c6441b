/*
 * fuzz_nik_date.c - libFuzzer target for the NIK, date and name parsers.
 * The input is parsed as a NIK, a No KK, a date and a name; documented
 * invariants are checked (a violation aborts): a valid NIK is 16 digits
 * with a real decoded date, a parsed date is real and its ISO form parses
 * back to itself, a cleaned name is never longer than its input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "name.h"
#include "nik.h"

#define FUZZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so reads past the end are caught by ASan. */
	char *s = malloc(size ? size : 1);
	if (!s)
		abort();
	memcpy(s, data, size);

	struct angka_date d;
	enum angka_date_form f = angka_date_parse(s, size, &d);
	if (f == ANGKA_DATE_EMPTY || f == ANGKA_DATE_BAD) {
		FUZZ_CHECK(d.year == 0 && d.month == 0 && d.day == 0);
	} else {
		FUZZ_CHECK(angka_date_valid(d.year, d.month, d.day));
		char iso[11];
		angka_date_format(&d, iso);
		struct angka_date back;
		FUZZ_CHECK(angka_date_parse(iso, strlen(iso), &back) == ANGKA_DATE_ISO);
		FUZZ_CHECK(back.year == d.year && back.month == d.month &&
		           back.day == d.day);
	}

	for (int t = 0; t < 2; t++) {
		struct angka_nik n;
		enum angka_nik_type type = t ? ANGKA_NIK_KK : ANGKA_NIK_PERSON;
		enum angka_nik_status st = angka_nik_parse(s, size, type,
		                                           d.year ? &d : NULL,
		                                           2026, &n);
		FUZZ_CHECK(st == n.status);
		if (st == ANGKA_NIK_VALID) {
			FUZZ_CHECK(strlen(n.digits) == 16);
			for (int i = 0; i < 16; i++)
				FUZZ_CHECK(n.digits[i] >= '0' && n.digits[i] <= '9');
			FUZZ_CHECK(n.reason == NULL);
			if (type == ANGKA_NIK_PERSON) {
				FUZZ_CHECK(angka_date_valid(n.birth.year, n.birth.month,
				                            n.birth.day));
				FUZZ_CHECK(n.sex == 'L' || n.sex == 'P');
				FUZZ_CHECK(strncmp(n.kode_kec, n.digits, 6) == 0);
				/* Its own digits parse again to the same number. */
				struct angka_nik m;
				FUZZ_CHECK(angka_nik_parse(n.digits, 16, type, &n.birth,
				                           2026, &m) == ANGKA_NIK_VALID);
				FUZZ_CHECK(strcmp(m.digits, n.digits) == 0);
			}
		} else {
			FUZZ_CHECK(n.digits[0] == 0);
			FUZZ_CHECK((st == ANGKA_NIK_MISSING) == (n.reason == NULL));
		}
	}

	char *nama = malloc(size + 1), *gelar = malloc(size + 1);
	char *key = malloc(4 * size + 16);
	if (!nama || !gelar || !key)
		abort();
	angka_name_clean(s, size, nama, gelar);
	FUZZ_CHECK(strlen(nama) <= size && strlen(gelar) <= size);
	size_t kl = angka_name_key(nama, strlen(nama), key, 4 * size + 16);
	FUZZ_CHECK(kl == strlen(key));
	for (size_t i = 0; i < kl; i++)
		FUZZ_CHECK(key[i] >= 'A' && key[i] <= 'Z');
	free(nama);
	free(gelar);
	free(key);
	free(s);
	return 0;
}
