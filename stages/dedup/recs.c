/*
 * recs.c - angka-dedup's prepared parts (docs/dedup.md "Prepared parts").
 *
 * --recs-out R PART: the read pass of one part file (a piece of the
 * normalized file cut at record boundaries, e.g. angka-normalize --shard
 * K/N's output) written to R as binary: the records, the part's interned
 * names, src_file values and No KK, the per-row extras (first name byte,
 * period, row flags) and each row's byte range in the part file.
 *
 * --recs R0 --recs R1 ... PART0 PART1 ...: the read pass of the
 * concatenation without parsing a CSV row: the recs are loaded in order,
 * their ids interned again into one table each in first-occurrence order
 * (so every id is the one a single process reading the concatenation
 * gives); the rows' text stays in the part files: the spool is the parts
 * one after the other (dedup_spool_files; none for a shard, --pairs-out:
 * the blocking needs no text).
 *
 * Layout (native byte order and widths; refused on another machine kind):
 * struct recs_head, then sections each padded with zeros to 8 bytes: the
 * header's column names (each NUL-terminated), col[NCOL] (int32), the
 * names' start[names_n + 1] (uint32) and arena, the same for src_file,
 * the No KK values (uint64, id 0 = none), the row flags, rec[n], name0[n],
 * period[n] (if the part has a periode column), the rows' offsets
 * (uint64) and lengths (uint32) in the part; last the checksum (uint64)
 * of all bytes before it. The part is named by its size and a fingerprint
 * of sampled blocks; every row's range must end at a line end of the part
 * when loaded.
 */
#include "ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECS_MAGIC "ANGKRECS"
#define RECS_VERSION 2u   /* 2: the checksum in four lanes */
#define RECS_ENDIAN 0x01020304u
#define LOAD_THREADS_MAX 64   /* threads of a load (settings: 64 at most) */

enum {
	RECS_F_PERIOD = 1,      /* period[] follows name0[] */
	RECS_F_NO_NIK = 2,      /* dedup_ctx.no_nik */
	RECS_F_NO_NIK_DOB = 4,  /* dedup_ctx.no_nik_dob */
	RECS_F_HEADER = 8       /* the part starts with the header row (the
	                         * first part); else --header-from */
};

struct recs_head {
	char magic[8];
	uint32_t version;
	uint32_t endian;
	uint64_t part_size;     /* bytes of the part file */
	uint64_t part_fp;       /* recs_part_fp of it */
	int64_t part_mtime_s, part_mtime_ns;   /* its modification time */
	uint64_t n;             /* rows */
	uint32_t nfields;
	uint32_t flags;         /* RECS_F_* */
	uint64_t nik_is_kk, nik_pattern;   /* dedup_stats counts */
	uint64_t hdr_bytes;
	uint64_t names_n, names_bytes;     /* ids (with id 0) and arena */
	uint64_t files_n, files_bytes;
	uint64_t kks_n;
	uint64_t nrflags;
	uint64_t rec_size;      /* sizeof(struct dedup_rec) */
	uint64_t total;         /* bytes of the file, checksum included */
};
_Static_assert(sizeof(struct recs_head) % 8 == 0, "head padded to 8");

static uint64_t pad8(uint64_t n)
{
	return (n + 7) & ~(uint64_t)7;
}

/* One step of a hash over 8-byte words (the part's fingerprint). */
static uint64_t hash_step(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 29);
}

/* A hash of 8-byte words (a short tail padded with zeros). */
static uint64_t hash_words(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t w;
	for (; n >= 8; n -= 8, b += 8) {
		memcpy(&w, b, 8);
		h = hash_step(h, w);
	}
	if (n) {
		w = 0;
		memcpy(&w, b, n);
		h = hash_step(h, w);
	}
	return h;
}

/*
 * The recs file's checksum: its 8-byte words (a short tail padded with
 * zeros) dealt to four lanes by their index, each lane a chain of
 * hash_step, the lanes and the word count hashed last. Four independent
 * chains run at once on one core: one chain (version 1) was a multiply's
 * latency per word, about 5 % of a shard's CPU in checking the recs it
 * loads. Fed in pieces (the writer's sections) or at once, the same.
 */
struct recs_sum {
	uint64_t l[4];
	uint64_t n;            /* words so far */
};

static void sum_init(struct recs_sum *s)
{
	for (int k = 0; k < 4; k++)
		s->l[k] = DEDUP_FNV_INIT + (uint64_t)k * 0x9E3779B97F4A7C15ULL;
	s->n = 0;
}

static void sum_add(struct recs_sum *s, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t w;
	for (; n >= 8 && (s->n & 3); n -= 8, b += 8, s->n++) {
		memcpy(&w, b, 8);
		s->l[s->n & 3] = hash_step(s->l[s->n & 3], w);
	}
	uint64_t l0 = s->l[0], l1 = s->l[1], l2 = s->l[2], l3 = s->l[3];
	for (; n >= 32; n -= 32, b += 32, s->n += 4) {
		uint64_t v[4];
		memcpy(v, b, 32);
		l0 = hash_step(l0, v[0]);
		l1 = hash_step(l1, v[1]);
		l2 = hash_step(l2, v[2]);
		l3 = hash_step(l3, v[3]);
	}
	s->l[0] = l0;
	s->l[1] = l1;
	s->l[2] = l2;
	s->l[3] = l3;
	for (; n >= 8; n -= 8, b += 8, s->n++) {
		memcpy(&w, b, 8);
		s->l[s->n & 3] = hash_step(s->l[s->n & 3], w);
	}
	if (n) {
		w = 0;
		memcpy(&w, b, n);
		s->l[s->n & 3] = hash_step(s->l[s->n & 3], w);
		s->n++;
	}
}

