/*
 * input_int.h - the producer side of struct angka_input (internal to
 * input.c and the format readers read_stat.c, read_xlsx.c, utf16.c).
 *
 * A producer runs on input.c's thread and writes the bytes of the stream
 * into the ring: angka_input_put() copies and blocks while every buffer is
 * full, so a reader that turns a binary file into CSV text runs in bounded
 * memory whatever the file's size. A producer returns 0 when done, -1
 * after angka_input_fail() or when angka_input_put() said the consumer
 * stopped.
 */
#ifndef ANGKA_INPUT_INT_H
#define ANGKA_INPUT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "input.h"

/* Append n bytes to the stream: 0, or -1 when the consumer stopped. */
int angka_input_put(struct angka_input *in, const void *p, size_t n);

/* Free space in the current buffer (acquiring one if needed) for a
 * producer that reads straight into it; NULL when the consumer stopped.
 * angka_input_commit() then adds the n bytes written there. */
char *angka_input_space(struct angka_input *in, size_t *avail);
void angka_input_commit(struct angka_input *in, size_t n);

/* Record the producer's error (the message should name the file). */
void angka_input_fail(struct angka_input *in, enum angka_err code,
                      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The producers of the binary formats, over the open descriptor fd
 * positioned at the file's start. */
int angka_read_stat(struct angka_input *in, int fd, enum angka_input_kind k,
                    const struct angka_input_opts *o);
int angka_read_xlsx(struct angka_input *in, int fd,
                    const struct angka_input_opts *o);

/* Describe a stat file to out (variables, types, formats, value label
 * names, variable labels, then the value labels): 0, or -1 with msg. */
int angka_stat_describe(int fd, const char *name, enum angka_input_kind k,
                        FILE *out, char *msg, size_t cap);

/* A double as text with nothing lost (read_stat.c): an integer below 2^53
 * as digits; an integer up to 1e17 with ".0" (a double holds only even
 * integers above 2^53: see nik.h rule 2); else the fewest digits that
 * read back to v. Returns the length (0 if v is not finite). */
size_t angka_format_double_exact(double v, char *buf, size_t cap);

/* Days since 1970-01-01 and seconds of the day as ISO text (read_stat.c):
 * "YYYY-MM-DD", with " HH:MM:SS" when with_time; 0 out of years 1-9999. */
size_t angka_format_iso(double unix_secs, int with_time, char *buf,
                        size_t cap);

/* UTF-16 (see utf16.c): the kind the first bytes of a text stream show
 * (ANGKA_IN_TEXT, ANGKA_IN_UTF16LE or ANGKA_IN_UTF16BE), and a converter
 * to UTF-8 that carries an incomplete code unit from one call to the next
 * and writes U+FFFD for what is not UTF-16. */
enum angka_input_kind angka_utf16_sniff(const unsigned char *p, size_t n);
struct angka_utf16;
struct angka_utf16 *angka_utf16_open(enum angka_input_kind k);
/* Convert in[0..n) (n = 0 and last = 1 at the end) and put the result. */
int angka_utf16_put(struct angka_utf16 *u, struct angka_input *in,
                    const char *p, size_t n, int last);
void angka_utf16_close(struct angka_utf16 *u);

#endif
