/*
 * chart.c - angka-chart's logic: read the history and aggregate tables,
 * write NAME.dat and NAME.gp for each chart, run gnuplot on temporary
 * names and rename everything into place. See chart.h and docs/charts.md.
 */
#include "chart.h"
#include "chart_draw.h"
#include "chart_shared.h"
#include "chart_table.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- config */

void chart_config_init(struct chart_config *cc)
{
	memset(cc, 0, sizeof *cc);
	cc->lang = CHART_ID;
	cc->formats = "png,svg,pdf";
	cc->width_cm = 16;
	cc->height_cm = 9;
	cc->dpi = 300;
	cc->font_pt = 8;
}

#define CK(name, type, field, ch, lo, hi) \
	{ name, type, offsetof(struct chart_config, field), ch, lo, hi }
/* The keys of [chart] but the title of each chart. */
static const struct angka_key_def fixed_keys[] = {
	CK("dpi", ANGKA_KEY_INT, dpi, NULL, 72, 1200),
	CK("font_pt", ANGKA_KEY_DOUBLE, font_pt, NULL, 5, 16),
	CK("formats", ANGKA_KEY_STRING, formats, NULL, 0, 0),
	CK("height_cm", ANGKA_KEY_DOUBLE, height_cm, NULL, 3, 30),
	CK("history", ANGKA_KEY_PATH, history, NULL, 0, 0),
	CK("kode_wilayah", ANGKA_KEY_STRING, kode_wilayah, NULL, 0, 0),
	CK("lang", ANGKA_KEY_ENUM, lang, "id|en", 0, 0),
	CK("nama_wilayah", ANGKA_KEY_STRING, nama_wilayah, NULL, 0, 0),
	CK("programmes", ANGKA_KEY_PATH, programmes, NULL, 0, 0),
	CK("registry", ANGKA_KEY_PATH, registry, NULL, 0, 0),
	CK("source", ANGKA_KEY_STRING, source, NULL, 0, 0),
	CK("source_registry", ANGKA_KEY_STRING, source_registry, NULL, 0, 0),
	CK("tahun", ANGKA_KEY_INT, tahun, NULL, 1900, 2200),
	CK("wilayah", ANGKA_KEY_PATH, wilayah, NULL, 0, 0),
	CK("width_cm", ANGKA_KEY_DOUBLE, width_cm, NULL, 4, 40),
};

const struct angka_key_def *chart_config_keys(void)
{
	enum { NFIXED = sizeof fixed_keys / sizeof fixed_keys[0] };
	/* The fixed keys, a title key per chart, the NULL key. */
	static struct angka_key_def keys[NFIXED + CHART_MAX + 1];
	if (keys[0].key)
		return keys;
	size_t n = 0;
	for (size_t i = 0; i < NFIXED; i++)
		keys[n++] = fixed_keys[i];
	for (size_t i = 0; chart_table[i]; i++) {
		struct angka_key_def k = {
			chart_table[i]->title_key, ANGKA_KEY_STRING,
			offsetof(struct chart_config, title) + i * sizeof(const char *),
			NULL, 0, 0
		};
		keys[n++] = k;
	}
	return keys;
}

int chart_parse_formats(const char *s, unsigned *flags)
{
	*flags = 0;
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ", ");
		if (n == 3 && strncmp(p, "png", 3) == 0)
			*flags |= CHART_PNG;
		else if (n == 3 && strncmp(p, "svg", 3) == 0)
			*flags |= CHART_SVG;
		else if (n == 3 && strncmp(p, "pdf", 3) == 0)
			*flags |= CHART_PDF;
		else if (n)
			return -1;
		p += n;
		p += strspn(p, ", ");
	}
	return *flags ? 0 : -1;
}

/* ---------------------------------------------------------------- context */

/* The path of input k (0 history, 1 registry, 2 programmes), or NULL. */
static const char *input_path(const struct chart_config *cc, int k)
{
	return k == 0 ? cc->history : k == 1 ? cc->registry : cc->programmes;
}

static enum angka_err need(struct chart_ctx *c, int which, const char *chart,
                           struct angka_error *e)
{
	static const char *const req_hist[] = { "tahun", "kode_wilayah", "domain",
	                                        "indikator", "estimate",
	                                        "sumber_data", NULL };
	static const char *const req_reg[] = { "tahun", "kode_wilayah", "domain",
	                                       "indikator", "value", NULL };
	static const char *const req_prog[] = { "tahun", "kode_wilayah", "program",
	                                        "indikator", "value", NULL };
	const char *path = input_path(c->cc, which);
	int *have = which == 0 ? &c->have_hist
	          : which == 1 ? &c->have_reg : &c->have_prog;
	struct ctab *t = which == 0 ? &c->hist : which == 1 ? &c->reg : &c->prog;
	static const char *const opt[] = { "--history", "--registry",
	                                   "--programmes" };
	if (*have)
		return ANGKA_OK;
	if (!path)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "chart '%s' needs %s FILE (or "
		                 "[chart] %s)", chart, opt[which], opt[which] + 2);
	enum angka_err rc = chart_ctab_load(t, path, which == 0 ? req_hist
	                                    : which == 1 ? req_reg : req_prog, e);
	if (rc == ANGKA_OK)
		*have = 1;
	return rc;
}

/* The region charted: config, else the first total P0 row of the history,
 * else the first row of whichever table is loaded. */
static void pick_region(struct chart_ctx *c)
{
	if (c->kode)
		return;
	if (c->cc->kode_wilayah) {
		c->kode = c->cc->kode_wilayah;
	} else if (c->have_hist && c->hist.nrow) {
		int ck = ctab_col(&c->hist, "kode_wilayah"),
		    cd = ctab_col(&c->hist, "domain");
		c->kode = ctab_get(&c->hist, 0, ck);
		for (size_t i = 0; i < c->hist.nrow; i++) {
			if (strcmp(ctab_get(&c->hist, i, cd), "total") == 0) {
				c->kode = ctab_get(&c->hist, i, ck);
				break;
			}
		}
	} else if (c->have_reg && c->reg.nrow) {
		int ck = ctab_col(&c->reg, "kode_wilayah"),
		    cd = ctab_col(&c->reg, "domain");
		c->kode = ctab_get(&c->reg, 0, ck);
		for (size_t i = 0; i < c->reg.nrow; i++) {
			const char *d = ctab_get(&c->reg, i, cd);
			if (strcmp(d, "total") == 0 || strcmp(d, "kabupaten") == 0) {
				c->kode = ctab_get(&c->reg, i, ck);
				break;
			}
		}
	} else if (c->have_prog && c->prog.nrow) {
		/* Programme rows are per kecamatan (or "total"): take the
		 * kabupaten part (4 digits) of the first code. */
		static char kab[16];
		int ck = ctab_col(&c->prog, "kode_wilayah");
		kab[0] = '\0';
		for (size_t i = 0; i < c->prog.nrow && !kab[0]; i++) {
			const char *k = ctab_get(&c->prog, i, ck);
			size_t j = 0;
			for (; *k && j < 4; k++)
				if (*k >= '0' && *k <= '9')
					kab[j++] = *k;
			kab[j] = '\0';
			if (j < 4)
				kab[0] = '\0';
		}
		c->kode = kab;
	} else {
		c->kode = "";
	}
	if (c->cc->nama_wilayah) {
		snprintf(c->nama, sizeof c->nama, "%s", c->cc->nama_wilayah);
	} else {
		const char *n = chart_region_name(c, c->kode);
		if (n)
			snprintf(c->nama, sizeof c->nama, "%s", n);
		else
			snprintf(c->nama, sizeof c->nama, "%s %s",
			         c->lang == CHART_ID ? "Wilayah" : "Region", c->kode);
	}
}

