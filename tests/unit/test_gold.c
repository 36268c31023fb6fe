/* test_gold.c — the gold model: rounding, each customer's figures and the views every writer
 * reads, against their definitions, on data built for each. */
#include "harness.h"

#define CUSTOMERS_CSV "customer_id,name,email,gender,dob,location\n1,a,,,,\n2,b,,,,\n3,c,,,,\n4,d,,,,\n"
#define ORDERS_HEAD "order_id,customer_id,order_date,amount,status\n"
#define PAYMENTS_HEAD "payment_id,customer_id,payment_date,payment_method,payment_status,amount\n"
#define TICKETS_HEAD "ticket_id,customer_id,issue_type,ticket_date,resolution_status\n"
#define SESSIONS_HEAD "session_id,customer_id,page_viewed,session_time,device_type\n"

/* Silver and gold from texts (NULL: the source is absent), as of 2022-07-26. */
static void build(Silver *s, Gold *g, Config *cfg, const char *const text[SRC_COUNT])
{
	*cfg = test_config();
	cfg->as_of = date_days(2022, 7, 26);
	Buf err = {0};
	CHECK(silver_from(s, cfg, text), "builds");
	CHECK(gold_build(s, g, &err), "gold: %s", buf_cstr(&err));
	buf_free(&err);
}

static void done(Silver *s, Gold *g)
{
	gold_free(g);
	silver_free(s);
}

/* The customer row of an id. */
static uint32_t cust(Silver *s, const char *id)
{
	return (uint32_t)(((Customer *)row_by_id(s, SRC_CUSTOMERS, id)) - ROW(CUSTOMERS(s), Customer, 0));
}

/* Half away from zero, the one rounding of every ratio: ties like 0.005 go up. */
static void test_ratio_rounds_half_up(void **state)
{
	(void)state;
	static const struct { int64_t num, den, want; } ratio[] = {
		{1, 2, 1}, {-1, 2, -1}, {3, 2, 2}, {5, 2, 3}, {4, 10, 0}, {5, 10, 1}, {15, 10, 2}, {25, 10, 3},
		{-25, 10, -3}, {24, 10, 2}, {7, 0, KPI_NULL}, {0, 3, 0}, {INT64_MAX, 1, INT64_MAX},
	};
	for (size_t i = 0; i < N_ELEMS(ratio); i++)
		CHECK(kpi_ratio(ratio[i].num, ratio[i].den) == ratio[i].want, "%lld / %lld = %lld, want %lld",
		      (long long)ratio[i].num, (long long)ratio[i].den, (long long)kpi_ratio(ratio[i].num, ratio[i].den),
		      (long long)ratio[i].want);
	static const struct { uint64_t part, whole; int64_t want; } pct[] = {
		{1, 8, 1250}, {1, 3, 3333}, {2, 3, 6667}, {1, 20000, 1}, {1, 20001, 0}, {1, 40000, 0}, {3, 40000, 1},
		{0, 5, 0}, {5, 5, 10000}, {1, 0, KPI_NULL},
	};
	for (size_t i = 0; i < N_ELEMS(pct); i++)
		CHECK(kpi_pct(pct[i].part, pct[i].whole) == pct[i].want, "%llu of %llu = %lld, want %lld",
		      (unsigned long long)pct[i].part, (unsigned long long)pct[i].whole,
		      (long long)kpi_pct(pct[i].part, pct[i].whole), (long long)pct[i].want);
}

