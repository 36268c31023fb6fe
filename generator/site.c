/* site.c — the site: templates and theme, pages rendered Markdown → HTML → layout, assets. */
#include "c360.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SKELETON_BYTES (64 << 20)	/* the shapes of compiled pages a thread keeps */
#define CHECK_EVERY 64	/* pages a thread makes for one whose data is checked whole (page_start) */

static Template *load_template(const char *dir, const char *file, Buf *err)
{
	char *path = path_join(dir, file);
	Buf src = {0};
	Template *t = file_read_own(path, &src, err) ? tpl_parse(path, src.p ? src.p : "", src.len, err) : NULL;
	buf_free(&src);
	free(path);
	return t;
}

/* Every DIR/NAME.md, by NAME: pages and the partials they include; and every DIR/NAME.html,
 * by NAME.html: fragments of HTML pages put in whole (the KPI cards). With only_new, those the
 * set lacks. */
static bool load_template_dir(Site *site, const char *dir, bool only_new)
{
	size_t n;
	char **names = dir_list(dir, NULL, &n, site->err);
	bool ok = names != NULL;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		bool md = len > 3 && strcmp(names[i] + len - 3, ".md") == 0;
		size_t key = md ? len - 3 : len;
		if ((md || (len > 5 && strcmp(names[i] + len - 5, ".html") == 0)) &&
		    !(only_new && tpl_set_get(&site->tpl, names[i], key))) {
			Template *t = load_template(dir, names[i], site->err);
			ok &= t != NULL;
			names[i][key] = '\0';
			if (t)
				tpl_set_add(&site->tpl, names[i], t);
		}
		free(names[i]);
	}
	free(names);
	return ok;
}

/* Whether name is one a page of the project's own may have: a-z, 0-9, - and _, at most 64, and
 * not the name of a page c360 writes at the site's root. */
static bool own_page_name(const char *name)
{
	size_t n = strlen(name);
	if (!n || n > 64 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != n || strcmp(name, "index") == 0 ||
	    strcmp(name, "quality") == 0)
		return false;
	for (int i = 0; i < LIST_COUNT; i++)
		if (strcmp(name, customer_list_defs[i].slug) == 0)
			return false;
	return true;
}

/* pages/file, a page of the project's own: the template "pages/NAME" of file NAME.md. */
static bool load_own_page(Site *site, const char *pages, const char *file)
{
	Buf name = {0};
	buf_printf(&name, "pages/%.*s", (int)(strlen(file) - 3), file);
	bool ok = own_page_name(buf_cstr(&name) + 6);
	if (!ok) {
		Buf shown = {0};
		buf_put_printable(&shown, file, strlen(file), 300);
		buf_printf(site->err, "%s/%s: error: a page of the project's own is NAME.md, NAME made of a-z, 0-9, - and _ "
			   "(64 at most) and not index, quality, churn-risk nor open-tickets: it makes NAME.html\n", pages,
			   buf_cstr(&shown));
		buf_free(&shown);
	}
	Template *t = ok ? load_template(pages, file, site->err) : NULL;
	if (t) {
		tpl_set_add(&site->tpl, buf_cstr(&name), t);
		ok = tpl_check(t, &page_own, &site->tpl, site->err);
	}
	buf_free(&name);
	return t && ok;
}

/* The project's own pages: DIR/pages/NAME.md (site_dashboard.c writes NAME.html); a link there
 * is not followed, as no template is read through one. */
static bool load_own_pages(Site *site, const char *dir)
{
	char *pages = path_join(dir, "pages");
	struct stat st;
	int got = lstat(pages, &st);
	bool ok = true;
	if (got == 0 && !S_ISDIR(st.st_mode)) {
		buf_printf(site->err, "%s: error: not a folder: c360 reads the project's own pages from templates/pages/\n", pages);
		ok = false;
	} else if (got == 0 || errno != ENOENT) {
		size_t n;
		char **names = dir_list(pages, NULL, &n, site->err);
		ok = names != NULL;
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(names[i]);
			if (len > 3 && strcmp(names[i] + len - 3, ".md") == 0)	/* else not read, as in templates/ */
				ok &= load_own_page(site, pages, names[i]);
			free(names[i]);
		}
		free(names);
	}
	free(pages);
	return ok;
}

