/* test_ux.c — what c360 tells its user: suggestions, template checks against the page table,
 * the page data check, configuration errors, diagnostics by verbosity, counts that agree, and
 * the paths --out is checked with. */
#include "harness.h"

#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static Arena arena;

static void test_nearest_word(void **state)
{
	(void)state;
	static const char *const commands[] = {"help", "build", "check", "generate", "init"};
	static const char *const keys[] = {"title", "theme", "themes", "date_order", "churn_window_days"};
	static const char *const names[] = {"email", "name"};
	static const struct { const char *word; const char *const *cands; size_t n; const char *want; } cases[] = {
		{"biuld", commands, 5, "build"},		/* a swap is one edit */
		{"nmae", keys + 4, 1, NULL},
		{"nmae", names, 2, "name"},
		{"chek", commands, 5, "check"},
		{"generat", commands, 5, "generate"},
		{"serve", commands, 5, NULL},		/* nothing near */
		{"x", commands, 5, NULL},
		{"churn_window", keys, 5, "churn_window_days"},	/* the start of a longer key */
		{"churn-window-days", keys, 5, "churn_window_days"},
		{"date-order", keys, 5, "date_order"},
		{"them", keys, 5, "theme"},		/* the nearest, the first of equals */
		{"titel", keys, 5, "title"},
		{"colour", keys, 5, NULL},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *got = nearest_word(cases[i].word, strlen(cases[i].word), cases[i].cands, cases[i].n);
		CHECK(got == cases[i].want || (got && cases[i].want && strcmp(got, cases[i].want) == 0),
		      "%s: got %s, want %s", cases[i].word, got ? got : "NULL", cases[i].want ? cases[i].want : "NULL");
	}
}

/* ---- templates against a page's variables */

static const PageVar row_fields[] = {{"id", T_TEXT, NULL, ""}, {"tags", T_LIST, NULL, ""}, {NULL, T_TEXT, NULL, NULL}};
static const PageVar cell_fields[] = {{"id", T_TEXT, NULL, ""}, {NULL, T_TEXT, NULL, NULL}};
static const PageVar test_vars[] = {
	{"name", T_TEXT, NULL, ""},
	{"cells", T_LIST, cell_fields, ""},
	{"chart", T_HTML, NULL, ""},
	{"rows", T_LIST, row_fields, ""},
	{"words", T_LIST, NULL, ""},
	{"n", T_NUMBER, NULL, ""},
	{"ok", T_BOOL, NULL, ""},
	{"day", T_DATE, NULL, ""},
	{"sum", T_MONEY, NULL, ""},
	{NULL, T_TEXT, NULL, NULL},
};
static const PageDef test_page = {"test", "test.html", test_vars, ""};

/* Checks src against test_page with a partial "part" holding part_src; the errors, or "". */
static const char *check_template(const char *src, const char *part_src, Buf *err)
{
	TplSet partials = {0};
	err->len = 0;
	if (part_src)
		tpl_set_add(&partials, "part", tpl_parse("part.md", part_src, strlen(part_src), err));
	Template *t = tpl_parse("page.md", src, strlen(src), err);
	bool ok = t && tpl_check(t, &test_page, &partials, err);
	CHECK(ok == (err->len == 0), "%s: the result says what the errors say", src);
	tpl_free(t);
	tpl_set_free(&partials);
	return buf_cstr(err);
}

