/* site_quality.c — quality.html (the data-quality report) and segments/ (lists for marketing). */
#include "c360.h"

#include <stdio.h>
#include <stdlib.h>

#define QUARANTINE_SAMPLES 5	/* raw rows shown per source and reason */
#define FLAG_SAMPLES 5		/* gold rows shown per source and flag, the first in file order */
#define SHOWN_BYTES 300		/* of a row as read or a value: the rest is cut */
#define SEGMENT_ROWS 200	/* customers listed on a segment's page; the CSV has them all */

static const char *const basis_text[] = {"its own values", "the dataset's other date columns", "the configuration",
					  "its [read] date_format"};

/* A reason or flag as the page explains it: its name, what it means and how to fix it. */
static Value *explained(Arena *a, Value *o, int code)
{
	v_set(a, o, "name", v_cstr(a, diag_info[code].name));
	v_set(a, o, "what", v_cstr(a, diag_help[code].what));
	v_set(a, o, "fix", v_cstr(a, diag_help[code].fix));
	return o;
}

/* Data text as the page shows it: its first SHOWN_BYTES bytes, with invalid UTF-8 (a character
 * cut there too) and NUL bytes as U+FFFD; the template escapes it. */
static Value *shown(Arena *a, const char *s, size_t n, Buf *clean)
{
	n = n > SHOWN_BYTES ? SHOWN_BYTES : n;
	clean->len = 0;
	if (utf8_sanitize(s, n, clean))
		s = clean->p, n = clean->len;
	return v_str(a, s, n);
}

static Value *line_value(Arena *a, uint32_t line)
{
	char text[16];
	int n = snprintf(text, sizeof text, "%u", (unsigned)line);
	return v_str(a, text, (size_t)n);
}

/* The first few quarantined rows of a reason, as read. */
static Value *quarantine_samples(Arena *a, const SourceQuality *m, int reason, Buf *clean)
{
	Value *list = v_list(a);
	for (size_t q = 0; q < m->nquarantine && list->n < QUARANTINE_SAMPLES; q++) {
		const Quarantined *x = &m->quarantine[q];
		if ((int)x->reason != reason)
			continue;
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "line", line_value(a, x->line));
		v_set(a, o, "raw", shown(a, x->raw, x->rawlen, clean));
	}
	return list;
}

/* ---- a flag's first rows, from the gold tables (a build's and a gold folder's alike) */

/* Per flag, the rows of a gold table that come first in file order: by line, then key. */
typedef struct {
	uint32_t row[D_NFLAGS][FLAG_SAMPLES];
	unsigned n[D_NFLAGS];
} FlagRows;

/* Row a comes before row b in file order (lines tie only in gold written by another engine). */
static bool row_before(const Table *t, uint32_t a, uint32_t b)
{
	const RowHead *x = ROW(t, RowHead, a), *y = ROW(t, RowHead, b);
	if (x->line != y->line)
		return x->line < y->line;
	int c = id_compare(x->id, x->idlen, y->id, y->idlen);
	return c ? c < 0 : a < b;
}

/* Row r among flag k's, if it is one of the FLAG_SAMPLES first so far. */
static void flag_rows_add(const Table *t, FlagRows *f, int k, uint32_t r)
{
	uint32_t *row = f->row[k];
	unsigned n = f->n[k], at = n;
	while (at > 0 && row_before(t, r, row[at - 1]))
		at--;
	if (at == FLAG_SAMPLES)
		return;
	unsigned keep = n < FLAG_SAMPLES ? n : FLAG_SAMPLES - 1;	/* full: the last one goes */
	memmove(row + at + 1, row + at, (keep - at) * sizeof *row);
	row[at] = r;
	f->n[k] = keep + 1;
}

/* Each flag's first FLAG_SAMPLES rows of a source's gold table. Facts dated after the as-of
 * date are in no gold table, so in none here. Gold holds the facts in file order, so their walk
 * stops once every flag has its rows (count[k] says how many it has, late ones included): most
 * often after a few rows, at worst one look at each row's flags. The customers, whom gold holds
 * in id order, are walked whole. */