/* The project's templates, and c360's own for those it has none of (templates that came with a
 * newer c360 than the one that made the project's copies: the packed customer viewer). */
static bool load_templates(Site *site, const char *dir)
{
	const char *shipped = site->cfg->shipped_templates;
	bool ok = load_template_dir(site, dir, false) &&
		  (!shipped || strcmp(shipped, dir) == 0 || !is_dir(shipped) || load_template_dir(site, shipped, true)) &&
		  load_own_pages(site, dir);
	for (const PageDef *p = page_defs; p->tpl; p++) {	/* each page's tags name what it has */
		const Template *t = tpl_set_get(&site->tpl, p->tpl, strlen(p->tpl));
		ok &= !t || tpl_check(t, p, &site->tpl, site->err);
		for (int i = 0; i < PAGE_FRAGMENTS && p->fragments[i]; i++) {
			t = tpl_set_get(&site->tpl, p->fragments[i], strlen(p->fragments[i]));
			ok &= !t || tpl_check(t, p, &site->tpl, site->err);
		}
	}
	return ok;
}

/* ---- one page: Markdown template → HTML → the theme's layout → a file */

void page_init(PageWork *w)
{
	memset(w, 0, sizeof *w);
}

void page_free(PageWork *w)
{
	buf_free(&w->md);
	buf_free(&w->html);
	buf_free(&w->page);
	buf_free(&w->err);
	buf_free(&w->scratch);
	for (int i = 0; i < PAGE_FRAGMENTS; i++)
		buf_free(&w->frag[i]);
	for (int i = 0; i < 4; i++)
		buf_free(&w->cut[i]);
	raw_stash_free(&w->raws);
	slots_free(&w->slots);
	skel_free(w->skel);
	shape_set_free(&w->checked);
	arena_free(&w->arena);
}

/* The values every page has: where the site's root is from it, the names and the edition's
 * dates (none on a customer's page, so that it changes only when the customer's figures do). */
static void page_globals(const Site *site, PageWork *w, Value *data, const char *path)
{
	Arena *a = &w->arena;
	size_t depth = 0;
	for (const char *p = path; (p = strchr(p, '/')); p++)
		depth++;
	const Value *set = v_find(data, "root");
	if (set && set->n == 3 * depth)	/* set for this page already (by its fragments) */
		return;
	char *root = arena_alloc(a, 3 * depth + 1);
	for (size_t d = 0; d < depth; d++)
		memcpy(root + 3 * d, "../", 3);
	v_set(a, data, "root", v_lent(a, root, 3 * depth));
	v_set(a, data, "as_of", v_num(a, V_DATE, w->undated ? MOMENT_NULL : site->g->as_of));
	v_set(a, data, "week_before", v_num(a, V_DATE, w->undated ? MOMENT_NULL : site->g->week_before.as_of));
	v_set(a, data, "site_title", v_lit(a, site->cfg->title ? site->cfg->title : "Customer 360"));
	v_set(a, data, "version", v_lit(a, C360_VERSION));
	v_set(a, data, "churn_window_days", v_num(a, V_INT, site->g->churn_window_days));
	if (!v_find(data, "scripts"))
		v_set(a, data, "scripts", v_list(a));
	if (!v_find(data, "find"))
		v_set(a, data, "find", v_bool(a, true));
}

