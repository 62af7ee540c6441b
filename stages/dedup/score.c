/*
 * score.c - angka-dedup's comparison building blocks (parsing keys, NIK
 * distance, date agreement, union-find, the survivor order and the pair
 * score): pure functions over struct dedup_rec, see dedup.h. The scoring
 * pass that applies them to the candidate pairs is in merge.c.
 */
#include "dedup.h"
#include "ctx.h"
#include "jaro.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint64_t dedup_fnv1a(uint64_t h, const void *s, size_t len)
{
	const unsigned char *p = s;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's
 * days_from_civil). */
static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int32_t dedup_parse_date(const char *s, size_t len)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return DEDUP_NODATE;
	/* Called for each row's tgl_lahir: the eight digits moved together
	 * as YYYYMMDD and parsed at once (dedup_digits8; a digit at a time
	 * took about 100 instructions). */
	uint64_t w = dedup_load8_le(s);   /* Y Y Y Y - M M - */
	uint64_t dd2 = (uint64_t)(unsigned char)s[8] |
	               (uint64_t)(unsigned char)s[9] << 8;
	uint64_t v = dedup_digits8((w & 0xFFFFFFFFULL) |
	                           (w >> 8 & 0xFFFF00000000ULL) | dd2 << 48);
	if (v == UINT64_MAX)
		return DEDUP_NODATE;
	int y = (int)(v / 10000);
	int m = (int)(v / 100 % 100), dd = (int)(v % 100);
	if (y < 1800 || m < 1 || m > 12 || dd < 1 ||
	    dd > days_in_month(y, m))
		return DEDUP_NODATE;
	return days_from_civil(y, m, dd);
}

uint64_t dedup_parse_nik(const char *s, size_t len)
{
	if (len != 16)
		return 0;
	uint64_t hi = dedup_digits8(dedup_load8_le(s)),
	         lo = dedup_digits8(dedup_load8_le(s + 8));
	if (hi == UINT64_MAX || lo == UINT64_MAX)
		return 0;
	return hi * 100000000ULL + lo;
}

static void nik_digits(uint64_t v, char d[16])
{
	for (int i = 15; i >= 0; i--) {
		d[i] = (char)(v % 10);
		v /= 10;
	}
}

enum dedup_nik_dist dedup_nik_distance(uint64_t a, uint64_t b)
{
	if (a == b)
		return DEDUP_NIK_SAME;
	char x[16], y[16];
	nik_digits(a, x);
	nik_digits(b, y);
	int diff[16], nd = 0;
	for (int i = 0; i < 16; i++)
		if (x[i] != y[i]) {
			if (nd == 2)
				return DEDUP_NIK_FAR;
			diff[nd++] = i;
		}
	if (nd == 1)
		return DEDUP_NIK_TYPO;
	if (diff[1] == diff[0] + 1 && x[diff[0]] == y[diff[1]] &&
	    x[diff[1]] == y[diff[0]])
		return DEDUP_NIK_SWAP;
	return DEDUP_NIK_FAR;
}

enum dedup_date_agree dedup_date_agreement(int32_t a, int32_t b,
                                           long tolerance_days)
{
	if (a == b)
		return DEDUP_DATE_EQUAL;
	int ya, ma, da, yb, mb, db;
	civil_from_days(a, &ya, &ma, &da);
	civil_from_days(b, &yb, &mb, &db);
	if (ya == yb && ma == db && da == mb)
		return DEDUP_DATE_SWAPPED;
	long d = (long)a - (long)b;
	if (d < 0)
		d = -d;
	if (d <= tolerance_days)
		return DEDUP_DATE_NEAR;
	return DEDUP_DATE_DIFF;
}

uint32_t dedup_uf_find(struct dedup_rec *rec, uint32_t i)
{
	while (rec[i].parent != i) {
		rec[i].parent = rec[rec[i].parent].parent;
		i = rec[i].parent;
	}
	return i;
}

int dedup_uf_union(struct dedup_rec *rec, uint32_t a, uint32_t b)
{
	a = dedup_uf_find(rec, a);
	b = dedup_uf_find(rec, b);
	if (a == b)
		return 0;
	if (a < b)
		rec[b].parent = a;
	else
		rec[a].parent = b;
	return 1;
}

int dedup_uf_union_nik(struct dedup_rec *rec, uint32_t a, uint32_t b,
                       int allow_distinct)
{
	a = dedup_uf_find(rec, a);
	b = dedup_uf_find(rec, b);
	if (a == b)
		return 0;
	int na = rec[a].nik_valid, nb = rec[b].nik_valid;
	if (na && nb && !allow_distinct &&
	    dedup_nik_distance(rec[a].nik, rec[b].nik) == DEDUP_NIK_FAR)
		return -1;
	/* The root carries the set's valid NIK, if it has one. */
	if (na != nb ? nb : b < a) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	rec[b].parent = a;
	return 1;
}

_Static_assert(DEDUP_NIK_RUN_MIN >= 8, "dedup_nik_placeholder's first test "
               "needs a run to cover the 3rd to the 8th digit");

