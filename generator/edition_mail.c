/* edition_mail.c — the weekly e-mail: its HTML (inline styles only, as mail clients want; the
 * changes coloured by tone; a link to the site where site_url says where it is), its plain text,
 * and weekly/email.eml: multipart/mixed of multipart/alternative (text, then the HTML with the
 * charts inline) and the PDF attached. */
#include "c360.h"

#include <stdio.h>

static const char *const tone_colour[] = {"#b3261e", "#5b616b", "#1b7a46"};	/* bad, neither, good */

static void html(Buf *b, const char *s)
{
	esc_html(b, s, strlen(s));
}

static void html_head(const Edition *e, Buf *b, bool preview)
{
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	if (preview)	/* the site's icon (a browser asks for /favicon.ico else); the e-mail links to nothing */
		buf_puts(b, "<link rel=\"icon\" href=\"../assets/favicon.svg\" type=\"image/svg+xml\">\n");
	buf_puts(b,
		    "<style>@media (max-width: 600px) { body { padding: 12px !important } th, td { padding: 5px 4px !important }\n"
		    /* a phone's columns: the KPI, its value and its change (a percentage's in pts); the customer,
		     * the last order, the open tickets and the value (the rest is in the PDF attached) */
		    "div[aria-label=\"Key figures\"] th:nth-child(3), div[aria-label=\"Key figures\"] td:nth-child(3),\n"
		    "div[aria-label=\"Key figures\"] th:nth-child(5), div[aria-label=\"Key figures\"] td:nth-child(5),\n"
		    "div[aria-label=\"Customers at churn risk\"] th:nth-child(2), div[aria-label=\"Customers at churn risk\"] td:nth-child(2),\n"
		    "div[aria-label=\"Customers at churn risk\"] th:nth-child(3), div[aria-label=\"Customers at churn risk\"] td:nth-child(3)"
		    " { display: none } }</style>\n<title>");
	html(b, e->title);
	buf_puts(b, ": the week to ");
	html(b, e->as_of);
	buf_puts(b, "</title>\n</head>\n<body style=\"margin:0;padding:24px;background:#f5f6f8;font-family:'DejaVu Sans',"
		    "Arial,sans-serif;color:#1c1e21\">\n<main>\n<h1 style=\"font-size:22px;margin:0 0 12px\">");
	html(b, e->title);
	buf_puts(b, " &#8212; the week to ");
	html(b, e->as_of);
	buf_puts(b, "</h1>\n<p style=\"font-size:15px;line-height:1.5;max-width:640px\">");
	html(b, buf_cstr((Buf *)&e->summary));
	buf_puts(b, "</p>\n");
	if (e->site) {
		buf_puts(b, "<p style=\"font-size:15px\"><a href=\"");
		html(b, e->site);
		buf_puts(b, "\" style=\"color:#0a58a8\">Open the dashboard</a> for every customer, chart and table.</p>\n");
	}
}

#define CELL "padding:6px 10px;border-bottom:1px solid #dde;"
/* A table wider than a phone scrolls, not the page: a region the keyboard can scroll too. */
#define SCROLLS(name) "<div style=\"overflow-x:auto\" tabindex=\"0\" role=\"region\" aria-label=\"" name "\">"
#define WHOLE "white-space:nowrap;"	/* a date or a figure on one line ("Mar 6, 2024" wrapped in three) */

