/*
 * config.h - the angka configuration file (INI, read with libinih) as one
 * typed struct, validated completely before any data is read.
 *
 * Precedence: built-in defaults < config file < command line (stages apply
 * their options after angka_config_load). Unknown sections, unknown keys and
 * bad values are errors that name 'file':line and the offending key.
 *
 * Sections (see config/balangan.ini and angka.ini(5) in the README):
 *   [angka]              name, output_dir, year
 *   [profile.KIND]       delimiter, encoding, keep_unknown, header_search,
 *                        required, column.NAME = alias, alias, ...
 *   [input.KIND]         files (space-separated paths, relative to the config)
 *   [input.dtks]         periods (YYYY or YYYY-MM, one per file, in order)
 *
 * Ownership: struct angka_config owns all its strings and profiles;
 * angka_config_release() frees them.
 */
#ifndef ANGKA_CONFIG_H
#define ANGKA_CONFIG_H

#include "err.h"
#include "profile.h"

struct angka_input_list {
	char **files;          /* resolved against the config's directory */
	size_t nfiles;
	char **periods;        /* [input.dtks] periods: files[i]'s period
	                        * (YYYY or YYYY-MM); nperiods is 0 or nfiles */
	size_t nperiods;
	int periods_line;
};

/* A key of a stage section ([normalize], [dedup], ...), kept as text until
 * the stage applies its key table with angka_config_apply(). */
struct angka_kv {
	char *section, *key, *value;
	int line;
};

struct angka_config {
	char *path;            /* the file read, NULL for defaults only */
	char *dir;             /* its directory ("." for defaults) */
	char *name;            /* [angka] name: a label for logs */
	char *output_dir;      /* [angka] output_dir, resolved */
	struct angka_profile profile[ANGKA_KIND_COUNT];
	struct angka_input_list input[ANGKA_KIND_COUNT];
	struct angka_kv *kv;   /* stage sections, in file order */
	size_t nkv;
};

/* Stage sections accepted in a config file; each stage validates its own. */
extern const char *const angka_stage_sections[];

enum angka_key_type {
	ANGKA_KEY_STRING,  /* const char * borrowed from the config */
	ANGKA_KEY_PATH,    /* const char * resolved against the config's dir;
	                    * owned by the config (kept in the kv list) */
	ANGKA_KEY_BOOL,    /* int 0/1 */
	ANGKA_KEY_INT,     /* long, within [min, max] */
	ANGKA_KEY_DOUBLE,  /* double, within [min, max] */
	ANGKA_KEY_ENUM     /* int: index in choices "a|b|c" */
};

struct angka_key_def {
	const char *key;
	enum angka_key_type type;
	size_t offset;         /* offsetof the field in the target struct */
	const char *choices;   /* ANGKA_KEY_ENUM: "fail|remove|adjust" */
	double min, max;       /* INT and DOUBLE; min == max: no bounds */
};

/*
 * The value of key in [section] as a path resolved against the config's
 * directory (as an ANGKA_KEY_PATH is), in an allocated string the caller
 * frees; NULL when the config does not set it (or sets it empty). For a
 * program that needs one key of another stage's section without applying
 * (and validating) the whole section. Exits 1 on out-of-memory.
 */
char *angka_config_path(const struct angka_config *c, const char *section,
                        const char *key);

/*
 * Apply the keys of [section] to target through defs (terminated by a def
 * with key NULL); fields not in the file keep the defaults the caller set.
 * An unknown key or a bad value is ANGKA_ECONFIG naming 'file':line.
 * A stage calls this at start-up, before it reads any data.
 */
enum angka_err angka_config_apply(struct angka_config *c, const char *section,
                                  const struct angka_key_def *defs,
                                  void *target, struct angka_error *e);

/* Defaults only (no file). Exits 1 on out-of-memory (angka_xmalloc). */
void angka_config_init(struct angka_config *c);

/*
 * Load path over the defaults into c (which must be freshly initialised with
 * angka_config_init). Returns ANGKA_ECONFIG with e->msg like
 * "'balangan.ini':12: unknown key 'delimter' in [profile.dtks]".
 */
enum angka_err angka_config_load(struct angka_config *c, const char *path,
                                 struct angka_error *e);

/* Parse a config from memory (for tests and fuzzing); name is for messages. */
enum angka_err angka_config_load_string(struct angka_config *c,
                                        const char *text, const char *name,
                                        struct angka_error *e);

void angka_config_release(struct angka_config *c);

/*
 * A stage's --check-config (main-side helper): load path (NULL: defaults),
 * apply each (section, defs, scratch) of the NULL-terminated arrays, report
 * the first error on stderr. Returns the exit status: 0, or 2 for a config
 * error.
 */
int angka_config_check_main(const char *path, const char *const *sections,
                            const struct angka_key_def *const *defs,
                            void *const *scratch);

/*
 * Parse a delimiter value: "auto" (0), "comma", "semicolon", "pipe", "tab",
 * or a single character. Returns 0 on success.
 */
int angka_parse_delim(const char *s, char *out);
/* Parse yes/no/true/false/1/0/on/off. Returns 0 on success. */
int angka_parse_bool(const char *s, int *out);

#endif
