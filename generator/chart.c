/* chart.c — charts laid out once per width, then drawn to SVG for the site (with a hover title
 * and, where given, a link per category) and with Cairo to PNG/PDF. */
#include "c360.h"

#include <cairo.h>
#include <png.h>
#include <zlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { ROLE_AXIS = 8, ROLE_GRID, ROLE_LABEL, ROLE_VALUE, ROLE_NOTE, ROLE_HIT };
enum { SH_RECT, SH_LINE, SH_PATH, SH_DOT, SH_TEXT };
enum { A_START, A_MIDDLE, A_END };

#define FONT 11.0
#define STACK_MIN 3.0	/* px: the narrowest part of a stacked bar */
#define CHAR_W (FONT * 0.6)	/* the layout's idea of a character's width (DejaVu Sans) */
#define BAR_ROW 26.0		/* a bar chart's row */

typedef struct {
	int kind, role, anchor;
	bool partial;		/* of the week not over yet: lighter, dashed */
	double x, y, w, h;
	double *pts;
	size_t npts;
	char *text;		/* SH_TEXT: the text; ROLE_HIT: the hover title */
	const char *link;	/* ROLE_HIT: where a click goes, or NULL */
} Shape;

struct ChartPlot {
	double width, height;
	Shape *shape;
	size_t n, cap;
	uint32_t colour[4];	/* the series' colours in PNG and PDF, 0xRRGGBB */
};

static Shape *add(ChartPlot *p, int kind, int role)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->shape = xrealloc(p->shape, p->cap * sizeof *p->shape);
	}
	Shape *s = &p->shape[p->n++];
	memset(s, 0, sizeof *s);
	s->kind = kind, s->role = role;
	return s;
}

static Shape *rect(ChartPlot *p, int role, double x, double y, double w, double h)
{
	Shape *s = add(p, SH_RECT, role);
	s->x = x, s->y = y, s->w = w, s->h = h;
	return s;
}

/* A Chinese or Japanese character is about twice as wide as a Latin one, a combining mark
 * takes no room of its own (text_columns). */
static double text_width(const char *s)
{
	return (double)text_columns(s, strlen(s)) * CHAR_W;
}

/* Text at (x, y), a space for each control (text_shown), shortened with "…" to at most max wide
 * (0: any width). */
static void text_at(ChartPlot *p, int role, double x, double y, int anchor, const char *text, double max)
{
	Shape *s = add(p, SH_TEXT, role);
	s->x = x, s->y = y, s->anchor = anchor;
	Buf b = {0};
	text_shown(&b, text, strlen(text));
	text = buf_cstr(&b);
	size_t n = b.len, keep = max > 0 ? (size_t)(max / CHAR_W) : n;
	if (text_columns(text, n) > keep && keep >= 2) {
		b.len = text_columns_cut(text, n, keep - 1);
		buf_puts(&b, "…");
	}
	s->text = (char *)buf_cstr(&b);
}

/* Tick values: 0 and steps of 1, 2 or 5 x 10^k (whole numbers for counts) up to at least max. */
static double nice_step(double max, int ticks, int format)
{
	if (max <= 0)
		return 1;
	double raw = max / ticks, mag = pow(10, floor(log10(raw))), f = raw / mag;
	double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
	return format == KV_COUNT && step < 1 ? 1 : step;
}

/* A figure as a bar's, a hover title's or a data table's: exact, as every page writes it. */
static void exact(const Chart *c, Buf *b, int64_t v, int format)
{
	fmt_figure(b, c->fmt ? c->fmt : &fmt_plain, format, v);
}

/* Series s's figure of category i where it is drawn, in its axis' units (a cent is 0.01); none at 0. */
static double plotted(const Chart *c, size_t s, size_t i)
{
	int64_t x = c->series[s].v[i];
	int kind = c->series[s].right ? c->format_right : c->format;
	return x == KPI_NULL ? 0 : kind == KV_COUNT ? (double)x : (double)x / 100;
}

static double series_max(const Chart *c, bool right)
{
	double max = 0;
	for (size_t i = 0; i < c->ncat; i++) {
		double sum = 0;
		for (size_t s = 0; s < c->nseries; s++)
			if (c->series[s].right == right)
				sum = c->stacked ? sum + plotted(c, s, i) : fmax(sum, plotted(c, s, i));
		max = fmax(max, sum);
	}
	return max;
}

/* A bar's figure: its series' sum (KPI_NULL when that does not fit). */
static int64_t bar_total(const Chart *c, size_t i)
{
	int64_t total = 0;
	for (size_t s = 0; s < c->nseries; s++)
		if (c->series[s].v[i] != KPI_NULL && __builtin_add_overflow(total, c->series[s].v[i], &total))
			return KPI_NULL;
	return total;
}

