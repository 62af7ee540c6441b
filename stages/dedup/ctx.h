/*
 * ctx.h - angka-dedup's internal state, shared by the files of its passes
 * (not part of the stage's interface; see dedup.h): the context, the
 * structures it owns, and the functions each pass's file offers the others,
 * by file.
 *
 * Ownership: struct dedup_ctx owns every array and the spool file; dedup_run
 * frees them. Strings returned by dedup_intern_str are borrowed from the
 * interner and live as long as it does.
 *
 * Errors come back as an angka_err with e set. Out of memory is not an
 * error but an exit: the functions here allocate through angka_xmalloc and
 * friends (xalloc.h), which print "out of memory allocating N bytes" and
 * exit 1.
 */
#ifndef DEDUP_CTX_H
#define DEDUP_CTX_H

#include <stdio.h>

#include "dedup.h"
#include "keysort.h"
#include "spool.h"

#define DEDUP_RULE_NONE 15    /* struct dedup_rec.rule of an unlinked row */
_Static_assert(DEDUP_NRULES < DEDUP_RULE_NONE,
               "DEDUP_RULE_NONE is no rule: dedup_rec.rule holds at most "
               "14 rules and DEDUP_RULE_DECISION; widen "
               "DEDUP_REC_RULE_BITS for more");
_Static_assert(DEDUP_RULE_NONE < 1u << DEDUP_REC_RULE_BITS,
               "dedup_rec.rule holds DEDUP_RULE_NONE");

/* Spool offsets: one 64-bit base per block of rows, 32 bits per row. */
#define DEDUP_OFF_SHIFT 12
#define DEDUP_OFF_BLOCK ((uint32_t)1 << DEDUP_OFF_SHIFT)

/* ---- intern.c: interned strings and 64-bit values ---- */

/* Interned byte strings, each NUL-terminated in one arena: id 0 is "",
 * ids are dense from 1. The arena is at most 4 GiB. */
struct dedup_intern {
	char *arena;
	size_t alen, acap;
	uint32_t *start;     /* start[id] .. start[id + 1] */
	size_t idcap;
	uint32_t n;
	uint64_t *slots;     /* open addressing, power of two: tag << 32
	                      * | id (intern.c); NULL once frozen */
	size_t nslots;
};

/* An interner holding only "" (id 0). */
void dedup_intern_init(struct dedup_intern *in);
/* Free everything; in may be initialised again. */
void dedup_intern_release(struct dedup_intern *in);
/* The id of s[0..len), adding it if new (0 for the empty string);
 * UINT32_MAX if the arena would pass 4 GiB. Not after dedup_intern_freeze. */
uint32_t dedup_intern_get(struct dedup_intern *in, const char *s, size_t len);
/* The hash of s[0..len) for dedup_intern_get_hashed, its slot fetched
 * into the cache meanwhile: the read pass asks for it early in a row and
 * interns at the row's end, so that the probe of a table of millions
 * (a cache miss) overlaps the row's other work. */
uint64_t dedup_intern_prefetch(const struct dedup_intern *in, const char *s,
                               size_t len);
/* dedup_intern_get with h = dedup_intern_prefetch(in, s, len). */
uint32_t dedup_intern_get_hashed(struct dedup_intern *in, const char *s,
                                 size_t len, uint64_t h);
/* No more strings: drop the hash table, trim the arena to its exact size. */
void dedup_intern_freeze(struct dedup_intern *in);
/* The text of id (NUL-terminated) and its length. Inline: called per row
 * and per pair. */
static inline const char *dedup_intern_str(const struct dedup_intern *in,
                                           uint32_t id, size_t *len)
{
	*len = in->start[id + 1] - in->start[id] - 1;
	return in->arena + in->start[id];
}
/* Bytes allocated. */
size_t dedup_intern_bytes(const struct dedup_intern *in);

/* Interned 64-bit values (valid No KK): id 0 is "none", ids dense from 1. */
struct dedup_u64set {
	uint64_t *v;         /* v[id] */
	size_t cap;
	uint32_t n;
	uint64_t *slots;     /* open addressing: tag << 32 | id (intern.c);
	                      * NULL once frozen */
	size_t nslots;
	/* The last value asked for and its id: the rows of a household
	 * come together. last_v 0: none (0 is never stored). */
	uint64_t last_v;
	uint32_t last_id;
};

