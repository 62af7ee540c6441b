/*
 * replay.h - feed every file of a fuzz corpus or regression directory to a
 * fuzz target's body (tests/fuzz/fuzz_*.h), so that the unit tests, and
 * their sanitizer builds, replay what the fuzzers found.
 *
 * Each file is read whole into a buffer of exactly its size: a read past
 * the end is an AddressSanitizer error, as under the fuzzer.
 */
#ifndef ANGKA_TEST_REPLAY_H
#define ANGKA_TEST_REPLAY_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Number of files replayed (dot files skipped), or -1 when dir cannot be
 * opened (the tests run from the repository root). */
static int replay_dir(const char *dir, int (*one)(const uint8_t *, size_t))
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char p[8192];
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		FILE *f = fopen(p, "rb");
		if (!f)
			continue;
		size_t cap = 1 << 16, len = 0;
		uint8_t *b = malloc(cap);
		size_t got;
		while (b && (got = fread(b + len, 1, cap - len, f)) > 0) {
			len += got;
			if (len == cap) {
				uint8_t *nb = realloc(b, cap *= 2);
				if (!nb)
					free(b);
				b = nb;
			}
		}
		fclose(f);
		if (!b) {
			perror("replay_dir");
			abort();
		}
		uint8_t *exact = malloc(len ? len : 1);
		if (!exact)
			abort();
		if (len)
			memcpy(exact, b, len);
		free(b);
		one(exact, len);
		free(exact);
		n++;
	}
	closedir(d);
	return n;
}

#endif
