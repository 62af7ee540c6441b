/*
 * long.c - angka-sae's long mode: areas and covariates from the registry
 * table of angka-indicators (--mode registry), direct estimates from its
 * poverty table, output in the long format with a metode column
 * (langsung, eblup, sintetis). See sae.h.
 */
#include "sae_int.h"
#include "ci.h"
#include "publish.h"
#include "csv_columns.h"
#include "number.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* The registry counts the covariates are made of (desil_3 .. desil_10 and
 * desil_kosong: what desil_1 + desil_2 is when the published table hides
 * both). */
enum { R_DTKS, R_RUTA, R_PKH, R_BPNT, R_D1, R_D2, R_SHARE, R_D3,
       R_D0 = R_D3 + 8, R_COUNT };
static const char *const reg_ind[R_COUNT] = {
	"dtks_jiwa", "dtks_ruta", "penerima_pkh", "penerima_bpnt", "desil_1",
	"desil_2", "share_penduduk_pct", "desil_3", "desil_4", "desil_5",
	"desil_6", "desil_7", "desil_8", "desil_9", "desil_10", "desil_kosong"
};

static double ratio(double a, double b, double k)
{
	return isfinite(a) && b > 0 ? k * a / b : NAN;
}

/* A derived covariate from an area's registry counts v; NaN if missing. */
static int covariate(const char *name, const double *v, double *out)
{
	if (strcmp(name, "desil12_pct") == 0)
		*out = ratio(v[R_D1] + v[R_D2], v[R_DTKS], 100);
	else if (strcmp(name, "pkh_pct") == 0)
		*out = ratio(v[R_PKH], v[R_DTKS], 100);
	else if (strcmp(name, "bpnt_pct") == 0)
		*out = ratio(v[R_BPNT], v[R_DTKS], 100);
	else if (strcmp(name, "art_per_ruta") == 0)
		*out = ratio(v[R_DTKS], v[R_RUTA], 1);
	else if (strcmp(name, "dtks_pct") == 0)
		*out = v[R_SHARE];
	else
		return -1;
	return 0;
}

/*
 * The covariate as the published (suppressed) table pv gives it, NaN when
 * it cannot: desil_1 + desil_2 is also dtks_jiwa less the other desil
 * cells when all of those are shown (the suppression rule hides at least
 * two cells of a group, and their sum is then known).
 */
static void covariate_published(const char *name, const double *pv,
                                double *out)
{
	covariate(name, pv, out);
	if (isfinite(*out) || strcmp(name, "desil12_pct") != 0)
		return;
	double rest = 0;
	for (int k = R_D3; k <= R_D0; k++)
		rest += pv[k];
	*out = ratio(pv[R_DTKS] - rest, pv[R_DTKS], 100);
}

struct reg_row {
	long tahun;
	char *code;
	int desa;
	int ind;
	double value;
};

struct reg_area {
	char *code;
	int desa;
	double v[R_COUNT];     /* counts (the internal table's if given) */
	double pv[R_COUNT];    /* the published table's (NaN: hidden) */
	const char *hidden;    /* a covariate the published table cannot give */
};

/* One direct estimate of poverty.csv: its fields as written. */
enum { P_TAHUN, P_KODE, P_DOMAIN, P_IND, P_EST, P_SE, P_LO, P_HI, P_RSE,
       P_REL, P_NOBS, P_NPSU, P_DF, P_COUNT };
static const char *const pov_col[P_COUNT] = {
	"tahun", "kode_wilayah", "domain", "indikator", "estimate", "se",
	"ci_lower", "ci_upper", "rse_pct", "reliability", "n_obs", "n_psu", "df"
};

struct direct {
	char *code;            /* the area (after "kode_wilayah=") */
	size_t ind;            /* index into the modelled indicators */
	char *f[P_COUNT];
	double est, se, nobs;
	long line;
};

struct long_data {
	struct reg_area *area;
	size_t narea;
	struct direct *dir;
	size_t ndir;
	long tahun;
	char *kab;             /* kode_wilayah of the output */
};