static uint64_t sum_final(const struct recs_sum *s)
{
	uint64_t h = hash_step(DEDUP_FNV_INIT, s->n);
	for (int k = 0; k < 4; k++)
		h = hash_step(h, s->l[k]);
	return h;
}

#define FP_BLOCK 4096
#define FP_SAMPLES 32

#define FP_EDGE 65536

/* A fingerprint of the file on fd of size bytes: its size, its first and
 * last 64 KiB and FP_SAMPLES blocks spread over it. -1 on a read error.
 * (Parts are opened on several threads: a buffer of its own.) */
static int recs_part_fp(int fd, uint64_t size, uint64_t *fp)
{
	char *buf = angka_xmalloc(FP_EDGE);
	int rc = 0;
	uint64_t h = hash_words(DEDUP_FNV_INIT, &size, sizeof size);
	for (int k = 0; k < FP_SAMPLES + 2 && !rc; k++) {
		uint64_t len = k < 2 ? FP_EDGE : FP_BLOCK, off;
		if (len > size)
			len = size;
		if (k == 0)
			off = 0;
		else if (k == 1)
			off = size - len;
		else
			off = (size - len) / (FP_SAMPLES + 1) * (uint64_t)(k - 1);
		size_t got = 0;
		while (got < len) {
			ssize_t r = pread(fd, buf + got, (size_t)len - got,
			                  (off_t)(off + got));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				rc = -1;
				break;
			}
			got += (size_t)r;
		}
		if (!rc)
			h = hash_words(h, buf, (size_t)len);
	}
	free(buf);
	*fp = h;
	return rc;
}

uint64_t dedup_recs_checksum(const void *p, size_t n)
{
	struct recs_sum s;
	sum_init(&s);
	sum_add(&s, p, n);
	return sum_final(&s);
}

/* ---- Writing (--recs-out) ---- */

struct recs_w {
	FILE *f;
	struct recs_sum h;
	int err;
};

static void put(struct recs_w *w, const void *p, size_t n)
{
	static const char zero[8];
	sum_add(&w->h, p, n);   /* a short tail as padded with zeros */
	if (n && fwrite(p, 1, n, w->f) != n)
		w->err = 1;
	if (n % 8 && fwrite(zero, 1, 8 - n % 8, w->f) != 8 - n % 8)
		w->err = 1;
}

static void put_intern(struct recs_w *w, const struct dedup_intern *in)
{
	put(w, in->start, ((size_t)in->n + 1) * sizeof *in->start);
	put(w, in->arena, in->start[in->n]);
}

/* The byte range of every row in the part: the read pass checked each
 * row against the part where it stands (dedup_spool_check: after the
 * header line unless --header-from, rows apart only by line ends and
 * blank lines), so a row's offset in the spool is its offset in the
 * part (dedup_row_off, written with the records: put_recs) and its
 * length the one checked (spool chk_len). */
static enum angka_err row_ranges(struct dedup_ctx *x, uint64_t size,
                                 struct angka_error *e)
{
	const struct dedup_spool *sp = &x->spool;
	long line = dedup_spool_check_line(sp);
	if (line && sp->chk_bad)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: the row is not "
		                 "written as angka-dedup reads it (quotes or "
		                 "line ends): --recs-out needs the rows as "
		                 "angka-normalize writes them", x->in_name, line);
	if (line || sp->chk_size != size || sp->chk_n != x->n)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s': bytes after the last "
		                 "row that are not a row", x->in_name);
	return ANGKA_OK;
}

/* The records written in pieces, each row's offset in the part into
 * toff on the way: one pass over x->rec instead of two (a pass over the
 * 48-byte records is memory-bound). */
static void put_recs(struct recs_w *w, const struct dedup_ctx *x,
                     uint64_t *toff)
{
	const uint32_t piece = 4096;
	_Static_assert(sizeof(struct dedup_rec) % 8 == 0,
	               "records in pieces: no padding between them");
	for (uint32_t i0 = 0; i0 < x->n; i0 += piece) {
		uint32_t i1 = x->n - i0 > piece ? i0 + piece : x->n;
		for (uint32_t i = i0; i < i1; i++)
			toff[i] = dedup_row_off(x, i);
		put(w, x->rec + i0, (size_t)(i1 - i0) * sizeof *x->rec);
	}
}

