/* gold.c — the gold model: the KPI and segment definitions, the fact tables' columns, and the
 * views every writer reads, computed from the gold tables alone. */
#include "c360.h"

#include <pthread.h>
#include <stdlib.h>

const KpiDef kpi_defs[K_COUNT] = {
	[K_TOTAL_CUSTOMERS] = {"total_customers", "Total customers", KV_COUNT, false, 2,
			       "with at least one valid order", "customers with at least one valid order.", SRC_CUSTOMERS},
	[K_AVERAGE_ORDER_VALUE] = {"average_order_value", "Average order value", KV_MONEY, false, 3,
				   "revenue ÷ valid orders", "the revenue of valid orders ÷ the number of valid orders.", SRC_CUSTOMERS},
	[K_REPEAT_CUSTOMER_PCT] = {"repeat_customer_pct", "Repeat customers", KV_PCT, false, 4,
				   "share of customers with two or more valid orders",
				   "customers with two or more valid orders ÷ total customers × 100.", SRC_CUSTOMERS},
	[K_OPEN_TICKETS] = {"open_tickets", "Open tickets", KV_COUNT, true, 5, "neither Resolved nor Closed",
			    "tickets neither Resolved nor Closed (a ticket without a status counts as open).", SRC_TICKETS},
	[K_CHURN_RISK] = {"churn_risk_customers", "Churn risk", KV_COUNT, true, 6,
			  "customers with a ticket and no recent valid order",
			  "customers with a ticket and no valid order in the churn window.", SRC_TICKETS},
	[K_TOTAL_REVENUE] = {"total_revenue", "Total revenue", KV_MONEY, false, 1, "of valid orders, all time",
			     "the amounts of valid orders, added up in cents.", SRC_CUSTOMERS},
	[K_VALID_ORDERS] = {"valid_orders", "Valid orders", KV_COUNT, false, 0, NULL,
			    "orders with an amount of zero or more and a status other than Cancelled, Failed or Returned.", SRC_CUSTOMERS},
	[K_KNOWN_CUSTOMERS] = {"known_customers", "Customers in the CRM", KV_COUNT, false, 0, NULL,
			       "customers in the CRM export; the others are known only from their facts.", SRC_CUSTOMERS},
	[K_MOBILE_PCT] = {"mobile_session_pct", "Mobile sessions", KV_PCT, false, 7,
			  "Mobile share of all sessions (Android and iOS)",
			  "sessions from Android and iOS ÷ all sessions × 100.", SRC_SESSIONS},
	[K_WEB_PCT] = {"web_session_pct", "Web sessions", KV_PCT, false, 0, NULL,
		       "sessions from Windows, macOS, Linux and ChromeOS ÷ all sessions × 100.", SRC_SESSIONS},
	[K_TOP_METHOD_PCT] = {"top_payment_method_pct", "Top payment method", KV_PCT, false, 8, NULL,
			      "successful payments made with the most used method ÷ all successful payments × 100 (how much "
			      "payments lean on one method; a week earlier, on the method most used then).", SRC_PAYMENTS},
};

const SegmentDef segment_defs[SEG_COUNT] = {
	[SEG_CHAMPIONS] = {"Champions", "champions", "a valid order in the last 30 days and three or more valid orders"},
	[SEG_LOYAL] = {"Loyal", "loyal", "a valid order within the churn window and two or more valid orders"},
	[SEG_NEW] = {"New", "new", "one valid order, within the churn window"},
	[SEG_AT_RISK] = {"At Risk", "at-risk",
			 "the last valid order between one and two churn windows ago, or only undated ones"},
	[SEG_LOST] = {"Lost", "lost", "the last valid order two churn windows ago or more"},
	[SEG_PROSPECTS] = {"Prospects", "prospects", "no valid order yet"},
};

static bool order_valid_rule(const RowHead *h)
{
	return order_is_valid((const Order *)h);
}

static bool ticket_open_rule(const RowHead *h)
{
	return ticket_is_open((const Ticket *)h);
}

