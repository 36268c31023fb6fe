/* edition.c — the weekly edition, beside the site: its figures as text, made once for the PDF
 * (edition_pdf.c) and the e-mail (edition_mail.c), the week in a paragraph, and the files:
 * weekly/report.pdf, weekly/email.eml and weekly/email.html to preview it. */
#include "c360.h"

#include <stdio.h>
#include <stdlib.h>

/* s[0..n) into out[size], a text too long for it cut between two characters and ended by "…"
 * (a name's bytes cut anywhere were no UTF-8: Cairo then drew nothing more of the PDF). */
static void text_into(char *out, size_t size, const char *s, size_t n)
{
	static const char more[] = "…";
	size_t keep = n < size ? n : utf8_cut(s, n, size - sizeof more);
	memcpy(out, s, keep);
	if (keep < n)
		memcpy(out + keep, more, sizeof more);
	else
		out[keep] = '\0';
}

static void text_of(char *out, size_t size, const Buf *b)
{
	text_into(out, size, b->p ? b->p : "", b->len);
}

/* KPI k's row: its value, a week earlier, the change and the change in % and its tone. */
static void edition_kpi(Edition *e, EditionKpi *r, int k, Buf *b)
{
	const KpiDef *d = &kpi_defs[k];
	int64_t now = e->g->now.v[k], before = e->g->week_before.v[k];
	r->name = d->title;
	r->tone = kpi_trend(e->g, k, e->cfg->noise).tone;
	b->len = 0;
	fmt_figure(b, &e->fmt, d->kind, now);
	text_of(r->now, sizeof r->now, b);
	b->len = 0;
	fmt_figure(b, &e->fmt, d->kind, before);
	text_of(r->before, sizeof r->before, b);
	b->len = 0;
	fmt_change(b, &e->fmt, d->kind, kpi_change(e->g, k));
	text_of(r->change, sizeof r->change, b);
	b->len = 0;
	fmt_change_pct(b, &e->fmt, kpi_change_pct(e->g, k));
	text_of(r->change_pct, sizeof r->change_pct, b);
}

static void edition_kpis(Edition *e, Buf *b)
{
	int n = 0;
	for (int card = 1; card <= K_COUNT; card++)
		for (int k = 0; k < K_COUNT; k++)
			if (kpi_defs[k].card == card)
				edition_kpi(e, &e->kpi[n++], k, b);
	for (int k = 0; k < K_COUNT; k++)
		if (!kpi_defs[k].card)
			edition_kpi(e, &e->kpi[n++], k, b);
}

/* The most valuable customers at churn risk. */
static void edition_at_risk(Edition *e, const PagePlan *plan, Buf *b)
{
	const Gold *g = e->g;
	for (size_t i = 0; i < g->nchurn && i < EDITION_AT_RISK; i++) {
		uint32_t c = g->churn_list[i];
		const Customer *cu = ROW(g->src[SRC_CUSTOMERS].table, Customer, c);
		const Customer360 *x = &g->c360[c];
		EditionCustomer *r = &e->at_risk[e->nat_risk++];
		b->len = 0;	/* the data's text as every part of the edition shows it: no control */
		text_shown(b, cu->h.id, cu->h.idlen);
		text_of(r->id, sizeof r->id, b);
		b->len = 0;
		text_shown(b, cu->name ? cu->name : cu->h.id, cu->name ? strlen(cu->name) : cu->h.idlen);
		text_of(r->name, sizeof r->name, b);
		snprintf(r->segment, sizeof r->segment, "%s", segment_defs[x->segment].label);
		b->len = 0;
		fmt_money(b, &e->fmt, x->lifetime_cents);
		text_of(r->value, sizeof r->value, b);
		b->len = 0;
		if (x->last_order != MOMENT_NULL)
			buf_date_words(b, x->last_order, true);
		else if (x->valid_orders)	/* none dated: as the customer's page says (else "none" in the text) */
			buf_puts(b, "undated");
		text_of(r->last_order, sizeof r->last_order, b);
		r->open_tickets = x->open_tickets;
		b->len = 0;
		fmt_int(b, &e->fmt, x->open_tickets);
		text_of(r->open, sizeof r->open, b);
		b->len = 0;
		if (customer_url(plan, g, c, b) && b->len < sizeof r->page)
			text_of(r->page, sizeof r->page, b);	/* else no link: none, or an id too long for it */
	}
	b->len = 0;	/* the heading says when the list is cut: "The 10 most valuable of the 84 ..." */
	if (g->nchurn > e->nat_risk) {
		buf_printf(b, "The %zu most valuable of the ", e->nat_risk);
		fmt_int(b, &e->fmt, (int64_t)g->nchurn);
		buf_puts(b, " customers at churn risk");
	} else {
		buf_puts(b, "Customers at churn risk, the most valuable first");
	}
	text_of(e->at_risk_title, sizeof e->at_risk_title, b);
	b->len = 0;
	if (g->now.v[K_CHURN_RISK] == KPI_NULL) {	/* no ticket read: not none, unknown */
		buf_puts(b, "No churn risk without ticket data: ");
		source_why(b, &g->quality[SRC_TICKETS]);
		buf_putc(b, '.');
	} else {
		buf_puts(b, "No customer is at churn risk.");
	}
	text_of(e->at_risk_none, sizeof e->at_risk_none, b);
}

