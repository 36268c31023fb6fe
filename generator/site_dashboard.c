/* site_dashboard.c — index.html: the KPIs (cards from templates/kpi_cards.html, and the
 * definitions), and the charts of the chart stage. */
#include "c360.h"

#include <stdio.h>

/* The line under a KPI's card: its note; the top payment method names the method. */
static const char *kpi_detail(const Gold *g, int k, char *out, size_t n)
{
	if (k != K_TOP_METHOD_PCT)
		return kpi_defs[k].note;
	if (!g->nsplit)
		return "no successful payment";
	snprintf(out, n, "%s: the most used of %zu methods", gold_label(g, SRC_PAYMENTS, PA_METHOD, g->split[0].method),
		 g->nsplit);
	return out;
}

static Value *text(Arena *a, const Buf *b)
{
	return v_str(a, b->p ? b->p : "", b->len);
}

/* The week-over-week change of a KPI: its text, its direction and whether it is good news;
 * empty (and good) when it is not known. */
static void kpi_change_values(const Site *site, Arena *a, Value *o, int k, Buf *b)
{
	int64_t d = kpi_change(site->g, k);
	bool known = d != KPI_NULL;
	b->len = 0;
	if (known)
		fmt_change(b, &site->fmt, kpi_defs[k].kind, d);
	v_set(a, o, "change", known ? text(a, b) : v_cstr(a, NULL));
	v_set(a, o, "direction", v_cstr(a, !known ? NULL : d > 0 ? "up" : d < 0 ? "down" : "flat"));
	v_set(a, o, "arrow", v_cstr(a, !known ? NULL : d > 0 ? "▲" : d < 0 ? "▼" : "■"));
	v_set(a, o, "good", v_bool(a, kpi_change_good(k, d)));
}

/* Every KPI of the definition table, as the cards and the definitions show it. */
static Value *kpi_list(const Site *site, Arena *a)
{
	const Gold *g = site->g;
	Value *list = v_list(a);
	Buf b = {0};
	char detail[160];
	for (int k = 0; k < K_COUNT; k++) {
		const KpiDef *d = &kpi_defs[k];
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "id", v_cstr(a, d->id));
		v_set(a, o, "title", v_cstr(a, d->title));
		v_set(a, o, "card", v_bool(a, d->card));
		v_set(a, o, "lower_is_better", v_bool(a, d->lower_is_better));
		v_set(a, o, "definition", v_cstr(a, d->definition));
		v_set(a, o, "detail", v_cstr(a, kpi_detail(g, k, detail, sizeof detail)));
		b.len = 0;
		fmt_figure(&b, &site->fmt, d->kind, g->now.v[k]);
		v_set(a, o, "value", text(a, &b));
		b.len = 0;
		fmt_figure(&b, &site->fmt, d->kind, g->week_before.v[k]);
		v_set(a, o, "previous", text(a, &b));
		kpi_change_values(site, a, o, k, &b);
	}
	buf_free(&b);
	return list;
}

bool site_dashboard(Site *site)
{
	const Gold *g = site->g;
	PageWork w;
	page_init(&w);
	Arena *a = &w.arena;
	Value *data = v_obj(a);
	bool ok = out_mkdir(site->dir, "charts", site->err);
	v_set(a, data, "title", v_cstr(a, "Dashboard"));
	v_set(a, data, "kpis", kpi_list(site, a));
	v_set(a, data, "kpi_cards", page_fragment(site, &w, "index.html", "kpi_cards.html", data));
	for (int k = 0; k < K_COUNT; k++) {
		VKind kind = kpi_defs[k].kind == KV_MONEY ? V_MONEY : kpi_defs[k].kind == KV_PCT ? V_PCT : V_INT;
		v_set(a, data, kpi_defs[k].id, v_num(a, kind, g->now.v[k]));
	}
	Buf svg = {0}, name = {0};
	for (size_t i = 0; ok && i < site->charts->n; i++) {
		const ReportChart *rc = &site->charts->c[i];
		svg.len = name.len = 0;
		chart_svg(&rc->chart, rc->plot, &svg);
		v_set(a, data, rc->key, v_raw(a, svg.p, svg.len));
		buf_printf(&name, "charts/%s.png", rc->chart.id);
		ok = out_write_file(site->dir, buf_cstr(&name), &rc->png, site->err);
	}
	buf_free(&svg);
	buf_free(&name);
	ok = ok && page_write(site, &w, "index.html", "index", data);
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok;
}
