/* test_skeleton.c — compiled pages are the pages cmark makes: templates that put values where
 * Markdown is touchy (emphasis, line starts, links, code, entities, raw HTML, tables), values
 * made of the bytes that could change the Markdown, each page compiled and through cmark. */
#include "harness.h"

static const char *const templates[] = {
	"# {{v0}}\n\nCustomer **{{v1}}**{{^v2}}, none{{/v2}}\n· [{{v3}}]({{root}}segments/{{v4}}.html){{#v5}} · **at risk**{{/v5}}\n",
	"| A | B |\n|---|---:|\n{{#items}}\n| {{x}} | {{y}} |\n{{/items}}\n\nAnd {{v0}} more.\n",
	"{{v0}}\n{{v1}}. item\n- {{v2}}\n> {{v3}}\n1. {{v4}}\n    {{v5}}\n",
	"*{{v0}}* _{{v1}}_ x**{{v2}}**y ~{{v3}}~ [{{v4}}] [x]{{v5}}\n",
	"[{{v0}}]({{v1}}) [a]({{v2}} \"{{v3}}\") [b]({{v4}}) ![{{v5}}](i.png)\n",
	"`{{v0}}` and ``{{v1}}``\n\n```\n{{v2}}\n```\n\n{{v3}}\n",
	"&{{v0}}; &#{{v1}}; \\{{v2}} <{{v3}}> {{v4}}\\\n{{v5}}\n",
	"Intro {{v0}}\n\n{{{r}}}\n\nAfter {{{r}}} {{v1}}\n\n## {{v2}}\n\n{{{r}}}{{v3}}\n",
	"<div>\n{{v0}}\n</div>\n\n{{v1}}\n\n<pre>\n\n{{v2}}\n</pre>\n",
	"[{{v0}}] [{{v1}}][foo]\n\n[foo]: /url\n\n{{v2}}\n",
	"{{v0}}\n===\n\n## {{v1}} ##\n\n{{v2}}\n---\n\n{{v3}}\n\n---\n",
	"- a\n\n{{v0}}\n\n  {{v1}}\n\n- {{v2}}\n\n1. {{v3}}\n\n{{v4}}\n",
	"{{v0}}\n{{v1}}  \nx{{v2}}\n\n| {{v3}} |\n|---|\n| {{v4}} |\n{{v5}}\n",
	"{{#items}}\n- {{x}} · {{y}}\n{{/items}}\n\n{{#items}}\n{{x}}\n\n{{/items}}\n",
	"| {{v0}} | b |\n|{{v1}}|---|\n| c | {{v2}} |\n\n***{{v3}}{{v4}}***\n\n{{v5}}{{root}}\n",
	"[a](x {{v0}})\n\n[b]({{v1}} y)\n\n[f]{{v5}}\n\n[g]({{v2}}\n\n[h]({{v3}}) ({{v4}})\n",
	"[c](<{{v2}}>)\n",
	"[a](x {{v0}}) {{v1}} [b](y {{v2}} ( {{v3}}\n{{v4}}) {{v5}} [c](z\n\n{{v0}}\n",
	"[d](java{{v3}}:x)\n\n[e]({{v4}}:x)\n",
	"ZqaZ Zq <a title=\"{{v0}}\">{{v1}}</a> ZqbZ\n",
	"ZqaZ [{{v0}}]\n",
	"x align{{{r}}}{{{r}}}\n\n{{{r}}} align{{{r}}}{{v0}}\n",
	"{{v0}}Z{{v1}}Z*{{v2}}*\n\n{{v3}}Z\n\nZ{{v4}}\n",
	"{{{r}}}\n\nx\x02" "0\x03 {{v0}}\n\n\x02" "1\x03\n",
};

/* Bytes that mean something to Markdown, HTML or UTF-8 (bidirectional controls too), and plain ones. */
static const char *const tokens[] = {
	"a", "Zed", "x y", "1", "12", "12.", "3)", " ", "  ", "\t", "*", "**", "_", "\"", "'", "(", ")", "[",
	"]", "<b>", ">", "&", "&amp;", "amp;", "#", "-", "--", ".", ":", "\xc3\xa9", "\xe2\x80\x94", "\xff", "\xc3",
	"|", "\\", "`", "~", "!", "=", "+", "\n", "\r\n", "http://x.y", "javascript:", "../", "a/b.html", "Zq",
	"ZqaZ", "\x02", "0\x03", "\x7f", "\x01", "~id", "-5", "@", "%", ",", "1,234.56", "\xe2\x82\xac", " align=\"",
	"(u)", "()", "\"t\"", "script", "javascript", "foo",
	"\xe2\x80\xae", "\xe2\x80\xac", "\xe2\x81\xa7", "\xe2\x81\xa9",	/* RLO PDF RLI PDI: esc_markdown closes them */
};

