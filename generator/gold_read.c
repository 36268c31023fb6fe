/* gold_read.c — a gold folder read back into the model: the tables of docs/gold-schema.md as
 * c360 writes them, or as Spark does (a folder of part-*.csv files per table, each with its
 * header). Every value is checked; a problem is named by file, line and column. */
#include "c360.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_SLICE (1u << 20)	/* bytes read at a time */
#define LABEL_CACHE 64		/* labels of a column remembered */

/* What the model owns when it was read from files. */
struct GoldStore {
	Arena arena;		/* ids, names, raw rows */
	Table table[SRC_COUNT];
	Dict dict[SRC_COUNT][MAX_COLS];
	Dict methods;		/* payment methods as payment_mode_split and customer_360 name them */
	uint64_t *keys;		/* dim_customer's customer_key by row, and their index */
	size_t keycap;
	Index key_rows;
	Quarantined *quarantine[SRC_COUNT];
	FlagExamples examples[SRC_COUNT];	/* each flag's first rows, from the tables (flag_examples) */
	Quarantined **table_quarantine;	/* per g->tables entry: the SQL tables' quarantined rows */
	size_t ntables;
	Diags **diags;		/* one per file read */
	size_t ndiags;
	uint32_t kpi_line[K_COUNT], kpi_field[2];	/* where kpi_summary has each KPI, its value and previous_week */
	/* where each customer_360 row was read: its line, and its file's problems and columns */
	struct C360At {
		uint32_t line, file;
	} *c360_at;
	struct C360File {
		Diags *d;
		uint32_t field[FIG_COUNT];	/* from 1; 0: the file lacks it */
	} *c360_file;
	uint32_t nc360_files;
	int threads;		/* a fact table's file is read in up to this many chunks */
	size_t chunk_min;	/* ... of at least this many bytes */
};

/* What reading a table told: its rows, the kpi_summary rows there were, where to report the
 * rows it lacks (its last file's problems); the problems of each file read, and its ids, names
 * and texts, till the store takes them. */
typedef struct {
	size_t rows;
	uint64_t seen;
	Diags *diags;
	Diags **files;
	size_t nfiles;
	Arena arena;
} TableRead;

/* One table being read, and the row in hand. */
typedef struct Reader Reader;
struct Reader {
	Gold *g;
	GoldStore *st;
	const char *name;	/* "fact_orders" */
	const char *cols[GOLD_MAX_COLS];	/* the columns it must have */
	int ncols;
	int optional;		/* but this one, if >= 0: customer_360's customer_key, which gold of an earlier c360 lacks */
	void (*row)(Reader *r);
	SourceId src;		/* a fact table's source */
	Table *table;		/* the rows it adds: the store's, or a chunk's */
	bool lent;		/* ... lent to the chunk by the store's table, not its own */
	Dict *dict;		/* ... their labels by column */
	Arena *arena;		/* ... their ids and texts */
	Diags *d;		/* of the file being read, or of a chunk of it */
	TableRead *read;	/* what reading the table tells */
	bool have_header, broken;
	int field_of[GOLD_MAX_COLS];
	const Record *rec;
	Str f[GOLD_MAX_COLS];	/* the row's cells, by column */
	size_t n;		/* rows read, over all parts */
	uint64_t seen;		/* kpi_summary: the rows there were */
	uint32_t seen_label[3][LABEL_CACHE];	/* a fact's label columns: labels seen, by a hash */
	Index ids;		/* dim_customer: the ids read, to the row of each */
	bool misplaced;		/* customer_360: a row before was not its customer's */
	Buf scratch;
};

/* ---- cells and their values: a bad one is reported where it stands */

static void bad(Reader *r, DiagCode code, int c)
{
	int field = r->field_of[c];
	diag(r->d, code, r->rec->line, field >= 0 ? (uint32_t)field + 1 : 0, r->cols[c], r->f[c].p, r->f[c].n);
}

static bool empty(const Reader *r, int c)
{
	return r->f[c].n == 0;
}

static bool digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

/* An integer of at most 18 digits, with a minus sign or none; false if s is not one. */
static bool parse_int(Str s, int64_t *v)
{
	size_t neg = s.n && s.p[0] == '-';
	bool ok = s.n > neg && s.n - neg <= 18;
	int64_t u = 0;
	for (size_t i = neg; ok && i < s.n; i++) {
		unsigned d = (unsigned)(unsigned char)s.p[i] - '0';
		ok = d <= 9;
		u = u * 10 + d;
	}
	*v = neg ? -u : u;
	return ok;
}

static int64_t get_int(Reader *r, int c, bool null_ok)
{
	int64_t v;
	if (!r->f[c].n && null_ok)
		return KPI_NULL;
	if (!parse_int(r->f[c], &v)) {
		bad(r, D_GOLD_INT, c);
		return 0;
	}
	return v;
}

/* A number with at most two decimals, in hundredths. */
static int64_t get_cents(Reader *r, int c, bool null_ok)
{
	Str s = r->f[c];
	if (!s.n && null_ok)
		return KPI_NULL;
	bool neg = s.n && s.p[0] == '-';
	const char *dot = memchr(s.p, '.', s.n);
	size_t whole = dot ? (size_t)(dot - s.p) - neg : s.n - neg, frac = dot ? s.n - (size_t)(dot + 1 - s.p) : 0;
	if (!digits(s.p + neg, whole) || whole > 16 || (dot && (frac < 1 || frac > 2 || !digits(dot + 1, frac)))) {
		bad(r, D_GOLD_DECIMAL, c);
		return 0;
	}
	int64_t v = 0;
	for (size_t i = neg; i < neg + whole; i++)
		v = v * 10 + (s.p[i] - '0');
	v = v * 100 + (frac ? (dot[1] - '0') * 10 : 0) + (frac == 2 ? dot[2] - '0' : 0);
	return neg ? -v : v;
}

/* HH:MM:SS[.fff][Z|±HH:MM|±HHMM] after a date, in seconds of UTC; false if it is not one. */
static bool time_of_day(const char *p, size_t n, int64_t *secs)
{
	if (n < 8 || !digits(p, 2) || p[2] != ':' || !digits(p + 3, 2) || p[5] != ':' || !digits(p + 6, 2))
		return false;
	int h = (p[0] - '0') * 10 + p[1] - '0', m = (p[3] - '0') * 10 + p[4] - '0', s = (p[6] - '0') * 10 + p[7] - '0';
	size_t i = 8;
	if (i < n && p[i] == '.')
		for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			;
	int off = 0;
	if (i < n && p[i] == 'Z') {
		i++;
	} else if (i < n && (p[i] == '+' || p[i] == '-')) {
		const char *o = p + i + 1;
		size_t len = n - i - 1;
		bool colon = len == 5 && o[2] == ':';
		if (!(len == 4 || colon) || !digits(o, 2) || !digits(o + 2 + colon, 2))
			return false;
		off = ((o[0] - '0') * 10 + o[1] - '0') * 3600 + ((o[2 + colon] - '0') * 10 + o[3 + colon] - '0') * 60;
		off = p[i] == '-' ? -off : off;
		i = n;
	}
	if (i != n || h > 23 || m > 59 || s > 60)
		return false;
	*secs = h * 3600 + m * 60 + s - off;
	return true;
}

/* The value of n digits at p (n <= 4); -1 if they are not all digits. */
static int number(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + p[i] - '0';
	}
	return v;
}

/* A date YYYY-MM-DD as the day it is, or with time a date and a time of day (seconds of UTC
 * after its midnight, *secs; negative or past a day when its offset moves it to another day).
 * MOMENT_NULL if empty. */
static int64_t get_date_time(Reader *r, int c, bool time, int64_t *secs)
{
	Str s = r->f[c];
	*secs = 0;
	if (!s.n)
		return MOMENT_NULL;
	int y = -1, m = -1, d = -1;
	if (s.n >= 10 && s.p[4] == '-' && s.p[7] == '-')
		y = number(s.p, 4), m = number(s.p + 5, 2), d = number(s.p + 8, 2);
	bool ok = y >= 0 && m >= 0 && d >= 0 && date_valid(y, m, d);
	if (ok && s.n > 10)
		ok = time && (s.p[10] == ' ' || s.p[10] == 'T') && time_of_day(s.p + 11, s.n - 11, secs);
	if (!ok) {
		bad(r, D_GOLD_DATE, c);
		return MOMENT_NULL;
	}
	return date_days(y, m, d);
}

