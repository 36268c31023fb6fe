/* kpi.c — the data stage: the gold figures of SPEC §6 from silver (KPIs, payment and device
 * splits, each customer's 360°), with the rules they share. */
#include "c360.h"

#include <stdlib.h>

bool order_is_valid(const Order *o)
{
	return o->cents != AMOUNT_NULL && o->cents >= 0 && o->status != OS_CANCELLED && o->status != OS_FAILED &&
	       o->status != OS_RETURNED;
}

bool payment_succeeded(const Payment *p)
{
	return p->status == PS_SUCCESS;
}

bool ticket_is_open(const Ticket *t)
{
	return t->status != TS_RESOLVED && t->status != TS_CLOSED;
}

int64_t kpi_ratio(int64_t num, int64_t den)
{
	if (!den)
		return KPI_NULL;
	__int128 n = (__int128)num * 2, d = (__int128)den * 2;
	return (int64_t)(n >= 0 ? (n + den) / d : (n - den) / d);
}

int64_t kpi_pct(uint64_t part, uint64_t whole)
{
	return kpi_ratio((int64_t)part * 10000, (int64_t)whole);
}

/* ---- money: sums are exact; one that a 64-bit count of cents cannot hold stops the build */

/* Whether a row's amount is in the money sums: valid orders, successful payments of 0 or more. */
static bool adds_money(SourceId id, const RowHead *h, int64_t after)	/* date_last_moment(as of) */
{
	if (fact_after(h, after))
		return false;
	if (id == SRC_ORDERS)
		return order_is_valid((const Order *)h);
	const Payment *p = (const Payment *)h;
	return payment_succeeded(p) && p->cents != AMOUNT_NULL && p->cents >= 0;
}

/* Reports a sum too big to hold, naming the source and the lines of the rows it added up:
 * those of one customer (or UINT32_MAX: all), of one payment method (or UINT32_MAX: all); a
 * [sql] source's rows by their files where known (ROW_FILE), the first and last in files' order. */
static bool money_error(const Silver *s, SourceId id, int64_t as_of, uint32_t customer, uint32_t method,
			const char *what, Buf *err)
{
	const Table *t = &s->src[id].table;
	uint64_t first = UINT64_MAX, last = 0;	/* a row's file << 32 | its line */
	int64_t after = date_last_moment(as_of);
	for (size_t i = 0; i < t->n; i++) {
		const RowHead *h = ROW(t, RowHead, i);
		if (!adds_money(id, h, after) || (customer != UINT32_MAX && h->customer != customer) ||
		    (method != UINT32_MAX && ((const Payment *)h)->method != method))
			continue;
		uint64_t at = (uint64_t)(s->paths ? ROW_FILE(h) : 0) << 32 | h->line;
		first = at < first ? at : first;
		last = at > last ? at : last;
	}
	if (err->len)
		return false;
	uint32_t f = (uint32_t)(first >> 32), l = (uint32_t)(last >> 32);
	const char *name = f ? s->paths[f - 1] : s->src[id].diags.file;
	buf_printf(err, "%s:%u: error: %s: ", name, (uint32_t)first, what);
	if (f == l)
		buf_printf(err, "the amounts on lines %u to %u", (uint32_t)first, (uint32_t)last);
	else	/* rows of several files: lines of one say nothing of the other */
		buf_printf(err, "the amounts from line %u of %s to line %u of %s", (uint32_t)first, name, (uint32_t)last,
			   l ? s->paths[l - 1] : s->src[id].diags.file);
	buf_puts(err, " add up to more than 92,233,720,368,547,758.07, the most c360 can count; nothing was written\n");
	return false;
}

/* Adds cents to *sum; false (and *sum unchanged) when the result would not fit. */
static bool money_add(int64_t *sum, int64_t cents)
{
	return !__builtin_add_overflow(*sum, cents, sum);
}

/* ---- payment mode split */

static int split_cmp(const void *a, const void *b, void *ctx)
{
	const PaymentSplit *x = a, *y = b;
	const Dict *methods = ctx;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(dict_label(methods, x->method), dict_label(methods, y->method));
}

void payment_split_sort(PaymentSplit *split, size_t n, const Dict *methods)
{
	if (n > 1)	/* none: split may be NULL, which qsort_r may not be given */
		qsort_r(split, n, sizeof *split, split_cmp, (void *)methods);
}

/* Successful payments per method as of a day, most first, and how many methods; false after
 * reporting a sum too big to hold. */
