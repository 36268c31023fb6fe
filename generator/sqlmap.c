/* sqlmap.c — sources defined by SQL: the [tables] files loaded into an in-memory SQLite
 * database (each row keeping its file and line in _file and _line), and each [sql] SELECT
 * read as its source's records, through the same table rules as a file. */
#include "c360.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* What amount() met in the SELECT being run: the values it could not read, and those of a currency
 * other than the source's that it dropped, the first of each kind kept to be named. */
typedef struct {
	char decimal;		/* the source's [read] decimal, or 0 */
	KnownCodes known;	/* the codes its amounts may name */
	const char *home;	/* the currency the source's amounts are in: its [read] currency, else the
				 * base; "" when amounts are not converted */
	uint64_t bad, ambiguous, foreign;
	Buf bad_text, ambiguous_text, foreign_text;
	char foreign_code[4];	/* the first foreign one's */
} AmountUse;

/* A table's SQL column names in its file's order: where a value a SELECT takes as it is stands in
 * the file (a problem with it is located at that column). */
typedef struct {
	char **name;
	uint32_t n;
} TableFields;

/* A [sql] view: made (a TEMP VIEW) when a query first reads it, else when all the sources are read. */
typedef enum { VIEW_NONE, VIEW_MAKING, VIEW_MADE, VIEW_BAD, VIEW_MISSING } ViewState;

typedef struct {
	ViewState state;	/* VIEW_BAD: its error said; VIEW_MISSING: it reads a table whose file is missing or empty */
	bool read;		/* by a source's SELECT, or by a view one reads */
	char *missing;		/* VIEW_MISSING: SQLite's "no such table: T", for the queries that read it */
} View;

struct SqlMap {
	sqlite3 *db;
	Silver *s;
	TableFields *fields;	/* by table, s->raw's order */
	uint64_t bytes;		/* of the tables' files */
	AmountUse amount;
	View *view;		/* by s->cfg->views */
	size_t *making, nmaking;	/* the views being made, each read by the one before */
	bool denied;		/* only_reading refused something to the query prepared or run */
	bool for_source;	/* the views made now are read by a source */
	bool failed;		/* a source's SELECT was not prepared: which views it reads is not known */
};

static void quote_name(Buf *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

/* ---- a file as a table: _file, _line, then its header's columns as text */

typedef struct {
	SqlMap *m;
	RawTable *t;
	const ReadOptions *o;
	sqlite3_stmt *insert;
	uint32_t ncols;
	bool header;
	uint32_t wide_line, wide_fields;	/* a header of one column: the first record of more fields */
} Loader;

/* The field of the header that [columns] TABLE.NAME names: the first alias's the header has,
 * else NAME's; -1 if none (said). */
static int named_field(Loader *l, const TableColumn *tc, char *const *norm, uint32_t n, uint32_t line)
{
	char *name = config_normalise(str_make(tc->name, strlen(tc->name)));
	int at = config_header_field(tc->alias, name, norm, n);	/* as a source's column is found */
	if (at < 0 && !l->o->not_csv) {	/* a workbook's "header" has no names to list: it is said what it is */
		Buf what = {0}, v = {0};
		buf_printf(&what, "%s.%s =", tc->table, tc->name);
		for (int a = 0; a < MAX_ALIASES && tc->alias[a]; a++)
			buf_printf(&what, "%s %s", a ? "," : "", tc->alias[a]);
		buf_puts(&v, "its column is empty in SQL; the header's:");
		for (uint32_t i = 0; i < n; i++)
			buf_printf(&v, "%s%s", i ? ", " : " ", norm[i]);
		diag(&l->t->diags, D_COLUMN_ALIAS, line, 0, buf_cstr(&what), v.p, v.len);
		buf_free(&what), buf_free(&v);
	}
	free(name);
	return at;
}

/* A name as SQLite compares it: ASCII letters without case. */
static Str name_folded(Buf *b, const char *s, size_t n)
{
	b->len = 0;
	for (size_t i = 0; i < n; i++)
		buf_putc(b, s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i]);
	return str_make(b->p ? b->p : "", b->len);
}

/* The table's columns: the header's names, trimmed ("column_N" when empty), a repeated name
 * (SQLite compares them without case) numbered; a column [columns] TABLE.NAME names is NAME,
 * named first so that a header's own column of that name is the one numbered (an empty one
 * after the others if the header has none of its names). A header of more columns than SQLite's
 * tables hold is an error at the first of them, said before they are named (naming tens of
 * thousands of them took minutes). */
