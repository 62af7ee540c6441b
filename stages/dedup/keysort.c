/*
 * keysort.c - in-memory sort with external-merge fallback; see keysort.h.
 * Runs are raw little arrays of (key, id) written with stdio into files that
 * are unlinked as soon as they are created, so nothing is left behind even
 * if the process is killed.
 */
#include "keysort.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
/* MADV_COLLAPSE (Linux 6.1) is in the kernel's headers; glibc's
 * sys/mman.h has it from 2.37 on only. Where neither has it, no
 * collapse (dedup_hugepage_collapse). */
#if defined(__linux__) && defined(__has_include)
#if __has_include(<linux/mman.h>)
#include <linux/mman.h>
#endif
#endif

#define MIN_ENTRIES 64

int dedup_kv_cmp(const void *a, const void *b)
{
	const struct dedup_kv *x = a, *y = b;
	uint64_t kx = dedup_kv_key(x), ky = dedup_kv_key(y);
	if (kx != ky)
		return kx < ky ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int kv_less(const struct dedup_kv *a, const struct dedup_kv *b)
{
	uint64_t ka = dedup_kv_key(a), kb = dedup_kv_key(b);
	return ka < kb || (ka == kb && a->id < b->id);
}

/*
 * Sort v[0..n) into ascending (key, id) order in place: an MSD radix sort
 * on the key bytes from byte `shift / 8` down (American flag sort, no
 * scratch array, so the sort budget stays the buffer itself), with an
 * insertion sort for small buckets. Entries are distinct in (key, id), so
 * the order is the same as qsort with dedup_kv_cmp.
 */
static void kv_sort(struct dedup_kv *v, size_t n, int shift)
{
	if (n <= 32) {
		for (size_t i = 1; i < n; i++) {
			struct dedup_kv t = v[i];
			size_t j = i;
			while (j > 0 && kv_less(&t, &v[j - 1])) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = t;
		}
		return;
	}
	if (shift < 0) {
		/* Equal keys: order by id. */
		qsort(v, n, sizeof *v, dedup_kv_cmp);
		return;
	}
	size_t count[256] = { 0 };
	for (size_t i = 0; i < n; i++)
		count[(dedup_kv_key(&v[i]) >> shift) & 0xFF]++;
	size_t start[256], next[256], pos = 0;
	for (int b = 0; b < 256; b++) {
		start[b] = next[b] = pos;
		pos += count[b];
	}
	for (int b = 0; b < 256; b++) {
		size_t stop = start[b] + count[b];
		while (next[b] < stop) {
			struct dedup_kv t = v[next[b]];
			unsigned d = (unsigned)(dedup_kv_key(&t) >> shift) & 0xFF;
			while (d != (unsigned)b) {
				struct dedup_kv u = v[next[d]];
				v[next[d]++] = t;
				t = u;
				d = (unsigned)(dedup_kv_key(&t) >> shift) & 0xFF;
			}
			v[next[b]++] = t;
		}
	}
	for (int b = 0; b < 256; b++)
		if (count[b] > 1)
			kv_sort(v + start[b], count[b], shift - 8);
}

#define HUGE_PAGE ((size_t)1 << 21)

void dedup_hugepage_hint(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	/* The whole pages of the array, not only its 2 MiB ones: an
	 * advice on part of a mapping splits it, and realloc can then no
	 * longer grow it with mremap (it copies instead). */
	long ps = sysconf(_SC_PAGESIZE);
	const uintptr_t page = ps > 0 ? (uintptr_t)ps : 4096;
	if (n < HUGE_PAGE)
		return;
	uintptr_t a = (uintptr_t)p & ~(page - 1);
	uintptr_t b = ((uintptr_t)p + n + page - 1) & ~(page - 1);
	(void)madvise((void *)a, (size_t)(b - a), MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

void dedup_hugepage_collapse(void *p, size_t n)
{
#ifdef MADV_COLLAPSE
	/* A kernel older than its headers refuses it (EINVAL): ignored. */
	uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	uintptr_t b = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (p && b > a)
		(void)madvise((void *)a, (size_t)(b - a), MADV_COLLAPSE);
#else
	(void)p;
	(void)n;
#endif
}

void *dedup_alloc_huge(size_t n)
{
	void *p = NULL;
	if (n >= HUGE_PAGE && posix_memalign(&p, HUGE_PAGE, n) == 0) {
		dedup_hugepage_hint(p, n);
		return p;
	}
	return angka_xmalloc(n ? n : 1);
}

void dedup_keysort_init(struct dedup_keysort *ks, size_t max_entries,
                        const char *tmpdir)
{
	memset(ks, 0, sizeof *ks);
	ks->cap = max_entries < MIN_ENTRIES ? MIN_ENTRIES : max_entries;
	ks->tmpdir = tmpdir;
}

static const char *tmp_dir(const char *d)
{
	if (d && *d)
		return d;
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

FILE *dedup_tmpfile(const char *dir, struct angka_error *e)
{
	dir = tmp_dir(dir);
	size_t n = strlen(dir) + 32;
	char *path = angka_xmalloc(n);
	snprintf(path, n, "%s/angka-dedup.XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		ANGKA_ERR(e, ANGKA_EIO, "cannot create a temporary file in '%s':",
		          dir);
		free(path);
		return NULL;
	}
	unlink(path);
	free(path);
	FILE *f = fdopen(fd, "w+b");
	if (!f) {
		ANGKA_ERR(e, ANGKA_EIO, "cannot open a temporary file:");
		close(fd);
	}
	return f;
}

static enum angka_err spill(struct dedup_keysort *ks, struct angka_error *e)
{
	kv_sort(ks->buf, ks->n, 56);
	FILE *f = dedup_tmpfile(ks->tmpdir, e);
	if (!f)
		return e->code;
	for (size_t i = 0; i < ks->n; i++) {
		if (fwrite(&ks->buf[i], sizeof ks->buf[i], 1, f) != 1)
			break;
	}
	if (fflush(f) || ferror(f) || fseeko(f, 0, SEEK_SET)) {
		fclose(f);
		return ANGKA_ERR(e, ANGKA_EIO, "cannot write a sort run to '%s':",
		                 tmp_dir(ks->tmpdir));
	}
	ks->runs = angka_xrealloc(ks->runs, (ks->nruns + 1) * sizeof *ks->runs);
	ks->runs[ks->nruns++] = f;
	ks->n = 0;
	return ANGKA_OK;
}

void dedup_keysort_sort(struct dedup_keysort *ks)
{
	if (ks->n && !ks->sorted)
		kv_sort(ks->buf, ks->n, 56);
	ks->sorted = 1;
}

enum angka_err dedup_keysort_add(struct dedup_keysort *ks, uint64_t key,
                                 uint32_t id, struct angka_error *e)
{
	ks->sorted = 0;
	if (ks->n == ks->cap) {
		enum angka_err rc = spill(ks, e);
		if (rc != ANGKA_OK)
			return rc;
	}
	if (ks->n == ks->buf_alloc) {
		/* Grow towards cap rather than allocating it up front, so a
		 * small input under a large budget stays small. */
		size_t c = ks->buf_alloc ? ks->buf_alloc * 2 : 4096;
		if (c > ks->cap)
			c = ks->cap;
		ks->buf = angka_xrealloc(ks->buf, c * sizeof *ks->buf);
		ks->buf_alloc = c;
		dedup_hugepage_hint(ks->buf, c * sizeof *ks->buf);
	}
	ks->buf[ks->n].key_lo = (uint32_t)key;
	ks->buf[ks->n].key_hi = (uint32_t)(key >> 32);
	ks->buf[ks->n].id = id;
	ks->n++;
	ks->total++;
	return ANGKA_OK;
}

/* One input of the k-way merge: a run file or the in-memory buffer. */
struct source {
	FILE *f;                   /* NULL: the buffer */
	const struct dedup_kv *mem;
	size_t memn, memi;
	struct dedup_kv cur;
};

/* Advance src; 1 if cur holds an entry, 0 at its end, -1 on a read error. */
static int source_next(struct source *s)
{
	if (!s->f) {
		if (s->memi == s->memn)
			return 0;
		s->cur = s->mem[s->memi++];
		return 1;
	}
	if (fread(&s->cur, sizeof s->cur, 1, s->f) != 1)
		return ferror(s->f) || !feof(s->f) ? -1 : 0;
	return 1;
}

static int src_less(const struct source *a, const struct source *b)
{
	return dedup_kv_cmp(&a->cur, &b->cur) < 0;
}

/* Min-heap of sources ordered by their current entry. */
static void sift_down(struct source **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && src_less(h[l], h[m]))
			m = l;
		if (r < n && src_less(h[r], h[m]))
			m = r;
		if (m == i)
			return;
		struct source *t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

enum angka_err dedup_keysort_groups(struct dedup_keysort *ks, size_t group_cap,
                                    dedup_group_fn fn, void *ctx,
                                    struct angka_error *e)
{
	enum angka_err rc = ANGKA_OK;
	dedup_keysort_sort(ks);
	size_t nsrc = ks->nruns + 1;
	struct source *src = angka_xcalloc(nsrc, sizeof *src);
	struct source **heap = angka_xcalloc(nsrc, sizeof *heap);
	size_t nheap = 0;
	for (size_t i = 0; i < nsrc; i++) {
		if (i < ks->nruns)
			src[i].f = ks->runs[i];
		else {
			src[i].mem = ks->buf;
			src[i].memn = ks->n;
		}
		int got = source_next(&src[i]);
		if (got < 0)
			goto readerr;
		if (got)
			heap[nheap++] = &src[i];
	}
	for (size_t i = nheap; i-- > 0;)
		sift_down(heap, nheap, i);
	if (group_cap == 0)
		group_cap = 1;
	size_t nstored = 0, ntotal = 0;
	uint64_t gkey = 0;
	while (nheap) {
		struct dedup_kv kv = heap[0]->cur;
		int got = source_next(heap[0]);
		if (got < 0)
			goto readerr;
		if (got)
			sift_down(heap, nheap, 0);
		else {
			heap[0] = heap[--nheap];
			sift_down(heap, nheap, 0);
		}
		uint64_t key = dedup_kv_key(&kv);
		if (ntotal && key != gkey) {
			int r = fn(ctx, gkey, ks->group, nstored, ntotal);
			if (r) {
				rc = (enum angka_err)r;
				goto done;
			}
			nstored = ntotal = 0;
		}
		gkey = key;
		if (nstored < group_cap) {
			if (nstored == ks->group_alloc) {
				ks->group_alloc = ks->group_alloc ? 2 * ks->group_alloc
				                                  : 64;
				ks->group = angka_xrealloc(ks->group,
				        ks->group_alloc * sizeof *ks->group);
			}
			ks->group[nstored++] = kv.id;
		}
		ntotal++;
	}
	if (ntotal) {
		int r = fn(ctx, gkey, ks->group, nstored, ntotal);
		if (r)
			rc = (enum angka_err)r;
	}
	goto done;
readerr:
	rc = ANGKA_ERR(e, ANGKA_EIO, "cannot read a sort run back from '%s':",
	               tmp_dir(ks->tmpdir));
done:
	free(heap);
	free(src);
	return rc;
}

size_t dedup_keysort_runs(const struct dedup_keysort *ks)
{
	return ks->nruns;
}

void dedup_keysort_release(struct dedup_keysort *ks)
{
	for (size_t i = 0; i < ks->nruns; i++)
		fclose(ks->runs[i]);
	free(ks->runs);
	free(ks->buf);
	free(ks->group);
	memset(ks, 0, sizeof *ks);
}
