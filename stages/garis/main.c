/*
 * angka-garis - the poverty line by the BPS basic-needs method from a
 * SUSENAS consumption module. CLI only; see garis.h and docs/garis.md.
 */
#include "garis.h"
#include "publish.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
	"usage: angka-garis --susenas FILE --makanan FILE --bukan-makanan FILE\n"
	"                   --kalori FILE --rasio FILE --ihk FILE --garis FILE\n"
	"                   --tahun Y [-o OUT] [--kontribusi FILE] [--explain DIR]\n"
	"                   [--price KODE=+10%% ... --whatif FILE] [--quarantine FILE]\n"
	"                   [--csv DIALECT] [--wilayah FILE]\n"
	"\n"
	"Compute the poverty line GK = GKM + GKNM per region (R101.R102) and\n"
	"area (R105: perkotaan, perdesaan; and their persons-weighted total) by\n"
	"the BPS basic-needs method: the reference population is the 20%% of\n"
	"persons from the provisional line up (last year's line moved by the\n"
	"CPI); GKM is its food basket of the given commodities scaled to 2,100\n"
	"kcal per capita per day, GKNM its non-food spending times the basic-\n"
	"needs ratios. Standard errors by the delete-one-PSU jackknife. See\n"
	"docs/garis.md.\n"
	"\n"
	"      --susenas FILE       households: URUT,R101,R102,R105,PSU,STRATA,\n"
	"                           R301,WERT,KAPITA\n"
	"      --makanan FILE       food: URUT,KODE,KUANTITAS,NILAI (monthly,\n"
	"                           per household)\n"
	"      --bukan-makanan FILE non-food: URUT,KODE,NILAI (monthly)\n"
	"      --kalori FILE        the food commodities: kode,nama,satuan,\n"
	"                           kkal_per_satuan\n"
	"      --rasio FILE         non-food items: kode,nama,rasio_perkotaan,\n"
	"                           rasio_perdesaan (empty: not in that basket)\n"
	"      --ihk FILE           CPI: kode_wilayah,periode,ihk\n"
	"      --garis FILE         previous lines: kode_wilayah,periode,\n"
	"                           garis_kemiskinan\n"
	"      --tahun Y            the year; periods are Y-03 and (Y-1)-03\n"
	"      --bulan M            the month of the periods (default 3)\n"
	"  -o, --output OUT        the lines, long format (default stdout)\n"
	"      --kontribusi FILE    each commodity's contribution to GK\n"
	"      --lines FILE         the lines as normalized poverty lines, for\n"
	"                           angka-indicators --lines (per area and total)\n"
	"      --explain DIR        write every intermediate table into DIR\n"
	"      --price KODE=CHANGE  what-if: the unit value of KODE changes by\n"
	"                           CHANGE (+10%%, -5%%, 0.1); repeatable\n"
	"      --whatif FILE        the what-if: GK, GKM, GKNM, P0-P2 and the\n"
	"                           number of poor, baseline against scenario\n"
	"      --quarantine FILE    consumption rows refused, with the reason\n"
	ANGKA_PUBLISH_USAGE
	"      --no-se              skip the jackknife (se column empty)\n"
	"  -c, --config FILE       [garis] kalori, rasio, ihk: defaults of the\n"
	"                           options (source, makanan, bukan_makanan are\n"
	"                           the driver's)\n"
	"      --check-config       only validate the config's [garis] section\n"
	"  -q, --quiet             print only errors\n"
	"  -h, --help              this help\n"
	"      --version           print the version\n"
	"\n"
	"Exit status: 0 success, 1 data error, 2 usage error.\n");
}

#define BAD(...) (angka_warn(__VA_ARGS__), bad = 1)

