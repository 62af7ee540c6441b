/*
 * garis_int.h - angka-garis's internal data: the tables read into memory
 * (read.c), the computation (calc.c) and the writers (write.c).
 */
#ifndef ANGKA_GARIS_INT_H
#define ANGKA_GARIS_INT_H

#include "garis.h"

enum { GARIS_KOTA = 0, GARIS_DESA = 1, GARIS_NAREA = 2 };
extern const char *const garis_area_name[GARIS_NAREA]; /* perkotaan, perdesaan */

struct garis_hh {
	char *urut;
	size_t region;
	int area;              /* GARIS_KOTA / GARIS_DESA */
	size_t unit;           /* (strata, PSU) index */
	int size;              /* R301 */
	double w;              /* WERT */
	double y;              /* KAPITA */
	size_t food_off, food_n, nonf_off, nonf_n;
};

struct garis_item { size_t hh, com; double q, v; long line; };

struct garis_food { char *kode, *nama, *satuan; double kkal; };
struct garis_nonfood { char *kode, *nama; double r[GARIS_NAREA]; int has[GARIS_NAREA]; };

struct garis_unit { char *strata, *psu; size_t stratum; };

struct garis_region {
	char *kode;
	double gk_prev, ihk_prev, ihk_cur, zp;
	size_t *ord[GARIS_NAREA];  /* households sorted by KAPITA, file order */
	size_t n[GARIS_NAREA];
};

struct garis_data {
	struct garis_hh *hh; size_t nhh;
	struct garis_item *food; size_t nfood_rows;
	struct garis_item *nonf; size_t nnonf_rows;
	struct garis_food *fc; size_t nfc;
	struct garis_nonfood *nc; size_t nnc;
	struct garis_unit *units; size_t nunits;
	size_t nstrata;
	struct garis_region *reg; size_t nreg;
	char delim_note[8];
};

/* One region x area of a computation. */
struct garis_cell {
	int ok;                 /* households present */
	double pop;             /* persons of the area */
	double P;               /* persons of the reference population */
	size_t nref;            /* reference households */
	size_t nobs;            /* households in the sample */
	double C;               /* kcal per capita per day (reference) */
	double gkm, gknm, gk;
	double *Q, *V;          /* per food commodity, per capita per month */
	double *N;              /* per non-food item */
	double *contrib;        /* nfc food then nnc non-food */
};

struct garis_result {
	size_t nreg, nfc, nnc;
	struct garis_cell *cell;  /* nreg x GARIS_NAREA */
	double *tot;              /* nreg x 3: GKM GKNM GK, persons-weighted */
	double *totpop;           /* nreg */
	unsigned char *inref;     /* per household (baseline only) or NULL */
};

enum angka_err garis_read(const struct garis_opts *o, struct garis_data *d,
                          struct garis_stats *st, struct angka_error *e);
void garis_data_free(struct garis_data *d);

void garis_result_init(struct garis_result *r, const struct garis_data *d,
                       int want_ref);
void garis_result_free(struct garis_result *r);
/* Compute every region's lines with household weights wt and price
 * factors (1 + change) per food commodity (pf) and non-food item (pn).
 * ANGKA_EDATA when an area has no reference household or no calories. */
enum angka_err garis_compute(const struct garis_data *d, const double *wt,
                             const double *pf, const double *pn,
                             struct garis_result *r, struct angka_error *e);

/* FGT index alpha (0, 1, 2) x100 and the poor persons of region r, area a
 * (a = GARIS_NAREA: both areas, each against its own line). */
void garis_fgt(const struct garis_data *d, const struct garis_result *res,
               size_t r, int a, double out[4]);

/* Statistic s (0 GK, 1 GKM, 2 GKNM, 3 food share %) of region r, domain
 * dom (0 perkotaan, 1 perdesaan, 2 total). */
double garis_stat(const struct garis_result *x, size_t r, int dom, int s);
/* 1 if region r has domain dom. */
int garis_dom_ok(const struct garis_result *x, size_t r, int dom);

enum angka_err garis_write(const struct garis_opts *o,
                           const struct garis_data *d,
                           const struct garis_result *base,
                           const double *se, const struct garis_result *scen,
                           struct angka_error *e);
enum angka_err garis_write_explain(const struct garis_opts *o,
                                   const struct garis_data *d,
                                   const struct garis_result *base,
                                   struct angka_error *e);

#endif
