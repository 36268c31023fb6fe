/* template.c — a small Mustache-style engine: variables, sections, inverted sections,
 * partials, comments and formatting filters, with every data value escaped. */
#include "c360.h"

#include <stdlib.h>

/* ---- values: the data a page is made of */

static Value *v_new(Arena *a, VKind kind)
{
	Value *v = arena_alloc(a, sizeof *v);
	memset(v, 0, sizeof *v);
	v->kind = kind;
	return v;
}

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

Value *v_num(Arena *a, VKind kind, int64_t i)
{
	Value *v = v_new(a, i == KPI_NULL || i == MOMENT_NULL ? V_NULL : kind);
	v->i = i;
	return v;
}

Value *v_bool(Arena *a, bool b)
{
	Value *v = v_new(a, V_BOOL);
	v->i = b;
	return v;
}

Value *v_list(Arena *a)
{
	return v_new(a, V_LIST);
}

Value *v_obj(Arena *a)
{
	return v_new(a, V_OBJ);
}

/* Lists and objects keep their items in arena arrays that double when full. */
static void v_grow(Arena *a, Value *v)
{
	if (v->n < v->cap)
		return;
	size_t cap = v->cap ? v->cap * 2 : 8;
	Value **items = arena_alloc(a, cap * sizeof *items);
	const char **keys = arena_alloc(a, cap * sizeof *keys);
	if (v->n) {
		memcpy(items, v->items, v->n * sizeof *items);
		memcpy(keys, v->keys, v->n * sizeof *keys);
	}
	v->items = items, v->keys = keys, v->cap = cap;
}

Value *v_push(Arena *a, Value *list, Value *item)
{
	v_grow(a, list);
	list->keys[list->n] = NULL;
	list->items[list->n++] = item;
	return item;
}

Value *v_set(Arena *a, Value *obj, const char *key, Value *item)
{
	v_grow(a, obj);
	obj->keys[obj->n] = key;
	obj->items[obj->n++] = item;
	return item;
}

static const Value *v_get(const Value *obj, const char *key, size_t n)
{
	if (!obj || obj->kind != V_OBJ)
		return NULL;
	for (size_t i = obj->n; i-- > 0;)	/* the last one set wins */
		if (obj->keys[i][0] == key[0] && strncmp(obj->keys[i], key, n) == 0 && obj->keys[i][n] == '\0')
			return obj->items[i];
	return NULL;
}

static bool v_truthy(const Value *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case V_NULL: return false;
	case V_STR: case V_RAW: return v->n > 0;
	case V_LIST: return v->n > 0;
	case V_INT: case V_BOOL: return v->i != 0;
	default: return true;	/* objects, and money, percentages and dates that are not null */
	}
}

/* ---- formatting */

static const char *const filter_names[] = {"", "number", "money", "pct", "date", "signed", "url", NULL};
enum { F_NONE, F_NUMBER, F_MONEY, F_PCT, F_DATE, F_SIGNED, F_URL };

/* The text of a scalar, before escaping. */
static void format_value(Buf *b, const Value *v, int filter, const NumFormat *fmt)
{
	if (!v || v->kind == V_NULL || v->kind == V_LIST || v->kind == V_OBJ)
		return;
	if (v->kind == V_STR || v->kind == V_RAW) {
		buf_put(b, v->s, v->n);
		return;
	}
	int64_t i = v->i;
	if (v->kind == V_BOOL && filter == F_NONE) {
		buf_puts(b, i ? "yes" : "no");
		return;
	}
	if (filter == F_SIGNED && i > 0)
		buf_putc(b, '+');
	int f = filter != F_NONE && filter != F_SIGNED ? filter
	      : v->kind == V_MONEY ? F_MONEY : v->kind == V_PCT ? F_PCT : v->kind == V_DATE ? F_DATE : F_NUMBER;
	if (f == F_DATE)
		buf_date(b, i);
	else
		fmt_figure(b, fmt, f == F_MONEY ? KV_MONEY : f == F_PCT ? KV_PCT : KV_COUNT, i);
}

/* ---- parsing */

typedef enum { N_TEXT, N_VAR, N_RAW_VAR, N_SECTION, N_INVERTED, N_PARTIAL } NodeKind;

struct TplNode {
	NodeKind kind;
	const char *text;	/* text, or the tag's name */
	size_t len;
	int filter;
	uint32_t line, col;
	struct TplNode *kids;	/* sections: their contents */
	size_t nkids, capkids;
};

struct Template {
	char *name, *src;
	struct TplNode root;
};

typedef struct {
	const char *name, *s, *end, *p;
	Buf *err;
} Parser;