enum angka_err dedup_recs_write(struct dedup_ctx *x, struct angka_error *e)
{
	const char *path = x->o->recs_out;
	int fd = open(x->o->in, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return ANGKA_ERR(e, ANGKA_EIO, "'%s': --recs-out needs a "
		                 "regular file (its rows are read back by "
		                 "offset):", x->o->in);
	}
	uint64_t size = (uint64_t)sb.st_size, fp;
	uint64_t *toff = angka_xmalloc(((size_t)x->n + 1) * sizeof *toff);
	enum angka_err rc = row_ranges(x, size, e);
	if (rc == ANGKA_OK && recs_part_fp(fd, size, &fp) != 0)
		rc = ANGKA_ERR(e, ANGKA_EIO, "'%s': cannot read:", x->o->in);
	close(fd);
	char *tmp = NULL;
	struct recs_w w = { NULL, { { 0, 0, 0, 0 }, 0 }, 0 };
	sum_init(&w.h);
	if (rc != ANGKA_OK)
		goto out;
	struct recs_head h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, RECS_MAGIC, 8);
	h.version = RECS_VERSION;
	h.endian = RECS_ENDIAN;
	h.part_size = size;
	h.part_fp = fp;
	h.part_mtime_s = (int64_t)sb.st_mtim.tv_sec;
	h.part_mtime_ns = (int64_t)sb.st_mtim.tv_nsec;
	h.n = x->n;
	h.nfields = (uint32_t)x->nfields;
	h.flags = (x->period ? RECS_F_PERIOD : 0) |
	          (x->no_nik ? RECS_F_NO_NIK : 0) |
	          (x->no_nik_dob ? RECS_F_NO_NIK_DOB : 0) |
	          (x->o->header_from ? 0 : RECS_F_HEADER);
	h.nik_is_kk = x->st->nik_is_kk;
	h.nik_pattern = x->st->nik_pattern;
	for (size_t i = 0; i < x->nfields; i++)
		h.hdr_bytes += strlen(x->header[i]) + 1;
	h.names_n = x->names.n;
	h.names_bytes = x->names.start[x->names.n];
	h.files_n = x->files.n;
	h.files_bytes = x->files.start[x->files.n];
	h.kks_n = x->kks.n;
	h.nrflags = x->nrflags;
	h.rec_size = sizeof(struct dedup_rec);
	h.total = sizeof h + pad8(h.hdr_bytes) + pad8(NCOL * 4) +
	          pad8((h.names_n + 1) * 4) + pad8(h.names_bytes) +
	          pad8((h.files_n + 1) * 4) + pad8(h.files_bytes) +
	          h.kks_n * 8 + h.nrflags * sizeof(struct dedup_rflag) +
	          h.n * sizeof(struct dedup_rec) + pad8(h.n) +
	          (x->period ? pad8(h.n * 2) : 0) + h.n * 8 + pad8(h.n * 4) + 8;
	size_t tl = strlen(path) + 32;
	tmp = angka_xmalloc(tl);
	snprintf(tmp, tl, "%s.tmp.%ld", path, (long)getpid());
	/* Personal data (NIK, No KK, name keys): mode 0600 as every output. */
	int wfd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	w.f = wfd >= 0 ? fdopen(wfd, "wb") : NULL;
	if (!w.f) {
		if (wfd >= 0)
			close(wfd);
		rc = ANGKA_ERR(e, ANGKA_EIO, "'%s': cannot create:", tmp);
		goto out;
	}
	put(&w, &h, sizeof h);
	{
		char *hb = angka_xmalloc((size_t)h.hdr_bytes), *q = hb;
		for (size_t i = 0; i < x->nfields; i++) {
			size_t l = strlen(x->header[i]) + 1;
			memcpy(q, x->header[i], l);
			q += l;
		}
		put(&w, hb, (size_t)h.hdr_bytes);
		free(hb);
	}
	int32_t col[NCOL];
	for (int k = 0; k < NCOL; k++)
		col[k] = x->col[k];
	put(&w, col, sizeof col);
	put_intern(&w, &x->names);
	put_intern(&w, &x->files);
	put(&w, x->kks.v, (size_t)x->kks.n * sizeof *x->kks.v);
	put(&w, x->rflags, x->nrflags * sizeof *x->rflags);
	put_recs(&w, x, toff);
	put(&w, x->name0, x->n);
	if (x->period)
		put(&w, x->period, (size_t)x->n * sizeof *x->period);
	put(&w, toff, (size_t)x->n * sizeof *toff);
	put(&w, x->spool.chk_len, (size_t)x->n * sizeof *x->spool.chk_len);
	uint64_t sum = sum_final(&w.h);
	if (fwrite(&sum, 8, 1, w.f) != 1)
		w.err = 1;
	if (fflush(w.f) != 0 || ferror(w.f))
		w.err = 1;
	if (fclose(w.f) != 0)
		w.err = 1;
	w.f = NULL;
	if (w.err) {
		rc = ANGKA_ERR(e, ANGKA_EIO, "'%s': cannot write:", tmp);
		remove(tmp);
		goto out;
	}
	if (rename(tmp, path) != 0) {
		rc = ANGKA_ERR(e, ANGKA_EIO, "cannot rename '%s' to '%s':", tmp,
		               path);
		remove(tmp);
	}
out:
	free(tmp);
	free(toff);
	return rc;
}

/* ---- Loading (--recs) ---- */

struct recs_part {
	const char *path;         /* the recs file */
	const char *part;         /* its part file */
	unsigned char *m;         /* the recs file, mapped */
	size_t size;
	struct recs_head h;
	const char *hdr;
	const int32_t *col;
	const uint32_t *nstart, *fstart;
	const char *narena, *farena;
	const uint64_t *kks;
	const struct dedup_rflag *rflags;
	const struct dedup_rec *rec;
	const uint8_t *name0;
	const uint16_t *period;
	const uint64_t *toff;
	const uint32_t *tlen;
	uint32_t *nmap, *fmap, *kmap;   /* its ids to the global ones */
	struct dedup_rflag *rflags_copy;
	enum angka_err orc;            /* recs_open's (open_all) */
	struct angka_error oe;
	struct recs_sum sum;           /* the checksum so far */
	struct dedup_rec *dst;         /* its rows' place in x->rec, or NULL */
	enum angka_err src;            /* recs_read's: checksum, part file */
	struct angka_error se;
};

/* Section pointers of a mapped recs file; -1 if the sizes do not add up
 * to its length. */
