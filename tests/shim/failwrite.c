/*
 * failwrite.c - LD_PRELOAD fault injection: write(2) fails with ENOSPC on any
 * file descriptor whose path contains $ANGKA_FAILWRITE (a substring), as on
 * a full disk. Used by tests/check-driver.sh to prove that a failed write
 * gives a clear error and leaves the published run intact.
 * With ANGKA_FAILSYMLINK set, symlink(2) and symlinkat(2) fail with EIO (the driver's
 * publication: tests/check-hardening.sh).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ssize_t (*real_write)(int, const void *, size_t);

static int should_fail(int fd)
{
	const char *pat = getenv("ANGKA_FAILWRITE");
	if (!pat || !*pat || fd <= 2)
		return 0;
	char link[64], target[4096];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof target - 1);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	return strstr(target, pat) != NULL;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	if (!real_write)
		real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (should_fail(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real_write(fd, buf, count);
}

static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);

ssize_t pwrite(int fd, const void *buf, size_t count, off_t off)
{
	if (!real_pwrite)
		real_pwrite = (ssize_t (*)(int, const void *, size_t, off_t))
		              dlsym(RTLD_NEXT, "pwrite");
	if (should_fail(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real_pwrite(fd, buf, count, off);
}

static int (*real_symlinkat)(const char *, int, const char *);

int symlinkat(const char *target, int dirfd, const char *path)
{
	if (!real_symlinkat)
		real_symlinkat = (int (*)(const char *, int, const char *))
		                 dlsym(RTLD_NEXT, "symlinkat");
	if (getenv("ANGKA_FAILSYMLINK")) {
		errno = EIO;
		return -1;
	}
	return real_symlinkat(target, dirfd, path);
}

static int (*real_symlink)(const char *, const char *);

int symlink(const char *target, const char *path)
{
	if (!real_symlink)
		real_symlink = (int (*)(const char *, const char *))
		               dlsym(RTLD_NEXT, "symlink");
	if (getenv("ANGKA_FAILSYMLINK")) {
		errno = EIO;
		return -1;
	}
	return real_symlink(target, path);
}
