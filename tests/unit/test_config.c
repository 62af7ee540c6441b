/*
 * test_config.c - the config file: a valid file sets the profile fields and
 * input lists; every kind of error is ANGKA_ECONFIG with the exact message
 * naming 'file':line; angka_config_apply() with every key type, bounds and
 * enum errors; replay of the fuzz regression files and seed corpus.
 */
#include "minunit.h"

#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fuzz/fuzz_config.h"
#include "replay.h"

static char tmpdir[4096];

static const char *write_file(const char *name, const char *text)
{
	static char p[8192];
	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	FILE *f = fopen(p, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(p);
		exit(1);
	}
	return p;
}

static const char valid[] =
	"; a comment\n"
	"[angka]\n"
	"name = balangan\n"
	"output_dir = hasil\n"
	"\n"
	"[profile.dtks]\n"
	"delimiter = semicolon\n"
	"encoding = windows-1252\n"
	"keep_unknown = ya\n"
	"header_search = 3\n"
	"column.nik = NIK_BARU, NIK\n"
	"column.catatan = CATATAN , KET\n"
	"required = nik catatan\n"
	"\n"
	"[profile.susenas]\n"
	"delimiter = |\n"
	"encoding = utf-8\n"
	"[input.dtks]\n"
	"files = a.csv  data/b.csv.gz /abs/c.csv\n"
	"[normalize]\n"
	"nik_policy = quarantine\n"
	"[dedup]\n"
	"threshold = 0.9\n";

static void check_valid(const struct angka_config *c, const char *dir)
{
	char want[8300];
	mu_check_str(c->name, "balangan");
	snprintf(want, sizeof want, "%s%shasil", dir ? dir : "", dir ? "/" : "");
	mu_check_str(c->output_dir, want);
	const struct angka_profile *p = &c->profile[ANGKA_KIND_DTKS];
	mu_check_int(p->delim, ';');
	mu_check_int(p->encoding, ANGKA_ENC_CP1252);
	mu_check_int(p->keep_unknown, 1);
	mu_check_int(p->header_search, 3);
	int nik = angka_profile_find(p, "nik");
	int cat = angka_profile_find(p, "catatan");
	mu_check(nik >= 0 && cat >= 0);
	if (nik < 0 || cat < 0)
		return;
	mu_check_int(cat, (int)p->ncol - 1);   /* a new column goes last */
	mu_check_int(p->col[nik].nalias, 2);
	mu_check_str(p->col[nik].alias[0], "NIK_BARU");
	mu_check_str(p->col[nik].alias[1], "NIK");
	mu_check_int(p->col[cat].nalias, 2);
	mu_check_str(p->col[cat].alias[0], "CATATAN");
	mu_check_str(p->col[cat].alias[1], "KET");
	/* required replaces the built-in list: nama is no longer required */
	for (size_t i = 0; i < p->ncol; i++)
		mu_check_msg(p->col[i].required == ((int)i == nik || (int)i == cat),
		             "column %s required %d", p->col[i].name,
		             p->col[i].required);
	const struct angka_profile *s = &c->profile[ANGKA_KIND_SUSENAS];
	mu_check_int(s->delim, '|');
	mu_check_int(s->encoding, ANGKA_ENC_UTF8);
	mu_check_int(s->keep_unknown, 0);
	/* Other kinds keep their defaults. */
	mu_check_int(c->profile[ANGKA_KIND_TERBITAN].header_search, 20);
	mu_check_int(c->profile[ANGKA_KIND_KUBE].delim, 0);
	const struct angka_input_list *in = &c->input[ANGKA_KIND_DTKS];
	mu_check_int(in->nfiles, 3);
	if (in->nfiles == 3) {
		snprintf(want, sizeof want, "%s%sa.csv", dir ? dir : "", dir ? "/" : "");
		mu_check_str(in->files[0], want);
		snprintf(want, sizeof want, "%s%sdata/b.csv.gz", dir ? dir : "",
		         dir ? "/" : "");
		mu_check_str(in->files[1], want);
		mu_check_str(in->files[2], "/abs/c.csv");
	}
	mu_check_int(c->input[ANGKA_KIND_SUSENAS].nfiles, 0);
	mu_check_int(c->nkv, 2);
	if (c->nkv == 2) {
		mu_check_str(c->kv[0].section, "normalize");
		mu_check_str(c->kv[0].key, "nik_policy");
		mu_check_str(c->kv[0].value, "quarantine");
		mu_check_int(c->kv[0].line, 21);
		mu_check_str(c->kv[1].section, "dedup");
		mu_check_int(c->kv[1].line, 23);
	}
}

