/* template.c — a small Mustache-style engine: variables, sections, inverted sections,
 * partials, comments, set delimiters and formatting filters, with every data value escaped. */
#include "c360.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistr.h>

/* ---- values: the data a page is made of */

Value *v_str(Arena *a, const char *s, size_t n)
{
	Value *v = v_new(a, s ? V_STR : V_NULL);
	v->s = s ? arena_strndup(a, s, n) : NULL;
	v->n = s ? n : 0;
	return v;
}

Value *v_cstr(Arena *a, const char *s)
{
	return v_str(a, s, s ? strlen(s) : 0);
}

Value *v_raw(Arena *a, const char *s, size_t n)
{
	Value *v = v_str(a, s, n);
	v->kind = V_RAW;
	return v;
}

Value *v_raw_lent(Arena *a, const char *s, size_t n)
{
	Value *v = v_new(a, V_RAW);
	v->s = s, v->n = n;
	return v;
}

/* Lists and objects keep their items in arena arrays that double when full: the items, then
 * the keys, in one block. */
void v_grow(Arena *a, Value *v)
{
	size_t cap = v->cap ? v->cap * 2 : 8;
	Value **items = arena_alloc(a, cap * (sizeof *items + sizeof(const char *)));
	const char **keys = (const char **)(items + cap);
	if (v->n) {
		memcpy(items, v->items, v->n * sizeof *items);
		memcpy(keys, v->keys, v->n * sizeof *keys);
	}
	v->items = items, v->keys = keys, v->cap = cap;
}

/* key (NUL-terminated), whose first byte is name's, is name[0, n) (none if n is 0); names are
 * short: no call to strncmp */
static bool key_is(const char *key, const char *name, size_t n)
{
	size_t j = 1;
	while (j < n && key[j] == name[j])
		j++;
	return j == n && key[n] == '\0';
}

static const Value *v_get(const Value *obj, const char *key, size_t n)
{
	if (!obj || obj->kind != V_OBJ)
		return NULL;
	for (size_t i = obj->n; i-- > 0;)	/* the last one set wins */
		if (obj->keys[i][0] == key[0] && key_is(obj->keys[i], key, n))
			return obj->items[i];
	return NULL;
}

/* A thread's lookups remembered: where a tag's name (by its address in the template) is among an
 * object's keys, by the object's shape. An address is always looked up with one length (a tag's
 * first name part, or a part after a dot in it: a tag's name never starts after a dot), so the
 * address says the length. Keys are the program's own strings, never made at run time
 * (site_vars.c's shapes rely on it too), so objects of one shape hold the same keys in the
 * same order. A hit is checked against the object's key count and, when found, the key at its
 * place; templates freed (their names' addresses may come back) forget every thread's lookups. */
enum { MEMO_SIZE = 4096, MEMO_NONE = UINT32_MAX };

typedef struct {
	const char *name;
	uint64_t shape;
	const char *key;	/* the key found, NULL if none */
	uint32_t n, i;
} Memo;

static atomic_uint tpl_epoch = 1;
static _Thread_local Memo memo[MEMO_SIZE];
static _Thread_local unsigned memo_epoch;

static void memo_fresh(void)
{
	unsigned e = atomic_load_explicit(&tpl_epoch, memory_order_relaxed);
	if (memo_epoch != e) {
		memset(memo, 0, sizeof memo);
		memo_epoch = e;
	}
}

static inline __attribute__((always_inline)) const Value *v_get_memo(const Value *obj, const char *name, size_t n)
{
	if (!obj || obj->kind != V_OBJ)
		return NULL;
	uint64_t shape = v_shape(obj), h = shape ^ (uintptr_t)name * 0x9e3779b97f4a7c15u;
	Memo *m = &memo[(h ^ h >> 32) & (MEMO_SIZE - 1)];
	if (m->name == name && m->shape == shape && m->n == obj->n) {
		if (m->i == MEMO_NONE)
			return NULL;
		if (obj->keys[m->i] == m->key)
			return obj->items[m->i];
	}
	size_t i = obj->n;
	while (i-- > 0 && !(obj->keys[i][0] == name[0] && key_is(obj->keys[i], name, n)))
		;
	bool found = i < obj->n;
	if (obj->n < MEMO_NONE)
		*m = (Memo){name, shape, found ? obj->keys[i] : NULL, (uint32_t)obj->n, found ? (uint32_t)i : MEMO_NONE};
	return found ? obj->items[i] : NULL;
}

uint64_t v_shape_make(Value *obj)
{
	uint64_t shape = SHAPE_SEED;
	for (size_t i = 0; i < obj->n; i++)
		shape = shape_step(shape, obj->keys[i], obj->items[i]->kind);
	obj->shape = shape;	/* SHAPE_LAZY again by chance (one in 2^64): made again when read, the same */
	return shape;
}

const Value *v_find(const Value *obj, const char *key)
{
	return v_get(obj, key, strlen(key));
}

/* ---- formatting */

static const char *const filter_names[] = {"", "number", "money", "pct", "date", "day", "signed", "url", NULL};
#define N_FILTERS (sizeof filter_names / sizeof *filter_names - 1)
enum { F_NONE, F_NUMBER, F_MONEY, F_PCT, F_DATE, F_DAY, F_SIGNED, F_URL };

/* The text of a number, money, percentage, date or yes/no (v->kind V_INT to V_BOOL) with no
 * filter, before escaping: format_value's, inline where a page writes many (tpl_put_slot). */
static inline __attribute__((always_inline)) void format_scalar(Buf *b, const Value *v, const NumFormat *fmt)
{
	if (v->kind == V_BOOL)
		buf_puts(b, v->i ? "yes" : "no");
	else if (v->kind == V_DATE)
		fmt_date(b, v->i);
	else
		fmt_figure(b, fmt, v->kind == V_MONEY ? KV_MONEY : v->kind == V_PCT ? KV_PCT : KV_COUNT, v->i);
}

/* The text of a scalar, before escaping. */
static void format_value(Buf *b, const Value *v, int filter, const NumFormat *fmt)
{
	if (!v || v->kind == V_NULL || v->kind == V_LIST || v->kind == V_OBJ)
		return;
	if (v->kind == V_STR || v->kind == V_RAW) {
		if (v->kind == V_STR)
			esc_bidi(b, v->s, v->n);	/* closed before the mark of a value cut short */
		else
			buf_put(b, v->s, v->n);
		if (v->kind == V_STR && v->i) {
			buf_puts(b, " [… cut: ");
			fmt_figure(b, fmt, KV_COUNT, (int64_t)v->n);
			buf_puts(b, " of ");
			fmt_figure(b, fmt, KV_COUNT, v->i);
			buf_puts(b, " bytes]");
		}
		return;
	}
	if (filter == F_NONE) {
		format_scalar(b, v, fmt);
		return;
	}
	int64_t i = v->i;
	if (filter == F_SIGNED && i > 0)
		buf_putc(b, '+');
	int f = filter != F_NONE && filter != F_SIGNED ? filter
	      : v->kind == V_MONEY ? F_MONEY : v->kind == V_PCT ? F_PCT : v->kind == V_DATE ? F_DATE : F_NUMBER;
	if (f == F_DATE)
		fmt_date(b, i);
	else if (f == F_DAY)
		fmt_date_words(b, i);
	else
		fmt_figure(b, fmt, f == F_MONEY ? KV_MONEY : f == F_PCT ? KV_PCT : KV_COUNT, i);
}

/* ---- parsing */

typedef enum { N_TEXT, N_VAR, N_RAW_VAR, N_SECTION, N_INVERTED, N_PARTIAL } NodeKind;

