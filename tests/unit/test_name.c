/*
 * test_name.c - unit tests of name.c: Unicode upper case, titles, white
 * space, matching keys with spelling variants.
 */
#include <string.h>

#include "minunit.h"
#include "name.h"

static void test_upper(void)
{
	static const struct { const char *in, *out; } t[] = {
		{ "andré saputra", "ANDRÉ SAPUTRA" },
		{ "zoé", "ZOÉ" },
		{ "renée", "RENÉE" },
		{ "çñøåæ", "ÇÑØÅÆ" },
		{ "ÿ", "Ÿ" },
		{ "āčęğıłńőşťűž", "ĀČĘĞIŁŃŐŞŤŰŽ" },
		{ "ĺľŀ", "ĹĽĿ" },
		{ "straße", "STRAßE" },
		{ "ſ", "S" },
		{ "abc\xff" "d", "ABC\xff" "D" },          /* invalid byte kept */
		{ "日本", "日本" },                         /* 3-byte kept */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char out[64];
		size_t n = angka_name_upper(t[i].in, strlen(t[i].in), out);
		mu_check_str(out, t[i].out);
		mu_check(n == strlen(out));
	}
}

struct ccase {
	const char *in, *nama, *gelar;
	unsigned flags;
};
#define T ANGKA_NAME_F_TITLE
#define S ANGKA_NAME_F_SPACES
static const struct ccase cases[] = {
	{ "ILHAM RAFI", "ILHAM RAFI", "", 0 },
	{ "Ilham Rafi", "ILHAM RAFI", "", 0 },
	{ "H. ZAINAL RAFI", "ZAINAL RAFI", "H", T },
	{ "DRS.  BAHRUDIN SALEH", "BAHRUDIN SALEH", "DRS", T | S },
	{ "NOR ROSITA, S.E.", "NOR ROSITA", "SE", T },
	{ "SITI SARI, S.Pd", "SITI SARI", "SPD", T },
	{ "MAHMUDAH, S.E.", "MAHMUDAH", "SE", T },
	{ "Hj.NORLIANA HALIMAH", "NORLIANA HALIMAH", "HJ", T },
	{ " Hj.SITI AMINAH ", "SITI AMINAH", "HJ", T | S },
	{ " RUSNAWATI ", "RUSNAWATI", "", S },
	{ "RAHMAH  SAFITRI", "RAHMAH SAFITRI", "", S },
	{ "H. DRS. AHMAD YANI, M.Pd", "AHMAD YANI", "H DRS MPD", T },
	{ "PROF. DR. IR. BUDI, S.H., M.H.", "BUDI", "PROF DR IR SH MH", T },
	{ "AHMAD S.PD.I", "AHMAD", "SPDI", T },
	{ "AHMAD, S. Pd", "AHMAD", "SPD", T },
	{ "HAJI ABDUL", "ABDUL", "H", T },
	{ "HAJI", "HAJI", "", 0 },
	{ "H.", "H.", "", 0 },
	{ "ST. AMINAH", "ST. AMINAH", "", 0 },
	{ "M. ALI", "M. ALI", "", 0 },
	{ "RINA ST", "RINA", "ST", T },
	{ "BUDI SE", "BUDI", "SE", T },
	{ "", "", "", 0 },
	{ "MA'RUF", "MA'RUF", "", 0 },
	{ "andré\xc2\xa0saputra", "ANDRÉ SAPUTRA", "", S },
	/* health and teaching degrees, specialists */
	{ "SITI AMINAH, S.P.", "SITI AMINAH", "SP", T },
	{ "Ns. RINA, S.Kep", "RINA", "NS SKEP", T },
	{ "RINA, S.Kep., Ns.", "RINA", "SKEP NS", T },
	{ "apt. BUDI, S.Farm", "BUDI", "APT SFARM", T },
	{ "BUDI, S.Farm., Apt.", "BUDI", "SFARM APT", T },
	{ "dr. ANDI, Sp.PD", "ANDI", "DR SPPD", T },
	{ "dr. ANDI, Sp.OG", "ANDI", "DR SPOG", T },
	{ "RAHMAH, S.Kes", "RAHMAH", "SKES", T },
	{ "RAHMAH, S.Pd., Gr.", "RAHMAH", "SPD GR", T },
	{ "NS", "NS", "", 0 },
	/* forms of address stay in nama: the key drops them */
	{ "NY. SITI", "NY. SITI", "", 0 },
};

