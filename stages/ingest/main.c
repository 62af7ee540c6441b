/*
 * angka-ingest - raw extract -> canonical CSV. CLI only; see ingest.h.
 */
#include "ingest.h"
#include "csv_writer.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void usage(FILE *f)
{
	fprintf(f,
	"usage: angka-ingest --kind KIND [-c CONFIG] [-o OUT] [--quarantine FILE]\n"
	"                    [--delimiter D] [--encoding E] [--labels] [--sheet NAME]\n"
	"                    [--index FILE [--index-every N]] [-q] [FILE|-]...\n"
	"       angka-ingest --describe FILE\n"
	"\n"
	"Read raw extracts (plain or gzip, any of , ; | TAB, UTF-8, UTF-16 or\n"
	"Windows-1252; Stata .dta, SPSS .sav/.zsav/.por, SAS .sas7bdat/.xpt, Excel\n"
	"(.xlsx) and write canonical CSV with src_file and src_line on every row.\n"
	"\n"
	"  -k, --kind KIND        one of: %s\n"
	"  -c, --config FILE      config with [profile.KIND] overrides\n"
	"  -o, --output FILE      output (default stdout; .gz compresses)\n"
	"      --quarantine FILE  rows that cannot be parsed, with a reason code\n"
	"      --delimiter D      auto, comma, semicolon, pipe, tab\n"
	"      --encoding E       auto, utf-8, windows-1252\n"
	"      --labels           value labels instead of codes (Stata/SPSS/SAS)\n"
	"      --sheet NAME       the sheet of an .xlsx workbook (default the first)\n"
	"      --index FILE       also write the output's record index to FILE:\n"
	"                         its line count and where every 16384th row\n"
	"                         starts, for angka-normalize --shard --index\n"
	"                         (a plain file output only)\n"
	"      --index-every N    a mark every N rows (default 16384)\n"
	"      --page-cache       write the output through the page cache, never\n"
	"                         with O_DIRECT (for a file read again at once)\n"
	"      --describe         list FILE's variables, types, variable and value\n"
	"                         labels (as Stata's describe and label list)\n"
	"      --check            check that each FILE's header matches and that\n"
	"                         its first rows are not all quarantined\n"
	"  -q, --quiet            print only errors\n"
	"  -h, --help             this help\n"
	"      --version          print the version\n"
	"\n"
	"Exit status: 0 success, 1 data error, 2 usage or config error.\n",
	angka_kind_list());
}

int main(int argc, char **argv)
{
	angka_diag_init(argv[0]);
	enum { OPT_QUARANTINE = 256, OPT_DELIM, OPT_ENC, OPT_VERSION, OPT_CHECK,
	       OPT_LABELS, OPT_SHEET, OPT_DESCRIBE, OPT_PAGE_CACHE, OPT_INDEX,
	       OPT_INDEX_EVERY };
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "describe", no_argument, NULL, OPT_DESCRIBE },
		{ "index", required_argument, NULL, OPT_INDEX },
		{ "index-every", required_argument, NULL, OPT_INDEX_EVERY },
		{ "labels", no_argument, NULL, OPT_LABELS },
		{ "page-cache", no_argument, NULL, OPT_PAGE_CACHE },
		{ "sheet", required_argument, NULL, OPT_SHEET },
		{ "config", required_argument, NULL, 'c' },
		{ "delimiter", required_argument, NULL, OPT_DELIM },
		{ "encoding", required_argument, NULL, OPT_ENC },
		{ "help", no_argument, NULL, 'h' },
		{ "kind", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "quarantine", required_argument, NULL, OPT_QUARANTINE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	const char *kind = NULL, *config = NULL, *delim = NULL, *enc = NULL;
	struct ingest_opts o = { 0 };
	int c, labels = 0, describe = 0;
	const char *sheet = NULL;
	while ((c = getopt_long(argc, argv, "c:hk:o:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'k': kind = optarg; break;
		case 'o': o.out = optarg; break;
		case 'q': o.quiet = 1; break;
		case OPT_QUARANTINE: o.quarantine = optarg; break;
		case OPT_PAGE_CACHE: angka_csv_writer_page_cache(); break;
		case OPT_INDEX: o.index = optarg; break;
		case OPT_INDEX_EVERY: {
			char *end;
			errno = 0;
			unsigned long n = strtoul(optarg, &end, 10);
			if (*optarg < '1' || *optarg > '9' || *end || errno ||
			    n > (1UL << 30)) {
				angka_warn("bad --index-every '%s' (expected 1 to "
				           "%lu)", optarg, 1UL << 30);
				usage(stderr);
				return 2;
			}
			o.index_every = n;
			break;
		}
		case OPT_DELIM: delim = optarg; break;
		case OPT_ENC: enc = optarg; break;
		case OPT_CHECK: o.check_only = 1; break;
		case OPT_LABELS: labels = 1; break;
		case OPT_SHEET: sheet = optarg; break;
		case OPT_DESCRIBE: describe = 1; break;
		case OPT_VERSION: printf("angka-ingest %s\n", ANGKA_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (describe) {
		if (optind + 1 != argc) {
			angka_warn("--describe takes one FILE");
			return 2;
		}
		struct angka_input_opts io = { .labels = 1, .sheet = sheet };
		angka_input_set_opts(&io);
		struct angka_error e = { 0 };
		if (angka_input_describe(argv[optind], stdout, &e) != ANGKA_OK)
			return angka_report(&e);
		return 0;
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
	o.kind = (enum angka_kind)k;
	static const char *const stdin_only[] = { "-" };
	o.files = optind < argc ? (const char *const *)argv + optind : stdin_only;
	o.nfiles = optind < argc ? (size_t)(argc - optind) : 1;

	struct angka_error e = { 0 };
	struct angka_config cfg;
	angka_config_init(&cfg);
	if (config && angka_config_load(&cfg, config, &e) != ANGKA_OK) {
		int st = angka_report(&e);
		angka_config_release(&cfg);
		return st;
	}
	struct angka_profile *p = &cfg.profile[k];
	if (delim && angka_parse_delim(delim, &p->delim)) {
		angka_warn("bad --delimiter '%s'", delim);
		angka_config_release(&cfg);
		return 2;
	}
	if (enc) {
		if (strcasecmp(enc, "auto") == 0)
			p->encoding = ANGKA_ENC_AUTO;
		else if (strcasecmp(enc, "utf-8") == 0)
			p->encoding = ANGKA_ENC_UTF8;
		else if (strcasecmp(enc, "windows-1252") == 0)
			p->encoding = ANGKA_ENC_CP1252;
		else {
			angka_warn("bad --encoding '%s'", enc);
			angka_config_release(&cfg);
			return 2;
		}
	}
	struct angka_input_opts io = { .labels = labels || p->labels,
	                               .sheet = sheet ? sheet : p->sheet };
	angka_input_set_opts(&io);
	struct ingest_stats st;
	enum angka_err rc = ingest_run(&o, p, &st, &e);
	angka_config_release(&cfg);
	if (rc != ANGKA_OK)
		return angka_report(&e);
	if (!o.quiet && !o.check_only)
		fprintf(stderr,
		        "%s: kind %s: rows in %llu, out %llu, quarantined %llu"
		        " (windows-1252 rows transcoded %llu, blank lines %llu)\n",
		        angka_progname(), kind, (unsigned long long)st.rows_in,
		        (unsigned long long)st.rows_out,
		        (unsigned long long)st.rows_quarantined,
		        (unsigned long long)st.transcoded,
		        (unsigned long long)st.blank_lines);
	return 0;
}
