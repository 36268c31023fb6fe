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

static void html_head(const Edition *e, Buf *b)
{
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	html(b, e->cfg->title ? e->cfg->title : "Customer 360");
	buf_puts(b, ": the week to ");
	html(b, e->as_of);
	buf_puts(b, "</title>\n</head>\n<body style=\"margin:0;padding:24px;background:#f5f6f8;font-family:'DejaVu Sans',"
		    "Arial,sans-serif;color:#1c1e21\">\n<h1 style=\"font-size:22px;margin:0 0 12px\">");
	html(b, e->cfg->title ? e->cfg->title : "Customer 360");
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

static void html_kpis(const Edition *e, Buf *b)
{
	buf_puts(b, "<h2 style=\"font-size:16px;margin-top:24px\">Key figures</h2>\n<table style=\"border-collapse:collapse;"
		    "background:#fff;font-size:14px\">\n<thead><tr><th scope=\"col\" style=\"" CELL "text-align:left\">KPI</th>");
	const char *heads[] = {e->as_of, "a week earlier", "change", "change %"};
	for (int i = 0; i < 4; i++) {
		buf_puts(b, "<th scope=\"col\" style=\"" CELL "text-align:right\">");
		html(b, heads[i]);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (int k = 0; k < K_COUNT; k++) {
		const EditionKpi *r = &e->kpi[k];
		buf_puts(b, "<tr><th scope=\"row\" style=\"" CELL "text-align:left;font-weight:normal\">");
		html(b, r->name);
		buf_puts(b, "</th><td style=\"" CELL "text-align:right\"><strong>");
		html(b, r->now);
		buf_puts(b, "</strong></td><td style=\"" CELL "text-align:right\">");
		html(b, r->before);
		for (int i = 0; i < 2; i++) {
			buf_printf(b, "</td><td style=\"" CELL "text-align:right;color:%s\">", tone_colour[r->tone + 1]);
			html(b, i ? r->change_pct : r->change);
		}
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
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
	buf_puts(b, "<h2 style=\"font-size:16px;margin-top:24px\">Customers at churn risk, the most valuable first</h2>\n");
	if (!e->nat_risk) {
		buf_puts(b, "<p>No customer is at churn risk.</p>\n");
		return;
	}
	buf_puts(b, "<table style=\"border-collapse:collapse;background:#fff;font-size:14px\">\n<thead><tr>");
	const char *heads[] = {"Customer", "Id", "Segment", "Last order", "Open tickets", "Lifetime value"};
	for (int i = 0; i < 6; i++)
		buf_printf(b, "<th scope=\"col\" style=\"" CELL "text-align:%s\">%s</th>", i < 3 ? "left" : "right", heads[i]);
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < e->nat_risk; i++) {
		const EditionCustomer *r = &e->at_risk[i];
		buf_puts(b, "<tr><td style=\"" CELL "\">");
		bool link = e->site && r->page[0];
		if (link)
			site_link(e, b, r->page);
		html(b, r->name);
		buf_puts(b, link ? "</a>" : "");
		const char *cells[] = {r->id, r->segment, r->last_order};
		for (int c = 0; c < 3; c++) {
			buf_printf(b, "</td><td style=\"" CELL "text-align:%s\">", c < 2 ? "left" : "right");
			html(b, cells[c]);
		}
		buf_printf(b, "</td><td style=\"" CELL "text-align:right;color:%s\">%u</td><td style=\"" CELL
			      "text-align:right\">", r->open_tickets ? tone_colour[0] : tone_colour[1], r->open_tickets);
		html(b, r->value);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
}

void edition_mail_html(const Edition *e, Buf *b, bool preview)
{
	html_head(e, b);
	html_kpis(e, b);
	html_at_risk(e, b);
	for (size_t i = 0; i < e->charts->n; i++) {
		const Chart *c = &e->charts->c[i].chart;
		if (!e->charts->c[i].dashboard)
			continue;
		buf_puts(b, "<h2 style=\"font-size:16px;margin-top:28px\">");
		html(b, c->title);
		buf_printf(b, "</h2>\n<img src=\"%s%s%s\" width=\"560\" alt=\"", preview ? "../charts/" : "cid:", c->id,
			   preview ? ".png" : "@c360");
		html(b, c->title);
		buf_puts(b, " (the numbers are on the dashboard)\" style=\"max-width:100%;height:auto;background:#fff\">\n");
	}
	buf_puts(b, "<p style=\"color:#5b616b;font-size:12px;margin-top:28px\">Made by c360 " C360_VERSION
		    " from the exports as of ");
	html(b, e->as_of);
	buf_puts(b, ". The PDF attached has the same figures; the gold tables for Power BI have every detail.</p>\n"
		    "</body>\n</html>\n");
}

/* ---- the plain text */

static size_t width_of(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
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

/* text wrapped at 72 columns. */
static void wrapped(Buf *b, const char *text)
{
	size_t col = 0;
	for (const char *w = text; *w;) {
		size_t n = strcspn(w, " ");
		char word[256];
		snprintf(word, sizeof word, "%.*s", (int)(n < 255 ? n : 255), w);
		if (col && col + 1 + width_of(word) > 72)
			buf_putc(b, '\n'), col = 0;
		else if (col)
			buf_putc(b, ' '), col++;
		buf_put(b, w, n);
		col += width_of(word);
		w += n + (w[n] == ' ');
	}
	buf_puts(b, "\n");
}

void edition_mail_text(const Edition *e, Buf *b)
{
	buf_printf(b, "%s - the week to %s\n\n", e->cfg->title ? e->cfg->title : "Customer 360", e->as_of);
	wrapped(b, buf_cstr((Buf *)&e->summary));
	buf_puts(b, "\nKey figures\n\n");
	column(b, "", 26, false), column(b, e->as_of, 16, true), column(b, "a week earlier", 16, true);
	column(b, "change", 14, true), column(b, "change %", 10, true), buf_putc(b, '\n');
	for (int k = 0; k < K_COUNT; k++) {
		const EditionKpi *r = &e->kpi[k];
		column(b, r->name, 26, false), column(b, r->now, 16, true), column(b, r->before, 16, true);
		column(b, r->change, 14, true), column(b, r->change_pct, 10, true), buf_putc(b, '\n');
	}
	buf_puts(b, "\nCustomers at churn risk, the most valuable first\n\n");
	if (!e->nat_risk)
		buf_puts(b, "No customer is at churn risk.\n");
	for (size_t i = 0; i < e->nat_risk; i++) {
		const EditionCustomer *r = &e->at_risk[i];
		buf_puts(b, "- ");	/* the name and id closed (esc_bidi): the rest of the line is c360's */
		esc_bidi(b, r->name, strlen(r->name));
		buf_puts(b, " (");
		esc_bidi(b, r->id, strlen(r->id));
		buf_printf(b, "), %s, lifetime value %s, last order %s, open tickets %u\n", r->segment, r->value,
			   *r->last_order ? r->last_order : "none", r->open_tickets);
	}
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

/* A part: its headers, then its body in base64. */
static void part(Buf *m, const char *boundary, const char *headers, const Buf *body)
{
	buf_printf(m, "--%s\r\n%sContent-Transfer-Encoding: base64\r\n\r\n", boundary, headers);
	base64(m, (const unsigned char *)(body->p ? body->p : ""), body->len);
}

/* Text for a header as RFC 2047 encoded-words (=?UTF-8?B?...?=), each at most 75 characters
 * and holding whole characters, folded onto lines of their own. */
static void encoded_words(Buf *b, const char *s, size_t n)
{
	for (size_t at = 0; at < n;) {
		size_t take = utf8_cut(s + at, n - at, 45);	/* 45 bytes: 60 characters of base64 */
		if (!take)
			take = n - at < 45 ? n - at : 45;
		buf_puts(b, at ? "\r\n =?UTF-8?B?" : "=?UTF-8?B?");
		base64_line(b, (const unsigned char *)s + at, take);
		buf_puts(b, "?=");
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

/* The end of the mailbox at p: the next comma outside quotes and angle brackets. */
static const char *mailbox_end(const char *p)
{
	bool quoted = false, angle = false;
	for (; *p && (quoted || angle || *p != ','); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == '<' || *p == '>'))
			angle = *p == '<';
	}
	return p;
}

/* A From: or To: header's value: mailboxes "Name <address>" or addresses, separated by commas;
 * a name that is not ASCII is written as encoded-words, so that mail carries it. */
static void header_addresses(Buf *b, const char *list)
{
	for (const char *p = list; *p;) {
		const char *end = mailbox_end(p);
		Str box = str_trim(str_make(p, (size_t)(end - p)));
		const char *lt = memchr(box.p, '<', box.n);
		Str name = str_trim(str_make(box.p, lt ? (size_t)(lt - box.p) : 0));
		if (name.n >= 2 && name.p[0] == '"' && name.p[name.n - 1] == '"')
			name = str_make(name.p + 1, name.n - 2);
		if (p != list)
			buf_puts(b, ",\r\n ");
		if (lt && !is_ascii(name.p, name.n)) {
			encoded_words(b, name.p, name.n);
			buf_putc(b, ' ');
			buf_put(b, lt, box.n - (size_t)(lt - box.p));
		} else {
			buf_put(b, box.p, box.n);
		}
		p = *end ? end + 1 : end;
	}
}

static void eml_head(const Edition *e, Buf *m, const char *mixed)
{
	int y, mo, d;
	date_civil(e->g->as_of, &y, &mo, &d);
	buf_puts(m, "From: ");
	header_addresses(m, e->cfg->email_from ? e->cfg->email_from : "Customer 360 <c360@localhost>");
	buf_puts(m, "\r\nTo: ");
	header_addresses(m, e->cfg->email_to ? e->cfg->email_to : "undisclosed-recipients:;");
	buf_puts(m, "\r\nSubject: ");
	Buf subject = {0};
	buf_printf(&subject, "%s: the week to %s", e->cfg->title ? e->cfg->title : "Customer 360", e->as_of);
	if (is_ascii(subject.p, subject.len) && subject.len < 60)
		buf_put(m, subject.p, subject.len);
	else
		encoded_words(m, subject.p, subject.len);
	buf_free(&subject);
	buf_printf(m, "\r\nDate: %s, %02d %s %04d 00:00:00 +0000\r\nMessage-ID: <%s@c360.localhost>\r\nMIME-Version: 1.0\r\n"
		      "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\nThis is a MIME message.\r\n",
		   date_weekday_abbr[date_weekday(e->g->as_of) - 1], d, date_month_abbr[mo - 1], y, mixed + 5, mixed);
}

void edition_eml(const Edition *e, const Buf *text, const Buf *html, const Buf *pdf, Buf *m)
{
	/* The boundaries come from the content, so the message is the same for the same data. */
	char mixed[48], alt[48], related[48], headers[256];
	uint64_t h = hash_bytes(html->p, html->len) ^ hash_bytes(text->p, text->len);
	snprintf(mixed, sizeof mixed, "c360-%016llx-m", (unsigned long long)h);
	snprintf(alt, sizeof alt, "c360-%016llx-a", (unsigned long long)h);
	snprintf(related, sizeof related, "c360-%016llx-r", (unsigned long long)h);
	eml_head(e, m, mixed);
	buf_printf(m, "--%s\r\nContent-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", mixed, alt);
	part(m, alt, "Content-Type: text/plain; charset=utf-8\r\n", text);
	buf_printf(m, "--%s\r\nContent-Type: multipart/related; boundary=\"%s\";\r\n type=\"text/html\"\r\n\r\n", alt, related);
	part(m, related, "Content-Type: text/html; charset=utf-8\r\n", html);
	for (size_t i = 0; i < e->charts->n; i++) {
		const char *id = e->charts->c[i].chart.id;
		if (!e->charts->c[i].dashboard)
			continue;
		snprintf(headers, sizeof headers, "Content-Type: image/png; name=\"%s.png\"\r\nContent-ID: <%s@c360>\r\n"
			 "Content-Disposition: inline; filename=\"%s.png\"\r\n", id, id, id);
		part(m, related, headers, &e->charts->c[i].png);
	}
	buf_printf(m, "--%s--\r\n--%s--\r\n", related, alt);
	Buf day = {0};
	buf_date(&day, e->g->as_of);
	snprintf(headers, sizeof headers, "Content-Type: application/pdf; name=\"customer-360-%s.pdf\"\r\n"
		 "Content-Disposition: attachment; filename=\"customer-360-%s.pdf\"\r\n", buf_cstr(&day), buf_cstr(&day));
	buf_free(&day);
	part(m, mixed, headers, pdf);
	buf_printf(m, "--%s--\r\n", mixed);
}
