/*
 * profile.c - built-in source profiles and header matching.
 *
 * The default tables below are the contract between raw extracts and the
 * canonical columns that every later stage reads. A line is
 * "canonical|flag|alias,alias,..." where flag is R (required) or O.
 */
#include "profile.h"
#include "diag.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[ANGKA_KIND_COUNT] = {
	"dtks", "susenas", "garis_kemiskinan", "terbitan",
	"kube", "uep", "penduduk", "wilayah",
};

const char *angka_kind_name(enum angka_kind k)
{
	if ((int)k < 0 || k >= ANGKA_KIND_COUNT)
		return NULL;
	return kind_names[k];
}

int angka_kind_from_name(const char *name)
{
	for (int k = 0; k < ANGKA_KIND_COUNT; k++)
		if (strcmp(name, kind_names[k]) == 0)
			return k;
	return -1;
}

const char *angka_kind_list(void)
{
	return "dtks, susenas, garis_kemiskinan, terbitan, kube, uep, "
	       "penduduk, wilayah";
}

static const char *const dtks_cols[] = {
	"iddtks|O|IDDTKS,ID_DTKS,IDBDT,ID_BDT,ID_DTSEN",
	"idartbdt|O|IDARTBDT,ID_ART,IDART",
	"nik|R|NIK,NOMOR_NIK,NO_NIK,NIK_ART,NOMORNIK",
	"no_kk|O|NO_KK,NOKK,NOMOR_KK,NO_KARTU_KELUARGA,NIK_KK,KK",
	"nama|R|NAMA,NAMA_ART,NAMA_LENGKAP,NM_ART",
	"jenis_kelamin|O|JENIS_KELAMIN,JNS_KEL,JNSKEL,JK,KELAMIN,SEX",
	"tempat_lahir|O|TEMPAT_LAHIR,TMP_LAHIR,TMPLAHIR",
	"tgl_lahir|O|TGL_LAHIR,TANGGAL_LAHIR,TGLLAHIR,TGL_LHR",
	"alamat|O|ALAMAT,ALAMAT_LENGKAP",
	"dusun|O|DUSUN,DUSUN_LINGKUNGAN",
	"rt|O|RT",
	"rw|O|RW",
	"kode_wilayah|O|KODE_WILAYAH,KODE_WIL,KD_WILAYAH,KODE_DESA_LENGKAP",
	"kode_prov|O|KDPROP,KDPROV,KODE_PROV,KD_PROV,KODE_PROVINSI,KODE_PROPINSI",
	"kode_kab|O|KDKAB,KODE_KAB,KD_KAB,KODE_KABUPATEN",
	"kode_kec|O|KDKEC,KODE_KEC,KD_KEC,KODE_KECAMATAN",
	"kode_desa|O|KDDESA,KDKEL,KODE_DESA,KD_DESA,KODE_KELURAHAN",
	"provinsi|O|PROVINSI,NAMA_PROVINSI,NAMA_PROP,NMPROP",
	"kabupaten|O|KABUPATEN_KOTA,KABUPATEN,NAMA_KABUPATEN,NAMA_KAB,NMKAB",
	"kecamatan|O|KECAMATAN,NAMA_KECAMATAN,NAMA_KEC,NMKEC",
	"desa|O|DESA_KELURAHAN,DESA,KELURAHAN,NAMA_DESA,NMDESA",
	"hub_krt|O|HUB_KRT,HUBUNGAN_KELUARGA,HUB_KEL,SHDK,HUBUNGAN_KRT",
	"nama_ibu_kandung|O|NAMA_IBU_KANDUNG,NAMA_IBU,IBU_KANDUNG",
	"sta_kawin|O|STA_KAWIN,STATUS_KAWIN,STATUS_PERKAWINAN",
	"pkh|O|PKH,ADA_PKH",
	"bpnt|O|BPNT,ADA_BPNT",
	"kks|O|KKS,ADA_KKS",
	"pbi|O|PBI,ADA_PBI,PBI_JK",
	"kip|O|KIP,ADA_KIP",
	"status|O|STATUS,STATUS_DTKS,KETERANGAN_STATUS",
	"desil|O|DESIL,DESIL_NASIONAL,PERINGKAT_DESIL",
	"tgl_update|O|TGL_UPDATE,TANGGAL_UPDATE,TGL_PEMUTAKHIRAN,UPDATED_AT",
	NULL
};

