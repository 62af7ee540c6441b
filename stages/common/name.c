/*
 * name.c - name upper-casing, title removal and matching keys (see name.h).
 * The case and ASCII-folding tables cover U+0000-U+017F only: that is what
 * Indonesian registry names use (plus the odd Windows-1252 import).
 */
#include "name.h"

#include <stdint.h>
#include <string.h>
#include <threads.h>

/* Decode one UTF-8 character of up to 2 bytes (all that the tables need);
 * longer or invalid sequences return (uint32_t)-1 with *n the bytes to copy. */
static uint32_t decode(const unsigned char *s, size_t len, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0 && len >= 2 && (s[1] & 0xC0) == 0x80 &&
	    s[0] >= 0xC2) {
		*n = 2;
		return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	/* Copy a longer sequence whole so it is never split. */
	size_t k = 1;
	if (s[0] >= 0xC0)
		while (k < len && k < 4 && (s[k] & 0xC0) == 0x80)
			k++;
	*n = k;
	return (uint32_t)-1;
}

static uint32_t upper_cp(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return c - 32;
	if (c < 0xE0)
		return c;
	if (c <= 0xFE)
		return c == 0xF7 ? c : c - 0x20;
	if (c == 0xFF)
		return 0x178;
	if (c >= 0x100 && c <= 0x17F) {
		if (c == 0x131)
			return 'I';
		if (c == 0x17F)
			return 'S';
		if (c == 0x130 || c == 0x138 || c == 0x149 || c == 0x178)
			return c;
		/* U+0139-0148 and U+0179-017E pair odd upper with even lower;
		 * the rest of the block pairs even upper with odd lower. */
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return (c & 1) ? c : c - 1;
		return (c & 1) ? c - 1 : c;
	}
	return c;
}

static size_t encode(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = (char)(0xC0 | (c >> 6));
	out[1] = (char)(0x80 | (c & 0x3F));
	return 2;
}

size_t angka_name_upper(const char *s, size_t len, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;
	while (i < len) {
		if (i + 8 <= len) {
			/* Eight ASCII bytes at once: a-z get bit 0x20 cleared.
			 * Each byte is < 0x80, so adding to it never carries
			 * into the next: the high bit says >= 'a', > 'z'. */
			uint64_t x;
			memcpy(&x, u + i, 8);
			const uint64_t ones = UINT64_C(0x0101010101010101);
			const uint64_t highs = ones * 0x80;
			if (!(x & highs)) {
				uint64_t ge_a = x + ones * (0x80 - 'a');
				uint64_t gt_z = x + ones * (0x80 - 'z' - 1);
				x ^= ((ge_a & ~gt_z) & highs) >> 2;
				memcpy(out + o, &x, 8);
				i += 8;
				o += 8;
				continue;
			}
		}
		if (u[i] < 0x80) {   /* ASCII: no decoding (out may be s) */
			unsigned char a = u[i++];
			out[o++] = (char)(a >= 'a' && a <= 'z' ? a - 32 : a);
			continue;
		}
		size_t n;
		uint32_t c = decode(u + i, len - i, &n);
		if (c == (uint32_t)-1) {
			memcpy(out + o, s + i, n);
			o += n;
		} else {
			o += encode(upper_cp(c), out + o);
		}
		i += n;
	}
	out[o] = 0;
	return o;
}

/* ---- Titles ---- */

/* Titles with their lengths: a token is compared only with the titles of
 * its length and first letter (most tokens are longer than any title). */
struct title {
	const char *s;
	size_t n;
};
#define T(a) { a, sizeof a - 1 }
#define TITLE_MAX 6   /* the longest title */

static const struct title prefix_titles[] = {
	T("H"), T("HJ"), T("HAJI"), T("HAJJAH"), T("HJH"), T("DR"), T("DRS"),
	T("DRA"), T("DRG"), T("IR"), T("PROF"), T("KH"), T("NS"), T("APT"),
	{ NULL, 0 }
};

