/* markdown.c — Markdown to HTML with cmark-gfm (tables), safe mode, and c360's own HTML
 * (charts, tables it made) put back where the template asked for it. */
#include "c360.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>

void md_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();	/* once, before any thread renders */
}

/* Copies html to out, putting each stashed fragment where its placeholder stands: a
 * placeholder alone in a paragraph replaces the paragraph. */
static void put_back(Buf *out, const char *html, const RawStash *raws)
{
	for (const char *p = html; *p;) {
		const char *mark = strchr(p, '\x02');
		if (!mark) {
			buf_puts(out, p);
			break;
		}
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
		buf_put(out, raws->s[k], raws->len[k]);
		p = to;
	}
}

void md_render(const char *md, size_t n, const RawStash *raws, Buf *out)
{
	cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_syntax_extension *table = cmark_find_syntax_extension("table");
	if (table)
		cmark_parser_attach_syntax_extension(parser, table);
	cmark_parser_feed(parser, md, n);
	cmark_node *doc = cmark_parser_finish(parser);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
	put_back(out, html, raws);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(parser);
}
