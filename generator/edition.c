/* edition.c — the weekly edition, beside the site: weekly/report.pdf (Cairo, A4),
 * weekly/email.eml (MIME: HTML with inline CSS and the chart stage's PNGs attached) and
 * weekly/email.html to preview it. Every KPI of the definition table, written by the one
 * formatter. */
#include "c360.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>

#define A4_W 595.0
#define A4_H 842.0
#define MARGIN 40.0

typedef struct {
	const Gold *g;
	const Config *cfg;
	const ChartSet *charts;
	NumFormat fmt;
} Edition;

/* ---- the KPI table, as text both outputs share */

typedef struct {
	const char *name;
	char now[64], before[64], delta[64];
} KpiRow;

static void kpi_text(char *out, size_t n, const Edition *e, int kind, int64_t v, bool change)
{
	Buf b = {0};
	(change ? fmt_change : fmt_figure)(&b, &e->fmt, kind, v);
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
}

static void kpi_rows(const Edition *e, KpiRow *rows)
{
	for (int k = 0; k < K_COUNT; k++) {
		int64_t now = e->g->now.v[k], before = e->g->week_before.v[k];
		rows[k].name = kpi_defs[k].title;
		kpi_text(rows[k].now, sizeof rows[k].now, e, kpi_defs[k].kind, now, false);
		kpi_text(rows[k].before, sizeof rows[k].before, e, kpi_defs[k].kind, before, false);
		kpi_text(rows[k].delta, sizeof rows[k].delta, e, kpi_defs[k].kind, kpi_change(e->g, k), true);
	}
}

/* ---- report.pdf */

static void show(cairo_t *cr, double x, double y, double size, bool bold, bool right, const char *text)
{
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_text_extents_t e;
	cairo_text_extents(cr, text, &e);
	cairo_move_to(cr, right ? x - e.x_advance : x, y);
	cairo_show_text(cr, text);
}

static double pdf_kpis(cairo_t *cr, const Edition *e, double y)
{
	KpiRow rows[K_COUNT];
	kpi_rows(e, rows);
	char before[48];
	Buf d = {0};
	buf_date(&d, e->g->week_before.as_of);
	snprintf(before, sizeof before, "on %s", buf_cstr(&d));
	buf_free(&d);
	cairo_set_source_rgb(cr, 0.35, 0.37, 0.40);
	show(cr, MARGIN, y, 9, true, false, "KPI");
	show(cr, 330, y, 9, true, true, "this week");
	show(cr, 440, y, 9, true, true, before);
	show(cr, A4_W - MARGIN, y, 9, true, true, "change");
	for (int k = 0; k < K_COUNT; k++) {
		y += 16;
		cairo_set_source_rgb(cr, 0.88, 0.89, 0.91);
		cairo_rectangle(cr, MARGIN, y + 4, A4_W - 2 * MARGIN, 0.5);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.12);
		show(cr, MARGIN, y, 10, false, false, rows[k].name);
		show(cr, 330, y, 10, true, true, rows[k].now);
		show(cr, 440, y, 10, false, true, rows[k].before);
		show(cr, A4_W - MARGIN, y, 10, false, true, rows[k].delta);
	}
	return y + 30;
}

static cairo_status_t pdf_bytes(void *closure, const unsigned char *data, unsigned int n)
{
	buf_put(closure, data, n);
	return CAIRO_STATUS_SUCCESS;
}

/* The charts, each under its title, a new page when one does not fit. */
static void pdf_charts(cairo_t *cr, const Edition *e, double y)
{
	double scale = (A4_W - 2 * MARGIN) / 640.0;
	for (size_t i = 0; i < e->charts->n; i++) {
		const ReportChart *rc = &e->charts->c[i];
		double h = (chart_height(rc->plot) + 22) * scale;
		if (y + h > A4_H - MARGIN) {
			cairo_show_page(cr);
			y = MARGIN;
		}
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.12);
		show(cr, MARGIN, y + 12, 11, true, false, rc->chart.title);
		cairo_save(cr);
		cairo_translate(cr, MARGIN, y + 20);
		cairo_scale(cr, scale, scale);
		chart_draw(rc->plot, cr);
		cairo_restore(cr);
		y += h + 12;
	}
}

/* weekly/report.pdf, drawn in memory and written by the output stage. */
static bool write_pdf(const Edition *e, const char *dir, Buf *err)
{
	Buf pdf = {0}, day = {0};
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(pdf_bytes, &pdf, A4_W, A4_H);
	buf_date(&day, e->g->as_of);
	buf_puts(&day, "T00:00:00Z");	/* the as-of date, never the clock: the edition is reproducible */
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, buf_cstr(&day));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, buf_cstr(&day));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Customer 360 weekly edition");
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "c360 " C360_VERSION);
	cairo_t *cr = cairo_create(surface);
	char title[96];
	day.len = 10;
	snprintf(title, sizeof title, "Customer 360 \xe2\x80\x94 week ending %s", buf_cstr(&day));
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.12);
	show(cr, MARGIN, MARGIN + 16, 18, true, false, title);
	pdf_charts(cr, e, pdf_kpis(cr, e, MARGIN + 48));
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	bool ok = cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surface);
	if (!ok)
		buf_printf(err, "%s/weekly/report.pdf: error: cannot draw the PDF\n", dir);
	ok = ok && out_write_file(dir, "weekly/report.pdf", &pdf, err);
	buf_free(&pdf);
	buf_free(&day);
	return ok;
}

/* ---- email.html and email.eml */

