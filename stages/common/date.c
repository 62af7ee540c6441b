/*
 * date.c - date parsing for registry extracts (see date.h). Day arithmetic
 * uses the civil-from-days algorithm on the proleptic Gregorian calendar.
 */
#include "date.h"

#include <string.h>

int angka_date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int angka_date_days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && angka_date_is_leap(y))
		return 29;
	return dim[m - 1];
}

int angka_date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && d >= 1 && d <= angka_date_days_in_month(y, m);
}

/* Days since 1970-01-01 -> civil date (H. Hinnant's algorithm). */
static void civil_from_days(long z, struct angka_date *out)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	out->year = (int)(y + (m <= 2));
	out->month = (int)m;
	out->day = (int)d;
}

int angka_date_from_excel_serial(long serial, struct angka_date *out)
{
	if (serial < 1 || serial > 2958465 || serial == 60)
		return 0;
	/* Excel counts a 1900-02-29 that never was: from serial 61 on, the
	 * days are counted from 1899-12-30; before it from 1899-12-31. */
	long days1970 = serial >= 61 ? serial - 25569 : serial - 25568;
	civil_from_days(days1970, out);
	return 1;
}

void angka_date_format(const struct angka_date *d, char *out)
{
	/* Two digits at a time from a table: normalize writes three dates
	 * a row, and the division for each digit was a third of the
	 * cost. Other values (a year of 5 digits or below 1) as below. */
	static const char two[201] =
		"000102030405060708091011121314151617181920212223242526272829"
		"303132333435363738394041424344454647484950515253545556575859"
		"606162636465666768697071727374757677787980818283848586878889"
		"90919293949596979899";
	if (!d->year) {
		out[0] = 0;
		return;
	}
	int y = d->year, m = d->month, dd = d->day;
	if (y > 0 && y < 10000 && m >= 0 && m < 100 && dd >= 0 && dd < 100) {
		memcpy(out, two + 2 * (y / 100), 2);
		memcpy(out + 2, two + 2 * (y % 100), 2);
		out[4] = '-';
		memcpy(out + 5, two + 2 * m, 2);
		out[7] = '-';
		memcpy(out + 8, two + 2 * dd, 2);
		out[10] = 0;
		return;
	}
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10 % 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + dd / 10 % 10);
	out[9] = (char)('0' + dd % 10);
	out[10] = 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int angka_date_month_from_name(const char *s, size_t len)
{
	/* Full names and abbreviations, Indonesian (with old spellings) and
	 * English; a trailing '.' of an abbreviation is dropped by the caller. */
	static const struct { const char *name; int month; } names[] = {
		{ "januari", 1 }, { "january", 1 }, { "jan", 1 },
		{ "februari", 2 }, { "pebruari", 2 }, { "february", 2 },
		{ "feb", 2 }, { "peb", 2 },
		{ "maret", 3 }, { "march", 3 }, { "mar", 3 },
		{ "april", 4 }, { "apr", 4 },
		{ "mei", 5 }, { "may", 5 },
		{ "juni", 6 }, { "june", 6 }, { "jun", 6 },
		{ "juli", 7 }, { "july", 7 }, { "jul", 7 },
		{ "agustus", 8 }, { "august", 8 }, { "agu", 8 }, { "agt", 8 },
		{ "ags", 8 }, { "agus", 8 }, { "aug", 8 },
		{ "september", 9 }, { "sep", 9 }, { "sept", 9 },
		{ "oktober", 10 }, { "october", 10 }, { "okt", 10 }, { "oct", 10 },
		{ "november", 11 }, { "nopember", 11 }, { "nov", 11 }, { "nop", 11 },
		{ "desember", 12 }, { "december", 12 }, { "des", 12 }, { "dec", 12 },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *n = names[i].name;
		size_t nl = strlen(n);
		if (nl != len)
			continue;
		size_t k = 0;
		while (k < len && lower((unsigned char)s[k]) == n[k])
			k++;
		if (k == len)
			return names[i].month;
	}
	return 0;
}