/*
 * Make a cairo PDF reproducible: cairo 1.16 stamps /CreationDate with the
 * current time and ignores SOURCE_DATE_EPOCH. Overwrite the 14 date digits
 * in place (same length, so the xref offsets stay valid) with the time of
 * SOURCE_DATE_EPOCH, or 1970-01-01 when it is not set, so a rerun on the same
 * inputs writes the same bytes. Returns 0, or -1 with errno.
 */
static int pdf_fix_date(const char *path)
{
	FILE *f = fopen(path, "r+b");
	if (!f)
		return -1;
	char buf[1 << 16];
	long base = 0;
	int rc = 0, done = 0;
	time_t t = 0;
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde)
		t = (time_t)strtoll(sde, NULL, 10);
	struct tm tm;
	gmtime_r(&t, &tm);
	char stamp[16];
	strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
	static const char key[] = "/CreationDate (D:";
	while (!done) {
		if (fseek(f, base, SEEK_SET) != 0)
			break;
		size_t n = fread(buf, 1, sizeof buf, f);
		if (n < sizeof key + 14)
			break;
		for (size_t i = 0; i + sizeof key - 1 + 14 <= n; i++) {
			if (memcmp(buf + i, key, sizeof key - 1) != 0)
				continue;
			if (fseek(f, base + (long)(i + sizeof key - 1), SEEK_SET) != 0 ||
			    fwrite(stamp, 1, 14, f) != 14)
				rc = -1;
			done = 1;
			break;
		}
		if (n < sizeof buf)
			break;
		base += (long)(n - sizeof key - 14);
	}
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* ---------------------------------------------------------------- charts */

static enum angka_err build_p0_trend(struct chart_ctx *c, struct chart_plot *p,
                                     struct angka_error *e)
{
	struct pt *h = NULL, *t = NULL;
	size_t nh = chart_history_points(&c->hist, c->kode, "total", "P0",
	                                 "hitung", &h);
	size_t nt = chart_history_points(&c->hist, c->kode, "total", "P0",
	                                 "terbitan", &t);
	if (!nh && !nt) {
		free(h);
		free(t);
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'p0_trend': no P0 rows for "
		                 "region '%s' in '%s'", c->kode, c->hist.path);
	}
	int y0, y1;
	chart_span_years(h, nh, t, nt, &y0, &y1);
	char span[32], tbuf[512];
	chart_year_span(y0, y1, span, sizeof span);
	chart_gp_begin(c, p, "P0 trend with its 95 % confidence band and the "
	               "published points", chart_title(c, W_TITLE_P0, tbuf,
	                                               sizeof tbuf, span));
	double lo = INFINITY, hi = -INFINITY;
	chart_pts_range(h, nh, 1, &lo, &hi);
	chart_pts_range(t, nt, 0, &lo, &hi);
	double a, b, step;
	int dec;
	chart_nice_axis(lo, hi, 5, &a, &b, &step, &dec);
	if (a < 0 && lo >= 0)
		a = 0;
	/* Labels above the computed points and below the published ones,
	 * swapped in a year where the published value is the higher. */
	double off = (b - a) * 0.075;
	for (size_t i = 0; i < nh; i++) {
		int up = 1;
		for (size_t j = 0; j < nt; j++)
			if (t[j].x == h[i].x && t[j].est > h[i].est)
				up = 0;
		h[i].laby = h[i].est + (up ? off : -off);
		for (size_t j = 0; j < nt; j++)
			if (t[j].x == h[i].x)
				t[j].laby = t[j].est + (up ? -off : off);
	}
	for (size_t j = 0; j < nt; j++)
		if (isnan(t[j].laby))
			t[j].laby = t[j].est - off;
	chart_gp_year_axis(p, y0, y1);
	/* Head room above the top tick for the data labels. */
	chart_gp_value_axis(c, p, "y", a, b + step * 0.35, a, b, step, dec);
	chart_gp_set_text(p, "ylabel", W(c, W_PERSEN), NULL);
	const char *foot[1] = { chart_count_hollow(h, nh) ? W(c, W_HOLLOW) : NULL };
	chart_gp_notes(p, c->cc->source ? c->cc->source : W(c, W_SOURCE), foot, 1, 0);
	chart_dat_series(c, p, "P0 hitung (computed)", h, nh, 2);
	chart_dat_series(c, p, "P0 terbitan (published)", t, nt, 2);

	struct chart_buf cmd = { 0 };
	const char *sep = "plot ";
	if (nh) {
		chart_buf_printf(&cmd, "%sdat index 0 using 1:3:4 with filledcurves "
		                 "fc rgb '%s' fs solid 1.0 noborder title ", sep,
		                 C_BAND);
		chart_gp_quote(&cmd, W(c, W_CI));
		chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:2 with lines "
		                 "lc rgb '%s' lw 1.5 dt 1 notitle", C_DARK);
		if (chart_count_hollow(h, nh) < nh)
			chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:5 with "
			                 "points pt 7 ps 0.7 lc rgb '%s' notitle", C_DARK);
		chart_buf_printf(&cmd, ", \\\n  keyentry with linespoints lc rgb "
		                 "'%s' lw 1.5 pt 7 ps 0.7 title ", C_DARK);
		chart_gp_quote(&cmd, W(c, W_HITUNG));
		if (chart_count_hollow(h, nh))
			chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:6 with points "
			                 "pt 7 ps 0.7 lc rgb 'white' notitle, \\\n  '' "
			                 "index 0 using 1:6 with points pt 6 ps 0.7 lc "
			                 "rgb '%s' notitle", C_DARK);
		chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:8:7 with labels "
		                 "font ',7.5' tc rgb '%s' notitle", C_DARK);
		sep = ", \\\n  ";
	}
	if (nt) {
		/* Empty blocks do not count as gnuplot indexes. */
		int ti = nh ? 1 : 0;
		chart_buf_printf(&cmd, "%sdat index %d using 1:2 with points pt 5 "
		                 "ps 0.65 lc rgb '%s' title ", sep, ti, C_MID);
		chart_gp_quote(&cmd, W(c, W_RESMI));
		chart_buf_printf(&cmd, ", \\\n  dat index %d using 1:8:7 with labels "
		                 "font ',7.5' tc rgb '%s' notitle", ti, C_MID);
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
	free(h);
	free(t);
	return ANGKA_OK;
}

