/*
 * test_csv_reader.c - angka_csv_reader over temporary files: table-driven
 * cases (input bytes -> expected records with line, nlines, flags, fields),
 * then the cases that need bigger or special inputs (1 MB field, gzip,
 * truncated/corrupt gzip, unterminated quote, 300k rows across the 1 MiB
 * chunk boundary, stdin), the helper functions, and a replay of the fuzz
 * regression files and seed corpus.
 */
#include "minunit.h"

#include "csv_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* The fuzz target, for replaying its regression files. */
#include "../fuzz/fuzz_csv_reader.h"
#include "replay.h"

#define MAXREC 8

struct exp_rec {
	long line, nlines;
	unsigned flags;
	const char *fields;   /* joined by '|' ('|' is never in the data here) */
};

struct rcase {
	const char *name;
	const char *in;
	size_t inlen;         /* 0: strlen(in) */
	char delim;           /* 0: sniff */
	enum angka_encoding enc;
	char want_delim;
	long blank;
	int nrec;
	struct exp_rec rec[MAXREC];
};

enum { T = ANGKA_CSV_REC_TRANSCODED, B = ANGKA_CSV_REC_BADUTF8,
       N = ANGKA_CSV_REC_NUL };

static const struct rcase cases[] = {
	{ "empty file", "", 0, 0, 0, 0, 0, 0, { { 0, 0, 0, NULL } } },
	{ "only a newline", "\n", 0, 0, 0, 0, 1, 0, { { 0, 0, 0, NULL } } },
	{ "header only", "a,b,c\n", 0, 0, 0, ',', 0, 1, { { 1, 1, 0, "a|b|c" } } },
	{ "header only, no final newline", "a,b,c", 0, 0, 0, ',', 0, 1,
	  { { 1, 1, 0, "a|b|c" } } },
	{ "quoted newline", "h1,h2\n\"x\ny\",2\n3,4\n\"p\nq\nr\",5\n6,7\n", 0, 0, 0,
	  ',', 0, 5,
	  { { 1, 1, 0, "h1|h2" }, { 2, 2, 0, "x\ny|2" }, { 4, 1, 0, "3|4" },
	    { 5, 3, 0, "p\nq\nr|5" }, { 8, 1, 0, "6|7" } } },
	{ "quoted newline in a later field", "a,b\n1,\"x\n\ny\"\n2,3\n", 0, 0, 0,
	  ',', 0, 3,
	  { { 1, 1, 0, "a|b" }, { 2, 3, 0, "1|x\n\ny" }, { 5, 1, 0, "2|3" } } },
	{ "BOM", "\xEF\xBB\xBF" "a,b\n1,2\n", 0, 0, 0, ',', 0, 2,
	  { { 1, 1, 0, "a|b" }, { 2, 1, 0, "1|2" } } },
	{ "BOM and CRLF", "\xEF\xBB\xBF" "a;b\r\n1;2\r\n", 0, 0, 0, ';', 0, 2,
	  { { 1, 1, 0, "a|b" }, { 2, 1, 0, "1|2" } } },
	{ "CRLF", "a,b\r\n1,2\r\n3,4", 0, 0, 0, ',', 0, 3,
	  { { 1, 1, 0, "a|b" }, { 2, 1, 0, "1|2" }, { 3, 1, 0, "3|4" } } },
	{ "CRLF with a quoted CRLF", "a,b\r\n\"x\r\ny\",2\r\n3,4\r\n", 0, 0, 0,
	  ',', 0, 3,
	  { { 1, 1, 0, "a|b" }, { 2, 2, 0, "x\r\ny|2" }, { 4, 1, 0, "3|4" } } },
	{ "lone CR", "a,b\r1,2\r3,4", 0, 0, 0, ',', 0, 3,
	  { { 1, 1, 0, "a|b" }, { 2, 1, 0, "1|2" }, { 3, 1, 0, "3|4" } } },
	{ "lone CR with a quoted CR", "a,b\r\"x\ry\",2\r3,4\r", 0, 0, 0, ',', 0, 3,
	  { { 1, 1, 0, "a|b" }, { 2, 2, 0, "x\ry|2" }, { 4, 1, 0, "3|4" } } },
	{ "no final newline", "a,b\n1,2", 0, 0, 0, ',', 0, 2,
	  { { 1, 1, 0, "a|b" }, { 2, 1, 0, "1|2" } } },
	{ "blank lines", "a,b\n\n1,2\n\n\n3,4\n\n", 0, 0, 0, ',', 4, 3,
	  { { 1, 1, 0, "a|b" }, { 3, 1, 0, "1|2" }, { 6, 1, 0, "3|4" } } },
	{ "blank lines CRLF", "\r\na,b\r\n\r\n1,2\r\n", 0, 0, 0, ',', 2, 2,
	  { { 2, 1, 0, "a|b" }, { 4, 1, 0, "1|2" } } },
	{ "blank lines lone CR", "a,b\r\r1,2\r", 0, 0, 0, ',', 1, 2,
	  { { 1, 1, 0, "a|b" }, { 3, 1, 0, "1|2" } } },
	{ "empty fields", "a,b,c\n,,\n", 0, 0, 0, ',', 0, 2,
	  { { 1, 1, 0, "a|b|c" }, { 2, 1, 0, "||" } } },
	{ "spaces kept", "a , b\n\" x \", y \n", 0, 0, 0, ',', 0, 2,
	  { { 1, 1, 0, "a | b" }, { 2, 1, 0, " x | y " } } },
	{ "doubled quotes", "a\n\"q\"\"q\"\n\"\"\"\"\n", 0, 0, 0, ',', 0, 3,
	  { { 1, 1, 0, "a" }, { 2, 1, 0, "q\"q" }, { 3, 1, 0, "\"" } } },
	{ "NUL byte", "a,b\n1,x\0y\n2,3\n", 14, 0, 0, ',', 0, 3,
	  { { 1, 1, 0, "a|b" }, { 2, 1, N, "1|x\0y" }, { 3, 1, 0, "2|3" } } },
	{ "Windows-1252 transcoded", "nama,kota\nJos\xE9,Bogor\n\x80,\x81\x9F\n",
	  0, 0, ANGKA_ENC_AUTO, ',', 0, 3,
	  { { 1, 1, 0, "nama|kota" }, { 2, 1, T, "Jos\xC3\xA9|Bogor" },
	    { 3, 1, T, "\xE2\x82\xAC|\xEF\xBF\xBD\xC5\xB8" } } },
	{ "valid UTF-8 kept", "nama\nJos\xC3\xA9\n\xE2\x82\xAC\n", 0, 0,
	  ANGKA_ENC_AUTO, ',', 0, 3,
	  { { 1, 1, 0, "nama" }, { 2, 1, 0, "Jos\xC3\xA9" },
	    { 3, 1, 0, "\xE2\x82\xAC" } } },
	{ "encoding utf-8 flags", "nama\nJos\xE9\nok\n", 0, 0, ANGKA_ENC_UTF8,
	  ',', 0, 3,
	  { { 1, 1, 0, "nama" }, { 2, 1, B, "Jos\xE9" }, { 3, 1, 0, "ok" } } },
	{ "encoding windows-1252 always", "nama\nJos\xC3\xA9\n", 0, 0,
	  ANGKA_ENC_CP1252, ',', 0, 2,
	  { { 1, 1, 0, "nama" }, { 2, 1, T, "Jos\xC3\x83\xC2\xA9" } } },
	{ "semicolon inside quotes", "a;b\n\"x;y\";2\n\"1,5\";\"3\"\n", 0, 0, 0,
	  ';', 0, 3,
	  { { 1, 1, 0, "a|b" }, { 2, 1, 0, "x;y|2" }, { 3, 1, 0, "1,5|3" } } },
	{ "sniff comma", "a,b,c\n1,2,3\n", 0, 0, 0, ',', 0, 2,
	  { { 1, 1, 0, "a|b|c" }, { 2, 1, 0, "1|2|3" } } },
	{ "sniff semicolon with decimal commas", "kode;nilai\n1;5,32\n2;6,1\n", 0,
	  0, 0, ';', 0, 3,
	  { { 1, 1, 0, "kode|nilai" }, { 2, 1, 0, "1|5,32" }, { 3, 1, 0, "2|6,1" } } },
	{ "sniff pipe", "a|b\n1|2\n", 0, 0, 0, '|', 0, 2,
	  { { 1, 1, 0, "a|b" }, { 2, 1, 0, "1|2" } } },
	{ "sniff tab", "a\tb\n1,5\t2\n", 0, 0, 0, '\t', 0, 2,
	  { { 1, 1, 0, "a|b" }, { 2, 1, 0, "1,5|2" } } },
	{ "sniff semicolon under a title with commas",
	  "Tabel 1, Jumlah, Persen\nkode;nama;x\n1;2;3\n4;5;6\n", 0, 0, 0, ';', 0, 4,
	  { { 1, 1, 0, "Tabel 1, Jumlah, Persen" }, { 2, 1, 0, "kode|nama|x" },
	    { 3, 1, 0, "1|2|3" }, { 4, 1, 0, "4|5|6" } } },
	{ "fixed delimiter", "a;b,c\n", 0, ',', 0, ',', 0, 1,
	  { { 1, 1, 0, "a;b|c" } } },
};

