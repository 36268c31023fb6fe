/* gold_csv.c — the gold tables as CSV files for Power BI (schema: docs/gold-schema.md). */
#include "c360.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The bytes that make a field quoted: , " LF CR, all at or below ','. */
#define CSV_SPECIAL (1ull << ',' | 1ull << '"' | 1ull << '\n' | 1ull << '\r')

static bool csv_special(char c)
{
	return (unsigned char)c <= ',' && (CSV_SPECIAL >> (unsigned char)c & 1);
}

/* s in double quotes, each " in it doubled, after a ' inside them where apostrophe says
 * (esc_sheet_cell's mark on a formula). */
void csv_quoted(Buf *b, const char *s, size_t n, bool apostrophe)
{
	buf_putc(b, '"');
	if (apostrophe)
		buf_putc(b, '\'');
	for (const char *q; n && (q = memchr(s, '"', n)); n -= (size_t)(q + 1 - s), s = q + 1) {
		buf_put(b, s, (size_t)(q - s) + 1);
		buf_putc(b, '"');
	}
	buf_put(b, s, n);
	buf_putc(b, '"');
}

/* A field that starts with a byte-order mark is quoted: at the start of a line a reader takes the
 * mark for a file's (two exports joined by cat), and the field's text would lose it. */
static bool starts_bom(const char *s, size_t n)
{
	return n >= 3 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb && (unsigned char)s[2] == 0xbf;
}

void csv_field(Buf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (i + 8 <= n && !byte_below8(load8(s + i), ',' + 1)) {	/* 8 bytes none of which is special */
			i += 8;
			continue;
		}
		if (csv_special(s[i]))
			break;
		i++;
	}
	if (i == n && !starts_bom(s, n))
		buf_put(b, s, n);
	else
		csv_quoted(b, s, n, false);
}

/* ---- cells: each writes its separator first unless it starts the row */

static void cell_str(Buf *b, const char *s)
{
	buf_putc(b, ',');
	if (!s)
		return;
	size_t n = strcspn(s, ",\"\n\r");	/* read once when nothing is to be quoted */
	if (s[n] || starts_bom(s, n))
		csv_field(b, s, strlen(s));
	else
		buf_put(b, s, n);
}

static void cell_int(Buf *b, int64_t v)
{
	buf_putc(b, ',');
	buf_int(b, v);
}

/* Money and percentages: two decimals, plain (the one formatter without separator or currency). */
static void cell_fixed2(Buf *b, int64_t v)
{
	buf_putc(b, ',');
	if (v != KPI_NULL)
		fmt_hundredths(b, &fmt_plain, v);
}

static void cell_day(Buf *b, int64_t day)
{
	buf_putc(b, ',');
	if (day != MOMENT_NULL)
		fmt_date(b, day);
}

static void cell_bool(Buf *b, bool v)
{
	buf_puts(b, v ? ",true" : ",false");
}

static void cell_flags(Buf *b, uint32_t flags)
{
	buf_putc(b, ',');
	if (!flags)
		return;
	bool first = true;
	for (int k = 0; k < D_NFLAGS; k++) {
		if (!(flags & 1u << k))
			continue;
		if (!first)
			buf_putc(b, ';');
		buf_puts(b, diag_info[D_FIRST_FLAG + k].name);
		first = false;
	}
}

static void kpi_value(Buf *b, int kind, int64_t v)
{
	buf_putc(b, ',');
	if (v == KPI_NULL)
		return;
	if (kind == KV_COUNT)
		buf_int(b, v);
	else
		fmt_hundredths(b, &fmt_plain, v);
}

static void kpi_summary(Buf *b, const Gold *g)
{
	buf_puts(b, "as_of");
	cell_day(b, g->now.as_of);
	cell_day(b, g->week_before.as_of);
	buf_puts(b, "\nchurn_window_days");
	cell_int(b, g->churn_window_days);
	cell_int(b, g->churn_window_days);
	buf_putc(b, '\n');
	for (int k = 0; k < K_COUNT; k++) {
		buf_puts(b, kpi_defs[k].id);
		kpi_value(b, kpi_defs[k].kind, g->now.v[k]);
		kpi_value(b, kpi_defs[k].kind, g->week_before.v[k]);
		buf_putc(b, '\n');
	}
}

static void payment_split(Buf *b, const Gold *g)
{
	for (size_t i = 0; i < g->nsplit; i++) {
		const PaymentSplit *p = &g->split[i];
		const char *method = gold_label(g, SRC_PAYMENTS, PA_METHOD, p->method);
		csv_field(b, method, strlen(method));
		cell_int(b, (int64_t)p->count);
		cell_fixed2(b, p->share);
		cell_fixed2(b, p->cents);
		buf_putc(b, '\n');
	}
}

