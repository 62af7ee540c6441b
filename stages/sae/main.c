/*
 * angka-sae - small-area estimation with the Fay-Herriot model: one row
 * per area in, EBLUP or synthetic estimate with MSE per area out. CLI
 * only; see sae.h.
 */
#include "sae.h"
#include "publish.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

static void usage(FILE *f)
{
	fprintf(f,
	"usage: angka-sae --area COL --estimate COL (--se COL | --variance COL)\n"
	"                 [--covariate COL]... [--factor COL]... [--method reml|ml]\n"
	"                 [--transform none|arcsin] [--benchmark VALUE|COL]\n"
	"                 [--model FILE] [-o OUT] FILE\n"
	"       angka-sae --poverty POVERTY.csv --registry REGISTRY.csv [--tahun Y]\n"
	"                 [--indikator IND]... [--covariate NAME]... [--method reml|ml]\n"
	"                 [-c CONFIG] [--model FILE] [-o OUT]\n"
	"                 [--registry-internal FILE [--output-internal FILE]]\n"
	"\n"
	"Fit the area-level Fay-Herriot model to direct estimates and their\n"
	"sampling variances, and write per area the EBLUP (or the synthetic\n"
	"x'beta for areas without a direct estimate or with variance 0 or\n"
	"missing), its MSE, RMSE and RSE. The second form models angka-indicators'\n"
	"tables: kecamatan direct estimates, registry covariates, kecamatan and\n"
	"desa out, in the long format with a metode column. See docs/sae.md.\n"
	"\n"
	"      --area COL          area identifier (unique per row)\n"
	"      --estimate COL      direct estimate (empty: predicted synthetically)\n"
	"      --se COL            its standard error, or\n"
	"      --variance COL      its sampling variance\n"
	"      --covariate COL     numeric covariate (repeatable)\n"
	"      --factor COL        categorical covariate: indicator columns, the\n"
	"                          first level in byte order as reference (repeatable)\n"
	"      --method M          reml (default; MSE Prasad-Rao) or ml (Datta-Lahiri)\n"
	"      --transform T       none (default) or arcsin: proportions on the\n"
	"                          arcsin-sqrt scale, variance 1/(4 n_eff),\n"
	"                          bias-corrected back-transformation\n"
	"      --n-eff COL         arcsin: effective sample size (default\n"
	"                          p(1-p)/variance)\n"
	"      --percent           arcsin: estimates and SEs are percentages\n"
	"      --bootstrap B       MSE by a parametric bootstrap of B replicates\n"
	"      --seed S            bootstrap seed (default 1)\n"
	"      --benchmark V|COL   ratio-benchmark the EBLUPs to V (a number or a\n"
	"                          column holding it): extra columns\n"
	"                          eblup_bench, mse_bench = mse + (eblup_bench -\n"
	"                          eblup)^2, rse_bench_pct\n"
	"      --share COL         benchmark weights (population shares; default\n"
	"                          equal)\n"
	"      --gvf missing|all   smooth direct variances by a generalized\n"
	"                          variance function of n_obs: for areas without\n"
	"                          a usable variance, or for every area\n"
	"      --n-obs COL         sample size column (default n_obs if present)\n"
	);
	/* Two strings: C11 guarantees only 4095 characters in one. */
	fprintf(f,
	"      --poverty FILE      long mode: angka-indicators' poverty table\n"
	"      --registry FILE     long mode: its registry table (covariates:\n"
	"                          desil12_pct, pkh_pct (default), bpnt_pct,\n"
	"                          art_per_ruta, dtks_pct)\n"
	"      --registry-internal FILE  long mode: the registry table without\n"
	"                          suppression: covariates from it; a desa whose\n"
	"                          covariates the published --registry cannot\n"
	"                          give is written without values (ditahan)\n"
	"      --output-internal FILE  every area's values (not to publish)\n"
	"      --tahun Y           long mode: the year (default: the registry's)\n"
	"  -c, --config FILE       long mode: defaults from [sae]: method,\n"
	"                          indikator, covariates (lists)\n"
	"      --check-config      only validate the config's [sae] section\n"
	"      --indikator IND     long mode: indicator to model (default P0;\n"
	"                          repeatable)\n"
	"      --model FILE        model table: variance, coefficients, fit\n"
	"      --tolerance T       relative tolerance on the variance (1e-12)\n"
	"      --max-iter N        Fisher scoring steps at most (500)\n"
	"  -o, --output OUT        per-area table (default stdout)\n"
	"  -q, --quiet             print only errors\n"
	ANGKA_PUBLISH_USAGE
	"  -h, --help              this help\n"
	"      --version           print the version\n"
	"\n"
	"Exit status: 0 success, 1 data error, 2 usage error.\n");
}

