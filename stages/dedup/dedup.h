/*
 * dedup.h - normalized person rows -> one row per person (angka-dedup's
 * logic), with an audit trail of every row folded into a cluster.
 *
 * Passes (see docs/dedup.md for the full description):
 *   1. read: every row is spooled (spool.h: memory up to spool_memory_mb,
 *      then an unlinked file; as the CSV line the unique file will carry)
 *      and reduced to a compact struct dedup_rec of
 *      keys (NIK as uint64, No KK and names interned, dates as int32 days);
 *   2. exact: rows with the same valid NIK are one person (union-find);
 *   3. probable: blocking rules emit candidate pairs, counted per rule on
 *      stderr before any scoring; oversized blocks are skipped with a
 *      warning; each distinct pair is scored (Jaro-Winkler name, birth date
 *      with tolerance, sex, NIK typo/transposition distance, No KK, desa);
 *      score >= merge_threshold joins the clusters, a score in
 *      [review_threshold, merge_threshold) gives a review row;
 *   4. survivor: per cluster, by the configured criteria, then
 *      (src_file, src_line) so that the choice never depends on input order;
 *   5. output: unique rows + cluster_id + cluster_size, duplicates, review,
 *      households and household counts, all written atomically.
 *
 * Cluster id: "C" + 16 lower-case hex digits of FNV-1a 64 over the cluster's
 * smallest member key: "N" + the smallest valid NIK of the cluster (16
 * digits) if it has one (plus the cluster's content key when several
 * clusters keep one NIK apart, nik_shared), else the smallest content key of
 * its members (nama_kunci, tgl_lahir, jenis_kelamin, kode_wilayah, no_kk;
 * see dedup_row_keyh). It depends only on the cluster's members, never on
 * the input order, on a run, on the file name or on the directory the
 * extract was read from.
 * Survivor: [dedup] survivor (default latest_update,latest_period,
 * nik_support,most_complete,content,first_line), with first_line always
 * appended as the final tie-break (after content unless the list names
 * first_line itself).
 *
 * Every sort goes through keysort.h, which spills sorted runs to disk when
 * the [dedup] memory_mb budget is exceeded.
 */
#ifndef DEDUP_H
#define DEDUP_H

#include <stdint.h>

#include "angka.h"

/* ---- Settings ([dedup] section) ---- */

enum dedup_criterion {
	DEDUP_LATEST_UPDATE = 0,  /* latest tgl_update (missing is oldest) */
	DEDUP_LATEST_PERIOD,      /* newest periode (missing is oldest) */
	DEDUP_NIK_SUPPORT,        /* the NIK agreeing with the row's birth
	                           * date and sex, then the cluster's
	                           * majority NIK */
	DEDUP_MOST_COMPLETE,      /* most non-empty fields */
	DEDUP_CONTENT,            /* smallest content: every field but
	                           * src_file and src_line, as text */
	DEDUP_FIRST_LINE,         /* smallest (src_file, src_line) */
	DEDUP_NCRITERIA
};

struct dedup_settings {
	const char *survivor;       /* "latest_update,latest_period,
	                             * nik_support,most_complete,content,
	                             * first_line" */
	enum dedup_criterion order[DEDUP_NCRITERIA + 1];
	int norder;                 /* parsed from survivor; first_line last */
	double merge_threshold;     /* default 0.95 */
	long min_cell;              /* [registry] min_cell: household counts
	                             * 1..min_cell-1 suppressed (5) */
	double review_threshold;    /* default 0.85 */
	long date_tolerance_days;   /* default 0 (equal or day/month swap) */
	long max_pairs_per_block;   /* default 5000 */
	long max_pairs;             /* default 10,000,000 (16 bytes each) */
	double memory_mb;           /* sort budget, default 1024 */
	const char *tmpdir;         /* spill directory; NULL: $TMPDIR, /tmp */
	int merge_distinct_nik;     /* merge two far-apart valid NIKs; default no */
	int fail_on_cap;            /* a capped or skipped blocking pass is an
	                             * error, not a warning; default no */
	long max_warnings;          /* per-block warnings on stderr (default 10) */
	long threads;               /* threads for the blocking passes (2) */
	double spool_memory_mb;     /* input rows kept in memory, the rest on
	                             * disk (default: 1/8 of the memory) */
	long placeholder_rows;      /* a valid NIK on more rows than this whose
	                             * names conflict is a placeholder (5) */
	const char *decisions;      /* the clerk's decisions file; NULL: none */
	const char *change_periods; /* perubahan_periods "PREV,CUR"; NULL:
	                             * the two newest periods of the input */
	const char *model;          /* "fs" (learned weights, default) or
	                             * "fixed" (the fixed-weight score) */
	int fixed;                  /* model = fixed */
	int golden_all;             /* golden = all: a golden record for every
	                             * person; merged (0, default): only for
	                             * the persons of two or more rows */
};

