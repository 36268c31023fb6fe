/* skeleton.c — compiled pages: the HTML of a page's shape (its Markdown with a mark where each
 * value goes) is made by cmark once and cut at the marks; a page of a known shape is those
 * pieces with its values put in, escaped as cmark would escape them. A shape where a value
 * could change what cmark makes of the Markdown is not compiled, nor is a page whose value
 * could: those go through cmark whole, so every page is what md_render makes of it. */
#include "c360.h"

#include <stdlib.h>
#include <xxhash.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- marks: "Zq", the slot's number in hex written with the letters a-p, "Z". A page's
 * Markdown holds a "Z" where each slot is (Slots.at): a part's marks are numbered from 0 as it
 * is cut (part_make). The "Z" reads as a mark does where a line starts (part_end). */

static size_t mark_len(size_t k)
{
	return k < 16 ? 4 : 4 + (size_t)(63 - __builtin_clzll((unsigned long long)k)) / 4;
}

static void mark_put(Buf *b, size_t k)
{
	char m[20] = {'Z', 'q'};
	size_t n = mark_len(k);
	m[n - 1] = 'Z';
	for (size_t i = n - 1; i-- > 2; k >>= 4)
		m[i] = (char)('a' + (k & 15));
	buf_put(b, m, n);
}

/* The slot number of the mark at p, its length in *len; false if no mark starts at p. */
static bool mark_read(const char *p, const char *end, size_t *k, size_t *len)
{
	if (end - p < 4 || p[0] != 'Z' || p[1] != 'q')
		return false;
	const char *q = p + 2;
	size_t v = 0;
	for (; q < end && *q >= 'a' && *q <= 'p' && q - p < 16; q++)
		v = v << 4 | (size_t)(*q - 'a');
	if (q == p + 2 || q >= end || *q != 'Z')
		return false;
	*k = v, *len = (size_t)(q + 1 - p);
	return true;
}

void slots_grow(Slots *s)
{
	s->cap = s->cap ? s->cap * 2 : 64;
	s->end = xrealloc(s->end, s->cap * sizeof *s->end);
	s->at = xrealloc(s->at, s->cap * sizeof *s->at);
}

void slots_free(Slots *s)
{
	buf_free(&s->text);
	free(s->end);
	free(s->at);
	memset(s, 0, sizeof *s);
}

static Str slot_text(const Slots *s, size_t k)
{
	size_t from = k ? s->end[k - 1] : 0;
	return str_make(s->text.p + from, s->end[k] - from);
}

/* The Markdown of md[from, to) (holding slots first..last-1) as tpl_render writes it: each
 * mark replaced by its value, escaped. */
static void slots_markdown(const Buf *md, const Slots *s, size_t from, size_t to, size_t first, size_t last, Buf *out)
{
	for (size_t k = first; k < last; k++) {
		Str t = slot_text(s, k);
		buf_put(out, md->p + from, s->at[k] - from);
		esc_markdown(out, t.p, t.n);
		from = s->at[k] + 1;
	}
	buf_put(out, md->p + from, to - from);
}

/* ---- parts: a page's Markdown cut where cmark reads what follows as if it were alone
 *
 * At a blank line nothing stays open but lists, code and HTML blocks; a part starts after one
 * where the next line starts with none of a list's or code's marks, and a page is cut only
 * when it has no fence, no HTML and no link reference definition. Then cmark's HTML of the
 * page is the HTML of its parts one after another, and parts repeat across pages far more
 * than pages do: a part is a shape. */

/* A part renumbered from 0: its marks and the placeholders of stashed fragments. */
typedef struct {
	Buf md;
	size_t *at;		/* its marks' places in md */
	size_t cap;
	const Slots *s;
	size_t first, n;	/* its slots are s's first .. first + n - 1 */
	size_t raw_first;	/* its fragments, the stash's raw_first .. */
} Part;

/* Text that keeps a block open across a blank line, or a link reference definition: a part that
 * holds it is not cut from what follows. */
