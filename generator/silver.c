/* silver.c — bronze to silver: headers, keys, duplicates, date order, orphans, as-of. */
#include "c360.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

const SourceDef source_defs[SRC_COUNT] = {
	[SRC_CUSTOMERS] = {.name = "customers", .file = "customers.csv", .required = true, .ncols = CU_NCOLS,
			   .cols = {"customer_id", "name", "email", "gender", "dob", "location"},
			   .date_col = CU_DOB, .amount_col = -1},
	[SRC_ORDERS] = {.name = "orders", .file = "orders.csv", .required = true, .ncols = OR_NCOLS,
			.cols = {"order_id", "customer_id", "order_date", "amount", "status"},
			.date_col = OR_DATE, .amount_col = OR_AMOUNT, .category = {[OR_STATUS] = CAT_ORDER_STATUS}},
	[SRC_PAYMENTS] = {.name = "payments", .file = "payments.csv", .ncols = PA_NCOLS,
			  .cols = {"payment_id", "customer_id", "payment_date", "payment_method", "payment_status", "amount"},
			  .date_col = PA_DATE, .amount_col = PA_AMOUNT,
			  .category = {[PA_METHOD] = CAT_PAY_METHOD, [PA_STATUS] = CAT_PAY_STATUS}},
	[SRC_TICKETS] = {.name = "support_tickets", .file = "support_tickets.csv", .ncols = TI_NCOLS,
			 .cols = {"ticket_id", "customer_id", "issue_type", "ticket_date", "resolution_status"},
			 .date_col = TI_DATE, .amount_col = -1,
			 .category = {[TI_ISSUE] = CAT_ISSUE, [TI_STATUS] = CAT_TICKET_STATUS}},
	[SRC_SESSIONS] = {.name = "web_activities", .file = "web_activities.csv", .ncols = SE_NCOLS,
			  .cols = {"session_id", "customer_id", "page_viewed", "session_time", "device_type"},
			  .date_col = SE_TIME, .timestamp = true, .amount_col = -1,
			  .category = {[SE_PAGE] = CAT_PAGE, [SE_DEVICE] = CAT_DEVICE}},
};

static const size_t row_size[SRC_COUNT] = {
	sizeof(Customer), sizeof(Order), sizeof(Payment), sizeof(Ticket), sizeof(Session),
};

struct Orphan {
	uint32_t row;
	const char *id;
};

#define MEMO_MAX 65536		/* distinct raw values remembered per category column */
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

static void *table_push(Table *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->rows = xrealloc(t->rows, t->cap * t->size);
	}
	return memset(t->rows + t->n++ * t->size, 0, t->size);
}

static Str row_key(const void *ctx, uint32_t i)
{
	const RowHead *h = ROW((const Table *)ctx, RowHead, i);
	return str_make(h->id, strlen(h->id));
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
		index_set(&src->keys, str_make(h->id, strlen(h->id)), (uint32_t)i, row_key, &src->table);
	}
}

/* ---- reporting */

static void report(Source *src, DiagCode code, const BronzeRow *b, int col, Str value)
{
	int field = col >= 0 ? src->field_of[col] : -1;
	diag(&src->diags, code, b ? b->line : 0, field >= 0 ? (uint32_t)field + 1 : 0,
	     col >= 0 ? src->def->cols[col] : NULL, value.p, value.n);
}

static void quarantine(Source *src, const BronzeRow *b, DiagCode reason)
{
	if (src->nquarantine == src->capquarantine) {
		src->capquarantine = src->capquarantine ? src->capquarantine * 2 : 64;
		src->quarantine = xrealloc(src->quarantine, src->capquarantine * sizeof *src->quarantine);
	}
	src->quarantine[src->nquarantine++] = (Quarantined){b, reason};
	src->reason_count[reason - D_FIRST_REASON]++;
}

/* ---- the header */

static bool is_required(const Source *src, int col)
{
	return col == 0 || (col == 1 && src->id != SRC_CUSTOMERS);
}

static int header_column(const Source *src, const char *name)
{
	for (int c = 0; c < src->def->ncols; c++) {
		if (strcmp(name, src->def->cols[c]) == 0)
			return c;
		for (int a = 0; a < MAX_ALIASES && src->cfg->alias[src->id][c][a]; a++)
			if (strcmp(name, src->cfg->alias[src->id][c][a]) == 0)
				return c;
	}
	return -1;
}