/* A date (a moment at midnight), or with time a date and a time of day; MOMENT_NULL if empty. */
static int64_t get_moment(Reader *r, int c, bool time)
{
	int64_t secs, days = get_date_time(r, c, time, &secs);
	return days == MOMENT_NULL ? MOMENT_NULL : days * SECS_PER_DAY + secs;
}

static int64_t get_day(Reader *r, int c)
{
	int64_t m = get_moment(r, c, false);
	return m == MOMENT_NULL ? MOMENT_NULL : m / SECS_PER_DAY;
}

static bool get_bool(Reader *r, int c)
{
	if (str_eq(r->f[c], "true"))
		return true;
	if (!str_eq(r->f[c], "false"))
		bad(r, D_GOLD_BOOL, c);
	return false;
}

/* The place of the cell's text among names; -1 (reported unless empty and null_ok) if none. */
static int get_name(Reader *r, int c, const char *const *names, int n, bool null_ok)
{
	for (int i = 0; i < n; i++)
		if (names[i] && str_eq(r->f[c], names[i]))
			return i;
	if (!(null_ok && empty(r, c)))
		bad(r, D_GOLD_NAME, c);
	return -1;
}

static const char *get_text(Reader *r, int c)
{
	return empty(r, c) ? NULL : arena_strndup(r->arena, r->f[c].p, r->f[c].n);
}

static uint32_t get_flags(Reader *r, int c)
{
	uint32_t flags = 0;
	for (const char *p = r->f[c].p, *end = p + r->f[c].n; p < end;) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		Str name = str_make(p, (size_t)((semi ? semi : end) - p));
		int k = 0;
		while (k < D_NFLAGS && !str_eq(name, diag_info[D_FIRST_FLAG + k].name))
			k++;
		if (k == D_NFLAGS) {
			bad(r, D_GOLD_NAME, c);
			return flags;
		}
		flags |= 1u << k;
		p = semi ? semi + 1 : end;
	}
	return flags;
}

/* A rule the row must agree with: reported on column c when it does not. */
static void agree(Reader *r, bool ok, int c)
{
	if (!ok)
		bad(r, D_GOLD_RULE, c);
}

/* A customer_key as a key of the index: its 8 bytes. */
static Str key_str(uint64_t *key)
{
	return str_make((const char *)key, sizeof *key);
}

/* A customer_key: a whole number of 1 to CUSTOMER_KEY_MAX (0 if it is not one: said). */
static uint64_t get_key(Reader *r, int c)
{
	int64_t key;
	if (!parse_int(r->f[c], &key) || key < 1 || (uint64_t)key > CUSTOMER_KEY_MAX) {
		bad(r, D_GOLD_KEY, c);
		return 0;
	}
	return (uint64_t)key;
}

/* A fact's customer_key: the row of dim_customer it names. */
static uint32_t get_customer(Reader *r, int c)
{
	uint64_t key = get_key(r, c);
	uint32_t row = key ? index_find(&r->st->key_rows, key_str(&key), customer_key_str, r->st->keys) : INDEX_NONE;
	if (row != INDEX_NONE)
		return row;
	if (key)
		bad(r, D_GOLD_REF, c);
	return 0;
}

/* Room in t for n rows in all. */
static void reserve(Table *t, size_t n)
{
	if (n <= t->cap)
		return;
	size_t cap = t->cap ? t->cap : 1024;
	while (cap < n)
		cap *= 2;
	t->rows = big_realloc(t->rows, t->cap * t->size, cap * t->size);
	t->cap = cap;
}

/* Gives t rows of its own, a copy of the ones it was lent. */
static void own_rows(Table *t)
{
	char *rows = big_alloc(t->cap * t->size);
	memcpy(rows, t->rows, t->n * t->size);
	t->rows = rows;
}

/* A new row of the reader's table, zeroed. A chunk that outgrows the rows lent to it (its
 * predecessor's record ran into it, or the file grew) goes on with rows of its own. */
static void *push(Reader *r)
{
	Table *t = r->table;
	if (r->lent && t->n == t->cap) {
		own_rows(t);
		r->lent = false;
	}
	reserve(t, t->n + 1);
	return memset(t->rows + t->n++ * t->size, 0, t->size);
}

/* ---- the customers: dim_customer.csv, then customer_360.csv row for row */

enum { DC_KEY, DC_ID, DC_NAME, DC_EMAIL, DC_GENDER, DC_DOB, DC_LOCATION, DC_IN_CRM, DC_SEGMENT, DC_LINE, DC_FLAGS };

static Str customer_id_of(const void *ctx, uint32_t row)
{
	const RowHead *h = &ROW((const Table *)ctx, Customer, row)->h;
	return str_make(h->id, h->idlen);
}

static void dim_customer_row(Reader *r)
{
	Customer *c = push(r);
	uint32_t row = (uint32_t)r->table->n - 1;
	GoldStore *st = r->st;
	if (row >= st->keycap)
		st->keys = xrealloc(st->keys, (st->keycap = 2 * row + 1024) * sizeof *st->keys);
	st->keys[row] = get_key(r, DC_KEY);
	if (st->keys[row] && index_set(&st->key_rows, key_str(&st->keys[row]), row, customer_key_str, st->keys) != INDEX_NONE)
		bad(r, D_GOLD_TWICE, DC_KEY);	/* a fact's key would name two customers */
	c->h.id = arena_strndup(r->arena, r->f[DC_ID].p, r->f[DC_ID].n);
	c->h.idlen = (uint32_t)r->f[DC_ID].n;
	if (!c->h.idlen)
		bad(r, D_GOLD_NAME, DC_ID);
	else if (index_set(&r->ids, customer_id_of(r->table, (uint32_t)r->table->n - 1), (uint32_t)r->table->n - 1,
			   customer_id_of, r->table) != INDEX_NONE)
		bad(r, D_GOLD_TWICE, DC_ID);	/* two customers would be one page, one key of Power BI's */
	c->name = get_text(r, DC_NAME);
	c->email = get_text(r, DC_EMAIL);
	int gender = get_name(r, DC_GENDER, gender_label, GENDER_UNKNOWN + 1, false);
	c->gender = (uint8_t)(gender < 0 ? GENDER_UNKNOWN : gender);
	c->h.when = get_moment(r, DC_DOB, false);
	c->location = get_text(r, DC_LOCATION);
	c->in_crm = get_bool(r, DC_IN_CRM);
	int64_t line = get_int(r, DC_LINE, true);
	c->h.line = line == KPI_NULL || line < 0 || line > UINT32_MAX ? 0 : (uint32_t)line;
	c->h.flags = get_flags(r, DC_FLAGS);
	c->h.customer = NO_CUSTOMER;
	r->g->ncrm += c->in_crm;
}

enum {
	CC_ID, CC_NAME, CC_EMAIL, CC_GENDER, CC_DOB, CC_LOCATION, CC_IN_CRM, CC_FIRST, CC_LAST, CC_ORDERS, CC_LIFETIME,
	CC_AVERAGE, CC_PAY, CC_METHOD = CC_PAY + PAY_COUNT, CC_TICKETS, CC_OPEN, CC_SESSIONS,
	CC_CHANNEL = CC_SESSIONS + CH_COUNT, CC_DAYS, CC_ACTIVE, CC_REPEAT, CC_CHURN, CC_SEGMENT, CC_KEY
};
_Static_assert(CC_SEGMENT - CC_FIRST == FIG_SEGMENT && CC_KEY - CC_FIRST == FIG_COUNT, "customer_360's figures");

/* Whether dim_customer's row k has the id s. */
static bool dim_id_is(const Table *dim, size_t k, Str s)
{
	const RowHead *h = &ROW(dim, Customer, k)->h;
	return s.n == h->idlen && memcmp(s.p, h->id, s.n) == 0;
}

/* customer_360's rows are dim_customer's, in its order. The first row out of place says what it
 * is: a repeat (of the row before, or beyond dim_customer's rows of any: looked up once), a
 * customer dim_customer lacks (beyond them), else a disagreement, as every row after it. */
