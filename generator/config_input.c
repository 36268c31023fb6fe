/* config_input.c — the configuration of the inputs: reader options per file ([read]), tables
 * and SQL sources ([tables], [sql]), words of the category maps ([categories]), currencies
 * ([currency]) and S3 ([s3]). */
#include "c360.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

static bool whole_number(const char *v, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || !*v || *end || n < min || n > max)
		return false;
	*out = n;
	return true;
}

/* A currency code: three letters, kept upper-case in out. */
static bool currency_code(const char *v, char out[4])
{
	if (strlen(v) != 3)
		return false;
	for (int i = 0; i < 3; i++) {
		char ch = v[i] >= 'a' && v[i] <= 'z' ? (char)(v[i] - 32) : v[i];
		if (ch < 'A' || ch > 'Z')
			return false;
		out[i] = ch;
	}
	out[3] = '\0';
	return true;
}

/* ---- [read] */

static NamedOptions *named_options(Config *c, const char *name, size_t n, unsigned line)
{
	for (size_t i = 0; i < c->nread; i++)
		if (strlen(c->read[i].name) == n && memcmp(c->read[i].name, name, n) == 0)
			return &c->read[i];
	c->read = xrealloc(c->read, (c->nread + 1) * sizeof *c->read);
	NamedOptions *o = &c->read[c->nread++];
	*o = (NamedOptions){.name = config_keep(c, xstrndup(name, n)), .opt = {.encoding = -1}, .line = line};
	return o;
}

static signed char encoding_of(const char *v)
{
	static const struct { const char *name; int enc; } encs[] = {
		{"utf-8", ENC_UTF8}, {"utf8", ENC_UTF8}, {"windows-1252", ENC_CP1252}, {"cp1252", ENC_CP1252},
		{"latin-1", ENC_LATIN1}, {"latin1", ENC_LATIN1}, {"iso-8859-1", ENC_LATIN1}, {"auto", ENC_AUTO},
	};
	for (size_t i = 0; i < sizeof encs / sizeof *encs; i++)
		if (strcasecmp(v, encs[i].name) == 0)
			return (signed char)encs[i].enc;
	return -1;
}

/* [read] FILE.fill_down: header names, kept with the configuration's strings. */
static bool fill_down_names(Config *c, ReadOptions *o, Str raw, Buf *why)
{
	char **names;
	size_t n;
	if (!config_list(raw, &names, &n, why))
		return false;
	for (size_t i = 0; i < n; i++)
		config_keep(c, names[i]);
	config_keep(c, (char *)names);
	o->fill_down = names, o->nfill_down = n;
	return n > 0;
}

/* [read] FILE.time_zone: a zone the machine's tzdata has (loaded now: its file read once). */
static bool time_zone(Config *c, ReadOptions *o, const char *v, Buf *why)
{
	if (!tz_zone(v, strlen(v))) {
		char near[TZ_NAME_MAX + 1];
		bool named = tz_name_ok(v, strlen(v)) && tz_nearest(v, near, sizeof near);
		buf_printf(why, "no such zone in the machine's tzdata%s%s%s", named ? "; did you mean \"" : "",
			   named ? near : "", named ? "\"?" : "");
		return false;
	}
	o->time_zone = config_keep(c, xstrdup(v));
	return true;
}

/* Sets option opt (the settings table matched one) of o; false if v (raw: as written) is not
 * what it takes. */
static bool read_option(Config *c, ReadOptions *o, Str opt, const char *v, Str raw, Buf *why)
{
	long n;
	char code[4];
	bool tab = strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0, dot_comma = strcmp(v, ".") == 0 || strcmp(v, ",") == 0;
	if (str_eq(opt, "delimiter") && (tab || strcmp(v, "auto") == 0 || (strlen(v) == 1 && strchr(",;|", v[0]))))
		o->delimiter = tab ? '\t' : v[0] == 'a' ? 0 : v[0];
	else if (str_eq(opt, "decimal") && (dot_comma || strcmp(v, "auto") == 0))
		o->decimal = dot_comma ? v[0] : 0;
	else if (str_eq(opt, "encoding") && encoding_of(v) >= 0)
		o->encoding = encoding_of(v);
	else if (str_eq(opt, "header_row") && whole_number(v, 1, 1000000, &n))
		o->header_row = (uint32_t)n;
	else if (str_eq(opt, "comment") && *v)
		o->comment = config_keep(c, xstrdup(v));
	else if (str_eq(opt, "currency") && currency_code(v, code))
		o->currency = config_keep(c, xstrdup(code));
	else if (str_eq(opt, "date_format") && clean_date_format_why(v))
		return buf_puts(why, clean_date_format_why(v)), false;
	else if (str_eq(opt, "date_format"))
		o->date_format = config_keep(c, xstrdup(v));
	else if (str_eq(opt, "time_zone"))
		return time_zone(c, o, v, why);
	else if (str_eq(opt, "fill_down"))
		return fill_down_names(c, o, raw, why);
	else if (str_eq(opt, "title_case") && (strcmp(v, "true") == 0 || strcmp(v, "false") == 0 || strcmp(v, "one-case") == 0))
		o->title_case = v[0] == 't' ? 1 : v[0] == 'f' ? -1 : 2;
	else
		return false;
	return true;
}

