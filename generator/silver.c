/* silver.c — the table rules of silver: the sources, keys, values, duplicates, date order,
 * orphans and the as-of date, on rows the reader (silver_read.c) hands over. */
#include "c360.h"

#include <pthread.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

#define RULE(k, T, field) {.kind = (k), .at = offsetof(T, field)}
#define CATEGORY(c, T, field) {.kind = COL_CATEGORY, .category = (c), .at = offsetof(T, field)}

const SourceDef source_defs[SRC_COUNT] = {
	[SRC_CUSTOMERS] = {.name = "customers", .file = "customers.csv", .required = true, .ncols = CU_NCOLS,
			   .cols = {"customer_id", "name", "email", "gender", "dob", "location"},
			   .rule = {[CU_ID] = {.kind = COL_KEY}, [CU_NAME] = RULE(COL_TITLE, Customer, name),
				    [CU_EMAIL] = RULE(COL_EMAIL, Customer, email),
				    [CU_GENDER] = RULE(COL_GENDER, Customer, gender), [CU_DOB] = {.kind = COL_DATE},
				    [CU_LOCATION] = RULE(COL_TITLE, Customer, location)},
			   .customer_col = -1, .date_col = CU_DOB, .currency_col = -1, .row_size = sizeof(Customer)},
	[SRC_ORDERS] = {.name = "orders", .file = "orders.csv", .required = true, .ncols = OR_NCOLS,
			.cols = {"order_id", "customer_id", "order_date", "amount", "status", "currency"},
			.rule = {[OR_ID] = {.kind = COL_KEY}, [OR_CUSTOMER] = {.kind = COL_CUSTOMER}, [OR_DATE] = {.kind = COL_DATE},
				 [OR_AMOUNT] = RULE(COL_AMOUNT, Order, cents),
				 [OR_STATUS] = CATEGORY(CAT_ORDER_STATUS, Order, status),
				 [OR_CURRENCY] = {.kind = COL_CURRENCY, .extra = true}},
			.customer_col = OR_CUSTOMER, .date_col = OR_DATE, .currency_col = OR_CURRENCY,
			.row_size = sizeof(Order)},
	[SRC_PAYMENTS] = {.name = "payments", .file = "payments.csv", .ncols = PA_NCOLS,
			  .cols = {"payment_id", "customer_id", "payment_date", "payment_method", "payment_status", "amount",
				   "currency"},
			  .rule = {[PA_ID] = {.kind = COL_KEY}, [PA_CUSTOMER] = {.kind = COL_CUSTOMER}, [PA_DATE] = {.kind = COL_DATE},
				   [PA_METHOD] = CATEGORY(CAT_PAY_METHOD, Payment, method),
				   [PA_STATUS] = CATEGORY(CAT_PAY_STATUS, Payment, status),
				   [PA_AMOUNT] = RULE(COL_AMOUNT, Payment, cents), [PA_CURRENCY] = {.kind = COL_CURRENCY, .extra = true}},
			  .customer_col = PA_CUSTOMER, .date_col = PA_DATE, .currency_col = PA_CURRENCY,
			  .row_size = sizeof(Payment)},
	[SRC_TICKETS] = {.name = "support_tickets", .file = "support_tickets.csv", .ncols = TI_NCOLS,
			 .cols = {"ticket_id", "customer_id", "issue_type", "ticket_date", "resolution_status"},
			 .rule = {[TI_ID] = {.kind = COL_KEY}, [TI_CUSTOMER] = {.kind = COL_CUSTOMER},
				  [TI_ISSUE] = CATEGORY(CAT_ISSUE, Ticket, issue), [TI_DATE] = {.kind = COL_DATE},
				  [TI_STATUS] = CATEGORY(CAT_TICKET_STATUS, Ticket, status)},
			 .customer_col = TI_CUSTOMER, .date_col = TI_DATE, .currency_col = -1, .row_size = sizeof(Ticket)},
	[SRC_SESSIONS] = {.name = "web_activities", .file = "web_activities.csv", .ncols = SE_NCOLS,
			  .cols = {"session_id", "customer_id", "page_viewed", "session_time", "device_type"},
			  .rule = {[SE_ID] = {.kind = COL_KEY}, [SE_CUSTOMER] = {.kind = COL_CUSTOMER},
				   [SE_PAGE] = CATEGORY(CAT_PAGE, Session, page), [SE_TIME] = {.kind = COL_DATE},
				   [SE_DEVICE] = CATEGORY(CAT_DEVICE, Session, device)},
			  .customer_col = SE_CUSTOMER, .date_col = SE_TIME, .timestamp = true, .currency_col = -1,
			  .row_size = sizeof(Session)},
};

#define MEMO_MAX 4096		/* distinct raw values remembered per category column: the usual data has
				 * dozens; a column of new values fills it and gains nothing */
#define MEMO_LEN 256		/* ... of at most this many bytes: long ones are rare, and big */
#define UNKNOWN_BIT (1u << 31)

/* ---- ambiguous dates wait in the row, packed, until the order is decided */

#define AMBIGUOUS_TAG ((int64_t)1 << 62)
#define AMBIGUOUS_LOCAL ((int64_t)1 << 21)	/* its time is local: the file's time_zone's */

static int64_t pack_ambiguous(const DateParse *p)
{
	return AMBIGUOUS_TAG | (int64_t)(p->y - 1900) << 30 | (int64_t)p->a << 26 | (int64_t)p->b << 22 |
	       (p->local && p->has_time ? AMBIGUOUS_LOCAL : 0) | (int64_t)(p->secs + 50400);
}

static bool is_ambiguous(int64_t when)
{
	return when != MOMENT_NULL && when >= AMBIGUOUS_TAG;
}

static int64_t resolve_ambiguous(int64_t v, DateOrder order, bool keep_time, const TzZone *zone)
{
	DateParse p = {.status = DATE_AMBIGUOUS, .y = (int)(v >> 30 & 0xff) + 1900, .a = (int)(v >> 26 & 0xf),
		       .b = (int)(v >> 22 & 0xf), .secs = (int32_t)(v & 0x3ffff) - 50400,
		       .has_time = (v & AMBIGUOUS_LOCAL) != 0, .local = (v & AMBIGUOUS_LOCAL) != 0};
	return clean_date_moment_zoned(&p, order, keep_time, zone);
}

int64_t silver_resolve_when(int64_t when, DateOrder order, bool keep_time, const TzZone *zone)
{
	return is_ambiguous(when) ? resolve_ambiguous(when, order, keep_time, zone) : when;
}

/* ---- tables */

static void table_reserve(Table *t, size_t more)
{
	if (t->cap - t->n >= more)
		return;
	size_t cap = t->cap ? t->cap * 2 : 1024;
	while (cap - t->n < more)
		cap *= 2;
	t->rows = big_realloc(t->rows, t->cap * t->size, cap * t->size);
	t->cap = cap;
}

static void *table_push(Table *t)
{
	table_reserve(t, 1);
	return memset(t->rows + t->n++ * t->size, 0, t->size);
}

void silver_own_rows(Source *src)
{
	if (!src->lent)
		return;
	Table own = {.size = src->table.size};
	table_reserve(&own, src->table.n + 1);
	if (src->table.n)
		memcpy(own.rows, src->table.rows, src->table.n * own.size);
	own.n = src->table.n;
	src->table = own;
	src->lent = false;
}

static Str row_key(const void *ctx, uint32_t i)
{
	const RowHead *h = ROW((const Table *)ctx, RowHead, i);
	return str_make(h->id, h->idlen);
}

/* Drops the rows marked F_QUARANTINED, keeping file order: each run of kept rows moved at once. */
static void table_compact(Table *t)
{
	size_t w = 0, i = 0;
	while (i < t->n) {
		size_t run = i;
		while (run < t->n && !(ROW(t, RowHead, run)->flags & F_QUARANTINED))
			run++;
		if (w != i)
			memmove(ROW(t, char, w), ROW(t, char, i), (run - i) * t->size);
		w += run - i;
		for (i = run; i < t->n && ROW(t, RowHead, i)->flags & F_QUARANTINED; i++)
			;
	}
	t->n = w;
}

uint32_t silver_customer_row(const Source *customers, Str id)
{
	return index_find(&customers->keys, id, row_key, &customers->table);
}

void silver_reindex(Source *src)
{
	index_free(&src->keys);
	for (size_t i = 0; i < src->table.n; i++) {
		const RowHead *h = ROW(&src->table, RowHead, i);
		index_set(&src->keys, str_make(h->id, h->idlen), (uint32_t)i, row_key, &src->table);
	}
}

/* ---- reporting */

/* The column of the file a canonical column's values stand in, from 1; 0 if none (a value a
 * SELECT makes, or a row of a file other than the table's it takes the value from: the row being
 * said is its Diags.at's). */
static uint32_t file_column(const Source *src, int col)
{
	int field = !src->sql ? src->field_of[col] : src->diags.at == src->sql_file ? src->sql_field[col] : -1;
	return field >= 0 ? (uint32_t)field + 1 : 0;
}

/* Reports a problem with a column's value on the row of the given line. */
static void report(Source *src, DiagCode code, uint32_t line, int col, Str value)
{
	diag(&src->diags, code, line, file_column(src, col), src->def->cols[col], value.p, value.n);
}

/* The same of row h once its source is read: named by h's file (a [sql] source's, of several). */
static void report_row(Source *src, DiagCode code, const RowHead *h, int col, Str value)
{
	src->diags.at = ROW_FILE(h);
	report(src, code, h->line, col, value);
	src->diags.at = 0;
}

static void quarantine(Source *src, const char *raw, uint32_t rawlen, uint32_t line, DiagCode reason)
{
	if (src->nquarantine == src->capquarantine) {
		src->capquarantine = src->capquarantine ? src->capquarantine * 2 : 64;
		src->quarantine = xrealloc(src->quarantine, src->capquarantine * sizeof *src->quarantine);
	}
	src->quarantine[src->nquarantine++] = (Quarantined){raw, rawlen, line, reason, NULL};
	src->reason_count[reason - D_FIRST_REASON]++;
}

static int quarantine_cmp(const void *a, const void *b)
{
	uint32_t x = ((const Quarantined *)a)->line, y = ((const Quarantined *)b)->line;
	return x < y ? -1 : x > y;
}

/* ---- value rules applied to a row */

/* The first ambiguous date of the file, as written (cut to fit) and its line: the example of
 * the warning when other files' evidence decides its order (borrowed_order). */
static void keep_ambiguous(Source *src, uint32_t line, Str v)
{
	v = str_trim(v);
	size_t n = v.n < AMBIGUOUS_TEXT - 1 ? v.n : AMBIGUOUS_TEXT - 1;
	memcpy(src->ambiguous_text, v.p, n);
	src->ambiguous_text[n] = '\0';
	src->ambiguous_line = line;
}

static int64_t row_when(Source *src, RowHead *h, Str v)
{
	int64_t moment;
	int evidence;
	bool has_time;
	DateParse p;
	if (src->opt.date_format) {	/* the file's own form, else a year-first date (ISO's): no guess at */
		p = clean_date_formatted(v, &src->date_form);	/* an order the format says otherwise */
		if (p.status == DATE_BAD) {
			p = clean_date(v);
			if (p.status == DATE_AMBIGUOUS || p.evidence != EVIDENCE_NONE)
				p.status = DATE_BAD;
		}
	} else if (!src->zone && clean_date_usual(v, src->def->timestamp, &moment, &evidence, &has_time)) {
		src->evidence[evidence]++;
		if (!has_time && src->def->timestamp)
			h->flags |= F_DATE_ONLY;
		return moment;
	} else {
		p = clean_date(v);
	}
	clean_date_zone(&p, src->zone);	/* a local time made UTC (a bad one if it leaves 1900-2100) */
	if ((p.status == DATE_OK || p.status == DATE_AMBIGUOUS) && !p.has_time && src->def->timestamp)
		h->flags |= F_DATE_ONLY;	/* a day alone: shown as a date, not at 00:00 */
	if (p.status == DATE_OK && p.two_digit && !source_is_fact(src->id))
		h->flags |= F_TWO_DIGIT_YEAR;	/* a birthday's century: check_date's, by the as-of date */
	switch (p.status) {
	case DATE_OK:
		src->evidence[p.evidence]++;
		return clean_date_moment(&p, src->cfg->date_order, src->def->timestamp);
	case DATE_AMBIGUOUS:
		if (!src->ambiguous++)
			keep_ambiguous(src, h->line, v);
		return pack_ambiguous(&p);
	case DATE_BAD:
		h->flags |= FLAG(D_INVALID_DATE);
		report(src, D_INVALID_DATE, h->line, src->def->date_col, v);
		return MOMENT_NULL;
	default:
		return MOMENT_NULL;
	}
}

/* ---- amounts: converted to the base currency; X<sep>YYY waits, packed, for the separator */

#define AMOUNT_TAG ((int64_t)1 << 62)	/* above any amount: |cents| < 10^17 */

static int64_t pack_amount(const AmountParse *a, int rate)
{
	return AMOUNT_TAG | (int64_t)a->negative << 61 | (int64_t)(a->sep == ',') << 60 | (int64_t)rate << 20 |
	       a->grouped;
}

/* cents of a currency at rate (0: the base) in the base currency, rounded half away from zero. */
static int64_t convert(const Config *cfg, int64_t cents, int rate)
{
	if (rate == 0)
		return cents;
	__int128 v = (__int128)cents * cfg->rates[rate - 1].nanos;
	v = (v + (v < 0 ? -500000000 : 500000000)) / 1000000000;
	return v > 100000000000000000 || v < -100000000000000000 ? AMOUNT_NULL : (int64_t)v;
}

static int64_t unpack_amount(const Config *cfg, int64_t v, char decimal)
{
	int64_t cents = clean_amount_read((uint32_t)(v & 0xfffff), v >> 60 & 1 ? ',' : '.', decimal);
	return convert(cfg, v >> 61 & 1 ? -cents : cents, (int)(v >> 20 & 0xffff));
}

/* The rate of a row's amount: the currency its value names (a $ or ¥ gives way to a declared
 * one), else its currency column (its $ or ¥ to the file's), else the file's, else the base; -1
 * when there is no rate. */
static int row_rate(Source *src, RowHead *h, int col, Str v, const AmountParse *a, Str column)
{
	const Config *cfg = src->cfg;
	if (!cfg->base_currency[0])
		return 0;	/* no base: currency marks are decoration */
	char code[4] = "?";
	bool declared = column.n && !clean_is_null(column), marked = a->currency[0] && !(a->generic &&
											(declared || src->opt.currency));
	if (marked)
		memcpy(code, a->currency, 4);
	else if (declared)
		clean_currency(column, src->opt.currency, code);	/* "?" when it is not a currency */
	else
		memcpy(code, src->opt.currency ? src->opt.currency : cfg->base_currency, 4);
	int rate = config_rate(cfg, code);
	if (rate < 0) {
		Str in = declared && code[0] == '?' ? str_trim(column) : str_make(code, 3);
		h->flags |= FLAG(D_UNCONVERTIBLE_CURRENCY);
		src->scratch.len = 0;
		buf_put(&src->scratch, v.p, v.n);
		if (!marked)
			buf_puts(&src->scratch, " in "), buf_put(&src->scratch, in.p, in.n);
		report(src, D_UNCONVERTIBLE_CURRENCY, h->line, col, str_make(src->scratch.p, src->scratch.len));
	}
	return rate;
}

