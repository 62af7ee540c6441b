/*
 * test_csv_line.c - line records split into fields (csv_line.h): fixed
 * cases with their expected fields, flags and offsets, and every line
 * length from 0 to 300 bytes (the 64- and 16-byte steps, the last
 * overlapping 16 bytes and the byte loop) against a plain byte-by-byte
 * split.
 */
#include "csv_line.h"
#include "minunit.h"

#include <stdlib.h>
#include <string.h>

/* A line record as angka_csv_reader_lines hands it out. */
static struct angka_csv_record line_rec(const char *s, size_t n)
{
	struct angka_csv_record r = { 0 };
	r.line = 7;
	r.nlines = 1;
	r.flags = ANGKA_CSV_REC_LINE;
	r.src = s;
	r.rawlen = n;
	return r;
}

static void test_offsets_table(void)
{
	static const struct {
		const char *s;
		char delim;
		size_t nf;
		uint32_t q[8];
	} t[] = {
		{ "", ',', 1, { 0, 1 } },
		{ "a", ',', 1, { 0, 2 } },
		{ "a,b", ',', 2, { 0, 2, 4 } },
		{ ",,", ',', 3, { 0, 1, 2, 3 } },
		{ "ab,,cde,", ',', 4, { 0, 3, 4, 8, 9 } },
		{ "a,b;c", ';', 2, { 0, 4, 6 } },
		{ "x\ty\t", '\t', 3, { 0, 2, 4, 5 } },
	};
	uint32_t q[64];
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t n = strlen(t[i].s);
		size_t nf = angka_csv_line_offsets(t[i].s, n, t[i].delim, q);
		mu_check_int(nf, t[i].nf);
		for (size_t j = 0; j <= t[i].nf && j <= nf; j++)
			mu_check_msg(q[j] == t[i].q[j], "'%s': q[%zu] = %u, "
			             "expected %u", t[i].s, j, q[j], t[i].q[j]);
	}
}

static void test_record_table(void)
{
	struct angka_csv_line l = { 0 };
	l.enc = ANGKA_ENC_AUTO;
	/* Plain: the fields in one piece, raw and src set. */
	struct angka_csv_record row = line_rec("abc;;d", 6);
	const struct angka_csv_record *r = angka_csv_line_record(&l, &row, ';');
	mu_check_int(r->nfields, 3);
	mu_check_str(r->field[0], "abc");
	mu_check_str(r->field[1], "");
	mu_check_str(r->field[2], "d");
	mu_check_int(r->len[0], 3);
	mu_check_int(r->len[1], 0);
	mu_check_int(r->len[2], 1);
	mu_check_int(r->line, 7);
	mu_check_int(r->nlines, 1);
	mu_check_int(r->flags, 0);
	mu_check(r->raw && r->rawlen == 6 &&
	         memcmp(r->raw, "abc\0\0d", 6) == 0);
	mu_check(r->src == row.src);
	/* A comma under ';': that field needs quoting, no raw. */
	row = line_rec("a,b;c", 5);
	r = angka_csv_line_record(&l, &row, ';');
	mu_check_int(r->nfields, 2);
	mu_check_str(r->field[0], "a,b");
	mu_check_int(r->quote[0], 1);
	mu_check_int(r->quote[1], 0);
	mu_check(!r->raw && !r->rawlen && !r->src);
	/* Windows-1252 under AUTO: transcoded (0xE9 is U+00E9). */
	row = line_rec("caf\xE9;x", 6);
	r = angka_csv_line_record(&l, &row, ';');
	mu_check_int(r->flags, ANGKA_CSV_REC_TRANSCODED);
	mu_check_str(r->field[0], "caf\xC3\xA9");
	mu_check_int(r->len[0], 5);
	mu_check_str(r->field[1], "x");
	mu_check(!r->raw);
	/* Valid UTF-8 stays as it is, raw set. */
	row = line_rec("caf\xC3\xA9;x", 7);
	r = angka_csv_line_record(&l, &row, ';');
	mu_check_int(r->flags, 0);
	mu_check_int(r->len[0], 5);
	mu_check(r->raw != NULL);
	/* Under UTF-8 only: flagged, left in place. */
	l.enc = ANGKA_ENC_UTF8;
	row = line_rec("x,caf\xE9", 6);
	r = angka_csv_line_record(&l, &row, ',');
	mu_check_int(r->flags, ANGKA_CSV_REC_BADUTF8);
	mu_check_int(r->len[1], 4);
	mu_check(memcmp(r->field[1], "caf\xE9", 4) == 0);
	mu_check(!r->raw);
	angka_csv_line_release(&l);
}

