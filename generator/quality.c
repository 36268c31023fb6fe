/* quality.c — the data-quality measures, counted once from silver: conservation, quarantine,
 * flags, date-order decisions; data_quality.csv and the `c360 check` summary from them. */
#include "c360.h"

#include <stdlib.h>

const char *const source_status_name[STATUS_COUNT] = {"loaded", "missing", "empty", "left out", "not CSV", "none"};
const char *const basis_name[4] = {"column", "dataset", "config", "format"};
const char *const order_name[2] = {"day-first", "month-first"};
const char *const evidence_name[3] = {"ambiguous", "day_first", "month_first"};
const char *const unordered_name[DATES_COUNT] = {NULL, "unix-time", "serial-days", "year-first", "absent"};
const char *const unordered_text[DATES_COUNT] = {NULL, "Unix time", "a spreadsheet's serial days", "year first",
						 "not in the file"};

/* A column's date_order value: its order, or what its dates are when they have none. */
static const char *order_value(const SourceQuality *m)
{
	return m->unordered ? unordered_name[m->unordered] : order_name[m->order];
}

/* Whether format writes the year before its day and month (%Y-%m-%d, %Y%m%d %H:%M, %y/%m/%d). */
static bool year_first(const char *format)
{
	for (const char *f = strchr(format, '%'); f && f[1]; f = strchr(f + 2, '%'))
		if (strchr("YymbBhde", f[1]))
			return f[1] == 'Y' || f[1] == 'y';
	return false;
}

/* DATES_* of a file's [read] date_format (NULL: none). */
static int unordered(const char *format)
{
	return !format ? DATES_ORDERED : strcmp(format, "%s") == 0 ? DATES_UNIX
	       : strcmp(format, "excel") == 0 ? DATES_EXCEL : year_first(format) ? DATES_YEAR_FIRST : DATES_ORDERED;
}

bool quality_conserved(const SourceQuality *m)
{
	return m->rows_read == m->silver_rows + m->quarantined_rows;
}

bool table_conserved(const TableQuality *t)
{
	return t->rows_read == t->table_rows + t->nquarantine;
}

void quality_warning_add(SourceQuality *q, const char *code, uint32_t line, const char *text)
{
	q->warnings = xgrow(q->warnings, q->nwarnings, sizeof *q->warnings);
	q->warnings[q->nwarnings++] = (QualityWarning){code, line, text};
}

void quality_free(SourceQuality q[SRC_COUNT])
{
	for (int i = 0; i < SRC_COUNT; i++) {
		free(q[i].warnings);
		q[i].warnings = NULL, q[i].nwarnings = 0;
	}
}

size_t quality_warnings_text(Buf *b, const SourceQuality q[SRC_COUNT], const NumFormat *f)
{
	size_t n = 0;
	for (int i = 0; i < SRC_COUNT; i++)
		n += q[i].nwarnings;
	fmt_int(b, f, (int64_t)n);
	buf_puts(b, n == 1 ? " warning" : " warnings");
	return n;
}

/* The warnings the build said of src's file, code by code (a file-level code keeps every one it
 * said, up to DIAG_FILE_SAMPLES): what the site says beside the counts (a column missing, a
 * status that says otherwise), not a missing or empty optional file, which its status says. */
static void warnings_of(const Source *src, SourceQuality *m)
{
	for (int k = 0; k < D_COUNT; k++) {
		const DiagTally *t = &src->diags.tally[k];
		if (diag_info[k].sev != SEV_WARNING || diag_row_level((DiagCode)k) || k == D_OPTIONAL_MISSING ||
		    k == D_EMPTY_OPTIONAL)
			continue;
		for (unsigned i = 0; i < t->nsamples; i++)	/* a [sql] source's lines are its SELECT's or a table's */
			quality_warning_add(m, diag_info[k].name, src->sql || t->sample[i].file ? 0 : t->sample[i].line,
					    t->sample[i].text);
	}
}

