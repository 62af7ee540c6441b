/*
 * chart.h - angka-chart's logic: charts of the poverty history and of the
 * registry/programme aggregates, rendered by gnuplot.
 *
 * For every chart NAME the stage writes NAME.dat (the data, one quoted label
 * column per data label, numbers with a '.' decimal point), NAME.gp (a script
 * that reads NAME.dat by relative name and renders every requested format
 * when run as `gnuplot NAME.gp` in its directory) and NAME.png/.svg/.pdf.
 * All of them go to temporary names first and are renamed into place only
 * when gnuplot succeeded, so a reader never sees a half-written chart.
 *
 * Text from the config or the data reaches gnuplot only inside single-quoted
 * strings (chart_gp_quote) or double-quoted data fields (chart_dat_quote),
 * with backquotes, control characters and line breaks replaced, so it can
 * never run a gnuplot command. Number labels are formatted here
 * (chart_format_number), never by gnuplot or the C locale.
 *
 * Allocation goes through angka_xmalloc (stages/common/xalloc.h): out of
 * memory is never returned, it prints a message and exits 1.
 *
 * The files: chart.h (this interface), chart.c (the run: inputs, region,
 * the loop over the charts), charts.c (the table of charts), chart_NAME.c
 * (one chart each), chart_shared.[ch] (helpers of several charts),
 * chart_draw.[ch] (words, colours, script and data pieces),
 * chart_table.[ch] (CSV tables in memory, history points),
 * chart_render.[ch] (temporary files, gnuplot, renames, PDF date),
 * chart_config.c ([chart] settings), gnuplot.c (buffers, quoting, number
 * labels, axes, running gnuplot), main.c (the command line).
 */
#ifndef ANGKA_CHART_H
#define ANGKA_CHART_H

#include <stddef.h>

#include "angka.h"

enum chart_lang { CHART_ID = 0, CHART_EN = 1 };

enum chart_format_flags {
	CHART_PNG = 1 << 0,
	CHART_SVG = 1 << 1,
	CHART_PDF = 1 << 2
};

/* Room for charts in struct chart_config (charts.c asserts the table
 * fits). */
#define CHART_MAX 16

/* Settings of the [chart] config section (see chart_config_keys). */
struct chart_config {
	int lang;                    /* enum chart_lang */
	const char *formats;         /* "png,svg,pdf" */
	const char *history;         /* trend/history.csv */
	const char *registry;        /* indicators/registry.csv */
	const char *programmes;      /* indicators/programmes.csv */
	const char *sae;             /* indicators/sae.csv */
	const char *komoditas;       /* indicators/komoditas_gk.csv */
	const char *wilayah;         /* region names: kode,nama (canonical) */
	const char *kode_wilayah;    /* region charted; NULL: from the data */
	const char *nama_wilayah;    /* its display name; NULL: from wilayah */
	const char *source;          /* source note of the BPS charts */
	const char *source_registry; /* source note of the registry charts */
	const char *title[CHART_MAX]; /* title_NAME, by index of chart_table */
	long tahun;                  /* year of the per-kecamatan charts; 0:
	                              * the latest in the data */
	double width_cm, height_cm;  /* default 16 x 9 */
	long dpi;                    /* PNG resolution, default 300 */
	double font_pt;              /* base font size, default 9 */
};

/* Defaults (Indonesian, png+svg+pdf, 16 x 9 cm, 300 dpi). */
void chart_config_init(struct chart_config *cc);

/*
 * The key table of [chart], for angka_config_apply(): the fixed keys and
 * the title key of every chart of chart_table. Built into static storage
 * by the first call (so not thread-safe before it); never NULL.
 */
const struct angka_key_def *chart_config_keys(void);

/* ---------------------------------------------------------------- charts */

/*
 * The inputs of a chart, for struct chart_def needs and uses: bit k is
 * input k of the command line and the [chart] section.
 */
enum chart_input {
	CHART_NEEDS_HISTORY = 1 << 0,    /* --history, trend/history.csv */
	CHART_NEEDS_REGISTRY = 1 << 1,   /* --registry, indicators/registry.csv */
	CHART_NEEDS_PROGRAMMES = 1 << 2, /* --programmes, programmes.csv */
	CHART_NEEDS_SAE = 1 << 3,        /* --sae, indicators/sae.csv */
	CHART_NEEDS_KOMODITAS = 1 << 4   /* --komoditas, komoditas_gk.csv */
};

struct chart_ctx;    /* chart_draw.h */
struct chart_plot;

/*
 * One chart: the file chart_NAME.c defines `const struct chart_def
 * chart_NAME` and chart_table lists it. Everything else (the chart names,
 * the inputs loaded, the [chart] title keys, the usage text) comes from
 * the table.
 */