Value *page_fragment(const Site *site, PageWork *w, const char *path, const char *name, Value *data)
{
	const Template *t = tpl_set_get(&site->tpl, name, strlen(name));
	if (!t) {
		buf_printf(&w->err, "%s/%s: error: no such template\n", site->cfg->templates_dir, name);
		return v_str(&w->arena, NULL, 0);
	}
	page_globals(site, w, data, path);
	bool lent = w->nfrags < PAGE_FRAGMENTS;	/* rendered where it stays until the page is made */
	Buf *out = lent ? &w->frag[w->nfrags++] : &w->scratch;
	out->len = 0;
	tpl_render(t, data, ESC_HTML, &site->tpl, NULL, &site->fmt, out, site->cfg->page_max, &w->err);
	return page_fragment_value(w, out);
}

Buf *page_fragment_buf(const Site *site, PageWork *w, const char *path, Value *data)
{
	if (w->nfrags == PAGE_FRAGMENTS)
		return NULL;
	page_globals(site, w, data, path);
	Buf *out = &w->frag[w->nfrags++];
	out->len = 0;
	return out;
}

Value *page_fragment_value(PageWork *w, Buf *out)
{
	return (out != &w->scratch ? v_raw_lent : v_raw)(&w->arena, out->p ? out->p : "", out->len);
}

/* The page's Markdown and slots written by customer_md_slots; false: by the engine (which says
 * why a page passes page_max_bytes). */
static bool slots_written(const Site *site, PageWork *w)
{
	if (customer_md_slots(w->md_values, &site->fmt, &w->md, &w->slots, &w->raws) &&
	    w->md.len + w->slots.text.len <= site->cfg->page_max)
		return true;
	w->md.len = 0, w->raws.n = w->slots.n = w->slots.text.len = 0;
	return false;
}

/* ---- a long table a row at a time
 *
 * A list's or segment's page is mostly one table of hundreds of rows, a shape of its own on
 * each page (its rows differ in number, some link a page and some do not): compiled, each page
 * would cost cmark its whole table, and one whose lead value starts with a digit went through
 * cmark twice. cmark-gfm reads a table's body rows each by itself (the cells of one line, no
 * more than the head's, none fewer when every line has as many bars), so a table's HTML is its
 * head and then the HTML each row has in a table of that head and it alone: made of one shape
 * (or two) by the skeleton. That holds where nothing around the table reaches into it: the page
 * has no raw HTML, fence or link reference definition, the table starts after a blank line and
 * ends at one, every line of it starts with a bar and has as many as the head, and none holds a
 * backslash or a stashed fragment. Anything else, or HTML of another form, is rendered whole. */

#define TABLE_ROWS 2	/* a table of fewer body rows is rendered with its page */

typedef struct {
	size_t from, delim, body, to;	/* the head's line, the delimiter row's, the first body row's, the end */
	size_t rows;
} TableAt;

static size_t line_end(const char *p, size_t at, size_t len)
{
	const char *nl = memchr(p + at, '\n', len - at);
	return nl ? (size_t)(nl - p) + 1 : len;
}

static size_t bars(const char *p, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == '|';
	return k;
}

/* The table whose head line starts at from, if it is one to render a row at a time. */
static bool table_at(const Buf *md, size_t from, TableAt *t)
{
	const char *p = md->p;
	size_t len = md->len, delim = line_end(p, from, len);
	if (delim >= len || p[delim] != '|')
		return false;
	size_t body = line_end(p, delim, len), head_bars = bars(p + from, delim - from);
	if (memchr(p + from, '\\', body - from) || memchr(p + from, '\x02', body - from) ||
	    bars(p + delim, body - delim) != head_bars || !memchr(p + delim, '-', body - delim))
		return false;
	for (size_t i = delim; i < body; i++)
		if (!p[i] || !strchr("|-: \t\n", p[i]))
			return false;
	size_t at = body, rows = 0;
	while (at < len && p[at] != '\n') {
		size_t end = line_end(p, at, len);
		if (p[at] != '|' || memchr(p + at, '\\', end - at) || memchr(p + at, '\x02', end - at) ||
		    bars(p + at, end - at) != head_bars)
			return false;
		at = end, rows++;
	}
	if (rows < TABLE_ROWS || memchr(p + at, '\x02', len - at))
		return false;
	*t = (TableAt){from, delim, body, at, rows};
	return true;
}

