/* edition_pdf.c — weekly/report.pdf: A4 pages with a header and a footer (page N of M), the week
 * in a paragraph, the KPIs with their changes coloured by tone, the most valuable customers at
 * churn risk, then the charts, flowed so that a chart that nearly fits is shrunk onto the page
 * rather than leave it half empty. Drawn twice: once to count the pages, once to write them.
 * Tagged (PDF 1.7's logical structure, through Cairo): a heading is H1 or H2, the week's text P,
 * the tables Table, TR, TH and TD, a chart a Figure, all in a Document a page (Cairo marks a
 * PDF tagged only under one); a screen reader reads them so, and the header and footer of each
 * page are outside them. */
#include "c360.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistr.h>

#define A4_W 595.0
#define A4_H 842.0
#define MARGIN 40.0
#define TOP 78.0		/* the body's first line, under the header */
#define BOTTOM (A4_H - 60.0)	/* the body's end, above the footer */
#define LEFT A4_W - MARGIN	/* where right-aligned text ends */

typedef struct {
	const Edition *e;
	cairo_t *cr;
	double y;		/* where the body goes on */
	int page, pages;	/* this page's number; how many there are (0 while counting) */
	const char *open[4];	/* the structure's tags open, outermost first (Document, Table, TR, TD) */
	int nopen;
	const ReportChart **figure;	/* the charts drawn, in order: each a Figure, its /Alt put in after */
	size_t nfigure;
} Pdf;

static void ink(cairo_t *cr, int tone)
{
	if (tone > 0)
		cairo_set_source_rgb(cr, 0.106, 0.478, 0.275);
	else if (tone < 0)
		cairo_set_source_rgb(cr, 0.702, 0.149, 0.118);
	else
		cairo_set_source_rgb(cr, 0.36, 0.38, 0.42);
}

/* How wide text is at size, as show_fit shows it. */
static double shown_width(cairo_t *cr, double size, bool bold, const char *text)
{
	Buf b = {0};
	text_shown(&b, text, strlen(text));
	double w = text_measure(cr, size, bold, buf_cstr(&b));
	buf_free(&b);
	return w;
}

/* text at (x, y), a space for each control (text_shown), ending there when right-aligned;
 * shortened with "…" to max wide (0: any). Returns how wide it is. */
static double show_fit(cairo_t *cr, double x, double y, double size, bool bold, int align, const char *text, double max)
{
	Buf b = {0};
	text_shown(&b, text, strlen(text));
	if (max > 0 && text_measure(cr, size, bold, buf_cstr(&b)) > max) {
		/* the longest start of whole grapheme clusters that fits with "…" after it ("…" alone if
		   none does), found by halving: a cluster less at a time laid a title of 4 KB out 4,000
		   times a page (14 s a build) */
		size_t n = b.len, lo = 0, hi = n;	/* a start of at most lo bytes fits (or none does); hi's not */
		Buf t = {0};
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			t.len = 0;
			buf_put(&t, b.p, utf8_cut(b.p, n, mid));
			buf_puts(&t, "…");
			if (text_measure(cr, size, bold, buf_cstr(&t)) <= max)
				lo = mid;
			else
				hi = mid;
		}
		b.len = utf8_cut(b.p, n, lo);
		buf_puts(&b, "…");
		buf_free(&t);
	}
	double w = text_show(cr, x, y, size, bold, align, buf_cstr(&b));
	buf_free(&b);
	return w;
}

static void show(cairo_t *cr, double x, double y, double size, bool bold, int align, const char *text)
{
	show_fit(cr, x, y, size, bold, align, text, 0);
}

static void rule(cairo_t *cr, double y, double grey)
{
	cairo_set_source_rgb(cr, grey, grey, grey + 0.02);
	cairo_rectangle(cr, MARGIN, y, A4_W - 2 * MARGIN, 0.6);
	cairo_fill(cr);
}

#define FRAME_GAP 12.0	/* between a header's or footer's two texts: the left one is shortened to keep it */

/* The header and the footer of the page begun: the title and the site on the left, shortened
 * to what the date and the page number on the right leave. */
