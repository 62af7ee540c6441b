/*
 * programmes.c - the programme (KUBE/UEP) indicators of angka-indicators
 * (--mode programme; see regprog.h): each recipient checked against the
 * registry and the group rules, the aggregates and the private list of
 * violations.
 */
#include "regprog_int.h"
#include "publish.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Programmes.                                                         */

struct prow {
	uint32_t file;        /* interned src_file */
	long line;
	int uep;              /* 0 KUBE, 1 UEP */
	long tahun;
	uint32_t group;       /* interned "tahun|id_kelompok" (KUBE) */
	uint32_t person;      /* interned person key */
	uint32_t kec;         /* interned kecamatan key ("" if unknown) */
	int in_registry;
	double nilai;
	int have_nilai;
};

struct violation {
	size_t row;
	const char *rule;
	char detail[96];
};

static int cmp_viol(const void *a, const void *b, void *rows_)
{
	(void)rows_;
	const struct violation *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

/* Load "rowkey -> value" pairs (rowkey = src_file \x1f src_line). */
static enum angka_err load_rowmap(const char *path, const char *valcol,
                                  const char *valcol2, struct ind_strtab *keys,
                                  struct ind_strtab *vals, uint32_t **map,
                                  size_t *mapcap, uint32_t **map2,
                                  size_t *map2cap, struct angka_error *e)
{
	const char *cols[] = { "src_file", "src_line", valcol, valcol2, NULL };
	struct tab t;
	enum angka_err rc = regprog_tab_open(&t, path, cols, e);
	if (rc != ANGKA_OK)
		return rc;
	int got;
	while ((got = tab_next(&t, e)) > 0) {
		size_t fl, ll, vl;
		const char *f = tab_get(&t, 0, &fl);
		const char *l = tab_get(&t, 1, &ll);
		char key[1024];
		int kl = snprintf(key, sizeof key, "%.*s\x1f%.*s", (int)fl, f, (int)ll, l);
		if (kl < 0 || (size_t)kl >= sizeof key)
			continue;
		uint32_t k = ind_strtab_intern(keys, key, (size_t)kl);
		const char *v = tab_get(&t, 2, &vl);
		uint32_t vid = ind_strtab_intern(vals, v, vl);
		*map = grow_zero(*map, mapcap, (size_t)k + 1, sizeof **map);
		(*map)[k] = vid + 1;
		if (map2 && valcol2) {
			const char *v2 = tab_get(&t, 3, &vl);
			uint32_t v2id = ind_strtab_intern(vals, v2, vl);
			*map2 = grow_zero(*map2, map2cap, (size_t)k + 1, sizeof **map2);
			(*map2)[k] = v2id + 1;
		}
	}
	return regprog_tab_end(&t, got, e);
}

enum angka_err regprog_programme_run(const struct regprog_opts *o,
                                     struct regprog_stats *st,
                                     struct angka_error *e)
{
	memset(st, 0, sizeof *st);
	enum angka_err rc = ANGKA_OK;
	struct ind_strtab rowkeys, vals, persons, strs;
	ind_strtab_init(&rowkeys);
	ind_strtab_init(&vals);
	ind_strtab_init(&persons);
	ind_strtab_init(&strs);
	uint32_t *nik_of = NULL, *cluster_of = NULL, *kode_of = NULL, *dummy = NULL;
	size_t nikcap = 0, clcap = 0, kodecap = 0, dcap = 0;
	struct prow *rows = NULL;
	size_t nrows = 0, rowcap = 0;
	struct violation *viol = NULL;
	size_t nviol = 0, violcap = 0;
	struct angka_csv_writer *w = NULL, *vw = NULL;
	/* NIK -> person key (cluster id), via the registry files. */
	struct ind_strtab nik2;
	ind_strtab_init(&nik2);
	uint32_t *nik_cluster = NULL, *nik_kode = NULL;
	size_t nccap = 0, nkcap = 0;

	if (!o->registry) {
		rc = ANGKA_ERR(e, ANGKA_EUSAGE,
		               "programme mode needs --registry (dedup's unique persons)");
		goto cleanup;
	}
	if (o->normalized) {
		rc = load_rowmap(o->normalized, "nik", NULL, &rowkeys, &vals, &nik_of,
		                 &nikcap, NULL, NULL, e);
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	rc = load_rowmap(o->registry, "cluster_id", "kode_wilayah", &rowkeys, &vals,
	                 &cluster_of, &clcap, &kode_of, &kodecap, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if (o->duplicates) {
		rc = load_rowmap(o->duplicates, "cluster_id", NULL, &rowkeys, &vals,
		                 &cluster_of, &clcap, NULL, NULL, e);
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	(void)dummy;
	(void)dcap;
	/* The unique file carries its own NIK column too. */
	{
		static const char *const uc[] = { "nik", "cluster_id", "kode_wilayah", NULL };
		struct tab t;
		rc = regprog_tab_open(&t, o->registry, uc, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		int got;
		while ((got = tab_next(&t, e)) > 0) {
			size_t nl, cl, kl;
			const char *nik = tab_get(&t, 0, &nl);
			const char *cl_ = tab_get(&t, 1, &cl);
			const char *ko = tab_get(&t, 2, &kl);
			if (nl != 16)
				continue;
			uint32_t id = ind_strtab_intern(&nik2, nik, nl);
			nik_cluster = grow_zero(nik_cluster, &nccap, (size_t)id + 1,
			                        sizeof *nik_cluster);
			nik_kode = grow_zero(nik_kode, &nkcap, (size_t)id + 1,
			                     sizeof *nik_kode);
			nik_cluster[id] = ind_strtab_intern(&vals, cl_, cl) + 1;
			nik_kode[id] = ind_strtab_intern(&vals, ko, kl) + 1;
		}
		rc = regprog_tab_end(&t, got, e);
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	/* NIKs of duplicate rows map to their cluster as well. */
	for (uint32_t k = 0; k < rowkeys.n; k++) {
		if (k >= nikcap || k >= clcap || !nik_of[k] || !cluster_of[k])
			continue;
		const char *nik = ind_strtab_get(&vals, nik_of[k] - 1);
		size_t nl = strlen(nik);
		if (nl != 16)
			continue;
		uint32_t id = ind_strtab_intern(&nik2, nik, nl);
		nik_cluster = grow_zero(nik_cluster, &nccap, (size_t)id + 1,
		                        sizeof *nik_cluster);
		nik_kode = grow_zero(nik_kode, &nkcap, (size_t)id + 1, sizeof *nik_kode);
		if (!nik_cluster[id]) {
			nik_cluster[id] = cluster_of[k];
			nik_kode[id] = k < kodecap ? kode_of[k] : 0;
		}
	}

	/* Read the programme rows. */
	static const char *const pc[] = {
		"src_file", "src_line", "program", "?id_kelompok", "nik",
		"?kode_wilayah", "?kecamatan", "tahun", "?nilai_bantuan", NULL
	};
	enum { P_FILE, P_LINE, P_PROG, P_GROUP, P_NIK, P_KODE, P_KEC, P_TAHUN, P_NILAI };
	for (size_t f = 0; f < o->nfiles; f++) {
		struct tab t;
		rc = regprog_tab_open(&t, o->files[f], pc, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		int got;
		while ((got = tab_next(&t, e)) > 0) {
			st->rows_in++;
			rows = grow_zero(rows, &rowcap, nrows + 1, sizeof *rows);
			struct prow *r = &rows[nrows++];
			size_t n;
			const char *s = tab_get(&t, P_FILE, &n);
			r->file = ind_strtab_intern(&strs, s, n);
			s = tab_get(&t, P_LINE, &n);
			r->line = parse_long(s, n, 0);
			s = tab_get(&t, P_PROG, &n);
			r->uep = n == 3 && strncasecmp(s, "uep", 3) == 0;
			s = tab_get(&t, P_TAHUN, &n);
			r->tahun = parse_long(s, n, 0);
			size_t gl;
			const char *g = tab_get(&t, P_GROUP, &gl);
			char key[256];
			int kl = snprintf(key, sizeof key, "%ld|%.*s", r->tahun,
			                  (int)(gl < 200 ? gl : 200), g);
			r->group = ind_strtab_intern(&strs, key, (size_t)kl);
			size_t nl;
			const char *nik = tab_get(&t, P_NIK, &nl);
			uint32_t nid = nl == 16 ? ind_strtab_find(&nik2, nik, nl) : UINT32_MAX;
			const char *kode_reg = "";
			if (nid != UINT32_MAX && nid < nccap && nik_cluster[nid]) {
				r->in_registry = 1;
				kl = snprintf(key, sizeof key, "C:%s",
				              ind_strtab_get(&vals, nik_cluster[nid] - 1));
				if (nid < nkcap && nik_kode[nid])
					kode_reg = ind_strtab_get(&vals, nik_kode[nid] - 1);
			} else if (nl == 16) {
				kl = snprintf(key, sizeof key, "N:%.*s", (int)nl, nik);
			} else {
				kl = snprintf(key, sizeof key, "R:%zu", nrows);
			}
			r->person = ind_strtab_intern(&persons, key, (size_t)kl);
			/* Kecamatan: the list's own code, else the registry's, else
			 * the kecamatan name. */
			size_t kol;
			const char *ko = tab_get(&t, P_KODE, &kol);
			char d[24], code[24];
			if (digits_of(ko, kol, d) >= 6 ||
			    digits_of(kode_reg, strlen(kode_reg), d) >= 6) {
				regprog_dotted(d, 6, code);
				r->kec = ind_strtab_intern(&strs, code, strlen(code));
			} else {
				size_t kn;
				const char *kn_ = tab_get(&t, P_KEC, &kn);
				char up[128];
				size_t u = 0;
				for (size_t i = 0; i < kn && u < sizeof up - 1; i++)
					if (!isspace((unsigned char)kn_[i]))
						up[u++] = (char)toupper((unsigned char)kn_[i]);
				up[u] = '\0';
				r->kec = ind_strtab_intern(&strs, up, u);
			}
			size_t vl;
			const char *v = tab_get(&t, P_NILAI, &vl);
			int ok;
			r->nilai = parse_double(v, vl, &ok);
			r->have_nilai = ok;
		}
		rc = regprog_tab_end(&t, got, e);
		if (rc != ANGKA_OK)
			goto cleanup;
	}

#define VIOL(i, r_, ...) do { \
	viol = grow_zero(viol, &violcap, nviol + 1, sizeof *viol); \
	viol[nviol].row = (i); viol[nviol].rule = (r_); \
	snprintf(viol[nviol].detail, sizeof viol[nviol].detail, __VA_ARGS__); \
	nviol++; } while (0)

	/* Rule 1: every recipient in the registry. */
	for (size_t i = 0; i < nrows; i++)
		if (!rows[i].in_registry)
			VIOL(i, "not_in_registry", "NIK not found in the DTKS of the period");
	/* Rules 2 and 3: KUBE group size and one kecamatan per group. */
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].uep)
			continue;
		size_t first = nrows, members = 0;
		int multi_kec = 0;
		for (size_t j = 0; j < nrows; j++) {
			if (rows[j].uep || rows[j].group != rows[i].group)
				continue;
			if (first == nrows)
				first = j;
			members++;
			if (rows[j].kec != rows[i].kec)
				multi_kec = 1;
		}
		if (first != i)
			continue; /* report once per group, on its first row */
		if ((long)members < o->set.kube_min || (long)members > o->set.kube_max)
			VIOL(i, "group_size", "group of %zu members (limits %ld-%ld)",
			     members, o->set.kube_min, o->set.kube_max);
		if (multi_kec)
			VIOL(i, "group_multi_kecamatan", "members live in more than "
			     "one kecamatan");
	}
	/* Rule 4: nobody in two KUBE groups in one year. */
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].uep)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (!rows[j].uep && rows[j].person == rows[i].person &&
			    rows[j].tahun == rows[i].tahun &&
			    rows[j].group != rows[i].group) {
				VIOL(i, "two_groups_same_year",
				     "also in another group this year (line %ld)",
				     rows[j].line);
				break;
			}
		}
	}
	/* Rule 5: no repeat UEP recipient within uep_repeat_years. */
	for (size_t i = 0; i < nrows; i++) {
		if (!rows[i].uep)
			continue;
		for (size_t j = 0; j < nrows; j++) {
			if (j == i || !rows[j].uep || rows[j].person != rows[i].person)
				continue;
			long gap = rows[i].tahun - rows[j].tahun;
			if (gap > 0 && gap < o->set.uep_repeat_years) {
				VIOL(i, "uep_repeat", "UEP received in %ld too (%ld years "
				     "before; limit %ld)", rows[j].tahun, gap,
				     o->set.uep_repeat_years);
				break;
			}
		}
	}
