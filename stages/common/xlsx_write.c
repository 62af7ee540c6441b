/*
 * xlsx_write.c - a streaming writer of Excel workbooks (see xlsx_write.h).
 */
#include "xlsx_write.h"
#include "number.h"
#include "xalloc.h"
#include "xlsx_out.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <minizip/zip.h>

enum { MAX_STYLES = 64, MAX_SHEETS = 256, OUTBUF = 1 << 16 };

struct angka_xlsx {
	zipFile z;
	char *path;
	char *title;
	enum angka_err err;
	struct angka_error e;           /* the first error */
	struct angka_xlsx_style style[MAX_STYLES];
	char *numfmt[MAX_STYLES];       /* owned copies of style[].numfmt */
	int nstyle;
	char *sheet[MAX_SHEETS];        /* names of the sheets written */
	int nsheet;
	int in_sheet;                   /* a sheet part is open in the zip */
	int in_row;
	int64_t row;                    /* current row, -1 before the first */
	int64_t col;                    /* last column written in the row */
	zip_fileinfo zi;
	char buf[OUTBUF];
	size_t nbuf;
};

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

static enum angka_err fail(struct angka_xlsx *x, enum angka_err code,
                           const char *msg)
{
	if (x->err == ANGKA_OK) {
		x->err = code;
		ANGKA_ERR(&x->e, code, "'%s': %s", x->path, msg);
	}
	return x->err;
}

/* ---- output: a buffer flushed into the open zip entry ---- */

static void flush(struct angka_xlsx *x)
{
	if (x->nbuf && x->err == ANGKA_OK &&
	    zipWriteInFileInZip(x->z, x->buf, (unsigned)x->nbuf) != ZIP_OK)
		fail(x, ANGKA_EIO, "write error (disk full?)");
	x->nbuf = 0;
}

static void out(struct angka_xlsx *x, const char *s, size_t n)
{
	while (n > 0) {
		if (x->nbuf == OUTBUF)
			flush(x);
		size_t k = OUTBUF - x->nbuf;
		if (k > n)
			k = n;
		memcpy(x->buf + x->nbuf, s, k);
		x->nbuf += k;
		s += k;
		n -= k;
	}
}

static void outs(struct angka_xlsx *x, const char *s)
{
	out(x, s, strlen(s));
}

static void outf(struct angka_xlsx *x, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		fail(x, ANGKA_EINTERNAL, "XML fragment too long");
		return;
	}
	out(x, tmp, (size_t)n);
}

/*
 * s[0..n) as XML character data: markup characters as entities, controls
 * and "_xHHHH_" look-alikes escaped as Excel does (ECMA-376 ST_Xstring),
 * invalid UTF-8 and the non-characters U+FFFE/U+FFFF as U+FFFD. *chars
 * gets the number of characters.
 */
static void out_text(struct angka_xlsx *x, const char *s, size_t n,
                     size_t *chars)
{
	size_t nc = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		nc++;
		if (c < 0x80) {
			if (c == '&')
				outs(x, "&amp;");
			else if (c == '<')
				outs(x, "&lt;");
			else if (c == '>')
				outs(x, "&gt;");
			else if (c == '"')
				outs(x, "&quot;");
			else if (c < 0x20 && c != '\t' && c != '\n')
				outf(x, "_x%04X_", c);
			else if (c == '_' && n - i >= 7 && s[i + 1] == 'x' &&
			         strspn(s + i + 2, "0123456789abcdefABCDEF") >= 4 &&
			         s[i + 6] == '_')
				outs(x, "_x005F_");
			else
				out(x, s + i, 1);
			i++;
			continue;
		}
		/* A UTF-8 sequence: its length, minimum value, validity. */
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
		unsigned long cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu :
		                   c & 0x1Fu;
		int ok = len != 0 && c <= 0xF4 && n - i >= len;
		for (size_t k = 1; ok && k < len; k++) {
			unsigned char d = (unsigned char)s[i + k];
			if ((d & 0xC0) != 0x80)
				ok = 0;
			cp = cp << 6 | (d & 0x3Fu);
		}
		if (ok)
			ok = !(len == 2 && cp < 0x80) && !(len == 3 && cp < 0x800) &&
			     !(len == 4 && cp < 0x10000) && cp <= 0x10FFFF &&
			     !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE &&
			     cp != 0xFFFF;
		if (ok) {
			out(x, s + i, len);
			i += len;
		} else {
			outs(x, "\xEF\xBF\xBD");
			i++;
		}
	}
	*chars = nc;
}

/* Start the zip entry name (deflated; zip64 for a sheet, which may pass
 * 4 GiB). */
