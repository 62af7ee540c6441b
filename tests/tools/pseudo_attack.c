/*
 * pseudo_attack.c - attack a shared pseudonymized extract the way the red
 * team did (issue 14, item 1), and check its k-anonymity.
 *
 * Usage: pseudo-attack SHARED.csv NIKS.txt K
 *
 * NIKS.txt holds the true NIKs of the persons (one per line). The brute
 * force over a NIK's day, month and serial succeeds exactly when some hash
 * of the true NIK that an attacker can compute appears in the file (the
 * true NIK is one of the candidates it tries), so that is what is checked,
 * for every NIK, with every hash an attacker can compute without the key:
 *   - unkeyed: FNV-1a 64 (as dedup's cluster_id "C%016x", bare hex and
 *     decimal), SHA-256, SHA-1 and MD5, of the NIK and of "N" + NIK;
 *   - keyed by anything in the file: HMAC-SHA256 with every distinct
 *     value of the file (and the empty key) as the key, of the NIK,
 *     "N" + NIK and "nik" NUL NIK (for a sample of 25 NIKs: the keys are
 *     the file's thousands of values);
 * each compared whole and as every hex prefix length that occurs in the
 * file (truncated pseudonyms). Any hit: "recovered" and exit 1.
 *
 * k-anonymity: every combination of the values of the columns other than
 * cluster_id, nik and no_kk must be held by at least K rows; else exit 1
 * with the smallest class.
 */
#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct set {
	char **s;
	size_t n, cap;   /* cap: power of two, open addressing */
};

static uint64_t fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * UINT64_C(1099511628211);
	return h;
}
#define FNV0 UINT64_C(14695981039346656037)

/* Add s (copied); returns its count slot index. */
static size_t set_put(struct set *t, const char *s, int *added)
{
	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		char **ns = calloc(cap, sizeof *ns);
		if (!ns)
			abort();
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->s[i])
				continue;
			size_t j = fnv1a(t->s[i], strlen(t->s[i]), FNV0) & (cap - 1);
			while (ns[j])
				j = (j + 1) & (cap - 1);
			ns[j] = t->s[i];
		}
		free(t->s);
		t->s = ns;
		t->cap = cap;
	}
	size_t j = fnv1a(s, strlen(s), FNV0) & (t->cap - 1);
	while (t->s[j] && strcmp(t->s[j], s) != 0)
		j = (j + 1) & (t->cap - 1);
	*added = !t->s[j];
	if (!t->s[j]) {
		t->s[j] = strdup(s);
		t->n++;
	}
	return j;
}

static int set_has(const struct set *t, const char *s)
{
	if (!t->cap)
		return 0;
	size_t j = fnv1a(s, strlen(s), FNV0) & (t->cap - 1);
	while (t->s[j]) {
		if (strcmp(t->s[j], s) == 0)
			return 1;
		j = (j + 1) & (t->cap - 1);
	}
	return 0;
}

static struct set vals;          /* every value in the file */
static int hexlen[129];          /* hex prefix lengths that occur */
static long tried;

