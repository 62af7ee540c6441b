/*
 * csv_reader.h - the one CSV reader of angka, over libcsv.
 *
 * Reads a path or "-" (plain or gzip, see input.h), strips a UTF-8 BOM,
 * accepts CRLF, LF and lone CR line ends, sniffs the delimiter among
 * , ; | TAB unless fixed, transcodes Windows-1252 to UTF-8 record by record
 * when the bytes are not valid UTF-8 (or always, if asked), and tracks the
 * physical line where each record starts, counting newlines inside quoted
 * fields. Blank lines are skipped and counted. Memory is bounded by the
 * chunk size plus the largest record; no per-field malloc.
 *
 * Ownership: a record returned by angka_csv_reader_next() and all its field
 * pointers are borrowed; they stay valid until the next call to
 * angka_csv_reader_next() or angka_csv_reader_free(). Copy what you keep.
 */
#ifndef ANGKA_CSV_READER_H
#define ANGKA_CSV_READER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "input.h"

enum angka_encoding {
	ANGKA_ENC_AUTO = 0,   /* UTF-8; a record that is not valid UTF-8 is
	                       * transcoded from Windows-1252 and flagged */
	ANGKA_ENC_UTF8,       /* UTF-8 only; invalid records are flagged
	                       * ANGKA_CSV_REC_BADUTF8 and left as they are */
	ANGKA_ENC_CP1252      /* the whole file is Windows-1252 */
};

struct angka_csv_opts {
	char delim;                  /* 0: sniff from the first line */
	enum angka_encoding encoding;
	size_t max_record_bytes;     /* 0: default 64 MiB */
	size_t max_field_bytes;      /* 0: default 1 MiB (at most the
	                              * record limit) */
	size_t max_fields;           /* fields per record; 0: 65536 */
	int libcsv_only;             /* 1: no fast path, every row through
	                              * libcsv (for differential tests) */
	uint64_t start_offset;       /* a plain file read from this byte on,
	                              * the start of a record (a shard);
	                              * 0: from the start */
	long start_line;             /* the physical line at start_offset
	                              * (used when start_offset > 0) */
};

enum angka_csv_rec_flags {
	ANGKA_CSV_REC_TRANSCODED = 1 << 0, /* converted from Windows-1252 */
	ANGKA_CSV_REC_BADUTF8 = 1 << 1,    /* invalid UTF-8 left in place */
	ANGKA_CSV_REC_NUL = 1 << 2,        /* a field contains a NUL byte */
	ANGKA_CSV_REC_LINE = 1 << 3        /* a line record, not split (see
	                                    * angka_csv_reader_lines) */
};

struct angka_csv_record {
	size_t nfields;
	const char *const *field;  /* NUL-terminated (but see ANGKA_CSV_REC_NUL) */
	const size_t *len;         /* byte length of each field */
	const unsigned char *quote; /* 1 if the field has , " CR or LF */
	long line;                 /* physical line where the record starts */
	long nlines;               /* physical lines it spans (>= 1) */
	unsigned flags;            /* enum angka_csv_rec_flags */
	/* The record as one piece, or NULL: when set, the fields lie at
	 * raw[0..rawlen) in order, each separated from the next by one NUL
	 * byte (where the delimiter was), and none needs CSV quoting (no
	 * , " CR LF) or holds a NUL. Set for rows the fast path split (no
	 * quotes, one line, valid UTF-8); NULL for the others. */
	const char *raw;
	size_t rawlen;
	/* With raw: the same rawlen bytes as they were read, the
	 * delimiter between the fields (the row as a CSV line without its
	 * end: what angka_csv_raw_join would make of raw with the
	 * delimiter). Borrowed from the input's chunk, valid as raw.
	 * A line record (flags ANGKA_CSV_REC_LINE): src[0..rawlen) is the
	 * whole row, and nfields is 0, field, len, quote and raw NULL. */
	const char *src;
};

struct angka_csv_reader;

