/*
 * registry.c - the registry (DTKS) indicators of angka-indicators
 * (--mode registry; see regprog.h): persons, households, programme flags
 * and desil per area, with the population and the estimated poor.
 */
#include "regprog_int.h"
#include "publish.h"

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
	uint32_t hidden;             /* bit per count cell: suppressed */
	double penduduk;
	long penduduk_tahun;         /* latest year <= tahun, then the table's */
	int have_penduduk;           /* 1: a row of the table's year; 2: only
	                                rows of other years */
	double bps;                  /* published BPS number of poor */
	char bps_periode[16];
	int have_bps;
	double miskin;
	double miskin_rse;           /* NaN: none (SE withheld or absent) */
	int have_miskin;
	int level;                   /* 4, 6 or 10 digits */
};

static const char *level_name(int level)
{
	return level == 4 ? "kabupaten" : level == 6 ? "kecamatan" : "desa";
}

/*
 * Suppression of small counts, as statistical offices publish tables: a
 * desa count from 1 to min_cell - 1 is not published (primary), nor is any
 * count from which it could be computed back (secondary): where a group of
 * cells adds up to a published total and exactly one of them is hidden,
 * the smallest other one is hidden too. The groups: the desa of one
 * kecamatan for each count (they add up to the kecamatan's count; if no
 * other desa is left, the kecamatan's count is hidden, and the same rule
 * runs for the kecamatan of the kabupaten), and desil_1..10 with
 * desil_kosong of one area (they add up to dtks_jiwa). Zeros are
 * published. Cells: 0 persons, 1 households, 2.. flags, then desil 1..10,
 * then desil_kosong.
 */
enum { CELL_PERSONS, CELL_HH, CELL_FLAG, CELL_DESIL = CELL_FLAG + NFLAG,
       CELL_DESIL0 = CELL_DESIL + 10, NCELL };

static uint64_t cell(const struct area *a, int c)
{
	return c == CELL_PERSONS ? a->persons : c == CELL_HH ? a->households :
	       c < CELL_DESIL ? a->flag[c - CELL_FLAG] :
	       c < CELL_DESIL0 ? a->desil[c - CELL_DESIL + 1] : a->desil[0];
}

/* Hide, among the members m[0..n) of a group (area ids), the smallest
 * visible cell c, non-zero first; 1 if one was hidden. */
static int hide_smallest(struct area *a, const uint32_t *m, size_t n, int c)
{
	long best = -1;
	for (int pass = 0; pass < 2 && best < 0; pass++)
		for (size_t i = 0; i < n; i++) {
			struct area *x = &a[m[i]];
			if ((x->hidden >> c & 1) || (pass == 0 && !cell(x, c)))
				continue;
			if (best < 0 || cell(x, c) < cell(&a[m[best]], c))
				best = (long)i;
		}
	if (best < 0)
		return 0;
	a[m[best]].hidden |= 1u << c;
	return 1;
}

/* Apply the rule above to the areas (ids sorted by code in order[]). */
static void suppress_small(struct area *a, const struct ind_strtab *areas,
                           const uint32_t *order, size_t na, long min_cell)
{
	for (size_t i = 0; i < na; i++) {
		struct area *x = &a[order[i]];
		for (int c = 0; c < NCELL && x->level == 10; c++) {
			uint64_t v = cell(x, c);
			if (v > 0 && v < (uint64_t)min_cell)
				x->hidden |= 1u << c;
		}
	}
	uint32_t *m = malloc((na ? na : 1) * sizeof *m);
	if (!m)
		return;  /* nothing secondary: the caller fails on write anyway */
	int changed = 1;
	while (changed) {
		changed = 0;
		/* Areas of one parent (by code prefix), for each level. */
		for (size_t i = 0; i < na; i++) {
			struct area *p = &a[order[i]];
			if (p->level == 10)
				continue;
			const char *pc = ind_strtab_get(areas, order[i]);
			size_t pl = strlen(pc), n = 0;
			int child = p->level == 4 ? 6 : 10;
			for (size_t j = i + 1; j < na; j++) {
				const char *cc = ind_strtab_get(areas, order[j]);
				if (strncmp(cc, pc, pl) != 0 || cc[pl] != '.')
					break;
				if (a[order[j]].level == child)
					m[n++] = order[j];
			}
			for (int c = 0; c < NCELL; c++) {
				size_t hid = 0;
				for (size_t k = 0; k < n; k++)
					hid += a[m[k]].hidden >> c & 1;
				if (hid != 1)
					continue;
				if (hide_smallest(a, m, n, c)) {
					changed = 1;
				} else if (!(p->hidden >> c & 1)) {
					p->hidden |= 1u << c;
					changed = 1;
				}
			}
		}
		/* The desil cells of each area, against its dtks_jiwa. */
		for (size_t i = 0; i < na; i++) {
			struct area *x = &a[order[i]];
			int hid = 0;
			for (int c = CELL_DESIL; c <= CELL_DESIL0; c++)
				hid += x->hidden >> c & 1;
			if (hid != 1 || (x->hidden & 1u << CELL_PERSONS))
				continue;
			long best = -1;
			for (int pass = 0; pass < 2 && best < 0; pass++)
				for (int c = CELL_DESIL; c <= CELL_DESIL0; c++) {
					if ((x->hidden >> c & 1) ||
					    (pass == 0 && !cell(x, c)))
						continue;
					if (best < 0 || cell(x, c) < cell(x, (int)best))
						best = c;
				}
			if (best >= 0) {
				x->hidden |= 1u << best;
				changed = 1;
			}
		}
	}
	free(m);
}