const FactTable fact_tables[SRC_COUNT] = {
	[SRC_ORDERS] = {"order_date", "orders", 3,
			{{"amount", "amount", FC_MONEY, OR_AMOUNT, NULL}, {"status", "status", FC_LABEL, OR_STATUS, NULL},
			 {"is_valid", "valid", FC_RULE, 0, order_valid_rule}}},
	[SRC_PAYMENTS] = {"payment_date", "payments", 3,
			  {{"payment_method", "method", FC_LABEL, PA_METHOD, NULL},
			   {"payment_status", "status", FC_LABEL, PA_STATUS, NULL},
			   {"amount", "amount", FC_MONEY, PA_AMOUNT, NULL}}},
	[SRC_TICKETS] = {"ticket_date", "tickets", 3,
			 {{"issue_type", "issue", FC_LABEL, TI_ISSUE, NULL},
			  {"resolution_status", "status", FC_LABEL, TI_STATUS, NULL},
			  {"is_open", "open", FC_RULE, 0, ticket_open_rule}}},
	[SRC_SESSIONS] = {"session_time", "sessions", 3,
			  {{"page_viewed", "page", FC_LABEL, SE_PAGE, NULL}, {"device_type", "device", FC_LABEL, SE_DEVICE, NULL},
			   {"channel", "channel", FC_CHANNEL, SE_DEVICE, NULL}}},
};

const GoldTableDef gold_tables[GT_COUNT] = {
	[GT_KPI_SUMMARY] = {"kpi_summary", 0, 3, {"kpi", "value", "previous_week"}},
	[GT_PAYMENT_SPLIT] = {"payment_mode_split", 0, 4, {"payment_method", "successful_payments", "share_pct", "amount"}},
	[GT_DEVICES] = {"device_preference", 0, 5, {"period", "week_start", "channel", "sessions", "share_pct"}},
	[GT_CUSTOMER_360] = {"customer_360", SRC_CUSTOMERS, 30,
			     {"customer_id", "name", "email", "gender", "dob", "location", "in_crm", "first_order_date",
			      "last_order_date", "valid_orders", "lifetime_value", "average_order_value", "payments_success",
			      "payments_failed", "payments_pending", "payments_refunded", "payments_other",
			      "preferred_payment_method", "tickets", "open_tickets", "sessions_mobile", "sessions_web",
			      "sessions_other", "preferred_channel", "days_since_last_order", "active", "repeat", "churn_risk",
			      "segment", "customer_key"}},
	[GT_DIM_CUSTOMER] = {"dim_customer", SRC_CUSTOMERS, 11,
			     {"customer_key", "customer_id", "name", "email", "gender", "dob", "location", "in_crm", "segment",
			      "source_line", "flags"}},
	[GT_DIM_DATE] = {"dim_date", 0, 13,
			 {"date_key", "date", "year", "quarter", "month", "month_name", "day", "weekday", "weekday_name",
			  "iso_year", "iso_week", "iso_week_label", "is_weekend"}},
	[GT_FACT_ORDERS] = {"fact_orders", SRC_ORDERS, 0, {NULL}},
	[GT_FACT_PAYMENTS] = {"fact_payments", SRC_PAYMENTS, 0, {NULL}},
	[GT_FACT_TICKETS] = {"fact_tickets", SRC_TICKETS, 0, {NULL}},
	[GT_FACT_SESSIONS] = {"fact_sessions", SRC_SESSIONS, 0, {NULL}},
	[GT_QUARANTINE] = {"quarantine", 0, 4, {"source", "line", "reason", "raw_row"}},
	[GT_DATA_QUALITY] = {"data_quality", 0, 5, {"source", "measure", "item", "value", "detail"}},
};

int gold_columns(int table, const char **cols)
{
	const GoldTableDef *t = &gold_tables[table];
	if (t->ncols) {
		memcpy(cols, t->cols, (size_t)t->ncols * sizeof *cols);
		return t->ncols;
	}
	const FactTable *ft = &fact_tables[t->src];	/* id, customer_key, date_key, the date, its own, line, flags */
	int n = 0;
	cols[n++] = source_defs[t->src].cols[0];
	cols[n++] = "customer_key";
	cols[n++] = "date_key";
	cols[n++] = ft->date;
	for (int k = 0; k < ft->ncols; k++)
		cols[n++] = ft->cols[k].name;
	cols[n++] = "source_line";
	cols[n++] = "flags";
	return n;
}

const char *gold_label(const Gold *g, SourceId src, int col, uint32_t v)
{
	return dict_label(&g->src[src].dict[col], v);
}

