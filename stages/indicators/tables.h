/*
 * tables.h - hash tables local to the indicators stage (see tables.c).
 * Ownership: each table owns its memory; *_release frees it. Strings
 * passed to ind_strtab_intern are copied.
 */
#ifndef ANGKA_IND_TABLES_H
#define ANGKA_IND_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "angka.h"

struct ind_strtab {
	char *chars;             /* NUL-terminated strings back to back */
	size_t nchars, charcap;
	size_t *off, *len;       /* per id */
	size_t n, idcap;
	uint32_t *slot;          /* open addressing, UINT32_MAX empty */
	size_t cap;
};

void ind_strtab_init(struct ind_strtab *t);
void ind_strtab_release(struct ind_strtab *t);
/* The id of s[0..n), interning a copy if new. */
uint32_t ind_strtab_intern(struct ind_strtab *t, const char *s, size_t n);
/* The id of s[0..n) or UINT32_MAX. */
uint32_t ind_strtab_find(const struct ind_strtab *t, const char *s, size_t n);
/* The string of id (borrowed; valid until the next intern). */
static inline const char *ind_strtab_get(const struct ind_strtab *t,
                                         uint32_t id)
{
	return t->chars + t->off[id];
}

#define IND_MAP_EMPTY UINT64_MAX

struct ind_map {
	uint64_t *key;
	uint32_t *val;
	size_t n, cap;
};

void ind_map_init(struct ind_map *m);
void ind_map_release(struct ind_map *m);
/* The value for k or UINT32_MAX. k must not be IND_MAP_EMPTY. */
uint32_t ind_map_get(const struct ind_map *m, uint64_t k);
void ind_map_put(struct ind_map *m, uint64_t k, uint32_t v);

static inline uint64_t ind_key2(uint32_t a, uint32_t b)
{
	return (uint64_t)a << 32 | b;
}

#endif