/* ---- helpers ---- */

static char tmpdir[4096];

static void make_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/test_csv_reader.XXXXXX",
	         t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(1);
	}
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	if (!d)
		return;
	struct dirent *de;
	char p[8192];
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(p, sizeof p, "%s/%s", tmpdir, de->d_name);
			unlink(p);
		}
	closedir(d);
	rmdir(tmpdir);
}

/* Write data to a new file in tmpdir; returns its path (static ring). */
static const char *write_tmp(const void *data, size_t len)
{
	static char paths[8][8192];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, 8192, "%s/in.XXXXXX", tmpdir);
	int fd = mkstemp(p);
	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len) || close(fd)) {
		perror("write_tmp");
		exit(1);
	}
	return p;
}

static const char *write_gz(const void *data, size_t len)
{
	const char *p = write_tmp("", 0);
	gzFile gz = gzopen(p, "wb");
	if (!gz || (len && gzwrite(gz, data, (unsigned)len) != (int)len) ||
	    gzclose(gz) != Z_OK) {
		fprintf(stderr, "write_gz failed\n");
		exit(1);
	}
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (fread(b, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* Join a record's fields with '|' into buf (cap >= 4096). */
static size_t join(const struct angka_csv_record *rec, char *buf, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < rec->nfields; i++) {
		if (i && o < cap)
			buf[o++] = '|';
		size_t n = rec->len[i] < cap - o ? rec->len[i] : cap - o;
		memcpy(buf + o, rec->field[i], n);
		o += n;
	}
	return o;
}

/* ---- table-driven cases ---- */

static void test_table(void)
{
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		const struct rcase *k = &cases[c];
		size_t inlen = k->inlen ? k->inlen : strlen(k->in);
		const char *path = write_tmp(k->in, inlen);
		struct angka_csv_opts o = { .delim = k->delim, .encoding = k->enc };
		struct angka_csv_reader *r;
		struct angka_error e = { 0 };
		mu_check_int(angka_csv_reader_open(&r, path, &o, &e), ANGKA_OK);
		const struct angka_csv_record *rec;
		int n = 0, got;
		while ((got = angka_csv_reader_next(r, &rec, &e)) > 0) {
			if (n >= k->nrec) {
				n++;
				continue;
			}
			const struct exp_rec *x = &k->rec[n++];
			char buf[4096];
			size_t len = join(rec, buf, sizeof buf);
			size_t xlen = strlen(x->fields);
			if (rec->flags & ANGKA_CSV_REC_NUL)
				xlen = len;  /* "x\0y": compare the bytes */
			mu_check_msg(len == xlen && memcmp(buf, x->fields, len) == 0,
			             "%s: record %d is '%.*s', expected '%s'", k->name,
			             n, (int)len, buf, x->fields);
			mu_check_msg(rec->line == x->line, "%s: record %d line %ld, "
			             "expected %ld", k->name, n, rec->line, x->line);
			mu_check_msg(rec->nlines == x->nlines, "%s: record %d nlines "
			             "%ld, expected %ld", k->name, n, rec->nlines,
			             x->nlines);
			mu_check_msg(rec->flags == x->flags, "%s: record %d flags %u, "
			             "expected %u", k->name, n, rec->flags, x->flags);
			mu_check(rec->field[rec->nfields] == NULL);
			for (size_t i = 0; i < rec->nfields; i++)
				mu_check(rec->field[i][rec->len[i]] == '\0');
		}
		mu_check_msg(got == 0, "%s: next returned %d: %s", k->name, got,
		             e.msg);
		mu_check_msg(n == k->nrec, "%s: %d records, expected %d", k->name,
		             n, k->nrec);
		mu_check_msg(angka_csv_reader_blank_lines(r) == k->blank,
		             "%s: %ld blank lines, expected %ld", k->name,
		             angka_csv_reader_blank_lines(r), k->blank);
		if (k->want_delim)
			mu_check_msg(angka_csv_reader_delim(r) == k->want_delim,
			             "%s: delimiter '%c', expected '%c'", k->name,
			             angka_csv_reader_delim(r), k->want_delim);
		mu_check_int(angka_csv_reader_bytes(r), inlen);
		mu_check_str(angka_csv_reader_name(r), path);
		mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);
	}
}