/* A set holding only "none" (id 0). */
void dedup_u64set_init(struct dedup_u64set *k);
/* The tag of v in the slot table (intern.c): the high 32 bits of its
 * hash, also where its probe starts. */
static inline uint32_t dedup_u64set_tag(uint64_t v)
{
	return (uint32_t)((v * 0x9E3779B97F4A7C15ULL) >> 32);
}
/* Fetch the slot where dedup_u64set_get(k, v) will probe into the cache
 * (as dedup_intern_prefetch: asked a row before it is got). Without a
 * test: GCC 12 drops a prefetch under a condition, and a prefetch of a
 * slot not probed (v 0 or the last value; a frozen set: any address)
 * cannot fault. */
static inline void dedup_u64set_prefetch(const struct dedup_u64set *k,
                                         uint64_t v)
{
	uintptr_t at = (uintptr_t)k->slots + sizeof *k->slots *
	               (dedup_u64set_tag(v) & (k->nslots - 1));
	__builtin_prefetch((const void *)at);
}
/* Free everything; k may be initialised again. */
void dedup_u64set_release(struct dedup_u64set *k);
/* The id of v (nonzero), adding it if new; UINT32_MAX if full. Not after
 * dedup_u64set_freeze. Use dedup_u64set_get. */
uint32_t dedup_u64set_insert(struct dedup_u64set *k, uint64_t v);
/* The id of v (0 for 0), adding it if new; UINT32_MAX if full. Inline: the
 * last value asked for is answered without a call (called per row). */
static inline uint32_t dedup_u64set_get(struct dedup_u64set *k, uint64_t v)
{
	if (!v)
		return 0;
	if (v == k->last_v)
		return k->last_id;
	return dedup_u64set_insert(k, v);
}
/* No more values: drop the hash table, trim v to its exact size. */
void dedup_u64set_freeze(struct dedup_u64set *k);
/* Room for n values in all without growing (--recs: the parts' counts
 * are known before their values are added). */
void dedup_u64set_reserve(struct dedup_u64set *k, size_t n);
/* Bytes allocated. */
size_t dedup_u64set_bytes(const struct dedup_u64set *k);

/* ---- The context and what it owns ---- */

/* A candidate pair of rows, with the first rule that found it. */
struct dedup_pair {
	uint32_t a, b;
	uint16_t score;      /* review pairs, in units of 0.0001 */
	uint8_t rule;
	uint16_t cell;       /* review pairs: the comparison levels */
	int16_t tf;          /* review pairs: the name's term-frequency
	                      * weight, in units of 0.01 */
};
_Static_assert(DEDUP_FS_NCELLS <= UINT16_MAX + 1u,
               "dedup_pair.cell holds every cell");
_Static_assert(DEDUP_SCORE_UNITS_MAX <= UINT16_MAX,
               "dedup_pair.score holds a score of 1");
_Static_assert(DEDUP_NRULES <= UINT8_MAX, "dedup_pair.rule holds every rule");

/* A cluster of more than one row (one-row clusters are implicit). */
struct dedup_cluster {
	uint32_t minnik;     /* row with the smallest valid NIK; UINT32_MAX:
	                      * none */
	uint32_t surv;       /* survivor row */
	uint32_t size;
	uint64_t keyh;       /* without a valid NIK: FNV-1a of the smallest
	                      * content key of its members (dedup_row_key) */
};

/* Per-row flags of the rare rows whose NIK is not used as evidence or is
 * shared (dedup_rec.flagged says a row has an entry). */
enum {
	DEDUP_F_NIK_SHARED = 1,       /* nik_shared */
	DEDUP_F_NIK_IS_KK = 2,        /* nik_is_kk */
	DEDUP_F_NIK_PLACEHOLDER = 4   /* nik_placeholder */
};
struct dedup_rflag {
	uint32_t row;
	uint32_t bits;
};

/* ---- decisions.c: the clerk's decisions (the clerical review loop) ---- */

#define DEDUP_RULE_DECISION DEDUP_NRULES   /* a row linked by a sama
                                            * decision ("keputusan") */
_Static_assert(DEDUP_RULE_DECISION < DEDUP_RULE_NONE,
               "dedup_rec.rule holds DEDUP_RULE_DECISION");

