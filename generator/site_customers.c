/* site_customers.c — customers/: a page per customer, the list, and the sharded search index. */
#include "c360.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#define LIST_ROWS 10		/* rows of each history on a customer page */
#define RECORDS_PER_FILE 1000	/* search records per script file */

unsigned customer_folder(const RowHead *c)
{
	return (unsigned)(hash_bytes(c->id, c->idlen) >> 56);
}

/* The number that tells customer c's page name from another's that is the same (page_plan_init),
 * 0 if none is. */
static uint32_t twin_number(const PagePlan *p, uint32_t c)
{
	size_t lo = 0, hi = p->ntwin;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		uint32_t row = (uint32_t)(p->twin[mid] >> 32);
		if (row == c)
			return (uint32_t)p->twin[mid];
		row < c ? (lo = mid + 1) : (hi = mid);
	}
	return 0;
}

void customer_page_path(Buf *b, const PagePlan *p, uint32_t c, const RowHead *h)
{
	static const char hex[] = "0123456789abcdef";
	unsigned k = customer_folder(h);
	char folder[] = {'c', 'u', 's', 't', 'o', 'm', 'e', 'r', 's', '/', hex[k >> 4], hex[k & 15], '/'};
	buf_put(b, folder, sizeof folder);	/* no printf: a path for every customer of every build */
	id_file_name(b, h->id, h->idlen);
	uint32_t twin = p->ntwin ? twin_number(p, c) : 0;
	if (twin)
		buf_printf(b, "~%u", (unsigned)twin);	/* a second ~: no id_file_name has one */
	buf_puts(b, ".html");
}

/* ---- which customers have a page, and where */

#define PACK_CUSTOMERS 100	/* customers per packed/K.js, on average at most */
#define VIEW_PATH "customers/view.html"

int customer_pages_mode(const Config *cfg, size_t n, Buf *why)
{
	static const char *const names[] = {[PAGES_FILES] = "files", [PAGES_PACKED] = "packed"};
	int mode = cfg->pages_mode != PAGES_AUTO ? cfg->pages_mode : n > PACKED_FROM ? PAGES_PACKED : PAGES_FILES;
	static const NumFormat grouped = {",", '.', "", false};	/* 1,000,000 whatever the configuration */
	if (why && cfg->pages_mode != PAGES_AUTO) {
		buf_printf(why, "%s (set by %s)", cfg->customer_pages, cfg->customer_pages_by);
	} else if (why) {
		buf_printf(why, "%s (", names[mode]);
		fmt_int(why, &grouped, (int64_t)n);
		buf_puts(why, n == 1 ? " customer" : " customers");
		buf_puts(why, n > PACKED_FROM ? " > " : " <= ");
		fmt_int(why, &grouped, PACKED_FROM);
		buf_puts(why, "; set customer_pages to change)");
	}
	return mode;
}

typedef struct {
	const Table *t;
	const uint64_t *key;	/* the rows, in the low 32 bits */
	const char *names;	/* each row's name, NUL-ended, at off[] */
	const size_t *off;
} TwinSort;

/* Rows of one name together, then by their ids' bytes. */
static int twin_cmp(const void *a, const void *b, void *ctx)
{
	const TwinSort *s = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(s->names + s->off[i], s->names + s->off[j]);
	if (c)
		return c;
	const RowHead *x = &ROW(s->t, Customer, (uint32_t)s->key[i])->h, *y = &ROW(s->t, Customer, (uint32_t)s->key[j])->h;
	c = memcmp(x->id, y->id, x->idlen < y->idlen ? x->idlen : y->idlen);
	return c ? c : (x->idlen > y->idlen) - (x->idlen < y->idlen);
}

/* The rows key[0..n) (each in the low 32 bits), whose names' hashes are the same: of those whose
 * names are the same, all but the first by id are twins, numbered 2, 3... */
static void twins_among(PagePlan *p, const Table *t, const uint64_t *key, size_t n, Buf *names)
{
	size_t *off = xmalloc(n * sizeof *off), *order = xmalloc(n * sizeof *order);
	names->len = 0;
	for (size_t i = 0; i < n; i++) {
		const RowHead *h = &ROW(t, Customer, (uint32_t)key[i])->h;
		off[i] = names->len;
		id_file_name(names, h->id, h->idlen);
		buf_putc(names, '\0');
		order[i] = i;
	}
	TwinSort s = {t, key, names->p, off};
	qsort_r(order, n, sizeof *order, twin_cmp, &s);
	for (size_t k = 1, number = 1; k < n; k++) {
		number = strcmp(names->p + off[order[k]], names->p + off[order[k - 1]]) ? 1 : number + 1;
		if (number > 1) {
			p->twin = xrealloc(p->twin, (p->ntwin + 1) * sizeof *p->twin);
			p->twin[p->ntwin++] = (uint64_t)(uint32_t)key[order[k]] << 32 | number;
		}
	}
	free(off), free(order);
}

/* Customers whose page name would be another's (ids that are not plain, the same cut text and
 * hash): a hash of each such id's name, the rows of one hash compared by name. */
static void find_twins(PagePlan *p, const Table *t)
{
	uint64_t *key = xmalloc((t->n + 1) * sizeof *key);
	size_t m = 0;
	for (size_t i = 0; i < t->n; i++) {
		const RowHead *h = &ROW(t, Customer, i)->h;
		if (!id_name_plain(h->id, h->idlen))	/* plain ids are unique, and their names too */
			key[m++] = (hash_bytes(h->id, h->idlen) >> 32) << 32 | i;
	}
	radix_sort_u64(key, m, 64, 32);
	Buf names = {0};
	for (size_t a = 0, b; a < m; a = b) {
		for (b = a + 1; b < m && key[b] >> 32 == key[a] >> 32; b++)
			;
		if (b - a > 1)
			twins_among(p, t, key + a, b - a, &names);
	}
	buf_free(&names);
	free(key);
	radix_sort_u64(p->twin, p->ntwin, 64, 32);	/* by row, for twin_number */
}

void page_plan_init(PagePlan *p, const Gold *g, const Config *cfg)
{
	const Table *t = g->src[SRC_CUSTOMERS].table;
	size_t nc = t->n;
	*p = (PagePlan){.mode = customer_pages_mode(cfg, nc, NULL), .top = cfg->pages_top, .packs = 1};
	while ((size_t)p->packs * PACK_CUSTOMERS < nc)
		p->packs *= 2;
	if (p->mode == PAGES_FILES || p->mode == PAGES_TOP)
		find_twins(p, t);
	if (p->mode != PAGES_TOP)
		return;
	p->rank = xmalloc((nc + 1) * sizeof *p->rank);
	for (size_t i = 0; i < nc; i++)
		p->rank[g->by_value[i]] = (uint32_t)i;
}

void page_plan_free(PagePlan *p)
{
	free(p->rank), free(p->twin);
	p->rank = NULL, p->twin = NULL, p->ntwin = 0;
}

/* Whether customer c has a page of its own (files, top N). */
static bool has_file_page(const PagePlan *p, uint32_t c)
{
	return p->mode == PAGES_FILES || (p->mode == PAGES_TOP && p->rank[c] < p->top);
}

/* The packed/K.js a customer is in: FNV-1a of the id's bytes, mixed (murmur3's finaliser), in
 * packs (a power of two). assets/viewer.js computes the same from the id in the address. */
static uint32_t pack_of(const PagePlan *p, const RowHead *h)
{
	uint32_t x = 2166136261u;
	for (size_t i = 0; i < h->idlen; i++)
		x = (x ^ (unsigned char)h->id[i]) * 16777619u;
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x & (p->packs - 1);
}

bool customer_url(const PagePlan *p, const Gold *g, uint32_t c, Buf *b)
{
	const RowHead *h = &ROW(g->src[SRC_CUSTOMERS].table, Customer, c)->h;
	if (p->mode == PAGES_PACKED) {
		buf_puts(b, VIEW_PATH "?id=");
		esc_url(b, h->id, h->idlen);
		return true;
	}
	if (p->mode == PAGES_NONE || (p->mode == PAGES_TOP && p->rank[c] >= p->top))
		return false;
	customer_page_path(b, p, c, h);
	return true;
}

/* ---- one customer's page */

#define LIT(s) {s, sizeof s - 1}	/* c360's own label with its length: no strlen a page */

/* Text from the data, as much of it as a page shows alone (gold has it all). */
static Value *field(const Site *site, Arena *a, const char *s, size_t n)
{
	return v_text(a, s, n, shown_max(site, false));
}

static Value *cfield(const Site *site, Arena *a, const char *s)
{
	return field(site, a, s, s ? strlen(s) : 0);
}

/* ... and in a table or a list. */
static Value *cell(const Site *site, Arena *a, const char *s, size_t n)
{
	return v_text(a, s, n, shown_max(site, true));
}

static Value *ccell(const Site *site, Arena *a, const char *s)
{
	return cell(site, a, s, s ? strlen(s) : 0);
}

/* The length of a fact's text in column f (FC_LABEL, FC_CHANNEL): its label's length in the
 * dictionary where label_hashes found that to be its strlen (a page has ~80 of them: no strlen
 * for each), else strlen (a label holding a NUL ends there on a page). */
static inline __attribute__((always_inline)) size_t fact_text_len(const Site *site, SourceId src, int f,
								     const RowHead *h, const char *text)
{
	int col = fact_tables[src].cols[f].col;
	return site->label_dict_len[src][f] ? dict_len(&site->g->src[src].dict[col], *(const uint32_t *)fact_field(h, src, col))
					    : strlen(text);
}

/* A fact's value for a customer page, by its fact table's description: column f. */
static Value *fact_value(const Site *site, Arena *a, SourceId src, int f, const RowHead *h)
{
	FactValue v = gold_fact_value(site->g, src, &fact_tables[src].cols[f], h);
	return v.kind == FV_MONEY ? v_num(a, V_MONEY, v.cents)
	     : v.kind == FV_TEXT && v.text ? cell(site, a, v.text, fact_text_len(site, src, f, h, v.text))
	     : v.kind == FV_TEXT ? v_text(a, NULL, 0, 0) : v_bool(a, v.yes);
}

static const char *const row_key[3] = {"id", "date", "line"};	/* a history row's first keys */

/* Whether customer c's sessions say their time of day: one is at another moment than a UTC
 * midnight. A file of dates alone (the tutorial's) would show 00:00 on each; a session at
 * 00:00:00 UTC, when all of the customer's are at midnight, shows its day alone too. Either
 * way a session whose export gave its day alone (F_DATE_ONLY) shows that day alone (fact_timed). */
static bool sessions_timed(const Gold *g, uint32_t c)
{
	const ByCustomer *bc = &g->by[SRC_SESSIONS];
	const Table *t = g->src[SRC_SESSIONS].table;
	for (uint32_t k = bc->start[c]; k < bc->start[c + 1]; k++) {
		int64_t when = ROW(t, RowHead, bc->row[k])->when;
		if (when != MOMENT_NULL && when != date_floor_day(when) * SECS_PER_DAY)
			return true;
	}
	return false;
}

/* Whether fact h shows a time of day on a page whose sessions are timed (clock, sessions_timed):
 * a session with a moment that its export wrote with a time, not a day alone. */
static bool fact_timed(SourceId src, const RowHead *h, bool clock)
{
	return clock && source_defs[src].timestamp && h->when != MOMENT_NULL && !(h->flags & F_DATE_ONLY);
}

/* A customer's facts of one source: the latest LIST_ROWS, how many there are (the value returned),
 * and how many more, their moments with the time of day if timed; the three kept in md for customer_md_slots (CMD_LIST, CMD_COUNT_OF, CMD_MORE). */
static Value *history(const Site *site, PageWork *w, Value *data, SourceId src, uint32_t c, bool timed,
		      const Value **md)
{
	Arena *a = &w->arena;
	const FactTable *ft = &fact_tables[src];
	const ByCustomer *bc = &site->g->by[src];
	const Table *t = site->g->src[src].table;
	uint32_t n = bc->start[c + 1] - bc->start[c];
	static const char *const more_key[SRC_COUNT] = {[SRC_ORDERS] = "orders_more", [SRC_PAYMENTS] = "payments_more",
		[SRC_TICKETS] = "tickets_more", [SRC_SESSIONS] = "sessions_more"};
	static const char *const count_key[SRC_COUNT] = {[SRC_ORDERS] = "orders_count",
		[SRC_PAYMENTS] = "payments_count", [SRC_TICKETS] = "tickets_count", [SRC_SESSIONS] = "sessions_count"};
	Value *list = v_set(a, data, ft->key, n ? v_room(a, v_list(a), n < LIST_ROWS ? n : LIST_ROWS) : v_list(a));
	md[CMD_MORE] = v_set(a, data, more_key[src], v_num(a, V_INT, n > LIST_ROWS ? n - LIST_ROWS : 0));
	Value *count = v_set(a, data, count_key[src], v_num(a, V_INT, n));
	md[CMD_LIST] = list, md[CMD_COUNT_OF] = count;
	for (uint32_t k = 0; k < n && k < LIST_ROWS; k++) {
		const RowHead *h = ROW(t, RowHead, bc->row[bc->start[c] + k]);
		Value *o = v_push(a, list, v_room(a, v_obj_lazy(a), 3 + (size_t)ft->ncols));
		v_set_lazy(a, o, row_key[0], cell(site, a, h->id, h->idlen));
		if (source_defs[src].timestamp && h->when != MOMENT_NULL) {
			char *text = arena_alloc(a, DATE_TEXT_MAX);	/* written where the value keeps it */
			v_set_lazy(a, o, row_key[1], v_lent(a, text, fmt_moment(text, h->when, fact_timed(src, h, timed))));
		} else {
			v_set_lazy(a, o, row_key[1], v_num(a, V_DATE, fact_day(h)));
		}
		v_set_lazy(a, o, row_key[2], v_num(a, V_INT, h->line));
		for (int f = 0; f < ft->ncols; f++)
			v_set_lazy(a, o, ft->cols[f].key, fact_value(site, a, src, f, h));
	}
	return count;
}

const char customer_md_builtin[] =
	"# {{title}}\n"
	"\n"
	"Customer **{{id}}**{{^in_crm}}, not in the CRM: known from its orders, payments, tickets or sessions{{/in_crm}}.\n"
	"\n"
	"{{{strip}}}\n"
	"\n"
	"| E-mail | Gender | Born | Location | Valid orders | Average order | Pays by | Visits on |\n"
	"|---|---|---|---|---:|---:|---|---|\n"
	"| {{email}} | {{gender}} | {{dob}} | {{location}} | {{valid_orders}} | {{average_order_value}} | {{preferred_payment_method}} | {{preferred_channel}} |\n"
	"\n"
	"## Recent activity\n"
	"\n"
	"{{{activity}}}\n"
	"\n"
	"## Lifecycle\n"
	"\n"
	"{{{lifecycle}}}\n"
	"\n"
	"## Orders\n"
	"\n"
	"{{#orders_count}}\n"
	"| Order | Date | Amount | Status | Valid |\n"
	"|---|---|---:|---|---|\n"
	"{{/orders_count}}\n"
	"{{#orders}}\n"
	"| {{id}} | {{date}} | {{amount}} | {{status}} | {{valid}} |\n"
	"{{/orders}}\n"
	"{{^orders_count}}\n"
	"No orders.\n"
	"{{/orders_count}}\n"
	"{{#orders_more}}\n"
	"\n"
	"And {{orders_more}} earlier orders: all are in `gold/fact_orders.csv`.\n"
	"{{/orders_more}}\n"
	"\n"
	"## Payments\n"
	"\n"
	"{{#payments_count}}\n"
	"| Payment | Date | Method | Status | Amount |\n"
	"|---|---|---|---|---:|\n"
	"{{/payments_count}}\n"
	"{{#payments}}\n"
	"| {{id}} | {{date}} | {{method}} | {{status}} | {{amount}} |\n"
	"{{/payments}}\n"
	"{{^payments_count}}\n"
	"{{^payments_why}}\n"
	"No payments.\n"
	"{{/payments_why}}\n"
	"{{#payments_why}}\n"
	"No payment data: {{payments_why}}.\n"
	"{{/payments_why}}\n"
	"{{/payments_count}}\n"
	"{{#payments_more}}\n"
	"\n"
	"And {{payments_more}} earlier payments: all are in `gold/fact_payments.csv`.\n"
	"{{/payments_more}}\n"
	"\n"
	"## Support tickets\n"
	"\n"
	"{{#tickets_count}}\n"
	"| Ticket | Date | Issue | Status | Open |\n"
	"|---|---|---|---|---|\n"
	"{{/tickets_count}}\n"
	"{{#tickets}}\n"
	"| {{id}} | {{date}} | {{issue}} | {{status}} | {{open}} |\n"
	"{{/tickets}}\n"
	"{{^tickets_count}}\n"
	"{{^tickets_why}}\n"
	"No tickets.\n"
	"{{/tickets_why}}\n"
	"{{#tickets_why}}\n"
	"No ticket data: {{tickets_why}}.\n"
	"{{/tickets_why}}\n"
	"{{/tickets_count}}\n"
	"{{#tickets_more}}\n"
	"\n"
	"And {{tickets_more}} earlier tickets: all are in `gold/fact_tickets.csv`.\n"
	"{{/tickets_more}}\n"
	"\n"
	"## Web sessions\n"
	"\n"
	"{{^sessions_why}}\n"
	"Mobile {{sessions_mobile}} · Web {{sessions_web}} · Other {{sessions_other}}\n"
	"\n"
	"{{/sessions_why}}\n"
	"{{#sessions_count}}\n"
	"| Session | {{#sessions_timed}}Time (UTC){{/sessions_timed}}{{^sessions_timed}}Date{{/sessions_timed}} | Page | Device | Channel |\n"
	"|---|---|---|---|---|\n"
	"{{/sessions_count}}\n"
	"{{#sessions}}\n"
	"| {{id}} | {{date}} | {{page}} | {{device}} | {{channel}} |\n"
	"{{/sessions}}\n"
	"{{^sessions_count}}\n"
	"{{^sessions_why}}\n"
	"No sessions.\n"
	"{{/sessions_why}}\n"
	"{{#sessions_why}}\n"
	"No session data: {{sessions_why}}.\n"
	"{{/sessions_why}}\n"
	"{{/sessions_count}}\n"
	"{{#sessions_more}}\n"
	"\n"
	"And {{sessions_more}} earlier sessions: all are in `gold/fact_sessions.csv`.\n"
	"{{/sessions_more}}\n";

/* A row of src's history as history() makes it: its first keys, then its fact table's columns
 * (keys by address, by text when not: the tests make their own). */
