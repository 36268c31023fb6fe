/* test_gold.c — the gold model: rounding, each customer's figures and the views every writer
 * reads, against their definitions, on data built for each. */
#include "harness.h"

#include <ctype.h>

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

/* customer_key: FNV-1a of the id modulo 999,999,999,999,999, plus one (the values by Python);
 * of two ids with one such number, the first in id order keeps it, the next takes the next;
 * a customer added before the others in id order changes none of their keys. */
static void test_customer_keys(void **state)
{
	(void)state;
	static const char *const crm[2] = {
		"customer_id,name,email,gender,dob,location\n1,a,,,,\ntgtczrfux,b,,,,\npcopbmiqz,c,,,,\n",
		"customer_id,name,email,gender,dob,location\n1,a,,,,\ntgtczrfux,b,,,,\npcopbmiqz,c,,,,\n0,d,,,,\n",
	};
	for (int round = 0; round < 3; round++) {
		Silver s;
		Gold g;
		Config cfg;
		const char *text[SRC_COUNT] = {round < 2 ? crm[round] : "customer_id,name,email,gender,dob,location\ntgtczrfux,b,,,,\n",
					       NULL, NULL, NULL, NULL};
		build(&s, &g, &cfg, text);
		if (round < 2) {
			CHECK(g.key[cust(&s, "1")] == 134423997500507ull, "1: %llu", (unsigned long long)g.key[cust(&s, "1")]);
			CHECK(g.key[cust(&s, "pcopbmiqz")] == 5975272615596ull && g.key[cust(&s, "tgtczrfux")] == 5975272615597ull,
			      "the clash: %llu %llu", (unsigned long long)g.key[cust(&s, "pcopbmiqz")],
			      (unsigned long long)g.key[cust(&s, "tgtczrfux")]);
		} else {
			CHECK(g.key[cust(&s, "tgtczrfux")] == 5975272615596ull, "alone: %llu",
			      (unsigned long long)g.key[cust(&s, "tgtczrfux")]);
		}
		done(&s, &g);
	}
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
	/* values whose range and the ranks take all 64 bits of a key, then one bit more (sorted as
	 * they are compared): 40 and 50 orders of 10^17 cents */
	for (int orders = 40; orders <= 50; orders += 10) {
		Buf o = {0};
		buf_puts(&o, ORDERS_HEAD "a,10,2022-07-01,5,complete\nc,2,2022-07-01,5,complete\nd,1,2022-07-01,-1,complete\n");
		for (int k = 0; k < orders; k++)
			buf_printf(&o, "b%d,9,2022-07-01,1000000000000000,complete\n", k);
		const char *big[SRC_COUNT] = {text[0], buf_cstr(&o), NULL, NULL, NULL};
		build(&s, &g, &cfg, big);
		CHECK(g.c360[cust(&s, "9")].lifetime_cents == orders * 100000000000000000, "customer 9's value");
		for (size_t i = 0; i < N_ELEMS(want); i++)
			CHECK(g.by_value[i] == cust(&s, want[i]), "%d orders: place %zu is %s", orders, i, want[i]);
		done(&s, &g);
		buf_free(&o);
	}
	/* a CRM in id order but for its last row (a CRM in order is not sorted again) */
	text[0] = "customer_id,name,email,gender,dob,location\n1,d,,,,\n2,c,,,,\n10,a,,,,\n9,b,,,,\n";
	build(&s, &g, &cfg, text);
	CHECK(g.order[2] == cust(&s, "9") && g.order[3] == cust(&s, "10") && g.rank[cust(&s, "9")] == 2,
	      "a CRM out of id order at its end is put in order");
	done(&s, &g);
	text[0] = "customer_id,name,email,gender,dob,location\n1,d,,,,\n2,c,,,,\n9,b,,,,\n10,a,,,,\n";
	build(&s, &g, &cfg, text);
	CHECK(g.order[0] == cust(&s, "1") && g.order[3] == cust(&s, "10") && g.rank[cust(&s, "10")] == 3,
	      "a CRM in id order keeps it");
	done(&s, &g);
	/* customers 3 and 7 inferred from orders (after the CRM's rows): merged into its order */
	text[0] = "customer_id,name,email,gender,dob,location\n1,d,,,,\n5,c,,,,\n9,b,,,,\n";
	text[1] = ORDERS_HEAD "a,7,2022-07-01,5,complete\nb,3,2022-07-01,7,complete\n";
	build(&s, &g, &cfg, text);
	static const char *const natural[] = {"1", "3", "5", "7", "9"};
	for (size_t i = 0; i < N_ELEMS(natural); i++)
		CHECK(g.order[i] == cust(&s, natural[i]) && g.rank[cust(&s, natural[i])] == i, "place %zu is %s", i, natural[i]);
	done(&s, &g);
}