static void page_frame(Pdf *p)
{
	const Edition *e = p->e;
	Buf text = {0};
	ink(p->cr, 0);
	buf_printf(&text, "as of %s", e->as_of);
	double right = show_fit(p->cr, LEFT, 40, 9, false, TEXT_RIGHT, buf_cstr(&text), 0);
	text.len = 0;
	buf_printf(&text, "%s \xc2\xb7 weekly edition", e->title);
	show_fit(p->cr, MARGIN, 40, 9, true, TEXT_LEFT, buf_cstr(&text), LEFT - right - FRAME_GAP - MARGIN);
	rule(p->cr, 48, 0.8);
	rule(p->cr, A4_H - 44, 0.8);
	ink(p->cr, 0);
	text.len = 0;
	buf_printf(&text, p->pages ? "Page %d of %d" : "Page %d", p->page, p->pages);
	right = show_fit(p->cr, LEFT, A4_H - 30, 8, false, TEXT_RIGHT, buf_cstr(&text), 0);
	show_fit(p->cr, MARGIN, A4_H - 30, 8, false, TEXT_LEFT, e->site ? e->site : "Made by c360 " C360_VERSION,
		 LEFT - right - FRAME_GAP - MARGIN);
	buf_free(&text);
	p->y = TOP;
}

static void tag_begin(Pdf *p, const char *tag)
{
	cairo_tag_begin(p->cr, tag, NULL);
	p->open[p->nopen++] = tag;
}

static void tag_end(Pdf *p)
{
	cairo_tag_end(p->cr, p->open[--p->nopen]);
}

/* A new page: the tags open in the Document are closed before it and opened again after its
 * frame, so that the header and the footer are in none of them (a table on two pages is two
 * tables). The Document stays open: the structure has one root (poppler warns of more; Cairo
 * 1.16 has no artifacts, so the frame of a page after the first is the Document's own text). */
static void new_page(Pdf *p)
{
	for (int i = p->nopen; i-- > 1;)
		cairo_tag_end(p->cr, p->open[i]);
	cairo_show_page(p->cr);
	p->page++;
	page_frame(p);
	for (int i = 1; i < p->nopen; i++)
		cairo_tag_begin(p->cr, p->open[i], NULL);
}

/* show_fit's text as one element of the structure (a heading, a cell). */
static void show_tagged(Pdf *p, const char *tag, double x, double y, double size, bool bold, int align,
			const char *text, double max)
{
	tag_begin(p, tag);
	show_fit(p->cr, x, y, size, bold, align, text, max);
	tag_end(p);
}

/* Room for h more points on this page, else a new one. */
static void need(Pdf *p, double h)
{
	if (p->y + h > BOTTOM)
		new_page(p);
}

/* text in lines no wider than the body, from p->y on: each measured as it is shown (a line
 * separator in it, measured as it is, was a line end to Pango: a line of two halves that each
 * fit was drawn whole, past the page's edge). */
static void paragraph(Pdf *p, const char *text, double size)
{
	cairo_t *cr = p->cr;
	tag_begin(p, "P");
	Buf line = {0};
	for (const char *w = text; *w;) {
		size_t n = strcspn(w, " "), keep = line.len;
		buf_puts(&line, line.len ? " " : "");
		buf_put(&line, w, n);
		if (shown_width(cr, size, false, buf_cstr(&line)) > A4_W - 2 * MARGIN && keep) {
			line.len = keep;
			buf_putc(&line, ' ');	/* the space the line ends at: in the text a reader reads out */
			need(p, size * 1.5);
			show(cr, MARGIN, p->y, size, false, TEXT_LEFT, buf_cstr(&line));
			p->y += size * 1.5;
			line.len = 0;
			continue;	/* the word starts the next line */
		}
		w += n + (w[n] == ' ');
	}
	need(p, size * 1.5);
	show(cr, MARGIN, p->y, size, false, TEXT_LEFT, line.len ? buf_cstr(&line) : "");
	p->y += size * 1.5;
	buf_free(&line);
	tag_end(p);
}

static void heading(Pdf *p, const char *text, double room)
{
	need(p, room);
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.12);
	show_tagged(p, "H2", MARGIN, p->y + 12, 12, true, TEXT_LEFT, text, 0);
	p->y += 26;
}