static Gen gen = {42, tokens, N_ELEMS(tokens), 4, 3};	/* values of one to 4 tokens, 3 in 10 plain */

static Value *data(Arena *a)
{
	static const char *const keys[] = {"v0", "v1", "v2", "v3", "v4", "v5", "root"};
	Value *d = v_obj(a);
	for (size_t i = 0; i < N_ELEMS(keys); i++)
		v_set(a, d, keys[i], gen_value(&gen, a));
	/* the last three hold no " align=\"" and say so (Value.aligned): one may only be met across
	   their edges, as with the first, which is not looked at so */
	static const char *const raws[] = {"<svg>x</svg>", "<table align=\"left\">", "align=\"", " align=\"x\" ",
					   "=\"l\"><td>xxxxxxxxxxxxxxxx</td><td align", "\"><b>xxxxxxxxxxxxxx</b> align=",
					   "n=\"a\">xxxxxxxxxxxxxx<i align"};
	unsigned which = gen_pick(&gen, N_ELEMS(raws));
	Value *r = v_raw(a, raws[which], strlen(raws[which]));
	r->aligned = which >= 4;
	v_set(a, d, "r", gen_pick(&gen, 4) ? r : gen_value(&gen, a));
	Value *items = v_set(a, d, "items", v_list(a));
	for (unsigned i = gen_pick(&gen, 4); i > 0; i--) {
		Value *o = v_push(a, items, v_obj(a));
		v_set(a, o, "x", gen_value(&gen, a));
		v_set(a, o, "y", gen_value(&gen, a));
	}
	return d;
}

/* Renders template t with data both ways; fails naming the template and the Markdown. */
static void same_page(const Template *t, const Value *d, SkelCache *cache, Arena *a, size_t which)
{
	Buf md = {0}, old = {0}, key = {0}, scratch = {0}, now = {0}, err = {0};
	RawStash r1 = {0}, r2 = {0};
	Slots slots = {0};
	tpl_render(t, d, ESC_MARKDOWN, NULL, &r1, NULL, &md, SIZE_MAX, &err);
	md_render(md.p ? md.p : "", md.len, &r1, a, &old);
	tpl_render_slots(t, d, NULL, &r2, NULL, &key, SIZE_MAX, &slots, &err);
	skel_render(cache, &key, &slots, &r2, a, &scratch, &now);
	CHECK(old.len == now.len && (old.len == 0 || memcmp(old.p, now.p, old.len) == 0),
	      "template %zu, Markdown:\n%s\ncmark:\n%s\ncompiled:\n%s", which, buf_cstr(&md), buf_cstr(&old), buf_cstr(&now));
	buf_free(&md), buf_free(&old), buf_free(&key), buf_free(&scratch), buf_free(&now), buf_free(&err);
	raw_stash_free(&r1), raw_stash_free(&r2);
	slots_free(&slots);
}

static void compiled_pages_are_cmarks(void **state)
{
	(void)state;
	md_init();
	uint64_t filled = 0, through = 0;
	size_t shapes = 0;
	for (size_t i = 0; i < N_ELEMS(templates); i++) {
		Buf err = {0};
		Template *t = tpl_parse("t.md", templates[i], strlen(templates[i]), &err);
		CHECK(t, "template %zu: %s", i, buf_cstr(&err));
		SkelCache *cache = skel_new(1 << 20);
		for (int page = 0; page < 3000; page++) {
			Arena a = {0};
			same_page(t, data(&a), cache, &a, i);
			arena_free(&a);
		}
		skel_stats(cache, &filled, &through, &shapes);
		skel_free(cache);
		tpl_free(t);
		buf_free(&err);
	}
	CHECK(filled * 4 > filled + through, "a quarter of the parts compiled or more: %llu compiled, %llu through cmark",
	      (unsigned long long)filled, (unsigned long long)through);
}

