/* gold_csv.c — the gold tables as CSV files for Power BI (schema: docs/gold-schema.md). */
#include "c360.h"

#include <stdlib.h>

void csv_field(Buf *b, const char *s, size_t n)
{
	bool quote = false;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		buf_put(b, s, n);
		return;
	}
	buf_putc(b, '"');
	for (const char *q; n && (q = memchr(s, '"', n)); n -= (size_t)(q + 1 - s), s = q + 1) {
		buf_put(b, s, (size_t)(q - s) + 1);
		buf_putc(b, '"');
	}
	buf_put(b, s, n);
	buf_putc(b, '"');
}

/* ---- cells: each writes its separator first unless it starts the row */

static void cell_str(Buf *b, const char *s)
{
	buf_putc(b, ',');
	if (s)
		csv_field(b, s, strlen(s));
}

static void cell_int(Buf *b, int64_t v)
{
	buf_putc(b, ',');
	buf_int(b, v);
}

static void cell_fixed2(Buf *b, int64_t v)
{
	buf_putc(b, ',');
	if (v != KPI_NULL)
		buf_fixed2(b, v);
}

static void cell_day(Buf *b, int64_t day)
{
	buf_putc(b, ',');
	if (day != MOMENT_NULL)
		buf_date(b, day);
}

static void cell_bool(Buf *b, bool v)
{
	buf_puts(b, v ? ",true" : ",false");
}

static void cell_flags(Buf *b, uint32_t flags)
{
	buf_putc(b, ',');
	bool first = true;
	for (int k = 0; k < D_NFLAGS; k++) {
		if (!(flags & 1u << k))
			continue;
		if (!first)
			buf_putc(b, ';');
		buf_puts(b, diag_info[D_FIRST_FLAG + k].name);
		first = false;
	}
}

static void kpi_value(Buf *b, int kind, int64_t v)
{
	buf_putc(b, ',');
	if (v == KPI_NULL)
		return;
	if (kind == KV_COUNT)
		buf_int(b, v);
	else
		buf_fixed2(b, v);
}

static void kpi_summary(Buf *b, const Silver *s, const Gold *g)
{
	(void)s;
	buf_puts(b, "kpi,value,previous_week\nas_of");
	cell_day(b, g->now.as_of);
	cell_day(b, g->week_before.as_of);
	buf_putc(b, '\n');
	for (int k = 0; k < K_COUNT; k++) {
		buf_puts(b, kpi_info[k].name);
		kpi_value(b, kpi_info[k].kind, g->now.v[k]);
		kpi_value(b, kpi_info[k].kind, g->week_before.v[k]);
		buf_putc(b, '\n');
	}
}

static void payment_split(Buf *b, const Silver *s, const Gold *g)
{
	const Dict *methods = &s->src[SRC_PAYMENTS].dict[PA_METHOD];
	buf_puts(b, "payment_method,successful_payments,share_pct,amount\n");
	for (size_t i = 0; i < g->nsplit; i++) {
		const PaymentSplit *p = &g->split[i];
		csv_field(b, methods->label[p->method], strlen(methods->label[p->method]));
		cell_int(b, (int64_t)p->count);
		cell_fixed2(b, p->share);
		cell_fixed2(b, p->cents);
		buf_putc(b, '\n');
	}
}

static void device_preference(Buf *b, const Silver *s, const Gold *g)
{
	(void)s;
	buf_puts(b, "period,week_start,channel,sessions,share_pct\n");
	for (size_t w = 0; w < g->nweeks; w++) {
		const WeekChannels *wc = &g->weeks[w];
		uint64_t total = wc->n[CH_MOBILE] + wc->n[CH_WEB] + wc->n[CH_OTHER];
		for (int ch = 0; ch < CH_COUNT; ch++) {
			if (wc->days == MOMENT_NULL)
				buf_puts(b, "all,");
			else {
				buf_iso_week(b, wc->days);
				cell_day(b, wc->days);
			}
			cell_str(b, channel_label[ch]);
			cell_int(b, (int64_t)wc->n[ch]);
			cell_fixed2(b, total ? (int64_t)((wc->n[ch] * 20000 + total) / (2 * total)) : KPI_NULL);
			buf_putc(b, '\n');
		}
	}
}