static bool md_row(const Value *o, SourceId src)
{
	const FactTable *ft = &fact_tables[src];
	if (!o || o->kind != V_OBJ || ft->ncols != 3 || o->n != 6)
		return false;
	for (int k = 0; k < 6; k++) {
		const char *want = k < 3 ? row_key[k] : ft->cols[k - 3].key;
		if (o->keys[k] != want && strcmp(o->keys[k], want) != 0)
			return false;
	}
	return true;
}

/* tpl_put_slot, with a text value (most of customer.md's: ids, dates and times, labels) put in its
 * slot inline, without the call. */
static inline __attribute__((always_inline)) void put_slot(Buf *md, Slots *slots, const Value *v, const NumFormat *fmt)
{
	if (v && v->kind == V_STR && !v->i)
		slot_put_inline(slots, md, v->s, v->n);
	else
		tpl_put_slot(md, slots, NULL, v, false, fmt);
}

/* customer.md's section of one source's history (v: its list, count and how many more; timed: the
 * sessions' sessions_timed); false if a value is of a kind the engine would read otherwise (a list
 * for a count, rows of other keys). */
static bool md_facts(const Value *const *v, SourceId src, const Value *timed, const Value *why, const NumFormat *fmt,
		     Buf *md, Slots *slots)
{
	static const char *const head[SRC_COUNT] = {
		[SRC_ORDERS] = "| Order | Date | Amount | Status | Valid |\n|---|---|---:|---|---|\n",
		[SRC_PAYMENTS] = "| Payment | Date | Method | Status | Amount |\n|---|---|---|---|---:|\n",
		[SRC_TICKETS] = "| Ticket | Date | Issue | Status | Open |\n|---|---|---|---|---|\n",
		[SRC_SESSIONS] = "| Session | Date | Page | Device | Channel |\n|---|---|---|---|---|\n"};
	static const char *const none[SRC_COUNT] = {[SRC_ORDERS] = "No orders.\n", [SRC_PAYMENTS] = "No payments.\n",
						    [SRC_TICKETS] = "No tickets.\n", [SRC_SESSIONS] = "No sessions.\n"};
	static const char *const no_data[SRC_COUNT] = {[SRC_PAYMENTS] = "No payment data: ", [SRC_TICKETS] = "No ticket data: ",
						       [SRC_SESSIONS] = "No session data: "};
	static const char *const more[SRC_COUNT] = {
		[SRC_ORDERS] = " earlier orders: all are in `gold/fact_orders.csv`.\n",
		[SRC_PAYMENTS] = " earlier payments: all are in `gold/fact_payments.csv`.\n",
		[SRC_TICKETS] = " earlier tickets: all are in `gold/fact_tickets.csv`.\n",
		[SRC_SESSIONS] = " earlier sessions: all are in `gold/fact_sessions.csv`.\n"};
	const Value *list = v[CMD_LIST], *count = v[CMD_COUNT_OF];
	bool counted = v_truthy(count);
	if (counted && count->kind == V_LIST)
		return false;
	if (counted && src == SRC_SESSIONS && v_truthy(timed)) {
		if (timed->kind == V_LIST)	/* the engine writes the heading once a row */
			return false;
		buf_puts_inline(md, "| Session | Time (UTC) | Page | Device | Channel |\n|---|---|---|---|---|\n");
	} else if (counted) {
		buf_puts_inline(md, head[src]);
	}
	if (v_truthy(list)) {
		if (list->kind != V_LIST)
			return false;
		for (size_t i = 0; i < list->n; i++) {
			if (!md_row(list->items[i], src))
				return false;
			Value *const *x = list->items[i]->items;	/* id, date, line, the columns */
			for (int k = 0; k < 6; k++) {
				if (k == 2)
					continue;
				buf_puts_inline(md, k ? " | " : "| ");
				put_slot(md, slots, x[k], fmt);
			}
			buf_puts_inline(md, " |\n");
		}
	}
	if (!counted && v_truthy(why)) {	/* the exports have no such data (Site.source_why) */
		buf_puts_inline(md, no_data[src]);
		put_slot(md, slots, why, fmt);
		buf_puts_inline(md, ".\n");
	} else if (!counted) {
		buf_puts_inline(md, none[src]);
	}
	if (v_truthy(v[CMD_MORE])) {
		if (v[CMD_MORE]->kind == V_LIST || v[CMD_MORE]->kind == V_OBJ)
			return false;
		buf_puts_inline(md, "\nAnd ");
		put_slot(md, slots, v[CMD_MORE], fmt);
		buf_puts_inline(md, more[src]);
	}
	return true;
}

bool customer_md_slots(const Value *const v[CMD_COUNT], const NumFormat *fmt, Buf *md, Slots *slots, RawStash *raws)
{
#define PUT(k) put_slot(md, slots, v[k], fmt)
#define RAW(k) tpl_put_slot(md, slots, raws, v[k], true, fmt)
	buf_puts_inline(md, "# ");
	PUT(CMD_TITLE);
	buf_puts_inline(md, "\n\nCustomer **");
	PUT(CMD_ID);
	buf_puts_inline(md, v_truthy(v[CMD_IN_CRM]) ? "**.\n\n"
		     : "**, not in the CRM: known from its orders, payments, tickets or sessions.\n\n");
	RAW(CMD_STRIP);
	buf_puts_inline(md, "\n\n| E-mail | Gender | Born | Location | Valid orders | Average order | Pays by | Visits on |\n"
		     "|---|---|---|---|---:|---:|---|---|\n| ");
	PUT(CMD_EMAIL);
	buf_puts_inline(md, " | ");
	PUT(CMD_GENDER);
	buf_puts_inline(md, " | ");
	PUT(CMD_DOB);
	buf_puts_inline(md, " | ");
	PUT(CMD_LOCATION);
	buf_puts_inline(md, " | ");
	PUT(CMD_VALID_ORDERS);
	buf_puts_inline(md, " | ");
	PUT(CMD_AVERAGE_ORDER);
	buf_puts_inline(md, " | ");
	PUT(CMD_PAYMENT_METHOD);
	buf_puts_inline(md, " | ");
	PUT(CMD_CHANNEL);
	buf_puts_inline(md, " |\n\n## Recent activity\n\n");
	RAW(CMD_ACTIVITY);
	buf_puts_inline(md, "\n\n## Lifecycle\n\n");
	RAW(CMD_LIFECYCLE);
	static const char *const heading[SRC_COUNT] = {[SRC_ORDERS] = "\n\n## Orders\n\n",
		[SRC_PAYMENTS] = "\n## Payments\n\n", [SRC_TICKETS] = "\n## Support tickets\n\n"};
	for (int src = SRC_ORDERS; src < SRC_SESSIONS; src++) {
		buf_puts_inline(md, heading[src]);
		const Value *why = src == SRC_ORDERS ? NULL : v[CMD_PAYMENTS_WHY + src - SRC_PAYMENTS];
		if (!md_facts(v + CMD_FACTS + 3 * (src - SRC_ORDERS), (SourceId)src, NULL, why, fmt, md, slots))
			return false;
	}
	buf_puts_inline(md, "\n## Web sessions\n\n");
	if (!v_truthy(v[CMD_SESSIONS_WHY])) {
		buf_puts_inline(md, "Mobile ");
		PUT(CMD_MOBILE);
		buf_puts_inline(md, " \u00b7 Web ");
		PUT(CMD_WEB);
		buf_puts_inline(md, " \u00b7 Other ");
		PUT(CMD_OTHER);
		buf_puts_inline(md, "\n\n");
	}
	return md_facts(v + CMD_FACTS + 3 * (SRC_SESSIONS - SRC_ORDERS), SRC_SESSIONS, v[CMD_SESSIONS_TIMED],
			v[CMD_SESSIONS_WHY], fmt, md, slots);
#undef PUT
#undef RAW
}

/* tpl_put_html, with c360's own text that needs no escaping (Value.plain: most of a fragment's
 * values, a day's name, an event's time, kind and detail) copied inline, without the call. */
static inline __attribute__((always_inline)) void put_html(Buf *out, Buf *scratch, const Value *v, bool day,
							   const NumFormat *fmt)
{
	if (v && v->kind == V_STR && v->plain && !v->i)
		buf_put_inline(out, v->s, v->n);
	else
		tpl_put_html(out, scratch, v, day, fmt);
}

const char lifecycle_builtin[] =
	"<ol class=\"timeline\">\n"
	"<li class=\"{{#first_seen}}done{{/first_seen}}{{^first_seen}}todo{{/first_seen}}\"><span class=\"stage\">Signup</span> <span class=\"when\">{{#first_seen}}first seen {{first_seen|day}}{{/first_seen}}{{^first_seen}}no dated event{{/first_seen}}</span></li>\n"
	"{{#stages}}\n"
	"<li class=\"{{#done}}done{{/done}}{{^done}}todo{{/done}}\"><span class=\"stage\">{{stage}}</span> <span class=\"when\">{{#first}}first {{first|day}}{{/first}}{{^first}}{{#done}}undated{{/done}}{{^done}}not yet{{/done}}{{/first}}</span>{{#latest}} <span class=\"when\">latest {{latest|day}}</span>{{/latest}} <span class=\"count\">{{count}} {{noun}}</span></li>\n"
	"{{/stages}}\n"
	"</ol>\n";

void lifecycle_html(const Value *first_seen, const Value *stages, const NumFormat *fmt, Buf *scratch, Buf *out)
{
	if (v_truthy(first_seen)) {
		buf_puts_inline(out, "<ol class=\"timeline\">\n<li class=\"done\"><span class=\"stage\">Signup</span> "
			      "<span class=\"when\">first seen ");
		put_html(out, scratch, first_seen, true, fmt);
		buf_puts_inline(out, "</span></li>\n");
	} else {
		buf_puts_inline(out, "<ol class=\"timeline\">\n<li class=\"todo\"><span class=\"stage\">Signup</span> "
			      "<span class=\"when\">no dated event</span></li>\n");
	}
	for (size_t k = 0; k < stages->n; k++) {
		Value *const *s = stages->items[k]->items;	/* stage, done, first, latest, count, noun */
		bool done = v_truthy(s[1]);
		buf_puts_inline(out, done ? "<li class=\"done\"><span class=\"stage\">" : "<li class=\"todo\"><span class=\"stage\">");
		put_html(out, scratch, s[0], false, fmt);
		buf_puts_inline(out, "</span> <span class=\"when\">");
		if (v_truthy(s[2])) {
			buf_puts_inline(out, "first ");
			put_html(out, scratch, s[2], true, fmt);
		} else {
			buf_puts_inline(out, done ? "undated" : "not yet");
		}
		buf_puts_inline(out, "</span>");
		if (v_truthy(s[3])) {
			buf_puts_inline(out, " <span class=\"when\">latest ");
			put_html(out, scratch, s[3], true, fmt);
			buf_puts_inline(out, "</span>");
		}
		buf_puts_inline(out, " <span class=\"count\">");
		put_html(out, scratch, s[4], false, fmt);
		buf_putc(out, ' ');
		put_html(out, scratch, s[5], false, fmt);
		buf_puts_inline(out, "</span></li>\n");
	}
	buf_puts_inline(out, "</ol>\n");
}

const char strip_builtin[] =
	"<ul class=\"strip\">\n"
	"<li><span class=\"label\">Lifetime value</span> <span class=\"figure\">{{lifetime_value}}</span></li>\n"
	"<li><span class=\"label\">Last order</span> <span class=\"figure\">{{#last_order}}<time datetime=\"{{last_order}}\">{{last_order|day}}</time>{{/last_order}}{{^last_order}}{{#valid_orders}}undated{{/valid_orders}}{{^valid_orders}}none{{/valid_orders}}{{/last_order}}</span></li>\n"
	"<li><span class=\"label\">Last seen</span> <span class=\"figure\">{{#last_seen}}<time datetime=\"{{last_seen}}\">{{last_seen|day}}</time>{{/last_seen}}{{^last_seen}}no dated event{{/last_seen}}</span></li>\n"
	"<li{{#open_tickets}} class=\"alert\"{{/open_tickets}}><span class=\"label\">Open tickets</span> <span class=\"figure\">{{#tickets_count}}{{open_tickets}} of {{tickets_count}}{{/tickets_count}}{{^tickets_count}}{{#tickets_why}}no ticket data{{/tickets_why}}{{^tickets_why}}no tickets{{/tickets_why}}{{/tickets_count}}</span></li>\n"
	"</ul>\n";

/* A date in a figure of the strip: <time> or what stands for none. */
static void strip_date(const Value *v, const char *none, const NumFormat *fmt, Buf *scratch, Buf *out)
{
	if (!v_truthy(v)) {
		buf_puts_inline(out, none);
		return;
	}
	buf_puts_inline(out, "<time datetime=\"");
	put_html(out, scratch, v, false, fmt);
	buf_puts_inline(out, "\">");
	put_html(out, scratch, v, true, fmt);
	buf_puts_inline(out, "</time>");
}

void strip_html(const Value *const v[7], const NumFormat *fmt, Buf *scratch, Buf *out)
{
	buf_puts_inline(out, "<ul class=\"strip\">\n<li><span class=\"label\">Lifetime value</span> <span class=\"figure\">");
	put_html(out, scratch, v[0], false, fmt);
	buf_puts_inline(out, "</span></li>\n<li><span class=\"label\">Last order</span> <span class=\"figure\">");
	strip_date(v[1], v_truthy(v[5]) ? "undated" : "none", fmt, scratch, out);	/* valid orders, none dated */
	buf_puts_inline(out, "</span></li>\n<li><span class=\"label\">Last seen</span> <span class=\"figure\">");
	strip_date(v[2], "no dated event", fmt, scratch, out);
	buf_puts_inline(out, v_truthy(v[3]) ? "</span></li>\n<li class=\"alert\"><span class=\"label\">Open tickets</span> <span class=\"figure\">"
				  : "</span></li>\n<li><span class=\"label\">Open tickets</span> <span class=\"figure\">");
	if (v_truthy(v[4])) {
		put_html(out, scratch, v[3], false, fmt);
		buf_puts_inline(out, " of ");
		put_html(out, scratch, v[4], false, fmt);
	} else {	/* none, or none known: the exports have no ticket data */
		buf_puts_inline(out, v_truthy(v[6]) ? "no ticket data" : "no tickets");
	}
	buf_puts_inline(out, "</span></li>\n</ul>\n");
}

/* v, marked as text c360 wrote that holds none of & < > " ' (Value.plain). */
static inline Value *v_plain(Value *v)
{
	v->plain = true;
	return v;
}

/* A fragment c360 writes itself when the site's template is c360's and what it writes is within
 * page_max_bytes, else rendered (the engine says where it passes): the activity (of v[0], the
 * days), the lifecycle (of first_seen and stages) or the strip (strip_html's seven values). */
static Value *builtin_fragment(const Site *site, PageWork *w, Value *d, Fragment which, const Value *const *v,
			       const char *path)
{
	static const char *const name[FRAG_COUNT] = {"activity.html", "lifecycle.html", "customer_strip.html"};
	Buf *out = site->builtin[which] ? page_fragment_buf(site, w, path, d) : NULL;
	if (!out)
		return page_fragment(site, w, path, name[which], d);
	if (which == FRAG_ACTIVITY)
		activity_html(v[0], &site->fmt, &w->scratch, out);
	else if (which == FRAG_LIFECYCLE)
		lifecycle_html(v[0], v[1], &site->fmt, &w->scratch, out);
	else
		strip_html(v, &site->fmt, &w->scratch, out);
	if (out->len > site->cfg->page_max) {
		w->nfrags--;
		return page_fragment(site, w, path, name[which], d);
	}
	Value *made = page_fragment_value(w, out);
	made->aligned = true;	/* the shipped texts hold no "align", the values no '"' (esc_html) */
	return made;
}

/* The lifecycle: signup → browse → order → pay → complaint, each stage with its first and latest
 * dates and how many events it had (templates/lifecycle.html). The exports carry no signup
 * date: signup is when the customer is first seen in any of them. */
static Value *lifecycle(const Site *site, PageWork *w, Value *d, uint32_t c, const char *path)
{
	static const struct { Str stage, one, many; } stages[LC_COUNT] = {
		[LC_BROWSE] = {LIT("Browse"), LIT("session"), LIT("sessions")},
		[LC_ORDER] = {LIT("Order"), LIT("valid order"), LIT("valid orders")},
		[LC_PAY] = {LIT("Pay"), LIT("successful payment"), LIT("successful payments")},
		[LC_COMPLAINT] = {LIT("Complaint"), LIT("ticket"), LIT("tickets")},
	};
	Arena *a = &w->arena;
	Lifecycle lc;
	gold_lifecycle(site->g, c, &lc);
	Value *seen = v_set(a, d, "first_seen", v_num(a, V_DATE, lc.seen == MOMENT_NULL ? MOMENT_NULL : date_floor_day(lc.seen)));
	Value *list = v_set(a, d, "stages", v_room(a, v_list(a), LC_COUNT));
	static const SourceId of[LC_COUNT] = {[LC_BROWSE] = SRC_SESSIONS, [LC_ORDER] = SRC_ORDERS, [LC_PAY] = SRC_PAYMENTS,
					      [LC_COMPLAINT] = SRC_TICKETS};
	for (int k = 0; k < LC_COUNT; k++) {
		if (site->source_why[of[k]].len)	/* no such data: no stage to reach */
			continue;
		Value *o = v_push(a, list, v_room(a, v_obj_lazy(a), 6));
		v_set_lazy(a, o, "stage", v_plain(v_lent(a, stages[k].stage.p, stages[k].stage.n)));
		v_set_lazy(a, o, "done", v_bool(a, lc.count[k] > 0));
		v_set_lazy(a, o, "first", v_num(a, V_DATE, lc.first[k] == MOMENT_NULL ? MOMENT_NULL : date_floor_day(lc.first[k])));
		v_set_lazy(a, o, "latest", v_num(a, V_DATE, lc.last[k] == MOMENT_NULL ? MOMENT_NULL : date_floor_day(lc.last[k])));
		v_set_lazy(a, o, "count", v_num(a, V_INT, lc.count[k]));
		Str noun = lc.count[k] == 1 ? stages[k].one : stages[k].many;
		v_set_lazy(a, o, "noun", v_plain(v_lent(a, noun.p, noun.n)));
	}
	return builtin_fragment(site, w, d, FRAG_LIFECYCLE, (const Value *const[]){seen, list}, path);
}

/* ---- the activity: every fact, newest first, grouped by day */

#define ACTIVITY_MAX 25	/* the latest facts shown; the tables below have more */

