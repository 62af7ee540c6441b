/*
 * config.c - INI config via libinih, with a table of known keys.
 *
 * libinih calls our handler once per key; a reader wrapper counts lines so
 * every error names 'file':line. Values are checked as they are read;
 * cross-key rules (required columns that exist) are checked at the end.
 */
#include "config.h"
#include "diag.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const angka_stage_sections[] = {
	"run", "normalize", "dedup", "indicators", "registry", "programmes",
	"trend", "sae", "garis", "chart", "engine", "output", NULL
};

struct parse_ctx {
	struct angka_config *c;
	struct angka_error *e;
	const char *name;
	int line;
	int mid_line;      /* the last chunk read did not end a line */
	int failed;
	/* For the string reader. */
	const char *text;
	/* Pending "required" lists, applied after parsing. */
	char *required[ANGKA_KIND_COUNT];
	int required_line[ANGKA_KIND_COUNT];
	/* The previous key, to recognise continuation lines of a list. */
	char last_section[64], last_key[64];
	int last_line;
};

int angka_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "1", "yes", "true", "on", "ya" };
	static const char *const no[] = { "0", "no", "false", "off", "tidak" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

int angka_parse_delim(const char *s, char *out)
{
	static const struct { const char *name; char c; } names[] = {
		{ "auto", 0 }, { "comma", ',' }, { "semicolon", ';' },
		{ "pipe", '|' }, { "tab", '\t' },
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].c;
			return 0;
		}
	}
	if (strlen(s) == 1 && s[0] != '"' && s[0] != '\n' && s[0] != '\r') {
		*out = s[0];
		return 0;
	}
	return -1;
}

static char *join_path(const char *dir, const char *p)
{
	if (p[0] == '/' || strcmp(dir, ".") == 0)
		return angka_xstrdup(p);
	size_t n = strlen(dir) + strlen(p) + 2;
	char *s = angka_xmalloc(n);
	snprintf(s, n, "%s/%s", dir, p);
	return s;
}

char *angka_config_path(const struct angka_config *c, const char *section,
                        const char *key)
{
	const char *val = NULL;
	for (size_t i = 0; i < c->nkv; i++)
		if (strcmp(c->kv[i].section, section) == 0 &&
		    strcmp(c->kv[i].key, key) == 0)
			val = c->kv[i].value;
	return val && *val ? join_path(c->dir, val) : NULL;
}

void angka_config_init(struct angka_config *c)
{
	memset(c, 0, sizeof *c);
	c->dir = angka_xstrdup(".");
	c->name = angka_xstrdup("angka");
	c->output_dir = angka_xstrdup("out");
	for (int k = 0; k < ANGKA_KIND_COUNT; k++)
		angka_profile_init_default(&c->profile[k], (enum angka_kind)k);
}

void angka_config_release(struct angka_config *c)
{
	free(c->path);
	free(c->dir);
	free(c->name);
	free(c->output_dir);
	for (int k = 0; k < ANGKA_KIND_COUNT; k++) {
		angka_profile_release(&c->profile[k]);
		for (size_t i = 0; i < c->input[k].nfiles; i++)
			free(c->input[k].files[i]);
		free(c->input[k].files);
		for (size_t i = 0; i < c->input[k].nperiods; i++)
			free(c->input[k].periods[i]);
		free(c->input[k].periods);
	}
	for (size_t i = 0; i < c->nkv; i++) {
		free(c->kv[i].section);
		free(c->kv[i].key);
		free(c->kv[i].value);
	}
	free(c->kv);
	memset(c, 0, sizeof *c);
}

