/*
 * design.h - the in-memory survey designs of angka-indicators: one per
 * year, each holding strata, PSUs, domains and the cells (domain x PSU)
 * with their exact sums. Built by reading microdata (indicators.c) or
 * partial files (partial.c); turned into indicator rows by estimate.c.
 *
 * Ownership: struct ind_store owns every design, string and array in it;
 * ind_store_release() frees them all.
 */
#ifndef ANGKA_IND_DESIGN_H
#define ANGKA_IND_DESIGN_H

#include "indicators.h"
#include "tables.h"

/*
 * Summed quantities per cell: w, w*g0, w*g1, w*g2, w*y, and for the design
 * effects w*y^2, w*g2^2 and the number of records with w > 0.
 */
enum { IND_Q_W = 0, IND_Q_G0, IND_Q_G1, IND_Q_G2, IND_Q_Y, IND_Q_Y2,
       IND_Q_G2SQ, IND_Q_NPOS, IND_NQ };

/* Domain groups: sort order of the output. */
enum { IND_G_TOTAL = 0, IND_G_KOTA = 1, IND_G_DESA = 2, IND_G_BY = 3 };

struct ind_stratum {
	uint32_t name;           /* string id */
	int has_fpc;
	double fpc;              /* as given (count, or fraction if all <= 1) */
	long n_psu;              /* PSUs in the whole design */
	double f;                /* 1 - n/N (1 without fpc) */
	int nonzero;             /* has a PSU with positive weight */
	uint32_t rank;
};

struct ind_psu {
	uint32_t stratum, name;
	uint32_t rank;
};

struct ind_domain {
	uint32_t group, value;   /* value: string id ("" for fixed groups) */
	uint32_t first_file;     /* string id of the first record's src_file */
	long first_line;         /* UINT32_MAX file: unknown */
	uint32_t rank;
	struct ind_yw *dist;     /* (y, w) of its records, if distribution */
	size_t ndist, distcap;
};

struct ind_cell {
	uint32_t domain, psu;
	uint64_t n_obs;
	struct ind_xsum s[IND_NQ];
	double v[IND_NQ];        /* s rounded, set by ind_store_finish */
};

struct ind_design {
	uint32_t tahun;          /* string id */
	uint32_t region;         /* common dotted prefix; UINT32_MAX: none yet */
	struct ind_stratum *strata;
	size_t nstrata, cap_strata;
	struct ind_psu *psus;
	size_t npsus, cap_psus;
	struct ind_domain *domains;
	size_t ndomains, cap_domains;
	struct ind_cell *cells;
	size_t ncells, cap_cells;
	struct ind_map stratum_map;  /* name -> index */
	struct ind_map psu_map;      /* (stratum, name) -> index */
	struct ind_map domain_map;   /* (group, value) -> index */
	struct ind_map cell_map;     /* (domain, psu) -> index */
	uint32_t last_psu_key_s, last_psu_key_p, last_psu; /* lookup cache */
	int sorted;
};

struct ind_store {
	struct ind_strtab str;
	struct ind_design *designs;
	size_t ndesigns;
	struct ind_map design_map;   /* tahun id -> index */
	int rule;                    /* enum ind_rule */
	int distribution;
	char *by[IND_MAX_BY];
	size_t nby;
	int has_fpc;
	uint32_t empty;              /* id of "" */
};

void ind_store_init(struct ind_store *s);
void ind_store_release(struct ind_store *s);

struct ind_design *ind_store_design(struct ind_store *s, uint32_t tahun);
uint32_t ind_design_stratum(struct ind_design *d, uint32_t name);
uint32_t ind_design_psu(struct ind_design *d, uint32_t stratum, uint32_t name);
uint32_t ind_design_domain(struct ind_design *d, uint32_t group,
                           uint32_t value);
struct ind_cell *ind_design_cell(struct ind_design *d, uint32_t domain,
                                 uint32_t psu);
void ind_domain_add_dist(struct ind_domain *dom, double y, double w,
                         uint32_t psu);
/* Keep the smallest (file, line) as the domain's first record. */
void ind_domain_note_first(struct ind_store *s, struct ind_domain *dom,
                           uint32_t file, long line);
/* Narrow d's region to the common dotted prefix with code. */
void ind_design_note_region(struct ind_store *s, struct ind_design *d,
                            const char *code, size_t len);

/*
 * Sort every design into canonical order (strata, PSUs, domains, cells by
 * name) and derive n_psu, f and nonzero flags. Checks fpc values.
 */
enum angka_err ind_store_finish(struct ind_store *s, struct angka_error *e);

/* The label of a domain: total, perkotaan, perdesaan, COL=VALUE. */
void ind_domain_label(const struct ind_store *s, const struct ind_domain *dom,
                      char *buf, size_t cap);

/* estimate.c: write the long indicator table. */
enum angka_err ind_write_indicators(struct ind_store *s,
                                    const struct ind_opts *o,
                                    struct ind_stats *st,
                                    struct angka_error *e);
/*
 * jackknife.c: the delete-one-PSU jackknife SE of the Gini g of a domain's
 * sorted records a[0..n) (cells dc[0..dn)), as R survey's
 * as.svrepdesign(type = "JKn") (mse = FALSE); NAN under lonely policy fail
 * with a lonely stratum, or when a replicate leaves the domain empty. The
 * scratch jk (one per design) is left zeroed.
 */
struct ind_jk;
struct ind_jk *ind_jk_new(const struct ind_design *d);
void ind_jk_free(struct ind_jk *jk);
double ind_gini_jackknife(const struct ind_design *d, struct ind_jk *jk,
                          const struct ind_cell *dc, size_t dn,
                          const struct ind_yw *a, size_t n, double g,
                          int lonely);

/* partial.c */
enum angka_err ind_write_partial(struct ind_store *s, const char *out,
                                 struct ind_stats *st, struct angka_error *e);
enum angka_err ind_read_partial(struct ind_store *s, const char *path,
                                int first, struct ind_stats *st,
                                struct angka_error *e);

#endif
