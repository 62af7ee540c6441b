/*
 * number.c - Indonesian/English number parsing with exact decimal
 * conversion, and shortest round-trip formatting. See number.h.
 */
#include "number.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIG_DIGITS 40

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Length of a space at s[i..n): ASCII space/tab, U+00A0, U+202F; else 0. */
static size_t space_at(const char *s, size_t i, size_t n)
{
	if (i >= n)
		return 0;
	if (s[i] == ' ' || s[i] == '\t')
		return 1;
	if (i + 1 < n && (unsigned char)s[i] == 0xC2 &&
	    (unsigned char)s[i + 1] == 0xA0)
		return 2;
	if (i + 2 < n && (unsigned char)s[i] == 0xE2 &&
	    (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xAF)
		return 3;
	return 0;
}

static size_t skip_spaces(const char *s, size_t i, size_t n)
{
	size_t k;
	while ((k = space_at(s, i, n)) > 0)
		i += k;
	return i;
}

/* 1 if s[i..n) starts with word w (lowercase ASCII), case-insensitively,
 * and the word ends there (end of input or a non-letter follows). */
static int word_at(const char *s, size_t i, size_t n, const char *w)
{
	size_t wl = strlen(w);
	if (n - i < wl)
		return 0;
	for (size_t k = 0; k < wl; k++)
		if (lower(s[i + k]) != w[k])
			return 0;
	if (i + wl < n) {
		char c = lower(s[i + wl]);
		if (c >= 'a' && c <= 'z')
			return 0;
	}
	return 1;
}

static int equals_ci(const char *s, size_t n, const char *w)
{
	if (strlen(w) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower(s[i]) != w[i])
			return 0;
	return 1;
}

static int is_missing_marker(const char *s, size_t n)
{
	static const char *const markers[] = {
		"-", "--", ".", "..", "...", "\xE2\x80\xA6" /* … */,
		"\xE2\x80\x93" /* – */, "\xE2\x80\x94" /* — */,
		"na", "n/a", "null", "x", NULL
	};
	for (const char *const *m = markers; *m; m++)
		if (equals_ci(s, n, *m))
			return 1;
	return 0;
}

/* Length of a minus sign at s[i..n) ('-' or U+2212), a plus (1), else 0;
 * *neg set for a minus. */
static size_t sign_at(const char *s, size_t i, size_t n, int *neg)
{
	if (i < n && (s[i] == '-' || s[i] == '+')) {
		*neg = s[i] == '-';
		return 1;
	}
	if (i + 2 < n && (unsigned char)s[i] == 0xE2 &&
	    (unsigned char)s[i + 1] == 0x88 && (unsigned char)s[i + 2] == 0x92) {
		*neg = 1;
		return 3;
	}
	return 0;
}

/* Length of a currency prefix at s[i..n) ("Rp", "Rp.", "IDR"), else 0. */
static size_t currency_at(const char *s, size_t i, size_t n)
{
	if (n - i >= 2 && lower(s[i]) == 'r' && lower(s[i + 1]) == 'p') {
		size_t k = i + 2;
		if (k < n && s[k] == '.')
			k++;
		if (k < n && lower(s[k]) >= 'a' && lower(s[k]) <= 'z')
			return 0;
		return k - i;
	}
	if (n - i >= 3 && lower(s[i]) == 'i' && lower(s[i + 1]) == 'd' &&
	    lower(s[i + 2]) == 'r') {
		if (i + 3 < n && lower(s[i + 3]) >= 'a' && lower(s[i + 3]) <= 'z')
			return 0;
		return 3;
	}
	return 0;
}

struct scale_word {
	const char *w;
	int scale;
};

static const struct scale_word scale_words[] = {
	{ "ribu", 3 }, { "rb", 3 }, { "thousand", 3 },
	{ "juta", 6 }, { "jt", 6 }, { "million", 6 },
	{ "miliar", 9 }, { "milyar", 9 }, { "billion", 9 },
	{ "triliun", 12 }, { "trillion", 12 },
	{ NULL, 0 }
};

/*
 * Check the digit groups of body b[0..n) split by separator g, up to index
 * end (exclusive): the first 1-3 digits not starting with a 0 unless it is
 * the only digit, the others exactly 3. Returns 1 if valid.
 */
static int groups_valid(const char *b, size_t end, char g)
{
	size_t start = 0, k = 0;
	int first = 1;
	for (size_t i = 0; i <= end; i++) {
		if (i == end || b[i] == g) {
			size_t len = i - start;
			if (first) {
				if (len < 1 || len > 3 || (b[start] == '0'))
					return 0;
				first = 0;
			} else if (len != 3) {
				return 0;
			}
			start = i + 1;
			k++;
		} else if (!is_digit(b[i])) {
			return 0;
		}
	}
	return k >= 2;
}

/*
 * The parser. *decsep and *grpsep receive the decimal and grouping
 * separators found (0 if none), for angka_number_sniff.
 */
static enum angka_number_status parse(const char *s, size_t len,
                                      enum angka_number_locale loc,
                                      struct angka_number *out,
                                      char *decsep, char *grpsep)
{
	memset(out, 0, sizeof *out);
	*decsep = 0;
	*grpsep = 0;
	if (!s)
		return ANGKA_NUMBER_MISSING;
	size_t i = skip_spaces(s, 0, len), n = len;
	while (n > i) {
		size_t k = 0;
		/* Trailing spaces: test the 1-, 2- and 3-byte forms. */
		if (s[n - 1] == ' ' || s[n - 1] == '\t')
			k = 1;
		else if (n - i >= 2 && space_at(s, n - 2, n) == 2)
			k = 2;
		else if (n - i >= 3 && space_at(s, n - 3, n) == 3)
			k = 3;
		if (!k)
			break;
		n -= k;
	}
	if (i > 0 || n < len)
		out->flags |= ANGKA_NUMBER_F_SPACES;
	if (i == n || is_missing_marker(s + i, n - i))
		return ANGKA_NUMBER_MISSING;
	int dash = 0;
	/* "Rp 581.229,-": the dash says "no cents"; the number ends before it,
	 * and the comma says it is written the Indonesian way. */
	if (n - i >= 3 && s[n - 1] == '-' && s[n - 2] == ',' &&
	    s[n - 3] >= '0' && s[n - 3] <= '9') {
		n -= 2;
		loc = ANGKA_NUMBER_ID;
		dash = 1;
		/* ... with no decimals before it ("1,5,-"); a dot that does not
		 * group thousands ("6.2,-") is caught by the Indonesian parse. */
		if (memchr(s + i, ',', n - i))
			return ANGKA_NUMBER_INVALID;
	}

	int neg = 0, have_sign = 0;
	size_t k = sign_at(s, i, n, &neg);
	if (k) {
		have_sign = 1;
		i = skip_spaces(s, i + k, n);
	}
	k = currency_at(s, i, n);
	if (k) {
		out->flags |= ANGKA_NUMBER_F_CURRENCY;
		i = skip_spaces(s, i + k, n);
		if (!have_sign) {
			k = sign_at(s, i, n, &neg);
			if (k)
				i = skip_spaces(s, i + k, n);
		}
	}

	/* The body: digits and separators. */
	const char *b = s + i;
	size_t bn = 0;
	while (i + bn < n && (is_digit(b[bn]) || b[bn] == '.' || b[bn] == ','))
		bn++;
	if (bn == 0 || !is_digit(b[bn - 1]))
		return ANGKA_NUMBER_INVALID;
	size_t ndot = 0, ncomma = 0, ndigit = 0;
	for (size_t j = 0; j < bn; j++) {
		if (b[j] == '.')
			ndot++;
		else if (b[j] == ',')
			ncomma++;
		else
			ndigit++;
		if (j > 0 && !is_digit(b[j]) && !is_digit(b[j - 1]))
			return ANGKA_NUMBER_INVALID;
	}
	if (ndigit == 0)
		return ANGKA_NUMBER_INVALID;

	char dec = 0, grp = 0;
	size_t decpos = bn; /* index of the decimal separator, bn if none */
	if (ndot && ncomma) {
		size_t last = bn;
		while (last > 0 && is_digit(b[last - 1]))
			last--;
		last--; /* the last separator */
		dec = b[last];
		grp = dec == '.' ? ',' : '.';
		if ((dec == '.' ? ndot : ncomma) != 1)
			return ANGKA_NUMBER_INVALID;
		if (!groups_valid(b, last, grp))
			return ANGKA_NUMBER_INVALID;
		decpos = last;
	} else if (ndot + ncomma >= 2) {
		grp = ndot ? '.' : ',';
		if (!groups_valid(b, bn, grp))
			return ANGKA_NUMBER_INVALID;
	} else if (ndot + ncomma == 1) {
		char c = ndot ? '.' : ',';
		size_t pos = 0;
		while (b[pos] != c)
			pos++;
		size_t before = pos, after = bn - pos - 1;
		int could_group = before >= 1 && before <= 3 && b[0] != '0' &&
		                  after == 3;
		if (!could_group) {
			dec = c;
		} else if (loc == ANGKA_NUMBER_ID) {
			if (c == '.')
				grp = c;
			else
				dec = c;
		} else if (loc == ANGKA_NUMBER_EN) {
			if (c == ',')
				grp = c;
			else
				dec = c;
		} else {
			dec = c;
			out->flags |= ANGKA_NUMBER_F_AMBIGUOUS;
		}
		if (dec)
			decpos = pos;
	}
	if (grp)
		out->flags |= ANGKA_NUMBER_F_GROUPED;
	if (dec == ',')
		out->flags |= ANGKA_NUMBER_F_DECIMAL_COMMA;
	if (dec == '.')
		out->flags |= ANGKA_NUMBER_F_DECIMAL_POINT;
	if ((loc == ANGKA_NUMBER_ID && (dec == '.' || grp == ',')) ||
	    (loc == ANGKA_NUMBER_EN && (dec == ',' || grp == '.')))
		out->flags |= ANGKA_NUMBER_F_OTHER_LOCALE;

	/* Mantissa digits without leading zeros, and the power of ten. */
	char digits[MAX_SIG_DIGITS + 1];
	size_t nd = 0;
	long exp10 = 0;
	for (size_t j = 0; j < bn; j++) {
		if (!is_digit(b[j]))
			continue;
		if (j > decpos)
			exp10--;
		if (nd == 0 && b[j] == '0')
			continue;
		if (nd >= MAX_SIG_DIGITS)
			return ANGKA_NUMBER_INVALID;
		digits[nd++] = b[j];
	}
	out->frac_digits = decpos < bn ? (int)(bn - decpos - 1) : 0;
	i += bn;

	/* Exponent: only with a decimal point or no separator at all. */
	if (i < n && (s[i] == 'e' || s[i] == 'E') && dec != ',' && !grp) {
		size_t j = i + 1;
		int eneg = 0;
		if (j < n && (s[j] == '+' || s[j] == '-')) {
			eneg = s[j] == '-';
			j++;
		}
		if (j < n && is_digit(s[j])) {
			long ev = 0;
			while (j < n && is_digit(s[j])) {
				if (ev < 100000)
					ev = ev * 10 + (s[j] - '0');
				j++;
			}
			exp10 += eneg ? -ev : ev;
			out->flags |= ANGKA_NUMBER_F_EXPONENT;
			i = j;
		}
	}

	/* Words after the number: one scale, one unit, one percent. */
	int have_scale = 0, have_unit = 0, have_pct = 0;
	for (;;) {
		i = skip_spaces(s, i, n);
		if (i >= n)
			break;
		if (s[i] == '%' && !have_pct) {
			have_pct = 1;
			i++;
			continue;
		}
		if (!have_pct && word_at(s, i, n, "persen")) {
			have_pct = 1;
			i += 6;
			continue;
		}
		int matched = 0;
		if (!have_scale && !have_unit && !have_pct) {
			for (const struct scale_word *w = scale_words; w->w; w++) {
				if (word_at(s, i, n, w->w)) {
					have_scale = 1;
					out->scale = w->scale;
					i += strlen(w->w);
					if (i < n && s[i] == '.' && strlen(w->w) == 2)
						i++; /* "rb." "jt." */
					matched = 1;
					break;
				}
			}
		}
		if (!matched && !have_unit && !have_pct &&
		    (word_at(s, i, n, "jiwa") || word_at(s, i, n, "orang"))) {
			have_unit = 1;
			i += lower(s[i]) == 'j' ? 4 : 5;
			matched = 1;
		}
		if (!matched)
			return ANGKA_NUMBER_INVALID;
	}
	if (have_scale)
		out->flags |= ANGKA_NUMBER_F_SCALED;
	if (have_unit)
		out->flags |= ANGKA_NUMBER_F_UNIT;
	if (have_pct)
		out->flags |= ANGKA_NUMBER_F_PERCENT;
	exp10 += out->scale;

	double v = 0.0;
	if (nd > 0) {
		if (exp10 > 400 || exp10 < -400 - MAX_SIG_DIGITS)
			return ANGKA_NUMBER_INVALID;
		char buf[MAX_SIG_DIGITS + 16];
		memcpy(buf, digits, nd);
		snprintf(buf + nd, sizeof buf - nd, "e%ld", exp10);
		errno = 0;
		v = strtod(buf, NULL);
		if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
			return ANGKA_NUMBER_INVALID;
		if (neg)
			v = -v;
	}
	out->value = v;
	*decsep = dec;
	*grpsep = grp;
	if (dash && (out->flags & ANGKA_NUMBER_F_OTHER_LOCALE))
		return ANGKA_NUMBER_INVALID;   /* ",-" but not Indonesian */
	return ANGKA_NUMBER_OK;
}

enum angka_number_status angka_number_parse(const char *s, size_t len,
                                            enum angka_number_locale loc,
                                            struct angka_number *out)
{
	char d, g;
	enum angka_number_status st = parse(s, len, loc, out, &d, &g);
	if (st != ANGKA_NUMBER_OK) {
		out->value = 0.0;
		out->scale = 0;
		out->frac_digits = 0;
	}
	return st;
}

enum angka_number_locale angka_number_sniff(const char *s, size_t len)
{
	struct angka_number num;
	char d, g;
	if (parse(s, len, ANGKA_NUMBER_AUTO, &num, &d, &g) != ANGKA_NUMBER_OK)
		return ANGKA_NUMBER_AUTO;
	if (num.flags & ANGKA_NUMBER_F_AMBIGUOUS)
		return ANGKA_NUMBER_AUTO;
	if (d == ',' || g == '.')
		return ANGKA_NUMBER_ID;
	if (d == '.' || g == ',')
		return ANGKA_NUMBER_EN;
	return ANGKA_NUMBER_AUTO;
}

int angka_number_locale_from_name(const char *name,
                                  enum angka_number_locale *loc)
{
	if (!name)
		return -1;
	if (strcmp(name, "auto") == 0)
		*loc = ANGKA_NUMBER_AUTO;
	else if (strcmp(name, "id") == 0)
		*loc = ANGKA_NUMBER_ID;
	else if (strcmp(name, "en") == 0)
		*loc = ANGKA_NUMBER_EN;
	else
		return -1;
	return 0;
}

size_t angka_number_format(double v, char *buf, size_t cap)
{
	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if (!isfinite(v))
		return 0;
	if (v == 0.0)
		v = 0.0; /* no "-0" */
	char tmp[40];
	int len = 0;
	/* A normal double whose shortest decimal form has at most 15 digits
	 * (DBL_DIG) prints exactly that form with %.15g; otherwise 16 or 17
	 * digits do, and the correctly rounded 16 digits round-trip whenever
	 * any 16 digits do. A subnormal carries fewer bits, so its shortest
	 * form may have fewer digits than %.15g gives: there every precision
	 * from 1 up is tried (4.9e-324 is "5e-324"). */
	int prec = fabs(v) < DBL_MIN ? 1 : 15;
	for (; prec <= 17; prec++) {
		len = snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	/* Whatever LC_NUMERIC says, the output uses a decimal point. */
	for (int j = 0; j < len; j++)
		if (tmp[j] == ',')
			tmp[j] = '.';
	if (len < 0 || (size_t)len >= cap)
		return 0;
	memcpy(buf, tmp, (size_t)len + 1);
	return (size_t)len;
}

int angka_shard_parse(const char *s, unsigned *k, unsigned *n)
{
	unsigned long v[2] = { 0, 0 };
	for (int i = 0; i < 2; i++) {
		const char *p = s;
		while (*s >= '0' && *s <= '9' && v[i] <= 100000)
			v[i] = v[i] * 10 + (unsigned long)(*s++ - '0');
		if (s == p || v[i] > 100000 || *s != (i ? '\0' : '/'))
			return -1;
		s++;
	}
	if (v[1] < 1 || v[0] >= v[1])
		return -1;
	*k = (unsigned)v[0];
	*n = (unsigned)v[1];
	return 0;
}

void angka_hex(const uint8_t *d, size_t n, char *out)
{
	static const char h[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[d[i] >> 4];
		out[2 * i + 1] = h[d[i] & 15];
	}
	out[2 * n] = '\0';
}