static bool payment_split(const Silver *s, int64_t as_of, PaymentSplit **out, size_t *count, Buf *err)
{
	const Source *src = &s->src[SRC_PAYMENTS];
	const Dict *methods = &src->dict[PA_METHOD];
	PaymentSplit *all = xcalloc(methods->n + 1, sizeof *all);
	*out = all;
	*count = 0;
	uint64_t total = 0;
	int64_t after = date_last_moment(as_of);
	for (size_t i = 0; i < src->table.n; i++) {
		const Payment *p = ROW(&src->table, Payment, i);
		if (fact_after(&p->h, after) || !payment_succeeded(p))
			continue;
		all[p->method].count++;
		total++;
		if (adds_money(SRC_PAYMENTS, &p->h, after) && !money_add(&all[p->method].cents, p->cents))
			return money_error(s, SRC_PAYMENTS, as_of, UINT32_MAX, p->method, "successful payments of a method", err);
	}
	size_t n = 0;
	for (uint32_t m = 0; m < methods->n; m++) {
		if (!all[m].count)
			continue;
		all[n] = all[m];
		all[n].method = m;
		all[n++].share = kpi_pct(all[m].count, total);
	}
	payment_split_sort(all, n, methods);
	*count = n;
	return true;
}

/* ---- what the sessions give the views as of A: the first dated one, the device preference
 * (all time, then every ISO week from the first to the last), the sessions by the first KPI
 * snapshot they count in (kpi_series) and each customer's sessions per channel. Sessions are
 * most of the facts and a rebuild seldom changes them: they are kept in the site's cache under
 * the sessions' rows key (the same rows, customers and as-of date: the same views). */

static int snapshot_at(int64_t as_of, const RowHead *h);

static void session_views(const Gold *g, SessionViews *v)
{
	const Table *t = g->src[SRC_SESSIONS].table;
	int64_t lo = MOMENT_NULL, hi = MOMENT_NULL;	/* the first and last moments, then their Mondays */
	int64_t after = date_last_moment(g->as_of);
	for (size_t i = 0; i < t->n; i++) {
		const RowHead *h = &ROW(t, Session, i)->h;
		if (fact_after(h, after) || h->when == MOMENT_NULL)
			continue;
		if (lo == MOMENT_NULL || h->when < lo)
			lo = h->when;
		if (hi == MOMENT_NULL || h->when > hi)
			hi = h->when;
	}
	v->first = lo;
	if (lo != MOMENT_NULL) {	/* the days of the extreme moments: the extreme days */
		lo = date_floor_day(lo), hi = date_floor_day(hi);
		lo = date_monday(lo), hi = date_monday(hi);
	}
	size_t nweeks = lo == MOMENT_NULL ? 0 : (size_t)((hi - lo) / 7 + 1);
	WeekChannels *w = v->weeks = xcalloc(nweeks + 1, sizeof *w);
	v->nweeks = nweeks + 1;
	w[0].days = MOMENT_NULL;
	for (size_t k = 0; k < nweeks; k++)
		w[k + 1].days = lo + 7 * (int64_t)k;
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	uint32_t(*of)[CH_COUNT] = v->of = xcalloc(nc + 1, sizeof *of);
	memset(v->snap, 0, sizeof v->snap);
	for (size_t i = 0; i < t->n; i++) {
		const Session *se = ROW(t, Session, i);
		if (fact_after(&se->h, after))
			continue;
		int64_t day = fact_day(&se->h);
		int ch = device_channel(se->device), j = snapshot_at(g->as_of, &se->h);
		w[0].n[ch]++;
		if (day != MOMENT_NULL)
			w[(day - lo) / 7 + 1].n[ch]++;	/* lo is a Monday, day not before it */
		of[se->h.customer][ch]++;
		if (j >= 0)
			v->snap[j][ch]++;
	}
}

/* A week's shares of its sessions. */
static void week_shares(WeekChannels *w, size_t n)
{
	for (size_t k = 0; k < n; k++)
		for (int ch = 0; ch < CH_COUNT; ch++)
			w[k].share[ch] = kpi_pct(w[k].n[ch], w[k].n[CH_MOBILE] + w[k].n[CH_WEB] + w[k].n[CH_OTHER]);
}

/* .c360-cache/views-web_activities: a head, the weeks' Mondays and counts, each customer's
 * counts, and the sum of the bytes before it (silver_cache.c's keyed files). */
typedef struct {
	int64_t first;
	uint64_t nweeks;
	uint64_t snap[SPARK_WEEKS][CH_COUNT];
} SessionHead;
_Static_assert(sizeof(SessionHead) == 16 + SPARK_WEEKS * CH_COUNT * 8, "SessionHead has padding");


/* The most weeks a first and a last session cleaning can date span, the all-time row and one
 * for the rounding. */