bool config_set_read(SetArgs *a)
{
	const char *dot = memchr(a->key.p, '.', a->key.n);
	size_t n = dot ? (size_t)(dot - a->key.p) : 0;
	unsigned line = a->map && a->map->nlines ? a->map->line[0] : 0;
	NamedOptions *named = named_options(a->c, a->key.p, n, line);
	Str opt = dot ? str_make(dot + 1, a->key.n - n - 1) : a->key;
	static const char *const of_values[] = {"decimal", "currency", "date_format", "time_zone", "title_case"};
	for (size_t k = 0; k < sizeof of_values / sizeof *of_values && !named->value_line; k++)
		if (str_eq(opt, of_values[k]))
			named->value_line = line, named->value_opt = of_values[k];
	return read_option(a->c, &named->opt, opt, a->v, a->raw, a->why);
}

/* The table part of [columns] TABLE.NAME (the key before its dot). */
static Str table_of(Str key)
{
	const char *dot = memchr(key.p, '.', key.n);
	return str_make(key.p, dot ? (size_t)(dot - key.p) : 0);
}

bool config_set_table_column(SetArgs *a)
{
	Config *c = a->c;
	Str table = table_of(a->key), name = str_make(a->key.p + table.n + 1, a->key.n - table.n - 1);
	char **items;
	size_t n;
	if (name.n == 5 && (strncasecmp(name.p, "_file", 5) == 0 || strncasecmp(name.p, "_line", 5) == 0)) {
		a->in_key = true, a->at = table.n + 1;	/* else the header's column was _file_2, or no table made */
		return buf_puts(a->why, "_file and _line are the table's own columns"), false;
	}
	if (config_none(a->raw))	/* a table has the columns its header has: none would name a header "none" */
		return buf_printf(a->why, "a [tables] file's column is whatever its header has: none, a column the exports "
				  "never have, is a source's (SOURCE.COLUMN = none; a header named none is \"none\")"), false;
	if (!config_names(a->raw, &items, &n, a->why))
		return false;
	bool ok = n <= MAX_ALIASES;
	if (!ok)
		buf_printf(a->why, "at most %d names", MAX_ALIASES);
	else {
		c->table_columns = xrealloc(c->table_columns, (c->ntable_columns + 1) * sizeof *c->table_columns);
		TableColumn *t = &c->table_columns[c->ntable_columns++];
		*t = (TableColumn){config_keep(c, xstrndup(table.p, table.n)), config_keep(c, xstrndup(name.p, name.n)),
				   {NULL}, a->map && a->map->nlines ? a->map->line[0] : 0};
		for (size_t k = 0; k < n; k++)
			t->alias[k] = config_keep(c, config_normalise(str_make(items[k], strlen(items[k]))));
	}
	for (size_t k = 0; k < n; k++)
		free(items[k]);
	free(items);
	return ok;
}

/* Whether name is one of names[from..n) (the sources', then the tables'); if not, says so at
 * line, with the nearest of all. */
