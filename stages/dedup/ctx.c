/*
 * ctx.c - what every pass of angka-dedup asks of the shared context: the
 * memory budget left for a sort, the peak state estimate and the pass
 * times of --verbose (see ctx.h).
 */
#include "ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

double dedup_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void dedup_pass_done(struct dedup_ctx *x, const char *pass)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double t = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	/* The CPU of all threads too: on a shared machine the wall time of
	 * a pass is mostly the others' load. */
	struct rusage ru;
	double cpu = 0;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		      ((double)ru.ru_utime.tv_usec +
		       (double)ru.ru_stime.tv_usec) / 1e6;
	if (x->o->verbose && x->pass_t0 > 0)
		fprintf(stderr, "%s: pass %-10s %8.2f s, cpu %.2f s\n",
		        angka_progname(), pass, t - x->pass_t0,
		        cpu - x->pass_cpu0);
	x->pass_t0 = t;
	x->pass_cpu0 = cpu;
}

size_t dedup_sort_entries(const struct dedup_ctx *x)
{
	double budget = x->s->memory_mb * 1048576.0;
	double used = (double)x->n * sizeof *x->rec +
	              (x->period ? (double)x->n * sizeof *x->period : 0) +
	              (double)dedup_intern_bytes(&x->names) +
	              (double)dedup_intern_bytes(&x->files) +
	              (double)dedup_u64set_bytes(&x->kks) +
	              (double)x->npairs_alloc * sizeof *x->pairs;
	/* The sort buffer gets what the records leave of the budget, but at
	 * least a quarter of it: a budget below the records' own size must
	 * not degrade into thousands of tiny runs. */
	double left = budget - used;
	if (left < budget / 4)
		left = budget / 4;
	return (size_t)(left / sizeof(struct dedup_kv));
}

void dedup_note_bytes(struct dedup_ctx *x, size_t extra)
{
	uint64_t b = (uint64_t)x->n * sizeof *x->rec +
	             (x->period ? (uint64_t)x->n * sizeof *x->period : 0) +
	             dedup_intern_bytes(&x->names) +
	             dedup_intern_bytes(&x->files) +
	             dedup_u64set_bytes(&x->kks) +
	             (uint64_t)x->npairs_alloc * sizeof *x->pairs + extra;
	if (b > x->st->state_bytes)
		x->st->state_bytes = b;
}


/* ---- Row flags ---- */

void dedup_rflag_add(struct dedup_ctx *x, uint32_t i, uint32_t bits)
{
	if (x->nrflags == x->rflags_cap) {
		x->rflags_cap = x->rflags_cap ? 2 * x->rflags_cap : 64;
		x->rflags = angka_xrealloc(x->rflags,
		                           x->rflags_cap * sizeof *x->rflags);
	}
	x->rflags[x->nrflags].row = i;
	x->rflags[x->nrflags++].bits = bits;
	x->rec[i].flagged = 1;
}

static int rflag_cmp(const void *pa, const void *pb)
{
	const struct dedup_rflag *a = pa, *b = pb;
	return (a->row > b->row) - (a->row < b->row);
}

void dedup_rflags_sort(struct dedup_ctx *x)
{
	if (!x->nrflags)
		return;
	qsort(x->rflags, x->nrflags, sizeof *x->rflags, rflag_cmp);
	size_t k = 0;
	for (size_t i = 0; i < x->nrflags; i++) {
		if (k && x->rflags[k - 1].row == x->rflags[i].row)
			x->rflags[k - 1].bits |= x->rflags[i].bits;
		else
			x->rflags[k++] = x->rflags[i];
	}
	x->nrflags = k;
}

uint32_t dedup_rflag_get(const struct dedup_ctx *x, uint32_t i)
{
	if (!x->rec[i].flagged)
		return 0;
	size_t lo = 0, hi = x->nrflags;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->rflags[mid].row < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->nrflags && x->rflags[lo].row == i ? x->rflags[lo].bits
	                                                  : 0;
}

size_t dedup_rflag_names(uint32_t bits, char *out)
{
	static const char *const names[] = { "nik_shared", "nik_is_kk",
	                                     "nik_placeholder" };
	size_t n = 0;
	for (int k = 0; k < 3; k++)
		if (bits & (1u << k)) {
			if (n)
				out[n++] = '|';
			size_t l = strlen(names[k]);
			memcpy(out + n, names[k], l);
			n += l;
		}
	out[n] = 0;
	return n;
}
