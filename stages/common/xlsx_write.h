/*
 * xlsx_write.h - a streaming writer of Excel workbooks (.xlsx), on minizip.
 *
 * The parts are the minimal SpreadsheetML package of ECMA-376 (Part 1,
 * 18; Part 2, the package): [Content_Types].xml, _rels/.rels,
 * docProps/core.xml, xl/workbook.xml, xl/_rels/workbook.xml.rels,
 * xl/styles.xml and xl/worksheets/sheetN.xml, text as inline strings.
 *
 * Why not libxlsxwriter: Debian's build writes a number with "%.16G", so
 * a double that needs 17 significant digits (0.30000000000000004) is
 * stored as another double. Here a number is written in the shortest
 * digits that read back as the same double (angka_number_format, as the
 * CSV writer does): every reader gets the CSV's value exactly.
 *
 * Cells are written row by row, left to right (rows and columns
 * increasing), and deflated into the zip as they come: a sheet of 1M
 * rows takes bounded memory. Sheets follow one another; the workbook,
 * its relationships, content types and styles are written at close.
 *
 * Errors are sticky: after the first failure every call returns it and
 * writes nothing; angka_xlsx_close returns it too, so checking close is
 * enough. Text must be UTF-8 (an invalid byte becomes U+FFFD); a control
 * character is escaped as Excel does (_x000D_).
 */
#ifndef ANGKA_XLSX_WRITE_H
#define ANGKA_XLSX_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Excel's limits: rows and columns of a sheet, characters of a cell. */
enum {
	ANGKA_XLSX_ROWS = 1048576,
	ANGKA_XLSX_COLS = 16384,
	ANGKA_XLSX_CELL_CHARS = 32767,
};

struct angka_xlsx;

/* A cell format. Zero is Excel's default (Calibri 11, General). */
struct angka_xlsx_style {
	int bold;
	int size;            /* font size in points; 0: 11 */
	unsigned fill;       /* solid background 0xRRGGBB; 0: none */
	int border;          /* 1: a thin border on every side */
	int align;           /* ANGKA_XLSX_ALIGN_* */
	const char *numfmt;  /* number format code ("#,##0.00"); NULL: General */
};
enum { ANGKA_XLSX_ALIGN_NONE, ANGKA_XLSX_ALIGN_LEFT, ANGKA_XLSX_ALIGN_CENTER,
       ANGKA_XLSX_ALIGN_RIGHT };

/*
 * Create the workbook path (truncated if it exists; the caller owns the
 * temporary name and the rename). title (may be NULL) goes into the
 * document properties, with angka_xlsx_epoch() as the creation time, so
 * the same calls give the same bytes. NULL with *e set on failure.
 */
struct angka_xlsx *angka_xlsx_open(const char *path, const char *title,
                                   struct angka_error *e);

/* A format for the cells to come: its id (> 0) for the put calls, or 0
 * (the default format) after an error. Up to 64 formats. */
int angka_xlsx_style(struct angka_xlsx *x, const struct angka_xlsx_style *s);

/*
 * Start a sheet called name (1-31 characters, none of []:*?/\, unique
 * ignoring case), ending the one before. width[i] is column i's width in
 * characters (0: Excel's default) for i < nwidth; freeze_rows and
 * freeze_cols rows and columns stay in view when scrolling (0: none).
 */
enum angka_err angka_xlsx_sheet(struct angka_xlsx *x, const char *name,
                                const double *width, size_t nwidth,
                                uint32_t freeze_rows, uint32_t freeze_cols);

/* Start row (0-based; greater than every row before on this sheet). */
enum angka_err angka_xlsx_row(struct angka_xlsx *x, uint32_t row);

/* A number (finite) or a text cell in column col (0-based; greater than
 * the columns before in this row) of the current row; style 0 or an id
 * from angka_xlsx_style. */
enum angka_err angka_xlsx_put_number(struct angka_xlsx *x, uint32_t col,
                                     double v, int style);
enum angka_err angka_xlsx_put_text(struct angka_xlsx *x, uint32_t col,
                                   const char *s, size_t len, int style);

/*
 * End the last sheet, write the workbook's other parts and close the
 * file; frees x whatever happens. The first error of any call before, or
 * of this one: ANGKA_EDATA for what Excel cannot hold (a limit above, a
 * bad sheet name, a cell out of order), ANGKA_EIO when writing fails, with
 * the file left for the caller to remove. A workbook needs a sheet.
 */
enum angka_err angka_xlsx_close(struct angka_xlsx *x, struct angka_error *e);

#endif