static void long_data_release(struct long_data *L)
{
	for (size_t i = 0; i < L->narea; i++)
		free(L->area[i].code);
	free(L->area);
	for (size_t i = 0; i < L->ndir; i++) {
		free(L->dir[i].code);
		for (int k = 0; k < P_COUNT; k++)
			free(L->dir[i].f[k]);
	}
	free(L->dir);
	free(L->kab);
}

/* "" is NaN (0); a full number (1); else -1. */
static int num(const char *s, double *out)
{
	*out = NAN;
	if (!*s)
		return 0;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno == ERANGE || end == s || *end || !isfinite(v))
		return -1;
	*out = v;
	return 1;
}

static int parse_year(const char *s, long *y)
{
	char *end;
	errno = 0;
	*y = strtol(s, &end, 10);
	return errno || end == s || *end || *y < 1900 || *y > 2200 ? -1 : 0;
}

static int cmp_reg_row(const void *a, const void *b)
{
	const struct reg_row *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	return c ? c : (x->ind > y->ind) - (x->ind < y->ind);
}

static int cmp_area(const void *a, const void *b)
{
	const struct reg_area *x = a, *y = b;
	if (x->desa != y->desa)
		return x->desa - y->desa;
	return strcmp(x->code, y->code);
}

static enum angka_err read_registry(const struct sae_opts *o,
                                    const char *path, struct long_data *L,
                                    struct angka_error *e)
{
	static const char *const want[] = { "tahun", "kode_wilayah", "domain",
	                                    "indikator", "value", NULL };
	int idx[5];
	struct angka_csv_reader *r;
	const struct angka_csv_record *h, *rec;
	struct angka_csv_opts copts = ANGKA_CSV_CANONICAL;
	enum angka_err rc = angka_csv_open_columns(&r, &h, path, &copts,
	                                           want, 5, idx, want, NULL, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *name = angka_csv_reader_name(r);
	struct reg_row *row = NULL;
	size_t n = 0, cap = 0;
	long year = o->tahun;
	int got;
	while ((got = angka_csv_reader_next(r, &rec, e)) > 0) {
		if (rec->nfields != h->nfields) {
			rc = ANGKA_ERR(e, ANGKA_ECSV, "'%s':%ld: expected %zu "
			               "fields, found %zu", name, rec->line,
			               h->nfields, rec->nfields);
			goto out;
		}
		const char *dom = rec->field[idx[2]];
		int desa = strcmp(dom, "desa") == 0;
		if (!desa && strcmp(dom, "kecamatan") != 0)
			continue;
		int ind = -1;
		for (int k = 0; k < R_COUNT; k++)
			if (strcmp(rec->field[idx[3]], reg_ind[k]) == 0)
				ind = k;
		if (ind < 0)
			continue;
		long y;
		if (parse_year(rec->field[idx[0]], &y)) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld:%d: column "
			               "'tahun': '%s' is not a year", name,
			               rec->line, idx[0] + 1, rec->field[idx[0]]);
			goto out;
		}
		if (o->tahun == 0 && year != 0 && y != year) {
			rc = ANGKA_ERR(e, ANGKA_EUSAGE, "'%s':%ld: registry years "
			               "%ld and %ld: choose one with --tahun",
			               name, rec->line, year, y);
			goto out;
		}
		year = o->tahun ? o->tahun : y;
		if (y != year)
			continue;
		double v;
		if (num(rec->field[idx[4]], &v) < 0) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld:%d: column "
			               "'value': '%s' is not a number", name,
			               rec->line, idx[4] + 1, rec->field[idx[4]]);
			goto out;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			row = angka_xrealloc(row, cap * sizeof *row);
		}
		row[n++] = (struct reg_row){ y, angka_xstrdup(rec->field[idx[1]]),
		                             desa, ind, v };
	}
	if (got < 0) {
		rc = e->code;
		goto out;
	}
	rc = angka_csv_reader_close(r, e);
	r = NULL;
	if (rc != ANGKA_OK)
		goto out;
	if (n == 0) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': no kecamatan or desa "
		               "counts%s", path, o->tahun ?
		               " in the year of --tahun" : "");
		goto out;
	}
	L->tahun = year;
	qsort(row, n, sizeof *row, cmp_reg_row);
	L->area = angka_xmalloc(n * sizeof *L->area);
	for (size_t i = 0; i < n; i++) {
		if (L->narea == 0 ||
		    strcmp(row[i].code, L->area[L->narea - 1].code)) {
			struct reg_area *a = &L->area[L->narea++];
			a->code = row[i].code;
			row[i].code = NULL;
			a->desa = row[i].desa;
			for (int k = 0; k < R_COUNT; k++)
				a->v[k] = NAN;
			a->hidden = NULL;
		}
		L->area[L->narea - 1].v[row[i].ind] = row[i].value;
	}
	qsort(L->area, L->narea, sizeof *L->area, cmp_area);
	for (size_t i = 0; i < L->narea; i++)
		memcpy(L->area[i].pv, L->area[i].v, sizeof L->area[i].pv);
