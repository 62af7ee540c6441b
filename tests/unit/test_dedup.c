/*
 * test_dedup.c - angka-dedup building blocks: key parsing, NIK distance,
 * date agreement, union-find, survivor order, pair score, the external sort,
 * the spool over memory and disk, the clerk's decisions (must-link and
 * cannot-link on clusters), the ids a shard's cells read.
 */
#include "minunit.h"
#include "dedup.h"
#include "ctx.h"
#include "keysort.h"
#include "spool.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_nik_distance(void)
{
	uint64_t a = dedup_parse_nik("6311013008731179", 16);
	mu_check(a == 6311013008731179ULL);
	mu_check(dedup_parse_nik("631101300873117", 15) == 0);
	mu_check(dedup_parse_nik("63110130087311x9", 16) == 0);
	mu_check_int(dedup_nik_distance(a, a), DEDUP_NIK_SAME);
	mu_check_int(dedup_nik_distance(a, 6311013008731170ULL), DEDUP_NIK_TYPO);
	mu_check_int(dedup_nik_distance(a, 6311013008731197ULL), DEDUP_NIK_SWAP);
	mu_check_int(dedup_nik_distance(a, 6311013008737119ULL), DEDUP_NIK_FAR);
	mu_check_int(dedup_nik_distance(a, 6311013008731188ULL), DEDUP_NIK_FAR);
	/* A swap of equal digits is no change; a swap across a gap is far. */
	mu_check_int(dedup_nik_distance(a, 6311013008731971ULL), DEDUP_NIK_FAR);
	mu_check_int(dedup_nik_distance(a, 1311013008731179ULL), DEDUP_NIK_TYPO);
}

/* The placeholder rule by its definition: a run of DEDUP_NIK_RUN_MIN or
 * more of the last 10 digits, each one more, one less or the same as the
 * one before (mod 10), read from the decimal text. */
static int placeholder_ref(uint64_t nik)
{
	char t[32];
	snprintf(t, sizeof t, "%016llu", (unsigned long long)nik);
	const char *d = t + strlen(t) - 10;
	for (int step = 0; step < 10; step += (step == 0 ? 1 : 8))
		for (int j = 0; j < 10; j++) {
			int n = 1;
			while (j + n < 10 && (d[j + n] - d[j + n - 1] + 10) % 10 == step)
				n++;
			if (n >= DEDUP_NIK_RUN_MIN)
				return 1;
		}
	return 0;
}

static void test_nik_placeholder(void)
{
	mu_check(dedup_nik_placeholder(1111111111111111ULL));
	mu_check(dedup_nik_placeholder(6311011111111111ULL));
	mu_check(dedup_nik_placeholder(6311012345678901ULL));
	mu_check(dedup_nik_placeholder(6311019876543210ULL));
	mu_check(dedup_nik_placeholder(6311010111111111ULL));
	mu_check(dedup_nik_placeholder(6311010090123456ULL));  /* 8 up */
	mu_check(!dedup_nik_placeholder(6311013008731179ULL));
	mu_check(!dedup_nik_placeholder(6311011111111000ULL)); /* 7, then down */
	mu_check(!dedup_nik_placeholder(6311011111111222ULL));
	mu_check(!dedup_nik_placeholder(6311010012345600ULL)); /* 7 up */
	mu_check(!dedup_nik_placeholder(1111111111110000ULL)); /* prefix */
	/* Random NIKs and runs planted at random places, against the
	 * definition. */
	uint64_t v = 88172645463325252ULL;
	int bad = 0, hits = 0;
	for (int k = 0; k < 200000 && bad < 5; k++) {
		v ^= v << 13;
		v ^= v >> 7;
		v ^= v << 17;
		uint64_t nik = 1000000000000000ULL + v % 9000000000000000ULL;
		if (k & 1) {
			/* Plant a run of 6-10 digits with step 0, 1 or 9. */
			char t[17];
			snprintf(t, sizeof t, "%016llu", (unsigned long long)nik);
			int len = 6 + (int)(v >> 40) % 5, at = 6 + (int)(v >> 44) % (11 - len);
			int step = (int)(v >> 50) % 3, c = t[at] - '0';
			for (int i = 1; i < len; i++) {
				c = (c + (step == 2 ? 9 : step)) % 10;
				t[at + i] = (char)('0' + c);
			}
			nik = strtoull(t, NULL, 10);
		}
		int want = placeholder_ref(nik);
		hits += want;
		if (dedup_nik_placeholder(nik) != want) {
			mu_fail("dedup_nik_placeholder(%016llu) != %d",
			        (unsigned long long)nik, want);
			bad++;
		}
	}
	mu_check(hits > 10000);
}

static void test_dates(void)
{
	mu_check(dedup_parse_date("1970-01-01", 10) == 0);
	mu_check(dedup_parse_date("2000-03-01", 10) == 11017);
	mu_check(dedup_parse_date("2023-02-29", 10) == DEDUP_NODATE);
	mu_check(dedup_parse_date("2024-02-29", 10) != DEDUP_NODATE);
	mu_check(dedup_parse_date("30/08/1973", 10) == DEDUP_NODATE);
	int32_t a = dedup_parse_date("1980-03-07", 10);
	int32_t b = dedup_parse_date("1980-07-03", 10);
	int32_t c = dedup_parse_date("1980-03-09", 10);
	mu_check_int(dedup_date_agreement(a, a, 0), DEDUP_DATE_EQUAL);
	mu_check_int(dedup_date_agreement(a, b, 0), DEDUP_DATE_SWAPPED);
	mu_check_int(dedup_date_agreement(a, c, 0), DEDUP_DATE_DIFF);
	mu_check_int(dedup_date_agreement(a, c, 2), DEDUP_DATE_NEAR);
}

/* The NIK parser (eight digits at a time) against the digit-by-digit
 * definition: every byte value at every position of a NIK, and numbers of
 * every digit count. */