static void entry_open(struct angka_xlsx *x, const char *name, int zip64)
{
	if (x->err != ANGKA_OK)
		return;
	if (zipOpenNewFileInZip64(x->z, name, &x->zi, NULL, 0, NULL, 0, NULL,
	                          Z_DEFLATED, Z_DEFAULT_COMPRESSION,
	                          zip64) != ZIP_OK)
		fail(x, ANGKA_EIO, "write error (disk full?)");
}

static void entry_close(struct angka_xlsx *x)
{
	flush(x);
	if (x->err == ANGKA_OK && zipCloseFileInZip(x->z) != ZIP_OK)
		fail(x, ANGKA_EIO, "write error (disk full?)");
}

/* A whole small part. */
static void part(struct angka_xlsx *x, const char *name, const char *text)
{
	entry_open(x, name, 0);
	outs(x, text);
	entry_close(x);
}

/* ---- the workbook ---- */

struct angka_xlsx *angka_xlsx_open(const char *path, const char *title,
                                   struct angka_error *e)
{
	zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
	if (!z) {
		ANGKA_ERR(e, ANGKA_EIO, "cannot create workbook '%s':", path);
		return NULL;
	}
	struct angka_xlsx *x = angka_xcalloc(1, sizeof *x);
	x->z = z;
	x->path = angka_xstrdup(path);
	x->title = title ? angka_xstrdup(title) : NULL;
	x->row = -1;
	/* Every entry carries the workbook's fixed time (UTC). */
	time_t t = (time_t)angka_xlsx_epoch();
	struct tm tm;
	gmtime_r(&t, &tm);
	x->zi.tmz_date.tm_sec = (unsigned)tm.tm_sec;
	x->zi.tmz_date.tm_min = (unsigned)tm.tm_min;
	x->zi.tmz_date.tm_hour = (unsigned)tm.tm_hour;
	x->zi.tmz_date.tm_mday = (unsigned)tm.tm_mday;
	x->zi.tmz_date.tm_mon = (unsigned)tm.tm_mon;
	x->zi.tmz_date.tm_year = (unsigned)tm.tm_year + 1900;
	return x;
}

int angka_xlsx_style(struct angka_xlsx *x, const struct angka_xlsx_style *s)
{
	if (x->err != ANGKA_OK)
		return 0;
	if (x->nstyle == MAX_STYLES - 1) {
		fail(x, ANGKA_EINTERNAL, "too many cell formats");
		return 0;
	}
	int id = ++x->nstyle;
	x->style[id] = *s;
	x->numfmt[id] = s->numfmt ? angka_xstrdup(s->numfmt) : NULL;
	x->style[id].numfmt = x->numfmt[id];
	return id;
}

static void end_row(struct angka_xlsx *x)
{
	if (x->in_row)
		outs(x, "</row>");
	x->in_row = 0;
}

static void end_sheet(struct angka_xlsx *x)
{
	if (!x->in_sheet)
		return;
	end_row(x);
	outs(x, "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" "
	        "top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
	        "</worksheet>");
	entry_close(x);
	x->in_sheet = 0;
}