static bool name_known(Buf *err, const char *path, unsigned line, const char *what, const char *name,
		       const char *const *names, size_t from, size_t n)
{
	for (size_t k = from; k < n; k++)
		if (strcmp(name, names[k]) == 0)
			return true;
	const char *near = nearest_word(name, strlen(name), names, n);
	buf_printf(err, "%s:%u:1: error: %s: no source or [tables] table is named \"%s\"%s%s%s; see c360 help config\n",
		   path, line, what, name, near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
	return false;
}

bool config_read_names_check(const Config *c, const char *path, Buf *err)
{
	size_t n = 0;
	const char **names = xmalloc((SRC_COUNT + c->ntables) * sizeof *names);
	for (int i = 0; i < SRC_COUNT; i++)
		names[n++] = source_defs[i].name;
	for (size_t i = 0; i < c->ntables; i++)
		names[n++] = c->tables[i].name;
	bool ok = true;
	for (size_t i = 0; i < c->nread && ok; i++) {	/* "": every file */
		Buf what = {0};
		buf_printf(&what, "[read] %s", c->read[i].name);
		ok = !*c->read[i].name || name_known(err, path, c->read[i].line, buf_cstr(&what), c->read[i].name, names, 0, n);
		buf_free(&what);
		const NamedOptions *r = &c->read[i];
		bool source = false;
		for (int k = 0; k < SRC_COUNT; k++)
			source |= strcmp(r->name, names[k]) == 0;
		if (ok && *r->name && !source && r->value_line) {	/* a [tables] file's, set to no effect */
			buf_printf(err, "%s:%u:1: error: [read] %s.%s: a [tables] file's values are text for the SQL; how a "
					"value is cleaned is the source's that the SELECT makes: set it there (orders.%s, ...)\n",
				   path, r->value_line, r->name, r->value_opt, r->value_opt);
			ok = false;
		}
	}
	for (size_t i = 0; i < c->ntable_columns; i++) {	/* a table's, not a source's */
		const TableColumn *t = &c->table_columns[i];
		Buf what = {0};
		buf_printf(&what, "[columns] %s.%s", t->table, t->name);
		ok = name_known(err, path, t->line, buf_cstr(&what), t->table, names, SRC_COUNT, n) && ok;
		buf_free(&what);
	}
	free(names);
	return ok;
}

bool config_views_check(const Config *c, const char *path, Buf *err)
{
	bool ok = true;
	for (size_t v = 0; v < c->nviews; v++)
		for (size_t t = 0; t < c->ntables; t++)
			if (strcasecmp(c->views[v].name, c->tables[t].name) == 0) {	/* as SQLite compares them */
				buf_printf(err, "%s:%u:%u: error: %s: the name of [tables] table %s; a view's name is no "
						"table's\n", path, c->views[v].line, c->views[v].col, c->views[v].name,
					   c->tables[t].name);
				ok = false;
			}
	return ok;
}

ReadOptions config_read_options(const Config *c, const char *name)
{
	ReadOptions r = {.encoding = -1};
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->nread; i++) {
			const ReadOptions *o = &c->read[i].opt;
			if (strcmp(c->read[i].name, pass ? name : "") != 0)
				continue;
			r.delimiter = o->delimiter ? o->delimiter : r.delimiter;
			r.decimal = o->decimal ? o->decimal : r.decimal;
			r.encoding = o->encoding >= 0 ? o->encoding : r.encoding;
			r.header_row = o->header_row ? o->header_row : r.header_row;
			r.comment = o->comment ? o->comment : r.comment;
			r.currency = o->currency ? o->currency : r.currency;
			r.date_format = o->date_format ? o->date_format : r.date_format;
			r.time_zone = o->time_zone ? o->time_zone : r.time_zone;
			if (o->nfill_down)
				r.fill_down = o->fill_down, r.nfill_down = o->nfill_down;
			r.title_case = o->title_case ? o->title_case : r.title_case;
		}
	return r;
}

/* ---- [tables] and [sql] */

static bool sql_name(Str s)
{
	if (!s.n || s.n > 64 || (s.p[0] >= '0' && s.p[0] <= '9'))
		return false;
	for (size_t i = 0; i < s.n; i++) {
		char ch = s.p[i];
		if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
			return false;
	}
	return true;
}

