/*
 * dtks_period.c - the period of a DTKS extract; see dtks_period.h.
 */
#include "dtks_period.h"
#include "angka.h"

#include <stdlib.h>
#include <string.h>

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

size_t normalize_period_parse(const char *s, size_t len, char out[8])
{
	if ((len != 4 && len != 7) || !digits(s, 4))
		return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	        (s[3] - '0');
	if (y < 1900 || y > 2100)
		return 0;
	if (len == 7) {
		if (s[4] != '-' || !digits(s + 5, 2))
			return 0;
		int m = (s[5] - '0') * 10 + (s[6] - '0');
		if (m < 1 || m > 12)
			return 0;
	}
	memcpy(out, s, len);
	out[len] = 0;
	return len;
}

int normalize_period_arg_ok(const char *arg)
{
	const char *eq = strrchr(arg, '=');
	const char *v = eq ? eq + 1 : arg;
	char tmp[8];
	if (eq == arg)
		return -1;
	return normalize_period_parse(v, strlen(v), tmp) ? 0 : -1;
}

/* The base name of s[0..len): after its last '/'. */
static const char *base(const char *s, size_t len, size_t *blen)
{
	size_t i = len;
	while (i > 0 && s[i - 1] != '/')
		i--;
	*blen = len - i;
	return s + i;
}

/* The last run of exactly 4 digits in s[0..len) that is a year 2000-2100. */
static size_t year_in(const char *s, size_t len, char out[8])
{
	size_t found = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] < '0' || s[i] > '9') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j - i == 4) {
			int y = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 +
			        (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
			if (y >= 2000 && y <= 2100) {
				memcpy(out, s + i, 4);
				out[4] = 0;
				found = 4;
			}
		}
		i = j;
	}
	return found;
}

/* 1 the first time the current file is to be reported (unless quiet). */
static int first_time(struct normalize_period *p)
{
	if (p->quiet)
		return 0;
	for (size_t i = 0; i < p->nsaid; i++)
		if (strcmp(p->said[i], p->file) == 0)
			return 0;
	p->said = angka_xrealloc(p->said, (p->nsaid + 1) * sizeof *p->said);
	p->said[p->nsaid++] = angka_xstrdup(p->file);
	return 1;
}

const char *normalize_period_of(struct normalize_period *p, const char *file,
                                size_t len, size_t *olen)
{
	if (p->file && p->flen == len && memcmp(p->file, file, len) == 0) {
		*olen = p->vlen;
		return p->val;
	}
	if (len + 1 > p->fcap) {
		p->fcap = 2 * (len + 1);
		p->file = angka_xrealloc(p->file, p->fcap);
	}
	memcpy(p->file, file, len);
	p->file[len] = 0;
	p->flen = len;
	p->vlen = 0;
	size_t bl;
	const char *b = base(file, len, &bl);
	/* NAME=: the src_file itself first, else its base name. */
	const char *any = NULL;
	for (int pass = 0; pass < 2 && !p->vlen; pass++) {
		for (size_t i = 0; i < p->nargs && !p->vlen; i++) {
			const char *eq = strrchr(p->args[i], '=');
			if (!eq) {
				any = p->args[i];
				continue;
			}
			size_t nl = (size_t)(eq - p->args[i]);
			const char *n = p->args[i];
			if (pass ? (n = base(n, nl, &nl), nl != bl ||
			            memcmp(n, b, bl) != 0)
			         : nl != len || memcmp(n, file, len) != 0)
				continue;
			p->vlen = normalize_period_parse(eq + 1, strlen(eq + 1),
			                                 p->val);
		}
	}
	if (!p->vlen && any)
		p->vlen = normalize_period_parse(any, strlen(any), p->val);
	if (!p->vlen) {
		p->vlen = year_in(b, bl, p->val);
		if (!p->vlen)
			p->vlen = year_in(file, len - bl, p->val);
		if (p->vlen && first_time(p))
			angka_warn("period %s of '%s' taken from its file name "
			           "(--period to set it)", p->val, p->file);
		else if (!p->vlen && first_time(p))
			angka_warn("no period known for '%s': survivors fall "
			           "back to most_complete and line order "
			           "(--period YYYY[-MM])", p->file);
	}
	*olen = p->vlen;
	return p->val;
}

void normalize_period_free(struct normalize_period *p)
{
	for (size_t i = 0; i < p->nsaid; i++)
		free(p->said[i]);
	free(p->said);
	free(p->file);
	memset(p, 0, sizeof *p);
}
