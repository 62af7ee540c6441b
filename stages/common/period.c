/*
 * period.c - reference periods to "YYYY-MM". See period.h.
 *
 * The parser splits the text into tokens (runs of digits, runs of letters;
 * spaces and - / . , separate them) and matches the token pattern.
 */
#include "period.h"
#include "date.h"

#include <stdio.h>
#include <string.h>

#define MAX_TOKENS 6

struct token {
	const char *s;
	size_t len;
	int digits;     /* 1: all digits, 0: all letters */
};

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int is_alpha(char c)
{
	c = lower(c);
	return c >= 'a' && c <= 'z';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int token_is(const struct token *t, const char *w)
{
	size_t wl = strlen(w);
	if (t->len != wl)
		return 0;
	for (size_t i = 0; i < wl; i++)
		if (lower(t->s[i]) != w[i])
			return 0;
	return 1;
}

static int token_num(const struct token *t)
{
	int v = 0;
	for (size_t i = 0; i < t->len && i < 8; i++)
		v = v * 10 + (t->s[i] - '0');
	return v;
}

/* Year from a 2- or 4-digit token, or 0. */
static int year_of(const struct token *t, unsigned *flags)
{
	if (!t->digits)
		return 0;
	int v = token_num(t);
	if (t->len == 4)
		return (v >= 1900 && v <= 2100) ? v : 0;
	if (t->len == 2) {
		*flags |= ANGKA_PERIOD_F_TWO_DIGIT;
		return v < 70 ? 2000 + v : 1900 + v;
	}
	return 0;
}

/* Month from a 1- or 2-digit token, or 0. */
static int month_num(const struct token *t)
{
	if (!t->digits || t->len < 1 || t->len > 2)
		return 0;
	int v = token_num(t);
	return (v >= 1 && v <= 12) ? v : 0;
}

/* Month from a name token, or 0. */
static int month_name(const struct token *t, unsigned *flags)
{
	if (t->digits)
		return 0;
	int m = angka_date_month_from_name(t->s, t->len);
	if (m)
		*flags |= ANGKA_PERIOD_F_MONTH_NAME;
	return m;
}

static int tokenize(const char *s, size_t len, struct token *tok, size_t *ntok)
{
	size_t n = 0, i = 0;
	while (i < len) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '-' || c == '/' || c == '.' ||
		    c == ',') {
			i++;
			continue;
		}
		if (n == MAX_TOKENS)
			return -1;
		size_t start = i;
		if (is_digit(c)) {
			while (i < len && is_digit(s[i]))
				i++;
			tok[n].digits = 1;
		} else if (is_alpha(c)) {
			while (i < len && is_alpha(s[i]))
				i++;
			tok[n].digits = 0;
		} else {
			return -1;
		}
		tok[n].s = s + start;
		tok[n].len = i - start;
		n++;
	}
	*ntok = n;
	return 0;
}

int angka_period_parse(const char *s, size_t len, struct angka_period *p)
{
	memset(p, 0, sizeof *p);
	if (!s)
		return 1;
	struct token tok[MAX_TOKENS];
	size_t n;
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == len)
		return 1;
	if (tokenize(s, len, tok, &n) != 0 || n == 0)
		return -1;
	struct token *t = tok;
	/* "Tahun 2020", "Bulan Maret 2020": leading labels. */
	if (n >= 2 && (token_is(&t[0], "tahun") || token_is(&t[0], "bulan") ||
	               token_is(&t[0], "periode"))) {
		t++;
		n--;
	}
	unsigned fl = 0;
	int y = 0, m = 0;
	if (n == 1) {
		if (t[0].digits && t[0].len == 4) {
			y = year_of(&t[0], &fl);
			fl |= ANGKA_PERIOD_F_YEAR_ONLY;
		} else if (t[0].digits && t[0].len == 6) {
			struct token ty = { t[0].s, 4, 1 }, tm = { t[0].s + 4, 2, 1 };
			y = year_of(&ty, &fl);
			m = month_num(&tm);
		}
	} else if (n == 2 && token_is(&t[0], "semester")) {
		/* "Semester 2020" alone is not a period. */
	} else if (n == 3 && token_is(&t[0], "semester")) {
		if (token_is(&t[1], "i") || (t[1].digits && token_is(&t[1], "1")))
			m = 3;
		else if (token_is(&t[1], "ii") ||
		         (t[1].digits && token_is(&t[1], "2")))
			m = 9;
		if (t[2].len == 4)
			y = year_of(&t[2], &fl);
		fl |= ANGKA_PERIOD_F_SEMESTER;
	} else if (n == 2) {
		if (t[0].digits && t[0].len == 4 && t[1].digits) {
			/* YYYY-MM */
			y = year_of(&t[0], &fl);
			m = month_num(&t[1]);
		} else if (t[0].digits && t[1].digits && t[1].len == 4) {
			/* MM/YYYY */
			m = month_num(&t[0]);
			y = year_of(&t[1], &fl);
		} else if (!t[0].digits && t[1].digits) {
			/* Maret 2020, Mar-20 */
			m = month_name(&t[0], &fl);
			y = year_of(&t[1], &fl);
		} else if (t[0].digits && t[0].len == 4 && !t[1].digits) {
			/* 2020 Maret */
			y = year_of(&t[0], &fl);
			m = month_name(&t[1], &fl);
		}
	} else if (n == 3 && t[0].digits && t[0].len == 4 && t[1].digits &&
	           t[2].digits && t[2].len <= 2) {
		/* YYYY-MM-DD */
		y = year_of(&t[0], &fl);
		m = month_num(&t[1]);
		int d = token_num(&t[2]);
		if (d < 1 || d > 31)
			m = 0;
		fl |= ANGKA_PERIOD_F_DAY;
	}
	if (!y || (!m && !(fl & ANGKA_PERIOD_F_YEAR_ONLY)))
		return -1;
	p->year = y;
	p->month = m;
	p->flags = fl;
	return 0;
}

size_t angka_period_format(const struct angka_period *p, int default_month,
                           char *buf, size_t cap)
{
	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if (p->year < 1900 || p->year > 2100 || p->month < 0 || p->month > 12 ||
	    default_month < 0 || default_month > 12 || cap < 8)
		return 0;
	int m = p->month ? p->month : default_month;
	int n = m ? snprintf(buf, cap, "%04d-%02d", p->year, m)
	          : snprintf(buf, cap, "%04d", p->year);
	return n > 0 ? (size_t)n : 0;
}
