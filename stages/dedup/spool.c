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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SPOOL_BUFSZ ((size_t)1 << 20)

enum angka_err dedup_spool_open(struct dedup_spool *s, uint64_t mem_cap,
                                const char *tmpdir, struct angka_error *e)
{
	(void)e;
	memset(s, 0, sizeof *s);
	s->mfd = s->dfd = -1;
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

/* A checking spool: the row row[0..len) at the next row's offset. */
static void check_row(struct dedup_spool *s, const char *row, size_t len)
{
	if (s->chk_n == s->chk_alloc) {
		s->chk_alloc = s->chk_alloc ? 2 * s->chk_alloc : 4096;
		s->chk_len = angka_xrealloc(s->chk_len,
		                            s->chk_alloc * sizeof *s->chk_len);
	}
	s->chk_len[s->chk_n++] = (uint32_t)len;
	if (s->chk_bad)
		return;
	uint64_t pos = s->len, end = pos + len;
	const char *p = s->chk;
	if (len > UINT32_MAX || end > s->chk_size ||
	    memcmp(p + pos, row, len) != 0 ||
	    (end < s->chk_size && p[end] != '\n' && p[end] != '\r')) {
		s->chk_bad = pos + 1;
		return;
	}
	while (end < s->chk_size && (p[end] == '\n' || p[end] == '\r'))
		end++;
	s->len = end;
	/* The file read so far leaves the resident memory (the mapping
	 * would hold all of it by the end). */
	if (end - s->chk_dropped >= ((uint64_t)64 << 20)) {
		uint64_t to = end & ~(uint64_t)0xfffff;
		madvise((char *)p + s->chk_dropped, (size_t)(to - s->chk_dropped),
		        MADV_DONTNEED);
		s->chk_dropped = to;
	}
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
	s->mfd = s->dfd = -1;
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
	s->mfd = s->dfd = -1;
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
	s->chk_size = (uint64_t)sb.st_size;
	if (s->chk_size) {
		void *m = mmap(NULL, (size_t)s->chk_size, PROT_READ, MAP_PRIVATE,
		               fd, 0);
		if (m == MAP_FAILED) {
			close(fd);
			s->chk_size = 0;
			return ANGKA_ERR(e, ANGKA_EIO, "'%s': cannot map:", path);
		}
		s->chk = m;
		madvise(m, (size_t)s->chk_size, MADV_SEQUENTIAL);
	}
	close(fd);
	s->buf = angka_xmalloc(SPOOL_BUFSZ);
	uint64_t pos = 0;
	if (skip_header) {
		const char *nl = s->chk_size ? memchr(s->chk, '\n',
		                                      (size_t)s->chk_size) : NULL;
		pos = nl ? (uint64_t)(nl - s->chk) + 1 : s->chk_size;
	}
	while (pos < s->chk_size && (s->chk[pos] == '\n' || s->chk[pos] == '\r'))
		pos++;
	s->len = pos;
	return ANGKA_OK;
}

long dedup_spool_check_line(const struct dedup_spool *s)
{
	uint64_t at = s->chk_bad ? s->chk_bad - 1 : s->len;
	if (!s->chk_bad && at == s->chk_size)
		return 0;
	long line = 1;
	for (uint64_t k = 0; k < at && k < s->chk_size; k++)
		line += s->chk[k] == '\n';
	return line;
}

void dedup_spool_close(struct dedup_spool *s)
{
	if (s->chk)
		munmap((void *)s->chk, (size_t)s->chk_size);
	s->chk = NULL;
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
