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
#include <sys/stat.h>

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
		sl_free(&st->pipe_argv);
		sl_free(&st->out_hash);
		free(st->in_id);
		sl_free(&st->warnings);
		if (st->shard) {
			plan_free(st->shard);
			free(st->shard);
		}
	}
	free(p->s);
	p->s = NULL;
	p->n = 0;
}

/* ------------------------------------------------------------------ */
/* Paths of steps.                                                     */

/*
 * Every path a step reads or writes is written once: step_in() and
 * step_out() put it on the command line ("FLAGpath", or the path alone for
 * flag "") and in st->inputs or st->outputs in one call. The order of the
 * calls is the order of both lists, and the order matters: the inputs'
 * order feeds the step's hash (hash.c), the outputs' the reuse and the
 * manifest. Where a list's order differs from the command line's, or a
 * path is on only one of them, the path is listed with a == NULL and put on
 * the command line with step_arg(), and a comment says why.
 */
static void step_arg(struct strlist *a, const char *flag, const char *path)
{
	sl_addf(a, "%s%s", flag, path);
}

static void step_in(struct step *st, struct strlist *a, const char *flag,
                    const char *path)
{
	if (a)
		step_arg(a, flag, path);
	sl_add(&st->inputs, path);
}

static void step_out(struct step *st, struct strlist *a, const char *flag,
                     const char *path)
{
	if (a)
		step_arg(a, flag, path);
	sl_add(&st->outputs, path);
}

/*
 * The region table, for the nama_wilayah column of the published tables a
 * step writes (publish.h); codes are dotted with or without it.
 */
static void names(struct step *st, struct strlist *a,
                  const struct angka_config *c)
{
	const struct angka_input_list *w = &c->input[ANGKA_KIND_WILAYAH];
	if (w->nfiles)
		step_in(st, a, "--wilayah=", w->files[0]);
}

/* Run-relative files that more than one step names. */
static const char DTKS_UNIK[] = "private/dtks_unik.csv";
static const char DUPLICATES[] = "private/duplicates.csv";
static const char POVERTY[] = "indicators/poverty.csv";
static const char REGISTRY[] = "indicators/registry.csv";
static const char SAE[] = "indicators/sae.csv";
/* The registry table without suppression and every small-area value:
 * internal, never published. */
static const char REGISTRY_INTERNAL[] = "private/registry_internal.csv";
static const char SAE_INTERNAL[] = "private/sae_internal.csv";
static const char PROGRAMMES[] = "indicators/programmes.csv";
/* angka-garis's per-year tables and what garis:hitung and garis:komoditas
 * collect them into. */
#define GARIS_YEARLY "indicators/tahunan/garis_hitung_"
#define KOMODITAS_YEARLY "indicators/tahunan/komoditas_gk_"
static const char GARIS_HITUNG[] = "indicators/garis_kemiskinan_hitung.csv";
static const char KOMODITAS_GK[] = "indicators/komoditas_gk.csv";
/* Prefix of the per-year poverty tables that indicators:poverty collects. */
#define POVERTY_YEARLY "indicators/tahunan/poverty_"

/* The normalized table of base (a kind name or a SUSENAS year's base). */
static const char *normalized(char *buf, size_t cap, const char *base)
{
	snprintf(buf, cap, "private/normalized/%s.csv", base);
	return buf;
}

