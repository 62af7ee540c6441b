/*
 * export.c - the pseudonymized DTKS extract for sharing
 * (shared/dtks_pseudonim.csv), a driver-internal step run when [run]
 * pseudonymize_nik = hmac-sha256.
 *
 * What a reader of the shared file can learn about one person is bounded in
 * two ways:
 *  - every identifier derived from a person is keyed: cluster_id, nik and
 *    no_kk are HMAC-SHA256(key, label NUL value) truncated to 128 bits
 *    (32 hex digits), the label ("cluster_id", "nik", "no_kk") keeping a
 *    NIK that is also someone's No KK from linking them. Without the key no
 *    brute force over a NIK's day, month and serial can be checked against
 *    the file. Names, addresses, places and full dates are never copied.
 *  - k-anonymity on every other column together (the quasi-identifiers):
 *    the birth date becomes a 10-year band (kelompok_lahir, "1970-1979"),
 *    the desa is dropped (kode_kec stays); then, while some combination of
 *    the published values is held by fewer than k rows, those rows' cells
 *    are suppressed ('*') one column at a time in suppress_order[] (least
 *    useful first), and rows still in a class under k are withheld. Every
 *    class then has at least k rows ([run] k_anonymity, default 5).
 * Not covered: a household's composition seen through the shared no_kk
 * pseudonym (docs: README, shared/).
 */
#include "driver_int.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* Longest key used whole (HMAC hashes a key over 64 bytes first). */
#define KEY_MAX 4096
/* Pseudonyms: HMAC-SHA256 truncated to this many bytes. */
#define PSEUDO_BYTES 16

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

/* ------------------------------------------------------------ the columns */

/* The published columns, in order: the keyed identifiers, then the
 * quasi-identifiers. */
enum { P_CLUSTER, P_NIK, P_KK, NPSEUDO };
static const char *const pseudo_col[NPSEUDO] = { "cluster_id", "nik", "no_kk" };

enum { Q_SEX, Q_BAND, Q_KEC, Q_HUB, Q_PKH, Q_BPNT, Q_KKS, Q_PBI, Q_KIP,
       Q_STATUS, Q_DESIL, NQI };
/* Input column of each quasi-identifier and its name in the export. */
static const char *const qi_in[NQI] = {
	"jenis_kelamin", "tgl_lahir", "kode_kec", "hub_krt", "pkh", "bpnt",
	"kks", "pbi", "kip", "status", "desil"
};
static const char *const qi_out[NQI] = {
	"jenis_kelamin", "kelompok_lahir", "kode_kec", "hub_krt", "pkh", "bpnt",
	"kks", "pbi", "kip", "status", "desil"
};
/* Cells are suppressed in this order: least useful for the share first. */
static const int suppress_order[NQI] = {
	Q_HUB, Q_STATUS, Q_DESIL, Q_KIP, Q_PBI, Q_KKS, Q_BPNT, Q_PKH, Q_BAND,
	Q_SEX, Q_KEC
};

#define SUPPRESSED 0xFFFFu   /* value id of a suppressed cell ('*') */
#define MAXVAL 0xFFFEu

/* The distinct values of one column, value id = index. */
struct vals {
	char **s;
	size_t n, cap;
	uint32_t *tab;   /* open addressing: id + 1, 0 empty */
	size_t tcap;
};

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211u;
	return h;
}

/* Id of value s (interned); -1 past MAXVAL distinct values. */
static long vals_id(struct vals *t, const char *s, size_t len)
{
	if (2 * (t->n + 1) > t->tcap) {
		size_t cap = t->tcap ? 2 * t->tcap : 64;
		uint32_t *tab = angka_xcalloc(cap, sizeof *tab);
		for (size_t i = 0; i < t->n; i++) {
			size_t j = fnv(t->s[i], strlen(t->s[i]),
			               14695981039346656037u) & (cap - 1);
			while (tab[j])
				j = (j + 1) & (cap - 1);
			tab[j] = (uint32_t)i + 1;
		}
		free(t->tab);
		t->tab = tab;
		t->tcap = cap;
	}
	size_t j = fnv(s, len, 14695981039346656037u) & (t->tcap - 1);
	while (t->tab[j]) {
		const char *v = t->s[t->tab[j] - 1];
		if (strlen(v) == len && memcmp(v, s, len) == 0)
			return (long)t->tab[j] - 1;
		j = (j + 1) & (t->tcap - 1);
	}
	if (t->n >= MAXVAL)
		return -1;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->s = angka_xrealloc(t->s, t->cap * sizeof *t->s);
	}
	t->s[t->n] = angka_xmalloc(len + 1);
	memcpy(t->s[t->n], s, len);
	t->s[t->n][len] = '\0';
	t->tab[j] = (uint32_t)t->n + 1;
	return (long)t->n++;
}