/* Read all of path; returns the next/close error code (ANGKA_OK if none),
 * with *nrec records seen and e set. */
static enum angka_err read_all(const char *path, const struct angka_csv_opts *o,
                               long *nrec, struct angka_error *e)
{
	struct angka_csv_reader *r;
	*nrec = 0;
	enum angka_err rc = angka_csv_reader_open(&r, path, o, e);
	if (rc != ANGKA_OK)
		return rc;
	const struct angka_csv_record *rec;
	int got;
	while ((got = angka_csv_reader_next(r, &rec, e)) > 0)
		(*nrec)++;
	if (got < 0) {
		angka_csv_reader_free(r);
		return e->code;
	}
	return angka_csv_reader_close(r, e);
}

/* ---- special inputs ---- */

static void test_big_field(void)
{
	size_t big = (size_t)1 << 20;
	size_t len = 2 + 1 + big + 2 + 4;
	char *in = malloc(len + 1);
	memcpy(in, "h\n\"", 3);
	memset(in + 3, 'x', big);
	in[3 + 500000] = '\n';   /* one quoted newline inside */
	memcpy(in + 3 + big, "\"\n2\n", 4);
	len = 3 + big + 4;
	const char *path = write_tmp(in, len);
	struct angka_csv_reader *r;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_reader_open(&r, path, NULL, &e), ANGKA_OK);
	const struct angka_csv_record *rec;
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	mu_check_int(rec->line, 1);
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	mu_check_int(rec->nfields, 1);
	mu_check_int(rec->len[0], big);
	mu_check_int(rec->line, 2);
	mu_check_int(rec->nlines, 2);
	mu_check(memcmp(rec->field[0], in + 3, big) == 0);
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	mu_check_int(rec->line, 4);
	mu_check_str(rec->field[0], "2");
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 0);
	mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);

	/* Over the record limit: ANGKA_ENOMEM naming file and line. */
	struct angka_csv_opts o = { .max_record_bytes = 1000 };
	long n;
	mu_check_int(read_all(path, &o, &n, &e), ANGKA_ENOMEM);
	mu_check_int(n, 1);
	mu_check_msg(strstr(e.msg, path) && strstr(e.msg, ":2:"), "msg: %s", e.msg);

	/* Over the field limit while the field is still open (no line
	 * end in reach): the rows before it, then the error, on both
	 * paths. */
	for (int lib = 0; lib < 2; lib++) {
		struct angka_csv_opts fo = { .max_field_bytes = 1000,
		                             .libcsv_only = lib };
		mu_check_int(read_all(path, &fo, &n, &e), ANGKA_ENOMEM);
		mu_check_int(n, 1);
		mu_check_msg(strstr(e.msg, ":2: field longer than the limit of "
		                    "1000 bytes"), "msg: %s", e.msg);
	}
	free(in);

	/* More fields than the limit, fast path and libcsv alike. */
	const char *wide = "a,b\n1,2\n1,2,3\n";
	path = write_tmp(wide, strlen(wide));
	for (int lib = 0; lib < 2; lib++) {
		struct angka_csv_opts wo = { .max_fields = 2, .libcsv_only = lib };
		mu_check_int(read_all(path, &wo, &n, &e), ANGKA_ENOMEM);
		mu_check_int(n, 2);
		mu_check_msg(strstr(e.msg, ":3: record with more than the limit "
		                    "of 2 fields"), "msg: %s", e.msg);
	}
}

