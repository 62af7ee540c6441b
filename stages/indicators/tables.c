/*
 * tables.c - the two hash tables of the indicators stage: a string
 * interner (text -> dense id) and a map from 64-bit keys to 32-bit values.
 * Both grow by doubling and abort on OOM (stage code, xalloc).
 */
#include "tables.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t n)
{
	/* FNV-1a 64, then a finaliser so low bits mix well. */
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

void ind_strtab_init(struct ind_strtab *t)
{
	memset(t, 0, sizeof *t);
}

void ind_strtab_release(struct ind_strtab *t)
{
	free(t->chars);
	free(t->off);
	free(t->len);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

static void strtab_rehash(struct ind_strtab *t, size_t cap)
{
	uint32_t *slot = angka_xmalloc(cap * sizeof *slot);
	for (size_t i = 0; i < cap; i++)
		slot[i] = UINT32_MAX;
	for (uint32_t id = 0; id < t->n; id++) {
		uint64_t h = hash_bytes(t->chars + t->off[id], t->len[id]);
		size_t i = (size_t)h & (cap - 1);
		while (slot[i] != UINT32_MAX)
			i = (i + 1) & (cap - 1);
		slot[i] = id;
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
}

uint32_t ind_strtab_find(const struct ind_strtab *t, const char *s, size_t n)
{
	if (!t->cap)
		return UINT32_MAX;
	uint64_t h = hash_bytes(s, n);
	size_t i = (size_t)h & (t->cap - 1);
	for (;;) {
		uint32_t id = t->slot[i];
		if (id == UINT32_MAX)
			return UINT32_MAX;
		if (t->len[id] == n && memcmp(t->chars + t->off[id], s, n) == 0)
			return id;
		i = (i + 1) & (t->cap - 1);
	}
}

uint32_t ind_strtab_intern(struct ind_strtab *t, const char *s, size_t n)
{
	uint32_t id = ind_strtab_find(t, s, n);
	if (id != UINT32_MAX)
		return id;
	if ((t->n + 1) * 2 > t->cap)
		strtab_rehash(t, t->cap ? t->cap * 2 : 64);
	if (t->nchars + n + 1 > t->charcap) {
		size_t c = t->charcap ? t->charcap : 4096;
		while (t->nchars + n + 1 > c)
			c *= 2;
		t->chars = angka_xrealloc(t->chars, c);
		t->charcap = c;
	}
	if (t->n == t->idcap) {
		t->idcap = t->idcap ? t->idcap * 2 : 64;
		t->off = angka_xrealloc(t->off, t->idcap * sizeof *t->off);
		t->len = angka_xrealloc(t->len, t->idcap * sizeof *t->len);
	}
	id = (uint32_t)t->n++;
	t->off[id] = t->nchars;
	t->len[id] = n;
	memcpy(t->chars + t->nchars, s, n);
	t->chars[t->nchars + n] = '\0';
	t->nchars += n + 1;
	uint64_t h = hash_bytes(s, n);
	size_t i = (size_t)h & (t->cap - 1);
	while (t->slot[i] != UINT32_MAX)
		i = (i + 1) & (t->cap - 1);
	t->slot[i] = id;
	return id;
}

void ind_map_init(struct ind_map *m)
{
	memset(m, 0, sizeof *m);
}

void ind_map_release(struct ind_map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}

static void map_rehash(struct ind_map *m, size_t cap)
{
	uint64_t *key = angka_xmalloc(cap * sizeof *key);
	uint32_t *val = angka_xmalloc(cap * sizeof *val);
	for (size_t i = 0; i < cap; i++)
		key[i] = IND_MAP_EMPTY;
	for (size_t j = 0; j < m->cap; j++) {
		if (m->key[j] == IND_MAP_EMPTY)
			continue;
		size_t i = (size_t)hash_u64(m->key[j]) & (cap - 1);
		while (key[i] != IND_MAP_EMPTY)
			i = (i + 1) & (cap - 1);
		key[i] = m->key[j];
		val[i] = m->val[j];
	}
	free(m->key);
	free(m->val);
	m->key = key;
	m->val = val;
	m->cap = cap;
}

uint32_t ind_map_get(const struct ind_map *m, uint64_t k)
{
	if (!m->cap)
		return UINT32_MAX;
	size_t i = (size_t)hash_u64(k) & (m->cap - 1);
	while (m->key[i] != IND_MAP_EMPTY) {
		if (m->key[i] == k)
			return m->val[i];
		i = (i + 1) & (m->cap - 1);
	}
	return UINT32_MAX;
}

void ind_map_put(struct ind_map *m, uint64_t k, uint32_t v)
{
	if ((m->n + 1) * 2 > m->cap)
		map_rehash(m, m->cap ? m->cap * 2 : 64);
	size_t i = (size_t)hash_u64(k) & (m->cap - 1);
	while (m->key[i] != IND_MAP_EMPTY) {
		if (m->key[i] == k) {
			m->val[i] = v;
			return;
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->key[i] = k;
	m->val[i] = v;
	m->n++;
}