#define WEEKS_MOST ((47849 + 25569) / 7 + 3)

bool session_views_load(const char *site, FileHash key, size_t nc, SessionViews *v)
{
	SessionHead h;
	size_t len, fixed = sizeof h + nc * sizeof *v->of;
	char *p = keyed_cache_load(site, SRC_SESSIONS, "views-", VIEWS_MAGIC, VIEWS_VERSION, key, nc,
				   fixed + WEEKS_MOST * (sizeof(int64_t) + sizeof v->weeks->n), &len);
	bool ok = p && len >= fixed && (len - fixed) % (sizeof(int64_t) + sizeof v->weeks->n) == 0;
	if (ok)
		memcpy(&h, p, sizeof h);
	ok = ok && h.nweeks == (len - fixed) / (sizeof(int64_t) + sizeof v->weeks->n) && h.nweeks >= 1 &&
	     cache_moment_ok(h.first);
	const char *at = ok ? p + sizeof h : NULL;
	int64_t lo = MOMENT_NULL;
	if (ok && h.first != MOMENT_NULL) {
		lo = date_floor_day(h.first);
		lo = date_monday(lo);
	}
	WeekChannels *w = ok ? xcalloc(h.nweeks, sizeof *w) : NULL;
	for (size_t k = 0; ok && k < h.nweeks; k++, at += sizeof(int64_t) + sizeof w->n) {
		memcpy(&w[k].days, at, sizeof w[k].days);
		memcpy(w[k].n, at + sizeof w[k].days, sizeof w[k].n);
		ok = k ? lo != MOMENT_NULL && w[k].days == lo + 7 * (int64_t)(k - 1) : w[k].days == MOMENT_NULL;
	}
	ok = ok && (h.nweeks == 1) == (h.first == MOMENT_NULL);
	if (!ok) {
		free(w), free(p);
		return false;
	}
	v->first = h.first;
	memcpy(v->snap, h.snap, sizeof v->snap);
	v->weeks = w, v->nweeks = h.nweeks;
	v->of = xmalloc((nc + 1) * sizeof *v->of);
	memcpy(v->of, at, nc * sizeof *v->of);
	free(p);
	return true;
}

static void session_views_save(const char *staging, FileHash key, size_t nc, const SessionViews *v)
{
	SessionHead h = {v->first, v->nweeks, {{0}}};
	memcpy(h.snap, v->snap, sizeof h.snap);
	Buf b = {0};
	buf_put(&b, &h, sizeof h);
	for (size_t k = 0; k < v->nweeks; k++) {
		buf_put(&b, &v->weeks[k].days, sizeof v->weeks[k].days);
		buf_put(&b, v->weeks[k].n, sizeof v->weeks[k].n);
	}
	keyed_cache_save(staging, SRC_SESSIONS, "views-", VIEWS_MAGIC, VIEWS_VERSION, key, nc, b.p, b.len, v->of,
			 nc * sizeof *v->of);
	buf_free(&b);
}

/* The sessions' views of g: the previous site's (its cache's) when their rows key is this
 * build's, else made. */
static void sessions_of(Gold *g, const char *site)
{
	SessionViews *v = &g->sessions;
	FileHash key = g->rows_key[SRC_SESSIONS];
	v->kept = (key.lo | key.hi) && session_views_load(site, key, g->src[SRC_CUSTOMERS].table->n, v);
	if (!v->kept)
		session_views(g, v);
	week_shares(v->weeks, v->nweeks);
}

void session_views_keep(const Gold *g, const char *site, const char *staging)
{
	FileHash key = g->rows_key[SRC_SESSIONS];
	if (!(key.lo | key.hi) || !g->sessions.of)
		return;
	if (g->sessions.kept)
		keyed_cache_keep(site, staging, SRC_SESSIONS, "views-");
	else
		session_views_save(staging, key, g->src[SRC_CUSTOMERS].table->n, &g->sessions);
}

/* ---- customer 360 */

static int segment_of(const Customer360 *c, int64_t as_of, int window)
{
	if (!c->valid_orders)
		return SEG_PROSPECTS;
	if (c->last_order == MOMENT_NULL)
		return SEG_AT_RISK;	/* only undated valid orders: no recency to go by */
	/* windows as active's, (A - days, A]: an order W days before A is out of the churn window, so a
	 * customer at churn risk is never New or Loyal (helper 128: R <= W made one both) */
	int64_t r = as_of - c->last_order;
	if (r < 30 && c->valid_orders >= 3)
		return SEG_CHAMPIONS;
	if (r < window)
		return c->valid_orders >= 2 ? SEG_LOYAL : SEG_NEW;
	return r < 2 * (int64_t)window ? SEG_AT_RISK : SEG_LOST;
}

