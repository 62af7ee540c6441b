/*
 * trend_int.h - angka-trend's internal declarations shared by its files
 * (not part of the stage's interface; see trend.h).
 *
 * Ownership: a struct hrows owns its rows and every string in them
 * (trend_hrows_release frees them); hrow.file is borrowed.
 */
#ifndef TREND_INT_H
#define TREND_INT_H

#include <stddef.h>

#include "trend.h"

enum { SRC_HITUNG = 0, SRC_TERBITAN = 1 };
/* "hitung", "terbitan": sumber_data per SRC_*. */
extern const char *const trend_sumber_name[2];

/* Value columns shared by the indicator format and history.csv. */
enum { V_EST, V_SE, V_LO, V_HI, V_RSE, V_REL, V_NOBS, V_NPSU, V_DF, V_COUNT };

struct hrow {
	int tahun;
	int sumber;
	char *periode, *kode, *domain, *indikator, *sumber_text;
	char *v[V_COUNT];      /* text as read; NULL for empty */
	double est, se, df;    /* parsed from v */
	const char *file;      /* borrowed name, for messages */
	long line;
};

struct hrows {
	struct hrow *r;
	size_t n, cap;
};

/* ---------------------------------------------------------- config.c */

/* The [trend] target of indicator ind (P0, P1, P2, jumlah_miskin, gini);
 * NaN when not set or another indicator. */
double trend_config_target(const struct trend_config *tc, const char *ind);
/* A year 1900..2200, the whole of s, into *y: 0, or -1. */
int trend_parse_year(const char *s, int *y);

/* ---------------------------------------------------------- rows.c */

/* Append a zeroed row (numbers NaN) to h and return it. */
struct hrow *trend_hrows_add(struct hrows *h);
/* Free every row of h and its strings; h is empty after. */
void trend_hrows_release(struct hrows *h);
/* Move *src to the end of dst (its strings pass to dst; *src is zeroed). */
void trend_hrows_take(struct hrows *dst, struct hrow *src);
/* qsort comparator, series order: kode, domain, indikator, sumber, tahun,
 * periode. */
int trend_hrow_cmp(const void *pa, const void *pb);
/* 1 if a and b are of one series (kode, domain, indikator, sumber). */
int trend_same_series(const struct hrow *a, const struct hrow *b);
/* 1 if a and b have the same estimate and se (both missing counts). */
int trend_same_value(const struct hrow *a, const struct hrow *b);
/* A region code without dots and blanks, malloc'ed. */
char *trend_kode_dup(const char *s);
/* A copy of s, or NULL when s is NULL or "". */
char *trend_opt_dup(const char *s);

/* ---------------------------------------------------------- read.c */

/* history.csv columns; an indicator table has the same names less some. */
enum { H_TAHUN, H_PERIODE, H_KODE, H_DOMAIN, H_IND, H_V0,
       H_SUMBER_DATA = H_V0 + V_COUNT, H_SUMBER, H_COUNT };
extern const char *const trend_hist_col[H_COUNT];

/* Read the indicator table (is_history 0) or previous history.csv
 * (is_history 1) at path into h; a bad row is ANGKA_EDATA with e set. */
enum angka_err trend_read_rows(const char *path, int is_history,
                               struct hrows *h, struct angka_error *e);
/* Read a normalized published series (kind terbitan) at path into h: one
 * row per non-empty value column. */
enum angka_err trend_read_published(const char *path, struct hrows *h,
                                    struct angka_error *e);
/* Sort h by trend_hrow_cmp; two rows with one key are ANGKA_EDATA. */
enum angka_err trend_sort_unique(struct hrows *h, struct angka_error *e);
/* The row of sorted h with key's series, year and periode, or NULL. */
struct hrow *trend_find_row(struct hrows *h, const struct hrow *key);

/* revisions.csv: its columns, and its rows as text, R_COUNT cells each. */
enum { R_TAHUN, R_PERIODE, R_KODE, R_DOMAIN, R_IND, R_SUMBER_DATA,
       R_LAMA, R_SE_LAMA, R_BARU, R_SE_BARU, R_ALASAN, R_COUNT };
extern const char *const trend_rev_col[R_COUNT];

struct revs {
	char **cell;   /* R_COUNT per row, owned */
	size_t n, cap; /* rows, rows allocated */
};

