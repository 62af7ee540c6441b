/*
 * intern.c - angka-dedup's interned values: byte strings (nama_kunci,
 * src_file) and 64-bit values (valid No KK), each stored once and named by
 * a dense 32-bit id (see ctx.h).
 */
#include "ctx.h"

#include <stdlib.h>
#include <string.h>

/* ---- Interned strings ---- */

void dedup_intern_init(struct dedup_intern *in)
{
	memset(in, 0, sizeof *in);
	in->nslots = 1024;
	in->slots = angka_xcalloc(in->nslots, sizeof *in->slots);
	/* Every string is stored with a NUL after it; id 0 is the "" at
	 * offset 0. */
	in->arena = angka_xmalloc(4096);
	in->acap = 4096;
	in->arena[0] = '\0';
	in->alen = 1;
	in->start = angka_xmalloc(2 * sizeof *in->start);
	in->start[0] = 0;
	in->start[1] = 1;
	in->idcap = 2;
	in->n = 1;   /* id 0 is the empty string */
}

void dedup_intern_release(struct dedup_intern *in)
{
	free(in->slots);
	free(in->start);
	free(in->arena);
	memset(in, 0, sizeof *in);
}

/* The hash of s[0..len): eight bytes at a time, each word mixed in by a
 * multiplication (the strings are short names; FNV-1a took a
 * multiplication per byte). Only where a string sits in the table
 * depends on it, never its id. */
static uint64_t intern_hash(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ len;
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, u, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 29;
		u += 8;
		len -= 8;
	}
	/* The last 0-7 bytes in at most three loads (4, 2, 1), not one
	 * shift per byte: the same w. */
	uint64_t w = 0;
	unsigned sh = 0;
	if (len & 4) {
		w = (uint64_t)u[0] | (uint64_t)u[1] << 8 |
		    (uint64_t)u[2] << 16 | (uint64_t)u[3] << 24;
		u += 4;
		sh = 32;
	}
	if (len & 2) {
		w |= ((uint64_t)u[0] | (uint64_t)u[1] << 8) << sh;
		u += 2;
		sh += 16;
	}
	if (len & 1)
		w |= (uint64_t)u[0] << sh;
	h = (h ^ w) * 0x94D049BB133111EBULL;
	return h ^ h >> 31;
}

/* A slot table (the interner's and the u64 set's: the tag, where the
 * probe starts, in the high 32 bits, the id in the low ones, 0 empty)
 * moved from old[0..on) into a new table of nslots (a power of two);
 * old is freed. Probed at random: huge pages spare a TLB miss and a
 * page fault per probe of a table of millions. */
static uint64_t *slots_rehash(uint64_t *old, size_t on, size_t nslots)
{
	uint64_t *t = angka_xcalloc(nslots, sizeof *t);
	dedup_hugepage_hint(t, nslots * sizeof *t);
	size_t mask = nslots - 1;
	for (size_t j = 0; j < on; j++) {
		if (!old[j])
			continue;
		size_t s = (size_t)(old[j] >> 32) & mask;
		while (t[s])
			s = (s + 1) & mask;
		t[s] = old[j];
	}
	free(old);
	return t;
}

/* A slot holds the string's id in its low 32 bits and the high 32 bits of
 * its hash (the tag; also where its probe starts) above them: a probe
 * compares the text only on a tag match, and the table grows without
 * reading the strings. 0: empty (ids of stored strings start at 1). */
uint64_t dedup_intern_prefetch(const struct dedup_intern *in, const char *s,
                               size_t len)
{
	uint64_t h = intern_hash(s, len);
	if (len && in->slots)
		__builtin_prefetch(&in->slots[(size_t)(h >> 32) &
		                              (in->nslots - 1)]);
	return h;
}

uint32_t dedup_intern_get(struct dedup_intern *in, const char *s, size_t len)
{
	return dedup_intern_get_hashed(in, s, len, len ? intern_hash(s, len)
	                                              : 0);
}

uint32_t dedup_intern_get_hashed(struct dedup_intern *in, const char *s,
                                 size_t len, uint64_t h)
{
	if (!len)
		return 0;
	if (in->alen + len + 1 > UINT32_MAX)
		return UINT32_MAX;
	uint32_t tag = (uint32_t)(h >> 32);
	size_t mask = in->nslots - 1;
	size_t i = (size_t)tag & mask;
	for (;; i = (i + 1) & mask) {
		uint64_t sl = in->slots[i];
		if (!sl)
			break;
		if ((uint32_t)(sl >> 32) != tag)
			continue;
		size_t l;
		const char *t = dedup_intern_str(in, (uint32_t)sl, &l);
		if (l == len && memcmp(t, s, len) == 0)
			return (uint32_t)sl;
	}
	if (in->alen + len + 1 > in->acap) {
		size_t c = in->acap;
		while (c < in->alen + len + 1)
			c *= 2;
		in->arena = angka_xrealloc(in->arena, c);
		in->acap = c;
		dedup_hugepage_hint(in->arena, c);
	}
	memcpy(in->arena + in->alen, s, len);
	in->arena[in->alen + len] = '\0';
	in->alen += len + 1;
	if (in->n + 1 >= in->idcap) {
		in->idcap *= 2;
		in->start = angka_xrealloc(in->start,
		                           in->idcap * sizeof *in->start);
	}
	uint32_t id = in->n++;
	in->start[id + 1] = (uint32_t)in->alen;
	in->slots[i] = (uint64_t)tag << 32 | id;
	if ((size_t)in->n * 2 > in->nslots) {
		in->slots = slots_rehash(in->slots, in->nslots,
		                         in->nslots * 2);
		in->nslots *= 2;
	}
	return id;
}

