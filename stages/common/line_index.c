/*
 * line_index.c - the record index of a plain CSV file (line_index.h):
 * built by angka-ingest, written and read as text, checked against the
 * file it describes.
 */
#include "line_index.h"
#include "csv_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An index is a few KB; anything this large is not one. */
#define INDEX_MAX_BYTES ((size_t)64 << 20)

void angka_line_index_init(struct angka_line_index *x, uint64_t interval)
{
	memset(x, 0, sizeof *x);
	x->interval = interval;
}

void angka_line_index_release(struct angka_line_index *x)
{
	free(x->mark);
	angka_line_index_init(x, x->interval);
}

enum angka_err angka_line_index_add(struct angka_line_index *x, long line,
                                    uint64_t off, struct angka_error *e)
{
	if (x->n && (line <= x->mark[x->n - 1].line ||
	             off <= x->mark[x->n - 1].off))
		return ANGKA_ERR(e, ANGKA_EINTERNAL, "line index: mark (line %ld, "
		                 "byte %" PRIu64 ") not after the last one", line,
		                 off);
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 256;
		struct angka_line_mark *m = realloc(x->mark, cap * sizeof *m);
		if (!m)
			return ANGKA_ERR(e, ANGKA_ENOMEM, "line index: out of "
			                 "memory (%zu marks)", cap);
		x->mark = m;
		x->cap = cap;
	}
	x->mark[x->n].line = line;
	x->mark[x->n].off = off;
	x->n++;
	return ANGKA_OK;
}

/* The fingerprint of data into *size, *sec, *nsec. */
static enum angka_err fingerprint(const char *data, uint64_t *size,
                                  long long *sec, long *nsec,
                                  struct angka_error *e)
{
	struct stat sb;
	if (stat(data, &sb) != 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot stat '%s':", data);
	if (!S_ISREG(sb.st_mode))
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s' is not a regular file "
		                 "(a line index describes one)", data);
	*size = (uint64_t)sb.st_size;
	*sec = (long long)sb.st_mtim.tv_sec;
	*nsec = (long)sb.st_mtim.tv_nsec;
	return ANGKA_OK;
}

enum angka_err angka_line_index_write(struct angka_line_index *x,
                                      const char *path, const char *data,
                                      struct angka_error *e)
{
	uint64_t size;
	enum angka_err rc = fingerprint(data, &size, &x->mtime_sec,
	                                &x->mtime_nsec, e);
	if (rc != ANGKA_OK)
		return rc;
	if (size != x->size)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s' has %" PRIu64 " bytes, "
		                 "%" PRIu64 " were written: not indexed in '%s'",
		                 data, size, x->size, path);
	struct angka_csv_writer *w;
	rc = angka_csv_writer_open(&w, path, ANGKA_CSV_WRITER_NOSYNC, e);
	if (rc != ANGKA_OK)
		return rc;
	char line[128];
	int n;
	/* Each item is one raw field of a row: the writer adds the '\n'. */
#define ITEM(...) do { \
		n = snprintf(line, sizeof line, __VA_ARGS__); \
		angka_csv_writer_raw(w, line, (size_t)n); \
		angka_csv_writer_end_row(w); \
	} while (0)
	ITEM("angka-line-index 1");
	ITEM("file %" PRIu64 " %lld.%09ld", x->size, x->mtime_sec,
	     x->mtime_nsec);
	ITEM("lines %" PRIu64, x->lines);
	ITEM("records %" PRIu64, x->records);
	ITEM("lone_cr %d", x->lone_cr ? 1 : 0);
	ITEM("interval %" PRIu64, x->interval);
	for (size_t i = 0; i < x->n; i++)
		ITEM("mark %ld %" PRIu64, x->mark[i].line, x->mark[i].off);
	ITEM("end %zu", x->n);
#undef ITEM
	return angka_csv_writer_commit(w, e);
}

/* ---- Parsing ---- */

