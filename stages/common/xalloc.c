/*
 * xalloc.c - allocation that exits on failure (executables only).
 */
#include "xalloc.h"
#include "diag.h"

#include <stdlib.h>
#include <string.h>

void *angka_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		angka_die(1, "out of memory allocating %zu bytes", n);
	return p;
}

void *angka_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		angka_die(1, "out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

void *angka_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		angka_die(1, "out of memory allocating %zu bytes", n);
	return q;
}

char *angka_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = angka_xmalloc(n);
	memcpy(p, s, n);
	return p;
}