static void customer_360_row(Reader *r)
{
	const Table *dim = &r->st->table[SRC_CUSTOMERS];
	Str id = r->f[CC_ID];
	if (r->n >= dim->n || !dim_id_is(dim, r->n, id)) {
		bool first = !r->misplaced, beyond = r->n >= dim->n, twice = first && !beyond && r->n &&
										  dim_id_is(dim, r->n - 1, id);
		for (size_t k = 0; first && beyond && !twice && k < dim->n; k++)
			twice = dim_id_is(dim, k, id);	/* every row before matched dim's: a repeat */
		bad(r, twice ? D_GOLD_TWICE : first && beyond ? D_GOLD_REF : D_GOLD_RULE, CC_ID);
		r->misplaced = true;	/* the rows after it are out of place: said to disagree */
		return;
	}
	GoldStore *st = r->st;
	if (r->field_of[CC_KEY] >= 0 && st->keys[r->n]) {	/* dim_customer's, where the file has the column */
		uint64_t key = get_key(r, CC_KEY);
		if (key && key != st->keys[r->n])
			bad(r, D_GOLD_RULE, CC_KEY);
	}
	if (!st->nc360_files || st->c360_file[st->nc360_files - 1].d != r->d) {
		st->c360_file = xrealloc(st->c360_file, (st->nc360_files + 1) * sizeof *st->c360_file);
		struct C360File *file = &st->c360_file[st->nc360_files++];
		file->d = r->d;
		for (int f = 0; f < FIG_COUNT; f++)
			file->field[f] = (uint32_t)(r->field_of[CC_FIRST + f] + 1);
	}
	st->c360_at[r->n] = (struct C360At){r->rec->line, st->nc360_files - 1};
	Customer360 *x = &r->g->c360[r->n];
	x->first_order = get_day(r, CC_FIRST);
	x->last_order = get_day(r, CC_LAST);
	x->valid_orders = (uint32_t)get_int(r, CC_ORDERS, false);
	x->lifetime_cents = get_cents(r, CC_LIFETIME, false);
	x->average_cents = get_cents(r, CC_AVERAGE, true);
	for (int k = 0; k < PAY_COUNT; k++)
		x->pay_by_status[k] = (uint32_t)get_int(r, CC_PAY + k, false);
	x->preferred_method = empty(r, CC_METHOD) ? UINT32_MAX : dict_intern(&r->st->methods, r->f[CC_METHOD]);
	x->tickets = (uint32_t)get_int(r, CC_TICKETS, false);
	x->open_tickets = (uint32_t)get_int(r, CC_OPEN, false);
	for (int ch = 0; ch < CH_COUNT; ch++)
		x->sessions[ch] = (uint32_t)get_int(r, CC_SESSIONS + ch, false);
	x->preferred_channel = get_name(r, CC_CHANNEL, channel_label, CH_COUNT, true);
	x->days_since_last_order = get_int(r, CC_DAYS, true);
	x->active = get_bool(r, CC_ACTIVE);
	x->repeat = get_bool(r, CC_REPEAT);
	x->churn_risk = get_bool(r, CC_CHURN);
	const char *segments[SEG_COUNT];
	for (int seg = 0; seg < SEG_COUNT; seg++)
		segments[seg] = segment_defs[seg].label;
	int seg = get_name(r, CC_SEGMENT, segments, SEG_COUNT, false);
	x->segment = seg < 0 ? SEG_PROSPECTS : seg;
}

/* ---- the facts: id, customer_key, date_key, the date, the table's own columns, line, flags */

/* A fact's id, customer and date; its date_key must be that date (in UTC) as YYYYMMDD, empty
 * when there is none. */
static void fact_head(Reader *r, RowHead *h)
{
	h->id = arena_strndup(r->arena, r->f[0].p, r->f[0].n);
	h->idlen = (uint32_t)r->f[0].n;
	if (!h->idlen)
		bad(r, D_GOLD_NAME, 0);
	h->customer = get_customer(r, 1);
	int64_t secs, days = get_date_time(r, 3, source_defs[r->src].timestamp, &secs);
	h->when = days == MOMENT_NULL ? MOMENT_NULL : days * SECS_PER_DAY + secs;
	Str key = r->f[2], day = r->f[3];
	bool ok = key.n == 0 && h->when == MOMENT_NULL;
	if (h->when != MOMENT_NULL && key.n == 8 && digits(key.p, 8)) {
		if (secs >= 0 && secs < SECS_PER_DAY) {	/* in UTC the day written */
			ok = memcmp(key.p, day.p, 4) == 0 && memcmp(key.p + 4, day.p + 5, 2) == 0 &&
			     memcmp(key.p + 6, day.p + 8, 2) == 0;
		} else {
			int y, m, d;
			date_civil(date_floor_day(h->when), &y, &m, &d);
			ok = number(key.p, 4) == y && number(key.p + 4, 2) == m && number(key.p + 6, 2) == d;
		}
	}
	agree(r, ok, 2);
}

/* The number of the label in column 4 + k among col's labels. A column has few labels: the
 * number is remembered by a hash of the label's length and three of its bytes, and is the
 * label's when the label it numbers is the same text. */
static uint32_t get_label(Reader *r, int k, int col)
{
	Str s = r->f[4 + k];
	unsigned h = s.n ? (unsigned)s.n * 31 + (unsigned char)s.p[0] * 7 + (unsigned char)s.p[s.n / 2] * 3 +
				   (unsigned char)s.p[s.n - 1] : 0;
	uint32_t *seen = &r->seen_label[k][h % LABEL_CACHE];
	if (*seen < r->dict[col].n) {
		Str label = dict_str(&r->dict[col], *seen);
		if (label.n == s.n && memcmp(label.p, s.p, s.n) == 0)
			return *seen;
	}
	return *seen = dict_intern(&r->dict[col], s);
}

static void fact_row(Reader *r)
{
	const FactTable *ft = &fact_tables[r->src];
	RowHead *h = push(r);
	fact_head(r, h);
	for (int k = 0; k < ft->ncols; k++) {	/* the table's own columns: 4, 5, ... */
		const FactCol *fc = &ft->cols[k];
		if (fc->kind == FC_MONEY) {
			int64_t cents = get_cents(r, 4 + k, true);
			*(int64_t *)fact_field(h, r->src, fc->col) = cents == KPI_NULL ? AMOUNT_NULL : cents;
		} else if (fc->kind == FC_LABEL) {
			*(uint32_t *)fact_field(h, r->src, fc->col) = get_label(r, k, fc->col);
		}
	}
	for (int k = 0; k < ft->ncols; k++) {	/* the derived ones, once the others are in */
		const FactCol *fc = &ft->cols[k];
		if (fc->kind == FC_RULE)
			agree(r, get_bool(r, 4 + k) == fc->rule(h), 4 + k);
		else if (fc->kind == FC_CHANNEL)
			agree(r, str_eq(r->f[4 + k], gold_fact_value(r->g, r->src, fc, h).text), 4 + k);
	}
	int64_t line = get_int(r, 4 + ft->ncols, false);
	h->line = line < 0 || line > UINT32_MAX ? 0 : (uint32_t)line;
	h->flags = get_flags(r, 5 + ft->ncols);
	if (source_defs[r->src].timestamp && r->f[3].n == 10)	/* a date alone: the export gave no time */
		h->flags |= F_DATE_ONLY;
}

/* ---- the ready-made figures */

static void kpi_summary_row(Reader *r)
{
	Gold *g = r->g;
	if (str_eq(r->f[0], "as_of")) {
		r->seen |= 1ull << K_COUNT;
		g->as_of = get_day(r, 1);
		Buf week = {0};	/* A - 7 as written: before 1900 when A is in its first week, as no other date is */
		if (g->as_of != MOMENT_NULL)
			fmt_date(&week, g->as_of - 7);
		agree(r, g->as_of != MOMENT_NULL && str_eq(r->f[2], buf_cstr(&week)), 2);
		buf_free(&week);
		return;
	}
	if (str_eq(r->f[0], "churn_window_days")) {
		r->seen |= 1ull << (K_COUNT + 1);
		int64_t w = get_int(r, 1, false);
		agree(r, w >= 1 && w <= 3650 && get_int(r, 2, false) == w, 1);
		g->churn_window_days = (int)w;
		return;
	}
	int k = 0;
	while (k < K_COUNT && !str_eq(r->f[0], kpi_defs[k].id))
		k++;
	if (k == K_COUNT) {
		bad(r, D_GOLD_NAME, 0);
		return;
	}
	r->seen |= 1ull << k;
	r->st->kpi_line[k] = r->rec->line;
	for (int c = 0; c < 2; c++)
		r->st->kpi_field[c] = r->field_of[c + 1] >= 0 ? (uint32_t)r->field_of[c + 1] + 1 : 0;
	bool count = kpi_defs[k].kind == KV_COUNT;
	g->now.v[k] = count ? get_int(r, 1, true) : get_cents(r, 1, true);
	g->week_before.v[k] = count ? get_int(r, 2, true) : get_cents(r, 2, true);
}

