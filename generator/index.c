/* index.c — hashing, the open-addressing index and interned label dictionaries. */
#include "c360.h"

#include <stdlib.h>

static inline uint64_t load64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	return h ^ (h >> 32);
}

uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull), tail;
	if (n >= 8) {
		for (; n > 8; s += 8, n -= 8)
			h = (h ^ load64(s)) * 0xff51afd7ed558ccdull, h ^= h >> 29;
		tail = load64(s + n - 8);	/* the last 8 bytes, overlapping what came before */
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		tail = (uint64_t)a << 32 | b;
	} else {
		tail = n ? (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n / 2] << 8 |
				   (unsigned char)s[n - 1] : 0;
	}
	return mix(h ^ tail);
}

/* Position of a 32-bit hash in a table of nslots (multiply-shift, any table size). */
static inline uint32_t home(uint32_t h32, uint32_t nslots)
{
	return (uint32_t)(((uint64_t)h32 * nslots) >> 32);
}

static void index_grow(Index *ix)
{
	uint32_t nslots = ix->nslots ? ix->nslots + ix->nslots / 2 : 64;
	uint64_t *slots = xcalloc(nslots, sizeof *slots);
	for (uint32_t i = 0; i < ix->nslots; i++) {
		uint64_t s = ix->slots[i];
		if (!s)
			continue;
		uint32_t j = home((uint32_t)(s >> 32), nslots);
		while (slots[j])
			j = j + 1 == nslots ? 0 : j + 1;
		slots[j] = s;
	}
	free(ix->slots);
	ix->slots = slots;
	ix->nslots = nslots;
}

/* The slot holding key, or the empty slot where it would go. */
static uint32_t index_probe(const Index *ix, Str key, uint32_t h32, IndexKey fn, const void *ctx)
{
	uint32_t j = home(h32, ix->nslots);
	for (;;) {
		uint64_t s = ix->slots[j];
		if (!s)
			return j;
		if ((uint32_t)(s >> 32) == h32) {
			Str k = fn(ctx, (uint32_t)s - 1);
			if (k.n == key.n && memcmp(k.p, key.p, key.n) == 0)
				return j;
		}
		j = j + 1 == ix->nslots ? 0 : j + 1;
	}
}

uint32_t index_find(const Index *ix, Str key, IndexKey fn, const void *ctx)
{
	if (!ix->n)
		return INDEX_NONE;
	uint64_t s = ix->slots[index_probe(ix, key, (uint32_t)(hash_bytes(key.p, key.n) >> 32), fn, ctx)];
	return s ? (uint32_t)s - 1 : INDEX_NONE;
}

uint32_t index_set(Index *ix, Str key, uint32_t value, IndexKey fn, const void *ctx)
{
	if ((uint64_t)(ix->n + 1) * 4 > (uint64_t)ix->nslots * 3)
		index_grow(ix);
	uint32_t h32 = (uint32_t)(hash_bytes(key.p, key.n) >> 32);
	uint32_t j = index_probe(ix, key, h32, fn, ctx);
	uint32_t old = ix->slots[j] ? (uint32_t)ix->slots[j] - 1 : INDEX_NONE;
	if (old == INDEX_NONE)
		ix->n++;
	ix->slots[j] = (uint64_t)h32 << 32 | ((uint64_t)value + 1);
	return old;
}

void index_free(Index *ix)
{
	free(ix->slots);
	*ix = (Index){0};
}

static Str dict_key(const void *ctx, uint32_t value)
{
	const Dict *d = ctx;
	return str_make(d->label[value], d->len[value]);
}

uint32_t dict_find(const Dict *d, Str s)
{
	return index_find(&d->ix, s, dict_key, d);
}

/* Adds a label that is not there yet, its text already kept. */
static uint32_t dict_add(Dict *d, const char *label, uint32_t len)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->label = xrealloc(d->label, d->cap * sizeof *d->label);
		d->len = xrealloc(d->len, d->cap * sizeof *d->len);
	}
	d->label[d->n] = label;
	d->len[d->n] = len;
	index_set(&d->ix, str_make(label, len), d->n, dict_key, d);
	return d->n++;
}

uint32_t dict_intern(Dict *d, Str s)
{
	uint32_t v = dict_find(d, s);
	return v != INDEX_NONE ? v : dict_add(d, arena_strndup(&d->arena, s.p, s.n), (uint32_t)s.n);
}

void dict_take(Dict *d, Dict *from, uint32_t *map)
{
	index_free(&from->ix);	/* not looked in again: d grows meanwhile */
	for (uint32_t l = 0; l < from->n; l++) {
		uint32_t v = dict_find(d, str_make(from->label[l], from->len[l]));
		map[l] = v != INDEX_NONE ? v : dict_add(d, from->label[l], from->len[l]);
	}
	arena_adopt(&d->arena, &from->arena);
	dict_free(from);
}

void dict_trim(Dict *d)
{
	if (d->cap == d->n || !d->n)
		return;
	d->cap = d->n;
	d->label = xrealloc(d->label, d->cap * sizeof *d->label);
	d->len = xrealloc(d->len, d->cap * sizeof *d->len);
}

void dict_free(Dict *d)
{
	index_free(&d->ix);
	free(d->label);
	free(d->len);
	arena_free(&d->arena);
	*d = (Dict){0};
}
