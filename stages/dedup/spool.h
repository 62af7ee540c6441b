/*
 * spool.h - angka-dedup's copy of its input rows, kept until the outputs are
 * written (the input may be a pipe, so it cannot be read twice).
 *
 * The spool is one byte sequence in up to two segments: the first
 * mem_cap bytes in an anonymous in-memory file (memfd), the rest in an
 * unlinked temporary file under tmpdir. A disk file of a few GB that lives
 * for a minute still costs its full writeback (the kernel writes dirty
 * pages once they pass vm.dirty_background_ratio): measured on 10 million
 * rows, the on-disk spool made the run 5 s slower and doubled the system
 * time. The memory segment is bounded ([dedup] spool_memory_mb) and a row
 * never straddles the two; if the memory file cannot grow (no memfd, out
 * of memory) the rest simply goes to disk.
 *
 * Ownership: the spool owns both descriptors and its write buffer;
 * dedup_spool_close releases them (the files vanish with the process in
 * any case: the memfd is anonymous, the disk file unlinked at once).
 * dedup_spool_open allocates the write buffer with angka_xmalloc, which
 * exits 1 on out of memory; I/O errors are returned with e set.
 */
#ifndef ANGKA_DEDUP_SPOOL_H
#define ANGKA_DEDUP_SPOOL_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

struct dedup_spool {
	int mfd;             /* memory segment, -1 if none */
	int dfd;             /* disk segment, -1 until needed */
	uint64_t mem_cap;    /* bytes allowed in the memory segment */
	uint64_t mem_len;    /* bytes in the memory segment (its end) */
	uint64_t len;        /* bytes in the spool, both segments */
	const char *tmpdir;  /* NULL: $TMPDIR or /tmp (borrowed) */
	char *buf;           /* write buffer */
	size_t blen;
	int to_disk;         /* rows now go to the disk segment */
	/* A spool of files (dedup_spool_files): their bytes one after the
	 * other, read only; no memory or disk segment. */
	size_t nfiles;
	int *ffd;
	uint64_t *fstart;    /* spool offset of file k; [nfiles]: len */
	/* A checking spool (dedup_spool_check): the rows are compared with
	 * the file (chk_fd, read into the window chk_win as the rows come)
	 * instead of stored; len is the offset of the next row in it. */
	int checking;
	int chk_fd;            /* -1: none */
	char *chk_win;         /* file bytes chk_woff .. chk_woff + chk_wlen */
	size_t chk_wcap, chk_wlen;
	uint64_t chk_woff;
	int chk_err;           /* errno of a failed read of the file, or 0 */
	uint64_t chk_size;
	uint64_t chk_bad;      /* offset + 1 of the first row that differs */
	uint32_t *chk_len;     /* each row's length */
	size_t chk_n, chk_alloc;
};

/* An empty spool; mem_cap 0 keeps everything on disk. */
enum angka_err dedup_spool_open(struct dedup_spool *s, uint64_t mem_cap,
                                const char *tmpdir, struct angka_error *e);
/* Append one row (len bytes); its offset is the spool's len before. */
enum angka_err dedup_spool_add(struct dedup_spool *s, const char *row,
                               size_t len, struct angka_error *e);
/* Room for a row of at most len bytes in the write buffer, to be built in
 * place and then counted with dedup_spool_added(s, its length); NULL if
 * the row is larger than the buffer (add it with dedup_spool_add) or on a
 * write error (e set: e->code is not ANGKA_OK). */
char *dedup_spool_reserve(struct dedup_spool *s, size_t len,
                          struct angka_error *e);
void dedup_spool_added(struct dedup_spool *s, size_t len);
/* Flush the write buffer: call once after the last row (a checking
 * spool: ANGKA_EIO if the file could not be read back). */
enum angka_err dedup_spool_finish(struct dedup_spool *s, struct angka_error *e);
/* Read len bytes at off (within one row) into out. */
enum angka_err dedup_spool_read(const struct dedup_spool *s, uint64_t off,
                                char *out, size_t len, struct angka_error *e);
/* The segment holding offset off: its descriptor, the offset within it and
 * the bytes of the segment from there on. */
int dedup_spool_segment(const struct dedup_spool *s, uint64_t off,
                        uint64_t *seg_off, uint64_t *seg_left);
/* The spool as the files paths[0..n) one after the other (nothing is
 * copied: the rows are where they are in the files, --recs); opened read
 * only. ANGKA_EIO with e set. The rows' offsets are file offsets (plus the
 * bytes of the files before), so a row's range runs to the next row and
 * holds its line end: the row text is the range without trailing CR and
 * LF (dedup_row_text). */
enum angka_err dedup_spool_files(struct dedup_spool *s,
                                 const char *const *paths, size_t n,
                                 struct angka_error *e);
/* A spool that stores nothing but checks that the rows added are the
 * bytes of the file path, one after the other from its second line
 * (skip_header) or its first, apart only by line ends (CR, LF) and
 * blank lines, each ending at a line end or the end of the file; the
 * rows' offsets are then their offsets in the file (--recs-out: the file
 * is read back there). ANGKA_EIO with e set if the file cannot be
 * opened or read. */
enum angka_err dedup_spool_check(struct dedup_spool *s, const char *path,
                                 int skip_header, struct angka_error *e);
/* After the last row of a checking spool: 0 if every row matched and
 * only line ends follow the last, else the line (1-based) of the first
 * row that did not (or of the bytes after the last row). */
long dedup_spool_check_line(const struct dedup_spool *s);
void dedup_spool_close(struct dedup_spool *s);

#endif
