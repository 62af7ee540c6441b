/*
 * line_index.h - the record index of a plain CSV file: what angka-ingest
 * --index writes beside its output and angka-normalize --shard --index
 * reads, so that a shard neither counts the file's lines nor scans it for
 * its first record (normalize_shard_range in stages/normalize).
 *
 * The index holds the file's physical line count as normalize counts it
 * (its '\n' bytes, one more if the last byte is not '\n', at least 1),
 * whether a lone '\r' (one not before '\n') occurs anywhere in it (the
 * CSV reader's lines are then not the '\n' lines: no seek), and the
 * physical line and byte offset of every ANGKA_LINE_INDEX_INTERVAL-th
 * record start (records may span lines through quoted line ends). A
 * fingerprint of the file (its size and modification time) lets a reader
 * refuse an index of another file, or of an older version of this one.
 *
 * The file is text, one item a line, each ended by '\n', in this order:
 *   angka-line-index 1
 *   file SIZE MTIME_SEC.NSEC   the file's size and mtime (9 digits)
 *   lines N
 *   records R                  rows written, the header included
 *   lone_cr 0|1
 *   interval I
 *   mark LINE OFFSET           zero or more, LINE and OFFSET increasing
 *   end M                      the number of marks before it
 *
 * Ownership: struct angka_line_index owns its marks (init, then release);
 * angka_line_index_find returns a pointer into them, valid until the next
 * add or the release. Allocation failures are returned (ANGKA_ENOMEM),
 * never fatal.
 */
#ifndef ANGKA_LINE_INDEX_H
#define ANGKA_LINE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Records between two marks: at 10 million rows of 227 bytes, 610 marks
 * (13 KB) and a seek at most 3.7 MB before a shard's first record. */
#define ANGKA_LINE_INDEX_INTERVAL 16384

struct angka_line_mark {
	long line;        /* physical line where the record starts (>= 2) */
	uint64_t off;     /* its first byte */
};

struct angka_line_index {
	uint64_t size;            /* bytes of the file */
	long long mtime_sec;      /* its modification time */
	long mtime_nsec;
	uint64_t lines;           /* physical lines, counted as above */
	uint64_t records;         /* rows, the header included */
	uint64_t interval;        /* records between two marks */
	int lone_cr;              /* 1: a '\r' not before '\n' in the file */
	struct angka_line_mark *mark;  /* owned, increasing */
	size_t n, cap;
};

/* An empty index with the given interval (> 0). */
void angka_line_index_init(struct angka_line_index *x, uint64_t interval);
/* Free the marks; x is empty (init'ed with its interval) again. */
void angka_line_index_release(struct angka_line_index *x);

/* Append a mark; line and off must be larger than the last mark's
 * (ANGKA_EINTERNAL otherwise). ANGKA_ENOMEM if the array cannot grow. */
enum angka_err angka_line_index_add(struct angka_line_index *x, long line,
                                    uint64_t off, struct angka_error *e);

/*
 * Write x for the file data (its fingerprint from stat(2), which must
 * show x->size bytes) to path: a temporary file renamed into place,
 * every write checked (csv_writer.h). Sets x->mtime_*. ANGKA_EIO with e
 * set (naming the file) on failure; ANGKA_EDATA if data does not have
 * x->size bytes.
 */
enum angka_err angka_line_index_write(struct angka_line_index *x,
                                      const char *path, const char *data,
                                      struct angka_error *e);

/*
 * Parse the text buf[0..len) of an index named name (for messages) into
 * x (init'ed, empty). ANGKA_EDATA with e set ("'NAME':LINE: ...") on
 * anything but the format above: unknown or missing items, numbers that
 * are not plain decimals or overflow, marks not increasing or outside the
 * file (line 2..lines, offset 1..size-1), a wrong end count, bytes after
 * it. x may hold some marks after an error: release it.
 */
enum angka_err angka_line_index_parse(struct angka_line_index *x,
                                      const char *buf, size_t len,
                                      const char *name,
                                      struct angka_error *e);

/*
 * Read and parse the index at path and check that it describes the file
 * data as it is now (size and mtime, from stat(2)). ANGKA_EDATA naming
 * both files when it does not (a stale index, or one of another file);
 * ANGKA_EIO if either cannot be read.
 */
enum angka_err angka_line_index_load(struct angka_line_index *x,
                                     const char *path, const char *data,
                                     struct angka_error *e);

/* The last mark whose line is <= line, or NULL if there is none. */
const struct angka_line_mark *
angka_line_index_find(const struct angka_line_index *x, long line);

#endif