static const char *const susenas_cols[] = {
	"tahun|O|TAHUN,TH,YEAR",
	"id_ruta|O|URUT,ID_RUTA,IDRUTA,RENUM",
	"kode_prov|O|R101,KODE_PROV,PROV",
	"kode_kab|O|R102,KODE_KAB,KAB",
	"kode_kec|O|R103,KODE_KEC,KEC",
	"kode_desa|O|R104,KODE_DESA,DESA",
	"daerah|R|R105,DAERAH,KLASIFIKASI,TIPE_DAERAH",
	"psu|R|PSU,NKS,BLOK_SENSUS",
	"ssu|O|SSU",
	"strata|R|STRATA,STRATUM",
	"jumlah_art|R|R301,JUMLAH_ART,JML_ART,HHSIZE",
	"bobot_ruta|O|WERT,FWT,BOBOT_RUTA,WEIGHT",
	"bobot_individu|O|WEIND,BOBOT_INDIVIDU",
	"kapita|R|KAPITA,PENGELUARAN_PERKAPITA,EXPCAP",
	NULL
};

static const char *const garis_cols[] = {
	"kode_wilayah|R|KODE_WILAYAH,KODE,KD_WILAYAH,KODE_KABUPATEN",
	"nama_wilayah|O|NAMA_WILAYAH,WILAYAH,NAMA",
	"periode|R|PERIODE,TAHUN,WAKTU",
	"daerah|O|DAERAH,KLASIFIKASI,TIPE_DAERAH",
	"garis_kemiskinan|R|GARIS_KEMISKINAN,GARIS_KEMISKINAN_RP,"
	"GARIS_KEMISKINAN_RP_KAPITA_BULAN,GK",
	"gkm|O|GKM,GARIS_KEMISKINAN_MAKANAN",
	"gknm|O|GKNM,GARIS_KEMISKINAN_NON_MAKANAN,GARIS_KEMISKINAN_BUKAN_MAKANAN",
	NULL
};

static const char *const terbitan_cols[] = {
	"kode_wilayah|O|KODE_WILAYAH,KODE,KD_WILAYAH",
	"nama_wilayah|O|NAMA_WILAYAH,WILAYAH,KABUPATEN_KOTA",
	"periode|R|PERIODE,TAHUN,WAKTU",
	"p0|O|P0,P0_PERSEN,PERSENTASE_PENDUDUK_MISKIN,"
	"PERSENTASE_PENDUDUK_MISKIN_PERSEN",
	"jumlah_miskin|O|JUMLAH_MISKIN,JUMLAH_MISKIN_JIWA,JUMLAH_PENDUDUK_MISKIN,"
	"JUMLAH_PENDUDUK_MISKIN_JIWA",
	"jumlah_miskin_ribu|O|JUMLAH_MISKIN_RIBU,JUMLAH_PENDUDUK_MISKIN_RIBU,"
	"JUMLAH_PENDUDUK_MISKIN_RIBU_JIWA,JUMLAH_MISKIN_RIBU_JIWA",
	"p1|O|P1,INDEKS_KEDALAMAN_KEMISKINAN,INDEKS_KEDALAMAN_KEMISKINAN_P1",
	"p2|O|P2,INDEKS_KEPARAHAN_KEMISKINAN,INDEKS_KEPARAHAN_KEMISKINAN_P2",
	"garis_kemiskinan|O|GARIS_KEMISKINAN,GARIS_KEMISKINAN_RP,"
	"GARIS_KEMISKINAN_RP_KAPITA_BULAN,GK",
	"sumber|O|SUMBER,SOURCE",
	NULL
};