/* Tokens of a date string: numbers and words, separators remembered. */
enum { TOK_NUM, TOK_WORD };
struct tok {
	int type;
	const char *s;
	size_t len;
	long val;       /* TOK_NUM */
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

enum angka_date_form angka_date_parse(const char *s, size_t len,
                                      struct angka_date *out)
{
	memset(out, 0, sizeof *out);
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	               s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if (!len)
		return ANGKA_DATE_EMPTY;

	/* DD-MM-YYYY and YYYY-MM-DD (or with '/'), nearly every date of an
	 * extract: the result of the general parse below, without its
	 * tokens. */
	if (len == 10) {
		const unsigned char *u = (const unsigned char *)s;
		unsigned sp = u[2];
		if ((sp == '-' || sp == '/') && u[5] == sp &&
		    is_digit(u[0]) && is_digit(u[1]) && is_digit(u[3]) &&
		    is_digit(u[4]) && is_digit(u[6]) && is_digit(u[7]) &&
		    is_digit(u[8]) && is_digit(u[9])) {
			int d = (u[0] - '0') * 10 + (u[1] - '0');
			int m = (u[3] - '0') * 10 + (u[4] - '0');
			int y = (u[6] - '0') * 1000 + (u[7] - '0') * 100 +
			        (u[8] - '0') * 10 + (u[9] - '0');
			enum angka_date_form form = ANGKA_DATE_DMY;
			if (m > 12 && d <= 12) {
				int x = d;
				d = m, m = x;
				form = ANGKA_DATE_MDY;
			}
			if (!angka_date_valid(y, m, d))
				return ANGKA_DATE_BAD;
			out->year = y, out->month = m, out->day = d;
			return form;
		}
		sp = u[4];
		if ((sp == '-' || sp == '/') && u[7] == sp &&
		    is_digit(u[0]) && is_digit(u[1]) && is_digit(u[2]) &&
		    is_digit(u[3]) && is_digit(u[5]) && is_digit(u[6]) &&
		    is_digit(u[8]) && is_digit(u[9])) {
			int y = (u[0] - '0') * 1000 + (u[1] - '0') * 100 +
			        (u[2] - '0') * 10 + (u[3] - '0');
			int m = (u[5] - '0') * 10 + (u[6] - '0');
			int d = (u[8] - '0') * 10 + (u[9] - '0');
			if (!angka_date_valid(y, m, d))
				return ANGKA_DATE_BAD;
			out->year = y, out->month = m, out->day = d;
			return ANGKA_DATE_ISO;
		}
	}

	/* An ISO date may carry a time part: cut it at ' ' or 'T' after
	 * YYYY-MM-DD. */
	if (len > 10 && is_digit((unsigned char)s[0]) && (s[4] == '-' || s[4] == '/') &&
	    (s[10] == ' ' || s[10] == 'T'))
		len = 10;

	/* Excel serial: exactly 5 digits, optionally ".0". */
	{
		size_t n = len;
		if (n > 2 && s[n - 2] == '.' && s[n - 1] == '0')
			n -= 2;
		size_t k = 0;
		while (k < n && is_digit((unsigned char)s[k]))
			k++;
		if (k == n && n == 5) {
			long v = 0;
			for (size_t i = 0; i < n; i++)
				v = v * 10 + (s[i] - '0');
			if (v >= 10000 && angka_date_from_excel_serial(v, out))
				return ANGKA_DATE_EXCEL_SERIAL;
			memset(out, 0, sizeof *out);
			return ANGKA_DATE_BAD;
		}
	}

	struct tok t[4];
	int nt = 0;
	char sep = 0;          /* the separator between the first two tokens */
	int mixed_sep = 0;
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (is_digit(c) || is_alpha(c)) {
			if (nt == 4)
				return ANGKA_DATE_BAD;
			struct tok *k = &t[nt++];
			k->s = s + i;
			k->val = 0;
			if (is_digit(c)) {
				k->type = TOK_NUM;
				size_t st = i;
				while (i < len && is_digit((unsigned char)s[i])) {
					if (i - st < 6)
						k->val = k->val * 10 + (s[i] - '0');
					i++;
				}
				k->len = (size_t)(s + i - k->s);
				if (k->len > 4)
					return ANGKA_DATE_BAD;
			} else {
				k->type = TOK_WORD;
				while (i < len && is_alpha((unsigned char)s[i]))
					i++;
				k->len = (size_t)(s + i - k->s);
			}
			continue;
		}
		if (c == '/' || c == '-' || c == '.' || c == ' ' || c == ',') {
			/* A run of separators counts as one. */
			char run = (char)c;
			while (i < len && (s[i] == '/' || s[i] == '-' || s[i] == '.' ||
			                   s[i] == ' ' || s[i] == ',')) {
				if (s[i] != ' ' && s[i] != ',' && s[i] != '.')
					run = s[i];
				i++;
			}
			if (nt == 1)
				sep = run;
			else if (nt == 2 && sep != run)
				mixed_sep = 1;
			continue;
		}
		return ANGKA_DATE_BAD;
	}
	if (nt != 3)
		return ANGKA_DATE_BAD;

