/*
 * test_csv_writer.c - angka_csv_writer: quoting, numbers, atomic commit and
 * abort, file modes, gzip output, huge fields, write errors (stdout on
 * /dev/full in a forked child), and direct mode (outputs past 64 MiB, on and
 * off, with a failing write under RLIMIT_FSIZE; past 512 MiB, larger
 * writes), and .xlsx outputs (cell
 * types, a zip in place, no temporary file left), and the hash log
 * (ANGKA_HASH_LOG: identity and sha256 of each file committed).
 */
#include "minunit.h"

#include "csv_writer.h"
#include "xlsx_out.h"
#include "publish.h"
#include "region.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static char tmpdir[4096];

static void make_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/test_csv_writer.XXXXXX",
	         t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(1);
	}
}

/* Number of entries in tmpdir (besides . and ..); unlinks them if clean. */
static int dir_entries(int clean)
{
	DIR *d = opendir(tmpdir);
	int n = 0;
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n++;
		if (clean) {
			char p[8192];
			snprintf(p, sizeof p, "%s/%s", tmpdir, de->d_name);
			unlink(p);
		}
	}
	if (d)
		closedir(d);
	return n;
}

static const char *tpath(const char *name)
{
	static char p[8192];
	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0, k;
	char *b = malloc(cap + 1);
	while ((k = fread(b + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap)
			b = realloc(b, (cap *= 2) + 1);
	}
	fclose(f);
	b[n] = '\0';
	*len = n;
	return b;
}

static const struct {
	const char *in;
	size_t len;      /* 0: strlen */
	const char *out;
	int needs;
} quoting[] = {
	{ "abc", 0, "abc", 0 },
	{ "", 0, "", 0 },
	{ "a,b", 0, "\"a,b\"", 1 },
	{ "q\"q", 0, "\"q\"\"q\"", 1 },
	{ "\"", 0, "\"\"\"\"", 1 },
	{ "a\nb", 0, "\"a\nb\"", 1 },
	{ "a\rb", 0, "\"a\rb\"", 1 },
	{ " x ", 0, " x ", 0 },
	{ "a;b|c\td", 0, "a;b|c\td", 0 },
	{ "Jos\xC3\xA9", 0, "Jos\xC3\xA9", 0 },
	{ "5,32", 0, "\"5,32\"", 1 },
	{ "x\0y", 3, "x\0y", 0 },
};

static void test_quoting(void)
{
	const char *p = tpath("q.csv");
	struct angka_csv_writer *w;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_writer_open(&w, p, ANGKA_CSV_WRITER_NOSYNC, &e),
	             ANGKA_OK);
	char want[256];
	size_t wl = 0;
	size_t n = sizeof quoting / sizeof *quoting;
	for (size_t i = 0; i < n; i++) {
		size_t len = quoting[i].len ? quoting[i].len : strlen(quoting[i].in);
		size_t olen = quoting[i].len ? quoting[i].len : strlen(quoting[i].out);
		mu_check_msg(angka_csv_needs_quote(quoting[i].in, len) ==
		             quoting[i].needs, "case %zu", i);
		angka_csv_writer_field(w, quoting[i].in, len);
		angka_csv_writer_end_row(w);
		memcpy(want + wl, quoting[i].out, olen);
		wl += olen;
		want[wl++] = '\n';
	}
	/* Several fields, a NULL string, a whole row. */
	angka_csv_writer_str(w, "a");
	angka_csv_writer_str(w, NULL);
	angka_csv_writer_str(w, "b,c");
	angka_csv_writer_raw(w, "\"pre\"", 5);
	angka_csv_writer_end_row(w);
	static const char *const row[] = { "x", "y\"", "" };
	angka_csv_writer_row(w, 3, row);
	static const char tail[] = "a,,\"b,c\",\"pre\"\nx,\"y\"\"\",\n";
	memcpy(want + wl, tail, sizeof tail - 1);
	wl += sizeof tail - 1;
	mu_check_int(angka_csv_writer_rows(w), n + 2);
	mu_check_str(angka_csv_writer_name(w), p);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	size_t len;
	char *got = slurp(p, &len);
	mu_check(got != NULL);
	mu_check_msg(got && len == wl && memcmp(got, want, wl) == 0,
	             "got:\n%s\nwant:\n%.*s", got ? got : "", (int)wl, want);
	free(got);
	dir_entries(1);
}

static void test_numbers(void)
{
	const char *p = tpath("n.csv");
	struct angka_csv_writer *w;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_writer_open(&w, p, ANGKA_CSV_WRITER_NOSYNC, &e),
	             ANGKA_OK);
	static const long long longs[] = { 0, -1, 42, LLONG_MIN, LLONG_MAX };
	for (size_t i = 0; i < 5; i++)
		angka_csv_writer_long(w, longs[i]);
	angka_csv_writer_end_row(w);
	static const double dbl[] = { 0.1, 5.32, -0.0, 1e300, 4.9e-324,
	                              187870.0, 1.0 / 3, 2.5e-7 };
	size_t nd = sizeof dbl / sizeof *dbl;
	for (size_t i = 0; i < nd; i++)
		angka_csv_writer_double(w, dbl[i]);
	angka_csv_writer_double(w, NAN);
	angka_csv_writer_double(w, INFINITY);
	angka_csv_writer_double(w, -INFINITY);
	angka_csv_writer_end_row(w);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	size_t len;
	char *got = slurp(p, &len);
	mu_check(got != NULL);
	if (!got)
		return;
	char *nl = strchr(got, '\n');
	mu_check(nl != NULL);
	if (!nl)
		return;
	*nl = '\0';
	mu_check_str(got, "0,-1,42,-9223372036854775808,9223372036854775807");
	char *s = nl + 1;
	/* Shortest digits that round-trip, not %.17g. */
	static const char want[] = "0.1,5.32,0,1e+300,5e-324,187870,"
	                           "0.3333333333333333,2.5e-07,";
	mu_check_msg(strncmp(s, want, sizeof want - 1) == 0, "doubles: '%s'", s);
	for (size_t i = 0; i < nd; i++) {
		char *end;
		double v = strtod(s, &end);
		/* -0 is written "0" (angka_number_format). */
		mu_check_msg(memcmp(&v, &dbl[i], sizeof v) == 0 ||
		             (v == 0.0 && dbl[i] == 0.0),
		             "double %zu: wrote '%.*s' for %.17g", i, (int)(end - s),
		             s, dbl[i]);
		mu_check(*end == ',');
		s = end + 1;
	}
	mu_check_str(s, ",,\n");
	free(got);
	dir_entries(1);
}