static int64_t row_amount(Source *src, RowHead *h, int col, Str v, Str currency)
{
	KnownCodes known = {src->cfg, src->opt.currency};
	AmountParse a = clean_amount(v, src->opt.decimal, &known);
	src->decimal_evidence[a.evidence]++;
	if (a.status == AMOUNT_NONE)
		return AMOUNT_NULL;
	int rate = a.status == AMOUNT_BAD ? 0 : row_rate(src, h, col, v, &a, currency);
	if (rate < 0)
		return AMOUNT_NULL;
	int64_t cents = a.status == AMOUNT_AMBIGUOUS ? pack_amount(&a, rate) : convert(src->cfg, a.cents, rate);
	if (cents == AMOUNT_NULL) {
		h->flags |= FLAG(D_INVALID_AMOUNT);
		report(src, D_INVALID_AMOUNT, h->line, col, v);
		return AMOUNT_NULL;
	}
	if (a.negative) {
		h->flags |= FLAG(D_NEGATIVE_AMOUNT);
		report(src, D_NEGATIVE_AMOUNT, h->line, col, v);
	}
	src->ambiguous_amounts += a.status == AMOUNT_AMBIGUOUS;
	return cents;
}

/* The file's decimal separator: the configuration's, else the one more values show (a point
 * when as many show each); the ambiguous amounts are read with it, and a note says so unless
 * the file shows decimal points only. */
static void resolve_amounts(Source *src)
{
	const uint64_t *e = src->decimal_evidence;
	src->decimal = src->opt.decimal ? src->opt.decimal : e[DECIMAL_COMMA] > e[DECIMAL_POINT] ? ',' : '.';
	if (!src->ambiguous_amounts)
		return;
	for (int c = 0; c < src->def->ncols; c++) {
		if (src->def->rule[c].kind != COL_AMOUNT)
			continue;
		for (size_t r = 0; r < src->table.n; r++) {
			int64_t *v = (int64_t *)(void *)(ROW(&src->table, char, r) + src->def->rule[c].at);
			if (*v != AMOUNT_NULL && *v >= AMOUNT_TAG)
				*v = unpack_amount(src->cfg, *v, src->decimal);
		}
	}
	if (src->decimal == '.' && !e[DECIMAL_COMMA] && e[DECIMAL_POINT])
		return;	/* as usual, and as the file's other amounts show: nothing to say */
	Buf b = {0};
	buf_printf(&b, "%llu amount%s written like 1,500 or 1.500 read with a decimal %s: %llu values show a decimal point, "
		       "%llu a decimal comma", (unsigned long long)src->ambiguous_amounts, src->ambiguous_amounts == 1 ? "" : "s",
		   src->decimal == ',' ? "comma" : "point",
		   (unsigned long long)e[DECIMAL_POINT], (unsigned long long)e[DECIMAL_COMMA]);
	diag(&src->diags, D_DECIMAL, 0, 0, buf_cstr(&b), NULL, 0);
	buf_free(&b);
}

/* The memo's cache: a slot per hash of column and short raw value, the value met last there. */
#define FAST_BITS 9
#define FAST_LEN 22
struct MemoSlot {
	uint8_t len, col;	/* the value's length + 1 (0: empty), its column */
	char text[FAST_LEN];
	uint32_t val;
};

/* A slot's hash of a short value (at most FAST_LEN bytes): its first and last words and length
 * mixed by multiplication, no call (the slot is a cache: any spread serves, the same for all). */
static size_t memo_hash(Str v)
{
	uint64_t a, b;
	if (v.n >= 8) {
		a = load8(v.p), b = load8(v.p + v.n - 8);
	} else if (v.n >= 4) {
		uint32_t x, y;
		memcpy(&x, v.p, 4), memcpy(&y, v.p + v.n - 4, 4);
		a = x, b = y;
	} else {
		a = v.n ? (unsigned char)v.p[0] | (unsigned char)v.p[v.n / 2] << 8 | (unsigned char)v.p[v.n - 1] << 16 : 0, b = 0;
	}
	uint64_t h = (a * 0x9e3779b97f4a7c15ull ^ b * 0xc2b2ae3d27d4eb4full ^ v.n) * 0xff51afd7ed558ccdull;
	return (size_t)(h >> (64 - FAST_BITS));
}

static struct MemoSlot *memo_slot(Source *src, int col, Str v)
{
	if (v.n > FAST_LEN)
		return NULL;
	if (!src->memo_fast)
		src->memo_fast = xcalloc((size_t)1 << FAST_BITS, sizeof *src->memo_fast);
	return &src->memo_fast[memo_hash(v) ^ (size_t)col << (FAST_BITS - 3)];
}

/* A category column, remembering each distinct raw value's label. */
static uint32_t row_category(Source *src, RowHead *h, int col, Str v)
{
	v = str_trim(v);
	struct MemoSlot *fast = memo_slot(src, col, v);
	uint32_t m, val;
	bool hit = fast && fast->len == v.n + 1 && fast->col == col && bytes_same(fast->text, v.p, v.n);
	if (hit) {
		val = fast->val;
	} else if ((m = dict_find(&src->memo[col], v)) != INDEX_NONE) {
		val = src->memo_val[col][m];
	} else {
		bool unknown;
		CatKind kind = src->def->rule[col].category;
		val = clean_category(&src->dict[col], kind, src->cfg->words[kind], src->cfg->nwords[kind], v, &src->scratch,
				     &unknown);
		val |= unknown ? UNKNOWN_BIT : 0;
		if (src->memo[col].n < MEMO_MAX && v.n <= MEMO_LEN) {
			m = dict_intern(&src->memo[col], v);
			if (m % 64 == 0)
				src->memo_val[col] = xrealloc(src->memo_val[col], (m + 64) * sizeof(uint32_t));
			src->memo_val[col][m] = val;
		}
	}
	if (fast && !hit) {
		fast->len = (uint8_t)(v.n + 1), fast->col = (uint8_t)col;
		memcpy(fast->text, v.p, v.n);
		fast->val = val;
	}
	if (val & UNKNOWN_BIT) {
		h->flags |= FLAG(D_UNKNOWN_CATEGORY);
		report(src, D_UNKNOWN_CATEGORY, h->line, col, v);
	}
	return val & ~UNKNOWN_BIT;
}

static const char *row_title(Source *src, Str v)
{
	TitleCase how = src->opt.title_case < 0 ? TITLE_KEEP : src->opt.title_case == 2 ? TITLE_ONE_CASE : TITLE_ALL;
	Str t = clean_title(v, &src->scratch, how);
	if (!t.n)
		return NULL;
	if (t.n < (1u << 20))
		return arena_strndup(&src->arena, t.p, t.n);
	buf_cstr(&src->scratch);	/* a huge text is kept where it is, not copied */
	char *kept = src->scratch.p;
	src->scratch = (Buf){0};
	return arena_own(&src->arena, kept);
}

static const char *row_email(Source *src, RowHead *h, int col, Str v)
{
	if (clean_is_null(v))
		return NULL;
	if (clean_email(v, &src->scratch))
		return arena_strndup(&src->arena, src->scratch.p, src->scratch.len);
	h->flags |= FLAG(D_INVALID_EMAIL);
	report(src, D_INVALID_EMAIL, h->line, col, v);
	return NULL;
}

/* Every value column through its rule, into its place in the row. */
static void row_values(Source *src, RowHead *h, const Str *f)
{
	char *row = (char *)h;
	for (int k = 0; k < src->nvalues; k++) {
		int c = src->value_col[k];
		const ColumnRule *r = &src->def->rule[c];
		switch (r->kind) {
		case COL_KEY:	/* row_keys', row_customer's, row_amount's: not in value_col */
		case COL_CUSTOMER:
		case COL_CURRENCY:
			break;
		case COL_DATE:
			h->when = row_when(src, h, f[c]);
			break;
		case COL_AMOUNT:
			*(int64_t *)(void *)(row + r->at) =
				row_amount(src, h, c, f[c], src->def->currency_col >= 0 ? f[src->def->currency_col] : f[0]);
			break;
		case COL_CATEGORY:
			*(uint32_t *)(void *)(row + r->at) = row_category(src, h, c, f[c]);
			break;
		case COL_TITLE:
			*(const char **)(void *)(row + r->at) = row_title(src, f[c]);
			break;
		case COL_EMAIL:
			*(const char **)(void *)(row + r->at) = row_email(src, h, c, f[c]);
			break;
		case COL_GENDER:
			*(uint8_t *)(row + r->at) = (uint8_t)clean_gender(f[c], src->cfg->words[CAT_GENDER],
									   src->cfg->nwords[CAT_GENDER], &src->scratch);
			break;
		}
	}
}

static void note_orphan(Source *src, const char *id, size_t idlen)
{
	if (src->norphans == src->caporphans) {
		src->caporphans = src->caporphans ? src->caporphans * 2 : 64;
		src->orphans = xrealloc(src->orphans, src->caporphans * sizeof *src->orphans);
	}
	src->orphans[src->norphans++] = (struct Orphan){(uint32_t)idlen, id};
}

/* Where the same bytes as a key stand in the raw record, or NULL. */
static const char *key_in(Str raw, Str id)
{
	if (raw.n >= id.n && bytes_same(raw.p, id.p, id.n))
		return raw.p;	/* the usual place: the key is the first column */
	return memmem(raw.p, raw.n, id.p, id.n);
}

/* A key as kept: in the raw record, else a copy. */
static const char *key_keep(Source *src, Str raw, Str id)
{
	const char *at = key_in(raw, id);
	return at ? at : arena_strndup(&src->arena, id.p, id.n);
}

/* A row's key and record: the key inside the record (a copy of both when the record lacks the
 * key's bytes: quoted with "", or with bytes replaced). */
static void row_bronze(Source *src, RowHead *h, Str raw, Str id)
{
	const char *at = key_in(raw, id);
	if (!at) {
		char *copy = arena_alloc(&src->arena, raw.n + id.n);
		memcpy(copy, raw.p, raw.n);
		memcpy(copy + raw.n, id.p, id.n);
		raw.p = copy, at = copy + raw.n;
	}
	h->id = at;
	h->idlen = (uint32_t)id.n;
	h->rawoff = (uint32_t)(at - raw.p);
	h->rawlen = (uint32_t)raw.n;
}

/* Where raw has a line end outside quotes, which can only be the other kind than its file's: a
 * CR alone (a file whose lines end in LF or CRLF) or an LF (one whose lines end in CR alone);
 * raw.n if nowhere. */
static size_t other_line_end(Str raw)
{
	bool quoted = false;
	for (size_t i = 0; i < raw.n; i++) {
		quoted ^= raw.p[i] == '"';
		if (!quoted && (raw.p[i] == '\n' || (raw.p[i] == '\r' && (i + 1 == raw.n || raw.p[i + 1] != '\n'))))
			return i;
	}
	return raw.n;
}

static void text_flags(Source *src, const Record *r, RowHead *h)
{
	if (r->nfields == src->nheader && !r->text)
		return;	/* the usual row */
	if (r->nfields != src->nheader) {
		bool fewer = r->nfields < src->nheader;
		h->flags |= FLAG(D_RAGGED_ROW);
		diag(&src->diags, D_RAGGED_ROW, r->line, (fewer ? r->nfields : src->nheader) + 1,
		     fewer ? "fewer fields than the header; padded with nulls"
			   : "more fields than the header; the extra text stays in bronze", NULL, 0);
	}
	for (unsigned t = TEXT_INVALID_UTF8; t <= TEXT_NUL; t <<= 1) {
		if (!(r->text & t))
			continue;
		DiagCode code = t == TEXT_NUL ? D_NUL_BYTE : D_INVALID_UTF8;
		h->flags |= FLAG(code);
		diag(&src->diags, code, r->line, r->text_col, "the row", NULL, 0);
	}
}

/* Rows without their key or customer go to quarantine; false when this one did. *cid: the
 * cleaned customer id of a fact. */
/* Whether s is, as header names compare, column col's name or one the configuration gives it. */
static bool names_column(const Source *src, int col, Str s)
{
	char norm[72];
	if (s.n > 64)
		return false;
	config_normalise_to(s, norm);
	char *const *alias = src->cfg->alias[src->id][col];
	for (int a = -1; a < MAX_ALIASES && (a < 0 || alias[a]); a++)
		if (strcmp(norm, a < 0 ? src->def->cols[col] : alias[a]) == 0)
			return true;
	return false;
}

/* Whether the row's fields f are the header's names again (two exports joined by cat): each
 * column's its own name. Most rows are told apart by their key's length or first byte. */
static bool header_again(const Source *src, const Str *f)
{
	Str key = str_trim(f[0]);
	unsigned char first = key.n ? (unsigned char)key.p[0] : 0;
	if (src->sql || key.n < src->key_name_min || !(src->key_name_first[first >> 6] >> (first & 63) & 1))
		return false;
	for (int c = 0; c < src->def->ncols; c++)
		if (src->field_of[c] >= 0 && !names_column(src, c, f[c]))
			return false;
	return true;
}

static bool row_keys(Source *src, const Record *r, Str raw, const Str *f, Str *id, Str *cid)
{
	DiagCode reason = D_MISSING_KEY;
	int col = 0, cc = src->def->customer_col;
	if (header_again(src, f)) {
		quarantine(src, raw.p, (uint32_t)raw.n, r->line, D_MALFORMED_ROW);
		diag(&src->diags, D_MALFORMED_ROW, r->line, 1, "the header row again (two exports joined?)", NULL, 0);
		return false;
	}
	*id = clean_id(f[0]);
	if (cc < 0 && id->n)	/* a customer's key; a fact's own id is no customer's */
		*id = clean_id_email(*id, src->id_fold);
	if (id->n && (cc < 0 || (*cid = clean_id(f[cc])).n))
		return true;
	if (id->n)
		reason = D_MISSING_CUSTOMER_ID, col = cc;
	quarantine(src, raw.p, (uint32_t)raw.n, r->line, reason);
	report(src, reason, r->line, col, f[col]);
	return false;
}

/* Looks up a fact's customer; one not in the CRM waits for infer_customers. Facts often come
 * grouped by customer in the CRM's order: the customer found last (by the id as written: the
 * same bytes, the same customer), then the row after it, are tried before the index (whose
 * slots and keys are far apart in memory at a million), with the id as keys are (an e-mail
 * address lower-cased). */