static int recs_layout(struct recs_part *r)
{
	const struct recs_head *h = &r->h;
	uint64_t lim = (uint64_t)UINT32_MAX;
	if (h->n > lim || h->names_n > lim || h->files_n > lim ||
	    h->kks_n > lim || h->nrflags > lim || h->hdr_bytes > lim ||
	    h->names_bytes > lim || h->files_bytes > lim || !h->names_n ||
	    !h->hdr_bytes ||
	    !h->files_n || !h->kks_n || h->nfields == 0 ||
	    h->nfields > 100000)
		return -1;
	uint64_t o = sizeof *h;
	const unsigned char *m = r->m;
#define SECTION(ptr, type, bytes) do { \
		uint64_t b_ = (bytes); \
		if (o + pad8(b_) > r->size) \
			return -1; \
		ptr = (type)(const void *)(m + o); \
		o += pad8(b_); \
	} while (0)
	SECTION(r->hdr, const char *, h->hdr_bytes);
	SECTION(r->col, const int32_t *, NCOL * 4);
	SECTION(r->nstart, const uint32_t *, (h->names_n + 1) * 4);
	SECTION(r->narena, const char *, h->names_bytes);
	SECTION(r->fstart, const uint32_t *, (h->files_n + 1) * 4);
	SECTION(r->farena, const char *, h->files_bytes);
	SECTION(r->kks, const uint64_t *, h->kks_n * 8);
	SECTION(r->rflags, const struct dedup_rflag *,
	        h->nrflags * sizeof(struct dedup_rflag));
	SECTION(r->rec, const struct dedup_rec *,
	        h->n * sizeof(struct dedup_rec));
	SECTION(r->name0, const uint8_t *, h->n);
	r->period = NULL;
	if (h->flags & RECS_F_PERIOD)
		SECTION(r->period, const uint16_t *, h->n * 2);
	SECTION(r->toff, const uint64_t *, h->n * 8);
	SECTION(r->tlen, const uint32_t *, h->n * 4);
#undef SECTION
	return o + 8 == r->size && h->total == r->size ? 0 : -1;
}

/* An interner's sections: start[0] = 0, increasing, every string
 * NUL-terminated, id 0 the empty string. */
static int intern_ok(const uint32_t *start, uint64_t n, const char *arena,
                     uint64_t bytes)
{
	if (bytes < 1 || start[0] != 0 || start[1] != 1 ||
	    arena[0] != '\0' || start[n] != bytes)
		return 0;
	for (uint64_t id = 0; id < n; id++)
		if (start[id + 1] <= start[id] || start[id + 1] > bytes ||
		    arena[start[id + 1] - 1] != '\0')
			return 0;
	return 1;
}

static enum angka_err recs_damaged(const struct recs_part *r,
                                   struct angka_error *e);

static enum angka_err recs_open(struct recs_part *r, struct angka_error *e)
{
	int fd = open(r->path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		return ANGKA_ERR(e, ANGKA_EIO, "'%s': cannot open:", r->path);
	}
	r->size = (size_t)sb.st_size;
	if (r->size < sizeof r->h + 8) {
		close(fd);
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s': not a recs file of "
		                 "angka-dedup --recs-out (too short)", r->path);
	}
	/* Mapped, not populated: the records (three quarters of the file)
	 * are read into x->rec (recs_read), never through the mapping. */
	r->m = mmap(NULL, r->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (r->m == MAP_FAILED) {
		r->m = NULL;
		return ANGKA_ERR(e, ANGKA_EIO, "'%s': cannot map:", r->path);
	}
	madvise(r->m, r->size, MADV_SEQUENTIAL);
	memcpy(&r->h, r->m, sizeof r->h);
	if (memcmp(r->h.magic, RECS_MAGIC, 8) != 0)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s': not a recs file of "
		                 "angka-dedup --recs-out", r->path);
	if (r->h.version != RECS_VERSION || r->h.endian != RECS_ENDIAN ||
	    r->h.rec_size != sizeof(struct dedup_rec))
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s': recs of another "
		                 "version or machine kind; run --recs-out again",
		                 r->path);
	if (r->h.total != r->size)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s': %zu bytes, its header "
		                 "says %llu (cut or grown)", r->path, r->size,
		                 (unsigned long long)r->h.total);
	/* The checksum is finished by recs_read (its message is this one:
	 * which check finds the damage does not show). */
	if (recs_layout(r) != 0 ||
	    !intern_ok(r->nstart, r->h.names_n, r->narena, r->h.names_bytes) ||
	    !intern_ok(r->fstart, r->h.files_n, r->farena, r->h.files_bytes) ||
	    r->hdr[r->h.hdr_bytes - 1] != '\0')
		return recs_damaged(r, e);
	sum_init(&r->sum);
	sum_add(&r->sum, r->m, (size_t)((const unsigned char *)r->rec - r->m));
	return ANGKA_OK;
}

static enum angka_err recs_damaged(const struct recs_part *r,
                                   struct angka_error *e)
{
	return ANGKA_ERR(e, ANGKA_EDATA, "'%s': damaged recs file (checksum "
	                 "or layout); run --recs-out again", r->path);
}

/* The part file r was made of, unchanged since. */
static enum angka_err recs_check_part(const struct recs_part *r,
                                      struct angka_error *e)
{
	struct stat sb;
	int fd = open(r->part, O_RDONLY | O_CLOEXEC);
	uint64_t fp;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return ANGKA_ERR(e, ANGKA_EIO, "'%s': cannot open the part "
		                 "file of '%s' (a regular file):", r->part,
		                 r->path);
	}
	int bad = (uint64_t)sb.st_size != r->h.part_size ||
	          (int64_t)sb.st_mtim.tv_sec != r->h.part_mtime_s ||
	          (int64_t)sb.st_mtim.tv_nsec != r->h.part_mtime_ns ||
	          recs_part_fp(fd, r->h.part_size, &fp) != 0 ||
	          fp != r->h.part_fp;
	close(fd);
	if (bad)
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s': made of another file "
		                 "than '%s' (size, time or content differ: "
		                 "another part, or the part changed since "
		                 "--recs-out)",
		                 r->path, r->part);
	return ANGKA_OK;
}