static uint64_t nik_by_digit(const char *s, size_t len)
{
	if (len != 16)
		return 0;
	uint64_t v = 0;
	for (size_t i = 0; i < 16; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return v;
}

static void test_parse_nik_bytes(void)
{
	char s[17] = "6311013008731179";
	mu_check(dedup_parse_nik(s, 16) == 6311013008731179ULL);
	mu_check(dedup_parse_nik("9999999999999999", 16) ==
	         9999999999999999ULL);
	mu_check(dedup_parse_nik("0000000000000000", 16) == 0);
	mu_check(dedup_parse_nik("0000000000000001", 16) == 1);
	mu_check(dedup_parse_nik("1000000000000000", 16) ==
	         1000000000000000ULL);
	int bad = 0;
	for (int pos = 0; pos < 16; pos++)
		for (int b = 0; b < 256; b++) {
			char t[17];
			memcpy(t, s, 17);
			t[pos] = (char)b;
			bad += dedup_parse_nik(t, 16) != nik_by_digit(t, 16);
		}
	/* Two bytes wrong: a low one that borrows, a high one. */
	for (int p1 = 0; p1 < 16; p1++)
		for (int p2 = 0; p2 < 16; p2++) {
			char t[17];
			memcpy(t, s, 17);
			t[p1] = '/';
			t[p2] = ':';
			bad += dedup_parse_nik(t, 16) != 0;
		}
	uint64_t v = 88172645463325252ULL;
	for (int k = 0; k < 100000; k++) {
		v ^= v << 13;
		v ^= v >> 7;
		v ^= v << 17;
		char t[17];
		snprintf(t, sizeof t, "%016llu",
		         (unsigned long long)(v % 10000000000000000ULL));
		bad += dedup_parse_nik(t, 16) != v % 10000000000000000ULL;
	}
	mu_check_int(bad, 0);
}

/* The date parser against a calendar walked day by day from 1800-01-01
 * (day -62091 since 1970-01-01), with days 0 and 32 and months 0 and 13
 * out of range, and every byte value at every position of a date. */
static void test_parse_date_calendar(void)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	                          30, 31 };
	int32_t day = -62091;
	int bad = 0;
	for (int y = 1799; y <= 2100; y++)
		for (int m = 0; m <= 13; m++)
			for (int d = 0; d <= 32; d++) {
				char t[16];
				snprintf(t, sizeof t, "%04d-%02d-%02d", y, m, d);
				int leap = (y % 4 == 0 && y % 100 != 0) ||
				           y % 400 == 0;
				int ok = y >= 1800 && m >= 1 && m <= 12 &&
				         d >= 1 && d <= dm[m - 1] +
				         (m == 2 && leap);
				int32_t got = dedup_parse_date(t, 10);
				if (ok)
					bad += got != day++;
				else
					bad += got != DEDUP_NODATE;
			}
	mu_check_int(day, 47847);   /* 2101-01-01 */
	mu_check(dedup_parse_date("1980-03-07", 9) == DEDUP_NODATE);
	for (int pos = 0; pos < 10; pos++)
		for (int b = 0; b < 256; b++) {
			char t[11] = "1980-03-07";
			t[pos] = (char)b;
			int same = b == (unsigned char)"1980-03-07"[pos];
			int32_t got = dedup_parse_date(t, 10);
			if (same)
				bad += got != 3718;
			else if (pos == 4 || pos == 7 || b < '0' || b > '9')
				bad += got != DEDUP_NODATE;
		}
	mu_check_int(bad, 0);
}

/* The interners through their growth: ids dense in insertion order, the
 * same id for the same text or value however often asked, the text back;
 * 300000 values make a few hash tag collisions (about 10 expected). */
static void test_intern_growth(void)
{
	struct dedup_intern in;
	dedup_intern_init(&in);
	int bad = 0;
	char t[64];
	for (int k = 0; k < 50000; k++) {
		int n = snprintf(t, sizeof t, "%.*sNAMA%d", k % 23,
		                 "ABCDEFGHIJKLMNOPQRSTUVW", k);
		bad += dedup_intern_get(&in, t, (size_t)n) != (uint32_t)k + 1;
	}
	mu_check(dedup_intern_get(&in, "", 0) == 0);
	for (int k = 49999; k >= 0; k--) {
		int n = snprintf(t, sizeof t, "%.*sNAMA%d", k % 23,
		                 "ABCDEFGHIJKLMNOPQRSTUVW", k);
		bad += dedup_intern_get(&in, t, (size_t)n) != (uint32_t)k + 1;
	}
	mu_check_int((int)in.n, 50001);
	dedup_intern_freeze(&in);
	for (int k = 0; k < 50000; k++) {
		int n = snprintf(t, sizeof t, "%.*sNAMA%d", k % 23,
		                 "ABCDEFGHIJKLMNOPQRSTUVW", k);
		size_t l;
		const char *s = dedup_intern_str(&in, (uint32_t)k + 1, &l);
		bad += l != (size_t)n || memcmp(s, t, l) != 0 || s[l] != 0;
	}
	dedup_intern_release(&in);
	/* Random 16-digit values (distinct: xorshift64 visits no value
	 * twice, and they are kept below 2^53 < 10^16). */
	enum { NV = 300000 };
	uint64_t *vals = malloc(NV * sizeof *vals), x = 88172645463325252ULL;
	for (int i = 0; i < NV; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		vals[i] = (x >> 11) | 1;
	}
	struct dedup_u64set k;
	dedup_u64set_init(&k);
	for (uint32_t i = 0; i < NV; i++)
		bad += dedup_u64set_get(&k, vals[i]) != i + 1;
	for (uint32_t i = 0; i < NV; i++)
		bad += dedup_u64set_insert(&k, vals[i]) != i + 1;
	mu_check(dedup_u64set_get(&k, 0) == 0);
	mu_check_int((int)k.n, NV + 1);
	dedup_u64set_freeze(&k);
	for (uint32_t i = 0; i < NV; i++)
		bad += k.v[i + 1] != vals[i];
	free(vals);
	dedup_u64set_release(&k);
	mu_check_int(bad, 0);
}