struct chart_def {
	const char *name;        /* CHART argument; output files NAME.* */
	unsigned needs;          /* CHART_NEEDS_*: inputs it cannot go without
	                          * (a usage error when missing) */
	unsigned uses;           /* CHART_NEEDS_*: inputs it reads too when
	                          * given */
	const char *title_key;   /* [chart] key of its title: "title_NAME" */
	/*
	 * Write the chart's script and data into p (see chart_draw.h) from
	 * the inputs loaded in c; c->title is its [chart] title or NULL.
	 * ANGKA_EDATA when the data hold nothing to draw.
	 */
	enum angka_err (*build)(struct chart_ctx *c, struct chart_plot *p,
	                        struct angka_error *e);
};

/* Every chart, in the fixed order of `all`, NULL-terminated. */
extern const struct chart_def *const chart_table[];

/* Index of name in chart_table, or -1. */
int chart_index(const char *name);

/*
 * The names of the charts of chart_table whose inputs (needs and uses)
 * are all in given (CHART_NEEDS_* flags; ~0u: every chart), in table
 * order, into names (room for CHART_MAX). Returns their number. This is
 * the chart argument `available` (given: the inputs on the command line)
 * and `all`.
 */
size_t chart_select(unsigned given, const char **names);

/* Parse "png,svg,pdf" into CHART_* flags; "none" is no flag (charts
 * switched off: chart_run only creates the directory). 0 on success, -1
 * if unknown or empty. */
int chart_parse_formats(const char *s, unsigned *flags);

struct chart_opts {
	const char *outdir;          /* created if missing */
	const char *const *charts;   /* names of chart_table's charts */
	size_t ncharts;
	unsigned formats;            /* CHART_* */
	const char *gnuplot;         /* program to run, default "gnuplot" */
	int quiet;
};

/*
 * Render every chart of o with config cc. Stops at the first failure (the
 * files of charts already done stay). gnuplot's warnings are printed on
 * stderr (prefixed with the chart name) unless they are empty; a non-zero
 * exit of gnuplot is ANGKA_EDATA with its stderr in e->msg. *signal is set
 * to N when gnuplot died by signal N (else 0). Returns every error in e,
 * but out of memory prints a message and exits 1 (angka_xmalloc), which
 * can leave a temporary .NAME.* file in the output directory.
 */
enum angka_err chart_run(const struct chart_opts *o,
                         const struct chart_config *cc, int *signal,
                         struct angka_error *e);

/* ---------------------------------------------------------------- text */

/* A growing text buffer; chart_buf_release frees it. Growing it never
 * fails: out of memory prints a message and exits 1 (angka_xrealloc). */
struct chart_buf {
	char *s;
	size_t len, cap;
};
void chart_buf_printf(struct chart_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void chart_buf_add(struct chart_buf *b, const char *s, size_t n);
void chart_buf_release(struct chart_buf *b);

/*
 * Append s as a gnuplot string expression that yields s literally:
 * single-quoted pieces with ' doubled, ` replaced by ', control characters
 * (line breaks included) replaced by a space; '@' (a macro even inside
 * quotes) and apostrophes that would open a piece go into double-quoted
 * pieces (with the escape \100 for '@'), joined with '.'.
 */
void chart_gp_quote(struct chart_buf *b, const char *s);
/* Append s as a double-quoted data field: " replaced by ', controls and `
 * as in chart_gp_quote. */
void chart_dat_quote(struct chart_buf *b, const char *s);

/*
 * Format v with dec decimals for lang: Indonesian "7.064", "5,32",
 * "-0,51"; English "7,064", "5.32". Thousands are grouped from 1000 up.
 * NaN gives "". Returns buf.
 */
char *chart_format_number(double v, int dec, enum chart_lang lang, char *buf,
                          size_t cap);

/*
 * Nice axis for data in [lo, hi]: *step from 1, 2, 2.5, 5 x 10^k giving
 * about `want` intervals, *a and *b multiples of the step enclosing the
 * data, *dec the decimals a tick label needs.
 */
void chart_nice_axis(double lo, double hi, int want, double *a, double *b,
                     double *step, int *dec);

/* ---------------------------------------------------------------- gnuplot */

/*
 * Run prog (through execvp, no shell) as `prog -e DEFS script` in dir,
 * capturing its stderr (up to cap-1 bytes kept in err, NUL-terminated).
 * Returns 0 when it ran; *status is its exit status or -1, *sig the signal
 * that killed it or 0. Returns -1 with e set when fork/pipe failed.
 */
int chart_gnuplot_exec(const char *prog, const char *dir, const char *defs,
                       const char *script, int *status, int *sig, char *err,
                       size_t cap, struct angka_error *e);

#endif