static void vals_free(struct vals *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->tab);
}

/* The published value of quasi-identifier q from the input field. */
static size_t qi_value(int q, const char *v, size_t len, char *out, size_t cap)
{
	if (q != Q_BAND) {
		if (len >= cap)
			len = cap - 1;
		memcpy(out, v, len);
		out[len] = '\0';
		return len;
	}
	/* YYYY-MM-DD (or YYYY...) -> "1970-1979"; anything else empty. */
	if (len < 4 || strspn(v, "0123456789") < 4) {
		out[0] = '\0';
		return 0;
	}
	int y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 +
	        (v[3] - '0');
	int lo = y - y % 10;
	return (size_t)snprintf(out, cap, "%04d-%04d", lo, lo + 9);
}

/* ------------------------------------------------------ k-anonymity */

/* Rows' quasi-identifier value ids, NQI per row. */
struct table {
	uint16_t *id;
	size_t n, cap;
	unsigned char *withheld;
};

/* Class size of every row's combination of values, into cnt[row]. */
static void class_sizes(const struct table *t, uint32_t *cnt)
{
	size_t cap = 64;
	while (cap < 2 * t->n)
		cap *= 2;
	/* slot: row index + 1 of the class's first row; count beside it */
	uint32_t *slot = angka_xcalloc(cap, sizeof *slot);
	uint32_t *num = angka_xcalloc(cap, sizeof *num);
	uint32_t *where = angka_xmalloc((t->n ? t->n : 1) * sizeof *where);
	for (size_t r = 0; r < t->n; r++) {
		const uint16_t *k = t->id + r * NQI;
		size_t j = fnv(k, NQI * sizeof *k, 14695981039346656037u) &
		           (cap - 1);
		while (slot[j] && memcmp(t->id + (slot[j] - 1) * NQI, k,
		                         NQI * sizeof *k) != 0)
			j = (j + 1) & (cap - 1);
		if (!slot[j])
			slot[j] = (uint32_t)r + 1;
		num[j]++;
		where[r] = (uint32_t)j;
	}
	for (size_t r = 0; r < t->n; r++)
		cnt[r] = num[where[r]];
	free(slot);
	free(num);
	free(where);
}

struct kstats {
	size_t cells[NQI];   /* cells suppressed per column */
	size_t withheld;
	size_t min_class;
};

/* Suppress cells, then withhold rows, until every class has >= k rows. */
static void anonymize(struct table *t, long k, struct kstats *ks)
{
	memset(ks, 0, sizeof *ks);
	uint32_t *cnt = angka_xmalloc((t->n ? t->n : 1) * sizeof *cnt);
	t->withheld = angka_xcalloc(t->n ? t->n : 1, 1);
	for (size_t s = 0; s <= NQI; s++) {
		class_sizes(t, cnt);
		int any = 0;
		for (size_t r = 0; r < t->n; r++) {
			if (cnt[r] >= (uint32_t)k)
				continue;
			any = 1;
			if (s == NQI) {
				t->withheld[r] = 1;
				ks->withheld++;
				continue;
			}
			uint16_t *v = &t->id[r * NQI + suppress_order[s]];
			if (*v != SUPPRESSED) {
				*v = SUPPRESSED;
				ks->cells[suppress_order[s]]++;
			}
		}
		if (!any)
			break;
	}
	/* The smallest class of what is published (a check of the above). */
	size_t w = 0;
	for (size_t r = 0; r < t->n; r++)
		if (!t->withheld[r])
			memmove(t->id + w++ * NQI, t->id + r * NQI,
			        NQI * sizeof *t->id);
	struct table pub = { t->id, w, 0, NULL };
	class_sizes(&pub, cnt);
	ks->min_class = w ? SIZE_MAX : 0;
	for (size_t r = 0; r < w; r++)
		if (cnt[r] < ks->min_class)
			ks->min_class = cnt[r];
	free(cnt);
}

