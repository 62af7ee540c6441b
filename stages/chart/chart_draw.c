/*
 * chart_draw.c - angka-chart's drawing kit: the words of the charts in
 * both languages and the pieces of a gnuplot script (header, titles,
 * notes, axes, one block per output format) and of its data file. See
 * chart_draw.h.
 */
#include "chart_draw.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- words */

const char *const chart_words[W_COUNT][2] = {
	{ "Persentase penduduk miskin (P0)", "Poverty headcount ratio (P0)" },
	{ "Jumlah dan persentase penduduk miskin",
	  "Number and percentage of poor people" },
	{ "Kedalaman (P1) dan keparahan (P2) kemiskinan",
	  "Poverty gap (P1) and severity (P2) indices" },
	{ "Individu terdaftar DTKS per kecamatan",
	  "Individuals registered in DTKS by district" },
	{ "Individu DTKS dan penduduk miskin",
	  "DTKS individuals and poor people" },
	{ "Penerima bantuan per kecamatan", "Programme recipients by district" },
	{ "Persen (%)", "Percent (%)" },
	{ "Jiwa", "Persons" },
	{ "Indeks (x100)", "Index (x100)" },
	{ "Tahun", "Year" },
	{ "Selang kepercayaan 95 %", "95 % confidence interval" },
	{ "Hasil hitung SUSENAS", "Computed from SUSENAS" },
	{ "Angka resmi BPS", "Official BPS figure" },
	{ "Penduduk miskin (jiwa)", "Poor people (persons)" },
	{ "P0 (%, sumbu kanan)", "P0 (%, right axis)" },
	{ "Tanda kosong: RSE > 25 %, perkiraan kurang andal, gunakan dengan "
	  "hati-hati",
	  "Hollow markers: RSE > 25 %, less reliable estimate, use with care" },
	{ "Batang kosong: RSE > 25 %, perkiraan kurang andal",
	  "Hollow bars: RSE > 25 %, less reliable estimate" },
	{ "Sumber: BPS, SUSENAS Maret (diolah)",
	  "Source: BPS, March SUSENAS (processed)" },
	{ "Sumber: Kemensos (DTKS), Dinas Sosial (diolah)",
	  "Source: Ministry of Social Affairs (DTKS), Social Affairs Office "
	  "(processed)" },
	{ "Garis tegak: selang kepercayaan 95 %",
	  "Vertical bars: 95 % confidence interval" },
	{ "Individu terdaftar DTKS", "Individuals in DTKS" },
	{ "Penduduk miskin, angka resmi BPS", "Poor people, official BPS figure" },
	{ "Penduduk miskin, hitung angka (SUSENAS)",
	  "Poor people, computed by angka (SUSENAS)" },
	{ "Penerima (orang)", "Recipients (persons)" },
	{ "Individu (jiwa); dalam kurung: persen penduduk kecamatan",
	  "Persons; in brackets: percent of the district population" },
	{ "P1 (kedalaman)", "P1 (gap)" },
	{ "P2 (keparahan)", "P2 (severity)" },
	{ "P1 resmi BPS", "P1 official BPS" },
	{ "P2 resmi BPS", "P2 official BPS" },
	{ "Persentase penduduk miskin (P0) per kecamatan: langsung dan SAE",
	  "Poverty headcount ratio (P0) by district: direct and small-area" },
	{ "Langsung (SUSENAS)", "Direct (SUSENAS)" },
	{ "Area kecil (EBLUP)", "Small-area (EBLUP)" },
	{ "Median RSE langsung -> estimasi area kecil",
	  "Median RSE direct -> small-area estimate" },
	{ "Garis: selang kepercayaan 95 %; kovariat dari DTKS; tanpa varians "
	  "langsung: sintetis",
	  "Lines: 95 % confidence intervals; covariates from DTKS; no direct "
	  "variance: synthetic" },
	{ "Komoditas penyumbang terbesar garis kemiskinan",
	  "Commodities contributing most to the poverty line" },
	{ "Sumbangan terhadap garis kemiskinan (%)",
	  "Share of the poverty line (%)" },
	{ "Perkotaan", "Urban" },
	{ "Perdesaan", "Rural" },
	{ "Garis kemiskinan dihitung dari modul konsumsi SUSENAS (metode "
	  "kebutuhan dasar)",
	  "Poverty line computed from the SUSENAS consumption module (basic "
	  "needs method)" },
};

/* ---------------------------------------------------------------- script */

void chart_gp_line(struct chart_plot *p, const char *fmt_, ...)
{
	/* Plot commands can be long: never truncate a line of the script. */
	char small[1024];
	va_list ap, ap2;
	va_start(ap, fmt_);
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt_, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof small) {
		chart_buf_add(&p->gp, small, (size_t)n);
	} else if (n >= 0) {
		char *big = angka_xmalloc((size_t)n + 1);
		vsnprintf(big, (size_t)n + 1, fmt_, ap2);
		chart_buf_add(&p->gp, big, (size_t)n);
		free(big);
	}
	va_end(ap2);
	chart_buf_add(&p->gp, "\n", 1);
}

