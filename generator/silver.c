/* silver.c — the table rules of silver: the sources, keys, values, duplicates, date order,
 * orphans and the as-of date, on rows the reader (silver_read.c) hands over. */
#include "c360.h"

#include <stdlib.h>

#define RULE(k, T, field) {.kind = (k), .at = offsetof(T, field)}
#define CATEGORY(c, T, field) {.kind = COL_CATEGORY, .category = (c), .at = offsetof(T, field)}

const SourceDef source_defs[SRC_COUNT] = {
	[SRC_CUSTOMERS] = {.name = "customers", .file = "customers.csv", .required = true, .ncols = CU_NCOLS,
			   .cols = {"customer_id", "name", "email", "gender", "dob", "location"},
			   .rule = {[CU_ID] = {COL_KEY}, [CU_NAME] = RULE(COL_TITLE, Customer, name),
				    [CU_EMAIL] = RULE(COL_EMAIL, Customer, email),
				    [CU_GENDER] = RULE(COL_GENDER, Customer, gender), [CU_DOB] = {COL_DATE},
				    [CU_LOCATION] = RULE(COL_TITLE, Customer, location)},
			   .customer_col = -1, .date_col = CU_DOB, .row_size = sizeof(Customer)},
	[SRC_ORDERS] = {.name = "orders", .file = "orders.csv", .required = true, .ncols = OR_NCOLS,
			.cols = {"order_id", "customer_id", "order_date", "amount", "status"},
			.rule = {[OR_ID] = {COL_KEY}, [OR_CUSTOMER] = {COL_CUSTOMER}, [OR_DATE] = {COL_DATE},
				 [OR_AMOUNT] = RULE(COL_AMOUNT, Order, cents),
				 [OR_STATUS] = CATEGORY(CAT_ORDER_STATUS, Order, status)},
			.customer_col = OR_CUSTOMER, .date_col = OR_DATE, .row_size = sizeof(Order)},
	[SRC_PAYMENTS] = {.name = "payments", .file = "payments.csv", .ncols = PA_NCOLS,
			  .cols = {"payment_id", "customer_id", "payment_date", "payment_method", "payment_status", "amount"},
			  .rule = {[PA_ID] = {COL_KEY}, [PA_CUSTOMER] = {COL_CUSTOMER}, [PA_DATE] = {COL_DATE},
				   [PA_METHOD] = CATEGORY(CAT_PAY_METHOD, Payment, method),
				   [PA_STATUS] = CATEGORY(CAT_PAY_STATUS, Payment, status),
				   [PA_AMOUNT] = RULE(COL_AMOUNT, Payment, cents)},
			  .customer_col = PA_CUSTOMER, .date_col = PA_DATE, .row_size = sizeof(Payment)},
	[SRC_TICKETS] = {.name = "support_tickets", .file = "support_tickets.csv", .ncols = TI_NCOLS,
			 .cols = {"ticket_id", "customer_id", "issue_type", "ticket_date", "resolution_status"},
			 .rule = {[TI_ID] = {COL_KEY}, [TI_CUSTOMER] = {COL_CUSTOMER},
				  [TI_ISSUE] = CATEGORY(CAT_ISSUE, Ticket, issue), [TI_DATE] = {COL_DATE},
				  [TI_STATUS] = CATEGORY(CAT_TICKET_STATUS, Ticket, status)},
			 .customer_col = TI_CUSTOMER, .date_col = TI_DATE, .row_size = sizeof(Ticket)},
	[SRC_SESSIONS] = {.name = "web_activities", .file = "web_activities.csv", .ncols = SE_NCOLS,
			  .cols = {"session_id", "customer_id", "page_viewed", "session_time", "device_type"},
			  .rule = {[SE_ID] = {COL_KEY}, [SE_CUSTOMER] = {COL_CUSTOMER},
				   [SE_PAGE] = CATEGORY(CAT_PAGE, Session, page), [SE_TIME] = {COL_DATE},
				   [SE_DEVICE] = CATEGORY(CAT_DEVICE, Session, device)},
			  .customer_col = SE_CUSTOMER, .date_col = SE_TIME, .timestamp = true, .row_size = sizeof(Session)},
};

#define MEMO_MAX 65536		/* distinct raw values remembered per category column */
#define MEMO_LEN 256		/* ... of at most this many bytes: long ones are rare, and big */
#define UNKNOWN_BIT (1u << 31)

