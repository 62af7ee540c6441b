/*
 * err.h - the one error enum of angka and the error context that carries a
 * human-readable message ("'file.csv':12: field 'nik': ...") from the library
 * up to main(). Library code never prints and never exits on bad data or
 * I/O errors; it fills a struct angka_error and returns the code. The one
 * way out is memory: code that allocates with angka_xmalloc (config,
 * profile and the stages' run functions, each saying so in its header)
 * prints the size and exits 1 when memory runs out.
 */
#ifndef ANGKA_ERR_H
#define ANGKA_ERR_H

#include <stddef.h>

enum angka_err {
	ANGKA_OK = 0,
	ANGKA_EIO,          /* read/write/close/rename failed (errno in message) */
	ANGKA_ENOMEM,       /* allocation failed or a size cap was exceeded */
	ANGKA_EGZIP,        /* corrupt or truncated gzip stream */
	ANGKA_ECSV,         /* CSV syntax error that cannot be quarantined */
	ANGKA_ESCHEMA,      /* header lacks a required column, duplicate column */
	ANGKA_ECONFIG,      /* bad config file: unknown key, bad value */
	ANGKA_EUSAGE,       /* bad command line */
	ANGKA_EDATA,        /* data error beyond quarantine (stats precondition) */
	ANGKA_EWEIGHT,      /* invalid survey weight */
	ANGKA_EBALANCE,     /* row counts do not balance: a bug */
	ANGKA_ELOCKED,      /* another run holds the lock */
	ANGKA_EINTERNAL,    /* broken invariant */
	ANGKA_ERR_COUNT
};

/*
 * An error context. msg holds the full diagnostic without the program name,
 * e.g. "'x.csv.gz': truncated gzip stream". src_file/src_line say where in
 * our C sources the error was raised (for debugging, not for users).
 */
struct angka_error {
	enum angka_err code;
	char msg[1024];
	const char *src_file;
	int src_line;
};

/* Static description of a code, never NULL. */
const char *angka_strerror(enum angka_err code);

/*
 * Exit status for a code, following DESIGN.md: 0 ok, 2 usage/config,
 * 75 locked, 1 everything else.
 */
int angka_exit_code(enum angka_err code);

/*
 * Record an error in e (may be NULL) and return code. A format ending in ':'
 * gets ": strerror(errno)" appended, like git's die_errno(). Use through
 * ANGKA_ERR so the raising source line is recorded; break on angka_error_set
 * in a debugger to catch every failure.
 */
enum angka_err angka_error_set(struct angka_error *e, const char *src_file,
                               int src_line, enum angka_err code,
                               const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define ANGKA_ERR(e, code, ...) \
	angka_error_set((e), __FILE__, __LINE__, (code), __VA_ARGS__)

/* Reset e to ANGKA_OK with an empty message. */
void angka_error_clear(struct angka_error *e);

#endif
