/*
 * angka-chart - history and aggregate tables -> charts (gnuplot script,
 * data, PNG/SVG/PDF). CLI only; see chart.h and docs/charts.md.
 */
#include "chart.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Indent of an option's continuation lines. */
#define OPT_INDENT "                        "

/*
 * Print head, then the space-separated words of text, each after a space
 * or, when the line would pass column 72, after a line break and indent.
 */
static void print_wrapped(FILE *f, const char *head, const char *text,
                          const char *indent)
{
	size_t col = strlen(head);
	fputs(head, f);
	for (text += strspn(text, " "); *text; text += strspn(text, " ")) {
		size_t n = strcspn(text, " ");
		if (col + 1 + n > 72) {
			fprintf(f, "\n%s", indent);
			col = strlen(indent);
		} else {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, n, f);
		col += n;
		text += n;
	}
	fputc('\n', f);
}

/* The names of the charts of chart_table that need or use one of the
 * CHART_NEEDS_* inputs (0: every chart), joined by sep, into buf. */
static void chart_names_of(unsigned inputs, const char *sep, char *buf,
                           size_t cap)
{
	size_t l = 0;
	buf[0] = '\0';
	for (size_t i = 0; chart_table[i] && l < cap; i++) {
		const struct chart_def *d = chart_table[i];
		if (inputs && !((d->needs | d->uses) & inputs))
			continue;
		int n = snprintf(buf + l, cap - l, "%s%s", l ? sep : "", d->name);
		l = n < 0 ? cap : l + (size_t)n;
	}
}

/* An input option's help: what it is, then the charts that read it. */
static void usage_input(FILE *f, const char *head, unsigned input)
{
	char names[1024], text[sizeof names + 8];
	chart_names_of(input, ", ", names, sizeof names);
	snprintf(text, sizeof text, "(%s)", names);
	print_wrapped(f, head, text, OPT_INDENT);
}

static void usage(FILE *f)
{
	char names[1024], text[sizeof names + 128];
	fprintf(f,
	"usage: angka-chart [-c CONFIG] --outdir DIR [--lang id|en]\n"
	"                   [--formats png,svg,pdf] [--history FILE]\n"
	"                   [--registry FILE] [--programmes FILE] [--sae FILE]\n"
	"                   [--komoditas FILE] [--wilayah FILE] [--kode KODE]\n"
	"                   [--tahun YEAR] [-q] CHART...\n"
	"\n"
	"Render charts through gnuplot. For each CHART write CHART.dat, CHART.gp\n"
	"(re-render with `gnuplot CHART.gp` in DIR) and the images, atomically.\n");
	chart_names_of(0, " ", names, sizeof names);
	snprintf(text, sizeof text, "%s, `all`, or `available` (the charts "
	         "whose inputs are all given on the command line).", names);
	print_wrapped(f, "CHART is one of:", text, "");
	fprintf(f,
	"\n"
	"      --check-config    only validate the config's [chart] section\n"
	"  -c, --config FILE     config; [chart] keys: lang, formats, history,\n"
	"                        registry, programmes, sae, komoditas, wilayah,\n"
	"                        kode_wilayah, nama_wilayah, source,\n"
	"                        source_registry, tahun,\n"
	"                        title_CHART, width_cm, height_cm, dpi, font_pt\n"
	"      --formats LIST    png, svg, pdf, comma-separated (default all);\n"
	"                        none: no chart (only the directory is made)\n");
	usage_input(f, "      --history FILE    trend history.csv",
	            CHART_NEEDS_HISTORY);
	fprintf(f,
	"      --kode KODE       region charted (default: the first in the data)\n");
	usage_input(f, "      --komoditas FILE  angka-garis's komoditas_gk.csv",
	            CHART_NEEDS_KOMODITAS);
	fprintf(f,
	"      --lang id|en      language and number format (default id)\n"
	"  -o, --outdir DIR      output directory (created if missing)\n");
	usage_input(f, "      --programmes FILE programmes.csv",
	            CHART_NEEDS_PROGRAMMES);
	usage_input(f, "      --registry FILE   registry.csv", CHART_NEEDS_REGISTRY);
	usage_input(f, "      --sae FILE        angka-sae's long table sae.csv",
	            CHART_NEEDS_SAE);
	fprintf(f,
	"      --tahun YEAR      year of the per-kecamatan charts (default latest)\n"
	"      --wilayah FILE    region names (columns kode, nama)\n"
	"  -q, --quiet           print only errors and gnuplot warnings\n"
	"  -h, --help            this help\n"
	"      --version         print the version\n"
	"\n"
	"The environment variable ANGKA_GNUPLOT names the gnuplot program.\n"
	"Exit status: 0 success, 1 data or gnuplot error, 2 usage or config\n"
	"error, 128+N gnuplot died by signal N.\n");
}

