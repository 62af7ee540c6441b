/*
 * angka-indicators - poverty indicators with design-based SEs. CLI only;
 * see indicators.h and docs/indicators.md.
 */
#include "indicators.h"
#include "publish.h"
#include "regprog.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
	"usage: angka-indicators [--mode survey|registry|programme] [-c CONFIG]\n"
	"                        [-o OUT] --lines FILE [options] [FILE|-]...\n"
	"       angka-indicators --value COL --weight COL [--hhsize COL]\n"
	"                        [--strata COL] [--psu COL] [--fpc COL]\n"
	"                        --line NUMBER|COL [--by COL]... [options] FILE\n"
	"       angka-indicators --merge [-o OUT] PARTIAL...\n"
	"\n"
	"Survey poverty indicators (P0, P1, P2, jumlah_miskin, rata_kapita,\n"
	"median_kapita, gini, porsi_40_bawah, kontribusi_P0..P2) per year and\n"
	"domain, with SEs by ultimate-cluster linearization (as R survey).\n"
	"Survey mode reads normalized SUSENAS rows (kapita, bobot, strata, psu,\n"
	"tahun, kode_wilayah, daerah) and joins each to its poverty line.\n"
	"\n"
	"  -c, --config FILE      config; keys of [indicators] apply\n"
	"      --check-config     only validate [indicators], [registry], [programmes]\n"
	"  -o, --output FILE      output (default stdout; .gz compresses)\n"
	"      --lines FILE       normalized poverty lines (survey mode)\n"
	"      --by COL           extra domain column (repeatable, max %d)\n"
	"      --fpc COL          population PSUs in the stratum (or fractions)\n"
	"      --weak             poor if y <= z (default strict y < z)\n"
	"      --lonely-psu P     fail (default), remove, adjust, certainty\n"
	"      --level L          confidence level (default 0.95)\n"
	"      --domain-df D      domain (default: the domain's own df, as R\n"
	"                         degf(subset(...))) or design (the whole design's)\n"
	"      --ci METHOD        CIs of proportions: logit (default), beta\n"
	"                         (Korn-Graubard), wald (symmetric, cut to range)\n"
	"      --gini-se METHOD   Gini SE: jackknife (default; delete-one-PSU, as\n"
	"                         R survey JKn) or linearization (as convey)\n"
	"      --min-psu N        catatan sampel_kecil below N PSUs (default 5)\n"
	"      --min-obs N        ... or below N records (default 30)\n"
	"      --no-distribution  skip median, gini, porsi_40_bawah\n"
	"      --partial          write mergeable partial sums instead\n"
	"      --merge            the FILEs are partials: merge them\n"
	"      --value COL        ad hoc mode: per-capita value column\n"
	"      --weight COL       ad hoc: weight (household weight with --hhsize)\n"
	"      --hhsize COL       ad hoc: household size (weight x size)\n"
	"      --strata COL       ad hoc: strata column (default one stratum)\n"
	"      --psu COL          ad hoc: PSU column (default each row)\n"
	"      --line NUMBER|COL  ad hoc: poverty line, a number or a column\n"
	"      --mode MODE        survey (default), registry, programme\n"
	"      --labels           Stata/SPSS/SAS input: value labels, not codes\n"
	"      --sheet NAME       .xlsx input: the sheet (default the first)\n"
	"\n"
	"Registry mode (DTKS targeting, aggregates only):\n"
	"      --registry FILE    dedup's unique persons (registry, programme)\n"
	"      --penduduk FILE    normalized population table\n"
	"      --poverty FILE     survey indicators: angka's estimated poor\n"
	"      --terbitan FILE    normalized published BPS table: BPS's poor\n"
	"      --unsuppressed FILE  internal copy of the table with every small\n"
	"                         count (no [registry] min_cell suppression)\n"
	"Programme mode (KUBE/UEP checks; FILEs are normalized programme lists):\n"
	"      --normalized FILE  normalized DTKS (all rows, to map every NIK)\n"
	"      --duplicates FILE  dedup's duplicates.csv (NIK -> cluster)\n"
	"      --violations FILE  private list of rule violations\n"
	"  -q, --quiet            print only errors\n"
	ANGKA_PUBLISH_USAGE
	"  -h, --help             this help\n"
	"      --version          print the version\n"
	"\n"
	"Exit status: 0 success, 1 data error, 2 usage or config error.\n",
	IND_MAX_BY);
}