struct dedup_opts {
	const char *in;             /* input path, "-" for stdin */
	const char *out;            /* unique persons; NULL or "-": stdout */
	const char *duplicates;     /* NULL: not written */
	const char *review;
	const char *households;
	const char *household_counts;
	int quiet;
	int verbose;                /* each pass's wall time on stderr */
	const char *decisions;      /* decisions file (--decisions, else
	                             * [dedup] decisions); NULL: none */
	int evaluate;               /* only print precision and recall per
	                             * threshold of the decisions (stdout) */
	const char *perubahan;      /* changes between two periods, one row
	                             * per person (private); NULL: not written */
	const char *perubahan_desa; /* their counts per desa (no personal
	                             * data); NULL: not written */
	const char *change_periods; /* --perubahan-periods "PREV,CUR";
	                             * NULL: [dedup] perubahan_periods */
	const char *wilayah;        /* region table: desa names in
	                             * perubahan_desa; NULL: none */
	const char *golden;         /* a golden record per person with each
	                             * field's source row (private); NULL:
	                             * not written */
	int fit;                    /* only print the learned m/u table */
	unsigned shard_k, shard_n;  /* --shard K/N: only the blocking of the
	                             * keys (NIK, each rule's key) whose hash
	                             * falls in shard K of N; shard_n 0: all */
	const char *pairs_out;      /* --pairs-out: with --shard, write the
	                             * shard's groups and pairs there, nothing
	                             * else (see docs/dedup.md) */
	const char *const *merge_pairs; /* --merge-pairs: the pair files of
	                             * shards 0..N-1 (each once) instead of the
	                             * blocking; the outputs as unsharded */
	size_t nmerge_pairs;
	const char *recs_out;       /* --recs-out: only read the input (a
	                             * part file) and write its rows' state
	                             * there (recs.c, docs/dedup.md) */
	const char *header_from;    /* --header-from: the header row is this
	                             * file's first (a part without one) */
	const char *const *recs;    /* --recs: the part files' recs, in
	                             * order, instead of reading parts[] */
	size_t nrecs;
	const char *const *parts;   /* with --recs: the part files, as many
	                             * as recs, in the same order */
	size_t nparts;
};

/* The blocking rules, in the order their jobs run and their pairs are
 * joined; each has its row (name, key function, windows) in block_rules
 * of block.c. */
enum dedup_rule {
	DEDUP_RULE_EXACT_NIK = 0,
	DEDUP_RULE_NIK_NEAR,        /* NIK with a 4-digit window masked + the
	                             * first letter of nama_kunci */
	DEDUP_RULE_DOB_SEX_KEC,     /* tgl_lahir + jenis_kelamin + kode_kec */
	DEDUP_RULE_NAME_DOB,        /* nama_kunci + tgl_lahir */
	DEDUP_RULE_NAME_DESA_YEAR,  /* nama_kunci + kode_wilayah + birth year */
	DEDUP_RULE_NAME_KK,         /* nama_kunci + No KK (reaches rows with
	                             * neither NIK nor birth date) */
	DEDUP_RULE_DOB_SEX_KAB,     /* tgl_lahir + jenis_kelamin + kabupaten:
	                             * movers between kecamatan (pairs in two
	                             * kecamatan, one row without NIK) */
	DEDUP_RULE_NAME_DESA,       /* nama_kunci + kode_wilayah (pairs with a
	                             * row without NIK and birth date) */
	DEDUP_NRULES
};