void quality_measure(const Silver *s, SourceQuality q[SRC_COUNT])
{
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		SourceQuality *m = &q[i];
		*m = (SourceQuality){.file = config_file_of(s->cfg, (SourceId)i),
				     .status = s->cfg->no_file[i] ? STATUS_NONE : !src->present ? STATUS_MISSING
					       /* a required one's too; a [sql] source's reading a table of such a file has no header */
					       : src->diags.tally[D_NOT_CSV].count || src->opt.not_csv ? STATUS_NOT_CSV
					       : !src->have_header ? STATUS_EMPTY
					       : src->left_out ? STATUS_LEFT_OUT : STATUS_LOADED,
				     .rows_read = src->rows_read, .blank_lines = src->blank_lines,
				     .skipped_lines = src->skipped_lines, .silver_rows = silver_rows(s, (SourceId)i),
				     .quarantined_rows = src->nquarantine,
				     .after_as_of = src->after_as_of, .flagged_rows = src->flagged_rows,
				     .order = src->order, .basis = src->basis, .unordered = unordered(src->opt.date_format),
				     .ambiguous = src->ambiguous, .quarantine = src->quarantine, .nquarantine = src->nquarantine,
				     .examples = &src->examples};
		m->date_none = s->cfg->no_column[i][src->def->date_col];	/* a SELECT's column of that name ignored too */
		if (i == SRC_CUSTOMERS)
			m->inferred = src->table.n - s->ncrm;
		memcpy(m->reason, src->reason_count, sizeof m->reason);
		memcpy(m->flag, src->flag_count, sizeof m->flag);
		warnings_of(src, m);
		if (m->status != STATUS_LOADED || src->field_of[src->def->date_col] < 0) {
			m->unordered = DATES_ABSENT;	/* no column, no dates: nothing was decided */
			m->ambiguous = 0;
			continue;
		}
		const uint64_t *e = src->basis == BASIS_DATASET ? s->dataset_evidence : src->evidence;
		m->evidence[EVIDENCE_DAY_FIRST] = e[EVIDENCE_DAY_FIRST];
		m->evidence[EVIDENCE_MONTH_FIRST] = e[EVIDENCE_MONTH_FIRST];
	}
}

TableQuality *quality_tables(const Silver *s, size_t *n)
{
	TableQuality *t = xcalloc(s->nraw + 1, sizeof *t);
	for (size_t i = 0; i < s->nraw; i++) {
		const RawTable *r = &s->raw[i];
		SourceStatus status = !r->present ? STATUS_MISSING : r->empty ? STATUS_EMPTY
				    : r->not_csv ? STATUS_NOT_CSV : STATUS_LOADED;
		t[i] = (TableQuality){r->def->name, r->def->file, status, r->rows_read, r->blank_lines, r->loaded,
				      r->quarantine, r->nquarantine};
	}
	*n = s->nraw;
	return t;
}

void source_why(Buf *b, const SourceQuality *q)
{
	if (q->status == STATUS_MISSING)
		buf_printf(b, "%s is missing", q->file);
	else if (q->status == STATUS_EMPTY)
		buf_printf(b, "%s is empty", q->file);
	else if (q->status == STATUS_LEFT_OUT)
		buf_printf(b, "%s was left out: a column it needs is missing", q->file);
	else if (q->status == STATUS_NOT_CSV)
		buf_printf(b, "%s was left out: it is not CSV (a spreadsheet or JSON)", q->file);
	else if (q->status == STATUS_NONE)
		buf_puts(b, "the exports have none ([files] says so)");
}

const char *dates_absent_why(const SourceQuality *q)
{
	if (q->unordered != DATES_ABSENT || q->status != STATUS_LOADED)
		return NULL;
	if (q->date_none)	/* before [sql]'s: its SELECT may have a column of that name, ignored */
		return "none in the exports ([columns] says so)";
	return strcmp(q->file, SQL_FILE) == 0 ? "not in its SQL SELECT" : NULL;
}