enum { DEDUP_DEC_SAMA = 1, DEDUP_DEC_BEDA = 2 };

/* A decided pair of rows, a < b. */
struct dedup_decision {
	uint32_t a, b;
	uint8_t kind;        /* DEDUP_DEC_* */
};

struct dedup_decisions {
	struct dedup_decision *d;   /* sorted by (a, b), one per pair */
	size_t n;
	uint8_t *rowbit;     /* bit i: row i has a decision */
	uint32_t *marks;     /* roots of sets holding a beda row (hash;
	                      * UINT32_MAX empty) */
	size_t mcap, nmarks;
};

struct dedup_buf {
	char *s;
	size_t len, cap;
};

/* A window over the spool for a scan in row order (dedup_row_text_seq):
 * read into a buffer kept from one window to the next. */
struct dedup_window {
	char *p;
	size_t cap;          /* bytes at p */
	uint64_t off;        /* spool offset of p[0] */
	size_t len;
};

/* The input columns angka-dedup reads (dedup_ctx.col: their index, -1 if
 * absent). */
enum col {
	COL_SRC_FILE, COL_SRC_LINE, COL_NIK, COL_NIK_STATUS, COL_NO_KK,
	COL_KK_STATUS, COL_NAMA_KUNCI, COL_NAMA, COL_JENIS_KELAMIN,
	COL_TGL_LAHIR, COL_KODE_WILAYAH, COL_KODE_KEC, COL_HUB_KRT,
	COL_TGL_UPDATE, COL_FIXES, COL_FLAGS, COL_NAMA_ASLI, COL_GELAR,
	COL_PERIODE, NCOL
};

struct dedup_ctx {
	const struct dedup_opts *o;
	const struct dedup_settings *s;
	struct dedup_stats *st;
	char *in_name;
	char **header;
	size_t nfields;
	int col[24];   /* enum col -> field index; >= NCOL (checked) */
	int skip[8];   /* field index of the present columns of
	                * most_complete does not count (read.c) */
	int nskip;
	struct dedup_spool spool;
	uint64_t *offbase;   /* spool offset of row i is offbase[i >>
	                      * DEDUP_OFF_SHIFT] + rec[i].off */
	uint8_t *name0;      /* first byte of each row's name key (the
	                      * nik_near keys), kept from the read to the
	                      * blocking, then freed */
	int no_nik;          /* a row read has no NIK (the mover rule) */
	int no_nik_dob;      /* one has neither NIK nor birth date */
	uint16_t *period;    /* each row's dedup_period_code (2 bytes a row,
	                      * beside rec[]: it has no spare bit); NULL if
	                      * the input has no periode column */
	struct dedup_window win;   /* over the spool, for the output scan */
	struct dedup_rec *rec;
	uint32_t n;
	struct dedup_intern names, files;
	struct dedup_u64set kks;
	struct dedup_pair *pairs;
	size_t npairs, npairs_alloc, nreview;
	int pairs_capped;
	int capped_rule;            /* the rule whose pairs max_pairs cut */
	long warnings;
	uint64_t exact_groups;
	struct dedup_cluster *cl;   /* multi-row clusters (dedup_clusters):
	                             * rec[i].parent is row i's root and
	                             * rec[root].cslot - 1 its index */
	uint32_t ncl;
	/* The rows of the multi-row clusters, ascending within each: slot
	 * s's are cl_rows[cl_start[s - 1] .. cl_start[s]) (cluster.c, kept
	 * for the golden records; 4 bytes per such row and per cluster). */
	uint32_t *cl_rows, *cl_start;
	double pass_t0;      /* --verbose: when the last pass ended */
	double pass_cpu0;    /* --verbose: process CPU (user + sys) then */
	uint64_t page;       /* page size, for the spool windows */
	uint32_t last_file;  /* interned src_file of the last row read */
	int regions_loaded;           /* dedup_publish_regions has run */
	struct angka_region_loader *regions_job;   /* dedup_regions_preload */
	size_t hh_sort_cap;           /* entries the households' sort may hold
	                               * in memory (0: memory_mb / 2) */
	struct dedup_rflag *rflags;   /* sorted by row once dedup_blocking
	                               * is done */
	size_t nrflags, rflags_cap;
	struct dedup_decisions *dec;  /* NULL: no decisions file */
	struct dedup_fs_model fm;     /* the learned weights (fit.c) */
	uint32_t *name_rows;          /* rows per name key (TF); NULL: no
	                               * fit */
	uint32_t name_total;          /* rows with a name key, at least
	                               * DEDUP_FS_MIN_ROWS */
};