static const struct title suffix_titles[] = {
	T("SPD"), T("SPDI"), T("SPDSD"), T("SAG"), T("SE"), T("SEI"), T("SH"),
	T("SHI"), T("SKOM"), T("ST"), T("SSOS"), T("SIP"), T("SKM"), T("SKEP"),
	T("SSI"), T("SPSI"), T("SFARM"), T("SKED"), T("SPT"), T("SHUT"),
	T("SSTP"), T("SIKOM"), T("SSN"), T("SS"), T("STP"), T("SSY"), T("SKEB"),
	T("SGZ"), T("SAB"), T("SAP"), T("SIK"), T("SIPEM"), T("STH"), T("STR"),
	T("SPAK"), T("SE"), T("SMB"), T("AMD"), T("AMDKEP"), T("AMDKEB"),
	T("AMK"), T("AMKEB"), T("AMAPD"), T("AMPD"), T("AMA"), T("MPD"),
	T("MSI"), T("MM"), T("MAG"), T("MH"), T("MT"), T("MKES"), T("MKOM"),
	T("MSC"), T("MAP"), T("MPDI"), T("MHI"), T("MEI"), T("BA"), T("BSC"),
	T("LC"), T("SPOG"), T("SPA"), T("SPB"), T("NERS"), T("SP"), T("SKES"),
	T("GR"), T("SPPD"), T("NS"), T("APT"), T("SPKK"), T("SPM"), T("SPS"),
	T("SPJP"), T("SPTHT"), T("SPRAD"), T("SPAN"), T("SPP"), T("SPKJ"),
	{ NULL, 0 }
};
#undef T

/* Token s[0..n) without dots into key (capacity 16); returns its length,
 * 0 if empty or longer than any title (no list could hold it). */
static size_t dotless(const char *s, size_t n, char *key)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.')
			continue;
		if (k >= TITLE_MAX)
			return 0;
		key[k++] = s[i];
	}
	key[k] = 0;
	return k;
}

/* Per list and length, the first letters of its titles as bits (bit 0
 * A): most tokens are out without a look at the list. Set once, from the
 * lists themselves. */
static uint32_t prefix_first[TITLE_MAX + 1], suffix_first[TITLE_MAX + 1];
static once_flag first_once = ONCE_FLAG_INIT;

static void first_letters(const struct title *list, uint32_t *first)
{
	for (; list->s; list++)
		first[list->n] |= UINT32_C(1) << (list->s[0] - 'A');
}

static void first_init(void)
{
	first_letters(prefix_titles, prefix_first);
	first_letters(suffix_titles, suffix_first);
}

/* The (static) entry of list equal to key[0..n), or NULL. */
static const char *list_entry(const struct title *list, const char *key,
                              size_t n)
{
	if (n > TITLE_MAX)
		return NULL;
	const uint32_t *first = list == prefix_titles ? prefix_first
	                                              : suffix_first;
	unsigned c = (unsigned char)key[0];
	if (c < 'A' || c > 'Z' || !(first[n] & (UINT32_C(1) << (c - 'A'))))
		return NULL;
	for (; list->s; list++)
		if (list->n == n && list->s[0] == key[0] &&
		    memcmp(list->s, key, n) == 0)
			return list->s;
	return NULL;
}

static int in_list(const struct title *list, const char *key, size_t n)
{
	return list_entry(list, key, n) != NULL;
}

static const char *canonical_title(const char *key)
{
	if (strcmp(key, "HAJI") == 0)
		return "H";
	if (strcmp(key, "HAJJAH") == 0 || strcmp(key, "HJH") == 0)
		return "HJ";
	return key;
}

struct span {
	size_t at, n;
};

#define MAX_TOKENS 64

static int is_space_byte(const char *s, size_t i, size_t len, size_t *n)
{
	unsigned char c = (unsigned char)s[i];
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
		*n = 1;
		return 1;
	}
	/* U+00A0 NO-BREAK SPACE */
	if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
		*n = 2;
		return 1;
	}
	return 0;
}

static void gelar_add(char *gelar, size_t *gl, const char *t)
{
	if (*gl)
		gelar[(*gl)++] = ' ';
	size_t n = strlen(t);
	memcpy(gelar + *gl, t, n);
	*gl += n;
	gelar[*gl] = 0;
}