/* The method with most successful payments per customer; ties go to the lower label. */
static void preferred_methods(const Gold *g, Customer360 *cc)
{
	const Table *t = g->src[SRC_PAYMENTS].table;
	const Dict *label = &g->src[SRC_PAYMENTS].dict[PA_METHOD];
	uint64_t *pairs = xmalloc((t->n + 1) * sizeof *pairs);
	uint32_t *best = xcalloc(g->src[SRC_CUSTOMERS].table->n + 1, sizeof *best);
	size_t n = 0;
	int64_t after = date_last_moment(g->as_of);
	for (size_t i = 0; i < t->n; i++) {
		const Payment *p = ROW(t, Payment, i);
		if (!fact_after(&p->h, after) && payment_succeeded(p))
			pairs[n++] = (uint64_t)p->h.customer << 32 | p->method;
	}
	radix_sort_u64(pairs, n, 64, 0);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && pairs[j] == pairs[i]; j++)
			;
		uint32_t cust = (uint32_t)(pairs[i] >> 32), m = (uint32_t)pairs[i], count = (uint32_t)(j - i);
		Customer360 *c = &cc[cust];
		if (count > best[cust] ||
		    (count == best[cust] && strcmp(dict_label(label, m), dict_label(label, c->preferred_method)) < 0)) {
			c->preferred_method = m;
			best[cust] = count;
		}
	}
	free(best);
	free(pairs);
}

/* The payments_* column a payment status counts in: Unknown and labels no rule knows are other. */
static int pay_column(uint32_t status)
{
	static const int column[] = {[PS_SUCCESS] = PAY_SUCCESS, [PS_FAILED] = PAY_FAILED, [PS_PENDING] = PAY_PENDING,
				     [PS_REFUNDED] = PAY_REFUNDED};
	return status < PS_UNKNOWN ? column[status] : PAY_OTHER;
}

/* Each customer's facts as of A, added up (the facts after it left out); false when a
 * customer's lifetime value is too big to hold (*over: whose). */
static bool customer_facts(const Gold *g, Customer360 *cc, const uint32_t (*sessions)[CH_COUNT], uint32_t *over)
{
	int64_t as_of = g->as_of, window = g->churn_window_days, after = date_last_moment(as_of);
	const Table *t = g->src[SRC_ORDERS].table;
	for (size_t i = 0; i < t->n; i++) {
		const Order *o = ROW(t, Order, i);
		if (!adds_money(SRC_ORDERS, &o->h, after))
			continue;
		int64_t day = fact_day(&o->h);
		Customer360 *c = &cc[o->h.customer];
		c->valid_orders++;
		if (!money_add(&c->lifetime_cents, o->cents))
			return *over = o->h.customer, false;
		if (day == MOMENT_NULL)
			continue;
		if (c->first_order == MOMENT_NULL || day < c->first_order)
			c->first_order = day;
		if (c->last_order == MOMENT_NULL || day > c->last_order)
			c->last_order = day;
		c->active |= day > as_of - window;
	}
	t = g->src[SRC_PAYMENTS].table;
	for (size_t i = 0; i < t->n; i++) {
		const Payment *p = ROW(t, Payment, i);
		if (!fact_after(&p->h, after))
			cc[p->h.customer].pay_by_status[pay_column(p->status)]++;
	}
	t = g->src[SRC_TICKETS].table;
	for (size_t i = 0; i < t->n; i++) {
		const Ticket *tk = ROW(t, Ticket, i);
		if (fact_after(&tk->h, after))
			continue;
		cc[tk->h.customer].tickets++;
		cc[tk->h.customer].open_tickets += ticket_is_open(tk);
	}
	for (size_t c = 0; c < g->src[SRC_CUSTOMERS].table->n; c++)
		memcpy(cc[c].sessions, sessions[c], sizeof cc[c].sessions);
	return true;
}

/* Every customer's 360° figures as of A, from g's facts and each customer's sessions per
 * channel; the caller frees them, also when it returns false: a customer's valid orders add up
 * to more than c360 can count (*over: whose). */