static bool spans(const char *md, size_t n)
{
	return memchr(md, '<', n) || memmem(md, n, "```", 3) || memmem(md, n, "~~~", 3) || memmem(md, n, "]:", 2);
}

/* The first "\n\n" in [p, end), or NULL: 16 places at a time where SSE2 is (a page's Markdown
 * has a line end every few dozen bytes and a blank line every few lines). */
static const char *blank_line(const char *p, const char *end)
{
#ifdef __SSE2__
	for (; end - p > 16; p += 16) {
		__m128i nl = _mm_set1_epi8('\n');
		__m128i at = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), nl);
		__m128i next = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 1)), nl);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(at, next));
		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	for (; end - p > 1; p++)
		if (p[0] == '\n' && p[1] == '\n')
			return p;
	return NULL;
}

/* Where the part that starts at from ends: after a blank line that a line follows which starts
 * no list and no code. */
static size_t part_end(const Buf *md, size_t from, bool cut)
{
	const char *p = md->p + from, *end = md->p + md->len;
	while (cut && (p = blank_line(p, end))) {
		while (p < end && *p == '\n')
			p++;
		if (p < end && *p != ' ' && *p != '\t' && *p != '-' && *p != '+' && *p != '*' && !(*p >= '0' && *p <= '9'))
			return (size_t)(p - md->p);
	}
	return md->len;
}

/* Copies md[from, to) into part with its marks and placeholders numbered from 0; false if a
 * placeholder there is not the next one. */
static bool part_make(Part *part, const Buf *md, const Slots *s, size_t from, size_t to, size_t *slot, size_t *raw)
{
	part->md.len = 0, part->n = 0, part->first = *slot, part->raw_first = *raw, part->s = s;
	const char *x = memchr(md->p + from, '\x02', to - from);	/* the next placeholder: few a page */
	size_t placeholder = x ? (size_t)(x - md->p) : to;
	for (size_t i = from; i < to;) {
		if (*slot < s->n && s->at[*slot] == i) {
			if (part->n == part->cap) {
				part->cap = part->cap ? part->cap * 2 : 64;
				part->at = xrealloc(part->at, part->cap * sizeof *part->at);
			}
			part->at[part->n] = part->md.len;
			mark_put(&part->md, part->n++);
			i++, (*slot)++;
		} else if (md->p[i] == '\x02') {
			size_t j = i + 1, v = 0;
			for (; j < to && md->p[j] >= '0' && md->p[j] <= '9' && j - i < 10; j++)
				v = v * 10 + (size_t)(md->p[j] - '0');
			if (j == i + 1 || j >= to || md->p[j] != '\x03' || v != (*raw)++)
				return false;
			buf_putc(&part->md, '\x02');
			buf_int(&part->md, (int64_t)(v - part->raw_first));
			buf_putc(&part->md, '\x03');
			i = j + 1;
			x = memchr(md->p + i, '\x02', to - i);
			placeholder = x ? (size_t)(x - md->p) : to;
		} else {
			size_t next = *slot < s->n && s->at[*slot] < to ? s->at[*slot] : to;
			size_t stop = placeholder < next ? placeholder : next;
			buf_put(&part->md, md->p + i, stop - i);
			i = stop;
		}
	}
	return true;
}

/* ---- shapes */

enum { PUT_END, PUT_TEXT, PUT_HREF, PUT_RAW };

/* What a slot's value must be for the shape's HTML to hold with it in place of the mark. */
enum {
	NEED_ALNUM_FIRST = 1,	/* a delimiter (* _ ~ ]) before it: its first byte as the mark's, alphanumeric */
	NEED_ALNUM_LAST = 2,	/* ... after it */
	NEED_PLAIN_FIRST = 4,	/* where a block may start: not a digit (a list) */
	NEED_URL = 8,		/* in a link's address: only bytes cmark keeps as they are */
};

typedef struct {
	size_t at, len;		/* the shape's HTML html[at, at + len), */
	size_t slot;		/* then slot's HTML, or the stashed fragment number slot */
	int kind;		/* PUT_* */
} Piece;

