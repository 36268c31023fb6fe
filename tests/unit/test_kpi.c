/* test_kpi.c — the gold definitions of SPEC §6, on small data built for each rule. */
#include "harness.h"

#include <unistd.h>

#define CUSTOMERS_CSV "customer_id,name,email,gender,dob,location\n1,a,,,,\n2,b,,,,\n3,c,,,,\n4,d,,,,\n"
#define ORDERS_HEAD "order_id,customer_id,order_date,amount,status\n"
#define TICKETS_HEAD "ticket_id,customer_id,issue_type,ticket_date,resolution_status\n"
#define PAYMENTS_HEAD "payment_id,customer_id,payment_date,payment_method,payment_status,amount\n"
#define SESSIONS_HEAD "session_id,customer_id,page_viewed,session_time,device_type\n"

/* Silver and gold from texts, as of 2022-07-26 unless the data says otherwise. */
static void build(Silver *s, Gold *g, Config *cfg, const char *orders, const char *payments, const char *tickets,
		  const char *sessions)
{
	*cfg = test_config();
	cfg->as_of = date_days(2022, 7, 26);
	const char *text[SRC_COUNT] = {CUSTOMERS_CSV, orders, payments, tickets, sessions};
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

static void test_valid_orders(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	build(&s, &g, &cfg,
	      ORDERS_HEAD
	      "a,1,2022-07-01,10,complete\n"	/* valid */
	      "b,1,2022-07-02,0.0,pending\n"	/* valid: zero amounts count */
	      "c,1,2022-07-03,,complete\n"	/* no amount */
	      "d,2,2022-07-04,-5,complete\n"	/* negative */
	      "e,2,2022-07-05,7,cancelled\n"
	      "f,2,2022-07-06,7,failed\n"
	      "g,2,2022-07-07,7,returned\n"
	      "h,3,2022-07-08,2.5,shipped\n"	/* valid */
	      "i,3,2022-07-09,1,whatever\n"	/* valid: an unknown status is not excluded */
	      "j,3,,1,\n"			/* valid: undated, no status */
	      "k,4,2022-07-27,100,complete\n",	/* after the as-of date: left out */
	      NULL, NULL, NULL);
	CHECK(g.now.v[K_VALID_ORDERS] == 5, "valid orders %lld", (long long)g.now.v[K_VALID_ORDERS]);
	CHECK(g.now.v[K_TOTAL_CUSTOMERS] == 2, "customers 1 and 3");
	CHECK(g.now.v[K_TOTAL_REVENUE] == 1450, "revenue 14.50, got %lld", (long long)g.now.v[K_TOTAL_REVENUE]);
	CHECK(g.now.v[K_AVERAGE_ORDER_VALUE] == 290, "14.50 / 5 = 2.90");
	CHECK(g.now.v[K_REPEAT_CUSTOMER_PCT] == 10000, "both have 2+ valid orders");
	CHECK(g.now.v[K_KNOWN_CUSTOMERS] == 4, "known customers");
	done(&s, &g);
}

static void test_rounding(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	/* AOV 0.03 / 2 = 0.015 rounds half up to 0.02; repeat 1 of 3 customers = 33.33 % */
	build(&s, &g, &cfg, ORDERS_HEAD "a,1,2022-07-01,0.01,complete\nb,1,2022-07-01,0.02,complete\n"
	      "c,2,2022-07-01,0,complete\nd,3,2022-07-01,0,complete\n", NULL, NULL, NULL);
	CHECK(g.now.v[K_AVERAGE_ORDER_VALUE] == 1, "0.03/4 = 0.0075 -> 0.01, got %lld",
	      (long long)g.now.v[K_AVERAGE_ORDER_VALUE]);
	CHECK(g.now.v[K_REPEAT_CUSTOMER_PCT] == 3333, "33.33, got %lld", (long long)g.now.v[K_REPEAT_CUSTOMER_PCT]);
	CHECK(g.c360[0].average_cents == 2, "customer 1: 0.03/2 = 0.015 -> 0.02, got %lld", (long long)g.c360[0].average_cents);
	done(&s, &g);
	build(&s, &g, &cfg, ORDERS_HEAD "a,1,2022-07-01,0.01,complete\nb,1,2022-07-01,0.02,complete\n"
	      "c,2,2022-07-01,1,complete\nd,2,2022-07-01,1,complete\ne,3,2022-07-01,1,complete\n", NULL, NULL, NULL);
	CHECK(g.now.v[K_REPEAT_CUSTOMER_PCT] == 6667, "2 of 3 = 66.67");
	done(&s, &g);
	/* No valid order at all: the averages are undefined, not zero. */
	build(&s, &g, &cfg, ORDERS_HEAD "a,1,2022-07-01,,complete\n", NULL, NULL, NULL);
	CHECK(g.now.v[K_AVERAGE_ORDER_VALUE] == KPI_NULL && g.now.v[K_REPEAT_CUSTOMER_PCT] == KPI_NULL &&
	      g.now.v[K_MOBILE_PCT] == KPI_NULL, "undefined ratios are null");
	done(&s, &g);
}

static void test_open_tickets_and_churn(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	build(&s, &g, &cfg,
	      ORDERS_HEAD
	      "a,1,2022-04-27,10,complete\n"	/* A - 90: outside (A - W, A] */
	      "b,2,2022-04-28,10,complete\n"	/* A - 89: inside */
	      "c,3,,10,complete\n"		/* undated: in no window */
	      "d,4,2022-07-20,10,cancelled\n",	/* not valid */
	      NULL,
	      TICKETS_HEAD
	      "t1,1,x,2022-07-01,closed\nt2,2,x,2022-07-01,resolved\nt3,3,x,2022-07-01,\n"
	      "t4,4,x,2022-07-01,pending\nt5,4,x,2022-07-27,open\nt6,4,x,,escalated\n",
	      NULL);
	CHECK(g.now.v[K_OPEN_TICKETS] == 3, "t3 (no status), t4, t6 are open; t5 is after A: %lld",
	      (long long)g.now.v[K_OPEN_TICKETS]);
	CHECK(g.now.v[K_CHURN_RISK] == 3, "customers 1, 3 and 4: %lld", (long long)g.now.v[K_CHURN_RISK]);
	CHECK(g.c360[0].churn_risk && !g.c360[1].churn_risk && g.c360[2].churn_risk && g.c360[3].churn_risk,
	      "per customer");
	/* A week earlier (2022-07-19) the window is (2022-04-20, 2022-07-19]: customer 1's order is inside. */
	CHECK(g.week_before.as_of == date_days(2022, 7, 19), "week before");
	CHECK(g.week_before.v[K_CHURN_RISK] == 2, "week before churn %lld", (long long)g.week_before.v[K_CHURN_RISK]);
	done(&s, &g);
}

static void test_week_before(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	build(&s, &g, &cfg,
	      ORDERS_HEAD "a,1,2022-07-19,10,complete\nb,2,2022-07-20,20,complete\nc,1,2022-07-26,30,complete\n",
	      NULL, NULL, NULL);
	CHECK(g.week_before.v[K_TOTAL_CUSTOMERS] == 1 && g.week_before.v[K_TOTAL_REVENUE] == 1000,
	      "only the order of the 19th counts a week earlier");
	CHECK(g.now.v[K_TOTAL_CUSTOMERS] == 2 && g.now.v[K_REPEAT_CUSTOMER_PCT] == 5000, "now");
	done(&s, &g);
}

static void test_payment_split(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	build(&s, &g, &cfg, ORDERS_HEAD,
	      PAYMENTS_HEAD
	      "p1,1,2022-07-01,upi,success,10\n"
	      "p2,1,2022-07-01,UPI,paid,-3\n"	/* counted; its negative amount is not summed */
	      "p3,1,2022-07-01,cash,success,\n"	/* counted; no amount */
	      "p4,1,2022-07-01,cash,success,5\n"
	      "p5,2,2022-07-01,paypal,failed,99\n"	/* not a success */
	      "p6,2,2022-07-01,wallet,success,1\n"
	      "p7,2,2022-07-27,wallet,success,1\n",	/* after A */
	      NULL, NULL);
	CHECK(g.nsplit == 3, "three methods with successes, got %zu", g.nsplit);
	const Dict *m = &s.src[SRC_PAYMENTS].dict[PA_METHOD];
	static const struct { const char *label; uint64_t n; int64_t share, cents; } want[] = {
		{"Cash", 2, 4000, 500}, {"UPI", 2, 4000, 1000}, {"Wallet", 1, 2000, 100},
	};
	for (size_t i = 0; i < N_ELEMS(want); i++)
		CHECK(strcmp(dict_label(m, g.split[i].method), want[i].label) == 0 && g.split[i].count == want[i].n &&
		      g.split[i].share == want[i].share && g.split[i].cents == want[i].cents,
		      "row %zu: %s %llu %lld %lld", i, dict_label(m, g.split[i].method), (unsigned long long)g.split[i].count,
		      (long long)g.split[i].share, (long long)g.split[i].cents);
	/* customer 1: two Cash and two UPI successes: the tie goes to the lower label. */
	CHECK(strcmp(dict_label(m, g.c360[0].preferred_method), "Cash") == 0, "preferred method tie");
	CHECK(g.c360[0].pay_by_status[PAY_SUCCESS] == 4 && g.c360[1].pay_by_status[PAY_FAILED] == 1, "by status");
	done(&s, &g);
}

/* The preferred method, payments grouped by customer (each customer's pairs sorted where they
 * are; more than 32 of one customer by qsort) or not (all sorted at once): the same. */
static void test_preferred_method_in_any_order(void **state)
{
	(void)state;
	static const char *const method[] = {"upi", "cash", "wallet"};
	Buf grouped = {0}, mixed = {0};
	buf_puts(&grouped, PAYMENTS_HEAD), buf_puts(&mixed, PAYMENTS_HEAD);
	for (int i = 0; i < 40; i++)	/* customer 1: 15 UPI, 14 Cash, 11 Wallet, interleaved */
		buf_printf(&grouped, "a%d,1,2022-07-01,%s,success,1\n", i, method[i < 33 ? i % 3 : (i - 33) % 2]);
	buf_puts(&grouped, "b1,2,2022-07-01,cash,success,1\nb2,2,2022-07-01,wallet,success,1\n"	/* a tie: the lower label */
			   "b3,2,2022-07-01,cash,success,1\nb4,2,2022-07-01,wallet,success,1\n"
			   "c1,3,2022-07-01,cash,success,1\nc2,3,2022-07-01,upi,success,1\nc3,3,2022-07-01,upi,success,1\n");
	/* the same lines, customer 3's first, then the others from the last back */
	const char *lines[64];
	size_t n = 0;
	for (const char *p = strchr(buf_cstr(&grouped), '\n') + 1; *p; p = strchr(p, '\n') + 1)
		lines[n++] = p;
	for (size_t k = n; k-- > 0;) {
		const char *end = strchr(lines[k], '\n') + 1;
		buf_put(&mixed, lines[k], (size_t)(end - lines[k]));
	}
	for (int pass = 0; pass < 2; pass++) {
		Silver s;
		Gold g;
		Config cfg;
		build(&s, &g, &cfg, NULL, buf_cstr(pass ? &mixed : &grouped), NULL, NULL);
		const Dict *m = &s.src[SRC_PAYMENTS].dict[PA_METHOD];
		static const char *const want[] = {"UPI", "Cash", "UPI"};
		for (int c = 0; c < 3; c++)
			CHECK(strcmp(dict_label(m, g.c360[c].preferred_method), want[c]) == 0, "%s: customer %d: %s, want %s",
			      pass ? "mixed" : "grouped", c + 1, dict_label(m, g.c360[c].preferred_method), want[c]);
		done(&s, &g);
	}
	buf_free(&grouped), buf_free(&mixed);
}

/* Whether each customer's sessions in g are latest first, a null date last, the later line
 * first on the same moment; and n of them in all (none after the as-of date). */
static bool latest_first_each(const Gold *g, const Table *t, size_t nc, size_t n)
{
	const ByCustomer *bc = &g->by[SRC_SESSIONS];
	bool ok = bc->start[nc] == n;
	for (size_t c = 0; c < nc; c++)
		for (uint32_t k = bc->start[c] + 1; k < bc->start[c + 1]; k++) {
			const RowHead *x = ROW(t, RowHead, bc->row[k - 1]), *y = ROW(t, RowHead, bc->row[k]);
			ok &= x->customer == c && y->customer == c && (x->when != y->when ? x->when > y->when : x->line > y->line);
		}
	return ok;
}

/* A customer's facts latest first (gold.c sort_rows): by one key a row while the lines rise in
 * table order (as read), else on copies of the dates and lines, more than 64 by qsort; the same
 * order every way. (A moment out of a key's range, which no date of 1900-2100 is, cannot be
 * made here: the weekly series would span it.) */
static void test_facts_latest_first(void **state)
{
	(void)state;
	Buf text = {0};
	buf_puts(&text, SESSIONS_HEAD);
	static const char *const when[] = {"2022-07-03 10:00", "2022-07-01 09:00", "", "2022-07-03 10:00",
					   "1900-01-02 00:00", "2022-07-03 10:00", "", "2099-12-30 23:59"};
	for (int i = 0; i < 8; i++)	/* customers 1 and 2: ties on the moment, nulls, far dates (2099: late) */
		buf_printf(&text, "a%d,1,/,%s,\nb%d,2,/,%s,\n", i, when[i], i, when[(i + 3) % 8]);
	for (int i = 0; i < 70; i++)	/* customer 3: more than 64 */
		buf_printf(&text, "c%d,3,/,2022-07-%02d 00:00,\n", i, 1 + (i * 7) % 25);
	for (int pass = 0; pass < 2; pass++) {
		Silver s;
		Gold g;
		Config cfg = test_config();
		cfg.as_of = date_days(2022, 7, 26);
		const char *texts[SRC_COUNT] = {CUSTOMERS_CSV, NULL, NULL, NULL, buf_cstr(&text)};
		Buf err = {0};
		CHECK(silver_from(&s, &cfg, texts), "builds");
		Table *t = &s.src[SRC_SESSIONS].table;
		CHECK(t->n == 86, "86 sessions, got %zu", t->n);
		for (size_t i = 0; i < t->n && pass; i++) {
			RowHead *h = ROW(t, RowHead, i);
			if (h->customer == 1)	/* customer 2's lines fall in table order */
				h->line = 1000 - h->line;
		}
		CHECK(gold_build(&s, &g, &err), "gold: %s", buf_cstr(&err));
		CHECK(latest_first_each(&g, t, CUSTOMERS(&s)->n, 84), "pass %d: a customer's sessions out of order", pass);
		buf_free(&err);
		done(&s, &g);
	}
	buf_free(&text);
}

static void test_devices_by_week(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	build(&s, &g, &cfg, ORDERS_HEAD, NULL, NULL,
	      SESSIONS_HEAD
	      "s1,1,/,2022-07-17 23:59:59,android\n"	/* Sunday: week 28 */
	      "s2,1,/,2022-07-18 00:00:00,windows\n"	/* Monday: week 29 */
	      "s3,1,/,2022-07-18T01:00:00+05:30,ios\n"	/* 2022-07-17 19:30 UTC: week 28 */
	      "s4,2,/,,smart tv\n"			/* undated, Other */
	      "s5,2,/,2022-07-25,mac\n");		/* week 30 */
	CHECK(g.now.v[K_MOBILE_PCT] == 4000 && g.now.v[K_WEB_PCT] == 4000, "2 of 5 mobile, 2 of 5 web");
	CHECK(g.nweeks == 4, "all time and weeks 28, 29, 30: %zu", g.nweeks);
	CHECK(g.weeks[0].n[CH_OTHER] == 1, "the undated session counts in all time only");
	CHECK(g.weeks[1].days == date_days(2022, 7, 11) && g.weeks[1].n[CH_MOBILE] == 2, "week 28");
	CHECK(g.weeks[2].n[CH_WEB] == 1 && g.weeks[2].n[CH_MOBILE] == 0, "week 29");
	CHECK(g.weeks[3].n[CH_WEB] == 1, "week 30");
	CHECK(g.c360[0].preferred_channel == CH_MOBILE, "preferred channel");
	CHECK(g.c360[1].preferred_channel == CH_WEB, "a tie goes to Mobile, then Web, then Other");
	done(&s, &g);
}

static void test_segments(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	build(&s, &g, &cfg,
	      ORDERS_HEAD
	      "a,1,2022-07-20,1,complete\na2,1,2022-07-10,1,complete\na3,1,2022-06-30,1,complete\n"	/* Champions */
	      "b,2,2022-06-01,1,complete\nb2,2,2022-05-01,1,complete\n"				/* Loyal */
	      "c,3,2022-03-01,1,complete\n"							/* At Risk */
	      "d,4,n/a,1,complete\n"								/* At Risk: undated */
	      "e,5,2021-12-01,1,complete\n"							/* Lost */
	      "f,6,2022-07-01,1,complete\n",							/* New */
	      NULL, TICKETS_HEAD "t,7,x,2022-07-01,open\n", NULL);					/* Prospects */
	static const int want[] = {SEG_CHAMPIONS, SEG_LOYAL, SEG_AT_RISK, SEG_AT_RISK, SEG_LOST, SEG_NEW, SEG_PROSPECTS};
	for (int i = 0; i < (int)N_ELEMS(want); i++)
		CHECK(g.c360[i].segment == want[i], "customer %d is %s, want %s", i + 1, segment_defs[g.c360[i].segment].label,
		      segment_defs[want[i]].label);
	done(&s, &g);
}

/* The segments' windows are active's, (A - days, A]: R = 29 / 30 (Champions), 89 / 90 (the churn
 * window, W = 90: New, then At Risk and not active), 179 / 180 (two windows: At Risk, then Lost). */
static void test_segment_edges(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	build(&s, &g, &cfg,
	      ORDERS_HEAD
	      "a,1,2022-06-27,1,complete\na2,1,2022-06-01,1,complete\na3,1,2022-05-01,1,complete\n"	/* R 29 */
	      "b,2,2022-06-26,1,complete\nb2,2,2022-06-01,1,complete\nb3,2,2022-05-01,1,complete\n"	/* R 30 */
	      "c,3,2022-04-28,1,complete\n"							/* R 89 */
	      "d,4,2022-04-27,1,complete\n"							/* R 90 */
	      "e,5,2022-01-28,1,complete\n"							/* R 179 */
	      "f,6,2022-01-27,1,complete\n",							/* R 180 */
	      NULL, NULL, NULL);
	static const int want[] = {SEG_CHAMPIONS, SEG_LOYAL, SEG_NEW, SEG_AT_RISK, SEG_AT_RISK, SEG_LOST};
	for (int i = 0; i < (int)N_ELEMS(want); i++)
		CHECK(g.c360[i].segment == want[i], "customer %d is %s, want %s", i + 1, segment_defs[g.c360[i].segment].label,
		      segment_defs[want[i]].label);
	CHECK(g.c360[2].active && !g.c360[3].active, "active at R 89, not at R 90");
	done(&s, &g);
}

/* Orders (or payments) of 99,999,999,999,999.99 each, rows [from, to) of customer c(i). */
static void huge_rows(Buf *b, const char *head, int from, int to, int (*who)(int), bool payments)
{
	buf_puts(b, head);
	for (int i = from; i < to; i++)
		buf_printf(b, payments ? "p%d,%d,2022-07-01,card,paid,99999999999999.99\n" : "o%d,%d,2022-07-01,99999999999999.99,complete\n",
			   i, who(i));
}

static int one(int i) { (void)i; return 1; }
static int spread(int i) { return i % 4 + 1; }

/* A sum of money is exact or the build stops naming the source and its rows: never a clamp. */
static void test_money_too_big(void **state)
{
	(void)state;
	static const struct {
		int n;
		int (*who)(int);
		bool payments;
		const char *want;
	} cases[] = {
		/* 922 of them fit in a signed 64-bit count of cents; one customer with 2,000 does not */
		{2000, one, false, "orders.csv:2: error: a customer's valid orders: the amounts on lines 2 to 2001 add up"},
		/* each of four customers (500 each) fits, their total does not */
		{2000, spread, false, "orders.csv:2: error: total_revenue: the amounts on lines 2 to 2001 add up"},
		{2000, one, true, "payments.csv:2: error: successful payments of a method: the amounts on lines 2 to 2001"},
		{922, one, false, NULL},	/* 92,199,999,999,999,990.78: fits, and exact */
	};
	for (size_t k = 0; k < N_ELEMS(cases); k++) {
		Buf rows = {0}, err = {0};
		huge_rows(&rows, cases[k].payments ? PAYMENTS_HEAD : ORDERS_HEAD, 0, cases[k].n, cases[k].who, cases[k].payments);
		Config cfg = test_config();
		cfg.as_of = date_days(2022, 7, 26);
		const char *text[SRC_COUNT] = {CUSTOMERS_CSV, cases[k].payments ? ORDERS_HEAD : buf_cstr(&rows),
					       cases[k].payments ? buf_cstr(&rows) : NULL};
		Silver s;
		Gold g;
		CHECK(silver_from(&s, &cfg, text), "silver");
		bool ok = gold_build(&s, &g, &err);
		if (cases[k].want)
			CHECK(!ok && strstr(buf_cstr(&err), cases[k].want), "case %zu: %s", k, buf_cstr(&err));
		else
			CHECK(ok && g.now.v[K_TOTAL_REVENUE] == INT64_C(9219999999999999078) &&
				      g.now.v[K_AVERAGE_ORDER_VALUE] == INT64_C(9999999999999999) &&
				      g.c360[0].average_cents == INT64_C(9999999999999999),
			      "case %zu: revenue %lld", k, (long long)g.now.v[K_TOTAL_REVENUE]);
		gold_free(&g);
		silver_free(&s);
		buf_free(&rows), buf_free(&err);
	}
}

/* The tutorial's worked example, SPEC §6, from the files as shipped beside the repository
 * (C360_TUTORIAL names another place); skipped where they are not. */
static void test_tutorial_worked_example(void **state)
{
	(void)state;
	Config cfg = test_config();
	const char *dir = getenv("C360_TUTORIAL");
	cfg.data_dir = dir && *dir ? dir : "../shared/data/tutorial";
	if (access(cfg.data_dir, R_OK) != 0) {
		print_message("the tutorial data is not at %s: its worked example is skipped\n", cfg.data_dir);
		skip();
	}
	Silver s;
	Gold g;
	Buf err = {0};
	CHECK(silver_load(&s, &cfg), "builds");
	CHECK(gold_build(&s, &g, &err), "gold");
	buf_free(&err);
	CHECK(s.as_of == date_days(2022, 7, 26), "as-of is the latest event");
	static const struct { int k; int64_t now, before; } want[] = {
		{K_VALID_ORDERS, 11, 3}, {K_TOTAL_CUSTOMERS, 11, 3}, {K_TOTAL_REVENUE, 203265, 37050},
		{K_AVERAGE_ORDER_VALUE, 18479, KPI_NULL}, {K_REPEAT_CUSTOMER_PCT, 0, KPI_NULL}, {K_OPEN_TICKETS, 6, KPI_NULL},
		{K_CHURN_RISK, 4, KPI_NULL}, {K_MOBILE_PCT, 5333, KPI_NULL}, {K_WEB_PCT, 4667, KPI_NULL},
	};
	for (size_t i = 0; i < N_ELEMS(want); i++) {
		CHECK(g.now.v[want[i].k] == want[i].now, "%s = %lld, want %lld", kpi_defs[want[i].k].id,
		      (long long)g.now.v[want[i].k], (long long)want[i].now);
		if (want[i].before != KPI_NULL)
			CHECK(g.week_before.v[want[i].k] == want[i].before, "%s a week earlier", kpi_defs[want[i].k].id);
	}
	static const char *const churned[] = {"1002", "1005", "1009", "1010"};
	for (size_t i = 0; i < N_ELEMS(churned); i++) {
		Customer *c = (Customer *)row_by_id(&s, SRC_CUSTOMERS, churned[i]);
		CHECK(c && g.c360[c - ROW(CUSTOMERS(&s), Customer, 0)].churn_risk, "%s at churn risk", churned[i]);
	}
	static const struct { const char *label; uint64_t n; int64_t share; } split[] = {
		{"Credit Card", 4, 3636}, {"Cash", 2, 1818}, {"Wallet", 2, 1818}, {"Net Banking", 1, 909},
		{"PayPal", 1, 909}, {"UPI", 1, 909},
	};
	CHECK(g.nsplit == N_ELEMS(split), "six methods");
	for (size_t i = 0; i < N_ELEMS(split); i++)
		CHECK(strcmp(dict_label(&s.src[SRC_PAYMENTS].dict[PA_METHOD], g.split[i].method), split[i].label) == 0 &&
		      g.split[i].count == split[i].n && g.split[i].share == split[i].share, "split row %zu", i);
	CHECK(strcmp(date_text(date_floor_day(row_by_id(&s, SRC_CUSTOMERS, "1002")->when)), "1988-06-12") == 0,
	      "Sara Khan's 12-06-1988 is day-first");
	done(&s, &g);
}

/* A KPI's week-over-week change, once for the cards and the edition: now less a week earlier,
 * unknown when either is or the difference does not fit. (Whether it is news: test_gold.) */
static void test_change(void **state)
{
	(void)state;
	static const struct {
		int k;
		int64_t now, before, change;
	} cases[] = {
		{K_TOTAL_REVENUE, 12050, 10000, 2050},
		{K_TOTAL_REVENUE, 10000, 12050, -2050},
		{K_OPEN_TICKETS, 3, 5, -2},
		{K_CHURN_RISK, 4, 4, 0},
		{K_REPEAT_CUSTOMER_PCT, 3333, 5000, -1667},
		{K_AVERAGE_ORDER_VALUE, KPI_NULL, 500, KPI_NULL},
		{K_AVERAGE_ORDER_VALUE, 500, KPI_NULL, KPI_NULL},
		{K_TOTAL_REVENUE, INT64_MAX, -2, KPI_NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		Gold g = {0};
		g.now.v[cases[i].k] = cases[i].now, g.week_before.v[cases[i].k] = cases[i].before;
		int64_t d = kpi_change(&g, cases[i].k);
		CHECK(d == cases[i].change, "case %zu: change %lld", i, (long long)d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_orders), cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_open_tickets_and_churn), cmocka_unit_test(test_week_before),
		cmocka_unit_test(test_payment_split), cmocka_unit_test(test_preferred_method_in_any_order),
		cmocka_unit_test(test_devices_by_week), cmocka_unit_test(test_facts_latest_first),
		cmocka_unit_test(test_segments), cmocka_unit_test(test_segment_edges), cmocka_unit_test(test_money_too_big),
		cmocka_unit_test(test_tutorial_worked_example), cmocka_unit_test(test_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