/* The natural order of ids, as the rule says it: the two ids read as runs of digits and single
 * other bytes from the start; runs of digits compare by their value (leading zeros aside: the
 * longer run without them is the larger, else the digits), other bytes by their value; the
 * first that differ decides; an id that ends first is the less; ids equal so, by their bytes
 * (the shorter first where one starts the other). -1, 0, 1. */
static int natural_rule(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	while (i < an && j < bn) {
		if (isdigit((unsigned char)a[i]) && isdigit((unsigned char)b[j])) {
			size_t ei = i, ej = j;
			while (ei < an && isdigit((unsigned char)a[ei]))
				ei++;
			while (ej < bn && isdigit((unsigned char)b[ej]))
				ej++;
			size_t si = i, sj = j;	/* the run's first digit that is not a leading zero */
			while (si < ei && a[si] == '0')
				si++;
			while (sj < ej && b[sj] == '0')
				sj++;
			if (ei - si != ej - sj)
				return ei - si < ej - sj ? -1 : 1;
			for (size_t k = 0; k < ei - si; k++)
				if (a[si + k] != b[sj + k])
					return a[si + k] < b[sj + k] ? -1 : 1;
			i = ei, j = ej;
		} else if (a[i] != b[j]) {
			return (unsigned char)a[i] < (unsigned char)b[j] ? -1 : 1;
		} else {
			i++, j++;
		}
	}
	if (i < an || j < bn)
		return i < an ? 1 : -1;
	for (size_t k = 0; k < an && k < bn; k++)
		if (a[k] != b[k])
			return (unsigned char)a[k] < (unsigned char)b[k] ? -1 : 1;
	return (an > bn) - (an < bn);
}

/* id_compare (which skips the bytes both ids start with) against the rule, on ids that share
 * long starts and differ in digits, zeros, letters and lengths at every place. */