enum angka_err angka_config_apply(struct angka_config *c, const char *section,
                                  const struct angka_key_def *defs,
                                  void *target, struct angka_error *e)
{
	const char *name = c->path ? c->path : "<defaults>";
	for (size_t i = 0; i < c->nkv; i++) {
		struct angka_kv *kv = &c->kv[i];
		if (strcmp(kv->section, section) != 0)
			continue;
		const struct angka_key_def *d = defs;
		while (d->key && strcmp(d->key, kv->key) != 0)
			d++;
		if (!d->key)
			return ANGKA_ERR(e, ANGKA_ECONFIG,
			                 "'%s':%d: unknown key '%s' in [%s]", name,
			                 kv->line, kv->key, section);
		char *field = (char *)target + d->offset;
		const char *v = kv->value;
		char *end;
		switch (d->type) {
		case ANGKA_KEY_STRING:
			*(const char **)(void *)field = v;
			break;
		case ANGKA_KEY_PATH: {
			char *p = join_path(c->dir, v);
			free(kv->value);
			kv->value = p;
			*(const char **)(void *)field = p;
			break;
		}
		case ANGKA_KEY_BOOL: {
			int b;
			if (angka_parse_bool(v, &b))
				goto badval;
			*(int *)(void *)field = b;
			break;
		}
		case ANGKA_KEY_INT: {
			errno = 0;
			long n = strtol(v, &end, 10);
			if (errno || end == v || *end ||
			    (d->min != d->max && (n < d->min || n > d->max)))
				goto badval;
			*(long *)(void *)field = n;
			break;
		}
		case ANGKA_KEY_DOUBLE: {
			errno = 0;
			double x = strtod(v, &end);
			if (errno || end == v || *end || x != x ||
			    (d->min != d->max && (x < d->min || x > d->max)))
				goto badval;
			*(double *)(void *)field = x;
			break;
		}
		case ANGKA_KEY_ENUM: {
			int idx = 0;
			const char *ch = d->choices;
			size_t vl = strlen(v);
			int found = -1;
			while (*ch) {
				const char *bar = strchr(ch, '|');
				size_t n = bar ? (size_t)(bar - ch) : strlen(ch);
				if (n == vl && strncmp(ch, v, n) == 0) {
					found = idx;
					break;
				}
				idx++;
				ch += n + (bar ? 1 : 0);
			}
			if (found < 0)
				return ANGKA_ERR(e, ANGKA_ECONFIG,
				                 "'%s':%d: bad value '%s' for '%s' in "
				                 "[%s] (expected one of: %s)", name,
				                 kv->line, v, kv->key, section,
				                 d->choices);
			*(int *)(void *)field = found;
			break;
		}
		}
		continue;
badval:
		if (d->min != d->max)
			return ANGKA_ERR(e, ANGKA_ECONFIG,
			                 "'%s':%d: bad value '%s' for '%s' in [%s] "
			                 "(expected a number in [%g, %g])", name,
			                 kv->line, v, kv->key, section, d->min, d->max);
		return ANGKA_ERR(e, ANGKA_ECONFIG,
		                 "'%s':%d: bad value '%s' for '%s' in [%s]", name,
		                 kv->line, v, kv->key, section);
	}
	return ANGKA_OK;
}

static int bad(struct parse_ctx *x, const char *fmt, const char *a,
               const char *b, const char *v)
{
	char detail[512];
	snprintf(detail, sizeof detail, fmt, a, b, v);
	ANGKA_ERR(x->e, ANGKA_ECONFIG, "'%s':%d: %s", x->name, x->line, detail);
	x->failed = 1;
	return 0;
}

static int valid_column_name(const char *s)
{
	if (!*s || !(islower((unsigned char)*s)))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_')
			return 0;
	return 1;
}

static int handle_angka(struct parse_ctx *x, const char *key, const char *v)
{
	struct angka_config *c = x->c;
	if (strcmp(key, "name") == 0) {
		free(c->name);
		c->name = angka_xstrdup(v);
		return 1;
	}
	if (strcmp(key, "output_dir") == 0) {
		if (!*v)
			return bad(x, "empty value for '%s' in [%s]%s", key, "angka", "");
		free(c->output_dir);
		c->output_dir = join_path(c->dir, v);
		return 1;
	}
	return bad(x, "unknown key '%s' in [%s]%s", key, "angka", "");
}

