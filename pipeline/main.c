/*
 * angka - the pipeline driver. CLI only; see driver.h.
 */
#include "driver.h"
#include "xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* The stage names from the stage table, joined by sep. */
static void stage_list(FILE *f, const char *sep)
{
	for (size_t i = 0; i < driver_nstages; i++)
		fprintf(f, "%s%s", i ? sep : "", driver_stages[i].name);
}

static void usage(FILE *f)
{
	fprintf(f,
	"usage: angka run    [-c CONFIG] [--force] [--from STAGE] [--only STAGE] [-q]\n"
	"                    [--jobs N] [--engine local|parallel|slurm]\n"
	"       angka status [-c CONFIG]\n"
	"       angka check  [-c CONFIG]\n"
	"       angka forget [-c CONFIG] NIK... | -\n"
	"\n"
	"Run the chain ");
	stage_list(f, " -> ");
	fprintf(f, "\n"
	"that CONFIG describes (default config/balangan.ini), under a lock on the\n"
	"output directory, publishing the run atomically. Steps whose inputs, config\n"
	"and program version are unchanged are reused from the published run.\n"
	"\n"
	"angka forget removes the rows of each NIK (or each NIK on a line of stdin,\n"
	"with -) from private/ and shared/ of every retained run and says where\n"
	"they were, naming each NIK by its position only.\n"
	"\n"
	"  -c, --config FILE  the config file\n"
	"      --force        rerun every step\n"
	"      --from STAGE   rerun the steps of STAGE and of every later stage\n"
	"      --only STAGE   rerun only the steps of STAGE\n"
	"      --bindir DIR   where the angka-* executables are (default: beside angka)\n"
	"  -j, --jobs N       run up to N independent steps at once (default: the\n"
	"                     [engine] jobs, else the number of cores); the\n"
	"                     published run is the same for every N\n"
	"      --engine E     run the steps' commands with E: local (default),\n"
	"                     parallel (GNU parallel, [engine] hosts over ssh) or\n"
	"                     slurm (one sbatch job array per stage); [engine]\n"
	"  -q, --quiet        print only errors (for cron)\n"
	"  -h, --help         this help\n"
	"      --version      print the version\n"
	"\n"
	"Stages: ");
	stage_list(f, ", ");
	fprintf(f, ".\n"
	"Exit status: 0 success, 1 data error, 2 usage or config error,\n"
	"75 another run holds the lock, 128+N a stage died by signal N (or angka\n"
	"got SIGTERM, SIGINT or SIGHUP: the run is removed, `out` unchanged).\n");
}

int main(int argc, char **argv)
{
	angka_diag_init(argv[0]);
	enum { OPT_FORCE = 256, OPT_FROM, OPT_ONLY, OPT_BINDIR, OPT_VERSION,
	       OPT_ENGINE };
	static const struct option longopts[] = {
		{ "bindir", required_argument, NULL, OPT_BINDIR },
		{ "config", required_argument, NULL, 'c' },
		{ "engine", required_argument, NULL, OPT_ENGINE },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "help", no_argument, NULL, 'h' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct driver_opts o = { .cmd = DRIVER_RUN, .config = "config/balangan.ini" };
	int c;
	/* GNU getopt permutes: options may come before or after the command. */
	while ((c = getopt_long(argc, argv, "c:hj:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.config = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'q': o.quiet = 1; break;
		case OPT_FORCE: o.force = 1; break;
		case OPT_FROM: o.from = optarg; break;
		case OPT_ONLY: o.only = optarg; break;
		case OPT_BINDIR: o.bindir = optarg; break;
		case OPT_ENGINE: o.engine = optarg; break;
		case 'j': {
			char *end;
			errno = 0;
			o.jobs = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o.jobs < 1 ||
			    o.jobs > 4096) {
				angka_warn("--jobs '%s': not a number from 1 to 4096",
				           optarg);
				return 2;
			}
			break;
		}
		case OPT_VERSION: printf("angka %s\n", ANGKA_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	const char *cmd = optind < argc ? argv[optind] : "";
	int forget = strcmp(cmd, "forget") == 0;
	if (forget ? optind + 2 > argc : optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	char **lines = NULL;
	if (forget && optind + 2 == argc && strcmp(argv[optind + 1], "-") == 0) {
		/* One NIK a line on stdin: kept out of ps and shell history. */
		char *line = NULL;
		size_t cap = 0;
		while (getline(&line, &cap, stdin) > 0) {
			line[strcspn(line, "\r\n")] = '\0';
			if (!line[0])
				continue;
			lines = angka_xrealloc(lines, (o.nniks + 1) * sizeof *lines);
			lines[o.nniks++] = angka_xstrdup(line);
		}
		free(line);
		o.niks = lines;
	} else if (forget) {
		o.niks = argv + optind + 1;
		o.nniks = (size_t)(argc - optind - 1);
	}
	if (forget)
		o.cmd = DRIVER_FORGET;
	else if (strcmp(cmd, "run") == 0)
		o.cmd = DRIVER_RUN;
	else if (strcmp(cmd, "status") == 0)
		o.cmd = DRIVER_STATUS;
	else if (strcmp(cmd, "check") == 0)
		o.cmd = DRIVER_CHECK;
	else {
		angka_warn("unknown command '%s'", cmd);
		usage(stderr);
		return 2;
	}
	struct angka_error e = { 0 };
	int signo = 0;
	enum angka_err rc = driver_main(&o, &e, &signo);
	for (size_t i = 0; lines && i < o.nniks; i++)
		free(lines[i]);
	free(lines);
	if (rc != ANGKA_OK) {
		int status = angka_report(&e);
		return signo > 0 ? 128 + signo : status;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		angka_warn("error writing to stdout:");
		return 1;
	}
	return 0;
}