static void test_template_check(void **state)
{
	(void)state;
	static const struct { const char *src, *part, *want; } cases[] = {
		{"{{name}} {{{chart}}} {{#rows}}{{id}} {{name}}{{/rows}} {{#words}}{{.}}{{/words}} {{n|number}}", NULL, ""},
		{"{{site_title}} {{root}}x {{as_of|date}} {{#scripts}}{{.}}{{/scripts}}", NULL, ""},	/* globals */
		{"{{#n}}{{name}} {{.}}{{/n}} {{^ok}}{{name}}{{/ok}} {{! {{nothing}} }}", NULL, ""},
		{"{{>part}}", "{{#rows}}{{id}}{{/rows}}", ""},
		{"a\n\n  {{nmae}}", NULL,
		 "page.md:3:3: error: {{nmae}}: the test page has no variable of that name (did you mean \"name\"?); "
		 "c360 help templates lists what it has\n"},
		{"{{zzz}}", NULL, "page.md:1:1: error: {{zzz}}: the test page has no variable of that name; c360 help"},
		{"{{id}}", NULL, "page.md:1:1: error: {{id}}: the test page has no variable"},	/* outside its list */
		{"{{#rows}}{{/rows}}{{^nope}}x{{/nope}}", NULL, "page.md:1:19: error: {{nope}}: the test page has no"},
		{"{{#nope}}{{name}}{{/nope}}", NULL, "page.md:1:1: error: {{nope}}:"},
		{"{{{name}}}", NULL, "page.md:1:1: error: {{{name}}} writes only HTML that c360 made, and this is data"},
		{"{{&name}}", NULL, "page.md:1:1: error: {{&name}} writes only HTML that c360 made"},	/* as written */
		{"{{chart}}", NULL, "page.md:1:1: error: {{chart}} is HTML that c360 made: write {{{chart}}}"},
		{"{{rows}}", NULL, "page.md:1:1: error: {{rows}} is a list"},
		{"{{.}}", NULL, "page.md:1:1: error: {{.}}: the current item, but no section is open"},
		{"{{{chart|url}}}", NULL, "a filter on HTML"},
		{"{{>nosuch}}", NULL, "page.md:1:1: error: {{>nosuch}}: no such template in templates/"},
		{"x {{>part}}", "\n{{oops}}", "part.md:2:1: error: {{oops}}: the test page has no variable"},
		{"{{>part}}", "{{>part}}", "partials nested too deep"},
		{"{{name}}{{emial}}{{nam}}", NULL, "page.md:1:9: error: {{emial}}"},	/* every error, not the first */
		/* a filter fits the kind its variable has in the table, or writes nonsense (days since
		 * 1970 as money, a text through number): an error at the tag */
		{"{{n|number}} {{n|signed}} {{sum|money}} {{sum|signed}} {{day|date}} {{day|day}} {{name|url}} {{ok|url}}"
		 " {{day|url}} {{#rows}}{{id|url}}{{/rows}}", NULL, ""},
		{"A {{day|money}} B", NULL, "page.md:1:3: error: {{day|money}}: money is a filter for money, and day is a "
					    "date (date or day write it, or no filter); c360 help templates lists"},
		{"{{name|number}}", NULL, "page.md:1:1: error: {{name|number}}: number is a filter for numbers, and name "
					  "is text (write it without a filter, or with url)"},
		{"{{sum|number}}", NULL, "{{sum|number}}: number is a filter for numbers, and sum is money"},
		{"{{n|pct}}", NULL, "{{n|pct}}: pct is a filter for percentages, and n is a number"},
		{"{{n|day}}", NULL, "{{n|day}}: day is a filter for dates"},
		{"{{day|signed}}", NULL, "{{day|signed}}: signed is a filter for numbers, money and percentages"},
		{"{{ok|date}}", NULL, "and ok is a yes/no (it is written yes or no without a filter)"},
		{"{{#rows}}{{id|money}}{{/rows}}", NULL, "page.md:1:10: error: {{id|money}}: money is a filter for money, "
							 "and id is text"},	/* an item's field */
		{"{{>part}}", "{{sum|day}}", "part.md:1:1: error: {{sum|day}}"},
		/* {{.}}: the kind of the section's item (a list of text's: text; a value's: itself) */
		{"{{#day}}{{.|day}}{{/day}} {{#words}}{{.|url}} {{#.}}{{.}}{{/.}}{{/words}} {{#chart}}{{{.}}}{{/chart}}"
		 " {{#n}}{{.|signed}}{{/n}}", NULL, ""},
		{"{{#words}}{{.|money}}{{/words}}", NULL, "page.md:1:11: error: {{.|money}}: money is a filter for money, "
							  "and . is text (write it without a filter, or with url)"},
		{"{{#n}}{{.|money}}{{/n}}", NULL, "and . is a number"},
		{"{{#words}}{{#.}}{{.|pct}}{{/.}}{{/words}}", NULL, "page.md:1:17: error: {{.|pct}}: pct is a filter for "
								   "percentages, and . is text"},
		{"{{#rows}}{{#tags}}{{.|date}}{{/tags}}{{/rows}}", NULL, "{{.|date}}: date is a filter for dates, and . is text"},
		{"{{#words}}{{{.}}}{{/words}}", NULL, "page.md:1:11: error: {{{.}}} writes only HTML that c360 made"},
		{"{{#chart}}{{.}}{{/chart}}", NULL, "page.md:1:11: error: {{.}} is HTML that c360 made: write {{{.}}}"},
		{"{{#rows}}{{.}}{{/rows}}", NULL, "page.md:1:10: error: {{.}}: the current item is a record, not a value: "
						  "write one of its fields, e.g. {{id}}"},
		{"{{#n}}{{>part}}{{/n}}{{#words}}{{>part}}{{/words}}", "{{.|number}}", "part.md:1:1: error: {{.|number}}: "
			"number is a filter for numbers, and . is text"},	/* a partial, in each scope */
	};
	Buf err = {0};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *got = check_template(cases[i].src, cases[i].part, &err);
		CHECK(*cases[i].want ? strstr(got, cases[i].want) != NULL : *got == '\0', "%s: got \"%s\", want \"%s\"",
		      cases[i].src, got, cases[i].want);
	}
	CHECK(strstr(check_template("{{name}}{{emial}}{{nam}}", NULL, &err), "page.md:1:18:"), "the third error too");
	/* the theme's layout is checked without partials: one there says so, not "no such template" */
	err.len = 0;
	Template *layout = tpl_parse("layout.html", "<main>{{>definitions}}</main>", 29, &err);
	CHECK(layout && !tpl_check(layout, &page_layout, NULL, &err) &&
		      strstr(buf_cstr(&err), "layout.html:1:7: error: {{>definitions}}: the theme's layout takes no partials"),
	      "%s", buf_cstr(&err));
	tpl_free(layout);
	buf_free(&err);
}

/* The templates c360 ships use only what their pages have. */
static void test_shipped_templates_check(void **state)
{
	(void)state;
	static const char *const dirs[] = {"templates", "../templates"};
	const char *dir = access(dirs[0], F_OK) == 0 ? dirs[0] : dirs[1];
	TplSet set = {0};
	Buf err = {0}, src = {0};
	size_t n;
	char **names = dir_list(dir, ".md", &n, &err);
	CHECK(names && n >= 6, "templates found in %s", dir);
	for (size_t i = 0; i < n; i++) {
		char *path = path_join(dir, names[i]);
		src.len = 0;
		CHECK(file_read(path, &src, &err), "%s", path);
		names[i][strlen(names[i]) - 3] = '\0';
		tpl_set_add(&set, names[i], tpl_parse(path, src.p, src.len, &err));
		free(path), free(names[i]);
	}
	free(names);
	for (const PageDef *p = page_defs; p->tpl; p++) {
		const Template *t = tpl_set_get(&set, p->tpl, strlen(p->tpl));
		CHECK(t && tpl_check(t, p, &set, &err), "%s: %s", p->tpl, buf_cstr(&err));
	}
	tpl_set_free(&set);
	buf_free(&err), buf_free(&src);
}