#define HEAD_SIZE 8.5	/* a table's column headings */
#define COL_GAP 10.0	/* the least room between two columns */

/* A table's columns, fitted to what they hold. */
typedef struct {
	double x[8];	/* column 0 left-aligned at x[0] (the margin), the others right-aligned at theirs */
	double max[8];	/* how wide a cell may be (0: any): column 0's the room the others leave it */
	double size, head;	/* the type of its cells and of its headings */
} Columns;

/* How wide each column of n is with its type scaled: its heading (HEAD_SIZE) and its rows' cells
 * (row-major, of size), at most max wide (0: any); their sum. */
static double column_widths(cairo_t *cr, double scale, double size, const double *max, int n, const char *const *head,
			    const char *const *cell, size_t rows, int bold_col, double *w)
{
	double total = 0;
	for (int c = 0; c < n; c++) {
		w[c] = shown_width(cr, HEAD_SIZE * scale, true, head[c]);
		for (size_t r = 0; r < rows; r++)
			w[c] = fmax(w[c], shown_width(cr, size * scale, c == bold_col, cell[r * (size_t)n + c]));
		if (max[c] > 0)
			w[c] = fmin(w[c], max[c] * scale);
		total += w[c];
	}
	return total;
}

/* The columns of n (at most 8) at x as laid out, with cells of size (column bold_col bold) and at
 * most max wide (0: any), fitted to the headings and the rows' cells (row-major): a column
 * reaching into the one before it moves that one left, and where all of them are wider than
 * the page, the table's type is made smaller until they are not (a revenue of ten digits with
 * its currency: the columns ran into each other, helper 116). */
static Columns fit_columns(cairo_t *cr, const double *x, const double *max, int n, const char *const *head,
			   const char *const *cell, size_t rows, double size, int bold_col)
{
	double w[8], room = LEFT - MARGIN - COL_GAP * (n - 1), scale = 1, total;
	/* smaller type until they fit (text is not quite as wide as its size: measured again) */
	for (int k = 0; (total = column_widths(cr, scale, size, max, n, head, cell, rows, bold_col, w)) > room && k < 8; k++)
		scale *= room / total * 0.995;
	Columns t = {.size = size * scale, .head = HEAD_SIZE * scale};
	memcpy(t.x, x, (size_t)n * sizeof *x);
	for (int c = n - 1; c > 1; c--)	/* from the right: each column clear of the next one's cells */
		t.x[c - 1] = fmin(t.x[c - 1], t.x[c] - w[c] - COL_GAP);
	if (t.x[1] - w[1] - COL_GAP - MARGIN < w[0])	/* no room left for the first: all to the right */
		for (int c = n - 1; c > 1; c--)
			t.x[c - 1] = t.x[c] - w[c] - COL_GAP;
	for (int c = 1; c < n; c++)
		t.max[c] = max[c] * scale;
	t.max[0] = fmax(t.x[1] - w[1] - COL_GAP - MARGIN, 12);	/* some room, cut with "…", whatever is left */
	return t;
}

/* A table begun: its column headings in grey, right-aligned at x (the first left-aligned). */
static void table_head(Pdf *p, const Columns *t, const char *const *cols, int n)
{
	ink(p->cr, 0);
	tag_begin(p, "Table");
	tag_begin(p, "TR");
	for (int i = 0; i < n; i++)
		show_tagged(p, "TH", t->x[i], p->y, t->head, true, i ? TEXT_RIGHT : TEXT_LEFT, cols[i], t->max[i]);
	tag_end(p);
	p->y += 15;
}

/* A row of the table, its room made first: a page breaks between rows, never in one. */
static void row_begin(Pdf *p, double h)
{
	need(p, h);
	tag_begin(p, "TR");
}