/* The page's first such table; false if it has none, or has what may reach into one. */
static bool table_find(const Buf *md, TableAt *t)
{
	const char *p = md->p;
	size_t len = md->len;
	if (!len || memchr(p, '<', len) || memmem(p, len, "```", 3) || memmem(p, len, "~~~", 3) ||
	    memmem(p, len, "]:", 2))
		return false;
	for (size_t at = 0;;) {	/* the page's start, and each line after a blank one */
		if (p[at] == '|' && table_at(md, at, t))
			return true;
		const char *q = at + 1 < len ? memmem(p + at + 1, len - at - 1, "\n\n|", 3) : NULL;
		if (!q)
			return false;
		at = (size_t)(q - p) + 2;
	}
}

/* md[from, to) and its slots (from *k on: the first at from or after it; *k is left at the first
 * at to or after it), their places from from on, appended to sub and its slots. */
static void sub_put(const Buf *md, const Slots *s, size_t *k, size_t from, size_t to, Buf *sub, Slots *ss)
{
	size_t shift = sub->len;
	buf_put(sub, md->p + from, to - from);
	for (; *k < s->n && s->at[*k] < to; ++*k) {
		if (ss->n == ss->cap)
			slots_grow(ss);
		size_t a = *k ? s->end[*k - 1] : 0;
		buf_put(&ss->text, s->text.p + a, s->end[*k] - a);
		ss->end[ss->n] = ss->text.len;
		ss->at[ss->n++] = s->at[*k] - from + shift;
	}
}

static const char TBODY[] = "<tbody>\n", TABLE_END[] = "</tbody>\n</table>\n";

bool skel_render_rows(SkelCache *c, const Buf *md, const Slots *s, const RawStash *raws, Arena *arena, Buf *scratch,
		      Buf *out)
{
	TableAt t;
	if (!table_find(md, &t))
		return false;
	size_t at = out->len, head = 0, headlen = 0, tb = sizeof TBODY - 1, te = sizeof TABLE_END - 1;
	Buf sub = {0}, row = {0};
	Slots ss = {0};
	size_t k = 0;
	sub_put(md, s, &k, 0, t.from, &sub, &ss);
	skel_render(c, &sub, &ss, raws, arena, scratch, out);
	sub.len = ss.n = ss.text.len = 0;
	sub_put(md, s, &k, t.from, t.body, &sub, &ss);	/* the head, then each row after it */
	size_t head_md = sub.len, head_slots = ss.n, head_text = ss.text.len;
	bool ok = true;
	for (size_t r = t.body; ok && r < t.to;) {
		size_t end = line_end(md->p, r, t.to);
		sub.len = head_md, ss.n = head_slots, ss.text.len = head_text;
		sub_put(md, s, &k, r, end, &sub, &ss);
		row.len = 0;
		skel_render(c, &sub, &ss, raws, arena, scratch, &row);
		/* a table of the head and the row (no '<' in the Markdown: no tag but cmark's) */
		const char *h = row.p ? row.p : "", *body = memmem(h, row.len, TBODY, tb);
		size_t from = body ? (size_t)(body - h) + tb : 0;
		ok = body && row.len >= from + te + 11 && memcmp(h + row.len - te, TABLE_END, te) == 0 &&
		     memcmp(h + from, "<tr>\n", 5) == 0 && memcmp(h + row.len - te - 6, "</tr>\n", 6) == 0;
		if (ok && r == t.body) {	/* the head, as every row's must be */
			ok = from >= 16 && memcmp(h, "<table>\n<thead>\n", 16) == 0;
			head = out->len, headlen = from;
			buf_put(out, h, from);
		} else if (ok) {
			ok = from == headlen && memcmp(h, out->p + head, from) == 0;
		}
		if (ok)
			buf_put(out, h + from, row.len - from - te);
		r = end;
	}
	if (ok) {
		buf_puts(out, TABLE_END);
		sub.len = ss.n = ss.text.len = 0;
		sub_put(md, s, &k, t.to, md->len, &sub, &ss);
		if (sub.len)
			skel_render(c, &sub, &ss, raws, arena, scratch, out);
	}
	buf_free(&sub), buf_free(&row), slots_free(&ss);
	if (!ok)
		out->len = at;
	return ok;
}

