/*
 * dedup.c - angka-dedup's driver: the context's life and the sequence of
 * passes (see dedup.h). Each pass is in its own file: settings.c, read.c
 * (read), block.c (exact NIK and blocking), score.c (scoring), cluster.c
 * (clusters and survivors), output.c (unique, duplicates, review) and
 * household.c (households), changes.c (perubahan between two periods),
 * golden.c (golden records);
 * their shared state is in ctx.h.
 */
#include "dedup.h"
#include "ctx.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum angka_err dedup_run(const struct dedup_opts *o,
                         const struct dedup_settings *s,
                         struct dedup_stats *st, struct angka_error *e)
{
	struct dedup_ctx x;
	/* Perubahan (changes.c) and golden records (golden.c). */
	struct angka_csv_writer *extra[3] = { NULL, NULL, NULL };
	memset(&x, 0, sizeof x);
	x.spool.mfd = x.spool.dfd = x.spool.chk_fd = -1;
	long page = sysconf(_SC_PAGESIZE);
	x.page = page > 0 ? (uint64_t)page : 4096;
	memset(st, 0, sizeof *st);
	x.o = o;
	x.s = s;
	x.st = st;
	dedup_intern_init(&x.names);
	dedup_intern_init(&x.files);
	dedup_u64set_init(&x.kks);
	dedup_pass_done(&x, "");
	enum angka_err rc = o->nrecs ? dedup_recs_load(&x, e)
	                             : dedup_read_input(&x, e);
	dedup_pass_done(&x, "read");
	if (rc != ANGKA_OK)
		goto cleanup;
	if (o->recs_out) {
		/* A prepared part (recs.c): its read pass, nothing else. */
		rc = dedup_recs_write(&x, e);
		dedup_pass_done(&x, "recs");
		goto cleanup;
	}
	st->rows_in = x.n;
	if (o->pairs_out) {
		/* A shard: its blocking into its pair file, nothing else. */
		dedup_note_bytes(&x, 0);
		rc = dedup_blocking(&x, e);
		dedup_pass_done(&x, "blocking");
		goto cleanup;
	}
	if (o->decisions &&
	    (rc = dedup_decisions_load(&x, o->decisions, e)) != ANGKA_OK)
		goto cleanup;
	if (o->evaluate && s->fixed) {
		dedup_evaluate(&x, stdout);
		goto cleanup;
	}
	dedup_note_bytes(&x, 0);
	if ((rc = o->nmerge_pairs ? dedup_blocking_merge(&x, e)
	                          : dedup_blocking(&x, e)) != ANGKA_OK)
		goto cleanup;
	if (!o->quiet)
		dedup_print_candidates(&x);
	if ((rc = dedup_check_degraded(&x, e)) != ANGKA_OK)
		goto cleanup;
	dedup_pass_done(&x, "blocking");
	dedup_regions_preload(&x);
	dedup_scoring(&x);
	if (o->fit || o->evaluate) {
		/* The learned weights are fitted: print them, or evaluate
		 * the decisions with them. */
		if (o->fit)
			dedup_fit_print(&x, stdout);
		else
			dedup_evaluate(&x, stdout);
		goto cleanup;
	}
	dedup_intern_release(&x.names);
	dedup_intern_init(&x.names);
	dedup_clusters(&x);
	dedup_pass_done(&x, "scoring");
	/* The changes between periods and the golden records (written
	 * during the output pass), committed once the other outputs are. */
	if ((rc = dedup_changes(&x, &extra[0], &extra[1], e)) == ANGKA_OK)
		rc = dedup_write_outputs(&x, &extra[2], e);
	for (int k = 0; k < 3; k++) {
		if (rc == ANGKA_OK && extra[k])
			rc = angka_csv_writer_commit(extra[k], e);
		else
			angka_csv_writer_abort(extra[k]);
		extra[k] = NULL;
	}
	dedup_pass_done(&x, "commit");
cleanup:
	dedup_regions_wait(&x);
	dedup_spool_close(&x.spool);
	for (size_t i = 0; x.header && i < x.nfields; i++)
		free(x.header[i]);
	free(x.header);
	free(x.rec);
	free(x.offbase);
	free(x.name0);
	free(x.period);
	dedup_u64set_release(&x.kks);
	dedup_unmap_window(&x.win);
	free(x.pairs);
	free(x.cl);
	free(x.cl_rows);
	free(x.cl_start);
	free(x.rflags);
	free(x.name_rows);
	free(x.in_name);
	dedup_decisions_free(&x);
	dedup_intern_release(&x.names);
	dedup_intern_release(&x.files);
	return rc;
}
