/*
 * rundir.c - the run directory and its neighbours (see driver.h for the
 * layout on disk): creating and removing trees, linking outputs reused from
 * the published run, the lock, the state of the published run, publication
 * with rename(2), and retention of old runs.
 */
#include "driver_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Files and directories.                                              */

int mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *s = tmp + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(tmp, mode) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

int rm_rf_at(int dirfd, const char *name)
{
	struct stat sb;
	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode))
		return unlinkat(dirfd, name, 0);
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	                O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* A published run's directories are read-only: open them up. */
	if ((sb.st_mode & 0700) != 0700)
		fchmod(fd, 0700);
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (rm_rf_at(fd, de->d_name) != 0)
			rc = -1;
	}
	closedir(d);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0)
		rc = -1;
	return rc;
}

FILE *fopen_new(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	              mode);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

int ensure_parent(const char *rundir, const char *rel)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", rundir, rel);
	char *slash = strrchr(path, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	mode_t mode = strncmp(rel, "private", 7) == 0 ? 0700 : 0755;
	return mkdir_p(path, mode);
}

/* Set the modes of the tree under dirfd: directories dmode, files fmode,
 * and under private/ and shared/ (at the top: personal and pseudonymized
 * data) 0500 and 0400. Symlinks are left. */
static void set_modes_at(int dirfd, mode_t dmode, mode_t fmode, int top)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		struct stat sb;
		if (fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		int priv = top && (strcmp(de->d_name, "private") == 0 ||
		                   strcmp(de->d_name, "shared") == 0);
		if (S_ISDIR(sb.st_mode)) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY |
			                 O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				continue;
			set_modes_at(sub, priv ? 0500 : dmode, priv ? 0400 : fmode, 0);
			fchmod(sub, priv ? 0500 : dmode);
			close(sub);
		} else if (S_ISREG(sb.st_mode)) {
			fchmodat(dirfd, de->d_name, fmode, 0);
		}
	}
	closedir(d);
}

void set_run_modes(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	set_modes_at(fd, 0555, 0444, 1);
	fchmod(fd, 0555);
	close(fd);
}

/* ------------------------------------------------------------------ */
/* State of the published run (for incremental runs).                  */

void prev_load(struct env *v, struct prev_state *ps)
{
	memset(ps, 0, sizeof *ps);
	if (!v->prev[0])
		return;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/.angka-state", v->prev);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	/* name TAB hash TAB counts [TAB path=hash;path=hash...] */
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\r\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		char *h = tab + 1;
		char *cnt = strchr(h, '\t');
		if (cnt)
			*cnt++ = '\0';
		char *outs = cnt ? strchr(cnt, '\t') : NULL;
		if (outs)
			*outs++ = '\0';
		ps->name = angka_xrealloc(ps->name, (ps->n + 1) * sizeof *ps->name);
		ps->hash = angka_xrealloc(ps->hash, (ps->n + 1) * sizeof *ps->hash);
		ps->counts = angka_xrealloc(ps->counts, (ps->n + 1) * sizeof *ps->counts);
		ps->name[ps->n] = angka_xstrdup(line);
		ps->hash[ps->n] = angka_xstrdup(h);
		ps->counts[ps->n] = angka_xstrdup(cnt ? cnt : "");
		ps->n++;
		char *save = NULL;
		for (char *o = outs ? strtok_r(outs, ";", &save) : NULL; o;
		     o = strtok_r(NULL, ";", &save))
			if (strchr(o, '='))
				sl_add(&ps->outs, o);
	}
	free(line);
	fclose(f);
}

const char *prev_out_hash(const struct prev_state *ps, const char *rel)
{
	size_t len = strlen(rel);
	for (size_t i = 0; i < ps->outs.n; i++)
		if (strncmp(ps->outs.v[i], rel, len) == 0 &&
		    ps->outs.v[i][len] == '=')
			return ps->outs.v[i] + len + 1;
	return NULL;
}

const char *prev_hash(const struct prev_state *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->name[i], name) == 0)
			return ps->hash[i];
	return NULL;
}

