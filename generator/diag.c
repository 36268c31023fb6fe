/* diag.c — the diagnostics catalogue, and counting and sampling of problems per file. */
#include "c360.h"

#include <stdlib.h>

const DiagInfo diag_info[D_COUNT] = {
	[D_MISSING_KEY] = {"missing_key", SEV_WARNING, "no {c}; row quarantined"},
	[D_MISSING_CUSTOMER_ID] = {"missing_customer_id", SEV_WARNING, "no {c}; row quarantined"},
	[D_DUPLICATE_KEY] = {"duplicate_key", SEV_WARNING, "{c} \"{v}\" appears again later; this row quarantined, the last one kept"},
	[D_MALFORMED_ROW] = {"malformed_row", SEV_WARNING, "{c}; row quarantined"},
	[D_EXCLUDED] = {"excluded", SEV_NOTE, "the SELECT's {c} is \"{v}\"; row quarantined"},
	[D_RAGGED_ROW] = {"ragged_row", SEV_WARNING, "{c}; row kept"},
	[D_INVALID_UTF8] = {"invalid_utf8", SEV_WARNING, "invalid UTF-8 in {c}; replaced with U+FFFD"},
	[D_NUL_BYTE] = {"nul_byte", SEV_WARNING, "NUL byte in {c}; replaced with U+FFFD"},
	[D_INVALID_DATE] = {"invalid_date", SEV_WARNING, "{c} \"{v}\" is not a valid date; set to null"},
	[D_INVALID_EMAIL] = {"invalid_email", SEV_WARNING, "{c} \"{v}\" is not a valid address; set to null"},
	[D_IMPLAUSIBLE_DOB] = {"implausible_dob", SEV_WARNING, "{c} \"{v}\" is after the as-of date or over 120 years before it; set to null"},
	[D_INVALID_AMOUNT] = {"invalid_amount", SEV_WARNING, "{c} \"{v}\" unparseable; set to null"},
	[D_NEGATIVE_AMOUNT] = {"negative_amount", SEV_NOTE, "{c} \"{v}\" is negative; kept"},
	[D_UNCONVERTIBLE_CURRENCY] = {"unconvertible_currency", SEV_WARNING, "{c} \"{v}\" has no rate to the base currency; left out of money figures"},
	[D_ORPHAN_CUSTOMER] = {"orphan_customer", SEV_NOTE, "{c} \"{v}\" is not in the CRM; customer inferred"},
	[D_UNKNOWN_CATEGORY] = {"unknown_category", SEV_NOTE, "{c} \"{v}\" matches no known value; kept as written"},
	[D_NO_DATA_DIR] = {"no_data_dir", SEV_ERROR, "cannot open the data folder: {c}"},
	[D_FILE_MISSING] = {"file_missing", SEV_ERROR, "required file missing"},
	[D_OPTIONAL_MISSING] = {"optional_missing", SEV_WARNING, "optional file missing{c}; its sections say \"no data\""},
	[D_READ_ERROR] = {"read_error", SEV_ERROR, "cannot read: {c}"},
	[D_CHANGED] = {"changed", SEV_ERROR, "the file changed while it was being read; nothing was written"},
	[D_NO_HEADER] = {"no_header", SEV_ERROR, "{c}"},
	[D_EMPTY_OPTIONAL] = {"empty_file", SEV_WARNING, "the file is empty (no header row){c}; its sections say \"no data\""},
	[D_COLUMN_REQUIRED] = {"column_required", SEV_ERROR, "required column \"{c}\" missing; the header has: {v}"},
	[D_COLUMN_ABSENT] = {"column_absent", SEV_WARNING, "column \"{c}\" missing; its values are null (header: {v})"},
	[D_COLUMN_UNKNOWN] = {"column_unknown", SEV_NOTE, "unknown column \"{c}\" ignored"},
	[D_COLUMN_DUPLICATE] = {"column_duplicate", SEV_WARNING, "column \"{c}\" appears again; only the first is read"},
	[D_COLUMN_SHADOWED] = {"column_shadowed", SEV_NOTE, "column \"{c}\" ignored: the configuration names \"{v}\" for it"},
	[D_COLUMN_ALIAS] = {"column_alias", SEV_WARNING, "[columns] {c}: the header has no column of that name ({v})"},
	[D_HEADER_ENCODING] = {"header_encoding", SEV_WARNING, "the header row has bytes that are not UTF-8 (shown as \xef\xbf\xbd): {c}"},
	[D_NOT_CSV] = {"not_csv", SEV_WARNING, "{c}"},
	[D_UNKNOWN_STATUS] = {"unknown_status", SEV_WARNING, "{c}"},
	[D_NO_DATES] = {"no_dates", SEV_WARNING, "{c}"},
	[D_BORROWED_ORDER] = {"borrowed_date_order", SEV_WARNING, "{c}"},
	[D_UNKNOWN_DEVICES] = {"unknown_devices", SEV_WARNING, "{c}"},
	[D_UNKNOWN_STATUSES] = {"unknown_statuses", SEV_WARNING, "{c}"},
	[D_NOT_UTF8] = {"not_utf8", SEV_WARNING, "read as {c}"},
	[D_NEAR_IDS] = {"near_ids", SEV_WARNING, "{c}"},
	[D_AFTER_AS_OF] = {"after_as_of", SEV_NOTE, "{c} \"{v}\" is after the as-of date; left out of every figure"},
	[D_NO_AS_OF] = {"no_as_of", SEV_ERROR, "{c}"},
	[D_READ_AS] = {"read_as", SEV_NOTE, "read as {c}"},
	[D_LINES_SKIPPED] = {"lines_skipped", SEV_NOTE, "{c}"},
	[D_DECIMAL] = {"decimal", SEV_NOTE, "{c}"},
	[D_SOURCE_LEFT_OUT] = {"source_left_out", SEV_WARNING, "required column \"{c}\" missing; this optional source is left out and its sections say so (header: {v})"},
	[D_SQL_ERROR] = {"sql_error", SEV_ERROR, "{c}"},
	[D_SQL_AMOUNT] = {"sql_amount", SEV_WARNING, "{c}"},
	[D_CONFIG_NOTE] = {"config_note", SEV_NOTE, "{c}"},
	[D_GOLD_NO_PARTS] = {"gold_no_parts", SEV_ERROR, "a table folder without part-*.csv files"},
	[D_GOLD_INT] = {"gold_int", SEV_ERROR, "{c} \"{v}\" is not a whole number"},
	[D_GOLD_KEY] = {"gold_key", SEV_ERROR, "{c} \"{v}\" is not a whole number of 1 to 999,999,999,999,999"},
	[D_GOLD_DECIMAL] = {"gold_decimal", SEV_ERROR, "{c} \"{v}\" is not a number with at most two decimals"},
	[D_GOLD_DATE] = {"gold_date", SEV_ERROR, "{c} \"{v}\" is not a date YYYY-MM-DD (or a time YYYY-MM-DD HH:MM:SS)"},
	[D_GOLD_BOOL] = {"gold_bool", SEV_ERROR, "{c} \"{v}\" is neither true nor false"},
	[D_GOLD_NAME] = {"gold_name", SEV_ERROR, "{c} \"{v}\" is not one of the names the gold schema allows"},
	[D_GOLD_REF] = {"gold_ref", SEV_ERROR, "{c} \"{v}\" is not in the table it refers to"},
	[D_GOLD_RULE] = {"gold_rule", SEV_ERROR, "{c} \"{v}\" disagrees with the rest of the gold tables"},
	[D_GOLD_MISSING_ROW] = {"gold_missing_row", SEV_ERROR, "no row for {c} \"{v}\""},
	[D_GOLD_SUM] = {"gold_sum", SEV_ERROR, "{c} add up to more than 92,233,720,368,547,758.07, the most c360 can count"},
	[D_GOLD_TWICE] = {"gold_twice", SEV_ERROR, "{c} \"{v}\" is an earlier row's too: a customer is one row"},
	[D_GOLD_FIGURE] = {"gold_figure", SEV_ERROR, "{c}"},	/* the figure, kpi_summary's and the facts' */
};