/* The poverty table of one SUSENAS year's base. */
static const char *poverty_yearly(char *buf, size_t cap, const char *base)
{
	snprintf(buf, cap, POVERTY_YEARLY "%s.csv", base);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Plan.                                                               */

void prog(struct env *v, struct strlist *argv, enum driver_stage_id s)
{
	sl_addf(argv, "%s/%s", v->bindir, driver_stages[s].program);
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

/* A path st writes on a's command line; with list also into st->outputs. */
static void out_arg(struct step *st, struct strlist *a, const char *flag,
                    const char *path, int list)
{
	if (list)
		step_out(st, a, flag, path);
	else
		step_arg(a, flag, path);
}

/*
 * The commands of ingest and normalize of kind k over files up to what
 * normalize reads (the pipe or a file: the caller's), for both the step
 * ingest | normalize (plan_prep) and the sharded tasks (plan_shards), so
 * that the two plans cannot drift apart. The quarantine and out (ingest:
 * NULL for stdout) go on the command line, and with list also into
 * st->outputs in that order (plan_prep lists its outputs in pipe order
 * itself); the input files and the region table into st->inputs.
 */
static void ingest_argv(struct env *v, struct step *st, struct strlist *a,
                        enum angka_kind k, char **files, size_t nfiles,
                        const char *quarantine, const char *out, int list)
{
	prog(v, a, DRIVER_STAGE_INGEST);
	sl_addf(a, "--kind=%s", angka_kind_name(k));
	sl_addf(a, "--config=%s", v->config_abs);
	out_arg(st, a, "--quarantine=", quarantine, list);
	if (out)
		out_arg(st, a, "--output=", out, list);
	for (size_t i = 0; i < nfiles; i++)
		step_in(st, a, "", files[i]);
}

static void normalize_argv(struct env *v, struct step *st, struct strlist *b,
                           enum angka_kind k, char **files, size_t nfiles,
                           const char *quarantine, const char *out,
                           int year, int list)
{
	prog(v, b, DRIVER_STAGE_NORMALIZE);
	sl_addf(b, "--kind=%s", angka_kind_name(k));
	sl_addf(b, "--config=%s", v->config_abs);
	out_arg(st, b, "--quarantine=", quarantine, list);
	out_arg(st, b, "--output=", out, list);
	if (year)
		sl_addf(b, "--year=%d", year);
	if (k == ANGKA_KIND_DTKS || k == ANGKA_KIND_KUBE || k == ANGKA_KIND_UEP) {
		struct angka_input_list *w = &v->cfg.input[ANGKA_KIND_WILAYAH];
		if (w->nfiles)
			step_in(st, b, "--wilayah=", w->files[0]);
	}
	/* [input.dtks] periods: each file's period, by the path ingest
	 * writes into src_file (else normalize reads it from the name). */
	struct angka_input_list *in = &v->cfg.input[k];
	if (k == ANGKA_KIND_DTKS && in->nperiods == nfiles)
		for (size_t i = 0; i < nfiles; i++)
			sl_addf(b, "--period=%s=%s", files[i], in->periods[i]);
}

/*
 * ingest | normalize for one kind over files (all at once). The config file
 * is on the command lines of every step but is no input: the sections a
 * step reads are hashed instead (st->sections).
 */
static void plan_prep(struct env *v, struct plan *p, enum angka_kind k,
                      char **files, size_t nfiles, const char *base, int year)
{
	const char *kind = angka_kind_name(k);
	char name[256];
	snprintf(name, sizeof name, "normalize:%s", base);
	struct step *st = plan_add(p, name, DRIVER_STAGE_INGEST,
	                            DRIVER_STAGE_NORMALIZE);
	st->ncmd = 2;
	char out[PATH_MAX], q_ingest[PATH_MAX], q_normalize[PATH_MAX];
	normalized(out, sizeof out, base);
	snprintf(q_ingest, sizeof q_ingest,
	         "private/quarantine/%s.ingest.csv", base);
	snprintf(q_normalize, sizeof q_normalize,
	         "private/quarantine/%s.normalize.csv", base);
	/* Outputs: the table, then the quarantines in pipe order; the
	 * command lines name them in another order. */
	step_out(st, NULL, NULL, out);
	step_out(st, NULL, NULL, q_ingest);
	step_out(st, NULL, NULL, q_normalize);
	ingest_argv(v, st, &st->argv[0], k, files, nfiles, q_ingest, NULL, 0);
	struct strlist *b = &st->argv[1];
	normalize_argv(v, st, b, k, files, nfiles, q_normalize, out, year, 0);
	/* The DTKS table also on stdout: dedup:dtks reads it from the pipe
	 * when both steps run (pipe_to, set with the dedup step). */
	if (k == ANGKA_KIND_DTKS)
		sl_add(b, "--tee");
	sl_add(b, "-");
	sl_addf(&st->sections, "profile.%s", kind);
	sl_add(&st->sections, "normalize");
}

/* The raw value of [section] key, or NULL. */
static const char *kv_value(const struct angka_config *c, const char *section,
                            const char *key)
{
	const char *v = NULL;
	for (size_t i = 0; i < c->nkv; i++)
		if (!strcmp(c->kv[i].section, section) && !strcmp(c->kv[i].key, key))
			v = c->kv[i].value;
	return v;
}

/* The file of a space-separated list ([garis] makanan, also continued
 * over several lines: one kv entry each) whose name holds year, resolved
 * against the config's directory, into out; 0 if none. */
static int list_file_of_year(const struct angka_config *c, const char *key,
                             int year, char *out, size_t cap)
{
	int found = 0;
	for (size_t i = 0; i < c->nkv && !found; i++) {
		if (strcmp(c->kv[i].section, "garis") || strcmp(c->kv[i].key, key))
			continue;
		char *copy = angka_xstrdup(c->kv[i].value), *save = NULL;
		for (char *t = strtok_r(copy, " \t\n", &save); t && !found;
		     t = strtok_r(NULL, " \t\n", &save)) {
			char base[256];
			base_name(t, base, sizeof base);
			if (year_of(base) != year)
				continue;
			if (t[0] == '/')
				snprintf(out, cap, "%s", t);
			else
				snprintf(out, cap, "%s/%s", c->dir, t);
			found = 1;
		}
		free(copy);
	}
	return found;
}

/*
 * Sharded DTKS ([engine] shards = N > 1): the tasks that replace the pipe
 * of normalize:dtks (p->s[ni]) and dedup:dtks (p->s[di]) when both run,
 * on normalize:dtks (shard.c runs them). Phase 0: ingest into one file;
 * 1: angka-normalize --shard K/N of it, the N parts concatenated being
 * the normalized table; 2: angka-dedup --recs-out per part; 3: angka-dedup
 * --shard K/N over the recs and parts; 4: the merge, dedup:dtks's command
 * with the pair files and recs instead of the table, writing its outputs.
 * Each task's paths are its inputs and outputs, so the engines chain
 * them (Slurm: afterok). The steps' own commands, hashes and outputs stay
 * those of shards = 1: what they publish is the same bytes.
 */
static struct step *sub_add(struct plan *q, int phase, const char *name,
                            enum driver_stage_id stage)
{
	struct step *t = plan_add(q, name, stage, stage);
	t->ncmd = 1;
	t->sub_task = 1;
	t->phase = phase;
	return t;
}

/* A task angka-dedup --config of phase 2 or 3 writing path (its recs or
 * pairs file, after flag); dedup prints no row counts in that mode. */
static struct step *dedup_task(struct env *v, struct plan *q, int phase,
                               const char *name, const char *flag,
                               const char *path)
{
	struct step *t = sub_add(q, phase, name, DRIVER_STAGE_DEDUP);
	t->no_counts = 1;
	struct strlist *a = &t->argv[0];
	prog(v, a, DRIVER_STAGE_DEDUP);
	sl_addf(a, "--config=%s", v->config_abs);
	step_out(t, a, flag, path);
	return t;
}

/* Phases 3 and 4 of a sharded dedup:dtks (p's step d) into q: n tasks
 * angka-dedup --shard K/n --pairs-out over the recs and parts, then the
 * merge, d's command and outputs with the pair files, recs and parts
 * instead of its input. */
static void plan_blocking(struct env *v, struct plan *q, const struct step *d,
                          long n, const struct strlist *recs,
                          const struct strlist *parts)
{
	for (long k = 0; k <= n; k++) {
		char name[64], path[PATH_MAX];
		struct step *t;
		struct strlist *a;
		if (k < n) {
			snprintf(name, sizeof name, "dedup:dtks[shard %ld/%ld]", k, n);
			snprintf(path, sizeof path, SHARD_DIR "/pairs.%ld", k);
			t = dedup_task(v, q, 3, name, "--pairs-out=", path);
			a = &t->argv[0];
			sl_addf(a, "--shard=%ld/%ld", k, n);
		} else {
			/* n: the merge, dedup:dtks's command but its input. */
			t = sub_add(q, 4, "dedup:dtks[merge]", DRIVER_STAGE_DEDUP);
			a = &t->argv[0];
			for (size_t i = 0; i + 1 < d->argv[0].n; i++)
				sl_add(a, d->argv[0].v[i]);
			for (size_t o = 0; o < d->outputs.n; o++)
				sl_add(&t->outputs, d->outputs.v[o]);
			for (size_t i = 0; i < d->inputs.n; i++)
				if (d->inputs.v[i][0] == '/')
					sl_add(&t->inputs, d->inputs.v[i]);
			for (long j = 0; j < n; j++) {
				snprintf(path, sizeof path, SHARD_DIR "/pairs.%ld", j);
				step_in(t, a, "--merge-pairs=", path);
			}
		}
		for (size_t j = 0; j < recs->n; j++)
			step_in(t, a, "--recs=", recs->v[j]);
		for (size_t j = 0; j < parts->n; j++)
			step_in(t, a, "", parts->v[j]);
	}
}

static void plan_shards(struct env *v, struct plan *p, size_t ni, size_t di,
                        long n)
{
	struct angka_config *c = &v->cfg;
	const struct angka_input_list *in = &c->input[ANGKA_KIND_DTKS];
	struct plan *q = angka_xcalloc(1, sizeof *q);
	char canon[PATH_MAX], qi[PATH_MAX];
	snprintf(canon, sizeof canon, SHARD_DIR "/dtks.csv");
	snprintf(qi, sizeof qi, SHARD_DIR "/quarantine.ingest.csv");
	struct step *t = sub_add(q, 0, "normalize:dtks[ingest]",
	                         DRIVER_STAGE_INGEST);
	struct strlist *a = &t->argv[0];
	ingest_argv(v, t, a, ANGKA_KIND_DTKS, in->files, in->nfiles, qi, canon,
	            1);
	/* The raw table and the parts are read again at once by the next
	 * phases: through the page cache, not O_DIRECT, they are read from
	 * memory (at 10M rows, 4.6 GB less read from the disk). */
	sl_add(a, "--page-cache");
	/* The raw table's record index: each normalize shard takes the line
	 * count from it and seeks near its first record, instead of reading
	 * the whole table first (line_index.h). */
	step_out(t, a, "--index=", SHARD_DIR "/dtks.idx");
	for (long k = 0; k < n; k++) {
		char name[64], part[PATH_MAX], qn[PATH_MAX];
		snprintf(name, sizeof name, "normalize:dtks[%ld/%ld]", k, n);
		t = sub_add(q, 1, name, DRIVER_STAGE_NORMALIZE);
		a = &t->argv[0];
		snprintf(qn, sizeof qn, SHARD_DIR "/quarantine.normalize.%ld.csv", k);
		snprintf(part, sizeof part, SHARD_DIR "/part.%ld.csv", k);
		normalize_argv(v, t, a, ANGKA_KIND_DTKS, in->files, in->nfiles,
		               qn, part, 0, 1);
		sl_addf(a, "--shard=%ld/%ld", k, n);
		sl_add(a, "--page-cache");
		step_in(t, a, "--index=", SHARD_DIR "/dtks.idx");
		step_in(t, a, "", canon);
	}
	for (long k = 0; k < n; k++) {
		char name[64], path[PATH_MAX];
		snprintf(name, sizeof name, "dedup:dtks[recs %ld/%ld]", k, n);
		snprintf(path, sizeof path, SHARD_DIR "/recs.%ld", k);
		t = dedup_task(v, q, 2, name, "--recs-out=", path);
		a = &t->argv[0];
		/* The parts after the first have no header. */
		if (k > 0)
			step_in(t, a, "--header-from=", SHARD_DIR "/part.0.csv");
		snprintf(path, sizeof path, SHARD_DIR "/part.%ld.csv", k);
		step_in(t, a, "", path);
	}
	struct strlist recs = {0}, parts = {0};
	for (long j = 0; j < n; j++) {
		sl_addf(&recs, SHARD_DIR "/recs.%ld", j);
		sl_addf(&parts, SHARD_DIR "/part.%ld.csv", j);
	}
	plan_blocking(v, q, &p->s[di], n, &recs, &parts);
	sl_free(&recs);
	sl_free(&parts);
	p->s[ni].shard = q;
}

/*
 * dedup:dtks (p->s[di]) rerunning alone on the published table (its
 * producer reused, e.g. after a change of [dedup]), sharded: phase 2, the
 * table read once into one recs file (--recs-out, the table as its one
 * part); 3: angka-dedup --shard K/N over it; 4: the merge. On dedup:dtks.
 */
static void plan_dedup_shards(struct env *v, struct plan *p, size_t di,
                              long n)
{
	const struct step *d = &p->s[di];
	const char *table = d->argv[0].v[d->argv[0].n - 1];
	struct plan *q = angka_xcalloc(1, sizeof *q);
	struct step *t = dedup_task(v, q, 2, "dedup:dtks[recs]", "--recs-out=",
	                            SHARD_DIR "/recs.0");
	step_in(t, &t->argv[0], "", table);
	struct strlist recs = {0}, parts = {0};
	sl_add(&recs, SHARD_DIR "/recs.0");
	sl_add(&parts, table);
	plan_blocking(v, q, d, n, &recs, &parts);
	sl_free(&recs);
	sl_free(&parts);
	p->s[di].shard = q;
}

/* [engine] shards: the count, or for auto --jobs when the DTKS inputs
 * hold at least SHARD_AUTO_BYTES on disk (else 1). */
#define SHARD_AUTO_BYTES (256LL << 20)

static long shard_count(struct env *v)
{
	long n = v->eo.shards;
	if (n >= 0)
		return n;
	const struct angka_input_list *in = &v->cfg.input[ANGKA_KIND_DTKS];
	long long bytes = 0;
	for (size_t i = 0; i < in->nfiles; i++) {
		struct stat sb;
		if (stat(in->files[i], &sb) == 0)
			bytes += (long long)sb.st_size;
	}
	n = bytes >= SHARD_AUTO_BYTES ? v->jobs : 1;
	return n < 1 ? 1 : n > 256 ? 256 : n;
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

	/* The normalized tables later steps read (written by plan_prep). */
	char dtks[PATH_MAX], lines[PATH_MAX], penduduk[PATH_MAX];
	char terbitan[PATH_MAX], kube[PATH_MAX], uep[PATH_MAX];
	normalized(dtks, sizeof dtks, angka_kind_name(ANGKA_KIND_DTKS));
	normalized(lines, sizeof lines,
	           angka_kind_name(ANGKA_KIND_GARIS_KEMISKINAN));
	normalized(penduduk, sizeof penduduk,
	           angka_kind_name(ANGKA_KIND_PENDUDUK));
	normalized(terbitan, sizeof terbitan,
	           angka_kind_name(ANGKA_KIND_TERBITAN));
	normalized(kube, sizeof kube, angka_kind_name(ANGKA_KIND_KUBE));
	normalized(uep, sizeof uep, angka_kind_name(ANGKA_KIND_UEP));

	if (c->input[ANGKA_KIND_DTKS].nfiles) {
		struct step *st = plan_add(p, "dedup:dtks", DRIVER_STAGE_DEDUP,
		                            DRIVER_STAGE_DEDUP);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, DRIVER_STAGE_DEDUP);
		sl_addf(a, "--config=%s", v->config_abs);
		step_out(st, a, "--output=", DTKS_UNIK);
		step_out(st, a, "--duplicates=", DUPLICATES);
		step_out(st, a, "--review=", "private/review.csv");
		step_out(st, a, "--households=", "private/households.csv");
		/* The golden record of each person of two or more rows
		 * ([dedup] golden = all: of every person): every field's
		 * best-supported value and the row it came from, for the
		 * clerks. */
		step_out(st, a, "--golden=", "private/dtks_golden.csv");
		step_out(st, a, "--household-counts=",
		         "indicators/rumah_tangga_desa.csv");
		/* Several extracts (periods): the changes between the two
		 * newest, per person (private) and per desa (published). One
		 * extract has one period: nothing to compare, no files. */
		if (c->input[ANGKA_KIND_DTKS].nfiles > 1) {
			step_out(st, a, "--perubahan=", "private/perubahan.csv");
			step_out(st, a, "--perubahan-desa=",
			         "indicators/perubahan_desa.csv");
		}
		names(st, a, c);
		step_in(st, a, "", dtks);
		/* The same command reading the table from normalize's stdout
		 * (its --tee), run in one pipe with normalize:dtks whenever
		 * that step runs: dedup overlaps ingest and normalize instead
		 * of waiting for the file. Outputs and hash are the same. */
		for (size_t i = 0; i + 1 < a->n; i++)
			sl_add(&st->pipe_argv, a->v[i]);
		sl_add(&st->pipe_argv, "-");
		size_t self = (size_t)(st - p->s);
		for (size_t i = 0; i < self; i++)
			if (!strcmp(p->s[i].name, "normalize:dtks"))
				p->s[i].pipe_to = self;
		sl_add(&st->sections, "dedup");
		sl_add(&st->sections, "registry");  /* min_cell */
		/* A clerk's decisions file ([dedup] decisions) decides merges:
		 * dedup reads it through the config, so it is hashed as an
		 * input here, else an edited file would reuse old results. */
		char *dec = angka_config_path(c, "dedup", "decisions");
		if (dec)
			step_in(st, NULL, "", dec);
		free(dec);
		long n = shard_count(v);
		for (size_t i = 0; i < self && n > 1; i++)
			if (!strcmp(p->s[i].name, "normalize:dtks"))
				plan_shards(v, p, i, self, n);
		if (n > 1)
			plan_dedup_shards(v, p, self, n);
	}

	int have_lines = c->input[ANGKA_KIND_GARIS_KEMISKINAN].nfiles > 0;
	/* [garis]: the basic-needs lines of every SUSENAS year that has a
	 * consumption module ([garis] makanan and bukan_makanan files with
	 * the year in their names); with source = hitung the year's
	 * indicators use them instead of the input lines. */
	char **garis_lines = angka_xcalloc(years.n + 1, sizeof *garis_lines);
	size_t ngaris = 0;
	{
		char *kal = angka_config_path(c, "garis", "kalori");
		char *ras = angka_config_path(c, "garis", "rasio");
		char *ihk = angka_config_path(c, "garis", "ihk");
		const char *src = kv_value(c, "garis", "source");
		int hitung = src && !strcmp(src, "hitung");
		for (size_t i = 0; i < years.n && have_lines && kal && ras && ihk; i++) {
			int y = year_of(years.v[i]);
			char mak[PATH_MAX], buk[PATH_MAX];
			if (!y || !list_file_of_year(c, "makanan", y, mak, sizeof mak) ||
			    !list_file_of_year(c, "bukan_makanan", y, buk, sizeof buk))
				continue;
			char name[300], data[PATH_MAX], out[PATH_MAX];
			snprintf(name, sizeof name, "garis:%s", years.v[i]);
			struct step *st = plan_add(p, name, DRIVER_STAGE_GARIS,
			                            DRIVER_STAGE_GARIS);
			st->ncmd = 1;
			struct strlist *a = &st->argv[0];
			prog(v, a, DRIVER_STAGE_GARIS);
			sl_addf(a, "--config=%s", v->config_abs);
			sl_addf(a, "--tahun=%d", y);
			step_in(st, a, "--susenas=", normalized(data, sizeof data, years.v[i]));
			step_in(st, a, "--makanan=", mak);
			step_in(st, a, "--bukan-makanan=", buk);
			step_in(st, a, "--kalori=", kal);
			step_in(st, a, "--rasio=", ras);
			step_in(st, a, "--ihk=", ihk);
			step_in(st, a, "--garis=", lines);
			snprintf(out, sizeof out, GARIS_YEARLY "%s.csv", years.v[i]);
			step_out(st, a, "--output=", out);
			snprintf(out, sizeof out, KOMODITAS_YEARLY "%s.csv", years.v[i]);
			step_out(st, a, "--kontribusi=", out);
			snprintf(out, sizeof out, "private/garis_hitung/%s.csv", years.v[i]);
			step_out(st, a, "--lines=", out);
			if (hitung)
				garis_lines[i] = angka_xstrdup(out);
			snprintf(out, sizeof out, "private/quarantine/%s.garis.csv", years.v[i]);
			step_out(st, a, "--quarantine=", out);
			names(st, a, c);
			sl_add(&st->sections, "garis");
			ngaris++;
		}
		free(kal);
		free(ras);
		free(ihk);
	}
	if (ngaris) {
		/* Driver-internal, as indicators:poverty below. */
		static const char *const prefix[2] = { GARIS_YEARLY, KOMODITAS_YEARLY };
		static const char *const dest[2] = { GARIS_HITUNG, KOMODITAS_GK };
		static const char *const sname[2] = { "garis:hitung", "garis:komoditas" };
		for (int k = 0; k < 2; k++) {
			struct step *st = plan_add(p, sname[k], DRIVER_STAGE_GARIS,
			                            DRIVER_STAGE_GARIS);
			st->collect_from = prefix[k];
			for (size_t i = 0; i < p->n; i++) {
				struct step *g = &p->s[i];
				if (strncmp(g->name, "garis:susenas", 13))
					continue;
				for (size_t j = 0; j < g->outputs.n; j++)
					if (!strncmp(g->outputs.v[j], prefix[k], strlen(prefix[k])))
						step_in(st, NULL, NULL, g->outputs.v[j]);
			}
			step_out(st, NULL, NULL, dest[k]);
		}
	}
	for (size_t i = 0; i < years.n && have_lines; i++) {
		char name[300], data[PATH_MAX], out[PATH_MAX];
		snprintf(name, sizeof name, "indicators:%s", years.v[i]);
		struct step *st = plan_add(p, name, DRIVER_STAGE_INDICATORS,
		                            DRIVER_STAGE_INDICATORS);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, DRIVER_STAGE_INDICATORS);
		sl_addf(a, "--config=%s", v->config_abs);
		/* The year's table is the first input (hash order) and the
		 * last argument. */
		normalized(data, sizeof data, years.v[i]);
		step_in(st, NULL, NULL, data);
		step_in(st, a, "--lines=", garis_lines[i] ? garis_lines[i] : lines);
		step_out(st, a, "--output=",
		         poverty_yearly(out, sizeof out, years.v[i]));
		names(st, a, c);
		step_arg(a, "", data);
		sl_add(&st->sections, "indicators");
	}
	if (years.n && have_lines) {
		/* Driver-internal (collect() in step.c): no command line; the
		 * inputs are concatenated in this order into the output. */
		struct step *st = plan_add(p, "indicators:poverty",
		                            DRIVER_STAGE_INDICATORS,
		                            DRIVER_STAGE_INDICATORS);
		st->collect_from = POVERTY_YEARLY;
		for (size_t i = 0; i < years.n; i++) {
			char in[PATH_MAX];
			step_in(st, NULL, NULL,
			        poverty_yearly(in, sizeof in, years.v[i]));
		}
		step_out(st, NULL, NULL, POVERTY);
	}
	int have_dtks = c->input[ANGKA_KIND_DTKS].nfiles > 0;
	int have_poverty = years.n && have_lines;
	/* Small-area estimation is asked for by a [sae] section (it needs
	 * kecamatan domains in the poverty table: [indicators] by). */
	int have_sae = 0;
	for (size_t i = 0; i < c->nkv; i++)
		if (strcmp(c->kv[i].section, "sae") == 0)
			have_sae = 1;
	have_sae = have_sae && have_poverty && have_dtks;
	if (have_dtks) {
		struct step *st = plan_add(p, "indicators:registry",
		                            DRIVER_STAGE_INDICATORS,
		                            DRIVER_STAGE_INDICATORS);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, DRIVER_STAGE_INDICATORS);
		sl_add(a, "--mode=registry");
		sl_addf(a, "--config=%s", v->config_abs);
		step_in(st, a, "--registry=", DTKS_UNIK);
		if (c->input[ANGKA_KIND_PENDUDUK].nfiles)
			step_in(st, a, "--penduduk=", penduduk);
		if (years.n && have_lines)
			step_in(st, a, "--poverty=", POVERTY);
		if (c->input[ANGKA_KIND_TERBITAN].nfiles)
			step_in(st, a, "--terbitan=", terbitan);
		step_out(st, a, "--output=", REGISTRY);
		/* The counts suppression hides, for the small-area step only. */
		if (have_sae)
			step_out(st, a, "--unsuppressed=", REGISTRY_INTERNAL);
		names(st, a, c);
		sl_add(&st->sections, "registry");
	}
	if (have_dtks && (c->input[ANGKA_KIND_KUBE].nfiles ||
	                  c->input[ANGKA_KIND_UEP].nfiles)) {
		static const char violations[] = "private/programme_violations.csv";
		struct step *st = plan_add(p, "indicators:programmes",
		                            DRIVER_STAGE_INDICATORS,
		                            DRIVER_STAGE_INDICATORS);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, DRIVER_STAGE_INDICATORS);
		sl_add(a, "--mode=programme");
		sl_addf(a, "--config=%s", v->config_abs);
		step_in(st, a, "--registry=", DTKS_UNIK);
		step_in(st, a, "--duplicates=", DUPLICATES);
		step_in(st, a, "--normalized=", dtks);
		/* Outputs: the table, then the violations; the command line
		 * names them the other way round. */
		step_out(st, NULL, NULL, PROGRAMMES);
		step_out(st, NULL, NULL, violations);
		step_arg(a, "--violations=", violations);
		step_arg(a, "--output=", PROGRAMMES);
		names(st, a, c);
		if (c->input[ANGKA_KIND_KUBE].nfiles)
			step_in(st, a, "", kube);
		if (c->input[ANGKA_KIND_UEP].nfiles)
			step_in(st, a, "", uep);
		sl_add(&st->sections, "programmes");
	}

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
		prog(v, a, DRIVER_STAGE_TREND);
		sl_addf(a, "--config=%s", v->config_abs);
		step_out(st, a, "--history=", TREND_HISTORY);
		step_out(st, a, "--changes=", "trend/changes.csv");
		step_out(st, a, "--trend=", "trend/trend.csv");
		step_out(st, a, "--revisions=", TREND_REVISIONS);
		/* Carried state, so on the command line only (see above). */
		step_arg(a, "--previous-history=", TREND_PREVIOUS_HISTORY);
		if (c->input[ANGKA_KIND_TERBITAN].nfiles)
			step_in(st, a, "--published=", terbitan);
		/* The total poverty line deflates the expenditure changes. */
		step_in(st, a, "--lines=", lines);
		names(st, a, c);
		step_in(st, a, "", POVERTY);
		/* The computed poverty lines (GK, GKM, GKNM per area and year,
		 * with SE) join the history next to the published ones. */
		if (ngaris)
			step_in(st, a, "", GARIS_HITUNG);
		sl_add(&st->sections, "trend");
	}
	if (have_sae) {
		/* Small-area estimates of the registry year: the kecamatan's
		 * direct estimates with registry covariates ([sae]). */
		struct step *st = plan_add(p, "sae", DRIVER_STAGE_SAE,
		                            DRIVER_STAGE_SAE);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, DRIVER_STAGE_SAE);
		sl_addf(a, "--config=%s", v->config_abs);
		step_in(st, a, "--poverty=", POVERTY);
		step_in(st, a, "--registry=", REGISTRY);
		/* Covariates from every count; a desa whose covariates the
		 * published table cannot give is published without values,
		 * its values in private/ (docs/sae.md). */
		step_in(st, a, "--registry-internal=", REGISTRY_INTERNAL);
		step_out(st, a, "--output=", SAE);
		step_out(st, a, "--model=", "indicators/sae_model.csv");
		step_out(st, a, "--output-internal=", SAE_INTERNAL);
		names(st, a, c);
		sl_add(&st->sections, "sae");
	}
	if (have_poverty || have_dtks || ngaris) {
		struct step *st = plan_add(p, "chart", DRIVER_STAGE_CHART,
		                            DRIVER_STAGE_CHART);
		st->ncmd = 1;
		struct strlist *a = &st->argv[0];
		prog(v, a, DRIVER_STAGE_CHART);
		sl_addf(a, "--config=%s", v->config_abs);
		step_out(st, a, "--outdir=", "charts");
		if (have_poverty)
			step_in(st, a, "--history=", TREND_HISTORY);
		if (have_dtks)
			step_in(st, a, "--registry=", REGISTRY);
		if (have_dtks && (c->input[ANGKA_KIND_KUBE].nfiles ||
		                  c->input[ANGKA_KIND_UEP].nfiles))
			step_in(st, a, "--programmes=", PROGRAMMES);
		if (have_sae)
			step_in(st, a, "--sae=", SAE);
		if (ngaris)
			step_in(st, a, "--komoditas=", KOMODITAS_GK);
		struct angka_input_list *wl = &c->input[ANGKA_KIND_WILAYAH];
		if (wl->nfiles)
			step_in(st, a, "--wilayah=", wl->files[0]);
		/* Every chart whose inputs are passed above, in the order of
		 * angka-chart's table (stages/chart/charts.c). */
		sl_add(a, "available");
		sl_add(&st->sections, "chart");
		sl_add(&st->sections, "angka");
	}

	if (c->input[ANGKA_KIND_DTKS].nfiles && v->ro.pseudonymize == 1) {
		/* Driver-internal (export.c): no command line. The key file is
		 * an input, so a new key reruns the step. */
		struct step *st = plan_add(p, "export:dtks_pseudonim",
		                            DRIVER_STAGE_DEDUP,
		                            DRIVER_STAGE_DEDUP);
		st->export_step = 1;
		step_in(st, NULL, NULL, DTKS_UNIK);
		step_in(st, NULL, NULL, v->ro.key_file);
		step_out(st, NULL, NULL, "shared/dtks_pseudonim.csv");
		sl_add(&st->sections, "run");
	}
	for (size_t i = 0; i < years.n; i++)
		free(garis_lines[i]);
	free(garis_lines);
	sl_free(&years);
}