static const char *const kube_cols[] = {
	"id_kelompok|R|ID_KELOMPOK,KODE_KELOMPOK,NO_KELOMPOK,IDKELOMPOK",
	"nama_kelompok|O|NAMA_KELOMPOK,KELOMPOK",
	"nik|R|NIK,NOMOR_NIK,NO_NIK",
	"no_kk|O|NO_KK,NOKK,NOMOR_KK",
	"nama|R|NAMA,NAMA_ANGGOTA,NAMA_PENERIMA",
	"jabatan|O|JABATAN,KEDUDUKAN,JABATAN_KELOMPOK",
	"kode_wilayah|O|KODE_WILAYAH,KODE_DESA,KD_WILAYAH",
	"kecamatan|O|KECAMATAN,NAMA_KECAMATAN,NAMA_KEC",
	"desa|O|DESA_KELURAHAN,DESA,KELURAHAN,NAMA_DESA",
	"tahun|R|TAHUN,TAHUN_ANGGARAN,TA",
	"nilai_bantuan|O|NILAI_BANTUAN,BANTUAN,JUMLAH_BANTUAN,NILAI",
	NULL
};

static const char *const uep_cols[] = {
	"nik|R|NIK,NOMOR_NIK,NO_NIK",
	"no_kk|O|NO_KK,NOKK,NOMOR_KK",
	"nama|R|NAMA,NAMA_PENERIMA",
	"kode_wilayah|O|KODE_WILAYAH,KODE_DESA,KD_WILAYAH",
	"kecamatan|O|KECAMATAN,NAMA_KECAMATAN,NAMA_KEC",
	"desa|O|DESA_KELURAHAN,DESA,KELURAHAN,NAMA_DESA",
	"jenis_usaha|O|JENIS_USAHA,USAHA,BIDANG_USAHA",
	"tahun|R|TAHUN,TAHUN_ANGGARAN,TA",
	"nilai_bantuan|O|NILAI_BANTUAN,BANTUAN,JUMLAH_BANTUAN,NILAI",
	NULL
};

static const char *const penduduk_cols[] = {
	"kode_wilayah|R|KODE_WILAYAH,KODE,KD_WILAYAH",
	"nama_wilayah|O|NAMA_WILAYAH,NAMA,WILAYAH",
	"tahun|R|TAHUN,PERIODE",
	"penduduk|R|PENDUDUK,JUMLAH_PENDUDUK,JUMLAH",
	"sumber|O|SUMBER,SOURCE",
	NULL
};

static const char *const wilayah_cols[] = {
	"kode|R|KODE,KODE_WILAYAH,KD_WILAYAH",
	"level|O|LEVEL,TINGKAT",
	"nama|R|NAMA,NAMA_WILAYAH",
	"kode_induk|O|KODE_INDUK,INDUK",
	NULL
};

static const char *const *const default_cols[ANGKA_KIND_COUNT] = {
	dtks_cols, susenas_cols, garis_cols, terbitan_cols,
	kube_cols, uep_cols, penduduk_cols, wilayah_cols,
};

static void free_aliases(struct angka_column *c)
{
	for (size_t i = 0; i < c->nalias; i++)
		free(c->alias[i]);
	free(c->alias);
	c->alias = NULL;
	c->nalias = 0;
}

/* Split a comma-separated list into trimmed, non-empty aliases. */
static void parse_aliases(struct angka_column *c, const char *list)
{
	free_aliases(c);
	const char *s = list;
	while (*s) {
		const char *end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		const char *a = s, *b = end;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (b > a) {
			c->alias = angka_xrealloc(c->alias,
			                          (c->nalias + 1) * sizeof *c->alias);
			char *copy = angka_xmalloc((size_t)(b - a) + 1);
			memcpy(copy, a, (size_t)(b - a));
			copy[b - a] = '\0';
			c->alias[c->nalias++] = copy;
		}
		s = *end ? end + 1 : end;
	}
}

int angka_profile_find(const struct angka_profile *p, const char *name)
{
	for (size_t i = 0; i < p->ncol; i++)
		if (strcmp(p->col[i].name, name) == 0)
			return (int)i;
	return -1;
}

void angka_profile_set_aliases(struct angka_profile *p, const char *name,
                               const char *list)
{
	int i = angka_profile_find(p, name);
	if (i < 0) {
		p->col = angka_xrealloc(p->col, (p->ncol + 1) * sizeof *p->col);
		memset(&p->col[p->ncol], 0, sizeof *p->col);
		p->col[p->ncol].name = angka_xstrdup(name);
		i = (int)p->ncol++;
	}
	parse_aliases(&p->col[i], list);
}

