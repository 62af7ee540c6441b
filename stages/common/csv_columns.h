/*
 * csv_columns.h - open a CSV table and find its columns by name: the one
 * "open, read the header, check the required columns" of the stages that
 * read canonical tables (trend, indicators, chart).
 *
 * Ownership: *r is owned by the caller (angka_csv_reader_close or
 * angka_csv_reader_free); *hdr is borrowed from the reader like any record
 * (valid until the next angka_csv_reader_next). want and req are borrowed
 * for the call only.
 */
#ifndef ANGKA_CSV_COLUMNS_H
#define ANGKA_CSV_COLUMNS_H

#include <stddef.h>

#include "csv_reader.h"
#include "err.h"

/* The options of angka's own canonical files: comma, UTF-8. */
#define ANGKA_CSV_CANONICAL ((struct angka_csv_opts){ .delim = ',', \
	.encoding = ANGKA_ENC_UTF8 })

/* Index of the first header field equal to name, or -1. */
int angka_csv_column(const struct angka_csv_record *hdr, const char *name);

/*
 * Open path with opts (NULL: the reader's defaults) and read its header:
 * idx[i] is the index of the first header field equal to want[i], or -1
 * (want and idx may be NULL when n is 0). Every name of req (NULL-terminated,
 * NULL for none; need not be in want) must be in the header. what, if not
 * NULL, is added to a missing-column message in parentheses.
 *
 * Errors (the reader freed, *r NULL): ANGKA_ESCHEMA "'FILE': empty file
 * (no header)" or "'FILE':LINE: missing column 'NAME' (WHAT)"; the reader's
 * own errors. Never exits.
 */
enum angka_err angka_csv_open_columns(struct angka_csv_reader **r,
                                      const struct angka_csv_record **hdr,
                                      const char *path,
                                      const struct angka_csv_opts *opts,
                                      const char *const *want, size_t n,
                                      int *idx, const char *const *req,
                                      const char *what,
                                      struct angka_error *e);

#endif