static void kpi_table(Pdf *p)
{
	const Edition *e = p->e;
	static const double x[] = {MARGIN, 300, 390, 470, LEFT}, max[5] = {0};
	const char *cols[] = {"KPI", e->as_of, "a week earlier", "change", "change %"}, *cells[K_COUNT * 5];
	for (int k = 0; k < K_COUNT; k++) {
		const EditionKpi *r = &e->kpi[k];
		memcpy(cells + 5 * k, (const char *[]){r->name, r->now, r->before, r->change, r->change_pct}, sizeof *cells * 5);
	}
	Columns t = fit_columns(p->cr, x, max, 5, cols, cells, K_COUNT, 9.5, 1);
	heading(p, "Key figures", 26 + 15 + 16 * 4);
	table_head(p, &t, cols, 5);
	for (int k = 0; k < K_COUNT; k++) {
		const char *const *c = cells + 5 * k;
		row_begin(p, 16);
		rule(p->cr, p->y + 4, 0.88);
		cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.12);
		show_tagged(p, "TH", t.x[0], p->y, t.size, false, TEXT_LEFT, c[0], t.max[0]);
		show_tagged(p, "TD", t.x[1], p->y, t.size, true, TEXT_RIGHT, c[1], 0);
		show_tagged(p, "TD", t.x[2], p->y, t.size, false, TEXT_RIGHT, c[2], 0);
		ink(p->cr, e->kpi[k].tone);
		show_tagged(p, "TD", t.x[3], p->y, t.size, false, TEXT_RIGHT, c[3], 0);
		show_tagged(p, "TD", t.x[4], p->y, t.size, false, TEXT_RIGHT, c[4], 0);
		tag_end(p);
		p->y += 16;
	}
	tag_end(p);
	p->y += 14;
}

static void at_risk_table(Pdf *p)
{
	const Edition *e = p->e;
	static const double x[] = {MARGIN, 255, 330, 398, 472, LEFT}, max[] = {150, 55, 0, 0, 0, 0};
	const char *cols[] = {"Customer", "Id", "Segment", "Last order", "Open tickets", "Lifetime value"};
	heading(p, e->at_risk_title, 26 + 15 + 15 * 3);
	if (!e->nat_risk) {
		paragraph(p, e->at_risk_none, 9.5);
		return;
	}
	const char **cells = xcalloc(e->nat_risk * 6, sizeof *cells);
	for (size_t i = 0; i < e->nat_risk; i++) {
		const EditionCustomer *r = &e->at_risk[i];
		memcpy(cells + 6 * i, (const char *[]){r->name, r->id, r->segment, r->last_order, r->open, r->value},
		       sizeof *cells * 6);
	}
	Columns t = fit_columns(p->cr, x, max, 6, cols, cells, e->nat_risk, 9, 5);
	table_head(p, &t, cols, 6);
	for (size_t i = 0; i < e->nat_risk; i++) {
		row_begin(p, 15);
		rule(p->cr, p->y + 4, 0.88);
		cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.12);
		show_tagged(p, "TH", t.x[0], p->y, t.size, false, TEXT_LEFT, cells[6 * i], t.max[0]);
		for (int c = 1; c < 6; c++)
			show_tagged(p, "TD", t.x[c], p->y, t.size, c == 5, TEXT_RIGHT, cells[6 * i + c], t.max[c]);
		tag_end(p);
		p->y += 15;
	}
	free(cells);
	tag_end(p);
	p->y += 14;
}

#define GAP 18.0		/* between two charts side by side */

/* One chart's title and plot at (x, y), scaled. */
static void chart_at(Pdf *p, const ReportChart *rc, const ChartPlot *plot, double x, double w, double scale)
{
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.12);
	show_tagged(p, "H2", x, p->y + 12, 11, true, TEXT_LEFT, rc->chart.title, w);
	tag_begin(p, "Figure");
	p->figure[p->nfigure++] = rc;
	cairo_save(p->cr);
	cairo_translate(p->cr, x + (w - chart_width(plot) * scale) / 2, p->y + 20);
	cairo_scale(p->cr, scale, scale);
	chart_draw(plot, p->cr);
	cairo_restore(p->cr);
	tag_end(p);
}

typedef struct {
	const ReportChart *a, *b;	/* b: the right-hand one of two side by side, else NULL */
	const ChartPlot *plot;		/* a's plot: the narrow one beside b */
	double w, scale, h;		/* each chart's cell width, its scale, the row's plot height */
} ChartRow;

/* The dashboard's charts in rows: a trend chart alone at the body's width, bar charts two to a row
 * in their narrow layout (the second the next bar chart); returns how many rows. */
