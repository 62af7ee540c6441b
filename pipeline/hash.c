/*
 * hash.c - what decides whether a step reruns: the hash of everything that
 * determines its result (program version and executable, its command line,
 * the bytes of its inputs, the config sections it reads), and the sha256 of
 * a file for the manifest.
 */
#include "driver_int.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Hashing.                                                            */

void hex(const uint8_t *d, size_t n, char *out)
{
	static const char h[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[d[i] >> 4];
		out[2 * i + 1] = h[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* sha256 of a file's bytes into out (65 chars); -1 with errno on failure. */
int sha256_file(const char *path, char *out, long long *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	static char buf[1 << 16];
	long long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		sha256_update(&ctx, (size_t)n, (const uint8_t *)buf);
		total += n;
	}
	close(fd);
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof d, d);
	hex(d, sizeof d, out);
	if (size)
		*size = total;
	return 0;
}

/* Config text of one section, comments and blank lines dropped. */
static void section_text(const char *config, const char *section,
                         struct sha256_ctx *ctx)
{
	FILE *f = fopen(config, "r");
	if (!f)
		return;
	char line[4096];
	int in = 0;
	while (fgets(line, sizeof line, f)) {
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == ';' || *s == '#' || *s == '\n' || *s == '\r' || !*s)
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			in = end && (size_t)(end - s - 1) == strlen(section) &&
			     strncmp(s + 1, section, strlen(section)) == 0;
			continue;
		}
		if (in)
			sha256_update(&ctx[0], strlen(s), (const uint8_t *)s);
	}
	fclose(f);
}

/*
 * Hash a step given where its inputs are now. Run-relative inputs are looked
 * up under rundir. Returns -1 (errno) if an input cannot be read.
 */
int step_hash(struct step *st, const char *config, const char *rundir,
              char *missing, size_t cap)
{
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	const char *v = ANGKA_VERSION;
	sha256_update(&ctx, strlen(v) + 1, (const uint8_t *)v);
	sha256_update(&ctx, strlen(st->name) + 1, (const uint8_t *)st->name);
	for (size_t c = 0; c < st->ncmd; c++) {
		/* The program itself: a rebuilt stage reruns even when the
		 * version string did not change. */
		static char exe_path[8][PATH_MAX], exe_hash[8][65];
		static int nexe;
		const char *exe = st->argv[c].v[0];
		int k = 0;
		while (k < nexe && strcmp(exe_path[k], exe) != 0)
			k++;
		if (k == nexe && nexe < 8) {
			snprintf(exe_path[k], PATH_MAX, "%s", exe);
			if (sha256_file(exe, exe_hash[k], NULL) != 0)
				snprintf(exe_hash[k], 65, "%s", "missing");
			nexe++;
		}
		if (k < nexe)
			sha256_update(&ctx, strlen(exe_hash[k]) + 1,
			              (const uint8_t *)exe_hash[k]);
		for (size_t i = 1; i < st->argv[c].n; i++)
			sha256_update(&ctx, strlen(st->argv[c].v[i]) + 1,
			              (const uint8_t *)st->argv[c].v[i]);
	}
	for (size_t i = 0; i < st->inputs.n; i++) {
		const char *in = st->inputs.v[i];
		char path[PATH_MAX];
		if (in[0] == '/')
			snprintf(path, sizeof path, "%s", in);
		else
			snprintf(path, sizeof path, "%s/%s", rundir, in);
		char h[65];
		if (sha256_file(path, h, NULL) != 0) {
			snprintf(missing, cap, "%s", in);
			return -1;
		}
		sha256_update(&ctx, strlen(in) + 1, (const uint8_t *)in);
		sha256_update(&ctx, 64, (const uint8_t *)h);
	}
	for (size_t i = 0; i < st->sections.n; i++)
		section_text(config, st->sections.v[i], &ctx);
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof d, d);
	hex(d, sizeof d, st->hash);
	return 0;
}
