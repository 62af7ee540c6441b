/*
 * csv_line.h - line records (angka_csv_reader_lines) split into fields:
 * the one splitter of the rows the reader hands out whole, for the
 * stages that ask for them (ingest, dedup).
 *
 * Ownership: struct angka_csv_line owns its buffers (zero it before first
 * use, angka_csv_line_release frees them); the record that
 * angka_csv_line_record returns and its field pointers are borrowed from
 * it and from the line record (src), valid until the next call on it or
 * the reader's next record, whichever comes first. It allocates with
 * angka_xmalloc (exits on out-of-memory): for executables.
 * angka_csv_line_offsets writes only to the caller's array.
 */
#ifndef ANGKA_CSV_LINE_H
#define ANGKA_CSV_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "csv_reader.h"

/*
 * A line record (angka_csv_reader_lines: a row on one line without a
 * quote or a NUL, as it was read) made the record the reader would have
 * made of it: the line copied with each delimiter a NUL (the fields,
 * NUL-terminated, in one piece: raw), quote set for a field with a comma
 * (another delimiter; no quote, CR or LF can be in it), a field that is
 * not valid UTF-8 transcoded from Windows-1252 (ANGKA_ENC_AUTO) or the
 * record flagged ANGKA_CSV_REC_BADUTF8 (ANGKA_ENC_UTF8), raw then NULL as
 * for a quoted field. The reader's fast path checked the same bytes for
 * the same things field by field; this is one pass (the scan of
 * angka_csv_line_offsets, with the copy and the checks).
 */
struct angka_csv_line {
	char *buf, *tbuf;            /* the fields; transcoded fields */
	size_t cap, tcap;
	const char **field;
	size_t *len;
	unsigned char *quote;
	size_t fcap;
	enum angka_encoding enc;
	struct angka_csv_record rec;
};

/* The record the reader would have made of line record row (flags
 * ANGKA_CSV_REC_LINE) read with delimiter delim (see above). */
const struct angka_csv_record *
angka_csv_line_record(struct angka_csv_line *l,
                      const struct angka_csv_record *row, char delim);
void angka_csv_line_release(struct angka_csv_line *l);

/* Split a line record s[0..len) (len + 1 < UINT32_MAX) at delim:
 * q[j] is where field j starts, q[j + 1] - 1 where it ends (q has room
 * for len + 2 entries: a field per byte and one more, and the end);
 * returns the number of fields. Only the offsets are stored, one per
 * delimiter without a test, for a caller that reads a few fields of
 * each row: pointers and lengths for every field cost more. Nothing is
 * copied or checked (UTF-8, commas under another delimiter). */
size_t angka_csv_line_offsets(const char *s, size_t len, char delim,
                              uint32_t *q);

#endif
