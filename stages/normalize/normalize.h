/*
 * normalize.h - canonical CSV of one kind -> validated, normalized CSV
 * (angka-normalize's logic). One handler per kind, chosen from the one kind
 * table in normalize.c; each handler reads the canonical CSV by header name,
 * writes the columns of docs/columns.md, quarantines unusable rows with a
 * reason code and checks conservation (rows_in = rows_out + quarantined).
 * Outputs are written atomically: on any error neither output appears.
 */
#ifndef ANGKA_NORMALIZE_H
#define ANGKA_NORMALIZE_H

#include <stdint.h>

#include "angka.h"

struct normalize_opts {
	enum angka_kind kind;
	const char *config;       /* -c path, NULL: defaults (informational) */
	const char *in;           /* input path, "-" for stdin */
	const char *out;          /* NULL or "-": stdout */
	int tee;                  /* --tee: out (a file) also copied to stdout */
	const char *quarantine;   /* NULL: quarantined rows only counted */
	const char *wilayah;      /* --wilayah region table; NULL: config's */
	int quiet;
	long year;                /* --year: data year when the input has none;
	                           * 0: config's [normalize] year */
	const char *region;       /* --region: terbitan kode_wilayah; NULL:
	                           * config's [normalize] terbitan_region */
	const char *const *periods; /* --period YYYY[-MM] or NAME=YYYY[-MM]
	                           * (dtks; checked, see dtks_period.h) */
	size_t nperiods;
	unsigned shard_k, shard_n; /* --shard K/N (kind dtks): only the records
	                           * whose first line falls in the K-th of N
	                           * equal runs of the input's lines; the
	                           * header only in shard 0, so the shards'
	                           * outputs concatenated in K order are the
	                           * unsharded output. shard_n 0: no sharding */
	const char *index;        /* --index (with --shard): the input's record
	                           * index (line_index.h, angka-ingest --index):
	                           * its line count instead of a count of the
	                           * input, and a seek to its last mark at or
	                           * before the shard's first line. NULL: none */
};

struct normalize_stats {
	uint64_t rows_in;           /* data rows read (after the header) */
	uint64_t rows_out;
	uint64_t rows_quarantined;
	uint64_t rows_fixed;        /* output rows with at least one fix */
};

/*
 * --shard: the records of shard o->shard_k are those whose first physical
 * line l satisfies lo <= l < hi. Counts the input's lines once (a regular
 * file or a gzip, not stdin). For a plain file *off > 0 is the byte where
 * the shard's first record starts, on line *off_line (the reader seeks
 * there); 0: read from the start and skip. Without sharding lo = 0, hi =
 * LONG_MAX, *off = 0.
 * With o->index the line count is the index's (checked to describe
 * o->in as it is: ANGKA_EDATA naming both files if not), the same lo and
 * hi, and *off the index's last mark at or before line lo (records
 * before lo are then skipped by the caller, as from the start), checked
 * to follow a '\n' in o->in; no byte of o->in is read but that one.
 */
enum angka_err normalize_shard_range(const struct normalize_opts *o,
                                     long *lo, long *hi, uint64_t *off,
                                     long *off_line, struct angka_error *e);

/*
 * Settings of the [normalize] config section. There is ONE key table for
 * the section (in normalize.c) because angka_config_apply() rejects keys it
 * does not know: every kind's keys go into that one table and this struct.
 * Command-line options (opts) override these after loading.
 */
enum normalize_policy { NORMALIZE_KEEP = 0, NORMALIZE_QUARANTINE = 1 };

struct normalize_settings {
	int excel_nik;              /* keep|quarantine, default keep */
	int invalid_nik;            /* keep|quarantine, default keep */
	long reference_year;        /* for two-digit NIK years, default 2026 */
	const char *wilayah;        /* region table path (opts->wilayah wins) */
	long max_warnings;          /* per-row warnings on stderr, default 10 */
	/* susenas, garis_kemiskinan, terbitan, kube, uep, penduduk, wilayah */
	int susenas_locale;         /* auto|id|en (enum angka_number_locale),
	                             * default auto: decided per file */
	int susenas_weight;         /* household (bobot = bobot_ruta x
	                             * jumlah_art, default) | person */
	const char *crosswalk;      /* BPS -> Kemendagri codes (CSV bps_kode,
	                             * kemendagri_kode); NULL: none */
	long year;                  /* year for inputs without one (opts->year
	                             * wins); 0: unset */
	int terbitan_p_scale;       /* bps (P1, P2 x100, default) | fraction */
	const char *terbitan_region; /* kode_wilayah for terbitan rows without
	                              * one (opts->region wins) */
	long period_month_default;  /* month of year-only periods, default 3 */
	double line_jump;           /* max relative change of a poverty line
	                             * from the previous year, default 0.30 */
};

/*
 * Fill s with the defaults, then the [normalize] section of cfg, then
 * opts->wilayah. ANGKA_ECONFIG with e set on an unknown key or bad value.
 */
enum angka_err normalize_settings_load(struct normalize_settings *s,
                                       const struct normalize_opts *o,
                                       struct angka_config *cfg,
                                       struct angka_error *e);

/*
 * Run the handler of o->kind. Kinds without a handler return ANGKA_EUSAGE
 * ("kind 'x' is not supported yet"). Returns a code with e set; exits
 * (status 1, the size on stderr) only when memory runs out (angka_xmalloc).
 */
enum angka_err normalize_run(const struct normalize_opts *o,
                             struct angka_config *cfg,
                             struct normalize_stats *st,
                             struct angka_error *e);

/* ---- Per-kind handlers (same contract as normalize_run) ---- */

/* dtks.c: DTKS/DTSEN persons. */
enum angka_err normalize_dtks_run(const struct normalize_opts *o,
                                  struct angka_config *cfg,
                                  struct normalize_stats *st,
                                  struct angka_error *e);

/* survey.c: susenas microdata. */
extern enum angka_err normalize_survey_run(const struct normalize_opts *o,
                                           struct angka_config *cfg,
                                           struct normalize_stats *st,
                                           struct angka_error *e);
/* lines.c: garis_kemiskinan poverty lines. */
extern enum angka_err normalize_lines_run(const struct normalize_opts *o,
                                          struct angka_config *cfg,
                                          struct normalize_stats *st,
                                          struct angka_error *e);
/* lines.c: terbitan published figures. */
extern enum angka_err normalize_terbitan_run(const struct normalize_opts *o,
                                             struct angka_config *cfg,
                                             struct normalize_stats *st,
                                             struct angka_error *e);
/* programme.c: kube and uep recipient lists. */
extern enum angka_err normalize_programme_run(const struct normalize_opts *o,
                                              struct angka_config *cfg,
                                              struct normalize_stats *st,
                                              struct angka_error *e);
/* reference.c: penduduk population counts. */
extern enum angka_err normalize_penduduk_run(const struct normalize_opts *o,
                                             struct angka_config *cfg,
                                             struct normalize_stats *st,
                                             struct angka_error *e);
/* reference.c: wilayah region table. */
extern enum angka_err normalize_wilayah_run(const struct normalize_opts *o,
                                            struct angka_config *cfg,
                                            struct normalize_stats *st,
                                            struct angka_error *e);

#endif
