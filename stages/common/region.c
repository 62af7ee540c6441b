/*
 * region.c - region table loading and resolution (see region.h). Codes are
 * looked up in an open-addressing hash over the entries (sorted by code for
 * the duplicate check); names through a second hash over the name keys, each
 * slot the first entry (in code order) of a key and a chain to the others,
 * so a national table of ~90,000 entries costs one or two probes per code
 * or name lookup, and building the name index needs no sort.
 */
#include "region.h"
#include "csv_reader.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Digits of a code up to each level. */
static const size_t level_cum[] = { 0, 2, 4, 6, 10 };

/* A slot of the code hash, 8 bytes: the code as code_num() (38 bits: 34
 * for up to 10 digits, 4 for the length) over its index into ent (26 bits);
 * 0 is an empty slot (code_num is never 0). A probe compares numbers only,
 * without touching ent, and the table of a national region list (~90,000
 * desa, ~100,000 regions) stays within a few MB of cache. */
#define SLOT_IDX_BITS 26
#define SLOT_MAX_ENTRIES ((size_t)1 << SLOT_IDX_BITS)

struct angka_region_table {
	struct angka_region *ent;   /* sorted by code */
	size_t n;
	uint64_t *key_slots;        /* name key hash, open addressing: the
	                             * key's hash (32 bits) over 1 + the
	                             * index of its first entry; 0 empty */
	uint32_t *key_next;         /* per entry: 1 + the index of the next
	                             * entry with its key (in code order),
	                             * 0 for the last */
	size_t key_mask;            /* key slots - 1 (a power of two) */
	char *pool;                 /* nama and key strings */
	uint64_t *slots;            /* code hash, open addressing */
	size_t mask;                /* slots - 1 (a power of two) */
	int parents_ok;             /* every region's parent is in the table */
};

/* A code of 1-10 digits as one number that keeps its length ("01" and "1"
 * differ); 0 if s is not such a code. */
static uint64_t code_num(const char *s)
{
	uint64_t v = 0;
	size_t n = 0;
	for (; s[n]; n++) {
		if (n >= 10 || s[n] < '0' || s[n] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[n] - '0');
	}
	return n ? v << 4 | n : 0;
}

static size_t code_slot(uint64_t k, size_t mask)
{
	k *= UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(k >> 32) & mask;
}

size_t angka_region_name_key(const char *s, size_t len, char *out)
{
	/* The key byte of each byte, 0 for one dropped: a table and no
	 * branch (every name of the region table goes through here). */
#define D10(c) c, c + 1, c + 2, c + 3, c + 4, c + 5, c + 6, c + 7, c + 8, c + 9
#define L26(c) D10(c), D10(c + 10), c + 20, c + 21, c + 22, c + 23, c + 24, c + 25
	static const char key_byte[256] = {
		['0'] = D10('0'),
		['A'] = L26('A'),
		['a'] = L26('A'),
	};
#undef L26
#undef D10
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char k = key_byte[(unsigned char)s[i]];
		out[o] = k;
		o += k != 0;
	}
	out[o] = 0;
	return o;
}

/* FNV-1a of the NUL-terminated s: the name index's hash. */
static uint64_t key_hash(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
	return h;
}

static int level_of_len(size_t n)
{
	switch (n) {
	case 2: return ANGKA_REGION_PROV;
	case 4: return ANGKA_REGION_KAB;
	case 6: return ANGKA_REGION_KEC;
	case 10: return ANGKA_REGION_DESA;
	}
	return 0;
}

/* Copy the digits of s (dots, spaces, dashes dropped) into out (cap);
 * returns the count, or -1 on another character or overflow. */
static int digits_of(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (o + 1 >= cap)
				return -1;
			out[o++] = *s;
		} else if (*s != '.' && *s != ' ' && *s != '-') {
			return -1;
		}
	}
	out[o] = 0;
	return (int)o;
}

/* code_num() of a code of 1-10 digits (as digits_of gives for a table
 * row), without its checks. */
static uint64_t code_num_of_digits(const char *d, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(d[i] - '0');
	return v << 4 | n;
}

/*
 * Sorting the table by code. An item carries the first 12 bytes of a string
 * as big-endian numbers, zero-padded, so that comparing the numbers is
 * strcmp on those bytes; only strings sharing 12 bytes go back to strcmp
 * (never for codes, which are shorter), and equal strings keep index order
 * (a stable sort). A merge
 * sort that skips merging runs already in order costs n-1 comparisons on a
 * table given in order, which region tables usually are. 16 bytes an item,
 * so the sort touches less memory than qsort's copy of the entries.
 */
