/*
 * test_line_index.c - unit tests of line_index.c: an index written for a
 * file reads back the same, is refused for another file or after the file
 * changed, malformed texts are refused with the index's name and line, and
 * angka_line_index_find picks the last mark at or before a line. Replays
 * the fuzz corpus of fuzz_line_index.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minunit.h"
#include "line_index.h"
#include "../fuzz/fuzz_line_index.h"
#include "replay.h"

static char dir[64];

/* dir/name holding s; its path (static buffer per call site: copy). */
static const char *put(const char *name, const char *s)
{
	static char path[4][128];
	static int i;
	char *p = path[i++ % 4];
	snprintf(p, 128, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f)
		return NULL;
	size_t n = strlen(s);
	int ok = fwrite(s, 1, n, f) == n;
	if (fclose(f) != 0)
		ok = 0;
	return ok ? p : NULL;
}

/* Header, a record over lines 2-3 (a quoted line end), records on 4, 5
 * and 6: the records at lines 4 and 6 marked (bytes 14 and 18). */
static const char data[] = "h1,h2\n\"a\nb\",1\nc,2\nd,3\ne,4\n";

static void build(struct angka_line_index *x)
{
	angka_line_index_init(x, 2);
	struct angka_error e = { 0 };
	mu_check(angka_line_index_add(x, 4, 14, &e) == ANGKA_OK);
	mu_check(angka_line_index_add(x, 6, 22, &e) == ANGKA_OK);
	x->lines = 6;
	x->records = 5;
	x->size = sizeof data - 1;
}

static void test_round_trip(void)
{
	const char *d = put("data.csv", data);
	mu_check(d != NULL);
	char dp[128], ip[128];
	snprintf(dp, sizeof dp, "%s", d);
	snprintf(ip, sizeof ip, "%s/data.idx", dir);
	struct angka_line_index x, y;
	build(&x);
	struct angka_error e = { 0 };
	mu_check(angka_line_index_write(&x, ip, dp, &e) == ANGKA_OK);
	angka_line_index_init(&y, 1);
	mu_check_msg(angka_line_index_load(&y, ip, dp, &e) == ANGKA_OK, "%s",
	             e.msg);
	mu_check_int(y.size, 26);
	mu_check_int(y.lines, 6);
	mu_check_int(y.records, 5);
	mu_check_int(y.interval, 2);
	mu_check_int(y.lone_cr, 0);
	mu_check_int(y.mtime_sec, x.mtime_sec);
	mu_check_int(y.mtime_nsec, x.mtime_nsec);
	mu_check_int(y.n, 2);
	if (y.n == 2) {
		mu_check_int(y.mark[0].line, 4);
		mu_check_int(y.mark[0].off, 14);
		mu_check_int(y.mark[1].line, 6);
		mu_check_int(y.mark[1].off, 22);
	}
	/* The marks are where those lines start. */
	mu_check(data[13] == '\n' && data[14] == 'c' && data[22] == 'e');
	angka_line_index_release(&y);

	/* The file changed after its index: refused, both names said. */
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 1000000000, 5 } };
	mu_check(utimensat(AT_FDCWD, dp, ts, 0) == 0);
	angka_line_index_init(&y, 1);
	mu_check(angka_line_index_load(&y, ip, dp, &e) == ANGKA_EDATA);
	mu_check(strstr(e.msg, ip) && strstr(e.msg, dp) &&
	         strstr(e.msg, "modified after"));
	angka_line_index_release(&y);

	/* Another file (another size). */
	const char *o = put("other.csv", "h1,h2\nx,1\n");
	angka_line_index_init(&y, 1);
	mu_check(angka_line_index_load(&y, ip, o, &e) == ANGKA_EDATA);
	mu_check_msg(strstr(e.msg, "it describes 26 bytes, the file has 10") &&
	             strstr(e.msg, ip) && strstr(e.msg, o), "%s", e.msg);
	angka_line_index_release(&y);

	/* Written for a size the file does not have: refused, no index. */
	x.size = 25;
	unlink(ip);
	mu_check(angka_line_index_write(&x, ip, dp, &e) == ANGKA_EDATA);
	mu_check(access(ip, F_OK) != 0);
	angka_line_index_release(&x);
	unlink(dp);
	unlink(o);
}

static void test_add_order(void)
{
	struct angka_line_index x;
	angka_line_index_init(&x, 4);
	struct angka_error e = { 0 };
	mu_check(angka_line_index_add(&x, 5, 100, &e) == ANGKA_OK);
	mu_check(angka_line_index_add(&x, 5, 200, &e) == ANGKA_EINTERNAL);
	mu_check(angka_line_index_add(&x, 9, 100, &e) == ANGKA_EINTERNAL);
	/* Past the first 256: the array grows. */
	for (long i = 1; i <= 1000; i++)
		mu_check(angka_line_index_add(&x, 5 + 4 * i, 100 + 50 * (uint64_t)i,
		                              &e) == ANGKA_OK);
	mu_check_int(x.n, 1001);
	const struct angka_line_mark *m = angka_line_index_find(&x, 4);
	mu_check(m == NULL);
	m = angka_line_index_find(&x, 5);
	mu_check(m && m->line == 5);
	m = angka_line_index_find(&x, 8);
	mu_check(m && m->line == 5);
	m = angka_line_index_find(&x, 4005);
	mu_check(m && m->line == 4005 && m->off == 50100);
	m = angka_line_index_find(&x, 4004);
	mu_check(m && m->line == 4001);
	m = angka_line_index_find(&x, 1L << 40);
	mu_check(m && m->line == 4005);
	angka_line_index_release(&x);
	mu_check(x.n == 0 && x.mark == NULL && x.interval == 4);
	mu_check(angka_line_index_find(&x, 10) == NULL);
}