/* The rule's name as printed and written in duplicates.csv/review.csv. */
const char *dedup_rule_name(int rule);

struct dedup_stats {
	uint64_t rows_in;
	uint64_t unique;
	uint64_t duplicates;
	uint64_t dup_exact;         /* duplicates linked by the exact-NIK pass */
	uint64_t review;
	uint64_t clusters_multi;    /* clusters with more than one row */
	uint64_t pairs[DEDUP_NRULES];   /* candidate pairs per rule */
	uint64_t blocks_skipped[DEDUP_NRULES];
	uint64_t pairs_distinct;
	uint64_t pairs_merged;
	uint64_t households;
	uint64_t runs_spilled;
	uint64_t state_bytes;       /* dedup's own state, peak estimate */
	uint64_t nik_pattern;       /* rows with a placeholder-pattern NIK */
	uint64_t nik_placeholder;   /* rows of a NIK on > placeholder_rows
	                             * rows with conflicting names */
	uint64_t nik_is_kk;         /* rows whose NIK is their No KK */
	uint64_t nik_shared;        /* rows sharing a NIK with a conflict */
	uint64_t merges_refused;    /* merges refused: two valid NIKs */
	uint64_t nik_typo2;         /* merges of two valid NIKs two digits
	                             * apart, one contradicting its row's
	                             * birth date or sex (merge.c) */
	uint64_t decisions_sama;    /* decided pairs of rows in the input */
	uint64_t decisions_beda;
	uint64_t decisions_empty;   /* rows left undecided */
	uint64_t decisions_unknown; /* naming a row not in the input */
	uint64_t decisions_conflict;  /* a pair both sama and beda: beda */
	uint64_t sama_refused;      /* sama not honoured: two valid NIKs far
	                             * apart, or a beda between the sets */
	uint64_t beda_refused;      /* merges refused by a beda decision */
	unsigned chg_period_prev;   /* perubahan: the periods compared
	                             * (dedup_period_code); 0: fewer than two */
	unsigned chg_period_cur;
	uint64_t chg_persons_prev;  /* persons with a row of each period */
	uint64_t chg_persons_cur;
	uint64_t chg_tambah, chg_hapus, chg_pindah, chg_ubah;
};

/*
 * Fill s with the defaults, then the [dedup] section of cfg (may be NULL).
 * ANGKA_ECONFIG with e set on an unknown key, a bad value, an unknown
 * survivor criterion or review_threshold > merge_threshold.
 */
enum angka_err dedup_settings_load(struct dedup_settings *s,
                                   struct angka_config *cfg,
                                   struct angka_error *e);

/* A period code (nonzero) as written ("2024", "2024-06") into out. */
void dedup_period_text(unsigned code, char out[8]);

/* Parse perubahan periods "PREV,CUR" (YYYY or YYYY-MM each) into two
 * dedup_period_code values; -1 unless both are periods and PREV is older. */
int dedup_parse_change_periods(const char *s, unsigned *prev, unsigned *cur);

/* Parse a survivor criteria list into s->order/s->norder. -1 if bad. */
int dedup_parse_survivor(struct dedup_settings *s, const char *list);

/* Run the stage; ANGKA_OK, or a code with e set. Never exits, except on
 * out of memory: its allocations go through angka_xmalloc and friends
 * (xalloc.h), which print "out of memory allocating N bytes" and exit 1.
 * Input past the 32-bit row, id or offset limits is ANGKA_ENOMEM with e
 * set, not an exit. */
enum angka_err dedup_run(const struct dedup_opts *o,
                         const struct dedup_settings *s,
                         struct dedup_stats *st, struct angka_error *e);

/* ---- Building blocks, exposed for the unit tests ---- */

/* The widths of struct dedup_rec's bit fields, each asserted below (and the
 * rule's in ctx.h) to hold every value it is given. */
#define DEDUP_REC_SCORE_BITS 14
#define DEDUP_REC_NFILLED_BITS 7
#define DEDUP_REC_RULE_BITS 4
#define DEDUP_REC_SEX_BITS 2
#define DEDUP_REC_WIL_HI_BITS 2

