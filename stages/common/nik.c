/*
 * nik.c - NIK and No KK validation (see nik.h).
 */
#include "nik.h"

#include <string.h>

int angka_nik_province_known(int pp)
{
	return (pp >= 11 && pp <= 19) || pp == 21 || (pp >= 31 && pp <= 36) ||
	       (pp >= 51 && pp <= 53) || (pp >= 61 && pp <= 65) ||
	       (pp >= 71 && pp <= 76) || (pp >= 81 && pp <= 82) ||
	       (pp >= 91 && pp <= 97);
}

int angka_nik_resolve_year(int yy, int hint_year, int ref_year)
{
	/* A record year that is no plausible birth year (a placeholder such
	 * as 1900-01-01, or a future year) says nothing about the century. */
	if (hint_year > 0 && (hint_year <= ref_year - 110 || hint_year > ref_year))
		hint_year = 0;
	if (hint_year > 0) {
		int base = hint_year - hint_year % 100;
		int best = base + yy;
		/* The candidate of the neighbouring centuries closest to hint. */
		for (int c = base - 100; c <= base + 100; c += 100) {
			int y = c + yy;
			int dy = y > hint_year ? y - hint_year : hint_year - y;
			int db = best > hint_year ? best - hint_year : hint_year - best;
			if (dy < db)
				best = y;
		}
		/* Nobody is born after the reference year. */
		return best > ref_year && best - 100 >= 0 ? best - 100 : best;
	}
	int base = ref_year - ref_year % 100;
	return base + yy <= ref_year ? base + yy : base - 100 + yy;
}

const char *angka_nik_status_name(enum angka_nik_status st)
{
	switch (st) {
	case ANGKA_NIK_MISSING: return "missing";
	case ANGKA_NIK_VALID: return "valid";
	case ANGKA_NIK_INVALID: return "invalid";
	case ANGKA_NIK_EXCEL: return "excel_mangled";
	}
	return "invalid";
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* 1 if s[0..n) is scientific notation: D[.,D+][eE][+]D+. */
static int is_scientific(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '+'))
		i++;
	size_t st = i;
	while (i < n && is_digit((unsigned char)s[i]))
		i++;
	if (i == st)
		return 0;
	if (i < n && (s[i] == '.' || s[i] == ',')) {
		i++;
		while (i < n && is_digit((unsigned char)s[i]))
			i++;
	}
	if (i >= n || (s[i] != 'e' && s[i] != 'E'))
		return 0;
	i++;
	if (i < n && s[i] == '+')
		i++;
	st = i;
	while (i < n && is_digit((unsigned char)s[i]))
		i++;
	return i == n && i > st;
}

/* The number of integer digits if s[0..n) is D{15,}[.,]0{1,6} (a number
 * printed with a zero fraction, as pandas or a float export writes it),
 * else 0. */
static size_t float_zero_fraction(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_digit((unsigned char)s[i]))
		i++;
	if (i < 15 || i >= n || (s[i] != '.' && s[i] != ','))
		return 0;
	size_t nd = i;
	size_t st = ++i;
	while (i < n && s[i] == '0')
		i++;
	return i == n && i > st && i - st <= 6 ? nd : 0;
}

