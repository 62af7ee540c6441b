/*
 * test_input.c - gzip input (input.c, ISA-L's igzip) against zlib's gzread
 * as the independent reference: the same bytes for plain files, single and
 * concatenated gzip members (empty ones too, member boundaries across the
 * 256 KiB read and the 1 MiB ring buffer), headers with a name, comment,
 * extra field and header CRC; trailing garbage ignored as gzread does; and
 * the errors: truncated (also in a second member), corrupt deflate data,
 * CRC-32, ISIZE, header CRC, reserved header flags. Then a differential
 * run over cut and damaged streams: input.c fails exactly when gzread does
 * and otherwise delivers gzread's bytes; and a replay of the fuzz corpus and
 * regression files of the same comparison (tests/fuzz/fuzz_gzip.h).
 */
#include "minunit.h"

#include "input.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* The fuzz target, for replaying its corpus. */
#include "../fuzz/fuzz_gzip.h"
#include "../fuzz/gzip_ref.h"
#include "replay.h"

static char tmpdir[4096];

/* Write data to a new file in tmpdir; returns its path (static ring). */
static const char *write_tmp(const void *data, size_t len)
{
	static char paths[8][4200];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, sizeof paths[0], "%s/in.XXXXXX", tmpdir);
	int fd = mkstemp(p);
	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len) || close(fd)) {
		perror("write_tmp");
		exit(1);
	}
	return p;
}

/* gzip_ref.h's member (via fuzz_gzip.h); with hdr, named data.csv. */
static void gz_member(struct gzref_buf *b, const void *src, size_t len,
                      int hdr)
{
	gzref_member(b, src, len, hdr, "data.csv");
}

/* What input.c makes of it: the return code, the bytes and the message. */
static enum angka_err input_read(const char *path, struct gzref_buf *out,
                                 struct angka_error *e, int *gzip)
{
	struct angka_input *in;
	enum angka_err rc = angka_input_open(&in, path, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *data;
	size_t len;
	int got;
	while ((got = angka_input_next(in, &data, &len, e)) > 0)
		gzref_add(out, data, len);
	if (gzip)
		*gzip = angka_input_is_gzip(in);
	if (got < 0) {
		angka_input_close(in, 1, NULL);
		return e->code;
	}
	return angka_input_close(in, 0, e);
}

/* Text of n bytes: rows of varying digits (compressible, not trivially). */
static unsigned char *text(size_t n, unsigned seed)
{
	unsigned char *s = malloc(n + 1);
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		unsigned r = (x >> 16) % 23;
		s[i] = r == 0 ? '\n' : r == 1 ? ',' : (unsigned char)('0' + r % 10);
	}
	return s;
}

static int same(const struct gzref_buf *a, const unsigned char *b, size_t n)
{
	return a->len == n && (n == 0 || memcmp(a->p, b, n) == 0);
}

/* Concatenated members: the plain bytes, for splits at many places. */
static void test_multi_member(void)
{
	size_t n = (3u << 20) + 12345;
	unsigned char *s = text(n, 1);
	/* splits: inside the first 256 KiB read, at the 1 MiB ring buffer,
	 * and an empty member between two */
	size_t cuts[][3] = {
		{ 1, 100, n }, { 1000, 262144, n }, { (1u << 20) - 1, 1u << 20, n },
		{ 524288, 524288, 2u << 20 }, { n, n, n },
	};
	for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
		struct gzref_buf g = { 0 }, out = { 0 };
		size_t at = 0;
		for (int k = 0; k < 3; k++) {
			gz_member(&g, s + at, cuts[c][k] - at, (int)(c + k) % 2);
			at = cuts[c][k];
		}
		if (at < n)
			gz_member(&g, s + at, n - at, 0);
		const char *path = write_tmp(g.p, g.len);
		struct angka_error e = { 0 };
		int gzip = -1;
		mu_check_int(input_read(path, &out, &e, &gzip), ANGKA_OK);
		mu_check_msg(same(&out, s, n), "split %zu: %zu bytes of %zu", c,
		             out.len, n);
		mu_check_int(gzip, 1);
		free(g.p);
		free(out.p);
	}
	/* The same bytes as a plain file, through stdin as well. */
	const char *path = write_tmp(s, n);
	struct gzref_buf out = { 0 };
	struct angka_error e = { 0 };
	int gzip = -1;
	mu_check_int(input_read(path, &out, &e, &gzip), ANGKA_OK);
	mu_check(same(&out, s, n));
	mu_check_int(gzip, 0);
	free(out.p);
	struct gzref_buf g = { 0 };
	gz_member(&g, s, n / 2, 0);
	gz_member(&g, s + n / 2, n - n / 2, 1);
	int fd = open(write_tmp(g.p, g.len), O_RDONLY);
	int saved = dup(STDIN_FILENO);
	mu_check(fd >= 0 && saved >= 0 && dup2(fd, STDIN_FILENO) == 0);
	close(fd);
	memset(&out, 0, sizeof out);
	mu_check_int(input_read("-", &out, &e, &gzip), ANGKA_OK);
	mu_check(same(&out, s, n));
	mu_check_int(gzip, 1);
	dup2(saved, STDIN_FILENO);
	close(saved);
	free(out.p);
	free(g.p);
	free(s);
}