static bool customer_360(const Gold *g, const uint32_t (*sessions)[CH_COUNT], Customer360 **out, uint32_t *over)
{
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	int64_t as_of = g->as_of;
	Customer360 *cc = *out = xcalloc(nc + 1, sizeof *cc);
	for (size_t i = 0; i < nc; i++) {
		cc[i].first_order = cc[i].last_order = MOMENT_NULL;
		cc[i].preferred_method = UINT32_MAX;
	}
	if (!customer_facts(g, cc, sessions, over))
		return false;
	for (size_t i = 0; i < nc; i++) {
		Customer360 *c = &cc[i];
		c->preferred_channel = -1;
		for (int ch = 0; ch < CH_COUNT; ch++)
			if (c->sessions[ch] && (c->preferred_channel < 0 || c->sessions[ch] > c->sessions[c->preferred_channel]))
				c->preferred_channel = ch;
		c->average_cents = kpi_ratio(c->lifetime_cents, c->valid_orders);
		c->days_since_last_order = c->last_order == MOMENT_NULL ? KPI_NULL : as_of - c->last_order;
		c->repeat = c->valid_orders >= 2;
		c->churn_risk = c->tickets > 0 && !c->active;
		c->segment = segment_of(c, as_of, g->churn_window_days);
	}
	preferred_methods(g, cc);
	return true;
}

bool customer_360_of_facts(const Gold *g, Customer360 **out, uint32_t *over)
{
	SessionViews v = {0};
	session_views(g, &v);
	bool ok = customer_360(g, v.of, out, over);
	free(v.weeks), free(v.of);
	return ok;
}

/* Whether the total revenue fits in 64 bits, and then every part of it (a week's, a segment's:
 * valid orders are never negative); false after reporting it. */
static bool revenue_fits(const Silver *s, const Customer360 *cc, Buf *err)
{
	__int128 sum = 0;	/* of at most 2^32 sums that each fit in 63 bits: never overflows */
	for (size_t i = 0; i < CUSTOMERS(s)->n; i++)
		sum += cc[i].lifetime_cents;
	return sum <= INT64_MAX || money_error(s, SRC_ORDERS, s->as_of, UINT32_MAX, UINT32_MAX, "total_revenue", err);
}

/* ---- order of customers: natural order of ids, then bytes */

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int id_compare(const char *a, size_t an, const char *b, size_t bn)
{
	/* The bytes both start with compare equal, up to the run of digits the first difference is
	 * in; where that is a digit in both and their runs of digits end at the same place, those
	 * digits decide (ids of one export mostly differ so: equally long numbers) */
	size_t same = 0, most = an < bn ? an : bn;
	while (same + 8 <= most && load8(a + same) == load8(b + same))
		same += 8;
	while (same < most && a[same] == b[same])
		same++;
	if (same < most && is_digit(a[same]) && is_digit(b[same])) {
		size_t k = same + 1;
		while (k < most && is_digit(a[k]) && is_digit(b[k]))
			k++;
		if ((k == an || !is_digit(a[k])) && (k == bn || !is_digit(b[k])))
			return (unsigned char)a[same] < (unsigned char)b[same] ? -1 : 1;
	}
	while (same > 0 && is_digit(a[same - 1]))
		same--;
	size_t i = same, j = same;
	while (i < an && j < bn) {
		bool da = is_digit(a[i]), db = is_digit(b[j]);
		if (da && db) {
			size_t si = i, sj = j;
			while (si < an && a[si] == '0')
				si++;
			while (sj < bn && b[sj] == '0')
				sj++;
			size_t ei = si, ej = sj;
			while (ei < an && is_digit(a[ei]))
				ei++;
			while (ej < bn && is_digit(b[ej]))
				ej++;
			if (ei - si != ej - sj)
				return ei - si < ej - sj ? -1 : 1;
			int c = memcmp(a + si, b + sj, ei - si);
			if (c)
				return c < 0 ? -1 : 1;
			i = ei, j = ej;
			continue;
		}
		if (a[i] != b[j])
			return (unsigned char)a[i] < (unsigned char)b[j] ? -1 : 1;
		i++, j++;
	}
	if (i < an || j < bn)
		return i < an ? 1 : -1;
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? (c < 0 ? -1 : 1) : (an > bn) - (an < bn);
}

static int customer_cmp(const void *a, const void *b, void *ctx)
{
	const Table *t = ctx;
	const RowHead *x = ROW(t, RowHead, *(const uint32_t *)a), *y = ROW(t, RowHead, *(const uint32_t *)b);
	return id_compare(x->id, x->idlen, y->id, y->idlen);
}

/* The date dimension starts at the first dated fact (the sessions': first). */
static int64_t first_day(const Silver *s, int64_t first)
{
	int64_t after = date_last_moment(s->as_of);	/* the first moment: its day the first day */
	for (int i = 0; i < SRC_COUNT; i++) {
		const Table *t = &s->src[i].table;
		for (size_t r = 0; source_is_fact((SourceId)i) && i != SRC_SESSIONS && r < t->n; r++) {
			const RowHead *h = ROW(t, RowHead, r);
			if (!fact_after(h, after) && h->when != MOMENT_NULL && (first == MOMENT_NULL || h->when < first))
				first = h->when;
		}
	}
	return first == MOMENT_NULL ? MOMENT_NULL : date_floor_day(first);
}

