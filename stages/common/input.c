/*
 * input.c - threaded, zlib-transparent byte input.
 *
 * Producer thread: gzread() into a free buffer until it is full or the stream
 * ends, then hand it to the consumer. Consumer: angka_input_next() returns the
 * oldest full buffer and recycles the one returned by the previous call.
 * A small regular file has no producer: angka_input_next() refills its one
 * 64 KiB slot itself.
 */
#include "input.h"
#include "csv_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct slot {
	char *buf;
	size_t len;
};

struct angka_input {
	char *name;
	gzFile gz;
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
	int gzip;          /* 1 if gzip, 0 plain, -1 not known yet */
	int sync;          /* small regular file: no producer, one slot */
	size_t bufsz;      /* bytes per slot */
	char errmsg[512];
	uint64_t bytes;
};

/*
 * Fill slot s from the stream: up to in->bufsz bytes, less at its end.
 * Sets s->len, and on the end or an error in->eof, in->failed and
 * in->errmsg. locked_update (the producer): the state is updated under
 * in->mu, which is left locked for the caller to unlock.
 */
static void fill_slot(struct angka_input *in, struct slot *s, int locked_update)
{
	size_t len = 0;
	int err = 0, zerr = Z_OK;
	const char *zmsg = NULL;
	while (len < in->bufsz) {
		size_t want = in->bufsz - len;
		int n = gzread(in->gz, s->buf + len, (unsigned)want);
		if (n < 0) {
			zmsg = gzerror(in->gz, &zerr);
			err = 1;
			break;
		}
		if (n == 0) {
			/* gzread returns 0 both at clean EOF and for a
			 * truncated stream; gzerror tells them apart. */
			zmsg = gzerror(in->gz, &zerr);
			if (zerr != Z_OK)
				err = 1;
			break;
		}
		len += (size_t)n;
	}
	int gzip = !gzdirect(in->gz);

	if (locked_update)
		pthread_mutex_lock(&in->mu);
	in->gzip = gzip;
	if (len > 0) {
		s->len = len;
		in->count++;
	}
	if (err) {
		in->failed = 1;
		if (zerr == Z_ERRNO)
			snprintf(in->errmsg, sizeof in->errmsg,
			         "'%s': read error: %s", in->name,
			         strerror(errno));
		else if (zerr == Z_BUF_ERROR)
			snprintf(in->errmsg, sizeof in->errmsg,
			         "'%s': truncated gzip stream "
			         "(unexpected end of file)", in->name);
		else
			snprintf(in->errmsg, sizeof in->errmsg,
			         "'%s': corrupt gzip stream: %s",
			         in->name, zmsg ? zmsg : "unknown");
	}
	if (err || len < in->bufsz)
		in->eof = 1;
}

static void *producer(void *arg)
{
	struct angka_input *in = arg;
	unsigned slot_index = 0;
	for (;;) {
		pthread_mutex_lock(&in->mu);
		while (!in->stop && in->count >= ANGKA_INPUT_NBUF)
			pthread_cond_wait(&in->cv, &in->mu);
		if (in->stop) {
			pthread_mutex_unlock(&in->mu);
			return NULL;
		}
		slot_index = (in->head + in->count) % ANGKA_INPUT_NBUF;
		pthread_mutex_unlock(&in->mu);

		fill_slot(in, &in->slots[slot_index], 1);
		pthread_cond_broadcast(&in->cv);
		int done = in->eof;
		pthread_mutex_unlock(&in->mu);
		if (done)
			return NULL;
	}
}

enum angka_err angka_input_open(struct angka_input **out, const char *path,
                                struct angka_error *e)
{
	*out = NULL;
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	struct angka_input *in = calloc(1, sizeof *in);
	if (!in)
		return ANGKA_ERR(e, ANGKA_ENOMEM, "'%s': out of memory", name);
	in->gzip = -1;
	in->name = strdup(name);
	if (!in->name)
		goto nomem;
	int fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO, "cannot open '%s':", name);
		angka_input_close(in, 1, NULL);
		return rc;
	}
	/* A small regular file is read in the caller's thread through one
	 * small slot: a thread and 4 MiB of buffers cost more than reading
	 * it (the region and line tables; the fuzz targets, millions of
	 * times). Its decompressed size may still be anything: the slot is
	 * refilled as often as needed. */
	struct stat sb;
	in->sync = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	           sb.st_size <= (off_t)(ANGKA_INPUT_BUFSZ / 16);
	in->bufsz = in->sync ? (size_t)1 << 16 : ANGKA_INPUT_BUFSZ;
	for (int i = 0; i < (in->sync ? 1 : ANGKA_INPUT_NBUF); i++) {
		in->slots[i].buf = malloc(in->bufsz);
		if (!in->slots[i].buf) {
			close(fd);
			goto nomem;
		}
	}
	if (is_stdin)
		angka_pipe_grow(fd);
	in->gz = gzdopen(fd, "rb");
	if (!in->gz) {
		close(fd);
		goto nomem;
	}
	/* zlib reads with read(2) into this buffer: large reads, also on pipes. */
	gzbuffer(in->gz, in->sync ? 1 << 13 : 1 << 18);
	if (in->sync) {
		*out = in;
		return ANGKA_OK;
	}
	pthread_mutex_init(&in->mu, NULL);
	pthread_cond_init(&in->cv, NULL);
	if (pthread_create(&in->thread, NULL, producer, in) != 0) {
		enum angka_err rc = ANGKA_ERR(e, ANGKA_EIO,
		                              "'%s': cannot start reader thread", name);
		pthread_mutex_destroy(&in->mu);
		pthread_cond_destroy(&in->cv);
		gzclose_r(in->gz);
		in->gz = NULL;
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
	if (in->sync) {
		in->held = 0;
		in->count = 0;
		if (!in->eof)
			fill_slot(in, &in->slots[0], 0);
		if (in->count > 0) {
			in->held = 1;
			*data = in->slots[0].buf;
			*len = in->slots[0].len;
			in->bytes += in->slots[0].len;
			return 1;
		}
		if (in->failed)
			return ANGKA_ERR(e, ANGKA_EGZIP, "%s", in->errmsg), -1;
		return 0;
	}
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
		ANGKA_ERR(e, ANGKA_EGZIP, "%s", in->errmsg);
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
		pthread_mutex_destroy(&in->mu);
		pthread_cond_destroy(&in->cv);
	}
	if (in->thread_started || in->sync) {
		if (in->failed && !early_stop)
			rc = ANGKA_ERR(e, ANGKA_EGZIP, "%s", in->errmsg);
		else if (!in->eof && !early_stop)
			rc = ANGKA_ERR(e, ANGKA_EINTERNAL,
			               "'%s': closed before end of input", in->name);
	}
	if (in->gz) {
		int z = gzclose_r(in->gz);
		if (z != Z_OK && rc == ANGKA_OK && !early_stop) {
			if (z == Z_BUF_ERROR)
				rc = ANGKA_ERR(e, ANGKA_EGZIP,
				               "'%s': truncated gzip stream "
				               "(unexpected end of file)", in->name);
			else
				rc = ANGKA_ERR(e, ANGKA_EGZIP,
				               "'%s': error closing input (zlib %d)",
				               in->name, z);
		}
	}
	for (int i = 0; i < ANGKA_INPUT_NBUF; i++)
		free(in->slots[i].buf);
	free(in->name);
	free(in);
	return rc;
}
