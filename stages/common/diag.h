/*
 * diag.h - diagnostics for executables: "angka-ingest: 'x.csv':12: ...".
 * Only main()-side code calls die(); library code returns struct angka_error.
 * A format ending in ':' gets ": strerror(errno)" appended.
 */
#ifndef ANGKA_DIAG_H
#define ANGKA_DIAG_H

#include "err.h"

/* Set the program name used as the prefix of every message (argv[0] base). */
void angka_diag_init(const char *argv0);
const char *angka_progname(void);

/* Print "prog: message" to stderr. */
void angka_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "prog: message" and exit(status). */
_Noreturn void angka_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "prog: e->msg" and return the exit status for e->code. */
int angka_report(const struct angka_error *e);

/*
 * The shape of a field value for a message, never its content (a value may
 * be a NIK, a name, an address or a birth date): "empty", "a 16-digit
 * number", "a number", "a date", "text of 12 characters". Into buf (cap
 * bytes, 40 is enough); returns buf.
 */
#include <stddef.h>
const char *angka_value_shape(const char *s, size_t len, char *buf,
                              size_t cap);

#endif
