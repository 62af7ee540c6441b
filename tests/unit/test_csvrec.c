/*
 * test_csvrec.c - the small RFC 4180 reader of xlsx_out.h (the writer's
 * temporary CSV, the driver's report): fixed cases with their expected
 * fields, f read no further than the record's end, and random texts of
 * the bytes that matter (, " CR LF) compared record by record with a
 * plain byte-by-byte reader written here from the same rules.
 */
#include "xlsx_out.h"
#include "minunit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reference: one getc at a time. Fields joined with '|' into out
 * (each field's length first, so '|' in a field cannot mislead). */
static int ref_read(FILE *f, char *out, size_t cap)
{
	size_t o = 0, flen = 0;
	char field[4096];
	int c = getc(f);
	if (c == EOF)
		return 0;
	int quoted = 0;
#define PUT(ch) do { if (flen < sizeof field) field[flen++] = (char)(ch); } while (0)
#define END() do { o += (size_t)snprintf(out + o, cap - o, "%zu:%.*s|", \
	flen, (int)flen, field); flen = 0; } while (0)
	for (;; c = getc(f)) {
		if (quoted) {
			if (c == EOF)
				break;
			if (c == '"') {
				int d = getc(f);
				if (d == '"') {
					PUT('"');
					continue;
				}
				quoted = 0;
				if (d == EOF)
					break;
				c = d;
			} else {
				PUT(c);
				continue;
			}
		}
		if (c == EOF || c == '\n')
			break;
		if (c == '"' && flen == 0) {
			quoted = 1;
		} else if (c == ',') {
			END();
		} else if (c == '\r') {
			int d = getc(f);
			if (d == '\n' || d == EOF)
				break;
			ungetc(d, f);
			PUT('\r');
		} else {
			PUT(c);
		}
	}
	END();
#undef PUT
#undef END
	return 1;
}

static void joined(const struct angka_csvrec *r, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < r->n; i++)
		o += (size_t)snprintf(out + o, cap - o, "%zu:%.*s|", r->flen[i],
		                      (int)r->flen[i], angka_csvrec_field(r, i));
}

/* Every record of text, by both readers. */
static void compare(const char *text, size_t n)
{
	FILE *a = fmemopen((void *)text, n, "rb");
	FILE *b = fmemopen((void *)text, n, "rb");
	if (!a || !b) {
		mu_fail("fmemopen");
		return;
	}
	struct angka_csvrec r = { 0 };
	char want[16384], got[16384];
	for (int k = 0;; k++) {
		int ga = angka_csvrec_read(a, &r);
		int gb = ref_read(b, want, sizeof want);
		mu_check_msg(ga == gb, "record %d of '%.*s': %d, expected %d", k,
		             (int)n, text, ga, gb);
		if (ga != 1 || gb != 1)
			break;
		joined(&r, got, sizeof got);
		mu_check_msg(strcmp(got, want) == 0, "record %d of '%.*s': %s, "
		             "expected %s", k, (int)n, text, got, want);
		/* The next record starts at the same byte for both. */
		mu_check_int(ftell(a), ftell(b));
	}
	angka_csvrec_free(&r);
	fclose(a);
	fclose(b);
}

static void test_fixed(void)
{
	static const struct {
		const char *s;
		const char *want;   /* first record, joined */
	} t[] = {
		{ "a,b,c\n", "1:a|1:b|1:c|" },
		{ "a,b,c", "1:a|1:b|1:c|" },
		{ "a,,\r\n", "1:a|0:|0:|" },
		{ "\"x,y\",\"he said \"\"hi\"\"\"\n", "3:x,y|12:he said \"hi\"|" },
		{ "\"two\nlines\",z\n", "9:two\nlines|1:z|" },
		{ "a\rb,c\n", "3:a\rb|1:c|" },
		{ "ab\"c,d\n", "4:ab\"c|1:d|" },
		{ "\"ab\"cd,e\n", "4:abcd|1:e|" },
		{ "\"open\n", "5:open\n|" },
		{ "x\r", "1:x|" },
		{ "\n", "0:|" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		FILE *f = fmemopen((void *)t[i].s, strlen(t[i].s), "rb");
		struct angka_csvrec r = { 0 };
		char got[256];
		mu_check_int(angka_csvrec_read(f, &r), 1);
		joined(&r, got, sizeof got);
		mu_check_msg(strcmp(got, t[i].want) == 0, "'%s': %s, expected %s",
		             t[i].s, got, t[i].want);
		angka_csvrec_free(&r);
		fclose(f);
		compare(t[i].s, strlen(t[i].s));
	}
}

/* f is read to the record's end only: the next getc is the next record,
 * and one angka_csvrec goes from one file to another. */
static void test_no_read_ahead(void)
{
	static const char one[] = "h1,h2\n\"a\nb\",c\r\nrest";
	static const char two[] = "x,y\n";
	FILE *f = fmemopen((void *)one, sizeof one - 1, "rb");
	FILE *g = fmemopen((void *)two, sizeof two - 1, "rb");
	struct angka_csvrec r = { 0 };
	mu_check_int(angka_csvrec_read(f, &r), 1);
	mu_check_int(angka_csvrec_read(f, &r), 1);
	mu_check_int(r.n, 2);
	mu_check_str(angka_csvrec_field(&r, 0), "a\nb");
	mu_check_str(angka_csvrec_field(&r, 1), "c");
	mu_check_str(angka_csvrec_field(&r, 2), "");
	mu_check_int(getc(f), 'r');
	mu_check_int(angka_csvrec_read(g, &r), 1);
	mu_check_str(angka_csvrec_field(&r, 0), "x");
	mu_check_int(angka_csvrec_find(&r, "y"), 1);
	mu_check_int(angka_csvrec_read(g, &r), 0);
	angka_csvrec_free(&r);
	fclose(f);
	fclose(g);
}

/* Random texts of a, ',', '"', CR and LF, 0 to 40 bytes, with or
 * without a final newline. */
static void test_random(void)
{
	static const char alpha[] = "a,\"\r\nb";
	unsigned long s = 12345;
	char text[64];
	int checks = mu_checks;
	for (int k = 0; k < 200000; k++) {
		s = s * 6364136223846793005UL + 1442695040888963407UL;
		size_t n = (size_t)(s >> 33) % 41;
		for (size_t i = 0; i < n; i++) {
			s = s * 6364136223846793005UL + 1442695040888963407UL;
			text[i] = alpha[(s >> 33) % (sizeof alpha - 1)];
		}
		compare(text, n);
	}
	mu_check(mu_checks - checks > 200000);
}

int main(void)
{
	mu_run(test_fixed);
	mu_run(test_no_read_ahead);
	mu_run(test_random);
	return mu_report("test_csvrec");
}
