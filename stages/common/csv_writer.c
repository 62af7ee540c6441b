/*
 * csv_writer.c - buffered, atomic RFC 4180 writer (plain or gzip).
 */
#include "csv_writer.h"
#include "number.h"
#include "region.h"
#include "tmpreg.h"
#include "xlsx_out.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define WBUFSZ ((size_t)1 << 18)

/*
 * Direct output. Once a file output passes DIRECT_AFTER bytes, the rest
 * is written with O_DIRECT from two aligned DIRECT_BUFSZ buffers
 * (DIRECT_BIGSZ past DIRECT_BIG_AFTER), one filled while a thread writes
 * the other: the bytes go from the buffer to
 * the disk without a copy into the page cache. Measured on the 10-million-
 * row dedup (2.6 GB unique file): writing it took 7.2 s through the page
 * cache and 2.4 s direct, one thread; the cost of fresh page-cache pages
 * and of the dirty-page throttling is gone, and the later sync has almost
 * nothing left to do. Small outputs never get there and stay cached for the
 * next stage. O_DIRECT needs the file offset, the length and the buffer
 * aligned: DIRECT_ALIGN (4096) covers 512- and 4096-byte sectors; the tail
 * that is not a whole block is written through the page cache at commit.
 * A file system that refuses O_DIRECT (EINVAL) gets the buffered writes.
 * ANGKA_DIRECT_IO=0 in the environment turns it off.
 */
#ifdef O_DIRECT
#define DIRECT_FLAG O_DIRECT
#else
#define DIRECT_FLAG 0   /* not on this system: never direct */
#endif
#define DIRECT_AFTER ((uint64_t)64 << 20)

/* angka_csv_writer_page_cache(): set once, before any writer opens. */
static int page_cache_only;

void angka_csv_writer_page_cache(void)
{
	page_cache_only = 1;
}
#define DIRECT_BUFSZ ((size_t)8 << 20)
#define DIRECT_ALIGN ((size_t)4096)
/*
 * A file that passes DIRECT_BIG_AFTER is written on in DIRECT_BIGSZ
 * writes (both buffers grow at the next flushes): one direct write goes
 * to the disk as requests of at most max_sectors_kb (4 MiB here), so an
 * 8 MiB write keeps at most two in flight, a 32 MiB write eight.
 * Measured on this VM (virtio, ext4; a program writing 1 GiB with
 * O_DIRECT, one write at a time, rounds alternated, others' load on the
 * disk): 8 MiB writes 123-595 MB/s, 32 MiB writes 167-1055 MB/s, faster
 * in each of 7 rounds (1.2x-3.0x). Only a national-size output gets
 * there (dedup's unique rows, normalize's table): 48 MiB more memory
 * for each.
 */
#define DIRECT_BIG_AFTER ((uint64_t)512 << 20)
#define DIRECT_BIGSZ ((size_t)32 << 20)

/*
 * The thread that writes full direct buffers: to the tee descriptor first
 * (angka_csv_writer_tee_stdout), then to the file. The copy to the pipe is
 * made here, not by the thread that fills the buffers: a 32 MiB write into
 * a 1 MiB pipe lasts as long as the next stage takes to read it, and the
 * row-producing thread (normalize's reading thread, which also feeds its
 * workers) was held that long at every flush; now it fills the other
 * buffer meanwhile. Measured in the jobs2 chain (tl.sh): normalize's
 * reading thread was in pipe_write in 37% of the samples.
 */
struct direct_io {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int fd;
	int tee_fd;        /* a copy of each job goes there first, or -1 */
	const char *job;   /* buffer to write, NULL when idle */
	size_t job_len;
	int job_teed;      /* the job's copy is written (or there is none) */
	int quit;
	int err;           /* errno of the first failed write, 0 if none */
	int tee_failed;    /* err is the copy's (the file write not done) */
	int buffered;      /* O_DIRECT was refused: writes went buffered */
	struct sha256_ctx *sha; /* the writer's hash (hashing), or NULL: each
	                         * job is hashed here once written */
};

struct angka_csv_writer {
	char *path;       /* final path, NULL for stdout */
	char *tmp;        /* temporary path */
	int fd;
	gzFile gz;
	unsigned flags;
	char *buf;
	size_t cap;       /* size of buf */
	size_t len;
	int direct;       /* 1: direct mode (buf and spare aligned) */
	int direct_off;   /* 1: never try direct mode */
	char *spare;      /* direct mode: the buffer the thread writes */
	size_t spare_cap; /* size of spare */
	struct direct_io *io;  /* NULL: direct writes done in this thread */
	int nfield;       /* fields in the current row */
	uint64_t written; /* bytes written to fd */
	uint64_t synced;  /* bytes whose writeback has been started */
	uint64_t rows;
	int err;          /* errno of the first failure, or -1 for zlib */
	char errwhat[64];
	int slot;         /* the temporary file's slot in tmpreg.h, or -1 */
	int tee_fd;       /* angka_csv_writer_tee_stdout(): a copy of the bytes, or -1 */
	int xlsx;         /* path ends in .xlsx: tmp holds the CSV, commit
	                   * converts it (xlsx_out.h) */
	/* Publication form (angka_csv_writer_publish); pub 0: rows as built. */
	int pub;
	enum angka_csv_dialect dialect;
	const struct angka_region_table *regions;
	size_t row_start; /* pub: offset in buf where the current row begins */
	int kode_col;     /* pub: index of kode_wilayah, -1 if none */
	int add_nama;     /* pub: insert nama_wilayah after kode_wilayah */
	int dom_col;      /* pub: index of domain, -1 if none */
	int add_dnama;    /* pub: insert nama_domain after domain */
	unsigned long long code_cols; /* pub: bit i: column i is a code */
	char *scratch;    /* pub: the transformed row */
	size_t scratch_cap;
	/* ANGKA_HASH_LOG (csv_writer.h): sha256 of the bytes as they go to
	 * the file, in file order: by this thread for buffered writes, by
	 * the direct thread for its jobs (while it has a job, this thread
	 * leaves sha alone). */
	int hashing;
	struct sha256_ctx sha;
	int gz_done;      /* the gzip stream is closed: hash_gz() at commit */
};

