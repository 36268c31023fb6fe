/* config.c — the report's configuration: defaults and an INI-style file. */
#include "c360.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>
#include <unistr.h>

void config_defaults(Config *c)
{
	*c = (Config){0};
	c->out_dir = "site";
	c->theme = "default";
	c->customer_pages_by = "customer_pages";
	c->title = "Customer 360";
	c->email_from = "Customer 360 <c360@localhost>";
	c->email_to = "undisclosed-recipients:;";
	c->as_of = MOMENT_NULL;
	c->date_order = ORDER_DAY_FIRST;
	c->churn_window_days = 90;
	c->thousands_separator = ",";
	c->decimal_separator = '.';
	c->currency = "";
	c->chunk_min = 4u << 20;
	c->shards = 1;
	c->verbosity = SAY_NORMAL;
	c->noise = 100;
	c->field_max = 64u << 10;
	c->page_max = 16u << 20;
	c->chart_max = 10;
	c->sql_timeout = 600;
	c->keep = ".git, CNAME, .nojekyll, README.md";
	c->cache = true;
}

/* Header names compare trimmed, lower-cased, with runs of spaces (a no-break space too),
 * hyphens and underscores read as one underscore, and no U+FEFF (a byte-order mark that
 * two exports joined by cat leave in the middle of a file). */
size_t config_normalise_to(Str s, char *out)
{
	s = str_trim(s);
	char *o = out;
	bool sep = false;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		size_t wide = c & 0x80 ? clean_space_len(s.p + i, s.n - i) : 0;	/* U+00A0 as Excel may write, U+2003 ... */
		if (c == ' ' || c == '-' || c == '_' || c == '\t' || wide) {
			sep = true;
			i += wide ? wide - 1 : 0;
			continue;
		}
		if (c == '\xef' && i + 2 < s.n && s.p[i + 1] == '\xbb' && s.p[i + 2] == '\xbf') {	/* U+FEFF: no mark */
			i += 2;
			continue;
		}
		if (sep && o > out)
			*o++ = '_';
		sep = false;
		*o++ = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	*o = '\0';
	return (size_t)(o - out);
}

char *config_normalise(Str s)
{
	char *out = xmalloc(s.n + 1);
	config_normalise_to(s, out);
	return out;
}

int config_header_field(const char *const *alias, const char *own, char *const *names, uint32_t n)
{
	for (int a = 0; a < MAX_ALIASES && alias[a]; a++)
		for (uint32_t i = 0; i < n; i++)
			if (strcmp(names[i], alias[a]) == 0)
				return (int)i;
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(names[i], own) == 0)
			return (int)i;
	return -1;
}

int source_by_name(Str name)
{
	for (int i = 0; i < SRC_COUNT; i++)
		if (str_eq(name, source_defs[i].name))
			return i;
	return -1;
}

/* "orders.amount" -> the source and its column; false if there is no such column. */
static bool column_by_name(Str key, int *src, int *col)
{
	const char *dot = memchr(key.p, '.', key.n);
	*src = dot ? source_by_name(str_make(key.p, (size_t)(dot - key.p))) : -1;
	for (int k = 0; *src >= 0 && k < source_defs[*src].ncols; k++)
		if (str_eq(str_make(dot + 1, key.n - (size_t)(dot + 1 - key.p)), source_defs[*src].cols[k])) {
			*col = k;
			return true;
		}
	return false;
}

/* config_list's, and whether an item is none unquoted (*bare_none: NULL if not asked). */
static bool list_split(Str value, char ***items, size_t *n, bool *bare_none, Buf *err)
{
	*items = NULL, *n = 0;
	const char *p = value.p, *end = value.p + value.n;
	while (p <= end) {
		Buf item = {0};
		const char *q = p;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		bool quoted = q < end && *q == '"';
		if (quoted) {
			for (q++; q < end && !(*q == '"' && (q + 1 == end || q[1] != '"')); q++) {
				buf_putc(&item, *q);
				q += *q == '"';	/* "" is one " */
			}
			if (q == end) {
				buf_printf(err, "a quote is never closed");
				buf_free(&item);
				goto fail;
			}
			q++;
		}
		const char *comma = memchr(q, ',', (size_t)(end - q));
		const char *stop = comma ? comma : end;
		Str rest = str_trim(str_make(q, (size_t)(stop - q)));
		if (quoted ? rest.n != 0 : (buf_put(&item, rest.p, rest.n), item.len == 0)) {
			buf_printf(err, quoted ? "text after a quoted name" : "an empty name in the list");
			buf_free(&item);
			goto fail;
		}
		if (bare_none && config_none(rest))	/* rest: a quoted item's is empty */
			*bare_none = true;
		*items = xrealloc(*items, (*n + 1) * sizeof **items);
		(*items)[(*n)++] = item.p ? (char *)buf_cstr(&item) : xstrdup("");
		p = stop + 1;
	}
	return true;
fail:
	while (*n)
		free((*items)[--*n]);
	free(*items);
	*items = NULL;
	return false;
}

bool config_list(Str value, char ***items, size_t *n, Buf *err)
{
	return list_split(value, items, n, NULL, err);
}

bool config_names(Str value, char ***items, size_t *n, Buf *err)
{
	bool bare_none = false;
	if (!list_split(value, items, n, &bare_none, err))
		return false;
	if (!bare_none || *n == 1)
		return true;
	while (*n)
		free((*items)[--*n]);
	free(*items);
	*items = NULL;
	return buf_puts(err, "none stands alone, never among header names: a header "
			     "named none is \"none\""), false;
}

char *config_unquote(Str v)
{
	v = str_trim(v);
	if (v.n < 2 || v.p[0] != '"' || v.p[v.n - 1] != '"')
		return xstrndup(v.p, v.n);
	Buf b = {0};
	for (size_t i = 1; i + 1 < v.n; i++) {
		buf_putc(&b, v.p[i]);
		i += v.p[i] == '"' && v.p[i + 1] == '"';
	}
	return b.p ? (char *)buf_cstr(&b) : xstrdup("");
}

bool config_none(Str raw)
{
	return raw.n == 4 && strncasecmp(raw.p, "none", 4) == 0;
}

const char *config_keep(Config *c, char *s)
{
	c->owned = xgrow(c->owned, c->nowned, sizeof *c->owned);
	return c->owned[c->nowned++] = s;
}

const char *config_path(Config *c, const char *file, const char *v)
{
	if (v[0] == '/')
		return config_keep(c, xstrdup(v));
	const char *slash = strrchr(file, '/');
	char *dir = slash ? xstrndup(file, (size_t)(slash - file)) : xstrdup(".");
	char *p = strcmp(v, ".") == 0 ? xstrdup(dir) : path_join(dir, v);
	free(dir);
	return config_keep(c, p);
}

/* ---- the settings: each sets its value (false: not what it expects) and shows it */

/* Where byte i of v, the unquoted value, stands in raw, the value as written. */
static size_t raw_offset(Str raw, size_t i)
{
	if (!raw.n || raw.p[0] != '"')
		return i;
	size_t r = 1;
	for (; i > 0 && r + 1 < raw.n; i--)
		r += raw.p[r] == '"' ? 2 : 1;	/* "" is one " */
	return r;
}

/* The report's name: on every page and in the e-mail's Subject, so no control character. */
static bool set_title(SetArgs *a)
{
	for (size_t i = 0, n = strlen(a->v); i < n; i++)
		if (control_len(a->v + i, n - i)) {
			a->at = raw_offset(a->raw, i);
			buf_puts(a->why, "a control character (a tab, a line end) in the title");
			return false;
		}
	a->c->title = config_keep(a->c, xstrdup(a->v));
	return true;
}