_Static_assert(NCOL <= sizeof ((struct dedup_ctx *)0)->col /
                       sizeof ((struct dedup_ctx *)0)->col[0],
               "dedup_ctx.col holds every column");

/* ---- ctx.c: budget, peak state and pass times; row flags ---- */

/* Add flags bits to row i (entries may come in any order until
 * dedup_rflags_sort). */
void dedup_rflag_add(struct dedup_ctx *x, uint32_t i, uint32_t bits);
/* Sort the entries by row, one per row. */
void dedup_rflags_sort(struct dedup_ctx *x);
/* Row i's flag bits (after dedup_rflags_sort); 0 if none. */
uint32_t dedup_rflag_get(const struct dedup_ctx *x, uint32_t i);
/* The flags as written ("nik_shared|nik_is_kk|..."), into out (>= 64
 * bytes); the length. */
size_t dedup_rflag_names(uint32_t bits, char *out);
/* v as decimal digits into out (>= 21 bytes), zero-padded to at least
 * width: the count (cluster.c). */
size_t dedup_put_dec(char *out, uint64_t v, size_t width);

/* Seconds on the monotonic clock. */
double dedup_now(void);
/* With --verbose: the wall time since the last call on stderr, named after
 * the pass that just ended (pass "" only starts the clock). */
void dedup_pass_done(struct dedup_ctx *x, const char *pass);
/* Entries a sort may hold in memory: what the records, interners and pairs
 * leave of [dedup] memory_mb, but at least a quarter of it. */
size_t dedup_sort_entries(const struct dedup_ctx *x);
/* Raise st->state_bytes to the state now held plus extra bytes, if more. */
void dedup_note_bytes(struct dedup_ctx *x, size_t extra);

/* ---- read.c: the read pass and the rows' text ---- */

/* Read the input (o->in): the header into x->header/nfields/col, every row
 * spooled and reduced to x->rec[0..n), the interners frozen. ANGKA_ESCHEMA,
 * ANGKA_ECSV, ANGKA_EDATA, ANGKA_ENOMEM (a 32-bit limit passed) or
 * ANGKA_EIO with e set. */
enum angka_err dedup_read_input(struct dedup_ctx *x, struct angka_error *e);

/* Spool offset of row i. */
static inline uint64_t dedup_row_off(const struct dedup_ctx *x, uint32_t i)
{
	return x->offbase[i >> DEDUP_OFF_SHIFT] + x->rec[i].off;
}

/* Row i's spooled text into *buf (grown as needed, NUL-terminated); its
 * length, or (size_t)-1 with e set on a read error. */
size_t dedup_row_text(struct dedup_ctx *x, uint32_t i, char **buf,
                      size_t *bufcap, struct angka_error *e);
/* Move the window w to the row at spool offset off, len bytes long (the
 * slow path of dedup_row_text_seq); ANGKA_OK, or a read error with e set. */
enum angka_err dedup_window_load(const struct dedup_ctx *x,
                                 struct dedup_window *w, uint64_t off,
                                 size_t len, struct angka_error *e);
/* Row i's spooled text for a scan in row order: *text points into the
 * window w over the spool (at most 64 MiB, moved by dedup_window_load as the
 * scan goes on) and stays valid until the next call; returns its length,
 * or (size_t)-1 with e set on a read error. Rows far apart go through
 * dedup_row_text instead. Inline: called per row. */