out:
	angka_csv_reader_free(r);
	for (size_t i = 0; i < n; i++)
		free(row[i].code);
	free(row);
	return rc;
}

/*
 * Areas and counts from the internal table I, the published counts from
 * P (read from o->registry) beside them in pv; mark every area whose
 * covariates the published table cannot give. A covariate both tables
 * give must be the same number. On success I's areas move to P.
 */
static enum angka_err merge_internal(const struct sae_opts *o,
                                     struct long_data *P, struct long_data *I,
                                     const char *const *cov, size_t ncov,
                                     struct angka_error *e)
{
	if (I->tahun != P->tahun)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s' is of %ld, '%s' of %ld",
		                 o->registry_internal, I->tahun, o->registry,
		                 P->tahun);
	for (size_t i = 0; i < I->narea; i++) {
		struct reg_area *a = &I->area[i];
		const struct reg_area *p = P->narea ? bsearch(a, P->area,
		                           P->narea, sizeof *P->area, cmp_area)
		                           : NULL;
		for (int k = 0; k < R_COUNT; k++)
			a->pv[k] = p ? p->pv[k] : NAN;
		for (size_t j = 0; j < ncov; j++) {
			double x, xp;
			covariate(cov[j], a->v, &x);
			covariate_published(cov[j], a->pv, &xp);
			if (!isfinite(x))
				continue;   /* missing in both: refused later */
			if (!isfinite(xp)) {
				if (!a->hidden)
					a->hidden = cov[j];
			} else if (xp != x) {
				return ANGKA_ERR(e, ANGKA_EDATA, "%s %s: covariate "
				                 "'%s' is %.17g in '%s' but %.17g in "
				                 "'%s' (not one run's tables?)",
				                 a->desa ? "desa" : "kecamatan",
				                 a->code, cov[j], x,
				                 o->registry_internal, xp,
				                 o->registry);
			}
		}
	}
	for (size_t i = 0; i < P->narea; i++)
		free(P->area[i].code);
	free(P->area);
	P->area = I->area;
	P->narea = I->narea;
	I->area = NULL;
	I->narea = 0;
	return ANGKA_OK;
}

static int cmp_direct(const void *a, const void *b)
{
	const struct direct *x = a, *y = b;
	if (x->ind != y->ind)
		return (x->ind > y->ind) - (x->ind < y->ind);
	return strcmp(x->code, y->code);
}

