/*
 * angka-dedup - normalized person rows -> one row per person, with the
 * duplicates, review pairs and households. CLI only; see dedup.h.
 */
#include "dedup.h"
#include "publish.h"
#include "number.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs(
	"usage: angka-dedup [-c CONFIG] [-o UNIQUE] [--duplicates FILE]\n"
	"                   [--review FILE] [--households FILE]\n"
	"                   [--household-counts FILE] [--decisions FILE]\n"
	"                   [--perubahan FILE] [--perubahan-desa FILE]\n"
	"                   [--perubahan-periods PREV,CUR] [--wilayah FILE]\n"
	"                   [--golden FILE]\n"
	"                   [-q|-v] [FILE|-]\n"
	"       angka-dedup [-c CONFIG] --evaluate DECISIONS [FILE|-]\n"
	"       angka-dedup [-c CONFIG] --fit [FILE|-]\n"
	"       angka-dedup [-c CONFIG] --shard K/N --pairs-out PAIRS FILE\n"
	"       angka-dedup [-c CONFIG] --merge-pairs PAIRS... [-o UNIQUE]\n"
	"                   [other outputs as above] FILE\n"
	"       angka-dedup [-c CONFIG] --recs-out RECS [--header-from PART0]\n"
	"                   PART\n"
	"       angka-dedup [-c CONFIG] --recs RECS... [--shard K/N --pairs-out\n"
	"                   PAIRS | --merge-pairs PAIRS... | outputs] PART...\n"
	"\n"
	"Read normalized person rows (docs/columns.md) and write one row per\n"
	"person with cluster_id and cluster_size. Rows with the same valid NIK\n"
	"are one person; other candidates (NIK typo or swap, missing or Excel-\n"
	"mangled NIK, swapped date, spelling variant) are found by blocking\n"
	"rules and scored; settings in the [dedup] section of the config.\n"
	"\n"
	"  -c, --config FILE           config with a [dedup] section\n"
	"  -o, --output FILE           unique persons (default stdout)\n"
	"      --duplicates FILE       rows folded into a cluster, with the\n"
	"                              survivor, rule, score, fields_differ\n"
	"      --review FILE           pairs scored between review_threshold\n"
	"                              and merge_threshold (not merged)\n"
	"      --households FILE       one row per valid No KK, with flags\n"
	"      --household-counts FILE households and persons per desa\n"
	"      --decisions FILE        a clerk's decisions on review pairs\n"
	"                              (keputusan sama/beda): honoured as\n"
	"                              must-link/cannot-link (overrides\n"
	"                              [dedup] decisions)\n"
	"      --perubahan FILE        persons added, removed, moved or changed\n"
	"                              between two periods (periode column)\n"
	"      --perubahan-desa FILE   their counts per desa (no personal data)\n"
	"      --perubahan-periods PREV,CUR\n"
	"                              the periods compared (default: the two\n"
	"                              newest; overrides [dedup]\n"
	"                              perubahan_periods)\n"
	"      --wilayah FILE          region table: desa names (nama_wilayah)\n"
	"                              in --household-counts, --perubahan-desa\n"
	"      --golden FILE           a golden record per person: each field\n"
	"                              the value most rows agree on, with the\n"
	"                              row it came from (<field>_src)\n"
	"      --evaluate DECISIONS    print precision and recall per\n"
	"                              threshold from the decided pairs and\n"
	"                              suggest a merge_threshold; no outputs\n"
	"      --fit                   print the learned match weights (m, u\n"
	"                              and weight per comparison level; no\n"
	"                              personal data); no outputs\n", f);
	/* Two strings: C99 guarantees string literals of 4095 bytes only. */
	fputs(
	"      --shard K/N             with --pairs-out: block only the keys of\n"
	"                              shard K (0..N-1) of N and write the\n"
	"                              groups and candidate pairs to PAIRS;\n"
	"                              no other output\n"
	"      --pairs-out PAIRS       the shard's pair file\n"
	"      --merge-pairs PAIRS     (repeatable) the pair files of shards\n"
	"                              0..N-1 of the same FILE instead of the\n"
	"                              blocking: the outputs are byte for byte\n"
	"                              those of one process\n"
	"      --recs-out RECS         read the part file PART (a piece of the\n"
	"                              normalized file cut at record\n"
	"                              boundaries, e.g. angka-normalize\n"
	"                              --shard) once and write its rows'\n"
	"                              state to RECS; no other output\n"
	"      --header-from PART0     with --recs-out: the header row is\n"
	"                              PART0's first (PART has none)\n"
	"      --recs RECS             (repeatable) the RECS of the parts\n"
	"                              given as files, in the same order,\n"
	"                              instead of reading their rows: as one\n"
	"                              process on their concatenation\n"
	"      --check-config          only validate the config's [dedup] section\n"
	"  -q, --quiet                 print only errors\n"
	"      --csv DIALECT           published counts as rfc4180 (default) or\n"
	"                              excel-id (';', decimal comma, UTF-8 BOM)\n"
	"  -v, --verbose               print each pass's time on stderr\n"
	"  -h, --help                  this help\n"
	"      --version               print the version\n"
	"\n"
	"All outputs hold personal data except the household counts and\n"
	"--perubahan-desa; they are written atomically with mode 0600.\n"
	"Stderr never shows a NIK or a name.\n"
	"\n"
	"Exit status: 0 success, 1 data error, 2 usage or config error.\n", f);
}

