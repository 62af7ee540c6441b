/*
 * csv_writer.h - RFC 4180 CSV output (comma, LF, quote only when needed),
 * written atomically.
 *
 * To a path: the bytes go to a hidden temporary file in the same directory
 * (".NAME.tmp.XXXXXX"); angka_csv_writer_commit() flushes, fsyncs (with
 * ANGKA_FSYNC=1, see angka_fsync_wanted), closes and
 * renames it over NAME, so a reader sees either the old file or the complete
 * new one, never a part. A path ending in ".gz" is gzip-compressed.
 * A file output that grows past 64 MiB is written on with O_DIRECT by a
 * second thread, bypassing the page cache (csv_writer.c says why); the
 * environment variable ANGKA_DIRECT_IO=0 turns this off.
 * Every file output is created 0600, whatever the umask: a stage cannot
 * tell a published aggregate from personal data reliably, so the driver
 * sets the modes of what it publishes (driver.h). While the temporary file
 * exists it is registered in tmpreg.h, so SIGTERM, SIGINT or SIGHUP remove
 * it before the stage dies.
 * To stdout (path NULL or "-"): commit flushes and checks that the bytes were
 * really written (sbase's fshut).
 *
 * Hash log: when the environment variable ANGKA_HASH_LOG names a file at
 * open, the writer computes the sha256 of exactly the bytes it writes to
 * the file (a ".gz" path: the compressed bytes, read back at commit), the
 * direct part on the direct-write thread after each write, and after the
 * rename commit appends to that file (O_APPEND, created 0600, one write)
 * one line for the file in place:
 *   DEV INO SIZE MTIME_SEC.NSEC CTIME_SEC.NSEC SHA256
 * decimal numbers from stat(2) of the final path (the nanoseconds in 9
 * digits) and 64 lowercase hex digits: the driver then need not read the
 * file back to hash it (pipeline/hash.c says when it trusts a line).
 * Several processes may share one log. No line for stdout, a file written
 * in place, a workbook, or a file replaced between the rename and the
 * stat; a log that cannot be written is commit's error (ANGKA_EIO; the
 * output is in place).
 *
 * Errors are sticky: field/row calls never fail visibly; the first write
 * error is reported by commit, which then removes the temporary file.
 * angka_csv_writer_abort() discards the output (temporary file unlinked).
 * Every writer must end with exactly one commit or abort, which frees it.
 */
#ifndef ANGKA_CSV_WRITER_H
#define ANGKA_CSV_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "err.h"

struct angka_csv_writer;

enum angka_csv_writer_flags {
	ANGKA_CSV_WRITER_PRIVATE = 1 << 0,  /* personal data (every file output is
	                                     * 0600 anyway, see above) */
	ANGKA_CSV_WRITER_NOSYNC = 1 << 1    /* never fsync, even with ANGKA_FSYNC=1 */
};

/*
 * Open a writer for path (NULL or "-": stdout). *w is owned until commit or
 * abort. Returns ANGKA_EIO with e set if the temporary file cannot be made.
 */
enum angka_err angka_csv_writer_open(struct angka_csv_writer **w,
                                     const char *path, unsigned flags,
                                     struct angka_error *e);

/*
 * Also write every byte of a file output to stdout (a pipe to the next
 * stage), in order, as it goes to the file (not compressed: a ".gz" path
 * gets the plain CSV on stdout). The copy is not atomic: on a failure
 * stdout has had a prefix and the file is not made; a write error on
 * stdout is w's error (reported by commit). Once commit has copied the
 * last byte, stdout is made /dev/null (the next stage sees the end of
 * its input without waiting for the file's last disk write and this
 * process's exit): nothing else may be written to stdout. Nothing for a
 * stdout output. Call before the first row.
 */
void angka_csv_writer_tee_stdout(struct angka_csv_writer *w);

/* Append one field to the current row (quoted if it needs it). */
void angka_csv_writer_field(struct angka_csv_writer *w, const char *s,
                            size_t len);
