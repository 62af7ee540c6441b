/*
 * export.c - the pseudonymized DTKS extract for sharing
 * (shared/dtks_pseudonim.csv), a driver-internal step run when [run]
 * pseudonymize_nik = hmac-sha256.
 */
#include "driver_int.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest key used whole (HMAC hashes a key over 64 bytes first). */
#define KEY_MAX 4096

enum angka_err export_key_load(const char *path, uint8_t *key, size_t *len,
                               struct angka_error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "cannot read key_file '%s':",
		                 path);
	struct stat sb;
	if (fstat(fd, &sb) != 0) {
		int er = errno;
		close(fd);
		errno = er;
		return ANGKA_ERR(e, ANGKA_ECONFIG, "cannot stat key_file '%s':",
		                 path);
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return ANGKA_ERR(e, ANGKA_ECONFIG, "key_file '%s' is not a "
		                 "regular file", path);
	}
	if (sb.st_uid != geteuid()) {
		close(fd);
		return ANGKA_ERR(e, ANGKA_ECONFIG, "key_file '%s' is owned by "
		                 "uid %ld, not by the user running angka (uid %ld)",
		                 path, (long)sb.st_uid, (long)geteuid());
	}
	if (sb.st_mode & 077) {
		close(fd);
		return ANGKA_ERR(e, ANGKA_ECONFIG, "key_file '%s' has mode %04o: "
		                 "others may read it; it must be 0600 or 0400 "
		                 "(chmod 600 '%s')", path,
		                 (unsigned)(sb.st_mode & 07777), path);
	}
	size_t n = 0;
	uint8_t buf[KEY_MAX + 1];
	for (;;) {
		ssize_t got = read(fd, buf + n, sizeof buf - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int er = errno;
			close(fd);
			errno = er;
			return ANGKA_ERR(e, ANGKA_ECONFIG,
			                 "cannot read key_file '%s':", path);
		}
		if (got == 0 || (n += (size_t)got) == sizeof buf)
			break;
	}
	close(fd);
	if (n > KEY_MAX)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "key_file '%s' is longer than "
		                 "%d bytes", path, KEY_MAX);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	if (n < 16)
		return ANGKA_ERR(e, ANGKA_ECONFIG,
		                 "key_file '%s' must hold at least 16 bytes", path);
	memcpy(key, buf, n);
	memset(buf, 0, sizeof buf);
	*len = n;
	return ANGKA_OK;
}

enum angka_err export_key_check(const struct env *v, struct angka_error *e)
{
	uint8_t key[KEY_MAX];
	size_t len;
	enum angka_err rc = export_key_load(v->ro.key_file, key, &len, e);
	memset(key, 0, sizeof key);
	return rc;
}


/*
 * Pseudonymized extract for sharing: only the columns in keep[], with NIK and
 * No KK replaced by HMAC-SHA256(key, value) in hex and the birth date cut to
 * the year. Names, addresses and places of birth are never copied.
 */
enum angka_err export_pseudonym(struct env *v, struct step *st,
                                struct angka_error *e)
{
	static const char *const keep[] = {
		"cluster_id", "nik", "no_kk", "jenis_kelamin", "tgl_lahir",
		"kode_wilayah", "kode_kec", "hub_krt", "pkh", "bpnt", "kks", "pbi",
		"kip", "status", "desil", NULL
	};
	uint8_t key[KEY_MAX];
	size_t klen;
	enum angka_err rc = export_key_load(v->ro.key_file, key, &klen, e);
	if (rc != ANGKA_OK)
		return rc;
	struct angka_csv_reader *r;
	struct angka_csv_opts o = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	rc = angka_csv_reader_open(&r, st->inputs.v[0], &o, e);
	if (rc != ANGKA_OK)
		return rc;
	struct angka_csv_writer *w = NULL;
	if (mkdir_p("shared", 0700) != 0 ||
	    (rc = angka_csv_writer_open(&w, st->outputs.v[0],
	                                ANGKA_CSV_WRITER_PRIVATE, e)) != ANGKA_OK) {
		angka_csv_reader_free(r);
		return rc ? rc : ANGKA_ERR(e, ANGKA_EIO, "cannot create shared/:");
	}
	int col[16];
	const char *cname[16];
	size_t ncol = 0;
	const struct angka_csv_record *rec;
	int got = angka_csv_reader_next(r, &rec, e);
	if (got > 0) {
		for (size_t k = 0; keep[k]; k++) {
			for (size_t f = 0; f < rec->nfields; f++) {
				if (strcmp(rec->field[f], keep[k]) == 0) {
					col[ncol] = (int)f;
					cname[ncol++] = keep[k];
					angka_csv_writer_str(w, keep[k]);
					break;
				}
			}
		}
		angka_csv_writer_end_row(w);
	}
	while (got > 0 && (got = angka_csv_reader_next(r, &rec, e)) > 0) {
		for (size_t i = 0; i < ncol; i++) {
			size_t f = (size_t)col[i];
			const char *val = f < rec->nfields ? rec->field[f] : "";
			size_t len = f < rec->nfields ? rec->len[f] : 0;
			if (len && (!strcmp(cname[i], "nik") || !strcmp(cname[i], "no_kk"))) {
				struct hmac_sha256_ctx h;
				uint8_t d[SHA256_DIGEST_SIZE];
				char out[2 * SHA256_DIGEST_SIZE + 1];
				hmac_sha256_set_key(&h, klen, key);
				hmac_sha256_update(&h, len, (const uint8_t *)val);
				hmac_sha256_digest(&h, sizeof d, d);
				hex(d, sizeof d, out);
				angka_csv_writer_str(w, out);
			} else if (!strcmp(cname[i], "tgl_lahir")) {
				angka_csv_writer_field(w, val, len >= 4 ? 4 : 0);
			} else {
				angka_csv_writer_field(w, val, len);
			}
		}
		angka_csv_writer_end_row(w);
	}
	if (got < 0) {
		angka_csv_reader_free(r);
		angka_csv_writer_abort(w);
		return e->code;
	}
	rc = angka_csv_reader_close(r, e);
	if (rc != ANGKA_OK) {
		angka_csv_writer_abort(w);
		return rc;
	}
	return angka_csv_writer_commit(w, e);
}