/* ----------------------------------------------------------- the step */

void export_pseudonym_of(const uint8_t *key, size_t klen, const char *label,
                         const char *val, size_t len, char *out)
{
	struct hmac_sha256_ctx h;
	uint8_t d[PSEUDO_BYTES];
	hmac_sha256_set_key(&h, klen, key);
	hmac_sha256_update(&h, strlen(label) + 1, (const uint8_t *)label);
	hmac_sha256_update(&h, len, (const uint8_t *)val);
	hmac_sha256_digest(&h, sizeof d, d);
	angka_hex(d, sizeof d, out);
}

/* Column index of each name in the header rec, -1 if absent. */
static void find_cols(const struct angka_csv_record *rec,
                      const char *const *names, size_t n, int *col)
{
	for (size_t k = 0; k < n; k++) {
		col[k] = -1;
		for (size_t f = 0; f < rec->nfields; f++)
			if (strcmp(rec->field[f], names[k]) == 0) {
				col[k] = (int)f;
				break;
			}
	}
}

/* Pass 1: the quasi-identifiers of every row into t, values into vt. */
static enum angka_err read_qi(const char *path, struct table *t,
                              struct vals *vt, int *qcol,
                              struct angka_error *e)
{
	struct angka_csv_reader *r;
	struct angka_csv_opts o = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	enum angka_err rc = angka_csv_reader_open(&r, path, &o, e);
	if (rc != ANGKA_OK)
		return rc;
	const struct angka_csv_record *rec;
	int got = angka_csv_reader_next(r, &rec, e);
	if (got > 0)
		find_cols(rec, qi_in, NQI, qcol);
	while (got > 0 && (got = angka_csv_reader_next(r, &rec, e)) > 0) {
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 1024;
			t->id = angka_xrealloc(t->id, t->cap * NQI * sizeof *t->id);
		}
		uint16_t *row = t->id + t->n * NQI;
		for (int q = 0; q < NQI; q++) {
			size_t f = (size_t)qcol[q];
			char v[64];
			size_t len = 0;
			if (qcol[q] >= 0 && f < rec->nfields)
				len = qi_value(q, rec->field[f], rec->len[f], v,
				               sizeof v);
			else
				v[0] = '\0';
			long id = vals_id(&vt[q], v, len);
			if (id < 0) {
				angka_csv_reader_free(r);
				return ANGKA_ERR(e, ANGKA_EDATA, "'%s': column '%s' "
				                 "has more than %u distinct values",
				                 path, qi_in[q], MAXVAL);
			}
			row[q] = (uint16_t)id;
		}
		t->n++;
	}
	if (got < 0) {
		angka_csv_reader_free(r);
		return e->code;
	}
	return angka_csv_reader_close(r, e);
}