/* "set NAME 'text' rest" with text quoted. */
void chart_gp_set_text(struct chart_plot *p, const char *what, const char *text,
                       const char *rest)
{
	chart_buf_printf(&p->gp, "set %s ", what);
	chart_gp_quote(&p->gp, text);
	chart_buf_printf(&p->gp, "%s%s\n", rest ? " " : "", rest ? rest : "");
}

void chart_gp_begin(struct chart_ctx *c, struct chart_plot *p, const char *what,
                    const char *title)
{
	chart_buf_printf(&p->gp,
		"# %s.gp - %s.\n"
		"# Written by angka-chart %s. Render from this directory with\n"
		"#   gnuplot %s.gp\n"
		"# which reads %s.dat and writes %s.png/.svg/.pdf (the formats "
		"below).\n"
		"if (!exists(\"dat\")) dat = '%s.dat'\n"
		"if (!exists(\"out\")) out = '%s'\n",
		p->name, what, ANGKA_VERSION, p->name, p->name, p->name, p->name,
		p->name);
	chart_gp_line(p, "set decimalsign '%s'", c->lang == CHART_ID ? "," : ".");
	chart_gp_line(p, "set datafile missing '?'");
	/* Title and key left-aligned at the top of the canvas, the key in
	 * one row under the title: never over the data, reading order. */
	chart_buf_printf(&p->gp, "set label 80 ");
	chart_gp_quote(&p->gp, title);
	/* A long title (e.g. from the config) gets a smaller font so that it
	 * still fits the width: about 70 characters at font_pt + 1. */
	size_t tl = strlen(title);
	double tf = c->cc->font_pt + 1;
	if (tl > 68)
		tf = tf * 68.0 / (double)tl;
	chart_gp_line(p, " at screen 0.012, screen 0.955 left font ',%.3g'", tf);
	chart_gp_line(p, "set tmargin 4.6");
	chart_gp_line(p, "set key at screen 0.012, screen 0.905 left top "
	              "horizontal maxcols 6 maxrows 2 reverse Left samplen 1.5 "
	              "spacing 1 width -2 font ',7.5' noautotitle");
	chart_gp_line(p, "set border 3 lc rgb '#333333'");
	chart_gp_line(p, "set tics nomirror out scale 0.5");
	chart_gp_line(p, "set grid ytics lt 1 lc rgb '%s' lw 0.5", C_GRID);
	chart_gp_line(p, "set style fill solid 1.0 noborder");
	chart_gp_line(p, "set lmargin 9");
	chart_gp_line(p, "set rmargin 4");
}

/*
 * A note line under the chart; line 0 is the bottom (the source). Placed
 * in character units, the unit of the bottom margin, so the notes and the
 * tick labels above them keep their distance in every format and size
 * (at screen fractions they met: p1_p2's footnote over the year labels).
 */
#define NOTE_BASE 0.8     /* centre of the bottom line, characters */
#define NOTE_STEP 1.1     /* line spacing of the 7-point notes */

static void gp_note(struct chart_plot *p, int line, const char *text)
{
	char pos[96];
	snprintf(pos, sizeof pos, "at screen 0.012, character %.2f left font ',7' "
	         "tc rgb '%s'", NOTE_BASE + NOTE_STEP * line, C_NOTE);
	chart_buf_printf(&p->gp, "set label %d ", 90 + line);
	chart_gp_quote(&p->gp, text);
	chart_buf_printf(&p->gp, " %s\n", pos);
}

/* Notes: the source at the bottom, footnotes above it; margins to fit. */
void chart_gp_notes(struct chart_plot *p, const char *source,
                    const char *const *foot, size_t nfoot, int xlabel)
{
	size_t line = 0;
	gp_note(p, (int)line++, source);
	for (size_t i = 0; i < nfoot; i++)
		if (foot[i])
			gp_note(p, (int)line++, foot[i]);
	/* Above the top note: half a line, a gap, the tick labels (1.6)
	 * and the axis title. */
	chart_gp_line(p, "set bmargin %.1f",
	              NOTE_BASE + NOTE_STEP * (double)(line - 1) + 0.5 + 0.4 +
	              1.6 + (xlabel ? 1.4 : 0));
}

/* Year axis: one tick per year from a to b. */
void chart_gp_year_axis(struct chart_plot *p, int a, int b)
{
	chart_gp_line(p, "set xrange [%d.5:%d.5]", a - 1, b);
	chart_buf_printf(&p->gp, "set xtics (");
	for (int y = a; y <= b; y++)
		chart_buf_printf(&p->gp, "%s'%d' %d", y > a ? ", " : "", y, y);
	chart_buf_printf(&p->gp, ")\n");
}

/*
 * A value axis (y, y2 or x) over [a, b] with ticks every step from t0 to
 * t1, labels formatted in the chart's language. Range may exceed ticks.
 */