static void payment_split_row(Reader *r)
{
	Gold *g = r->g;
	g->split = xrealloc(g->split, (g->nsplit + 1) * sizeof *g->split);
	PaymentSplit *p = &g->split[g->nsplit++];
	p->method = dict_intern(&r->st->methods, r->f[0]);
	p->count = (uint64_t)get_int(r, 1, false);
	p->share = get_cents(r, 2, true);
	p->cents = get_cents(r, 3, false);
}

static void device_row(Reader *r)
{
	Gold *g = r->g;
	bool all = str_eq(r->f[0], "all");
	int64_t monday = all ? MOMENT_NULL : get_day(r, 1);
	if (!g->nweeks || g->weeks[g->nweeks - 1].days != monday || (all && g->nweeks > 1)) {
		g->weeks = xrealloc(g->weeks, (g->nweeks + 1) * sizeof *g->weeks);
		g->weeks[g->nweeks++] = (WeekChannels){.days = monday, .share = {KPI_NULL, KPI_NULL, KPI_NULL}};
	}
	agree(r, all == (g->nweeks == 1), 0);
	if (!all) {
		Buf *b = &r->scratch;
		b->len = 0;
		if (monday != MOMENT_NULL)
			buf_iso_week(b, monday);
		agree(r, monday != MOMENT_NULL && date_weekday(monday) == 1 && str_eq(r->f[0], buf_cstr(b)), 0);
	}
	int ch = get_name(r, 2, channel_label, CH_COUNT, false);
	if (ch < 0)
		return;
	g->weeks[g->nweeks - 1].n[ch] = (uint64_t)get_int(r, 3, false);
	g->weeks[g->nweeks - 1].share[ch] = get_cents(r, 4, true);
}

static void dim_date_row(Reader *r)
{
	int64_t day = get_day(r, 1);
	if (r->n == 0)
		r->g->first_day = day;
}

/* ---- quarantine and data quality */

/* The source a row names, -1 for a file read as a SQL table (any other name). */
static int source_of(Reader *r, int c)
{
	for (int i = 0; i < SRC_COUNT; i++)
		if (str_eq(r->f[c], source_defs[i].name))
			return i;
	if (empty(r, c))
		bad(r, D_GOLD_NAME, c);
	return -1;
}

/* The SQL table a row names, added the first time. */
static size_t table_of(Reader *r, int c)
{
	Gold *g = r->g;
	for (size_t i = 0; i < g->ntables; i++)
		if (str_eq(r->f[c], g->tables[i].name))
			return i;
	g->tables = xrealloc(g->tables, (g->ntables + 1) * sizeof *g->tables);
	r->st->table_quarantine = xrealloc(r->st->table_quarantine, (g->ntables + 1) * sizeof *r->st->table_quarantine);
	r->st->table_quarantine[g->ntables] = NULL;
	r->st->ntables = g->ntables + 1;
	const char *name = arena_strndup(r->arena, r->f[c].p, r->f[c].n);
	g->tables[g->ntables] = (TableQuality){.name = name, .file = name};
	return g->ntables++;
}

/* Appends q to *list of *n rows, grown at powers of two. */
static void quarantine_push(Quarantined **list, size_t *n, Quarantined q)
{
	if ((*n & (*n - 1)) == 0)
		*list = xrealloc(*list, (*n ? *n * 2 : 1) * sizeof **list);
	(*list)[(*n)++] = q;
}

static void quarantine_row(Reader *r)
{
	int src = source_of(r, 0);
	const char *reasons[D_NREASONS];
	for (int k = 0; k < D_NREASONS; k++)
		reasons[k] = diag_info[D_FIRST_REASON + k].name;
	static const char prefix[] = QUARANTINE_NOTE_PREFIX;	/* a [sql] _quarantine's reason after it */
	const char *note = NULL;
	int reason;
	if (r->f[2].n > sizeof prefix - 1 && memcmp(r->f[2].p, prefix, sizeof prefix - 1) == 0) {
		reason = D_EXCLUDED - D_FIRST_REASON;
		note = arena_strndup(r->arena, r->f[2].p + sizeof prefix - 1, r->f[2].n - (sizeof prefix - 1));
	} else {
		reasons[D_EXCLUDED - D_FIRST_REASON] = NULL;	/* "excluded" alone: no reason */
		reason = get_name(r, 2, reasons, D_NREASONS, false);
	}
	int64_t line = get_int(r, 1, false);
	if (reason < 0 || empty(r, 0))
		return;
	GoldStore *st = r->st;
	Quarantined q = {arena_strndup(r->arena, r->f[3].p, r->f[3].n), (uint32_t)r->f[3].n,
			 line < 0 || line > UINT32_MAX ? 0 : (uint32_t)line, (DiagCode)(D_FIRST_REASON + reason), note};
	if (src >= 0) {
		SourceQuality *m = &r->g->quality[src];
		quarantine_push(&st->quarantine[src], &m->nquarantine, q);
		m->quarantine = st->quarantine[src];
	} else {
		size_t t = table_of(r, 0);
		TableQuality *m = &r->g->tables[t];
		quarantine_push(&st->table_quarantine[t], &m->nquarantine, q);
		m->quarantine = st->table_quarantine[t];
	}
}

/* A count of data_quality.csv: *to, from the value column. */
static void dq_count(Reader *r, uint64_t *to)
{
	int64_t v = get_int(r, 3, false);
	*to = v < 0 ? 0 : (uint64_t)v;
}

/* An item naming one of a catalogue's codes: its count. */
static void dq_coded(Reader *r, uint64_t *counts, DiagCode first, int n)
{
	const char *names[D_NFLAGS];
	for (int k = 0; k < n; k++)
		names[k] = diag_info[first + k].name;
	int k = get_name(r, 2, names, n, false);
	if (k >= 0)
		dq_count(r, &counts[k]);
}

/* A measure of a file read as a SQL table. */
static void table_quality_row(Reader *r)
{
	if (empty(r, 0))
		return;
	size_t k = table_of(r, 0);	/* it may move the tables */
	TableQuality *t = &r->g->tables[k];
	Str m = r->f[1];
	if (str_eq(m, "status")) {
		int st = get_name(r, 3, source_status_name, STATUS_COUNT, false);
		t->status = st < 0 ? STATUS_MISSING : (SourceStatus)st;
		t->file = get_text(r, 4);
		t->file = t->file ? t->file : t->name;
	} else if (str_eq(m, "rows_read") || str_eq(m, "blank_lines") || str_eq(m, "table_rows")) {
		dq_count(r, str_eq(m, "rows_read") ? &t->rows_read : str_eq(m, "blank_lines") ? &t->blank_lines
													 : &t->table_rows);
	} else if (!str_eq(m, "quarantined_rows") && !str_eq(m, "conservation")) {	/* both follow from the rest */
		bad(r, D_GOLD_NAME, 1);
	}
}