static void test_clean(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct ccase *c = &cases[i];
		size_t n = strlen(c->in);
		char nama[128], gelar[128];
		unsigned f = angka_name_clean(c->in, n, nama, gelar);
		mu_check_msg(strcmp(nama, c->nama) == 0, "'%s': nama '%s'", c->in, nama);
		mu_check_msg(strcmp(gelar, c->gelar) == 0, "'%s': gelar '%s'", c->in, gelar);
		mu_check_msg(f == c->flags, "'%s': flags %u, expected %u", c->in, f,
		             c->flags);
		mu_check(strlen(nama) <= n && strlen(gelar) <= n);
	}
}

static void test_key(void)
{
	static const struct { const char *in, *key; } t[] = {
		{ "MUHAMMAD NOOR", "MUHAMMADNUR" },
		{ "MUHAMAD NOOR", "MUHAMMADNUR" },
		{ "MOHAMMAD NOOR", "MUHAMMADNUR" },
		{ "MOHAMAD NOOR", "MUHAMMADNUR" },
		{ "MOCHAMAD NUR", "MUHAMMADNUR" },
		{ "M. NOER", "MUHAMMADNUR" },
		{ "MUH. NOR", "MUHAMMADNUR" },
		{ "NOR HASANAH", "NURHASANAH" },
		{ "NUR HASANAH", "NURHASANAH" },
		{ "NOOR HASANAH", "NURHASANAH" },
		{ "NURHASANAH", "NURHASANAH" },
		{ "NORHAYATI", "NURHAYATI" },
		{ "NOORHAYATI", "NURHAYATI" },
		{ "NORLIANA ZAHRA", "NURLIANAZAHRA" },
		{ "NORA", "NORA" },
		{ "ACHMAD", "AHMAD" },
		{ "AHMED", "AHMAD" },
		{ "SOEKARNO", "SUKARNO" },
		{ "SOEJONO", "SUYONO" },
		/* J and Y are one letter across spellings, SY and SJ are S */
		{ "DJOKO", "YOKO" },
		{ "JOKO", "YOKO" },
		{ "YOKO", "YOKO" },
		{ "TJAHJONO", "CAHYONO" },
		{ "TJAHYONO", "CAHYONO" },
		{ "CAHYONO", "CAHYONO" },
		{ "SJAHRIR", "SAHRIR" },
		{ "SYAHRIR", "SAHRIR" },
		{ "SAHRIR", "SAHRIR" },
		{ "JUSUF", "YUSUF" },
		{ "YUSUF", "YUSUF" },
		{ "SOEKARNO", "SUKARNO" },
		{ "SUKARNO", "SUKARNO" },
		{ "SOEHARTO", "SUHARTO" },
		{ "SYAMSUL BAHRI", "SAMSULBAHRI" },
		{ "SAMSUL BACHRI", "SAMSULBAHRI" },
		{ "ACHMAD DJUNAIDI", "AHMADYUNAIDI" },
		{ "AHMAD JUNAIDI", "AHMADYUNAIDI" },
		{ "NJOTO", "NYOTO" },
		{ "MOECHTAR", "MUHTAR" },
		{ "MUKHTAR", "MUHTAR" },
		{ "HASJIM", "HASIM" },
		{ "HASYIM", "HASIM" },
		/* only the rewrites a word needs run; one can make another's
		 * pair (TJH -> CH -> H) or a double (OE -> U) */
		{ "TJHANDRA", "HANDRA" },
		{ "DZULKIFLI", "ZULKIFLI" },
		{ "OEMAR", "UMAR" },
		{ "ANNISA", "ANISA" },
		{ "PHILIP", "FILIP" },
		{ "SOEJOEDI", "SUYUDI" },
		{ "SJAMSOEL", "SAMSUL" },
		{ "HANNAH", "HANAH" },
		{ "TJOEKROAMINOTO", "CUKROAMINOTO" },
		{ "SOEOEKA", "SUKA" },
		/* forms of address before the name, connectors inside it */
		{ "NY. SITI AMINAH", "SITIAMINAH" },
		{ "NYONYA SITI AMINAH", "SITIAMINAH" },
		{ "IBU SITI AMINAH", "SITIAMINAH" },
		{ "BPK. AHMAD", "AHMAD" },
		{ "BAPAK AHMAD", "AHMAD" },
		{ "NY IBU RINA", "RINA" },
		{ "IBU", "IBU" },
		{ "NY.", "NY" },
		{ "AHMAD BIN YUSUF", "AHMAD" },
		{ "AHMAD BIN JUSUF", "AHMAD" },
		{ "AHMAD YUSUF", "AHMADYUSUF" },
		{ "SITI BINTI AHMAD", "SITI" },
		{ "SITI BT. AHMAD", "SITI" },
		{ "SITI BT AHMAD", "SITI" },
		{ "RUSDI BIN ARBAIN", "RUSDI" },
		{ "MAHMUDAH BINTI HASAN BIN ALI", "MAHMUDAH" },
		{ "SITI AMINAH BINTI AHMAD", "SITIAMINAH" },
		{ "AHMAD BIN", "AHMADBIN" },
		{ "BINTANG", "BINTANG" },
		{ "BINTI AHMAD", "BINTIAHMAD" },
		{ "RINA IBU", "RINAIBU" },
		/* placeholders: no key */
		{ "BAYI NY. SITI", "" },
		{ "BY NY X", "" },
		{ "BY. NY. AMINAH", "" },
		{ "BAYI", "" },
		{ "Bayi Laki-laki", "" },
		{ "TIDAK ADA", "" },
		{ "tidak ada nama", "" },
		{ "TANPA NAMA", "" },
		{ "NN", "" },
		{ "N.N.", "" },
		{ "N/A", "" },
		{ "-", "" },
		{ "XXX", "" },
		{ "BAYU", "BAYU" },
		{ "BYANTI", "BYANTI" },
		{ "NN AMINAH", "NAMINAH" },
		{ "TIDAK", "TIDAK" },
		{ "KHAIRUL", "HAIRUL" },
		{ "CHAIRUL", "HAIRUL" },
		{ "ANDRÉ SAPUTRA", "ANDRESAPUTRA" },
		{ "MA'RUF", "MARUF" },
		{ "MA\xe2\x80\x99RUF", "MARUF" },
		{ "ST. AMINAH", "SITIAMINAH" },
		{ "SITTI AMINAH", "SITIAMINAH" },
		{ "ABD. RAHMAN", "ABDULRAHMAN" },
		{ "NUR-AINI 2", "NURAINI" },
		{ "ÆSIR ßO", "AESIRSO" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char key[128];
		size_t n = angka_name_key(t[i].in, strlen(t[i].in), key, sizeof key);
		mu_check_msg(strcmp(key, t[i].key) == 0, "'%s': key '%s', expected '%s'",
		             t[i].in, key, t[i].key);
		mu_check(n == strlen(key));
	}
	/* Truncation keeps the buffer NUL-terminated. */
	char small[5];
	angka_name_key("MUHAMMAD", 8, small, sizeof small);
	mu_check_str(small, "MUHA");
	/* A later word: as much as fits after the first, then nothing. */
	static const struct { size_t cap; const char *key; } cut[] = {
		{ 1, "" }, { 5, "AHMA" }, { 6, "AHMAD" }, { 7, "AHMADR" },
		{ 11, "AHMADRUSDI" }, { 12, "AHMADRUSDI" },
	};
	for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
		char k[16];
		size_t kn = angka_name_key("AHMAD RUSDI", 11, k, cut[i].cap);
		mu_check_str(k, cut[i].key);
		mu_check_int(kn, strlen(cut[i].key));
	}
	/* The documented bound 4*len+16 holds for the worst case. */
	char big[4 * 9 + 16];
	size_t n = angka_name_key("M M M M M", 9, big, sizeof big);
	mu_check_int(n, 40);
}