/* The rows of every area (ids sorted by code in order[]); with suppress,
 * hidden cells empty with a note, else every cell (the internal copy). */
static void write_areas(struct angka_csv_writer *w, const struct area *a,
                        const struct ind_strtab *areas, const uint32_t *order,
                        size_t na, long tahun, long pop_year, long min_cell,
                        int suppress)
{
	char hid_note[96];
	snprintf(hid_note, sizeof hid_note, "disembunyikan: kurang dari %ld "
	         "atau membuka sel lain", min_cell);
	for (size_t i = 0; i < na; i++) {
		const char *code = ind_strtab_get(areas, order[i]);
		const struct area *ar = &a[order[i]];
		uint32_t hidden = suppress ? ar->hidden : 0;
		const char *dom = level_name(ar->level);
#define ROWC(c, ind, val, note) do { \
		angka_csv_writer_long(w, tahun); \
		angka_csv_writer_str(w, code); \
		angka_csv_writer_str(w, dom); \
		angka_csv_writer_str(w, ind); \
		if ((c) >= 0 && (hidden >> (c) & 1)) \
			angka_csv_writer_str(w, ""); \
		else \
			angka_csv_writer_double(w, val); \
		angka_csv_writer_str(w, (c) >= 0 && (hidden >> (c) & 1) ? \
		                     hid_note : (note)); \
		angka_csv_writer_end_row(w); } while (0)
#define ROW(ind, val, note) ROWC(-1, ind, val, note)
		ROWC(CELL_PERSONS, "dtks_jiwa", (double)ar->persons, "");
		ROWC(CELL_HH, "dtks_ruta", (double)ar->households, "distinct No KK");
		for (int f = 0; f < NFLAG; f++) {
			char ind[32];
			snprintf(ind, sizeof ind, "penerima_%s", flag_name[f]);
			/* "not recorded" is not "none": a flag empty for every
			 * person of the area (e.g. no KKS column in the extract)
			 * is published empty with a note, never as 0. */
			if (ar->flag_recorded[f])
				ROWC(CELL_FLAG + f, ind, (double)ar->flag[f], "");
			else
				ROW(ind, NAN, "tidak tercatat di ekstrak");
		}
		for (int dsl = 1; dsl <= 10; dsl++) {
			char ind[32];
			snprintf(ind, sizeof ind, "desil_%d", dsl);
			ROWC(CELL_DESIL + dsl - 1, ind, (double)ar->desil[dsl], "");
		}
		ROWC(CELL_DESIL0, "desil_kosong", (double)ar->desil[0],
		     "no desil recorded");
		/* Shares and ratios of a hidden dtks_jiwa would reveal it. */
		int hp = (hidden & 1u << CELL_PERSONS) != 0;
		if (ar->have_penduduk) {
			char note[64];
			snprintf(note, sizeof note, "penduduk tahun %ld",
			         pop_year);
			if (ar->have_penduduk == 1) {
				ROW("penduduk", ar->penduduk, note);
				ROWC(hp ? CELL_PERSONS : -1, "share_penduduk_pct",
				     100.0 * (double)ar->persons / ar->penduduk,
				     note);
			} else {
				snprintf(note, sizeof note, "penduduk tahun %ld "
				         "tidak tersedia", pop_year);
				ROW("penduduk", NAN, note);
				ROW("share_penduduk_pct", NAN, note);
			}
		}
		/* The published figure, labelled as BPS's, and the ratio to it. */
		if (ar->have_bps) {
			char note[64];
			snprintf(note, sizeof note, "terbitan BPS periode %s",
			         ar->bps_periode);
			ROW("jumlah_miskin_bps", ar->bps, note);
			if (ar->bps > 0)
				ROWC(hp ? CELL_PERSONS : -1, "dtks_per_miskin_bps",
				     (double)ar->persons / ar->bps, note);
			else
				ROW("dtks_per_miskin_bps", NAN, "ditahan: "
				    "jumlah miskin terbitan 0");
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
			ROW("jumlah_miskin_hitung", ar->miskin, note);
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
				ROWC(hp ? CELL_PERSONS : -1, "dtks_per_miskin",
				     (double)ar->persons / ar->miskin, note);
		}
#undef ROW
#undef ROWC
	}
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
	struct angka_csv_writer *w = NULL, *wi = NULL;
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

	/*
	 * Population: one year for the whole table, so that the kecamatan
	 * shares and the kabupaten share are comparable: the latest year
	 * <= tahun that every area with a population row has (Balangan: the
	 * kecamatan have only 2010, so 2010 for the kabupaten too, although
	 * it has 2024). First pass: each area's latest year; second pass: the
	 * values of that year (first row wins a tie). An area without a row
	 * of that year gets an empty penduduk with a note.
	 */
	long pop_year = 0;
	for (int pass = 0; o->penduduk && pass < 2; pass++) {
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
			struct area *ar = &a[id];
			if (pass == 0) {
				if (!ar->have_penduduk || y > ar->penduduk_tahun) {
					ar->penduduk_tahun = y;
					ar->have_penduduk = 2;
				}
			} else if (y == pop_year && ar->have_penduduk == 2) {
				ar->penduduk = p;
				ar->penduduk_tahun = y;
				ar->have_penduduk = 1;
			}
		}
		rc = regprog_tab_end(&t, got, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		if (pass == 0)
			for (size_t i = 0; i < areas.n; i++)
				if (a[i].have_penduduk &&
				    (!pop_year || a[i].penduduk_tahun < pop_year))
					pop_year = a[i].penduduk_tahun;
	}
	/*
	 * The published BPS number of poor (normalized terbitan table) of the
	 * registry's year: March (the SUSENAS period) if published, else the
	 * latest period of that year.
	 */
	if (o->terbitan) {
		static const char *const tc[] = { "kode_wilayah", "tahun",
		                                  "periode", "jumlah_miskin", NULL };
		rc = regprog_tab_open(&t, o->terbitan, tc, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		while ((got = tab_next(&t, e)) > 0) {
			size_t n, yl, pl, vl;
			const char *k = tab_get(&t, 0, &n);
			const char *ys = tab_get(&t, 1, &yl);
			const char *ps = tab_get(&t, 2, &pl);
			const char *vs = tab_get(&t, 3, &vl);
			char d[24], code[24];
			size_t nd = digits_of(k, n, d);
			if ((nd != 4 && nd != 6 && nd != 10) ||
			    parse_long(ys, yl, 0) != tahun || !vl)
				continue;
			int ok;
			double v = parse_double(vs, vl, &ok);
			if (!ok || v < 0)
				continue;
			regprog_dotted(d, nd, code);
			uint32_t id = ind_strtab_find(&areas, code, strlen(code));
			if (id == UINT32_MAX)
				continue;
			struct area *ar = &a[id];
			char per[16];
			snprintf(per, sizeof per, "%.*s", (int)(pl < 15 ? pl : 15), ps);
			int march = pl == 7 && memcmp(ps + 4, "-03", 3) == 0;
			int had_march = ar->have_bps &&
			                strlen(ar->bps_periode) == 7 &&
			                memcmp(ar->bps_periode + 4, "-03", 3) == 0;
			if (ar->have_bps && (had_march ||
			    (!march && strcmp(per, ar->bps_periode) <= 0)))
				continue;
			ar->bps = v;
			memcpy(ar->bps_periode, per, sizeof per);
			ar->have_bps = 1;
		}
		rc = regprog_tab_end(&t, got, e);
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	/* angka's estimated number of poor of the same year: the total
	 * domain of a region, or a domain named by an area code. */
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
	/* The internal copy first: every count, before suppression. */
	for (int pub = o->unsuppressed ? 0 : 1; pub < 2; pub++) {
		struct angka_csv_writer **wp = pub ? &w : &wi;
		rc = angka_csv_writer_open(wp, pub ? o->out : o->unsuppressed, 0,
		                           e);
		if (rc != ANGKA_OK) {
			free(order);
			goto cleanup;
		}
		angka_publish_apply(*wp);
		static const char *const hdr[] = { "tahun", "kode_wilayah",
		                                   "domain", "indikator", "value",
		                                   "catatan" };
		angka_csv_writer_row(*wp, 6, hdr);
		if (pub)
			suppress_small(a, &areas, order, na, o->set.min_cell);
		write_areas(*wp, a, &areas, order, na, tahun, pop_year,
		            o->set.min_cell, pub);
		if (unplaced) {
			angka_csv_writer_long(*wp, tahun);
			angka_csv_writer_str(*wp, "");
			angka_csv_writer_str(*wp, "tanpa_wilayah");
			angka_csv_writer_str(*wp, "dtks_jiwa");
			angka_csv_writer_double(*wp, (double)unplaced);
			angka_csv_writer_str(*wp, "persons without a desa code");
			angka_csv_writer_end_row(*wp);
		}
	}
	free(order);
	rc = angka_check_balance(st->rows_in, st->rows_out,
	                         st->rows_quarantined, 0, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (wi) {
		rc = angka_csv_writer_commit(wi, e);
		wi = NULL;
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	rc = angka_csv_writer_commit(w, e);
	w = NULL;
cleanup:
	if (w)
		angka_csv_writer_abort(w);
	if (wi)
		angka_csv_writer_abort(wi);
	free(a);
	ind_strtab_release(&areas);
	ind_strtab_release(&kks);
	return rc;
}