/* The page's Markdown template rendered to HTML, appended to out: compiled (skeleton.c), or each
 * page through cmark as before, to compare. */
static bool page_body(const Site *site, PageWork *w, const Template *t, const Value *data, bool rows, Buf *out)
{
	size_t max = site->cfg->page_max;
	bool kept = data && w->md_for == data;	/* customer_values kept customer.md's values */
	w->md_for = NULL;
	if (site->cmark_every_page) {
		if (!tpl_render(t, data, ESC_MARKDOWN, &site->tpl, &w->raws, &site->fmt, &w->md, max, &w->err))
			return false;
		md_render(w->md.p ? w->md.p : "", w->md.len, &w->raws, &w->arena, out);
		return true;
	}
	if (!(kept && slots_written(site, w)) &&
	    !tpl_render_slots(t, data, &site->tpl, &w->raws, &site->fmt, &w->md, max, &w->slots, &w->err))
		return false;
	if (!w->skel)
		w->skel = skel_new(SKELETON_BYTES);
	if (rows && skel_render_rows(w->skel, &w->md, &w->slots, &w->raws, &w->arena, &w->scratch, out))
		return true;
	skel_render(w->skel, &w->md, &w->slots, &w->raws, &w->arena, &w->scratch, out);
	return true;
}

/* The page's template, its globals set and its data checked; NULL after saying why. */
static const Template *page_start(const Site *site, PageWork *w, const char *path, const char *tpl_name, Value *data)
{
	const Template *t = tpl_set_get(&site->tpl, tpl_name, strlen(tpl_name));
	if (!t) {
		buf_printf(&w->err, "%s/%s.md: error: no such template\n", site->cfg->templates_dir, tpl_name);
		return NULL;
	}
	page_globals(site, w, data, path);
	w->nfrags = 0;	/* the next page's fragments may take the buffers once this one is made */
	/* c360's own assertion: each shape of a page's data whole, and after it one page in
	   CHECK_EVERY (a customer page's list items were 7 % of its instructions) */
	bool deep = site->check_every_page || w->pages++ % CHECK_EVERY == 0;
	if (!page_data_check(page_def(tpl_name), data, path, &w->checked, deep, &w->err))
		return NULL;
	w->md.len = w->html.len = w->page.len = 0;
	w->raws.n = w->slots.n = w->slots.text.len = 0;
	return t;
}

bool page_html(const Site *site, PageWork *w, const char *path, const char *tpl_name, Value *data)
{
	const Template *t = page_start(site, w, path, tpl_name, data);
	return t && page_body(site, w, t, data, false, &w->html);
}

/* The layout before the title, between it and the body and after the body (w->cut), made once
 * for each root on pages whose other globals are all the same (PageWork.same_globals); false if
 * the layout cannot be cut so (site->layout_cut) or saying something. */
static bool layout_cut(const Site *site, PageWork *w, const Value *data)
{
	const Value *root = v_find(data, "root");
	if (!site->layout_cut || !root || root->kind != V_STR)
		return false;
	Buf *made = &w->cut[3];
	if (w->cut_made && made->len == root->n && memcmp(made->p, root->s, root->n) == 0)
		return true;
	const size_t *hole = site->layout_hole;
	size_t said = w->err.len;
	for (int k = 0; k < 3; k++) {
		w->cut[k].len = 0;
		tpl_render_top(site->layout, k ? hole[k - 1] + 1 : 0, k < 2 ? hole[k] : SIZE_MAX, data, &site->fmt,
			       &w->cut[k], &w->err);
	}
	/* the body's first fragment is aligned with the 7 bytes before it (skeleton.c put_raw): none
	   may start an " align=\"" that the layout's engine would have left alone */
	const Buf *before = &w->cut[1];
	bool aligns = false;
	for (size_t k = 1; k <= 7 && k <= before->len; k++)
		aligns |= memcmp(before->p + before->len - k, " align=\"", k) == 0;
	w->cut_made = w->err.len == said && !aligns;
	w->err.len = said;	/* said again by the engine, page by page */
	made->len = 0;
	buf_put(made, root->s, root->n);
	return w->cut_made;
}