static void test_placeholder(void)
{
	static const struct { const char *in; int ph; } t[] = {
		{ "BAYI NY. SITI", 1 }, { "BY NY X", 1 }, { "BAYI", 1 },
		{ "by. ny. siti", 1 }, { "TIDAK ADA", 1 }, { "TANPA NAMA", 1 },
		{ "NN", 1 }, { " nn ", 1 }, { "N.N", 1 }, { "TIDAK DIKETAHUI", 1 },
		{ "BELUM ADA NAMA", 1 }, { "X", 1 }, { "NULL", 1 }, { "NONE", 1 },
		{ "KOSONG", 1 }, { "ANONIM", 1 }, { "NO NAME", 1 }, { "n a", 1 },
		{ "XXXX", 1 }, { "NORMA", 0 }, { "AHMAD", 0 }, { "KOSONGAN", 0 },
		{ "-", 0 }, { "", 0 }, { "BAYU", 0 }, { "BUDI", 0 }, { "NUR", 0 },
		{ "TIDAK", 0 }, { "AHMAD", 0 }, { "BAYIAH", 0 }, { "NN AMINAH", 0 },
		{ "XAVIER", 0 }, { "TIDAK ADA AMINAH", 0 }, { "ANDRÉ", 0 },
		{ "KOSONG KOSONG KOSONG KOSONG", 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		mu_check_msg(angka_name_placeholder(t[i].in, strlen(t[i].in)) == t[i].ph,
		             "'%s': expected %d", t[i].in, t[i].ph);
}

int main(void)
{
	mu_run(test_placeholder);
	mu_run(test_upper);
	mu_run(test_clean);
	mu_run(test_key);
	return mu_report("test_name");
}