static void test_union_find(void)
{
	struct dedup_rec r[6];
	memset(r, 0, sizeof r);
	for (uint32_t i = 0; i < 6; i++)
		r[i].parent = i;
	mu_check(dedup_uf_union(r, 4, 2) == 1);
	mu_check(dedup_uf_union(r, 5, 4) == 1);
	mu_check(dedup_uf_union(r, 2, 5) == 0);
	mu_check(dedup_uf_union(r, 3, 0) == 1);
	/* The root is the smallest index of the set. */
	mu_check_int(dedup_uf_find(r, 5), 2);
	mu_check_int(dedup_uf_find(r, 3), 0);
	mu_check_int(dedup_uf_find(r, 1), 1);
	mu_check(dedup_uf_union(r, 5, 3) == 1);
	mu_check_int(dedup_uf_find(r, 4), 0);
}

static int surv_cmp(const struct dedup_settings *s, const struct dedup_rec *a,
                    const struct dedup_rec *b, const char *af, const char *bf)
{
	struct dedup_surv_row ra = { a, af, 0, 0 }, rb = { b, bf, 0, 0 };
	return dedup_survivor_cmp(s, &ra, &rb);
}

static void test_survivor(void)
{
	struct dedup_settings s;
	mu_check(dedup_settings_load(&s, NULL, NULL) == ANGKA_OK);
	struct dedup_rec a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.upd = 100; b.upd = 200;
	a.nfilled = 30; b.nfilled = 20;
	a.file = b.file = 1;
	a.line = 5; b.line = 9;
	mu_check(surv_cmp(&s, &a, &b, "f", "f") > 0);  /* later update */
	b.upd = 100;
	mu_check(surv_cmp(&s, &a, &b, "f", "f") < 0);  /* more complete */
	b.nfilled = 30;
	mu_check(surv_cmp(&s, &a, &b, "f", "f") < 0);  /* first line */
	mu_check(surv_cmp(&s, &b, &a, "f", "f") > 0);
	b.file = 2;
	mu_check(surv_cmp(&s, &a, &b, "b.csv", "a.csv") > 0);
	/* Configured order: first_line only. */
	mu_check(dedup_parse_survivor(&s, "first_line") == 0);
	b.upd = 999;
	mu_check(surv_cmp(&s, &a, &b, "a.csv", "b.csv") < 0);
	mu_check(dedup_parse_survivor(&s, "most_complete") == 0);
	mu_check_int(s.norder, 3);   /* content, first_line appended */
	mu_check(dedup_parse_survivor(&s, "newest") == -1);
	/* latest_period before nik_support before most_complete. */
	mu_check(dedup_settings_load(&s, NULL, NULL) == ANGKA_OK);
	mu_check_int(s.norder, 6);
	struct dedup_rec c, d;
	memset(&c, 0, sizeof c);
	memset(&d, 0, sizeof d);
	c.file = d.file = 1;
	c.line = 2; d.line = 3;
	c.nfilled = 30; d.nfilled = 20;
	c.dob = d.dob = dedup_parse_date("1973-08-30", 10);
	c.sex = d.sex = DEDUP_SEX_L;
	c.nik = 6311013008781179ULL;   /* says 30-08-78 */
	d.nik = 6311013008731179ULL;
	mu_check(!dedup_nik_agrees(&c));
	mu_check(dedup_nik_agrees(&d));
	struct dedup_surv_row rc = { &c, "f", 0, 0 }, rd = { &d, "f", 0, 0 };
	mu_check(dedup_survivor_cmp(&s, &rc, &rd) > 0);   /* NIK agrees */
	d.nik = 6311013008731178ULL;
	c.nik = 6311013008731179ULL;
	mu_check(dedup_survivor_cmp(&s, &rc, &rd) < 0);   /* more complete */
	rd.nik_major = 1;
	mu_check(dedup_survivor_cmp(&s, &rc, &rd) > 0);   /* majority NIK */
	rc.period = dedup_period_code("2024", 4);
	rd.period = dedup_period_code("2023-12", 7);
	mu_check(dedup_survivor_cmp(&s, &rc, &rd) < 0);   /* newer period */
	c.upd = 1; d.upd = 2;
	mu_check(dedup_survivor_cmp(&s, &rc, &rd) > 0);   /* tgl_update wins */
	d.sex = DEDUP_SEX_P;                              /* day + 40 */
	mu_check(!dedup_nik_agrees(&d));
	d.nik = 6311017008731179ULL;
	mu_check(dedup_nik_agrees(&d));
	mu_check(dedup_period_code("2024", 4) < dedup_period_code("2024-01", 7));
	mu_check(dedup_period_code("2024-12", 7) < dedup_period_code("2025", 4));
	mu_check_int(dedup_period_code("2100-12", 7), DEDUP_PERIOD_MAX);
	mu_check_int(dedup_period_code("", 0), 0);
	mu_check_int(dedup_period_code("2024-13", 7), 0);
	mu_check_int(dedup_period_code("1899", 4), 0);
	mu_check_int(dedup_period_code("2024/01", 7), 0);
	mu_check(dedup_parse_survivor(&s, "first_line,first_line") == -1);
}

/* kk: an interned No KK id (0: none). */
static struct dedup_rec person(uint64_t nik, const char *dob, char sex,
                               uint32_t kk, uint64_t wil)
{
	struct dedup_rec r;
	memset(&r, 0, sizeof r);
	r.nik = nik;
	r.nik_valid = nik != 0;
	r.dob = dob ? dedup_parse_date(dob, strlen(dob)) : DEDUP_NODATE;
	r.sex = sex == 'L' ? DEDUP_SEX_L : sex == 'P' ? DEDUP_SEX_P
	                                          : DEDUP_SEX_NONE;
	r.kk = kk;
	dedup_rec_set_wil(&r, wil);
	return r;
}

