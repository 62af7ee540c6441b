/*
 * hash.c - what decides whether a step reruns: the hash of everything that
 * determines its result (program version and executable, its command line,
 * the bytes of its inputs, the config sections it reads), and the sha256 of
 * a file for the manifest.
 */
#include "driver_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Hashing.                                                            */

void file_id_of(const struct stat *sb, struct file_id *id)
{
	memset(id, 0, sizeof *id);
	id->dev = sb->st_dev;
	id->ino = sb->st_ino;
	id->size = sb->st_size;
	id->mtime = sb->st_mtim;
	id->ctime = sb->st_ctim;
}

int file_id_same(const struct file_id *a, const struct file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec &&
	       a->ctime.tv_sec == b->ctime.tv_sec &&
	       a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/* Hashes the driver took (hash_remember, and tree_hash of a regular
 * file) or read from its stages' hash logs, by identity: a file hashed
 * as one step's output is not read again as the next step's input (the
 * DTKS pipe's 2.7 GB table at 10M rows), nor an output a stage hashed
 * as it wrote it. A pipe's two steps have about ten files, a sharded
 * run's tasks (each logging its parts) a few per shard, and steps run
 * beside each other (--jobs) remember theirs meanwhile: a ring of 256
 * (about 30 KB), looked up in order. */
#define REMEMBERED 256
static pthread_mutex_t remembered_mu = PTHREAD_MUTEX_INITIALIZER;
static struct input_id remembered[REMEMBERED];
static size_t nremembered;

void hash_remember(const struct file_id *id, const char *hash)
{
	pthread_mutex_lock(&remembered_mu);
	struct input_id *r = &remembered[nremembered++ % REMEMBERED];
	r->id = *id;
	snprintf(r->hash, sizeof r->hash, "%s", hash);
	pthread_mutex_unlock(&remembered_mu);
}

/* 1 and the hash into out if the file of identity id was remembered. */
static int remembered_hash(const struct file_id *id, char *out)
{
	int found = 0;
	pthread_mutex_lock(&remembered_mu);
	for (size_t i = 0; i < nremembered && i < REMEMBERED && !found; i++)
		if (file_id_same(&remembered[i].id, id)) {
			memcpy(out, remembered[i].hash, sizeof remembered[i].hash);
			found = 1;
		}
	pthread_mutex_unlock(&remembered_mu);
	return found;
}

/* ------------------------------------------------------------------ */
/* The stages' hash logs.                                              */

/*
 * Trust: a line is only ever used for a file whose identity now (lstat:
 * device, inode, size, mtime and ctime to the nanosecond) is the one the
 * line gives, taken by the stage after it renamed the file into place;
 * any change since (a write, truncate, chmod, rename, a restored copy)
 * changes the ctime, so such a file is read and hashed as before. The
 * log itself is a 0600 file in the run directory (0700), created empty
 * by the driver for the run of one step or pipe: only the driver's user
 * can write it, as it can write the outputs themselves.
 */

void hash_log_open(struct hash_log *hl)
{
	hl->envp = NULL;
	hl->path[0] = '\0';
	char dir[PATH_MAX];
	if (!getcwd(dir, sizeof dir))
		return;
	int n = snprintf(hl->path, sizeof hl->path, "%s/.angka-hashes.XXXXXX",
	                 dir);
	if (n < 0 || (size_t)n >= sizeof hl->path) {
		hl->path[0] = '\0';
		return;
	}
	int fd = mkstemp(hl->path);
	if (fd < 0) {
		hl->path[0] = '\0';
		return;
	}
	close(fd);
	snprintf(hl->kv, sizeof hl->kv, "%s=%s", HASH_LOG_ENV, hl->path);
	/* environ is never changed while steps run (driver_main() unsets
	 * the variable before any thread starts): its strings are
	 * borrowed. */
	size_t k = 0, len = strlen(HASH_LOG_ENV);
	while (environ[k])
		k++;
	hl->envp = angka_xcalloc(k + 2, sizeof *hl->envp);
	size_t m = 0;
	for (size_t i = 0; i < k; i++)
		if (strncmp(environ[i], HASH_LOG_ENV, len) != 0 ||
		    environ[i][len] != '=')
			hl->envp[m++] = environ[i];
	hl->envp[m++] = hl->kv;
	hl->envp[m] = NULL;
}

/* One line "DEV INO SIZE MSEC.MNSEC CSEC.CNSEC SHA256" (csv_writer.h)
 * into id and hash; 0, or -1 if it is not one. */
static int hash_log_line(const char *line, struct file_id *id, char *hash)
{
	unsigned long long dev, ino;
	long long size, ms, cs;
	long mn, cn;
	char h[65];
	int end = -1;
	if (sscanf(line, "%llu %llu %lld %lld.%ld %lld.%ld %64[0-9a-f]%n",
	           &dev, &ino, &size, &ms, &mn, &cs, &cn, h, &end) != 8 ||
	    end < 0 || (line[end] != '\n' && line[end] != '\0') ||
	    strlen(h) != 64 || size < 0 || mn < 0 || mn >= 1000000000L ||
	    cn < 0 || cn >= 1000000000L)
		return -1;
	memset(id, 0, sizeof *id);
	id->dev = (dev_t)dev;
	id->ino = (ino_t)ino;
	id->size = (off_t)size;
	id->mtime.tv_sec = (time_t)ms;
	id->mtime.tv_nsec = mn;
	id->ctime.tv_sec = (time_t)cs;
	id->ctime.tv_nsec = cn;
	memcpy(hash, h, 65);
	return 0;
}

size_t hash_log_close(struct hash_log *hl)
{
	size_t n = 0;
	free(hl->envp);
	hl->envp = NULL;
	if (!hl->path[0])
		return 0;
	FILE *f = fopen(hl->path, "r");
	char *line = NULL;
	size_t cap = 0;
	while (f && getline(&line, &cap, f) > 0) {
		struct file_id id;
		char h[65];
		if (hash_log_line(line, &id, h) == 0) {
			hash_remember(&id, h);
			n++;
		}
	}
	free(line);
	if (f)
		fclose(f);
	unlink(hl->path);
	hl->path[0] = '\0';
	return n;
}

int sha256_file(const char *path, char *out, long long *size)
{
	return sha256_file_id(path, out, size, NULL);
}

int sha256_file_id(const char *path, char *out, long long *size,
                   struct file_id *id)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat sb;
	struct file_id own;
	if (fstat(fd, &sb) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	file_id_of(&sb, &own);
	if (id)
		*id = own;
	if (remembered_hash(&own, out)) {
		close(fd);
		if (size)
			*size = (long long)sb.st_size;
		return 0;
	}
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	/* One per thread: steps are hashed while others run (sched.c). */
	static _Thread_local char buf[1 << 16];
	long long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		sha256_update(&ctx, (size_t)n, (const uint8_t *)buf);
		total += n;
	}
	close(fd);
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof d, d);
	angka_hex(d, sizeof d, out);
	if (size)
		*size = total;
	return 0;
}