struct TplNode {
	NodeKind kind;
	bool plain;		/* a name without a dot (not ".") */
	bool amp;		/* a raw variable written {{&name}}, not {{{name}}} */
	bool url;		/* in an HTML template, a value that starts a link's address (html_node) */
	const char *text;	/* text, or the tag's name */
	size_t len;
	size_t first;		/* the length of the name's first part (before a dot) */
	int filter;
	uint32_t line, col;
	const char *indent;	/* a standalone partial: the blanks before it, put before each of its lines */
	size_t indent_len;
	struct TplNode *kids;	/* sections: their contents */
	size_t nkids, capkids;
};

struct Template {
	char *name, *src;
	struct TplNode root;
	bool html;		/* an HTML template, its values' contexts checked (html_nodes) */
	bool html_whole;	/* ... and it ends in text, outside any tag: a partial an HTML template may take */
};

typedef struct {
	const char *name, *s, *end, *p;
	Buf *err;
	Str otag, ctag;		/* the delimiters in force: {{ and }} until a {{=<% %>=}} tag sets others */
	const char *seen;	/* where() counted up to here: tags come in order, so it counts on from */
	uint32_t line, col;	/* there (from the start each time, 40,000 tags took 26 s) */
} Parser;

static void where(Parser *ps, const char *at, uint32_t *line, uint32_t *col)
{
	if (!ps->seen || at < ps->seen)
		ps->seen = ps->s, ps->line = 1, ps->col = 1;
	for (const char *q = ps->seen; q < at; q++)
		*q == '\n' ? ps->line++, ps->col = 1 : ps->col++;
	ps->seen = at;
	*line = ps->line, *col = ps->col;
}

static bool parse_error(Parser *ps, const char *at, const char *msg, const char *arg, size_t n)
{
	uint32_t line, col;
	where(ps, at, &line, &col);
	buf_printf(ps->err, "%s:%u:%u: error: %s%s%.*s\n", ps->name, line, col, msg, arg ? ": " : "", (int)n,
		   arg ? arg : "");
	return false;
}

static struct TplNode *add_node(struct TplNode *parent, NodeKind kind, const char *text, size_t len)
{
	if (parent->nkids == parent->capkids) {
		parent->capkids = parent->capkids ? parent->capkids * 2 : 8;
		parent->kids = xrealloc(parent->kids, parent->capkids * sizeof *parent->kids);
	}
	struct TplNode *n = &parent->kids[parent->nkids++];
	memset(n, 0, sizeof *n);
	n->kind = kind, n->text = text, n->len = len;
	return n;
}

static bool is_blank_char(char c)
{
	return c == ' ' || c == '\t';
}

/* A section, comment or partial tag alone on its line takes the line with it; returns the
 * blanks that stood before it (the indentation of a partial), or NULL if it is not alone. */
static const char *standalone(const Parser *ps, const char *open, const char **after, struct TplNode *parent)
{
	const char *ls = open, *le = *after;
	while (ls > ps->s && is_blank_char(ls[-1]))
		ls--;
	if (ls > ps->s && ls[-1] != '\n')
		return NULL;
	while (le < ps->end && is_blank_char(*le))
		le++;
	if (le < ps->end && *le == '\r')
		le++;
	if (le < ps->end && *le != '\n')
		return NULL;
	if (le < ps->end)
		le++;
	struct TplNode *prev = parent->nkids ? &parent->kids[parent->nkids - 1] : NULL;
	if (prev && prev->kind == N_TEXT && prev->text + prev->len == open)
		prev->len -= (size_t)(open - ls);	/* the indentation before the tag */
	*after = le;
	return ls;
}

/* Mustache features c360 leaves out are errors, never text that renders as nothing. */
static const char *unsupported(char sigil, Str name)
{
	if (sigil == '$' || sigil == '<')
		return "template inheritance (blocks and parents) is not supported";
	if (sigil == '>' && name.n && name.p[0] == '*')
		return "dynamic partial names are not supported";
	return NULL;
}

static bool parse_nodes(Parser *ps, struct TplNode *parent, const char *closing, size_t closing_len,
			const char *opened, int depth);

/* The first tag at or after from: where it opens, or ps->end. */
static const char *find_tag(const Parser *ps, const char *from)
{
	const char *at = memmem(from, (size_t)(ps->end - from), ps->otag.p, ps->otag.n);
	return at ? at : ps->end;
}

/* The first closing delimiter at or after from that has the byte before (if not '\0') just
 * before it: there, the byte before's place; NULL if none. ("}" closes a triple mustache, "="
 * a set-delimiter tag.) */
static const char *find_close(const Parser *ps, const char *from, char before)
{
	const char *p = from + (before != '\0');
	while (p < ps->end) {
		const char *at = memmem(p, (size_t)(ps->end - p), ps->ctag.p, ps->ctag.n);
		if (!at || !before)
			return at;
		if (at[-1] == before && at - 1 > from)
			return at - 1;
		p = at + 1;
	}
	return NULL;
}

/* {{=<% %>=}}: the delimiters between the ='s (two words with no blank or = in them) are the
 * ones in force from here to the end of the template (not in its partials, which start with
 * {{ and }}). */
static bool set_delimiters(Parser *ps, const char *open, Str inner)
{
	Str d = str_trim(inner);
	size_t k = 0;
	while (k < d.n && !str_space(d.p[k]))
		k++;
	Str otag = str_make(d.p, k), ctag = str_trim(str_make(d.p + k, d.n - k));
	bool ok = otag.n && ctag.n && !memchr(otag.p, '=', otag.n) && !memchr(ctag.p, '=', ctag.n);
	for (size_t i = 0; ok && i < ctag.n; i++)
		ok = !str_space(ctag.p[i]);
	if (!ok)
		return parse_error(ps, open, "a set-delimiter tag takes two delimiters with no blank or = in them, "
					     "e.g. {{=<% %>=}}", inner.p, inner.n);
	ps->otag = otag, ps->ctag = ctag;
	return true;
}

