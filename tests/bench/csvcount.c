/*
 * csvcount.c - the "bare libcsv parse" benchmark baseline.
 *
 * usage: csvcount [-d DELIM] FILE|-
 *
 * Reads FILE (plain or gzip, zlib's transparent mode) with gzread() in 1 MiB
 * reads on one thread and feeds libcsv with callbacks that only count fields
 * and rows; prints "rows N fields M bytes B". This is the CPU floor every
 * parsing stage of angka is measured against (see PERFORMANCE.md). libcsv
 * runs with default options, no space trimming, delimiter ';' unless -d.
 */
#define _POSIX_C_SOURCE 200809L
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK ((unsigned)1 << 20)

struct counts {
	unsigned long long fields, rows;
};

static void cb_field(void *data, size_t len, void *user)
{
	(void)data;
	(void)len;
	((struct counts *)user)->fields++;
}

static void cb_row(int c, void *user)
{
	(void)c;
	((struct counts *)user)->rows++;
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char delim = ';';
	int opt;
	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt == 'd' && optarg[0])
			delim = (unsigned char)(optarg[0] == 't' && optarg[1] == 0
			                                ? '\t' : optarg[0]);
		else {
			fprintf(stderr, "usage: csvcount [-d DELIM] FILE|-\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: csvcount [-d DELIM] FILE|-\n");
		return 2;
	}
	const char *path = argv[optind];
	int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	gzFile gz = gzdopen(fd, "rb");
	if (!gz) {
		fprintf(stderr, "csvcount: gzdopen failed\n");
		return 1;
	}
	gzbuffer(gz, 1 << 18);
	struct csv_parser p;
	if (csv_init(&p, 0) != 0) {
		fprintf(stderr, "csvcount: csv_init failed\n");
		return 1;
	}
	csv_set_delim(&p, delim);
	csv_set_space_func(&p, no_space);
	char *buf = malloc(CHUNK);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	struct counts c = { 0, 0 };
	unsigned long long bytes = 0;
	for (;;) {
		int n = gzread(gz, buf, CHUNK);
		if (n < 0) {
			int zerr;
			fprintf(stderr, "csvcount: %s: %s\n", path, gzerror(gz, &zerr));
			return 1;
		}
		if (n == 0)
			break;
		bytes += (unsigned)n;
		if (csv_parse(&p, buf, (size_t)n, cb_field, cb_row, &c) != (size_t)n) {
			fprintf(stderr, "csvcount: %s: %s\n", path,
			        csv_strerror(csv_error(&p)));
			return 1;
		}
	}
	int zerr;
	gzerror(gz, &zerr);
	if (zerr != Z_OK) {
		fprintf(stderr, "csvcount: %s: truncated or corrupt gzip\n", path);
		return 1;
	}
	csv_fini(&p, cb_field, cb_row, &c);
	csv_free(&p);
	gzclose_r(gz);
	free(buf);
	printf("rows %llu fields %llu bytes %llu\n", c.rows, c.fields, bytes);
	return 0;
}
