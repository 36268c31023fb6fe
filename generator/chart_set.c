/* chart_set.c — the report's charts: described from the gold model, laid out and drawn to PNG
 * once, for the dashboard (SVG), the edition's PDF and the e-mail's pictures. */
#include "c360.h"

#include <stdio.h>
#include <stdlib.h>

#define WEEKS_MAX 52	/* weeks in the trend charts, at most: their titles say so when there are more */
#define WEEKS_CUT ", the last 52"
_Static_assert(WEEKS_MAX == 52, "WEEKS_CUT names WEEKS_MAX");

typedef struct {
	ChartSet *set;
	const Gold *g;
	const NumFormat *fmt;
	const Config *cfg;	/* chart_max, field_max */
	int64_t last_monday;	/* of the as-of date's week */
	size_t weeks;		/* in the trend charts */
	bool partial;		/* the as-of date's week is not over: A is not a Sunday */
	bool cut;		/* the series has weeks before the charts' */
} Maker;

static ReportChart *add_chart(Maker *m, const char *key, const Chart *c, bool dashboard)
{
	ChartSet *set = m->set;
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 8;
		set->c = xrealloc(set->c, set->cap * sizeof *set->c);
	}
	ReportChart *rc = &set->c[set->n++];
	*rc = (ReportChart){.key = key, .chart = *c, .dashboard = dashboard};
	rc->chart.fmt = m->fmt;
	return rc;
}

static const char *keep(Maker *m, const Buf *b)
{
	return arena_strndup(&m->set->arena, b->p, b->len);
}

/* n figures of a series, 0 each. */
static int64_t *values(Maker *m, size_t n)
{
	int64_t *v = arena_alloc(&m->set->arena, (n + 1) * sizeof *v);
	for (size_t i = 0; i <= n; i++)
		v[i] = 0;
	return v;
}

/* The chart's weeks, ending with the as-of date's: their Mondays and names. */
static void weeks_of(Maker *m, Chart *c)
{
	const char **cat = arena_alloc(&m->set->arena, (m->weeks + 1) * sizeof *cat);
	int64_t *week = arena_alloc(&m->set->arena, (m->weeks + 1) * sizeof *week);
	Buf b = {0};
	for (size_t i = 0; i < m->weeks; i++) {
		week[i] = m->last_monday - 7 * (int64_t)(m->weeks - 1 - i);
		b.len = 0;
		buf_puts(&b, "Week of ");
		buf_date_words(&b, week[i], true);
		if (i + 1 == m->weeks && m->partial) {
			buf_puts(&b, " (to date: to ");
			buf_date_words(&b, m->g->as_of, false);
			buf_putc(&b, ')');
		}
		cat[i] = keep(m, &b);
	}
	buf_free(&b);
	c->ncat = m->weeks, c->cat = cat, c->week = week, c->partial_last = m->partial && m->weeks;
	c->kind = CHART_TREND, c->cat_title = "Week";
}

static void chart_orders(Maker *m)
{
	const Gold *g = m->g;
	int64_t *orders = values(m, m->weeks);
	size_t skip = g->nseries - m->weeks;	/* the series' weeks before the chart's */
	for (size_t i = 0; i < m->weeks; i++)
		orders[i] = (int64_t)g->week_orders[skip + i];
	Chart c = {
		.id = "orders", .title = m->cut ? "Valid orders and revenue per week" WEEKS_CUT : "Valid orders and revenue per week",
		.desc = "Columns: valid orders per week, Monday to Sunday (left axis); line: their revenue (right "
			"axis). The last week is lighter while it is not over.",
		.axis_title = "Valid orders", .axis_title_right = "Revenue", .format = KV_COUNT,
		.format_right = KV_MONEY, .nseries = 2,
		.series = {{"Valid orders", orders, false, false}, {"Revenue", g->week_cents + skip, true, true}},
	};
	weeks_of(m, &c);
	add_chart(m, "chart_orders", &c, true);
}

static void chart_devices(Maker *m)
{
	const Gold *g = m->g;
	int64_t *v[CH_COUNT];
	for (int ch = 0; ch < CH_COUNT; ch++)
		v[ch] = values(m, m->weeks);
	int64_t first = m->last_monday - 7 * (int64_t)(m->weeks - 1);
	for (size_t k = 1; k < g->nweeks; k++)
		if (g->weeks[k].days >= first && g->weeks[k].days <= m->last_monday)
			for (int ch = 0; ch < CH_COUNT; ch++)
				v[ch][(g->weeks[k].days - first) / 7] = (int64_t)g->weeks[k].n[ch];
	Chart c = {
		.id = "devices", .title = m->cut ? "Web and mobile sessions per week" WEEKS_CUT : "Web and mobile sessions per week",
		.desc = "Sessions per week, Monday to Sunday, by channel: Mobile (Android, iOS), Web (desktop "
			"systems), Other. The last week is dashed while it is not over.",
		.axis_title = "Sessions", .format = KV_COUNT, .nseries = 3,
		.series = {{"Mobile", v[CH_MOBILE], true, false}, {"Web", v[CH_WEB], true, false},
			   {"Other", v[CH_OTHER], true, false}},
	};
	weeks_of(m, &c);
	if (g->nweeks <= 1)
		c.ncat = 0;	/* no dated session (none read): no data, not lines at 0 */
	add_chart(m, "chart_devices", &c, true);
}