static void flag_rows(const Gold *g, SourceId id, const uint64_t *count, FlagRows *f)
{
	const Table *t = g->src[id].table;
	bool fact = source_is_fact(id);
	int64_t last = date_last_moment(g->as_of);
	uint32_t wanted = 0;
	memset(f, 0, sizeof *f);
	for (int k = 0; k < D_NFLAGS; k++)
		wanted |= count[k] ? 1u << k : 0;
	for (size_t r = 0; t && r < t->n && wanted; r++) {
		const RowHead *h = ROW(t, RowHead, r);
		uint32_t flags = h->flags & F_ROW_FLAGS & wanted;
		if (!flags || (fact && fact_after(h, last)))
			continue;
		for (int k = 0; k < D_NFLAGS; k++) {
			if (!(flags >> k & 1))
				continue;
			flag_rows_add(t, f, k, (uint32_t)r);
			if (fact && (f->n[k] == FLAG_SAMPLES || f->n[k] == count[k]))
				wanted &= ~(1u << k);
		}
	}
}

/* One value of a flagged row as its gold row has it: its column, and its text or that it is
 * empty there (the flag's value set to null). */
static void flag_value(Arena *a, Value *list, const char *column, const char *s, size_t n, Buf *clean)
{
	Value *o = v_push(a, list, v_obj(a));
	v_set(a, o, "column", v_cstr(a, column));
	v_set(a, o, "emptied", v_bool(a, s == NULL));
	v_set(a, o, "value", s ? shown(a, s, n, clean) : v_cstr(a, ""));
	v_set(a, o, "more", v_bool(a, list->n > 1));
}

/* The values a flag names in a row, as gold has them: the date, e-mail or amount it emptied (or
 * a negative amount), the customer not in the CRM, the category values that are none of c360's
 * labels (kept as written, title-cased). A ragged row, invalid UTF-8 and a NUL byte name no
 * value of gold's: none. */
static Value *flag_values(const Gold *g, Arena *a, SourceId id, int code, const RowHead *h, Buf *clean)
{
	const SourceDef *def = &source_defs[id];
	Value *list = v_list(a);
	char text[DATE_TEXT_MAX + 1];
	if (code == D_INVALID_DATE || code == D_IMPLAUSIBLE_DOB) {
		size_t n = h->when == MOMENT_NULL ? 0
			   : date_format(text, h->when, def->timestamp && !(h->flags & F_DATE_ONLY));
		flag_value(a, list, def->cols[def->date_col], n ? text : NULL, n, clean);
	} else if (code == D_INVALID_EMAIL && id == SRC_CUSTOMERS) {
		const char *email = ((const Customer *)h)->email;
		flag_value(a, list, def->cols[CU_EMAIL], email, email ? strlen(email) : 0, clean);
	} else if (code == D_INVALID_AMOUNT || code == D_NEGATIVE_AMOUNT || code == D_UNCONVERTIBLE_CURRENCY) {
		for (int c = 0; c < def->ncols; c++) {
			if (def->rule[c].kind != COL_AMOUNT)
				continue;
			int64_t cents = *(const int64_t *)fact_field(h, id, c);
			clean->len = 0;
			if (cents != AMOUNT_NULL)
				fmt_hundredths(clean, &fmt_plain, cents);
			char *s = cents == AMOUNT_NULL ? NULL : arena_strndup(a, clean->p, clean->len);
			flag_value(a, list, def->cols[c], s, s ? strlen(s) : 0, clean);
		}
	} else if (code == D_ORPHAN_CUSTOMER && source_is_fact(id)) {
		const Table *cu = g->src[SRC_CUSTOMERS].table;
		if (cu && h->customer < cu->n) {
			const RowHead *c = ROW(cu, RowHead, h->customer);
			flag_value(a, list, def->cols[def->customer_col], c->id, c->idlen, clean);
		}
	} else if (code == D_UNKNOWN_CATEGORY) {
		for (int c = 0; c < def->ncols; c++) {
			const ColumnRule *rule = &def->rule[c];
			if (rule->kind != COL_CATEGORY || !clean_category_ruled(rule->category))
				continue;
			uint32_t label = *(const uint32_t *)fact_field(h, id, c);
			if (label < clean_category_builtin(rule->category))
				continue;	/* one of c360's own */
			Str s = dict_str(&g->src[id].dict[c], label);
			flag_value(a, list, def->cols[c], s.p, s.n, clean);
		}
	}
	return list;
}

