/*
 * test_region.c - unit tests of region.c: loading (also on a thread of its
 * own), codes dotted/undotted/split/unpadded/prefixed, names with
 * apostrophes and case, ambiguity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minunit.h"
#include "region.h"
#include "../fuzz/fuzz_region.h"
#include "replay.h"

/* The table: fuzz_region_csv (tests/fuzz/fuzz_region.h), which has the hard
 * cases (Galumbang in two kecamatan of Balangan and in Kotabaru, Ju'uh, a
 * kelurahan, a kota). */

static struct angka_region_table *tab;

/* A table loaded from csv through a temporary file (NULL, and a failed
 * check, when it does not load). */
static struct angka_region_table *table_from(const char *csv)
{
	char path[] = "/tmp/test_region_XXXXXX";
	int fd = mkstemp(path);
	size_t n = strlen(csv);
	mu_check(fd >= 0 && write(fd, csv, n) == (ssize_t)n);
	if (fd >= 0)
		close(fd);
	struct angka_region_table *t = NULL;
	struct angka_error e = { 0 };
	mu_check_msg(angka_region_load(&t, path, &e) == ANGKA_OK, "%s", e.msg);
	unlink(path);
	return t;
}

struct rcase {
	struct angka_region_query q;
	enum angka_region_outcome oc;
	const char *code;     /* OK: expected desa code */
	unsigned fixes;
	const char *field;    /* not OK: failing field */
};