static size_t chart_rows(const ChartSet *cs, ChartRow *row)
{
	const double body = A4_W - 2 * MARGIN, half = (body - GAP) / 2;
	const ReportChart *waiting = NULL;	/* a bar chart without its pair yet */
	size_t n = 0, wait_at = 0;
	for (size_t i = 0; i < cs->n; i++) {
		const ReportChart *rc = &cs->c[i];
		if (!rc->dashboard)
			continue;
		if (rc->chart.kind == CHART_BARS && waiting) {
			ChartRow *r = &row[wait_at];
			r->b = rc;
			r->h = fmax(chart_height(waiting->narrow), chart_height(rc->narrow));
			waiting = NULL;
			continue;
		}
		bool bars = rc->chart.kind == CHART_BARS;
		row[n] = (ChartRow){rc, NULL, rc->plot, body, body / chart_width(rc->plot), chart_height(rc->plot)};
		if (bars)
			waiting = rc, wait_at = n;
		n++;
	}
	for (size_t i = 0; i < n; i++)
		if (row[i].b) {
			row[i].plot = row[i].a->narrow;
			row[i].w = half;
			row[i].scale = half / chart_width(row[i].plot);
		}
	return n;
}

/* The scale of row r at y: its own, or shrunk to the room left when that is three quarters of it or
 * more; 0 when it goes to the next page. */
static double row_scale(const ChartRow *r, double y)
{
	double fit = (BOTTOM - y - 22) / r->h;
	return y + 22 + r->h * r->scale <= BOTTOM ? r->scale : fit >= 0.75 * r->scale ? fit : 0;
}

/* Whether row r at y begins a page (brk: it is to), and its scale there; a row taller than a page
 * even at three quarters of its size is shrunk to one. */
static bool row_place(const ChartRow *r, double y, bool brk, double *scale)
{
	bool begin = y > TOP && (brk || !row_scale(r, y));
	double top = begin ? TOP : y;
	*scale = row_scale(r, top);
	if (!*scale)
		*scale = (BOTTOM - top - 22) / r->h;
	return begin;
}

static double row_end(const ChartRow *r, double y, double scale)
{
	return y + 22 + r->h * scale + 14;
}

/* Where the rows go from y on, a page begun at row brk (n: none): each one's page (0: y's) in
 * page[], how much of each page's body is filled in used[]; returns how many pages after y's. */
static int flow(const ChartRow *row, size_t n, double y, size_t brk, int *page, double *used)
{
	int pg = 0;
	used[0] = y - TOP;
	for (size_t i = 0; i < n; i++) {
		double scale;
		if (row_place(&row[i], y, i == brk, &scale))
			pg++, y = TOP;
		page[i] = pg;
		y = row_end(&row[i], y, scale);
		used[pg] = y - TOP;
	}
	return pg;
}

/* Where a page begins so that the last page is not near empty: when it holds less than half a
 * page, at the row that fills the less filled of the last two pages the most, their number the
 * same; n: where they fall. */
static size_t balance(const ChartRow *row, size_t n, double y, int *page, double *used)
{
	int pages = flow(row, n, y, n, page, used);
	size_t brk = n, k = n;
	if (!pages || used[pages] >= (BOTTOM - TOP) / 2)
		return n;
	double best = fmin(used[pages - 1], used[pages]);
	while (k > 0 && page[k - 1] == pages)
		k--;
	for (size_t b = k; b-- > 1 && page[b - 1] == pages - 1;) {
		if (flow(row, n, y, b, page, used) == pages && fmin(used[pages - 1], used[pages]) > best)
			best = fmin(used[pages - 1], used[pages]), brk = b;
	}
	return brk;
}

/* The rows in order, each under its title, a page begun where balance says. */
static void charts(Pdf *p)
{
	const ChartSet *cs = p->e->charts;
	ChartRow *row = xcalloc(cs->n + 1, sizeof *row);
	int *page = xcalloc(cs->n + 1, sizeof *page);
	double *used = xcalloc(cs->n + 2, sizeof *used);
	size_t n = chart_rows(cs, row), brk = balance(row, n, p->y, page, used);
	for (size_t i = 0; i < n; i++) {
		const ChartRow *r = &row[i];
		double scale;
		if (row_place(r, p->y, i == brk, &scale))
			new_page(p);
		chart_at(p, r->a, r->plot, MARGIN, r->w, scale);
		if (r->b)
			chart_at(p, r->b, r->b->narrow, MARGIN + r->w + GAP, r->w, scale);
		p->y = row_end(r, p->y, scale);
	}
	free(used);
	free(page);
	free(row);
}

