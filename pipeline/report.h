/*
 * report.h - the run's pages for people (report.c): tabel/kemiskinan.xlsx,
 * the clerk workbooks in private/, ringkasan.html, and the console's last
 * lines. Built in the run directory (the working directory) after the last
 * step, before the manifest; published with the run.
 */
#ifndef ANGKA_REPORT_H
#define ANGKA_REPORT_H

#include "driver_int.h"

enum { REPORT_MAX_KEYS = 64 };

/* Counts per distinct value (quarantine reasons, violated rules). */
struct tally {
	char key[REPORT_MAX_KEYS][64];
	long long count[REPORT_MAX_KEYS];
	size_t n;
};

/* One row of trend/history.csv the report uses. */
struct hist_row {
	int year, total, published;
	char kode[32], ind[32], rel[16];
	double estimate, lo, hi, rse;
};

struct region_name {
	char kode[32], nama[96], level[16];
};

/* What the report found; counts are -1 where the file is absent. */
struct report {
	int lang_en;
	const char *name, *source;          /* borrowed from the config */
	long long dtks_rows, persons, duplicates, review, violations;
	long long excel_nik, excel_kk, unreliable;
	/* Notes under a published table (ingest's footer_note): in the
	 * quarantine files so every input row is accounted for, but not
	 * data, so not counted in quarantine below. */
	long long footer_notes;
	struct tally quarantine, rules;
	/* Rows before a table's header (a published table's title): in the
	 * quarantine files as "preamble" so every input row is accounted
	 * for, but not data, so not counted in quarantine above. */
	long long preamble;
	struct hist_row *hist;
	size_t nhist, caphist;
	struct region_name *names;
	size_t nnames, capnames;
	int have_change;
	double change;
	char verdict[64];
};

/* Read the run's outputs and write the report files; r is filled for
 * report_print(). Allocates with angka_x*(). */
enum angka_err report_build(struct env *v, struct report *r,
                            struct angka_error *e);
/* The findings in a few lines on stderr (nothing with --quiet). */
void report_print(struct env *v, const struct report *r);
void report_free(struct report *r);

#endif
