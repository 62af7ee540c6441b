/*
 * normalize.c - angka-normalize's dispatcher: the one kind table and the
 * conservation check shared by every kind (the [normalize] settings are in
 * settings.c).
 */
#include "normalize.h"

#include <stddef.h>
#include <string.h>

typedef enum angka_err (*normalize_fn)(const struct normalize_opts *,
                                       struct angka_config *,
                                       struct normalize_stats *,
                                       struct angka_error *);

static const struct kind_handler {
	enum angka_kind kind;
	normalize_fn run;
} handlers[] = {
	{ ANGKA_KIND_DTKS, normalize_dtks_run },
	{ ANGKA_KIND_SUSENAS, normalize_survey_run },
	{ ANGKA_KIND_GARIS_KEMISKINAN, normalize_lines_run },
	{ ANGKA_KIND_TERBITAN, normalize_terbitan_run },
	{ ANGKA_KIND_KUBE, normalize_programme_run },
	{ ANGKA_KIND_UEP, normalize_programme_run },
	{ ANGKA_KIND_PENDUDUK, normalize_penduduk_run },
	{ ANGKA_KIND_WILAYAH, normalize_wilayah_run },
};

enum angka_err normalize_run(const struct normalize_opts *o,
                             struct angka_config *cfg,
                             struct normalize_stats *st,
                             struct angka_error *e)
{
	memset(st, 0, sizeof *st);
	for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
		if (handlers[i].kind != o->kind)
			continue;
		enum angka_err rc = handlers[i].run(o, cfg, st, e);
		if (rc != ANGKA_OK)
			return rc;
		/* Every handler checks its own counts before it commits; this
		 * second check guards the dispatcher's contract. */
		return angka_check_balance(st->rows_in, st->rows_out,
		                           st->rows_quarantined, 0, e);
	}
	const char *name = angka_kind_name(o->kind);
	return ANGKA_ERR(e, ANGKA_EUSAGE, "kind '%s' is not supported yet",
	                 name ? name : "?");
}