static void read_header(Source *src, const Record *r)
{
	src->have_header = true;
	src->nheader = r->nfields;
	Buf names = {0};
	for (int c = 0; c < MAX_COLS; c++)
		src->field_of[c] = -1;
	for (uint32_t i = 0; i < r->nfields; i++) {
		char *name = config_normalise(r->fields[i]);
		int c = header_column(src, name);
		if (c >= 0 && src->field_of[c] < 0)
			src->field_of[c] = (int)i;
		else
			diag(&src->diags, c >= 0 ? D_COLUMN_DUPLICATE : D_COLUMN_UNKNOWN, r->line, i + 1, name, NULL, 0);
		buf_printf(&names, "%s%s", i ? ", " : "", name);
		free(name);
	}
	if (r->error)
		diag(&src->diags, D_NO_HEADER, r->line, r->error_col, "the header row is malformed", NULL, 0);
	for (int c = 0; c < src->def->ncols; c++) {
		if (src->field_of[c] >= 0)
			continue;
		bool required = is_required(src, c);
		src->broken |= required;
		diag(&src->diags, required ? D_COLUMN_REQUIRED : D_COLUMN_ABSENT, r->line, 0, src->def->cols[c],
		     names.p, names.len);
	}
	buf_free(&names);
}

/* ---- value rules applied to a row */

static int64_t row_when(Source *src, const BronzeRow *b, Str v, uint32_t *flags)
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
		*flags |= FLAG(D_INVALID_DATE);
		report(src, D_INVALID_DATE, b, src->def->date_col, v);
		return MOMENT_NULL;
	default:
		return MOMENT_NULL;
	}
}

static int64_t row_amount(Source *src, const BronzeRow *b, Str v, uint32_t *flags)
{
	int64_t cents;
	int st = clean_amount(v, &cents);
	if (st == AMOUNT_BAD) {
		*flags |= FLAG(D_INVALID_AMOUNT);
		report(src, D_INVALID_AMOUNT, b, src->def->amount_col, v);
	} else if (st == AMOUNT_OK && cents < 0) {
		*flags |= FLAG(D_NEGATIVE_AMOUNT);
		report(src, D_NEGATIVE_AMOUNT, b, src->def->amount_col, v);
	}
	return cents;
}

static uint32_t row_category(Source *src, const BronzeRow *b, int col, Str v, uint32_t *flags)
{
	v = str_trim(v);
	uint32_t m = dict_find(&src->memo[col], v), val;
	if (m != INDEX_NONE) {
		val = src->memo_val[col][m];
	} else {
		bool unknown;
		val = clean_category(&src->dict[col], (CatKind)src->def->category[col], v, &src->scratch, &unknown);
		val |= unknown ? UNKNOWN_BIT : 0;
		if (src->memo[col].n < MEMO_MAX) {
			m = dict_intern(&src->memo[col], v);
			src->memo_val[col] = xrealloc(src->memo_val[col], src->memo[col].cap * sizeof(uint32_t));
			src->memo_val[col][m] = val;
		}
	}
	if (val & UNKNOWN_BIT) {
		*flags |= FLAG(D_UNKNOWN_CATEGORY);
		report(src, D_UNKNOWN_CATEGORY, b, col, v);
	}
	return val & ~UNKNOWN_BIT;
}

static const char *row_title(Source *src, Str v)
{
	Str t = clean_title(v, &src->scratch);
	return t.n ? arena_strndup(&src->arena, t.p, t.n) : NULL;
}

static void clean_customer(Source *src, Customer *c, const Str *f)
{
	const BronzeRow *b = c->h.bronze;
	c->in_crm = true;
	c->name = row_title(src, f[CU_NAME]);
	c->location = row_title(src, f[CU_LOCATION]);
	c->gender = (uint8_t)clean_gender(f[CU_GENDER]);
	if (!clean_is_null(f[CU_EMAIL])) {
		if (clean_email(f[CU_EMAIL], &src->scratch)) {
			c->email = arena_strndup(&src->arena, src->scratch.p, src->scratch.len);
		} else {
			c->h.flags |= FLAG(D_INVALID_EMAIL);
			report(src, D_INVALID_EMAIL, b, CU_EMAIL, f[CU_EMAIL]);
		}
	}
}

