/*
 * gen-bench-dtks.c - deterministic generator of a national-size DTKS-like
 * extract for benchmarks (not for correctness tests: see gen-fixtures.c).
 *
 * usage: gen-bench-dtks [-n ROWS] [-s SEED] [OUT|-]
 *
 * Default 10,000,000 rows, about 1.73 GB: 20 columns, ';' delimiter, LF line
 * ends, one header line that angka's dtks profile accepts. Realistic shapes:
 * 16-digit NIK (PP KK CC DDMMYY SSSS, +40 on the day for women) and No KK,
 * Indonesian names, DD-MM-YYYY birth dates, Kemendagri region codes of all 38
 * provinces, and about 8% of addresses quoted because they contain ';' (a few
 * also contain escaped "" quotes). About 0.5% of NIKs are empty and about 1%
 * repeat an earlier person (for dedup benchmarks). The same ROWS and SEED
 * always give the same bytes.
 *
 * Speed: rows are formatted by hand into an 8 MiB buffer written with
 * write(2); no stdio per field. About 1.7 GB in a few seconds.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OBUFSZ ((size_t)8 << 20)

static uint64_t rng_state;

static inline uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform in [0, n) (n < 2^32), via multiply-high. */
static inline uint32_t below(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

static const char *const male_names[] = {
	"MUHAMMAD", "AHMAD", "ABDUL", "RUDI", "BUDI", "AGUS", "HENDRA", "SUPRIADI",
	"RAHMAT", "SYAHRUL", "IRWAN", "JOKO", "BAMBANG", "DEDI", "FAJAR", "HASAN",
	"IMAM", "KURNIAWAN", "MAULANA", "NURDIN", "RIZKY", "SAIFUL", "TAUFIK",
	"WAHYU", "YUSUF", "ZAINAL", "ARIF", "DARMAWAN", "EKO", "GUNAWAN",
	"HERMANSYAH", "ILHAM", "M.", "SLAMET", "SUGENG", "PUTU", "I WAYAN", "KADEK",
	"YOHANES", "FRANSISKUS",
};
static const char *const female_names[] = {
	"SITI", "NUR", "SRI", "DEWI", "RATNA", "WAHYUNI", "RINA", "YULIANTI",
	"NURHAYATI", "FATIMAH", "AISYAH", "MASLIANI", "HALIMAH", "RAHMAWATI",
	"INDAH", "KARTINI", "LESTARI", "MARYAM", "NOVITA", "PUSPITA", "RUKMINI",
	"SARI", "TRI", "UMI", "WINDA", "YANTI", "ZAHRA", "ANNISA", "NI MADE",
	"NI KETUT", "MARIA", "ELISABETH",
};
static const char *const last_names[] = {
	"", "", "", "RAHMAN", "HIDAYAT", "SAPUTRA", "SETIAWAN", "PRATAMA",
	"NORHASANAH", "WATI", "ANSHARI", "RIDWAN", "SUSANTO", "HARAHAP", "NASUTION",
	"SIREGAR", "SIMANJUNTAK", "LUBIS", "PANJAITAN", "SUHARTO", "WIBOWO",
	"SANTOSO", "HAKIM", "FAUZI", "MAHMUD", "SARIFUDIN", "ARSYAD", "BAHRI",
	"NOOR", "ILMI", "KUSUMA", "PURNAMASARI", "HANDAYANI", "RAMADHAN",
	"SEPTIANI", "WULANDARI", "BIN SAMSUDIN", "BINTI ABDULLAH",
};
static const char *const places[] = {
	"PARINGIN", "BANJARMASIN", "BARABAI", "AMUNTAI", "TANJUNG", "MARTAPURA",
	"JAKARTA", "SURABAYA", "BANDUNG", "SEMARANG", "MEDAN", "MAKASSAR",
	"PALEMBANG", "PADANG", "PEKANBARU", "PONTIANAK", "SAMARINDA", "BALIKPAPAN",
	"MANADO", "KUPANG", "MATARAM", "DENPASAR", "JAYAPURA", "AMBON", "KENDARI",
	"PALU", "GORONTALO", "BENGKULU", "JAMBI", "LAMPUNG", "CIREBON", "TEGAL",
	"KEDIRI", "MALANG", "JEMBER", "BANYUWANGI", "SOLO", "YOGYAKARTA",
	"BOGOR", "BEKASI", "TANGERANG", "SERANG", "BIMA", "ENDE", "SORONG",
	"TERNATE", "MAMUJU", "KOTABARU", "LAMPIHONG", "JUAI",
};
static const char *const streets[] = {
	"JL. A. YANI", "JL. MERDEKA", "JL. PAHLAWAN", "JL. SUDIRMAN",
	"JL. DIPONEGORO", "JL. GATOT SUBROTO", "JL. PANGERAN ANTASARI",
	"JL. BASUKI RAHMAT", "JL. KARTINI", "JL. VETERAN", "JL. MAWAR",
	"JL. MELATI", "JL. KENANGA", "JL. RAYA", "JL. SUNGAI MIAI",
	"JL. TRANS KALIMANTAN", "KOMP. PERUMNAS", "KOMP. GRIYA PERMAI",
	"DUSUN KRAJAN", "DUSUN SUKAMAJU", "DESA TANJUNG ALING", "LINGK. BAWAH",
	"JL. HAJI ISA", "JL. BHAYANGKARA", "JL. LINGKAR SELATAN",
};
static const char *const alleys[] = {
	"GG. MELATI", "GG. MAWAR", "GG. SEPAKAT", "GG. ANGGREK", "GG. BERSAMA",
	"GG. PERINTIS", "GG. H. MAHMUD", "GG. DAMAI", "BLOK C", "BLOK F2",
};

/*
 * Province codes (Kemendagri 2023, 38 provinces) with a rough population
 * weight in tenths of a percent, so Java dominates as in the national data.
 */
static const struct { unsigned char code, weight, nkab; } provs[] = {
	{ 11, 20, 23 }, { 12, 55, 33 }, { 13, 20, 19 }, { 14, 24, 12 },
	{ 15, 13, 11 }, { 16, 31, 17 }, { 17, 7, 10 }, { 18, 33, 15 },
	{ 19, 5, 7 }, { 21, 8, 7 }, { 31, 38, 6 }, { 32, 180, 27 },
	{ 33, 137, 35 }, { 34, 14, 5 }, { 35, 152, 38 }, { 36, 45, 8 },
	{ 51, 16, 9 }, { 52, 20, 10 }, { 53, 20, 22 }, { 61, 20, 14 },
	{ 62, 10, 14 }, { 63, 15, 13 }, { 64, 14, 10 }, { 65, 3, 5 },
	{ 71, 10, 15 }, { 72, 11, 13 }, { 73, 34, 24 }, { 74, 10, 17 },
	{ 75, 4, 6 }, { 76, 5, 6 }, { 81, 7, 11 }, { 82, 5, 10 },
	{ 91, 4, 9 }, { 92, 2, 7 }, { 94, 5, 8 }, { 95, 4, 8 },
	{ 96, 2, 6 }, { 97, 4, 8 },
};
#define NPROV (sizeof provs / sizeof provs[0])
static unsigned char prov_pick[1024];   /* weighted lookup: index -> provs[] */
static unsigned prov_pick_n;

#define N(a) (sizeof(a) / sizeof((a)[0]))

static size_t lens_male[N(male_names)], lens_female[N(female_names)];
static size_t lens_last[N(last_names)], lens_places[N(places)];
static size_t lens_streets[N(streets)], lens_alleys[N(alleys)];

static void init_lens(const char *const *s, size_t *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		l[i] = strlen(s[i]);
}

static inline char *put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* Exactly `width` decimal digits of v (zero-padded). */
static inline char *put_digits(char *p, uint64_t v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* Decimal v without padding. */
static inline char *put_uint(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static const unsigned char mdays[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30,
                                         31, 30, 31 };

struct person {
	uint64_t nik, kk;
	unsigned prov, kab, kec, desa;
	unsigned day, month, year, female;
	unsigned first, last, place;
};

/* A small ring of earlier persons; about 1% of rows repeat one of them. */
#define NRECENT 4096
static struct person recent[NRECENT];

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("gen-bench-dtks: write");
			exit(1);
		}
		buf += n;
		len -= (size_t)n;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: gen-bench-dtks [-n ROWS] [-s SEED] [OUT|-]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t rows = 10000000, seed = 20240601;
	const char *out = "-";
	int opt;
	while ((opt = getopt(argc, argv, "n:s:h")) != -1) {
		switch (opt) {
		case 'n': rows = strtoull(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (optind < argc)
		out = argv[optind++];
	if (optind < argc)
		usage();
	rng_state = seed;

	init_lens(male_names, lens_male, N(male_names));
	init_lens(female_names, lens_female, N(female_names));
	init_lens(last_names, lens_last, N(last_names));
	init_lens(places, lens_places, N(places));
	init_lens(streets, lens_streets, N(streets));
	init_lens(alleys, lens_alleys, N(alleys));
	for (size_t i = 0; i < NPROV; i++)
		for (unsigned w = 0; w < provs[i].weight; w++)
			prov_pick[prov_pick_n++] = (unsigned char)i;

	int fd = STDOUT_FILENO;
	if (strcmp(out, "-") != 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			perror(out);
			return 1;
		}
	}
	char *buf = malloc(OBUFSZ);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	char *p = buf;
	static const char header[] =
		"IDARTBDT;NIK;NO_KK;NAMA;JNS_KEL;TMP_LAHIR;TGL_LAHIR;ALAMAT;RT;RW;"
		"KDPROP;KDKAB;KDKEC;KDDESA;HUB_KRT;NAMA_IBU_KANDUNG;STA_KAWIN;PKH;BPNT;DESIL\n";
	p = put_str(p, header, sizeof header - 1);

	uint64_t kk = 0;         /* current family: a KK spans 1-6 rows */
	unsigned kk_left = 0, kk_member = 0;
	unsigned fprov = 0, fkab = 0, fkec = 0, fdesa = 0, frt = 0, frw = 0;
	unsigned fstreet = 0, fhouse = 0, fquoted = 0, falley = 0, fdesil = 1;
	unsigned fpkh = 0, fbpnt = 0;

	for (uint64_t r = 0; r < rows; r++) {
		if (p > buf + OBUFSZ - 4096) {
			write_all(fd, buf, (size_t)(p - buf));
			p = buf;
		}
		if (kk_left == 0) {
			/* A new family: region, address and No KK. */
			unsigned pi = prov_pick[below(prov_pick_n)];
			fprov = provs[pi].code;
			fkab = 1 + below(provs[pi].nkab);
			if (below(8) == 0)
				fkab = 71 + below(9);  /* a kota */
			fkec = 10 * (1 + below(25));
			fdesa = (below(6) == 0 ? 1000 : 2000) + 1 + below(20);
			frt = 1 + below(30);
			frw = 1 + below(12);
			fstreet = below(N(streets));
			fhouse = 1 + below(250);
			fquoted = below(100) < 8 ? 1 + below(20) : 0;
			falley = below(N(alleys));
			fdesil = 1 + below(10);
			fpkh = fdesil <= 3 && below(2);
			fbpnt = fdesil <= 4 && below(3) > 0;
			kk = (uint64_t)(fprov * 10000 + fkab * 100 + fkec / 10) *
			             UINT64_C(10000000000) +
			     (uint64_t)(1 + below(28)) * 100000000 +
			     (uint64_t)(1 + below(12)) * 1000000 +
			     (uint64_t)(5 + below(20)) * 10000 + 1 + below(9999);
			kk = kk % UINT64_C(10000000000000000);
			kk_left = 1 + below(6);
			kk_member = 0;
		}
		kk_left--;
		kk_member++;

		struct person ps;
		struct person *pp = &ps;
		if (r > NRECENT && below(100) == 0) {
			pp = &recent[below(NRECENT)];  /* registered twice */
		} else {
			ps.female = kk_member == 2 ? 1 : below(2);
			/* NIK region: mostly where the family lives now. */
			if (below(5)) {
				ps.prov = fprov;
				ps.kab = fkab;
				ps.kec = fkec / 10;
			} else {
				unsigned pi = prov_pick[below(prov_pick_n)];
				ps.prov = provs[pi].code;
				ps.kab = 1 + below(provs[pi].nkab);
				ps.kec = 1 + below(25);
			}
			ps.year = kk_member <= 2 ? 1945 + below(60) : 1980 + below(44);
			ps.month = 1 + below(12);
			ps.day = 1 + below(mdays[ps.month]);
			ps.nik = (uint64_t)(ps.prov * 10000 + ps.kab * 100 + ps.kec) *
			                 UINT64_C(10000000000) +
			         (uint64_t)(ps.day + (ps.female ? 40 : 0)) * 100000000 +
			         (uint64_t)ps.month * 1000000 +
			         (uint64_t)(ps.year % 100) * 10000 + 1 + below(9999);
			ps.kk = kk;
			ps.desa = fdesa;
			ps.first = ps.female ? below(N(female_names))
			                     : below(N(male_names));
			ps.last = below(N(last_names));
			ps.place = below(N(places));
			recent[r % NRECENT] = ps;
		}

		/* IDARTBDT: 15 digits, increasing. */
		p = put_digits(p, (uint64_t)fprov * UINT64_C(10000000000000) +
		                      r + 1, 15);
		*p++ = ';';
		if (below(200) != 0)
			p = put_digits(p, pp->nik, 16);
		*p++ = ';';
		p = put_digits(p, pp->kk, 16);
		*p++ = ';';
		if (pp->female)
			p = put_str(p, female_names[pp->first], lens_female[pp->first]);
		else
			p = put_str(p, male_names[pp->first], lens_male[pp->first]);
		if (lens_last[pp->last]) {
			*p++ = ' ';
			p = put_str(p, last_names[pp->last], lens_last[pp->last]);
		}
		*p++ = ';';
		*p++ = pp->female ? 'P' : 'L';
		*p++ = ';';
		p = put_str(p, places[pp->place], lens_places[pp->place]);
		*p++ = ';';
		p = put_digits(p, pp->day, 2);
		*p++ = '-';
		p = put_digits(p, pp->month, 2);
		*p++ = '-';
		p = put_digits(p, pp->year, 4);
		*p++ = ';';
		/* ALAMAT */
		if (fquoted) {
			*p++ = '"';
			p = put_str(p, streets[fstreet], lens_streets[fstreet]);
			p = put_str(p, " NO. ", 5);
			p = put_uint(p, fhouse);
			p = put_str(p, "; ", 2);
			if (fquoted == 1) {
				p = put_str(p, "GG. \"\"BERKAH\"\"", 14);
			} else {
				p = put_str(p, alleys[falley], lens_alleys[falley]);
			}
			p = put_str(p, "; RT ", 5);
			p = put_digits(p, frt, 3);
			*p++ = '"';
		} else {
			p = put_str(p, streets[fstreet], lens_streets[fstreet]);
			p = put_str(p, " NO. ", 5);
			p = put_uint(p, fhouse);
			p = put_str(p, " RT ", 4);
			p = put_digits(p, frt, 3);
			p = put_str(p, " RW ", 4);
			p = put_digits(p, frw, 3);
		}
		*p++ = ';';
		p = put_digits(p, frt, 3);
		*p++ = ';';
		p = put_digits(p, frw, 3);
		*p++ = ';';
		p = put_digits(p, fprov, 2);
		*p++ = ';';
		p = put_digits(p, fkab, 2);
		*p++ = ';';
		p = put_digits(p, fkec / 10, 2);  /* Kemendagri: 2 digits */
		*p++ = ';';
		p = put_digits(p, fdesa, 4);
		*p++ = ';';
		/* HUB_KRT: 1 head, 2 spouse, 3 child, ... */
		*p++ = (char)('0' + (kk_member <= 2 ? kk_member : 3 + below(2)));
		*p++ = ';';
		{
			unsigned m = (unsigned)((pp->nik >> 3) % N(female_names));
			unsigned l = (unsigned)((pp->nik >> 9) % N(last_names));
			p = put_str(p, female_names[m], lens_female[m]);
			if (lens_last[l]) {
				*p++ = ' ';
				p = put_str(p, last_names[l], lens_last[l]);
			}
		}
		*p++ = ';';
		/* STA_KAWIN: 1 single, 2 married, 3 divorced, 4 widowed */
		*p++ = (char)('0' + (kk_member <= 2 ? 2 + (below(8) == 0) * 2
		                                    : 1 + (below(4) == 0)));
		*p++ = ';';
		*p++ = (char)('0' + fpkh);
		*p++ = ';';
		*p++ = (char)('0' + fbpnt);
		*p++ = ';';
		p = put_uint(p, fdesil);
		*p++ = '\n';
	}
	write_all(fd, buf, (size_t)(p - buf));
	if (fd != STDOUT_FILENO && close(fd) != 0) {
		perror(out);
		return 1;
	}
	free(buf);
	return 0;
}
