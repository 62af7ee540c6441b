/*
 * xsum.c - exact, order-independent summation of doubles (struct ind_xsum):
 * a 256-bit two's complement fixed-point integer with its least significant
 * bit at 2^-128. Integer addition is associative, so partial sums of any
 * partition of the data merge into exactly the single-pass sum; the final
 * value is the exact sum rounded once.
 */
#include "indicators.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define XSUM_LSB_EXP (-128)   /* weight of bit 0 */
#define XSUM_MAX_EXP 100      /* refuse |x| >= 2^100 */

/* s += v << shift (v nonnegative, shift in [0, 256 - 64]) */
static void add_shifted(struct ind_xsum *s, uint64_t v, int shift, int neg)
{
	uint64_t part[4] = { 0, 0, 0, 0 };
	int li = shift / 64, sh = shift % 64;
	part[li] = v << sh;
	if (sh && li + 1 < 4)
		part[li + 1] = v >> (64 - sh);
	if (neg) {
		/* two's complement of part */
		int carry = 1;
		for (int i = 0; i < 4; i++) {
			uint64_t x = ~part[i];
			part[i] = x + (uint64_t)carry;
			carry = carry && part[i] == 0;
		}
	}
	uint64_t carry = 0;
	for (int i = 0; i < 4; i++) {
		uint64_t a = s->limb[i];
		uint64_t r = a + part[i];
		uint64_t c1 = r < a;
		uint64_t r2 = r + carry;
		uint64_t c2 = r2 < r;
		s->limb[i] = r2;
		carry = c1 | c2;
	}
}

int ind_xsum_add(struct ind_xsum *s, double x)
{
	if (x == 0)
		return 0;
	if (!isfinite(x))
		return -1;
	int neg = x < 0;
	double ax = fabs(x);
	int ex;
	double fr = frexp(ax, &ex);          /* ax = fr * 2^ex, fr in [0.5, 1) */
	if (ex > XSUM_MAX_EXP)
		return -1;
	/* m = fr * 2^53 is an exact integer; ax = m * 2^(ex - 53). */
	uint64_t m = (uint64_t)ldexp(fr, 53);
	int shift = ex - 53 - XSUM_LSB_EXP;
	if (shift < 0) {
		/* Below the grid: round to nearest, ties away from zero. */
		if (shift <= -54)
			return 0;
		int r = -shift;
		uint64_t half = (uint64_t)1 << (r - 1);
		m = (m + half) >> r;
		if (m == 0)
			return 0;
		shift = 0;
	}
	add_shifted(s, m, shift, neg);
	return 0;
}

void ind_xsum_merge(struct ind_xsum *s, const struct ind_xsum *t)
{
	uint64_t carry = 0;
	for (int i = 0; i < 4; i++) {
		uint64_t a = s->limb[i];
		uint64_t r = a + t->limb[i];
		uint64_t c1 = r < a;
		uint64_t r2 = r + carry;
		uint64_t c2 = r2 < r;
		s->limb[i] = r2;
		carry = c1 | c2;
	}
}

double ind_xsum_value(const struct ind_xsum *s)
{
	uint64_t v[4];
	memcpy(v, s->limb, sizeof v);
	int neg = (v[3] >> 63) != 0;
	if (neg) {
		int carry = 1;
		for (int i = 0; i < 4; i++) {
			v[i] = ~v[i] + (uint64_t)carry;
			carry = carry && v[i] == 0;
		}
	}
	int top = -1;
	for (int i = 3; i >= 0; i--)
		if (v[i]) {
			top = i * 64 + 63 - __builtin_clzll(v[i]);
			break;
		}
	if (top < 0)
		return 0.0;
	/* Take the 64 bits [top-63, top], OR the rest into a sticky bit. */
	int lo = top - 63;
	uint64_t t = 0;
	int sticky = 0;
	if (lo <= 0) {
		/* the whole value fits in limb 0 */
		t = v[0];
		lo = 0;
	} else {
		int li = lo / 64, sh = lo % 64;
		t = v[li] >> sh;
		if (sh && li + 1 < 4)
			t |= v[li + 1] << (64 - sh);
		for (int i = 0; i < li; i++)
			if (v[i])
				sticky = 1;
		if (sh && (v[li] & (((uint64_t)1 << sh) - 1)))
			sticky = 1;
	}
	if (sticky)
		t |= 1;   /* below the rounding bit of a 53-bit mantissa */
	double r = ldexp((double)t, lo + XSUM_LSB_EXP);
	return neg ? -r : r;
}

void ind_xsum_format(const struct ind_xsum *s, char buf[65])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 4; i++) {
		uint64_t x = s->limb[3 - i];
		for (int k = 0; k < 16; k++)
			buf[i * 16 + k] = hex[(x >> (60 - 4 * k)) & 15];
	}
	buf[64] = '\0';
}

int ind_xsum_parse(struct ind_xsum *s, const char *text, size_t len)
{
	if (len != 64)
		return -1;
	for (int i = 0; i < 4; i++) {
		uint64_t x = 0;
		for (int k = 0; k < 16; k++) {
			char c = text[i * 16 + k];
			int d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else
				return -1;
			x = x << 4 | (uint64_t)d;
		}
		s->limb[3 - i] = x;
	}
	return 0;
}