/* Values that fit where they go are filled into the shape, not sent through cmark again. */
static void plain_values_fill_the_shape(void **state)
{
	(void)state;
	Buf err = {0};
	Template *t = tpl_parse("t.md", templates[1], strlen(templates[1]), &err);
	SkelCache *cache = skel_new(1 << 20);
	for (int page = 0; page < 10; page++) {
		Arena a = {0};
		Value *d = v_obj(&a);
		char text[32];
		snprintf(text, sizeof text, "Name %d", page);
		v_set(&a, d, "v0", v_cstr(&a, text));
		Value *o = v_push(&a, v_set(&a, d, "items", v_list(&a)), v_obj(&a));
		v_set(&a, o, "x", v_cstr(&a, text));
		v_set(&a, o, "y", v_cstr(&a, "O'Brien & <Sons>"));
		same_page(t, d, cache, &a, 1);
		arena_free(&a);
	}
	uint64_t filled = 0, through = 0;
	size_t shapes = 0;
	skel_stats(cache, &filled, &through, &shapes);
	CHECK(through == 0 && filled == 20 && shapes == 2, "%llu compiled, %llu through cmark, %zu shapes",
	      (unsigned long long)filled, (unsigned long long)through, shapes);
	skel_free(cache);
	tpl_free(t);
	buf_free(&err);
}

/* A value's text is scanned 16 bytes at a time, its last bytes with those after it in the slots'
 * buffer (masked), or a byte at a time where fewer than 16 are left in the buffer: a value put
 * at every place near the buffer's end (its first 256 bytes, the filler before it) is escaped
 * as cmark escapes it, whichever way it was read. */
static void values_at_the_buffers_end(void **state)
{
	(void)state;
	static const char *const values[] = {"a<b>&\"c", "a\x1f&c", "x\x7fy", "q\xc2\x85r", "caf\xc3\xa9 <b>",
					     "0123456789abcdef<", "0123456789abcdefghij&\"kl"};
	Buf err = {0};
	const char *src = "{{f}} and {{v}}.\n";
	Template *t = tpl_parse("t.md", src, strlen(src), &err);
	SkelCache *cache = skel_new(1 << 20);
	char filler[256];
	memset(filler, 'f', sizeof filler);
	for (size_t k = 200; k < 248; k++)
		for (size_t i = 0; i < N_ELEMS(values); i++) {
			Arena a = {0};
			Value *d = v_obj(&a);
			v_set(&a, d, "f", v_str(&a, filler, k + strlen(values[i]) <= 247 ? k : 247 - strlen(values[i])));
			v_set(&a, d, "v", v_cstr(&a, values[i]));
			same_page(t, d, cache, &a, i);
			arena_free(&a);
		}
	uint64_t filled = 0, through = 0;
	size_t shapes = 0;
	skel_stats(cache, &filled, &through, &shapes);
	CHECK(filled == 48 * N_ELEMS(values) && through == 0, "%llu compiled, %llu through cmark",
	      (unsigned long long)filled, (unsigned long long)through);
	skel_free(cache);
	tpl_free(t);
	buf_free(&err);
}

/* A part whose marks stand in a link's address (after "](" and no ')' or blank line since) goes
 * through cmark, however many marks came before it in the paragraph; one after the address
 * closes is compiled. */
static void marks_in_link_addresses(void **state)
{
	(void)state;
	static const struct {
		const char *md;
		bool compiled;
	} cases[] = {
		{"{{v0}} [b](y {{v1}} ( {{v2}}\n", false},
		{"{{v0}} [b](y) {{v1}} ( {{v2}}\n", true},
		{"{{v0}} [b](y\n\n{{v1}} {{v2}}\n", true},
		{"{{v0}} {{v1}} [b](y\n{{v2}}\n", false},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Buf err = {0};
		Template *t = tpl_parse("t.md", cases[i].md, strlen(cases[i].md), &err);
		SkelCache *cache = skel_new(1 << 20);
		Arena a = {0};
		Value *d = v_obj(&a);
		v_set(&a, d, "v0", v_cstr(&a, "one")), v_set(&a, d, "v1", v_cstr(&a, "two"));
		v_set(&a, d, "v2", v_cstr(&a, "three"));
		same_page(t, d, cache, &a, i);
		uint64_t filled = 0, through = 0;
		size_t shapes = 0;
		skel_stats(cache, &filled, &through, &shapes);
		CHECK(cases[i].compiled ? filled && !through : through && !filled, "%s: %llu compiled, %llu through cmark",
		      cases[i].md, (unsigned long long)filled, (unsigned long long)through);
		arena_free(&a);
		skel_free(cache);
		tpl_free(t);
		buf_free(&err);
	}
}

/* A template's own "\x02<k>\x03" is a placeholder only where it is the page's next one: a part
 * that held it as the next one is known by its bytes where it is not (then the page goes through
 * cmark whole, as part_make says). Dropping shape_get's check of the placeholders' numbers does
 * not fail this: the part's fragments are then past the stash's end, the part goes through cmark,
 * and the next fragment fails part_make's rule: the same page. */