static void test_atomic(void)
{
	struct angka_error e = { 0 };
	const char *p = tpath("out.csv");
	char target[8192];
	snprintf(target, sizeof target, "%s", p);
	struct stat st;

	/* Before commit: only the hidden temporary file. */
	struct angka_csv_writer *w;
	mu_check_int(angka_csv_writer_open(&w, target, 0, &e), ANGKA_OK);
	angka_csv_writer_str(w, "new");
	angka_csv_writer_end_row(w);
	mu_check(stat(target, &st) != 0);
	mu_check_int(dir_entries(0), 1);
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") &&
		    strcmp(de->d_name, ".."))
			mu_check_msg(strncmp(de->d_name, ".out.csv.tmp.", 13) == 0,
			             "temp file %s", de->d_name);
	if (d)
		closedir(d);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	mu_check_int(dir_entries(0), 1);
	size_t len;
	char *got = slurp(target, &len);
	mu_check_str(got, "new\n");
	free(got);

	/* Abort: the old file stays, no temporary file remains. */
	mu_check_int(angka_csv_writer_open(&w, target, 0, &e), ANGKA_OK);
	angka_csv_writer_str(w, "discarded");
	angka_csv_writer_end_row(w);
	angka_csv_writer_abort(w);
	mu_check_int(dir_entries(0), 1);
	got = slurp(target, &len);
	mu_check_str(got, "new\n");
	free(got);

	/* Commit replaces an existing file. */
	mu_check_int(angka_csv_writer_open(&w, target, 0, &e), ANGKA_OK);
	angka_csv_writer_str(w, "replaced");
	angka_csv_writer_end_row(w);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	got = slurp(target, &len);
	mu_check_str(got, "replaced\n");
	free(got);
	mu_check_int(dir_entries(1), 1);

	/* Abort without an old file: nothing at all remains. */
	mu_check_int(angka_csv_writer_open(&w, target, 0, &e), ANGKA_OK);
	angka_csv_writer_abort(w);
	mu_check_int(dir_entries(0), 0);
	angka_csv_writer_abort(NULL);

	/* A relative path (no directory part) works too. */
	char cwd[4096];
	mu_check(getcwd(cwd, sizeof cwd) != NULL);
	mu_check(chdir(tmpdir) == 0);
	mu_check_int(angka_csv_writer_open(&w, "rel.csv", 0, &e), ANGKA_OK);
	angka_csv_writer_str(w, "r");
	angka_csv_writer_end_row(w);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	mu_check(stat("rel.csv", &st) == 0);
	mu_check(chdir(cwd) == 0);
	mu_check_int(dir_entries(1), 1);

	/* A directory that does not exist: ANGKA_EIO naming the file. */
	w = NULL;
	mu_check_int(angka_csv_writer_open(&w, tpath("no/such/dir/x.csv"), 0, &e),
	             ANGKA_EIO);
	mu_check(w == NULL);
	mu_check_msg(strstr(e.msg, "x.csv") && strstr(e.msg, "No such file"),
	             "msg: %s", e.msg);
}

static void test_modes(void)
{
	struct angka_error e = { 0 };
	mode_t old = umask(022);
	struct angka_csv_writer *w;
	struct stat st;
	mu_check_int(angka_csv_writer_open(&w, tpath("pub.csv"), 0, &e), ANGKA_OK);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	mu_check(stat(tpath("pub.csv"), &st) == 0);
	/* 0600 whatever the umask: the driver sets published modes. */
	mu_check_int(st.st_mode & 0777, 0600);
	mu_check_int(angka_csv_writer_open(&w, tpath("priv.csv"),
	                                   ANGKA_CSV_WRITER_PRIVATE, &e), ANGKA_OK);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	mu_check(stat(tpath("priv.csv"), &st) == 0);
	mu_check_int(st.st_mode & 0777, 0600);
	umask(old);
	dir_entries(1);
}

static void test_gzip_and_huge(void)
{
	struct angka_error e = { 0 };
	const char *p = tpath("out.csv.gz");
	char target[8192];
	snprintf(target, sizeof target, "%s", p);
	struct angka_csv_writer *w;
	mu_check_int(angka_csv_writer_open(&w, target, ANGKA_CSV_WRITER_NOSYNC, &e),
	             ANGKA_OK);
	/* A 600 kB field with quotes: longer than the writer's buffer. */
	size_t big = 600000;
	char *field = malloc(big);
	for (size_t i = 0; i < big; i++)
		field[i] = i % 1000 == 999 ? '"' : (char)('a' + i % 26);
	angka_csv_writer_str(w, "h");
	angka_csv_writer_end_row(w);
	angka_csv_writer_field(w, field, big);
	angka_csv_writer_long(w, 7);
	angka_csv_writer_end_row(w);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);

	size_t rawlen;
	char *raw = slurp(target, &rawlen);
	mu_check(raw && rawlen > 2 && (unsigned char)raw[0] == 0x1f &&
	         (unsigned char)raw[1] == 0x8b);
	free(raw);
	gzFile gz = gzopen(target, "rb");
	mu_check(gz != NULL);
	size_t cap = 2 * big + 100, n = 0;
	char *out = malloc(cap);
	int k;
	while (gz && (k = gzread(gz, out + n, (unsigned)(cap - n))) > 0)
		n += (size_t)k;
	if (gz)
		mu_check_int(gzclose(gz), Z_OK);
	/* Expected: h\n"<field with doubled quotes>",7\n */
	size_t nq = big / 1000;
	mu_check_int(n, 2 + 1 + big + nq + 1 + 2 + 1);
	mu_check(memcmp(out, "h\n\"", 3) == 0);
	size_t o = 3, bad = 0;
	for (size_t i = 0; i < big && o < n; i++) {
		bad += out[o++] != field[i];
		if (field[i] == '"')
			bad += out[o++] != '"';
	}
	mu_check_int(bad, 0);
	mu_check(memcmp(out + o, "\",7\n", 4) == 0);
	free(out);
	free(field);
	dir_entries(1);
}

/* In a child with stdout on /dev/full (or a file), write to "-" and return
 * the commit result as the exit status: 0 ok, 1 ANGKA_EIO with the expected
 * message, 2 anything else. */
