/*
 * calc.c - the basic-needs line of every region and area for one set of
 * household weights (the full sample or a jackknife replicate) and price
 * factors (the baseline or a what-if); FGT indices against the lines.
 */
#include "garis_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void garis_result_init(struct garis_result *r, const struct garis_data *d,
                       int want_ref)
{
	memset(r, 0, sizeof *r);
	r->nreg = d->nreg;
	r->nfc = d->nfc;
	r->nnc = d->nnc;
	size_t nc = d->nreg * GARIS_NAREA;
	r->cell = angka_xcalloc(nc ? nc : 1, sizeof *r->cell);
	for (size_t i = 0; i < nc; i++) {
		struct garis_cell *c = &r->cell[i];
		c->Q = angka_xcalloc(d->nfc + 1, sizeof *c->Q);
		c->V = angka_xcalloc(d->nfc + 1, sizeof *c->V);
		c->N = angka_xcalloc(d->nnc + 1, sizeof *c->N);
		c->contrib = angka_xcalloc(d->nfc + d->nnc + 1, sizeof *c->contrib);
	}
	r->tot = angka_xcalloc(3 * (d->nreg ? d->nreg : 1), sizeof *r->tot);
	r->totpop = angka_xcalloc(d->nreg ? d->nreg : 1, sizeof *r->totpop);
	if (want_ref)
		r->inref = angka_xcalloc(d->nhh ? d->nhh : 1, 1);
}

void garis_result_free(struct garis_result *r)
{
	for (size_t i = 0; r->cell && i < r->nreg * GARIS_NAREA; i++) {
		free(r->cell[i].Q);
		free(r->cell[i].V);
		free(r->cell[i].N);
		free(r->cell[i].contrib);
	}
	free(r->cell);
	free(r->tot);
	free(r->totpop);
	free(r->inref);
	memset(r, 0, sizeof *r);
}

static enum angka_err cell(const struct garis_data *d, size_t ri, int a,
                           const double *wt, const double *pf,
                           const double *pn, struct garis_cell *c,
                           unsigned char *inref, struct angka_error *e)
{
	const struct garis_region *g = &d->reg[ri];
	memset(c->Q, 0, d->nfc * sizeof *c->Q);
	memset(c->V, 0, d->nfc * sizeof *c->V);
	memset(c->N, 0, d->nnc * sizeof *c->N);
	memset(c->contrib, 0, (d->nfc + d->nnc) * sizeof *c->contrib);
	c->ok = 0;
	c->pop = c->P = c->C = c->gkm = c->gknm = c->gk = 0;
	c->nref = c->nobs = 0;
	for (size_t i = 0; i < g->n[a]; i++) {
		const struct garis_hh *h = &d->hh[g->ord[a][i]];
		if (wt[g->ord[a][i]] > 0) {
			c->pop += wt[g->ord[a][i]] * h->size;
			c->nobs++;
		}
	}
	if (c->nobs == 0)
		return ANGKA_OK;   /* no households of this area */
	c->ok = 1;
	double cum = 0;
	for (size_t i = 0; i < g->n[a]; i++) {
		size_t k = g->ord[a][i];
		const struct garis_hh *h = &d->hh[k];
		double w = wt[k];
		if (!(w > 0) || h->y < g->zp)
			continue;
		if (cum >= GARIS_REF_SHARE * c->pop)
			break;
		cum += w * h->size;
		c->nref++;
		if (inref)
			inref[k] = 1;
		for (size_t j = 0; j < h->food_n; j++) {
			const struct garis_item *it = &d->food[h->food_off + j];
			c->Q[it->com] += w * it->q;
			c->V[it->com] += w * it->v;
		}
		for (size_t j = 0; j < h->nonf_n; j++) {
			const struct garis_item *it = &d->nonf[h->nonf_off + j];
			c->N[it->com] += w * it->v;
		}
	}
	c->P = cum;
	if (c->nref == 0)
		return ANGKA_ERR(e, ANGKA_EDATA, "region %s %s: no household at or above the provisional line %.2f: no reference population",
		                 g->kode, garis_area_name[a], g->zp);
	double C = 0;
	for (size_t k = 0; k < d->nfc; k++) {
		c->Q[k] /= c->P;
		c->V[k] /= c->P;
		C += c->Q[k] * d->fc[k].kkal;
	}
	c->C = C / 30.0;
	if (!(c->C > 0))
		return ANGKA_ERR(e, ANGKA_EDATA, "region %s %s: the reference population's food has no calories",
		                 g->kode, garis_area_name[a]);
	double f = GARIS_KKAL / c->C;
	for (size_t k = 0; k < d->nfc; k++) {
		c->contrib[k] = f * c->V[k] * (pf ? pf[k] : 1.0);
		c->gkm += c->contrib[k];
	}
	for (size_t k = 0; k < d->nnc; k++) {
		c->N[k] /= c->P;
		if (d->nc[k].has[a]) {
			c->contrib[d->nfc + k] = d->nc[k].r[a] * c->N[k] * (pn ? pn[k] : 1.0);
			c->gknm += c->contrib[d->nfc + k];
		}
	}
	c->gk = c->gkm + c->gknm;
	return ANGKA_OK;
}

enum angka_err garis_compute(const struct garis_data *d, const double *wt,
                             const double *pf, const double *pn,
                             struct garis_result *r, struct angka_error *e)
{
	if (r->inref)
		memset(r->inref, 0, d->nhh);
	for (size_t ri = 0; ri < d->nreg; ri++) {
		double *t = &r->tot[3 * ri];
		t[0] = t[1] = t[2] = 0;
		r->totpop[ri] = 0;
		for (int a = 0; a < GARIS_NAREA; a++) {
			struct garis_cell *c = &r->cell[ri * GARIS_NAREA + a];
			enum angka_err rc = cell(d, ri, a, wt, pf, pn, c, r->inref, e);
			if (rc)
				return rc;
			if (!c->ok)
				continue;
			t[0] += c->pop * c->gkm;
			t[1] += c->pop * c->gknm;
			t[2] += c->pop * c->gk;
			r->totpop[ri] += c->pop;
		}
		for (int i = 0; i < 3; i++)
			t[i] /= r->totpop[ri];
	}
	return ANGKA_OK;
}

void garis_fgt(const struct garis_data *d, const struct garis_result *res,
               size_t r, int a, double out[4])
{
	double W = 0, s[3] = { 0, 0, 0 }, poor = 0;
	for (size_t i = 0; i < d->nhh; i++) {
		const struct garis_hh *h = &d->hh[i];
		if (h->region != r || (a < GARIS_NAREA && h->area != a))
			continue;
		double z = res->cell[r * GARIS_NAREA + h->area].gk;
		double pw = h->w * h->size;
		W += pw;
		if (h->y < z) {
			double g = (z - h->y) / z;
			s[0] += pw;
			s[1] += pw * g;
			s[2] += pw * g * g;
			poor += pw;
		}
	}
	for (int i = 0; i < 3; i++)
		out[i] = W > 0 ? 100.0 * s[i] / W : 0;
	out[3] = poor;
}