/* Empty members: alone, first, last; and files too short for a magic. */
static void test_empty_and_short(void)
{
	const unsigned char *abc = (const unsigned char *)"a,b\n1,2\n";
	for (int v = 0; v < 4; v++) {
		struct gzref_buf g = { 0 }, out = { 0 };
		if (v == 0) {
			gz_member(&g, "", 0, 0);
		} else if (v == 1) {
			gz_member(&g, "", 0, 1);
			gz_member(&g, abc, 8, 0);
		} else if (v == 2) {
			gz_member(&g, abc, 8, 0);
			gz_member(&g, "", 0, 0);
		} else {
			gz_member(&g, abc, 4, 0);
			gz_member(&g, "", 0, 0);
			gz_member(&g, abc + 4, 4, 0);
		}
		struct angka_error e = { 0 };
		mu_check_int(input_read(write_tmp(g.p, g.len), &out, &e, NULL),
		             ANGKA_OK);
		mu_check_msg(same(&out, abc, v == 0 ? 0 : 8), "variant %d: %zu "
		             "bytes", v, out.len);
		free(g.p);
		free(out.p);
	}
	/* "", a lone 0x1f, 0x1f 0x8a: plain bytes, as gzread. */
	static const struct { const char *b; size_t n; } t[] = {
		{ "", 0 }, { "\037", 1 }, { "\037\212xy", 4 }, { "x", 1 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct gzref_buf out = { 0 };
		struct angka_error e = { 0 };
		mu_check_int(input_read(write_tmp(t[i].b, t[i].n), &out, &e, NULL),
		             ANGKA_OK);
		mu_check(same(&out, (const unsigned char *)t[i].b, t[i].n));
		free(out.p);
	}
}

/* After a member, bytes that are not a member are ignored (gzread). */
static void test_trailing_garbage(void)
{
	const char *abc = "a,b\n1,2\n";
	static const struct { const char *b; size_t n; } junk[] = {
		{ "\0\0\0\0\0\0\0\0", 8 },  /* padding as tapes and dd leave */
		{ "x", 1 },
		{ "\037", 1 },              /* half a magic */
		{ "garbage,1,2\n", 12 },
	};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		struct gzref_buf g = { 0 }, out = { 0 }, ref = { 0 };
		gz_member(&g, abc, 4, 0);
		gz_member(&g, abc + 4, 4, 0);
		gzref_add(&g, junk[i].b, junk[i].n);
		/* and a whole member after the garbage: ignored too */
		gz_member(&g, "never\n", 6, 0);
		const char *path = write_tmp(g.p, g.len);
		struct angka_error e = { 0 };
		mu_check_int(input_read(path, &out, &e, NULL), ANGKA_OK);
		mu_check_msg(same(&out, (const unsigned char *)abc, 8),
		             "junk %zu: %zu bytes", i, out.len);
		mu_check_int(gzref_read(path, &ref), Z_OK);
		mu_check(ref.len == out.len && memcmp(ref.p, out.p, out.len) == 0);
		free(g.p);
		free(out.p);
		free(ref.p);
	}
}

static void check_error(const struct gzref_buf *g, const char *what, const char *tag)
{
	const char *path = write_tmp(g->p, g->len);
	struct gzref_buf out = { 0 };
	struct angka_error e = { 0 };
	enum angka_err rc = input_read(path, &out, &e, NULL);
	mu_check_msg(rc == ANGKA_EGZIP, "%s: rc %d (%s)", tag, rc, e.msg);
	mu_check_msg(strstr(e.msg, path) && strstr(e.msg, what), "%s: msg %s",
	             tag, e.msg);
	free(out.p);
}