/* Whether every line activity_detail writes for a fact of src holds none of & < > " ' and no
 * control (so that esc_html leaves it as it is): every label of its label columns (the dictionary's, up to a NUL:
 * at least what a page shows) and the money's separator and currency; the rest is c360's (the
 * channels' names, "no amount", the dots between). Once a build. */
static bool detail_plain(const Site *site, SourceId src)
{
	static const char special[] = "&<>\"'";
	const FactTable *ft = &fact_tables[src];
	for (int f = 0; f < ft->ncols; f++) {
		const FactCol *fc = &ft->cols[f];
		if (fc->kind == FC_MONEY && (strpbrk(site->fmt.thousands, special) || strpbrk(site->fmt.currency, special)))
			return false;
		if (fc->kind != FC_LABEL)
			continue;
		const Dict *d = &site->g->src[src].dict[fc->col];
		for (uint32_t k = 0; k < d->n; k++) {
			const char *label = dict_label(d, k);
			if (strpbrk(label, special))
				return false;
			for (size_t i = 0, n = strlen(label); i < n; i++)
				if (control_len(label + i, n - i))
					return false;	/* esc_html makes it a space */
		}
	}
	return true;
}

/* Whether a label activity_detail writes for a fact of src holds a bidirectional control (each
 * label is then closed, esc_bidi, before the next part of the line). Once a build. */
static bool detail_bidi(const Site *site, SourceId src)
{
	const FactTable *ft = &fact_tables[src];
	for (int f = 0; f < ft->ncols; f++) {
		const Dict *d = ft->cols[f].kind == FC_LABEL ? &site->g->src[src].dict[ft->cols[f].col] : NULL;
		for (uint32_t k = 0; d && k < d->n; k++)
			if (has_bidi(dict_label(d, k), dict_len(d, k)))
				return true;
	}
	return false;
}

/* A fact in a line, its columns as its fact table describes them: "120.50 · Completed",
 * "Credit Card · Success · 120.50", "Delivery Delay · Open", "/home · iOS · Mobile". */
static void activity_detail(const Site *site, Buf *b, SourceId src, const RowHead *h)
{
	const FactTable *ft = &fact_tables[src];
	for (int f = 0, n = 0; f < ft->ncols; f++) {
		if (ft->cols[f].kind == FC_RULE)
			continue;
		FactValue v = gold_fact_value(site->g, src, &ft->cols[f], h);	/* as fact_value has it, written */
		buf_puts_inline(b, n++ ? " · " : "");
		if (v.kind == FV_MONEY && v.cents != KPI_NULL) {
			fmt_money(b, &site->fmt, v.cents);
		} else if (v.kind == FV_TEXT && v.text && __builtin_expect(site->detail_bidi[src], 0)) {	/* each label closed */
			esc_bidi(b, v.text, utf8_cut(v.text, fact_text_len(site, src, f, h, v.text), shown_max(site, true)));
		} else if (v.kind == FV_TEXT && v.text) {
			size_t len = fact_text_len(site, src, f, h, v.text);
			buf_put_inline(b, v.text, utf8_cut(v.text, len, shown_max(site, true)));
		} else {
			buf_puts_inline(b, "no amount");
		}
	}
}

/* b's text copied into the arena (as v_str, without its two calls: ~40 a page). */
static inline Value *v_copy(Arena *a, const Buf *b)
{
	if (!b->p)
		return v_lent(a, NULL, 0);
	char *d = arena_bump(a, b->len + 1, 1);
	if (b->len <= 16)
		copy_small(d, b->p, b->len);
	else
		memcpy(d, b->p, b->len);
	d[b->len] = '\0';
	return v_lent(a, d, b->len);
}

/* A day of the activity: its name, its date and its facts (filled by the caller). */
static Value *activity_day(Arena *a, Value *days, int64_t day, Buf *b)
{
	Value *o = v_push(a, days, v_room(a, v_obj_lazy(a), 3));
	b->len = 0;
	if (day == MOMENT_NULL)
		buf_puts_inline(b, "No date");
	else
		buf_put_inline(b, date_weekday_abbr[date_weekday(day) - 1], 3), buf_puts_inline(b, ", "), fmt_date_words(b, day);	/* "Mon" .. "Sun" */
	v_set_lazy(a, o, "day", v_plain(v_copy(a, b)));	/* a weekday, a date in words or "No date" */
	v_set_lazy(a, o, "date", v_num(a, V_DATE, day));
	return v_set_lazy(a, o, "events", v_list(a));
}

const char activity_builtin[] =
	"<section class=\"activity\" aria-label=\"Recent activity\">\n"
	"{{#days}}\n"
	"<h3>{{#date}}<time datetime=\"{{date}}\">{{day}}</time>{{/date}}{{^date}}{{day}}{{/date}}</h3>\n"
	"<ol>\n"
	"{{#events}}\n"
	"<li><span class=\"time\">{{time}}{{^time}}&nbsp;{{/time}}</span><span class=\"kind\">{{kind}} {{id}}</span><span class=\"what{{#open}} open{{/open}}\">{{detail}}{{#open_note}} (open){{/open_note}}</span></li>\n"
	"{{/events}}\n"
	"</ol>\n"
	"{{/days}}\n"
	"{{^days}}\n"
	"<p>No orders, payments, tickets or sessions.</p>\n"
	"{{/days}}\n"
	"</section>\n";

void activity_html(const Value *days, const NumFormat *fmt, Buf *scratch, Buf *out)
{
	buf_puts_inline(out, "<section class=\"activity\" aria-label=\"Recent activity\">\n");
	for (size_t k = 0; k < days->n; k++) {
		Value *const *day = days->items[k]->items;	/* day, date, events */
		buf_puts_inline(out, "<h3>");
		if (v_truthy(day[1])) {
			buf_puts_inline(out, "<time datetime=\"");
			put_html(out, scratch, day[1], false, fmt);
			buf_puts_inline(out, "\">");
			put_html(out, scratch, day[0], false, fmt);
			buf_puts_inline(out, "</time>");
		} else {
			put_html(out, scratch, day[0], false, fmt);
		}
		buf_puts_inline(out, "</h3>\n<ol>\n");
		for (size_t i = 0; i < day[2]->n; i++) {
			Value *const *e = day[2]->items[i]->items;	/* time, kind, id, detail, open, open_note */
			buf_puts_inline(out, "<li><span class=\"time\">");
			put_html(out, scratch, e[0], false, fmt);
			if (!v_truthy(e[0]))
				buf_puts_inline(out, "&nbsp;");
			buf_puts_inline(out, "</span><span class=\"kind\">");
			put_html(out, scratch, e[1], false, fmt);
			buf_putc(out, ' ');
			put_html(out, scratch, e[2], false, fmt);
			bool open = v_truthy(e[4]);
			buf_puts_inline(out, open ? "</span><span class=\"what open\">" : "</span><span class=\"what\">");
			put_html(out, scratch, e[3], false, fmt);
			buf_puts_inline(out, v_truthy(e[5]) ? " (open)</span></li>\n" : "</span></li>\n");
		}
		buf_puts_inline(out, "</ol>\n");
	}
	if (!days->n)
		buf_puts_inline(out, "<p>No orders, payments, tickets or sessions.</p>\n");
	buf_puts_inline(out, "</section>\n");
}

static Value *activity(const Site *site, PageWork *w, Value *d, uint32_t c, bool clock, const char *path)
{
	static const Str kind[SRC_COUNT] = {[SRC_ORDERS] = LIT("Order"),
					    [SRC_PAYMENTS] = LIT("Payment"), [SRC_TICKETS] = LIT("Ticket"),
					    [SRC_SESSIONS] = LIT("Session")};
	Arena *a = &w->arena;
	Activity act[ACTIVITY_MAX];
	size_t n = gold_activity(site->g, c, act, ACTIVITY_MAX);
	Value *days = v_set(a, d, "days", v_list(a)), *events = NULL;
	Buf *b = &w->scratch;
	for (size_t i = 0; i < n; i++) {
		const RowHead *h = ROW(site->g->src[act[i].src].table, RowHead, act[i].row);
		if (!i || fact_day(h) != fact_day(ROW(site->g->src[act[i - 1].src].table, RowHead, act[i - 1].row)))
			events = activity_day(a, days, fact_day(h), b);
		Value *e = v_push(a, events, v_room(a, v_obj_lazy(a), 6));
		bool timed = fact_timed(act[i].src, h, clock);
		char *time = timed ? arena_alloc(a, DATE_TEXT_MAX) : NULL;	/* written where the value keeps it */
		v_set_lazy(a, e, "time", v_plain(timed ? v_lent(a, time + 11, fmt_moment(time, h->when, true) - 14) : v_lit(a, "")));
		v_set_lazy(a, e, "kind", v_plain(v_lent(a, kind[act[i].src].p, kind[act[i].src].n)));
		v_set_lazy(a, e, "id", cell(site, a, h->id, h->idlen));
		b->len = 0;
		activity_detail(site, b, act[i].src, h);
		bool open = act[i].src == SRC_TICKETS && ticket_is_open((const Ticket *)h);
		Value *detail = v_copy(a, b);
		v_set_lazy(a, e, "detail", site->detail_plain[act[i].src] ? v_plain(detail) : detail);
		v_set_lazy(a, e, "open", v_bool(a, open));
		v_set_lazy(a, e, "open_note", v_bool(a, open && ((const Ticket *)h)->status != TS_OPEN));	/* not Open (open) */
	}
	v_set(a, d, "activity_count", v_num(a, V_INT, (int64_t)n));
	return builtin_fragment(site, w, d, FRAG_ACTIVITY, (const Value *const[]){days}, path);
}

/* Out of line, once a page, so that a profile shows what the values cost (docs/performance.md). */
__attribute__((noinline)) static void customer_values(const Site *site, PageWork *w, Value *d, uint32_t c, const char *path)
{
	Arena *a = &w->arena;
	const Gold *g = site->g;
	const Customer *cu = ROW(g->src[SRC_CUSTOMERS].table, Customer, c);
	const Customer360 *x = &g->c360[c];
	int64_t seen = gold_last_seen(g, c);
	const Value **md = w->md_values;	/* customer.md's, for customer_md_slots */
	md[CMD_ID] = v_set(a, d, "id", field(site, a, cu->h.id, cu->h.idlen));
	v_set(a, d, "name", cfield(site, a, cu->name));
	md[CMD_TITLE] = v_set(a, d, "title", cu->name ? cfield(site, a, cu->name) : field(site, a, cu->h.id, cu->h.idlen));
	md[CMD_EMAIL] = v_set(a, d, "email", cfield(site, a, cu->email));
	md[CMD_GENDER] = v_set(a, d, "gender", v_lit(a, gender_label[cu->gender]));
	md[CMD_DOB] = v_set(a, d, "dob", v_num(a, V_DATE, fact_day(&cu->h)));
	md[CMD_LOCATION] = v_set(a, d, "location", cfield(site, a, cu->location));
	md[CMD_IN_CRM] = v_set(a, d, "in_crm", v_bool(a, cu->in_crm));
	v_set(a, d, "crm_line", v_num(a, V_INT, cu->h.line));
	const Value *strip[7];	/* strip_html's: lifetime value, last order, last seen, open tickets, tickets, valid
				 * orders, why no tickets are known */
	strip[0] = v_set(a, d, "lifetime_value", v_num(a, V_MONEY, x->lifetime_cents));
	md[CMD_AVERAGE_ORDER] = v_set(a, d, "average_order_value", v_num(a, V_MONEY, x->average_cents));
	md[CMD_VALID_ORDERS] = strip[5] = v_set(a, d, "valid_orders", v_num(a, V_INT, x->valid_orders));
	strip[3] = v_set(a, d, "open_tickets", v_num(a, V_INT, x->open_tickets));
	v_set(a, d, "first_order", v_num(a, V_DATE, x->first_order));
	strip[1] = v_set(a, d, "last_order", v_num(a, V_DATE, x->last_order));
	strip[2] = v_set(a, d, "last_seen", v_num(a, V_DATE, seen == MOMENT_NULL ? MOMENT_NULL : date_floor_day(seen)));
	md[CMD_PAYMENT_METHOD] = v_set(a, d, "preferred_payment_method",
	      cfield(site, a, x->preferred_method == UINT32_MAX ? NULL : gold_label(g, SRC_PAYMENTS, PA_METHOD, x->preferred_method)));
	md[CMD_CHANNEL] = v_set(a, d, "preferred_channel",
	      v_lit(a, x->preferred_channel < 0 ? NULL : channel_label[x->preferred_channel]));
	md[CMD_MOBILE] = v_set(a, d, "sessions_mobile", v_num(a, V_INT, x->sessions[CH_MOBILE]));
	md[CMD_WEB] = v_set(a, d, "sessions_web", v_num(a, V_INT, x->sessions[CH_WEB]));
	md[CMD_OTHER] = v_set(a, d, "sessions_other", v_num(a, V_INT, x->sessions[CH_OTHER]));
	bool timed = sessions_timed(g, c);
	md[CMD_SESSIONS_TIMED] = v_set(a, d, "sessions_timed", v_bool(a, timed));
	static const char *const why_key[SRC_COUNT] = {[SRC_PAYMENTS] = "payments_why", [SRC_TICKETS] = "tickets_why",
						       [SRC_SESSIONS] = "sessions_why"};
	for (int i = SRC_PAYMENTS; i < SRC_COUNT; i++) {
		const Buf *why = &site->source_why[i];
		md[CMD_PAYMENTS_WHY + i - SRC_PAYMENTS] = v_set(a, d, why_key[i], v_lent(a, why->p, why->len));
	}
	strip[6] = md[CMD_PAYMENTS_WHY + SRC_TICKETS - SRC_PAYMENTS];
	for (int i = SRC_ORDERS; i <= SRC_SESSIONS; i++) {	/* customer.md's order */
		Value *count = history(site, w, d, (SourceId)i, c, timed, md + CMD_FACTS + 3 * (i - SRC_ORDERS));
		if (i == SRC_TICKETS)
			strip[4] = count;
	}
	md[CMD_STRIP] = v_set(a, d, "strip", builtin_fragment(site, w, d, FRAG_STRIP, strip, path));
	md[CMD_ACTIVITY] = v_set(a, d, "activity", activity(site, w, d, c, timed, path));
	md[CMD_LIFECYCLE] = v_set(a, d, "lifecycle", lifecycle(site, w, d, c, path));
	w->md_for = site->builtin_md ? d : NULL;	/* each key set once above: what the engine would find */
}

typedef struct {
	Site *site;
	size_t from, to;	/* customers in output order, or packs */
	const uint32_t *start, *member;	/* packs: pack k's customers are member[start[k] to start[k + 1]] */
	PageWork w;
	FileHasher *input;	/* a page's input (customer_input) */
	Buf facts;		/* ... and a customer's facts of a source (facts_input) */
	FileHasher *facts_input;
	uint64_t hashed[SRC_COUNT];	/* customers whose facts of a source were hashed, not kept */
	Buf pack, hashes;	/* packs: the one being made, its customers' inputs (kept from block to block) */
	PackMarkup markup;	/* packs: the markup of the one being made */
	struct PackInputs *inputs;	/* packs: what each was made from, the previous build's and this one's */
	struct OldPack *old;	/* packs: the previous build's of the one being made (old_pack_read) */
	uint64_t records_kept;	/* packs: customers' records taken from the previous build's packs */
	bool ok;
} PageJob;

static Value *customer_data(PageJob *j, uint32_t c, const char *path)
{
	arena_reset(&j->w.arena);
	Value *d = v_room(&j->w.arena, v_obj(&j->w.arena), 64);	/* ~50 keys: the page's and every page's */
	customer_values(j->site, &j->w, d, c, path);
	return d;
}

/* ---- what a customer's page is made from, hashed straight from the gold rows */

#define INPUT_CHUNK 4096	/* bytes of a page's input hashed at once: a customer may have millions of facts */

/* Bytes to hash, gathered in b and hashed at once; when they grow many (a customer may have
 * millions of facts), hashed a chunk at a time into h (streamed): the same hash either way. */
typedef struct {
	Buf *b;
	FileHasher *h;
	bool streamed;
} Gather;

static void gather_flush(Gather *g)
{
	file_hasher_add(g->h, g->b->p, g->b->len);
	g->b->len = 0;
	g->streamed = true;
}

static FileHash gather_end(Gather *g)
{
	if (!g->streamed)
		return file_hash(g->b->p ? g->b->p : "", g->b->len);
	gather_flush(g);
	g->streamed = false;
	return file_hasher_take(g->h);
}

/* Text into a hash's bytes: its length first, so that fields cannot run into each other, and
 * no text (NULL) is not the empty one. A long text is hashed where it is, not copied. (Flattened:
 * called for every text of every page, and the compiler, short of room in this file, would
 * leave the second buf_put a call.) */
__attribute__((flatten)) static void put_text(Gather *g, const char *s, size_t n)
{
	uint64_t len = s ? n : UINT64_MAX;
	buf_put(g->b, &len, sizeof len);
	if (n <= INPUT_CHUNK) {
		buf_put(g->b, s, s ? n : 0);
		return;
	}
	gather_flush(g);
	file_hasher_add(g->h, s, n);
}

static void put_ctext(Gather *g, const char *s)
{
	put_text(g, s, s ? strlen(s) : 0);
}

/* Each fact column whose value is text (FC_LABEL, FC_CHANNEL: gold_fact_value makes it from the
 * label number in column col alone), the hash of that text, by number: a fact's labels go into
 * its page's input by their text (a number follows the order labels first come in, which
 * another customer's rows can change) without hashing the text again for every row. And whether
 * the dictionary has each text's length, for the pages (fact_text_len). */
static void label_hashes(Site *site, bool make)
{
	for (int src = 0; src < SRC_COUNT; src++) {
		char *row = make && source_is_fact((SourceId)src) ? xcalloc(1, source_defs[src].row_size) : NULL;
		for (int f = 0; f < fact_tables[src].ncols; f++) {
			const FactCol *fc = &fact_tables[src].cols[f];
			const Dict *d = &site->g->src[src].dict[fc->col];
			FileHash **h = &site->label_hash[src][f];
			bool *dict_has_len = &site->label_dict_len[src][f];
			free(*h);
			*h = NULL;
			*dict_has_len = false;
			if (!row || (fc->kind != FC_LABEL && fc->kind != FC_CHANNEL))
				continue;
			*h = xmalloc(((size_t)d->n + 1) * sizeof **h);
			bool same = fc->kind == FC_LABEL;	/* a channel's text is not its label */
			for (uint32_t k = 0; k < d->n; k++) {
				*(uint32_t *)fact_field((RowHead *)(void *)row, (SourceId)src, fc->col) = k;
				const char *text = gold_fact_value(site->g, (SourceId)src, fc, (RowHead *)(void *)row).text;
				size_t n = strlen(text);	/* up to a NUL, as a page has it */
				(*h)[k] = file_hash(text, n);
				same = same && n == dict_len(d, k);
			}
			*dict_has_len = same;
		}
		free(row);
	}
}

