/*
 * keysort.h - sort (64-bit key, row id) pairs and visit the groups of equal
 * keys, in memory or, above a memory budget, as an external merge sort of
 * sorted runs spilled to unlinked temporary files.
 *
 * Every blocking pass of angka-dedup (the exact-NIK pass included) and the
 * household grouping go through this one module, so the memory budget
 * ([dedup] memory_mb) bounds all of them the same way.
 *
 * Ownership: struct dedup_keysort owns its buffer and run files;
 * dedup_keysort_release() frees them (and closes, so the kernel removes,
 * the run files). The ids passed to the group callback are borrowed and
 * valid only during the call.
 *
 * Out of memory: every function allocates through angka_xmalloc and
 * friends, which print the size and exit 1; a run file that cannot be
 * written is returned as ANGKA_EIO.
 */
#ifndef DEDUP_KEYSORT_H
#define DEDUP_KEYSORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "angka.h"

/* 12 bytes: the key in two 32-bit halves, so that an array of entries has
 * no padding (a uint64_t member would make it 16). Use dedup_kv_key. */
struct dedup_kv {
	uint32_t key_lo, key_hi;
	uint32_t id;
};

static inline uint64_t dedup_kv_key(const struct dedup_kv *kv)
{
	return (uint64_t)kv->key_hi << 32 | kv->key_lo;
}

struct dedup_keysort {
	struct dedup_kv *buf;
	size_t n, cap;         /* cap: entries held in memory before a spill */
	size_t buf_alloc;      /* entries allocated (grows towards cap) */
	const char *tmpdir;
	FILE **runs;
	size_t nruns;
	uint64_t total;        /* entries added */
	uint32_t *group;       /* ids of the current group (callback) */
	size_t group_alloc;
	int sorted;            /* buf[0..n) sorted (dedup_keysort_sort) */
};

/*
 * Initialise ks to hold at most max_entries in memory (at least 64) and to
 * spill runs into tmpdir (NULL: $TMPDIR or /tmp). Exits 1 on out of
 * memory (angka_xmalloc).
 */
void dedup_keysort_init(struct dedup_keysort *ks, size_t max_entries,
                        const char *tmpdir);

/* Add one pair; spills a sorted run when the buffer is full. ANGKA_EIO
 * with e set if the run cannot be written. */
enum angka_err dedup_keysort_add(struct dedup_keysort *ks, uint64_t key,
                                 uint32_t id, struct angka_error *e);

/*
 * Called once per distinct key in ascending key order with the ids of that
 * key in ascending order. At most group_cap ids are stored (ids has nstored
 * of them); ntotal is the full group size. A nonzero return stops the walk
 * and is returned by dedup_keysort_groups as an angka_err.
 */
typedef int (*dedup_group_fn)(void *ctx, uint64_t key, const uint32_t *ids,
                              size_t nstored, size_t ntotal);

/*
 * Sort (merging spilled runs) and call fn for every group. May be called
 * once per fill. Returns ANGKA_OK, ANGKA_EIO (e set) or fn's code.
 */
/* Sort the entries held in memory now (e.g. on a worker thread), so that a
 * later dedup_keysort_groups only merges. */
void dedup_keysort_sort(struct dedup_keysort *ks);
enum angka_err dedup_keysort_groups(struct dedup_keysort *ks, size_t group_cap,
                                    dedup_group_fn fn, void *ctx,
                                    struct angka_error *e);

/* Number of runs spilled to disk so far. */
size_t dedup_keysort_runs(const struct dedup_keysort *ks);

/* Free everything; ks may be initialised again. */
void dedup_keysort_release(struct dedup_keysort *ks);

/*
 * A new temporary file in dir (NULL: $TMPDIR or /tmp), already unlinked, open
 * for reading and writing. NULL with e set (ANGKA_EIO) on failure.
 */
FILE *dedup_tmpfile(const char *dir, struct angka_error *e);

/*
 * n bytes (not zeroed) for a large scratch array, aligned to 2 MiB and
 * marked for transparent huge pages when n is 2 MiB or more: one page
 * fault per 2 MiB instead of per 4 KiB on first touch (a fault costs tens
 * of microseconds in this VM). Free with free(). Exits 1 on out of memory.
 */
void *dedup_alloc_huge(size_t n);

/* A hint that p[0..n) be transparent huge pages when n is 2 MiB or more:
 * one page fault and one TLB entry per 2 MiB instead of per 4 KiB where
 * the kernel has them (a page fault costs microseconds in this VM). The
 * advice covers the whole pages of the array, so realloc can still grow
 * it with mremap. For the large arrays of the read and blocking passes;
 * nothing on other systems. */
void dedup_hugepage_hint(void *p, size_t n);

/* Make the whole 2 MiB pages inside p[0..n) transparent huge pages now
 * (Linux's MADV_COLLAPSE, in place; nothing where the kernel refuses it
 * or the build's headers lack it). For an array filled while it grew:
 * realloc's mremap splits its huge pages, and random reads of its 4 KiB
 * pages were measured at microseconds each in this VM (block.c,
 * block_collapse). */
void dedup_hugepage_collapse(void *p, size_t n);

/* Ascending (key, id) order, for qsort. */
int dedup_kv_cmp(const void *a, const void *b);

#endif