/*
 * One input row, compactly (48 bytes: at national scale the record array is
 * most of the stage's memory, so every field is as narrow as its values).
 */
struct dedup_rec {
	uint64_t nik;       /* 16-digit NIK as a number; 0: none */
	uint32_t off;       /* row text in the spool file, from the offset of
	                     * its block of DEDUP_OFF_BLOCK rows (ctx.h) */
	uint32_t wil_lo;    /* kode_wilayah (34 bits, see dedup_rec_wil) */
	union {
		uint32_t name;  /* interned nama_kunci; 0: empty */
		uint32_t cslot; /* after scoring: 1 + the row's multi-row
		                 * cluster if it is its root; 0: none */
	};
	uint32_t kk;        /* valid No KK, interned (ctx.h); 0: none */
	uint32_t file;      /* interned src_file */
	uint32_t line;      /* src_line */
	uint32_t parent;    /* union-find */
	int32_t dob;        /* tgl_lahir, days since 1970-01-01; INT32_MIN none */
	int32_t upd;        /* tgl_update, same */
	unsigned int score : DEDUP_REC_SCORE_BITS;  /* best score that linked
	                            * this row into its cluster, in units of
	                            * 0.0001 */
	unsigned int nfilled : DEDUP_REC_NFILLED_BITS;  /* non-empty fields
	                            * (capped at DEDUP_NFILLED_MAX) */
	unsigned int rule : DEDUP_REC_RULE_BITS;  /* the rule of that link;
	                            * DEDUP_RULE_NONE (ctx.h): none */
	unsigned int sex : DEDUP_REC_SEX_BITS;    /* DEDUP_SEX_* */
	unsigned int nik_valid : 1;    /* nik_status = valid */
	unsigned int head : 1;     /* hub_krt = 1 */
	unsigned int wil_hi : DEDUP_REC_WIL_HI_BITS;
	unsigned int flagged : 1;  /* the row has flags in dedup_ctx.rflags
	                            * (rare: NIK not used as evidence) */
};

enum { DEDUP_SEX_NONE = 0, DEDUP_SEX_L, DEDUP_SEX_P };

#define DEDUP_NFILLED_MAX 127   /* wider rows tie on most_complete */
#define DEDUP_SCORE_UNITS_MAX 10000   /* a score of 1 */

_Static_assert(sizeof(struct dedup_rec) == 48,
               "struct dedup_rec is 48 bytes (see its comment)");
_Static_assert(DEDUP_SCORE_UNITS_MAX < 1u << DEDUP_REC_SCORE_BITS,
               "dedup_rec.score holds a score of 1");
_Static_assert(DEDUP_NFILLED_MAX < 1u << DEDUP_REC_NFILLED_BITS,
               "dedup_rec.nfilled holds its cap");
_Static_assert(DEDUP_SEX_P < 1u << DEDUP_REC_SEX_BITS,
               "dedup_rec.sex holds every DEDUP_SEX_* value");
_Static_assert(9999999999ULL < 1ULL << (32 + DEDUP_REC_WIL_HI_BITS),
               "wil_lo and wil_hi hold a 10-digit kode_wilayah");

/* kode_wilayah; kode_kec * 10000 if only the kecamatan is known; 0: none
 * (10 digits, below 2^34). */
static inline uint64_t dedup_rec_wil(const struct dedup_rec *r)
{
	return (uint64_t)r->wil_hi << 32 | r->wil_lo;
}

static inline void dedup_rec_set_wil(struct dedup_rec *r, uint64_t wil)
{
	r->wil_lo = (uint32_t)wil;
	r->wil_hi = (unsigned int)(wil >> 32) & 3u;
}

/* A score in [0, 1] (already rounded to 4 decimals) as rec.score units. */
static inline unsigned int dedup_score_units(double score)
{
	return (unsigned int)(score * 10000.0 + 0.5);
}

/* Eight bytes of s as a number whose lowest byte is s[0], on any byte
 * order (compilers turn this into one load on a little-endian machine). */