const char *angka_csv_writer_name(const struct angka_csv_writer *w)
{
	return w->path ? w->path : "<stdout>";
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void fail(struct angka_csv_writer *w, int err, const char *what)
{
	if (w->err)
		return;
	w->err = err ? err : EIO;
	snprintf(w->errwhat, sizeof w->errwhat, "%s", what);
}

/*
 * Start the disk writeback of what was written since the last call, every
 * WRITEBACK_STEP bytes, without waiting for it (Linux sync_file_range): the
 * fsync in angka_csv_writer_commit then waits only for the tail instead of
 * the whole file (a 2.7 GB output took 3 s to fsync after the last write).
 * Only a hint: it cannot fail the write, and the fsync still decides.
 */
#define WRITEBACK_STEP ((uint64_t)32 << 20)

static void start_writeback(struct angka_csv_writer *w)
{
#ifdef SYNC_FILE_RANGE_WRITE
	if (!w->path || (w->flags & ANGKA_CSV_WRITER_NOSYNC) ||
	    w->written - w->synced < WRITEBACK_STEP)
		return;
	(void)sync_file_range(w->fd, (off_t)w->synced,
	                      (off_t)(w->written - w->synced),
	                      SYNC_FILE_RANGE_WRITE);
	w->synced = w->written;
#else
	(void)w;
#endif
}

int angka_fsync_wanted(void)
{
	static int wanted = -1;
	if (wanted < 0) {
		const char *v = getenv("ANGKA_FSYNC");
		wanted = v && strcmp(v, "1") == 0;
	}
	return wanted;
}

void angka_pipe_grow(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
	(void)fd;
#endif
}

/* write(2) all of s[0..n) to fd; 0 or an errno. */
static int write_all(int fd, const char *s, size_t n)
{
	size_t off = 0;
	while (off < n) {
		ssize_t k = write(fd, s + off, n - off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return errno ? errno : EIO;
		}
		off += (size_t)k;
	}
	return 0;
}

/* The bytes s[0..n) about to go to the file, in file order, copied to the
 * tee descriptor (angka_csv_writer_tee_stdout); a failure is w's error. */
static void tee_write(struct angka_csv_writer *w, const char *s, size_t n)
{
	if (w->tee_fd < 0 || w->err || n == 0)
		return;
	int err = write_all(w->tee_fd, s, n);
	if (err)
		fail(w, err, "write (copy to stdout)");
}

/*
 * The copy is complete (commit, every byte teed): stdout becomes /dev/null,
 * so the next stage sees the end of its input now instead of when this
 * process exits, after the file's last disk write, its rename and the
 * release of the process's memory. Nothing is written to stdout after a
 * tee. If /dev/null cannot be opened, the end comes at exit as before.
 */
static void tee_end(struct angka_csv_writer *w)
{
	if (w->tee_fd < 0 || w->err)
		return;
	int nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (nul < 0)
		return;
	if (dup2(nul, w->tee_fd) >= 0)
		w->tee_fd = -1;
	close(nul);
}

/* write_all() into w's file, counted in w->written; a failure is w's error. */
static void write_counted(struct angka_csv_writer *w, const char *s, size_t n)
{
	int err = write_all(w->fd, s, n);
	if (err) {
		fail(w, err, "write");
		return;
	}
	w->written += n;
	if (w->hashing)
		sha256_update(&w->sha, n, (const uint8_t *)s);
}

/* One direct write of s[0..n), n a multiple of DIRECT_ALIGN; a file system
 * that refuses O_DIRECT for it gets the bytes buffered (*buffered set). */
static int direct_write(int fd, const char *s, size_t n, int *buffered)
{
	size_t off = 0;
	while (off < n) {
		ssize_t k = write(fd, s + off, n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EINVAL && !*buffered) {
			int fl = fcntl(fd, F_GETFL);
			if (fl < 0 || fcntl(fd, F_SETFL, fl & ~DIRECT_FLAG) != 0)
				return EINVAL;
			*buffered = 1;
			continue;
		}
		if (k < 0)
			return errno ? errno : EIO;
		off += (size_t)k;
		if (off < n && (off % DIRECT_ALIGN) && !*buffered) {
			/* A short write left an unaligned rest. */
			int fl = fcntl(fd, F_GETFL);
			if (fl < 0 || fcntl(fd, F_SETFL, fl & ~DIRECT_FLAG) != 0)
				return EIO;
			*buffered = 1;
		}
	}
	return 0;
}

static void *direct_thread(void *arg)
{
	struct direct_io *io = arg;
	pthread_mutex_lock(&io->mu);
	for (;;) {
		while (!io->job && !io->quit)
			pthread_cond_wait(&io->cv, &io->mu);
		if (!io->job)
			break;
		const char *job = io->job;
		size_t n = io->job_len;
		int failed = io->err;
		int buffered = io->buffered;
		int tee_fd = io->tee_fd;
		pthread_mutex_unlock(&io->mu);
		if (tee_fd >= 0 && !failed) {
			int terr = write_all(tee_fd, job, n);
			pthread_mutex_lock(&io->mu);
			if (terr && !io->err) {
				io->err = terr;
				io->tee_failed = 1;
			}
			failed = io->err;
			io->job_teed = 1;
			pthread_cond_broadcast(&io->cv);
			pthread_mutex_unlock(&io->mu);
		}
		int err = failed ? 0 : direct_write(io->fd, job, n, &buffered);
		/* Hashed here, off the row-producing thread, after the write:
		 * this thread mostly waits for the disk. */
		if (!failed && !err && io->sha)
			sha256_update(io->sha, n, (const uint8_t *)job);
		pthread_mutex_lock(&io->mu);
		if (err && !io->err)
			io->err = err;
		io->buffered = buffered;
		io->job = NULL;
		pthread_cond_broadcast(&io->cv);
	}
	pthread_mutex_unlock(&io->mu);
	return NULL;
}

/* Wait until the thread is idle, or (teed_only) until its job's copy
 * is written; its first error, if any, becomes w's. */
static void direct_wait_for(struct angka_csv_writer *w, int teed_only)
{
	struct direct_io *io = w->io;
	if (!io)
		return;
	pthread_mutex_lock(&io->mu);
	while (io->job && !(teed_only && io->job_teed))
		pthread_cond_wait(&io->cv, &io->mu);
	int err = io->err;
	int tee_failed = io->tee_failed;
	pthread_mutex_unlock(&io->mu);
	if (err)
		fail(w, err, tee_failed ? "write (copy to stdout)" : "write");
}

static void direct_wait(struct angka_csv_writer *w)
{
	direct_wait_for(w, 0);
}

/* Stop and free the thread (after its last job). */
static void direct_stop(struct angka_csv_writer *w)
{
	struct direct_io *io = w->io;
	if (!io)
		return;
	direct_wait(w);
	pthread_mutex_lock(&io->mu);
	io->quit = 1;
	pthread_cond_broadcast(&io->cv);
	pthread_mutex_unlock(&io->mu);
	pthread_join(io->tid, NULL);
	pthread_mutex_destroy(&io->mu);
	pthread_cond_destroy(&io->cv);
	free(io);
	w->io = NULL;
}

/* Hand the aligned head buf[0..n) to the thread (or write it here) and
 * go on in the other buffer, with the unaligned rest moved to its start. */
static void direct_flush(struct angka_csv_writer *w, size_t n)
{
	direct_wait(w);    /* the spare buffer is free again */
	if (w->err) {
		w->len = 0;
		return;
	}
	/* A large file: the free buffer grows (a failed allocation keeps
	 * it as it is). */
	if (w->written + n >= DIRECT_BIG_AFTER && w->spare_cap < DIRECT_BIGSZ) {
		char *big = NULL;
		if (posix_memalign((void **)&big, DIRECT_ALIGN, DIRECT_BIGSZ) == 0) {
			free(w->spare);
			w->spare = big;
			w->spare_cap = DIRECT_BIGSZ;
		}
	}
	size_t rest = w->len - n;
	char *full = w->buf;
	size_t full_cap = w->cap;
	memcpy(w->spare, full + n, rest);
	w->buf = w->spare;
	w->cap = w->spare_cap;
	w->spare = full;
	w->spare_cap = full_cap;
	w->len = rest;
	w->written += n;
	if (w->io) {
		pthread_mutex_lock(&w->io->mu);
		w->io->job = full;
		w->io->job_len = n;
		w->io->job_teed = w->io->tee_fd < 0;
		pthread_cond_broadcast(&w->io->cv);
		pthread_mutex_unlock(&w->io->mu);
	} else {
		int buffered = 0;
		int err = direct_write(w->fd, full, n, &buffered);
		if (err)
			fail(w, err, "write");
		else if (w->hashing)
			sha256_update(&w->sha, n, (const uint8_t *)full);
	}
}

/*
 * Switch a file output to direct mode, between two flushes: write the bytes
 * up to the next DIRECT_ALIGN boundary of the file through the page cache,
 * set O_DIRECT and move the rest of the buffer into an aligned one. Any
 * refusal leaves the writer buffered for good.
 */
static void direct_start(struct angka_csv_writer *w)
{
	size_t pad = (size_t)((DIRECT_ALIGN - w->written % DIRECT_ALIGN) %
	                      DIRECT_ALIGN);
	if (pad > w->len)
		return;      /* at a later flush */
	w->direct_off = 1;   /* one try */
	struct stat st;
	if (fstat(w->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	char *a = NULL, *b = NULL;
	if (posix_memalign((void **)&a, DIRECT_ALIGN, DIRECT_BUFSZ) != 0)
		a = NULL;
	if (a && posix_memalign((void **)&b, DIRECT_ALIGN, DIRECT_BUFSZ) != 0)
		b = NULL;
	if (!a || !b) {
		free(a);
		return;
	}
	tee_write(w, w->buf, pad);
	int err = w->err ? w->err : write_all(w->fd, w->buf, pad);
	if (err) {
		fail(w, err, "write");
		free(a);
		free(b);
		return;
	}
	w->written += pad;
	if (w->hashing)
		sha256_update(&w->sha, pad, (const uint8_t *)w->buf);
	int fl = fcntl(w->fd, F_GETFL);
	if (fl < 0 || fcntl(w->fd, F_SETFL, fl | DIRECT_FLAG) != 0) {
		memmove(w->buf, w->buf + pad, w->len - pad);
		w->len -= pad;
		free(a);
		free(b);
		return;
	}
	memcpy(a, w->buf + pad, w->len - pad);
	w->len -= pad;
	free(w->buf);
	w->buf = a;
	w->spare = b;
	w->cap = w->spare_cap = DIRECT_BUFSZ;
	w->direct = 1;
	struct direct_io *io = calloc(1, sizeof *io);
	if (io) {
		io->fd = w->fd;
		io->tee_fd = w->tee_fd;
		io->sha = w->hashing ? &w->sha : NULL;
		if (pthread_mutex_init(&io->mu, NULL) != 0) {
			free(io);
			return;
		}
		if (pthread_cond_init(&io->cv, NULL) != 0) {
			pthread_mutex_destroy(&io->mu);
			free(io);
			return;
		}
		if (pthread_create(&io->tid, NULL, direct_thread, io) != 0) {
			pthread_cond_destroy(&io->cv);
			pthread_mutex_destroy(&io->mu);
			free(io);
			return;
		}
		w->io = io;
	}
}

/* 1 if direct mode may start now. */
static int direct_wanted(const struct angka_csv_writer *w)
{
	return DIRECT_FLAG && !w->direct && !w->direct_off && !w->gz && w->path &&
	       w->written + w->len >= DIRECT_AFTER;
}

/* Write out the buffer (direct mode: its whole blocks; the rest stays). */
static void flush_buf(struct angka_csv_writer *w)
{
	if (w->err) {
		w->len = 0;
		return;
	}
	if (direct_wanted(w))
		direct_start(w);
	if (w->err) {
		w->len = 0;
		return;
	}
	if (w->direct) {
		size_t n = w->len - w->len % DIRECT_ALIGN;
		if (!w->io)
			tee_write(w, w->buf, n);   /* else by the thread */
		if (n && !w->err)
			direct_flush(w, n);
		return;
	}
	if (w->len == 0)
		return;
	tee_write(w, w->buf, w->len);
	if (w->err) {
		w->len = 0;
		return;
	}
	if (w->gz) {
		int n = gzwrite(w->gz, w->buf, (unsigned)w->len);
		if (n <= 0 || (size_t)n != w->len) {
			int zerr;
			gzerror(w->gz, &zerr);
			fail(w, zerr == Z_ERRNO ? errno : EIO, "write");
		}
	} else {
		write_counted(w, w->buf, w->len);
		start_writeback(w);
	}
	w->len = 0;
}

/* The end of a direct file: the last whole blocks direct, the tail
 * through the page cache (O_DIRECT cleared), the thread stopped. The
 * copy on stdout gets the tail and its end first, without waiting for
 * the disk. */
static void direct_finish(struct angka_csv_writer *w)
{
	if (!w->direct)
		return;
	flush_buf(w);
	if (w->tee_fd >= 0)
		direct_wait_for(w, 1);   /* the last job's copy, in order */
	tee_write(w, w->buf, w->len);
	tee_end(w);
	direct_stop(w);
	if (!w->err && w->len) {
		int fl = fcntl(w->fd, F_GETFL);
		if (fl < 0 || fcntl(w->fd, F_SETFL, fl & ~DIRECT_FLAG) != 0)
			fail(w, errno, "fcntl");
		else
			write_counted(w, w->buf, w->len);
	}
	w->len = 0;
}

/*
 * Publication form: the current row must stay whole in buf until it ends
 * (end_row rewrites it), so only the rows before it are flushed and the
 * partial row moves to the front. A row longer than the buffer is an
 * error (published tables have short rows).
 */
static void pub_flush(struct angka_csv_writer *w)
{
	size_t tail = w->len - w->row_start;
	if (w->row_start == 0) {
		if (!w->err)
			fail(w, EFBIG, "publish a row longer than the buffer");
		w->len = 0;
		return;
	}
	w->len = w->row_start;
	flush_buf(w);   /* never direct in publication form: buf stays */
	if (w->err) {
		w->len = w->row_start = 0;
		return;
	}
	memmove(w->buf, w->buf + w->row_start, tail);
	w->len = tail;
	w->row_start = 0;
}

/* put() when s does not fit: fill, flush, repeat. */
static void put_slow(struct angka_csv_writer *w, const char *s, size_t n)
{
	if (w->pub) {
		pub_flush(w);
		if (w->err)
			return;
		if (n > w->cap - w->len) {
			fail(w, EFBIG, "publish a row longer than the buffer");
			w->len = w->row_start = 0;
			return;
		}
		memcpy(w->buf + w->len, s, n);
		w->len += n;
		return;
	}
	flush_buf(w);
	while (n > w->cap - w->len) {
		size_t k = w->cap - w->len;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
		flush_buf(w);
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static inline void put(struct angka_csv_writer *w, const char *s, size_t n)
{
	if (n > w->cap - w->len) {
		put_slow(w, s, n);
		return;
	}
	if (n)  /* 14 of 32 dtks output columns are empty: no call */
		memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static inline void putc_w(struct angka_csv_writer *w, char c)
{
	if (w->len == w->cap) {
		if (w->pub) {
			put_slow(w, &c, 1);
			return;
		}
		flush_buf(w);
	}
	w->buf[w->len++] = c;
}

enum angka_err angka_csv_writer_open(struct angka_csv_writer **out,
                                     const char *path, unsigned flags,
                                     struct angka_error *e)
{
	*out = NULL;
	struct angka_csv_writer *w = calloc(1, sizeof *w);
	if (!w)
		return ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
	w->flags = flags;
	if (!angka_fsync_wanted())
		w->flags |= ANGKA_CSV_WRITER_NOSYNC;
	w->fd = -1;
	w->slot = -1;
	w->tee_fd = -1;
	w->buf = malloc(WBUFSZ);
	w->cap = WBUFSZ;
	const char *dio = getenv("ANGKA_DIRECT_IO");
	w->direct_off = page_cache_only || (dio && strcmp(dio, "0") == 0);
	if (!w->buf) {
		free(w);
		return ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
	}
	if (!path || strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
		angka_pipe_grow(w->fd);
		*out = w;
		return ANGKA_OK;
	}
	w->path = strdup(path);
	if (!w->path) {
		angka_csv_writer_abort(w);
		return ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
	}
	/* An existing target that is not a regular file (/dev/null, a FIFO,
	 * a terminal) is written in place: renaming a temp file over it
	 * would replace the device with a file. */
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) &&
	    !S_ISDIR(sb.st_mode)) {
		w->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (w->fd < 0) {
			enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO,
			                              "cannot open '%s':", path);
			angka_csv_writer_abort(w);
			return rc;
		}
		w->direct_off = 1;
		w->flags |= ANGKA_CSV_WRITER_NOSYNC;
		*out = w;
		return ANGKA_OK;
	}
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	size_t n = dirlen + strlen(base) + 32;
	w->tmp = malloc(n);
	if (!w->tmp) {
		angka_csv_writer_abort(w);
		return ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
	}
	snprintf(w->tmp, n, "%.*s.%s.tmp.XXXXXX", (int)dirlen, path, base);
	w->fd = angka_tmpreg_mkstemp(w->tmp, &w->slot);
	if (w->fd < 0) {
		enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO,
		                              "cannot create '%s':", w->tmp);
		free(w->tmp);
		w->tmp = NULL;
		angka_csv_writer_abort(w);
		return rc;
	}
	/* mkstemp made it 0600, whatever the umask: every output may hold
	 * personal data until the driver publishes it (driver.h). */
	w->xlsx = angka_xlsx_path(path);
	if (w->xlsx)
		w->direct_off = 1;   /* read back at commit */
	/* A workbook is made from the CSV at commit: not hashed (no line in
	 * the log; its reader hashes the file itself). */
	const char *hl = getenv("ANGKA_HASH_LOG");
	if (hl && *hl && !w->xlsx) {
		w->hashing = 1;
		sha256_init(&w->sha);
	}
	if (ends_with(path, ".gz")) {
		int fd2 = dup(w->fd);
		w->gz = fd2 >= 0 ? gzdopen(fd2, "wb6") : NULL;
		if (!w->gz) {
			if (fd2 >= 0)
				close(fd2);
			enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO,
			                              "cannot open gzip stream on '%s'",
			                              w->tmp);
			angka_csv_writer_abort(w);
			return rc;
		}
		gzbuffer(w->gz, 1 << 17);
	}
	*out = w;
	return ANGKA_OK;
}

size_t angka_csv_quote(const char *s, size_t len, int force, char *out)
{
	if (!force && !angka_csv_needs_quote(s, len)) {
		memcpy(out, s, len);
		return len;
	}
	size_t k = 0;
	out[k++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			out[k++] = '"';
		out[k++] = s[i];
	}
	out[k++] = '"';
	return k;
}

int angka_csv_needs_quote(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ',' || c == '"' || c == '\n' || c == '\r')
			return 1;
	}
	return 0;
}