static inline size_t dedup_row_text_seq(const struct dedup_ctx *x,
                                        struct dedup_window *w, uint32_t i,
                                        const char **text,
                                        struct angka_error *e)
{
	uint64_t off = dedup_row_off(x, i);
	uint64_t end = i + 1 < x->n ? dedup_row_off(x, i + 1) : x->spool.len;
	size_t len = (size_t)(end - off);
	if ((off < w->off || end > w->off + w->len) &&
	    dedup_window_load(x, w, off, len, e) != ANGKA_OK)
		return (size_t)-1;
	*text = w->p + (off - w->off);
	/* A spool of files (--recs): the line end after the row. */
	while (len && ((*text)[len - 1] == '\n' || (*text)[len - 1] == '\r'))
		len--;
	return len;
}
/* Release a spool window of dedup_row_text_seq. */
void dedup_unmap_window(struct dedup_window *w);
/* Split a spooled row (one CSV line, no newline) into nfields fields:
 * quoted fields are unquoted in place in text, f[k] points into text (or
 * at "" for missing trailing fields). */
void dedup_split(char *text, size_t len, size_t nfields, const char **f,
                 size_t *flen);
/* ---- recs.c: prepared parts (--recs-out, --recs) ---- */

/* --recs-out: after the read pass of one part file (o->in, a regular
 * file), its rows' state and byte ranges into o->recs_out (temp + rename).
 * ANGKA_EDATA if a row is not in the file as read (quoting), ANGKA_EIO. */
enum angka_err dedup_recs_write(struct dedup_ctx *x, struct angka_error *e);
/* --recs: the read pass of the concatenation of o->parts from their recs
 * o->recs (same order), ids as one process reading it gives them; the
 * rows' text spooled from the parts unless a shard (o->pairs_out).
 * ANGKA_EDATA (a recs file damaged, of another part or version, or out
 * of order), ANGKA_ENOMEM (32-bit limits) or ANGKA_EIO with e set. */
enum angka_err dedup_recs_load(struct dedup_ctx *x, struct angka_error *e);
/* The checksum a recs file ends with, of its bytes p[0..n) before it (for
 * the fuzz target, which repairs it to reach the checks after it). */
uint64_t dedup_recs_checksum(const void *p, size_t n);

/* ---- block.c: the exact-NIK and blocking passes ---- */

/* Run the exact-NIK pass and every blocking rule (x->s->threads jobs at a
 * time; frees x->name0): the exact NIK groups are joined in rec[] at once,
 * the candidate pairs of the other rules, cut at max_pairs, are left
 * distinct in x->pairs[0..npairs) with the first rule that found each;
 * counts in st. ANGKA_EIO with e set if a sort cannot spill. */
enum angka_err dedup_blocking(struct dedup_ctx *x, struct angka_error *e);
/* --merge-pairs: dedup_blocking's result from the shards' pair files
 * (x->o->merge_pairs), byte for byte that of dedup_blocking. ANGKA_EDATA
 * (a file of another input or shard count, a shard missing or twice,
 * max_pairs reached), ANGKA_ECSV or ANGKA_EIO with e set. */
enum angka_err dedup_blocking_merge(struct dedup_ctx *x, struct angka_error *e);
/* What the cells of shard k of n (--shard K/N) read of a row besides its
 * NIK, birth date, sex, region, src_line and name0: DEDUP_SHARD_NAMES,
 * the name ids (and strings), DEDUP_SHARD_KK, the No KK ids. */
enum { DEDUP_SHARD_NAMES = 1, DEDUP_SHARD_KK = 2 };
unsigned dedup_shard_needs(unsigned k, unsigned n);
/* The candidate pairs per rule on stderr, as counted by dedup_blocking. */
void dedup_print_candidates(const struct dedup_ctx *x);
/* After blocking: if max_pairs cut a rule or blocks were skipped, one
 * warning line naming them (even with --quiet), or with [dedup]
 * fail_on_cap an ANGKA_EDATA error. */
enum angka_err dedup_check_degraded(const struct dedup_ctx *x,
                                    struct angka_error *e);

/* ---- merge.c: the scoring pass ---- */

/* Score every candidate pair x->pairs[0..npairs) (on two threads if asked
 * and worth it): a mergeable pair at or above merge_threshold joins its
 * rows' sets and notes its rule and score on both rows; a pair at or above
 * review_threshold is kept, in place, in x->pairs[0..nreview). */
void dedup_scoring(struct dedup_ctx *x);
/* The fixed score, the gates and the cell of rows a and b into *ps. */
void dedup_score_rows(const struct dedup_ctx *x, uint32_t a, uint32_t b,
                      struct dedup_pair_score *ps);
