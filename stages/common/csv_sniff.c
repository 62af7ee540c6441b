/*
 * csv_sniff.c - the delimiter sniffing of the CSV reader: which of
 * , ; | TAB a file uses, from its first lines (see csv_reader.h).
 */
#include "csv_reader.h"

#include <string.h>

char angka_csv_sniff_delim(const char *buf, size_t len)
{
	/*
	 * Like Python's csv.Sniffer: per candidate, count occurrences outside
	 * quotes on each of the first lines; the winner is the candidate whose
	 * most common non-zero per-line count occurs on the most lines (ties:
	 * the larger count). A title row full of commas above a ';' table
	 * then does not win.
	 */
	enum { NCAND = 4, MAXLINES = 30 };
	static const char cand[NCAND] = { ',', ';', '|', '\t' };
	size_t count[MAXLINES][NCAND];
	memset(count, 0, sizeof count);
	int nlines = 0, quoted = 0;
	size_t i = 0;
	for (; i < len && nlines < MAXLINES; i++) {
		char c = buf[i];
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		if (c == '\n' || c == '\r') {
			if (c == '\r' && i + 1 < len && buf[i + 1] == '\n')
				i++;
			nlines++;
			continue;
		}
		for (int k = 0; k < NCAND; k++)
			if (c == cand[k])
				count[nlines][k]++;
	}
	if (nlines < MAXLINES && i == len)
		nlines++;  /* a last line without a newline */
	int best = 0;
	size_t best_freq = 0, best_mode = 0;
	for (int k = 0; k < NCAND; k++) {
		size_t mode = 0, freq = 0;
		for (int a = 0; a < nlines; a++) {
			size_t v = count[a][k], f = 0;
			if (!v)
				continue;
			for (int b = 0; b < nlines; b++)
				f += count[b][k] == v;
			if (f > freq || (f == freq && v > mode)) {
				freq = f;
				mode = v;
			}
		}
		if (freq > best_freq || (freq == best_freq && mode > best_mode)) {
			best = k;
			best_freq = freq;
			best_mode = mode;
		}
	}
	return cand[best];
}