FactValue gold_fact_value(const Gold *g, SourceId src, const FactCol *fc, const RowHead *h)
{
	switch (fc->kind) {
	case FC_MONEY: {
		int64_t cents = *(const int64_t *)fact_field(h, src, fc->col);
		return (FactValue){.kind = FV_MONEY, .cents = cents == AMOUNT_NULL ? KPI_NULL : cents};
	}
	case FC_LABEL:
		return (FactValue){.kind = FV_TEXT,
				   .text = gold_label(g, src, fc->col, *(const uint32_t *)fact_field(h, src, fc->col))};
	case FC_CHANNEL:
		return (FactValue){.kind = FV_TEXT,
				   .text = channel_label[device_channel(*(const uint32_t *)fact_field(h, src, fc->col))]};
	case FC_RULE:
		break;
	}
	return (FactValue){.kind = FV_BOOL, .yes = fc->rule(h)};
}

/* ---- the value ranking: highest lifetime value first, then customer order */

static int by_value_cmp(const void *a, const void *b, void *ctx)
{
	const Gold *g = ctx;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	int64_t x = g->c360[i].lifetime_cents, y = g->c360[j].lifetime_cents;
	return x != y ? (x < y ? 1 : -1) : (g->rank[i] > g->rank[j]) - (g->rank[i] < g->rank[j]);
}

/* By one number a customer, its value below the highest, then its rank, when both fit in 64
 * bits (a radix sort; every number differs, so the order is by_value_cmp's); else by qsort_r. */
static void value_ranking(Gold *g, size_t nc)
{
	uint32_t *v = g->by_value = xmalloc((nc + 1) * sizeof *g->by_value);
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	for (size_t i = 0; i < nc; i++) {
		int64_t x = g->c360[i].lifetime_cents;
		lo = x < lo ? x : lo, hi = x > hi ? x : hi;
	}
	uint64_t range = nc ? (uint64_t)hi - (uint64_t)lo : 0;
	int rank_bits = nc > 1 ? 64 - __builtin_clzll(nc - 1) : 0, bits = rank_bits + (range ? 64 - __builtin_clzll(range) : 0);
	if (bits > 64) {
		for (size_t i = 0; i < nc; i++)
			v[i] = (uint32_t)i;
		qsort_r(v, nc, sizeof *v, by_value_cmp, g);
		return;
	}
	uint64_t *key = xmalloc((nc + 1) * sizeof *key);
	for (size_t r = 0; r < nc; r++)
		key[r] = ((uint64_t)hi - (uint64_t)g->c360[g->order[r]].lifetime_cents) << rank_bits | r;
	radix_sort_u64(key, nc, bits, 0);
	for (size_t i = 0; i < nc; i++)
		v[i] = g->order[key[i] & (((uint64_t)1 << rank_bits) - 1)];
	free(key);
}

/* ---- facts by customer, latest first (the facts after the as-of date left out) */

/* A row's place among its customer's, latest first (a null date last: MOMENT_NULL is the
 * least), then the later line first (every row has its own line: one order only). */
typedef struct {
	int64_t when;
	uint32_t line, row;
} Dated;

#define FEW_ROWS 64	/* a customer's rows sorted on copies of their dates and lines */

static bool before(const Dated *x, const Dated *y)
{
	return x->when != y->when ? x->when > y->when : x->line > y->line;
}

static int latest_first(const void *a, const void *b, void *ctx)
{
	const Table *t = ctx;
	const RowHead *x = ROW(t, RowHead, *(const uint32_t *)a), *y = ROW(t, RowHead, *(const uint32_t *)b);
	Dated dx = {x->when, x->line, 0}, dy = {y->when, y->line, 0};
	return before(&dx, &dy) ? -1 : before(&dy, &dx);
}

/* Few rows sorted by insertion on copies of their dates and lines in d (FEW_ROWS of them). */
static void sort_dated(uint32_t *row, size_t n, const Table *t, Dated *d)
{
	for (size_t i = 0; i < n; i++) {
		const RowHead *h = ROW(t, RowHead, row[i]);
		Dated x = {h->when, h->line, row[i]};
		size_t j = i;
		for (; j > 0 && before(&x, &d[j - 1]); j--)
			d[j] = d[j - 1];
		d[j] = x;
	}
	for (size_t i = 0; i < n; i++)
		row[i] = d[i].row;
}

#define KEY_PLACE 6	/* bits of a row's place among FEW_ROWS in its key */
#define KEY_RANGE (INT64_C(1) << (63 - KEY_PLACE))	/* a moment's in a key: |moment| below it */
_Static_assert(FEW_ROWS <= 1 << KEY_PLACE && (FEW_ROWS & (FEW_ROWS - 1)) == 0, "a place is a key's low bits");