static void test_id_order(void **state)
{
	(void)state;
	static const char alphabet[] = "0000111999aZ-_.";
	uint64_t x = 42;
	char a[40], b[40];
	int fails = 0;
	for (int n = 0; n < 400000 && fails < 5; n++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		size_t an = (size_t)(x >> 59) % 24, bn;
		for (size_t k = 0; k < an; k++)
			a[k] = alphabet[(x >> (k % 48)) % (sizeof alphabet - 1)], x = x * 6364136223846793005u + 1;
		memcpy(b, a, an);	/* b: a with a few bytes changed, cut or added */
		bn = an;
		for (int edits = (int)(x >> 62); edits >= 0; edits--) {
			x = x * 6364136223846793005u + 1442695040888963407u;
			size_t at = bn ? (size_t)(x >> 40) % (bn + 1) : 0;
			char c = alphabet[(x >> 20) % (sizeof alphabet - 1)];
			if ((x >> 10) % 3 == 0 && bn < sizeof b - 1)
				memmove(b + at + 1, b + at, bn - at), b[at] = c, bn++;
			else if ((x >> 10) % 3 == 1 && at < bn)
				memmove(b + at, b + at + 1, bn - at - 1), bn--;
			else if (at < bn)
				b[at] = c;
		}
		int want = natural_rule(a, an, b, bn), got = id_compare(a, an, b, bn), back = id_compare(b, bn, a, an);
		if (got != want || back != -want) {
			fails++;
			CHECK(0, "\"%.*s\" vs \"%.*s\": %d, %d back, want %d", (int)an, a, (int)bn, b, got, back, want);
		}
	}
	CHECK(id_compare("C0009", 5, "C010", 4) < 0 && id_compare("x12y", 4, "x9yy", 4) > 0 &&
	      id_compare("007", 3, "7", 1) < 0 && id_compare("ab10", 4, "ab10", 4) == 0, "examples");
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

/* The lifecycle: the first dated event of each stage, what counts in it, and signup (the first
 * dated fact, counted in a stage or not). */
static void test_lifecycle(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		CUSTOMERS_CSV,
		ORDERS_HEAD "o1,1,2022-07-10,5,cancelled\no2,1,2022-07-12,5,complete\no3,1,,5,complete\n",
		PAYMENTS_HEAD "p1,1,2022-07-07,cash,failed,5\np2,1,2022-07-13,cash,paid,5\n",	/* p1 the first fact */
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
	CHECK(lc.seen == date_days(2022, 7, 7) * day, "signup: first seen, by any fact (a failed payment)");
	CHECK(lc.last[LC_BROWSE] == date_days(2022, 7, 11) * day + 9 * 3600 + 1800 && lc.last[LC_ORDER] == date_days(2022, 7, 12) * day &&
	      lc.last[LC_COMPLAINT] == lc.first[LC_COMPLAINT], "the latest of each stage");
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
	const char *three[SRC_COUNT] = {	/* each method's payments counted as its own */
		CUSTOMERS_CSV, ORDERS_HEAD, PAYMENTS_HEAD "p1,1,2022-07-01,upi,paid,1\np2,1,2022-07-02,wallet,paid,1\n"
		"p3,1,2022-07-03,wallet,paid,1\np4,2,2022-07-25,cash,paid,1\np5,2,2022-07-25,cash,paid,1\n"
		"p6,2,2022-07-04,wallet,paid,1\np7,2,2022-07-24,upi,paid,1\n", NULL, NULL,
	};
	build(&s, &g, &cfg, three);
	CHECK(g.now.v[K_TOP_METHOD_PCT] == 4286 && g.week_before.v[K_TOP_METHOD_PCT] == 7500,
	      "Wallet: 3 of 7, and 3 of 4 a week earlier: %lld %lld", (long long)g.now.v[K_TOP_METHOD_PCT],
	      (long long)g.week_before.v[K_TOP_METHOD_PCT]);
	done(&s, &g);
	const char *none[SRC_COUNT] = {CUSTOMERS_CSV, ORDERS_HEAD, NULL, NULL, NULL};
	build(&s, &g, &cfg, none);
	CHECK(g.now.v[K_TOP_METHOD_PCT] == KPI_NULL, "no payments: no share");
	done(&s, &g);
}

/* The KPIs week by week, as of 2022-05-10, 05-17, …, 07-19, 07-26 (snapshots 0 … 11), worked out
 * by hand: a fact counts from the first snapshot on or after its day; an undated one in all. */
static void test_kpi_series(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		CUSTOMERS_CSV,
		ORDERS_HEAD "a,1,2022-07-26,10,complete\nb,1,2022-07-20,20,complete\n"	/* snapshot 11 */
		"c,2,2022-07-19,30,complete\nd,2,2022-04-01,40,complete\n"	/* 10; before the first: 0 */
		"e,3,,50,complete\nf,3,2022-07-12,60,cancelled\ng,4,2022-07-27,70,complete\n",	/* 0; not valid; after A */
		PAYMENTS_HEAD "p1,1,2022-07-26,upi,paid,1\np2,2,2022-07-01,cash,paid,1\np3,2,2022-07-02,cash,paid,1\n"
		"p4,3,2022-07-10,upi,failed,1\n",
		TICKETS_HEAD "t1,1,x,2022-06-01,open\nt2,3,x,2022-07-25,closed\nt3,4,x,,pending\nt4,2,x,2022-05-01,closed\n",
		SESSIONS_HEAD "s1,1,/,2022-07-26 10:00,ios\ns2,2,/,2022-07-18 10:00,windows\ns3,3,/,,tv\n",
	};
	build(&s, &g, &cfg, text);
	/* Churn (W = 90): 4 always (an undated ticket, no valid order); 1 from its ticket (snapshot 4)
	 * until its orders of snapshot 11; 2's order of 04-01 keeps it active to 06-29 (snapshot 7),
	 * its order of 07-19 from snapshot 10; 3 from its ticket (11), its only order undated. */
	static const struct { int j; int64_t customers, aov, repeat, open, churn, revenue, orders, mobile, web, top; } want[] = {
		{0, 2, 4500, 0, 1, 1, 9000, 2, 0, 0, KPI_NULL},
		{3, 2, 4500, 0, 1, 1, 9000, 2, 0, 0, KPI_NULL},
		{4, 2, 4500, 0, 2, 2, 9000, 2, 0, 0, KPI_NULL},
		{7, 2, 4500, 0, 2, 2, 9000, 2, 0, 0, KPI_NULL},
		{8, 2, 4500, 0, 2, 3, 9000, 2, 0, 0, 10000},
		{9, 2, 4500, 0, 2, 3, 9000, 2, 0, 0, 10000},
		{10, 2, 4000, 5000, 2, 2, 12000, 3, 0, 5000, 10000},
		{11, 3, 3000, 6667, 2, 2, 15000, 5, 3333, 3333, 6667},
	};
	for (size_t i = 0; i < N_ELEMS(want); i++) {
		const Kpis *k = &g.series[want[i].j];
		int64_t got[] = {k->v[K_TOTAL_CUSTOMERS], k->v[K_AVERAGE_ORDER_VALUE], k->v[K_REPEAT_CUSTOMER_PCT],
				 k->v[K_OPEN_TICKETS], k->v[K_CHURN_RISK], k->v[K_TOTAL_REVENUE], k->v[K_VALID_ORDERS],
				 k->v[K_MOBILE_PCT], k->v[K_WEB_PCT], k->v[K_TOP_METHOD_PCT]};
		const int64_t *w = &want[i].customers;
		for (size_t f = 0; f < N_ELEMS(got); f++)
			CHECK(got[f] == w[f], "snapshot %d, figure %zu: %lld, want %lld", want[i].j, f, (long long)got[f],
			      (long long)w[f]);
		CHECK(k->v[K_KNOWN_CUSTOMERS] == 4, "snapshot %d: the CRM's customers", want[i].j);
	}
	CHECK(g.series[0].as_of == date_days(2022, 5, 10) && g.series[10].as_of == date_days(2022, 7, 19),
	      "a week apart, ending at A");
	CHECK(memcmp(&g.now, &g.series[SPARK_WEEKS - 1], sizeof g.now) == 0 &&
	      memcmp(&g.week_before, &g.series[SPARK_WEEKS - 2], sizeof g.now) == 0, "the KPIs are its last two weeks");
	done(&s, &g);
}

