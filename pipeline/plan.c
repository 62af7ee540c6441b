/*
 * plan.c - the plan: turns the config into the list of steps of a run, in
 * the order they run (one child pipeline each, or a driver-internal step).
 * Every step lists its inputs, its outputs (paths inside the run directory)
 * and the config sections it reads; step_hash() (hash.c) hashes them with
 * its command line. Adding a driver step: a block in plan_build().
 */
#include "driver_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Small string lists.                                                 */

void sl_add(struct strlist *l, const char *s)
{
	l->v = angka_xrealloc(l->v, (l->n + 2) * sizeof *l->v);
	l->v[l->n++] = angka_xstrdup(s);
	l->v[l->n] = NULL;
}

void sl_addf(struct strlist *l, const char *fmt, ...)
{
	char buf[PATH_MAX + 256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sl_add(l, buf);
}

void sl_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ------------------------------------------------------------------ */
/* Steps.                                                              */

static struct step *plan_add(struct plan *p, const char *name,
                             enum driver_stage_id first,
                             enum driver_stage_id last)
{
	p->s = angka_xrealloc(p->s, (p->n + 1) * sizeof *p->s);
	struct step *st = &p->s[p->n++];
	memset(st, 0, sizeof *st);
	st->name = angka_xstrdup(name);
	st->first_stage = first;
	st->last_stage = last;
	return st;
}

void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct step *st = &p->s[i];
		free(st->name);
		for (size_t c = 0; c < MAXCMD; c++)
			sl_free(&st->argv[c]);
		sl_free(&st->inputs);
		sl_free(&st->outputs);
		sl_free(&st->sections);
	}
	free(p->s);
	p->s = NULL;
	p->n = 0;
}

/* ------------------------------------------------------------------ */
/* Plan.                                                               */

void prog(struct env *v, struct strlist *argv, const char *name)
{
	sl_addf(argv, "%s/%s", v->bindir, name);
}

/* "fixtures/susenas/susenas_balangan_2019.csv.gz" -> "susenas_balangan_2019" */
static void base_name(const char *path, char *out, size_t cap)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	snprintf(out, cap, "%s", b);
	for (;;) {
		char *dot = strrchr(out, '.');
		if (!dot || dot == out)
			break;
		if (strcmp(dot, ".gz") && strcmp(dot, ".csv") && strcmp(dot, ".txt") &&
		    strcmp(dot, ".tsv"))
			break;
		*dot = '\0';
	}
}

/* A 4-digit year 1990-2099 in a file name, or 0. */
static int year_of(const char *base)
{
	for (const char *s = base; *s; s++) {
		if ((s == base || (s[-1] < '0' || s[-1] > '9')) &&
		    ((s[0] == '1' && s[1] == '9') || (s[0] == '2' && s[1] == '0')) &&
		    s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9' &&
		    (s[4] < '0' || s[4] > '9')) {
			int y = atoi(s);
			if (y >= 1990 && y <= 2099)
				return y;
		}
	}
	return 0;
}

