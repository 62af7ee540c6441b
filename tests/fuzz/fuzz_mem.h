/*
 * fuzz_mem.h - input for the fuzz targets without temporary files or
 * processes: the bytes go into an anonymous memory file (memfd_create, one
 * per slot, reused run after run) that the library opens as
 * "/proc/self/fd/N", a small regular file (input.c then reads it in the
 * caller's thread, no producer thread).
 */
#ifndef FUZZ_MEM_H
#define FUZZ_MEM_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Slot k (0..7) holding data[0..len); returns its path (static). */
static inline const char *fuzz_mem_path(int k, const void *data, size_t len)
{
	static int fd[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	static char path[8][40];
	if (fd[k] < 0) {
		fd[k] = (int)syscall(SYS_memfd_create, "angka-fuzz", 0);
		if (fd[k] < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(path[k], sizeof path[k], "/proc/self/fd/%d", fd[k]);
	}
	if (ftruncate(fd[k], 0) != 0 ||
	    (len && pwrite(fd[k], data, len, 0) != (ssize_t)len)) {
		perror("memfd write");
		abort();
	}
	return path[k];
}

/* Stage outputs to stdout go nowhere (libFuzzer reports on stderr). */
static inline void fuzz_mem_quiet_stdout(void)
{
	static int done;
	if (!done && !freopen("/dev/null", "w", stdout))
		abort();
	done = 1;
}

#endif