typedef struct {
	uint64_t hash;
	char *key;		/* the part as the page's Markdown holds it: a "Z" at each slot, the stashed */
	size_t keylen;		/* fragments' placeholders with their numbers in the page */
	size_t *rel;		/* where its slots are in key */
	size_t nslots;
	size_t raw_first, nraws;	/* the placeholders it holds: raw_first .. raw_first + nraws - 1 */
	char *html;		/* NULL: not compiled, its pages go through cmark */
	size_t htmllen;
	bool spans;		/* it may reach into the part after it: the page is not cut */
	Piece *piece;
	size_t npieces, cappieces;
	uint8_t *need;		/* per slot, NEED_* */
} Shape;

struct SkelCache {
	Shape **tab;		/* open addressing on the hash */
	size_t cap, n, bytes, max_bytes;
	uint64_t filled, through_cmark;	/* parts */
	Part part;		/* the part being rendered */
	size_t *rel, caprel;	/* its slots' places in it */
};

static void piece_add(Shape *sh, size_t at, size_t len, size_t slot, int kind)
{
	if (sh->npieces == sh->cappieces) {
		sh->cappieces = sh->cappieces ? sh->cappieces * 2 : 32;
		sh->piece = xrealloc(sh->piece, sh->cappieces * sizeof *sh->piece);
	}
	sh->piece[sh->npieces++] = (Piece){at, len, slot, kind};
}

/* A stashed fragment's placeholder "\x02<k>\x03" at html[i] (put_back's rule, markdown.c): its
 * number and the end of what it replaces, with the paragraph around it when alone in one. */
static bool raw_read(const char *html, size_t len, size_t i, size_t since, size_t *k, size_t *from, size_t *to)
{
	size_t j = i + 1, v = 0;
	for (; j < len && html[j] >= '0' && html[j] <= '9' && j - i < 10; j++)
		v = v * 10 + (size_t)(html[j] - '0');
	if (j == i + 1 || j >= len || html[j] != '\x03')
		return false;
	*k = v, *from = i, *to = j + 1;
	if (i - since >= 3 && memcmp(html + i - 3, "<p>", 3) == 0 && len - *to >= 4 &&
	    memcmp(html + *to, "</p>", 4) == 0)
		*from = i - 3, *to += 4;
	return true;
}

/* A mark's kind where the scan is: text, a link's address (one with no scheme), or nowhere a
 * value can go (PUT_END). */
static int mark_kind(const HtmlAt *h, const char *end)
{
	if (h->value) {
		const char *q = memchr(h->value, '"', (size_t)(end - h->value));
		return h->url && q && !memchr(h->value, ':', (size_t)(q - h->value)) ? PUT_HREF : PUT_END;
	}
	return h->tag || h->code > 0 ? PUT_END : PUT_TEXT;
}

/* Cuts the shape's HTML at its marks and placeholders; false if a mark is missing, repeated, or
 * somewhere other than text or a link's address. */
static bool shape_cut(Shape *sh, const char *html, size_t len, size_t nslots)
{
	uint8_t *seen = xcalloc(nslots + 1, 1);
	HtmlAt h = {0};
	size_t from = 0, since = 0, found = 0;
	bool ok = true;
	for (size_t i = 0; ok && i < len;) {
		size_t k, n, to;
		if (html[i] == '\x02') {
			size_t at;
			ok = raw_read(html, len, i, since, &k, &at, &to) && at >= from && html_at_text(&h);
			if (ok)
				piece_add(sh, from, at - from, k, PUT_RAW), from = since = i = to;
		} else if (html[i] == 'Z' && mark_read(html + i, html + len, &k, &n)) {
			int kind = mark_kind(&h, html + len);
			ok = kind != PUT_END && k < nslots && !seen[k];
			if (ok) {
				seen[k] = 1, found++;
				sh->need[k] |= kind == PUT_HREF ? NEED_URL : 0;
				piece_add(sh, from, i - from, k, kind), from = i = i + n;
			}
		} else {
			html_at_step(&h, html + i, html, html + len);
			i++;
		}
	}
	free(seen);
	piece_add(sh, from, len - from, 0, PUT_END);
	return ok && found == nslots;
}

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Whether a link's address may be open at marks met in order: the last "](" and the last stop
 * (a blank line or a ')') before them, by one scan forward over the Markdown, not one back
 * from each mark (a table of 500 rows has thousands of marks in one paragraph). */