bool config_set_table(SetArgs *a)
{
	Config *c = a->c;
	Str key = a->key;
	const char *v = a->v;
	if (!*v || strchr(v, '/'))
		return false;
	/* A source's name would name two things in [read] and in gold/data_quality.csv (which c360
	 * render then refused); SQLite keeps names starting with sqlite_ for its own tables. */
	a->in_key = true;
	if (source_by_name(key) >= 0)
		return buf_puts(a->why, "a source's name; name the table otherwise"), false;
	if (key.n >= 7 && strncasecmp(key.p, "sqlite_", 7) == 0)
		return buf_puts(a->why, "a name starting with sqlite_ is SQLite's own"), false;
	a->in_key = false;
	for (size_t i = 0; i < c->ntables; i++)
		if (str_eq(key, c->tables[i].name))
			return buf_puts(a->why, "the table is defined twice"), false;
	for (size_t i = 0; i < c->ntables; i++)	/* each table holds its file: 200 of a 1.2 MB file took 255 MB */
		if (strcmp(v, c->tables[i].file) == 0)
			return buf_printf(a->why, "the file of table %s already (a SELECT may read a table twice: FROM %s AS a "
					  "JOIN %s AS b)", c->tables[i].name, c->tables[i].name, c->tables[i].name), false;
	c->tables = xrealloc(c->tables, (c->ntables + 1) * sizeof *c->tables);
	c->tables[c->ntables++] = (TableDef){config_keep(c, xstrndup(key.p, key.n)), config_keep(c, xstrdup(v))};
	return true;
}

/* Views of one configuration: each is made by SQLite reading those it reads again, and each made
 * has SQLite read the others' text again, so that a chain of 200 took 0.4 s and one of 3,000
 * ran for many minutes; no report needs more than a few. */
#define VIEWS_MAX 100

/* A [sql] key that is no source's names a view (the settings table matched sql_name): not a
 * source's name in another case (SQLite's names have none: Orders would be a view, the source
 * read from its file), nor SQLite's own; a [tables] table's is checked once all is read
 * (config_views_check), as [tables] may come after [sql]. */
static SqlDef *view_new(SetArgs *a)
{
	Config *c = a->c;
	a->in_key = true;
	int src = 0;
	while (src < SRC_COUNT && (a->key.n != strlen(source_defs[src].name) ||
				   strncasecmp(a->key.p, source_defs[src].name, a->key.n) != 0))
		src++;
	if (src < SRC_COUNT)
		return buf_printf(a->why, "%s, a source's name, in another case; a view's name is no source's",
				  source_defs[src].name), NULL;
	if (a->key.n >= 7 && strncasecmp(a->key.p, "sqlite_", 7) == 0)
		return buf_puts(a->why, "a name starting with sqlite_ is SQLite's own"), NULL;
	if (c->nviews >= VIEWS_MAX)
		return buf_printf(a->why, "a view more than %d; a configuration holds at most that many", VIEWS_MAX), NULL;
	a->in_key = false;
	c->views = xrealloc(c->views, (c->nviews + 1) * sizeof *c->views);
	SqlView *v = &c->views[c->nviews++];
	*v = (SqlView){config_keep(c, xstrndup(a->key.p, a->key.n)), {0}, a->line, a->col};
	return &v->q;
}

bool config_set_sql(SetArgs *a)
{
	int src = source_by_name(a->key);
	const SqlDef *map = a->map;
	SqlDef *d = src >= 0 ? &a->c->sql[src] : view_new(a);
	if (!d)
		return false;
	free(d->off), free(d->line), free(d->col);
	*d = *map;
	d->text = config_keep(a->c, xstrndup(a->raw.p, a->raw.n));
	size_t n = map->nlines * sizeof *map->off;
	d->off = memcpy(xmalloc(n), map->off, n);
	d->line = memcpy(xmalloc(n), map->line, n);
	d->col = memcpy(xmalloc(n), map->col, n);
	return true;
}

/* ---- [categories] */

static const struct {
	const char *name;
	CatKind kind;
} maps[] = {
	{"order_status", CAT_ORDER_STATUS}, {"payment_method", CAT_PAY_METHOD}, {"payment_status", CAT_PAY_STATUS},
	{"ticket_status", CAT_TICKET_STATUS}, {"device", CAT_DEVICE}, {"gender", CAT_GENDER},
};

/* The map of "MAP.LABEL", -1 if none; *label the rest. */
static int map_of(Str key, Str *label)
{
	const char *dot = memchr(key.p, '.', key.n);
	for (size_t i = 0; dot && i < sizeof maps / sizeof *maps; i++)
		if (str_eq(str_make(key.p, (size_t)(dot - key.p)), maps[i].name)) {
			*label = str_make(dot + 1, key.n - (size_t)(dot + 1 - key.p));
			return (int)maps[i].kind;
		}
	return -1;
}

static bool gender_known(const char *label)
{
	for (int g = 0; g <= GENDER_UNKNOWN; g++)
		if (strcmp(label, gender_label[g]) == 0)
			return true;
	return false;
}

