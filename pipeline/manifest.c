/*
 * manifest.c - manifest.json of a run: version, finish time, status, the
 * config and every input file with its sha256, and per step its hash, what
 * was done (ran, reused, not run), the row counts of each stage and the
 * sha256 of each output (of a directory: of its entries' names and
 * hashes, hash.c's tree_hash()).
 */
#include "driver_int.h"

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
		fprintf(f, "]}");
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