/* Under the learned weights (not model = fixed; after dedup_fit): ps->score
 * becomes the match probability of the sum of its cell's weights (cellcb:
 * each cell's in units of 0.01 bits, or NULL), the prior and the TF weight
 * of an exact name, rounded to 4 decimals; a pair with birth dates far
 * apart, or names only similar without a NIK that agrees, is not
 * mergeable. Returns the TF weight used (units of 0.01 bits). Under model
 * = fixed: nothing, 0. */
int dedup_score_learned(const struct dedup_ctx *x, uint32_t a, uint32_t b,
                        struct dedup_pair_score *ps, const int *cellcb);

/* ---- fit.c: the learned match weights on this extract ---- */

/* Fit x->fm from the candidate pairs' cells[0..ncells) and random pairs
 * of rows, and count the rows per name key (x->name_rows). */
void dedup_fit(struct dedup_ctx *x, const unsigned *cells, size_t ncells);
/* The term-frequency weight of an exact agreement on name key id name. */
double dedup_fit_tf(const struct dedup_ctx *x, uint32_t name);
/* --fit: the m/u table as CSV on out; counts on stderr unless quiet. */
void dedup_fit_print(const struct dedup_ctx *x, FILE *out);

/* ---- cluster.c: clusters, survivors, cluster ids ---- */

/* After the merges: rec[i].parent becomes row i's root, rec[].name becomes
 * rec[].cslot (the names are gone) and x->cl[0..ncl) the clusters of more
 * than one row, with their survivors. */
void dedup_clusters(struct dedup_ctx *x);
_Static_assert(DEDUP_PERIOD_MAX <= UINT16_MAX,
               "dedup_ctx.period holds every period code");
/* Row i's period code (dedup_period_code); 0: none. */
static inline unsigned dedup_row_period(const struct dedup_ctx *x, uint32_t i)
{
	return x->period ? x->period[i] : 0;
}
/* Row i's cluster (after dedup_clusters); one-row clusters are filled into
 * *tmp. Inline: called per row. */
static inline const struct dedup_cluster *
dedup_cluster_of(const struct dedup_ctx *x, uint32_t i,
                 struct dedup_cluster *tmp)
{
	uint32_t slot = x->rec[x->rec[i].parent].cslot;
	if (slot)
		return &x->cl[slot - 1];
	tmp->surv = i;
	tmp->minnik = x->rec[i].nik_valid ? i : UINT32_MAX;
	tmp->size = 1;
	tmp->keyh = 0;   /* without a NIK: dedup_row_keyh of the row */
	return tmp;
}
/* FNV-1a of the content key of a row (its spooled text[0..len), not
 * changed): "K" + nama_kunci (else nama), tgl_lahir, jenis_kelamin,
 * kode_wilayah (else kode_kec), no_kk, NUL-separated. *buf (capacity
 * *cap) is scratch. With key non-NULL, the key itself is left in *key
 * (pointing into *buf) and its length returned through *klen. */
uint64_t dedup_row_keyh(const struct dedup_ctx *x, const char *text,
                        size_t len, char **buf, size_t *cap,
                        const char **key, size_t *klen);
/* Whether cluster c's id needs its content key (keyh): it has no valid
 * NIK, or its smallest NIK is shared by several people (nik_shared). */
static inline int dedup_cluster_needs_key(const struct dedup_ctx *x,
                                          const struct dedup_cluster *c)
{
	return c->minnik == UINT32_MAX ||
	       (x->rec[c->minnik].flagged &&
	        (dedup_rflag_get(x, c->minnik) & DEDUP_F_NIK_SHARED));
}
/* "C" + 16 hex digits of cluster c into out (see dedup.h). */
void dedup_cluster_id(const struct dedup_ctx *x, const struct dedup_cluster *c,
                      char out[18]);
/* Rows a and b in (src_file, src_line) order: < 0, 0 or > 0. */
int dedup_first_line_cmp(const struct dedup_ctx *x, uint32_t a, uint32_t b);

/* ---- decisions.c (see struct dedup_decisions above) ---- */

/* Read the decisions file path (after the read pass: the rows are known)
 * into x->dec; counts in st. ANGKA_ESCHEMA (a column missing), ANGKA_EDATA
 * (a bad keputusan or line number, with file:line and the column), or the
 * reader's error, with e set. */