/* A customer's average order, days since the last order and payments by status. */
static void test_customer_figures(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		CUSTOMERS_CSV,
		ORDERS_HEAD "a,1,2022-07-20,0.01,complete\nb,1,2022-07-01,0,complete\n"	/* 0.01 / 2 = 0.005 -> 0.01 */
		"c,2,2022-07-10,10,complete\nd,2,2022-07-11,10.01,complete\ne,2,2022-07-12,10.01,complete\n"	/* 10.006... */
		"f,3,,5,complete\ng,3,2022-07-26,9,cancelled\n",	/* undated: no days since */
		PAYMENTS_HEAD "p1,1,2022-07-01,cash,paid,1\np2,1,2022-07-01,cash,declined,1\np3,1,2022-07-01,cash,,1\n"
		"p4,1,2022-07-01,cash,chargeback,1\np5,1,2022-07-01,cash,refunded,1\np6,1,2022-07-01,cash,processing,1\n"
		"p7,1,2022-07-27,cash,paid,1\n",	/* after A: in no figure */
		NULL, NULL,
	};
	build(&s, &g, &cfg, text);
	static const struct { const char *id; int64_t average, days; uint32_t orders; } want[] = {
		{"1", 1, 6, 2}, {"2", 1001, 14, 3}, {"3", 500, KPI_NULL, 1}, {"4", KPI_NULL, KPI_NULL, 0},
	};
	for (size_t i = 0; i < N_ELEMS(want); i++) {
		const Customer360 *x = &g.c360[cust(&s, want[i].id)];
		CHECK(x->average_cents == want[i].average && x->days_since_last_order == want[i].days &&
		      x->valid_orders == want[i].orders, "customer %s: average %lld, days %lld, orders %u", want[i].id,
		      (long long)x->average_cents, (long long)x->days_since_last_order, x->valid_orders);
	}
	const uint32_t *pay = g.c360[cust(&s, "1")].pay_by_status;
	CHECK(pay[PAY_SUCCESS] == 1 && pay[PAY_FAILED] == 1 && pay[PAY_PENDING] == 1 && pay[PAY_REFUNDED] == 1 &&
	      pay[PAY_OTHER] == 2, "by status: Unknown and a status no rule knows are other");
	done(&s, &g);
}

/* The value ranking: highest lifetime value first; equal values in customer (id) order. */
static void test_value_ranking(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		"customer_id,name,email,gender,dob,location\n10,a,,,,\n9,b,,,,\n2,c,,,,\n1,d,,,,\n",
		ORDERS_HEAD "a,10,2022-07-01,5,complete\nb,9,2022-07-01,7,complete\nc,2,2022-07-01,5,complete\n"
		"d,1,2022-07-01,1,cancelled\n",
		NULL, NULL, NULL,
	};
	build(&s, &g, &cfg, text);
	static const char *const want[] = {"9", "2", "10", "1"};
	for (size_t i = 0; i < N_ELEMS(want); i++)
		CHECK(g.by_value[i] == cust(&s, want[i]), "place %zu is %s", i, want[i]);
	CHECK(g.order[0] == cust(&s, "1") && g.order[3] == cust(&s, "10") && g.rank[cust(&s, "2")] == 1,
	      "customer order is the natural order of ids");
	done(&s, &g);
}

/* Segment sizes, their lifetime value and their share of all customers (half up). */
static void test_segment_sizes(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		"customer_id,name,email,gender,dob,location\n1,a,,,,\n2,b,,,,\n3,c,,,,\n4,d,,,,\n5,e,,,,\n6,f,,,,\n",
		ORDERS_HEAD "a,1,2022-07-20,10,complete\nb,2,2022-07-20,2.50,complete\nc,3,2021-01-01,4,complete\n",
		NULL, NULL, NULL,
	};
	build(&s, &g, &cfg, text);
	CHECK(g.segment_size[SEG_NEW] == 2 && g.segment_size[SEG_LOST] == 1 && g.segment_size[SEG_PROSPECTS] == 3,
	      "sizes");
	CHECK(g.segment_cents[SEG_NEW] == 1250 && g.segment_cents[SEG_LOST] == 400 && g.segment_cents[SEG_PROSPECTS] == 0,
	      "lifetime value");
	CHECK(g.segment_share[SEG_NEW] == 3333 && g.segment_share[SEG_LOST] == 1667 &&
	      g.segment_share[SEG_PROSPECTS] == 5000 && g.segment_share[SEG_CHAMPIONS] == 0, "shares: 1/6 = 16.67%%");
	done(&s, &g);
}