/* Sorts n rows of t latest first: few by insertion on one number a row, its moment (a null
 * one least) and then its place among the n (table order), which orders as the line does when
 * the lines rise in table order (as rows are read); else, or for a moment out of range, by
 * sort_dated; more than FEW_ROWS by qsort_r. Each way gives the one order of dates and lines. */
static void sort_rows(uint32_t *row, size_t n, const Table *t, Dated *d)
{
	if (n > FEW_ROWS) {
		qsort_r(row, n, sizeof *row, latest_first, (void *)t);
		return;
	}
	uint64_t key[FEW_ROWS + 1];	/* key[1 + k]: the k-th earliest (read backwards: an export in date
					 * order, as shops' are, inserts each row at the end, moving none) */
	uint32_t was[FEW_ROWS], line = 0;
	key[0] = 0;	/* no key is below it: the insertion's stop (keys are unique: x > 0 after the first) */
	for (size_t i = 0; i < n; i++) {
		const RowHead *h = ROW(t, RowHead, row[i]);
		uint64_t at = h->when == MOMENT_NULL ? 0 : (uint64_t)h->when + (uint64_t)KEY_RANGE;	/* in range: 1 to 2 KEY_RANGE - 1 */
		if ((i && h->line <= line) || (at && at - 1 >= (uint64_t)(2 * KEY_RANGE - 1))) {
			sort_dated(row, n, t, d);
			return;
		}
		line = h->line;
		uint64_t x = at << KEY_PLACE | i;
		size_t j = i + 1;
		for (; key[j - 1] > x; j--)
			key[j] = key[j - 1];
		key[j] = x;
		was[i] = row[i];
	}
	for (size_t i = 0; i < n; i++)
		row[i] = was[key[n - i] & (FEW_ROWS - 1)];
}

static void group_facts(const Gold *g, SourceId id, ByCustomer *bc)
{
	const Table *t = g->src[id].table;
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	bc->start = xcalloc(nc + 2, sizeof *bc->start);
	bc->row = xmalloc((t->n + 1) * sizeof *bc->row);
	int64_t after = date_last_moment(g->as_of);	/* the facts after it are late */
	for (size_t i = 0; i < t->n; i++)
		if (!fact_after(ROW(t, RowHead, i), after))
			bc->start[ROW(t, RowHead, i)->customer + 2]++;
	for (size_t c = 0; c < nc; c++)
		bc->start[c + 2] += bc->start[c + 1];
	for (size_t i = 0; i < t->n; i++) {	/* counting sort: start[c + 1] is where c's next row goes */
		const RowHead *h = ROW(t, RowHead, i);
		if (!fact_after(h, after))
			bc->row[bc->start[h->customer + 1]++] = (uint32_t)i;
	}
	Dated d[FEW_ROWS];
	for (size_t c = 0; c < nc; c++)
		sort_rows(bc->row + bc->start[c], bc->start[c + 1] - bc->start[c], t, d);
}

/* ---- segments: how many customers, their lifetime value, their share of all customers */

static bool segment_sizes(Gold *g, size_t nc)
{
	bool ok = true;
	for (size_t i = 0; i < nc; i++) {
		int seg = g->c360[i].segment;
		g->segment_size[seg]++;
		ok &= !__builtin_add_overflow(g->segment_cents[seg], g->c360[i].lifetime_cents, &g->segment_cents[seg]);
	}
	for (int seg = 0; seg < SEG_COUNT; seg++)
		g->segment_share[seg] = kpi_pct(g->segment_size[seg], nc);
	return ok;
}

/* ---- the weekly series: valid dated orders and their revenue, every week to the as-of date's */

static bool weekly_orders(Gold *g)
{
	bool ok = true;
	int64_t last = date_monday(g->as_of);
	g->first_week = last - 7;	/* the week before A's at least: dim_date holds the deltas' A - 7 */
	if (g->first_day != MOMENT_NULL && g->first_day <= g->as_of && date_monday(g->first_day) < g->first_week)
		g->first_week = date_monday(g->first_day);
	if (g->first_week < date_days(1900, 1, 1))	/* a Monday, the first day a date may be */
		g->first_week = date_days(1900, 1, 1);
	g->nseries = (size_t)((last - g->first_week) / 7 + 1);
	g->week_orders = xcalloc(g->nseries, sizeof *g->week_orders);
	g->week_cents = xcalloc(g->nseries, sizeof *g->week_cents);
	const Table *t = g->src[SRC_ORDERS].table;
	for (size_t i = 0; i < t->n; i++) {
		const Order *o = ROW(t, Order, i);
		int64_t day = fact_day(&o->h);
		if (day == MOMENT_NULL || day > g->as_of || day < g->first_week || !order_is_valid(o))
			continue;
		size_t k = (size_t)((day - g->first_week) / 7);
		g->week_orders[k]++;
		ok &= !__builtin_add_overflow(g->week_cents[k], o->cents, &g->week_cents[k]);
	}
	return ok;
}