static void device_preference(Buf *b, const Gold *g)
{
	for (size_t w = 0; w < g->nweeks; w++) {
		const WeekChannels *wc = &g->weeks[w];
		for (int ch = 0; ch < CH_COUNT; ch++) {
			if (wc->days == MOMENT_NULL)
				buf_puts(b, "all,");
			else {
				buf_iso_week(b, wc->days);
				cell_day(b, wc->days);
			}
			cell_str(b, channel_label[ch]);
			cell_int(b, (int64_t)wc->n[ch]);
			cell_fixed2(b, wc->share[ch]);
			buf_putc(b, '\n');
		}
	}
}

static void customer_profile(Buf *b, const Customer *c)
{
	cell_str(b, c->name);
	cell_str(b, c->email);
	cell_str(b, gender_label[c->gender]);
	cell_day(b, fact_day(&c->h));
	cell_str(b, c->location);
	cell_bool(b, c->in_crm);
}

/* A fact table's label column as cells: each label's written once, as cell_str writes it, and
 * copied into each row that has it; not for a column of many labels (each row's then written
 * as it comes: the cells would be more memory than they save). */
typedef struct {
	Buf text;
	size_t *at;	/* label k's cell is text.p[at[k] .. at[k + 1]); NULL: none made */
} LabelCells;

#define CELLS_MAX_LABELS 4096
#define CELLS_MAX_BYTES (1u << 20)

/* What the row writers read; big tables are formatted a range of rows at a time. */
typedef struct {
	const Gold *g;
	SourceId src;
	LabelCells cells[3];	/* a fact table's, by column: of its labels and channels */
	size_t skip;		/* fact_rows: the rows before it are not written (read back: write_table) */
	int64_t after;		/* fact rows: the as-of day's last moment (the facts after it are late) */
	uint32_t at[3];		/* fact rows: where each column's value sits in a row (fact_field) */
	struct RowsKept *kept;	/* customer rows: the previous file's, where the same (NULL: none) */
} Tables;

/* The Tables of gold table t. */
static Tables tables_of(const Gold *g, int t)
{
	Tables w = {.g = g, .src = gold_tables[t].src, .after = date_last_moment(g->as_of)};
	const FactTable *ft = &fact_tables[w.src];
	for (int k = 0; k < ft->ncols; k++)
		w.at[k] = (uint32_t)source_defs[w.src].rule[ft->cols[k].col].at;
	return w;
}

/* ---- customer_360 and dim_customer, a row a customer in id order: a rebuild copies the previous
 * file's row i when what it was formatted from is what row i is formatted from now */

/* What a customer's row in either table is formatted from, hashed: the customer's row (its texts
 * by their bytes), its Customer360 record whole (calloc'd: no stray padding), the text of its
 * preferred method and its customer_key; the rest is the settings' (the binary's tables of
 * labels, the BOM), which the file's key holds. */
static FileHash customer_values(const Gold *g, uint32_t ci, Buf *b)
{
	const Customer *c = ROW(g->src[SRC_CUSTOMERS].table, Customer, ci);
	const Customer360 *x = &g->c360[ci];
	const char *text[4] = {c->name, c->email, c->location,
			       x->preferred_method == UINT32_MAX ? NULL : gold_label(g, SRC_PAYMENTS, PA_METHOD, x->preferred_method)};
	uint64_t v[8 + 4] = {c->h.idlen, (uint64_t)c->h.when, c->h.line, c->h.flags, c->gender, c->in_crm, sizeof *x,
			     g->key[ci]};
	for (int k = 0; k < 4; k++)
		v[8 + k] = text[k] ? strlen(text[k]) : UINT64_MAX;
	b->len = 0;
	buf_put(b, v, sizeof v);
	buf_put(b, x, sizeof *x);
	buf_put(b, c->h.id, c->h.idlen);
	for (int k = 0; k < 4; k++)
		if (text[k])
			buf_put(b, text[k], (size_t)v[8 + k]);
	return file_hash(b->p, b->len);
}

/* Each customer's values (customer_values), in id order: of both customer tables' rows. */
static FileHash *customer_values_all(const Gold *g)
{
	size_t n = g->src[SRC_CUSTOMERS].table->n;
	FileHash *v = xmalloc((n + 1) * sizeof *v);
	Buf b = {0};
	for (size_t i = 0; i < n; i++)
		v[i] = customer_values(g, g->order[i], &b);
	buf_free(&b);
	return v;
}

/* A customer table's rows kept: .c360-cache/rows-TABLE-customers holds, for the file the previous
 * site lists, each row's customer_values then each row's length; its input (.c360-inputs) is
 * the hash of the settings, the table and both lists, so the file read back is the one they
 * describe. */
