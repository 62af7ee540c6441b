/*
 * normalize.c - angka-normalize's dispatcher: the one kind table and the
 * conservation check shared by every kind (the [normalize] settings are in
 * settings.c).
 */
#include "normalize.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "input.h"
#include "line_index.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <unistd.h>

typedef enum angka_err (*normalize_fn)(const struct normalize_opts *,
                                       struct angka_config *,
                                       struct normalize_stats *,
                                       struct angka_error *);

static const struct kind_handler {
	enum angka_kind kind;
	normalize_fn run;
} handlers[] = {
	{ ANGKA_KIND_DTKS, normalize_dtks_run },
	{ ANGKA_KIND_SUSENAS, normalize_survey_run },
	{ ANGKA_KIND_GARIS_KEMISKINAN, normalize_lines_run },
	{ ANGKA_KIND_TERBITAN, normalize_terbitan_run },
	{ ANGKA_KIND_KUBE, normalize_programme_run },
	{ ANGKA_KIND_UEP, normalize_programme_run },
	{ ANGKA_KIND_PENDUDUK, normalize_penduduk_run },
	{ ANGKA_KIND_WILAYAH, normalize_wilayah_run },
};

enum angka_err normalize_run(const struct normalize_opts *o,
                             struct angka_config *cfg,
                             struct normalize_stats *st,
                             struct angka_error *e)
{
	memset(st, 0, sizeof *st);
	if (o->shard_n && o->kind != ANGKA_KIND_DTKS)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "--shard is for kind 'dtks' "
		                 "(the other kinds compare rows across the file)");
	if (o->index && !o->shard_n)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "--index is for --shard K/N");
	for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
		if (handlers[i].kind != o->kind)
			continue;
		enum angka_err rc = handlers[i].run(o, cfg, st, e);
		if (rc != ANGKA_OK)
			return rc;
		/* Every handler checks its own counts before it commits; this
		 * second check guards the dispatcher's contract. */
		return angka_check_balance(st->rows_in, st->rows_out,
		                           st->rows_quarantined, 0, e);
	}
	const char *name = angka_kind_name(o->kind);
	return ANGKA_ERR(e, ANGKA_EUSAGE, "kind '%s' is not supported yet",
	                 name ? name : "?");
}

/* The byte after the first '\n' outside quotes that starts line lo or a
 * later one: the start of the first record of the shard, and its line. A
 * plain file whose line ends are '\n' or "\r\n" only (as angka-ingest
 * writes): the reader's physical lines are the '\n' then. */