static void html_kpis(const Edition *e, Buf *b)
{
	buf_puts(b, "<h2 style=\"font-size:16px;margin-top:24px\">Key figures</h2>\n" SCROLLS("Key figures")
		    "<table style=\"border-collapse:collapse;background:#fff;font-size:14px\">\n"
		    "<thead><tr><th scope=\"col\" style=\"" CELL "text-align:left\">KPI</th>");
	const char *heads[] = {e->as_of, "a week earlier", "change", "change %"};
	for (int i = 0; i < 4; i++) {
		buf_puts(b, "<th scope=\"col\" style=\"" CELL WHOLE "text-align:right\">");
		html(b, heads[i]);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (int k = 0; k < K_COUNT; k++) {
		const EditionKpi *r = &e->kpi[k];
		buf_puts(b, "<tr><th scope=\"row\" style=\"" CELL "text-align:left;font-weight:normal\">");
		html(b, r->name);
		buf_puts(b, "</th><td style=\"" CELL WHOLE "text-align:right\"><strong>");
		html(b, r->now);
		buf_puts(b, "</strong></td><td style=\"" CELL WHOLE "text-align:right\">");
		html(b, r->before);
		for (int i = 0; i < 2; i++) {
			buf_printf(b, "</td><td style=\"" CELL WHOLE "text-align:right;color:%s\">", tone_colour[r->tone + 1]);
			html(b, i ? r->change_pct : r->change);
		}
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n</div>\n");
}

/* A link to a page of the site, where site_url says where it is. */
static void site_link(const Edition *e, Buf *b, const char *page)
{
	size_t n = strlen(e->site) - strlen("index.html");
	buf_puts(b, "<a style=\"color:#0a58a8\" href=\"");
	esc_html(b, e->site, n);
	html(b, page);
	buf_puts(b, "\">");
}

static void html_at_risk(const Edition *e, Buf *b)
{
	buf_puts(b, "<h2 style=\"font-size:16px;margin-top:24px\">");
	html(b, e->at_risk_title);
	buf_puts(b, "</h2>\n");
	if (!e->nat_risk) {
		buf_puts(b, "<p>"), html(b, e->at_risk_none), buf_puts(b, "</p>\n");
		return;
	}
	buf_puts(b, SCROLLS("Customers at churn risk") "<table style=\"border-collapse:collapse;background:#fff;font-size:14px\">\n"
		    "<thead><tr>");
	const char *heads[] = {"Customer", "Id", "Segment", "Last order", "Open tickets", "Lifetime value"};
	for (int i = 0; i < 6; i++)
		buf_printf(b, "<th scope=\"col\" style=\"" CELL "text-align:%s\">%s</th>", i < 3 ? "left" : "right", heads[i]);
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < e->nat_risk; i++) {
		const EditionCustomer *r = &e->at_risk[i];
		buf_puts(b, "<tr><td style=\"" CELL "overflow-wrap:anywhere;word-break:break-word\">");	/* a name of one word */
		bool link = e->site && r->page[0];
		if (link)
			site_link(e, b, r->page);
		html(b, r->name);
		buf_puts(b, link ? "</a>" : "");
		const char *cells[] = {r->id, r->segment, r->last_order};
		for (int c = 0; c < 3; c++) {
			buf_printf(b, "</td><td style=\"" CELL "%s\">", c < 2 ? "text-align:left" : WHOLE "text-align:right");
			html(b, cells[c]);
		}
		buf_printf(b, "</td><td style=\"" CELL "text-align:right;color:%s\">", r->open_tickets ? tone_colour[0]
												       : tone_colour[1]);
		html(b, r->open);	/* the configuration's thousands separator, as the value's */
		buf_puts(b, "</td><td style=\"" CELL WHOLE "text-align:right\">");
		html(b, r->value);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n</div>\n");
}

static void chart_cid(const Edition *e, size_t i, Buf *b);

void edition_mail_html(const Edition *e, Buf *b, bool preview)
{
	html_head(e, b, preview);
	html_kpis(e, b);
	html_at_risk(e, b);
	for (size_t i = 0; i < e->charts->n; i++) {
		const Chart *c = &e->charts->c[i].chart;
		if (!e->charts->c[i].dashboard)
			continue;
		buf_puts(b, "<h2 style=\"font-size:16px;margin-top:28px\">");
		html(b, c->title);
		buf_puts(b, "</h2>\n<img src=\"");
		if (preview)
			buf_printf(b, "../charts/%s.png", c->id);
		else
			buf_puts(b, "cid:"), chart_cid(e, i, b);
		/* a bar chart's figures in words, which a mail client that blocks pictures shows instead
		 * (a chart with no data: so said, as drawn) */
		Buf alt = {0};
		if (c->kind == CHART_BARS || !c->ncat)
			chart_words(c, &alt);
		else
			buf_printf(&alt, "%s (the numbers are on the dashboard)", c->title);
		buf_puts(b, "\" width=\"360\" alt=\"");
		html(b, buf_cstr(&alt));
		buf_puts(b, "\" style=\"max-width:100%;height:auto;background:#fff\">\n");
		buf_free(&alt);
	}
	buf_puts(b, "<p style=\"color:#5b616b;font-size:12px;margin-top:28px\">Made by c360 " C360_VERSION
		    " from the exports as of ");
	html(b, e->as_of);
	buf_puts(b, ". The PDF attached has the same figures; the gold tables for Power BI have every detail.</p>\n"
		    "</main>\n</body>\n</html>\n");
}

/* ---- the plain text */

/* The characters in s[0, n) (of UTF-8). */
static size_t width_of_n(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

static size_t width_of(const char *s)
{
	return width_of_n(s, strlen(s));
}

/* s in a column w wide, on the right or the left. */
static void column(Buf *b, const char *s, size_t w, bool right)
{
	size_t n = width_of(s);
	for (size_t i = n; right && i < w; i++)
		buf_putc(b, ' ');
	buf_puts(b, s);
	for (size_t i = n; !right && i < w; i++)
		buf_putc(b, ' ');
}

/* text wrapped at 72 columns, the lines after the first after indent. */
static void wrapped(Buf *b, const char *text, const char *indent)
{
	size_t col = 0;
	for (const char *w = text; *w;) {
		size_t n = strcspn(w, " ");
		if (col && col + 1 + width_of_n(w, n) > 72) {
			buf_printf(b, "\n%s", indent);
			col = width_of(indent);
		} else if (col) {
			buf_putc(b, ' '), col++;
		}
		buf_put(b, w, n);
		col += width_of_n(w, n);
		w += n + (w[n] == ' ');
	}
	buf_puts(b, "\n");
}

void edition_mail_text(const Edition *e, Buf *b)
{
	buf_printf(b, "%s - the week to %s\n\n", e->title, e->as_of);
	wrapped(b, buf_cstr((Buf *)&e->summary), "");
	buf_puts(b, "\nKey figures\n\n");
	/* each column as wide as its widest text, two spaces between (helper 116: a revenue of ten
	   digits ran into the next one) */
	const char *cell[K_COUNT + 1][5] = {{"", e->as_of, "a week earlier", "change", "change %"}};
	for (int k = 0; k < K_COUNT; k++) {
		const EditionKpi *r = &e->kpi[k];
		memcpy(cell[k + 1], (const char *[5]){r->name, r->now, r->before, r->change, r->change_pct}, sizeof cell[0]);
	}
	size_t w[5] = {0};
	for (int k = 0; k <= K_COUNT; k++)
		for (int c = 0; c < 5; c++)
			w[c] = width_of(cell[k][c]) > w[c] ? width_of(cell[k][c]) : w[c];
	for (int k = 0; k <= K_COUNT; k++) {
		column(b, cell[k][0], w[0], false);
		for (int c = 1; c < 5; c++)
			column(b, cell[k][c], w[c] + 2, true);
		buf_putc(b, '\n');
	}
	buf_printf(b, "\n%s\n\n", e->at_risk_title);
	if (!e->nat_risk)
		buf_printf(b, "%s\n", e->at_risk_none);
	Buf item = {0};
	for (size_t i = 0; i < e->nat_risk; i++) {
		const EditionCustomer *r = &e->at_risk[i];
		item.len = 0;
		/* the name and id closed (esc_bidi) and isolated (U+2068 .. U+2069): a Hebrew name
		   first on the line does not make all of it, "(id), segment" too, read from the right */
		buf_puts(&item, "- \u2068");
		esc_bidi(&item, r->name, strlen(r->name));
		buf_puts(&item, "\u2069 (\u2068");
		esc_bidi(&item, r->id, strlen(r->id));
		buf_printf(&item, "\u2069), %s", r->segment);
		wrapped(b, buf_cstr(&item), "  ");	/* the figures on a line of their own, under it */
		buf_printf(b, "  lifetime value %s, last order %s, open tickets %s\n", r->value,
			   *r->last_order ? r->last_order : "none", r->open);
	}
	buf_free(&item);
	buf_puts(b, "\nThe charts are in the HTML version of this e-mail and in the PDF attached.\n");
	if (e->site)
		buf_printf(b, "The dashboard: %s\n", e->site);
	buf_printf(b, "\nMade by c360 " C360_VERSION " from the exports as of %s.\n", e->as_of);
}

/* ---- weekly/email.eml */

/* Base64 of s, on one line. */
static void base64_line(Buf *b, const unsigned char *s, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
		char q[4] = {abc[v >> 18 & 63], abc[v >> 12 & 63], i + 1 < n ? abc[v >> 6 & 63] : '=', i + 2 < n ? abc[v & 63] : '='};
		buf_put(b, q, 4);
	}
}

/* Base64 of s for a MIME body: lines of 76 characters, each ended by CRLF. */
static void base64(Buf *b, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i += 57) {
		base64_line(b, s + i, n - i < 57 ? n - i : 57);
		buf_put(b, "\r\n", 2);
	}
}

/* A part: its headers, then its body in base64; a text's line ends made CRLF first, the form
 * RFC 2046 4.1.1 wants a text in (a CR or LF alone becomes one). */
static void part(Buf *m, const char *boundary, const char *headers, const Buf *body, bool text)
{
	buf_printf(m, "--%s\r\n%sContent-Transfer-Encoding: base64\r\n\r\n", boundary, headers);
	const char *p = body->p ? body->p : "";
	size_t n = body->len;
	Buf canon = {0};
	if (text) {
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '\r' || p[i] == '\n')
				buf_put(&canon, "\r\n", 2), i += p[i] == '\r' && i + 1 < n && p[i + 1] == '\n';
			else
				buf_putc(&canon, p[i]);
		}
		p = canon.p ? canon.p : "", n = canon.len;
	}
	base64(m, (const unsigned char *)p, n);
	buf_free(&canon);
}