typedef struct {
	size_t at;		/* md[j - 2], md[j - 1] looked at for every j in [2, at] */
	size_t open, stop;	/* the last such j with "](", with "\n\n" or a ')' at j - 1; 0: none */
} LinkScan;

static bool in_link_address(const char *md, LinkScan *s, size_t a)
{
	if (a < s->at)	/* marks out of order: from the start again */
		*s = (LinkScan){0};
	for (size_t j = s->at < 2 ? 2 : s->at + 1; j <= a; j++) {
		if ((md[j - 1] == '\n' && md[j - 2] == '\n') || md[j - 1] == ')')
			s->stop = j;
		else if (md[j - 2] == ']' && md[j - 1] == '(')
			s->open = j;
	}
	s->at = a > s->at ? a : s->at;
	return s->open > s->stop;
}

/* What slot k's value must be, from the Markdown around its mark at md[a, b); false if no value
 * is known to render as the mark does: after a backslash or inside a character reference, or
 * inside a link's address that the mark's text did not make a link of. */
static bool slot_needs(const char *md, size_t mdlen, size_t a, size_t b, uint8_t *need, LinkScan *link)
{
	char prev = a ? md[a - 1] : '\n', next = b < mdlen ? md[b] : '\n';
	if (prev == '\\')
		return false;
	size_t j = a;
	while (j > 0 && (is_alnum((unsigned char)md[j - 1]) || md[j - 1] == '#'))
		j--;
	if (j > 0 && md[j - 1] == '&')
		return false;
	if (strchr("*_~]", prev))
		*need |= NEED_ALNUM_FIRST;
	if (next && strchr("*_~", next))
		*need |= NEED_ALNUM_LAST;
	for (j = a; j > 0 && md[j - 1] != '\n' && strchr(" \t>-*+0123456789.)", md[j - 1]); j--)
		;
	if (j == 0 || md[j - 1] == '\n')
		*need |= NEED_PLAIN_FIRST;
	if (*need & NEED_URL)
		return true;
	return !in_link_address(md, link, a);	/* there the mark is text: a value could make a link */
}

/* The part's text holds nothing that reads as a mark but its n marks. */
static bool marks_only(const char *md, size_t len, size_t n)
{
	size_t found = 0;
	for (const char *p = md, *end = md + len; (p = memmem(p, (size_t)(end - p), "Zq", 2)); p += 2)
		found++;
	return found == n;
}

/* Makes a shape of a part: cmark's HTML cut at the marks, and what each slot's value must be.
 * Not compiled (html NULL) where that cannot be done safely. */
static Shape *shape_make(const Part *part, uint64_t hash, Arena *arena)
{
	Shape *sh = xcalloc(1, sizeof *sh);
	sh->hash = hash;
	const char *md = part->md.p ? part->md.p : "";
	size_t mdlen = part->md.len;
	sh->need = xcalloc(part->n + 1, 1);
	sh->spans = spans(md, mdlen);
	Buf html = {0};
	md_html(md, mdlen, arena, &html);
	if (html.len)
		md_align_classes(html.p, html.len);	/* a value cannot make one: its quotes are escaped */
	bool ok = !memmem(md, mdlen, "]:", 2) && marks_only(md, mdlen, part->n) &&
		  shape_cut(sh, html.p ? html.p : "", html.len, part->n);
	LinkScan link = {0};
	for (size_t k = 0; ok && k < part->n; k++)
		ok = slot_needs(md, mdlen, part->at[k], part->at[k] + mark_len(k), &sh->need[k], &link);
	if (ok) {
		sh->html = html.p ? html.p : xstrdup("");
		sh->htmllen = html.len;
		html.p = NULL;
	} else {
		free(sh->piece), free(sh->need);
		sh->piece = NULL, sh->need = NULL, sh->npieces = 0;
	}
	buf_free(&html);
	return sh;
}