/* Whether customer c's facts of source src are hashed as the previous build hashed them
 * (facts_begin): all of the source's, or a grown source's customers with no new row. */
static bool facts_kept(const Site *site, SourceId src, uint32_t c)
{
	return site->facts_hash[src] && (!site->facts_fill[src] || (site->facts_grown[src] && !site->facts_grown[src][c]));
}

/* Each of customer c's facts of one source, in the order their page lists them, hashed. */
static FileHash facts_input(const Site *site, Gather *g, SourceId src, uint32_t c)
{
	const Gold *gd = site->g;
	const FactTable *ft = &fact_tables[src];
	const ByCustomer *bc = &gd->by[src];
	const Table *t = gd->src[src].table;
	uint64_t n = bc->start[c + 1] - bc->start[c];
	g->b->len = 0;
	buf_put(g->b, &n, sizeof n);
	for (uint32_t i = bc->start[c]; i < bc->start[c + 1]; i++) {
		const RowHead *r = ROW(t, RowHead, bc->row[i]);
		uint64_t fixed[2 + 2 * 3] = {(uint64_t)r->when, r->line};
		size_t k = 2;
		if (g->b->len > INPUT_CHUNK)
			gather_flush(g);
		put_text(g, r->id, r->idlen);
		for (int f = 0; f < ft->ncols; f++) {
			const FactCol *fc = &ft->cols[f];
			const FileHash *text = site->label_hash[src][f];
			if (text) {
				FileHash l = text[*(const uint32_t *)fact_field(r, src, fc->col)];
				fixed[k++] = l.lo, fixed[k++] = l.hi;
			} else {
				FactValue v = gold_fact_value(gd, src, fc, r);	/* money or a rule */
				fixed[k++] = v.kind == FV_MONEY ? (uint64_t)v.cents : v.yes;
			}
		}
		buf_put(g->b, fixed, k * sizeof *fixed);
	}
	return gather_end(g);
}

/* What customer c's page at path is made from, without making its values: the page salt
 * (c360, the settings but the data folder and --as-of, the config and rates files, templates,
 * theme, assets), the template's name and the path, and every value customer_values() and the
 * fragments it renders read, from where they read it:
 * - the customer's row: id, name, e-mail, location (the title is the name or the id), gender
 *   (a fixed label), date of birth (h.when), in_crm, line;
 * - the Customer360 figures the page shows, those that depend on the as-of date alone (days
 *   since the last order, the segment, active, churn risk) being none of them: lifetime and
 *   average value, valid orders, open tickets, first and last order, the preferred payment
 *   method by its label's text, the preferred channel (a fixed label), sessions per channel
 *   (a render takes them from customer_360.csv as they are, not from the facts);
 * - every fact of every source by[] lists for c (those after the as-of date are not there), in
 *   its order: how many, and of each its id, moment (h.when: its date, its time, the day the
 *   activity groups it in, the lifecycle and last seen), line and every column gold_fact_value
 *   gives (amounts; labels and the channel by their text, not their number, which another
 *   customer's row can change: label_hashes; the rules is_valid and is_open). The history
 *   shows the latest LIST_ROWS and the count, the activity the latest ACTIVITY_MAX of all
 *   sources merged by moment, the lifecycle counts valid orders, successful payments (payment
 *   status label 0, by its text: the canonical labels come first in every dictionary),
 *   sessions and tickets. Each source's facts are hashed apart (facts_input), or taken as the
 *   previous build hashed them when the source's rows key is the same, or the source grew
 *   and none of the new rows is the customer's (facts_begin);
 * - what page_globals() gives every page: the root (from the path), the churn window (a
 *   render's comes from kpi_summary.csv), the title and version (in the salt); no as-of date
 *   on a customer's page (PageWork.undated).
 * Fragments are rendered from those values and templates, the layout from them and the theme. */
static FileHash customer_input(PageJob *j, uint32_t c, const char *path)
{
	const Site *site = j->site;
	const Gold *g = site->g;
	const Customer *cu = ROW(g->src[SRC_CUSTOMERS].table, Customer, c);
	const Customer360 *x = &g->c360[c];
	int64_t figures[] = {cu->h.when, cu->h.line, cu->gender, cu->in_crm, g->churn_window_days,
			     x->lifetime_cents, x->average_cents, x->valid_orders, x->open_tickets, x->first_order,
			     x->last_order, x->preferred_channel, x->sessions[CH_MOBILE], x->sessions[CH_WEB],
			     x->sessions[CH_OTHER]};
	FileHash facts[SRC_COUNT] = {{0, 0}};
	Gather f = {&j->facts, j->facts_input, false};
	for (int i = 0; i < SRC_COUNT; i++) {
		FileHash *kept = site->facts_hash[i];
		if (!source_is_fact((SourceId)i))
			continue;
		if (facts_kept(site, (SourceId)i, c)) {
			facts[i] = kept[c];	/* the previous build's: made from the same rows */
			continue;
		}
		facts[i] = facts_input(site, &f, (SourceId)i, c);
		j->hashed[i]++;
		if (kept)
			kept[c] = facts[i];	/* each customer once, on one thread */
	}
	Gather in = {&j->w.scratch, j->input, false};
	Buf *b = in.b;
	b->len = 0;
	buf_put(b, &site->page_salt, sizeof site->page_salt);
	buf_put(b, "customer", sizeof "customer");
	put_ctext(&in, path);
	put_text(&in, cu->h.id, cu->h.idlen);
	put_ctext(&in, cu->name);
	put_ctext(&in, cu->email);
	put_ctext(&in, cu->location);
	buf_put(b, figures, sizeof figures);
	put_ctext(&in, x->preferred_method == UINT32_MAX ? NULL : gold_label(g, SRC_PAYMENTS, PA_METHOD, x->preferred_method));
	buf_put(b, facts, sizeof facts);
	return gather_end(&in);
}

#define PREFETCH_FACTS 64	/* of a source's facts of a customer, at most */

/* Customer c's rows into the cache before its page is made, in four steps a customer apart
 * (the customers are visited by folder or by pack, not in their rows' order: each row is a
 * miss): step 0 asks for where its facts' list starts, step 1 (that now read) for the list,
 * step 2 (the list read) for its own row, its figures, its facts' kept hashes (written by
 * customer_input) and the first facts of each source, step 3 (those read) for the texts they
 * point to: its name, e-mail and location, the facts' ids. A step never waits on memory that
 * the step before did not ask for. */
static void prefetch_customer(const Site *site, uint32_t c, int step)
{
	const Gold *g = site->g;
	const Customer *cu = ROW(g->src[SRC_CUSTOMERS].table, Customer, c);
	if (step == 2) {
		__builtin_prefetch(cu);
		__builtin_prefetch(&g->c360[c]);
	} else if (step == 3) {
		__builtin_prefetch(cu->name);	/* NULL is no fault: a prefetch never is */
		__builtin_prefetch(cu->email);
		__builtin_prefetch(cu->location);
	}
	for (int src = 0; src < SRC_COUNT; src++) {
		if (!source_is_fact((SourceId)src) || facts_kept(site, (SourceId)src, c))
			continue;	/* facts not read: their hash is kept */
		const ByCustomer *bc = &g->by[src];
		if (step == 0) {
			__builtin_prefetch(&bc->start[c]);
			continue;
		}
		if (step == 2 && site->facts_hash[src])
			__builtin_prefetch(&site->facts_hash[src][c], 1);
		uint32_t from = bc->start[c], to = bc->start[c + 1];
		to = to - from > PREFETCH_FACTS ? from + PREFETCH_FACTS : to;
		const Table *t = g->src[src].table;
		for (uint32_t i = from; i < to; i = step == 1 ? (i | 15) + 1 : i + 1)	/* 16 row numbers a line */
			__builtin_prefetch(step == 1 ? (const void *)&bc->row[i]
				: step == 2 ? (const void *)ROW(t, RowHead, bc->row[i]) : (const void *)ROW(t, RowHead, bc->row[i])->id);
	}
}

#define PREFETCH_STEPS 4

/* The steps of prefetch_customer for the customers after the i-th of n (who[k]). */
static void prefetch_next(const Site *site, const uint32_t *who, size_t i, size_t n)
{
	for (int step = 0; step < PREFETCH_STEPS; step++)
		if (i + PREFETCH_STEPS - (size_t)step < n)
			prefetch_customer(site, who[i + PREFETCH_STEPS - step], step);
}

/* A customer's page, unless the previous site has it made from the same inputs: then it is
 * linked, its values not even made. */
static void customer_page(PageJob *j, uint32_t c, const char *path, bool check)
{
	const Site *site = j->site;
	FileHash input = customer_input(j, c, path);
	if (check && manifest_page_kept(site->dir, path, input))
		return;
	Value *d = customer_data(j, c, path);
	size_t said = j->w.err.len;
	j->ok = page_write(site, &j->w, path, "customer", d);
	if (j->ok && j->w.err.len == said)	/* a page with something to say is made every time */
		manifest_page_made(site->dir, path, input);
}

#define AHEAD 4	/* customers whose page paths are made before their page: the lookups' steps */

/* The paths of the customers after the i-th of the block, from the (i + AHEAD - 1)-th on
 * made now, each looked up by manifest_prefetch's steps as its page comes nearer (the previous
 * site's list is a hundred thousand entries: each lookup missed the cache three times). */
static void prefetch_lookups(PageJob *j, Buf *ring, uint64_t *hash, size_t i)
{
	const Table *customers = j->site->g->src[SRC_CUSTOMERS].table;
	size_t last = i + AHEAD - 1;
	if (last < j->to) {
		ring[last % AHEAD].len = 0;
		uint32_t c = j->site->g->order[last];
		customer_page_path(&ring[last % AHEAD], &j->site->plan, c, &ROW(customers, Customer, c)->h);
	}
	for (int step = 2; step >= 0; step--)
		if (i + 1 + (size_t)step < j->to)
			manifest_prefetch(buf_cstr(&ring[(i + 1 + (size_t)step) % AHEAD]), &hash[(i + 1 + (size_t)step) % AHEAD], step);
}

static void *customer_pages(void *arg)
{
	PageJob *j = arg;
	Buf path = {0}, ring[AHEAD] = {{0}};
	uint64_t hash[AHEAD] = {0};	/* of each path in the ring, for manifest_prefetch */
	j->ok = true;
	const Table *customers = j->site->g->src[SRC_CUSTOMERS].table;
	bool check = manifest_old_pages(j->site->dir);
	bool every = j->site->plan.mode == PAGES_FILES && j->site->cfg->shards <= 1;	/* a page for each here */
	bool ahead = every && check;	/* the paths made ahead in the ring, their lookups prefetched */
	for (size_t i = j->from; i < j->to && i < j->from + AHEAD - 1 && ahead; i++) {
		uint32_t c = j->site->g->order[i];
		customer_page_path(&ring[i % AHEAD], &j->site->plan, c, &ROW(customers, Customer, c)->h);
		manifest_prefetch(buf_cstr(&ring[i % AHEAD]), &hash[i % AHEAD], 2);
	}
	for (size_t i = j->from; i < j->to && j->ok; i++) {
		uint32_t c = j->site->g->order[i];
		if (every)	/* not for top N or a shard: most of the next customers have no page here */
			prefetch_next(j->site, j->site->g->order, i, j->to);
		if (ahead)
			prefetch_lookups(j, ring, hash, i);
		if (!has_file_page(&j->site->plan, c) || !shard_has(j->site->cfg, customer_folder(&ROW(customers, Customer, c)->h)))
			continue;	/* no page, or another shard's */
		if (!ahead) {
			path.len = 0;
			customer_page_path(&path, &j->site->plan, c, &ROW(customers, Customer, c)->h);
		}
		customer_page(j, c, buf_cstr(ahead ? &ring[i % AHEAD] : &path), check);
	}
	buf_free(&path);
	for (int k = 0; k < AHEAD; k++)
		buf_free(&ring[k]);
	return NULL;
}

/* What a pack is made from: its customers' page inputs, in its order. */
static FileHash pack_input(PageJob *j, uint32_t k, Buf *hashes)
{
	hashes->len = 0;
	for (uint32_t i = j->start[k]; i < j->start[k + 1]; i++) {
		prefetch_next(j->site, j->member, i, j->start[k + 1]);
		FileHash h = customer_input(j, j->member[i], VIEW_PATH);
		buf_put(hashes, &h, sizeof h);
	}
	return file_hash(hashes->p, hashes->len);
}

/* ---- packs: customers/packed/K.js */

/* A pack made again keeps the records of its customers made from the same input as in the
 * previous build's pack: that pack (its bytes as its manifest says) holds each one's page in
 * pieces, put together again and cut into pieces for this pack's runs (esc_js_pack: the same
 * bytes as from the page rendered), the page not rendered. A customer's input names every value
 * its page shows (customer_input), so a customer of the same input has the same page. Which
 * input each record of a pack was made from is in the cache (.c360-cache/packs), the pack's own
 * input beside them: the previous pack is used only if its manifest says it was made from that
 * input (so from those records, in that order). At a million customers ~60 a pack, 1 % of them
 * changed make ~45 % of the packs again; their other customers are most of a rebuild's pages. */

/* Whether the build caches what its pages are made from for the next: the staging folder has a
 * cache, and every customer's page is made here (files or packed, not shards). */
static bool pages_cached(const Site *site)
{
	char *cache = path_join(site->dir, CACHE_DIR);
	struct stat st;
	bool every = (site->plan.mode == PAGES_FILES || site->plan.mode == PAGES_PACKED) && site->cfg->shards <= 1 &&
		     lstat(cache, &st) == 0 && S_ISDIR(st.st_mode);
	free(cache);
	return every;
}

#define PACKS_CACHE "packs"
#define PACKS_MAGIC "C360PAK"
#define PACKS_VERSION 1

typedef struct PackInputs {
	/* The previous build's (old_pack NULL: none): pack k was made from old_pack[k], its
	 * customers' records from old_input[old_start[k] to old_start[k + 1]], in its order. */
	const FileHash *old_pack, *old_input;
	const uint32_t *old_start;
	char *old_file;		/* the cache file's bytes, which those point into */
	FileHash *pack, *input;	/* this build's: pack k's in pack[k], its customers' from input[start[k]] */
} PackInputs;

typedef struct {
	uint32_t head, head_len;	/* "id","title", (esc_js'd, as they are written again) */
	uint32_t body, body_len;	/* [...] of esc_js_pack */
} OldRecord;

/* A record's input and its place in the pack: OldPack.by_input, sorted by input (then place). */
typedef struct {
	FileHash input;
	uint32_t rec;
} OldInput;

typedef struct OldPack {
	Buf bytes;		/* the previous build's pack file */
	OldRecord *rec;
	size_t nrec, rec_cap;
	OldInput *by_input;	/* the records' inputs, nrec of them, sorted: a lookup is a binary search, so
				 * a pack that ids made to meet in it fills stays n log n to remake, not n^2 */
	Buf runs;		/* its runs of markup, read out of their escapes, one after another */
	uint32_t *run_at;	/* run i is runs[run_at[i], run_at[i + 1]) */
	size_t nruns, runs_cap;
} OldPack;

/* Where the JS string literal starting at s[at] (' or ") ends, past its quote; 0 if it does not. */
static size_t js_literal_end(const char *s, size_t n, size_t at)
{
	char q = s[at];
	for (size_t i = at + 1; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == q)
			return i + 1;
	}
	return 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The text of a string literal esc_js_html wrote (s[0, n): between its quotes) appended to out:
 * its escapes (\' \\ \n \u2028 \u2029 \u00XX) read back. False at any other escape. */
static bool js_html_unescape(Buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		const char *e = memchr(s + i, '\\', n - i);
		size_t plain = e ? (size_t)(e - s) - i : n - i;
		buf_put(out, s + i, plain);
		i += plain;
		if (i == n)
			break;
		if (i + 1 < n && (s[i + 1] == '\'' || s[i + 1] == '\\')) {
			buf_putc(out, s[i + 1]);
			i += 2;
		} else if (i + 1 < n && s[i + 1] == 'n') {
			buf_putc(out, '\n');
			i += 2;
		} else if (i + 5 < n && s[i + 1] == 'u' && (memcmp(s + i + 2, "2028", 4) == 0 || memcmp(s + i + 2, "2029", 4) == 0)) {
			buf_put(out, s[i + 5] == '8' ? "\xe2\x80\xa8" : "\xe2\x80\xa9", 3);
			i += 6;
		} else if (i + 5 < n && s[i + 1] == 'u' && s[i + 2] == '0' && s[i + 3] == '0' && hex_digit(s[i + 4]) >= 0 &&
			   hex_digit(s[i + 5]) >= 0) {
			buf_putc(out, (char)(hex_digit(s[i + 4]) << 4 | hex_digit(s[i + 5])));
			i += 6;
		} else {
			return false;
		}
	}
	return true;
}

/* Pack k's file as customer_pack writes it, of members records, read into o's records and runs;
 * false if it is not that. */