/* ---- ambiguous dates wait in the row, packed, until the order is decided */

#define AMBIGUOUS_TAG ((int64_t)1 << 62)

static int64_t pack_ambiguous(const DateParse *p)
{
	return AMBIGUOUS_TAG | (int64_t)(p->y - 1900) << 30 | (int64_t)p->a << 26 | (int64_t)p->b << 22 |
	       (int64_t)(p->secs + 50400);
}

static bool is_ambiguous(int64_t when)
{
	return when != MOMENT_NULL && when >= AMBIGUOUS_TAG;
}

static int64_t resolve_ambiguous(int64_t v, DateOrder order, bool keep_time)
{
	DateParse p = {.status = DATE_AMBIGUOUS, .y = (int)(v >> 30 & 0xff) + 1900, .a = (int)(v >> 26 & 0xf),
		       .b = (int)(v >> 22 & 0xf), .secs = (int32_t)(v & 0x3ffff) - 50400};
	return clean_date_moment(&p, order, keep_time);
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

static Str row_key(const void *ctx, uint32_t i)
{
	const RowHead *h = ROW((const Table *)ctx, RowHead, i);
	return str_make(h->id, h->idlen);
}

/* Drops the rows marked F_QUARANTINED, keeping file order. */
static void table_compact(Table *t)
{
	size_t w = 0;
	for (size_t i = 0; i < t->n; i++) {
		RowHead *h = ROW(t, RowHead, i);
		if (h->flags & F_QUARANTINED)
			continue;
		if (w != i)
			memcpy(ROW(t, char, w), h, t->size);
		w++;
	}
	t->n = w;
}

static void reindex(Source *src)
{
	index_free(&src->keys);
	for (size_t i = 0; i < src->table.n; i++) {
		const RowHead *h = ROW(&src->table, RowHead, i);
		index_set(&src->keys, str_make(h->id, h->idlen), (uint32_t)i, row_key, &src->table);
	}
}

/* ---- reporting */

/* Reports a problem with a column's value on the row of the given line. */
static void report(Source *src, DiagCode code, uint32_t line, int col, Str value)
{
	int field = src->field_of[col];
	diag(&src->diags, code, line, field >= 0 ? (uint32_t)field + 1 : 0, src->def->cols[col], value.p, value.n);
}

static void quarantine(Source *src, const char *raw, uint32_t rawlen, uint32_t line, DiagCode reason)
{
	if (src->nquarantine == src->capquarantine) {
		src->capquarantine = src->capquarantine ? src->capquarantine * 2 : 64;
		src->quarantine = xrealloc(src->quarantine, src->capquarantine * sizeof *src->quarantine);
	}
	src->quarantine[src->nquarantine++] = (Quarantined){raw, rawlen, line, reason};
	src->reason_count[reason - D_FIRST_REASON]++;
}

/* ---- value rules applied to a row */

static int64_t row_when(Source *src, RowHead *h, Str v)
{
	DateParse p = clean_date(v);
	switch (p.status) {
	case DATE_OK:
		src->evidence[p.evidence]++;
		return clean_date_moment(&p, src->cfg->date_order, src->def->timestamp);
	case DATE_AMBIGUOUS:
		src->ambiguous++;
		return pack_ambiguous(&p);
	case DATE_BAD:
		h->flags |= FLAG(D_INVALID_DATE);
		report(src, D_INVALID_DATE, h->line, src->def->date_col, v);
		return MOMENT_NULL;
	default:
		return MOMENT_NULL;
	}
}

static int64_t row_amount(Source *src, RowHead *h, int col, Str v)
{
	int64_t cents;
	int st = clean_amount(v, &cents);
	if (st == AMOUNT_BAD) {
		h->flags |= FLAG(D_INVALID_AMOUNT);
		report(src, D_INVALID_AMOUNT, h->line, col, v);
	} else if (st == AMOUNT_OK && cents < 0) {
		h->flags |= FLAG(D_NEGATIVE_AMOUNT);
		report(src, D_NEGATIVE_AMOUNT, h->line, col, v);
	}
	return cents;
}

/* A category column, remembering each distinct raw value's label. */
static uint32_t row_category(Source *src, RowHead *h, int col, Str v)
{
	v = str_trim(v);
	uint32_t m = dict_find(&src->memo[col], v), val;
	if (m != INDEX_NONE) {
		val = src->memo_val[col][m];
	} else {
		bool unknown;
		val = clean_category(&src->dict[col], src->def->rule[col].category, v, &src->scratch, &unknown);
		val |= unknown ? UNKNOWN_BIT : 0;
		if (src->memo[col].n < MEMO_MAX && v.n <= MEMO_LEN) {
			m = dict_intern(&src->memo[col], v);
			if (m % 64 == 0)
				src->memo_val[col] = xrealloc(src->memo_val[col], (m + 64) * sizeof(uint32_t));
			src->memo_val[col][m] = val;
		}
	}
	if (val & UNKNOWN_BIT) {
		h->flags |= FLAG(D_UNKNOWN_CATEGORY);
		report(src, D_UNKNOWN_CATEGORY, h->line, col, v);
	}
	return val & ~UNKNOWN_BIT;
}

static const char *row_title(Source *src, Str v)
{
	Str t = clean_title(v, &src->scratch);
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
	for (int c = 0; c < src->def->ncols; c++) {
		const ColumnRule *r = &src->def->rule[c];
		switch (r->kind) {
		case COL_KEY:
		case COL_CUSTOMER:
			break;
		case COL_DATE:
			h->when = row_when(src, h, f[c]);
			break;
		case COL_AMOUNT:
			*(int64_t *)(void *)(row + r->at) = row_amount(src, h, c, f[c]);
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
			*(uint8_t *)(row + r->at) = (uint8_t)clean_gender(f[c]);
			break;
		}
	}
}

/* A fact whose customer is not in the CRM, by line, until customers are inferred. */
struct Orphan {
	uint32_t line, idlen;
	const char *id;
};

static void note_orphan(Source *src, uint32_t line, const char *id, size_t idlen)
{
	if (src->norphans == src->caporphans) {
		src->caporphans = src->caporphans ? src->caporphans * 2 : 64;
		src->orphans = xrealloc(src->orphans, src->caporphans * sizeof *src->orphans);
	}
	src->orphans[src->norphans++] = (struct Orphan){line, (uint32_t)idlen, id};
}

/* A key as kept: where the same bytes stand in the raw record, else a copy. */
static const char *key_keep(Source *src, Str raw, Str id)
{
	if (raw.n >= id.n && memcmp(raw.p, id.p, id.n) == 0)
		return raw.p;	/* the usual place: the key is the first column */
	const char *at = memmem(raw.p, raw.n, id.p, id.n);
	return at ? at : arena_strndup(&src->arena, id.p, id.n);
}

static void text_flags(Source *src, const Record *r, RowHead *h)
{
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

/* Rows without their key or customer go to quarantine; false when this one did. */
static bool row_keys(Source *src, const Record *r, Str raw, const Str *f, Str *id)
{
	DiagCode reason = D_MISSING_KEY;
	int col = 0, cc = src->def->customer_col;
	*id = clean_id(f[0]);
	if (id->n && (cc < 0 || clean_id(f[cc]).n))
		return true;
	if (id->n)
		reason = D_MISSING_CUSTOMER_ID, col = cc;
	quarantine(src, raw.p, (uint32_t)raw.n, r->line, reason);
	report(src, reason, r->line, col, f[col]);
	return false;
}

/* Looks up a fact's customer; one not in the CRM waits for infer_customers. */
static void row_customer(Source *src, RowHead *h, Str raw, Str cid)
{
	const Source *cu = src->customers;
	if (cid.n == src->last_customer_id.n && memcmp(cid.p, src->last_customer_id.p, cid.n) == 0) {
		h->customer = src->last_customer;	/* facts often come grouped by customer */
	} else {
		h->customer = index_find(&cu->keys, cid, row_key, &cu->table);
		src->last_customer = h->customer;
		src->last_customer_id = str_make(src->last_customer_id_buf, 0);
		if (cid.n <= sizeof src->last_customer_id_buf) {
			memcpy(src->last_customer_id_buf, cid.p, cid.n);
			src->last_customer_id.n = cid.n;
		}
	}
	if (h->customer == NO_CUSTOMER)
		note_orphan(src, h->line, key_keep(src, raw, cid), cid.n);
}

void silver_reject(Source *src, const Record *r, Str raw)
{
	quarantine(src, raw.p, (uint32_t)raw.n, r->line, D_MALFORMED_ROW);
	if (r->error)
		diag(&src->diags, D_MALFORMED_ROW, r->line, r->error_col,
		     r->error == REC_UNTERMINATED ? "quoted field never closed" : "stray quote in a field", NULL, 0);
}

void silver_row(Source *src, const Record *r, Str raw, const Str *f)
{
	Str id;
	if (!row_keys(src, r, raw, f, &id))
		return;
	RowHead *h = table_push(&src->table);
	h->raw = raw.p;
	h->rawlen = (uint32_t)raw.n;
	h->line = r->line;
	h->id = key_keep(src, raw, id);
	h->idlen = (uint32_t)id.n;
	h->customer = NO_CUSTOMER;
	if (source_is_fact(src->id))
		row_customer(src, h, raw, clean_id(f[src->def->customer_col]));
	else
		((Customer *)h)->in_crm = true;	/* a row of the CRM itself */
	text_flags(src, r, h);
	row_values(src, h, f);
}

/* ---- duplicate keys: the last row in file order wins */

static int same_key_cmp(const void *a, const void *b, void *ctx)
{
	const Table *t = ctx;
	uint32_t i = (uint32_t)*(const uint64_t *)a, j = (uint32_t)*(const uint64_t *)b;
	const RowHead *x = ROW(t, RowHead, i), *y = ROW(t, RowHead, j);
	size_t n = x->idlen < y->idlen ? x->idlen : y->idlen;
	int c = memcmp(x->id, y->id, n);
	if (c || x->idlen != y->idlen)
		return c ? c : x->idlen < y->idlen ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* Sorts (hash << 32 | row) pairs by hash, keeping row order within a hash. */
static void radix_sort_hi(uint64_t *a, uint64_t *tmp, size_t n)
{
	for (int shift = 32; shift < 64; shift += 8) {
		size_t count[257] = {0};
		for (size_t i = 0; i < n; i++)
			count[(a[i] >> shift & 0xff) + 1]++;
		for (int k = 0; k < 256; k++)
			count[k + 1] += count[k];
		for (size_t i = 0; i < n; i++)
			tmp[count[a[i] >> shift & 0xff]++] = a[i];
		memcpy(a, tmp, n * sizeof *a);
	}
}

/* Marks every row whose key appears again later; reports them in file order. */
static void dedupe(Source *src)
{
	Table *t = &src->table;
	if (t->n < 2)
		return;
	uint64_t *a = big_alloc(t->n * sizeof *a), *tmp = big_alloc(t->n * sizeof *tmp);
	for (size_t i = 0; i < t->n; i++) {
		const RowHead *h = ROW(t, RowHead, i);
		a[i] = (hash_bytes(h->id, h->idlen) >> 32) << 32 | i;
	}
	radix_sort_hi(a, tmp, t->n);
	bool any = false;
	for (size_t i = 0, j; i < t->n; i = j) {
		for (j = i + 1; j < t->n && a[j] >> 32 == a[i] >> 32; j++)
			;
		if (j - i < 2)
			continue;
		qsort_r(a + i, j - i, sizeof *a, same_key_cmp, t);
		for (size_t k = i; k + 1 < j; k++) {
			RowHead *x = ROW(t, RowHead, (uint32_t)a[k]);
			const RowHead *y = ROW(t, RowHead, (uint32_t)a[k + 1]);
			if (x->idlen == y->idlen && memcmp(x->id, y->id, x->idlen) == 0)
				x->flags |= F_QUARANTINED, any = true;
		}
	}
	big_free(a, t->n * sizeof *a);
	big_free(tmp, t->n * sizeof *tmp);
	for (size_t i = 0; any && i < t->n; i++) {
		RowHead *h = ROW(t, RowHead, i);
		if (!(h->flags & F_QUARANTINED))
			continue;
		quarantine(src, h->raw, h->rawlen, h->line, D_DUPLICATE_KEY);
		report(src, D_DUPLICATE_KEY, h->line, 0, str_make(h->id, h->idlen));
	}
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
	for (int c = 0; c < src->def->ncols; c++)
		clean_category_init(&src->dict[c], src->def->rule[c].category);
}

void silver_source_close(Source *src)
{
	for (int c = 0; c < MAX_COLS; c++) {
		dict_free(&src->memo[c]);
		free(src->memo_val[c]);
		src->memo_val[c] = NULL;
	}
	dedupe(src);
	table_compact(&src->table);
	if (!source_is_fact(src->id))	/* facts look customers up by their final row number */
		reindex(src);
}

void silver_merge(Source *dst, Source *from, uint32_t offset)
{
	const SourceDef *def = dst->def;
	uint32_t *map[MAX_COLS] = {0};
	for (int c = 0; c < def->ncols; c++) {
		if (def->rule[c].kind != COL_CATEGORY)
			continue;
		const Dict *d = &from->dict[c];
		map[c] = xmalloc((d->n + 1) * sizeof *map[c]);
		for (uint32_t l = 0; l < d->n; l++)
			map[c][l] = dict_intern(&dst->dict[c], str_make(d->label[l], d->len[l]));
	}
	Table *t = &dst->table;
	table_reserve(t, from->table.n);
	size_t bytes = from->table.n * t->size, step = 32u << 20;
	for (size_t done = 0; done < bytes; done += step) {	/* give back what is copied as it goes */
		size_t n = bytes - done < step ? bytes - done : step;
		memcpy(t->rows + t->n * t->size + done, from->table.rows + done, n);
		big_release(from->table.rows + done, n);
	}
	for (size_t i = t->n; i < t->n + from->table.n; i++) {
		RowHead *h = ROW(t, RowHead, i);
		h->line += offset;
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
	}
	for (size_t o = 0; o < from->norphans; o++)
		note_orphan(dst, from->orphans[o].line + offset, from->orphans[o].id, from->orphans[o].idlen);
	dst->rows_read += from->rows_read;
	dst->ambiguous += from->ambiguous;
	for (int e = 0; e < 3; e++)
		dst->evidence[e] += from->evidence[e];
	diag_merge(&dst->diags, &from->diags, offset);
	arena_adopt(&dst->arena, &from->arena);
	for (int c = 0; c < MAX_COLS; c++)
		free(map[c]);
}

void silver_source_free(Source *src)
{
	diag_free(&src->diags);
	arena_free(&src->arena);
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
	buf_free(&src->scratch);
}

/* ---- after every source is read */

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
		if (d != m) {
			src->order = d > m ? ORDER_DAY_FIRST : ORDER_MONTH_FIRST;
			src->basis = BASIS_COLUMN;
		} else if (dd != dm) {
			src->order = dd > dm ? ORDER_DAY_FIRST : ORDER_MONTH_FIRST;
			src->basis = BASIS_DATASET;
		} else {
			src->order = s->cfg->date_order;
			src->basis = BASIS_CONFIG;
		}
		for (size_t r = 0; src->ambiguous && r < src->table.n; r++) {
			RowHead *h = ROW(&src->table, RowHead, r);
			if (is_ambiguous(h->when))
				h->when = resolve_ambiguous(h->when, src->order, src->def->timestamp);
		}
	}
}

/* Facts whose customer is not in the CRM get an inferred customer, in source and file order. */
static void infer_customers(Silver *s)
{
	Source *cu = &s->src[SRC_CUSTOMERS];
	for (int i = 0; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		if (!source_is_fact(src->id))
			continue;
		size_t k = 0;	/* orphans and rows are both in file order */
		for (size_t r = 0; r < src->table.n; r++) {
			RowHead *h = ROW(&src->table, RowHead, r);
			if (h->customer != NO_CUSTOMER)
				continue;
			while (src->orphans[k].line != h->line)
				k++;
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
			h->customer = c;
			h->flags |= FLAG(D_ORPHAN_CUSTOMER);
			report(src, D_ORPHAN_CUSTOMER, h->line, src->def->customer_col, id);
		}
		free(src->orphans);
		src->orphans = NULL;
	}
}

static void find_as_of(Silver *s)
{
	s->as_of = s->cfg->as_of;
	if (s->as_of != MOMENT_NULL)
		return;
	for (int i = 0; i < SRC_COUNT; i++) {
		const Table *t = &s->src[i].table;
		for (size_t r = 0; source_is_fact((SourceId)i) && r < t->n; r++) {
			int64_t w = ROW(t, RowHead, r)->when;
			if (w != MOMENT_NULL && (s->as_of == MOMENT_NULL || date_floor_day(w) > s->as_of))
				s->as_of = date_floor_day(w);
		}
	}
	if (s->as_of == MOMENT_NULL)
		diag(&s->general, D_NO_AS_OF, 0, 0,
		     "no fact has a date to take the as-of date from; pass --as-of YYYY-MM-DD", NULL, 0);
}

static void check_dates_against_as_of(Silver *s)
{
	Buf v = {0};
	int y, m, d;
	date_civil(s->as_of, &y, &m, &d);
	int64_t oldest = date_days(y - 120, m, d);
	for (int i = 0; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		for (size_t r = 0; r < src->table.n; r++) {
			RowHead *h = ROW(&src->table, RowHead, r);
			if (h->when == MOMENT_NULL)
				continue;
			int64_t day = date_floor_day(h->when);
			bool late = day > s->as_of, birth = !source_is_fact((SourceId)i);
			if (!late && (!birth || day >= oldest))
				continue;
			v.len = 0;
			buf_date(&v, day);
			if (birth) {	/* a date of birth: after the as-of date or over 120 years before */
				h->when = MOMENT_NULL;
				h->flags |= FLAG(D_IMPLAUSIBLE_DOB);
				report(src, D_IMPLAUSIBLE_DOB, h->line, src->def->date_col, str_make(v.p, v.len));
			} else {
				src->after_as_of++;
				report(src, D_AFTER_AS_OF, h->line, src->def->date_col, str_make(v.p, v.len));
			}
		}
	}
	buf_free(&v);
}

static int quarantine_cmp(const void *a, const void *b)
{
	uint32_t x = ((const Quarantined *)a)->line, y = ((const Quarantined *)b)->line;
	return x < y ? -1 : x > y;
}

/* Counts the silver rows with each flag; the messages then count rows too, as the tables do
 * (a row with two unknown categories is one row flagged unknown_category). */
static void count_flags(Source *src)
{
	for (size_t r = 0; r < src->table.n; r++) {
		uint32_t f = ROW(&src->table, RowHead, r)->flags;
		src->flagged_rows += f != 0;
		for (int k = 0; f && k < D_NFLAGS; k++)
			src->flag_count[k] += f >> k & 1;
	}
	for (int k = 0; k < D_NFLAGS; k++)
		diag_set_count(&src->diags, (DiagCode)(D_FIRST_FLAG + k), src->flag_count[k]);
	for (int k = 0; k < D_NREASONS; k++)
		diag_set_count(&src->diags, (DiagCode)(D_FIRST_REASON + k), src->reason_count[k]);
}

bool silver_finish(Silver *s)
{
	if (silver_worst(s) == SEV_ERROR)
		return false;
	decide_date_order(s);
	infer_customers(s);
	s->ncrm = 0;
	for (size_t r = 0; r < CUSTOMERS(s)->n; r++)
		s->ncrm += ROW(CUSTOMERS(s), Customer, r)->in_crm;
	find_as_of(s);
	if (s->as_of == MOMENT_NULL)
		return false;
	check_dates_against_as_of(s);
	for (int i = 0; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		count_flags(src);
		if (src->nquarantine)
			qsort(src->quarantine, src->nquarantine, sizeof *src->quarantine, quarantine_cmp);
	}
	return true;
}

void silver_init(Silver *s, Config *cfg)
{
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	s->general.file = cfg->data_dir;
	for (int i = 0; i < SRC_COUNT; i++)
		silver_source_setup(s, &s->src[i], (SourceId)i);
}

size_t silver_rows(const Silver *s, SourceId id)
{
	return id == SRC_CUSTOMERS ? s->ncrm : s->src[id].table.n;
}

Severity silver_worst(const Silver *s)
{
	Severity w = diag_worst(&s->general, 1);
	for (int i = 0; i < SRC_COUNT; i++) {
		Severity e = diag_worst(&s->src[i].diags, 1);
		if (e > w)
			w = e;
	}
	return w;
}

void silver_report(Buf *out, const Silver *s, Verbosity v)
{
	diag_format(out, &s->general, v);
	for (int i = 0; i < SRC_COUNT; i++)
		diag_format(out, &s->src[i].diags, v);
}
