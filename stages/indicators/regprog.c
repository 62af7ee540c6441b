/*
 * regprog.c - registry and programme indicators (see regprog.h): their
 * settings and the helpers both modes share (regprog_int.h); the modes
 * are in registry.c and programmes.c.
 *
 * Both modes stream their inputs once and aggregate into small tables keyed
 * by interned strings (tables.h), so memory grows with the number of areas,
 * households and programme rows, not with the columns of the registry.
 */
#include "regprog_int.h"
#include "csv_columns.h"

#include <stdlib.h>
#include <string.h>

const struct angka_key_def regprog_registry_keys[] = {
	{ "tahun", ANGKA_KEY_INT, offsetof(struct regprog_settings, tahun), NULL,
	  1990, 2100 },
	{ "min_cell", ANGKA_KEY_INT, offsetof(struct regprog_settings, min_cell),
	  NULL, 1, 1000 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

const struct angka_key_def regprog_programme_keys[] = {
	{ "kube_min", ANGKA_KEY_INT, offsetof(struct regprog_settings, kube_min),
	  NULL, 1, 1000 },
	{ "kube_max", ANGKA_KEY_INT, offsetof(struct regprog_settings, kube_max),
	  NULL, 1, 1000 },
	{ "uep_repeat_years", ANGKA_KEY_INT,
	  offsetof(struct regprog_settings, uep_repeat_years), NULL, 0, 100 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

void regprog_settings_init(struct regprog_settings *s)
{
	s->tahun = 0;
	s->kube_min = 5;
	s->min_cell = 5;
	s->kube_max = 20;
	s->uep_repeat_years = 5;
}

/* ------------------------------------------------------------------ */
/* A CSV table read by column name.                                    */

/*
 * Open path and find cols (NULL-terminated); names starting with '?' are
 * optional (index -1 when absent). A missing required column is an error
 * naming the file, the column and the header.
 */
enum angka_err regprog_tab_open(struct tab *t, const char *path,
                                const char *const *cols, struct angka_error *e)
{
	memset(t, 0, sizeof *t);
	t->path = path;
	const char *want[TAB_MAXCOL], *req[TAB_MAXCOL + 1];
	size_t n = 0, nreq = 0;
	for (; cols[n]; n++) {
		int opt = cols[n][0] == '?';
		want[n] = cols[n] + opt;
		if (!opt)
			req[nreq++] = want[n];
	}
	req[nreq] = NULL;
	struct angka_csv_opts o = ANGKA_CSV_CANONICAL;
	const struct angka_csv_record *h;
	return angka_csv_open_columns(&t->r, &h, path, &o, want, n, t->idx, req,
	                              NULL, e);
}

static enum angka_err tab_close(struct tab *t, struct angka_error *e)
{
	enum angka_err rc = angka_csv_reader_close(t->r, e);
	t->r = NULL;
	return rc;
}

/* End a read loop whose last tab_next returned got: free on error (e is
 * already set), else close and check the end of the stream. */
enum angka_err regprog_tab_end(struct tab *t, int got, struct angka_error *e)
{
	if (got < 0) {
		angka_csv_reader_free(t->r);
		t->r = NULL;
		return e->code;
	}
	return tab_close(t, e);
}

/* Dotted Kemendagri code of the first `level` digits of a 10-digit code:
 * level 4 -> 63.11, 6 -> 63.11.01, 10 -> 63.11.01.2001. */
void regprog_dotted(const char *d, size_t level, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < level && d[i]; i++) {
		if (i == 2 || i == 4 || i == 6)
			out[o++] = '.';
		out[o++] = d[i];
	}
	out[o] = '\0';
}

/* Ids of t's strings in byte order of the strings (owned by the caller).
 * The output of both modes is sorted by these keys; O(n log n), since a
 * national registry has some 80,000 desa. */
static int cmp_str_ids(const void *a, const void *b, void *t_)
{
	const struct ind_strtab *t = t_;
	return strcmp(ind_strtab_get(t, *(const uint32_t *)a),
	              ind_strtab_get(t, *(const uint32_t *)b));
}

uint32_t *regprog_sorted_ids(struct ind_strtab *t)
{
	uint32_t *ids = angka_xmalloc((t->n ? t->n : 1) * sizeof *ids);
	for (uint32_t i = 0; i < t->n; i++)
		ids[i] = i;
	qsort_r(ids, t->n, sizeof *ids, cmp_str_ids, t);
	return ids;
}