static enum angka_err read_poverty(const struct sae_opts *o,
                                   const char *const *ind, size_t nind,
                                   struct long_data *L, struct angka_error *e)
{
	static const char *const req[] = { "tahun", "kode_wilayah", "domain",
	                                   "indikator", "estimate", "se", NULL };
	int idx[P_COUNT];
	struct angka_csv_reader *r;
	const struct angka_csv_record *h, *rec;
	struct angka_csv_opts copts = ANGKA_CSV_CANONICAL;
	enum angka_err rc = angka_csv_open_columns(&r, &h, o->poverty, &copts,
	                                           pov_col, P_COUNT, idx, req,
	                                           NULL, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *name = angka_csv_reader_name(r);
	size_t cap = 0;
	int got;
	while ((got = angka_csv_reader_next(r, &rec, e)) > 0) {
		if (rec->nfields != h->nfields) {
			rc = ANGKA_ERR(e, ANGKA_ECSV, "'%s':%ld: expected %zu "
			               "fields, found %zu", name, rec->line,
			               h->nfields, rec->nfields);
			goto out;
		}
		const char *dom = rec->field[idx[P_DOMAIN]];
		if (strncmp(dom, "kode_wilayah=", 13) != 0)
			continue;
		long y;
		if (parse_year(rec->field[idx[P_TAHUN]], &y) || y != L->tahun)
			continue;
		size_t k;
		for (k = 0; k < nind; k++)
			if (strcmp(rec->field[idx[P_IND]], ind[k]) == 0)
				break;
		if (k == nind)
			continue;
		if (cap == L->ndir) {
			cap = cap ? 2 * cap : 64;
			L->dir = angka_xrealloc(L->dir, cap * sizeof *L->dir);
		}
		struct direct *d = &L->dir[L->ndir++];
		memset(d, 0, sizeof *d);
		d->code = angka_xstrdup(dom + 13);
		d->ind = k;
		d->line = rec->line;
		for (int c = 0; c < P_COUNT; c++)
			d->f[c] = angka_xstrdup(idx[c] < 0 ? "" :
			                        rec->field[idx[c]]);
		static const int numc[] = { P_EST, P_SE, P_NOBS };
		double *dst[] = { &d->est, &d->se, &d->nobs };
		for (int j = 0; j < 3; j++)
			if (num(d->f[numc[j]], dst[j]) < 0 ||
			    (j > 0 && *dst[j] < 0)) {
				rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld:%d: "
				               "column '%s': '%s' is not a%s "
				               "number", name, rec->line,
				               idx[numc[j]] + 1, pov_col[numc[j]],
				               d->f[numc[j]],
				               j ? " non-negative" : "");
				goto out;
			}
		if (!L->kab)
			L->kab = angka_xstrdup(d->f[P_KODE]);
	}
	if (got < 0) {
		rc = e->code;
		goto out;
	}
	rc = angka_csv_reader_close(r, e);
	r = NULL;
	if (rc != ANGKA_OK)
		goto out;
	if (L->ndir)
		qsort(L->dir, L->ndir, sizeof *L->dir, cmp_direct);
	for (size_t i = 1; i < L->ndir; i++)
		if (cmp_direct(&L->dir[i - 1], &L->dir[i]) == 0) {
			const struct direct *a = &L->dir[i - 1], *b = &L->dir[i];
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: duplicate %s "
			               "of kode_wilayah=%s (first at line %ld)",
			               o->poverty, a->line > b->line ? a->line :
			               b->line, ind[a->ind], a->code,
			               a->line < b->line ? a->line : b->line);
			goto out;
		}
out:
	angka_csv_reader_free(r);
	return rc;
}

/* The direct estimate of an area and indicator (L->dir sorted). */
static const struct direct *find_direct(const struct long_data *L,
                                        const char *code, size_t ind)
{
	struct direct key = { .code = (char *)code, .ind = ind };
	return L->ndir ? bsearch(&key, L->dir, L->ndir, sizeof *L->dir,
	                         cmp_direct) : NULL;
}

