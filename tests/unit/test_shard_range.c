/*
 * test_shard_range.c - unit tests of normalize_shard_range (normalize.c):
 * where angka-normalize --shard K/N starts reading a plain file (the byte
 * after the first line end outside quotes at or after the shard's first
 * line) and the line numbers of its runs, on a small file worked out by
 * hand and on a file of several read chunks against a byte-by-byte scan.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int range_of(const char *path, unsigned k, unsigned n, struct range *r)
{
	struct normalize_opts o;
	memset(&o, 0, sizeof o);
	o.kind = ANGKA_KIND_DTKS;
	o.in = path;
	o.shard_k = k;
	o.shard_n = n;
	struct angka_error e = { 0 };
	return normalize_shard_range(&o, &r->lo, &r->hi, &r->off, &r->line,
	                             &e) == ANGKA_OK ? 0 : -1;
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

int main(void)
{
	mu_run(test_small);
	mu_run(test_chunks);
	return mu_report("test_shard_range");
}