static bool set_templates(SetArgs *a)
{
	a->c->templates_dir = config_path(a->c, a->file, a->v);
	return true;
}

static bool set_themes(SetArgs *a)
{
	a->c->themes_dir = config_path(a->c, a->file, a->v);
	return true;
}

static bool set_theme(SetArgs *a)
{
	bool ok = !strchr(a->v, '/') && strcmp(a->v, "..") != 0 && strcmp(a->v, ".") != 0;
	if (ok)
		a->c->theme = config_keep(a->c, xstrdup(a->v));
	return ok;
}

/* What every build writes at the top of the site (c360(1), FILES; ux.sh checks the list against
 * a site): a kept entry of that name would be replaced by the site's, so keep may not name one. */
static const char *const site_entries[] = {"index.html", "quality.html", "churn-risk.html", "churn-risk.csv",
					   "open-tickets.html", "open-tickets.csv", "customers", "segments",
					   "gold", "charts", "assets", "weekly"};

/* Why name cannot be kept, to follow the name; NULL if it can. */
static const char *keep_refused(Str name)
{
	if (!name.n)
		return "an empty name in the list";
	if (memchr(name.p, '/', name.n) || str_eq(name, ".") || str_eq(name, ".."))
		return ": a name in the folder has no / and is not . or ..";
	if (name.n >= 6 && memcmp(name.p, ".c360-", 6) == 0)
		return ": the .c360- files are c360's own";
	for (size_t i = 0; i < sizeof site_entries / sizeof *site_entries; i++)
		if (str_eq(name, site_entries[i]))
			return " is the site's own, which every build writes; a page changes with its template";
	return NULL;
}

/* Names in the site's folder, separated by commas: none the site itself writes (site_entries,
 * .c360-*), no /, not . or ..; at most KEEP_MAX, in fewer than 1024 bytes. A name refused is
 * said, at its column. */
static bool set_keep(SetArgs *a)
{
	size_t n = 0;
	if (strlen(a->v) >= 1024)
		return false;
	for (const char *p = a->v; *p; n++) {
		size_t len = strcspn(p, ",");
		Str name = str_trim(str_make(p, len));
		const char *why = n == KEEP_MAX ? "" : keep_refused(name);
		if (why) {
			a->at = raw_offset(a->raw, (size_t)((name.n ? name.p : p) - a->v));
			if (*why)
				buf_printf(a->why, "%.*s%s", (int)name.n, name.p, why);
			return false;
		}
		p += len + (p[len] == ',');
	}
	a->c->keep = config_keep(a->c, xstrdup(a->v));
	return true;
}

/* The e-mail's mailboxes as RFC 5322 has them (so no header injection either): a mailbox that
 * is not one is said, at its column. */
static bool set_addresses(SetArgs *a, bool one, const char **to)
{
	size_t at;
	const char *why = mail_addresses_check(a->v, one, &at);
	if (why) {
		a->at = raw_offset(a->raw, at);
		buf_puts(a->why, why);
		return false;
	}
	*to = config_keep(a->c, xstrdup(a->v));
	return true;
}

static bool set_email_from(SetArgs *a)
{
	return set_addresses(a, true, &a->c->email_from);
}

static bool set_email_to(SetArgs *a)
{
	return set_addresses(a, false, &a->c->email_to);
}

static bool set_date_order(SetArgs *a)
{
	bool day = strcmp(a->v, "day-first") == 0, month = strcmp(a->v, "month-first") == 0;
	if (day || month)
		a->c->date_order = day ? ORDER_DAY_FIRST : ORDER_MONTH_FIRST;
	a->c->date_order_set |= day || month;
	return day || month;
}

/* The value as a whole number from min to max. */
static bool number_in(const SetArgs *a, long long min, long long max, long long *out)
{
	char *end;
	errno = 0;
	long long n = strtoll(a->v, &end, 10);
	if (errno || *end || n < min || n > max)
		return false;
	*out = n;
	return true;
}

static bool set_churn_window(SetArgs *a)
{
	long long n;
	bool ok = number_in(a, 1, 3650, &n);
	if (ok)
		a->c->churn_window_days = (int)n;
	return ok;
}

/* The limits that keep hostile data from blowing pages up (c360(1), LIMITS). Their highest
 * values keep a page's HTML, up to 6 times its Markdown (a '"' becomes &quot;), within what
 * cmark-gfm can hold (it aborts past 1 GB), and its memory within a few hundred MB: cmark
 * makes a node of ~100 bytes for each quote or entity, the escaped form of most punctuation. */
static bool set_field_max(SetArgs *a)
{
	long long n;
	bool ok = number_in(a, 64, 1ll << 20, &n);
	if (ok)
		a->c->field_max = (size_t)n;
	return ok;
}

bool config_customer_pages(Config *c, const char *v)
{
	static const char *const modes[] = {[PAGES_FILES] = "files", [PAGES_PACKED] = "packed", [PAGES_NONE] = "none"};
	for (int m = PAGES_FILES; m <= PAGES_NONE; m++)
		if (modes[m] && strcmp(v, modes[m]) == 0) {
			c->pages_mode = m;
			c->customer_pages = config_keep(c, xstrdup(v));
			return true;
		}
	char *end = NULL;
	errno = 0;
	long long n = strncmp(v, "top ", 4) == 0 && v[4] >= '0' && v[4] <= '9' ? strtoll(v + 4, &end, 10) : 0;
	if (n < 1 || n > 100000000 || errno || *end)
		return false;
	c->pages_mode = PAGES_TOP;
	c->pages_top = (uint32_t)n;
	c->customer_pages = config_keep(c, xstrdup(v));
	return true;
}

static bool set_customer_pages(SetArgs *a)
{
	return config_customer_pages(a->c, a->v);
}

static bool set_page_max(SetArgs *a)
{
	long long n;
	bool ok = number_in(a, 1ll << 16, 1ll << 26, &n);
	if (ok)
		a->c->page_max = (size_t)n;
	return ok;
}

static bool set_chart_max(SetArgs *a)
{
	long long n;
	bool ok = number_in(a, 1, 1000, &n);
	if (ok)
		a->c->chart_max = (int)n;
	return ok;
}

static bool set_sql_timeout(SetArgs *a)
{
	long long n;
	bool ok = number_in(a, 1, 86400, &n);
	if (ok)
		a->c->sql_timeout = (int)n;
	return ok;
}

/* How figures are written: a few characters, no digits, control characters or quotes inside;
 * quotes around the value keep spaces ("" for none). NULL if the value is not such a text. */
static const char *number_text(SetArgs *a, size_t max)
{
	const char *v = a->v;
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
		v++, n -= 2;
	if (n > max)
		return NULL;
	for (size_t i = 0; i < n; i++)	/* no control character, C1's too: it goes into every figure */
		if (control_len(v + i, n - i) || (v[i] >= '0' && v[i] <= '9') || v[i] == '"')
			return NULL;
	return config_keep(a->c, xstrndup(v, n));
}

static bool set_thousands(SetArgs *a)
{
	const char *v = number_text(a, 4);
	if (v)
		a->c->thousands_separator = v, a->c->thousands_set = true;	/* not the decimal one: config_load */
	return v;
}

static bool set_grouping(SetArgs *a)
{
	bool lakh = strcmp(a->v, "lakh") == 0;
	if (lakh || strcmp(a->v, "thousands") == 0)
		a->c->lakh_grouping = lakh;
	return lakh || strcmp(a->v, "thousands") == 0;
}