/* "column evidence: 6 day-first, 0 month-first; 2 ambiguous values" */
static void order_detail(Buf *b, const SourceQuality *q)
{
	if (q->unordered == DATES_ABSENT) {
		const char *why = dates_absent_why(q);
		if (why)
			buf_printf(b, "%s: no dates to read, no order decided", why);
		else if (q->status == STATUS_LOADED)
			buf_printf(b, "not in %s: no dates to read, no order decided", q->file);
		else if (q->status == STATUS_NONE)
			buf_puts(b, "none in the exports: no dates to read, no order decided");
		else
			buf_printf(b, "%s %s: no dates to read, no order decided", q->file, source_status_name[q->status]);
		return;
	}
	if (q->basis == BASIS_FORMAT && q->unordered) {	/* no day and month: no order to claim */
		buf_printf(b, "%s, from the file's [read] date_format", unordered_text[q->unordered]);
		return;
	}
	if (q->basis == BASIS_FORMAT) {
		buf_puts(b, "the order of the file's [read] date_format");
		return;
	}
	if (q->basis == BASIS_CONFIG && q->evidence[EVIDENCE_DAY_FIRST])	/* as much of each: a tie */
		buf_printf(b, "column evidence: %llu day-first, %llu month-first, a tie, and the dataset's too; date_order "
			   "from the configuration", (unsigned long long)q->evidence[EVIDENCE_DAY_FIRST],
			   (unsigned long long)q->evidence[EVIDENCE_MONTH_FIRST]);
	else if (q->basis == BASIS_CONFIG)
		buf_puts(b, "no day/month evidence in the column and none or a tie in the dataset; date_order from the "
			    "configuration");
	else
		buf_printf(b, "%s evidence: %llu day-first, %llu month-first", basis_name[q->basis],
			   (unsigned long long)q->evidence[EVIDENCE_DAY_FIRST],
			   (unsigned long long)q->evidence[EVIDENCE_MONTH_FIRST]);
	buf_printf(b, "; %llu ambiguous values", (unsigned long long)q->ambiguous);
	if (!q->ambiguous && q->basis != BASIS_COLUMN)	/* every date year-first or with its month named */
		buf_puts(b, ": no value was read by that order");
}

static void row(Buf *b, const char *source, const char *measure, const char *item, uint64_t value)
{
	buf_printf(b, "%s,%s,%s,%llu,\n", source, measure, item, (unsigned long long)value);
}

/* A file read as a SQL table: rows read = rows in the table + rows quarantined. */
static void table_rows(Buf *b, const TableQuality *t)
{
	buf_printf(b, "%s,status,,%s,", t->name, source_status_name[t->status]);
	csv_field(b, t->file, strlen(t->file));
	buf_putc(b, '\n');
	row(b, t->name, "rows_read", "", t->rows_read);
	row(b, t->name, "blank_lines", "", t->blank_lines);
	row(b, t->name, "table_rows", "", t->table_rows);
	row(b, t->name, "quarantined_rows", "", t->nquarantine);
	buf_printf(b, "%s,conservation,,%s,rows_read = table_rows + quarantined_rows\n", t->name,
		   table_conserved(t) ? "ok" : "broken");
}

void quality_table(Buf *b, const SourceQuality q[SRC_COUNT], const TableQuality *t, size_t nt)
{
	Buf detail = {0};
	for (int i = 0; i < SRC_COUNT; i++) {
		const SourceQuality *m = &q[i];
		const char *name = source_defs[i].name;
		buf_printf(b, "%s,status,,%s,", name, source_status_name[m->status]);
		csv_field(b, m->file, strlen(m->file));
		buf_putc(b, '\n');
		row(b, name, "rows_read", "", m->rows_read);
		row(b, name, "blank_lines", "", m->blank_lines);
		row(b, name, "skipped_lines", "", m->skipped_lines);
		row(b, name, "silver_rows", "", m->silver_rows);
		if (i == SRC_CUSTOMERS)
			row(b, name, "inferred_customers", "", m->inferred);
		row(b, name, "quarantined_rows", "", m->quarantined_rows);
		for (int r = 0; r < D_NREASONS; r++)	/* excluded: a [sql] _quarantine's, only where there are such */
			if (m->reason[r] || D_FIRST_REASON + r != D_EXCLUDED)
				row(b, name, "quarantined_rows", diag_info[D_FIRST_REASON + r].name, m->reason[r]);
		row(b, name, "flagged_rows", "", m->flagged_rows);
		for (int f = 0; f < D_NFLAGS; f++)
			row(b, name, "flagged_rows", diag_info[D_FIRST_FLAG + f].name, m->flag[f]);
		row(b, name, "after_as_of_rows", "", m->after_as_of);
		detail.len = 0;
		order_detail(&detail, m);
		const char *column = source_defs[i].cols[source_defs[i].date_col];
		buf_printf(b, "%s,date_order,%s,%s,", name, column, order_value(m));
		csv_field(b, detail.p, detail.len);
		buf_printf(b, "\n%s,date_basis,%s,%s,\n", name, column,
			   m->unordered == DATES_ABSENT ? "" : basis_name[m->basis]);	/* none: nothing decided */
		for (int e = EVIDENCE_DAY_FIRST; e <= EVIDENCE_MONTH_FIRST; e++)
			row(b, name, "date_evidence", evidence_name[e], m->evidence[e]);
		row(b, name, "date_evidence", evidence_name[EVIDENCE_NONE], m->ambiguous);
		buf_printf(b, "%s,conservation,,%s,rows_read = silver_rows + quarantined_rows\n", name,
			   quality_conserved(m) ? "ok" : "broken");
		for (size_t k = 0; k < m->nwarnings; k++) {
			const QualityWarning *w = &m->warnings[k];
			buf_printf(b, "%s,warning,%s,", name, w->code);
			if (w->line)
				buf_printf(b, "%u", w->line);
			buf_putc(b, ',');
			csv_field(b, w->text, strlen(w->text));
			buf_putc(b, '\n');
		}
	}
	for (size_t i = 0; i < nt; i++)
		table_rows(b, &t[i]);
	buf_free(&detail);
}