/* Customer rows in natural order of their ids, and each row's place in it. */
static void customer_order(const Silver *s, Gold *g)
{
	size_t nc = CUSTOMERS(s)->n;
	g->order = xmalloc((nc + 1) * sizeof *g->order);
	for (size_t i = 0; i < nc; i++)
		g->order[i] = (uint32_t)i;
	/* A CRM export usually lists its customers by id, the inferred ones after them: only the
	 * rows from the first out of order on are sorted, then merged with those before (ids are
	 * unique: there is one order). */
	const void *t = CUSTOMERS(s);
	size_t sorted = 1;
	while (sorted < nc && customer_cmp(&g->order[sorted - 1], &g->order[sorted], (void *)t) <= 0)
		sorted++;
	if (sorted < nc) {
		uint32_t *all = xmalloc((nc + 1) * sizeof *all), *a = g->order, *b = g->order + sorted;
		qsort_r(b, nc - sorted, sizeof *b, customer_cmp, (void *)t);
		for (size_t i = 0, j = 0, k = 0; k < nc; k++)
			all[k] = j == nc - sorted || (i < sorted && customer_cmp(&a[i], &b[j], (void *)t) <= 0) ? a[i++] : b[j++];
		free(g->order);
		g->order = all;
	}
	g->rank = xmalloc((nc + 1) * sizeof *g->rank);
	for (size_t i = 0; i < nc; i++)
		g->rank[g->order[i]] = (uint32_t)i;
	gold_customer_keys(g);
}

bool gold_build(const Silver *s, Gold *g, Buf *err)
{
	memset(g, 0, sizeof *g);
	g->as_of = s->as_of;
	g->churn_window_days = s->cfg->churn_window_days;
	memcpy(g->rows_key, s->rows_key, sizeof g->rows_key);
	for (int i = 0; i < SRC_COUNT; i++)
		g->src[i] = (GoldTable){&s->src[i].table, s->src[i].dict};
	memcpy(g->grown_from, s->grown_from, sizeof g->grown_from);	/* before the thread that reads them */
	memcpy(g->grown_key, s->grown_key, sizeof g->grown_key);
	gold_views_begin(g, config_threads(s->cfg), s->cfg->out_dir);	/* the kept groupings read meanwhile */
	sessions_of(g, s->cfg->out_dir);
	g->weeks = g->sessions.weeks, g->nweeks = g->sessions.nweeks;
	uint32_t over;
	if (!customer_360(g, g->sessions.of, &g->c360, &over))
		return money_error(s, SRC_ORDERS, s->as_of, over, UINT32_MAX, "a customer's valid orders", err);
	if (!revenue_fits(s, g->c360, err) || !payment_split(s, s->as_of, &g->split, &g->nsplit, err))
		return false;
	customer_order(s, g);
	g->first_day = first_day(s, g->sessions.first);
	g->ncrm = s->ncrm;
	quality_measure(s, g->quality);
	g->tables = quality_tables(s, &g->ntables);
	/* the sums of views are parts of total_revenue, which fits */
	int sum = gold_views(g, config_threads(s->cfg), s->cfg->out_dir);
	if (sum >= 0) {
		buf_printf(err, "c360: error: the amounts of %s add up to more than c360 can count\n", gold_tables[sum].name);
		return false;
	}
	g->now = g->series[SPARK_WEEKS - 1];	/* the KPIs are the series' last two weeks */
	g->week_before = g->series[SPARK_WEEKS - 2];
	return true;
}

/* ---- the KPIs week by week, from the gold tables alone: snapshot j is as of
 * D_j = A − 7·(SPARK_WEEKS − 1 − j), so the last is A and the one before it A − 7. Each fact is
 * counted once, in the first snapshot it belongs to, and the counts are summed forward. */

/* Gold tables read back may hold anything: a sum that cannot be held stays at the most it can. */
static int64_t add_money(int64_t a, int64_t b)
{
	int64_t r;
	return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
}

static int64_t snapshot_day(const Gold *g, int j)
{
	return g->as_of - 7 * (int64_t)(SPARK_WEEKS - 1 - j);
}