static void test_rec_layout(void)
{
	/* The record is most of the stage's memory at national scale. */
	mu_check_int(sizeof(struct dedup_rec), 48);
	struct dedup_rec r;
	memset(&r, 0, sizeof r);
	dedup_rec_set_wil(&r, 9999999999ULL);
	mu_check(dedup_rec_wil(&r) == 9999999999ULL);
	dedup_rec_set_wil(&r, 6311012015ULL);
	mu_check(dedup_rec_wil(&r) == 6311012015ULL);
	/* Scores are kept in units of 0.0001, exactly. */
	for (unsigned int u = 0; u <= 10000; u++) {
		r.score = dedup_score_units(u / 10000.0);
		mu_check(r.score == u);
	}
}

static void test_score(void)
{
	struct dedup_settings s;
	mu_check(dedup_settings_load(&s, NULL, NULL) == ANGKA_OK);
	struct dedup_pair_score sc;
	const uint32_t kk = 1;
	const uint64_t wil = 6311012015ULL;
	/* NIK typo, everything else equal: merge. */
	struct dedup_rec a = person(6311013008731179ULL, "1973-08-30", 'L', kk, wil);
	struct dedup_rec b = person(6311013008731379ULL, "1973-08-30", 'L', kk, wil);
	dedup_score_pair(&s, &a, "ILHAMRAFI", 9, &b, "ILHAMRAFI", 9, &sc);
	mu_check(sc.mergeable && sc.score >= s.merge_threshold);
	/* Twins: far valid NIKs, same date, KK, desa, different names. */
	b = person(6311013008735521ULL, "1973-08-30", 'L', kk, wil);
	dedup_score_pair(&s, &a, "ILHAMRAFI", 9, &b, "ILHAMRIZKI", 10, &sc);
	mu_check(!sc.mergeable);
	/* Twins with identical keys but far NIKs are never merged. */
	dedup_score_pair(&s, &a, "ILHAMRAFI", 9, &b, "ILHAMRAFI", 9, &sc);
	mu_check(!sc.mergeable);
	s.merge_distinct_nik = 1;
	dedup_score_pair(&s, &a, "ILHAMRAFI", 9, &b, "ILHAMRAFI", 9, &sc);
	mu_check(sc.mergeable);
	s.merge_distinct_nik = 0;
	/* Missing NIK, swapped date, same KK and desa: merge. */
	b = person(0, "1973-08-30", 'L', kk, wil);
	b.dob = dedup_parse_date("1973-08-03", 10);
	a.dob = dedup_parse_date("1973-03-08", 10);
	dedup_score_pair(&s, &a, "ILHAMRAFI", 9, &b, "ILHAMRAFI", 9, &sc);
	mu_check_msg(sc.mergeable && sc.score >= s.merge_threshold, "%f", sc.score);
	/* Name and date agreeing exactly are just enough evidence... */
	a = person(0, "1973-08-30", 0, 0, 0);
	b = person(0, "1973-08-30", 0, 0, 0);
	dedup_score_pair(&s, &a, "SITI", 4, &b, "SITI", 4, &sc);
	mu_check(sc.score == 1.0 && sc.mergeable);
	/* ... name and sex alone are not, whatever the score. */
	a = person(0, NULL, 'P', 0, 0);
	b = person(0, NULL, 'P', 0, 0);
	dedup_score_pair(&s, &a, "SITI", 4, &b, "SITI", 4, &sc);
	mu_check(sc.score == 1.0 && !sc.mergeable);
}

static int count_groups(void *ctx, uint64_t key, const uint32_t *ids,
                        size_t nstored, size_t ntotal)
{
	uint64_t *acc = ctx;
	acc[0]++;
	acc[1] += ntotal;
	for (size_t i = 1; i < nstored; i++)
		if (ids[i - 1] >= ids[i])
			acc[2]++;            /* ids must ascend */
	if (key <= acc[3] && acc[0] > 1)
		acc[2]++;                    /* keys must ascend */
	acc[3] = key;
	return 0;
}

static void test_keysort_spill(void)
{
	for (int spill = 0; spill < 2; spill++) {
		struct dedup_keysort ks;
		dedup_keysort_init(&ks, spill ? 100 : 1 << 20, NULL);
		struct angka_error e = { 0 };
		for (uint32_t i = 0; i < 5000; i++)
			mu_check(dedup_keysort_add(&ks, (i * 7919u) % 1000 + 1,
			                           4999 - i, &e) == ANGKA_OK);
		uint64_t acc[4] = { 0, 0, 0, 0 };
		mu_check(dedup_keysort_groups(&ks, 100, count_groups, acc, &e) ==
		         ANGKA_OK);
		mu_check_int(acc[0], 1000);
		mu_check_int(acc[1], 5000);
		mu_check_int(acc[2], 0);
		if (spill)
			mu_check(dedup_keysort_runs(&ks) >= 49);
		else
			mu_check(dedup_keysort_runs(&ks) == 0);
		dedup_keysort_release(&ks);
	}
}

/* Rows of 1 to 3000 bytes (and two of 3 MiB, larger than the buffer) with
 * every memory cap from "all on disk" to "all in memory": each row reads
 * back whole, and no row straddles the memory/disk boundary. */
