/*
 * ingest.h - raw extract -> canonical CSV (angka-ingest's logic).
 *
 * For each input file: find the header among the first header_search rows
 * (earlier rows are quarantined as "preamble"), map it through the kind's
 * profile, then copy every data row to the canonical columns, prefixed with
 * src_file and src_line. Values stay text. Rows that cannot be parsed
 * (field count, NUL byte, invalid encoding under encoding = utf-8) go to the
 * quarantine with a reason code. Output and quarantine are written
 * atomically: on any error neither appears.
 */
#ifndef ANGKA_INGEST_H
#define ANGKA_INGEST_H

#include <stdint.h>

#include "angka.h"

struct ingest_opts {
	enum angka_kind kind;
	const char *out;          /* NULL or "-": stdout */
	const char *quarantine;   /* NULL: quarantined rows only reported */
	const char *const *files; /* "-" for stdin */
	size_t nfiles;
	int quiet;
	int max_warnings;         /* per-row warnings printed (default 10) */
	int check_only;           /* only find and match each file's header */
	const char *index;        /* --index: the output's record index
	                           * (line_index.h) written there after the
	                           * output; needs a plain file output (not
	                           * stdout, .gz or .xlsx). NULL: none */
	unsigned long index_every; /* rows between two marks of the index;
	                           * 0: ANGKA_LINE_INDEX_INTERVAL */
};

struct ingest_stats {
	uint64_t rows_in;         /* data rows read (after the header) */
	uint64_t rows_out;
	uint64_t rows_quarantined;
	uint64_t transcoded;      /* rows converted from Windows-1252 */
	uint64_t blank_lines;
	uint64_t bytes;           /* decompressed bytes read */
};

/* Run ingest with profile p; returns a code with e set. Exits (status 1,
 * the size on stderr) only when memory runs out (angka_xmalloc). */
enum angka_err ingest_run(const struct ingest_opts *o,
                          const struct angka_profile *p,
                          struct ingest_stats *st, struct angka_error *e);

#endif