unsigned angka_name_clean(const char *s, size_t len, char *nama, char *gelar)
{
	unsigned flags = 0;
	call_once(&first_once, first_init);
	size_t ulen = angka_name_upper(s, len, nama);
	gelar[0] = 0;

	/* Tokens: split on white space and commas. */
	struct span tok[MAX_TOKENS];
	int nt = 0;
	size_t i = 0;
	/* sep: 0 right after a word, 1 after white space (or at the start,
	 * where any space is a leading one), 2 after a comma (one space
	 * allowed: "NAMA, S.E."). */
	int sep = 1;
	while (i < ulen) {
		size_t n;
		if (is_space_byte(nama, i, ulen, &n)) {
			if (sep == 1 || nama[i] != ' ' || n != 1)
				flags |= ANGKA_NAME_F_SPACES;
			sep = 1;
			i += n;
			continue;
		}
		if (nama[i] == ',') {
			sep = 2;
			i++;
			continue;
		}
		size_t st = i;
		/* To the next comma or white space (is_space_byte). */
		static const unsigned char stop[256] = {
			[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [','] = 1,
			[0xC2] = 1,
		};
		while (i < ulen) {
			unsigned char c = (unsigned char)nama[i];
			if (stop[c] && (c != 0xC2 || (i + 1 < ulen &&
			                (unsigned char)nama[i + 1] == 0xA0)))
				break;
			i++;
		}
		if (nt < MAX_TOKENS) {
			tok[nt].at = st;
			tok[nt].n = i - st;
			nt++;
		} else {
			/* More words than any name has: glue the rest to the last. */
			tok[nt - 1].n = i - tok[nt - 1].at;
		}
		sep = 0;
	}
	if (ulen && sep == 1) {
		/* Trailing white space (a trailing comma alone is not spacing). */
		size_t n;
		size_t k = ulen;
		while (k > 0 && nama[k - 1] == ',')
			k--;
		if (k > 0 && is_space_byte(nama, k - 1, ulen, &n))
			flags |= ANGKA_NAME_F_SPACES;
		else if (k > 1 && (unsigned char)nama[k - 1] == 0xA0 &&
		         (unsigned char)nama[k - 2] == 0xC2)
			flags |= ANGKA_NAME_F_SPACES;
	}

	size_t gl = 0;
	char key[16];
	int first = 0, last = nt;   /* tokens [first, last) are the name */
	/* Prefix titles, also glued: "HJ.SITI" -> HJ + SITI. */
	while (last - first > 1 || (last - first == 1 && tok[first].n > 0)) {
		struct span *t = &tok[first];
		size_t kn;
		if (last - first > 1 &&
		    (kn = dotless(nama + t->at, t->n, key)) != 0 &&
		    in_list(prefix_titles, key, kn)) {
			gelar_add(gelar, &gl, canonical_title(key));
			flags |= ANGKA_NAME_F_TITLE;
			first++;
			continue;
		}
		const char *dot = memchr(nama + t->at, '.', t->n);
		if (dot) {
			size_t pn = (size_t)(dot - (nama + t->at)) + 1;
			if (pn < t->n &&
			    (kn = dotless(nama + t->at, pn, key)) != 0 &&
			    in_list(prefix_titles, key, kn)) {
				gelar_add(gelar, &gl, canonical_title(key));
				flags |= ANGKA_NAME_F_TITLE;
				t->at += pn;
				t->n -= pn;
				continue;
			}
		}
		break;
	}
	/* Suffix titles, last first; collected then added in order. */
	const char *suf[MAX_TOKENS];
	int nsuf = 0;
	while (last - first > 1) {
		struct span *t = &tok[last - 1];
		const char *hit;
		size_t kn = dotless(nama + t->at, t->n, key);
		if (kn && (hit = list_entry(suffix_titles, key, kn)) != NULL) {
			suf[nsuf++] = hit;
			last--;
			continue;
		}
		/* "S. PD": a degree split by a space after its first dot. */
		struct span *p = &tok[last - 2];
		if (last - first > 2 && p->n >= 2 && nama[p->at + p->n - 1] == '.') {
			char k2[16];
			size_t k2n;
			if ((kn = dotless(nama + p->at, p->n, key)) != 0 &&
			    kn <= 2 &&
			    (k2n = dotless(nama + t->at, t->n, k2)) != 0 &&
			    kn + k2n < sizeof key) {
				strcat(key, k2);
				if ((hit = list_entry(suffix_titles, key,
				                      kn + k2n)) != NULL) {
					suf[nsuf++] = hit;
					last -= 2;
					continue;
				}
			}
		}
		break;
	}
	if (nsuf)
		flags |= ANGKA_NAME_F_TITLE;
	while (nsuf > 0)
		gelar_add(gelar, &gl, suf[--nsuf]);

	/* Rebuild in place: tokens only move left. */
	size_t o = 0;
	for (int k = first; k < last; k++) {
		if (o)
			nama[o++] = ' ';
		memmove(nama + o, nama + tok[k].at, tok[k].n);
		o += tok[k].n;
	}
	nama[o] = 0;
	return flags;
}

/* ---- Matching key ---- */

/* ASCII letters of U+00C0-U+017F in upper case; '.' means "not a letter",
 * '*' a two-letter special handled in fold(). */
static const char fold_latin1[64] =
	"AAAAAA*CEEEEIIIIDNOOOOO.OUUUUY**AAAAAA*CEEEEIIIIDNOOOOO.OUUUUY*Y";
static const char fold_exta[129] =
	"AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIII**JJKKKLLLLLLLLLL"
	"NNNNNNNNNOOOOOO**RRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS";

/* ASCII fold of code point c into out (<= 2 letters); returns count,
 * 0 for a non-letter. */
static int fold(uint32_t c, char *out)
{
	if (c >= 'a' && c <= 'z') {
		out[0] = (char)(c - 32);
		return 1;
	}
	if (c >= 'A' && c <= 'Z') {
		out[0] = (char)c;
		return 1;
	}
	char f = 0;
	if (c >= 0xC0 && c <= 0xFF)
		f = fold_latin1[c - 0xC0];
	else if (c >= 0x100 && c <= 0x17F)
		f = fold_exta[c - 0x100];
	if (f == '*') {
		const char *two;
		switch (c) {
		case 0xC6: case 0xE6: two = "AE"; break;
		case 0xDE: case 0xFE: two = "TH"; break;
		case 0xDF: two = "SS"; break;
		case 0x132: case 0x133: two = "IJ"; break;
		default: two = "OE"; break;   /* U+0152, U+0153 */
		}
		out[0] = two[0];
		out[1] = two[1];
		return 2;
	}
	if (f && f != '.') {
		out[0] = f;
		return 1;
	}
	return 0;
}

static int is_apostrophe(uint32_t c)
{
	return c == '\'' || c == '`' || c == 0xB4 || c == 0x2BC;
}

#define WORD_MAX 64

/* Modernise and fold one word w[0..n) (ASCII upper) in place; returns the
 * new length. */
static size_t fold_word(char *w, size_t n)
{
	char t[WORD_MAX];
	/* Each rewrite below runs only if it can change the word (most words
	 * need none, many only CH/KH and the doubles), found in one pass:
	 * bit 1 an OE; 2 a J or an SY; 4 an H or a Z; 8 a double letter.
	 * A rewrite never makes the letters another looks for: OE -> U makes
	 * no J, SY or H; the J rewrites write C, Y and S, never H or Z. So
	 * the word's own letters decide, except for the doubles, which any
	 * rewrite can make: after one, they are always collapsed. */
	static const unsigned char has[256] = {
		['J'] = 2, ['H'] = 4, ['Z'] = 4,
	};
	/* next[c]: the letter after c that makes a pair to rewrite. */
	static const unsigned char next[256] = { ['O'] = 'E', ['S'] = 'Y' };
	unsigned need = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned char c = (unsigned char)w[i];
		unsigned char nx = (unsigned char)w[i + 1];
		need |= has[c];
		if (c == nx)
			need |= 8;
		if (next[c] == nx)
			need |= c == 'O' ? 1 : 2;
	}
	if (n)
		need |= has[(unsigned char)w[n - 1]];
	size_t k = n;
	if (!need)
		goto variants;
	/* The word moves between w and t: cur holds it, k long. */
	char *cur = w, *oth = t;
	if (need & 1) {   /* OE -> U */
		size_t m = 0;
		for (size_t i = 0; i < k; i++) {
			if (cur[i] == 'O' && i + 1 < k && cur[i + 1] == 'E') {
				oth[m++] = 'U';
				i++;
			} else {
				oth[m++] = cur[i];
			}
		}
		k = m;
		char *x = cur;
		cur = oth;
		oth = x;
	}
	/* DJ -> J, TJ -> C, SJ and SY -> S; then every J is written Y: the
	 * old J (JUSUF) is the modern Y and the old DJ the modern J, so J and
	 * Y cannot be told apart across spellings (JOKO = DJOKO = YOKO). */
	if (need & 2) {
		size_t m = 0;
		for (size_t i = 0; i < k; i++) {
			char c = cur[i];
			if (i + 1 < k && cur[i + 1] == 'J' &&
			    (c == 'D' || c == 'T' || c == 'S')) {
				oth[m++] = c == 'T' ? 'C' : c == 'D' ? 'Y' : 'S';
				i++;
				continue;
			}
			if (c == 'S' && i + 1 < k && cur[i + 1] == 'Y') {
				oth[m++] = 'S';
				i++;
				continue;
			}
			oth[m++] = c == 'J' ? 'Y' : c;
		}
		k = m;
		char *x = cur;
		cur = oth;
		oth = x;
	}
	/* CH -> H, KH -> H, TH -> T, DZ -> Z, PH -> F. */
	if (need & 4) {
		size_t m = 0;
		for (size_t i = 0; i < k; i++) {
			char c = cur[i], nx = i + 1 < k ? cur[i + 1] : 0;
			if ((c == 'C' || c == 'K') && nx == 'H') {
				oth[m++] = 'H';
				i++;
			} else if (c == 'T' && nx == 'H') {
				oth[m++] = 'T';
				i++;
			} else if (c == 'D' && nx == 'Z') {
				oth[m++] = 'Z';
				i++;
			} else if (c == 'P' && nx == 'H') {
				oth[m++] = 'F';
				i++;
			} else {
				oth[m++] = c;
			}
		}
		k = m;
		char *x = cur;
		cur = oth;
		oth = x;
	}
	/* Collapse doubles, into w (in place when the word is there: the
	 * write index never passes the read index). */
	size_t m = k;
	k = 0;
	for (size_t i = 0; i < m; i++)
		if (!k || w[k - 1] != cur[i])
			w[k++] = cur[i];
variants:;
	/* Whole-word variants. */
	/* Lengths precomputed: this runs for every word of every name. */
#define V(a, b) { a, b, sizeof a - 1, sizeof b - 1 }
	static const struct { const char *from, *to; size_t fl, tl; } variants[] = {
		V("MUHAMAD", "MUHAMMAD"), V("MOHAMAD", "MUHAMMAD"),
		V("MUHAMED", "MUHAMMAD"), V("MOHAMED", "MUHAMMAD"),
		V("MUHAMAT", "MUHAMMAD"), V("MOHAMAT", "MUHAMMAD"),
		V("MUHAMAD", "MUHAMMAD"), V("MOHD", "MUHAMMAD"),
		V("MUHD", "MUHAMMAD"), V("MHD", "MUHAMMAD"),
		V("MUH", "MUHAMMAD"), V("MOH", "MUHAMMAD"), V("M", "MUHAMMAD"),
		V("AHMED", "AHMAD"), V("AHMAT", "AHMAD"),
		V("NOR", "NUR"), V("ABD", "ABDUL"), V("ST", "SITI"),
	};
#undef V
	/* Only words of 1 to 7 letters starting with M, A, N or S can be
	 * a variant. */
	if (k == 0 || k > 7 ||
	    (w[0] != 'M' && w[0] != 'A' && w[0] != 'N' && w[0] != 'S'))
		goto compound;
	for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
		if (variants[v].fl == k && variants[v].from[0] == w[0] &&
		    memcmp(w, variants[v].from, k) == 0) {
			memcpy(w, variants[v].to, variants[v].tl);
			return variants[v].tl;
		}
	}