/* ---- the headers: lines of at most 76 characters (RFC 2047 2's limit for a line holding an
 * encoded-word; RFC 5322 2.1.1 wants 78), folded before a token that would pass it (an address
 * longer than that, which has no place to fold, keeps a line of its own: 998 is the limit). col: the
 * line's length so far; 0 right after a line end, where the next token is folded already. */
typedef struct {
	Buf *b;
	size_t col;
} Header;

enum { HEADER_LINE = 76 };

static void header_token(Header *h, const char *s, size_t n)
{
	if (h->col && h->col + 1 + n > HEADER_LINE)
		buf_puts(h->b, "\r\n"), h->col = 0;
	buf_putc(h->b, ' ');
	buf_put(h->b, s, n);
	h->col += 1 + n;
}

/* Text as RFC 2047 encoded-words (=?UTF-8?B?...?=), each holding whole characters, as many
 * bytes as the line has room for (45 at most: a word of 72 characters). */
static void header_encoded(Header *h, const char *s, size_t n)
{
	for (size_t at = 0; at < n;) {
		size_t lead = h->col + 1, room = lead + 12 + 8 <= HEADER_LINE ? HEADER_LINE - lead - 12 : 0;
		if (room < 8)	/* less than two groups of base64: the word starts the next line */
			buf_puts(h->b, "\r\n"), h->col = 0, room = HEADER_LINE - 1 - 12;
		size_t max = room / 4 * 3 < 45 ? room / 4 * 3 : 45, take = utf8_char_cut(s + at, n - at, max);
		if (!take)
			take = n - at < max ? n - at : max;
		for (size_t k = take; at + take < n && k-- > 1;)	/* after a space where one is: a reader that */
			if (s[at + k] == ' ') {			/* puts one between words splits no word (helper 116) */
				take = k + 1;
				break;
			}
		if (h->col && at + take < n && s[at + take - 1] != ' ' && s[at + take] != ' ') {
			buf_puts(h->b, "\r\n"), h->col = 0;	/* a word cut where the line had little room: */
			continue;				/* the next line, with more (helper 119) */
		}
		Buf word = {0};
		buf_puts(&word, "=?UTF-8?B?");
		base64_line(&word, (const unsigned char *)s + at, take);
		buf_puts(&word, "?=");
		header_token(h, word.p, word.len);
		buf_free(&word);
		at += take;
	}
}