/* A flag's first rows in a source: line, key and the values it names. */
static Value *flag_samples(const Gold *g, Arena *a, SourceId id, const FlagRows *f, int k, Buf *clean)
{
	const Table *t = g->src[id].table;
	Value *list = v_list(a);
	for (unsigned i = 0; i < f->n[k]; i++) {
		const RowHead *h = ROW(t, RowHead, f->row[k][i]);
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "line", line_value(a, h->line));
		v_set(a, o, "key", shown(a, h->id, h->idlen, clean));
		v_set(a, o, "values", flag_values(g, a, id, D_FIRST_FLAG + k, h, clean));
	}
	return list;
}

/* The reasons or flags that occur in a source: each explained, with its count and its first
 * rows (a reason's as read; a flag's as gold has them, f). */
static Value *counts(const Gold *g, Arena *a, SourceId id, int first, int n, const uint64_t *count,
		     const FlagRows *f)
{
	const SourceQuality *m = &g->quality[id];
	Value *list = v_list(a);
	Buf clean = {0};
	for (int k = 0; k < n; k++) {
		if (!count[k])
			continue;
		Value *o = explained(a, v_push(a, list, v_obj(a)), first + k);
		v_set(a, o, "count", v_num(a, V_INT, (int64_t)count[k]));
		if (first == D_FIRST_REASON)
			v_set(a, o, "samples", quarantine_samples(a, m, first + k, &clean));
		else if (first == D_FIRST_FLAG)
			v_set(a, o, "samples", flag_samples(g, a, id, f, k, &clean));
		if (first == D_FIRST_FLAG)
			v_set(a, o, "shown", v_num(a, V_INT, (int64_t)f->n[k]));
	}
	buf_free(&clean);
	return list;
}

static Value *source_values(const Gold *g, Arena *a, SourceId i)
{
	const SourceQuality *m = &g->quality[i];
	const SourceDef *def = &source_defs[i];
	Value *o = v_obj(a);
	v_set(a, o, "name", v_cstr(a, def->name));
	v_set(a, o, "source", v_cstr(a, def->name));
	v_set(a, o, "key_column", v_cstr(a, def->cols[0]));
	v_set(a, o, "file", v_cstr(a, m->file));
	v_set(a, o, "status", v_cstr(a, source_status_name[m->status]));
	v_set(a, o, "loaded", v_bool(a, m->status == STATUS_LOADED));
	v_set(a, o, "rows_read", v_num(a, V_INT, (int64_t)m->rows_read));
	v_set(a, o, "blank_lines", v_num(a, V_INT, (int64_t)m->blank_lines));
	v_set(a, o, "skipped_lines", v_num(a, V_INT, (int64_t)m->skipped_lines));
	v_set(a, o, "silver_rows", v_num(a, V_INT, (int64_t)m->silver_rows));
	v_set(a, o, "quarantined_rows", v_num(a, V_INT, (int64_t)m->quarantined_rows));
	v_set(a, o, "flagged_rows", v_num(a, V_INT, (int64_t)m->flagged_rows));
	v_set(a, o, "after_as_of", v_num(a, V_INT, (int64_t)m->after_as_of));
	v_set(a, o, "conserved", v_bool(a, quality_conserved(m)));
	FlagRows f;
	flag_rows(g, i, m->flag, &f);
	v_set(a, o, "reasons", counts(g, a, i, D_FIRST_REASON, D_NREASONS, m->reason, NULL));
	v_set(a, o, "flags", counts(g, a, i, D_FIRST_FLAG, D_NFLAGS, m->flag, &f));
	v_set(a, o, "date_column", v_cstr(a, def->cols[def->date_col]));
	bool absent = m->unordered == DATES_ABSENT;	/* no column: no order decided, from nothing */
	v_set(a, o, "date_absent", v_bool(a, absent));
	v_set(a, o, "date_order", v_cstr(a, m->unordered ? unordered_text[m->unordered] : order_name[m->order]));
	v_set(a, o, "date_basis", v_cstr(a, absent ? "–" : basis_text[m->basis]));
	v_set(a, o, "day_first", v_num(a, V_INT, (int64_t)m->evidence[EVIDENCE_DAY_FIRST]));
	v_set(a, o, "month_first", v_num(a, V_INT, (int64_t)m->evidence[EVIDENCE_MONTH_FIRST]));
	v_set(a, o, "ambiguous", v_num(a, V_INT, (int64_t)m->ambiguous));
	return o;
}