void dedup_intern_freeze(struct dedup_intern *in)
{
	free(in->slots);
	in->slots = NULL;
	in->nslots = 0;
	in->arena = angka_xrealloc(in->arena, in->alen);
	in->acap = in->alen;
	in->start = angka_xrealloc(in->start,
	                           ((size_t)in->n + 1) * sizeof *in->start);
	in->idcap = (size_t)in->n + 1;
}

size_t dedup_intern_bytes(const struct dedup_intern *in)
{
	return in->acap + in->nslots * sizeof *in->slots +
	       in->idcap * sizeof *in->start;
}

/* ---- Interned 64-bit values ---- */

void dedup_u64set_init(struct dedup_u64set *k)
{
	memset(k, 0, sizeof *k);
	k->nslots = 1024;
	k->slots = angka_xcalloc(k->nslots, sizeof *k->slots);
	k->cap = 1024;
	k->v = angka_xmalloc(k->cap * sizeof *k->v);
	k->v[0] = 0;
	k->n = 1;
}

void dedup_u64set_release(struct dedup_u64set *k)
{
	free(k->slots);
	free(k->v);
	memset(k, 0, sizeof *k);
}

/* A slot holds the value's id in its low 32 bits and the high 32 bits of
 * its hash (the tag; also where its probe starts) above them: a probe
 * skips the other values by their tag without loading them from v[] (a
 * cache miss each in a table of millions), and the table grows without
 * reading v[] at all. 0: empty (ids start at 1). */
static inline uint32_t u64_tag(uint64_t v)
{
	return dedup_u64set_tag(v);
}

static size_t u64_slot(const struct dedup_u64set *k, uint64_t v, uint32_t tag)
{
	size_t mask = k->nslots - 1;
	size_t i = (size_t)tag & mask;
	for (;; i = (i + 1) & mask) {
		uint64_t s = k->slots[i];
		if (!s || ((uint32_t)(s >> 32) == tag && k->v[(uint32_t)s] == v))
			return i;
	}
}

/* The table on nslots slots (a power of two), the values kept. */
static void u64_rehash(struct dedup_u64set *k, size_t nslots)
{
	k->slots = slots_rehash(k->slots, k->nslots, nslots);
	k->nslots = nslots;
}

uint32_t dedup_u64set_insert(struct dedup_u64set *k, uint64_t v)
{
	uint32_t tag = u64_tag(v);
	size_t i = u64_slot(k, v, tag);
	if (k->slots[i])
		return k->last_v = v, k->last_id = (uint32_t)k->slots[i];
	if (k->n == UINT32_MAX - 1)
		return UINT32_MAX;
	if (k->n == k->cap) {
		k->cap *= 2;
		k->v = angka_xrealloc(k->v, k->cap * sizeof *k->v);
		dedup_hugepage_hint(k->v, k->cap * sizeof *k->v);
	}
	uint32_t id = k->n++;
	k->v[id] = v;
	k->slots[i] = (uint64_t)tag << 32 | id;
	k->last_v = v;
	k->last_id = id;
	if ((size_t)k->n * 2 > k->nslots)
		u64_rehash(k, k->nslots * 2);
	return id;
}

void dedup_u64set_reserve(struct dedup_u64set *k, size_t n)
{
	if (!k->slots)
		return;
	if (n > k->cap) {
		k->cap = n;
		k->v = angka_xrealloc(k->v, k->cap * sizeof *k->v);
	}
	size_t ns = k->nslots;
	while (ns < 2 * n)
		ns *= 2;
	if (ns > k->nslots)
		u64_rehash(k, ns);
}

void dedup_u64set_freeze(struct dedup_u64set *k)
{
	free(k->slots);
	k->slots = NULL;
	k->nslots = 0;
	k->v = angka_xrealloc(k->v, (size_t)k->n * sizeof *k->v);
	k->cap = k->n;
}

size_t dedup_u64set_bytes(const struct dedup_u64set *k)
{
	return k->cap * sizeof *k->v + k->nslots * sizeof *k->slots;
}