void angka_csv_writer_raw(struct angka_csv_writer *w, const char *s, size_t len)
{
	if (w->nfield++)
		putc_w(w, ',');
	put(w, s, len);
}

void angka_csv_writer_field(struct angka_csv_writer *w, const char *s,
                            size_t len)
{
	angka_csv_writer_field_q(w, s, len, angka_csv_needs_quote(s, len));
}

int angka_csv_formula_like(const char *s, size_t len)
{
	if (!len)
		return 0;
	if (s[0] == '=' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')
		return 1;
	/* A lone sign (a common "none") is no formula in any spreadsheet. */
	if ((s[0] != '+' && s[0] != '-') || len == 1)
		return 0;
	/* A plain number: sign, digits, at most one '.' or ',' between
	 * digits, nothing else. */
	size_t i = 1, digits = 0, seps = 0;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if ((s[i] == '.' || s[i] == ',') && digits && i + 1 < len &&
		         !seps)
			seps++;
		else
			return 1;
	}
	return digits == 0;
}

void angka_csv_writer_text(struct angka_csv_writer *w, const char *s,
                           size_t len)
{
	if (!s)
		s = "";
	if (!angka_csv_formula_like(s, len)) {
		angka_csv_writer_field(w, s, len);
		return;
	}
	char *t = angka_xmalloc(len + 2);
	t[0] = '\'';
	memcpy(t + 1, s, len);
	angka_csv_writer_field(w, t, len + 1);
	free(t);
}

