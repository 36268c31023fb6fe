/* test_config.c — the configuration of real exports: quoted header names, aliases that win,
 * a header feeding two columns, category words, reader options, currencies, [sql] text. */
#include "harness.h"

/* Loads text as a configuration file; the errors land in err. */
static bool load(Config *cfg, const char *text, Buf *err)
{
	FILE *f = fopen("build/test_config.conf", "w");
	fputs(text, f);
	fclose(f);
	*cfg = test_config();
	err->len = 0;
	return config_load(cfg, "build/test_config.conf", err);
}

static void test_lists_and_quotes(void **state)
{
	(void)state;
	static const struct { const char *in; const char *want[4]; bool ok; } cases[] = {
		{"a, b ,c", {"a", "b", "c"}, true},
		{"\"Order #\", \"Total, incl. tax\"", {"Order #", "Total, incl. tax"}, true},
		{"\"say \"\"hi\"\"\"", {"say \"hi\""}, true},
		{"one", {"one"}, true},
		{"\"open", {NULL}, false},
		{"a,,b", {NULL}, false},
		{"\"a\" b", {NULL}, false},
	};
	Buf err = {0};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char **items;
		size_t n;
		bool ok = config_list(S(cases[i].in), &items, &n, &err);
		CHECK(ok == cases[i].ok, "config_list(%s) ok %d", cases[i].in, ok);
		for (size_t k = 0; ok && k < n; k++) {
			CHECK(cases[i].want[k] && strcmp(items[k], cases[i].want[k]) == 0, "%s: item %zu is [%s]",
			      cases[i].in, k, items[k]);
			free(items[k]);
		}
		if (ok)
			free(items);
	}
	buf_free(&err);
}

/* "Order #" is a name, not a comment; an alias wins over the native name; one header (the
 * e-mail) feeds the key and the e-mail column. */
static void test_real_headers(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, "[columns]\norders.order_id = \"Order #\"   # Shopify's name\n"
			 "orders.amount = Converted Amount\ncustomers.customer_id = Email\n", &err), "%s", buf_cstr(&err));
	Silver s;
	const char *text[SRC_COUNT] = {
		"Email,name\nAnn@X.com,ann\n",
		"Order #,customer_id,order_date,Amount,Converted Amount,status\n#1001,ann@x.com,2022-01-01,5,7.50,paid\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	const Source *cu = &s.src[SRC_CUSTOMERS], *or = &s.src[SRC_ORDERS];
	CHECK(cu->field_of[CU_ID] == 0 && cu->field_of[CU_EMAIL] == 0, "Email feeds customer_id and email");
	CHECK(strcmp(ROW(&cu->table, Customer, 0)->email, "ann@x.com") == 0, "the e-mail is cleaned");
	CHECK(or->field_of[OR_ID] == 0, "\"Order #\" is the key");
	CHECK(ROW(&or->table, Order, 0)->cents == 750, "the alias wins over the native Amount");
	CHECK(or->diags.tally[D_COLUMN_SHADOWED].count == 1, "Amount is said to be ignored");
	silver_free(&s);
	config_free(&cfg);
	buf_free(&err);
}

/* Words in any language, a new label, and a word that overrides a built-in one. */
static void test_category_words(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, "[categories]\norder_status.completed = Concluído, \"Entregue\"\n"
			 "order_status.Cancelled = approved\npayment_method.Boleto = boleto bancário\n"
			 "payment_status.Failed = requires_payment_method\n", &err), "%s", buf_cstr(&err));
	Dict d = {0};
	Buf scratch = {0};
	static const struct { CatKind kind; const char *in, *label; bool unknown; } cases[] = {
		{CAT_ORDER_STATUS, "CONCLUÍDO", "Completed", false},
		{CAT_ORDER_STATUS, "concluído", "Completed", false},
		{CAT_ORDER_STATUS, "entregue", "Completed", false},
		{CAT_ORDER_STATUS, "Approved", "Cancelled", false},	/* the configuration wins */
		{CAT_ORDER_STATUS, "shipped", "Shipped", false},	/* built-ins stay */
		{CAT_ORDER_STATUS, "concluido", "Concluido", true},	/* no accent: another word */
		{CAT_PAY_METHOD, "Boleto Bancário", "Boleto", false},
		{CAT_PAY_STATUS, "requires_payment_method", "Failed", false},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		dict_free(&d);
		clean_category_init(&d, cases[i].kind);
		bool unknown;
		uint32_t v = clean_category(&d, cases[i].kind, cfg.words[cases[i].kind], cfg.nwords[cases[i].kind],
					    S(cases[i].in), &scratch, &unknown);
		CHECK(strcmp(d.label[v], cases[i].label) == 0 && unknown == cases[i].unknown, "%s -> %s (unknown %d)",
		      cases[i].in, d.label[v], unknown);
	}
	dict_free(&d);
	buf_free(&scratch);
	config_free(&cfg);
	buf_free(&err);
}