int main(int argc, char **argv)
{
	angka_diag_init(argv[0]);
	enum { OPT_DUP = 256, OPT_REVIEW, OPT_HH, OPT_HHC, OPT_VERSION,
	       OPT_DECISIONS, OPT_EVALUATE, OPT_CHG, OPT_CHG_DESA,
	       OPT_CHG_PERIODS, OPT_GOLDEN, OPT_WILAYAH, OPT_FIT, OPT_CSV,
	       OPT_SHARD, OPT_PAIRS_OUT, OPT_MERGE_PAIRS, OPT_RECS_OUT,
	       OPT_HEADER_FROM, OPT_RECS };
	static const struct option longopts[] = {
		{ "check-config", no_argument, NULL, 'C' },
		{ "config", required_argument, NULL, 'c' },
		{ "decisions", required_argument, NULL, OPT_DECISIONS },
		{ "duplicates", required_argument, NULL, OPT_DUP },
		{ "evaluate", required_argument, NULL, OPT_EVALUATE },
		{ "golden", required_argument, NULL, OPT_GOLDEN },
		{ "fit", no_argument, NULL, OPT_FIT },
		{ "help", no_argument, NULL, 'h' },
		{ "merge-pairs", required_argument, NULL, OPT_MERGE_PAIRS },
		{ "pairs-out", required_argument, NULL, OPT_PAIRS_OUT },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "household-counts", required_argument, NULL, OPT_HHC },
		{ "households", required_argument, NULL, OPT_HH },
		{ "output", required_argument, NULL, 'o' },
		{ "perubahan", required_argument, NULL, OPT_CHG },
		{ "perubahan-desa", required_argument, NULL, OPT_CHG_DESA },
		{ "perubahan-periods", required_argument, NULL, OPT_CHG_PERIODS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "review", required_argument, NULL, OPT_REVIEW },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "wilayah", required_argument, NULL, OPT_WILAYAH },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "recs-out", required_argument, NULL, OPT_RECS_OUT },
		{ "header-from", required_argument, NULL, OPT_HEADER_FROM },
		{ "recs", required_argument, NULL, OPT_RECS },
		{ NULL, 0, NULL, 0 }
	};
	const char *config = NULL, *csv = NULL;
	int check_config = 0;
	struct dedup_opts o = { 0 };
	static const char **merge;   /* static: reachable at any exit */
	static const char **recs;
	int c;
	opterr = 0;   /* our own message, without the build path of argv[0] */
	while ((c = getopt_long(argc, argv, "c:ho:qv", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'C': check_config = 1; break;
		case 'h': usage(stdout); return 0;
		case 'o': o.out = optarg; break;
		case 'q': o.quiet = 1; break;
		case 'v': o.verbose = 1; break;
		case OPT_DUP: o.duplicates = optarg; break;
		case OPT_REVIEW: o.review = optarg; break;
		case OPT_HH: o.households = optarg; break;
		case OPT_HHC: o.household_counts = optarg; break;
		case OPT_DECISIONS: o.decisions = optarg; break;
		case OPT_EVALUATE: o.decisions = optarg; o.evaluate = 1; break;
		case OPT_CHG: o.perubahan = optarg; break;
		case OPT_CHG_DESA: o.perubahan_desa = optarg; break;
		case OPT_CHG_PERIODS: o.change_periods = optarg; break;
		case OPT_GOLDEN: o.golden = optarg; break;
		case OPT_WILAYAH: o.wilayah = optarg; break;
		case OPT_CSV: csv = optarg; break;
		case OPT_FIT: o.fit = 1; break;
		case OPT_PAIRS_OUT: o.pairs_out = optarg; break;
		case OPT_MERGE_PAIRS:
			merge = angka_xrealloc(merge, (o.nmerge_pairs + 1) *
			                              sizeof *merge);
			merge[o.nmerge_pairs++] = optarg;
			o.merge_pairs = merge;
			break;
		case OPT_RECS_OUT: o.recs_out = optarg; break;
		case OPT_HEADER_FROM: o.header_from = optarg; break;
		case OPT_RECS:
			recs = angka_xrealloc(recs, (o.nrecs + 1) *
			                            sizeof *recs);
			recs[o.nrecs++] = optarg;
			o.recs = recs;
			break;
		case OPT_SHARD:
			if (angka_shard_parse(optarg, &o.shard_k, &o.shard_n)) {
				angka_warn("bad --shard '%s' (expected K/N, "
				           "0 <= K < N <= 100000)", optarg);
				free(merge);
				return 2;
			}
			break;
		case OPT_VERSION: printf("angka-dedup %s\n", ANGKA_VERSION); return 0;
		default:
			if (optopt && strchr("co", optopt))
				angka_warn("option '-%c' needs a value", optopt);
			else
				angka_warn("unknown option '%s'", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	const char *bad = NULL;
	if (o.nrecs) {
		o.parts = (const char *const *)argv + optind;
		o.nparts = (size_t)(argc - optind);
		if (o.nparts != o.nrecs)
			bad = "--recs: as many part files as --recs, in the "
			      "same order";
		else if (o.recs_out || o.header_from || o.fit || o.evaluate)
			bad = "--recs: not with --recs-out, --header-from, "
			      "--fit or --evaluate";
	} else if (argc - optind > 1) {
		bad = "one input file at most";
	} else if (o.header_from && !o.recs_out) {
		bad = "--header-from goes with --recs-out";
	} else if (o.recs_out && (optind == argc ||
	                          strcmp(argv[optind], "-") == 0 ||
	                          o.pairs_out || o.nmerge_pairs || o.fit ||
	                          o.evaluate)) {
		bad = "--recs-out: one part FILE (not stdin), no other mode";
	}
	if (bad) {
		angka_warn("%s", bad);
		usage(stderr);
		free(merge);
		free(recs);
		return 2;
	}
	o.in = optind < argc ? argv[optind] : "-";
	if (!o.shard_n != !o.pairs_out) {
		angka_warn("--shard and --pairs-out go together");
		free(merge);
		return 2;
	}
	if ((o.pairs_out || o.nmerge_pairs) && (o.fit || o.evaluate)) {
		angka_warn("--fit and --evaluate do not shard");
		free(merge);
		return 2;
	}
	if (o.pairs_out && o.nmerge_pairs) {
		angka_warn("--pairs-out and --merge-pairs: a shard or the "
		           "merge, not both");
		free(merge);
		return 2;
	}
	unsigned pp, pc;
	if (o.change_periods &&
	    dedup_parse_change_periods(o.change_periods, &pp, &pc)) {
		angka_warn("--perubahan-periods '%s': expected PREV,CUR (YYYY "
		           "or YYYY-MM each, PREV older)", o.change_periods);
		return 2;
	}

	struct angka_error e = { 0 };
	struct angka_config cfg;
	angka_config_init(&cfg);
	struct dedup_settings s;
	if ((config && angka_config_load(&cfg, config, &e) != ANGKA_OK) ||
	    dedup_settings_load(&s, &cfg, &e) != ANGKA_OK) {
		int st = angka_report(&e);
		angka_config_release(&cfg);
		return st;
	}
	if (check_config) {
		angka_config_release(&cfg);
		return 0;
	}
	if (!o.decisions)
		o.decisions = s.decisions;
	/* The region table (--wilayah) is loaded by dedup_run when a
	 * published table is opened (dedup_publish_regions), not here. */
	int pst = angka_publish_main(csv, NULL);
	if (pst) {
		angka_config_release(&cfg);
		return pst;
	}
	struct dedup_stats st;
	enum angka_err rc = dedup_run(&o, &s, &st, &e);
	angka_config_release(&cfg);
	angka_publish_free();
	free(merge);
	free(recs);
	if (rc != ANGKA_OK)
		return angka_report(&e);
	if (o.fit || o.pairs_out || o.recs_out)
		return 0;
	if (o.evaluate) {
		if (st.decisions_unknown && !o.quiet)
			fprintf(stderr, "%s: warning: %llu decisions name rows "
			        "not in the input; ignored\n", angka_progname(),
			        (unsigned long long)st.decisions_unknown);
		return 0;
	}
	if (!o.quiet) {
		char pbuf[2][8];
		fprintf(stderr,
		        "%s: rows in %llu, unique %llu, duplicates %llu (exact NIK "
		        "%llu, probable %llu), clusters with duplicates %llu, "
		        "review pairs %llu, households %llu\n",
		        angka_progname(), (unsigned long long)st.rows_in,
		        (unsigned long long)st.unique,
		        (unsigned long long)st.duplicates,
		        (unsigned long long)st.dup_exact,
		        (unsigned long long)(st.duplicates - st.dup_exact),
		        (unsigned long long)st.clusters_multi,
		        (unsigned long long)st.review,
		        (unsigned long long)st.households);
		if (st.nik_pattern || st.nik_placeholder || st.nik_is_kk ||
		    st.nik_shared || st.merges_refused)
			fprintf(stderr, "%s: NIK not used as evidence: %llu rows "
			        "with a placeholder NIK (repeated or sequential "
			        "digits), %llu rows of a NIK on more than %ld rows "
			        "with conflicting names, %llu rows with the No KK "
			        "as NIK; %llu rows share a NIK with another person "
			        "(nik_shared); %llu merges refused (two NIKs in "
			        "one cluster)\n", angka_progname(),
			        (unsigned long long)st.nik_pattern,
			        (unsigned long long)st.nik_placeholder,
			        s.placeholder_rows,
			        (unsigned long long)st.nik_is_kk,
			        (unsigned long long)st.nik_shared,
			        (unsigned long long)st.merges_refused);
		if (st.nik_typo2)
			fprintf(stderr, "%s: %llu merges of two NIKs two digits "
			        "apart, one not encoding its row's birth date "
			        "and sex (name, birth date, No KK and sex "
			        "equal)\n", angka_progname(),
			        (unsigned long long)st.nik_typo2);
		if (o.decisions && !o.evaluate)
			fprintf(stderr, "%s: decisions: %llu sama, %llu beda "
			        "(%llu undecided, %llu naming rows not in the "
			        "input, %llu both sama and beda: beda); %llu sama "
			        "not honoured (two valid NIKs far apart or a beda "
			        "between the clusters), %llu merges refused by "
			        "beda\n", angka_progname(),
			        (unsigned long long)st.decisions_sama,
			        (unsigned long long)st.decisions_beda,
			        (unsigned long long)st.decisions_empty,
			        (unsigned long long)st.decisions_unknown,
			        (unsigned long long)st.decisions_conflict,
			        (unsigned long long)st.sama_refused,
			        (unsigned long long)st.beda_refused);
		if ((o.perubahan || o.perubahan_desa) && !st.chg_period_prev)
			fprintf(stderr, "%s: perubahan: fewer than two periods in "
			        "the input; headers only\n", angka_progname());
		else if (o.perubahan || o.perubahan_desa) {
			dedup_period_text(st.chg_period_prev, pbuf[0]);
			dedup_period_text(st.chg_period_cur, pbuf[1]);
			fprintf(stderr, "%s: perubahan %s -> %s: persons %llu -> "
			        "%llu (tambah %llu, hapus %llu, pindah %llu, ubah "
			        "%llu)\n", angka_progname(),
			        pbuf[0], pbuf[1],
			        (unsigned long long)st.chg_persons_prev,
			        (unsigned long long)st.chg_persons_cur,
			        (unsigned long long)st.chg_tambah,
			        (unsigned long long)st.chg_hapus,
			        (unsigned long long)st.chg_pindah,
			        (unsigned long long)st.chg_ubah);
		}
		if (st.runs_spilled)
			fprintf(stderr, "%s: memory budget exceeded: %llu sorted "
			        "runs spilled to disk\n", angka_progname(),
			        (unsigned long long)st.runs_spilled);
	}
	return 0;
}
