/* fuzz_template.c — libFuzzer: any template text parses or fails with a message, and renders
 * in both escapings without crashing; data never comes out as markup; a template cut where two
 * plain tags go (tpl_holes, as the layout is) renders in pieces what it renders whole. */
#include <stdlib.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzz data: x holds markup (or, plain, none). */
static Value *fuzz_data(Arena *a, bool plain)
{
	Value *d = v_obj(a);
	v_set(a, d, "x", v_cstr(a, plain ? "b &amp; x" : "<b>&\"'[x](javascript:y)"));
	v_set(a, d, "n", v_num(a, V_MONEY, -12345));
	v_set(a, d, "raw", v_raw(a, "<i>ok</i>", 9));
	Value *l = v_set(a, d, "l", v_list(a));
	v_push(a, l, v_cstr(a, plain ? "s" : "<s>"));
	v_push(a, l, v_obj(a));
	return d;
}

static size_t count_b(const Buf *b)
{
	size_t n = 0;
	for (size_t at = 0; b->p && at < b->len; n++) {
		const char *p = memmem(b->p + at, b->len - at, "<b>", 3);
		if (!p)
			break;
		at = (size_t)(p - b->p) + 3;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static Arena a;
	static Value *d, *plain;
	if (!d) {
		md_init();
		d = fuzz_data(&a, false);
		plain = fuzz_data(&a, true);
	}
	Buf err = {0}, out = {0}, html = {0};
	Template *t = tpl_parse("fuzz.md", (const char *)data, size, &err);
	if (!t && !err.len)
		abort();	/* a template that does not parse says why */
	if (t) {
		TplSet set = {0};
		tpl_set_add(&set, "self", tpl_parse("self", "{{>self}}", 9, &err));	/* recursion is cut off */
		RawStash raws = {0};
		tpl_render(t, d, ESC_HTML, &set, NULL, NULL, &out, 1 << 20, &err);
		size_t marked = count_b(&out);	/* a <b> the template's own text makes is in both */
		out.len = 0;
		tpl_render(t, plain, ESC_HTML, &set, NULL, NULL, &out, 1 << 20, &err);
		if (marked > count_b(&out))
			abort();	/* the data's <b> was written as markup */
		out.len = 0;
		tpl_render(t, d, ESC_MARKDOWN, &set, &raws, NULL, &out, 1 << 20, &err);
		Arena ma = {0};
		md_render(out.p ? out.p : "", out.len, &raws, &ma, &html);
		/* the data's link is text; a template's own text may make "bjavascript:y" an autolink */
		if (memmem(html.p ? html.p : "", html.len, "<b>", 3) || memmem(html.p ? html.p : "", html.len, "\"javascript:y\"", 14))
			abort();
		arena_free(&ma);
		size_t hole[2], said = err.len;	/* cut where {{x}} and {{{raw}}} go: the pieces are the whole */
		if (tpl_holes(t, "x", "raw", hole)) {
			out.len = html.len = 0;
			bool whole = tpl_render(t, d, ESC_HTML, NULL, NULL, NULL, &out, 1 << 20, &err);
			tpl_render_top(t, 0, hole[0], d, NULL, &html, &err);
			tpl_render_top(t, hole[0], hole[0] + 1, d, NULL, &html, &err);
			tpl_render_top(t, hole[0] + 1, hole[1], d, NULL, &html, &err);
			buf_puts(&html, "<i>ok</i>");
			tpl_render_top(t, hole[1] + 1, SIZE_MAX, d, NULL, &html, &err);
			if (whole && (err.len != said || html.len != out.len || (out.len && memcmp(html.p, out.p, out.len) != 0)))
				abort();
		}
		raw_stash_free(&raws);
		tpl_set_free(&set);
		tpl_free(t);
	}
	buf_free(&err), buf_free(&out), buf_free(&html);
	return 0;
}
