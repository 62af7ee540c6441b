/*
 * chart_render.h - angka-chart's rendering of one chart, private to
 * stages/chart: temporary files, running gnuplot, renaming into place and
 * the reproducible PDF date.
 */
#ifndef ANGKA_CHART_RENDER_H
#define ANGKA_CHART_RENDER_H

#include "chart_draw.h"

/*
 * Render chart ch (an index of chart_table) from the inputs loaded in c
 * (c->title is set to its [chart] title): build its script and data,
 * write them to temporary names in c->o->outdir, run c->o->gnuplot there,
 * check that every format of c->o->formats was written (and fix the PDF
 * date), then rename NAME.dat, NAME.gp and the images into place. Prints
 * "wrote ..." on stderr unless c->o->quiet, and gnuplot's warnings. *sig
 * is the signal that killed gnuplot, else 0.
 *
 * Returns ANGKA_EDATA when the chart has no data or gnuplot failed (or
 * could not be run: exit status 127), ANGKA_EIO when gnuplot cannot be
 * started or a file cannot be written, fixed or renamed; the temporary
 * files of this chart are removed then. Out of memory prints a message
 * and exits 1 (angka_xmalloc), which can leave a temporary .NAME.* file
 * in the output directory.
 */
enum angka_err chart_render(struct chart_ctx *c, int ch, int *sig,
                            struct angka_error *e);

#endif
