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

/* Rehashes into nslots slots. */
static void index_resize(Index *ix, uint32_t nslots)
{
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

/* Room for n keys at most three quarters full, grown by half at least. */
static void index_reserve(Index *ix, uint32_t n)
{
	if ((uint64_t)n * 4 <= (uint64_t)ix->nslots * 3)
		return;
	uint64_t want = (uint64_t)n * 4 / 3 + 1, grown = ix->nslots ? ix->nslots + ix->nslots / 2 : 64;
	want = want > grown ? want : grown;
	if (want > UINT32_MAX)
		out_of_memory(want * sizeof *ix->slots);
	index_resize(ix, (uint32_t)want);
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
			if (k.n == key.n && bytes_same(k.p, key.p, key.n))
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
	index_reserve(ix, ix->n + 1);
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
	return dict_str(ctx, value);
}

uint32_t dict_find(const Dict *d, Str s)
{
	if (d->ix.nslots || !d->n)
		return index_find(&d->ix, s, dict_key, d);
	for (uint32_t k = 0; k < d->n; k++)	/* sealed */
		if (dict_len(d, k) == s.n && memcmp(dict_label(d, k), s.p, s.n) == 0)
			return k;
	return INDEX_NONE;
}

/* Room for more labels and text: both grow without copying (big_realloc). */
static void dict_reserve(Dict *d, uint32_t labels, size_t bytes)
{
	size_t used = d->n ? d->at[d->n] : 0;
	if (!d->at || d->n + labels > d->cap) {
		size_t cap = d->at ? d->cap + 1 : 1024;	/* offsets, the last one the end */
		while (cap < (size_t)d->n + labels + 1)
			cap *= 2;
		if (cap - 1 > UINT32_MAX)
			out_of_memory(cap * sizeof *d->at);
		d->at = big_realloc(d->at, d->at ? (d->cap + 1) * sizeof *d->at : 0, cap * sizeof *d->at);
		d->cap = (uint32_t)(cap - 1);
	}
	if (used + bytes > d->textcap) {
		size_t cap = d->textcap ? d->textcap : 4096;
		while (cap < used + bytes)
			cap *= 2;
		d->text = big_realloc(d->text, d->textcap, cap);
		d->textcap = cap;
	}
}

/* Adds a label that is not there yet, and its text. */
static uint32_t dict_add(Dict *d, Str s)
{
	dict_reserve(d, 1, s.n + 1);
	size_t at = d->at[d->n];	/* 0 when empty (big_alloc is zeroed) */
	if ((uint64_t)at + s.n + 1 > UINT32_MAX)
		out_of_memory(at + s.n + 1);	/* 4 GiB of labels in one column */
	if (s.n)
		memcpy(d->text + at, s.p, s.n);
	d->text[at + s.n] = '\0';
	d->at[d->n + 1] = (uint32_t)(at + s.n + 1);
	index_set(&d->ix, s, d->n, dict_key, d);
	return d->n++;
}

/* The index of a sealed dictionary, made again. */
static void dict_unseal(Dict *d)
{
	if (d->ix.nslots || !d->n)
		return;
	index_reserve(&d->ix, d->n);
	for (uint32_t k = 0; k < d->n; k++)
		index_set(&d->ix, dict_str(d, k), k, dict_key, d);
}

uint32_t dict_intern(Dict *d, Str s)
{
	dict_unseal(d);
	uint32_t v = dict_find(d, s);
	return v != INDEX_NONE ? v : dict_add(d, s);
}

void dict_take(Dict *d, Dict *from, uint32_t *map)
{
	index_free(&from->ix);	/* not looked in again: d grows meanwhile */
	dict_unseal(d);
	index_reserve(&d->ix, d->n + from->n);	/* once: the old slots and the new are never both kept */
	dict_reserve(d, from->n, from->n ? from->at[from->n] : 0);
	size_t released = 0, step = 1u << 20;
	for (uint32_t l = 0; l < from->n; l++) {
		Str s = dict_str(from, l);
		uint32_t v = dict_find(d, s);
		map[l] = v != INDEX_NONE ? v : dict_add(d, s);
		if (from->at[l + 1] - released >= step) {	/* what is copied goes back as it goes */
			big_release(from->text + released, from->at[l + 1] - released);
			released = from->at[l + 1];
		}
	}
	dict_free(from);
}

void dict_seal(Dict *d)
{
	index_free(&d->ix);
}

void dict_free(Dict *d)
{
	index_free(&d->ix);
	big_free(d->at, d->at ? (d->cap + 1) * sizeof *d->at : 0);
	big_free(d->text, d->textcap);
	*d = (Dict){0};
}