static void test_defaults(void)
{
	struct angka_config c;
	angka_config_init(&c);
	mu_check(c.path == NULL);
	mu_check_str(c.dir, ".");
	mu_check_str(c.output_dir, "out");
	for (int k = 0; k < ANGKA_KIND_COUNT; k++) {
		mu_check_int(c.profile[k].kind, k);
		mu_check(c.profile[k].ncol > 0);
		mu_check_int(c.input[k].nfiles, 0);
	}
	mu_check_int(c.nkv, 0);
	angka_config_release(&c);
}

static void test_config_path(void)
{
	struct angka_config c;
	struct angka_error e = { 0 };
	angka_config_init(&c);
	mu_check_int(angka_config_load_string(&c, "[dedup]\ndecisions = k/d.csv\n"
	                                      "[chart]\nwilayah = /abs/w.csv\n"
	                                      "[trend]\nempty =\n", "t.ini", &e),
	             ANGKA_OK);
	char *d = angka_config_path(&c, "dedup", "decisions");
	mu_check_str(d, "k/d.csv");   /* dir "." for a string config */
	free(d);
	d = angka_config_path(&c, "chart", "wilayah");
	mu_check_str(d, "/abs/w.csv");
	free(d);
	mu_check(angka_config_path(&c, "trend", "empty") == NULL);
	mu_check(angka_config_path(&c, "dedup", "wilayah") == NULL);
	angka_config_release(&c);
}

static void test_valid(void)
{
	struct angka_config c;
	struct angka_error e = { 0 };
	angka_config_init(&c);
	mu_check_int(angka_config_load_string(&c, valid, "t.ini", &e), ANGKA_OK);
	check_valid(&c, NULL);
	angka_config_release(&c);

	/* From a file in a directory: paths resolve against it. */
	char dir[8192];
	snprintf(dir, sizeof dir, "%s/conf", tmpdir);
	mkdir(dir, 0755);
	const char *p = write_file("conf/angka.ini", valid);
	angka_config_init(&c);
	mu_check_int(angka_config_load(&c, p, &e), ANGKA_OK);
	mu_check_str(c.path, p);
	mu_check_str(c.dir, dir);
	/* One key of a stage section as a path, without applying it. */
	mu_check(angka_config_path(&c, "dedup", "no_such_key") == NULL);
	check_valid(&c, dir);
	angka_config_release(&c);
	unlink(p);
	rmdir(dir);

	/* CRLF line ends and a file without a final newline. */
	angka_config_init(&c);
	mu_check_int(angka_config_load_string(&c, "[profile.dtks]\r\ndelimiter = tab"
	                                      "\r\nkeep_unknown = off", "t.ini", &e),
	             ANGKA_OK);
	mu_check_int(c.profile[ANGKA_KIND_DTKS].delim, '\t');
	angka_config_release(&c);
}

