/*
 * forget.c - `angka forget NIK...`: remove one person's rows from the
 * personal files (private/, shared/) of every retained run (UU PDP
 * 27/2022: the data subject's right to erasure), rewriting each file
 * atomically, marking each edited run in its manifest ("edits") and
 * reporting where the rows were. The NIK itself is never printed or
 * written: the report names it by its position on the command line.
 *
 * A row goes when one of its fields is the NIK (after removing the
 * spaces, dots, dashes and leading apostrophe normalize removes), holds
 * it as a run of 16 digits with no digit before or after (a quarantined
 * raw line, "6311...1179.0"), or is its HMAC-SHA256 under [run] key_file
 * (the pseudonymized export). A NIK mangled by Excel (6.31E+15) cannot
 * be recognised.
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

struct person {
	char nik[17];
	char hmac[33];            /* its shared-export pseudonym; "" without
	                           * a key */
	long long rows, files;
};

struct forget {
	struct env *v;
	struct person *p;
	size_t np;
	long long run_rows;       /* rows removed from the current run */
	char edit_files[8192];    /* JSON list of this run's edited files */
	size_t edit_len;
};

/* The 16 digits of a NIK as normalize reads it, or -1. */
static int nik_digits(const char *s, char *out)
{
	size_t n = 0;
	if (*s == '\'')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n == 16)
				return -1;
			out[n++] = *s;
		} else if (*s != ' ' && *s != '.' && *s != '-') {
			return -1;
		}
	}
	out[n] = '\0';
	return n == 16 ? 0 : -1;
}

/* The person a field identifies (index into f->p), or -1. */
static int field_person(const struct forget *f, const char *s, size_t len)
{
	char d[17];
	if (len >= 16 && len <= 40 && nik_digits(s, d) == 0)
		for (size_t i = 0; i < f->np; i++)
			if (memcmp(d, f->p[i].nik, 17) == 0)
				return (int)i;
	for (size_t i = 0; i < f->np; i++) {
		if (f->p[i].hmac[0] && len == 32 &&
		    strncasecmp(s, f->p[i].hmac, 32) == 0)
			return (int)i;
		for (const char *q = s; (q = memmem(q, len - (size_t)(q - s),
		                                    f->p[i].nik, 16)); q++)
			if ((q == s || q[-1] < '0' || q[-1] > '9') &&
			    (q + 16 == s + len || q[16] < '0' || q[16] > '9'))
				return (int)i;
	}
	return -1;
}

/* The person a data row identifies, or -1. */
static int row_person(const struct forget *f, const struct angka_csv_record *r)
{
	for (size_t k = 0; k < r->nfields; k++) {
		int p = field_person(f, r->field[k], r->len[k]);
		if (p >= 0)
			return p;
	}
	return -1;
}

/* Rewrite the CSV file path (rel: its name inside the run) without the
 * rows of the persons; report them. dirfd: its directory (opened up for
 * the temp file and closed up again). */