const DiagHelp diag_help[D_COUNT] = {
	[D_MISSING_KEY] = {"The row has no value in its key column (customer_id, order_id, …), so it cannot be told "
			   "apart from the others; it is set aside.",
			   "Fill in the key in the export: a row without one is never used."},
	[D_MISSING_CUSTOMER_ID] = {"The order, payment, ticket or session names no customer, so it belongs to no one; it "
				   "is set aside.", "Export the customer id with every order, payment, ticket and session."},
	[D_DUPLICATE_KEY] = {"A later row of the file has the same key. The last one is kept; this one is set aside.",
			     "Export each key once, in its latest version; check whether the export appends updates."},
	[D_MALFORMED_ROW] = {"The row breaks the CSV quoting (a stray or unclosed quote), so its fields cannot be told "
			     "apart, or it is the header row again (two exports joined), or a report's footer line; it is set aside.",
			     "Quote the fields that hold commas, quotes or line breaks, and double the quotes inside them; "
			     "join exports without their second header."},
	[D_EXCLUDED] = {"The source's [sql] SELECT sent the row here: its _quarantine column gave the reason shown "
			"after \"excluded:\" (the configuration's words, not c360's).",
			"Nothing to fix in the export if the reason holds; else change the CASE that gives _quarantine "
			"in the configuration's [sql] section (docs/exports.md)."},
	[D_RAGGED_ROW] = {"The row has fewer fields than the header (the missing ones are empty) or more (the extra "
			  "text is kept as read, not used).", "Look for unquoted commas or cut-off rows in the export."},
	[D_INVALID_UTF8] = {"Some bytes are not UTF-8 text; each was replaced with �.",
			    "Export the file as UTF-8, or name its encoding in the configuration: [read] encoding = "
			    "windows-1252 (docs/exports.md)."},
	[D_NUL_BYTE] = {"A NUL byte (binary zero) was replaced with �.", "Look for binary data in text columns."},
	[D_INVALID_DATE] = {"A date cannot be read or does not exist (February 30, a two-digit year, a year outside "
			    "1900–2100); it is left empty, so the row counts in all-time figures but in no week.",
			    "Export dates as YYYY-MM-DD, with four-digit years."},
	[D_INVALID_EMAIL] = {"The e-mail address is not a valid one (two @, a domain without a dot, …); it is left "
			     "empty.", "Correct the address in the CRM."},
	[D_IMPLAUSIBLE_DOB] = {"The date of birth is after the report's date or more than 120 years before it; it is "
			       "left empty.", "Correct the date of birth in the CRM."},
	[D_INVALID_AMOUNT] = {"The amount is not a number c360 can read; it is left empty, so the order is not valid.",
			      "Export amounts like 1234.56, or set the file's decimal separator (docs/exports.md)."},
	[D_UNCONVERTIBLE_CURRENCY] = {"The amount is in a currency with no rate to the base currency; the row is kept "
				      "with its amount empty (its text stays in bronze), so it is left out of every money figure "
				      "rather than added as if it were the base.",
				      "Add the currency's rate under [currency] in the configuration (docs/exports.md)."},
	[D_NEGATIVE_AMOUNT] = {"The amount is below zero. It is kept, but a negative order is not valid and a negative "
			       "payment is left out of the sums.",
			       "Export refunds as a status (Refunded, Returned) rather than as negative amounts."},
	[D_ORPHAN_CUSTOMER] = {"The row names a customer who is not in the CRM export: c360 inferred that customer, "
			       "with an unknown profile, rather than drop the row.",
			       "Export every customer in the CRM file, or check the customer ids of the other files."},
	[D_UNKNOWN_CATEGORY] = {"A status, method, device or other category matches no known value; it is kept as "
				"written, title-cased, and counts as its own category.",
				"Map it to a known value under [categories] in the configuration (docs/exports.md), or use "
				"the known values in the export (docs/rules.md lists them)."},
};