/* Config text of one section, comments and blank lines dropped. */
static void section_text(const char *config, const char *section,
                         struct sha256_ctx *ctx)
{
	FILE *f = fopen(config, "r");
	if (!f)
		return;
	char line[4096];
	int in = 0;
	while (fgets(line, sizeof line, f)) {
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == ';' || *s == '#' || *s == '\n' || *s == '\r' || !*s)
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			in = end && (size_t)(end - s - 1) == strlen(section) &&
			     strncmp(s + 1, section, strlen(section)) == 0;
			continue;
		}
		if (in)
			sha256_update(&ctx[0], strlen(s), (const uint8_t *)s);
	}
	fclose(f);
}

/*
 * Hash a step given where its inputs are now. Run-relative inputs are looked
 * up under rundir. Returns -1 (errno) if an input cannot be read.
 */
int step_hash(struct step *st, const char *config, const char *rundir,
              char *missing, size_t cap)
{
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	const char *v = ANGKA_VERSION;
	sha256_update(&ctx, strlen(v) + 1, (const uint8_t *)v);
	sha256_update(&ctx, strlen(st->name) + 1, (const uint8_t *)st->name);
	for (size_t c = 0; c < st->ncmd; c++) {
		/* The program itself: a rebuilt stage reruns even when the
		 * version string did not change. (A cache shared by the
		 * scheduling thread and the Slurm batches hashing the steps
		 * they ran: under exe_lock.) */
		static pthread_mutex_t exe_lock = PTHREAD_MUTEX_INITIALIZER;
		static char exe_path[8][PATH_MAX], exe_hash[8][65];
		static int nexe;
		const char *exe = st->argv[c].v[0];
		pthread_mutex_lock(&exe_lock);
		int k = 0;
		while (k < nexe && strcmp(exe_path[k], exe) != 0)
			k++;
		if (k == nexe && nexe < 8) {
			snprintf(exe_path[k], PATH_MAX, "%s", exe);
			if (sha256_file(exe, exe_hash[k], NULL) != 0)
				snprintf(exe_hash[k], 65, "%s", "missing");
			nexe++;
		}
		if (k < nexe)
			sha256_update(&ctx, strlen(exe_hash[k]) + 1,
			              (const uint8_t *)exe_hash[k]);
		pthread_mutex_unlock(&exe_lock);
		for (size_t i = 1; i < st->argv[c].n; i++)
			sha256_update(&ctx, strlen(st->argv[c].v[i]) + 1,
			              (const uint8_t *)st->argv[c].v[i]);
	}
	for (size_t i = 0; i < st->inputs.n; i++) {
		const char *in = st->inputs.v[i];
		char path[PATH_MAX];
		if (in[0] == '/')
			snprintf(path, sizeof path, "%s", in);
		else
			snprintf(path, sizeof path, "%s/%s", rundir, in);
		if (!st->in_id)
			st->in_id = angka_xcalloc(st->inputs.n, sizeof *st->in_id);
		char *h = st->in_id[i].hash;
		if (sha256_file_id(path, h, NULL, &st->in_id[i].id) != 0) {
			snprintf(missing, cap, "%s", in);
			return -1;
		}
		sha256_update(&ctx, strlen(in) + 1, (const uint8_t *)in);
		sha256_update(&ctx, 64, (const uint8_t *)h);
	}
	for (size_t i = 0; i < st->sections.n; i++)
		section_text(config, st->sections.v[i], &ctx);
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof d, d);
	angka_hex(d, sizeof d, st->hash);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Outputs: hashed, and copied while hashed.                           */

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

