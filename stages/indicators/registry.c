/*
 * registry.c - the registry (DTKS) indicators of angka-indicators
 * (--mode registry; see regprog.h): persons, households, programme flags
 * and desil per area, with the population and the estimated poor.
 */
#include "regprog_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Registry.                                                           */

enum { F_PKH, F_BPNT, F_KKS, F_PBI, F_KIP, NFLAG };
static const char *const flag_name[NFLAG] = { "pkh", "bpnt", "kks", "pbi", "kip" };

struct area {
	uint64_t persons, households;
	uint64_t flag[NFLAG];
	uint64_t flag_recorded[NFLAG]; /* persons with the flag not empty */
	uint64_t desil[11];          /* [0]: no desil */
	double penduduk;
	long penduduk_tahun;
	int have_penduduk;
	double miskin;
	double miskin_rse;           /* NaN: none (SE withheld or absent) */
	int have_miskin;
	int level;                   /* 4, 6 or 10 digits */
};

static const char *level_name(int level)
{
	return level == 4 ? "kabupaten" : level == 6 ? "kecamatan" : "desa";
}

enum angka_err regprog_registry_run(const struct regprog_opts *o,
                                    struct regprog_stats *st,
                                    struct angka_error *e)
{
	memset(st, 0, sizeof *st);
	static const char *const cols[] = {
		"src_file", "src_line", "kode_wilayah", "no_kk", "pkh", "bpnt",
		"kks", "pbi", "kip", "desil", "?tgl_update", NULL
	};
	enum { C_FILE, C_LINE, C_KODE, C_KK, C_PKH, C_BPNT, C_KKS, C_PBI, C_KIP,
	       C_DESIL, C_UPD };
	struct ind_strtab areas, kks;
	ind_strtab_init(&areas);
	ind_strtab_init(&kks);
	struct area *a = NULL;
	size_t acap = 0;
	struct angka_csv_writer *w = NULL;
	struct tab t;
	long newest = 0;
	uint64_t unplaced = 0;
	enum angka_err rc = regprog_tab_open(&t, o->registry, cols, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	int got;
	while ((got = tab_next(&t, e)) > 0) {
		st->rows_in++;
		size_t n;
		const char *kode = tab_get(&t, C_KODE, &n);
		char d[24];
		if (digits_of(kode, n, d) != 10) {
			/* A person without a desa code cannot be placed in an
			 * area: counted in a "tanpa_wilayah" row of its own. */
			st->rows_out++;
			unplaced++;
			continue;
		}
		st->rows_out++;
		size_t upn;
		const char *upd = tab_get(&t, C_UPD, &upn);
		if (upn >= 4) {
			long y = parse_long(upd, 4, 0);
			if (y > newest)
				newest = y;
		}
		size_t kkn;
		const char *kk = tab_get(&t, C_KK, &kkn);
		static const int levels[3] = { 4, 6, 10 };
		for (int l = 0; l < 3; l++) {
			char code[24];
			regprog_dotted(d, (size_t)levels[l], code);
			uint32_t id = ind_strtab_intern(&areas, code, strlen(code));
			a = grow_zero(a, &acap, (size_t)id + 1, sizeof *a);
			struct area *ar = &a[id];
			ar->level = levels[l];
			ar->persons++;
			for (int f = 0; f < NFLAG; f++) {
				size_t fl;
				const char *fv = tab_get(&t, C_PKH + f, &fl);
				if (fl == 1 && fv[0] == '1')
					ar->flag[f]++;
				if (fl)
					ar->flag_recorded[f]++;
			}
			size_t dl;
			const char *dv = tab_get(&t, C_DESIL, &dl);
			long des = parse_long(dv, dl, 0);
			ar->desil[des >= 1 && des <= 10 ? des : 0]++;
			if (kkn) {
				char key[64];
				int kl = snprintf(key, sizeof key, "%s|%.*s", code,
				                  (int)(kkn < 32 ? kkn : 32), kk);
				size_t before = kks.n;
				ind_strtab_intern(&kks, key, (size_t)kl);
				if (kks.n > before)
					ar->households++;
			}
		}
	}
	rc = regprog_tab_end(&t, got, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	long tahun = o->set.tahun ? o->set.tahun : newest;
	if (!tahun) {
		rc = ANGKA_ERR(e, ANGKA_ECONFIG,
		               "'%s': no tgl_update to date the registry; set "
		               "[registry] tahun", o->registry);
		goto cleanup;
	}

	/* Population: per area, the latest year <= tahun; first row wins a tie. */
	if (o->penduduk) {
		static const char *const pc[] = { "kode_wilayah", "tahun", "penduduk", NULL };
		rc = regprog_tab_open(&t, o->penduduk, pc, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		while ((got = tab_next(&t, e)) > 0) {
			size_t n;
			const char *k = tab_get(&t, 0, &n);
			char d[24], code[24];
			size_t nd = digits_of(k, n, d);
			if (nd != 4 && nd != 6 && nd != 10)
				continue;
			regprog_dotted(d, nd, code);
			uint32_t id = ind_strtab_find(&areas, code, strlen(code));
			if (id == UINT32_MAX)
				continue;
			size_t yl, pl;
			const char *ys = tab_get(&t, 1, &yl);
			const char *ps = tab_get(&t, 2, &pl);
			long y = parse_long(ys, yl >= 4 ? 4 : yl, 0);
			int ok;
			double p = parse_double(ps, pl, &ok);
			if (!ok || y > tahun || p <= 0)
				continue;
			if (!a[id].have_penduduk || y > a[id].penduduk_tahun) {
				a[id].penduduk = p;
				a[id].penduduk_tahun = y;
				a[id].have_penduduk = 1;
			}
		}
		rc = regprog_tab_end(&t, got, e);
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	/* BPS number of poor of the same year: the total domain of a region,
	 * or a domain named by an area code. */
	if (o->poverty) {
		static const char *const vc[] = { "tahun", "kode_wilayah", "domain",
		                                  "indikator", "estimate",
		                                  "?rse_pct", NULL };
		rc = regprog_tab_open(&t, o->poverty, vc, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		while ((got = tab_next(&t, e)) > 0) {
			size_t yl, kl, dl, il, vl;
			const char *ys = tab_get(&t, 0, &yl);
			const char *ks = tab_get(&t, 1, &kl);
			const char *ds = tab_get(&t, 2, &dl);
			const char *is = tab_get(&t, 3, &il);
			const char *vs = tab_get(&t, 4, &vl);
			if (il != 13 || memcmp(is, "jumlah_miskin", 13) != 0)
				continue;
			if (parse_long(ys, yl, 0) != tahun)
				continue;
			char code[64];
			if (dl == 5 && memcmp(ds, "total", 5) == 0)
				snprintf(code, sizeof code, "%.*s", (int)kl, ks);
			else {
				/* Domains of --by columns read "kode_kec=63.11.01". */
				const char *eq = memchr(ds, '=', dl);
				if (eq) {
					dl -= (size_t)(eq + 1 - ds);
					ds = eq + 1;
				}
				snprintf(code, sizeof code, "%.*s", (int)dl, ds);
			}
			uint32_t id = ind_strtab_find(&areas, code, strlen(code));
			int ok;
			double v = parse_double(vs, vl, &ok);
			if (id != UINT32_MAX && ok) {
				size_t rl;
				const char *rs = tab_get(&t, 5, &rl);
				int rok = 0;
				double r = rl ? parse_double(rs, rl, &rok) : NAN;
				a[id].miskin = v;
				a[id].miskin_rse = rok ? r : NAN;
				a[id].have_miskin = 1;
			}
		}
		rc = regprog_tab_end(&t, got, e);
		if (rc != ANGKA_OK)
			goto cleanup;
	}

	/* Output sorted by area code (kabupaten, its kecamatan, their desa). */
	size_t na = areas.n;
	uint32_t *order = regprog_sorted_ids(&areas);
	rc = angka_csv_writer_open(&w, o->out, 0, e);
	if (rc != ANGKA_OK) {
		free(order);
		goto cleanup;
	}
	static const char *const hdr[] = { "tahun", "kode_wilayah", "domain",
	                                   "indikator", "value", "catatan" };
	angka_csv_writer_row(w, 6, hdr);
	for (size_t i = 0; i < na; i++) {
		const char *code = ind_strtab_get(&areas, order[i]);
		struct area *ar = &a[order[i]];
		const char *dom = level_name(ar->level);
#define ROW(ind, val, note) do { \
		angka_csv_writer_long(w, tahun); \
		angka_csv_writer_str(w, code); \
		angka_csv_writer_str(w, dom); \
		angka_csv_writer_str(w, ind); \
		angka_csv_writer_double(w, val); \
		angka_csv_writer_str(w, note); \
		angka_csv_writer_end_row(w); } while (0)
		ROW("dtks_jiwa", (double)ar->persons, "");
		ROW("dtks_ruta", (double)ar->households, "distinct No KK");
		for (int f = 0; f < NFLAG; f++) {
			char ind[32];
			snprintf(ind, sizeof ind, "penerima_%s", flag_name[f]);
			/* "not recorded" is not "none": a flag empty for every
			 * person of the area (e.g. no KKS column in the extract)
			 * is published empty with a note, never as 0. */
			if (ar->flag_recorded[f])
				ROW(ind, (double)ar->flag[f], "");
			else
				ROW(ind, NAN, "tidak tercatat di ekstrak");
		}
		for (int dsl = 1; dsl <= 10; dsl++) {
			char ind[32];
			snprintf(ind, sizeof ind, "desil_%d", dsl);
			ROW(ind, (double)ar->desil[dsl], "");
		}
		ROW("desil_kosong", (double)ar->desil[0], "no desil recorded");
		if (ar->have_penduduk) {
			char note[64];
			snprintf(note, sizeof note, "penduduk tahun %ld",
			         ar->penduduk_tahun);
			ROW("penduduk", ar->penduduk, note);
			ROW("share_penduduk_pct",
			    100.0 * (double)ar->persons / ar->penduduk, note);
		}
		if (ar->have_miskin) {
			char note[160];
			double rse = ar->miskin_rse;
			if (isfinite(rse))
				snprintf(note, sizeof note, "hitung: estimasi Susenas "
				         "angka, RSE %.1f%% (%s)", rse,
				         rse <= 25 ? "reliable" : rse <= 50 ? "caution"
				         : "unreliable");
			else
				snprintf(note, sizeof note, "hitung: estimasi Susenas "
				         "angka, RSE tidak tersedia");
			ROW("jumlah_miskin_bps", ar->miskin, note);
			/* A ratio to a survey estimate carries its RSE; withheld
			 * (never silently missing) when the estimate is 0, has no
			 * RSE, or is unreliable (RSE > 50 %, BPS). */
			if (!(ar->miskin > 0))
				ROW("dtks_per_miskin", NAN, "ditahan: estimasi jumlah "
				    "miskin 0 (tidak dapat diestimasi)");
			else if (!isfinite(rse) || rse > 50) {
				char wn[200];
				snprintf(wn, sizeof wn, "ditahan: %s", note);
				ROW("dtks_per_miskin", NAN, wn);
			} else
				ROW("dtks_per_miskin", (double)ar->persons / ar->miskin,
				    note);
		}
#undef ROW
	}
	free(order);
	if (unplaced) {
		angka_csv_writer_long(w, tahun);
		angka_csv_writer_str(w, "");
		angka_csv_writer_str(w, "tanpa_wilayah");
		angka_csv_writer_str(w, "dtks_jiwa");
		angka_csv_writer_double(w, (double)unplaced);
		angka_csv_writer_str(w, "persons without a desa code");
		angka_csv_writer_end_row(w);
	}
	rc = angka_check_balance(st->rows_in, st->rows_out,
	                         st->rows_quarantined, 0, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	rc = angka_csv_writer_commit(w, e);
	w = NULL;
cleanup:
	if (w)
		angka_csv_writer_abort(w);
	free(a);
	ind_strtab_release(&areas);
	ind_strtab_release(&kks);
	return rc;
}
