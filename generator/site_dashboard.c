/* site_dashboard.c — index.html: the KPI cards with week-over-week deltas, and the charts. */
#include "c360.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define WEEKS_MAX 52	/* weeks in the trend charts, at most */

/* ---- KPI cards */

typedef struct {
	const char *title;
	int kind;		/* KV_* */
	int64_t now, before;	/* KPI_NULL when undefined */
	bool lower_is_better;
	const char *detail;	/* a line under the value, or NULL */
} Card;

static void put_kpi(Buf *b, int kind, int64_t v)
{
	Buf t = {0};
	if (v == KPI_NULL)
		buf_puts(&t, "–");
	else if (kind == KV_COUNT)
		buf_int(&t, v);
	else
		buf_fixed2(&t, v);
	if (v != KPI_NULL && kind == KV_PCT)
		buf_putc(&t, '%');
	esc_html(b, t.p, t.len);
	buf_free(&t);
}

static void card_html(Buf *b, const Card *c, int64_t week_before)
{
	buf_puts(b, "<article class=\"kpi\">\n<h2>");
	esc_html(b, c->title, strlen(c->title));
	buf_puts(b, "</h2>\n<p class=\"value\">");
	put_kpi(b, c->kind, c->now);
	buf_puts(b, "</p>\n");
	if (c->detail) {
		buf_puts(b, "<p class=\"detail\">");
		esc_html(b, c->detail, strlen(c->detail));
		buf_puts(b, "</p>\n");
	}
	if (c->now != KPI_NULL && c->before != KPI_NULL) {
		int64_t d = c->now - c->before;
		const char *dir = d > 0 ? "up" : d < 0 ? "down" : "flat";
		bool good = d == 0 ? true : (d > 0) != c->lower_is_better;
		buf_printf(b, "<p class=\"delta %s %s\"><span aria-hidden=\"true\">%s</span> ", dir, good ? "good" : "bad",
			   d > 0 ? "▲" : d < 0 ? "▼" : "■");
		if (d > 0)
			buf_putc(b, '+');
		put_kpi(b, c->kind == KV_PCT ? KV_MONEY : c->kind, d);	/* percentages move in points */
		buf_puts(b, c->kind == KV_PCT ? " pts" : "");
		buf_puts(b, " since ");
		buf_date(b, week_before);
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "</article>\n");
}

/* The line under a card: the definition's note; the top payment method names itself. */
static const char *card_detail(const Gold *g, int k, char *out, size_t n)
{
	if (k != K_TOP_METHOD_PCT)
		return kpi_defs[k].note;
	if (!g->nsplit)
		return "no successful payment";
	snprintf(out, n, "%s: the most used of %zu methods", gold_label(g, SRC_PAYMENTS, PA_METHOD, g->split[0].method),
		 g->nsplit);
	return out;
}

static Value *kpi_cards(const Site *site, PageWork *w)
{
	const Gold *g = site->g;
	Buf b = {0};
	char detail[160];
	buf_puts(&b, "<section class=\"kpis\" aria-label=\"Key figures\">\n");
	for (int k = 0; k < K_COUNT; k++) {
		const KpiDef *d = &kpi_defs[k];
		if (!d->card)
			continue;
		Card c = {d->title, d->kind, g->now.v[k], g->week_before.v[k], d->lower_is_better,
			  card_detail(g, k, detail, sizeof detail)};
		card_html(&b, &c, g->week_before.as_of);
	}
	buf_puts(&b, "</section>\n");
	Value *v = v_raw(&w->arena, b.p, b.len);
	buf_free(&b);
	return v;
}

/* ---- charts */

void chart_write(Site *site, PageWork *w, const Chart *c, const char *key, Value *data)
{
	ChartPlot *p = chart_layout(c);
	Buf svg = {0};
	chart_svg(c, p, &svg);
	v_set(&w->arena, data, key, v_raw(&w->arena, svg.p, svg.len));
	buf_free(&svg);
	Buf name = {0}, png = {0};
	buf_printf(&name, "charts/%s.png", c->id);
	if (!chart_png(p, &png))
		buf_printf(&w->err, "%s: error: cannot draw the chart\n", buf_cstr(&name));
	else
		out_write_file(site->dir, buf_cstr(&name), &png, &w->err);
	buf_free(&name);
	if (site->ncharts < sizeof site->charts / sizeof *site->charts) {
		site->charts[site->ncharts++] = (struct SiteChart){xstrdup(c->id), xstrdup(c->title), p, png};
	} else {
		chart_plot_free(p);
		buf_free(&png);
	}
}

