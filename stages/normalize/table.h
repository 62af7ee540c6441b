/*
 * table.h - the plumbing shared by the table-like normalize handlers
 * (survey.c, lines.c, programme.c, reference.c): read a canonical CSV by
 * column name, write an output with a fixed header, quarantine rows, print
 * rate-limited warnings, check conservation and commit atomically. Also the
 * repair/flag code lists and Kemendagri region-code normalization.
 *
 * Ownership: a normalize_table owns its reader, writer and quarantine until
 * normalize_table_finish() or normalize_table_abort(); field pointers from
 * normalize_table_get() are borrowed until the next normalize_table_next().
 */
#ifndef NORMALIZE_TABLE_H
#define NORMALIZE_TABLE_H

#include <stddef.h>

#include "normalize.h"
#include "number.h"

struct normalize_table {
	struct angka_csv_reader *r;
	struct angka_csv_writer *w;
	struct angka_quarantine q;
	int q_open;
	const char *name;         /* input display name (borrowed from r) */
	const struct angka_csv_record *rec;   /* current row, borrowed */
	size_t nheader;
	char **header;            /* input column names (owned) */
	int col_file, col_line;   /* src_file and src_line */
	int quiet;
	long max_warnings, warnings;
	struct normalize_stats *st;
};

/*
 * Open o->in (a canonical CSV: comma, UTF-8, one header row that has
 * src_file and src_line), the output o->out with header out_cols (NULL-
 * terminated) and the quarantine o->quarantine (stage "normalize"). The
 * stats are zeroed and counted through t. On error everything is freed.
 */
enum angka_err normalize_table_open(struct normalize_table *t,
                                    const struct normalize_opts *o,
                                    const struct normalize_settings *s,
                                    const char *const *out_cols,
                                    struct normalize_stats *st,
                                    struct angka_error *e);

/* Index of input column name, or -1. */
int normalize_table_col(const struct normalize_table *t, const char *name);

/*
 * Require columns names (NULL-terminated): ANGKA_ESCHEMA naming the first
 * missing one and the columns found.
 */
enum angka_err normalize_table_require(const struct normalize_table *t,
                                       const char *const *names,
                                       struct angka_error *e);

/* Next data row: 1 (counted in rows_in), 0 at the end, -1 on error. A row
 * with a different field count than the header is quarantined here
 * (field_count) and skipped. */
int normalize_table_next(struct normalize_table *t, struct angka_error *e);

/* Field col of the current row ("" and length 0 when col < 0). */
const char *normalize_table_get(const struct normalize_table *t, int col,
                                size_t *len);
/* src_file and src_line of the current row. */
const char *normalize_table_src_file(const struct normalize_table *t);
long normalize_table_src_line(const struct normalize_table *t);

/*
 * Quarantine the current row (counted in rows_quarantined) with a reason
 * code from angka_reasons[] and a detail, and print a warning (rate-limited,
 * unless quiet). The detail goes to stderr: it must not contain a NIK or a
 * name.
 */
void normalize_table_quarantine(struct normalize_table *t, const char *field,
                                const char *reason, const char *detail);

/* A rate-limited warning about the current row ("'src':line: msg"). */
void normalize_table_warn(struct normalize_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Output helpers: one field of the current output row. */
void normalize_table_str(struct normalize_table *t, const char *s);
void normalize_table_field(struct normalize_table *t, const char *s,
                           size_t len);
/* A text field as normalize_table_field(), with a leading ' if a
 * spreadsheet would read it as a formula (angka_csv_formula_like); returns
 * 1 then, for the caller's fixes (formula_escaped). */
int normalize_table_text(struct normalize_table *t, const char *s, size_t len);
/* A number in the shortest round-trip form; NaN writes an empty field. */
void normalize_table_num(struct normalize_table *t, double v);
/* The current row's src_file and src_line. */
void normalize_table_src(struct normalize_table *t);
/* End the output row (counted in rows_out; in rows_fixed if fixed). */
void normalize_table_end_row(struct normalize_table *t, int fixed);

/*
 * Close the input, check conservation (ANGKA_EBALANCE), then commit the
 * quarantine and the output. t is released whatever the result.
 */
enum angka_err normalize_table_finish(struct normalize_table *t,
                                      struct angka_error *e);
/* Discard the outputs and release t. Safe after a failed open. */
void normalize_table_abort(struct normalize_table *t);

/* A '|'-separated list of codes (fixes or flags), without duplicates. */
struct normalize_codes {
	char buf[512];
	size_t len;
};
void normalize_codes_clear(struct normalize_codes *c);
void normalize_codes_add(struct normalize_codes *c, const char *code);

/*
 * Trim ASCII spaces of s[0..*len): returns the new start and sets *len.
 */
const char *normalize_trim(const char *s, size_t *len);

/*
 * Normalize a Kemendagri region code s[0..len) to the dotted canonical
 * form ("63", "63.11", "63.11.01", "63.11.01.2001") in dotted (capacity
 * >= 16) and the undotted digits (2/4/6/10) in digits (capacity >= 11).
 * Accepts dotted codes whose parts lost leading zeros ("63.11.1") and
 * undotted codes of 2, 4, 6 or 10 digits; spaces and '-' are ignored.
 * "63.1" is rejected: it is the spreadsheet form of the number 63.10,
 * whose lost zero was a trailing one.
 * Returns the level (1 province, 2 kabupaten/kota, 3 kecamatan, 4
 * desa/kelurahan), 0 for empty input, -1 if s is not such a code.
 */
int normalize_kode(const char *s, size_t len, char *dotted, char *digits);

/*
 * Urban/rural label s[0..len): 1 perkotaan ("1", "Perkotaan", "Kota",
 * "Urban", "K"), 2 perdesaan ("2", "Perdesaan", "Pedesaan", "Desa",
 * "Rural", "D"), 3 total ("3", "Total", "Jumlah", "K+D", "Perkotaan +
 * Perdesaan"), 0 empty, -1 anything else. Case and spaces are ignored.
 */
int normalize_daerah(const char *s, size_t len);
/* "perkotaan", "perdesaan", "total" for 1, 2, 3; "" otherwise. */
const char *normalize_daerah_name(int d);

/*
 * A 4-digit year (1900-2100) in the last path component of s: the first
 * run of exactly 4 digits within that range ("susenas_balangan_2019.csv"
 * gives 2019), or 0.
 */
int normalize_year_in(const char *s);

/*
 * Parse a Rupiah amount s[0..len) ("Rp581.229,00", "2.500.000", "467681",
 * "467,681.5"). Like angka_number_parse under AUTO, except that a lone
 * separator followed by exactly 3 digits groups thousands ("467.681" and
 * "467,681" are 467681): Rupiah amounts are not written with 3 decimals.
 */
enum angka_number_status normalize_rupiah(const char *s, size_t len,
                                          struct angka_number *num);

/*
 * Multiply the decimal number num by 10^k (k may be negative) exactly:
 * the result is the double nearest to the decimal product, rounded to the
 * decimals it can have (num->frac_digits - k, at least 0).
 */
double normalize_scale10(const struct angka_number *num, int k);

#endif