void angka_csv_writer_field_q(struct angka_csv_writer *w, const char *s,
                              size_t len, int needs_quote)
{
	if (w->nfield++)
		putc_w(w, ',');
	if (!needs_quote) {
		put(w, s, len);
		return;
	}
	putc_w(w, '"');
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"') {
			put(w, s + start, i - start + 1);
			putc_w(w, '"');
			start = i + 1;
		}
	}
	put(w, s + start, len - start);
	putc_w(w, '"');
}

void angka_csv_writer_str(struct angka_csv_writer *w, const char *s)
{
	angka_csv_writer_field(w, s ? s : "", s ? strlen(s) : 0);
}

void angka_csv_writer_long(struct angka_csv_writer *w, long long v)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
	                             : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	angka_csv_writer_raw(w, p, (size_t)(tmp + sizeof tmp - p));
}

void angka_csv_writer_double(struct angka_csv_writer *w, double v)
{
	if (!isfinite(v)) {
		angka_csv_writer_raw(w, "", 0);
		return;
	}
	char tmp[40];
	size_t n = angka_number_format(v, tmp, sizeof tmp);
	angka_csv_writer_raw(w, tmp, n);
}

static void pub_row(struct angka_csv_writer *w);

void angka_csv_writer_end_row(struct angka_csv_writer *w)
{
	putc_w(w, '\n');
	w->nfield = 0;
	if (w->pub)
		pub_row(w);
	w->rows++;
}