static int handle_profile(struct parse_ctx *x, const char *section, int kind,
                          const char *key, const char *v)
{
	struct angka_profile *p = &x->c->profile[kind];
	if (strcmp(key, "delimiter") == 0) {
		if (angka_parse_delim(v, &p->delim))
			return bad(x, "bad value '%s' for 'delimiter' in [%s]%s "
			           "(expected auto, comma, semicolon, pipe, tab "
			           "or one character)", v, section, "");
		return 1;
	}
	if (strcmp(key, "encoding") == 0) {
		if (strcasecmp(v, "auto") == 0)
			p->encoding = ANGKA_ENC_AUTO;
		else if (strcasecmp(v, "utf-8") == 0 || strcasecmp(v, "utf8") == 0)
			p->encoding = ANGKA_ENC_UTF8;
		else if (strcasecmp(v, "windows-1252") == 0 ||
		         strcasecmp(v, "cp1252") == 0)
			p->encoding = ANGKA_ENC_CP1252;
		else
			return bad(x, "bad value '%s' for 'encoding' in [%s]%s "
			           "(expected auto, utf-8 or windows-1252)", v,
			           section, "");
		return 1;
	}
	if (strcmp(key, "keep_unknown") == 0) {
		if (angka_parse_bool(v, &p->keep_unknown))
			return bad(x, "bad value '%s' for 'keep_unknown' in [%s]%s "
			           "(expected yes or no)", v, section, "");
		return 1;
	}
	if (strcmp(key, "labels") == 0) {
		if (angka_parse_bool(v, &p->labels))
			return bad(x, "bad value '%s' for 'labels' in [%s]%s "
			           "(expected yes or no)", v, section, "");
		return 1;
	}
	if (strcmp(key, "sheet") == 0) {
		free(p->sheet);
		p->sheet = *v ? angka_xstrdup(v) : NULL;
		return 1;
	}
	if (strcmp(key, "header_search") == 0) {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno || end == v || *end || n < 1 || n > 1000)
			return bad(x, "bad value '%s' for 'header_search' in [%s]%s "
			           "(expected 1-1000)", v, section, "");
		p->header_search = (int)n;
		return 1;
	}
	if (strcmp(key, "required") == 0) {
		free(x->required[kind]);
		x->required[kind] = angka_xstrdup(v);
		x->required_line[kind] = x->line;
		return 1;
	}
	if (strncmp(key, "column.", 7) == 0) {
		const char *col = key + 7;
		if (!valid_column_name(col))
			return bad(x, "bad column name '%s' in [%s]%s (use "
			           "lowercase letters, digits and '_')", col,
			           section, "");
		if (!*v)
			return bad(x, "column '%s' in [%s]%s needs at least one "
			           "header alias", col, section, "");
		angka_profile_set_aliases(p, col, v);
		return 1;
	}
	return bad(x, "unknown key '%s' in [%s]%s", key, section, "");
}

/* "YYYY" (1900-2100) or "YYYY-MM". */
static int valid_period(const char *s, size_t n)
{
	if (n != 4 && n != 7)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i == 4 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return 0;
	int y = atoi(s), m = n == 7 ? atoi(s + 5) : 1;
	return y >= 1900 && y <= 2100 && m >= 1 && m <= 12;
}

/* [input.dtks] periods: one period a file, separated by spaces or commas. */
static int handle_periods(struct parse_ctx *x, const char *section,
                          struct angka_input_list *in, int cont,
                          const char *v)
{
	if (!cont) {
		for (size_t i = 0; i < in->nperiods; i++)
			free(in->periods[i]);
		in->nperiods = 0;
		in->periods_line = x->line;
	}
	for (const char *s = v; *s;) {
		size_t n = strcspn(s, ", \t");
		if (n) {
			char tmp[16];
			snprintf(tmp, sizeof tmp, "%.*s", (int)(n < 15 ? n : 15), s);
			if (!valid_period(s, n))
				return bad(x, "bad period '%s' in [%s]%s (expected "
				           "YYYY or YYYY-MM, year 1900-2100)", tmp,
				           section, "");
			in->periods = angka_xrealloc(in->periods,
			                             (in->nperiods + 1) *
			                             sizeof *in->periods);
			in->periods[in->nperiods++] = angka_xstrdup(tmp);
		}
		s += n;
		s += strspn(s, ", \t");
	}
	return 1;
}

