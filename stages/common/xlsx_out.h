/*
 * xlsx_out.h - a CSV table as an Excel workbook (xlsx_write.h).
 *
 * Every stage writes `-o FILE.xlsx` through csv_writer.h: the writer keeps
 * the CSV in its hidden temporary file and, at commit, turns it into a
 * workbook here (another hidden temporary file, renamed into place). So a
 * stage's .xlsx holds exactly the table its CSV would: the first sheet,
 * one header row, the same columns and rows.
 *
 * Cell types: a cell is a number when its text is a plain decimal number
 * (sign, digits without a leading zero, fraction, exponent) in a column
 * that is no identifier; everything else is text. Identifier columns are
 * those whose name has a word (split at '_') nik, kk, nkk, kode, kd, id,
 * cluster, region, wilayah, rt or rw, and an integer of more than 15
 * digits is text wherever it is (a NIK in a column of another name):
 * Excel would show it as 6,31101E+15 and keep 15 digits of it.
 * A number outside Excel's range (a subnormal, or above
 * 9.99999999999999E+307) is text too.
 *
 * Precision: a number is written in the shortest digits that read back
 * as the same double (xlsx_write.h), so the sheet holds the CSV's value
 * exactly, 17 significant digits where it needs them (Excel shows 15).
 *
 * The workbook carries a fixed creation time (SOURCE_DATE_EPOCH if set),
 * so the same table gives the same bytes.
 */
#ifndef ANGKA_XLSX_OUT_H
#define ANGKA_XLSX_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* Rows an Excel sheet holds (header included). */
enum { ANGKA_XLSX_MAX_ROWS = 1048576 };

/* 1 if a column called name holds identifiers (written as text). */
int angka_xlsx_text_column(const char *name, size_t len);

/* 1 if s[0..len) is a plain decimal number a sheet may hold as a number
 * (see above; a bare integer of more than 15 digits is not), its value in
 * *v. */
int angka_xlsx_number(const char *s, size_t len, double *v);

/*
 * Write the RFC 4180 CSV file csv (LF or CRLF rows) as the workbook xlsx,
 * one sheet called sheet (NULL: "Sheet1"), the header row bold and frozen;
 * the caller owns the temporary name and the rename. ANGKA_EDATA for a
 * table Excel cannot hold (more than ANGKA_XLSX_MAX_ROWS rows, more than
 * 16384 columns, a field of more than 32767 characters), ANGKA_EIO when
 * reading or writing fails.
 */
enum angka_err angka_xlsx_from_csv(const char *csv, const char *xlsx,
                                   const char *sheet, struct angka_error *e);

/*
 * A CSV record read by a small RFC 4180 reader (the files angka wrote
 * itself: the writer's temporary CSV, and the driver's report reading
 * run outputs). Fields are NUL-terminated in buf.
 */
struct angka_csvrec {
	char *buf;
	size_t len, cap;
	size_t *start, *flen;
	size_t n, ncap;
	char *line;          /* the line being split (getdelim's buffer) */
	size_t lcap;
};
/* The next record of f into r: 1, 0 at the end, -1 on a read error. f is
 * read up to the record's end only (one line at a time), so r may go from
 * one file to the next; angka_csvrec_free releases r's buffers. */
int angka_csvrec_read(FILE *f, struct angka_csvrec *r);
/* Field i ("" past the end). */
const char *angka_csvrec_field(const struct angka_csvrec *r, size_t i);
/* Index of the field equal to name, or -1. */
long angka_csvrec_find(const struct angka_csvrec *r, const char *name);
void angka_csvrec_free(struct angka_csvrec *r);

/* 1 if path ends in ".xlsx" (any case). */
int angka_xlsx_path(const char *path);

/* The creation time every workbook carries: SOURCE_DATE_EPOCH if set and
 * valid, else 2000-01-01. */
long long angka_xlsx_epoch(void);

#endif