static void data_quality_row(Reader *r)
{
	int src = source_of(r, 0);
	if (src < 0) {
		table_quality_row(r);
		return;
	}
	SourceQuality *q = &r->g->quality[src];
	Str m = r->f[1];
	if (str_eq(m, "status")) {
		int st = get_name(r, 3, source_status_name, STATUS_COUNT, false);
		q->status = st < 0 ? STATUS_MISSING : (SourceStatus)st;
		const char *file = get_text(r, 4);	/* none: another engine's may not name one */
		q->file = file ? file : q->status == STATUS_NONE ? NO_FILE : source_defs[src].file;
	} else if (str_eq(m, "rows_read") || str_eq(m, "blank_lines") || str_eq(m, "skipped_lines") ||
		   str_eq(m, "silver_rows") || str_eq(m, "inferred_customers") || str_eq(m, "after_as_of_rows")) {
		dq_count(r, str_eq(m, "rows_read") ? &q->rows_read : str_eq(m, "blank_lines") ? &q->blank_lines
			 : str_eq(m, "skipped_lines") ? &q->skipped_lines : str_eq(m, "silver_rows") ? &q->silver_rows
			 : str_eq(m, "inferred_customers") ? &q->inferred : &q->after_as_of);
		if (str_eq(m, "inferred_customers"))	/* dim_customer's customers not from the CRM */
			agree(r, q->inferred == r->st->table[SRC_CUSTOMERS].n - r->g->ncrm, 3);
	} else if (str_eq(m, "quarantined_rows")) {	/* in all, then by reason */
		if (r->f[2].n)
			dq_coded(r, q->reason, D_FIRST_REASON, D_NREASONS);
		else
			dq_count(r, &q->quarantined_rows);
	} else if (str_eq(m, "flagged_rows")) {	/* with any flag, then by flag */
		if (r->f[2].n)
			dq_coded(r, q->flag, D_FIRST_FLAG, D_NFLAGS);
		else
			dq_count(r, &q->flagged_rows);
	} else if (str_eq(m, "date_order")) {
		int u = DATES_UNIX;	/* an order, or what dates that have none are, or none at all */
		while (u < DATES_COUNT && !str_eq(r->f[3], unordered_name[u]))
			u++;
		q->unordered = u < DATES_COUNT ? u : DATES_ORDERED;
		int o = q->unordered ? ORDER_DAY_FIRST : get_name(r, 3, order_name, 2, false);
		q->order = o < 0 ? ORDER_DAY_FIRST : (DateOrder)o;
	} else if (str_eq(m, "date_basis")) {	/* empty where the column is absent: nothing decided */
		int b = q->unordered == DATES_ABSENT && empty(r, 3) ? BASIS_CONFIG : get_name(r, 3, basis_name, 4, false);
		q->basis = b < 0 ? BASIS_CONFIG : (OrderBasis)b;
	} else if (str_eq(m, "date_evidence")) {
		int e = get_name(r, 2, evidence_name, 3, false);
		if (e >= 0)
			dq_count(r, e == EVIDENCE_NONE ? &q->ambiguous : &q->evidence[e]);
	} else if (str_eq(m, "warning")) {	/* a file's, in the order said */
		const char *names[D_COUNT];
		for (int k = 0; k < D_COUNT; k++)
			names[k] = diag_info[k].sev == SEV_WARNING && !diag_row_level((DiagCode)k) ? diag_info[k].name : NULL;
		int k = get_name(r, 2, names, D_COUNT, false);
		int64_t line = get_int(r, 3, true);	/* empty: none (0, not a number, said by get_int) */
		if (line != KPI_NULL && (line < 0 || line > UINT32_MAX))
			bad(r, D_GOLD_INT, 3);
		const char *text = get_text(r, 4);
		if (k >= 0)
			quality_warning_add(q, names[k], line > 0 && line <= UINT32_MAX ? (uint32_t)line : 0, text ? text : "");
	} else if (!str_eq(m, "conservation")) {	/* conservation follows from the counts */
		bad(r, D_GOLD_NAME, 1);
	}
}

/* ---- reading a table: its header, then its rows, from one file or a folder of parts */

static void read_header(Reader *r, const Record *rec)
{
	Buf names = {0};
	for (int c = 0; c < r->ncols; c++)
		r->field_of[c] = -1;
	if (rec->cut) {	/* the columns past the limit could not be read: not "missing" */
		diag(r->d, D_NO_HEADER, rec->line, FIELDS_MAX + 1, HEADER_CUT_MESSAGE, NULL, 0);
		r->broken = true;
		return;
	}
	for (uint32_t i = 0; i < rec->nfields; i++) {
		char *name = config_normalise(rec->fields[i]);
		int c = 0;
		while (c < r->ncols && strcmp(name, r->cols[c]) != 0)
			c++;
		if (c < r->ncols && r->field_of[c] < 0)
			r->field_of[c] = (int)i;
		else
			diag(r->d, c < r->ncols ? D_COLUMN_DUPLICATE : D_COLUMN_UNKNOWN, rec->line, i + 1, name, NULL, 0);
		buf_printf(&names, "%s%s", i ? ", " : "", name);
		free(name);
	}
	for (int c = 0; c < r->ncols; c++)
		if (r->field_of[c] < 0 && c != r->optional) {
			diag(r->d, D_COLUMN_REQUIRED, rec->line, 0, r->cols[c], names.p, names.len);
			r->broken = true;
		}
	buf_free(&names);
}

static void on_record(void *ctx, const Record *rec)
{
	Reader *r = ctx;
	if (!r->have_header) {
		r->have_header = true;
		read_header(r, rec);
		return;
	}
	if (r->broken)
		return;
	if (rec->error) {
		diag(r->d, D_READ_ERROR, rec->line, rec->error_col,
		     rec->error == REC_UNTERMINATED ? "a quoted field never closed" : "a stray quote in a field", NULL, 0);
		return;
	}
	for (int c = 0; c < r->ncols; c++) {
		int i = r->field_of[c];
		r->f[c] = (uint32_t)i < rec->nfields ? rec->fields[i] : str_make("", 0);	/* exact: gold is as written */
	}
	r->rec = rec;
	r->row(r);
	r->n++;
}

static Diags *new_diags(Reader *r, const char *file)
{
	TableRead *t = r->read;
	t->files = xrealloc(t->files, (t->nfiles + 1) * sizeof *t->files);
	Diags *d = t->files[t->nfiles++] = xcalloc(1, sizeof *d);
	d->file = arena_strndup(r->arena, file, strlen(file));
	return d;
}

/* Reads from fd at offset at into slice, retrying an interrupted read: the bytes read, 0 at
 * the end, -1 (errno set) on an error. */
static ssize_t read_at(int fd, char *slice, size_t want, uint64_t at)
{
	ssize_t n;
	while ((n = pread(fd, slice, want, (off_t)at)) < 0 && errno == EINTR)
		;
	return n;
}

/* Feeds bytes [from, to) of fd to in, or from on to the file's end; returns 0 or an errno. */
static int feed_range(Ingest *in, int fd, char *slice, uint64_t from, uint64_t to)
{
	while (from < to) {
		ssize_t n = read_at(fd, slice, to - from < READ_SLICE ? (size_t)(to - from) : READ_SLICE, from);
		if (n <= 0)
			return n < 0 ? errno : 0;
		ingest_feed(in, slice, (size_t)n);
		from += (uint64_t)n;
	}
	return 0;
}

/* Feeds fd to in line by line until the reader has its header; returns the offset after it. */
static uint64_t feed_header(Reader *r, Ingest *in, int fd, char *slice, int *err)
{
	uint64_t at = 0;
	size_t have = 0, pos = 0;
	while (!r->have_header) {
		if (pos == have) {
			ssize_t n = read_at(fd, slice, READ_SLICE, at);
			if (n <= 0) {
				*err = n < 0 ? errno : 0;
				break;
			}
			have = (size_t)n, pos = 0;
		}
		const char *nl = memchr(slice + pos, '\n', have - pos);
		size_t len = nl ? (size_t)(nl - slice) + 1 - pos : have - pos;
		ingest_feed(in, slice + pos, len);
		pos += len, at += len;
	}
	return at;
}

/* The offset after the first line end at or after at (end if there is none). */
static uint64_t next_line(int fd, char *slice, uint64_t at, uint64_t end)
{
	while (at < end) {
		ssize_t n = read_at(fd, slice, end - at < 4096 ? (size_t)(end - at) : 4096, at);
		if (n <= 0)
			return end;
		const char *nl = memchr(slice, '\n', (size_t)n);
		if (nl)
			return at + (uint64_t)(nl - slice) + 1;
		at += (uint64_t)n;
	}
	return end;
}

/* ---- a fact table's file in chunks read by threads, merged in file order */