/* A decimal comma makes the point the thousands separator, unless one is set (in either order). */
static bool set_decimal(SetArgs *a)
{
	const char *v = number_text(a, 1);
	if (!v || (strcmp(v, ".") != 0 && strcmp(v, ",") != 0))
		return false;
	a->c->decimal_separator = *v;
	if (!a->c->thousands_set)
		a->c->thousands_separator = *v == ',' ? "." : ",";
	return true;
}

static bool set_currency(SetArgs *a)
{
	const char *v = number_text(a, 8);
	if (v)
		a->c->currency = v;
	return v;
}

/* A number of 0 or more with at most two decimals (0.5, 1, 2.25), in hundredths. */
static bool parse_hundredths(const char *v, int64_t *out)
{
	int64_t n = 0;
	int decimals = -1;
	for (const char *p = v; *p; p++) {
		if (*p == '.' && decimals < 0 && p > v && p[1]) {
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9' || decimals >= 2 || n > 1000000)
			return false;
		n = n * 10 + (*p - '0');
		decimals += decimals >= 0;
	}
	for (int d = decimals < 0 ? 0 : decimals; d < 2; d++)
		n *= 10;
	*out = n;
	return *v != '\0';
}

static bool set_noise(SetArgs *a)
{
	int64_t n;
	bool ok = parse_hundredths(a->v, &n) && n <= 10000;
	if (ok)
		a->c->noise = n;
	return ok;
}

/* The site's address goes into the e-mail's HTML and text: an http:// or https:// address (a
 * link without one leads nowhere from an e-mail, and javascript: is no place), with no quotes,
 * brackets or spaces. */
static bool set_site_url(SetArgs *a)
{
	if ((strncasecmp(a->v, "http://", 7) != 0 || !a->v[7]) && (strncasecmp(a->v, "https://", 8) != 0 || !a->v[8]))
		return false;
	if (strpbrk(a->v, "\"'<>\\ \t\r\n"))
		return false;
	for (size_t i = 0, n = strlen(a->v); i < n; i++)	/* in the e-mail's text and link as it is */
		if (control_len(a->v + i, n - i))
			return false;
	a->c->site_url = config_keep(a->c, xstrdup(a->v));
	return true;
}

static bool set_bool(SetArgs *a)
{
	bool yes = strcmp(a->v, "true") == 0, no = strcmp(a->v, "false") == 0;
	if (yes || no)
		*(bool *)(void *)((char *)a->c + a->field) = yes;
	return yes || no;
}

static bool set_file(SetArgs *a)
{
	int src = source_by_name(a->key);
	if (strchr(a->v, '/'))
		return false;
	free(a->c->file[src]);
	a->c->file[src] = NULL;
	/* none, in any case (unquoted: "none" is a file of that name): a CRM's exports have no web sessions, and
	 * would be told at every build that the file is missing */
	a->c->no_file[src] = config_none(a->raw);
	if (a->c->no_file[src] && source_defs[src].required)
		return buf_printf(a->why, "%s is required: a build needs its file", source_defs[src].name), false;
	if (!a->c->no_file[src])
		a->c->file[src] = xstrdup(a->v);
	return true;
}

/* A column's list: header names ([columns]: normalised as headers are, the first in the file
 * wins) or values that mean none ([null]: BigCommerce's guest customer id 0, compared as the
 * cleaning compares nulls, blanks around them and case aside). Quoted to hold commas or a #. */
static bool set_column_list(SetArgs *a, char *(*table)[MAX_COLS][MAX_ALIASES], bool names)
{
	int src, col;
	column_by_name(a->key, &src, &col);
	char **items, **slot = table[src][col];
	size_t n;
	if (!(names ? config_names : config_list)(a->raw, &items, &n, a->why))
		return false;
	bool ok = n <= MAX_ALIASES;
	if (!ok)
		buf_printf(a->why, "at most %d %s", MAX_ALIASES, names ? "names" : "values");
	for (size_t k = 0; k < MAX_ALIASES; k++) {
		free(slot[k]);
		slot[k] = !ok || k >= n ? NULL : names ? config_normalise(str_make(items[k], strlen(items[k]))) : xstrdup(items[k]);
	}
	for (size_t k = 0; k < n; k++)
		free(items[k]);
	free(items);
	return ok;
}

/* none, in any case (unquoted: "none" is a header of that name): a CRM's export that keeps no gender, told at
 * every build that the column is missing */
static bool set_alias(SetArgs *a)
{
	int src, col;
	column_by_name(a->key, &src, &col);
	bool none = config_none(a->raw);
	if (none && column_required(&source_defs[src], col))
		return buf_printf(a->why, "%s.%s is required: a build needs it", source_defs[src].name,
				  source_defs[src].cols[col]), false;
	a->c->no_column[src][col] = none;
	if (!set_column_list(a, a->c->alias, true))
		return false;
	for (int k = 0; none && k < MAX_ALIASES; k++)	/* no header name: the column is not looked for */
		free(a->c->alias[src][col][k]), a->c->alias[src][col][k] = NULL;
	return true;
}

static bool set_nulls(SetArgs *a)
{
	return set_column_list(a, a->c->nulls, false);
}

/* The data location: an s3:// address, or a folder relative to the file; --data wins. */
static bool set_data(SetArgs *a)
{
	if (!a->c->data_dir)
		a->c->data_dir = strncmp(a->v, "s3://", 5) == 0 ? config_keep(a->c, xstrdup(a->v))
								 : config_path(a->c, a->file, a->v);
	return true;
}

static const char *const order_names[] = {"day-first", "month-first"};

/* Where a setting's value is shown from: a string, a number or a choice. */
typedef struct {
	const char *section, *key, *expects;
	bool (*set)(SetArgs *a);
	size_t field;		/* offsetof the value in Config */
	char kind;		/* 's' string, 'q' quoted string, 'i' int, 'z' size_t, 'h' hundredths, 'b' bool,
				 * 'o' date order, 'c' a character (quoted), 'g' number grouping, '-' shown otherwise */
} Setting;

#define AT(f) offsetof(Config, f)
static const Setting settings[] = {
	{"", "title", "the report's name, shown on every page", set_title, AT(title), 's'},
	{"", "templates", "the folder of page templates, relative to this file (c360's own fill in any it lacks)", set_templates, AT(templates_dir), 's'},
	{"", "themes", "the folder of themes, relative to this file", set_themes, AT(themes_dir), 's'},
	{"", "data", "the exports: a folder relative to this file, or s3://BUCKET/PREFIX/ (--data wins)", set_data,
	 AT(data_dir), 's'},
	{"", "theme", "the name of a folder in the themes folder", set_theme, AT(theme), 's'},
	{"", "email_from", "the weekly e-mail's From: one address, e.g. BI team <bi@example.com>", set_email_from,
	 AT(email_from), 's'},
	{"", "email_to", "the weekly e-mail's To: addresses separated by commas, e.g. \"Doe, Jo\" <jo@example.com>, "
			 "board@example.com; no group but the default, no quoted part before @", set_email_to,
	 AT(email_to), 's'},
	{"", "date_order", "day-first or month-first: how to read 03-04-2022 if no date column shows it",
	 set_date_order, AT(date_order), 'o'},
	{"", "churn_window_days", "a whole number of days from 1 to 3650", set_churn_window, AT(churn_window_days), 'i'},
	{"", "thousands_separator", "up to 4 characters between groups of three digits on pages, quoted to keep a "
	 "space: \" \", \"\" for none", set_thousands, AT(thousands_separator), 'q'},
	{"", "decimal_separator", "\".\" or \",\": before the decimals on pages (a comma makes the thousands "
	 "separator a point unless it is set); the CSV files keep the point", set_decimal, AT(decimal_separator), 'c'},
	{"", "number_grouping", "thousands (1,234,567) or lakh (12,34,567: the digits above the last three in twos) "
	 "on pages", set_grouping, AT(lakh_grouping), 'g'},
	{"", "currency", "up to 8 characters before money on pages: a symbol (€) or a code (EUR)", set_currency,
	 AT(currency), 'q'},
	{"", "noise_threshold_pct", "a number from 0 to 100, at most two decimals: a KPI's change smaller than this "
	 "% of the week before's is shown without colour", set_noise, AT(noise), 'h'},
	{"", "site_url", "the http:// or https:// address where the site is published, e.g. "
	 "https://intranet.example/c360/: the e-mail links there",
	 set_site_url, AT(site_url), 's'},
	{"", "gold_bom", "true or false: the gold CSVs start with a UTF-8 byte-order mark, for Excel", set_bool,
	 AT(gold_bom), 'b'},
	{"", "cache", "true or false: keep the cleaned exports in the site (.c360-cache, about their size) so that "
	 "a rebuild reads only the exports that changed, and the site a rebuild replaced (.c360-prev) to "
	 "build the next one in", set_bool, AT(cache), 'b'},
	{"", "field_max_bytes", "bytes of one value a page shows, 64 to 1048576 (more is cut and marked; "
	 "gold keeps it whole)", set_field_max, AT(field_max), 'z'},
	{"", "page_max_bytes", "bytes of one page, 65536 to 67108864 (a bigger page stops the build)",
	 set_page_max, AT(page_max), 'z'},
	{"", "keep", "names in the site's folder that c360 does not make but keeps, separated by commas (at most 16; "
	 "none of the site's own, such as index.html or gold); they replace the default: list its names "
	 "again to keep them too (but .git, which is always kept)",
	 set_keep, AT(keep), 's'},
	{"", "customer_pages", "files (a page each), packed (in scripts of ~100 that customers/view.html shows), "
	 "top N (pages for the N of highest lifetime value) or none; default: files up to 200,000 customers, "
	 "packed above", set_customer_pages, AT(customer_pages), 's'},
	{"", "chart_max_values", "bars a chart shows, 1 to 1000 (the rest are added up in one more)", set_chart_max,
	 AT(chart_max), 'i'},
	{"", "sql_timeout", "seconds a [sql] SELECT may run, 1 to 86400 (a longer one stops the build)", set_sql_timeout,
	 AT(sql_timeout), 'i'},
	{"files", "SOURCE", "a file name in the data folder (no /), e.g. orders = order_export.csv; none for an optional "
	 "source the exports never have (a CRM's web_activities = none: no warning that its file is missing)", set_file, 0, '-'},
	{"columns", "SOURCE.COLUMN", "more header names for it, separated by commas, e.g. customers.email = mail; none "
	 "for a column the exports never have (customers.gender = none: no warning that it is missing)",
	 set_alias, 0, '-'},
	{"columns", "TABLE.NAME", "a [tables] table's column NAME in SQL: the first of these header names its file has, "
	 "separated by commas, else NAME (empty if none), e.g. charges.created = Created (UTC), Created date (UTC)",
	 config_set_table_column, 0, '-'},
	{"null", "SOURCE.COLUMN", "values that mean no value in this column, separated by commas, e.g. "
	 "orders.customer_id = 0 (a shop's guests)", set_nulls, 0, '-'},
	{"read", "[FILE.]delimiter", ", ; | tab or auto (the most frequent in the header line); FILE. for one "
	 "source's or table's file only", config_set_read, 0, '-'},
	{"read", "[FILE.]decimal", ". or , or auto (what the amounts show): how amounts write their decimals",
	 config_set_read, 0, '-'},
	{"read", "[FILE.]encoding", "utf-8 (the default), windows-1252, latin-1, or auto: UTF-8 if every byte of the file is, else Windows-1252 (UTF-8 with a "
	 "byte-order mark is known by it; UTF-16 and UTF-32 by theirs, or by the NUL bytes of their first characters)",
	 config_set_read, 0, '-'},
	{"read", "[FILE.]header_row", "the line of the header row, from 1: the lines before it are skipped",
	 config_set_read, 0, '-'},
	{"read", "[FILE.]comment", "the text that starts a comment line, quoted if it is a #: \"#\"", config_set_read,
	 0, '-'},
	{"read", "[FILE.]currency", "the three-letter code of the file's amounts, e.g. USD", config_set_read, 0, '-'},
	{"read", "[FILE.]date_format", "how the file writes its dates, in strptime's %Y %y %m %b %B %d %e %a %A %H %I %M %S %p %z "
	 "(a year, a month and a day; %y 00-68 is 2000-2068, 69-99 1969-1999, a date of birth's the latest not after the as-of date; "
	 "%a a weekday, checked; %d 13th is 13; %z an offset or "
	 "a zone's name, America/Los_Angeles), e.g. %b %d, %Y %I:%M:%S %p, or "
	 "%s alone (seconds since 1970, UTC), or excel (a "
	 "spreadsheet's serial days, 45292 for 2024-01-01); a year-first date (ISO) is read too, any other is invalid",
	 config_set_read, 0, '-'},
	{"read", "[FILE.]time_zone", "an IANA time zone such as America/Los_Angeles, or UTC: the file's times "
	 "written without an offset are its local times, made UTC by tzdata's rules and dated by their UTC day", config_set_read, 0, '-'},
	{"read", "[FILE.]title_case", "true, false or one-case: names and locations title-cased (the default), kept as "
	 "written (IBM, Acme GmbH), or title-cased only where all their letters are capitals or all small "
	 "(JOHN SMITH, but McDonald, van den Berg as written); blanks collapsed", config_set_read, 0, '-'},
	{"read", "[FILE.]fill_down", "header names of columns (a grouped report's) whose empty fields take the value "
	 "above, separated by commas", config_set_read, 0, '-'},
	{"tables", "TABLE", "a file in the data folder, read as SQL table TABLE (letters, digits, _)",
	 config_set_table, 0, '-'},
	{"sql", "SOURCE", "a SELECT over the tables (and views) that defines the source, on indented lines after the key",
	 config_set_sql, 0, '-'},
	{"sql", "VIEW", "a view: a SELECT that the sources' SELECTs and other views read as table VIEW (letters, digits, "
	 "_; no source's or [tables] table's name, in any case), e.g. a CASE two sources share, written once; at most "
	 "100; views that read each other in a circle are an error, one no source reads is said (a note)",
	 config_set_sql, 0, '-'},
	{"categories", "MAP.LABEL", "words read as LABEL, separated by commas; MAP: order_status, payment_method, "
	 "payment_status, ticket_status, device or gender (its labels Male, Female, Other or Unknown)", config_set_words,
	 0, '-'},
	{"currency", "base", "the three-letter code of the currency money figures are in, e.g. EUR",
	 config_set_currency, 0, '-'},
	{"currency", "rates_file", "a file of CODE,rate lines, relative to this file", config_set_currency, 0, '-'},
	{"currency", "CODE", "what one unit of currency CODE is worth in the base, e.g. USD = 0.92",
	 config_set_currency, 0, '-'},
	{"s3", "region", "the bucket's region (default: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1)", config_set_s3, 0, '-'},
	{"s3", "endpoint", "an http:// or https:// address of an S3-compatible store (default: AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL)",
	 config_set_s3, 0, '-'},
	{"s3", "timeout", "seconds a file may take, 1 to 86400 (default 300)", config_set_s3, 0, '-'},
	{"s3", "connect_timeout", "seconds a connection may take, 1 to 86400 (default 10)", config_set_s3, 0, '-'},
};
#define NSETTINGS (sizeof settings / sizeof *settings)

/* A key in capitals stands for many: a source, its column, a map, a table, a currency. */
static bool setting_matches(const Setting *st, Str key)
{
	int src, col;
	if (strcmp(st->key, "SOURCE") == 0)
		return source_by_name(key) >= 0;
	if (strcmp(st->key, "SOURCE.COLUMN") == 0)
		return column_by_name(key, &src, &col);
	if (strncmp(st->key, "[FILE.]", 7) == 0) {	/* "delimiter" or "orders.delimiter" */
		const char *dot = memchr(key.p, '.', key.n);
		Str opt = dot && dot > key.p ? str_make(dot + 1, key.n - (size_t)(dot + 1 - key.p)) : key;
		return str_eq(opt, st->key + 7);
	}
	if (st->key[0] >= 'A' && st->key[0] <= 'Z')
		return config_key_matches(st->key, key);
	return str_eq(key, st->key);
}

/* The setting of key in section; broad: also those any name matches (a table, a currency). */
static const Setting *find_setting(const char *section, Str key, bool broad)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].section, section) == 0 && setting_matches(&settings[i], key) &&
		    (broad || (strcmp(settings[i].key, "TABLE") != 0 && strcmp(settings[i].key, "TABLE.NAME") != 0 &&
			       strcmp(settings[i].key, "CODE") != 0 && strcmp(settings[i].key, "VIEW") != 0)))
			return &settings[i];
	return NULL;
}

