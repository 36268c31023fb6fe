/* site_quality.c — quality.html (the data-quality report) and segments/ (lists for marketing). */
#include "c360.h"

#include <stdio.h>
#include <stdlib.h>

#define QUARANTINE_SAMPLES 5	/* raw rows shown per source and reason */
#define SHOWN_BYTES EXAMPLE_BYTES	/* of a row as read, a key or a value: the rest is cut */
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
		v_set(a, o, "note", x->note ? v_cstr(a, x->note) : v_str(a, NULL, 0));
	}
	return list;
}

/* The reasons a [sql] SELECT's _quarantine gave (excluded), each with its rows, in the order
 * first met: the first QUARANTINE_NOTES_SHOWN, the rows of the others in *others. */
#define QUARANTINE_NOTES_SHOWN 20
static Value *quarantine_notes(Arena *a, const SourceQuality *m, int reason, uint64_t *others)
{
	const char *text[QUARANTINE_NOTES_SHOWN];
	uint64_t count[QUARANTINE_NOTES_SHOWN];
	size_t n = 0;
	*others = 0;
	for (size_t q = 0; q < m->nquarantine; q++) {
		const Quarantined *x = &m->quarantine[q];
		if ((int)x->reason != reason || !x->note)
			continue;
		size_t k = 0;
		while (k < n && strcmp(text[k], x->note) != 0)
			k++;
		if (k == n && n == QUARANTINE_NOTES_SHOWN) {
			++*others;
			continue;
		}
		if (k == n)
			text[n] = x->note, count[n++] = 0;
		count[k]++;
	}
	Value *list = v_list(a);
	for (size_t k = 0; k < n; k++) {
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "text", v_cstr(a, text[k]));
		v_set(a, o, "count", v_num(a, V_INT, (int64_t)count[k]));
	}
	return list;
}

/* A flag's first rows (FlagExamples, chosen from silver or a gold folder's tables): line, key
 * and the values the flag names, formatted. */
static Value *flag_samples(Arena *a, SourceId id, const FlagExamples *x, int k, Buf *clean)
{
	const SourceDef *def = &source_defs[id];
	Value *list = v_list(a);
	for (unsigned i = 0; x && i < x->n[k]; i++) {
		const FlagExample *e = &x->row[k][i];
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "line", line_value(a, e->line));
		v_set(a, o, "key", shown(a, e->key, e->keylen, clean));
		Value *values = v_set(a, o, "values", v_list(a));
		for (unsigned j = 0; j < e->nvalues; j++) {
			const ExampleValue *ev = &e->value[j];
			Value *vo = v_push(a, values, v_obj(a));
			v_set(a, vo, "column", v_cstr(a, def->cols[ev->col]));
			v_set(a, vo, "emptied", v_bool(a, ev->emptied));
			v_set(a, vo, "value", shown(a, ev->text, ev->len, clean));
			v_set(a, vo, "more", v_bool(a, j > 0));
		}
	}
	return list;
}

/* The reasons or flags that occur in a source: each explained, with its count and its first
 * rows (a reason's as read, a flag's as gold has them). */
static Value *counts(Arena *a, const SourceQuality *m, SourceId id, int first, int n, const uint64_t *count)
{
	Value *list = v_list(a);
	Buf clean = {0};
	for (int k = 0; k < n; k++) {
		if (!count[k])
			continue;
		Value *o = explained(a, v_push(a, list, v_obj(a)), first + k);
		v_set(a, o, "count", v_num(a, V_INT, (int64_t)count[k]));
		if (first == D_FIRST_REASON) {
			uint64_t others = 0;
			v_set(a, o, "samples", quarantine_samples(a, m, first + k, &clean));
			v_set(a, o, "notes", quarantine_notes(a, m, first + k, &others));
			v_set(a, o, "other_notes", v_num(a, V_INT, (int64_t)others));
		}
		if (first == D_FIRST_FLAG) {
			v_set(a, o, "samples", flag_samples(a, id, m->examples, k, &clean));
			v_set(a, o, "shown", v_num(a, V_INT, m->examples ? (int64_t)m->examples->n[k] : 0));
		}
	}
	buf_free(&clean);
	return list;
}

