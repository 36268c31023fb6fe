/* quality.c — the data-quality report: conservation, quarantine, flags, date-order decisions. */
#include "c360.h"

static const char *const basis_name[] = {"column", "dataset", "config"};
static const char *const order_name[] = {"day-first", "month-first"};

const char *source_status(const Source *src)
{
	return !src->present ? "missing" : !src->have_header ? "empty" : src->left_out ? "left out" : "loaded";
}

void source_why(Buf *b, const Silver *s, SourceId id)
{
	const Source *src = &s->src[id];
	const char *slash = src->path ? strrchr(src->path, '/') : NULL;
	const char *file = slash ? slash + 1 : src->path ? src->path : config_file_of(s->cfg, id);
	if (!src->present)
		buf_printf(b, "%s is missing", file);
	else if (!src->have_header)
		buf_printf(b, "%s is empty", file);
	else if (src->left_out)
		buf_printf(b, "%s was left out: its required column \"%s\" is missing", file, src->left_out);
}

static uint64_t quarantined(const Source *src)
{
	return (uint64_t)src->nquarantine;
}

/* "column evidence: 6 day-first, 0 month-first; 2 ambiguous values" */
static void order_detail(Buf *b, const Silver *s, const Source *src)
{
	const uint64_t *e = src->basis == BASIS_DATASET ? s->dataset_evidence : src->evidence;
	if (src->basis == BASIS_CONFIG)
		buf_puts(b, "no day/month evidence in the dataset; date_order from the configuration");
	else
		buf_printf(b, "%s evidence: %llu day-first, %llu month-first", basis_name[src->basis],
			   (unsigned long long)e[EVIDENCE_DAY_FIRST], (unsigned long long)e[EVIDENCE_MONTH_FIRST]);
	buf_printf(b, "; %llu ambiguous values", (unsigned long long)src->ambiguous);
}

static void row(Buf *b, const Source *src, const char *measure, const char *item, uint64_t value)
{
	buf_printf(b, "%s,%s,%s,%llu,\n", src->def->name, measure, item, (unsigned long long)value);
}

/* A [tables] file: rows read = rows in the table + rows quarantined. */
static void raw_table_rows(Buf *b, const RawTable *t)
{
	const char *name = t->def->name;
	buf_printf(b, "%s,status,,%s,", name, t->present ? "loaded" : "missing");
	csv_field(b, t->def->file, strlen(t->def->file));
	buf_printf(b, "\n%s,rows_read,,%llu,\n%s,blank_lines,,%llu,\n%s,table_rows,,%llu,\n%s,quarantined_rows,,%zu,\n", name,
		   (unsigned long long)t->rows_read, name, (unsigned long long)t->blank_lines, name,
		   (unsigned long long)t->loaded, name, t->nquarantine);
	buf_printf(b, "%s,conservation,,%s,rows_read = table_rows + quarantined_rows\n", name,
		   t->rows_read == t->loaded + t->nquarantine ? "ok" : "broken");
}

void quality_table(Buf *b, const Silver *s)
{
	Buf detail = {0};
	buf_puts(b, "source,measure,item,value,detail\n");
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		buf_printf(b, "%s,status,,%s,", src->def->name, source_status(src));
		const char *file = config_file_of(s->cfg, (SourceId)i);
		csv_field(b, file, strlen(file));
		buf_putc(b, '\n');
		row(b, src, "rows_read", "", src->rows_read);
		row(b, src, "blank_lines", "", src->blank_lines);
		row(b, src, "silver_rows", "", silver_rows(s, (SourceId)i));
		if (i == SRC_CUSTOMERS)
			row(b, src, "inferred_customers", "", src->table.n - s->ncrm);
		row(b, src, "quarantined_rows", "", quarantined(src));
		for (int r = 0; r < D_NREASONS; r++)
			row(b, src, "quarantined", diag_info[D_FIRST_REASON + r].name, src->reason_count[r]);
		for (int f = 0; f < D_NFLAGS; f++)
			row(b, src, "flagged", diag_info[D_FIRST_FLAG + f].name, src->flag_count[f]);
		row(b, src, "after_as_of", "", src->after_as_of);
		detail.len = 0;
		order_detail(&detail, s, src);
		buf_printf(b, "%s,date_order,%s,%s,", src->def->name, src->def->cols[src->def->date_col],
			   order_name[src->order]);
		csv_field(b, detail.p, detail.len);
		buf_putc(b, '\n');
		buf_printf(b, "%s,conservation,,%s,rows_read = silver_rows + quarantined_rows\n", src->def->name,
			   src->rows_read == silver_rows(s, (SourceId)i) + quarantined(src) ? "ok" : "broken");
	}
	for (size_t i = 0; i < s->nraw; i++)
		raw_table_rows(b, &s->raw[i]);
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

void quality_summary(Buf *b, const Silver *s)
{
	buf_puts(b, "source             status   rows read  blank   silver  quarantined  after as-of\n");
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		buf_printf(b, "%-18s %-8s %9llu %6llu %8zu %12llu %12llu\n", src->def->name, source_status(src),
			   (unsigned long long)src->rows_read, (unsigned long long)src->blank_lines,
			   silver_rows(s, (SourceId)i),
			   (unsigned long long)quarantined(src), (unsigned long long)src->after_as_of);
	}
	for (size_t i = 0; i < s->nraw; i++) {
		const RawTable *t = &s->raw[i];
		buf_printf(b, "%-18s %-8s %9llu %6llu %8llu %12zu   (a table for SQL)\n", t->def->name,
			   t->present ? "loaded" : "missing", (unsigned long long)t->rows_read,
			   (unsigned long long)t->blank_lines, (unsigned long long)t->loaded, t->nquarantine);
	}
	buf_putc(b, '\n');
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		if (!src->present)
			continue;
		buf_printf(b, "%s\n", src->def->name);
		summary_counts(b, "  quarantined: ", D_FIRST_REASON, D_NREASONS, src->reason_count);
		summary_counts(b, "  flagged: ", D_FIRST_FLAG, D_NFLAGS, src->flag_count);
		buf_printf(b, "  %s: %s (", src->def->cols[src->def->date_col], order_name[src->order]);
		order_detail(b, s, src);
		buf_puts(b, ")\n");
	}
	if (s->as_of != MOMENT_NULL) {
		buf_puts(b, "\nas of ");
		buf_date(b, s->as_of);
		buf_putc(b, '\n');
	}
}