typedef struct {
	const Dict *labels;
	const uint64_t *counts;
} Counted;

/* Count descending, then label: a total order, so the chart is the same every time. */
static int count_cmp(const void *a, const void *b, void *ctx)
{
	const Counted *c = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (c->counts[x] != c->counts[y])
		return c->counts[x] > c->counts[y] ? -1 : 1;
	return strcmp(dict_label(c->labels, (uint32_t)x), dict_label(c->labels, (uint32_t)y));
}

/* A label as a chart shows it: as long as a table shows a value, a cut one ending in "…". */
static const char *chart_label(Maker *m, const char *l)
{
	size_t n = strlen(l), max = m->cfg->field_max < CELL_MAX ? m->cfg->field_max : CELL_MAX;
	size_t kept = utf8_cut(l, n, max);
	Buf b = {0};
	buf_put(&b, l, kept);
	buf_puts(&b, kept < n ? "…" : "");
	const char *s = arena_strndup(&m->set->arena, b.p ? b.p : "", b.len);
	buf_free(&b);
	return s;
}

/* A bar chart from label counts, largest first: at most `keep` bars, the rest added up in
 * one bar "Other values (N)"; links (NULL: none) are the labels' pages. */
static void chart_counts(Maker *m, const char *key, const Chart *tmpl, const Dict *labels,
			 const char *const *links, const uint64_t *counts, size_t keep)
{
	size_t n = labels->n;
	size_t *order = xmalloc((n + 1) * sizeof *order), shown = 0;
	for (size_t i = 0; i < n; i++)
		if (counts[i])
			order[shown++] = i;
	Counted ctx = {labels, counts};
	qsort_r(order, shown, sizeof *order, count_cmp, &ctx);
	size_t ncat = shown > keep ? keep + 1 : shown;
	const char **cat = arena_alloc(&m->set->arena, (ncat + 1) * sizeof *cat);
	const char **link = links ? arena_alloc(&m->set->arena, (ncat + 1) * sizeof *link) : NULL;
	int64_t *v = values(m, ncat);
	for (size_t i = 0; i < ncat; i++) {
		cat[i] = i < keep ? chart_label(m, dict_label(labels, (uint32_t)order[i])) : NULL;
		v[i] = i < keep ? (int64_t)counts[order[i]] : 0;
		if (link)
			link[i] = i < keep ? links[order[i]] : NULL;
	}
	if (shown > keep) {
		Buf other = {0};
		buf_puts(&other, "Other values (");
		fmt_figure(&other, m->fmt, KV_COUNT, (int64_t)(shown - keep));
		buf_putc(&other, ')');
		cat[keep] = arena_strndup(&m->set->arena, other.p, other.len);
		buf_free(&other);
		for (size_t i = keep; i < shown; i++)
			v[keep] += (double)counts[order[i]];
	}
	Chart c = *tmpl;
	c.kind = CHART_BARS, c.format = KV_COUNT, c.ncat = ncat, c.cat = cat, c.link = link, c.nseries = 1;
	c.series[0] = (ChartSeries){tmpl->axis_title, v, false, false};
	add_chart(m, key, &c, true);
	free(order);
}

static void chart_payments(Maker *m)
{
	const Gold *g = m->g;
	const Dict *methods = &g->src[SRC_PAYMENTS].dict[PA_METHOD];
	uint64_t *counts = xcalloc(methods->n + 1, sizeof *counts);
	for (size_t i = 0; i < g->nsplit; i++)
		counts[g->split[i].method] = g->split[i].count;
	Chart c = {.id = "payments", .title = "Successful payments by method", .cat_title = "Method",
		   .axis_title = "Successful payments", .desc = "Number of successful payments per payment method, largest first."};
	chart_counts(m, "chart_payments", &c, methods, NULL, counts, (size_t)m->cfg->chart_max);
	free(counts);
}

static void chart_tickets(Maker *m)
{
	const Gold *g = m->g;
	const Dict *d = g->src[SRC_TICKETS].dict;
	Chart a = {.id = "ticket-status", .title = "Support tickets by status", .cat_title = "Status",
		   .axis_title = "Tickets", .desc = "Number of support tickets per resolution status."};
	chart_counts(m, "chart_ticket_status", &a, &d[TI_STATUS], NULL, g->ticket_status, (size_t)m->cfg->chart_max);
	Chart b = {.id = "ticket-issues", .title = "Support tickets by issue type", .cat_title = "Issue type",
		   .axis_title = "Tickets",
		   .desc = "Number of support tickets per issue type, the most frequent first and the rest together."};
	chart_counts(m, "chart_ticket_issues", &b, &d[TI_ISSUE], NULL, g->ticket_issue, (size_t)m->cfg->chart_max);
}