/* Every key a section accepts, spelled out (sources and their columns included), into names;
 * returns how many. */
static size_t section_keys(const char *section, const char **names, char (*scratch)[48], size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < NSETTINGS; i++) {
		if (strcmp(settings[i].section, section) != 0)
			continue;
		bool file = strcmp(settings[i].key, "SOURCE") == 0, column = strcmp(settings[i].key, "SOURCE.COLUMN") == 0;
		for (int s = 0; s < (file || column ? SRC_COUNT : 1); s++)
			for (int k = 0; k < (column ? source_defs[s].ncols : 1) && n < max; k++) {
				if (column)
					snprintf(scratch[n], sizeof *scratch, "%s.%s", source_defs[s].name, source_defs[s].cols[k]);
				names[n] = column ? scratch[n] : file ? source_defs[s].name : settings[i].key;
				names[n] += strncmp(names[n], "[FILE.]", 7) == 0 ? 7 : 0;
				n++;
			}
	}
	return n;
}

static const char *const sections[] = {"", "files", "columns", "null", "read", "tables", "sql", "categories", "currency",
				       "s3"};
#define NSECTIONS (sizeof sections / sizeof *sections)

/* Why a key is not known here: it belongs in another section, or it is near one that is known. */
static void unknown_key(Buf *err, const char *section, Str key)
{
	for (size_t i = 0; i < NSECTIONS; i++)
		if (strcmp(sections[i], section) != 0 && find_setting(sections[i], key, false)) {
			buf_printf(err, "unknown key \"%.*s\" here: it belongs %s%s%s\n", (int)key.n, key.p,
				   *sections[i] ? "in [" : "at the top, before any [section]", sections[i],
				   *sections[i] ? "]" : "");
			return;
		}
	const char *names[64];
	char scratch[64][48];
	size_t n = section_keys(section, names, scratch, 64);
	const char *near = nearest_word(key.p, key.n, names, n);
	const char *dot = strcmp(section, "read") == 0 ? memchr(key.p, '.', key.n) : NULL;
	int file = 0;	/* [read]'s FILE.option: the option near one known, after its FILE. */
	if (!near && dot && dot > key.p)
		file = (int)(dot + 1 - key.p), near = nearest_word(key.p + file, key.n - (size_t)file, names, n);
	buf_printf(err, "unknown key \"%.*s\"", (int)key.n, key.p);
	if (near)
		buf_printf(err, " (did you mean \"%.*s%s\"?)", file, key.p, near);
	for (size_t i = 0; !near && i < NSETTINGS; i++)	/* keys that stand for many: what they are */
		if (strcmp(settings[i].section, section) == 0 && strchr("MTCV", settings[i].key[0]))
			buf_printf(err, "; a key here is %s: %s", settings[i].key, settings[i].expects);
	buf_printf(err, "; see c360 help config\n");
}