static cairo_status_t pdf_bytes(void *closure, const unsigned char *data, unsigned int n)
{
	buf_put(closure, data, n);
	return CAIRO_STATUS_SUCCESS;
}

/* The whole PDF into out, numbering pages "of pages" (0: not yet known), the charts drawn into
 * figure (room for all) and their count into nfigure; returns how many pages, or 0 when Cairo
 * fails. */
static int render(const Edition *e, Buf *out, int pages, const ReportChart **figure, size_t *nfigure)
{
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(pdf_bytes, out, A4_W, A4_H);
	Buf day = {0}, title = {0};	/* the as-of date, never the clock: the edition is reproducible */
	buf_date(&day, e->g->as_of == MOMENT_NULL ? 0 : e->g->as_of);
	buf_puts(&day, "T00:00:00Z");
	buf_printf(&title, "%s \xc2\xb7 weekly edition, as of %s", e->title, e->as_of);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, buf_cstr(&day));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, buf_cstr(&day));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, buf_cstr(&title));
	buf_free(&day);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "c360 " C360_VERSION);
	Pdf p = {e, cairo_create(surface), TOP, 1, pages, {NULL}, 0, figure, 0};
	page_frame(&p);
	tag_begin(&p, "Document");
	cairo_set_source_rgb(p.cr, 0.1, 0.1, 0.12);
	title.len = 0;
	buf_printf(&title, "The week to %s", e->as_of);
	show_tagged(&p, "H1", MARGIN, p.y + 10, 18, true, TEXT_LEFT, buf_cstr(&title), 0);
	buf_free(&title);
	p.y += 34;
	paragraph(&p, buf_cstr((Buf *)&e->summary), 10.5);
	p.y += 10;
	kpi_table(&p);
	at_risk_table(&p);
	charts(&p);
	tag_end(&p);
	bool ok = cairo_status(p.cr) == CAIRO_STATUS_SUCCESS;	/* a text Cairo refused: nothing drawn after it */
	cairo_destroy(p.cr);
	cairo_surface_finish(surface);
	ok = ok && cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surface);
	*nfigure = p.nfigure;
	return ok ? p.page : 0;
}

/* The last of s in p[0, n), or NULL. */
static const char *last_of(const char *p, size_t n, const char *s, size_t len)
{
	const char *found = NULL;
	for (const char *a = p; a && (a = memmem(a, n - (size_t)(a - p), s, len)); a++)
		found = a;
	return found;
}

/* The decimal number at s, read no further than end (a PDF is no C string); false if s starts
 * with no digit or the number exceeds max. */
static bool digits_at(const char *s, const char *end, size_t max, size_t *v)
{
	size_t n = 0;
	const char *d = s;
	for (; d < end && *d >= '0' && *d <= '9'; d++)
		if ((n = n * 10 + (size_t)(*d - '0')) > max)
			return false;
	*v = n;
	return d > s;
}

typedef struct {
	size_t at;		/* where in the PDF */
	size_t from, len;	/* what: in the amendment's text */
} Insert;

typedef struct {
	Insert in[64];
	size_t n;
	Buf text;
} Amend;

static void amend_at(Amend *a, size_t at, size_t from)
{
	if (a->n < sizeof a->in / sizeof *a->in)
		a->in[a->n++] = (Insert){at, from, a->text.len - from};
}

static int insert_order(const void *x, const void *y)
{
	size_t a = ((const Insert *)x)->at, b = ((const Insert *)y)->at;
	return (a > b) - (a < b);
}

/* A PDF text string: UTF-16BE in hex after its byte-order mark, as Cairo writes the title; a
 * control character (C0, DEL, C1) or a line or paragraph separator a space, as the e-mail's alt
 * has it (a category label's ESC read out to a screen reader). */