/*
 * The records of an opened part read into dst (its rows' place in
 * x->rec; NULL: through the mapping, only checked) with pread, and the
 * checksum finished over them and the rest of the mapping; then the part
 * file checked. The result in r->src, r->se. A first touch of a page
 * through a fresh mapping costs far more than the copy (about 0.35 s of
 * CPU for a 650 MB recs file on the test machine's VM, against 0.1 s to
 * pread it), and x->rec is written anyway.
 */
static void recs_read(struct recs_part *r, struct dedup_rec *dst)
{
	const unsigned char *rec = (const unsigned char *)r->rec;
	uint64_t off = (uint64_t)(rec - r->m);
	size_t len = (size_t)r->h.n * sizeof(struct dedup_rec);
	int fd = dst ? open(r->path, O_RDONLY | O_CLOEXEC) : -1;
	if (dst && fd < 0) {
		r->src = ANGKA_ERR(&r->se, ANGKA_EIO, "'%s': cannot open:",
		                   r->path);
		return;
	}
	for (size_t got = 0; got < len;) {
		size_t want = len - got < ((size_t)8 << 20) ? len - got
		                                           : (size_t)8 << 20;
		const unsigned char *p = rec + got;
		if (dst) {
			ssize_t n = pread(fd, (char *)dst + got, want,
			                  (off_t)(off + got));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(fd);
				r->src = ANGKA_ERR(&r->se, ANGKA_EIO, "'%s': cannot "
				                   "read:", r->path);
				return;
			}
			want = (size_t)n;
			p = (const unsigned char *)dst + got;
		}
		sum_add(&r->sum, p, want);
		got += want;
	}
	if (fd >= 0)
		close(fd);
	sum_add(&r->sum, rec + len, r->size - 8 - (size_t)off - len);
	uint64_t want;
	memcpy(&want, r->m + r->size - 8, 8);
	if (sum_final(&r->sum) != want)
		r->src = recs_damaged(r, &r->se);
	else
		r->src = recs_check_part(r, &r->se);
}

/* recs_open of every part, the parts taken in turn by up to threads
 * threads (the checksum reads every byte: the merge runs alone, a core
 * idle); each part's result in its orc and oe. */
struct open_work {
	struct recs_part *r;
	size_t n;
	atomic_size_t next;
	int read;
};

static void *open_worker(void *arg)
{
	struct open_work *w = arg;
	size_t k;
	while ((k = atomic_fetch_add(&w->next, 1)) < w->n) {
		if (w->read) {
			if (w->r[k].orc == ANGKA_OK)
				recs_read(&w->r[k], w->r[k].dst);
		} else {
			w->r[k].orc = recs_open(&w->r[k], &w->r[k].oe);
		}
	}
	return NULL;
}

/* Run fn(arg) on min(threads, items, LOAD_THREADS_MAX) threads, this one
 * included (fewer if a thread cannot start: the work is shared through
 * arg), and wait for all of them. */
static void recs_run_threads(void *(*fn)(void *), void *arg, long threads,
                             size_t items)
{
	pthread_t tid[LOAD_THREADS_MAX];
	size_t nt = 0, want = threads > 1 ? (size_t)threads : 1;
	if (want > items)
		want = items;
	if (want > LOAD_THREADS_MAX)
		want = LOAD_THREADS_MAX;
	while (nt + 1 < want && pthread_create(&tid[nt], NULL, fn, arg) == 0)
		nt++;
	fn(arg);
	for (size_t t = 0; t < nt; t++)
		pthread_join(tid[t], NULL);
}

/* read 0: recs_open of every part; 1: recs_read of the opened ones. */
static void open_all(struct recs_part *r, size_t np, long threads, int read)
{
	struct open_work w = { r, np, 0, read };
	atomic_init(&w.next, 0);
	recs_run_threads(open_worker, &w, threads, np);
}

/* The id map of one interner section into the global interner. */
static enum angka_err map_strings(struct dedup_ctx *x, struct dedup_intern *in,
                                  const uint32_t *start, const char *arena,
                                  uint64_t n, uint32_t *map,
                                  struct angka_error *e)
{
	map[0] = 0;
	for (uint64_t id = 1; id < n; id++) {
		map[id] = dedup_intern_get(in, arena + start[id],
		                           start[id + 1] - start[id] - 1);
		if (map[id] == UINT32_MAX)
			return ANGKA_ERR(e, ANGKA_ENOMEM, "'%s': too many distinct "
			                 "names, No KK or src_file values; split "
			                 "the input (e.g. by province)", x->in_name);
	}
	return ANGKA_OK;
}

/* The id maps of part k (recs r) into the global tables, in part order
 * (first occurrence: the ids of one process). need (DEDUP_SHARD_*): a
 * shard whose cells do not read the names or the No KK leaves their ids
 * 0 (map 0) instead of interning the strings and numbers of every row (a
 * hash lookup each). */