static void test_gzip(void)
{
	const char *text = "a;b\r\n1;Jos\xE9\r\n\"x\ny\";3\r\n";
	const char *path = write_gz(text, strlen(text));
	struct angka_csv_reader *r;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_reader_open(&r, path, NULL, &e), ANGKA_OK);
	const struct angka_csv_record *rec;
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	mu_check_int(angka_csv_reader_delim(r), ';');
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	mu_check_str(rec->field[1], "Jos\xC3\xA9");
	mu_check_int(rec->flags, ANGKA_CSV_REC_TRANSCODED);
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	mu_check_str(rec->field[0], "x\ny");
	mu_check_int(rec->line, 3);
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 0);
	mu_check_int(angka_csv_reader_bytes(r), strlen(text));
	mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);

	/* An empty gzip member. */
	path = write_gz("", 0);
	long n;
	mu_check_int(read_all(path, NULL, &n, &e), ANGKA_OK);
	mu_check_int(n, 0);
}

/* Rows "i,name_i,q" with a quoted two-line field on every 1000th row. */
static char *many_rows(long nrows, const char *eol, size_t *len)
{
	size_t cap = (size_t)nrows * 48 + 64, o = 0;
	char *s = malloc(cap);
	o += (size_t)sprintf(s + o, "id,nama,catatan%s", eol);
	for (long i = 1; i <= nrows; i++) {
		if (i % 1000 == 0)
			o += (size_t)sprintf(s + o, "%ld,nama_%ld,\"baris%sdua\"%s", i,
			                     i, eol, eol);
		else
			o += (size_t)sprintf(s + o, "%ld,nama_%ld,c%ld%s", i, i, i % 7,
			                     eol);
	}
	*len = o;
	return s;
}

static void check_many(const char *path, long nrows, const char *eol, int gz)
{
	struct angka_csv_reader *r;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_reader_open(&r, path, NULL, &e), ANGKA_OK);
	const struct angka_csv_record *rec;
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	long line = 2, bad = 0;
	char want[64], want2[64];
	for (long i = 1; i <= nrows; i++) {
		if (angka_csv_reader_next(r, &rec, &e) != 1) {
			mu_fail("%s: row %ld missing: %s", eol[1] ? "CRLF" : "LF", i,
			        e.msg);
			break;
		}
		snprintf(want, sizeof want, "%ld", i);
		snprintf(want2, sizeof want2, "nama_%ld", i);
		int ok = rec->nfields == 3 && rec->line == line &&
		         strcmp(rec->field[0], want) == 0 &&
		         strcmp(rec->field[1], want2) == 0;
		if (i % 1000 == 0) {
			snprintf(want, sizeof want, "baris%sdua", eol);
			ok = ok && rec->nlines == 2 && strcmp(rec->field[2], want) == 0;
			line += 2;
		} else {
			snprintf(want, sizeof want, "c%ld", i % 7);
			ok = ok && rec->nlines == 1 && strcmp(rec->field[2], want) == 0;
			line += 1;
		}
		if (!ok && bad++ < 5)
			mu_fail("%s%s: row %ld at line %ld (expected %ld): '%s,%s,%s'",
			        eol[1] ? "CRLF" : "LF", gz ? " gzip" : "", i, rec->line,
			        line, rec->field[0],
			        rec->nfields > 1 ? rec->field[1] : "",
			        rec->nfields > 2 ? rec->field[2] : "");
	}
	mu_check_int(bad, 0);
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 0);
	mu_check_int(angka_csv_reader_blank_lines(r), 0);
	mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);
}

static void test_many_rows(void)
{
	long nrows = 300000;
	size_t len;
	char *s = many_rows(nrows, "\n", &len);
	mu_check(len > 3 * ((size_t)1 << 20));
	check_many(write_tmp(s, len), nrows, "\n", 0);
	check_many(write_gz(s, len), nrows, "\n", 1);
	free(s);
	s = many_rows(nrows, "\r\n", &len);
	check_many(write_tmp(s, len), nrows, "\r\n", 0);
	free(s);
}

/* A CRLF split exactly at the 1 MiB chunk boundary, and a quoted field
 * across it. */
static void test_chunk_boundary(void)
{
	size_t chunk = (size_t)1 << 20;
	for (int variant = 0; variant < 3; variant++) {
		size_t len = chunk + 64;
		char *s = malloc(len);
		memset(s, 'a', len);
		memcpy(s, "h\r\n", 3);
		/* row 2: a long field ending at the boundary */
		size_t at = chunk - (variant == 0 ? 1 : variant == 1 ? 0 : 2);
		memcpy(s + at, "\r\n\"q\r\nq\"\r\nz\r\n", 13);
		len = at + 13;
		const char *path = write_tmp(s, len);
		struct angka_csv_reader *r;
		struct angka_error e = { 0 };
		mu_check_int(angka_csv_reader_open(&r, path, NULL, &e), ANGKA_OK);
		const struct angka_csv_record *rec;
		mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
		mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
		mu_check_int(rec->line, 2);
		mu_check_int(rec->len[0], at - 3);
		mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
		mu_check_int(rec->line, 3);
		mu_check_int(rec->nlines, 2);
		mu_check_str(rec->field[0], "q\r\nq");
		mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
		mu_check_int(rec->line, 5);
		mu_check_str(rec->field[0], "z");
		mu_check_int(angka_csv_reader_next(r, &rec, &e), 0);
		mu_check_int(angka_csv_reader_blank_lines(r), 0);
		mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);
		free(s);
	}
}

