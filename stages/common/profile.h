/*
 * profile.h - source profiles: how the headers of one kind of raw extract map
 * to angka's canonical columns.
 *
 * A profile lists canonical columns in output order. Each has aliases, matched
 * against the extract's headers after folding both with angka_header_key()
 * (case, spaces, underscores and punctuation ignored: "NOMOR_NIK",
 * "nomor nik" and "Nomor-NIK" are one key). The first alias found in the
 * header wins. Built-in defaults accept the field names of DTKS/DTSEN extracts
 * and SUSENAS files; the config file may override any of it.
 *
 * Ownership: a profile owns its columns and strings; angka_profile_release()
 * frees them. angka_header_map owns its arrays (angka_header_map_release).
 */
#ifndef ANGKA_PROFILE_H
#define ANGKA_PROFILE_H

#include <stddef.h>

#include "csv_reader.h"
#include "err.h"

enum angka_kind {
	ANGKA_KIND_DTKS,
	ANGKA_KIND_SUSENAS,
	ANGKA_KIND_GARIS_KEMISKINAN,
	ANGKA_KIND_TERBITAN,
	ANGKA_KIND_KUBE,
	ANGKA_KIND_UEP,
	ANGKA_KIND_PENDUDUK,
	ANGKA_KIND_WILAYAH,
	ANGKA_KIND_COUNT
};

/* "dtks", "susenas", ...; NULL for an invalid kind. */
const char *angka_kind_name(enum angka_kind k);
/* Kind from its name; -1 if unknown. */
int angka_kind_from_name(const char *name);
/* "dtks, susenas, ..." for messages. Static. */
const char *angka_kind_list(void);

struct angka_column {
	char *name;       /* canonical, lowercase snake_case */
	char **alias;     /* header spellings, in preference order */
	size_t nalias;
	int required;
};

struct angka_profile {
	enum angka_kind kind;
	char delim;                   /* 0: sniff */
	enum angka_encoding encoding;
	int keep_unknown;             /* copy unmapped columns to the output */
	int header_search;            /* rows scanned for the header (>= 1) */
	int labels;                   /* stat files: value labels, not codes */
	char *sheet;                  /* .xlsx: the sheet to read; NULL first */
	struct angka_column *col;
	size_t ncol;
};

/* Fill p with the built-in default profile of kind k (exits 1 on out-of-memory). */
void angka_profile_init_default(struct angka_profile *p, enum angka_kind k);
void angka_profile_release(struct angka_profile *p);

/* Column index by canonical name, or -1. */
int angka_profile_find(const struct angka_profile *p, const char *name);
/*
 * Set the aliases of column name from a comma-separated list, adding the
 * column at the end if it is new (exits 1 on out-of-memory).
 */
void angka_profile_set_aliases(struct angka_profile *p, const char *name,
                               const char *list);

/*
 * Fold a header for matching into out (capacity >= len+1): ASCII letters
 * lowercased, digits and non-ASCII bytes kept, everything else dropped.
 */
void angka_header_key(const char *s, size_t len, char *out);

/*
 * Turn a header into a canonical-looking column name (lowercase, runs of
 * other characters to one '_', trimmed) into out (capacity >= len+1).
 */
void angka_header_snake(const char *s, size_t len, char *out);

struct angka_header_map {
	int *src;            /* per profile column: header index or -1 */
	size_t ncol;
	size_t *extra;       /* header indices of kept unknown columns */
	char **extra_name;   /* their output names (owned) */
	size_t nextra;
	size_t nheader;      /* fields in the header row */
	/* Two header fields for one column (both match its aliases): the
	 * column and the two header indices; dup_col -1 if none. */
	int dup_col, dup_first, dup_second;
};

/*
 * Match header fields against p. Returns 0 if every required column was found
 * (map filled), otherwise the number of missing required columns (map still
 * filled; list them with angka_header_map_missing). Exits 1 on out-of-memory.
 */
int angka_header_match(const struct angka_profile *p,
                       const struct angka_csv_record *hdr,
                       struct angka_header_map *map);

/*
 * Describe a failed match: "missing required column 'nik' (accepted: NIK,
 * NOMOR_NIK, ...); headers found: A, B, C" into buf.
 */
void angka_header_map_missing(const struct angka_profile *p,
                              const struct angka_header_map *map,
                              const struct angka_csv_record *hdr,
                              char *buf, size_t cap);

void angka_header_map_release(struct angka_header_map *map);

#endif