/* Labels of the last `n` ISO weeks ending with the as-of date's week. */
static const char **week_labels(Arena *a, int64_t last_monday, size_t n)
{
	const char **cat = arena_alloc(a, n * sizeof *cat);
	Buf b = {0};
	for (size_t i = 0; i < n; i++) {
		b.len = 0;
		buf_iso_week(&b, last_monday - 7 * (int64_t)(n - 1 - i));
		cat[i] = arena_strndup(a, b.p, b.len);
	}
	buf_free(&b);
	return cat;
}

static void chart_orders(Site *site, PageWork *w, Value *data, int64_t last_monday, size_t weeks)
{
	const Gold *g = site->g;
	double *orders = arena_alloc(&w->arena, weeks * sizeof *orders);
	double *revenue = arena_alloc(&w->arena, weeks * sizeof *revenue);
	size_t skip = g->nseries - weeks;	/* the series' weeks before the chart's */
	for (size_t i = 0; i < weeks; i++) {
		orders[i] = (double)g->week_orders[skip + i];
		revenue[i] = (double)g->week_cents[skip + i] / 100;
	}
	Chart c = {
		.id = "orders", .title = "Valid orders and revenue per week",
		.desc = "Columns: valid orders per ISO week (left axis); line: their revenue (right axis).",
		.cat_title = "Week", .kind = CHART_TREND, .format = KV_COUNT, .format_right = KV_MONEY,
		.ncat = weeks, .cat = week_labels(&w->arena, last_monday, weeks), .nseries = 2,
		.series = {{"Valid orders", orders, false, false}, {"Revenue", revenue, true, true}},
	};
	chart_write(site, w, &c, "chart_orders", data);
}

static void chart_devices(Site *site, PageWork *w, Value *data, int64_t last_monday, size_t weeks)
{
	const Gold *g = site->g;
	double *v[CH_COUNT];
	for (int ch = 0; ch < CH_COUNT; ch++) {
		v[ch] = arena_alloc(&w->arena, weeks * sizeof *v[ch]);
		for (size_t i = 0; i < weeks; i++)
			v[ch][i] = 0;
	}
	int64_t first = last_monday - 7 * (int64_t)(weeks - 1);
	for (size_t k = 1; k < g->nweeks; k++)
		if (g->weeks[k].days >= first && g->weeks[k].days <= last_monday)
			for (int ch = 0; ch < CH_COUNT; ch++)
				v[ch][(g->weeks[k].days - first) / 7] = (double)g->weeks[k].n[ch];
	Chart c = {
		.id = "devices", .title = "Web and mobile sessions per week",
		.desc = "Sessions per ISO week by channel: Mobile (Android, iOS), Web (desktop systems), Other.",
		.cat_title = "Week", .kind = CHART_TREND, .format = KV_COUNT, .ncat = weeks,
		.cat = week_labels(&w->arena, last_monday, weeks), .nseries = 3,
		.series = {{"Mobile", v[CH_MOBILE], true, false}, {"Web", v[CH_WEB], true, false},
			   {"Other", v[CH_OTHER], true, false}},
	};
	chart_write(site, w, &c, "chart_devices", data);
}