/* The table itself: names unique within a page and apart from the globals, lists short enough. */
static void test_page_table(void **state)
{
	(void)state;
	const PageDef *all[16];
	size_t n = 0;
	for (const PageDef *p = page_defs; p->tpl; p++)
		all[n++] = p;
	all[n++] = &page_layout;
	for (size_t i = 0; i < n; i++) {
		size_t count = 0;
		for (const PageVar *v = all[i]->vars; v->name; v++, count++) {
			CHECK(page_var(all[i]->vars, v->name, strlen(v->name)) == v, "%s: %s twice", all[i]->tpl, v->name);
			CHECK(!page_var(page_globals_vars, v->name, strlen(v->name)), "%s: %s hides a global", all[i]->tpl,
			      v->name);
			CHECK(!v->fields || v->type == T_LIST, "%s: only lists have fields", v->name);
		}
		CHECK(count < 64, "%s: %zu variables, the check counts up to 63", all[i]->tpl, count);
	}
	CHECK(page_def("customer") && !page_def("nosuch"), "pages by template name");
}

/* ---- a page's data against the table */

static Value *page_data(Arena *a)
{
	Value *d = v_obj(a);
	for (const PageVar *g = page_globals_vars; g->name; g++)
		v_set(a, d, g->name, g->type == T_LIST ? v_list(a) : g->type == T_DATE ? v_num(a, V_DATE, 19000)
				     : g->type == T_NUMBER ? v_num(a, V_INT, 90) : g->type == T_BOOL ? v_bool(a, true)
				     : v_cstr(a, "x"));
	v_set(a, d, "name", v_cstr(a, NULL));	/* null fits any scalar */
	v_set(a, d, "chart", v_raw(a, "<svg/>", 6));
	Value *rows = v_set(a, d, "rows", v_list(a));
	for (int k = 0; k < 2; k++) {	/* two rows of one shape */
		Value *row = v_push(a, rows, v_obj(a));
		v_set(a, row, "id", v_cstr(a, "1"));
		v_push(a, v_set(a, row, "tags", v_list(a)), v_cstr(a, "t"));
	}
	Value *cells = v_set(a, d, "cells", v_list(a));
	for (int k = 0; k < 2; k++)	/* two cells of one shape, without lists, made as a page's rows are:
					 * their shapes made when the check reads them */
		v_set_lazy(a, v_push(a, cells, v_obj_lazy(a)), "id", v_cstr(a, "1"));
	Value *words = v_set(a, d, "words", v_list(a));
	v_push(a, words, v_cstr(a, "w"));
	v_set(a, d, "n", v_num(a, V_INT, 3));
	v_set(a, d, "ok", v_bool(a, true));
	v_set(a, d, "day", v_num(a, V_DATE, 19000));
	v_set(a, d, "sum", v_num(a, V_MONEY, 12345));
	return d;
}

/* d's keys and items set again (objects change only through v_set), key at as key (with item if
 * not NULL). */
static Value *set_again(Arena *a, const Value *d, const char *at, const char *key, Value *item)
{
	Value *o = v_obj(a);
	for (size_t k = 0; k < d->n; k++) {
		bool here = strcmp(d->keys[k], at) == 0;
		v_set(a, o, here ? key : d->keys[k], here && item ? item : d->items[k]);
	}
	return o;
}

static void test_page_data_check(void **state)
{
	(void)state;
	static const struct { const char *key; int change; const char *want; } cases[] = {
		{NULL, 0, NULL},
		{"extra", 1, "t.html: extra is not in the table of page variables"},
		{"n", 2, "t.html: n has a value of the wrong kind"},
		{"ok", 3, "t.html: ok has a value of the wrong kind"},	/* yes/no is never null */
		{"rows", 4, "t.html: no id, which the table of page variables promises"},
		{"words", 5, "t.html: words holds more than text"},
		{"version", 6, "t.html: no version, which the table"},	/* a global missing */
		{"n", 7, "t.html: n has a value of the wrong kind"},	/* the good page's keys */
		{"rows", 8, "t.html: tags holds more than text"},	/* in a row of the row before's shape */
		{"cells", 9, "t.html: id has a value of the wrong kind"},	/* a cell of the same keys */
		{"cells", 10, "t.html: id has a value of the wrong kind"},	/* the first, its shape unread */
	};
	Buf err = {0};
	ShapeSet seen = {0};	/* second round: every shape is checked once, the good page's first */
	for (size_t i = 0; i < 2 * N_ELEMS(cases); i++) {
		arena_reset(&arena);
		size_t c = i % N_ELEMS(cases);
		Value *d = page_data(&arena);
		if (cases[c].change == 1)
			v_set(&arena, d, "extra", v_cstr(&arena, "x"));
		if (cases[c].change == 2 || cases[c].change == 3)
			v_set(&arena, d, cases[c].key, cases[c].change == 2 ? v_cstr(&arena, "3") : v_str(&arena, NULL, 0));
		if (cases[c].change == 4)
			v_push(&arena, (Value *)v_find(d, "rows"), v_obj(&arena));
		if (cases[c].change == 5)
			v_push(&arena, (Value *)v_find(d, "words"), v_num(&arena, V_INT, 1));
		if (cases[c].change == 6)
			d = set_again(&arena, d, "version", "title", NULL);	/* set twice, version never */
		if (cases[c].change == 7)
			d = set_again(&arena, d, "n", "n", v_cstr(&arena, "3"));
		const Value *rows = v_find(d, "rows");
		if (cases[c].change == 8)
			v_push(&arena, (Value *)v_find(rows->items[1], "tags"), v_num(&arena, V_INT, 1));
		if (cases[c].change == 9 || cases[c].change == 10)	/* the second (first) cell's id a number */
			v_set_lazy(&arena, ((Value *)v_find(d, "cells"))->items[cases[c].change == 9] = v_obj_lazy(&arena),
				   "id", v_num(&arena, V_INT, 1));
		err.len = 0;
		bool ok = page_data_check(&test_page, d, "t.html", i < N_ELEMS(cases) ? NULL : &seen, true, &err);
		CHECK(ok == !cases[c].want, "case %zu: %s", c, buf_cstr(&err));
		CHECK(!cases[c].want || strstr(buf_cstr(&err), cases[c].want), "case %zu: %s", c, buf_cstr(&err));
		if (i >= N_ELEMS(cases) && cases[c].change == 8) {	/* a known shape, not deep: not looked into */
			err.len = 0;
			CHECK(page_data_check(&test_page, d, "t.html", &seen, false, &err), "not deep: %s", buf_cstr(&err));
		}
	}
	CHECK(seen.n == 3, "the good page's shape, its row's and its cell's, no other: %zu", seen.n);
	shape_set_free(&seen);
	buf_free(&err);
}