#define BN ANGKA_REGION_F_BY_NAME
#define PD ANGKA_REGION_F_PADDED
static const struct rcase cases[] = {
	{ { .kode_wilayah = "63.11.01.2006" }, ANGKA_REGION_OK, "6311012006", 0, NULL },
	{ { .kode_wilayah = "6311012006" }, ANGKA_REGION_OK, "6311012006", 0, NULL },
	{ { .kode_wilayah = "63.11.1.2006" }, ANGKA_REGION_OK, "6311012006", PD, NULL },
	{ { .kode_wilayah = "6311019999" }, ANGKA_REGION_UNKNOWN, NULL, 0, "kode_wilayah" },
	{ { .kode_wilayah = "631101200" }, ANGKA_REGION_UNKNOWN, NULL, 0, "kode_wilayah" },
	{ { .kode_prov = "63", .kode_kab = "11", .kode_kec = "01", .kode_desa = "2006" },
	  ANGKA_REGION_OK, "6311012006", 0, NULL },
	{ { .kode_prov = "63", .kode_kab = "11", .kode_kec = "1", .kode_desa = "2006" },
	  ANGKA_REGION_OK, "6311012006", PD, NULL },
	{ { .kode_prov = "63", .kode_kab = "6311", .kode_kec = "631101", .kode_desa = "2015" },
	  ANGKA_REGION_OK, "6311012015", 0, NULL },
	{ { .kode_prov = "63", .kode_kab = "11", .kode_kec = "01", .kode_desa = "6311012015" },
	  ANGKA_REGION_OK, "6311012015", 0, NULL },
	{ { .kode_prov = "63", .kode_kab = "11", .kode_kec = "09", .kode_desa = "2006" },
	  ANGKA_REGION_UNKNOWN, NULL, 0, "kode_kec" },
	{ { .kode_prov = "63", .kode_kab = "11", .kode_kec = "01", .kode_desa = "2099" },
	  ANGKA_REGION_UNKNOWN, NULL, 0, "kode_desa" },
	{ { .kode_prov = "63", .kode_kab = "11", .kode_kec = "0X" },
	  ANGKA_REGION_UNKNOWN, NULL, 0, "kode_kec" },
	/* Names only, any case, apostrophes and spaces ignored. */
	{ { .kode_prov = "63", .kode_kab = "11", .kecamatan = "Tebing Tinggi", .desa = "Ju'uh" },
	  ANGKA_REGION_OK, "6311082004", BN, NULL },
	{ { .kode_prov = "63", .kode_kab = "11", .kecamatan = "tebing tinggi", .desa = "juuh" },
	  ANGKA_REGION_OK, "6311082004", BN, NULL },
	{ { .provinsi = "KALIMANTAN SELATAN", .kabupaten = "Kab. Balangan",
	    .kecamatan = "KEC. PARINGIN", .desa = "Kel. Paringin Timur" },
	  ANGKA_REGION_OK, "6311061019", BN, NULL },
	/* Galumbang is in Juai and in Paringin Selatan. */
	{ { .kode_prov = "63", .kode_kab = "11", .kecamatan = "Juai", .desa = "Galumbang" },
	  ANGKA_REGION_OK, "6311012006", BN, NULL },
	{ { .kode_prov = "63", .kode_kab = "11", .kecamatan = "PARINGIN SELATAN", .desa = "GALUMBANG" },
	  ANGKA_REGION_OK, "6311072006", BN, NULL },
	{ { .kode_prov = "63", .kode_kab = "11", .desa = "Galumbang" },
	  ANGKA_REGION_AMBIGUOUS, NULL, 0, "desa" },
	/* ... and in Kotabaru, where it is unique; a desa name alone
	 * matches all three. */
	{ { .provinsi = "Kalimantan Selatan", .kabupaten = "KOTABARU", .desa = "galumbang" },
	  ANGKA_REGION_OK, "6302012001", BN, NULL },
	{ { .desa = "Galumbang" }, ANGKA_REGION_AMBIGUOUS, NULL, 0, "desa" },
	/* A kota written with or without its "Kota". */
	{ { .provinsi = "Kalimantan Timur", .kabupaten = "Kota Balikpapan",
	    .kecamatan = "Balikpapan Timur", .desa = "Manggar" },
	  ANGKA_REGION_OK, "6471011001", BN, NULL },
	{ { .kode_prov = "64", .kabupaten = "BALIKPAPAN",
	    .kecamatan = "Balikpapan Timur", .desa = "Kelurahan Manggar" },
	  ANGKA_REGION_OK, "6471011001", BN, NULL },
	{ { .kode_prov = "63", .kode_kab = "11", .desa = "Hukai" },
	  ANGKA_REGION_OK, "6311012015", BN, NULL },
	{ { .kode_prov = "63", .kode_kab = "11", .kecamatan = "Juai", .desa = "Nowhere" },
	  ANGKA_REGION_UNKNOWN, NULL, 0, "desa" },
	{ { .kode_prov = "63", .kode_kab = "11", .kecamatan = "Juia", .desa = "Hukai" },
	  ANGKA_REGION_UNKNOWN, NULL, 0, "kecamatan" },
	/* Batu Mandi (kecamatan) and Batumandi (desa) share a key, not a level. */
	{ { .kode_prov = "63", .kode_kab = "11", .kecamatan = "batumandi", .desa = "BATU MANDI" },
	  ANGKA_REGION_OK, "6311042005", BN, NULL },
	/* Code wins over name; missing levels. */
	{ { .kode_prov = "63", .kode_kab = "11", .kode_kec = "01", .kecamatan = "Halong",
	    .kode_desa = "2015" }, ANGKA_REGION_OK, "6311012015", 0, NULL },
	{ { .kode_prov = "63", .kode_kab = "11", .kode_kec = "01" },
	  ANGKA_REGION_MISSING, NULL, 0, "desa" },
	{ { .kode_prov = "" }, ANGKA_REGION_MISSING, NULL, 0, "kode_wilayah" },
};

static void test_resolve(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct rcase *c = &cases[i];
		struct angka_region_result r;
		enum angka_region_outcome oc = angka_region_resolve(tab, &c->q, &r);
		mu_check_msg(oc == c->oc && r.outcome == oc,
		             "case %zu: outcome %d, expected %d (%s)", i, (int)oc,
		             (int)c->oc, r.detail);
		if (c->oc == ANGKA_REGION_OK) {
			mu_check_msg(r.desa && strcmp(r.desa->code, c->code) == 0,
			             "case %zu: code %s, expected %s", i,
			             r.desa ? r.desa->code : "NULL", c->code);
			mu_check_msg(r.fixes == c->fixes, "case %zu: fixes %u, expected %u",
			             i, r.fixes, c->fixes);
		} else {
			mu_check_msg(r.field && strcmp(r.field, c->field) == 0,
			             "case %zu: field %s, expected %s", i,
			             r.field ? r.field : "NULL", c->field);
			mu_check_msg(r.detail[0], "case %zu: empty detail", i);
		}
	}
}