/* ---- tickets per status and per issue type */

static void ticket_counts(Gold *g)
{
	const Table *t = g->src[SRC_TICKETS].table;
	const Dict *d = g->src[SRC_TICKETS].dict;
	g->ticket_status = xcalloc(d[TI_STATUS].n + 1, sizeof *g->ticket_status);
	g->ticket_issue = xcalloc(d[TI_ISSUE].n + 1, sizeof *g->ticket_issue);
	int64_t after = date_last_moment(g->as_of);	/* the facts after it are late */
	for (size_t i = 0; i < t->n; i++) {
		const Ticket *tk = ROW(t, Ticket, i);
		if (fact_after(&tk->h, after))
			continue;
		g->ticket_status[tk->status]++;
		g->ticket_issue[tk->issue]++;
	}
}

/* ---- the customers behind the churn-risk and open-tickets cards */

static int most_open_first(const void *a, const void *b, void *ctx)
{
	const Gold *g = ctx;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	uint32_t x = g->c360[i].open_tickets, y = g->c360[j].open_tickets;
	return x != y ? (x < y ? 1 : -1) : by_value_cmp(a, b, ctx);
}

static void customer_lists(Gold *g, size_t nc)
{
	g->churn_list = xmalloc((nc + 1) * sizeof *g->churn_list);
	g->open_list = xmalloc((nc + 1) * sizeof *g->open_list);
	for (size_t i = 0; i < nc; i++) {
		uint32_t c = g->by_value[i];
		if (g->c360[c].churn_risk)
			g->churn_list[g->nchurn++] = c;
		if (g->c360[c].open_tickets)
			g->open_list[g->nopen++] = c;
	}
	qsort_r(g->open_list, g->nopen, sizeof *g->open_list, most_open_first, g);
}

/* A source whose export only grew (grown_from) grouped from the previous build's grouping of
 * its rows then (their rows key: grown_key) and the rows appended, each customer with new rows
 * sorted again (sort_rows gives the one order group_facts does); false (nothing allocated) if
 * that grouping is not in the site's cache. */
static bool groups_grown(const Gold *g, const char *site, SourceId id, ByCustomer *bc)
{
	const Table *t = g->src[id].table;
	size_t nc = g->src[SRC_CUSTOMERS].table->n, from = g->grown_from[id];
	if (!from || from > t->n || !by_cache_load(site, id, g->grown_key[id], nc, from, &bc->start, &bc->row))
		return false;
	int64_t after = date_last_moment(g->as_of);
	uint32_t *more = xcalloc(nc + 1, sizeof *more);	/* each customer's new rows, then where they go */
	size_t added = 0;
	for (size_t i = from; i < t->n; i++)
		if (!fact_after(ROW(t, RowHead, i), after))
			more[ROW(t, RowHead, i)->customer]++, added++;
	bc->row = xrealloc(bc->row, (bc->start[nc] + added + 1) * sizeof *bc->row);
	/* each customer's rows moved up by the new rows of the customers before it, the last first */
	uint32_t *start = bc->start, end = start[nc], shift = (uint32_t)added;
	for (size_t c = nc; c-- > 0;) {
		uint32_t begin = start[c], n = end - begin;
		end = begin;
		shift -= more[c];
		memmove(bc->row + begin + shift, bc->row + begin, n * sizeof *bc->row);
		start[c + 1] = begin + shift + n + more[c];
		more[c] = begin + shift + n;
	}
	start[nc + 1] = start[nc];
	for (size_t i = from; i < t->n; i++) {
		const RowHead *h = ROW(t, RowHead, i);
		if (!fact_after(h, after))
			bc->row[more[h->customer]++] = (uint32_t)i;
	}
	Dated d[FEW_ROWS];
	for (size_t i = from; i < t->n; i++) {	/* a customer with new rows, sorted once: more[c] then past its end */
		const RowHead *h = ROW(t, RowHead, i);
		uint32_t c = h->customer;
		if (!fact_after(h, after) && more[c] == start[c + 1])
			sort_rows(bc->row + start[c], start[c + 1] - start[c], t, d), more[c]++;
	}
	free(more);
	return true;
}