static void row_customer(Source *src, RowHead *h, Str raw, Str written)
{
	const Source *cu = src->customers;
	Str cid = written;
	if (cid.n == src->last_customer_id.n && bytes_same(cid.p, src->last_customer_id.p, cid.n)) {
		h->customer = src->last_customer;
	} else {
		cid = clean_id_email(written, src->id_fold);
		uint32_t next = src->last_customer + 1;
		const RowHead *c = next < cu->table.n ? ROW(&cu->table, RowHead, next) : NULL;
		bool guessed = c && c->idlen == cid.n && bytes_same(c->id, cid.p, cid.n);
		h->customer = guessed ? next : index_find(&cu->keys, cid, row_key, &cu->table);
		if (h->customer != NO_CUSTOMER) {	/* the facts after an orphan's are again the last one's */
			src->last_customer = h->customer;
			src->last_customer_id = str_make(src->last_customer_id_buf, 0);
			if (written.n <= sizeof src->last_customer_id_buf) {
				memcpy(src->last_customer_id_buf, written.p, written.n);
				src->last_customer_id.n = written.n;
			}
		}
	}
	if (h->customer == NO_CUSTOMER) {
		h->customer = ORPHAN | (uint32_t)src->norphans;
		note_orphan(src, key_keep(src, raw, cid), cid.n);
	}
}

void silver_reject(Source *src, const Record *r, Str raw)
{
	quarantine(src, raw.p, (uint32_t)raw.n, r->line, D_MALFORMED_ROW);
	src->unterminated |= r->error == REC_UNTERMINATED;
	if (r->error)
		diag(&src->diags, D_MALFORMED_ROW, r->line, r->error_col,
		     r->error == REC_UNTERMINATED ? "quoted field never closed"
		     : r->error == REC_FOOTER	  ? "a report's footer (after the last blank line, a line of one field, or few of many), not a row"
		     : r->error == REC_FILL_BIG	  ? "fill_down would fill in the value above, but the values filled in "
						    "would pass four times the file's own size (a value of megabytes over empty fields)"
						  : "stray quote in a field", NULL, 0);
}

void silver_exclude(Source *src, const Record *r, Str raw, Str why)
{
	Buf note = {0};
	quarantine_note(&note, why.p, why.n);
	quarantine(src, raw.p, (uint32_t)raw.n, r->line, D_EXCLUDED);
	src->quarantine[src->nquarantine - 1].note = arena_strndup(&src->arena, note.p ? note.p : "", note.len);
	why = str_trim(why);
	diag(&src->diags, D_EXCLUDED, r->line, 0, "_quarantine", why.p, why.n);
	buf_free(&note);
}

/* A row with more fields than the header (or of a header of one column) and a line end of the
 * other kind outside quotes with more after it: rows joined (a file whose first line ends in LF
 * and its rows in CR alone, or the other way round), quarantined whole, not one row of the first
 * one's values and the rest's text. Line ends at its end join nothing (rows written in CR CR LF:
 * helper 119). */
static bool rows_joined(Source *src, const Record *r, Str raw)
{
	Str body = raw;
	while (body.n && (body.p[body.n - 1] == '\r' || body.p[body.n - 1] == '\n'))
		body.n--;
	size_t at = r->nfields > src->nheader || src->nheader == 1 ? other_line_end(body) : body.n;
	if (at == body.n)
		return false;
	bool lf = raw.p[at] == '\n';
	quarantine(src, raw.p, (uint32_t)raw.n, r->line, D_MALFORMED_ROW);
	diag(&src->diags, D_MALFORMED_ROW, r->line, (uint32_t)at + 1,
	     lf ? "rows joined by an LF, a line end of another kind than the file's" :
		  "rows joined by a CR alone, a line end of another kind than the file's", NULL, 0);
	diag(&src->diags, D_READ_AS, r->line, (uint32_t)at + 1,	/* said whatever the verbosity */
	     lf ? "text: an LF, in a file whose lines end in CR alone (as its first line does); rows that end in LF "
		  "after it are read as this one row, quarantined: save the file with one kind of line end"
		: "text: a CR alone, in a file whose lines end in LF (as its first line does); rows that end in CR "
		  "alone after it are read as this one row, quarantined: save the file with one kind of line end",
	     NULL, 0);
	return true;
}

void silver_row(Source *src, const Record *r, Str raw, const Str *f)
{
	Str id, cid = {0};	/* cid: set for a fact only */
	if (rows_joined(src, r, raw) || !row_keys(src, r, raw, f, &id, &cid))
		return;
	if (src->lent && src->table.n == src->table.cap)
		silver_own_rows(src);
	RowHead *h = table_push(&src->table);
	h->line = r->line;
	h->flags = (src->diags.at <= F_FILE_MAX ? src->diags.at : 0) << F_FILE_SHIFT;	/* said from here on */
	row_bronze(src, h, raw, id);
	h->customer = NO_CUSTOMER;
	if (source_is_fact(src->id))
		row_customer(src, h, raw, cid);
	else
		((Customer *)h)->in_crm = true;	/* a row of the CRM itself */
	text_flags(src, r, h);
	row_values(src, h, f);
}

/* ---- duplicate keys: the last row in file order wins */

static int key_cmp(const RowHead *x, const RowHead *y)
{
	size_t n = x->idlen < y->idlen ? x->idlen : y->idlen;
	int c = bytes_order(x->id, y->id, n);
	return c ? c : x->idlen < y->idlen ? -1 : x->idlen > y->idlen;
}

/* (hash << 32 | row) pairs by key, then row. */
static int same_key_cmp(const void *a, const void *b, void *ctx)
{
	const Table *t = ctx;
	uint32_t i = (uint32_t)*(const uint64_t *)a, j = (uint32_t)*(const uint64_t *)b;
	int c = key_cmp(ROW(t, RowHead, i), ROW(t, RowHead, j));
	return c ? c : i < j ? -1 : i > j;
}

void radix_sort_u64(uint64_t *a, size_t n, int top, int low)
{
	if (n < 16 || top <= low) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && a[j - 1] >> low > a[j] >> low; j--) {
				uint64_t t = a[j];
				a[j] = a[j - 1], a[j - 1] = t;
			}
		return;
	}
	int bits = 8;
	while (bits > 1 && n >> bits < 8)
		bits--;
	bits = bits < top - low ? bits : top - low;
	int shift = top - bits;
	size_t buckets = (size_t)1 << bits, mask = buckets - 1, count[256] = {0}, next[256], end[256];
	for (size_t i = 0; i < n; i++)
		count[a[i] >> shift & mask]++;
	for (size_t k = 0, sum = 0; k < buckets; k++)
		next[k] = sum, sum += count[k], end[k] = sum;
	for (size_t b = 0; b < buckets; b++)
		while (next[b] < end[b]) {	/* each pair goes straight to its bucket */
			uint64_t v = a[next[b]];
			for (size_t d = v >> shift & mask; d != b; d = v >> shift & mask) {
				uint64_t t = a[next[d]];
				a[next[d]++] = v;
				v = t;
			}
			a[next[b]++] = v;
		}
	for (size_t k = 0, at = 0; k < buckets; at += count[k++])
		radix_sort_u64(a + at, count[k], shift, low);
}

#define DEDUPE_PASSES 4	/* rows are sorted a quarter of the hashes at a time */

/* The pairs of one hash range for rows [from, to), sorted by hash. */
typedef struct {
	const Table *t;
	size_t from, to;
	unsigned pass;
	uint64_t *a;
	size_t n;
	pthread_t thread;
} Pairs;

static void *pairs_make(void *arg)
{
	Pairs *p = arg;
	p->n = 0;
	for (size_t i = p->from; i < p->to; i++) {
		const RowHead *h = ROW(p->t, RowHead, i);
		uint64_t hash = hash_bytes(h->id, h->idlen) >> 32;
		if (hash * DEDUPE_PASSES >> 32 == p->pass)
			p->a[p->n++] = hash << 32 | i;
	}
	radix_sort_u64(p->a, p->n, 64, 32);	/* the rows of one hash together */
	return NULL;
}

/* Marks the rows whose key appears again later among those of pairs a[0..n) and, all later
 * rows, b[0..m) (both of one hash, sorted by key and row here). */
static bool mark_group(Table *t, uint64_t *a, size_t n, uint64_t *b, size_t m)
{
	bool any = false;
	if (n > 1)
		qsort_r(a, n, sizeof *a, same_key_cmp, t);
	if (m > 1)
		qsort_r(b, m, sizeof *b, same_key_cmp, t);
	for (size_t k = 0, j = 0; k < n + m; k++) {
		uint64_t *g = k < n ? a : b;
		size_t i = k < n ? k : k - n, len = k < n ? n : m;
		RowHead *x = ROW(t, RowHead, (uint32_t)g[i]);
		int c = 1;
		if (i + 1 < len)	/* again in the same list */
			c = key_cmp(x, ROW(t, RowHead, (uint32_t)g[i + 1]));
		for (; c && k < n && j < m && (c = key_cmp(x, ROW(t, RowHead, (uint32_t)b[j]))) > 0; j++)
			;	/* again in the later list */
		if (c == 0)
			x->flags |= F_QUARANTINED, any = true;
	}
	return any;
}

/* Marks the rows whose key appears again later among the pairs of one hash range: those of
 * p[0], and of p[1] (later rows) when there are two lists. */
static bool mark_repeated(Table *t, Pairs *p, size_t lists)
{
	bool any = false;
	uint64_t *a = p[0].a, *b = lists > 1 ? p[1].a : a + p[0].n;	/* one list: b is empty */
	size_t n = p[0].n, m = lists > 1 ? p[1].n : 0;
	for (size_t i = 0, j = 0, ie, je; i < n || j < m; i = ie, j = je) {
		uint64_t h = i < n && (j >= m || a[i] >> 32 <= b[j] >> 32) ? a[i] >> 32 : b[j] >> 32;
		for (ie = i; ie < n && a[ie] >> 32 == h; ie++)
			;
		for (je = j; je < m && b[je] >> 32 == h; je++)
			;
		if (ie - i + je - j > 1)
			any |= mark_group(t, a + i, ie - i, b + j, je - j);
	}
	return any;
}

/* Marks every row whose key appears again later; true if any. The (hash, row) pairs are sorted
 * one range of hashes at a time: only the pages of the array that one range fills are ever
 * touched. A table of two chunks' bytes (chunk_min) or more makes the pairs of its two halves
 * on two threads. */
static bool dedupe_by_hash(Source *src)
{
	Table *t = &src->table;
	uint64_t *a = big_alloc(t->n * sizeof *a);
	size_t lists = t->n * t->size >= 2 * src->cfg->chunk_min && config_threads(src->cfg) > 1 ? 2 : 1;
	size_t half = t->n / lists;
	Pairs p[2] = {{t, 0, half, 0, a, 0, 0}, {t, half, t->n, 0, a + half, 0, 0}};
	bool any = false;
	for (unsigned pass = 0; pass < DEDUPE_PASSES; pass++) {
		p[0].pass = p[1].pass = pass;
		bool running = lists > 1 && pthread_create(&p[1].thread, NULL, pairs_make, &p[1]) == 0;
		pairs_make(&p[0]);
		if (running)
			pthread_join(p[1].thread, NULL);
		else if (lists > 1)
			pairs_make(&p[1]);
		any |= mark_repeated(t, p, lists);
	}
	big_free(a, t->n * sizeof *a);
	return any;
}

/* Keys in order of length, then of bytes: ids numbered without leading zeros ascend in it too. */
static int key_order(const RowHead *x, const RowHead *y)
{
	if (x->idlen != y->idlen)
		return x->idlen < y->idlen ? -1 : 1;
	return bytes_order(x->id, y->id, x->idlen);
}

#define UNSORTED_MAX 16	/* a table with more than 1 row in this many out of key order goes by hash */

/* The rows out of key order (whose key is not above every key before it), in file order, into
 * *out (NULL when none); false, and nothing in *out, when more than one in UNSORTED_MAX are. */
static bool rows_out_of_order(const Table *t, uint32_t **out, size_t *nout)
{
	size_t n = 0, cap = 0, max = t->n / UNSORTED_MAX;
	uint32_t *o = NULL;
	const RowHead *top = ROW(t, RowHead, 0);
	for (size_t i = 1; i < t->n; i++) {
		const RowHead *h = ROW(t, RowHead, i);
		if (key_order(h, top) > 0) {
			top = h;
			continue;
		}
		if (n == max) {
			free(o);
			return false;
		}
		if (n == cap)
			o = xrealloc(o, (cap = cap ? cap * 2 : 256) * sizeof *o);
		o[n++] = (uint32_t)i;
	}
	*out = o, *nout = n;
	return true;
}

/* The first row from i on that is in key order (not among out[0..nout), ascending): two binary
 * searches, for i among them and for the end of the run of rows out of order from there (a
 * row far ahead of its place puts thousands after it out of order). */
static size_t in_order_from(size_t i, const uint32_t *out, size_t nout)
{
	size_t lo = 0, hi = nout;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (out[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == nout || out[lo] != i)
		return i;
	size_t run = 1, past = nout - lo;	/* out[lo + r] == i + r for every r < run, not at past */
	while (past - run > 0) {
		size_t r = run + (past - run) / 2;
		if (out[lo + r] == i + r)
			run = r + 1;
		else
			past = r;
	}
	return i + run;
}

/* The row in key order with x's key, or t->n: a binary search, as those rows' keys ascend. */
static size_t in_order_find(const Table *t, const RowHead *x, const uint32_t *out, size_t nout)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, m = in_order_from(mid, out, nout);
		int c = m < hi ? key_order(ROW(t, RowHead, m), x) : 1;
		if (c == 0)
			return m;
		if (c < 0)
			lo = m + 1;
		else
			hi = mid;	/* rows mid..m-1 are out of order */
	}
	return t->n;
}

/* Row numbers by key, then row. */
static int row_key_cmp(const void *a, const void *b, void *ctx)
{
	const Table *t = ctx;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	int c = key_order(ROW(t, RowHead, i), ROW(t, RowHead, j));
	return c ? c : i < j ? -1 : i > j;
}

/* Marks every row whose key appears again later, the rows out[0..nout) being the only ones out
 * of key order: a key repeats only where one of them has it, so only their keys are looked up
 * (among the rows in order, and among themselves); true if any. */
static bool dedupe_sorted(Table *t, const uint32_t *out, size_t nout)
{
	uint32_t *g = xmalloc(2 * nout * sizeof *g);
	size_t k = 0;
	bool any = false;
	for (size_t i = 0; i < nout; i++) {
		size_t m = in_order_find(t, ROW(t, RowHead, out[i]), out, nout);
		g[k++] = out[i];
		if (m < t->n)
			g[k++] = (uint32_t)m;
	}
	qsort_r(g, k, sizeof *g, row_key_cmp, t);
	for (size_t i = 0; i + 1 < k; i++) {	/* a row in order comes before those out of order with its key */
		RowHead *h = ROW(t, RowHead, g[i]);
		if (key_order(h, ROW(t, RowHead, g[i + 1])) == 0)
			h->flags |= F_QUARANTINED, any = true;
	}
	free(g);
	return any;
}

