/* fuzz_markdown.c — libFuzzer: any text escaped for Markdown renders as one paragraph of the
 * same text (line breaks and controls, C0, DEL and C1, as spaces; its bidirectional controls
 * closed, esc_bidi) and never as markup. */
#include <stdlib.h>

#include "c360.h"

/* The text of the HTML cmark wrote for a paragraph: its entities decoded. */
static void html_text(const char *h, size_t n, Buf *out)
{
	static const struct { const char *entity, *c; } refs[] = {
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
	};
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		while (k < 4 && strncmp(h + i, refs[k].entity, strlen(refs[k].entity)) != 0)
			k++;
		if (k < 4) {
			buf_puts(out, refs[k].c);
			i += strlen(refs[k].entity);
		} else {
			buf_putc(out, h[i++]);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready)
		md_init(), ready = true;
	const char *s = (const char *)data;
	Buf md = {0}, html = {0}, clean = {0}, want = {0}, got = {0};
	esc_markdown(&md, s, size);
	Arena a = {0};
	md_render(md.p ? md.p : "", md.len, NULL, &a, &html);
	const char *h = html.p ? html.p : "";
	size_t n = html.len;
	if (n && (n < 8 || strncmp(h, "<p>", 3) != 0 || memcmp(h + n - 5, "</p>\n", 5) != 0))
		abort();	/* one paragraph, or nothing */
	const char *inner = n ? h + 3 : h;
	size_t in = n ? n - 8 : 0;
	if (memchr(inner, '<', in) || memchr(inner, '>', in))
		abort();	/* no markup came out of data */
	if (!utf8_sanitize(s, size, &clean)) {	/* valid text: it reads the same, closed */
		Buf closed = {0};
		esc_bidi(&closed, s, size);
		const char *c = closed.p ? closed.p : "";
		for (size_t i = 0, k; i < closed.len; i += k ? k : 1)	/* a control, C1's too, a space */
			(k = control_len(c + i, closed.len - i)) ? buf_putc(&want, ' ') : buf_putc(&want, c[i]);
		Str w = str_make(want.p ? want.p : "", want.len);
		size_t first = closed.len >= 3 && memcmp(c, "\xef\xbb\xbf", 3) == 0 ? 4 : 1;	/* after a leading BOM */
		buf_free(&closed);
		while (w.n > first && w.p[w.n - 1] == ' ')	/* a paragraph ends without blanks, but for */
			w.n--;					/* the first, escaped one */
		html_text(inner, in, &got);
		if (got.len != w.n || (w.n && memcmp(got.p, w.p, w.n) != 0))
			abort();
	}
	arena_free(&a);
	buf_free(&md), buf_free(&html), buf_free(&clean), buf_free(&want), buf_free(&got);
	return 0;
}