/* ingest | normalize for one kind over files (all at once). */
static void plan_prep(struct env *v, struct plan *p, enum angka_kind k,
                      char **files, size_t nfiles, const char *base, int year)
{
	const char *kind = angka_kind_name(k);
	char name[256];
	snprintf(name, sizeof name, "normalize:%s", base);
	struct step *st = plan_add(p, name, DRIVER_STAGE_INGEST,
	                            DRIVER_STAGE_NORMALIZE);
	st->ncmd = 2;
	struct strlist *a = &st->argv[0];
	prog(v, a, "angka-ingest");
	sl_addf(a, "--kind=%s", kind);
	sl_addf(a, "--config=%s", v->config_abs);
	sl_addf(a, "--quarantine=private/quarantine/%s.ingest.csv", base);
	for (size_t i = 0; i < nfiles; i++) {
		sl_add(a, files[i]);
		sl_add(&st->inputs, files[i]);
	}
	struct strlist *b = &st->argv[1];
	prog(v, b, "angka-normalize");
	sl_addf(b, "--kind=%s", kind);
	sl_addf(b, "--config=%s", v->config_abs);
	sl_addf(b, "--quarantine=private/quarantine/%s.normalize.csv", base);
	sl_addf(b, "--output=private/normalized/%s.csv", base);
	if (year)
		sl_addf(b, "--year=%d", year);
	if (k == ANGKA_KIND_DTKS || k == ANGKA_KIND_KUBE || k == ANGKA_KIND_UEP) {
		struct angka_input_list *w = &v->cfg.input[ANGKA_KIND_WILAYAH];
		if (w->nfiles) {
			sl_addf(b, "--wilayah=%s", w->files[0]);
			sl_add(&st->inputs, w->files[0]);
		}
	}
	sl_add(b, "-");
	sl_addf(&st->outputs, "private/normalized/%s.csv", base);
	sl_addf(&st->outputs, "private/quarantine/%s.ingest.csv", base);
	sl_addf(&st->outputs, "private/quarantine/%s.normalize.csv", base);
	sl_addf(&st->sections, "profile.%s", kind);
	sl_add(&st->sections, "normalize");
}

