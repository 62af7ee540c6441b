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
		{ "ACHMAD", "AHMAD" },
		{ "AHMED", "AHMAD" },
		{ "SOEKARNO", "SUKARNO" },
		{ "SOEJONO", "SUYONO" },
		{ "DJOKO", "JOKO" },
		{ "JOKO", "JOKO" },
		{ "TJAHJONO", "CAHYONO" },
		{ "SJAHRIR", "SYAHRIR" },
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
	/* The documented bound 4*len+16 holds for the worst case. */
	char big[4 * 9 + 16];
	size_t n = angka_name_key("M M M M M", 9, big, sizeof big);
	mu_check_int(n, 40);
}

int main(void)
{
	mu_run(test_upper);
	mu_run(test_clean);
	mu_run(test_key);
	return mu_report("test_name");
}