static void summary_counts(Buf *b, const char *title, int first, int n, const uint64_t *counts)
{
	bool any = false;
	for (int k = 0; k < n; k++) {
		if (!counts[k])
			continue;
		buf_printf(b, "%s%s %llu", any ? ", " : title, diag_info[first + k].name, (unsigned long long)counts[k]);
		any = true;
	}
	if (any)
		buf_putc(b, '\n');
}

#define ULL(x) ((unsigned long long)(x))

/* What could be read of sources whose cleaning did not finish: the files, not their rows. */
static void summary_unfinished(Buf *b, const SourceQuality q[SRC_COUNT])
{
	buf_puts(b, "source             status      rows read  blank lines\n");
	for (int i = 0; i < SRC_COUNT; i++) {
		const SourceQuality *m = &q[i];
		if (m->status == STATUS_LOADED)
			buf_printf(b, "%-18s %-8s %12llu %12llu\n", source_defs[i].name, source_status_name[m->status],
				   ULL(m->rows_read), ULL(m->blank_lines));
		else
			buf_printf(b, "%-18s %s\n", source_defs[i].name, source_status_name[m->status]);
	}
	buf_puts(b, "\nThe data could not be cleaned (see the errors above): no silver, quarantine or as-of date.\n");
}

void quality_summary(Buf *b, const SourceQuality q[SRC_COUNT], const TableQuality *t, size_t nt, int64_t as_of)
{
	if (as_of == MOMENT_NULL) {
		summary_unfinished(b, q);
		return;
	}
	buf_puts(b, "rows per source    status        read  blank lines    silver  quarantined   flagged  after as-of\n");
	for (int i = 0; i < SRC_COUNT; i++) {
		const SourceQuality *m = &q[i];
		buf_printf(b, "%-18s %-8s %9llu %12llu %9llu %12llu %9llu %12llu\n", source_defs[i].name,
			   source_status_name[m->status], ULL(m->rows_read), ULL(m->blank_lines), ULL(m->silver_rows),
			   ULL(m->quarantined_rows), ULL(m->flagged_rows), ULL(m->after_as_of));
	}
	for (size_t i = 0; i < nt; i++)
		buf_printf(b, "%-18s %-8s %9llu %12llu %9llu %12zu   (a table for SQL)\n", t[i].name,
			   source_status_name[t[i].status], ULL(t[i].rows_read), ULL(t[i].blank_lines),
			   ULL(t[i].table_rows), t[i].nquarantine);
	buf_putc(b, '\n');
	for (int i = 0; i < SRC_COUNT; i++) {
		const SourceQuality *m = &q[i];
		if (m->status == STATUS_MISSING)
			continue;
		buf_printf(b, "%s\n", source_defs[i].name);
		summary_counts(b, "  quarantined rows: ", D_FIRST_REASON, D_NREASONS, m->reason);
		summary_counts(b, "  flagged rows: ", D_FIRST_FLAG, D_NFLAGS, m->flag);
		buf_printf(b, "  %s: ", source_defs[i].cols[source_defs[i].date_col]);
		if (!m->unordered)	/* else the detail says what its dates are */
			buf_printf(b, "%s (", order_name[m->order]);
		order_detail(b, m);
		buf_puts(b, m->unordered ? "\n" : ")\n");
	}
	buf_puts(b, "\nas of ");
	buf_date(b, as_of);
	buf_putc(b, '\n');
}

