/*
 * ctx.c - what every pass of angka-dedup asks of the shared context: the
 * memory budget left for a sort, the peak state estimate and the pass
 * times of --verbose (see ctx.h).
 */
#include "ctx.h"

#include <stdio.h>
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
	if (x->o->verbose && x->pass_t0 > 0)
		fprintf(stderr, "%s: pass %-10s %8.2f s\n", angka_progname(),
		        pass, t - x->pass_t0);
	x->pass_t0 = t;
}

size_t dedup_sort_entries(const struct dedup_ctx *x)
{
	double budget = x->s->memory_mb * 1048576.0;
	double used = (double)x->n * sizeof *x->rec +
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
	             dedup_intern_bytes(&x->names) +
	             dedup_intern_bytes(&x->files) +
	             dedup_u64set_bytes(&x->kks) +
	             (uint64_t)x->npairs_alloc * sizeof *x->pairs + extra;
	if (b > x->st->state_bytes)
		x->st->state_bytes = b;
}

