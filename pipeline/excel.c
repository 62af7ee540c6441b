/*
 * excel.c - [output] csv = excel-id: before a run is published, an
 * excel-id copy (UTF-8 BOM, ';', decimal comma; publish.h) of every
 * published CSV table under excel/, at the table's own relative path
 * (indicators/poverty.csv -> excel/indicators/poverty.csv).
 *
 * The steps keep writing RFC 4180: later steps read their tables
 * (trend reads poverty.csv, chart reads history.csv, ...) and the next
 * run reuses them. The copies are made in the run directory, so they are
 * published atomically with it, and made anew by every run (they are no
 * step's outputs: nothing reuses or hashes them).
 *
 * Published tables: every *.csv in the run directory except under
 * private/ and shared/ (personal or pseudonymized data, not tables for a
 * spreadsheet) and hidden files (state carried between runs).
 */
#include "driver_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "publish.h"

#define EXCEL_DIR "excel"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The published CSV tables under the run-relative directory dir ("" for
 * the run itself) appended to out, sorted, run-relative. */
static enum angka_err list_tables(const char *dir, struct strlist *out,
                                  struct angka_error *e)
{
	DIR *d = opendir(*dir ? dir : ".");
	if (!d)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot read directory '%s':",
		                 *dir ? dir : ".");
	struct strlist names = { 0 };
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			sl_add(&names, de->d_name);
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, by_name);
	enum angka_err rc = ANGKA_OK;
	for (size_t i = 0; i < names.n && rc == ANGKA_OK; i++) {
		const char *n = names.v[i];
		if (!*dir && (strcmp(n, "private") == 0 ||
		              strcmp(n, "shared") == 0 ||
		              strcmp(n, EXCEL_DIR) == 0))
			continue;
		char rel[PATH_MAX];
		snprintf(rel, sizeof rel, "%s%s%s", dir, *dir ? "/" : "", n);
		struct stat sb;
		if (lstat(rel, &sb) != 0) {
			rc = ANGKA_ERR(e, ANGKA_EIO, "cannot stat '%s':", rel);
			break;
		}
		size_t l = strlen(n);
		if (S_ISDIR(sb.st_mode))
			rc = list_tables(rel, out, e);
		else if (S_ISREG(sb.st_mode) && l > 4 &&
		         strcmp(n + l - 4, ".csv") == 0)
			sl_add(out, rel);
	}
	sl_free(&names);
	return rc;
}

enum angka_err excel_copies(struct env *v, struct angka_error *e)
{
	struct strlist tables = { 0 };
	enum angka_err rc = list_tables("", &tables, e);
	unsigned long long rows = 0;
	for (size_t i = 0; i < tables.n && rc == ANGKA_OK; i++) {
		char dst[PATH_MAX];
		snprintf(dst, sizeof dst, EXCEL_DIR "/%s", tables.v[i]);
		char *slash = strrchr(dst, '/');
		*slash = '\0';
		if (mkdir_p(dst, 0755) != 0) {
			rc = ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s':", dst);
			break;
		}
		*slash = '/';
		unsigned long long n = 0;
		rc = angka_publish_excel_copy(tables.v[i], dst, &n, e);
		rows += n;
	}
	if (rc == ANGKA_OK)
		logf_(v, "excel-id copies: %zu tables, %llu rows under %s/",
		      tables.n, rows, EXCEL_DIR);
	sl_free(&tables);
	return rc;
}
