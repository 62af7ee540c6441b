/*
 * input.c - threaded byte input, plain or gzip.
 *
 * Producer thread: read or inflate into a free buffer until it is full or
 * the stream ends, then hand it to the consumer; or, for a binary format,
 * the format's reader writes CSV text through angka_input_put()
 * (input_int.h). Consumer: angka_input_next() returns the oldest full
 * buffer and recycles the one returned by the previous call.
 *
 * gzip is inflated by ISA-L's igzip (several times faster than zlib's
 * inflate), with zlib gzread()'s rules for what a gzip file is: gzip when
 * the first two bytes are the gzip magic, else the bytes as they are;
 * members concatenated one after the other; after a member, bytes that do
 * not start with the magic are ignored (gzip -d warns "trailing garbage
 * ignored"); a header with reserved flag bits set is corrupt; a stream
 * that ends inside a member is truncated.
 */
#include "input.h"
#include "input_int.h"
#include "csv_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_include)
#if !__has_include(<isa-l/igzip_lib.h>)
#error "angka reads gzip with ISA-L: install libisal-dev (scripts/install-deps.sh)"
#endif
#endif
#include <isa-l/igzip_lib.h>

struct slot {
	char *buf;
	size_t len;
};

/* What gz_fill() does next: look at the next bytes (the start of the
 * stream or of a member), copy plain bytes, read a member's header,
 * inflate its body and check its trailer, or nothing (the end, or
 * trailing garbage after the last member). */
enum gz_how { GZ_LOOK, GZ_COPY, GZ_HEADER, GZ_INFLATE, GZ_DONE };

enum { GZ_INBUF = 1 << 18 };  /* read(2) size: large reads, also on pipes */

/* Text input: the descriptor, the compressed bytes read ahead, and the
 * inflate state. */
struct gz {
	int fd;
	unsigned char *buf;   /* GZ_INBUF bytes */
	size_t pos, have;     /* unread bytes: buf[pos, pos + have) */
	int eof;              /* read(2) returned 0 */
	int direct;           /* -1 not known, 1 plain, 0 gzip */
	enum gz_how how;
	struct inflate_state *st;
	/* isal_inflate() with ISAL_GZIP forgets a header's flags when the
	 * header spans two calls; isal_read_gzip_header() keeps them here. */
	struct isal_gzip_header hdr;
};

struct angka_input {
	char *name;
	int fd;            /* the binary formats read it (gz owns its own) */
	enum angka_input_kind kind;
	struct gz *gz;
	pthread_t thread;
	int thread_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot slots[ANGKA_INPUT_NBUF];
	/* ring: slots [head, head+count) are full, in order; while held, the
	 * consumer reads slot head, which still counts as full. */
	unsigned head, count;
	int held;          /* consumer holds slot `head` (returned last call) */
	int eof;           /* producer finished (no more slots will fill) */
	int stop;          /* consumer asks the producer to stop */
	int failed;        /* producer hit an error: msg below */
	enum angka_err errcode;
	int gzip;          /* 1 if gzip, 0 plain, -1 not known yet */
	char errmsg[512];
	uint64_t bytes;
	/* Producer side: the slot being filled (-1: none). */
	int cur;
};

static struct angka_input_opts input_opts;

void angka_input_set_opts(const struct angka_input_opts *o)
{
	input_opts = *o;
}

const struct angka_input_opts *angka_input_get_opts(void)
{
	return &input_opts;
}

const char *angka_input_kind_name(enum angka_input_kind k)
{
	switch (k) {
	case ANGKA_IN_TEXT: return "text";
	case ANGKA_IN_UTF16LE: return "UTF-16LE text";
	case ANGKA_IN_UTF16BE: return "UTF-16BE text";
	case ANGKA_IN_DTA: return "Stata .dta";
	case ANGKA_IN_SAV: return "SPSS .sav";
	case ANGKA_IN_POR: return "SPSS portable .por";
	case ANGKA_IN_SAS7BDAT: return "SAS .sas7bdat";
	case ANGKA_IN_XPT: return "SAS transport .xpt";
	case ANGKA_IN_XLSX: return "Excel .xlsx";
	}
	return "unknown";
}

/*
 * The kind shown by the first n bytes of a file: the magic numbers of
 * the formats libreadstat reads, a zip archive (taken for .xlsx; read_xlsx
 * says so if it holds no workbook), else text. Returns -2 for the formats
 * angka cannot read but can name (an old .xls), with what in *what.
 */