/* ---- the configuration file */

static const char *load_config(const char *text, Config *c, Buf *err)
{
	char path[] = "/tmp/c360-test-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text), "temp file");
	close(fd);
	config_defaults(c);
	err->len = 0;
	bool ok = config_load(c, path, err);
	unlink(path);
	CHECK(ok == (err->len == 0), "%s: false and a message together", text);
	const char *msg = buf_cstr(err), *colon = strchr(msg, ':');
	return colon ? colon : msg;	/* from after the file's name */
}

static void test_config_errors(void **state)
{
	(void)state;
	static const struct { const char *text, *want; } cases[] = {
		{"# all good\ntitle = Acme 360\nchurn_window_days = 30\n[files]\norders = o.csv\n"
		 "[columns]\ncustomers.email = mail, e-mail\n", ""},
		{"churn_window = 30\n", ":1:1: error: unknown key \"churn_window\" (did you mean \"churn_window_days\"?)"},
		{"\n  tilte = x\n", ":2:3: error: unknown key \"tilte\" (did you mean \"title\"?); see c360 help config\n"},
		{"colour = red\n", ":1:1: error: unknown key \"colour\"; see c360 help config\n"},
		{"orders = o.csv\n", ":1:1: error: unknown key \"orders\" here: it belongs in [files]\n"},
		{"[files]\ntitle = x\n", ":2:1: error: unknown key \"title\" here: it belongs at the top, before any"},
		{"[files]\norder = o.csv\n", ":2:1: error: unknown key \"order\" (did you mean \"orders\"?)"},
		{"[columns]\ncustomers.emial = m\n", "(did you mean \"customers.email\"?)"},
		{"[colums]\n", ":1:1: error: unknown section [colums] (did you mean [columns]?)"},
		{"churn_window_days = soon\n", ":1:21: error: churn_window_days: this value is not valid; expected a whole "
					       "number of days from 1 to 3650\n"},
		{"churn_window_days = 0\n", "expected a whole number of days from 1 to 3650"},
		{"date_order = dmy\n", ":1:14: error: date_order: this value is not valid; expected day-first or"},
		{"title =\n", ":1:1: error: title: the value cannot be empty; expected the report's name"},
		{"email_to =   \n", "email_to: the value cannot be empty"},
		{"email_to = a\rb\n", "email_to: this value is not valid"},
		{"[files]\norders = ../x.csv\n", "orders: this value is not valid; expected a file name in the data folder"},
		{"[columns]\norders.amount = total,,\n", "orders.amount: this value is not valid; expected more header names"},
		{"theme = ../x\n", "theme: this value is not valid"},
		{"just words\n", ":1:1: error: expected \"key = value\" or a [section]"},
		/* [read] FILE. names a source or a [tables] table, declared before or after */
		{"[read]\nencoding = utf-8\norder.currency = USD\n",
		 ":3:1: error: [read] order: no source or [tables] table is named \"order\" (did you mean \"orders\"?)"},
		{"[read]\nshop.delimiter = ;\norders.currency = USD\n[tables]\nshop = shop.csv\n[read]\ntab.comment = x\n",
		 ":7:1: error: [read] tab: no source or [tables] table is named \"tab\""},
		{"[read]\nshop.delimiter = ;\n[tables]\nshop = shop.csv\n", ""},
		/* ... how a value is cleaned is a source's: a [tables] file's values are text for the SQL */
		{"[read]\nshop.encoding = utf-8\nshop.header_row = 2\nshop.date_format = %d.%m.%Y\nshop.decimal = ,\n[tables]\n"
		 "shop = shop.csv\n",
		 ":4:1: error: [read] shop.date_format: a [tables] file's values are text for the SQL; how a value is cleaned is "
		 "the source's that the SELECT makes: set it there (orders.date_format, ...)"},
		{"[tables]\nshop = shop.csv\n[read]\nshop.time_zone = UTC\n", ":4:1: error: [read] shop.time_zone: a [tables]"},
		{"[tables]\nshop = shop.csv\n[read]\nshop.title_case = false\n", ":4:1: error: [read] shop.title_case: a [tables]"},
		{"[tables]\nshop = shop.csv\n[read]\nshop.currency = EUR\n", ":4:1: error: [read] shop.currency: a [tables]"},
		{"[read]\norders.decimal = ,\ndecimal = .\n[tables]\nshop = shop.csv\n", ""},
	};
	Buf err = {0};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Config c;
		const char *got = load_config(cases[i].text, &c, &err);
		CHECK(*cases[i].want ? strncmp(got, cases[i].want, strlen(cases[i].want)) == 0 || strstr(got, cases[i].want)
				     : *got == '\0',
		      "%s: got \"%s\", want \"%s\"", cases[i].text, got, cases[i].want);
		if (i == 0) {
			CHECK(strcmp(c.title, "Acme 360") == 0 && c.churn_window_days == 30, "values set");
			CHECK(strcmp(config_file_of(&c, SRC_ORDERS), "o.csv") == 0, "files set");
			CHECK(strcmp(c.alias[SRC_CUSTOMERS][CU_EMAIL][1], "e_mail") == 0, "aliases normalised");
			Buf show = {0};
			config_show(&show, &c);
			CHECK(strstr(buf_cstr(&show), "\ntitle = Acme 360\n") && strstr(show.p, "\nchurn_window_days = 30\n") &&
			      strstr(show.p, "\n# date_order: not set (day-first where no file shows an order)\n") &&
			      strstr(show.p, "\norders = o.csv\n") &&
			      strstr(show.p, "\npayments = payments.csv\n") && strstr(show.p, "\ncustomers.email = mail, e_mail\n"),
			      "the settings in force, defaults included: %s", show.p);
			buf_free(&show);
		}
		config_free(&c);
	}
	/* a [tables] table's column under its names ([columns] TABLE.NAME) is a setting in force too,
	 * with its table */
	Config c;
	const char *got = load_config("[tables]\ntickets = t.csv\n[columns]\ntickets.ticket_id = Ticket ID, Record ID\n", &c, &err);
	CHECK(*got == '\0', "a table's column: %s", got);
	Buf show = {0};
	config_show(&show, &c);
	CHECK(strstr(buf_cstr(&show), "\n[columns]\n# each column is found by its own name, and by these:\n"
				      "# and the columns of [tables] tables:\ntickets.ticket_id = ticket_id, record_id\n") &&
	      strstr(show.p, "\n[tables]\ntickets = t.csv\n"),
	      "the table's column in the settings in force: %s", show.p);
	buf_free(&show);
	config_free(&c);
	/* a file named none ([files] payments = "none") is shown quoted: read back unquoted it was
	 * none, the source left unread */
	got = load_config("[files]\npayments = \"none\"\nweb_activities = none\n", &c, &err);
	CHECK(*got == '\0' && !c.no_file[SRC_PAYMENTS] && c.no_file[SRC_SESSIONS], "a file named none: %s", got);
	config_show(&show, &c);
	CHECK(strstr(buf_cstr(&show), "\npayments = \"none\"\n") && strstr(buf_cstr(&show), "\nweb_activities = none\n"),
	      "a file named none, and none: %s", show.p);
	config_free(&c);
	got = load_config(buf_cstr(&show), &c, &err);
	CHECK(*got == '\0' && !c.no_file[SRC_PAYMENTS] && strcmp(config_file_of(&c, SRC_PAYMENTS), "none") == 0 &&
	      c.no_file[SRC_SESSIONS], "read back: %s", got);
	buf_free(&show);
	config_free(&c);
	buf_free(&err);
}

