/* site_dashboard.c — index.html: the KPI cards (templates/kpi_cards.html: each KPI's value, its
 * change in the week, a sparkline of twelve weeks and the customers behind it), the week in a
 * paragraph, the charts in a grid (templates/dashboard_charts.html) and the definitions; and the
 * project's own pages (templates/pages/NAME.md), which have the same data. */
#include "c360.h"

#include <math.h>
#include <stdio.h>

/* What a card's value is (of): why it has none when its export was not read (support_tickets.csv
 * is missing); the top payment method names the method, or those tied at it. */
static Value *kpi_detail(Arena *a, const Gold *g, int k)
{
	Buf b = {0};
	const SourceQuality *q = kpi_defs[k].needs ? &g->quality[kpi_defs[k].needs] : NULL;
	if (g->now.v[k] == KPI_NULL && q) {
		source_why(&b, q);
		if (!b.len && !q->silver_rows)	/* read, but a header alone (helper 119), or rows all quarantined */
			buf_printf(&b, q->rows_read ? "%s: every row quarantined" : "%s has no rows", q->file);
	} else if (k == K_TOP_METHOD_PCT && g->nsplit == 1) {	/* the one method: no "most used of 1 methods" */
		top_methods(&b, g);
		buf_puts(&b, " share of successful payments (the only method)");
	} else if (k == K_TOP_METHOD_PCT && g->nsplit) {
		buf_printf(&b, top_methods(&b, g) > 1
				       ? " (tied): each one's share of successful payments (the most used of %zu methods)"
				       : " share of successful payments (the most used of %zu methods)", g->nsplit);
	}
	if (!b.len)
		return v_cstr(a, k == K_TOP_METHOD_PCT ? "no successful payment yet" : kpi_defs[k].note);
	Value *v = v_str(a, b.p, b.len);
	buf_free(&b);
	return v;
}

static Value *text(Arena *a, const Buf *b)
{
	return v_str(a, b->p ? b->p : "", b->len);
}

/* A KPI's change in the week: by how much, in % of the earlier value, which way, and whether it
 * is news (beyond the noise threshold) and good or bad; null where either value is missing (the
 * % also where the earlier value is 0). */
static void kpi_change_values(const Site *site, Arena *a, Value *o, int k, Buf *b)
{
	int64_t d = kpi_change(site->g, k), pct = kpi_change_pct(site->g, k);
	bool known = d != KPI_NULL;
	KpiTrend t = kpi_trend(site->g, k, site->cfg->noise);
	b->len = 0;
	if (known)
		fmt_change(b, &site->fmt, kpi_defs[k].kind, d);
	v_set(a, o, "change", known ? text(a, b) : v_cstr(a, NULL));
	b->len = 0;
	if (pct != KPI_NULL)
		fmt_change_pct(b, &site->fmt, pct);
	v_set(a, o, "change_pct", pct != KPI_NULL ? text(a, b) : v_cstr(a, NULL));
	v_set(a, o, "direction", v_cstr(a, !known ? NULL : t.direction > 0 ? "up" : t.direction < 0 ? "down" : "flat"));
	v_set(a, o, "arrow", v_cstr(a, !known ? NULL : t.direction > 0 ? "▲" : t.direction < 0 ? "▼" : "■"));
	v_set(a, o, "tone", v_cstr(a, !known ? NULL : t.tone > 0 ? "good" : t.tone < 0 ? "bad" : "neutral"));
}

/* The card's sparkline: the KPI as of each of the last twelve weeks, a hover title per week;
 * none when no week has a figure (the card says why). */