static void literal_placeholders(void **state)
{
	(void)state;
	static const char md[] = "{{{a}}}\n\nx\x02" "0\x03 {{v0}}\n\n{{{b}}}\n";
	Buf err = {0};
	Template *t = tpl_parse("t.md", md, strlen(md), &err);
	SkelCache *cache = skel_new(1 << 20);
	for (int page = 0; page < 4; page++) {
		Arena a = {0};
		Value *d = v_obj(&a);
		v_set(&a, d, "a", page % 2 ? v_raw(&a, "<i>a</i>", 8) : v_cstr(&a, "text"));
		v_set(&a, d, "b", v_raw(&a, "<b>b</b>", 8));
		v_set(&a, d, "v0", v_cstr(&a, "one"));
		same_page(t, d, cache, &a, 0);
		arena_free(&a);
	}
	skel_free(cache);
	tpl_free(t);
	buf_free(&err);
}

/* A page is cut into parts after each blank line that a line follows which starts no list and
 * no code: against the rule read byte by byte, on Markdown whose blank lines fall at every
 * place of a 16-byte block. */
static void parts_end_at_blank_lines(void **state)
{
	(void)state;
	static const char *const starts[] = {"", "", "", "- ", "1. ", " ", "\t", "*", "+"};
	static const char *const ends[] = {"\n", "\n", "\n\n", "\n\n\n"};
	srand(11);
	for (int round = 0; round < 400; round++) {
		Buf md = {0}, err = {0};
		for (int line = 0, lines = 1 + rand() % 12; line < lines; line++) {
			buf_puts(&md, line == 0 ? "" : starts[rand() % (int)N_ELEMS(starts)]);
			for (int k = 1 + rand() % 37; k > 0; k--)
				buf_putc(&md, "xyz "[rand() % 4]);
			if (line == lines / 2)
				buf_puts(&md, " {{v0}}");
			buf_puts(&md, ends[rand() % (int)N_ELEMS(ends)]);
		}
		size_t parts = 1;
		for (size_t i = 0; i + 1 < md.len; i++) {
			if (md.p[i] != '\n' || md.p[i + 1] != '\n')
				continue;
			while (i < md.len && md.p[i] == '\n')
				i++;
			parts += i < md.len && !strchr(" \t-+*0123456789", md.p[i]);
		}
		Template *t = tpl_parse("t.md", md.p, md.len, &err);
		CHECK(t, "%s", buf_cstr(&err));
		SkelCache *cache = skel_new(1 << 20);
		Arena a = {0};
		Value *d = v_obj(&a);
		v_set(&a, d, "v0", v_cstr(&a, "value"));
		same_page(t, d, cache, &a, 0);
		uint64_t filled = 0, through = 0;
		size_t shapes = 0;
		skel_stats(cache, &filled, &through, &shapes);
		CHECK(filled + through == parts, "%llu parts, not %zu:\n%s", (unsigned long long)(filled + through), parts,
		      buf_cstr(&md));
		arena_free(&a);
		skel_free(cache);
		tpl_free(t);
		buf_free(&md), buf_free(&err);
	}
}

/* md_align_classes turns every " align=\"" into " class=\"", and nothing else: against the plain
 * search, on texts of the pieces it looks for, cut at every length. */
static void align_classes_is_the_plain_search(void **state)
{
	(void)state;
	static const char *const bits[] = {" align=\"", "align=\"", " align=", "=\"", " ", "a", "=", "\"", "x", "<td"};
	srand(7);
	for (int round = 0; round < 2000; round++) {
		char text[112] = "", want[112];
		for (size_t len = 0; len < 80;) {
			const char *b = bits[rand() % (int)N_ELEMS(bits)];
			memcpy(text + len, b, strlen(b));
			len += strlen(b);
			text[len] = '\0';
		}
		size_t n = (size_t)rand() % (strlen(text) + 1);
		memcpy(want, text, sizeof want);
		for (char *p = want; (p = memmem(p, n - (size_t)(p - want), " align=\"", 8)); p += 8)
			memcpy(p, " class=\"", 8);
		md_align_classes(text, n);
		CHECK(memcmp(text, want, sizeof text) == 0, "\"%s\" cut at %zu: \"%s\"", want, n, text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compiled_pages_are_cmarks),
		cmocka_unit_test(plain_values_fill_the_shape),
		cmocka_unit_test(values_at_the_buffers_end),
		cmocka_unit_test(marks_in_link_addresses),
		cmocka_unit_test(align_classes_is_the_plain_search),
		cmocka_unit_test(parts_end_at_blank_lines),
		cmocka_unit_test(literal_placeholders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