static enum angka_err load_maps(struct dedup_ctx *x, struct recs_part *r,
                                unsigned need, struct angka_error *e)
{
	const struct recs_head *h = &r->h;
	enum angka_err rc;
	int names = (need & DEDUP_SHARD_NAMES) != 0;
	int kks = (need & DEDUP_SHARD_KK) != 0;
	r->nmap = names ?
	        angka_xmalloc((size_t)h->names_n * sizeof *r->nmap) :
	        angka_xcalloc((size_t)h->names_n, sizeof *r->nmap);
	r->fmap = angka_xmalloc((size_t)h->files_n * sizeof *r->fmap);
	r->kmap = kks ? angka_xmalloc((size_t)h->kks_n * sizeof *r->kmap) :
	          angka_xcalloc((size_t)h->kks_n, sizeof *r->kmap);
	if ((names &&
	     (rc = map_strings(x, &x->names, r->nstart, r->narena, h->names_n,
	                       r->nmap, e)) != ANGKA_OK) ||
	    (rc = map_strings(x, &x->files, r->fstart, r->farena, h->files_n,
	                      r->fmap, e)) != ANGKA_OK)
		return rc;
	r->kmap[0] = 0;
	for (uint64_t id = 1; id < h->kks_n && kks; id++)
		if ((r->kmap[id] = dedup_u64set_get(&x->kks, r->kks[id])) ==
		    UINT32_MAX)
			return ANGKA_ERR(e, ANGKA_ENOMEM, "'%s': too many distinct "
			                 "No KK values; split the input", r->path);
	/* The row flags (few) copied: the mapping may go before they are
	 * added (load_finish). */
	r->rflags_copy = angka_xmalloc(((size_t)h->nrflags + 1) *
	                               sizeof *r->rflags_copy);
	memcpy(r->rflags_copy, r->rflags, (size_t)h->nrflags *
	                                  sizeof *r->rflags_copy);
	return ANGKA_OK;
}

/* A row's text runs to the next row's start, the line end cut off: a
 * part after the first (k > 0) starts with its first row, and holds one
 * unless it is empty. */
static enum angka_err load_start(const struct recs_part *r, size_t k,
                                 struct angka_error *e)
{
	if (k && (r->h.n ? r->toff[0] != 0 : r->h.part_size != 0))
		return ANGKA_ERR(e, ANGKA_EDATA, "'%s': the part '%s' does not "
		                 "start with a row (blank lines or a header: it "
		                 "goes first)", r->path, r->part);
	return ANGKA_OK;
}

/* Rows [i0, i1) of part r, its first row at row base of the whole and
 * its text at byte fstart of the spool (the parts one after the other):
 * their records in x->rec (as read) checked and their ids mapped, the
 * per-row arrays filled. Ranges of rows touch
 * disjoint entries (x->offbase is filled before): several run at once. */
static enum angka_err load_rows(struct dedup_ctx *x, const struct recs_part *r,
                                uint32_t base, uint64_t fstart, uint64_t i0,
                                uint64_t i1, struct angka_error *e)
{
	const struct recs_head *h = &r->h;
	uint64_t prev_end = i0 ? r->toff[i0 - 1] + r->tlen[i0 - 1] + 1 : 0;
	for (uint64_t i = i0; i < i1; i++) {
		uint32_t g = base + (uint32_t)i;
		struct dedup_rec *d = &x->rec[g];   /* read there: recs_read */
		uint64_t end = r->toff[i] + r->tlen[i];
		if (d->name >= h->names_n || d->file >= h->files_n ||
		    d->kk >= h->kks_n || d->sex > DEDUP_SEX_P ||
		    (r->period && r->period[i] > DEDUP_PERIOD_MAX) ||
		    r->toff[i] < prev_end || end > h->part_size ||
		    end < r->toff[i])
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s': row %llu does not "
			                 "fit its part '%s' (a damaged file)",
			                 r->path, (unsigned long long)i + 1,
			                 r->part);
		prev_end = end + 1;
		d->name = r->nmap[d->name];
		d->file = r->fmap[d->file];
		d->kk = r->kmap[d->kk];
		d->parent = g;
		d->flagged = 0;
		x->name0[g] = r->name0[i];
		if (x->period)
			x->period[g] = r->period[i];
		uint64_t rel = fstart + r->toff[i] -
		               x->offbase[g >> DEDUP_OFF_SHIFT];
		if (rel > UINT32_MAX)
			return ANGKA_ERR(e, ANGKA_ENOMEM, "'%s': rows too long (%u "
			                 "rows over 4 GiB)", r->part,
			                 DEDUP_OFF_BLOCK);
		d->off = (uint32_t)rel;
	}
	return ANGKA_OK;
}

/* The rows of the parts, in pieces of LOAD_PIECE rows taken in turn by
 * the threads (x->s->threads): each row's record (read into x->rec by
 * recs_read) checked and its ids mapped, its extras copied; the pieces
 * are independent. A part's recs are unmapped once its last piece is
 * in. */
#define LOAD_PIECE ((uint64_t)1 << 18)

struct load_piece {
	struct recs_part *r;
	size_t part;
	uint32_t base;
	uint64_t fstart, i0, i1;
	enum angka_err rc;
	struct angka_error e;
};

struct load_work {
	struct dedup_ctx *x;
	struct load_piece *p;
	size_t n;
	atomic_size_t next;
	atomic_size_t *left;         /* per part: pieces not done */
};

/* The whole pages of p[0..n) leave the resident memory (the recs are
 * a private mapping never written: read again, they come back from the
 * file). */
static void drop_pages(const void *p, size_t n, uint64_t page)
{
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
	uintptr_t b = ((uintptr_t)p + n) & ~(uintptr_t)(page - 1);
	if (b > a)
		madvise((void *)a, b - a, MADV_DONTNEED);
}