/* closing: the name of the section open (closing_len bytes; NULL: none), opened: its tag */
static bool parse_tag(Parser *ps, struct TplNode *parent, const char *open, int depth, bool *closed,
		      const char *closing, size_t closing_len, const char *opened)
{
	const char *q = open + ps->otag.n;
	bool triple = q < ps->end && *q == '{';
	char sigil = triple ? '{' : q < ps->end ? *q : '\0';
	bool marked = triple || (sigil && strchr("#^/!>&=$<", sigil));
	/* the closing delimiter is looked for after the sigil: with % and > as the delimiters, the
	 * first > of %>p> is a partial's sigil, not the tag's end (find_close steps over { and =) */
	const char *close = find_close(ps, q + (marked && !triple && sigil != '='), triple ? '}' : sigil == '=' ? '=' : '\0');
	if (!close)
		return parse_error(ps, open, "unclosed tag", NULL, 0);
	q += marked;
	const char *after = close + (triple || sigil == '=' ? 1 : 0) + ps->ctag.n;
	Str name = str_trim(str_make(q, (size_t)(close - q)));
	const char *why = triple ? NULL : unsupported(sigil, name);
	if (why)
		return parse_error(ps, open, why, NULL, 0);
	if (sigil == '=') {
		if (!set_delimiters(ps, open, str_make(q, (size_t)(close - q))))
			return false;
		standalone(ps, open, &after, parent);
		ps->p = after;
		return true;
	}
	int filter = F_NONE;
	const char *bar = memchr(name.p, '|', name.n);
	if (bar && sigil != '!') {
		Str f = str_trim(str_make(bar + 1, name.n - (size_t)(bar + 1 - name.p)));
		for (filter = 1; filter_names[filter] && !str_eq(f, filter_names[filter]); filter++)
			;
		if (!filter_names[filter]) {	/* the nearest, or those there are */
			const char *near = nearest_word(f.p, f.n, filter_names + 1, N_FILTERS - 1);
			Buf why = {0};
			buf_printf(&why, "%.*s; ", (int)f.n, f.p);
			if (near)
				buf_printf(&why, "did you mean %s?", near);
			for (int k = 1; !near && filter_names[k]; k++)
				buf_printf(&why, "%s%s", k > 1 ? ", " : "the filters are: ", filter_names[k]);
			parse_error(ps, bar, "unknown filter", why.p, why.len);
			buf_free(&why);
			return false;
		}
		name = str_trim(str_make(name.p, (size_t)(bar - name.p)));
	}
	if (sigil != '!' && name.n == 0)
		return parse_error(ps, open, "empty tag", NULL, 0);
	const char *indent = strchr("#^/!>", sigil) && !triple ? standalone(ps, open, &after, parent) : NULL;
	ps->p = after;
	if (sigil == '!' && !triple)
		return true;
	if (sigil == '/' && !triple) {
		if (!closing)
			return parse_error(ps, open, "closing a section that is not open", name.p, name.n);
		if (closing_len != name.n || memcmp(closing, name.p, name.n) != 0) {
			/* the section left open, and where: {{/cards}} with {{#known}} open inside it
			 * (a typo, {{/kpi}} for {{/kpis}}, too) is that section's end missing */
			uint32_t line, col;
			where(ps, opened, &line, &col);
			Buf why = {0};
			buf_printf(&why, "closing %.*s, but the section open here is %.*s, opened at %u:%u (its end: {{/%.*s}})",
				   (int)name.n, name.p, (int)closing_len, closing, line, col, (int)closing_len, closing);
			parse_error(ps, open, buf_cstr(&why), NULL, 0);
			buf_free(&why);
			return false;
		}
		*closed = true;
		return true;
	}
	NodeKind kind = triple || sigil == '&' ? N_RAW_VAR : sigil == '#' ? N_SECTION : sigil == '^' ? N_INVERTED
		      : sigil == '>' ? N_PARTIAL : N_VAR;
	struct TplNode *n = add_node(parent, kind, name.p, name.n);
	const char *dot = memchr(name.p, '.', name.n);
	n->first = dot && name.n > 1 ? (size_t)(dot - name.p) : name.n;
	n->plain = !dot;
	n->amp = !triple && sigil == '&';
	n->filter = filter;
	where(ps, open, &n->line, &n->col);
	if (kind == N_PARTIAL && indent)
		n->indent = indent, n->indent_len = (size_t)(open - indent);
	if (kind != N_SECTION && kind != N_INVERTED)
		return true;
	if (depth > 32)
		return parse_error(ps, open, "sections nested too deep", NULL, 0);
	struct TplNode inner = {0};
	bool ok = parse_nodes(ps, &inner, name.p, name.n, open, depth + 1);
	n = &parent->kids[parent->nkids - 1];	/* parse_nodes may not move parent, but be sure */
	n->kids = inner.kids, n->nkids = inner.nkids, n->capkids = inner.capkids;
	if (ok && ps->p == NULL)
		return parse_error(ps, open, "section never closed", name.p, name.n);
	return ok;
}

/* Parses until the end, or until the closing tag of `closing` (ps->p NULL if not found). */
static bool parse_nodes(Parser *ps, struct TplNode *parent, const char *closing, size_t closing_len,
			const char *opened, int depth)
{
	while (ps->p < ps->end) {
		const char *open = find_tag(ps, ps->p);
		if (open > ps->p)
			add_node(parent, N_TEXT, ps->p, (size_t)(open - ps->p));
		if (open == ps->end)
			break;
		bool closed = false;
		if (!parse_tag(ps, parent, open, depth, &closed, closing, closing_len, opened))
			return false;
		if (closed)
			return true;
	}
	if (closing)
		ps->p = NULL;
	return true;
}

/* ---- an HTML template's contexts: where each value goes (a text, an attribute's value), so
 * that it is escaped for that place, or the template refused where no escaping would do.
 * esc_html makes a value text in a text or in a quoted attribute's value. Not in an attribute
 * without quotes (a space ends it: href={{x}} lets x add attributes), between a tag's attributes,
 * in an event handler, a style or a srcdoc (JavaScript, CSS, a document), in a <script> or
 * <style>: those are errors, and so is a partial that is not an HTML template ending in text
 * (Template.html_whole: its places were never seen). A value that starts a link's address
 * (href, src, action, ...) is a link only with no scheme or http, https or mailto:
 * javascript:alert(1) becomes "#" (url_safe). The states follow the template as if each section
 * were written once, and a section must end where it starts (between attributes counts as one
 * place). */

typedef enum { H_TEXT, H_TAG_OPEN, H_TAG_NAME, H_IN_TAG, H_ATTR_NAME, H_AFTER_NAME, H_BEFORE_VALUE, H_VALUE_DQ,
	       H_VALUE_SQ, H_VALUE_UQ, H_COMMENT, H_RAW } HtmlState;

typedef struct {
	HtmlState st;
	char tag[16], attr[16];	/* lower-cased, cut: the tag's and the attribute's names */
	size_t ntag, nattr;
	bool closing;		/* </tag> */
	bool empty;		/* the attribute's value so far has only blanks (or maybe: after a value or a
				 * section, which may write nothing) */
	int comment;		/* after <!: 1 after <!-, 2 in <!-- (ends at -->, --!>), 3 in <!x (ends at >) */
	size_t run;		/* a comment's '-' just before; in a <script> or <style>, how much of </name */
	size_t in;		/* bytes of the <!-- comment so far: <!--> and <!---> end it at once */
	bool bang;		/* a comment's -- then ! just before */
	bool ref;		/* in a character reference (&...;) of an attribute's value */
	char last[8];		/* a <script>'s last 7 bytes, lower-cased, oldest first */
	bool escaped;		/* in a <script>, after a <!-- not yet ended by --> */
	bool nested;		/* a <script after such a <!--: the browser's "double escaped" text, which a
				 * </script> does not end (its value would be script): refused */
} Html;

/* The first 15 bytes of a name, lower-cased: enough for every name looked at, and for the "on"
 * of an event handler's, however long (oncontentvisibilityautostatechange). */
static void name_add(char *name, size_t *n, char c)
{
	if (*n < 15)
		name[(*n)++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c), name[*n] = '\0';
}

static bool html_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The tag just opened ends (>): a <script> or <style>'s text follows. */
static void html_tag_end(Html *h)
{
	bool raw = !h->closing && (strcmp(h->tag, "script") == 0 || strcmp(h->tag, "style") == 0);
	h->st = raw ? H_RAW : H_TEXT, h->run = 0;
	memset(h->last, 0, sizeof h->last), h->escaped = false;
}

/* A <script>'s text, as a browser reads it (WHATWG "script data escaped" states): a <!-- there
 * opens a run that --> ends, and in it a <script (then a blank, / or >) makes the next </script>
 * no end: h->nested says so. */
static void script_step(Html *h, char c)
{
	if (h->escaped && strcmp(h->last, "<script") == 0 && (html_space(c) || c == '/' || c == '>'))
		h->nested = true;
	memmove(h->last, h->last + 1, 6);
	h->last[6] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c), h->last[7] = '\0';
	if (strcmp(h->last + 3, "<!--") == 0)
		h->escaped = true;
	else if (strcmp(h->last + 4, "-->") == 0)
		h->escaped = false;
}