/* Each fact source's grouping taken from site's cache under its rows key (the same rows,
 * customers and as-of date: the same grouping), when there is one. Reads and writes only
 * g->by and g->by_kept (gold_views_begin's thread). */
static void groups_take(Gold *g, const char *site)
{
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	for (int i = 0; i < SRC_COUNT; i++) {
		FileHash key = g->rows_key[i];
		bool keyed = site && source_is_fact((SourceId)i) && (key.lo | key.hi);
		g->by_kept[i] = keyed && by_cache_load(site, (SourceId)i, key, nc, g->src[i].table->n, &g->by[i].start,
							 &g->by[i].row);
		g->by_grown[i] = keyed && !g->by_kept[i] && groups_grown(g, site, (SourceId)i, &g->by[i]);
	}
}

/* gold_views_begin's thread: it takes the kept groupings, says so (taken, under lock), then
 * groups the facts whose grouping was not taken, the sessions (most facts) first, while
 * gold_build makes the sessions' views, the customers' figures and the other views, which read
 * the silver rows and no grouping. */
struct KeptLoad {
	Gold *g;
	const char *site;
	pthread_t t;
	pthread_mutex_t lock;
	pthread_cond_t done;
	bool taken;		/* groups_take done: g->by_kept and g->by_grown are read from then on */
};

static void *kept_load(void *arg)
{
	struct KeptLoad *k = arg;
	Gold *g = k->g;
	groups_take(g, k->site);
	bool group[SRC_COUNT];
	for (int i = 0; i < SRC_COUNT; i++)
		group[i] = source_is_fact((SourceId)i) && !g->by_kept[i] && !g->by_grown[i];
	pthread_mutex_lock(&k->lock);
	k->taken = true;
	pthread_cond_signal(&k->done);
	pthread_mutex_unlock(&k->lock);
	for (int j = 0; j < SRC_COUNT; j++) {	/* from here on the thread writes these g->by alone */
		int i = j ? j - (j <= SRC_SESSIONS) : SRC_SESSIONS;
		if (group[i])
			group_facts(g, (SourceId)i, &g->by[i]);
	}
	return NULL;
}

void gold_views_begin(Gold *g, int threads, const char *site)
{
	if (threads < 2 || g->kept_load)
		return;
	struct KeptLoad *k = xmalloc(sizeof *k);
	*k = (struct KeptLoad){.g = g, .site = site};
	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->done, NULL);
	if (pthread_create(&k->t, NULL, kept_load, k) == 0) {
		g->kept_load = k;
		return;
	}
	pthread_mutex_destroy(&k->lock);
	pthread_cond_destroy(&k->done);
	free(k);
}

/* gold_views_begin's thread done, the facts it groups grouped. */
static void kept_join(Gold *g)
{
	struct KeptLoad *k = g->kept_load;
	if (k) {
		pthread_join(k->t, NULL);
		pthread_mutex_destroy(&k->lock);
		pthread_cond_destroy(&k->done);
		free(k);
		g->kept_load = NULL;
	}
}

/* The groupings taken (by gold_views_begin's thread, once it says so, else now), and how many
 * rows are grouped anew said. */
static void groups_kept(Gold *g, const char *site)
{
	struct KeptLoad *k = g->kept_load;
	if (k) {
		pthread_mutex_lock(&k->lock);
		while (!k->taken)
			pthread_cond_wait(&k->done, &k->lock);
		pthread_mutex_unlock(&k->lock);
	} else {
		groups_take(g, site);
	}
	uint64_t grouped[SRC_COUNT] = {0};
	for (int i = 0; i < SRC_COUNT; i++)
		grouped[i] = g->by_kept[i] ? 0 : g->src[i].table->n - (g->by_grown[i] ? g->grown_from[i] : 0);
	console_counts("facts grouped", grouped);
}

int gold_views(Gold *g, int threads, const char *site)
{
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	gold_views_begin(g, threads, site);	/* started here if gold_build did not (render's gold) */
	groups_kept(g, site);
	value_ranking(g, nc);
	for (int i = 0; !g->kept_load && i < SRC_COUNT; i++)	/* no thread: the facts grouped here */
		if (source_is_fact((SourceId)i) && !g->by_kept[i] && !g->by_grown[i])
			group_facts(g, (SourceId)i, &g->by[i]);
	ticket_counts(g);
	kpi_series(g, g->series);
	customer_lists(g, nc);
	bool sizes = segment_sizes(g, nc), weekly = sizes && weekly_orders(g);
	kept_join(g);	/* the facts grouped there */
	return !sizes ? GT_CUSTOMER_360 : weekly ? -1 : GT_FACT_ORDERS;
}