static void test_table(void)
{
	mu_check_int(angka_region_count(tab), 20);
	const struct angka_region *r = angka_region_find(tab, "6311082004");
	mu_check(r != NULL);
	if (r) {
		mu_check_str(r->nama, "Ju'uh");
		mu_check_str(r->key, "JUUH");
		mu_check_int(r->level, ANGKA_REGION_DESA);
	}
	mu_check(angka_region_find(tab, "63") != NULL);
	mu_check(angka_region_find(tab, "65") == NULL);
	mu_check(angka_region_find(tab, "6311") != NULL);
	char k[32];
	mu_check_int(angka_region_name_key("Ju'uh x-1", 9, k), 6);
	mu_check_str(k, "JUUHX1");
}

static void test_load_errors(void)
{
	struct angka_region_table *t = NULL;
	struct angka_error e = { 0 };
	mu_check(angka_region_load(&t, "/nonexistent/wilayah.csv", &e) != ANGKA_OK);
	mu_check(t == NULL);
	char path[] = "/tmp/test_region_XXXXXX";
	int fd = mkstemp(path);
	const char bad[] = "kode,nama\n63.1,Bad\n";
	mu_check(fd >= 0 && write(fd, bad, sizeof bad - 1) == (ssize_t)(sizeof bad - 1));
	close(fd);
	mu_check(angka_region_load(&t, path, &e) == ANGKA_EDATA);
	mu_check(strstr(e.msg, ":2:") != NULL);
	unlink(path);
}

/* A temporary file holding csv; its name in path (size >= 32). */
static void temp_csv(char *path, const char *csv)
{
	strcpy(path, "/tmp/test_region_XXXXXX");
	int fd = mkstemp(path);
	size_t n = strlen(csv);
	mu_check(fd >= 0 && write(fd, csv, n) == (ssize_t)n);
	if (fd >= 0)
		close(fd);
}

/* The asynchronous loader: a good table (its entries as loaded in the
 * calling thread), a missing file and a bad row (the file and line in
 * the message, as angka_region_load says them), wait without start, wait
 * and take twice, two loads one after the other. */
