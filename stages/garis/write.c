/*
 * write.c - angka-garis's outputs: the lines in the long format, the
 * commodity contributions, the price what-if and the --explain tables.
 * Every file through csv_writer (temporary file + rename).
 */
#include "garis_int.h"
#include "publish.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const dom_name[3] = { "perkotaan", "perdesaan", "total" };
static const char *const stat_name[4] = { "GK", "GKM", "GKNM", "porsi_makanan_pct" };

/* Statistic s of region r, domain dom (0, 1 areas; 2 total). */
static double gstat(const struct garis_result *x, size_t r, int dom, int s)
{
	double gk, gkm, gknm;
	if (dom < 2) {
		const struct garis_cell *c = &x->cell[r * GARIS_NAREA + dom];
		gk = c->gk, gkm = c->gkm, gknm = c->gknm;
	} else {
		gkm = x->tot[3 * r], gknm = x->tot[3 * r + 1], gk = x->tot[3 * r + 2];
	}
	switch (s) {
	case 0: return gk;
	case 1: return gkm;
	case 2: return gknm;
	default: return 100.0 * gkm / gk;
	}
}

int garis_dom_ok(const struct garis_result *x, size_t r, int dom)
{
	return dom == 2 || x->cell[r * GARIS_NAREA + dom].ok;
}

double garis_stat(const struct garis_result *x, size_t r, int dom, int s)
{
	return gstat(x, r, dom, s);
}

static enum angka_err commit(struct angka_csv_writer *w, struct angka_error *e)
{
	return angka_csv_writer_commit(w, e);
}

static void hdr(struct angka_csv_writer *w, const char *const *h, size_t n)
{
	angka_csv_writer_row(w, n, h);
}

static void dbl(struct angka_csv_writer *w, double v)
{
	angka_csv_writer_double(w, v);
}

static enum angka_err write_lines(const struct garis_opts *o,
                                  const struct garis_data *d,
                                  const struct garis_result *b,
                                  const double *se, struct angka_error *e)
{
	struct angka_csv_writer *w;
	enum angka_err rc = angka_csv_writer_open(&w, o->out, o->writer_flags, e);
	if (rc)
		return rc;
	angka_publish_apply(w);
	static const char *const h[] = { "tahun", "kode_wilayah", "domain", "indikator",
	                                  "estimate", "se", "n_obs", "n_psu", "catatan" };
	hdr(w, h, 9);
	unsigned char *seen = angka_xcalloc(d->nunits ? d->nunits : 1, 1);
	for (size_t r = 0; r < d->nreg; r++)
		for (int dom = 0; dom < 3; dom++) {
			if (!garis_dom_ok(b, r, dom))
				continue;
			size_t nobs = 0, npsu = 0;
			memset(seen, 0, d->nunits);
			for (size_t i = 0; i < d->nhh; i++)
				if (d->hh[i].region == r && (dom == 2 || d->hh[i].area == dom)) {
					nobs++;
					if (!seen[d->hh[i].unit]++)
						npsu++;
				}
			char note[96] = "";
			if (dom < 2)
				snprintf(note, sizeof note, "penduduk referensi %zu ruta",
				         b->cell[r * GARIS_NAREA + dom].nref);
			else
				snprintf(note, sizeof note, "rata-rata perkotaan dan perdesaan tertimbang penduduk");
			for (int s = 0; s < 4; s++) {
				angka_csv_writer_long(w, o->tahun);
				angka_csv_writer_str(w, d->reg[r].kode);
				angka_csv_writer_str(w, dom_name[dom]);
				angka_csv_writer_str(w, stat_name[s]);
				dbl(w, gstat(b, r, dom, s));
				if (se)
					dbl(w, se[(r * 3 + (size_t)dom) * 4 + (size_t)s]);
				else
					angka_csv_writer_str(w, "");
				angka_csv_writer_long(w, (long long)nobs);
				angka_csv_writer_long(w, (long long)npsu);
				angka_csv_writer_str(w, note);
				angka_csv_writer_end_row(w);
			}
		}
	free(seen);
	return commit(w, e);
}