void gold_views_keep(const Gold *g, const char *site, const char *staging)
{
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	for (int i = 0; i < SRC_COUNT; i++) {
		FileHash key = g->rows_key[i];
		if (!source_is_fact((SourceId)i) || !(key.lo | key.hi) || !g->by[i].start)
			continue;
		if (g->by_kept[i])
			by_cache_keep(site, staging, (SourceId)i);
		else
			by_cache_save(staging, (SourceId)i, key, g->by[i].start, g->by[i].row, nc);
	}
	session_views_keep(g, site, staging);
}

/* ---- how the KPIs moved in the week */

int64_t kpi_change(const Gold *g, int k)
{
	int64_t now = g->now.v[k], before = g->week_before.v[k], d;
	if (now == KPI_NULL || before == KPI_NULL || __builtin_sub_overflow(now, before, &d))
		return KPI_NULL;
	return d;
}

int64_t kpi_change_rel(const Gold *g, int k)
{
	int64_t now = g->now.v[k], before = g->week_before.v[k];
	if (now == KPI_NULL || before == KPI_NULL || before == 0)
		return KPI_NULL;
	__int128 num = ((__int128)now - before) * 20000, den = (__int128)(before < 0 ? -before : before) * 2;
	__int128 q = num >= 0 ? (num + den / 2) / den : (num - den / 2) / den;	/* half away from zero */
	return q > INT64_MAX ? INT64_MAX : q < -INT64_MAX ? -INT64_MAX : (int64_t)q;
}

int64_t kpi_change_pct(const Gold *g, int k)
{
	return kpi_defs[k].kind == KV_PCT ? KPI_NULL : kpi_change_rel(g, k);
}

KpiTrend kpi_trend(const Gold *g, int k, int64_t noise)
{
	int64_t now = g->now.v[k], before = g->week_before.v[k], pct = kpi_change_rel(g, k);
	KpiTrend t = {0, 0};
	if (now == KPI_NULL || before == KPI_NULL || now == before)
		return t;
	t.direction = now > before ? 1 : -1;
	if (pct == KPI_NULL || (pct < 0 ? -pct : pct) >= noise)	/* anything from nothing is news */
		t.tone = (t.direction > 0) != kpi_defs[k].lower_is_better ? 1 : -1;
	return t;
}

/* ---- a customer's lifecycle, from their facts */

static bool counts_in_lifecycle(SourceId src, const RowHead *h)
{
	if (src == SRC_ORDERS)
		return order_is_valid((const Order *)h);
	if (src == SRC_PAYMENTS)
		return payment_succeeded((const Payment *)h);
	return true;
}

/* The moment a fact happened, for ordering: undated facts come before every dated one. */
static int64_t moment_of(const Gold *g, const Activity *a)
{
	int64_t when = ROW(g->src[a->src].table, RowHead, a->row)->when;
	return when == MOMENT_NULL ? INT64_MIN : when;
}

size_t gold_activity(const Gold *g, uint32_t c, Activity *out, size_t max)
{
	uint32_t next[SRC_COUNT] = {0};
	for (int i = 0; i < SRC_COUNT; i++)
		next[i] = source_is_fact((SourceId)i) ? g->by[i].start[c] : 0;
	size_t n = 0;
	while (n < max) {
		Activity best = {SRC_COUNT, 0};
		for (int i = 0; i < SRC_COUNT; i++) {
			if (!source_is_fact((SourceId)i) || next[i] == g->by[i].start[c + 1])
				continue;
			Activity a = {(SourceId)i, g->by[i].row[next[i]]};
			if (best.src == SRC_COUNT || moment_of(g, &a) > moment_of(g, &best))
				best = a;
		}
		if (best.src == SRC_COUNT)
			break;
		next[best.src]++;
		out[n++] = best;
	}
	return n;
}

int64_t gold_last_seen(const Gold *g, uint32_t c)
{
	Activity a;
	return gold_activity(g, c, &a, 1) ? ROW(g->src[a.src].table, RowHead, a.row)->when : MOMENT_NULL;
}