/* The e-mail's HTML: inline styles only, as mail clients want; images by `src`. */
static void email_html(const Edition *e, Buf *b, bool preview)
{
	KpiRow rows[K_COUNT];
	kpi_rows(e, rows);
	const char *cell = "style=\"padding:6px 10px;border-bottom:1px solid #dde;text-align:right\"";
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Customer 360 weekly</title>\n"
		    "</head>\n<body style=\"margin:0;padding:24px;background:#f5f6f8;font-family:'DejaVu Sans',Arial,sans-serif;"
		    "color:#1c1e21\">\n<h1 style=\"font-size:22px\">Customer 360 &#8212; week ending ");
	buf_date(b, e->g->as_of);
	buf_puts(b, "</h1>\n<table style=\"border-collapse:collapse;background:#fff;font-size:14px\">\n"
		    "<thead><tr><th scope=\"col\" style=\"padding:6px 10px;text-align:left\">KPI</th>");
	buf_printf(b, "<th scope=\"col\" %s>this week</th><th scope=\"col\" %s>on ", cell, cell);
	buf_date(b, e->g->week_before.as_of);
	buf_printf(b, "</th><th scope=\"col\" %s>change</th></tr></thead>\n<tbody>\n", cell);
	for (int k = 0; k < K_COUNT; k++) {
		buf_puts(b, "<tr><th scope=\"row\" style=\"padding:6px 10px;border-bottom:1px solid #dde;text-align:left;"
			    "font-weight:normal\">");
		esc_html(b, rows[k].name, strlen(rows[k].name));
		const char *cells[] = {rows[k].now, rows[k].before, rows[k].delta};
		for (int i = 0; i < 3; i++) {
			buf_printf(b, "</t%c><td %s>%s", i ? 'd' : 'h', cell, i ? "" : "<strong>");
			esc_html(b, cells[i], strlen(cells[i]));
			buf_puts(b, i ? "" : "</strong>");
		}
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
	for (size_t i = 0; i < e->charts->n; i++) {
		const Chart *c = &e->charts->c[i].chart;
		buf_puts(b, "<h2 style=\"font-size:16px;margin-top:28px\">");
		esc_html(b, c->title, strlen(c->title));
		buf_printf(b, "</h2>\n<img src=\"%s%s%s\" width=\"640\" alt=\"", preview ? "../charts/" : "cid:", c->id,
			   preview ? ".png" : "@c360");
		esc_html(b, c->title, strlen(c->title));
		buf_puts(b, " (the numbers are on the dashboard)\" style=\"max-width:100%;height:auto;background:#fff\">\n");
	}
	buf_puts(b, "<p style=\"color:#5b616b;font-size:12px;margin-top:28px\">Made by c360 " C360_VERSION
		    " from the exports as of ");
	buf_date(b, e->g->as_of);
	buf_puts(b, ". The site and the gold tables for Power BI have every detail.</p>\n</body>\n</html>\n");
}

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

static bool is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
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

static bool write_eml(const Edition *e, const char *dir, const Buf *html, Buf *err)
{
	Buf m = {0}, day = {0};
	static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int y, mo, d;
	date_civil(e->g->as_of, &y, &mo, &d);
	buf_date(&day, e->g->as_of);
	/* The boundary comes from the content, so the message is the same for the same data. */
	char boundary[40];
	snprintf(boundary, sizeof boundary, "c360-%016llx", (unsigned long long)hash_bytes(html->p, html->len));
	const Config *cfg = e->cfg;
	buf_puts(&m, "From: ");
	header_addresses(&m, cfg->email_from ? cfg->email_from : "Customer 360 <c360@localhost>");
	buf_puts(&m, "\r\nTo: ");
	header_addresses(&m, cfg->email_to ? cfg->email_to : "undisclosed-recipients:;");
	buf_puts(&m, "\r\n");
	buf_printf(&m, "Subject: Customer 360 - week ending %s\r\nDate: %s, %02d %s %04d 00:00:00 +0000\r\n"
		       "Message-ID: <%s@c360.localhost>\r\nMIME-Version: 1.0\r\n"
		       "Content-Type: multipart/related; boundary=\"%s\";\r\n type=\"text/html\"\r\n\r\n"
		       "--%s\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		   buf_cstr(&day), wd[date_weekday(e->g->as_of) - 1], d, mon[mo - 1], y, boundary + 5, boundary,
		   boundary);
	base64(&m, (const unsigned char *)html->p, html->len);
	for (size_t i = 0; i < e->charts->n; i++) {
		const Buf *png = &e->charts->c[i].png;
		const char *id = e->charts->c[i].chart.id;
		buf_printf(&m, "--%s\r\nContent-Type: image/png; name=\"%s.png\"\r\nContent-ID: <%s@c360>\r\n"
			       "Content-Disposition: inline; filename=\"%s.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
			   boundary, id, id, id);
		base64(&m, (const unsigned char *)(png->p ? png->p : ""), png->len);
	}
	buf_printf(&m, "--%s--\r\n", boundary);
	bool ok = out_write_file(dir, "weekly/email.eml", &m, err);
	buf_free(&m), buf_free(&day);
	return ok;
}

bool edition_write(const Gold *g, const Config *cfg, const ChartSet *charts, const char *dir, Buf *err)
{
	Edition e = {g, cfg, charts, {0}};
	fmt_init(&e.fmt, cfg);
	Buf mail = {0}, preview = {0};
	email_html(&e, &mail, false);
	email_html(&e, &preview, true);
	bool ok = out_mkdir(dir, "weekly", err) && write_pdf(&e, dir, err) &&
		  out_write_file(dir, "weekly/email.html", &preview, err) && write_eml(&e, dir, &mail, err);
	buf_free(&mail);
	buf_free(&preview);
	return ok;
}