static void test_loader(void)
{
	static const char good[] =
		"kode,level,nama,kode_induk\n"
		"63,1,KALIMANTAN SELATAN,\n"
		"63.11,2,BALANGAN,63\n"
		"63.11.01,3,JUAI,63.11\n"
		"63.11.01.2006,4,GALUMBANG,63.11.01\n";
	char path[32];
	temp_csv(path, good);
	for (int round = 0; round < 2; round++) {
		struct angka_region_loader *l = angka_region_loader_start(path);
		mu_check(l != NULL);
		if (!l)
			continue;
		struct angka_region_table *t1 = NULL, *t2 = NULL, *own = NULL;
		struct angka_error e = { 0 };
		mu_check_int(angka_region_loader_wait(l, &t1, &e), ANGKA_OK);
		mu_check_int(angka_region_loader_ready(l), 1);
		mu_check_int(angka_region_loader_wait(l, &t2, NULL), ANGKA_OK);
		mu_check(t1 != NULL && t1 == t2);
		mu_check_int(angka_region_count(t1), 4);
		const struct angka_region *d = angka_region_find(t1, "6311012006");
		mu_check(d != NULL && strcmp(d->nama, "GALUMBANG") == 0);
		mu_check_int(angka_region_loader_take(l, &own, &e), ANGKA_OK);
		mu_check(own == t1);
		mu_check_int(angka_region_loader_take(l, &t2, &e), ANGKA_OK);
		mu_check(t2 == NULL);
		angka_region_loader_free(l);   /* the table is own's now */
		mu_check_int(angka_region_count(own), 4);
		angka_region_free(own);
	}
	/* Freed without a wait or a take: the table goes with the loader. */
	angka_region_loader_free(angka_region_loader_start(path));
	unlink(path);

	struct angka_error e = { 0 };
	struct angka_region_table *t = tab;
	struct angka_region_loader *l =
		angka_region_loader_start("/nonexistent/wilayah.csv");
	mu_check(l != NULL);
	mu_check(angka_region_loader_wait(l, &t, &e) != ANGKA_OK);
	mu_check(t == NULL);
	mu_check(strstr(e.msg, "/nonexistent/wilayah.csv") != NULL);
	memset(&e, 0, sizeof e);
	mu_check(angka_region_loader_take(l, &t, &e) != ANGKA_OK);
	mu_check(strstr(e.msg, "/nonexistent/wilayah.csv") != NULL);
	angka_region_loader_free(l);

	temp_csv(path, "kode,nama\n63,Kalsel\n63.1,Bad\n");
	l = angka_region_loader_start(path);
	memset(&e, 0, sizeof e);
	mu_check_int(angka_region_loader_take(l, &t, &e), ANGKA_EDATA);
	mu_check(t == NULL);
	char want[64];
	snprintf(want, sizeof want, "'%s':3:", path);
	mu_check_msg(strstr(e.msg, want) != NULL, "%s", e.msg);
	memset(&e, 0, sizeof e);
	mu_check_int(angka_region_loader_wait(l, NULL, &e), ANGKA_EDATA);
	mu_check(strstr(e.msg, want) != NULL);
	angka_region_loader_free(l);
	unlink(path);

	/* Nothing started. */
	t = tab;
	mu_check_int(angka_region_loader_wait(NULL, &t, &e), ANGKA_EUSAGE);
	mu_check(t == NULL);
	mu_check_int(angka_region_loader_take(NULL, &t, NULL), ANGKA_EUSAGE);
	mu_check_int(angka_region_loader_ready(NULL), 1);
	angka_region_loader_free(NULL);
}

/* A table where a desa's kecamatan is missing: the one-lookup shortcut is
 * off, and the missing level is found as before. */
static void test_orphan_table(void)
{
	static const char orphan_csv[] =
		"kode,level,nama,kode_induk\n"
		"63,provinsi,Kalimantan Selatan,\n"
		"63.11,kabupaten,Balangan,63\n"
		"63.11.01.2006,desa,Galumbang,63.11.01\n";
	struct angka_region_table *t = table_from(orphan_csv);
	if (!t)
		return;
	struct angka_region_query q = { .kode_prov = "63", .kode_kab = "11",
	                                .kode_kec = "01", .kode_desa = "2006" };
	struct angka_region_result r;
	mu_check_int(angka_region_resolve(t, &q, &r), ANGKA_REGION_UNKNOWN);
	mu_check_str(r.field, "kode_kec");
	struct angka_region_query w = { .kode_wilayah = "6311012006" };
	mu_check_int(angka_region_resolve(t, &w, &r), ANGKA_REGION_OK);
	angka_region_free(t);
}

/* A kabupaten and a kota of the same name, both written with their prefix
 * in the table: the bare name is ambiguous, each full name is not. */
static void test_kota_kabupaten(void)
{
	static const char csv[] =
		"kode,level,nama,kode_induk\n"
		"32,provinsi,Jawa Barat,\n"
		"32.01,kabupaten,Kabupaten Bogor,32\n"
		"32.01.01,kecamatan,Cibinong,32.01\n"
		"32.01.01.1001,kelurahan,Pakansari,32.01.01\n"
		"32.71,kota,Kota Bogor,32\n"
		"32.71.01,kecamatan,Bogor Selatan,32.71\n"
		"32.71.01.1001,kelurahan,Batutulis,32.71.01\n";
	struct angka_region_table *t = table_from(csv);
	if (!t)
		return;
	struct angka_region_result r;
	struct angka_region_query q1 = { .kode_prov = "32", .kabupaten = "Bogor",
	                                 .kecamatan = "Cibinong", .desa = "Pakansari" };
	mu_check_int(angka_region_resolve(t, &q1, &r), ANGKA_REGION_AMBIGUOUS);
	mu_check_str(r.field, "kabupaten");
	struct angka_region_query q2 = { .kode_prov = "32", .kabupaten = "KOTA BOGOR",
	                                 .kecamatan = "Bogor Selatan", .desa = "Batutulis" };
	mu_check_int(angka_region_resolve(t, &q2, &r), ANGKA_REGION_OK);
	mu_check_str(r.code, "3271011001");
	struct angka_region_query q3 = { .kode_prov = "32", .kabupaten = "Kab. Bogor",
	                                 .kecamatan = "Cibinong", .desa = "Pakansari" };
	mu_check_int(angka_region_resolve(t, &q3, &r), ANGKA_REGION_OK);
	mu_check_str(r.code, "3201011001");
	angka_region_free(t);
}

