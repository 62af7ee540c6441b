/*
 * chart_render.c - angka-chart's rendering of one chart: build it, write
 * NAME.dat and NAME.gp to temporary names, run gnuplot on them, check its
 * outputs, fix the PDF date, and rename everything into place. See
 * chart_render.h.
 */
#include "chart_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

enum angka_err chart_render(struct chart_ctx *c, int ch, int *sig,
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