static void html_step(Html *h, char c)
{
	switch (h->st) {
	case H_TEXT:
		if (c == '<')
			h->st = H_TAG_OPEN, h->ntag = 0, h->tag[0] = '\0', h->closing = false;
		break;
	case H_TAG_OPEN:
		if (c == '/' && !h->closing)
			h->closing = true;
		else if (c == '!')
			h->st = H_COMMENT, h->comment = 0, h->run = 0;
		else if ((c | 32) >= 'a' && (c | 32) <= 'z')
			h->st = H_TAG_NAME, name_add(h->tag, &h->ntag, c);
		else
			h->st = H_TEXT;
		break;
	case H_TAG_NAME:
		if (c == '>')
			html_tag_end(h);
		else if (html_space(c) || c == '/')
			h->st = H_IN_TAG;
		else
			name_add(h->tag, &h->ntag, c);
		break;
	case H_IN_TAG:
	case H_AFTER_NAME:
		if (c == '>')
			html_tag_end(h);
		else if (c == '=' && h->st == H_AFTER_NAME)
			h->st = H_BEFORE_VALUE;
		else if (!html_space(c) && c != '/')
			h->st = H_ATTR_NAME, h->nattr = 0, h->attr[0] = '\0', name_add(h->attr, &h->nattr, c);
		break;
	case H_ATTR_NAME:
		if (c == '>')
			html_tag_end(h);
		else if (c == '=')
			h->st = H_BEFORE_VALUE;
		else if (html_space(c) || c == '/')
			h->st = H_AFTER_NAME;
		else
			name_add(h->attr, &h->nattr, c);
		break;
	case H_BEFORE_VALUE:
		h->empty = true, h->ref = false;
		if (c == '"')
			h->st = H_VALUE_DQ;
		else if (c == '\'')
			h->st = H_VALUE_SQ;
		else if (c == '>')
			html_tag_end(h);
		else if (!html_space(c))
			h->st = H_VALUE_UQ, h->empty = false;
		break;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (c == (h->st == H_VALUE_DQ ? '"' : '\''))
			h->st = H_IN_TAG, h->ref = false;
		else if (c == '&')	/* &#x20; or &Tab; is a blank too: none is taken for text */
			h->ref = true;
		else if (h->ref)
			h->ref = ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9') || c == '#';
		else if ((unsigned char)c > ' ')	/* a browser skips the blanks before an address */
			h->empty = false;
		break;
	case H_VALUE_UQ:
		if (c == '>')
			html_tag_end(h);
		else if (html_space(c))
			h->st = H_IN_TAG;
		break;
	case H_COMMENT:	/* <!-- up to -->, --!>, or at once (<!-->, <!--->); <!DOCTYPE or another <! up to > */
		if (h->comment == 2) {
			if (c == '>' && (h->run >= 2 || h->bang || h->in == h->run))
				h->st = H_TEXT;
			h->bang = c == '!' && h->run >= 2;
			h->run = c == '-' ? h->run + 1 : 0;
			h->in++;
		} else if (c == '>') {
			h->st = H_TEXT;
		} else {
			h->comment = c == '-' && h->comment < 2 ? h->comment + 1 : 3;
			h->run = 0, h->in = 0, h->bang = false;
		}
		break;
	case H_RAW: {	/* up to </script or </style, in any case */
		if (strcmp(h->tag, "script") == 0)
			script_step(h, c);
		char want = h->run == 0 ? '<' : h->run == 1 ? '/' : h->tag[h->run - 2];
		h->run = (h->run < 2 ? c : (char)(c | 32)) == want ? h->run + 1 : c == '<';
		if (h->run == h->ntag + 2)
			h->st = H_TAG_NAME, h->closing = true, h->run = 0;
		break;
	}
	}
}

/* An attribute whose value is a link's address. */
static bool url_attribute(const char *a)
{
	static const char *const names[] = {"href", "src", "action", "formaction", "cite", "poster", "background",
					    "data", "srcset", "xlink:href", "manifest", "ping", "to", "from", "by",
					    "values", NULL};	/* the last four: SVG's <set>/<animate> of an href */
	for (int i = 0; names[i]; i++)
		if (strcmp(a, names[i]) == 0)
			return true;
	return false;
}

static bool html_nodes(Parser *ps, Html *h, struct TplNode *kids, size_t n);

/* A state, with those between a tag's attributes as one: <li{{#x}} class="a"{{/x}}> ends the
 * section after an attribute or after the tag's name, <input{{#x}} checked{{/x}}> in an
 * attribute's name or after the tag's (then a blank, / or > must follow, whichever it is). */
static HtmlState between(HtmlState st)
{
	return st == H_TAG_NAME || st == H_AFTER_NAME || st == H_ATTR_NAME ? H_IN_TAG : st;
}

static bool in_name(HtmlState st)
{
	return st == H_TAG_NAME || st == H_ATTR_NAME;
}

/* Where node n stands in h: its value's context, or an error. next: the node after it among its
 * siblings (NULL: none). */
static bool html_node(Parser *ps, Html *h, struct TplNode *n, const struct TplNode *next)
{
	if (n->kind == N_TEXT) {
		for (size_t i = 0; i < n->len; i++) {
			html_step(h, n->text[i]);
			if (h->nested)	/* what follows the </script> would be script, a value there too */
				return parse_error(ps, n->text + i, "a <script inside a <!-- in a <script> (a browser reads on "
						   "past the </script> after it as script): end the comment with --> before it",
						   NULL, 0);
		}
		return true;
	}
	const char *why = NULL;
	if (n->kind == N_SECTION || n->kind == N_INVERTED) {
		Html before = *h;
		if (!html_nodes(ps, h, n->kids, n->nkids))
			return false;
		bool in_tag = h->st != H_TEXT && h->st != H_COMMENT, in_value = h->st == H_VALUE_DQ || h->st == H_VALUE_SQ;
		if (between(h->st) != between(before.st) || (in_tag && strcmp(h->tag, before.tag) != 0) ||
		    (in_value && strcmp(h->attr, before.attr) != 0))
			why = "a section that ends elsewhere in the HTML than it starts (in another tag or attribute)";
		else if (h->st != before.st && (in_name(h->st) || in_name(before.st)) &&
			 !(next && next->kind == N_TEXT && (next->text[0] == '>' || next->text[0] == '/' || html_space(next->text[0]))))
			why = "a section that may end a tag's or an attribute's name: follow it with a space, / or >";
		h->empty = h->empty || before.empty;	/* the section may be left out */
	} else if (n->kind == N_PARTIAL) {
		if (h->st != H_TEXT)
			why = "a partial inside a tag";
	} else if (n->kind == N_RAW_VAR) {
		if (h->st != H_TEXT)	/* its quotes or --> would end the attribute or the comment */
			why = "an HTML value ({{{name}}} or {{&name}}) outside text: c360's HTML goes between tags only";
	} else if (n->kind == N_VAR) {
		bool value = h->st == H_VALUE_DQ || h->st == H_VALUE_SQ;
		if (h->st == H_RAW)
			why = "a value in a <script> or <style> (c360 escapes for HTML, not for JavaScript or CSS)";
		else if (h->st == H_BEFORE_VALUE || h->st == H_VALUE_UQ)
			why = "a value in an attribute without quotes (a space would end it): put the value in double quotes";
		else if (h->st != H_TEXT && h->st != H_COMMENT && !value)
			why = "a value inside a tag, not in an attribute's quoted value";
		else if (value && (strncmp(h->attr, "on", 2) == 0 || strcmp(h->attr, "style") == 0 || strcmp(h->attr, "srcdoc") == 0))
			why = "a value in an event handler, a style or a srcdoc (c360 escapes for HTML text, not for JavaScript, "
			      "CSS or a document)";
		n->url = value && h->empty && url_attribute(h->attr);	/* a value may be empty: the next one may */
	}								/* start the address as well */
	if (why) {
		buf_printf(ps->err, "%s:%u:%u: error: %s\n", ps->name, n->line, n->col, why);
		return false;
	}
	return true;
}

static bool html_nodes(Parser *ps, Html *h, struct TplNode *kids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!html_node(ps, h, &kids[i], i + 1 < n ? &kids[i + 1] : NULL))
			return false;
	return true;
}