static enum angka_err forget_file(struct forget *f, int dirfd,
                                  const char *path, const char *rel,
                                  struct angka_error *e)
{
	struct angka_csv_opts o = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	struct angka_csv_reader *r;
	const struct angka_csv_record *rec;
	long long *hits = angka_xcalloc(f->np, sizeof *hits), total = 0;
	enum angka_err rc = angka_csv_reader_open(&r, path, &o, e);
	int got = 0, first = 1;
	/* A first pass counts: most files hold no one of the list. */
	while (rc == ANGKA_OK && (got = angka_csv_reader_next(r, &rec, e)) > 0) {
		int p = first ? -1 : row_person(f, rec);
		first = 0;
		if (p >= 0) {
			hits[p]++;
			total++;
		}
	}
	if (rc == ANGKA_OK) {
		if (got < 0) {
			angka_csv_reader_free(r);
			rc = e->code;
		} else {
			rc = angka_csv_reader_close(r, e);
		}
	}
	if (rc != ANGKA_OK || total == 0) {
		free(hits);
		return rc;
	}
	struct stat sb;
	fstat(dirfd, &sb);
	fchmod(dirfd, 0700);
	struct angka_csv_writer *w = NULL;
	rc = angka_csv_reader_open(&r, path, &o, e);
	if (rc == ANGKA_OK &&
	    (rc = angka_csv_writer_open(&w, path, ANGKA_CSV_WRITER_PRIVATE, e)) !=
	    ANGKA_OK)
		angka_csv_reader_free(r);
	first = 1;
	while (rc == ANGKA_OK && (got = angka_csv_reader_next(r, &rec, e)) > 0) {
		if (!first && row_person(f, rec) >= 0)
			continue;
		first = 0;
		for (size_t k = 0; k < rec->nfields; k++)
			angka_csv_writer_field_q(w, rec->field[k], rec->len[k],
			                         rec->quote[k]);
		angka_csv_writer_end_row(w);
	}
	if (rc == ANGKA_OK) {
		if (got < 0) {
			angka_csv_reader_free(r);
			angka_csv_writer_abort(w);
			rc = e->code;
		} else if ((rc = angka_csv_reader_close(r, e)) != ANGKA_OK) {
			angka_csv_writer_abort(w);
		} else {
			rc = angka_csv_writer_commit(w, e);
		}
	}
	if (rc == ANGKA_OK)
		chmod(path, 0400);
	fchmod(dirfd, sb.st_mode & 07777);
	if (rc == ANGKA_OK) {
		for (size_t i = 0; i < f->np; i++) {
			if (!hits[i])
				continue;
			printf("NIK #%zu: %s: %lld row%s removed\n", i + 1, rel,
			       hits[i], hits[i] > 1 ? "s" : "");
			f->p[i].rows += hits[i];
			f->p[i].files++;
		}
		f->run_rows += total;
		const char *slash = strchr(rel, '/');
		int n = snprintf(f->edit_files + f->edit_len,
		                 sizeof f->edit_files - f->edit_len,
		                 "%s{\"path\": \"%s\", \"rows_removed\": %lld}",
		                 f->edit_len ? ", " : "", slash ? slash + 1 : rel,
		                 total);
		if (n > 0 && (size_t)n < sizeof f->edit_files - f->edit_len)
			f->edit_len += (size_t)n;
	}
	free(hits);
	return rc;
}

/* Every CSV file under the directory dirfd (path, rel in messages). */
static enum angka_err forget_tree(struct forget *f, int dirfd,
                                  const char *path, const char *rel,
                                  struct angka_error *e)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot read '%s':", path);
	}
	enum angka_err rc = ANGKA_OK;
	struct dirent *de;
	while (rc == ANGKA_OK && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char sub[PATH_MAX], subrel[PATH_MAX];
		snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
		snprintf(subrel, sizeof subrel, "%s/%s", rel, de->d_name);
		struct stat sb;
		if (fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			int sfd = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY |
			                 O_NOFOLLOW | O_CLOEXEC);
			if (sfd < 0)
				continue;
			rc = forget_tree(f, sfd, sub, subrel, e);
			close(sfd);
		} else if (S_ISREG(sb.st_mode)) {
			size_t l = strlen(de->d_name);
			if ((l > 4 && !strcmp(de->d_name + l - 4, ".csv")) ||
			    (l > 7 && !strcmp(de->d_name + l - 7, ".csv.gz")))
				rc = forget_file(f, dirfd, sub, subrel, e);
		}
	}
	closedir(d);
	return rc;
}

/* One run directory under v->runs_fd. */
/*
 * The clerk workbooks of private/ (report.c) hold the rows of the CSVs just
 * edited, NIKs as text inside a zip: rather than rewrite them, a run that
 * lost rows loses its workbooks (the next run makes them again from the
 * edited CSVs it reuses).
 */
static void drop_workbooks(struct forget *f, int runfd, const char *run)
{
	int pfd = openat(runfd, "private", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	                 O_CLOEXEC);
	if (pfd < 0)
		return;
	int dfd = dup(pfd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		close(pfd);
		return;
	}
	struct stat sb;
	fstat(pfd, &sb);
	fchmod(pfd, 0700);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 6 ||
		    strcmp(de->d_name + l - 5, ".xlsx") != 0 ||
		    unlinkat(pfd, de->d_name, 0) != 0)
			continue;
		printf("%s/private/%s: removed (the next run makes it again)\n",
		       run, de->d_name);
		int n = snprintf(f->edit_files + f->edit_len,
		                 sizeof f->edit_files - f->edit_len,
		                 "%s{\"path\": \"private/%s\", \"removed\": true}",
		                 f->edit_len ? ", " : "", de->d_name);
		if (n > 0 && (size_t)n < sizeof f->edit_files - f->edit_len)
			f->edit_len += (size_t)n;
	}
	fchmod(pfd, sb.st_mode & 07777);
	closedir(d);
	close(pfd);
}