compound:
	/* NOR at the start of a compound is NUR too (NORHAYATI =
	 * NURHAYATI, NORLIANA = NURLIANA; NOOR- and NOER- fold to it). */
	if (k >= 5 && w[0] == 'N' && w[1] == 'O' && w[2] == 'R')
		w[1] = 'U';
	return k;
}

/* A word ended: fold w[0..wl) in place (w has WORD_MAX bytes and wl <
 * WORD_MAX; it may grow to 8 letters) onto out[o..] within cap (room for
 * the NUL kept); returns the new o. */
static size_t put_word(char *w, size_t wl, char *out, size_t o, size_t cap)
{
	size_t nl = fold_word(w, wl);
	/* As many of its letters as fit (one copy, not a loop that checks
	 * the room for each). */
	size_t room = o + 1 < cap ? cap - 1 - o : 0;
	if (nl > room)
		nl = room;
	memcpy(out + o, w, nl);
	return o + nl;
}

/* 1 if w[0..n) is the literal lit. */
#define WORD_IS(w, n, lit) ((n) == sizeof lit - 1 && memcmp((w), lit, (n)) == 0)

/* Forms of address (NY, NYONYA, IBU, BPK, BAPAK, BP) and patronymic
 * connectors (BIN, BINTI, BINT, BT): never name evidence. */