static int handle_input(struct parse_ctx *x, const char *section, int kind,
                        const char *key, const char *v)
{
	struct angka_input_list *in = &x->c->input[kind];
	int is_periods = kind == ANGKA_KIND_DTKS && strcmp(key, "periods") == 0;
	if (strcmp(key, "files") != 0 && !is_periods)
		return bad(x, "unknown key '%s' in [%s]%s", key, section, "");
	/* An indented continuation line (libinih multiline) appends. */
	int cont = x->last_line == x->line - 1 &&
	           strcmp(x->last_section, section) == 0 &&
	           strcmp(x->last_key, key) == 0;
	if (is_periods)
		return handle_periods(x, section, in, cont, v);
	if (!cont) {
		for (size_t i = 0; i < in->nfiles; i++)
			free(in->files[i]);
		in->nfiles = 0;
	}
	const char *s = v;
	while (*s) {
		while (isspace((unsigned char)*s))
			s++;
		const char *start = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (s > start) {
			char tmp[4096];
			snprintf(tmp, sizeof tmp, "%.*s", (int)(s - start), start);
			in->files = angka_xrealloc(in->files,
			                           (in->nfiles + 1) * sizeof *in->files);
			in->files[in->nfiles++] = join_path(x->c->dir, tmp);
		}
	}
	if (in->nfiles == 0)
		return bad(x, "empty file list for '%s' in [%s]%s", key, section, "");
	return 1;
}

static int handle_key(struct parse_ctx *x, const char *section, const char *key,
                      const char *value);

static int handler(void *user, const char *section, const char *key,
                   const char *value)
{
	struct parse_ctx *x = user;
	if (x->failed)
		return 0;
	int r = handle_key(x, section, key, value);
	snprintf(x->last_section, sizeof x->last_section, "%s", section);
	snprintf(x->last_key, sizeof x->last_key, "%s", key);
	x->last_line = x->line;
	return r;
}

static int handle_key(struct parse_ctx *x, const char *section, const char *key,
                      const char *value)
{
	if (!*section)
		return bad(x, "key '%s' outside of any section%s%s", key, "", "");
	if (strcmp(section, "angka") == 0)
		return handle_angka(x, key, value);
	const char *dot = strchr(section, '.');
	if (dot) {
		size_t plen = (size_t)(dot - section);
		int kind = angka_kind_from_name(dot + 1);
		int is_profile = plen == 7 && strncmp(section, "profile", 7) == 0;
		int is_input = plen == 5 && strncmp(section, "input", 5) == 0;
		if ((is_profile || is_input) && kind < 0)
			return bad(x, "unknown kind '%s' in section [%s] "
			           "(expected one of: %s)", dot + 1, section,
			           angka_kind_list());
		if (is_profile)
			return handle_profile(x, section, kind, key, value);
		if (is_input)
			return handle_input(x, section, kind, key, value);
	}
	for (const char *const *st = angka_stage_sections; *st; st++) {
		if (strcmp(section, *st) == 0) {
			struct angka_config *c = x->c;
			c->kv = angka_xrealloc(c->kv, (c->nkv + 1) * sizeof *c->kv);
			struct angka_kv *kv = &c->kv[c->nkv++];
			kv->section = angka_xstrdup(section);
			kv->key = angka_xstrdup(key);
			kv->value = angka_xstrdup(value);
			kv->line = x->line;
			return 1;
		}
	}
	return bad(x, "unknown section [%s]%s%s", section, "", "");
}

/* fgets-style readers that count lines for messages. */
static char *file_reader(char *str, int num, void *stream)
{
	struct parse_ctx *x = stream;
	FILE *f = (FILE *)x->text;
	char *r = fgets(str, num, f);
	if (r) {
		/* libinih reads a line longer than its buffer in pieces:
		 * count the line once. */
		size_t n = strlen(r);
		if (!x->mid_line)
			x->line++;
		x->mid_line = n > 0 && r[n - 1] != '\n';
	}
	return r;
}

static char *string_reader(char *str, int num, void *stream)
{
	struct parse_ctx *x = stream;
	const char *s = x->text;
	if (!*s || num < 2)
		return NULL;
	int i = 0;
	while (i < num - 1 && s[i]) {
		str[i] = s[i];
		if (s[i++] == '\n')
			break;
	}
	str[i] = '\0';
	x->text = s + i;
	if (!x->mid_line)
		x->line++;
	x->mid_line = str[i - 1] != '\n';
	return str;
}

/* libinih passes its stream pointer to the reader; we pass the ctx and keep
 * the real stream in ctx->text. */