static int sniff_magic(const unsigned char *h, size_t n, const char **what)
{
	static const unsigned char sas7bdat[32] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xC2, 0xEA, 0x81, 0x60,
		0xB3, 0x14, 0x11, 0xCF, 0xBD, 0x92, 0x08, 0x00, 0x09, 0xC7,
		0x31, 0x8C, 0x18, 0x1F, 0x10, 0x11
	};
	if (n >= 11 && memcmp(h, "<stata_dta>", 11) == 0)
		return ANGKA_IN_DTA;
	/* Stata 104-115: version, byte order 1|2, file type 1, 0. */
	if (n >= 4 && h[0] >= 104 && h[0] <= 115 && (h[1] == 1 || h[1] == 2) &&
	    h[2] == 1 && h[3] == 0)
		return ANGKA_IN_DTA;
	if (n >= 4 && (memcmp(h, "$FL2", 4) == 0 || memcmp(h, "$FL3", 4) == 0))
		return ANGKA_IN_SAV;
	if (n >= 32 && memcmp(h, sas7bdat, 32) == 0)
		return ANGKA_IN_SAS7BDAT;
	if (n >= 23 && memcmp(h, "HEADER RECORD*******LIB", 23) == 0)
		return ANGKA_IN_XPT;
	if (n >= 4 && memcmp(h, "PK\x03\x04", 4) == 0)
		return ANGKA_IN_XLSX;
	if (n >= 8 && memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		*what = "an old Excel .xls (or other OLE2) file; save it as "
		        ".xlsx or CSV";
		return -2;
	}
	/* SPSS portable: a 200-byte splash, a 256-byte character table,
	 * then "SPSSPORT" (in lines of 80 with line ends). */
	for (size_t i = 0; n >= 470 && i + 8 <= n; i++)
		if (h[i] == 'S' && memcmp(h + i, "SPSSPORT", 8) == 0)
			return ANGKA_IN_POR;
	return ANGKA_IN_TEXT;
}

enum { SNIFF_BYTES = 1024 };

int angka_input_sniff_path(const char *path, struct angka_error *e)
{
	int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO)
	                                 : open(path, O_RDONLY | O_CLOEXEC);
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (fd < 0)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot open '%s':", name), -1;
	unsigned char h[SNIFF_BYTES];
	off_t off = lseek(fd, 0, SEEK_CUR);
	ssize_t n = off < 0 ? 0 : pread(fd, h, sizeof h, off);
	close(fd);
	const char *what = NULL;
	int k = sniff_magic(h, n > 0 ? (size_t)n : 0, &what);
	return k < 0 ? ANGKA_IN_TEXT : k;
}

/* Producer side: wait for a free slot; -1 when the consumer stopped. */
static int acquire(struct angka_input *in)
{
	if (in->cur >= 0)
		return 0;
	pthread_mutex_lock(&in->mu);
	while (!in->stop && in->count >= ANGKA_INPUT_NBUF)
		pthread_cond_wait(&in->cv, &in->mu);
	int stop = in->stop;
	if (!stop) {
		in->cur = (int)((in->head + in->count) % ANGKA_INPUT_NBUF);
		in->slots[in->cur].len = 0;
	}
	pthread_mutex_unlock(&in->mu);
	return stop ? -1 : 0;
}

/* Hand the current slot to the consumer (if it holds bytes); with last,
 * the stream ends there. */
static void publish(struct angka_input *in, int last)
{
	pthread_mutex_lock(&in->mu);
	if (in->cur >= 0 && in->slots[in->cur].len > 0) {
		in->count++;
		in->cur = -1;
	}
	if (last)
		in->eof = 1;
	pthread_cond_broadcast(&in->cv);
	pthread_mutex_unlock(&in->mu);
}

char *angka_input_space(struct angka_input *in, size_t *avail)
{
	if (acquire(in))
		return NULL;
	struct slot *s = &in->slots[in->cur];
	*avail = ANGKA_INPUT_BUFSZ - s->len;
	return s->buf + s->len;
}

void angka_input_commit(struct angka_input *in, size_t n)
{
	struct slot *s = &in->slots[in->cur];
	s->len += n;
	if (s->len == ANGKA_INPUT_BUFSZ)
		publish(in, 0);
}

int angka_input_put(struct angka_input *in, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		size_t avail;
		char *dst = angka_input_space(in, &avail);
		if (!dst)
			return -1;
		size_t k = n < avail ? n : avail;
		memcpy(dst, c, k);
		angka_input_commit(in, k);
		c += k;
		n -= k;
	}
	return 0;
}