static int is_address(const char *w, size_t n)
{
	if (w[0] == 'N')
		return WORD_IS(w, n, "NY") || WORD_IS(w, n, "NYONYA");
	if (w[0] == 'I')
		return WORD_IS(w, n, "IBU");
	if (w[0] == 'B')
		return WORD_IS(w, n, "BPK") || WORD_IS(w, n, "BAPAK") ||
		       WORD_IS(w, n, "BP");
	return 0;
}

static int is_connector(const char *w, size_t n)
{
	return w[0] == 'B' && (WORD_IS(w, n, "BIN") || WORD_IS(w, n, "BINTI") ||
	                       WORD_IS(w, n, "BINT") || WORD_IS(w, n, "BT"));
}

/*
 * The key state: forms of address before the first name word are held
 * back and dropped when a name word follows; a connector after it is held
 * back and, when a name word follows, ends the key (the father's name is
 * not the person's: RUSDI BIN ARBAIN = RUSDI); a held word is written only
 * if the name ends with it ("IBU" alone, "AHMAD BIN").
 */
struct kstate {
	int named;            /* a name word was written */
	int done;             /* a patronymic began: nothing more */
	char held[WORD_MAX];  /* the held words, concatenated */
	size_t hl;
};

static size_t key_word(struct kstate *k, char *w, size_t wl,
                       char *out, size_t o, size_t cap)
{
	if (k->done)
		return o;
	/* Only words starting with B, I or N can be held: the rest go
	 * straight through. */
	if ((w[0] == 'B' || w[0] == 'I' || w[0] == 'N') &&
	    (k->named ? is_connector(w, wl) : is_address(w, wl))) {
		for (size_t i = 0; i < wl && k->hl < WORD_MAX - 1; i++)
			k->held[k->hl++] = w[i];
		return o;
	}
	if (k->hl && k->named) {
		k->hl = 0;
		k->done = 1;
		return o;
	}
	k->hl = 0;
	k->named = 1;
	return put_word(w, wl, out, o, cap);
}