static size_t shape_bytes(const Shape *sh)
{
	return sizeof *sh + sh->keylen + sh->nslots * sizeof *sh->rel + sh->htmllen + sh->npieces * (sizeof(Piece) + 1);
}

static void shape_free(Shape *sh)
{
	free(sh->key), free(sh->rel), free(sh->html), free(sh->piece), free(sh->need);
	free(sh);
}

/* ---- the cache of a thread's shapes */

SkelCache *skel_new(size_t max_bytes)
{
	SkelCache *c = xcalloc(1, sizeof *c);
	c->max_bytes = max_bytes;
	return c;
}

void skel_free(SkelCache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->tab[i])
			shape_free(c->tab[i]);
	free(c->tab);
	buf_free(&c->part.md);
	free(c->part.at);
	free(c->rel);
	free(c);
}

void skel_stats(const SkelCache *c, uint64_t *filled, uint64_t *through_cmark, size_t *shapes)
{
	*filled += c ? c->filled : 0;
	*through_cmark += c ? c->through_cmark : 0;
	*shapes += c ? c->n : 0;
}

static void cache_grow(SkelCache *c)
{
	size_t cap = c->cap ? c->cap * 2 : 64;
	Shape **tab = xcalloc(cap, sizeof *tab);
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->tab[i])
			continue;
		size_t j = c->tab[i]->hash & (cap - 1);
		while (tab[j])
			j = (j + 1) & (cap - 1);
		tab[j] = c->tab[i];
	}
	free(c->tab);
	c->tab = tab, c->cap = cap;
}

/* The part md[from, to) as the page holds it: its slots (from *slot on) and their places in it
 * (c->rel); the hash of both. */
static uint64_t part_key(SkelCache *c, const Buf *md, const Slots *s, size_t from, size_t to, size_t slot,
			 size_t *nslots)
{
	uint64_t h = 0;
	size_t k = slot;
	for (; k < s->n && s->at[k] < to; k++) {
		if (k - slot == c->caprel) {
			c->caprel = c->caprel ? c->caprel * 2 : 64;
			c->rel = xrealloc(c->rel, c->caprel * sizeof *c->rel);
		}
		c->rel[k - slot] = s->at[k] - from;
		h = (h ^ (s->at[k] - from)) * 0x100000001b3u;
	}
	*nslots = k - slot;
	return XXH3_64bits_withSeed(md->p ? md->p + from : "", to - from, h);	/* parts are long: 8 bytes a step */
}

/* The part md[from, to)'s shape, its slots and placeholders taken from *slot and *raw on: known (the
 * same bytes, slots at the same places: the part part_make would make of it is the one the shape
 * was made of), made now, or NULL when the cache is full. False if the part's placeholders are not
 * the next ones (part_make's rule). */