/* Pass 2: write the published rows. */
static enum angka_err write_export(const char *in, const char *out,
                                   const uint8_t *key, size_t klen,
                                   const struct table *t,
                                   const struct vals *vt, const int *qcol,
                                   struct angka_error *e)
{
	struct angka_csv_reader *r;
	struct angka_csv_opts o = { .delim = ',', .encoding = ANGKA_ENC_UTF8 };
	enum angka_err rc = angka_csv_reader_open(&r, in, &o, e);
	if (rc != ANGKA_OK)
		return rc;
	struct angka_csv_writer *w = NULL;
	if (mkdir_p("shared", 0700) != 0 ||
	    (rc = angka_csv_writer_open(&w, out, ANGKA_CSV_WRITER_PRIVATE,
	                                e)) != ANGKA_OK) {
		angka_csv_reader_free(r);
		return rc ? rc : ANGKA_ERR(e, ANGKA_EIO, "cannot create shared/:");
	}
	int pcol[NPSEUDO];
	const struct angka_csv_record *rec;
	int got = angka_csv_reader_next(r, &rec, e);
	if (got > 0) {
		find_cols(rec, pseudo_col, NPSEUDO, pcol);
		for (int p = 0; p < NPSEUDO; p++)
			if (pcol[p] >= 0)
				angka_csv_writer_str(w, pseudo_col[p]);
		for (int q = 0; q < NQI; q++)
			if (qcol[q] >= 0)
				angka_csv_writer_str(w, qi_out[q]);
		angka_csv_writer_end_row(w);
	}
	size_t row = 0, pub = 0;
	while (got > 0 && (got = angka_csv_reader_next(r, &rec, e)) > 0) {
		size_t i = row++;
		if (i >= t->n) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s' changed while it "
			               "was read", in);
			break;
		}
		if (t->withheld[i])
			continue;
		for (int p = 0; p < NPSEUDO; p++) {
			if (pcol[p] < 0)
				continue;
			size_t f = (size_t)pcol[p];
			if (f >= rec->nfields || !rec->len[f]) {
				angka_csv_writer_str(w, "");
				continue;
			}
			char hx[2 * PSEUDO_BYTES + 1];
			export_pseudonym_of(key, klen, pseudo_col[p], rec->field[f],
			          rec->len[f], hx);
			angka_csv_writer_str(w, hx);
		}
		const uint16_t *id = t->id + pub++ * NQI;
		for (int q = 0; q < NQI; q++)
			if (qcol[q] >= 0)
				angka_csv_writer_str(w, id[q] == SUPPRESSED ? "*" :
				                     vt[q].s[id[q]]);
		angka_csv_writer_end_row(w);
	}
	if (got < 0 || rc != ANGKA_OK) {
		rc = rc != ANGKA_OK ? rc : e->code;
		angka_csv_reader_free(r);
		angka_csv_writer_abort(w);
		return rc;
	}
	rc = angka_csv_reader_close(r, e);
	if (rc == ANGKA_OK && row != t->n)
		rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s' changed while it was read",
		               in);
	if (rc != ANGKA_OK) {
		angka_csv_writer_abort(w);
		return rc;
	}
	return angka_csv_writer_commit(w, e);
}

enum angka_err export_pseudonym(struct env *v, struct step *st,
                                struct angka_error *e)
{
	uint8_t key[KEY_MAX];
	size_t klen;
	enum angka_err rc = export_key_load(v->ro.key_file, key, &klen, e);
	if (rc != ANGKA_OK)
		return rc;
	struct table t = { 0 };
	struct vals vt[NQI];
	memset(vt, 0, sizeof vt);
	int qcol[NQI];
	for (int q = 0; q < NQI; q++)
		qcol[q] = -1;
	rc = read_qi(st->inputs.v[0], &t, vt, qcol, e);
	if (rc == ANGKA_OK) {
		/* A column the input lacks is all one value: no matter. */
		struct kstats ks;
		long k = v->ro.k_anonymity;
		anonymize(&t, k, &ks);
		rc = write_export(st->inputs.v[0], st->outputs.v[0], key, klen,
		                  &t, vt, qcol, e);
		if (rc == ANGKA_OK) {
			char cells[512];
			size_t o = 0;
			cells[0] = '\0';
			for (int q = 0; q < NQI; q++)
				if (ks.cells[q] && o < sizeof cells)
					o += (size_t)snprintf(cells + o, sizeof cells - o,
					                      " %s %zu", qi_out[q],
					                      ks.cells[q]);
			logf_(v, "%s: k-anonymity %ld: %zu rows, %zu withheld, "
			      "smallest class %zu; cells suppressed:%s",
			      st->name, k, t.n, ks.withheld, ks.min_class,
			      o ? cells : " none");
		}
	}
	memset(key, 0, sizeof key);
	for (int q = 0; q < NQI; q++)
		vals_free(&vt[q]);
	free(t.id);
	free(t.withheld);
	return rc;
}
