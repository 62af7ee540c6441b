/*
 * config.c - angka-trend's [trend] settings: defaults, keys, targets and
 * the shared-PSU year pairs (see trend.h).
 */
#include "trend_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void trend_config_init(struct trend_config *tc)
{
	tc->alpha = 0.05;
	tc->test = 0;
	tc->shared_psu_years = NULL;
	tc->target_P0 = tc->target_P1 = tc->target_P2 = NAN;
	tc->target_jumlah_miskin = tc->target_gini = NAN;
}

#define TK(name, type, field, ch, lo, hi) \
	{ name, type, offsetof(struct trend_config, field), ch, lo, hi }
const struct angka_key_def trend_config_keys[] = {
	TK("alpha", ANGKA_KEY_DOUBLE, alpha, NULL, 0.0001, 0.5),
	TK("test", ANGKA_KEY_ENUM, test, "z|t", 0, 0),
	TK("shared_psu_years", ANGKA_KEY_STRING, shared_psu_years, NULL, 0, 0),
	TK("target_P0", ANGKA_KEY_DOUBLE, target_P0, NULL, 0, 0),
	TK("target_P1", ANGKA_KEY_DOUBLE, target_P1, NULL, 0, 0),
	TK("target_P2", ANGKA_KEY_DOUBLE, target_P2, NULL, 0, 0),
	TK("target_jumlah_miskin", ANGKA_KEY_DOUBLE, target_jumlah_miskin, NULL, 0, 0),
	TK("target_gini", ANGKA_KEY_DOUBLE, target_gini, NULL, 0, 0),
	{ NULL, 0, 0, NULL, 0, 0 }
};

double trend_config_target(const struct trend_config *tc, const char *ind)
{
	if (strcmp(ind, "P0") == 0) return tc->target_P0;
	if (strcmp(ind, "P1") == 0) return tc->target_P1;
	if (strcmp(ind, "P2") == 0) return tc->target_P2;
	if (strcmp(ind, "jumlah_miskin") == 0) return tc->target_jumlah_miskin;
	if (strcmp(ind, "gini") == 0) return tc->target_gini;
	return NAN;
}

int trend_parse_year(const char *s, int *y)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1900 || v > 2200)
		return -1;
	*y = (int)v;
	return 0;
}

enum angka_err trend_parse_year_pairs(const char *s, int **pairs,
                                      size_t *npairs, struct angka_error *e)
{
	*pairs = NULL;
	*npairs = 0;
	if (!s)
		return ANGKA_OK;
	char *copy = angka_xstrdup(s);
	enum angka_err rc = ANGKA_OK;
	for (char *tok = strtok(copy, ", \t"); tok; tok = strtok(NULL, ", \t")) {
		char *dash = strchr(tok, '-');
		int a, b;
		if (!dash) {
			rc = ANGKA_ERR(e, ANGKA_ECONFIG, "[trend] shared_psu_years: "
			               "'%s' is not YEAR-YEAR", tok);
			goto cleanup;
		}
		*dash = '\0';
		if (trend_parse_year(tok, &a) || trend_parse_year(dash + 1, &b) || a == b) {
			*dash = '-';
			rc = ANGKA_ERR(e, ANGKA_ECONFIG, "[trend] shared_psu_years: "
			               "'%s' is not a pair of two different years",
			               tok);
			goto cleanup;
		}
		*pairs = angka_xrealloc(*pairs, (*npairs + 1) * 2 * sizeof **pairs);
		(*pairs)[2 * *npairs] = a < b ? a : b;
		(*pairs)[2 * *npairs + 1] = a < b ? b : a;
		(*npairs)++;
	}
cleanup:
	free(copy);
	if (rc != ANGKA_OK) {
		free(*pairs);
		*pairs = NULL;
		*npairs = 0;
	}
	return rc;
}