static void pdf_text(Buf *b, const char *s)
{
	size_t n = 0;
	uint16_t *u = u8_to_u16((const uint8_t *)s, strlen(s), NULL, &n);
	buf_puts(b, "<FEFF");
	for (size_t i = 0; u && i < n; i++)
		buf_printf(b, "%04X", u[i] < 0x20 || (u[i] >= 0x7f && u[i] <= 0x9f) || u[i] == 0x2028 || u[i] == 0x2029 ? 0x20 : u[i]);
	buf_putc(b, '>');
	free(u);
}

/* The figures' /Alt, each after its "/S /Figure" line, when the Document's children (its /K, in
 * the order the tags began) have as many Figures as charts were drawn. table: the cross-reference
 * table's count entries, where each object begins. */
static void figures_alt(Amend *a, const char *p, const char *table, size_t count, const ReportChart *const *figure,
			size_t nfigure)
{
	static const char doc[] = "   /S /Document\n", kids[] = "   /K [ ", fig[] = " 0 obj\n<< /Type /StructElem\n   /S /Figure\n";
	const char *d = memmem(p, (size_t)(table - p), doc, strlen(doc));
	const char *k = d ? memmem(d, (size_t)(table - d), kids, strlen(kids)) : NULL;
	const char *end = k ? memchr(k, ']', (size_t)(table - k)) : NULL;
	if (!end || memmem(d + 1, (size_t)(table - d - 1), doc, strlen(doc)))
		return;
	size_t at[64], n = 0, start = a->n, mark = a->text.len;
	for (const char *r = k + strlen(kids); r < end && n <= nfigure && n < 64;) {
		char *next;
		unsigned long long obj = strtoull(r, &next, 10);
		if (next == r || strncmp(next, " 0 R ", 5) != 0 || obj >= count)
			return;
		r = next + 5;
		const char *e = table + 20 * obj;
		size_t off = strtoull(e, NULL, 10);
		char head[sizeof fig + 24];
		int len = snprintf(head, sizeof head, "%llu%s", obj, fig);
		if (e[17] == 'n' && off < (size_t)(table - p) && (size_t)(table - p) - off > (size_t)len &&
		    memcmp(p + off, head, (size_t)len) == 0)
			at[n++] = off + (size_t)len;
	}
	if (n != nfigure)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t from = a->text.len;
		Buf alt = {0};
		chart_words(&figure[i]->chart, &alt);
		buf_puts(&a->text, "   /Alt ");
		pdf_text(&a->text, buf_cstr(&alt));
		buf_putc(&a->text, '\n');
		buf_free(&alt);
		amend_at(a, at[i], from);
	}
	if (a->n - start != n) {	/* no room for all: none */
		a->n = start;
		a->text.len = mark;
	}
}

/* What Cairo 1.16 leaves out of a PDF, put in: the document's language in its catalog (/Lang, for
 * screen readers and PDF/UA), the D: that PDF dates start with, each chart's text alternative
 * (/Alt of its Figure: chart_words, which a screen reader reads instead of the drawing) and the
 * file's identifier in the trailer (/ID, a hash of the rest: the same bytes give the same one).
 * Each insertion moves the objects after it, so the cross-reference table's offsets and
 * startxref move with them. A PDF not laid out as Cairo 1.16 writes it (one classic table, the
 * last thing in it) is left as it is; Figures that are not the charts drawn, one to one in the
 * Document's order, get no /Alt. */