/* The settings in force are whole (check --verbose): every section, each value as the file reads
 * it back, so that they read back as the same settings (shown again, the same text); a secret is
 * not shown. The lines each case must show are written by hand. */
static void test_config_show_whole(void **state)
{
	(void)state;
	char rates[] = "/tmp/c360-rates-XXXXXX";
	int fd = mkstemp(rates);
	CHECK(fd >= 0 && write(fd, "code,rate\nGBP,1.17\nUSD,0.5\n", 27) == 27, "rates file");
	close(fd);
	char currency[256];
	snprintf(currency, sizeof currency, "[currency]\nbase = eur\nGBP = 2\nrates_file = %s\nusd = 0.920000\n"
		 "jpy = 0.006125\n", rates);	/* GBP the file's, USD the line's: the last set wins */
	char currency_shown[256];
	snprintf(currency_shown, sizeof currency_shown, "\n[currency]\nbase = EUR\nrates_file = %s\nJPY = 0.006125\n"
		 "USD = 0.92\n", rates);
	/* a SELECT's line as long as a line may be: indented by one blank, not four (too long) */
	char long_sql[CONFIG_LINE_MAX + 32], long_shown[CONFIG_LINE_MAX + 32];
	snprintf(long_sql, sizeof long_sql, "[sql]\nv =\n SELECT '%0*d' AS x\n", CONFIG_LINE_MAX - 16, 0);
	snprintf(long_shown, sizeof long_shown, "\n[sql]\nv =\n SELECT '%0*d' AS x\n", CONFIG_LINE_MAX - 16, 0);
	const struct { const char *text, *want[6]; } cases[] = {
		/* a value's #, quotes, commas, blanks at its ends, unicode; an empty one */
		{"title = \"  Caf\u00e9 #1 \"\"best\"\", \u00fcn\u00efcode \"\nkeep = \"\"\n",
		 {"\ntitle = \"  Caf\u00e9 #1 \"\"best\"\", \u00fcn\u00efcode \"\n", "\nkeep = \"\"\n"}},
		{"date_order = day-first\n", {"\ndate_order = day-first\n"}},
		{"[columns]\norders.order_id = \" Order #\", \"a,b\", \"\"\n[null]\norders.customer_id = 0, \" - \"\n",
		 {"\norders.order_id = \"order_#\", \"a,b\", \"\"\n", "\n[null]\norders.customer_id = \"0\", \" - \"\n"}},
		{"[read]\ncomment = \"#\"\norders.delimiter = tab\norders.fill_down = \"Order #\", \" x\"\n"
		 "orders.title_case = one-case\ncustomers.encoding = auto\ncustomers.header_row = 3\ndecimal = ,\n"
		 "payments.date_format = \"%d.%m.%Y, %H:%M\"\npayments.time_zone = UTC\npayments.currency = usd\n",
		 {"\n[read]\ndecimal = ,\ncomment = \"#\"\n", "\norders.delimiter = tab\norders.title_case = one-case\n"
		  "orders.fill_down = \"Order #\", \" x\"\n", "\ncustomers.encoding = auto\ncustomers.header_row = 3\n",
		  "\npayments.currency = USD\npayments.date_format = \"%d.%m.%Y, %H:%M\"\npayments.time_zone = UTC\n"}},
		/* [sql]: a line that starts with # is a comment but on the key's line, one with [ a section's
		 * unless indented; the text's lines are trimmed, and an empty one is none */
		{"[tables]\ncrm = \"c #1.csv\"\n[sql]\ncustomers =\n  SELECT a,\n# the town\n\n    [town]\n  FROM crm\n"
		 "v = # not SQL\n  [x]\n",
		 {"\n[tables]\ncrm = \"c #1.csv\"\n", "\n[sql]\ncustomers =\n    SELECT a,\n    [town]\n    FROM crm\n"
		  "v = # not SQL\n    [x]\n"}},
		{"[categories]\norder_status.\"Done #1\" = \"fertig, ok\", erledigt\ndevice.Mobile = Handy, \"T\u00e9l\u00e9\", \"-\"\n"
		 "device.Tablet = iPad\ndevice.Mobile phone = Natel\n",
		 {"\n[categories]\norder_status.\"Done #1\" = fertigok, erledigt\n",
		  "\ndevice.Mobile = handy, t\u00e9l\u00e9, \"\"\ndevice.Tablet = ipad\ndevice.Mobile phone = natel\n"}},
		{currency, {currency_shown}},
		{long_sql, {long_shown}},
		{"[s3]\nregion = eu #1\ntimeout = 30\nconnect_timeout = 5\nendpoint = https://me:s3cr3t@minio.example/\n",
		 {"\n[s3]\n# the keys: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) from the environment",
		  "\nregion = eu\n", "\nendpoint = https://...@minio.example/\ntimeout = 30\nconnect_timeout = 5\n"}},
	};
	Buf err = {0};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Config c;
		const char *got = load_config(cases[i].text, &c, &err);
		CHECK(!*got, "%s: %s", cases[i].text, got);
		Buf show = {0}, again = {0};
		config_show(&show, &c);
		config_free(&c);
		for (int k = 0; k < 6 && cases[i].want[k]; k++)
			CHECK(strstr(buf_cstr(&show), cases[i].want[k]), "%s: no %s in %s", cases[i].text, cases[i].want[k], show.p);
		CHECK(!strstr(show.p, "not repeated") && !strstr(show.p, "s3cr3t"), "whole, no secret: %s", show.p);
		got = load_config(show.p, &c, &err);
		CHECK(!*got, "%s read back: %s", show.p, got);
		config_show(&again, &c);
		CHECK(strcmp(show.p, buf_cstr(&again)) == 0, "read back, shown otherwise:\n%s\n---\n%s", show.p, again.p);
		if (cases[i].text == currency)	/* and the rates read back as they were */
			CHECK(c.nrates == 3 && config_rate(&c, "GBP") > 0 && c.rates[config_rate(&c, "GBP") - 1].nanos == 1170000000 &&
			      c.rates[config_rate(&c, "USD") - 1].nanos == 920000000, "the rates read back: %zu", c.nrates);
		config_free(&c);
		buf_free(&show), buf_free(&again);
	}
	unlink(rates);
	buf_free(&err);
}