enum angka_err dedup_decisions_load(struct dedup_ctx *x, const char *path,
                                    struct angka_error *e);
void dedup_decisions_free(struct dedup_ctx *x);
/* The decision on rows a and b: DEDUP_DEC_*, 0 if none (one bit test for a
 * row without decisions). */
int dedup_decision_of(const struct dedup_ctx *x, uint32_t a, uint32_t b);
/* Whether the sets of roots ra and rb (different) hold the two rows of a
 * beda decision: then they must not be joined. O(1) unless both sets hold
 * a row of a beda decision, then O(decisions). */
int dedup_cannot_join(struct dedup_ctx *x, uint32_t ra, uint32_t rb);
/* After the sets of roots ra and rb were joined under root. */
void dedup_decisions_joined(struct dedup_ctx *x, uint32_t ra, uint32_t rb,
                            uint32_t root);
/* --evaluate: precision and recall per threshold on out. */
void dedup_evaluate(struct dedup_ctx *x, FILE *out);

/* ---- output.c: the output pass ---- */

/* Write and commit the unique rows, --duplicates and --review, with the
 * households (dedup_households) on a second thread if threads > 1, and
 * the golden records (dedup_golden) on whichever thread is free first,
 * left uncommitted in *golden (NULL if not asked) for the caller; fills
 * st's unique, duplicates, dup_exact, review and clusters_multi. Nothing
 * is committed unless everything succeeded; ANGKA_EIO, ANGKA_EBALANCE (a
 * bug: rows lost) or a households or golden error with e set. */
enum angka_err dedup_write_outputs(struct dedup_ctx *x,
                                   struct angka_csv_writer **golden,
                                   struct angka_error *e);
/* Load --wilayah (if given) as the region table of the published tables
 * (angka_publish_set_regions), once: called before the first published
 * writer is put in the publication form, so the table (tens of MB on a
 * national one) is neither read before the input nor held through the
 * blocking. Not concurrently with itself or a published writer on another
 * thread. ANGKA_OK, or the region table's error with e set. */
enum angka_err dedup_publish_regions(struct dedup_ctx *x, struct angka_error *e);
/* With threads > 1 and a published table that needs --wilayah, start
 * loading it on a second thread now (after the blocking, while the
 * scoring leaves a core idle); dedup_publish_regions takes the result
 * (or its error, reported where it would have been). No-op otherwise. */
void dedup_regions_preload(struct dedup_ctx *x);
/* Wait for and drop a preload that dedup_publish_regions did not take (a
 * run that failed or stopped before its published tables). */
void dedup_regions_wait(struct dedup_ctx *x);
/* Sort the review pairs x->pairs[0..nreview) by their rows' (src_file,
 * src_line); single-threaded only (qsort through a file-scope context). */
void dedup_sort_review(struct dedup_ctx *x);

/* ---- changes.c: registry changes between two periods ---- */

/* Write --perubahan and --perubahan-desa (if asked) into *wp and *wd (NULL
 * when not asked), uncommitted: the caller commits or aborts them. The
 * previous and current periods: o->change_periods, else
 * s->change_periods, else the two newest in the input (fewer than two:
 * the headers only). Counts in st->chg_*. ANGKA_EDATA if a period asked
 * for has no row, ANGKA_EIO with e set. */
enum angka_err dedup_changes(struct dedup_ctx *x,
                             struct angka_csv_writer **wp,
                             struct angka_csv_writer **wd,
                             struct angka_error *e);

/* ---- golden.c: golden records ---- */

/* Write --golden (if asked) into *wp, uncommitted: one row per person,
 * sorted by cluster id, each field group's value with the most support and
 * the row it came from. ANGKA_EIO with e set. Only reads the context (but
 * st->state_bytes): may run beside the other output passes, one golden
 * pass at a time (its sorts use a file-scope context). */
enum angka_err dedup_golden(struct dedup_ctx *x, struct angka_csv_writer **wp,
                            struct angka_error *e);

/* ---- household.c: households ---- */

/* Write --households and --household-counts (if asked) into *hw and *hc
 * (NULL when not asked), uncommitted: the caller commits or aborts them. */
enum angka_err dedup_households(struct dedup_ctx *x,
                                struct angka_csv_writer **hw,
                                struct angka_csv_writer **hc,
                                struct angka_error *e);

#endif
