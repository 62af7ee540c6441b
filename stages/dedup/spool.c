/*
 * spool.c - the input rows of angka-dedup in memory and on disk; see
 * spool.h.
 */
#include "spool.h"
#include "keysort.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>   /* memfd_create, MFD_CLOEXEC */
#include <sys/stat.h>
#include <unistd.h>

#define SPOOL_BUFSZ ((size_t)1 << 20)

enum angka_err dedup_spool_open(struct dedup_spool *s, uint64_t mem_cap,
                                const char *tmpdir, struct angka_error *e)
{
	(void)e;
	memset(s, 0, sizeof *s);
	s->mfd = s->dfd = s->chk_fd = -1;
	s->tmpdir = tmpdir;
	s->buf = angka_xmalloc(SPOOL_BUFSZ);
#ifdef MFD_CLOEXEC
	if (mem_cap)
		s->mfd = memfd_create("angka-dedup-spool", MFD_CLOEXEC);
#endif
	s->mem_cap = s->mfd >= 0 ? mem_cap : 0;
	s->to_disk = s->mfd < 0;
	return ANGKA_OK;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static enum angka_err open_disk(struct dedup_spool *s, struct angka_error *e)
{
	FILE *f = dedup_tmpfile(s->tmpdir, e);
	if (!f)
		return e->code;
	s->dfd = dup(fileno(f));
	fclose(f);
	if (s->dfd < 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot open a temporary file:");
	return ANGKA_OK;
}

/* Write p[0..n) to the segment rows go to now: memory, or disk once the
 * memory file cannot grow (it is cut back to its last whole write). */
static enum angka_err put(struct dedup_spool *s, const char *p, size_t n,
                          struct angka_error *e)
{
	if (!s->to_disk) {
		if (write_all(s->mfd, p, n) == 0) {
			s->mem_len += n;
			return ANGKA_OK;
		}
		if (ftruncate(s->mfd, (off_t)s->mem_len) != 0 ||
		    lseek(s->mfd, (off_t)s->mem_len, SEEK_SET) < 0)
			return ANGKA_ERR(e, ANGKA_EIO, "cannot write the spool "
			                 "in memory:");
		s->to_disk = 1;
	}
	if (s->dfd < 0) {
		enum angka_err rc = open_disk(s, e);
		if (rc != ANGKA_OK)
			return rc;
	}
	if (write_all(s->dfd, p, n) != 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write the spool file in "
		                 "'%s':", s->tmpdir ? s->tmpdir : "$TMPDIR");
	return ANGKA_OK;
}

static enum angka_err flush(struct dedup_spool *s, struct angka_error *e)
{
	enum angka_err rc = s->blen ? put(s, s->buf, s->blen, e) : ANGKA_OK;
	s->blen = 0;
	return rc;
}

/*
 * A checking spool reads the file with pread into one window, moved on
 * as the rows come, rather than mapping it: in this VM the first touch of
 * each mapped page stalls (see dedup_window_load in read.c). Measured on
 * the 2.7 GB n10m.csv, one 300-byte memcmp per row: mapped 2.0-2.2 s
 * CPU, read in 1 MiB windows 0.43 s.
 */
#define CHK_WINDOW ((size_t)1 << 20)

/* The window moved to start at off with at least need bytes (fewer at
 * the end of the file); 0, or -1 with chk_err set. */
static int chk_load(struct dedup_spool *s, uint64_t off, size_t need)
{
	size_t want = need > CHK_WINDOW ? need : CHK_WINDOW;
	if (want > s->chk_size - off)
		want = (size_t)(s->chk_size - off);
	if (want > s->chk_wcap) {
		free(s->chk_win);
		s->chk_wcap = want;
		s->chk_win = angka_xmalloc(want);
	}
	s->chk_woff = off;
	s->chk_wlen = 0;
	while (s->chk_wlen < want) {
		ssize_t r = pread(s->chk_fd, s->chk_win + s->chk_wlen,
		                  want - s->chk_wlen,
		                  (off_t)(off + s->chk_wlen));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			s->chk_err = r < 0 ? errno : EIO;
			return -1;
		}
		s->chk_wlen += (size_t)r;
	}
	return 0;
}

/* The file's bytes off .. off + n (within the file) from the window,
 * moved if needed; NULL on a read error. */
static inline const char *chk_at(struct dedup_spool *s, uint64_t off,
                                 size_t n)
{
	if ((off < s->chk_woff || off + n > s->chk_woff + s->chk_wlen) &&
	    chk_load(s, off, n) != 0)
		return NULL;
	return s->chk_win + (off - s->chk_woff);
}

/* A checking spool: the row row[0..len) at the next row's offset. */
static void check_row(struct dedup_spool *s, const char *row, size_t len)
{
	if (s->chk_n == s->chk_alloc) {
		s->chk_alloc = s->chk_alloc ? 2 * s->chk_alloc : 4096;
		s->chk_len = angka_xrealloc(s->chk_len,
		                            s->chk_alloc * sizeof *s->chk_len);
	}
	s->chk_len[s->chk_n++] = (uint32_t)len;
	if (s->chk_bad || s->chk_err)
		return;
	uint64_t pos = s->len, end = pos + len;
	if (len > UINT32_MAX || end > s->chk_size) {
		s->chk_bad = pos + 1;
		return;
	}
	/* The row and the byte after it, if any. */
	size_t n = len + (end < s->chk_size);
	const char *p = chk_at(s, pos, n);
	if (!p)
		return;
	if (memcmp(p, row, len) != 0 ||
	    (end < s->chk_size && p[len] != '\n' && p[len] != '\r')) {
		s->chk_bad = pos + 1;
		return;
	}
	while (end < s->chk_size) {
		const char *c = chk_at(s, end, 1);
		if (!c)
			return;
		if (*c != '\n' && *c != '\r')
			break;
		end++;
	}
	s->len = end;
}

enum angka_err dedup_spool_add(struct dedup_spool *s, const char *row,
                               size_t len, struct angka_error *e)
{
	enum angka_err rc;
	if (s->checking) {
		check_row(s, row, len);
		return ANGKA_OK;
	}
	/* The row after the buffer would pass the memory cap: the buffer
	 * goes to memory, this row and all after it to disk. */
	if (!s->to_disk && s->mem_len + s->blen + len > s->mem_cap) {
		if ((rc = flush(s, e)) != ANGKA_OK)
			return rc;
		s->to_disk = 1;
	}
	if (len > SPOOL_BUFSZ - s->blen) {
		if ((rc = flush(s, e)) != ANGKA_OK)
			return rc;
		if (len > SPOOL_BUFSZ) {
			/* A huge row: straight through, without the buffer. */
			if ((rc = put(s, row, len, e)) != ANGKA_OK)
				return rc;
			s->len += len;
			return ANGKA_OK;
		}
	}
	memcpy(s->buf + s->blen, row, len);
	s->blen += len;
	s->len += len;
	return ANGKA_OK;
}

char *dedup_spool_reserve(struct dedup_spool *s, size_t len,
                          struct angka_error *e)
{
	if (len > SPOOL_BUFSZ)
		return NULL;
	if (s->checking)
		return s->buf;   /* a scratch row, checked when added */
	if (!s->to_disk && s->mem_len + s->blen + len > s->mem_cap) {
		if (flush(s, e) != ANGKA_OK)
			return NULL;
		s->to_disk = 1;
	}
	if (len > SPOOL_BUFSZ - s->blen && flush(s, e) != ANGKA_OK)
		return NULL;
	return s->buf + s->blen;
}

void dedup_spool_added(struct dedup_spool *s, size_t len)
{
	if (s->checking) {
		check_row(s, s->buf, len);
		return;
	}
	s->blen += len;
	s->len += len;
}

enum angka_err dedup_spool_finish(struct dedup_spool *s, struct angka_error *e)
{
	if (s->checking && s->chk_err) {
		errno = s->chk_err;
		return ANGKA_ERR(e, ANGKA_EIO, "cannot read the input back:");
	}
	enum angka_err rc = s->checking ? ANGKA_OK : flush(s, e);
	free(s->buf);
	s->buf = NULL;
	return rc;
}

enum angka_err dedup_spool_files(struct dedup_spool *s,
                                 const char *const *paths, size_t n,
                                 struct angka_error *e)
{
	memset(s, 0, sizeof *s);
	s->mfd = s->dfd = s->chk_fd = -1;
	s->to_disk = 1;
	s->ffd = angka_xmalloc((n ? n : 1) * sizeof *s->ffd);
	s->fstart = angka_xmalloc((n + 1) * sizeof *s->fstart);
	s->fstart[0] = 0;
	for (size_t k = 0; k < n; k++) {
		struct stat sb;
		int fd = open(paths[k], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &sb) != 0) {
			if (fd >= 0)
				close(fd);
			return ANGKA_ERR(e, ANGKA_EIO, "'%s': cannot open:",
			                 paths[k]);
		}
		s->ffd[s->nfiles++] = fd;
		s->fstart[k + 1] = s->fstart[k] + (uint64_t)sb.st_size;
	}
	s->len = s->fstart[n];
	return ANGKA_OK;
}

