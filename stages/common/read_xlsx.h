/*
 * read_xlsx.h - the worksheet XML handler of the .xlsx reader (internal to
 * read_xlsx.c; declared here for its fuzz target and unit test).
 *
 * Fed the bytes of a worksheet part (xl/worksheets/sheetN.xml) in chunks of
 * any size, it writes the sheet as CSV text through put(): one line per
 * spreadsheet row, blank lines for rows the sheet skips (so a record's line
 * is its row number), every row as wide as the widest so far or the
 * sheet's dimension. Cells: shared strings by index, inline strings,
 * booleans as TRUE/FALSE, errors as their text (#N/A), numbers as written
 * in the file when they are plain decimals, else with the digits that give
 * back the same double (an integer above 2^53, where a double cannot hold
 * every integer, gets ".0": see nik.h), and numbers whose cell style is a
 * date format as
 * ISO dates (YYYY-MM-DD, " HH:MM:SS" when there is a time of day).
 */
#ifndef ANGKA_READ_XLSX_H
#define ANGKA_READ_XLSX_H

#include <stddef.h>

/* Strings and styles of a workbook, read before its sheet. */
struct xlsx_book {
	char *sst;              /* shared strings, each NUL-terminated */
	size_t *sst_off;
	size_t nsst;
	unsigned char *xf_date; /* per cell style: 1 date format, 0 not */
	size_t nxf;
	int date1904;
};

struct xlsx_sheet;

/* put: 0, or -1 to stop (the consumer went away). */
typedef int (*xlsx_put_fn)(void *ctx, const char *p, size_t n);

struct xlsx_sheet *xlsx_sheet_new(const struct xlsx_book *b, xlsx_put_fn put,
                                  void *ctx);
/* Feed n bytes (last = 1 with the final chunk). 0, -1 on an XML error or
 * a limit (message in xlsx_sheet_error), -2 when put() said stop. */
int xlsx_sheet_feed(struct xlsx_sheet *s, const char *p, size_t n, int last);
const char *xlsx_sheet_error(const struct xlsx_sheet *s);
void xlsx_sheet_free(struct xlsx_sheet *s);

/* 1 if an Excel number format (builtin id, or its code) shows a date. */
int xlsx_format_is_date(int id, const char *code);

#endif