static void chart_segments(Maker *m)
{
	const char *links[SEG_COUNT];
	Dict labels = {0};	/* distinct: numbered as the segments */
	Buf b = {0};
	for (int seg = 0; seg < SEG_COUNT; seg++) {
		dict_intern(&labels, str_make(segment_defs[seg].label, strlen(segment_defs[seg].label)));
		b.len = 0;
		buf_printf(&b, "segments/%s.html", segment_defs[seg].slug);
		links[seg] = keep(m, &b);
	}
	buf_free(&b);
	Chart c = {.id = "segments", .title = "Customers by segment", .cat_title = "Segment", .axis_title = "Customers",
		   .desc = "Number of customers in each segment; a bar opens the segment's page, the rules are on the "
			   "segments page."};
	chart_counts(m, "chart_segments", &c, &labels, links, m->g->segment_size, SEG_COUNT);
	dict_free(&labels);
}

/* The quality page's: every source's rows read, as silver rows and quarantined rows. */
static void chart_conservation(Maker *m)
{
	const char **cat = arena_alloc(&m->set->arena, SRC_COUNT * sizeof *cat);
	int64_t *silver = values(m, SRC_COUNT), *quarantined = values(m, SRC_COUNT);
	for (int i = 0; i < SRC_COUNT; i++) {
		const SourceQuality *q = &m->g->quality[i];
		cat[i] = source_defs[i].name;
		silver[i] = (int64_t)q->silver_rows;
		quarantined[i] = (int64_t)q->quarantined_rows;
	}
	Chart c = {.id = "conservation", .title = "Rows read, by where they went", .cat_title = "Source",
		   .desc = "For every source, the rows read: the rows in silver, then the rows quarantined; together "
			   "they are the rows read.",
		   .kind = CHART_BARS, .format = KV_COUNT, .ncat = SRC_COUNT, .cat = cat, .stacked = true, .nseries = 2,
		   .series = {{"In silver", silver, false, false}, {"Quarantined", quarantined, false, false}}};
	add_chart(m, "chart_conservation", &c, false);
}

bool chart_set_make(ChartSet *set, const Gold *g, const Config *cfg, const NumFormat *fmt, const char *dir, Buf *warn,
		    Buf *err)
{
	memset(set, 0, sizeof *set);
	Maker m = {set, g, fmt, cfg, date_monday(g->as_of),
		   g->nseries < WEEKS_MAX ? g->nseries : WEEKS_MAX, date_weekday(g->as_of) != 7, g->nseries > WEEKS_MAX};
	chart_orders(&m);
	chart_payments(&m);
	chart_devices(&m);
	chart_tickets(&m);
	chart_segments(&m);
	chart_conservation(&m);
	Buf css = {0};	/* said by site_templates_check */
	theme_chart_colours(cfg, set->colours, &css);
	buf_free(&css);
	bool ok = true, incremental = manifest_active(dir);
	FileHash salt = incremental ? manifest_settings(cfg) : (FileHash){0, 0};
	Buf name = {0}, why = {0};
	bool said = false;	/* a character no font has: once */
	for (size_t i = 0; i < set->n; i++) {
		ReportChart *rc = &set->c[i];
		rc->chart.colours = set->colours;
		rc->plot = chart_layout(&rc->chart, CHART_WIDE);
		rc->narrow = chart_layout(&rc->chart, CHART_NARROW);
		name.len = 0;
		buf_printf(&name, "charts/%s.png", rc->chart.id);	/* as site_dashboard writes it */
		why.len = 0;
		if (rc->dashboard && !chart_png(rc->narrow, &rc->png, incremental ? dir : NULL, buf_cstr(&name), salt, &why)) {
			buf_printf(err, "charts/%s.png: error: cannot draw the chart: %s\n", rc->chart.id, buf_cstr(&why));
			ok = false;
		}
		if (!rc->dashboard || said)	/* a chart the PDF alone has: said with the PDF's text */
			text_boxed(NULL, NULL);
		else
			said = text_boxed(warn, buf_cstr(&name));
	}
	buf_free(&name), buf_free(&why);
	return ok;
}

void chart_set_free(ChartSet *set)
{
	for (size_t i = 0; i < set->n; i++) {
		chart_plot_free(set->c[i].plot);
		chart_plot_free(set->c[i].narrow);
		buf_free(&set->c[i].png);
	}
	free(set->c);
	arena_free(&set->arena);
	memset(set, 0, sizeof *set);
}