void quality_lines(Buf *b, const SourceQuality q[SRC_COUNT], const char *prefix)
{
	for (int i = 0; i < SRC_COUNT; i++) {
		const SourceQuality *m = &q[i];
		if (m->status != STATUS_LOADED)
			continue;
		bool sql = strcmp(m->file, SQL_FILE) == 0, shared = false;	/* several may be SQL, or read one file */
		for (int j = 0; j < SRC_COUNT && !sql; j++)
			shared |= j != i && q[j].status == STATUS_LOADED && strcmp(q[j].file, m->file) == 0;
		buf_puts(b, prefix);
		if (sql)
			buf_printf(b, "%s %s", source_defs[i].name, m->file);
		else
			buf_printf(b, shared ? "%s (%s)" : "%s", m->file, source_defs[i].name);
		buf_printf(b, ": %llu %s read: %llu in silver (%llu flagged), %llu quarantined\n", ULL(m->rows_read),
			   m->rows_read == 1 ? "row" : "rows", ULL(m->silver_rows), ULL(m->flagged_rows), ULL(m->quarantined_rows));
	}
}

/* ---- the as-of date against the data */

/* An event at when (of source id, at line of file: 0 if not known; of a lazy source's last: its
 * other rows not read) seen: the latest, or the latest of the others. */
static void event_seen(LatestEvent *e, int64_t when, SourceId id, uint32_t line, uint32_t file, bool lazy)
{
	if (when > e->when) {	/* MOMENT_NULL is below every moment */
		e->other = e->when;
		e->when = when, e->source = id, e->line = line, e->file = file, e->seen_all = !lazy;
	} else if (when > e->other) {
		e->other = when;
	}
}

LatestEvent quality_latest_event(const Silver *s)
{
	LatestEvent e = {MOMENT_NULL, SRC_COUNT, 0, 0, 0, MOMENT_NULL, false};
	int64_t after = s->as_of == MOMENT_NULL ? INT64_MAX : date_last_moment(s->as_of);
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		if (!source_is_fact((SourceId)i))
			continue;
		const LazyFinish *lf = silver_lazy_finish(src);
		int64_t last = lf ? lf->last[src->order] : MOMENT_NULL;
		if (lf)	/* a lazy source's rows are not read for it: the line loading kept */
			event_seen(&e, last, (SourceId)i, lf->last_line[src->order], 0, true);
		if (lf && last != MOMENT_NULL && last <= after)	/* one counts at least; its rows are not read */
			e.counted++;
		for (size_t r = 0, n = !lf ? src->table.n : last > after ? src->table.n : 0; r < n; r++) {
			RowHead copy;
			const RowHead *h = lf ? (silver_lazy_head(src, r, &copy), &copy) : ROW(&src->table, RowHead, r);
			e.counted += h->when != MOMENT_NULL && h->when <= after;
			if (!lf)
				event_seen(&e, h->when, (SourceId)i, h->line, ROW_FILE(h), false);
		}
	}
	return e;
}

/* Where event e is: its date, and its file and line as known (a [sql] source's row's file when
 * it is one of the [tables]' files). */
static void event_where(Buf *b, const Silver *s, const LatestEvent *e)
{
	const char *file = config_file_of(s->cfg, e->source);
	buf_date(b, date_floor_day(e->when));
	if (e->file && e->line && s->paths)
		buf_printf(b, " (%s line %u)", s->paths[e->file - 1], e->line);
	else if (strcmp(file, SQL_FILE) == 0)
		buf_printf(b, " (%s, made by SQL)", source_defs[e->source].name);
	else if (e->line)
		buf_printf(b, " (%s line %u)", file, e->line);
	else
		buf_printf(b, " (%s)", file);
}

/* Without --as-of: the report's day is the latest event's, which the churn window's days or
 * more part from every other event (a year typed wrong: 2042 for 2024). */
static bool lone_latest_warning(const Silver *s, const LatestEvent *e, Buf *b)
{
	int64_t w = s->cfg->churn_window_days, other = date_floor_day(e->other);
	if (!e->seen_all || e->other == MOMENT_NULL || date_floor_day(e->when) - other < w)
		return false;
	buf_puts(b, "warning: the as-of date is the day of the latest event alone, ");
	event_where(b, s, e);
	buf_printf(b, ": every other event is %lld days or more before it (the latest of them on ",
		   (long long)(date_floor_day(e->when) - other));
	buf_date(b, other);
	buf_printf(b, "), so with a churn window of %lld days (churn_window_days) at most that event's customer is "
		      "active; a date typed wrong? Correct it, or pass --as-of ", (long long)w);
	buf_date(b, other);
	return true;
}