/* Items of one region-domain sorted: food first, each by value descending. */
struct citem { size_t k; double v; int food; };
static int cmp_citem(const void *a, const void *b)
{
	const struct citem *x = a, *y = b;
	if (x->food != y->food)
		return y->food - x->food;
	if (x->v != y->v)
		return x->v > y->v ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

static double contrib(const struct garis_result *x, size_t r, int dom, size_t k)
{
	if (dom < 2)
		return x->cell[r * GARIS_NAREA + dom].contrib[k];
	double s = 0, p = 0;
	for (int a = 0; a < GARIS_NAREA; a++) {
		const struct garis_cell *c = &x->cell[r * GARIS_NAREA + a];
		if (c->ok) {
			s += c->pop * c->contrib[k];
			p += c->pop;
		}
	}
	return s / p;
}

static enum angka_err write_komoditas(const struct garis_opts *o,
                                      const struct garis_data *d,
                                      const struct garis_result *b,
                                      struct angka_error *e)
{
	struct angka_csv_writer *w;
	enum angka_err rc = angka_csv_writer_open(&w, o->out_komoditas, o->writer_flags, e);
	if (rc)
		return rc;
	angka_publish_apply(w);
	static const char *const h[] = { "tahun", "kode_wilayah", "domain", "kelompok", "kode",
	                                  "nama", "nilai", "porsi_gk_pct" };
	hdr(w, h, 8);
	size_t n = d->nfc + d->nnc;
	struct citem *it = angka_xmalloc((n ? n : 1) * sizeof *it);
	for (size_t r = 0; r < d->nreg; r++)
		for (int dom = 0; dom < 3; dom++) {
			if (!garis_dom_ok(b, r, dom))
				continue;
			size_t m = 0;
			for (size_t k = 0; k < n; k++) {
				int food = k < d->nfc;
				if (!food && dom < 2 && !d->nc[k - d->nfc].has[dom])
					continue;
				it[m].k = k, it[m].food = food, it[m].v = contrib(b, r, dom, k);
				m++;
			}
			qsort(it, m, sizeof *it, cmp_citem);
			double gk = gstat(b, r, dom, 0);
			for (size_t i = 0; i < m; i++) {
				size_t k = it[i].k;
				angka_csv_writer_long(w, o->tahun);
				angka_csv_writer_str(w, d->reg[r].kode);
				angka_csv_writer_str(w, dom_name[dom]);
				angka_csv_writer_str(w, it[i].food ? "makanan" : "bukan_makanan");
				angka_csv_writer_str(w, it[i].food ? d->fc[k].kode : d->nc[k - d->nfc].kode);
				const char *nm = it[i].food ? d->fc[k].nama : d->nc[k - d->nfc].nama;
				angka_csv_writer_text(w, nm, strlen(nm));
				dbl(w, it[i].v);
				dbl(w, 100.0 * it[i].v / gk);
				angka_csv_writer_end_row(w);
			}
		}
	free(it);
	return commit(w, e);
}

static enum angka_err write_whatif(const struct garis_opts *o,
                                   const struct garis_data *d,
                                   const struct garis_result *b,
                                   const struct garis_result *s,
                                   struct angka_error *e)
{
	struct angka_csv_writer *w;
	enum angka_err rc = angka_csv_writer_open(&w, o->out_whatif, o->writer_flags, e);
	if (rc)
		return rc;
	angka_publish_apply(w);
	static const char *const h[] = { "tahun", "kode_wilayah", "domain", "indikator",
	                                  "dasar", "skenario", "selisih", "harga" };
	hdr(w, h, 8);
	char desc[512] = "";
	size_t dl = 0;
	for (size_t i = 0; i < o->nprice && dl < sizeof desc - 64; i++)
		dl += (size_t)snprintf(desc + dl, sizeof desc - dl, "%s%s=%+.6g%%",
		                       i ? " " : "", o->price[i].kode,
		                       100.0 * o->price[i].change);
	static const char *const ind[] = { "GK", "GKM", "GKNM", "P0", "P1", "P2", "jumlah_miskin" };
	for (size_t r = 0; r < d->nreg; r++)
		for (int dom = 0; dom < 3; dom++) {
			if (!garis_dom_ok(b, r, dom))
				continue;
			double fb[4], fs[4];
			garis_fgt(d, b, r, dom < 2 ? dom : GARIS_NAREA, fb);
			garis_fgt(d, s, r, dom < 2 ? dom : GARIS_NAREA, fs);
			for (int i = 0; i < 7; i++) {
				double x = i < 3 ? gstat(b, r, dom, i) : fb[i - 3];
				double y = i < 3 ? gstat(s, r, dom, i) : fs[i - 3];
				angka_csv_writer_long(w, o->tahun);
				angka_csv_writer_str(w, d->reg[r].kode);
				angka_csv_writer_str(w, dom_name[dom]);
				angka_csv_writer_str(w, ind[i]);
				dbl(w, x);
				dbl(w, y);
				dbl(w, y - x);
				angka_csv_writer_str(w, desc);
				angka_csv_writer_end_row(w);
			}
		}
	return commit(w, e);
}

/* The lines in the normalized garis_kemiskinan format that
 * angka-indicators --lines reads (the daerah line, else the total). */
static enum angka_err write_normalized(const struct garis_opts *o,
                                       const struct garis_data *d,
                                       const struct garis_result *b,
                                       struct angka_error *e)
{
	struct angka_csv_writer *w;
	enum angka_err rc = angka_csv_writer_open(&w, o->out_lines, o->writer_flags, e);
	if (rc)
		return rc;
	static const char *const h[] = { "src_file", "src_line", "kode_wilayah", "periode",
	                                  "tahun", "daerah", "garis_kemiskinan", "gkm",
	                                  "gknm", "fixes", "flags" };
	hdr(w, h, 11);
	char per[16];
	snprintf(per, sizeof per, "%04d-%02d", o->tahun, o->bulan);
	long line = 1;
	for (size_t r = 0; r < d->nreg; r++)
		for (int dom = 0; dom < 3; dom++) {
			if (!garis_dom_ok(b, r, dom))
				continue;
			angka_csv_writer_str(w, "angka-garis");
			angka_csv_writer_long(w, ++line);
			angka_csv_writer_str(w, d->reg[r].kode);
			angka_csv_writer_str(w, per);
			angka_csv_writer_long(w, o->tahun);
			angka_csv_writer_str(w, dom_name[dom]);
			dbl(w, gstat(b, r, dom, 0));
			dbl(w, gstat(b, r, dom, 1));
			dbl(w, gstat(b, r, dom, 2));
			angka_csv_writer_str(w, "");
			angka_csv_writer_str(w, "");
			angka_csv_writer_end_row(w);
		}
	return commit(w, e);
}

enum angka_err garis_write(const struct garis_opts *o,
                           const struct garis_data *d,
                           const struct garis_result *base,
                           const double *se, const struct garis_result *scen,
                           struct angka_error *e)
{
	enum angka_err rc = write_lines(o, d, base, se, e);
	if (!rc && o->out_lines)
		rc = write_normalized(o, d, base, e);
	if (!rc && o->out_komoditas)
		rc = write_komoditas(o, d, base, e);
	if (!rc && o->out_whatif && scen)
		rc = write_whatif(o, d, base, scen, e);
	return rc;
}

/* ---------------------------------------------------------------- --explain */

static enum angka_err xopen(struct angka_csv_writer **w, const struct garis_opts *o,
                            const char *name, const char *const *h, size_t n,
                            struct angka_error *e)
{
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", o->explain, name) >= sizeof path)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "'%s': path too long", o->explain);
	enum angka_err rc = angka_csv_writer_open(w, path, o->writer_flags, e);
	if (!rc)
		hdr(*w, h, n);
	return rc;
}

static void kode_dom(struct angka_csv_writer *w, const struct garis_data *d,
                     size_t r, int a)
{
	angka_csv_writer_str(w, d->reg[r].kode);
	angka_csv_writer_str(w, garis_area_name[a]);
}

enum angka_err garis_write_explain(const struct garis_opts *o,
                                   const struct garis_data *d,
                                   const struct garis_result *b,
                                   struct angka_error *e)
{
	if (mkdir(o->explain, 0755) && errno != EEXIST)
		return ANGKA_ERR(e, ANGKA_EIO, "'%s': cannot create directory:", o->explain);
	struct angka_csv_writer *w;
	enum angka_err rc;
	char per[2][16];
	snprintf(per[0], sizeof per[0], "%04d-%02d", o->tahun - 1, o->bulan);
	snprintf(per[1], sizeof per[1], "%04d-%02d", o->tahun, o->bulan);

	static const char *const h1[] = { "kode_wilayah", "periode_lalu", "garis_lalu", "periode",
	                                   "ihk_lalu", "ihk", "garis_sementara" };
	if ((rc = xopen(&w, o, "01_garis_sementara.csv", h1, 7, e)))
		return rc;
	for (size_t r = 0; r < d->nreg; r++) {
		const struct garis_region *g = &d->reg[r];
		angka_csv_writer_str(w, g->kode);
		angka_csv_writer_str(w, per[0]);
		dbl(w, g->gk_prev);
		angka_csv_writer_str(w, per[1]);
		dbl(w, g->ihk_prev);
		dbl(w, g->ihk_cur);
		dbl(w, g->zp);
		angka_csv_writer_end_row(w);
	}
	if ((rc = commit(w, e)))
		return rc;

	static const char *const h2[] = { "kode_wilayah", "domain", "URUT", "KAPITA", "R301", "WERT",
	                                   "jiwa", "jiwa_kumulatif", "persen_kumulatif" };
	if ((rc = xopen(&w, o, "02_penduduk_referensi.csv", h2, 9, e)))
		return rc;
	for (size_t r = 0; r < d->nreg; r++)
		for (int a = 0; a < GARIS_NAREA; a++) {
			const struct garis_cell *c = &b->cell[r * GARIS_NAREA + a];
			double cum = 0;
			for (size_t i = 0; i < d->reg[r].n[a]; i++) {
				size_t k = d->reg[r].ord[a][i];
				if (!b->inref[k])
					continue;
				const struct garis_hh *h = &d->hh[k];
				cum += h->w * h->size;
				kode_dom(w, d, r, a);
				angka_csv_writer_str(w, h->urut);
				dbl(w, h->y);
				angka_csv_writer_long(w, h->size);
				dbl(w, h->w);
				dbl(w, h->w * h->size);
				dbl(w, cum);
				dbl(w, 100.0 * cum / c->pop);
				angka_csv_writer_end_row(w);
			}
		}
	if ((rc = commit(w, e)))
		return rc;

	static const char *const h3[] = { "kode_wilayah", "domain", "kode", "nama", "satuan",
	                                   "kuantitas_per_kapita", "nilai_per_kapita", "harga_satuan",
	                                   "kkal_per_satuan", "kkal_per_kapita_hari", "kontribusi_gkm" };
	if ((rc = xopen(&w, o, "03_makanan.csv", h3, 11, e)))
		return rc;
	for (size_t r = 0; r < d->nreg; r++)
		for (int a = 0; a < GARIS_NAREA; a++) {
			const struct garis_cell *c = &b->cell[r * GARIS_NAREA + a];
			if (!c->ok)
				continue;
			for (size_t k = 0; k < d->nfc; k++) {
				kode_dom(w, d, r, a);
				angka_csv_writer_str(w, d->fc[k].kode);
				angka_csv_writer_text(w, d->fc[k].nama, strlen(d->fc[k].nama));
				angka_csv_writer_text(w, d->fc[k].satuan, strlen(d->fc[k].satuan));
				dbl(w, c->Q[k]);
				dbl(w, c->V[k]);
				if (c->Q[k] > 0)
					dbl(w, c->V[k] / c->Q[k]);
				else
					angka_csv_writer_str(w, "");
				dbl(w, d->fc[k].kkal);
				dbl(w, c->Q[k] * d->fc[k].kkal / 30.0);
				dbl(w, c->contrib[k]);
				angka_csv_writer_end_row(w);
			}
		}
	if ((rc = commit(w, e)))
		return rc;

	static const char *const h4[] = { "kode_wilayah", "domain", "penduduk", "penduduk_referensi",
	                                   "ruta_referensi", "kkal_per_kapita_hari", "faktor_skala",
	                                   "nilai_makanan_per_kapita", "GKM" };
	if ((rc = xopen(&w, o, "04_kalori.csv", h4, 9, e)))
		return rc;
	for (size_t r = 0; r < d->nreg; r++)
		for (int a = 0; a < GARIS_NAREA; a++) {
			const struct garis_cell *c = &b->cell[r * GARIS_NAREA + a];
			if (!c->ok)
				continue;
			double v = 0;
			for (size_t k = 0; k < d->nfc; k++)
				v += c->V[k];
			kode_dom(w, d, r, a);
			dbl(w, c->pop);
			dbl(w, c->P);
			angka_csv_writer_long(w, (long long)c->nref);
			dbl(w, c->C);
			dbl(w, GARIS_KKAL / c->C);
			dbl(w, v);
			dbl(w, c->gkm);
			angka_csv_writer_end_row(w);
		}
	if ((rc = commit(w, e)))
		return rc;

	static const char *const h5[] = { "kode_wilayah", "domain", "kode", "nama",
	                                   "nilai_per_kapita", "rasio", "kontribusi_gknm" };
	if ((rc = xopen(&w, o, "05_bukan_makanan.csv", h5, 7, e)))
		return rc;
	for (size_t r = 0; r < d->nreg; r++)
		for (int a = 0; a < GARIS_NAREA; a++) {
			const struct garis_cell *c = &b->cell[r * GARIS_NAREA + a];
			if (!c->ok)
				continue;
			for (size_t k = 0; k < d->nnc; k++) {
				kode_dom(w, d, r, a);
				angka_csv_writer_str(w, d->nc[k].kode);
				angka_csv_writer_text(w, d->nc[k].nama, strlen(d->nc[k].nama));
				dbl(w, c->N[k]);
				if (d->nc[k].has[a])
					dbl(w, d->nc[k].r[a]);
				else
					angka_csv_writer_str(w, "");
				dbl(w, c->contrib[d->nfc + k]);
				angka_csv_writer_end_row(w);
			}
		}
	if ((rc = commit(w, e)))
		return rc;

	static const char *const h6[] = { "kode_wilayah", "domain", "penduduk", "GKM", "GKNM", "GK" };
	if ((rc = xopen(&w, o, "06_garis.csv", h6, 6, e)))
		return rc;
	for (size_t r = 0; r < d->nreg; r++)
		for (int dom = 0; dom < 3; dom++) {
			if (!garis_dom_ok(b, r, dom))
				continue;
			angka_csv_writer_str(w, d->reg[r].kode);
			angka_csv_writer_str(w, dom_name[dom]);
			dbl(w, dom < 2 ? b->cell[r * GARIS_NAREA + dom].pop : b->totpop[r]);
			dbl(w, gstat(b, r, dom, 1));
			dbl(w, gstat(b, r, dom, 2));
			dbl(w, gstat(b, r, dom, 0));
			angka_csv_writer_end_row(w);
		}
	return commit(w, e);
}