/* The change in % of the earlier value (shown but for percentages), and when it is news: beyond
 * the noise, good or bad by whether lower is better. */
static void test_kpi_trend(void **state)
{
	(void)state;
	static const struct { int k; int64_t now, before, pct; int direction, tone; } cases[] = {
		{K_TOTAL_REVENUE, 110000, 100000, 1000, 1, 1},
		{K_TOTAL_REVENUE, 100500, 100000, 50, 1, 0},	/* +0.5 %: noise */
		{K_TOTAL_REVENUE, 101000, 100000, 100, 1, 1},	/* +1 %: just news */
		{K_TOTAL_REVENUE, 99000, 100000, -100, -1, -1},
		{K_AVERAGE_ORDER_VALUE, 34063, 34066, -1, -1, 0},	/* −0.01 %: not red */
		{K_OPEN_TICKETS, 110, 100, 1000, 1, -1},	/* lower is better */
		{K_OPEN_TICKETS, 90, 100, -1000, -1, 1},
		{K_OPEN_TICKETS, 5, 0, KPI_NULL, 1, -1},	/* from nothing: news */
		{K_TOTAL_CUSTOMERS, 2, 3, -3333, -1, -1},
		{K_TOTAL_CUSTOMERS, 1, 3, -6667, -1, -1},
		{K_TOTAL_CUSTOMERS, 7, 7, 0, 0, 0},
		{K_REPEAT_CUSTOMER_PCT, KPI_NULL, 5000, KPI_NULL, 0, 0},
		{K_REPEAT_CUSTOMER_PCT, 5100, 5000, 200, 1, 1},	/* 50 % to 51 %: +2 % of it, news */
		{K_MOBILE_PCT, 5004, 5000, 8, 1, 0},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Gold g = {0};
		g.now.v[cases[i].k] = cases[i].now;
		g.week_before.v[cases[i].k] = cases[i].before;
		KpiTrend t = kpi_trend(&g, cases[i].k, 100);
		CHECK(kpi_change_rel(&g, cases[i].k) == cases[i].pct && t.direction == cases[i].direction &&
		      t.tone == cases[i].tone, "case %zu: %lld%%%%, direction %d, tone %d", i,
		      (long long)kpi_change_rel(&g, cases[i].k), t.direction, t.tone);
		/* shown: none for a percentage (its change is in points), else the same */
		bool pct = kpi_defs[cases[i].k].kind == KV_PCT;
		CHECK(kpi_change_pct(&g, cases[i].k) == (pct ? KPI_NULL : cases[i].pct), "case %zu: the change shown", i);
	}
}

