/*
 * run.c - angka-garis: read, compute the baseline lines, their jackknife
 * standard errors and a price what-if, write.
 */
#include "garis_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void garis_opts_init(struct garis_opts *o)
{
	memset(o, 0, sizeof *o);
	o->bulan = 3;
}

void garis_stats_release(struct garis_stats *st)
{
	for (size_t i = 0; i < st->nnotes; i++)
		free(st->notes[i]);
	free(st->notes);
	st->notes = NULL;
	st->nnotes = 0;
}

static void note(struct garis_stats *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct garis_stats *st, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	st->notes = angka_xrealloc(st->notes, (st->nnotes + 1) * sizeof *st->notes);
	st->notes[st->nnotes++] = angka_xstrdup(buf);
}

int garis_parse_price(char *s, struct garis_price *p, const char **why)
{
	char *eq = strchr(s, '=');
	if (!eq || eq == s) {
		*why = "expected KODE=+10% (or KODE=-5%, KODE=0.1)";
		return -1;
	}
	*eq = 0;
	const char *v = eq + 1;
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (errno || end == v || !isfinite(x)) {
		*why = "the change is not a number";
		return -1;
	}
	if (*end == '%') {
		x /= 100.0;
		end++;
	}
	if (*end) {
		*why = "trailing characters after the change";
		return -1;
	}
	if (x <= -1.0) {
		*why = "a price cannot fall by 100% or more";
		return -1;
	}
	p->kode = s;
	p->change = x;
	return 0;
}

/* Jackknife (delete one PSU within its stratum, JKn) of the 4 statistics
 * of every region and domain. se must hold nreg x 3 x 4 values. */
static enum angka_err jackknife(const struct garis_data *d,
                                const struct garis_result *base, double *se,
                                struct garis_stats *st, struct angka_error *e)
{
	size_t ns = d->nreg * 3 * 4;
	double *var = angka_xcalloc(ns ? ns : 1, sizeof *var);
	size_t *nh = angka_xcalloc(d->nstrata ? d->nstrata : 1, sizeof *nh);
	for (size_t u = 0; u < d->nunits; u++)
		nh[d->units[u].stratum]++;
	size_t single = 0;
	for (size_t h = 0; h < d->nstrata; h++)
		single += nh[h] == 1;
	double *wt = angka_xmalloc((d->nhh ? d->nhh : 1) * sizeof *wt);
	struct garis_result rep;
	garis_result_init(&rep, d, 0);
	enum angka_err rc = ANGKA_OK;
	for (size_t u = 0; u < d->nunits && !rc; u++) {
		size_t h = d->units[u].stratum;
		if (nh[h] < 2)
			continue;
		double f = (double)nh[h] / (double)(nh[h] - 1);
		for (size_t i = 0; i < d->nhh; i++) {
			const struct garis_hh *x = &d->hh[i];
			size_t xs = d->units[x->unit].stratum;
			wt[i] = x->unit == u ? 0.0 : xs == h ? x->w * f : x->w;
		}
		rc = garis_compute(d, wt, NULL, NULL, &rep, e);
		if (rc) {
			char msg[sizeof e->msg];
			snprintf(msg, sizeof msg, "%s", e->msg);
			ANGKA_ERR(e, rc, "jackknife replicate without PSU '%s' (stratum '%s'): %s",
			          d->units[u].psu, d->units[u].strata, msg);
			break;
		}
		st->replicates++;
		double c = (double)(nh[h] - 1) / (double)nh[h];
		for (size_t r = 0; r < d->nreg; r++)
			for (int dom = 0; dom < 3; dom++) {
				if (!garis_dom_ok(base, r, dom) || !garis_dom_ok(&rep, r, dom))
					continue;
				for (int s = 0; s < 4; s++) {
					double dv = garis_stat(&rep, r, dom, s) - garis_stat(base, r, dom, s);
					var[(r * 3 + (size_t)dom) * 4 + (size_t)s] += c * dv * dv;
				}
			}
	}
	for (size_t i = 0; i < ns; i++)
		se[i] = sqrt(var[i]);
	if (single)
		note(st, "%zu strata with one PSU add nothing to the jackknife variance", single);
	garis_result_free(&rep);
	free(wt);
	free(nh);
	free(var);
	return rc;
}

enum angka_err garis_run(const struct garis_opts *o, struct garis_stats *st,
                         struct angka_error *e)
{
	struct garis_data d;
	enum angka_err rc = garis_read(o, &d, st, e);
	if (rc) {
		garis_data_free(&d);
		return rc;
	}
	double *pf = NULL, *pn = NULL;
	if (o->nprice) {
		pf = angka_xmalloc((d.nfc + 1) * sizeof *pf);
		pn = angka_xmalloc((d.nnc + 1) * sizeof *pn);
		for (size_t k = 0; k < d.nfc; k++)
			pf[k] = 1.0;
		for (size_t k = 0; k < d.nnc; k++)
			pn[k] = 1.0;
		for (size_t i = 0; i < o->nprice && !rc; i++) {
			const char *c = o->price[i].kode;
			size_t k;
			for (k = 0; k < d.nfc && strcmp(d.fc[k].kode, c); k++)
				;
			if (k < d.nfc) {
				pf[k] *= 1.0 + o->price[i].change;
				continue;
			}
			for (k = 0; k < d.nnc && strcmp(d.nc[k].kode, c); k++)
				;
			if (k < d.nnc)
				pn[k] *= 1.0 + o->price[i].change;
			else
				rc = ANGKA_ERR(e, ANGKA_EUSAGE, "--price: commodity '%s' is in neither '%s' nor '%s'",
				               c, o->komoditas, o->rasio);
		}
	}
	double *wt = angka_xmalloc((d.nhh ? d.nhh : 1) * sizeof *wt);
	for (size_t i = 0; i < d.nhh; i++)
		wt[i] = d.hh[i].w;
	struct garis_result base, scen;
	garis_result_init(&base, &d, 1);
	garis_result_init(&scen, &d, 0);
	double *se = NULL;
	if (!rc)
		rc = garis_compute(&d, wt, NULL, NULL, &base, e);
	if (!rc && !o->no_se) {
		se = angka_xcalloc(d.nreg * 12 + 1, sizeof *se);
		rc = jackknife(&d, &base, se, st, e);
	}
	if (!rc && o->nprice)
		rc = garis_compute(&d, wt, pf, pn, &scen, e);
	if (!rc)
		rc = garis_write(o, &d, &base, se, o->nprice ? &scen : NULL, e);
	if (!rc && o->explain)
		rc = garis_write_explain(o, &d, &base, e);
	if (!rc)
		for (size_t r = 0; r < d.nreg; r++)
			note(st, "%s %d: provisional line %.2f; GK perkotaan %.2f, perdesaan %.2f, total %.2f",
			     d.reg[r].kode, o->tahun, d.reg[r].zp,
			     base.cell[r * GARIS_NAREA].gk, base.cell[r * GARIS_NAREA + 1].gk,
			     base.tot[3 * r + 2]);
	free(se);
	free(wt);
	free(pf);
	free(pn);
	garis_result_free(&base);
	garis_result_free(&scen);
	garis_data_free(&d);
	return rc;
}
