/*
 * fuzz_config.h - the body of the libFuzzer target for the config parser: the input is the
 * text of a config file, loaded with angka_config_load_string() and then
 * applied to a small key table of every key type. Errors must be
 * ANGKA_ECONFIG (or ENOMEM) naming 'fuzz.ini'. tests/unit/test_config.c
 * includes this file to replay tests/fuzz/regress/ and the corpus.
 */
#ifndef FUZZ_CONFIG_H
#define FUZZ_CONFIG_H

#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

struct fuzz_target {
	const char *s, *path;
	int b, mode;
	long n;
	double x;
};

static const struct angka_key_def fuzz_defs[] = {
	{ "s", ANGKA_KEY_STRING, offsetof(struct fuzz_target, s), NULL, 0, 0 },
	{ "path", ANGKA_KEY_PATH, offsetof(struct fuzz_target, path), NULL, 0, 0 },
	{ "b", ANGKA_KEY_BOOL, offsetof(struct fuzz_target, b), NULL, 0, 0 },
	{ "n", ANGKA_KEY_INT, offsetof(struct fuzz_target, n), NULL, -5, 100 },
	{ "x", ANGKA_KEY_DOUBLE, offsetof(struct fuzz_target, x), NULL, 0, 1 },
	{ "mode", ANGKA_KEY_ENUM, offsetof(struct fuzz_target, mode),
	  "fail|remove|adjust", 0, 0 },
	{ NULL, ANGKA_KEY_STRING, 0, NULL, 0, 0 }
};

static int fuzz_config_one(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	struct angka_config c;
	angka_config_init(&c);
	struct angka_error e = { 0 };
	enum angka_err rc = angka_config_load_string(&c, text, "fuzz.ini", &e);
	if (rc != ANGKA_OK) {
		FUZZ_CHECK(rc == ANGKA_ECONFIG || rc == ANGKA_ENOMEM);
		FUZZ_CHECK(strncmp(e.msg, "'fuzz.ini'", 10) == 0);
	} else {
		static const char *const sections[] = { "normalize", "dedup", "run" };
		for (size_t i = 0; i < 3; i++) {
			struct fuzz_target t = { "default", NULL, 0, 1, 7, 0.5 };
			rc = angka_config_apply(&c, sections[i], fuzz_defs, &t, &e);
			if (rc != ANGKA_OK) {
				FUZZ_CHECK(rc == ANGKA_ECONFIG);
				continue;
			}
			FUZZ_CHECK(t.b == 0 || t.b == 1);
			FUZZ_CHECK(t.mode >= 0 && t.mode <= 2);
			FUZZ_CHECK(t.n >= -5 && t.n <= 100);
			FUZZ_CHECK(t.x >= 0 && t.x <= 1);
			FUZZ_CHECK(t.s != NULL);
		}
		for (int k = 0; k < ANGKA_KIND_COUNT; k++) {
			const struct angka_profile *p = &c.profile[k];
			FUZZ_CHECK(p->header_search >= 1 && p->header_search <= 1000);
			for (size_t i = 0; i < p->ncol; i++)
				FUZZ_CHECK(p->col[i].name && p->col[i].name[0]);
		}
	}
	angka_config_release(&c);
	free(text);
	return 0;
}

#endif