struct cursor {
	const char *p, *end;
	const char *name;
	long line;          /* of the index file, for messages */
};

/* The next line (without its '\n') into *s, *len: 1, or 0 at the end. A
 * last line without '\n' is an error (-1): the file was cut. */
static int next_line(struct cursor *c, const char **s, size_t *len)
{
	if (c->p == c->end)
		return 0;
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (!nl)
		return -1;
	*s = c->p;
	*len = (size_t)(nl - c->p);
	c->p = nl + 1;
	c->line++;
	return 1;
}

/* A plain decimal (digits only, no sign) at *s, at most max: its value,
 * *s moved past it; -1 if there is none or it is larger. */
static int parse_u64(const char **s, const char *end, uint64_t max,
                     uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	if (p == end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*s = p;
	*v = x;
	return 0;
}

/* Line s[0..len) is "KEY V1[ V2]" with nv plain decimals (v[1] may be
 * written "SEC.NSEC" when frac is set: the 9 digits into v[2]). */
static int parse_item(const char *s, size_t len, const char *key, int nv,
                      int frac, uint64_t *v)
{
	size_t kl = strlen(key);
	const char *end = s + len;
	if (len <= kl || memcmp(s, key, kl) != 0 || s[kl] != ' ')
		return -1;
	const char *p = s + kl + 1;
	for (int i = 0; i < nv; i++) {
		if (i > 0) {
			if (p == end || *p != ' ')
				return -1;
			p++;
		}
		if (parse_u64(&p, end, i == 0 && nv == 1 ? UINT64_MAX :
		              (uint64_t)LLONG_MAX, &v[i]) != 0)
			return -1;
	}
	if (frac) {
		const char *f = p;
		if (p == end || *p++ != '.' ||
		    parse_u64(&p, end, 999999999, &v[nv]) != 0 || p - f != 10)
			return -1;
	}
	return p == end ? 0 : -1;
}

enum angka_err angka_line_index_parse(struct angka_line_index *x,
                                      const char *buf, size_t len,
                                      const char *name,
                                      struct angka_error *e)
{
	struct cursor c = { buf, buf + len, name, 0 };
	static const char *const head[] = { "file", "lines", "records",
	                                    "lone_cr", "interval" };
	const char *s;
	size_t sl;
	uint64_t v[3];
	int got = next_line(&c, &s, &sl);
	if (got <= 0 || sl != 18 || memcmp(s, "angka-line-index 1", 18) != 0)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s':1: not a line index "
		                 "(expected 'angka-line-index 1')", name);
	for (size_t i = 0; i < sizeof head / sizeof *head; i++) {
		got = next_line(&c, &s, &sl);
		int two = i == 0;   /* file SIZE SEC.NSEC */
		if (got <= 0 || parse_item(s, sl, head[i], two ? 2 : 1, two, v) != 0)
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: bad line index "
			                 "(expected '%s %s')", name, c.line + (got <= 0),
			                 head[i], two ? "SIZE SEC.NSEC" : "N");
		switch (i) {
		case 0:
			x->size = v[0];
			x->mtime_sec = (long long)v[1];
			x->mtime_nsec = (long)v[2];
			break;
		case 1:
			x->lines = v[0];
			break;
		case 2:
			x->records = v[0];
			break;
		case 3:
			if (v[0] > 1)
				return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: bad "
				                 "line index (lone_cr is 0 or 1)",
				                 name, c.line);
			x->lone_cr = (int)v[0];
			break;
		default:
			if (v[0] == 0)
				return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: bad "
				                 "line index (interval 0)", name,
				                 c.line);
			x->interval = v[0];
			break;
		}
	}
	if (x->lines == 0 || x->lines > (uint64_t)LONG_MAX)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s':3: bad line index (lines "
		                 "out of range)", name);
	for (;;) {
		got = next_line(&c, &s, &sl);
		if (got <= 0)
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: line index cut "
			                 "short (no 'end M')", name, c.line + 1);
		if (parse_item(s, sl, "end", 1, 0, v) == 0) {
			if (v[0] != x->n)
				return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: line "
				                 "index has %zu marks, its end says "
				                 "%" PRIu64, name, c.line, x->n, v[0]);
			break;
		}
		if (parse_item(s, sl, "mark", 2, 0, v) != 0)
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: bad line index "
			                 "(expected 'mark LINE OFFSET' or 'end M')",
			                 name, c.line);
		if (v[0] < 2 || v[0] > x->lines || v[1] == 0 ||
		    v[1] >= x->size)
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: line index mark "
			                 "(line %" PRIu64 ", byte %" PRIu64 ") outside "
			                 "the file (%" PRIu64 " lines, %" PRIu64
			                 " bytes)", name, c.line, v[0], v[1], x->lines,
			                 x->size);
		if (x->n && ((long)v[0] <= x->mark[x->n - 1].line ||
		             v[1] <= x->mark[x->n - 1].off))
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: line index marks "
			                 "not increasing", name, c.line);
		enum angka_err rc = angka_line_index_add(x, (long)v[0], v[1], e);
		if (rc != ANGKA_OK)
			return rc;
	}
	if (c.p != c.end)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: bytes after the line "
		                 "index's end", name, c.line + 1);
	return ANGKA_OK;
}

