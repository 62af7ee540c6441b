/*
 * name.h - personal names of Indonesian registries: Unicode-aware upper
 * case (ASCII, Latin-1 Supplement, Latin Extended-A; no locale), white
 * space, titles (gelar) and a folded comparison key for record matching.
 * Pure functions over caller buffers: no allocation, never exits.
 */
#ifndef ANGKA_NAME_H
#define ANGKA_NAME_H

#include <stddef.h>

enum angka_name_flags {
	ANGKA_NAME_F_TITLE = 1 << 0,   /* a title was removed (fix name_title) */
	ANGKA_NAME_F_SPACES = 1 << 1   /* white space trimmed or collapsed
	                                * (fix name_spaces) */
};

/*
 * Upper-case UTF-8 s[0..len) into out (capacity >= len+1; the result is
 * never longer) and NUL-terminate it; returns the output length. a-z, the
 * Latin-1 letters (é -> É, ÿ -> Ÿ) and Latin Extended-A (ā -> Ā, ı -> I,
 * ſ -> S) are mapped; ß, ĸ, ŉ and all other characters are copied. Invalid
 * UTF-8 bytes are copied unchanged.
 */
size_t angka_name_upper(const char *s, size_t len, char *out);

/*
 * Clean a name: upper case (angka_name_upper), commas and runs of white
 * space become one space, the ends are trimmed, and titles are removed:
 *  - at the start (repeatedly): H, HJ, HAJI, HAJJAH, DR, DRS, DRA, DRG, IR,
 *    PROF, KH, NS (ners), APT (apoteker); with or without a dot, also glued
 *    to the name ("HJ.SITI");
 *  - at the end (repeatedly, usually after a comma): academic degrees such
 *    as S.PD, S.PD.I, S.AG, S.E, S.H, S.KOM, S.T, S.SOS, S.IP, S.KM, S.KEP,
 *    A.MD, A.MA.PD, M.PD, M.SI, M.M, M.AG, M.H, M.KES, BA, SE, SH, ST,
 *    S.P, S.KES, NS, APT, GR (guru), the medical specialists SP.PD,
 *    SP.A, SP.OG, SP.B, SP.KK, SP.M, SP.S, SP.JP, SP.THT, SP.RAD, SP.AN,
 *    SP.P, SP.KJ, with or without dots, also written "S. PD".
 * "ST" and "M" at the start are kept: there they abbreviate SITI and
 * MUHAMMAD. The last word of a name is never removed, so "HAJI" alone
 * stays a name.
 * nama (capacity >= len+1) receives the cleaned name; gelar (capacity
 * >= len+1) the titles without dots, space-separated, prefix titles first
 * ("H DRS", "SPD"), HAJI and HAJJAH written H and HJ. Returns enum
 * angka_name_flags.
 */
unsigned angka_name_clean(const char *s, size_t len, char *nama, char *gelar);

/*
 * The matching key of a (cleaned) name into out (capacity cap >= 1, always
 * NUL-terminated, truncated to fit; 4*len+16 always suffices). Returns its
 * length. The key holds upper-case ASCII letters only, words concatenated:
 *  1. letters are folded to ASCII (É -> E, Æ -> AE, ß -> SS); apostrophes
 *     vanish inside a word (MA'RUF -> MARUF); anything else splits words;
 *  2. per word, old (pre-1972) spelling is folded: OE -> U, TJ -> C,
 *     SJ and SY -> S, and J (also from DJ) -> Y, since the old J is the
 *     modern Y and the old DJ the modern J (JUSUF = YUSUF, SOEJONO ->
 *     SUYONO, TJAHJONO -> CAHYONO, DJOKO = JOKO -> YOKO, SJAHRIR = SYAHRIR
 *     -> SAHRIR);
 *  3. aspirated spellings are folded: CH -> H, KH -> H, TH -> T, DZ -> Z,
 *     PH -> F (ACHMAD = AHMAD, KHAIRUL = CHAIRUL = HAIRUL);
 *  4. double letters are collapsed (MUHAMMAD -> MUHAMAD, NOOR -> NOR);
 *  5. whole-word variants: MUHAMAD, MOHAMAD, MUHAMED, MOHAMED, MUHAMAT,
 *     MOHAMAT, MOHD, MUHD, MHD, MUH, MOH, M -> MUHAMMAD; AHMED, AHMAT ->
 *     AHMAD; NOR, NUR -> NUR; ABD -> ABDUL; ST, SITI -> SITI; and NOR
 *     starting a word of 5 letters or more is NUR (NORHAYATI = NURHAYATI);
 *  6. forms of address before the first name word (NY, NYONYA, IBU, BPK,
 *     BAPAK, BP) are dropped when a name word follows them: NY. SITI
 *     AMINAH = SITI AMINAH; "IBU" alone stays IBU. A patronymic connector
 *     after a name word (BIN, BINTI, BINT, BT) followed by a name word
 *     ends the key, the father's name dropped: AHMAD BIN YUSUF = AHMAD BT
 *     YUSUF = AHMAD (the same person is often written without it); AHMAD
 *     YUSUF stays AHMADYUSUF; "AHMAD BIN" alone is AHMADBIN;
 *  7. a placeholder name (angka_name_placeholder) has the empty key, so
 *     it is never name evidence.
 * So MUHAMMAD NOOR, MOCHAMAD NUR and M. NOER all give MUHAMMADNUR, JUSUF
 * and YUSUF give YUSUF, SOEKARNO gives SUKARNO. The displayed name (nama)
 * keeps its spelling: these rules touch the key only.
 */
size_t angka_name_key(const char *s, size_t len, char *out, size_t cap);

/*
 * 1 if s[0..len) is a placeholder name rather than a name: its first word
 * is BAYI or BY (a newborn registered as "BAYI NY. SITI", "BY NY X",
 * "BAYI"), or the whole name (ASCII letters, anything else a word break)
 * is NN, N N, NO NAME, NONAME, TANPA NAMA, TIDAK ADA, TIDAK ADA NAMA,
 * TIDAK DIKETAHUI, TIDAK TAHU, BELUM ADA, BELUM ADA NAMA, BELUM DIBERI
 * NAMA, X, XX, XXX, XXXX, ANONIM, N A (N/A), NULL, NONE or KOSONG, in any
 * case. A name without letters ("-") is no placeholder here; its key is
 * empty anyway.
 */
int angka_name_placeholder(const char *s, size_t len);

#endif