Template *tpl_parse(const char *name, const char *src, size_t len, Buf *err)
{
	if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0)	/* Notepad's byte-order mark: no text of the page */
		src += 3, len -= 3;
	Template *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->src = xmalloc(len + 1);
	memcpy(t->src, src, len);
	t->src[len] = '\0';
	Parser ps = {.name = t->name, .s = t->src, .end = t->src + len, .p = t->src, .err = err, .otag = str_make("{{", 2),
		     .ctag = str_make("}}", 2)};
	const char *nul = memchr(t->src, '\0', len), *bad = (const char *)u8_check((const uint8_t *)t->src, len);
	if (nul || bad) {	/* what follows a NUL was left out, and bytes not UTF-8 went into pages as they were */
		char byte[8] = "";
		if (!nul)
			snprintf(byte, sizeof byte, "0x%02x", (unsigned char)*bad);
		parse_error(&ps, nul ? nul : bad, nul ? "a NUL byte; a template is text" : "a byte that is not UTF-8 (save the "
			    "template as UTF-8)", nul ? NULL : byte, strlen(byte));
		tpl_free(t);
		return NULL;
	}
	size_t nlen = strlen(name);
	Html h = {.st = H_TEXT};
	t->html = nlen >= 5 && strcmp(name + nlen - 5, ".html") == 0;
	if (!parse_nodes(&ps, &t->root, NULL, 0, NULL, 0) || (t->html && !html_nodes(&ps, &h, t->root.kids, t->root.nkids))) {
		tpl_free(t);
		return NULL;
	}
	t->html_whole = t->html && h.st == H_TEXT;
	return t;
}

bool tpl_source_is(const Template *t, const char *src)
{
	return t && strcmp(t->src, src) == 0;
}

static void free_nodes(struct TplNode *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		free_nodes(&n->kids[i]);
	free(n->kids);
}

void tpl_free(Template *t)
{
	if (!t)
		return;
	free_nodes(&t->root);
	free(t->name);
	free(t->src);
	free(t);
	atomic_fetch_add_explicit(&tpl_epoch, 1, memory_order_relaxed);
}

/* ---- rendering */

typedef struct Frame {
	const Value *v;
	const struct Frame *up;
} Frame;

typedef struct {
	TplEscape esc;
	const TplSet *partials;
	RawStash *raws;
	const NumFormat *fmt;
	const char *name;	/* the template being rendered, for messages */
	bool html;		/* ... an HTML template: a partial it takes must be one, whole (Template.html_whole) */
	const char *at;		/* the template of the last tag rendered, and where the tag is */
	uint32_t line, col;
	Buf *out, *err;
	Buf scratch;
	int depth;
	size_t max, limit;	/* out may grow by max bytes: up to this length */
	size_t steps;		/* tags and texts rendered: at most max, within [STEPS_MIN, STEPS_MAX] */
	bool over;		/* it did, or the steps did: rendering stops */
	Buf indent;		/* the indentation of the standalone partials being rendered */
	bool line_start;	/* out is at the start of a line of a partial */
	Slots *slots;		/* values kept apart from the Markdown (tpl_render_slots) */
	bool figures_plain;	/* HTML, and the format's separators and currency hold nothing esc_html replaces */
	const size_t *kept;	/* how many bytes of them: slots->text.len, or 0 */
} Render;

/* Mustache lookup: the first name part in the nearest frame that has it, then down. */
static inline __attribute__((always_inline)) const Value *lookup_first(const Frame *f, const struct TplNode *node)
{
	const Value *v = NULL;
	for (; f && !v; f = f->up)
		v = v_get_memo(f->v, node->text, node->first);
	return v;
}

/* "." (the current item), and a dotted name: its other parts, each in the value before it. */
static __attribute__((noinline)) const Value *lookup_dotted(const Frame *f, const struct TplNode *node)
{
	const char *name = node->text, *dot = name + node->first;
	size_t n = node->len;
	if (n == 1)
		return f ? f->v : NULL;
	const Value *v = lookup_first(f, node);
	while (v && dot) {
		const char *part = dot + 1;
		dot = memchr(part, '.', n - (size_t)(part - name));
		v = v_get_memo(v, part, dot ? (size_t)(dot - part) : n - (size_t)(part - name));
	}
	return v;
}

static inline __attribute__((always_inline)) const Value *lookup(const Frame *f, const struct TplNode *node)
{
	return node->plain ? lookup_first(f, node) : lookup_dotted(f, node);
}

/* A partial's indentation, where one of its lines starts. */
static void put_indent(Render *r)
{
	if (r->line_start && r->indent.len)
		buf_put(r->out, r->indent.p, r->indent.len);
	r->line_start = false;
}

/* The template's own text: inside an indented partial, each line gets the indentation. */
static void put_text(Render *r, const char *s, size_t n)
{
	if (!r->indent.len) {
		buf_put(r->out, s, n);
		return;
	}
	while (n) {
		put_indent(r);
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		buf_put(r->out, s, k);
		s += k, n -= k;
		r->line_start = nl != NULL;
	}
}

/* s (NUL-terminated) is as esc_html writes it. */
static bool html_plain(const char *s)
{
	return !s[strcspn(s, "&<>\"'")];
}

/* A number, money, percentage, yes/no or date (v->kind V_INT to V_BOOL) as format_value writes it
 * holds only digits, signs, the format's separators and currency, letters, spaces and commas
 * ("Mar 4, 2024"): nothing esc_html replaces, with a date of the years 1 to 9999 (date_format
 * writes a year out of them with other bytes). */
enum { DAY_1_1_1 = -719162, DAY_9999_12_31 = 2932896 };	/* days since 1970-01-01 */
static inline bool figure_plain(const Value *v, int filter)
{
	if (filter == F_URL)
		return false;
	int f = filter != F_NONE && filter != F_SIGNED ? filter : v->kind == V_DATE ? F_DATE : F_NUMBER;
	return (v->kind == V_BOOL && filter == F_NONE) || (f != F_DATE && f != F_DAY) ||
	       (v->i >= DAY_1_1_1 && v->i <= DAY_9999_12_31);
}

/* A raw value ({{{name}}}) in Markdown: kept in the stash, its placeholder written. */
static void raw_put(RawStash *st, Buf *out, const Value *v)
{
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 8;
		st->s = xrealloc(st->s, st->cap * sizeof *st->s);
		st->len = xrealloc(st->len, st->cap * sizeof *st->len);
		st->aligned = xrealloc(st->aligned, st->cap * sizeof *st->aligned);
	}
	st->s[st->n] = v->s, st->len[st->n] = v->n, st->aligned[st->n] = v->aligned;
	buf_putc(out, '\x02');
	buf_int(out, (int64_t)st->n++);
	buf_putc(out, '\x03');
}

/* A value's text before escaping: a text as it is (no copy), else formatted into scratch. */
static Str value_text(Buf *scratch, const Value *v, int filter, const NumFormat *fmt)
{
	if (v && v->kind == V_STR && !v->i && filter != F_URL)
		return str_make(v->s, v->n);
	scratch->len = 0;
	if (filter == F_URL) {
		Buf t = {0};
		format_value(&t, v, F_NONE, fmt);
		esc_url(scratch, t.p ? t.p : "", t.len);
		buf_free(&t);
	} else {
		format_value(scratch, v, filter, fmt);
	}
	return str_make(scratch->p ? scratch->p : "", scratch->len);
}

/* The text of a value that starts a link's address is one a browser takes for a link: no scheme
 * (a /, ? or # before any :, or no : at all: a relative address), or http, https or mailto. A
 * browser reads the scheme after any blank or control characters and with the tabs and line ends
 * in it left out (WHATWG URL), so "  java\tscript:" is javascript:; anything else before the : that
 * is not those letters (a bidirectional control esc_html leaves out, an entity's &, which
 * esc_html writes &amp;) makes it no link either: "#". */