int dedup_spool_segment(const struct dedup_spool *s, uint64_t off,
                        uint64_t *seg_off, uint64_t *seg_left)
{
	if (s->nfiles) {
		size_t lo = 0, hi = s->nfiles - 1;
		while (lo < hi) {   /* the last file starting at or before off */
			size_t mid = (lo + hi + 1) / 2;
			if (s->fstart[mid] <= off)
				lo = mid;
			else
				hi = mid - 1;
		}
		*seg_off = off - s->fstart[lo];
		*seg_left = s->fstart[lo + 1] - off;
		return s->ffd[lo];
	}
	if (off < s->mem_len) {
		*seg_off = off;
		*seg_left = s->mem_len - off;
		return s->mfd;
	}
	*seg_off = off - s->mem_len;
	*seg_left = s->len - off;
	return s->dfd;
}

enum angka_err dedup_spool_read(const struct dedup_spool *s, uint64_t off,
                                char *out, size_t len, struct angka_error *e)
{
	uint64_t so, left;
	int fd = dedup_spool_segment(s, off, &so, &left);
	size_t got = 0;
	while (got < len) {
		ssize_t r = pread(fd, out + got, len - got, (off_t)(so + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return ANGKA_ERR(e, ANGKA_EIO, "cannot read the spool "
			                 "back:");
		got += (size_t)r;
	}
	return ANGKA_OK;
}

enum angka_err dedup_spool_check(struct dedup_spool *s, const char *path,
                                 int skip_header, struct angka_error *e)
{
	memset(s, 0, sizeof *s);
	s->mfd = s->dfd = s->chk_fd = -1;
	s->to_disk = 1;
	s->checking = 1;
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return ANGKA_ERR(e, ANGKA_EIO, "'%s': --recs-out needs a "
		                 "regular file (its rows are read back by "
		                 "offset):", path);
	}
	s->chk_fd = fd;
	s->chk_size = (uint64_t)sb.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	s->buf = angka_xmalloc(SPOOL_BUFSZ);
	uint64_t pos = 0;
	const char *c;
	if (skip_header) {   /* past the first LF */
		while (pos < s->chk_size && (c = chk_at(s, pos, 1)) && *c != '\n')
			pos++;
		if (pos < s->chk_size)
			pos++;
	}
	while (pos < s->chk_size && (c = chk_at(s, pos, 1)) &&
	       (*c == '\n' || *c == '\r'))
		pos++;
	if (s->chk_err) {
		errno = s->chk_err;
		return ANGKA_ERR(e, ANGKA_EIO, "'%s': cannot read:", path);
	}
	s->len = pos;
	return ANGKA_OK;
}

long dedup_spool_check_line(const struct dedup_spool *cs)
{
	/* Only the window moves: a cache of the file's bytes. */
	struct dedup_spool *s = (struct dedup_spool *)cs;
	uint64_t at = s->chk_bad ? s->chk_bad - 1 : s->len;
	if (!s->chk_bad && at == s->chk_size)
		return 0;
	long line = 1;
	for (uint64_t k = 0; k < at && k < s->chk_size; ) {
		size_t n = at - k < CHK_WINDOW ? (size_t)(at - k) : CHK_WINDOW;
		const char *p = chk_at(s, k, n);
		if (!p)
			break;   /* a read error: the line counted so far */
		for (size_t j = 0; j < n; j++)
			line += p[j] == '\n';
		k += n;
	}
	return line;
}

void dedup_spool_close(struct dedup_spool *s)
{
	if (s->checking && s->chk_fd >= 0)
		close(s->chk_fd);
	s->chk_fd = -1;
	free(s->chk_win);
	s->chk_win = NULL;
	s->chk_wcap = s->chk_wlen = 0;
	s->chk_size = 0;
	s->checking = 0;
	free(s->chk_len);
	s->chk_len = NULL;
	if (s->mfd >= 0)
		close(s->mfd);
	if (s->dfd >= 0)
		close(s->dfd);
	free(s->buf);
	for (size_t k = 0; k < s->nfiles; k++)
		close(s->ffd[k]);
	free(s->ffd);
	free(s->fstart);
	s->ffd = NULL;
	s->fstart = NULL;
	s->nfiles = 0;
	s->mfd = s->dfd = -1;
	s->buf = NULL;
}
