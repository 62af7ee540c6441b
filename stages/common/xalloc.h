/*
 * xalloc.h - allocation that cannot fail. On failure it prints the size
 * and exits 1 (it does not abort: no core, atexit handlers run); so only
 * executables and code whose header says it exits on out-of-memory may use
 * it. Library parsers use plain malloc and return ANGKA_ENOMEM.
 */
#ifndef ANGKA_XALLOC_H
#define ANGKA_XALLOC_H

#include <stddef.h>

void *angka_xmalloc(size_t n);
void *angka_xcalloc(size_t n, size_t size);
void *angka_xrealloc(void *p, size_t n);
char *angka_xstrdup(const char *s);

#endif