static void customer_profile(Buf *b, const Customer *c)
{
	cell_str(b, c->name);
	cell_str(b, c->email);
	cell_str(b, gender_label[c->gender]);
	cell_day(b, c->h.when == MOMENT_NULL ? MOMENT_NULL : date_floor_day(c->h.when));
	cell_str(b, c->location);
	cell_bool(b, c->in_crm);
}

/* What the row writers read; big tables are formatted a range of rows at a time. */
typedef struct {
	const Silver *s;
	const Gold *g;
	SourceId src;
} Tables;

static void customer_360_rows(void *ctx, size_t from, size_t to, Buf *b)
{
	const Tables *w = ctx;
	const Silver *s = w->s;
	const Gold *g = w->g;
	const char *const *methods = s->src[SRC_PAYMENTS].dict[PA_METHOD].label;
	for (size_t i = from; i < to; i++) {
		uint32_t ci = g->order[i];
		const Customer *c = ROW(CUSTOMERS(s), Customer, ci);
		const Customer360 *x = &g->c360[ci];
		csv_field(b, c->h.id, c->h.idlen);
		customer_profile(b, c);
		cell_day(b, x->first_order);
		cell_day(b, x->last_order);
		cell_int(b, x->valid_orders);
		cell_fixed2(b, x->lifetime_cents);
		cell_fixed2(b, x->valid_orders ? (2 * x->lifetime_cents + x->valid_orders) / (2 * (int64_t)x->valid_orders)
					       : KPI_NULL);
		for (int k = 0; k < PS_UNKNOWN; k++)
			cell_int(b, x->pay_by_status[k]);
		cell_int(b, x->pay_by_status[PS_UNKNOWN] + x->pay_by_status[PS_UNKNOWN + 1]);
		cell_str(b, x->preferred_method == UINT32_MAX ? NULL : methods[x->preferred_method]);
		cell_int(b, x->tickets);
		cell_int(b, x->open_tickets);
		for (int ch = 0; ch < CH_COUNT; ch++)
			cell_int(b, x->sessions[ch]);
		cell_str(b, x->preferred_channel < 0 ? NULL : channel_label[x->preferred_channel]);
		buf_putc(b, ',');
		if (x->last_order != MOMENT_NULL)
			buf_int(b, s->as_of - x->last_order);
		cell_bool(b, x->active);
		cell_bool(b, x->repeat);
		cell_bool(b, x->churn_risk);
		cell_str(b, segment_label[x->segment]);
		buf_putc(b, '\n');
	}
}

static void dim_customer_rows(void *ctx, size_t from, size_t to, Buf *b)
{
	const Tables *w = ctx;
	for (size_t i = from; i < to; i++) {
		uint32_t ci = w->g->order[i];
		const Customer *c = ROW(CUSTOMERS(w->s), Customer, ci);
		buf_int(b, (int64_t)i + 1);
		buf_putc(b, ',');
		csv_field(b, c->h.id, c->h.idlen);
		customer_profile(b, c);
		cell_str(b, segment_label[w->g->c360[ci].segment]);
		buf_putc(b, ',');
		if (c->in_crm)
			buf_int(b, c->h.line);
		cell_flags(b, c->h.flags);
		buf_putc(b, '\n');
	}
}