/* The line ends among n bytes at p, eight at a time: a zero byte of v ^ "\n\n..." is one. */
static size_t line_ends(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;
	size_t lines = 0, i = 0;
	while (i + 8 <= n) {
		uint64_t sum = 0;	/* a count in each byte, each under 256 */
		for (int k = 0; k < 255 && i + 8 <= n; k++, i += 8) {
			uint64_t v;
			memcpy(&v, p + i, 8);
			v ^= ones * '\n';
			sum += (~(((v & low7) + low7) | v) & ~low7) >> 7;	/* 1 in each zero byte */
		}
		for (; sum; sum >>= 8)
			lines += sum & 0xff;
	}
	for (; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

/* The line ends in bytes [from, to) of fd. */
static size_t count_lines(int fd, char *slice, uint64_t from, uint64_t to)
{
	size_t lines = 0;
	ssize_t n;
	for (; from < to; from += (uint64_t)n) {
		if ((n = read_at(fd, slice, to - from < READ_SLICE ? (size_t)(to - from) : READ_SLICE, from)) <= 0)
			break;
		lines += line_ends(slice, (size_t)n);
	}
	return lines;
}

typedef struct {
	Reader r;		/* a copy of the file's reader, with its own: */
	Table table;		/* rows, lent by the table read into (see push) */
	Dict dict[MAX_COLS];
	Arena arena;
	Diags diags;
	Ingest *in;
	char *slice;
	int fd, err;
	uint64_t from, to;	/* the bytes it reads; to UINT64_MAX: to the end */
	size_t lent_at;		/* the first row lent to it */
	pthread_t thread;
	bool running;
} Chunk;

static void init_dicts(Dict *dict, SourceId src)
{
	for (int c = 0; c < source_defs[src].ncols; c++)
		clean_category_init(&dict[c], source_defs[src].rule[c].category);
}

static void *chunk_read(void *arg)
{
	Chunk *c = arg;
	c->err = feed_range(c->in, c->fd, c->slice, c->from, c->to);
	return NULL;
}

/* A chunk after the first reads with its own labels and problems, and the file's header. */
static void start_chunk(const Reader *r, const Ingest *first, int fd, Chunk *c)
{
	c->r = *r;
	c->r.scratch = (Buf){0};
	c->r.n = 0;
	c->r.table = &c->table;
	init_dicts(c->dict, r->src);
	c->r.dict = c->dict;
	c->r.arena = &c->arena;
	c->diags.file = r->d->file;
	c->r.d = &c->diags;
	c->in = ingest_new(on_record, &c->r);
	ingest_continue(c->in, first);
	c->slice = xmalloc(READ_SLICE);
	c->fd = fd;
	c->running = pthread_create(&c->thread, NULL, chunk_read, c) == 0;
	if (!c->running)
		chunk_read(c);
}

/* Lends each chunk of bytes [at, size) of fd rows of t, one per line there (and the last
 * chunk one more, for a last line without a line end), in file order. */
static void lend_rows(Table *t, Chunk *ch, size_t n, int fd, char *slice, uint64_t size)
{
	size_t room = 0;
	for (size_t k = 0; k < n; k++) {
		size_t lines = count_lines(fd, slice, ch[k].from, k + 1 < n ? ch[k].to : size) + (k + 1 == n);
		ch[k].table = (Table){.cap = lines, .size = t->size};
		room += lines;
	}
	reserve(t, t->n + room);
	for (size_t k = 0, row = t->n; k < n; row += ch[k++].table.cap) {
		ch[k].lent_at = row;
		ch[k].table.rows = t->rows + row * t->size;
		ch[k].r.lent = true;
	}
}

/* Moves chunk k's rows to the end of t's: lent ones are there or move down, own ones are
 * copied. A later chunk lent rows they now cover gets rows of its own first. */
static void place_rows(Table *t, Chunk *ch, size_t k, size_t good)
{
	Table *rows = &ch[k].table;
	size_t end = t->n + rows->n;
	for (size_t j = k + 1; j < good; j++)
		if (ch[j].r.lent && ch[j].lent_at < end) {
			own_rows(&ch[j].table);
			ch[j].r.lent = false;
		}
	reserve(t, end);
	char *to = t->rows + t->n * t->size;
	if (rows->n && rows->rows != to)
		memmove(to, rows->rows, rows->n * t->size);
	if (!ch[k].r.lent)
		big_free(rows->rows, rows->cap * rows->size);
	*rows = (Table){0};
	ch[k].r.lent = true;	/* nothing left to free */
	t->n = end;
}

/* Adds a chunk's rows to the reader's, its labels numbered as reading the file in one piece
 * would have; its problems with their lines shifted by offset. */
static void merge_chunk(Reader *r, Chunk *ch, size_t k, size_t good, uint32_t offset)
{
	const FactTable *ft = &fact_tables[r->src];
	Chunk *c = &ch[k];
	uint32_t *map[3] = {0};
	for (int i = 0; i < ft->ncols; i++) {
		const Dict *d = &c->dict[ft->cols[i].col];
		if (ft->cols[i].kind != FC_LABEL)
			continue;
		map[i] = xmalloc((d->n + 1) * sizeof *map[i]);
		for (uint32_t l = 0; l < d->n; l++)
			map[i][l] = dict_intern(&r->dict[ft->cols[i].col], dict_str(d, l));
	}
	Table *t = r->table;
	size_t first = t->n;
	place_rows(t, ch, k, good);
	for (size_t row = first; row < t->n; row++)
		for (int i = 0; i < ft->ncols; i++)
			if (map[i]) {
				uint32_t *label = fact_field(ROW(t, RowHead, row), r->src, ft->cols[i].col);
				*label = map[i][*label];
			}
	r->n += c->r.n;
	diag_merge(r->d, &c->diags, offset);
	arena_adopt(r->arena, &c->arena);
	for (int i = 0; i < ft->ncols; i++)
		free(map[i]);
}

static void chunk_free(Chunk *c)
{
	ingest_free(c->in);
	free(c->slice);
	buf_free(&c->r.scratch);
	if (!c->r.lent)
		big_free(c->table.rows, c->table.cap * c->table.size);
	for (int col = 0; col < MAX_COLS; col++)
		dict_free(&c->dict[col]);
	arena_free(&c->arena);
	diag_free(&c->diags);
}

/* Reads bytes [at, the end) of a fact table's file: split at line ends into up to one chunk
 * per thread, the first read by in, the others by threads, each into rows lent to it by the
 * reader's table, so that they need no copy. A chunk whose predecessor ended inside a record
 * (a quoted line end) began inside it: it and those after it are dropped, and the predecessor
 * reads on to the end. Returns 0 or an errno. */
static int read_chunked(Reader *r, Ingest *in, int fd, char *slice, uint64_t at, uint64_t size)
{
	size_t n = (size > at ? size - at : 0) / (r->st->chunk_min ? r->st->chunk_min : 1);
	n = n < 1 ? 1 : n > (size_t)r->st->threads ? (size_t)r->st->threads : n;
	Chunk *ch = xcalloc(n, sizeof *ch);	/* [0]: the reader's own, only its rows */
	ch[0].from = at, ch[n - 1].to = UINT64_MAX;
	for (size_t k = 1; k < n; k++) {
		ch[k].from = next_line(fd, slice, at + (size - at) / n * k, size);
		ch[k].from = ch[k].from < ch[k - 1].from ? ch[k - 1].from : ch[k].from;
		ch[k - 1].to = ch[k].from;
	}
	Table *t = r->table;
	lend_rows(t, ch, n, fd, slice, size);
	r->table = &ch[0].table, r->lent = true;
	for (size_t k = 1; k < n; k++)
		start_chunk(r, in, fd, &ch[k]);
	int err = feed_range(in, fd, slice, at, ch[0].to);
	for (size_t k = 1; k < n; k++)
		if (ch[k].running)
			pthread_join(ch[k].thread, NULL);
	size_t good = 1;
	for (Ingest *last = in; good < n && !ingest_open(last);)
		last = ch[good++].in;
	if (good < n && !err)
		err = feed_range(good > 1 ? ch[good - 1].in : in, fd, slice, ch[good].from, UINT64_MAX);
	for (size_t k = 1; k < good; k++)
		ingest_finish(ch[k].in);
	ch[0].r.lent = r->lent;
	r->table = t, r->lent = false;
	place_rows(t, ch, 0, good);
	uint32_t offset = ingest_lines(in);
	for (size_t k = 1; k < n; k++) {
		if (k < good) {
			merge_chunk(r, ch, k, good, offset);
			offset += ingest_lines(ch[k].in);
			err = err ? err : ch[k].err;
		}
		chunk_free(&ch[k]);
	}
	free(ch);
	return err;
}

/* Reads one file through the reader, its header first. A part file may be empty (Spark
 * writes none or an empty one for an empty partition); a table's only file may not. */
static void read_part(Reader *r, const char *path, bool part)
{
	r->d = new_diags(r, path);
	r->have_header = r->broken = false;
	const char *why;
	int fd = open_regular(path, &why), err = 0;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		diag(r->d, D_READ_ERROR, 0, 0, fd < 0 ? why : strerror(errno), NULL, 0);
		if (fd >= 0)
			close(fd);
		return;
	}
	Ingest *in = ingest_new(on_record, r);
	char *slice = xmalloc(READ_SLICE);
	uint64_t at = feed_header(r, in, fd, slice, &err);
	if (!err && r->have_header && r->row == fact_row && !r->broken)
		err = read_chunked(r, in, fd, slice, at, (uint64_t)st.st_size);
	else if (!err)
		err = feed_range(in, fd, slice, at, UINT64_MAX);
	if (err)
		diag(r->d, D_READ_ERROR, 0, 0, strerror(err), NULL, 0);
	ingest_finish(in);
	ingest_free(in);
	free(slice);
	close(fd);
	if (!r->have_header && !err && (st.st_size || !part))
		diag(r->d, D_NO_HEADER, 0, 0, "the file is empty: no header row", NULL, 0);
}

/* A table is DIR/NAME.csv, or a folder DIR/NAME.csv/ or DIR/NAME/ of part-* files (Spark's
 * _SUCCESS, .crc and other files beside them are not read); parts are read in name order. */
static void read_table(Reader *r, const char *dir)
{
	char file[64];
	snprintf(file, sizeof file, "%s.csv", r->name);
	char *path = path_join(dir, file);
	if (!is_dir(path)) {
		char *bare = path_join(dir, r->name);
		if (is_dir(bare))
			free(path), path = bare;
		else
			free(bare);
	}
	if (!is_dir(path)) {
		if (access(path, F_OK) == 0)
			read_part(r, path, false);
		else
			diag(r->d = new_diags(r, path), D_FILE_MISSING, 0, 0, NULL, NULL, 0);
		free(path);
		return;
	}
	size_t n, parts = 0, headers = 0;
	Buf err = {0};
	char **names = dir_list(path, NULL, &n, &err);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (strncmp(names[i], "part-", 5) == 0 && (len < 4 || strcmp(names[i] + len - 4, ".crc") != 0)) {
			char *part = path_join(path, names[i]);
			read_part(r, part, true);
			free(part);
			parts++;
			headers += r->have_header;
		}
		free(names[i]);
	}
	free(names);
	if (!parts)
		diag(r->d = new_diags(r, path), err.len ? D_READ_ERROR : D_GOLD_NO_PARTS, 0, 0, strerror(ENOENT), NULL, 0);
	else if (!headers)
		diag(r->d = new_diags(r, path), D_NO_HEADER, 0, 0, "every part is empty: no header row", NULL, 0);
	buf_free(&err);
	free(path);
}