/* The area table of indicator k: every registry area, in order. */
static void build_table(const struct sae_opts *o, const struct long_data *L,
                        size_t k, const char *const *cov, size_t ncov,
                        struct sae_table *t, const struct direct **dir,
                        unsigned char *withheld, struct sae_stats *st)
{
	memset(t, 0, sizeof *t);
	t->file = o->poverty;
	t->bench_value = NAN;
	t->has_nobs = 1;
	t->p = 1 + ncov;
	t->xname = angka_xcalloc(t->p, sizeof *t->xname);
	t->xname[0] = angka_xstrdup("(Intercept)");
	for (size_t j = 0; j < ncov; j++)
		t->xname[1 + j] = angka_xstrdup(cov[j]);
	t->a = angka_xcalloc(L->narea ? L->narea : 1, sizeof *t->a);
	t->X = angka_xcalloc((L->narea ? L->narea : 1) * t->p, sizeof *t->X);
	for (size_t i = 0; i < L->narea; i++) {
		const struct reg_area *ra = &L->area[i];
		double *x = t->X + t->n * t->p;
		const char *miss = NULL;
		x[0] = 1;
		for (size_t j = 0; j < ncov; j++) {
			covariate(cov[j], ra->v, &x[1 + j]);
			if (!isfinite(x[1 + j]) && !miss)
				miss = cov[j];
		}
		st->rows++;
		if (miss) {
			st->refused++;
			sae_note(st, "'%s': %s %s refused: covariate '%s' "
			         "missing", o->registry, ra->desa ? "desa" :
			         "kecamatan", ra->code, miss);
			continue;
		}
		/* A value resting on a hidden count is not published: a
		 * kecamatan stays out of the fit (the model is published), a
		 * desa is predicted for the internal table only. */
		if (ra->hidden && !ra->desa) {
			st->refused++;
			sae_note(st, "'%s': kecamatan %s refused: covariate '%s' "
			         "rests on counts the published table hides",
			         o->registry_internal, ra->code, ra->hidden);
			continue;
		}
		const struct direct *d = find_direct(L, ra->code, k);
		struct sae_area *a = &t->a[t->n];
		dir[t->n] = d;
		withheld[t->n] = ra->hidden != NULL;
		t->n++;
		a->name = angka_xstrdup(ra->code);
		a->line = d ? d->line : 0;
		a->est = d && !ra->hidden ? d->est : NAN;
		a->var = d && !ra->hidden ? d->se * d->se : NAN;
		a->nobs = d ? d->nobs : NAN;
		a->neff = a->share = NAN;
	}
}

static const char *const out_col[] = {
	"tahun", "kode_wilayah", "domain", "indikator", "estimate", "se",
	"ci_lower", "ci_upper", "rse_pct", "reliability", "n_obs", "n_psu",
	"df", "metode"
};

static void put_num(struct angka_csv_writer *w, double v)
{
	char buf[64];
	angka_number_format(v, buf, sizeof buf);
	angka_csv_writer_str(w, buf);
}

/*
 * The range of an indicator of poverty.csv, as angka-indicators gives it:
 * m > 0 a proportion in [0, m] (P0-P2, shares: 100; gini: 1), m = 0 a
 * positive quantity (counts, money), m < 0 unbounded.
 */
static double ind_range(const char *ind)
{
	if (strcmp(ind, "P0") == 0 || strcmp(ind, "P1") == 0 ||
	    strcmp(ind, "P2") == 0 || strcmp(ind, "porsi_40_bawah") == 0 ||
	    strncmp(ind, "kontribusi_", 11) == 0 || strncmp(ind, "share_", 6) == 0)
		return 100;
	if (strcmp(ind, "gini") == 0)
		return 1;
	if (strncmp(ind, "jumlah_", 7) == 0 || strcmp(ind, "rata_kapita") == 0 ||
	    strcmp(ind, "median_kapita") == 0)
		return 0;
	return -1;
}

/*
 * The 95 % interval of a model estimate est with RMSE r inside the
 * indicator's range m (ind_range): a proportion on the logit scale (delta
 * method, se_logit = r / (m p (1 - p)), p = est / m, back-transformed, as
 * angka-indicators' logit CIs), a positive quantity on the log scale
 * (est exp(-/+ z r / est)), else est -/+ z r. No interval (NaN) when r is
 * not > 0 or est lies on or outside the range's bounds (0 or m): those
 * scales have no interval there. Returns 1 when a bounded estimate got no
 * interval, else 0.
 */
static int model_ci(double m, double est, double r, double z, double *lo,
                    double *hi)
{
	*lo = *hi = NAN;
	if (!isfinite(est) || !(r > 0) || !isfinite(r))
		return 0;
	if (m < 0) {
		*lo = est - z * r;
		*hi = est + z * r;
		return 0;
	}
	if (m == 0)
		return angka_ci_log(est, r, z, lo, hi) != 0;
	return angka_ci_logit(m, est, r, z, lo, hi) != 0;
}

/*
 * The rows of one indicator: per area its direct row, then the model's.
 * With publish, an area in withheld[] gets a row without values (metode
 * ditahan). Returns the number of model rows whose estimate lies on or
 * outside the indicator's range (no interval).
 */