static bool old_pack_parse(OldPack *o, uint32_t k, size_t members)
{
	const char *s = o->bytes.p ? o->bytes.p : "";
	size_t n = o->bytes.len, at;
	char head[40];
	int hl = snprintf(head, sizeof head, "C360.customers(%u,[", (unsigned)k);
	if (n > UINT32_MAX || n < (size_t)hl || memcmp(s, head, (size_t)hl) != 0)
		return false;
	at = (size_t)hl;
	o->nrec = 0;
	for (size_t i = 0; i < members; i++) {
		at += i && at < n && s[at] == ',';
		if (n - at < 2 || s[at] != '\n' || s[at + 1] != '[')
			return false;
		at += 2;
		OldRecord r = {.head = (uint32_t)at};
		for (int f = 0; f < 2; f++) {	/* the id and the title */
			if (at >= n || s[at] != '"' || !(at = js_literal_end(s, n, at)) || at >= n || s[at] != ',')
				return false;
			at++;
		}
		r.head_len = (uint32_t)(at - r.head), r.body = (uint32_t)at;
		if (at >= n || s[at++] != '[')
			return false;
		while (at < n && s[at] != ']') {
			if (s[at] == '\'') {
				if (!(at = js_literal_end(s, n, at)))
					return false;
			} else if (s[at] >= '0' && s[at] <= '9') {
				while (at < n && s[at] >= '0' && s[at] <= '9')
					at++;
			} else {
				return false;
			}
			at += at < n && s[at] == ',';
		}
		if (n - at < 2 || s[at + 1] != ']')	/* the body's ], then the record's */
			return false;
		at += 2;
		r.body_len = (uint32_t)(at - 1 - r.body);
		if (o->nrec == o->rec_cap)
			o->rec_cap = o->rec_cap ? 2 * o->rec_cap : 128, o->rec = xrealloc(o->rec, o->rec_cap * sizeof *o->rec);
		o->rec[o->nrec++] = r;
	}
	if (n - at < 4 || memcmp(s + at, "],\n[", 4) != 0)
		return false;
	at += 4;
	o->runs.len = 0, o->nruns = 0;
	while (at < n && s[at] != ']') {
		size_t end = s[at] == '\'' ? js_literal_end(s, n, at) : 0;
		if (!end)
			return false;
		if (o->nruns + 1 >= o->runs_cap)
			o->runs_cap = o->runs_cap ? 2 * o->runs_cap : 1024, o->run_at = xrealloc(o->run_at, o->runs_cap * sizeof *o->run_at);
		o->run_at[o->nruns++] = (uint32_t)o->runs.len;
		if (!js_html_unescape(&o->runs, s + at + 1, end - at - 2))
			return false;
		at = end;
		at += at < n && s[at] == ',';
		at += at < n && s[at] == '\n';
	}
	if (!o->run_at)
		o->run_at = xmalloc(sizeof *o->run_at);
	o->run_at[o->nruns] = (uint32_t)o->runs.len;
	return n - at == 4 && memcmp(s + at, "]);\n", 4) == 0;
}

/* Record r's page, its pieces joined, in html; false if a piece is none of the pack's. */
static bool old_record_html(const OldPack *o, const OldRecord *r, Buf *html)
{
	const char *s = o->bytes.p + r->body + 1, *end = o->bytes.p + r->body + r->body_len - 1;
	html->len = 0;
	while (s < end) {
		if (*s == ',') {
			s++;
		} else if (*s == '\'') {
			size_t len = js_literal_end(s, (size_t)(end - s), 0);
			if (!len || !js_html_unescape(html, s + 1, len - 2))
				return false;
			s += len;
		} else {
			size_t run = 0;
			const char *digits = s;
			for (; s < end && *s >= '0' && *s <= '9' && run <= UINT32_MAX; s++)
				run = run * 10 + (size_t)(*s - '0');
			if (s == digits || run >= o->nruns)
				return false;
			buf_put(html, o->runs.p + o->run_at[run], o->run_at[run + 1] - o->run_at[run]);
		}
	}
	return true;
}

/* Pack k's file of the previous build into j->old, read, if it was made from the input the cache
 * says, which is its records' as the cache lists them; false if not. */
static int old_input_cmp(const void *x, const void *y)
{
	const OldInput *a = x, *b = y;
	if (a->input.lo != b->input.lo)
		return a->input.lo < b->input.lo ? -1 : 1;
	if (a->input.hi != b->input.hi)
		return a->input.hi < b->input.hi ? -1 : 1;
	return a->rec < b->rec ? -1 : a->rec > b->rec;
}

static bool old_pack_read(PageJob *j, uint32_t k, const char *path)
{
	const PackInputs *in = j->inputs;
	if (!in || !in->old_pack)
		return false;
	FileHash listed = file_hash(in->old_input + in->old_start[k], (in->old_start[k + 1] - in->old_start[k]) * sizeof(FileHash));
	if (listed.lo != in->old_pack[k].lo || listed.hi != in->old_pack[k].hi)
		return false;
	OldPack *o = j->old;
	o->bytes.len = 0;
	if (!manifest_old_bytes(j->site->dir, path, in->old_pack[k], &o->bytes) ||
	    !old_pack_parse(o, k, in->old_start[k + 1] - in->old_start[k]))
		return false;
	o->by_input = xrealloc(o->by_input, (o->rec_cap ? o->rec_cap : 1) * sizeof *o->by_input);
	for (size_t i = 0; i < o->nrec; i++)
		o->by_input[i] = (OldInput){in->old_input[in->old_start[k] + i], (uint32_t)i};
	qsort(o->by_input, o->nrec, sizeof *o->by_input, old_input_cmp);
	return true;
}

static void old_pack_free(OldPack *o)
{
	if (!o)
		return;
	buf_free(&o->bytes), buf_free(&o->runs);
	free(o->rec), free(o->run_at), free(o->by_input), free(o);
}

/* The packs' inputs: room for this build's (false: it caches none) and the previous build's,
 * from the previous site's cache if it has them for as many packs and the same settings. */
static bool pack_inputs_begin(const Site *site, PackInputs *in, size_t customers)
{
	*in = (PackInputs){0};
	if (!pages_cached(site))
		return false;
	size_t packs = site->plan.packs, len;
	in->pack = xcalloc(packs + customers + 1, sizeof(FileHash)), in->input = in->pack + packs;
	size_t most = (packs + 2 * customers + 4096) * sizeof(FileHash) + (packs + 1) * sizeof(uint32_t);
	char *p = manifest_old_pages(site->dir) ? keyed_file_load(site->cfg->out_dir, PACKS_CACHE, PACKS_MAGIC, PACKS_VERSION,
								 site->page_salt, packs, most, &len, NULL) : NULL;
	size_t fixed = packs * sizeof(FileHash) + (packs + 1) * sizeof(uint32_t);	/* then the records' inputs */
	bool ok = p && len >= fixed && (len - fixed) % sizeof(FileHash) == 0;
	size_t n = ok ? (len - fixed) / sizeof(FileHash) : 0;
	const uint32_t *start = ok ? (const uint32_t *)(const void *)(p + (packs + n) * sizeof(FileHash)) : NULL;
	ok = ok && start[0] == 0 && start[packs] == n;
	for (size_t k = 0; ok && k < packs; k++)
		ok = start[k] <= start[k + 1];
	if (!ok) {
		free(p);
		return true;
	}
	in->old_file = p;
	in->old_pack = (const FileHash *)(const void *)p, in->old_input = in->old_pack + packs, in->old_start = start;
	return true;
}

/* Pack k's input, and its customers' (hashes: in its order), for the next build's cache. */
static void pack_inputs_note(PageJob *j, uint32_t k, FileHash input, const Buf *hashes)
{
	PackInputs *in = j->inputs;
	if (!in || hashes->len != (j->start[k + 1] - j->start[k]) * sizeof(FileHash))
		return;
	in->pack[k] = input;
	memcpy(in->input + j->start[k], hashes->p, hashes->len);
}

/* The previous pack's record made from input h (j->old read), the first of its place if two
 * were, or NULL. */
static const OldRecord *old_record(const PageJob *j, FileHash h)
{
	const OldPack *o = j->old;
	size_t lo = 0, hi = o->nrec;
	while (lo < hi) {	/* the first not below h */
		size_t mid = lo + (hi - lo) / 2;
		const FileHash *m = &o->by_input[mid].input;
		if (m->lo < h.lo || (m->lo == h.lo && m->hi < h.hi))
			lo = mid + 1;
		else
			hi = mid;
	}
	const OldInput *at = lo < o->nrec ? &o->by_input[lo] : NULL;
	return at && at->input.lo == h.lo && at->input.hi == h.hi ? &o->rec[at->rec] : NULL;
}

/* customers/packed/K.js: C360.customers(K,[[id,title,body],...],[markup,...]), the bodies of
 * the pack's customers' pages as customers/view.html shows them (esc_js_pack), the customers in
 * id order, then the pack's markup runs. */
static void customer_pack(PageJob *j, uint32_t k, Buf *out, Buf *hashes, bool check)
{
	const Site *site = j->site;
	char path[64];
	snprintf(path, sizeof path, "customers/packed/%u.js", (unsigned)k);
	/* With no previous site to compare with, each customer's input is hashed just before its
	 * page is made, which reads the same rows while they are still in the cache (hashing the
	 * whole pack's first left them to be missed again); the pack's input is the same. */
	FileHash input = check ? pack_input(j, k, hashes) : (FileHash){0, 0};
	if (check && manifest_page_kept(site->dir, path, input)) {
		pack_inputs_note(j, k, input, hashes);
		return;
	}
	bool old = check && old_pack_read(j, k, path);	/* its customers of the same input kept */
	if (!check)
		hashes->len = 0;	/* the inputs, made as each page is */
	size_t said = j->w.err.len;
	PackMarkup *m = &j->markup;
	pack_markup_reset(m);
	out->len = 0;
	buf_printf(out, "C360.customers(%u,[", (unsigned)k);
	for (uint32_t i = j->start[k]; i < j->start[k + 1] && j->ok; i++) {
		const RowHead *h = &ROW(site->g->src[SRC_CUSTOMERS].table, Customer, j->member[i])->h;
		FileHash one;
		if (!check) {
			prefetch_next(site, j->member, i, j->start[k + 1]);
			one = customer_input(j, j->member[i], VIEW_PATH);
			buf_put(hashes, &one, sizeof one);
		} else {
			memcpy(&one, hashes->p + (i - j->start[k]) * sizeof one, sizeof one);
		}
		buf_puts(out, i > j->start[k] ? ",\n[" : "\n[");
		const OldRecord *r = old ? old_record(j, one) : NULL;
		if (r && old_record_html(j->old, r, &j->w.html)) {
			buf_put(out, j->old->bytes.p + r->head, r->head_len);	/* its id and title, as written */
			j->records_kept++;
		} else {
			Value *d = customer_data(j, j->member[i], VIEW_PATH);
			const Value *title = v_find(d, "title");
			j->ok = page_html(site, &j->w, VIEW_PATH, "customer", d);
			esc_js(out, h->id, h->idlen);	/* the key the viewer looks up: as it is */
			buf_putc(out, ',');
			if (has_bidi(title->s, title->n)) {	/* the page's title: closed, as esc_html has it */
				j->w.scratch.len = 0;
				esc_bidi(&j->w.scratch, title->s, title->n);
				esc_js(out, j->w.scratch.p ? j->w.scratch.p : "", j->w.scratch.len);
			} else {
				esc_js(out, title->s, title->n);
			}
			buf_putc(out, ',');
		}
		esc_js_pack(out, j->w.html.p ? j->w.html.p : "", j->w.html.len, m);
		buf_putc(out, ']');
	}
	buf_puts(out, "],\n[");
	for (size_t i = 0; i < m->n; i++) {
		Str r = pack_markup_run(m, i);
		if (i)
			buf_puts(out, i % 8 ? "," : ",\n");
		esc_js_html(out, r.p, r.n);
	}
	buf_puts(out, "]);\n");
	if (!check)
		input = file_hash(hashes->p, hashes->len);
	pack_inputs_note(j, k, input, hashes);
	j->ok = j->ok && out_write_file(site->dir, path, out, &j->w.err);
	if (j->ok && j->w.err.len == said)	/* a pack with something to say is made every time */
		manifest_page_made(site->dir, path, input);
}

static void *customer_packs(void *arg)
{
	PageJob *j = arg;
	j->ok = true;
	bool check = manifest_old_pages(j->site->dir);
	for (size_t k = j->from; k < j->to && j->ok; k++)
		if (j->start[k] < j->start[k + 1] && shard_has(j->site->cfg, (unsigned)k))
			customer_pack(j, (uint32_t)k, &j->pack, &j->hashes, check);
	return NULL;
}

/* [0, n) (customers or packs) in blocks, taken in order by the threads as they come free (the
 * stages beside the pages take a core too); each block's words are kept apart, so that the
 * pages say, whatever the threads, what one thread would: the blocks' words in order, up to
 * the first that failed (no block is taken after it). */
typedef struct {
	void *(*fn)(void *);	/* fn(PageJob *): a block's pages */
	size_t n, size, nblocks;
	size_t next;		/* the next block to take */
	bool failed;		/* a block failed */
	Buf *said;		/* what each block said */
	char *done;		/* each block: 0 not taken, 1 done, 2 failed */
} Blocks;

typedef struct {
	Blocks *b;
	PageJob job;
} Worker;

static void *take_blocks(void *arg)
{
	Worker *wk = arg;
	Blocks *b = wk->b;
	while (!__atomic_load_n(&b->failed, __ATOMIC_RELAXED)) {
		size_t k = __atomic_fetch_add(&b->next, 1, __ATOMIC_RELAXED);
		if (k >= b->nblocks)
			break;
		wk->job.from = k * b->size;
		wk->job.to = k + 1 < b->nblocks ? (k + 1) * b->size : b->n;
		b->fn(&wk->job);
		b->said[k] = wk->job.w.err;
		wk->job.w.err = (Buf){0};
		b->done[k] = wk->job.ok ? 1 : 2;
		if (!wk->job.ok)
			__atomic_store_n(&b->failed, true, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Runs fn over [0, n) on the site's threads. */
static bool in_threads(Site *site, void *(*fn)(void *), size_t n, const uint32_t *start, const uint32_t *member,
		       PackInputs *inputs)
{
	size_t nt = (size_t)site->threads, size = n / (nt * 64) + 1;
	Blocks b = {.fn = fn, .n = n, .size = size, .nblocks = (n + size - 1) / size};
	b.said = xcalloc(b.nblocks + 1, sizeof *b.said), b.done = xcalloc(b.nblocks + 1, 1);
	Worker *wk = xcalloc(nt, sizeof *wk);
	pthread_t *t = xcalloc(nt, sizeof *t);
	bool *started = xcalloc(nt, sizeof *started);
	for (size_t k = 0; k < nt; k++) {
		wk[k] = (Worker){&b, {.site = site, .start = start, .member = member, .inputs = inputs,
				      .old = inputs ? xcalloc(1, sizeof(OldPack)) : NULL}};
		page_init(&wk[k].job.w);
		wk[k].job.w.undated = wk[k].job.w.same_globals = true;
		wk[k].job.input = file_hasher_new();
		wk[k].job.facts_input = file_hasher_new();
		if (k)
			started[k] = pthread_create(&t[k], NULL, take_blocks, &wk[k]) == 0;
	}
	take_blocks(&wk[0]);
	uint64_t filled = 0, through_cmark = 0, hashed[SRC_COUNT] = {0}, records_kept = 0;
	size_t shapes = 0;
	for (size_t k = 0; k < nt; k++) {
		if (started[k])
			pthread_join(t[k], NULL);
		skel_stats(wk[k].job.w.skel, &filled, &through_cmark, &shapes);
		for (int i = 0; i < SRC_COUNT; i++)
			hashed[i] += wk[k].job.hashed[i];
		page_free(&wk[k].job.w);
		file_hasher_end(wk[k].job.input);
		file_hasher_end(wk[k].job.facts_input);
		buf_free(&wk[k].job.facts);
		buf_free(&wk[k].job.pack), buf_free(&wk[k].job.hashes);
		pack_markup_free(&wk[k].job.markup);
		records_kept += wk[k].job.records_kept;
		old_pack_free(wk[k].job.old);
	}
	bool ok = true;
	for (size_t k = 0; k < b.nblocks; k++) {
		if (ok)
			buf_put(site->err, b.said[k].p, b.said[k].len);
		ok &= b.done[k] == 1;
		buf_free(&b.said[k]);
	}
	console_note("customer pages: %llu compiled, %llu through cmark, %zu shapes", (unsigned long long)filled,
		     (unsigned long long)through_cmark, shapes);
	console_counts("customer facts hashed", hashed);	/* of each fact source, the customers' not kept */
	if (inputs)
		console_note("customers' records kept from the previous packs: %llu", (unsigned long long)records_kept);
	free(wk), free(t), free(started), free(b.said), free(b.done);
	return ok;
}

static int id_cmp(const void *a, const void *b, void *ctx)
{
	const Table *t = ctx;
	const RowHead *x = &ROW(t, Customer, *(const uint32_t *)a)->h, *y = &ROW(t, Customer, *(const uint32_t *)b)->h;
	int c = memcmp(x->id, y->id, x->idlen < y->idlen ? x->idlen : y->idlen);
	return c ? c : (x->idlen > y->idlen) - (x->idlen < y->idlen);
}

/* A customer by 8 bytes of its id from at (the bytes before it all ids share), read as a number
 * most significant first, an id that ends before padded with zero bytes: two ids whose keys
 * differ are in id_cmp's order by them (a padded byte is below any byte it stands against, but
 * the NUL that a key cannot tell from it: ids whose keys are the same are ordered by id_cmp). */
typedef struct {
	uint64_t key;
	uint32_t row;
} IdKey;

static uint64_t id_key(const RowHead *h, size_t at)
{
	unsigned char k[8] = {0};
	if (h->idlen > at)
		memcpy(k, h->id + at, h->idlen - at < 8 ? h->idlen - at : 8);
	uint64_t v;
	memcpy(&v, k, 8);
	return BYTES_BE64(v);
}

/* e by key from its d'th byte (the most significant first) on: a radix sort in place, a byte
 * a level (as radix_sort below), the few of a bucket by insertion. */
static void id_key_sort(IdKey *e, size_t n, int d)
{
	if (n < 32) {
		for (size_t i = 1; i < n; i++) {
			IdKey x = e[i];
			size_t j = i;
			for (; j > 0 && x.key < e[j - 1].key; j--)
				e[j] = e[j - 1];
			e[j] = x;
		}
		return;
	}
	size_t count[256] = {0}, next[256], end[256];
	int shift = 56 - 8 * d;
	for (size_t i = 0; i < n; i++)
		count[e[i].key >> shift & 0xff]++;
	for (size_t b = 0, at = 0; b < 256; b++)
		next[b] = at, at += count[b], end[b] = at;
	for (unsigned b = 0; b < 256; b++)
		while (next[b] < end[b]) {
			IdKey x = e[next[b]];
			for (unsigned c; (c = (unsigned)(x.key >> shift & 0xff)) != b;) {
				IdKey t = e[next[c]];
				e[next[c]++] = x;
				x = t;
			}
			e[next[b]++] = x;
		}
	for (size_t b = 0, at = 0; d < 7 && b < 256; at += count[b], b++)
		if (count[b] > 1)
			id_key_sort(e + at, count[b], d + 1);
}

/* The customers (rows) in id order: by their keys after the prefix all ids share (CUST-000...),
 * those sharing a key by id_cmp. */
static uint32_t *by_id_order(const Table *customers)
{
	size_t n = customers->n, shared = n ? ROW(customers, Customer, 0)->h.idlen : 0;
	const char *first = n ? ROW(customers, Customer, 0)->h.id : NULL;
	for (size_t i = 1; i < n && shared; i++) {
		const RowHead *h = &ROW(customers, Customer, i)->h;
		if (h->idlen < shared)
			shared = h->idlen;
		if (memcmp(h->id, first, shared) != 0) {
			size_t k = 0;
			while (h->id[k] == first[k])
				k++;
			shared = k;
		}
	}
	uint32_t *by_id = xmalloc((n + 1) * sizeof *by_id);
	IdKey *e = xmalloc((n + 1) * sizeof *e);
	for (size_t i = 0; i < n; i++)
		e[i] = (IdKey){id_key(&ROW(customers, Customer, i)->h, shared), (uint32_t)i};
	id_key_sort(e, n, 0);
	for (size_t i = 0; i < n; i++)
		by_id[i] = e[i].row;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && e[j].key == e[i].key; j++)
			;
		if (j - i > 1)
			qsort_r(by_id + i, j - i, sizeof *by_id, id_cmp, (void *)customers);
	}
	free(e);
	return by_id;
}

/* customers/packed/: the customers by pack, in id order within each. */
static bool write_customer_packs(Site *site)
{
	const PagePlan *p = &site->plan;
	const Table *customers = site->g->src[SRC_CUSTOMERS].table;
	uint32_t *by_id = by_id_order(customers), *member = xmalloc((customers->n + 1) * sizeof *member);
	uint32_t *start = xcalloc((size_t)p->packs + 1, sizeof *start), *pack = xmalloc((customers->n + 1) * sizeof *pack);
	for (size_t i = 0; i < customers->n; i++)
		start[(pack[i] = pack_of(p, &ROW(customers, Customer, by_id[i])->h)) + 1]++;
	for (uint32_t k = 0; k < p->packs; k++)
		start[k + 1] += start[k];
	uint32_t *at = xmalloc(((size_t)p->packs + 1) * sizeof *at);
	memcpy(at, start, (size_t)p->packs * sizeof *at);
	for (size_t i = 0; i < customers->n; i++)
		member[at[pack[i]]++] = by_id[i];
	PackInputs inputs;
	bool cached = pack_inputs_begin(site, &inputs, customers->n);
	bool ok = out_mkdir(site->dir, "customers/packed", site->err) &&
		  in_threads(site, customer_packs, p->packs, start, member, cached ? &inputs : NULL);
	if (ok && cached)	/* the packs' and their customers' inputs, then where each pack's start */
		keyed_file_save(site->dir, PACKS_CACHE, PACKS_MAGIC, PACKS_VERSION, site->page_salt, p->packs, inputs.pack,
				((size_t)p->packs + customers->n) * sizeof(FileHash), start, ((size_t)p->packs + 1) * sizeof *start);
	free(inputs.pack), free(inputs.old_file);
	free(by_id), free(member), free(start), free(pack), free(at);
	return ok;
}

/* ---- the search index (assets/search.js reads it): the customers by id, a thousand per records
 * file, so that a customer whose figures change changes its own records file only (and a build
 * and a render from gold write the same); their places by lifetime value in one file; their
 * words, and their whole ids and e-mails, in files by the first two bytes */

enum { TAG_WORD, TAG_NAME_START, TAG_WHOLE };	/* a word; the first word of the name; a whole id or e-mail */

/* Letters that NFD leaves whole, lower case (two bytes of UTF-8), then as search.js folds them:
 * a Scandinavian, Polish, Croatian or German name typed without its letters still found. */
static const char *const letters[] = {"\xc3\xb8o", "\xc5\x82l", "\xc4\x91" "d", "\xc3\x9fss", "\xc3\xa6" "ae",
				      "\xc5\x93oe", "\xc3\xbeth", "\xc3\xb0" "d", "\xc4\xb1i"};

/* Accents off, lower case, by libunistring: decomposed with the compatibility forms (NFKD: the
 * full-width Ｔａｒｏ and １２３ an IME types, and the half-width ｶﾀｶﾅ of older Japanese systems,
 * as taro, 123 and カタカナ), the marks dropped, lower-cased; then the letters above. The acute
 * accent typed as an apostrophe (O´Malley, U+00B4) is one (’): NFKD would make it a space and a
 * mark, and O´Malley the words o and malley, not found by "omalley" (apostrophe). */
static void search_fold_unicode(const char *s, size_t n, Buf *out)
{
	size_t dn = 0, ln = 0;
	Buf kept = {0};
	if (memmem(s, n, "\xc2\xb4", 2)) {
		for (size_t i = 0; i < n; i++)
			if (s[i] == '\xc2' && i + 1 < n && s[i + 1] == '\xb4')
				buf_puts(&kept, "\xe2\x80\x99"), i++;
			else
				buf_putc(&kept, s[i]);
		s = kept.p, n = kept.len;
	}
	uint8_t *d = u8_normalize(UNINORM_NFKD, (const uint8_t *)s, n, NULL, &dn);
	kept.len = 0;
	if (!d) {
		buf_free(&kept);
		return;
	}
	for (size_t i = 0; i < dn;) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, d + i, dn - i);
		if (!uc_is_general_category(cp, UC_CATEGORY_M))
			buf_put(&kept, d + i, (size_t)len);
		i += (size_t)len;
	}
	uint8_t *low = u8_tolower((const uint8_t *)(kept.p ? kept.p : ""), kept.len, NULL, NULL, NULL, &ln);
	for (size_t i = 0; low && i < ln; i++) {
		const char *as = NULL;
		for (size_t k = 0; k < sizeof letters / sizeof *letters && !as && i + 1 < ln; k++)
			as = low[i] == (uint8_t)letters[k][0] && low[i + 1] == (uint8_t)letters[k][1] ? letters[k] + 2 : NULL;
		if (as)
			buf_puts(out, as), i++;
		else
			buf_putc(out, (char)low[i]);
	}
	free(d);
	free(low);
	buf_free(&kept);
}

