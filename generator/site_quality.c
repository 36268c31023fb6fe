/* site_quality.c — quality.html (the data-quality report) and segments/ (lists for marketing). */
#include "c360.h"

#include <stdio.h>
#include <stdlib.h>

#define QUARANTINE_SAMPLES 5	/* raw rows shown per source and reason */
#define SEGMENT_ROWS 200	/* customers listed on a segment's page; the CSV has them all */

static const char *const order_text[] = {"day-first", "month-first"};
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
static Value *quarantine_samples(Arena *a, const Source *src)
{
	Value *list = v_list(a);
	unsigned shown[D_NREASONS] = {0};
	Buf clean = {0};
	for (size_t q = 0; q < src->nquarantine; q++) {
		const Quarantined *x = &src->quarantine[q];
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

static Value *source_values(const Silver *s, Arena *a, int i)
{
	const Source *src = &s->src[i];
	Value *o = v_obj(a);
	uint64_t silver = silver_rows(s, (SourceId)i), quarantined = src->nquarantine;
	v_set(a, o, "name", v_cstr(a, src->def->name));
	v_set(a, o, "file", v_cstr(a, config_file_of(s->cfg, (SourceId)i)));
	v_set(a, o, "status", v_cstr(a, source_status(src)));
	v_set(a, o, "rows_read", v_num(a, V_INT, (int64_t)src->rows_read));
	v_set(a, o, "blank_lines", v_num(a, V_INT, (int64_t)src->blank_lines));
	v_set(a, o, "silver_rows", v_num(a, V_INT, (int64_t)silver));
	v_set(a, o, "quarantined_rows", v_num(a, V_INT, (int64_t)quarantined));
	v_set(a, o, "after_as_of", v_num(a, V_INT, (int64_t)src->after_as_of));
	v_set(a, o, "conserved", v_bool(a, src->rows_read == silver + quarantined));
	v_set(a, o, "reasons", counts(a, D_FIRST_REASON, D_NREASONS, src->reason_count));
	v_set(a, o, "flags", counts(a, D_FIRST_FLAG, D_NFLAGS, src->flag_count));
	Value *samples = v_set(a, o, "samples", quarantine_samples(a, src));
	v_set(a, o, "sample_count", v_num(a, V_INT, (int64_t)samples->n));
	v_set(a, o, "date_column", v_cstr(a, src->def->cols[src->def->date_col]));
	v_set(a, o, "date_order", v_cstr(a, order_text[src->order]));
	v_set(a, o, "date_basis", v_cstr(a, basis_text[src->basis]));
	const uint64_t *e = src->basis == BASIS_DATASET ? s->dataset_evidence : src->evidence;
	v_set(a, o, "day_first", v_num(a, V_INT, (int64_t)e[EVIDENCE_DAY_FIRST]));
	v_set(a, o, "month_first", v_num(a, V_INT, (int64_t)e[EVIDENCE_MONTH_FIRST]));
	v_set(a, o, "ambiguous", v_num(a, V_INT, (int64_t)src->ambiguous));
	return o;
}

static Value *table_values(Arena *a, const RawTable *t)
{
	Value *o = v_obj(a);
	v_set(a, o, "name", v_cstr(a, t->def->name));
	v_set(a, o, "file", v_cstr(a, t->def->file));
	v_set(a, o, "status", v_cstr(a, t->present ? "loaded" : "missing"));
	v_set(a, o, "rows_read", v_num(a, V_INT, (int64_t)t->rows_read));
	v_set(a, o, "blank_lines", v_num(a, V_INT, (int64_t)t->blank_lines));
	v_set(a, o, "table_rows", v_num(a, V_INT, (int64_t)t->loaded));
	v_set(a, o, "quarantined_rows", v_num(a, V_INT, (int64_t)t->nquarantine));
	v_set(a, o, "conserved", v_bool(a, t->rows_read == t->loaded + t->nquarantine));
	return o;
}

bool site_quality(Site *site)
{
	PageWork w;
	page_init(&w);
	Arena *a = &w.arena;
	Value *d = v_obj(a), *list = v_set(a, d, "sources", v_list(a));
	v_set(a, d, "title", v_cstr(a, "Data quality"));
	bool conserved = true;
	for (int i = 0; i < SRC_COUNT; i++) {
		v_push(a, list, source_values(site->s, a, i));
		conserved &= site->s->src[i].rows_read == silver_rows(site->s, (SourceId)i) + site->s->src[i].nquarantine;
	}
	Value *tables = v_set(a, d, "tables", v_list(a));
	for (size_t i = 0; i < site->s->nraw; i++) {
		const RawTable *t = &site->s->raw[i];
		v_push(a, tables, table_values(a, t));
		conserved &= t->rows_read == t->loaded + t->nquarantine;
	}
	v_set(a, d, "has_tables", v_bool(a, site->s->nraw > 0));
	v_set(a, d, "all_conserved", v_bool(a, conserved));
	v_set(a, d, "inferred_customers", v_num(a, V_INT, (int64_t)(CUSTOMERS(site->s)->n - site->s->ncrm)));
	bool ok = page_write(site, &w, "quality.html", "quality", d);
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	return ok;
}

/* ---- segments */

static const char *const segment_rule[SEG_COUNT] = {
	"a valid order in the last 30 days and three or more valid orders",
	"a valid order within the churn window and two or more valid orders",
	"one valid order, within the churn window",
	"the last valid order between one and two churn windows ago, or only undated ones",
	"the last valid order more than two churn windows ago",
	"no valid order yet",
};

static bool segment_csv(const Site *site, const uint32_t *best, size_t nc, int seg)
{
	Buf b = {0}, path = {0};
	buf_puts(&b, "customer_id,name,email,location,lifetime_value,valid_orders,last_order_date,segment\n");
	for (size_t i = 0; i < nc; i++) {
		const Customer360 *x = &site->g->c360[best[i]];
		if (x->segment != seg)
			continue;
		const Customer *c = ROW(CUSTOMERS(site->s), Customer, best[i]);
		esc_sheet_cell(&b, c->h.id, c->h.idlen);
		const char *text[] = {c->name, c->email, c->location};
		for (int k = 0; k < 3; k++) {
			buf_putc(&b, ',');
			esc_sheet_cell(&b, text[k] ? text[k] : "", text[k] ? strlen(text[k]) : 0);
		}
		buf_putc(&b, ',');
		buf_fixed2(&b, x->lifetime_cents);
		buf_printf(&b, ",%u,", x->valid_orders);
		if (x->last_order != MOMENT_NULL)
			buf_date(&b, x->last_order);
		buf_printf(&b, ",%s\n", segment_label[seg]);
	}
	buf_printf(&path, "segments/%s.csv", segment_slug(seg));
	bool ok = out_write_file(site->dir, buf_cstr(&path), &b, site->err);
	buf_free(&b);
	buf_free(&path);
	return ok;
}

bool site_segments(Site *site)
{
	size_t nc = CUSTOMERS(site->s)->n;
	const uint32_t *best = site->by_value;
	uint64_t n[SEG_COUNT] = {0};
	int64_t value[SEG_COUNT] = {0};
	for (size_t i = 0; i < nc; i++) {
		n[site->g->c360[i].segment]++;
		value[site->g->c360[i].segment] += site->g->c360[i].lifetime_cents;
	}
	PageWork w;
	page_init(&w);
	bool ok = out_mkdir(site->dir, "segments", site->err);
	Arena *a = &w.arena;
	Value *d = v_obj(a), *list = v_set(a, d, "segments", v_list(a));
	v_set(a, d, "title", v_cstr(a, "Segments"));
	for (int seg = 0; seg < SEG_COUNT; seg++) {
		Value *o = v_push(a, list, v_obj(a));
		v_set(a, o, "name", v_cstr(a, segment_label[seg]));
		v_set(a, o, "slug", v_cstr(a, segment_slug(seg)));
		v_set(a, o, "rule", v_cstr(a, segment_rule[seg]));
		v_set(a, o, "customers", v_num(a, V_INT, (int64_t)n[seg]));
		v_set(a, o, "share", v_num(a, V_PCT, nc ? (int64_t)((n[seg] * 20000 + nc) / (2 * nc)) : KPI_NULL));
		v_set(a, o, "lifetime_value", v_num(a, V_MONEY, value[seg]));
	}
	ok = ok && page_write(site, &w, "segments/index.html", "segments", d);
	uint32_t *members = xmalloc((nc + 1) * sizeof *members);
	for (int seg = 0; ok && seg < SEG_COUNT; seg++) {
		size_t m = 0;
		for (size_t i = 0; i < nc && m < SEGMENT_ROWS; i++)
			if (site->g->c360[best[i]].segment == seg)
				members[m++] = best[i];
		arena_reset(a);
		Value *p = v_obj(a);
		v_set(a, p, "title", v_cstr(a, segment_label[seg]));
		v_set(a, p, "name", v_cstr(a, segment_label[seg]));
		v_set(a, p, "slug", v_cstr(a, segment_slug(seg)));
		v_set(a, p, "rule", v_cstr(a, segment_rule[seg]));
		v_set(a, p, "customers", v_num(a, V_INT, (int64_t)n[seg]));
		v_set(a, p, "shown", v_num(a, V_INT, (int64_t)m));
		v_set(a, p, "rows", customer_rows(site, a, members, m));
		Buf path = {0};
		buf_printf(&path, "segments/%s.html", segment_slug(seg));
		ok = page_write(site, &w, buf_cstr(&path), "segment", p) && segment_csv(site, best, nc, seg);
		buf_free(&path);
	}
	buf_put(site->err, w.err.p, w.err.len);
	page_free(&w);
	free(members);
	return ok;
}
