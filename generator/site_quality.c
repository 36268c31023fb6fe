/* site_quality.c — quality.html (the data-quality report) and segments/ (lists for marketing). */
#include "c360.h"

#include <stdio.h>
#include <stdlib.h>

#define QUARANTINE_SAMPLES 5	/* raw rows shown per source and reason */
#define SEGMENT_ROWS 200	/* customers listed on a segment's page; the CSV has them all */

static const char *const basis_text[] = {"its own values", "the dataset's other date columns", "the configuration"};

static Value *counts(Arena *a, int first, int n, const uint64_t *count)
{
	Value *list = v_list(a);
	for (int k = 0; k < n; k++) {
		if (!count[k])
			continue;
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "name", v_cstr(a, diag_info[first + k].name));
		v_set(a, o, "count", v_num(a, V_INT, (int64_t)count[k]));
	}
	return list;
}

/* The first few quarantined rows of each reason, as read. */
static Value *quarantine_samples(Arena *a, const SourceQuality *m)
{
	Value *list = v_list(a);
	unsigned shown[D_NREASONS] = {0};
	Buf clean = {0};
	for (size_t q = 0; q < m->nquarantine; q++) {
		const Quarantined *x = &m->quarantine[q];
		if (shown[x->reason - D_FIRST_REASON]++ >= QUARANTINE_SAMPLES)
			continue;
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "line", v_num(a, V_INT, x->line));
		v_set(a, o, "reason", v_cstr(a, diag_info[x->reason].name));
		const char *raw = x->raw;
		size_t n = x->rawlen > 300 ? 300 : x->rawlen;
		if (utf8_sanitize(raw, n, &clean))
			raw = clean.p, n = clean.len;
		v_set(a, o, "raw", v_str(a, raw, n));
	}
	buf_free(&clean);
	return list;
}

static Value *source_values(const SourceQuality *m, Arena *a, int i)
{
	const SourceDef *def = &source_defs[i];
	Value *o = v_obj(a);
	v_set(a, o, "name", v_cstr(a, def->name));
	v_set(a, o, "file", v_cstr(a, m->file));
	v_set(a, o, "status", v_cstr(a, status_name[m->status]));
	v_set(a, o, "rows_read", v_num(a, V_INT, (int64_t)m->rows_read));
	v_set(a, o, "blank_lines", v_num(a, V_INT, (int64_t)m->blank_lines));
	v_set(a, o, "silver_rows", v_num(a, V_INT, (int64_t)m->silver_rows));
	v_set(a, o, "quarantined_rows", v_num(a, V_INT, (int64_t)m->quarantined_rows));
	v_set(a, o, "flagged_rows", v_num(a, V_INT, (int64_t)m->flagged_rows));
	v_set(a, o, "after_as_of", v_num(a, V_INT, (int64_t)m->after_as_of));
	v_set(a, o, "conserved", v_bool(a, quality_conserved(m)));
	v_set(a, o, "reasons", counts(a, D_FIRST_REASON, D_NREASONS, m->reason));
	v_set(a, o, "flags", counts(a, D_FIRST_FLAG, D_NFLAGS, m->flag));
	Value *samples = v_set(a, o, "samples", quarantine_samples(a, m));
	v_set(a, o, "sample_count", v_num(a, V_INT, (int64_t)samples->n));
	v_set(a, o, "date_column", v_cstr(a, def->cols[def->date_col]));
	v_set(a, o, "date_order", v_cstr(a, order_name[m->order]));
	v_set(a, o, "date_basis", v_cstr(a, basis_text[m->basis]));
	v_set(a, o, "day_first", v_num(a, V_INT, (int64_t)m->evidence[EVIDENCE_DAY_FIRST]));
	v_set(a, o, "month_first", v_num(a, V_INT, (int64_t)m->evidence[EVIDENCE_MONTH_FIRST]));
	v_set(a, o, "ambiguous", v_num(a, V_INT, (int64_t)m->ambiguous));
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
	v_set(a, d, "all_conserved", v_bool(a, conserved));
	v_set(a, d, "inferred_customers", v_num(a, V_INT, (int64_t)g->quality[SRC_CUSTOMERS].inferred));
	bool ok = page_write(site, &w, "quality.html", "quality", d);
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok;
}