/* The churn-risk list by lifetime value; the open-tickets list by open tickets, then value. */
static void test_customer_lists(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		CUSTOMERS_CSV,
		ORDERS_HEAD "a,2,2022-01-01,50,complete\nb,3,2022-01-01,80,complete\nc,4,2022-07-20,99,complete\n",
		NULL,
		TICKETS_HEAD "t1,1,x,2022-07-01,open\nt2,2,x,2022-07-01,open\nt3,2,x,2022-07-01,closed\n"
		"t4,3,x,2022-07-01,closed\nt5,4,x,2022-07-01,open\nt6,4,x,2022-07-02,pending\n",
		NULL,
	};
	build(&s, &g, &cfg, text);
	const char *churn[] = {"3", "2", "1"}, *open[] = {"4", "2", "1"};	/* 4 is active; 3 has nothing open */
	CHECK(g.nchurn == N_ELEMS(churn) && g.nopen == N_ELEMS(open), "%zu at risk, %zu with open tickets", g.nchurn,
	      g.nopen);
	for (size_t i = 0; i < g.nchurn && i < N_ELEMS(churn); i++)
		CHECK(g.churn_list[i] == cust(&s, churn[i]), "at risk %zu: %s", i, churn[i]);
	for (size_t i = 0; i < g.nopen && i < N_ELEMS(open); i++)
		CHECK(g.open_list[i] == cust(&s, open[i]), "open %zu: %s", i, open[i]);
	done(&s, &g);
}

/* A customer's activity: every source merged newest first, undated facts last; the last seen. */
static void test_activity(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {
		CUSTOMERS_CSV,
		ORDERS_HEAD "o1,1,2022-07-20,5,complete\no2,1,,5,complete\no3,1,2022-07-10,5,cancelled\no4,1,2022-07-27,5,complete\n",
		PAYMENTS_HEAD "p1,1,2022-07-20,cash,paid,5\n",
		TICKETS_HEAD "t1,1,x,,open\nt2,1,x,2022-07-15,open\n",
		SESSIONS_HEAD "s1,1,/,2022-07-20 10:00,ios\ns2,1,/,2022-07-09 08:00,ios\n",
	};
	build(&s, &g, &cfg, text);
	static const struct { SourceId src; const char *id; } want[] = {
		{SRC_SESSIONS, "s1"}, {SRC_ORDERS, "o1"}, {SRC_PAYMENTS, "p1"}, {SRC_TICKETS, "t2"},
		{SRC_ORDERS, "o3"}, {SRC_SESSIONS, "s2"}, {SRC_ORDERS, "o2"}, {SRC_TICKETS, "t1"},	/* o4 is after A */
	};
	Activity a[16];
	size_t n = gold_activity(&g, cust(&s, "1"), a, 16);
	CHECK(n == N_ELEMS(want), "%zu facts", n);
	for (size_t i = 0; i < n && i < N_ELEMS(want); i++) {
		const RowHead *h = ROW(g.src[a[i].src].table, RowHead, a[i].row);
		CHECK(a[i].src == want[i].src && h->idlen == strlen(want[i].id) && memcmp(h->id, want[i].id, h->idlen) == 0,
		      "fact %zu: %s", i, want[i].id);
	}
	CHECK(gold_activity(&g, cust(&s, "1"), a, 2) == 2 && a[1].src == SRC_ORDERS, "the newest two");
	CHECK(gold_last_seen(&g, cust(&s, "1")) == date_days(2022, 7, 20) * SECS_PER_DAY + 10 * 3600, "last seen");
	CHECK(gold_last_seen(&g, cust(&s, "2")) == MOMENT_NULL && gold_activity(&g, cust(&s, "2"), a, 16) == 0,
	      "nothing seen");
	done(&s, &g);
}

/* A fact is late when its day is after the as-of day: the test by the day's last moment agrees
 * with dividing the moment into days, at every edge and at the ends of the range. */