/* Open path with opts (NULL: defaults). *r is owned: angka_csv_reader_free. */
enum angka_err angka_csv_reader_open(struct angka_csv_reader **r,
                                     const char *path,
                                     const struct angka_csv_opts *opts,
                                     struct angka_error *e);

/*
 * Next record: 1 and *rec set, 0 at a clean end of input, -1 on error
 * (e set: I/O, gzip, unterminated quote at end of file, record too large).
 */
int angka_csv_reader_next(struct angka_csv_reader *r,
                          const struct angka_csv_record **rec,
                          struct angka_error *e);

/*
 * Line records (on: 1), from the next chunk read on: a row on one line
 * without a quote character or a NUL byte, whose line end is in the same
 * chunk, is handed out as it was read instead of split into fields
 * (flags ANGKA_CSV_REC_LINE, see angka_csv_record.src): the caller splits
 * it at the delimiter (each one separates two fields, none needs
 * unquoting) and saves the reader's copy and per-field work. Its bytes
 * are not checked as UTF-8 (ANGKA_CSV_REC_BADUTF8 is never set on it),
 * so for ANGKA_ENC_UTF8 readers only (ignored otherwise); on = 2 also for
 * ANGKA_ENC_AUTO, whose caller then transcodes each field of a line that
 * is not valid UTF-8 (angka_cp1252_to_utf8) as _next would. Other rows
 * come as before. Line numbers, blank lines and limits are unchanged.
 */
void angka_csv_reader_lines(struct angka_csv_reader *r, int on);
/* The delimiter in use (sniffed after the first call to _next). */
char angka_csv_reader_delim(const struct angka_csv_reader *r);
/* Display name of the input ("<stdin>" for "-"). Borrowed. */
const char *angka_csv_reader_name(const struct angka_csv_reader *r);
/* Blank lines skipped so far. */
long angka_csv_reader_blank_lines(const struct angka_csv_reader *r);
/* Decompressed bytes read so far. */
uint64_t angka_csv_reader_bytes(const struct angka_csv_reader *r);

/*
 * Check the end of the stream (gzip trailer) and free r. Call after _next
 * returned 0 to learn about a truncated gzip file; returns its error.
 * Safe on NULL.
 */
enum angka_err angka_csv_reader_close(struct angka_csv_reader *r,
                                      struct angka_error *e);
/* Free without checks (after an error). Safe on NULL. */
void angka_csv_reader_free(struct angka_csv_reader *r);

/* A record's raw text (angka_csv_record.raw) into out with sep between
 * the fields: the row as a CSV line without its end. Returns len. */
size_t angka_csv_raw_join(const char *raw, size_t len, char sep, char *out);

/*
 * Sniff a delimiter from the first (up to 30) lines of buf: the candidate
 * among , ; | TAB whose most common per-line count (outside quotes) holds
 * on the most lines; ',' when none occurs.
 */
char angka_csv_sniff_delim(const char *buf, size_t len);

/*
 * Text that input.c wrote (a binary format as CSV) is comma-separated
 * UTF-8 whatever the profile says; UTF-16 text was transcoded to UTF-8.
 * Sets *delim and *enc for those (read_formats.c); leaves them otherwise.
 */
struct angka_input;
/* What the reader reads: text, UTF-16, a stat file, .xlsx (input.h). */
enum angka_input_kind angka_csv_reader_kind(const struct angka_csv_reader *r);
void angka_csv_reader_converted(const struct angka_input *in, char *delim,
                                enum angka_encoding *enc);

/* 1 if s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int angka_utf8_valid(const char *s, size_t len);

/*
 * Transcode Windows-1252 s[0..len) to UTF-8 into out (capacity >= 3*len+1,
 * NUL-terminated). Returns the output length. Undefined bytes 0x81 0x8D
 * 0x8F 0x90 0x9D map to U+FFFD.
 */
size_t angka_cp1252_to_utf8(const char *s, size_t len, char *out);

#endif
