/*
 * gen-fixtures.c - deterministic test-fixture generator for angka.
 *
 * Usage:  gen-fixtures REFDIR OUTDIR
 *   REFDIR holds wilayah_kalsel_balangan.csv, penduduk_balangan.csv and
 *   bps_kemiskinan_terbitan.csv (real reference data).  Every fixture below is
 *   written under OUTDIR (subdirectories are created).  Output is byte-identical
 *   on every run: own PRNG (splitmix64, one fixed seed per file), no time(), no
 *   locale, numbers printed from integers (KAPITA, WERT are integer cents).
 *   Defect counts and achieved poverty indices are printed to stderr.
 *
 * FILES
 *  dtks/dtks_balangan_2024.csv
 *    Synthetic DTKS person extract for Kab. Balangan (63.11), ~3,500 households
 *    (No KK) over the 157 real desa/kelurahan, ~12,000 rows.  UTF-8 with BOM,
 *    ';' delimiter, CRLF, one header line:
 *    IDARTBDT;NIK;NO_KK;NAMA;JNS_KEL;TMP_LAHIR;TGL_LAHIR;ALAMAT;RT;RW;KDPROP;
 *    KDKAB;KDKEC;KDDESA;NAMA_KEC;NAMA_DESA;HUB_KRT;PKH;BPNT;PBI;KIP;DESIL;TGL_UPDATE
 *    Clean form: NIK = 63 11 0k DDMMYY SSSS (+40 on day for women; k = a Balangan
 *    kecamatan, 85% the one of residence), NO_KK = 63110k DDMMYY SSSS, JNS_KEL
 *    L/P, TGL_LAHIR DD/MM/YYYY, KDKEC 01..08, KDDESA 4 digits, NAMA_KEC and
 *    NAMA_DESA upper case, HUB_KRT 1 head 2 spouse 3 child 5 grandchild
 *    6 parent, flags 0/1, DESIL 1-4, TGL_UPDATE YYYY-MM-DD in 2023-2024.
 *    Defects (code used in the truth file; rate = per base record unless said):
 *     exact_dup       ~2%    byte-identical copy of a row, placed later in file
 *     name_variant    5 rows one NIK (MUHAMMAD ..) again as MUHAMAD/MOHAMMAD/
 *                            MOHAMAD, one (NOR ..) again as NUR/NOOR
 *     nik_typo        ~1%    extra row of the same person, one NIK digit changed
 *     nik_swap        ~0.3%  extra row of the same person, two adjacent NIK
 *                            digits swapped
 *     newer_update    ~0.5%  extra row of the same person, new IDARTBDT, later
 *                            TGL_UPDATE, different ALAMAT (" NO. n") and RT
 *     nik_excel_sci   ~0.5%  NIK shown as 6.31104E+15 (Excel General format)
 *     nik_excel_trunc ~0.5%  16th NIK digit replaced by 0 (true digit was not 0)
 *     nik_missing     ~1%    NIK empty
 *     nik_punct       ~0.1%  NIK with leading apostrophe, dots or spaces
 *     date_swap       ~1%    TGL_LAHIR as MM/DD/YYYY (only day<=12, day!=month)
 *     date_format     ~1.2%  TGL_LAHIR as YYYY-MM-DD, "12 Agustus 1980" or an
 *                            Excel serial day number (1900 system, e.g. 29456)
 *     sex_label       ~2%    JNS_KEL as LAKI-LAKI/PEREMPUAN, 1/2 or l/p
 *     name_title      ~1.2%  H./HJ./Hj./DRS. prefix or ", S.Pd"/", S.E." suffix
 *     name_spaces     ~1%    doubled inner space, leading/trailing spaces
 *     region_by_name  ~3% of households: KDKEC and KDDESA empty, names only, in
 *                            Title/lower/UPPER case; includes Galumbang of both
 *                            Juai (01) and Paringin Selatan (07) and Ju'uh (as
 *                            Ju'uh / JUUH)
 *     cp1252          5 rows NAMA in Windows-1252 (e.g. 0xE9 for e-acute); the
 *                            rest of the file is valid UTF-8
 *     addr_newline    1 row  ALAMAT "JL. A. YANI KM. 3<CR><LF>RT 03" quoted; the
 *                            record occupies two physical lines
 *     addr_delim      6 rows ALAMAT quoted and containing ';'
 *    Defects of a base row may combine (NIK defects are mutually exclusive,
 *    date defects too); an exact_dup copies the defects of its original.
 *    After the base rows: the adversarial situations for dedup (truth column
 *    situasi; see build_adversarial() and fixtures/README.md), from a seed of
 *    their own, new persons and households only, so that the rows before
 *    them and the KUBE/UEP files stay as they were.
 *  dtks/dtks_balangan_2023.csv
 *    The previous year's extract in the same format: the movers' 2023 rows
 *    and 250 base persons (situasi two_periods).
 *  dtks/dtks_balangan_2024.truth.csv, dtks/dtks_balangan_2023.truth.csv
 *    UTF-8, ',', LF.  One row per data record of the extract, same order:
 *    src_line,person_id,household_id,true_nik,true_nama,true_jenis_kelamin,
 *    true_tgl_lahir,true_kode_desa,defects,situasi
 *    src_line = physical line (1-based, header = 1) where the record starts.
 *  susenas/susenas_balangan_YYYY.csv, YYYY = 2015..2024
 *    URUT,R101,R102,R103,R105,PSU,STRATA,R301,WERT,KAPITA; 600 households in
 *    60 PSUs (10 each), PSU = 6311 + R103 + 3-digit serial (unique over all
 *    years: independent samples), STRATA 1 urban-high 2 urban-low 3 rural-high
 *    4 rural-low (6/6/24/24 PSUs).  sum(WERT*R301) equals the interpolated
 *    population exactly (WERT in cents).  KAPITA log-normal, calibrated so P0
 *    hits a target (published where known) and P2 the published P2 where known.
 *    2019 uses ';' and decimal commas; the others ',' and decimal points. LF.
 *  garis_kemiskinan/garis_kemiskinan_balangan.csv
 *    kode_wilayah,periode,garis_kemiskinan; DERIVED (not published) lines:
 *    0.96 x Kalsel March line, Kalsel missing years log-linearly interpolated,
 *    2015 extrapolated with the 2016->2017 growth.
 *  terbitan/terbitan_balangan.csv
 *    BPS-style export: title row, empty row, ';' header, rows 2019-2024 with the
 *    published Balangan values only (decimal comma; empty where unpublished),
 *    footnote rows.  UTF-8, LF.
 *  kube/kube_balangan_2024.csv, uep/uep_balangan_2022.csv, uep/uep_balangan_2024.csv
 *    ';', CRLF, UTF-8 without BOM.  Programme violations (exactly these):
 *    one KUBE group of 8 members; one person in two KUBE groups; one UEP 2024
 *    recipient not in DTKS; one KUBE group spread over two kecamatan; one UEP
 *    2024 recipient who also received UEP in 2022.
 *  penduduk/penduduk_balangan.csv, wilayah/wilayah_kalsel_balangan.csv
 *    byte copies of the reference files.
 *  sae/sae_truth_balangan_2024.csv, sae/susenas_sae_balangan_2024.csv
 *    A population with known kecamatan and desa poverty (desa P0 partly
 *    explained by the DTKS desil 1-2 share) and 10 SUSENAS-like samples of it
 *    (REPLIKASI), for small-area estimation; see write_sae().  ',', LF.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ util */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen-fixtures: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

typedef struct {
    FILE *f;
    char path[1024];
} Out;

static const char *g_outdir;

static void mkdirp(const char *p)
{
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        die("cannot create directory %s: %s", p, strerror(errno));
}

static Out oopen(const char *rel)
{
    Out o;
    int n = snprintf(o.path, sizeof o.path, "%s/%s", g_outdir, rel);
    if (n < 0 || (size_t)n >= sizeof o.path)
        die("path too long: %s/%s", g_outdir, rel);
    o.f = fopen(o.path, "wb");
    if (!o.f)
        die("cannot open %s for writing: %s", o.path, strerror(errno));
    return o;
}

static void oclose(Out *o)
{
    if (ferror(o->f))
        die("write error on %s", o->path);
    if (fclose(o->f) != 0)
        die("cannot close %s: %s", o->path, strerror(errno));
    o->f = NULL;
}

static void owrite(Out *o, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, o->f) != n)
        die("write error on %s", o->path);
}

static void oputs(Out *o, const char *s) { owrite(o, s, strlen(s)); }

static void oprintf(Out *o, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        die("line too long for %s", o->path);
    owrite(o, buf, (size_t)n);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s: %s", path, strerror(errno));
    size_t cap = 65536, n = 0;
    char *b = malloc(cap + 1);
    if (!b)
        die("out of memory");
    for (;;) {
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (n < cap) {
            if (ferror(f))
                die("read error on %s", path);
            break;
        }
        cap *= 2;
        b = realloc(b, cap + 1);
        if (!b)
            die("out of memory");
    }
    if (fclose(f) != 0)
        die("cannot close %s", path);
    b[n] = 0;
    *len = n;
    return b;
}

static void copy_file(const char *refdir, const char *name, const char *rel)
{
    char p[1024];
    size_t n;
    snprintf(p, sizeof p, "%s/%s", refdir, name);
    char *b = read_file(p, &n);
    Out o = oopen(rel);
    owrite(&o, b, n);
    oclose(&o);
    free(b);
}

/* split s in place on c; returns number of fields */
static int split(char *s, char c, char **fld, int max)
{
    int n = 0;
    fld[n++] = s;
    for (char *p = s; *p; p++) {
        if (*p == c) {
            *p = 0;
            if (n < max)
                fld[n++] = p + 1;
        }
    }
    return n;
}