bool quality_as_of_warning(const Silver *s, Buf *b)
{
	const Config *c = s->cfg;
	if (s->as_of == MOMENT_NULL)
		return false;
	if (c->as_of == MOMENT_NULL)	/* the default: the latest event's day (find_as_of's) */
		return lone_latest_warning(s, &s->latest, b);
	LatestEvent e = quality_latest_event(s);
	if (e.when == MOMENT_NULL)
		return false;
	uint64_t late = 0;
	for (int i = 0; i < SRC_COUNT; i++)
		late += source_is_fact((SourceId)i) ? s->src[i].after_as_of : 0;
	int64_t last = date_floor_day(e.when), gap = s->as_of - last, w = c->churn_window_days;
	if (gap < w && (e.counted || !late))	/* the window (A - W, A] holds the latest day; a dated fact counts */
		return false;
	Buf where = {0};
	event_where(&where, s, &e);
	buf_puts(b, "warning: --as-of ");
	buf_date(b, s->as_of);
	if (gap >= w)
		buf_printf(b, " is %lld days after the latest event in the data, %s: with a churn window of %lld days "
			   "(churn_window_days), no order is in the window, so no customer is active, every one with a ticket "
			   "is at churn risk and none is a Champion, Loyal or New; drop --as-of to report as of the latest "
			   "event, or give a date nearer it", (long long)gap, buf_cstr(&where), (long long)w);
	else
		buf_printf(b, " is before every dated order, payment, ticket and session of the data (%llu), all left out "
			   "of every figure: only undated ones count; the latest event is %s: drop --as-of to report as of it",
			   (unsigned long long)late, buf_cstr(&where));
	buf_free(&where);
	return true;
}

/* ---- each flag's first rows (FlagExamples) */

/* Pick a comes before b: by line, then key (bytes), then row. A key not known (a lazy source's
 * kept check) is never compared: no row is added to those picks. */
static bool pick_before(const FlagPick *a, const FlagPick *b)
{
	if (a->line != b->line)
		return a->line < b->line;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = a->key && b->key && n ? memcmp(a->key, b->key, n) : 0;
	if (c || a->keylen != b->keylen)
		return c ? c < 0 : a->keylen < b->keylen;
	return a->row < b->row;
}

uint32_t flag_picks_wanted(const FlagPicks *p, uint32_t flags, uint32_t line)
{
	uint32_t want = 0;
	for (uint32_t b = flags & F_ROW_FLAGS; b; b &= b - 1) {
		int k = __builtin_ctz(b);
		want |= p->n[k] < FLAG_EXAMPLES || line <= p->pick[k][FLAG_EXAMPLES - 1].line ? 1u << k : 0;
	}
	return want;
}

void flag_picks_add(FlagPicks *p, uint32_t flags, uint32_t row, uint32_t line, const char *key, uint32_t keylen)
{
	FlagPick x = {row, line, keylen, key};
	for (uint32_t b = flags & F_ROW_FLAGS; b; b &= b - 1) {
		int k = __builtin_ctz(b);
		FlagPick *pk = p->pick[k];
		unsigned n = p->n[k], at = n;
		while (at > 0 && pick_before(&x, &pk[at - 1]))
			at--;
		if (at == FLAG_EXAMPLES)
			continue;
		unsigned keep = n < FLAG_EXAMPLES ? n : FLAG_EXAMPLES - 1;	/* full: the last one goes */
		memmove(pk + at + 1, pk + at, (keep - at) * sizeof *pk);
		pk[at] = x;
		p->n[k] = (uint8_t)(keep + 1);
	}
}

/* A value of an example: its first EXAMPLE_BYTES bytes, copied; NULL: emptied. */
static void example_value(FlagExample *e, Arena *a, int col, const char *s, size_t n)
{
	if (e->nvalues == EXAMPLE_VALUES)
		return;
	n = n > EXAMPLE_BYTES ? EXAMPLE_BYTES : n;
	e->value[e->nvalues++] = (ExampleValue){(int8_t)col, s == NULL, s ? (uint32_t)n : 0,
						s ? arena_strndup(a, s, n) : ""};
}

