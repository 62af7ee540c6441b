/*
 * test_shard_range.c - unit tests of normalize_shard_range (normalize.c):
 * where angka-normalize --shard K/N starts reading a plain file (the byte
 * after the first line end outside quotes at or after the shard's first
 * line) and the line numbers of its runs, on a small file worked out by
 * hand and on a file of several read chunks against a byte-by-byte scan;
 * with --index (line_index.h), the same ranges and a seek to the right
 * mark, and an index of another file refused.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "line_index.h"
#include "minunit.h"
#include "normalize.h"

static char *write_tmp(const char *data, size_t len)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/test_shard_range.XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w <= 0) {
			close(fd);
			unlink(path);
			return NULL;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		unlink(path);
		return NULL;
	}
	return path;
}

struct range {
	long lo, hi, line;
	uint64_t off;
};

static enum angka_err range_idx(const char *path, const char *index,
                                 unsigned k, unsigned n, struct range *r,
                                 struct angka_error *e)
{
	struct normalize_opts o;
	memset(&o, 0, sizeof o);
	o.kind = ANGKA_KIND_DTKS;
	o.in = path;
	o.index = index;
	o.shard_k = k;
	o.shard_n = n;
	return normalize_shard_range(&o, &r->lo, &r->hi, &r->off, &r->line, e);
}

static int range_of(const char *path, unsigned k, unsigned n, struct range *r)
{
	struct angka_error e = { 0 };
	return range_idx(path, NULL, k, n, r, &e) == ANGKA_OK ? 0 : -1;
}

/* Header, a record, one with a line end inside quotes (lines 3-4), one
 * with a doubled quote: 7 lines, 35 bytes. */
static void test_small(void)
{
	static const char f[] = "h1,h2\na,1\n\"b\nc\",2\nd,3\ne,\"x\"\"y\"\nf,4\n";
	char *path = write_tmp(f, sizeof f - 1);
	mu_check(path != NULL);
	if (!path)
		return;
	static const struct range want[3] = {
		{ 1, 4, 1, 0 },          /* from the start: no seek */
		{ 4, 6, 5, 18 },         /* line 4 is inside quotes: 'd' */
		{ 6, LONG_MAX, 6, 22 },  /* 'e' */
	};
	for (unsigned k = 0; k < 3; k++) {
		struct range r;
		mu_check(range_of(path, k, 3, &r) == 0);
		mu_check_int(r.lo, want[k].lo);
		mu_check_int(r.hi, want[k].hi);
		mu_check_int(r.off, want[k].off);
		mu_check_int(r.line, want[k].line);
	}
	unlink(path);
}

/* The seek as a byte-by-byte scan (the code before memchr). */
static void ref_seek(const char *d, size_t len, long lo, uint64_t *off,
                     long *line)
{
	int inq = 0;
	long l = 1;
	*off = 0;
	*line = 1;
	for (size_t i = 0; i < len; i++)
		if (d[i] == '"') {
			inq ^= 1;
		} else if (d[i] == '\n') {
			l++;
			if (!inq && l >= lo) {
				*off = i + 1;
				*line = l;
				return;
			}
		}
}

/* About 6 MB (several of the reader's chunks): rows with quoted fields,
 * line ends and doubled quotes inside quotes, at pseudo-random places. */