/* Whether s is printable ASCII, as a header may carry it. */
static bool is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* Whether header text s must be encoded-words: not printable ASCII, or holding what a reader
 * would take for an encoded-word (RFC 2047 6.2: "=?"), or a word too long for a line. */
static bool needs_encoding(const char *s, size_t n)
{
	size_t word = 0;
	for (size_t i = 0; i < n; i++) {
		word = s[i] == ' ' ? 0 : word + 1;
		if (word > 60 || (s[i] == '=' && i + 1 < n && s[i + 1] == '?'))
			return true;
	}
	return !is_ascii(s, n);
}

/* Unstructured text (a Subject), folded at its spaces or written as encoded-words. */
static void header_text(Header *h, const char *s, size_t n)
{
	if (needs_encoding(s, n)) {
		header_encoded(h, s, n);
		return;
	}
	for (size_t at = 0; at < n;) {
		size_t end = at;
		while (end < n && s[end] != ' ')
			end++;
		if (end > at)
			header_token(h, s + at, end - at);
		at = end + 1;
	}
}

/* ---- the addresses of email_from and email_to (RFC 5322 3.4): checked when the settings are
 * read, written as their mailboxes */

static bool is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* An address: local@domain, ASCII; the local part a dot-atom of at most 64 bytes, the domain
 * labels of letters, digits and hyphens (an international one as its xn-- form). NULL, or why not. */
