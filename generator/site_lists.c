/* site_lists.c — the customers behind a KPI card (churn-risk.html, open-tickets.html: sortable
 * pages from templates/list.md, and a CSV each), and the customer CSVs of every list. */
#include "c360.h"

#include <stdlib.h>

#define LIST_ROWS 500	/* customers on a list's page; its CSV has them all */

const CustomerListDef customer_list_defs[LIST_COUNT] = {
	[LIST_CHURN] = {"churn-risk", "churn_risk_list", "Churn risk", "customers at churn risk", "customer at churn risk",
			"a support ticket and no valid order in the churn window; the most valuable first", K_CHURN_RISK},
	[LIST_OPEN] = {"open-tickets", "open_tickets_list", "Customers with open tickets", "customers with open tickets",
		       "customer with open tickets",
		       "at least one ticket neither Resolved nor Closed; the most open tickets first, then the most valuable",
		       K_OPEN_TICKETS},
};

const uint32_t *customer_list(const Gold *g, int list, size_t *n)
{
	*n = list == LIST_CHURN ? g->nchurn : g->nopen;
	return list == LIST_CHURN ? g->churn_list : g->open_list;
}

Value *customer_list_rows(const Site *site, Arena *a, int list, size_t *shown)
{
	size_t n;
	const uint32_t *rows = customer_list(site->g, list, &n);
	*shown = n < LIST_ROWS ? n : LIST_ROWS;
	return customer_rows(site, a, rows, *shown);
}

/* ---- customers as CSV, for spreadsheets: a BOM so Excel reads UTF-8, no cell a formula */

static void text_cell(Buf *b, const char *s)
{
	buf_putc(b, ',');
	esc_sheet_cell(b, s ? s : "", s ? strlen(s) : 0);
}

/* ',' and a count: one digit (most tickets and orders) without a call. */
static inline void count_cell(Buf *b, int64_t v)
{
	if ((uint64_t)v < 10) {
		if (b->cap - b->len < 2)
			buf_grow(b, 2);
		b->p[b->len] = ',', b->p[b->len + 1] = (char)('0' + v);
		b->len += 2;
	} else {
		buf_putc(b, ',');
		buf_int(b, v);
	}
}

/* What a customer CSV repeats on its lines, made once a file: each segment's cell (text_cell of
 * its label). */
typedef struct {
	Buf segment[SEG_COUNT];
} LineParts;

static void customer_line(const Gold *g, uint32_t row, Buf *b, LineParts *parts)
{
	const Customer *cu = ROW(g->src[SRC_CUSTOMERS].table, Customer, row);
	const Customer360 *x = &g->c360[row];
	esc_sheet_cell(b, cu->h.id, cu->h.idlen);
	text_cell(b, cu->name);
	text_cell(b, cu->email);
	text_cell(b, cu->location);
	buf_put(b, parts->segment[x->segment].p, parts->segment[x->segment].len);
	buf_putc(b, ',');
	fmt_hundredths(b, &fmt_plain, x->lifetime_cents);
	count_cell(b, x->valid_orders);
	buf_putc(b, ',');
	if (x->last_order != MOMENT_NULL)
		fmt_date(b, x->last_order);	/* buf_date's text, each day's made once a thread */
	if (x->days_since_last_order != KPI_NULL)
		count_cell(b, x->days_since_last_order);
	else
		buf_putc(b, ',');
	count_cell(b, x->tickets);
	count_cell(b, x->open_tickets);
	buf_putc(b, '\n');
}

/* The memory of the customer AHEAD places on in a list (most valuable first: in no order of
 * the rows), both ends of its row and its KPIs (each spans two cache lines at most), and once
 * that row is in, its texts, so that customer_line does not wait for them. (Inline: GCC takes
 * a function of prefetches alone for one without effects, and drops its calls.) */