/* Marks every row whose key appears again later; true if any. Rows mostly in key order (as
 * exports usually are) have their few others looked up; any others by hash. */
static bool dedupe_mark(Source *src)
{
	Table *t = &src->table;
	if (t->n < 2)
		return false;
	uint32_t *out;
	size_t nout;
	bool any;
	if (rows_out_of_order(t, &out, &nout)) {
		any = nout && dedupe_sorted(t, out, nout);
		free(out);
	} else {
		any = dedupe_by_hash(src);
	}
	return any;
}

/* The rows marked from row `from` on, quarantined and reported in file order. */
static void dedupe_report(Source *src, size_t from)
{
	Table *t = &src->table;
	for (size_t i = from; i < t->n; i++) {
		RowHead *h = ROW(t, RowHead, i);
		if (!(h->flags & F_QUARANTINED))
			continue;
		quarantine(src, h->id - h->rawoff, h->rawlen, h->line, D_DUPLICATE_KEY);
		report_row(src, D_DUPLICATE_KEY, h, 0, str_make(h->id, h->idlen));
	}
}

/* Marks every row whose key appears again later; reports them in file order; true if any. */
static bool dedupe(Source *src)
{
	bool any = dedupe_mark(src);
	if (any)
		dedupe_report(src, 0);
	return any;
}

/* ---- sources */

void silver_source_setup(Silver *s, Source *src, SourceId id)
{
	memset(src, 0, sizeof *src);
	src->id = id;
	src->def = &source_defs[id];
	src->cfg = s->cfg;
	src->customers = source_is_fact(id) ? &s->src[SRC_CUSTOMERS] : NULL;
	src->table.size = src->def->row_size;
	src->diags.file = src->def->file;
	src->opt = config_read_options(s->cfg, src->def->name);
	src->date_form = clean_date_form(src->opt.date_format ? src->opt.date_format : "");
	src->zone = src->opt.time_zone ? tz_zone(src->opt.time_zone, strlen(src->opt.time_zone)) : NULL;
	char *const *alias = s->cfg->alias[id][0];
	src->key_name_min = SIZE_MAX;
	for (int a = -1; a < MAX_ALIASES && (a < 0 || alias[a]); a++) {
		const char *name = a < 0 ? src->def->cols[0] : alias[a];
		size_t n = strlen(name);
		src->key_name_min = n < src->key_name_min ? n : src->key_name_min;
		unsigned char low = (unsigned char)name[0], up = low >= 'a' && low <= 'z' ? low - 32 : low;
		src->key_name_first[low >> 6] |= 1ull << (low & 63);	/* a name is lower case: its first letter */
		src->key_name_first[up >> 6] |= 1ull << (up & 63);	/* either way */
	}
	for (int c = 0; c < src->def->ncols; c++) {
		src->nulls |= s->cfg->nulls[id][c][0] != NULL;
		clean_category_init(&src->dict[c], src->def->rule[c].category);
		ColKind kind = src->def->rule[c].kind;
		if (kind != COL_KEY && kind != COL_CUSTOMER && kind != COL_CURRENCY)
			src->value_col[src->nvalues++] = (uint8_t)c;
	}
}

/* The memory of raw values: only a cache while rows are read (a row read after this fills it
 * anew), and big when every value is new. */
static void forget_memos(Source *src)
{
	free(src->memo_fast);
	src->memo_fast = NULL;
	for (int c = 0; c < MAX_COLS; c++) {
		dict_free(&src->memo[c]);
		free(src->memo_val[c]);
		src->memo_val[c] = NULL;
	}
}

void silver_source_close(Source *src)
{
	forget_memos(src);
	for (int c = 0; c < MAX_COLS; c++)
		dict_seal(&src->dict[c]);
	if (dedupe(src))
		table_compact(&src->table);
	resolve_amounts(src);
	if (!source_is_fact(src->id))	/* facts look customers up by their final row number */
		silver_reindex(src);
}

void silver_merge(Source *dst, Source *from, uint32_t offset)
{
	const SourceDef *def = dst->def;
	uint32_t *map[MAX_COLS] = {0};
	forget_memos(dst);
	forget_memos(from);
	for (int c = 0; c < def->ncols; c++) {
		if (def->rule[c].kind != COL_CATEGORY)
			continue;
		map[c] = xmalloc((from->dict[c].n + 1) * sizeof *map[c]);
		dict_take(&dst->dict[c], &from->dict[c], map[c]);
	}
	Table *t = &dst->table;
	table_reserve(t, from->table.n);
	size_t bytes = from->table.n * t->size, step = 4u << 20;
	if (from->lent && from->table.rows != t->rows + t->n * t->size)	/* a few rows down */
		memmove(t->rows + t->n * t->size, from->table.rows, bytes);
	for (size_t done = 0; !from->lent && done < bytes; done += step) {	/* give back what is copied as it goes */
		size_t n = bytes - done < step ? bytes - done : step;
		memcpy(t->rows + t->n * t->size + done, from->table.rows + done, n);
		big_release(from->table.rows + done, n);
	}
	for (size_t i = t->n; i < t->n + from->table.n; i++) {
		RowHead *h = ROW(t, RowHead, i);
		h->line += offset;
		if (h->customer & ORPHAN && h->customer != NO_CUSTOMER)
			h->customer = ORPHAN | ((h->customer & ~ORPHAN) + (uint32_t)dst->norphans);
		for (int c = 0; c < def->ncols; c++)
			if (map[c]) {
				uint32_t *label = (uint32_t *)(void *)((char *)h + def->rule[c].at);
				*label = map[c][*label];
			}
	}
	t->n += from->table.n;
	for (size_t q = 0; q < from->nquarantine; q++) {
		const Quarantined *x = &from->quarantine[q];
		quarantine(dst, x->raw, x->rawlen, x->line + offset, x->reason);
		if (x->note)
			dst->quarantine[dst->nquarantine - 1].note = arena_strndup(&dst->arena, x->note, strlen(x->note));
	}
	for (size_t o = 0; o < from->norphans; o++)
		note_orphan(dst, from->orphans[o].id, from->orphans[o].idlen);
	dst->rows_read += from->rows_read;
	dst->unterminated |= from->unterminated;
	if (!dst->ambiguous && from->ambiguous) {	/* the first ambiguous date is the earlier chunk's */
		memcpy(dst->ambiguous_text, from->ambiguous_text, AMBIGUOUS_TEXT);
		dst->ambiguous_line = from->ambiguous_line + offset;
	}
	dst->ambiguous += from->ambiguous;
	dst->ambiguous_amounts += from->ambiguous_amounts;
	for (int e = 0; e < 3; e++)
		dst->decimal_evidence[e] += from->decimal_evidence[e];
	for (int e = 0; e < 3; e++)
		dst->evidence[e] += from->evidence[e];
	diag_merge(&dst->diags, &from->diags, offset);
	arena_adopt(&dst->arena, &from->arena);
	for (int c = 0; c < MAX_COLS; c++)
		free(map[c]);
}

bool silver_append(Source *src, Source *tail, uint32_t offset, const char *bytes, size_t len)
{
	size_t from = src->table.n;
	uint64_t ambiguous = src->ambiguous_amounts;
	char decimal = src->decimal;
	if (src->diags.tally[D_DECIMAL].count)	/* its counts would change */
		return false;
	silver_merge(src, tail, offset);
	for (int c = 0; c < MAX_COLS; c++)
		dict_seal(&src->dict[c]);
	Table *t = &src->table;
	if (dedupe_mark(src)) {	/* the prefix's keys are each once: a repeated key is the tail's */
		for (size_t i = 0; i < from; i++)
			if (ROW(t, RowHead, i)->flags & F_QUARANTINED)
				return false;
		dedupe_report(src, from);
		table_compact(t);
	}
	const uint64_t *e = src->decimal_evidence;
	char now = src->opt.decimal ? src->opt.decimal : e[DECIMAL_COMMA] > e[DECIMAL_POINT] ? ',' : '.';
	if (ambiguous && now != decimal)	/* the prefix's were read with another */
		return false;
	resolve_amounts(src);
	char *to = arena_alloc(&src->arena, silver_source_kept(src, bytes, len) + 1);
	silver_source_pack(src, bytes, len, to);
	return true;
}

/* ---- once a source is read: its file's bytes keep only what silver points into */

typedef struct {
	const char *from, *end;	/* the bytes packed */
	char *w;		/* where the next kept byte goes (in the bytes: never after what it copies) */
	const char *seg, *seg_end;	/* the range kept last, where it stood */
	char *seg_at;			/* and where it went */
} Packer;

static bool packs(const Packer *k, const char *p)
{
	return p >= k->from && p < k->end;
}

/* memmove(w, s, n) for w before s, without a call for a key's 4 to 16 bytes: every byte
 * loaded before any is stored, so an overlap is fine. */
static inline void move_back(char *w, const char *s, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t a = load8(s), b = load8(s + n - 8);
		memcpy(w, &a, 8), memcpy(w + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, b;
		memcpy(&a, s, 4), memcpy(&b, s + n - 4, 4);
		memcpy(w, &a, 4), memcpy(w + n - 4, &b, 4);
	} else {
		memmove(w, s, n);
	}
}

/* Moves the n bytes at *p to the front and points *p there. Ranges come in ascending order of
 * where they start, and may overlap (a customer id found inside a key). */
static void pack(Packer *k, const char **p, size_t n)
{
	const char *s = *p;
	if (!packs(k, s))
		return;
	if (s >= k->seg_end) {
		move_back(k->w, s, n);
		k->seg = s, k->seg_end = s + n, k->seg_at = k->w;
		k->w += n;
	} else if (s + n > k->seg_end) {
		size_t more = (size_t)(s + n - k->seg_end);
		memmove(k->w, k->seg_end, more);
		k->w += more, k->seg_end += more;
	}
	*p = k->seg_at + (s - k->seg);
}

/* Items holding a pointer into the bytes and its length (a uint32_t), stride bytes apart. */
typedef struct {
	char *item;
	size_t n, stride, ptr, len;	/* how many; the offsets of the pointer and the length in one */
	size_t i;		/* the next one */
} PackList;

static const char **pack_ptr(const PackList *l, size_t i)
{
	return (const char **)(void *)(l->item + i * l->stride + l->ptr);
}

/* Whether the list's pointers into the bytes come in the bytes' order. */
static bool in_order(const Packer *k, const PackList *l)
{
	const char *last = k->from;
	for (size_t i = 0; i < l->n; i++) {
		const char *p = *pack_ptr(l, i);
		if (packs(k, p) && p < last)
			return false;
		last = packs(k, p) ? p : last;
	}
	return true;
}

/* Where the list's next pointer into the bytes points, those outside skipped; NULL at its end. */
static const char *pack_next(const Packer *k, PackList *l)
{
	while (l->i < l->n && !packs(k, *pack_ptr(l, l->i)))
		l->i++;
	return l->i < l->n ? *pack_ptr(l, l->i) : NULL;
}

static int by_text(const void *a, const void *b)
{
	const char *x = ((const Quarantined *)a)->raw, *y = ((const Quarantined *)b)->raw;
	return x < y ? -1 : x > y;
}

/* The bytes kept whole: copied to to, the lists' pointers moved with them. */
static size_t pack_whole(const Packer *k, PackList l[3], char *to)
{
	size_t len = (size_t)(k->end - k->from);
	if (to == k->from)
		return len;
	memcpy(to, k->from, len);
	for (int j = 0; j < 3; j++)
		for (size_t i = 0; i < l[j].n; i++) {
			const char **p = pack_ptr(&l[j], i);
			if (packs(k, *p))
				*p = to + (*p - k->from);
		}
	return len;
}

/* What points into the bytes: the rows' keys, the orphans' customer ids, the quarantined text. */
static void pack_lists(Source *src, PackList l[3])
{
	l[0] = (PackList){src->table.rows, src->table.n, src->table.size, offsetof(RowHead, id), offsetof(RowHead, idlen), 0};
	l[1] = (PackList){(char *)src->orphans, src->norphans, sizeof *src->orphans, offsetof(struct Orphan, id),
			  offsetof(struct Orphan, idlen), 0};
	l[2] = (PackList){(char *)src->quarantine, src->nquarantine, sizeof *src->quarantine, offsetof(Quarantined, raw),
			  offsetof(Quarantined, rawlen), 0};
}

size_t silver_source_kept(Source *src, const char *bytes, size_t len)
{
	Packer k = {bytes, bytes + len, NULL, bytes, bytes, NULL};
	PackList l[3];
	pack_lists(src, l);
	memset(&src->pack_half, 0, sizeof src->pack_half);
	if (!in_order(&k, &l[1]))
		return len;
	/* the rows' keys in order (in_order's test) and their bytes counted in one pass; the
	 * first key packed from the middle row on starts the second half */
	const char *last = bytes, *split = NULL;
	size_t n = 0, half = 0, before = 0;
	for (size_t i = 0; i < l[0].n; i++) {
		const char *p = *pack_ptr(&l[0], i);
		if (!packs(&k, p))
			continue;
		if (p < last)
			return len;
		last = p;
		if (!split && i >= l[0].n / 2)
			split = p, half = i, before = n;
		n += *(const uint32_t *)(const void *)(l[0].item + i * l[0].stride + l[0].len);
	}
	for (int j = 1; j < 3; j++)
		for (size_t i = 0; i < l[j].n; i++) {
			const char *p = *pack_ptr(&l[j], i);
			if (!packs(&k, p))
				continue;
			size_t m = *(const uint32_t *)(const void *)(l[j].item + i * l[j].stride + l[j].len);
			n += m;
			before += split && p < split ? m : 0;
		}
	if (split && n < len)
		src->pack_half.bytes = bytes, src->pack_half.split = split, src->pack_half.row = half,
		src->pack_half.before = before;
	return n < len ? n : len;
}

#define PACK_RELEASE (64u << 20)	/* the bytes copied elsewhere go back 64 MB at a time */

/* Packs the list's next item, whose text is at at. released: where the bytes that went back
 * end (NULL: the bytes are packed in place, none go back). */
static inline void pack_item(Packer *k, PackList *l, const char *at, const char **released)
{
	char *item = l->item + l->i++ * l->stride;
	pack(k, (const char **)(void *)(item + l->ptr), *(uint32_t *)(void *)(item + l->len));
	if (released && at - *released >= PACK_RELEASE) {	/* nothing before at is copied again */
		big_release((void *)*released, (size_t)(at - *released));
		*released = at;
	}
}

/* One part of a pack: the lists' items from their next on up to their n, merged in the bytes'
 * order (a tie: the first list's), then its rows' bronze fields cleared. */
typedef struct {
	Packer k;
	PackList l[3];
	const char *released;
	bool release;
	Table *t;
} PackPart;