/* ---- the whole folder */

static void (*const row_reader[GT_COUNT])(Reader *r) = {
	[GT_KPI_SUMMARY] = kpi_summary_row, [GT_PAYMENT_SPLIT] = payment_split_row, [GT_DEVICES] = device_row,
	[GT_CUSTOMER_360] = customer_360_row, [GT_DIM_CUSTOMER] = dim_customer_row, [GT_DIM_DATE] = dim_date_row,
	[GT_FACT_ORDERS] = fact_row, [GT_FACT_PAYMENTS] = fact_row, [GT_FACT_TICKETS] = fact_row,
	[GT_FACT_SESSIONS] = fact_row, [GT_QUARANTINE] = quarantine_row, [GT_DATA_QUALITY] = data_quality_row,
};

static void read_one(Gold *g, const char *dir, int t, TableRead *out)
{
	GoldStore *st = g->store;
	SourceId src = gold_tables[t].src;
	Reader r = {.g = g, .st = st, .name = gold_tables[t].name, .row = row_reader[t], .src = src,
		    .table = &st->table[src], .dict = st->dict[src], .arena = &out->arena, .read = out};
	r.ncols = gold_columns(t, r.cols);
	r.optional = t == GT_CUSTOMER_360 ? CC_KEY : -1;
	read_table(&r, dir);
	index_free(&r.ids);
	buf_free(&r.scratch);
	out->rows = r.n, out->seen = r.seen, out->diags = r.d;
}

/* The tables read beside the facts: those that share no rows, labels or names with them. */
typedef struct {
	Gold *g;
	const char *dir;
	TableRead *read;
} Beside;

static void *read_beside(void *arg)
{
	Beside *b = arg;
	for (int t = 0; t < GT_COUNT; t++)
		if (t != GT_DIM_CUSTOMER && !source_is_fact(gold_tables[t].src))
			read_one(b->g, b->dir, t, &b->read[t]);
	return NULL;
}

/* Every table but dim_customer, read first (the others refer to its customers): the facts
 * in chunks, the rest beside them on a thread of their own when there are threads. */
static void read_rest(Gold *g, const char *dir, TableRead *read)
{
	Beside b = {g, dir, read};
	pthread_t thread;
	bool beside = g->store->threads > 1 && pthread_create(&thread, NULL, read_beside, &b) == 0;
	if (!beside)
		read_beside(&b);
	for (int t = 0; t < GT_COUNT; t++)
		if (t != GT_DIM_CUSTOMER && source_is_fact(gold_tables[t].src))
			read_one(g, dir, t, &read[t]);
	if (beside)
		pthread_join(thread, NULL);
}

/* The problems of every file read, and the tables' texts, in the store in table order. */
static void keep_reads(GoldStore *st, TableRead *read)
{
	for (int k = -1; k < GT_COUNT; k++) {
		int t = k < 0 ? GT_DIM_CUSTOMER : k;
		if (k == GT_DIM_CUSTOMER)
			continue;
		st->diags = xrealloc(st->diags, (st->ndiags + read[t].nfiles) * sizeof *st->diags);
		memcpy(st->diags + st->ndiags, read[t].files, read[t].nfiles * sizeof *st->diags);
		st->ndiags += read[t].nfiles;
		free(read[t].files);
		arena_adopt(&st->arena, &read[t].arena);
	}
}

/* Rows a table must have and did not: its KPIs, each customer's figures, all-time sessions. */
static void missing_rows(Gold *g, const TableRead *kpi, const TableRead *c360, const TableRead *devices)
{
	if (!g->nweeks)
		diag(devices->diags, D_GOLD_MISSING_ROW, 0, 0, "period", "all", 3);
	uint64_t seen = kpi->seen;
	static const char *const params[] = {"as_of", "churn_window_days"};
	for (int k = 0; k < K_COUNT + 2; k++)
		if (!(seen >> k & 1))
			diag(kpi->diags, D_GOLD_MISSING_ROW, 0, 0, "kpi", k < K_COUNT ? kpi_defs[k].id : params[k - K_COUNT],
			     strlen(k < K_COUNT ? kpi_defs[k].id : params[k - K_COUNT]));
	const Table *dim = g->src[SRC_CUSTOMERS].table;
	if (c360->rows < dim->n) {
		const RowHead *h = &ROW(dim, Customer, c360->rows)->h;
		diag(c360->diags, D_GOLD_MISSING_ROW, 0, 0, "customer_id", h->id, h->idlen);
	}
}

/* payment_mode_split and customer_360 name methods; the model numbers them as the facts do. */
static void number_methods(Gold *g)
{
	GoldStore *st = g->store;
	Dict *methods = &st->dict[SRC_PAYMENTS][PA_METHOD];
	for (size_t i = 0; i < g->nsplit; i++)
		g->split[i].method = dict_intern(methods, dict_str(&st->methods, g->split[i].method));
	payment_split_sort(g->split, g->nsplit, methods);	/* another engine's order (helper 128) */
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	for (size_t i = 0; i < nc; i++) {	/* rows customer_360 did not give (unreadable) name none */
		uint32_t m = g->c360[i].preferred_method;
		g->c360[i].preferred_method = m >= st->methods.n ? UINT32_MAX
					    : dict_intern(methods, dict_str(&st->methods, m));
	}
}

static void gold_init(Gold *g, const Config *cfg)
{
	memset(g, 0, sizeof *g);
	GoldStore *st = g->store = xcalloc(1, sizeof *st);
	g->as_of = g->first_day = MOMENT_NULL;
	for (int k = 0; k < K_COUNT; k++)
		g->now.v[k] = g->week_before.v[k] = KPI_NULL;
	for (int i = 0; i < SRC_COUNT; i++) {
		st->table[i].size = source_defs[i].row_size;
		init_dicts(st->dict[i], i);
		g->src[i] = (GoldTable){&st->table[i], st->dict[i]};
		g->quality[i].file = source_defs[i].file;
		g->quality[i].date_none = cfg->no_column[i][source_defs[i].date_col];	/* as quality_measure says */
	}
	st->threads = config_threads(cfg);
	st->chunk_min = cfg->chunk_min;
}

/* Each customer_360 row is what the fact tables give its customer (kpi.c's rules, as a build
 * makes it): the first figure that is not is an error where the row has it. */
