/*
 * csv_columns.c - open a CSV table and find its columns by name.
 */
#include "csv_columns.h"

#include <string.h>

int angka_csv_column(const struct angka_csv_record *hdr, const char *name)
{
	for (size_t f = 0; f < hdr->nfields; f++)
		if (strcmp(hdr->field[f], name) == 0)
			return (int)f;
	return -1;
}

enum angka_err angka_csv_open_columns(struct angka_csv_reader **r,
                                      const struct angka_csv_record **hdr,
                                      const char *path,
                                      const struct angka_csv_opts *opts,
                                      const char *const *want, size_t n,
                                      int *idx, const char *const *req,
                                      const char *what,
                                      struct angka_error *e)
{
	*r = NULL;
	*hdr = NULL;
	struct angka_csv_reader *rd;
	enum angka_err rc = angka_csv_reader_open(&rd, path, opts, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *name = angka_csv_reader_name(rd);
	const struct angka_csv_record *h;
	int got = angka_csv_reader_next(rd, &h, e);
	if (got <= 0) {
		rc = got < 0 ? (e->code ? e->code : ANGKA_ECSV)
		             : ANGKA_ERR(e, ANGKA_ESCHEMA,
		                         "'%s': empty file (no header)", name);
		angka_csv_reader_free(rd);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		idx[i] = angka_csv_column(h, want[i]);
	for (const char *const *q = req; q && *q; q++) {
		if (angka_csv_column(h, *q) >= 0)
			continue;
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s':%ld: missing column '%s'%s%s%s",
		               name, h->line, *q, what ? " (" : "",
		               what ? what : "", what ? ")" : "");
		angka_csv_reader_free(rd);
		return rc;
	}
	*r = rd;
	*hdr = h;
	return ANGKA_OK;
}
