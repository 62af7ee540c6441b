/*
 * settings.c - angka-dedup's settings: the defaults, the [dedup] section of
 * the config and the survivor criteria list (see dedup.h).
 */
#include "dedup.h"

#include <stddef.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const criterion_names[] = {
	"latest_update", "latest_period", "nik_support", "most_complete",
	"content", "first_line"
};
_Static_assert(sizeof criterion_names / sizeof criterion_names[0] ==
               DEDUP_NCRITERIA, "one name per enum dedup_criterion value");

int dedup_parse_survivor(struct dedup_settings *s, const char *list)
{
	int seen[DEDUP_NCRITERIA] = { 0 };
	s->norder = 0;
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, ", ");
		int k;
		for (k = 0; k < DEDUP_NCRITERIA; k++)
			if (strlen(criterion_names[k]) == n &&
			    strncmp(p, criterion_names[k], n) == 0)
				break;
		if (k == DEDUP_NCRITERIA || seen[k])
			return -1;
		seen[k] = 1;
		s->order[s->norder++] = (enum dedup_criterion)k;
		p += n;
	}
	/* The content, then (src_file, src_line), are always the last
	 * words: they make the order total, and the content keeps the
	 * survivor of rows tied on everything else from depending on the
	 * order of the rows or on the files' names. A list naming
	 * first_line but not content keeps line order. */
	if (!seen[DEDUP_FIRST_LINE]) {
		if (!seen[DEDUP_CONTENT])
			s->order[s->norder++] = DEDUP_CONTENT;
		s->order[s->norder++] = DEDUP_FIRST_LINE;
	}
	return 0;
}

static int kv_line(const struct angka_config *cfg, const char *key)
{
	for (size_t i = 0; cfg && i < cfg->nkv; i++)
		if (strcmp(cfg->kv[i].section, "dedup") == 0 &&
		    strcmp(cfg->kv[i].key, key) == 0)
			return cfg->kv[i].line;
	return 0;
}