static bool url_safe(const char *s, size_t n)
{
	char scheme[7];
	size_t k = 0, i = 0;
	while (i < n && (unsigned char)s[i] <= ' ')
		i++;
	for (; i < n && s[i] != ':'; i++) {
		char c = s[i];
		if (c == '/' || c == '?' || c == '#')
			return true;	/* a relative address */
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (k < sizeof scheme)
			scheme[k] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
		k++;
	}
	if (i == n)
		return true;
	return (k == 4 && memcmp(scheme, "http", 4) == 0) || (k == 5 && memcmp(scheme, "https", 5) == 0) ||
	       (k == 6 && memcmp(scheme, "mailto", 6) == 0);
}

static void emit(Render *r, const Value *v, int filter, bool raw, bool url)
{
	put_indent(r);
	if (raw && v && v->kind == V_RAW && filter == F_NONE) {	/* only text c360 made is ever raw */
		if (r->esc == ESC_HTML)
			buf_put(r->out, v->s, v->n);
		else if (r->raws)
			raw_put(r->raws, r->out, v);
		return;
	}
	if (r->figures_plain && v && v->kind >= V_INT && v->kind <= V_BOOL && figure_plain(v, filter)) {
		format_value(r->out, v, filter, r->fmt);	/* nothing to escape: no copy, no scan */
		return;
	}
	Str text = value_text(&r->scratch, v, filter, r->fmt);
	if (url && !url_safe(text.p, text.n))
		text = str_make("#", 1);	/* javascript:, data:, ...: no link */
	if (r->slots)
		slot_put(r->slots, r->out, text.p, text.n);
	else if (r->esc == ESC_MARKDOWN)
		esc_markdown(r->out, text.p, text.n);
	else
		esc_html(r->out, text.p, text.n);
}

/* v as a tag {{name}} (raw: {{{name}}}) in a Markdown template rendered with slots (tpl_render_slots)
 * writes it: emit's way, for code that writes a template's output itself (customer_md_slots). */
void tpl_put_slot(Buf *md, Slots *slots, RawStash *raws, const Value *v, bool raw, const NumFormat *fmt)
{
	if (raw && v && v->kind == V_RAW) {
		if (raws)
			raw_put(raws, md, v);
		return;
	}
	if (v && v->kind == V_STR && !v->i) {
		slot_put(slots, md, v->s, v->n);
		return;
	}
	size_t from = slots->text.len;	/* formatted where the slot keeps it, not in scratch and then copied */
	if (v && v->kind >= V_INT && v->kind <= V_BOOL)
		format_scalar(&slots->text, v, fmt ? fmt : &fmt_plain);
	else
		format_value(&slots->text, v, F_NONE, fmt ? fmt : &fmt_plain);
	if (slots->text.len == from)
		return;		/* an empty value writes nothing, as slot_put */
	if (slots->n == slots->cap)
		slots_grow(slots);
	slots->at[slots->n] = md->len;
	buf_putc(md, 'Z');
	slots->end[slots->n++] = slots->text.len;
}

/* v as a tag {{name}} (or {{name|day}}) writes it into HTML: formatted, then escaped (emit's way:
 * for code that writes a template's output itself, activity_html). */
void tpl_put_html(Buf *out, Buf *scratch, const Value *v, bool day, const NumFormat *fmt)
{
	if (v && v->kind == V_STR && !v->i) {	/* text: the same with |day */
		if (v->plain)
			buf_put(out, v->s, v->n);
		else
			esc_html(out, v->s ? v->s : "", v->n);
		return;
	}
	if (v && v->kind == V_DATE && figure_plain(v, day ? F_DAY : F_NONE)) {	/* nothing to escape */
		if (day)
			fmt_date_words(out, v->i);
		else
			fmt_date(out, v->i);
		return;
	}
	scratch->len = 0;
	format_value(scratch, v, day ? F_DAY : F_NONE, fmt ? fmt : &fmt_plain);
	esc_html(out, scratch->p ? scratch->p : "", scratch->len);
}

static void render_nodes(Render *r, const struct TplNode *n, size_t count, const Frame *f);

static void render_node(Render *r, const struct TplNode *n, const Frame *f)
{
	const Value *v;
	if (n->kind != N_TEXT)
		r->at = r->name, r->line = n->line, r->col = n->col;
	switch (n->kind) {
	case N_TEXT:
		put_text(r, n->text, n->len);
		break;
	case N_VAR:
	case N_RAW_VAR:
		emit(r, lookup(f, n), n->filter, n->kind == N_RAW_VAR, n->url);
		break;
	case N_INVERTED:
		if (!v_truthy(lookup(f, n)))
			render_nodes(r, n->kids, n->nkids, f);
		break;
	case N_SECTION:
		v = lookup(f, n);
		if (!v_truthy(v))
			break;
		if (v->kind == V_LIST) {
			for (size_t i = 0; i < v->n; i++) {
				Frame inner = {v->items[i], f};
				render_nodes(r, n->kids, n->nkids, &inner);
			}
		} else {
			Frame inner = {v, f};
			render_nodes(r, n->kids, n->nkids, &inner);
		}
		break;
	case N_PARTIAL: {
		const Template *p = tpl_set_get(r->partials, n->text, n->len);
		if (!p || r->depth > 16) {
			buf_printf(r->err, "%s:%u:%u: error: %s partial: %.*s\n", r->name, n->line, n->col,
				   p ? "too deeply nested" : "no such", (int)n->len, n->text);
			break;
		}
		if (r->html && !p->html_whole) {	/* its values' places were never seen: unchecked */
			buf_printf(r->err, "%s:%u:%u: error: an HTML template's partial must be an HTML template (.html) "
					   "that ends outside any tag: %.*s\n", r->name, n->line, n->col, (int)n->len, n->text);
			r->over = true;
			break;
		}
		const char *caller = r->name;
		bool html = r->html;
		size_t indent = r->indent.len;
		if (n->indent) {	/* standalone: the partial starts a line, indented as the tag was */
			buf_put(&r->indent, n->indent, n->indent_len);
			r->line_start = true;
		}
		r->name = p->name, r->html = p->html;
		r->depth++;
		render_nodes(r, p->root.kids, p->root.nkids, f);
		r->depth--;
		r->name = caller, r->html = html;
		r->indent.len = indent;
		break;
	}
	}
}

#define STEPS_MIN (1u << 20)
#define STEPS_MAX (1u << 26)	/* page_max_bytes's most */

/* Renders nodes until the output (with the values kept apart) passes its limit, or the nodes
 * rendered pass as many as the page has bytes (partials or sections within each other that
 * write nothing would otherwise multiply without bound); then says where, once, and stops. */
static void render_nodes(Render *r, const struct TplNode *n, size_t count, const Frame *f)
{
	const size_t *len = &r->out->len, *kept = r->kept, limit = r->limit;	/* the same all the render */
	const size_t steps = r->max < STEPS_MIN ? STEPS_MIN : r->max > STEPS_MAX ? STEPS_MAX : r->max;
	for (size_t i = 0; i < count && !r->over; i++) {
		render_node(r, &n[i], f);
		if (*len + *kept > limit && !r->over) {
			r->over = true;
			buf_printf(r->err, "%s:%u:%u: error: the page passes %zu bytes; the data or the templates make "
					   "it too big (page_max_bytes in the configuration)\n",
				   r->at ? r->at : r->name, r->line, r->col, r->max);
		} else if (++r->steps > steps && !r->over) {
			r->over = true;
			buf_printf(r->err, "%s:%u:%u: error: the page takes more than %zu tags and texts to render; "
					   "partials or sections within each other multiply (page_max_bytes in the "
					   "configuration)\n",
				   r->at ? r->at : r->name, r->line, r->col, steps);
		}
	}
}

