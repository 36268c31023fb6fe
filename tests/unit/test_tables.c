/* test_tables.c — a page's long table rendered a row at a time (skel_render_rows, site.c) is
 * what cmark makes of the page whole: tables where lists, raw HTML, a paragraph or rows of
 * other widths are next to them, cells made of the bytes that could change the Markdown. */
#include "harness.h"

static const struct {
	const char *md;
	bool rows;	/* with two rows or more, rendered a row at a time */
} templates[] = {
	{"# {{v0}}\n\n{{v1}} rows: {{v2}}.\n\n| A | B | C |\n|---|---:|:---:|\n{{#items}}\n"
	 "| {{#url}}[{{x}}]({{root}}{{url}}){{/url}}{{^url}}{{x}}{{/url}} | {{y}} | {{v3}} |\n{{/items}}\n\nAfter {{v4}}.\n",
	 true},
	{"| {{v0}} | b |\n|---|---|\n{{#items}}\n| {{x}} | {{y}} |\n{{/items}}\n", true},
	{"{{{r}}}\n\n| A |\n|---|\n{{#items}}\n| {{x}} |\n{{/items}}\n\n{{v0}}\n", true},
	{"- {{v0}}\n\n| A | B |\n| --- | --- |\n{{#items}}\n| {{x}} | {{y}} |\n{{/items}}\n\n1. {{v1}}\n", true},
	{"- {{v0}}\n\n| A | B |\n| --- | --- |\n{{#items}}\n| {{x}} | {{y}}\n{{/items}}\n", false},	/* no last bar */
	{"> {{v0}}\n\n| A | B |\n|---|---|\n{{#items}}\n|{{x}}|{{y}}|\n{{/items}}\n\n\n{{v1}}\n", true},
	{"| A | B |\n|---|---|\n{{#items}}\n| {{x}} |\n{{/items}}\n", false},	/* rows narrower than the head */
	{"| A | B |\n|---|---|\n{{#items}}\n| {{x}} | {{y}} |\n{{/items}}\nTail {{v0}}\n", false},
	{"| A | B |\n|---|---|\n{{#items}}\n| {{x}} | {{y}} |\n{{/items}}\n\n[a]: /u\n", false},
	{"<div>\n\n| A |\n|---|\n{{#items}}\n| {{x}} |\n{{/items}}\n", false},
	{"```\n\n| A |\n|---|\n{{#items}}\n| {{x}} |\n{{/items}}\n", false},
	{"| A \\| B |\n|---|\n{{#items}}\n| {{x}} |\n{{/items}}\n", false},
	{"| A | B |\n|---|---|\n{{#items}}\n| {{x}} | {{{r}}} |\n{{/items}}\n", false},
	{"x\n| A | B |\n|---|---|\n{{#items}}\n| {{x}} | {{y}} |\n{{/items}}\n", false},	/* no blank line before */
	{"| A | B |\n|---|---|\n{{#items}}\n| {{x}} | {{y}} |\n{{/items}}\n\n| C |\n|---|\n{{#items}}\n| {{y}} |\n{{/items}}\n",
	 true},
};

/* Bytes that mean something to Markdown, HTML, tables or UTF-8, and plain ones. */
static const char *const tokens[] = {
	"a", "Zed", "x y", "1", "12", "12.", "3)", " ", "  ", "\t", "*", "**", "_", "\"", "'", "(", ")", "[", "]",
	"<b>", "</tbody>", "<table>", ">", "&", "&amp;", "#", "-", "---", ":", "\xc3\xa9", "\xff", "\xc3", "|", "||",
	"\\", "\\|", "`", "~", "!", "=", "+", "\n", "\n\n", "\r\n", "http://x.y", "www.x.y", "javascript:", "../",
	"Zq", "ZqaZ", "\x02", "0\x03", "\x7f", "\x01", "-5", "@", "%", ",", "10,393", " align=\"", "\xe2\x80\xae",
	"\xe2\x81\xa9", "[x](y)", "[x]: /y",
};

static Gen gen = {19, tokens, N_ELEMS(tokens), 3, 4};	/* values of one to 3 tokens, 4 in 10 plain */

static Value *data(Arena *a)
{
	static const char *const keys[] = {"v0", "v1", "v2", "v3", "v4", "root"};
	Value *d = v_obj(a);
	for (size_t i = 0; i < N_ELEMS(keys); i++)
		v_set(a, d, keys[i], gen_value(&gen, a));
	v_set(a, d, "r", v_raw(a, "<svg align=\"x\">y</svg>", 22));
	Value *items = v_set(a, d, "items", v_list(a));
	for (unsigned i = gen_pick(&gen, 3) ? 2 + gen_pick(&gen, 30) : gen_pick(&gen, 3); i > 0; i--) {
		Value *o = v_push(a, items, v_obj(a));
		v_set(a, o, "x", gen_value(&gen, a));
		v_set(a, o, "y", gen_value(&gen, a));
		v_set(a, o, "url", gen_pick(&gen, 3) ? v_cstr(a, "customers/ab/c-1.html") : gen_value(&gen, a));
	}
	return d;
}

static void tables_a_row_at_a_time(void **state)
{
	(void)state;
	md_init();
	for (size_t i = 0; i < N_ELEMS(templates); i++) {
		Buf err = {0};
		Template *t = tpl_parse("t.md", templates[i].md, strlen(templates[i].md), &err);
		CHECK(t, "template %zu: %s", i, buf_cstr(&err));
		SkelCache *cache = skel_new(1 << 20);
		size_t by_rows = 0, pages = 400;
		for (size_t page = 0; page < pages; page++) {
			Arena a = {0};
			Value *d = data(&a);
			Buf md = {0}, old = {0}, key = {0}, scratch = {0}, now = {0};
			RawStash r1 = {0}, r2 = {0};
			Slots slots = {0};
			tpl_render(t, d, ESC_MARKDOWN, NULL, &r1, NULL, &md, SIZE_MAX, &err);
			md_render(md.p ? md.p : "", md.len, &r1, &a, &old);
			tpl_render_slots(t, d, NULL, &r2, NULL, &key, SIZE_MAX, &slots, &err);
			buf_puts(&now, "<main>");	/* what the page has before its body */
			bool rows = skel_render_rows(cache, &key, &slots, &r2, &a, &scratch, &now);
			if (!rows)
				skel_render(cache, &key, &slots, &r2, &a, &scratch, &now);
			by_rows += rows;
			CHECK(now.len == old.len + 6 && memcmp(now.p + 6, old.p ? old.p : "", old.len) == 0,
			      "template %zu, page %zu (%s), Markdown:\n%s\ncmark:\n%s\nhere:\n%s", i, page,
			      rows ? "a row at a time" : "whole", buf_cstr(&md), buf_cstr(&old), buf_cstr(&now) + 6);
			buf_free(&md), buf_free(&old), buf_free(&key), buf_free(&scratch), buf_free(&now);
			raw_stash_free(&r1), raw_stash_free(&r2);
			slots_free(&slots);
			arena_free(&a);
		}
		CHECK(templates[i].rows ? by_rows > pages / 3 : by_rows == 0, "template %zu: %zu of %zu pages a row at a time",
		      i, by_rows, pages);
		skel_free(cache);
		tpl_free(t);
		buf_free(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tables_a_row_at_a_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
