/*
 * angka-normalize - canonical CSV of one kind -> normalized CSV. CLI only;
 * see normalize.h.
 */
#include "normalize.h"
#include "csv_writer.h"
#include "dtks_period.h"
#include "number.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
	"usage: angka-normalize --kind KIND [-c CONFIG] [-o OUT [--tee]] [--quarantine FILE]\n"
	"                       [--wilayah FILE] [--year YYYY] [--region CODE]\n"
	"                       [--period [NAME=]YYYY[-MM]]... [--shard K/N [--index FILE]]\n"
	"                       [-q] [FILE|-]\n"
	"\n"
	"Read the canonical CSV of one kind (the output of angka-ingest), validate\n"
	"and normalize every value, and write the columns of docs/columns.md with\n"
	"the repairs made (fixes) and the problems left (flags) on every row.\n"
	"Rows that cannot be used go to the quarantine with a reason code.\n"
	"\n"
	"  -k, --kind KIND        one of: %s\n"
	"  -c, --config FILE      config with a [normalize] section\n"
	"  -o, --output FILE      output (default stdout; .gz compresses)\n"
	"      --tee              also write the output to stdout as it is made\n"
	"                         (for a next stage in a pipe; with -o FILE)\n"
	"      --quarantine FILE  unusable rows, with a reason code\n"
	"      --wilayah FILE     region table (kode,level,nama,kode_induk)\n"
	"      --year YYYY        data year when the input has none (susenas)\n"
	"      --region CODE      kode_wilayah of a published table (terbitan)\n"
	"      --period [NAME=]YYYY[-MM]\n"
	"                         period of the extract (dtks `periode`): of every\n"
	"                         row, or of the rows whose src_file has base name\n"
	"                         NAME (repeatable); default: a year 2000-2100 in\n"
	"                         the file name\n"
	"      --shard K/N        dtks: only shard K (0..N-1) of N runs of the\n"
	"                         input's lines, header in shard 0 only: the\n"
	"                         outputs of K = 0..N-1 concatenated are the\n"
	"                         unsharded output (and quarantine)\n"
	"      --index FILE       with --shard: the input's record index from\n"
	"                         angka-ingest --index; the shard takes the line\n"
	"                         count from it and reads the input from the\n"
	"                         nearest row before its own (the same output)\n"
	"      --page-cache       write the outputs through the page cache, never\n"
	"                         with O_DIRECT (for files read again at once)\n"
	"  -q, --quiet            print only errors\n"
	"  -h, --help             this help\n"
	"      --version          print the version\n"
	"\n"
	"DTKS rows are normalized on ANGKA_NORMALIZE_THREADS worker threads\n"
	"(default 1 with three or more cores, 0 for --shard; 0: on the reading\n"
	"thread); the outputs are the same for any number.\n"
	"\n"
	"Exit status: 0 success, 1 data error, 2 usage or config error.\n",
	angka_kind_list());
}

int main(int argc, char **argv)
{
	angka_diag_init(argv[0]);
	enum { OPT_QUARANTINE = 256, OPT_WILAYAH, OPT_VERSION, OPT_YEAR,
	       OPT_REGION, OPT_PERIOD, OPT_SHARD, OPT_TEE, OPT_PAGE_CACHE,
	       OPT_INDEX };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "index", required_argument, NULL, OPT_INDEX },
		{ "kind", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "period", required_argument, NULL, OPT_PERIOD },
		{ "quarantine", required_argument, NULL, OPT_QUARANTINE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "tee", no_argument, NULL, OPT_TEE },
		{ "page-cache", no_argument, NULL, OPT_PAGE_CACHE },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "wilayah", required_argument, NULL, OPT_WILAYAH },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ NULL, 0, NULL, 0 }
	};
	const char *kind = NULL;
	struct normalize_opts o = { 0 };
	static const char **periods;   /* static: reachable at any exit */
	int c;
	while ((c = getopt_long(argc, argv, "c:hk:o:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.config = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'k': kind = optarg; break;
		case 'o': o.out = optarg; break;
		case 'q': o.quiet = 1; break;
		case OPT_QUARANTINE: o.quarantine = optarg; break;
		case OPT_TEE: o.tee = 1; break;
		case OPT_PAGE_CACHE: angka_csv_writer_page_cache(); break;
		case OPT_INDEX: o.index = optarg; break;
		case OPT_WILAYAH: o.wilayah = optarg; break;
		case OPT_REGION: o.region = optarg; break;
		case OPT_PERIOD:
			if (normalize_period_arg_ok(optarg)) {
				angka_warn("bad --period '%s' (expected YYYY, "
				           "YYYY-MM or NAME=YYYY[-MM], year "
				           "1900-2100)", optarg);
				free(periods);
				return 2;
			}
			periods = angka_xrealloc(periods, (o.nperiods + 1) *
			                                  sizeof *periods);
			periods[o.nperiods++] = optarg;
			o.periods = periods;
			break;
		case OPT_SHARD:
			if (angka_shard_parse(optarg, &o.shard_k, &o.shard_n)) {
				angka_warn("bad --shard '%s' (expected K/N, "
				           "0 <= K < N <= 100000)", optarg);
				free(periods);
				return 2;
			}
			break;
		case OPT_YEAR: {
			char *end;
			o.year = strtol(optarg, &end, 10);
			if (*end || o.year < 1900 || o.year > 2100) {
				angka_warn("bad --year '%s' (expected 1900-2100)",
				           optarg);
				return 2;
			}
			break;
		}
		case OPT_VERSION:
			printf("angka-normalize %s\n", ANGKA_VERSION);
			return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!kind) {
		angka_warn("missing --kind");
		usage(stderr);
		return 2;
	}
	int k = angka_kind_from_name(kind);
	if (k < 0) {
		angka_warn("unknown kind '%s' (expected one of: %s)", kind,
		           angka_kind_list());
		return 2;
	}
	if (argc - optind > 1) {
		angka_warn("one input file at most (got %d)", argc - optind);
		usage(stderr);
		return 2;
	}
	if (o.tee && (!o.out || strcmp(o.out, "-") == 0)) {
		angka_warn("--tee needs --output FILE (the output is stdout "
		           "already)");
		free(periods);
		return 2;
	}
	o.kind = (enum angka_kind)k;
	o.in = optind < argc ? argv[optind] : "-";

	struct angka_error e = { 0 };
	struct angka_config cfg;
	angka_config_init(&cfg);
	if (o.config && angka_config_load(&cfg, o.config, &e) != ANGKA_OK) {
		int st = angka_report(&e);
		angka_config_release(&cfg);
		return st;
	}
	struct normalize_stats st;
	enum angka_err rc = normalize_run(&o, &cfg, &st, &e);
	angka_config_release(&cfg);
	free(periods);
	if (rc != ANGKA_OK)
		return angka_report(&e);
	if (!o.quiet)
		fprintf(stderr,
		        "%s: kind %s: rows in %llu, out %llu, quarantined %llu"
		        " (rows with fixes %llu)\n",
		        angka_progname(), kind, (unsigned long long)st.rows_in,
		        (unsigned long long)st.rows_out,
		        (unsigned long long)st.rows_quarantined,
		        (unsigned long long)st.rows_fixed);
	return 0;
}
