/* chart.c — charts laid out once, then drawn to SVG for the site and with Cairo to PNG/PDF. */
#include "c360.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { ROLE_AXIS = 8, ROLE_GRID, ROLE_LABEL, ROLE_VALUE };
enum { SH_RECT, SH_LINE, SH_PATH, SH_DOT, SH_TEXT };
enum { A_START, A_MIDDLE, A_END };

#define W 640.0
#define FONT 11.0
#define CHAR_W (FONT * 0.58)	/* the layout's idea of a character's width (DejaVu Sans) */
#define LABEL_W 220.0		/* the widest category label of a bar chart */

typedef struct {
	int kind, role, anchor;
	double x, y, w, h;
	double *pts;
	size_t npts;
	char *text;
} Shape;

struct ChartPlot {
	double width, height;
	Shape *shape;
	size_t n, cap;
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

static void text_at(ChartPlot *p, int role, double x, double y, int anchor, const char *text)
{
	Shape *s = add(p, SH_TEXT, role);
	s->x = x, s->y = y, s->anchor = anchor;
	s->text = xstrdup(text);
}

static size_t text_chars(const char *s)
{
	size_t chars = 0;
	for (; *s; s++)
		chars += ((unsigned char)*s & 0xc0) != 0x80;
	return chars;
}

static double text_width(const char *s)
{
	return (double)text_chars(s) * CHAR_W;
}

/* A label that fits in width: cut with an ellipsis if it is wider (the data table has it all). */
static void label_at(ChartPlot *p, double x, double y, int anchor, const char *text, double width)
{
	size_t fits = (size_t)(width / CHAR_W), chars = text_chars(text);
	if (chars <= fits || fits < 2) {
		text_at(p, ROLE_LABEL, x, y, anchor, text);
		return;
	}
	Buf b = {0};
	const char *s = text;
	for (size_t k = 0; k < fits - 1; k++)
		do
			s++;
		while (((unsigned char)*s & 0xc0) == 0x80);
	buf_put(&b, text, (size_t)(s - text));
	buf_puts(&b, "…");
	text_at(p, ROLE_LABEL, x, y, anchor, buf_cstr(&b));
	buf_free(&b);
}

/* Tick values: 0 and steps of 1, 2 or 5 x 10^k up to at least max. */
static double nice_step(double max, int ticks)
{
	if (max <= 0)
		return 1;
	double raw = max / ticks, mag = pow(10, floor(log10(raw))), f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* A number as an axis label: short. */
static void axis_label(const Chart *c, char *out, size_t n, double v, int format)
{
	Buf b = {0};
	fmt_chart(&b, c->fmt ? c->fmt : &fmt_plain, v, format);
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* Series s's figure of category i as the bars and the data table write it: exact. */
static void figure_text(const Chart *c, size_t s, size_t i, char *out, size_t n)
{
	Buf b = {0};
	fmt_figure(&b, c->fmt ? c->fmt : &fmt_plain, c->series[s].right ? c->format_right : c->format,
		   c->series[s].v[i]);
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* ... and where it is drawn, in its axis' units (a cent is 0.01); none at 0. */
static double plotted(const Chart *c, size_t s, size_t i)
{
	int64_t x = c->series[s].v[i];
	int kind = c->series[s].right ? c->format_right : c->format;
	return x == KPI_NULL ? 0 : kind == KV_COUNT ? (double)x : (double)x / 100;
}

static double series_max(const Chart *c, bool right)
{
	double max = 0;
	for (size_t s = 0; s < c->nseries; s++)
		for (size_t i = 0; i < c->ncat && c->series[s].right == right; i++)
			max = fmax(max, plotted(c, s, i));
	return max;
}

/* Horizontal bars: one row per category, its value at the end of the bar. */
static void layout_bars(const Chart *c, ChartPlot *p)
{
	double label_w = 0, row = 26, top = 8;
	for (size_t i = 0; i < c->ncat; i++)
		label_w = fmax(label_w, text_width(c->cat[i]));
	label_w = fmin(label_w, LABEL_W) + 12;
	double x0 = label_w, span = W - label_w - 90, max = series_max(c, false);
	p->width = W;
	p->height = top * 2 + row * (double)(c->ncat ? c->ncat : 1);
	char v[64];
	for (size_t i = 0; i < c->ncat; i++) {
		double y = top + row * (double)i, val = plotted(c, 0, i);
		label_at(p, x0 - 8, y + row / 2 + FONT * 0.35, A_END, c->cat[i], LABEL_W);
		Shape *r = add(p, SH_RECT, 0);
		r->x = x0, r->y = y + 5, r->h = row - 10, r->w = max > 0 && val > 0 ? span * val / max : 0;
		figure_text(c, 0, i, v, sizeof v);
		text_at(p, ROLE_VALUE, x0 + r->w + 6, y + row / 2 + FONT * 0.35, A_START, v);
	}
	if (!c->ncat)
		text_at(p, ROLE_LABEL, W / 2, top + row / 2, A_MIDDLE, "no data");
}

/* One value axis: grid lines and tick labels on the left or right. */
static double axis(const Chart *c, ChartPlot *p, double max, int format, double left, double right, double top,
		   double bottom, bool on_right)
{
	double step = nice_step(max, 4), top_value = step * ceil(max / step);
	if (top_value <= 0)
		top_value = step;
	char v[64];
	for (double t = 0; t <= top_value + step / 2; t += step) {
		double y = bottom - (bottom - top) * t / top_value;
		if (!on_right) {
			Shape *g = add(p, SH_LINE, t == 0 ? ROLE_AXIS : ROLE_GRID);
			g->x = left, g->y = y, g->w = right - left;
		}
		axis_label(c, v, sizeof v, t, format);
		text_at(p, ROLE_LABEL, on_right ? right + 6 : left - 6, y + FONT * 0.35, on_right ? A_START : A_END, v);
	}
	return top_value;
}

/* Categories along x (weeks): bars grouped per category, lines through their middles. */
static void layout_trend(const Chart *c, ChartPlot *p)
{
	bool has_right = false;
	size_t nbars = 0;
	for (size_t s = 0; s < c->nseries; s++)
		has_right |= c->series[s].right, nbars += !c->series[s].line;
	double left = 58, right = W - (has_right ? 58 : 16), top = 34, bottom = 222;
	p->width = W, p->height = 262;
	double lmax = axis(c, p, series_max(c, false), c->format, left, right, top, bottom, false);
	double rmax = has_right ? axis(c, p, series_max(c, true), c->format_right, left, right, top, bottom, true) : 1;
	double group = c->ncat ? (right - left) / (double)c->ncat : 0;
	size_t every = (size_t)ceil((double)c->ncat * 64 / (right - left));
	for (size_t i = 0; i < c->ncat; i += every ? every : 1)
		text_at(p, ROLE_LABEL, left + group * ((double)i + 0.5), bottom + 16, A_MIDDLE, c->cat[i]);
	double legend_x = left;
	for (size_t s = 0, bar = 0; s < c->nseries; s++) {
		const ChartSeries *se = &c->series[s];
		double max = se->right ? rmax : lmax;
		Shape *key = add(p, SH_RECT, (int)s);
		key->x = legend_x, key->y = 8, key->w = 12, key->h = 12;
		text_at(p, ROLE_LABEL, legend_x + 16, 18, A_START, se->name);
		legend_x += 34 + text_width(se->name);
		if (!se->line) {
			double bw = group * 0.7 / (double)nbars;
			for (size_t i = 0; i < c->ncat; i++) {
				double v = plotted(c, s, i);
				if (v <= 0)
					continue;
				Shape *r = add(p, SH_RECT, (int)s);
				r->h = (bottom - top) * fmax(v, 0) / max;
				r->x = left + group * (double)i + group * 0.15 + bw * (double)bar, r->y = bottom - r->h, r->w = bw;
			}
			bar++;
			continue;
		}
		size_t at = p->n;	/* the path's place: adding dots may move the shapes */
		double *pts = add(p, SH_PATH, (int)s)->pts = xmalloc((c->ncat + 1) * 2 * sizeof *pts);
		for (size_t i = 0; i < c->ncat; i++) {
			double v = plotted(c, s, i);
			pts[2 * i] = left + group * ((double)i + 0.5);
			pts[2 * i + 1] = bottom - (bottom - top) * fmax(v, 0) / max;
			p->shape[at].npts++;
			if (c->ncat <= 26) {
				Shape *d = add(p, SH_DOT, (int)s);
				d->x = pts[2 * i], d->y = pts[2 * i + 1];
			}
		}
	}
	if (!c->ncat)
		text_at(p, ROLE_LABEL, (left + right) / 2, (top + bottom) / 2, A_MIDDLE, "no data");
}

ChartPlot *chart_layout(const Chart *c)
{
	ChartPlot *p = xcalloc(1, sizeof *p);
	if (c->kind == CHART_BARS)
		layout_bars(c, p);
	else
		layout_trend(c, p);
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
	default: return series[role & 3];
	}
}

static void svg_shape(Buf *b, const Shape *s)
{
	static const char *const anchors[] = {"start", "middle", "end"};
	const char *cls = role_class(s->role);
	switch (s->kind) {
	case SH_RECT:
		buf_printf(b, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", cls, s->x, s->y,
			   s->w, s->h);
		break;
	case SH_LINE:
		buf_printf(b, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cls, s->x, s->y,
			   s->x + s->w, s->y + s->h);
		break;
	case SH_DOT:
		buf_printf(b, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>", cls, s->x, s->y);
		break;
	case SH_PATH:
		buf_printf(b, "<polyline class=\"line %s\" points=\"", cls);
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

/* The chart's numbers as a table: its text alternative. */
static void data_table(Buf *b, const Chart *c)
{
	buf_puts(b, "<details class=\"chart-data\"><summary>Data table</summary>\n<table>\n<thead><tr><th scope=\"col\">");
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
	char v[64];
	for (size_t i = 0; i < c->ncat; i++) {
		buf_puts(b, "<tr><th scope=\"row\">");
		esc_html(b, c->cat[i], strlen(c->cat[i]));
		buf_puts(b, "</th>");
		for (size_t s = 0; s < c->nseries; s++) {
			figure_text(c, s, i, v, sizeof v);
			buf_printf(b, "<td>%s</td>", c->series[s].v[i] == KPI_NULL ? "" : v);
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, c->ncat ? "</tbody>\n</table></details>\n" : "</table></details>\n");
}

void chart_svg(const Chart *c, const ChartPlot *p, Buf *b)
{
	buf_printf(b, "<figure class=\"chart\" id=\"%s\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
		      "role=\"img\" aria-labelledby=\"%s-title %s-desc\">\n<title id=\"%s-title\">",
		   c->id, p->width, p->height, c->id, c->id, c->id);
	esc_html(b, c->title, strlen(c->title));
	buf_printf(b, "</title>\n<desc id=\"%s-desc\">", c->id);
	esc_html(b, c->desc, strlen(c->desc));
	buf_puts(b, "</desc>\n");
	for (size_t i = 0; i < p->n; i++)
		svg_shape(b, &p->shape[i]);
	buf_puts(b, "</svg>\n<figcaption>");
	esc_html(b, c->title, strlen(c->title));
	buf_puts(b, "</figcaption>\n");
	data_table(b, c);
	buf_puts(b, "</figure>\n");
}

/* ---- Cairo for PNG and PDF: the Okabe-Ito palette, safe for colour-blind readers */

static void role_colour(cairo_t *cr, int role)
{
	static const double series[][3] = {
		{0.000, 0.447, 0.698}, {0.902, 0.624, 0.000}, {0.000, 0.620, 0.451}, {0.800, 0.475, 0.655},
	};
	switch (role) {
	case ROLE_AXIS: cairo_set_source_rgb(cr, 0.35, 0.35, 0.38); break;
	case ROLE_GRID: cairo_set_source_rgb(cr, 0.88, 0.88, 0.90); break;
	case ROLE_LABEL: case ROLE_VALUE: cairo_set_source_rgb(cr, 0.15, 0.15, 0.18); break;
	default: cairo_set_source_rgb(cr, series[role & 3][0], series[role & 3][1], series[role & 3][2]);
	}
}

void chart_draw(const ChartPlot *p, cairo_t *cr)
{
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, FONT);
	cairo_set_line_width(cr, 1);
	for (size_t i = 0; i < p->n; i++) {
		const Shape *s = &p->shape[i];
		role_colour(cr, s->role);
		switch (s->kind) {
		case SH_RECT:
			cairo_rectangle(cr, s->x, s->y, s->w, s->h);
			cairo_fill(cr);
			break;
		case SH_LINE:
			cairo_move_to(cr, s->x, s->y + 0.5);
			cairo_line_to(cr, s->x + s->w, s->y + s->h + 0.5);
			cairo_stroke(cr);
			break;
		case SH_DOT:
			cairo_arc(cr, s->x, s->y, 3, 0, 2 * M_PI);
			cairo_fill(cr);
			break;
		case SH_PATH:
			cairo_set_line_width(cr, 2);
			for (size_t k = 0; k < s->npts; k++)
				(k ? cairo_line_to : cairo_move_to)(cr, s->pts[2 * k], s->pts[2 * k + 1]);
			cairo_stroke(cr);
			cairo_set_line_width(cr, 1);
			break;
		default: {
			cairo_text_extents_t e;
			cairo_text_extents(cr, s->text, &e);
			double x = s->anchor == A_START ? s->x : s->anchor == A_MIDDLE ? s->x - e.x_advance / 2 : s->x - e.x_advance;
			cairo_move_to(cr, x, s->y);
			cairo_show_text(cr, s->text);
		}
		}
	}
}

static cairo_status_t png_to_buf(void *closure, const unsigned char *data, unsigned int n)
{
	buf_put(closure, data, n);
	return CAIRO_STATUS_SUCCESS;
}

bool chart_png(const ChartPlot *p, Buf *out)
{
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(p->width * 2), (int)(p->height * 2));
	cairo_t *cr = cairo_create(surface);
	cairo_scale(cr, 2, 2);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	chart_draw(p, cr);
	cairo_destroy(cr);
	bool ok = cairo_surface_write_to_png_stream(surface, png_to_buf, out) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surface);
	return ok;
}

double chart_height(const ChartPlot *p)
{
	return p->height;
}
