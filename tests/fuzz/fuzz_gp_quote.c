/*
 * fuzz_gp_quote.c - libFuzzer target for chart_gp_quote, the quoting of
 * any text (titles, names from config or data) into a gnuplot string
 * expression. FUZZ_STAGE: chart
 *
 * The result is parsed back the way gnuplot reads it: pieces joined by
 * '.', each either '...' holding no apostrophe or "..." holding only
 * apostrophes and \100 ('@'). Checked: it parses, nothing else appears
 * (no backquote, no '@' outside an escape, no control character), and
 * the decoded text is the input with controls as spaces and backquotes
 * as apostrophes.
 */
#include "chart.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';   /* the text ends at its first NUL, as in C */
	size_t n = strlen(s);
	struct chart_buf b = { 0 };
	chart_gp_quote(&b, s);
	char *want = malloc(n + 1), *got = malloc(b.len + 1);
	if (!want || !got)
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		want[i] = c < 0x20 || c == 0x7f ? ' ' : c == '`' ? '\'' : (char)c;
	}
	want[n] = '\0';
	size_t g = 0, i = 0;
	const char *q = b.s;
	CHECK(q != NULL);
	for (;;) {
		if (q[i] == '\'') {
			i++;
			while (q[i] && q[i] != '\'') {
				CHECK(q[i] != '@' && q[i] != '`' &&
				      (unsigned char)q[i] >= 0x20 && q[i] != 0x7f);
				got[g++] = q[i++];
			}
			CHECK(q[i] == '\'');
			i++;
		} else if (q[i] == '"') {
			i++;
			while (q[i] && q[i] != '"') {
				if (q[i] == '\'') {
					got[g++] = q[i++];
				} else {
					CHECK(strncmp(q + i, "\\100", 4) == 0);
					got[g++] = '@';
					i += 4;
				}
			}
			CHECK(q[i] == '"');
			i++;
		} else {
			CHECK(0 && "piece is not quoted");
		}
		if (!q[i])
			break;
		CHECK(q[i] == '.');
		i++;
	}
	got[g] = '\0';
	CHECK(strcmp(got, want) == 0);
	CHECK(b.len == i);
	chart_buf_release(&b);
	free(s);
	free(want);
	free(got);
	return 0;
}