static bool rows_agree(const Gold *g, const GoldStore *st)
{
	Customer360 *facts;
	uint32_t over;
	if (!customer_360_of_facts(g, &facts, &over)) {
		const struct C360At *at = &st->c360_at[over];
		const struct C360File *file = &st->c360_file[at->file];
		diag(file->d, D_GOLD_FIGURE, at->line, file->field[FIG_LIFETIME],
		     "lifetime_value: the customer's valid orders in fact_orders add up to more than c360 can count", NULL, 0);
		free(facts);
		return false;
	}
	bool ok = true;
	Buf said = {0}, made = {0}, m = {0};
	for (size_t i = 0; i < g->src[SRC_CUSTOMERS].table->n; i++)
		for (int f = 0; f < FIG_COUNT; f++) {
			said.len = made.len = 0;
			customer_360_cell(&said, g, &g->c360[i], f), customer_360_cell(&made, g, &facts[i], f);
			if (said.len == made.len && !memcmp(said.p, made.p, said.len))
				continue;
			const struct C360At *at = &st->c360_at[i];
			const struct C360File *file = &st->c360_file[at->file];
			m.len = 0;
			buf_printf(&m, "%s \"%s\" is not what the fact tables give this customer: \"%s\"",
				   gold_tables[GT_CUSTOMER_360].cols[CC_FIRST + f], buf_cstr(&said) + 1, buf_cstr(&made) + 1);
			diag(file->d, D_GOLD_FIGURE, at->line, file->field[f], buf_cstr(&m), NULL, 0);
			ok = false;
			break;
		}
	buf_free(&said), buf_free(&made), buf_free(&m);
	free(facts);
	return ok;
}

/* kpi_summary's figures are the facts' and customer_360's: the cards, the edition and the
 * sparklines' last two weeks (kpi_series) say one thing, as the churn-risk list and its count do
 * (helper 128: a card of 5 beside a list of 4, rendered without a word). */
static bool figures_agree(const Gold *g, const GoldStore *st, Diags *d, Diags *d360)
{
	bool ok = true;
	for (int k = 0; k < K_COUNT; k++)
		for (int w = 0; w < 2; w++) {
			int64_t said = w ? g->week_before.v[k] : g->now.v[k], facts = g->series[SPARK_WEEKS - 1 - w].v[k];
			if (said == facts)
				continue;
			Buf m = {0};
			buf_printf(&m, "%s %s \"", kpi_defs[k].id, w ? "previous_week" : "value");
			fmt_figure(&m, &fmt_plain, kpi_defs[k].kind, said);
			buf_puts(&m, "\" is not what the fact tables and customer_360 give: ");
			fmt_figure(&m, &fmt_plain, kpi_defs[k].kind, facts);
			diag(d, D_GOLD_FIGURE, st->kpi_line[k], st->kpi_field[w], buf_cstr(&m), NULL, 0);
			buf_free(&m);
			ok = false;
		}
	ok &= rows_agree(g, st);
	int64_t churn = g->series[SPARK_WEEKS - 1].v[K_CHURN_RISK];
	if (churn != KPI_NULL && (uint64_t)churn != g->nchurn) {
		Buf m = {0};
		buf_printf(&m, "churn_risk is true on %zu rows, and the fact tables give %lld customers at churn risk",
			   g->nchurn, (long long)churn);
		diag(d360, D_GOLD_FIGURE, 0, 0, buf_cstr(&m), NULL, 0);
		buf_free(&m);
		ok = false;
	}
	return ok;
}

static const RowHead *gold_row(void *ctx, uint32_t r, char *buf)
{
	(void)buf;
	return ROW((const Table *)ctx, RowHead, r);
}

/* Each flag's first rows of each source's table, as silver_finish chooses them from the same
 * rows (a build's): by line, then key, among the rows here; a fact dated after the as-of date,
 * which a build's gold has none of, is none. The facts are in file order in a build's gold (the
 * walk soon wants no row's key); the customers in id order, each flagged row looked at. */
static void flag_examples(Gold *g, GoldStore *st, const Config *cfg)
{
	int64_t after = g->as_of == MOMENT_NULL ? INT64_MAX : (g->as_of + 1) * SECS_PER_DAY;
	for (int i = 0; i < SRC_COUNT; i++) {
		const Table *t = &st->table[i];
		bool fact = source_is_fact((SourceId)i);
		FlagPicks picks = {0};
		for (size_t r = 0; r < t->n; r++) {
			const RowHead *h = ROW(t, RowHead, r);
			uint32_t f = h->flags & F_ROW_FLAGS, want = f ? flag_picks_wanted(&picks, f, h->line) : 0;
			if (want && (!fact || h->when == MOMENT_NULL || h->when < after))
				flag_picks_add(&picks, want, (uint32_t)r, h->line, h->id, h->idlen);
		}
		flag_examples_make(&st->examples[i], &picks, &st->arena, cfg, (SourceId)i, st->dict[i],
				   &st->table[SRC_CUSTOMERS], gold_row, (void *)t);
		g->quality[i].examples = &st->examples[i];
	}
}

bool gold_read(const char *dir, Gold *g, Buf *report, const Config *cfg)
{
	gold_init(g, cfg);
	GoldStore *st = g->store;
	TableRead read[GT_COUNT] = {0};
	read_one(g, dir, GT_DIM_CUSTOMER, &read[GT_DIM_CUSTOMER]);
	size_t nc = st->table[SRC_CUSTOMERS].n;
	g->c360 = xcalloc(nc + 1, sizeof *g->c360);
	st->c360_at = xmalloc((nc + 1) * sizeof *st->c360_at);
	for (size_t i = 0; i < nc; i++)	/* what a row customer_360 lacks (an error) leaves */
		g->c360[i] = (Customer360){.first_order = MOMENT_NULL, .last_order = MOMENT_NULL,
					   .average_cents = KPI_NULL, .preferred_method = UINT32_MAX,
					   .preferred_channel = -1, .days_since_last_order = KPI_NULL,
					   .segment = SEG_PROSPECTS};
	read_rest(g, dir, read);
	keep_reads(st, read);
	missing_rows(g, &read[GT_KPI_SUMMARY], &read[GT_CUSTOMER_360], &read[GT_DEVICES]);
	number_methods(g);
	flag_examples(g, st, cfg);
	g->now.as_of = g->as_of;
	g->week_before.as_of = g->as_of == MOMENT_NULL ? MOMENT_NULL : g->as_of - 7;
	g->order = xmalloc((nc + 1) * sizeof *g->order);
	g->rank = xmalloc((nc + 1) * sizeof *g->rank);
	g->key = xmalloc((nc + 1) * sizeof *g->key);	/* the folder's own: it may number them otherwise */
	for (size_t i = 0; i < nc; i++)
		g->order[i] = g->rank[i] = (uint32_t)i, g->key[i] = st->keys[i];
	gold_key_texts(g);
	bool ok = true;
	for (size_t i = 0; i < st->ndiags; i++)
		ok &= diag_worst(st->diags[i], 1) < SEV_ERROR;
	static const char *const sums[GT_COUNT] = {
		[GT_CUSTOMER_360] = "the lifetime values of a segment", [GT_FACT_ORDERS] = "the valid orders of a week",
	};
	int sum = ok ? gold_views(g, st->threads, NULL) : -1;
	if (sum >= 0) {
		diag(read[sum].diags, D_GOLD_SUM, 0, 0, sums[sum], NULL, 0);
		ok = false;
	}
	ok = ok && sum < 0 && figures_agree(g, st, read[GT_KPI_SUMMARY].diags, read[GT_CUSTOMER_360].diags);
	for (size_t i = 0; i < st->ndiags; i++)
		diag_format(report, st->diags[i], cfg->verbosity);
	return ok;
}

void gold_store_free(GoldStore *st)
{
	if (!st)
		return;
	arena_free(&st->arena);
	for (int i = 0; i < SRC_COUNT; i++) {
		big_free(st->table[i].rows, st->table[i].cap * st->table[i].size);
		for (int c = 0; c < MAX_COLS; c++)
			dict_free(&st->dict[i][c]);
		free(st->quarantine[i]);
	}
	for (size_t i = 0; i < st->ntables; i++)
		free(st->table_quarantine[i]);
	free(st->table_quarantine);
	dict_free(&st->methods);
	free(st->c360_at), free(st->c360_file);
	free(st->keys);
	index_free(&st->key_rows);
	for (size_t i = 0; i < st->ndiags; i++) {
		diag_free(st->diags[i]);
		free(st->diags[i]);
	}
	free(st->diags);
	free(st);
}