static void pack_part(PackPart *x)
{
	Packer *k = &x->k;
	PackList *l = x->l;
	const char **release = x->release ? &x->released : NULL;
	size_t first = l[0].i;
	for (;;) {
		const char *o = pack_next(k, &l[1]), *q = pack_next(k, &l[2]);
		const char *other = !o ? q : !q || o <= q ? o : q;	/* the next orphan's or quarantined text */
		for (const char *at; (at = pack_next(k, &l[0])) && (!other || at <= other);)	/* the rows' keys before it */
			pack_item(k, &l[0], at, release);
		if (!other)
			break;
		pack_item(k, &l[other == o ? 1 : 2], other, release);
	}
	for (size_t i = first; i < l[0].n; i++)
		ROW(x->t, RowHead, i)->rawoff = ROW(x->t, RowHead, i)->rawlen = 0;
}

static void *pack_part_thread(void *arg)
{
	pack_part(arg);
	return NULL;
}

/* The index of list l's first item that points into the bytes at or after split, or past
 * them (its items in the bytes' order). */
static size_t list_from(const Packer *k, const PackList *l, const char *split)
{
	size_t i = 0;
	while (i < l->n && (!packs(k, *pack_ptr(l, i)) || *pack_ptr(l, i) < split))
		i++;
	return i;
}

size_t silver_source_pack(Source *src, const char *bytes, size_t len, char *to)
{
	Packer k = {bytes, bytes + len, to, bytes, bytes, to};
	PackList l[3];
	pack_lists(src, l);
	if (src->nquarantine)	/* by where they are, to be packed in order */
		qsort(src->quarantine, src->nquarantine, sizeof *src->quarantine, by_text);
	bool known = src->pack_half.bytes == bytes;	/* silver_source_kept found both in order */
	bool whole = !known && (!in_order(&k, &l[0]) || !in_order(&k, &l[1]));	/* never so when read from a file */
	size_t kept = whole ? pack_whole(&k, l, to) : 0;
	/* Copied elsewhere (silver_source_kept's room), a file's worth of two chunks: the rows'
	 * first half and the items before its end on this thread, the rest on another into the
	 * room after the most the first half takes (a gap of what overlapping texts saved, never
	 * read: the cache is written from the rows, not these bytes); each gives back only bytes
	 * of its own half. */
	bool halves = !whole && to != bytes && known && config_threads(src->cfg) > 1 &&
		      len >= 2 * (src->cfg->chunk_min ? src->cfg->chunk_min : 1);
	PackPart a = {k, {l[0], l[1], l[2]}, bytes, to != bytes, &src->table}, b = a;
	if (halves) {	/* each item the one part's: the other never reads its pointer */
		const char *split = src->pack_half.split;
		b.k.w = b.k.seg_at = to + src->pack_half.before;
		b.l[0].i = a.l[0].n = src->pack_half.row;
		b.l[1].i = a.l[1].n = list_from(&k, &l[1], split);
		b.l[2].i = a.l[2].n = list_from(&k, &l[2], split);
		b.released = split;
	}
	memset(&src->pack_half, 0, sizeof src->pack_half);
	pthread_t t;
	bool beside = halves && pthread_create(&t, NULL, pack_part_thread, &b) == 0;
	if (!whole)
		pack_part(&a);
	if (beside)
		pthread_join(t, NULL);
	else if (halves)
		pack_part(&b);
	if (src->nquarantine)	/* by line again: the cache the same whatever the text's addresses */
		qsort(src->quarantine, src->nquarantine, sizeof *src->quarantine, quarantine_cmp);
	return whole ? kept : (size_t)((halves ? b.k.w : a.k.w) - to);
}

void silver_source_free(Source *src)
{
	diag_free(&src->diags);
	arena_free(&src->arena);
	if (src->lazy)
		silver_lazy_free(src);
	else if (!src->lent)
		big_free(src->table.rows, src->table.cap * src->table.size);
	src->table.rows = NULL;
	index_free(&src->keys);
	free(src->quarantine);
	free(src->orphans);
	for (int c = 0; c < MAX_COLS; c++) {
		dict_free(&src->dict[c]);
		dict_free(&src->memo[c]);
		free(src->memo_val[c]);
	}
	free(src->memo_fast);
	buf_free(&src->scratch);
}

/* ---- after every source is read */

/* Row r's head: the table's, or for a lazy source a copy read from its file into *copy (what
 * is written to it is not kept: silver_lazy_ordered and silver_lazy_orphan record that). */
static inline RowHead *row_head(const Source *src, size_t r, RowHead *copy)
{
	if (!src->lazy)
		return ROW(&src->table, RowHead, r);
	silver_lazy_head(src, r, copy);
	return copy;
}

/* The order of a date_format's day and month ("%b %d, %Y": month-first). */
static DateOrder format_order(const char *format)
{
	for (const char *f = format; *f; f++) {
		char c = *f == '%' ? *++f : 0;
		if (c == 'd' || c == 'e' || (c && strchr("mbBh", c)))
			return c == 'd' || c == 'e' ? ORDER_DAY_FIRST : ORDER_MONTH_FIRST;
		if (!*f)
			break;
	}
	return ORDER_MONTH_FIRST;
}

static void decide_date_order(Silver *s)
{
	uint64_t dd = 0, dm = 0;
	for (int i = 0; i < SRC_COUNT; i++)
		dd += s->src[i].evidence[EVIDENCE_DAY_FIRST], dm += s->src[i].evidence[EVIDENCE_MONTH_FIRST];
	s->dataset_evidence[EVIDENCE_DAY_FIRST] = dd;
	s->dataset_evidence[EVIDENCE_MONTH_FIRST] = dm;
	for (int i = 0; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		uint64_t d = src->evidence[EVIDENCE_DAY_FIRST], m = src->evidence[EVIDENCE_MONTH_FIRST];
		if (src->opt.date_format) {
			src->order = format_order(src->opt.date_format);
			src->basis = BASIS_FORMAT;
		} else if (d != m) {
			src->order = d > m ? ORDER_DAY_FIRST : ORDER_MONTH_FIRST;
			src->basis = BASIS_COLUMN;
		} else if (dd != dm) {
			src->order = dd > dm ? ORDER_DAY_FIRST : ORDER_MONTH_FIRST;
			src->basis = BASIS_DATASET;
		} else {
			src->order = s->cfg->date_order;
			src->basis = BASIS_CONFIG;
		}
		if (src->lazy)
			silver_lazy_ordered(src);	/* its rows made later by the order */
		for (size_t r = 0; src->ambiguous && !src->lazy && r < src->table.n; r++) {
			RowHead *h = ROW(&src->table, RowHead, r);
			if (is_ambiguous(h->when))
				h->when = resolve_ambiguous(h->when, src->order, src->def->timestamp, src->zone);
		}
	}
}

/* Orphan k of fact source src (its row at line): the customer of its id, inferred (added to
 * the customers) if there is none yet. */
static uint32_t infer_orphan(Source *cu, Source *src, size_t k, uint32_t line)
{
	Str id = str_make(src->orphans[k].id, src->orphans[k].idlen);
	uint32_t c = index_find(&cu->keys, id, row_key, &cu->table);
	if (c == INDEX_NONE) {
		Customer *nc = table_push(&cu->table);
		c = (uint32_t)(cu->table.n - 1);
		nc->h.id = id.p;
		nc->h.idlen = (uint32_t)id.n;
		nc->h.when = MOMENT_NULL;
		nc->gender = GENDER_UNKNOWN;
		index_set(&cu->keys, id, c, row_key, &cu->table);
	}
	report(src, D_ORPHAN_CUSTOMER, line, src->def->customer_col, id);
	return c;
}

/* Facts whose customer is not in the CRM get an inferred customer, in source and file order
 * (a lazy source's orphans' rows are known, with their lines and orphans: no row is read; each
 * row then made has its orphan's customer). */
static void infer_customers(Silver *s)
{
	Source *cu = &s->src[SRC_CUSTOMERS];
	for (int i = 0; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		if (!source_is_fact(src->id))
			continue;
		const LazyFinish *lf = silver_lazy_finish(src);
		for (size_t k = 0; lf && k < lf->norphan_rows; k++) {
			const LazyOrphanRow *o = &lf->orphan_rows[k];
			silver_lazy_orphan(src, o->orphan, infer_orphan(cu, src, o->orphan, o->line));
		}
		for (size_t r = 0; !lf && r < src->table.n; r++) {
			RowHead *h = ROW(&src->table, RowHead, r);
			if (h->customer & ORPHAN) {
				src->diags.at = ROW_FILE(h);	/* its message named by its row's file */
				h->customer = infer_orphan(cu, src, h->customer & ~ORPHAN, h->line);
				src->diags.at = 0;
				h->flags |= FLAG(D_ORPHAN_CUSTOMER);
			}
		}
		if (src->lazy)
			silver_lazy_inferred(src);
		free(src->orphans);
		src->orphans = NULL;
	}
}

/* An id as near_ids compares it: ASCII letters lower-cased, leading zeros dropped (one kept), into
 * buf (of size bytes); NULL for an id longer (no one's id is compared so). */
static const Str *id_folded(const char *id, size_t n, char *buf, size_t size, Str *out)
{
	if (n > size)
		return NULL;
	size_t i = 0, k = 0;
	while (i + 1 < n && id[i] == '0')
		i++;
	for (; i < n; i++)
		buf[k++] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' : id[i]);
	*out = str_make(buf, k);
	return out;
}

/* Customers known only from the facts whose id a CRM customer's is but for case or leading zeros
 * (the orders' c001 of the CRM's C001, an export's 123 of 00123 that Excel saved): each is a
 * customer of its own, as the SPEC matches ids as written (each fact's row an orphan_customer, a
 * --verbose note); a warning at every build names the first ones and their CRM ids. The inferred
 * ones (few) are indexed, the CRM's looked up: one pass, no index of every customer. */
static void near_ids(Silver *s)
{
	Source *cu = &s->src[SRC_CUSTOMERS];
	const Table *t = CUSTOMERS(s);
	Dict inferred = {0};
	uint32_t *which = NULL, *count = NULL;	/* inferred label k: its first customer's row, and how many */
	char buf[256];
	Str id;
	for (size_t r = 0; r < t->n; r++) {
		const Customer *c = ROW(t, Customer, r);
		if (c->in_crm || !id_folded(c->h.id, c->h.idlen, buf, sizeof buf, &id))
			continue;
		uint32_t before = inferred.n, k = dict_intern(&inferred, id);
		if (inferred.n > before) {
			which = xgrow(which, k, sizeof *which), count = xgrow(count, k, sizeof *count);
			which[k] = (uint32_t)r, count[k] = 0;
		}
		count[k]++;	/* 123 and 0123 of the CRM's 00123: two customers */
	}
	Buf b = {0};
	size_t n = 0, named = 0;	/* customers, and the ids named (one of each CRM id's) */
	for (size_t r = 0; inferred.n && r < t->n; r++) {
		const Customer *c = ROW(t, Customer, r);
		uint32_t k = c->in_crm && id_folded(c->h.id, c->h.idlen, buf, sizeof buf, &id) ? dict_find(&inferred, id)
											      : INDEX_NONE;
		if (k == INDEX_NONE || which[k] == UINT32_MAX)
			continue;
		const Customer *o = ROW(t, Customer, which[k]);
		which[k] = UINT32_MAX;	/* counted once */
		n += count[k];
		if (named++ < 3) {
			buf_puts(&b, named > 1 ? ", " : "");
			buf_put_quoted(&b, o->h.id, o->h.idlen);
			buf_puts(&b, " (the CRM's ");
			buf_put_quoted(&b, c->h.id, c->h.idlen);
			buf_putc(&b, ')');
		}
	}
	if (n) {
		Buf text = {0};
		buf_printf(&text, "%zu customer%s known only from the facts %s an id a CRM customer's is but for case or "
			       "leading zeros: %s%s; ids are matched as written, so each is a customer of its own: write them "
			       "as the CRM does (in SQL, a SELECT can make them so)", n, n == 1 ? "" : "s", n == 1 ? "has" : "have",
			   buf_cstr(&b), n > named || named > 3 ? ", ..." : "");
		diag(&cu->diags, D_NEAR_IDS, 0, 0, buf_cstr(&text), NULL, 0);
		buf_free(&text);
	}
	buf_free(&b);
	free(which), free(count);
	dict_free(&inferred);
}

static void find_as_of(Silver *s)
{
	s->as_of = s->cfg->as_of;
	if (s->as_of != MOMENT_NULL)
		return;
	s->latest = quality_latest_event(s);	/* the latest moment: its day is the latest day */
	s->as_of = s->latest.when == MOMENT_NULL ? MOMENT_NULL : date_floor_day(s->latest.when);
	if (s->as_of == MOMENT_NULL)
		diag(&s->general, D_NO_AS_OF, 0, 0,
		     "no fact has a date to take the as-of date from; pass --as-of YYYY-MM-DD", NULL, 0);
}

/* w, a date of birth whose year was written in two digits, a hundred years earlier if it is after
 * the as-of date (after: its first moment after), or later if that is not: the latest such year not
 * after it (as of 2090, 05/03/72 is 2072's), where that is a date from first on; w else. */
static int64_t latest_century(int64_t w, int64_t after, int64_t first)
{
	int64_t day = date_floor_day(w);
	int y, m, d;
	date_civil(day, &y, &m, &d);
	int to = w >= after ? y - 100 : y + 100;
	if (!date_valid(to, m, d))
		return w;
	int64_t moved = (date_days(to, m, d) - day) * SECS_PER_DAY + w;
	return moved < after && moved >= first ? moved : w;
}

/* A row's date against the as-of date: a date of birth after it or over 120 years before it
 * (oldest) is null, a fact after it said; v is scratch. As moments: after is the first moment
 * after the as-of date, first the first of the oldest day. A date of birth whose year was written
 * in two digits (%y: 00-68 read as 2000-2068) is of the latest such year not after the as-of date
 * (a birthday written 03/15/55 is 1955's, not 2055's: no one is born after the report). */
static void check_date(Source *src, RowHead *h, int64_t after, int64_t first, bool birth, Buf *v)
{
	int64_t w = h->when;
	if (w != MOMENT_NULL && birth && h->flags & F_TWO_DIGIT_YEAR)
		w = h->when = latest_century(w, after, first);
	if (w == MOMENT_NULL || (w < after && (!birth || w >= first)))
		return;
	int64_t day = date_floor_day(w);
	v->len = 0;
	buf_date(v, day);
	if (birth) {
		h->when = MOMENT_NULL;
		h->flags |= FLAG(D_IMPLAUSIBLE_DOB);
		report_row(src, D_IMPLAUSIBLE_DOB, h, src->def->date_col, str_make(v->p, v->len));
	} else {
		src->after_as_of++;
		report_row(src, D_AFTER_AS_OF, h, src->def->date_col, str_make(v->p, v->len));
	}
}

/* A row of src whole, for flag_examples_make: the table's, or a lazy source's made into buf
 * (no page of its table made). */