static bool render(const Template *t, const Value *data, TplEscape esc, const TplSet *partials, RawStash *raws,
		   const NumFormat *fmt, Buf *out, size_t max, Slots *slots, Buf *err)
{
	size_t errors = err->len, already = out->len + (slots ? slots->text.len : 0);
	Render r = {.esc = esc, .partials = partials, .raws = raws, .fmt = fmt ? fmt : &fmt_plain, .name = t->name,
		    .html = t->html, .line = 1, .col = 1, .out = out, .err = err, .max = max,
		    .limit = max > SIZE_MAX - already ? SIZE_MAX : already + max, .slots = slots};
	static const size_t none = 0;
	r.kept = slots ? &slots->text.len : &none;
	r.figures_plain = esc == ESC_HTML && !slots && html_plain(r.fmt->thousands) && html_plain(r.fmt->currency);
	Frame top = {data, NULL};
	memo_fresh();
	render_nodes(&r, t->root.kids, t->root.nkids, &top);
	buf_free(&r.scratch);
	buf_free(&r.indent);
	return err->len == errors;
}

bool tpl_render(const Template *t, const Value *data, TplEscape esc, const TplSet *partials, RawStash *raws,
		const NumFormat *fmt, Buf *out, size_t max, Buf *err)
{
	return render(t, data, esc, partials, raws, fmt, out, max, NULL, err);
}

bool tpl_render_slots(const Template *t, const Value *data, const TplSet *partials, RawStash *raws,
		      const NumFormat *fmt, Buf *out, size_t max, Slots *slots, Buf *err)
{
	return render(t, data, ESC_MARKDOWN, partials, raws, fmt, out, max, slots, err);
}

/* Whether a node anywhere under n names name (its first part), or is a partial. */
static bool names_or_partial(const struct TplNode *n, size_t count, const char *name, size_t len)
{
	for (size_t i = 0; i < count; i++)
		if (n[i].kind == N_PARTIAL || (n[i].kind != N_TEXT && n[i].first == len && memcmp(n[i].text, name, len) == 0) ||
		    names_or_partial(n[i].kids, n[i].nkids, name, len))
			return true;
	return false;
}

bool tpl_holes(const Template *t, const char *a, const char *b, size_t hole[2])
{
	const struct TplNode *n = t->root.kids;
	size_t count = t->root.nkids, la = strlen(a), lb = strlen(b), found = 0;
	for (size_t i = 0; i < count; i++) {
		NodeKind want = found == 0 ? N_VAR : N_RAW_VAR;
		const char *name = found == 0 ? a : found == 1 ? b : NULL;
		size_t len = found == 0 ? la : lb;
		if (name && n[i].kind == want && n[i].filter == F_NONE && n[i].len == len && memcmp(n[i].text, name, len) == 0)
			hole[found++] = i;
		else if (names_or_partial(&n[i], 1, a, la) || names_or_partial(&n[i], 1, b, lb))
			return false;
	}
	return found == 2;
}

bool tpl_render_top(const Template *t, size_t from, size_t to, const Value *data, const NumFormat *fmt, Buf *out,
		    Buf *err)
{
	size_t errors = err->len;
	Render r = {.esc = ESC_HTML, .fmt = fmt ? fmt : &fmt_plain, .name = t->name, .html = t->html, .line = 1, .col = 1,
		    .out = out, .err = err, .max = SIZE_MAX, .limit = SIZE_MAX};
	static const size_t none = 0;
	r.kept = &none;
	Frame top = {data, NULL};
	memo_fresh();
	to = to < t->root.nkids ? to : t->root.nkids;
	if (from < to)
		render_nodes(&r, t->root.kids + from, to - from, &top);
	buf_free(&r.scratch);
	return err->len == errors;
}

void raw_stash_free(RawStash *r)
{
	free(r->s);
	free(r->len);
	free(r->aligned);
	memset(r, 0, sizeof *r);
}

/* ---- checking a template against what its page has */

#define SCOPES 40

/* A partial checked (or being checked) with these variables in scope: included again with the
 * same, it is not checked again (partials including each other twice at each level would be
 * checked 2^levels times). */
typedef struct {
	const Template *partial;
	int nscope;
	bool done;		/* false: it includes itself with nothing between, endlessly */
	const PageVar *scope[SCOPES];
} Checked;

typedef struct {
	const PageDef *page;
	const TplSet *partials;
	const char *name;	/* the template being checked, for messages */
	Buf *err;
	const PageVar *scope[SCOPES];	/* innermost last: fields, an item_scope, or NULL (not known) */
	int nscope, base, depth;
	bool ok;
	Checked *seen;
	size_t nseen;
} Check;

static void check_nodes(Check *c, const struct TplNode *n, size_t count);

/* Said once: a partial checked again in another scope finds the same errors again. */
static bool check_error(Check *c, const struct TplNode *n, const char *fmt, const char *arg)
{
	Buf line = {0};
	buf_printf(&line, "%s:%u:%u: error: ", c->name, n->line, n->col);
	buf_printf(&line, fmt, (int)n->len, n->text, arg);
	buf_putc(&line, '\n');
	if (!strstr(buf_cstr(c->err), buf_cstr(&line)))
		buf_put(c->err, line.p, line.len);
	buf_free(&line);
	return c->ok = false;
}

/* "{{nmae}}: the customer page has no variable of that name (did you mean "name"?)" */
static void check_unknown(Check *c, const struct TplNode *n)
{
	const char *names[256];
	size_t k = 0;
	for (int i = c->nscope; i-- > 0;)
		for (const PageVar *v = c->scope[i]; v && v->name && k < 256; v++)
			names[k++] = v->name;
	const char *near = nearest_word(n->text, n->len, names, k);
	Buf why = {0};
	buf_printf(&why, "the %s page has no variable of that name", c->page->tpl);
	if (near)
		buf_printf(&why, " (did you mean \"%s\"?)", near);
	buf_puts(&why, "; c360 help templates lists what it has");
	check_error(c, n, "{{%.*s}}: %s", buf_cstr(&why));
	buf_free(&why);
}

static const PageVar *check_lookup(Check *c, const struct TplNode *n)
{
	for (int i = c->nscope; i-- > 0;) {
		const PageVar *v = page_var(c->scope[i], n->text, n->len);
		if (v)
			return v;
	}
	check_unknown(c, n);
	return NULL;
}

/* Whether a filter writes a variable of type t as what it is: number, money and pct write the
 * figure they name (a count of cents under number, days since 1970 under money, would be
 * nonsense), date and day a date, signed any figure, url any value. The engine formats
 * whatever it is given; the page's table knows what each variable holds. */
static bool filter_fits(int filter, VarType t)
{
	switch (filter) {
	case F_NUMBER: return t == T_NUMBER;
	case F_MONEY: return t == T_MONEY;
	case F_PCT: return t == T_PCT;
	case F_DATE:
	case F_DAY: return t == T_DATE;
	case F_SIGNED: return t == T_NUMBER || t == T_MONEY || t == T_PCT;
	default: return true;	/* none, url; a list or HTML is said otherwise */
	}
}

/* "{{as_of|money}}: money is a filter for money, and as_of is a date (date or day write one)" */
static void check_filter(Check *c, const struct TplNode *n, const PageVar *v)
{
	static const char *const kind[] = {[T_TEXT] = "text", [T_NUMBER] = "a number", [T_MONEY] = "money",
					   [T_PCT] = "a percentage", [T_DATE] = "a date", [T_BOOL] = "a yes/no",
					   [T_HTML] = "HTML", [T_LIST] = "a list"};
	static const char *const fits[] = {[F_NUMBER] = "numbers", [F_MONEY] = "money", [F_PCT] = "percentages",
					   [F_DATE] = "dates", [F_DAY] = "dates",
					   [F_SIGNED] = "numbers, money and percentages"};
	static const char *const use[] = {[T_TEXT] = "write it without a filter, or with url",
					  [T_NUMBER] = "number or signed write it, or no filter",
					  [T_MONEY] = "money or signed write it, or no filter",
					  [T_PCT] = "pct or signed write it, or no filter",
					  [T_DATE] = "date or day write it, or no filter",
					  [T_BOOL] = "it is written yes or no without a filter"};
	Buf why = {0};
	buf_printf(&why, "|%s}}: %s is a filter for %s, and %s is %s (%s); c360 help templates lists each "
		   "variable's kind", filter_names[n->filter], filter_names[n->filter], fits[n->filter], v->name,
		   kind[v->type], use[v->type]);
	check_error(c, n, "{{%.*s%s", buf_cstr(&why));
	buf_free(&why);
}