typedef struct RowsKept {
	FileHash key;		/* the file's: rows_key */
	void (*row)(Buf *b, const Gold *g, size_t i);	/* the table's row i formatted */
	const FileHash *now;	/* each row's values now */
	const FileHash *was;	/* and in the previous file (in the cache's bytes); NULL: none */
	const uint32_t *was_len;	/* the previous file's rows' lengths, after its head */
	int fd;			/* the previous file, or -1 */
	uint32_t *len;		/* each row's bytes written now */
	uint64_t formatted;	/* rows formatted, not copied */
} RowsKept;

#define ROWS_PREFIX(t) ((t) == GT_CUSTOMER_360 ? "rows-customer_360-" : "rows-dim_customer-")
#define COPY_BYTES (1 << 16)	/* the previous file's rows copied at most so many bytes at a time */

static FileHash rows_key(FileHash salt, int t, bool bom)
{
	uint64_t v[4] = {salt.lo, salt.hi, (uint64_t)t, bom};
	return file_hash(v, sizeof v);
}

static FileHash rows_input(FileHash key, const FileHash *values, const uint32_t *len, size_t n)
{
	FileHasher *h = file_hasher_new();
	file_hasher_add(h, &key, sizeof key);
	file_hasher_add(h, values, n * sizeof *values);
	file_hasher_add(h, len, n * sizeof *len);
	return file_hasher_end(h);
}

/* The previous file of table t (name) and its rows, when the cache of site has them under k's
 * key for n customers and the previous site lists the file as made from them, whole (head bytes
 * of BOM and header, then the rows). */
static void rows_previous(RowsKept *k, const Config *cfg, const char *dir, const char *name, int t, size_t n,
			  size_t head)
{
	size_t len, want = n * (sizeof(FileHash) + sizeof(uint32_t));
	char *p = keyed_cache_load(cfg->out_dir, SRC_CUSTOMERS, ROWS_PREFIX(t), ROWS_MAGIC, ROWS_VERSION, k->key, n, want,
				   &len);
	bool whole = p && len == want;
	const FileHash *was = whole ? (const FileHash *)(void *)p : NULL;
	const uint32_t *was_len = whole ? (const uint32_t *)(void *)(p + n * sizeof(FileHash)) : NULL;
	uint64_t size = 0, rows = head;
	int fd = whole ? manifest_old_open(dir, name, rows_input(k->key, was, was_len, n), &size) : -1;
	for (size_t i = 0; fd >= 0 && i < n; i++)
		rows += was_len[i];
	if (fd >= 0 && rows == size) {
		k->was = was, k->was_len = was_len, k->fd = fd;
		return;
	}
	if (fd >= 0)
		close(fd);
	free(p);
}

/* The previous file's n bytes at off appended to b; false (b's length as it was) if they cannot
 * be read whole. */
static bool rows_copy(const RowsKept *k, uint64_t off, size_t n, Buf *b)
{
	buf_grow(b, n);
	for (size_t got = 0; got < n;) {
		ssize_t r = pread(k->fd, b->p + b->len + got, n - got, (off_t)(off + got));
		if (r <= 0 && !(r < 0 && errno == EINTR))
			return false;
		got += r > 0 ? (size_t)r : 0;
	}
	b->len += n;
	return true;
}

static bool row_same(const RowsKept *k, size_t i)
{
	return k->was[i].lo == k->now[i].lo && k->was[i].hi == k->now[i].hi;
}

/* A customer table's n rows into f in order, after its head: the previous file's rows where
 * their values are the same (a few at a time, through f's buffer: no memory the size of the
 * table), else formatted; each row's length noted. */
static void rows_stream(OutFile *f, const Gold *g, RowsKept *k, size_t n, uint64_t head)
{
	uint64_t off = head;	/* of row i in the previous file */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		uint64_t bytes = 0;
		while (j < n && row_same(k, j) && (j == i || bytes + k->was_len[j] <= COPY_BYTES))
			bytes += k->was_len[j++];
		if (j > i && rows_copy(k, off, (size_t)bytes, &f->buf)) {
			for (; i < j; i++)
				k->len[i] = k->was_len[i], off += k->was_len[i];
		} else {
			size_t was = f->buf.len;
			k->row(&f->buf, g, i);
			k->len[i] = (uint32_t)(f->buf.len - was);
			k->formatted++, off += k->was_len[i++];
		}
		out_flush_if_full(f);
	}
}

/* Rows [from, to) of a customer table formatted by row (out_rows' threads), each row's length
 * noted when kept. */
