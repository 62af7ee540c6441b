/*
 * region.h - the Kemendagri region table (provinsi, kabupaten/kota,
 * kecamatan, desa/kelurahan) and the resolution of the many ways extracts
 * write a region: dotted or undotted codes, split code columns that lost
 * leading zeros or repeat their parent's prefix, or names only.
 *
 * Ownership: angka_region_load() returns an owned table that
 * angka_region_free() releases; entries and names are borrowed from it.
 * Lookups allocate nothing and never exit.
 */
#ifndef ANGKA_REGION_H
#define ANGKA_REGION_H

#include <stddef.h>

#include "err.h"

enum angka_region_level {
	ANGKA_REGION_PROV = 1,   /* 2 digits */
	ANGKA_REGION_KAB = 2,    /* 4 digits */
	ANGKA_REGION_KEC = 3,    /* 6 digits */
	ANGKA_REGION_DESA = 4    /* 10 digits */
};

struct angka_region {
	char code[11];           /* undotted digits */
	int level;               /* enum angka_region_level */
	const char *nama;        /* as in the table */
	const char *key;         /* nama folded with angka_region_name_key */
};

struct angka_region_table;

/*
 * Load a region table CSV with the header kode,level,nama,kode_induk (codes
 * dotted "63.11.01.2006" or undotted; the level is taken from the number of
 * digits, 2/4/6/10). Rows with a malformed code are an ANGKA_EDATA error
 * naming 'file':line; so is a duplicate code.
 */
enum angka_err angka_region_load(struct angka_region_table **t,
                                 const char *path, struct angka_error *e);
void angka_region_free(struct angka_region_table *t);

/*
 * Loading a table on a thread of its own, so that a stage reads its first
 * rows (or blocks its records) meanwhile (0.4 s for the national table).
 *
 * Ownership: angka_region_loader_start() returns an owned loader that
 * angka_region_loader_free() releases (joining the thread); path is
 * borrowed and must outlive the loader. The table belongs to the loader
 * (freed with it) until angka_region_loader_take() hands it over.
 *
 * Threads: _ready and _wait may be called from any number of threads at
 * once, and _wait as often as wanted (every call has the same result);
 * _take and _free from one thread only, after the others stopped using
 * the loader.
 */
struct angka_region_loader;

/* Start loading the table at path (as angka_region_load). NULL if no
 * thread could be started: then the caller loads the table itself. */
struct angka_region_loader *angka_region_loader_start(const char *path);

/* 1 once the load has ended (a table or an error), 0 while it runs;
 * never blocks. 1 for NULL (nothing is loading). */
int angka_region_loader_ready(struct angka_region_loader *l);

/* Wait for the load to end. ANGKA_OK with *t (if t) the table, still the
 * loader's; or the load's error (e, if not NULL, set as angka_region_load
 * sets it: the file name, and the line of a bad row) with *t NULL. l NULL
 * (wait without start): ANGKA_EUSAGE, *t NULL. */
enum angka_err angka_region_loader_wait(struct angka_region_loader *l,
                                        struct angka_region_table **t,
                                        struct angka_error *e);

/* angka_region_loader_wait, then the table becomes the caller's (to free
 * with angka_region_free): ANGKA_OK and *t the table, or the load's error
 * with *t NULL. A second take gives ANGKA_OK and *t NULL. */
enum angka_err angka_region_loader_take(struct angka_region_loader *l,
                                        struct angka_region_table **t,
                                        struct angka_error *e);

/* Join the loading thread (waiting for it) and release the loader and its
 * table unless taken. NULL: nothing. */
void angka_region_loader_free(struct angka_region_loader *l);
size_t angka_region_count(const struct angka_region_table *t);

/* Entry with the undotted code (2, 4, 6 or 10 digits), or NULL. */
const struct angka_region *angka_region_find(const struct angka_region_table *t,
                                             const char *code);

/*
 * Fold a region name for matching into out (capacity >= len+1): ASCII
 * letters and digits upper-cased, everything else (spaces, punctuation,
 * apostrophes) dropped, so "Ju'uh", "JUUH" and "ju uh" are one key.
 * Returns the key length.
 */
size_t angka_region_name_key(const char *s, size_t len, char *out);

/* What an extract says about a region; NULL or "" for absent fields. */
struct angka_region_query {
	const char *kode_wilayah;
	const char *kode_prov, *kode_kab, *kode_kec, *kode_desa;
	const char *provinsi, *kabupaten, *kecamatan, *desa;
};

enum angka_region_outcome {
	ANGKA_REGION_OK = 0,
	ANGKA_REGION_MISSING,    /* nothing given that names a desa */
	ANGKA_REGION_UNKNOWN,    /* a code or name not in the table */
	ANGKA_REGION_AMBIGUOUS   /* a name matching several regions */
};

enum angka_region_fixes {
	ANGKA_REGION_F_BY_NAME = 1 << 0,  /* a level was resolved from its name */
	ANGKA_REGION_F_PADDED = 1 << 1    /* leading zeros restored */
};

struct angka_region_result {
	enum angka_region_outcome outcome;
	const struct angka_region *desa;  /* OK: the desa/kelurahan entry */
	char code[11];                    /* OK: its 10-digit code (a copy:
	                                   * reading it does not touch the
	                                   * table) */
	unsigned fixes;                   /* enum angka_region_fixes */
	const char *field;                /* failing query field ("kode_kec") */
	char detail[160];                 /* e.g. "kecamatan 'Juia' not in
	                                   * 63.11" */
};

/*
 * Resolve q to a desa. kode_wilayah wins when given (dotted, undotted, or
 * dotted parts missing zeros, "63.11.1.2006"). Otherwise each level is taken
 * from its code column if present, else from its name, within the parent
 * found so far:
 *  - a code column may have lost leading zeros ("1" for kecamatan "01",
 *    fix PADDED) or repeat its parents ("6311" in kode_kab, "6311012006" in
 *    kode_desa);
 *  - a name is matched case-, space-, punctuation- and apostrophe-
 *    insensitively (angka_region_name_key) among the children of the
 *    parent; prefixes such as "KEC.", "KECAMATAN", "DESA", "KEL.",
 *    "KABUPATEN", "KAB.", "KOTA" are ignored when the bare name is not
 *    found, and a kabupaten/kota name the table writes with its prefix
 *    ("Kota Banjarmasin") is found without it ("Banjarmasin"); a bare
 *    name matching both a kabupaten and a kota is AMBIGUOUS. A desa name
 *    without kecamatan is searched in the whole kabupaten (or table) and
 *    is AMBIGUOUS when it occurs more than once.
 * Returns r->outcome.
 */
enum angka_region_outcome angka_region_resolve(const struct angka_region_table *t,
                                               const struct angka_region_query *q,
                                               struct angka_region_result *r);

#endif