/* Valid dated orders and their revenue per ISO week, from the first fact's week to A's. */
static void test_weekly_series(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		CUSTOMERS_CSV,
		ORDERS_HEAD "a,1,2022-07-05,1,complete\nb,1,2022-07-10,2,complete\n"	/* week 27: Tue, Sun */
		"c,2,2022-07-11,4,complete\nd,2,2022-07-12,8,cancelled\n"	/* week 28; d not valid */
		"e,3,,16,complete\nf,3,2022-07-27,32,complete\n"	/* undated; after A */
		"g,4,2022-07-26,64,pending\n",	/* week 30, the as-of date's */
		NULL, NULL,
		SESSIONS_HEAD "s,1,/,2022-07-01 10:00,ios\n",	/* the first fact: week 26 */
	};
	build(&s, &g, &cfg, text);
	CHECK(g.first_week == date_days(2022, 6, 27), "the first fact's Monday: %s", date_text(g.first_week));
	static const uint64_t orders[] = {0, 2, 1, 0, 1};
	static const int64_t cents[] = {0, 300, 400, 0, 6400};
	CHECK(g.nseries == N_ELEMS(orders), "weeks 26 to 30: %zu", g.nseries);
	for (size_t k = 0; k < N_ELEMS(orders) && k < g.nseries; k++)
		CHECK(g.week_orders[k] == orders[k] && g.week_cents[k] == cents[k], "week %zu: %llu orders, %lld", k,
		      (unsigned long long)g.week_orders[k], (long long)g.week_cents[k]);
	done(&s, &g);
}

static void test_ticket_counts(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		CUSTOMERS_CSV, ORDERS_HEAD, NULL,
		TICKETS_HEAD "t1,1,late,2022-07-01,open\nt2,1,late,,closed\nt3,2,refund,2022-07-02,new\n"
		"t4,2,,2022-07-03,escalated\nt5,3,late,2022-07-27,open\n",	/* t5 after A */
		NULL,
	};
	build(&s, &g, &cfg, text);
	const Dict *d = s.src[SRC_TICKETS].dict;
	CHECK(g.ticket_status[TS_OPEN] == 2 && g.ticket_status[TS_CLOSED] == 1 &&
	      g.ticket_status[dict_find(&d[TI_STATUS], S("Escalated"))] == 1, "by status");
	CHECK(g.ticket_issue[dict_find(&d[TI_ISSUE], S("Late"))] == 2 && g.ticket_issue[ISSUE_UNSPECIFIED] == 1 &&
	      g.ticket_issue[dict_find(&d[TI_ISSUE], S("Refund"))] == 1, "by issue");
	done(&s, &g);
}

/* The lifecycle: the first dated event of each stage, what counts in it, and signup. */
static void test_lifecycle(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		CUSTOMERS_CSV,
		ORDERS_HEAD "o1,1,2022-07-10,5,cancelled\no2,1,2022-07-12,5,complete\no3,1,,5,complete\n",
		PAYMENTS_HEAD "p1,1,2022-07-09,cash,failed,5\np2,1,2022-07-13,cash,paid,5\n",
		TICKETS_HEAD "t1,1,x,2022-07-20,open\nt2,1,x,2022-07-27,open\n",	/* t2 after A */
		SESSIONS_HEAD "s1,1,/,2022-07-11 09:30,ios\ns2,1,/,2022-07-08 23:00,android\n",
	};
	build(&s, &g, &cfg, text);
	Lifecycle lc;
	gold_lifecycle(&g, cust(&s, "1"), &lc);
	int64_t day = SECS_PER_DAY;
	CHECK(lc.first[LC_BROWSE] == date_days(2022, 7, 8) * day + 23 * 3600 && lc.count[LC_BROWSE] == 2, "browse");
	CHECK(lc.first[LC_ORDER] == date_days(2022, 7, 12) * day && lc.count[LC_ORDER] == 2, "order: valid ones");
	CHECK(lc.first[LC_PAY] == date_days(2022, 7, 13) * day && lc.count[LC_PAY] == 1, "pay: successful ones");
	CHECK(lc.first[LC_COMPLAINT] == date_days(2022, 7, 20) * day && lc.count[LC_COMPLAINT] == 1, "complaint");
	CHECK(lc.seen == lc.first[LC_BROWSE], "signup: first seen");
	gold_lifecycle(&g, cust(&s, "2"), &lc);
	CHECK(lc.seen == MOMENT_NULL && lc.count[LC_ORDER] == 0 && lc.first[LC_ORDER] == MOMENT_NULL, "nothing yet");
	done(&s, &g);
}