/* The dashboard's address: site_url, with index.html where it names a folder. */
static char *site_address(const Config *cfg)
{
	if (!cfg->site_url)
		return NULL;
	size_t n = strlen(cfg->site_url);
	Buf b = {0};
	buf_puts(&b, cfg->site_url);
	if (n < 5 || strcmp(cfg->site_url + n - 5, ".html") != 0)
		buf_puts(&b, cfg->site_url[n - 1] == '/' ? "index.html" : "/index.html");
	return (char *)buf_cstr(&b);
}

/* ---- the week in one paragraph */

#define SUMMARY_CARDS 6	/* the first cards are the summary's figures */

/* One KPI's part: "revenue up 1.66% to 6,472.59", "open tickets up by 2 to 8", "repeat
 * customers down 4.76 pts to 28.57%", "average order value steady at 340.66 (-0.01%)", "mobile
 * sessions steady at 52.94% (+0.02 pts)",
 * "open tickets up from 0 to 2". */
static void summary_part(Buf *b, const Gold *g, const NumFormat *f, int k, int64_t noise)
{
	const KpiDef *d = &kpi_defs[k];
	int64_t now = g->now.v[k], before = g->week_before.v[k];
	KpiTrend t = kpi_trend(g, k, noise);
	buf_putc(b, (char)(d->title[0] | 0x20));
	buf_puts(b, d->title + 1);
	if (now == KPI_NULL) {	/* "at –" read as a figure: say it has none */
		buf_puts(b, ": no data");
		return;
	}
	if (before == KPI_NULL) {
		buf_puts(b, " at ");
	} else if (kpi_change_rel(g, k) == KPI_NULL && now != before) {	/* from nothing */
		buf_puts(b, " up from ");
		fmt_compact(b, f, d->kind, before);
		buf_puts(b, " to ");
	} else if (!t.direction) {
		buf_puts(b, " unchanged at ");
	} else if (!t.tone) {
		buf_puts(b, " steady at ");
	} else {
		buf_puts(b, t.direction > 0 ? " up " : " down ");
		int64_t delta = kpi_change(g, k);	/* t.direction: known, not 0 */
		delta = delta != KPI_NULL && delta < 0 ? -delta : delta;
		if (d->kind == KV_COUNT)
			buf_puts(b, "by "), fmt_int(b, f, delta);
		else if (d->kind == KV_PCT)
			fmt_hundredths(b, f, delta), buf_puts(b, " pts");
		else
			fmt_pct(b, f, kpi_change_pct(g, k) < 0 ? -kpi_change_pct(g, k) : kpi_change_pct(g, k));
		buf_puts(b, " to ");
	}
	fmt_compact(b, f, d->kind, now);
	if (t.direction && !t.tone) {	/* (+0.82%), a percentage's (+0.09 pts) */
		buf_puts(b, " (");
		if (d->kind == KV_PCT)
			fmt_change(b, f, d->kind, kpi_change(g, k));
		else
			fmt_change_pct(b, f, kpi_change_pct(g, k));
		buf_putc(b, ')');
	}
}