/* A table given out of code order, with names that share their first 16
 * key bytes: codes and names are found as in an ordered table, and ambiguous
 * names list their regions in code order. */
static void test_unordered_table(void)
{
	static const char csv[] =
		"kode,level,nama,kode_induk\n"
		"32.02.02.2001,desa,Sukamaju Kidul Baratlaut,32.02.02\n"
		"32.02.01.2002,desa,Sukamaju Kidul Baratdaya,32.02.01\n"
		"32.02,kabupaten,Sukabumi,32\n"
		"32.02.01,kecamatan,Cisaat,32.02\n"
		"32.02.02.2003,desa,Sukamaju Kidul Baratdaya,32.02.02\n"
		"32,provinsi,Jawa Barat,\n"
		"32.02.02,kecamatan,Cibadak,32.02\n"
		"32.02.01.2001,desa,Sukamaju Kidul Barat,32.02.01\n";
	struct angka_region_table *t = table_from(csv);
	if (!t)
		return;
	mu_check_int((int)angka_region_count(t), 8);
	const struct angka_region *en = angka_region_find(t, "3202022001");
	mu_check(en != NULL && strcmp(en->nama, "Sukamaju Kidul Baratlaut") == 0);
	mu_check(angka_region_find(t, "32") != NULL);
	mu_check(angka_region_find(t, "320201") != NULL);
	mu_check(angka_region_find(t, "3202012003") == NULL);
	struct angka_region_result r;
	struct angka_region_query q1 = { .kode_prov = "32", .kode_kab = "02",
	                                 .kecamatan = "Cibadak",
	                                 .desa = "SUKAMAJU KIDUL BARATLAUT" };
	mu_check_int(angka_region_resolve(t, &q1, &r), ANGKA_REGION_OK);
	mu_check_str(r.code, "3202022001");
	struct angka_region_query q2 = { .kode_prov = "32", .kode_kab = "02",
	                                 .kode_kec = "01",
	                                 .desa = "sukamaju kidul barat" };
	mu_check_int(angka_region_resolve(t, &q2, &r), ANGKA_REGION_OK);
	mu_check_str(r.code, "3202012001");
	struct angka_region_query q3 = { .kode_prov = "32", .kode_kab = "02",
	                                 .desa = "Sukamaju Kidul Baratdaya" };
	mu_check_int(angka_region_resolve(t, &q3, &r), ANGKA_REGION_AMBIGUOUS);
	mu_check_msg(strstr(r.detail, "(32.02.01.2002, 32.02.02.2003)") != NULL,
	             "%s", r.detail);
	angka_region_free(t);

	/* A duplicate code is found wherever it stands. */
	char path[] = "/tmp/test_region_XXXXXX";
	int fd = mkstemp(path);
	const char dup[] = "kode,nama\n63.11,B\n63,A\n63.11.01,C\n6311,D\n";
	mu_check(fd >= 0 && write(fd, dup, sizeof dup - 1) == (ssize_t)(sizeof dup - 1));
	close(fd);
	struct angka_error e = { 0 };
	mu_check(angka_region_load(&t, path, &e) == ANGKA_EDATA);
	mu_check_msg(strstr(e.msg, "duplicate region code '6311'") != NULL, "%s",
	             e.msg);
	unlink(path);
}

/* A table in code order is loaded without a sort (a duplicate code is
 * still an error); the name index gives a key's regions in code order. */