int main(int argc, char **argv)
{
	angka_diag_init(argv[0]);
	enum { OPT_SUS = 256, OPT_MAK, OPT_BUK, OPT_KAL, OPT_RAS, OPT_IHK,
	       OPT_GAR, OPT_TAHUN, OPT_BULAN, OPT_KON, OPT_EXPL, OPT_PRICE,
	       OPT_WHATIF, OPT_QUAR, OPT_NOSE, OPT_LINES, OPT_CHECK, OPT_VERSION,
	       OPT_CSV, OPT_WILAYAH };
	static const struct option longopts[] = {
		{ "susenas", required_argument, NULL, OPT_SUS },
		{ "makanan", required_argument, NULL, OPT_MAK },
		{ "bukan-makanan", required_argument, NULL, OPT_BUK },
		{ "kalori", required_argument, NULL, OPT_KAL },
		{ "rasio", required_argument, NULL, OPT_RAS },
		{ "ihk", required_argument, NULL, OPT_IHK },
		{ "garis", required_argument, NULL, OPT_GAR },
		{ "tahun", required_argument, NULL, OPT_TAHUN },
		{ "bulan", required_argument, NULL, OPT_BULAN },
		{ "kontribusi", required_argument, NULL, OPT_KON },
		{ "explain", required_argument, NULL, OPT_EXPL },
		{ "price", required_argument, NULL, OPT_PRICE },
		{ "whatif", required_argument, NULL, OPT_WHATIF },
		{ "quarantine", required_argument, NULL, OPT_QUAR },
		{ "no-se", no_argument, NULL, OPT_NOSE },
		{ "lines", required_argument, NULL, OPT_LINES },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "wilayah", required_argument, NULL, OPT_WILAYAH },
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, OPT_CHECK },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct garis_opts o;
	garis_opts_init(&o);
	struct garis_price *price = angka_xcalloc((size_t)argc, sizeof *price);
	int quiet = 0, c, bad = 0, status = 2, check_config = 0;
	const char *config = NULL, *csv = NULL, *wilayah = NULL;
	struct angka_config cfg;
	angka_config_init(&cfg);
	long l;
	char *end;
	while ((c = getopt_long(argc, argv, "c:ho:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); status = 0; goto done;
		case 'o': o.out = optarg; break;
		case 'c': config = optarg; break;
		case OPT_CHECK: check_config = 1; break;
		case 'q': quiet = 1; break;
		case OPT_SUS: o.susenas = optarg; break;
		case OPT_MAK: o.makanan = optarg; break;
		case OPT_BUK: o.bukan_makanan = optarg; break;
		case OPT_KAL: o.komoditas = optarg; break;
		case OPT_RAS: o.rasio = optarg; break;
		case OPT_IHK: o.ihk = optarg; break;
		case OPT_GAR: o.garis = optarg; break;
		case OPT_KON: o.out_komoditas = optarg; break;
		case OPT_EXPL: o.explain = optarg; break;
		case OPT_WHATIF: o.out_whatif = optarg; break;
		case OPT_QUAR: o.quarantine = optarg; break;
		case OPT_NOSE: o.no_se = 1; break;
		case OPT_LINES: o.out_lines = optarg; break;
		case OPT_CSV: csv = optarg; break;
		case OPT_WILAYAH: wilayah = optarg; break;
		case OPT_TAHUN:
		case OPT_BULAN:
			errno = 0;
			l = strtol(optarg, &end, 10);
			if (c == OPT_TAHUN && (errno || end == optarg || *end || l < 1901 || l > 2200))
				BAD("--tahun: '%s' is not a year", optarg);
			else if (c == OPT_BULAN && (errno || end == optarg || *end || l < 1 || l > 12))
				BAD("--bulan: '%s' is not a month 1-12", optarg);
			else if (c == OPT_TAHUN)
				o.tahun = (int)l;
			else
				o.bulan = (int)l;
			break;
		case OPT_PRICE: {
			const char *why;
			char shown[128];
			snprintf(shown, sizeof shown, "%s", optarg);
			if (garis_parse_price(optarg, &price[o.nprice], &why))
				BAD("--price: '%s': %s", shown, why);
			else
				o.nprice++;
			break;
		}
		case OPT_VERSION:
			printf("angka-garis %s\n", ANGKA_VERSION);
			status = 0;
			goto done;
		default: usage(stderr); goto done;
		}
	}
	o.price = price;
	if (check_config) {
		struct garis_config tmp;
		garis_config_init(&tmp);
		const char *const sec[] = { "garis", NULL };
		const struct angka_key_def *const defs[] = { garis_config_keys };
		void *const scr[] = { &tmp };
		status = angka_config_check_main(config, sec, defs, scr);
		goto done;
	}
	if (config) {
		struct angka_error ce = { 0 };
		struct garis_config gc;
		garis_config_init(&gc);
		if (angka_config_load(&cfg, config, &ce) != ANGKA_OK ||
		    angka_config_apply(&cfg, "garis", garis_config_keys, &gc, &ce) != ANGKA_OK) {
			status = angka_report(&ce);
			goto done;
		}
		if (!o.komoditas)
			o.komoditas = gc.kalori;
		if (!o.rasio)
			o.rasio = gc.rasio;
		if (!o.ihk)
			o.ihk = gc.ihk;
	}
	if (!bad && (!o.susenas || !o.makanan || !o.bukan_makanan || !o.komoditas ||
	             !o.rasio || !o.ihk || !o.garis || !o.tahun))
		BAD("need --susenas, --makanan, --bukan-makanan, --kalori, --rasio, "
		    "--ihk, --garis and --tahun");
	if (!bad && optind != argc)
		BAD("unexpected argument '%s'", argv[optind]);
	if (!bad && !o.nprice != !o.out_whatif)
		BAD("--price and --whatif go together");
	if (bad) {
		usage(stderr);
		goto done;
	}
	if ((status = angka_publish_main(csv, wilayah)) != 0)
		goto done;
	struct angka_error e = { 0 };
	struct garis_stats st = { 0 };
	enum angka_err rc = garis_run(&o, &st, &e);
	angka_publish_free();
	if (!quiet || rc != ANGKA_OK)
		for (size_t i = 0; i < st.nnotes; i++)
			angka_warn("%s", st.notes[i]);
	status = 0;
	if (rc != ANGKA_OK)
		status = angka_report(&e);
	else if (!quiet)
		fprintf(stderr, "%s: consumption rows in %llu, out %llu, "
		        "quarantined %llu (food %llu: used %llu, quarantined %llu; "
		        "non-food %llu: used %llu, quarantined %llu); households "
		        "%llu; jackknife replicates %zu\n",
		        angka_progname(),
		        (unsigned long long)(st.food_rows + st.nonfood_rows),
		        (unsigned long long)(st.food_used + st.nonfood_used),
		        (unsigned long long)(st.food_quarantined + st.nonfood_quarantined),
		        (unsigned long long)st.food_rows,
		        (unsigned long long)st.food_used,
		        (unsigned long long)st.food_quarantined,
		        (unsigned long long)st.nonfood_rows,
		        (unsigned long long)st.nonfood_used,
		        (unsigned long long)st.nonfood_quarantined,
		        (unsigned long long)st.households, st.replicates);
	garis_stats_release(&st);
done:
	angka_config_release(&cfg);
	free(price);
	return status;
}