static enum angka_err shard_seek(const char *path, long lo, uint64_t *off,
                                 long *line, struct angka_error *e)
{
	struct angka_input *in;
	enum angka_err rc = angka_input_open(&in, path, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *data;
	size_t len;
	int got, inq = 0;
	long l = 1;
	uint64_t pos = 0;
	*off = 0;
	/* By memchr from quote to quote and line end to line end: a byte
	 * at a time, the seek of the last shard of two cost about a CPU
	 * second per GB before it (the shard's critical path). */
	while (!*off && (got = angka_input_next(in, &data, &len, e)) > 0) {
		const char *p = data, *end = data + len;
		while (p < end && !*off) {
			const char *q = memchr(p, '"', (size_t)(end - p));
			const char *stop = q ? q : end, *nl;
			while (p < stop &&
			       (nl = memchr(p, '\n', (size_t)(stop - p))) != NULL) {
				l++;
				p = nl + 1;
				if (!inq && l >= lo) {
					*off = pos + (uint64_t)(p - data);
					*line = l;
					break;
				}
			}
			if (*off)
				break;
			p = stop;
			if (q) {
				inq ^= 1;
				p++;
			}
		}
		pos += len;
	}
	angka_input_close(in, 1, &(struct angka_error){ 0 });
	if (!*off && got < 0)
		return e->code;
	return ANGKA_OK;
}

/* 1 if byte off - 1 of path is '\n' (a mark starts a line there), 0 if
 * not; ANGKA_EIO on a read error (e set, *ok untouched). */
static enum angka_err follows_line_end(const char *path, uint64_t off,
                                       int *ok, struct angka_error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot open '%s':", path);
	char c = 0;
	ssize_t k;
	do
		k = pread(fd, &c, 1, (off_t)(off - 1));
	while (k < 0 && errno == EINTR);
	int err = k < 0 ? errno : 0;
	if (close(fd) != 0 && !err)
		err = errno;
	if (err) {
		errno = err;
		return ANGKA_ERR(e, ANGKA_EIO, "read error on '%s':", path);
	}
	*ok = k == 1 && c == '\n';
	return ANGKA_OK;
}

/* The lines [*lo, *hi) of shard o->shard_k of o->shard_n over an input of
 * lines physical lines (counted or from the index, the same count): the
 * record at line l (1-based) is in shard min(N-1, (l-1)N/lines). *hi is
 * left as it is for the last shard. */
static void shard_lines(const struct normalize_opts *o, uint64_t lines,
                        long *lo, long *hi)
{
	uint64_t n = o->shard_n, k = o->shard_k;
	*lo = (long)((k * lines + n - 1) / n) + 1;
	if (k + 1 < n)
		*hi = (long)(((k + 1) * lines + n - 1) / n) + 1;
}

/* normalize_shard_range with o->index: the same range from the index's
 * line count, the seek to its nearest mark. */
static enum angka_err shard_range_indexed(const struct normalize_opts *o,
                                          long *lo, long *hi,
                                          uint64_t *off, long *off_line,
                                          struct angka_error *e)
{
	struct angka_line_index x;
	angka_line_index_init(&x, ANGKA_LINE_INDEX_INTERVAL);
	enum angka_err rc = angka_line_index_load(&x, o->index, o->in, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	uint64_t k = o->shard_k;
	shard_lines(o, x.lines, lo, hi);
	/* A lone CR: the reader's lines are not the marks' (as without
	 * the index, read from the start). */
	const struct angka_line_mark *m = angka_line_index_find(&x, *lo);
	if (k == 0 || x.lone_cr || !m)
		goto cleanup;
	int ok = 0;
	rc = follows_line_end(o->in, m->off, &ok, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (!ok) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s' is not the index of '%s' "
		               "(its mark at byte %" PRIu64 " is not a line's "
		               "start): write it again with angka-ingest --index",
		               o->index, o->in, m->off);
		goto cleanup;
	}
	*off = m->off;
	*off_line = m->line;
cleanup:
	angka_line_index_release(&x);
	return rc;
}

enum angka_err normalize_shard_range(const struct normalize_opts *o,
                                     long *lo, long *hi, uint64_t *off,
                                     long *off_line, struct angka_error *e)
{
	*lo = 0;
	*hi = LONG_MAX;
	*off = 0;
	*off_line = 1;
	if (o->shard_n == 0)
		return ANGKA_OK;
	if (strcmp(o->in, "-") == 0)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "--shard needs a file, not "
		                 "stdin (the input is read twice)");
	if (o->index)
		return shard_range_indexed(o, lo, hi, off, off_line, e);
	/* The lines of the input, counted as the bytes after each '\n' that
	 * start a line: any count will do as long as every shard uses the
	 * same one, since a record's shard only grows with its line. */
	struct angka_input *in;
	enum angka_err rc = angka_input_open(&in, o->in, e);
	if (rc != ANGKA_OK)
		return rc;
	uint64_t lines = 0;
	char last = '\n', prev = '\n';
	int lone_cr = 0;
	const char *data;
	size_t len;
	int got;
	while ((got = angka_input_next(in, &data, &len, e)) > 0) {
		const char *p = data, *end = data + len;
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			lines++;
			p++;
		}
		/* A '\r' not before '\n' is a line end to the reader. */
		for (p = data; !lone_cr &&
		     (p = memchr(p, '\r', (size_t)(end - p))) != NULL; p++)
			lone_cr = p + 1 < end ? p[1] != '\n' : 0;
		if (len && prev == '\r' && data[0] != '\n')
			lone_cr = 1;
		if (len)
			last = prev = data[len - 1];
	}
	if (got < 0) {
		angka_input_close(in, 1, &(struct angka_error){ 0 });
		return e->code;
	}
	int gzip = angka_input_is_gzip(in) == 1 ||
	           angka_input_kind(in) != ANGKA_IN_TEXT;
	rc = angka_input_close(in, 0, e);
	if (rc != ANGKA_OK)
		return rc;
	if (last == '\r')
		lone_cr = 1;
	if (last != '\n')
		lines++;
	if (lines == 0)
		lines = 1;
	uint64_t k = o->shard_k;
	shard_lines(o, lines, lo, hi);
	/* A plain file is read from its shard's first record on (a seek);
	 * a gzip (or a lone CR line end) is read from the start, the
	 * records before the shard skipped. */
	if (k > 0 && !gzip && !lone_cr)
		return shard_seek(o->in, *lo, off, off_line, e);
	return ANGKA_OK;
}