struct sort_item {
	uint64_t hi;
	uint32_t lo;
	uint32_t idx;
};

/* What is sorted: the codes of ent. */
struct sort_by {
	const struct angka_region *ent;
};

static const char *sort_str(const struct sort_by *by, uint32_t idx)
{
	return by->ent[idx].code;
}

static void sort_item_set(struct sort_item *it, const struct sort_by *by,
                          size_t idx)
{
	const char *s = sort_str(by, (uint32_t)idx);
	unsigned char b[12] = { 0 };
	memcpy(b, s, strnlen(s, sizeof b));
	it->hi = (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 |
	         (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
	         (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
	         (uint64_t)b[6] << 8 | (uint64_t)b[7];
	it->lo = (uint32_t)b[8] << 24 | (uint32_t)b[9] << 16 |
	         (uint32_t)b[10] << 8 | (uint32_t)b[11];
	it->idx = (uint32_t)idx;
}

static int sort_item_cmp(const struct sort_item *a, const struct sort_item *b,
                         const struct sort_by *by)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if ((a->lo & 0xff) != 0) {   /* both strings are 12 bytes or longer */
		int c = strcmp(sort_str(by, a->idx) + 12,
		               sort_str(by, b->idx) + 12);
		if (c)
			return c;
	}
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Sort v[0..n) using tmp[0..n/2). */
static void sort_items(struct sort_item *v, struct sort_item *tmp, size_t n,
                       const struct sort_by *by)
{
	if (n < 16) {
		for (size_t i = 1; i < n; i++) {
			struct sort_item x = v[i];
			size_t j = i;
			for (; j > 0 && sort_item_cmp(&v[j - 1], &x, by) > 0; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	size_t h = n / 2;
	sort_items(v, tmp, h, by);
	sort_items(v + h, tmp, n - h, by);
	if (sort_item_cmp(&v[h - 1], &v[h], by) <= 0)
		return;   /* the two runs are already in order */
	memcpy(tmp, v, h * sizeof *v);
	size_t i = 0, j = h, o = 0;
	while (i < h && j < n)
		v[o++] = sort_item_cmp(&v[j], &tmp[i], by) < 0 ? v[j++] : tmp[i++];
	while (i < h)
		v[o++] = tmp[i++];
}

void angka_region_free(struct angka_region_table *t)
{
	if (!t)
		return;
	free(t->ent);
	free(t->key_slots);
	free(t->key_next);
	free(t->pool);
	free(t->slots);
	free(t);
}

size_t angka_region_count(const struct angka_region_table *t)
{
	return t ? t->n : 0;
}

enum angka_err angka_region_load(struct angka_region_table **out,
                                 const char *path, struct angka_error *e)
{
	*out = NULL;
	struct angka_csv_reader *r = NULL;
	struct angka_region_table *t = calloc(1, sizeof *t);
	size_t cap = 0, pool_len = 0, pool_cap = 0;
	/* Names are stored as offsets until the pool stops moving. */
	size_t *nama_off = NULL;   /* each name's key follows it */
	struct sort_item *items = NULL, *tmp = NULL;
	enum angka_err rc = angka_csv_reader_open(&r, path, NULL, e);
	if (!t && rc == ANGKA_OK)
		rc = ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory");
	if (rc != ANGKA_OK)
		goto cleanup;
	const char *name = angka_csv_reader_name(r);
	const struct angka_csv_record *rec;
	int got = angka_csv_reader_next(r, &rec, e);
	if (got <= 0) {
		rc = got < 0 ? e->code
		             : ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s': empty region table",
		                         name);
		goto cleanup;
	}
	int ik = -1, in = -1;
	for (size_t i = 0; i < rec->nfields; i++) {
		if (strcmp(rec->field[i], "kode") == 0)
			ik = (int)i;
		else if (strcmp(rec->field[i], "nama") == 0)
			in = (int)i;
	}
	if (ik < 0 || in < 0) {
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA,
		               "'%s':%ld: region table needs columns 'kode' and "
		               "'nama'", name, rec->line);
		goto cleanup;
	}
	while ((got = angka_csv_reader_next(r, &rec, e)) > 0) {
		if ((size_t)ik >= rec->nfields || (size_t)in >= rec->nfields) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "'%s':%ld: too few fields",
			               name, rec->line);
			goto cleanup;
		}
		char code[16];
		int nd = digits_of(rec->field[ik], code, sizeof code);
		int level = nd > 0 ? level_of_len((size_t)nd) : 0;
		if (!level) {
			rc = ANGKA_ERR(e, ANGKA_EDATA,
			               "'%s':%ld: bad region code '%.40s'", name,
			               rec->line, rec->field[ik]);
			goto cleanup;
		}
		if (t->n == cap) {
			size_t nc = cap ? 2 * cap : 256;
			struct angka_region *ne = realloc(t->ent, nc * sizeof *ne);
			if (!ne)
				goto nomem;
			t->ent = ne;
			size_t *no = realloc(nama_off, nc * sizeof *no);
			if (!no)
				goto nomem;
			nama_off = no;
			cap = nc;
		}
		size_t nl = rec->len[in];
		if (pool_len + 2 * nl + 2 > pool_cap) {
			size_t pc = pool_cap ? 2 * pool_cap : 8192;
			while (pc < pool_len + 2 * nl + 2)
				pc *= 2;
			char *np = realloc(t->pool, pc);
			if (!np)
				goto nomem;
			t->pool = np;
			pool_cap = pc;
		}
		struct angka_region *en = &t->ent[t->n];
		memset(en, 0, sizeof *en);
		memcpy(en->code, code, (size_t)nd + 1);
		en->level = level;
		nama_off[t->n] = pool_len;
		memcpy(t->pool + pool_len, rec->field[in], nl);
		t->pool[pool_len + nl] = 0;
		pool_len += nl + 1;
		pool_len += angka_region_name_key(rec->field[in], nl,
		                                  t->pool + pool_len) + 1;
		t->n++;
	}
	if (got < 0) {
		rc = e->code;
		goto cleanup;
	}
	for (size_t i = 0; i < t->n; i++) {
		t->ent[i].nama = t->pool + nama_off[i];
		t->ent[i].key = t->ent[i].nama + strlen(t->ent[i].nama) + 1;
	}
	if (t->n >= SLOT_MAX_ENTRIES) {
		rc = ANGKA_ERR(e, ANGKA_ESCHEMA, "'%s': more than %zu regions",
		               path, SLOT_MAX_ENTRIES - 1);
		goto cleanup;
	}
	/* Entries by code, then the name index over them. A table given in
	 * strictly ascending code order, as region tables usually are, needs
	 * only this check: no sort, and no code twice. (Codes are NUL-padded
	 * to their array's size, so memcmp orders them as strcmp, as the
	 * sort does.) */
	size_t asc = 1;
	while (asc < t->n && memcmp(t->ent[asc - 1].code, t->ent[asc].code,
	                            sizeof t->ent[asc].code) < 0)
		asc++;
	if (asc < t->n) {
		items = malloc((t->n ? t->n : 1) * sizeof *items);
		tmp = malloc((t->n / 2 + 1) * sizeof *tmp);
		if (!items || !tmp)
			goto nomem;
		struct sort_by by = { t->ent };
		for (size_t i = 0; i < t->n; i++)
			sort_item_set(&items[i], &by, i);
		sort_items(items, tmp, t->n, &by);
		for (size_t i = 1; i < t->n; i++) {
			/* Codes are shorter than 12 bytes: equal numbers,
			 * equal codes. */
			if (items[i].hi == items[i - 1].hi &&
			    items[i].lo == items[i - 1].lo) {
				rc = ANGKA_ERR(e, ANGKA_EDATA,
				               "'%s': duplicate region code '%s'", name,
				               t->ent[items[i].idx].code);
				goto cleanup;
			}
		}
		size_t moved = 0;
		while (moved < t->n && items[moved].idx == moved)
			moved++;
		if (moved < t->n) {   /* not given in code order */
			struct angka_region *ne = malloc(t->n * sizeof *ne);
			if (!ne)
				goto nomem;
			for (size_t i = 0; i < t->n; i++)
				ne[i] = t->ent[items[i].idx];
			free(t->ent);
			t->ent = ne;
		}
	}
	free(items);
	free(tmp);
	items = tmp = NULL;
	size_t ns = 16;
	while (ns < t->n + t->n / 2)   /* load factor at most 2/3 */
		ns *= 2;
	t->slots = calloc(ns, sizeof *t->slots);
	t->key_slots = calloc(ns, sizeof *t->key_slots);
	t->key_next = malloc((t->n ? t->n : 1) * sizeof *t->key_next);
	if (!t->slots || !t->key_slots || !t->key_next)
		goto nomem;
	t->mask = ns - 1;
	t->key_mask = ns - 1;
	/* The name index: a key's entries chained in code order, built from
	 * the last entry to the first (each put before the chain so far).
	 * The same entries in the same order as a stable sort of the entries
	 * by key would give, without the sort (0.4 G instructions for a
	 * table of 580,000 regions). */
	for (size_t i = t->n; i-- > 0;) {
		const char *k = t->ent[i].key;
		uint64_t h = key_hash(k);
		uint64_t hh = h >> 32;
		size_t s = (size_t)h & t->key_mask;
		for (;; s = (s + 1) & t->key_mask) {
			uint64_t v = t->key_slots[s];
			if (!v) {
				t->key_next[i] = 0;
				break;
			}
			if (v >> 32 == hh &&
			    strcmp(t->ent[(uint32_t)v - 1].key, k) == 0) {
				t->key_next[i] = (uint32_t)v;
				break;
			}
		}
		t->key_slots[s] = hh << 32 | (uint64_t)(i + 1);
	}
	for (size_t i = 0; i < t->n; i++) {
		/* An entry's code has the digits of its level (level_of_len). */
		uint64_t k = code_num_of_digits(t->ent[i].code,
		                                level_cum[t->ent[i].level]);
		size_t h = code_slot(k, t->mask);
		while (t->slots[h])
			h = (h + 1) & t->mask;
		t->slots[h] = k << SLOT_IDX_BITS | i;
	}
	/* Every region's parent in the table? In code order a parent comes
	 * before its children, and every code between them starts with the
	 * parent's, so none of its level: the parent is the last region of
	 * its level seen. One sequential pass, no hash probe (a cache miss
	 * each on a national table). */
	t->parents_ok = 1;
	const char *last[ANGKA_REGION_DESA + 1] = { NULL };
	for (size_t i = 0; i < t->n && t->parents_ok; i++) {
		int lv = t->ent[i].level;
		if (lv > ANGKA_REGION_PROV) {
			const char *p = last[lv - 1];
			t->parents_ok = p && memcmp(p, t->ent[i].code,
			                            level_cum[lv - 1]) == 0;
		}
		last[lv] = t->ent[i].code;
	}
	rc = angka_csv_reader_close(r, e);
	r = NULL;
	if (rc != ANGKA_OK)
		goto cleanup;
	*out = t;
	t = NULL;
	goto cleanup;
nomem:
	rc = ANGKA_ERR(e, ANGKA_ENOMEM, "out of memory loading the region table");
cleanup:
	angka_csv_reader_free(r);
	angka_region_free(t);
	free(nama_off);
	free(items);
	free(tmp);
	return rc;
}

const struct angka_region *angka_region_find(const struct angka_region_table *t,
                                             const char *code)
{
	uint64_t k = code_num(code);
	if (!k)
		return NULL;
	/* code_num is one-to-one on codes: equal numbers, equal codes. */
	for (size_t h = code_slot(k, t->mask); t->slots[h]; h = (h + 1) & t->mask)
		if (t->slots[h] >> SLOT_IDX_BITS == k)
			return &t->ent[t->slots[h] & (SLOT_MAX_ENTRIES - 1)];
	return NULL;
}

/*
 * Entries of level with name key and code starting with prefix: count them,
 * and return the first in *hit (and the second in *hit2).
 */
static size_t find_by_key(const struct angka_region_table *t, const char *key,
                          int level, const char *prefix,
                          const struct angka_region **hit,
                          const struct angka_region **hit2)
{
	uint64_t h = key_hash(key);
	uint32_t first = 0;   /* 1 + the index of the key's first entry */
	for (size_t s = (size_t)h & t->key_mask; t->key_slots[s];
	     s = (s + 1) & t->key_mask) {
		uint64_t v = t->key_slots[s];
		if (v >> 32 == h >> 32 &&
		    strcmp(t->ent[(uint32_t)v - 1].key, key) == 0) {
			first = (uint32_t)v;
			break;
		}
	}
	size_t n = 0, pl = strlen(prefix);
	*hit = *hit2 = NULL;
	for (uint32_t i = first; i; i = t->key_next[i - 1]) {
		const struct angka_region *en = &t->ent[i - 1];
		if (en->level != level || strncmp(en->code, prefix, pl) != 0)
			continue;
		if (n == 0)
			*hit = en;
		else if (n == 1)
			*hit2 = en;
		n++;
	}
	return n;
}

static const char *const level_name[] = { "", "provinsi", "kabupaten",
                                          "kecamatan", "desa" };
static const char *const code_field[] = { "", "kode_prov", "kode_kab",
                                          "kode_kec", "kode_desa" };
static const size_t level_width[] = { 0, 2, 2, 2, 4 };

/* Dotted form of an undotted code prefix, for messages. */
static void dotted(const char *code, char *out)
{
	size_t n = strlen(code), o = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 2 || i == 4 || i == 6)
			out[o++] = '.';
		out[o++] = code[i];
	}
	out[o] = 0;
}