static void *load_worker(void *arg)
{
	struct load_work *w = arg;
	size_t i;
	while ((i = atomic_fetch_add(&w->next, 1)) < w->n) {
		struct load_piece *p = &w->p[i];
		p->rc = load_rows(w->x, p->r, p->base, p->fstart, p->i0, p->i1,
		                  &p->e);
		/* The piece's offsets, used, go at once. */
		drop_pages(p->r->toff + p->i0, (size_t)(p->i1 - p->i0) *
		           sizeof *p->r->toff, w->x->page);
		if (atomic_fetch_sub(&w->left[p->part], 1) == 1) {
			munmap(p->r->m, p->r->size);
			p->r->m = NULL;
		}
	}
	return NULL;
}

/* The rows of parts 0..np-1 (their maps made); the first failed piece
 * in row order of each part in fail[part] (an index into *pieces, or
 * SIZE_MAX); *pieces freed by the caller. */
static void load_all_rows(struct dedup_ctx *x, struct recs_part *r, size_t np,
                          struct load_piece **pieces, size_t *fail)
{
	size_t n = 0;
	for (size_t k = 0; k < np; k++)
		n += (size_t)((r[k].h.n + LOAD_PIECE - 1) / LOAD_PIECE);
	struct load_piece *p = angka_xcalloc(n ? n : 1, sizeof *p);
	atomic_size_t *left = angka_xmalloc((np ? np : 1) * sizeof *left);
	uint64_t fstart = 0;
	uint32_t base = x->n;
	size_t m = 0;
	for (size_t k = 0; k < np; k++) {
		/* The text offset of each block of DEDUP_OFF_BLOCK rows: its
		 * first row's. */
		for (uint64_t i = (DEDUP_OFF_BLOCK - (base & (DEDUP_OFF_BLOCK - 1))) &
		                  (DEDUP_OFF_BLOCK - 1);
		     i < r[k].h.n; i += DEDUP_OFF_BLOCK)
			x->offbase[(base + i) >> DEDUP_OFF_SHIFT] =
			        fstart + r[k].toff[i];
		size_t m0 = m;
		for (uint64_t i = 0; i < r[k].h.n; i += LOAD_PIECE) {
			p[m].r = &r[k];
			p[m].part = k;
			p[m].base = base;
			p[m].fstart = fstart;
			p[m].i0 = i;
			p[m].i1 = i + LOAD_PIECE < r[k].h.n ? i + LOAD_PIECE
			                                    : r[k].h.n;
			m++;
		}
		atomic_init(&left[k], m - m0);
		fstart += r[k].h.part_size;
		base += (uint32_t)r[k].h.n;
	}
	struct load_work w = { x, p, n, 0, left };
	atomic_init(&w.next, 0);
	recs_run_threads(load_worker, &w, x->s->threads, n);
	for (size_t k = 0; k < np; k++)
		fail[k] = SIZE_MAX;
	for (size_t i = n; i-- > 0;)
		if (p[i].rc != ANGKA_OK)
			fail[p[i].part] = i;
	free(left);
	*pieces = p;
}

/* Part k's row flags and counts, once its rows are in. */
static enum angka_err load_finish(struct dedup_ctx *x, struct recs_part *r,
                                  uint32_t base, struct angka_error *e)
{
	const struct recs_head *h = &r->h;
	const struct dedup_rflag *f = r->rflags_copy;
	for (uint64_t j = 0; j < h->nrflags; j++) {
		if (f[j].row >= h->n)
			return ANGKA_ERR(e, ANGKA_EDATA, "'%s': damaged recs file "
			                 "(row flags)", r->path);
		dedup_rflag_add(x, base + f[j].row, f[j].bits);
	}
	x->st->nik_is_kk += h->nik_is_kk;
	x->st->nik_pattern += h->nik_pattern;
	x->no_nik |= (h->flags & RECS_F_NO_NIK) != 0;
	x->no_nik_dob |= (h->flags & RECS_F_NO_NIK_DOB) != 0;
	return ANGKA_OK;
}