bool page_write(const Site *site, PageWork *w, const char *path, const char *tpl_name, Value *data)
{
	const Template *t = page_start(site, w, path, tpl_name, data);
	if (!t)
		return false;
	Buf *page = &w->page;
	bool rows = strcmp(tpl_name, "customer") != 0;	/* a customer's tables are short: not looked at */
	if (w->same_globals && layout_cut(site, w, data)) {	/* the body made in its place in the page */
		const size_t *hole = site->layout_hole;
		buf_put(page, w->cut[0].p, w->cut[0].len);
		tpl_render_top(site->layout, hole[0], hole[0] + 1, data, &site->fmt, page, &w->err);
		buf_put(page, w->cut[1].p, w->cut[1].len);
		size_t body = page->len;
		if (!page_body(site, w, t, data, rows, page))
			return false;
		size_t n = page->len - body;
		buf_put(page, w->cut[2].p, w->cut[2].len);
		if (page->len <= site->cfg->page_max)
			return out_write_file(site->dir, path, page, &w->err);
		buf_put(&w->html, page->p + body, n);	/* too big: the engine says where */
		page->len = 0;
	} else if (!page_body(site, w, t, data, rows, &w->html)) {
		return false;
	}
	v_set(&w->arena, data, "body", v_raw_lent(&w->arena, w->html.p ? w->html.p : "", w->html.len));
	return tpl_render(site->layout, data, ESC_HTML, NULL, NULL, &site->fmt, page, site->cfg->page_max, &w->err) &&
	       out_write_file(site->dir, path, page, &w->err);
}

/* ---- assets: the theme's files and the site's scripts, copied as they are */