int dedup_nik_placeholder(uint64_t nik)
{
	/* Called for every row read: the 10 digits after the region prefix
	 * come from two 32-bit halves (no 64-bit division per digit), and
	 * the scan stops once the steps left cannot make a run. */
	uint64_t low = nik % 10000000000ULL;
	uint32_t h = (uint32_t)(low / 100000), l = (uint32_t)(low % 100000);
	/* A run of 8 or more of the 10 digits covers the 3rd to the 8th:
	 * the steps from the 3rd to the 4th and from the 4th to the 5th are
	 * equal and 0, +1 or -1, a test three digits decide that about 97 %
	 * of NIKs fail. */
	int s1 = (int)(h / 10 % 10) - (int)(h / 100 % 10);
	int s2 = (int)(h % 10) - (int)(h / 10 % 10);
	s1 += s1 < 0 ? 10 : 0;
	s2 += s2 < 0 ? 10 : 0;
	if (s1 != s2 || (s1 != 0 && s1 != 1 && s1 != 9))
		return 0;
	/* Each digit by a division by a constant (a multiply), none waiting
	 * on the one before. */
	int d[10] = {
		(int)(h / 10000), (int)(h / 1000 % 10), (int)(h / 100 % 10),
		(int)(h / 10 % 10), (int)(h % 10),
		(int)(l / 10000), (int)(l / 1000 % 10), (int)(l / 100 % 10),
		(int)(l / 10 % 10), (int)(l % 10)
	};
	int run = 1, step = -1;
	for (int i = 1; i < 10; i++) {
		int s = d[i] - d[i - 1];
		if (s < 0)
			s += 10;
		if (s == 0 || s == 1 || s == 9) {
			run = run == 1 || s == step ? run + 1 : 2;
			step = s;
			if (run >= DEDUP_NIK_RUN_MIN)
				return 1;
		} else {
			run = 1;
		}
		if (run + (9 - i) < DEDUP_NIK_RUN_MIN)
			return 0;
	}
	return 0;
}

unsigned dedup_period_code(const char *s, size_t len)
{
	if (len != 4 && len != 7)
		return 0;
	unsigned y = 0, m = 0;
	for (size_t i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		y = y * 10 + (unsigned)(s[i] - '0');
	}
	if (len == 7) {
		if (s[4] != '-' || s[5] < '0' || s[5] > '1' || s[6] < '0' ||
		    s[6] > '9')
			return 0;
		m = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
		if (m < 1 || m > 12)
			return 0;
	}
	if (y < 1900 || y > 2100)
		return 0;
	return (y - 1900) * 13 + m + 1;
}

int dedup_nik_agrees(const struct dedup_rec *r)
{
	if (!r->nik || r->dob == DEDUP_NODATE || r->sex == DEDUP_SEX_NONE)
		return 0;
	/* Days since 1970-01-01 to the civil date (H. Hinnant's algorithm). */
	int64_t z = (int64_t)r->dob + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	/* Digits 7-12 of the NIK: DDMMYY. */
	uint64_t six = r->nik / 10000 % 1000000;
	int64_t nd = (int64_t)(six / 10000), nm = (int64_t)(six / 100 % 100),
	        ny = (int64_t)(six % 100);
	int female = nd > 40;
	if (female)
		nd -= 40;
	return nd == d && nm == m && ny == ((y % 100) + 100) % 100 &&
	       female == (r->sex == DEDUP_SEX_P);
}

int dedup_nik_two_typos(const struct dedup_rec *a, const struct dedup_rec *b)
{
	if (!a->nik_valid || !b->nik_valid || a->dob == DEDUP_NODATE ||
	    a->dob != b->dob || !a->kk || a->kk != b->kk ||
	    a->sex == DEDUP_SEX_NONE || a->sex != b->sex ||
	    dedup_nik_agrees(a) == dedup_nik_agrees(b))
		return 0;
	int nd = 0;
	for (uint64_t x = a->nik, y = b->nik; x || y; x /= 10, y /= 10)
		nd += x % 10 != y % 10;
	return nd == 2;
}

int dedup_survivor_cmp(const struct dedup_settings *s,
                       const struct dedup_surv_row *sa,
                       const struct dedup_surv_row *sb)
{
	const struct dedup_rec *a = sa->r, *b = sb->r;
	for (int k = 0; k < s->norder; k++) {
		switch (s->order[k]) {
		case DEDUP_LATEST_UPDATE:
			if (a->upd != b->upd)
				return a->upd > b->upd ? -1 : 1;
			break;
		case DEDUP_LATEST_PERIOD:
			if (sa->period != sb->period)
				return sa->period > sb->period ? -1 : 1;
			break;
		case DEDUP_NIK_SUPPORT: {
			int ga = dedup_nik_agrees(a), gb = dedup_nik_agrees(b);
			if (ga != gb)
				return ga ? -1 : 1;
			if (!sa->nik_major != !sb->nik_major)
				return sa->nik_major ? -1 : 1;
			break;
		}
		case DEDUP_MOST_COMPLETE:
			if (a->nfilled != b->nfilled)
				return a->nfilled > b->nfilled ? -1 : 1;
			break;
		case DEDUP_CONTENT:
			break;
		case DEDUP_FIRST_LINE:
		case DEDUP_NCRITERIA: {
			int c = 0;
			if (a->file != b->file)
				c = sa->file && sb->file
				    ? strcmp(sa->file, sb->file)
				    : (a->file < b->file ? -1 : 1);
			if (c)
				return c;
			if (a->line != b->line)
				return a->line < b->line ? -1 : 1;
			break;
		}
		}
	}
	return 0;
}