#undef VIOL
	st->violations = nviol;
	st->rows_out = nrows;

	/* programme_violations.csv (private), in source order. */
	qsort_r(viol, nviol, sizeof *viol, cmp_viol, rows);
	if (o->violations) {
		rc = angka_csv_writer_open(&vw, o->violations, ANGKA_CSV_WRITER_PRIVATE, e);
		if (rc != ANGKA_OK)
			goto cleanup;
		static const char *const vh[] = { "src_file", "src_line", "program",
		                                  "tahun", "id_kelompok", "rule",
		                                  "detail" };
		angka_csv_writer_row(vw, 7, vh);
		for (size_t v = 0; v < nviol; v++) {
			struct prow *r = &rows[viol[v].row];
			angka_csv_writer_str(vw, ind_strtab_get(&strs, r->file));
			angka_csv_writer_long(vw, r->line);
			angka_csv_writer_str(vw, r->uep ? "uep" : "kube");
			angka_csv_writer_long(vw, r->tahun);
			const char *g = strchr(ind_strtab_get(&strs, r->group), '|');
			angka_csv_writer_str(vw, r->uep ? "" : (g ? g + 1 : ""));
			angka_csv_writer_str(vw, viol[v].rule);
			angka_csv_writer_str(vw, viol[v].detail);
			angka_csv_writer_end_row(vw);
		}
	}

	/* programmes.csv: aggregates per year, programme and kecamatan. */
	rc = angka_csv_writer_open(&w, o->out, 0, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	angka_publish_apply(w);
	static const char *const ph[] = { "tahun", "kode_wilayah", "program",
	                                  "indikator", "value" };
	angka_csv_writer_row(w, 5, ph);
	/* Distinct (tahun, program) and (tahun, program, kec), sorted. */
	struct ind_strtab keys;
	ind_strtab_init(&keys);
	for (size_t i = 0; i < nrows; i++) {
		char k[160];
		int kl = snprintf(k, sizeof k, "%04ld|%s|", rows[i].tahun,
		                  rows[i].uep ? "uep" : "kube");
		ind_strtab_intern(&keys, k, (size_t)kl);
		kl = snprintf(k, sizeof k, "%04ld|%s|%s", rows[i].tahun,
		              rows[i].uep ? "uep" : "kube",
		              ind_strtab_get(&strs, rows[i].kec));
		ind_strtab_intern(&keys, k, (size_t)kl);
	}
	size_t nk = keys.n;
	uint32_t *ord = regprog_sorted_ids(&keys);
	for (size_t q = 0; q < nk; q++) {
		char key[160];
		snprintf(key, sizeof key, "%s", ind_strtab_get(&keys, ord[q]));
		char *p1 = strchr(key, '|');
		char *p2 = p1 ? strchr(p1 + 1, '|') : NULL;
		if (!p1 || !p2)
			continue;
		*p1 = '\0';
		*p2 = '\0';
		long tahun = atol(key);
		int uep = strcmp(p1 + 1, "uep") == 0;
		const char *kec = p2 + 1;
		int total = *kec == '\0';
		uint64_t pen = 0, reg = 0;
		double nilai = 0;
		struct ind_strtab groups;
		ind_strtab_init(&groups);
		for (size_t i = 0; i < nrows; i++) {
			struct prow *r = &rows[i];
			if (r->tahun != tahun || r->uep != uep)
				continue;
			if (!total && strcmp(ind_strtab_get(&strs, r->kec), kec) != 0)
				continue;
			pen++;
			reg += (uint64_t)r->in_registry;
			if (r->have_nilai)
				nilai += r->nilai;
			if (!uep) {
				char g[16];
				int gl = snprintf(g, sizeof g, "%u", r->group);
				ind_strtab_intern(&groups, g, (size_t)gl);
			}
		}
		const char *area = total ? "total" : kec;
#define PROW(ind, val) do { \
		angka_csv_writer_long(w, tahun); \
		angka_csv_writer_str(w, area); \
		angka_csv_writer_str(w, uep ? "uep" : "kube"); \
		angka_csv_writer_str(w, ind); \
		angka_csv_writer_double(w, val); \
		angka_csv_writer_end_row(w); } while (0)
		PROW("penerima", (double)pen);
		PROW("penerima_terdaftar_dtks", (double)reg);
		if (!uep)
			PROW("kelompok", (double)groups.n);
		PROW("nilai_bantuan_rp", nilai);
		if (total) {
			static const char *const rules[] = {
				"not_in_registry", "group_size", "group_multi_kecamatan",
				"two_groups_same_year", "uep_repeat", NULL
			};
			for (size_t ru = 0; rules[ru]; ru++) {
				if (uep && (ru == 1 || ru == 2 || ru == 3))
					continue;
				if (!uep && ru == 4)
					continue;
				uint64_t c = 0;
				for (size_t v = 0; v < nviol; v++) {
					struct prow *r = &rows[viol[v].row];
					if (r->tahun == tahun && r->uep == uep &&
					    strcmp(viol[v].rule, rules[ru]) == 0)
						c++;
				}
				char ind[64];
				snprintf(ind, sizeof ind, "pelanggaran_%s", rules[ru]);
				PROW(ind, (double)c);
			}
		}
#undef PROW
		ind_strtab_release(&groups);
	}
	free(ord);
	ind_strtab_release(&keys);
	if (vw) {
		rc = angka_csv_writer_commit(vw, e);
		vw = NULL;
		if (rc != ANGKA_OK)
			goto cleanup;
	}
	rc = angka_csv_writer_commit(w, e);
	w = NULL;
cleanup:
	if (w)
		angka_csv_writer_abort(w);
	if (vw)
		angka_csv_writer_abort(vw);
	free(nik_of);
	free(cluster_of);
	free(kode_of);
	free(nik_cluster);
	free(nik_kode);
	free(rows);
	free(viol);
	ind_strtab_release(&rowkeys);
	ind_strtab_release(&vals);
	ind_strtab_release(&persons);
	ind_strtab_release(&strs);
	ind_strtab_release(&nik2);
	return rc;
}
