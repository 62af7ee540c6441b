/*
 * manifest.c - manifest.json of a run: version, finish time, status, the
 * config and every input file with its sha256, and per step its hash, what
 * was done (ran, reused, not run), the row counts of each stage and the
 * sha256 of each output (of a directory: of its entries' names and
 * hashes, hash.c's tree_hash()).
 */
#include "driver_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Manifest.                                                           */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

enum angka_err write_manifest(struct env *v, struct plan *p,
                              const char *status, double seconds,
                              struct angka_error *e)
{
	unlink(".manifest.json.tmp");
	FILE *f = fopen_new(".manifest.json.tmp", 0644);
	if (!f)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write manifest:");
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	char chash[65] = "";
	long long csize = 0;
	sha256_file(v->config_abs, chash, &csize);
	fprintf(f, "{\n  \"angka_version\": ");
	json_str(f, ANGKA_VERSION);
	fprintf(f, ",\n  \"finished\": ");
	json_str(f, ts);
	fprintf(f, ",\n  \"status\": ");
	json_str(f, status);
	fprintf(f, ",\n  \"wall_seconds\": %.3f,\n  \"config\": {\"path\": ", seconds);
	json_str(f, v->config_abs);
	fprintf(f, ", \"sha256\": ");
	json_str(f, chash);
	fprintf(f, "},\n  \"inputs\": [");
	int first = 1;
	for (int k = 0; k < ANGKA_KIND_COUNT; k++) {
		for (size_t i = 0; i < v->cfg.input[k].nfiles; i++) {
			char h[65] = "";
			long long size = 0;
			sha256_file(v->cfg.input[k].files[i], h, &size);
			fprintf(f, "%s\n    {\"kind\": ", first ? "" : ",");
			json_str(f, angka_kind_name((enum angka_kind)k));
			fprintf(f, ", \"path\": ");
			json_str(f, v->cfg.input[k].files[i]);
			fprintf(f, ", \"size\": %lld, \"sha256\": ", size);
			json_str(f, h);
			fprintf(f, "}");
			first = 0;
		}
	}
	fprintf(f, "\n  ],\n  \"steps\": [");
	for (size_t i = 0; i < p->n; i++) {
		struct step *st = &p->s[i];
		fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
		json_str(f, st->name);
		fprintf(f, ", \"hash\": ");
		json_str(f, st->hash);
		fprintf(f, ", \"action\": ");
		json_str(f, st->skipped ? "reused" : st->ran ? "ran" : "not run");
		fprintf(f, ", \"exit_status\": %d, \"wall_seconds\": %.3f", st->status,
		        st->seconds);
		fprintf(f, ", \"stages\": [");
		for (size_t c = 0; c < st->ncmd; c++) {
			struct counts *k = &st->counts[c];
			fprintf(f, "%s{\"stage\": ", c ? ", " : "");
			json_str(f, driver_stages[st->first_stage + (int)c].name);
			if (k->have)
				fprintf(f, ", \"rows_in\": %lld, \"rows_out\": %lld, "
				        "\"rows_quarantined\": %lld, \"rows_duplicates\": %lld",
				        k->in, k->out, k->quarantined, k->duplicates);
			if (k->have_identity) {
				fprintf(f, ", \"identity\": {");
				for (size_t j = 0; j < IDENTITY_NCOUNTS; j++)
					fprintf(f, "%s\"%s\": %lld", j ? ", " : "",
					        identity_names[j], k->identity[j]);
				fprintf(f, "}");
			}
			fprintf(f, "}");
		}
		fprintf(f, "], \"outputs\": [");
		for (size_t k = 0; k < st->out_hash.n; k++) {
			fprintf(f, "%s{\"path\": ", k ? ", " : "");
			json_str(f, st->outputs.v[k]);
			fprintf(f, ", \"sha256\": ");
			json_str(f, st->out_hash.v[k]);
			fprintf(f, "}");
		}
		fprintf(f, "]");
		if (st->warnings.n) {
			fprintf(f, ", \"warnings\": [");
			for (size_t w = 0; w < st->warnings.n; w++) {
				fprintf(f, "%s", w ? ", " : "");
				json_str(f, st->warnings.v[w]);
			}
			fprintf(f, "]");
		}
		fprintf(f, "}");
	}
	fprintf(f, "\n  ]\n}\n");
	int bad = ferror(f);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		bad = 1;
	if (fclose(f) != 0)
		bad = 1;
	if (bad || rename(".manifest.json.tmp", "manifest.json") != 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write manifest.json:");
	return ANGKA_OK;
}

enum angka_err manifest_add_edit(int rundir, const char *run, const char *edit,
                                 struct angka_error *e)
{
	int fd = openat(rundir, "manifest.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || sb.st_size > (64 << 20)) {
		if (fd >= 0)
			close(fd);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot read '%s/manifest.json':",
		                 run);
	}
	size_t n = (size_t)sb.st_size;
	char *old = angka_xmalloc(n + 1);
	ssize_t got = read(fd, old, n);
	close(fd);
	old[got > 0 ? got : 0] = '\0';
	static const char tail[] = "\n  ]\n}\n", end[] = "\n}\n";
	int has = strstr(old, "\n  \"edits\": [\n") != NULL;
	size_t keep = got > 0 ? (size_t)got : 0;
	const char *cut = has ? tail : end;
	if (keep < strlen(cut) || strcmp(old + keep - strlen(cut), cut) != 0) {
		free(old);
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s/manifest.json' does not end "
		                 "as angka writes it; not edited", run);
	}
	keep -= strlen(cut);
	unlinkat(rundir, ".manifest.json.tmp", 0);
	int out = openat(rundir, ".manifest.json.tmp", O_WRONLY | O_CREAT |
	                 O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);
	FILE *f = out >= 0 ? fdopen(out, "w") : NULL;
	if (!f) {
		if (out >= 0)
			close(out);
		free(old);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write '%s/manifest.json':",
		                 run);
	}
	fwrite(old, 1, keep, f);
	if (has)
		fprintf(f, ",\n    %s%s", edit, tail);
	else
		fprintf(f, ",\n  \"edits\": [\n    %s%s", edit, tail);
	free(old);
	int bad = ferror(f);
	if (fclose(f) != 0)
		bad = 1;
	if (bad || renameat(rundir, ".manifest.json.tmp", rundir,
	                    "manifest.json") != 0) {
		unlinkat(rundir, ".manifest.json.tmp", 0);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write '%s/manifest.json':",
		                 run);
	}
	return ANGKA_OK;
}