static const RowHead *example_row(void *ctx, uint32_t r, char *buf)
{
	const Source *src = ctx;
	return src->lazy ? silver_lazy_row(src, r, buf) : ROW(&src->table, RowHead, r);
}

/* Checks each row's date against the as-of date, then counts the silver rows with each flag
 * (in one pass); the messages then count rows too, as the tables do (a row with two unknown
 * categories is one row flagged unknown_category). A lazy source with no date after the as-of
 * date has its counts from loading: no row is read. In the same pass, each flag's first rows by
 * line (then key) among those gold holds (not a fact dated after the as-of date): their
 * examples (src->examples), a lazy source's from loading too, its rows made for them alone. */
static void check_rows(Source *src, int64_t as_of, int64_t oldest, const Table *customers, Buf *v)
{
	int64_t after = (as_of + 1) * SECS_PER_DAY, first = oldest * SECS_PER_DAY;
	bool birth = !source_is_fact(src->id);
	const LazyFinish *lf = silver_lazy_finish(src);
	bool counted = lf && !birth && lf->last[src->order] < after;
	FlagPicks picks = {0};
	if (counted) {
		src->flagged_rows += lf->flagged_rows;
		for (int k = 0; k < D_NFLAGS; k++)
			src->flag_count[k] += lf->flag_count[k];
		picks = lf->picks;
	}
	for (size_t r = 0, n = counted ? 0 : src->table.n; r < n; r++) {
		RowHead head, *h = row_head(src, r, &head);	/* a lazy one a fact's: check_date changes none */
		check_date(src, h, after, first, birth, v);
		uint32_t f = h->flags & F_ROW_FLAGS;
		src->flagged_rows += f != 0;
		for (uint32_t b = f; b; b &= b - 1)
			src->flag_count[__builtin_ctz(b)]++;
		uint32_t want = f ? flag_picks_wanted(&picks, f, h->line) : 0;
		if (want && (birth || h->when == MOMENT_NULL || h->when < after)) {
			Str key = src->lazy ? silver_lazy_id(src, r) : str_make(h->id, h->idlen);
			flag_picks_add(&picks, want, (uint32_t)r, h->line, key.p, (uint32_t)key.n);
		}
	}
	flag_examples_make(&src->examples, &picks, &src->arena, src->cfg, src->id, src->dict, customers, example_row, src);
	for (int k = 0; k < D_NFLAGS; k++)
		diag_set_count(&src->diags, (DiagCode)(D_FIRST_FLAG + k), src->flag_count[k]);
	for (int k = 0; k < D_NREASONS; k++)
		diag_set_count(&src->diags, (DiagCode)(D_FIRST_REASON + k), src->reason_count[k]);
}

static bool word_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* Whether the word w (n bytes) starts with one of the list (is one of it, whole), any case. */
static bool word_in(const char *w, size_t n, const char *const *list, bool whole)
{
	for (; *list; list++) {
		size_t k = strlen(*list);
		if ((whole ? n == k : n >= k) && strncasecmp(w, *list, k) == 0)
			return true;
	}
	return false;
}

/* Whether an order status c360 does not know reads as one that is no sale (Magento's "Closed"
 * is refunded, "Suspected Fraud" held), a payment status as a success ("Settled"), or a ticket
 * status as done ("Closed - resolved", "Completed"): a word of it starts with one of the stems,
 * and for a payment none says no ("Not Paid", "Awaiting Approval", "Authorization Failed"), for
 * a ticket none says not yet ("Pending closure") nor no to a done word ("Not resolved": "Closed -
 * No Response" is done); "Unpaid", "Incomplete", "Household" and "Unresolved" have no such word. */
static bool status_suspect(CatKind kind, const char *label)
{
	static const char *const not_sold[] = {"cancel", "closed", "fraud", "refund", "return", "void", "reject",
					       "declin", "fail", "error", "hold", "review", "expire", "abandon",
					       "chargeback", "dispute", "revers", "denied", "lost", NULL};
	static const char *const paid[] = {"paid", "complet", "settl", "captur", "approv", "success", "clear",
					   "accept", "done", NULL};	/* not "authorized": held, not taken */
	static const char *const done[] = {"close", "resolv", "solved", "complet", "finish", "archiv", "done",
					   "fixed", NULL};
	static const char *const no[] = {"not", "no", "non", "never", NULL};
	static const char *const no_stems[] = {"fail", "declin", "await", "pending", "reject", "denied", "error",
					       "cancel", "void", "revers", NULL};
	static const char *const not_yet[] = {"await", "wait", "pending", "reopen", "unresolv", NULL};
	const char *const *stems = kind == CAT_ORDER_STATUS ? not_sold : kind == CAT_PAY_STATUS ? paid : done;
	const char *const *nay = kind == CAT_ORDER_STATUS ? NULL : kind == CAT_PAY_STATUS ? no_stems : not_yet;
	bool stem = false, negated = false, after_no = false, ticket = kind == CAT_TICKET_STATUS;
	for (const char *w = label; *w;) {
		size_t n = 0;
		while (word_byte(w[n]))
			n++;
		bool is_stem = n && word_in(w, n, stems, false), is_no = n && word_in(w, n, no, true);
		stem |= is_stem;
		/* a ticket's no is a done word's ("Not resolved"), not any word's ("Closed - No Response") */
		negated |= n && nay && ((ticket ? after_no && is_stem : is_no) || word_in(w, n, nay, false));
		after_no = is_no;
		w += n;
		while (*w && !word_byte(*w))
			w++;
	}
	return stem && !negated;
}

/* Whether the label k, past the built-in ones, of a category column is one c360 does not know:
 * no label of the configuration's [categories] words. */
static bool label_unknown(const Source *src, CatKind kind, const Dict *d, uint32_t k)
{
	for (size_t w = 0; w < src->cfg->nwords[kind]; w++)
		if (strcmp(src->cfg->words[kind][w].label, dict_label(d, k)) == 0)
			return false;
	return true;
}

/* The nth (from 1) of the labels a warning names: quoted, cut short (a value may be kilobytes). */
static void name_label(Buf *b, size_t nth, const Dict *d, uint32_t k)
{
	Str label = dict_str(d, k);
	buf_puts(b, nth > 1 ? ", " : "");
	buf_put_quoted(b, label.p, label.n);
}

/* A status column most of whose rows' values c360 does not know (an export in another language:
 * Geliefert, Storniert; offen, geschlossen): each counts as what it is not known to be, a valid
 * order, no successful payment, an open ticket, which the KPIs would not show. Said at every
 * build, with the values and the labels [categories] maps them to; beside
 * unknown_statuses' warning, which names those whose words say what they would not count as. */
static void mostly_unknown(Source *src, int c, CatKind kind, Buf *b)
{
	const Dict *d = &src->dict[c];
	uint32_t builtin = clean_category_builtin(kind);
	if (d->n <= builtin)
		return;
	bool *unknown_label = xcalloc(d->n, sizeof *unknown_label);	/* each label once, not each row's */
	for (uint32_t k = builtin; k < d->n; k++)
		unknown_label[k] = label_unknown(src, kind, d, k);
	uint64_t unknown = 0;
	for (size_t i = 0; i < src->table.n; i++)
		unknown += unknown_label[*(const uint32_t *)fact_field(ROW(&src->table, RowHead, i), src->id, c)];
	b->len = 0;
	size_t n = 0;
	for (uint32_t k = builtin; k < d->n; k++)
		if (unknown_label[k] && n++ < 5)
			name_label(b, n, d, k);
	free(unknown_label);
	if (!unknown || 2 * unknown < src->table.n)
		return;
	Buf text = {0};
	const char *rows = kind == CAT_ORDER_STATUS ? "orders" : kind == CAT_PAY_STATUS ? "payments" : "tickets";
	const char *as = kind == CAT_ORDER_STATUS ? "valid orders" : kind == CAT_PAY_STATUS ? "no successful payment"
											      : "open tickets";
	const char *map = kind == CAT_ORDER_STATUS ? "order_status" : kind == CAT_PAY_STATUS ? "payment_status"
											       : "ticket_status";
	buf_printf(&text, "%llu of the %zu %s' %s are values c360 does not know (%s%s): they count as %s; map them in "
		   "[categories] (%s.LABEL = VALUE, LABEL one of ", (unsigned long long)unknown, src->table.n, rows,
		   src->def->cols[c], buf_cstr(b), n > 5 ? ", ..." : "", as, map);
	for (uint32_t k = 0, first = 1; k < clean_category_builtin(kind); k++)
		if (strcmp(dict_label(d, k), "Unknown") != 0)
			buf_printf(&text, "%s%s", first ? "" : ", ", dict_label(d, k)), first = 0;
	buf_puts(&text, ")");
	diag(&src->diags, D_UNKNOWN_STATUSES, 0, 0, buf_cstr(&text), NULL, 0);
	buf_free(&text);
}

/* An order or payment status c360 does not know is kept as written and counts as what it is
 * not: a valid order (one not cancelled, failed or returned), a payment that is no success.
 * Where its name says otherwise, a warning at every build names it; the rows' unknown_category
 * notes are --verbose's alone. So is a ticket status that counts as open where its name says the
 * ticket is done. A status column, a ticket's too, most of whose values are unknown
 * is a warning of its own (mostly_unknown). */
static void unknown_statuses(Source *src)
{
	Buf b = {0}, text = {0};
	for (int c = 0; c < src->def->ncols; c++) {
		CatKind kind = src->def->rule[c].kind == COL_CATEGORY ? src->def->rule[c].category : CAT_NONE;
		if (kind != CAT_ORDER_STATUS && kind != CAT_PAY_STATUS && kind != CAT_TICKET_STATUS)
			continue;
		mostly_unknown(src, c, kind, &b);
		const Dict *d = &src->dict[c];
		const CatWord *words = src->cfg->words[kind];
		b.len = 0;
		size_t n = 0;
		uint32_t first = UINT32_MAX;	/* the first label named: the warning is at its first row */
		for (uint32_t k = clean_category_builtin(kind); k < d->n; k++) {
			bool configured = false;
			for (size_t w = 0; w < src->cfg->nwords[kind] && !configured; w++)
				configured = strcmp(words[w].label, dict_label(d, k)) == 0;
			if (configured || !status_suspect(kind, dict_label(d, k)))
				continue;
			if (n++ < 5)
				name_label(&b, n, d, k);
			first = first == UINT32_MAX ? k : first;
		}
		if (!n)
			continue;
		uint32_t line = 0;
		for (size_t i = 0; i < src->table.n && !line; i++) {
			const RowHead *h = ROW(&src->table, RowHead, i);
			line = *(const uint32_t *)fact_field(h, src->id, c) == first ? h->line : 0;
			src->diags.at = line ? ROW_FILE(h) : 0;	/* the line its row's file's */
		}
		text.len = 0;
		bool one = n == 1;
		static const char *const as[][3] = {{"a valid order", "valid orders", "order_status"},
						    {"no successful payment", "no successful payments", "payment_status"},
						    {"an open ticket", "open tickets", "ticket_status"}};	/* and the map */
		int which = kind == CAT_ORDER_STATUS ? 0 : kind == CAT_PAY_STATUS ? 1 : 2;
		buf_printf(&text, "%s value%s c360 does not know count%s as %s though %s name%s otherwise: %s%s; map %s in "
			   "[categories] (%s.LABEL = VALUE)", src->def->cols[c], one ? "" : "s", one ? "s" : "",
			   as[which][!one], one ? "its" : "their", one ? " says" : "s say", buf_cstr(&b), n > 5 ? ", ..." : "",
			   one ? "it" : "them", as[which][2]);
		diag(&src->diags, D_UNKNOWN_STATUS, line, line ? file_column(src, c) : 0, buf_cstr(&text), NULL, 0);
		src->diags.at = 0;
	}
	buf_free(&b), buf_free(&text);
}

/* A device column most of whose values are no system c360 knows (an analytics export's device
 * category: Desktop, Smartphone, Tablet): its sessions count as Other, neither mobile nor web,
 * which the device KPIs would not show; said at every build, naming [categories]. */
static void unknown_devices(Source *src)
{
	int c = src->id == SRC_SESSIONS ? SE_DEVICE : -1;
	uint64_t unknown = src->diags.tally[D_UNKNOWN_CATEGORY].count;	/* the device is the only column that counts */
	if (c < 0 || !unknown || 2 * unknown < src->table.n)
		return;
	const Dict *d = &src->dict[c];
	Buf b = {0};
	size_t n = 0;
	for (uint32_t k = clean_category_builtin(CAT_DEVICE); k < d->n; k++)
		if (n++ < 5)
			name_label(&b, n, d, k);
	Buf text = {0};
	buf_printf(&text, "%llu of the %zu sessions' %s are no system c360 knows (%s%s): they count as Other, neither "
		   "mobile nor web; map them in [categories] (device.LABEL = VALUE, LABEL one of Android, iOS, "
		   "Windows, macOS, Linux, ChromeOS)", (unsigned long long)unknown, src->table.n, src->def->cols[c],
		   buf_cstr(&b), n > 5 ? ", ..." : "");
	diag(&src->diags, D_UNKNOWN_DEVICES, 0, 0, buf_cstr(&text), NULL, 0);
	buf_free(&b), buf_free(&text);
}

/* Whether a number (its digits before any '.') has those of a date of format's digits-only forms:
 * excel's days since 1900 five (1927-2099), %s's seconds nine or more (1973 on, or before 1967),
 * %Y%m%d eight: any number reads as excel or %s, a year of birth (1950) as 1905-05-04 by excel,
 * 1 as 1970-01-01 by %s, and 2024115 by %Y%m%d as November 5. True for the other forms. */
static bool number_fits(const char *format, const char *text, size_t len)
{
	size_t digits = 0;
	for (size_t i = 0; i < len && text[i] != '.'; i++)
		digits += text[i] >= '0' && text[i] <= '9';
	return strcmp(format, "excel") == 0 ? digits == 5 : strcmp(format, "%s") == 0 ? digits >= 9
	       : strcmp(format, "%Y%m%d") == 0 ? digits == 8 : true;
}

static bool reads_all(const char *format, const char *const *text, const size_t *len, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!number_fits(format, text[i], len[i]) ||
		    clean_date_format(str_make(text[i], len[i]), format).status != DATE_OK)
			return false;
	return true;
}

/* The value a message of code quotes (as shown: made printable, maybe cut), from its first quote
 * to the words its template has after the placeholder ph ("{v}", "{c}"): the message's end, not
 * the first such words, which a value may hold after a quote of its own; false if text is none. */
static bool message_quote(const char *text, DiagCode code, const char *ph, Str *out)
{
	const char *tail = strstr(diag_info[code].msg, ph) + 3, *open = strchr(text, '"');
	size_t n_text = strlen(text), n_tail = strlen(tail);
	if (!open || n_text < n_tail || strcmp(text + n_text - n_tail, tail) != 0 || text + n_text - n_tail <= open)
		return false;
	*out = str_make(open + 1, (size_t)(text + n_text - n_tail - open - 1));
	return true;
}