static const char *address_check(Str a)
{
	const char *at = a.n ? memrchr(a.p, '@', a.n) : NULL;
	if (!at)
		return "no @ in the address; a name with a comma goes in double quotes";
	Str local = str_make(a.p, (size_t)(at - a.p)), domain = str_make(at + 1, a.n - local.n - 1);
	if (memchr(local.p, ':', local.n))
		return "a group (name: addresses;) is not supported, but the empty one, undisclosed-recipients:;";
	if (local.n && local.p[0] == '"')
		return "an address with a quoted part before @ is not supported";
	if (memchr(a.p, ';', a.n))
		return "addresses are separated by commas";
	if (!is_ascii(a.p, a.n))
		return "an address is ASCII, an international domain in its xn-- form";
	if (!local.n || local.n > 64 || local.p[0] == '.' || local.p[local.n - 1] == '.')
		return "the part before @ is empty, longer than 64 characters or begins or ends with a dot";
	for (size_t i = 0; i < local.n; i++)
		if (!(is_atext((unsigned char)local.p[i]) || (local.p[i] == '.' && local.p[i - 1] != '.')))
			return "the part before @ holds a character an address cannot";
	if (!domain.n || domain.n > 253)
		return "the domain is empty or longer than 253 characters";
	for (size_t i = 0, label = 0; i <= domain.n; i++) {
		char c = i < domain.n ? domain.p[i] : '.';
		if (c == '.') {
			if (!label || domain.p[i - 1] == '-' || domain.p[i - label] == '-' || label > 63)
				return "a part of the domain is empty, longer than 63 characters or begins or ends with -";
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
			label++;
		} else {
			return "the domain holds a character other than letters, digits, - and .";
		}
	}
	return NULL;
}

/* The mailbox of s: an address, or a name and an address in angle brackets, the name as
 * written or in double quotes (its backslashes then escape the next character). *name: the
 * name's text (into names); NULL, or why it is no mailbox. */
static const char *mailbox_parse(Str s, Str *name, Str *addr, Buf *names)
{
	s = str_trim(s);
	bool quoted = false;
	size_t lt = s.n;
	for (size_t i = 0; i < s.n && lt == s.n; i++) {
		if (s.p[i] == '\\' && quoted)
			i++;
		else if (s.p[i] == '"')
			quoted = !quoted;
		else if (s.p[i] == '<' && !quoted)
			lt = i;
	}
	names->len = 0;
	*name = str_make("", 0);
	if (lt == s.n) {
		*addr = s;
		bool quoted_local = s.n && s.p[0] == '"' && memmem(s.p, s.n, "\"@", 2);	/* address_check says so */
		return memchr(s.p, '>', s.n) || (memchr(s.p, '"', s.n) && !quoted_local) ? "a name goes before <address>"
											     : address_check(s);
	}
	if (s.p[s.n - 1] != '>')
		return "text after <address>";
	*addr = str_make(s.p + lt + 1, s.n - lt - 2);
	Str n = str_trim(str_make(s.p, lt));
	bool q = n.n >= 2 && n.p[0] == '"' && n.p[n.n - 1] == '"';
	for (size_t i = q; i < n.n - q; i++) {
		unsigned char c = (unsigned char)n.p[i];
		if (c < 0x20 || c == 0x7f)
			return "a control character in the name";
		if (q && c == '\\' && i + 1 < n.n - 1)
			c = (unsigned char)n.p[++i];
		else if (c == '"' && q)
			return "a double quote in a quoted name needs a \\ before it";
		buf_putc(names, (char)c);
	}
	if (names->len > 256)
		return "a name longer than 256 bytes";
	*name = str_make(names->p ? names->p : "", names->len);
	return address_check(*addr);
}

/* The end of the mailbox at p: the next comma outside quotes and angle brackets. */
static const char *mailbox_end(const char *p)
{
	bool quoted = false, angle = false;
	for (; *p && (quoted || angle || *p != ','); p++) {
		if (*p == '\\' && quoted && p[1])
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == '<' || *p == '>'))
			angle = *p == '<';
	}
	return p;
}