bool config_set_words(SetArgs *a)
{
	Config *c = a->c;
	Str l;
	int kind = map_of(a->key, &l);
	char *label = config_unquote(l);
	size_t label_at = (size_t)(l.p - a->key.p);
	if (!*label) {
		free(label);
		a->in_key = true, a->at = label_at;
		return buf_printf(a->why, "the label is missing after the map's name: %.*s.LABEL", (int)label_at - 1, a->key.p),
		       false;
	}
	const char *kept = config_keep(c, clean_category_label((CatKind)kind, label)),
		   *near = category_label_near((CatKind)kind, kept);
	free(label);
	if (kind == CAT_GENDER && !gender_known(kept))
		return a->in_key = true, a->at = label_at,
		       buf_printf(a->why, "\"%s\" is not a gender's label: Male, Female, Other or Unknown", kept), false;
	if (near) {	/* a new label, or a typo? */
		Buf note = {0};
		buf_printf(&note, "[categories] %.*s: \"%s\" is a new label, not the known \"%s\"; the values it lists are "
			   "read as \"%s\"", (int)a->key.n, a->key.p, kept, near, kept);
		config_note(c, a->map && a->map->nlines ? a->map->line[0] : 0, buf_cstr(&note));
		buf_free(&note);
	}
	char **words;
	size_t n;
	if (!config_list(a->raw, &words, &n, a->why))
		return false;
	Buf k = {0};
	for (size_t i = 0; i < n; i++) {
		clean_category_key(str_make(words[i], strlen(words[i])), &k);
		free(words[i]);
		c->words[kind] = xgrow(c->words[kind], c->nwords[kind], sizeof *c->words[kind]);
		c->words[kind][c->nwords[kind]++] = (CatWord){config_keep(c, xstrndup(k.p ? k.p : "", k.len)), kept};
	}
	free(words);
	buf_free(&k);
	return true;
}

/* ---- [currency] */

/* A rate: a positive decimal number, at most 9 digits after the point, below 10^9. */
static bool parse_rate(const char *v, int64_t *nanos)
{
	int64_t units = 0, frac = 0;
	int nd = 0, nf = 0;
	const char *p = v;
	for (; *p >= '0' && *p <= '9' && nd < 9; p++, nd++)
		units = units * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9' && nf < 9; p++, nf++)
			frac = frac * 10 + (*p - '0');
	if (*p || (!nd && !nf))
		return false;
	for (int i = nf; i < 9; i++)
		frac *= 10;
	*nanos = units * 1000000000 + frac;
	return *nanos > 0;
}

/* Sets code's rate, from the rates file or from a line of its own: the last set wins. */
static bool add_rate(Config *c, const char *code, const char *v, bool from_file, Buf *err)
{
	int64_t nanos;
	if (!parse_rate(v, &nanos))
		return buf_printf(err, "the rate of %s is a positive number such as 0.92", code), false;
	for (size_t i = 0; i < c->nrates; i++)
		if (strcmp(c->rates[i].code, code) == 0)
			return c->rates[i].nanos = nanos, c->rates[i].from_file = from_file, true;
	if (c->nrates == 65535)
		return buf_puts(err, "at most 65535 rates"), false;
	c->rates = xrealloc(c->rates, (c->nrates + 1) * sizeof *c->rates);
	Rate *r = &c->rates[c->nrates++];
	memcpy(r->code, code, 4);
	r->nanos = nanos;
	r->from_file = from_file;
	return true;
}

/* A rates file: lines "CODE,rate"; a first line that is not one is a header; # starts a comment. */
static bool load_rates(Config *c, const char *path, Buf *err)
{
	Buf text = {0}, why = {0};
	bool ok = file_read(path, &text, &why);
	if (!ok)
		buf_printf(err, "cannot read the rates file %s", path);
	unsigned lineno = 0;
	for (const char *p = text.p ? buf_cstr(&text) : ""; ok && *p;) {
		size_t len = strcspn(p, "\n");
		Str line = str_trim(str_make(p, len));
		p += len + (p[len] == '\n');
		lineno++;
		const char *comma = line.n ? memchr(line.p, ',', line.n) : NULL;
		if (!line.n || line.p[0] == '#')
			continue;
		char *name = comma ? config_unquote(str_make(line.p, (size_t)(comma - line.p))) : NULL;
		char *rate = comma ? config_unquote(str_make(comma + 1, line.n - (size_t)(comma + 1 - line.p))) : NULL;
		char code[4];
		if (name && currency_code(name, code))
			ok = add_rate(c, code, rate, true, err);
		else if (lineno > 1)
			ok = false, buf_puts(err, "a line of the rates file is CODE,rate");
		if (!ok)
			buf_printf(err, " (%s:%u)", path, lineno);
		free(name), free(rate);
	}
	buf_free(&text);
	buf_free(&why);
	return ok;
}