void angka_input_fail(struct angka_input *in, enum angka_err code,
                      const char *fmt, ...)
{
	pthread_mutex_lock(&in->mu);
	if (!in->failed) {
		in->failed = 1;
		in->errcode = code;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(in->errmsg, sizeof in->errmsg, fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&in->mu);
}

/* One read(2) of the stream into p[0, cap), again after EINTR: the bytes
 * read (0: the end, eof set), or -1 on error (failed). */
static ssize_t gz_read(struct angka_input *in, void *p, size_t cap)
{
	struct gz *g = in->gz;
	for (;;) {
		ssize_t n = read(g->fd, p, cap);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			angka_input_fail(in, ANGKA_EGZIP, "'%s': read error: %s",
			                 in->name, strerror(errno));
			return -1;
		}
		if (n == 0)
			g->eof = 1;
		return n;
	}
}

/* Read more input after the unread bytes: 0 (eof set at the end), -1 on
 * a read error (failed). */
static int gz_load(struct angka_input *in)
{
	struct gz *g = in->gz;
	if (g->pos > 0) {
		memmove(g->buf, g->buf + g->pos, g->have);
		g->pos = 0;
	}
	/* One read(2) that gives bytes is enough: inflate takes what
	 * there is. */
	if (!g->eof && g->have < GZ_INBUF) {
		ssize_t n = gz_read(in, g->buf + g->have, GZ_INBUF - g->have);
		if (n < 0)
			return -1;
		g->have += (size_t)n;
	}
	return 0;
}

static void gz_truncated(struct angka_input *in)
{
	angka_input_fail(in, ANGKA_EGZIP, "'%s': truncated gzip stream "
	                 "(unexpected end of file)", in->name);
}

static void gz_corrupt(struct angka_input *in, const char *why)
{
	angka_input_fail(in, ANGKA_EGZIP, "'%s': corrupt gzip stream: %s",
	                 in->name, why);
}

/* At the start of the stream or after a member: the gzip magic starts a
 * member; else the whole stream is plain text (at its start) or the rest
 * is trailing garbage and ignored (after a member), as zlib's gz_look.
 * 0, or -1 on error (failed). */
static int gz_look(struct angka_input *in)
{
	struct gz *g = in->gz;
	while (g->have < 2 && !g->eof)   /* a pipe may give a byte at a time */
		if (gz_load(in))
			return -1;
	if (g->have == 0) {
		g->how = GZ_DONE;
		if (g->direct < 0)
			g->direct = 1;
		return 0;
	}
	const unsigned char *h = g->buf + g->pos;
	if (g->have >= 2 && h[0] == 0x1f && h[1] == 0x8b) {
		/* zlib rejects what igzip would skip: reserved flags. */
		while (g->have < 4 && !g->eof)
			if (gz_load(in))
				return -1;
		h = g->buf + g->pos;
		if (g->have < 4) {
			gz_truncated(in);
			return -1;
		}
		if (h[2] != 8) {
			gz_corrupt(in, "unknown compression method");
			return -1;
		}
		if (h[3] & 0xe0) {
			gz_corrupt(in, "unknown header flags set");
			return -1;
		}
		isal_inflate_reset(g->st);
		isal_gzip_header_init(&g->hdr);
		g->direct = 0;
		g->how = GZ_HEADER;
		return 0;
	}
	if (g->direct == 0) {
		g->have = 0;     /* trailing garbage after a member */
		g->how = GZ_DONE;
		return 0;
	}
	g->direct = 1;
	g->how = GZ_COPY;
	return 0;
}

/* The decoder made no progress on the bytes buffered: read more (0), or
 * fail (-1): the stream ended mid-member (truncated), the buffer is full
 * and still not enough (corrupt: why), or a read error. */
static int gz_need_more(struct angka_input *in, const char *why)
{
	struct gz *g = in->gz;
	if (g->eof) {
		gz_truncated(in);
		return -1;
	}
	if (g->have >= GZ_INBUF) {
		gz_corrupt(in, why);
		return -1;
	}
	return gz_load(in);
}

static const char *isal_why(int ret)
{
	switch (ret) {
	case ISAL_INVALID_BLOCK: return "invalid block type or header";
	case ISAL_INVALID_SYMBOL: return "invalid literal/length or distance code";
	case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER: return "invalid gzip header";
	case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM:
		return "incorrect data check (CRC-32 or length)";
	}
	return "inflate error";
}

