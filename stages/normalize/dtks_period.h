/*
 * dtks_period.h - the period of a DTKS extract (angka-normalize's `periode`
 * column): from --period, else from the file name (internal to
 * angka-normalize; see docs/columns.md).
 */
#ifndef ANGKA_NORMALIZE_DTKS_PERIOD_H
#define ANGKA_NORMALIZE_DTKS_PERIOD_H

#include <stddef.h>

/* "YYYY" or "YYYY-MM" (year 1900-2100, month 01-12) of s[0..len) copied
 * into out (NUL-terminated); its length, or 0 if s is not one. */
size_t normalize_period_parse(const char *s, size_t len, char out[8]);

/* One --period argument: "YYYY[-MM]" (every row) or "NAME=YYYY[-MM]" (the
 * rows whose src_file is NAME, else has NAME's base name). 0, or -1 if
 * malformed. */
int normalize_period_arg_ok(const char *arg);

/* The period of the rows of src_file file[0..len): the --period for its
 * path, else for its base name, else a --period without a name, else the last 4-digit year
 * 2000-2100 of its base name (else of its directories), else none.
 * Remembers the last file (rows of one file come together: O(1) a row)
 * and says once per file on stderr where a period came from, or that
 * none is known (unless quiet). *olen gets the length (0: none). */
struct normalize_period {
	const char *const *args;  /* --period arguments (checked) */
	size_t nargs;
	int quiet;
	char *file;               /* the last src_file */
	size_t flen, fcap;
	char val[8];
	size_t vlen;
	char **said;              /* files already reported */
	size_t nsaid;
};
const char *normalize_period_of(struct normalize_period *p, const char *file,
                                size_t len, size_t *olen);
void normalize_period_free(struct normalize_period *p);

#endif