static void test_fact_is_late(void **state)
{
	(void)state;
	static const int64_t days[] = {0, -1, 1, 19199, -106751991167302, -106751991167301, -106751991167300,
				       106751991167299, 106751991167300, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1, INT64_MAX};
	for (size_t i = 0; i < N_ELEMS(days); i++) {
		int64_t as_of = days[i], edge = as_of > INT64_MAX / SECS_PER_DAY - 1 || as_of < INT64_MIN / SECS_PER_DAY + 1
							    ? 0 : (as_of + 1) * SECS_PER_DAY;
		const int64_t when[] = {MOMENT_NULL, INT64_MIN + 1, INT64_MAX, 0, edge - 1, edge, edge + 1,
					edge - SECS_PER_DAY, edge - SECS_PER_DAY - 1};
		for (size_t k = 0; k < N_ELEMS(when); k++) {
			RowHead h = {.when = when[k]};
			bool want = when[k] != MOMENT_NULL && date_floor_day(when[k]) > as_of;
			CHECK(fact_is_late(&h, as_of) == want, "as of %lld, moment %lld: late %d", (long long)as_of,
			      (long long)when[k], want);
		}
	}
}

/* Facts before 1970 (negative moments) late in their day: the first day and the device weeks
 * start at the floor of the first moment, the weeks end at the last moment's, a late fact in none. */
static void test_first_days(void **state)
{
	(void)state;
	Silver s;
	Gold g;
	Config cfg;
	const char *text[SRC_COUNT] = {CUSTOMERS_CSV, NULL, NULL, NULL,
				       SESSIONS_HEAD "s1,1,/,1969-12-28 23:00,ios\ns2,1,/,1969-12-21 23:00,ios\n"
						     "s3,2,/,2022-07-27 10:00,ios\n"};
	build(&s, &g, &cfg, text);
	CHECK(g.first_day == date_days(1969, 12, 21), "first day %lld", (long long)g.first_day);
	CHECK(g.nweeks == 3, "%zu weeks", g.nweeks);
	CHECK(g.nweeks == 3 && g.weeks[1].days == date_days(1969, 12, 15) && g.weeks[2].days == date_days(1969, 12, 22),
	      "the weeks of Sundays' evenings");
	CHECK(g.nweeks == 3 && g.weeks[0].n[CH_MOBILE] == 2 && g.weeks[1].n[CH_MOBILE] == 1 && g.weeks[2].n[CH_MOBILE] == 1,
	      "a session in each");
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
		for (int j = 0; d->card && j < k; j++)
			CHECK(d->card != kpi_defs[j].card, "%s: one card a place", d->id);
		cards += d->card > 0;
	}
	CHECK(cards == 8, "eight cards");
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

/* fact_sessions.csv as gold_write writes it for these customers and sessions into *csv; *s
 * and *g stay built (done() frees them). */
static void fact_sessions_csv(Silver *s, Gold *g, const char *customers, const char *sessions, Buf *csv)
{
	Config cfg;
	const char *text[SRC_COUNT] = {customers, NULL, NULL, NULL, sessions};
	build(s, g, &cfg, text);
	char dir[] = "/tmp/c360-facts-XXXXXX";
	CHECK(mkdtemp(dir), "temp dir");
	Buf b = {0}, err = {0};
	CHECK(gold_write(g, &cfg, dir, &err), "gold_write: %s", buf_cstr(&err));
	buf_printf(&b, "%s/gold/fact_sessions.csv", dir);
	CHECK(file_read(buf_cstr(&b), csv, &err), "read: %s", buf_cstr(&err));
	b.len = 0;
	buf_printf(&b, "rm -rf '%s'", dir);
	CHECK(system(buf_cstr(&b)) == 0, "clean up");
	buf_free(&b), buf_free(&err);
}

/* The fact tables' first columns and line: a customer_key repeated and changed, lines counted
 * up across 9, 99 and 999 and jumping over late facts, ids quoted or not around 8-byte steps;
 * each row against its values formatted by printf. */