static int child_write_stdout(const char *dev, int nrows)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(dev, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			_exit(3);
		struct angka_csv_writer *w;
		struct angka_error e = { 0 };
		if (angka_csv_writer_open(&w, "-", 0, &e) != ANGKA_OK)
			_exit(4);
		if (strcmp(angka_csv_writer_name(w), "<stdout>") != 0)
			_exit(5);
		for (int i = 0; i < nrows; i++) {
			angka_csv_writer_str(w, "some text");
			angka_csv_writer_long(w, i);
			angka_csv_writer_end_row(w);
		}
		enum angka_err rc = angka_csv_writer_commit(w, &e);
		if (rc == ANGKA_OK)
			_exit(0);
		if (rc == ANGKA_EIO && strstr(e.msg, "<stdout>") &&
		    strstr(e.msg, "No space left on device"))
			_exit(1);
		fprintf(stderr, "commit: %d %s\n", rc, e.msg);
		_exit(2);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_write_errors(void)
{
	struct stat st;
	if (stat("/dev/full", &st) == 0) {
		mu_check_int(child_write_stdout("/dev/full", 1), 1);       /* at commit */
		mu_check_int(child_write_stdout("/dev/full", 100000), 1);  /* mid-way */
	}
	mu_check_int(child_write_stdout(tpath("stdout.csv"), 3), 0);
	size_t len;
	char *got = slurp(tpath("stdout.csv"), &len);
	mu_check_str(got, "some text,0\nsome text,1\nsome text,2\n");
	free(got);
	dir_entries(1);
}


/*
 * Direct mode: ~90 MiB of rows written through every entry point (fields,
 * raw, reserve, whole rows (rows_raw, also a 9 MiB block of them, larger
 * than the direct buffer), a 20 MiB quoted field larger than the direct
 * buffer), with
 * ANGKA_DIRECT_IO unset and = 0; the file must equal the bytes built here
 * independently, and end in a tail that is not a whole 4096-byte block.
 */
static size_t expect_put(char *x, size_t o, const char *s, size_t n)
{
	memcpy(x + o, s, n);
	return o + n;
}

#define RAW_BLOCK_ROWS ((size_t)9 << 16)   /* rows of 16 bytes: 9 MiB */

static int write_direct_file(const char *path, const char *big, size_t nbig,
                             int *was_direct, uint64_t *rows)
{
	static char *block;
	if (!block) {
		block = malloc(RAW_BLOCK_ROWS * 16 + 1);   /* snprintf's NUL */
		for (size_t r = 0; r < RAW_BLOCK_ROWS; r++)
			snprintf(block + 16 * r, 17, "%014zx,\n", r);
	}
	struct angka_error e = { 0 };
	struct angka_csv_writer *w;
	if (angka_csv_writer_open(&w, path, ANGKA_CSV_WRITER_NOSYNC, &e) != ANGKA_OK)
		return -1;
	angka_csv_writer_str(w, "k");
	angka_csv_writer_str(w, "v");
	angka_csv_writer_end_row(w);
	for (long i = 0; i < 1200000; i++) {
		angka_csv_writer_long(w, i);
		angka_csv_writer_str(w, "abcdefghijklmnopqrstuvwxyz,0123456789");
		angka_csv_writer_end_row(w);
		if (i % 3 == 0) {
			char *r = angka_csv_writer_reserve(w, 32);
			if (!r)
				return -2;
			memcpy(r, "reserved,row\n", 13);
			angka_csv_writer_row_done(w, 13);
		}
		if (i % 5 == 1)
			angka_csv_writer_rows_raw(w, "raw,1\nraw,2\n", 12, 2);
		if (i == 300000)
			angka_csv_writer_rows_raw(w, block, RAW_BLOCK_ROWS * 16,
			                          RAW_BLOCK_ROWS);
		if (i == 700000) {
			angka_csv_writer_field(w, big, nbig);
			angka_csv_writer_end_row(w);
		}
	}
	angka_csv_writer_raw(w, "tail", 4);
	angka_csv_writer_end_row(w);
	*was_direct = angka_csv_writer_direct(w);
	*rows = angka_csv_writer_rows(w);
	return angka_csv_writer_commit(w, &e) == ANGKA_OK ? 0 : -3;
}

static uint64_t fnv_add(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/* The FNV-1a hash of the file at path and its size (*len), read in
 * pieces: the big files of these tests are more than a test should hold. */
static uint64_t file_fnv(const char *path, uint64_t *len)
{
	FILE *f = fopen(path, "rb");
	uint64_t h = 14695981039346656037u;
	static char buf[1 << 20];
	size_t k;
	*len = 0;
	while (f && (k = fread(buf, 1, sizeof buf, f)) > 0) {
		h = fnv_add(h, buf, k);
		*len += k;
	}
	if (f)
		fclose(f);
	return h;
}

/*
 * --tee's copy ends (the reader sees EOF) when commit returns, not when
 * the process exits: rows of the file through a pipe on stdout, read by a
 * child that reports the bytes and their hash, then exits. The parent
 * keeps its (former) stdout open the whole time, so the child can only
 * finish if commit ended the copy; it is given 60 s. nrows large enough
 * puts the writer in direct mode (> 64 MB). A slow reader (pause_us
 * after each read) keeps the direct thread's copy of a buffer going
 * while the rows fill the other: the copy must still be the file.
 */
/* A writer of path, teed to stdout, holding nrows rows "i,<62 bytes>";
 * the caller commits it. */
static struct angka_csv_writer *tee_rows(const char *path, long nrows,
                                         struct angka_error *e)
{
	struct angka_csv_writer *w = NULL;
	mu_check(angka_csv_writer_open(&w, path, 0, e) == ANGKA_OK);
	angka_csv_writer_tee_stdout(w);
	for (long i = 0; i < nrows; i++) {
		angka_csv_writer_long(w, i);
		angka_csv_writer_str(w, "abcdefghijklmnopqrstuvwxyz 0123456789 "
		                        "abcdefghijklmnopqrstuvwxyz");
		angka_csv_writer_end_row(w);
	}
	return w;
}

static void tee_eof_check(long nrows, unsigned pause_us)
{
	int pfd[2], rfd[2];
	mu_check(pipe(pfd) == 0 && pipe(rfd) == 0);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[1]);
		close(rfd[0]);
		static char buf[1 << 16];
		uint64_t n = 0, h = 1469598103934665603u;
		ssize_t k;
		while ((k = read(pfd[0], buf, sizeof buf)) > 0) {
			n += (uint64_t)k;
			h = fnv_add(h, buf, (size_t)k);
			if (pause_us)
				usleep(pause_us);
		}
		uint64_t res[2] = { n, h };
		_exit(k == 0 && write(rfd[1], res, sizeof res) == sizeof res ? 0 : 1);
	}
	mu_check(pid > 0);
	close(pfd[0]);
	close(rfd[1]);
	mu_check(dup2(pfd[1], STDOUT_FILENO) == STDOUT_FILENO);
	close(pfd[1]);
	char path[8192];
	snprintf(path, sizeof path, "%s", tpath("tee.csv"));
	struct angka_error e = { 0 };
	struct angka_csv_writer *w = tee_rows(path, nrows, &e);
	mu_check(angka_csv_writer_commit(w, &e) == ANGKA_OK);
	/* The copy has ended: the child finishes while stdout (now
	 * /dev/null) is still open here. */
	int st = -1;
	for (int t = 0; t < 6000; t++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		st = -1;
		usleep(10000);
	}
	mu_check_msg(st == 0, "the reader saw no end of the copy (%d)", st);
	if (st == -1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	uint64_t res[2] = { 0, 0 };
	mu_check(read(rfd[0], res, sizeof res) == (ssize_t)sizeof res);
	close(rfd[0]);
	/* The copy is the file. */
	FILE *f = fopen(path, "rb");
	uint64_t n = 0, h = 1469598103934665603u;
	static char buf[1 << 16];
	size_t k;
	while (f && (k = fread(buf, 1, sizeof buf, f)) > 0) {
		n += k;
		h = fnv_add(h, buf, k);
	}
	if (f)
		fclose(f);
	mu_check(n > 0);
	mu_check(res[0] == n && res[1] == h);
	mu_check(dup2(saved, STDOUT_FILENO) == STDOUT_FILENO);
	close(saved);
	unlink(path);
}

static void test_tee_eof(void)
{
	tee_eof_check(1000, 0);      /* buffered */
	tee_eof_check(1000000, 0);   /* ~75 MB: direct past 64 MB */
	tee_eof_check(1000000, 50);  /* the same, read slowly */
}

/*
 * A copy that cannot be written (the reader has gone after keep bytes;
 * SIGPIPE ignored, so EPIPE) is the writer's error at commit, named as
 * the copy's, and the file is not made: buffered, and in direct mode,
 * where the direct thread writes the copy of its buffers.
 */
static void tee_fail_check(long nrows, uint64_t keep)
{
	int pfd[2];
	mu_check(pipe(pfd) == 0);
	pid_t pid = 0;
	if (keep) {
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			close(pfd[1]);
			static char buf[1 << 16];
			uint64_t n = 0;
			ssize_t k;
			while (n < keep && (k = read(pfd[0], buf,
			                             keep - n < sizeof buf ?
			                             keep - n : sizeof buf)) > 0)
				n += (uint64_t)k;
			_exit(n == keep ? 0 : 1);
		}
		mu_check(pid > 0);
	}
	close(pfd[0]);
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	mu_check(dup2(pfd[1], STDOUT_FILENO) == STDOUT_FILENO);
	close(pfd[1]);
	char path[8192];
	snprintf(path, sizeof path, "%s", tpath("teefail.csv"));
	struct angka_error e = { 0 };
	struct angka_csv_writer *w = tee_rows(path, nrows, &e);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_EIO);
	mu_check_msg(strstr(e.msg, "write (copy to stdout) error on '") != NULL,
	             "message: %s", e.msg);
	mu_check(strstr(e.msg, "teefail.csv") != NULL);
	mu_check(access(path, F_OK) != 0);
	mu_check(dup2(saved, STDOUT_FILENO) == STDOUT_FILENO);
	close(saved);
	signal(SIGPIPE, old);
	if (pid > 0) {
		int st = -1;
		mu_check(waitpid(pid, &st, 0) == pid);
		mu_check(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	mu_check_int(dir_entries(1), 0);   /* no temporary file left */
}

static void test_tee_fail(void)
{
	tee_fail_check(1000, 0);               /* buffered, at commit */
	tee_fail_check(1000000, 0);            /* at the first flush */
	/* 71.9 MB of rows, direct past 64 MiB (67.1 MB): the reader goes
	 * at 70 MB, during the direct thread's copy of its job (the last
	 * 4.8 MB, handed over at commit). */
	tee_fail_check(1000000, 70000000);
}

static void test_direct(void)
{
	size_t nbig = (size_t)20 << 20;
	char *big = malloc(nbig);
	for (size_t i = 0; i < nbig; i++)
		big[i] = i % 4099 == 4098 ? '"' : (char)('A' + i % 26);
	size_t cap = (size_t)120 << 20, o = 0;
	char *x = malloc(cap);
	o = expect_put(x, o, "k,v\n", 4);
	for (long i = 0; i < 1200000; i++) {
		char tmp[80];
		int k = snprintf(tmp, sizeof tmp,
		                 "%ld,\"abcdefghijklmnopqrstuvwxyz,0123456789\"\n", i);
		o = expect_put(x, o, tmp, (size_t)k);
		if (i % 3 == 0)
			o = expect_put(x, o, "reserved,row\n", 13);
		if (i % 5 == 1)
			o = expect_put(x, o, "raw,1\nraw,2\n", 12);
		if (i == 300000) {
			for (size_t r = 0; r < RAW_BLOCK_ROWS; r++) {
				char tmp[24];
				snprintf(tmp, sizeof tmp, "%014zx,\n", r);
				o = expect_put(x, o, tmp, 16);
			}
		}
		if (i == 700000) {
			x[o++] = '"';
			for (size_t j = 0; j < nbig; j++) {
				x[o++] = big[j];
				if (big[j] == '"')
					x[o++] = '"';
			}
			o = expect_put(x, o, "\"\n", 2);
		}
	}
	o = expect_put(x, o, "tail\n", 5);
	mu_check(o > ((size_t)64 << 20) && o % 4096 != 0);
	/* Does tmpdir's file system take O_DIRECT at all? */
	int fd = open(tpath("probe"), O_WRONLY | O_CREAT | O_DIRECT, 0600);
	int has_direct = fd >= 0;
	if (fd >= 0)
		close(fd);
	dir_entries(1);

	for (int off = 0; off < 2; off++) {
		if (off)
			setenv("ANGKA_DIRECT_IO", "0", 1);
		else
			unsetenv("ANGKA_DIRECT_IO");
		const char *p = tpath("direct.csv");
		char path[8192];
		snprintf(path, sizeof path, "%s", p);
		int was = -1;
		uint64_t rows = 0;
		mu_check_int(write_direct_file(path, big, nbig, &was, &rows), 0);
		/* header, 1200000 rows, 400000 reserved, 240000 x 2 raw, the
		 * block, the big field, tail */
		mu_check_int(rows, 1 + 1200000 + 400000 + 480000 +
		                   RAW_BLOCK_ROWS + 1 + 1);
		/* On a file system without O_DIRECT the writer stays buffered;
		 * ext4, xfs and tmpfs (Linux >= 6.6) have it. */
		mu_check_int(was, off ? 0 : has_direct);
		size_t n;
		char *got = slurp(path, &n);
		mu_check_int(n, o);
		mu_check(got && memcmp(got, x, o) == 0);
		free(got);
		mu_check_int(dir_entries(1), 1);
	}
	unsetenv("ANGKA_DIRECT_IO");

	/* A write that fails in direct mode (the file size limit, as a full
	 * disk would): commit reports it and leaves no file behind. */
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = { (rlim_t)70 << 20, (rlim_t)70 << 20 };
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(3);
		int was = -1;
		uint64_t rows;
		int rc = write_direct_file(tpath("fail.csv"), big, nbig, &was,
		                           &rows);
		_exit(rc == -3 && dir_entries(0) == 0 ? 0 : 10 - rc);
	}
	int status;
	mu_check(pid > 0 && waitpid(pid, &status, 0) == pid &&
	         WIFEXITED(status) && WEXITSTATUS(status) == 0);
	dir_entries(1);
	free(x);
	free(big);
}