static size_t write_rows(struct angka_csv_writer *w, const struct long_data *L,
                         const char *ind, const struct sae_table *t,
                         const struct direct *const *dir,
                         const unsigned char *withheld, int publish)
{
	double z = gsl_cdf_ugaussian_Pinv(0.975), m = ind_range(ind);
	size_t noci = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct sae_area *a = &t->a[i];
		const struct direct *d = dir[i];
		char dom[256];
		snprintf(dom, sizeof dom, "kode_wilayah=%s", a->name);
		if (d) {
			for (int c = 0; c < P_COUNT; c++)
				angka_csv_writer_str(w, d->f[c]);
			angka_csv_writer_str(w, "langsung");
			angka_csv_writer_end_row(w);
		}
		double rmse = sqrt(a->mse);
		double rse = a->eblup != 0 ? 100 * rmse / fabs(a->eblup) : NAN;
		angka_csv_writer_long(w, L->tahun);
		angka_csv_writer_str(w, L->kab);
		angka_csv_writer_str(w, dom);
		angka_csv_writer_str(w, ind);
		if (publish && withheld[i]) {
			for (int c = P_EST; c <= P_DF; c++)
				angka_csv_writer_str(w, c == P_NOBS && d ?
				                     d->f[P_NOBS] : "");
			angka_csv_writer_str(w, "ditahan");
			angka_csv_writer_end_row(w);
			continue;
		}
		put_num(w, a->eblup);
		put_num(w, rmse);
		double lo, hi;
		noci += (size_t)model_ci(m, a->eblup, rmse, z, &lo, &hi);
		put_num(w, lo);
		put_num(w, hi);
		put_num(w, rse);
		angka_csv_writer_str(w, !isfinite(rse) ? "" : rse <= 25 ?
		                     "reliable" : rse <= 50 ? "caution" :
		                     "unreliable");
		angka_csv_writer_str(w, d ? d->f[P_NOBS] : "");
		angka_csv_writer_str(w, "");
		angka_csv_writer_str(w, "");
		angka_csv_writer_str(w, a->in_fit ? "eblup" : "sintetis");
		angka_csv_writer_end_row(w);
	}
	return noci;
}