static enum angka_err forget_run(struct forget *f, const char *run,
                                 struct angka_error *e)
{
	struct env *v = f->v;
	int fd = openat(v->runs_fd, run, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	                O_CLOEXEC);
	if (fd < 0)
		return ANGKA_OK;
	f->run_rows = 0;
	f->edit_len = 0;
	f->edit_files[0] = '\0';
	enum angka_err rc = ANGKA_OK;
	static const char *const trees[] = { "private", "shared" };
	for (size_t k = 0; k < 2 && rc == ANGKA_OK; k++) {
		int tfd = openat(fd, trees[k], O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		                 O_CLOEXEC);
		if (tfd < 0)
			continue;
		char path[PATH_MAX], rel[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s/%s", v->runs, run, trees[k]);
		snprintf(rel, sizeof rel, "%s/%s", run, trees[k]);
		rc = forget_tree(f, tfd, path, rel, e);
		close(tfd);
	}
	if (f->run_rows > 0 && rc == ANGKA_OK)
		drop_workbooks(f, fd, run);
	if (f->run_rows > 0) {
		/* The run is no longer what its steps made: say so. */
		char ts[32], *edit = angka_xmalloc(sizeof f->edit_files + 200);
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(edit, sizeof f->edit_files + 200, "{\"edit\": \"forget\", "
		         "\"time\": \"%s\", \"rows_removed\": %lld, \"files\": [%s]}",
		         ts, f->run_rows, f->edit_files);
		struct stat sb;
		fstat(fd, &sb);
		fchmod(fd, 0700);
		struct angka_error e2 = { 0 };
		if (manifest_add_edit(fd, run, edit, &e2) != ANGKA_OK &&
		    rc == ANGKA_OK)
			rc = ANGKA_ERR(e, e2.code, "%s", e2.msg);
		fchmod(fd, sb.st_mode & 07777);
		free(edit);
	}
	close(fd);
	return rc;
}

enum angka_err forget_niks(struct env *v, struct angka_error *e)
{
	const struct driver_opts *o = v->o;
	struct forget f = { .v = v };
	f.p = angka_xcalloc(o->nniks ? o->nniks : 1, sizeof *f.p);
	uint8_t key[4096];
	size_t klen = 0;
	if (v->ro.pseudonymize) {
		enum angka_err krc = export_key_load(v->ro.key_file, key, &klen, e);
		if (krc != ANGKA_OK) {
			free(f.p);
			return krc;
		}
	}
	for (size_t i = 0; i < o->nniks; i++) {
		/* Never echo it: it may be any string the user typed. */
		if (nik_digits(o->niks[i], f.p[i].nik) != 0) {
			free(f.p);
			return ANGKA_ERR(e, ANGKA_EUSAGE, "argument %zu is not a "
			                 "16-digit NIK", i + 1);
		}
		if (klen)
			export_pseudonym_of(key, klen, "nik", f.p[i].nik, 16,
			                    f.p[i].hmac);
		f.np++;
	}
	enum angka_err rc = open_runs(v, e);
	int lock_fd = -1;
	if (rc == ANGKA_OK)
		rc = take_lock(v, &lock_fd, e);
	int fd = rc == ANGKA_OK ? dup(v->runs_fd) : -1;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (rc == ANGKA_OK && !d)
		rc = ANGKA_ERR(e, ANGKA_EIO, "cannot read '%s':", v->runs);
	struct dirent *de;
	size_t nruns = 0;
	while (rc == ANGKA_OK && (de = readdir(d))) {
		if (strncmp(de->d_name, "run-", 4) != 0 &&
		    strncmp(de->d_name, "legacy-", 7) != 0)
			continue;
		nruns++;
		rc = forget_run(&f, de->d_name, e);
	}
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	if (lock_fd >= 0)
		close(lock_fd);
	for (size_t i = 0; rc == ANGKA_OK && i < f.np; i++) {
		if (f.p[i].rows)
			printf("NIK #%zu: %lld row%s removed from %lld file%s\n", i + 1,
			       f.p[i].rows, f.p[i].rows > 1 ? "s" : "", f.p[i].files,
			       f.p[i].files > 1 ? "s" : "");
		else
			printf("NIK #%zu: in no file of the %zu retained run%s\n",
			       i + 1, nruns, nruns == 1 ? "" : "s");
	}
	if (rc == ANGKA_OK && !v->o->quiet)
		printf("The inputs are not changed: a run on extracts that still "
		       "hold these persons brings them back.\n");
	explicit_bzero(key, sizeof key);
	explicit_bzero(f.p, f.np * sizeof *f.p);
	free(f.p);
	return rc;
}