static void test_fact_rows(void **state)
{
	(void)state;
	enum { N = 1150 };
	Buf in = {0};
	buf_puts(&in, SESSIONS_HEAD);
	for (int i = 0; i < N; i++) {
		if (i % 50 == 7)
			buf_printf(&in, "\"longid,number%d\"", i);
		else if (i % 50 == 8)
			buf_printf(&in, "long id number %d", i);
		else
			buf_printf(&in, "s%d", i);
		buf_printf(&in, ",%d,/home,%s,desktop\n", i / 3 % 4 + 1, i % 37 == 5 ? "2022-08-01 10:00" : "2022-07-01 10:00");
	}
	Silver s;
	Gold g;
	Buf want = {0}, csv = {0};
	fact_sessions_csv(&s, &g, CUSTOMERS_CSV, buf_cstr(&in), &csv);
	const char *row = strchr(buf_cstr(&csv), '\n') + 1;
	int rows = 0;
	for (int i = 0; i < N; i++) {
		if (i % 37 == 5)
			continue;	/* after the as-of date: in no fact table */
		char id[32];
		snprintf(id, sizeof id, i % 50 == 7 ? "\"longid,number%d\"" : i % 50 == 8 ? "long id number %d" : "s%d", i);
		/* customer_key: FNV-1a of "1" to "4" modulo 999,999,999,999,999, plus one (by Python) */
		static const char *const key[4] = {"134423997500507", "137722532385140", "136623020756929", "131125462615874"};
		want.len = 0;
		buf_printf(&want, "%s,%s,20220701,2022-07-01 10:00:00,", id, key[i / 3 % 4]);
		const char *end = strchr(row, '\n');
		CHECK(end && strncmp(row, want.p, want.len) == 0, "row %d: %.*s, want %s...", i, (int)(end - row), row, want.p);
		const char *flags = end;	/* the line is the last cell but one, before the flags */
		while (flags > row && flags[-1] != ',')
			flags--;
		const char *line = flags - 1;
		while (line > row && line[-1] != ',')
			line--;
		want.len = 0;
		buf_printf(&want, "%d,", i + 2);
		CHECK((size_t)(flags - line) == want.len && strncmp(line, want.p, want.len) == 0, "row %d: %.*s, want line %d", i,
		      (int)(end - row), row, i + 2);
		row = end + 1, rows++;
	}
	CHECK(!*row && rows == N - 31, "%d rows, then %s", rows, row);
	buf_free(&want), buf_free(&csv), buf_free(&in);
	done(&s, &g);
}

/* An id as a CSV field: quoted, its quotes doubled, when it holds , " LF or CR. */
static void csv_id(Buf *b, const char *id)
{
	if (!strpbrk(id, ",\"\n\r")) {
		buf_puts(b, id);
		return;
	}
	buf_putc(b, '"');
	for (const char *c = id; *c; c++)
		buf_puts(b, *c == '"' ? "\"\"" : (char[2]){*c, 0});
	buf_putc(b, '"');
}

/* Ids of 1 to 20 bytes with a comma or a quote first, in the middle, last or nowhere (the
 * short ids' fast path reads their first and last 4 or 8 bytes): each quoted as csv_field
 * quotes it in fact_sessions.csv. */
static void test_fact_ids_quoted(void **state)
{
	(void)state;
	Buf in = {0}, want = {0};
	buf_puts(&in, SESSIONS_HEAD);
	buf_puts(&want, "session_id,customer_key,date_key,session_time,page_viewed,device_type,channel,source_line,flags\n");
	const char marks[] = {0, ',', '"'};
	int line = 2;
	for (int n = 1; n <= 20; n++)
		for (int m = 0; m < 3; m++)
			for (int at = 0, was = -1; at < (m ? 3 : 1); at++) {
				int place = at == 0 ? 0 : at == 1 ? n / 2 : n - 1;
				if (place == was)
					continue;	/* the same id again: a short one */
				was = place;
				char id[24];
				memset(id, 'a' + line % 26, (size_t)n);
				id[n] = 0;
				if (m)
					id[place] = marks[m];
				csv_id(&in, id);	/* the input quotes it the same way */
				buf_puts(&in, ",1,/home,2022-07-01 10:00,desktop\n");
				csv_id(&want, id);
				buf_printf(&want, ",134423997500507,20220701,2022-07-01 10:00:00,/home,Desktop,Other,%d,unknown_category\n",
					   line++);	/* customer 1's key */
			}
	Silver s;
	Gold g;
	Buf csv = {0};
	fact_sessions_csv(&s, &g, "customer_id,name,email,gender,dob,location\n1,a,,,,\n", buf_cstr(&in), &csv);
	CHECK(strcmp(buf_cstr(&csv), buf_cstr(&want)) == 0, "fact_sessions.csv:\n%s\nwant:\n%s", buf_cstr(&csv),
	      buf_cstr(&want));
	buf_free(&want), buf_free(&csv), buf_free(&in);
	done(&s, &g);
}