enum angka_err dedup_recs_load(struct dedup_ctx *x, struct angka_error *e)
{
	const struct dedup_opts *o = x->o;
	size_t np = o->nrecs;
	struct recs_part *r = angka_xcalloc(np, sizeof *r);
	enum angka_err rc = ANGKA_OK;
	uint64_t total = 0;
	x->in_name = angka_xstrdup(o->parts[0]);
	for (size_t k = 0; k < np; k++) {
		r[k].path = o->recs[k];
		r[k].part = o->parts[k];
	}
	open_all(r, np, x->s->threads, 0);
	/* x->rec for the rows of the parts opened (the checks that follow
	 * are made in part order once all are read), each part's records
	 * read into their place in it. */
	uint64_t all = 0;
	for (size_t k = 0; k < np; k++)
		if (r[k].orc == ANGKA_OK)
			all += r[k].h.n;
	if (all < UINT32_MAX - 1) {
		size_t cap = all ? (size_t)all : 1;
		x->rec = angka_xmalloc(cap * sizeof *x->rec);
		dedup_hugepage_hint(x->rec, cap * sizeof *x->rec);
		for (size_t k = 0, b = 0; k < np; k++)
			if (r[k].orc == ANGKA_OK) {
				r[k].dst = x->rec + b;
				b += (size_t)r[k].h.n;
			}
	}
	open_all(r, np, x->s->threads, 1);
	for (size_t k = 0; k < np; k++) {
		if ((rc = r[k].orc) != ANGKA_OK) {
			*e = r[k].oe;
			goto out;
		}
		if ((rc = r[k].src) != ANGKA_OK) {
			*e = r[k].se;
			goto out;
		}
		const struct recs_head *h = &r[k].h;
		if (!(h->flags & RECS_F_HEADER) != (k > 0)) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': %s; the recs go in "
			               "the order of the parts, the first with the "
			               "header", r[k].path, k ? "the first part "
			               "(with the header) given later" :
			               "a part without the header given first");
			goto out;
		}
		if (k && (h->nfields != r[0].h.nfields ||
		          h->hdr_bytes != r[0].h.hdr_bytes ||
		          memcmp(r[k].hdr, r[0].hdr, h->hdr_bytes) != 0 ||
		          memcmp(r[k].col, r[0].col, NCOL * 4) != 0 ||
		          (h->flags & RECS_F_PERIOD) !=
		          (r[0].h.flags & RECS_F_PERIOD))) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': another header than "
			               "'%s' (parts of another file?)", r[k].path,
			               r[0].path);
			goto out;
		}
		total += h->n;
	}
	if (total >= UINT32_MAX - 1) {
		rc = ANGKA_ERR(e, ANGKA_ENOMEM, "'%s': more than %u rows; split "
		               "the input (e.g. by province)", x->in_name,
		               UINT32_MAX - 2);
		goto out;
	}
	/* The header, as the read pass leaves it. */
	x->nfields = r[0].h.nfields;
	x->header = angka_xcalloc(x->nfields, sizeof *x->header);
	const char *q = r[0].hdr, *qend = r[0].hdr + r[0].h.hdr_bytes;
	for (size_t i = 0; i < x->nfields; i++) {
		if (q >= qend) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': damaged recs file "
			               "(header)", r[0].path);
			goto out;
		}
		x->header[i] = angka_xstrdup(q);
		q += strlen(q) + 1;
	}
	for (int k = 0; k < NCOL; k++) {
		x->col[k] = r[0].col[k];
		if (x->col[k] < -1 || x->col[k] >= (int)x->nfields) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': damaged recs file "
			               "(columns)", r[0].path);
			goto out;
		}
	}
	if (x->col[COL_SRC_FILE] < 0 || x->col[COL_SRC_LINE] < 0 ||
	    x->col[COL_NIK] < 0) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s': damaged recs file "
		               "(columns)", r[0].path);
		goto out;
	}
	size_t cap = total ? (size_t)total : 1;
	x->name0 = angka_xmalloc(cap);
	dedup_hugepage_hint(x->name0, cap);
	if (r[0].h.flags & RECS_F_PERIOD)
		x->period = angka_xmalloc(cap * sizeof *x->period);
	x->offbase = angka_xmalloc(((cap >> DEDUP_OFF_SHIFT) + 1) *
	                           sizeof *x->offbase);
	/* The rows' text stays in the parts (a shard needs none). */
	if (!o->pairs_out &&
	    (rc = dedup_spool_files(&x->spool, o->parts, np, e)) != ANGKA_OK)
		goto out;
	/* A shard interns what its cells read; the merge and a plain run
	 * all of it. */
	unsigned need = o->pairs_out && o->shard_n ?
	                dedup_shard_needs(o->shard_k, o->shard_n) :
	                DEDUP_SHARD_NAMES | DEDUP_SHARD_KK;
	/* The No KK values of all parts (fewer if parts share some):
	 * the set does not grow and rehash on the way. */
	uint64_t kks = 0;
	for (size_t k = 0; k < np; k++)
		kks += r[k].h.kks_n;
	if (need & DEDUP_SHARD_KK)
		dedup_u64set_reserve(&x->kks, (size_t)kks);
	/* The ids in part order (one thread), then the rows (pieces on
	 * the threads), then each part's flags; the first error in the
	 * order one pass through the parts meets them. */
	struct angka_error me;
	enum angka_err mrc = ANGKA_OK;
	size_t nmapped = 0;
	while (nmapped < np &&
	       (mrc = load_maps(x, &r[nmapped], need, &me)) == ANGKA_OK)
		nmapped++;
	/* (Checked before the rows: a part's recs go once its rows are.) */
	struct angka_error *se = angka_xcalloc(np ? np : 1, sizeof *se);
	enum angka_err *src = angka_xcalloc(np ? np : 1, sizeof *src);
	for (size_t k = 0; k < nmapped; k++)
		src[k] = load_start(&r[k], k, &se[k]);
	struct load_piece *pieces = NULL;
	size_t *fail = angka_xmalloc((np ? np : 1) * sizeof *fail);
	load_all_rows(x, r, nmapped, &pieces, fail);
	for (size_t k = 0; k < np && rc == ANGKA_OK; k++) {
		if (k == nmapped) {
			*e = me;
			rc = mrc;
		} else if (src[k] != ANGKA_OK) {
			*e = se[k];
			rc = src[k];
		} else if (fail[k] != SIZE_MAX) {
			*e = pieces[fail[k]].e;
			rc = pieces[fail[k]].rc;
		} else {
			rc = load_finish(x, &r[k], x->n, e);
			x->n += (uint32_t)r[k].h.n;
		}
	}
	free(pieces);
	free(fail);
	free(se);
	free(src);
	if (rc != ANGKA_OK)
		goto out;
	dedup_intern_freeze(&x->names);
	dedup_intern_freeze(&x->files);
	dedup_u64set_freeze(&x->kks);
out:
	for (size_t k = 0; k < np; k++) {
		if (r[k].m)
			munmap(r[k].m, r[k].size);
		free(r[k].nmap);
		free(r[k].fmap);
		free(r[k].kmap);
		free(r[k].rflags_copy);
	}
	free(r);
	return rc;
}