/* Placeholder names: the first word BAYI or BY (a newborn: "BAYI NY.
 * SITI", "BY NY X") or the whole name one of a list. w: the name's words
 * (ASCII letters, upper case) joined by one space, n its length. */
static int placeholder_words(const char *w, size_t n)
{
	if (n >= 2 && w[0] == 'B' &&
	    ((n >= 4 && memcmp(w, "BAYI", 4) == 0 && (n == 4 || w[4] == ' ')) ||
	     (w[1] == 'Y' && (n == 2 || w[2] == ' '))))
		return 1;
	static const char *const whole[] = {
		"NN", "N N", "NO NAME", "NONAME", "TANPA NAMA", "TIDAK ADA",
		"TIDAK ADA NAMA", "TIDAK DIKETAHUI", "TIDAK TAHU", "BELUM ADA NAMA",
		"BELUM ADA", "BELUM DIBERI NAMA", "X", "XX", "XXX", "XXXX",
		"ANONIM", "N A", "NULL", "NONE", "KOSONG", NULL
	};
	for (int i = 0; whole[i]; i++)
		if (strlen(whole[i]) == n && memcmp(whole[i], w, n) == 0)
			return 1;
	return 0;
}

static int is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

int angka_name_placeholder(const char *s, size_t len)
{
	/* The first word decides if more is needed: most names are out
	 * after its first letter or its length. */
	size_t i = 0;
	while (i < len && !is_alpha((unsigned char)s[i])) {
		if ((unsigned char)s[i] >= 0x80)
			return 0;
		i++;
	}
	size_t st = i;
	while (i < len && is_alpha((unsigned char)s[i]))
		i++;
	size_t n1 = i - st;
	if (n1 == 0 || n1 > 6)
		return 0;
	char w[32];
	for (size_t k = 0; k < n1; k++)
		w[k] = (char)(s[st + k] & ~0x20);
	switch (w[0]) {
	case 'B':
		if (WORD_IS(w, n1, "BAYI") || WORD_IS(w, n1, "BY"))
			return 1;
		if (!WORD_IS(w, n1, "BELUM"))
			return 0;
		break;
	case 'T':
		if (!WORD_IS(w, n1, "TANPA") && !WORD_IS(w, n1, "TIDAK"))
			return 0;
		break;
	/* Only the first words of the listed whole names go on: most
	 * names starting with A, K, N or X (AHMAD, KHAIRUN, NOR) are out
	 * here, before the scan of the whole name. */
	case 'N':
		if (!WORD_IS(w, n1, "N") && !WORD_IS(w, n1, "NN") &&
		    !WORD_IS(w, n1, "NO") && !WORD_IS(w, n1, "NONAME") &&
		    !WORD_IS(w, n1, "NULL") && !WORD_IS(w, n1, "NONE"))
			return 0;
		break;
	case 'X':
		for (size_t k = 1; k < n1; k++)
			if (w[k] != 'X')
				return 0;
		break;
	case 'A':
		if (!WORD_IS(w, n1, "ANONIM"))
			return 0;
		break;
	case 'K':
		if (!WORD_IS(w, n1, "KOSONG"))
			return 0;
		break;
	default:
		return 0;
	}
	/* The whole name: ASCII letters, other characters as one space. */
	size_t n = n1;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80)
			return 0;
		if (n >= sizeof w - 1)
			return 0;   /* longer than any listed name */
		if (is_alpha(c))
			w[n++] = (char)(c & ~0x20);
		else if (w[n - 1] != ' ')
			w[n++] = ' ';
	}
	while (n && w[n - 1] == ' ')
		n--;
	return placeholder_words(w, n);
}