/* Counts of a reused step, from the state line "in:out:q:dup|in:out:q:dup";
 * dedup's part may go on with its identity counts ":a:b:c:d:e". */
void prev_counts(const struct prev_state *ps, struct step *st)
{
	for (size_t i = 0; i < ps->n; i++) {
		if (strcmp(ps->name[i], st->name) != 0)
			continue;
		const char *c = ps->counts[i];
		for (size_t k = 0; k < MAXCMD && *c; k++) {
			struct counts *ct = &st->counts[k];
			long long *id = ct->identity;
			int got = sscanf(c, "%lld:%lld:%lld:%lld:%lld:%lld:%lld:"
			                 "%lld:%lld", &ct->in, &ct->out,
			                 &ct->quarantined, &ct->duplicates, &id[0],
			                 &id[1], &id[2], &id[3], &id[4]);
			if (got >= 4 && ct->in >= 0)
				ct->have = 1;
			if (got == 4 + IDENTITY_NCOUNTS)
				ct->have_identity = 1;
			const char *bar = strchr(c, '|');
			if (!bar)
				break;
			c = bar + 1;
		}
	}
}

void prev_free(struct prev_state *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->name[i]);
		free(ps->hash[i]);
		free(ps->counts[i]);
	}
	free(ps->name);
	free(ps->hash);
	free(ps->counts);
	sl_free(&ps->outs);
}

/* ------------------------------------------------------------------ */
/* Lock and publication.                                               */

/*
 * Where output_dir is. Another account that can write the directory
 * holding it, or that made D.runs, could swap in symlinks that redirect
 * the driver's writes and deletes (it often runs as root): refused.
 */

/* 1 if name (a directory under dirfd) holds a plain file called file. */
static int angka_file_in(int dirfd, const char *name, const char *file)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	                O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat sb;
	int yes = fstatat(fd, file, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	          S_ISREG(sb.st_mode);
	close(fd);
	return yes;
}

/* ANGKA_ECONFIG unless fd (a directory at path) belongs to this user and
 * only this user can write it. */
static enum angka_err own_dir(int fd, const char *path, struct angka_error *e)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot stat '%s':", path);
	if (!S_ISDIR(sb.st_mode))
		return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s' is not a directory", path);
	if (sb.st_uid != geteuid())
		return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s' belongs to uid %ld, not to "
		                 "this user (uid %ld): angka works only in run "
		                 "directories it made; remove it or choose another "
		                 "output_dir", path, (long)sb.st_uid,
		                 (long)geteuid());
	if (sb.st_mode & 022)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s' is writable by others "
		                 "(mode %04o): run 'chmod go-w' on it", path,
		                 (unsigned)(sb.st_mode & 07777));
	return ANGKA_OK;
}

/* The directory holding output_dir: this user's or root's, and not
 * writable by others unless sticky (like /tmp). Group-writable without the
 * sticky bit is a warning: the group's members are trusted colleagues. */
static enum angka_err trusted_parent(struct env *v, int fd,
                                     struct angka_error *e)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot stat '%s':", v->parent);
	if (sb.st_uid != geteuid() && sb.st_uid != 0)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s', the directory holding "
		                 "output_dir, belongs to uid %ld: that account could "
		                 "redirect angka's writes and deletes; use a "
		                 "directory owned by you or root", v->parent,
		                 (long)sb.st_uid);
	int sticky = (sb.st_mode & S_ISVTX) != 0;
	if ((sb.st_mode & S_IWOTH) && !sticky)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s', the directory holding "
		                 "output_dir, is writable by everyone without the "
		                 "sticky bit: anyone could redirect angka's writes "
		                 "and deletes; run 'chmod o-w' or 'chmod +t' on it",
		                 v->parent);
	if ((sb.st_mode & S_IWGRP) && !sticky)
		say(v, "warning: '%s' is group-writable: its group's members "
		    "could redirect angka's writes and deletes", v->parent);
	return ANGKA_OK;
}