/* Column col (0-based) in letters, A..XFD. */
static void col_name(uint32_t col, char *buf)
{
	char tmp[4];
	int n = 0;
	uint32_t c = col + 1;
	while (c > 0 && n < 3) {
		tmp[n++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

static int sheet_name_ok(const struct angka_xlsx *x, const char *name)
{
	size_t n = strlen(name), chars = 0;
	if (n == 0 || strpbrk(name, "[]:*?/\\") || name[0] == '\'' ||
	    name[n - 1] == '\'')
		return 0;
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)name[i] & 0xC0) != 0x80;
	if (chars > 31)
		return 0;
	for (int i = 0; i < x->nsheet; i++)
		if (strcasecmp(x->sheet[i], name) == 0)
			return 0;
	return 1;
}

enum angka_err angka_xlsx_sheet(struct angka_xlsx *x, const char *name,
                                const double *width, size_t nwidth,
                                uint32_t freeze_rows, uint32_t freeze_cols)
{
	end_sheet(x);
	if (x->err != ANGKA_OK)
		return x->err;
	if (x->nsheet == MAX_SHEETS)
		return fail(x, ANGKA_EDATA, "too many sheets");
	if (!sheet_name_ok(x, name))
		return fail(x, ANGKA_EDATA, "bad or repeated sheet name");
	if (freeze_rows >= ANGKA_XLSX_ROWS || freeze_cols >= ANGKA_XLSX_COLS ||
	    nwidth > ANGKA_XLSX_COLS)
		return fail(x, ANGKA_EDATA, "frozen pane or columns beyond the sheet");
	x->sheet[x->nsheet++] = angka_xstrdup(name);
	char part_name[64];
	snprintf(part_name, sizeof part_name, "xl/worksheets/sheet%d.xml",
	         x->nsheet);
	entry_open(x, part_name, 1);
	x->in_sheet = 1;
	x->row = -1;
	outs(x, XML_DECL "<worksheet xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_R "\">");
	outf(x, "<sheetViews><sheetView%s workbookViewId=\"0\">",
	     x->nsheet == 1 ? " tabSelected=\"1\"" : "");
	if (freeze_rows || freeze_cols) {
		char cell[16];
		col_name(freeze_cols, cell);
		const char *pane = freeze_rows && freeze_cols ? "bottomRight" :
		                   freeze_rows ? "bottomLeft" : "topRight";
		outs(x, "<pane");
		if (freeze_cols)
			outf(x, " xSplit=\"%u\"", (unsigned)freeze_cols);
		if (freeze_rows)
			outf(x, " ySplit=\"%u\"", (unsigned)freeze_rows);
		outf(x, " topLeftCell=\"%s%u\" activePane=\"%s\" state=\"frozen\"/>"
		        "<selection pane=\"%s\"/>",
		     cell, (unsigned)freeze_rows + 1, pane, pane);
	}
	outs(x, "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
	int cols = 0;
	for (size_t i = 0; i < nwidth; i++) {
		if (!(width[i] > 0) || !(width[i] <= 255))
			continue;
		/* Excel's stored width: characters of the default font's
		 * digit (7 px) plus 5 px padding, in 1/256 steps. */
		double px = width[i] < 1 ? width[i] * 12 : width[i] * 7 + 5;
		double w = floor(px / 7 * 256) / 256;
		if (!cols++)
			outs(x, "<cols>");
		outf(x, "<col min=\"%zu\" max=\"%zu\" width=\"%.10g\" "
		        "customWidth=\"1\"/>", i + 1, i + 1, w);
	}
	if (cols)
		outs(x, "</cols>");
	outs(x, "<sheetData>");
	return x->err;
}

enum angka_err angka_xlsx_row(struct angka_xlsx *x, uint32_t row)
{
	if (x->err != ANGKA_OK)
		return x->err;
	if (!x->in_sheet)
		return fail(x, ANGKA_EINTERNAL, "row outside a sheet");
	if (row >= ANGKA_XLSX_ROWS)
		return fail(x, ANGKA_EDATA, "more rows than an Excel sheet holds "
		                            "(1048576)");
	if ((int64_t)row <= x->row)
		return fail(x, ANGKA_EINTERNAL, "rows out of order");
	end_row(x);
	x->row = row;
	x->col = -1;
	x->in_row = 1;
	outf(x, "<row r=\"%u\">", (unsigned)row + 1);
	return x->err;
}

/* "<c r=\"B7\"" and the style, for a cell of col. */
static enum angka_err cell_start(struct angka_xlsx *x, uint32_t col,
                                 int style)
{
	if (x->err != ANGKA_OK)
		return x->err;
	if (!x->in_row)
		return fail(x, ANGKA_EINTERNAL, "cell outside a row");
	if (col >= ANGKA_XLSX_COLS)
		return fail(x, ANGKA_EDATA, "more columns than an Excel sheet "
		                            "holds (16384)");
	if ((int64_t)col <= x->col)
		return fail(x, ANGKA_EINTERNAL, "cells out of order");
	if (style < 0 || style > x->nstyle)
		return fail(x, ANGKA_EINTERNAL, "unknown cell format");
	x->col = col;
	char name[8];
	col_name(col, name);
	outf(x, "<c r=\"%s%u\"", name, (unsigned)x->row + 1);
	if (style)
		outf(x, " s=\"%d\"", style);
	return ANGKA_OK;
}

enum angka_err angka_xlsx_put_number(struct angka_xlsx *x, uint32_t col,
                                     double v, int style)
{
	if (x->err == ANGKA_OK && !isfinite(v))
		return fail(x, ANGKA_EDATA, "a number cell that is not finite");
	if (cell_start(x, col, style) != ANGKA_OK)
		return x->err;
	char num[40];
	size_t n = angka_number_format(v, num, sizeof num);
	if (n == 0)
		return fail(x, ANGKA_EINTERNAL, "cannot format a number");
	/* "1e+20" as Excel writes it, "1E+20" (xsd:double either way). */
	for (size_t i = 0; i < n; i++)
		if (num[i] == 'e')
			num[i] = 'E';
	outs(x, "><v>");
	out(x, num, n);
	outs(x, "</v></c>");
	return x->err;
}

enum angka_err angka_xlsx_put_text(struct angka_xlsx *x, uint32_t col,
                                   const char *s, size_t len, int style)
{
	if (cell_start(x, col, style) != ANGKA_OK)
		return x->err;
	int keep = len > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' ||
	                       s[len - 1] == ' ' || s[len - 1] == '\t' ||
	                       s[len - 1] == '\n');
	outs(x, keep ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" :
	               " t=\"inlineStr\"><is><t>");
	size_t chars;
	out_text(x, s, len, &chars);
	outs(x, "</t></is></c>");
	if (chars > ANGKA_XLSX_CELL_CHARS)
		return fail(x, ANGKA_EDATA, "a text of more than 32767 characters, "
		                            "the most an Excel cell holds");
	return x->err;
}

/* ---- the parts written at close ---- */

static void write_attr(struct angka_xlsx *x, const char *s)
{
	size_t chars;
	out_text(x, s, strlen(s), &chars);
}

static void write_styles(struct angka_xlsx *x)
{
	int fmtid[MAX_STYLES], nfmt = 0, fillid[MAX_STYLES], nfill = 2;
	for (int i = 1; i <= x->nstyle; i++) {
		const char *c = x->style[i].numfmt;
		fmtid[i] = c ? 164 + nfmt++ : 0;   /* custom, as Excel's own */
		fillid[i] = x->style[i].fill ? nfill++ : 0;
	}
	entry_open(x, "xl/styles.xml", 0);
	outs(x, XML_DECL "<styleSheet xmlns=\"" NS_MAIN "\">");
	if (nfmt) {
		outf(x, "<numFmts count=\"%d\">", nfmt);
		for (int i = 1; i <= x->nstyle; i++)
			if (fmtid[i] >= 164) {
				outf(x, "<numFmt numFmtId=\"%d\" formatCode=\"", fmtid[i]);
				write_attr(x, x->style[i].numfmt);
				outs(x, "\"/>");
			}
		outs(x, "</numFmts>");
	}
	/* Font 0 is the default; style i has font i. */
	outf(x, "<fonts count=\"%d\"><font><sz val=\"11\"/><name val=\"Calibri\"/>"
	        "<family val=\"2\"/></font>", x->nstyle + 1);
	for (int i = 1; i <= x->nstyle; i++)
		outf(x, "<font>%s<sz val=\"%d\"/><name val=\"Calibri\"/>"
		        "<family val=\"2\"/></font>",
		     x->style[i].bold ? "<b/>" : "",
		     x->style[i].size > 0 ? x->style[i].size : 11);
	outf(x, "</fonts><fills count=\"%d\"><fill><patternFill patternType=\"none\"/>"
	        "</fill><fill><patternFill patternType=\"gray125\"/></fill>", nfill);
	for (int i = 1; i <= x->nstyle; i++)
		if (fillid[i])
			outf(x, "<fill><patternFill patternType=\"solid\"><fgColor "
			        "rgb=\"FF%06X\"/><bgColor indexed=\"64\"/></patternFill>"
			        "</fill>", x->style[i].fill & 0xFFFFFFu);
	outs(x, "</fills><borders count=\"2\"><border><left/><right/><top/>"
	        "<bottom/><diagonal/></border><border><left style=\"thin\">"
	        "<color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/>"
	        "</right><top style=\"thin\"><color auto=\"1\"/></top><bottom "
	        "style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border>"
	        "</borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" "
	        "fillId=\"0\" borderId=\"0\"/></cellStyleXfs>");
	outf(x, "<cellXfs count=\"%d\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
	        "borderId=\"0\" xfId=\"0\"/>", x->nstyle + 1);
	static const char *const align[] = { "", "left", "center", "right" };
	for (int i = 1; i <= x->nstyle; i++) {
		const struct angka_xlsx_style *s = &x->style[i];
		int al = s->align > 0 && s->align <= 3 ? s->align : 0;
		outf(x, "<xf numFmtId=\"%d\" fontId=\"%d\" fillId=\"%d\" "
		        "borderId=\"%d\" xfId=\"0\"%s applyFont=\"1\"%s%s%s",
		     fmtid[i], i, fillid[i], s->border ? 1 : 0,
		     fmtid[i] ? " applyNumberFormat=\"1\"" : "",
		     fillid[i] ? " applyFill=\"1\"" : "",
		     s->border ? " applyBorder=\"1\"" : "",
		     al ? " applyAlignment=\"1\">" : "/>");
		if (al)
			outf(x, "<alignment horizontal=\"%s\"/></xf>", align[al]);
	}
	outs(x, "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" "
	        "xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>");
	entry_close(x);
}

static void write_package(struct angka_xlsx *x)
{
	entry_open(x, "[Content_Types].xml", 0);
	outs(x, XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/"
	        "package/2006/content-types\"><Default Extension=\"rels\" "
	        "ContentType=\"application/vnd.openxmlformats-package."
	        "relationships+xml\"/><Default Extension=\"xml\" ContentType="
	        "\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" "
	        "ContentType=\"application/vnd.openxmlformats-officedocument."
	        "spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/"
	        "styles.xml\" ContentType=\"application/vnd.openxmlformats-"
	        "officedocument.spreadsheetml.styles+xml\"/><Override PartName="
	        "\"/docProps/core.xml\" ContentType=\"application/vnd."
	        "openxmlformats-package.core-properties+xml\"/>");
	for (int i = 1; i <= x->nsheet; i++)
		outf(x, "<Override PartName=\"/xl/worksheets/sheet%d.xml\" "
		        "ContentType=\"application/vnd.openxmlformats-"
		        "officedocument.spreadsheetml.worksheet+xml\"/>", i);
	outs(x, "</Types>");
	entry_close(x);

	part(x, "_rels/.rels", XML_DECL "<Relationships xmlns=\"" NS_PKG "\">"
	     "<Relationship Id=\"rId1\" Type=\"" NS_R "/officeDocument\" "
	     "Target=\"xl/workbook.xml\"/><Relationship Id=\"rId2\" Type=\""
	     "http://schemas.openxmlformats.org/package/2006/relationships/"
	     "metadata/core-properties\" Target=\"docProps/core.xml\"/>"
	     "</Relationships>");

	time_t t = (time_t)angka_xlsx_epoch();
	struct tm tm;
	char when[32];
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	entry_open(x, "docProps/core.xml", 0);
	outs(x, XML_DECL "<cp:coreProperties xmlns:cp=\"http://schemas."
	        "openxmlformats.org/package/2006/metadata/core-properties\" "
	        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms="
	        "\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/"
	        "2001/XMLSchema-instance\">");
	if (x->title) {
		outs(x, "<dc:title>");
		write_attr(x, x->title);
		outs(x, "</dc:title>");
	}
	outf(x, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
	        "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s"
	        "</dcterms:modified></cp:coreProperties>", when, when);
	entry_close(x);

	entry_open(x, "xl/workbook.xml", 0);
	outs(x, XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_R "\">"
	        "<bookViews><workbookView/></bookViews><sheets>");
	for (int i = 0; i < x->nsheet; i++) {
		outs(x, "<sheet name=\"");
		write_attr(x, x->sheet[i]);
		outf(x, "\" sheetId=\"%d\" r:id=\"rId%d\"/>", i + 1, i + 1);
	}
	outs(x, "</sheets></workbook>");
	entry_close(x);

	entry_open(x, "xl/_rels/workbook.xml.rels", 0);
	outs(x, XML_DECL "<Relationships xmlns=\"" NS_PKG "\">");
	for (int i = 1; i <= x->nsheet; i++)
		outf(x, "<Relationship Id=\"rId%d\" Type=\"" NS_R "/worksheet\" "
		        "Target=\"worksheets/sheet%d.xml\"/>", i, i);
	outf(x, "<Relationship Id=\"rId%d\" Type=\"" NS_R "/styles\" "
	        "Target=\"styles.xml\"/></Relationships>", x->nsheet + 1);
	entry_close(x);
	write_styles(x);
}

enum angka_err angka_xlsx_close(struct angka_xlsx *x, struct angka_error *e)
{
	end_sheet(x);
	if (x->err == ANGKA_OK && x->nsheet == 0)
		fail(x, ANGKA_EINTERNAL, "a workbook without a sheet");
	if (x->err == ANGKA_OK)
		write_package(x);
	if (zipClose(x->z, NULL) != ZIP_OK && x->err == ANGKA_OK)
		fail(x, ANGKA_EIO, "write error on close (disk full?)");
	enum angka_err rc = x->err;
	if (rc != ANGKA_OK && e)
		*e = x->e;
	for (int i = 0; i < x->nsheet; i++)
		free(x->sheet[i]);
	for (int i = 1; i <= x->nstyle; i++)
		free(x->numfmt[i]);
	free(x->title);
	free(x->path);
	free(x);
	return rc;
}