/* What hovering over a category says: its name (closed: esc_bidi) and every series' value there. */
static char *category_tip(const Chart *c, size_t i)
{
	Buf b = {0};
	esc_bidi(&b, c->cat[i], strlen(c->cat[i]));
	for (size_t s = 0; s < c->nseries; s++) {
		int64_t v = c->series[s].v[i];
		buf_puts(&b, s ? ", " : ": ");
		buf_puts(&b, c->series[s].name);
		buf_putc(&b, ' ');
		if (v == KPI_NULL)
			buf_puts(&b, "none");
		else
			exact(c, &b, v, c->series[s].right ? c->format_right : c->format);
	}
	return (char *)buf_cstr(&b);
}

static void hit(ChartPlot *p, const Chart *c, size_t i, double x, double y, double w, double h)
{
	Shape *s = rect(p, ROLE_HIT, x, y, w, h);
	s->text = category_tip(c, i);
	s->link = c->link ? c->link[i] : NULL;
}

/* The series' names and colours in a row from (x, y), wrapping within width; returns the y under it. */
static double legend(const Chart *c, ChartPlot *p, double x, double y, double width)
{
	double x0 = x;
	for (size_t s = 0; s < c->nseries; s++) {
		double w = 34 + text_width(c->series[s].name);
		if (x > x0 && x + w > width)
			x = x0, y += 18;
		if (c->series[s].line)	/* a line's swatch is a stroke, a bar's a square */
			rect(p, (int)s, x, y + 5, 12, 2);
		else
			rect(p, (int)s, x, y, 12, 12);
		text_at(p, ROLE_LABEL, x + 16, y + 10, A_START, c->series[s].name, 0);
		x += w;
	}
	return y + 22;
}

/* The widths of bar i's parts in span for max: as their values, but a stacked part too small to
 * see is STACK_MIN wide (1 of 301 rows quarantined shows), the width it gains taken from the
 * bar's widest part where that keeps STACK_MIN: the bar's length stays its total's. */
static void stack_widths(const Chart *c, size_t i, double span, double max, double w[4])
{
	size_t widest = 0;
	for (size_t s = 0; s < c->nseries; s++) {
		double v = plotted(c, s, i);
		w[s] = max > 0 && v > 0 ? span * v / max : 0;
		widest = w[s] > w[widest] ? s : widest;
	}
	for (size_t s = 0; c->stacked && s < c->nseries; s++) {
		double gain = STACK_MIN - w[s];
		if (s != widest && w[s] > 0 && gain > 0 && w[widest] - gain >= STACK_MIN)
			w[s] += gain, w[widest] -= gain;
	}
}

/* Horizontal bars: one row per category, its value (the series' total) after the bar. */
static void layout_bars(const Chart *c, ChartPlot *p, double width)
{
	double label_w = 0, value_w = 0, max = series_max(c, false);
	int64_t most = 0;
	Buf b = {0};
	for (size_t i = 0; i < c->ncat; i++) {
		label_w = fmax(label_w, text_width(c->cat[i]));
		most = bar_total(c, i) > most ? bar_total(c, i) : most;
	}
	exact(c, &b, most, c->format);
	value_w = text_width(buf_cstr(&b)) + 14;
	label_w = fmin(label_w, width * 0.34) + 12;
	double top = c->nseries > 1 ? legend(c, p, label_w, 6, width) : 8, x0 = label_w, span = width - label_w - value_w;
	p->width = width;
	p->height = top + 8 + BAR_ROW * (double)(c->ncat ? c->ncat : 1);
	for (size_t i = 0; i < c->ncat; i++) {
		double y = top + BAR_ROW * (double)i, x = x0;
		text_at(p, ROLE_LABEL, x0 - 8, y + BAR_ROW / 2 + FONT * 0.35, A_END, c->cat[i], label_w - 12);
		double w[4];
		stack_widths(c, i, span, max, w);
		for (size_t s = 0; s < c->nseries; s++) {
			if (w[s] > 0)
				rect(p, (int)s, x, y + 5, w[s], BAR_ROW - 10);
			x += w[s];
		}
		b.len = 0;
		exact(c, &b, bar_total(c, i), c->format);
		text_at(p, ROLE_VALUE, x + 6, y + BAR_ROW / 2 + FONT * 0.35, A_START, buf_cstr(&b), 0);
		hit(p, c, i, 0, y, width, BAR_ROW);
	}
	if (!c->ncat)
		text_at(p, ROLE_LABEL, width / 2, top + BAR_ROW / 2, A_MIDDLE, "no data", 0);
	buf_free(&b);
}

/* One value axis: grid lines and tick labels, all in one unit, on the left or right, in *steps
 * intervals when given (shared_steps: both axes' ticks on the same grid lines), else in its own
 * number of them, set in *steps. */