/* ---- diagnostics by verbosity, and counts in rows */

static void test_diag_levels(void **state)
{
	(void)state;
	Diags d = {.file = "o.csv"};
	diag(&d, D_NO_HEADER, 0, 0, "no header row", NULL, 0);
	diag(&d, D_COLUMN_ABSENT, 1, 0, "status", "a, b", 4);
	for (int i = 0; i < 5; i++)
		diag(&d, D_INVALID_AMOUNT, (uint32_t)(2 + i), 4, "amount", "abc", 3);
	diag_set_count(&d, D_INVALID_AMOUNT, 4);	/* values in 4 rows */
	static const struct { Verbosity v; bool error, column, row; } levels[] = {
		{SAY_QUIET, true, false, false}, {SAY_NORMAL, true, true, false}, {SAY_VERBOSE, true, true, true},
	};
	for (size_t i = 0; i < N_ELEMS(levels); i++) {
		Buf b = {0};
		diag_format(&b, &d, levels[i].v);
		const char *s = buf_cstr(&b);
		CHECK(!!strstr(s, "o.csv: error: no header row\n") == levels[i].error, "level %zu: error: %s", i, s);
		CHECK(!!strstr(s, "o.csv:1: warning: column \"status\" missing") == levels[i].column, "level %zu: %s", i, s);
		CHECK(!!strstr(s, "o.csv:2:4: warning: amount \"abc\" unparseable") == levels[i].row, "level %zu: %s", i, s);
		CHECK(!!strstr(s, "o.csv: warning: 1 more invalid_amount (4 rows in all)\n") == levels[i].row, "%s", s);
		buf_free(&b);
	}
	CHECK(diag_row_level(D_DUPLICATE_KEY) && diag_row_level(D_UNKNOWN_CATEGORY) && diag_row_level(D_AFTER_AS_OF) &&
	      !diag_row_level(D_COLUMN_ABSENT) && !diag_row_level(D_FILE_MISSING), "which problems are rows'");
	diag_free(&d);
}

/* A [sql] source's rows of several files: each sample names its own file (Diags.at when made),
 * then the SELECT; one of no file, or the count, the SELECT once; columns dropped but one file's. */
static void test_diag_files(void **state)
{
	(void)state;
	static const char *const files[] = {"y2023.csv", "y2024.csv"};
	Diags d = {.file = "[sql] orders", .scope = "[sql] orders", .files = files};
	for (uint32_t at = 0; at <= 2; at++) {
		d.at = at;
		diag(&d, D_INVALID_DATE, 5, 1, "order_date", "x", 1);
	}
	d.at = 0;
	diag_drop_columns(&d, 2);
	Buf b = {0};
	diag_format(&b, &d, SAY_VERBOSE);
	CHECK(strcmp(buf_cstr(&b), "[sql] orders:5: warning: order_date \"x\" is not a valid date; set to null\n"
				   "y2023.csv:5: warning: [sql] orders: order_date \"x\" is not a valid date; set to null\n"
				   "y2024.csv:5:1: warning: [sql] orders: order_date \"x\" is not a valid date; set to null\n") == 0,
	      "%s", buf_cstr(&b));
	b.len = 0;
	diag_format(&b, &d, SAY_NORMAL);	/* row problems not listed */
	CHECK(b.len == 0, "%s", buf_cstr(&b));
	diag_set_count(&d, D_INVALID_DATE, 9);
	b.len = 0;
	diag_format(&b, &d, SAY_VERBOSE);
	CHECK(strstr(buf_cstr(&b), "\n[sql] orders: warning: 6 more invalid_date (9 rows in all)\n") != NULL, "%s", buf_cstr(&b));
	buf_free(&b);
	diag_free(&d);
}

