/* lazy_pages.c — memory whose pages are made on their first touch: a table of rows that a
 * build mostly does not read (a rebuild's unchanged sessions) costs only the pages it reads.
 *
 * The memory is a shared mapping of a memfd, no access at first, and a second mapping of the
 * same pages that can be written. A touch of a page not made yet faults; the handler of SIGSEGV
 * makes the page through the second mapping (the maker's function), then lets the first one
 * read and write it, and the touch is done again. Another thread touching the page meanwhile
 * waits for it: it faults until the page may be read, and the page is whole by then. After
 * LAZY_LIMIT pages made one by one, the rest are made at once (every mapping's change of
 * access splits its area: their count is bounded). A touch by the kernel (a system call's
 * argument) does not fault: such memory must not be given to one.
 *
 * A page is made into a page of scratch and written to the memfd, then mapped where it was
 * touched before the touch is done again (MADV_POPULATE_WRITE): two system calls where the write
 * through the second mapping and the touch done again each faulted. On a virtual machine a fault
 * costs ~10x a system call (session 28's: ~13 us against ~1 us). Where either call fails (a
 * kernel before 5.14 has no MADV_POPULATE_WRITE), the fault does the work as before. */
#include "c360.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

enum { LAZY_SLOTS = 4, LAZY_LIMIT = 16384 };

struct LazyPages {
	char *base, *alias;	/* the memory; the same pages, writable */
	char *scratch;		/* a page is made here, then written to fd */
	size_t bytes, len, pages, limit;
	int fd;
	LazyMake *make;
	void *ctx;
	uint8_t *made;		/* per page: made */
	size_t nmade;
	bool all;		/* every page made, the whole memory readable */
	atomic_flag lock;
};

static _Atomic(LazyPages *) slot[LAZY_SLOTS];
static struct sigaction segv_before;
static size_t page;

static void make_page(LazyPages *l, size_t p)
{
	size_t at = p * page, n = l->bytes - at < page ? l->bytes - at : page, done = 0;
	l->make(l->ctx, l->scratch, at, n);
	while (done < n) {
		ssize_t w = pwrite(l->fd, l->scratch + done, n - done, (off_t)(at + done));
		if (w > 0)
			done += (size_t)w;
		else if (w == 0 || errno != EINTR)
			break;
	}
	memcpy(l->alias + at + done, l->scratch + done, n - done);	/* what could not be written */
	l->made[p] = 1;
	l->nmade++;
}

static bool make_all(LazyPages *l)
{
	for (size_t p = 0; p < l->pages; p++)
		if (!l->made[p])
			make_page(l, p);
	l->all = mprotect(l->base, l->len, PROT_READ | PROT_WRITE) == 0;
	if (l->all)
		madvise(l->base, l->len, MADV_POPULATE_WRITE);
	return l->all;
}

/* Page p made and readable (false: it could not be). Async-signal-safe. */
static bool touch(LazyPages *l, size_t p)
{
	while (atomic_flag_test_and_set_explicit(&l->lock, memory_order_acquire))
		sched_yield();
	bool ok = true;
	if (!l->all && !l->made[p]) {
		if (l->nmade >= l->limit) {
			ok = make_all(l);
		} else {
			make_page(l, p);
			ok = mprotect(l->base + p * page, page, PROT_READ | PROT_WRITE) == 0;
			if (ok)
				madvise(l->base + p * page, page, MADV_POPULATE_WRITE);
			else
				ok = make_all(l);
		}
	}
	atomic_flag_clear_explicit(&l->lock, memory_order_release);
	return ok;
}

static void on_segv(int sig, siginfo_t *info, void *context)
{
	(void)context;
	int was = errno;	/* the code the touch interrupted may be reading it */
	uintptr_t at = (uintptr_t)info->si_addr;
	for (int i = 0; i < LAZY_SLOTS; i++) {
		LazyPages *l = atomic_load(&slot[i]);
		if (!l || at < (uintptr_t)l->base || at - (uintptr_t)l->base >= l->len)
			continue;
		if (touch(l, (at - (uintptr_t)l->base) / page)) {
			errno = was;
			return;
		}
		break;
	}
	sigaction(sig, &segv_before, NULL);	/* no page of ours: it faults again, as it would have */
	errno = was;
}

/* The handler in place (again, if another took SIGSEGV since: a test harness's). */
static bool catch_segv(void)
{
	struct sigaction now, sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_RESTART};
	if (sigaction(SIGSEGV, NULL, &now) == 0 && (now.sa_flags & SA_SIGINFO) && now.sa_sigaction == on_segv)
		return true;
	sigemptyset(&sa.sa_mask);
	page = (size_t)sysconf(_SC_PAGESIZE);
	return sigaction(SIGSEGV, &sa, &segv_before) == 0;
}

/* Not under valgrind: memcheck takes the first touch of a page for an invalid read (and its
 * emulation of the fault did not always make it again: a page read as zeros). */
LazyPages *lazy_pages_new(size_t bytes, LazyMake *make, void *ctx)
{
	if (!bytes || RUNNING_ON_VALGRIND || !catch_segv() || !page)
		return NULL;
	int k = 0;
	LazyPages *none = NULL, *l = xcalloc(1, sizeof *l);
	l->len = (bytes + page - 1) / page * page;
	l->fd = memfd_create("c360-rows", MFD_CLOEXEC);
	bool ok = l->fd >= 0 && ftruncate(l->fd, (off_t)l->len) == 0;
	l->base = ok ? mmap(NULL, l->len, PROT_NONE, MAP_SHARED, l->fd, 0) : MAP_FAILED;
	l->alias = l->base != MAP_FAILED ? mmap(NULL, l->len, PROT_READ | PROT_WRITE, MAP_SHARED, l->fd, 0) : MAP_FAILED;
	while (l->alias != MAP_FAILED && k < LAZY_SLOTS && !atomic_compare_exchange_strong(&slot[k], &none, l))
		k++, none = NULL;
	if (l->alias == MAP_FAILED || k == LAZY_SLOTS) {
		if (l->alias != MAP_FAILED)
			munmap(l->alias, l->len);
		if (l->base != MAP_FAILED)
			munmap(l->base, l->len);
		if (l->fd >= 0)
			close(l->fd);
		free(l);
		return NULL;
	}
	l->bytes = bytes;
	l->pages = l->len / page;
	l->limit = l->pages / 8 > LAZY_LIMIT ? LAZY_LIMIT : l->pages / 8 < 16 ? 16 : l->pages / 8;
	l->made = xcalloc(l->pages, 1);
	l->scratch = xmalloc(page);
	l->make = make;
	l->ctx = ctx;
	return l;
}

char *lazy_pages_base(const LazyPages *l)
{
	return l->base;
}

bool lazy_pages_made(const LazyPages *l, size_t at)
{
	return l->all || l->made[at / page];
}

size_t lazy_pages_count(const LazyPages *l, size_t *total)
{
	*total = l->pages;
	return l->nmade;
}

void lazy_pages_free(LazyPages *l)
{
	if (!l)
		return;
	for (int k = 0; k < LAZY_SLOTS; k++) {
		LazyPages *self = l;
		atomic_compare_exchange_strong(&slot[k], &self, NULL);
	}
	munmap(l->alias, l->len);
	munmap(l->base, l->len);
	close(l->fd);
	free(l->made);
	free(l->scratch);
	free(l);
}
