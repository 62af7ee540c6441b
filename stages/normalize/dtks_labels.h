/*
 * dtks_labels.h - the coded values of a DTKS row: sex, yes/no programme
 * flags, hub_krt and desil, from a code or a label (split from dtks.c,
 * internal to angka-normalize). Included by dtks.c only: the parsers are
 * static inline, so that the row loop inlines them as before.
 *
 * label_key() stays static, not static inline: GCC calls it out of line,
 * and the inline keyword would make it inline it into every parser,
 * changing the row loop's code.
 */
#ifndef ANGKA_NORMALIZE_DTKS_LABELS_H
#define ANGKA_NORMALIZE_DTKS_LABELS_H

#include <stddef.h>
#include <string.h>

/* Fold a label: ASCII letters and digits upper-cased, the rest dropped. */
static size_t label_key(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	for (; *s && o + 1 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 'a' && c <= 'z')
			out[o++] = (char)(c - 32);
		else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			out[o++] = (char)c;
	}
	out[o] = 0;
	return o;
}

/* Sex label -> 'L'/'P', 0 if empty, '?' if unknown. */
static inline char parse_sex(const char *s)
{
	static const struct { const char *k; char v; } t[] = {
		{ "L", 'L' }, { "P", 'P' }, { "1", 'L' }, { "2", 'P' },
		{ "LAKILAKI", 'L' }, { "LAKI", 'L' }, { "LELAKI", 'L' },
		{ "PRIA", 'L' }, { "LK", 'L' }, { "MALE", 'L' },
		{ "PEREMPUAN", 'P' }, { "WANITA", 'P' }, { "PR", 'P' },
		{ "W", 'P' }, { "FEMALE", 'P' },
	};
	/* The canonical values first: no folding, no table. */
	if (!s[0])
		return 0;
	if ((s[0] == 'L' || s[0] == 'P') && !s[1])
		return s[0];
	char k[32];
	if (!label_key(s, k, sizeof k)) {
		while (*s == ' ')
			s++;
		return *s ? '?' : 0;
	}
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(k, t[i].k) == 0)
			return t[i].v;
	return '?';
}

/* Yes/no programme flag -> "1"/"0", "" if empty, NULL if unknown. */
static inline const char *parse_yesno(const char *s)
{
	static const char *const yes[] = { "1", "Y", "YA", "TRUE", "YES", "ADA", NULL };
	static const char *const no[] = { "0", "N", "TIDAK", "FALSE", "NO",
	                                  "TIDAKADA", "BUKAN", NULL };
	if (!s[0])
		return "";
	if ((s[0] == '0' || s[0] == '1') && !s[1])
		return s[0] == '1' ? yes[0] : no[0];
	char k[32];
	if (!label_key(s, k, sizeof k)) {
		while (*s == ' ')
			s++;
		return *s ? NULL : "";
	}
	for (const char *const *p = yes; *p; p++)
		if (strcmp(k, *p) == 0)
			return "1";
	for (const char *const *p = no; *p; p++)
		if (strcmp(k, *p) == 0)
			return "0";
	return NULL;
}

/* hub_krt code or label -> "1".."8", "" if empty, NULL if unknown. */
static inline const char *parse_hub(const char *s)
{
	static const struct { const char *k; const char *v; } t[] = {
		{ "KEPALARUMAHTANGGA", "1" }, { "KEPALAKELUARGA", "1" },
		{ "KRT", "1" }, { "KK", "1" }, { "KEPALA", "1" },
		{ "ISTRI", "2" }, { "ISTERI", "2" }, { "SUAMI", "2" },
		{ "ISTRISUAMI", "2" }, { "SUAMIISTRI", "2" }, { "PASANGAN", "2" },
		{ "ANAK", "3" }, { "ANAKKANDUNG", "3" }, { "ANAKTIRI", "3" },
		{ "ANAKANGKAT", "3" }, { "MENANTU", "4" }, { "CUCU", "5" },
		{ "ORANGTUA", "6" }, { "MERTUA", "6" }, { "ORANGTUAMERTUA", "6" },
		{ "AYAH", "6" }, { "IBU", "6" }, { "PEMBANTU", "7" },
		{ "PEMBANTURUMAHTANGGA", "7" }, { "PEMBANTURUTA", "7" },
		{ "PRT", "7" }, { "LAINNYA", "8" }, { "FAMILILAIN", "8" },
		{ "FAMILILAINNYA", "8" }, { "LAINLAIN", "8" }, { "SAUDARA", "8" },
	};
	static const char *const codes[] = { "1", "2", "3", "4", "5", "6", "7", "8" };
	if (!s[0])
		return "";
	if (s[0] >= '1' && s[0] <= '8' && !s[1])
		return codes[s[0] - '1'];
	char k[40];
	if (!label_key(s, k, sizeof k)) {
		while (*s == ' ')
			s++;
		return *s ? NULL : "";
	}
	if (k[0] == '0' && k[1] >= '1' && k[1] <= '8' && !k[2])
		return codes[k[1] - '1'];
	if (k[0] >= '1' && k[0] <= '8' && !k[1])
		return codes[k[0] - '1'];
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(k, t[i].k) == 0)
			return t[i].v;
	return NULL;
}

/* desil 1-10 -> its text, "" if empty, NULL if bad. */
static inline const char *parse_desil(const char *s)
{
	static const char *const v[] = { "1", "2", "3", "4", "5", "6", "7", "8",
	                                 "9", "10" };
	while (*s == ' ')
		s++;
	if (!*s)
		return "";
	long n = 0;
	int nd = 0;
	for (; *s >= '0' && *s <= '9' && nd < 4; s++, nd++)
		n = n * 10 + (*s - '0');
	if (s[0] == '.' && s[1] == '0')
		s += 2;
	while (*s == ' ')
		s++;
	if (*s || !nd || n < 1 || n > 10)
		return NULL;
	return v[n - 1];
}

#endif
