/*
 * fuzz_line_index.h - the body of the libFuzzer target for
 * angka_line_index_parse (line_index.h). The input is the text of an
 * index. Documented invariants are checked (a violation aborts): a parse
 * either fails with ANGKA_EDATA and a message naming the index, or yields
 * marks inside the file and strictly increasing, as many as its end line
 * says, each found again by angka_line_index_find. tests/unit/
 * test_line_index.c includes this file to replay the seed corpus and
 * tests/fuzz/regress/fuzz_line_index.
 */
#ifndef FUZZ_LINE_INDEX_H
#define FUZZ_LINE_INDEX_H

#include "line_index.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_LI_CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: " \
	"invariant failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static int fuzz_line_index_one(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so reads past the end are caught. */
	char *s = malloc(size ? size : 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	struct angka_line_index x;
	angka_line_index_init(&x, 1);
	struct angka_error e = { 0 };
	enum angka_err rc = angka_line_index_parse(&x, s, size, "fuzz.idx", &e);
	if (rc != ANGKA_OK) {
		FUZZ_LI_CHECK(rc == ANGKA_EDATA || rc == ANGKA_ENOMEM);
		FUZZ_LI_CHECK(strstr(e.msg, "'fuzz.idx'") != NULL);
	} else {
		FUZZ_LI_CHECK(x.lines >= 1 && x.interval >= 1 && x.lone_cr <= 1);
		for (size_t i = 0; i < x.n; i++) {
			const struct angka_line_mark *m = &x.mark[i];
			FUZZ_LI_CHECK(m->line >= 2 && (uint64_t)m->line <= x.lines);
			FUZZ_LI_CHECK(m->off >= 1 && m->off < x.size);
			if (i)
				FUZZ_LI_CHECK(m->line > m[-1].line &&
				              m->off > m[-1].off);
			FUZZ_LI_CHECK(angka_line_index_find(&x, m->line) == m);
		}
		FUZZ_LI_CHECK(x.n == 0 || angka_line_index_find(&x, 1) == NULL);
	}
	angka_line_index_release(&x);
	free(s);
	return 0;
}

#endif
