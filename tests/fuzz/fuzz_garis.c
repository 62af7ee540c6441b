/*
 * fuzz_garis.c - libFuzzer target for angka-garis's readers and the
 * computation. FUZZ_STAGE: garis
 *
 * Input: the first byte picks which of the seven inputs the rest of the
 * bytes replace (SUSENAS, food, non-food, calorie table, ratios, CPI,
 * previous lines); the other six are the small valid tables of the golden
 * case 0001-hand. Checked: no crash or sanitizer report; an error has a
 * message; on success the consumption rows balance (used + quarantined =
 * read), and every computed line is finite, GK = GKM + GKNM, no
 * contribution is negative.
 */
#include "fuzz_mem.h"
#include "garis_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant " \
	"failed: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static const char *const base[7] = {
	"URUT,R101,R102,R105,PSU,STRATA,R301,WERT,KAPITA\n"
	"1,63,11,2,P1,2,4,10,200000\n2,63,11,2,P1,2,2,10,270000\n"
	"3,63,11,2,P2,2,3,10,300000\n4,63,11,2,P2,2,5,10,400000\n"
	"6,63,11,1,P3,1,2,20,250000\n7,63,11,1,P3,1,3,20,350000\n"
	"8,63,11,1,P4,1,5,20,600000\n",
	"URUT,KODE,KUANTITAS,NILAI\n1,B,50,500000\n2,B,28,280000\n2,T,3,75000\n"
	"3,B,42,420000\n3,R,90,90000\n4,B,60,660000\n7,B,36,432000\n7,T,3.6,100800\n"
	"8,B,50,700000\n",
	"URUT,KODE,NILAI\n1,H,150000\n2,H,90000\n3,S,60000\n7,H,307200\n7,P,42000\n",
	"kode,nama,satuan,kkal_per_satuan\nB,Beras,kg,3600\nT,Telur,kg,1500\n"
	"R,Rokok,batang,0\n",
	"kode,nama,rasio_perkotaan,rasio_perdesaan\nH,Perumahan,0.5,0.8\n"
	"S,Sabun,1,1\nP,Air,0.9,\n",
	"kode_wilayah,periode,ihk\n63.11,2023-03,100\n63.11,2024-03,104\n",
	"kode_wilayah,periode,garis_kemiskinan\n63.11,2023-03,250000\n",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int which = data[0] % 7;
	const char *path[7];
	for (int k = 0; k < 7; k++)
		path[k] = k == which ? fuzz_mem_path(k, data + 1, size - 1)
		                     : fuzz_mem_path(k, base[k], strlen(base[k]));
	struct garis_opts o;
	garis_opts_init(&o);
	o.susenas = path[0];
	o.makanan = path[1];
	o.bukan_makanan = path[2];
	o.komoditas = path[3];
	o.rasio = path[4];
	o.ihk = path[5];
	o.garis = path[6];
	o.tahun = 2024;
	struct garis_stats st = { 0 };
	struct garis_data d;
	struct angka_error e = { 0 };
	enum angka_err rc = garis_read(&o, &d, &st, &e);
	if (rc == ANGKA_OK) {
		CHECK(st.food_used + st.food_quarantined == st.food_rows);
		CHECK(st.nonfood_used + st.nonfood_quarantined == st.nonfood_rows);
		double *wt = malloc((d.nhh + 1) * sizeof *wt);
		CHECK(wt);
		for (size_t i = 0; i < d.nhh; i++)
			wt[i] = d.hh[i].w;
		struct garis_result r;
		garis_result_init(&r, &d, 1);
		rc = garis_compute(&d, wt, NULL, NULL, &r, &e);
		if (rc == ANGKA_OK)
			for (size_t i = 0; i < d.nreg * GARIS_NAREA; i++) {
				const struct garis_cell *c = &r.cell[i];
				if (!c->ok)
					continue;
				CHECK(isfinite(c->gk) && isfinite(c->gkm) && isfinite(c->gknm));
				CHECK(c->gk == c->gkm + c->gknm);
				for (size_t k = 0; k < d.nfc + d.nnc; k++)
					CHECK(c->contrib[k] >= 0);
			}
		garis_result_free(&r);
		free(wt);
	}
	if (rc != ANGKA_OK)
		CHECK(e.msg[0] != '\0');
	garis_data_free(&d);
	garis_stats_release(&st);
	return 0;
}