static void test_truncated_gzip(void)
{
	/* Small (one chunk) and large (several chunks) streams. */
	for (int big = 0; big < 2; big++) {
		size_t len;
		char *s = many_rows(big ? 200000 : 50, "\n", &len);
		const char *gz = write_gz(s, len);
		size_t glen;
		char *g = slurp(gz, &glen);
		for (int cut = 0; cut < 3; cut++) {
			/* cut off the trailer only, half, or all but the header */
			size_t keep = cut == 0 ? glen - 4 : cut == 1 ? glen / 2 : 20;
			const char *path = write_tmp(g, keep);
			long n;
			struct angka_error e = { 0 };
			enum angka_err rc = read_all(path, NULL, &n, &e);
			mu_check_msg(rc == ANGKA_EGZIP, "big %d cut %d: rc %d (%s)", big,
			             cut, rc, e.msg);
			mu_check_msg(strstr(e.msg, path) && strstr(e.msg, "truncated"),
			             "msg: %s", e.msg);
		}
		free(g);
		free(s);
	}
}

static void test_corrupt_gzip(void)
{
	size_t len;
	char *s = many_rows(2000, "\n", &len);
	const char *gz = write_gz(s, len);
	size_t glen;
	char *g = slurp(gz, &glen);
	for (int where = 0; where < 3; where++) {
		char *c = malloc(glen);
		memcpy(c, g, glen);
		if (where == 0)
			memset(c + 20, 0xFF, 16);        /* deflate data */
		else if (where == 1)
			c[glen - 6] ^= 0x55;             /* CRC32 trailer */
		else
			c[glen - 2] ^= 0x01;             /* ISIZE trailer */
		const char *path = write_tmp(c, glen);
		long n;
		struct angka_error e = { 0 };
		enum angka_err rc = read_all(path, NULL, &n, &e);
		mu_check_msg(rc == ANGKA_EGZIP, "where %d: rc %d (%s)", where, rc,
		             e.msg);
		mu_check_msg(strstr(e.msg, path) != NULL, "msg: %s", e.msg);
		free(c);
	}
	free(g);
	free(s);
}

static void test_unterminated_quote(void)
{
	static const struct {
		const char *in;
		long nrec;
		const char *where;
	} t[] = {
		{ "a,b\n1,\"open\nmore\n", 1, ":4: unterminated quoted field at end "
		  "of file (opened at line 2)" },
		{ "a,b\n\"x\ny\",\"open", 1, ":3: unterminated quoted field at end "
		  "of file (opened at line 3)" },
		{ "a\r\"x\ry\r\nz", 1, ":4: unterminated quoted field at end "
		  "of file (opened at line 2)" },
		{ "\"", 0, ":1: unterminated quoted field at end of file (opened at "
		  "line 1)" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		const char *path = write_tmp(t[i].in, strlen(t[i].in));
		long n;
		struct angka_error e = { 0 };
		mu_check_int(read_all(path, NULL, &n, &e), ANGKA_ECSV);
		mu_check_int(n, t[i].nrec);
		mu_check_msg(strstr(e.msg, path) && strstr(e.msg, t[i].where),
		             "msg: %s (expected ...%s)", e.msg, t[i].where);
	}
	/* A stray quote inside an unquoted field is data, not an error. */
	const char *path = write_tmp("a,b\n5\"x,2\n", 10);
	long n;
	struct angka_error e = { 0 };
	mu_check_int(read_all(path, NULL, &n, &e), ANGKA_OK);
	mu_check_int(n, 2);
}

static void test_stdin_and_missing(void)
{
	const char *path = write_tmp("k;v\n1;2\n", 8);
	int saved = dup(STDIN_FILENO);
	int fd = open(path, O_RDONLY);
	dup2(fd, STDIN_FILENO);
	close(fd);
	struct angka_csv_reader *r;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_reader_open(&r, "-", NULL, &e), ANGKA_OK);
	mu_check_str(angka_csv_reader_name(r), "<stdin>");
	const struct angka_csv_record *rec;
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	mu_check_str(rec->field[1], "2");
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 0);
	mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);
	dup2(saved, STDIN_FILENO);
	close(saved);

	char missing[8300];
	snprintf(missing, sizeof missing, "%s/no-such-file.csv", tmpdir);
	r = NULL;
	mu_check_int(angka_csv_reader_open(&r, missing, NULL, &e), ANGKA_EIO);
	mu_check(r == NULL);
	mu_check_msg(strstr(e.msg, "no-such-file.csv") &&
	             strstr(e.msg, "No such file"), "msg: %s", e.msg);
	angka_csv_reader_free(NULL);
	mu_check_int(angka_csv_reader_close(NULL, &e), ANGKA_OK);
}

/* Stopping early (after the header) must not report an error at close. */
static void test_early_close(void)
{
	size_t len;
	char *s = many_rows(100000, "\n", &len);
	const char *path = write_gz(s, len);
	struct angka_csv_reader *r;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_reader_open(&r, path, NULL, &e), ANGKA_OK);
	const struct angka_csv_record *rec;
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	angka_csv_reader_free(r);
	free(s);
}

/* ---- helper functions ---- */