/* Whether list is a group of no mailbox, "name:;" (undisclosed-recipients:;). */
static bool empty_group(const char *list)
{
	size_t n = strlen(list);
	if (n < 3 || strcmp(list + n - 2, ":;") != 0)
		return false;
	for (size_t i = 0; i < n - 2; i++)
		if (!is_atext((unsigned char)list[i]) && list[i] != ' ')
			return false;
	return true;
}

const char *mail_addresses_check(const char *list, bool one, size_t *at)
{
	Buf names = {0};
	const char *why = NULL;
	*at = 0;
	if (!one && empty_group(list))
		return NULL;
	for (const char *p = list; *p && !why;) {
		const char *end = mailbox_end(p);
		Str name, addr;
		*at = (size_t)(p - list);
		why = mailbox_parse(str_make(p, (size_t)(end - p)), &name, &addr, &names);
		if (!why && one && *end)
			why = "one address (a name with a comma goes in double quotes)";
		p = *end ? end + 1 : end;
	}
	buf_free(&names);
	return why;
}

/* A From: or To: header's mailboxes, one a line: a name of atoms as it is (folded at its
 * spaces), another one in double quotes, one that is not ASCII or too long for a line as
 * encoded-words; then <address>. */
static void header_addresses(Header *h, const char *list)
{
	if (empty_group(list)) {
		header_token(h, list, strlen(list));
		return;
	}
	Buf names = {0}, quoted = {0}, closed = {0};
	for (const char *p = list; p[strspn(p, " \t")];) {	/* blanks after a last comma: no mailbox */
		const char *end = mailbox_end(p);
		Str name, addr;
		if (p != list)
			buf_puts(h->b, "\r\n"), h->col = 0;
		if (mailbox_parse(str_make(p, (size_t)(end - p)), &name, &addr, &names))	/* checked when read */
			name = str_make("", 0), addr = str_trim(str_make(p, (size_t)(end - p)));
		if (has_bidi(name.p, name.n)) {	/* a closed unit, as the title: an override ends with the name */
			closed.len = 0;
			esc_bidi(&closed, name.p, name.n);
			name = str_make(closed.p, closed.len);
		}
		bool atoms = name.n > 0;
		for (size_t i = 0; i < name.n && atoms; i++)
			atoms = is_atext((unsigned char)name.p[i]) || (name.p[i] == ' ' && i && name.p[i - 1] != ' ');
		if (name.n && (needs_encoding(name.p, name.n) || (!atoms && name.n > 60))) {
			header_encoded(h, name.p, name.n);
		} else if (atoms) {
			header_text(h, name.p, name.n);
		} else if (name.n) {
			quoted.len = 0;
			buf_putc(&quoted, '"');
			for (size_t i = 0; i < name.n; i++) {
				if (name.p[i] == '"' || name.p[i] == '\\')
					buf_putc(&quoted, '\\');
				buf_putc(&quoted, name.p[i]);
			}
			buf_putc(&quoted, '"');
			header_token(h, quoted.p, quoted.len);
		}
		/* the comma before the next one on its line, within it (helper 116: 77 characters); none
		   after the last, though the setting ends in one (helper 119) */
		bool more = *end && end[1 + strspn(end + 1, " \t")];
		quoted.len = 0;
		buf_printf(&quoted, name.n ? "<%.*s>%s" : "%.*s%s", (int)addr.n, addr.p, more ? "," : "");
		header_token(h, quoted.p, quoted.len);
		p = *end ? end + 1 : end;
	}
	buf_free(&names);
	buf_free(&quoted);
	buf_free(&closed);
}

/* The right side of the message's and its images' ids (RFC 5322 3.6.4, RFC 2392): email_from's
 * domain (its first mailbox's, checked when read), else c360.localhost. */
static Str id_domain(const Edition *e)
{
	const char *from = e->cfg->email_from;
	Str name, addr;
	Buf names = {0};
	bool ok = from && !mailbox_parse(str_make(from, (size_t)(mailbox_end(from) - from)), &name, &addr, &names);
	buf_free(&names);
	const char *at = ok ? memrchr(addr.p, '@', addr.n) : NULL;
	return at ? str_make(at + 1, addr.n - (size_t)(at + 1 - addr.p)) : str_make("c360.localhost", 14);
}