int main(int argc, char **argv)
{
	angka_diag_init(argv[0]);
	enum { OPT_FORMATS = 256, OPT_HISTORY, OPT_KODE, OPT_LANG, OPT_PROG, OPT_SAE,
	       OPT_REG, OPT_KOM, OPT_TAHUN, OPT_WILAYAH, OPT_VERSION };
	static const struct option longopts[] = {
		{ "check-config", no_argument, NULL, 'C' },
		{ "config", required_argument, NULL, 'c' },
		{ "formats", required_argument, NULL, OPT_FORMATS },
		{ "help", no_argument, NULL, 'h' },
		{ "history", required_argument, NULL, OPT_HISTORY },
		{ "kode", required_argument, NULL, OPT_KODE },
		{ "komoditas", required_argument, NULL, OPT_KOM },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "outdir", required_argument, NULL, 'o' },
		{ "programmes", required_argument, NULL, OPT_PROG },
		{ "quiet", no_argument, NULL, 'q' },
		{ "registry", required_argument, NULL, OPT_REG },
		{ "sae", required_argument, NULL, OPT_SAE },
		{ "tahun", required_argument, NULL, OPT_TAHUN },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "wilayah", required_argument, NULL, OPT_WILAYAH },
		{ NULL, 0, NULL, 0 }
	};
	const char *config = NULL, *formats = NULL, *lang = NULL, *history = NULL,
	           *registry = NULL, *programmes = NULL, *sae = NULL,
	           *komoditas = NULL,
	           *wilayah = NULL,
	           *kode = NULL, *tahun = NULL;
	struct chart_opts o = { 0 };
	int c, check_config = 0;
	while ((c = getopt_long(argc, argv, "c:ho:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'C': check_config = 1; break;
		case 'h': usage(stdout); return 0;
		case 'o': o.outdir = optarg; break;
		case 'q': o.quiet = 1; break;
		case OPT_FORMATS: formats = optarg; break;
		case OPT_HISTORY: history = optarg; break;
		case OPT_KODE: kode = optarg; break;
		case OPT_KOM: komoditas = optarg; break;
		case OPT_LANG: lang = optarg; break;
		case OPT_PROG: programmes = optarg; break;
		case OPT_REG: registry = optarg; break;
		case OPT_SAE: sae = optarg; break;
		case OPT_TAHUN: tahun = optarg; break;
		case OPT_WILAYAH: wilayah = optarg; break;
		case OPT_VERSION: printf("angka-chart %s\n", ANGKA_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (check_config) {
		struct chart_config tmp;
		chart_config_init(&tmp);
		const char *const sec[] = { "chart", NULL };
		const struct angka_key_def *const defs[] = { chart_config_keys() };
		void *const scr[] = { &tmp };
		return angka_config_check_main(config, sec, defs, scr);
	}
	if (!o.outdir || optind == argc) {
		angka_warn(!o.outdir ? "missing --outdir" : "no chart named");
		usage(stderr);
		return 2;
	}
	/* `all`, or `available`: the charts whose inputs are on the command
	 * line (paths from the config do not count). */
	const char *chosen[CHART_MAX];
	if (argc - optind == 1 && strcmp(argv[optind], "all") == 0) {
		o.ncharts = chart_select(~0u, chosen);
		o.charts = chosen;
	} else if (argc - optind == 1 && strcmp(argv[optind], "available") == 0) {
		unsigned given = (history ? CHART_NEEDS_HISTORY : 0) |
		                 (registry ? CHART_NEEDS_REGISTRY : 0) |
		                 (programmes ? CHART_NEEDS_PROGRAMMES : 0) |
		                 (sae ? CHART_NEEDS_SAE : 0) |
		                 (komoditas ? CHART_NEEDS_KOMODITAS : 0);
		o.ncharts = chart_select(given, chosen);
		o.charts = chosen;
		if (!o.ncharts) {
			angka_warn("no chart available: give --history, --registry, "
			           "--programmes, --sae or --komoditas");
			usage(stderr);
			return 2;
		}
	} else {
		o.charts = (const char *const *)argv + optind;
		o.ncharts = (size_t)(argc - optind);
	}
	o.gnuplot = getenv("ANGKA_GNUPLOT");
	if (!o.gnuplot || !*o.gnuplot)
		o.gnuplot = "gnuplot";

	struct angka_error e = { 0 };
	struct angka_config cfg;
	struct chart_config cc;
	angka_config_init(&cfg);
	chart_config_init(&cc);
	int st = 0;
	if ((config && angka_config_load(&cfg, config, &e) != ANGKA_OK) ||
	    angka_config_apply(&cfg, "chart", chart_config_keys(), &cc, &e) !=
	    ANGKA_OK) {
		st = angka_report(&e);
		goto out;
	}
	/* Command line over config. */
	if (formats) cc.formats = formats;
	if (history) cc.history = history;
	if (registry) cc.registry = registry;
	if (programmes) cc.programmes = programmes;
	if (sae) cc.sae = sae;
	if (komoditas) cc.komoditas = komoditas;
	if (wilayah) cc.wilayah = wilayah;
	if (kode) cc.kode_wilayah = kode;
	if (lang) {
		if (strcmp(lang, "id") == 0)
			cc.lang = CHART_ID;
		else if (strcmp(lang, "en") == 0)
			cc.lang = CHART_EN;
		else {
			angka_warn("bad --lang '%s' (expected id or en)", lang);
			st = 2;
			goto out;
		}
	}
	if (tahun) {
		char *end;
		long y = strtol(tahun, &end, 10);
		if (*end || end == tahun || y < 1900 || y > 2200) {
			angka_warn("bad --tahun '%s'", tahun);
			st = 2;
			goto out;
		}
		cc.tahun = y;
	}
	if (chart_parse_formats(cc.formats, &o.formats)) {
		angka_warn("bad formats '%s' (expected png, svg, pdf or none)",
		           cc.formats);
		st = 2;
		goto out;
	}
	int sig = 0;
	enum angka_err rc = chart_run(&o, &cc, &sig, &e);
	if (rc != ANGKA_OK) {
		st = angka_report(&e);
		if (sig)
			st = 128 + sig;
		else if (rc == ANGKA_EUSAGE)
			usage(stderr);
	}
out:
	angka_config_release(&cfg);
	return st;
}