/* Into quoted and len (DIAG_SAMPLES of each), the values the invalid_date messages of t quote;
 * returns how many. */
static size_t quoted_dates(const DiagTally *t, const char **quoted, size_t *len)
{
	size_t n = 0;
	Str v;
	for (unsigned i = 0; i < t->nsamples && n < DIAG_SAMPLES; i++)
		if (message_quote(t->sample[i].text, D_INVALID_DATE, "{v}", &v))
			quoted[n] = v.p, len[n++] = v.n;
	return n;
}

/* Into b, after a "; ", the date_format of those exports write (the first of the list; with
 * four_digit, not one of a two-digit year, %y, which the SPEC leaves unread on purpose) that reads
 * every value the invalid_date messages of t quote (a value cut short or made printable reads as
 * none), with the other order of day and month where it reads them too; nothing if none does. */
static void format_guess(Buf *b, const DiagTally *t, const char *source, bool four_digit)
{
	enum { PAIRS = 14 };	/* the first ones in pairs, the usual order first (a US slash's, a German dot's) */
	static const char *const forms[] = {
		"%m/%d/%y", "%d/%m/%y", "%m/%d/%y %H:%M", "%d/%m/%y %H:%M", "%m/%d/%Y %I:%M %p", "%d/%m/%Y %I:%M %p",
		"%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %I:%M:%S %p", "%m/%d/%y %I:%M %p", "%d/%m/%y %I:%M %p",
		"%m-%d-%y", "%d-%m-%y", "%d.%m.%y", "%m.%d.%y", "%b %d, %Y", "%d %b %Y", "%b %d, %Y %I:%M %p",
		"%d %b %Y %H:%M", "%b %d, %Y %I:%M:%S %p", "%d %b %Y %H:%M:%S", "%b %d %Y", "%d-%b-%Y",
		"%b %d, %y", "%d-%b-%y", "%b-%d-%y", "%b-%d-%y %H:%M:%S", "%a, %d %b %Y %H:%M:%S %z",
		"%a %b %d %H:%M:%S %z %Y", "%Y%m%d", "excel", "%s",
	};
	const char *quoted[DIAG_SAMPLES];
	size_t len[DIAG_SAMPLES], n = quoted_dates(t, quoted, len);
	size_t k = 0, nforms = sizeof forms / sizeof *forms;
	while (n && k < nforms && ((four_digit && strstr(forms[k], "%y")) || !reads_all(forms[k], quoted, len, n)))
		k++;
	if (!n || k == nforms)
		return;
	buf_printf(b, "; \"%.*s\" reads with [read] %s.date_format = %s", (int)len[0], quoted[0], source, forms[k]);
	if (k < PAIRS && k % 2 == 0 && reads_all(forms[k + 1], quoted, len, n))	/* the other order reads them too */
		buf_printf(b, " (or %s if the %s comes first)", forms[k + 1],
			   format_order(forms[k + 1]) == ORDER_DAY_FIRST ? "day" : "month");
}

/* Into b, after a "; ", that the first value the invalid_date messages of t quote ends in a time
 * zone's abbreviation (PST, CEST: two to five capitals after a blank, not AM or PM), which a
 * date_format's %z does not read; nothing if format has no %z or no such value is quoted. */
static void zone_abbreviation(Buf *b, const DiagTally *t, const char *format)
{
	if (!strstr(format, "%z"))
		return;
	const char *quoted[DIAG_SAMPLES];
	size_t len[DIAG_SAMPLES], n = quoted_dates(t, quoted, len);
	for (size_t i = 0; i < n; i++) {
		size_t w = 0;
		while (w < len[i] && w < 6 && quoted[i][len[i] - 1 - w] >= 'A' && quoted[i][len[i] - 1 - w] <= 'Z')
			w++;
		const char *word = quoted[i] + len[i] - w;
		if (w < 2 || w > 5 || w == len[i] || word[-1] != ' ' ||	/* UTC and GMT %z reads; AM and PM are %p's */
		    (w == 3 && (strncmp(word, "UTC", 3) == 0 || strncmp(word, "GMT", 3) == 0)) ||
		    (w == 2 && (strncmp(word, "AM", 2) == 0 || strncmp(word, "PM", 2) == 0)))
			continue;
		buf_printf(b, "; \"%.*s\" ends in %.*s, a time zone's abbreviation, which %%z does not read (it reads an "
			      "offset or an IANA zone's name: an abbreviation's offset would be a guess, CST is three zones'): "
			      "write the offset it means in [sql] (examples/amazon makes PST -0800)",
			   (int)len[i], quoted[i], (int)w, word);
		return;
	}
}

/* A date column of which no value of its rows (the CRM's, of the customers) could be read (each
 * an invalid_date, a --verbose note): its dates are written another way, which [read]
 * date_format can name (or, where one is set, does not name); said at every build. So is a
 * column of which some values could not be read, where no date_format is set and one of those
 * exports write reads the values its messages quote (a US shop's 03/04/2024 2:30 PM among ISO
 * dates), not one of a two-digit year (the SPEC's invalid_date), and the values read would still
 * read with it (the format's fallback reads no A/B/YYYY date: none of them is read now). */
static void no_dates(Source *src, size_t rows)
{
	uint64_t bad = src->diags.tally[D_INVALID_DATE].count;
	if (!bad || src->def->date_col < 0)
		return;
	Buf b = {0};
	const char *format = src->opt.date_format;
	if (bad < rows) {	/* some read: said only where a format reads those not read and the others would read */
		/* as they do (with a format, a day and month of no order known is not read: it would then be) */
		bool kept = !src->evidence[EVIDENCE_DAY_FIRST] && !src->evidence[EVIDENCE_MONTH_FIRST] && !src->ambiguous;
		if (!format && kept) {
			buf_printf(&b, "%llu %s value%s of the file could not be read as a date (invalid_date, each left "
				       "empty; --verbose shows some)", (unsigned long long)bad,
				   src->def->cols[src->def->date_col], bad == 1 ? "" : "s");
			size_t said = b.len;
			format_guess(&b, &src->diags.tally[D_INVALID_DATE], src->def->name, true);
			if (b.len > said) {
				buf_puts(&b, ", and the dates read now read as well");
				diag(&src->diags, D_NO_DATES, 0, 0, buf_cstr(&b), NULL, 0);
			}
		}
		buf_free(&b);
		return;
	}
	buf_printf(&b, "no %s of the file could be read as a date (%llu invalid_date; --verbose shows some): ",
		   src->def->cols[src->def->date_col], (unsigned long long)bad);
	if (format)	/* the format set is not the file's: its whole value, a time too */
		buf_printf(&b, "[read] %s.date_format = %s reads none of them (a format reads a value whole: a time "
			       "the values have, it names too)", src->def->name, format);
	else
		buf_printf(&b, "the forms read are rules.md's, or [read] %s.date_format names the file's (strptime's, "
			       "%%s or excel)", src->def->name);
	format_guess(&b, &src->diags.tally[D_INVALID_DATE], src->def->name, false);
	if (format)
		zone_abbreviation(&b, &src->diags.tally[D_INVALID_DATE], format);
	diag(&src->diags, D_NO_DATES, 0, 0, buf_cstr(&b), NULL, 0);
	buf_free(&b);
}

static const char *skip_digits(const char *p)
{
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

/* Into b, the date_format that reads example, an ambiguous A?B?YYYY date (a time maybe after it),
 * in order: its separator, then %H:%M[:%S] for a time (a fraction after %S is read) and %z for
 * an offset after it. */
static void format_for(Buf *b, const char *example, DateOrder order)
{
	const char *p = skip_digits(example);
	char sep = *p ? *p : '/';
	buf_printf(b, order == ORDER_DAY_FIRST ? "%%d%c%%m%c%%Y" : "%%m%c%%d%c%%Y", sep, sep);
	p = *p ? skip_digits(skip_digits(p + 1) + 1) : p;	/* past B and the year */
	if (*p != ' ' && *p != 'T')
		return;
	buf_printf(b, "%c%%H:%%M", *p);
	p = skip_digits(skip_digits(p + 1) + 1);	/* past HH:MM */
	if (*p == ':')
		buf_puts(b, ":%S"), p = skip_digits(p + 1);
	if (*p == '.')
		p = skip_digits(p + 1);
	if (*p)
		buf_puts(b, *p == ' ' ? " %z" : "%z");
}

/* A date column with ambiguous values whose order the other files' evidence decided (rules.md,
 * step 2: none of its own, or a tie) may be read the wrong way round with no sign of it: US dates
 * beside a European CRM's. Said at every build, with an example, the evidence, a date_order of
 * the configuration that it overrode, and the setting that says the column's order. */
static void borrowed_order(const Silver *s, Source *src)
{
	if (src->basis != BASIS_DATASET || !src->ambiguous || src->def->date_col < 0)
		return;
	int col = src->def->date_col;
	DateOrder other = src->order == ORDER_DAY_FIRST ? ORDER_MONTH_FIRST : ORDER_DAY_FIRST;
	uint64_t tie = src->evidence[EVIDENCE_DAY_FIRST];
	Buf b = {0};
	buf_printf(&b, "%s: ", src->def->cols[col]);
	if (tie)
		buf_printf(&b, "its dates show day-first and month-first as often (%llu each; ", (unsigned long long)tie);
	else
		buf_puts(&b, "none of its dates shows which comes first, day or month (");
	buf_printf(&b, "%llu ambiguous, e.g. \"%s\"); read %s by the other files' evidence (",
		   (unsigned long long)src->ambiguous, src->ambiguous_text, order_name[src->order]);
	const char *sep = "";
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *o = &s->src[i];
		uint64_t d = o->evidence[EVIDENCE_DAY_FIRST], m = o->evidence[EVIDENCE_MONTH_FIRST];
		if (o == src || (!d && !m))
			continue;
		buf_printf(&b, "%s%s%s %s: %llu day-first, %llu month-first", sep,
			   o->sql ? o->def->name : config_file_of(s->cfg, (SourceId)i), o->sql ? " by SQL" : "",
			   o->def->cols[o->def->date_col], (unsigned long long)d, (unsigned long long)m);
		sep = "; ";
	}
	buf_putc(&b, ')');
	if (s->cfg->date_order_set && s->cfg->date_order != src->order)
		buf_printf(&b, ", not by date_order = %s in the configuration, which decides only where no file shows an "
			       "order", order_name[s->cfg->date_order]);
	buf_printf(&b, "; if they are %s, say so: [read] %s.date_format = ", order_name[other], src->def->name);
	format_for(&b, src->ambiguous_text, other);
	diag(&src->diags, D_BORROWED_ORDER, src->ambiguous_line, file_column(src, col), buf_cstr(&b),
	     NULL, 0);
	buf_free(&b);
}

/* Rows with bytes that are not UTF-8 (each an invalid_utf8, a --verbose warning) in a file whose
 * encoding is not named (nor its header's said already): a Windows-1252 or Latin-1 export read as
 * UTF-8, whose ids that differ only there became one (a duplicate_key); said at every build. */
static void not_utf8(Source *src)
{
	const DiagTally *t = &src->diags.tally[D_INVALID_UTF8];	/* of silver's rows: a quarantined one is not counted */
	if (!t->count || !t->nsamples || src->opt.encoding >= 0 || src->diags.tally[D_HEADER_ENCODING].count ||
	    src->diags.tally[D_NOT_CSV].count)
		return;
	Buf b = {0};
	buf_printf(&b, "UTF-8%s, though rows hold bytes that are not (each replaced with U+FFFD: ids that differ only "
		       "there read as one, and a row of such an id is quarantined as a duplicate_key); ",
		   src->opt.utf8_bom ? " (by its byte-order mark)" : "");
	if (src->opt.utf8_bom)	/* which wins over a named encoding: text of two encodings in one file */
		buf_puts(&b, "save the file as UTF-8 again, from where it was made");
	else
		buf_printf(&b, "a Windows-1252 or Latin-1 file? name its encoding: [read] %s.encoding = windows-1252",
			   src->def->name);
	diag(&src->diags, D_NOT_UTF8, t->sample[0].line, t->sample[0].col, buf_cstr(&b), NULL, 0);
	buf_free(&b);
}

bool silver_finish(Silver *s)
{
	silver_tail_join(s);	/* the last source's rows as they are left */
	if (silver_worst(s) == SEV_ERROR)
		return false;
	decide_date_order(s);
	infer_customers(s);
	near_ids(s);
	s->ncrm = 0;
	for (size_t r = 0; r < CUSTOMERS(s)->n; r++)
		s->ncrm += ROW(CUSTOMERS(s), Customer, r)->in_crm;
	find_as_of(s);
	if (s->as_of == MOMENT_NULL) {	/* its cause, most often: a date column none of whose values was read */
		for (int i = 0; i < SRC_COUNT; i++)
			no_dates(&s->src[i], silver_rows(s, (SourceId)i));
		return false;
	}
	int y, m, d;
	date_civil(s->as_of, &y, &m, &d);
	int64_t oldest = date_days(y - 120, m, d);
	Buf v = {0};
	for (int i = 0; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		check_rows(src, s->as_of, oldest, CUSTOMERS(s), &v);
		unknown_statuses(src);
		unknown_devices(src);
		borrowed_order(s, src);
		no_dates(src, silver_rows(s, (SourceId)i));
		not_utf8(src);
		if (src->nquarantine)
			qsort(src->quarantine, src->nquarantine, sizeof *src->quarantine, quarantine_cmp);
	}
	buf_free(&v);
	return true;
}

void silver_init(Silver *s, Config *cfg)
{
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	s->general.file = cfg->data_dir;
	s->config_diags.file = cfg->config_file;
	for (size_t i = 0; i < cfg->nnotes; i++)
		diag(&s->config_diags, D_CONFIG_NOTE, cfg->notes[i].line, 0, cfg->notes[i].text, NULL, 0);
	for (int i = 0; i < SRC_COUNT; i++)
		silver_source_setup(s, &s->src[i], (SourceId)i);
}

size_t silver_rows(const Silver *s, SourceId id)
{
	return id == SRC_CUSTOMERS ? s->ncrm : s->src[id].table.n;
}

Severity silver_worst(const Silver *s)
{
	Severity w = diag_worst(&s->general, 1), c = diag_worst(&s->config_diags, 1);
	w = c > w ? c : w;
	for (size_t i = 0; i < s->nraw; i++) {
		Severity e = diag_worst(&s->raw[i].diags, 1);
		w = e > w ? e : w;
	}
	for (int i = 0; i < SRC_COUNT; i++) {
		Severity e = diag_worst(&s->src[i].diags, 1);
		if (e > w)
			w = e;
	}
	return w;
}

/* The data folder's CSV files (regular files, not hidden, by their ending in any case) that no
 * source or table read, by name, *n of them; none if the folder cannot be listed. */