void plan_build(struct env *v, struct plan *p)
{
	static const enum angka_kind whole[] = {
		ANGKA_KIND_WILAYAH, ANGKA_KIND_PENDUDUK, ANGKA_KIND_GARIS_KEMISKINAN,
		ANGKA_KIND_TERBITAN, ANGKA_KIND_DTKS, ANGKA_KIND_KUBE, ANGKA_KIND_UEP,
	};
	struct angka_config *c = &v->cfg;
	for (size_t i = 0; i < sizeof whole / sizeof *whole; i++) {
		enum angka_kind k = whole[i];
		if (c->input[k].nfiles)
			plan_prep(v, p, k, c->input[k].files, c->input[k].nfiles,
			          angka_kind_name(k), 0);
	}
	/* SUSENAS: one step per file (per year), so adding a year reruns
	 * only that year. */
	struct angka_input_list *su = &c->input[ANGKA_KIND_SUSENAS];
	struct strlist years = { 0 };
	for (size_t i = 0; i < su->nfiles; i++) {
		char base[256], b2[300];
		base_name(su->files[i], base, sizeof base);
		snprintf(b2, sizeof b2, "susenas_%s", base);
		if (strncmp(base, "susenas", 7) == 0)
			snprintf(b2, sizeof b2, "%s", base);
		plan_prep(v, p, ANGKA_KIND_SUSENAS, &su->files[i], 1, b2,
		          year_of(base));
		sl_add(&years, b2);
	}

	if (c->input[ANGKA_KIND_DTKS].nfiles) {
		struct step *st = plan_add(p, "dedup:dtks", DRIVER_STAGE_DEDUP,
		                            DRIVER_STAGE_DEDUP);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, "angka-dedup");
		sl_addf(a, "--config=%s", v->config_abs);
		sl_add(a, "--output=private/dtks_unik.csv");
		sl_add(a, "--duplicates=private/duplicates.csv");
		sl_add(a, "--review=private/review.csv");
		sl_add(a, "--households=private/households.csv");
		sl_add(a, "--household-counts=indicators/rumah_tangga_desa.csv");
		sl_add(a, "private/normalized/dtks.csv");
		sl_add(&st->inputs, "private/normalized/dtks.csv");
		sl_add(&st->outputs, "private/dtks_unik.csv");
		sl_add(&st->outputs, "private/duplicates.csv");
		sl_add(&st->outputs, "private/review.csv");
		sl_add(&st->outputs, "private/households.csv");
		sl_add(&st->outputs, "indicators/rumah_tangga_desa.csv");
		sl_add(&st->sections, "dedup");
	}

	int have_lines = c->input[ANGKA_KIND_GARIS_KEMISKINAN].nfiles > 0;
	for (size_t i = 0; i < years.n && have_lines; i++) {
		char name[300];
		snprintf(name, sizeof name, "indicators:%s", years.v[i]);
		struct step *st = plan_add(p, name, DRIVER_STAGE_INDICATORS,
		                            DRIVER_STAGE_INDICATORS);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, "angka-indicators");
		sl_addf(a, "--config=%s", v->config_abs);
		sl_add(a, "--lines=private/normalized/garis_kemiskinan.csv");
		sl_addf(a, "--output=indicators/tahunan/poverty_%s.csv", years.v[i]);
		sl_addf(a, "private/normalized/%s.csv", years.v[i]);
		sl_addf(&st->inputs, "private/normalized/%s.csv", years.v[i]);
		sl_add(&st->inputs, "private/normalized/garis_kemiskinan.csv");
		sl_addf(&st->outputs, "indicators/tahunan/poverty_%s.csv", years.v[i]);
		sl_add(&st->sections, "indicators");
	}
	if (years.n && have_lines) {
		struct step *st = plan_add(p, "indicators:poverty",
		                            DRIVER_STAGE_INDICATORS,
		                            DRIVER_STAGE_INDICATORS);
		st->collect_from = "indicators/tahunan/poverty_";
		for (size_t i = 0; i < years.n; i++)
			sl_addf(&st->inputs, "indicators/tahunan/poverty_%s.csv", years.v[i]);
		sl_add(&st->outputs, "indicators/poverty.csv");
	}
	int have_dtks = c->input[ANGKA_KIND_DTKS].nfiles > 0;
	if (have_dtks) {
		struct step *st = plan_add(p, "indicators:registry",
		                            DRIVER_STAGE_INDICATORS,
		                            DRIVER_STAGE_INDICATORS);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, "angka-indicators");
		sl_add(a, "--mode=registry");
		sl_addf(a, "--config=%s", v->config_abs);
		sl_add(a, "--registry=private/dtks_unik.csv");
		sl_add(&st->inputs, "private/dtks_unik.csv");
		if (c->input[ANGKA_KIND_PENDUDUK].nfiles) {
			sl_add(a, "--penduduk=private/normalized/penduduk.csv");
			sl_add(&st->inputs, "private/normalized/penduduk.csv");
		}
		if (years.n && have_lines) {
			sl_add(a, "--poverty=indicators/poverty.csv");
			sl_add(&st->inputs, "indicators/poverty.csv");
		}
		sl_add(a, "--output=indicators/registry.csv");
		sl_add(&st->outputs, "indicators/registry.csv");
		sl_add(&st->sections, "registry");
	}
	if (have_dtks && (c->input[ANGKA_KIND_KUBE].nfiles ||
	                  c->input[ANGKA_KIND_UEP].nfiles)) {
		struct step *st = plan_add(p, "indicators:programmes",
		                            DRIVER_STAGE_INDICATORS,
		                            DRIVER_STAGE_INDICATORS);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, "angka-indicators");
		sl_add(a, "--mode=programme");
		sl_addf(a, "--config=%s", v->config_abs);
		sl_add(a, "--registry=private/dtks_unik.csv");
		sl_add(a, "--duplicates=private/duplicates.csv");
		sl_add(a, "--normalized=private/normalized/dtks.csv");
		sl_add(a, "--violations=private/programme_violations.csv");
		sl_add(a, "--output=indicators/programmes.csv");
		sl_add(&st->inputs, "private/dtks_unik.csv");
		sl_add(&st->inputs, "private/duplicates.csv");
		sl_add(&st->inputs, "private/normalized/dtks.csv");
		if (c->input[ANGKA_KIND_KUBE].nfiles) {
			sl_add(a, "private/normalized/kube.csv");
			sl_add(&st->inputs, "private/normalized/kube.csv");
		}
		if (c->input[ANGKA_KIND_UEP].nfiles) {
			sl_add(a, "private/normalized/uep.csv");
			sl_add(&st->inputs, "private/normalized/uep.csv");
		}
		sl_add(&st->outputs, "indicators/programmes.csv");
		sl_add(&st->outputs, "private/programme_violations.csv");
		sl_add(&st->sections, "programmes");
	}

	int have_poverty = years.n && have_lines;
	if (have_poverty) {
		/* The previous history and revisions are state carried from
		 * the published run (copied in by run_step), not inputs: the
		 * step's result is a function of poverty.csv and the published
		 * series, so they are not hashed. */
		struct step *st = plan_add(p, "trend", DRIVER_STAGE_TREND,
		                            DRIVER_STAGE_TREND);
		st->ncmd = 1;
		st->trend_step = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, "angka-trend");
		sl_addf(a, "--config=%s", v->config_abs);
		sl_add(a, "--history=trend/history.csv");
		sl_add(a, "--changes=trend/changes.csv");
		sl_add(a, "--trend=trend/trend.csv");
		sl_add(a, "--revisions=trend/revisions.csv");
		sl_add(a, "--previous-history=trend/.history.previous.csv");
		if (c->input[ANGKA_KIND_TERBITAN].nfiles) {
			sl_add(a, "--published=private/normalized/terbitan.csv");
			sl_add(&st->inputs, "private/normalized/terbitan.csv");
		}
		sl_add(a, "indicators/poverty.csv");
		sl_add(&st->inputs, "indicators/poverty.csv");
		sl_add(&st->outputs, "trend/history.csv");
		sl_add(&st->outputs, "trend/changes.csv");
		sl_add(&st->outputs, "trend/trend.csv");
		sl_add(&st->outputs, "trend/revisions.csv");
		sl_add(&st->sections, "trend");
	}
	if (have_poverty || have_dtks) {
		struct step *st = plan_add(p, "chart", DRIVER_STAGE_CHART,
		                            DRIVER_STAGE_CHART);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, "angka-chart");
		sl_addf(a, "--config=%s", v->config_abs);
		sl_add(a, "--outdir=charts");
		if (have_poverty) {
			sl_add(a, "--history=trend/history.csv");
			sl_add(&st->inputs, "trend/history.csv");
		}
		if (have_dtks) {
			sl_add(a, "--registry=indicators/registry.csv");
			sl_add(&st->inputs, "indicators/registry.csv");
		}
		if (have_dtks && (c->input[ANGKA_KIND_KUBE].nfiles ||
		                  c->input[ANGKA_KIND_UEP].nfiles)) {
			sl_add(a, "--programmes=indicators/programmes.csv");
			sl_add(&st->inputs, "indicators/programmes.csv");
		}
		struct angka_input_list *wl = &c->input[ANGKA_KIND_WILAYAH];
		if (wl->nfiles) {
			sl_addf(a, "--wilayah=%s", wl->files[0]);
			sl_add(&st->inputs, wl->files[0]);
		}
		if (have_poverty)
			sl_add(a, "p0_trend"), sl_add(a, "miskin_p0"), sl_add(a, "p1_p2");
		if (have_dtks)
			sl_add(a, "dtks_kecamatan");
		if (have_dtks && have_poverty)
			sl_add(a, "dtks_vs_bps");
		if (have_dtks && (c->input[ANGKA_KIND_KUBE].nfiles ||
		                  c->input[ANGKA_KIND_UEP].nfiles))
			sl_add(a, "program_kecamatan");
		sl_add(&st->outputs, "charts");
		sl_add(&st->sections, "chart");
		sl_add(&st->sections, "angka");
	}

	if (c->input[ANGKA_KIND_DTKS].nfiles && v->ro.pseudonymize == 1) {
		struct step *st = plan_add(p, "export:dtks_pseudonim",
		                            DRIVER_STAGE_DEDUP,
		                            DRIVER_STAGE_DEDUP);
		st->export_step = 1;
		sl_add(&st->inputs, "private/dtks_unik.csv");
		sl_add(&st->inputs, v->ro.key_file);
		sl_add(&st->outputs, "shared/dtks_pseudonim.csv");
		sl_add(&st->sections, "run");
	}
	sl_free(&years);
}