/* U+00C0-U+00FF (C3 80-BF) folded, each alone (len 0: not folded, by a failed call): a text of
 * ASCII and these folds a character at a time as a whole (decomposing one gives its letter
 * and a mark, and no casing rule looks around a character without a language). */
static struct {
	uint8_t len;
	char s[7];
} latin1_fold[64];
static pthread_once_t latin1_once = PTHREAD_ONCE_INIT;

static void latin1_fold_init(void)
{
	Buf b = {0};
	for (int i = 0; i < 64; i++) {
		b.len = 0;
		search_fold_unicode((const char[2]){(char)0xc3, (char)(0x80 + i)}, 2, &b);
		if (b.len && b.len <= sizeof latin1_fold[i].s)
			latin1_fold[i].len = (uint8_t)b.len, memcpy(latin1_fold[i].s, b.p, b.len);
	}
	buf_free(&b);
}

/* Accents off, lower case: as search.js folds a query. A text of ASCII bytes only has no
 * accents and folds to its ASCII lower case, without libunistring; one of ASCII and Latin-1's
 * letters (C3 80-BF) folds by latin1_fold. */
void search_fold(const char *s, size_t n, Buf *out)
{
	size_t ascii = 0, len = n;	/* len: folded */
	if (!n)
		return;
	while (ascii < n && (unsigned char)s[ascii] < 0x80)
		ascii++;
	if (ascii < n)
		pthread_once(&latin1_once, latin1_fold_init);
	for (size_t i = ascii; i < n; i++) {
		if ((unsigned char)s[i] < 0x80)
			continue;
		if (s[i] != '\xc3' || i + 1 == n || ((unsigned char)s[i + 1] & 0xc0) != 0x80 ||
		    !latin1_fold[(unsigned char)s[i + 1] & 0x3f].len) {
			search_fold_unicode(s, n, out);
			return;
		}
		len = len - 2 + latin1_fold[(unsigned char)s[++i] & 0x3f].len;
	}
	if (out->cap - out->len < len)
		buf_grow(out, len);
	char *d = out->p + out->len;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((unsigned char)c < 0x80) {
			*d++ = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
		} else {
			unsigned k = (unsigned char)s[++i] & 0x3f;
			memcpy(d, latin1_fold[k].s, latin1_fold[k].len), d += latin1_fold[k].len;
		}
	}
	out->len = (size_t)(d - out->p);
}

typedef struct {
	uint64_t key;		/* the token's first 8 bytes, big-endian, zeros past its end: how it sorts first */
	char *token;
	uint32_t value;		/* the customer's place by id << 2 | TAG_* */
	uint32_t len;		/* strlen(token): sorted, the tokens are read in no order of their memory */
} Entry;

static uint64_t token_key(const char *t)
{
	uint64_t k = 0;
	for (int i = 0; i < 8; i++)
		k = k << 8 | (unsigned char)(*t ? *t++ : 0);
	return k;
}

/* As strcmp of the tokens, then by value. */
static int entry_cmp(const void *a, const void *b)
{
	const Entry *x = a, *y = b;
	int c = (x->key > y->key) - (x->key < y->key);
	if (!c && (x->key & 0xff))	/* the first 8 bytes the same, neither ended: the rest */
		c = strcmp(x->token + 8, y->token + 8);
	return c ? c : (x->value > y->value) - (x->value < y->value);
}

static bool same_token(const Entry *x, const Entry *y)
{
	return x->key == y->key && (!(x->key & 0xff) || strcmp(x->token + 8, y->token + 8) == 0);
}

typedef struct {
	Entry *e;
	size_t n, cap;
	Arena words;
	Buf folded, joined;	/* a field folded; a word of it without its apostrophes */
	int joined_tag;
} Words;

static void add_entry(Words *w, const char *p, size_t n, uint32_t value)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 4096;
		w->e = xrealloc(w->e, w->cap * sizeof *w->e);
	}
	char *t = arena_strndup(&w->words, p, n);
	w->e[w->n++] = (Entry){token_key(t), t, value, (uint32_t)strnlen(t, n)};
}

/* Whether the code point at p (n bytes left, n > 0) is a letter or a digit; its length in *len. */
static inline __attribute__((always_inline)) bool word_char(const uint8_t *p, size_t n, int *len)
{
	if (*p < 0x80) {
		*len = 1;
		return (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z');
	}
	ucs4_t cp = 0;
	*len = u8_mbtouc(&cp, p, n);
	return uc_is_general_category(cp, UC_CATEGORY_L) || uc_is_general_category(cp, UC_CATEGORY_N);
}

/* The length of the apostrophe at p (' ` U+00B4 U+2018 U+2019, as names are typed), 0 if none. */
static size_t apostrophe(const uint8_t *p, size_t n)
{
	if (*p == '\'' || *p == '`')
		return 1;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xb4)
		return 2;
	return n >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99) ? 3 : 0;
}

/* Whether the code point at p (n bytes left, a letter's) starts a word of a script written
 * without spaces between its words: Han, Hiragana, Katakana, or a Hangul syllable's first jamo
 * (NFKD has taken the syllables apart). 王小明 and 山田太郎 are one word each. */
static bool unspaced_at(const uint8_t *p, size_t n)
{
	if (*p < 0xe1)	/* below U+1000 */
		return false;
	ucs4_t cp = 0;
	u8_mbtouc(&cp, p, n);
	if (cp >= 0x1100 && cp <= 0x115f)
		return true;
	const uc_script_t *sc = uc_script(cp);
	return sc && (strcmp(sc->name, "Han") == 0 || strcmp(sc->name, "Hiragana") == 0 ||
		      strcmp(sc->name, "Katakana") == 0);
}

#define UNSPACED_STARTS 16	/* the places past a word's first where its rest is a word too... */
#define UNSPACED_BYTES 64	/* ...at most this long: a hostile name of 20,000 ideographs stays small */

/* The rests of the word p[0..n) that start at a letter of a script without spaces, each a word
 * too (TAG_WORD): a prefix search of them is a search inside the word, so "小明" finds 王小明
 * and "太郎" 山田太郎, as "garc" finds García. A word of other letters only adds none. */
static void add_unspaced(Words *w, const uint8_t *p, size_t n, uint32_t value)
{
	size_t starts = 0;
	for (size_t i = 0; i < n && starts < UNSPACED_STARTS;) {
		int len = u8_mblen(p + i, n - i);
		len = len > 0 ? len : 1;
		if (i && unspaced_at(p + i, n - i)) {
			size_t take = utf8_cut((const char *)p + i, n - i, UNSPACED_BYTES);
			if (take >= 2)
				add_entry(w, (const char *)p + i, take, value), starts++;
		}
		i += (size_t)len;
	}
}

/* The words of s (runs of letters and digits, two bytes or more), the first tagged first_tag;
 * a word with apostrophes in it, also whole without them (O'Brien: o, brien and obrien: a query
 * "obrien" finds it, "o'brien" by brien, as before); with whole, s trimmed too (a whole id or
 * e-mail). s is folded once for all. */
static void add_field(Words *w, uint32_t at, const char *s, size_t n, int first_tag, bool whole)
{
	if (!s)
		return;
	w->folded.len = 0;
	search_fold(s, n, &w->folded);
	const uint8_t *p = (const uint8_t *)w->folded.p;
	int tag = first_tag, len = 1;
	bool joined = false;	/* a word an apostrophe joins, in w->joined */
	bool wide = false;	/* the word has a letter of U+1000 or above */
	for (size_t i = 0, n = w->folded.len, start = 0; i <= n; i += (size_t)len) {
		if (i < n && word_char(p + i, n - i, &len)) {
			wide |= p[i] >= 0xe1;	/* at or above U+1000: may be of a script without spaces */
			continue;
		}
		size_t apo = i < n && i > start && (p[i] == '\'' || p[i] == '`' || p[i] == 0xc2 || p[i] == 0xe2)
				     ? apostrophe(p + i, n - i) : 0;
		int next = 0;
		if (apo && i + apo < n && word_char(p + i + apo, n - i - apo, &next)) {	/* a word goes on past it */
			if (!joined)
				w->joined.len = 0, w->joined_tag = tag;	/* the field's first word's, if it starts it */
			buf_put(&w->joined, p + start, i - start);
			joined = true;
		} else if (joined) {
			buf_put(&w->joined, p + start, i - start);
			add_entry(w, w->joined.p, w->joined.len, at << 2 | (uint32_t)w->joined_tag);
			joined = false;
		}
		if (i - start >= 2) {
			add_entry(w, (const char *)p + start, i - start, at << 2 | (uint32_t)tag);
			tag = TAG_WORD;
			if (wide)
				add_unspaced(w, p + start, i - start, at << 2 | TAG_WORD);
		}
		wide = false;
		start = i + (size_t)len;
	}
	Str t = str_trim(str_make(w->folded.p ? w->folded.p : "", w->folded.len));
	if (whole && t.n)
		add_entry(w, t.p, t.n, at << 2 | TAG_WHOLE);
}

/* One customer in a records file: id, name, e-mail, city, lifetime value (as pages write it),
 * page (from customers/), last order. Nothing that depends on the as-of date alone (the
 * segment) is in it, so it changes only with the customer. */
static void record(const Site *site, Buf *b, uint32_t c, Buf *tmp)
{
	const Customer *cu = ROW(site->g->src[SRC_CUSTOMERS].table, Customer, c);
	const Customer360 *x = &site->g->c360[c];
	const char *fields[] = {cu->name, cu->email, cu->location};
	size_t max = shown_max(site, true);
	buf_putc(b, '[');
	for (size_t f = 0; f < 4; f++) {	/* the id, then fields: text the search shows, closed (esc_bidi) */
		const char *t = f ? fields[f - 1] : cu->h.id;
		size_t n = !t ? 0 : utf8_cut(t, f ? strlen(t) : cu->h.idlen, max);
		if (f)
			buf_putc(b, ',');
		if (t && has_bidi(t, n)) {
			tmp->len = 0;
			esc_bidi(tmp, t, n);
			t = tmp->p, n = tmp->len;
		}
		esc_js(b, t ? t : "", n);
	}
	tmp->len = 0;
	fmt_money(tmp, &site->fmt, x->lifetime_cents);
	buf_putc(b, ',');
	esc_js(b, tmp->p, tmp->len);
	/* The page and the date as they are: a page's address is of [A-Za-z0-9._~%/?=-] alone
	 * (customer_page_path's file name, esc_url's id), a date of digits and -, none of which
	 * esc_js escapes. */
	buf_puts(b, ",\"");
	tmp->len = 0;
	if (customer_url(&site->plan, site->g, c, tmp))
		buf_put(b, tmp->p + strlen("customers/"), tmp->len - strlen("customers/"));
	buf_puts(b, "\",\"");
	if (x->last_order != MOMENT_NULL)
		fmt_date(b, x->last_order);
	buf_puts(b, "\"]");
}

/* A search file made from input, written and listed so (manifest_page_made). */
static bool write_made(Site *site, const char *path, const Buf *b, FileHash input)
{
	if (!out_write_file(site->dir, path, b, site->err))
		return false;
	manifest_page_made(site->dir, path, input);
	return true;
}

/* What search files are made from, hashed: the page salt (c360, the settings: the currency,
 * how much of a text is shown), what is made, and per customer, in id order, what record()
 * or add_field() reads. */
static void put_field(Buf *b, const char *s, size_t n)
{
	enum { WHOLE_MAX = 4096 };	/* a longer value is put as its hash: a hostile 64 MB name is not
					 * copied whole while the tables beside hold it too */
	uint64_t len = !s ? UINT64_MAX : n > WHOLE_MAX ? n | (uint64_t)1 << 63 : n;
	buf_put(b, &len, sizeof len);
	if (s && n > WHOLE_MAX) {
		FileHash h = file_hash(s, n);
		buf_put(b, &h, sizeof h);
	} else {
		buf_put(b, s, s ? n : 0);
	}
}

static void search_salt(const Site *site, Buf *b, const char *what, size_t n)
{
	b->len = 0;
	buf_put(b, &site->page_salt, sizeof site->page_salt);
	buf_puts(b, what);
	buf_put(b, &n, sizeof n);
}

static void put_customer(const Site *site, Buf *b, uint32_t c)
{
	const Customer *cu = ROW(site->g->src[SRC_CUSTOMERS].table, Customer, c);
	put_field(b, cu->h.id, cu->h.idlen);
	put_field(b, cu->name, cu->name ? strlen(cu->name) : 0);
	put_field(b, cu->email, cu->email ? strlen(cu->email) : 0);
	put_field(b, cu->location, cu->location ? strlen(cu->location) : 0);
}

/* What record() makes customer c's record from, besides the page salt: put_customer's bytes,
 * its lifetime value, last order and page (customer_url: the mode, in top N whether the
 * customer is in it, the number of a name that is another's too; the id). */
