/* harness.h — cmocka plus the helpers the unit tests share. */
#ifndef HARNESS_H
#define HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "c360.h"

#ifndef TEST_DIR
#define TEST_DIR "build"	/* where a test writes its files: the build's folder (the Makefile says which) */
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof *(a))

/* Fails the test naming the table case, so a broken rule says which input broke it. */
#define CHECK(cond, ...)                                                                 \
	do {                                                                             \
		if (!(cond)) {                                                           \
			print_error("%s:%d: ", __FILE__, __LINE__);                      \
			print_error(__VA_ARGS__);                                        \
			print_error("\n");                                               \
			fail();                                                          \
		}                                                                        \
	} while (0)

static inline Str S(const char *s)
{
	return str_make(s, strlen(s));
}

static inline char *date_text(int64_t days)
{
	static char out[16];
	Buf b = {0};
	if (days == MOMENT_NULL)
		buf_puts(&b, "null");
	else
		buf_date(&b, days);
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* Builds silver from CSV texts, customers first (NULL: the file is absent); returns what
 * silver_finish says. */
static inline bool silver_from(Silver *s, Config *cfg, const char *const text[SRC_COUNT])
{
	silver_init(s, cfg);
	for (int i = 0; i < SRC_COUNT; i++) {
		if (!text[i])
			continue;
		silver_source_init(s, &s->src[i], (SourceId)i);
		silver_source_feed(s, &s->src[i], text[i], strlen(text[i]), false);
		silver_source_end(s, &s->src[i]);
	}
	return silver_finish(s);
}

/* The silver row of a source with this key, or NULL. */
static inline RowHead *row_by_id(Silver *s, SourceId src, const char *id)
{
	Table *t = &s->src[src].table;
	for (size_t i = 0; i < t->n; i++) {
		RowHead *h = ROW(t, RowHead, i);
		if (h->idlen == strlen(id) && memcmp(h->id, id, h->idlen) == 0)
			return h;
	}
	return NULL;
}

/* Random template values (test_skeleton.c, test_tables.c): a fixed seed, so a run is the same
 * run each time, and the tokens values are made of. */
typedef struct {
	uint64_t seed;
	const char *const *tokens;
	size_t ntokens;
	unsigned most;	/* tokens in a value at the most */
	unsigned plain;	/* of ten values, how many are plain ("word"s, so shapes repeat) */
} Gen;

/* A number below n. */
static inline unsigned gen_pick(Gen *g, unsigned n)
{
	g->seed = g->seed * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(g->seed >> 33) % n;
}

/* A value: null, empty, or one to g->most tokens. */
static inline Value *gen_value(Gen *g, Arena *a)
{
	unsigned k = gen_pick(g, 10);
	if (k == 0)
		return v_str(a, NULL, 0);
	if (k == 1)
		return v_cstr(a, "");
	Buf b = {0};
	for (unsigned i = 0, n = 1 + gen_pick(g, g->most); i < n; i++)
		buf_puts(&b, k < 2 + g->plain ? "word" : g->tokens[gen_pick(g, (unsigned)g->ntokens)]);
	Value *v = v_str(a, b.p, b.len);
	buf_free(&b);
	return v;
}

static inline Config test_config(void)
{
	Config c;
	config_defaults(&c);
	c.data_dir = "(memory)";
	return c;
}
#endif