size_t angka_name_key(const char *s, size_t len, char *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;
	char w[WORD_MAX];
	size_t wl = 0;
	size_t i = 0;
	struct kstate ks;
	ks.named = 0;
	ks.done = 0;
	ks.hl = 0;
	if (!cap)
		return 0;
	if (angka_name_placeholder(s, len)) {
		out[0] = 0;
		return 0;
	}
	for (;;) {
		if (i < len && u[i] < 0x80) {
			/* ASCII: a letter, an apostrophe (skipped) or a word
			 * boundary, without decoding or folding tables. */
			unsigned char a = u[i++];
			if (a >= 'a' && a <= 'z')
				a = (unsigned char)(a - 32);
			if (a >= 'A' && a <= 'Z') {
				if (wl < WORD_MAX - 1)
					w[wl++] = (char)a;
			} else if (a != '\'' && a != '`' && wl) {
				o = key_word(&ks, w, wl, out, o, cap);
				wl = 0;
			}
			continue;
		}
		int end = i >= len;
		uint32_t c = 0;
		size_t n = 1;
		char f[2];
		int nf = 0;
		if (!end) {
			c = decode(u + i, len - i, &n);
			/* U+2019 RIGHT SINGLE QUOTATION MARK (3 bytes). */
			if (c == (uint32_t)-1 && n == 3 && u[i] == 0xE2 &&
			    u[i + 1] == 0x80 && u[i + 2] == 0x99) {
				i += n;
				continue;
			}
			if (c != (uint32_t)-1 && is_apostrophe(c)) {
				i += n;
				continue;
			}
			if (c != (uint32_t)-1)
				nf = fold(c, f);
		}
		if (nf) {
			for (int k = 0; k < nf; k++)
				if (wl < WORD_MAX - 1)
					w[wl++] = f[k];
		} else if (wl) {
			o = key_word(&ks, w, wl, out, o, cap);
			wl = 0;
		}
		if (end)
			break;
		i += n;
	}
	/* The name ended with held words: they are the name ("IBU"). */
	if (ks.hl)
		o = put_word(ks.held, ks.hl, out, o, cap);
	out[o] = 0;
	return o;
}