static void test_utf8_valid(void)
{
	static const struct { const char *s; int ok; } t[] = {
		{ "", 1 }, { "abc", 1 }, { "\xC3\xA9", 1 }, { "\xE2\x82\xAC", 1 },
		{ "\xF0\x9F\x98\x80", 1 }, { "\xF4\x8F\xBF\xBF", 1 },
		{ "\xC3", 0 }, { "\xE2\x82", 0 }, { "\xC0\x80", 0 }, { "\xC1\xBF", 0 },
		{ "\xE0\x80\x80", 0 }, { "\xED\xA0\x80", 0 }, { "\xF4\x90\x80\x80", 0 },
		{ "\xF5\x80\x80\x80", 0 }, { "\x80", 0 }, { "\xE9", 0 },
		{ "a\xC3\xA9" "b\xFF", 0 }, { "\xEF\xBB\xBF", 1 },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		mu_check_msg(angka_utf8_valid(t[i].s, strlen(t[i].s)) == t[i].ok,
		             "case %zu", i);
}

static void test_cp1252(void)
{
	static const struct { const char *in, *out; } t[] = {
		{ "", "" }, { "abc", "abc" }, { "\xE9", "\xC3\xA9" },
		{ "\x80", "\xE2\x82\xAC" }, { "\x81\x8D\x8F\x90\x9D",
		  "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\x92", "\xE2\x80\x99" }, { "\xA0", "\xC2\xA0" },
		{ "\xFF", "\xC3\xBF" }, { "\x9F", "\xC5\xB8" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char out[64];
		size_t n = angka_cp1252_to_utf8(t[i].in, strlen(t[i].in), out);
		mu_check_int(n, strlen(t[i].out));
		mu_check_str(out, t[i].out);
	}
}

static void test_sniff(void)
{
	static const struct { const char *in; char d; } t[] = {
		{ "", ',' }, { "abc", ',' }, { "a,b", ',' }, { "a;b", ';' },
		{ "a|b", '|' }, { "a\tb", '\t' }, { "\"a;b\",c\n1,2", ',' },
		{ "a;b;c\n1,5;2,5;3\n", ';' }, { "x,y\r\na|b\r\nc|d\r\ne|f", '|' },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		mu_check_msg(angka_csv_sniff_delim(t[i].in, strlen(t[i].in)) == t[i].d,
		             "case %zu '%s'", i, t[i].in);
}

/* ---- fuzz regressions ---- */


static void test_fuzz_regress(void)
{
	mu_check(replay_dir("tests/fuzz/regress/fuzz_csv_reader", fuzz_csv_reader_one) > 0);
	mu_check(replay_dir("tests/fuzz/corpus/fuzz_csv_reader", fuzz_csv_reader_one) > 0);
}

/* Rows split without libcsv (long unquoted lines, read eight bytes at a
 * time) and rows with quotes (libcsv) mixed: the same fields, lengths,
 * quote flags, lines and flags as libcsv gives. */
static void test_fast_path(void)
{
	static const char in[] =
		"kolom_satu,kolom_dua,kolom_tiga\n"
		"abcdefghij,\"x,y\"\"z\",klmnopqrstu\n"
		"ABCDEFGH\xC3\xA9IJKLMNOP,12345678;90,\r\n"
		"abcdefghijklmnop\0qrstuvw,x,yyyyyyyyyyyyyyyyyyyyyy\n"
		"\"multi\nline field\",abcdefghijkl,\n"
		"aaaaaaaa,bbbbbbbb,cccccccc";
	static const struct {
		long line, nlines;
		unsigned flags;
		size_t len[3];
		unsigned char q[3];
		const char *f[3];
	} want[] = {
		{ 1, 1, 0, { 10, 9, 10 }, { 0, 0, 0 },
		  { "kolom_satu", "kolom_dua", "kolom_tiga" } },
		{ 2, 1, 0, { 10, 5, 11 }, { 0, 1, 0 },
		  { "abcdefghij", "x,y\"z", "klmnopqrstu" } },
		{ 3, 1, 0, { 18, 11, 0 }, { 0, 0, 0 },
		  { "ABCDEFGH\xC3\xA9IJKLMNOP", "12345678;90", "" } },
		{ 4, 1, N, { 24, 1, 22 }, { 0, 0, 0 },
		  { "abcdefghijklmnop\0qrstuvw", "x", "yyyyyyyyyyyyyyyyyyyyyy" } },
		{ 5, 2, 0, { 16, 12, 0 }, { 1, 0, 0 },
		  { "multi\nline field", "abcdefghijkl", "" } },
		{ 7, 1, 0, { 8, 8, 8 }, { 0, 0, 0 },
		  { "aaaaaaaa", "bbbbbbbb", "cccccccc" } },
	};
	const char *path = write_tmp(in, sizeof in - 1);
	struct angka_csv_opts o = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	struct angka_csv_reader *r;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_reader_open(&r, path, &o, &e), ANGKA_OK);
	const struct angka_csv_record *rec;
	size_t n = 0;
	int got;
	while ((got = angka_csv_reader_next(r, &rec, &e)) > 0) {
		mu_check(n < sizeof want / sizeof want[0]);
		if (n >= sizeof want / sizeof want[0])
			break;
		mu_check_int(rec->nfields, 3);
		mu_check_int(rec->line, want[n].line);
		mu_check_int(rec->nlines, want[n].nlines);
		mu_check_int(rec->flags, want[n].flags);
		for (size_t i = 0; i < 3 && i < rec->nfields; i++) {
			mu_check_msg(rec->len[i] == want[n].len[i] &&
			             memcmp(rec->field[i], want[n].f[i],
			                    want[n].len[i]) == 0 &&
			             rec->field[i][rec->len[i]] == '\0',
			             "record %zu field %zu is '%s'", n + 1, i,
			             rec->field[i]);
			mu_check_msg(rec->quote[i] == want[n].q[i],
			             "record %zu field %zu quote %d", n + 1, i,
			             rec->quote[i]);
		}
		n++;
	}
	mu_check_int(got, 0);
	mu_check_int(n, sizeof want / sizeof want[0]);
	mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);

	/* Another delimiter: a comma in a field must be flagged. */
	static const char in2[] = "abcdefgh,ijklmnop;qrstuvwxyz0123\n";
	path = write_tmp(in2, sizeof in2 - 1);
	o.delim = ';';
	mu_check_int(angka_csv_reader_open(&r, path, &o, &e), ANGKA_OK);
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 1);
	mu_check_int(rec->nfields, 2);
	mu_check_int(rec->quote[0], 1);
	mu_check_int(rec->quote[1], 0);
	mu_check_str(rec->field[0], "abcdefgh,ijklmnop");
	mu_check_str(rec->field[1], "qrstuvwxyz0123");
	mu_check_int(angka_csv_reader_next(r, &rec, &e), 0);
	mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);
}