static void test_chunks(void)
{
	size_t cap = 7u << 20, len = 0;
	char *d = malloc(cap);
	mu_check(d != NULL);
	if (!d)
		return;
	len += (size_t)sprintf(d, "nik,nama,alamat\n");
	uint32_t x = 12345;
	for (long row = 0; len + 200 < cap - (1u << 20); row++) {
		x = x * 1103515245u + 12345u;
		unsigned kind = (x >> 16) % 8;
		if (kind == 0)
			len += (size_t)sprintf(d + len, "%ld,\"a\nb\",\"c\r\nd\"\n", row);
		else if (kind == 1)
			len += (size_t)sprintf(d + len, "%ld,\"x\"\"\ny\",z\n", row);
		else
			len += (size_t)sprintf(d + len, "%ld,nama %u,jalan %u no %u\n",
			                       row, x % 1000, (x >> 8) % 97, x % 13);
	}
	char *path = write_tmp(d, len);
	mu_check(path != NULL);
	for (unsigned n = 2; path && n <= 16; n += 7)
		for (unsigned k = 1; k < n; k++) {
			struct range r;
			mu_check(range_of(path, k, n, &r) == 0);
			uint64_t off;
			long line;
			ref_seek(d, len, r.lo, &off, &line);
			mu_check_msg(r.off == off && r.line == line,
			             "shard %u/%u: offset %llu line %ld, expected "
			             "%llu line %ld", k, n,
			             (unsigned long long)r.off, r.line,
			             (unsigned long long)off, line);
			mu_check(r.off > 0 && d[r.off - 1] == '\n');
		}
	if (path)
		unlink(path);
	free(d);
}

/* Record starts of d[0..len) (header included) by quote parity, as
 * angka-ingest would mark them: rec[i] = (line, byte) of record i. */
static size_t record_starts(const char *d, size_t len,
                            struct angka_line_mark *rec, size_t cap)
{
	size_t n = 0;
	int inq = 0;
	long l = 1;
	rec[n].line = 1;
	rec[n++].off = 0;
	for (size_t i = 0; i < len; i++)
		if (d[i] == '"') {
			inq ^= 1;
		} else if (d[i] == '\n') {
			l++;
			if (!inq && i + 1 < len && n < cap) {
				rec[n].line = l;
				rec[n++].off = i + 1;
			}
		}
	return n;
}

/* An index of d (at path) with a mark every m-th record, at ipath. */
static int index_of(const char *d, size_t len, const char *path,
                    const char *ipath, uint64_t m, int lone_cr,
                    struct angka_line_mark *rec, size_t nrec)
{
	struct angka_line_index x;
	angka_line_index_init(&x, m);
	struct angka_error e = { 0 };
	int rc = 0;
	for (size_t i = m; i < nrec && rc == 0; i += m)
		rc = angka_line_index_add(&x, rec[i].line, rec[i].off, &e);
	uint64_t nl = 0;
	for (size_t i = 0; i < len; i++)
		nl += d[i] == '\n';
	x.lines = nl + (len && d[len - 1] != '\n');
	x.records = nrec;
	x.size = len;
	x.lone_cr = lone_cr;
	if (rc == 0 && angka_line_index_write(&x, ipath, path, &e) != ANGKA_OK)
		rc = -1;
	angka_line_index_release(&x);
	return rc;
}

/* With an index every m records (m = 1, 2, 5, 64): for N = 2, 3, 7, 16
 * and more shards than records, the same lo and hi as the count, and a
 * seek to the last mark at or before lo (none: read from the start). */