void angka_profile_init_default(struct angka_profile *p, enum angka_kind k)
{
	memset(p, 0, sizeof *p);
	p->kind = k;
	p->encoding = ANGKA_ENC_AUTO;
	p->keep_unknown = 0;
	p->header_search = k == ANGKA_KIND_TERBITAN ? 20 : 1;
	for (const char *const *line = default_cols[k]; *line; line++) {
		const char *bar1 = strchr(*line, '|');
		const char *bar2 = strchr(bar1 + 1, '|');
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(bar1 - *line), *line);
		angka_profile_set_aliases(p, name, bar2 + 1);
		p->col[p->ncol - 1].required = bar1[1] == 'R';
	}
}

void angka_profile_release(struct angka_profile *p)
{
	for (size_t i = 0; i < p->ncol; i++) {
		free_aliases(&p->col[i]);
		free(p->col[i].name);
	}
	free(p->col);
	p->col = NULL;
	p->ncol = 0;
	free(p->sheet);
	p->sheet = NULL;
}

void angka_header_key(const char *s, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			out[o++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

void angka_header_snake(const char *s, size_t len, char *out)
{
	size_t o = 0;
	int pending = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		           (c >= 'A' && c <= 'Z') || c >= 0x80;
		if (!keep) {
			pending = o > 0;
			continue;
		}
		if (pending)
			out[o++] = '_';
		pending = 0;
		out[o++] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
	}
	out[o] = '\0';
}

int angka_header_match(const struct angka_profile *p,
                       const struct angka_csv_record *hdr,
                       struct angka_header_map *map)
{
	memset(map, 0, sizeof *map);
	map->ncol = p->ncol;
	map->nheader = hdr->nfields;
	map->src = angka_xmalloc((p->ncol ? p->ncol : 1) * sizeof *map->src);
	char **keys = angka_xcalloc(hdr->nfields ? hdr->nfields : 1, sizeof *keys);
	char *used = angka_xcalloc(hdr->nfields ? hdr->nfields : 1, 1);
	for (size_t h = 0; h < hdr->nfields; h++) {
		keys[h] = angka_xmalloc(hdr->len[h] + 1);
		angka_header_key(hdr->field[h], hdr->len[h], keys[h]);
	}
	int missing = 0;
	for (size_t c = 0; c < p->ncol; c++) {
		map->src[c] = -1;
		const struct angka_column *col = &p->col[c];
		for (size_t a = 0; a < col->nalias && map->src[c] < 0; a++) {
			size_t alen = strlen(col->alias[a]);
			char *akey = angka_xmalloc(alen + 1);
			angka_header_key(col->alias[a], alen, akey);
			for (size_t h = 0; h < hdr->nfields; h++) {
				if (!used[h] && keys[h][0] && strcmp(keys[h], akey) == 0) {
					map->src[c] = (int)h;
					used[h] = 1;
					break;
				}
			}
			free(akey);
		}
		if (map->src[c] < 0 && col->required)
			missing++;
	}
	/* A second header field for a column already found is no column of
	 * its own: the caller refuses the file (it was dropped silently). */
	map->dup_col = map->dup_first = map->dup_second = -1;
	for (size_t c = 0; c < p->ncol && map->dup_col < 0; c++) {
		const struct angka_column *col = &p->col[c];
		if (map->src[c] < 0)
			continue;
		for (size_t a = 0; a < col->nalias && map->dup_col < 0; a++) {
			size_t alen = strlen(col->alias[a]);
			char *akey = angka_xmalloc(alen + 1);
			angka_header_key(col->alias[a], alen, akey);
			for (size_t h = 0; h < hdr->nfields; h++)
				if (!used[h] && keys[h][0] && strcmp(keys[h], akey) == 0) {
					map->dup_col = (int)c;
					map->dup_first = map->src[c];
					map->dup_second = (int)h;
					break;
				}
			free(akey);
		}
	}
	if (p->keep_unknown) {
		for (size_t h = 0; h < hdr->nfields; h++) {
			if (used[h])
				continue;
			/* Room for "x_", the name, "_" and a column number. */
			size_t cap = hdr->len[h] + 24;
			char *name = angka_xmalloc(cap);
			angka_header_snake(hdr->field[h], hdr->len[h], name + 2);
			if (!name[2] || angka_profile_find(p, name + 2) >= 0) {
				/* Unnamed or clashing with a canonical column. */
				name[0] = 'x';
				name[1] = '_';
				if (!name[2])
					snprintf(name + 2, cap - 2, "%zu", h + 1);
			} else {
				memmove(name, name + 2, strlen(name + 2) + 1);
			}
			/* Two headers with one name ("Catatan", "catatan"): the
			 * later one gets its column number, so none is lost. */
			int clash = angka_profile_find(p, name) >= 0;
			for (size_t i = 0; i < map->nextra && !clash; i++)
				clash = strcmp(map->extra_name[i], name) == 0;
			if (clash) {
				size_t n = strlen(name);
				snprintf(name + n, cap - n, "_%zu", h + 1);
			}
			map->extra = angka_xrealloc(map->extra,
			                            (map->nextra + 1) * sizeof *map->extra);
			map->extra_name = angka_xrealloc(
				map->extra_name, (map->nextra + 1) * sizeof *map->extra_name);
			map->extra[map->nextra] = h;
			map->extra_name[map->nextra] = name;
			map->nextra++;
		}
	}
	for (size_t h = 0; h < hdr->nfields; h++)
		free(keys[h]);
	free(keys);
	free(used);
	return missing;
}

/* Append to buf with truncation marker; returns new length. */
static size_t app(char *buf, size_t cap, size_t len, const char *s, size_t n)
{
	if (len + 1 >= cap)
		return len;
	size_t room = cap - len - 1;
	if (n > room)
		n = room;
	memcpy(buf + len, s, n);
	buf[len + n] = '\0';
	return len + n;
}

/* 1 for a cell no person's data looks like: letters, digits and at
 * least one underscore, no run of 4 digits ("NO_KTP", "kode_desa"). */
static int header_like(const char *s, size_t len)
{
	int under = 0, run = 0;
	if (!len || len > 40)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '_')
			under = 1;
		else if (!isalnum(c))
			return 0;
		run = isdigit(c) ? run + 1 : 0;
		if (run >= 4)
			return 0;
	}
	return under;
}