/* ---- segments */

static bool segment_csv(const Site *site, int seg)
{
	const Gold *g = site->g;
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	Buf b = {0}, path = {0};
	buf_puts(&b, "customer_id,name,email,location,lifetime_value,valid_orders,last_order_date,segment\n");
	for (size_t i = 0; i < nc; i++) {
		uint32_t c = g->by_value[i];
		const Customer360 *x = &g->c360[c];
		if (x->segment != seg)
			continue;
		const Customer *cu = ROW(g->src[SRC_CUSTOMERS].table, Customer, c);
		esc_sheet_cell(&b, cu->h.id, cu->h.idlen);
		const char *text[] = {cu->name, cu->email, cu->location};
		for (int k = 0; k < 3; k++) {
			buf_putc(&b, ',');
			esc_sheet_cell(&b, text[k] ? text[k] : "", text[k] ? strlen(text[k]) : 0);
		}
		buf_putc(&b, ',');
		fmt_hundredths(&b, &fmt_plain, x->lifetime_cents);
		buf_printf(&b, ",%u,", x->valid_orders);
		if (x->last_order != MOMENT_NULL)
			buf_date(&b, x->last_order);
		buf_printf(&b, ",%s\n", segment_defs[seg].label);
	}
	buf_printf(&path, "segments/%s.csv", segment_defs[seg].slug);
	bool ok = out_write_file(site->dir, buf_cstr(&path), &b, site->err);
	buf_free(&b);
	buf_free(&path);
	return ok;
}

/* A segment's name, slug, rule and size, as both segment pages show them. */
static Value *segment_values(const Gold *g, Arena *a, Value *o, int seg)
{
	v_set(a, o, "name", v_cstr(a, segment_defs[seg].label));
	v_set(a, o, "slug", v_cstr(a, segment_defs[seg].slug));
	v_set(a, o, "rule", v_cstr(a, segment_defs[seg].rule));
	v_set(a, o, "customers", v_num(a, V_INT, (int64_t)g->segment_size[seg]));
	return o;
}

bool site_segments(Site *site)
{
	const Gold *g = site->g;
	size_t nc = g->src[SRC_CUSTOMERS].table->n;
	PageWork w;
	page_init(&w);
	bool ok = out_mkdir(site->dir, "segments", site->err);
	Arena *a = &w.arena;
	Value *d = v_obj(a), *list = v_set(a, d, "segments", v_list(a));
	v_set(a, d, "title", v_cstr(a, "Segments"));
	for (int seg = 0; seg < SEG_COUNT; seg++) {
		Value *o = segment_values(g, a, v_push(a, list, v_obj(a)), seg);
		v_set(a, o, "share", v_num(a, V_PCT, g->segment_share[seg]));
		v_set(a, o, "lifetime_value", v_num(a, V_MONEY, g->segment_cents[seg]));
	}
	ok = ok && page_write(site, &w, "segments/index.html", "segments", d);
	uint32_t *members = xmalloc((nc + 1) * sizeof *members);
	for (int seg = 0; ok && seg < SEG_COUNT; seg++) {
		size_t m = 0;
		for (size_t i = 0; i < nc && m < SEGMENT_ROWS; i++)
			if (g->c360[g->by_value[i]].segment == seg)
				members[m++] = g->by_value[i];
		arena_reset(a);
		Value *p = segment_values(g, a, v_obj(a), seg);
		v_set(a, p, "title", v_cstr(a, segment_defs[seg].label));
		v_set(a, p, "shown", v_num(a, V_INT, (int64_t)m));
		v_set(a, p, "rows", customer_rows(site, a, members, m));
		Buf path = {0};
		buf_printf(&path, "segments/%s.html", segment_defs[seg].slug);
		ok = page_write(site, &w, buf_cstr(&path), "segment", p) && segment_csv(site, seg);
		buf_free(&path);
	}
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	free(members);
	return ok;
}