/* Registry and programme modes: config, run, counts on stderr. */
static int regprog_main(const struct ind_opts *o, struct regprog_opts *rp,
                        const char *config, int nfiles, char **files)
{
	struct angka_error e = { 0 };
	struct angka_config cfg;
	angka_config_init(&cfg);
	regprog_settings_init(&rp->set);
	int st = 0;
	if ((config && angka_config_load(&cfg, config, &e) != ANGKA_OK) ||
	    angka_config_apply(&cfg, "registry", regprog_registry_keys, &rp->set,
	                       &e) != ANGKA_OK ||
	    angka_config_apply(&cfg, "programmes", regprog_programme_keys,
	                       &rp->set, &e) != ANGKA_OK) {
		st = angka_report(&e);
		goto done;
	}
	rp->out = o->out;
	rp->quiet = o->quiet;
	rp->files = (const char *const *)files;
	rp->nfiles = (size_t)nfiles;
	struct regprog_stats stats;
	enum angka_err rc;
	if (o->mode == IND_MODE_REGISTRY) {
		if (!rp->registry) {
			angka_warn("registry mode needs --registry FILE");
			st = 2;
			goto done;
		}
		rc = regprog_registry_run(rp, &stats, &e);
	} else {
		if (!rp->registry || nfiles < 1) {
			angka_warn("programme mode needs --registry FILE and "
			           "programme list FILEs");
			st = 2;
			goto done;
		}
		rc = regprog_programme_run(rp, &stats, &e);
	}
	if (rc != ANGKA_OK) {
		st = angka_report(&e);
		goto done;
	}
	if (!o->quiet)
		fprintf(stderr, "%s: %s: rows in %llu, out %llu, quarantined %llu"
		        " (rule violations %llu)\n", angka_progname(),
		        o->mode == IND_MODE_REGISTRY ? "registry" : "programme",
		        (unsigned long long)stats.rows_in,
		        (unsigned long long)stats.rows_out,
		        (unsigned long long)stats.rows_quarantined,
		        (unsigned long long)stats.violations);
done:
	angka_config_release(&cfg);
	return st;
}

static int add_by(struct ind_opts *o, const char *col)
{
	if (o->nby >= IND_MAX_BY)
		return -1;
	for (size_t i = 0; i < o->nby; i++)
		if (strcmp(o->by[i], col) == 0)
			return 0;
	o->by[o->nby++] = col;
	return 0;
}