size_t top_methods(Buf *b, const Gold *g)
{
	size_t tied = 1;
	while (tied < g->nsplit && g->split[tied].count == g->split[0].count)
		tied++;
	for (size_t i = 0; i < tied && i < 3 && g->nsplit; i++) {
		const char *method = gold_label(g, SRC_PAYMENTS, PA_METHOD, g->split[i].method);
		Buf shown = {0};	/* no control character (the e-mail's text part), bidi closed: the rest is c360's */
		text_shown(&shown, method, utf8_cut(method, strlen(method), CELL_MAX));
		buf_puts(b, i ? (i + 1 == tied ? " and " : ", ") : "");
		esc_bidi(b, shown.p ? shown.p : "", shown.len);
		buf_free(&shown);
	}
	if (tied > 3)
		buf_printf(b, " and %zu more", tied - 3);
	return g->nsplit ? tied : 0;
}

void report_summary(Buf *b, const Gold *g, const NumFormat *f, int64_t noise)
{
	buf_puts(b, "As of ");
	buf_date_words(b, g->as_of, true);
	buf_puts(b, ", against a week earlier (");
	buf_date_words(b, g->week_before.as_of, true);
	buf_puts(b, "): ");
	for (int card = 1; card <= SUMMARY_CARDS; card++)
		for (int k = 0; k < K_COUNT; k++)
			if (kpi_defs[k].card == card) {
				buf_puts(b, card > 1 ? "; " : "");
				summary_part(b, g, f, k, noise);
			}
	buf_puts(b, ".");
	if (!g->nsplit || g->now.v[K_TOP_METHOD_PCT] == KPI_NULL)
		return;
	Buf names = {0};
	size_t tied = top_methods(&names, g);	/* the card's share, by its method's name */
	buf_puts(b, tied > 1 ? " The most used payment methods: " : " The most used payment method: ");
	buf_put(b, names.p, names.len);
	buf_free(&names);
	buf_puts(b, ", ");
	fmt_figure(b, f, KV_PCT, g->now.v[K_TOP_METHOD_PCT]);
	buf_puts(b, tied > 1 ? " of successful payments each." : " of successful payments.");
}

/* ---- the files */

static void edition_init(Edition *e, const Gold *g, const Config *cfg, const ChartSet *charts, const PagePlan *plan)
{
	memset(e, 0, sizeof *e);
	e->g = g, e->cfg = cfg, e->charts = charts;
	fmt_init(&e->fmt, cfg);
	Buf b = {0};
	buf_date_words(&b, g->as_of, true);
	text_of(e->as_of, sizeof e->as_of, &b);
	edition_kpis(e, &b);
	edition_at_risk(e, plan, &b);
	report_summary(&e->summary, g, &e->fmt, cfg->noise);
	b.len = 0;	/* as the dashboard says: figures that may be empty for them */
	if (quality_warnings_text(&b, g->quality, &e->fmt))
		buf_printf(&e->summary, " The build said %s about the exports, to read with these numbers: the "
			   "data-quality page lists them.", buf_cstr(&b));	/* no "fi": the PDF tags its ligature as one word */
	const char *title = cfg->title ? cfg->title : "Customer 360";
	b.len = 0;
	esc_bidi(&b, title, strlen(title));
	e->title = xstrdup(buf_cstr(&b));
	buf_free(&b);
	e->site = site_address(cfg);
}

bool edition_write(const Gold *g, const Config *cfg, const ChartSet *charts, const PagePlan *plan, const char *dir,
		   Buf *err)
{
	Edition e;
	edition_init(&e, g, cfg, charts, plan);
	Buf pdf = {0}, html = {0}, preview = {0}, text = {0}, eml = {0};
	bool ok = out_mkdir(dir, "weekly", err) && edition_pdf(&e, &pdf, err);
	edition_mail_html(&e, &html, false);
	edition_mail_html(&e, &preview, true);
	edition_mail_text(&e, &text);
	edition_eml(&e, &text, &html, &pdf, &eml);
	ok = ok && out_write_file(dir, "weekly/report.pdf", &pdf, err) &&
	     out_write_file(dir, "weekly/email.html", &preview, err) && out_write_file(dir, "weekly/email.eml", &eml, err);
	buf_free(&pdf), buf_free(&html), buf_free(&preview), buf_free(&text), buf_free(&eml);
	buf_free(&e.summary);
	free(e.title);
	free(e.site);
	return ok;
}