static void clean_fact(Source *src, RowHead *h, const Str *f)
{
	const BronzeRow *b = h->bronze;
	switch (src->id) {
	case SRC_ORDERS: {
		Order *o = (Order *)h;
		o->cents = row_amount(src, b, f[OR_AMOUNT], &h->flags);
		o->status = row_category(src, b, OR_STATUS, f[OR_STATUS], &h->flags);
		break;
	}
	case SRC_PAYMENTS: {
		Payment *p = (Payment *)h;
		p->cents = row_amount(src, b, f[PA_AMOUNT], &h->flags);
		p->method = row_category(src, b, PA_METHOD, f[PA_METHOD], &h->flags);
		p->status = row_category(src, b, PA_STATUS, f[PA_STATUS], &h->flags);
		break;
	}
	case SRC_TICKETS: {
		Ticket *t = (Ticket *)h;
		t->issue = row_category(src, b, TI_ISSUE, f[TI_ISSUE], &h->flags);
		t->status = row_category(src, b, TI_STATUS, f[TI_STATUS], &h->flags);
		break;
	}
	case SRC_SESSIONS: {
		Session *s = (Session *)h;
		s->page = row_category(src, b, SE_PAGE, f[SE_PAGE], &h->flags);
		s->device = row_category(src, b, SE_DEVICE, f[SE_DEVICE], &h->flags);
		break;
	}
	default:
		break;
	}
}

static void note_orphan(Source *src, uint32_t row, Str id)
{
	if (src->norphans == src->caporphans) {
		src->caporphans = src->caporphans ? src->caporphans * 2 : 64;
		src->orphans = xrealloc(src->orphans, src->caporphans * sizeof *src->orphans);
	}
	src->orphans[src->norphans++] = (struct Orphan){row, arena_strndup(&src->arena, id.p, id.n)};
}

/* Keys and the customer reference; false when the row went to quarantine. */
static bool row_keys(Source *src, const BronzeRow *b, const Str *f, Str *id, uint32_t *customer, bool *orphan)
{
	*id = clean_id(f[0]);
	if (!id->n) {
		quarantine(src, b, D_MISSING_KEY);
		report(src, D_MISSING_KEY, b, 0, f[0]);
		return false;
	}
	if (src->id == SRC_CUSTOMERS)
		return true;
	Str cid = clean_id(f[1]);
	if (!cid.n) {
		quarantine(src, b, D_MISSING_CUSTOMER_ID);
		report(src, D_MISSING_CUSTOMER_ID, b, 1, f[1]);
		return false;
	}
	const Source *cu = src->customers;
	*customer = index_find(&cu->keys, cid, row_key, &cu->table);
	*orphan = *customer == INDEX_NONE;
	if (*orphan)
		note_orphan(src, (uint32_t)src->table.n, cid);
	return true;
}

static BronzeRow *bronze_keep(Source *src, const Record *r)
{
	BronzeRow *b = arena_alloc(&src->arena, sizeof *b + r->raw.n);
	b->line = r->line;
	b->len = (uint32_t)r->raw.n;
	memcpy(b->raw, r->raw.p, r->raw.n);
	return b;
}

static uint32_t text_flags(Source *src, const Record *r, const BronzeRow *b)
{
	uint32_t flags = 0;
	if (r->nfields != src->nheader) {
		flags |= FLAG(D_RAGGED_ROW);
		diag(&src->diags, D_RAGGED_ROW, b->line, r->nfields < src->nheader ? r->nfields + 1 : src->nheader + 1,
		     r->nfields < src->nheader ? "fewer fields than the header; padded with nulls"
					       : "more fields than the header; the extra text stays in bronze", NULL, 0);
	}
	for (unsigned t = TEXT_INVALID_UTF8; t <= TEXT_NUL; t <<= 1) {
		if (!(r->text & t))
			continue;
		DiagCode code = t == TEXT_NUL ? D_NUL_BYTE : D_INVALID_UTF8;
		flags |= FLAG(code);
		diag(&src->diags, code, b->line, r->text_col, "the row", NULL, 0);
	}
	return flags;
}