/* A section's scope when its item is a value, not an object: no fields, and the item's kind (a
 * list of text's item is text; a section on a value has the value itself). */
static const PageVar item_scope[T_LIST] = {
	[T_TEXT] = {NULL, T_TEXT, NULL, NULL}, [T_NUMBER] = {NULL, T_NUMBER, NULL, NULL},
	[T_MONEY] = {NULL, T_MONEY, NULL, NULL}, [T_PCT] = {NULL, T_PCT, NULL, NULL},
	[T_DATE] = {NULL, T_DATE, NULL, NULL}, [T_BOOL] = {NULL, T_BOOL, NULL, NULL},
	[T_HTML] = {NULL, T_HTML, NULL, NULL}};

/* The kind of {{.}} in scope s: -1 for an object's (its fields) or one not known. */
static int item_kind(const PageVar *s)
{
	for (int t = 0; t < T_LIST; t++)
		if (s == &item_scope[t])
			return t;
	return -1;
}

static void check_var(Check *c, const struct TplNode *n)
{
	const PageVar *v;
	PageVar item;
	if (n->len == 1 && n->text[0] == '.') {
		if (c->nscope == c->base) {
			check_error(c, n, "{{%.*s}}: the current item, but no section is open%s", "");
			return;
		}
		const PageVar *top = c->scope[c->nscope - 1];
		int kind = item_kind(top);
		if (kind < 0 && top)
			check_error(c, n, "{{%.*s}}: the current item is a record, not a value: write one of its fields, "
					  "e.g. {{%s}}", top->name);
		if (kind < 0)
			return;
		item = (PageVar){".", (VarType)kind, NULL, NULL};
		v = &item;
	} else if (!(v = check_lookup(c, n))) {
		return;
	}
	if (v->type == T_LIST)
		check_error(c, n, "{{%.*s}} is a list: open it as a section, {{#%s}}", v->name);
	else if (v->type == T_HTML && n->kind == N_VAR)
		check_error(c, n, "{{%.*s}} is HTML that c360 made: write {{{%s}}}", v->name);
	else if (v->type != T_HTML && n->kind == N_RAW_VAR)
		check_error(c, n, n->amp ? "{{&%.*s}} writes only HTML that c360 made, and this is data: write {{%s}}"
					 : "{{{%.*s}}} writes only HTML that c360 made, and this is data: write {{%s}}", v->name);
	else if (v->type == T_HTML && n->filter != F_NONE)
		check_error(c, n, "{{%.*s}}: a filter on HTML%s", "");
	else if (!filter_fits(n->filter, v->type))
		check_filter(c, n, v);
}

static Checked *check_seen(Check *c, const Template *p)
{
	for (size_t i = 0; i < c->nseen; i++)
		if (c->seen[i].partial == p && c->seen[i].nscope == c->nscope &&
		    memcmp(c->seen[i].scope, c->scope, (size_t)c->nscope * sizeof *c->scope) == 0)
			return &c->seen[i];
	return NULL;
}

static void check_partial(Check *c, const struct TplNode *n)
{
	const Template *p = tpl_set_get(c->partials, n->text, n->len);
	Checked *seen = p ? check_seen(c, p) : NULL;
	if (seen && seen->done)
		return;
	if (!p || seen || c->depth > 16) {
		check_error(c, n, "{{>%.*s}}: %s", p ? "partials nested too deep"
				  : c->partials ? "no such template in templates/"
						: "the theme's layout takes no partials (they are for the pages' templates)");
		return;
	}
	size_t at = c->nseen++;
	c->seen = xrealloc(c->seen, c->nseen * sizeof *c->seen);
	c->seen[at] = (Checked){.partial = p, .nscope = c->nscope};
	memcpy(c->seen[at].scope, c->scope, (size_t)c->nscope * sizeof *c->scope);
	const char *caller = c->name;
	c->name = p->name;
	c->depth++;
	check_nodes(c, p->root.kids, p->root.nkids);
	c->depth--;
	c->name = caller;
	c->seen[at].done = true;
}

static void check_nodes(Check *c, const struct TplNode *n, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct TplNode *x = &n[i];
		if (x->kind == N_VAR || x->kind == N_RAW_VAR) {
			check_var(c, x);
		} else if (x->kind == N_PARTIAL) {
			check_partial(c, x);
		} else if (x->kind == N_SECTION || x->kind == N_INVERTED) {
			bool dot = x->len == 1 && x->text[0] == '.';
			const PageVar *v = dot ? NULL : check_lookup(c, x);
			bool push = x->kind == N_SECTION && c->nscope < SCOPES;
			const PageVar *top = c->nscope > c->base ? c->scope[c->nscope - 1] : NULL;
			if (push)	/* {{#.}}: the item again, if a value; a list's item: its fields, or text */
				c->scope[c->nscope++] = dot ? (item_kind(top) >= 0 ? top : NULL)
						      : !v ? NULL
						      : v->type != T_LIST ? &item_scope[v->type]
						      : v->fields ? v->fields : &item_scope[T_TEXT];
			check_nodes(c, x->kids, x->nkids);
			c->nscope -= push;
		}
	}
}

bool tpl_check(const Template *t, const PageDef *page, const TplSet *partials, Buf *err)
{
	Check c = {.page = page, .partials = partials, .name = t->name, .err = err, .ok = true};
	c.scope[c.nscope++] = page_globals_vars;
	c.scope[c.nscope++] = page->vars;
	c.base = c.nscope;
	check_nodes(&c, t->root.kids, t->root.nkids);
	free(c.seen);
	return c.ok;
}

/* ---- a set of named templates (pages and partials) */

void tpl_set_add(TplSet *s, const char *name, Template *t)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->name = xrealloc(s->name, s->cap * sizeof *s->name);
		s->tpl = xrealloc(s->tpl, s->cap * sizeof *s->tpl);
	}
	s->name[s->n] = xstrdup(name);
	s->tpl[s->n++] = t;
}

/* name (NUL-terminated) is s[0, n): no call to strlen for each name of the set */
static bool name_is(const char *name, const char *s, size_t n)
{
	size_t j = 0;
	while (j < n && name[j] && name[j] == s[j])
		j++;
	return j == n && name[n] == '\0';
}

static bool nodes_include(const struct TplNode *n, size_t count, const char *name, size_t len)
{
	for (size_t i = 0; i < count; i++)
		if ((n[i].kind == N_PARTIAL && n[i].len == len && memcmp(n[i].text, name, len) == 0) ||
		    nodes_include(n[i].kids, n[i].nkids, name, len))
			return true;
	return false;
}

bool tpl_set_includes(const TplSet *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (nodes_include(s->tpl[i]->root.kids, s->tpl[i]->root.nkids, name, strlen(name)))
			return true;
	return false;
}

Str tpl_title(const Template *t)
{
	const char *s = t->src, *nl = strchr(s, '\n');
	size_t n = nl ? (size_t)(nl - s) : strlen(s);
	return n < 3 || memcmp(s, "# ", 2) != 0 || memmem(s, n, "{{", 2) ? str_make(NULL, 0) : str_make(s + 2, n - 2);
}

const Template *tpl_set_get(const TplSet *s, const char *name, size_t n)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (name_is(s->name[i], name, n))
			return s->tpl[i];
	return NULL;
}

void tpl_set_free(TplSet *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->name[i]);
		tpl_free(s->tpl[i]);
	}
	free(s->name);
	free(s->tpl);
	memset(s, 0, sizeof *s);
}