static inline uint64_t dedup_load8_le(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
	       (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 |
	       (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 |
	       (uint64_t)u[7] << 56;
}

/* The value of the eight ASCII digits in w (dedup_load8_le), or
 * UINT64_MAX if one byte is no digit: each byte less '0' must be 0..9,
 * i.e. it and it plus 6 keep their high nibble clear (a byte below '0'
 * borrows and sets its own high nibble, so no invalid byte passes).
 * Then the digits are combined pairwise in three multiplications. */
static inline uint64_t dedup_digits8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t x = w - '0' * ones;
	if ((x | (x + 6 * ones)) & (0xF0 * ones))
		return UINT64_MAX;
	x = x * 10 + (x >> 8);   /* bytes 0, 2, 4, 6: two digits each */
	x = ((x & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
	     ((x >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))
	    >> 32;
	return x;
}

#define DEDUP_NODATE INT32_MIN

/* Days since 1970-01-01 of "YYYY-MM-DD"; DEDUP_NODATE if not such a date. */
int32_t dedup_parse_date(const char *s, size_t len);

/* A 16-digit string as a number; 0 if s is not exactly 16 digits. */
uint64_t dedup_parse_nik(const char *s, size_t len);

enum dedup_nik_dist {
	DEDUP_NIK_SAME = 0,
	DEDUP_NIK_TYPO,     /* one digit differs */
	DEDUP_NIK_SWAP,     /* two adjacent digits swapped */
	DEDUP_NIK_FAR
};
/* Distance class of two 16-digit NIKs (as numbers). */
enum dedup_nik_dist dedup_nik_distance(uint64_t a, uint64_t b);

enum dedup_date_agree {
	DEDUP_DATE_EQUAL = 0,
	DEDUP_DATE_SWAPPED,   /* day and month exchanged */
	DEDUP_DATE_NEAR,      /* within the tolerance */
	DEDUP_DATE_DIFF
};
enum dedup_date_agree dedup_date_agreement(int32_t a, int32_t b,
                                           long tolerance_days);

/* Union-find over rec[].parent (path halving; union by smaller index, so
 * the root is always the cluster's smallest row index). */
uint32_t dedup_uf_find(struct dedup_rec *rec, uint32_t i);
/* Join the sets of a and b; 1 if they were different sets. */
int dedup_uf_union(struct dedup_rec *rec, uint32_t a, uint32_t b);
/* Join the sets of a and b under the cluster constraint: a set holds at
 * most one distinct valid NIK, carried by its root (the root is a row with
 * a valid NIK if the set has one, else the smaller index). 1 if joined, 0
 * if already one set, -1 if refused (two different valid NIKs and not
 * allow_distinct; nothing changed). */
int dedup_uf_union_nik(struct dedup_rec *rec, uint32_t a, uint32_t b,
                       int allow_distinct);

/* A NIK whose 10 digits after the 6-digit region prefix hold a run of
 * DEDUP_NIK_RUN_MIN or more digits that repeat (1111) or count up or down
 * by one (1234, 9876; 9 -> 0 and 0 -> 9 continue the run): a placeholder,
 * never a person's number. 1 if nik (16 digits as a number) is one. */
#define DEDUP_NIK_RUN_MIN 8
int dedup_nik_placeholder(uint64_t nik);

/* Names (Jaro-Winkler of the name keys) under this never merge, and two
 * rows of one NIK under it are two people (nik_shared). */
#define DEDUP_NAME_MIN 0.90

/* A periode value ("YYYY" or "YYYY-MM", year 1900-2100) as a number that
 * orders periods: (year - 1900) * 13 + month + 1, month 0 for a year
 * alone (so "2024" sorts before "2024-01"); 0 if empty or not a period. */
#define DEDUP_PERIOD_MAX ((2100 - 1900) * 13 + 12 + 1)
unsigned dedup_period_code(const char *s, size_t len);

/* 1 if row r's NIK encodes its own birth date (DDMMYY, day + 40 for a
 * woman, the year's last two digits) and sex: both must be known. */
int dedup_nik_agrees(const struct dedup_rec *r);

/* 1 if rows a and b have valid NIKs exactly two digits apart, one of them
 * encoding its row's birth date and sex and the other not (two typos in
 * one NIK), and agree exactly on birth date, No KK and sex (both known):
 * with equal name keys the cluster constraint lets such a pair merge
 * (twins of one KK have other names; two NIKs that both agree with the
 * date, or both not, stay apart). */
int dedup_nik_two_typos(const struct dedup_rec *a, const struct dedup_rec *b);

/* What the survivor order knows of a row besides its record. */
struct dedup_surv_row {
	const struct dedup_rec *r;
	const char *file;      /* its src_file's text; NULL: ids compared */
	unsigned period;       /* dedup_period_code; 0: none */
	int nik_major;         /* its NIK is carried by more than half of its
	                        * cluster's rows that have a NIK */
};

/*
 * Survivor order: < 0 if a should survive rather than b (s->order; see
 * docs/dedup.md). The content criterion needs the rows' texts: it decides
 * nothing here (the caller splits the order around it, cluster.c).
 */
int dedup_survivor_cmp(const struct dedup_settings *s,
                       const struct dedup_surv_row *a,
                       const struct dedup_surv_row *b);

/* Pair score in [0, 1] and whether merging is allowed (two valid NIKs that
 * are not within one typo or swap are never merged unless configured). */
struct dedup_pair_score {
	double score;
	int mergeable;
	unsigned cell;       /* the pair's comparison levels (dedup_fs_cell) */
	double name_sim;
};
void dedup_score_pair(const struct dedup_settings *s,
                      const struct dedup_rec *a, const char *aname, size_t alen,
                      const struct dedup_rec *b, const char *bname, size_t blen,
                      struct dedup_pair_score *out);

/* ---- Learned match weights (fs.c; docs/dedup.md "Match weights") ---- */

/* The comparisons of a pair, each with levels; level 0 is "missing" (one
 * side has no value) and weighs 0. */
enum dedup_cmp {
	DEDUP_CMP_NAME = 0,  /* nama_kunci: exact, JW >= 0.95, >= 0.88, other */
	DEDUP_CMP_DOB,       /* tgl_lahir: exact, day/month swapped, near
	                      * (DEDUP_FS_NEAR_DAYS or date_tolerance_days,
	                      * or one digit of YYYYMMDD), other */
	DEDUP_CMP_NIK,       /* exact, one digit or swap, equal 15-digit
	                      * prefix with one ending in 0, other */
	DEDUP_CMP_KK,        /* exact, other */
	DEDUP_CMP_DESA,      /* same desa, same kecamatan, other */
	DEDUP_CMP_SEX,       /* exact, other */
	DEDUP_NCMP
};
#define DEDUP_FS_LEVELS_MAX 5
/* Cells: every combination of levels (5 * 5 * 5 * 3 * 4 * 3). */
#define DEDUP_FS_NCELLS 4500u
#define DEDUP_FS_NEAR_DAYS 3
#define DEDUP_FS_DOB_OTHER 4   /* the birth dates' level "other" */
#define DEDUP_FS_NAME_SIMILAR 3   /* the names' level "jw>=0.88" */
#define DEDUP_FS_NAME_OTHER 4
#define DEDUP_FS_NIK_OTHER 4
/* The fit: pseudo-counts of the prior (candidate pairs for m, random pairs
 * for u, candidate pairs for lambda), EM stop rule. */
#define DEDUP_FS_M_PRIOR 100.0
#define DEDUP_FS_U_PRIOR 1000.0
#define DEDUP_FS_LAMBDA0 0.1
#define DEDUP_FS_LAMBDA_PRIOR 10.0
#define DEDUP_FS_EM_MAX_ITER 100
#define DEDUP_FS_EM_EPS 1e-7
/* Rows and pairs of the population at least (a small file is a sample of
 * one): the denominators of the name frequencies and of the prior. */
#define DEDUP_FS_MIN_ROWS 10000u
#define DEDUP_FS_MIN_PAIRS 5e7

int dedup_fs_nlevels(int k);
const char *dedup_fs_cmp_name(int k);
const char *dedup_fs_level_name(int k, int l);
/* The cell of a level per comparison, and comparison k's level in a cell. */
unsigned dedup_fs_cell(const int level[DEDUP_NCMP]);
int dedup_fs_level(unsigned cell, int k);
/* The levels of one comparison (0: missing). jw < 0: a name missing. */
int dedup_fs_name_level(double jw);
int dedup_fs_date_level(int32_t a, int32_t b, long tolerance_days);
int dedup_fs_nik_level(uint64_t a, uint64_t b);
/* The levels of the No KK, the desa and the sex of records a and b into
 * l[DEDUP_CMP_KK], [DEDUP_CMP_DESA] and [DEDUP_CMP_SEX]: for
 * dedup_fs_compare and the fit's sampled pairs alike (inline: a call
 * cost the fit's samples 9 instructions a pair). */
static inline void dedup_fs_rec_levels(const struct dedup_rec *a,
                                       const struct dedup_rec *b,
                                       int l[DEDUP_NCMP])
{
	l[DEDUP_CMP_KK] = a->kk && b->kk ? (a->kk == b->kk ? 1 : 2) : 0;
	uint64_t aw = dedup_rec_wil(a), bw = dedup_rec_wil(b);
	if (!aw || !bw)
		l[DEDUP_CMP_DESA] = 0;
	else if (aw == bw && aw % 10000)
		l[DEDUP_CMP_DESA] = 1;
	else if (aw / 10000 == bw / 10000)
		l[DEDUP_CMP_DESA] = 2;
	else
		l[DEDUP_CMP_DESA] = 3;
	l[DEDUP_CMP_SEX] = a->sex && b->sex ? (a->sex == b->sex ? 1 : 2) : 0;
}
/* The same from precomputed parts (a sample compared many times): the
 * civil date {y, m, d} of a day number, the 16 digits of a NIK. */
void dedup_fs_civil(int32_t day, int ymd[3]);
int dedup_fs_date_level_ymd(int32_t a, int32_t b, const int ya[3],
                            const int yb[3], long tolerance_days);
void dedup_fs_nik_digits(uint64_t v, char d[16]);
int dedup_fs_nik_level_digits(uint64_t a, uint64_t b, const char da[16],
                              const char db[16]);
/* The cell of records a and b (name_sim: Jaro-Winkler of the name keys,
 * < 0 if one is empty). */
unsigned dedup_fs_compare(const struct dedup_rec *a, const struct dedup_rec *b,
                          double name_sim, long tolerance_days);

struct dedup_fs_model {
	double m[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX];
	double u[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX];
	double w[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX];   /* log2(m / u), rounded
	                                              * to 0.01 */
	int wcb[DEDUP_NCMP][DEDUP_FS_LEVELS_MAX];    /* the same in units of
	                                              * 0.01 */
	int prior_cb;
	double lambda;       /* share of matches among the candidate pairs */
	double prior;        /* of any pair of the extract */
	double prior_w;      /* log2(prior / (1 - prior)) */
	uint64_t ncand, nrandom;
	int iterations;
};
/* Fit m (EM, u fixed) and u from the histograms of cells of the candidate
 * pairs (cand) and of random pairs (rnd), DEDUP_FS_NCELLS each;
 * total_pairs: n (n - 1) / 2 of the extract. Deterministic. */
void dedup_fs_fit(struct dedup_fs_model *fm, const uint32_t *cand,
                  const uint32_t *rnd, double total_pairs);
/* Sum of the weights of a cell's levels (without prior and TF), in bits
 * and in units of 0.01 bits (exact). */
double dedup_fs_cell_weight(const struct dedup_fs_model *fm, unsigned cell);
int dedup_fs_cell_cb(const struct dedup_fs_model *fm, unsigned cell);
/* Term-frequency adjustment of an exact name carried by freq of the rows:
 * log2(u_exact / freq) when freq > u_exact (a common name), else 0;
 * rounded to 0.01 like every weight. */
double dedup_fs_tf_weight(const struct dedup_fs_model *fm, double freq);
/* 1 / (1 + 2^-weight). */
double dedup_fs_probability(double weight);

/* FNV-1a 64 of s[0..len), continuing from h (start: DEDUP_FNV_INIT). */
#define DEDUP_FNV_INIT 0xcbf29ce484222325ULL
uint64_t dedup_fnv1a(uint64_t h, const void *s, size_t len);

#endif