static void where(const Parser *ps, const char *at, uint32_t *line, uint32_t *col)
{
	*line = 1, *col = 1;
	for (const char *q = ps->s; q < at; q++)
		*q == '\n' ? (*line)++, *col = 1 : (*col)++;
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

/* A section, comment or partial tag alone on its line takes the line with it. */
static void standalone(const Parser *ps, const char *open, const char **after, struct TplNode *parent)
{
	const char *ls = open, *le = *after;
	while (ls > ps->s && is_blank_char(ls[-1]))
		ls--;
	if (ls > ps->s && ls[-1] != '\n')
		return;
	while (le < ps->end && is_blank_char(*le))
		le++;
	if (le < ps->end && *le == '\r')
		le++;
	if (le < ps->end && *le != '\n')
		return;
	if (le < ps->end)
		le++;
	struct TplNode *prev = parent->nkids ? &parent->kids[parent->nkids - 1] : NULL;
	if (prev && prev->kind == N_TEXT && prev->text + prev->len == open)
		prev->len -= (size_t)(open - ls);	/* the indentation before the tag */
	*after = le;
}

static bool parse_nodes(Parser *ps, struct TplNode *parent, const char *closing, size_t closing_len, int depth);

static bool parse_tag(Parser *ps, struct TplNode *parent, const char *open, int depth, bool *closed,
		      const char *closing, size_t closing_len)
{
	const char *q = open + 2;
	bool triple = q < ps->end && *q == '{';
	const char *close = triple ? strstr(q, "}}}") : strstr(q, "}}");
	if (!close || close >= ps->end)
		return parse_error(ps, open, "unclosed tag", NULL, 0);
	char sigil = triple ? '{' : *q;
	if (triple || strchr("#^/!>&", sigil))
		q++;
	const char *after = close + (triple ? 3 : 2);
	Str name = str_trim(str_make(q, (size_t)(close - q)));
	int filter = F_NONE;
	const char *bar = memchr(name.p, '|', name.n);
	if (bar && sigil != '!') {
		Str f = str_trim(str_make(bar + 1, name.n - (size_t)(bar + 1 - name.p)));
		for (filter = 1; filter_names[filter] && !str_eq(f, filter_names[filter]); filter++)
			;
		if (!filter_names[filter])
			return parse_error(ps, bar, "unknown filter", f.p, f.n);
		name = str_trim(str_make(name.p, (size_t)(bar - name.p)));
	}
	if (sigil != '!' && name.n == 0)
		return parse_error(ps, open, "empty tag", NULL, 0);
	if (strchr("#^/!>", sigil) && !triple)
		standalone(ps, open, &after, parent);
	ps->p = after;
	if (sigil == '!' && !triple)
		return true;
	if (sigil == '/' && !triple) {
		if (!closing || closing_len != name.n || memcmp(closing, name.p, name.n) != 0)
			return parse_error(ps, open, "closing a section that is not open", name.p, name.n);
		*closed = true;
		return true;
	}
	NodeKind kind = triple || sigil == '&' ? N_RAW_VAR : sigil == '#' ? N_SECTION : sigil == '^' ? N_INVERTED
		      : sigil == '>' ? N_PARTIAL : N_VAR;
	struct TplNode *n = add_node(parent, kind, name.p, name.n);
	n->filter = filter;
	where(ps, open, &n->line, &n->col);
	if (kind != N_SECTION && kind != N_INVERTED)
		return true;
	if (depth > 32)
		return parse_error(ps, open, "sections nested too deep", NULL, 0);
	struct TplNode inner = {0};
	bool ok = parse_nodes(ps, &inner, name.p, name.n, depth + 1);
	n = &parent->kids[parent->nkids - 1];	/* parse_nodes may not move parent, but be sure */
	n->kids = inner.kids, n->nkids = inner.nkids, n->capkids = inner.capkids;
	if (ok && ps->p == NULL)
		return parse_error(ps, open, "section never closed", name.p, name.n);
	return ok;
}

/* Parses until the end, or until the closing tag of `closing` (ps->p NULL if not found). */
static bool parse_nodes(Parser *ps, struct TplNode *parent, const char *closing, size_t closing_len, int depth)
{
	while (ps->p < ps->end) {
		const char *open = strstr(ps->p, "{{");
		if (!open || open >= ps->end)
			open = ps->end;
		if (open > ps->p)
			add_node(parent, N_TEXT, ps->p, (size_t)(open - ps->p));
		if (open == ps->end)
			break;
		bool closed = false;
		if (!parse_tag(ps, parent, open, depth, &closed, closing, closing_len))
			return false;
		if (closed)
			return true;
	}
	if (closing)
		ps->p = NULL;
	return true;
}

Template *tpl_parse(const char *name, const char *src, size_t len, Buf *err)
{
	Template *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->src = xstrndup(src, len);
	if (memchr(t->src, '\0', len))
		len = strlen(t->src);
	Parser ps = {t->name, t->src, t->src + len, t->src, err};
	if (!parse_nodes(&ps, &t->root, NULL, 0, 0)) {
		tpl_free(t);
		return NULL;
	}
	return t;
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
	Buf *out, *err;
	Buf scratch;
	int depth;
} Render;

/* Mustache lookup: the first name part in the nearest frame that has it, then down. */
static const Value *lookup(const Frame *f, const char *name, size_t n)
{
	if (n == 1 && name[0] == '.')
		return f ? f->v : NULL;
	const char *dot = memchr(name, '.', n);
	size_t first = dot ? (size_t)(dot - name) : n;
	const Value *v = NULL;
	for (; f && !v; f = f->up)
		v = v_get(f->v, name, first);
	while (v && dot) {
		const char *part = dot + 1;
		dot = memchr(part, '.', n - (size_t)(part - name));
		v = v_get(v, part, dot ? (size_t)(dot - part) : n - (size_t)(part - name));
	}
	return v;
}

static void emit(Render *r, const Value *v, int filter, bool raw)
{
	if (raw && v && v->kind == V_RAW && filter == F_NONE) {	/* only text c360 made is ever raw */
		if (r->esc == ESC_HTML) {
			buf_put(r->out, v->s, v->n);
		} else if (r->raws) {
			RawStash *st = r->raws;
			if (st->n == st->cap) {
				st->cap = st->cap ? st->cap * 2 : 8;
				st->s = xrealloc(st->s, st->cap * sizeof *st->s);
				st->len = xrealloc(st->len, st->cap * sizeof *st->len);
			}
			st->s[st->n] = v->s, st->len[st->n] = v->n;
			buf_printf(r->out, "\x02%zu\x03", st->n++);
		}
		return;
	}
	r->scratch.len = 0;
	if (filter == F_URL) {
		Buf t = {0};
		format_value(&t, v, F_NONE, r->fmt);
		esc_url(&r->scratch, t.p ? t.p : "", t.len);
		buf_free(&t);
	} else {
		format_value(&r->scratch, v, filter, r->fmt);
	}
	if (r->esc == ESC_MARKDOWN)
		esc_markdown(r->out, r->scratch.p ? r->scratch.p : "", r->scratch.len);
	else
		esc_html(r->out, r->scratch.p ? r->scratch.p : "", r->scratch.len);
}

static void render_nodes(Render *r, const struct TplNode *n, size_t count, const Frame *f);

static void render_node(Render *r, const struct TplNode *n, const Frame *f)
{
	const Value *v;
	switch (n->kind) {
	case N_TEXT:
		buf_put(r->out, n->text, n->len);
		break;
	case N_VAR:
	case N_RAW_VAR:
		emit(r, lookup(f, n->text, n->len), n->filter, n->kind == N_RAW_VAR);
		break;
	case N_INVERTED:
		if (!v_truthy(lookup(f, n->text, n->len)))
			render_nodes(r, n->kids, n->nkids, f);
		break;
	case N_SECTION:
		v = lookup(f, n->text, n->len);
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
		const char *caller = r->name;
		r->name = p->name;
		r->depth++;
		render_nodes(r, p->root.kids, p->root.nkids, f);
		r->depth--;
		r->name = caller;
		break;
	}
	}
}

static void render_nodes(Render *r, const struct TplNode *n, size_t count, const Frame *f)
{
	for (size_t i = 0; i < count; i++)
		render_node(r, &n[i], f);
}

bool tpl_render(const Template *t, const Value *data, TplEscape esc, const TplSet *partials, RawStash *raws,
		const NumFormat *fmt, Buf *out, Buf *err)
{
	size_t errors = err->len;
	Render r = {esc, partials, raws, fmt ? fmt : &fmt_plain, t->name, out, err, {0}, 0};
	Frame top = {data, NULL};
	render_nodes(&r, t->root.kids, t->root.nkids, &top);
	buf_free(&r.scratch);
	return err->len == errors;
}

void raw_stash_free(RawStash *r)
{
	free(r->s);
	free(r->len);
	memset(r, 0, sizeof *r);
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

const Template *tpl_set_get(const TplSet *s, const char *name, size_t n)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (strlen(s->name[i]) == n && memcmp(s->name[i], name, n) == 0)
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
