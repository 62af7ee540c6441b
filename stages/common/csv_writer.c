/*
 * csv_writer.c - buffered, atomic RFC 4180 writer (plain or gzip).
 */
#include "csv_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define WBUFSZ ((size_t)1 << 18)

struct angka_csv_writer {
	char *path;       /* final path, NULL for stdout */
	char *tmp;        /* temporary path */
	int fd;
	gzFile gz;
	unsigned flags;
	char *buf;
	size_t len;
	int nfield;       /* fields in the current row */
	uint64_t written; /* bytes written to fd */
	uint64_t synced;  /* bytes whose writeback has been started */
	uint64_t rows;
	int err;          /* errno of the first failure, or -1 for zlib */
	char errwhat[64];
};

const char *angka_csv_writer_name(const struct angka_csv_writer *w)
{
	return w->path ? w->path : "<stdout>";
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void fail(struct angka_csv_writer *w, int err, const char *what)
{
	if (w->err)
		return;
	w->err = err ? err : EIO;
	snprintf(w->errwhat, sizeof w->errwhat, "%s", what);
}

/*
 * Start the disk writeback of what was written since the last call, every
 * WRITEBACK_STEP bytes, without waiting for it (Linux sync_file_range): the
 * fsync in angka_csv_writer_commit then waits only for the tail instead of
 * the whole file (a 2.7 GB output took 3 s to fsync after the last write).
 * Only a hint: it cannot fail the write, and the fsync still decides.
 */
#define WRITEBACK_STEP ((uint64_t)32 << 20)

static void start_writeback(struct angka_csv_writer *w)
{
#ifdef SYNC_FILE_RANGE_WRITE
	if (!w->path || (w->flags & ANGKA_CSV_WRITER_NOSYNC) ||
	    w->written - w->synced < WRITEBACK_STEP)
		return;
	(void)sync_file_range(w->fd, (off_t)w->synced,
	                      (off_t)(w->written - w->synced),
	                      SYNC_FILE_RANGE_WRITE);
	w->synced = w->written;
#else
	(void)w;
#endif
}

int angka_fsync_wanted(void)
{
	static int wanted = -1;
	if (wanted < 0) {
		const char *v = getenv("ANGKA_FSYNC");
		wanted = v && strcmp(v, "1") == 0;
	}
	return wanted;
}

void angka_pipe_grow(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
	(void)fd;
#endif
}

static void flush_buf(struct angka_csv_writer *w)
{
	if (w->err || w->len == 0) {
		w->len = 0;
		return;
	}
	if (w->gz) {
		int n = gzwrite(w->gz, w->buf, (unsigned)w->len);
		if (n <= 0 || (size_t)n != w->len) {
			int zerr;
			gzerror(w->gz, &zerr);
			fail(w, zerr == Z_ERRNO ? errno : EIO, "write");
		}
	} else {
		size_t off = 0;
		while (off < w->len) {
			ssize_t n = write(w->fd, w->buf + off, w->len - off);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				fail(w, errno, "write");
				break;
			}
			off += (size_t)n;
		}
		w->written += off;
		start_writeback(w);
	}
	w->len = 0;
}

static inline void put(struct angka_csv_writer *w, const char *s, size_t n)
{
	if (n > WBUFSZ - w->len) {
		flush_buf(w);
		if (n > WBUFSZ) {
			/* A huge field: write it through in buffer-sized pieces. */
			size_t off = 0;
			while (off < n) {
				size_t k = n - off < WBUFSZ ? n - off : WBUFSZ;
				memcpy(w->buf, s + off, k);
				w->len = k;
				flush_buf(w);
				off += k;
			}
			return;
		}
	}
	if (n)  /* 14 of 32 dtks output columns are empty: no call */
		memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static inline void putc_w(struct angka_csv_writer *w, char c)
{
	if (w->len == WBUFSZ)
		flush_buf(w);
	w->buf[w->len++] = c;
}

enum angka_err angka_csv_writer_open(struct angka_csv_writer **out,
                                     const char *path, unsigned flags,
                                     struct angka_error *e)
{
	*out = NULL;
	struct angka_csv_writer *w = calloc(1, sizeof *w);
	if (!w)
		return ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
	w->flags = flags;
	if (!angka_fsync_wanted())
		w->flags |= ANGKA_CSV_WRITER_NOSYNC;
	w->fd = -1;
	w->buf = malloc(WBUFSZ);
	if (!w->buf) {
		free(w);
		return ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
	}
	if (!path || strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
		angka_pipe_grow(w->fd);
		*out = w;
		return ANGKA_OK;
	}
	w->path = strdup(path);
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	size_t n = dirlen + strlen(base) + 32;
	w->tmp = malloc(n);
	if (!w->path || !w->tmp) {
		angka_csv_writer_abort(w);
		return ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
	}
	snprintf(w->tmp, n, "%.*s.%s.tmp.XXXXXX", (int)dirlen, path, base);
	w->fd = mkstemp(w->tmp);
	if (w->fd < 0) {
		enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO,
		                              "cannot create '%s':", w->tmp);
		free(w->tmp);
		w->tmp = NULL;
		angka_csv_writer_abort(w);
		return rc;
	}
	mode_t mode = 0600;
	if (!(flags & ANGKA_CSV_WRITER_PRIVATE)) {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(w->fd, mode) != 0) {
		enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO, "cannot chmod '%s':", w->tmp);
		angka_csv_writer_abort(w);
		return rc;
	}
	if (ends_with(path, ".gz")) {
		int fd2 = dup(w->fd);
		w->gz = fd2 >= 0 ? gzdopen(fd2, "wb6") : NULL;
		if (!w->gz) {
			if (fd2 >= 0)
				close(fd2);
			enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO,
			                              "cannot open gzip stream on '%s'",
			                              w->tmp);
			angka_csv_writer_abort(w);
			return rc;
		}
		gzbuffer(w->gz, 1 << 17);
	}
	*out = w;
	return ANGKA_OK;
}