static void on_record(void *ctx, const Record *r)
{
	Source *src = ctx;
	if (!src->have_header) {
		read_header(src, r);
		return;
	}
	src->rows_read++;
	BronzeRow *b = bronze_keep(src, r);
	if (r->error || src->broken) {
		quarantine(src, b, D_MALFORMED_ROW);
		if (r->error)
			diag(&src->diags, D_MALFORMED_ROW, b->line, r->error_col,
			     r->error == REC_UNTERMINATED ? "quoted field never closed" : "stray quote in a field", NULL, 0);
		return;
	}
	Str f[MAX_COLS];
	for (int c = 0; c < MAX_COLS; c++) {
		int i = src->field_of[c];
		f[c] = i >= 0 && (uint32_t)i < r->nfields ? r->fields[i] : str_make("", 0);
	}
	Str id;
	uint32_t customer = 0;
	bool orphan = false;
	if (!row_keys(src, b, f, &id, &customer, &orphan))
		return;
	RowHead *h = table_push(&src->table);
	h->bronze = b;
	h->id = arena_strndup(&src->arena, id.p, id.n);
	h->customer = customer;
	h->flags = text_flags(src, r, b);
	h->when = row_when(src, b, f[src->def->date_col], &h->flags);
	if (src->id == SRC_CUSTOMERS)
		clean_customer(src, (Customer *)h, f);
	else
		clean_fact(src, h, f);
	uint32_t row = (uint32_t)(src->table.n - 1);
	uint32_t old = index_set(&src->keys, id, row, row_key, &src->table);
	if (old != INDEX_NONE) {
		RowHead *o = ROW(&src->table, RowHead, old);
		o->flags |= F_QUARANTINED;
		quarantine(src, o->bronze, D_DUPLICATE_KEY);
		report(src, D_DUPLICATE_KEY, o->bronze, 0, id);
	}
}

/* ---- sources */

void silver_source_init(Silver *s, Source *src, SourceId id)
{
	memset(src, 0, sizeof *src);
	src->id = id;
	src->def = &source_defs[id];
	src->cfg = s->cfg;
	src->customers = id == SRC_CUSTOMERS ? NULL : &s->src[SRC_CUSTOMERS];
	src->table.size = row_size[id];
	src->diags.file = src->def->file;
	for (int c = 0; c < src->def->ncols; c++)
		clean_category_init(&src->dict[c], (CatKind)src->def->category[c]);
	src->ingest = ingest_new(on_record, src);
}

void silver_source_feed(Silver *s, Source *src, const char *data, size_t len)
{
	(void)s;
	ingest_feed(src->ingest, data, len);
}

void silver_source_end(Silver *s, Source *src)
{
	(void)s;
	ingest_finish(src->ingest);
	src->blank_lines = ingest_blank_lines(src->ingest);
	ingest_free(src->ingest);
	src->ingest = NULL;
	src->present = true;
	if (!src->have_header)
		diag(&src->diags, src->def->required ? D_NO_HEADER : D_EMPTY_OPTIONAL, 0, 0,
		     "the file is empty: no header row", NULL, 0);
	for (int c = 0; c < MAX_COLS; c++) {
		dict_free(&src->memo[c]);
		free(src->memo_val[c]);
		src->memo_val[c] = NULL;
	}
	if (src->id == SRC_CUSTOMERS) {	/* facts look customers up by their final row number */
		table_compact(&src->table);
		reindex(src);
	}
}