enum angka_err check_output_dir(struct env *v, struct angka_error *e)
{
	int fd = open(v->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "cannot open '%s':", v->parent);
	enum angka_err rc = trusted_parent(v, fd, e);
	struct stat sb, pb;
	int have = rc == ANGKA_OK &&
	           fstatat(fd, v->outbase, &sb, AT_SYMLINK_NOFOLLOW) == 0;
	if (have && !S_ISDIR(sb.st_mode) && !S_ISLNK(sb.st_mode)) {
		rc = ANGKA_ERR(e, ANGKA_ECONFIG, "output_dir '%s' is a file, not "
		               "angka's symlink; remove it or choose another "
		               "output_dir", v->out);
	} else if (have && S_ISDIR(sb.st_mode)) {
		/* A real directory: moved aside at publication only if it is
		 * an old angka output (manifest.json), never a mount point
		 * (it cannot be renamed: the run would stay behind). */
		if (fstat(fd, &pb) != 0 || pb.st_dev != sb.st_dev)
			rc = ANGKA_ERR(e, ANGKA_ECONFIG, "output_dir '%s' is a mount "
			               "point: angka replaces output_dir by a symlink "
			               "to output_dir.runs/run-*; name a directory "
			               "inside it (e.g. '%s/out')", v->out, v->out);
		else if (!angka_file_in(fd, v->outbase, "manifest.json"))
			rc = ANGKA_ERR(e, ANGKA_ECONFIG, "output_dir '%s' is a "
			               "directory angka did not make (no manifest.json "
			               "in it): angka replaces output_dir by a symlink "
			               "and will not move it; remove it or choose "
			               "another output_dir", v->out);
	} else if (have && S_ISLNK(sb.st_mode)) {
		/* The published run: a link "NAME.runs/run-*" of ours. */
		char target[PATH_MAX];
		ssize_t n = readlinkat(fd, v->outbase, target, sizeof target - 1);
		target[n > 0 ? n : 0] = '\0';
		size_t bl = strlen(v->outbase);
		const char *run = target + bl + 6;
		if (sb.st_uid != geteuid() || n <= 0 ||
		    strncmp(target, v->outbase, bl) != 0 ||
		    strncmp(target + bl, ".runs/", 6) != 0 ||
		    strncmp(run, "run-", 4) != 0 || strchr(run, '/'))
			rc = ANGKA_ERR(e, ANGKA_ECONFIG, "'%s' is a symlink angka "
			               "did not make (to '%s'); remove it", v->out,
			               target);
		else
			snprintf(v->prev, sizeof v->prev, "%s/%s", v->runs, run);
	}
	int rfd = rc == ANGKA_OK
	          ? openat(fd, strrchr(v->runs, '/') + 1,
	                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
	if (rfd < 0 && rc == ANGKA_OK && errno != ENOENT)
		rc = ANGKA_ERR(e, ANGKA_ECONFIG, "'%s' is not a directory of "
		               "angka's (a symlink?):", v->runs);
	if (rfd >= 0) {
		rc = own_dir(rfd, v->runs, e);
		close(rfd);
	}
	close(fd);
	if (rc != ANGKA_OK)
		v->prev[0] = '\0';
	return rc;
}

enum angka_err open_runs(struct env *v, struct angka_error *e)
{
	v->parent_fd = open(v->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (v->parent_fd < 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot open '%s':", v->parent);
	enum angka_err rc = trusted_parent(v, v->parent_fd, e);
	if (rc != ANGKA_OK)
		return rc;
	const char *name = strrchr(v->runs, '/') + 1;
	if (mkdirat(v->parent_fd, name, 0755) != 0 && errno != EEXIST)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s':", v->runs);
	v->runs_fd = openat(v->parent_fd, name, O_RDONLY | O_DIRECTORY |
	                    O_NOFOLLOW | O_CLOEXEC);
	if (v->runs_fd < 0)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "'%s' is not a directory of "
		                 "angka's (a symlink?):", v->runs);
	return own_dir(v->runs_fd, v->runs, e);
}

enum angka_err take_lock(struct env *v, int *fd_out, struct angka_error *e)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/lock", v->runs);
	/* Never through a symlink, never a file someone else made. */
	int fd = openat(v->runs_fd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW |
	                O_CLOEXEC, 0600);
	if (fd < 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot open lock '%s':", path);
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_uid != geteuid() || sb.st_nlink != 1) {
		close(fd);
		return ANGKA_ERR(e, ANGKA_ECONFIG, "lock '%s' is not a plain file "
		                 "of this user's; remove it", path);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		char buf[32] = "";
		ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
		if (n > 0)
			buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		close(fd);
		return ANGKA_ERR(e, ANGKA_ELOCKED,
		                 "another run (pid %s) holds the lock '%s'; retry later",
		                 buf[0] ? buf : "?", path);
	}
	char pid[32];
	int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len) {
		close(fd);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write lock '%s':", path);
	}
	*fd_out = fd;
	return ANGKA_OK;
}