static const struct {
	const char *text, *msg;
} errors[] = {
	{ "[bogus]\nx = 1\n", "'t.ini':2: unknown section [bogus]" },
	{ "[profile.dtks]\ndelimter = ;\n",
	  "'t.ini':2: unknown key 'delimter' in [profile.dtks]" },
	{ "[angka]\nnama = x\n", "'t.ini':2: unknown key 'nama' in [angka]" },
	{ "[input.uep]\nfile = a.csv\n", "'t.ini':2: unknown key 'file' in "
	  "[input.uep]" },
	{ "[profile.dtks]\ndelimiter = ::\n",
	  "'t.ini':2: bad value '::' for 'delimiter' in [profile.dtks] (expected "
	  "auto, comma, semicolon, pipe, tab or one character)" },
	/* ' ;' starts an inline comment: the value is empty. */
	{ "[profile.dtks]\ndelimiter = ;\n",
	  "'t.ini':2: bad value '' for 'delimiter' in [profile.dtks] (expected "
	  "auto, comma, semicolon, pipe, tab or one character)" },
	{ "[profile.dtks]\ndelimiter = \"\n",
	  "'t.ini':2: bad value '\"' for 'delimiter' in [profile.dtks] (expected "
	  "auto, comma, semicolon, pipe, tab or one character)" },
	{ "\n\n[profile.kube]\nkeep_unknown = maybe\n",
	  "'t.ini':4: bad value 'maybe' for 'keep_unknown' in [profile.kube] "
	  "(expected yes or no)" },
	{ "[profile.dtks]\nencoding = latin1\n",
	  "'t.ini':2: bad value 'latin1' for 'encoding' in [profile.dtks] "
	  "(expected auto, utf-8 or windows-1252)" },
	{ "[profile.dtks]\nheader_search = 0\n",
	  "'t.ini':2: bad value '0' for 'header_search' in [profile.dtks] "
	  "(expected 1-1000)" },
	{ "[profile.dtks]\nheader_search = 1001\n",
	  "'t.ini':2: bad value '1001' for 'header_search' in [profile.dtks] "
	  "(expected 1-1000)" },
	{ "[profile.dtks]\nheader_search = 3x\n",
	  "'t.ini':2: bad value '3x' for 'header_search' in [profile.dtks] "
	  "(expected 1-1000)" },
	{ "[profile.dtks]\nrequired = nik, bogus\n",
	  "'t.ini':2: required column 'bogus' is not a column of profile 'dtks'" },
	{ "[profile.susenas]\nrequired = psu\n[profile.dtks]\nx=1\n",
	  "'t.ini':4: unknown key 'x' in [profile.dtks]" },
	{ "[profile.dtks]\ncolumn.NIK = A\n",
	  "'t.ini':2: bad column name 'NIK' in [profile.dtks] (use lowercase "
	  "letters, digits and '_')" },
	{ "[profile.dtks]\ncolumn.nik =\n",
	  "'t.ini':2: column 'nik' in [profile.dtks] needs at least one header "
	  "alias" },
	{ "[profile.bogus]\nx = 1\n",
	  "'t.ini':2: unknown kind 'bogus' in section [profile.bogus] (expected "
	  "one of: dtks, susenas, garis_kemiskinan, terbitan, kube, uep, "
	  "penduduk, wilayah)" },
	{ "[input.dtks]\nfiles =\n",
	  "'t.ini':2: empty file list for 'files' in [input.dtks]" },
	{ "[angka]\noutput_dir =\n", "'t.ini':2: empty value for 'output_dir' in "
	  "[angka]" },
	{ "x = 1\n[angka]\n", "'t.ini':1: key 'x' outside of any section" },
	{ "[angka]\nname = a\nname\n",
	  "'t.ini':3: syntax error (expected [section] or key = value)" },
	{ "[angka\n", "'t.ini':1: syntax error (expected [section] or key = "
	  "value)" },
	/* A long comment line must not shift the line numbers. */
	{ "; xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "\n[angka]\nbogus = 1\n", "'t.ini':3: unknown key 'bogus' in [angka]" },
};

static void test_errors(void)
{
	for (size_t i = 0; i < sizeof errors / sizeof *errors; i++) {
		struct angka_config c;
		struct angka_error e = { 0 };
		angka_config_init(&c);
		enum angka_err rc = angka_config_load_string(&c, errors[i].text,
		                                             "t.ini", &e);
		mu_check_msg(rc == ANGKA_ECONFIG, "case %zu: rc %d", i, rc);
		mu_check_msg(strcmp(e.msg, errors[i].msg) == 0,
		             "case %zu:\n     got  %s\n     want %s", i, e.msg,
		             errors[i].msg);
		angka_config_release(&c);
	}
	/* Through a file: the message names the path. */
	char text[1024] = "[profile.dtks]\n;";
	memset(text + strlen(text), 'x', 600);   /* longer than libinih's buffer */
	strcpy(text + 16 + 600, "\nbogus = 1\n");
	const char *p = write_file("bad.ini", text);
	struct angka_config c;
	struct angka_error e = { 0 };
	angka_config_init(&c);
	mu_check_int(angka_config_load(&c, p, &e), ANGKA_ECONFIG);
	char want[8300];
	snprintf(want, sizeof want, "'%s':3: unknown key 'bogus' in [profile.dtks]",
	         p);
	mu_check_str(e.msg, want);
	angka_config_release(&c);
	unlink(p);
	angka_config_init(&c);
	mu_check_int(angka_config_load(&c, "/nonexistent/angka.ini", &e),
	             ANGKA_ECONFIG);
	mu_check_str(e.msg, "cannot open config '/nonexistent/angka.ini': No such "
	             "file or directory");
	angka_config_release(&c);
}

static void test_parse_helpers(void)
{
	static const struct { const char *s; int rc; char d; } delims[] = {
		{ "auto", 0, 0 }, { "comma", 0, ',' }, { "SEMICOLON", 0, ';' },
		{ "pipe", 0, '|' }, { "tab", 0, '\t' }, { ":", 0, ':' },
		{ "", -1, 0 }, { "\"", -1, 0 }, { "ab", -1, 0 }, { "\n", -1, 0 },
	};
	for (size_t i = 0; i < sizeof delims / sizeof *delims; i++) {
		char d = 'X';
		mu_check_msg(angka_parse_delim(delims[i].s, &d) == delims[i].rc,
		             "delim case %zu", i);
		if (delims[i].rc == 0)
			mu_check_int(d, delims[i].d);
	}
	static const struct { const char *s; int rc, v; } bools[] = {
		{ "1", 0, 1 }, { "yes", 0, 1 }, { "TRUE", 0, 1 }, { "on", 0, 1 },
		{ "ya", 0, 1 }, { "0", 0, 0 }, { "No", 0, 0 }, { "false", 0, 0 },
		{ "off", 0, 0 }, { "tidak", 0, 0 }, { "", -1, 0 }, { "y", -1, 0 },
		{ "2", -1, 0 },
	};
	for (size_t i = 0; i < sizeof bools / sizeof *bools; i++) {
		int b = 7;
		mu_check_msg(angka_parse_bool(bools[i].s, &b) == bools[i].rc,
		             "bool case %zu", i);
		if (bools[i].rc == 0)
			mu_check_int(b, bools[i].v);
	}
}

struct target {
	const char *s, *path;
	int b, mode;
	long n, any;
	double x;
};

static const struct angka_key_def defs[] = {
	{ "s", ANGKA_KEY_STRING, offsetof(struct target, s), NULL, 0, 0 },
	{ "path", ANGKA_KEY_PATH, offsetof(struct target, path), NULL, 0, 0 },
	{ "b", ANGKA_KEY_BOOL, offsetof(struct target, b), NULL, 0, 0 },
	{ "n", ANGKA_KEY_INT, offsetof(struct target, n), NULL, -5, 100 },
	{ "any", ANGKA_KEY_INT, offsetof(struct target, any), NULL, 0, 0 },
	{ "x", ANGKA_KEY_DOUBLE, offsetof(struct target, x), NULL, 0, 1 },
	{ "mode", ANGKA_KEY_ENUM, offsetof(struct target, mode),
	  "fail|remove|adjust", 0, 0 },
	{ NULL, ANGKA_KEY_STRING, 0, NULL, 0, 0 }
};

static void test_apply(void)
{
	static const char text[] =
		"[normalize]\n"
		"s = hello world\n"
		"path = sub/f.csv\n"
		"b = yes\n"
		"n = -5\n"
		"any = -123456789\n"
		"x = 1\n"
		"mode = adjust\n"
		"[dedup]\n"
		"path = /abs/g.csv\n"
		"mode = fail\n";
	struct angka_config c;
	struct angka_error e = { 0 };
	angka_config_init(&c);
	mu_check_int(angka_config_load_string(&c, text, "t.ini", &e), ANGKA_OK);
	struct target t = { "def", NULL, 0, 1, 7, 0, 0.5 };
	mu_check_int(angka_config_apply(&c, "normalize", defs, &t, &e), ANGKA_OK);
	mu_check_str(t.s, "hello world");
	mu_check_str(t.path, "sub/f.csv");
	mu_check_int(t.b, 1);
	mu_check_int(t.n, -5);
	mu_check_int(t.any, -123456789);
	mu_check(t.x == 1.0);
	mu_check_int(t.mode, 2);
	struct target u = { "def", NULL, 1, 1, 7, 0, 0.5 };
	mu_check_int(angka_config_apply(&c, "dedup", defs, &u, &e), ANGKA_OK);
	mu_check_str(u.s, "def");       /* defaults kept */
	mu_check_str(u.path, "/abs/g.csv");
	mu_check_int(u.b, 1);
	mu_check_int(u.n, 7);
	mu_check_int(u.mode, 0);
	/* A section with no keys leaves everything alone. */
	mu_check_int(angka_config_apply(&c, "trend", defs, &u, &e), ANGKA_OK);
	angka_config_release(&c);

	/* PATH resolves against the config file's directory. */
	const char *p = write_file("apply.ini", "[run]\npath = sub/f.csv\n");
	angka_config_init(&c);
	mu_check_int(angka_config_load(&c, p, &e), ANGKA_OK);
	mu_check_int(angka_config_apply(&c, "run", defs, &t, &e), ANGKA_OK);
	char want[8300];
	snprintf(want, sizeof want, "%s/sub/f.csv", tmpdir);
	mu_check_str(t.path, want);
	angka_config_release(&c);
	unlink(p);
}

static const struct {
	const char *line, *msg;
} apply_errors[] = {
	{ "bogus = 1", "'t.ini':3: unknown key 'bogus' in [normalize]" },
	{ "b = maybe", "'t.ini':3: bad value 'maybe' for 'b' in [normalize]" },
	{ "n = 101", "'t.ini':3: bad value '101' for 'n' in [normalize] (expected "
	  "a number in [-5, 100])" },
	{ "n = -6", "'t.ini':3: bad value '-6' for 'n' in [normalize] (expected "
	  "a number in [-5, 100])" },
	{ "n = 5x", "'t.ini':3: bad value '5x' for 'n' in [normalize] (expected "
	  "a number in [-5, 100])" },
	{ "n = 1.5", "'t.ini':3: bad value '1.5' for 'n' in [normalize] (expected "
	  "a number in [-5, 100])" },
	{ "any = 99999999999999999999999", "'t.ini':3: bad value "
	  "'99999999999999999999999' for 'any' in [normalize]" },
	{ "any = abc", "'t.ini':3: bad value 'abc' for 'any' in [normalize]" },
	{ "x = 1.0001", "'t.ini':3: bad value '1.0001' for 'x' in [normalize] "
	  "(expected a number in [0, 1])" },
	{ "x = nan", "'t.ini':3: bad value 'nan' for 'x' in [normalize] "
	  "(expected a number in [0, 1])" },
	{ "x = 1e999", "'t.ini':3: bad value '1e999' for 'x' in [normalize] "
	  "(expected a number in [0, 1])" },
	{ "x = 0,5", "'t.ini':3: bad value '0,5' for 'x' in [normalize] "
	  "(expected a number in [0, 1])" },
	{ "mode = Fail", "'t.ini':3: bad value 'Fail' for 'mode' in [normalize] "
	  "(expected one of: fail|remove|adjust)" },
	{ "mode = fai", "'t.ini':3: bad value 'fai' for 'mode' in [normalize] "
	  "(expected one of: fail|remove|adjust)" },
	{ "mode = adjusted", "'t.ini':3: bad value 'adjusted' for 'mode' in "
	  "[normalize] (expected one of: fail|remove|adjust)" },
	{ "mode =", "'t.ini':3: bad value '' for 'mode' in [normalize] (expected "
	  "one of: fail|remove|adjust)" },
};

static void test_apply_errors(void)
{
	for (size_t i = 0; i < sizeof apply_errors / sizeof *apply_errors; i++) {
		char text[512];
		snprintf(text, sizeof text, "[normalize]\ns = ok\n%s\n",
		         apply_errors[i].line);
		struct angka_config c;
		struct angka_error e = { 0 };
		angka_config_init(&c);
		mu_check_int(angka_config_load_string(&c, text, "t.ini", &e), ANGKA_OK);
		struct target t = { "def", NULL, 0, 1, 7, 0, 0.5 };
		mu_check_msg(angka_config_apply(&c, "normalize", defs, &t, &e) ==
		             ANGKA_ECONFIG, "case %zu", i);
		mu_check_msg(strcmp(e.msg, apply_errors[i].msg) == 0,
		             "case %zu:\n     got  %s\n     want %s", i, e.msg,
		             apply_errors[i].msg);
		angka_config_release(&c);
	}
}


static void test_fuzz_regress(void)
{
	mu_check(replay_dir("tests/fuzz/regress/fuzz_config", fuzz_config_one) >= 0);
	mu_check(replay_dir("tests/fuzz/corpus/fuzz_config", fuzz_config_one) >= 1);
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/test_config.XXXXXX",
	         t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	mu_run(test_defaults);
	mu_run(test_valid);
	mu_run(test_config_path);
	mu_run(test_errors);
	mu_run(test_parse_helpers);
	mu_run(test_apply);
	mu_run(test_apply_errors);
	mu_run(test_fuzz_regress);
	rmdir(tmpdir);
	return mu_report("test_config");
}