/* Whether a quoted text's closing quote is in p[0, n) ("" is a quote inside it). */
static bool quote_closes(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '"' && !(i + 1 < n && p[i + 1] == '"'))
			return true;
		else if (p[i] == '"')
			i++;
	return false;
}

/* Sets key to value (its lines standing where map says); false after saying why in err, and
 * where it goes wrong in *at: in the value, or with *in_key in the key. A value may be quoted
 * ("Order #"): the setter gets it unquoted, and as written. */
static bool set_key(Config *c, const char *file, const char *section, Str key, Str value, const SqlDef *map,
		    uint32_t line, uint32_t col, Buf *err, size_t *at, bool *in_key)
{
	const Setting *st = find_setting(section, key, true);
	if (!st) {
		unknown_key(err, section, key);
		return false;
	}
	size_t first = 0;
	while (first < value.n && (value.p[first] == ' ' || value.p[first] == '\t'))
		first++;
	if (first < value.n && value.p[first] == '"' && !quote_closes(value.p + first + 1, value.n - first - 1)) {
		buf_printf(err, "%.*s: a quote is never closed\n", (int)key.n, key.p);	/* "Acme was Acme */
		*at = first, *in_key = false;
		return false;
	}
	char *v = st->kind == 'q' ? xstrndup(value.p, value.n) : config_unquote(value);
	Buf why = {0};
	SetArgs a = {c, file, key, v, value, map, &why, st->field, 0, false, line, col};
	bool ok = value.n && st->set(&a);
	*at = a.at, *in_key = a.in_key;
	if (!ok && a.in_key)
		buf_printf(err, "%.*s: %s\n", (int)key.n, key.p, buf_cstr(&why));
	else if (!ok)
		buf_printf(err, "%.*s: %s; expected %s%s%s%s\n", (int)key.n, key.p,
			   value.n ? "this value is not valid" : "the value cannot be empty", st->expects,
			   why.len ? " (" : "", buf_cstr(&why), why.len ? ")" : "");
	buf_free(&why);
	free(v);
	return ok;
}

static bool load_section(const char *path, unsigned lineno, unsigned col, Str s, char *section, size_t size, Buf *err)
{
	Str name = str_trim(str_make(s.p + 1, s.n - 2));
	for (size_t i = 1; i < NSECTIONS; i++)
		if (str_eq(name, sections[i])) {
			snprintf(section, size, "%s", sections[i]);
			return true;
		}
	const char *near = nearest_word(name.p, name.n, sections + 1, NSECTIONS - 1);
	buf_printf(err, "%s:%u:%u: error: unknown section [%.*s]%s%s%s; the sections are", path, lineno, col,
		   (int)name.n, name.p, near ? " (did you mean [" : "", near ? near : "", near ? "]?)" : "");
	for (size_t i = 1; i < NSECTIONS; i++)
		buf_printf(err, "%s[%s]", i == 1 ? " " : i + 1 < NSECTIONS ? ", " : " and ", sections[i]);
	buf_putc(err, '\n');
	return false;
}

/* A line of the file, where its comment is cut: at a # outside double quotes, or (sql) only
 * a whole line. */