static enum angka_err run_parse(struct parse_ctx *x, ini_reader reader)
{
	ini_stop_on_first_error = true;
	ini_allow_multiline = true;
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_max_line = 1 << 16;
	int rc = ini_parse_stream(reader, x, handler, x);
	if (x->failed)
		return x->e ? x->e->code : ANGKA_ECONFIG;
	if (rc > 0)
		return ANGKA_ERR(x->e, ANGKA_ECONFIG,
		                 "'%s':%d: syntax error (expected [section] or "
		                 "key = value)", x->name, rc);
	if (rc < 0)
		return ANGKA_ERR(x->e, ANGKA_ENOMEM, "'%s': out of memory", x->name);
	/* Cross-key checks. */
	struct angka_input_list *dt = &x->c->input[ANGKA_KIND_DTKS];
	if (dt->nperiods && dt->nperiods != dt->nfiles)
		return ANGKA_ERR(x->e, ANGKA_ECONFIG,
		                 "'%s':%d: %zu periods for %zu files in "
		                 "[input.dtks] (one period per file, in order)",
		                 x->name, dt->periods_line, dt->nperiods,
		                 dt->nfiles);
	for (int k = 0; k < ANGKA_KIND_COUNT; k++) {
		if (!x->required[k])
			continue;
		struct angka_profile *p = &x->c->profile[k];
		for (size_t i = 0; i < p->ncol; i++)
			p->col[i].required = 0;
		char *list = x->required[k];
		for (char *tok = strtok(list, ", \t"); tok; tok = strtok(NULL, ", \t")) {
			int i = angka_profile_find(p, tok);
			if (i < 0)
				return ANGKA_ERR(x->e, ANGKA_ECONFIG,
				                 "'%s':%d: required column '%s' is not a "
				                 "column of profile '%s'", x->name,
				                 x->required_line[k], tok,
				                 angka_kind_name((enum angka_kind)k));
			p->col[i].required = 1;
		}
	}
	return ANGKA_OK;
}

static void set_dir(struct angka_config *c, const char *path)
{
	free(c->path);
	c->path = angka_xstrdup(path);
	const char *slash = strrchr(path, '/');
	free(c->dir);
	if (!slash) {
		c->dir = angka_xstrdup(".");
	} else {
		size_t n = (size_t)(slash - path);
		c->dir = angka_xmalloc(n + 2);
		if (n == 0)
			strcpy(c->dir, "/");
		else
			snprintf(c->dir, n + 1, "%s", path);
	}
	/* output_dir defaults to "out" beside the config. */
	free(c->output_dir);
	c->output_dir = join_path(c->dir, "out");
}

static void release_ctx(struct parse_ctx *x)
{
	for (int k = 0; k < ANGKA_KIND_COUNT; k++)
		free(x->required[k]);
}

enum angka_err angka_config_load(struct angka_config *c, const char *path,
                                 struct angka_error *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return ANGKA_ERR(e, ANGKA_ECONFIG, "cannot open config '%s':", path);
	set_dir(c, path);
	struct parse_ctx x = { .c = c, .e = e, .name = path, .text = (const char *)f };
	enum angka_err rc = run_parse(&x, file_reader);
	if (rc == ANGKA_OK && ferror(f))
		rc = ANGKA_ERR(e, ANGKA_ECONFIG, "error reading config '%s':", path);
	fclose(f);
	release_ctx(&x);
	return rc;
}

enum angka_err angka_config_load_string(struct angka_config *c,
                                        const char *text, const char *name,
                                        struct angka_error *e)
{
	struct parse_ctx x = { .c = c, .e = e, .name = name, .text = text };
	/* angka_config_apply names the config by its path. */
	free(c->path);
	c->path = angka_xstrdup(name);
	enum angka_err rc = run_parse(&x, string_reader);
	release_ctx(&x);
	return rc;
}

int angka_config_check_main(const char *path, const char *const *sections,
                            const struct angka_key_def *const *defs,
                            void *const *scratch)
{
	struct angka_error e = { 0 };
	struct angka_config c;
	angka_config_init(&c);
	enum angka_err rc = path ? angka_config_load(&c, path, &e) : ANGKA_OK;
	for (size_t i = 0; rc == ANGKA_OK && sections[i]; i++)
		rc = angka_config_apply(&c, sections[i], defs[i], scratch[i], &e);
	angka_config_release(&c);
	if (rc != ANGKA_OK)
		return angka_report(&e);
	return 0;
}