const struct chart_def chart_p0_trend = {
	.name = "p0_trend",
	.needs = CHART_NEEDS_HISTORY,
	.title_key = "title_p0_trend",
	.build = build_p0_trend
};

/*
 * Map [lo, hi] onto the band [f0, f1] of an axis: returns the axis range
 * in *ra, *rb (used to keep the P0 line above the bars).
 */
static void band_range(double lo, double hi, double f0, double f1, double *ra,
                       double *rb)
{
	double span = hi > lo ? (hi - lo) / (f1 - f0) : 1;
	*ra = lo - f0 * span;
	*rb = *ra + span;
}

static enum angka_err build_miskin_p0(struct chart_ctx *c, struct chart_plot *p,
                                      struct angka_error *e)
{
	struct pt *m = NULL, *q = NULL;
	size_t nm = chart_history_points(&c->hist, c->kode, "total",
	                                 "jumlah_miskin", "hitung", &m);
	size_t nq = chart_history_points(&c->hist, c->kode, "total", "P0",
	                                 "hitung", &q);
	if (!nm) {
		free(m);
		free(q);
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'miskin_p0': no computed "
		                 "jumlah_miskin rows for region '%s' in '%s'",
		                 c->kode, c->hist.path);
	}
	int y0, y1;
	chart_span_years(m, nm, q, nq, &y0, &y1);
	char span[32], tbuf[512];
	chart_year_span(y0, y1, span, sizeof span);
	chart_gp_begin(c, p, "number of poor people (bars) and P0 (line, right "
	               "axis)", chart_title(c, W_TITLE_MISKIN, tbuf, sizeof tbuf,
	                                    span));
	double lo = 0, hi = -INFINITY;
	chart_pts_range(m, nm, 0, &lo, &hi);
	double a, b, step;
	int dec;
	chart_nice_axis(0, hi, 4, &a, &b, &step, &dec);
	chart_gp_year_axis(p, y0, y1);
	/* Bars use the lower 62 % of the height, the P0 line the band above. */
	chart_gp_value_axis(c, p, "y", 0, b / 0.62, 0, b, step, dec);
	chart_gp_set_text(p, "ylabel", W(c, W_MISKIN_BAR), NULL);
	if (nq) {
		double plo = INFINITY, phi = -INFINITY, pa, pb, pstep, ra, rb;
		int pdec;
		chart_pts_range(q, nq, 0, &plo, &phi);
		chart_nice_axis(plo, phi, 2, &pa, &pb, &pstep, &pdec);
		band_range(pa, pb, 0.68, 0.93, &ra, &rb);
		chart_gp_value_axis(c, p, "y2", ra, rb, pa, pb, pstep, pdec);
		chart_gp_line(p, "set y2tics nomirror out scale 0.5 tc rgb '%s'", C_MID);
		chart_gp_set_text(p, "y2label", W(c, W_P0_LINE), NULL);
		chart_gp_line(p, "set rmargin 9");
	}
	chart_gp_line(p, "set boxwidth 0.6");
	const char *foot[1] = { chart_count_hollow(m, nm) ? W(c, W_HOLLOW_BAR)
	                                                  : NULL };
	chart_gp_notes(p, c->cc->source ? c->cc->source : W(c, W_SOURCE), foot, 1, 0);
	chart_dat_series(c, p, "jumlah_miskin hitung (computed)", m, nm, 0);
	chart_dat_series(c, p, "P0 hitung (computed)", q, nq, 2);

	struct chart_buf cmd = { 0 };
	chart_buf_printf(&cmd, "plot keyentry with boxes fc rgb '%s' fs solid 1.0 "
	                 "noborder title ", C_LIGHT);
	chart_gp_quote(&cmd, W(c, W_MISKIN_BAR));
	if (chart_count_hollow(m, nm) < nm)
		chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:5 with boxes "
		                 "fc rgb '%s' fs solid 1.0 noborder notitle", C_LIGHT);
	if (chart_count_hollow(m, nm))
		chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:6 with boxes "
		                 "lc rgb '%s' fs empty border lw 1.2 notitle", C_DARK);
	/* Counts inside the bars, near their top. */
	chart_buf_printf(&cmd, ", \\\n  dat index 0 using 1:2:7 with labels "
	                 "offset 0,-0.8 font ',7.5' tc rgb '%s' notitle", C_DARK);
	if (nq) {
		chart_buf_printf(&cmd, ", \\\n  dat index 1 using 1:2 axes x1y2 with "
		                 "lines lc rgb '%s' lw 1.5 dt 2 notitle", C_MID);
		chart_buf_printf(&cmd, ", \\\n  keyentry with linespoints lc rgb '%s' "
		                 "lw 1.5 dt 2 pt 5 ps 0.65 title ", C_MID);
		chart_gp_quote(&cmd, W(c, W_P0_LINE));
		if (chart_count_hollow(q, nq) < nq)
			chart_buf_printf(&cmd, ", \\\n  dat index 1 using 1:5 axes x1y2 "
			                 "with points pt 5 ps 0.65 lc rgb '%s' notitle",
			                 C_MID);
		if (chart_count_hollow(q, nq))
			chart_buf_printf(&cmd, ", \\\n  dat index 1 using 1:6 axes x1y2 "
			                 "with points pt 5 ps 0.65 lc rgb 'white' notitle, "
			                 "\\\n  dat index 1 using 1:6 axes x1y2 with points "
			                 "pt 4 ps 0.65 lc rgb '%s' notitle", C_MID);
		chart_buf_printf(&cmd, ", \\\n  dat index 1 using 1:2:7 axes x1y2 "
		                 "with labels offset 0,0.9 font ',7.5' tc rgb '%s' "
		                 "notitle", C_MID);
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
	free(m);
	free(q);
	return ANGKA_OK;
}

const struct chart_def chart_miskin_p0 = {
	.name = "miskin_p0",
	.needs = CHART_NEEDS_HISTORY,
	.title_key = "title_miskin_p0",
	.build = build_miskin_p0
};