enum angka_err dedup_settings_load(struct dedup_settings *s,
                                   struct angka_config *cfg,
                                   struct angka_error *e)
{
	memset(s, 0, sizeof *s);
	s->survivor = "latest_update,latest_period,nik_support,most_complete,"
	              "content,first_line";
	s->merge_threshold = 0.95;
	s->review_threshold = 0.85;
	s->date_tolerance_days = 0;
	s->max_pairs_per_block = 5000;
	s->max_pairs = 10000000;
	s->memory_mb = 1024;
	s->max_warnings = 10;
	s->threads = 2;
	s->placeholder_rows = 5;
	s->model = "fs";
	/* An eighth of the machine's memory: on a 32 GB machine a national
	 * extract (290 million rows, about 23 GB of dedup state) still fits. */
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	s->spool_memory_mb = pages > 0 && psz > 0
	                     ? (double)pages * (double)psz / 8.0 / 1048576.0 : 0;
	static const struct angka_key_def defs[] = {
		{ "survivor", ANGKA_KEY_STRING,
		  offsetof(struct dedup_settings, survivor), NULL, 0, 0 },
		{ "merge_threshold", ANGKA_KEY_DOUBLE,
		  offsetof(struct dedup_settings, merge_threshold), NULL, 0, 1 },
		{ "review_threshold", ANGKA_KEY_DOUBLE,
		  offsetof(struct dedup_settings, review_threshold), NULL, 0, 1 },
		{ "date_tolerance_days", ANGKA_KEY_INT,
		  offsetof(struct dedup_settings, date_tolerance_days), NULL, 0,
		  3660 },
		{ "max_pairs_per_block", ANGKA_KEY_INT,
		  offsetof(struct dedup_settings, max_pairs_per_block), NULL, 1,
		  1e12 },
		{ "max_pairs", ANGKA_KEY_INT,
		  offsetof(struct dedup_settings, max_pairs), NULL, 1, 1e12 },
		{ "memory_mb", ANGKA_KEY_DOUBLE,
		  offsetof(struct dedup_settings, memory_mb), NULL, 0.001, 1e7 },
		{ "tmpdir", ANGKA_KEY_PATH,
		  offsetof(struct dedup_settings, tmpdir), NULL, 0, 0 },
		{ "merge_distinct_nik", ANGKA_KEY_BOOL,
		  offsetof(struct dedup_settings, merge_distinct_nik), NULL, 0, 0 },
		{ "fail_on_cap", ANGKA_KEY_BOOL,
		  offsetof(struct dedup_settings, fail_on_cap), NULL, 0, 0 },
		{ "max_warnings", ANGKA_KEY_INT,
		  offsetof(struct dedup_settings, max_warnings), NULL, 0, 1e9 },
		{ "threads", ANGKA_KEY_INT,
		  offsetof(struct dedup_settings, threads), NULL, 1, 64 },
		{ "placeholder_rows", ANGKA_KEY_INT,
		  offsetof(struct dedup_settings, placeholder_rows), NULL, 1,
		  1e9 },
		{ "decisions", ANGKA_KEY_PATH,
		  offsetof(struct dedup_settings, decisions), NULL, 0, 0 },
		{ "perubahan_periods", ANGKA_KEY_STRING,
		  offsetof(struct dedup_settings, change_periods), NULL, 0, 0 },
		{ "model", ANGKA_KEY_STRING,
		  offsetof(struct dedup_settings, model), NULL, 0, 0 },
		{ "golden", ANGKA_KEY_ENUM,
		  offsetof(struct dedup_settings, golden_all), "merged|all", 0,
		  0 },
		{ "spool_memory_mb", ANGKA_KEY_DOUBLE,
		  offsetof(struct dedup_settings, spool_memory_mb), NULL, 0,
		  1e9 },
		{ NULL, 0, 0, NULL, 0, 0 }
	};
	if (cfg) {
		enum angka_err rc = angka_config_apply(cfg, "dedup", defs, s, e);
		if (rc != ANGKA_OK)
			return rc;
	}
	const char *name = cfg && cfg->path ? cfg->path : "<defaults>";
	/* One key of [registry] (angka-indicators validates the section):
	 * the published household counts follow the same suppression. */
	s->min_cell = 5;
	for (size_t i = 0; cfg && i < cfg->nkv; i++) {
		if (strcmp(cfg->kv[i].section, "registry") != 0 ||
		    strcmp(cfg->kv[i].key, "min_cell") != 0)
			continue;
		char *end;
		errno = 0;
		long v = strtol(cfg->kv[i].value, &end, 10);
		if (errno || end == cfg->kv[i].value || *end || v < 1 || v > 1000)
			return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s':%d: bad min_cell "
			                 "'%s' in [registry] (expected 1 to 1000)",
			                 name, cfg->kv[i].line, cfg->kv[i].value);
		s->min_cell = v;
	}
	if (dedup_parse_survivor(s, s->survivor))
		return ANGKA_ERR(e, ANGKA_ECONFIG,
		                 "'%s':%d: bad survivor '%s' in [dedup] (expected "
		                 "a list of latest_update, latest_period, "
		                 "nik_support, most_complete, content, first_line)", name, kv_line(cfg, "survivor"),
		                 s->survivor);
	unsigned pp, pc;
	if (s->change_periods &&
	    dedup_parse_change_periods(s->change_periods, &pp, &pc))
		return ANGKA_ERR(e, ANGKA_ECONFIG,
		                 "'%s':%d: bad perubahan_periods '%s' in [dedup] "
		                 "(expected PREV,CUR: YYYY or YYYY-MM each, PREV "
		                 "older)", name, kv_line(cfg, "perubahan_periods"),
		                 s->change_periods);
	if (strcmp(s->model, "fs") && strcmp(s->model, "fixed"))
		return ANGKA_ERR(e, ANGKA_ECONFIG,
		                 "'%s':%d: bad model '%s' in [dedup] (expected "
		                 "fs or fixed)", name, kv_line(cfg, "model"),
		                 s->model);
	s->fixed = strcmp(s->model, "fixed") == 0;
	if (s->review_threshold > s->merge_threshold)
		return ANGKA_ERR(e, ANGKA_ECONFIG,
		                 "'%s':%d: review_threshold %g is above "
		                 "merge_threshold %g in [dedup]", name,
		                 kv_line(cfg, "review_threshold"),
		                 s->review_threshold, s->merge_threshold);
	return ANGKA_OK;
}
