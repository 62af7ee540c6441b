/*
 * gen-bench-susenas.c - synthetic national SUSENAS-like data for the
 * indicators benchmark: normalized household rows (the columns of
 * angka-normalize --kind susenas) and a matching poverty-line table.
 * 514 kabupaten x 2 strata (perkotaan/perdesaan) = 1,028 strata, 29 PSUs
 * per stratum (29,812 PSUs), about 10 households per PSU (~300,000 rows).
 * Deterministic (splitmix64, fixed seed); libc + libm only.
 *
 * usage: gen-bench-susenas OUTDIR   (writes susenas.csv and lines.csv)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng = 0x5eed2024ULL;

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

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-bench-susenas OUTDIR\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/susenas.csv", argv[1]);
	FILE *f = fopen(path, "w");
	snprintf(path, sizeof path, "%s/lines.csv", argv[1]);
	FILE *g = fopen(path, "w");
	if (!f || !g) {
		perror("gen-bench-susenas");
		return 1;
	}
	fprintf(f, "src_file,src_line,tahun,kode_wilayah,kode_prov,kode_kab,"
	        "kode_kec,daerah,daerah_nama,psu,strata,id_ruta,jumlah_art,"
	        "bobot_ruta,bobot,kapita,fixes\n");
	fprintf(g, "src_file,src_line,kode_wilayah,periode,tahun,daerah,"
	        "garis_kemiskinan,gkm,gknm,fixes,flags\n");
	long line = 1, gline = 1, hh = 0;
	int nkab = 514;
	for (int k = 0; k < nkab; k++) {
		int prov = 11 + k / 15;
		int kab = 1 + k % 15;
		double zk = 380000 + 300000 * unif();
		for (int dae = 1; dae <= 2; dae++) {
			double z = round(zk * (dae == 1 ? 1.05 : 0.97));
			fprintf(g, "lines.csv,%ld,%d.%02d,2024-03,2024,%s,%.0f,,,,\n",
			        ++gline, prov, kab,
			        dae == 1 ? "perkotaan" : "perdesaan", z);
			double mu = log(z * (1.5 + 0.8 * unif()));
			for (int p = 0; p < 29; p++) {
				double peff = 0.25 * norm();
				int kec = 1 + (int)(unif() * 12);
				int nh = 8 + (int)(unif() * 5);
				for (int h = 0; h < nh; h++) {
					int art = 1 + (int)(unif() * 7);
					double wr = round((20 + 300 * unif()) * 100) / 100;
					double y = round(exp(mu + peff + 0.42 * norm()) * 100) / 100;
					fprintf(f, "bench,%ld,2024,%d.%02d,%d,%d.%02d,%d.%02d.%02d,"
					        "%d,%s,%d%02d%d%03d,%d%02d%d,%ld,%d,%.2f,%.17g,%.2f,\n",
					        ++line, prov, kab, prov, prov, kab, prov, kab,
					        kec, dae, dae == 1 ? "perkotaan" : "perdesaan",
					        prov, kab, dae, p, prov, kab, dae, ++hh, art,
					        wr, wr * art, y);
				}
			}
		}
	}
	if (fclose(f) || fclose(g)) {
		perror("gen-bench-susenas");
		return 1;
	}
	fprintf(stderr, "gen-bench-susenas: %ld households, %d kabupaten\n", hh,
	        nkab);
	return 0;
}