static void create_table(Loader *l, const Record *r)
{
	int most = sqlite3_limit(l->m->db, SQLITE_LIMIT_COLUMN, -1) - 2;	/* _file and _line */
	if (r->nfields > (uint32_t)most) {
		Buf why = {0};
		buf_printf(&why, "the header has %s%u columns; a [tables] table holds at most %d (SQLite's limit)",
			   r->cut ? "more than " : "", r->nfields, most);
		diag(&l->t->diags, D_READ_ERROR, r->line, (uint32_t)most + 1, buf_cstr(&why), NULL, 0);
		buf_free(&why);
		return;
	}
	Buf sql = {0}, ins = {0}, fold = {0};
	const Config *cfg = l->m->s->cfg;
	char **names = xcalloc(r->nfields + 1, sizeof *names), **norm = xcalloc(r->nfields + 1, sizeof *norm);
	const char **named = xcalloc(r->nfields + 1, sizeof *named);	/* by [columns] */
	for (uint32_t i = 0; i < r->nfields; i++)
		norm[i] = config_normalise(r->fields[i]);
	Buf empty = {0};	/* the columns named that the header lacks, quoted, ", " before each */
	for (size_t k = 0; k < cfg->ntable_columns; k++) {
		const TableColumn *tc = &cfg->table_columns[k];
		if (strcmp(tc->table, l->t->def->name) != 0)
			continue;
		int at = named_field(l, tc, norm, r->nfields, r->line);
		if (at >= 0 && !named[at])
			named[at] = tc->name;
		else if (at < 0)
			buf_puts(&empty, ", "), quote_name(&empty, tc->name, strlen(tc->name)), buf_puts(&empty, " TEXT");
	}
	Dict taken = {0};	/* the names given, folded */
	dict_intern(&taken, str_make("_file", 5)), dict_intern(&taken, str_make("_line", 5));
	for (int pass = 0; pass < 2; pass++)	/* the names [columns] gives, then the header's */
		for (uint32_t i = 0; i < r->nfields; i++) {
			if (!named[i] != (pass == 1))
				continue;
			Str f = named[i] ? str_make(named[i], strlen(named[i])) : str_trim(r->fields[i]);
			Buf base = {0}, name = {0};
			if (f.n)
				buf_put(&base, f.p, f.n);
			else
				buf_printf(&base, "column_%u", i + 1);
			for (unsigned k = 1;; k++) {
				name.len = 0;
				buf_puts(&name, buf_cstr(&base));
				if (k > 1)
					buf_printf(&name, "_%u", k);
				if (dict_find(&taken, name_folded(&fold, name.p, name.len)) == INDEX_NONE)
					break;
			}
			dict_intern(&taken, name_folded(&fold, name.p, name.len));
			buf_free(&base);
			names[i] = (char *)buf_cstr(&name);
		}
	dict_free(&taken), buf_free(&fold);
	buf_puts(&sql, "CREATE TABLE ");
	quote_name(&sql, l->t->def->name, strlen(l->t->def->name));
	buf_puts(&sql, " (\"_file\" TEXT, \"_line\" INTEGER");
	for (uint32_t i = 0; i < r->nfields; i++) {
		buf_puts(&sql, ", ");
		quote_name(&sql, names[i], strlen(names[i]));
		buf_puts(&sql, " TEXT");
	}
	buf_put(&sql, empty.p, empty.len);	/* NULL in every row: no value given */
	buf_puts(&sql, ")");
	buf_puts(&ins, "INSERT INTO ");
	quote_name(&ins, l->t->def->name, strlen(l->t->def->name));
	buf_puts(&ins, " (\"_file\", \"_line\"");
	for (uint32_t i = 0; i < r->nfields; i++)
		buf_puts(&ins, ", "), quote_name(&ins, names[i], strlen(names[i]));
	buf_puts(&ins, ") VALUES (?, ?");
	for (uint32_t i = 0; i < r->nfields; i++)
		buf_puts(&ins, ", ?");
	buf_puts(&ins, ")");
	if (sqlite3_exec(l->m->db, buf_cstr(&sql), NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(l->m->db, buf_cstr(&ins), -1, &l->insert, NULL) != SQLITE_OK)
		diag(&l->t->diags, D_READ_ERROR, r->line, 0, sqlite3_errmsg(l->m->db), NULL, 0);
	l->ncols = r->nfields;
	l->m->fields[l->t - l->m->s->raw] = (TableFields){names, r->nfields};
	for (uint32_t i = 0; i < r->nfields; i++)
		free(norm[i]);
	free(norm), free(named);
	buf_free(&sql), buf_free(&ins), buf_free(&empty);
}

/* A record set aside: why, else its quoting's fault. */
static void raw_quarantine(RawTable *t, const Record *r, const char *why)
{
	t->quarantine = xrealloc(t->quarantine, (t->nquarantine + 1) * sizeof *t->quarantine);
	t->quarantine[t->nquarantine++] = (Quarantined){arena_strndup(&t->arena, r->raw.p, r->raw.n),
							(uint32_t)r->raw.n, r->line, D_MALFORMED_ROW, NULL};
	diag(&t->diags, D_MALFORMED_ROW, r->line, r->error_col,
	     why ? why : r->error == REC_UNTERMINATED ? "quoted field never closed" : "stray quote in a field", NULL, 0);
}

static void load_record(void *ctx, const Record *r)
{
	Loader *l = ctx;
	if (!l->header) {
		l->header = true;
		const char *what = input_header_check(r, l->o, &l->t->diags);
		if (what) {	/* no encoding makes it a table: how to make the CSV; a SELECT reading it says so */
			diag(&l->t->diags, D_NOT_CSV, r->line, 1, what, NULL, 0);
			l->t->not_csv = true;
			return;
		}
		create_table(l, r);
		return;
	}
	if (l->o->not_csv)	/* a workbook's lines are no rows (nor ragged, nor UTF-8 to say) */
		return;
	l->t->rows_read++;
	if (l->ncols == 1 && r->nfields > 1 && !r->error && !l->wide_line)
		l->wide_line = r->line, l->wide_fields = r->nfields;
	if (r->error || !l->insert) {
		raw_quarantine(l->t, r, r->error ? NULL : "the table was not made (its header's error says why)");
		return;
	}
	if (r->nfields != l->ncols)
		diag(&l->t->diags, D_RAGGED_ROW, r->line, (r->nfields < l->ncols ? r->nfields : l->ncols) + 1,
		     r->nfields < l->ncols ? "fewer fields than the header; padded with nulls"
					   : "more fields than the header; the extra fields are not in the table", NULL, 0);
	if (r->text)
		diag(&l->t->diags, r->text & TEXT_NUL ? D_NUL_BYTE : D_INVALID_UTF8, r->line, r->text_col, "the row", NULL, 0);
	sqlite3_reset(l->insert);
	sqlite3_bind_text(l->insert, 1, l->t->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(l->insert, 2, r->line);
	for (uint32_t i = 0; i < l->ncols; i++)
		if (i < r->nfields)
			sqlite3_bind_text(l->insert, (int)i + 3, r->fields[i].p, (int)r->fields[i].n, SQLITE_STATIC);
		else
			sqlite3_bind_null(l->insert, (int)i + 3);
	if (sqlite3_step(l->insert) == SQLITE_DONE)
		l->t->loaded++;
	else
		raw_quarantine(l->t, r, sqlite3_errmsg(l->m->db));
}

/* A line of a table's report footer (report_footer_rows): a row of the table's quarantine
 * (malformed, "a report's footer"), as a source's file's are. */
static void footer_row(void *ctx, const Record *r)
{
	RawTable *t = ctx;
	t->rows_read++;
	raw_quarantine(t, r, "a report's footer (after the last blank line, a line of one field, or few of many), not a row");
}

void sqlmap_load(SqlMap *m, RawTable *t, Input *in)
{
	ReadOptions o = config_read_options(m->s->cfg, t->def->name);
	Loader l = {m, t, &o, NULL, 0, false, 0, 0};
	m->bytes += in->len;
	Ingest *ing = ingest_new(load_record, &l);
	char delim = input_prepare(in, &o, &t->diags);	/* may set o.header_row (Excel's "sep=;" line) */
	ingest_options(ing, delim, o.comment, o.header_row);
	ingest_fill_down(ing, o.fill_down, o.nfill_down);
	sqlite3_exec(m->db, "BEGIN", NULL, NULL, NULL);
	const char *data = in->data ? in->data : "";
	size_t at = 0, len = in->len;
	while (at < len && !l.header) {	/* the header line by line: the footer is known by its fields */
		const char *nl = memchr(data + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - data) + 1 : len;
		if (end == len)
			ingest_feed_last(ing, data + at, end - at);
		else
			ingest_feed(ing, data + at, end - at);
		at = end;
	}
	size_t foot = l.ncols && !o.not_csv ? at + report_footer_start(data + at, len - at, l.ncols, delim, o.comment) : len;
	if (at < foot)
		ingest_feed_last(ing, data + at, foot - at);
	if (foot < len && ingest_open(ing) && csv_quote_closes(data + foot, len - foot))	/* they end a quoted value: the reader's */
		ingest_feed_last(ing, data + foot, len - foot), foot = len;
	ingest_finish(ing);
	if (foot < len)
		report_footer_rows(data, foot, len, o.comment, &t->blank_lines, &t->skipped_lines, footer_row, t);
	sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL);
	if (l.wide_line) {	/* a report's lines of notes read as its header: its columns no SELECT finds */
		Buf why = {0};
		buf_printf(&why, "the header row has one column, this line has %u fields: if lines of notes come before "
				 "the header (a report's title, Amazon's Date Range report's seven), [read] %s.header_row = %u "
				 "names the header's line", l.wide_fields, t->def->name, l.wide_line);
		diag(&t->diags, D_CONFIG_NOTE, l.wide_line, 0, buf_cstr(&why), NULL, 0);
		buf_free(&why);
	}
	t->present = true;
	t->empty = !l.header;	/* no table: a SELECT reading it says why (sql_error) */
	t->blank_lines += ingest_blank_lines(ing);
	t->skipped_lines += ingest_skipped_lines(ing);
	sqlite3_finalize(l.insert);
	ingest_free(ing);
}

/* ---- amount(x [, decimal]): a value read as c360 reads an amount, as a number SQLite can add
 *
 * Arithmetic on text reads its leading number alone: "1,299.00" - 0 is 1, "1.234,56" is 1.234,
 * without a word (SQLite's rule). amount() reads the text by SPEC §5's rules, its currency sign
 * or code dropped (a currency goes in its own column), with the decimal separator given, else
 * the source's [read] decimal, else the one the value has (X,YYY alone could be either: null,
 * and said). A value that is no amount is null, and said after the SELECT. */
static void amount_note(Buf *b, uint64_t *count, const unsigned char *v, size_t n)
{
	if ((*count)++)
		return;
	Buf clean = {0};	/* the value in UTF-8, then quoted and cut short */
	if (utf8_sanitize((const char *)v, n, &clean))
		v = (const unsigned char *)clean.p, n = clean.len;
	buf_put_quoted(b, (const char *)v, n);
	buf_free(&clean);
}

static void sql_amount(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	AmountUse *u = sqlite3_user_data(ctx);
	const unsigned char *v = sqlite3_value_text(argv[0]);
	size_t n = (size_t)sqlite3_value_bytes(argv[0]);
	char decimal = u->decimal;
	if (argc == 2) {
		const unsigned char *d = sqlite3_value_text(argv[1]);
		if (!d || (strcmp((const char *)d, ".") != 0 && strcmp((const char *)d, ",") != 0)) {
			sqlite3_result_error(ctx, "amount(x, decimal): the decimal separator is '.' or ','", -1);
			return;
		}
		decimal = (char)d[0];
	}
	if (!v || str_trim(str_make((const char *)v, n)).n == 0)
		return;	/* null */
	AmountParse a = clean_amount(str_make((const char *)v, n), decimal, &u->known);
	if (a.status == AMOUNT_AMBIGUOUS)
		amount_note(&u->ambiguous_text, &u->ambiguous, v, n);
	else if (a.status != AMOUNT_OK || a.cents == AMOUNT_NULL)
		amount_note(&u->bad_text, &u->bad, v, n);
	else
		sqlite3_result_double(ctx, (double)a.cents / 100);
	/* a currency named that is not the source's (a $ or a ¥ gives way to a [read] currency, as in a
	 * file): dropped, it would be read as the source's, said unless the result has a currency */
	if (a.status == AMOUNT_OK && a.currency[0] && u->home[0] && strcmp(a.currency, u->home) != 0 &&
	    !(a.generic && u->known.file)) {
		if (!u->foreign)
			memcpy(u->foreign_code, a.currency, 4);
		amount_note(&u->foreign_text, &u->foreign, v, n);
	}
}

/* What amount() could not read in src's SELECT, said once for each kind. */
static void amount_said(AmountUse *u, Source *src)
{
	Buf b = {0};
	/* counted by call: SQLite may call it twice for a value (WHERE and SELECT) or once for many rows */
	if (u->bad)
		buf_printf(&b, "amount() gave null for %s, no amount (%" PRIu64 " call%s given no amount)",
			   buf_cstr(&u->bad_text), u->bad, u->bad == 1 ? "" : "s");
	if (u->bad && u->ambiguous)
		buf_puts(&b, "; ");
	if (u->ambiguous)
		buf_printf(&b, "amount() gave null for %s, its separator either a decimal one or one of thousands "
			       "(%" PRIu64 " call%s given such a value); give it: amount(x, '.') or amount(x, ',')",
			   buf_cstr(&u->ambiguous_text), u->ambiguous, u->ambiguous == 1 ? "" : "s");
	int cur = src->def->currency_col;
	if (u->foreign && cur >= 0 && src->field_of[cur] < 0)	/* no currency column in the result */
		buf_printf(&b, "%samount() dropped the currency of %s (%s; %" PRIu64 " call%s given another currency than "
			       "%s, whose amounts they are now read as): select it in a column of its own, AS currency, "
			       "which [currency]'s rates convert", b.len ? "; " : "", buf_cstr(&u->foreign_text),
			   u->foreign_code, u->foreign, u->foreign == 1 ? "" : "s", u->home);
	if (b.len)
		diag(&src->diags, D_SQL_AMOUNT, 0, 0, buf_cstr(&b), NULL, 0);
	buf_free(&b), buf_free(&u->bad_text), buf_free(&u->ambiguous_text), buf_free(&u->foreign_text);
	*u = (AmountUse){0};
}

SqlMap *sqlmap_new(Silver *s)
{
	SqlMap *m = xcalloc(1, sizeof *m);
	m->s = s;
	if (sqlite3_open_v2(":memory:", &m->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		diag(&s->config_diags, D_SQL_ERROR, 0, 0, "SQLite cannot open a database in memory", NULL, 0);
	/* A double-quoted name that is no column is an error, as the SQL standard has it, not a
	 * string (SQLite's legacy reading): "Customer Emial" would have made every row's key that
	 * text, a customer of its own, without a word. */
	sqlite3_db_config(m->db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	sqlite3_db_config(m->db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
	for (int argc = 1; argc <= 2; argc++)
		sqlite3_create_function_v2(m->db, "amount", argc, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
					   &m->amount, sql_amount, NULL, NULL, NULL);
	s->nraw = s->cfg->ntables;
	s->raw = xcalloc(s->nraw + 1, sizeof *s->raw);
	m->fields = xcalloc(s->nraw + 1, sizeof *m->fields);
	m->view = xcalloc(s->cfg->nviews + 1, sizeof *m->view);
	m->making = xcalloc(s->cfg->nviews + 1, sizeof *m->making);
	s->paths = xcalloc(s->nraw + 1, sizeof *s->paths);
	for (size_t i = 0; i < s->nraw; i++) {
		RawTable *t = &s->raw[i];
		t->def = &s->cfg->tables[i];
		s->paths[i] = t->path = path_join(s->cfg->data_dir, t->def->file);
		t->diags.file = t->path;
	}
	return m;
}

SqlMap *sqlmap_open(Silver *s)
{
	SqlMap *m = sqlmap_new(s);
	for (size_t i = 0; i < s->nraw; i++) {
		Input in;
		if (!input_open(s->cfg, s->raw[i].def->file, D_COUNT, &in, &s->raw[i].diags))
			continue;
		memory_context(s->raw[i].path);
		sqlmap_load(m, &s->raw[i], &in);
		memory_context(NULL);
		if (input_changed(&in))
			diag(&s->raw[i].diags, D_CHANGED, 0, 0, NULL, NULL, 0);
		input_close(&in);
	}
	return m;
}

void sqlmap_close(SqlMap *m)
{
	if (!m)
		return;
	sqlite3_close(m->db);
	for (size_t i = 0; i < m->s->nraw; i++) {
		for (uint32_t k = 0; k < m->fields[i].n; k++)
			free(m->fields[i].name[k]);
		free(m->fields[i].name);
	}
	free(m->fields);
	for (size_t v = 0; v < m->s->cfg->nviews; v++)
		free(m->view[v].missing);
	free(m->view), free(m->making);
	free(m);
}

void raw_tables_free(Silver *s)
{
	for (size_t i = 0; i < s->nraw; i++) {
		diag_free(&s->raw[i].diags);
		arena_free(&s->raw[i].arena);
		free(s->raw[i].quarantine);
		free(s->raw[i].path);
	}
	free(s->raw), free(s->paths);
	s->raw = NULL, s->paths = NULL, s->nraw = 0;
}

/* ---- a source from its SELECT */

/* Where offset of the SQL text stands in the configuration file. */
static void sql_where(const SqlDef *q, int offset, uint32_t *line, uint32_t *col)
{
	uint32_t k = 0, at = offset > 0 ? (uint32_t)offset : 0;
	while (k + 1 < q->nlines && q->off[k + 1] <= at)
		k++;
	*line = q->line[k];
	*col = q->col[k] + (at - q->off[k]);
}

/* A table named in "no such table: X" whose file is missing, empty or not CSV, or NULL. */
static const RawTable *missing_table(const Silver *s, const char *msg)
{
	static const char prefix[] = "no such table: ";
	if (strncmp(msg, prefix, sizeof prefix - 1) != 0)
		return NULL;
	const char *name = msg + sizeof prefix - 1;
	name += strncmp(name, "main.", 5) == 0 ? 5 : 0;
	for (size_t i = 0; i < s->nraw; i++)
		if ((!s->raw[i].present || s->raw[i].empty || s->raw[i].not_csv) && strcasecmp(s->raw[i].def->name, name) == 0)
			return &s->raw[i];
	return NULL;
}

/* A SQL error of the query q named name, at offset of its text (< 0: its start) in the configuration. */
static void sql_error_at(Silver *s, const SqlDef *q, const char *name, const char *msg, int offset)
{
	const RawTable *t = missing_table(s, msg);
	uint32_t line, col;
	sql_where(q, offset, &line, &col);
	Buf b = {0};
	buf_printf(&b, "[sql] %s: %s", name, msg);
	if (t)	/* a folder, a FIFO: there, not read (its own error says why) */
		buf_printf(&b, " (its file %s %s)", t->path, t->empty ? "is empty: no header row"
							     : t->not_csv ? "is not CSV: a spreadsheet or JSON"
							     : access(t->path, F_OK) == 0 ? "could not be read" : "is missing");
	diag(&s->config_diags, D_SQL_ERROR, line, col, buf_cstr(&b), NULL, 0);
	buf_free(&b);
}

/* A source's SQL error: located in the configuration; a table whose file is missing, empty or
 * not CSV leaves an optional source out as such a file of its own would. */
static void sql_error(Silver *s, Source *src, const char *msg, int offset)
{
	const RawTable *t = missing_table(s, msg);
	if (t && !src->def->required) {
		src->path = xstrdup(t->path);
		src->diags.file = src->path;
		src->present = t->empty || t->not_csv;	/* its status: missing, empty or not CSV */
		Buf who = {0};	/* several sources may read one table: each message names its own */
		buf_printf(&who, "%s[sql] %s reads it%s", t->not_csv ? "" : ": ", src->def->name,
			   t->not_csv ? ", and it is not CSV (its warning says what it is): this optional source is left out "
					"and its sections say so" : "");
		diag(&src->diags, t->not_csv ? D_NOT_CSV : t->empty ? D_EMPTY_OPTIONAL : D_OPTIONAL_MISSING, 0, 0,
		     buf_cstr(&who), NULL, 0);
		buf_free(&who);
		return;
	}
	sql_error_at(s, &s->cfg->sql[src->id], src->def->name, msg, offset);
}

typedef struct {
	int file, line;		/* the result's _file and _line columns, -1 if absent */
	int quarantine;		/* its _quarantine column (a row's reason to be quarantined), -1 if absent */
	int table;		/* the table _file is taken from as it is, -1 if none */
	int ncols;		/* the result's other columns */
	int *col;		/* their numbers in the result */
	Str *fields;
	Buf raw, *clean;
	uint32_t first_file;	/* the rows' file while they agree: a table's number + 1 (Diags.files) */
	uint32_t last;		/* the last row's, looked at first: rows come in runs of one file */
	size_t nfiles;		/* the tables' paths (Silver.paths) a _file may be */
	uint32_t *by_path;	/* their numbers, by path then number: a _file found in log(nfiles) */
	bool mixed;		/* the rows' files differ, or one's _file is no table's (it names none) */
	bool *amount;		/* by column: the source reads it as an amount */
} Result;

/* The table (s->raw's number) a result's column is taken from as it is, by SQLite's origin of
 * the column (none for a value the SELECT makes; a compound SELECT's first one's), if it is that
 * table's column named name; -1 else. */
static int origin_table(const Silver *s, sqlite3_stmt *st, int col, const char *name)
{
	const char *table = col >= 0 ? sqlite3_column_table_name(st, col) : NULL;
	const char *origin = col >= 0 ? sqlite3_column_origin_name(st, col) : NULL;
	for (size_t t = 0; table && origin && (!name || strcmp(origin, name) == 0) && t < s->nraw; t++)
		if (strcmp(s->raw[t].def->name, table) == 0)
			return (int)t;
	return -1;
}

/* The field of the file a result's column is, where it is taken as it is from the table the
 * rows' _file is of; -1 else. (A self-join's other side is the same table: its column is named,
 * its line the row's.) */
static int origin_field(const SqlMap *m, sqlite3_stmt *st, int col, int table)
{
	const char *name = sqlite3_column_origin_name(st, col);
	if (table < 0 || origin_table(m->s, st, col, NULL) != table)
		return -1;
	for (uint32_t i = 0; i < m->fields[table].n; i++)
		if (strcmp(m->fields[table].name[i], name) == 0)
			return (int)i;
	return -1;
}

/* Tables' numbers by their paths, then by number (the first of a file read twice comes first). */
static int path_cmp(const void *a, const void *b, void *paths)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	int c = strcmp(((const char *const *)paths)[i], ((const char *const *)paths)[j]);
	return c ? c : (i > j) - (i < j);
}

/* The result's header: its columns but _file, _line and _quarantine. Its problems (a required column it
 * lacks) are the SELECT's: located at it in the configuration, as its errors are. */
static void result_header(Result *x, const SqlMap *m, sqlite3_stmt *st, Silver *s, Source *src)
{
	int n = sqlite3_column_count(st);
	x->file = x->line = x->quarantine = -1;
	x->col = xcalloc((size_t)n + 1, sizeof *x->col);
	x->fields = xcalloc((size_t)n + 1, sizeof *x->fields);
	x->clean = xcalloc((size_t)n + 1, sizeof *x->clean);
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st, i);
		if (strcasecmp(name, "_file") == 0)
			x->file = i;
		else if (strcasecmp(name, "_line") == 0)
			x->line = i;
		else if (strcasecmp(name, "_quarantine") == 0 && x->quarantine < 0)	/* a second is a column, said unknown */
			x->quarantine = i;
		else
			x->fields[x->ncols] = str_make(name, strlen(name)), x->col[x->ncols++] = i;
	}
	Record r = {.line = 0, .nfields = (uint32_t)x->ncols, .fields = x->fields};
	Diags rows = src->diags;
	src->diags = (Diags){.file = rows.file};
	silver_source_record(src, &r);
	uint32_t line, col;
	sql_where(&s->cfg->sql[src->id], 0, &line, &col);
	Buf name = {0};
	buf_printf(&name, "[sql] %s: ", src->def->name);
	diag_move(&s->config_diags, &src->diags, line, col, buf_cstr(&name));
	buf_free(&name);
	src->diags = rows;
	x->table = origin_table(s, st, x->file, "_file");
	for (int c = 0; c < src->def->ncols; c++)
		src->sql_field[c] = src->field_of[c] >= 0 ? origin_field(m, st, x->col[src->field_of[c]], x->table) : -1;
	/* Each row's problems name its own file (row_file); the columns are those of the table's file
	 * SQLite names as _file's origin: a row of another (of a UNION ALL, SQLite names one table,
	 * whichever arm a row is of) names none (file_column, diag_drop_columns) */
	src->diags.files = s->paths;
	x->nfiles = s->nraw < F_FILE_MAX ? s->nraw : F_FILE_MAX;
	x->by_path = xcalloc(x->nfiles + 1, sizeof *x->by_path);
	for (size_t i = 0; i < x->nfiles; i++)
		x->by_path[i] = (uint32_t)i;
	qsort_r(x->by_path, x->nfiles, sizeof *x->by_path, path_cmp, s->paths);
	src->sql_file = 0;
	for (size_t i = 0; x->table >= 0 && i < x->nfiles && !src->sql_file; i++)	/* as row_file finds it */
		src->sql_file = strcmp(s->paths[i], s->paths[x->table]) == 0 ? (uint32_t)i + 1 : 0;
	x->amount = xcalloc((size_t)n + 1, sizeof *x->amount);
	for (int c = 0; c < src->def->ncols; c++)
		if (src->def->rule[c].kind == COL_AMOUNT && src->field_of[c] >= 0)
			x->amount[src->field_of[c]] = true;
}

/* The file a row's _file names: the number + 1 of the first table whose path it is, whole; 0 if
 * none (no _file, or a value of the data as _file, however long, names no message). The last
 * row's is tried first, then the paths sorted (a value of the data in every row, 4,096 tables:
 * no search of them all a row); interned, no name is copied for a row. */
static uint32_t row_file(Result *x, sqlite3_stmt *st, const char *const *paths, size_t n)
{
	const char *file = x->file >= 0 ? (const char *)sqlite3_column_text(st, x->file) : NULL;
	if (!file)
		return 0;
	if (x->last && strcmp(file, paths[x->last - 1]) == 0)
		return x->last;
	size_t lo = 0, hi = n;	/* the first of by_path whose path is not below file */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(paths[x->by_path[mid]], file) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(paths[x->by_path[lo]], file) == 0 ? (x->last = x->by_path[lo] + 1) : 0;
}

/* One result row as a record: its line from _line (else its number), its text as CSV; to
 * quarantine (D_EXCLUDED) if its _quarantine is text, that text its reason. The row's bytes, as
 * read. */
static size_t result_row(Result *x, sqlite3_stmt *st, Source *src, uint32_t number)
{
	Record r = {.nfields = (uint32_t)x->ncols, .fields = x->fields, .line = number};
	sqlite3_int64 line = x->line >= 0 ? sqlite3_column_int64(st, x->line) : 0;
	if (line > 0 && line <= UINT32_MAX)
		r.line = (uint32_t)line;
	x->raw.len = 0;
	for (int i = 0; i < x->ncols; i++) {
		bool real = x->amount[i] && sqlite3_column_type(st, x->col[i]) == SQLITE_FLOAT;	/* asked first */
		const char *v = (const char *)sqlite3_column_text(st, x->col[i]);
		size_t n = v ? (size_t)sqlite3_column_bytes(st, x->col[i]) : 0;
		unsigned t = utf8_sanitize(v ? v : "", n, &x->clean[i]);
		if (t && !r.text)
			r.text_col = (uint32_t)i + 1;
		r.text |= t;
		x->fields[i] = t ? str_make(x->clean[i].p, x->clean[i].len) : str_make(v ? v : "", n);
		/* An amount SQL made: 15 digits below 10^13, which hold its cents (a sum's error past them
		 * is no cents: 0.1 + 0.2 is 0.3, not 0.30000000000000004); above, the fewest that are its
		 * number (SQLite's own text keeps 15: 12345678901234.6); never all 17 below (1.005 was
		 * 1.0049999999999999: 1.00). With the decimal separator the source's amounts are read by. */
		if (real) {
			Buf *b = &x->clean[i];
			double d = sqlite3_column_double(st, x->col[i]);
			for (int digits = 15; digits <= 17; digits++) {
				b->len = 0;
				buf_printf(b, "%.*g", digits, d);
				if (fabs(d) < 1e13 || strtod(buf_cstr(b), NULL) == d)
					break;
			}
			char *dot = memchr(b->p, '.', b->len);
			if (dot && src->opt.decimal == ',')
				*dot = ',';
			x->fields[i] = str_make(b->p, b->len);
		}
		if (i)
			buf_putc(&x->raw, ',');
		csv_field(&x->raw, x->fields[i].p, x->fields[i].n);
	}
	r.raw = str_make(x->raw.p ? x->raw.p : "", x->raw.len);
	uint32_t file = row_file(x, st, src->diags.files, x->nfiles);
	if (!x->first_file && !x->mixed)
		x->first_file = file;
	x->mixed |= !file || file != x->first_file;
	src->diags.at = file;	/* its problems named by its file (and rows kept, ROW_FILE, by it too) */
	const char *why = x->quarantine >= 0 ? (const char *)sqlite3_column_text(st, x->quarantine) : NULL;
	Str reason = why ? str_trim(str_make(why, (size_t)sqlite3_column_bytes(st, x->quarantine))) : str_make("", 0);
	if (reason.n)	/* NULL, '' or blanks: the row is the source's */
		silver_source_excluded(src, &r, reason);
	else
		silver_source_record(src, &r);
	src->diags.at = 0;
	return x->raw.len;
}

/* Problems are named by the rows' one file, else each row's by its own (row_file), the others
 * by the source's SQL: a _file that is no table's too (a value of the data as _file named every
 * message, whole, and kept its line ends: a text of 10 MB wrote 180 MB of messages). Each names
 * the SELECT after its file; a column, only the file's its value is taken from as it is. */
static void result_end(Result *x, const Silver *s, Source *src)
{
	Buf name = {0}, scope = {0};
	buf_printf(&scope, "[sql] %s", src->def->name);
	if (x->first_file && !x->mixed)	/* one table's file: the messages of its rows say which SELECT's */
		buf_puts(&name, s->paths[x->first_file - 1]);
	else	/* "[sql] SOURCE", said once (diag.c, format_head) */
		buf_put(&name, scope.p, scope.len);
	src->diags.scope = buf_cstr(&scope);	/* freed with the path (silver_free) */
	diag_drop_columns(&src->diags, src->sql_file);
	src->path = (char *)buf_cstr(&name);
	src->diags.file = src->path;
	for (int i = 0; i < x->ncols; i++)
		buf_free(&x->clean[i]);
	free(x->clean), free(x->col), free(x->fields), free(x->amount), free(x->by_path);
	buf_free(&x->raw);
}

/* A source's SELECT only reads (sqlite3_stmt_readonly refuses writes): ATTACH (a file of the
 * machine), DETACH, PRAGMA, a transaction are refused where they stand, and fts3_tokenizer(),
 * whose two-argument form sets a C function pointer from a blob (Debian's SQLite has it on).
 * Not SQLite's own bookkeeping: a table-valued function (json_each) updates its schema the
 * first time. */
static int only_reading(void *denied, int action, const char *a, const char *b, const char *c, const char *d)
{
	(void)a, (void)c, (void)d;
	bool pointer = action == SQLITE_FUNCTION && b && sqlite3_stricmp(b, "fts3_tokenizer") == 0;	/* sets or shows one */
	if (action != SQLITE_ATTACH && action != SQLITE_DETACH && action != SQLITE_PRAGMA &&
	    action != SQLITE_TRANSACTION && action != SQLITE_SAVEPOINT && !pointer)
		return SQLITE_OK;
	*(bool *)denied = true;
	return SQLITE_DENY;
}

/* ---- views: a [sql] key that is no source's, one SELECT the others read as a table
 *
 * A view is made (CREATE TEMP VIEW) the first time a query's "no such table" names it, after its
 * own SELECT is checked as a source's is (sql_prepare), its errors located in its own text; so a
 * view reads views defined before or after it, and those no source reads are made last
 * (sqlmap_views). A view read while it is being made closes a circle: an error, never a loop. */

typedef struct {
	const SqlDef *q;
	const char *kind;	/* "source" or "view" */
	const char *name;
} Query;

/* Why a query was not prepared, and where in its text (< 0: its start); end: where its one
 * statement ends, once prepared. */
typedef struct {
	Buf why;
	int at, end;
} Fault;

static void refusal(Buf *b, const char *kind)
{
	buf_printf(b, "a %s is one SELECT, which only reads the [tables] (no ATTACH, PRAGMA or the like)", kind);
}

/* The view of that name (as SQLite compares names), -1 if none. */
static long view_index(const SqlMap *m, const char *name)
{
	const Config *cfg = m->s->cfg;
	for (size_t v = 0; v < cfg->nviews; v++)
		if (sqlite3_stricmp(name, cfg->views[v].name) == 0)
			return (long)v;
	return -1;
}

/* The view a "no such table: NAME" names, -1 if none. */
static long view_named(const SqlMap *m, const char *msg)
{
	static const char prefix[] = "no such table: ";
	return strncmp(msg, prefix, sizeof prefix - 1) == 0 ? view_index(m, msg + sizeof prefix - 1) : -1;
}

static sqlite3_stmt *sql_prepare(SqlMap *m, const Query *w, Fault *f);

/* View v made: a TEMP VIEW of its SELECT if sql_prepare takes it, else its error said (at its
 * own text), or it reads a table whose file is missing or empty (said by the sources that read
 * it: an optional one is left out). */
static void view_make(SqlMap *m, size_t v)
{
	const SqlView *def = &m->s->cfg->views[v];
	View *view = &m->view[v];
	view->state = VIEW_MAKING;
	view->read = m->for_source;
	m->making[m->nmaking++] = v;
	Fault f = {{0}, -1, 0};
	sqlite3_stmt *st = sql_prepare(m, &(Query){&def->q, "view", def->name}, &f);
	if (st) {
		sqlite3_finalize(st);
		Buf sql = {0};
		buf_puts(&sql, "CREATE TEMP VIEW ");
		quote_name(&sql, def->name, strlen(def->name));
		buf_puts(&sql, " AS ");
		size_t head = sql.len;
		buf_put(&sql, def->q.text, (size_t)f.end);
		if (sqlite3_exec(m->db, buf_cstr(&sql), NULL, NULL, NULL) != SQLITE_OK) {	/* a parameter: ?1 */
			int at = sqlite3_error_offset(m->db);
			buf_puts(&f.why, sqlite3_errmsg(m->db));
			f.at = at >= (int)head ? at - (int)head : -1;
		}
		buf_free(&sql);
	}
	m->nmaking--;
	const char *why = buf_cstr(&f.why);
	if (!f.why.len)
		view->state = VIEW_MADE;
	else if (missing_table(m->s, why))
		view->state = VIEW_MISSING, view->missing = xstrdup(why);
	else
		view->state = VIEW_BAD, sql_error_at(m->s, &def->q, def->name, why, f.at);
	buf_free(&f.why);
}

/* Why a query cannot read view v, which is not made: it is being made (a circle), its error was
 * said, or a table it reads is missing. */
static void view_not_made(const SqlMap *m, size_t v, Buf *why)
{
	const Config *cfg = m->s->cfg;
	if (m->view[v].state == VIEW_MISSING) {
		buf_puts(why, m->view[v].missing);
		return;
	}
	if (m->view[v].state == VIEW_BAD) {
		buf_printf(why, "view %s (line %u) is not made: its own error says why", cfg->views[v].name,
			   cfg->views[v].line);
		return;
	}
	size_t from = 0;	/* the reader is the last view being made; v is one before, or itself */
	while (m->making[from] != v)
		from++;
	buf_printf(why, "views read each other in a circle (%s reads %s", cfg->views[m->making[m->nmaking - 1]].name,
		   cfg->views[v].name);
	for (size_t k = from + 1; k < m->nmaking; k++)
		buf_printf(why, ", which reads %s", cfg->views[m->making[k]].name);
	buf_puts(why, "); a view cannot read itself, nor a view that reads it");
}

/* w's SELECT prepared to run, checked as every query is: one statement, a SELECT, that only
 * reads (sqlite3_stmt_readonly refuses writes; only_reading ATTACH, PRAGMA and the like); the
 * views it reads made first. NULL after putting why in f (and where). The authorizer is left on:
 * a table-valued PRAGMA asks as it runs (the caller removes it). */
static sqlite3_stmt *sql_prepare(SqlMap *m, const Query *w, Fault *f)
{
	const char *text = w->q->text, *tail = NULL;
	sqlite3_stmt *st = NULL;
	int rc;
	for (;;) {
		m->denied = false;
		sqlite3_set_authorizer(m->db, only_reading, &m->denied);
		if ((rc = sqlite3_prepare_v2(m->db, text, -1, &st, &tail)) == SQLITE_OK || m->denied)
			break;
		long v = view_named(m, sqlite3_errmsg(m->db));
		if (v < 0 || m->view[v].state == VIEW_MADE)	/* main.v: no temp view */
			break;
		if (m->view[v].state != VIEW_NONE) {
			f->at = sqlite3_error_offset(m->db);
			view_not_made(m, (size_t)v, &f->why);
			return NULL;
		}
		view_make(m, (size_t)v);	/* each view once: the loop ends */
	}
	if (rc != SQLITE_OK) {
		f->at = sqlite3_error_offset(m->db);
		if (m->denied)
			refusal(&f->why, w->kind);
		else
			buf_puts(&f->why, sqlite3_errmsg(m->db));
		sqlite3_finalize(st);
		return NULL;
	}
	f->end = tail ? (int)(tail - text) : (int)strlen(text);
	while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';' || *tail == '\r'))
		tail++;
	sqlite3_stmt *more = NULL;	/* a comment after the SELECT's ";" is no second statement */
	if (st && tail && *tail && sqlite3_prepare_v2(m->db, tail, -1, &more, NULL) == SQLITE_OK && !more)
		tail = NULL;
	sqlite3_finalize(more);
	if (!st || !sqlite3_stmt_readonly(st) || (tail && *tail)) {
		buf_printf(&f->why, "a %s is one SELECT", w->kind);
		f->at = st && tail && *tail ? (int)(tail - text) : 0;
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* A SELECT's rows are bounded (four times the rows of the files, and a hundred thousand), and so
 * are its bytes (four times the files', and 64 MiB; a value, a string or a blob SQLite makes,
 * too): a recursive WITH without an end, a join of everything with everything or randomblob(1e9)
 * would fill memory; so is SQLite's memory while it runs (a row's values are all in it at once:
 * thirty columns of 60 MB, each within the bound of a value, took 5 GB). Its time is bounded by
 * sql_timeout (default ten minutes: a correlated subquery over big tables, the Olist example's,
 * may take long), for a recursive WITH that never gives a row, or a join of everything with
 * everything that keeps few. */
#define SQL_ROWS_MIN 100000
#define SQL_ROWS_A_ROW 4
#define SQL_BYTES_MIN (64u << 20)
#define SQL_BYTES_A_BYTE 4
#define SQL_MEMORY_A_BYTE 4	/* SQLite's memory while it runs, over the tables', by the bytes bound */
#define SQL_CLOCK_STEPS 10000	/* SQLite's steps between two looks at the clock: ~0.1 ms */

typedef struct {
	struct timespec end;
	bool late;
} Deadline;

/* SQLite's progress handler: non-zero (the statement interrupted) once the deadline is past. */
static int past_deadline(void *arg)
{
	Deadline *d = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	d->late = now.tv_sec > d->end.tv_sec || (now.tv_sec == d->end.tv_sec && now.tv_nsec >= d->end.tv_nsec);
	return d->late;
}

void sqlmap_source(SqlMap *m, Silver *s, Source *src)
{
	silver_source_free(src);
	silver_source_setup(s, src, src->id);
	src->sql = true;
	Fault f = {{0}, -1, 0};
	m->for_source = true;
	sqlite3_stmt *st = sql_prepare(m, &(Query){&s->cfg->sql[src->id], "source", src->def->name}, &f);
	m->for_source = false;
	if (!st) {
		m->failed = true;
		sql_error(s, src, buf_cstr(&f.why), f.at);
		buf_free(&f.why);
		sqlite3_set_authorizer(m->db, NULL, NULL);
		return;
	}
	uint64_t loaded = 0;
	for (size_t i = 0; i < s->nraw; i++)
		loaded += s->raw[i].loaded;
	uint64_t rows = SQL_ROWS_MIN + loaded * SQL_ROWS_A_ROW, bytes = SQL_BYTES_MIN + m->bytes * SQL_BYTES_A_BYTE, read = 0;
	int length = sqlite3_limit(m->db, SQLITE_LIMIT_LENGTH, bytes < INT_MAX ? (int)bytes : INT_MAX);
	Result x = {0};
	m->amount.decimal = src->opt.decimal;
	m->amount.known = (KnownCodes){s->cfg, src->opt.currency};
	m->amount.home = src->opt.currency ? src->opt.currency : s->cfg->base_currency;
	result_header(&x, m, st, s, src);
	uint32_t n = 0;
	int rc;
	Deadline deadline = {{0}, false};
	clock_gettime(CLOCK_MONOTONIC, &deadline.end);
	deadline.end.tv_sec += s->cfg->sql_timeout;
	sqlite3_progress_handler(m->db, SQL_CLOCK_STEPS, past_deadline, &deadline);
	sqlite3_int64 heap = sqlite3_hard_heap_limit64(sqlite3_memory_used() + (sqlite3_int64)(SQL_MEMORY_A_BYTE * bytes));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < rows && read <= bytes)
		read += result_row(&x, st, src, ++n);
	sqlite3_hard_heap_limit64(heap);
	sqlite3_progress_handler(m->db, 0, NULL, NULL);
	bool big = read > bytes;	/* the last row too */
	src->broken = rc != SQLITE_DONE || big;	/* its rows cut short: not "a header and no row" */
	if (deadline.late) {
		Buf why = {0};
		buf_printf(&why, "the SELECT ran longer than sql_timeout (%d s) allows; a recursive WITH without an end, "
				 "or a join that multiplies rows? If it needs longer, raise sql_timeout",
			   s->cfg->sql_timeout);
		sql_error(s, src, buf_cstr(&why), -1);
		buf_free(&why);
	} else if (rc == SQLITE_ROW || big) {
		Buf why = {0};
		buf_printf(&why, "the SELECT gives more %s than c360 reads (%d times the %s of the [tables] files, and %u%s); "
				 "a recursive WITH without an end, or a join that multiplies rows?", big ? "bytes" : "rows",
			   big ? SQL_BYTES_A_BYTE : SQL_ROWS_A_ROW, big ? "bytes" : "rows",
			   big ? SQL_BYTES_MIN >> 20 : SQL_ROWS_MIN, big ? " MiB" : "");
		sql_error(s, src, buf_cstr(&why), -1);
		buf_free(&why);
	} else if (rc == SQLITE_NOMEM) {
		Buf why = {0};
		buf_printf(&why, "the SELECT needs more memory than c360 gives it (%d times the bytes it may give); "
				 "a row of many long values?", SQL_MEMORY_A_BYTE);
		sql_error(s, src, buf_cstr(&why), -1);
		buf_free(&why);
	} else if (rc != SQLITE_DONE) {
		if (m->denied)	/* a table-valued PRAGMA asks as it runs: SQLite does not say in which view */
			refusal(&f.why, s->cfg->nviews ? "source (and a view it reads)" : "source");
		else
			buf_puts(&f.why, sqlite3_errmsg(m->db));
		sql_error(s, src, buf_cstr(&f.why), -1);
		buf_free(&f.why);
	}
	result_end(&x, s, src);
	amount_said(&m->amount, src);
	sqlite3_finalize(st);
	sqlite3_limit(m->db, SQLITE_LIMIT_LENGTH, length);
	sqlite3_set_authorizer(m->db, NULL, NULL);
	src->present = true;
	silver_source_close(src);
}

void sqlmap_views(SqlMap *m)
{
	const Config *cfg = m->s->cfg;
	for (size_t v = 0; v < cfg->nviews; v++)	/* its errors said even so */
		if (m->view[v].state == VIEW_NONE)
			view_make(m, v);
	sqlite3_set_authorizer(m->db, NULL, NULL);
	const char *names[SRC_COUNT];
	for (int i = 0; i < SRC_COUNT; i++)
		names[i] = source_defs[i].name;
	for (size_t v = 0; v < cfg->nviews && !m->failed; v++) {
		if (m->view[v].read || m->view[v].state == VIEW_BAD)
			continue;
		const char *name = cfg->views[v].name, *near = nearest_word(name, strlen(name), names, SRC_COUNT);
		Buf why = {0};
		buf_printf(&why, "[sql] %s: no source's SELECT reads this view, nor a view one reads", name);
		if (near)
			buf_printf(&why, " (did you mean the source \"%s\"? A key that is no source's is a view)", near);
		diag(&m->s->config_diags, D_CONFIG_NOTE, cfg->views[v].line, cfg->views[v].col, buf_cstr(&why), NULL, 0);
		buf_free(&why);
	}
}