void angka_header_map_missing(const struct angka_profile *p,
                              const struct angka_header_map *map,
                              const struct angka_csv_record *hdr,
                              char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = '\0';
	int first = 1;
	for (size_t c = 0; c < p->ncol; c++) {
		if (map->src[c] >= 0 || !p->col[c].required)
			continue;
		const struct angka_column *col = &p->col[c];
		const char *pre = first ? "missing required column '" : "; missing required column '";
		len = app(buf, cap, len, pre, strlen(pre));
		len = app(buf, cap, len, col->name, strlen(col->name));
		len = app(buf, cap, len, "' (accepted headers: ", 21);
		for (size_t a = 0; a < col->nalias; a++) {
			if (a)
				len = app(buf, cap, len, ", ", 2);
			len = app(buf, cap, len, col->alias[a], strlen(col->alias[a]));
		}
		len = app(buf, cap, len, ")", 1);
		first = 0;
	}
	/* A row without its header is data: a header is shown as found
	 * only where it matched an accepted header, else by its position
	 * and shape, never its content (it may be a NIK, a name, a date). */
	len = app(buf, cap, len, "; headers found: ", 17);
	for (size_t h = 0; h < hdr->nfields; h++) {
		if (h)
			len = app(buf, cap, len, ", ", 2);
		int known = 0;
		for (size_t c = 0; c < p->ncol && !known; c++)
			known = map->src[c] == (int)h;
		if (!known)
			known = header_like(hdr->field[h], hdr->len[h]);
		if (known) {
			len = app(buf, cap, len, hdr->field[h], hdr->len[h]);
			continue;
		}
		char shape[48], item[96];
		int n = snprintf(item, sizeof item, "column %zu: %s", h + 1,
		                 angka_value_shape(hdr->field[h], hdr->len[h],
		                                   shape, sizeof shape));
		len = app(buf, cap, len, item, (size_t)n);
	}
}

void angka_header_map_release(struct angka_header_map *map)
{
	free(map->src);
	for (size_t i = 0; i < map->nextra; i++)
		free(map->extra_name[i]);
	free(map->extra);
	free(map->extra_name);
	memset(map, 0, sizeof *map);
}