static enum angka_err build_p1_p2(struct chart_ctx *c, struct chart_plot *p,
                                  struct angka_error *e)
{
	struct pt *s[4] = { NULL };
	size_t n[4];
	n[0] = chart_history_points(&c->hist, c->kode, "total", "P1", "hitung",
	                            &s[0]);
	n[1] = chart_history_points(&c->hist, c->kode, "total", "P2", "hitung",
	                            &s[1]);
	n[2] = chart_history_points(&c->hist, c->kode, "total", "P1", "terbitan",
	                            &s[2]);
	n[3] = chart_history_points(&c->hist, c->kode, "total", "P2", "terbitan",
	                            &s[3]);
	enum angka_err rc = ANGKA_OK;
	if (!n[0] && !n[1] && !n[2] && !n[3]) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "chart 'p1_p2': no P1 or P2 rows for "
		               "region '%s' in '%s'", c->kode, c->hist.path);
		goto cleanup;
	}
	int y0 = 99999, y1 = -99999;
	for (int k = 0; k < 4; k++) {
		int a, b;
		chart_span_years(s[k], n[k], NULL, 0, &a, &b);
		if (a < y0) y0 = a;
		if (b > y1) y1 = b;
	}
	char span[32], tbuf[512];
	chart_year_span(y0, y1, span, sizeof span);
	chart_gp_begin(c, p, "P1 and P2 trend with 95 % confidence intervals",
	               chart_title(c, W_TITLE_P1P2, tbuf, sizeof tbuf, span));
	double lo = 0, hi = -INFINITY, a, b, step;
	int dec;
	for (int k = 0; k < 4; k++)
		chart_pts_range(s[k], n[k], k < 2, &lo, &hi);
	chart_nice_axis(0, hi, 5, &a, &b, &step, &dec);
	chart_gp_year_axis(p, y0, y1);
	chart_gp_value_axis(c, p, "y", 0, b + step * 0.3, 0, b, step, dec);
	chart_gp_set_text(p, "ylabel", W(c, W_INDEX), NULL);
	const char *foot[2] = {
		n[0] || n[1] ? W(c, W_ERRBAR) : NULL,
		chart_count_hollow(s[0], n[0]) + chart_count_hollow(s[1], n[1])
		? W(c, W_HOLLOW) : NULL
	};
	chart_gp_notes(p, c->cc->source ? c->cc->source : W(c, W_SOURCE), foot, 2, 0);
	static const char *const comment[4] = {
		"P1 hitung (computed)", "P2 hitung (computed)",
		"P1 terbitan (published)", "P2 terbitan (published)"
	};
	/* Empty blocks do not count as gnuplot indexes: number the others. */
	int ix[4], next = 0;
	for (int k = 0; k < 4; k++) {
		chart_dat_series(c, p, comment[k], s[k], n[k], 2);
		ix[k] = n[k] ? next++ : -1;
	}

	/* P1: dark, solid line, circles; P2: mid, dashed, triangles. */
	static const int dt[2] = { 1, 2 }, pt_full[2] = { 7, 9 },
	                 pt_open[2] = { 6, 8 }, pub_pt[2] = { 4, 12 };
	static const char *const col[2] = { C_DARK, C_MID };
	static const int name_w[2] = { W_P1, W_P2 }, pub_w[2] = { W_P1_RESMI,
	                                                          W_P2_RESMI };
	struct chart_buf cmd = { 0 };
	const char *sep = "plot ";
	for (int k = 0; k < 2; k++) {
		if (!n[k])
			continue;
		chart_buf_printf(&cmd, "%sdat index %d using 1:2:3:4 with yerrorbars "
		                 "pt -1 lc rgb '%s' lw 0.8 notitle", sep, ix[k], col[k]);
		sep = ", \\\n  ";
		chart_buf_printf(&cmd, "%sdat index %d using 1:2 with lines lc rgb "
		                 "'%s' lw 1.5 dt %d notitle", sep, ix[k], col[k], dt[k]);
		if (chart_count_hollow(s[k], n[k]) < n[k])
			chart_buf_printf(&cmd, "%sdat index %d using 1:5 with points "
			                 "lc rgb '%s' pt %d ps 0.7 notitle", sep, ix[k],
			                 col[k], pt_full[k]);
		/* The key sample: line and marker together. */
		chart_buf_printf(&cmd, "%skeyentry with linespoints lc rgb '%s' "
		                 "lw 1.5 dt %d pt %d ps 0.7 title ", sep, col[k],
		                 dt[k], pt_full[k]);
		chart_gp_quote(&cmd, W(c, name_w[k]));
		if (chart_count_hollow(s[k], n[k]))
			chart_buf_printf(&cmd, "%sdat index %d using 1:6 with points pt %d "
			                 "ps 0.7 lc rgb 'white' notitle%sdat index %d "
			                 "using 1:6 with points pt %d ps 0.7 lc rgb '%s' "
			                 "notitle", sep, ix[k], pt_full[k], sep, ix[k], pt_open[k],
			                 col[k]);
		/* Labels right of and above the points, clear of the bars. */
		chart_buf_printf(&cmd, "%sdat index %d using 1:2:7 with labels "
		                 "offset 1.8,0.8 font ',7.5' tc rgb '%s' notitle", sep,
		                 k, col[k]);
	}
	for (int k = 0; k < 2; k++) {
		if (!n[2 + k])
			continue;
		chart_buf_printf(&cmd, "%sdat index %d using 1:2 with points pt %d "
		                 "ps 0.65 lc rgb '%s' title ", sep, ix[2 + k], pub_pt[k],
		                 C_PUB);
		sep = ", \\\n  ";
		chart_gp_quote(&cmd, W(c, pub_w[k]));
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
cleanup:
	for (int k = 0; k < 4; k++)
		free(s[k]);
	return rc;
}

const struct chart_def chart_p1_p2 = {
	.name = "p1_p2",
	.needs = CHART_NEEDS_HISTORY,
	.title_key = "title_p1_p2",
	.build = build_p1_p2
};

static int reg_kec_row(struct chart_ctx *c, const struct ctab *t, size_t i)
{
	return chart_reg_kecamatan(c, t, i) &&
	       strcmp(ctab_get(t, i, ctab_col(t, "indikator")), "dtks_jiwa") == 0;
}