static void pdf_amend(Buf *pdf, const ReportChart *const *figure, size_t nfigure)
{
	enum { NADDS = 3 };	/* in the order Cairo writes them: the Info's dates, then the catalog */
	static const struct { const char *after, *put; } adds[NADDS] = {
		{"   /CreationDate (", "D:"}, {"   /ModDate (", "D:"}, {"<< /Type /Catalog\n", "   /Lang (en)\n"}};
	const char *p = pdf->p, *end = p + pdf->len;
	const char *xref = p ? last_of(p, pdf->len, "\nxref\n0 ", 8) : NULL;
	const char *sx = p ? last_of(p, pdf->len, "startxref\n", 10) : NULL;
	size_t count = 0;
	if (!xref || !sx || sx < xref || !digits_at(xref + 8, end, pdf->len / 20, &count))
		return;
	const char *table = memchr(xref + 8, '\n', (size_t)(end - xref - 8));
	static const char size[] = "trailer\n<< /Size ";
	if (!table || (size_t)(end - ++table) < count * 20 + strlen(size) ||
	    memcmp(table + count * 20, size, strlen(size)) != 0)
		return;
	Amend a = {0};
	for (size_t k = 0, last = 0; k < NADDS; k++) {
		const char *at = memmem(p, (size_t)(xref - p), adds[k].after, strlen(adds[k].after));
		if (!at || memmem(at + 1, (size_t)(xref - at - 1), adds[k].after, strlen(adds[k].after)) ||
		    (size_t)(at - p) < last) {
			buf_free(&a.text);
			return;	/* none, more than one, or out of order: not Cairo's */
		}
		last = (size_t)(at - p) + strlen(adds[k].after);
		size_t from = a.text.len;
		buf_puts(&a.text, adds[k].put);
		amend_at(&a, last, from);
	}
	figures_alt(&a, p, table, count, figure, nfigure);
	qsort(a.in, a.n, sizeof *a.in, insert_order);
	Buf out = {0};
	size_t from = 0;
	for (size_t k = 0; k < a.n; k++) {
		buf_put(&out, p + from, a.in[k].at - from);
		buf_put(&out, a.text.p + a.in[k].from, a.in[k].len);
		from = a.in[k].at;
	}
	buf_put(&out, p + from, (size_t)(table - p) - from);
	size_t shift = out.len - (size_t)(table - p);
	for (size_t i = 0; i < count; i++) {	/* "0000012345 00000 n \n": an object's offset */
		const char *e = table + 20 * i;
		unsigned long long off = strtoull(e, NULL, 10), by = 0;
		for (size_t k = 0; k < a.n && e[17] == 'n' && off >= a.in[k].at; k++)
			by += a.in[k].len;
		buf_printf(&out, "%010llu", off + by);
		buf_put(&out, e + 10, 10);
	}
	buf_free(&a.text);
	const char *tail = table + count * 20;	/* trailer << /Size N\n ... startxref\nOFFSET\n%%EOF */
	const char *line = memchr(tail, '\n', (size_t)(end - tail) - strlen("trailer\n"));
	line = line ? memchr(line + 1, '\n', (size_t)(end - line - 1)) : NULL;
	if (!line || line > sx) {
		buf_free(&out);
		return;
	}
	size_t start;
	if (!digits_at(sx + 10, end, pdf->len, &start)) {
		buf_free(&out);
		return;
	}
	buf_put(&out, tail, (size_t)(line + 1 - tail));
	size_t id = out.len;
	buf_put(&out, line + 1, (size_t)(sx + 10 - line - 1));
	buf_printf(&out, "%zu", start + shift);
	const char *rest = sx + 10;
	while (rest < end && *rest >= '0' && *rest <= '9')
		rest++;
	buf_put(&out, rest, (size_t)(end - rest));
	/* the identifier: the hash of all the rest, put in the trailer (after the table: nothing moves) */
	FileHash h = file_hash(out.p, out.len);
	Buf ids = {0};
	buf_printf(&ids, "   /ID [<%016llX%016llX> <%016llX%016llX>]\n", (unsigned long long)h.hi, (unsigned long long)h.lo,
		   (unsigned long long)h.hi, (unsigned long long)h.lo);
	Buf whole = {0};
	buf_put(&whole, out.p, id);
	buf_put(&whole, ids.p, ids.len);
	buf_put(&whole, out.p + id, out.len - id);
	buf_free(&ids);
	buf_free(&out);
	buf_free(pdf);
	*pdf = whole;
}

bool edition_pdf(const Edition *e, Buf *out, Buf *err)
{
	Buf count = {0};
	const ReportChart **figure = xcalloc(e->charts->n + 1, sizeof *figure);
	size_t nfigure = 0;
	int pages = render(e, &count, 0, figure, &nfigure);
	buf_free(&count);
	if (!pages || render(e, out, pages, figure, &nfigure) != pages) {
		free(figure);
		buf_puts(err, "weekly/report.pdf: error: cannot draw the PDF\n");
		return false;
	}
	pdf_amend(out, figure, nfigure);
	free(figure);
	return true;
}
