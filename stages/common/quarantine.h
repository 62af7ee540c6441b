/*
 * quarantine.h - rows that a stage cannot pass on, with a reason code.
 *
 * Format (DESIGN.md): src_file,src_line,stage,field,reason,detail,raw
 * Quarantine files hold personal data: they are written mode 0600.
 *
 * Reason codes are stable strings; every code any stage uses is listed in
 * angka_reasons[] with its meaning, so the README and tests share one table.
 *
 * Ownership: the quarantine owns its writer; angka_quarantine_commit/abort
 * free it. A NULL quarantine (no file requested) still counts rows.
 */
#ifndef ANGKA_QUARANTINE_H
#define ANGKA_QUARANTINE_H

#include <stddef.h>
#include <stdint.h>

#include "csv_reader.h"
#include "csv_writer.h"
#include "err.h"

struct angka_reason {
	const char *code;
	const char *meaning;
};
/* NULL-terminated table of every reason code. */
extern const struct angka_reason angka_reasons[];
/* 1 if code is in the table. */
int angka_reason_known(const char *code);

struct angka_quarantine {
	struct angka_csv_writer *w;   /* NULL: count only */
	const char *stage;
	uint64_t rows;
};

/*
 * A file whose every data row went to the quarantine was read wrongly:
 * returns ANGKA_EDATA naming it (what), the main reason and its likely
 * cause (delimiter, encoding, kind of file) when rows_in > 0 and
 * rows_out == 0; ANGKA_OK otherwise. (angka-ingest: normalize may
 * legitimately quarantine a whole table, e.g. another region's rows.)
 */
enum angka_err angka_check_not_all_quarantined(const char *what,
                                               const char *kind,
                                               uint64_t rows_in,
                                               uint64_t rows_out,
                                               const char *reason,
                                               uint64_t reason_rows,
                                               struct angka_error *e);

/*
 * Open a quarantine file at path (NULL: count only, rows are dropped with a
 * count; callers that must conserve rows always pass a path).
 */
enum angka_err angka_quarantine_open(struct angka_quarantine *q,
                                     const char *path, const char *stage,
                                     struct angka_error *e);
/* The same, with the header row only when header is 1 (a shard after the
 * first, whose file is appended to the first's). */
enum angka_err angka_quarantine_open_header(struct angka_quarantine *q,
                                            const char *path,
                                            const char *stage, int header,
                                            struct angka_error *e);

/*
 * Add one row. raw is the record as text; when rec is given instead of raw
 * (raw NULL), the record's fields are re-joined with delim.
 */
void angka_quarantine_add(struct angka_quarantine *q, const char *src_file,
                          long src_line, const char *field, const char *reason,
                          const char *detail, const char *raw,
                          const struct angka_csv_record *rec, char delim);

/*
 * Conservation, the one check every stage runs before it commits: rows in =
 * out + quarantined + folded into duplicates. Returns ANGKA_OK, or
 * ANGKA_EBALANCE with the four counts in e (a bug, never bad data).
 */
enum angka_err angka_check_balance(uint64_t in, uint64_t out,
                                   uint64_t quarantined, uint64_t duplicates,
                                   struct angka_error *e);

enum angka_err angka_quarantine_commit(struct angka_quarantine *q,
                                       struct angka_error *e);
void angka_quarantine_abort(struct angka_quarantine *q);

#endif