static enum angka_err build_dtks_kecamatan(struct chart_ctx *c,
                                           struct chart_plot *p,
                                           struct angka_error *e)
{
	const struct ctab *t = &c->reg;
	long year = c->cc->tahun ? c->cc->tahun : chart_latest_year(t, reg_kec_row, c);
	int ct = ctab_col(t, "tahun"), ci = ctab_col(t, "indikator"),
	    cv = ctab_col(t, "value"), cn = ctab_col(t, "catatan");
	struct kec *ks = NULL;
	size_t n = 0;
	/* The oldest population year behind the shares ("penduduk tahun Y"
	 * in registry.csv's catatan): a reader must know when it is old. */
	long pop_year = 0;
	for (size_t i = 0; i < t->nrow; i++) {
		const char *ind = ctab_get(t, i, ci);
		const char *kec = chart_reg_kecamatan(c, t, i);
		if (!kec || num(ctab_get(t, i, ct)) != (double)year)
			continue;
		int k = strcmp(ind, "dtks_jiwa") == 0 ? 0
		      : strcmp(ind, "share_penduduk_pct") == 0 ? 1 : -1;
		if (k < 0)
			continue;
		long py;
		if (k == 1 && cn >= 0 &&
		    sscanf(ctab_get(t, i, cn), "penduduk tahun %ld", &py) == 1 &&
		    (!pop_year || py < pop_year))
			pop_year = py;
		chart_kec_find(&ks, &n, kec)->v[k] = num(ctab_get(t, i, cv));
	}
	/* Drop kecamatan without a count. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(ks[i].v[0])) {
			ks[i].total = ks[i].v[0];
			ks[m++] = ks[i];
		}
	n = m;
	if (!n) {
		free(ks);
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'dtks_kecamatan': no "
		                 "dtks_jiwa rows per kecamatan for region '%s' in "
		                 "'%s'", c->kode, t->path);
	}
	qsort(ks, n, sizeof *ks, chart_kec_cmp);
	chart_kec_names(c, ks, n);
	char span[32], tbuf[512], b1[64], b2[64], lab[160];
	snprintf(span, sizeof span, "%ld", year);
	chart_gp_begin(c, p, "DTKS registered individuals per kecamatan (bars) with "
	               "their share of the kecamatan population",
	               chart_title(c, W_TITLE_DTKS_KEC, tbuf, sizeof tbuf, span));
	double hi = 0;
	for (size_t i = 0; i < n; i++)
		if (ks[i].v[0] > hi)
			hi = ks[i].v[0];
	chart_gp_kec_axis(c, p, n, hi, 1.22);
	chart_gp_line(p, "unset key");
	chart_gp_line(p, "set tmargin 3");
	chart_gp_set_text(p, "xlabel", W(c, W_SHARE), NULL);
	char popnote[160];
	const char *foot[1] = { NULL };
	if (pop_year && pop_year != year) {
		snprintf(popnote, sizeof popnote, c->cc->lang == CHART_EN
		         ? "Shares of the %ld population (latest available)"
		         : "Persen terhadap penduduk tahun %ld (data terbaru)",
		         pop_year);
		foot[0] = popnote;
	}
	chart_gp_notes(p, c->cc->source_registry ? c->cc->source_registry
	                                         : W(c, W_SOURCE_REG), foot, 1, 1);
	chart_buf_printf(&p->dat, "# DTKS per kecamatan, %ld\n# row kode nama "
	                 "dtks_jiwa share_penduduk_pct label\n", year);
	for (size_t i = 0; i < n; i++) {
		fmt(c, ks[i].v[0], 0, b1, sizeof b1);
		if (isfinite(ks[i].v[1]))
			snprintf(lab, sizeof lab, "%s (%s %%)", b1,
			         fmt(c, ks[i].v[1], 1, b2, sizeof b2));
		else
			snprintf(lab, sizeof lab, "%s", b1);
		chart_buf_printf(&p->dat, "%zu", i);
		chart_dat_label(p, ks[i].kode);
		chart_dat_label(p, ks[i].nama);
		chart_dat_num(p, ks[i].v[0]);
		chart_dat_num(p, ks[i].v[1]);
		chart_dat_label(p, lab);
		chart_buf_add(&p->dat, "\n", 1);
	}
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "plot dat using (0):1:(0):4:($1-0.32):($1+0.32)"
	         ":ytic(3) with boxxyerror fc rgb '%s' fs solid 1.0 noborder, \\\n"
	         "  dat using 4:1:6 with labels left offset 0.6,0 font ',7.5' "
	         "tc rgb '%s'", C_DARK, C_DARK);
	chart_gp_terminals(c, p, cmd);
	free(ks);
	return ANGKA_OK;
}

const struct chart_def chart_dtks_kecamatan = {
	.name = "dtks_kecamatan",
	.needs = CHART_NEEDS_REGISTRY,
	.title_key = "title_dtks_kecamatan",
	.build = build_dtks_kecamatan
};

static enum angka_err build_dtks_vs_bps(struct chart_ctx *c,
                                        struct chart_plot *p,
                                        struct angka_error *e)
{
	const struct ctab *t = &c->reg;
	int ct = ctab_col(t, "tahun"), ci = ctab_col(t, "indikator"),
	    cv = ctab_col(t, "value");
	/* Years 1900..2199 indexed directly: small and simple. */
	enum { Y0 = 1900, NY = 300 };
	double dtks[NY], bps[NY], regbps[NY];
	int from_pub[NY];
	for (int i = 0; i < NY; i++) {
		dtks[i] = bps[i] = regbps[i] = NAN;
		from_pub[i] = 0;
	}
	for (size_t i = 0; i < t->nrow; i++) {
		double y = num(ctab_get(t, i, ct));
		const char *ind = ctab_get(t, i, ci);
		if (!chart_reg_is_total(c, t, i) || !(y >= Y0 && y < Y0 + NY))
			continue;
		if (strcmp(ind, "dtks_jiwa") == 0)
			dtks[(int)y - Y0] = num(ctab_get(t, i, cv));
		else if (strcmp(ind, "jumlah_miskin_bps") == 0)
			regbps[(int)y - Y0] = num(ctab_get(t, i, cv));
	}
	/* The BPS figure: computed (history), else the one angka-indicators
	 * put in the registry table, else the published March figure. */
	struct pt *h = NULL, *pb = NULL;
	size_t nh = 0, np = 0;
	if (c->have_hist) {
		nh = chart_history_points(&c->hist, c->kode, "total",
		                          "jumlah_miskin", "hitung", &h);
		np = chart_history_points(&c->hist, c->kode, "total",
		                          "jumlah_miskin", "terbitan", &pb);
	}
	for (size_t i = 0; i < nh; i++)
		if (h[i].x >= Y0 && h[i].x < Y0 + NY)
			bps[(int)h[i].x - Y0] = h[i].est;
	for (int i = 0; i < NY; i++)
		if (isnan(bps[i]))
			bps[i] = regbps[i];
	for (size_t i = 0; i < np; i++) {
		int y = (int)floor(pb[i].x);
		/* March figures only, so the years line up with SUSENAS. */
		if (y >= Y0 && y < Y0 + NY && pb[i].x == y && isnan(bps[y - Y0])) {
			bps[y - Y0] = pb[i].est;
			from_pub[y - Y0] = 1;
		}
	}
	free(h);
	free(pb);
	/* Years with a DTKS count, and the BPS figure when there is one. */
	int y0 = 0, y1 = 0, any_pub = 0, any_bps = 0;
	double hi = 0;
	for (int i = 0; i < NY; i++) {
		if (isnan(dtks[i]))
			continue;
		if (!y0)
			y0 = Y0 + i;
		y1 = Y0 + i;
		if (dtks[i] > hi) hi = dtks[i];
		if (bps[i] > hi) hi = bps[i];
		any_pub |= from_pub[i] && isfinite(bps[i]);
		any_bps |= isfinite(bps[i]);
	}
	if (!y0)
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'dtks_vs_bps': no total "
		                 "dtks_jiwa rows for region '%s' in '%s'", c->kode,
		                 t->path);
	char span[32], tbuf[512], b1[64], b2[64];
	chart_year_span(y0, y1, span, sizeof span);
	chart_gp_begin(c, p, "DTKS registered individuals against the BPS estimate of "
	               "poor people, per year",
	               chart_title(c, W_TITLE_DTKS_BPS, tbuf, sizeof tbuf, span));
	double a, b, step;
	int dec;
	chart_nice_axis(0, hi, 4, &a, &b, &step, &dec);
	chart_gp_year_axis(p, y0, y1);
	chart_gp_value_axis(c, p, "y", 0, b * 1.12, 0, b, step, dec);
	chart_gp_set_text(p, "ylabel", W(c, W_JIWA), NULL);
	chart_gp_line(p, "set boxwidth 0.36");
	const char *foot[1] = { any_pub ? W(c, W_BPS_FALLBACK) : NULL };
	chart_gp_notes(p, c->cc->source_registry ? c->cc->source_registry
	                                         : W(c, W_SOURCE_REG), foot, 1, 0);
	chart_buf_printf(&p->dat, "# tahun dtks_jiwa jumlah_miskin_bps "
	                 "bps_terbitan dtks_label bps_label\n");
	for (int y = y0; y <= y1; y++) {
		int i = y - Y0;
		if (isnan(dtks[i]) && isnan(bps[i]))
			continue;
		chart_buf_printf(&p->dat, "%d", y);
		chart_dat_num(p, dtks[i]);
		chart_dat_num(p, bps[i]);
		chart_buf_printf(&p->dat, " %d", from_pub[i]);
		chart_dat_label(p, fmt(c, dtks[i], 0, b1, sizeof b1));
		chart_dat_label(p, fmt(c, bps[i], 0, b2, sizeof b2));
		chart_buf_add(&p->dat, "\n", 1);
	}
	struct chart_buf cmd = { 0 };
	chart_buf_printf(&cmd, "plot dat using ($1-0.19):2 with boxes fc rgb '%s' "
	                 "fs solid 1.0 noborder title ", C_DARK);
	chart_gp_quote(&cmd, W(c, W_DTKS));
	chart_buf_printf(&cmd, ", \\\n  dat using ($1-0.19):2:5 with labels "
	                 "offset 0,0.6 font ',7' tc rgb '%s' notitle", C_DARK);
	if (any_bps) {
		chart_buf_printf(&cmd, ", \\\n  dat using ($1+0.19):3 with boxes "
		                 "fc rgb '%s' fs solid 1.0 noborder title ", C_LIGHT);
		chart_gp_quote(&cmd, W(c, W_BPS));
		chart_buf_printf(&cmd, ", \\\n  dat using ($1+0.19):3:6 with labels "
		                 "offset 0,0.6 font ',7' tc rgb '%s' notitle", C_DARK);
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
	return ANGKA_OK;
}

