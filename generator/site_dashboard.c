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

/* The top payment method and its share, now and a week earlier. */
static void top_method(const Gold *g, const Dict *methods, Card *c, char *detail, size_t n)
{
	c->now = c->before = KPI_NULL;
	if (!g->nsplit) {
		snprintf(detail, n, "no successful payment");
		return;
	}
	const PaymentSplit *top = &g->split[0];
	c->now = top->share;
	for (size_t i = 0; i < g->nsplit_before; i++)
		if (g->split_before[i].method == top->method)
			c->before = g->split_before[i].share;
	if (c->before == KPI_NULL && g->nsplit_before)
		c->before = 0;
	snprintf(detail, n, "%s: the most used of %zu methods", methods->label[top->method], g->nsplit);
}

static Value *kpi_cards(const Site *site, PageWork *w)
{
	const Gold *g = site->g;
	const int64_t *now = g->now.v, *before = g->week_before.v;
	char method[160], device[160];
	Card pay = {"Payment mode split", KV_PCT, 0, 0, false, method};
	top_method(g, &site->s->src[SRC_PAYMENTS].dict[PA_METHOD], &pay, method, sizeof method);
	Buf web = {0};
	buf_puts(&web, "mobile share of sessions; web ");
	put_kpi(&web, KV_PCT, now[K_WEB_PCT]);
	snprintf(device, sizeof device, "%s", buf_cstr(&web));
	buf_free(&web);
	const Card cards[] = {
		{"Total customers", KV_COUNT, now[K_TOTAL_CUSTOMERS], before[K_TOTAL_CUSTOMERS], false,
		 "with at least one valid order"},
		{"Average order value", KV_MONEY, now[K_AVERAGE_ORDER_VALUE], before[K_AVERAGE_ORDER_VALUE], false, NULL},
		{"Repeat customers", KV_PCT, now[K_REPEAT_CUSTOMER_PCT], before[K_REPEAT_CUSTOMER_PCT], false,
		 "with two or more valid orders"},
		{"Open tickets", KV_COUNT, now[K_OPEN_TICKETS], before[K_OPEN_TICKETS], true, NULL},
		{"Churn risk", KV_COUNT, now[K_CHURN_RISK], before[K_CHURN_RISK], true,
		 "customers with a ticket and no recent valid order"},
		pay,
		{"Device preference", KV_PCT, now[K_MOBILE_PCT], before[K_MOBILE_PCT], false, device},
	};
	Buf b = {0};
	buf_puts(&b, "<section class=\"kpis\" aria-label=\"Key figures\">\n");
	for (size_t i = 0; i < sizeof cards / sizeof *cards; i++)
		card_html(&b, &cards[i], g->week_before.as_of);
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
	const Table *t = &site->s->src[SRC_ORDERS].table;
	double *orders = arena_alloc(&w->arena, weeks * sizeof *orders);
	double *revenue = arena_alloc(&w->arena, weeks * sizeof *revenue);
	for (size_t i = 0; i < weeks; i++)
		orders[i] = revenue[i] = 0;
	int64_t first = last_monday - 7 * (int64_t)(weeks - 1);
	for (size_t i = 0; i < t->n; i++) {
		const Order *o = ROW(t, Order, i);
		if (o->h.when == MOMENT_NULL || fact_is_late(&o->h, site->s->as_of) || !order_is_valid(o))
			continue;
		int64_t day = date_floor_day(o->h.when);
		if (day < first)
			continue;
		size_t k = (size_t)((day - first) / 7);
		orders[k]++;
		revenue[k] += (double)o->cents / 100;
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
	const Dict *methods = &site->s->src[SRC_PAYMENTS].dict[PA_METHOD];
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
	const Source *src = &site->s->src[SRC_TICKETS];
	const Dict *st = &src->dict[TI_STATUS], *is = &src->dict[TI_ISSUE];
	uint64_t *by_status = xcalloc(st->n + 1, sizeof *by_status), *by_issue = xcalloc(is->n + 1, sizeof *by_issue);
	for (size_t i = 0; i < src->table.n; i++) {
		const Ticket *t = ROW(&src->table, Ticket, i);
		if (fact_is_late(&t->h, site->s->as_of))
			continue;
		by_status[t->status]++;
		by_issue[t->issue]++;
	}
	Chart a = {.id = "ticket-status", .title = "Support tickets by status", .cat_title = "Status",
		   .desc = "Number of support tickets per resolution status."};
	chart_counts(site, w, data, "chart_ticket_status", &a, st->label, by_status, st->n, 8);
	Chart b = {.id = "ticket-issues", .title = "Support tickets by issue type", .cat_title = "Issue type",
		   .desc = "Number of support tickets per issue type, the ten most frequent and the others together."};
	chart_counts(site, w, data, "chart_ticket_issues", &b, is->label, by_issue, is->n, 10);
	free(by_status);
	free(by_issue);
}

static void chart_segments(Site *site, PageWork *w, Value *data)
{
	uint64_t counts[SEG_COUNT] = {0};
	for (size_t i = 0; i < CUSTOMERS(site->s)->n; i++)
		counts[site->g->c360[i].segment]++;
	Chart c = {.id = "segments", .title = "Customers by segment", .cat_title = "Segment",
		   .desc = "Number of customers in each segment; the rules are on the segments page."};
	chart_counts(site, w, data, "chart_segments", &c, segment_label, counts, SEG_COUNT, SEG_COUNT);
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
		VKind kind = kpi_info[k].kind == KV_MONEY ? V_MONEY : kpi_info[k].kind == KV_PCT ? V_PCT : V_INT;
		v_set(a, data, kpi_info[k].name, v_num(a, kind, g->now.v[k]));
	}
	int64_t last_monday = site->s->as_of - date_weekday(site->s->as_of) + 1;
	int64_t first = g->first_day == MOMENT_NULL ? last_monday : g->first_day - date_weekday(g->first_day) + 1;
	size_t weeks = (size_t)((last_monday - first) / 7 + 1);
	if (weeks > WEEKS_MAX)
		weeks = WEEKS_MAX;
	chart_orders(site, &w, data, last_monday, weeks);
	chart_payments(site, &w, data);
	chart_devices(site, &w, data, last_monday, weeks);
	chart_tickets(site, &w, data);
	chart_segments(site, &w, data);
	static const char *const why_key[SRC_COUNT] = {
		[SRC_PAYMENTS] = "no_payments", [SRC_TICKETS] = "no_support_tickets", [SRC_SESSIONS] = "no_web_activities",
	};
	for (int i = 0; i < SRC_COUNT; i++) {	/* an optional source without data: its sections say why */
		w.scratch.len = 0;
		if (why_key[i] && (source_why(&w.scratch, site->s, (SourceId)i), w.scratch.len))
			v_set(a, data, why_key[i], v_str(a, arena_strndup(a, w.scratch.p, w.scratch.len), w.scratch.len));
	}
	bool ok = page_write(site, &w, "index.html", "index", data);
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok && !site->err->len;
}