static Value *source_values(const SourceQuality *m, Arena *a, int i)
{
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
	v_set(a, o, "reasons", counts(a, m, (SourceId)i, D_FIRST_REASON, D_NREASONS, m->reason));
	v_set(a, o, "flags", counts(a, m, (SourceId)i, D_FIRST_FLAG, D_NFLAGS, m->flag));
	v_set(a, o, "date_column", v_cstr(a, def->cols[def->date_col]));
	bool absent = m->unordered == DATES_ABSENT;	/* no column: no order decided, from nothing */
	v_set(a, o, "date_absent", v_bool(a, absent));
	const char *why = dates_absent_why(m);	/* as check says */
	v_set(a, o, "date_order", v_cstr(a, why ? why : m->unordered ? unordered_text[m->unordered] : order_name[m->order]));
	v_set(a, o, "date_basis", v_cstr(a, absent ? "–" : basis_text[m->basis]));
	v_set(a, o, "day_first", v_num(a, V_INT, (int64_t)m->evidence[EVIDENCE_DAY_FIRST]));
	v_set(a, o, "month_first", v_num(a, V_INT, (int64_t)m->evidence[EVIDENCE_MONTH_FIRST]));
	v_set(a, o, "ambiguous", v_num(a, V_INT, (int64_t)m->ambiguous));
	Value *warnings = v_set(a, o, "warnings", v_list(a));
	for (size_t k = 0; k < m->nwarnings; k++) {
		const QualityWarning *qw = &m->warnings[k];
		Value *w = v_push(a, warnings, v_obj(a));
		v_set(a, w, "code", v_cstr(a, qw->code));
		v_set(a, w, "line", v_num(a, V_INT, qw->line));
		v_set(a, w, "text", v_cstr(a, qw->text));
	}
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
		v_push(a, list, source_values(m, a, i));
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
	uint64_t excluded = 0;	/* a [sql] _quarantine's reason: explained where there are such rows */
	for (int i = 0; i < SRC_COUNT; i++)
		excluded += g->quality[i].reason[D_EXCLUDED - D_FIRST_REASON];
	Value *help = v_set(a, d, "codes", v_list(a));
	for (int code = D_FIRST_REASON; code < D_FIRST_FLAG + D_NFLAGS; code++) {
		if (code == D_EXCLUDED && !excluded)
			continue;
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

/* The segments' values, each with its rows from members[start[seg], start[seg + 1]). */
static Value *segments_of(const Site *site, Arena *a, const uint32_t *members, const size_t start[SEG_COUNT + 1])
{
	const Gold *g = site->g;
	Value *list = v_list(a);
	for (int seg = 0; seg < SEG_COUNT; seg++) {
		Value *o = segment_values(g, a, v_push(a, list, v_obj(a)), seg);
		v_set(a, o, "share", v_num(a, V_PCT, g->segment_share[seg]));
		v_set(a, o, "lifetime_value", v_num(a, V_MONEY, g->segment_cents[seg]));
		size_t m = start[seg + 1] - start[seg], shown = m < SEGMENT_ROWS ? m : SEGMENT_ROWS;
		v_set(a, o, "rows", customer_rows(site, a, members + start[seg], shown));
		v_set(a, o, "shown", v_num(a, V_INT, (int64_t)shown));
	}
	return list;
}

Value *segment_list(const Site *site, Arena *a)
{
	size_t start[SEG_COUNT + 1];
	uint32_t *members = segment_members(site->g, start);
	Value *list = segments_of(site, a, members, start);
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
	size_t start[SEG_COUNT + 1];
	uint32_t *members = segment_members(g, start);
	Value *d = v_obj(a);
	v_set(a, d, "segments", segments_of(site, a, members, start));
	v_set(a, d, "title", v_cstr(a, "Segments"));
	ok = ok && page_write(site, &w, "segments/index.html", "segments", d);
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