void angka_csv_writer_row(struct angka_csv_writer *w, size_t n,
                          const char *const *fields)
{
	for (size_t i = 0; i < n; i++)
		angka_csv_writer_str(w, fields[i]);
	angka_csv_writer_end_row(w);
}

char *angka_csv_writer_reserve(struct angka_csv_writer *w, size_t n)
{
	if (n > w->cap - w->len)
	{
		flush_buf(w);   /* between rows: row_start == len */
		w->row_start = w->len;
	}
	if (n > w->cap - w->len)
		return NULL;
	return w->buf + w->len;
}

void angka_csv_writer_row_done(struct angka_csv_writer *w, size_t n)
{
	w->len += n;
	w->nfield = 0;
	if (w->pub)
		pub_row(w);
	w->rows++;
}

void angka_csv_writer_rows_raw(struct angka_csv_writer *w, const char *s,
                               size_t n, uint64_t nrows)
{
	while (n) {
		if (w->len == w->cap)
			flush_buf(w);
		size_t k = w->cap - w->len;
		if (k > n)
			k = n;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
	w->rows += nrows;
}

int angka_csv_writer_direct(const struct angka_csv_writer *w)
{
	return w->direct;
}

uint64_t angka_csv_writer_rows(const struct angka_csv_writer *w)
{
	return w->rows;
}

uint64_t angka_csv_writer_offset(const struct angka_csv_writer *w)
{
	/* Every byte leaves buf counted in written (write_counted,
	 * direct_start's pad, direct_flush at hand-over). */
	return w->written + w->len;
}

static void release(struct angka_csv_writer *w)
{
	direct_stop(w);
	angka_tmpreg_remove(w->slot);
	free(w->spare);
	free(w->scratch);
	free(w->buf);
	free(w->path);
	free(w->tmp);
	free(w);
}

/*
 * The CSV in w->tmp (closed) as the workbook w->path: converted into a
 * second hidden temporary file, fsynced as a CSV would be, renamed into
 * place; both temporary files are gone after, whatever happens.
 */
static enum angka_err commit_xlsx(struct angka_csv_writer *w,
                                  struct angka_error *e)
{
	size_t n = strlen(w->tmp) + 8;
	char *book = angka_xmalloc(n);
	snprintf(book, n, "%s.XXXXXX", w->tmp);
	int slot;
	int fd = angka_tmpreg_mkstemp(book, &slot);
	enum angka_err rc = ANGKA_OK;
	if (fd < 0) {
		rc = ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s':", book);
		goto out;
	}
	close(fd);
	rc = angka_xlsx_from_csv(w->tmp, book, NULL, e);
	if (rc == ANGKA_OK && !(w->flags & ANGKA_CSV_WRITER_NOSYNC)) {
		int sfd = open(book, O_RDONLY | O_CLOEXEC);
		if (sfd < 0 || fsync(sfd) != 0)
			rc = ANGKA_ERR(e, ANGKA_EIO, "fsync error on '%s':", w->path);
		if (sfd >= 0)
			close(sfd);
	}
	if (rc == ANGKA_OK && rename(book, w->path) != 0)
		rc = ANGKA_ERR(e, ANGKA_EIO, "rename error on '%s':", w->path);
	if (rc != ANGKA_OK)
		unlink(book);
	angka_tmpreg_remove(slot);
out:
	unlink(w->tmp);
	free(book);
	release(w);
	return rc;
}

/*
 * A ".gz" output's bytes come from zlib's own writes: once the stream is
 * closed, its file is read back (from the page cache: compressed outputs
 * are small and never direct) and hashed. A read error leaves no hash
 * (hashing 0: no line in the log); the output itself is not affected.
 */
static void hash_gz(struct angka_csv_writer *w)
{
	int fd = open(w->tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		w->hashing = 0;
		return;
	}
	sha256_init(&w->sha);
	w->written = 0;
	char *buf = w->buf;       /* the rows are written: buf is free */
	for (;;) {
		ssize_t n = read(fd, buf, w->cap);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			w->hashing = 0;
		if (n <= 0)
			break;
		sha256_update(&w->sha, (size_t)n, (const uint8_t *)buf);
		w->written += (uint64_t)n;
	}
	close(fd);
}

/*
 * The hash log line of the committed file (csv_writer.h,
 * ANGKA_HASH_LOG): its identity once renamed (a rename changes the
 * ctime), taken from the path and checked to be the inode written, of the
 * size hashed; a file already replaced or changed gets no line. One
 * write(2) with O_APPEND, so the processes of one pipe can share a log.
 */
static enum angka_err hash_log(struct angka_csv_writer *w,
                               const struct stat *wrote,
                               struct angka_error *e)
{
	const char *log = getenv("ANGKA_HASH_LOG");
	if (!log || !*log)
		return ANGKA_OK;
	struct stat sb;
	if (stat(w->path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_dev != wrote->st_dev || sb.st_ino != wrote->st_ino ||
	    (uint64_t)sb.st_size != w->written)
		return ANGKA_OK;
	uint8_t d[SHA256_DIGEST_SIZE];
	char h[2 * SHA256_DIGEST_SIZE + 1];
	sha256_digest(&w->sha, sizeof d, d);
	angka_hex(d, sizeof d, h);
	char line[256];
	int n = snprintf(line, sizeof line, "%llu %llu %lld %lld.%09ld "
	                 "%lld.%09ld %s\n", (unsigned long long)sb.st_dev,
	                 (unsigned long long)sb.st_ino, (long long)sb.st_size,
	                 (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec,
	                 (long long)sb.st_ctim.tv_sec, (long)sb.st_ctim.tv_nsec,
	                 h);
	int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	              O_NOFOLLOW, 0600);
	if (fd < 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot open hash log '%s':", log);
	ssize_t k;
	do
		k = write(fd, line, (size_t)n);
	while (k < 0 && errno == EINTR);
	int err = k < 0 ? errno : k != n ? EIO : 0;
	if (close(fd) != 0 && !err)
		err = errno;
	if (err) {
		errno = err;
		return ANGKA_ERR(e, ANGKA_EIO, "write error on hash log '%s' "
		                 "(after '%s' was written):", log, w->path);
	}
	return ANGKA_OK;
}

void angka_csv_writer_tee_stdout(struct angka_csv_writer *w)
{
	if (!w->path)
		return;      /* the output is stdout already */
	w->tee_fd = STDOUT_FILENO;
	angka_pipe_grow(w->tee_fd);
}

enum angka_err angka_csv_writer_commit(struct angka_csv_writer *w,
                                       struct angka_error *e)
{
	flush_buf(w);
	direct_finish(w);
	tee_end(w);
	if (w->gz) {
		int z = gzclose_w(w->gz);
		w->gz = NULL;
		w->gz_done = 1;
		if (z != Z_OK)
			fail(w, z == Z_ERRNO ? errno : EIO, "gzip close");
	}
	if (!w->path) {
		/* stdout: nothing to rename, but a lost write must show. */
		if (w->err) {
			errno = w->err;
			enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO,
			                              "%s error on <stdout>:",
			                              w->errwhat);
			release(w);
			return rc;
		}
		release(w);
		return ANGKA_OK;
	}
	if (!w->err && !(w->flags & ANGKA_CSV_WRITER_NOSYNC) && fsync(w->fd) != 0)
		fail(w, errno, "fsync");
	/* What was written, for the hash log after the rename. */
	struct stat wrote;
	memset(&wrote, 0, sizeof wrote);
	if (w->hashing && !w->err && w->tmp && w->gz_done)
		hash_gz(w);
	if (w->hashing && (w->err || !w->tmp || fstat(w->fd, &wrote) != 0))
		w->hashing = 0;
	if (close(w->fd) != 0)
		fail(w, errno, "close");
	w->fd = -1;
	if (!w->err && w->xlsx)
		return commit_xlsx(w, e);
	if (!w->err && w->tmp && rename(w->tmp, w->path) != 0)
		fail(w, errno, "rename");
	if (w->err) {
		errno = w->err;
		enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO, "%s error on '%s':",
		                              w->errwhat, w->path);
		if (w->tmp)
			unlink(w->tmp);
		release(w);
		return rc;
	}
	enum angka_err rc = w->hashing ? hash_log(w, &wrote, e) : ANGKA_OK;
	release(w);
	return rc;
}

void angka_csv_writer_abort(struct angka_csv_writer *w)
{
	if (!w)
		return;
	direct_stop(w);
	if (w->gz)
		gzclose_w(w->gz);
	if (w->path && w->fd >= 0)
		close(w->fd);
	if (w->tmp && w->path)
		unlink(w->tmp);
	release(w);
}

/* ---- publication form ---- */

int angka_csv_dialect_from_name(const char *name, enum angka_csv_dialect *d)
{
	if (!name)
		return -1;
	if (strcmp(name, "rfc4180") == 0)
		*d = ANGKA_CSV_RFC4180;
	else if (strcmp(name, "excel-id") == 0)
		*d = ANGKA_CSV_EXCEL_ID;
	else
		return -1;
	return 0;
}

void angka_csv_writer_publish(struct angka_csv_writer *w,
                              enum angka_csv_dialect dialect,
                              const struct angka_region_table *regions)
{
	w->pub = 1;
	/* A workbook is converted from the CSV in tmp, which must stay
	 * RFC 4180; Excel shows its numbers in the reader's locale anyway. */
	w->dialect = w->xlsx ? ANGKA_CSV_RFC4180 : dialect;
	w->regions = regions;
	w->direct_off = 1;  /* pub_flush needs buf to stay put */
	w->row_start = w->len;
	w->kode_col = -1;
	w->dom_col = -1;
}

size_t angka_region_dotted(const char *code, size_t len, char *out)
{
	if (len != 2 && len != 4 && len != 6 && len != 10)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (i == 2 || i == 4 || i == 6)
			out[n++] = '.';
		out[n++] = code[i];
	}
	out[n] = '\0';
	return n;
}

