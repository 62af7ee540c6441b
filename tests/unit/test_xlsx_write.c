/*
 * test_xlsx_write.c - the workbook writer: the parts of the package, read
 * back with minizip's unzip; numbers in their shortest round-trip digits
 * (17 where needed), text escaped (markup, controls as _xHHHH_, a literal
 * _x0041_, invalid UTF-8 as U+FFFD, kept spaces), styles and number
 * formats, frozen panes and widths; Excel's limits and misuse as errors;
 * a write that fails (RLIMIT_FSIZE) is an error at close.
 */
#include "minunit.h"

#include "xlsx_write.h"

#include <math.h>
#include <minizip/unzip.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[4096];

/* Part name of the workbook at path, NUL-terminated, or NULL. */
static char *part(const char *name)
{
	unzFile z = unzOpen64(path);
	if (!z)
		return NULL;
	char *b = NULL;
	if (unzLocateFile(z, name, 1) == UNZ_OK &&
	    unzOpenCurrentFile(z) == UNZ_OK) {
		size_t cap = 1 << 16, n = 0;
		int k;
		b = malloc(cap + 1);
		while ((k = unzReadCurrentFile(z, b + n, (unsigned)(cap - n))) > 0) {
			n += (size_t)k;
			if (n == cap)
				b = realloc(b, (cap *= 2) + 1);
		}
		b[n] = '\0';
		if (k < 0 || unzCloseCurrentFile(z) != UNZ_OK) {
			free(b);
			b = NULL;
		}
	}
	unzClose(z);
	return b;
}

static int has(const char *text, const char *frag)
{
	return text && strstr(text, frag) != NULL;
}