static void test_spool_segments(void)
{
	enum { NROWS = 2000 };
	static uint64_t off[NROWS + 1];
	static size_t len[NROWS];
	char *row = malloc((size_t)3 << 20);
	char *back = malloc((size_t)3 << 20);
	mu_check(row && back);
	uint64_t caps[] = { 0, 1, 100000, 1500000, 5000000, (uint64_t)1 << 40 };
	for (size_t c = 0; c < sizeof caps / sizeof *caps; c++) {
		struct dedup_spool sp;
		struct angka_error e = { 0 };
		mu_check(dedup_spool_open(&sp, caps[c], NULL, &e) == ANGKA_OK);
		for (int i = 0; i < NROWS; i++) {
			len[i] = i == 700 || i == 1400 ? (size_t)3 << 20
			                               : 1 + (size_t)(i * 7919) % 3000;
			for (size_t k = 0; k < len[i]; k++)
				row[k] = (char)('a' + (i + k) % 26);
			off[i] = sp.len;
			mu_check(dedup_spool_add(&sp, row, len[i], &e) == ANGKA_OK);
		}
		off[NROWS] = sp.len;
		mu_check(dedup_spool_finish(&sp, &e) == ANGKA_OK);
		mu_check(sp.mem_len <= caps[c]);
		int straddles = 0, bad = 0;
		for (int i = 0; i < NROWS; i++) {
			straddles += off[i] < sp.mem_len && off[i + 1] > sp.mem_len;
			mu_check(dedup_spool_read(&sp, off[i], back, len[i], &e) ==
			         ANGKA_OK);
			for (size_t k = 0; k < len[i]; k++)
				bad += back[k] != (char)('a' + (i + k) % 26);
		}
		mu_check_int(straddles, 0);
		mu_check_int(bad, 0);
		if (caps[c] >= ((uint64_t)1 << 40))
			mu_check(sp.dfd < 0);     /* all in memory */
		if (caps[c] == 0)
			mu_check_int(sp.mem_len, 0);
		dedup_spool_close(&sp);
	}
	free(row);
	free(back);
}

/* Write text to a fresh temporary file; its path in path[32]. */
static void write_tmp(char path[32], const char *text)
{
	strcpy(path, "/tmp/test_dedup_decXXXXXX");
	int fd = mkstemp(path);
	mu_check(fd >= 0);
	FILE *f = fdopen(fd, "w");
	mu_check(f != NULL);
	fputs(text, f);
	fclose(f);
}

/* Rows dtks.csv:2..7 (rows 0..5): 0-1 beda, 1-2 sama, 3-5 beda; the rest
 * of the file exercises the counts. The cannot-link holds on sets: after
 * 0 joins 4 and 1 joins 5, the sets {0,4} and {1,5} may not join, nor may
 * {3} and {1,5}; rows without decisions join freely. */
static void test_decisions(void)
{
	enum { N = 6 };
	struct dedup_rec rec[N];
	struct dedup_settings s;
	struct dedup_stats st;
	struct angka_error e = { 0 };
	mu_check(dedup_settings_load(&s, NULL, &e) == ANGKA_OK);
	memset(rec, 0, sizeof rec);
	memset(&st, 0, sizeof st);
	struct dedup_ctx x;
	memset(&x, 0, sizeof x);
	x.s = &s;
	x.st = &st;
	x.rec = rec;
	x.n = N;
	dedup_intern_init(&x.files);
	uint32_t f = dedup_intern_get(&x.files, "dtks.csv", 8);
	dedup_intern_freeze(&x.files);
	for (uint32_t i = 0; i < N; i++) {
		rec[i].parent = i;
		rec[i].file = f;
		rec[i].line = i + 2;
	}
	char path[32];
	write_tmp(path,
	          "x,a_src_file,a_src_line,b_src_file,b_src_line,keputusan\n"
	          "1,dtks.csv,2,dtks.csv,3,Beda\n"
	          "2,dtks.csv,4,dtks.csv,3, sama \n"
	          "3,dtks.csv,5,dtks.csv,7,BEDA\n"
	          "4,dtks.csv,5,dtks.csv,7,sama\n"      /* conflict: beda */
	          "5,dtks.csv,2,dtks.csv,99,sama\n"     /* unknown row */
	          "6,lain.csv,2,dtks.csv,3,beda\n"      /* unknown file */
	          "7,dtks.csv,2,dtks.csv,6,\n");        /* undecided */
	mu_check(dedup_decisions_load(&x, path, &e) == ANGKA_OK);
	unlink(path);
	mu_check(x.dec != NULL);
	mu_check_int(st.decisions_sama, 1);
	mu_check_int(st.decisions_beda, 2);
	mu_check_int(st.decisions_unknown, 2);
	mu_check_int(st.decisions_empty, 1);
	mu_check_int(st.decisions_conflict, 1);
	mu_check_int(dedup_decision_of(&x, 1, 0), DEDUP_DEC_BEDA);
	mu_check_int(dedup_decision_of(&x, 1, 2), DEDUP_DEC_SAMA);
	mu_check_int(dedup_decision_of(&x, 5, 3), DEDUP_DEC_BEDA);
	mu_check_int(dedup_decision_of(&x, 0, 2), 0);
	mu_check_int(dedup_decision_of(&x, 0, 4), 0);
	/* Rows without decisions: never refused. */
	mu_check_int(dedup_cannot_join(&x, 2, 4), 0);
	mu_check_int(dedup_cannot_join(&x, 0, 1), 1);
	/* 0 joins 4 (no decision between them), 1 joins 5. */
	uint32_t pairs[2][2] = { { 4, 0 }, { 5, 1 } };
	for (int k = 0; k < 2; k++) {
		uint32_t ra = dedup_uf_find(rec, pairs[k][0]);
		uint32_t rb = dedup_uf_find(rec, pairs[k][1]);
		mu_check_int(dedup_cannot_join(&x, ra, rb), 0);
		mu_check_int(dedup_uf_union(rec, ra, rb), 1);
		dedup_decisions_joined(&x, ra, rb, dedup_uf_find(rec, ra));
	}
	uint32_t r04 = dedup_uf_find(rec, 4), r15 = dedup_uf_find(rec, 5);
	mu_check_int(dedup_cannot_join(&x, r04, r15), 1);   /* 0 beda 1 */
	mu_check_int(dedup_cannot_join(&x, r15, r04), 1);
	mu_check_int(dedup_cannot_join(&x, dedup_uf_find(rec, 3), r15), 1);
	mu_check_int(dedup_cannot_join(&x, dedup_uf_find(rec, 2), r15), 0);
	mu_check_int(dedup_cannot_join(&x, dedup_uf_find(rec, 3), r04), 0);
	dedup_decisions_free(&x);
	mu_check(x.dec == NULL);

	/* A bad keputusan: an error naming the file's line and column,
	 * without the value. */
	memset(&st, 0, sizeof st);
	write_tmp(path, "a_src_file,a_src_line,b_src_file,b_src_line,"
	          "keputusan\ndtks.csv,2,dtks.csv,3,sama\n"
	          "dtks.csv,2,dtks.csv,3,SITI\n");
	mu_check_int(dedup_decisions_load(&x, path, &e), ANGKA_EDATA);
	mu_check(strstr(e.msg, ":3: keputusan") != NULL);
	mu_check(strstr(e.msg, "SITI") == NULL);
	mu_check(x.dec == NULL);
	unlink(path);
	dedup_intern_release(&x.files);
}