static void upcase(char *d, const char *s, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        d[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
    d[i] = 0;
}

static void lowcase(char *d, const char *s, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        d[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    d[i] = 0;
}

static void cpy(char *d, const char *s, size_t cap)
{
    size_t n = strlen(s);
    if (n >= cap)
        die("internal: field too long: %s", s);
    memcpy(d, s, n + 1);
}

/* format exactly 16 characters into d[17] */
static void fmt16(char *d, const char *fmt, ...)
{
    char b[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    if (n != 16)
        die("internal: 16-digit number has %d characters: %s", n, b);
    memcpy(d, b, 17);
}

/* ------------------------------------------------------------------ PRNG */

static uint64_t g_rs;
static void rseed(uint64_t s) { g_rs = s; }
static uint64_t rnext(void)
{
    uint64_t z = (g_rs += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static int rint_n(int n) { return (int)(rnext() % (uint64_t)n); }
static int rrange(int lo, int hi) { return lo + rint_n(hi - lo + 1); }
static double runif(void) { return (double)(rnext() >> 11) * (1.0 / 9007199254740992.0); }
static int rprob(double p) { return runif() < p; }
static double rnorm(void)
{
    double u1 = 1.0 - runif(); /* (0,1] */
    double u2 = runif();
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ------------------------------------------------------------------ dates */

static long dfc(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void cfd(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long dd = doy - (153 * mp + 2) / 5 + 1;
    long mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

static const char *BULAN[12] = {"Januari", "Februari", "Maret", "April", "Mei", "Juni",
                                "Juli", "Agustus", "September", "Oktober", "November", "Desember"};

/* ------------------------------------------------------------------ reference data */

#define NKEC 8
#define MAXDESA 200

typedef struct {
    char name[48];
    char upper[48];
    int pop2010;
    int ndesa;
    int desa[40];
} Kec;

typedef struct {
    char code[11]; /* 10 digits */
    char name[48];
    char upper[48];
    int kec; /* 1..8 */
} Desa;

static Kec g_kec[NKEC + 1];
static Desa g_desa[MAXDESA];
static int g_ndesa;
static long g_pop2010, g_pop2019, g_pop2024;

typedef struct {
    char kode[16], periode[16], p0[16], jml[16], p1[16], p2[16], gk[16];
} Pub;
static Pub g_pub[100];
static int g_npub;

static void load_ref(const char *refdir)
{
    char p[1024];
    size_t n;
    char *fld[16];

    snprintf(p, sizeof p, "%s/wilayah_kalsel_balangan.csv", refdir);
    char *b = read_file(p, &n);
    char *save = b;
    for (char *line = strtok(b, "\n"); line; line = strtok(NULL, "\n")) {
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[l - 1] = 0;
        if (split(line, ',', fld, 16) < 4)
            continue;
        if (!strcmp(fld[1], "kecamatan") && !strncmp(fld[0], "63.11.", 6)) {
            int k = atoi(fld[0] + 6);
            if (k < 1 || k > NKEC)
                die("unexpected kecamatan %s", fld[0]);
            cpy(g_kec[k].name, fld[2], sizeof g_kec[k].name);
            upcase(g_kec[k].upper, fld[2], sizeof g_kec[k].upper);
        } else if ((!strcmp(fld[1], "desa") || !strcmp(fld[1], "kelurahan")) &&
                   !strncmp(fld[3], "63.11.", 6)) {
            if (g_ndesa >= MAXDESA)
                die("too many desa");
            Desa *d = &g_desa[g_ndesa];
            int j = 0;
            for (const char *c = fld[0]; *c && j < 10; c++)
                if (*c >= '0' && *c <= '9')
                    d->code[j++] = *c;
            d->code[j] = 0;
            if (j != 10)
                die("bad desa code %s", fld[0]);
            cpy(d->name, fld[2], sizeof d->name);
            upcase(d->upper, fld[2], sizeof d->upper);
            d->kec = atoi(fld[3] + 6);
            if (d->kec < 1 || d->kec > NKEC)
                die("bad desa parent %s", fld[3]);
            Kec *k = &g_kec[d->kec];
            if (k->ndesa >= 40)
                die("too many desa in kecamatan");
            k->desa[k->ndesa++] = g_ndesa;
            g_ndesa++;
        }
    }
    free(save);
    if (g_ndesa != 157)
        die("expected 157 desa in Balangan, found %d", g_ndesa);
    for (int k = 1; k <= NKEC; k++)
        if (!g_kec[k].name[0] || !g_kec[k].ndesa)
            die("kecamatan %d missing", k);

    snprintf(p, sizeof p, "%s/penduduk_balangan.csv", refdir);
    b = read_file(p, &n);
    save = b;
    for (char *line = strtok(b, "\n"); line; line = strtok(NULL, "\n")) {
        if (split(line, ',', fld, 16) < 5)
            continue;
        long pop = atol(fld[3]);
        int th = atoi(fld[2]);
        if (!strncmp(fld[0], "63.11.", 6) && th == 2010)
            g_kec[atoi(fld[0] + 6)].pop2010 = (int)pop;
        else if (!strcmp(fld[0], "63.11")) {
            if (th == 2010)
                g_pop2010 = pop;
            else if (th == 2019)
                g_pop2019 = pop;
            else if (th == 2024 && !g_pop2024 && !strncmp(fld[4], "BPS", 3))
                g_pop2024 = pop;
        }
    }
    free(save);
    if (!g_pop2010 || !g_pop2019 || !g_pop2024)
        die("population totals 2010/2019/2024 missing in penduduk_balangan.csv");
    for (int k = 1; k <= NKEC; k++)
        if (!g_kec[k].pop2010)
            die("kecamatan population 2010 missing");

    snprintf(p, sizeof p, "%s/bps_kemiskinan_terbitan.csv", refdir);
    b = read_file(p, &n);
    save = b;
    int first = 1;
    for (char *line = strtok(b, "\n"); line; line = strtok(NULL, "\n")) {
        if (first) {
            first = 0;
            continue;
        }
        /* split keeps empty fields */
        if (split(line, ',', fld, 16) < 8 || g_npub >= 100)
            continue;
        Pub *q = &g_pub[g_npub++];
        cpy(q->kode, fld[0], sizeof q->kode);
        cpy(q->periode, fld[2], sizeof q->periode);
        cpy(q->p0, fld[3], sizeof q->p0);
        cpy(q->jml, fld[4], sizeof q->jml);
        cpy(q->p1, fld[5], sizeof q->p1);
        cpy(q->p2, fld[6], sizeof q->p2);
        cpy(q->gk, fld[7], sizeof q->gk);
    }
    free(save);
}

static const Pub *find_pub(const char *kode, int year)
{
    char per[16];
    snprintf(per, sizeof per, "%d-03", year);
    for (int i = 0; i < g_npub; i++)
        if (!strcmp(g_pub[i].kode, kode) && !strcmp(g_pub[i].periode, per))
            return &g_pub[i];
    return NULL;
}

/* ------------------------------------------------------------------ poverty lines */

#define Y0 2015
#define NY 10
#define GK_FACTOR 0.96
static long g_gk[NY];

static void derive_gk(void)
{
    int ky[NY];
    double kv[NY];
    int nk = 0;
    for (int y = 2010; y <= 2024; y++) {
        const Pub *q = find_pub("63", y);
        if (q && q->gk[0]) {
            ky[nk] = y;
            kv[nk] = atof(q->gk);
            nk++;
            if (nk == NY)
                break;
        }
    }
    if (nk < 2 || ky[nk - 1] != 2024)
        die("need Kalsel March poverty lines incl. 2024 in the terbitan file");
    for (int y = Y0; y < Y0 + NY; y++) {
        double v;
        int i = 0;
        while (i < nk && ky[i] < y)
            i++;
        if (i < nk && ky[i] == y)
            v = kv[i];
        else if (i == 0)
            v = kv[0] * pow(kv[0] / kv[1], (double)(ky[0] - y) / (ky[1] - ky[0]));
        else
            v = kv[i - 1] * pow(kv[i] / kv[i - 1], (double)(y - ky[i - 1]) / (ky[i] - ky[i - 1]));
        g_gk[y - Y0] = (long)floor(GK_FACTOR * v + 0.5);
    }
}

/* ------------------------------------------------------------------ DTKS model */

enum {
    D_EXACT_DUP, D_NAME_VARIANT, D_NIK_TYPO, D_NIK_SWAP, D_NIK_SCI, D_NIK_TRUNC,
    D_DATE_SWAP, D_DATE_FORMAT, D_SEX_LABEL, D_NAME_TITLE, D_NAME_SPACES,
    D_NIK_MISSING, D_REGION_NAME, D_NIK_PUNCT, D_CP1252, D_ADDR_NEWLINE,
    D_ADDR_DELIM, D_NEWER_UPDATE, D_NIK_WRONG, D_NIK_FLOAT, D_KK_FLOAT, D_KK_MISSING,
    D_DATE_PLACEHOLDER, D_NAME_PLACEHOLDER, ND
};
static const char *DCODE[ND] = {
    "exact_dup", "name_variant", "nik_typo", "nik_swap", "nik_excel_sci", "nik_excel_trunc",
    "date_swap", "date_format", "sex_label", "name_title", "name_spaces",
    "nik_missing", "region_by_name", "nik_punct", "cp1252", "addr_newline",
    "addr_delim", "newer_update", "nik_wrong", "nik_float", "kk_float", "kk_missing",
    "date_placeholder", "name_placeholder"};
static int g_dcount[ND];

/* Adversarial situations for dedup (truth column situasi), appended after
   the rows above: see build_adversarial(). */
enum {
    S_NIK_SHARED, S_NIK_PLACEHOLDER, S_KK_AS_NIK, S_CHAIN, S_TWINS, S_NAMESAKE,
    S_NAME_FORM, S_MOVER, S_FLOAT_ID, S_DATE_PLACEHOLDER, S_TWO_PERIODS, NS
};
static const char *SCODE[NS] = {
    "nik_shared", "nik_placeholder", "kk_as_nik", "chain", "twins", "namesake",
    "name_form", "mover", "float_id", "date_placeholder", "two_periods"};

typedef struct {
    int desa;
    char nokk[17];
    char alamat[64];
    int rt, rw, desil;
    long upd;
    int pkh, bpnt, pbi;
    int byname; /* 0 none, 1 Title, 2 lower, 3 UPPER */
    int first, n;
} HH;

typedef struct {
    int hh, hub, male, age;
    int by, bm, bd;
    char nama[64];  /* true name (UTF-8) */
    char raw[64];   /* bytes written when cp1252 */
    char first[24]; /* first name token */
    char nik[17];
    char tmp[48];
    int kip;
    int special;    /* excluded from random defects/extras */
    int clean;      /* base row has no defect at all */
    int nikok;      /* base row carries the true NIK */
} Person;

#define NF 23
#define FL 96
typedef struct {
    char f[NF][FL];
    int person;
    unsigned defects;
    long key;
    int seq;
    int nlines;
    int hh;       /* household of this row (a mover's differs by year) */
    unsigned situ; /* S_* bits */
    int y2023;    /* row of the 2023 extract */
} Rec;

#define MAXHH 4000
#define MAXP 16000
#define MAXR 17000
static HH g_hh[MAXHH];
static int g_nhh;
static Person g_p[MAXP];
static int g_np;
static int g_np_base; /* persons of the base population (KUBE/UEP draw from these) */
static Rec *g_r;
static int g_nr;

/* NIK set (open addressing) */
#define NSET (1 << 16)
static uint64_t g_nikset[NSET];
static int nik_has(uint64_t v)
{
    uint64_t h = (v * 0x9E3779B97F4A7C15ULL) >> 48;
    while (g_nikset[h]) {
        if (g_nikset[h] == v)
            return 1;
        h = (h + 1) & (NSET - 1);
    }
    return 0;
}
static void nik_add(uint64_t v)
{
    uint64_t h = (v * 0x9E3779B97F4A7C15ULL) >> 48;
    while (g_nikset[h]) {
        if (g_nikset[h] == v)
            return;
        h = (h + 1) & (NSET - 1);
    }
    g_nikset[h] = v;
}
static uint64_t nikval(const char *s) { return strtoull(s, NULL, 10); }

static const char *M_FIRST[] = {"MUHAMMAD", "AHMAD", "ABDUL", "RAHMAT", "SYAHRIL", "MASRANI", "ARBAIN",
                                "SAMSUL", "RUSDI", "HASAN", "HUSIN", "JUNAIDI", "ALI", "ANANG", "IRWAN",
                                "FAHRUL", "RIDUAN", "ZAINAL", "SUPIAN", "MISRANI", "RAHMADI", "HAMDANI",
                                "NORDIN", "SALMAN", "ILHAM", "RIZKY", "HERI", "AGUS", "BAHRUDIN",
                                "SAPRUDIN", "ARSYAD", "IBNU", "YUSUF", "MAHLIANSYAH", "JAMHURI"};
static const char *M_SECOND[] = {"RAHMAN", "HIDAYAT", "FAUZI", "RIDUAN", "ANSHARI", "ARIFIN",
                                 "SYARIFUDDIN", "HAMDI", "NOOR", "FADILLAH", "RIZALI", "MAULANA",
                                 "HAKIM", "SAPUTRA", "RAMADHAN", "FIRDAUS", "WAHYUDI", "GAZALI",
                                 "ASNAWI", "YAMANI", "SIDIK", "SALEH", "RAFI", "IRFANI"};
static const char *F_FIRST[] = {"SITI", "NOR", "NURUL", "DEWI", "FITRIANI", "JUMIATI", "MASLIANI",
                                "HALIMAH", "RAHMAH", "ARBAIYAH", "SALMAH", "MAHMUDAH", "NORHAYATI",
                                "RUSMINAH", "AISYAH", "FATIMAH", "RINA", "YULIANTI", "MASRIAH",
                                "NORLIANA", "MARDIANA", "SAPIAH", "HAMIDAH", "RUSNAWATI", "JUWITA"};
static const char *F_SECOND[] = {"AMINAH", "HALIMAH", "RAHMAH", "KHADIJAH", "ZAHRA", "AULIA",
                                 "HASANAH", "MULYANI", "LESTARI", "SARI", "RAHMAWATI", "FITRIA",
                                 "NORJANAH", "MAULIDA", "JANNAH", "SAFITRI", "WAHYUNI", "ROSITA"};
#define NEL(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void make_name(char *out, size_t cap, int male, char *first)
{
    const char *f, *s = NULL;
    if (male) {
        f = M_FIRST[rint_n(NEL(M_FIRST))];
        if (rint_n(4) || !strcmp(f, "MUHAMMAD") || !strcmp(f, "AHMAD") || !strcmp(f, "ABDUL"))
            s = M_SECOND[rint_n(NEL(M_SECOND))];
    } else {
        f = F_FIRST[rint_n(NEL(F_FIRST))];
        if (!strcmp(f, "SITI") || !strcmp(f, "NOR") || !strcmp(f, "NURUL") || !strcmp(f, "DEWI") ||
            rint_n(5) < 2)
            s = F_SECOND[rint_n(NEL(F_SECOND))];
    }
    if (s && !strcmp(f, s))
        s = NULL;
    if (s)
        snprintf(out, cap, "%s %s", f, s);
    else
        snprintf(out, cap, "%s", f);
    snprintf(first, 24, "%s", f);
}

static const char *STREETS[] = {"PANGERAN ANTASARI", "A. YANI", "BASUKI RAHMAT", "BRIGJEN H. HASAN BASRY",
                                "TUMENGGUNG JALIL", "PERINTIS KEMERDEKAAN", "MERDEKA", "KAMBOJA",
                                "BALANGAN RAYA", "PUSAKA", "MANUNGGAL", "SEPAKAT", "NEGARA DIPA"};
static const char *GANG[] = {"MAWAR", "MELATI", "KENANGA", "ANGGREK", "SAWO", "RAMBUTAN", "KARYA",
                             "HIDAYAH", "BERSAMA", "HARAPAN"};
static const char *DUSUN[] = {"DUSUN I", "DUSUN II", "DUSUN III", "DUSUN IV", "DUSUN HULU",
                              "DUSUN HILIR", "KAMPUNG BARU", "KAMPUNG TENGAH"};
static const char *TMPX[] = {"BALANGAN", "AMUNTAI", "BARABAI", "TANJUNG", "BANJARMASIN", "KANDANGAN",
                             "PARINGIN"};

static int pick_kec(void)
{
    int r = rint_n((int)g_pop2010), acc = 0;
    for (int k = 1; k <= NKEC; k++) {
        acc += g_kec[k].pop2010;
        if (r < acc)
            return k;
    }
    return NKEC;
}

static void set_birth(Person *p, int age)
{
    /* reference date 2024-06-30: birthday within the 12 months before */
    long ref = dfc(2024, 6, 30);
    long hi = dfc(2024 - age, 6, 30), lo = dfc(2024 - age - 1, 7, 1);
    (void)ref;
    long z = lo + rint_n((int)(hi - lo + 1));
    cfd(z, &p->by, &p->bm, &p->bd);
    p->age = age;
}

static void make_nik(Person *p, int hkec)
{
    int cc = rprob(0.85) ? hkec : rrange(1, NKEC);
    for (;;) {
        int ser = rrange(1, 9999);
        fmt16(p->nik, "63110%d%02d%02d%02d%04d", cc, p->bd + (p->male ? 0 : 40), p->bm, p->by % 100, ser);
        uint64_t v = nikval(p->nik);
        if (!nik_has(v)) {
            nik_add(v);
            return;
        }
    }
}

static int add_person(int hh, int hub, int male, int age)
{
    if (g_np >= MAXP)
        die("too many persons");
    Person *p = &g_p[g_np];
    memset(p, 0, sizeof *p);
    p->hh = hh;
    p->hub = hub;
    p->male = male;
    if (age > 95)
        age = 95;
    if (age < 0)
        age = 0;
    set_birth(p, age);
    make_name(p->nama, sizeof p->nama, male, p->first);
    cpy(p->raw, p->nama, sizeof p->raw);
    int hk = g_desa[g_hh[hh].desa].kec;
    make_nik(p, hk);
    int r = rint_n(10);
    if (r < 6)
        snprintf(p->tmp, sizeof p->tmp, "%s", g_kec[hk].upper);
    else
        snprintf(p->tmp, sizeof p->tmp, "%s", TMPX[rint_n(NEL(TMPX))]);
    return g_np++;
}

static void build_population(void)
{
    rseed(0x616E676B61445453ULL); /* "angkaDTS" */
    static const int sizecum[7] = {12, 32, 56, 78, 91, 97, 100};
    int target_hh = 3500;
    for (int h = 0; h < target_hh; h++) {
        HH *x = &g_hh[g_nhh];
        memset(x, 0, sizeof *x);
        int k = pick_kec();
        x->desa = g_kec[k].desa[rint_n(g_kec[k].ndesa)];
        int iy, im, id;
        cfd(dfc(2010, 1, 1) + rint_n((int)(dfc(2023, 12, 31) - dfc(2010, 1, 1))), &iy, &im, &id);
        fmt16(x->nokk, "63110%d%02d%02d%02d%04d", k, id, im, iy % 100, h + 1);
        int t = rint_n(10);
        if (t < 5)
            snprintf(x->alamat, sizeof x->alamat, "JL. %s", STREETS[rint_n(NEL(STREETS))]);
        else if (t < 8)
            snprintf(x->alamat, sizeof x->alamat, "GG. %s", GANG[rint_n(NEL(GANG))]);
        else
            snprintf(x->alamat, sizeof x->alamat, "%s", DUSUN[rint_n(NEL(DUSUN))]);
        x->rt = rrange(1, 15);
        x->rw = rrange(1, 4);
        x->desil = rrange(1, 4);
        x->upd = dfc(2023, 1, 1) + rint_n((int)(dfc(2024, 9, 30) - dfc(2023, 1, 1) + 1));
        x->pkh = rprob(x->desil <= 2 ? 0.45 : 0.15);
        x->bpnt = rprob(x->desil <= 2 ? 0.7 : 0.35);
        x->pbi = rprob(0.75);
        x->first = g_np;
        g_nhh++;

        int r = rint_n(100), size = 1;
        while (size < 7 && r >= sizecum[size - 1])
            size++;
        int head_male = rprob(size == 1 ? 0.55 : 0.87);
        int hage = size >= 4 ? rrange(28, 68) : rrange(22, 78);
        int hidx = add_person(g_nhh - 1, 1, head_male, hage);
        int left = size - 1, mother_age = head_male ? -1 : hage;
        if (left > 0 && head_male && rprob(0.92)) {
            int sage = hage - rrange(0, 8);
            if (sage < 19)
                sage = 19;
            add_person(g_nhh - 1, 2, 0, sage);
            mother_age = sage;
            left--;
        }
        if (mother_age < 0)
            mother_age = hage;
        if (left > 0 && rprob(0.08)) {
            int pm = rprob(0.3);
            add_person(g_nhh - 1, 6, pm, hage + rrange(20, 30));
            left--;
        }
        while (left > 0) {
            if (hage >= 50 && rprob(0.15)) {
                int cm = rprob(0.5);
                add_person(g_nhh - 1, 5, cm, rrange(0, 10));
            } else {
                int maxa = mother_age - 18;
                if (maxa > 28)
                    maxa = 28;
                if (maxa < 0)
                    maxa = 0;
                int cm = rprob(0.5);
                add_person(g_nhh - 1, 3, cm, rrange(0, maxa));
            }
            left--;
        }
        (void)hidx;
        x->n = g_np - x->first;
        for (int i = x->first; i < g_np; i++)
            g_p[i].kip = (g_p[i].hub == 3 && g_p[i].age >= 6 && g_p[i].age <= 21)
                             ? rprob(x->pkh ? 0.7 : 0.2)
                             : 0;
    }
}

static int g_idart = 0;

static void fill_rec(Rec *r, int pi)
{
    const Person *p = &g_p[pi];
    const HH *h = &g_hh[p->hh];
    const Desa *d = &g_desa[h->desa];
    memset(r, 0, sizeof *r);
    r->person = pi;
    r->hh = p->hh;
    r->nlines = 1;
    snprintf(r->f[0], FL, "%s%05d", d->code, ++g_idart);
    cpy(r->f[1], p->nik, FL);
    cpy(r->f[2], h->nokk, FL);
    cpy(r->f[3], p->raw, FL);
    cpy(r->f[4], p->male ? "L" : "P", FL);
    cpy(r->f[5], p->tmp, FL);
    snprintf(r->f[6], FL, "%02d/%02d/%04d", p->bd, p->bm, p->by);
    cpy(r->f[7], h->alamat, FL);
    snprintf(r->f[8], FL, "%03d", h->rt);
    snprintf(r->f[9], FL, "%03d", h->rw);
    cpy(r->f[10], "63", FL);
    cpy(r->f[11], "11", FL);
    snprintf(r->f[12], FL, "%02d", d->kec);
    cpy(r->f[13], d->code + 6, FL);
    cpy(r->f[14], g_kec[d->kec].upper, FL);
    cpy(r->f[15], d->upper, FL);
    snprintf(r->f[16], FL, "%d", p->hub);
    snprintf(r->f[17], FL, "%d", h->pkh);
    snprintf(r->f[18], FL, "%d", h->bpnt);
    snprintf(r->f[19], FL, "%d", h->pbi);
    snprintf(r->f[20], FL, "%d", p->kip);
    snprintf(r->f[21], FL, "%d", h->desil);
    int y, m, dd;
    cfd(h->upd, &y, &m, &dd);
    snprintf(r->f[22], FL, "%04d-%02d-%02d", y, m, dd);
    if (h->byname) {
        r->f[12][0] = 0;
        r->f[13][0] = 0;
        const char *kn = g_kec[d->kec].name, *dn = d->name;
        if (!strcmp(dn, "Ju'uh") && h->byname == 2)
            dn = "JUUH";
        if (h->byname == 1) {
            cpy(r->f[14], kn, FL);
            cpy(r->f[15], dn, FL);
        } else if (h->byname == 2) {
            lowcase(r->f[14], kn, FL);
            lowcase(r->f[15], dn, FL);
        } else {
            upcase(r->f[14], kn, FL);
            upcase(r->f[15], dn, FL);
        }
        r->defects |= 1u << D_REGION_NAME;
    }
}

static Rec *new_rec(void)
{
    if (g_nr >= MAXR)
        die("too many records");
    Rec *r = &g_r[g_nr];
    r->seq = g_nr;
    g_nr++;
    return r;
}

static void excel_sci(const char *nik, char *out, size_t cap)
{
    /* Excel "General" display of a 16-digit integer: 6 significant digits */
    long mant = 0;
    for (int i = 0; i < 6; i++)
        mant = mant * 10 + (nik[i] - '0');
    int ex = 15;
    if (nik[6] >= '5')
        mant++;
    if (mant >= 1000000) {
        mant /= 10;
        ex++;
    }
    char ds[32];
    snprintf(ds, sizeof ds, "%ld", mant);
    int l = 6;
    while (l > 1 && ds[l - 1] == '0')
        l--;
    ds[l] = 0;
    if (l == 1)
        snprintf(out, cap, "%cE+%d", ds[0], ex);
    else
        snprintf(out, cap, "%c.%sE+%d", ds[0], ds + 1, ex);
}

static int nik_mutant(const char *nik, char *out, int swap)
{
    for (int tries = 0; tries < 100; tries++) {
        memcpy(out, nik, 17);
        if (swap) {
            int i = rrange(6, 14);
            if (out[i] == out[i + 1])
                continue;
            char c = out[i];
            out[i] = out[i + 1];
            out[i + 1] = c;
        } else {
            int i = rrange(4, 15);
            char c;
            do
                c = (char)('0' + rint_n(10));
            while (c == out[i]);
            out[i] = c;
        }
        uint64_t v = nikval(out);
        if (!nik_has(v)) {
            nik_add(v);
            return 1;
        }
    }
    return 0;
}

static int has_word_space(const char *s) { return strchr(s, ' ') != NULL; }

static void build_records(void)
{
    rseed(0x616E676B61444546ULL); /* "angkaDEF" */
    g_r = calloc(MAXR, sizeof(Rec));
    if (!g_r)
        die("out of memory");

    /* region_by_name households: ~3%, forced: both Galumbang, Ju'uh */
    int forced_gal1 = 0, forced_gal7 = 0, forced_juuh = 0;
    for (int h = 0; h < g_nhh; h++) {
        const Desa *d = &g_desa[g_hh[h].desa];
        int force = 0;
        if (!strcmp(d->name, "Galumbang") && d->kec == 1 && forced_gal1 < 2)
            force = ++forced_gal1;
        else if (!strcmp(d->name, "Galumbang") && d->kec == 7 && forced_gal7 < 2)
            force = ++forced_gal7;
        else if (!strcmp(d->name, "Ju'uh") && forced_juuh < 2)
            force = ++forced_juuh;
        if (force || rprob(0.028))
            g_hh[h].byname = force ? (force == 1 ? 1 : 2) : rrange(1, 3);
    }

    /* special persons: cp1252 names (5), addr_newline (1), addr_delim (6),
       name_variant carriers (MUHAMMAD .., NOR ..) */
    static const char *CP_UTF8[5] = {"Andr\xC3\xA9 Saputra", "Ren\xC3\xA9 Hidayat", "Jos\xC3\xA9 Rahman",
                                     "Zo\xC3\xA9 Lestari", "Ren\303\251e Fitriani"};
    static const char *CP_1252[5] = {"Andr\xE9 Saputra", "Ren\xE9 Hidayat", "Jos\xE9 Rahman",
                                     "Zo\xE9 Lestari", "Ren\351e Fitriani"};
    static const int CP_MALE[5] = {1, 1, 1, 0, 0};
    int ncp = 0;
    for (int tries = 0; ncp < 5 && tries < 100000; tries++) {
        int i = rint_n(g_np);
        Person *p = &g_p[i];
        if (p->special || p->male != CP_MALE[ncp] || g_hh[p->hh].byname)
            continue;
        p->special = 1 << D_CP1252;
        cpy(p->nama, CP_UTF8[ncp], sizeof p->nama);
        cpy(p->raw, CP_1252[ncp], sizeof p->raw);
        ncp++;
    }
    int nl_person = -1;
    while (nl_person < 0) {
        int i = rint_n(g_np);
        if (!g_p[i].special && !g_hh[g_p[i].hh].byname) {
            nl_person = i;
            g_p[i].special = 1 << D_ADDR_NEWLINE;
        }
    }
    for (int n = 0; n < 6;) {
        int i = rint_n(g_np);
        if (!g_p[i].special) {
            g_p[i].special = 1 << D_ADDR_DELIM;
            n++;
        }
    }
    int nv_m = -1, nv_f = -1;
    for (int i = 0; i < g_np && (nv_m < 0 || nv_f < 0); i++) {
        Person *p = &g_p[i];
        if (p->special || g_hh[p->hh].byname || p->age < 18)
            continue;
        if (nv_m < 0 && !strcmp(p->first, "MUHAMMAD") && i > 1000) {
            nv_m = i;
            p->special = 1 << D_NAME_VARIANT;
        } else if (nv_f < 0 && !strcmp(p->first, "NOR") && i > 3000) {
            nv_f = i;
            p->special = 1 << D_NAME_VARIANT;
        }
    }
    if (nv_m < 0 || nv_f < 0)
        die("internal: no name-variant carriers");

    /* base records, one per person, with per-row defects */
    for (int i = 0; i < g_np; i++) {
        Person *p = &g_p[i];
        Rec *r = new_rec();
        fill_rec(r, i);
        r->key = (long)i * 64;
        p->nikok = 1;
        if (p->special == (1 << D_CP1252)) {
            r->defects |= 1u << D_CP1252;
        } else if (p->special == (1 << D_ADDR_NEWLINE)) {
            snprintf(r->f[7], FL, "\"JL. A. YANI KM. 3\r\nRT 03\"");
            r->nlines = 2;
            r->defects |= 1u << D_ADDR_NEWLINE;
        } else if (p->special == (1 << D_ADDR_DELIM)) {
            static const char *AD[3] = {"\"JL. MANUNGGAL; GG. SEPAKAT NO. 4\"",
                                        "\"DUSUN II; RT 05 (BELAKANG MASJID)\"",
                                        "\"GG. MAWAR; DEKAT SDN 1\""};
            snprintf(r->f[7], FL, "%s", AD[rint_n(3)]);
            r->defects |= 1u << D_ADDR_DELIM;
        } else if (!p->special) {
            /* NIK defects (exclusive) */
            double u = runif();
            if (u < 0.010) {
                r->f[1][0] = 0;
                r->defects |= 1u << D_NIK_MISSING;
            } else if (u < 0.015) {
                excel_sci(p->nik, r->f[1], FL);
                r->defects |= 1u << D_NIK_SCI;
            } else if (u < 0.020 && p->nik[15] != '0') {
                r->f[1][15] = '0';
                r->defects |= 1u << D_NIK_TRUNC;
            } else if (u >= 0.020 && u < 0.021) {
                int t = rint_n(3);
                if (t == 0)
                    snprintf(r->f[1], FL, "'%s", p->nik);
                else if (t == 1)
                    snprintf(r->f[1], FL, "%.2s.%.2s.%.2s.%.6s.%.4s", p->nik, p->nik + 2, p->nik + 4,
                             p->nik + 6, p->nik + 12);
                else
                    snprintf(r->f[1], FL, "%.4s %.4s %.4s %.4s", p->nik, p->nik + 4, p->nik + 8,
                             p->nik + 12);
                r->defects |= 1u << D_NIK_PUNCT;
            }
            if (r->defects & ((1u << D_NIK_MISSING) | (1u << D_NIK_SCI) | (1u << D_NIK_TRUNC)))
                p->nikok = 0;
            /* date defects (exclusive) */
            int elig = p->bd <= 12 && p->bd != p->bm;
            if (elig && rprob(0.028)) {
                snprintf(r->f[6], FL, "%02d/%02d/%04d", p->bm, p->bd, p->by);
                r->defects |= 1u << D_DATE_SWAP;
            } else if (rprob(0.012)) {
                int t = rint_n(3);
                if (t == 0)
                    snprintf(r->f[6], FL, "%04d-%02d-%02d", p->by, p->bm, p->bd);
                else if (t == 1)
                    snprintf(r->f[6], FL, "%d %s %04d", p->bd, BULAN[p->bm - 1], p->by);
                else
                    snprintf(r->f[6], FL, "%ld", dfc(p->by, p->bm, p->bd) - dfc(1899, 12, 30));
                r->defects |= 1u << D_DATE_FORMAT;
            }
            if (rprob(0.02)) {
                static const char *ML[3] = {"LAKI-LAKI", "1", "l"}, *FLB[3] = {"PEREMPUAN", "2", "p"};
                int t = rint_n(3);
                cpy(r->f[4], p->male ? ML[t] : FLB[t], FL);
                r->defects |= 1u << D_SEX_LABEL;
            }
            int title = rprob(0.012), spaces = rprob(0.01);
            if (title) {
                char b[FL];
                int t = rint_n(3);
                if (p->age >= 40 && t < 2)
                    snprintf(b, FL, "%s%s", p->male ? (t ? "DRS. " : "H. ") : (t ? "HJ. " : "Hj."), p->nama);
                else
                    snprintf(b, FL, "%s%s", p->nama, rint_n(2) ? ", S.Pd" : ", S.E.");
                cpy(r->f[3], b, FL);
                r->defects |= 1u << D_NAME_TITLE;
            }
            if (spaces) {
                char b[FL];
                const char *s = r->f[3];
                if (has_word_space(s) && rint_n(2)) {
                    const char *sp = strchr(s, ' ');
                    snprintf(b, FL, "%.*s %s", (int)(sp - s), s, sp);
                } else {
                    snprintf(b, FL, " %.80s ", s);
                }
                cpy(r->f[3], b, FL);
                r->defects |= 1u << D_NAME_SPACES;
            }
        }
        p->clean = r->defects == 0;
    }
    int nbase = g_nr;

    /* extra rows */
    for (int i = 0; i < nbase; i++) {
        Rec *o = &g_r[i];
        Person *p = &g_p[o->person];
        if (p->special && p->special != (1 << D_ADDR_DELIM))
            continue;
        double u = runif();
        if (u < 0.020) {
            Rec *r = new_rec();
            int seq = r->seq;
            *r = *o;
            r->seq = seq;
            r->defects |= 1u << D_EXACT_DUP;
            r->key = o->key + (rprob(0.3) ? 1 : (long)rint_n(nbase - i) * 64 + 2);
        } else if (p->special) {
            continue;
        } else if (u < 0.033) {
            int swap = u >= 0.030;
            Rec *r = new_rec();
            int seq = r->seq;
            fill_rec(r, o->person);
            r->seq = seq;
            if (!nik_mutant(p->nik, r->f[1], swap))
                die("internal: cannot make NIK mutant");
            r->defects |= 1u << (swap ? D_NIK_SWAP : D_NIK_TYPO);
            r->key = (long)rint_n(nbase) * 64 + 3;
            p->clean = 0;
        } else if (u < 0.038) {
            Rec *r = new_rec();
            int seq = r->seq;
            fill_rec(r, o->person);
            r->seq = seq;
            const HH *h = &g_hh[p->hh];
            snprintf(r->f[7], FL, "%s NO. %d", h->alamat, rrange(1, 120));
            snprintf(r->f[8], FL, "%03d", h->rt % 15 + 1);
            int y, m, d;
            long nd = h->upd + rrange(20, 90);
            cfd(nd, &y, &m, &d);
            snprintf(r->f[22], FL, "%04d-%02d-%02d", y, m, d);
            r->defects |= 1u << D_NEWER_UPDATE;
            r->key = (long)rint_n(nbase) * 64 + 4;
            p->clean = 0;
        }
    }
    /* name variants */
    {
        static const char *MV[3] = {"MUHAMAD", "MOHAMMAD", "MOHAMAD"};
        static const char *FV[2] = {"NUR", "NOOR"};
        for (int v = 0; v < 5; v++) {
            int pi = v < 3 ? nv_m : nv_f;
            Person *p = &g_p[pi];
            Rec *r = new_rec();
            int seq = r->seq;
            fill_rec(r, pi);
            r->seq = seq;
            const char *rest = strchr(p->nama, ' ');
            snprintf(r->f[3], FL, "%s%s", v < 3 ? MV[v] : FV[v - 3], rest ? rest : "");
            r->defects |= 1u << D_NAME_VARIANT;
            r->key = (long)rint_n(nbase) * 64 + 5;
        }
        g_p[nv_m].clean = g_p[nv_f].clean = 0;
    }
}

/* ------------------------------------------------------------------ adversarial situations */

/*
 * The situations a real DTKS extract has and that must not fool dedup
 * (issue 13). New households and persons only, drawn from their own seed
 * after every row above, so the rows above and the KUBE/UEP files do not
 * change; the rows go to the end of the 2024 extract (in random order among
 * themselves) and, for the movers and a sample of unchanged persons, to a
 * small 2023 extract. Each row carries its situation in the truth file.
 */
#define ADV_KEY (1L << 40)

static int g_adv_rows[NS];

static int new_hh(int kec)
{
    if (g_nhh >= MAXHH)
        die("too many households");
    HH *x = &g_hh[g_nhh];
    memset(x, 0, sizeof *x);
    int k = kec ? kec : pick_kec();
    x->desa = g_kec[k].desa[rint_n(g_kec[k].ndesa)];
    int iy, im, id;
    cfd(dfc(2010, 1, 1) + rint_n((int)(dfc(2023, 12, 31) - dfc(2010, 1, 1))), &iy, &im, &id);
    fmt16(x->nokk, "63110%d%02d%02d%02d%04d", k, id, im, iy % 100, g_nhh + 1);
    int t = rint_n(3);
    snprintf(x->alamat, sizeof x->alamat, t == 0 ? "JL. %s" : t == 1 ? "GG. %s" : "%s",
             t == 0 ? STREETS[rint_n(NEL(STREETS))] : t == 1 ? GANG[rint_n(NEL(GANG))]
                                                          : DUSUN[rint_n(NEL(DUSUN))]);
    x->rt = rrange(1, 15);
    x->rw = rrange(1, 4);
    x->desil = rrange(1, 4);
    x->upd = dfc(2023, 1, 1) + rint_n((int)(dfc(2024, 9, 30) - dfc(2023, 1, 1) + 1));
    x->pkh = rprob(x->desil <= 2 ? 0.45 : 0.15);
    x->bpnt = rprob(x->desil <= 2 ? 0.7 : 0.35);
    x->pbi = rprob(0.75);
    x->first = g_np;
    return g_nhh++;
}

static void set_name(Person *p, const char *nama)
{
    cpy(p->nama, nama, sizeof p->nama);
    cpy(p->raw, nama, sizeof p->raw);
    const char *sp = strchr(nama, ' ');
    snprintf(p->first, sizeof p->first, "%.*s", sp ? (int)(sp - nama) : (int)strlen(nama), nama);
}

/* a new person; name NULL keeps the random one */
static int adv_person(int hh, int hub, int male, int age, const char *nama)
{
    int pi = add_person(hh, hub, male, age);
    Person *p = &g_p[pi];
    p->special = 1; /* never drawn for KUBE/UEP, never a base-row defect */
    if (nama)
        set_name(p, nama);
    g_hh[hh].n++;
    return pi;
}

static Rec *adv_rec(int pi, int situ, int y2023)
{
    Rec *r = new_rec();
    int seq = r->seq;
    fill_rec(r, pi);
    r->seq = seq;
    r->situ = 1u << situ;
    r->y2023 = y2023;
    r->key = y2023 ? (long)rint_n(1 << 20) : ADV_KEY + rint_n(1 << 20);
    g_adv_rows[situ]++;
    if (y2023) {
        /* the previous extract was last updated in 2022 */
        int y, m, d;
        cfd(dfc(2022, 1, 1) + rint_n(365), &y, &m, &d);
        snprintf(r->f[22], FL, "%04d-%02d-%02d", y, m, d);
    }
    return r;
}

/* a second row of the same person: new IDARTBDT, 20-90 days later */
static Rec *adv_again(int pi, int situ)
{
    Rec *r = adv_rec(pi, situ, 0);
    int y, m, d;
    cfd(g_hh[r->hh].upd + rrange(20, 90), &y, &m, &d);
    snprintf(r->f[22], FL, "%04d-%02d-%02d", y, m, d);
    return r;
}

static void wrong_nik(Rec *r, const char *nik)
{
    cpy(r->f[1], nik, FL);
    r->defects |= 1u << D_NIK_WRONG;
}

/* a NIK with the person's own date and sex and the given serial, if free */
static int nik_serial(Person *p, const char *like, int ser)
{
    char n[17];
    if (ser < 1 || ser > 9999)
        return 0;
    fmt16(n, "%.6s%02d%02d%02d%04d", like, p->bd + (p->male ? 0 : 40), p->bm, p->by % 100, ser);
    if (nik_has(nikval(n)))
        return 0;
    nik_add(nikval(n));
    memcpy(p->nik, n, 17);
    return 1;
}

/* a 16-digit NIK written as a float: "....0", "....00" or "....,00" */
static void float_id(char *out, const char *id, int form)
{
    static const char *SUF[3] = {".0", ".00", ",00"};
    snprintf(out, FL, "%s%s", id, SUF[form % 3]);
}

static void build_adversarial(void)
{
    rseed(0x616E676B61414456ULL); /* "angkaADV" */

    /* nik_shared: another person (Y) carries X's NIK. 8 differ in name,
       sex, birth date and kecamatan; 4 in name and date only (same sex and
       kecamatan); 3 are X's child given the parent's NIK (same KK). X has a
       second row in 5 cases (those two rows are one person). */
    for (int c = 0; c < 15; c++) {
        int hx = new_hh(0);
        int xm = rprob(0.5);
        int x = adv_person(hx, 1, xm, rrange(25, 70), NULL);
        int y;
        if (c < 8) {
            int k = g_desa[g_hh[hx].desa].kec % NKEC + 1; /* another kecamatan */
            y = adv_person(new_hh(k), 1, !xm, rrange(25, 70), NULL);
        } else if (c < 12) {
            y = adv_person(new_hh(g_desa[g_hh[hx].desa].kec), 1, xm, rrange(25, 70), NULL);
        } else {
            y = adv_person(hx, 3, rprob(0.5), rrange(2, 17), NULL);
        }
        if (!strcmp(g_p[x].first, g_p[y].first))
            set_name(&g_p[y], g_p[y].male ? "BAHRUDIN SALEH" : "MARDIANA SAFITRI");
        adv_rec(x, S_NIK_SHARED, 0);
        if (c % 3 == 0)
            adv_again(x, S_NIK_SHARED);
        wrong_nik(adv_rec(y, S_NIK_SHARED, 0), g_p[x].nik);
    }

    /* nik_placeholder: a repeated-digit NIK on 6 people, a sequential one
       on 5, one valid-looking NIK on 7 (more than placeholder_rows); 3 of
       these people also have a row with their own NIK. */
    {
        char shared[17];
        int k = rrange(1, NKEC);
        for (;;) {
            int sd = rrange(1, 28), sm = rrange(1, 12), sy = rrange(60, 99);
            fmt16(shared, "63110%d%02d%02d%02d0001", k, sd, sm, sy);
            if (!nik_has(nikval(shared)))
                break;
        }
        nik_add(nikval(shared));
        static const char *PH[2] = {"6311011111111111", "1234567890123456"};
        for (int i = 0; i < 18; i++) {
            int pi = adv_person(new_hh(0), 1, rprob(0.5), rrange(20, 80), NULL);
            const char *n = i < 6 ? PH[0] : i < 11 ? PH[1] : shared;
            wrong_nik(adv_rec(pi, S_NIK_PLACEHOLDER, 0), n);
            if (i % 6 == 2)
                adv_again(pi, S_NIK_PLACEHOLDER);
        }
    }

    /* kk_as_nik: 5 families whose every member carries the No KK as NIK;
       one member of 3 of them also has a row with the own NIK. */
    for (int f = 0; f < 5; f++) {
        int h = new_hh(0);
        int head = adv_person(h, 1, 1, rrange(30, 60), NULL);
        int n = rrange(2, 3), mem[4] = {head};
        mem[1] = adv_person(h, 2, 0, g_p[head].age - rrange(0, 6), NULL);
        for (int i = 2; i <= n; i++)
            mem[i] = adv_person(h, 3, rprob(0.5), rrange(1, 17), NULL);
        for (int i = 0; i <= n; i++)
            wrong_nik(adv_rec(mem[i], S_KK_AS_NIK, 0), g_hh[h].nokk);
        if (f < 3)
            adv_again(mem[rrange(0, n)], S_KK_AS_NIK);
    }

    /* chain: A and B are two people with the same birth date and sex in
       one desa and similar names (B's longer: HIDAYAT / HIDAYATULLAH; B's
       No KK is not filled); a second row of A without NIK agrees with A on
       everything and with B on every field B has but the name, so it would
       join either. A and B never one cluster; the row without NIK is A's. */
    {
        static const char *CH[5][2] = {{"RAHMAT HIDAYATULLAH", "RAHMAT HIDAYATULLOH"},
                                       {"SITI NORJANAH", "SITI NORJANNAH"},
                                       {"MUHAMMAD RIZKY RAMADHAN", "MUHAMMAD RIZKI RAMADHAN"},
                                       {"NORHAYATI", "NORHAYATIE"},
                                       {"AHMAD FAUZI RAHMAN", "AHMAD FAUZIE RAHMAN"}};
        static const int CHM[5] = {1, 0, 1, 0, 1};
        for (int c = 0; c < 5; c++) {
            int ha = new_hh(0);
            int a = adv_person(ha, 1, CHM[c], rrange(25, 60), CH[c][0]);
            int hb = new_hh(g_desa[g_hh[ha].desa].kec);
            g_hh[hb].desa = g_hh[ha].desa;
            int b = adv_person(hb, 1, CHM[c], 30, CH[c][1]);
            Person *pb = &g_p[b];
            pb->by = g_p[a].by, pb->bm = g_p[a].bm, pb->bd = g_p[a].bd, pb->age = g_p[a].age;
            make_nik(pb, g_desa[g_hh[hb].desa].kec);
            adv_rec(a, S_CHAIN, 0);
            Rec *m = adv_again(a, S_CHAIN);
            m->f[1][0] = 0;
            m->defects |= 1u << D_NIK_MISSING;
            Rec *rb = adv_rec(b, S_CHAIN, 0);
            rb->f[2][0] = 0;
            rb->defects |= 1u << D_KK_MISSING;
        }
    }

    /* twins: one household, one birth date, similar names, NIK serials one
       apart; two pairs of newborn twins registered under a placeholder
       name ("BAYI NY. <mother>") and without NIK. */
    {
        static const char *TW[6][2] = {{"MUHAMMAD HASAN", "MUHAMMAD HUSIN"},
                                       {"NOR AINI", "NOR AISYAH"},
                                       {"AHMAD RIZKI", "AHMAD RIZAL"},
                                       {"SITI FATIMAH", "SITI FATIMAH ZAHRA"},
                                       {"RIZKY MAULANA", "RIZKA MAULIDA"},
                                       {"FAHRUL RAHMAN", "FAHRUL RAHMAN HAKIM"}};
        static const int TWM[6][2] = {{1, 1}, {0, 0}, {1, 1}, {0, 0}, {1, 0}, {1, 1}};
        for (int t = 0; t < 8; t++) {
            int h = new_hh(0);
            int head = adv_person(h, 1, 1, rrange(30, 45), NULL);
            int mom = adv_person(h, 2, 0, g_p[head].age - rrange(0, 5), NULL);
            int age = t < 6 ? rrange(3, 20) : 0;
            int a = adv_person(h, 3, t < 6 ? TWM[t][0] : 1, age, t < 6 ? TW[t][0] : NULL);
            int b = adv_person(h, 3, t < 6 ? TWM[t][1] : 0, age, t < 6 ? TW[t][1] : NULL);
            Person *pa = &g_p[a], *pb = &g_p[b];
            pb->by = pa->by, pb->bm = pa->bm, pb->bd = pa->bd;
            int ser = atoi(pa->nik + 12);
            if (!nik_serial(pb, pa->nik, ser + 1) && !nik_serial(pb, pa->nik, ser - 1))
                make_nik(pb, g_desa[g_hh[h].desa].kec);
            adv_rec(head, S_TWINS, 0);
            adv_rec(mom, S_TWINS, 0);
            if (t >= 6) {
                char bayi[64];
                snprintf(bayi, sizeof bayi, "BAYI NY. %s", g_p[mom].nama);
                set_name(pa, bayi);
                set_name(pb, bayi);
            }
            for (int i = 0; i < 2; i++) {
                Rec *r = adv_rec(i ? b : a, S_TWINS, 0);
                if (t >= 6) {
                    r->f[1][0] = 0;
                    r->defects |= (1u << D_NIK_MISSING) | (1u << D_NAME_PLACEHOLDER);
                }
            }
        }
    }

    /* namesake: father and son of one name in one household (different
       birth dates and NIKs); in 2 of 4 the son's NIK is missing. */
    {
        static const char *NS_[4] = {"MUHAMMAD YUSUF", "ABDUL RAHMAN", "AHMAD FAUZI", "HASAN BASRI"};
        for (int c = 0; c < 4; c++) {
            int h = new_hh(0);
            int f = adv_person(h, 1, 1, rrange(45, 65), NS_[c]);
            int s = adv_person(h, 3, 1, rrange(17, 25), NS_[c]);
            adv_rec(f, S_NAMESAKE, 0);
            Rec *r = adv_rec(s, S_NAMESAKE, 0);
            if (c % 2) {
                r->f[1][0] = 0;
                r->defects |= 1u << D_NIK_MISSING;
            }
        }
    }

    /* name_form: one person written twice, once under another form of the
       name (form of address, patronymic, degree, old spelling); the second
       row has the same NIK (even cases) or none (odd cases). */
    {
        static const char *NF_[16][2] = {
            {"SITI AMINAH", "NY. SITI AMINAH"},
            {"HALIMAH", "NYONYA HALIMAH"},
            {"RAHMAH SARI", "IBU RAHMAH SARI"},
            {"MAHMUDAH", "MAHMUDAH BINTI HASAN"},
            {"RUSDI", "RUSDI BIN ARBAIN"},
            {"NORHAYATI", "NURHAYATI"},
            {"NORLIANA ZAHRA", "NURLIANA ZAHRA"},
            {"YUSUF HAKIM", "JUSUF HAKIM"},
            {"SYAHRIL ANSHARI", "SJAHRIL ANSHARI"},
            {"SUPIAN NOOR", "SOEPIAN NOOR"},
            {"RINA WATI", "Ns. RINA WATI, S.Kep"},
            {"DEWI LESTARI", "DEWI LESTARI, S.Pd., Gr."},
            {"ANDI SAPUTRA", "dr. ANDI SAPUTRA, Sp.PD"},
            {"SITI FATIMAH", "apt. SITI FATIMAH, S.Farm"},
            {"HAMDANI", "HAMDANI, S.P."},
            {"JUWITA SARI", "JUWITA SARI, S.Kes"}};
        static const int NFM[16] = {0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0};
        for (int c = 0; c < 16; c++) {
            int pi = adv_person(new_hh(0), 1, NFM[c], rrange(25, 70), NF_[c][0]);
            adv_rec(pi, S_NAME_FORM, 0);
            Rec *r = adv_again(pi, S_NAME_FORM);
            cpy(r->f[3], NF_[c][1], FL);
            r->defects |= 1u << D_NAME_TITLE;
            if (c % 2) {
                r->f[1][0] = 0;
                r->defects |= 1u << D_NIK_MISSING;
            }
        }
    }

    /* mover: 5 families that moved between the 2023 and the 2024 extract
       (another desa, 3 of them another kecamatan; a new No KK and address).
       Per member, cycling: NIK in both years, missing in 2023, missing in
       2024. */
    {
        int cyc = 0;
        for (int f = 0; f < 5; f++) {
            int h23 = new_hh(0);
            int k23 = g_desa[g_hh[h23].desa].kec;
            int h24 = new_hh(f < 3 ? k23 % NKEC + 1 : k23);
            if (g_hh[h24].desa == g_hh[h23].desa) {
                const Kec *k = &g_kec[k23];
                int j = 0;
                while (k->desa[j] != g_hh[h23].desa)
                    j++;
                g_hh[h24].desa = k->desa[(j + 1) % k->ndesa];
            }
            int head = adv_person(h24, 1, 1, rrange(28, 60), NULL);
            int n = rrange(1, 3), mem[4] = {head};
            mem[1] = adv_person(h24, 2, 0, g_p[head].age - rrange(0, 6), NULL);
            for (int i = 2; i <= n; i++)
                mem[i] = adv_person(h24, 3, rprob(0.5), rrange(1, 17), NULL);
            for (int i = 0; i <= n; i++, cyc++) {
                Person *p = &g_p[mem[i]];
                Rec *r24 = adv_rec(mem[i], S_MOVER, 0);
                p->hh = h23;
                Rec *r23 = adv_rec(mem[i], S_MOVER, 1);
                p->hh = h24;
                Rec *miss = cyc % 3 == 1 ? r23 : cyc % 3 == 2 ? r24 : NULL;
                if (miss) {
                    miss->f[1][0] = 0;
                    miss->defects |= 1u << D_NIK_MISSING;
                }
            }
        }
    }

    /* float_id: ids exported as floats. 10 persons with the NIK as
       "....0"/"....00" (and in 4 the No KK as "....,00"), 5 of them with a
       second, plain row; 5 persons with a second row whose NIK and No KK
       Excel shows as 6.31104E+15 (the digits are lost). A NIK ending in 0
       is not written as a float (its float form is ambiguous with Excel's
       15 digits). */
    for (int c = 0; c < 15; c++) {
        int pi = adv_person(new_hh(0), 1, rprob(0.5), rrange(20, 75), NULL);
        Person *p = &g_p[pi];
        if (c < 10) {
            while (p->nik[15] == '0') {
                int ser = atoi(p->nik + 12);
                if (!nik_serial(p, p->nik, ser % 9999 + 1) && !nik_serial(p, p->nik, rrange(1, 9999)))
                    continue;
            }
            if (c % 2 == 0)
                adv_rec(pi, S_FLOAT_ID, 0);
            Rec *r = c % 2 == 0 ? adv_again(pi, S_FLOAT_ID) : adv_rec(pi, S_FLOAT_ID, 0);
            float_id(r->f[1], p->nik, c);
            r->defects |= 1u << D_NIK_FLOAT;
            if (c % 3 == 0) {
                float_id(r->f[2], g_hh[p->hh].nokk, 2);
                r->defects |= 1u << D_KK_FLOAT;
            }
        } else {
            adv_rec(pi, S_FLOAT_ID, 0);
            Rec *r = adv_again(pi, S_FLOAT_ID);
            excel_sci(p->nik, r->f[1], FL);
            excel_sci(g_hh[p->hh].nokk, r->f[2], FL);
            r->defects |= 1u << D_NIK_SCI;
        }
    }

    /* date_placeholder: a placeholder birth date (01/01/1900, 01/01/1970,
       Excel serial 1 or 0, 00/00/0000, 31/12 of the birth year) on a second
       row of a person; the NIK is valid on 6 of them and missing on 4. The
       true birth date is never 1 January or 31 December. */
    for (int c = 0; c < 10; c++) {
        int pi = adv_person(new_hh(0), 1, rprob(0.5), rrange(20, 75), NULL);
        Person *p = &g_p[pi];
        if ((p->bm == 1 && p->bd == 1) || (p->bm == 12 && p->bd == 31)) {
            p->bd = 15;
            make_nik(p, g_desa[g_hh[p->hh].desa].kec);
        }
        adv_rec(pi, S_DATE_PLACEHOLDER, 0);
        Rec *r = adv_again(pi, S_DATE_PLACEHOLDER);
        switch (c % 6) {
        case 0: cpy(r->f[6], "01/01/1900", FL); break;
        case 1: cpy(r->f[6], "01/01/1970", FL); break;
        case 2: cpy(r->f[6], "1", FL); break;
        case 3: cpy(r->f[6], "0", FL); break;
        case 4: cpy(r->f[6], "00/00/0000", FL); break;
        default: snprintf(r->f[6], FL, "31/12/%04d", p->by); break;
        }
        r->defects |= 1u << D_DATE_PLACEHOLDER;
        if (c >= 6) {
            r->f[1][0] = 0;
            r->defects |= 1u << D_NIK_MISSING;
        }
    }

    /* two_periods: 250 persons of the base population also in the 2023
       extract, unchanged but for the update date and, in some, the desil. */
    {
        static unsigned char taken[MAXP];
        for (int n = 0; n < 250;) {
            int pi = rint_n(g_np_base);
            if (taken[pi] || g_p[pi].special)
                continue;
            taken[pi] = 1;
            Rec *r = adv_rec(pi, S_TWO_PERIODS, 1);
            if (rprob(0.3))
                snprintf(r->f[21], FL, "%d", rrange(1, 4));
            n++;
        }
    }
}

static int rec_cmp(const void *a, const void *b)
{
    const Rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static void write_dtks_year(int y2023)
{
    const char *path = y2023 ? "dtks/dtks_balangan_2023.csv" : "dtks/dtks_balangan_2024.csv";
    const char *tpath = y2023 ? "dtks/dtks_balangan_2023.truth.csv" : "dtks/dtks_balangan_2024.truth.csv";
    Out o = oopen(path);
    Out t = oopen(tpath);
    oputs(&o, "\xEF\xBB\xBF"
              "IDARTBDT;NIK;NO_KK;NAMA;JNS_KEL;TMP_LAHIR;TGL_LAHIR;ALAMAT;RT;RW;KDPROP;KDKAB;KDKEC;"
              "KDDESA;NAMA_KEC;NAMA_DESA;HUB_KRT;PKH;BPNT;PBI;KIP;DESIL;TGL_UPDATE\r\n");
    oputs(&t, "src_line,person_id,household_id,true_nik,true_nama,true_jenis_kelamin,true_tgl_lahir,"
              "true_kode_desa,defects,situasi\n");
    long line = 2;
    int nrec = 0;
    for (int i = 0; i < g_nr; i++) {
        Rec *r = &g_r[i];
        if (r->y2023 != y2023)
            continue;
        nrec++;
        for (int k = 0; k < NF; k++) {
            if (k)
                oputs(&o, ";");
            oputs(&o, r->f[k]);
        }
        oputs(&o, "\r\n");
        const Person *p = &g_p[r->person];
        char dl[512] = "", sl[256] = "";
        for (int d = 0; d < ND; d++)
            if (r->defects & (1u << d)) {
                if (dl[0])
                    strcat(dl, "|");
                strcat(dl, DCODE[d]);
                g_dcount[d]++;
            }
        for (int d = 0; d < NS; d++)
            if (r->situ & (1u << d)) {
                if (sl[0])
                    strcat(sl, "|");
                strcat(sl, SCODE[d]);
            }
        if (strchr(p->nama, ',') || strchr(p->nama, '"'))
            die("internal: name needs quoting");
        oprintf(&t, "%ld,P%06d,H%05d,%s,%s,%s,%04d-%02d-%02d,%s,%s,%s\n", line, r->person + 1, r->hh + 1,
                p->nik, p->nama, p->male ? "L" : "P", p->by, p->bm, p->bd, g_desa[g_hh[r->hh].desa].code,
                dl, sl);
        line += r->nlines;
    }
    oclose(&o);
    oclose(&t);
    fprintf(stderr, "%s: %d data records, %ld physical lines\n", path, nrec, line - 1);
}

static void write_dtks(void)
{
    qsort(g_r, (size_t)g_nr, sizeof(Rec), rec_cmp);
    write_dtks_year(0);
    write_dtks_year(1);
    fprintf(stderr, "dtks: %d persons, %d households (%d and %d of the base population)\n", g_np, g_nhh,
            g_np_base, 3500);
    for (int d = 0; d < ND; d++)
        fprintf(stderr, "  %-16s %d\n", DCODE[d], g_dcount[d]);
    fprintf(stderr, "dtks situations (rows, both extracts):\n");
    for (int d = 0; d < NS; d++)
        fprintf(stderr, "  %-16s %d\n", SCODE[d], g_adv_rows[d]);
}

/* ------------------------------------------------------------------ KUBE / UEP */

static int g_used[MAXP];

static int pick_clean(int kec, int heads_only)
{
    for (int tries = 0; tries < 200000; tries++) {
        int i = rint_n(g_np_base);
        const Person *p = &g_p[i];
        if (g_used[i] || !p->clean || p->special || p->age < 18)
            continue;
        if (heads_only && p->hub != 1)
            continue;
        if (kec && g_desa[g_hh[p->hh].desa].kec != kec)
            continue;
        g_used[i] = 1;
        return i;
    }
    die("internal: no clean person available");
    return -1;
}

static void person_cols(Out *o, int pi)
{
    const Person *p = &g_p[pi];
    const Desa *d = &g_desa[g_hh[p->hh].desa];
    oprintf(o, "%s;%s;%s;%s", p->nik, p->nama, g_kec[d->kec].name, d->name);
}

static void write_programmes(void)
{
    rseed(0x616E676B614B5542ULL); /* "angkaKUB" */
    static const int GKEC[12] = {1, 2, 3, 4, 5, 6, 7, 8, 2, 5, 6, 3};
    static const char *GNAME[12] = {"KUBE MAWAR", "KUBE SEJAHTERA", "KUBE MAJU BERSAMA", "KUBE HARAPAN",
                                    "KUBE KARYA MANDIRI", "KUBE TUNAS BARU", "KUBE BERKAH", "KUBE MEKAR SARI",
                                    "KUBE SUMBER REZEKI", "KUBE USAHA TANI", "KUBE AMANAH", "KUBE BINA USAHA"};
    static const char *JAB[3] = {"KETUA", "SEKRETARIS", "BENDAHARA"};
    int members[12][10];
    int nm[12];
    int dup_person = -1;
    for (int g = 0; g < 12; g++) {
        nm[g] = g == 4 ? 8 : 10;
        for (int m = 0; m < nm[g]; m++) {
            int kec = GKEC[g];
            if (g == 6 && m >= 6)
                kec = 8; /* violation: group spread over Paringin Selatan and Tebing Tinggi */
            if (g == 8 && m == 5) {
                members[g][m] = dup_person; /* violation: same person in group 2 */
                continue;
            }
            members[g][m] = pick_clean(kec, 1);
            if (g == 1 && m == 6)
                dup_person = members[g][m];
        }
    }
    Out o = oopen("kube/kube_balangan_2024.csv");
    oputs(&o, "ID_KELOMPOK;NAMA_KELOMPOK;NIK;NAMA;JABATAN;KECAMATAN;DESA;TAHUN;NILAI_BANTUAN\r\n");
    for (int g = 0; g < 12; g++)
        for (int m = 0; m < nm[g]; m++) {
            oprintf(&o, "KUBE-6311-2024-%03d;%s;", g + 1, GNAME[g]);
            const Person *p = &g_p[members[g][m]];
            const Desa *d = &g_desa[g_hh[p->hh].desa];
            oprintf(&o, "%s;%s;%s;%s;%s;2024;", p->nik, p->nama, m < 3 ? JAB[m] : "ANGGOTA",
                    g_kec[d->kec].name, d->name);
            if (g % 2 == 0) {
                if (m == 0)
                    oprintf(&o, "Rp%d.000.000", 2 * nm[g]);
            } else {
                oputs(&o, "2.000.000");
            }
            oputs(&o, "\r\n");
        }
    oclose(&o);

    static const char *USAHA[] = {"WARUNG SEMBAKO", "JUAL KUE", "BENGKEL MOTOR", "TERNAK AYAM", "MENJAHIT",
                                  "JUAL SAYUR", "TERNAK KAMBING", "WARUNG MAKAN", "PANGKAS RAMBUT",
                                  "KERAJINAN ANYAMAN", "JUAL IKAN", "TAMBAL BAN"};
    int u22[40], u24[40];
    for (int i = 0; i < 40; i++)
        u22[i] = pick_clean(0, 0);
    for (int i = 0; i < 40; i++)
        u24[i] = (i == 17) ? u22[9] /* violation: repeat of 2022 */ : (i == 29) ? -1 : pick_clean(0, 0);
    Out a = oopen("uep/uep_balangan_2022.csv");
    oputs(&a, "NIK;NAMA;KECAMATAN;DESA;JENIS_USAHA;TAHUN;NILAI_BANTUAN\r\n");
    for (int i = 0; i < 40; i++) {
        person_cols(&a, u22[i]);
        oprintf(&a, ";%s;2022;2.500.000\r\n", USAHA[rint_n(NEL(USAHA))]);
    }
    oclose(&a);
    /* recipient not in DTKS: a fresh NIK that appears nowhere in the extract */
    char ghost[17];
    for (;;) {
        /* one RNG call per statement: argument evaluation order is unspecified */
        int gd = rrange(1, 28);
        int gm = rrange(1, 12);
        int gy = rrange(70, 95);
        int gs = rrange(1, 9999);
        fmt16(ghost, "631105%02d%02d%02d%04d", gd, gm, gy, gs);
        if (!nik_has(nikval(ghost)))
            break;
    }
    Out b = oopen("uep/uep_balangan_2024.csv");
    oputs(&b, "NIK;NAMA;KECAMATAN;DESA;JENIS_USAHA;TAHUN;NILAI_BANTUAN\r\n");
    for (int i = 0; i < 40; i++) {
        if (u24[i] < 0)
            oprintf(&b, "%s;%s;%s;%s", ghost, "SYAMSUDIN NOOR", g_kec[5].name,
                    g_desa[g_kec[5].desa[2]].name);
        else
            person_cols(&b, u24[i]);
        oprintf(&b, ";%s;2024;2.500.000\r\n", USAHA[rint_n(NEL(USAHA))]);
    }
    oclose(&b);
    const Person *dp = &g_p[dup_person], *rp = &g_p[u22[9]];
    fprintf(stderr, "programmes: KUBE-6311-2024-005 has 8 members; NIK %s (%s) in KUBE-6311-2024-002 and "
                    "-009; KUBE-6311-2024-007 spans %s and %s; UEP 2024 NIK %s not in DTKS; NIK %s (%s) in "
                    "UEP 2022 and 2024\n",
            dp->nik, dp->nama, g_kec[7].name, g_kec[8].name, ghost, rp->nik, rp->nama);
}

/* ------------------------------------------------------------------ SUSENAS */

static long pop_year(int y)
{
    long a, b;
    int ya, yb;
    if (y <= 2019) {
        a = g_pop2010, b = g_pop2019, ya = 2010, yb = 2019;
    } else {
        a = g_pop2019, b = g_pop2024, ya = 2019, yb = 2024;
    }
    /* linear, rounded half up, integer arithmetic */
    long num = a * (yb - ya) + (b - a) * (y - ya);
    return (num * 2 + (yb - ya)) / (2 * (yb - ya));
}

typedef struct {
    int kec, urban, stratum, size;
    long wc; /* weight in cents */
    double lat;
    long kc; /* KAPITA cents */
    int poor;
} SH;

static int g_sort_n;
static SH *g_sort_h;
static int lat_cmp(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    double x = g_sort_h[i].lat, y = g_sort_h[j].lat;
    if (x != y)
        return x < y ? -1 : 1;
    return (i > j) - (i < j);
}

static void fmt_cents(char *out, size_t cap, long c, char dec)
{
    snprintf(out, cap, "%ld%c%02ld", c / 100, dec, c % 100);
}

static double g_p0[NY], g_p0le[NY], g_p1[NY], g_p2[NY];

/* The households of the years that get a consumption module (konsumsi/). */
#define KY0 2023
#define KNY 2
static SH g_kh[KNY][600];
static int g_kn[KNY];

static void write_susenas(void)
{
    static const double P0T[NY] = {6.05, 5.94, 5.86, 5.54, 5.26, 5.32, 5.55, 5.37, 5.22, 4.87};
    /* PSU allocation per kecamatan, largest remainder on 2010 population */
    int alloc[NKEC + 1] = {0}, tot = 0;
    double rem[NKEC + 1];
    for (int k = 1; k <= NKEC; k++) {
        double q = 60.0 * g_kec[k].pop2010 / (double)g_pop2010;
        alloc[k] = (int)q;
        rem[k] = q - alloc[k];
        tot += alloc[k];
    }
    while (tot < 60) {
        int best = 1;
        for (int k = 2; k <= NKEC; k++)
            if (rem[k] > rem[best])
                best = k;
        alloc[best]++;
        rem[best] = -1;
        tot++;
    }
    static const int URB[NKEC + 1] = {0, 0, 0, 0, 1, 2, 5, 4, 0}; /* urban PSUs per kecamatan */
    for (int y = 0; y < NY; y++) {
        int year = Y0 + y;
        rseed(0x616E676B61535553ULL + (uint64_t)(unsigned)year);
        SH h[600];
        char psu[60][24];
        int psu_of[600];
        double raw[600];
        int n = 0, ps = 0, nu = 0, nr = 0;
        for (int k = 1; k <= NKEC; k++)
            for (int j = 0; j < alloc[k]; j++, ps++) {
                int urban = j < URB[k];
                int stratum = urban ? (nu++ % 2 ? 2 : 1) : (nr++ % 2 ? 4 : 3);
                snprintf(psu[ps], sizeof psu[ps], "6311%03d%03d", k * 10, y * 20 + j + 1);
                double bw = exp(0.25 * rnorm());
                double psu_eff = 0.15 * rnorm();
                static const double OFF[5] = {0, 0.55, 0.15, 0.25, -0.10};
                for (int m = 0; m < 10; m++, n++) {
                    SH *x = &h[n];
                    x->kec = k;
                    x->urban = urban;
                    x->stratum = stratum;
                    static const int SZC[9] = {6, 18, 38, 62, 80, 91, 96, 99, 100};
                    int r = rint_n(100), s = 1;
                    while (s < 9 && r >= SZC[s - 1])
                        s++;
                    x->size = s;
                    raw[n] = bw * (1.0 + 0.05 * rnorm());
                    x->kc = 0;
                    x->poor = 0;
                    psu_of[n] = ps;
                    x->lat = OFF[stratum] + psu_eff + 0.42 * rnorm() - 0.06 * (s - 4);
                }
            }
        /* weights: scale raw weights so sum(w*size) = population, integer cents */
        long pop = pop_year(year);
        double sraw = 0;
        for (int i = 0; i < n; i++)
            sraw += raw[i] * h[i].size;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            h[i].wc = (long)floor(raw[i] / sraw * (double)pop * 100.0 + 0.5);
            sum += h[i].wc * h[i].size;
        }
        long resid = pop * 100 - sum;
        int fix = -1;
        for (int i = 0; i < n; i++)
            if (h[i].size == 1) {
                fix = i;
                break;
            }
        if (fix < 0)
            die("internal: no single-person household in SUSENAS %d", year);
        h[fix].wc += resid;
        if (h[fix].wc <= 0)
            die("internal: weight fix failed");
        /* calibrate poverty */
        long line = g_gk[y];
        long long W = 0;
        for (int i = 0; i < n; i++)
            W += (long long)h[i].wc * h[i].size;
        int idx[600];
        for (int i = 0; i < n; i++)
            idx[i] = i;
        g_sort_h = h;
        g_sort_n = n;
        qsort(idx, (size_t)n, sizeof idx[0], lat_cmp);
        double target = P0T[y] / 100.0 * (double)W;
        long long cum = 0;
        int kcut = 0;
        double best = target;
        for (int j = 0; j < n; j++) {
            cum += (long long)h[idx[j]].wc * h[idx[j]].size;
            double e = fabs((double)cum - target);
            if (e < best) {
                best = e;
                kcut = j + 1;
            }
        }
        double c = (h[idx[kcut - 1]].lat + h[idx[kcut]].lat) / 2.0;
        /* target P2 (x100): published where known, else 0.038 * P0 */
        const Pub *pb = find_pub("63.11", year);
        double p2t = (pb && pb->p2[0]) ? atof(pb->p2) : 0.038 * P0T[y];
        double sg2 = 0, sw = 0;
        for (int j = 0; j < kcut; j++) {
            const SH *x = &h[idx[j]];
            double g = 1.0 - exp(x->lat - c);
            sg2 += (double)x->wc * x->size * g * g;
            sw += (double)x->wc * x->size;
        }
        double scale = sqrt((p2t / 100.0 * (double)W) / sg2);
        for (int j = 0; j < n; j++) {
            SH *x = &h[idx[j]];
            long zc = line * 100;
            if (j < kcut) {
                double g = (1.0 - exp(x->lat - c)) * scale;
                if (g > 0.85)
                    g = 0.85;
                x->kc = (long)floor((double)zc * (1.0 - g) + 0.5);
                if (x->kc >= zc)
                    x->kc = zc - 1;
                x->poor = 1;
            } else {
                x->kc = (long)floor((double)zc * exp(x->lat - c) + 0.5);
                if (x->kc <= zc)
                    x->kc = zc + 1;
                if (year == 2020 && j == kcut)
                    x->kc = zc; /* exactly at the line: poor only under y <= z */
            }
        }
        (void)sw;
        /* achieved indices */
        long long poor = 0, poorle = 0;
        double s1 = 0, s2 = 0;
        for (int i = 0; i < n; i++) {
            long long pw = (long long)h[i].wc * h[i].size;
            long zc = line * 100;
            if (h[i].kc < zc) {
                double g = (double)(zc - h[i].kc) / (double)zc;
                poor += pw;
                s1 += (double)pw * g;
                s2 += (double)pw * g * g;
            }
            if (h[i].kc <= zc)
                poorle += pw;
        }
        if (year >= KY0) { /* the consumption module's years keep their households */
            memcpy(g_kh[year - KY0], h, sizeof h);
            g_kn[year - KY0] = n;
        }
        g_p0[y] = 100.0 * (double)poor / (double)W;
        g_p0le[y] = 100.0 * (double)poorle / (double)W;
        g_p1[y] = 100.0 * s1 / (double)W;
        g_p2[y] = 100.0 * s2 / (double)W;
        /* write */
        char rel[64];
        snprintf(rel, sizeof rel, "susenas/susenas_balangan_%d.csv", year);
        Out o = oopen(rel);
        char sep = year == 2019 ? ';' : ',', dec = year == 2019 ? ',' : '.';
        oprintf(&o, "URUT%cR101%cR102%cR103%cR105%cPSU%cSTRATA%cR301%cWERT%cKAPITA\n", sep, sep, sep, sep,
                sep, sep, sep, sep, sep);
        for (int i = 0; i < n; i++) {
            char w[32], k[32];
            fmt_cents(w, sizeof w, h[i].wc, dec);
            fmt_cents(k, sizeof k, h[i].kc, dec);
            oprintf(&o, "%d%c63%c11%c%03d%c%d%c%s%c%d%c%d%c%s%c%s\n", i + 1, sep, sep, sep, h[i].kec * 10, sep,
                    h[i].urban ? 1 : 2, sep, psu[psu_of[i]], sep, h[i].stratum, sep, h[i].size, sep, w, sep,
                    k);
        }
        oclose(&o);
        fprintf(stderr,
                "susenas %d: n=%d pop=%ld line=%ld P0=%.2f%% (target %.2f; y<=z: %.2f) P1=%.3f P2=%.3f\n",
                year, n, pop, line, g_p0[y], P0T[y], g_p0le[y], g_p1[y], g_p2[y]);
    }
}

/* ------------------------------------------------------------------ SAE */

/*
 * fixtures/sae/: a population with known kecamatan and desa poverty for
 * small-area estimation (issue 17), from a seed of its own, after every
 * other file: nothing above changes. The DTKS base households fix, per
 * desa, the person share in desil 1-2 (s_d), the registry covariate. Desa
 * poverty is logit p_d = logit(0.06) + 3 (s_d - 0.5) + v_k + u_d with a
 * kecamatan effect v_k ~ N(0, 0.25^2) and a desa effect u_d ~ N(0, 0.35^2),
 * so the covariate explains part of the differences. Each desa holds a
 * finite population of households (as many as 10 x its DTKS households,
 * at least 20), sizes 1-9, poor with probability p_d. SAE_R independent
 * samples (REPLIKASI) of 60 desa-PSUs x 10 households are drawn from the
 * one population: strata are the kecamatan, PSUs per kecamatan as in
 * SUSENAS (2010 population, largest remainder), desa by simple random
 * sampling, households by simple random sampling within the desa.
 */
#define SAE_R 10
#define SAE_MAXH 40000
typedef struct {
    int desa, size, poor;
    long kc;
} SaeH;
static SaeH g_sh[SAE_MAXH];

static void write_sae(void)
{
    rseed(0x616E676B61534145ULL); /* "angkaSAE" */
    int dhh[MAXDESA] = {0};
    long dp[MAXDESA] = {0}, dp12[MAXDESA] = {0};
    for (int h = 0; h < 3500; h++) {
        int d = g_hh[h].desa;
        dhh[d]++;
        dp[d] += g_hh[h].n;
        if (g_hh[h].desil <= 2)
            dp12[d] += g_hh[h].n;
    }
    double vk[NKEC + 1];
    for (int k = 1; k <= NKEC; k++)
        vk[k] = 0.25 * rnorm();
    int first[MAXDESA], cnt[MAXDESA], nh = 0;
    long tp[MAXDESA], tm[MAXDESA];
    long line = g_gk[NY - 1];
    for (int d = 0; d < g_ndesa; d++) {
        double s = dp[d] ? (double)dp12[d] / (double)dp[d] : 0.5;
        double eta = log(0.06 / 0.94) + 3.0 * (s - 0.5) + vk[g_desa[d].kec] + 0.35 * rnorm();
        double pd = 1.0 / (1.0 + exp(-eta));
        int nd = 10 * dhh[d];
        if (nd < 20)
            nd = 20;
        if (nh + nd > SAE_MAXH)
            die("internal: SAE population too large");
        first[d] = nh;
        cnt[d] = nd;
        tp[d] = tm[d] = 0;
        for (int i = 0; i < nd; i++, nh++) {
            SaeH *x = &g_sh[nh];
            static const int SZC[9] = {6, 18, 38, 62, 80, 91, 96, 99, 100};
            int r = rint_n(100), sz = 1;
            while (sz < 9 && r >= SZC[sz - 1])
                sz++;
            x->desa = d;
            x->size = sz;
            x->poor = rprob(pd);
            double f = x->poor ? 0.55 + 0.44 * runif() : exp(0.05 + 0.45 * fabs(rnorm()));
            x->kc = (long)floor((double)line * 100.0 * f + 0.5);
            if (x->poor && x->kc >= line * 100)
                x->kc = line * 100 - 1;
            if (!x->poor && x->kc <= line * 100)
                x->kc = line * 100 + 1;
            tp[d] += sz;
            if (x->poor)
                tm[d] += sz;
        }
    }
    Out o = oopen("sae/sae_truth_balangan_2024.csv");
    oputs(&o, "tingkat,kode_wilayah,rumah_tangga,penduduk,penduduk_miskin\n");
    long km = 0, kp = 0;
    for (int k = 1; k <= NKEC; k++) {
        long p = 0, m = 0, r = 0;
        for (int j = 0; j < g_kec[k].ndesa; j++) {
            int d = g_kec[k].desa[j];
            p += tp[d];
            m += tm[d];
            r += cnt[d];
        }
        oprintf(&o, "kecamatan,63.11.0%d,%ld,%ld,%ld\n", k, r, p, m);
        kp += p;
        km += m;
    }
    for (int d = 0; d < g_ndesa; d++) {
        const char *c = g_desa[d].code;
        oprintf(&o, "desa,%.2s.%.2s.%.2s.%.4s,%d,%ld,%ld\n", c, c + 2, c + 4, c + 6, cnt[d], tp[d], tm[d]);
    }
    oclose(&o);
    fprintf(stderr, "sae: population %d households, %ld persons, P0 %.2f%%\n", nh, kp,
            100.0 * (double)km / (double)kp);
    /* samples */
    int alloc[NKEC + 1] = {0}, tot = 0;
    double rem[NKEC + 1];
    for (int k = 1; k <= NKEC; k++) {
        double q = 60.0 * g_kec[k].pop2010 / (double)g_pop2010;
        alloc[k] = (int)q;
        rem[k] = q - alloc[k];
        tot += alloc[k];
    }
    while (tot < 60) {
        int best = 1;
        for (int k = 2; k <= NKEC; k++)
            if (rem[k] > rem[best])
                best = k;
        alloc[best]++;
        rem[best] = -1;
        tot++;
    }
    for (int k = 1; k <= NKEC; k++)
        if (alloc[k] > g_kec[k].ndesa)
            die("internal: SAE kecamatan %d has %d PSUs but %d desa", k, alloc[k], g_kec[k].ndesa);
    o = oopen("sae/susenas_sae_balangan_2024.csv");
    oputs(&o, "REPLIKASI,URUT,R101,R102,R103,KODE_DESA,PSU,STRATA,R301,WERT,KAPITA\n");
    for (int rep = 1; rep <= SAE_R; rep++) {
        int urut = 0;
        for (int k = 1; k <= NKEC; k++) {
            int pick[40], nk = g_kec[k].ndesa;
            for (int j = 0; j < nk; j++)
                pick[j] = g_kec[k].desa[j];
            for (int j = 0; j < alloc[k]; j++) { /* partial Fisher-Yates */
                int t = j + rint_n(nk - j), sw = pick[j];
                pick[j] = pick[t];
                pick[t] = sw;
            }
            for (int j = 0; j < alloc[k]; j++) {
                int d = pick[j], nd = cnt[d];
                int hh[SAE_MAXH / 100 + 600];
                if (nd > (int)NEL(hh))
                    die("internal: SAE desa too large");
                for (int i = 0; i < nd; i++)
                    hh[i] = first[d] + i;
                for (int i = 0; i < 10; i++) {
                    int t = i + rint_n(nd - i), sw = hh[i];
                    hh[i] = hh[t];
                    hh[t] = sw;
                }
                /* weight (nk / alloc) x (nd / 10) in cents, rounded */
                long wc = ((long)nk * nd * 100 * 2 + (long)alloc[k] * 10) / ((long)alloc[k] * 10 * 2);
                char w[32];
                fmt_cents(w, sizeof w, wc, '.');
                for (int i = 0; i < 10; i++) {
                    const SaeH *x = &g_sh[hh[i]];
                    char kc[32];
                    fmt_cents(kc, sizeof kc, x->kc, '.');
                    oprintf(&o, "%d,%d,63,11,%03d,%s,6311%03d%03d,%d,%d,%s,%s\n", rep, ++urut, k * 10,
                            g_desa[d].code, k * 10, (rep - 1) * 20 + j + 1, k, x->size, w, kc);
                }
            }
        }
    }
    oclose(&o);
}

/* ------------------------------------------------------------------ small tables */

static void write_gk(void)
{
    Out o = oopen("garis_kemiskinan/garis_kemiskinan_balangan.csv");
    oputs(&o, "kode_wilayah,periode,garis_kemiskinan\n");
    for (int y = 0; y < NY; y++)
        oprintf(&o, "63.11,%d-03,%ld\n", Y0 + y, g_gk[y]);
    oclose(&o);
    fprintf(stderr, "garis kemiskinan (derived):");
    for (int y = 0; y < NY; y++)
        fprintf(stderr, " %d=%ld", Y0 + y, g_gk[y]);
    fprintf(stderr, "\n");
}

/* "5.32" -> "5,32" */
static void deccomma(char *out, size_t cap, const char *s)
{
    snprintf(out, cap, "%s", s);
    for (char *p = out; *p; p++)
        if (*p == '.')
            *p = ',';
}

static void write_terbitan(void)
{
    Out o = oopen("terbitan/terbitan_balangan.csv");
    oputs(&o, "Persentase Penduduk Miskin, Jumlah Penduduk Miskin, Indeks Kedalaman Kemiskinan (P1), "
              "Indeks Keparahan Kemiskinan (P2) dan Garis Kemiskinan Kabupaten Balangan, 2019-2024\n");
    oputs(&o, "\n");
    oputs(&o, "Tahun;Persentase Penduduk Miskin (%);Jumlah Penduduk Miskin (ribu jiwa);"
              "Indeks Kedalaman Kemiskinan (P1);Indeks Keparahan Kemiskinan (P2);"
              "Garis Kemiskinan (Rp/Kapita/Bulan)\n");
    for (int y = 2019; y <= 2024; y++) {
        const Pub *q = find_pub("63.11", y);
        char p0[16] = "", jm[48] = "", p1[16] = "", p2[16] = "", gk[48] = "";
        if (q) {
            deccomma(p0, sizeof p0, q->p0);
            deccomma(p1, sizeof p1, q->p1);
            deccomma(p2, sizeof p2, q->p2);
            if (q->jml[0]) {
                long j = atol(q->jml);
                long r = (j + 5) / 10; /* ribu with 2 decimals */
                snprintf(jm, sizeof jm, "%ld,%02ld", r / 100, r % 100);
            }
            if (q->gk[0]) {
                long g = atol(q->gk);
                snprintf(gk, sizeof gk, "Rp%ld.%03ld", g / 1000, g % 1000);
            }
        }
        oprintf(&o, "%d;%s;%s;%s;%s;%s\n", y, p0, jm, p1, p2, gk);
    }
    oputs(&o, "Sumber: BPS Kabupaten Balangan\n");
    oputs(&o, "Catatan: Data Maret (Susenas); sel kosong = tidak dipublikasikan; P1 dan P2 dikali 100\n");
    oclose(&o);
}

/* ------------------------------------------------------------------ consumption module */

/*
 * A SUSENAS-like consumption module (KOR/KP) for the households of 2023 and
 * 2024, consistent with KAPITA: per household the food and non-food values
 * (monthly, in cents) add up exactly to KAPITA x R301.  Everything here is
 * INVENTED: the 52 food commodities of the BPS basket with invented calories
 * per unit and prices, 51 non-food items (47 in rural areas) with invented
 * basic-needs ratios, a CPI series.  The food share falls with per-capita
 * expenditure (0.74 (z/y)^0.5, within 0.40-0.85) and the calories follow
 * the food value at a constant price per calorie apart from noise, so the
 * basic-needs line of the reference population lands near the line z of
 * garis_kemiskinan/; the ratios are scaled once, on 2024, so that the
 * non-food line is about 0.26 z per urban/rural area.
 */
typedef struct {
    const char *kode, *nama, *satuan;
    int kkal;      /* kcal per unit */
    long harga;    /* Rp per unit, 2024 */
    double porsi;  /* value share among food */
    double p;      /* probability a household buys it */
} Food;

static const Food FOOD[] = {
    {"001", "Beras", "kg", 3610, 14000, .200, 1.00},
    {"002", "Beras ketan", "kg", 3620, 20000, .004, .15},
    {"003", "Jagung pipilan", "kg", 3070, 9000, .004, .15},
    {"004", "Tepung terigu", "kg", 3330, 12000, .006, .40},
    {"005", "Ketela pohon", "kg", 1460, 6000, .004, .35},
    {"006", "Ketela rambat", "kg", 1230, 8000, .003, .25},
    {"007", "Kentang", "kg", 620, 18000, .004, .30},
    {"008", "Ikan tongkol/tuna/cakalang", "kg", 1000, 38000, .020, .45},
    {"009", "Ikan kembung", "kg", 1120, 40000, .018, .40},
    {"010", "Ikan bandeng", "kg", 1290, 35000, .012, .30},
    {"011", "Ikan nila/mujair", "kg", 890, 32000, .020, .45},
    {"012", "Ikan gabus (haruan)", "kg", 800, 60000, .025, .40},
    {"013", "Ikan patin", "kg", 1320, 30000, .012, .35},
    {"014", "Ikan asin", "kg", 1930, 60000, .015, .50},
    {"015", "Udang segar", "kg", 910, 80000, .006, .15},
    {"016", "Daging sapi", "kg", 2070, 140000, .010, .15},
    {"017", "Daging ayam ras", "kg", 2980, 38000, .040, .60},
    {"018", "Daging ayam kampung", "kg", 2980, 70000, .008, .15},
    {"019", "Telur ayam ras", "kg", 1540, 29000, .045, .85},
    {"020", "Telur itik", "butir", 189, 3000, .004, .15},
    {"021", "Susu kental manis", "kaleng", 1240, 12000, .010, .30},
    {"022", "Susu bubuk", "kg", 5130, 120000, .008, .15},
    {"023", "Bayam", "kg", 360, 10000, .006, .50},
    {"024", "Kangkung", "kg", 290, 8000, .008, .55},
    {"025", "Kacang panjang", "kg", 300, 12000, .007, .50},
    {"026", "Kol/kubis", "kg", 240, 10000, .005, .40},
    {"027", "Sawi hijau", "kg", 220, 10000, .005, .40},
    {"028", "Tomat sayur", "kg", 200, 12000, .006, .50},
    {"029", "Cabe merah", "kg", 310, 45000, .012, .60},
    {"030", "Cabe rawit", "kg", 1030, 50000, .014, .70},
    {"031", "Bawang merah", "kg", 390, 36000, .018, .90},
    {"032", "Bawang putih", "kg", 950, 38000, .010, .85},
    {"033", "Terong", "kg", 240, 10000, .004, .35},
    {"034", "Tahu", "kg", 800, 14000, .016, .60},
    {"035", "Tempe", "kg", 2010, 14000, .018, .65},
    {"036", "Kacang tanah", "kg", 4520, 30000, .004, .20},
    {"037", "Pisang", "kg", 990, 15000, .010, .40},
    {"038", "Jeruk", "kg", 450, 25000, .006, .25},
    {"039", "Pepaya", "kg", 460, 8000, .003, .20},
    {"040", "Minyak goreng", "liter", 8840, 17000, .040, .95},
    {"041", "Kelapa", "butir", 1400, 8000, .008, .40},
    {"042", "Gula pasir", "kg", 3940, 17500, .035, .90},
    {"043", "Teh", "ons", 130, 4000, .006, .60},
    {"044", "Kopi bubuk", "ons", 350, 5000, .010, .60},
    {"045", "Garam", "kg", 0, 8000, .003, .90},
    {"046", "Kecap", "liter", 620, 30000, .006, .45},
    {"047", "Penyedap masakan", "ons", 0, 5000, .004, .70},
    {"048", "Mie instan", "bungkus", 350, 3200, .025, .80},
    {"049", "Roti", "potong", 280, 3000, .012, .45},
    {"050", "Kue basah", "buah", 150, 2000, .015, .55},
    {"051", "Rokok kretek filter", "batang", 0, 1600, .110, .65},
    {"052", "Rokok kretek tanpa filter", "batang", 0, 1000, .030, .30},
};
#define NFOOD ((int)(sizeof FOOD / sizeof FOOD[0]))

typedef struct {
    const char *kode, *nama;
    double r0;     /* basic-needs ratio before the scaling */
    double porsi;  /* value share among non-food */
    double p;      /* probability a household buys it */
    int kota;      /* 1: in the urban basket only */
} NonFood;

static const NonFood NONFOOD[] = {
    {"101", "Perkiraan sewa rumah milik sendiri", .45, .180, .95, 0},
    {"102", "Sewa/kontrak rumah", .60, .050, .08, 0},
    {"103", "Listrik", .80, .080, .90, 0},
    {"104", "Gas elpiji", .90, .050, .85, 0},
    {"105", "Minyak tanah", .90, .005, .05, 0},
    {"106", "Kayu bakar", .90, .005, .20, 0},
    {"107", "Pemeliharaan/perbaikan rumah", .50, .020, .30, 0},
    {"108", "Sabun mandi", .90, .015, .95, 0},
    {"109", "Pasta gigi", .90, .008, .90, 0},
    {"110", "Sampo", .80, .008, .80, 0},
    {"111", "Sabun cuci/deterjen", .90, .015, .95, 0},
    {"112", "Pembalut/popok", .70, .008, .40, 0},
    {"113", "Bahan perawatan kulit", .30, .015, .60, 0},
    {"114", "Potong rambut", .50, .005, .50, 0},
    {"115", "Puskesmas/posyandu", .90, .005, .20, 0},
    {"116", "Rumah sakit/dokter praktik", .60, .015, .20, 0},
    {"117", "Obat-obatan", .70, .012, .60, 0},
    {"118", "Iuran BPJS Kesehatan", .80, .012, .35, 0},
    {"119", "SPP/uang sekolah", .80, .025, .40, 0},
    {"120", "Buku tulis dan alat tulis", .90, .006, .50, 0},
    {"121", "Buku pelajaran", .80, .004, .30, 0},
    {"122", "Seragam sekolah", .80, .006, .30, 0},
    {"123", "Kursus/les", .30, .006, .08, 0},
    {"124", "Bensin", .60, .070, .85, 0},
    {"125", "Servis/suku cadang kendaraan", .40, .012, .40, 0},
    {"126", "Pulsa/paket data", .55, .040, .90, 0},
    {"127", "Pakaian jadi laki-laki dewasa", .70, .012, .50, 0},
    {"128", "Pakaian jadi perempuan dewasa", .70, .014, .50, 0},
    {"129", "Pakaian jadi anak", .80, .010, .40, 0},
    {"130", "Alas kaki", .70, .008, .45, 0},
    {"131", "Bahan pakaian/ongkos jahit", .50, .003, .15, 0},
    {"132", "Perlengkapan tidur", .60, .003, .15, 0},
    {"133", "Perabot rumah tangga", .40, .008, .20, 0},
    {"134", "Peralatan dapur", .60, .004, .30, 0},
    {"135", "Perkakas rumah tangga", .70, .003, .30, 0},
    {"136", "Barang elektronik kecil", .30, .008, .10, 0},
    {"137", "Pajak bumi dan bangunan", .80, .003, .40, 0},
    {"138", "Pajak kendaraan bermotor", .50, .008, .35, 0},
    {"139", "Asuransi", .20, .005, .05, 0},
    {"140", "Upacara/selamatan", .40, .015, .30, 0},
    {"141", "Sumbangan sosial", .30, .010, .40, 0},
    {"142", "Rekreasi", .20, .006, .15, 0},
    {"143", "Jasa laundry", .20, .003, .08, 0},
    {"144", "Mainan anak", .30, .002, .15, 0},
    {"145", "Koran/majalah", .40, .001, .05, 0},
    {"146", "Tas dan dompet", .40, .003, .15, 0},
    {"147", "Jam tangan/kacamata", .40, .002, .05, 0},
    {"148", "Air ledeng (PDAM)", .90, .015, .50, 1},
    {"149", "Angkutan umum", .70, .010, .30, 1},
    {"150", "Iuran kebersihan/sampah", .80, .003, .50, 1},
    {"151", "Biaya parkir", .50, .002, .30, 1},
};
#define NNONF ((int)(sizeof NONFOOD / sizeof NONFOOD[0]))

/* Invented March CPI (2018 = 100), 2015-2024. */
static const long IHK[NY] = {8862, 9151, 9478, 9796, 10049, 10342, 10478, 10758, 11427, 11752};

typedef struct {
    int n;                   /* items bought */
    int item[NNONF > NFOOD ? NNONF : NFOOD];
    long val[NNONF > NFOOD ? NNONF : NFOOD];  /* cents */
    long qm[NFOOD];          /* food: quantity in thousandths of the unit */
} Basket;

/* Spread total cents over the bought items by weights: exact sum, the
 * rounding remainder on the largest item. */
static void spread(Basket *b, const double *wt, long total)
{
    double sw = 0;
    for (int i = 0; i < b->n; i++)
        sw += wt[i];
    long sum = 0;
    int big = 0;
    for (int i = 0; i < b->n; i++) {
        b->val[i] = (long)floor((double)total * wt[i] / sw);
        sum += b->val[i];
        if (wt[i] > wt[big])
            big = i;
    }
    b->val[big] += total - sum;
}

static void write_konsumsi(void)
{
    static Basket food[KNY][600], nonf[KNY][600];
    for (int t = 0; t < KNY; t++) {
        int year = KY0 + t, y = year - Y0;
        double z = (double)g_gk[y];
        /* Rp per kcal at which F = 0.74 z buys 2100 kcal a day (30 days) */
        double rp_kcal = 0.74 * z / (2100.0 * 30.0);
        /* price factor: the base basket's mean Rp per kcal to rp_kcal */
        double sv = 0, sk = 0;
        for (int k = 0; k < NFOOD; k++) {
            double v = FOOD[k].porsi * FOOD[k].p;
            sv += v;
            sk += v / (double)FOOD[k].harga * FOOD[k].kkal;
        }
        double lambda = rp_kcal * sk / sv;
        rseed(0x6B6F6E73756D7369ULL + (uint64_t)(unsigned)year);
        for (int i = 0; i < g_kn[t]; i++) {
            const SH *x = &g_kh[t][i];
            long tot = x->kc * x->size;
            double yc = (double)x->kc / 100.0;
            double s = 0.74 * sqrt(z / yc) * exp(0.05 * rnorm());
            if (s < 0.40)
                s = 0.40;
            if (s > 0.85)
                s = 0.85;
            long fc = (long)floor((double)tot * s + 0.5);
            Basket *b = &food[t][i];
            double wt[NFOOD];
            b->n = 0;
            for (int k = 0; k < NFOOD; k++)
                if (rprob(FOOD[k].p)) {
                    b->item[b->n] = k;
                    wt[b->n++] = FOOD[k].porsi * exp(0.3 * rnorm());
                }
            spread(b, wt, fc);
            for (int j = 0; j < b->n; j++) {
                const Food *f = &FOOD[b->item[j]];
                double price = (double)f->harga * lambda * exp(0.08 * rnorm());
                double q = (double)b->val[j] / 100.0 / price;
                b->qm[j] = (long)floor(q * 1000.0 + 0.5);
                if (b->qm[j] < 1)
                    b->qm[j] = 1;
            }
            Basket *c = &nonf[t][i];
            double wn[NNONF];
            c->n = 0;
            for (int k = 0; k < NNONF; k++) {
                double p = NONFOOD[k].p * (NONFOOD[k].kota && !x->urban ? 0.3 : 1.0);
                if (rprob(p)) {
                    c->item[c->n] = k;
                    wn[c->n++] = NONFOOD[k].porsi * exp(0.3 * rnorm());
                }
            }
            if (c->n == 0) {
                c->item[0] = 0;
                wn[c->n++] = 1.0;
            }
            spread(c, wn, tot - fc);
        }
    }
    /* Scale the ratios on 2024: the non-food line of each area's reference
     * population (the 20 % of persons from the CPI-moved 2023 line up)
     * becomes 0.26 z. */
    double scale[2];
    {
        int t = KNY - 1, y = KY0 + t - Y0;
        double zp = (double)g_gk[y - 1] * (double)IHK[y] / (double)IHK[y - 1];
        for (int u = 0; u < 2; u++) {
            int idx[600], m = 0;
            double wall = 0;
            for (int i = 0; i < g_kn[t]; i++)
                if (g_kh[t][i].urban == !u) {
                    idx[m++] = i;
                    wall += (double)g_kh[t][i].wc * g_kh[t][i].size;
                }
            for (int a = 1; a < m; a++) /* insertion sort by KAPITA */
                for (int b2 = a; b2 > 0 && g_kh[t][idx[b2]].kc < g_kh[t][idx[b2 - 1]].kc; b2--) {
                    int tmp = idx[b2];
                    idx[b2] = idx[b2 - 1];
                    idx[b2 - 1] = tmp;
                }
            double cum = 0, sw = 0, sr = 0;
            for (int a = 0; a < m; a++) {
                const SH *x = &g_kh[t][idx[a]];
                if ((double)x->kc / 100.0 < zp)
                    continue;
                if (cum >= 0.2 * wall)
                    break;
                double w = (double)x->wc * x->size;
                cum += w;
                sw += w;
                const Basket *c = &nonf[t][idx[a]];
                for (int j = 0; j < c->n; j++)
                    if (!NONFOOD[c->item[j]].kota || !u)
                        sr += (double)x->wc * NONFOOD[c->item[j]].r0 * (double)c->val[j] / 100.0;
            }
            scale[u] = 0.26 * (double)g_gk[y] / (sr / sw);
        }
    }
    Out o = oopen("konsumsi/komoditas_makanan.csv");
    oputs(&o, "kode,nama,satuan,kkal_per_satuan\n");
    for (int k = 0; k < NFOOD; k++)
        oprintf(&o, "%s,%s,%s,%d\n", FOOD[k].kode, FOOD[k].nama, FOOD[k].satuan, FOOD[k].kkal);
    oclose(&o);
    o = oopen("konsumsi/rasio_kebutuhan_dasar.csv");
    oputs(&o, "kode,nama,rasio_perkotaan,rasio_perdesaan\n");
    for (int k = 0; k < NNONF; k++) {
        long ru = (long)floor(NONFOOD[k].r0 * scale[0] * 10000.0 + 0.5);
        long rr = (long)floor(NONFOOD[k].r0 * scale[1] * 10000.0 + 0.5);
        if (ru > 10000)
            ru = 10000;
        if (rr > 10000)
            rr = 10000;
        if (NONFOOD[k].kota)
            oprintf(&o, "%s,%s,%ld.%04ld,\n", NONFOOD[k].kode, NONFOOD[k].nama, ru / 10000, ru % 10000);
        else
            oprintf(&o, "%s,%s,%ld.%04ld,%ld.%04ld\n", NONFOOD[k].kode, NONFOOD[k].nama, ru / 10000,
                    ru % 10000, rr / 10000, rr % 10000);
    }
    oclose(&o);
    o = oopen("konsumsi/ihk_balangan.csv");
    oputs(&o, "kode_wilayah,periode,ihk\n");
    for (int y = 0; y < NY; y++)
        oprintf(&o, "63.11,%d-03,%ld.%02ld\n", Y0 + y, IHK[y] / 100, IHK[y] % 100);
    oclose(&o);
    for (int t = 0; t < KNY; t++) {
        char rel[80];
        snprintf(rel, sizeof rel, "konsumsi/konsumsi_makanan_balangan_%d.csv", KY0 + t);
        o = oopen(rel);
        oputs(&o, "URUT,KODE,KUANTITAS,NILAI\n");
        long rows = 0;
        for (int i = 0; i < g_kn[t]; i++) {
            const Basket *b = &food[t][i];
            for (int j = 0; j < b->n; j++, rows++)
                oprintf(&o, "%d,%s,%ld.%03ld,%ld.%02ld\n", i + 1, FOOD[b->item[j]].kode, b->qm[j] / 1000,
                        b->qm[j] % 1000, b->val[j] / 100, b->val[j] % 100);
        }
        oclose(&o);
        snprintf(rel, sizeof rel, "konsumsi/konsumsi_bukan_makanan_balangan_%d.csv", KY0 + t);
        o = oopen(rel);
        oputs(&o, "URUT,KODE,NILAI\n");
        long rn = 0;
        for (int i = 0; i < g_kn[t]; i++) {
            const Basket *c = &nonf[t][i];
            for (int j = 0; j < c->n; j++, rn++)
                oprintf(&o, "%d,%s,%ld.%02ld\n", i + 1, NONFOOD[c->item[j]].kode, c->val[j] / 100,
                        c->val[j] % 100);
        }
        oclose(&o);
        fprintf(stderr, "konsumsi %d: %ld food rows, %ld non-food rows\n", KY0 + t, rows, rn);
    }
    fprintf(stderr, "konsumsi: ratio scale perkotaan %.4f perdesaan %.4f\n", scale[0], scale[1]);
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen-fixtures REFDIR OUTDIR\n");
        return 1;
    }
    const char *ref = argv[1];
    g_outdir = argv[2];
    load_ref(ref);
    mkdirp(g_outdir);
    static const char *SUB[] = {"dtks", "susenas", "garis_kemiskinan", "terbitan", "kube", "uep",
                                "penduduk", "wilayah", "sae", "konsumsi"};
    for (int i = 0; i < NEL(SUB); i++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", g_outdir, SUB[i]);
        mkdirp(p);
    }
    derive_gk();
    build_population();
    g_np_base = g_np;
    build_records();
    build_adversarial();
    write_dtks();
    write_programmes();
    write_gk();
    write_susenas();
    write_terbitan();
    write_sae();
    write_konsumsi();
    copy_file(ref, "penduduk_balangan.csv", "penduduk/penduduk_balangan.csv");
    copy_file(ref, "wilayah_kalsel_balangan.csv", "wilayah/wilayah_kalsel_balangan.csv");
    free(g_r);
    return 0;
}