/* The digits of a dotted or undotted code ("63.11" -> "6311"), or 0. */
static size_t undot(const char *s, size_t len, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (n == 10)
				return 0;
			out[n++] = s[i];
		} else if (s[i] != '.') {
			return 0;
		}
	}
	out[n] = '\0';
	return n;
}

/* A number as angka writes one: -?D+(.D+)?(e[+-]D+)?, with a point. */
static int has_decimal_point(const char *s, size_t len)
{
	size_t i = 0, d = 0;
	int point = 0;
	if (i < len && s[i] == '-')
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		d++;
	if (i < len && s[i] == '.') {
		point = 1;
		size_t f = 0;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			f++;
		if (!f)
			return 0;
	}
	if (!d)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t x = 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			x++;
		if (!x)
			return 0;
	}
	return i == len && point;
}

static void sc_put(struct angka_csv_writer *w, size_t *n, const char *s,
                   size_t len)
{
	if (*n + len > w->scratch_cap) {
		size_t cap = w->scratch_cap ? w->scratch_cap : 256;
		while (cap < *n + len)
			cap *= 2;
		w->scratch = angka_xrealloc(w->scratch, cap);
		w->scratch_cap = cap;
	}
	memcpy(w->scratch + *n, s, len);
	*n += len;
}

/* One output field in the writer's dialect. */
static void pub_field(struct angka_csv_writer *w, size_t *n, int first,
                      const char *s, size_t len, int number)
{
	char sep = w->dialect == ANGKA_CSV_EXCEL_ID ? ';' : ',';
	if (!first)
		sc_put(w, n, &sep, 1);
	if (number) {
		for (size_t i = 0; i < len; i++) {
			char c = s[i] == '.' ? ',' : s[i];
			sc_put(w, n, &c, 1);
		}
		return;
	}
	int q = 0;
	for (size_t i = 0; i < len && !q; i++)
		q = s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!q) {
		sc_put(w, n, s, len);
		return;
	}
	sc_put(w, n, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		sc_put(w, n, s + i, 1);
		if (s[i] == '"')
			sc_put(w, n, "\"", 1);
	}
	sc_put(w, n, "\"", 1);
}

