/*
 * fs.c - angka-dedup's learned match weights (Fellegi-Sunter): the
 * comparison levels of a pair of records packed into one cell number, the
 * fit of m (EM over the candidate pairs' histogram of cells) and u (from a
 * histogram of random pairs), and the weight of a cell. Pure functions over
 * struct dedup_rec and histograms (see dedup.h); merge.c builds the
 * histograms and applies the weights.
 */
#include "dedup.h"

#include <math.h>
#include <string.h>

static const char *const cmp_names[DEDUP_NCMP] = {
	"nama", "tgl_lahir", "nik", "no_kk", "wilayah", "jenis_kelamin"
};

/* Levels per comparison, level 0 ("missing") first. */
static const int nlevels[DEDUP_NCMP] = { 5, 5, 5, 3, 4, 3 };

static const char *const level_names[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX] = {
	{ "missing", "exact", "jw>=0.95", "jw>=0.88", "other" },
	{ "missing", "exact", "day_month_swapped", "near", "other" },
	{ "missing", "exact", "one_digit", "prefix15", "other" },
	{ "missing", "exact", "other", NULL, NULL },
	{ "missing", "same_desa", "same_kecamatan", "other", NULL },
	{ "missing", "exact", "other", NULL, NULL },
};

/*
 * The starting point of the fit and its pseudo-counts: m0 (of a matching
 * pair) and u0 (of two random people) per level, used as a Dirichlet prior
 * worth DEDUP_FS_M_PRIOR candidate pairs (m) and DEDUP_FS_U_PRIOR random
 * pairs (u). On a large extract the data decide; on a handful of rows the
 * weights stay near these values. Level 0 (missing) is never used.
 */
static const double m0[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX] = {
	{ 0, 0.85, 0.08, 0.04, 0.03 },
	{ 0, 0.90, 0.02, 0.03, 0.05 },
	{ 0, 0.90, 0.06, 0.02, 0.02 },
	{ 0, 0.80, 0.20, 0, 0 },
	{ 0, 0.85, 0.10, 0.05, 0 },
	{ 0, 0.97, 0.03, 0, 0 },
};
static const double u0[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX] = {
	{ 0, 1e-3, 5e-4, 5e-3, 1 - 1e-3 - 5e-4 - 5e-3 },
	{ 0, 5e-5, 5e-6, 1e-3, 1 - 5e-5 - 5e-6 - 1e-3 },
	{ 0, 1e-9, 1e-7, 1e-8, 1 - 1e-9 - 1e-7 - 1e-8 },
	{ 0, 1e-5, 1 - 1e-5, 0, 0 },
	{ 0, 1e-3, 1e-2, 1 - 1e-3 - 1e-2, 0 },
	{ 0, 0.5, 0.5, 0, 0 },
};

int dedup_fs_nlevels(int k)
{
	return k >= 0 && k < DEDUP_NCMP ? nlevels[k] : 0;
}

const char *dedup_fs_cmp_name(int k)
{
	return k >= 0 && k < DEDUP_NCMP ? cmp_names[k] : "";
}

const char *dedup_fs_level_name(int k, int l)
{
	if (k < 0 || k >= DEDUP_NCMP || l < 0 || l >= nlevels[k])
		return "";
	return level_names[k][l];
}

int dedup_fs_level(unsigned cell, int k)
{
	for (int i = 0; i < k; i++)
		cell /= (unsigned)nlevels[i];
	return (int)(cell % (unsigned)nlevels[k]);
}

unsigned dedup_fs_cell(const int level[DEDUP_NCMP])
{
	unsigned c = 0;
	for (int k = DEDUP_NCMP - 1; k >= 0; k--)
		c = c * (unsigned)nlevels[k] + (unsigned)level[k];
	return c;
}