bool config_set_currency(SetArgs *a)
{
	Config *c = a->c;
	Str key = a->key;
	const char *v = a->v;
	Buf *err = a->why;
	char code[4];
	if (str_eq(key, "base")) {
		if (!currency_code(v, code))
			return false;
		memcpy(c->base_currency, code, 4);
		return true;
	}
	if (str_eq(key, "rates_file"))
		return *v && load_rates(c, c->rates_file = config_path(c, a->file, v), err);
	char *k = xstrndup(key.p, key.n);
	currency_code(k, code);	/* the settings table matched a code */
	free(k);
	return add_rate(c, code, v, false, err);
}

int config_rate(const Config *c, const char *code)
{
	if (strcmp(code, c->base_currency) == 0)
		return 0;
	for (size_t i = 0; i < c->nrates; i++)
		if (strcmp(c->rates[i].code, code) == 0)
			return (int)i + 1;
	return -1;
}

/* ---- [s3] */

bool config_set_s3(SetArgs *a)
{
	Config *c = a->c;
	Str key = a->key;
	const char *v = a->v;
	long n;
	if (str_eq(key, "region") && *v)
		c->s3_region = config_keep(c, xstrdup(v));
	else if (str_eq(key, "endpoint") && (strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0))
		c->s3_endpoint = config_keep(c, xstrdup(v));
	else if ((str_eq(key, "timeout") || str_eq(key, "connect_timeout")) && whole_number(v, 1, 86400, &n))
		*(str_eq(key, "timeout") ? &c->s3_timeout : &c->s3_connect_timeout) = n;
	else
		return false;
	return true;
}

bool config_key_matches(const char *pattern, Str key)
{
	Str label;
	char code[4], k[8];
	if (strcmp(pattern, "MAP.LABEL") == 0)
		return map_of(key, &label) >= 0;
	if (strcmp(pattern, "TABLE") == 0)
		return sql_name(key);
	if (strcmp(pattern, "VIEW") == 0)	/* [sql]: a source's key is SOURCE */
		return sql_name(key) && source_by_name(key) < 0;
	if (strcmp(pattern, "TABLE.NAME") == 0) {	/* not a source's: its columns are SOURCE.COLUMN */
		Str table = table_of(key);
		return table.n && sql_name(table) && source_by_name(table) < 0 && key.n > table.n + 1 &&
		       key.n - table.n - 1 <= 64;
	}
	snprintf(k, sizeof k, "%.*s", (int)(key.n < 7 ? key.n : 7), key.p);
	return strcmp(pattern, "CODE") == 0 && key.n == 3 && currency_code(k, code);
}

/* ---- the sections as in force (config_show): each key as config_load reads it back */

/* A section's header, taken back at the end (section_end) if no key follows it. */
static size_t section_start(Buf *b, const char *name)
{
	size_t at = b->len;
	buf_printf(b, "\n[%s]\n", name);
	return at;
}

static void section_end(Buf *b, size_t at, const char *name)
{
	if (b->len == at + strlen(name) + 4)
		b->len = at;
}

static const char *const encoding_names[] = {[ENC_UTF8] = "utf-8", [ENC_CP1252] = "windows-1252",
					     [ENC_LATIN1] = "latin-1", [ENC_AUTO] = "auto"};

/* "orders.opt = ", or "opt = " for every file's (name ""). */
static void read_key(Buf *b, const char *name, const char *opt)
{
	buf_printf(b, "%s%s%s = ", name, *name ? "." : "", opt);
}