const struct chart_def chart_dtks_vs_bps = {
	.name = "dtks_vs_bps",
	.needs = CHART_NEEDS_REGISTRY,
	/* The BPS bars: computed from the history when it is given, else
	 * jumlah_miskin_bps of the registry. */
	.uses = CHART_NEEDS_HISTORY,
	.title_key = "title_dtks_vs_bps",
	.build = build_dtks_vs_bps
};

static int prog_row(struct chart_ctx *c, const struct ctab *t, size_t i)
{
	return chart_kode_within(ctab_get(t, i, ctab_col(t, "kode_wilayah")),
	                         c->kode) &&
	       strcmp(ctab_get(t, i, ctab_col(t, "indikator")), "penerima") == 0;
}

static enum angka_err build_program_kecamatan(struct chart_ctx *c,
                                              struct chart_plot *p,
                                              struct angka_error *e)
{
	const struct ctab *t = &c->prog;
	long year = c->cc->tahun ? c->cc->tahun : chart_latest_year(t, prog_row, c);
	int ct = ctab_col(t, "tahun"), cp = ctab_col(t, "program"),
	    cv = ctab_col(t, "value"), ck = ctab_col(t, "kode_wilayah");
	char prog[4][32];
	int nprog = 0;
	struct kec *ks = NULL;
	size_t n = 0;
	for (size_t i = 0; i < t->nrow; i++) {
		if (!prog_row(c, t, i) || num(ctab_get(t, i, ct)) != (double)year)
			continue;
		const char *pg = ctab_get(t, i, cp);
		int k = 0;
		while (k < nprog && strcasecmp(prog[k], pg) != 0)
			k++;
		if (k == nprog) {
			if (nprog == 4)
				return free(ks), ANGKA_ERR(e, ANGKA_EDATA, "chart "
				       "'program_kecamatan': more than 4 programmes in "
				       "'%s'", t->path);
			/* Displayed upper-case: "uep" is the programme UEP. */
			snprintf(prog[nprog], sizeof prog[0], "%s", pg);
			for (char *q = prog[nprog]; *q; q++)
				if (*q >= 'a' && *q <= 'z')
					*q = (char)(*q - 'a' + 'A');
			nprog++;
		}
		struct kec *kc = chart_kec_find(&ks, &n, ctab_get(t, i, ck));
		double v = num(ctab_get(t, i, cv));
		kc->v[k] = isnan(kc->v[k]) ? v : kc->v[k] + v;
	}
	if (!n) {
		free(ks);
		return ANGKA_ERR(e, ANGKA_EDATA, "chart 'program_kecamatan': no "
		                 "'penerima' rows for kecamatan of region '%s' in "
		                 "'%s'", c->kode, t->path);
	}
	double hi = 0;
	for (size_t i = 0; i < n; i++) {
		ks[i].total = 0;
		for (int k = 0; k < nprog; k++) {
			if (isfinite(ks[i].v[k]))
				ks[i].total += ks[i].v[k];
			if (ks[i].v[k] > hi)
				hi = ks[i].v[k];
		}
	}
	qsort(ks, n, sizeof *ks, chart_kec_cmp);
	chart_kec_names(c, ks, n);
	char span[32], tbuf[512], lab[64];
	snprintf(span, sizeof span, "%ld", year);
	char what[256] = "";
	if (!c->title) {
		/* "Penerima KUBE dan UEP per kecamatan" from the programmes found. */
		size_t l = 0;
		l += (size_t)snprintf(what + l, sizeof what - l, "%s",
		                      c->lang == CHART_ID ? "Penerima " : "");
		for (int k = 0; k < nprog && l < sizeof what; k++)
			l += (size_t)snprintf(what + l, sizeof what - l, "%s%s",
			                      k == 0 ? "" : k == nprog - 1
			                      ? (c->lang == CHART_ID ? " dan " : " and ")
			                      : ", ", prog[k]);
		if (l < sizeof what)
			snprintf(what + l, sizeof what - l, "%s",
			         c->lang == CHART_ID ? " per kecamatan"
			                             : " recipients by district");
		snprintf(tbuf, sizeof tbuf, "%s, %s, %s", what, c->nama, span);
	}
	chart_gp_begin(c, p, "programme recipients per kecamatan, one bar per "
	               "programme", c->title ? c->title : tbuf);
	chart_gp_kec_axis(c, p, n, hi, 1.15);
	/* Short programme names: no negative key width, or they overlap. */
	chart_gp_line(p, "set key width 1");
	chart_gp_set_text(p, "xlabel", W(c, W_PENERIMA), NULL);
	chart_gp_notes(p, c->cc->source_registry ? c->cc->source_registry
	                                         : W(c, W_SOURCE_REG), NULL, 0, 1);
	chart_buf_printf(&p->dat, "# recipients per kecamatan, %ld\n# row kode "
	                 "nama", year);
	for (int k = 0; k < nprog; k++)
		chart_buf_printf(&p->dat, " %s label_%s", prog[k], prog[k]);
	chart_buf_add(&p->dat, "\n", 1);
	for (size_t i = 0; i < n; i++) {
		chart_buf_printf(&p->dat, "%zu", i);
		chart_dat_label(p, ks[i].kode);
		chart_dat_label(p, ks[i].nama);
		for (int k = 0; k < nprog; k++) {
			chart_dat_num(p, ks[i].v[k]);
			chart_dat_label(p, fmt(c, ks[i].v[k], 0, lab, sizeof lab));
		}
		chart_buf_add(&p->dat, "\n", 1);
	}
	/* nprog bars per row, dark to light, the first on top. */
	static const char *const col[4] = { C_DARK, C_LIGHT, C_MID, "#BBBBBB" };
	double hw = 0.8 / nprog / 2 * 0.9;
	struct chart_buf cmd = { 0 };
	for (int k = 0; k < nprog; k++) {
		double off = 0.4 - 0.8 / nprog * (k + 0.5);
		int vc = 4 + 2 * k;
		chart_buf_printf(&cmd, "%s using (0):($1%+.4f):(0):%d:($1%+.4f):"
		                 "($1%+.4f)%s with boxxyerror fc rgb '%s' fs solid 1.0 "
		                 "noborder title ", k ? ", \\\n  dat" : "plot dat",
		                 off, vc, off - hw, off + hw, k ? "" : ":ytic(3)",
		                 col[k]);
		chart_gp_quote(&cmd, prog[k]);
		chart_buf_printf(&cmd, ", \\\n  dat using %d:($1%+.4f):%d with labels "
		                 "left offset 0.5,0 font ',7' tc rgb '%s' notitle",
		                 vc, off, vc + 1, C_DARK);
	}
	chart_gp_terminals(c, p, cmd.s);
	chart_buf_release(&cmd);
	free(ks);
	return ANGKA_OK;
}