static void dim_date(Buf *b, const Silver *s, const Gold *g)
{
	static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
					     "August", "September", "October", "November", "December"};
	static const char *const days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
	buf_puts(b, "date_key,date,year,quarter,month,month_name,day,weekday,weekday_name,iso_year,iso_week,"
		    "iso_week_label,is_weekend\n");
	int64_t first = g->first_day == MOMENT_NULL || g->first_day > s->as_of ? s->as_of : g->first_day;
	for (int64_t d = first; d <= s->as_of; d++) {
		int y, m, dd, iy, iw, wd = date_weekday(d);
		date_civil(d, &y, &m, &dd);
		date_iso_week(d, &iy, &iw);
		buf_int(b, (int64_t)y * 10000 + m * 100 + dd);
		cell_day(b, d);
		cell_int(b, y);
		cell_int(b, (m - 1) / 3 + 1);
		cell_int(b, m);
		cell_str(b, months[m - 1]);
		cell_int(b, dd);
		cell_int(b, wd);
		cell_str(b, days[wd - 1]);
		cell_int(b, iy);
		cell_int(b, iw);
		buf_putc(b, ',');
		buf_iso_week(b, d);
		cell_bool(b, wd >= 6);
		buf_putc(b, '\n');
	}
}

/* The columns every fact starts with: id, customer_key, date_key and the date (or moment). */
static void fact_head(Buf *b, const RowHead *h, const uint32_t *rank, bool timestamp)
{
	csv_field(b, h->id, h->idlen);
	cell_int(b, rank[h->customer] + 1);	/* customer_key: the place in dim_customer */
	buf_putc(b, ',');
	if (h->when == MOMENT_NULL) {
		buf_putc(b, ',');
		return;
	}
	char text[DATE_TEXT_MAX];
	size_t n = date_format(text, h->when, timestamp);
	char key[9] = {text[0], text[1], text[2], text[3], text[5], text[6], text[8], text[9], ','};
	buf_put(b, key, sizeof key);	/* date_key: YYYYMMDD */
	buf_put(b, text, n);
}

static const char *label(const Source *src, int col, uint32_t v)
{
	return src->dict[col].label[v];
}

static void fact_rows(void *ctx, size_t from, size_t to, Buf *b)
{
	const Tables *w = ctx;
	const Source *src = &w->s->src[w->src];
	int64_t as_of = w->s->as_of;
	for (size_t i = from; i < to; i++) {
		const RowHead *h = ROW(&src->table, RowHead, i);
		if (fact_is_late(h, as_of))
			continue;	/* after the as-of date: in no figure, so in no fact table */
		fact_head(b, h, w->g->rank, src->def->timestamp);
		if (w->src == SRC_ORDERS) {
			const Order *o = (const Order *)h;
			cell_fixed2(b, o->cents == AMOUNT_NULL ? KPI_NULL : o->cents);
			cell_str(b, label(src, OR_STATUS, o->status));
			cell_bool(b, order_is_valid(o));
		} else if (w->src == SRC_PAYMENTS) {
			const Payment *p = (const Payment *)h;
			cell_str(b, label(src, PA_METHOD, p->method));
			cell_str(b, label(src, PA_STATUS, p->status));
			cell_fixed2(b, p->cents == AMOUNT_NULL ? KPI_NULL : p->cents);
		} else if (w->src == SRC_TICKETS) {
			const Ticket *t = (const Ticket *)h;
			cell_str(b, label(src, TI_ISSUE, t->issue));
			cell_str(b, label(src, TI_STATUS, t->status));
			cell_bool(b, ticket_is_open(t));
		} else if (w->src == SRC_SESSIONS) {
			const Session *se = (const Session *)h;
			cell_str(b, label(src, SE_PAGE, se->page));
			cell_str(b, label(src, SE_DEVICE, se->device));
			cell_str(b, channel_label[device_channel(se->device)]);
		}
		cell_int(b, h->line);
		cell_flags(b, h->flags);
		buf_putc(b, '\n');
	}
}

static void quarantined_rows(Buf *b, const char *source, const Quarantined *q, size_t n, Buf *clean)
{
	for (size_t k = 0; k < n; k++) {
		buf_puts(b, source);
		cell_int(b, q[k].line);
		cell_str(b, diag_info[q[k].reason].name);
		buf_putc(b, ',');
		const char *raw = q[k].raw;
		size_t len = q[k].rawlen;
		if (utf8_sanitize(raw, len, clean))
			raw = clean->p, len = clean->len;
		csv_field(b, raw, len);
		buf_putc(b, '\n');
	}
}