size_t angka_csv_quote(const char *s, size_t len, int force, char *out)
{
	if (!force && !angka_csv_needs_quote(s, len)) {
		memcpy(out, s, len);
		return len;
	}
	size_t k = 0;
	out[k++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			out[k++] = '"';
		out[k++] = s[i];
	}
	out[k++] = '"';
	return k;
}

int angka_csv_needs_quote(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ',' || c == '"' || c == '\n' || c == '\r')
			return 1;
	}
	return 0;
}

void angka_csv_writer_raw(struct angka_csv_writer *w, const char *s, size_t len)
{
	if (w->nfield++)
		putc_w(w, ',');
	put(w, s, len);
}

void angka_csv_writer_field(struct angka_csv_writer *w, const char *s,
                            size_t len)
{
	angka_csv_writer_field_q(w, s, len, angka_csv_needs_quote(s, len));
}

void angka_csv_writer_field_q(struct angka_csv_writer *w, const char *s,
                              size_t len, int needs_quote)
{
	if (w->nfield++)
		putc_w(w, ',');
	if (!needs_quote) {
		put(w, s, len);
		return;
	}
	putc_w(w, '"');
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"') {
			put(w, s + start, i - start + 1);
			putc_w(w, '"');
			start = i + 1;
		}
	}
	put(w, s + start, len - start);
	putc_w(w, '"');
}

void angka_csv_writer_str(struct angka_csv_writer *w, const char *s)
{
	angka_csv_writer_field(w, s ? s : "", s ? strlen(s) : 0);
}

void angka_csv_writer_long(struct angka_csv_writer *w, long long v)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
	                             : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	angka_csv_writer_raw(w, p, (size_t)(tmp + sizeof tmp - p));
}

void angka_csv_writer_double(struct angka_csv_writer *w, double v)
{
	if (!isfinite(v)) {
		angka_csv_writer_raw(w, "", 0);
		return;
	}
	char tmp[40];
	int n = snprintf(tmp, sizeof tmp, "%.17g", v);
	angka_csv_writer_raw(w, tmp, (size_t)n);
}

void angka_csv_writer_end_row(struct angka_csv_writer *w)
{
	putc_w(w, '\n');
	w->nfield = 0;
	w->rows++;
}

void angka_csv_writer_row(struct angka_csv_writer *w, size_t n,
                          const char *const *fields)
{
	for (size_t i = 0; i < n; i++)
		angka_csv_writer_str(w, fields[i]);
	angka_csv_writer_end_row(w);
}

char *angka_csv_writer_reserve(struct angka_csv_writer *w, size_t n)
{
	if (n > WBUFSZ)
		return NULL;
	if (n > WBUFSZ - w->len)
		flush_buf(w);
	return w->buf + w->len;
}

void angka_csv_writer_row_done(struct angka_csv_writer *w, size_t n)
{
	w->len += n;
	w->nfield = 0;
	w->rows++;
}

uint64_t angka_csv_writer_rows(const struct angka_csv_writer *w)
{
	return w->rows;
}

static void release(struct angka_csv_writer *w)
{
	free(w->buf);
	free(w->path);
	free(w->tmp);
	free(w);
}

enum angka_err angka_csv_writer_commit(struct angka_csv_writer *w,
                                       struct angka_error *e)
{
	flush_buf(w);
	if (w->gz) {
		int z = gzclose_w(w->gz);
		w->gz = NULL;
		if (z != Z_OK)
			fail(w, z == Z_ERRNO ? errno : EIO, "gzip close");
	}
	if (!w->path) {
		/* stdout: nothing to rename, but a lost write must show. */
		if (w->err) {
			errno = w->err;
			enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO,
			                              "%s error on <stdout>:",
			                              w->errwhat);
			release(w);
			return rc;
		}
		release(w);
		return ANGKA_OK;
	}
	if (!w->err && !(w->flags & ANGKA_CSV_WRITER_NOSYNC) && fsync(w->fd) != 0)
		fail(w, errno, "fsync");
	if (close(w->fd) != 0)
		fail(w, errno, "close");
	w->fd = -1;
	if (!w->err && rename(w->tmp, w->path) != 0)
		fail(w, errno, "rename");
	if (w->err) {
		errno = w->err;
		enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO, "%s error on '%s':",
		                              w->errwhat, w->path);
		unlink(w->tmp);
		release(w);
		return rc;
	}
	release(w);
	return ANGKA_OK;
}

void angka_csv_writer_abort(struct angka_csv_writer *w)
{
	if (!w)
		return;
	if (w->gz)
		gzclose_w(w->gz);
	if (w->path && w->fd >= 0)
		close(w->fd);
	if (w->tmp && w->path)
		unlink(w->tmp);
	release(w);
}