/* Rows with quoted fields on one line (quoted_row): the address of a DTKS
 * extract quoted because it holds the ';' delimiter, "" inside, an empty
 * quoted field, a quoted last field; such records never get raw. A quote
 * after text goes to libcsv, as before. */
static void test_quoted_row(void)
{
	static const char in[] =
		"a;\"JL. X; GG. Y\";c\n"
		"\"\";\"say \"\"hi\"\", ok\";\"z\"\n"
		"ab\"c;d;f\n";
	static const struct {
		const char *f[3];
		size_t len[3];
		unsigned char q[3];
	} want[] = {
		{ { "a", "JL. X; GG. Y", "c" }, { 1, 12, 1 }, { 0, 0, 0 } },
		{ { "", "say \"hi\", ok", "z" }, { 0, 12, 1 }, { 0, 1, 0 } },
		{ { "ab\"c", "d", "f" }, { 4, 1, 1 }, { 1, 0, 0 } },
	};
	const char *path = write_tmp(in, sizeof in - 1);
	struct angka_csv_opts o = { .delim = ';', .encoding = ANGKA_ENC_UTF8 };
	struct angka_csv_reader *r;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_reader_open(&r, path, &o, &e), ANGKA_OK);
	const struct angka_csv_record *rec;
	size_t n = 0;
	int got;
	while ((got = angka_csv_reader_next(r, &rec, &e)) > 0 && n < 3) {
		mu_check_int(rec->nfields, 3);
		mu_check_int(rec->line, (long)n + 1);
		mu_check(rec->raw == NULL);
		for (size_t i = 0; i < 3 && i < rec->nfields; i++) {
			mu_check_msg(rec->len[i] == want[n].len[i] &&
			             memcmp(rec->field[i], want[n].f[i],
			                    want[n].len[i]) == 0 &&
			             rec->field[i][rec->len[i]] == '\0',
			             "record %zu field %zu is '%s'", n + 1, i,
			             rec->field[i]);
			mu_check_msg(rec->quote[i] == want[n].q[i],
			             "record %zu field %zu quote %d", n + 1, i,
			             rec->quote[i]);
		}
		n++;
	}
	mu_check_int(got, 0);
	mu_check_int(n, 3);
	mu_check_int(angka_csv_reader_close(r, &e), ANGKA_OK);
}

/*
 * Differential test of the fast path: random files built from fragments that
 * stress it (quotes, doubled quotes, CR, LF, CRLF, NUL, bytes >= 0x80, the
 * four delimiters, empty lines, long fields, no final newline) are read with
 * and without the fast path; every record, flag, line number and the
 * blank-line count must be the same.
 */
static uint64_t prng_state = 20261128;
static unsigned prng(void)
{
	prng_state = prng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(prng_state >> 33);
}

static long raw_rows;   /* records with raw set, over all dumps */
static int dump_lines;  /* dump with angka_csv_reader_lines on */
static long line_rows;  /* line records, over all dumps */

/* A line record as the fast path would have split it: its fields
 * (pointing into src), their quote flags and the record's flags. */
static size_t split_line_rec(const struct angka_csv_reader *r,
                             const struct angka_csv_record *rec,
                             const char **f, size_t *fl, unsigned char *fq,
                             unsigned *flags)
{
	char d = angka_csv_reader_delim(r);
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= rec->rawlen; i++) {
		if (i < rec->rawlen && rec->src[i] != d)
			continue;
		f[k] = rec->src + start;
		fl[k] = i - start;
		fq[k] = memchr(f[k], ',', fl[k]) != NULL;
		if (!angka_utf8_valid(f[k], fl[k]))
			*flags |= ANGKA_CSV_REC_BADUTF8;
		k++;
		start = i + 1;
	}
	return k;
}