static void put_record(const Site *site, Buf *b, uint32_t c)
{
	const PagePlan *p = &site->plan;
	const Customer360 *x = &site->g->c360[c];
	int64_t v[] = {x->lifetime_cents, x->last_order, p->mode, p->mode == PAGES_TOP && p->rank[c] < p->top,
		       p->ntwin ? twin_number(p, c) : 0};	/* the page's address: ~2 when its name is another's */
	buf_put(b, v, sizeof v);
}

/* The customers from to to (in id order) as put_customer puts them, hashed: what a records file
 * and the word files share, put once; and each one's record input (put_customer, put_record)
 * hashed into now[i]. */
static FileHash customers_hash(const Site *site, const uint32_t *by_id, size_t from, size_t to, Buf *b, FileHash *now,
			       Buf *one)
{
	b->len = 0;
	for (size_t i = from; i < to; i++) {
		one->len = 0;
		put_customer(site, one, by_id[i]);
		buf_put(b, one->p, one->len);
		put_record(site, one, by_id[i]);
		now[i] = file_hash(one->p, one->len);
	}
	return file_hash(b->p, b->len);
}

/* Records file k: its customers' record inputs (customers from to to of h, in id order). */
static FileHash records_input(const Site *site, const FileHash *h, size_t from, size_t to, Buf *b)
{
	search_salt(site, b, "records", to - from);
	buf_put(b, h + from, (to - from) * sizeof *h);
	return file_hash(b->p, b->len);
}

/* The word files and info.js: every customer's id, name, e-mail and city, in id order (the
 * customers_hash of each records file's customers, files of them). */
static FileHash words_input(const Site *site, const FileHash *customers, size_t files, size_t nc, Buf *b)
{
	search_salt(site, b, "words", nc);
	buf_put(b, customers, files * sizeof *customers);
	return file_hash(b->p, b->len);
}

/* ---- the word files: customers/search/t<key>.js, the key the hex of the first bytes its words
 * share (a word shorter than that ends in 00). A file starts at two bytes and splits by the next
 * byte while it holds more than SHARD_MAX entries of different words, so that no query loads a
 * big one for a long word at a million customers. info.js lists the keys. */

#define SHARD_MAX 20000

static void shard_key(Buf *b, const Entry *e, size_t depth)
{
	for (size_t i = 0; i < depth; i++)
		buf_printf(b, "%02x", i < e->len ? (unsigned char)e->token[i] : 0);
}

/* The byte of a word at i, 0 past its end: how a group of words splits. */
static unsigned char byte_at(const Entry *e, size_t i)
{
	if (i < 8)
		return (unsigned char)(e->key >> (56 - 8 * i));
	return (e->key & 0xff) && i < e->len ? (unsigned char)e->token[i] : 0;
}

/* An entry's token, escaped: one shorter than 8 bytes is all in its key (its memory is not read). */
static void put_token(Buf *b, const Entry *e)
{
	if (e->len >= 8) {
		esc_js(b, e->token, e->len);
		return;
	}
	char t[8];
	for (uint32_t i = 0; i < e->len; i++)
		t[i] = (char)(e->key >> (56 - 8 * i));
	esc_js(b, t, e->len);
}

static bool write_shard(Site *site, const Entry *e, size_t n, size_t depth, Buf *keys, FileHash input)
{
	Buf b = {0}, path = {0};
	size_t key_at = keys->len + (keys->len > 0);
	buf_puts(keys, keys->len ? " " : "");
	shard_key(keys, &e[0], depth);
	buf_printf(&b, "C360.tokens(\"%.*s\",[", (int)(keys->len - key_at), keys->p + key_at);
	for (size_t i = 0, out = 0; i < n; i++) {
		if (i && e[i].value == e[i - 1].value && same_token(&e[i], &e[i - 1]))
			continue;
		if (i + 1 < n && e[i + 1].value == (e[i].value | TAG_WHOLE) && same_token(&e[i], &e[i + 1]) &&
		    (e[i].value & 3) == TAG_WORD)
			continue;	/* a whole id that is one word: its whole entry serves as the word */
		buf_puts(&b, out++ ? "," : "");
		put_token(&b, &e[i]);
		buf_putc(&b, ',');
		buf_int(&b, e[i].value);
	}
	buf_puts(&b, "]);\n");
	buf_printf(&path, "customers/search/t%.*s.js", (int)(keys->len - key_at), keys->p + key_at);
	bool ok = write_made(site, buf_cstr(&path), &b, input);
	buf_free(&b);
	buf_free(&path);
	return ok;
}

/* Entries sharing their first depth bytes: one file, or split by the next byte. */
static bool write_group(Site *site, const Entry *e, size_t n, size_t depth, Buf *keys, FileHash input)
{
	if (n <= SHARD_MAX || same_token(&e[0], &e[n - 1]))
		return write_shard(site, e, n, depth, keys, input);
	bool ok = true;
	for (size_t i = 0, j; ok && i < n; i = j) {
		for (j = i; j < n && byte_at(&e[j], depth) == byte_at(&e[i], depth); j++)
			;
		ok = write_group(site, e + i, j - i, depth + 1, keys, input);
	}
	return ok;
}

/* The d'th byte of an entry's (key, value), the most significant first. */
static unsigned sort_byte(const Entry *e, int d)
{
	return (unsigned)((d < 8 ? e->key >> (56 - 8 * d) : e->value >> (88 - 8 * d)) & 0xff);
}

static bool key_value_less(const Entry *x, const Entry *y)
{
	return x->key != y->key ? x->key < y->key : x->value < y->value;
}

/* e by (key, value) from its d'th byte on: a radix sort in place, a byte a level (a second
 * array of a million entries would cost more in fresh pages than the sort). */
static void radix_sort(Entry *e, size_t n, int d)
{
	if (n < 32) {
		for (size_t i = 1; i < n; i++) {
			Entry x = e[i];
			size_t j = i;
			for (; j > 0 && key_value_less(&x, &e[j - 1]); j--)
				e[j] = e[j - 1];
			e[j] = x;
		}
		return;
	}
	size_t count[256], next[256], end[256];
	for (;;) {
		memset(count, 0, sizeof count);
		uint64_t kx = 0;	/* the bits in which some entry differs from the first */
		uint32_t vx = 0;
		for (size_t i = 0; i < n; i++) {
			count[sort_byte(&e[i], d)]++;
			kx |= e[i].key ^ e[0].key, vx |= e[i].value ^ e[0].value;
		}
		if (count[sort_byte(&e[0], d)] < n)
			break;
		/* All share this level's byte: on at the first level where some differ (the many
		 * entries of a common word share their key's last bytes, zeros, and more). */
		Entry diff = {kx, NULL, vx, 0};
		while (d < 12 && !sort_byte(&diff, d))
			d++;
		if (d == 12)
			return;
	}
	for (size_t b = 0, at = 0; b < 256; b++)
		next[b] = at, at += count[b], end[b] = at;
	for (unsigned b = 0; b < 256; b++)
		while (next[b] < end[b]) {	/* each entry swapped straight into its bucket */
			Entry x = e[next[b]];
			for (unsigned c; (c = sort_byte(&x, d)) != b;) {
				__builtin_prefetch(&e[next[c] + 16], 1);	/* see partition_entries */
				Entry t = e[next[c]];
				e[next[c]++] = x;
				x = t;
			}
			e[next[b]++] = x;
		}
	for (size_t b = 0, at = 0; d < 11 && b < 256; at += count[b], b++)
		if (count[b] > 1)
			radix_sort(e + at, count[b], d + 1);
}

/* e in entry_cmp's order from its d'th byte on (the bytes before it shared): by (key, value),
 * then the entries sharing a key of a token longer than it by the rest of their tokens. */
static void sort_entries(Entry *e, size_t n, int d)
{
	radix_sort(e, n, d);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && e[j].key == e[i].key; j++)
			;
		if (j - i > 1 && (e[i].key & 0xff))
			qsort(e + i, j - i, sizeof *e, entry_cmp);
	}
}

#define PARTS 65536	/* an entry's part: its key's first two bytes */

/* e's entries by their keys' first two bytes, in place (in no order within a part): one pass
 * counts the parts, then each entry is swapped straight into its part; part p is e[start[p]] to
 * e[start[p + 1]] (start holds PARTS + 1). At a million customers the entries are ~240 MB, and
 * radix_sort's first two levels were each a pass of counting and a pass of swaps over memory far
 * larger than the cache; this is one of each, and each part, a small share of the entries, is
 * then sorted and written while it is in the cache. */
static void partition_entries(Entry *e, size_t n, size_t *start)
{
	size_t *next = xcalloc(PARTS, sizeof *next);
	for (size_t i = 0; i < n; i++)
		next[e[i].key >> 48]++;
	for (size_t p = 0, at = 0; p < PARTS; p++)
		start[p] = at, at += next[p], next[p] = start[p];
	start[PARTS] = n;
	for (size_t p = 0; p < PARTS; p++)
		while (next[p] < start[p + 1]) {
			Entry x = e[next[p]];
			for (size_t q; (q = x.key >> 48) != p;) {
				/* The part's next entries asked for ahead: each part is read and written
				 * where its next entry goes, more places at once than the processor
				 * follows by itself, so each new line was a wait for memory. */
				__builtin_prefetch(&e[next[q] + 16], 1);
				Entry t = e[next[q]];
				e[next[q]++] = x;
				x = t;
			}
			e[next[p]++] = x;
		}
	free(next);
}

/* e's n entries in the word files' order (by their keys' bytes, then by value): partitioned,
 * then each part sorted and, with each, handed to it while it is in the cache, in the parts'
 * order (the entries'); false at the first part each fails. */
static bool order_entries(Entry *e, size_t n, bool (*each)(void *arg, const Entry *part, size_t n), void *arg)
{
	size_t *start = xmalloc((PARTS + 1) * sizeof *start);
	partition_entries(e, n, start);
	bool ok = true;
	for (size_t p = 0; ok && p < PARTS; p++) {
		size_t k = start[p + 1] - start[p];
		if (!k)
			continue;	/* e may be NULL: no part to find in it */
		sort_entries(e + start[p], k, 2);
		ok = !each || each(arg, e + start[p], k);
	}
	free(start);
	return ok;
}

/* The entries of n tokens and their values in the word files' order, as write_words sorts them:
 * tokens and values are put in that order in place. */
