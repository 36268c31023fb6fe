/* quality.c — the data-quality report: conservation, quarantine, flags, date-order decisions. */
#include "c360.h"

static const char *const basis_name[] = {"column", "dataset", "config"};
static const char *const order_name[] = {"day-first", "month-first"};

static const char *status_of(const Source *src)
{
	return !src->present ? "missing" : !src->have_header ? "empty" : "loaded";
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

void quality_table(Buf *b, const Silver *s)
{
	Buf detail = {0};
	buf_puts(b, "source,measure,item,value,detail\n");
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		buf_printf(b, "%s,status,,%s,", src->def->name, status_of(src));
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
			row(b, src, "quarantined_rows", diag_info[D_FIRST_REASON + r].name, src->reason_count[r]);
		row(b, src, "flagged_rows", "", src->flagged_rows);
		for (int f = 0; f < D_NFLAGS; f++)
			row(b, src, "flagged_rows", diag_info[D_FIRST_FLAG + f].name, src->flag_count[f]);
		row(b, src, "after_as_of_rows", "", src->after_as_of);
		detail.len = 0;
		order_detail(&detail, s, src);
		buf_printf(b, "%s,date_order,%s,%s,", src->def->name, src->def->cols[src->def->date_col],
			   order_name[src->order]);
		csv_field(b, detail.p, detail.len);
		buf_putc(b, '\n');
		buf_printf(b, "%s,conservation,,%s,rows_read = silver_rows + quarantined_rows\n", src->def->name,
			   src->rows_read == silver_rows(s, (SourceId)i) + quarantined(src) ? "ok" : "broken");
	}
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

/* What could be read of a source whose cleaning did not finish: the file, not its rows. */
static void summary_unfinished(Buf *b, const Silver *s)
{
	if (s->general.tally[D_NO_DATA_DIR].count)
		return;	/* no file was looked at */
	buf_puts(b, "source             status      rows read  blank lines\n");
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		if (src->present && src->have_header)
			buf_printf(b, "%-18s %-8s %12llu %12llu\n", src->def->name, status_of(src), ULL(src->rows_read),
				   ULL(src->blank_lines));
		else
			buf_printf(b, "%-18s %s\n", src->def->name, status_of(src));
	}
	buf_puts(b, "\nThe data could not be cleaned (see the errors above): no silver, quarantine or as-of date.\n");
}

void quality_summary(Buf *b, const Silver *s, bool complete)
{
	if (!complete) {
		summary_unfinished(b, s);
		return;
	}
	buf_puts(b, "rows per source    status        read  blank lines    silver  quarantined   flagged  after as-of\n");
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		buf_printf(b, "%-18s %-8s %9llu %12llu %9zu %12llu %9llu %12llu\n", src->def->name, status_of(src),
			   ULL(src->rows_read), ULL(src->blank_lines), silver_rows(s, (SourceId)i), ULL(quarantined(src)),
			   ULL(src->flagged_rows), ULL(src->after_as_of));
	}
	buf_putc(b, '\n');
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		if (!src->present)
			continue;
		buf_printf(b, "%s\n", src->def->name);
		summary_counts(b, "  quarantined rows: ", D_FIRST_REASON, D_NREASONS, src->reason_count);
		summary_counts(b, "  flagged rows: ", D_FIRST_FLAG, D_NFLAGS, src->flag_count);
		buf_printf(b, "  %s: %s (", src->def->cols[src->def->date_col], order_name[src->order]);
		order_detail(b, s, src);
		buf_puts(b, ")\n");
	}
	buf_puts(b, "\nas of ");
	buf_date(b, s->as_of);
	buf_putc(b, '\n');
}

void quality_lines(Buf *b, const Silver *s, const char *prefix)
{
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s->src[i];
		if (!src->present || !src->have_header)
			continue;
		buf_printf(b, "%s%s: %llu %s read: %zu in silver (%llu flagged), %llu quarantined\n", prefix,
			   config_file_of(s->cfg, (SourceId)i), ULL(src->rows_read), src->rows_read == 1 ? "row" : "rows",
			   silver_rows(s, (SourceId)i), ULL(src->flagged_rows), ULL(quarantined(src)));
	}
}