static const char *const sev_name[] = {"note", "warning", "error"};

/* At most max bytes of s[0..n), cut between characters (utf8_cut) with "…" after what is left
 * out; escaped: for a terminal, \\ too (esc_terminal). */
static void put_cut(Buf *b, const char *s, size_t n, size_t max, bool escaped)
{
	size_t kept = utf8_cut(s, n, max);
	if (escaped)
		esc_terminal(b, s, kept, ESC_TERM_BACKSLASH);
	else
		buf_put(b, s, kept);
	if (kept < n)
		buf_puts(b, "\xe2\x80\xa6");	/* … */
}

void buf_put_printable(Buf *b, const char *v, size_t n, size_t max)
{
	put_cut(b, v, n, max, true);
}

void quarantine_note(Buf *b, const char *s, size_t n)
{
	Str v = str_trim(str_make(s, n));
	put_cut(b, v.p, v.n, QUARANTINE_NOTE_MAX, true);
}

void buf_put_quoted(Buf *b, const char *v, size_t n)
{
	buf_putc(b, '"');
	put_cut(b, v, n, MSG_VALUE_MAX, false);
	buf_putc(b, '"');
}

bool diag_row_level(DiagCode code)
{
	return (code >= D_FIRST_REASON && code <= D_UNKNOWN_CATEGORY) || code == D_AFTER_AS_OF;
}

