/*
 * test_profile.c - source profiles: kind names, header key folding and snake
 * case, default profiles, alias matching order, the missing-column message,
 * keep_unknown names.
 */
#include "minunit.h"

#include "profile.h"

#include <stdlib.h>
#include <string.h>

/* A header record from a '|'-separated list ("" for no fields). */
struct hdr {
	const char *f[32];
	size_t len[32];
	struct angka_csv_record rec;
	char buf[1024];
};

static const struct angka_csv_record *make_hdr(struct hdr *h, const char *list)
{
	memset(h, 0, sizeof *h);
	snprintf(h->buf, sizeof h->buf, "%s", list);
	size_t n = 0;
	char *s = h->buf;
	for (;;) {
		char *bar = strchr(s, '|');
		if (bar)
			*bar = '\0';
		h->f[n] = s;
		h->len[n] = strlen(s);
		n++;
		if (!bar)
			break;
		s = bar + 1;
	}
	h->f[n] = NULL;
	h->rec.nfields = n;
	h->rec.field = h->f;
	h->rec.len = h->len;
	h->rec.line = 1;
	h->rec.nlines = 1;
	return &h->rec;
}

static void test_kinds(void)
{
	for (int k = 0; k < ANGKA_KIND_COUNT; k++) {
		const char *name = angka_kind_name((enum angka_kind)k);
		mu_check(name != NULL);
		mu_check_int(angka_kind_from_name(name), k);
		mu_check(strstr(angka_kind_list(), name) != NULL);
	}
	mu_check(angka_kind_name(ANGKA_KIND_COUNT) == NULL);
	mu_check(angka_kind_name((enum angka_kind)-1) == NULL);
	mu_check_int(angka_kind_from_name("DTKS"), -1);
	mu_check_int(angka_kind_from_name(""), -1);
	mu_check_str(angka_kind_name(ANGKA_KIND_GARIS_KEMISKINAN), "garis_kemiskinan");
}