const struct chart_def chart_program_kecamatan = {
	.name = "program_kecamatan",
	.needs = CHART_NEEDS_PROGRAMMES,
	.title_key = "title_program_kecamatan",
	.build = build_program_kecamatan
};

/* ---------------------------------------------------------------- table */

/* Every chart, in the order of `all` and of the usage text. */
const struct chart_def *const chart_table[] = {
	&chart_p0_trend,
	&chart_miskin_p0,
	&chart_p1_p2,
	&chart_dtks_kecamatan,
	&chart_dtks_vs_bps,
	&chart_program_kecamatan,
	NULL
};
_Static_assert(sizeof chart_table / sizeof chart_table[0] <= CHART_MAX + 1,
               "chart_table has more than CHART_MAX charts");

int chart_index(const char *name)
{
	for (int i = 0; chart_table[i]; i++)
		if (strcmp(chart_table[i]->name, name) == 0)
			return i;
	return -1;
}

/* ---------------------------------------------------------------- files */

/* Write buf to a new temporary file "dir/.NAME.EXT.XXXXXX"; *tmp owned. */
static enum angka_err write_temp(const char *dir, const char *name,
                                 const char *ext, const struct chart_buf *b,
                                 char **tmp, struct angka_error *e)
{
	size_t n = strlen(dir) + strlen(name) + strlen(ext) + 16;
	*tmp = angka_xmalloc(n);
	snprintf(*tmp, n, "%s/.%s.%s.XXXXXX", dir, name, ext);
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		ANGKA_ERR(e, ANGKA_EIO, "cannot create a file in '%s':", dir);
		free(*tmp);
		*tmp = NULL;
		return ANGKA_EIO;
	}
	fchmod(fd, 0644);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		goto fail;
	}
	if (b->len && fwrite(b->s, 1, b->len, f) != b->len) {
		fclose(f);
		goto fail;
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0)
		goto fail;
	return ANGKA_OK;
fail:
	ANGKA_ERR(e, ANGKA_EIO, "cannot write '%s':", *tmp);
	unlink(*tmp);
	free(*tmp);
	*tmp = NULL;
	return ANGKA_EIO;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Trim gnuplot's stderr for one message: lines joined with "; ". */
static void one_line(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
}


static enum angka_err render(struct chart_ctx *c, int ch, int *sig,
                             struct angka_error *e)
{
	const struct chart_def *d = chart_table[ch];
	const char *name = d->name;
	struct chart_plot p = { .name = name };
	enum angka_err rc;
	char *tdat = NULL, *tgp = NULL;
	char outs[3][4096];
	static const char *const ext[3] = { "png", "svg", "pdf" };
	static const unsigned flag[3] = { CHART_PNG, CHART_SVG, CHART_PDF };
	int made[3] = { 0 };
	const char *dir = c->o->outdir;