/* A member's header (name, comment, extra field, header CRC), however it
 * falls across reads: 0 (how is then GZ_INFLATE), -1 on error (failed). */
static int gz_header(struct angka_input *in)
{
	struct gz *g = in->gz;
	for (;;) {
		g->st->next_in = g->buf + g->pos;
		g->st->avail_in = (uint32_t)g->have;
		int ret = isal_read_gzip_header(g->st, &g->hdr);
		size_t used = g->have - g->st->avail_in;
		g->pos += used;
		g->have -= used;
		if (ret == ISAL_DECOMP_OK) {
			/* the body, then the trailer's CRC-32 and ISIZE */
			g->st->crc_flag = ISAL_GZIP_NO_HDR_VER;
			g->how = GZ_INFLATE;
			return 0;
		}
		if (ret != ISAL_END_INPUT) {
			gz_corrupt(in, ret == ISAL_INCORRECT_CHECKSUM ?
			           "header crc mismatch" : isal_why(ret));
			return -1;
		}
		if (gz_need_more(in, "gzip header makes no progress"))
			return -1;
	}
}

/* Inflate the current member into p[0, cap): the bytes written (the member
 * may end before cap: how is then GZ_LOOK), -1 on error (failed). */
static long gz_inflate(struct angka_input *in, char *p, size_t cap)
{
	struct gz *g = in->gz;
	struct inflate_state *st = g->st;
	st->next_out = (uint8_t *)p;
	st->avail_out = (uint32_t)cap;
	while (st->avail_out > 0) {
		if (g->have == 0 && !g->eof && gz_load(in))
			return -1;
		st->next_in = g->buf + g->pos;
		st->avail_in = (uint32_t)g->have;
		uint32_t out0 = st->avail_out;
		int ret = isal_inflate(st);
		size_t used = g->have - st->avail_in;
		g->pos += used;
		g->have -= used;
		if (ret != ISAL_DECOMP_OK) {
			gz_corrupt(in, isal_why(ret));
			return -1;
		}
		if (st->block_state == ISAL_BLOCK_FINISH) {
			g->how = GZ_LOOK;
			break;
		}
		/* No progress: the member goes on past the end of the
		 * stream, or igzip needs more bytes at once. */
		if (used == 0 && st->avail_out == out0 &&
		    gz_need_more(in, "inflate makes no progress"))
			return -1;
	}
	return (long)(cap - st->avail_out);
}

/* Plain bytes: what is read ahead, then read(2) straight into p. */
static long gz_copy(struct angka_input *in, char *p, size_t cap)
{
	struct gz *g = in->gz;
	size_t len = g->have < cap ? g->have : cap;
	memcpy(p, g->buf + g->pos, len);
	g->pos += len;
	g->have -= len;
	while (len < cap && !g->eof) {
		ssize_t n = gz_read(in, p + len, cap - len);
		if (n < 0)
			return -1;
		len += (size_t)n;
	}
	if (len < cap)
		g->how = GZ_DONE;
	return (long)len;
}

/* Read into p until cap bytes or the end: the bytes read, -1 on error
 * (failed). Plain files pass through. */
static long gz_fill(struct angka_input *in, char *p, size_t cap)
{
	struct gz *g = in->gz;
	size_t len = 0;
	while (len < cap && g->how != GZ_DONE) {
		long n = 0;
		if (g->how == GZ_LOOK)
			n = gz_look(in);
		else if (g->how == GZ_HEADER)
			n = gz_header(in);
		else if (g->how == GZ_COPY)
			n = gz_copy(in, p + len, cap - len);
		else
			n = gz_inflate(in, p + len, cap - len);
		if (n < 0)
			return -1;
		len += (size_t)n;
	}
	return (long)len;
}

/* UTF-16 text: raw bytes through iconv into the ring. */
static int produce_utf16(struct angka_input *in, char *raw, size_t len)
{
	struct angka_utf16 *u = angka_utf16_open(in->kind);
	if (!u) {
		angka_input_fail(in, ANGKA_EIO, "'%s': cannot convert %s to UTF-8 "
		                 "(iconv)", in->name, angka_input_kind_name(in->kind));
		return -1;
	}
	int rc = 0;
	for (;;) {
		if (angka_utf16_put(u, in, raw, len, 0)) {
			rc = -1;
			break;
		}
		long n = gz_fill(in, raw, ANGKA_INPUT_BUFSZ / 2);
		if (n < 0) {
			rc = -1;
			break;
		}
		if (n == 0) {
			rc = angka_utf16_put(u, in, raw, 0, 1);
			break;
		}
		len = (size_t)n;
	}
	angka_utf16_close(u);
	return rc;
}