enum angka_err sae_run_long(const struct sae_opts *o, struct sae_stats *st,
                            struct angka_error *e)
{
	static const char *const def_ind[] = { "P0" };
	static const char *const def_cov[] = { "desil12_pct", "pkh_pct" };
	const char *const *ind = o->nind ? o->indikator : def_ind;
	size_t nind = o->nind ? o->nind : 1;
	const char *const *cov = o->ncov ? o->covariates : def_cov;
	size_t ncov = o->ncov ? o->ncov : 2;
	for (size_t j = 0; j < ncov; j++) {
		double x;
		double v[R_COUNT] = { 0 };
		if (covariate(cov[j], v, &x))
			return ANGKA_ERR(e, ANGKA_EUSAGE, "--covariate '%s': "
			                 "not one of desil12_pct, pkh_pct, "
			                 "bpnt_pct, art_per_ruta, dtks_pct",
			                 cov[j]);
	}
	struct long_data L = { 0 }, I = { 0 };
	struct angka_csv_writer *w = NULL, *wm = NULL, *wi = NULL;
	enum angka_err rc;
	if ((rc = read_registry(o, o->registry, &L, e)) != ANGKA_OK)
		goto out;
	if (o->registry_internal &&
	    ((rc = read_registry(o, o->registry_internal, &I, e)) != ANGKA_OK ||
	     (rc = merge_internal(o, &L, &I, cov, ncov, e)) != ANGKA_OK))
		goto out;
	if ((rc = read_poverty(o, ind, nind, &L, e)) != ANGKA_OK)
		goto out;
	if ((rc = angka_csv_writer_open(&w, o->out, o->writer_flags, e)) !=
	    ANGKA_OK)
		goto out;
	angka_publish_apply(w);
	if (o->out_internal &&
	    (rc = angka_csv_writer_open(&wi, o->out_internal, o->writer_flags,
	                                e)) != ANGKA_OK)
		goto out;
	if (wi)
		angka_publish_apply(wi);
	if (o->model && (rc = angka_csv_writer_open(&wm, o->model,
	                                            o->writer_flags, e)) !=
	    ANGKA_OK)
		goto out;
	if (wm)
		angka_publish_apply(wm);
	angka_csv_writer_row(w, sizeof out_col / sizeof *out_col, out_col);
	if (wi)
		angka_csv_writer_row(wi, sizeof out_col / sizeof *out_col,
		                     out_col);
	if (wm)
		sae_write_model_header(wm, (const char *const[]){ "", "" });
	size_t done = 0;
	for (size_t k = 0; k < nind; k++) {
		struct sae_table t;
		struct sae_stats s1 = { 0 };
		struct sae_summary sm;
		struct sae_fit f = { 0 };
		struct angka_error e1 = { 0 };
		const struct direct **dir = angka_xcalloc(L.narea ? L.narea : 1,
		                                          sizeof *dir);
		unsigned char *wh = angka_xcalloc(L.narea ? L.narea : 1, 1);
		build_table(o, &L, k, cov, ncov, &t, dir, wh, &s1);
		enum angka_err r1 = sae_compute(o, &t, &s1, &sm, &f, &e1);
		for (size_t i = 0; i < s1.nnotes; i++)
			sae_note(st, "%s %ld: %s", ind[k], L.tahun, s1.notes[i]);
		if (r1 == ANGKA_OK) {
			size_t noci = write_rows(w, &L, ind[k], &t, dir, wh, 1);
			if (wi)
				write_rows(wi, &L, ind[k], &t, dir, wh, 0);
			if (noci)
				sae_note(st, "%s %ld: %zu areas with a model "
				         "estimate on or outside the indicator's "
				         "range: no interval", ind[k], L.tahun,
				         noci);
			if (wm) {
				char y[32];
				snprintf(y, sizeof y, "%ld", L.tahun);
				sae_write_model(wm, (const char *const[]){ y,
				                ind[k] }, o, &t, &f, &s1, &sm);
			}
			sae_note(st, "%s %ld: areas %zu: in the fit %zu, "
			         "synthetic %zu (no estimate %zu, variance 0 or "
			         "missing %zu), refused %zu", ind[k], L.tahun,
			         s1.rows, s1.fit, s1.synthetic, s1.syn_no_est,
			         s1.syn_no_var, s1.refused);
			if (o->registry_internal) {
				size_t nw = 0;
				for (size_t i = 0; i < t.n; i++)
					nw += wh[i];
				sae_note(st, "%s %ld: published without a value "
				         "(metode ditahan; values in the internal "
				         "table only): %zu desa whose covariates "
				         "rest on counts the published registry "
				         "table hides", ind[k], L.tahun, nw);
			}
			done++;
		} else {
			sae_note(st, "%s %ld: not modelled: %s", ind[k], L.tahun,
			         e1.msg);
		}
		st->rows += s1.rows;
		st->fit += s1.fit;
		st->synthetic += s1.synthetic;
		st->syn_no_est += s1.syn_no_est;
		st->syn_no_var += s1.syn_no_var;
		st->refused += s1.refused;
		st->gvf_used += s1.gvf_used;
		sae_stats_release(&s1);
		sae_fit_release(&f);
		sae_table_release(&t);
		free(dir);
		free(wh);
	}
	if (done == 0) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': no indicator could be "
		               "modelled for %ld (%zu rows of kode_wilayah= domains "
		               "for its indicators; the poverty table needs "
		               "kode_wilayah= domains: [indicators] by = "
		               "kode_wilayah)", o->poverty, L.tahun, L.ndir);
		goto out;
	}
	if (wm && (rc = angka_csv_writer_commit(wm, e)) != ANGKA_OK) {
		wm = NULL;
		goto out;
	}
	wm = NULL;
	if (wi && (rc = angka_csv_writer_commit(wi, e)) != ANGKA_OK) {
		wi = NULL;
		goto out;
	}
	wi = NULL;
	rc = angka_csv_writer_commit(w, e);
	w = NULL;
out:
	angka_csv_writer_abort(w);
	angka_csv_writer_abort(wm);
	angka_csv_writer_abort(wi);
	long_data_release(&L);
	long_data_release(&I);
	return rc;
}