/* Comparison levels of a pair (learned weights, fs.c). */
static void test_fs_levels(void)
{
	const uint64_t wil = 6311012015ULL;
	struct dedup_rec a = person(6311013008731179ULL, "1973-08-30", 'L', 1, wil);
	struct dedup_rec b = a;
	unsigned c = dedup_fs_compare(&a, &b, 1.0, 0);
	for (int k = 0; k < DEDUP_NCMP; k++)
		mu_check_int(dedup_fs_level(c, k), 1);
	mu_check_int(dedup_fs_name_level(-1), 0);
	mu_check_int(dedup_fs_name_level(0.96), 2);
	mu_check_int(dedup_fs_name_level(0.95), 2);
	mu_check_int(dedup_fs_name_level(0.90), 3);
	mu_check_int(dedup_fs_name_level(0.87), 4);
	/* Dates: swapped day and month, 3 days, one digit, else. */
	int32_t d = dedup_parse_date("1973-08-03", 10);
	mu_check_int(dedup_fs_date_level(d, dedup_parse_date("1973-03-08", 10), 0), 2);
	mu_check_int(dedup_fs_date_level(d, dedup_parse_date("1973-08-06", 10), 0), 3);
	mu_check_int(dedup_fs_date_level(d, dedup_parse_date("1973-08-07", 10), 0), 3);
	mu_check_int(dedup_fs_date_level(d, dedup_parse_date("1973-08-24", 10), 0), 4);
	mu_check_int(dedup_fs_date_level(d, dedup_parse_date("1978-08-03", 10), 0), 3);
	mu_check_int(dedup_fs_date_level(d, dedup_parse_date("1978-09-03", 10), 0), 4);
	mu_check_int(dedup_fs_date_level(d, dedup_parse_date("1973-08-24", 10), 21), 3);
	mu_check_int(dedup_fs_date_level(d, DEDUP_NODATE, 0), 0);
	/* NIK: typo, swap, truncation (15 digits and a 0), far, missing. */
	mu_check_int(dedup_fs_nik_level(6311013008731179ULL, 6311013008731379ULL), 2);
	mu_check_int(dedup_fs_nik_level(6311013008731179ULL, 6311013008731719ULL), 2);
	mu_check_int(dedup_fs_nik_level(6311013008731179ULL, 6311013008731170ULL), 3);
	mu_check_int(dedup_fs_nik_level(6311013008731179ULL, 6311013008735521ULL), 4);
	mu_check_int(dedup_fs_nik_level(0, 6311013008735521ULL), 0);
	/* No KK, desa / kecamatan, sex. */
	b = person(0, NULL, 'P', 2, 6311012011ULL);
	c = dedup_fs_compare(&a, &b, 0.5, 0);
	mu_check_int(dedup_fs_level(c, DEDUP_CMP_NAME), 4);
	mu_check_int(dedup_fs_level(c, DEDUP_CMP_DOB), 0);
	mu_check_int(dedup_fs_level(c, DEDUP_CMP_NIK), 0);
	mu_check_int(dedup_fs_level(c, DEDUP_CMP_KK), 2);
	mu_check_int(dedup_fs_level(c, DEDUP_CMP_DESA), 2);
	mu_check_int(dedup_fs_level(c, DEDUP_CMP_SEX), 2);
	b = person(0, NULL, 0, 0, 6312012011ULL);
	c = dedup_fs_compare(&a, &b, 0.5, 0);
	mu_check_int(dedup_fs_level(c, DEDUP_CMP_DESA), 3);
	mu_check_int(dedup_fs_level(c, DEDUP_CMP_KK), 0);
	mu_check_int(dedup_fs_level(c, DEDUP_CMP_SEX), 0);
	/* The record levels alone (fit.c's samples): No KK, desa, sex set,
	 * the others left; two equal kecamatan-only codes are the same
	 * kecamatan, not the same desa. */
	int l[DEDUP_NCMP] = { 7, 7, 7, 7, 7, 7 }, n = 1;
	b = person(0, NULL, 'L', 1, wil);
	dedup_fs_rec_levels(&a, &b, l);
	mu_check(l[DEDUP_CMP_KK] == 1 && l[DEDUP_CMP_DESA] == 1 &&
	         l[DEDUP_CMP_SEX] == 1);
	mu_check(l[DEDUP_CMP_NAME] == 7 && l[DEDUP_CMP_DOB] == 7 &&
	         l[DEDUP_CMP_NIK] == 7);
	struct dedup_rec ka = person(0, NULL, 'P', 3, 6311010000ULL);
	struct dedup_rec kb = person(0, NULL, 'L', 3, 6311010000ULL);
	dedup_fs_rec_levels(&ka, &kb, l);
	mu_check(l[DEDUP_CMP_KK] == 1 && l[DEDUP_CMP_DESA] == 2 &&
	         l[DEDUP_CMP_SEX] == 2);
	kb = person(0, NULL, 'L', 0, 0);
	dedup_fs_rec_levels(&ka, &kb, l);
	mu_check(l[DEDUP_CMP_KK] == 0 && l[DEDUP_CMP_DESA] == 0 &&
	         l[DEDUP_CMP_SEX] == 2);
	/* Cells round-trip and stay below DEDUP_FS_NCELLS. */
	for (int k = 0; k < DEDUP_NCMP; k++) {
		n *= dedup_fs_nlevels(k);
		l[k] = dedup_fs_nlevels(k) - 1;
	}
	mu_check_int(n, (int)DEDUP_FS_NCELLS);
	mu_check_int((int)dedup_fs_cell(l), (int)DEDUP_FS_NCELLS - 1);
	mu_check(strcmp(dedup_fs_level_name(DEDUP_CMP_NIK, 3), "prefix15") == 0);
	/* The precomputed forms (fit.c's random pairs) agree with the plain
	 * ones, and the NIK levels with dedup_nik_distance, on pairs one or
	 * two digits apart and far apart, dates near and far. */
	uint64_t st = 12345;
	for (int t = 0; t < 20000; t++) {
		st = st * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t na = 6311010000000000ULL + (st >> 20) % 10000000000ULL;
		uint64_t nb = na;
		uint64_t p10 = 1;
		for (int k = 0; k < (int)((st >> 8) % 16); k++)
			p10 *= 10;
		if (t % 3)
			nb = na - na / p10 % 10 * p10 + (st >> 4) % 10 * p10;
		if (t % 5 == 0)
			nb = nb - nb % 10;       /* truncated */
		if (t % 7 == 0)
			nb = 6311010000000000ULL + (st >> 30) % 10000000000ULL;
		char da[16], db[16];
		dedup_fs_nik_digits(na, da);
		dedup_fs_nik_digits(nb, db);
		int lv = dedup_fs_nik_level(na, nb);
		mu_check(lv == dedup_fs_nik_level_digits(na, nb, da, db));
		enum dedup_nik_dist nd = dedup_nik_distance(na, nb);
		if (lv != 3)
			mu_check(lv == (nd == DEDUP_NIK_SAME ? 1 : nd == DEDUP_NIK_FAR ? 4 : 2));
		int32_t d1 = (int32_t)((st >> 12) % 40000) - 10000;
		int32_t d2 = t % 2 ? d1 + (int32_t)((st >> 40) % 9) - 4
		                   : (int32_t)((st >> 24) % 40000) - 10000;
		int y1[3], y2[3];
		dedup_fs_civil(d1, y1);
		dedup_fs_civil(d2, y2);
		mu_check(dedup_fs_date_level(d1, d2, 0) ==
		         dedup_fs_date_level_ymd(d1, d2, y1, y2, 0));
	}
}