struct bad_case {
	const char *text;
	const char *msg;   /* expected in the message, after "'t.idx':" */
};

#define HEAD "angka-line-index 1\nfile 100 7.000000001\nlines 10\n" \
	"records 9\nlone_cr 0\ninterval 3\n"

static const struct bad_case bad[] = {
	{ "", "1: not a line index" },
	{ "angka-line-index 2\n", "1: not a line index" },
	{ "angka-line-index 1\nfile 100 7\n", "2: bad line index (expected "
	  "'file SIZE SEC.NSEC')" },
	{ "angka-line-index 1\nfile 100 7.00000001\n", "2: bad line index" },
	{ "angka-line-index 1\nfile -100 7.000000001\n", "2: bad line index" },
	{ "angka-line-index 1\nfile 100 7.000000001\nlines 99999999999999999999\n",
	  "3: bad line index (expected 'lines N')" },
	{ "angka-line-index 1\nfile 100 7.000000001\nlines 0\nrecords 9\n"
	  "lone_cr 0\ninterval 3\nend 0\n", "3: bad line index (lines out" },
	{ "angka-line-index 1\nfile 100 7.000000001\nlines 10\nrecords 9\n"
	  "lone_cr 2\n", "5: bad line index (lone_cr is 0 or 1)" },
	{ "angka-line-index 1\nfile 100 7.000000001\nlines 10\nrecords 9\n"
	  "lone_cr 0\ninterval 0\n", "6: bad line index (interval 0)" },
	{ "angka-line-index 1\nfile 100 7.000000001\nlines 10\n", "4: bad "
	  "line index (expected 'records N')" },
	{ HEAD, "7: line index cut short" },
	{ HEAD "mark 4 31", "7: line index cut short" },
	{ HEAD "mark 4 31\nend 2\n", "8: line index has 1 marks, its end says 2" },
	{ HEAD "mark 4 31\nmark 4 40\nend 2\n", "8: line index marks not "
	  "increasing" },
	{ HEAD "mark 4 31\nmark 5 31\nend 2\n", "8: line index marks not "
	  "increasing" },
	{ HEAD "mark 1 31\nend 1\n", "7: line index mark (line 1, byte 31) "
	  "outside the file (10 lines, 100 bytes)" },
	{ HEAD "mark 11 31\nend 1\n", "7: line index mark (line 11" },
	{ HEAD "mark 4 100\nend 1\n", "7: line index mark (line 4, byte 100)" },
	{ HEAD "mark 4 0\nend 1\n", "7: line index mark (line 4, byte 0)" },
	{ HEAD "mark 4 31 \nend 1\n", "7: bad line index (expected 'mark LINE "
	  "OFFSET' or 'end M')" },
	{ HEAD "mark +4 31\nend 1\n", "7: bad line index" },
	{ HEAD "end 0\nmark 4 31\n", "8: bytes after the line index's end" },
	{ HEAD "end 0\n\n", "8: bytes after the line index's end" },
};

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct angka_line_index x;
		angka_line_index_init(&x, 1);
		struct angka_error e = { 0 };
		enum angka_err rc = angka_line_index_parse(&x, bad[i].text,
		                                           strlen(bad[i].text),
		                                           "t.idx", &e);
		char want[200];
		snprintf(want, sizeof want, "'t.idx':%s", bad[i].msg);
		mu_check_msg(rc == ANGKA_EDATA && strncmp(e.msg, want,
		             strlen(want)) == 0, "case %zu: got '%s', want "
		             "'%s...'", i, e.msg, want);
		angka_line_index_release(&x);
	}
	/* The good one these are cut from. */
	static const char good[] = HEAD "mark 4 31\nmark 8 70\nend 2\n";
	struct angka_line_index x;
	angka_line_index_init(&x, 1);
	struct angka_error e = { 0 };
	mu_check(angka_line_index_parse(&x, good, sizeof good - 1, "t.idx",
	                                &e) == ANGKA_OK);
	mu_check_int(x.size, 100);
	mu_check_int(x.mtime_sec, 7);
	mu_check_int(x.mtime_nsec, 1);
	mu_check_int(x.interval, 3);
	mu_check_int(x.n, 2);
	angka_line_index_release(&x);
}

static void test_replay(void)
{
	mu_check(replay_dir("tests/fuzz/corpus/fuzz_line_index",
	                    fuzz_line_index_one) >= 4);
	mu_check(replay_dir("tests/fuzz/regress/fuzz_line_index",
	                    fuzz_line_index_one) >= -1);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/test_line_index.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	mu_run(test_round_trip);
	mu_run(test_add_order);
	mu_run(test_bad);
	mu_run(test_replay);
	rmdir(dir);
	return mu_report("test_line_index");
}