static void load_file(Silver *s, Source *src)
{
	const Config *cfg = s->cfg;
	const char *name = cfg->file[src->id] ? cfg->file[src->id] : src->def->file;
	char *path = path_join(cfg->data_dir, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		DiagCode code = errno != ENOENT ? D_READ_ERROR : src->def->required ? D_FILE_MISSING : D_OPTIONAL_MISSING;
		diag(&s->general, code, 0, 0, path, NULL, 0);
		src->path = path;
		return;
	}
	silver_source_init(s, src, src->id);
	src->path = path;
	src->diags.file = path;
	enum { CHUNK = 1 << 20 };
	char *buf = xmalloc(CHUNK);
	ssize_t n;
	while ((n = read(fd, buf, CHUNK)) > 0)
		silver_source_feed(s, src, buf, (size_t)n);
	if (n < 0)
		diag(&src->diags, D_READ_ERROR, 0, 0, strerror(errno), NULL, 0);
	free(buf);
	close(fd);
	silver_source_end(s, src);
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

/* Facts whose customer is not in the CRM get an inferred customer, in source and row order. */
static void infer_customers(Silver *s)
{
	Source *cu = &s->src[SRC_CUSTOMERS];
	for (int i = SRC_ORDERS; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		for (size_t k = 0; k < src->norphans; k++) {
			const struct Orphan *o = &src->orphans[k];
			RowHead *h = ROW(&src->table, RowHead, o->row);
			if (h->flags & F_QUARANTINED)
				continue;
			Str id = str_make(o->id, strlen(o->id));
			uint32_t c = index_find(&cu->keys, id, row_key, &cu->table);
			if (c == INDEX_NONE) {
				Customer *nc = table_push(&cu->table);
				c = (uint32_t)(cu->table.n - 1);
				nc->h.id = arena_strndup(&cu->arena, id.p, id.n);
				nc->h.when = MOMENT_NULL;
				nc->h.customer = c;
				nc->gender = GENDER_UNKNOWN;
				index_set(&cu->keys, id, c, row_key, &cu->table);
			}
			h->customer = c;
			h->flags |= FLAG(D_ORPHAN_CUSTOMER);
			report(src, D_ORPHAN_CUSTOMER, h->bronze, 1, id);
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
	for (int i = SRC_ORDERS; i < SRC_COUNT; i++) {
		const Table *t = &s->src[i].table;
		for (size_t r = 0; r < t->n; r++) {
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
			bool late = day > s->as_of;
			if (!late && (i != SRC_CUSTOMERS || day >= oldest))
				continue;
			v.len = 0;
			buf_date(&v, day);
			if (i == SRC_CUSTOMERS) {
				h->when = MOMENT_NULL;
				h->flags |= FLAG(D_IMPLAUSIBLE_DOB);
				report(src, D_IMPLAUSIBLE_DOB, h->bronze, CU_DOB, str_make(v.p, v.len));
			} else {
				src->after_as_of++;
				report(src, D_AFTER_AS_OF, h->bronze, src->def->date_col, str_make(v.p, v.len));
			}
		}
	}
	buf_free(&v);
}

static int quarantine_cmp(const void *a, const void *b)
{
	uint32_t x = ((const Quarantined *)a)->bronze->line, y = ((const Quarantined *)b)->bronze->line;
	return x < y ? -1 : x > y;
}

static void count_flags(Source *src)
{
	for (size_t r = 0; r < src->table.n; r++) {
		uint32_t f = ROW(&src->table, RowHead, r)->flags;
		for (int k = 0; f && k < D_NFLAGS; k++)
			src->flag_count[k] += f >> k & 1;
	}
}

bool silver_finish(Silver *s)
{
	if (silver_worst(s) == SEV_ERROR)
		return false;
	decide_date_order(s);
	infer_customers(s);
	for (int i = SRC_ORDERS; i < SRC_COUNT; i++) {
		table_compact(&s->src[i].table);
		index_free(&s->src[i].keys);
	}
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
		qsort(src->quarantine, src->nquarantine, sizeof *src->quarantine, quarantine_cmp);
	}
	return true;
}

bool silver_load(Silver *s, Config *cfg)
{
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	s->general.file = cfg->data_dir;
	for (int i = 0; i < SRC_COUNT; i++) {
		s->src[i].id = (SourceId)i;
		s->src[i].def = &source_defs[i];
		s->src[i].table.size = row_size[i];
		s->src[i].diags.file = source_defs[i].file;
	}
	int dir = open(cfg->data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		diag(&s->general, D_NO_DATA_DIR, 0, 0, cfg->data_dir, NULL, 0);
		s->general.file = NULL;
		return false;
	}
	close(dir);
	for (int i = 0; i < SRC_COUNT; i++)
		load_file(s, &s->src[i]);
	return silver_finish(s);
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

void silver_report(Buf *out, const Silver *s, bool quiet)
{
	diag_format(out, &s->general, quiet);
	for (int i = 0; i < SRC_COUNT; i++)
		diag_format(out, &s->src[i].diags, quiet);
}

void silver_free(Silver *s)
{
	diag_free(&s->general);
	for (int i = 0; i < SRC_COUNT; i++) {
		Source *src = &s->src[i];
		ingest_free(src->ingest);
		diag_free(&src->diags);
		arena_free(&src->arena);
		free(src->table.rows);
		index_free(&src->keys);
		free(src->quarantine);
		free(src->orphans);
		free(src->path);
		for (int c = 0; c < MAX_COLS; c++) {
			dict_free(&src->dict[c]);
			dict_free(&src->memo[c]);
			free(src->memo_val[c]);
		}
		buf_free(&src->scratch);
		buf_free(&src->scratch2);
	}
}
