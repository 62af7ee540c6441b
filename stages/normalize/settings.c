/*
 * settings.c - the [normalize] section: the one key table of every kind and
 * normalize_settings_load, which each kind's handler calls first.
 */
#include "normalize.h"

#include <stddef.h>
#include <string.h>

/*
 * The one key table of [normalize]. Every kind's keys live here (the config
 * loader rejects unknown keys); add new keys at the end and document them
 * in struct normalize_settings.
 */
static const struct angka_key_def settings_keys[] = {
	{ "excel_nik", ANGKA_KEY_ENUM, offsetof(struct normalize_settings, excel_nik),
	  "keep|quarantine", 0, 0 },
	{ "invalid_nik", ANGKA_KEY_ENUM,
	  offsetof(struct normalize_settings, invalid_nik), "keep|quarantine", 0, 0 },
	{ "reference_year", ANGKA_KEY_INT,
	  offsetof(struct normalize_settings, reference_year), NULL, 1900, 2200 },
	{ "wilayah", ANGKA_KEY_PATH, offsetof(struct normalize_settings, wilayah),
	  NULL, 0, 0 },
	{ "max_warnings", ANGKA_KEY_INT,
	  offsetof(struct normalize_settings, max_warnings), NULL, 0, 1000000 },
	{ "susenas_locale", ANGKA_KEY_ENUM,
	  offsetof(struct normalize_settings, susenas_locale), "auto|id|en", 0, 0 },
	{ "susenas_weight", ANGKA_KEY_ENUM,
	  offsetof(struct normalize_settings, susenas_weight), "household|person",
	  0, 0 },
	{ "crosswalk", ANGKA_KEY_PATH, offsetof(struct normalize_settings, crosswalk),
	  NULL, 0, 0 },
	{ "year", ANGKA_KEY_INT, offsetof(struct normalize_settings, year), NULL,
	  1900, 2100 },
	{ "terbitan_p_scale", ANGKA_KEY_ENUM,
	  offsetof(struct normalize_settings, terbitan_p_scale), "bps|fraction", 0, 0 },
	{ "terbitan_region", ANGKA_KEY_STRING,
	  offsetof(struct normalize_settings, terbitan_region), NULL, 0, 0 },
	{ "period_month_default", ANGKA_KEY_INT,
	  offsetof(struct normalize_settings, period_month_default), NULL, 1, 12 },
	{ "line_jump", ANGKA_KEY_DOUBLE, offsetof(struct normalize_settings, line_jump),
	  NULL, 0, 10 },
	{ NULL, ANGKA_KEY_STRING, 0, NULL, 0, 0 }
};

enum angka_err normalize_settings_load(struct normalize_settings *s,
                                       const struct normalize_opts *o,
                                       struct angka_config *cfg,
                                       struct angka_error *e)
{
	memset(s, 0, sizeof *s);
	s->excel_nik = NORMALIZE_KEEP;
	s->invalid_nik = NORMALIZE_KEEP;
	s->reference_year = 2026;
	s->max_warnings = 10;
	s->period_month_default = 3;
	s->line_jump = 0.30;
	enum angka_err rc = angka_config_apply(cfg, "normalize", settings_keys, s, e);
	if (rc != ANGKA_OK)
		return rc;
	if (o->wilayah)
		s->wilayah = o->wilayah;
	if (o->year)
		s->year = o->year;
	if (o->region)
		s->terbitan_region = o->region;
	return ANGKA_OK;
}