/*
 * ANGKA_HASH_LOG: commit appends "DEV INO SIZE MTIME CTIME SHA256" for
 * the file in place; the identity must be stat()'s of the final path and
 * the hash sha256sum's of the file (an independent program). nline is the
 * line of the log (from 1) to check.
 */
static void check_hash_line(const char *log, int nline, const char *path)
{
	FILE *f = fopen(log, "r");
	char line[512] = "";
	for (int i = 0; f && i < nline; i++)
		if (!fgets(line, sizeof line, f))
			line[0] = '\0';
	if (f)
		fclose(f);
	unsigned long long dev, ino;
	long long size, ms, cs;
	long mn, cn;
	char h[65] = "";
	int got = sscanf(line, "%llu %llu %lld %lld.%ld %lld.%ld %64s", &dev,
	                 &ino, &size, &ms, &mn, &cs, &cn, h);
	mu_check_msg(got == 8, "line %d of the hash log: '%s'", nline, line);
	struct stat sb;
	mu_check(stat(path, &sb) == 0);
	mu_check_int(dev, sb.st_dev);
	mu_check_int(ino, sb.st_ino);
	mu_check_int(size, sb.st_size);
	mu_check_int(ms, sb.st_mtim.tv_sec);
	mu_check_int(mn, sb.st_mtim.tv_nsec);
	mu_check_int(cs, sb.st_ctim.tv_sec);
	mu_check_int(cn, sb.st_ctim.tv_nsec);
	char cmd[8300], want[65] = "";
	snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
	FILE *p = popen(cmd, "r");
	mu_check(p && fscanf(p, "%64s", want) == 1);
	if (p)
		mu_check_int(pclose(p), 0);
	mu_check_str(h, want);
}

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;
	while (f && (c = getc(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

static void test_hash_log(void)
{
	char log[8192];
	snprintf(log, sizeof log, "%s.hashes", tmpdir);
	unlink(log);
	setenv("ANGKA_HASH_LOG", log, 1);
	struct angka_error e = { 0 };
	struct angka_csv_writer *w;
	int n = 0;

	/* Buffered: a small plain file. */
	char small[8192];
	snprintf(small, sizeof small, "%s", tpath("small.csv"));
	mu_check(angka_csv_writer_open(&w, small, 0, &e) == ANGKA_OK);
	const char *row[] = { "nik", "nama, lengkap", "x\"y" };
	for (int i = 0; i < 1000; i++)
		angka_csv_writer_row(w, 3, row);
	mu_check(angka_csv_writer_commit(w, &e) == ANGKA_OK);
	mu_check_int(count_lines(log), ++n);
	check_hash_line(log, n, small);

	/* An empty file (the sha256 of no bytes). */
	char empty[8192];
	snprintf(empty, sizeof empty, "%s", tpath("empty.csv"));
	mu_check(angka_csv_writer_open(&w, empty, 0, &e) == ANGKA_OK);
	mu_check(angka_csv_writer_commit(w, &e) == ANGKA_OK);
	mu_check_int(count_lines(log), ++n);
	check_hash_line(log, n, empty);

	/* gzip: the compressed bytes of the file. */
	char gz[8192];
	snprintf(gz, sizeof gz, "%s", tpath("rows.csv.gz"));
	mu_check(angka_csv_writer_open(&w, gz, 0, &e) == ANGKA_OK);
	for (int i = 0; i < 200000; i++) {
		angka_csv_writer_long(w, i);
		angka_csv_writer_str(w, "abc");
		angka_csv_writer_end_row(w);
	}
	mu_check(angka_csv_writer_commit(w, &e) == ANGKA_OK);
	mu_check_int(count_lines(log), ++n);
	check_hash_line(log, n, gz);

	/* Past 64 MiB: direct mode (the thread hashes its jobs), then the
	 * same bytes buffered (ANGKA_DIRECT_IO=0). */
	size_t nbig = (size_t)20 << 20;
	char *big = malloc(nbig);
	for (size_t i = 0; i < nbig; i++)
		big[i] = i % 4099 == 4098 ? '"' : (char)('A' + i % 26);
	for (int off = 0; off < 2; off++) {
		if (off)
			setenv("ANGKA_DIRECT_IO", "0", 1);
		char path[8192];
		snprintf(path, sizeof path, "%s", tpath(off ? "buffered.csv"
		                                            : "direct.csv"));
		int was = -1;
		uint64_t rows = 0;
		mu_check_int(write_direct_file(path, big, nbig, &was, &rows), 0);
		if (off)
			mu_check_int(was, 0);
		mu_check_int(count_lines(log), ++n);
		check_hash_line(log, n, path);
	}
	unsetenv("ANGKA_DIRECT_IO");
	free(big);

	/* No line: an aborted output, stdout, a workbook. */
	mu_check(angka_csv_writer_open(&w, tpath("gone.csv"), 0, &e) ==
	         ANGKA_OK);
	angka_csv_writer_row(w, 3, row);
	angka_csv_writer_abort(w);
	mu_check(angka_csv_writer_open(&w, tpath("book.xlsx"), 0, &e) ==
	         ANGKA_OK);
	angka_csv_writer_row(w, 3, row);
	mu_check(angka_csv_writer_commit(w, &e) == ANGKA_OK);
	mu_check_int(count_lines(log), n);

	/* A log that cannot be written: commit says so (the output itself
	 * is in place). */
	setenv("ANGKA_HASH_LOG", tpath("no/such/dir/log"), 1);
	mu_check(angka_csv_writer_open(&w, tpath("nolog.csv"), 0, &e) ==
	         ANGKA_OK);
	angka_csv_writer_row(w, 3, row);
	mu_check(angka_csv_writer_commit(w, &e) == ANGKA_EIO);
	mu_check(strstr(e.msg, "hash log") != NULL);
	unsetenv("ANGKA_HASH_LOG");
	unlink(log);
	dir_entries(1);
}

/* OWASP CSV injection: what gets a leading apostrophe, what stays. */
static void test_formula(void)
{
	static const char *const yes[] = { "=1+1", "@SUM(A1)", "\tx", "\rx",
		"+SUM(1)", "-x", "-2+3", "--", "-1-", "=", "-.5" };
	static const char *const no[] = { "", "-", "+", "-5", "+62812",
		"-0.25", "-3,5", "1-2", "a=b", "'=x", "SITI" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		mu_check_msg(angka_csv_formula_like(yes[i], strlen(yes[i])), "%s",
		             yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		mu_check_msg(!angka_csv_formula_like(no[i], strlen(no[i])), "%s",
		             no[i]);
}

/* A target that exists and is not a regular file (a FIFO here, /dev/null
 * in practice) is written in place, never replaced by a renamed file. */
static void test_device(void)
{
	struct angka_error e = { 0 };
	const char *fifo = tpath("fifo");
	mu_check(mkfifo(fifo, 0600) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		alarm(5);   /* before the fix nobody opened the FIFO */
		char got[64];
		int fd = open(fifo, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, got, sizeof got) : -1;
		_exit(n == 4 && memcmp(got, "a,b\n", 4) == 0 ? 0 : 1);
	}
	mu_check(pid > 0);
	struct angka_csv_writer *w;
	mu_check_int(angka_csv_writer_open(&w, fifo, 0, &e), ANGKA_OK);
	angka_csv_writer_str(w, "a");
	angka_csv_writer_str(w, "b");
	angka_csv_writer_end_row(w);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	int status = -1;
	mu_check(waitpid(pid, &status, 0) == pid);
	mu_check(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	struct stat st;
	mu_check(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	mu_check_int(dir_entries(1), 1);   /* the FIFO only: no temp file */
}

/* The cell types of xlsx_out.h, and an .xlsx output: a zip in place, no
 * temporary file left, committed or aborted. */
static void test_xlsx(void)
{
	static const struct { const char *s; int num; double v; } cells[] = {
		{ "0", 1, 0 }, { "-5", 1, -5 }, { "7296.2399999999998", 1, 7296.24 },
		{ "1e-3", 1, 0.001 }, { "0.25", 1, 0.25 },
		{ "007", 0, 0 }, { "00", 0, 0 }, { "63.11.01", 0, 0 },
		{ "5,32", 0, 0 }, { "6311013008731179", 0, 0 },
		{ "123456789012345", 1, 123456789012345.0 }, { "1.", 0, 0 },
		{ ".5", 0, 0 }, { "1e", 0, 0 }, { "inf", 0, 0 }, { "", 0, 0 },
		{ "+5", 0, 0 }, { "1e999", 0, 0 },
	};
	for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
		double v = -1;
		int got = angka_xlsx_number(cells[i].s, strlen(cells[i].s), &v);
		mu_check_msg(got == cells[i].num, "'%s': %d", cells[i].s, got);
		if (got && cells[i].num)
			mu_check_msg(v == cells[i].v, "'%s': %.17g", cells[i].s, v);
	}
	static const struct { const char *name; int text; } cols[] = {
		{ "nik", 1 }, { "no_kk", 1 }, { "kode_wilayah", 1 },
		{ "cluster_id", 1 }, { "region", 1 }, { "nik_tgl_lahir", 1 },
		{ "kk_status", 1 }, { "id_ruta", 1 }, { "rt", 1 },
		{ "kks", 0 }, { "n_psu", 0 }, { "estimate", 0 }, { "src_line", 0 },
		{ "tahun", 0 }, { "idx", 0 },
	};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		mu_check_msg(angka_xlsx_text_column(cols[i].name,
		                                    strlen(cols[i].name)) ==
		             cols[i].text, "column '%s'", cols[i].name);
	mu_check(angka_xlsx_path("a/b.XLSX") && !angka_xlsx_path("b.xlsx.gz") &&
	         !angka_xlsx_path(".xlsx"));

	const char *p = tpath("t.xlsx");
	struct angka_csv_writer *w;
	struct angka_error e = { 0 };
	mu_check_int(angka_csv_writer_open(&w, p, 0, &e), ANGKA_OK);
	angka_csv_writer_str(w, "nik");
	angka_csv_writer_str(w, "estimate");
	angka_csv_writer_end_row(w);
	angka_csv_writer_str(w, "6311013008731179");
	angka_csv_writer_double(w, 0.1 + 0.2);
	angka_csv_writer_end_row(w);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	size_t n = 0;
	char *b = slurp(p, &n);
	mu_check(b && n > 1000 && memcmp(b, "PK\3\4", 4) == 0);
	free(b);
	struct stat st;
	mu_check(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
	mu_check_int(dir_entries(1), 1);   /* t.xlsx alone, then removed */
	mu_check_int(angka_csv_writer_open(&w, p, 0, &e), ANGKA_OK);
	angka_csv_writer_str(w, "x");
	angka_csv_writer_end_row(w);
	angka_csv_writer_abort(w);
	mu_check_int(dir_entries(1), 0);
}

/* Publication form: codes dotted, nama_wilayah from the table ("total"
 * is "Jumlah"), and excel-id's BOM, ';', decimal comma (not in kode_*
 * columns, not in text), quoting of ';' and '"'; a row built with
 * reserve/row_done and a row longer than the first buffer fill. */
static void test_publish(void)
{
	struct angka_error e = { 0 };
	const char *tp = tpath("w.csv");
	FILE *f = fopen(tp, "w");
	mu_check(f != NULL);
	if (!f)
		return;
	fputs("kode,level,nama,kode_induk\n63,provinsi,Kalimantan Selatan,\n"
	      "63.11,kabupaten,Balangan,63\n63.11.01,kecamatan,Lampihong,63.11\n"
	      "63.11.01.2001,desa,\"Muara; Ninian\",63.11.01\n", f);
	mu_check(fclose(f) == 0);
	struct angka_region_table *t = NULL;
	mu_check_int(angka_region_load(&t, tp, &e), ANGKA_OK);
	const char *p = tpath("p.csv");
	struct angka_csv_writer *w;
	mu_check_int(angka_csv_writer_open(&w, p, ANGKA_CSV_WRITER_NOSYNC, &e),
	             ANGKA_OK);
	angka_csv_writer_publish(w, ANGKA_CSV_EXCEL_ID, t);
	static const char *const h[] = { "tahun", "kode_wilayah", "kode_kec",
	                                 "estimate", "catatan" };
	angka_csv_writer_row(w, 5, h);
	angka_csv_writer_long(w, 2024);
	angka_csv_writer_str(w, "6311");
	angka_csv_writer_str(w, "63.11");
	angka_csv_writer_double(w, 7296.24);
	angka_csv_writer_str(w, "a, \"b\"; c");
	angka_csv_writer_end_row(w);
	char *r = angka_csv_writer_reserve(w, 64);
	mu_check(r != NULL);
	if (r) {
		static const char row[] = "2024,6311012001,,-1.5e-07,1.5 kali\n";
		memcpy(r, row, sizeof row - 1);
		angka_csv_writer_row_done(w, sizeof row - 1);
	}
	/* Rows until the buffer has been flushed with a row across its end. */
	for (int i = 0; i < 20000; i++) {
		angka_csv_writer_long(w, i);
		angka_csv_writer_str(w, "total");
		angka_csv_writer_str(w, "");
		angka_csv_writer_double(w, 0.5);
		angka_csv_writer_str(w, "x");
		angka_csv_writer_end_row(w);
	}
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	angka_region_free(t);
	size_t len;
	char *got = slurp(p, &len);
	mu_check(got != NULL);
	if (!got)
		return;
	static const char want[] =
		"\xEF\xBB\xBFtahun;kode_wilayah;nama_wilayah;kode_kec;estimate;catatan\n"
		"2024;63.11;Balangan;63.11;7296,24;\"a, \"\"b\"\"; c\"\n"
		"2024;63.11.01.2001;\"Muara; Ninian\";;-1,5e-07;1.5 kali\n"
		"0;total;Jumlah;;0,5;x\n";
	mu_check_msg(strncmp(got, want, sizeof want - 1) == 0, "got '%.200s'", got);
	/* Every later row intact across buffer flushes. */
	int bad = 0, rows = 0;
	char *q = got + sizeof want - 1;
	for (int i = 1; i < 20000 && *q; i++, rows++) {
		char line[64];
		int n = snprintf(line, sizeof line, "%d;total;Jumlah;;0,5;x\n", i);
		if (strncmp(q, line, (size_t)n) != 0)
			bad++;
		q += n;
	}
	mu_check_msg(bad == 0 && rows == 19999 && *q == '\0',
	             "rows after the first: %d bad of %d", bad, rows);
	free(got);
	unlink(tp);
	dir_entries(1);
}

/* Publication form of a domain column: with a region table, nama_domain
 * after it names a domain kode_wilayah=CODE (CODE dotted if it was not;
 * unknown code: ""), any other domain gets ""; a header that has
 * nama_domain already, or no region table, adds nothing. */
static void test_publish_domain(void)
{
	struct angka_error e = { 0 };
	const char *tp = tpath("w.csv");
	FILE *f = fopen(tp, "w");
	mu_check(f != NULL);
	if (!f)
		return;
	fputs("kode,level,nama,kode_induk\n63.11,kabupaten,Balangan,\n"
	      "63.11.01,kecamatan,Lampihong,63.11\n", f);
	mu_check(fclose(f) == 0);
	struct angka_region_table *t = NULL;
	mu_check_int(angka_region_load(&t, tp, &e), ANGKA_OK);
	static const char *const h[] = { "tahun", "kode_wilayah", "domain",
	                                 "estimate" };
	static const char *const rows[][4] = {
		{ "2024", "63.11", "total", "1.5" },
		{ "2024", "6311", "kode_wilayah=63.11.01", "2" },
		{ "2024", "63.11", "kode_wilayah=631101", "3" },
		{ "2024", "63.11", "kode_wilayah=63.11.09", "4" },
		{ "2024", "63.11", "jk=1", "5" },
	};
	static const char *const want[3] = {
		"tahun,kode_wilayah,nama_wilayah,domain,nama_domain,estimate\n"
		"2024,63.11,Balangan,total,,1.5\n"
		"2024,63.11,Balangan,kode_wilayah=63.11.01,Lampihong,2\n"
		"2024,63.11,Balangan,kode_wilayah=63.11.01,Lampihong,3\n"
		"2024,63.11,Balangan,kode_wilayah=63.11.09,,4\n"
		"2024,63.11,Balangan,jk=1,,5\n",
		/* no region table: codes dotted, no names */
		"tahun,kode_wilayah,domain,estimate\n"
		"2024,63.11,total,1.5\n"
		"2024,63.11,kode_wilayah=63.11.01,2\n"
		"2024,63.11,kode_wilayah=631101,3\n"
		"2024,63.11,kode_wilayah=63.11.09,4\n"
		"2024,63.11,jk=1,5\n",
		/* nama_domain already there: kept as written */
		"tahun,kode_wilayah,nama_wilayah,domain,nama_domain,estimate\n"
		"2024,63.11,Balangan,total,x,1.5\n"
		"2024,63.11,Balangan,kode_wilayah=63.11.01,x,2\n"
		"2024,63.11,Balangan,kode_wilayah=631101,x,3\n"
		"2024,63.11,Balangan,kode_wilayah=63.11.09,x,4\n"
		"2024,63.11,Balangan,jk=1,x,5\n",
	};
	for (int v = 0; v < 3; v++) {
		const char *p = tpath("p.csv");
		struct angka_csv_writer *w;
		mu_check_int(angka_csv_writer_open(&w, p, ANGKA_CSV_WRITER_NOSYNC,
		                                   &e), ANGKA_OK);
		angka_csv_writer_publish(w, ANGKA_CSV_RFC4180, v == 1 ? NULL : t);
		for (int r = -1; r < 5; r++) {
			const char *const *row = r < 0 ? h : rows[r];
			for (int c = 0; c < 4; c++) {
				angka_csv_writer_str(w, row[c]);
				if (v == 2 && c == 2)
					angka_csv_writer_str(w, r < 0 ? "nama_domain" : "x");
			}
			angka_csv_writer_end_row(w);
		}
		mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
		size_t len;
		char *got = slurp(p, &len);
		mu_check(got != NULL);
		if (!got)
			continue;
		if (v == 2) {
			/* the header decides: nama_wilayah is added, nama_domain
			 * kept */
			mu_check_msg(strcmp(got, want[2]) == 0, "kept: got '%s'", got);
		} else {
			mu_check_msg(strcmp(got, want[v]) == 0, "%d: got '%s'", v, got);
		}
		free(got);
		unlink(p);
	}
	angka_region_free(t);
	unlink(tp);
	dir_entries(1);
}

/* The driver's excel-id copy of a published RFC 4180 table: the same
 * fields with BOM, ';' and a decimal comma only in numbers outside kode_*
 * columns; quoted text (a ',' a ';' a '"' a newline), a formula-escaped
 * text and dotted codes as they were; a missing source is an error and
 * leaves no file. */
static void test_excel_copy(void)
{
	struct angka_error e = { 0 };
	const char *src = tpath("t.csv"), *dst = tpath("x.csv");
	FILE *f = fopen(src, "w");
	mu_check(f != NULL);
	if (!f)
		return;
	fputs("tahun,kode_wilayah,nama_wilayah,kode_x,estimate,se,catatan\n"
	      "2024,63.11.01,Lampihong,1.5,5.33163623985259,-1.5e-07,\"a, \"\"b\"\"\"\n"
	      "2024,total,Jumlah,,7296.24,12,'=1+2\n"
	      "2023,63.11,Balangan,,1e+20,.5,\"x;\ny\"\n", f);
	mu_check(fclose(f) == 0);
	unsigned long long rows = 0;
	mu_check_int(angka_publish_excel_copy(src, dst, &rows, &e), ANGKA_OK);
	mu_check(rows == 4);
	size_t len;
	char *got = slurp(dst, &len);
	mu_check(got != NULL);
	if (!got)
		return;
	static const char want[] =
		"\xEF\xBB\xBFtahun;kode_wilayah;nama_wilayah;kode_x;estimate;se;catatan\n"
		"2024;63.11.01;Lampihong;1.5;5,33163623985259;-1,5e-07;"
		"\"a, \"\"b\"\"\"\n"
		"2024;total;Jumlah;;7296,24;12;'=1+2\n"
		"2023;63.11;Balangan;;1e+20;.5;\"x;\ny\"\n";
	mu_check_msg(len == sizeof want - 1 && memcmp(got, want, len) == 0,
	             "got '%.*s'", (int)len, got);
	free(got);
	unlink(dst);
	mu_check(angka_publish_excel_copy(tpath("none.csv"), dst, NULL, &e) ==
	         ANGKA_EIO);
	mu_check(access(dst, F_OK) != 0);
	unlink(src);
	dir_entries(1);
}

/*
 * A direct file past 512 MiB goes on in larger writes (csv_writer.c,
 * DIRECT_BIG_AFTER): ~600 MiB of rows of every length 0-299 (so the
 * buffer switches fall anywhere in a row), built with reserve and with
 * fields; the file must have exactly the bytes and the fnv1a hash of the
 * rows built here, and the hash log sha256sum's hash of it.
 */
static size_t big_row(size_t i, char *out)
{
	int k = snprintf(out, 16, "%09zu,", i);
	size_t len = (i * 7919) % 300;
	for (size_t j = 0; j < len; j++)
		out[(size_t)k + j] = (char)('a' + (i + j) % 26);
	out[(size_t)k + len] = '\n';
	return (size_t)k + len + 1;
}

static void test_direct_big(void)
{
	int fd = open(tpath("probe"), O_WRONLY | O_CREAT | O_DIRECT, 0600);
	int has_direct = fd >= 0;
	if (fd >= 0)
		close(fd);
	dir_entries(1);
	char log[8192], path[8192];
	snprintf(log, sizeof log, "%s", tpath("hash.log"));
	snprintf(path, sizeof path, "%s", tpath("big.csv"));
	setenv("ANGKA_HASH_LOG", log, 1);
	struct angka_error e = { 0 };
	struct angka_csv_writer *w;
	mu_check_int(angka_csv_writer_open(&w, path, ANGKA_CSV_WRITER_NOSYNC,
	                                   &e), ANGKA_OK);
	const uint64_t want = (uint64_t)600 << 20;
	uint64_t h = 14695981039346656037u, size = 0;
	size_t rows = 0;
	char row[400];
	while (size < want) {
		size_t n = big_row(rows, row);
		h = fnv_add(h, row, n);
		if (rows % 2) {
			char *r = angka_csv_writer_reserve(w, n);
			mu_check(r != NULL);
			if (!r)
				break;
			memcpy(r, row, n);
			angka_csv_writer_row_done(w, n);
		} else {
			angka_csv_writer_raw(w, row, 9);
			angka_csv_writer_field(w, row + 10, n - 11);
			angka_csv_writer_end_row(w);
		}
		size += n;
		rows++;
	}
	mu_check_int(angka_csv_writer_direct(w), has_direct);
	mu_check_int(angka_csv_writer_rows(w), rows);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	unsetenv("ANGKA_HASH_LOG");
	uint64_t got;
	uint64_t gh = file_fnv(path, &got);
	mu_check_int(got, size);
	mu_check(gh == h);
	check_hash_line(log, 1, path);
	dir_entries(1);
}

/* angka_csv_writer_page_cache(): a file past the direct threshold (64
 * MiB) stays buffered, whole and exact. Process-wide, so it runs last. */
static void test_page_cache(void)
{
	char path[8192];
	snprintf(path, sizeof path, "%s", tpath("cached.csv"));
	angka_csv_writer_page_cache();
	struct angka_error e = { 0 };
	struct angka_csv_writer *w;
	mu_check_int(angka_csv_writer_open(&w, path, ANGKA_CSV_WRITER_NOSYNC,
	                                   &e), ANGKA_OK);
	const uint64_t want = (uint64_t)80 << 20;
	uint64_t h = 14695981039346656037u, size = 0;
	char row[400];
	for (size_t i = 0; size < want; i++) {
		size_t n = big_row(i, row);
		h = fnv_add(h, row, n);
		char *r = angka_csv_writer_reserve(w, n);
		mu_check(r != NULL);
		if (!r)
			break;
		memcpy(r, row, n);
		angka_csv_writer_row_done(w, n);
		size += n;
	}
	mu_check_int(angka_csv_writer_direct(w), 0);
	mu_check_int(angka_csv_writer_commit(w, &e), ANGKA_OK);
	uint64_t len;
	uint64_t gh = file_fnv(path, &len);
	mu_check_int(len, size);
	mu_check(gh == h);
	unlink(path);
}

int main(void)
{
	make_tmpdir();
	mu_run(test_xlsx);
	mu_run(test_quoting);
	mu_run(test_formula);
	mu_run(test_numbers);
	mu_run(test_atomic);
	mu_run(test_modes);
	mu_run(test_gzip_and_huge);
	mu_run(test_write_errors);
	mu_run(test_direct);
	mu_run(test_direct_big);
	mu_run(test_tee_eof);
	mu_run(test_tee_fail);
	mu_run(test_hash_log);
	mu_run(test_device);
	mu_run(test_publish);
	mu_run(test_publish_domain);
	mu_run(test_excel_copy);
	mu_run(test_page_cache);   /* last: it turns direct writes off */
	dir_entries(1);
	rmdir(tmpdir);
	return mu_report("test_csv_writer");
}