static int by_bytes(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The folders of themes_dir (not links: a theme is not one), in byte order, a space before each,
 * printable (" none" if there is none; the first 20 of more). */
static void themes_list(const char *themes_dir, Buf *out)
{
	struct dirent **names = NULL;
	int n = scandir(themes_dir, &names, NULL, by_bytes);
	if (n < 0) {
		buf_printf(out, " nothing it can read (%s)", strerror(errno));
		return;
	}
	size_t listed = 0;
	for (int i = 0; i < n; i++) {
		struct stat st;
		char *path = path_join(themes_dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && listed++ < 20) {
			buf_puts(out, listed > 1 ? ", " : " ");
			buf_put_printable(out, names[i]->d_name, strlen(names[i]->d_name), 60);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	if (listed > 20)
		buf_printf(out, " and %zu more", listed - 20);
	if (!listed)
		buf_puts(out, " none");
}

/* What of the theme is not published as it is, said (helper 113: without a word): its folders
 * (a theme's files are copied to assets/, not its folders), and its files of the names of c360's
 * own scripts, which take their place. */
static void theme_left_out(const char *theme, const char *assets_dir)
{
	size_t n;
	Buf ignore = {0};
	char **names = dir_list(theme, NULL, &n, &ignore);
	for (size_t i = 0; i < n; i++) {
		char *path = path_join(theme, names[i]), *own = path_join(assets_dir, names[i]);
		struct stat st;
		bool folder = lstat(path, &st) == 0 && S_ISDIR(st.st_mode), taken = !folder && access(own, F_OK) == 0;
		if (folder || taken) {
			Buf shown = {0};
			buf_put_printable(&shown, path, strlen(path), 300);
			say(SAY_NORMAL, "%s: warning: %s", buf_cstr(&shown), folder ? "a folder, left out: a theme's files "
			    "are copied to assets/, not its folders" : "c360's own script of that name takes its place in "
			    "assets/: name it otherwise");
			buf_free(&shown);
		}
		free(path), free(own), free(names[i]);
	}
	free(names);
	buf_free(&ignore);
}

/* The theme's layout.html, and (all but shards past the first) its files and the scripts. */
static bool load_theme(Site *site, bool assets)
{
	const Config *cfg = site->cfg;
	char *dir = path_join(cfg->themes_dir, cfg->theme);
	struct stat st;
	if (lstat(dir, &st) != 0 && (errno == ENOENT || errno == ENAMETOOLONG)) {
		buf_put_printable(site->err, dir, strlen(dir), 300);
		buf_puts(site->err, ": error: no such theme; ");
		buf_put_printable(site->err, cfg->themes_dir, strlen(cfg->themes_dir), 300);
		buf_puts(site->err, " holds:");
		themes_list(cfg->themes_dir, site->err);
		buf_puts(site->err, " (--theme or theme names one; themes = another folder of themes)\n");
		free(dir);
		return false;
	}
	if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode)) {	/* its files are published as they are */
		buf_printf(site->err, "%s: error: a symbolic link; a theme is read only from a folder of its own "
				      "(set themes = the folder that holds the theme it points at)\n", dir);
		free(dir);
		return false;
	}
	if (assets)
		theme_left_out(dir, cfg->assets_dir);
	site->layout = load_template(dir, "layout.html", site->err);
	bool ok = site->layout && tpl_check(site->layout, &page_layout, NULL, site->err) &&
		  (!assets || (out_mkdir(site->dir, "assets", site->err) &&
			       out_copy_dir(dir, site->dir, "assets", "layout.html", site->err) &&
			       out_copy_dir(cfg->assets_dir, site->dir, "assets", NULL, site->err)));
	free(dir);
	site->layout_cut = ok && tpl_holes(site->layout, "title", "body", site->layout_hole);
	return ok;
}

bool site_open(Site *site, const Gold *g, const Config *cfg, const ChartSet *charts, const char *dir, Buf *err)
{
	const char *renderer = getenv("C360_RENDERER");
	const char *check = getenv("C360_CHECK_PAGES");
	*site = (Site){.g = g, .cfg = cfg, .charts = charts, .dir = dir, .err = err, .threads = config_threads(cfg),
		       .cmark_every_page = renderer && strcmp(renderer, "cmark") == 0,
		       .check_every_page = check && strcmp(check, "1") == 0};
	fmt_init(&site->fmt, cfg);
	FileHash settings = manifest_settings(cfg);
	FileHasher *h = file_hasher_new();	/* a source gone changes every page that says so */
	file_hasher_add(h, &settings, sizeof settings);
	for (int i = SRC_PAYMENTS; i < SRC_COUNT; i++) {
		source_why(&site->source_why[i], &g->quality[i]);
		file_hasher_add(h, buf_cstr(&site->source_why[i]), site->source_why[i].len + 1);
	}
	site->page_salt = file_hasher_end(h);
	site->page_salt.lo ^= site->cmark_every_page;	/* the same bytes, but pages.sh compares the two */
	md_init();
	page_plan_init(&site->plan, g, cfg);
	return load_templates(site, cfg->templates_dir) && load_theme(site, cfg->shard == 0);
}

void theme_chart_colours(const Config *cfg, uint32_t colour[4], Buf *warn)
{
	memcpy(colour, chart_colours_default, 4 * sizeof *colour);
	char *dir = path_join(cfg->themes_dir, cfg->theme), *path = path_join(dir, "style.css");
	Buf css = {0}, ignore = {0};
	if (file_read_own(path, &css, &ignore)) {	/* none, or none to read: said by the copy to assets/ */
		Buf shown = {0};
		buf_put_printable(&shown, path, strlen(path), 300);
		chart_css_colours(css.p ? css.p : "", css.len, buf_cstr(&shown), colour, warn);
		buf_free(&shown);
	}
	buf_free(&css), buf_free(&ignore);
	free(path), free(dir);
}

/* Whether the template named name (a .md file's name without it; an HTML fragment's with .html) is
 * a page's, a page's fragment or a partial some template includes. */
static bool template_used(const TplSet *set, const char *name)
{
	if (page_def(name) || tpl_set_includes(set, name))
		return true;
	for (const PageDef *p = page_defs; p->tpl; p++)
		for (int i = 0; i < PAGE_FRAGMENTS && p->fragments[i]; i++)
			if (strcmp(p->fragments[i], name) == 0)
				return true;
	return false;
}

/* The project's templates that no page uses, each a warning: c360 makes no page of a template
 * it does not know (a designer's templates/vip.md was a page never made, without a word). */
static void templates_unused(const Site *site)
{
	const TplSet *set = &site->tpl;
	for (size_t i = 0; i < set->n; i++) {
		if (template_used(set, set->name[i]))
			continue;
		size_t len = strlen(set->name[i]);
		bool html = len > 5 && strcmp(set->name[i] + len - 5, ".html") == 0;
		Buf file = {0}, shown = {0}, name = {0};
		buf_printf(&file, "%s%s", set->name[i], html ? "" : ".md");
		char *path = path_join(site->cfg->templates_dir, buf_cstr(&file));
		struct stat st;
		if (lstat(path, &st) == 0) {	/* not one of c360's own, taken for one the project lacks */
			buf_put_printable(&shown, path, strlen(path), 300);
			buf_put_printable(&name, set->name[i], len, 300);
			if (html)
				say(SAY_NORMAL, "%s: warning: no page uses it: put it in one by {{>%s}}", buf_cstr(&shown),
				    buf_cstr(&name));
			else
				say(SAY_NORMAL, "%s: warning: no page uses it: a page of your own goes in templates/pages/ "
				    "(pages/%s.md makes %s.html); any other template is a partial, put in one by {{>%s}}",
				    buf_cstr(&shown), buf_cstr(&name), buf_cstr(&name), buf_cstr(&name));
		}
		free(path);
		buf_free(&file), buf_free(&shown), buf_free(&name);
	}
	char *pages = path_join(site->cfg->templates_dir, "pages");	/* what of it is no page */
	size_t n = 0;
	Buf ignore = {0};
	char **names = is_dir(pages) ? dir_list(pages, NULL, &n, &ignore) : NULL;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (len <= 3 || strcmp(names[i] + len - 3, ".md") != 0) {
			Buf shown = {0};
			char *path = path_join(pages, names[i]);
			buf_put_printable(&shown, path, strlen(path), 300);
			say(SAY_NORMAL, "%s: warning: not a page: a page of your own is NAME.md, Markdown with tags (files "
			    "the pages use go in the theme, copied to assets/)", buf_cstr(&shown));
			buf_free(&shown), free(path);
		}
		free(names[i]);
	}
	free(names), free(pages), buf_free(&ignore);
}

bool site_templates_check(const Config *cfg, Buf *err)
{
	Site site = {.cfg = cfg, .err = err};
	bool ok = load_templates(&site, cfg->templates_dir) && load_theme(&site, false);
	if (ok) {	/* said once a build, before the charts are drawn on a thread */
		templates_unused(&site);
		uint32_t colour[4];
		Buf warn = {0};
		theme_chart_colours(cfg, colour, &warn);
		say_lines(SAY_NORMAL, &warn);
		buf_free(&warn);
	}
	tpl_set_free(&site.tpl);
	tpl_free(site.layout);
	return ok;
}

bool site_shared(Site *site)
{
	return site_dashboard(site) && site_quality(site) && site_segments(site) && site_lists(site);
}

void site_close(Site *site)
{
	for (int i = 0; i < SRC_COUNT; i++)
		buf_free(&site->source_why[i]);
	tpl_set_free(&site->tpl);
	tpl_free(site->layout);
	page_plan_free(&site->plan);
}