static bool shape_get(SkelCache *c, const Buf *md, const Slots *s, size_t from, size_t to, size_t *slot,
		      size_t *raw, Arena *arena, const Shape **found)
{
	size_t nslots;
	uint64_t hash = part_key(c, md, s, from, to, *slot, &nslots);
	const char *key = md->p ? md->p + from : "";
	size_t keylen = to - from, j = c->cap ? hash & (c->cap - 1) : 0;
	for (; c->cap && c->tab[j]; j = (j + 1) & (c->cap - 1)) {
		const Shape *sh = c->tab[j];
		if (sh->hash != hash || sh->keylen != keylen || sh->nslots != nslots || memcmp(sh->key, key, keylen) != 0 ||
		    (nslots && memcmp(sh->rel, c->rel, nslots * sizeof *c->rel) != 0))
			continue;
		if (sh->nraws && sh->raw_first != *raw)
			return false;
		Part *part = &c->part;
		part->s = s, part->first = *slot, part->n = nslots, part->raw_first = *raw;
		*slot += nslots, *raw += sh->nraws;
		*found = sh;
		return true;
	}
	size_t raw_first = *raw;
	if (!part_make(&c->part, md, s, from, to, slot, raw))
		return false;
	*found = NULL;
	if (c->bytes >= c->max_bytes)
		return true;
	if ((c->n + 1) * 2 > c->cap) {
		cache_grow(c);
		for (j = hash & (c->cap - 1); c->tab[j]; j = (j + 1) & (c->cap - 1))
			;
	}
	Shape *sh = shape_make(&c->part, hash, arena);
	sh->key = xmalloc(keylen + 1);
	memcpy(sh->key, key, keylen);
	sh->keylen = keylen, sh->nslots = nslots;
	sh->rel = xmalloc((nslots + 1) * sizeof *sh->rel);
	if (nslots)
		memcpy(sh->rel, c->rel, nslots * sizeof *c->rel);
	sh->raw_first = raw_first, sh->nraws = *raw - raw_first;
	c->tab[j] = sh;
	c->n++;
	c->bytes += shape_bytes(sh);
	*found = sh;
	return true;
}

/* ---- a page: the shape's pieces and its values */

/* A valid UTF-8 sequence starts at p (cmark would replace an invalid one); its length, or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) || (p[0] == 0xf0 && p[1] < 0x90) ||
	    (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return len;
}

static bool url_byte(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '~' || c == '/' || c == '-';
}

/* The value's edges fit what the slot needs: no blanks or controls (cmark drops blanks at the
 * start or end of a line or cell), alphanumeric next to a delimiter, no digit where a list could
 * start. */
static inline __attribute__((always_inline)) bool edges_fit(Str v, uint8_t need)
{
	const unsigned char *p = (const unsigned char *)v.p;
	unsigned char first = p[0], last = p[v.n - 1];
	if (last <= ' ' || last == 127 || first < ' ' || first == 127)
		return false;
	if ((first == 0xc2 && control_len(v.p, v.n)) || (last < 0xa0 && v.n >= 2 && p[v.n - 2] == 0xc2))
		return false;	/* a C1 control (a byte of UTF-8 after 0xc2 is one from 0x80 on) */
	return !((need & NEED_ALNUM_FIRST) && !is_alnum(first)) && !((need & NEED_ALNUM_LAST) && !is_alnum(last)) &&
	       !((need & NEED_PLAIN_FIRST) && first >= '0' && first <= '9');
}

/* A link's address: only bytes cmark keeps as they are, written as they are. */
static bool put_href(Buf *b, Str v, uint8_t need)
{
	if (!edges_fit(v, need))
		return false;
	for (size_t i = 0; i < v.n; i++)
		if (!url_byte((unsigned char)v.p[i]))
			return false;
	buf_put(b, v.p, v.n);
	return true;
}

/* What put_text does with a byte: copies it, writes a reference (or a space), or reads UTF-8. */
enum { TEXT_PLAIN, TEXT_REF, TEXT_UTF8 };
static const uint8_t text_what[256] = {[0 ... 31] = TEXT_REF, [127] = TEXT_REF, ['&'] = TEXT_REF, ['<'] = TEXT_REF,
				       ['>'] = TEXT_REF, ['"'] = TEXT_REF, [128 ... 255] = TEXT_UTF8};

#ifndef __SSE2__
/* Among 8 bytes, one that put_text does not copy as it is: a control, DEL, a byte of UTF-8,
 * & or " (0x26 0x22), < or > (0x3c 0x3e). */
static uint64_t text_word(uint64_t x)
{
	return (x & BYTES8(0x80)) | byte_below8(x, ' ') | zero_byte8(x ^ BYTES8(127)) |
	       zero_byte8((x | BYTES8(4)) ^ BYTES8('&')) | zero_byte8((x | BYTES8(2)) ^ BYTES8('>'));
}
#endif