void gold_lifecycle(const Gold *g, uint32_t c, Lifecycle *lc)
{
	static const SourceId stage[LC_COUNT] = {
		[LC_BROWSE] = SRC_SESSIONS, [LC_ORDER] = SRC_ORDERS, [LC_PAY] = SRC_PAYMENTS, [LC_COMPLAINT] = SRC_TICKETS,
	};
	lc->seen = MOMENT_NULL;
	for (int k = 0; k < LC_COUNT; k++) {
		const ByCustomer *bc = &g->by[stage[k]];
		const Table *t = g->src[stage[k]].table;
		lc->first[k] = lc->last[k] = MOMENT_NULL;
		lc->count[k] = 0;
		for (uint32_t i = bc->start[c]; i < bc->start[c + 1]; i++) {
			const RowHead *h = ROW(t, RowHead, bc->row[i]);
			if (h->when != MOMENT_NULL && (lc->seen == MOMENT_NULL || h->when < lc->seen))
				lc->seen = h->when;	/* seen by any fact: a failed payment too */
			if (!counts_in_lifecycle(stage[k], h))
				continue;
			lc->count[k]++;
			if (h->when != MOMENT_NULL && (lc->first[k] == MOMENT_NULL || h->when < lc->first[k]))
				lc->first[k] = h->when;
			if (h->when != MOMENT_NULL && (lc->last[k] == MOMENT_NULL || h->when > lc->last[k]))
				lc->last[k] = h->when;
		}
	}
}

Str customer_key_str(const void *keys, uint32_t row)
{
	return str_make((const char *)((const uint64_t *)keys + row), sizeof(uint64_t));
}

void gold_customer_keys(Gold *g)
{
	const Table *t = g->src[SRC_CUSTOMERS].table;
	g->key = xmalloc((t->n + 1) * sizeof *g->key);
	Index taken = {0};
	size_t clashes = 0;
	for (size_t i = 0; i < t->n; i++) {
		uint32_t c = g->order[i], was;
		const RowHead *h = ROW(t, RowHead, c);
		uint64_t fnv = 0xcbf29ce484222325ull;
		for (uint32_t k = 0; k < h->idlen; k++)
			fnv = (fnv ^ (unsigned char)h->id[k]) * 0x100000001b3ull;
		g->key[c] = fnv % CUSTOMER_KEY_MAX + 1;
		while ((was = index_set(&taken, customer_key_str(g->key, c), c, customer_key_str, g->key)) != INDEX_NONE) {
			const RowHead *o = ROW(t, RowHead, was);
			if (!clashes++) {	/* said: a customer added before the other in id order takes its key */
				Buf a = {0}, b = {0};
				buf_put_printable(&a, o->id, o->idlen, MSG_VALUE_MAX);
				buf_put_printable(&b, h->id, h->idlen, MSG_VALUE_MAX);
				say(SAY_NORMAL, "warning: customer_key: the ids \"%s\" and \"%s\" make the same number, %llu; "
				    "the second in id order takes the next one free (docs/gold-schema.md)", buf_cstr(&a),
				    buf_cstr(&b), (unsigned long long)g->key[c]);
				buf_free(&a), buf_free(&b);
			}
			g->key[c] = g->key[c] % CUSTOMER_KEY_MAX + 1;
		}
	}
	index_free(&taken);
	gold_key_texts(g);
}

void gold_key_texts(Gold *g)
{
	size_t n = g->src[SRC_CUSTOMERS].table->n;
	g->key_text = xmalloc((n + 1) * sizeof *g->key_text);
	Buf b = {0};
	for (size_t c = 0; c < n; c++) {
		b.len = 0;
		buf_int(&b, (int64_t)g->key[c]);	/* 15 digits at most */
		memcpy(g->key_text[c], b.p, b.len);
		g->key_text[c][15] = (char)b.len;
	}
	buf_free(&b);
}

void gold_free(Gold *g)
{
	kept_join(g);	/* a gold_build that stopped before its views */
	free(g->split);
	free(g->weeks);
	free(g->c360);
	free(g->order);
	free(g->rank);
	free(g->key);
	free(g->key_text);
	free(g->by_value);
	free(g->sessions.of);
	for (int i = 0; i < SRC_COUNT; i++) {
		free(g->by[i].start);
		free(g->by[i].row);
	}
	free(g->week_orders);
	free(g->week_cents);
	free(g->ticket_status);
	free(g->ticket_issue);
	free(g->churn_list);
	free(g->open_list);
	free(g->tables);
	quality_free(g->quality);
	gold_store_free(g->store);
	memset(g, 0, sizeof *g);
}