static void tohex(const uint8_t *d, size_t n, char *out)
{
	static const char h[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[d[i] >> 4];
		out[2 * i + 1] = h[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* 1 if the digest (hex) or a prefix of a length found in the file is a
 * value of the file. */
static int hit_hex(const char *hx)
{
	size_t n = strlen(hx);
	char buf[160];
	tried++;
	for (size_t l = 8; l <= n && l < sizeof buf; l++) {
		if (!hexlen[l])
			continue;
		memcpy(buf, hx, l);
		buf[l] = '\0';
		if (set_has(&vals, buf))
			return 1;
		for (size_t i = 0; i < l; i++)
			if (buf[i] >= 'a')
				buf[i] = (char)(buf[i] - 32);
		if (set_has(&vals, buf))
			return 1;
	}
	return 0;
}

static int unkeyed(const char *msg, size_t len, const char **how)
{
	char s[160];
	uint8_t d[64];
	uint64_t h = fnv1a(msg, len, FNV0);
	snprintf(s, sizeof s, "C%016" PRIx64, h);
	tried++;
	if (set_has(&vals, s))
		return *how = "FNV-1a (C%016x)", 1;
	snprintf(s, sizeof s, "%" PRIu64, h);
	if (set_has(&vals, s))
		return *how = "FNV-1a (decimal)", 1;
	snprintf(s, sizeof s, "%016" PRIx64, h);
	if (hit_hex(s))
		return *how = "FNV-1a (hex)", 1;
	struct sha256_ctx c2;
	sha256_init(&c2);
	sha256_update(&c2, len, (const uint8_t *)msg);
	sha256_digest(&c2, SHA256_DIGEST_SIZE, d);
	tohex(d, SHA256_DIGEST_SIZE, s);
	if (hit_hex(s))
		return *how = "SHA-256", 1;
	struct sha1_ctx c1;
	sha1_init(&c1);
	sha1_update(&c1, len, (const uint8_t *)msg);
	sha1_digest(&c1, SHA1_DIGEST_SIZE, d);
	tohex(d, SHA1_DIGEST_SIZE, s);
	if (hit_hex(s))
		return *how = "SHA-1", 1;
	struct md5_ctx c5;
	md5_init(&c5);
	md5_update(&c5, len, (const uint8_t *)msg);
	md5_digest(&c5, MD5_DIGEST_SIZE, d);
	tohex(d, MD5_DIGEST_SIZE, s);
	if (hit_hex(s))
		return *how = "MD5", 1;
	return 0;
}

static int keyed(const char *key, const char *msg, size_t len)
{
	struct hmac_sha256_ctx h;
	uint8_t d[SHA256_DIGEST_SIZE];
	char s[2 * SHA256_DIGEST_SIZE + 1];
	hmac_sha256_set_key(&h, strlen(key), (const uint8_t *)key);
	hmac_sha256_update(&h, len, (const uint8_t *)msg);
	hmac_sha256_digest(&h, sizeof d, d);
	tohex(d, sizeof d, s);
	return hit_hex(s);
}

/* Split line (modified) at commas into f (cap fields); the count. */
static size_t split(char *line, char **f, size_t cap)
{
	size_t n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line;; ) {
		if (n < cap)
			f[n] = p;
		n++;
		char *c = strchr(p, ',');
		if (!c)
			break;
		*c = '\0';
		p = c + 1;
	}
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: pseudo-attack SHARED.csv NIKS.txt K\n");
		return 2;
	}
	long k = strtol(argv[3], NULL, 10);
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	char line[4096];
	char *fld[64], *hdr[64];
	if (!fgets(line, sizeof line, f)) {
		fprintf(stderr, "%s: empty\n", argv[1]);
		return 2;
	}
	if (strchr(line, '"')) {
		fprintf(stderr, "%s: quoted fields not expected\n", argv[1]);
		return 2;
	}
	char header[4096];
	memcpy(header, line, sizeof line);
	size_t nh = split(header, hdr, 64);
	if (nh > 64)
		return 2;
	int qi[64];
	for (size_t i = 0; i < nh; i++)
		qi[i] = strcmp(hdr[i], "cluster_id") && strcmp(hdr[i], "nik") &&
		        strcmp(hdr[i], "no_kk");
	struct set classes = { 0 };
	size_t *ccount;
	size_t rows = 0;
	while (fgets(line, sizeof line, f)) {
		if (strchr(line, '"')) {
			fprintf(stderr, "%s: quoted fields not expected\n", argv[1]);
			return 2;
		}
		size_t n = split(line, fld, 64);
		if (n != nh) {
			fprintf(stderr, "%s: row %zu: %zu fields, header %zu\n",
			        argv[1], rows + 2, n, nh);
			return 2;
		}
		char key[4096];
		size_t o = 0;
		for (size_t i = 0; i < n; i++) {
			int added;
			set_put(&vals, fld[i], &added);
			size_t l = strlen(fld[i]);
			if (l <= 128 && strspn(fld[i], "0123456789abcdefABCDEF") == l)
				hexlen[l] = 1;
			if (qi[i])
				o += (size_t)snprintf(key + o, sizeof key - o, "%s\x1f",
				                      fld[i]);
		}
		int added;
		set_put(&classes, key, &added);
		rows++;
	}
	fclose(f);

	/* Class sizes: a second pass (the set only knows the keys). */
	ccount = calloc(classes.cap, sizeof *ccount);
	f = fopen(argv[1], "r");
	if (!f || !ccount || !fgets(line, sizeof line, f))
		return 2;
	while (fgets(line, sizeof line, f)) {
		size_t n = split(line, fld, 64);
		char key[4096];
		size_t o = 0;
		for (size_t i = 0; i < n && i < nh; i++)
			if (qi[i])
				o += (size_t)snprintf(key + o, sizeof key - o, "%s\x1f",
				                      fld[i]);
		size_t j = fnv1a(key, strlen(key), FNV0) & (classes.cap - 1);
		while (strcmp(classes.s[j], key) != 0)
			j = (j + 1) & (classes.cap - 1);
		ccount[j]++;
	}
	fclose(f);
	size_t minc = SIZE_MAX, small = 0;
	const char *mink = "";
	for (size_t j = 0; j < classes.cap; j++) {
		if (!classes.s[j])
			continue;
		if (ccount[j] < minc) {
			minc = ccount[j];
			mink = classes.s[j];
		}
		if (ccount[j] < (size_t)k)
			small += ccount[j];
	}

	/* The NIKs. */
	FILE *nf = fopen(argv[2], "r");
	if (!nf) {
		perror(argv[2]);
		return 2;
	}
	char **nik = NULL;
	size_t nnik = 0, ncap = 0;
	while (fgets(line, sizeof line, nf)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		if (nnik == ncap) {
			ncap = ncap ? 2 * ncap : 1024;
			nik = realloc(nik, ncap * sizeof *nik);
		}
		nik[nnik++] = strdup(line);
	}
	fclose(nf);
	int bad = 0;
	size_t recovered = 0;
	const char *how = "";
	for (size_t i = 0; i < nnik; i++) {
		char m[64];
		int l = snprintf(m, sizeof m, "N%s", nik[i]);
		if (unkeyed(nik[i], strlen(nik[i]), &how) ||
		    unkeyed(m, (size_t)l, &how)) {
			if (!recovered++)
				printf("recovered NIK %.6s... by %s\n", nik[i], how);
		}
	}
	/* Keyed by every value of the file, 25 NIKs. */
	size_t step = nnik > 25 ? nnik / 25 : 1, keyed_hits = 0;
	for (size_t i = 0; i < nnik; i += step) {
		char m1[64], m2[64];
		int l1 = snprintf(m1, sizeof m1, "N%s", nik[i]);
		int l2 = snprintf(m2, sizeof m2, "nik%c%s", 0, nik[i]);
		for (size_t j = 0; j < vals.cap; j++) {
			if (!vals.s[j])
				continue;
			if (keyed(vals.s[j], nik[i], strlen(nik[i])) ||
			    keyed(vals.s[j], m1, (size_t)l1) ||
			    keyed(vals.s[j], m2, (size_t)l2)) {
				if (!keyed_hits++)
					printf("recovered NIK %.6s... by HMAC-SHA256 "
					       "keyed with a value of the file\n", nik[i]);
			}
		}
	}
	printf("%zu rows, %zu distinct values, %zu NIKs, %ld hashes tried: "
	       "%zu recovered unkeyed, %zu keyed\n", rows, vals.n, nnik, tried,
	       recovered, keyed_hits);
	if (recovered || keyed_hits)
		bad = 1;
	printf("k-anonymity: %zu classes, smallest %zu (k = %ld), %zu rows in "
	       "classes under k\n", classes.n, minc == SIZE_MAX ? 0 : minc, k,
	       small);
	if (minc != SIZE_MAX && minc < (size_t)k) {
		for (char *p = (char *)mink; *p; p++)
			if (*p == '\x1f')
				*p = ',';
		printf("smallest class: %s\n", mink);
		bad = 1;
	}
	return bad;
}