/* A file's options that are set (auto, 0, is as unset: config_read_options takes the other's). */
static void show_read_options(Buf *b, const char *name, const ReadOptions *o)
{
	if (o->delimiter) {
		read_key(b, name, "delimiter");
		buf_printf(b, "%s\n", o->delimiter == '\t' ? "tab" : (char[]){o->delimiter, 0});
	}
	if (o->decimal)
		read_key(b, name, "decimal"), buf_printf(b, "%c\n", o->decimal);
	if (o->encoding >= 0)
		read_key(b, name, "encoding"), buf_printf(b, "%s\n", encoding_names[o->encoding]);
	if (o->header_row)
		read_key(b, name, "header_row"), buf_printf(b, "%u\n", o->header_row);
	const char *const text[][2] = {{"comment", o->comment}, {"currency", o->currency},
				       {"date_format", o->date_format}, {"time_zone", o->time_zone}};
	for (size_t k = 0; k < sizeof text / sizeof *text; k++)
		if (text[k][1])
			read_key(b, name, text[k][0]), config_put_text(b, text[k][1]), buf_putc(b, '\n');
	if (o->title_case) {
		read_key(b, name, "title_case");
		buf_printf(b, "%s\n", o->title_case > 1 ? "one-case" : o->title_case > 0 ? "true" : "false");
	}
	if (o->nfill_down)
		read_key(b, name, "fill_down"), config_put_list(b, o->fill_down, o->nfill_down), buf_putc(b, '\n');
}

/* A SELECT's lines: a first one that starts with # on the key's line (the only place it is not a
 * comment), the others indented (a line starting with [ is a section's, unindented), by one
 * blank where four would make the line too long (it was read with one at least). */