/* The sources' quarantined rows, then those of the files read as SQL tables. */
static void quarantine(Buf *b, const Silver *s, const Gold *g)
{
	(void)g;
	Buf clean = {0};
	buf_puts(b, "source,line,reason,raw_row\n");
	for (int i = 0; i < SRC_COUNT; i++)
		quarantined_rows(b, s->src[i].def->name, s->src[i].quarantine, s->src[i].nquarantine, &clean);
	for (size_t i = 0; i < s->nraw; i++)
		quarantined_rows(b, s->raw[i].def->name, s->raw[i].quarantine, s->raw[i].nquarantine, &clean);
	buf_free(&clean);
}

static void quality_csv(Buf *b, const Silver *s, const Gold *g)
{
	(void)g;
	quality_table(b, s);
}

/* Every gold file: its header, and who writes it. */
static const struct {
	const char *file, *header;
	void (*whole)(Buf *b, const Silver *s, const Gold *g);	/* a small table, in one piece */
	void (*rows)(void *ctx, size_t from, size_t to, Buf *b);	/* a big one, a range of rows at a time */
	SourceId src;
} tables[] = {
	{"kpi_summary.csv", "", kpi_summary, NULL, 0},
	{"payment_mode_split.csv", "", payment_split, NULL, 0},
	{"device_preference.csv", "", device_preference, NULL, 0},
	{"customer_360.csv",
	 "customer_id,name,email,gender,dob,location,in_crm,first_order_date,last_order_date,valid_orders,"
	 "lifetime_value,average_order_value,payments_success,payments_failed,payments_pending,payments_refunded,"
	 "payments_other,preferred_payment_method,tickets,open_tickets,sessions_mobile,sessions_web,sessions_other,"
	 "preferred_channel,days_since_last_order,active,repeat,churn_risk,segment\n",
	 NULL, customer_360_rows, SRC_CUSTOMERS},
	{"dim_customer.csv",
	 "customer_key,customer_id,name,email,gender,dob,location,in_crm,segment,source_line,flags\n",
	 NULL, dim_customer_rows, SRC_CUSTOMERS},
	{"dim_date.csv", "", dim_date, NULL, 0},
	{"fact_orders.csv", "order_id,customer_key,date_key,order_date,amount,status,is_valid,source_line,flags\n",
	 NULL, fact_rows, SRC_ORDERS},
	{"fact_payments.csv",
	 "payment_id,customer_key,date_key,payment_date,payment_method,payment_status,amount,source_line,flags\n",
	 NULL, fact_rows, SRC_PAYMENTS},
	{"fact_tickets.csv",
	 "ticket_id,customer_key,date_key,ticket_date,issue_type,resolution_status,is_open,source_line,flags\n",
	 NULL, fact_rows, SRC_TICKETS},
	{"fact_sessions.csv",
	 "session_id,customer_key,date_key,session_time,page_viewed,device_type,channel,source_line,flags\n",
	 NULL, fact_rows, SRC_SESSIONS},
	{"quarantine.csv", "", quarantine, NULL, 0},
	{"data_quality.csv", "", quality_csv, NULL, 0},
};

bool gold_write(const Silver *s, const Gold *g, const char *dir, int threads, Buf *err)
{
	if (!out_mkdir(dir, "gold", err))
		return false;
	size_t nc = CUSTOMERS(s)->n;
	bool ok = true;
	for (size_t t = 0; ok && t < sizeof tables / sizeof *tables; t++) {
		OutFile f;
		char *name = path_join("gold", tables[t].file);
		ok = out_open(&f, dir, name, err);
		free(name);
		if (!ok)
			break;
		Tables w = {s, g, tables[t].src};
		buf_puts(&f.buf, tables[t].header);
		if (tables[t].whole)
			tables[t].whole(&f.buf, s, g);
		else
			out_rows(&f, tables[t].src == SRC_CUSTOMERS ? nc : s->src[tables[t].src].table.n, tables[t].rows, &w,
				 threads);
		ok = out_close(&f, err);
	}
	return ok;
}