/* The same when the caller knows whether s has , " CR or LF (a reader's
 * rec->quote[i]): no scan. */
void angka_csv_writer_field_q(struct angka_csv_writer *w, const char *s,
                              size_t len, int needs_quote);
/* Same for a NUL-terminated string; NULL writes an empty field. */
void angka_csv_writer_str(struct angka_csv_writer *w, const char *s);
/* Append an integer field. */
void angka_csv_writer_long(struct angka_csv_writer *w, long long v);
/* Append a double in the shortest digits that round-trip
 * (angka_number_format: 7296.24, not 7296.2399999999998); NaN/inf -> empty. */
void angka_csv_writer_double(struct angka_csv_writer *w, double v);
/*
 * Append bytes that are already valid CSV text: one pre-quoted field, or
 * several fields already joined by commas (a stage that builds whole rows
 * itself); the writer adds only the separating comma before it.
 */
void angka_csv_writer_raw(struct angka_csv_writer *w, const char *s, size_t len);
/* End the current row. */
void angka_csv_writer_end_row(struct angka_csv_writer *w);
/* Write a whole row of n NUL-terminated strings. */
void angka_csv_writer_row(struct angka_csv_writer *w, size_t n,
                          const char *const *fields);

/*
 * Publication form of a table a person opens (call before the first row).
 * The header decides: a column kode_wilayah has its undotted Kemendagri
 * codes written dotted ("6311012001" -> "63.11.01.2001"; other values as
 * they are) and, with regions (may be NULL), a column nama_wilayah after
 * it holding each code's name from the table ("" if not in it; the code
 * "total" of a whole table is "Jumlah"), unless the header already has
 * one; likewise, with regions, a column nama_domain after a column domain
 * naming the region of a domain "kode_wilayah=CODE" (its CODE dotted;
 * "" for any other domain: total, perkotaan, ...). ANGKA_CSV_EXCEL_ID writes what an Indonesian-locale Excel opens
 * as numbers: a UTF-8 BOM, ';' between fields, and a decimal comma in
 * every field written as a number with a decimal point (7296,24), except
 * in columns named kode_*. Rows are rewritten one at a time when they end
 * (so the table's rows must each fit the 256 KiB buffer); no direct I/O.
 * regions is borrowed until commit.
 */
enum angka_csv_dialect {
	ANGKA_CSV_RFC4180 = 0,  /* comma, decimal point, no BOM */
	ANGKA_CSV_EXCEL_ID      /* ';', decimal comma, UTF-8 BOM */
};
struct angka_region_table;
void angka_csv_writer_publish(struct angka_csv_writer *w,
                              enum angka_csv_dialect dialect,
                              const struct angka_region_table *regions);
/* "rfc4180" or "excel-id": 0 and *d set, or -1. */
int angka_csv_dialect_from_name(const char *name, enum angka_csv_dialect *d);
/* Undotted code of 2, 4, 6 or 10 digits into dotted out (capacity >= 14):
 * its length, or 0 (out untouched) for anything else. */
size_t angka_region_dotted(const char *code, size_t len, char *out);

/* Rows ended so far. */
uint64_t angka_csv_writer_rows(const struct angka_csv_writer *w);
/* Bytes of the output so far (written and buffered): between rows, the
 * byte offset where the next row starts. A plain file or stdout only (a
 * ".gz" path: the bytes handed to zlib are not counted). */
uint64_t angka_csv_writer_offset(const struct angka_csv_writer *w);
/*
 * Room for a whole row of at most n bytes in the output buffer, for a
 * caller that formats the row itself (valid CSV, ending in '\n'); NULL if n
 * is larger than the buffer (write it field by field instead). Then
 * angka_csv_writer_row_done(w, bytes used) ends the row. Only between rows.
 */
char *angka_csv_writer_reserve(struct angka_csv_writer *w, size_t n);
void angka_csv_writer_row_done(struct angka_csv_writer *w, size_t n);
/*
 * Append nrows whole rows s[0..n) as they are (valid CSV, each ending in
 * '\n', formatted by the caller). Only between rows; not in publication
 * form (angka_csv_writer_publish).
 */
