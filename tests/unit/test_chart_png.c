/*
 * test_chart_png.c - a small PNG reader for the chart tests (zlib only).
 *
 *   test_chart_png                 self-test: encode a PNG, decode it
 *   test_chart_png FILE W H MIN    check FILE: a PNG of W x H pixels with at
 *                                  least MIN pixels that differ from the
 *                                  background (the top-left pixel)
 *
 * Supports what cairo writes: 8-bit RGB / RGBA / grey, not interlaced.
 */
#include "minunit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

struct png_info {
	unsigned w, h;
	unsigned long nonbg;    /* pixels unlike the top-left one */
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Decode buf[0..n) into *pi. Returns 0 or -1 with why set. */
static int png_scan(const unsigned char *buf, size_t n, struct png_info *pi,
                    const char **why)
{
	static const unsigned char sig[8] = { 137, 'P', 'N', 'G', 13, 10, 26, 10 };
	if (n < 33 || memcmp(buf, sig, 8) != 0 || memcmp(buf + 12, "IHDR", 4) != 0)
		return *why = "not a PNG", -1;
	pi->w = be32(buf + 16);
	pi->h = be32(buf + 20);
	int depth = buf[24], ctype = buf[25], inter = buf[28];
	int ch = ctype == 2 ? 3 : ctype == 6 ? 4 : ctype == 0 ? 1 : ctype == 4 ? 2 : 0;
	if (depth != 8 || !ch || inter)
		return *why = "unsupported PNG format", -1;
	if (pi->w == 0 || pi->h == 0 || pi->w > 20000 || pi->h > 20000)
		return *why = "bad size", -1;
	size_t stride = (size_t)pi->w * ch, rawlen = (stride + 1) * pi->h;
	unsigned char *idat = NULL, *raw = malloc(rawlen);
	size_t ilen = 0;
	for (size_t p = 8; p + 12 <= n;) {
		uint32_t len = be32(buf + p);
		if (p + 12 + len > n)
			break;
		if (memcmp(buf + p + 4, "IDAT", 4) == 0) {
			idat = realloc(idat, ilen + len);
			memcpy(idat + ilen, buf + p + 8, len);
			ilen += len;
		}
		p += 12 + len;
	}
	uLongf out = (uLongf)rawlen;
	int rc = raw && idat ? uncompress(raw, &out, idat, (uLong)ilen) : Z_DATA_ERROR;
	free(idat);
	if (rc != Z_OK || out != rawlen) {
		free(raw);
		return *why = "bad image data", -1;
	}
	/* Unfilter in place. */
	for (unsigned y = 0; y < pi->h; y++) {
		unsigned char *row = raw + y * (stride + 1), *cur = row + 1;
		unsigned char *prev = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;
		for (size_t x = 0; x < stride; x++) {
			int a = x >= (size_t)ch ? cur[x - ch] : 0, b = prev ? prev[x] : 0;
			int c = prev && x >= (size_t)ch ? prev[x - ch] : 0;
			switch (row[0]) {
			case 1: cur[x] = (unsigned char)(cur[x] + a); break;
			case 2: cur[x] = (unsigned char)(cur[x] + b); break;
			case 3: cur[x] = (unsigned char)(cur[x] + (a + b) / 2); break;
			case 4: cur[x] = (unsigned char)(cur[x] + paeth(a, b, c)); break;
			default: break;
			}
		}
	}
	pi->nonbg = 0;
	const unsigned char *bg = raw + 1;
	for (unsigned y = 0; y < pi->h; y++) {
		const unsigned char *cur = raw + y * (stride + 1) + 1;
		for (unsigned x = 0; x < pi->w; x++)
			if (memcmp(cur + (size_t)x * ch, bg, (size_t)ch) != 0)
				pi->nonbg++;
	}
	free(raw);
	return 0;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Encode a 5x4 RGB image, white with 3 dark pixels, rows with filters 0-3. */
static void test_roundtrip(void)
{
	enum { W = 5, H = 4 };
	unsigned char raw[H * (W * 3 + 1)];
	memset(raw, 255, sizeof raw);
	for (int y = 0; y < H; y++)
		raw[y * (W * 3 + 1)] = 0;
	unsigned char *px = raw + 1 * (W * 3 + 1) + 1 + 2 * 3;
	px[0] = px[1] = px[2] = 20;
	px = raw + 3 * (W * 3 + 1) + 1;
	px[0] = 10;
	px[3] = 30;
	/* Row 2 with the "up" filter: all zero differences to row 1 except
	 * the pixel that row 1 has dark. */
	unsigned char *r2 = raw + 2 * (W * 3 + 1);
	r2[0] = 2;
	for (int x = 0; x < W * 3; x++)
		r2[1 + x] = 0;
	r2[1 + 6] = r2[1 + 7] = r2[1 + 8] = (unsigned char)(255 - 20);
	unsigned char z[512];
	uLongf zl = sizeof z;
	mu_check_int(compress(z, &zl, raw, sizeof raw), Z_OK);
	unsigned char png[1024];
	static const unsigned char sig[8] = { 137, 'P', 'N', 'G', 13, 10, 26, 10 };
	size_t n = 0;
	memcpy(png, sig, 8);
	n = 8;
	put32(png + n, 13);
	memcpy(png + n + 4, "IHDR", 4);
	put32(png + n + 8, W);
	put32(png + n + 12, H);
	png[n + 16] = 8;
	png[n + 17] = 2;
	png[n + 18] = png[n + 19] = png[n + 20] = 0;
	n += 12 + 13;
	put32(png + n, (uint32_t)zl);
	memcpy(png + n + 4, "IDAT", 4);
	memcpy(png + n + 8, z, zl);
	n += 12 + zl;
	put32(png + n, 0);
	memcpy(png + n + 4, "IEND", 4);
	n += 12;
	struct png_info pi;
	const char *why = NULL;
	mu_check_int(png_scan(png, n, &pi, &why), 0);
	mu_check_int(pi.w, W);
	mu_check_int(pi.h, H);
	/* Row 1 pixel 2 and row 3 pixels 0 and 1; row 2 ("up" filter)
	 * decodes to white everywhere (20 + 235 = 255). */
	mu_check_int(pi.nonbg, 3);
	mu_check_int(png_scan(png, 20, &pi, &why), -1);
}

static int check_file(const char *path, unsigned w, unsigned h,
                      unsigned long min)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		return 1;
	}
	size_t cap = 1 << 20, n = 0;
	unsigned char *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	struct png_info pi;
	const char *why = "out of memory";
	int rc = buf ? png_scan(buf, n, &pi, &why) : -1;
	free(buf);
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", path, why);
		return 1;
	}
	printf("%s: %u x %u, %lu non-background pixels\n", path, pi.w, pi.h,
	       pi.nonbg);
	if (pi.w != w || pi.h != h) {
		fprintf(stderr, "%s: size %u x %u, expected %u x %u\n", path, pi.w,
		        pi.h, w, h);
		return 1;
	}
	if (pi.nonbg < min) {
		fprintf(stderr, "%s: blank (%lu drawn pixels, expected >= %lu)\n",
		        path, pi.nonbg, min);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5)
		return check_file(argv[1], (unsigned)strtoul(argv[2], NULL, 10),
		                  (unsigned)strtoul(argv[3], NULL, 10),
		                  strtoul(argv[4], NULL, 10));
	mu_run(test_roundtrip);
	return mu_report("test_chart_png");
}