static void test_ordered_table(void)
{
	static const char csv[] =
		"kode,level,nama,kode_induk\n"
		"32,provinsi,Jawa Barat,\n"
		"32.02,kabupaten,Sukabumi,32\n"
		"32.02.01,kecamatan,Cisaat,32.02\n"
		"32.02.01.2001,desa,Sukamaju,32.02.01\n"
		"32.02.01.2002,desa,Cibadak,32.02.01\n"
		"32.02.02,kecamatan,Cibadak,32.02\n"
		"32.02.02.2001,desa,Suka Maju,32.02.02\n"
		"32.02.02.2002,desa,Sukamaju Kidul,32.02.02\n"
		"32.02.03,kecamatan,Cicurug,32.02\n"
		"32.02.03.2001,desa,SUKAMAJU,32.02.03\n";
	struct angka_region_table *t = table_from(csv);
	if (!t)
		return;
	mu_check_int((int)angka_region_count(t), 10);
	struct angka_region_result r;
	struct angka_region_query q1 = { .kode_prov = "32", .kode_kab = "02",
	                                 .desa = "sukamaju" };
	mu_check_int(angka_region_resolve(t, &q1, &r), ANGKA_REGION_AMBIGUOUS);
	mu_check_str(r.detail, "desa 'sukamaju' matches 3 regions in 32.02 "
	             "(32.02.01.2001, 32.02.02.2001, ...)");
	/* "Cibadak" is a desa of Cisaat and a kecamatan: the level decides. */
	struct angka_region_query q2 = { .kode_prov = "32", .kode_kab = "02",
	                                 .kecamatan = "Cibadak",
	                                 .desa = "Sukamaju" };
	mu_check_int(angka_region_resolve(t, &q2, &r), ANGKA_REGION_OK);
	mu_check_str(r.code, "3202022001");
	mu_check_int(r.fixes, ANGKA_REGION_F_BY_NAME);
	struct angka_region_query q3 = { .kode_prov = "32", .kode_kab = "02",
	                                 .kode_kec = "3", .desa = "suka-maju" };
	mu_check_int(angka_region_resolve(t, &q3, &r), ANGKA_REGION_OK);
	mu_check_str(r.code, "3202032001");
	mu_check_int(r.fixes, ANGKA_REGION_F_BY_NAME | ANGKA_REGION_F_PADDED);
	struct angka_region_query q4 = { .kode_prov = "32", .kode_kab = "02",
	                                 .kecamatan = "Cicurug",
	                                 .desa = "Sukamaju Kidul" };
	mu_check_int(angka_region_resolve(t, &q4, &r), ANGKA_REGION_UNKNOWN);
	mu_check_str(r.detail, "desa 'Sukamaju Kidul' not in 32.02.03");
	angka_region_free(t);

	/* In order but for a code given twice in a row. */
	char path[] = "/tmp/test_region_XXXXXX";
	int fd = mkstemp(path);
	const char dup[] = "kode,nama\n63,A\n63.11,B\n63.11,C\n63.11.01,D\n";
	mu_check(fd >= 0 && write(fd, dup, sizeof dup - 1) == (ssize_t)(sizeof dup - 1));
	close(fd);
	struct angka_error e = { 0 };
	mu_check(angka_region_load(&t, path, &e) == ANGKA_EDATA);
	mu_check_msg(strstr(e.msg, "duplicate region code '6311'") != NULL, "%s",
	             e.msg);
	mu_check(t == NULL);
	unlink(path);
}

/* Many regions sharing few names (2,000 desa, 97 names): every lookup by
 * name finds the regions a scan of the table in code order finds. */