static double axis(const Chart *c, ChartPlot *p, double max, int format, double left, double right, double top,
		   double bottom, bool on_right, int *steps)
{
	double step = nice_step(max, *steps ? *steps : 4, format), top_value = step * ceil(max / step);
	if (*steps)
		top_value = step * *steps;
	if (top_value <= 0)
		top_value = step;
	*steps = (int)lround(top_value / step);
	AxisFormat af = fmt_axis_for(top_value, step, format);
	Buf b = {0};
	for (int k = 0; k <= *steps; k++) {	/* at k / steps of the height: two axes' ticks at one y */
		double t = k * step, y = bottom - (bottom - top) * k / *steps;
		if (!on_right) {
			Shape *g = add(p, SH_LINE, k == 0 ? ROLE_AXIS : ROLE_GRID);
			g->x = left, g->y = y, g->w = right - left;
		}
		b.len = 0;
		fmt_axis(&b, c->fmt ? c->fmt : &fmt_plain, &af, t);
		text_at(p, ROLE_LABEL, on_right ? right + 6 : left - 6, y + FONT * 0.35, on_right ? A_START : A_END,
			buf_cstr(&b), 0);
	}
	buf_free(&b);
	return top_value;
}

/* How many intervals two axes share (3 to 6): the fewest that leave the least room above both
 * maxima, each axis' step a nice one. */
static int shared_steps(double lmax, int lformat, double rmax, int rformat)
{
	int best = 4;
	double least = INFINITY;
	for (int n = 3; n <= 6; n++) {
		double l = nice_step(lmax, n, lformat) * n, r = nice_step(rmax, n, rformat) * n;
		double room = (lmax > 0 ? l / lmax : 1) + (rmax > 0 ? r / rmax : 1);
		if (room < least - 1e-9)
			least = room, best = n;
	}
	return best;
}

/* An axis' title: what its values are, and the currency of money. */
static void axis_title(const Chart *c, ChartPlot *p, const char *title, int format, double x, double y, int anchor)
{
	const char *cur = c->fmt && format == KV_MONEY ? c->fmt->currency : "";
	Buf b = {0};
	buf_printf(&b, *cur ? "%s (%s)" : "%s", title, cur);
	text_at(p, ROLE_NOTE, x, y, anchor, buf_cstr(&b), 0);
	buf_free(&b);
}

/* The weeks along x: a date per label (the latest always), the year where it starts or changes,
 * "to date" under a week not over yet; a week's two lines centred under it, or ended at the
 * chart's right edge where they would cross it. */
static void week_labels(const Chart *c, ChartPlot *p, double left, double group, double y, double width)
{
	size_t every = (size_t)ceil(52.0 / (group > 0 ? group : 1));
	int last_year = 0;
	size_t first = (c->ncat - 1) % (every ? every : 1);
	for (size_t i = first; i < c->ncat; i += every ? every : 1) {
		int yr, m, d;
		date_civil(c->week[i], &yr, &m, &d);
		Buf day = {0}, note = {0};
		buf_date_words(&day, c->week[i], false);
		if (yr != last_year)	/* the year too where it is not said yet (helper 116: "Dec 30" alone) */
			buf_printf(&note, "%d", yr);
		if (i + 1 == c->ncat && c->partial_last)
			buf_puts(&note, note.len ? ", to date" : "to date");
		double x = left + group * ((double)i + 0.5);
		int anchor = A_MIDDLE;
		if (x + fmax(text_width(buf_cstr(&day)), text_width(buf_cstr(&note))) / 2 > width - 2)
			x = width - 2, anchor = A_END;
		text_at(p, ROLE_LABEL, x, y, anchor, buf_cstr(&day), 0);
		if (note.len)
			text_at(p, ROLE_NOTE, x, y + 13, anchor, buf_cstr(&note), 0);
		last_year = yr;
		buf_free(&day), buf_free(&note);
	}
}

/* A line through the complete weeks; the week not over yet is a lighter dot of its own, never
 * joined to them (a week of a few days would read as a drop). */
static void trend_line(const Chart *c, ChartPlot *p, size_t s, double left, double group, double bottom,
		       double height, double max)
{
	size_t solid = c->partial_last && c->ncat >= 2 ? c->ncat - 1 : c->ncat;
	Shape *path = add(p, SH_PATH, (int)s);
	path->pts = xmalloc((solid + 1) * 2 * sizeof *path->pts);
	for (size_t i = 0; i < solid; i++) {
		double v = plotted(c, s, i);
		path->pts[2 * path->npts] = left + group * ((double)i + 0.5);
		path->pts[2 * path->npts++ + 1] = bottom - height * fmax(v, 0) / max;
	}
	for (size_t i = 0; i < c->ncat; i++) {
		bool partial = i >= solid;
		if (group < 12 && !partial)
			continue;
		double v = plotted(c, s, i);
		Shape *d = add(p, SH_DOT, (int)s);
		d->x = left + group * ((double)i + 0.5), d->y = bottom - height * fmax(v, 0) / max;
		d->partial = partial;
	}
}

