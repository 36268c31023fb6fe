/* generate.c — deterministic synthetic exports with all the mess SPEC §5 cleans, at any scale. */
#include "c360.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- a small, fast, seedable generator (splitmix64) */

typedef struct {
	uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rng_below(Rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* True with probability per_mille / 1000. */
static bool chance(Rng *r, uint32_t per_mille)
{
	return rng_below(r, 1000) < per_mille;
}

#define PICK(r, arr) ((arr)[rng_below((r), sizeof(arr) / sizeof *(arr))])

/* ---- vocabulary */

static const char *const first_names[] = {
	"john", "sara", "tom", "anil", "priya", "amit", "meena", "rajesh", "sophie", "ali", "ravi", "anjali",
	"deepak", "neha", "karan", "maria", "josé", "zoë", "łukasz", "søren", "ana", "chloé", "mehmet",
	"olga", "wei", "yuki", "fatima", "noah", "emma", "liam", "anne-marie", "jean-luc", "mary", "björn",
};
static const char *const last_names[] = {
	"doe", "khan", "sharma", "patel", "kumari", "singh", "kumar", "garcía", "o'brien", "müller",
	"nowak", "smith", "jones", "dubois", "rossi", "silva", "nguyen", "kowalski", "mcdonald", "østergaard",
	"van der berg", "d'souza", "ivanova", "chen", "tanaka", "al-sayed", "fernández", "lópez",
};
static const char *const domains[] = {
	"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "inbox.com", "yahoo.co.in",
	"rediffmail.com", "example.org", "mail.co.uk",
};
static const char *const bad_emails[] = {
	"%s@gmail", "%s@@gmail.com", "%s@.com", "%s@gmail..com", "%s gmail.com", ".%s@yahoo.com", "%s@-x.com",
};
static const char *const genders[] = {"male", "MALE", "M", "m", "Male", "female", "F", "f", "Female", "woman",
				      "man", "non-binary", "NA", ""};
static const char *const cities[] = {
	"new york", "MUMBAI", "san francisco", "bangalore", "delhi", "surat", "chennai", "hyderabad", "lahore",
	"pune", "jaipur", "indore", "lucknow", "são paulo", "zürich", "kraków", "london", "paris", "berlin",
	"tokyo", "  new   delhi ", "los angeles", "n/a",
};
static const char *const order_statuses[] = {
	"Complete", "complete", "Completed", "delivered", "DELIVERED", "shipped", "Shipped", "in transit",
	"pending", "Pending", "processing", "on_hold", "Cancelled", "canceled", "failed", "returned", "refunded",
	"", "partially_shipped",
};
static const char *const methods[] = {
	"Credit Card", "creditcard", "credit card", "CC", "Debit Card", "debit", "UPI", "upi", "PayPal",
	"paypal", "Wallet", "e-wallet", "cash", "COD", "Cash on Delivery", "NetBanking", "bank transfer",
	"gift card", "not_defined", "crypto", "",
};
static const char *const pay_statuses[] = {
	"SUCCESS", "Success", "success", "successful", "paid", "captured", "Failed", "FAILED", "declined",
	"pending", "processing", "refunded", "", "chargeback",
};
static const char *const issues[] = {
	"Payment Issue", "delivery delay", "PAYMENT ISSUE", "login problem", "NA", "refund request",
	"Delivery Delay", "Product damaged", "login issue", "Support needed", "wrong item", "refund",
	"cancelled item", "Payment error", "account_locked",
};
static const char *const ticket_statuses[] = {
	"closed", "Closed", "CLOSED", "resolved", "Resolved", "solved", "open", "Open", "new", "reopened",
	"pending", "Pending", "waiting", "on hold", "in-progress", "", "escalated",
};
static const char *const pages[] = {
	"/Home", "/home", "/products/shoes", "/PRODUCTS/BAGS", "/cart", "/checkout", "/Products/Electronics",
	"/products/electronics", "home", "/search", "/account", "/help", "/offers", "/products/books",
};
static const char *const devices[] = {
	"android", "Android", "ANDROID", "iOS", "IOS", "iphone", "iPad", "Windows", "windows", "win",
	"macOS", "mac", "OSX", "linux", "Ubuntu", "ChromeOS", "smart tv", "", "playstation",
};

/* ---- formatting */

static void put_num(Buf *b, int64_t v, int width)
{
	char tmp[24];
	int n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) || n < width);
	while (n)
		buf_putc(b, tmp[--n]);
}

