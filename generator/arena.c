/* arena.c — memory: the one out-of-memory exit, arenas, growable buffers, string views. */
#include "c360.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

static void out_of_memory(size_t n)
{
	fprintf(stderr, "c360: error: out of memory (asking for %zu bytes)\n", n);
	exit(1);	/* atexit handlers remove a half-built site */
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
 * huge pages, which halves the cost of faulting fresh memory in. */
static void *big_advise(void *p, size_t n)
{
	if (p == MAP_FAILED)
		out_of_memory(n);
	madvise(p, n, MADV_HUGEPAGE);
	return p;
}

void *big_alloc(size_t n)
{
	return big_advise(mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), n);
}

void *big_realloc(void *p, size_t old, size_t n)
{
	if (!p)
		return big_alloc(n);
	return big_advise(mremap(p, old ? old : 1, n, MREMAP_MAYMOVE), n);
}

void big_release(void *p, size_t n)
{
	uintptr_t start = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, end = ((uintptr_t)p + n) & ~(uintptr_t)4095;
	if (end > start)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

void big_free(void *p, size_t n)
{
	if (p)
		munmap(p, n ? n : 1);
}

/* Arena blocks grow with the arena so that a big build needs few of them. */
struct ArenaBlock {
	ArenaBlock *next;
	size_t size, used;
	_Alignas(8) char data[];
};

#define ARENA_MIN_BLOCK (64 * 1024)
#define ARENA_MAX_BLOCK (64 * 1024 * 1024)

static void *arena_bump(Arena *a, size_t n, size_t align)
{
	ArenaBlock *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || at + n > b->size) {
		size_t size = b ? b->size * 2 : ARENA_MIN_BLOCK;
		if (size > ARENA_MAX_BLOCK)
			size = ARENA_MAX_BLOCK;
		if (size < n)
			size = n;
		ArenaBlock *nb = xmalloc(sizeof *nb + size);
		nb->next = b;
		nb->size = size;
		nb->used = 0;
		a->head = b = nb;
		at = 0;
	}
	b->used = at + n;
	a->used += n;
	return b->data + at;
}

void *arena_alloc(Arena *a, size_t n)
{
	return arena_bump(a, n, 8);
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
	char *d = arena_bump(a, n + 1, 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void arena_adopt(Arena *a, Arena *from)
{
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
	}
	a->used += from->used;
	from->head = NULL;
	from->used = 0;
}

void arena_reset(Arena *a)
{
	if (!a->head)
		return;
	ArenaBlock *keep = a->head;
	for (ArenaBlock *b = keep->next, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	keep->next = NULL;
	keep->used = 0;
	a->used = 0;
}

void arena_free(Arena *a)
{
	for (ArenaBlock *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->used = 0;
}

void buf_grow(Buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < more + 1) {
		if (cap > SIZE_MAX / 2)
			out_of_memory(SIZE_MAX);
		cap *= 2;
	}
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void buf_puts(Buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
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
	char tmp[24], *e = tmp + sizeof tmp, *p = e;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	size_t n = (size_t)(e - p);
	if (b->cap - b->len < n)
		buf_grow(b, n);
	for (size_t i = 0; i < n; i++)	/* a handful of bytes: no call to memcpy */
		b->p[b->len + i] = p[i];
	b->len += n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

Str str_trim(Str s)
{
	while (s.n && is_space(s.p[0]))
		s.p++, s.n--;
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

bool str_eq(Str a, const char *lit)
{
	size_t n = strlen(lit);
	return a.n == n && memcmp(a.p, lit, n) == 0;
}