static Value *sparkline(const Site *site, Arena *a, int k, Buf *b)
{
	double v[SPARK_WEEKS];
	const char *tips[SPARK_WEEKS];
	bool any = false;
	for (int j = 0; j < SPARK_WEEKS; j++) {
		const Kpis *s = &site->g->series[j];
		v[j] = s->v[k] == KPI_NULL ? NAN : (double)s->v[k];
		any |= s->v[k] != KPI_NULL;
		b->len = 0;
		buf_date_words(b, s->as_of, true);
		buf_puts(b, ": ");
		fmt_figure(b, &site->fmt, kpi_defs[k].kind, s->v[k]);
		tips[j] = arena_strndup(a, b->p, b->len);
	}
	if (!any)
		return v_raw(a, "", 0);
	b->len = 0;
	buf_printf(b, "%s as of the last %d weeks, from %s to %s", kpi_defs[k].title, SPARK_WEEKS, tips[0],
		   tips[SPARK_WEEKS - 1]);
	char *label = arena_strndup(a, b->p, b->len);
	b->len = 0;
	chart_sparkline(b, v, tips, SPARK_WEEKS, label);
	return v_raw(a, b->p, b->len);
}

/* The list of customers behind a card, if it has one (else null). */
static void kpi_list_link(const Site *site, Arena *a, Value *o, int k, Buf *b)
{
	v_set(a, o, "list_url", v_cstr(a, NULL));
	v_set(a, o, "list_text", v_cstr(a, NULL));
	for (int l = 0; l < LIST_COUNT; l++) {
		if (customer_list_defs[l].kpi != k || site->g->now.v[k] == KPI_NULL)
			continue;	/* no data (no ticket read): no list to see */
		size_t n;
		customer_list(site->g, l, &n);
		b->len = 0;
		buf_printf(b, "%s.html", customer_list_defs[l].slug);
		v_set(a, o, "list_url", text(a, b));
		b->len = 0;
		fmt_int(b, &site->fmt, (int64_t)n);
		buf_printf(b, " %s", n == 1 ? customer_list_defs[l].noun_one : customer_list_defs[l].noun);
		v_set(a, o, "list_text", text(a, b));
	}
}

static Value *kpi_value(const Site *site, Arena *a, int k, Buf *b)
{
	const KpiDef *d = &kpi_defs[k];
	Value *o = v_obj(a);
	v_set(a, o, "id", v_cstr(a, d->id));
	v_set(a, o, "title", v_cstr(a, d->title));
	v_set(a, o, "card", v_bool(a, d->card > 0));
	v_set(a, o, "lower_is_better", v_bool(a, d->lower_is_better));
	v_set(a, o, "definition", v_cstr(a, d->definition));
	v_set(a, o, "detail", kpi_detail(a, site->g, k));
	b->len = 0;
	fmt_figure(b, &site->fmt, d->kind, site->g->now.v[k]);
	v_set(a, o, "value", text(a, b));
	b->len = 0;
	fmt_figure(b, &site->fmt, d->kind, site->g->week_before.v[k]);
	v_set(a, o, "previous", text(a, b));
	v_set(a, o, "known", v_bool(a, site->g->now.v[k] != KPI_NULL));
	kpi_change_values(site, a, o, k, b);
	v_set(a, o, "spark", d->card ? sparkline(site, a, k, b) : v_raw(a, "", 0));
	kpi_list_link(site, a, o, k, b);
	return o;
}

/* Every KPI in the definition table's order (the definitions), and the cards in theirs. */
static void kpi_lists(const Site *site, Arena *a, Value *data)
{
	Value *all = v_set(a, data, "kpis", v_list(a)), *cards = v_set(a, data, "cards", v_list(a));
	Value *card[K_COUNT + 1] = {NULL};
	Buf b = {0};
	for (int k = 0; k < K_COUNT; k++) {
		Value *o = v_push(a, all, kpi_value(site, a, k, &b));
		if (kpi_defs[k].card > 0 && kpi_defs[k].card <= K_COUNT)
			card[kpi_defs[k].card] = o;
	}
	for (int i = 1; i <= K_COUNT; i++)
		if (card[i])
			v_push(a, cards, card[i]);
	buf_free(&b);
}

/* The dashboard's data for the page at path, titled title: index.html's, or with the customers
 * page's most valuable customers (top) a page of the project's own (templates/pages/NAME.md). */