/* The whole of path into *buf (malloc'ed), *len. */
static enum angka_err read_all(const char *path, char **buf, size_t *len,
                               struct angka_error *e)
{
	*buf = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot open '%s':", path);
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	enum angka_err rc = ANGKA_OK;
	if (!b) {
		rc = ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory reading '%s'", path);
		goto cleanup;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= INDEX_MAX_BYTES) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': larger than "
				               "%zu bytes: not a line index", path,
				               INDEX_MAX_BYTES);
				goto cleanup;
			}
			char *nb = realloc(b, 2 * cap);
			if (!nb) {
				rc = ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory "
				               "reading '%s'", path);
				goto cleanup;
			}
			b = nb;
			cap *= 2;
		}
		ssize_t k = read(fd, b + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = ANGKA_ERR(e, ANGKA_EIO, "read error on '%s':", path);
			goto cleanup;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
cleanup:
	if (close(fd) != 0 && rc == ANGKA_OK)
		rc = ANGKA_ERR(e, ANGKA_EIO, "close error on '%s':", path);
	if (rc != ANGKA_OK) {
		free(b);
		return rc;
	}
	*buf = b;
	*len = n;
	return ANGKA_OK;
}

enum angka_err angka_line_index_load(struct angka_line_index *x,
                                     const char *path, const char *data,
                                     struct angka_error *e)
{
	char *buf;
	size_t len;
	enum angka_err rc = read_all(path, &buf, &len, e);
	if (rc != ANGKA_OK)
		return rc;
	rc = angka_line_index_parse(x, buf, len, path, e);
	free(buf);
	if (rc != ANGKA_OK)
		return rc;
	uint64_t size;
	long long sec;
	long nsec;
	rc = fingerprint(data, &size, &sec, &nsec, e);
	if (rc != ANGKA_OK)
		return rc;
	if (size != x->size)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s' is not the index of '%s' "
		                 "(it describes %" PRIu64 " bytes, the file has %"
		                 PRIu64 "): write it again with angka-ingest "
		                 "--index", path, data, x->size, size);
	if (sec != x->mtime_sec || nsec != x->mtime_nsec)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s' is not the index of '%s' "
		                 "(the file was modified after it): write it again "
		                 "with angka-ingest --index", path, data);
	return ANGKA_OK;
}

const struct angka_line_mark *
angka_line_index_find(const struct angka_line_index *x, long line)
{
	/* The first mark after line, by bisection; the one before it. */
	size_t lo = 0, hi = x->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->mark[mid].line <= line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &x->mark[lo - 1] : NULL;
}