static void show_query(Buf *b, const char *name, const char *text)
{
	buf_printf(b, "%s =", name);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		const char *indent = n + 5 <= CONFIG_LINE_MAX ? "    " : " ";
		buf_printf(b, "%s%s%.*s\n", p == text && *p == '#' ? "" : p == text ? "\n" : "",
			   p == text && *p == '#' ? " " : indent, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

static void show_sql(Buf *b, const Config *c)
{
	size_t at = section_start(b, "tables");
	for (size_t i = 0; i < c->ntables; i++) {
		buf_printf(b, "%s = ", c->tables[i].name);
		config_put_text(b, c->tables[i].file);
		buf_putc(b, '\n');
	}
	section_end(b, at, "tables");
	at = section_start(b, "sql");
	for (int s = 0; s < SRC_COUNT; s++)
		if (c->sql[s].text)
			show_query(b, source_defs[s].name, c->sql[s].text);
	for (size_t v = 0; v < c->nviews; v++)
		show_query(b, c->views[v].name, c->views[v].q.text);
	section_end(b, at, "sql");
}

/* Words (of the array words) by label, then by the order they were set. */
static int word_cmp(const void *a, const void *b, void *words)
{
	const CatWord *w = words;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int d = strcmp(w[i].label, w[j].label);
	return d ? d : (i > j) - (i < j);
}

/* A label's first word (the run of its words in the sorted order starts there). */
static int run_cmp(const void *a, const void *b)
{
	size_t i = **(const size_t *const *)a, j = **(const size_t *const *)b;
	return (i > j) - (i < j);
}

/* Each label of each map with its words, in the order they were set: sorted, not searched, as a
 * configuration may hold millions of words (4,096 lines of 4 KiB). */
static void show_categories(Buf *b, const Config *c)
{
	size_t at = section_start(b, "categories");
	for (size_t m = 0; m < sizeof maps / sizeof *maps; m++) {
		const CatWord *w = c->words[maps[m].kind];
		size_t n = c->nwords[maps[m].kind], nruns = 0;
		if (!n)
			continue;
		size_t *order = xmalloc(n * sizeof *order), **run = xmalloc(n * sizeof *run);
		for (size_t i = 0; i < n; i++)
			order[i] = i;
		qsort_r(order, n, sizeof *order, word_cmp, (void *)w);
		for (size_t i = 0; i < n; i++)
			if (i == 0 || strcmp(w[order[i]].label, w[order[i - 1]].label) != 0)
				run[nruns++] = &order[i];
		qsort(run, nruns, sizeof *run, run_cmp);
		for (size_t r = 0; r < nruns; r++) {
			const char *label = w[*run[r]].label;
			buf_printf(b, "%s.", maps[m].name);
			config_put_text(b, label);
			buf_puts(b, " = ");
			for (const size_t *k = run[r]; k < order + n && strcmp(w[*k].label, label) == 0; k++) {
				buf_puts(b, k > run[r] ? ", " : "");
				config_put_text(b, w[*k].key);
			}
			buf_putc(b, '\n');
		}
		free(order);
		free(run);
	}
	section_end(b, at, "categories");
}

/* A rate as parse_rate reads it: nanos / 10^9, without trailing zeros. */
static void put_rate(Buf *b, int64_t nanos)
{
	int64_t frac = nanos % 1000000000;
	int digits = 9;
	for (; frac && frac % 10 == 0; frac /= 10)
		digits--;
	buf_printf(b, "%lld", (long long)(nanos / 1000000000));
	if (frac)
		buf_printf(b, ".%0*lld", digits, (long long)frac);
}

/* Rates by code (show_currency's order: any the configuration's lines set). */
static int rate_cmp(const void *a, const void *b)
{
	return strcmp(((const Rate *)a)->code, ((const Rate *)b)->code);
}

/* The rates file (resolved: what it holds is read again), then the rates its lines set last, by
 * code: whatever the order of the lines, these win over the file's as they did. */
static void show_currency(Buf *b, const Config *c)
{
	size_t at = section_start(b, "currency");
	if (c->base_currency[0])
		buf_printf(b, "base = %s\n", c->base_currency);
	if (c->rates_file) {
		char *file = path_resolve(c->rates_file);
		buf_puts(b, "rates_file = "), config_put_text(b, file), buf_putc(b, '\n');
		free(file);
	}
	size_t size = c->nrates * sizeof *c->rates;
	Rate *rates = size ? memcpy(xmalloc(size), c->rates, size) : NULL;
	if (rates)
		qsort(rates, c->nrates, sizeof *rates, rate_cmp);
	for (size_t i = 0; i < c->nrates; i++)
		if (!rates[i].from_file) {
			buf_printf(b, "%s = ", rates[i].code);
			put_rate(b, rates[i].nanos);
			buf_putc(b, '\n');
		}
	free(rates);
	section_end(b, at, "currency");
}

/* An endpoint, but a user name or password in it as "..." (as s3.c says it): still one that a
 * build refuses, the same way. */
static void show_endpoint(Buf *b, const char *endpoint)
{
	const char *at = s3_endpoint_userinfo(endpoint), *auth = at ? strstr(endpoint, "://") + 3 : NULL;
	Buf shown = {0};
	if (at)
		buf_puts(b, "# the endpoint's user name or password not shown (a build refuses an endpoint with them)\n"),
		buf_printf(&shown, "%.*s...%s", (int)(auth - endpoint), endpoint, at);
	buf_puts(b, "endpoint = ");
	config_put_text(b, at ? buf_cstr(&shown) : endpoint);
	buf_putc(b, '\n');
	buf_free(&shown);
}

/* The keys are the environment's (s3.c), and are not shown: said where they come from. */
static void show_s3(Buf *b, const Config *c)
{
	if (!c->s3_region && !c->s3_endpoint && !c->s3_timeout && !c->s3_connect_timeout &&
	    !(c->data_dir && s3_location(c->data_dir)))
		return;
	buf_puts(b, "\n[s3]\n# the keys: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) from the "
		    "environment, not shown\n");
	if (c->s3_region)
		buf_puts(b, "region = "), config_put_text(b, c->s3_region), buf_putc(b, '\n');
	if (c->s3_endpoint)
		show_endpoint(b, c->s3_endpoint);
	if (c->s3_timeout)
		buf_printf(b, "timeout = %ld\n", c->s3_timeout);
	if (c->s3_connect_timeout)
		buf_printf(b, "connect_timeout = %ld\n", c->s3_connect_timeout);
}

void config_input_show(Buf *b, const Config *c)
{
	size_t at = section_start(b, "read");
	for (size_t i = 0; i < c->nread; i++)
		show_read_options(b, c->read[i].name, &c->read[i].opt);
	section_end(b, at, "read");
	show_sql(b, c);
	show_categories(b, c);
	show_currency(b, c);
	show_s3(b, c);
}

void config_input_free(Config *c)
{
	free(c->read);
	free(c->tables);
	free(c->table_columns);
	free(c->rates);
	for (int s = 0; s < SRC_COUNT; s++)
		free(c->sql[s].off), free(c->sql[s].line), free(c->sql[s].col);
	for (size_t v = 0; v < c->nviews; v++)
		free(c->views[v].q.off), free(c->views[v].q.line), free(c->views[v].q.col);
	free(c->views);
	for (int k = 0; k < CAT_COUNT; k++)
		free(c->words[k]);
}