/* EM recovers m and lambda from the expected histogram of a known model. */
static void test_fs_em(void)
{
	static uint32_t cand[DEDUP_FS_NCELLS], rnd[DEDUP_FS_NCELLS];
	double mt[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX], ut[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX];
	/* Level 1 likely for a match, the last for a non-match; none
	 * missing. */
	for (int k = 0; k < DEDUP_NCMP; k++) {
		int nl = dedup_fs_nlevels(k) - 1;
		double ms = 0, us = 0;
		for (int l = 1; l <= nl; l++) {
			mt[k][l] = l == 1 ? 0.8 : 0.2 / (nl - 1);
			ut[k][l] = l == nl ? 0.9 : 0.1 / (nl - 1);
			ms += mt[k][l];
			us += ut[k][l];
		}
		mu_check(fabs(ms - 1) < 1e-12 && fabs(us - 1) < 1e-12);
	}
	const double lambda = 0.2, ncand = 4e6, nrnd = 4e8;
	for (unsigned c = 0; c < DEDUP_FS_NCELLS; c++) {
		double pm = 1, pu = 1;
		for (int k = 0; k < DEDUP_NCMP; k++) {
			int l = dedup_fs_level(c, k);
			pm *= l ? mt[k][l] : 0;
			pu *= l ? ut[k][l] : 0;
		}
		cand[c] = (uint32_t)floor(ncand * (lambda * pm + (1 - lambda) * pu) + 0.5);
		rnd[c] = (uint32_t)floor(nrnd * pu + 0.5);
	}
	struct dedup_fs_model fm;
	dedup_fs_fit(&fm, cand, rnd, 1e12);
	mu_check_msg(fabs(fm.lambda - lambda) < 0.002, "lambda %f", fm.lambda);
	for (int k = 0; k < DEDUP_NCMP; k++)
		for (int l = 1; l < dedup_fs_nlevels(k); l++) {
			mu_check_msg(fabs(fm.m[k][l] - mt[k][l]) < 0.002,
			             "m %d %d %f", k, l, fm.m[k][l]);
			mu_check_msg(fabs(fm.u[k][l] - ut[k][l]) < 0.001,
			             "u %d %d %f", k, l, fm.u[k][l]);
			mu_check(fabs(fm.w[k][l] - log2(fm.m[k][l] / fm.u[k][l])) <= 0.005);
			mu_check(fm.wcb[k][l] == (int)floor(log2(fm.m[k][l] / fm.u[k][l]) * 100 + 0.5));
		}
	/* The prior: the candidates' matches over all pairs. */
	mu_check_msg(fabs(fm.prior - fm.lambda * (double)fm.ncand / 1e12) < 1e-12,
	             "prior %g", fm.prior);
	/* Deterministic: the same fit twice is the same bytes. */
	struct dedup_fs_model fm2;
	dedup_fs_fit(&fm2, cand, rnd, 1e12);
	mu_check(memcmp(&fm, &fm2, sizeof fm) == 0);
	/* No data: the prior model, NIK agreement the strongest evidence. */
	memset(cand, 0, sizeof cand);
	memset(rnd, 0, sizeof rnd);
	dedup_fs_fit(&fm, cand, rnd, 10);
	mu_check(fm.w[DEDUP_CMP_NIK][1] > fm.w[DEDUP_CMP_NAME][1]);
	mu_check(fm.w[DEDUP_CMP_NAME][4] < 0 && fm.w[DEDUP_CMP_DOB][4] < 0);
	/* TF: a name on 1 % of the rows loses log2(1 % / u_exact). */
	mu_check(dedup_fs_tf_weight(&fm, fm.u[DEDUP_CMP_NAME][1] / 2) == 0);
	mu_check(fabs(dedup_fs_tf_weight(&fm, 0.01) -
	              log2(fm.u[DEDUP_CMP_NAME][1] / 0.01)) <= 0.005);
	mu_check(fabs(dedup_fs_probability(0) - 0.5) < 1e-12);
	mu_check(fabs(dedup_fs_probability(log2(19.0)) - 0.95) < 1e-12);
}