#define AHEAD 16
static inline __attribute__((always_inline)) void prefetch_line(const Gold *g, const uint32_t *rows, size_t i,
								 size_t n)
{
	const Table *t = g->src[SRC_CUSTOMERS].table;
	if (i + AHEAD < n) {
		const char *row = (const char *)ROW(t, Customer, rows[i + AHEAD]), *x = (const char *)&g->c360[rows[i + AHEAD]];
		__builtin_prefetch(row), __builtin_prefetch(row + sizeof(Customer) - 1);
		__builtin_prefetch(x), __builtin_prefetch(x + sizeof(Customer360) - 1);
	}
	if (i + AHEAD / 2 < n) {
		const Customer *cu = ROW(t, Customer, rows[i + AHEAD / 2]);
		__builtin_prefetch(cu->h.id), __builtin_prefetch(cu->name), __builtin_prefetch(cu->email);
		__builtin_prefetch(cu->location);
	}
}

/* Streamed a megabyte at a time: a list of a million customers is never whole in memory. */
bool customer_csv(const Site *site, const char *path, const uint32_t *rows, size_t n)
{
	OutFile f;
	if (!out_open(&f, site->dir, path, site->err))
		return false;
	buf_puts(&f.buf, UTF8_BOM "customer_id,name,email,location,segment,lifetime_value,valid_orders,"
			 "last_order_date,days_since_last_order,tickets,open_tickets\n");
	LineParts *parts = xcalloc(1, sizeof *parts);
	for (int k = 0; k < SEG_COUNT; k++)
		text_cell(&parts->segment[k], segment_defs[k].label);
	for (size_t i = 0; i < n; i++) {
		prefetch_line(site->g, rows, i, n);
		customer_line(site->g, rows[i], &f.buf, parts);
		out_flush_if_full(&f);
	}
	for (int k = 0; k < SEG_COUNT; k++)
		buf_free(&parts->segment[k]);
	free(parts);
	return out_close(&f, site->err);
}

/* ---- a list's page and CSV */

static bool write_list(Site *site, PageWork *w, int list)
{
	const CustomerListDef *def = &customer_list_defs[list];
	size_t n;
	const uint32_t *rows = customer_list(site->g, list, &n);
	size_t shown;
	Arena *a = &w->arena;
	arena_reset(a);
	Value *d = v_obj(a);
	Buf path = {0};
	v_set(a, d, "title", v_cstr(a, def->title));
	v_set(a, d, "noun", v_cstr(a, n == 1 ? def->noun_one : def->noun));
	Buf rule = {0};
	buf_puts(&rule, def->rule);
	if (site->g->now.v[def->kpi] == KPI_NULL) {	/* its tickets were not read: no data, not none */
		buf_puts(&rule, " (no data: ");
		source_why(&rule, &site->g->quality[SRC_TICKETS]);
		buf_putc(&rule, ')');
	}
	v_set(a, d, "rule", v_str(a, rule.p, rule.len));
	buf_free(&rule);
	v_set(a, d, "slug", v_cstr(a, def->slug));
	v_set(a, d, "customers", v_num(a, V_INT, (int64_t)n));
	Value *shown_rows = customer_list_rows(site, a, list, &shown);
	v_set(a, d, "shown", v_num(a, V_INT, (int64_t)shown));
	v_set(a, d, "all_shown", v_bool(a, shown == n));
	v_set(a, d, "rows", shown_rows);
	buf_printf(&path, "%s.html", def->slug);
	bool ok = page_write(site, w, buf_cstr(&path), "list", d);
	path.len = 0;
	buf_printf(&path, "%s.csv", def->slug);
	ok = ok && customer_csv(site, buf_cstr(&path), rows, n);
	buf_free(&path);
	return ok;
}

bool site_lists(Site *site)
{
	PageWork w;
	page_init(&w);
	bool ok = true;
	for (int l = 0; ok && l < LIST_COUNT; l++)
		ok = write_list(site, &w, l);
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok;
}
