/*
 * chart_draw.h - angka-chart's drawing kit, private to stages/chart: the
 * context a chart is built in (struct chart_ctx), the script and data of
 * one chart (struct chart_plot), the words of the charts in both
 * languages, the colours, and the pieces of a gnuplot script and of its
 * .dat file. A chart's build function (see struct chart_def in chart.h)
 * uses these and nothing of the rendering.
 *
 * Nothing here fails: text goes into growing buffers, whose allocation
 * failure prints "out of memory" and exits 1 (angka_xmalloc).
 */
#ifndef ANGKA_CHART_DRAW_H
#define ANGKA_CHART_DRAW_H

#include <stddef.h>

#include "chart.h"
#include "chart_table.h"

/* ---------------------------------------------------------------- words */

/* Every text of the charts, Indonesian then English. */
enum {
	W_TITLE_P0, W_TITLE_MISKIN, W_TITLE_P1P2, W_TITLE_DTKS_KEC,
	W_TITLE_DTKS_BPS, W_TITLE_PROGRAM, W_PERSEN, W_JIWA, W_INDEX, W_TAHUN,
	W_CI, W_HITUNG, W_RESMI, W_MISKIN_BAR, W_P0_LINE, W_HOLLOW,
	W_HOLLOW_BAR, W_SOURCE, W_SOURCE_REG, W_ERRBAR, W_DTKS, W_BPS,
	W_MISKIN_HITUNG, W_PENERIMA, W_SHARE, W_P1, W_P2, W_P1_RESMI,
	W_P2_RESMI, W_TITLE_SAE, W_SAE_DIRECT, W_SAE_MODEL, W_SAE_RSE,
	W_SAE_NOTE, W_TITLE_KOMODITAS, W_PORSI_GK, W_PERKOTAAN, W_PERDESAAN,
	W_KOMODITAS_NOTE, W_COUNT
};
/* [W_*][enum chart_lang]: UTF-8, never NULL. */
extern const char *const chart_words[W_COUNT][2];

/* Colours chosen to stay apart in greyscale print: dark, mid, light. */
#define C_DARK "#1B3A6B"
#define C_MID "#D9730D"
#define C_LIGHT "#8FA8CC"
#define C_BAND "#D5DFEE"
#define C_GRID "#E3E3E3"
#define C_NOTE "#4D4D4D"
#define C_PUB "#333333"      /* published P1/P2: open black markers */

/* ---------------------------------------------------------------- context */

/* What every chart of one run is built from. */
struct chart_ctx {
	const struct chart_opts *o;      /* borrowed */
	const struct chart_config *cc;   /* borrowed */
	enum chart_lang lang;
	struct ctab hist, reg, prog, sae, kom, wil; /* loaded inputs
	                                             * (have_*), owned */
	int have_hist, have_reg, have_prog, have_sae, have_kom, have_wil;
	const char *kode;          /* the region charted */
	char nama[256];            /* its display name */
	const char *title;         /* [chart] title of the chart being built,
	                            * or NULL */
};

/* Word w in the chart's language. */
static inline const char *W(const struct chart_ctx *c, int w)
{
	return chart_words[w][c->lang];
}

/* chart_format_number in the chart's language. */
static inline char *fmt(const struct chart_ctx *c, double v, int dec,
                        char *buf, size_t cap)
{
	return chart_format_number(v, dec, c->lang, buf, cap);
}

/* ---------------------------------------------------------------- script */

/* One chart being built: its NAME.gp and NAME.dat text (owned; the
 * renderer releases them). */
struct chart_plot {
	struct chart_buf gp, dat;
	const char *name;
	int footnotes;             /* lines of notes above the source line */
};

/* Append one printf-formatted line (and '\n') to the script, however long. */
void chart_gp_line(struct chart_plot *p, const char *fmt_, ...)
	__attribute__((format(printf, 2, 3)));

/* "set NAME 'text' rest" with text quoted; rest may be NULL. */
void chart_gp_set_text(struct chart_plot *p, const char *what,
                       const char *text, const char *rest);

/*
 * The head of every script: a comment saying what the chart shows (what)
 * and how to re-render it, the defaults of dat and out, the decimal sign,
 * the title (label 80, smaller when long) and key at the top, borders,
 * tics, grid and margins.
 */
void chart_gp_begin(struct chart_ctx *c, struct chart_plot *p,
                    const char *what, const char *title);

/*
 * Notes under the chart: source on the bottom line, the non-NULL of
 * foot[0..nfoot) above it; the bottom margin fits them (and an x label
 * when xlabel).
 */
void chart_gp_notes(struct chart_plot *p, const char *source,
                    const char *const *foot, size_t nfoot, int xlabel);

/* Year axis: one tick per year from a to b. */
void chart_gp_year_axis(struct chart_plot *p, int a, int b);

/*
 * A value axis ("y", "y2" or "x") over [ra, rb] with ticks every step from
 * t0 to t1, labels with dec decimals in the chart's language. The range
 * may exceed the ticks.
 */
void chart_gp_value_axis(struct chart_ctx *c, struct chart_plot *p,
                         const char *axis, double ra, double rb, double t0,
                         double t1, double step, int dec);

/*
 * Series k (0 first) of a grouped horizontal bar chart, appended to cmd:
 * bars of half-height hw at row offset off from column 4 + 2k of the .dat
 * (column 3 the row's tick label, read by series 0), titled title in the
 * key and fill colour, then that column's value labels (column 5 + 2k) in
 * label_pt points to the right of the bars.
 */
void chart_gp_hbar_series(struct chart_buf *cmd, int k, double off,
                          double hw, const char *colour, const char *title,
                          double label_pt);

/*
 * The end of every script: one terminal block per format of c->o->formats
 * (png, svg, pdf in that order), the first running plotcmd, the others
 * "replot"; then "unset output".
 */
void chart_gp_terminals(struct chart_ctx *c, struct chart_plot *p,
                        const char *plotcmd);

/*
 * The title of the chart being built: its [chart] title_NAME (c->title) if
 * set, else "WORD, NAMA" and ", span" when span is not NULL, written into
 * buf. Returns either.
 */
const char *chart_title(struct chart_ctx *c, int w, char *buf, size_t cap,
                        const char *span);

/* "2019" or "2015–2024" (en dash). */
void chart_year_span(int a, int b, char *buf, size_t cap);

/* Append " v" to the .dat (%.10g), or " ?" when v is not finite. */
void chart_dat_num(struct chart_plot *p, double v);
/* Append " \"s\"" to the .dat (chart_dat_quote). */
void chart_dat_label(struct chart_plot *p, const char *s);

#endif