void search_order(char **tokens, uint32_t *values, size_t n)
{
	Entry *e = xmalloc((n + 1) * sizeof *e);
	for (size_t i = 0; i < n; i++)
		e[i] = (Entry){token_key(tokens[i]), tokens[i], values[i], (uint32_t)strlen(tokens[i])};
	order_entries(e, n, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		tokens[i] = e[i].token, values[i] = e[i].value;
	free(e);
}

typedef struct {
	Site *site;
	Buf *keys;
	FileHash input;
} WordFiles;

static bool write_part(void *arg, const Entry *e, size_t n)
{
	WordFiles *w = arg;
	return write_group(w->site, e, n, 2, w->keys, w->input);
}

/* The word files: each part of the entries (their first two key bytes) sorted and written in
 * turn, in the order of the parts, which is the entries' order. */
static bool write_words(Site *site, Words *w, Buf *keys, FileHash input)
{
	return order_entries(w->e, w->n, write_part, &(WordFiles){site, keys, input});
}

/* customers/search/segments.js: each customer's segment, a letter per record in the records'
 * order (by_id: rows), the one search file that changes with the as-of date alone. */
static bool write_segments(Site *site, const uint32_t *by_id, Buf *b)
{
	size_t nc = site->g->src[SRC_CUSTOMERS].table->n;
	b->len = 0;
	buf_puts(b, "C360.segments([");
	for (int k = 0; k < SEG_COUNT; k++) {
		buf_puts(b, k ? "," : "");
		esc_js(b, segment_defs[k].label, strlen(segment_defs[k].label));
	}
	buf_puts(b, "],\"");
	for (size_t i = 0; i < nc; i++)
		buf_putc(b, (char)('A' + site->g->c360[by_id[i]].segment));
	buf_puts(b, "\");\n");
	return out_write_file(site->dir, "customers/search/segments.js", b, site->err);
}

/* customers/search/ranks.js: each customer's place by lifetime value (0: the highest), in the
 * records' order, as width base64url digits (the fewest that count every customer), the most
 * significant first: the one file that changes with every value, and small. */
static bool write_ranks(Site *site, const uint32_t *by_id, Buf *b)
{
	static const char digit[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t nc = site->g->src[SRC_CUSTOMERS].table->n;
	int width = 1;
	while (width < 5 && (size_t)1 << (6 * width) < nc)
		width++;
	uint32_t *rank = xmalloc((nc + 1) * sizeof *rank);
	for (size_t i = 0; i < nc; i++)
		rank[site->g->by_value[i]] = (uint32_t)i;
	b->len = 0;
	buf_printf(b, "C360.ranks(%d,\"", width);
	for (size_t i = 0; i < nc; i++)
		for (int d = width - 1; d >= 0; d--)
			buf_putc(b, digit[rank[by_id[i]] >> (6 * d) & 63]);
	buf_puts(b, "\");\n");
	free(rank);
	return out_write_file(site->dir, "customers/search/ranks.js", b, site->err);
}

/* ---- records kept: .c360-cache/records-customers holds, for the previous site, its customers'
 * count, each records file's bytes hashed, each customer's record input hashed (by id), and
 * the customers' rows in id order (taken if they still are: by_id_order not run again). A
 * records file whose input changed is made of the previous file's records where a customer's
 * input is the same (the file read back only if the manifest lists it as made from those
 * inputs, is as listed, and its bytes hash as the cache says), the others formatted. */

#define RECORDS_PREFIX "records-"
#define RECORDS_MAGIC "c360rec"
#define RECORDS_VERSION 1u
#define RECORD_SLOTS 2048	/* a power of two, twice a file's records and more */
_Static_assert(RECORD_SLOTS >= 2 * RECORDS_PER_FILE && RECORDS_PER_FILE < 65535, "records' slots");

typedef struct {
	char *save;		/* the cache's bytes for the next build but the order: the count, */
	size_t save_len;
	FileHash *file;		/* then each records file's bytes hashed (zero: not known), */
	FileHash *now;		/* then each customer's record input now, in id order */
	bool caching;		/* the staging folder has a cache: those are kept for the next build */
	char *cache;		/* the previous site's cache, or NULL */
	size_t was_n, was_files;	/* its customers and records files */
	const FileHash *was_file, *was;	/* (in cache) */
	const uint32_t *was_by_id;
	Buf old;		/* a previous records file */
	uint32_t *at, *len;	/* its records: where each starts, its bytes */
	size_t old_n;		/* how many (0: none to copy) */
	uint16_t *slot;		/* its records by their inputs' hashes (records_match), once indexed */
	bool indexed;
	uint64_t formatted;	/* records formatted, not copied */
} RecordsKept;

static bool hash_eq(FileHash a, FileHash b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

/* The cache's key: the page salt, but whether every page goes through cmark (a record is the
 * same either way, and tests/pages.sh compares the two sites' caches). */
static FileHash records_key(const Site *site)
{
	FileHash key = site->page_salt;
	key.lo ^= site->cmark_every_page;
	return key;
}

static void records_begin(RecordsKept *r, const Site *site, size_t nc, size_t files)
{
	uint64_t n = nc;
	*r = (RecordsKept){.save_len = sizeof n + (files + nc) * sizeof(FileHash),
			   .at = xmalloc(RECORDS_PER_FILE * sizeof *r->at), .len = xmalloc(RECORDS_PER_FILE * sizeof *r->len),
			   .slot = xmalloc(RECORD_SLOTS * sizeof *r->slot)};
	r->save = xcalloc(r->save_len + sizeof(FileHash), 1);
	memcpy(r->save, &n, sizeof n);
	r->file = (FileHash *)(void *)(r->save + sizeof n);
	r->now = r->file + files;
	char *cache = path_join(site->dir, CACHE_DIR);
	struct stat st;
	r->caching = lstat(cache, &st) == 0 && S_ISDIR(st.st_mode);
	free(cache);
	size_t len, most = 2 * (r->save_len + nc * sizeof(uint32_t)) + RECORDS_PER_FILE * sizeof(FileHash);	/* twice as many */
	char *p = keyed_cache_load(site->cfg->out_dir, SRC_CUSTOMERS, RECORDS_PREFIX, RECORDS_MAGIC, RECORDS_VERSION,
				   records_key(site), RECORDS_PER_FILE, most, &len);
	n = 0;
	if (p && len >= sizeof n)
		memcpy(&n, p, sizeof n);
	size_t was_files = (size_t)((n + RECORDS_PER_FILE - 1) / RECORDS_PER_FILE);
	if (!p || len < sizeof n || n > len || len != sizeof n + (was_files + n) * sizeof(FileHash) + n * sizeof(uint32_t)) {
		free(p);
		return;
	}
	r->cache = p, r->was_n = (size_t)n, r->was_files = was_files;
	r->was_file = (const FileHash *)(void *)(p + sizeof n);
	r->was = r->was_file + was_files;
	r->was_by_id = (const uint32_t *)(void *)(r->was + n);
}

/* The customers' rows in id order as the cache has them, if they are every row once and in
 * id_cmp's order, each id after the one before (as by_id_order sorts them: ids the same, which
 * it leaves in no set order, are not taken); else NULL. */
static uint32_t *records_order(const RecordsKept *r, const Table *customers)
{
	size_t n = customers->n;
	if (!r->cache || r->was_n != n || !n)
		return NULL;
	uint32_t *by_id = xmalloc((n + 1) * sizeof *by_id);
	uint8_t *seen = xcalloc(n, 1);
	memcpy(by_id, r->was_by_id, n * sizeof *by_id);
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		ok = by_id[i] < n && !seen[by_id[i]] && (i == 0 || id_cmp(&by_id[i - 1], &by_id[i], (void *)customers) < 0);
		if (ok)
			seen[by_id[i]] = 1;
	}
	free(seen);
	if (!ok)
		free(by_id);
	return ok ? by_id : NULL;
}

/* The previous site's records file k (path) read into r->old and split into its records, if
 * the cache has its customers, the manifest lists it as made from them (records_input) and it
 * is as listed, its bytes hash as the cache says, and it is as write_records makes a file:
 * its head, then a record a line (a record has no line end: esc_js escapes them), then the
 * tail. Else r->old_n is 0. */
static void records_previous(RecordsKept *r, Site *site, const char *path, size_t k, Buf *b)
{
	r->old_n = 0, r->indexed = false;
	if (!r->cache || k >= r->was_files)
		return;
	size_t from = k * RECORDS_PER_FILE, to = from + RECORDS_PER_FILE < r->was_n ? from + RECORDS_PER_FILE : r->was_n;
	r->old.len = 0;
	if (!manifest_old_bytes(site->dir, path, records_input(site, r->was, from, to, b), &r->old) ||
	    !hash_eq(file_hash(r->old.p, r->old.len), r->was_file[k]))
		return;
	char head[64];
	int hn = snprintf(head, sizeof head, "C360.records(%zu,[\n", k);
	const char *p = r->old.p, *end = p + r->old.len;
	if (hn <= 0 || r->old.len < (size_t)hn || memcmp(p, head, (size_t)hn) != 0)
		return;
	p += hn;
	size_t n = to - from;
	for (size_t j = 0; j < n; j++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t tail = j + 1 < n ? 1 : 3;	/* "," or "]);" after the record */
		if (!nl || (size_t)(nl - p) < 2 + tail || memcmp(nl - tail, j + 1 < n ? "," : "]);", tail) != 0 ||
		    p[0] != '[' || nl[-(ptrdiff_t)tail - 1] != ']' || (j + 1 == n && nl + 1 != end))
			return;
		r->at[j] = (uint32_t)(p - r->old.p), r->len[j] = (uint32_t)(nl - p) - (uint32_t)tail;
		p = nl + 1;
	}
	r->old_n = n;
}

/* Which of the previous file's records is the next customer's (input h): first where it would
 * be were the customers the same (*next: one after the last found; after one not found, one
 * further, as a customer whose input changed), else looked up by its hash (customers added or
 * gone); -1 if none. An input hash is of the customer's id too: the same hash, the same
 * customer and the same record. */
static ptrdiff_t records_match(RecordsKept *r, size_t from, FileHash h, size_t *next)
{
	size_t j = *next;
	if (j < r->old_n && hash_eq(r->was[from + j], h)) {
		*next = j + 1;
		return (ptrdiff_t)j;
	}
	if (!r->old_n)
		return -1;
	if (!r->indexed) {	/* each record by its hash's low bits, a slot on if taken: record + 1 */
		memset(r->slot, 0, RECORD_SLOTS * sizeof *r->slot);
		for (size_t i = 0; i < r->old_n; i++) {
			size_t s = (size_t)r->was[from + i].lo & (RECORD_SLOTS - 1);
			while (r->slot[s])
				s = (s + 1) & (RECORD_SLOTS - 1);
			r->slot[s] = (uint16_t)(i + 1);
		}
		r->indexed = true;
	}
	for (size_t s = (size_t)h.lo & (RECORD_SLOTS - 1); r->slot[s]; s = (s + 1) & (RECORD_SLOTS - 1))
		if (hash_eq(r->was[from + r->slot[s] - 1], h)) {
			*next = r->slot[s];
			return (ptrdiff_t)r->slot[s] - 1;
		}
	(*next)++;
	return -1;
}

/* Records file k (customers from to to in id order), unless made from the same as the
 * previous site's (its bytes' hash, if cached, the cache's, else read); else of the previous
 * file's records where they are the same. */
static bool write_records(Site *site, RecordsKept *r, const uint32_t *by_id, size_t from, size_t to, Buf *b, Buf *tmp)
{
	char path[64];
	size_t k = from / RECORDS_PER_FILE;
	snprintf(path, sizeof path, "customers/search/r%zu.js", k);
	FileHash input = records_input(site, r->now, from, to, b);
	size_t was_to = from + RECORDS_PER_FILE < r->was_n ? from + RECORDS_PER_FILE : r->was_n;
	if (manifest_file_kept(site->dir, path, input)) {
		if (!r->caching)
			return true;
		if (r->cache && k < r->was_files && was_to == to &&
		    memcmp(r->was + from, r->now + from, (to - from) * sizeof *r->now) == 0) {
			r->file[k] = r->was_file[k];
			return true;
		}
		r->old.len = 0;
		if (manifest_old_bytes(site->dir, path, input, &r->old))
			r->file[k] = file_hash(r->old.p, r->old.len);
		return true;
	}
	records_previous(r, site, path, k, b);
	size_t was_from = k * RECORDS_PER_FILE, next = 0;
	b->len = 0;
	buf_printf(b, "C360.records(%zu,[", k);
	for (size_t i = from; i < to; i++) {
		buf_puts(b, i > from ? ",\n" : "\n");
		ptrdiff_t j = records_match(r, was_from, r->now[i], &next);
		if (j >= 0) {
			buf_put(b, r->old.p + r->at[j], r->len[j]);
		} else {
			record(site, b, by_id[i], tmp);
			r->formatted++;
		}
	}
	buf_puts(b, "]);\n");
	if (r->caching)
		r->file[k] = file_hash(b->p, b->len);
	return write_made(site, path, b, input);
}

/* ... into the staging folder's cache (the previous site's file linked if the same). */
static void records_end(RecordsKept *r, const Site *site, const uint32_t *by_id, size_t nc, bool ok)
{
	if (ok && r->caching) {
		if (r->cache && r->was_n == nc && memcmp(r->cache, r->save, r->save_len) == 0 &&
		    memcmp(r->was_by_id, by_id, nc * sizeof *by_id) == 0)
			keyed_cache_keep(site->cfg->out_dir, site->dir, SRC_CUSTOMERS, RECORDS_PREFIX);
		else
			keyed_cache_save(site->dir, SRC_CUSTOMERS, RECORDS_PREFIX, RECORDS_MAGIC, RECORDS_VERSION,
					 records_key(site), RECORDS_PER_FILE, r->save, r->save_len, by_id, nc * sizeof *by_id);
	}
	console_note("search records formatted: %llu of %zu", (unsigned long long)r->formatted, nc);
	free(r->save), free(r->cache), free(r->at), free(r->len), free(r->slot);
	buf_free(&r->old);
}

/* The word files and info.js, unless made from the same as the previous site's. */
static bool write_all_words(Site *site, const uint32_t *by_id, size_t nc, FileHash input, Buf *b)
{
	if (manifest_group_kept(site->dir, input))
		return true;
	const Table *customers = site->g->src[SRC_CUSTOMERS].table;
	size_t max = shown_max(site, true);	/* the words of what a record shows */
	Words w = {0};
	Buf shards = {0};
	for (size_t i = 0; i < nc; i++) {
		const Customer *cu = ROW(customers, Customer, by_id[i]);
		uint32_t at = (uint32_t)i;
		size_t id = utf8_cut(cu->h.id, cu->h.idlen, max), email = cu->email ? utf8_cut(cu->email, strlen(cu->email), max) : 0;
		add_field(&w, at, cu->name, cu->name ? utf8_cut(cu->name, strlen(cu->name), max) : 0, TAG_NAME_START, false);
		add_field(&w, at, cu->h.id, id, TAG_WORD, true);
		add_field(&w, at, cu->email, email, TAG_WORD, true);
		add_field(&w, at, cu->location, cu->location ? utf8_cut(cu->location, strlen(cu->location), max) : 0, TAG_WORD, false);
	}
	bool ok = write_words(site, &w, &shards, input);
	b->len = 0;
	buf_printf(b, "C360.searchInfo({customers:%zu,perFile:%d,shards:\"%s\"});\n", nc, RECORDS_PER_FILE,
		   shards.p ? shards.p : "");
	ok = ok && write_made(site, "customers/search/info.js", b, input);
	arena_free(&w.words);
	free(w.e);
	buf_free(&w.folded), buf_free(&w.joined), buf_free(&shards);
	return ok;
}

/* The search index: customers by id, a thousand per records file, their words, segments and ranks. */
static bool write_search(Site *site)
{
	const Table *table = site->g->src[SRC_CUSTOMERS].table;
	size_t nc = table->n;
	size_t files = (nc + RECORDS_PER_FILE - 1) / RECORDS_PER_FILE;
	FileHash *customers = xmalloc((files + 1) * sizeof *customers);
	Buf b = {0}, tmp = {0};
	RecordsKept r;
	records_begin(&r, site, nc, files);
	uint32_t *by_id = records_order(&r, table);
	if (!by_id)
		by_id = by_id_order(table);
	bool ok = out_mkdir(site->dir, "customers/search", site->err);
	for (size_t k = 0; ok && k < files; k++) {
		size_t from = k * RECORDS_PER_FILE, to = from + RECORDS_PER_FILE < nc ? from + RECORDS_PER_FILE : nc;
		customers[k] = customers_hash(site, by_id, from, to, &b, r.now, &tmp);
		ok = write_records(site, &r, by_id, from, to, &b, &tmp);
	}
	records_end(&r, site, by_id, nc, ok);
	ok = ok && write_all_words(site, by_id, nc, words_input(site, customers, files, nc, &b), &b) &&
	     write_segments(site, by_id, &b) && write_ranks(site, by_id, &b);
	free(by_id), free(customers);
	buf_free(&b), buf_free(&tmp);
	return ok;
}

/* ---- customers/index.html: the search, and the customers with the highest lifetime value */

Value *customer_rows(const Site *site, Arena *a, const uint32_t *customers, size_t n)
{
	Value *list = v_list(a);
	Buf path = {0};
	for (size_t i = 0; i < n; i++) {
		const Customer *cu = ROW(site->g->src[SRC_CUSTOMERS].table, Customer, customers[i]);
		const Customer360 *x = &site->g->c360[customers[i]];
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "id", cell(site, a, cu->h.id, cu->h.idlen));
		v_set(a, o, "name", cu->name ? ccell(site, a, cu->name) : cell(site, a, cu->h.id, cu->h.idlen));
		v_set(a, o, "email", ccell(site, a, cu->email));
		v_set(a, o, "location", ccell(site, a, cu->location));
		v_set(a, o, "segment", v_cstr(a, segment_defs[x->segment].label));
		v_set(a, o, "lifetime_value", v_num(a, V_MONEY, x->lifetime_cents));
		v_set(a, o, "valid_orders", v_num(a, V_INT, x->valid_orders));
		v_set(a, o, "last_order", v_num(a, V_DATE, x->last_order));
		v_set(a, o, "days_since_last_order", v_num(a, V_INT, x->days_since_last_order));
		v_set(a, o, "tickets", v_num(a, V_INT, x->tickets));
		v_set(a, o, "open_tickets", v_num(a, V_INT, x->open_tickets));
		path.len = 0;
		customer_url(&site->plan, site->g, customers[i], &path);
		v_set(a, o, "url", v_str(a, path.p ? path.p : "", path.len));
	}
	buf_free(&path);
	return list;
}

Value *top_customers(const Site *site, Arena *a, size_t *n)
{
	enum { TOP_CUSTOMERS = 100 };
	size_t nc = site->g->src[SRC_CUSTOMERS].table->n;
	*n = nc < TOP_CUSTOMERS ? nc : TOP_CUSTOMERS;
	return customer_rows(site, a, site->g->by_value, *n);
}

static bool write_index(Site *site)
{
	size_t nc = site->g->src[SRC_CUSTOMERS].table->n, top;
	PageWork w;
	page_init(&w);
	Arena *a = &w.arena;
	Value *d = v_obj(a);
	v_set(a, d, "title", v_cstr(a, "Customers"));
	v_set(a, d, "customers", v_num(a, V_INT, (int64_t)nc));
	v_set(a, d, "known_customers", v_num(a, V_INT, (int64_t)site->g->ncrm));
	int64_t buyers = site->g->now.v[K_TOTAL_CUSTOMERS];	/* null in a gold folder that leaves it blank */
	v_set(a, d, "total_customers", buyers == KPI_NULL ? v_cstr(a, NULL) : v_num(a, V_INT, buyers));
	v_set(a, d, "top", top_customers(site, a, &top));
	v_set(a, d, "top_count", v_num(a, V_INT, (int64_t)top));
	Value *scripts = v_set(a, d, "scripts", v_list(a));
	v_push(a, scripts, v_cstr(a, "assets/search.js"));
	v_push(a, scripts, v_cstr(a, "customers/search/info.js"));
	v_set(a, d, "find", v_bool(a, false));
	v_set(a, d, "search_box", page_fragment(site, &w, "customers/index.html", "search_box.html", d));
	v_set(a, d, "inferred_customers", v_num(a, V_INT, (int64_t)site->g->quality[SRC_CUSTOMERS].inferred));
	bool ok = page_write(site, &w, "customers/index.html", "customers", d);
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok;
}

/* customers/view.html: the viewer of packed pages (assets/viewer.js), the site's chrome around it. */
static bool write_view(Site *site)
{
	PageWork w;
	page_init(&w);
	Arena *a = &w.arena;
	Value *d = v_obj(a);
	char packs[16];
	v_set(a, d, "title", v_cstr(a, "Customer"));
	v_set(a, d, "packs", v_str(a, packs, (size_t)snprintf(packs, sizeof packs, "%u", (unsigned)site->plan.packs)));
	Value *scripts = v_set(a, d, "scripts", v_list(a));
	v_push(a, scripts, v_cstr(a, "assets/viewer.js"));
	v_set(a, d, "viewer", page_fragment(site, &w, VIEW_PATH, "customer_viewer.html", d));
	bool ok = page_write(site, &w, VIEW_PATH, "customer_view", d);
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok;
}

/* The customer pages of the plan's mode: a file each in customers/XX/ (files, top N), packs
 * and their viewer (packed), or none. */
static bool write_pages(Site *site)
{
	if (site->plan.mode == PAGES_PACKED)
		return write_customer_packs(site) && (site->cfg->shard != 0 || write_view(site));
	const Table *customers = site->g->src[SRC_CUSTOMERS].table;
	bool ok = true, used[256] = {false};
	for (size_t c = 0; c < customers->n; c++)
		used[customer_folder(&ROW(customers, Customer, c)->h)] |= has_file_page(&site->plan, (uint32_t)c);
	Buf dir = {0};
	for (unsigned k = 0; ok && k < 256; k++) {	/* the folders pages go into, made before the threads start */
		dir.len = 0;
		buf_printf(&dir, "customers/%02x", k);
		ok = !used[k] || !shard_has(site->cfg, k) || out_mkdir(site->dir, buf_cstr(&dir), site->err);
	}
	buf_free(&dir);
	return ok && (site->plan.mode == PAGES_NONE || in_threads(site, customer_pages, customers->n, NULL, NULL, NULL));
}

/* A source whose export grew since the previous build (only rows appended): the previous
 * site's hashes of its facts, when they are of the rows this build has first (the rows key they
 * are cached under is what those rows' would be in this build: the same rows, customers, as-of
 * date and date order), and the customers that the rows after them belong to (after
 * silver_finish: an orphan's inferred customer). Every other customer's facts are the rows the
 * previous build hashed, in the same order (a customer's are ordered by their own dates and
 * lines), so its hash is kept; the grown customers' are hashed again. Nothing if not cached. */
static void facts_grown(Site *site, SourceId id, size_t nc)
{
	const Table *t = site->g->src[id].table;
	size_t from = site->g->grown_from[id];
	FileHash *kept = from <= t->n ? facts_cache_load(site->cfg->out_dir, id, site->g->grown_key[id], nc) : NULL;
	if (!kept)
		return;
	uint8_t *grown = xcalloc(nc + 1, 1);
	for (size_t r = from; r < t->n; r++) {
		uint32_t c = ROW(t, RowHead, r)->customer;
		if (c >= nc) {	/* every fact has a customer by now: not taken if not */
			free(kept), free(grown);
			return;
		}
		grown[c] = 1;
	}
	site->facts_hash[id] = kept, site->facts_fill[id] = true, site->facts_grown[id] = grown;
}

/* Each customer's facts of each source hashed (facts_input), taken from the previous site's
 * cache when the source's rows key is this build's (the same rows: the same hashes), or for a
 * grown source those of the customers with no new rows (facts_grown), else filled as the pages
 * are made; then cached for the next build: where the build caches (the staging folder has a
 * cache, the source a rows key) and every customer's page is made here (files or packed, not
 * shards). Else each page hashes its facts. */
static void facts_begin(Site *site)
{
	size_t nc = site->g->src[SRC_CUSTOMERS].table->n;
	bool every = pages_cached(site);
	for (int i = 0; i < SRC_COUNT; i++) {
		FileHash key = site->g->rows_key[i];
		site->facts_hash[i] = NULL, site->facts_fill[i] = false, site->facts_grown[i] = NULL;
		if (!every || !(key.lo | key.hi))
			continue;
		site->facts_hash[i] = facts_cache_load(site->cfg->out_dir, (SourceId)i, key, nc);
		if (!site->facts_hash[i] && site->g->grown_from[i])
			facts_grown(site, (SourceId)i, nc);
		if (!site->facts_hash[i])
			site->facts_hash[i] = xmalloc((nc + 1) * sizeof(FileHash)), site->facts_fill[i] = true;
	}
}

/* ... into the staging folder's cache, once every page was made: written, or the previous
 * site's file linked. */
static void facts_end(Site *site, bool ok)
{
	size_t nc = site->g->src[SRC_CUSTOMERS].table->n;
	for (int i = 0; i < SRC_COUNT; i++) {
		if (!site->facts_hash[i])
			continue;
		if (ok && site->facts_fill[i])
			facts_cache_save(site->dir, (SourceId)i, site->g->rows_key[i], site->facts_hash[i], nc);
		else if (ok)
			facts_cache_keep(site->cfg->out_dir, site->dir, (SourceId)i);
		free(site->facts_hash[i]), free(site->facts_grown[i]);
		site->facts_hash[i] = NULL, site->facts_fill[i] = false, site->facts_grown[i] = NULL;
	}
}

bool site_customer_pages(Site *site)
{
	site->builtin[FRAG_ACTIVITY] = tpl_source_is(tpl_set_get(&site->tpl, "activity.html", 13), activity_builtin);
	site->builtin[FRAG_LIFECYCLE] = tpl_source_is(tpl_set_get(&site->tpl, "lifecycle.html", 14), lifecycle_builtin);
	site->builtin[FRAG_STRIP] = tpl_source_is(tpl_set_get(&site->tpl, "customer_strip.html", 19), strip_builtin);
	site->builtin_md = tpl_source_is(tpl_set_get(&site->tpl, "customer", 8), customer_md_builtin);
	for (int src = 0; src < SRC_COUNT; src++)
		site->detail_plain[src] = source_is_fact((SourceId)src) && detail_plain(site, (SourceId)src);
	for (int src = 0; src < SRC_COUNT; src++)
		site->detail_bidi[src] = source_is_fact((SourceId)src) && detail_bidi(site, (SourceId)src);
	label_hashes(site, true);
	facts_begin(site);
	bool ok = out_mkdir(site->dir, "customers", site->err) && write_pages(site);
	facts_end(site, ok);
	label_hashes(site, false);
	return ok;
}

bool site_customer_index(Site *site)
{
	return out_mkdir(site->dir, "customers", site->err) && write_search(site) && write_index(site);
}
