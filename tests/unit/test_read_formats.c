/*
 * test_read_formats.c - the binary formats and UTF-16 read as the same
 * records as their CSV: survey.dta and survey.sav (written by R haven from
 * survey.csv, see tests/reference/formats/make_formats.R), with codes and
 * with labels; survey.zsav, survey.xpt and survey.sas7bdat (no labels); UTF-16 LE/BE with and without BOM, across buffer ends;
 * the .xlsx sheet handler on hand-written sheet XML.
 */
#include "minunit.h"
#include "angka.h"
#include "input_int.h"
#include "read_xlsx.h"
#include "replay.h"
#include "../fuzz/fuzz_xlsx_sheet.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REF "tests/reference/formats/"

static char tmpdir[64];

/* Every record of path as one CSV line per record (fields joined with
 * '|', the line number first) into a malloc'ed string. */
static char *dump(const char *path, int *rc)
{
	struct angka_csv_reader *r;
	struct angka_error e = { 0 };
	*rc = 0;
	if (angka_csv_reader_open(&r, path, NULL, &e) != ANGKA_OK) {
		fprintf(stderr, "%s\n", e.msg);
		*rc = -1;
		return strdup("");
	}
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	out[0] = '\0';
	const struct angka_csv_record *rec;
	int got;
	while ((got = angka_csv_reader_next(r, &rec, &e)) > 0) {
		char line[4096];
		int k = snprintf(line, sizeof line, "%ld", rec->line);
		for (size_t i = 0; i < rec->nfields; i++)
			k += snprintf(line + k, sizeof line - (size_t)k, "|%s",
			              rec->field[i]);
		k += snprintf(line + k, sizeof line - (size_t)k, "\n");
		if (n + (size_t)k + 1 > cap) {
			cap = 2 * (n + (size_t)k + 1);
			out = realloc(out, cap);
		}
		memcpy(out + n, line, (size_t)k + 1);
		n += (size_t)k;
	}
	if (got < 0) {
		fprintf(stderr, "%s\n", e.msg);
		*rc = -1;
		angka_csv_reader_free(r);
	} else if (angka_csv_reader_close(r, &e) != ANGKA_OK) {
		fprintf(stderr, "%s\n", e.msg);
		*rc = -1;
	}
	return out;
}

static void check_same(const char *a, const char *b)
{
	int ra, rb;
	char *x = dump(a, &ra), *y = dump(b, &rb);
	mu_check_int(ra, 0);
	mu_check_int(rb, 0);
	mu_check_msg(strcmp(x, y) == 0, "%s:\n%s\n%s:\n%s", a, x, b, y);
	free(x);
	free(y);
}

static void set_labels(int on)
{
	struct angka_input_opts o = { .labels = on };
	angka_input_set_opts(&o);
}

static void test_stat_codes(void)
{
	set_labels(0);
	check_same(REF "survey.dta", REF "survey.csv");
	check_same(REF "survey.sav", REF "survey.csv");
	check_same(REF "survey.zsav", REF "survey.csv");
	check_same(REF "survey.xpt", REF "survey.csv");
	check_same(REF "survey.sas7bdat", REF "survey.csv");
}

static void test_stat_labels(void)
{
	set_labels(1);
	check_same(REF "survey.dta", REF "survey_labels.csv");
	check_same(REF "survey.sav", REF "survey_labels.csv");
	set_labels(0);
}

static void test_sniff(void)
{
	struct angka_error e = { 0 };
	mu_check_int(angka_input_sniff_path(REF "survey.dta", &e), ANGKA_IN_DTA);
	mu_check_int(angka_input_sniff_path(REF "survey.sav", &e), ANGKA_IN_SAV);
	mu_check_int(angka_input_sniff_path(REF "survey.zsav", &e), ANGKA_IN_SAV);
	mu_check_int(angka_input_sniff_path(REF "survey.xpt", &e), ANGKA_IN_XPT);
	mu_check_int(angka_input_sniff_path(REF "survey.sas7bdat", &e),
	             ANGKA_IN_SAS7BDAT);
	mu_check_int(angka_input_sniff_path(REF "dtks.xlsx", &e), ANGKA_IN_XLSX);
	mu_check_int(angka_input_sniff_path(REF "survey.csv", &e), ANGKA_IN_TEXT);
}