static int empty(const char *s)
{
	if (!s)
		return 1;
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s;
}

static enum angka_region_outcome fail(struct angka_region_result *r,
                                      enum angka_region_outcome oc,
                                      const char *field)
{
	r->outcome = oc;
	r->field = field;
	r->desa = NULL;
	r->code[0] = '\0';
	return oc;
}

/* Resolve one level by name within prefix P (updated on success). */
static enum angka_region_outcome by_name(const struct angka_region_table *t,
                                         const char *nama, int level, char *P,
                                         struct angka_region_result *r)
{
	static const char *const prefixes[] = {
		"KECAMATAN", "KEC", "KABUPATEN", "KAB", "KOTA", "DESA",
		"KELURAHAN", "KEL", "PROVINSI", "PROPINSI", "PROV", NULL
	};
	char key[128];
	size_t nl = strlen(nama);
	if (nl >= sizeof key)
		nl = sizeof key - 1;
	size_t kl = angka_region_name_key(nama, nl, key);
	const struct angka_region *h1, *h2;
	size_t n = kl ? find_by_key(t, key, level, P, &h1, &h2) : 0;
	for (const char *const *p = prefixes; n == 0 && kl && *p; p++) {
		size_t pl = strlen(*p);
		if (kl > pl && strncmp(key, *p, pl) == 0)
			n = find_by_key(t, key + pl, level, P, &h1, &h2);
	}
	/* The table may carry a prefix the extract left out or spelled
	 * otherwise: a kota is "Kota Banjarmasin" in Kemendagri's table and
	 * often "Banjarmasin" in an extract; "Kab. Bogor" is "Kabupaten Bogor".
	 * A bare name tries every prefix, a "Kab." name the kabupaten ones (a
	 * "Kota" name was looked up as it is); two hits are ambiguous (a table
	 * with both "Kabupaten Bogor" and "Kota Bogor", asked for "Bogor"). */
	if (n == 0 && kl && level == ANGKA_REGION_KAB &&
	    strncmp(key, "KOTA", 4) != 0) {   /* "Kota X" was tried as is */
		static const char *const all[] = { "KOTA", "KABUPATEN", "KAB", NULL };
		const char *const *cand = all;
		const char *bare = key;
		if (strncmp(key, "KABUPATEN", 9) == 0 && kl > 9)
			bare = key + 9, cand = all + 1;
		else if (strncmp(key, "KAB", 3) == 0 && kl > 3)
			bare = key + 3, cand = all + 1;
		char k2[sizeof key + 16];
		size_t bl = strlen(bare);
		for (const char *const *p = cand; *p; p++) {
			size_t pl = strlen(*p);
			memcpy(k2, *p, pl);
			memcpy(k2 + pl, bare, bl + 1);
			const struct angka_region *a1, *a2;
			size_t m = find_by_key(t, k2, level, P, &a1, &a2);
			if (m && n == 0)
				h1 = a1, h2 = a2;
			else if (m && n == 1)
				h2 = a1;
			n += m;
		}
	}
	char scope[16];
	dotted(P, scope);
	if (n == 0) {
		snprintf(r->detail, sizeof r->detail, "%s '%.60s' not in %s",
		         level_name[level], nama, *P ? scope : "the region table");
		return fail(r, ANGKA_REGION_UNKNOWN, level_name[level]);
	}
	if (n > 1) {
		char a[16], b[16];
		dotted(h1->code, a);
		dotted(h2->code, b);
		snprintf(r->detail, sizeof r->detail,
		         "%s '%.60s' matches %zu regions in %s (%s, %s%s)",
		         level_name[level], nama, n, *P ? scope : "the table", a, b,
		         n > 2 ? ", ..." : "");
		return fail(r, ANGKA_REGION_AMBIGUOUS, level_name[level]);
	}
	strcpy(P, h1->code);
	r->fixes |= ANGKA_REGION_F_BY_NAME;
	return ANGKA_REGION_OK;
}