/* The ids a shard's cells read (dedup_shard_needs): against the plan
 * worked out by hand from docs/dedup.md's rule (cells longest first to
 * the least loaded shard, the job costs of block.c): with 2 shards the
 * No KK (name_kk) is shard 1's only; with 7 shards 2, 5 and 6 own only
 * nik_near or dob_sex_kab cells (no name, no No KK); with 16 shards,
 * eight own no name rule. Whatever N, some shard reads each. */
static void test_shard_needs(void)
{
	const unsigned N = DEDUP_SHARD_NAMES, K = DEDUP_SHARD_KK;
	mu_check_int(dedup_shard_needs(0, 1), N | K);
	mu_check_int(dedup_shard_needs(0, 2), N);
	mu_check_int(dedup_shard_needs(1, 2), N | K);
	static const unsigned seven[7] = { N, N | K, 0, N, N, 0, 0 };
	for (unsigned k = 0; k < 7; k++)
		mu_check_int(dedup_shard_needs(k, 7), seven[k]);
	static const unsigned sixteen[16] = { N, N, N, 0, N, N | K, N, N,
	                                      0, N, 0, 0, 0, 0, 0, 0 };
	for (unsigned k = 0; k < 16; k++)
		mu_check_int(dedup_shard_needs(k, 16), sixteen[k]);
	for (unsigned n = 1; n <= 64; n++) {
		unsigned all = 0;
		for (unsigned k = 0; k < n; k++)
			all |= dedup_shard_needs(k, n);
		mu_check_int(all, N | K);
	}
}

/* The cluster id against its definition computed here another way:
 * "C" + 16 hex digits of FNV-1a 64 over "N" + the smallest NIK's 16
 * digits (then the content key's 8 bytes, little end first, when the
 * NIK is shared), or the content key's hash alone without a NIK. */
static uint64_t fnv_ref(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* dedup_put_dec against snprintf's zero-padded decimal. */
static void test_put_dec(void)
{
	uint64_t v = 7;
	const size_t widths[] = { 0, 1, 2, 10, 16 };
	for (int k = 0; k < 3000; k++) {
		v = v * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t t = k < 200 ? (uint64_t)k
		             : v >> (k % 64);   /* every magnitude */
		if (k == 200)
			t = UINT64_MAX;
		if (k == 201)
			t = 10000000000000000ULL;
		for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
			char got[32], want[32];
			size_t n = dedup_put_dec(got, t, widths[w]);
			got[n] = 0;
			snprintf(want, sizeof want, "%0*llu", (int)widths[w],
			         (unsigned long long)t);
			mu_check_str(got, want);
		}
	}
}

static void test_cluster_id(void)
{
	struct dedup_ctx x;
	memset(&x, 0, sizeof x);
	struct dedup_rec rec[2];
	x.rec = rec;
	x.n = 2;
	uint64_t nik = 1;
	for (int k = 0; k < 2000; k++) {
		nik = nik * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t v = k == 0 ? 0 : k == 1 ? 9999999999999999ULL
		             : k == 2 ? 1 : nik % 10000000000000000ULL;
		rec[0] = person(v, NULL, 0, 0, 0);
		rec[0].flagged = 0;
		struct dedup_cluster cl = { 0, 0, 1, 0x0123456789abcdefULL };
		char got[18], want[18], digits[24];
		dedup_cluster_id(&x, &cl, got);
		snprintf(digits, sizeof digits, "N%016llu", (unsigned long long)v);
		uint64_t h = fnv_ref(0xcbf29ce484222325ULL,
		                     (const unsigned char *)digits, 17);
		snprintf(want, sizeof want, "C%016llx", (unsigned long long)h);
		mu_check_str(got, want);
		/* Without a NIK: the content key's hash. */
		cl.minnik = UINT32_MAX;
		cl.keyh = nik;
		dedup_cluster_id(&x, &cl, got);
		snprintf(want, sizeof want, "C%016llx", (unsigned long long)nik);
		mu_check_str(got, want);
	}
	/* A shared NIK (nik_shared): the content key's bytes follow. */
	rec[0] = person(3171234567890123ULL, NULL, 0, 0, 0);
	rec[0].flagged = 1;
	struct dedup_rflag rf = { 0, DEDUP_F_NIK_SHARED };
	x.rflags = &rf;
	x.nrflags = 1;
	struct dedup_cluster cl = { 0, 0, 2, 0x0807060504030201ULL };
	char got[18], want[18];
	dedup_cluster_id(&x, &cl, got);
	const unsigned char key[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint64_t h = fnv_ref(0xcbf29ce484222325ULL,
	                     (const unsigned char *)"N3171234567890123", 17);
	h = fnv_ref(h, key, 8);
	snprintf(want, sizeof want, "C%016llx", (unsigned long long)h);
	mu_check_str(got, want);
}

int main(void)
{
	mu_run(test_nik_distance);
	mu_run(test_nik_placeholder);
	mu_run(test_dates);
	mu_run(test_parse_nik_bytes);
	mu_run(test_parse_date_calendar);
	mu_run(test_intern_growth);
	mu_run(test_union_find);
	mu_run(test_survivor);
	mu_run(test_score);
	mu_run(test_rec_layout);
	mu_run(test_keysort_spill);
	mu_run(test_spool_segments);
	mu_run(test_decisions);
	mu_run(test_fs_levels);
	mu_run(test_fs_em);
	mu_run(test_shard_needs);
	mu_run(test_cluster_id);
	mu_run(test_put_dec);
	return mu_report("test_dedup");
}
