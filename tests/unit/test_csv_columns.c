/*
 * test_csv_columns.c - angka_csv_open_columns: column indexes, required
 * columns, the two header errors, and the reader left positioned on the
 * first data row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minunit.h"
#include "csv_columns.h"

static char path[64];

static void write_file(const char *text)
{
	snprintf(path, sizeof path, "/tmp/test_csv_columns.XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror("test_csv_columns");
		exit(2);
	}
	close(fd);
}

static void test_found(void)
{
	write_file("a,b,c,b\n1,2,3,4\n");
	static const char *const want[] = { "c", "b", "x" };
	static const char *const req[] = { "a", "c", NULL };
	struct angka_csv_reader *r;
	const struct angka_csv_record *h, *rec;
	struct angka_error e = { 0 };
	int idx[3];
	struct angka_csv_opts o = ANGKA_CSV_CANONICAL;
	mu_check_int(angka_csv_open_columns(&r, &h, path, &o, want, 3, idx, req,
	                                    NULL, &e), ANGKA_OK);
	mu_check_int(h->nfields, 4);
	mu_check_int(idx[0], 2);
	mu_check_int(idx[1], 1);     /* the first of two 'b' */
	mu_check_int(idx[2], -1);
	mu_check_int(angka_csv_column(h, "a"), 0);
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	mu_check_str(rec->field[3], "4");
	mu_check_int(rec->line, 2);
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 0);
	mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);
	unlink(path);
}

static void test_missing(void)
{
	write_file("a,b\n1,2\n");
	static const char *const req[] = { "a", "zz", NULL };
	struct angka_csv_reader *r = (struct angka_csv_reader *)&r;
	const struct angka_csv_record *h;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_open_columns(&r, &h, path, NULL, NULL, 0, NULL, req,
	                                    "poverty lines expected", &e),
	             ANGKA_ESCHEMA);
	mu_check(r == NULL);
	char want[128];
	snprintf(want, sizeof want, "'%s':1: missing column 'zz' (poverty lines "
	         "expected)", path);
	mu_check_str(e.msg, want);
	unlink(path);
}

static void test_empty(void)
{
	write_file("");
	struct angka_csv_reader *r;
	const struct angka_csv_record *h;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_open_columns(&r, &h, path, NULL, NULL, 0, NULL,
	                                    NULL, NULL, &e), ANGKA_ESCHEMA);
	mu_check(r == NULL);
	char want[128];
	snprintf(want, sizeof want, "'%s': empty file (no header)", path);
	mu_check_str(e.msg, want);
	unlink(path);
}

static void test_no_file(void)
{
	struct angka_csv_reader *r;
	const struct angka_csv_record *h;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_open_columns(&r, &h, "/nonexistent/x.csv", NULL,
	                                    NULL, 0, NULL, NULL, NULL, &e),
	             ANGKA_EIO);
	mu_check(r == NULL);
}

int main(void)
{
	mu_run(test_found);
	mu_run(test_missing);
	mu_run(test_empty);
	mu_run(test_no_file);
	return mu_report("test_csv_columns");
}