/* A bar chart from label counts, largest first, the tail folded into "Others". */
static void chart_counts(Site *site, PageWork *w, Value *data, const char *key, const Chart *tmpl,
			 const char *const *labels, const uint64_t *counts, size_t n, size_t keep)
{
	size_t *order = xmalloc((n + 1) * sizeof *order), shown = 0;
	for (size_t i = 0; i < n; i++)
		if (counts[i])
			order[shown++] = i;
	for (size_t i = 1; i < shown; i++)	/* insertion sort: count desc, then label */
		for (size_t j = i; j > 0; j--) {
			size_t a = order[j - 1], b = order[j];
			if (counts[a] > counts[b] || (counts[a] == counts[b] && strcmp(labels[a], labels[b]) <= 0))
				break;
			order[j - 1] = b, order[j] = a;
		}
	size_t ncat = shown > keep ? keep + 1 : shown;
	const char **cat = arena_alloc(&w->arena, (ncat + 1) * sizeof *cat);
	double *v = arena_alloc(&w->arena, (ncat + 1) * sizeof *v);
	for (size_t i = 0; i < ncat; i++) {
		cat[i] = i == keep ? "Others" : labels[order[i]];
		v[i] = i == keep ? 0 : (double)counts[order[i]];
	}
	for (size_t i = keep; i < shown; i++)
		v[keep] += (double)counts[order[i]];
	Chart c = *tmpl;
	c.kind = CHART_BARS, c.format = KV_COUNT, c.ncat = ncat, c.cat = cat, c.nseries = 1;
	c.series[0] = (ChartSeries){"Count", v, false, false};
	chart_write(site, w, &c, key, data);
	free(order);
}

static void chart_payments(Site *site, PageWork *w, Value *data)
{
	const Gold *g = site->g;
	const Dict *methods = &g->src[SRC_PAYMENTS].dict[PA_METHOD];
	uint64_t *counts = xcalloc(methods->n + 1, sizeof *counts);
	for (size_t i = 0; i < g->nsplit; i++)
		counts[g->split[i].method] = g->split[i].count;
	Chart c = {.id = "payments", .title = "Successful payments by method", .cat_title = "Method",
		   .desc = "Number of successful payments per payment method, largest first."};
	chart_counts(site, w, data, "chart_payments", &c, methods->label, counts, methods->n, 12);
	free(counts);
}

static void chart_tickets(Site *site, PageWork *w, Value *data)
{
	const Gold *g = site->g;
	const Dict *d = g->src[SRC_TICKETS].dict;
	Chart a = {.id = "ticket-status", .title = "Support tickets by status", .cat_title = "Status",
		   .desc = "Number of support tickets per resolution status."};
	chart_counts(site, w, data, "chart_ticket_status", &a, d[TI_STATUS].label, g->ticket_status, d[TI_STATUS].n, 8);
	Chart b = {.id = "ticket-issues", .title = "Support tickets by issue type", .cat_title = "Issue type",
		   .desc = "Number of support tickets per issue type, the ten most frequent and the others together."};
	chart_counts(site, w, data, "chart_ticket_issues", &b, d[TI_ISSUE].label, g->ticket_issue, d[TI_ISSUE].n, 10);
}

static void chart_segments(Site *site, PageWork *w, Value *data)
{
	static const char *labels[SEG_COUNT];
	for (int seg = 0; seg < SEG_COUNT; seg++)
		labels[seg] = segment_defs[seg].label;
	Chart c = {.id = "segments", .title = "Customers by segment", .cat_title = "Segment",
		   .desc = "Number of customers in each segment; the rules are on the segments page."};
	chart_counts(site, w, data, "chart_segments", &c, labels, site->g->segment_size, SEG_COUNT, SEG_COUNT);
}

bool site_dashboard(Site *site)
{
	PageWork w;
	page_init(&w);
	Arena *a = &w.arena;
	Value *data = v_obj(a);
	const Gold *g = site->g;
	if (!out_mkdir(site->dir, "charts", site->err))
		return false;
	v_set(a, data, "title", v_cstr(a, "Dashboard"));
	v_set(a, data, "kpi_cards", kpi_cards(site, &w));
	for (int k = 0; k < K_COUNT; k++) {
		VKind kind = kpi_defs[k].kind == KV_MONEY ? V_MONEY : kpi_defs[k].kind == KV_PCT ? V_PCT : V_INT;
		v_set(a, data, kpi_defs[k].id, v_num(a, kind, g->now.v[k]));
	}
	int64_t last_monday = g->as_of - date_weekday(g->as_of) + 1;
	size_t weeks = g->nseries < WEEKS_MAX ? g->nseries : WEEKS_MAX;
	chart_orders(site, &w, data, last_monday, weeks);
	chart_payments(site, &w, data);
	chart_devices(site, &w, data, last_monday, weeks);
	chart_tickets(site, &w, data);
	chart_segments(site, &w, data);
	bool ok = page_write(site, &w, "index.html", "index", data);
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok && !site->err->len;
}