static void test_header_key(void)
{
	static const struct { const char *in, *key, *snake; } t[] = {
		{ "NOMOR_NIK", "nomornik", "nomor_nik" },
		{ "nomor nik", "nomornik", "nomor_nik" },
		{ "Nomor-NIK", "nomornik", "nomor_nik" },
		{ " Nomor  NIK ", "nomornik", "nomor_nik" },
		{ "Jumlah Penduduk Miskin (ribu jiwa)", "jumlahpendudukmiskinribujiwa",
		  "jumlah_penduduk_miskin_ribu_jiwa" },
		{ "P0 (%)", "p0", "p0" },
		{ "__x__", "x", "x" },
		{ "", "", "" },
		{ "---", "", "" },
		{ "Kode\xC3\xA9", "kode\xC3\xA9", "kode\xC3\xA9" },
		{ "R101", "r101", "r101" },
		{ "2020-03", "202003", "2020_03" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char out[128];
		angka_header_key(t[i].in, strlen(t[i].in), out);
		mu_check_str(out, t[i].key);
		angka_header_snake(t[i].in, strlen(t[i].in), out);
		mu_check_str(out, t[i].snake);
	}
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static void test_defaults(void)
{
	for (int k = 0; k < ANGKA_KIND_COUNT; k++) {
		struct angka_profile p;
		angka_profile_init_default(&p, (enum angka_kind)k);
		mu_check_int(p.kind, k);
		mu_check_int(p.delim, 0);
		mu_check_int(p.encoding, ANGKA_ENC_AUTO);
		mu_check_int(p.keep_unknown, 0);
		mu_check_int(p.header_search, k == ANGKA_KIND_TERBITAN ? 20 : 1);
		int required = 0;
		for (size_t i = 0; i < p.ncol; i++) {
			mu_check_msg(valid_name(p.col[i].name), "%s", p.col[i].name);
			mu_check(p.col[i].nalias > 0);
			mu_check_int(angka_profile_find(&p, p.col[i].name), (int)i);
			required += p.col[i].required;
		}
		mu_check(required > 0);
		mu_check_int(angka_profile_find(&p, "no_such_column"), -1);
		angka_profile_release(&p);
		mu_check(p.col == NULL && p.ncol == 0);
	}
}

static void test_set_aliases(void)
{
	struct angka_profile p;
	angka_profile_init_default(&p, ANGKA_KIND_WILAYAH);
	size_t n = p.ncol;
	angka_profile_set_aliases(&p, "nama", "  NM , ,NAMA_DESA,");
	mu_check_int(p.ncol, n);
	int i = angka_profile_find(&p, "nama");
	mu_check_int(p.col[i].nalias, 2);
	mu_check_str(p.col[i].alias[0], "NM");
	mu_check_str(p.col[i].alias[1], "NAMA_DESA");
	mu_check_int(p.col[i].required, 1);   /* kept */
	angka_profile_set_aliases(&p, "catatan", "CATATAN");
	mu_check_int(p.ncol, n + 1);
	mu_check_str(p.col[n].name, "catatan");
	mu_check_int(p.col[n].required, 0);
	angka_profile_release(&p);
}

struct mcase {
	const char *name;
	enum angka_kind kind;
	int keep_unknown;
	const char *header;
	int missing;
	const char *map;      /* "col=idx,col=idx" for the columns checked */
	const char *extra;    /* "idx:name,idx:name" of kept unknown columns */
	const char *msg;      /* angka_header_map_missing, when missing */
};

static const struct mcase mcases[] = {
	{ "folding", ANGKA_KIND_DTKS, 0, "Nomor-NIK|nama lengkap", 0,
	  "nik=0,nama=1,no_kk=-1", "", NULL },
	{ "alias order beats header order", ANGKA_KIND_DTKS, 0,
	  "nomor nik|NIK|Nama Lengkap|NAMA", 0, "nik=1,nama=3", "", NULL },
	{ "a header maps once", ANGKA_KIND_KUBE, 0,
	  "ID_KELOMPOK|NIK|NAMA|TAHUN|KODE_DESA", 0,
	  "kode_wilayah=4,desa=-1", "", NULL },
	{ "empty keys never match", ANGKA_KIND_WILAYAH, 0, "KODE|---|NAMA|", 0,
	  "kode=0,nama=2,level=-1", "", NULL },
	{ "missing required", ANGKA_KIND_DTKS, 0, "A|B|NAMA", 1, "nama=2,nik=-1",
	  "", "missing required column 'nik' (accepted headers: NIK, NOMOR_NIK, "
	  "NO_NIK, NIK_ART, NOMORNIK); headers found: column 1: text of 1 "
	  "character, column 2: text of 1 character, NAMA" },
	{ "two missing", ANGKA_KIND_PENDUDUK, 0, "kode|Nama", 2, "kode_wilayah=0,"
	  "nama_wilayah=1,penduduk=-1", "", "missing required column 'tahun' "
	  "(accepted headers: TAHUN, PERIODE); missing required column "
	  "'penduduk' (accepted headers: PENDUDUK, JUMLAH_PENDUDUK, JUMLAH); "
	  "headers found: kode, Nama" },
	{ "keep_unknown off", ANGKA_KIND_UEP, 0, "NIK|NAMA|TAHUN|Catatan Petugas",
	  0, "nik=0", "", NULL },
	{ "keep_unknown names", ANGKA_KIND_UEP, 1,
	  "NIK|Catatan Petugas|NAMA|nik|TAHUN|!!!|Nomor HP (aktif)", 0,
	  "nik=0,nama=2,tahun=4",
	  "1:catatan_petugas,3:x_nik,5:x_6,6:nomor_hp_aktif", NULL },
	{ "keep_unknown unnamed and duplicate names", ANGKA_KIND_UEP, 1,
	  "NIK|NAMA|TAHUN||Catatan|catatan|a|b|c|d|e||-", 0, "nik=0",
	  "3:x_4,4:catatan,5:catatan_6,6:a,7:b,8:c,9:d,10:e,11:x_12,12:x_13",
	  NULL },
	{ "keep_unknown clash with unmatched canonical", ANGKA_KIND_UEP, 1,
	  "NIK|NAMA|TAHUN|Jenis Usaha!|desa", 0, "jenis_usaha=3,desa=4", "", NULL },
};

static void test_match(void)
{
	for (size_t c = 0; c < sizeof mcases / sizeof *mcases; c++) {
		const struct mcase *m = &mcases[c];
		struct angka_profile p;
		angka_profile_init_default(&p, m->kind);
		p.keep_unknown = m->keep_unknown;
		struct hdr h;
		const struct angka_csv_record *rec = make_hdr(&h, m->header);
		struct angka_header_map map;
		int missing = angka_header_match(&p, rec, &map);
		mu_check_msg(missing == m->missing, "%s: missing %d", m->name, missing);
		mu_check_int(map.ncol, p.ncol);
		mu_check_int(map.nheader, rec->nfields);
		/* column mapping */
		char buf[512];
		snprintf(buf, sizeof buf, "%s", m->map);
		for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
			char *eq = strchr(tok, '=');
			*eq = '\0';
			int col = angka_profile_find(&p, tok);
			mu_check_msg(col >= 0, "%s: column %s", m->name, tok);
			if (col >= 0)
				mu_check_msg(map.src[col] == atoi(eq + 1),
				             "%s: %s -> %d, expected %s", m->name, tok,
				             map.src[col], eq + 1);
		}
		/* kept unknown columns */
		char got[512] = "";
		size_t o = 0;
		for (size_t i = 0; i < map.nextra; i++)
			o += (size_t)snprintf(got + o, sizeof got - o, "%s%zu:%s",
			                      i ? "," : "", map.extra[i],
			                      map.extra_name[i]);
		mu_check_msg(strcmp(got, m->extra) == 0, "%s: extras '%s', expected "
		             "'%s'", m->name, got, m->extra);
		if (m->msg) {
			char msg[1024];
			angka_header_map_missing(&p, &map, rec, msg, sizeof msg);
			mu_check_msg(strcmp(msg, m->msg) == 0, "%s:\n     got  %s\n     "
			             "want %s", m->name, msg, m->msg);
			/* A small buffer truncates safely. */
			char small[24];
			memset(small, 'Z', sizeof small);
			angka_header_map_missing(&p, &map, rec, small, 16);
			mu_check_int(strlen(small), 15);
			mu_check_int(small[16], 'Z');
		}
		angka_header_map_release(&map);
		angka_profile_release(&p);
	}
}

/* A config-defined alias in another case and spacing still matches. */
static void test_config_aliases(void)
{
	struct angka_profile p;
	angka_profile_init_default(&p, ANGKA_KIND_DTKS);
	angka_profile_set_aliases(&p, "nik", "nik ktp, NIK");
	struct hdr h;
	const struct angka_csv_record *rec = make_hdr(&h, "NIK|NIK_KTP|NAMA");
	struct angka_header_map map;
	mu_check_int(angka_header_match(&p, rec, &map), 0);
	mu_check_int(map.src[angka_profile_find(&p, "nik")], 1);
	angka_header_map_release(&map);
	angka_profile_release(&p);
}

int main(void)
{
	mu_run(test_kinds);
	mu_run(test_header_key);
	mu_run(test_defaults);
	mu_run(test_set_aliases);
	mu_run(test_match);
	mu_run(test_config_aliases);
	return mu_report("test_profile");
}