static Str config_line(char *line, bool sql)
{
	Str s = str_trim(str_make(line, strlen(line)));
	if (s.n && s.p[0] == '#')
		return str_make(s.p, 0);
	bool quoted = false;
	for (size_t i = 0; !sql && i < s.n; i++) {
		quoted ^= s.p[i] == '"';
		if (s.p[i] == '#' && !quoted)
			return str_trim(str_make(s.p, i));
	}
	return s;
}

/* A value being read: in [sql] it goes on over the indented lines after its key. */
typedef struct {
	Buf key, value;
	uint32_t line, col;	/* the key's */
	SqlDef map;		/* where each line of the value stands */
	bool open, full;	/* full: CONFIG_KEYS_MAX keys set, the file read no further */
	Buf seen;		/* the keys set so far: "[section]key\n" each, their lines in seen_line */
	uint32_t *seen_line;
	size_t nseen;
} Pending;

/* The line that set key in section before (in any case), or 0; remembered as set at line if not. */
static uint32_t key_seen(Pending *p, const char *section, Str key, uint32_t line)
{
	Buf k = {0};
	buf_printf(&k, "[%s]%.*s\n", section, (int)key.n, key.p);
	const char *at = p->seen.p;
	for (size_t i = 0; i < p->nseen; i++, at = strchr(at, '\n') + 1)
		if (strncasecmp(at, k.p, k.len) == 0) {	/* usd and USD, items and Items: one key */
			buf_free(&k);
			return p->seen_line[i];
		}
	buf_put(&p->seen, k.p, k.len);
	p->seen_line = xrealloc(p->seen_line, (p->nseen + 1) * sizeof *p->seen_line);
	p->seen_line[p->nseen++] = line;
	buf_free(&k);
	return 0;
}

static void pending_line(Pending *p, Str text, uint32_t line, uint32_t col)
{
	if (p->value.len)
		buf_putc(&p->value, '\n');
	p->map.off = xrealloc(p->map.off, (p->map.nlines + 1) * sizeof *p->map.off);
	p->map.line = xrealloc(p->map.line, (p->map.nlines + 1) * sizeof *p->map.line);
	p->map.col = xrealloc(p->map.col, (p->map.nlines + 1) * sizeof *p->map.col);
	p->map.off[p->map.nlines] = (uint32_t)p->value.len;
	p->map.line[p->map.nlines] = line;
	p->map.col[p->map.nlines++] = col;
	buf_put(&p->value, text.p, text.n);
}

/* Keys of one configuration: each is looked for among those before it (key_seen, named_options,
 * ...), so 40,000 took 7 s and 400,000 would take ten minutes; no report needs a tenth of this. */
#define CONFIG_KEYS_MAX 4096

/* Applies the value read; false after saying why in err, at the value's line and column if the
 * key is known, else the key's. */
static bool pending_apply(Config *c, const char *path, const char *section, Pending *p, Buf *err)
{
	if (!p->open)
		return true;
	p->open = false;
	Str key = str_make(p->key.p ? p->key.p : "", p->key.len), value = str_make(p->value.p ? p->value.p : "", p->value.len);
	Buf why = {0};
	size_t at = 0;
	bool in_key = false;
	bool many = p->nseen >= CONFIG_KEYS_MAX;
	uint32_t before = many ? 0 : key_seen(p, section, key, p->line);
	if (many)	/* said once: the lines after it are not read */
		buf_printf(&why, "more than %d keys; a configuration holds at most that many (this key and the lines "
			   "after it were not read)\n", CONFIG_KEYS_MAX), in_key = p->full = true;
	else if (before)	/* the last would win without a word: which one was meant? */
		buf_printf(&why, "%.*s is set again (line %u sets it): keep one\n", (int)key.n, key.p, before), in_key = true;
	bool ok = !many && !before && set_key(c, path, section, key, value, &p->map, p->line, p->col, &why, &at, &in_key);
	if (!ok) {
		bool at_value = !in_key && value.n && find_setting(section, key, true);
		uint32_t k = 0;	/* the line of the value that holds at */
		while (at_value && k + 1 < p->map.nlines && p->map.off[k + 1] <= at)
			k++;
		buf_printf(err, "%s:%u:%u: error: %s", path, at_value ? p->map.line[k] : p->line,
			   at_value ? p->map.col[k] + (unsigned)(at - p->map.off[k]) : p->col + (unsigned)(in_key ? at : 0),
			   buf_cstr(&why));
	}
	buf_free(&why);
	free(p->map.off), free(p->map.line), free(p->map.col);
	p->map = (SqlDef){0};
	p->key.len = p->value.len = 0;
	return ok;
}

void config_note(Config *c, unsigned line, const char *text)
{
	c->notes = xgrow(c->notes, c->nnotes, sizeof *c->notes);
	c->notes[c->nnotes++] = (struct ConfigNote){config_keep(c, xstrdup(text)), line};
}

/* Whether a [read] option is how a file is read (not how its values are cleaned). */
static bool file_option(Str opt)
{
	static const char *const opts[] = {"delimiter", "encoding", "header_row", "comment", "fill_down"};
	for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
		if (str_eq(opt, opts[i]))
			return true;
	return false;
}

/* The keys of section set for source s that nothing reads, as one note at the first one's line:
 * [read], [columns] and [null] of a source [files] says the exports have none of, and [read]'s
 * options of how a file is read of a source its [sql] SELECT makes (its rows are the SELECT's;
 * a [tables] file's are set by the table's name). */
static void unused_keys(Config *c, const Pending *p, int s, const char *section)
{
	bool none = c->no_file[s], sql = c->sql[s].text && strcmp(section, "read") == 0;
	if (!none && !sql)
		return;
	const char *name = source_defs[s].name;
	Buf prefix = {0}, keys = {0};
	buf_printf(&prefix, "[%s]%s.", section, name);
	uint32_t line = 0;
	const char *at = p->seen.p;
	for (size_t i = 0; i < p->nseen; i++, at = strchr(at, '\n') + 1) {
		if (strncmp(at, prefix.p, prefix.len) != 0)
			continue;	/* first: a shorter section's key ("[sql]a") ends before "[columns]" would */
		const char *key = at + strlen(section) + 2;	/* after "[section]" */
		size_t n = strcspn(key, "\n");
		if (!none && !file_option(str_make(at + prefix.len, n - strlen(name) - 1)))
			continue;
		buf_printf(&keys, "%s%.*s", keys.len ? ", " : "", (int)n, key);
		line = line ? line : p->seen_line[i];
	}
	Buf note = {0};
	if (keys.len && none)
		buf_printf(&note, "[%s] %s: not used: [files] %s = none, so no file of it is read", section, keys.p, name);
	else if (keys.len)
		buf_printf(&note, "[%s] %s: not used: [sql] %s makes the source from its SELECT, which reads no file of "
			   "its own (how a [tables] file is read is set under its table's name: [read] TABLE.OPTION)",
			   section, keys.p, name);
	if (note.len)
		config_note(c, line, buf_cstr(&note));
	buf_free(&prefix), buf_free(&keys), buf_free(&note);
}

#define CONFIG_ERRORS_MAX 20	/* errors said before reading stops */

static size_t lines_in(const Buf *b, size_t from)
{
	size_t n = 0;
	for (size_t i = from; i < b->len; i++)
		n += b->p[i] == '\n';
	return n;
}