void chart_gp_value_axis(struct chart_ctx *c, struct chart_plot *p,
                         const char *axis, double ra, double rb, double t0,
                         double t1, double step, int dec)
{
	char buf[64];
	chart_gp_line(p, "set %srange [%.10g:%.10g]", axis, ra, rb);
	chart_buf_printf(&p->gp, "set %stics (", axis);
	int first = 1;
	for (double v = t0; v <= t1 + step * 1e-6; v += step) {
		double r = fabs(v) < step * 1e-6 ? 0 : v;
		fmt(c, r, dec, buf, sizeof buf);
		chart_buf_printf(&p->gp, "%s'%s' %.10g", first ? "" : ", ", buf, r);
		first = 0;
	}
	chart_buf_printf(&p->gp, ")\n");
}

/*
 * Point sizes. gnuplot's cairo terminals (pngcairo, pdfcairo) lay text out
 * with pango at 96 dpi on a canvas of 72 units an inch, so at fontscale 1
 * a font of N points comes out N * 96/72 points large, and pdfcairo's
 * default fontscale 0.5 made it N * 2/3 (the "half-size" PDF fonts); the
 * svg terminal writes font-size N in units of 1/72 inch. Scaling both
 * cairo terminals by 72/96 (and the PNG by its dpi) puts the text of all
 * three formats at font_pt points (tests/check-chart.sh measures the PDF
 * with pdftotext -bbox against the SVG's font sizes).
 */
#define PANGO_DPI 96.0

void chart_gp_terminals(struct chart_ctx *c, struct chart_plot *p,
                        const char *plotcmd)
{
	const struct chart_config *cc = c->cc;
	double scale = (double)cc->dpi / 72.0;
	long w = lround(cc->width_cm / 2.54 * (double)cc->dpi);
	long h = lround(cc->height_cm / 2.54 * (double)cc->dpi);
	long sw = lround(cc->width_cm / 2.54 * 72), sh = lround(cc->height_cm / 2.54 * 72);
	int first = 1;
	chart_gp_line(p, "\n# One block per format; edit the plot command in "
	              "the first.");
	if (c->o->formats & CHART_PNG) {
		chart_gp_line(p, "set terminal pngcairo noenhanced size %ld,%ld "
		              "font 'Sans,%g' fontscale %.4f linewidth %.4f pointscale %.4f",
		              w, h, cc->font_pt, (double)cc->dpi / PANGO_DPI, scale,
		              scale);
		chart_gp_line(p, "set output out.'.png'");
		chart_gp_line(p, "%s", first ? plotcmd : "replot");
		first = 0;
	}
	if (c->o->formats & CHART_SVG) {
		chart_gp_line(p, "set terminal svg noenhanced size %ld,%ld font 'Sans,%g' "
		              "linewidth 1", sw, sh, cc->font_pt);
		chart_gp_line(p, "set output out.'.svg'");
		chart_gp_line(p, "%s", first ? plotcmd : "replot");
		first = 0;
	}
	if (c->o->formats & CHART_PDF) {
		chart_gp_line(p, "set terminal pdfcairo noenhanced size %gcm,%gcm "
		              "font 'Sans,%g' fontscale %.4f linewidth 1", cc->width_cm,
		              cc->height_cm, cc->font_pt, 72.0 / PANGO_DPI);
		chart_gp_line(p, "set output out.'.pdf'");
		chart_gp_line(p, "%s", first ? plotcmd : "replot");
	}
	chart_gp_line(p, "unset output");
}

const char *chart_title(struct chart_ctx *c, int w, char *buf, size_t cap,
                        const char *span)
{
	if (c->title)
		return c->title;
	snprintf(buf, cap, "%s, %s%s%s", W(c, w), c->nama, span ? ", " : "",
	         span ? span : "");
	return buf;
}

void chart_year_span(int a, int b, char *buf, size_t cap)
{
	if (a == b)
		snprintf(buf, cap, "%d", a);
	else
		snprintf(buf, cap, "%d\xe2\x80\x93%d", a, b);
}

void chart_dat_num(struct chart_plot *p, double v)
{
	if (isfinite(v))
		chart_buf_printf(&p->dat, " %.10g", v);
	else
		chart_buf_add(&p->dat, " ?", 2);
}

void chart_dat_label(struct chart_plot *p, const char *s)
{
	chart_buf_add(&p->dat, " ", 1);
	chart_dat_quote(&p->dat, s);
}

void chart_gp_hbar_series(struct chart_buf *cmd, int k, double off,
                          double hw, const char *colour, const char *title,
                          double label_pt)
{
	int vc = 4 + 2 * k;
	chart_buf_printf(cmd, "%s using (0):($1%+.4f):(0):%d:($1%+.4f):"
	                 "($1%+.4f)%s with boxxyerror fc rgb '%s' fs solid 1.0 "
	                 "noborder title ", k ? ", \\\n  dat" : "plot dat",
	                 off, vc, off - hw, off + hw, k ? "" : ":ytic(3)", colour);
	chart_gp_quote(cmd, title);
	chart_buf_printf(cmd, ", \\\n  dat using %d:($1%+.4f):%d with labels "
	                 "left offset 0.5,0 font ',%g' tc rgb '%s' notitle",
	                 vc, off, vc + 1, label_pt, C_DARK);
}