/* Read path into a canonical text dump; returns malloc'd text. */
static char *dump(const char *path, const struct angka_csv_opts *o, size_t *n)
{
	struct angka_csv_reader *r;
	struct angka_error e = { 0 };
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	if (angka_csv_reader_open(&r, path, o, &e) != ANGKA_OK) {
		len = (size_t)snprintf(out, cap, "open error %d\n", e.code);
		*n = len;
		return out;
	}
	const struct angka_csv_record *rec;
	int got;
	if (dump_lines)
		angka_csv_reader_lines(r, 1);
	static const char *lf[(1 << 20) + 2];
	static size_t ll[(1 << 20) + 2];
	static unsigned char lq[(1 << 20) + 2];
	struct angka_csv_record lrec;
	while ((got = angka_csv_reader_next(r, &rec, &e)) > 0) {
		if (rec->flags & ANGKA_CSV_REC_LINE) {
			/* Never split (no quote, NUL or line end inside),
			 * split here: the dump must match libcsv's. */
			mu_check(!rec->raw && !rec->nfields && rec->src &&
			         !memchr(rec->src, '"', rec->rawlen) &&
			         !memchr(rec->src, 0, rec->rawlen) &&
			         !memchr(rec->src, '\n', rec->rawlen) &&
			         !memchr(rec->src, '\r', rec->rawlen));
			lrec = *rec;
			lrec.flags &= ~(unsigned)ANGKA_CSV_REC_LINE;
			lrec.nfields = split_line_rec(r, rec, lf, ll, lq,
			                              &lrec.flags);
			lrec.field = lf;
			lrec.len = ll;
			lrec.quote = lq;
			rec = &lrec;
			line_rows++;
		}
		size_t need = len + 128;
		for (size_t i = 0; i < rec->nfields; i++)
			need += rec->len[i] + 32;
		while (need > cap)
			out = realloc(out, cap *= 2);
		len += (size_t)sprintf(out + len, "R %ld %ld %u %zu:", rec->line,
		                       rec->nlines, rec->flags, rec->nfields);
		for (size_t i = 0; i < rec->nfields; i++) {
			len += (size_t)sprintf(out + len, " %zu/%d/", rec->len[i],
			                       rec->quote[i]);
			memcpy(out + len, rec->field[i], rec->len[i]);
			len += rec->len[i];
		}
		out[len++] = '\n';
		/* raw, when set (fast path only, so not in the dump): the
		 * fields joined by NUL bytes, none needing quotes or NUL. */
		if (rec->raw) {
			size_t at = 0;
			int ok = 1;
			for (size_t i = 0; i < rec->nfields && ok; i++) {
				ok = at + rec->len[i] <= rec->rawlen &&
				     memcmp(rec->raw + at, rec->field[i],
				            rec->len[i]) == 0 && !rec->quote[i] &&
				     memchr(rec->field[i], 0, rec->len[i]) == NULL;
				at += rec->len[i];
				if (ok && i + 1 < rec->nfields)
					ok = rec->raw[at++] == '\0';
			}
			mu_check_msg(ok && at == rec->rawlen,
			             "raw of the record at line %ld is not its "
			             "fields joined by NUL", rec->line);
			raw_rows++;
		}
	}
	while (len + 128 > cap)
		out = realloc(out, cap *= 2);
	if (got < 0) {
		len += (size_t)sprintf(out + len, "error %d %s\n", e.code, e.msg);
		angka_csv_reader_free(r);
	} else {
		len += (size_t)sprintf(out + len, "blank %ld delim %d\n",
		                       angka_csv_reader_blank_lines(r),
		                       angka_csv_reader_delim(r));
		enum angka_err rc = angka_csv_reader_close(r, &e);
		len += (size_t)sprintf(out + len, "close %d\n", rc);
	}
	*n = len;
	return out;
}

static void test_fast_path_differential(void)
{
	static const char *const frag[] = {
		"abc", "12345", "", "x y", ",", ";", "|", "\t", "\"", "\"\"",
		"\"q,;|\"", "\r\n", "\n", "\r", "\n\n", "\xc3\xa9", "\xe9",
		"\x80", "NIK", "6311012001", " ", "\"a\nb\"", "\"a\"\"b\"",
	};
	const size_t nfrag = sizeof frag / sizeof *frag;
	char *buf = malloc(1 << 20);
	int mismatches = 0;
	for (int t = 0; t < 1500; t++) {
		size_t len = 0;
		int pieces = 1 + (int)(prng() % 400);
		for (int k = 0; k < pieces; k++) {
			const char *f;
			size_t fl;
			if (prng() % 50 == 0) {
				static char nul[1] = { 0 };
				f = nul;
				fl = 1;
			} else if (prng() % 100 == 0) {
				static char longf[3000];
				memset(longf, 'z', sizeof longf);
				f = longf;
				fl = sizeof longf;
			} else {
				f = frag[prng() % nfrag];
				fl = strlen(f);
			}
			memcpy(buf + len, f, fl);
			len += fl;
		}
		const char *path = write_tmp(buf, len);
		struct angka_csv_opts o = { 0 };
		static const char delims[] = { 0, ',', ';', '|', '\t' };
		o.delim = delims[prng() % 5];
		o.encoding = (enum angka_encoding)(prng() % 3);
		if (prng() % 10 == 0)
			o.max_record_bytes = 64;
		size_t na, nb;
		char *a = dump(path, &o, &na);
		o.libcsv_only = 1;
		char *b = dump(path, &o, &nb);
		if (na != nb || memcmp(a, b, na) != 0) {
			if (mismatches++ < 3)
				mu_fail("fast path differs from libcsv on case %d "
				        "(%zu bytes)", t, len);
		}
		mu_checks++;
		/* Line records, split by the caller: the same rows. */
		o.libcsv_only = 0;
		dump_lines = 1;
		free(a);
		a = dump(path, &o, &na);
		dump_lines = 0;
		if (na != nb || memcmp(a, b, na) != 0) {
			if (mismatches++ < 3)
				mu_fail("line records differ from libcsv on case "
				        "%d (%zu bytes)", t, len);
		}
		mu_checks++;
		free(a);
		free(b);
	}
	mu_check_int(mismatches, 0);
	mu_check(raw_rows > 1000);
	mu_check(line_rows > 1000);
	free(buf);
}

int main(void)
{
	make_tmpdir();
	mu_run(test_table);
	mu_run(test_big_field);
	mu_run(test_gzip);
	mu_run(test_many_rows);
	mu_run(test_chunk_boundary);
	mu_run(test_fast_path);
	mu_run(test_quoted_row);
	mu_run(test_fast_path_differential);
	mu_run(test_truncated_gzip);
	mu_run(test_corrupt_gzip);
	mu_run(test_unterminated_quote);
	mu_run(test_stdin_and_missing);
	mu_run(test_early_close);
	mu_run(test_utf8_valid);
	mu_run(test_cp1252);
	mu_run(test_sniff);
	mu_run(test_fuzz_regress);
	remove_tmpdir();
	return mu_report("test_csv_reader");
}