/* The first snapshot as of as_of a fact counts in: an undated one in all of them; -1 after it. */
static int snapshot_at(int64_t as_of, const RowHead *h)
{
	int64_t day = fact_day(h);
	if (day == MOMENT_NULL)
		return 0;
	if (day > as_of)
		return -1;
	int64_t back = (as_of - day) / 7;	/* the snapshots before A that are on or after day */
	return back >= SPARK_WEEKS - 1 ? 0 : SPARK_WEEKS - 1 - (int)back;
}

static int snapshot_of(const Gold *g, const RowHead *h)
{
	return snapshot_at(g->as_of, h);
}

/* What a customer's facts say about the snapshots: from which one they have a valid order, a
 * second one and a ticket (SPARK_WEEKS: in none), and in which they are active. */
typedef struct {
	uint8_t first_order, second_order, first_ticket;
	uint16_t active;	/* bit j: a valid order dated in (D_j − W, D_j] */
} SnapCustomer;

typedef struct {
	uint64_t orders[SPARK_WEEKS], open[SPARK_WEEKS], paid[SPARK_WEEKS], sessions[SPARK_WEEKS][CH_COUNT];
	uint64_t customers[SPARK_WEEKS], repeat[SPARK_WEEKS], churn[SPARK_WEEKS];
	int64_t cents[SPARK_WEEKS];
	uint64_t top[SPARK_WEEKS];	/* successful payments of the method with most, as of each */
} SnapSums;

static void snap_orders(const Gold *g, SnapCustomer *sc, SnapSums *sum)
{
	const Table *t = g->src[SRC_ORDERS].table;
	for (size_t i = 0; i < t->n; i++) {
		const Order *o = ROW(t, Order, i);
		int j = snapshot_of(g, &o->h);
		int64_t day = fact_day(&o->h);
		if (j < 0 || !order_is_valid(o))
			continue;
		sum->orders[j]++;
		sum->cents[j] = add_money(sum->cents[j], o->cents);
		SnapCustomer *c = &sc[o->h.customer];
		if (j < c->first_order)
			c->second_order = c->first_order, c->first_order = (uint8_t)j;
		else if (j < c->second_order)
			c->second_order = (uint8_t)j;
		for (int k = j; day != MOMENT_NULL && k < SPARK_WEEKS && snapshot_day(g, k) - g->churn_window_days < day; k++)
			c->active |= (uint16_t)(1u << k);
	}
}

static void snap_facts(const Gold *g, SnapCustomer *sc, SnapSums *sum)
{
	const Table *t = g->src[SRC_TICKETS].table;
	for (size_t i = 0; i < t->n; i++) {
		const Ticket *tk = ROW(t, Ticket, i);
		int j = snapshot_of(g, &tk->h);
		if (j < 0)
			continue;
		sum->open[j] += ticket_is_open(tk);
		if (j < sc[tk->h.customer].first_ticket)
			sc[tk->h.customer].first_ticket = (uint8_t)j;
	}
	t = g->src[SRC_SESSIONS].table;
	if (g->sessions.of)	/* gold_build's session_views */
		memcpy(sum->sessions, g->sessions.snap, sizeof sum->sessions);
	for (size_t i = 0; !g->sessions.of && i < t->n; i++) {
		const Session *se = ROW(t, Session, i);
		int j = snapshot_of(g, &se->h);
		if (j >= 0)
			sum->sessions[j][device_channel(se->device)]++;
	}
	t = g->src[SRC_PAYMENTS].table;
	for (size_t i = 0; i < t->n; i++) {
		const Payment *p = ROW(t, Payment, i);
		int j = snapshot_of(g, &p->h);
		if (j >= 0 && payment_succeeded(p))
			sum->paid[j]++;
	}
}

/* The most successful payments one method has as of each snapshot: the payments' snapshots
 * grouped by method (a counting sort), then each method's counts added up, so that memory
 * grows with the payments, not with methods times snapshots (a million methods took 96 MB). */
static void snap_top_method(const Gold *g, SnapSums *sum)
{
	const Table *t = g->src[SRC_PAYMENTS].table;
	size_t nmethods = g->src[SRC_PAYMENTS].dict[PA_METHOD].n, *start = xcalloc(nmethods + 2, sizeof *start);
	for (size_t i = 0; i < t->n; i++) {
		const Payment *p = ROW(t, Payment, i);
		if (payment_succeeded(p) && snapshot_of(g, &p->h) >= 0)
			start[p->method + 2]++;
	}
	for (size_t m = 0; m < nmethods; m++)
		start[m + 2] += start[m + 1];
	uint8_t *week = xmalloc(start[nmethods + 1] + 1);	/* start[m + 1]: where m's next one goes */
	for (size_t i = 0; i < t->n; i++) {
		const Payment *p = ROW(t, Payment, i);
		int j = payment_succeeded(p) ? snapshot_of(g, &p->h) : -1;
		if (j >= 0)
			week[start[p->method + 1]++] = (uint8_t)j;
	}
	for (size_t m = 0; m < nmethods; m++) {
		uint64_t n[SPARK_WEEKS] = {0};
		for (size_t i = start[m]; i < start[m + 1]; i++)
			n[week[i]]++;
		for (int j = 0; j < SPARK_WEEKS; j++) {
			n[j] += j ? n[j - 1] : 0;
			sum->top[j] = n[j] > sum->top[j] ? n[j] : sum->top[j];
		}
	}
	free(week);
	free(start);
}