/* Name of the region that column kode_wilayah holds. */
static const char *pub_nama(const struct angka_csv_writer *w, const char *s,
                            size_t len)
{
	char digits[11];
	if (len == 5 && memcmp(s, "total", 5) == 0)
		return "Jumlah";
	if (!undot(s, len, digits))
		return "";
	const struct angka_region *r = angka_region_find(w->regions, digits);
	return r ? r->nama : "";
}

/* The domain "kode_wilayah=CODE" (CODE dotted into out, capacity >= 32)
 * and the name of CODE; any other domain as it is, named "". */
static const char *pub_domain(const struct angka_csv_writer *w, const char *s,
                              size_t len, char *out, size_t *outlen)
{
	static const char pre[] = "kode_wilayah=";
	size_t pl = sizeof pre - 1;
	*outlen = 0;
	if (len <= pl || memcmp(s, pre, pl) != 0)
		return "";
	char digits[11];
	size_t dl = undot(s + pl, len - pl, digits);
	if (!dl)
		return "";
	memcpy(out, pre, pl);
	size_t n = angka_region_dotted(digits, dl, out + pl);
	if (n)
		*outlen = pl + n;
	const struct angka_region *r = angka_region_find(w->regions, digits);
	return r ? r->nama : "";
}

/*
 * Rewrite the row buf[row_start, len) (RFC 4180, ending in '\n') in the
 * publication form: the header decides the columns; kode_wilayah dotted,
 * nama_wilayah after it, and the dialect's separators, quoting and
 * decimal comma.
 */