static void test_format_double(void)
{
	char b[64];
	struct { double v; const char *s; } t[] = {
		{ 7296.24, "7296.24" },
		{ 0.1, "0.1" },
		{ 1.0000000000000002, "1.0000000000000002" },
		{ 6311010101010001.0, "6311010101010001" },
		{ 9007199254740994.0, "9007199254740994.0" },
		{ -0.0, "0" },
		{ -12.5, "-12.5" },
		{ 1e-05, "1e-05" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		angka_format_double_exact(t[i].v, b, sizeof b);
		mu_check_str(b, t[i].s);
	}
	mu_check_int(angka_format_iso(0, 0, b, sizeof b), 10);
	mu_check_str(b, "1970-01-01");
	angka_format_iso(951782400.0 + 3723, 1, b, sizeof b);
	mu_check_str(b, "2000-02-29 01:02:03");
	angka_format_iso(-86400.0, 0, b, sizeof b);
	mu_check_str(b, "1969-12-31");
}

/* ---- UTF-16 ---- */

static char *write_file(const char *name, const char *p, size_t n)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	fwrite(p, 1, n, f);
	fclose(f);
	return path;
}

/* s (ASCII or UTF-8 of BMP characters) as UTF-16. */
static size_t to_utf16(const char *s, int be, int bom, char *out)
{
	size_t o = 0;
	if (bom) {
		out[o++] = be ? (char)0xFE : (char)0xFF;
		out[o++] = be ? (char)0xFF : (char)0xFE;
	}
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		unsigned cp;
		if (*u < 0x80)
			cp = *u++;
		else if ((*u & 0xE0) == 0xC0) {
			cp = (unsigned)(*u & 0x1F) << 6 | (u[1] & 0x3F);
			u += 2;
		} else {
			cp = (unsigned)(*u & 0x0F) << 12 | (unsigned)(u[1] & 0x3F) << 6 |
			     (u[2] & 0x3F);
			u += 3;
		}
		out[o++] = (char)(be ? cp >> 8 : cp & 0xFF);
		out[o++] = (char)(be ? cp & 0xFF : cp >> 8);
	}
	return o;
}

static void test_utf16(void)
{
	const char *text = "nik\tnama\r\n6311010101010001\tSiti \xC3\x84minah\r\n"
	                   "6311010101010002\t\"Rahmat\xE2\x82\xAC, H.\"\r\n";
	char *u = malloc(4096);
	const char *plain = write_file("plain.csv", text, strlen(text));
	char plain_path[128];
	snprintf(plain_path, sizeof plain_path, "%s", plain);
	for (int be = 0; be <= 1; be++)
		for (int bom = 0; bom <= 1; bom++) {
			size_t n = to_utf16(text, be, bom, u);
			const char *p = write_file("u16.csv", u, n);
			check_same(p, plain_path);
		}
	free(u);
}

/* A UTF-16 file larger than the first chunk: units cut at buffer ends. */
static void test_utf16_big(void)
{
	size_t rows = 60000;
	size_t cap = rows * 40 + 64;
	char *text = malloc(cap);
	size_t n = (size_t)snprintf(text, cap, "a,b\n");
	for (size_t i = 0; i < rows; i++)
		n += (size_t)snprintf(text + n, cap - n, "%zu,\xC3\xA9t\xC3\xA9%zu\n",
		                      i, i * 7);
	char *u = malloc(2 * n + 4);
	size_t un = to_utf16(text, 0, 1, u);
	char plain_path[128];
	snprintf(plain_path, sizeof plain_path, "%s",
	         write_file("bigplain.csv", text, n));
	const char *p = write_file("big16.csv", u, un);
	check_same(p, plain_path);
	/* A lone surrogate and an odd last byte: U+FFFD, not an error. */
	const char bad[] = { (char)0xFF, (char)0xFE, 'a', 0, '\n', 0, 0x00,
	                     (char)0xD8, 'b', 0, '\n', 0, 'c' };
	p = write_file("bad16.csv", bad, sizeof bad);
	int rc;
	char *d = dump(p, &rc);
	mu_check_int(rc, 0);
	mu_check_str(d, "1|a\n2|\xEF\xBF\xBD" "b\n3|\xEF\xBF\xBD\n");
	free(d);
	free(text);
	free(u);
}

/* ---- xlsx sheet handler ---- */

struct sink {
	char buf[4096];
	size_t n;
};

static int sink_put(void *ctx, const char *p, size_t n)
{
	struct sink *s = ctx;
	if (s->n + n >= sizeof s->buf)
		return -1;
	memcpy(s->buf + s->n, p, n);
	s->n += n;
	s->buf[s->n] = '\0';
	return 0;
}

