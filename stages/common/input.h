/*
 * input.h - byte input from a path or "-" (stdin), plain or gzip.
 *
 * gzip is detected by its magic bytes (zlib's transparent mode), never by the
 * file name. Decompression runs on a producer thread that fills a small ring
 * of large buffers while the caller parses the previous one, so inflate and
 * CSV parsing overlap on two cores. Memory is bounded: ANGKA_INPUT_NBUF
 * buffers of ANGKA_INPUT_BUFSZ bytes, whatever the input size.
 *
 * A truncated or corrupt gzip stream is an error (ANGKA_EGZIP) naming the
 * file, reported by angka_input_next() or at the latest by
 * angka_input_close(); never a silently short file.
 */
#ifndef ANGKA_INPUT_H
#define ANGKA_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define ANGKA_INPUT_BUFSZ ((size_t)1 << 20)
#define ANGKA_INPUT_NBUF 4

struct angka_input;

/*
 * Open path ("-" means stdin, named "<stdin>" in messages). On success *in
 * is an owned handle to be released with angka_input_close().
 */
enum angka_err angka_input_open(struct angka_input **in, const char *path,
                                struct angka_error *e);

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

/* Decompressed bytes delivered so far. */
uint64_t angka_input_bytes(const struct angka_input *in);

/*
 * Stop the producer, check the gzip trailer (gzclose_r) and free in.
 * Returns ANGKA_OK, or ANGKA_EGZIP/ANGKA_EIO with e set if the stream was
 * damaged. Safe on NULL. If the caller stopped reading early, pass
 * early_stop = 1: the trailer cannot be checked then and is not.
 */
enum angka_err angka_input_close(struct angka_input *in, int early_stop,
                                 struct angka_error *e);

#endif
