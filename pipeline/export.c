/*
 * export.c - the pseudonymized DTKS extract for sharing
 * (shared/dtks_pseudonim.csv), a driver-internal step run when [run]
 * pseudonymize_nik = hmac-sha256.
 */
#include "driver_int.h"

#include <fcntl.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <string.h>
#include <unistd.h>

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
	uint8_t key[256];
	int kfd = open(v->ro.key_file, O_RDONLY | O_CLOEXEC);
	if (kfd < 0)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "cannot read key_file '%s':",
		                 v->ro.key_file);
	ssize_t klen = read(kfd, key, sizeof key);
	close(kfd);
	while (klen > 0 && (key[klen - 1] == '\n' || key[klen - 1] == '\r'))
		klen--;
	if (klen < 16)
		return ANGKA_ERR(e, ANGKA_ECONFIG,
		                 "key_file '%s' must hold at least 16 bytes",
		                 v->ro.key_file);
	struct angka_csv_reader *r;
	struct angka_csv_opts o = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	enum angka_err rc = angka_csv_reader_open(&r, st->inputs.v[0], &o, e);
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
				hmac_sha256_set_key(&h, (size_t)klen, key);
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