static void test_cells(void)
{
	struct angka_error e = { 0 };
	struct angka_xlsx *x = angka_xlsx_open(path, "T & <b>", &e);
	mu_check(x != NULL);
	if (!x)
		return;
	int bold = angka_xlsx_style(x, &(struct angka_xlsx_style){ .bold = 1 });
	int stars = angka_xlsx_style(x, &(struct angka_xlsx_style){
		.numfmt = "#,##0.00\"*\"", .fill = 0xDDEBF7, .border = 1,
		.align = ANGKA_XLSX_ALIGN_CENTER, .size = 12 });
	int two = angka_xlsx_style(x, &(struct angka_xlsx_style){
		.numfmt = "#,##0.00" });
	mu_check(bold == 1 && stars == 2 && two == 3);
	const double w[] = { 14, 0, 34 };
	mu_check_int(angka_xlsx_sheet(x, "Data", w, 3, 1, 2), ANGKA_OK);
	angka_xlsx_row(x, 0);
	angka_xlsx_put_text(x, 0, "a<b&c>", 6, bold);
	angka_xlsx_put_text(x, 27, "\r\x01_x0041_", strlen("\r\x01_x0041_"), 0);
	angka_xlsx_put_text(x, 28, " kept ", 6, 0);
	const char *bad = "bad \xff\xc3( \xed\xa0\x80 ok \xc3\xa9";
	angka_xlsx_put_text(x, 29, bad, strlen(bad), 0);
	angka_xlsx_row(x, 6);
	angka_xlsx_put_number(x, 0, 0.1 + 0.2, stars);
	angka_xlsx_put_number(x, 1, 7296.24, two);
	angka_xlsx_put_number(x, 2, 1e20, 0);
	angka_xlsx_put_number(x, 3, -2.5e-7, 0);
	angka_xlsx_put_number(x, 16383, 6311010181, 0);
	mu_check_int(angka_xlsx_sheet(x, "Lain's", NULL, 0, 0, 0), ANGKA_OK);
	angka_xlsx_row(x, 1048575);
	angka_xlsx_put_number(x, 0, 1, 0);
	mu_check_int(angka_xlsx_close(x, &e), ANGKA_OK);

	char *s = part("xl/worksheets/sheet1.xml");
	mu_check(has(s, "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>a&lt;b&amp;c&gt;"
	                "</t></is></c>"));
	mu_check(has(s, "<c r=\"AB1\" t=\"inlineStr\"><is><t>_x000D__x0001_"
	                "_x005F_x0041_</t></is></c>"));
	mu_check(has(s, "<t xml:space=\"preserve\"> kept </t>"));
	mu_check(has(s, "<t>bad \xef\xbf\xbd\xef\xbf\xbd( \xef\xbf\xbd\xef\xbf\xbd"
	                "\xef\xbf\xbd ok \xc3\xa9</t>"));
	mu_check(has(s, "<row r=\"7\"><c r=\"A7\" s=\"2\"><v>0.30000000000000004</v>"
	                "</c><c r=\"B7\" s=\"3\"><v>7296.24</v></c><c r=\"C7\">"
	                "<v>1E+20</v></c><c r=\"D7\"><v>-2.5E-07</v></c>"
	                "<c r=\"XFD7\"><v>6311010181</v></c></row>"));
	mu_check(has(s, "<pane xSplit=\"2\" ySplit=\"1\" topLeftCell=\"C2\" "
	                "activePane=\"bottomRight\" state=\"frozen\"/>"));
	mu_check(has(s, "<cols><col min=\"1\" max=\"1\" width=\"14.7109375\" "
	                "customWidth=\"1\"/><col min=\"3\" max=\"3\" width="
	                "\"34.7109375\" customWidth=\"1\"/></cols>"));
	mu_check(has(s, "tabSelected=\"1\""));
	free(s);
	s = part("xl/worksheets/sheet2.xml");
	mu_check(has(s, "<row r=\"1048576\"><c r=\"A1048576\"><v>1</v></c></row>"));
	mu_check(!has(s, "tabSelected"));
	free(s);
	s = part("xl/workbook.xml");
	mu_check(has(s, "<sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/>"
	                "<sheet name=\"Lain's\" sheetId=\"2\" r:id=\"rId2\"/>"));
	free(s);
	s = part("xl/_rels/workbook.xml.rels");
	mu_check(has(s, "Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/"
	                "officeDocument/2006/relationships/worksheet\" "
	                "Target=\"worksheets/sheet2.xml\""));
	mu_check(has(s, "Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/"
	                "officeDocument/2006/relationships/styles\""));
	free(s);
	s = part("[Content_Types].xml");
	mu_check(has(s, "<Override PartName=\"/xl/worksheets/sheet2.xml\""));
	free(s);
	s = part("xl/styles.xml");
	mu_check(has(s, "<numFmts count=\"2\"><numFmt numFmtId=\"164\" "
	                "formatCode=\"#,##0.00&quot;*&quot;\"/><numFmt numFmtId="
	                "\"165\" formatCode=\"#,##0.00\"/></numFmts>"));
	mu_check(has(s, "<cellXfs count=\"4\">"));
	mu_check(has(s, "<xf numFmtId=\"164\" fontId=\"2\" fillId=\"2\" "
	                "borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" "
	                "applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" "
	                "applyAlignment=\"1\"><alignment horizontal=\"center\"/>"));
	mu_check(has(s, "<xf numFmtId=\"165\" fontId=\"3\""));
	mu_check(has(s, "<fgColor rgb=\"FFDDEBF7\"/>"));
	mu_check(has(s, "<font><b/><sz val=\"11\"/>") &&
	         has(s, "<font><sz val=\"12\"/>"));
	free(s);
	s = part("docProps/core.xml");
	mu_check(has(s, "<dc:title>T &amp; &lt;b&gt;</dc:title>"));
	mu_check(has(s, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">"));
	free(s);
	unlink(path);
}