/* A usage problem: say it and remember it. */
#define BAD(...) (angka_warn(__VA_ARGS__), bad = 1)

static int parse_long(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	angka_diag_init(argv[0]);
	gsl_set_error_handler_off();
	enum { OPT_AREA = 256, OPT_EST, OPT_SE, OPT_VAR, OPT_COV, OPT_FAC,
	       OPT_METHOD, OPT_TRANSFORM, OPT_NEFF, OPT_PERCENT, OPT_BOOT,
	       OPT_SEED, OPT_BENCH, OPT_SHARE, OPT_GVF, OPT_NOBS, OPT_MODEL,
	       OPT_TOL, OPT_MAXIT, OPT_POVERTY, OPT_REGISTRY, OPT_TAHUN,
	       OPT_REGISTRY_INTERNAL, OPT_OUTPUT_INTERNAL,
	       OPT_IND, OPT_VERSION, OPT_CSV, OPT_WILAYAH };
	static const struct option longopts[] = {
		{ "area", required_argument, NULL, OPT_AREA },
		{ "benchmark", required_argument, NULL, OPT_BENCH },
		{ "check-config", no_argument, NULL, 'C' },
		{ "config", required_argument, NULL, 'c' },
		{ "bootstrap", required_argument, NULL, OPT_BOOT },
		{ "covariate", required_argument, NULL, OPT_COV },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "estimate", required_argument, NULL, OPT_EST },
		{ "factor", required_argument, NULL, OPT_FAC },
		{ "gvf", required_argument, NULL, OPT_GVF },
		{ "help", no_argument, NULL, 'h' },
		{ "indikator", required_argument, NULL, OPT_IND },
		{ "poverty", required_argument, NULL, OPT_POVERTY },
		{ "registry", required_argument, NULL, OPT_REGISTRY },
		{ "registry-internal", required_argument, NULL,
		  OPT_REGISTRY_INTERNAL },
		{ "output-internal", required_argument, NULL,
		  OPT_OUTPUT_INTERNAL },
		{ "tahun", required_argument, NULL, OPT_TAHUN },
		{ "max-iter", required_argument, NULL, OPT_MAXIT },
		{ "method", required_argument, NULL, OPT_METHOD },
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "n-eff", required_argument, NULL, OPT_NEFF },
		{ "n-obs", required_argument, NULL, OPT_NOBS },
		{ "output", required_argument, NULL, 'o' },
		{ "percent", no_argument, NULL, OPT_PERCENT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "se", required_argument, NULL, OPT_SE },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "share", required_argument, NULL, OPT_SHARE },
		{ "tolerance", required_argument, NULL, OPT_TOL },
		{ "transform", required_argument, NULL, OPT_TRANSFORM },
		{ "variance", required_argument, NULL, OPT_VAR },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "wilayah", required_argument, NULL, OPT_WILAYAH },
		{ NULL, 0, NULL, 0 }
	};
	struct sae_opts o;
	sae_opts_init(&o);
	o.seed = 1;
	const char **cov = angka_xcalloc((size_t)argc, sizeof *cov);
	const char **fac = angka_xcalloc((size_t)argc, sizeof *fac);
	const char **ind = angka_xcalloc((size_t)argc, sizeof *ind);
	int quiet = 0, c, bad = 0, status = 2;
	long l;
	char *end;
	const char *config = NULL, *csv = NULL, *wilayah = NULL;
	int check_config = 0, method_set = 0;
	char *ind_copy = NULL, *cov_copy = NULL;
	while ((c = getopt_long(argc, argv, "c:ho:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'C': check_config = 1; break;
		case OPT_CSV: csv = optarg; break;
		case OPT_WILAYAH: wilayah = optarg; break;
		case 'h': usage(stdout); status = 0; goto done;
		case 'o': o.out = optarg; break;
		case 'q': quiet = 1; break;
		case OPT_AREA: o.area = optarg; break;
		case OPT_EST: o.estimate = optarg; break;
		case OPT_SE: o.se = optarg; break;
		case OPT_VAR: o.variance = optarg; break;
		case OPT_COV: cov[o.ncov++] = optarg; break;
		case OPT_FAC: fac[o.nfac++] = optarg; break;
		case OPT_NEFF: o.n_eff = optarg; break;
		case OPT_NOBS: o.n_obs = optarg; break;
		case OPT_PERCENT: o.percent = 1; break;
		case OPT_BENCH: o.benchmark = optarg; break;
		case OPT_SHARE: o.share = optarg; break;
		case OPT_MODEL: o.model = optarg; break;
		case OPT_POVERTY: o.poverty = optarg; break;
		case OPT_REGISTRY: o.registry = optarg; break;
		case OPT_REGISTRY_INTERNAL: o.registry_internal = optarg; break;
		case OPT_OUTPUT_INTERNAL: o.out_internal = optarg; break;
		case OPT_IND: ind[o.nind++] = optarg; break;
		case OPT_TAHUN:
			if (parse_long(optarg, &l) || l < 1900 || l > 2200)
				BAD("--tahun: '%s' is not a year", optarg);
			o.tahun = l;
			break;
		case OPT_METHOD:
			method_set = 1;
			if (strcmp(optarg, "reml") == 0)
				o.method = SAE_REML;
			else if (strcmp(optarg, "ml") == 0)
				o.method = SAE_ML;
			else
				BAD("--method: '%s' is not reml or "
				                 "ml", optarg);
			break;
		case OPT_TRANSFORM:
			if (strcmp(optarg, "none") == 0)
				o.transform = SAE_TRANSFORM_NONE;
			else if (strcmp(optarg, "arcsin") == 0)
				o.transform = SAE_TRANSFORM_ARCSIN;
			else
				BAD("--transform: '%s' is not none "
				                 "or arcsin", optarg);
			break;
		case OPT_GVF:
			if (strcmp(optarg, "missing") == 0)
				o.gvf = SAE_GVF_MISSING;
			else if (strcmp(optarg, "all") == 0)
				o.gvf = SAE_GVF_ALL;
			else
				BAD("--gvf: '%s' is not missing or "
				                 "all", optarg);
			break;
		case OPT_BOOT:
			if (parse_long(optarg, &l) || l < 1 || l > 100000000)
				BAD("--bootstrap: '%s' is not a "
				                 "count in 1..1e8", optarg);
			o.bootstrap = l;
			break;
		case OPT_SEED:
			if (parse_long(optarg, &l))
				BAD("--seed: '%s' is not a "
				                 "non-negative integer", optarg);
			o.seed = (unsigned long)l;
			break;
		case OPT_MAXIT:
			if (parse_long(optarg, &l) || l < 1 || l > 1000000)
				BAD("--max-iter: '%s' is not a "
				                 "count in 1..1e6", optarg);
			o.maxiter = (int)l;
			break;
		case OPT_TOL:
			errno = 0;
			o.tol = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o.tol > 0) ||
			    o.tol >= 1)
				BAD("--tolerance: '%s' is not a "
				                 "number in (0, 1)", optarg);
			break;
		case OPT_VERSION:
			printf("angka-sae %s\n", ANGKA_VERSION);
			status = 0;
			goto done;
		default: usage(stderr); goto done;
		}
	}
	if (check_config) {
		struct sae_config tmp;
		sae_config_init(&tmp);
		const char *const sec[] = { "sae", NULL };
		const struct angka_key_def *const defs[] = { sae_config_keys };
		void *const scr[] = { &tmp };
		status = angka_config_check_main(config, sec, defs, scr);
		goto done;
	}
	int longm = o.poverty || o.registry;
	struct angka_config cfg;
	struct sae_config sc;
	angka_config_init(&cfg);
	sae_config_init(&sc);
	if (config) {
		struct angka_error ce = { 0 };
		if (angka_config_load(&cfg, config, &ce) != ANGKA_OK ||
		    angka_config_apply(&cfg, "sae", sae_config_keys, &sc, &ce) !=
		    ANGKA_OK) {
			status = angka_report(&ce);
			angka_config_release(&cfg);
			goto done;
		}
		if (!longm)
			BAD("--config applies to --poverty/--registry only");
	}
	if (longm && !method_set)
		o.method = (enum sae_method)sc.method;
	if (longm && o.nind == 0) {
		ind_copy = angka_xstrdup(sc.indikator);
		for (char *t = strtok(ind_copy, ", \t"); t; t = strtok(NULL, ", \t")) {
			ind = angka_xrealloc(ind, (o.nind + 1) * sizeof *ind);
			ind[o.nind++] = t;
		}
	}
	if (longm && o.ncov == 0) {
		cov_copy = angka_xstrdup(sc.covariates);
		for (char *t = strtok(cov_copy, ", \t"); t; t = strtok(NULL, ", \t")) {
			cov = angka_xrealloc(cov, (o.ncov + 1) * sizeof *cov);
			cov[o.ncov++] = t;
		}
	}
	angka_config_release(&cfg);
	o.covariates = cov;
	o.factors = fac;
	o.indikator = ind;
	if (!bad && longm && (!o.poverty || !o.registry))
		BAD("give both --poverty and --registry");
	if (!bad && longm && (o.area || o.estimate || o.se || o.variance ||
	                      o.nfac || o.benchmark || optind != argc))
		BAD("--poverty/--registry take no FILE, --area, --estimate, "
		    "--se, --variance, --factor or --benchmark");
	if (!bad && !longm && (o.nind || o.tahun || o.registry_internal))
		BAD("--indikator, --tahun and --registry-internal need "
		    "--poverty and --registry");
	if (!bad && o.out_internal && !o.registry_internal)
		BAD("--output-internal needs --registry-internal");
	if (!bad && !longm && (!o.area || !o.estimate))
		BAD("missing --area or --estimate");
	if (!bad && !longm && !o.se == !o.variance)
		BAD("give exactly one of --se and --variance");
	if (!bad && !longm && optind != argc - 1)
		BAD("give exactly one input FILE (- for stdin)");
	if (!bad && (o.n_eff || o.percent) &&
	    o.transform != SAE_TRANSFORM_ARCSIN)
		BAD("--n-eff and --percent need --transform "
		                 "arcsin");
	if (!bad && o.share && !o.benchmark)
		BAD("--share needs --benchmark");
	if (bad) {
		usage(stderr);
		goto done;
	}
	o.input = longm ? NULL : argv[optind];

	if ((status = angka_publish_main(csv, wilayah)) != 0)
		goto done;
	struct angka_error e = { 0 };
	struct sae_stats st = { 0 };
	enum angka_err rc = sae_run(&o, &st, &e);
	angka_publish_free();
	if (!quiet || rc != ANGKA_OK)
		for (size_t i = 0; i < st.nnotes; i++)
			angka_warn("%s", st.notes[i]);
	status = 0;
	if (rc != ANGKA_OK)
		status = angka_report(&e);
	else if (!quiet)
		fprintf(stderr, "%s: rows %zu: areas in the fit %zu, synthetic "
		        "%zu (no estimate %zu, variance 0 or missing %zu), "
		        "refused %zu; variances from the GVF %zu\n",
		        angka_progname(), st.rows, st.fit, st.synthetic,
		        st.syn_no_est, st.syn_no_var, st.refused, st.gvf_used);
	sae_stats_release(&st);
done:
	free(cov);
	free(fac);
	free(ind);
	free(ind_copy);
	free(cov_copy);
	return status;
}