#ifdef __SSE2__
/* Of the 16 bytes at p, those put_text does not copy as they are, a bit each: below ' ', DEL
 * and above (UTF-8), & " < > (text_word's, 16 at a time). */
static inline unsigned text_bytes16(const unsigned char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)p);
	__m128i ok = _mm_cmpgt_epi8(x, _mm_set1_epi8(' ' - 1));	/* ' ' to DEL: signed */
	__m128i ref = _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(4)), _mm_set1_epi8('&')),
				   _mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(2)), _mm_set1_epi8('>')));
	ref = _mm_or_si128(ref, _mm_cmpeq_epi8(x, _mm_set1_epi8(127)));
	return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(ref, ok)) ^ 0xffff;
}
#endif

/* The first byte of [p, end) that put_text does not copy as it is, or end. 16 bytes are read
 * at a time where SSE2 is: a value's last ones with the bytes after it, up to limit (the end of
 * the slots' buffer), left out by a mask. */
static inline const unsigned char *text_skip(const unsigned char *p, const unsigned char *end, const unsigned char *limit)
{
#ifdef __SSE2__
	for (; end - p >= 16; p += 16) {
		unsigned m = text_bytes16(p);
		if (m)
			return p + __builtin_ctz(m);
	}
	if (p < end && limit && limit - p >= 16) {
		unsigned m = text_bytes16(p) & ((1u << (end - p)) - 1);
		return m ? p + __builtin_ctz(m) : end;
	}
#else
	(void)limit;
	while (end - p >= 8 && !text_word(load8(p)))
		p += 8;
#endif
	while (p < end && text_what[*p] == TEXT_PLAIN)
		p++;
	return p;
}

/* Text as cmark writes it after reading it back from esc_markdown: controls (C0, DEL, C1) as
 * spaces, & < > " as references; false (with some of it written) if cmark would not write it so: its edges do
 * not fit, or it holds invalid UTF-8 (which cmark replaces), or a bidirectional control (which
 * esc_markdown closes: such text goes through cmark). v lies in a buffer that ends at limit. */
static bool put_text(Buf *b, Str v, uint8_t need, const char *limit)
{
	static const char ref[128][8] = {[0 ... 31] = " ", [127] = " ", ['&'] = "&amp;", ['<'] = "&lt;",
					 ['>'] = "&gt;", ['"'] = "&quot;"};
	if (!edges_fit(v, need))
		return false;
	const unsigned char *p = (const unsigned char *)v.p, *end = p + v.n, *from = p;
	for (;;) {
		p = text_skip(p, end, (const unsigned char *)limit);
		if (p == end)
			break;
		if (text_what[*p] == TEXT_UTF8) {
			size_t n = utf8_len(p, (size_t)(end - p));
			if (!n || (*p == 0xe2 && has_bidi((const char *)p, n)))
				return false;
			if (*p == 0xc2 && p[1] < 0xa0) {	/* a C1 control */
				buf_put(b, from, (size_t)(p - from));
				buf_putc(b, ' ');
				from = p + 2;
			}
			p += n;
			continue;
		}
		buf_put(b, from, (size_t)(p - from));
		buf_puts(b, ref[*p]);
		from = ++p;
	}
	buf_put(b, from, (size_t)(end - from));
	return true;
}

/* A stashed fragment, aligned as md_render aligns it: with the 7 bytes on each side, so that a
 * match across its edges is found too (the shape's own HTML is aligned when it is made). A
 * fragment that holds no " align=\"" (aligned) can have a match only across its edges: only
 * they are looked at. */
static void put_raw(Buf *out, const char *raw, size_t n, bool aligned, const char *next, size_t nextlen)
{
	size_t at = out->len, before = at < 7 ? at : 7, after = nextlen < 7 ? nextlen : 7;
	buf_put(out, raw, n);
	buf_put(out, next, after);
	if (aligned && n >= 14) {
		md_align_classes(out->p + at - before, before + 7);
		md_align_classes(out->p + at + n - 7, 7 + after);
	} else {
		md_align_classes(out->p + at - before, before + n + after);
	}
	out->len -= after;
}