static uint64_t prng_state = 20261205;
static unsigned prng(void)
{
	prng_state = prng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(prng_state >> 33);
}

/*
 * Lines of every length 0..300 (the block steps and the tails), a
 * delimiter, a comma or a byte >= 0x80 in about one byte of eight each,
 * split by both functions and checked against a byte-by-byte split.
 */
static void test_lengths(void)
{
	static const char delims[] = { ',', ';', '\t' };
	char s[320], want[320];
	uint32_t q[330], wq[330];
	struct angka_csv_line l = { 0 };
	l.enc = ANGKA_ENC_UTF8;
	for (size_t d = 0; d < sizeof delims; d++) {
		char delim = delims[d];
		for (size_t n = 0; n <= 300; n++) {
			for (size_t i = 0; i < n; i++) {
				unsigned x = prng() % 32;
				s[i] = x < 4 ? delim : x < 6 ? ',' :
				       x < 8 ? (char)0xC3 : (char)('a' + x % 26);
			}
			/* The plain split: field starts, the copy with NULs,
			 * whether any field has a comma or a byte >= 0x80. */
			size_t wn = 1;
			wq[0] = 0;
			int comma = 0, high = 0;
			for (size_t i = 0; i < n; i++) {
				want[i] = s[i] == delim ? '\0' : s[i];
				if (s[i] == delim)
					wq[wn++] = (uint32_t)(i + 1);
				comma |= s[i] == ',' && delim != ',';
				high |= (unsigned char)s[i] >= 0x80;
			}
			wq[wn] = (uint32_t)(n + 1);
			size_t nf = angka_csv_line_offsets(s, n, delim, q);
			int ok = nf == wn && memcmp(q, wq, (wn + 1) * sizeof *q) == 0;
			mu_check_msg(ok, "offsets, delim %d, length %zu", delim, n);
			struct angka_csv_record row = line_rec(s, n);
			const struct angka_csv_record *r =
			        angka_csv_line_record(&l, &row, delim);
			ok = r->nfields == wn;
			for (size_t j = 0; ok && j < wn; j++) {
				size_t len = wq[j + 1] - wq[j] - 1;
				ok = r->len[j] == len && r->field[j][len] == '\0' &&
				     memcmp(r->field[j], s + wq[j], len) == 0 &&
				     r->quote[j] == (delim != ',' &&
				                     memchr(s + wq[j], ',', len) != NULL);
			}
			/* 0xC3 then a byte not 0x80-0xBF is invalid UTF-8. */
			int bad = 0;
			for (size_t j = 0; high && j < wn; j++) {
				size_t len = wq[j + 1] - wq[j] - 1;
				bad |= !angka_utf8_valid(s + wq[j], len);
			}
			ok = ok && r->flags == (bad ? ANGKA_CSV_REC_BADUTF8 : 0u);
			int plain = !comma && !bad;
			ok = ok && (r->raw != NULL) == plain &&
			     (!plain || (r->rawlen == n &&
			                 memcmp(r->raw, want, n) == 0 &&
			                 r->src == s));
			mu_check_msg(ok, "record, delim %d, length %zu", delim, n);
		}
	}
	angka_csv_line_release(&l);
}

int main(void)
{
	mu_run(test_offsets_table);
	mu_run(test_record_table);
	mu_run(test_lengths);
	return mu_report("test_csv_line");
}