/* The top payment method's share: the most used method's, each day its own (as --as-of A - 7 says). */
static void test_top_method_share(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		CUSTOMERS_CSV, ORDERS_HEAD,
		PAYMENTS_HEAD "p1,1,2022-07-01,upi,paid,1\np2,1,2022-07-02,cash,paid,1\np3,1,2022-07-03,cash,failed,1\n"
		"p7,1,2022-07-04,upi,paid,1\n"
		"p4,2,2022-07-20,cash,paid,1\np5,2,2022-07-21,cash,paid,1\np6,2,2022-07-22,wallet,paid,1\n",
		NULL, NULL,
	};
	build(&s, &g, &cfg, text);
	CHECK(g.now.v[K_TOP_METHOD_PCT] == 5000, "Cash: 3 of 6");
	CHECK(g.week_before.v[K_TOP_METHOD_PCT] == 6667, "a week earlier UPI: 2 of 3");
	done(&s, &g);
	const char *later[SRC_COUNT] = {
		CUSTOMERS_CSV, ORDERS_HEAD, PAYMENTS_HEAD "p1,1,2022-07-01,upi,paid,1\np2,1,2022-07-25,cash,paid,1\n"
		"p3,1,2022-07-25,cash,paid,1\n", NULL, NULL,
	};
	build(&s, &g, &cfg, later);
	CHECK(g.now.v[K_TOP_METHOD_PCT] == 6667 && g.week_before.v[K_TOP_METHOD_PCT] == 10000, "UPI alone a week earlier");
	done(&s, &g);
	const char *none[SRC_COUNT] = {CUSTOMERS_CSV, ORDERS_HEAD, NULL, NULL, NULL};
	build(&s, &g, &cfg, none);
	CHECK(g.now.v[K_TOP_METHOD_PCT] == KPI_NULL, "no payments: no share");
	done(&s, &g);
}

/* The definitions every output names KPIs and fact columns by. */
static void test_definition_tables(void **state)
{
	(void)state;
	int cards = 0;
	for (int k = 0; k < K_COUNT; k++) {
		const KpiDef *d = &kpi_defs[k];
		CHECK(d->id && d->title && d->definition && *d->definition, "KPI %d is defined", k);
		for (int j = 0; j < k; j++)
			CHECK(strcmp(d->id, kpi_defs[j].id) && strcmp(d->title, kpi_defs[j].title), "%s is named once", d->id);
		cards += d->card;
	}
	CHECK(cards == 7, "seven cards");
	CHECK(kpi_defs[K_OPEN_TICKETS].lower_is_better && kpi_defs[K_CHURN_RISK].lower_is_better &&
	      !kpi_defs[K_TOTAL_REVENUE].lower_is_better, "lower is better");
	for (int i = 0; i < SRC_COUNT; i++) {
		const FactTable *ft = &fact_tables[i];
		CHECK((ft->ncols > 0) == source_is_fact((SourceId)i), "a fact table per fact");
		for (int c = 0; c < ft->ncols; c++) {
			const FactCol *fc = &ft->cols[c];
			ColKind kind = source_defs[i].rule[fc->col].kind;
			CHECK(fc->kind == FC_RULE ? fc->rule != NULL
			      : fc->kind == FC_MONEY ? kind == COL_AMOUNT
			      : fc->kind == FC_CHANNEL ? source_defs[i].rule[fc->col].category == CAT_DEVICE
						      : kind == COL_CATEGORY, "%s.%s", source_defs[i].name, fc->name);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio_rounds_half_up), cmocka_unit_test(test_customer_figures),
		cmocka_unit_test(test_value_ranking), cmocka_unit_test(test_segment_sizes),
		cmocka_unit_test(test_weekly_series), cmocka_unit_test(test_ticket_counts),
		cmocka_unit_test(test_lifecycle), cmocka_unit_test(test_top_method_share),
		cmocka_unit_test(test_definition_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