static Value *table_values(Arena *a, const TableQuality *t)
{
	Value *o = v_obj(a);
	v_set(a, o, "name", v_cstr(a, t->name));
	v_set(a, o, "file", v_cstr(a, t->file));
	v_set(a, o, "status", v_cstr(a, source_status_name[t->status]));
	v_set(a, o, "rows_read", v_num(a, V_INT, (int64_t)t->rows_read));
	v_set(a, o, "blank_lines", v_num(a, V_INT, (int64_t)t->blank_lines));
	v_set(a, o, "table_rows", v_num(a, V_INT, (int64_t)t->table_rows));
	v_set(a, o, "quarantined_rows", v_num(a, V_INT, (int64_t)t->nquarantine));
	v_set(a, o, "conserved", v_bool(a, table_conserved(t)));
	return o;
}

bool site_quality(Site *site)
{
	const Gold *g = site->g;
	PageWork w;
	page_init(&w);
	Arena *a = &w.arena;
	Value *d = v_obj(a), *list = v_set(a, d, "sources", v_list(a));
	v_set(a, d, "title", v_cstr(a, "Data quality"));
	bool conserved = true;
	for (int i = 0; i < SRC_COUNT; i++) {
		const SourceQuality *m = &g->quality[i];
		v_push(a, list, source_values(g, a, (SourceId)i));
		conserved &= quality_conserved(m);
	}
	Value *tables = v_set(a, d, "tables", v_list(a));
	for (size_t i = 0; i < g->ntables; i++) {
		const TableQuality *t = &g->tables[i];
		v_push(a, tables, table_values(a, t));
		conserved &= table_conserved(t);
	}
	v_set(a, d, "has_tables", v_bool(a, g->ntables > 0));
	v_set(a, d, "all_conserved", v_bool(a, conserved));
	v_set(a, d, "inferred_customers", v_num(a, V_INT, (int64_t)g->quality[SRC_CUSTOMERS].inferred));
	Value *help = v_set(a, d, "codes", v_list(a));
	for (int code = D_FIRST_REASON; code < D_FIRST_FLAG + D_NFLAGS; code++) {
		Value *o = explained(a, v_push(a, help, v_obj(a)), code);
		v_set(a, o, "kind", v_cstr(a, code < D_FIRST_FLAG ? "quarantined" : "flagged"));
	}
	Buf b = {0};
	for (size_t i = 0; i < site->charts->n; i++)
		if (!site->charts->c[i].dashboard) {
			const ReportChart *rc = &site->charts->c[i];
			b.len = 0;
			chart_svg(&rc->chart, rc->plot, rc->narrow, &b);
			v_set(a, d, rc->key, v_raw(a, b.p, b.len));
		}
	buf_free(&b);
	v_set(a, d, "details", page_fragment(site, &w, "quality.html", "quality_sources.html", d));
	bool ok = page_write(site, &w, "quality.html", "quality", d);
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok;
}

/* ---- segments */

/* A segment's name, slug, rule and size, as both segment pages show them. */
static Value *segment_values(const Gold *g, Arena *a, Value *o, int seg)
{
	v_set(a, o, "name", v_cstr(a, segment_defs[seg].label));
	v_set(a, o, "slug", v_cstr(a, segment_defs[seg].slug));
	v_set(a, o, "rule", v_cstr(a, segment_defs[seg].rule));
	v_set(a, o, "customers", v_num(a, V_INT, (int64_t)g->segment_size[seg]));
	return o;
}

