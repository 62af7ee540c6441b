/*
 * test_quarantine.c - quarantine files: header, mode 0600, the raw column
 * re-joined from a record so that it parses back to the same fields, the
 * count-only mode, and the reason table.
 */
#include "minunit.h"

#include "csv_reader.h"
#include "quarantine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_reasons(void)
{
	int n = 0;
	for (const struct angka_reason *r = angka_reasons; r->code; r++, n++) {
		mu_check(angka_reason_known(r->code));
		mu_check(r->meaning && *r->meaning);
		for (const char *c = r->code; *c; c++)
			mu_check_msg((*c >= 'a' && *c <= 'z') || *c == '_' ||
			             (*c >= '0' && *c <= '9'), "code %s", r->code);
		for (const struct angka_reason *s = r + 1; s->code; s++)
			mu_check_msg(strcmp(r->code, s->code) != 0, "dup %s", r->code);
	}
	mu_check(n > 0);
	mu_check(!angka_reason_known("no_such_reason"));
	mu_check(angka_reason_known("field_count"));
	mu_check(angka_reason_known("preamble"));
}

static void test_file(void)
{
	char dir[4096], path[8192];
	const char *t = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/test_quarantine.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(dir)) {
		mu_fail("mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/q.csv", dir);
	struct angka_quarantine q;
	struct angka_error e = { 0 };
	mu_check_int(angka_quarantine_open(&q, path, "ingest", &e), ANGKA_OK);
	/* A record whose fields hold the delimiter, quotes and a newline. */
	static const char *const f[] = { "63.11", "BATU; MANDI", "say \"hi\"",
	                                 "a\nb", "" };
	size_t len[5];
	for (int i = 0; i < 5; i++)
		len[i] = strlen(f[i]);
	struct angka_csv_record rec = { .nfields = 5, .field = f, .len = len,
	                                .line = 7, .nlines = 2, .flags = 0 };
	angka_quarantine_add(&q, "x.csv", 7, "", "field_count", "5 fields", NULL,
	                     &rec, ';');
	angka_quarantine_add(&q, "x.csv", 9, "nik", "nik_length", "15 digits",
	                     "raw,text", NULL, ',');
	mu_check_int(q.rows, 2);
	mu_check_int(angka_quarantine_commit(&q, &e), ANGKA_OK);
	struct stat st;
	mu_check(stat(path, &st) == 0);
	mu_check_int(st.st_mode & 0777, 0600);

	/* Read it back: the header, then the raw field of row 1 parses back
	 * (with ';') to the original fields. */
	struct angka_csv_reader *r;
	struct angka_csv_opts o = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	mu_check_int(angka_csv_reader_open(&r, path, &o, &e), ANGKA_OK);
	const struct angka_csv_record *got;
	mu_check_int(angka_csv_reader_next(r, &got, &e), 1);
	mu_check_int(got->nfields, 7);
	mu_check_str(got->field[0], "src_file");
	mu_check_str(got->field[6], "raw");
	mu_check_int(angka_csv_reader_next(r, &got, &e), 1);
	mu_check_int(got->nfields, 7);
	char raw[256] = "";
	if (got->nfields == 7) {
		mu_check_str(got->field[1], "7");
		mu_check_str(got->field[2], "ingest");
		mu_check_str(got->field[4], "field_count");
		snprintf(raw, sizeof raw, "%s", got->field[6]);
	}
	mu_check_int(angka_csv_reader_next(r, &got, &e), 1);
	if (got->nfields == 7) {
		mu_check_str(got->field[3], "nik");
		mu_check_str(got->field[6], "raw,text");
	}
	mu_check_int(angka_csv_reader_next(r, &got, &e), 0);
	mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);

	snprintf(path, sizeof path, "%s/raw.csv", dir);
	FILE *fp = fopen(path, "w");
	fputs(raw, fp);
	fclose(fp);
	struct angka_csv_opts o2 = { .delim = ';', .encoding = ANGKA_ENC_UTF8 };
	mu_check_int(angka_csv_reader_open(&r, path, &o2, &e), ANGKA_OK);
	mu_check_int(angka_csv_reader_next(r, &got, &e), 1);
	mu_check_msg(got->nfields == 5, "raw '%s' has %zu fields", raw,
	             got->nfields);
	for (size_t i = 0; i < 5 && i < got->nfields; i++)
		mu_check_str(got->field[i], f[i]);
	angka_csv_reader_free(r);
	unlink(path);
	snprintf(path, sizeof path, "%s/q.csv", dir);
	unlink(path);
	rmdir(dir);
}

static void test_count_only(void)
{
	struct angka_quarantine q;
	struct angka_error e = { 0 };
	mu_check_int(angka_quarantine_open(&q, NULL, "normalize", &e), ANGKA_OK);
	angka_quarantine_add(&q, "x.csv", 2, "", "preamble", "", "t", NULL, ',');
	angka_quarantine_add(&q, "x.csv", 3, "", "preamble", "", NULL, NULL, ',');
	mu_check_int(q.rows, 2);
	mu_check_int(angka_quarantine_commit(&q, &e), ANGKA_OK);
	angka_quarantine_abort(&q);
}

int main(void)
{
	mu_run(test_reasons);
	mu_run(test_file);
	mu_run(test_count_only);
	return mu_report("test_quarantine");
}