/* Weeks along x: bars grouped per week, lines through their middles; a hover title per week. */
static void layout_trend(const Chart *c, ChartPlot *p, double width)
{
	bool has_right = false;
	size_t nbars = 0;
	for (size_t s = 0; s < c->nseries; s++)
		has_right |= c->series[s].right, nbars += !c->series[s].line;
	double left = 52, right = width - (has_right ? 52 : 14);
	double top = legend(c, p, left, 6, width) + 18, bottom = top + 176;
	p->width = width, p->height = bottom + 38;
	axis_title(c, p, c->axis_title, c->format, left - 44, top - 10, A_START);
	if (has_right)
		axis_title(c, p, c->axis_title_right, c->format_right, right + 44, top - 10, A_END);
	int steps = has_right ? shared_steps(series_max(c, false), c->format, series_max(c, true), c->format_right) : 0;
	double lmax = axis(c, p, series_max(c, false), c->format, left, right, top, bottom, false, &steps);
	double rmax = has_right ? axis(c, p, series_max(c, true), c->format_right, left, right, top, bottom, true, &steps) : 1;
	double group = c->ncat ? (right - left) / (double)c->ncat : 0;
	week_labels(c, p, left, group, bottom + 16, width);
	for (size_t s = 0, bar = 0; s < c->nseries; s++) {
		const ChartSeries *se = &c->series[s];
		double max = se->right ? rmax : lmax;
		if (se->line) {
			trend_line(c, p, s, left, group, bottom, bottom - top, max);
			continue;
		}
		double bw = group * 0.7 / (double)nbars;
		for (size_t i = 0; i < c->ncat; i++) {
			double v = plotted(c, s, i), h = (bottom - top) * fmax(v, 0) / max;
			if (v > 0)
				rect(p, (int)s, left + group * ((double)i + 0.15) + bw * (double)bar, bottom - h, bw, h)->partial =
					c->partial_last && i + 1 == c->ncat;
		}
		bar++;
	}
	for (size_t i = 0; i < c->ncat; i++)
		hit(p, c, i, left + group * (double)i, top, group, bottom - top);
	if (!c->ncat)
		text_at(p, ROLE_LABEL, (left + right) / 2, (top + bottom) / 2, A_MIDDLE, "no data", 0);
}

ChartPlot *chart_layout(const Chart *c, double width)
{
	ChartPlot *p = xcalloc(1, sizeof *p);
	memcpy(p->colour, c->colours ? c->colours : chart_colours_default, sizeof p->colour);
	if (c->kind == CHART_BARS)
		layout_bars(c, p, width);
	else
		layout_trend(c, p, width);
	return p;
}

void chart_plot_free(ChartPlot *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->shape[i].pts);
		free(p->shape[i].text);
	}
	free(p->shape);
	free(p);
}

/* ---- SVG for the site: classes carry the colours, so themes and dark mode apply */

static const char *role_class(int role)
{
	static const char *const series[] = {"s0", "s1", "s2", "s3"};
	switch (role) {
	case ROLE_AXIS: return "axis";
	case ROLE_GRID: return "grid";
	case ROLE_LABEL: return "label";
	case ROLE_VALUE: return "value";
	case ROLE_NOTE: return "note";
	case ROLE_HIT: return "hit";
	default: return series[role & 3];
	}
}

/* A category's hover area: its title, and a link around it where it leads somewhere. */
static void svg_hit(Buf *b, const Shape *s)
{
	if (s->link) {
		buf_puts(b, "<a href=\"");
		esc_html(b, s->link, strlen(s->link));
		buf_puts(b, "\" aria-label=\"");
		esc_html(b, s->text, strlen(s->text));
		buf_puts(b, "\">");
	}
	buf_printf(b, "<rect class=\"hit\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>", s->x, s->y, s->w,
		   s->h);
	esc_html(b, s->text, strlen(s->text));
	buf_puts(b, s->link ? "</title></rect></a>" : "</title></rect>");
}

static void svg_shape(Buf *b, const Shape *s)
{
	static const char *const anchors[] = {"start", "middle", "end"};
	const char *cls = role_class(s->role), *partial = s->partial ? " partial" : "";
	switch (s->kind) {
	case SH_RECT:
		if (s->role == ROLE_HIT)
			svg_hit(b, s);
		else
			buf_printf(b, "<rect class=\"%s%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", cls,
				   partial, s->x, s->y, s->w, s->h);
		break;
	case SH_LINE:
		buf_printf(b, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cls, s->x, s->y,
			   s->x + s->w, s->y + s->h);
		break;
	case SH_DOT:
		buf_printf(b, "<circle class=\"%s%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>", cls, partial, s->x, s->y);
		break;
	case SH_PATH:
		buf_printf(b, "<polyline class=\"line %s%s\" points=\"", cls, partial);
		for (size_t i = 0; i < s->npts; i++)
			buf_printf(b, "%s%.1f,%.1f", i ? " " : "", s->pts[2 * i], s->pts[2 * i + 1]);
		buf_puts(b, "\"/>");
		break;
	default:
		buf_printf(b, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", cls, s->x, s->y,
			   anchors[s->anchor]);
		esc_html(b, s->text, strlen(s->text));
		buf_puts(b, "</text>");
	}
	buf_putc(b, '\n');
}