/* Text, plain or gzip, read straight into the ring; UTF-16 converted. */
static int produce_text(struct angka_input *in)
{
	int first = 1;
	for (;;) {
		size_t avail;
		char *dst = angka_input_space(in, &avail);
		if (!dst)
			return -1;
		/* The first chunk is at most half a buffer: UTF-16 is
		 * converted from a copy of it into the ring. */
		size_t want = first && avail > ANGKA_INPUT_BUFSZ / 2
		              ? ANGKA_INPUT_BUFSZ / 2 : avail;
		long n = gz_fill(in, dst, want);
		if (n < 0)
			return -1;
		if (first && n > 0) {
			pthread_mutex_lock(&in->mu);
			in->gzip = in->gz->direct == 0;
			pthread_mutex_unlock(&in->mu);
			const unsigned char *h = (const unsigned char *)dst;
			const char *what = NULL;
			int k = sniff_magic(h, (size_t)n, &what);
			if (k != ANGKA_IN_TEXT) {
				angka_input_fail(in, ANGKA_ESCHEMA, "'%s': %s%s",
				                 in->name, k == -2 ? what :
				                 angka_input_kind_name(k),
				                 k == -2 ? "" : " file: angka reads it "
				                 "from a file, not from a pipe or "
				                 "inside gzip");
				return -1;
			}
			enum angka_input_kind u = angka_utf16_sniff(h, (size_t)n);
			if (u != ANGKA_IN_TEXT) {
				pthread_mutex_lock(&in->mu);
				in->kind = u;
				pthread_mutex_unlock(&in->mu);
				char *raw = malloc(ANGKA_INPUT_BUFSZ / 2);
				if (!raw) {
					angka_input_fail(in, ANGKA_ENOMEM,
					                 "'%s': out of memory", in->name);
					return -1;
				}
				memcpy(raw, dst, (size_t)n);
				int rc = produce_utf16(in, raw, (size_t)n);
				free(raw);
				return rc;
			}
		}
		first = 0;
		if (n == 0)
			return 0;
		angka_input_commit(in, (size_t)n);
		if ((size_t)n < want)
			return 0;  /* gz_fill stops short only at the end */
	}
}

static void *producer(void *arg)
{
	struct angka_input *in = arg;
	int rc;
	if (in->kind == ANGKA_IN_XLSX)
		rc = angka_read_xlsx(in, in->fd, &input_opts);
	else if (in->kind != ANGKA_IN_TEXT)
		rc = angka_read_stat(in, in->fd, in->kind, &input_opts);
	else
		rc = produce_text(in);
	(void)rc;  /* an error is in in->failed; the end is the same */
	pthread_mutex_lock(&in->mu);
	int stopped = in->stop;
	pthread_mutex_unlock(&in->mu);
	if (!stopped)
		publish(in, 1);
	return NULL;
}

enum angka_err angka_input_open(struct angka_input **out, const char *path,
                                struct angka_error *e)
{
	return angka_input_open_at(out, path, 0, e);
}