/* Truncated streams: in a one-member file and in the second member. */
static void test_truncated(void)
{
	size_t n = (2u << 20) + 777;
	unsigned char *s = text(n, 2);
	struct gzref_buf one = { 0 }, two = { 0 };
	gz_member(&one, s, n, 0);
	gz_member(&two, s, n / 2, 0);
	size_t first = two.len;
	gz_member(&two, s + n / 2, n - n / 2, 1);
	/* the trailer, half, all but the header; in the second member: its
	 * header only, a byte of its header, half of it, its trailer */
	size_t keep1[] = { one.len - 4, one.len - 1, one.len / 2, 20, 10, 3 };
	for (size_t i = 0; i < sizeof keep1 / sizeof keep1[0]; i++) {
		struct gzref_buf g = { one.p, keep1[i], 0 };
		char tag[64];
		snprintf(tag, sizeof tag, "one member, %zu bytes", keep1[i]);
		check_error(&g, "truncated gzip stream (unexpected end of file)",
		            tag);
	}
	size_t keep2[] = { first + 2, first + 3, first + 10, first + 40,
	                   first + (two.len - first) / 2, two.len - 8,
	                   two.len - 1 };
	for (size_t i = 0; i < sizeof keep2 / sizeof keep2[0]; i++) {
		struct gzref_buf g = { two.p, keep2[i], 0 };
		char tag[64];
		snprintf(tag, sizeof tag, "second member, %zu bytes", keep2[i]);
		check_error(&g, "truncated gzip stream (unexpected end of file)",
		            tag);
	}
	free(one.p);
	free(two.p);
	free(s);
}

/* Damaged streams: deflate data, CRC-32, ISIZE, header CRC, header flags,
 * method. */
static void test_corrupt(void)
{
	size_t n = 200000;
	unsigned char *s = text(n, 3);
	struct gzref_buf g = { 0 };
	gz_member(&g, s, 1000, 0);
	size_t first = g.len;
	gz_member(&g, s + 1000, n - 1000, 1);
	struct {
		size_t at;
		unsigned char x;
		const char *what;
	} t[] = {
		{ first - 8, 0x55, "corrupt gzip stream" },   /* CRC-32, 1st */
		{ first - 2, 0x01, "corrupt gzip stream" },   /* ISIZE, 1st */
		{ g.len - 6, 0x55, "corrupt gzip stream" },   /* CRC-32, 2nd */
		{ g.len - 1, 0x80, "corrupt gzip stream" },   /* ISIZE, 2nd */
		{ first + 2, 0x07, "unknown compression method" },
		{ first + 3, 0x20, "unknown header flags set" },
		{ 3, 0x80, "unknown header flags set" },
		{ first + 40, 0xff, "corrupt gzip stream" },  /* header CRC */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct gzref_buf c = { 0 };
		gzref_add(&c, g.p, g.len);
		c.p[t[i].at] ^= t[i].x;
		char tag[64];
		snprintf(tag, sizeof tag, "flip %zu at %zu", i, t[i].at);
		check_error(&c, t[i].what, tag);
		free(c.p);
	}
	/* deflate data overwritten */
	struct gzref_buf c = { 0 };
	gzref_add(&c, g.p, g.len);
	memset(c.p + first + 60, 0xff, 16);
	check_error(&c, "corrupt gzip stream", "deflate data");
	free(c.p);
	free(g.p);
	free(s);
}

/* Cut and damaged streams: input.c fails where gzread fails (truncated as
 * truncated) and otherwise gives gzread's bytes. */
static void test_differential(void)
{
	size_t n = 300000;
	unsigned char *s = text(n, 4);
	struct gzref_buf g = { 0 };
	gz_member(&g, s, 70000, 0);
	gz_member(&g, "", 0, 0);
	gz_member(&g, s + 70000, n - 70000, 1);
	uint32_t x = 12345;
	int disagree = 0;
	for (int it = 0; it < 240; it++) {
		struct gzref_buf c = { 0 }, out = { 0 }, ref = { 0 };
		x = x * 1103515245u + 12345u;
		/* cut anywhere; a bit flipped anywhere; or whole */
		size_t len = it % 3 == 0 ? (x >> 8) % (g.len + 1) : g.len;
		gzref_add(&c, g.p, len);
		if (it % 3 == 1 && len > 0) {
			size_t at = (x >> 4) % len;
			c.p[at] ^= (unsigned char)(1u << (x % 8));
		}
		/* and bytes after it: garbage, or a magic and then garbage */
		if (it % 5 == 4)
			gzref_add(&c, "tail\n", 5);
		else if (it % 5 == 3)
			gzref_add(&c, "\037\213\010\000tail", 8);
		const char *path = write_tmp(c.p, c.len);
		int zerr = gzref_read(path, &ref);
		struct angka_error e = { 0 };
		enum angka_err rc = input_read(path, &out, &e, NULL);
		/* only cut: truncated to both (bytes after a cut or a flipped
		 * bit may be invalid to one decoder before the other runs out
		 * of input) */
		int pure_cut = it % 3 == 0 && it % 5 < 3;
		int ok = zerr == Z_OK ? rc == ANGKA_OK && out.len == ref.len &&
		         memcmp(out.p, ref.p, out.len) == 0
		         : rc == ANGKA_EGZIP && (zerr != Z_BUF_ERROR || !pure_cut ||
		                                 strstr(e.msg, "truncated"));
		if (!ok && disagree++ < 5)
			mu_fail("iteration %d (%zu bytes): zlib %d (%zu bytes), "
			        "input %d (%zu bytes, %s)", it, c.len, zerr, ref.len,
			        rc, out.len, e.msg);
		free(c.p);
		free(out.p);
		free(ref.p);
	}
	mu_check_int(disagree, 0);
	free(g.p);
	free(s);
}