/* Every segment's members, the most valuable first, from one walk over the customers (in the
 * order of their value, not of their rows): members[start[seg], start[seg + 1]). */
static uint32_t *segment_members(const Gold *g, size_t start[SEG_COUNT + 1])
{
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	uint32_t *members = xmalloc((nc + 1) * sizeof *members);
	uint8_t *seg_of = xmalloc(nc + 1);
	memset(start, 0, (SEG_COUNT + 1) * sizeof *start);
	for (size_t i = 0; i < nc; i++) {
		int seg = g->c360[g->by_value[i]].segment;
		bool in = seg >= 0 && seg < SEG_COUNT;
		seg_of[i] = (uint8_t)(in ? seg : SEG_COUNT);
		start[in ? seg + 1 : 0] += in;
	}
	for (int seg = 0; seg < SEG_COUNT; seg++)
		start[seg + 1] += start[seg];
	size_t fill[SEG_COUNT];
	memcpy(fill, start, sizeof fill);
	for (size_t i = 0; i < nc; i++)
		if (seg_of[i] < SEG_COUNT)
			members[fill[seg_of[i]]++] = g->by_value[i];
	free(seg_of);
	return members;
}

Value *segment_list(const Site *site, Arena *a)
{
	const Gold *g = site->g;
	size_t start[SEG_COUNT + 1];
	uint32_t *members = segment_members(g, start);
	Value *list = v_list(a);
	for (int seg = 0; seg < SEG_COUNT; seg++) {
		Value *o = segment_values(g, a, v_push(a, list, v_obj(a)), seg);
		v_set(a, o, "share", v_num(a, V_PCT, g->segment_share[seg]));
		v_set(a, o, "lifetime_value", v_num(a, V_MONEY, g->segment_cents[seg]));
		size_t m = start[seg + 1] - start[seg], shown = m < SEGMENT_ROWS ? m : SEGMENT_ROWS;
		v_set(a, o, "rows", customer_rows(site, a, members + start[seg], shown));
		v_set(a, o, "shown", v_num(a, V_INT, (int64_t)shown));
	}
	free(members);
	return list;
}

bool site_segments(Site *site)
{
	const Gold *g = site->g;
	PageWork w;
	page_init(&w);
	bool ok = out_mkdir(site->dir, "segments", site->err);
	Arena *a = &w.arena;
	Value *d = v_obj(a);
	v_set(a, d, "segments", segment_list(site, a));
	v_set(a, d, "title", v_cstr(a, "Segments"));
	ok = ok && page_write(site, &w, "segments/index.html", "segments", d);
	size_t start[SEG_COUNT + 1];
	uint32_t *members = segment_members(g, start);
	for (int seg = 0; ok && seg < SEG_COUNT; seg++) {
		size_t m = start[seg + 1] - start[seg];
		const uint32_t *in = members + start[seg];
		arena_reset(a);
		Value *p = segment_values(g, a, v_obj(a), seg);
		size_t shown = m < SEGMENT_ROWS ? m : SEGMENT_ROWS;
		v_set(a, p, "title", v_cstr(a, segment_defs[seg].label));
		v_set(a, p, "shown", v_num(a, V_INT, (int64_t)shown));
		v_set(a, p, "all_shown", v_bool(a, shown == m));
		v_set(a, p, "noun", v_cstr(a, m == 1 ? "customer" : "customers"));
		v_set(a, p, "rows", customer_rows(site, a, in, shown));
		Buf path = {0};
		buf_printf(&path, "segments/%s.html", segment_defs[seg].slug);
		ok = page_write(site, &w, buf_cstr(&path), "segment", p);
		path.len = 0;
		buf_printf(&path, "segments/%s.csv", segment_defs[seg].slug);
		ok = ok && customer_csv(site, buf_cstr(&path), in, m);
		buf_free(&path);
	}
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	free(members);
	return ok;
}