static void check_indexed(const char *d, size_t len, const char *path)
{
	size_t cap = len + 2, nrec;
	struct angka_line_mark *rec = malloc(cap * sizeof *rec);
	mu_check(rec != NULL);
	if (!rec)
		return;
	nrec = record_starts(d, len, rec, cap);
	char ipath[80];
	snprintf(ipath, sizeof ipath, "%s.idx", path);
	static const uint64_t every[] = { 1, 2, 5, 64 };
	unsigned ns[] = { 2, 3, 7, 16, (unsigned)nrec + 3 };
	for (size_t i = 0; i < sizeof every / sizeof *every; i++) {
		uint64_t m = every[i];
		mu_check(index_of(d, len, path, ipath, m, 0, rec, nrec) == 0);
		for (size_t j = 0; j < sizeof ns / sizeof *ns; j++)
			for (unsigned k = 0; k < ns[j]; k++) {
				unsigned n = ns[j];
				struct range a, b;
				struct angka_error e = { 0 };
				mu_check(range_of(path, k, n, &a) == 0);
				mu_check_msg(range_idx(path, ipath, k, n, &b, &e) ==
				             ANGKA_OK, "%s", e.msg);
				mu_check(a.lo == b.lo && a.hi == b.hi);
				/* The expected mark: the last record i*m <= lo. */
				uint64_t off = 0;
				long line = 1;
				for (size_t r = m; k > 0 && r < nrec; r += m)
					if (rec[r].line <= b.lo) {
						off = rec[r].off;
						line = rec[r].line;
					}
				mu_check_msg(b.off == off && (!off || b.line == line),
				             "every %llu, shard %u/%u: byte %llu line "
				             "%ld, expected %llu line %ld",
				             (unsigned long long)m, k, n,
				             (unsigned long long)b.off, b.line,
				             (unsigned long long)off, line);
				mu_check(!a.off || b.off <= a.off);
			}
	}
	/* A lone CR in the file: no seek, the same range. */
	mu_check(index_of(d, len, path, ipath, 1, 1, rec, nrec) == 0);
	struct range a, b;
	struct angka_error e = { 0 };
	mu_check(range_of(path, 1, 2, &a) == 0);
	mu_check(range_idx(path, ipath, 1, 2, &b, &e) == ANGKA_OK);
	mu_check(a.lo == b.lo && a.hi == b.hi && b.off == 0);
	unlink(ipath);
	free(rec);
}

static void test_indexed(void)
{
	/* The small file of test_small: records over lines 3-4. */
	static const char f[] = "h1,h2\na,1\n\"b\nc\",2\nd,3\ne,\"x\"\"y\"\nf,4\n";
	char *path = write_tmp(f, sizeof f - 1);
	mu_check(path != NULL);
	if (!path)
		return;
	char p1[64];
	snprintf(p1, sizeof p1, "%s", path);
	check_indexed(f, sizeof f - 1, p1);
	/* Records every 3 lines, one 40-line record, 2000 records. */
	size_t cap = 1 << 20, len = 0;
	char *d = malloc(cap);
	mu_check(d != NULL);
	if (d) {
		len += (size_t)sprintf(d, "nik,nama\n");
		for (int r = 0; r < 2000; r++) {
			if (r % 3 == 0)
				len += (size_t)sprintf(d + len, "%d,\"a\nb\r\nc\"\n", r);
			else if (r == 1000) {
				len += (size_t)sprintf(d + len, "%d,\"", r);
				for (int i = 0; i < 39; i++)
					len += (size_t)sprintf(d + len, "x\n");
				len += (size_t)sprintf(d + len, "\"\n");
			} else
				len += (size_t)sprintf(d + len, "%d,nama %d\n", r, r);
		}
		char *p2 = write_tmp(d, len);
		mu_check(p2 != NULL);
		if (p2) {
			char p2c[64];
			snprintf(p2c, sizeof p2c, "%s", p2);
			check_indexed(d, len, p2c);
			/* An index of another file: refused, both named. */
			char ipath[80];
			snprintf(ipath, sizeof ipath, "%s.idx", p2c);
			struct angka_line_mark rec[4];
			size_t nrec = record_starts(f, sizeof f - 1, rec, 4);
			mu_check(index_of(f, sizeof f - 1, p1, ipath, 1, 0, rec,
			                  nrec) == 0);
			struct range r;
			struct angka_error e = { 0 };
			mu_check(range_idx(p2c, ipath, 1, 2, &r, &e) == ANGKA_EDATA);
			mu_check_msg(strstr(e.msg, ipath) && strstr(e.msg, p2c) &&
			             strstr(e.msg, "is not the index of"), "%s",
			             e.msg);
			unlink(ipath);
			unlink(p2c);
		}
		free(d);
	}
	unlink(p1);
}

int main(void)
{
	mu_run(test_small);
	mu_run(test_chunks);
	mu_run(test_indexed);
	return mu_report("test_shard_range");
}