static void put_case(Rng *r, Buf *b, const char *s)
{
	int mode = (int)rng_below(r, 10);	/* 0-3 as is, 4-5 upper, 6-7 title, 8-9 lower */
	bool start = true;
	for (; *s; s++) {
		char c = *s;
		if ((mode == 4 || mode == 5 || (mode >= 6 && mode <= 7 && start)) && c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		else if (mode >= 8 && c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		start = c == ' ' || c == '-' || c == '\'';
		buf_putc(b, c);
	}
}

enum { DAY_FIRST, MONTH_FIRST };

/* A date in one of the accepted shapes; order decides A-B-YYYY shapes. */
static void put_date(Rng *r, Buf *b, int64_t day, int order)
{
	int y, m, d;
	date_civil(day, &y, &m, &d);
	static const char seps[] = "-/.";
	char sep = seps[rng_below(r, 3)];
	switch (rng_below(r, 5)) {
	case 0:
	case 1:
		put_num(b, y, 4), buf_putc(b, sep), put_num(b, m, 2), buf_putc(b, sep), put_num(b, d, 2);
		break;
	case 2:
		put_num(b, y, 4), put_num(b, m, 2), put_num(b, d, 2);
		break;
	default:
		put_num(b, order == DAY_FIRST ? d : m, 2), buf_putc(b, sep);
		put_num(b, order == DAY_FIRST ? m : d, 2), buf_putc(b, sep), put_num(b, y, 4);
	}
}

/* A date with the usual faults: null tokens, impossible days, two-digit years. */
static void put_messy_date(Rng *r, Buf *b, int64_t day, int order)
{
	uint32_t k = rng_below(r, 1000);
	if (k < 15)
		buf_puts(b, PICK(r, ((const char *const[]){"", "n/a", "NA", "null", "not available"})));
	else if (k < 19)
		buf_puts(b, PICK(r, ((const char *const[]){"2022-02-30", "31/04/2023", "2023-13-01"})));
	else if (k < 22) {
		int y, m, d;
		date_civil(day, &y, &m, &d);
		put_num(b, d, 2), buf_putc(b, '-'), put_num(b, m, 2), buf_putc(b, '-'), put_num(b, y % 100, 2);
	} else
		put_date(r, b, day, order);
}

static void put_grouped(Buf *b, int64_t units)
{
	if (units < 1000) {
		put_num(b, units, 1);
		return;
	}
	put_grouped(b, units / 1000);
	buf_putc(b, ',');
	put_num(b, units % 1000, 3);
}

static void put_amount(Rng *r, Buf *b, int64_t cents)
{
	uint32_t k = rng_below(r, 1000);
	if (k < 20) {
		buf_puts(b, PICK(r, ((const char *const[]){"", "NA", "null", "-"})));
		return;
	}
	if (k < 25) {
		buf_puts(b, PICK(r, ((const char *const[]){"abc", "12..50", "\"1,23.4\"", "$-", "1e3"})));
		return;
	}
	uint32_t style = rng_below(r, 6);
	bool grouped = style == 4 && cents >= 100000;
	if (grouped)
		buf_putc(b, '"');	/* a field with commas must be quoted */
	if (k < 35)
		buf_putc(b, '-');
	buf_puts(b, style == 1 ? "$" : style == 2 ? "USD " : style == 3 ? "\xe2\x82\xb9" : "");
	if (grouped)
		put_grouped(b, cents / 100);
	else
		put_num(b, cents / 100, 1);
	if (cents % 100 || rng_below(r, 2)) {
		buf_putc(b, '.');
		put_num(b, cents % 100, 2);
	}
	if (grouped)
		buf_putc(b, '"');
}

/* A customer id as the facts write it: mostly plain, sometimes as a float or padded. */
static void put_customer_id(Rng *r, Buf *b, uint64_t id)
{
	uint32_t k = rng_below(r, 1000);
	if (k < 15)
		buf_putc(b, ' ');
	put_num(b, (int64_t)id, 1);
	if (k >= 15 && k < 35)
		buf_puts(b, ".0");
}

/* ---- the five files */

typedef struct {
	const char *dir;
	uint64_t customers, seed;
	int64_t end;		/* the last day of data */
	Buf err;
	bool ok;
} Job;

typedef struct {
	OutFile f;
	bool open;
} Out;

static bool out_start(Job *j, Out *o, const char *name, const char *header)
{
	o->open = out_open(&o->f, j->dir, name, &j->err);
	if (o->open)
		buf_puts(&o->f.buf, header);
	return o->open;
}

static void out_end(Job *j, Out *o)
{
	if (o->open && !out_close(&o->f, &j->err))
		j->ok = false;
}

#define CUSTOMER_BASE 100000
#define ORPHAN_BASE 9000000

static void gen_customer(Rng *r, Buf *b, uint64_t id, int64_t end)
{
	const char *first = PICK(r, first_names), *last = PICK(r, last_names);
	uint32_t k = rng_below(r, 1000);
	if (k < 3)
		buf_puts(b, PICK(r, ((const char *const[]){"", "NA", " "})));	/* missing key */
	else
		put_customer_id(r, b, id);
	buf_putc(b, ',');
	k = rng_below(r, 1000);
	if (k < 10)
		buf_puts(b, "null");
	else if (k < 15)
		buf_printf(b, "\"%s, %s\"", last, first);
	else if (k < 17)
		buf_printf(b, "\"%s \"\"the boss\"\" %s\"", first, last);
	else {
		put_case(r, b, first);
		buf_puts(b, k < 60 ? "   " : " ");
		put_case(r, b, last);
	}
	buf_putc(b, ',');
	k = rng_below(r, 1000);
	Buf local = {0};
	for (const char *p = first; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || *p == '-')
			buf_putc(&local, *p);
	buf_printf(&local, ".%llu", (unsigned long long)(id % 1000));
	if (k < 20)
		buf_puts(b, PICK(r, ((const char *const[]){"", "n/a", "NULL"})));
	else if (k < 55)
		buf_printf(b, PICK(r, bad_emails), buf_cstr(&local));
	else {
		put_case(r, b, buf_cstr(&local));
		buf_putc(b, '@');
		put_case(r, b, PICK(r, domains));
	}
	buf_free(&local);
	buf_putc(b, ',');
	buf_puts(b, PICK(r, genders));
	buf_putc(b, ',');
	k = rng_below(r, 1000);
	int64_t dob = end - 365 * 18 - rng_below(r, 365 * 60);
	if (k < 3)
		dob = end + 400;	/* in the future */
	else if (k < 5)
		dob = date_days(1850 + (int)rng_below(r, 40), 1, 1);
	put_messy_date(r, b, dob, DAY_FIRST);
	buf_putc(b, ',');
	put_case(r, b, PICK(r, cities));
	buf_puts(b, "\r\n");
}

static const char *const customers_header = "\xef\xbb\xbf" "customer_id,name,EMAIL,gender,dob,location\r\n";

static void put_time(Rng *r, Buf *b, int64_t day)
{
	uint32_t secs = rng_below(r, SECS_PER_DAY), style = rng_below(r, 4);
	if (style == 3) {	/* day-first with a short time */
		put_date(r, b, day, DAY_FIRST);
		buf_putc(b, ' ');
		put_num(b, secs / 3600, 2), buf_putc(b, ':'), put_num(b, secs / 60 % 60, 2);
		return;
	}
	int y, m, d;
	date_civil(day, &y, &m, &d);
	put_num(b, y, 4), buf_putc(b, '-'), put_num(b, m, 2), buf_putc(b, '-'), put_num(b, d, 2);
	buf_putc(b, style == 1 ? 'T' : ' ');
	put_num(b, secs / 3600, 2), buf_putc(b, ':'), put_num(b, secs / 60 % 60, 2), buf_putc(b, ':');
	put_num(b, secs % 60, 2);
	if (style == 1)
		buf_puts(b, rng_below(r, 2) ? "Z" : "+05:30");
}

/* Sessions: the largest file, written by its own thread from its own random stream. */
static void *gen_sessions(void *arg)
{
	Job *j = arg;
	Rng r = {j->seed * 0x9e3779b97f4a7c15ull + 5};
	Out o;
	if (!out_start(j, &o, "web_activities.csv", " Session ID ,customer-id,page_viewed,session_time,Device-Type\n"))
		return NULL;
	uint64_t seq = 1;
	for (uint64_t c = 0; c < j->customers; c++) {
		uint32_t n = rng_below(&r, 55);
		uint64_t id = CUSTOMER_BASE + c;
		for (uint32_t k = 0; k < n; k++) {
			Buf *b = &o.f.buf;
			buf_putc(b, 'S');
			put_num(b, (int64_t)seq++, 8);
			buf_putc(b, ',');
			if (chance(&r, 3))
				put_customer_id(&r, b, ORPHAN_BASE + rng_below(&r, 1000));
			else if (!chance(&r, 2))
				put_customer_id(&r, b, id);
			buf_putc(b, ',');
			put_case(&r, b, PICK(&r, pages));
			buf_putc(b, ',');
			if (chance(&r, 10))
				buf_puts(b, "n/a");
			else
				put_time(&r, b, j->end - rng_below(&r, 730));
			buf_putc(b, ',');
			buf_puts(b, PICK(&r, devices));
			buf_putc(b, '\n');
			if (chance(&r, 2))	/* a re-sent session: same key again */
				buf_printf(b, "S%08llu,%llu,/home,2024-01-01 10:00:00,android\n",
					   (unsigned long long)seq - 1, (unsigned long long)id);
			out_flush_if_full(&o.f);
		}
	}
	out_end(j, &o);
	return NULL;
}

static void gen_order(Rng *r, Out *orders, Out *payments, uint64_t id, uint64_t oseq, uint64_t *pseq, int64_t end)
{
	Buf *b = &orders->f.buf;
	int64_t day = end - rng_below(r, 730);
	int64_t cents = 500 + rng_below(r, 200000);
	put_num(b, (int64_t)oseq, 7);
	buf_putc(b, ',');
	if (!chance(r, 2))
		put_customer_id(r, b, chance(r, 4) ? ORPHAN_BASE + rng_below(r, 1000) : id);
	buf_putc(b, ',');
	put_messy_date(r, b, day, DAY_FIRST);
	buf_putc(b, ',');
	put_amount(r, b, cents);
	buf_putc(b, ',');
	buf_puts(b, PICK(r, order_statuses));
	buf_putc(b, '\n');
	if (chance(r, 3))
		buf_putc(b, '\n');	/* a blank line */
	if (chance(r, 50))
		return;	/* never paid */
	b = &payments->f.buf;
	buf_putc(b, 'P');
	put_num(b, (int64_t)(*pseq)++, 8);
	buf_putc(b, ',');
	put_customer_id(r, b, id);
	buf_putc(b, ',');
	put_messy_date(r, b, day + rng_below(r, 3), MONTH_FIRST);	/* this export is American */
	buf_putc(b, ',');
	buf_puts(b, PICK(r, methods));
	buf_putc(b, ',');
	buf_puts(b, PICK(r, pay_statuses));
	buf_putc(b, ',');
	put_amount(r, b, cents);
	buf_putc(b, '\n');
}

static void gen_ticket(Rng *r, Out *tickets, uint64_t id, uint64_t tseq, int64_t end)
{
	Buf *b = &tickets->f.buf;
	buf_putc(b, 'T');
	put_num(b, (int64_t)tseq, 7);
	buf_putc(b, ',');
	put_customer_id(r, b, id);
	buf_putc(b, ',');
	if (chance(r, 5))
		buf_puts(b, "\"<script>alert(1)</script>, \"\"quoted\"\"\"");
	else
		buf_puts(b, PICK(r, issues));
	buf_putc(b, ',');
	put_messy_date(r, b, end - rng_below(r, 365), DAY_FIRST);
	if (!chance(r, 5)) {	/* else a row cut short: ragged */
		buf_putc(b, ',');
		buf_puts(b, PICK(r, ticket_statuses));
	}
	buf_putc(b, '\n');
}

static void *gen_core(void *arg)
{
	Job *j = arg;
	Rng r = {j->seed * 0x9e3779b97f4a7c15ull + 1};
	Out cu, or, pa, ti;
	bool ok = out_start(j, &cu, "customers.csv", customers_header) &&
		  out_start(j, &or, "orders.csv", "order_id,customer_id,order_date,amount,status\n") &&
		  out_start(j, &pa, "payments.csv", "payment_id,customer_id,payment_date,payment_method,payment_status,amount\n") &&
		  out_start(j, &ti, "support_tickets.csv", "ticket_id,customer_id,issue_type,ticket_date,resolution_status\n");
	if (!ok) {
		j->ok = false;
		return NULL;
	}
	uint64_t oseq = 1000001, pseq = 1, tseq = 1;
	for (uint64_t c = 0; c < j->customers; c++) {
		uint64_t id = CUSTOMER_BASE + c;
		gen_customer(&r, &cu.f.buf, id, j->end);
		if (chance(&r, 3))	/* the CRM exported this customer twice; the last row wins */
			gen_customer(&r, &cu.f.buf, id, j->end);
		uint32_t n = rng_below(&r, 9);
		for (uint32_t k = 0; k < n; k++)
			gen_order(&r, &or, &pa, id, oseq++, &pseq, j->end);
		if (chance(&r, 3))	/* an order id used twice */
			gen_order(&r, &or, &pa, id, oseq - 1, &pseq, j->end);
		while (chance(&r, 380))
			gen_ticket(&r, &ti, id, tseq++, j->end);
		out_flush_if_full(&cu.f), out_flush_if_full(&or.f), out_flush_if_full(&pa.f), out_flush_if_full(&ti.f);
	}
	out_end(j, &cu), out_end(j, &or), out_end(j, &pa), out_end(j, &ti);
	return NULL;
}

#define MARKER ".c360-data"	/* marks a folder generate wrote */

bool generate(const char *out, uint64_t customers, uint64_t seed, bool force, Buf *err)
{
	const char *ours[SRC_COUNT];
	for (int i = 0; i < SRC_COUNT; i++)
		ours[i] = source_defs[i].file;
	if (!out_claim(out, MARKER, ours, SRC_COUNT, force, err))
		return false;
	bool made = mkdir(out, 0777) == 0;
	if (!made && errno != EEXIST) {
		buf_printf(err, "c360: error: cannot create %s: %s\n", out, strerror(errno));
		return false;
	}
	Buf marker = {0};
	buf_puts(&marker, "c360 " C360_VERSION " generate\n");
	bool marked = out_write_file(out, MARKER, &marker, err);
	buf_free(&marker);
	if (!marked)
		return false;
	Job core = {.dir = out, .customers = customers, .seed = seed, .end = date_days(2024, 6, 30), .ok = true};
	Job sessions = core;
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, gen_sessions, &sessions) == 0;
	gen_core(&core);
	if (threaded)
		pthread_join(t, NULL);
	else
		gen_sessions(&sessions);
	buf_put(err, core.err.p, core.err.len);
	buf_put(err, sessions.err.p, sessions.err.len);
	bool ok = core.ok && sessions.ok && !core.err.len && !sessions.err.len;
	for (int i = 0; !ok && i <= SRC_COUNT; i++) {	/* no export cut short is left to be read as data */
		char *path = path_join(out, i < SRC_COUNT ? ours[i] : MARKER);
		unlink(path);
		free(path);
	}
	if (!ok && made)
		rmdir(out);
	buf_free(&core.err);
	buf_free(&sessions.err);
	return ok;
}