/* The time in a run's name ("run-20261204T192741Z-123", "legacy-2026...
 * "), or -1. */
static time_t run_time(const char *name)
{
	const char *ts = strchr(name, '-');
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (!ts || sscanf(ts + 1, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon,
	                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* [run] retention_personal_days: remove private/ and shared/ of the run
 * directory name (not the published run), mark it in its manifest. */
static void remove_personal(struct env *v, const char *name)
{
	int fd = openat(v->runs_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	                O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat sb;
	int have = fstatat(fd, "private", &sb, AT_SYMLINK_NOFOLLOW) == 0 ||
	           fstatat(fd, "shared", &sb, AT_SYMLINK_NOFOLLOW) == 0;
	if (!have || fstat(fd, &sb) != 0) {
		close(fd);
		return;
	}
	fchmod(fd, 0700);
	int rc = rm_rf_at(fd, "private") | rm_rf_at(fd, "shared");
	char edit[256], ts[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(edit, sizeof edit, "{\"edit\": \"personal_data_removed\", "
	         "\"time\": \"%s\", \"reason\": \"[run] retention_personal_days "
	         "= %ld\"}", ts, v->ro.personal_days);
	struct angka_error e = { 0 };
	if (fstatat(fd, "manifest.json", &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    manifest_add_edit(fd, name, edit, &e) != ANGKA_OK)
		say(v, "warning: %s", e.msg);
	fchmod(fd, 0555);
	close(fd);
	if (rc != 0)
		say(v, "warning: cannot remove all personal data of '%s/%s'",
		    v->runs, name);
	else
		say(v, "personal data of %s removed (older than %ld days)", name,
		    v->ro.personal_days);
}

/* Remove run directories left by killed runs, and old runs beyond
 * retention; by name under v->runs_fd, so nothing outside can be reached.
 * Then the personal data of kept runs older than retention_personal_days. */
void clean_runs(struct env *v, long retention)
{
	int fd = dup(v->runs_fd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	char **runs = NULL;
	size_t n = 0;
	const char *cur = "";
	if (v->prev[0])
		cur = strrchr(v->prev, '/') + 1;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "tmp-", 4) == 0 &&
		    strcmp(de->d_name, v->tmpname) != 0) {
			rm_rf_at(v->runs_fd, de->d_name);
		} else if (strncmp(de->d_name, "run-", 4) == 0) {
			runs = angka_xrealloc(runs, (n + 1) * sizeof *runs);
			runs[n++] = angka_xstrdup(de->d_name);
		} else if (strncmp(de->d_name, "legacy-", 7) == 0) {
			time_t rt = run_time(de->d_name);
			if (v->ro.personal_days > 0 && rt >= 0 &&
			    time(NULL) - rt > v->ro.personal_days * 86400L)
				remove_personal(v, de->d_name);
		}
	}
	closedir(d);
	/* Names sort by time; keep the newest `retention`. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(runs[i], runs[j]) > 0) {
				char *t = runs[i];
				runs[i] = runs[j];
				runs[j] = t;
			}
	for (size_t i = 0; i < n; i++) {
		time_t rt = run_time(runs[i]);
		if (i + (size_t)retention < n && strcmp(runs[i], cur) != 0)
			rm_rf_at(v->runs_fd, runs[i]);
		else if (v->ro.personal_days > 0 && strcmp(runs[i], cur) != 0 &&
		         rt >= 0 && time(NULL) - rt > v->ro.personal_days * 86400L)
			remove_personal(v, runs[i]);
		free(runs[i]);
	}
	free(runs);
}

static enum angka_err switch_link(struct env *v, const char *run_id,
                                  const char *ts, struct angka_error *e);

enum angka_err publish(struct env *v, char *run_id, size_t cap,
                       struct angka_error *e)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(run_id, cap, "run-%s-%ld", ts, (long)getpid());
	char final[PATH_MAX];
	snprintf(final, sizeof final, "%s/%s", v->runs, run_id);
	/* Durability is settled here, once per run: every file of the run
	 * reaches the disk (syncfs reports a failed writeback too) before the
	 * run can be published. The stages write atomically (temp + rename)
	 * but do not fsync each file (ANGKA_FSYNC=1 makes them). */
	int dfd = openat(v->runs_fd, v->tmpname, O_RDONLY | O_DIRECTORY |
	                 O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0 || syncfs(dfd) != 0) {
		int err = errno;
		if (dfd >= 0)
			close(dfd);
		errno = err;
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write '%s' to disk:",
		                 v->tmp);
	}
	close(dfd);
	if (renameat(v->runs_fd, v->tmpname, v->runs_fd, run_id) != 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot rename '%s' to '%s':", v->tmp,
		                 final);
	enum angka_err rc = switch_link(v, run_id, ts, e);
	if (rc != ANGKA_OK &&
	    renameat(v->runs_fd, run_id, v->runs_fd, v->tmpname) != 0) {
		/* Cannot even be put back: it must not stay, personal data and
		 * all. Its log goes where a failed run's goes. */
		char logp[NAME_MAX + 16];
		snprintf(logp, sizeof logp, "%s/run.log", run_id);
		renameat(v->runs_fd, logp, v->runs_fd, "failed-run.log");
		rm_rf_at(v->runs_fd, run_id);
	}
	return rc;
}

/* Point v->out at run_id with rename(2), moving an old real directory
 * there aside to legacy-<ts>. */
static enum angka_err switch_link(struct env *v, const char *run_id,
                                  const char *ts, struct angka_error *e)
{
	char link_tmp[NAME_MAX + 1], target[PATH_MAX];
	snprintf(target, sizeof target, "%s/%s", strrchr(v->runs, '/') + 1,
	         run_id);
	snprintf(link_tmp, sizeof link_tmp, ".%s.link-%ld", v->outbase,
	         (long)getpid());
	unlinkat(v->parent_fd, link_tmp, 0);
	if (symlinkat(target, v->parent_fd, link_tmp) != 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot create symlink '%s/%s':",
		                 v->parent, link_tmp);
	struct stat sb;
	if (fstatat(v->parent_fd, v->outbase, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISLNK(sb.st_mode)) {
		/* An old real directory (e.g. from make run before the driver):
		 * keep it beside the runs, never delete user data. */
		char aside[64];
		snprintf(aside, sizeof aside, "legacy-%s", ts);
		if (renameat(v->parent_fd, v->outbase, v->runs_fd, aside) != 0) {
			unlinkat(v->parent_fd, link_tmp, 0);
			return ANGKA_ERR(e, ANGKA_EIO, "cannot move '%s' aside:", v->out);
		}
	}
	if (renameat(v->parent_fd, link_tmp, v->parent_fd, v->outbase) != 0) {
		unlinkat(v->parent_fd, link_tmp, 0);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot publish '%s':", v->out);
	}
	/* Make the rename durable. */
	fsync(v->parent_fd);
	return ANGKA_OK;
}
