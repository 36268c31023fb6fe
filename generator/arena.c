/* arena.c — memory: the one out-of-memory exit, arenas, growable buffers, string views. */
#include "c360.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/memcheck.h>

/* Memory set aside at the start and given back when memory runs out, so that the exit
 * handlers have what they need to remove a half-built site. */
static void *reserve;

__attribute__((constructor)) static void reserve_memory(void)
{
	reserve = malloc(1 << 20);
}

static _Thread_local const char *reading;	/* memory_context's file */

void memory_context(const char *file)
{
	reading = file;
}

/* Taken by the thread that ends the process: the first to run out of memory, or main's at its
 * end (process_end). */
static atomic_flag ending = ATOMIC_FLAG_INIT;

void process_end(void)
{
	if (atomic_flag_test_and_set(&ending))	/* a thread ran out of memory: its exit(1) comes */
		for (;;)
			pause();
}

/* The one thread that runs out of memory first says so and ends the process (its atexit
 * handlers remove a half-built site); any other that runs out meanwhile, or after main began
 * to end it (a thread still at work then), waits for the end, and if the handlers themselves
 * run out, the process ends there. Two exits at once would end it with either's status: a
 * build that said it ran out of memory ended 0. */
_Noreturn void out_of_memory(size_t n)
{
	static _Thread_local bool exiting;
	if (exiting)
		_Exit(1);
	if (atomic_flag_test_and_set(&ending))
		for (;;)
			pause();
	exiting = true;
	free(reserve);
	reserve = NULL;
	char msg[4200], name[4096];
	size_t at = 0;	/* the file's name with a ? for what a terminal would act on (term_plain) */
	for (size_t i = 0, len, rn = reading ? strlen(reading) : 0; i < rn && at + 4 < sizeof name; i += len) {
		if (term_plain(reading + i, rn - i, &len))
			memcpy(name + at, reading + i, len), at += len;
		else
			name[at++] = '?';
	}
	name[at] = '\0';
	int len = reading ? snprintf(msg, sizeof msg, "%s: error: out of memory (asking for %zu bytes) while reading it\n",
				     name, n)
			  : snprintf(msg, sizeof msg, "c360: error: out of memory (asking for %zu bytes)\n", n);
	len = len < 0 ? 0 : len >= (int)sizeof msg ? (int)sizeof msg - 1 : len;
	if (write(STDERR_FILENO, msg, (size_t)len) < 0)
		_Exit(1);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *xgrow(void *p, size_t n, size_t size)
{
	return n & (n - 1) ? p : xrealloc(p, (n ? 2 * n : 1) * size);
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Big arrays live in their own mappings: they grow without copying (mremap) and ask for
 * huge pages, which cost one fault where 512 small pages cost one each (~14 us a fault on a
 * virtual machine). The kernel makes only whole 2 MiB that start at a multiple of 2 MiB huge,
 * so a mapping of 2 MiB or more starts at such an address (Linux 6.1 does not place it so
 * itself, 6.18 only if its length is a multiple): only its last part less than 2 MiB is in
 * small pages, where an array placed anywhere had them at both ends. Its length is what was
 * asked for, as munmap and big_free take it. */
enum { HUGE_PAGE = 2 << 20 };

/* The system's page size (4 KiB on x86-64; 16 or 64 KiB on some arm64 kernels, where an
 * address aligned to 4 KiB only is refused by munmap and madvise). Asked once, by whichever
 * thread comes first (atomic: the inputs' hashing threads asked at once, a race
 * ThreadSanitizer named; each writes the same value). */
static uintptr_t page_mask(void)
{
	static _Atomic uintptr_t mask;
	uintptr_t m = atomic_load_explicit(&mask, memory_order_relaxed);
	if (!m) {
		long n = sysconf(_SC_PAGESIZE);
		m = (uintptr_t)(n > 0 ? n : 4096) - 1;
		atomic_store_explicit(&mask, m, memory_order_relaxed);
	}
	return m;
}

static uintptr_t page_down(uintptr_t a)
{
	return a & ~page_mask();
}

static uintptr_t page_up(uintptr_t a)
{
	return page_down(a + page_mask());
}

static void *big_map(size_t n)
{
	if (n < HUGE_PAGE)
		return mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t len = page_up(n);
	char *p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return p;
	size_t head = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
	if (head)
		munmap(p, head);
	munmap(p + head + len, HUGE_PAGE - head);
	return p + head;
}

static void *big_advise(void *p, size_t n)
{
	if (p == MAP_FAILED)
		out_of_memory(n);
	madvise(p, n, MADV_HUGEPAGE);
	return p;
}

void *big_alloc(size_t n)
{
	return big_advise(big_map(n), n);
}

/* Grown or shrunk in place where it can be, else moved (its pages, not copied) to a place
 * big_map picks. */
void *big_realloc(void *p, size_t old, size_t n)
{
	if (!p)
		return big_alloc(n);
	old = old ? old : 1, n = n ? n : 1;
	void *q = mremap(p, old, n, 0);
	if (q == MAP_FAILED) {
		void *at = big_map(n);
		q = at == MAP_FAILED ? at : mremap(p, old, n, MREMAP_MAYMOVE | MREMAP_FIXED, at);
		if (q == MAP_FAILED && at != MAP_FAILED)
			munmap(at, n);
		/* memcheck (3.19) takes the pages a move onto a mapping adds for unaddressable (the
		 * kernel's zeros): said to it, or each write there is an invalid write. No code
		 * outside valgrind. */
		if (q != MAP_FAILED && n > old)
			VALGRIND_MAKE_MEM_DEFINED((char *)q + old, n - old);
	}
	return big_advise(q, n);
}

void big_release(void *p, size_t n)
{
	uintptr_t start = page_up((uintptr_t)p), end = page_down((uintptr_t)p + n);
	if (end > start)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

void big_free(void *p, size_t n)
{
	if (p)
		munmap(p, n ? n : 1);
}

/* Arena blocks grow with the arena so that a big build needs few of them. The arena hands out
 * the head block's free part, [next, end). */
struct ArenaBlock {
	ArenaBlock *next;
	size_t size;
	_Alignas(8) char data[];
};

#define ARENA_MIN_BLOCK (64 * 1024)
#define ARENA_MAX_BLOCK (64 * 1024 * 1024)

static void arena_use(Arena *a, ArenaBlock *b)
{
	a->next = b ? b->data : NULL;
	a->end = b ? b->data + b->size : NULL;
}

/* A block of 2 MiB or more is a big array (huge pages, at an address they fit); a smaller one
 * from malloc. */
static ArenaBlock *block_alloc(size_t size)
{
	return sizeof(ArenaBlock) + size >= HUGE_PAGE ? big_alloc(sizeof(ArenaBlock) + size) : xmalloc(sizeof(ArenaBlock) + size);
}

static void block_free(ArenaBlock *b)
{
	if (sizeof *b + b->size >= HUGE_PAGE)
		big_free(b, sizeof *b + b->size);
	else
		free(b);
}

void *arena_block(Arena *a, size_t n, size_t align)
{
	ArenaBlock *b = a->head;
	size_t size = b ? b->size * 2 : ARENA_MIN_BLOCK;
	if (size > ARENA_MAX_BLOCK)
		size = ARENA_MAX_BLOCK;
	if (size < n)
		size = n;
	ArenaBlock *nb = block_alloc(size);
	nb->next = b;
	nb->size = size;
	a->head = nb;
	arena_use(a, nb);
	return arena_bump(a, n, align);
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
	char *d = arena_bump(a, n + 1, 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

struct ArenaOwned {
	ArenaOwned *next;
	char *p;
};

char *arena_own(Arena *a, char *p)
{
	ArenaOwned *o = arena_alloc(a, sizeof *o);
	*o = (ArenaOwned){a->owned, p};
	a->owned = o;
	return p;
}

static void free_owned(Arena *a)
{
	for (ArenaOwned *o = a->owned; o; o = o->next)
		free(o->p);
	a->owned = NULL;
}

void arena_adopt(Arena *a, Arena *from)
{
	if (from->owned) {
		ArenaOwned *last = from->owned;
		while (last->next)
			last = last->next;
		last->next = a->owned;
		a->owned = from->owned;
		from->owned = NULL;
	}
	if (!from->head)
		return;
	ArenaBlock *tail = from->head;
	while (tail->next)
		tail = tail->next;
	if (a->head) {	/* behind a's current block, which goes on serving */
		tail->next = a->head->next;
		a->head->next = from->head;
	} else {
		a->head = from->head;
		a->next = from->next, a->end = from->end;
	}
	a->used += from->used;
	from->head = NULL;
	from->used = 0;
	arena_use(from, NULL);
}

void arena_reset(Arena *a)
{
	free_owned(a);
	if (!a->head)
		return;
	ArenaBlock *keep = a->head;
	for (ArenaBlock *b = keep->next, *next; b; b = next) {
		next = b->next;
		block_free(b);
	}
	keep->next = NULL;
	arena_use(a, keep);
	a->used = 0;
}

void arena_free(Arena *a)
{
	free_owned(a);
	for (ArenaBlock *b = a->head, *next; b; b = next) {
		next = b->next;
		block_free(b);
	}
	a->head = NULL;
	a->used = 0;
	arena_use(a, NULL);
}

/* The pages of [p, p + n), about to be read or written, made by one system call where each
 * would fault (~1.2 against ~13 us a page on session 28's virtual machine, where a fault costs
 * ~10x a system call). A kernel without MADV_POPULATE_* (before 5.14) refuses it, and the pages
 * fault as before. */
void prefault(const void *p, size_t n, bool write)
{
	uintptr_t start = page_down((uintptr_t)p), end = page_up((uintptr_t)p + n);
	if (n)
		madvise((void *)start, end - start, write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
}

/* Room for more bytes: those are written next (a file read into b, say), so their pages are
 * made at once when the room is new, from 64 KiB (below, the call costs what it spares). */
void buf_grow(Buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < more + 1) {
		if (cap > SIZE_MAX / 2)
			out_of_memory(SIZE_MAX);
		cap *= 2;
	}
	if (cap == b->cap)
		return;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
	if (more >= 65536)
		prefault(b->p + b->len, more, true);
}

void buf_printf(Buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	if (b->cap - b->len < (size_t)n + 1)
		buf_grow(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *buf_cstr(Buf *b)
{
	if (b->cap == b->len)
		buf_grow(b, 1);
	b->p[b->len] = '\0';
	return b->p;
}

void buf_free(Buf *b)
{
	free(b->p);
	*b = (Buf){0};
}

void buf_int(Buf *b, int64_t v)
{
	static const char pairs[] = "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
				    "5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";	/* 00 to 99 */
	static const uint64_t ten[20] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
					 10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
					 1000000000000000, 10000000000000000, 100000000000000000,
					 1000000000000000000, 10000000000000000000u};
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	int log = (64 - __builtin_clzll(u | 1)) * 1233 >> 12;	/* its length first (log10 from log2, then exact) */
	size_t n = (size_t)(log + ((u | 1) >= ten[log]) + (v < 0));
	if (b->cap - b->len < n)
		buf_grow(b, n);
	char *p = b->p + b->len + n;
	for (; u >= 100; u /= 100)	/* two digits a division */
		p -= 2, p[0] = pairs[u % 100 * 2], p[1] = pairs[u % 100 * 2 + 1];
	if (u >= 10)
		p -= 2, p[0] = pairs[u * 2], p[1] = pairs[u * 2 + 1];
	else
		*--p = (char)('0' + u);
	if (v < 0)
		*--p = '-';
	b->len += n;
}

bool str_eq(Str a, const char *lit)
{
	size_t n = strlen(lit);
	return a.n == n && memcmp(a.p, lit, n) == 0;
}