/* A value or a header's name in a message: at most MSG_VALUE_MAX bytes, cut between characters
 * with "…", its control bytes and \\ written \\xNN; c360's own text whole. */
static void test_diag_cut(void **state)
{
	(void)state;
	Diags d = {.file = "o.csv"};
	Buf name = {0};
	buf_puts(&name, "a\x01\\");	/* 3 bytes, then é to 27 KB: the 60th byte starts one */
	for (int i = 0; i < 13500; i++)
		buf_puts(&name, "\xc3\xa9");
	Buf want = {0};	/* a, ^A, \\ and 28 é: 59 bytes; then "…" */
	buf_puts(&want, "a\\x01\\x5c");
	for (int i = 0; i < 28; i++)
		buf_puts(&want, "\xc3\xa9");
	buf_puts(&want, "\xe2\x80\xa6\"");
	const char *cut = buf_cstr(&want);
	diag(&d, D_COLUMN_UNKNOWN, 1, 6, buf_cstr(&name), NULL, 0);
	diag(&d, D_INVALID_AMOUNT, 2, 4, "amount", name.p, name.len);
	diag(&d, D_UNKNOWN_STATUSES, 0, 0, buf_cstr(&name), NULL, 0);	/* a message c360 made: whole */
	const char *col = d.tally[D_COLUMN_UNKNOWN].sample[0].text, *val = d.tally[D_INVALID_AMOUNT].sample[0].text;
	CHECK(strncmp(col, "unknown column \"", 16) == 0 && strncmp(col + 16, cut, strlen(cut)) == 0, "%.200s", col);
	CHECK(strncmp(val, "amount \"", 8) == 0 && strncmp(val + 8, cut, strlen(cut)) == 0, "%.200s", val);
	CHECK(strlen(d.tally[D_UNKNOWN_STATUSES].sample[0].text) == name.len + 6, "c360's message cut");
	diag_free(&d);
	buf_free(&name), buf_free(&want);
}

/* What a terminal acts on (C1's CSI and NEL, a byte that is not UTF-8) or lets reorder a message
 * (a bidirectional control, a line separator) reaches it as an escape: in a value quoted by a
 * diagnostic, and in whatever else c360 says, a path or a name it was given. */
static void test_messages_escaped(void **state)
{
	(void)state;
	static const char hostile[] = "a\xc2\x9b[2J\xc2\x85\x9b\xe2\x80\xae" "b\xe2\x80\xa8" "c\xe2\x81\xa6";
	static const char shown[] = "a\\u009b[2J\\u0085\\x9b\\u202eb\\u2028c\\u2066";
	Diags d = {.file = "c.csv"};
	diag(&d, D_INVALID_EMAIL, 2, 3, "email", hostile, strlen(hostile));
	diag(&d, D_COLUMN_UNKNOWN, 1, 7, hostile, NULL, 0);
	const char *val = d.tally[D_INVALID_EMAIL].sample[0].text, *col = d.tally[D_COLUMN_UNKNOWN].sample[0].text;
	CHECK(strstr(val, shown) && strstr(col, shown), "%s | %s", val, col);
	diag_free(&d);
	Buf said = {0};
	console_capture(&said);
	say(SAY_QUIET, "wrote %s", hostile);
	console_write("x\n", 2);
	console_write(hostile, strlen(hostile));
	console_capture(NULL);
	Buf want = {0};
	buf_printf(&want, "c360: wrote %s\nx\n%s", shown, shown);
	CHECK(strcmp(buf_cstr(&said), buf_cstr(&want)) == 0, "said: %s", buf_cstr(&said));
	buf_free(&said), buf_free(&want);
}

/* Two unknown categories in one payment: one row flagged, in every count. */
static void test_counts_agree(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		"customer_id,name,email\n1,Ann,bad@\n2,Bo,bo@x.com\n2,Bo,bo@y.com\n",
		"order_id,customer_id,order_date,amount,status\nA,1,2022-01-01,-5,complete\nB,1,2022-01-02,x,weird\n",
		("payment_id,customer_id,payment_date,payment_method,payment_status,amount\n"
		 "P,1,2022-01-02,crypto,chargeback,2\nQ,1,2022-01-02,cash,paid,2\n"),
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	Buf lines = {0}, table = {0}, summary = {0}, report = {0};
	SourceQuality q[SRC_COUNT];
	quality_measure(&s, q);
	quality_lines(&lines, q, "");
	quality_table(&table, q, NULL, 0);
	quality_summary(&summary, q, NULL, 0, s.as_of);
	silver_report(&report, &s, SAY_VERBOSE);
	CHECK(strstr(buf_cstr(&lines), "customers.csv: 3 rows read: 2 in silver (1 flagged), 1 quarantined\n") &&
	      strstr(lines.p, "orders.csv: 2 rows read: 2 in silver (2 flagged), 0 quarantined\n") &&
	      strstr(lines.p, "payments.csv: 2 rows read: 2 in silver (1 flagged), 0 quarantined\n"), "%s", lines.p);
	CHECK(!strstr(lines.p, "support_tickets"), "absent files have no line: %s", lines.p);
	CHECK(strstr(buf_cstr(&table), "\npayments,flagged_rows,,1,\n") &&
	      strstr(table.p, "\npayments,flagged_rows,unknown_category,1,\n") &&
	      strstr(table.p, "\norders,flagged_rows,,2,\n") && strstr(table.p, "\norders,flagged_rows,invalid_amount,1,\n") &&
	      strstr(table.p, "\ncustomers,quarantined_rows,duplicate_key,1,\n"), "%s", table.p);
	CHECK(strstr(buf_cstr(&summary), "\npayments           loaded           2            0         2            0         1") &&
	      strstr(summary.p, "  flagged rows: unknown_category 1\n") &&
	      strstr(summary.p, "  quarantined rows: duplicate_key 1\n"), "%s", summary.p);
	CHECK(!strstr(buf_cstr(&report), "in all"), "three samples at most, so no count line: %s", report.p);
	quality_free(q);
	silver_free(&s);
	buf_free(&lines), buf_free(&table), buf_free(&summary), buf_free(&report);
}