enum angka_nik_status angka_nik_parse(const char *s, size_t len,
                                      enum angka_nik_type type,
                                      const struct angka_date *birth_hint,
                                      int ref_year, struct angka_nik *out)
{
	int kk = type == ANGKA_NIK_KK;
	memset(out, 0, sizeof *out);
	char d[17];
	size_t nd = 0, i = 0;
	/* The common case first: exactly 16 digits, nothing to clean. */
	if (len == 16) {
		unsigned bad = 0;
		for (size_t k = 0; k < 16; k++)
			bad |= (unsigned)((unsigned char)s[k] - '0') > 9;
		if (!bad) {
			memcpy(d, s, 16);
			nd = 16;
			goto digits;
		}
	}
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	               s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if (!len) {
		out->status = ANGKA_NIK_MISSING;
		return out->status;
	}
	/* Only a '.' or ',' can start either form: plain digits skip both. */
	if (memchr(s, '.', len) || memchr(s, ',', len) ||
	    memchr(s, 'E', len) || memchr(s, 'e', len)) {
		size_t fd = float_zero_fraction(s, len);
		if (fd == 16) {
			/* "6311013008731179.0": every digit is in the text. */
			memcpy(d, s, 16);
			nd = 16;
			out->flags |= ANGKA_NIK_F_FLOAT;
			/* Above 2^53 a double holds only even integers: the
			 * exporter may have rounded the last digit. */
			if (memcmp(d, "9007199254740992", 16) > 0)
				out->flags |= ANGKA_NIK_F_MAYBE_TRUNCATED;
			goto digits;
		}
		if (fd || is_scientific(s, len)) {
			out->status = ANGKA_NIK_EXCEL;
			out->reason = kk ? "kk_excel_mangled" : "nik_excel_mangled";
			return out->status;
		}
	}
	int too_long = 0;
	if (s[0] == '\'' || s[0] == '`') {
		out->flags |= ANGKA_NIK_F_PUNCT;
		i = 1;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_digit(c)) {
			if (nd < 16)
				d[nd] = (char)c;
			else
				too_long = 1;
			nd++;
		} else if (c == ' ' || c == '.' || c == '-' || c == '\t') {
			out->flags |= ANGKA_NIK_F_PUNCT;
		} else if (c == 0xC2 && i + 1 < len &&
		           (unsigned char)s[i + 1] == 0xA0) {
			/* U+00A0, the no-break space Excel and web forms leave */
			out->flags |= ANGKA_NIK_F_PUNCT;
			i++;
		} else {
			out->status = ANGKA_NIK_INVALID;
			out->reason = kk ? "kk_chars" : "nik_chars";
			out->flags = 0;
			return out->status;
		}
	}
	(void)too_long;
	if (nd != 16) {
		out->status = ANGKA_NIK_INVALID;
		out->reason = kk ? "kk_length" : "nik_length";
		return out->status;
	}
digits:
	d[16] = 0;
	int pp = (d[0] - '0') * 10 + (d[1] - '0');
	if (!angka_nik_province_known(pp)) {
		out->status = ANGKA_NIK_INVALID;
		out->reason = kk ? "kk_province" : "nik_province";
		return out->status;
	}
	if (!kk) {
		int dd = (d[6] - '0') * 10 + (d[7] - '0');
		int mm = (d[8] - '0') * 10 + (d[9] - '0');
		int yy = (d[10] - '0') * 10 + (d[11] - '0');
		char sex = 'L';
		if (dd > 40) {
			dd -= 40;
			sex = 'P';
		}
		int hint = birth_hint ? birth_hint->year : 0;
		int y = angka_nik_resolve_year(yy, hint, ref_year);
		if (!angka_date_valid(y, mm, dd)) {
			out->status = ANGKA_NIK_INVALID;
			out->reason = "nik_date";
			return out->status;
		}
		if (memcmp(d + 12, "0000", 4) == 0) {
			out->status = ANGKA_NIK_INVALID;
			out->reason = "nik_serial";
			return out->status;
		}
		out->birth.year = y;
		out->birth.month = mm;
		out->birth.day = dd;
		out->sex = sex;
		memcpy(out->kode_kec, d, 6);
		out->kode_kec[6] = 0;
	}
	memcpy(out->digits, d, 17);
	/* Evidence of truncation needs a number path: 16 plain digits
	 * ending in 0 are what a genuine serial gives one time in ten. */
	if (d[15] == '0' && (out->flags & ANGKA_NIK_F_FLOAT))
		out->flags |= ANGKA_NIK_F_MAYBE_TRUNCATED;
	out->status = ANGKA_NIK_VALID;
	return out->status;
}