/* Civil date of a day number (Hinnant's civil_from_days). */
static void civil(int32_t z0, int *y, int *m, int *d)
{
	int64_t z = (int64_t)z0 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void dedup_fs_civil(int32_t day, int ymd[3])
{
	civil(day, &ymd[0], &ymd[1], &ymd[2]);
}

int dedup_fs_date_level_ymd(int32_t a, int32_t b, const int ya[3],
                            const int yb[3], long tolerance_days)
{
	if (a == DEDUP_NODATE || b == DEDUP_NODATE)
		return 0;
	if (a == b)
		return 1;
	if (ya[0] == yb[0] && ya[1] == yb[2] && ya[2] == yb[1])
		return 2;
	long diff = (long)a - (long)b;
	if (diff < 0)
		diff = -diff;
	if (diff <= (tolerance_days > DEDUP_FS_NEAR_DAYS ? tolerance_days
	                                                 : DEDUP_FS_NEAR_DAYS))
		return 3;
	/* One digit of YYYYMMDD apart (1973 / 1978, 08 / 09). */
	long va = (long)ya[0] * 10000 + ya[1] * 100 + ya[2];
	long vb = (long)yb[0] * 10000 + yb[1] * 100 + yb[2];
	int nd = 0;
	for (int i = 0; i < 8 && nd < 2; i++, va /= 10, vb /= 10)
		nd += va % 10 != vb % 10;
	return nd == 1 && va == vb ? 3 : 4;
}

int dedup_fs_date_level(int32_t a, int32_t b, long tolerance_days)
{
	if (a == DEDUP_NODATE || b == DEDUP_NODATE)
		return 0;
	if (a == b)
		return 1;
	int ya[3], yb[3];
	civil(a, &ya[0], &ya[1], &ya[2]);
	civil(b, &yb[0], &yb[1], &yb[2]);
	return dedup_fs_date_level_ymd(a, b, ya, yb, tolerance_days);
}

void dedup_fs_nik_digits(uint64_t v, char d[16])
{
	for (int i = 15; i >= 0; i--) {
		d[i] = (char)(v % 10);
		v /= 10;
	}
}

int dedup_fs_nik_level_digits(uint64_t a, uint64_t b, const char da[16],
                              const char db[16])
{
	if (!a || !b)
		return 0;
	if (a == b)
		return 1;
	/* The first 15 digits equal and one NIK ending in 0: Excel kept
	 * 15 significant digits (truncation). */
	if (a / 10 == b / 10 && (a % 10 == 0 || b % 10 == 0))
		return 3;
	/* One digit, or two neighbours swapped (dedup_nik_distance). */
	int diff[2], nd = 0;
	for (int i = 0; i < 16; i++)
		if (da[i] != db[i]) {
			if (nd == 2)
				return 4;
			diff[nd++] = i;
		}
	if (nd == 1)
		return 2;
	return diff[1] == diff[0] + 1 && da[diff[0]] == db[diff[1]] &&
	       da[diff[1]] == db[diff[0]] ? 2 : 4;
}

int dedup_fs_nik_level(uint64_t a, uint64_t b)
{
	if (!a || !b)
		return 0;
	char da[16], db[16];
	dedup_fs_nik_digits(a, da);
	dedup_fs_nik_digits(b, db);
	return dedup_fs_nik_level_digits(a, b, da, db);
}

int dedup_fs_name_level(double jw)
{
	if (jw < 0)
		return 0;
	if (jw >= 1.0)
		return 1;
	if (jw >= 0.95)
		return 2;
	if (jw >= 0.88)
		return 3;
	return 4;
}

unsigned dedup_fs_compare(const struct dedup_rec *a, const struct dedup_rec *b,
                          double name_sim, long tolerance_days)
{
	int l[DEDUP_NCMP];
	l[DEDUP_CMP_NAME] = dedup_fs_name_level(name_sim);
	l[DEDUP_CMP_DOB] = dedup_fs_date_level(a->dob, b->dob, tolerance_days);
	l[DEDUP_CMP_NIK] = dedup_fs_nik_level(a->nik, b->nik);
	dedup_fs_rec_levels(a, b, l);
	return dedup_fs_cell(l);
}

/* A weight in bits rounded to 0.01 (the weights used are the ones shown). */
static int centibits(double w)
{
	return (int)floor(w * 100.0 + 0.5);
}

/* The weights of the levels from m and u. */
static void set_weights(struct dedup_fs_model *fm)
{
	for (int k = 0; k < DEDUP_NCMP; k++) {
		fm->wcb[k][0] = 0;
		fm->w[k][0] = 0;
		for (int l = 1; l < nlevels[k]; l++) {
			fm->wcb[k][l] = centibits(log2(fm->m[k][l] /
			                               fm->u[k][l]));
			fm->w[k][l] = fm->wcb[k][l] / 100.0;
		}
	}
}

int dedup_fs_cell_cb(const struct dedup_fs_model *fm, unsigned cell)
{
	int w = 0;
	for (int k = 0; k < DEDUP_NCMP; k++) {
		int l = (int)(cell % (unsigned)nlevels[k]);
		cell /= (unsigned)nlevels[k];
		w += fm->wcb[k][l];
	}
	return w;
}

double dedup_fs_cell_weight(const struct dedup_fs_model *fm, unsigned cell)
{
	return dedup_fs_cell_cb(fm, cell) / 100.0;
}

void dedup_fs_fit(struct dedup_fs_model *fm, const uint32_t *cand,
                  const uint32_t *rnd, double total_pairs)
{
	memset(fm, 0, sizeof *fm);
	/* u: the random pairs' levels with the prior's pseudo-counts. A file
	 * of fewer than DEDUP_FS_MIN_PAIRS pairs is a sample, mostly of one
	 * family or desa (a household's rows agree on KK and desa): its
	 * pairs count in that proportion. */
	double scale = total_pairs < DEDUP_FS_MIN_PAIRS
	               ? total_pairs / DEDUP_FS_MIN_PAIRS : 1;
	for (int k = 0; k < DEDUP_NCMP; k++) {
		double cnt[DEDUP_FS_LEVELS_MAX] = { 0 }, n = 0;
		for (unsigned c = 0; c < DEDUP_FS_NCELLS; c++) {
			if (!rnd[c])
				continue;
			int l = dedup_fs_level(c, k);
			if (l) {
				cnt[l] += scale * rnd[c];
				n += scale * rnd[c];
			}
		}
		for (int l = 1; l < nlevels[k]; l++)
			fm->u[k][l] = (cnt[l] + DEDUP_FS_U_PRIOR * u0[k][l]) /
			              (n + DEDUP_FS_U_PRIOR);
	}
	for (unsigned c = 0; c < DEDUP_FS_NCELLS; c++) {
		fm->nrandom += rnd[c];
		fm->ncand += cand[c];
	}
	/* m and lambda (the share of matches among the candidates): EM over
	 * the cells with two latent classes, each with its own levels' shares
	 * (conditional independence). The candidates' non-matches are not
	 * random pairs (blocking made them agree on the blocked fields), so
	 * they get their own shares (uc, starting from u); the weights then
	 * use the random pairs' u. */
	double uc[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX];
	for (int k = 0; k < DEDUP_NCMP; k++)
		for (int l = 1; l < nlevels[k]; l++) {
			fm->m[k][l] = m0[k][l];
			uc[k][l] = 0.5 * fm->u[k][l] + 0.5 / (nlevels[k] - 1);
		}
	double lambda = DEDUP_FS_LAMBDA0;
	int it;
	for (it = 0; it < DEDUP_FS_EM_MAX_ITER; it++) {
		double am[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX];
		double au[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX];
		memset(am, 0, sizeof am);
		memset(au, 0, sizeof au);
		double gsum = 0;
		for (unsigned c = 0; c < DEDUP_FS_NCELLS; c++) {
			if (!cand[c])
				continue;
			double pm = lambda, pu = 1 - lambda;
			unsigned cc = c;
			for (int k = 0; k < DEDUP_NCMP; k++) {
				int l = (int)(cc % (unsigned)nlevels[k]);
				cc /= (unsigned)nlevels[k];
				if (l) {
					pm *= fm->m[k][l];
					pu *= uc[k][l];
				}
			}
			double g = pm / (pm + pu);
			double ng = g * cand[c], nu = cand[c] - ng;
			gsum += ng;
			cc = c;
			for (int k = 0; k < DEDUP_NCMP; k++) {
				am[k][cc % (unsigned)nlevels[k]] += ng;
				au[k][cc % (unsigned)nlevels[k]] += nu;
				cc /= (unsigned)nlevels[k];
			}
		}
		double delta = 0;
		for (int k = 0; k < DEDUP_NCMP; k++) {
			double n = 0, nu = 0;
			for (int l = 1; l < nlevels[k]; l++) {
				n += am[k][l];
				nu += au[k][l];
			}
			for (int l = 1; l < nlevels[k]; l++) {
				double v = (am[k][l] + DEDUP_FS_M_PRIOR *
				            m0[k][l]) / (n + DEDUP_FS_M_PRIOR);
				delta = fmax(delta, fabs(v - fm->m[k][l]));
				fm->m[k][l] = v;
				uc[k][l] = (au[k][l] + DEDUP_FS_M_PRIOR *
				            fm->u[k][l]) / (nu + DEDUP_FS_M_PRIOR);
			}
		}
		double nl = (gsum + DEDUP_FS_LAMBDA_PRIOR * DEDUP_FS_LAMBDA0) /
		            ((double)fm->ncand + DEDUP_FS_LAMBDA_PRIOR);
		delta = fmax(delta, fabs(nl - lambda));
		lambda = nl;
		if (delta < DEDUP_FS_EM_EPS) {
			it++;
			break;
		}
	}
	set_weights(fm);
	fm->iterations = it;
	fm->lambda = lambda;
	/* The prior of a pair: the matches expected among the candidates
	 * over all pairs of the extract (at least DEDUP_FS_MIN_PAIRS: a
	 * small file is a sample of a larger population). */
	double tp = total_pairs > DEDUP_FS_MIN_PAIRS ? total_pairs
	                                             : DEDUP_FS_MIN_PAIRS;
	double matches = lambda * (double)fm->ncand;
	if (matches < 1)
		matches = 1;
	double p = matches / tp;
	if (p > 0.5)
		p = 0.5;
	fm->prior = p;
	fm->prior_cb = centibits(log2(p / (1 - p)));
	fm->prior_w = fm->prior_cb / 100.0;
}

double dedup_fs_tf_weight(const struct dedup_fs_model *fm, double freq)
{
	double u = fm->u[DEDUP_CMP_NAME][1];
	if (freq <= u)
		return 0;
	return centibits(log2(u / freq)) / 100.0;
}

double dedup_fs_probability(double weight)
{
	return 1.0 / (1.0 + exp2(-weight));
}