static void test_xlsx_sheet(void)
{
	char sst[] = "nik\0nama\0Siti, A.\0";
	size_t off[] = { 0, 4, 9 };
	unsigned char xf[] = { 0, 1 };
	struct xlsx_book b = { sst, off, 3, xf, 2, 0 };
	const char *xml =
		"<?xml version=\"1.0\"?><worksheet xmlns=\"x\"><dimension ref=\"A1:D5\"/>"
		"<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
		"<c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>tgl"
		"</t></is></c><c r=\"D1\" t=\"str\"><v>x</v></c></row>"
		"<row r=\"2\"><c r=\"A2\"><v>6311010101010001</v></c>"
		"<c r=\"B2\" t=\"s\"><v>2</v></c><c r=\"C2\" s=\"1\"><v>45366</v></c>"
		"<c r=\"D2\" t=\"b\"><v>1</v></c></row>"
		"<row r=\"4\"><c r=\"A4\"><v>6.311010101010001E+15</v></c>"
		"<c r=\"C4\" s=\"1\"><v>45366.5</v></c></row>"
		"<row r=\"5\"><c r=\"A5\"><v>9.1234567890123456E+15</v></c>"
		"<c r=\"B5\" t=\"e\"><v>#N/A</v></c></row>"
		"<row r=\"6\"><c r=\"C6\"><v>1</v></c>"
		"<c r=\"D6\"><v>9171062403080464</v></c></row>"
		"</sheetData></worksheet>";
	/* Fed one byte at a time and whole: the same text. */
	for (int bytewise = 0; bytewise <= 1; bytewise++) {
		struct sink k = { .n = 0 };
		struct xlsx_sheet *s = xlsx_sheet_new(&b, sink_put, &k);
		size_t len = strlen(xml);
		int rc = 0;
		if (bytewise)
			for (size_t i = 0; i < len && !rc; i++)
				rc = xlsx_sheet_feed(s, xml + i, 1, 0);
		else
			rc = xlsx_sheet_feed(s, xml, len, 0);
		if (!rc)
			rc = xlsx_sheet_feed(s, "", 0, 1);
		mu_check_int(rc, 0);
		mu_check_str(k.buf,
		             "nik,nama,tgl,x\n"
		             "6311010101010001,\"Siti, A.\",2024-03-15,TRUE\n"
		             "\n"
		             "6311010101010001,,2024-03-15 12:00:00,\n"
		             "9123456789012346.0,#N/A,,\n"
		             ",,1,9171062403080464.0\n");
		xlsx_sheet_free(s);
	}
	/* Bad XML and a shared string out of range: errors. */
	struct sink k = { .n = 0 };
	struct xlsx_sheet *s = xlsx_sheet_new(&b, sink_put, &k);
	mu_check_int(xlsx_sheet_feed(s, "<a><b></a>", 10, 1), -1);
	xlsx_sheet_free(s);
	s = xlsx_sheet_new(&b, sink_put, &k);
	const char *oob = "<w><row><c t=\"s\"><v>3</v></c></row></w>";
	mu_check_int(xlsx_sheet_feed(s, oob, strlen(oob), 1), -1);
	mu_check_str(xlsx_sheet_error(s), "a shared string index out of range");
	xlsx_sheet_free(s);
	s = xlsx_sheet_new(&b, sink_put, &k);
	const char *ooo = "<w><row><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>2</v>"
	                  "</c></row></w>";
	mu_check_int(xlsx_sheet_feed(s, ooo, strlen(ooo), 1), -1);
	mu_check_str(xlsx_sheet_error(s), "cells out of order in row 1");
	xlsx_sheet_free(s);
	mu_check_int(xlsx_format_is_date(14, NULL), 1);
	mu_check_int(xlsx_format_is_date(164, "dd/mm/yyyy"), 1);
	mu_check_int(xlsx_format_is_date(164, "0.00"), 0);
	mu_check_int(xlsx_format_is_date(164, "\"day\" 0"), 0);
	mu_check_int(xlsx_format_is_date(164, "[Red]0"), 0);
	mu_check_int(xlsx_format_is_date(20, NULL), 0);
}

static void test_fuzz_replay(void)
{
	mu_check(replay_dir("tests/fuzz/corpus/fuzz_xlsx_sheet",
	                    fuzz_xlsx_sheet_one) > 0);
	mu_check(replay_dir("tests/fuzz/regress/fuzz_xlsx_sheet",
	                    fuzz_xlsx_sheet_one) >= 0);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/angka-fmt.XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	mu_run(test_stat_codes);
	mu_run(test_stat_labels);
	mu_run(test_sniff);
	mu_run(test_format_double);
	mu_run(test_utf16);
	mu_run(test_utf16_big);
	mu_run(test_xlsx_sheet);
	mu_run(test_fuzz_replay);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return mu_report("test_read_formats");
}
