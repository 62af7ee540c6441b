/*
 * angka-trend - indicator tables of several years + published series ->
 * history.csv, changes.csv, trend.csv, revisions.csv. CLI only; see trend.h.
 */
#include "trend.h"
#include "publish.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

static void usage(FILE *f)
{
	fprintf(f,
	"usage: angka-trend [-c CONFIG] --history OUT --changes OUT [--trend OUT]\n"
	"                   [--revisions FILE] [--previous-history FILE]\n"
	"                   [--published FILE] [--cov FILE] [--lines FILE] [-q]\n"
	"                   [--csv DIALECT] [--wilayah FILE]\n"
	"                   INDICATOR_FILE...\n"
	"\n"
	"Merge indicator tables (long format) of every year with published series\n"
	"into a history, test the change between consecutive years and over the\n"
	"whole period (with Holm and BH adjusted p-values), and fit a linear\n"
	"trend (OLS on centred years) per series.\n"
	"\n"
	"      --check-config          only validate the config's [trend] section\n"
	ANGKA_PUBLISH_USAGE
	"  -c, --config FILE           config; keys of [trend]: alpha, test (z|t),\n"
	"                              shared_psu_years, target_P0, target_P1,\n"
	"                              target_P2, target_jumlah_miskin, target_gini\n"
	"      --changes OUT           changes between years, with SE and test\n"
	"      --cov FILE              covariances of years that share PSUs\n"
	"                              (kode_wilayah,domain,indikator,tahun_1,\n"
	"                              tahun_2,kovarians)\n"
	"      --history OUT           history (sumber_data hitung or terbitan)\n"
	"      --lines FILE            normalized poverty lines: the total line\n"
	"                              deflates rata_kapita/median_kapita changes\n"
	"      --previous-history FILE last run's history: recomputed years\n"
	"                              replace it, other rows are kept\n"
	"      --published FILE        normalized published series (kind terbitan)\n"
	"      --revisions FILE        revisions log: read if it exists, rewritten\n"
	"                              with the values this run replaced\n"
	"      --trend OUT             linear trend per series\n"
	"  -q, --quiet                 print only errors\n"
	"  -h, --help                  this help\n"
	"      --version               print the version\n"
	"\n"
	"Exit status: 0 success, 1 data error, 2 usage or config error.\n");
}

int main(int argc, char **argv)
{
	angka_diag_init(argv[0]);
	gsl_set_error_handler_off();
	enum { OPT_CHANGES = 256, OPT_COV, OPT_HISTORY, OPT_PREV, OPT_PUB,
	       OPT_REV, OPT_TREND, OPT_VERSION, OPT_LINES, OPT_CSV,
	       OPT_WILAYAH };
	static const struct option longopts[] = {
		{ "changes", required_argument, NULL, OPT_CHANGES },
		{ "check-config", no_argument, NULL, 'C' },
		{ "config", required_argument, NULL, 'c' },
		{ "cov", required_argument, NULL, OPT_COV },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "help", no_argument, NULL, 'h' },
		{ "history", required_argument, NULL, OPT_HISTORY },
		{ "lines", required_argument, NULL, OPT_LINES },
		{ "previous-history", required_argument, NULL, OPT_PREV },
		{ "published", required_argument, NULL, OPT_PUB },
		{ "quiet", no_argument, NULL, 'q' },
		{ "revisions", required_argument, NULL, OPT_REV },
		{ "trend", required_argument, NULL, OPT_TREND },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "wilayah", required_argument, NULL, OPT_WILAYAH },
		{ NULL, 0, NULL, 0 }
	};
	const char *config = NULL;
	int quiet = 0, check_config = 0;
	struct trend_opts o = { 0 };
	int c;
	const char *csv = NULL, *wilayah = NULL;
	while ((c = getopt_long(argc, argv, "c:hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'C': check_config = 1; break;
		case 'h': usage(stdout); return 0;
		case 'q': quiet = 1; break;
		case OPT_CSV: csv = optarg; break;
		case OPT_WILAYAH: wilayah = optarg; break;
		case OPT_CHANGES: o.changes = optarg; break;
		case OPT_COV: o.cov = optarg; break;
		case OPT_HISTORY: o.history = optarg; break;
		case OPT_LINES: o.lines = optarg; break;
		case OPT_PREV: o.previous_history = optarg; break;
		case OPT_PUB: o.published = optarg; break;
		case OPT_REV: o.revisions = optarg; break;
		case OPT_TREND: o.trend = optarg; break;
		case OPT_VERSION: printf("angka-trend %s\n", ANGKA_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (check_config) {
		struct trend_config tmp;
		trend_config_init(&tmp);
		const char *const sec[] = { "trend", NULL };
		const struct angka_key_def *const defs[] = { trend_config_keys };
		void *const scr[] = { &tmp };
		return angka_config_check_main(config, sec, defs, scr);
	}
	if (!o.history || !o.changes) {
		angka_warn("missing --history or --changes");
		usage(stderr);
		return 2;
	}
	if (optind == argc && !o.previous_history && !o.published) {
		angka_warn("no input: give indicator files, --previous-history "
		           "or --published");
		usage(stderr);
		return 2;
	}
	o.files = (const char *const *)argv + optind;
	o.nfiles = (size_t)(argc - optind);

	struct angka_error e = { 0 };
	struct angka_config cfg;
	struct trend_config tc;
	angka_config_init(&cfg);
	trend_config_init(&tc);
	if ((config && angka_config_load(&cfg, config, &e) != ANGKA_OK) ||
	    angka_config_apply(&cfg, "trend", trend_config_keys, &tc, &e) !=
	    ANGKA_OK) {
		int st = angka_report(&e);
		angka_config_release(&cfg);
		return st;
	}
	int pst = angka_publish_main(csv, wilayah);
	if (pst) {
		angka_config_release(&cfg);
		return pst;
	}
	struct trend_stats st;
	enum angka_err rc = trend_run(&o, &tc, &st, &e);
	angka_config_release(&cfg);
	angka_publish_free();
	if (rc != ANGKA_OK)
		return angka_report(&e);
	if (!quiet)
		fprintf(stderr, "%s: history rows %zu (hitung %zu, terbitan %zu, "
		        "kept from previous %zu), revisions %zu, changes %zu, "
		        "trend fits %zu\n", angka_progname(), st.hitung + st.terbitan,
		        st.hitung, st.terbitan, st.carried, st.revised, st.changes,
		        st.fits);
	return 0;
}