static char **unread_csv(const Silver *s, size_t *n)
{
	size_t all = 0;
	*n = 0;
	Buf ignore = {0};
	char **names = s->cfg && s->cfg->data_dir ? dir_list(s->cfg->data_dir, NULL, &all, &ignore) : NULL;	/* no . files */
	buf_free(&ignore);
	for (size_t i = 0; i < all; i++) {
		const char *name = names[i];
		size_t len = strlen(name);
		char *path = path_join(s->cfg->data_dir, name);
		struct stat st;
		bool read = len < 4 || strcasecmp(name + len - 4, ".csv") != 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode);
		free(path);
		for (size_t k = 0; k < SRC_COUNT + s->nraw && !read; k++) {	/* the sources', the tables' */
			const char *file = k < SRC_COUNT ? (s->src[k].present ? s->src[k].diags.file : NULL)
							 : s->raw[k - SRC_COUNT].path;
			const char *base = file ? strrchr(file, '/') : NULL;
			read = file && strcmp(base ? base + 1 : file, name) == 0;
		}
		if (read)
			free(names[i]);
		else
			names[(*n)++] = names[i];
	}
	return names;
}

/* The first record's names, normalised as a header's (config_normalise). */
typedef struct {
	char **names;
	uint32_t n;
} HeaderNames;

static void header_names(void *ctx, const Record *r)
{
	HeaderNames *h = ctx;
	if (h->names)
		return;
	h->names = xcalloc(r->nfields + 1, sizeof *h->names);
	for (h->n = 0; h->n < r->nfields; h->n++)
		h->names[h->n] = config_normalise(r->fields[h->n]);
}

#define GUESS_BYTES 65536	/* of a file read to find its header */
#define GUESS_FILES 64		/* files of the folder whose headers are read, the first by name */

/* How many of source id's columns the header in head (a data folder's file's first bytes) has
 * (by their names or [columns] aliases), read as the source's export would be; -1 if it lacks
 * one the source requires. */
static int header_match(const Silver *s, SourceId id, const Buf *head)
{
	const SourceDef *def = s->src[id].def;
	Input in = {0};
	input_from(&in, head->p ? head->p : "", head->len);
	ReadOptions o = config_read_options(s->cfg, def->name);
	Diags d = {0};
	char delimiter = input_prepare(&in, &o, &d);
	HeaderNames h = {0};
	Ingest *ing = ingest_new(header_names, &h);
	ingest_options(ing, delimiter, o.comment, o.header_row);
	ingest_feed(ing, in.data, in.len);
	ingest_finish(ing);
	ingest_free(ing);
	input_close(&in);
	diag_free(&d);
	int found = h.names ? 0 : -1;
	for (int c = 0; c < def->ncols && found >= 0; c++) {
		bool has = config_header_field((const char *const *)s->cfg->alias[id][c], def->cols[c], h.names, h.n) >= 0;
		found = has ? found + 1 : column_required(def, c) ? -1 : found;
	}
	for (uint32_t i = 0; i < h.n; i++)
		free(h.names[i]);
	free(h.names);
	return found;
}

/* ---- a missing column's likely name among the header's unknown ones */

/* The words of a header's name that say it may be a column's (lower-cased, split at what is no
 * letter or digit and where a lower-case letter meets a capital): a key's, what it names (order,
 * alone or with an id word: "Order #", "Order Number"); another's, any of them ("Total"). */
#define ID_WORDS " id number no nr num code key ref reference identifier uid uuid "
static const struct {
	const char *col, *words;
	bool key;
} column_words[] = {
	{"customer_id", " customer client cust buyer user member account contact shopper consumer ", true},
	{"order_id", " order purchase sale invoice ", true},
	{"payment_id", " payment transaction txn charge receipt ", true},
	{"ticket_id", " ticket case request conversation incident ", true},
	{"session_id", " session visit ", true},
	{"name", " name fullname ", false},
	{"email", " email mail emailaddress ", false},
	{"gender", " gender sex ", false},
	{"dob", " dob birth birthday birthdate born ", false},
	{"location", " location city town country region address place ", false},
	{"order_date", " date created placed time timestamp datetime day purchased ordered ", false},
	{"payment_date", " date created time timestamp datetime day settled ", false},
	{"ticket_date", " date created opened time timestamp datetime day submitted raised ", false},
	{"session_time", " time timestamp date datetime start started created visited ", false},
	{"amount", " amount total price value sum revenue subtotal gross net cost charged ", false},
	{"status", " status state fulfillment fulfilment stage ", false},
	{"payment_method", " method type gateway card mode instrument tender ", false},
	{"payment_status", " status state result outcome ", false},
	{"issue_type", " issue type category topic subject reason kind ", false},
	{"resolution_status", " status state resolution resolved ", false},
	{"page_viewed", " page url path screen uri view pageview viewed ", false},
	{"device_type", " device platform os agent browser useragent system ", false},
};

/* Whether the header name (n bytes) may be column col (the source's own key: own_key, which an id
 * word alone may name: "ID", "Number"). */
static bool name_may_be(const char *name, size_t n, const char *col, bool own_key)
{
	size_t k = 0;
	while (k < sizeof column_words / sizeof *column_words && strcmp(column_words[k].col, col) != 0)
		k++;
	if (k == sizeof column_words / sizeof *column_words)
		return false;
	bool named = false, other = false, any = false;	/* a word of its; a word no id word */
	for (size_t i = 0; i < n;) {
		char word[26] = " ";
		size_t w = 0;
		while (i < n && !word_byte(name[i]))
			i++;
		for (; i < n && word_byte(name[i]); i++) {
			if (w && w < 23 && name[i] >= 'A' && name[i] <= 'Z' && name[i - 1] >= 'a' && name[i - 1] <= 'z')
				break;	/* customerEmail: two words */
			if (w < 23)
				word[1 + w] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
			w++;
		}
		if (!w)
			continue;
		if (w >= 23) {	/* no word of the lists is so long */
			other = any = true;
			continue;
		}
		word[1 + w] = ' ';
		bool its = strstr(column_words[k].words, word) != NULL;
		named |= its;
		other |= !its && !strstr(ID_WORDS, word);
		any = true;
	}
	return column_words[k].key ? (named || (own_key && any)) && !other : named;
}

/* The header name of src's that no column reads (each an unknown column's note, as shown) and
 * whose words say it may be column c, which the header lacks: the only such name, and one no
 * other column the header lacks may be; false if none. Into name, as written. */
static bool column_guess(const Source *src, int c, Buf *name)
{
	const DiagTally *t = &src->diags.tally[D_COLUMN_UNKNOWN];
	int found = -1;
	Str shown;
	for (unsigned i = 0; i < t->nsamples; i++) {
		if (!message_quote(t->sample[i].text, D_COLUMN_UNKNOWN, "{c}", &shown))
			continue;
		if (memchr(shown.p, '\\', shown.n) || (shown.n >= 3 && memcmp(shown.p + shown.n - 3, "\xe2\x80\xa6", 3) == 0))
			continue;	/* not as written: made printable, or cut */
		if (!name_may_be(shown.p, shown.n, src->def->cols[c], c == 0))
			continue;
		for (int d = 0; d < src->def->ncols; d++)
			if (d != c && src->field_of[d] < 0 && name_may_be(shown.p, shown.n, src->def->cols[d], d == 0))
				return false;	/* Date of a ticket_date and a session_time: which? */
		if (found >= 0)
			return false;	/* First Name, Last Name */
		found = (int)i;
		buf_put(name, shown.p, shown.n);
	}
	return found >= 0;
}

/* For each source missing[i], the unread file (of the first GUESS_FILES, each read once) whose
 * header has the most of its columns and fewer of every other source's (an orders export has a
 * customer_id too), else -1 (none, or two alike): guess[i], an index in names. */
static void guess_files(const Silver *s, const bool missing[SRC_COUNT], char **names, size_t n, int guess[SRC_COUNT])
{
	n = n < GUESS_FILES ? n : GUESS_FILES;	/* a folder of thousands: 5 x 64 reads at most */
	int *score = xcalloc(SRC_COUNT * n + 1, sizeof *score);
	for (size_t f = 0; f < n; f++) {
		char *path = path_join(s->cfg->data_dir, names[f]);
		Buf head = {0}, ignore = {0};
		bool ok = file_read_head(path, GUESS_BYTES, &head, &ignore);
		for (int i = 0; i < SRC_COUNT; i++)
			score[i * n + f] = ok ? header_match(s, (SourceId)i, &head) : -1;
		free(path), buf_free(&head), buf_free(&ignore);
	}
	for (int i = 0; i < SRC_COUNT; i++) {
		guess[i] = -1;
		if (!missing[i])
			continue;
		int best = 0;
		bool twice = false;
		for (size_t f = 0; f < n; f++) {
			int m = score[i * n + f];
			twice = m == best ? true : m > best ? false : twice;
			if (m > best)
				best = m, guess[i] = (int)f;
		}
		for (int j = 0; j < SRC_COUNT && guess[i] >= 0 && !twice; j++)
			twice = j != i && score[j * n + (size_t)guess[i]] >= best;
		if (twice)
			guess[i] = -1;
	}
	free(score);
}

void silver_report(Buf *out, const Silver *s, Verbosity v)
{
	/* without a --config, the first note that names one says how to make one */
	const char *init = s->cfg && s->cfg->config_file ? "" : " (c360 init DIR writes one)";
	/* a newcomer's way on: a required file missing, or an optional one where the folder has
	   others, is named in [files], the file whose header has its columns named if one has */
	bool named[SRC_COUNT], any = false;
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		named[i] = (src->diags.tally[D_FILE_MISSING].count || src->diags.tally[D_OPTIONAL_MISSING].count) &&
			   !(src->cfg && src->cfg->file[i]) && !src->sql;
		any |= named[i];
	}
	size_t nunread = 0;
	char **unread = any ? unread_csv(s, &nunread) : NULL;	/* the folder listed only then */
	int guess[SRC_COUNT];
	guess_files(s, named, unread, nunread, guess);
	Buf list = {0};	/* said once, with the first note */
	for (size_t f = 0; f < nunread && f < 10; f++) {
		buf_puts(&list, f ? ", " : "");
		buf_put_printable(&list, unread[f], strlen(unread[f]), 60);
	}
	if (nunread > 10)
		buf_printf(&list, " and %zu more", nunread - 10);
	diag_format(out, &s->general, v);
	diag_format(out, &s->config_diags, v);
	for (size_t i = 0; i < s->nraw; i++)
		diag_format(out, &s->raw[i].diags, v);
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		diag_format(out, &src->diags, v);
		if (named[i] && (src->diags.tally[D_FILE_MISSING].count || nunread)) {
			buf_printf(out, "%s: note: an export of another name is named in a --config file%s: [files] %s = ",
				   src->diags.file, init, src->def->name);
			init = "";
			if (guess[i] >= 0) {	/* a line to copy: whole, in quotes where the file needs them ("crm #2.csv") */
				Buf name = {0};
				config_put_text(&name, unread[guess[i]]);
				buf_put_printable(out, name.p, name.len, name.len);
				buf_free(&name);
				buf_printf(out, " (its header has the columns of %s)", src->def->name);
			} else {
				buf_puts(out, "NAME");
			}
			if (list.len)
				buf_printf(out, " (the folder's CSV files that nothing read: %s)", buf_cstr(&list));
			list.len = 0;
			buf_putc(out, '\n');
		}
		/* a fact's column missing, required or not, while the header has one c360 does not know:
		   renamed? (a customer's are the profile's: an export often has none of some); an
		   optional source left out for it too, whose warning alone named no way on */
		bool renamed = source_is_fact((SourceId)i) && src->diags.tally[D_COLUMN_UNKNOWN].count &&
			       (src->diags.tally[D_COLUMN_ABSENT].count || src->diags.tally[D_SOURCE_LEFT_OUT].count);
		/* a header of one column without the key: most often a report's title line above it */
		bool keyless = src->diags.tally[D_COLUMN_REQUIRED].count || src->diags.tally[D_SOURCE_LEFT_OUT].count;
		if (keyless && src->have_header && src->nheader == 1 && !src->sql && (v > SAY_QUIET || src->def->required))
			buf_printf(out, "%s: note: the header row has one column: if a title line comes before the header, "
				   "[read] %s.header_row = N names the header's line\n", src->diags.file, src->def->name);
		/* a column missing whose name the header may have in other words ("Total" of amount), a
		   customer's too: the line to copy names it */
		for (int c = 0; c < src->def->ncols; c++) {
			if (src->field_of[c] >= 0 || src->def->rule[c].extra || (src->cfg && src->cfg->alias[i][c][0]) ||
			    (src->cfg && src->cfg->no_column[i][c]) || !src->have_header)
				continue;
			bool required = column_required(src->def, c) && src->diags.tally[D_COLUMN_REQUIRED].count;
			Buf name = {0};
			bool guess = column_guess(src, c, &name);
			if (required || (v > SAY_QUIET && (renamed || guess))) {	/* --quiet: errors' only */
				buf_printf(out, "%s: note: a column of another name is named in a --config file%s: [columns] %s.%s = ",
					   src->diags.file, init, src->def->name, src->def->cols[c]);
				if (guess) {
					Buf line = {0};
					config_put_text(&line, buf_cstr(&name));
					buf_printf(out, "%s (a column of the header read as nothing, whose name may mean %s)\n",
						   buf_cstr(&line), src->def->cols[c]);
					buf_free(&line);
				} else {
					buf_puts(out, "NAME\n");
				}
				init = "";
			}
			buf_free(&name);
		}
		/* a header and no row (an export of an empty period, or cut short): its figures are 0 or
		   none, which a dashboard of zeros alone does not say */
		if (src->have_header && !src->left_out && !src->broken && src->rows_read == 0 && v > SAY_QUIET)
			buf_printf(out, "%s: note: the file has its header row and no row after it: nothing of it is "
				   "in the figures\n", src->diags.file);
		/* payments without a status: none is a success, so the payment figures are empty, which
		   the column_absent warning alone does not say; a ledger of settled payments has none */
		const DiagTally *absent = &src->diags.tally[D_COLUMN_ABSENT];
		bool no_status = false;
		for (unsigned k = 0; i == SRC_PAYMENTS && k < absent->nsamples; k++)
			no_status |= strncmp(absent->sample[k].text, "column \"payment_status\" ", 24) == 0;
		/* nor where [columns] says the exports have none: that silences the warning, not this */
		bool said_none = i == SRC_PAYMENTS && src->have_header && !src->sql && !src->left_out && !src->broken &&
				 src->cfg && src->cfg->no_column[i][PA_STATUS];
		if ((no_status || said_none) && v > SAY_QUIET)
			buf_printf(out, "%s: note: without a payment_status no payment counts as a success: the payment "
				   "modes and top payment method say no data; for an export of successful payments only, "
				   "define payments by [sql] with 'Success' AS payment_status%s (docs/exports.md)\n",
				   src->diags.file, said_none ? ", and [columns] payments.payment_status = none no more" : "");
	}
	for (size_t f = 0; f < nunread; f++)
		free(unread[f]);
	free(unread);
	buf_free(&list);
}
