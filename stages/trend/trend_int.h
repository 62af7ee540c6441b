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

#endif