	int y, m, d;
	enum angka_date_form form;
	if (t[0].type == TOK_NUM && t[1].type == TOK_NUM && t[2].type == TOK_NUM) {
		if (mixed_sep || sep == ' ')
			return ANGKA_DATE_BAD;
		if (t[0].len == 4) {
			y = (int)t[0].val, m = (int)t[1].val, d = (int)t[2].val;
			form = ANGKA_DATE_ISO;
		} else if (t[2].len == 4 && t[0].len <= 2 && t[1].len <= 2) {
			d = (int)t[0].val, m = (int)t[1].val, y = (int)t[2].val;
			form = ANGKA_DATE_DMY;
			if (m > 12 && d <= 12) {
				int x = d;
				d = m, m = x;
				form = ANGKA_DATE_MDY;
			}
		} else {
			return ANGKA_DATE_BAD;
		}
	} else if (t[0].type == TOK_NUM && t[1].type == TOK_WORD &&
	           t[2].type == TOK_NUM) {
		/* 12 Agustus 1980, 12-Aug-1980 */
		if (t[0].len > 2 || t[2].len != 4)
			return ANGKA_DATE_BAD;
		d = (int)t[0].val, y = (int)t[2].val;
		m = angka_date_month_from_name(t[1].s, t[1].len);
		form = ANGKA_DATE_TEXT_MONTH;
	} else if (t[0].type == TOK_WORD && t[1].type == TOK_NUM &&
	           t[2].type == TOK_NUM) {
		/* August 12, 1980 */
		if (t[1].len > 2 || t[2].len != 4)
			return ANGKA_DATE_BAD;
		d = (int)t[1].val, y = (int)t[2].val;
		m = angka_date_month_from_name(t[0].s, t[0].len);
		form = ANGKA_DATE_TEXT_MONTH;
	} else {
		return ANGKA_DATE_BAD;
	}
	if (!angka_date_valid(y, m, d))
		return ANGKA_DATE_BAD;
	out->year = y, out->month = m, out->day = d;
	return form;
}

enum angka_date_placeholder_kind angka_date_placeholder(
	const char *s, size_t len, const struct angka_date *d,
	enum angka_date_form form)
{
	if (d->day == 1 && d->month == 1)
		return d->year == 1900 || d->year == 1970 ? ANGKA_DATE_PH_FIXED
		                                          : ANGKA_DATE_PH_NONE;
	if (d->day == 31 && d->month == 12)
		return ANGKA_DATE_PH_YEAR_END;
	if (form != ANGKA_DATE_BAD)
		return ANGKA_DATE_PH_NONE;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	               s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	/* Excel serial 0 or 1, optionally with a zero fraction. */
	if (len && (s[0] == '0' || s[0] == '1')) {
		size_t i = 1;
		if (i < len && (s[i] == '.' || s[i] == ',')) {
			i++;
			while (i < len && s[i] == '0')
				i++;
		}
		if (i == len && (len == 1 || len > 2))
			return ANGKA_DATE_PH_FIXED;
	}
	/* All zeros with separators: 00/00/0000, 0000-00-00, 00-00-00. */
	size_t zeros = 0, i;
	for (i = 0; i < len; i++) {
		if (s[i] == '0')
			zeros++;
		else if (s[i] != '/' && s[i] != '-' && s[i] != '.')
			break;
	}
	if (i == len && zeros >= 6)
		return ANGKA_DATE_PH_FIXED;
	return ANGKA_DATE_PH_NONE;
}
