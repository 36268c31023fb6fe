/* markdown.c — Markdown to HTML with cmark-gfm (tables), safe mode, and c360's own HTML
 * (charts, tables it made) put back where the template asked for it. */
#include "c360.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void md_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();	/* once, before any thread renders */
}

static bool starts(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

void html_at_step(HtmlAt *h, const char *p, const char *start, const char *end)
{
	if (h->value) {
		if (*p == '"')
			h->value = NULL;
	} else if (h->tag) {
		if (*p == '>') {
			h->tag = false;
		} else if (*p == '"') {
			h->value = p + 1;
			h->url = (p - start >= 5 && memcmp(p - 5, "href=", 5) == 0) ||
				 (p - start >= 4 && memcmp(p - 4, "src=", 4) == 0);
		}
	} else if (*p == '<') {
		h->tag = true;
		h->code += starts(p, end, "<code") || starts(p, end, "<pre");
		h->code -= starts(p, end, "</code") || starts(p, end, "</pre");
	}
}

/* Copies html to out, putting each stashed fragment where its placeholder stands: a
 * placeholder alone in a paragraph replaces the paragraph. One in an attribute (an image's
 * text, a link's title) or in code is written as text, escaped: its quotes would end the
 * attribute, its tags would be code's. */
static void put_back(Buf *out, const char *html, const RawStash *raws)
{
	const char *end = html + strlen(html), *seen = html;
	HtmlAt h = {0};
	for (const char *p = html; *p;) {
		const char *mark = strchr(p, '\x02');
		if (!mark) {
			buf_puts(out, p);
			break;
		}
		for (; seen < mark; seen++)
			html_at_step(&h, seen, html, end);
		char *end;
		unsigned long k = strtoul(mark + 1, &end, 10);
		if (*end != '\x03' || !raws || k >= raws->n) {	/* not ours: drop the control byte */
			buf_put(out, p, (size_t)(mark - p));
			p = mark + 1;
			continue;
		}
		const char *from = mark, *to = end + 1;
		if (mark - p >= 3 && memcmp(mark - 3, "<p>", 3) == 0 && strncmp(to, "</p>", 4) == 0)
			from = mark - 3, to += 4;
		buf_put(out, p, (size_t)(from - p));
		if (html_at_text(&h))
			buf_put(out, raws->s[k], raws->len[k]);
		else
			esc_html(out, raws->s[k], raws->len[k]);
		p = seen = to;
	}
}

/* cmark allocates from the page's arena: nothing is freed one by one, all of it goes when
 * the arena is reset for the next page. */
static _Thread_local Arena *md_arena;

static void *md_calloc(size_t n, size_t size)
{
	size_t total = n * size;
	size_t *p = arena_alloc(md_arena, total + 2 * sizeof *p);
	p[0] = total;
	return memset(p + 2, 0, total);
}

static void *md_realloc(void *old, size_t n)
{
	size_t had = old ? ((size_t *)old)[-2] : 0;
	if (old && n <= had)
		return old;
	void *p = md_calloc(1, n);
	if (old)
		memcpy(p, old, had);
	return p;
}

static void md_free(void *p)
{
	(void)p;
}

/* cmark-gfm aligns table cells with the align attribute, which HTML5 dropped: a class of the
 * same length takes its place, so a theme's CSS does it (and a strict CSP allows it). */
static void align_at(char *eq)
{
	if (eq[1] == '"' && memcmp(eq - 6, " align", 6) == 0)
		memcpy(eq - 6, " class", 6);
}

void md_align_classes(char *html, size_t n)
{
	if (n < 8)
		return;
	char *p = html + 6, *end = html + n;	/* p: where an '=' may be, with 6 bytes before it */
#ifdef __SSE2__
	/* 16 places at a time: an '=' after an 'n' and before a '"' (an attribute's '=' seldom is:
	 * no call for each attribute of a fragment). A match changes only the 6 bytes before its
	 * '=', which no later place's 'n', '=' or '"' is; align_at reads them as they are now. */
	for (; end - p > 16; p += 16) {
		__m128i at = _mm_loadu_si128((const __m128i *)p);
		__m128i before = _mm_loadu_si128((const __m128i *)(p - 1));
		__m128i after = _mm_loadu_si128((const __m128i *)(p + 1));
		__m128i hit = _mm_and_si128(_mm_cmpeq_epi8(at, _mm_set1_epi8('=')),
					    _mm_and_si128(_mm_cmpeq_epi8(before, _mm_set1_epi8('n')),
							  _mm_cmpeq_epi8(after, _mm_set1_epi8('"'))));
		for (unsigned m = (unsigned)_mm_movemask_epi8(hit); m; m &= m - 1)
			align_at(p + __builtin_ctz(m));
	}
#endif
	for (; p < end - 1 && (p = memchr(p, '=', (size_t)(end - 1 - p))); p++)
		align_at(p);
}

/* cmark's HTML of md (safe mode, GFM tables), NUL-terminated in the arena. */
static char *cmark_html(const char *md, size_t n, Arena *arena)
{
	cmark_mem mem = {md_calloc, md_realloc, md_free};
	md_arena = arena;
	cmark_parser *parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, &mem);
	cmark_syntax_extension *table = cmark_find_syntax_extension("table");
	if (table)
		cmark_parser_attach_syntax_extension(parser, table);
	cmark_parser_feed(parser, md, n);
	cmark_node *doc = cmark_parser_finish(parser);
	char *html = cmark_render_html_with_mem(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser), &mem);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return html;
}

void md_heading_text(const char *text, size_t n, Buf *out)
{
	Buf md = {0};
	buf_puts(&md, "# ");
	buf_put(&md, text, n);
	cmark_node *doc = cmark_parse_document(md.p, md.len, CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (ev == CMARK_EVENT_ENTER && (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE))
			buf_puts(out, cmark_node_get_literal(node));
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	buf_free(&md);
}

void md_html(const char *md, size_t n, Arena *arena, Buf *out)
{
	buf_puts(out, cmark_html(md, n, arena));
}

void md_render(const char *md, size_t n, const RawStash *raws, Arena *arena, Buf *out)
{
	size_t at = out->len;
	put_back(out, cmark_html(md, n, arena), raws);
	if (out->len > at)
		md_align_classes(out->p + at, out->len - at);
}