static void customer_table_rows(const Tables *w, size_t from, size_t to, Buf *b, void (*row)(Buf *b, const Gold *g, size_t i))
{
	RowsKept *k = w->kept;
	for (size_t i = from; i < to; i++) {
		size_t was = b->len;
		row(b, w->g, i);
		if (k)
			k->len[i] = (uint32_t)(b->len - was);
	}
	if (k)
		__atomic_fetch_add(&k->formatted, to - from, __ATOMIC_RELAXED);
}

static void customer_360_row(Buf *b, const Gold *g, size_t i)
{
	uint32_t ci = g->order[i];
	const Customer *c = ROW(g->src[SRC_CUSTOMERS].table, Customer, ci);
	const Customer360 *x = &g->c360[ci];
	csv_field(b, c->h.id, c->h.idlen);
	customer_profile(b, c);
	for (int f = 0; f < FIG_COUNT; f++)
		customer_360_cell(b, g, x, f);
	cell_int(b, (int64_t)g->key[ci]);	/* last: the columns before it kept their places */
	buf_putc(b, '\n');
}

void customer_360_cell(Buf *b, const Gold *g, const Customer360 *x, int f)
{
	if (f >= FIG_PAY && f < FIG_PAY + PAY_COUNT)
		cell_int(b, x->pay_by_status[f - FIG_PAY]);
	else if (f >= FIG_SESSIONS && f < FIG_SESSIONS + CH_COUNT)
		cell_int(b, x->sessions[f - FIG_SESSIONS]);
	else if (f == FIG_FIRST_ORDER || f == FIG_LAST_ORDER)
		cell_day(b, f == FIG_FIRST_ORDER ? x->first_order : x->last_order);
	else if (f == FIG_VALID_ORDERS || f == FIG_TICKETS || f == FIG_OPEN)
		cell_int(b, f == FIG_VALID_ORDERS ? x->valid_orders : f == FIG_TICKETS ? x->tickets : x->open_tickets);
	else if (f == FIG_LIFETIME || f == FIG_AVERAGE)
		cell_fixed2(b, f == FIG_LIFETIME ? x->lifetime_cents : x->average_cents);
	else if (f == FIG_METHOD)
		cell_str(b, x->preferred_method == UINT32_MAX ? NULL : gold_label(g, SRC_PAYMENTS, PA_METHOD, x->preferred_method));
	else if (f == FIG_CHANNEL)
		cell_str(b, x->preferred_channel < 0 ? NULL : channel_label[x->preferred_channel]);
	else if (f == FIG_DAYS && x->days_since_last_order == KPI_NULL)
		buf_putc(b, ',');
	else if (f == FIG_DAYS)
		cell_int(b, x->days_since_last_order);
	else if (f == FIG_ACTIVE || f == FIG_REPEAT || f == FIG_CHURN)
		cell_bool(b, f == FIG_ACTIVE ? x->active : f == FIG_REPEAT ? x->repeat : x->churn_risk);
	else
		cell_str(b, segment_defs[x->segment].label);
}

static void customer_360_rows(void *ctx, size_t from, size_t to, Buf *b)
{
	customer_table_rows(ctx, from, to, b, customer_360_row);
}

static void dim_customer_row(Buf *b, const Gold *g, size_t i)
{
	uint32_t ci = g->order[i];
	const Customer *c = ROW(g->src[SRC_CUSTOMERS].table, Customer, ci);
	buf_int(b, (int64_t)g->key[ci]);
	buf_putc(b, ',');
	csv_field(b, c->h.id, c->h.idlen);
	customer_profile(b, c);
	cell_str(b, segment_defs[g->c360[ci].segment].label);
	buf_putc(b, ',');
	if (c->in_crm)
		buf_int(b, c->h.line);
	cell_flags(b, c->h.flags);
	buf_putc(b, '\n');
}

static void dim_customer_rows(void *ctx, size_t from, size_t to, Buf *b)
{
	customer_table_rows(ctx, from, to, b, dim_customer_row);
}

static void dim_date(Buf *b, const Gold *g)
{
	static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
					     "August", "September", "October", "November", "December"};
	static const char *const days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
	for (int64_t d = g->first_week; d <= g->as_of; d++) {	/* every week a fact or a delta names, whole */
		int y, m, dd, iy, iw, wd = date_weekday(d);
		date_civil(d, &y, &m, &dd);
		date_iso_week(d, &iy, &iw);
		buf_int(b, (int64_t)y * 10000 + m * 100 + dd);
		cell_day(b, d);
		cell_int(b, y);
		cell_int(b, (m - 1) / 3 + 1);
		cell_int(b, m);
		cell_str(b, months[m - 1]);
		cell_int(b, dd);
		cell_int(b, wd);
		cell_str(b, days[wd - 1]);
		cell_int(b, iy);
		cell_int(b, iw);
		buf_putc(b, ',');
		buf_iso_week(b, d);
		cell_bool(b, wd >= 6);
		buf_putc(b, '\n');
	}
}

