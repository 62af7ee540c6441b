/*
 * manifest.c - manifest.json of a run: version, finish time, status, the
 * config and every input file with its sha256, and per step its hash, what
 * was done (ran, reused, not run), the row counts of each stage and the
 * sha256 of each output (of a directory: of its entries' names and
 * hashes, hash.c's tree_hash()); then "files", every file the run
 * publishes (the steps' outputs and what the driver adds after them:
 * ringkasan.html, tabel/, the clerk workbooks, excel/, each chart) with
 * its bytes, sha256 and, for a published table, its rows. Only the
 * manifest itself and run.log (it ends after the manifest) are not in it.
 */
#include "driver_int.h"

#include <dirent.h>
#include <errno.h>
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

/* Not in "files": the manifest (and its temporary file) and run.log, whose
 * last lines are written after the manifest. */
static int not_listed(const char *rel)
{
	return strcmp(rel, "manifest.json") == 0 ||
	       strcmp(rel, ".manifest.json.tmp") == 0 ||
	       strcmp(rel, "run.log") == 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

/* The regular files under the run-relative directory dir ("" for the run)
 * appended to out, run-relative, sorted by name at each level; -1 if a
 * directory cannot be read or an entry is neither file nor directory. */
static int list_files(const char *dir, struct strlist *out)
{
	struct dirent **list;
	int n = scandir(*dir ? dir : ".", &list, not_dots, by_name);
	if (n < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char rel[PATH_MAX];
		snprintf(rel, sizeof rel, "%s%s%s", dir, *dir ? "/" : "",
		         list[i]->d_name);
		free(list[i]);
		struct stat sb;
		if (rc != 0 || not_listed(rel))
			continue;
		if (lstat(rel, &sb) != 0)
			rc = -1;
		else if (S_ISDIR(sb.st_mode))
			rc = list_files(rel, out);
		else if (S_ISREG(sb.st_mode))
			sl_add(out, rel);
		else
			rc = -1;
	}
	free(list);
	return rc;
}

/* The rows of the CSV at path, its header not counted (a newline inside
 * quotes is no row end; either dialect), or -1 if it cannot be read.
 * Read in blocks and scanned with memchr: the registry table of a
 * national run has as many rows as persons. */
long long csv_rows(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	enum { CAP = 1 << 17 };
	char *buf = malloc(CAP);
	if (!buf) {
		close(fd);
		return -1;
	}
	long long records = 0;
	/* mid: the bytes read so far do not end with a row's newline. */
	int quoted = 0, mid = 0, bad = 0;
	for (;;) {
		ssize_t n = read(fd, buf, CAP);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			bad = n < 0;
			break;
		}
		const char *p = buf, *end = buf + n;
		while (p < end) {
			const char *q = memchr(p, '"', (size_t)(end - p));
			const char *stop = q ? q : end;
			if (!quoted) {
				for (const char *nl = p;
				     (nl = memchr(nl, '\n', (size_t)(stop - nl)));
				     nl++)
					records++;
				if (stop > p)
					mid = stop[-1] != '\n';
			} else if (stop > p) {
				mid = 1;
			}
			if (!q)
				break;
			quoted = !quoted;
			mid = 1;
			p = q + 1;
		}
	}
	free(buf);
	if (close(fd) != 0)
		bad = 1;
	if (bad)
		return -1;
	records += mid;
	return records > 0 ? records - 1 : 0;
}

/* A published table: a CSV outside private/ and shared/. */
static int is_table(const char *rel)
{
	size_t l = strlen(rel);
	return l > 4 && strcmp(rel + l - 4, ".csv") == 0 &&
	       strncmp(rel, "private/", 8) != 0 && strncmp(rel, "shared/", 7) != 0;
}

/* The sha256 a step recorded for rel (one of its file outputs), or NULL. */
static const char *step_hash_of(const struct plan *p, const char *rel)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct step *st = &p->s[i];
		for (size_t k = 0; k < st->out_hash.n && k < st->outputs.n; k++)
			if (strcmp(st->outputs.v[k], rel) == 0 &&
			    strcmp(st->out_hash.v[k], "-") != 0)
				return st->out_hash.v[k];
	}
	return NULL;
}

/* "files": every file of the run (cwd) but the manifest and run.log. */
static int write_files(FILE *f, const struct plan *p)
{
	struct strlist files = { 0 };
	int rc = list_files("", &files);
	fprintf(f, ",\n  \"files\": [");
	for (size_t i = 0; rc == 0 && i < files.n; i++) {
		const char *rel = files.v[i];
		struct stat sb;
		char h[65] = "";
		long long size = 0;
		const char *known = step_hash_of(p, rel);
		if (known && lstat(rel, &sb) == 0) {
			snprintf(h, sizeof h, "%s", known);
			size = (long long)sb.st_size;
		} else if (sha256_file(rel, h, &size) != 0) {
			rc = -1;
			break;
		}
		fprintf(f, "%s\n    {\"path\": ", i ? "," : "");
		json_str(f, rel);
		fprintf(f, ", \"bytes\": %lld, \"sha256\": ", size);
		json_str(f, h);
		if (is_table(rel)) {
			long long rows = csv_rows(rel);
			if (rows < 0) {
				rc = -1;
				break;
			}
			fprintf(f, ", \"rows\": %lld", rows);
		}
		fprintf(f, "}");
	}
	fprintf(f, "\n  ]");
	sl_free(&files);
	return rc;
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
	fprintf(f, "\n  ]");
	int bad = write_files(f, p) != 0;
	fprintf(f, "\n}\n");
	bad |= ferror(f);
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