bool config_load(Config *c, const char *path, Buf *err)
{
	const char *why = NULL;
	int fd = open_regular(path, &why);	/* a FIFO would hang */
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f) {
		buf_printf(err, "%s: error: cannot open the configuration: %s\n", path, fd >= 0 ? strerror(errno) : why);
		if (fd >= 0)
			close(fd);
		return false;
	}
	char *line = NULL, section[16] = "";
	size_t cap = 0;
	ssize_t got;
	unsigned lineno = 0;
	bool ok = true;
	size_t from = err->len;	/* every error said, up to CONFIG_ERRORS_MAX (helper 112: one a run) */
	Pending p = {0};
	FileHasher *bytes = file_hasher_new();	/* what was parsed: the file may change after */
	while (lines_in(err, from) < CONFIG_ERRORS_MAX && (got = getline(&line, &cap, f)) >= 0) {
		file_hasher_add(bytes, line, (size_t)got);
		lineno++;
		if (lineno == 1 && got >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)	/* a UTF-8 BOM (Notepad's) */
			memset(line, ' ', 3);
		const char *nul = memchr(line, '\0', (size_t)got);
		if (nul || got > CONFIG_LINE_MAX) {	/* not text, or not a line a person wrote */
			if (nul)
				buf_printf(err, "%s:%u:%u: error: a NUL byte; a configuration is text\n", path, lineno,
					   (unsigned)(nul - line) + 1);
			else
				buf_printf(err, "%s:%u:1: error: the line is longer than %d bytes\n", path, lineno,
					   CONFIG_LINE_MAX);
			ok = false;
			continue;
		}
		bool sql = strcmp(section, "sql") == 0;
		Str s = config_line(line, sql);
		if (!s.n)
			continue;
		unsigned col = (unsigned)(s.p - line) + 1;
		const uint8_t *bad = u8_check((const uint8_t *)s.p, s.n);
		if (bad) {	/* a title or a label would be written into pages, PDFs and gold as it is */
			buf_printf(err, "%s:%u:%u: error: byte 0x%02x is not UTF-8; save the configuration as UTF-8\n", path,
				   lineno, (unsigned)((const char *)bad - line) + 1, *bad);
			ok = false;
			continue;
		}
		if (sql && p.open && (line[0] == ' ' || line[0] == '\t')) {
			pending_line(&p, s, lineno, col);	/* the SQL goes on */
			continue;
		}
		if (!pending_apply(c, path, section, &p, err))
			ok = false;
		if (p.full)
			break;
		if (s.p[0] == '[' && s.p[s.n - 1] == ']') {
			if (!load_section(path, lineno, col, s, section, sizeof section, err))
				ok = false, snprintf(section, sizeof section, "?");	/* its keys are not said */
			continue;
		}
		if (strcmp(section, "?") == 0)
			continue;
		const char *eq = memchr(s.p, '=', s.n);
		if (!eq) {
			buf_printf(err, "%s:%u:%u: error: expected \"key = value\" or a [section]\n", path, lineno, col);
			ok = false;
			continue;
		}
		Str key = str_trim(str_make(s.p, (size_t)(eq - s.p)));
		Str value = str_trim(str_make(eq + 1, s.n - (size_t)(eq + 1 - s.p)));
		buf_put(&p.key, key.p, key.n);
		p.line = lineno, p.col = col, p.open = true;
		if (value.n)
			pending_line(&p, value, lineno, (uint32_t)(value.p - line) + 1);
	}
	ok = pending_apply(c, path, section, &p, err) && ok;
	if (lines_in(err, from) >= CONFIG_ERRORS_MAX && !feof(f))	/* the rest of the file not read */
		buf_printf(err, "%s:%u: error: %d errors or more; the lines after this one were not read\n", path, lineno,
			   CONFIG_ERRORS_MAX);
	if (strlen(c->thousands_separator) == 1 && c->thousands_separator[0] == c->decimal_separator) {
		uint32_t at = key_seen(&p, "", str_make("thousands_separator", 19), 0);
		buf_printf(err, "%s:%u: error: thousands_separator is \"%c\", as decimal_separator is: a page could not tell "
			   "a thousand from a decimal\n", path, at, c->decimal_separator);
		ok = false;
	}
	ok = config_read_names_check(c, path, err) && ok;	/* said too after other errors */
	for (int s = 0; s < SRC_COUNT; s++)
		if (c->no_file[s] && c->sql[s].text) {
			buf_printf(err, "%s:%u: error: [files] %s = none, yet [sql] %s makes it: keep one\n", path,
				   key_seen(&p, "files", str_make(source_defs[s].name, strlen(source_defs[s].name)), 0),
				   source_defs[s].name, source_defs[s].name);
			ok = false;
		}
	ok = config_views_check(c, path, err) && ok;
	for (int s = 0; s < SRC_COUNT; s++) {
		unused_keys(c, &p, s, "read");
		unused_keys(c, &p, s, "columns");
		unused_keys(c, &p, s, "null");
	}
	c->config_bytes = file_hasher_end(bytes);
	buf_free(&p.key), buf_free(&p.value), buf_free(&p.seen);
	free(p.map.off), free(p.map.line), free(p.map.col), free(p.seen_line);
	free(line);
	fclose(f);
	return ok;
}

/* ---- the settings as documentation, and as they are in force */

/* A text value or list item as the file reads it back: in quotes (each " doubled) where it must
 * be, to keep a comma, a #, a quote or blanks at its ends, to be an empty item (no value is
 * empty), or where quoted says. */