/* One misuse: the call that errs gives code, so does close. */
static void misuse(int what, enum angka_err code)
{
	struct angka_error e = { 0 };
	struct angka_xlsx *x = angka_xlsx_open(path, NULL, &e);
	mu_check(x != NULL);
	if (!x)
		return;
	enum angka_err rc = ANGKA_OK;
	if (what != 0)
		rc = angka_xlsx_sheet(x, what == 1 ? "a/b" : "S", NULL, 0, 0, 0);
	if (what == 2)
		rc = angka_xlsx_sheet(x, "s", NULL, 0, 0, 0);   /* repeated */
	if (what == 3) {
		angka_xlsx_row(x, 2);
		rc = angka_xlsx_row(x, 2);
	}
	if (what == 4) {
		angka_xlsx_row(x, 0);
		angka_xlsx_put_number(x, 3, 1, 0);
		rc = angka_xlsx_put_number(x, 3, 1, 0);
	}
	if (what == 5)
		rc = angka_xlsx_row(x, 1048576);
	if (what == 6) {
		angka_xlsx_row(x, 0);
		rc = angka_xlsx_put_number(x, 16384, 1, 0);
	}
	if (what == 7) {
		size_t n = 32768;
		char *big = malloc(n);
		memset(big, 'a', n);
		angka_xlsx_row(x, 0);
		rc = angka_xlsx_put_text(x, 0, big, n, 0);
		free(big);
	}
	if (what == 8) {
		angka_xlsx_row(x, 0);
		rc = angka_xlsx_put_number(x, 0, NAN, 0);
	}
	if (what == 9) {
		angka_xlsx_row(x, 0);
		rc = angka_xlsx_put_text(x, 0, "x", 1, 7);   /* no such format */
	}
	if (what == 10)
		rc = angka_xlsx_sheet(x, "1234567890123456789012345678901X",
		                      NULL, 0, 0, 0);
	if (what != 0)
		mu_check_msg(rc == code, "misuse %d: %d", what, (int)rc);
	mu_check_msg(angka_xlsx_close(x, &e) == code && e.code == code &&
	             strstr(e.msg, path) != NULL, "misuse %d: %s", what, e.msg);
	unlink(path);
}

static void test_misuse(void)
{
	misuse(0, ANGKA_EINTERNAL);   /* no sheet */
	misuse(1, ANGKA_EDATA);
	misuse(2, ANGKA_EDATA);
	misuse(3, ANGKA_EINTERNAL);
	misuse(4, ANGKA_EINTERNAL);
	misuse(5, ANGKA_EDATA);
	misuse(6, ANGKA_EDATA);
	misuse(7, ANGKA_EDATA);
	misuse(8, ANGKA_EDATA);
	misuse(9, ANGKA_EINTERNAL);
	misuse(10, ANGKA_EDATA);
	struct angka_error e = { 0 };
	mu_check(angka_xlsx_open("/nonexistent/dir/t.xlsx", NULL, &e) == NULL &&
	         e.code == ANGKA_EIO);
}

/* A sheet past RLIMIT_FSIZE: the failing write is an error at close (in
 * a child, which has the limit). */
static void test_write_error(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = { 64 << 10, 64 << 10 };
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(3);
		struct angka_error e = { 0 };
		struct angka_xlsx *x = angka_xlsx_open(path, NULL, &e);
		if (!x)
			_exit(4);
		angka_xlsx_sheet(x, "S", NULL, 0, 0, 0);
		/* numbers that do not compress: about 2 MB of XML */
		unsigned long long v = 88172645463325252ULL;
		for (uint32_t r = 0; r < 20000; r++) {
			angka_xlsx_row(x, r);
			for (uint32_t c = 0; c < 4; c++) {
				v ^= v << 13;
				v ^= v >> 7;
				v ^= v << 17;
				angka_xlsx_put_number(x, c, (double)(v >> 11), 0);
			}
		}
		_exit(angka_xlsx_close(x, &e) == ANGKA_EIO ? 0 : 5);
	}
	int status;
	mu_check(pid > 0 && waitpid(pid, &status, 0) == pid &&
	         WIFEXITED(status) && WEXITSTATUS(status) == 0);
	unlink(path);
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/test_xlsx_write.%ld.xlsx",
	         t && *t ? t : "/tmp", (long)getpid());
	mu_run(test_cells);
	mu_run(test_misuse);
	mu_run(test_write_error);
	return mu_report("test_xlsx_write");
}