/*
 * One resolution. With check_levels 0 only the final desa is looked up: in
 * a table where every region's parent exists, a desa that is there proves
 * its kecamatan, kabupaten and province (one hash lookup per row instead of
 * five). Any failure is then resolved again with every level checked, for
 * the exact error.
 */
static enum angka_region_outcome resolve_pass(const struct angka_region_table *t,
                                              const struct angka_region_query *q,
                                              struct angka_region_result *r,
                                              int check_levels)
{
	memset(r, 0, sizeof *r);
	char P[16] = "";
	int given = 0;

	if (!empty(q->kode_wilayah)) {
		given = 1;
		/* Dotted parts are padded one by one: "63.11.1.2006". */
		const char *s = q->kode_wilayah;
		int lvl = 1;
		size_t o = 0;
		int bad = 0;
		if (strchr(s, '.')) {
			while (*s && !bad) {
				char part[16];
				size_t pn = 0;
				while (*s == ' ')
					s++;
				while (*s && *s != '.') {
					if (*s >= '0' && *s <= '9' && pn < 15)
						part[pn++] = *s;
					else if (*s != ' ')
						bad = 1;
					s++;
				}
				if (*s == '.')
					s++;
				if (lvl > 4 || pn == 0 || pn > level_width[lvl]) {
					bad = 1;
					break;
				}
				if (pn < level_width[lvl])
					r->fixes |= ANGKA_REGION_F_PADDED;
				for (size_t k = pn; k < level_width[lvl]; k++)
					P[o++] = '0';
				memcpy(P + o, part, pn);
				o += pn;
				P[o] = 0;
				lvl++;
			}
		} else {
			int nd = digits_of(s, P, sizeof P);
			bad = nd < 0 || !level_of_len((size_t)nd);
		}
		if (bad || !angka_region_find(t, P)) {
			snprintf(r->detail, sizeof r->detail,
			         "kode_wilayah '%.40s' not in the region table",
			         q->kode_wilayah);
			return fail(r, ANGKA_REGION_UNKNOWN, "kode_wilayah");
		}
	}

	const char *codes[5] = { NULL, q->kode_prov, q->kode_kab, q->kode_kec,
	                         q->kode_desa };
	const char *names[5] = { NULL, q->provinsi, q->kabupaten, q->kecamatan,
	                         q->desa };
	for (int lvl = 1; lvl <= 4; lvl++) {
		size_t pl = strlen(P);
		if (pl >= level_cum[lvl])
			continue;
		if (!empty(codes[lvl])) {
			given = 1;
			char d[16];
			int nd = digits_of(codes[lvl], d, sizeof d);
			size_t w = level_width[lvl];
			if (nd > 0 && (size_t)nd <= w && pl == level_cum[lvl - 1]) {
				if ((size_t)nd < w)
					r->fixes |= ANGKA_REGION_F_PADDED;
				for (size_t k = 0; k < w - (size_t)nd; k++)
					P[pl++] = '0';
				memcpy(P + pl, d, (size_t)nd + 1);
			} else if (nd > 0 && (size_t)nd == level_cum[lvl] &&
			           strncmp(d, P, pl) == 0) {
				memcpy(P, d, (size_t)nd + 1);
			} else {
				snprintf(r->detail, sizeof r->detail,
				         "%s '%.40s' is not a %s code%s",
				         code_field[lvl], codes[lvl], level_name[lvl],
				         pl == level_cum[lvl - 1] ? "" :
				         " (its parent region is not given)");
				return fail(r, ANGKA_REGION_UNKNOWN, code_field[lvl]);
			}
			if (check_levels && !angka_region_find(t, P)) {
				char dp[16];
				dotted(P, dp);
				snprintf(r->detail, sizeof r->detail,
				         "%s '%.40s' (%s) not in the region table",
				         code_field[lvl], codes[lvl], dp);
				return fail(r, ANGKA_REGION_UNKNOWN, code_field[lvl]);
			}
		} else if (!empty(names[lvl])) {
			given = 1;
			enum angka_region_outcome oc = by_name(t, names[lvl], lvl, P, r);
			if (oc != ANGKA_REGION_OK)
				return oc;
		}
	}
	if (strlen(P) != 10) {
		if (given) {
			char dp[16];
			dotted(P, dp);
			snprintf(r->detail, sizeof r->detail,
			         "no desa/kelurahan given (resolved to '%s')", dp);
		} else {
			snprintf(r->detail, sizeof r->detail, "no region given");
		}
		return fail(r, ANGKA_REGION_MISSING, given ? "desa" : "kode_wilayah");
	}
	r->desa = angka_region_find(t, P);
	if (!r->desa) {
		snprintf(r->detail, sizeof r->detail, "'%s' not in the region table", P);
		return fail(r, ANGKA_REGION_UNKNOWN, "kode_wilayah");
	}
	memcpy(r->code, P, 11);   /* strlen(P) is 10 */
	r->outcome = ANGKA_REGION_OK;
	return ANGKA_REGION_OK;
}

