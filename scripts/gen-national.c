/*
 * gen-national.c - the survey side of the national synthetic configuration
 * (make national, scripts/national.sh): raw SUSENAS files for the first 514
 * kabupaten of a region table over several years, and the poverty lines and
 * the published tables (terbitan) that match them, with the population per
 * kabupaten. The DTKS extract comes from gen-bench-dtks.c (national codes)
 * with the fixture's defects added by national.sh.
 *
 * usage: gen-national WILAYAH OUTDIR YEAR0 YEAR1 HOUSEHOLDS
 *   WILAYAH     region table (kode,level,nama,kode_induk; kabupaten rows
 *               "PP.KK,kabupaten,...")
 *   HOUSEHOLDS  SUSENAS households per kabupaten and year
 * Writes OUTDIR/susenas_national_YYYY.csv (URUT,R101,R102,R103,R105,PSU,
 * STRATA,R301,WERT,KAPITA as the fixtures), garis_kemiskinan_national.csv,
 * terbitan_national.csv (';', decimal comma: kode_wilayah, tahun, P0 and
 * P1, P2 x 100 and the line: computed from the generated households with the household weight x
 * members, so the published figures are those angka computes) and
 * penduduk_national.csv. Deterministic (splitmix64, fixed seed); libc and
 * libm only.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXKAB 514

static uint64_t rng = 0x6e6174696f6e616cULL;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return (double)(next() >> 11) * 0x1.0p-53;
}

static double norm(void)
{
	double u = unif(), v = unif();
	if (u < 1e-300)
		u = 1e-300;
	return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		perror(path);
	return f;
}

static int close_out(FILE *f, const char *name)
{
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "gen-national: cannot write %s\n", name);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: gen-national WILAYAH OUTDIR YEAR0 YEAR1 "
		        "HOUSEHOLDS\n");
		return 2;
	}
	int y0 = atoi(argv[3]), y1 = atoi(argv[4]), nhh = atoi(argv[5]);
	if (y0 < 2000 || y1 < y0 || y1 > 2100 || nhh < 20) {
		fprintf(stderr, "gen-national: bad years or households (>= 20)\n");
		return 2;
	}
	FILE *w = fopen(argv[1], "r");
	if (!w) {
		perror(argv[1]);
		return 1;
	}
	static unsigned prov[MAXKAB], kab[MAXKAB];
	int nk = 0;
	char line[512];
	while (nk < MAXKAB && fgets(line, sizeof line, w)) {
		unsigned p, k;
		char lvl[32];
		if (sscanf(line, "%2u.%2u,%31[a-z]", &p, &k, lvl) == 3 &&
		    strcmp(lvl, "kabupaten") == 0) {
			prov[nk] = p;
			kab[nk++] = k;
		}
	}
	fclose(w);
	if (nk < MAXKAB)
		fprintf(stderr, "gen-national: %d kabupaten in %s (fewer than "
		        "%d)\n", nk, argv[1], MAXKAB);
	const char *dir = argv[2];
	FILE *g = open_out(dir, "garis_kemiskinan_national.csv");
	FILE *t = open_out(dir, "terbitan_national.csv");
	FILE *pd = open_out(dir, "penduduk_national.csv");
	if (!g || !t || !pd)
		return 1;
	fprintf(g, "kode_wilayah,periode,garis_kemiskinan\n");
	fprintf(t, "kode_wilayah;tahun;p0;p1;p2;garis_kemiskinan\n");
	fprintf(pd, "kode,nama,tahun,penduduk,sumber\n");
	/* Per kabupaten: its 2015 line, a growth, a level of welfare. */
	static double line0[MAXKAB], grow[MAXKAB], wel[MAXKAB];
	for (int i = 0; i < nk; i++) {
		line0[i] = 330000 + 120000 * unif();
		grow[i] = 0.03 + 0.04 * unif();
		wel[i] = 0.25 + 0.5 * unif();   /* log(mean / line) */
	}
	int bad = 0;
	for (int y = y0; y <= y1; y++) {
		char name[64];
		snprintf(name, sizeof name, "susenas_national_%d.csv", y);
		FILE *f = open_out(dir, name);
		if (!f)
			return 1;
		fprintf(f, "URUT,R101,R102,R103,R105,PSU,STRATA,R301,WERT,KAPITA\n");
		long urut = 0;
		for (int i = 0; i < nk; i++) {
			double z = round(line0[i] * pow(1 + grow[i], y - 2015));
			fprintf(g, "%02u.%02u,%d-03,%.0f\n", prov[i], kab[i], y, z);
			double sw = 0, s0 = 0, s1 = 0, s2 = 0, pop = 0;
			for (int h = 0; h < nhh; h++) {
				int psu = h / 10;          /* 10 households a PSU */
				int urban = psu % 2;
				int art = 1 + (int)(unif() * 6);
				double wert = 40 + 30 * unif();
				double y_ = z * exp(wel[i] + 0.1 * urban +
				                    0.55 * norm());
				double kap = round(y_ * 100) / 100;
				fprintf(f, "%ld,%02u,%02u,%03d,%d,%02u%02u%03d%03d,%d,"
				        "%d,%.2f,%.2f\n", ++urut, prov[i], kab[i],
				        10 * (1 + psu % 8), urban ? 1 : 2, prov[i],
				        kab[i], 10 * (1 + psu % 8), psu, 1 + urban,
				        art, wert, kap);
				/* The weights as printed (2 decimals). */
				double wt = round(wert * 100) / 100 * art;
				sw += wt;
				pop += wt;
				if (kap < z) {
					double gap = (z - kap) / z;
					s0 += wt;
					s1 += wt * gap;
					s2 += wt * gap * gap;
				}
			}
			/* Indonesian numbers, as BPS publishes them. */
			char v[3][32];
			snprintf(v[0], sizeof v[0], "%.2f", 100 * s0 / sw);
			snprintf(v[1], sizeof v[1], "%.3f", 100 * s1 / sw);
			snprintf(v[2], sizeof v[2], "%.3f", 100 * s2 / sw);
			for (int k = 0; k < 3; k++)
				*strchr(v[k], '.') = ',';
			fprintf(t, "%02u.%02u;%d;%s;%s;%s;%.0f\n", prov[i],
			        kab[i], y, v[0], v[1], v[2], z);
			fprintf(pd, "%02u.%02u,Kabupaten %02u.%02u,%d,%.0f,"
			        "synthetic\n", prov[i], kab[i], prov[i], kab[i], y,
			        round(pop));
		}
		bad |= close_out(f, name);
	}
	bad |= close_out(g, "garis_kemiskinan_national.csv");
	bad |= close_out(t, "terbitan_national.csv");
	bad |= close_out(pd, "penduduk_national.csv");
	fprintf(stderr, "gen-national: %d kabupaten, %d-%d, %d households "
	        "each a year\n", nk, y0, y1, nhh);
	return bad;
}