/* The shape's pieces with the part's values; false (with some of it written) if a value does not
 * fit its slot. Every slot has one piece (shape_cut). */
static bool shape_fill(const Shape *sh, const Part *part, const RawStash *raws, Buf *out)
{
	const char *limit = part->s->text.p ? part->s->text.p + part->s->text.cap : NULL;
	for (size_t i = 0; i < sh->npieces; i++) {
		const Piece *pc = &sh->piece[i];
		buf_put(out, sh->html + pc->at, pc->len);
		size_t r = part->raw_first + pc->slot;
		Str v = pc->kind == PUT_TEXT || pc->kind == PUT_HREF ? slot_text(part->s, part->first + pc->slot) : str_make("", 0);
		if (pc->kind == PUT_RAW && (!raws || r >= raws->n))
			return false;
		if (pc->kind == PUT_RAW)
			put_raw(out, raws->s[r], raws->len[r], raws->aligned[r], sh->html + sh->piece[i + 1].at, sh->piece[i + 1].len);
		else if ((pc->kind == PUT_HREF && !put_href(out, v, sh->need[pc->slot])) ||
			 (pc->kind == PUT_TEXT && !put_text(out, v, sh->need[pc->slot], limit)))
			return false;
	}
	return true;
}

/* A part's HTML: its shape filled, else through cmark; false if the part's shape may reach
 * into the next part (nothing is written then). */
static bool part_render(SkelCache *c, const Shape *sh, const Buf *md, size_t from, size_t to, bool cut,
			const RawStash *raws, Arena *arena, Buf *scratch, Buf *out)
{
	size_t at = out->len;
	if (sh && cut && sh->spans)
		return false;
	if (sh && sh->html && shape_fill(sh, &c->part, raws, out)) {
		c->filled++;
		return true;
	}
	c->through_cmark++;
	out->len = at;
	scratch->len = 0;
	slots_markdown(md, c->part.s, from, to, c->part.first, c->part.first + c->part.n, scratch);
	md_render(scratch->p ? scratch->p : "", scratch->len, raws, arena, out);
	return true;
}

/* A value that starts a part may: escaped, it starts with neither a blank (a control becomes
 * one) nor a digit, so it starts no list and no code and ends what came before; nor with 0xe2,
 * which may be a bidirectional control that esc_markdown leaves out. */
static bool starts_part(Str v)
{
	unsigned char c = (unsigned char)v.p[0];
	return c >= ' ' && c != 127 && !(c >= '0' && c <= '9') && c != 0xe2;
}

/* The page in parts (one if cut is false); false if it cannot be: a placeholder out of order, or
 * a part that may reach into the next while cut. */
static bool page_parts(SkelCache *c, const Buf *md, const Slots *s, bool cut, const RawStash *raws, Arena *arena,
		       Buf *scratch, Buf *out)
{
	size_t slot = 0, raw = 0;
	for (size_t from = 0, to; from < md->len; from = to) {
		to = part_end(md, from, cut);
		if (cut && slot < s->n && s->at[slot] == from && !starts_part(slot_text(s, slot)))
			return false;
		const Shape *sh;
		if (!shape_get(c, md, s, from, to, &slot, &raw, arena, &sh) ||
		    !part_render(c, sh, md, from, to, cut, raws, arena, scratch, out))
			return false;
	}
	return true;
}

void skel_render(SkelCache *c, const Buf *md, const Slots *s, const RawStash *raws, Arena *arena, Buf *scratch,
		 Buf *out)
{
	size_t at = out->len;
	for (int cut = 1; c && cut >= 0; cut--) {
		if (page_parts(c, md, s, cut, raws, arena, scratch, out))
			return;
		out->len = at;
	}
	scratch->len = 0;	/* the page whole through cmark */
	slots_markdown(md, s, 0, md->len, 0, s->n, scratch);
	md_render(scratch->p ? scratch->p : "", scratch->len, raws, arena, out);
}