/* Chart i's Content-ID, without its angle brackets: its id and the hash of its image, unique to
 * what it shows (a client that keeps images by their id shows no other edition's). */
static void chart_cid(const Edition *e, size_t i, Buf *b)
{
	const Buf *png = &e->charts->c[i].png;
	Str domain = id_domain(e);
	buf_printf(b, "%s.%016llx@", e->charts->c[i].chart.id, (unsigned long long)hash_bytes(png->p ? png->p : "", png->len));
	buf_put(b, domain.p, domain.n);
}

static void eml_head(const Edition *e, Buf *m, const char *mixed)
{
	int y, mo, d;
	date_civil(e->g->as_of, &y, &mo, &d);
	Header h = {m, 5};
	buf_puts(m, "From:");
	header_addresses(&h, e->cfg->email_from ? e->cfg->email_from : "Customer 360 <c360@localhost>");
	buf_puts(m, "\r\nTo:");
	h.col = 3;
	header_addresses(&h, e->cfg->email_to ? e->cfg->email_to : "undisclosed-recipients:;");
	buf_puts(m, "\r\nSubject:");
	h.col = 8;
	Buf subject = {0};
	buf_printf(&subject, "%s: the week to %s", e->title, e->as_of);
	header_text(&h, subject.p, subject.len);
	buf_free(&subject);
	Str domain = id_domain(e);
	buf_printf(m, "\r\nDate: %s, %02d %s %04d 00:00:00 +0000\r\nMessage-ID: <%s@%.*s>\r\nMIME-Version: 1.0\r\n"
		      "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\nThis is a MIME message.\r\n",
		   date_weekday_abbr[date_weekday(e->g->as_of) - 1], d, date_month_abbr[mo - 1], y, mixed + 5,
		   (int)domain.n, domain.p, mixed);
}

void edition_eml(const Edition *e, const Buf *text, const Buf *html, const Buf *pdf, Buf *m)
{
	/* The boundaries and the Message-ID come from the content and the addresses, so the
	 * message is the same for the same data, and another for other recipients. */
	char mixed[48], alt[48], related[48], headers[256];
	Buf cid = {0};
	const char *from = e->cfg->email_from ? e->cfg->email_from : "", *to = e->cfg->email_to ? e->cfg->email_to : "";
	uint64_t h = hash_bytes(html->p, html->len) ^ hash_bytes(text->p, text->len) ^
		     hash_bytes(from, strlen(from)) * 3 ^ hash_bytes(to, strlen(to)) * 5;
	snprintf(mixed, sizeof mixed, "c360-%016llx-m", (unsigned long long)h);
	snprintf(alt, sizeof alt, "c360-%016llx-a", (unsigned long long)h);
	snprintf(related, sizeof related, "c360-%016llx-r", (unsigned long long)h);
	eml_head(e, m, mixed);
	buf_printf(m, "--%s\r\nContent-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", mixed, alt);
	part(m, alt, "Content-Type: text/plain; charset=utf-8\r\n", text, true);
	buf_printf(m, "--%s\r\nContent-Type: multipart/related; boundary=\"%s\";\r\n type=\"text/html\"\r\n\r\n", alt, related);
	part(m, related, "Content-Type: text/html; charset=utf-8\r\n", html, true);
	for (size_t i = 0; i < e->charts->n; i++) {
		const char *id = e->charts->c[i].chart.id;
		if (!e->charts->c[i].dashboard)
			continue;
		cid.len = 0;
		buf_printf(&cid, "Content-Type: image/png; name=\"%s.png\"\r\nContent-ID: <", id);
		chart_cid(e, i, &cid);
		buf_printf(&cid, ">\r\nContent-Disposition: inline; filename=\"%s.png\"\r\n", id);
		part(m, related, buf_cstr(&cid), &e->charts->c[i].png, false);
	}
	buf_printf(m, "--%s--\r\n--%s--\r\n", related, alt);
	Buf day = {0};
	buf_date(&day, e->g->as_of);
	snprintf(headers, sizeof headers, "Content-Type: application/pdf; name=\"customer-360-%s.pdf\"\r\n"
		 "Content-Disposition: attachment; filename=\"customer-360-%s.pdf\"\r\n", buf_cstr(&day), buf_cstr(&day));
	buf_free(&day);
	part(m, mixed, headers, pdf, false);
	buf_printf(m, "--%s--\r\n", mixed);
	buf_free(&cid);
}
