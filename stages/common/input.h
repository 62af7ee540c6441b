/*
 * input.h - byte input from a path or "-" (stdin), plain or gzip.
 *
 * gzip is detected by its magic bytes (as zlib's transparent mode), never by
 * the file name, and inflated by ISA-L (igzip); concatenated members are
 * read one after the other, bytes after a member that are not a member are
 * ignored (as zlib's gzread). Decompression runs on a producer thread that fills a small ring
 * of large buffers while the caller parses the previous one, so inflate and
 * CSV parsing overlap on two cores. Memory is bounded: ANGKA_INPUT_NBUF
 * buffers of ANGKA_INPUT_BUFSZ bytes, whatever the input size.
 *
 * A truncated or corrupt gzip stream is an error (ANGKA_EGZIP) naming the
 * file, reported by angka_input_next() or at the latest by
 * angka_input_close(); never a silently short file.
 *
 * Files that are not text are recognised by their first bytes, not by
 * their names, and read as CSV text that the reader thread writes: Stata
 * .dta, SPSS .sav/.zsav/.por, SAS .sas7bdat/.xpt (read_stat.c, libreadstat)
 * and Excel .xlsx (read_xlsx.c, minizip + expat): a header row of the
 * variable names, then one comma-separated UTF-8 row per record, numbers
 * with the digits that give back the same double. UTF-16 text (a BOM, or
 * NUL bytes every other byte) is transcoded to UTF-8 (utf16.c, iconv).
 * The binary formats need a file (seekable); on a pipe they are an error
 * that says so.
 */
#ifndef ANGKA_INPUT_H
#define ANGKA_INPUT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "err.h"

#define ANGKA_INPUT_BUFSZ ((size_t)1 << 20)
#define ANGKA_INPUT_NBUF 4

struct angka_input;

/* What the first bytes showed. */
enum angka_input_kind {
	ANGKA_IN_TEXT = 0,  /* plain or gzip text, as it is */
	ANGKA_IN_UTF16LE,   /* UTF-16 text, transcoded to UTF-8 */
	ANGKA_IN_UTF16BE,
	ANGKA_IN_DTA,       /* Stata */
	ANGKA_IN_SAV,       /* SPSS, also .zsav */
	ANGKA_IN_POR,       /* SPSS portable */
	ANGKA_IN_SAS7BDAT,
	ANGKA_IN_XPT,       /* SAS transport */
	ANGKA_IN_XLSX
};

/* How the binary formats are read; one setting for the process, set by a
 * program's main() before it opens any input. */
struct angka_input_opts {
	int labels;         /* value labels instead of codes (stat files) */
	const char *sheet;  /* .xlsx sheet name; NULL: the first sheet */
};
void angka_input_set_opts(const struct angka_input_opts *o);
const struct angka_input_opts *angka_input_get_opts(void);

/* "Stata .dta" etc., for messages. */
const char *angka_input_kind_name(enum angka_input_kind k);

/*
 * angka-ingest --describe: a Stata/SPSS/SAS file's variables, types,
 * formats, variable labels and value labels (as Stata's describe and
 * label list); for text and .xlsx the columns of the first row.
 */
enum angka_err angka_input_describe(const char *path, FILE *out,
                                    struct angka_error *e);

/* The kind of the file at path from its first bytes (ANGKA_IN_TEXT for
 * text, gzip and UTF-16); -1 with e set when it cannot be opened. */
int angka_input_sniff_path(const char *path, struct angka_error *e);

/*
 * Open path ("-" means stdin, named "<stdin>" in messages). On success *in
 * is an owned handle to be released with angka_input_close().
 */
enum angka_err angka_input_open(struct angka_input **in, const char *path,
                                struct angka_error *e);
/* The same from byte offset of a plain file (a seek; 0: the start). */
enum angka_err angka_input_open_at(struct angka_input **in, const char *path,
                                   uint64_t offset, struct angka_error *e);

/*
 * Next chunk of decompressed bytes. Returns 1 and sets *data and *len (borrowed,
 * valid until the next call or close), 0 at end of input, -1 on error (e set).
 */
int angka_input_next(struct angka_input *in, const char **data, size_t *len,
                     struct angka_error *e);

/* The display name: the path, or "<stdin>". Borrowed. */
const char *angka_input_name(const struct angka_input *in);

/* 1 if the stream was gzip, 0 if plain (known after the first chunk). */
int angka_input_is_gzip(const struct angka_input *in);

/* The kind of the stream (UTF-16 known after the first chunk). */
enum angka_input_kind angka_input_kind(const struct angka_input *in);

/* Decompressed bytes delivered so far. */
uint64_t angka_input_bytes(const struct angka_input *in);

/*
 * Stop the producer, report a damaged stream and free in.
 * Returns ANGKA_OK, or ANGKA_EGZIP/ANGKA_EIO with e set if the stream was
 * damaged. Safe on NULL. If the caller stopped reading early, pass
 * early_stop = 1: the trailer cannot be checked then and is not.
 */
enum angka_err angka_input_close(struct angka_input *in, int early_stop,
                                 struct angka_error *e);

#endif