/* The chart's numbers as a table: its text alternative, with the categories' links. */
static void data_table(Buf *b, const Chart *c)
{
	/* named by the chart's title: six summaries all "Data table" told a screen reader nothing (helper 117) */
	const char *title = c->title ? c->title : "";
	buf_puts(b, "<details class=\"chart-data\"><summary aria-label=\"Data table: ");
	esc_html(b, title, strlen(title));
	buf_puts(b, "\">Data table</summary>\n<table aria-label=\"");
	esc_html(b, title, strlen(title));
	buf_puts(b, "\">\n<thead><tr><th scope=\"col\">");
	esc_html(b, c->cat_title ? c->cat_title : "", c->cat_title ? strlen(c->cat_title) : 0);
	buf_puts(b, "</th>");
	for (size_t s = 0; s < c->nseries; s++) {
		buf_puts(b, "<th scope=\"col\">");
		esc_html(b, c->series[s].name, strlen(c->series[s].name));
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead>\n");
	if (c->ncat)
		buf_puts(b, "<tbody>\n");
	for (size_t i = 0; i < c->ncat; i++) {
		buf_puts(b, "<tr><th scope=\"row\">");
		if (c->link && c->link[i]) {
			buf_puts(b, "<a href=\"");
			esc_html(b, c->link[i], strlen(c->link[i]));
			buf_puts(b, "\">");
		}
		esc_html(b, c->cat[i], strlen(c->cat[i]));
		buf_puts(b, c->link && c->link[i] ? "</a></th>" : "</th>");
		for (size_t s = 0; s < c->nseries; s++) {
			int64_t x = c->series[s].v[i];
			buf_puts(b, "<td>");
			if (x != KPI_NULL) {	/* escaped: the currency and the separators are the configuration's */
				Buf fig = {0};
				exact(c, &fig, x, c->series[s].right ? c->format_right : c->format);
				esc_html(b, fig.p ? fig.p : "", fig.len);
				buf_free(&fig);
			}
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, c->ncat ? "</tbody>\n</table></details>\n" : "</table></details>\n");
}

/* An SVG of the chart: a picture, or a group of links where its categories lead somewhere. */
static void svg_plot(Buf *b, const Chart *c, const ChartPlot *p, const char *variant)
{
	buf_printf(b, "<svg class=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
		      "role=\"%s\" aria-labelledby=\"%s%s-title %s%s-desc\">\n<title id=\"%s%s-title\">",
		   *variant ? "narrow" : "wide", p->width, p->height, c->link ? "group" : "img", c->id, variant, c->id,
		   variant, c->id, variant);
	esc_html(b, c->title, strlen(c->title));
	buf_printf(b, "</title>\n<desc id=\"%s%s-desc\">", c->id, variant);
	esc_html(b, c->desc, strlen(c->desc));
	buf_puts(b, "</desc>\n");
	for (size_t i = 0; i < p->n; i++)
		svg_shape(b, &p->shape[i]);
	buf_puts(b, "</svg>\n");
}

void chart_words(const Chart *c, Buf *b)
{
	buf_puts(b, c->title);
	if (!c->ncat) {	/* as the chart draws it */
		buf_puts(b, ": no data.");
		return;
	}
	if (c->kind != CHART_BARS) {
		buf_printf(b, ". %s", c->desc);
		return;
	}
	buf_puts(b, ": ");
	for (size_t i = 0; i < c->ncat; i++) {
		buf_puts(b, i ? "; " : "");
		buf_puts(b, c->cat[i]);
		for (size_t s = 0; s < c->nseries; s++) {
			int64_t x = c->series[s].v[i];
			buf_puts(b, s ? ", " : " ");	/* "Lost 123"; "orders In silver 25, Quarantined 3" */
			if (c->nseries > 1)
				buf_printf(b, "%s ", c->series[s].name);
			if (x == KPI_NULL)
				buf_puts(b, "none");
			else
				exact(c, b, x, c->series[s].right ? c->format_right : c->format);
		}
	}
	buf_putc(b, '.');
}

void chart_svg(const Chart *c, const ChartPlot *wide, const ChartPlot *narrow, Buf *b)
{
	buf_printf(b, "<figure class=\"chart\" id=\"%s\">\n<figcaption>", c->id);	/* first: HTML allows it first or last */
	esc_html(b, c->title, strlen(c->title));
	buf_puts(b, "</figcaption>\n");
	svg_plot(b, c, wide, "");
	svg_plot(b, c, narrow, "-narrow");
	data_table(b, c);
	buf_puts(b, "</figure>\n");
}

/* ---- Cairo for PNG and PDF: the series in the plot's colours (c360's: the Okabe-Ito palette,
 * safe for colour-blind readers, its orange, green and pink darker (#b87400 #008a65 #b55d91: 3:1
 * at least on white, as WCAG 1.4.11 wants of graphics; helper 117 measured #e69f00's line at
 * 2.25:1), as the default theme's light colours) */

const uint32_t chart_colours_default[4] = {0x0072b2, 0xb87400, 0x008a65, 0xb55d91};

/* ---- the series' colours a theme's CSS sets (chart_css_colours): a scanner of just enough CSS */

/* The first byte at or after i that is neither a blank nor in a comment. */
static size_t css_gap(const char *s, size_t n, size_t i)
{
	for (;;) {
		while (i < n && strchr(" \t\r\n\f", s[i]) && s[i])
			i++;
		if (i + 1 >= n || s[i] != '/' || s[i + 1] != '*')
			return i;
		const char *end = memmem(s + i + 2, n - i - 2, "*/", 2);
		i = end ? (size_t)(end - s) + 2 : n;
	}
}

/* The first of stops at or after i outside strings, comments, (...) and, when blocks, {...};
 * n if none. */
static size_t css_until(const char *s, size_t n, size_t i, const char *stops, bool blocks)
{
	int depth = 0;
	while (i < n) {
		char c = s[i];
		if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			const char *end = memmem(s + i + 2, n - i - 2, "*/", 2);
			i = end ? (size_t)(end - s) + 2 : n;
			continue;
		}
		if (depth == 0 && c && strchr(stops, c))
			return i;
		if (c == '"' || c == '\'') {
			for (i++; i < n && s[i] != c && s[i] != '\n'; i++)
				i += s[i] == '\\';
		} else if (c == '(' || (blocks && c == '{')) {
			depth++;
		} else if ((c == ')' || (blocks && c == '}')) && depth > 0) {
			depth--;
		}
		i++;
	}
	return n;
}

/* The } that closes the block whose { is at i; n if none. */
static size_t css_block_end(const char *s, size_t n, size_t i)
{
	return css_until(s, n, i + 1, "}", true);
}

static bool css_is_root(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t from = css_gap(s, n, i), to = css_until(s, n, from, ",", false), end = to;
		while (end > from && strchr(" \t\r\n\f", s[end - 1]))
			end--;
		if (end - from == 5 && memcmp(s + from, ":root", 5) == 0)
			return true;
		i = to + 1;
	}
	return false;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* s[0, n): #rgb or #rrggbb, then perhaps !important. */
static bool css_hex(const char *s, size_t n, uint32_t *rgb)
{
	size_t k = 1;
	uint32_t v = 0;
	while (k < n && k <= 6 && hex_digit(s[k]) >= 0)
		v = v << 4 | (uint32_t)hex_digit(s[k++]);
	if (n == 0 || s[0] != '#' || (k != 4 && k != 7))
		return false;
	size_t rest = css_gap(s, n, k);
	if (rest < n && s[rest] == '!' && n - rest >= 10 && strncasecmp(s + rest, "!important", 10) == 0)
		rest = css_gap(s, n, rest + 10);
	if (rest != n)
		return false;
	if (k == 4)	/* #abc is #aabbcc */
		v = (v >> 8) * 0x110000 + (v >> 4 & 0xf) * 0x1100 + (v & 0xf) * 0x11;
	*rgb = v;
	return true;
}

#define CSS_WARNINGS 10	/* said each; of more, how many */

/* Where a warning is: the line and column of the byte at, counted on from the last warning's
 * (they come in the file's order); and how many there were. */
typedef struct {
	const char *name;
	Buf *warn;
	size_t at, line, col, n;
} CssWhere;

static void css_warn(const char *s, size_t at, CssWhere *w, const char *prop)
{
	if (++w->n > CSS_WARNINGS)
		return;
	for (; w->at < at; w->at++)
		s[w->at] == '\n' ? (w->line++, w->col = 1) : w->col++;
	buf_printf(w->warn, "%s:%zu:%zu: warning: %s is not written #rgb or #rrggbb: the PNG and PDF charts keep the "
			    "colour set before it, or c360's (the site's charts take it as it is)\n", w->name, w->line, w->col, prop);
}

/* The declarations of a :root rule, s[i, to). */
static void css_root_decls(const char *s, size_t i, size_t to, uint32_t colour[4], CssWhere *w)
{
	while ((i = css_gap(s, to, i)) < to) {
		size_t stop = css_until(s, to, i, ":;{", false);
		if (stop < to && s[stop] == '{') {	/* a nested rule */
			i = css_block_end(s, to, stop) + 1;
			continue;
		}
		if (stop >= to || s[stop] == ';') {
			i = stop + 1;
			continue;
		}
		size_t end = stop;
		while (end > i && strchr(" \t\r\n\f", s[end - 1]))
			end--;
		size_t v = css_gap(s, to, stop + 1), v_end = css_until(s, to, v, ";{", false);
		if (v_end < to && s[v_end] == '{')	/* not a declaration: a rule */
			v_end = css_block_end(s, to, v_end);
		while (v_end > v && v_end <= to && strchr(" \t\r\n\f", s[v_end - 1]))
			v_end--;
		if (end - i == 4 && memcmp(s + i, "--s", 3) == 0 && s[i + 3] >= '0' && s[i + 3] <= '3') {
			char prop[5] = {'-', '-', 's', s[i + 3], 0};
			if (!css_hex(s + v, v_end - v, &colour[s[i + 3] - '0']))
				css_warn(s, v, w, prop);
		}
		i = css_until(s, to, v, ";", true) + 1;
	}
}

void chart_css_colours(const char *css, size_t n, const char *name, uint32_t colour[4], Buf *warn)
{
	CssWhere where = {name, warn, 0, 1, 1, 0};
	for (size_t i = 0; (i = css_gap(css, n, i)) < n;) {
		size_t open = css_until(css, n, i, "{;", false);
		if (open >= n)
			return;
		if (css[open] == ';') {	/* @import, @charset */
			i = open + 1;
			continue;
		}
		size_t close = css_block_end(css, n, open);
		if (css[i] != '@' && css_is_root(css + i, open - i))	/* not @media: the dark and print colours */
			css_root_decls(css, open + 1, close, colour, &where);
		i = close + 1;
	}
	if (where.n > CSS_WARNINGS)
		buf_printf(warn, "%s: warning: %zu more colours not written #rgb or #rrggbb\n", name, where.n - CSS_WARNINGS);
}

static void role_colour(cairo_t *cr, const ChartPlot *p, int role, double alpha)
{
	uint32_t c = p->colour[role & 3];
	switch (role) {
	case ROLE_AXIS: cairo_set_source_rgb(cr, 0.35, 0.35, 0.38); break;
	case ROLE_GRID: cairo_set_source_rgb(cr, 0.88, 0.88, 0.90); break;
	case ROLE_NOTE: cairo_set_source_rgb(cr, 0.36, 0.38, 0.42); break;
	case ROLE_LABEL: case ROLE_VALUE: cairo_set_source_rgb(cr, 0.15, 0.15, 0.18); break;
	default: cairo_set_source_rgba(cr, (c >> 16) / 255.0, (c >> 8 & 0xff) / 255.0, (c & 0xff) / 255.0, alpha);
	}
}

static void draw_shape(cairo_t *cr, const ChartPlot *p, const Shape *s)
{
	static const double dash[] = {4, 3};
	role_colour(cr, p, s->role, s->partial ? 0.35 : 1);
	cairo_set_dash(cr, dash, s->partial ? 2 : 0, 0);
	switch (s->kind) {
	case SH_RECT:
		cairo_rectangle(cr, s->x, s->y, s->w, s->h);
		cairo_fill(cr);
		if (s->partial) {	/* a dashed outline in the full colour */
			role_colour(cr, p, s->role, 1);
			cairo_rectangle(cr, s->x + 0.5, s->y + 0.5, s->w - 1, s->h - 1);
			cairo_stroke(cr);
		}
		break;
	case SH_LINE:
		cairo_move_to(cr, s->x, s->y + 0.5);
		cairo_line_to(cr, s->x + s->w, s->y + s->h + 0.5);
		cairo_stroke(cr);
		break;
	case SH_DOT:
		cairo_arc(cr, s->x, s->y, 3, 0, 2 * M_PI);
		if (s->partial) {	/* lighter, in a dashed ring of the full colour */
			cairo_fill_preserve(cr);
			role_colour(cr, p, s->role, 1);
			cairo_stroke(cr);
		} else {
			cairo_fill(cr);
		}
		break;
	case SH_PATH:
		role_colour(cr, p, s->role, 1);
		cairo_set_line_width(cr, 2);
		for (size_t k = 0; k < s->npts; k++)
			(k ? cairo_line_to : cairo_move_to)(cr, s->pts[2 * k], s->pts[2 * k + 1]);
		cairo_stroke(cr);
		cairo_set_line_width(cr, 1);
		break;
	default:
		text_show(cr, s->x, s->y, FONT, false,
			  s->anchor == A_START ? TEXT_LEFT : s->anchor == A_MIDDLE ? TEXT_CENTRE : TEXT_RIGHT, s->text);
	}
}

void chart_draw(const ChartPlot *p, cairo_t *cr)
{
	cairo_set_line_width(cr, 1);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (size_t i = 0; i < p->n; i++)
		if (p->shape[i].role != ROLE_HIT)
			draw_shape(cr, p, &p->shape[i]);
	cairo_set_dash(cr, NULL, 0, 0);
}

static void png_to_buf(png_structp png, png_bytep data, size_t n)
{
	buf_put(png_get_io_ptr(png), data, n);
}

static void png_no_flush(png_structp png)
{
	(void)png;
}

/* The surface (RGB24: a pixel is a native-endian 0xXXRRGGBB) as an RGB PNG, each row less the
 * row above (mostly zeros: a chart is flat colours), deflated fast. cairo's writer (libpng's
 * defaults: every filter tried on every row, deflate level 6) cost ~400 instructions a pixel,
 * 3.5x these, for files ~20 % smaller; it was most of what a small rebuild spent. */
static bool png_encode(cairo_surface_t *s, Buf *out)
{
	cairo_surface_flush(s);
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	size_t stride = (size_t)cairo_image_surface_get_stride(s);
	unsigned char *data = cairo_image_surface_get_data(s);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	bool ok = false;
	if (info && data && !setjmp(png_jmpbuf(png))) {
		png_set_write_fn(png, out, png_to_buf, png_no_flush);
		png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
			     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
		png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
		png_set_compression_level(png, 1);
		png_write_info(png, info);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		png_set_filler(png, 0, PNG_FILLER_AFTER);	/* in memory B G R X: X dropped */
		png_set_bgr(png);
#else
		png_set_filler(png, 0, PNG_FILLER_BEFORE);	/* X R G B */
#endif
		for (int y = 0; y < h; y++)
			png_write_row(png, data + (size_t)y * stride);
		png_write_end(png, NULL);
		ok = true;
	}
	png_destroy_write_struct(&png, &info);
	return ok;
}

/* What png_encode makes its bytes from: the pixels (the drawing with its fonts and cairo, as it
 * came out), their size, the encoder (libpng's and zlib's versions, and salt: c360, whose
 * png_encode sets the encoding, and the settings). */
static FileHash png_input(cairo_surface_t *s, FileHash salt)
{
	cairo_surface_flush(s);
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	size_t stride = (size_t)cairo_image_surface_get_stride(s);
	const unsigned char *data = cairo_image_surface_get_data(s);
	FileHasher *x = file_hasher_new();
	struct {
		char what[16];
		FileHash salt;
		int64_t w, h, libpng;
	} head = {"c360 chart png", salt, w, h, (int64_t)png_access_version_number()};
	file_hasher_add(x, &head, sizeof head);
	file_hasher_add(x, zlibVersion(), strlen(zlibVersion()) + 1);
	for (int y = 0; data && y < h; y++)
		file_hasher_add(x, data + (size_t)y * stride, (size_t)w * 4);	/* B G R X: X is 0 (RGB24) */
	return file_hasher_end(x);
}

bool chart_png(const ChartPlot *p, Buf *out, const char *dir, const char *name, FileHash salt, Buf *why)
{
	/* twice the size, for sharp screens; a chart too tall for that (Cairo's images are 32,767
	 * pixels a side at most: ~630 bars of chart_max_values' 1,000) as tall as an image may be */
	double big = p->width > p->height ? p->width : p->height, scale = big * 2 > 32767 ? 32767 / big : 2;
	int w = (int)(p->width * scale), h = (int)(p->height * scale);
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(surface);	/* of a surface cairo could not make: in its error */
	cairo_scale(cr, scale, scale);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	chart_draw(p, cr);
	cairo_status_t drawn = cairo_status(cr);
	cairo_destroy(cr);
	bool ok = drawn == CAIRO_STATUS_SUCCESS;
	if (!ok && drawn == CAIRO_STATUS_NO_MEMORY)
		buf_printf(why, "out of memory (an image of %d x %d pixels)", w, h);
	else if (!ok)
		buf_printf(why, "Cairo says \"%s\" (an image of %d x %d pixels)", cairo_status_to_string(drawn), w, h);
	FileHash input = ok && dir ? png_input(surface, salt) : (FileHash){0, 0};
	if (ok && !(dir && manifest_old_bytes(dir, name, input, out)) && !png_encode(surface, out)) {
		buf_puts(why, "libpng could not encode it");
		ok = false;
	}
	if (ok && dir)
		manifest_page_made(dir, name, input);
	cairo_surface_destroy(surface);
	return ok;
}

double chart_width(const ChartPlot *p)
{
	return p->width;
}

double chart_height(const ChartPlot *p)
{
	return p->height;
}

/* ---- a KPI's sparkline: small, inline in its card, drawn by the site's CSS */

#define SPARK_W 200.0
#define SPARK_H 32.0

void chart_sparkline(Buf *b, const double *v, const char *const *tips, size_t n, const char *label)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
	buf_printf(b, "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
		      "aria-label=\"", SPARK_W, SPARK_H);
	esc_html(b, label, strlen(label));
	buf_puts(b, "\">\n");
	double x[64], y[64];
	for (size_t i = 0; i < n && i < 64; i++) {
		x[i] = 4 + (SPARK_W - 8) * (n > 1 ? (double)i / (double)(n - 1) : 0.5);
		y[i] = hi > lo ? SPARK_H - 4 - (SPARK_H - 8) * (v[i] - lo) / (hi - lo) : SPARK_H / 2;
	}
	for (size_t i = 0; i < n && i < 64;) {	/* a line through each run of values; nulls leave gaps */
		size_t j = i;
		while (j < n && j < 64 && !isnan(v[j]))
			j++;
		if (j > i + 1) {
			buf_puts(b, "<polyline class=\"trace\" points=\"");
			for (size_t k = i; k < j; k++)
				buf_printf(b, "%s%.1f,%.1f", k > i ? " " : "", x[k], y[k]);
			buf_puts(b, "\"/>\n");
		}
		i = j > i ? j : i + 1;
	}
	for (size_t i = 0; i < n && i < 64; i++) {
		if (isnan(v[i]))
			continue;
		buf_printf(b, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"><title>", i + 1 == n ? "pt last" : "pt",
			   x[i], y[i], i + 1 == n ? "3" : "4");
		esc_html(b, tips[i], strlen(tips[i]));
		buf_puts(b, "</title></circle>\n");
	}
	buf_puts(b, "</svg>");
}