static Value *dashboard_data(const Site *site, PageWork *w, const char *path, const char *title, bool own)
{
	const Gold *g = site->g;
	Arena *a = &w->arena;
	Value *data = v_obj(a);
	v_set(a, data, "title", v_cstr(a, title));
	kpi_lists(site, a, data);
	for (int k = 0; k < K_COUNT; k++) {
		VKind kind = kpi_defs[k].kind == KV_MONEY ? V_MONEY : kpi_defs[k].kind == KV_PCT ? V_PCT : V_INT;
		v_set(a, data, kpi_defs[k].id, v_num(a, kind, g->now.v[k]));
	}
	Buf b = {0};
	report_summary(&b, g, &site->fmt, site->cfg->noise);
	v_set(a, data, "summary", text(a, &b));
	b.len = 0;	/* beside figures that may be empty for them (no amount column: no revenue) */
	size_t warnings = quality_warnings_text(&b, g->quality, &site->fmt);
	v_set(a, data, "warnings_text", text(a, &b));
	v_set(a, data, "warnings", v_num(a, V_INT, (int64_t)warnings));
	for (size_t i = 0; i < site->charts->n; i++) {
		const ReportChart *rc = &site->charts->c[i];
		if (rc->dashboard) {
			b.len = 0;
			chart_svg(&rc->chart, rc->plot, rc->narrow, &b);
			v_set(a, data, rc->key, v_raw(a, b.p, b.len));
		}
	}
	buf_free(&b);
	static const char *const why_key[SRC_COUNT] = {
		[SRC_PAYMENTS] = "no_payments", [SRC_TICKETS] = "no_support_tickets", [SRC_SESSIONS] = "no_web_activities",
	};
	for (int i = 0; i < SRC_COUNT; i++) {	/* an optional source without data: its sections say why */
		w->scratch.len = 0;
		if (why_key[i]) {
			source_why(&w->scratch, &g->quality[i]);
			v_set(a, data, why_key[i], v_str(a, arena_strndup(a, w->scratch.p ? w->scratch.p : "", w->scratch.len),
							  w->scratch.len));
		}
	}
	if (own) {
		size_t top;
		v_set(a, data, "top", top_customers(site, a, &top));
		v_set(a, data, "top_count", v_num(a, V_INT, (int64_t)top));
		for (int l = 0; l < LIST_COUNT; l++)
			v_set(a, data, customer_list_defs[l].var, customer_list_rows(site, a, l, &top));
		v_set(a, data, "segments", segment_list(site, a));
	}
	v_set(a, data, "kpi_cards", page_fragment(site, w, path, "kpi_cards.html", data));
	v_set(a, data, "charts", page_fragment(site, w, path, "dashboard_charts.html", data));
	return data;
}

static bool dashboard_page(Site *site, const char *path, const char *tpl, const char *title, bool own)
{
	PageWork w;
	page_init(&w);
	bool ok = page_write(site, &w, path, tpl, dashboard_data(site, &w, path, title, own));
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok;
}

bool site_dashboard(Site *site)
{
	bool ok = out_mkdir(site->dir, "charts", site->err);
	Buf name = {0}, title = {0};
	for (size_t i = 0; ok && i < site->charts->n; i++) {
		const ReportChart *rc = &site->charts->c[i];
		name.len = 0;
		buf_printf(&name, "charts/%s.png", rc->chart.id);
		ok = !rc->dashboard || out_write_file(site->dir, buf_cstr(&name), &rc->png, site->err);
	}
	ok = ok && dashboard_page(site, "index.html", "index", "Dashboard", false);
	for (size_t i = 0; ok && i < site->tpl.n; i++) {	/* the project's own pages */
		const char *tpl = site->tpl.name[i];
		if (strncmp(tpl, "pages/", 6) != 0)
			continue;
		Str heading = tpl_title(site->tpl.tpl[i]);
		name.len = title.len = 0;
		buf_printf(&name, "%s.html", tpl + 6);
		if (heading.n)	/* as the page's <h1> reads: **VIP** &amp; co is VIP & co */
			md_heading_text(heading.p, heading.n, &title);
		if (!title.len)
			buf_puts(&title, tpl + 6);
		ok = dashboard_page(site, buf_cstr(&name), tpl, buf_cstr(&title), true);
	}
	buf_free(&name), buf_free(&title);
	return ok;
}