static void test_name_index(void)
{
	enum { NKEC = 40, NDESA = 50, NNAME = 97 };
	size_t cap = 64 + NKEC * 64 + NKEC * NDESA * 64, o = 0;
	char *csv = malloc(cap);
	mu_check(csv != NULL);
	if (!csv)
		return;
	o += (size_t)snprintf(csv + o, cap - o, "kode,level,nama,kode_induk\n"
	                      "35,provinsi,Jawa Timur,\n"
	                      "35.01,kabupaten,Pacitan,35\n");
	for (int k = 1; k <= NKEC; k++) {
		o += (size_t)snprintf(csv + o, cap - o,
		                      "35.01.%02d,kecamatan,Kec %d,35.01\n", k, k);
		for (int j = 0; j < NDESA; j++)
			o += (size_t)snprintf(csv + o, cap - o,
			                      "35.01.%02d.%04d,desa,Sido Mulyo %d,"
			                      "35.01.%02d\n", k, 2001 + j,
			                      (k * NDESA + j) % NNAME, k);
	}
	struct angka_region_table *t = table_from(csv);
	free(csv);
	if (!t)
		return;
	mu_check_int((int)angka_region_count(t), 2 + NKEC * (1 + NDESA));
	struct angka_region_result r;
	for (int k = 1; k <= NKEC; k++) {
		for (int j = 0; j < NDESA; j += 7) {
			char kec[8], desa[32], want[16];
			snprintf(kec, sizeof kec, "%d", k);
			snprintf(desa, sizeof desa, "SIDOMULYO %d",
			         (k * NDESA + j) % NNAME);
			snprintf(want, sizeof want, "3501%02d%04d", k, 2001 + j);
			struct angka_region_query q = { .kode_prov = "35",
			                                .kode_kab = "01",
			                                .kode_kec = kec,
			                                .desa = desa };
			mu_check_int(angka_region_resolve(t, &q, &r),
			             ANGKA_REGION_OK);
			mu_check_str(r.code, want);
		}
	}
	/* In the whole kabupaten: the first two in code order, and the
	 * count. */
	for (int m = 0; m < NNAME; m += 12) {
		int n = 0;
		char a[16] = "", b[16] = "";
		for (int k = 1; k <= NKEC; k++)
			for (int j = 0; j < NDESA; j++)
				if ((k * NDESA + j) % NNAME == m) {
					if (n == 0)
						snprintf(a, sizeof a, "35.01.%02d.%04d", k, 2001 + j);
					else if (n == 1)
						snprintf(b, sizeof b, "35.01.%02d.%04d", k, 2001 + j);
					n++;
				}
		char desa[32], want[160];
		snprintf(desa, sizeof desa, "Sido Mulyo %d", m);
		snprintf(want, sizeof want, "desa '%s' matches %d regions in 35.01 "
		         "(%s, %s, ...)", desa, n, a, b);
		struct angka_region_query q = { .kode_prov = "35", .kode_kab = "01",
		                                .desa = desa };
		mu_check_int(angka_region_resolve(t, &q, &r),
		             ANGKA_REGION_AMBIGUOUS);
		mu_check_str(r.detail, want);
	}
	angka_region_free(t);
}

/* ---- fuzz regressions and seeds, through the fuzz target's body ---- */


static void test_fuzz_replay(void)
{
	mu_check(replay_dir("tests/fuzz/corpus/fuzz_region", fuzz_region_one) >= 10);
	mu_check(replay_dir("tests/fuzz/regress/fuzz_region", fuzz_region_one) >= 0);
	/* The seeds resolve as their names say. */
	struct angka_region_table *t = fuzz_region_table();
	struct angka_region_result r;
	struct angka_region_query q = { .kabupaten = "Balangan",
	                                .kecamatan = "kec. paringin selatan",
	                                .desa = "galumbang" };
	mu_check(angka_region_resolve(t, &q, &r) == ANGKA_REGION_OK);
	mu_check(strcmp(r.code, "6311072006") == 0);
	struct angka_region_query q2 = { .desa = "GALUMBANG" };
	mu_check(angka_region_resolve(t, &q2, &r) == ANGKA_REGION_AMBIGUOUS);
	/* t stays for later replays (reachable: not a leak). */
}

int main(void)
{
	tab = fuzz_region_table();   /* aborts when it does not load */
	mu_run(test_orphan_table);
	mu_run(test_kota_kabupaten);
	mu_run(test_resolve);
	mu_run(test_table);
	mu_run(test_load_errors);
	mu_run(test_loader);
	mu_run(test_unordered_table);
	mu_run(test_ordered_table);
	mu_run(test_name_index);
	mu_run(test_fuzz_replay);
	return mu_report("test_region");
}