unsigned diag_samples_max(DiagCode code)
{
	return diag_row_level(code) ? DIAG_SAMPLES : DIAG_FILE_SAMPLES;
}

/* Whether t keeps one more sample of code, its room made at the first. */
static bool sample_room(DiagTally *t, DiagCode code)
{
	if (t->nsamples == diag_samples_max(code))
		return false;
	if (!t->sample)
		t->sample = xmalloc(diag_samples_max(code) * sizeof *t->sample);
	return true;
}

/* A message whose value is a file's header row: shown whole, or nearly, to copy a name from. */
static bool header_list(DiagCode code)
{
	return code == D_COLUMN_REQUIRED || code == D_COLUMN_ABSENT || code == D_SOURCE_LEFT_OUT || code == D_COLUMN_ALIAS;
}

void diag(Diags *d, DiagCode code, uint32_t line, uint32_t col, const char *column,
	  const char *value, size_t vlen)
{
	DiagTally *t = &d->tally[code];
	t->count++;
	if (!sample_room(t, code))
		return;
	Buf msg = {0};
	for (const char *f = diag_info[code].msg; *f; f++) {
		if (f[0] == '{' && (f[1] == 'c' || f[1] == 'v') && f[2] == '}') {
			if (f[1] == 'c')	/* a file's header name, as hostile as a value, where quoted; else
						 * c360's (a column's, a message it made): whole */
				buf_put_printable(&msg, column ? column : "", column ? strlen(column) : 0,
						  f > diag_info[code].msg && f[-1] == '"' ? MSG_VALUE_MAX : SIZE_MAX);
			else
				buf_put_printable(&msg, value ? value : "", value ? vlen : 0, header_list(code) ? 600 : MSG_VALUE_MAX);
			f += 2;
		} else {
			buf_putc(&msg, *f);
		}
	}
	t->sample[t->nsamples++] = (DiagSample){line, col, d->files ? d->at : 0, (char *)buf_cstr(&msg)};
}

Severity diag_worst(const Diags *d, size_t n)
{
	Severity worst = SEV_NOTE;
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < D_COUNT; c++)
			if (d[i].tally[c].count && diag_info[c].sev > worst)
				worst = diag_info[c].sev;
	return worst;
}