/* A number of a column that repeats or counts up from row to row (a fact's line), formatted
 * from the last one's text: the same text, or that text plus one. It starts
 * as 0, "0". */
typedef struct {
	uint32_t v;
	size_t n;
	char text[16];	/* two words: digit_up's */
} IntMemo;

/* One added to the digit text[i] (not a 9) by a store of the 8 bytes around it: buf_put then
 * reads the text 4 or 8 bytes at a time, and such a load of a byte just stored alone is not
 * forwarded from the store (it waits for the store to reach the cache, every fact line). */
static inline void digit_up(char *text, size_t i)
{
	size_t at = i < 8 ? 0 : 8;
	uint64_t w;
	memcpy(&w, text + at, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w += (uint64_t)1 << (i - at) * 8;
#else
	w += (uint64_t)1 << (7 - (i - at)) * 8;
#endif
	memcpy(text + at, &w, 8);
}

/* m set to v: its text plus one carried from the last digit, or v formatted. */
static void memo_set(IntMemo *m, uint32_t v)
{
	if (v && v - 1 == m->v) {
		size_t i = m->n;
		while (i && m->text[i - 1] == '9')
			m->text[--i] = '0';
		if (i)
			m->text[i - 1]++;
		else	/* 9...9 + 1: a digit more */
			m->text[0] = '1', m->text[m->n++] = '0';
	} else {
		Buf t = {.p = m->text, .cap = sizeof m->text};	/* room for any uint32_t: never grown */
		buf_int(&t, v);
		m->n = t.len;
	}
	m->v = v;
}

static inline void memo_int(Buf *b, IntMemo *m, uint32_t v)
{
	if (v != m->v) {
		if (v && v - 1 == m->v && m->text[m->n - 1] != '9')
			digit_up(m->text, m->n - 1), m->v = v;	/* the usual next line */
		else
			memo_set(m, v);
	}
	buf_put(b, m->text, m->n);
}

/* Whether a text of 4 to 16 bytes (an id, usually) has no byte at or below ',' (so nothing
 * to quote: csv_field would copy it as it is), its first and last 8 or 4 bytes read at once. */
static bool plain_short(const char *s, size_t n)
{
	uint64_t x, y;
	if (n >= 8 && n <= 16) {
		x = load8(s), y = load8(s + n - 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, z;
		memcpy(&a, s, 4), memcpy(&z, s + n - 4, 4);
		x = y = (uint64_t)a << 32 | z;
	} else {
		return false;
	}
	return !(byte_below8(x, ',' + 1) | byte_below8(y, ',' + 1));
}

/* The columns every fact starts with: id, customer_key, date_key and the date (or moment; a
 * timestamp's day alone, F_DATE_ONLY, as the date). */
static void fact_head(Buf *b, const RowHead *h, const char (*key_text)[16], bool timestamp)
{
	if (plain_short(h->id, h->idlen) && !starts_bom(h->id, h->idlen))
		buf_put(b, h->id, h->idlen);
	else
		csv_field(b, h->id, h->idlen);
	buf_putc(b, ',');
	buf_put(b, key_text[h->customer], (size_t)key_text[h->customer][15]);
	buf_putc(b, ',');
	if (h->when == MOMENT_NULL) {
		buf_putc(b, ',');
		return;
	}
	if (b->cap - b->len < 9 + DATE_TEXT_MAX)
		buf_grow(b, 9 + DATE_TEXT_MAX);
	char *o = b->p + b->len, *text = o + 9;	/* the moment written in place, its date_key before */
	size_t n = fmt_moment(text, h->when, timestamp && !(h->flags & F_DATE_ONLY));	/* a day alone as a date */
	memcpy(o, text, 4), memcpy(o + 4, text + 5, 2), memcpy(o + 6, text + 8, 2), o[8] = ',';
	b->len += 9 + n;
}

static bool is_label(const FactCol *fc)
{
	return fc->kind == FC_LABEL || fc->kind == FC_CHANNEL;
}

/* The cells of the fact table's label columns, for every label of their dictionaries. */
static void label_cells(Tables *w)
{
	const FactTable *ft = &fact_tables[w->src];
	for (int k = 0; k < ft->ncols; k++) {
		const FactCol *fc = &ft->cols[k];
		if (!is_label(fc))
			continue;
		const Dict *d = &w->g->src[w->src].dict[fc->col];
		if (d->n > CELLS_MAX_LABELS || (d->n && d->at[d->n] > CELLS_MAX_BYTES))
			continue;
		LabelCells *c = &w->cells[k];
		c->at = xmalloc(((size_t)d->n + 1) * sizeof *c->at);
		for (uint32_t v = 0; v < d->n; v++) {
			c->at[v] = c->text.len;
			cell_str(&c->text, fc->kind == FC_CHANNEL ? channel_label[device_channel(v)] : dict_label(d, v));
		}
		c->at[d->n] = c->text.len;
	}
}

static void label_cells_free(Tables *w)
{
	for (int k = 0; k < 3; k++) {
		buf_free(&w->cells[k].text);
		free(w->cells[k].at);
	}
}

/* A fact column's cell, by the fact table's description. */
static void fact_cell(Buf *b, const Tables *w, int k, const RowHead *h)
{
	const FactCol *fc = &fact_tables[w->src].cols[k];
	if (w->cells[k].at) {
		const size_t *at = w->cells[k].at + *(const uint32_t *)(const void *)((const char *)h + w->at[k]);
		buf_put(b, w->cells[k].text.p + at[0], at[1] - at[0]);
		return;
	}
	FactValue v = gold_fact_value(w->g, w->src, fc, h);
	if (v.kind == FV_MONEY)
		cell_fixed2(b, v.cents);
	else if (v.kind == FV_TEXT)
		cell_str(b, v.text);
	else
		cell_bool(b, v.yes);
}

/* Each fact of rows [from, to) dated up to the as-of date (those after it are in no figure, so
 * in no fact table), as fn puts it. */
static void fact_each(const Tables *w, size_t from, size_t to, Buf *b,
		      void (*fn)(Buf *b, const Tables *w, const RowHead *h))
{
	const Table *t = w->g->src[w->src].table;
	for (size_t i = from; i < to; i++)
		if (!fact_after(ROW(t, RowHead, i), w->after))
			fn(b, w, ROW(t, RowHead, i));
}

static void fact_line(Buf *b, const Tables *w, const RowHead *h, IntMemo *line)
{
	const FactTable *ft = &fact_tables[w->src];
	fact_head(b, h, w->g->key_text, source_defs[w->src].timestamp);
	for (int k = 0; k < ft->ncols; k++)
		fact_cell(b, w, k, h);
	buf_putc(b, ',');
	memo_int(b, line, h->line);
	cell_flags(b, h->flags);
	buf_putc(b, '\n');
}

static void fact_rows(void *ctx, size_t from, size_t to, Buf *b)
{
	const Tables *w = ctx;
	const Table *t = w->g->src[w->src].table;
	IntMemo line = {0, 1, "0"};	/* fact_each's rows with a memo */
	for (size_t i = w->skip + from; i < w->skip + to; i++)
		if (!fact_after(ROW(t, RowHead, i), w->after))
			fact_line(b, w, ROW(t, RowHead, i), &line);
}

static void quarantined_rows(Buf *b, const char *source, const Quarantined *q, size_t n, Buf *clean)
{
	for (size_t k = 0; k < n; k++) {
		buf_puts(b, source);
		cell_int(b, q[k].line);
		if (q[k].note) {	/* "excluded: " and the SELECT's reason: a formula's = never starts the cell */
			clean->len = 0;
			buf_puts(clean, QUARANTINE_NOTE_PREFIX);
			buf_puts(clean, q[k].note);
			cell_str(b, buf_cstr(clean));
		} else {
			cell_str(b, diag_info[q[k].reason].name);
		}
		buf_putc(b, ',');
		const char *raw = q[k].raw;
		size_t len = q[k].rawlen;
		if (utf8_sanitize(raw, len, clean))
			raw = clean->p, len = clean->len;
		csv_field(b, raw, len);
		buf_putc(b, '\n');
	}
}

/* The sources' quarantined rows, then those of the files read as SQL tables. */
static void quarantine(Buf *b, const Gold *g)
{
	Buf clean = {0};
	for (int i = 0; i < SRC_COUNT; i++)
		quarantined_rows(b, source_defs[i].name, g->quality[i].quarantine, g->quality[i].nquarantine, &clean);
	for (size_t i = 0; i < g->ntables; i++)
		quarantined_rows(b, g->tables[i].name, g->tables[i].quarantine, g->tables[i].nquarantine, &clean);
	buf_free(&clean);
}

static void quality_csv(Buf *b, const Gold *g)
{
	quality_table(b, g->quality, g->tables, g->ntables);
}

/* The writer of each gold table: a small one in one piece, a big one a range of rows at a time. */
static const struct {
	void (*whole)(Buf *b, const Gold *g);
	void (*rows)(void *ctx, size_t from, size_t to, Buf *b);
} writers[GT_COUNT] = {
	[GT_KPI_SUMMARY] = {kpi_summary, NULL}, [GT_PAYMENT_SPLIT] = {payment_split, NULL},
	[GT_DEVICES] = {device_preference, NULL}, [GT_CUSTOMER_360] = {NULL, customer_360_rows},
	[GT_DIM_CUSTOMER] = {NULL, dim_customer_rows}, [GT_DIM_DATE] = {dim_date, NULL},
	[GT_FACT_ORDERS] = {NULL, fact_rows}, [GT_FACT_PAYMENTS] = {NULL, fact_rows},
	[GT_FACT_TICKETS] = {NULL, fact_rows}, [GT_FACT_SESSIONS] = {NULL, fact_rows},
	[GT_QUARANTINE] = {quarantine, NULL}, [GT_DATA_QUALITY] = {quality_csv, NULL},
};

static void header(Buf *b, int table)
{
	const char *cols[GOLD_MAX_COLS];
	int n = gold_columns(table, cols);
	for (int c = 0; c < n; c++)
		buf_printf(b, "%s%s", c ? "," : "", cols[c]);
	buf_putc(b, '\n');
}

/* ---- what a fact table is made from, hashed without formatting it: a rebuild links the
 * previous site's table when it is the same (most of a rebuild's gold bytes are sessions) */

/* A row as fact_line writes it, as the values it formats: id, customer_key, moment,
 * line, flags, and each column's amount, rule or label number (the labels' texts are hashed by
 * fact_input, in number order). */
static void fact_values(Buf *b, const Tables *w, const RowHead *h)
{
	const Gold *g = w->g;
	SourceId src = w->src;
	const FactTable *ft = &fact_tables[src];
	uint64_t v[5 + 3] = {h->idlen, g->key[h->customer], (uint64_t)h->when, h->line, h->flags};
	size_t k = 5;
	for (int c = 0; c < ft->ncols; c++) {
		const FactCol *fc = &ft->cols[c];
		const void *at = fact_field(h, src, fc->col);
		v[k++] = fc->kind == FC_MONEY ? (uint64_t)*(const int64_t *)at
		       : fc->kind == FC_RULE ? fc->rule(h) : *(const uint32_t *)at;
	}
	buf_put(b, v, k * sizeof *v);
	buf_put(b, h->id, h->idlen);
}

static void fact_row_input(void *ctx, size_t from, size_t to, Buf *b)
{
	fact_each(ctx, from, to, b, fact_values);
}

/* Fact table t's input: the settings' salt (c360 itself among them), the table, the BOM, the
 * texts of the labels its columns name by number, and its rows: key, the source's rows key when
 * known (silver_read.c's rows_keys: the rows, customer_keys and as-of date it names are
 * what fact_values reads), else (zero) the rows hashed. */
static FileHash fact_input(const Gold *g, const Config *cfg, int t, FileHash salt, FileHash key)
{
	Tables w = tables_of(g, t);
	const FactTable *ft = &fact_tables[w.src];
	FileHasher *h = file_hasher_new();
	file_hasher_add(h, &salt, sizeof salt);
	file_hasher_add(h, &t, sizeof t);
	file_hasher_add(h, &cfg->gold_bom, sizeof cfg->gold_bom);
	for (int k = 0; k < ft->ncols; k++) {
		const Dict *d = &g->src[w.src].dict[ft->cols[k].col];
		file_hasher_add(h, &d->n, sizeof d->n);
		if (d->n && (ft->cols[k].kind == FC_LABEL || ft->cols[k].kind == FC_CHANNEL)) {
			file_hasher_add(h, d->at, ((size_t)d->n + 1) * sizeof *d->at);
			file_hasher_add(h, d->text, d->at[d->n]);
		}
	}
	bool keyed = key.lo | key.hi;
	FileHash rows = keyed ? key : out_rows_hash(g->src[w.src].table->n, fact_row_input, &w, config_threads(cfg));
	file_hasher_add(h, &keyed, sizeof keyed);
	file_hasher_add(h, &rows, sizeof rows);
	return file_hasher_end(h);
}

/* Gold table t into dir's file name. A fact table whose source grew (only rows appended:
 * g->grown_from) begins with the previous site's file when that was made from input before
 * (fact_input of the rows the previous build had, grown_key: the same rows, customer_keys
 * and as-of date, label texts and settings, so the same bytes): only the rows after them are
 * formatted. */
static bool write_table(const Gold *g, const Config *cfg, const char *dir, int t, const char *name, FileHash before,
			RowsKept *kept, uint64_t *formatted, Buf *err)
{
	OutFile f;
	if (!out_open(&f, dir, name, err))
		return false;
	Tables w = tables_of(g, t);
	bool grown = (before.lo | before.hi) && out_old_bytes(&f, dir, name, before);
	if (grown)
		w.skip = g->grown_from[w.src];
	buf_puts(&f.buf, cfg->gold_bom && !grown ? UTF8_BOM : "");
	if (!grown)
		header(&f.buf, t);
	uint64_t head = f.buf.len;	/* a customer table's previous file: its rows after as many bytes */
	if (kept)
		rows_previous(kept, cfg, dir, name, t, g->src[SRC_CUSTOMERS].table->n, head);
	w.kept = kept;
	if (writers[t].rows == fact_rows)
		label_cells(&w);
	if (writers[t].whole)
		writers[t].whole(&f.buf, g);
	else if (kept && kept->was)
		rows_stream(&f, g, kept, g->src[SRC_CUSTOMERS].table->n, head);
	else
		out_rows(&f, g->src[w.src].table->n - w.skip, writers[t].rows, &w, config_threads(cfg));
	label_cells_free(&w);
	if (writers[t].rows == fact_rows)
		formatted[w.src] += g->src[w.src].table->n - w.skip;
	return out_close(&f, err);
}

static bool by_rows(int t)
{
	return t == GT_CUSTOMER_360 || t == GT_DIM_CUSTOMER;
}

/* Customer table t (name) written, with kept's values of its rows: from the previous file's rows
 * where they are the same (rows_previous), listed as made from them and their lengths, which go
 * to the staging folder's cache for the next build. */
static bool write_customer_table(const Gold *g, const Config *cfg, const char *dir, int t, const char *name,
				 RowsKept *kept, FileHash salt, uint64_t *formatted, Buf *err)
{
	size_t n = g->src[SRC_CUSTOMERS].table->n;
	FileHash key = kept->key = rows_key(salt, t, cfg->gold_bom);
	kept->row = t == GT_CUSTOMER_360 ? customer_360_row : dim_customer_row;
	kept->was = NULL, kept->was_len = NULL, kept->fd = -1, kept->formatted = 0;
	kept->len = xmalloc((n + 1) * sizeof *kept->len);
	bool ok = write_table(g, cfg, dir, t, name, (FileHash){0, 0}, kept, formatted, err);
	if (ok) {
		manifest_page_made(dir, name, rows_input(key, kept->now, kept->len, n));
		char *cache = path_join(dir, CACHE_DIR);
		struct stat st;
		if (lstat(cache, &st) == 0 && S_ISDIR(st.st_mode))
			keyed_cache_save(dir, SRC_CUSTOMERS, ROWS_PREFIX(t), ROWS_MAGIC, ROWS_VERSION, key, n, kept->now,
					 n * sizeof *kept->now, kept->len, n * sizeof *kept->len);
		free(cache);
		console_note("%s rows formatted: %llu of %zu", gold_tables[t].name, (unsigned long long)kept->formatted, n);
	}
	if (kept->fd >= 0)
		close(kept->fd);
	free((void *)kept->was), free(kept->len);
	return ok;
}

bool gold_write(const Gold *g, const Config *cfg, const char *dir, Buf *err)
{
	if (!out_mkdir(dir, "gold", err))
		return false;
	bool incremental = manifest_active(dir), ok = true;
	FileHash salt = incremental ? manifest_settings(cfg) : (FileHash){0, 0};
	uint64_t formatted[SRC_COUNT] = {0};	/* fact rows formatted, not kept or read back */
	RowsKept kept = {0};	/* the customer tables': each row's values, for both */
	for (int t = 0; ok && t < GT_COUNT; t++) {
		bool by_input = incremental && writers[t].rows == fact_rows;
		SourceId src = gold_tables[t].src;
		FileHash none = {0, 0}, input = by_input ? fact_input(g, cfg, t, salt, g->rows_key[src]) : none;
		Buf name = {0};
		buf_printf(&name, "gold/%s.csv", gold_tables[t].name);
		if (incremental && by_rows(t)) {
			if (!kept.now)
				kept.now = customer_values_all(g);
			ok = write_customer_table(g, cfg, dir, t, buf_cstr(&name), &kept, salt, formatted, err);
		} else if (!by_input || !manifest_file_kept(dir, buf_cstr(&name), input)) {
			bool grown = by_input && g->grown_from[src] && (g->rows_key[src].lo | g->rows_key[src].hi);
			ok = write_table(g, cfg, dir, t, buf_cstr(&name), grown ? fact_input(g, cfg, t, salt, g->grown_key[src]) : none,
					 NULL, formatted, err);
			if (ok && by_input)
				manifest_page_made(dir, buf_cstr(&name), input);
		}
		buf_free(&name);
	}
	free((void *)kept.now);
	if (ok)
		console_counts("gold fact rows formatted", formatted);
	return ok;
}