static void put_text(Buf *b, const char *s, bool quoted)
{
	size_t n = strlen(s);
	if (quoted || !n || strpbrk(s, ",#\"") || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		csv_quoted(b, s, n, false);
	else
		buf_put(b, s, n);
}

void config_put_text(Buf *b, const char *s)
{
	put_text(b, s, false);
}

void config_put_list(Buf *b, char *const *items, size_t n)
{
	for (size_t i = 0; i < n && items[i]; i++) {	/* a name none quoted: unquoted, it says there is none */
		buf_puts(b, i ? ", " : "");
		put_text(b, items[i], strcasecmp(items[i], "none") == 0);
	}
}

/* A setting's value in c, as the file would write it; false if it has none of its own. */
static bool put_value(Buf *b, const Config *c, const Setting *st)
{
	const char *base = (const char *)c;
	bool string = st->kind == 's' || st->kind == 'q';
	const char *text = string ? *(const char *const *)(const void *)(base + st->field) : NULL;
	if (st->kind == 'i')
		buf_printf(b, "%d", *(const int *)(const void *)(base + st->field));
	else if (st->kind == 'z')
		buf_printf(b, "%zu", *(const size_t *)(const void *)(base + st->field));
	else if (st->kind == 'h')
		fmt_hundredths(b, &fmt_plain, *(const int64_t *)(const void *)(base + st->field));
	else if (st->kind == 'b')
		buf_puts(b, *(const bool *)(const void *)(base + st->field) ? "true" : "false");
	else if (st->kind == 'o')
		buf_puts(b, order_names[*(const DateOrder *)(const void *)(base + st->field)]);
	else if (st->kind == 'c')
		buf_printf(b, "\"%c\"", *(const char *)(const void *)(base + st->field));
	else if (st->kind == 'g')
		buf_puts(b, *(const bool *)(const void *)(base + st->field) ? "lakh" : "thousands");
	else if (text)
		put_text(b, text, st->kind == 'q');
	return st->kind == 'i' || st->kind == 'z' || st->kind == 'h' || st->kind == 'b' || st->kind == 'o' || st->kind == 'c' ||
	       st->kind == 'g' || text;
}

void config_doc(Buf *b)
{
	Config defaults;
	config_defaults(&defaults);
	buf_puts(b, "A configuration file (c360 build --config FILE) holds \"key = value\" lines, a key once;\n"
		    "# starts a comment. No value may be empty; a value in double quotes keeps spaces, commas\n"
		    "and # (\"\" is one \"), as header names need: orders.order_id = \"Order #\".\n"
		    "docs/exports.md shows every key at work.\n"
		    "Keys at the top, before any [section]:\n\n");
	const char *section = "";
	for (size_t i = 0; i < NSETTINGS; i++) {
		if (strcmp(settings[i].section, section) != 0)
			buf_printf(b, "\n[%s]\n", section = settings[i].section);
		buf_printf(b, "  %-19s %s\n", settings[i].key, settings[i].expects);
		size_t at = b->len;
		buf_printf(b, "%22sdefault: ", "");
		if (put_value(b, &defaults, &settings[i]))
			buf_putc(b, '\n');
		else
			b->len = at;
	}
	buf_puts(b, "\nFILE is a source's or a table's name; [sql]'s SELECT goes on over the indented lines after it.\n"
		    "SOURCE is the source's name; by default its file is SOURCE.csv. COLUMN is one of its columns:\n");
	for (int s = 0; s < SRC_COUNT; s++) {
		buf_printf(b, "  %-19s", source_defs[s].name);
		for (int k = 0; k < source_defs[s].ncols; k++)
			buf_printf(b, "%s%s", k ? ", " : " ", source_defs[s].cols[k]);
		buf_putc(b, '\n');
	}
	config_free(&defaults);
}

/* A folder as a configuration file reads it from anywhere: resolved (an s3:// address as it is),
 * quoted where a value must be (as_value: put_text); nothing for none. */
static void put_place(Buf *b, const char *path, bool as_value)
{
	if (!path)
		return;
	char *place = strncmp(path, "s3://", 5) == 0 ? xstrdup(path) : path_resolve(path);
	if (as_value)
		put_text(b, place, false);
	else
		buf_puts(b, place);
	free(place);
}

/* A setting at the top as "key = value", or a comment where the file sets none. */
static void show_setting(Buf *b, const Config *c, const Setting *st)
{
	size_t f = st->field;
	if (f == AT(date_order) && !c->date_order_set) {	/* set, a warning says where evidence overrode it */
		buf_printf(b, "# date_order: not set (%s where no file shows an order)\n", order_names[c->date_order]);
		return;
	}
	size_t at = b->len;
	buf_printf(b, "%s = ", st->key);
	size_t value = b->len;
	if (f == AT(data_dir) || f == AT(templates_dir) || f == AT(themes_dir))	/* relative to the file */
		put_place(b, *(const char *const *)(const void *)((const char *)c + f), true);
	else
		put_value(b, c, st);
	if (b->len == value) {	/* not set (a value cannot be empty): said as a comment */
		b->len = at;
		buf_printf(b, "# %s: not set", st->key);
	}
	buf_putc(b, '\n');
}

void config_show(Buf *b, const Config *c)
{
	buf_printf(b, "# the settings in force: %s%s, with the defaults for the rest\n",
		   c->config_file ? "--config " : "no --config", c->config_file ? c->config_file : "");
	buf_puts(b, "# --data ");
	put_place(b, c->data_dir, false);	/* resolved, as data = below */
	buf_putc(b, '\n');
	if (c->as_of == MOMENT_NULL)
		buf_puts(b, "# --as-of: the latest event date in the data\n");
	else {
		buf_puts(b, "# --as-of ");
		buf_date(b, c->as_of);
		buf_putc(b, '\n');
	}
	for (size_t i = 0; i < c->nread; i++) {	/* but a zone's rules are the machine's tzdata's: which */
		const char *zone = c->read[i].opt.time_zone;
		const TzZone *z = zone ? tz_zone(zone, strlen(zone)) : NULL;
		if (z)
			buf_printf(b, "# [read] %s%stime_zone = %s: tzdata's file %016llx%016llx\n", c->read[i].name,
				   *c->read[i].name ? "." : "", zone, (unsigned long long)tz_hash(z).hi,
				   (unsigned long long)tz_hash(z).lo);
	}
	for (size_t i = 0; i < NSETTINGS && settings[i].kind != '-'; i++)
		show_setting(b, c, &settings[i]);
	buf_puts(b, "\n[files]\n");
	for (int s = 0; s < SRC_COUNT; s++)
		if (c->sql[s].text)
			buf_printf(b, "# %s: made by its [sql] query\n", source_defs[s].name);
		else if (c->no_file[s])
			buf_printf(b, "%s = none\n", source_defs[s].name);
		else {	/* a file named none in quotes, as it was set: unquoted, it would be none */
			const char *file = config_file_of(c, (SourceId)s);
			buf_printf(b, "%s = ", source_defs[s].name);
			put_text(b, file, strcasecmp(file, "none") == 0);
			buf_putc(b, '\n');
		}
	buf_puts(b, "\n[columns]\n# each column is found by its own name, and by these:\n");
	for (int s = 0; s < SRC_COUNT; s++)
		for (int k = 0; k < source_defs[s].ncols; k++) {
			if (!c->alias[s][k][0] && !c->no_column[s][k])
				continue;
			buf_printf(b, "%s.%s = %s", source_defs[s].name, source_defs[s].cols[k], c->no_column[s][k] ? "none" : "");
			config_put_list(b, c->alias[s][k], MAX_ALIASES);
			buf_putc(b, '\n');
		}
	for (size_t i = 0; i < c->ntable_columns; i++) {	/* a [tables] table's column under its names */
		const TableColumn *t = &c->table_columns[i];
		buf_printf(b, "%s%s.%s = ", i ? "" : "# and the columns of [tables] tables:\n", t->table, t->name);
		config_put_list(b, (char *const *)t->alias, MAX_ALIASES);
		buf_putc(b, '\n');
	}
	for (int s = 0, said = 0; s < SRC_COUNT; s++)
		for (int k = 0; k < source_defs[s].ncols; k++) {
			if (!c->nulls[s][k][0])
				continue;
			buf_printf(b, "%s%s.%s = ", said++ ? "" : "\n[null]\n", source_defs[s].name, source_defs[s].cols[k]);
			for (int a = 0; a < MAX_ALIASES && c->nulls[s][k][a]; a++) {
				buf_puts(b, a ? ", " : "");
				csv_quoted(b, c->nulls[s][k][a], strlen(c->nulls[s][k][a]), false);
			}
			buf_putc(b, '\n');
		}
	config_input_show(b, c);
}

const char *config_file_of(const Config *c, SourceId id)
{
	return c->sql[id].text ? SQL_FILE : c->no_file[id] ? NO_FILE : c->file[id] ? c->file[id] : source_defs[id].file;
}

/* --jobs, or a thread per processor; at most 16, and no more than the limit of open files
 * leaves room for (ulimit -n): a build holds up to ~12 files open (FILES_BASE) and each thread
 * up to two more (FILES_THREAD), as measured (tests/hostile.sh runs --jobs 16 under 16 files).
 * The output does not depend on it. */
enum { FILES_BASE = 12, FILES_THREAD = 2 };

int config_threads(const Config *c)
{
	long n = c->jobs > 0 ? c->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	struct rlimit files;
	if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)n * FILES_THREAD + FILES_BASE > files.rlim_cur)
		n = files.rlim_cur > FILES_BASE ? (long)((files.rlim_cur - FILES_BASE) / FILES_THREAD) : 1;
	return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}

void config_free(Config *c)
{
	for (size_t i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c->owned);
	free(c->notes);
	config_input_free(c);
	for (int s = 0; s < SRC_COUNT; s++) {
		free(c->file[s]);
		for (int k = 0; k < MAX_COLS; k++)
			for (int a = 0; a < MAX_ALIASES; a++)
				free(c->alias[s][k][a]), free(c->nulls[s][k][a]);
	}
}