static void test_unfinished_summary(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {"", "order_id,customer_id,order_date,amount,status\nA,1,2022-01-01,5,complete\n"};
	CHECK(!silver_from(&s, &cfg, text), "no customers: no build");
	Buf b = {0};
	SourceQuality q[SRC_COUNT];
	quality_measure(&s, q);
	quality_summary(&b, q, NULL, 0, MOMENT_NULL);
	const char *t = buf_cstr(&b);
	CHECK(!strstr(t, "1970") && !strstr(t, "as of") && !strstr(t, "silver  ") && !strstr(t, "flagged"), "%s", t);
	CHECK(strstr(t, "\ncustomers          empty\n") && strstr(t, "\norders             loaded              1"), "%s", t);
	quality_free(q);
	silver_free(&s);
	buf_free(&b);
}

/* ---- paths */

static void test_paths(void **state)
{
	(void)state;
	char dir[] = "/tmp/c360-paths-XXXXXX";
	CHECK(mkdtemp(dir), "temp dir");
	char *real = realpath(dir, NULL), *old = realpath(".", NULL);
	Buf b = {0};
	buf_printf(&b, "%s/data", dir);
	mkdir(buf_cstr(&b), 0777);
	b.len = 0;
	buf_printf(&b, "%s/link", dir);
	CHECK(symlink("data", buf_cstr(&b)) == 0, "symlink");
	CHECK(chdir(dir) == 0, "chdir");
	static const struct { const char *path, *want; } cases[] = {
		{".", ""}, {"data", "/data"}, {"./data/", "/data"}, {"link", "/data"}, {"link/new/x", "/data/new/x"},
		{"new/../data", "/data"}, {"new/../link/y", "/data/y"}, {"a/./b/..", "/a"},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *got = path_resolve(cases[i].path);
		b.len = 0;
		buf_printf(&b, "%s%s", real, cases[i].want);
		CHECK(strcmp(got, b.p) == 0, "%s: got %s, want %s", cases[i].path, got, b.p);
		free(got);
	}
	char *up = path_resolve("data/../.."), *slash = strrchr(real, '/');
	CHECK(strlen(up) == (size_t)(slash - real) && strncmp(up, real, strlen(up)) == 0, "the parent: %s", up);
	free(up);
	char *root = path_resolve("/../..");
	CHECK(strcmp(root, "/") == 0, "above the root is the root: %s", root);
	free(root);
	CHECK(path_inside("/a/b", "/a") && path_inside("/a", "/a") && !path_inside("/ab", "/a") && path_inside("/x", "/") &&
	      !path_inside("/a", "/a/b"), "inside");
	CHECK(chdir(old) == 0, "back");
	b.len = 0;
	buf_printf(&b, "rm -rf '%s'", dir);
	CHECK(system(buf_cstr(&b)) == 0, "clean up");
	free(real), free(old);
	buf_free(&b);
}

static void *runs_out(void *arg)
{
	(void)arg;
	out_of_memory(1);
}

/* A thread that runs out of memory after main began to end the process (process_end) waits for
 * main's end, which keeps its status: it said "out of memory" and the build ended 0 (two exits
 * at once). One that ran out first ends the process with 1, said. */
static void test_out_of_memory_end(void **state)
{
	(void)state;
	for (int first = 0; first < 2; first++) {
		int err[2];
		CHECK(pipe(err) == 0, "pipe");
		pid_t pid = fork();
		if (pid == 0) {
			dup2(err[1], STDERR_FILENO);
			pthread_t t;
			if (!first)
				process_end();
			pthread_create(&t, NULL, runs_out, NULL);
			usleep(200000);	/* the thread's end, if it makes one, comes first */
			if (first)
				process_end();
			exit(0);
		}
		close(err[1]);
		char said[256] = "";
		ssize_t n = read(err[0], said, sizeof said - 1);
		said[n > 0 ? n : 0] = '\0';
		close(err[0]);
		int status;
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "the process did not exit");
		CHECK(WEXITSTATUS(status) == first, "ran out %s main's end: status %d, want %d", first ? "before" : "after",
		      WEXITSTATUS(status), first);
		CHECK((strstr(said, "out of memory") != NULL) == first, "said: \"%s\"", said);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nearest_word),
		cmocka_unit_test(test_template_check),
		cmocka_unit_test(test_shipped_templates_check),
		cmocka_unit_test(test_page_table),
		cmocka_unit_test(test_page_data_check),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_show_whole),
		cmocka_unit_test(test_diag_levels),
		cmocka_unit_test(test_diag_files),
		cmocka_unit_test(test_diag_cut),
		cmocka_unit_test(test_messages_escaped),
		cmocka_unit_test(test_counts_agree),
		cmocka_unit_test(test_unfinished_summary),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_out_of_memory_end),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&arena);
	return r;
}