/* "FILE: SEV: SCOPE: " of a message naming file (NULL: c360's own); the scope not said twice. */
static void format_head(Buf *out, const Diags *d, const char *file, uint32_t line, uint32_t col, const char *sev)
{
	bool scope = d->scope && !(file && strcmp(file, d->scope) == 0);
	buf_puts(out, file ? file : "c360");
	if (line)
		buf_printf(out, ":%u", line);
	if (line && col)
		buf_printf(out, ":%u", col);
	buf_printf(out, ": %s: %s%s", sev, scope ? d->scope : "", scope ? ": " : "");
}

static void format_one(Buf *out, const Diags *d, int code, Verbosity v)
{
	const DiagTally *t = &d->tally[code];
	const char *sev = sev_name[diag_info[code].sev];
	unsigned shown = v == SAY_VERBOSE || t->nsamples < DIAG_SAMPLES ? t->nsamples : DIAG_SAMPLES;
	for (unsigned i = 0; i < shown; i++) {
		const DiagSample *s = &t->sample[i];
		format_head(out, d, s->file && d->files ? d->files[s->file - 1] : d->file, s->line, s->col, sev);
		buf_printf(out, "%s\n", s->text);
	}
	if (t->count > shown) {
		format_head(out, d, d->file, 0, 0, sev);
		buf_printf(out, "%llu more %s (%llu %s in all%s)\n",
			   (unsigned long long)(t->count - shown), diag_info[code].name,
			   (unsigned long long)t->count, diag_row_level(code) ? "rows" : "times",
			   t->nsamples <= shown ? "" : t->nsamples == t->count ? "; --verbose lists them" : "; --verbose lists more");
	}
}

static bool shown_at(DiagCode code, Verbosity v)
{
	return diag_info[code].sev == SEV_ERROR || v == SAY_VERBOSE || (v == SAY_NORMAL && !diag_row_level(code));
}

void diag_format(Buf *out, const Diags *d, Verbosity v)
{
	for (int sev = SEV_ERROR; sev >= SEV_NOTE; sev--)
		for (int c = 0; c < D_COUNT; c++)
			if (d->tally[c].count && (int)diag_info[c].sev == sev && shown_at((DiagCode)c, v))
				format_one(out, d, c, v);
}

void diag_set_count(Diags *d, DiagCode code, uint64_t count)
{
	d->tally[code].count = count;
}

void diag_merge(Diags *d, Diags *from, uint32_t line_offset)
{
	for (int c = 0; c < D_COUNT; c++) {
		DiagTally *t = &d->tally[c], *f = &from->tally[c];
		t->count += f->count;
		for (unsigned i = 0; i < f->nsamples; i++) {
			DiagSample smp = f->sample[i];
			if (!sample_room(t, (DiagCode)c)) {
				free(smp.text);
				continue;
			}
			if (smp.line)
				smp.line += line_offset;
			t->sample[t->nsamples++] = smp;
		}
		free(f->sample);
		*f = (DiagTally){0};
	}
}

void diag_move(Diags *d, Diags *from, uint32_t line, uint32_t col, const char *prefix)
{
	for (int c = 0; c < D_COUNT; c++)
		for (unsigned i = 0; i < from->tally[c].nsamples; i++) {
			DiagSample *smp = &from->tally[c].sample[i];
			Buf text = {0};
			buf_printf(&text, "%s%s", prefix, smp->text);
			free(smp->text);
			*smp = (DiagSample){line, col, 0, (char *)buf_cstr(&text)};
		}
	diag_merge(d, from, 0);
}

void diag_drop_columns(Diags *d, uint32_t file)
{
	for (int c = 0; c < D_COUNT; c++)
		for (unsigned i = 0; i < d->tally[c].nsamples; i++)
			if (!file || d->tally[c].sample[i].file != file)
				d->tally[c].sample[i].col = 0;
}

void diag_free(Diags *d)
{
	for (int c = 0; c < D_COUNT; c++) {
		for (unsigned i = 0; i < d->tally[c].nsamples; i++)
			free(d->tally[c].sample[i].text);
		free(d->tally[c].sample);
	}
	memset(d->tally, 0, sizeof d->tally);
}