/* Free every cell of rv. */
void trend_revs_release(struct revs *rv);
/* Append the rows of the revisions file at path to rv. */
enum angka_err trend_read_revisions(const char *path, struct revs *rv,
                                    struct angka_error *e);
/* Append a revision row: old's value replaced by new's, for reason. */
void trend_add_revision(struct revs *rv, const struct hrow *old,
                        const struct hrow *new, const char *reason);

/* The covariance table: one covariance per series and pair of years. */
struct cov_entry {
	char *kode, *domain, *indikator;
	int y1, y2;    /* y1 < y2 */
	double cov;
};

/* An index of entries by key: open addressing, slot = entry index + 1
 * (0 empty), capacity a power of two at most half full. */
struct trend_index {
	size_t *slot;
	size_t cap;
};

struct covs {
	struct cov_entry *c;
	size_t n, cap;
	struct trend_index ix;   /* first entry of each key */
};

/* Free every entry of cv. */
void trend_covs_release(struct covs *cv);
/* Append the rows of the covariance table at path to cv. */
enum angka_err trend_read_covs(const char *path, struct covs *cv,
                               struct angka_error *e);
/* The covariance of r's series between years y1 < y2, or NULL. */
const struct cov_entry *trend_find_cov(const struct covs *cv,
                                       const struct hrow *r, int y1, int y2);
/* 1 if (y1, y2) is one of the n shared-PSU year pairs (2 ints each). */
int trend_pair_shared(const int *pairs, size_t n, int y1, int y2);

/* The deflator: the kabupaten's total poverty line per year (--lines). */
struct line_entry {
	char *kode;    /* without dots */
	int tahun;
	double z;
};

struct lines {
	struct line_entry *l;
	size_t n, cap;
	struct trend_index ix;   /* by kode and tahun */
};

/* Free every entry of ln. */
void trend_lines_release(struct lines *ln);
/* Append the daerah "total" lines of the normalized poverty-line table at
 * path (kode_wilayah, tahun, daerah, garis_kemiskinan) to ln. */
enum angka_err trend_read_lines(const char *path, struct lines *ln,
                                struct angka_error *e);
/* The line of kode (without dots) in tahun, or NULL. */
const struct line_entry *trend_find_line(const struct lines *ln,
                                         const char *kode, int tahun);

/* ---------------------------------------------------------- write.c */

/* history.csv: the header and every row of h. */
void trend_write_history(struct angka_csv_writer *w, const struct hrows *h);
/* changes.csv's header row. */
void trend_write_change_header(struct angka_csv_writer *w);

/* One change of a series, before it is written (rows borrowed). */
struct trend_chg {
	const struct hrow *a, *b;     /* earlier, later */
	const char *jenis;            /* "tahunan" or "periode" */
	struct trend_change c;
	int ok;                       /* 0: tested */
	int use_t;
	double cov, df;
	const char *note;
	double p_holm, p_bh;          /* adjusted within the family */
	double real_pct;              /* change in real terms, or NaN */
	double z1, z2;                /* deflator of the two years */
};

/* Test the change a (earlier) -> b (later) of one series, with the
 * covariance of a shared-PSU pair of years (pairs, npairs) from cv; the
 * real change of rata_kapita / median_kapita when ln has both years. */
void trend_change_compute(struct trend_chg *x, const struct hrow *a,
                          const struct hrow *b, const char *jenis,
                          const struct trend_config *tc, const int *pairs,
                          size_t npairs, const struct covs *cv,
                          const struct lines *ln);
/* Holm and Benjamini-Hochberg adjusted p-values of x[0..n), within each
 * family: the tested changes of one indikator, jenis and pair of years
 * (every domain and region). */
void trend_changes_adjust(struct trend_chg *x, size_t n);
/* One changes.csv row. */
void trend_write_change(struct angka_csv_writer *w, const struct trend_chg *x,
                        const struct trend_config *tc);
/* trend.csv's header row. */
void trend_write_fit_header(struct angka_csv_writer *w);
/* One trend.csv row for the hitung series r[0..n) (sorted by year). */
void trend_write_fit(struct angka_csv_writer *w, const struct hrow *r,
                     size_t n, const struct trend_config *tc);

#endif