static void test_read_options(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, "[read]\ndecimal = ,\nencoding = windows-1252\norders.delimiter = ;\norders.decimal = .\n"
			 "orders.comment = \"#\"\npaypal.header_row = 3\npaypal.delimiter = tab\npaypal.currency = brl\n",
		   &err), "%s", buf_cstr(&err));
	ReadOptions o = config_read_options(&cfg, "orders");
	CHECK(o.delimiter == ';' && o.decimal == '.' && o.encoding == ENC_CP1252 && strcmp(o.comment, "#") == 0,
	      "orders: its own options over everyone's");
	o = config_read_options(&cfg, "paypal");
	CHECK(o.delimiter == '\t' && o.decimal == ',' && o.header_row == 3 && strcmp(o.currency, "BRL") == 0 &&
	      !o.comment, "paypal");
	o = config_read_options(&cfg, "customers");
	CHECK(o.delimiter == 0 && o.decimal == ',' && o.header_row == 0, "customers: everyone's");
	config_free(&cfg);
	buf_free(&err);
}

static void test_currency(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	FILE *f = fopen("build/test_rates.csv", "w");
	fputs("currency,rate\nGBP,1.17\n# a comment\n\"INR\",0.011\n", f);
	fclose(f);
	CHECK(load(&cfg, "[currency]\nbase = eur\nUSD = 0.92\nrates_file = test_rates.csv\n", &err), "%s",
	      buf_cstr(&err));
	int64_t n;
	CHECK(strcmp(cfg.base_currency, "EUR") == 0, "base");
	CHECK(config_rate(&cfg, "EUR", &n) && n == 1000000000, "the base is worth itself");
	CHECK(config_rate(&cfg, "USD", &n) && n == 920000000, "USD %lld", (long long)n);
	CHECK(config_rate(&cfg, "GBP", &n) && n == 1170000000, "GBP from the file");
	CHECK(config_rate(&cfg, "INR", &n) && n == 11000000, "INR from the file");
	CHECK(!config_rate(&cfg, "JPY", &n), "no rate for JPY");
	config_free(&cfg);
	buf_free(&err);
}

/* The SQL goes on over indented lines; each line knows where it stands in the file. */
static void test_sql_text(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, "[tables]\nraw = export.csv\n\n[sql]\n# the orders\norders = SELECT \"Order #\" AS order_id\n"
			 "    # a comment line inside\n\tFROM raw\n\ncustomers =\n  SELECT 1\n", &err), "%s", buf_cstr(&err));
	const SqlDef *q = &cfg.sql[SRC_ORDERS];
	CHECK(q->text && strcmp(q->text, "SELECT \"Order #\" AS order_id\nFROM raw") == 0, "text: %s", q->text);
	CHECK(q->nlines == 2 && q->line[0] == 6 && q->col[0] == 10 && q->line[1] == 8 && q->col[1] == 2 &&
	      q->off[1] == 29, "line map");
	CHECK(strcmp(cfg.sql[SRC_CUSTOMERS].text, "SELECT 1") == 0 && cfg.sql[SRC_CUSTOMERS].line[0] == 11, "customers");
	CHECK(cfg.ntables == 1 && strcmp(cfg.tables[0].name, "raw") == 0, "table");
	CHECK(!cfg.sql[SRC_PAYMENTS].text, "payments are read from their file");
	config_free(&cfg);
	buf_free(&err);
}

/* Each bad line is named by file, line and column, with what is expected. */
static void test_bad_configs(void **state)
{
	(void)state;
	static const struct { const char *text, *want; } cases[] = {
		{"[read]\norders.delimiter = x\n", "test_config.conf:2:1: error: the delimiter is one of"},
		{"[read]\norders.encoding = ebcdic\n", "test_config.conf:2:1: error: the encoding is"},
		{"[read]\nheader_row = 0\n", ":2:1: error: header_row is a line number"},
		{"[read]\nfoo = 1\n", ":2:1: error: the reader options are"},
		{"\n[categories]\ncolour.Red = rouge\n", ":3:1: error: a key here is MAP.LABEL"},
		{"[columns]\norders.amount = \"Total\n", ":2:1: error: a quote is never closed"},
		{"[currency]\nbase = euro\n", ":2:1: error: the base is a three-letter"},
		{"[currency]\nUSD = -1\n", ":2:1: error: the rate of USD"},
		{"[currency]\nrates_file = nosuch.csv\n", ":2:1: error: cannot read the rates file"},
		{"[tables]\nmy-table = x.csv\n", ":2:1: error: a table's name is"},
		{"[sql]\nproducts = SELECT 1\n", ":2:1: error: [sql] defines a source"},
		{"[sql]\norders =\n", ":2:1: error: the SELECT is missing"},
		{"[s3]\nendpoint = ftp://x\n", ":2:1: error: the keys here are region"},
		{"[bogus]\n", ":1:1: error: unknown section [bogus]"},
	};
	Buf err = {0};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Config cfg;
		CHECK(!load(&cfg, cases[i].text, &err), "%s loads", cases[i].text);
		CHECK(strstr(buf_cstr(&err), cases[i].want), "%s: got %s", cases[i].text, buf_cstr(&err));
		config_free(&cfg);
	}
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_and_quotes), cmocka_unit_test(test_real_headers),
		cmocka_unit_test(test_category_words), cmocka_unit_test(test_read_options),
		cmocka_unit_test(test_currency), cmocka_unit_test(test_sql_text), cmocka_unit_test(test_bad_configs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
