/*
 * fuzz_region.h - the body of the libFuzzer target for the region table's
 * lookups (angka_region_resolve, angka_region_find, angka_region_name_key).
 *
 * Input: the first two bytes are a mask of the query fields that are set
 * (kode_wilayah, kode_prov, kode_kab, kode_kec, kode_desa, provinsi,
 * kabupaten, kecamatan, desa, in that order); the rest is split at '\n'
 * into their values, each an exact-size copy so that reads past the end
 * are caught by ASan. Documented invariants are checked (a violation
 * aborts):
 *  - the outcome is one of the enum; OK names a desa entry of the table
 *    whose 10-digit code is the copy in the result and is found again by
 *    angka_region_find; anything else leaves no desa and names a field;
 *  - a 10-digit kode_wilayah that resolves resolves to itself;
 *  - the detail message is terminated within its buffer;
 *  - a name key is never longer than its input, holds only A-Z and 0-9,
 *    and folding it again changes nothing.
 * tests/unit/test_region.c includes this file to replay
 * tests/fuzz/regress/fuzz_region and the seed corpus.
 */
#ifndef FUZZ_REGION_H
#define FUZZ_REGION_H

#include "region.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_REG_CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: " \
	"invariant failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

/* A table with the hard cases: a desa name in two kecamatan, apostrophes,
 * a kelurahan, names that are prefixes of others, a second kabupaten. */
static const char fuzz_region_csv[] =
	"kode,level,nama,kode_induk\n"
	"63,provinsi,Kalimantan Selatan,\n"
	"64,provinsi,Kalimantan Timur,\n"
	"63.02,kabupaten,Kotabaru,63\n"
	"63.02.01,kecamatan,Pulau Sembilan,63.02\n"
	"63.02.01.2001,desa,Galumbang,63.02.01\n"
	"63.11,kabupaten,Balangan,63\n"
	"63.11.01,kecamatan,Juai,63.11\n"
	"63.11.01.2006,desa,Galumbang,63.11.01\n"
	"63.11.01.2015,desa,Hukai,63.11.01\n"
	"63.11.04,kecamatan,Batu Mandi,63.11\n"
	"63.11.04.2005,desa,Batumandi,63.11.04\n"
	"63.11.06,kecamatan,Paringin,63.11\n"
	"63.11.06.1019,kelurahan,Paringin Timur,63.11.06\n"
	"63.11.07,kecamatan,Paringin Selatan,63.11\n"
	"63.11.07.2006,desa,Galumbang,63.11.07\n"
	"63.11.08,kecamatan,Tebing Tinggi,63.11\n"
	"63.11.08.2004,desa,Ju'uh,63.11.08\n"
	"64.71,kabupaten,Kota Balikpapan,64\n"
	"64.71.01,kecamatan,Balikpapan Timur,64.71\n"
	"64.71.01.1001,kelurahan,Manggar,64.71.01\n";

/* The table, loaded once through a temporary file; exits on failure. */
static struct angka_region_table *fuzz_region_table(void)
{
	static struct angka_region_table *t;
	if (t)
		return t;
	char path[] = "/tmp/fuzz_region_XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, fuzz_region_csv, sizeof fuzz_region_csv - 1) !=
	    (ssize_t)(sizeof fuzz_region_csv - 1) || close(fd) != 0) {
		perror("fuzz_region");
		abort();
	}
	struct angka_error e = { 0 };
	enum angka_err rc = angka_region_load(&t, path, &e);
	unlink(path);
	if (rc != ANGKA_OK) {
		fprintf(stderr, "fuzz_region: %s\n", e.msg);
		abort();
	}
	return t;
}

static int fuzz_region_is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void fuzz_region_key(const char *s, size_t n)
{
	char *k = malloc(n + 1), *k2 = malloc(n + 1);
	if (!k || !k2)
		abort();
	size_t kl = angka_region_name_key(s, n, k);
	FUZZ_REG_CHECK(kl <= n);
	for (size_t i = 0; i < kl; i++)
		FUZZ_REG_CHECK((k[i] >= 'A' && k[i] <= 'Z') ||
		               (k[i] >= '0' && k[i] <= '9'));
	size_t kl2 = angka_region_name_key(k, kl, k2);
	FUZZ_REG_CHECK(kl2 == kl && memcmp(k, k2, kl) == 0);
	free(k);
	free(k2);
}

static int fuzz_region_one(const uint8_t *data, size_t size)
{
	struct angka_region_table *t = fuzz_region_table();
	if (size < 2)
		return 0;
	unsigned mask = (unsigned)data[0] | (unsigned)data[1] << 8;
	const char *rest = (const char *)data + 2;
	size_t left = size - 2;

	char *v[9] = { 0 };
	for (int i = 0; i < 9; i++) {
		if (!(mask & 1u << i))
			continue;
		const char *nl = memchr(rest, '\n', left);
		size_t n = nl ? (size_t)(nl - rest) : left;
		v[i] = malloc(n + 1);
		if (!v[i])
			abort();
		memcpy(v[i], rest, n);
		v[i][n] = '\0';
		fuzz_region_key(rest, n);
		rest += nl ? n + 1 : n;
		left -= nl ? n + 1 : n;
	}
	struct angka_region_query q = {
		.kode_wilayah = v[0], .kode_prov = v[1], .kode_kab = v[2],
		.kode_kec = v[3], .kode_desa = v[4], .provinsi = v[5],
		.kabupaten = v[6], .kecamatan = v[7], .desa = v[8]
	};
	struct angka_region_result r;
	memset(&r, 0xa5, sizeof r);
	enum angka_region_outcome oc = angka_region_resolve(t, &q, &r);
	FUZZ_REG_CHECK(oc == r.outcome);
	FUZZ_REG_CHECK(memchr(r.detail, '\0', sizeof r.detail) != NULL ||
	               oc == ANGKA_REGION_OK);
	switch (oc) {
	case ANGKA_REGION_OK:
		FUZZ_REG_CHECK(r.desa != NULL);
		FUZZ_REG_CHECK(r.desa->level == ANGKA_REGION_DESA);
		FUZZ_REG_CHECK(strlen(r.code) == 10 &&
		               fuzz_region_is_digits(r.code, 10));
		FUZZ_REG_CHECK(strcmp(r.code, r.desa->code) == 0);
		FUZZ_REG_CHECK(angka_region_find(t, r.code) == r.desa);
		if (v[0] && strlen(v[0]) == 10 && fuzz_region_is_digits(v[0], 10))
			FUZZ_REG_CHECK(strcmp(v[0], r.code) == 0);
		break;
	case ANGKA_REGION_MISSING:
	case ANGKA_REGION_UNKNOWN:
	case ANGKA_REGION_AMBIGUOUS:
		FUZZ_REG_CHECK(r.desa == NULL && r.field != NULL);
		FUZZ_REG_CHECK(r.code[0] == '\0');
		break;
	default:
		FUZZ_REG_CHECK(!"outcome out of range");
	}
	/* A code the table has is found; any string is safe to look up. */
	for (int i = 0; i < 5; i++)
		if (v[i]) {
			const struct angka_region *e = angka_region_find(t, v[i]);
			if (e)
				FUZZ_REG_CHECK(strcmp(e->code, v[i]) == 0);
		}
	for (int i = 0; i < 9; i++)
		free(v[i]);
	return 0;
}

#endif
