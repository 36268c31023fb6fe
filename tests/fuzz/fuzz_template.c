/* fuzz_template.c — libFuzzer: any template text parses or fails with a message, and renders
 * in both escapings without crashing; data never comes out as markup. */
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
		raw_stash_free(&raws);
		tpl_set_free(&set);
		tpl_free(t);
	}
	buf_free(&err), buf_free(&out), buf_free(&html);
	return 0;
}
