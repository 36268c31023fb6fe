/* edition.c — the weekly edition: weekly/report.pdf (Cairo, A4), weekly/email.eml (MIME:
 * HTML with inline CSS and the charts as attached PNGs) and weekly/email.html to preview it. */
#include "c360.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>

#define A4_W 595.0
#define A4_H 842.0
#define MARGIN 40.0

/* ---- the KPI table, as text both outputs share */

typedef struct {
	const char *name;
	char now[32], before[32], delta[32];
} KpiRow;

static void kpi_text(char *out, size_t n, int kind, int64_t v, bool signed_)
{
	Buf b = {0};
	if (v == KPI_NULL)
		buf_puts(&b, "-");
	else {
		if (signed_ && v > 0)
			buf_putc(&b, '+');
		if (kind == KV_COUNT)
			buf_int(&b, v);
		else
			buf_fixed2(&b, v);
		if (kind == KV_PCT)
			buf_puts(&b, signed_ ? " pts" : "%");
	}
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
}

static const char *const kpi_title[K_COUNT] = {
	"Total customers", "Average order value", "Repeat customers", "Open tickets", "Churn risk",
	"Total revenue", "Valid orders", "Customers in the CRM", "Mobile sessions", "Web sessions",
};

static void kpi_rows(const Gold *g, KpiRow *rows)
{
	for (int k = 0; k < K_COUNT; k++) {
		int64_t now = g->now.v[k], before = g->week_before.v[k];
		rows[k].name = kpi_title[k];
		kpi_text(rows[k].now, sizeof rows[k].now, kpi_info[k].kind, now, false);
		kpi_text(rows[k].before, sizeof rows[k].before, kpi_info[k].kind, before, false);
		kpi_text(rows[k].delta, sizeof rows[k].delta, kpi_info[k].kind,
			 now == KPI_NULL || before == KPI_NULL ? KPI_NULL : now - before, true);
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

static double pdf_kpis(cairo_t *cr, const Site *site, double y)
{
	KpiRow rows[K_COUNT];
	kpi_rows(site->g, rows);
	char before[48];
	Buf d = {0};
	buf_date(&d, site->g->week_before.as_of);
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

static bool write_pdf(const Site *site, Buf *err)
{
	char *path = path_join(site->dir, "weekly/report.pdf");
	cairo_surface_t *surface = cairo_pdf_surface_create(path, A4_W, A4_H);
	Buf day = {0};
	buf_date(&day, site->s->as_of);
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
	double y = pdf_kpis(cr, site, MARGIN + 48);
	double scale = (A4_W - 2 * MARGIN) / 640.0;
	for (size_t i = 0; i < site->ncharts; i++) {
		const ChartPlot *p = site->charts[i].plot;
		double h = (chart_height(p) + 22) * scale;
		if (y + h > A4_H - MARGIN) {
			cairo_show_page(cr);
			y = MARGIN;
		}
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.12);
		show(cr, MARGIN, y + 12, 11, true, false, site->charts[i].title);
		cairo_save(cr);
		cairo_translate(cr, MARGIN, y + 20);
		cairo_scale(cr, scale, scale);
		chart_draw(p, cr);
		cairo_restore(cr);
		y += h + 12;
	}
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	bool ok = cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surface);
	if (!ok)
		buf_printf(err, "%s: error: cannot write the PDF\n", path);
	free(path);
	buf_free(&day);
	return ok;
}

/* ---- email.html and email.eml */

/* The e-mail's HTML: inline styles only, as mail clients want; images by `src`. */
static void email_html(const Site *site, Buf *b, bool preview)
{
	KpiRow rows[K_COUNT];
	kpi_rows(site->g, rows);
	const char *cell = "style=\"padding:6px 10px;border-bottom:1px solid #dde;text-align:right\"";
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Customer 360 weekly</title>\n"
		    "</head>\n<body style=\"margin:0;padding:24px;background:#f5f6f8;font-family:'DejaVu Sans',Arial,sans-serif;"
		    "color:#1c1e21\">\n<h1 style=\"font-size:22px\">Customer 360 &#8212; week ending ");
	buf_date(b, site->s->as_of);
	buf_puts(b, "</h1>\n<table style=\"border-collapse:collapse;background:#fff;font-size:14px\">\n"
		    "<thead><tr><th scope=\"col\" style=\"padding:6px 10px;text-align:left\">KPI</th>");
	buf_printf(b, "<th scope=\"col\" %s>this week</th><th scope=\"col\" %s>on ", cell, cell);
	buf_date(b, site->g->week_before.as_of);
	buf_printf(b, "</th><th scope=\"col\" %s>change</th></tr></thead>\n<tbody>\n", cell);
	for (int k = 0; k < K_COUNT; k++) {
		buf_puts(b, "<tr><th scope=\"row\" style=\"padding:6px 10px;border-bottom:1px solid #dde;text-align:left;"
			    "font-weight:normal\">");
		esc_html(b, rows[k].name, strlen(rows[k].name));
		buf_printf(b, "</th><td %s><strong>%s</strong></td><td %s>%s</td><td %s>%s</td></tr>\n", cell, rows[k].now,
			   cell, rows[k].before, cell, rows[k].delta);
	}
	buf_puts(b, "</tbody>\n</table>\n");
	for (size_t i = 0; i < site->ncharts; i++) {
		buf_puts(b, "<h2 style=\"font-size:16px;margin-top:28px\">");
		esc_html(b, site->charts[i].title, strlen(site->charts[i].title));
		buf_printf(b, "</h2>\n<img src=\"%s%s%s\" width=\"640\" alt=\"", preview ? "../charts/" : "cid:",
			   site->charts[i].id, preview ? ".png" : "@c360");
		esc_html(b, site->charts[i].title, strlen(site->charts[i].title));
		buf_puts(b, " (the numbers are on the dashboard)\" style=\"max-width:100%;height:auto;background:#fff\">\n");
	}
	buf_puts(b, "<p style=\"color:#5b616b;font-size:12px;margin-top:28px\">Made by c360 " C360_VERSION
		    " from the exports as of ");
	buf_date(b, site->s->as_of);
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

static bool write_eml(const Site *site, const Buf *html, Buf *err)
{
	Buf m = {0}, day = {0};
	static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int y, mo, d;
	date_civil(site->s->as_of, &y, &mo, &d);
	buf_date(&day, site->s->as_of);
	/* The boundary comes from the content, so the message is the same for the same data. */
	char boundary[40];
	snprintf(boundary, sizeof boundary, "c360-%016llx", (unsigned long long)hash_bytes(html->p, html->len));
	const Config *cfg = site->s->cfg;
	buf_puts(&m, "From: ");
	header_addresses(&m, cfg->email_from ? cfg->email_from : "Customer 360 <c360@localhost>");
	buf_puts(&m, "\r\nTo: ");
	header_addresses(&m, cfg->email_to ? cfg->email_to : "undisclosed-recipients:;");
	buf_puts(&m, "\r\n");
	buf_printf(&m, "Subject: Customer 360 - week ending %s\r\nDate: %s, %02d %s %04d 00:00:00 +0000\r\n"
		       "Message-ID: <%s@c360.localhost>\r\nMIME-Version: 1.0\r\n"
		       "Content-Type: multipart/related; boundary=\"%s\";\r\n type=\"text/html\"\r\n\r\n"
		       "--%s\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		   buf_cstr(&day), wd[date_weekday(site->s->as_of) - 1], d, mon[mo - 1], y, boundary + 5, boundary,
		   boundary);
	base64(&m, (const unsigned char *)html->p, html->len);
	for (size_t i = 0; i < site->ncharts; i++) {
		const Buf *png = &site->charts[i].png;
		buf_printf(&m, "--%s\r\nContent-Type: image/png; name=\"%s.png\"\r\nContent-ID: <%s@c360>\r\n"
			       "Content-Disposition: inline; filename=\"%s.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
			   boundary, site->charts[i].id, site->charts[i].id, site->charts[i].id);
		base64(&m, (const unsigned char *)(png->p ? png->p : ""), png->len);
	}
	buf_printf(&m, "--%s--\r\n", boundary);
	bool ok = out_write_file(site->dir, "weekly/email.eml", &m, err);
	buf_free(&m), buf_free(&day);
	return ok;
}

bool site_edition(Site *site)
{
	Buf mail = {0}, preview = {0};
	email_html(site, &mail, false);
	email_html(site, &preview, true);
	bool ok = out_mkdir(site->dir, "weekly", site->err) && write_pdf(site, site->err) &&
		  out_write_file(site->dir, "weekly/email.html", &preview, site->err) && write_eml(site, &mail, site->err);
	buf_free(&mail);
	buf_free(&preview);
	return ok;
}