/* data_quality.csv written by hand (another engine's gold): a source's status without a
 * detail (the file) is read as its file, (none) for none; it was a NULL that crashed render. */
static void test_status_without_file(void **state)
{
	(void)state;
	Silver s;
	Gold g, back;
	Config cfg;
	const char *text[SRC_COUNT] = {CUSTOMERS_CSV, ORDERS_HEAD "o1,1,2022-07-01,5,complete\n"};
	build(&s, &g, &cfg, text);
	char dir[] = "/tmp/c360-dq-XXXXXX";
	CHECK(mkdtemp(dir), "temp dir");
	Buf b = {0}, err = {0}, csv = {0}, out = {0};
	CHECK(gold_write(&g, &cfg, dir, &err), "gold_write: %s", buf_cstr(&err));
	buf_printf(&b, "%s/gold/data_quality.csv", dir);
	CHECK(file_read(buf_cstr(&b), &csv, &err), "read: %s", buf_cstr(&err));
	FILE *f = fopen(buf_cstr(&b), "w");
	for (const char *p = buf_cstr(&csv), *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (strncmp(p, "payments,status,", 16) == 0)
			fputs("payments,status,,none,\n", f);
		else if (strncmp(p, "support_tickets,status,", 23) == 0)
			fputs("support_tickets,status,,missing,\n", f);
		else
			fwrite(p, 1, (size_t)(nl - p) + 1, f);
	}
	fclose(f);
	b.len = 0;
	buf_printf(&b, "%s/gold", dir);
	CHECK(gold_read(buf_cstr(&b), &back, &err, &cfg), "gold_read: %s", buf_cstr(&err));
	CHECK(back.quality[SRC_PAYMENTS].status == STATUS_NONE && back.quality[SRC_PAYMENTS].file &&
	      strcmp(back.quality[SRC_PAYMENTS].file, NO_FILE) == 0, "none, its file: %s",
	      back.quality[SRC_PAYMENTS].file ? back.quality[SRC_PAYMENTS].file : "NULL");
	CHECK(back.quality[SRC_TICKETS].status == STATUS_MISSING && back.quality[SRC_TICKETS].file &&
	      strcmp(back.quality[SRC_TICKETS].file, "support_tickets.csv") == 0, "missing, its file: %s",
	      back.quality[SRC_TICKETS].file ? back.quality[SRC_TICKETS].file : "NULL");
	quality_table(&out, back.quality, back.tables, back.ntables);	/* as render writes it again */
	CHECK(strstr(buf_cstr(&out), "payments,status,,none,(none)\n") &&
	      strstr(buf_cstr(&out), "support_tickets,status,,missing,support_tickets.csv\n"), "%s", buf_cstr(&out));
	gold_free(&back);
	b.len = 0;
	buf_printf(&b, "rm -rf '%s'", dir);
	CHECK(system(buf_cstr(&b)) == 0, "clean up");
	buf_free(&b), buf_free(&err), buf_free(&csv), buf_free(&out);
	done(&s, &g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio_rounds_half_up), cmocka_unit_test(test_customer_figures),
		cmocka_unit_test(test_value_ranking), cmocka_unit_test(test_customer_keys), cmocka_unit_test(test_segment_sizes),
		cmocka_unit_test(test_weekly_series), cmocka_unit_test(test_ticket_counts),
		cmocka_unit_test(test_lifecycle), cmocka_unit_test(test_top_method_share),
		cmocka_unit_test(test_definition_tables), cmocka_unit_test(test_kpi_series),
		cmocka_unit_test(test_kpi_trend), cmocka_unit_test(test_customer_lists), cmocka_unit_test(test_activity),
		cmocka_unit_test(test_fact_rows), cmocka_unit_test(test_fact_ids_quoted), cmocka_unit_test(test_fact_is_late),
		cmocka_unit_test(test_first_days), cmocka_unit_test(test_id_order), cmocka_unit_test(test_status_without_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