/* Whether label s is one [categories] of cfg adds to kind's (a value its words map to it is known). */
static bool category_label_added(const Config *cfg, CatKind kind, Str s)
{
	for (size_t i = 0; cfg && i < cfg->nwords[kind]; i++)
		if (strlen(cfg->words[kind][i].label) == s.n && memcmp(cfg->words[kind][i].label, s.p, s.n) == 0)
			return true;
	return false;
}

/* What flag k names in a row, as gold has it: the date, e-mail or amount it emptied (or a
 * negative amount), the customer not in the CRM, each category value that is none of c360's own
 * labels nor one cfg's [categories] adds (kept as written, title-cased); if there is none, each
 * label [categories] adds (a value no word knows, written as such a label, is kept as it: gold
 * cannot tell them apart, and the row's flag is of one of them). A ragged row, invalid UTF-8 and
 * a NUL byte name no column: none. */
void flag_example_make(FlagExample *e, Arena *a, const Config *cfg, SourceId id, int k, const RowHead *h,
		       const Dict *dict, const Table *customers)
{
	const SourceDef *def = &source_defs[id];
	int code = D_FIRST_FLAG + k;
	*e = (FlagExample){.line = h->line, .keylen = h->idlen > EXAMPLE_BYTES ? EXAMPLE_BYTES : h->idlen};
	e->key = arena_strndup(a, h->id, e->keylen);
	Buf b = {0};
	if (code == D_INVALID_DATE || code == D_IMPLAUSIBLE_DOB) {
		char text[DATE_TEXT_MAX + 1];
		size_t n = h->when == MOMENT_NULL ? 0
			   : date_format(text, h->when, def->timestamp && !(h->flags & F_DATE_ONLY));
		example_value(e, a, def->date_col, n ? text : NULL, n);
	} else if (code == D_INVALID_EMAIL && id == SRC_CUSTOMERS) {
		const char *email = ((const Customer *)h)->email;
		example_value(e, a, CU_EMAIL, email, email ? strlen(email) : 0);
	} else if (code == D_INVALID_AMOUNT || code == D_NEGATIVE_AMOUNT || code == D_UNCONVERTIBLE_CURRENCY) {
		for (int c = 0; c < def->ncols; c++) {
			if (def->rule[c].kind != COL_AMOUNT)
				continue;
			int64_t cents;
			memcpy(&cents, fact_field(h, id, c), sizeof cents);
			b.len = 0;
			if (cents != AMOUNT_NULL)
				fmt_hundredths(&b, &fmt_plain, cents);
			example_value(e, a, c, cents == AMOUNT_NULL ? NULL : b.p, b.len);
		}
	} else if (code == D_ORPHAN_CUSTOMER && source_is_fact(id)) {
		if (customers && h->customer < customers->n) {
			const RowHead *c = ROW(customers, RowHead, h->customer);
			example_value(e, a, def->customer_col, c->id, c->idlen);
		}
	} else if (code == D_UNKNOWN_CATEGORY) {
		for (int added = 0; added < 2 && !e->nvalues; added++)	/* the configuration's only if none else */
			for (int c = 0; c < def->ncols; c++) {
				const ColumnRule *rule = &def->rule[c];
				if (rule->kind != COL_CATEGORY || !clean_category_ruled(rule->category))
					continue;
				uint32_t label;
				memcpy(&label, fact_field(h, id, c), sizeof label);
				if (label < clean_category_builtin(rule->category) || label >= dict[c].n)
					continue;	/* one of c360's own */
				Str s = dict_str(&dict[c], label);
				if (category_label_added(cfg, rule->category, s) == added)
					example_value(e, a, c, s.p, s.n);
			}
	}
	buf_free(&b);
}

void flag_examples_make(FlagExamples *x, const FlagPicks *p, Arena *a, const Config *cfg, SourceId id, const Dict *dict,
			const Table *customers, const RowHead *(*row_of)(void *ctx, uint32_t row, char *buf), void *ctx)
{
	char buf[ROW_MAX] __attribute__((aligned(8)));
	memset(x, 0, sizeof *x);
	for (int k = 0; k < D_NFLAGS; k++) {
		for (unsigned i = 0; i < p->n[k]; i++)
			flag_example_make(&x->row[k][i], a, cfg, id, k, row_of(ctx, p->pick[k][i].row, buf), dict,
					  customers);
		x->n[k] = p->n[k];
	}
}
