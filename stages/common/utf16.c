/*
 * utf16.c - UTF-16 text (Excel's "Unicode Text" export, Windows tools) to
 * UTF-8 through iconv, for input.c: sniffed from a BOM or from NUL bytes
 * in every other position, converted chunk by chunk into the input ring.
 */
#include "input_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

enum angka_input_kind angka_utf16_sniff(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE &&
	    !(n >= 4 && p[2] == 0 && p[3] == 0))
		return ANGKA_IN_UTF16LE;
	if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return ANGKA_IN_UTF16BE;
	/* No BOM: ASCII text in UTF-16 has a NUL in every other byte. */
	size_t pairs = n / 2 < 512 ? n / 2 : 512, le = 0, be = 0;
	for (size_t i = 0; i < pairs; i++) {
		unsigned char a = p[2 * i], b = p[2 * i + 1];
		le += a != 0 && b == 0;
		be += a == 0 && b != 0;
	}
	if (pairs >= 4 && le * 10 >= pairs * 9)
		return ANGKA_IN_UTF16LE;
	if (pairs >= 4 && be * 10 >= pairs * 9)
		return ANGKA_IN_UTF16BE;
	return ANGKA_IN_TEXT;
}

enum { WORK = (1 << 19) + 8, OUT = 1 << 16 };

struct angka_utf16 {
	iconv_t cd;
	char carry[4];
	size_t ncarry;
	char *work;
	char out[OUT];
};

struct angka_utf16 *angka_utf16_open(enum angka_input_kind k)
{
	struct angka_utf16 *u = calloc(1, sizeof *u);
	if (!u)
		return NULL;
	u->cd = iconv_open("UTF-8", k == ANGKA_IN_UTF16BE ? "UTF-16BE"
	                                                  : "UTF-16LE");
	u->work = malloc(WORK);
	if (u->cd == (iconv_t)-1 || !u->work) {
		if (u->cd != (iconv_t)-1)
			iconv_close(u->cd);
		free(u->work);
		free(u);
		return NULL;
	}
	return u;
}

static const char replacement[3] = { (char)0xEF, (char)0xBF, (char)0xBD };

int angka_utf16_put(struct angka_utf16 *u, struct angka_input *in,
                    const char *p, size_t n, int last)
{
	while (n > 0 || u->ncarry > 0 || last) {
		/* The carried bytes, then as much of p as fits. */
		size_t take = n < WORK - u->ncarry ? n : WORK - u->ncarry;
		memcpy(u->work, u->carry, u->ncarry);
		memcpy(u->work + u->ncarry, p, take);
		size_t left = u->ncarry + take;
		p += take;
		n -= take;
		u->ncarry = 0;
		char *src = u->work;
		while (left > 0) {
			char *dst = u->out;
			size_t room = OUT;
			size_t r = iconv(u->cd, &src, &left, &dst, &room);
			int err = r == (size_t)-1 ? errno : 0;
			if (angka_input_put(in, u->out, OUT - room))
				return -1;
			if (!err || err == E2BIG)
				continue;
			if (err == EINVAL && left < 4 && (n > 0 || !last)) {
				/* An incomplete unit: wait for its rest. */
				memcpy(u->carry, src, left);
				u->ncarry = left;
				break;
			}
			/* Not UTF-16 (a lone surrogate, or a last odd byte). */
			if (angka_input_put(in, replacement, sizeof replacement))
				return -1;
			size_t skip = left < 2 ? left : 2;
			src += skip;
			left -= skip;
			iconv(u->cd, NULL, NULL, NULL, NULL);
		}
		if (n == 0 && (last ? u->ncarry == 0 : 1))
			break;
	}
	return 0;
}

void angka_utf16_close(struct angka_utf16 *u)
{
	if (!u)
		return;
	iconv_close(u->cd);
	free(u->work);
	free(u);
}