/* Counts per snapshot become counts as of it. */
static void snap_accumulate(SnapSums *sum)
{
	for (int j = 1; j < SPARK_WEEKS; j++) {
		sum->orders[j] += sum->orders[j - 1];
		sum->cents[j] = add_money(sum->cents[j], sum->cents[j - 1]);
		sum->open[j] += sum->open[j - 1];
		sum->paid[j] += sum->paid[j - 1];
		sum->customers[j] += sum->customers[j - 1];
		sum->repeat[j] += sum->repeat[j - 1];
		for (int ch = 0; ch < CH_COUNT; ch++)
			sum->sessions[j][ch] += sum->sessions[j - 1][ch];
	}
}

static void snap_kpis(const Gold *g, const SnapSums *sum, int j, Kpis *k)
{
	uint64_t top = sum->top[j], sessions = 0;
	for (int ch = 0; ch < CH_COUNT; ch++)
		sessions += sum->sessions[j][ch];
	k->as_of = snapshot_day(g, j);
	k->v[K_TOTAL_CUSTOMERS] = (int64_t)sum->customers[j];
	k->v[K_AVERAGE_ORDER_VALUE] = kpi_ratio(sum->cents[j], (int64_t)sum->orders[j]);
	k->v[K_REPEAT_CUSTOMER_PCT] = kpi_pct(sum->repeat[j], sum->customers[j]);
	bool tickets = g->quality[SRC_TICKETS].status == STATUS_LOADED;	/* a header at least */
	k->v[K_OPEN_TICKETS] = tickets ? (int64_t)sum->open[j] : KPI_NULL;	/* no tickets read: no data, not 0 */
	k->v[K_CHURN_RISK] = tickets ? (int64_t)sum->churn[j] : KPI_NULL;
	k->v[K_TOTAL_REVENUE] = sum->cents[j];
	k->v[K_VALID_ORDERS] = (int64_t)sum->orders[j];
	k->v[K_KNOWN_CUSTOMERS] = (int64_t)g->ncrm;
	k->v[K_MOBILE_PCT] = kpi_pct(sum->sessions[j][CH_MOBILE], sessions);
	k->v[K_WEB_PCT] = kpi_pct(sum->sessions[j][CH_WEB], sessions);
	k->v[K_TOP_METHOD_PCT] = top ? kpi_pct(top, sum->paid[j]) : KPI_NULL;
}

void kpi_series(const Gold *g, Kpis series[SPARK_WEEKS])
{
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	for (int j = 0; j < SPARK_WEEKS; j++) {
		series[j].as_of = g->as_of == MOMENT_NULL ? MOMENT_NULL : snapshot_day(g, j);
		for (int k = 0; k < K_COUNT; k++)
			series[j].v[k] = KPI_NULL;
	}
	if (g->as_of == MOMENT_NULL)
		return;
	SnapCustomer *sc = xmalloc((nc + 1) * sizeof *sc);
	for (size_t c = 0; c < nc; c++)
		sc[c] = (SnapCustomer){SPARK_WEEKS, SPARK_WEEKS, SPARK_WEEKS, 0};
	SnapSums sum = {0};
	snap_orders(g, sc, &sum);
	snap_facts(g, sc, &sum);
	for (size_t c = 0; c < nc; c++) {
		if (sc[c].first_order < SPARK_WEEKS)
			sum.customers[sc[c].first_order]++;
		if (sc[c].second_order < SPARK_WEEKS)
			sum.repeat[sc[c].second_order]++;
		for (int j = sc[c].first_ticket; j < SPARK_WEEKS; j++)
			sum.churn[j] += !(sc[c].active >> j & 1);	/* as of each day, not summed forward */
	}
	snap_accumulate(&sum);
	snap_top_method(g, &sum);
	for (int j = 0; j < SPARK_WEEKS; j++)
		snap_kpis(g, &sum, j, &series[j]);
	free(sc);
}