enum angka_err angka_input_open_at(struct angka_input **out, const char *path,
                                   uint64_t offset, struct angka_error *e)
{
	*out = NULL;
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	struct angka_input *in = calloc(1, sizeof *in);
	if (!in)
		return ANGKA_ERR(e, ANGKA_ENOMEM, "'%s': out of memory", name);
	in->gzip = -1;
	in->fd = -1;
	in->cur = -1;
	in->name = strdup(name);
	if (!in->name)
		goto nomem;
	for (int i = 0; i < ANGKA_INPUT_NBUF; i++) {
		in->slots[i].buf = malloc(ANGKA_INPUT_BUFSZ);
		if (!in->slots[i].buf)
			goto nomem;
	}
	int fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO, "cannot open '%s':", name);
		angka_input_close(in, 1, NULL);
		return rc;
	}
	if (offset && lseek(fd, (off_t)offset, SEEK_SET) < 0) {
		enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO, "cannot seek in '%s':",
		                              name);
		close(fd);
		angka_input_close(in, 1, NULL);
		return rc;
	}
	/* The first bytes of a file (not a pipe: it cannot be read twice)
	 * tell a binary format from text. */
	off_t off = lseek(fd, 0, SEEK_CUR);
	if (off >= 0) {
		unsigned char h[SNIFF_BYTES];
		ssize_t n = pread(fd, h, sizeof h, off);
		const char *what = NULL;
		int k = n > 0 ? sniff_magic(h, (size_t)n, &what) : ANGKA_IN_TEXT;
		if (k == -2) {
			close(fd);
			angka_input_close(in, 1, NULL);
			return ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s': %s", name, what);
		}
		in->kind = (enum angka_input_kind)k;
	}
	if (in->kind != ANGKA_IN_TEXT) {
		in->fd = fd;
		in->gzip = 0;
	} else {
		if (is_stdin)
			angka_pipe_grow(fd);
		in->gz = calloc(1, sizeof *in->gz);
		if (!in->gz) {
			close(fd);
			goto nomem;
		}
		in->gz->fd = fd;
		in->gz->direct = -1;
		in->gz->how = GZ_LOOK;
		in->gz->buf = malloc(GZ_INBUF);
		in->gz->st = malloc(sizeof *in->gz->st);
		if (!in->gz->buf || !in->gz->st)
			goto nomem;
		isal_inflate_init(in->gz->st);
	}
	pthread_mutex_init(&in->mu, NULL);
	pthread_cond_init(&in->cv, NULL);
	if (pthread_create(&in->thread, NULL, producer, in) != 0) {
		enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO,
		                              "'%s': cannot start reader thread", name);
		pthread_mutex_destroy(&in->mu);
		pthread_cond_destroy(&in->cv);
		angka_input_close(in, 1, NULL);
		return rc;
	}
	in->thread_started = 1;
	*out = in;
	return ANGKA_OK;
nomem:
	angka_input_close(in, 1, NULL);
	return ANGKA_ERR(e, ANGKA_ENOMEM, "'%s': out of memory", name);
}

int angka_input_next(struct angka_input *in, const char **data, size_t *len,
                     struct angka_error *e)
{
	pthread_mutex_lock(&in->mu);
	if (in->held) {
		in->held = 0;
		in->head = (in->head + 1) % ANGKA_INPUT_NBUF;
		in->count--;
		pthread_cond_broadcast(&in->cv);
	}
	while (in->count == 0 && !in->eof)
		pthread_cond_wait(&in->cv, &in->mu);
	int rc;
	if (in->count > 0) {
		struct slot *s = &in->slots[in->head];
		in->held = 1;
		*data = s->buf;
		*len = s->len;
		in->bytes += s->len;
		rc = 1;
	} else if (in->failed) {
		ANGKA_ERR(e, in->errcode, "%s", in->errmsg);
		rc = -1;
	} else {
		rc = 0;
	}
	pthread_mutex_unlock(&in->mu);
	return rc;
}

const char *angka_input_name(const struct angka_input *in)
{
	return in->name;
}

int angka_input_is_gzip(const struct angka_input *in)
{
	return in->gzip;
}

enum angka_input_kind angka_input_kind(const struct angka_input *in)
{
	struct angka_input *m = (struct angka_input *)in;
	pthread_mutex_lock(&m->mu);
	enum angka_input_kind k = in->kind;
	pthread_mutex_unlock(&m->mu);
	return k;
}

uint64_t angka_input_bytes(const struct angka_input *in)
{
	return in->bytes;
}

enum angka_err angka_input_close(struct angka_input *in, int early_stop,
                                 struct angka_error *e)
{
	if (!in)
		return ANGKA_OK;
	enum angka_err rc = ANGKA_OK;
	if (in->thread_started) {
		pthread_mutex_lock(&in->mu);
		in->stop = 1;
		pthread_cond_broadcast(&in->cv);
		pthread_mutex_unlock(&in->mu);
		pthread_join(in->thread, NULL);
		if (in->failed && !early_stop)
			rc = ANGKA_ERR(e, in->errcode, "%s", in->errmsg);
		else if (!in->eof && !early_stop)
			rc = ANGKA_ERR(e, ANGKA_EINTERNAL,
			               "'%s': closed before end of input", in->name);
		pthread_mutex_destroy(&in->mu);
		pthread_cond_destroy(&in->cv);
	}
	if (in->gz) {
		if (close(in->gz->fd) != 0 && rc == ANGKA_OK && !early_stop)
			rc = ANGKA_ERR(e, ANGKA_EIO, "'%s': error closing input:",
			               in->name);
		free(in->gz->buf);
		free(in->gz->st);
		free(in->gz);
	}
	if (in->fd >= 0)
		close(in->fd);
	for (int i = 0; i < ANGKA_INPUT_NBUF; i++)
		free(in->slots[i].buf);
	free(in->name);
	free(in);
	return rc;
}