void angka_csv_writer_rows_raw(struct angka_csv_writer *w, const char *s,
                               size_t n, uint64_t nrows);
/* From now on, every writer this process opens writes through the page
 * cache, never direct: for files that another task reads right after
 * (the driver's sharded tasks, --page-cache), which then read them from
 * memory instead of the disk. */
void angka_csv_writer_page_cache(void);
/* 1 once the writer has switched to direct writes (O_DIRECT, see
 * csv_writer.c: file outputs past 64 MiB, unless ANGKA_DIRECT_IO=0 or
 * angka_csv_writer_page_cache()). */
int angka_csv_writer_direct(const struct angka_csv_writer *w);
/* Display name: the path or "<stdout>". Borrowed. */
const char *angka_csv_writer_name(const struct angka_csv_writer *w);

/* Finish: flush, fsync (ANGKA_FSYNC=1), close, rename into place. Frees w. */
enum angka_err angka_csv_writer_commit(struct angka_csv_writer *w,
                                       struct angka_error *e);
/* Discard: close and unlink the temporary file. Frees w. Safe on NULL. */
void angka_csv_writer_abort(struct angka_csv_writer *w);

/*
 * If fd is a pipe, ask for a 1 MiB pipe buffer (the Linux default is 64 KiB;
 * /proc/sys/fs/pipe-max-size allows 1 MiB to any user): the stages of a
 * pipeline then hand over data in larger pieces, with fewer context
 * switches. A hint: failure is ignored.
 */
void angka_pipe_grow(int fd);

/*
 * 1 if outputs are fsynced one by one on commit (environment ANGKA_FSYNC=1).
 * By default they are not: every output is atomic (temp file + rename), and
 * the driver makes a whole run durable at once (syncfs before it publishes
 * the run). Per-file fsync of a national-size file costs its full disk
 * write time inside the stage (measured: 3 s for a 2.7 GB unique file).
 */
int angka_fsync_wanted(void);

/*
 * RFC 4180 quoting into out (capacity >= 2*len + 2): "s" with quotes doubled
 * when s needs quoting (or always, with force), else s as it is. Returns the
 * bytes written; out is not NUL-terminated.
 */
size_t angka_csv_quote(const char *s, size_t len, int force, char *out);

/*
 * Copy a field s[0..len) into a row being formatted at out (as memcpy; no
 * overlap): most fields are short, and two overlapping moves of a constant
 * size (or a byte loop under 8 bytes) cost less than a call to memcpy.
 */
static inline void angka_csv_copy_field(char *out, const char *s, size_t len)
{
	if (len >= 8 && len <= 16) {
		uint64_t a, b;
		memcpy(&a, s, 8);
		memcpy(&b, s + len - 8, 8);
		memcpy(out, &a, 8);
		memcpy(out + len - 8, &b, 8);
	} else if (len < 8) {
		for (size_t i = 0; i < len; i++)
			out[i] = s[i];
	} else {
		memcpy(out, s, len);
	}
}

/* 1 if the field needs quoting (contains , " CR LF, or leading/trailing space
 * is kept as is and needs none). */
int angka_csv_needs_quote(const char *s, size_t len);

/*
 * Spreadsheet formula injection (OWASP CSV injection): 1 if a spreadsheet
 * would read s as a formula: it starts with =, @, TAB or CR, or with + or
 * - and is not a plain number ("-5", "+62812" stay numbers) nor a lone
 * sign ("-", a common "none"). Such a text
 * is written with a leading apostrophe in every CSV a person may open
 * (angka_csv_writer_text; normalize records the fix formula_escaped).
 */
int angka_csv_formula_like(const char *s, size_t len);

/* Write a text field, with a leading ' if angka_csv_formula_like(). */
void angka_csv_writer_text(struct angka_csv_writer *w, const char *s,
                           size_t len);

#endif