static void pub_row(struct angka_csv_writer *w)
{
	if (w->err) {
		w->len = w->row_start = 0;
		return;
	}
	const char *p = w->buf + w->row_start;
	const char *end = w->buf + w->len - 1;  /* the '\n' */
	/* Split into fields, unquoted into uq (never longer than the row). */
	size_t rowlen = (size_t)(end - p);
	char *uq = angka_xmalloc(rowlen + 1);
	size_t nf = 0, capf = 16, k = 0;
	size_t *off = angka_xmalloc(capf * 2 * sizeof *off);
	for (;;) {
		if (nf == capf) {
			capf *= 2;
			off = angka_xrealloc(off, capf * 2 * sizeof *off);
		}
		off[2 * nf] = k;
		if (p < end && *p == '"') {
			for (p++; p < end; p++) {
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						uq[k++] = '"';
						p++;
						continue;
					}
					p++;
					break;
				}
				uq[k++] = *p;
			}
		} else {
			while (p < end && *p != ',')
				uq[k++] = *p++;
		}
		off[2 * nf + 1] = k - off[2 * nf];
		nf++;
		if (p >= end)
			break;
		p++;  /* the ',' */
	}
	size_t n = 0;
	if (w->rows == 0) {
		for (size_t c = 0; c < nf; c++) {
			const char *f = uq + off[2 * c];
			size_t fl = off[2 * c + 1];
			if (fl == 12 && memcmp(f, "kode_wilayah", 12) == 0 &&
			    w->kode_col < 0)
				w->kode_col = (int)c;
			if (fl >= 5 && memcmp(f, "kode_", 5) == 0 && c < 64)
				w->code_cols |= 1ULL << c;
			if (fl == 12 && memcmp(f, "nama_wilayah", 12) == 0)
				w->add_nama = -1;
			if (fl == 6 && memcmp(f, "domain", 6) == 0 &&
			    w->dom_col < 0)
				w->dom_col = (int)c;
			if (fl == 11 && memcmp(f, "nama_domain", 11) == 0)
				w->add_dnama = -1;
		}
		w->add_nama = w->add_nama == 0 && w->kode_col >= 0 && w->regions;
		w->add_dnama = w->add_dnama == 0 && w->dom_col >= 0 && w->regions;
		if (w->dialect == ANGKA_CSV_EXCEL_ID)
			sc_put(w, &n, "\xEF\xBB\xBF", 3);
	}
	for (size_t c = 0; c < nf; c++) {
		const char *f = uq + off[2 * c];
		size_t fl = off[2 * c + 1];
		if (w->rows == 0) {
			pub_field(w, &n, c == 0, f, fl, 0);
			if ((int)c == w->kode_col && w->add_nama)
				pub_field(w, &n, 0, "nama_wilayah", 12, 0);
			if ((int)c == w->dom_col && w->add_dnama)
				pub_field(w, &n, 0, "nama_domain", 11, 0);
		} else if ((int)c == w->dom_col && w->add_dnama) {
			char dotted[48];
			size_t dl;
			const char *nama = pub_domain(w, f, fl, dotted, &dl);
			if (dl)
				pub_field(w, &n, c == 0, dotted, dl, 0);
			else
				pub_field(w, &n, c == 0, f, fl, 0);
			pub_field(w, &n, 0, nama, strlen(nama), 0);
		} else if ((int)c == w->kode_col) {
			char dotted[16];
			size_t dl = angka_region_dotted(f, fl, dotted);
			const char *nama = w->add_nama ? pub_nama(w, f, fl) : NULL;
			if (dl)
				pub_field(w, &n, c == 0, dotted, dl, 0);
			else
				pub_field(w, &n, c == 0, f, fl, 0);
			if (nama)
				pub_field(w, &n, 0, nama, strlen(nama), 0);
		} else {
			int code = c < 64 && (w->code_cols >> c & 1);
			int num = w->dialect == ANGKA_CSV_EXCEL_ID && !code &&
			          has_decimal_point(f, fl);
			pub_field(w, &n, c == 0, f, fl, num);
		}
	}
	free(off);
	free(uq);
	sc_put(w, &n, "\n", 1);
	w->len = w->row_start;
	put(w, w->scratch, n);
	w->row_start = w->len;
}