/* A regular file: sha256 of its bytes, written to dst (new, 0600) too. */
static int hash_copy_file(const char *src, const char *dst, char *out)
{
	int in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -1;
	int fd = dst ? open(dst, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	                    O_CLOEXEC, 0600) : -1;
	if (dst && fd < 0) {
		int saved = errno;
		close(in);
		errno = saved;
		return -1;
	}
	/* A copy-on-write clone where the file system has them (btrfs, XFS):
	 * no data written, and still no block shared for writing. Then the
	 * clone is what is read for the hash: what is hashed is what we have. */
	int cloned = fd >= 0 && ioctl(fd, FICLONE, in) == 0;
	int from = cloned ? fd : in;
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	/* One per thread: steps are hashed while others run (sched.c). */
	static _Thread_local char buf[1 << 16];
	int rc = 0;
	for (;;) {
		ssize_t n = read(from, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -1 : 0;
			break;
		}
		sha256_update(&ctx, (size_t)n, (const uint8_t *)buf);
		if (cloned)
			continue;
		for (ssize_t o = 0; fd >= 0 && o < n;) {
			ssize_t w = write(fd, buf + o, (size_t)(n - o));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				rc = -1;
				break;
			}
			o += w;
		}
		if (rc)
			break;
	}
	int saved = errno;
	close(in);
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	errno = saved;
	if (rc == 0) {
		uint8_t d[SHA256_DIGEST_SIZE];
		sha256_digest(&ctx, sizeof d, d);
		angka_hex(d, sizeof d, out);
	}
	return rc;
}

int tree_hash(const char *src, const char *dst, char *out)
{
	struct stat sb;
	if (lstat(src, &sb) != 0)
		return -1;
	struct file_id id;
	file_id_of(&sb, &id);
	if (S_ISREG(sb.st_mode) && !dst && remembered_hash(&id, out))
		return 0;
	if (S_ISREG(sb.st_mode)) {
		/* The identity taken before the read: a file changed while it
		 * was read has another one by then and is never matched. */
		int rc = hash_copy_file(src, dst, out);
		if (rc == 0 && !dst)
			hash_remember(&id, out);
		return rc;
	}
	if (!S_ISDIR(sb.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	if (dst && mkdir(dst, 0700) != 0)
		return -1;
	struct dirent **list;
	int n = scandir(src, &list, not_dots, by_name);
	if (n < 0)
		return -1;
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char s2[PATH_MAX], d2[PATH_MAX], h[65];
		snprintf(s2, sizeof s2, "%s/%s", src, list[i]->d_name);
		snprintf(d2, sizeof d2, "%s/%s", dst ? dst : "", list[i]->d_name);
		if (rc == 0 && tree_hash(s2, dst ? d2 : NULL, h) != 0)
			rc = -1;
		if (rc == 0) {
			sha256_update(&ctx, strlen(list[i]->d_name) + 1,
			              (const uint8_t *)list[i]->d_name);
			sha256_update(&ctx, 64, (const uint8_t *)h);
		}
		free(list[i]);
	}
	free(list);
	if (rc == 0) {
		uint8_t d[SHA256_DIGEST_SIZE];
		sha256_digest(&ctx, sizeof d, d);
		angka_hex(d, sizeof d, out);
	}
	return rc;
}