int main(int argc, char **argv)
{
	angka_diag_init(argv[0]);
	enum { OPT_LINES = 256, OPT_BY, OPT_FPC, OPT_WEAK, OPT_LONELY, OPT_LEVEL,
	       OPT_NODIST, OPT_PARTIAL, OPT_MERGE, OPT_VALUE, OPT_WEIGHT,
	       OPT_HHSIZE, OPT_STRATA, OPT_PSU, OPT_LINE, OPT_MODE, OPT_VERSION,
	       OPT_REGISTRY, OPT_PENDUDUK, OPT_POVERTY, OPT_TERBITAN, OPT_NORMALIZED,
	       OPT_DUPLICATES, OPT_VIOLATIONS, OPT_DOMAIN_DF, OPT_MIN_PSU,
	       OPT_MIN_OBS, OPT_CI, OPT_LABELS, OPT_SHEET, OPT_CSV,
	       OPT_WILAYAH, OPT_UNSUPPRESSED, OPT_GINI_SE };
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, OPT_BY },
		{ "labels", no_argument, NULL, OPT_LABELS },
		{ "sheet", required_argument, NULL, OPT_SHEET },
		{ "duplicates", required_argument, NULL, OPT_DUPLICATES },
		{ "normalized", required_argument, NULL, OPT_NORMALIZED },
		{ "penduduk", required_argument, NULL, OPT_PENDUDUK },
		{ "poverty", required_argument, NULL, OPT_POVERTY },
		{ "terbitan", required_argument, NULL, OPT_TERBITAN },
		{ "registry", required_argument, NULL, OPT_REGISTRY },
		{ "violations", required_argument, NULL, OPT_VIOLATIONS },
		{ "unsuppressed", required_argument, NULL, OPT_UNSUPPRESSED },
		{ "check-config", no_argument, NULL, 'C' },
		{ "config", required_argument, NULL, 'c' },
		{ "ci", required_argument, NULL, OPT_CI },
		{ "gini-se", required_argument, NULL, OPT_GINI_SE },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "domain-df", required_argument, NULL, OPT_DOMAIN_DF },
		{ "fpc", required_argument, NULL, OPT_FPC },
		{ "min-obs", required_argument, NULL, OPT_MIN_OBS },
		{ "min-psu", required_argument, NULL, OPT_MIN_PSU },
		{ "help", no_argument, NULL, 'h' },
		{ "hhsize", required_argument, NULL, OPT_HHSIZE },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "line", required_argument, NULL, OPT_LINE },
		{ "lines", required_argument, NULL, OPT_LINES },
		{ "lonely-psu", required_argument, NULL, OPT_LONELY },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "no-distribution", no_argument, NULL, OPT_NODIST },
		{ "output", required_argument, NULL, 'o' },
		{ "partial", no_argument, NULL, OPT_PARTIAL },
		{ "psu", required_argument, NULL, OPT_PSU },
		{ "quiet", no_argument, NULL, 'q' },
		{ "strata", required_argument, NULL, OPT_STRATA },
		{ "value", required_argument, NULL, OPT_VALUE },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "weak", no_argument, NULL, OPT_WEAK },
		{ "weight", required_argument, NULL, OPT_WEIGHT },
		{ "wilayah", required_argument, NULL, OPT_WILAYAH },
		{ NULL, 0, NULL, 0 }
	};
	struct ind_opts o;
	memset(&o, 0, sizeof o);
	const char *config = NULL, *lonely = NULL, *level = NULL, *mode = NULL;
	const char *domain_df = NULL, *min_psu = NULL, *min_obs = NULL;
	const char *ci = NULL, *csv = NULL, *wilayah = NULL, *gini_se = NULL;
	const char *cli_by[IND_MAX_BY];
	struct regprog_opts rp;
	memset(&rp, 0, sizeof rp);
	size_t ncli_by = 0;
	int weak = 0, nodist = 0, c, check_config = 0;
	struct angka_input_opts inopts = { 0 };
	while ((c = getopt_long(argc, argv, "c:ho:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'C': check_config = 1; break;
		case 'h': usage(stdout); return 0;
		case 'o': o.out = optarg; break;
		case 'q': o.quiet = 1; break;
		case OPT_BY:
			if (ncli_by >= IND_MAX_BY) {
				angka_warn("too many --by columns (max %d)", IND_MAX_BY);
				return 2;
			}
			cli_by[ncli_by++] = optarg;
			break;
		case OPT_CI: ci = optarg; break;
		case OPT_GINI_SE: gini_se = optarg; break;
		case OPT_DOMAIN_DF: domain_df = optarg; break;
		case OPT_MIN_PSU: min_psu = optarg; break;
		case OPT_MIN_OBS: min_obs = optarg; break;
		case OPT_FPC: o.fpc = optarg; break;
		case OPT_HHSIZE: o.hhsize = optarg; break;
		case OPT_LEVEL: level = optarg; break;
		case OPT_LINE: o.line = optarg; break;
		case OPT_LINES: o.lines = optarg; break;
		case OPT_LONELY: lonely = optarg; break;
		case OPT_MERGE: o.merge = 1; break;
		case OPT_MODE: mode = optarg; break;
		case OPT_NODIST: nodist = 1; break;
		case OPT_PARTIAL: o.partial = 1; break;
		case OPT_PSU: o.psu = optarg; break;
		case OPT_STRATA: o.strata = optarg; break;
		case OPT_VALUE: o.value = optarg; break;
		case OPT_VERSION:
			printf("angka-indicators %s\n", ANGKA_VERSION);
			return 0;
		case OPT_WEAK: weak = 1; break;
		case OPT_LABELS: inopts.labels = 1; break;
		case OPT_SHEET: inopts.sheet = optarg; break;
		case OPT_WEIGHT: o.weight = optarg; break;
		case OPT_CSV: csv = optarg; break;
		case OPT_WILAYAH: wilayah = optarg; break;
		case OPT_REGISTRY: rp.registry = optarg; break;
		case OPT_PENDUDUK: rp.penduduk = optarg; break;
		case OPT_POVERTY: rp.poverty = optarg; break;
		case OPT_TERBITAN: rp.terbitan = optarg; break;
		case OPT_NORMALIZED: rp.normalized = optarg; break;
		case OPT_DUPLICATES: rp.duplicates = optarg; break;
		case OPT_VIOLATIONS: rp.violations = optarg; break;
		case OPT_UNSUPPRESSED: rp.unsuppressed = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	angka_input_set_opts(&inopts);
	if (check_config) {
		struct ind_settings is;
		struct regprog_settings rs;
		ind_settings_init(&is);
		regprog_settings_init(&rs);
		const char *const sec[] = { "indicators", "registry", "programmes",
		                            NULL };
		const struct angka_key_def *const defs[] = {
			ind_setting_keys, regprog_registry_keys, regprog_programme_keys
		};
		void *const scr[] = { &is, &rs, &rs };
		return angka_config_check_main(config, sec, defs, scr);
	}
	if (mode) {
		if (strcmp(mode, "survey") == 0)
			o.mode = IND_MODE_SURVEY;
		else if (strcmp(mode, "registry") == 0)
			o.mode = IND_MODE_REGISTRY;
		else if (strcmp(mode, "programme") == 0)
			o.mode = IND_MODE_PROGRAMME;
		else {
			angka_warn("bad --mode '%s' (expected survey, registry or "
			           "programme)", mode);
			return 2;
		}
	}
	int pst = angka_publish_main(csv, wilayah);
	if (pst)
		return pst;
	if (o.mode != IND_MODE_SURVEY) {
		pst = regprog_main(&o, &rp, config, argc - optind, argv + optind);
		angka_publish_free();
		return pst;
	}
	if (o.value || o.weight || o.line || o.hhsize || o.strata || o.psu) {
		if (!o.value || !o.weight || !o.line) {
			angka_warn("ad hoc mode needs --value, --weight and --line");
			usage(stderr);
			return 2;
		}
	}
	if (o.partial && o.merge) {
		angka_warn("--partial and --merge exclude each other");
		return 2;
	}
	if (o.merge && optind >= argc) {
		angka_warn("--merge needs partial files");
		return 2;
	}

	/* defaults < config < command line */
	struct angka_error e = { 0 };
	struct angka_config cfg;
	angka_config_init(&cfg);
	struct ind_settings set;
	ind_settings_init(&set);
	if (config && angka_config_load(&cfg, config, &e) != ANGKA_OK) {
		int rc = angka_report(&e);
		angka_config_release(&cfg);
		return rc;
	}
	if (angka_config_apply(&cfg, "indicators", ind_setting_keys, &set,
	                       &e) != ANGKA_OK) {
		int rc = angka_report(&e);
		angka_config_release(&cfg);
		return rc;
	}
	o.rule = weak ? IND_RULE_WEAK : set.poverty_rule;
	o.lonely = set.lonely_psu;
	o.level = set.level;
	o.distribution = nodist ? 0 : set.distribution;
	o.domain_df = set.domain_df;
	o.ci_method = set.ci_method;
	o.gini_se = set.gini_se;
	o.min_psu = set.min_psu;
	o.min_obs = set.min_obs;
	if (!o.fpc)
		o.fpc = set.fpc;
	int st = 0;
	char *bycopy = set.by ? angka_xstrdup(set.by) : NULL;
	if (bycopy)
		for (char *tok = strtok(bycopy, " \t,"); tok;
		     tok = strtok(NULL, " \t,"))
			if (add_by(&o, tok)) {
				angka_warn("too many domain columns (max %d)",
				           IND_MAX_BY);
				st = 2;
				goto done;
			}
	for (size_t i = 0; i < ncli_by; i++)
		if (add_by(&o, cli_by[i])) {
			angka_warn("too many domain columns (max %d)", IND_MAX_BY);
			st = 2;
			goto done;
		}
	if (lonely) {
		static const char *const names[] = { "fail", "remove", "adjust",
		                                     "certainty" };
		int k = -1;
		for (int i = 0; i < 4; i++)
			if (strcmp(lonely, names[i]) == 0)
				k = i;
		if (k < 0) {
			angka_warn("bad --lonely-psu '%s' (expected fail, remove, "
			           "adjust or certainty)", lonely);
			st = 2;
			goto done;
		}
		o.lonely = k;
	}
	if (level) {
		char *end;
		double l = strtod(level, &end);
		if (*end || !(l > 0 && l < 1)) {
			angka_warn("bad --level '%s' (expected a number in (0, 1))",
			           level);
			st = 2;
			goto done;
		}
		o.level = l;
	}
	if (domain_df) {
		if (strcmp(domain_df, "domain") == 0)
			o.domain_df = IND_DF_DOMAIN;
		else if (strcmp(domain_df, "design") == 0)
			o.domain_df = IND_DF_DESIGN;
		else {
			angka_warn("bad --domain-df '%s' (expected domain or design)",
			           domain_df);
			st = 2;
			goto done;
		}
	}
	if (ci) {
		static const char *const cn[] = { "logit", "beta", "wald" };
		int k = -1;
		for (int i = 0; i < 3; i++)
			if (strcmp(ci, cn[i]) == 0)
				k = i;
		if (k < 0) {
			angka_warn("bad --ci '%s' (expected logit, beta or wald)", ci);
			st = 2;
			goto done;
		}
		o.ci_method = k;
	}
	if (gini_se) {
		if (strcmp(gini_se, "jackknife") == 0)
			o.gini_se = IND_GINI_JACKKNIFE;
		else if (strcmp(gini_se, "linearization") == 0)
			o.gini_se = IND_GINI_LINEARIZATION;
		else {
			angka_warn("bad --gini-se '%s' (expected jackknife or "
			           "linearization)", gini_se);
			st = 2;
			goto done;
		}
	}
	const char *const counts[2] = { min_psu, min_obs };
	long *const cdst[2] = { &o.min_psu, &o.min_obs };
	for (int i = 0; i < 2; i++) {
		if (!counts[i])
			continue;
		char *end;
		errno = 0;
		long v = strtol(counts[i], &end, 10);
		if (errno || end == counts[i] || *end || v < 0) {
			angka_warn("bad --%s '%s' (expected a count >= 0)",
			           i ? "min-obs" : "min-psu", counts[i]);
			st = 2;
			goto done;
		}
		*cdst[i] = v;
	}
	static const char *const stdin_only[] = { "-" };
	o.files = optind < argc ? (const char *const *)argv + optind : stdin_only;
	o.nfiles = optind < argc ? (size_t)(argc - optind) : 1;

	struct ind_stats stats;
	if (ind_run(&o, &stats, &e) != ANGKA_OK) {
		st = angka_report(&e);
		goto done;
	}
	if (!o.quiet)
		fprintf(stderr,
		        "%s: %s: rows in %llu, out %llu, quarantined 0; years "
		        "%llu, domains %llu, estimate rows %llu; lonely-PSU "
		        "strata %d (policy %s)\n",
		        angka_progname(), o.merge ? "merge" :
		        o.partial ? "partial" : "survey",
		        (unsigned long long)stats.rows_in,
		        (unsigned long long)stats.rows_in,
		        (unsigned long long)stats.designs,
		        (unsigned long long)stats.domains,
		        (unsigned long long)stats.rows_out, stats.lonely_strata,
		        ind_lonely_name(o.lonely));
done:
	free(bycopy);
	angka_config_release(&cfg);
	return st;
}