/* A second member's header (41 bytes: extra field, name, comment, header
 * CRC) or the first member's trailer across the 256 KiB read: a first
 * member with a name long enough to put it there. */
static void test_header_across_reads(void)
{
	const char *abc = "a,b\n1,2\n";
	struct gzref_buf probe = { 0 };
	gzref_member(&probe, abc, 4, 1, "");
	size_t base = probe.len;  /* the first member with an empty name */
	free(probe.p);
	char *name = malloc(262144 + 64);
	int bad = 0;
	for (int k = -12; k <= 44; k++) {
		size_t m = (size_t)(262144 - (long)base - k);  /* ends at 262144-k */
		memset(name, 'n', m);
		name[m] = '\0';
		struct gzref_buf g = { 0 }, out = { 0 };
		gzref_member(&g, abc, 4, 1, name);
		gz_member(&g, abc + 4, 4, 1);
		struct angka_error e = { 0 };
		enum angka_err rc = input_read(write_tmp(g.p, g.len), &out, &e,
		                               NULL);
		if ((rc != ANGKA_OK || !same(&out, (const unsigned char *)abc, 8))
		    && bad++ < 3)
			mu_fail("second member at %d: rc %d (%s), %zu bytes",
			        262144 - k, rc, e.msg, out.len);
		free(g.p);
		free(out.p);
	}
	mu_check_int(bad, 0);
	free(name);
}

/* A pipe that gives the magic a byte at a time: still gzip. */
static void test_slow_pipe(void)
{
	const char *abc = "a,b\n1,2\n";
	struct gzref_buf g = { 0 };
	gz_member(&g, abc, 8, 0);
	gz_member(&g, abc, 8, 1);
	int p[2];
	mu_check(pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (size_t i = 0; i < g.len; i++) {
			if (write(p[1], g.p + i, 1) != 1)
				_exit(1);
			if (i < 4 || i == g.len / 2)
				usleep(20000);
		}
		_exit(0);
	}
	close(p[1]);
	int saved = dup(STDIN_FILENO);
	mu_check(saved >= 0 && dup2(p[0], STDIN_FILENO) == 0);
	close(p[0]);
	struct gzref_buf out = { 0 };
	struct angka_error e = { 0 };
	int gzip = -1;
	mu_check_msg(input_read("-", &out, &e, &gzip) == ANGKA_OK, "%s", e.msg);
	mu_check_int(out.len, 16);
	mu_check(out.len == 16 && memcmp(out.p, "a,b\n1,2\na,b\n1,2\n", 16) == 0);
	mu_check_int(gzip, 1);
	dup2(saved, STDIN_FILENO);
	close(saved);
	int st = 1;
	waitpid(pid, &st, 0);
	mu_check_int(st, 0);
	free(out.p);
	free(g.p);
}

static void test_fuzz_corpus(void)
{
	mu_check(replay_dir("tests/fuzz/corpus/fuzz_gzip", fuzz_gzip_one) > 0);
	mu_check(replay_dir("tests/fuzz/regress/fuzz_gzip", fuzz_gzip_one) > 0);
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/angka-test-input.XXXXXX",
	         t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	mu_run(test_multi_member);
	mu_run(test_empty_and_short);
	mu_run(test_trailing_garbage);
	mu_run(test_truncated);
	mu_run(test_corrupt);
	mu_run(test_differential);
	mu_run(test_header_across_reads);
	mu_run(test_slow_pipe);
	mu_run(test_fuzz_corpus);
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return mu_report("test_input");
}