/*
 * Component weights of the pair score. A component missing on either side
 * drops out of numerator and denominator alike, so a missing NIK neither
 * helps nor hurts; the gates below keep thin evidence from merging.
 * The name enters as (JW - 0.7) / 0.3, clipped to [0, 1]: Jaro-Winkler
 * gives unrelated Indonesian names 0.7-0.85 (shared MUHAMMAD, NUR, SITI
 * prefixes), so the raw value would reward them.
 */
#define W_NAME 0.40
#define W_DOB 0.20
#define W_NIK 0.15
#define W_SEX 0.05
#define W_KK 0.10
#define W_DESA 0.10
#define NAME_FLOOR 0.70
/* Below this present weight a pair may reach review but never merge. */
#define MIN_EVIDENCE 0.55
/* Names must agree at least this well (raw JW) for any merge. */
#define NAME_MIN DEDUP_NAME_MIN
/* Two different NIKs that are both valid (a typo or a swap): the names
 * must agree closely, since twins share KK, date and serial range. */
#define NAME_MIN_TWO_NIKS 0.97

void dedup_score_pair(const struct dedup_settings *s,
                      const struct dedup_rec *a, const char *aname, size_t alen,
                      const struct dedup_rec *b, const char *bname, size_t blen,
                      struct dedup_pair_score *out)
{
	double num = 0, den = 0;
	int mergeable = 1;
	double name = -1;
	if (alen && blen) {
		/* Equal names (most candidate pairs: name_dob's blocks share
		 * the name key, and interned names share their bytes) have a
		 * Jaro-Winkler of exactly 1: each byte matches itself, none is
		 * out of order, (1 + 1 + 1) / 3 (test_jaro checks it). The
		 * O(n window) match was most of the scoring of such a pair. */
		name = alen == blen && (aname == bname ||
		                        !memcmp(aname, bname, alen))
		       ? 1.0 : dedup_jaro_winkler(aname, alen, bname, blen);
		double v = (name - NAME_FLOOR) / (1.0 - NAME_FLOOR);
		num += W_NAME * (v < 0 ? 0 : v);
		den += W_NAME;
	}
	if (name < NAME_MIN)
		mergeable = 0;
	if (a->dob != DEDUP_NODATE && b->dob != DEDUP_NODATE) {
		static const double v[] = { 1.0, 0.9, 0.8, 0.0 };
		_Static_assert(sizeof v / sizeof v[0] == DEDUP_DATE_DIFF + 1,
		               "a value per enum dedup_date_agree");
		num += W_DOB * v[dedup_date_agreement(a->dob, b->dob,
		                                      s->date_tolerance_days)];
		den += W_DOB;
	}
	if (a->nik && b->nik) {
		enum dedup_nik_dist d = dedup_nik_distance(a->nik, b->nik);
		static const double v[] = { 1.0, 0.9, 0.9, 0.0 };
		_Static_assert(sizeof v / sizeof v[0] == DEDUP_NIK_FAR + 1,
		               "a value per enum dedup_nik_dist");
		num += W_NIK * v[d];
		den += W_NIK;
		if (a->nik_valid && b->nik_valid && d != DEDUP_NIK_SAME) {
			if (d == DEDUP_NIK_FAR && !s->merge_distinct_nik &&
			    !(name >= 1.0 && dedup_nik_two_typos(a, b)))
				mergeable = 0;
			if (name < NAME_MIN_TWO_NIKS)
				mergeable = 0;
		}
	}
	if (a->sex && b->sex) {
		num += W_SEX * (a->sex == b->sex);
		den += W_SEX;
	}
	if (a->kk && b->kk) {
		num += W_KK * (a->kk == b->kk);
		den += W_KK;
	}
	uint64_t aw = dedup_rec_wil(a), bw = dedup_rec_wil(b);
	if (aw && bw) {
		double v = 0;
		if (aw == bw && aw % 10000)
			v = 1;
		else if (aw / 10000 == bw / 10000)
			v = 0.5;
		num += W_DESA * v;
		den += W_DESA;
	}
	if (den < MIN_EVIDENCE)
		mergeable = 0;
	/* Rounded to the 4 decimals written in duplicates.csv and review.csv,
	 * so that the files and the threshold decisions agree exactly. */
	out->score = den > 0 ? floor(num / den * 10000.0 + 0.5) / 10000.0 : 0;
	out->mergeable = mergeable;
	out->name_sim = name;
}
