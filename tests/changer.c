/* changer.c — an LD_PRELOAD shim for tests/hostile.sh: the first read() that returns bytes of
 * the file CHANGER_FILE (its absolute path with no symbolic link), or the first mmap() of it,
 * then changes a file, once, so that the change falls exactly between c360's stat before and
 * after its read (or after its mapping):
 *   CHANGER_FROM and CHANGER_TO not empty: renames the one over the other (a file or a link
 *   replaced: the path names another inode);
 *   else: sets CHANGER_FILE's modification time back to 2000-01-01 (same size, same inode).
 * Build: cc -shared -fPIC -o changer.so tests/changer.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static atomic_flag done = ATOMIC_FLAG_INIT;

/* True if fd is open on the file at path (as /proc names it: absolute, links resolved). */
static int names(int fd, const char *path)
{
	char link[64], at[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, at, sizeof at - 1);
	return n > 0 && (size_t)n == strlen(path) && memcmp(at, path, (size_t)n) == 0;
}

static void change(const char *path)
{
	const char *from = getenv("CHANGER_FROM"), *to = getenv("CHANGER_TO");
	struct timespec t[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = 946684800}};
	if (from && *from && to ? rename(from, to) != 0 : utimensat(AT_FDCWD, path, t, 0) != 0) {
		perror("changer");
		_exit(97);
	}
}

ssize_t read(int fd, void *p, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);
	if (!real)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	ssize_t r = real(fd, p, n);
	const char *path = getenv("CHANGER_FILE");
	if (r > 0 && path && names(fd, path) && !atomic_flag_test_and_set(&done))
		change(path);
	return r;
}

void *mmap(void *at, size_t n, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);
	if (!real)
		real = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
	void *p = real(at, n, prot, flags, fd, off);
	const char *path = getenv("CHANGER_FILE");
	if (p != MAP_FAILED && fd >= 0 && path && names(fd, path) && !atomic_flag_test_and_set(&done))
		change(path);
	return p;
}