	c->title = c->cc->title[ch];
	rc = d->build(c, &p, e);
	if (rc != ANGKA_OK)
		goto cleanup;
	if ((rc = write_temp(dir, name, "dat", &p.dat, &tdat, e)) != ANGKA_OK ||
	    (rc = write_temp(dir, name, "gp", &p.gp, &tgp, e)) != ANGKA_OK)
		goto cleanup;
	/* gnuplot writes .NAME.XXXXXX.png etc: the gp temp's random part. */
	const char *rnd = tgp + strlen(tgp) - 6;
	char defs[512];
	snprintf(defs, sizeof defs, "dat='%s'; out='.%s.%s'", base_name(tdat),
	         name, rnd);
	for (int k = 0; k < 3; k++) {
		snprintf(outs[k], sizeof outs[k], "%s/.%s.%s.%s", dir, name, rnd,
		         ext[k]);
		made[k] = (c->o->formats & flag[k]) != 0;
	}
	char err[8192];
	int status;
	if (chart_gnuplot_exec(c->o->gnuplot, dir, defs, base_name(tgp), &status,
	                       sig, err, sizeof err, e) != 0) {
		rc = e->code;
		goto cleanup;
	}
	if (*sig || status != 0)
		one_line(err);
	if (*sig) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "chart '%s': gnuplot killed by signal "
		               "%d%s%s", name, *sig, err[0] ? ": " : "", err);
		goto cleanup;
	}
	if (status != 0) {
		rc = ANGKA_ERR(e, ANGKA_EDATA, "chart '%s': gnuplot failed (exit "
		               "status %d)%s%s", name, status, err[0] ? ": " : "",
		               err);
		goto cleanup;
	}
	/* gnuplot succeeded but said something: pass every line on. */
	for (char *l = err, *nl; *l; l = nl) {
		nl = strchr(l, '\n');
		if (nl)
			*nl++ = '\0';
		else
			nl = l + strlen(l);
		if (*l)
			angka_warn("chart '%s': gnuplot: %s", name, l);
	}
	for (int k = 0; k < 3; k++) {
		struct stat sb;
		if (made[k] && (stat(outs[k], &sb) != 0 || sb.st_size == 0)) {
			rc = ANGKA_ERR(e, ANGKA_EDATA, "chart '%s': gnuplot wrote no "
			               "%s output", name, ext[k]);
			goto cleanup;
		}
	}
	for (int k = 0; k < 3; k++) {
		if (made[k] && strcmp(ext[k], "pdf") == 0 &&
		    pdf_fix_date(outs[k]) != 0) {
			rc = ANGKA_ERR(e, ANGKA_EIO, "chart '%s': cannot fix the PDF "
			               "date of '%s':", name, outs[k]);
			goto cleanup;
		}
	}
	/* Everything is there: rename into place, data and script first. */
	char final[4096];
	snprintf(final, sizeof final, "%s/%s.dat", dir, name);
	if (rename(tdat, final) != 0)
		goto rename_fail;
	free(tdat);
	tdat = NULL;
	snprintf(final, sizeof final, "%s/%s.gp", dir, name);
	if (rename(tgp, final) != 0)
		goto rename_fail;
	free(tgp);
	tgp = NULL;
	for (int k = 0; k < 3; k++) {
		if (!made[k])
			continue;
		snprintf(final, sizeof final, "%s/%s.%s", dir, name, ext[k]);
		if (rename(outs[k], final) != 0)
			goto rename_fail;
		made[k] = 0;
	}
	if (!c->o->quiet)
		fprintf(stderr, "%s: wrote %s/%s.{dat,gp%s%s%s}\n", angka_progname(),
		        dir, name, c->o->formats & CHART_PNG ? ",png" : "",
		        c->o->formats & CHART_SVG ? ",svg" : "",
		        c->o->formats & CHART_PDF ? ",pdf" : "");
	rc = ANGKA_OK;
	goto cleanup;
rename_fail:
	rc = ANGKA_ERR(e, ANGKA_EIO, "cannot rename into '%s':", final);
cleanup:
	if (tdat)
		unlink(tdat);
	if (tgp)
		unlink(tgp);
	for (int k = 0; k < 3; k++)
		if (made[k])
			unlink(outs[k]);
	free(tdat);
	free(tgp);
	chart_buf_release(&p.gp);
	chart_buf_release(&p.dat);
	return rc;
}

enum angka_err chart_run(const struct chart_opts *o,
                         const struct chart_config *cc, int *sig,
                         struct angka_error *e)
{
	struct chart_ctx c = { .o = o, .cc = cc, .lang = cc->lang ? CHART_EN : CHART_ID };
	enum angka_err rc = ANGKA_OK;
	*sig = 0;
	int idx[64];
	if (o->ncharts > 64)
		return ANGKA_ERR(e, ANGKA_EUSAGE, "too many charts");
	for (size_t i = 0; i < o->ncharts; i++) {
		idx[i] = chart_index(o->charts[i]);
		if (idx[i] < 0)
			return ANGKA_ERR(e, ANGKA_EUSAGE, "unknown chart '%s'",
			                 o->charts[i]);
	}
	if (mkdir(o->outdir, 0777) != 0 && errno != EEXIST)
		return ANGKA_ERR(e, ANGKA_EIO, "cannot create '%s':", o->outdir);
	/* Load every input the charts need before drawing anything. */
	for (size_t i = 0; i < o->ncharts && rc == ANGKA_OK; i++) {
		const struct chart_def *d = chart_table[idx[i]];
		for (int k = 0; k < 3 && rc == ANGKA_OK; k++)
			if ((d->needs & (1u << k)) ||
			    ((d->uses & (1u << k)) && input_path(cc, k)))
				rc = need(&c, k, d->name, e);
	}
	if (rc == ANGKA_OK && cc->wilayah) {
		static const char *const req[] = { "kode", "nama", NULL };
		rc = chart_ctab_load(&c.wil, cc->wilayah, req, e);
		c.have_wil = rc == ANGKA_OK;
	}
	if (rc == ANGKA_OK)
		pick_region(&c);
	for (size_t i = 0; i < o->ncharts && rc == ANGKA_OK; i++)
		rc = render(&c, idx[i], sig, e);
	if (c.have_hist)
		chart_ctab_release(&c.hist);
	if (c.have_reg)
		chart_ctab_release(&c.reg);
	if (c.have_prog)
		chart_ctab_release(&c.prog);
	if (c.have_wil)
		chart_ctab_release(&c.wil);
	return rc;
}