enum angka_region_outcome angka_region_resolve(const struct angka_region_table *t,
                                               const struct angka_region_query *q,
                                               struct angka_region_result *r)
{
	if (t->parents_ok && resolve_pass(t, q, r, 0) == ANGKA_REGION_OK)
		return ANGKA_REGION_OK;
	return resolve_pass(t, q, r, 1);
}

/* ---- the table loaded on a thread of its own ---- */

struct angka_region_loader {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const char *path;
	/* Under mu, set once by the thread: */
	int done;
	enum angka_err rc;
	struct angka_error e;            /* rc's, when not ANGKA_OK */
	struct angka_region_table *t;    /* NULL on error or once taken */
};

static void *loader_main(void *arg)
{
	struct angka_region_loader *l = arg;
	struct angka_region_table *t = NULL;
	struct angka_error e = { 0 };
	enum angka_err rc = angka_region_load(&t, l->path, &e);
	pthread_mutex_lock(&l->mu);
	l->t = t;
	l->rc = rc;
	l->e = e;
	l->done = 1;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

struct angka_region_loader *angka_region_loader_start(const char *path)
{
	struct angka_region_loader *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->path = path;
	if (pthread_mutex_init(&l->mu, NULL) != 0) {
		free(l);
		return NULL;
	}
	if (pthread_cond_init(&l->cv, NULL) != 0) {
		pthread_mutex_destroy(&l->mu);
		free(l);
		return NULL;
	}
	if (pthread_create(&l->tid, NULL, loader_main, l) != 0) {
		pthread_cond_destroy(&l->cv);
		pthread_mutex_destroy(&l->mu);
		free(l);
		return NULL;
	}
	return l;
}

int angka_region_loader_ready(struct angka_region_loader *l)
{
	if (!l)
		return 1;
	pthread_mutex_lock(&l->mu);
	int d = l->done;
	pthread_mutex_unlock(&l->mu);
	return d;
}

/* Wait for the load; with take, hand the table over. */
static enum angka_err loader_end(struct angka_region_loader *l,
                                 struct angka_region_table **t,
                                 struct angka_error *e, int take)
{
	if (t)
		*t = NULL;
	if (!l)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "region table: waited for "
		                 "without a load started");
	pthread_mutex_lock(&l->mu);
	while (!l->done)
		pthread_cond_wait(&l->cv, &l->mu);
	enum angka_err rc = l->rc;
	if (rc != ANGKA_OK) {
		if (e)
			*e = l->e;
	} else {
		if (t)
			*t = l->t;
		if (take)
			l->t = NULL;
	}
	pthread_mutex_unlock(&l->mu);
	return rc;
}

enum angka_err angka_region_loader_wait(struct angka_region_loader *l,
                                        struct angka_region_table **t,
                                        struct angka_error *e)
{
	return loader_end(l, t, e, 0);
}

enum angka_err angka_region_loader_take(struct angka_region_loader *l,
                                        struct angka_region_table **t,
                                        struct angka_error *e)
{
	return loader_end(l, t, e, 1);
}

void angka_region_loader_free(struct angka_region_loader *l)
{
	if (!l)
		return;
	pthread_join(l->tid, NULL);
	pthread_cond_destroy(&l->cv);
	pthread_mutex_destroy(&l->mu);
	angka_region_free(l->t);
	free(l);
}
