/* test_config.c — the configuration of real exports: quoted header names, aliases that win,
 * a header feeding two columns, category words, reader options, currencies, [sql] text. */
#include "harness.h"

/* Loads text as a configuration file; the errors land in err. */
static bool load(Config *cfg, const char *text, Buf *err)
{
	FILE *f = fopen(TEST_DIR "/test_config.conf", "w");
	fputs(text, f);
	fclose(f);
	*cfg = test_config();
	err->len = 0;
	return config_load(cfg, TEST_DIR "/test_config.conf", err);
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

/* header names: none stands alone (the caller's: a column not in the exports); quoted, or part
 * of a name, it is a name */
static void test_names_none(void **state)
{
	(void)state;
	static const struct { const char *in; size_t n; bool ok; } cases[] = {
		{"none", 1, true}, {"\"none\", Sex", 2, true}, {"Sex, nones", 2, true}, {"no ne, x", 2, true},
		{"Sex, none", 0, false}, {"NONE , x", 0, false}, {"a, b, None", 0, false},
	};
	Buf err = {0};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char **items;
		size_t n;
		err.len = 0;
		bool ok = config_names(S(cases[i].in), &items, &n, &err);
		CHECK(ok == cases[i].ok && n == cases[i].n, "config_names(%s) ok %d, %zu names", cases[i].in, ok, n);
		CHECK(ok || strstr(buf_cstr(&err), "none stands alone"), "%s: %s", cases[i].in, buf_cstr(&err));
		while (n)
			free(items[--n]);
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
	/* a name [columns] gives that no header has: said, with the header's nearest name */
	CHECK(load(&cfg, "[columns]\npayments.payment_status = Stauts, Payment State\n", &err), "%s", buf_cstr(&err));
	const char *typo[SRC_COUNT] = {
		"customer_id,name\nc1,ann\n", "order_id,customer_id,order_date,amount,status\no1,c1,2022-01-01,5,paid\n",
		"payment_id,customer_id,payment_date,payment_method,Status,amount\np1,c1,2022-01-01,card,paid,5\n",
	};
	CHECK(silver_from(&s, &cfg, typo), "builds");
	const DiagTally *t = &s.src[SRC_PAYMENTS].diags.tally[D_COLUMN_ALIAS];
	CHECK(t->count == 1 && t->nsamples == 1 &&
	      strcmp(t->sample[0].text, "[columns] payments.payment_status = stauts, payment_state: the header has no column "
				       "of that name (nearest: status)") == 0, "%s", t->nsamples ? t->sample[0].text : "no message");
	CHECK(s.src[SRC_ORDERS].diags.tally[D_COLUMN_ALIAS].count == 0, "no message where [columns] names nothing");
	silver_free(&s);
	config_free(&cfg);
	/* ... with none near, the header's names; a header that is no UTF-8 (a Windows-1252 file read
	 * as UTF-8) says which setting reads it, where the byte is */
	CHECK(load(&cfg, "[columns]\norders.status = \xc3\x89tat\n", &err), "%s", buf_cstr(&err));
	const char *latin[SRC_COUNT] = {
		"customer_id,name\nc1,ann\n", "order_id,customer_id,order_date,amount,\xc9tat\no1,c1,2022-01-01,5,paid\n",
	};
	CHECK(silver_from(&s, &cfg, latin), "builds");
	t = &s.src[SRC_ORDERS].diags.tally[D_COLUMN_ALIAS];
	static const char alias_said[] = "[columns] orders.status = \xc3\x89tat: the header has no column of that name "
					 "(its columns: order_id, customer_id, order_date, amount, ";
	CHECK(t->count == 1 && strncmp(t->sample[0].text, alias_said, sizeof alias_said - 1) == 0, "%s",
	      t->nsamples ? t->sample[0].text : "no message");
	t = &s.src[SRC_ORDERS].diags.tally[D_HEADER_ENCODING];
	CHECK(t->count == 1 && t->sample[0].line == 1 && t->sample[0].col == 5 &&
	      strstr(t->sample[0].text, "[read] encoding = windows-1252"), "the header's encoding: %s",
	      t->nsamples ? t->sample[0].text : "no message");
	CHECK(s.src[SRC_CUSTOMERS].diags.tally[D_HEADER_ENCODING].count == 0, "nothing said of a UTF-8 header");
	silver_free(&s);
	config_free(&cfg);
	/* the header row again (two exports joined by cat, the second's BOM and all): quarantined as
	 * malformed, said; a row whose key alone is the header's name is a row; an alias is a name */
	CHECK(load(&cfg, "[columns]\norders.order_id = \"Order #\"\n", &err), "%s", buf_cstr(&err));
	const char *joined[SRC_COUNT] = {
		"customer_id,name\nc1,ann\n\xef\xbb\xbf" "Customer ID , NAME\nc2,bob\ncustomer_id,carl\n",
		"Order #,customer_id,order_date,amount,status\no1,c1,2022-01-01,5,paid\norder #,Customer-ID,ORDER DATE,amount,"
		"status\n",
	};
	CHECK(silver_from(&s, &cfg, joined), "builds");
	const Source *cj = &s.src[SRC_CUSTOMERS], *oj = &s.src[SRC_ORDERS];
	CHECK(cj->table.n == 3 && cj->nquarantine == 1 && cj->quarantine[0].line == 3 &&
	      cj->quarantine[0].reason == D_MALFORMED_ROW, "customers: %zu rows, %zu quarantined", cj->table.n, cj->nquarantine);
	CHECK(oj->table.n == 1 && oj->nquarantine == 1 && oj->quarantine[0].line == 3, "orders: %zu rows, %zu quarantined",
	      oj->table.n, oj->nquarantine);
	t = &cj->diags.tally[D_MALFORMED_ROW];
	CHECK(t->nsamples == 1 && t->sample[0].line == 3 && strstr(t->sample[0].text, "the header row again"), "said: %s",
	      t->nsamples ? t->sample[0].text : "nothing");
	silver_free(&s);
	config_free(&cfg);
	/* a no-break space where a space is (Excel), a byte-order mark inside a name (two exports
	 * joined by cat), upper case, hyphens: the same names */
	const char *s1 = "\xc2\xa0" "Customer\xc2\xa0" "ID ", *s2 = "\xef\xbb\xbf" "customer-id", *s3 = "na\xc2" "me";
	char *n1 = config_normalise(str_make(s1, strlen(s1))), *n2 = config_normalise(str_make(s2, strlen(s2))),
	     *n3 = config_normalise(str_make(s3, strlen(s3)));
	CHECK(strcmp(n1, "customer_id") == 0 && strcmp(n2, "customer_id") == 0, "\"%s\", \"%s\"", n1, n2);
	CHECK(strcmp(n3, s3) == 0, "a lone \\xc2 is kept: \"%s\"", n3);
	free(n1), free(n2), free(n3);
	/* an em space (U+2003) or an ideographic one (U+3000), as values have them (helper 118) */
	const char *s4 = "customer\xe2\x80\x83id", *s5 = "\xe3\x80\x80" "customer\xe3\x80\x80id\xe2\x80\x83";
	n1 = config_normalise(str_make(s4, strlen(s4))), n2 = config_normalise(str_make(s5, strlen(s5)));
	CHECK(strcmp(n1, "customer_id") == 0 && strcmp(n2, "customer_id") == 0, "\"%s\", \"%s\"", n1, n2);
	free(n1), free(n2);
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
		CHECK(strcmp(dict_label(&d, v), cases[i].label) == 0 && unknown == cases[i].unknown, "%s -> %s (unknown %d)",
		      cases[i].in, dict_label(&d, v), unknown);
	}
	CHECK(cfg.nnotes == 0, "new labels far from the known ones (Boleto), known ones in any case: no note");
	dict_free(&d);
	buf_free(&scratch);
	config_free(&cfg);
	/* a new label one letter from a known one: said (a typo would make every payment it lists
	 * neither successful nor failed) */
	CHECK(load(&cfg, "[categories]\npayment_status.Sucess = Paid\npayment_method.Crypto = btc\n", &err), "%s",
	      buf_cstr(&err));
	CHECK(cfg.nnotes == 1 && strcmp(cfg.notes[0].text, "[categories] payment_status.Sucess: \"Sucess\" is a new label, "
						      "not the known \"Success\"; the values it lists are read as \"Sucess\"") == 0 &&
	      cfg.notes[0].line == 2, "%zu notes: %s", cfg.nnotes, cfg.nnotes ? cfg.notes[0].text : "");	/* at its line */
	config_free(&cfg);
	/* 35 such labels (Sxuccess, Suxccess, ...): every one is noted, at its line (the first 24
	 * only were, the others dropped without a word) */
	static const char *const known[] = {"Success", "Refunded", "Pending", "Completed", "Cancelled"};
	Buf text = {0};
	buf_puts(&text, "[categories]\n");
	for (size_t w = 0; w < N_ELEMS(known); w++)
		for (int k = 1; k <= 8 && known[w][k]; k++)
			buf_printf(&text, "%s.%.*sx%s = w%zu_%d\n", w < 3 ? "payment_status" : "order_status", k, known[w],
				   known[w] + k, w, k);
	CHECK(load(&cfg, buf_cstr(&text), &err), "%s", buf_cstr(&err));
	size_t said = 0;
	for (size_t i = 0; i < cfg.nnotes; i++)
		said += cfg.notes[i].line == i + 2 && strstr(cfg.notes[i].text, "is a new label, not the known") != NULL;
	CHECK(cfg.nnotes == 35 && said == 35, "%zu notes, %zu of a new label at its line", cfg.nnotes, said);
	config_free(&cfg);
	buf_free(&text);
	buf_free(&err);
}

/* Keys no build uses are a note at the first one's line: [read], [columns] and [null] of a
 * source [files] says is none; [read]'s options of how a file is read of a source [sql] makes
 * (its values' options are the SELECT's rows', and its [columns] and [null] too: not said). */
static void test_unused_keys(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, "[files]\nweb_activities = none\n[read]\ndelimiter = ;\norders.delimiter = ,\n"
			 "web_activities.delimiter = ;\ncustomers.encoding = auto\ncustomers.date_format = %d.%m.%Y\n"
			 "web_activities.title_case = false\ncustomers.fill_down = a\n[columns]\ncustomers.email = mail\n"
			 "web_activities.device_type = Ger\u00e4t\n[null]\nweb_activities.customer_id = 0\n"
			 "customers.customer_id = 0\n[tables]\ncrm = c.csv\n[sql]\ncustomers = SELECT * FROM crm\n", &err),
	      "%s", buf_cstr(&err));
	static const struct { unsigned line; const char *text; } want[] = {
		{7, "[read] customers.encoding, customers.fill_down: not used: [sql] customers makes the source from its "
		    "SELECT, which reads no file of its own (how a [tables] file is read is set under its table's name: "
		    "[read] TABLE.OPTION)"},
		{6, "[read] web_activities.delimiter, web_activities.title_case: not used: [files] web_activities = none, so "
		    "no file of it is read"},
		{13, "[columns] web_activities.device_type: not used: [files] web_activities = none, so no file of it is read"},
		{15, "[null] web_activities.customer_id: not used: [files] web_activities = none, so no file of it is read"},
	};
	CHECK(cfg.nnotes == N_ELEMS(want), "%zu notes", cfg.nnotes);
	for (size_t i = 0; i < cfg.nnotes && i < N_ELEMS(want); i++)
		CHECK(cfg.notes[i].line == want[i].line && strcmp(cfg.notes[i].text, want[i].text) == 0, "note %zu at %u: %s", i,
		      cfg.notes[i].line, cfg.notes[i].text);
	config_free(&cfg);
	/* The keys set end in one of a section shorter than "[columns]" ("[sql]a\n"), the keys' text
	 * (its room 256 bytes at first) filled to each length in turn: none is looked at past its end
	 * (a fuzzer's find; an error under make asan). */
	for (int pad = 1; pad <= 300; pad++) {
		Buf text = {0};
		buf_puts(&text, "[files]\ncustomers = none\n[sql]\n");
		for (int k = 0; k < pad; k++)
			buf_putc(&text, 'p');
		buf_puts(&text, " = x\na = x\n");
		CHECK(!load(&cfg, buf_cstr(&text), &err), "pad %d loaded", pad);
		config_free(&cfg);
		buf_free(&text);
	}
	buf_free(&err);
}

/* Statuses c360 does not know whose names read as no sale (an order), a success (a payment) or
 * done (a ticket, which counts as open): a warning names them; one named in [categories] (a new
 * label too), a harmless one, or one whose words say no ("Not Paid", "Unpaid", "Authorization
 * Failed"; "Not resolved", "Pending closure", "Unresolved") is not in it. */
static void test_unknown_statuses(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, "[categories]\norder_status.Under Review = review\n", &err), "%s", buf_cstr(&err));
	const char *text[SRC_COUNT] = {
		"customer_id,name\nc1,ann\n",
		"order_id,customer_id,order_date,amount,status\no1,c1,2024-01-03,5,partially_shipped\no2,c1,2024-01-04,5,Closed\n"
		"o3,c1,2024-01-05,5,review\no4,c1,2024-01-06,5,suspected_fraud\no5,c1,2024-01-07,5,Closed\n"
		"o6,c1,2024-01-08,5,household goods\n",
		"payment_id,customer_id,payment_date,payment_method,payment_status,amount\np1,c1,2024-01-03,cash,Settled,5\n"
		"p2,c1,2024-01-03,cash,weird,5\np3,c1,2024-01-03,cash,Unpaid,5\np4,c1,2024-01-03,cash,Not Paid,5\n"
		"p5,c1,2024-01-03,cash,Authorization Failed,5\np6,c1,2024-01-03,cash,Awaiting Approval,5\n"
		"p7,c1,2024-01-03,cash,Incomplete,5\np8,c1,2024-01-03,cash,Uncleared,5\n",
		"ticket_id,customer_id,issue_type,ticket_date,resolution_status\nt1,c1,x,2024-01-03,Waiting on customer\n"
		"t2,c1,x,2024-01-03,Closed - resolved\nt3,c1,x,2024-01-03,Not resolved\nt4,c1,x,2024-01-03,Pending closure\n"
		"t5,c1,x,2024-01-03,Unresolved\nt6,c1,x,2024-01-03,Completed\nt7,c1,x,2024-01-03,open\n"
		"t8,c1,x,2024-01-03,Closed - No Response\n",
	};
	Silver s;
	CHECK(silver_from(&s, &cfg, text), "builds");
	const DiagTally *t = &s.src[SRC_TICKETS].diags.tally[D_UNKNOWN_STATUS];
	CHECK(t->count == 1 && strcmp(t->sample[0].text, "resolution_status values c360 does not know count as open tickets "
				      "though their names say otherwise: \"Closed - Resolved\", \"Completed\", \"Closed - No Response\"; map them in "
				      "[categories] (ticket_status.LABEL = VALUE)") == 0, "%s", t->nsamples ? t->sample[0].text : "none said");
	CHECK(t->sample[0].line == 3 && t->sample[0].col == 5, "at %u:%u", t->sample[0].line, t->sample[0].col);
	t = &s.src[SRC_ORDERS].diags.tally[D_UNKNOWN_STATUS];
	CHECK(t->count == 1 && strcmp(t->sample[0].text, "status values c360 does not know count as valid orders though their "
				      "names say otherwise: \"Closed\", \"Suspected Fraud\"; map them in [categories] "
				      "(order_status.LABEL = VALUE)") == 0, "%s", t->nsamples ? t->sample[0].text : "none said");
	/* said where the first label named is first: the cell of o2's status, of p1's */
	CHECK(t->sample[0].line == 3 && t->sample[0].col == 5, "at %u:%u", t->sample[0].line, t->sample[0].col);
	t = &s.src[SRC_PAYMENTS].diags.tally[D_UNKNOWN_STATUS];
	CHECK(t->count == 1 && strstr(t->sample[0].text, "payment_status value c360 does not know counts as no successful "
							 "payment though its name says otherwise: \"Settled\"; map it"),
	      "%s", t->nsamples ? t->sample[0].text : "none said");
	CHECK(t->sample[0].line == 2 && t->sample[0].col == 5, "at %u:%u", t->sample[0].line, t->sample[0].col);
	silver_free(&s);
	config_free(&cfg);
	CHECK(load(&cfg, "[categories]\norder_status.Returned = closed, suspected fraud\norder_status.Pending = review\n"
			 "payment_status.Success = settled\nticket_status.Closed = closed - resolved, completed, closed - no response\n",
	      &err),
	      "%s", buf_cstr(&err));
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(!s.src[SRC_ORDERS].diags.tally[D_UNKNOWN_STATUS].count && !s.src[SRC_PAYMENTS].diags.tally[D_UNKNOWN_STATUS].count &&
	      !s.src[SRC_TICKETS].diags.tally[D_UNKNOWN_STATUS].count, "mapped: nothing said");
	silver_free(&s);
	config_free(&cfg);
	buf_free(&err);
}

/* Customers known only from the facts whose ids the CRM's are but for case or leading zeros: one
 * warning counts them (123 and 0123 both of 00123) and names them with the CRM's (c001, C001; 123,
 * 00123; 0, 000); an id of no one's (ZZ), or
 * one the same but for other characters (X-9 of X9), is not in it; each stays a customer of its own */
static void test_near_ids(void **state)
{
	(void)state;
	Config cfg = test_config();
	const char *text[SRC_COUNT] = {
		"customer_id,name\nC001,Ann\n00123,Bo\nX9,Cy\n000,Di\n",
		"order_id,customer_id,order_date,amount,status\n1,c001,2024-05-01,10,completed\n2,123,2024-05-02,20,completed\n"
		"3,X9,2024-05-03,30,completed\n4,ZZ,2024-05-03,30,completed\n5,X-9,2024-05-03,1,completed\n"
		"6,0,2024-05-03,1,completed\n7,C001,2024-05-03,1,completed\n8,c001,2024-05-04,1,completed\n"
		"9,0123,2024-05-04,1,completed\n",
	};
	Silver s;
	CHECK(silver_from(&s, &cfg, text), "builds");
	const DiagTally *t = &s.src[SRC_CUSTOMERS].diags.tally[D_NEAR_IDS];
	CHECK(t->count == 1 && strcmp(t->sample[0].text, "4 customers known only from the facts have an id a CRM customer's is "
		"but for case or leading zeros: \"c001\" (the CRM's \"C001\"), \"123\" (the CRM's \"00123\"), \"0\" (the "
		"CRM's \"000\"), ...; ids are matched as written, so each is a customer of its own: write them as the CRM does "
		"(in SQL, a SELECT can make them so)") == 0, "%s", t->nsamples ? t->sample[0].text : "none said");
	CHECK(CUSTOMERS(&s)->n == 4 + 6, "the CRM's four and six inferred: %zu", CUSTOMERS(&s)->n);
	silver_free(&s);
	/* none near: nothing said */
	text[SRC_ORDERS] = "order_id,customer_id,order_date,amount,status\n1,C001,2024-05-01,10,completed\n"
			   "2,ZZ,2024-05-02,20,completed\n";
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(!s.src[SRC_CUSTOMERS].diags.tally[D_NEAR_IDS].count, "nothing near, nothing said");
	silver_free(&s);
	config_free(&cfg);
}

/* A date column none of whose values reads as a date is a warning that names date_format, and the
 * one that reads its examples; one date read, or a format set that reads them, and nothing is
 * said; a format set that reads none is said to read none (not told to be set). */
static void test_no_dates(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	const char *text[SRC_COUNT] = {
		"customer_id,name\nc1,ann\n",
		"order_id,customer_id,order_date,amount,status\no1,c1,\"Jan 3, 2024\",5,paid\no2,c1,\"Jan 4, 2024\",5,paid\n",
		"payment_id,customer_id,payment_date,payment_method,payment_status,amount\np1,c1,2024-01-03,cash,paid,5\n",
	};
	Silver s;
	/* round 2: one read, one not, which a format reads: said so (the date read reads with it too);
	 * round 3: one not read of a two-digit year (the SPEC's invalid_date): nothing; round 4: the
	 * dates read are A/B/YYYY ones, which with the format set would not read: nothing */
	static const char *const partly = "1 order_date value of the file could not be read as a date (invalid_date, each "
		"left empty; --verbose shows some); \"Jan 3, 2024\" reads with [read] orders.date_format = %b %d, %Y, and the "
		"dates read now read as well";
	for (int round = 0; round < 5; round++) {
		CHECK(load(&cfg, round == 1 ? "[read]\norders.date_format = %b %d, %Y\n" : "", &err), "%s", buf_cstr(&err));
		if (round >= 2)
			text[SRC_ORDERS] = round == 2 ? "order_id,customer_id,order_date,amount,status\no1,c1,\"Jan 3, 2024\",5,paid\n"
							"o2,c1,2024-01-04,5,paid\n"
					 : round == 3 ? "order_id,customer_id,order_date,amount,status\no1,c1,01-08-23,5,paid\n"
							"o2,c1,2024-01-04,5,paid\n"
						      : "order_id,customer_id,order_date,amount,status\no1,c1,03/15/2024,5,paid\n"
							"o2,c1,03/04/2024,5,paid\no3,c1,03/16/2024 2:30 PM,5,paid\n";
		CHECK(silver_from(&s, &cfg, text), "builds");
		const DiagTally *t = &s.src[SRC_ORDERS].diags.tally[D_NO_DATES];
		CHECK(round == 1 || round >= 3 ? !t->count : t->count == 1 && strcmp(t->sample[0].text, round == 2 ? partly :
			"no order_date of the file could be read as "
			"a date (2 invalid_date; --verbose shows some): the forms read are rules.md's, or [read] "
			"orders.date_format names the file's (strptime's, %s or excel); \"Jan 3, 2024\" reads with [read] "
			"orders.date_format = %b %d, %Y") == 0,
		      "round %d: %s", round, t->count ? t->sample[0].text : "none");
		CHECK(!s.src[SRC_PAYMENTS].diags.tally[D_NO_DATES].count, "payments' dates read");
		silver_free(&s);
		config_free(&cfg);
	}
	/* the format set, and none of them read by it: not "set date_format" but that the one set reads
	 * none; a value ending in a zone's abbreviation (Amazon's PST and PDT) is said to be one, which
	 * %z does not read, the other format of the list that reads them named (the year's two digits) */
	static const struct {
		const char *format, *dates, *says;
	} set[] = {
		{"%b %d, %Y %I:%M %p %z", "\"Jan 3, 2024 9:05 PM PST\",5,paid\no2,c1,\"Jan 4, 2024 9:05 AM PDT\"",
		 "[read] orders.date_format = %b %d, %Y %I:%M %p %z reads none of them (a format reads a value whole: a time the values have, it names too); \"Jan 3, 2024 9:05 PM PST\" ends in PST, "
		 "a time zone's abbreviation, which %z does not read (it reads an offset or an IANA zone's name: an "
		 "abbreviation's offset would be a guess, CST is three zones'): write the offset it means in [sql] "
		 "(examples/amazon makes PST -0800)"},
		{"%m/%d/%Y", "01/03/24,5,paid\no2,c1,01/04/24",
		 "[read] orders.date_format = %m/%d/%Y reads none of them (a format reads a value whole: a time the values have, it names too); \"01/03/24\" reads with [read] orders.date_format = "
		 "%m/%d/%y (or %d/%m/%y if the day comes first)"},
		{"%b %d %Y %H:%M %z", "Jan 3 2024 21:05 UTC-5,5,paid\no2,c1,Jan 4 2024 21:05 Z+1",	/* no abbreviation */
		 "[read] orders.date_format = %b %d %Y %H:%M %z reads none of them (a format reads a value whole: a time the values have, it names too)"},
		{"%Y-%m-%d %I:%M %z", "2024-01-03 09:05 PM,5,paid\no2,c1,2024-01-04 09:05 AM",	/* %p's, no zone's */
		 "[read] orders.date_format = %Y-%m-%d %I:%M %z reads none of them (a format reads a value whole: a time the values have, it names too)"},
	};
	for (size_t i = 0; i < sizeof set / sizeof *set; i++) {
		char conf[128], orders[256];
		snprintf(conf, sizeof conf, "[read]\norders.date_format = %s\n", set[i].format);
		snprintf(orders, sizeof orders, "order_id,customer_id,order_date,amount,status\no1,c1,%s,5,paid\n", set[i].dates);
		text[SRC_ORDERS] = orders;
		CHECK(load(&cfg, conf, &err), "%s", buf_cstr(&err));
		CHECK(silver_from(&s, &cfg, text), "builds");
		const DiagTally *t = &s.src[SRC_ORDERS].diags.tally[D_NO_DATES];
		const char *got = t->count ? strstr(t->sample[0].text, "): ") : NULL;
		CHECK(got && strcmp(got + 3, set[i].says) == 0, "%s: %s", set[i].format, t->count ? t->sample[0].text : "none");
		silver_free(&s);
		config_free(&cfg);
	}
	/* eBay's Mar-02-24: its format guessed; with a time, where a format without one is set, the
	 * message says the format set reads none of them (not that a format could be set) */
	static const struct { const char *conf, *dates, *want; } ebay[] = {
		{"", "Mar-02-24", "the forms read are rules.md's, or [read] orders.date_format names the file's (strptime's, "
		 "%s or excel); \"Mar-02-24\" reads with [read] orders.date_format = %b-%d-%y"},
		{"[read]\norders.date_format = %b-%d-%y\n", "Mar-02-24 10:22:05", "[read] orders.date_format = %b-%d-%y reads "
		 "none of them (a format reads a value whole: a time the values have, it names too); \"Mar-02-24 10:22:05\" "
		 "reads with [read] orders.date_format = %b-%d-%y %H:%M:%S"},
	};
	for (size_t i = 0; i < N_ELEMS(ebay); i++) {
		char orders[256];
		snprintf(orders, sizeof orders, "order_id,customer_id,order_date,amount,status\no1,c1,%s,5,paid\n", ebay[i].dates);
		text[SRC_ORDERS] = orders;
		CHECK(load(&cfg, ebay[i].conf, &err), "%s", buf_cstr(&err));
		CHECK(silver_from(&s, &cfg, text), "builds");
		const DiagTally *t = &s.src[SRC_ORDERS].diags.tally[D_NO_DATES];
		CHECK(t->count == 1 && strstr(t->sample[0].text, ebay[i].want), "eBay %zu: %s", i,
		      t->count ? t->sample[0].text : "none");
		silver_free(&s);
		config_free(&cfg);
	}
	buf_free(&err);
}

/* A date column whose ambiguous dates take their order from other files' evidence is a warning
 * (revB: US orders read day-first beside a European CRM, date_order = month-first unheard, and
 * nothing said), with an example, the evidence, the date_order it overrode and the fix; none for
 * a column of its own evidence or format, and none for a date_order nothing overrode. */
static void test_borrowed_order(void **state)
{
	(void)state;
	static const struct { const char *conf, *orders, *said; } cases[] = {
		{"date_order = month-first\n", "o1,c1,06/01/2024\no2,c1,06/12/2024\n",
		 "order_date: none of its dates shows which comes first, day or month (2 ambiguous, e.g. \"06/01/2024\"); "
		 "read day-first by the other files' evidence (customers.csv dob: 1 day-first, 0 month-first; payments.csv "
		 "payment_date: 1 day-first, 0 month-first), not by date_order = month-first in the configuration, which "
		 "decides only where no file shows an order; if they are month-first, say so: [read] orders.date_format = "
		 "%m/%d/%Y"},
		{"", "o1,c1,2024-06-03\no2,c1,\" 06-01-2024T10:30:00.5 UTC\"\n",
		 "order_date: none of its dates shows which comes first, day or month (1 ambiguous, e.g. \"06-01-2024T10:30:00.5 "
		 "UTC\"); read day-first by the other files' evidence (customers.csv dob: 1 day-first, 0 month-first; "
		 "payments.csv payment_date: 1 day-first, 0 month-first); if they are month-first, say so: [read] "
		 "orders.date_format = %m-%d-%YT%H:%M:%S %z"},
		{"date_order = day-first\n", "o1,c1,13/01/2024\no2,c1,01/13/2024\no3,c1,06.01.2024 10:30+01\n",
		 "order_date: its dates show day-first and month-first as often (1 each; 1 ambiguous, e.g. \"06.01.2024 "
		 "10:30+01\"); read day-first by the other files' evidence (customers.csv dob: 1 day-first, 0 month-first; "
		 "payments.csv payment_date: 1 day-first, 0 month-first); if they are month-first, say so: [read] "
		 "orders.date_format = %m.%d.%Y %H:%M%z"},
		{"date_order = month-first\n", "o1,c1,06/01/2024\no2,c1,06/13/2024\n", NULL},	/* its own evidence */
		{"[read]\norders.date_format = %m/%d/%Y\n", "o1,c1,06/01/2024\n", NULL},	/* its own format */
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Config cfg;
		Buf err = {0}, orders = {0};
		buf_printf(&orders, "order_id,customer_id,order_date,amount,status\n%s", cases[i].orders);
		const char *text[SRC_COUNT] = {
			"customer_id,name,dob\nc1,ann,25/12/1980\n", buf_cstr(&orders),
			"payment_id,customer_id,payment_date,payment_method,payment_status,amount\np1,c1,13-01-2024,cash,paid,5\n",
		};
		Silver s;
		CHECK(load(&cfg, cases[i].conf, &err), "%s", buf_cstr(&err));
		CHECK(silver_from(&s, &cfg, text), "builds");
		const DiagTally *t = &s.src[SRC_ORDERS].diags.tally[D_BORROWED_ORDER];
		CHECK(cases[i].said ? t->count == 1 && strcmp(t->sample[0].text, cases[i].said) == 0 && t->sample[0].col == 3 &&
			      t->sample[0].line == (i == 1 ? 3u : i == 2 ? 4u : 2u) : !t->count,
		      "case %zu: %s", i, t->count ? t->sample[0].text : "none");
		CHECK(!s.src[SRC_CUSTOMERS].diags.tally[D_BORROWED_ORDER].count, "the CRM's dob has its own evidence");
		silver_free(&s);
		config_free(&cfg);
		buf_free(&err), buf_free(&orders);
	}
}

static void test_read_options(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, "[read]\ndecimal = ,\nencoding = windows-1252\norders.delimiter = ;\norders.decimal = .\n"
			 "orders.comment = \"#\"\npaypal.header_row = 3\npaypal.delimiter = tab\npayments.currency = brl\n"
			 "[tables]\npaypal = paypal.csv\n",
		   &err), "%s", buf_cstr(&err));
	ReadOptions o = config_read_options(&cfg, "orders");
	CHECK(o.delimiter == ';' && o.decimal == '.' && o.encoding == ENC_CP1252 && strcmp(o.comment, "#") == 0,
	      "orders: its own options over everyone's");
	o = config_read_options(&cfg, "paypal");
	CHECK(o.delimiter == '\t' && o.decimal == ',' && o.header_row == 3 && !o.currency && !o.comment, "paypal");
	o = config_read_options(&cfg, "payments");
	CHECK(o.currency && strcmp(o.currency, "BRL") == 0 && o.delimiter == 0, "payments' currency");
	o = config_read_options(&cfg, "customers");
	CHECK(o.delimiter == 0 && o.decimal == ',' && o.header_row == 0, "customers: everyone's");
	config_free(&cfg);
	/* a date_format: the file's dates in it, and a year-first (ISO) date; no other form: a
	 * format says which order a file's dates have */
	CHECK(load(&cfg, "[read]\norders.date_format = %b %d, %Y %I:%M %p\n", &err), "%s", buf_cstr(&err));
	const char *text[SRC_COUNT] = {
		"customer_id,name,dob\nc1,ann,Jan 3 1980\n",
		"order_id,customer_id,order_date,amount,status\no1,c1,\"Jan 3, 2024 9:05 PM\",5,paid\n"
		"o2,c1,2024-01-05,5,paid\no3,c1,\"Jan 33, 2024 9:05 PM\",5,paid\no4,c1,13/04/2024,5,paid\n",
	};
	Silver s;
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(strcmp(date_text(date_floor_day(row_by_id(&s, SRC_ORDERS, "o1")->when)), "2024-01-03") == 0 &&
	      strcmp(date_text(date_floor_day(row_by_id(&s, SRC_ORDERS, "o2")->when)), "2024-01-05") == 0,
	      "the format's date, and an ISO one");
	CHECK(row_by_id(&s, SRC_ORDERS, "o3")->flags & FLAG(D_INVALID_DATE), "a date in neither: invalid_date");
	CHECK(row_by_id(&s, SRC_ORDERS, "o4")->flags & FLAG(D_INVALID_DATE) && !s.src[SRC_ORDERS].evidence[EVIDENCE_DAY_FIRST],
	      "a day-first date in a file whose format is another: invalid_date, and no evidence");
	CHECK(row_by_id(&s, SRC_CUSTOMERS, "c1")->flags & FLAG(D_INVALID_DATE), "the customers' file is not the orders'");
	CHECK(s.src[SRC_ORDERS].basis == BASIS_FORMAT && s.src[SRC_ORDERS].order == ORDER_MONTH_FIRST &&
	      s.src[SRC_CUSTOMERS].basis != BASIS_FORMAT, "the orders' order is their format's: month before day");
	silver_free(&s);
	config_free(&cfg);
	CHECK(load(&cfg, "date_order = month-first\n[read]\norders.date_format = %%Y %e.%m.%Y\n", &err), "%s", buf_cstr(&err));
	text[SRC_ORDERS] = "order_id,customer_id,order_date,amount,status\no1,c1,%Y 3.1.2024,5,paid\n";
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(s.src[SRC_ORDERS].basis == BASIS_FORMAT && s.src[SRC_ORDERS].order == ORDER_DAY_FIRST &&
	      strcmp(date_text(date_floor_day(row_by_id(&s, SRC_ORDERS, "o1")->when)), "2024-01-03") == 0,
	      "a format of the day first (after a literal %%Y): day-first, whatever date_order says");
	silver_free(&s);
	config_free(&cfg);
	/* a two-digit year: the order of its day and month as a four-digit one's (a weekday before them
	 * is no day), a year-first one reported so on the data-quality page */
	CHECK(load(&cfg, "date_order = month-first\n[read]\norders.date_format = %a, %d %b %y\n"
			 "payments.date_format = %y/%m/%d\n", &err), "%s", buf_cstr(&err));
	text[SRC_ORDERS] = "order_id,customer_id,order_date,amount,status\no1,c1,\"Tue, 02 Jan 24\",5,paid\n";
	text[SRC_PAYMENTS] = "payment_id,customer_id,payment_date,payment_method,payment_status,amount\n"
			     "p1,c1,24/01/02,card,paid,5\n";
	CHECK(silver_from(&s, &cfg, text), "builds");
	SourceQuality q[SRC_COUNT];
	quality_measure(&s, q);
	CHECK(s.src[SRC_ORDERS].basis == BASIS_FORMAT && s.src[SRC_ORDERS].order == ORDER_DAY_FIRST &&
	      strcmp(date_text(date_floor_day(row_by_id(&s, SRC_ORDERS, "o1")->when)), "2024-01-02") == 0 &&
	      q[SRC_ORDERS].unordered == DATES_ORDERED, "%%a, %%d %%b %%y: day-first, whatever date_order says");
	CHECK(strcmp(date_text(date_floor_day(row_by_id(&s, SRC_PAYMENTS, "p1")->when)), "2024-01-02") == 0 &&
	      q[SRC_PAYMENTS].unordered == DATES_YEAR_FIRST, "%%y/%%m/%%d: year first");
	quality_free(q);
	silver_free(&s);
	config_free(&cfg);
	text[SRC_PAYMENTS] = NULL;
	CHECK(!load(&cfg, "[read]\norders.date_format = %d/%m\n", &err) && strstr(buf_cstr(&err), "date_format") &&
	      strstr(buf_cstr(&err), "no year (%Y or %y)"), "a format without a year: %s", buf_cstr(&err));
	config_free(&cfg);
	buf_free(&err);
}

static void test_currency(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	FILE *f = fopen(TEST_DIR "/test_rates.csv", "w");
	fputs("currency,rate\nGBP,1.17\n# a comment\n\"INR\",0.011\n", f);
	fclose(f);
	CHECK(load(&cfg, "[currency]\nbase = eur\nUSD = 0.92\nrates_file = test_rates.csv\n", &err), "%s",
	      buf_cstr(&err));
	CHECK(strcmp(cfg.base_currency, "EUR") == 0, "base");
	CHECK(config_rate(&cfg, "EUR") == 0, "the base is worth itself");
	int k = config_rate(&cfg, "USD");
	CHECK(k > 0 && cfg.rates[k - 1].nanos == 920000000, "USD");
	k = config_rate(&cfg, "GBP");
	CHECK(k > 0 && cfg.rates[k - 1].nanos == 1170000000, "GBP from the file");
	k = config_rate(&cfg, "INR");
	CHECK(k > 0 && cfg.rates[k - 1].nanos == 11000000, "INR from the file");
	CHECK(config_rate(&cfg, "JPY") < 0, "no rate for JPY");
	config_free(&cfg);
	buf_free(&err);
}

static int64_t order_cents(Silver *s, const char *id)
{
	const RowHead *h = row_by_id(s, SRC_ORDERS, id);
	return h ? ((const Order *)h)->cents : -1;
}

/* "1,500" is read with the separator the file's other amounts show, else the configured one,
 * else a point; a value that shows its own separator keeps it. A note says so, unless the file
 * shows decimal points only. */
static void test_decimal_by_evidence(void **state)
{
	(void)state;
	static const struct { const char *conf, *amounts[3]; int64_t want[3]; bool note; } cases[] = {
		{"", {"12,50", "1.500", "1,500"}, {1250, 150000, 150}, true},	/* a comma shows: 1.500 is 1500 */
		{"", {"12.50", "1,500", "1.500"}, {1250, 150000, 150}, false},	/* a point shows */
		{"", {"1,500", "2,000", "7"}, {150000, 200000, 700}, true},	/* none: a point */
		{"[read]\ndecimal = ,\n", {"1,500", "2.000", "7"}, {150, 200000, 700}, false},	/* configured: nothing to say */
		{"[read]\norders.decimal = ,\n", {"12.50", "1.500,5", "-0,5"}, {AMOUNT_NULL, 150050, -50}, false},
		{"[read]\ncustomers.decimal = ,\n", {"1,500", "12.50", "7"}, {150000, 1250, 700}, false},	/* not orders' */
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Config cfg;
		Buf err = {0}, orders = {0};
		CHECK(load(&cfg, cases[i].conf, &err), "%s", buf_cstr(&err));
		buf_puts(&orders, "order_id,customer_id,order_date,amount,status\n");
		for (int k = 0; k < 3; k++)
			buf_printf(&orders, "o%d,1,2022-01-01,\"%s\",paid\n", k, cases[i].amounts[k]);
		const char *text[SRC_COUNT] = {"customer_id\n1\n", buf_cstr(&orders)};
		Silver s;
		CHECK(silver_from(&s, &cfg, text), "builds");
		for (int k = 0; k < 3; k++) {
			char id[16];
			snprintf(id, sizeof id, "o%d", k);
			CHECK(order_cents(&s, id) == cases[i].want[k], "case %zu: %s is %lld cents, want %lld", i,
			      cases[i].amounts[k], (long long)order_cents(&s, id), (long long)cases[i].want[k]);
		}
		CHECK(!!s.src[SRC_ORDERS].diags.tally[D_DECIMAL].count == cases[i].note, "case %zu: the note", i);
		silver_free(&s);
		config_free(&cfg);
		buf_free(&err), buf_free(&orders);
	}
}

/* Amounts in the base currency: converted at their rate from the value's mark, the currency
 * column or the file's currency; without a rate, null and flagged, never added as they are. */
static void test_currency_conversion(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, "[currency]\nbase = EUR\nUSD = 0.5\nBRL = 0.2\n[read]\npayments.currency = USD\n", &err), "%s",
	      buf_cstr(&err));
	Silver s;
	const char *text[SRC_COUNT] = {
		"customer_id\n1\n",
		"order_id,customer_id,order_date,amount,status,currency\n"
		"a,1,2022-01-01,10.00,paid,USD\n"	/* the column: 5.00 EUR */
		"b,1,2022-01-01,EUR 3,paid,USD\n"	/* the value's code wins */
		"c,1,2022-01-01,JPY 100,paid,\n"	/* no rate */
		"d,1,2022-01-01,$4,paid,CAD\n"	/* $ gives way to the column: no rate */
		"e,1,2022-01-01,7,paid,\n"	/* the base */
		"f,1,2022-01-01,\"R$ 1.500,00\",paid,\n"	/* 1500 BRL = 300 EUR */
		"g,1,2022-01-01,\"USD 1,500\",paid,\n"	/* ambiguous, then a point: 750 EUR */
		"h,1,2022-01-01,0.01,paid,USD\n"	/* half a cent rounds away from zero */
		"i,1,2022-01-01,-0.01,paid,USD\n"
		"j,1,2022-01-01,5,paid,dollars\n",	/* not a currency */
		"payment_id,customer_id,payment_date,payment_method,payment_status,amount\np,1,2022-01-01,cash,paid,7\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	static const struct { const char *id; int64_t cents; bool flagged; } want[] = {
		{"a", 500}, {"b", 300}, {"c", AMOUNT_NULL, true}, {"d", AMOUNT_NULL, true}, {"e", 700},
		{"f", 30000}, {"g", 75000}, {"h", 1}, {"i", -1}, {"j", AMOUNT_NULL, true},
	};
	for (size_t i = 0; i < N_ELEMS(want); i++) {
		const RowHead *h = row_by_id(&s, SRC_ORDERS, want[i].id);
		CHECK(h && ((const Order *)h)->cents == want[i].cents, "order %s: %lld cents", want[i].id,
		      h ? (long long)((const Order *)h)->cents : -1LL);
		CHECK(h && !!(h->flags & FLAG(D_UNCONVERTIBLE_CURRENCY)) == want[i].flagged, "order %s flag", want[i].id);
	}
	const Payment *p = (const Payment *)row_by_id(&s, SRC_PAYMENTS, "p");
	CHECK(p && p->cents == 350, "the file's currency: 7 USD is 3.50 EUR");
	const DiagTally *t = &s.src[SRC_ORDERS].diags.tally[D_UNCONVERTIBLE_CURRENCY];
	CHECK(t->count == 3 && strstr(t->sample[0].text, "\"JPY 100\"") && strstr(t->sample[2].text, "\"5 in dollars\""),
	      "the message names the currency: %s", t->nsamples ? t->sample[0].text : "");
	silver_free(&s);
	config_free(&cfg);
	/* a currency column's $ is the file's dollar when the file's currency is set (a Canadian shop's) */
	for (int declared = 0; declared < 2; declared++) {
		CHECK(load(&cfg, declared ? "[currency]\nbase = EUR\nUSD = 0.5\nCAD = 0.25\n[read]\norders.currency = CAD\n"
					  : "[currency]\nbase = EUR\nUSD = 0.5\nCAD = 0.25\n", &err), "%s", buf_cstr(&err));
		const char *dollars[SRC_COUNT] = {"customer_id\n1\n", "order_id,customer_id,order_date,amount,status,currency\n"
						  "a,1,2022-01-01,8,paid,$\nb,1,2022-01-01,8,paid,US$\n"};
		CHECK(silver_from(&s, &cfg, dollars), "builds");
		CHECK(((const Order *)row_by_id(&s, SRC_ORDERS, "a"))->cents == (declared ? 200 : 400) &&
		      ((const Order *)row_by_id(&s, SRC_ORDERS, "b"))->cents == 400, "$ in the column, the file's currency %s",
		      declared ? "CAD" : "unset");
		silver_free(&s);
		config_free(&cfg);
	}
	buf_free(&err);
}

/* Without a base currency, marks are decoration, as c360 read them before. */
static void test_no_base_currency(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		"customer_id\n1\n",
		"order_id,customer_id,order_date,amount,status,currency\na,1,2022-01-01,$4,paid,\nb,1,2022-01-01,5,paid,JPY\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(order_cents(&s, "a") == 400 && order_cents(&s, "b") == 500, "kept as written");
	silver_free(&s);
}

/* Builds silver from whole inputs as files are read (decoded, delimiter found, in chunks);
 * len 0 means strlen. The inputs must be closed after silver_free. */
static bool silver_inputs(Silver *s, Config *cfg, const char *const text[SRC_COUNT], const size_t len[SRC_COUNT],
			  Input in[SRC_COUNT])
{
	silver_init(s, cfg);
	for (int i = 0; i < SRC_COUNT; i++) {
		in[i] = (Input){0};
		if (!text[i])
			continue;
		input_from(&in[i], text[i], len && len[i] ? len[i] : strlen(text[i]));
		silver_source_init(s, &s->src[i], (SourceId)i);
		silver_source_input(s, &s->src[i], &in[i]);
		silver_source_end(s, &s->src[i]);
	}
	return silver_finish(s);
}

static void inputs_free(Silver *s, Input in[SRC_COUNT])
{
	silver_free(s);
	for (int i = 0; i < SRC_COUNT; i++)
		input_close(&in[i]);
}

static bool note_has(const Source *src, DiagCode code, const char *text)
{
	const DiagTally *t = &src->diags.tally[code];
	for (size_t i = 0; i < t->nsamples; i++)
		if (strstr(t->sample[i].text, text))
			return true;
	return false;
}

/* The delimiter is found in the header line and said; a PayPal-like file with decimal commas
 * reads right; the same when the file is read in chunks by several threads. */
static void test_delimiters_sniffed(void **state)
{
	(void)state;
	static const struct { const char *orders, *said; } cases[] = {
		{"order_id;customer_id;order_date;amount;status\no1;1;2022-01-01;\"1.500,00\";Concluído\n"
		 "o2;1;2022-01-02;12,50;paid\no3;1;2022-01-03;\"a;b\";paid\n", "semicolon-separated"},
		{"order_id\tcustomer_id\torder_date\tamount\tstatus\no1\t1\t2022-01-01\t1500.00\tpaid\n"
		 "o2\t1\t2022-01-02\t12.50\tpaid\no3\t1\t2022-01-03\t\tpaid\n", "tab-separated"},
		{"order_id|customer_id|order_date|amount|status\no1|1|2022-01-01|\"1,500.00\"|paid\n"
		 "o2|1|2022-01-02|12.50|paid\no3|1|2022-01-03||paid\n", "pipe-separated"},
		/* Excel's first line names the delimiter; the header follows it */
		{"\xef\xbb\xbfsep=,\r\norder_id,customer_id,order_date,amount,status\r\no1,1,2022-01-01,1500.00,paid\r\n"
		 "o2,1,2022-01-02,12.50,paid\r\no3,1,2022-01-03,,paid\r\n", "comma-separated (by Excel's first line \"sep=,\""},
		{"sep=;\norder_id;customer_id;order_date;amount;status\no1;1;2022-01-01;\"1.500,00\";paid\n"
		 "o2;1;2022-01-02;12,50;paid\no3;1;2022-01-03;;paid\n", "semicolon-separated (by Excel's"},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		for (int jobs = 1; jobs <= 3; jobs += 2) {
			Config cfg = test_config();
			cfg.jobs = jobs, cfg.chunk_min = 8;
			Silver s;
			Input in[SRC_COUNT];
			const char *text[SRC_COUNT] = {"customer_id,name\n1,Ann\n", cases[i].orders};
			CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
			const Source *or = &s.src[SRC_ORDERS];
			CHECK(note_has(or, D_READ_AS, cases[i].said), "case %zu: said %s", i, cases[i].said);
			CHECK(!s.src[SRC_CUSTOMERS].diags.tally[D_READ_AS].count, "a comma file needs no note");
			CHECK(or->table.n == 3 && order_cents(&s, "o1") == 150000 && order_cents(&s, "o2") == 1250,
			      "case %zu, %d jobs: %zu rows, o1 %lld", i, jobs, or->table.n, (long long)order_cents(&s, "o1"));
			CHECK(or->diags.tally[D_RAGGED_ROW].count == 0, "case %zu: no ragged rows", i);
			inputs_free(&s, in);
		}
}

/* UTF-16 and UTF-8 by their byte-order marks, Windows-1252 and Latin-1 by the configuration; a
 * byte that is no character becomes U+FFFD and is counted. */
static void test_encodings(void **state)
{
	(void)state;
	static const char utf16le[] = "\xff\xfe" "c\0u\0s\0t\0o\0m\0e\0r\0_\0i\0d\0,\0n\0a\0m\0e\0\n\0"
				      "1\0,\0J\0o\0s\0\xe9\0\n\0";
	static const char utf16be[] = "\xfe\xff" "\0c\0u\0s\0t\0o\0m\0e\0r\0_\0i\0d\0,\0n\0a\0m\0e\0\n"
				      "\0001\0,\0J\0o\0s\0\xe9\0\n";
	static const char utf16le_odd[] = "\xff\xfe" "c\0u\0s\0t\0o\0m\0e\0r\0_\0i\0d\0,\0n\0a\0m\0e\0\n\0"
					  "1\0,\0J\0o\0s\0\xe9\0\n\0X";
	static const char utf16_lone[] = "\xff\xfe" "c\0u\0s\0t\0o\0m\0e\0r\0_\0i\0d\0,\0n\0a\0m\0e\0,\0x\0\n\0"
					 "1\0,\0J\0\x00\xd8s\0,\0\x00\xd8\x00\xd8\n\0";
	/* no byte-order mark (SQL Server's bcp -w, helper 118): known by the NUL bytes of its first
	   characters; UTF-32 too, with a mark or without */
	static const char utf16le_bare[] = "c\0u\0s\0t\0o\0m\0e\0r\0_\0i\0d\0,\0n\0a\0m\0e\0\n\0"
					   "1\0,\0J\0o\0s\0\xe9\0\n\0";
	static const char utf16be_bare[] = "\0c\0u\0s\0t\0o\0m\0e\0r\0_\0i\0d\0,\0n\0a\0m\0e\0\n"
					   "\0001\0,\0J\0o\0s\0\xe9\0\n";
	static const char utf32le[] = "\xff\xfe\0\0c\0\0\0u\0\0\0s\0\0\0t\0\0\0o\0\0\0m\0\0\0e\0\0\0r\0\0\0_\0\0\0i\0\0\0d\0\0\0"
				      ",\0\0\0n\0\0\0a\0\0\0m\0\0\0e\0\0\0\n\0\0\0" "1\0\0\0,\0\0\0J\0\0\0o\0\0\0s\0\0\0\xe9\0\0\0\n\0\0\0";
	static const char utf32be_bare[] = "\0\0\0c\0\0\0u\0\0\0s\0\0\0t\0\0\0o\0\0\0m\0\0\0e\0\0\0r\0\0\0_\0\0\0i\0\0\0d"
					   "\0\0\0,\0\0\0n\0\0\0a\0\0\0m\0\0\0e\0\0\0\n\0\0\0001\0\0\0,\0\0\0J\0\0\0o\0\0\0s\0\0\0\xe9\0\0\0\n";
	static const struct { const char *conf, *text; size_t len; const char *name, *said; } cases[] = {
		{"", utf16le, sizeof utf16le - 1, "José", "UTF-16LE"},
		{"", utf16be, sizeof utf16be - 1, "José", "UTF-16BE"},
		{"", utf16le_bare, sizeof utf16le_bare - 1, "José", "UTF-16LE (by its NUL bytes: it has no byte-order mark)"},
		{"", utf16be_bare, sizeof utf16be_bare - 1, "José", "UTF-16BE (by its NUL bytes: it has no byte-order mark)"},
		{"", utf32le, sizeof utf32le - 1, "José", "UTF-32LE (by its byte-order mark)"},
		{"", utf32be_bare, sizeof utf32be_bare - 1, "José", "UTF-32BE (by its NUL bytes: it has no byte-order mark)"},
		{"[read]\ncustomers.encoding = windows-1252\n", "customer_id,name\n1,Jos\xe9 \x80\n", 0, "José €",
		 "Windows-1252"},
		{"[read]\nencoding = latin-1\n", "customer_id,name\n1,Jos\xe9\n", 0, "José", "Latin-1"},
		{"[read]\nencoding = cp1252\n", "customer_id,name\n1,A\x81" "b\n", 0, "A\xef\xbf\xbd" "b",
		 "1 byte that is no character"},
		/* an odd last byte (half a unit): left out, no row of its own */
		{"", utf16le_odd, sizeof utf16le_odd - 1, "José", "UTF-16LE (by its byte-order mark), a last byte that is half "
		 "a unit of 16 bits left out"},
		/* a lone surrogate (0xd800), and two: one U+FFFD for a run, as for invalid UTF-8 */
		{"", utf16_lone, sizeof utf16_lone - 1, "J\xef\xbf\xbd" "s", "UTF-16LE (by its byte-order mark), 3 units "
		 "of 16 bits that are no character (their rows flagged invalid_utf8)"},
		/* a UTF-8 byte-order mark: UTF-8 whatever is set (not "JosÃ©") */
		{"[read]\nencoding = windows-1252\n", "\xef\xbb\xbf" "customer_id,name\n1,Jos\xc3\xa9\n", 0, "José",
		 "UTF-8 (by its byte-order mark), not Windows-1252 as set"},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Config cfg;
		Buf err = {0};
		CHECK(load(&cfg, cases[i].conf, &err), "%s", buf_cstr(&err));
		Silver s;
		Input in[SRC_COUNT];
		const char *text[SRC_COUNT] = {cases[i].text, "order_id,customer_id,order_date\no,1,2022-01-01\n"};
		size_t len[SRC_COUNT] = {cases[i].len};
		CHECK(silver_inputs(&s, &cfg, text, len, in), "builds");
		const Customer *c = ROW(CUSTOMERS(&s), Customer, 0);
		CHECK(CUSTOMERS(&s)->n == 1 && c->name && strcmp(c->name, cases[i].name) == 0, "case %zu: name %s", i,
		      c->name);
		CHECK(note_has(&s.src[SRC_CUSTOMERS], D_READ_AS, cases[i].said), "case %zu says %s", i, cases[i].said);
		/* each such character is said on its row, at its line: the row is flagged */
		const DiagTally *bad = &s.src[SRC_CUSTOMERS].diags.tally[D_INVALID_UTF8];
		bool none = !strstr(cases[i].said, "no character");
		CHECK(none ? bad->count == 0 && !(c->h.flags & FLAG(D_INVALID_UTF8))
			   : bad->count == 1 && bad->sample[0].line == 2 && (c->h.flags & FLAG(D_INVALID_UTF8)),
		      "case %zu: %llu rows with a character that is none", i, (unsigned long long)bad->count);
		inputs_free(&s, in);
		config_free(&cfg);
		buf_free(&err);
	}
}

/* Lines before the header row and comment lines are no records; lines keep their numbers. */
static void test_header_row_and_comments(void **state)
{
	(void)state;
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, "[read]\norders.header_row = 3\norders.comment = \"//\"\n", &err), "%s", buf_cstr(&err));
	Silver s;
	Input in[SRC_COUNT];
	const char *text[SRC_COUNT] = {
		"customer_id\n1\n",
		"Report: orders; exported 2022-01-31\n\norder_id;customer_id;order_date\n// a comment; with ; and ,\n"
		"o1;1;2022-01-01\n//o2;1;2022-01-02\no3;1;2022-01-03\n",
	};
	CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
	const Source *or = &s.src[SRC_ORDERS];
	CHECK(or->table.n == 2 && or->rows_read == 2, "two rows");
	CHECK(row_by_id(&s, SRC_ORDERS, "o1")->line == 5 && row_by_id(&s, SRC_ORDERS, "o3")->line == 7, "lines kept");
	CHECK(or->skipped_lines == 4, "2 lines before the header and 2 comments: %llu",
	      (unsigned long long)or->skipped_lines);
	CHECK(note_has(or, D_LINES_SKIPPED, "4 lines skipped"), "said");
	CHECK(note_has(or, D_READ_AS, "semicolon"), "the delimiter from the header row, not the title line");
	inputs_free(&s, in);
	config_free(&cfg);
	buf_free(&err);
}

/* A report's footer (Salesforce's): the lines after the last blank line, each one field alone
 * (or up to a quarter of the header's: below), go to quarantine, not into the customers; a lone
 * field anywhere else is a ragged row. The same read in chunks by three threads. */
static void test_report_footer(void **state)
{
	(void)state;
	static const char head[] = "customer_id,name,email\r\nc1,Ann,a@x.com\r\n";
	static const struct { const char *tail; size_t malformed; bool footer; uint64_t ragged, blank; } cases[] = {
		{"c2,Bob,b@x.com\r\n\r\n\"Confidential Information - Do Not Distribute\"\r\n"
		 "\"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved.\"\r\n\r\n", 2, true, 0, 2},
		{"c2,Bob,b@x.com\n\nGenerated by Ann\n\"He said \"\"no\"\"\"", 2, true, 0, 1},	/* no final line end */
		{"c2,Bob,b@x.com\nConfidential\n", 0, false, 1, 0},		/* no blank line before it */
		{"c2,Bob,b@x.com\n\nConfidential\nc3,Cy,c@x.com\n", 0, false, 1, 1},	/* a row after it */
		{"c2,Bob,b@x.com\n\n\"Confidential\"x\"\n", 1, false, 0, 1},	/* no lone field: malformed */
		{"c2,Bob,b@x.com\n\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n", 0, false, 11, 1},	/* too long */
		/* a quoted value ending in a blank line and a quote: the reader's, no footer */
		{"c2,Bob,\"b@x.com\n\n\"\"\"\n", 0, false, 0, 0},
		{"c2,\"Bob\r\n\r\nLee\",b@x.com\r\n\r\n\"Confidential\"\r\n", 1, true, 0, 1},	/* and one after it */
		/* a quote never closed before it: the footer stays one (c3 quarantined, never closed) */
		{"c2,Bob,b@x.com\nc3,Cy,\"c@x.com\n\nConfidential Information - Do Not Distribute\n", 2, true, 0, 1},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		for (int jobs = 1; jobs <= 3; jobs += 2) {
			Config cfg = test_config();
			cfg.jobs = jobs, cfg.chunk_min = 8;
			char text0[512];
			snprintf(text0, sizeof text0, "%s%s", head, cases[i].tail);
			const char *text[SRC_COUNT] = {text0, "order_id,customer_id,order_date\no1,c1,2022-01-01\n"};
			Silver s;
			Input in[SRC_COUNT];
			CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
			const Source *cu = &s.src[SRC_CUSTOMERS];
			size_t malformed = 0;
			for (size_t q = 0; q < cu->nquarantine; q++)
				malformed += cu->quarantine[q].reason == D_MALFORMED_ROW;
			CHECK(malformed == cases[i].malformed && note_has(cu, D_MALFORMED_ROW, "footer") == cases[i].footer &&
			      cu->diags.tally[D_RAGGED_ROW].count == cases[i].ragged && cu->blank_lines == cases[i].blank &&
			      cu->rows_read == cu->table.n + cu->nquarantine,
			      "case %zu, %d jobs: %zu malformed, %llu ragged, %llu blank", i, jobs, malformed,
			      (unsigned long long)cu->diags.tally[D_RAGGED_ROW].count, (unsigned long long)cu->blank_lines);
			CHECK(!row_by_id(&s, SRC_CUSTOMERS, "Confidential Information - Do Not Distribute") &&
			      row_by_id(&s, SRC_CUSTOMERS, "c2"), "case %zu: no customer of the footer", i);
			if (i == 0)
				CHECK(cu->quarantine[0].line == 5 && cu->quarantine[1].line == 6, "lines %u, %u",
				      cu->quarantine[0].line, cu->quarantine[1].line);
			inputs_free(&s, in);
		}
	/* in a file of ten columns or more, a footer line of several fields, at most a quarter of the
	 * header's, is one too (eBay's count line, "19","record(s) downloaded","from Mar-01-24 to
	 * May-31-24", of 79 columns; here of twelve); more than a quarter of them is a row cut short
	 * (five of twelve: a customer's first columns), and a line of them not after a blank line too;
	 * in a file of fewer columns (the SPEC's), a short row padded */
	static const struct { const char *head, *tail; size_t malformed; uint64_t ragged; } wide[] = {
		{NULL, "\n\"19\",\"record(s) downloaded\",\"from Mar-01-24 to May-31-24\"\nSeller ID : hollowoak\n", 2, 0},
		{NULL, "\n19,\"record(s), downloaded\",\n", 1, 0},	/* a comma inside quotes, an empty third field */
		{NULL, "\nc3,Cy,c@x.com,Lyon,FR\n", 0, 1},		/* five of twelve */
		{NULL, "\"19\",\"record(s) downloaded\",\"from Mar-01-24\"\n", 0, 1},	/* no blank line before it */
		{NULL, "\n\"19\"x,\"record(s) downloaded\"\n", 1, 0},	/* text after a quote: malformed, no footer */
		{"customer_id,name,email,city,country,phone\nc1,Ann,a@x.com,Lyon,FR,1\n", "\nc3,Cy\n", 0, 1},	/* six */
	};
	for (size_t i = 0; i < N_ELEMS(wide); i++) {
		Config cfg = test_config();
		char text0[512];
		snprintf(text0, sizeof text0, "%s%s", wide[i].head ? wide[i].head :
			 "customer_id,name,email,city,country,phone,a,b,c,d,e,f\nc1,Ann,a@x.com,Lyon,FR,1,,,,,,\n", wide[i].tail);
		const char *text[SRC_COUNT] = {text0, "order_id,customer_id,order_date\no1,c1,2022-01-01\n"};
		Silver s;
		Input in[SRC_COUNT];
		CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
		const Source *cu = &s.src[SRC_CUSTOMERS];
		size_t malformed = 0;
		for (size_t q = 0; q < cu->nquarantine; q++)
			malformed += cu->quarantine[q].reason == D_MALFORMED_ROW;
		CHECK(malformed == wide[i].malformed && note_has(cu, D_MALFORMED_ROW, "footer") == (i < 2) &&
		      cu->diags.tally[D_RAGGED_ROW].count == wide[i].ragged && cu->rows_read == cu->table.n + cu->nquarantine,
		      "wide case %zu: %zu malformed, %llu ragged", i, malformed,
		      (unsigned long long)cu->diags.tally[D_RAGGED_ROW].count);
		CHECK(i >= 2 || (!row_by_id(&s, SRC_CUSTOMERS, "19") && !row_by_id(&s, SRC_CUSTOMERS, "Seller ID : hollowoak")),
		      "wide case %zu: no customer of the footer", i);
		inputs_free(&s, in);
	}
	/* a comment line in the footer, even one with the delimiter in it, is skipped as anywhere */
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, "[read]\ncustomers.comment = \"#\"\n", &err), "%s", buf_cstr(&err));
	const char *text[SRC_COUNT] = {"customer_id,name\nc1,Ann\n\n\"Confidential\"\n# exported by Ann, Bob\n",
				       "order_id,customer_id,order_date\no1,c1,2022-01-01\n"};
	Silver s;
	Input in[SRC_COUNT];
	CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
	const Source *cu = &s.src[SRC_CUSTOMERS];
	CHECK(cu->nquarantine == 1 && cu->quarantine[0].line == 4 && cu->skipped_lines == 1 && cu->rows_read == 2 &&
	      cu->diags.tally[D_RAGGED_ROW].count == 0, "the footer's comment: %zu quarantined, %llu skipped",
	      cu->nquarantine, (unsigned long long)cu->skipped_lines);
	inputs_free(&s, in);
	config_free(&cfg);
	buf_free(&err);
}

/* A grouped report (Salesforce's) names its group once, on the group's first row: with
 * fill_down the rows below take it (blank ones too), by the header's name whatever its case;
 * read in one piece though three threads could (a row needs the one above). Without it they
 * have none; a name the header lacks is said. */
static void test_fill_down(void **state)
{
	(void)state;
	static const char crm[] = "Billing Country,Account ID,Account Name\nGermany,c1,Ann\n,c2,Bob\n\" \",c3,Cy\n"
				  "France,c4,Dan\n,c5,Eve\n";
	static const char *const conf[] = {
		"[columns]\ncustomers.location = Billing Country\ncustomers.customer_id = Account ID\n"
		"customers.name = Account Name\n[read]\ncustomers.fill_down = billing country\n",
		"[columns]\ncustomers.location = Billing Country\ncustomers.customer_id = Account ID\n"
		"customers.name = Account Name\n",
		"[columns]\ncustomers.location = Billing Country\ncustomers.customer_id = Account ID\n"
		"customers.name = Account Name\n[read]\ncustomers.fill_down = Country\n",
	};
	static const char *const want[3][5] = {{"Germany", "Germany", "Germany", "France", "France"},
					       {"Germany", NULL, NULL, "France", NULL},
					       {"Germany", NULL, NULL, "France", NULL}};
	for (int k = 0; k < 3; k++)
		for (int jobs = 1; jobs <= 3; jobs += 2) {
			Config cfg;
			Buf err = {0};
			CHECK(load(&cfg, conf[k], &err), "%s", buf_cstr(&err));
			cfg.jobs = jobs, cfg.chunk_min = 8;
			const char *text[SRC_COUNT] = {crm, "order_id,customer_id,order_date\no1,c1,2022-01-01\n"};
			Silver s;
			Input in[SRC_COUNT];
			CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
			for (int i = 0; i < 5; i++) {
				char id[3] = {'c', (char)('1' + i), 0};
				const Customer *c = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, id);
				const char *loc = c ? c->location : "(no customer)";
				CHECK(c && (want[k][i] ? loc && strcmp(loc, want[k][i]) == 0 : !loc), "conf %d, %d jobs, %s: %s", k,
				      jobs, id, loc ? loc : "null");
			}
			CHECK(note_has(&s.src[SRC_CUSTOMERS], D_CONFIG_NOTE, "fill_down names \"Country\", which the header") == (k == 2),
			      "conf %d: the name the header lacks said", k);
			inputs_free(&s, in);
			config_free(&cfg);
			buf_free(&err);
		}
	/* a value of 2 MB over empty fields: filled in while the values filled in stay within four
	 * times the file's size and 1 MB (9 MB: four rows), the rows past that quarantined (each took
	 * 2 MB of silver: 8 MB of export over 3,000 empty fields took 3 GB) */
	Buf big = {0};
	buf_puts(&big, "Billing Country,Account ID,Account Name\n");
	for (int i = 0; i < (2 << 20); i++)
		buf_putc(&big, 'x');
	buf_puts(&big, ",c1,Ann\n,c2,Bob\n,c3,Cy\n,c4,Dan\n,c5,Eve\n,c6,Fay\n,c7,Gus\n");
	Config cfg;
	Buf err = {0};
	CHECK(load(&cfg, conf[0], &err), "%s", buf_cstr(&err));
	const char *text[SRC_COUNT] = {buf_cstr(&big), "order_id,customer_id,order_date\no1,c1,2022-01-01\n"};
	Silver s;
	Input in[SRC_COUNT];
	CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
	const Source *cu = &s.src[SRC_CUSTOMERS];
	const Customer *c2 = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, "c2");
	const Customer *c5 = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, "c5");
	CHECK(c2 && c2->location && strlen(c2->location) == (2 << 20) && c5 && c5->location, "c2 to c5 filled in");
	CHECK(cu->nquarantine == 2 && cu->quarantine[0].line == 7 && cu->quarantine[0].reason == D_MALFORMED_ROW &&
	      !row_by_id(&s, SRC_CUSTOMERS, "c6") && !row_by_id(&s, SRC_CUSTOMERS, "c7"), "%zu quarantined", cu->nquarantine);
	CHECK(note_has(cu, D_MALFORMED_ROW, "the values filled in would pass four times the file's own size"), "said why");
	inputs_free(&s, in);
	/* a grouped report whose group's value is longer than its short rows (2.5 times them, over
	 * 3 MB in all): every row filled in */
	big.len = 0;
	buf_puts(&big, "Billing Country,Account ID,Account Name\nUnited Kingdom Of Gb,c0,A\n");
	for (int i = 1; i < 200000; i++)
		buf_printf(&big, ",c%d,A\n", i);
	text[SRC_CUSTOMERS] = buf_cstr(&big);
	CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
	const Customer *last = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, "c199999");
	CHECK(s.src[SRC_CUSTOMERS].nquarantine == 0 && last && last->location && !strcmp(last->location, "United Kingdom Of Gb"),
	      "%zu quarantined, c199999 in %s", s.src[SRC_CUSTOMERS].nquarantine, last && last->location ? last->location : "-");
	inputs_free(&s, in);
	config_free(&cfg);
	buf_free(&err);
	buf_free(&big);
}

/* [null] orders.customer_id = 0, Guest: a shop's guest orders have no customer (quarantined
 * as such, not one customer "0" with every guest's orders); the amount 0 in another column is
 * still 0; without it, "0" is an inferred customer. */
static void test_column_nulls(void **state)
{
	(void)state;
	for (int set = 0; set < 2; set++) {
		Config cfg;
		Buf err = {0};
		CHECK(load(&cfg, set ? "[null]\norders.customer_id = 0, Guest\n" : "", &err), "%s", buf_cstr(&err));
		const char *text[SRC_COUNT] = {"customer_id\nc1\n",
					       "order_id,customer_id,order_date,amount\no1,c1,2022-01-01,0\no2, 0 ,2022-01-02,5\n"
					       "o3,GUEST,2022-01-03,6\no4,00,2022-01-04,7\n"};
		Silver s;
		Input in[SRC_COUNT];
		CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
		const Source *or = &s.src[SRC_ORDERS];
		size_t none = 0;
		for (size_t q = 0; q < or->nquarantine; q++)
			none += or->quarantine[q].reason == D_MISSING_CUSTOMER_ID;
		CHECK(none == (set ? 2u : 0u) && or->table.n == (set ? 2u : 4u), "set %d: %zu without a customer, %zu rows", set,
		      none, or->table.n);
		CHECK(!set == !!row_by_id(&s, SRC_CUSTOMERS, "0") && row_by_id(&s, SRC_CUSTOMERS, "00"), "set %d: customer 0", set);
		const Order *o1 = (const Order *)row_by_id(&s, SRC_ORDERS, "o1");
		CHECK(o1 && o1->cents == 0, "o1's amount is 0, not null");
		inputs_free(&s, in);
		config_free(&cfg);
		buf_free(&err);
	}
}

/* [categories] gender's words reach the CRM's rows: Frau is Female, Herr Male; without them,
 * Other. */
static void test_gender_words(void **state)
{
	(void)state;
	for (int set = 0; set < 2; set++) {
		Config cfg;
		Buf err = {0};
		CHECK(load(&cfg, set ? "[categories]\ngender.female = Frau\ngender.Male = Herr, Hr.\n" : "", &err), "%s",
		      buf_cstr(&err));
		const char *text[SRC_COUNT] = {"customer_id,gender\nc1,Frau\nc2,hr.\nc3,f\n",
					       "order_id,customer_id,order_date\no1,c1,2022-01-01\n"};
		Silver s;
		Input in[SRC_COUNT];
		CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
		const Customer *c1 = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, "c1"),
			       *c2 = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, "c2"),
			       *c3 = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, "c3");
		CHECK(c1 && c2 && c3 && c1->gender == (set ? GENDER_FEMALE : GENDER_OTHER) &&
		      c2->gender == (set ? GENDER_MALE : GENDER_OTHER) && c3->gender == GENDER_FEMALE, "set %d: %d %d %d", set,
		      c1 ? c1->gender : -1, c2 ? c2->gender : -1, c3 ? c3->gender : -1);
		inputs_free(&s, in);
		config_free(&cfg);
		buf_free(&err);
	}
}

/* [read] customers.title_case = false keeps a B2B CRM's names as written (IBM, Acme GmbH,
 * NYC), blanks collapsed; the orders' file set too changes nothing of the customers'; one-case
 * keeps a value of both cases as written, title-cases one of one case. */
static void test_title_case_kept(void **state)
{
	(void)state;
	static const char *const conf[] = {"", "[read]\ncustomers.title_case = false\n",
					   "[read]\ntitle_case = false\ncustomers.title_case = true\n",
					   "[read]\norders.title_case = false\n", "[read]\ncustomers.title_case = one-case\n"};
	for (int k = 0; k < 5; k++) {
		Config cfg;
		Buf err = {0};
		CHECK(load(&cfg, conf[k], &err), "%s", buf_cstr(&err));
		const char *text[SRC_COUNT] = {"customer_id,name,location\nc1,  Acme   GmbH ,NYC\n",
					       "order_id,customer_id,order_date\no1,c1,2022-01-01\n"};
		Silver s;
		Input in[SRC_COUNT];
		CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
		const Customer *c1 = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, "c1");
		bool kept = k == 1, one_case = k == 4;	/* one-case: the name of both cases as written, NYC cased */
		CHECK(c1 && strcmp(c1->name, kept || one_case ? "Acme GmbH" : "Acme Gmbh") == 0 &&
		      strcmp(c1->location, kept ? "NYC" : "Nyc") == 0, "conf %d: %s, %s", k, c1 ? c1->name : "-",
		      c1 ? c1->location : "-");
		inputs_free(&s, in);
		config_free(&cfg);
		buf_free(&err);
	}
}

/* Sessions most of whose devices are no system (an analytics export's device categories) are a
 * warning naming [categories]; so is a birth-date column none of whose CRM rows reads, however
 * many customers the facts add. */
static void test_unknown_devices(void **state)
{
	(void)state;
	for (int most = 0; most < 2; most++) {
		Config cfg = test_config();
		Silver s;
		Input in[SRC_COUNT];
		const char *text[SRC_COUNT] = {
			"customer_id,name,dob\nc1,Ann,07/04\n",
			"order_id,customer_id,order_date,amount,status\no1,c1,2024-01-01,5,paid\no2,c9,2024-01-02,5,paid\n",
			NULL, NULL,
			most ? "session_id,customer_id,page_viewed,session_time,device_type\ns1,c1,/,2024-01-01,Desktop\n"
			       "s2,c1,/,2024-01-01,Smartphone\ns3,c1,/,2024-01-01,ios\n"
			     : "session_id,customer_id,page_viewed,session_time,device_type\ns1,c1,/,2024-01-01,Desktop\n"
			       "s2,c1,/,2024-01-01,android\ns3,c1,/,2024-01-01,ios\n",
		};
		CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
		const Source *se = &s.src[SRC_SESSIONS];
		CHECK(most ? note_has(se, D_UNKNOWN_DEVICES, "2 of the 3 sessions' device_type are no system c360 knows "
				      "(\"Desktop\", \"Smartphone\"): they count as Other")
			   : !se->diags.tally[D_UNKNOWN_DEVICES].count, "%s: said when most are unknown", most ? "most" : "one");
		CHECK(note_has(&s.src[SRC_CUSTOMERS], D_NO_DATES, "no dob of the file could be read as a date"),
		      "a dob column of no date, with an inferred customer");
		inputs_free(&s, in);
	}
}

/* A status column most of whose values are no status c360 knows (an export in another
 * language) is a warning naming the values and [categories]: tickets that would all count as
 * open, orders all valid; none once [categories] maps them, nor for one unknown value in three. */
static void test_foreign_statuses(void **state)
{
	(void)state;
	for (int k = 0; k < 3; k++) {
		Config cfg;
		Buf err = {0};
		CHECK(load(&cfg, k == 1 ? "[categories]\nticket_status.Open = offen\nticket_status.Closed = geschlossen\n"
					  "order_status.Cancelled = Storniert\norder_status.Completed = Geliefert\n" : "", &err),
		      "%s", buf_cstr(&err));
		const char *text[SRC_COUNT] = {
			"customer_id\nc1\n",
			k == 2 ? "order_id,customer_id,order_date,amount,status\no1,c1,2024-01-01,5,Storniert\n"
				 "o2,c1,2024-01-02,5,completed\no3,c1,2024-01-03,5,shipped\n"
			       : "order_id,customer_id,order_date,amount,status\no1,c1,2024-01-01,5,Storniert\n"
				 "o2,c1,2024-01-02,5,Geliefert\no3,c1,2024-01-03,5,shipped\n",
			NULL,
			"ticket_id,customer_id,issue_type,ticket_date,resolution_status\nt1,c1,x,2024-01-01,offen\n"
			"t2,c1,x,2024-01-02,geschlossen\n",
		};
		Silver s;
		Input in[SRC_COUNT];
		CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
		const Source *ti = &s.src[SRC_TICKETS], *or = &s.src[SRC_ORDERS];
		CHECK(k == 1 ? !ti->diags.tally[D_UNKNOWN_STATUSES].count
			     : note_has(ti, D_UNKNOWN_STATUSES, "2 of the 2 tickets' resolution_status are values c360 does not "
						 "know (\"Offen\", \"Geschlossen\"): they count as open tickets; map them in "
						 "[categories] (ticket_status.LABEL = VALUE, LABEL one of Closed, Resolved, Open, "
						 "Pending)"), "case %d: tickets", k);
		CHECK(k ? !or->diags.tally[D_UNKNOWN_STATUSES].count
			: note_has(or, D_UNKNOWN_STATUSES, "2 of the 3 orders' status are values c360 does not know "
						 "(\"Storniert\", \"Geliefert\"): they count as valid orders"), "case %d: orders", k);
		inputs_free(&s, in);
		config_free(&cfg);
		buf_free(&err);
	}
}

/* A hostile status or device of 27 KB is named in its warning cut short, between characters,
 * with "…": the warnings that list unknown values (unknown_statuses, unknown_status,
 * unknown_devices) stay lines of a few hundred bytes. */
static void test_long_values_cut(void **state)
{
	(void)state;
	Config cfg = test_config();
	Buf longv = {0}, orders = {0}, payments = {0}, sessions = {0};
	for (int i = 0; i < 13500; i++)	/* é: two bytes, so that byte 60 falls inside one */
		buf_puts(&longv, "\xc3\xa9");
	buf_printf(&orders, "order_id,customer_id,order_date,amount,status\no1,c1,2024-01-01,5,storniert%s\n"
		   "o2,c1,2024-01-02,5,geliefert\n", buf_cstr(&longv));
	buf_printf(&payments, "payment_id,customer_id,payment_date,payment_method,payment_status,amount\n"
		   "p1,c1,2024-01-03,cash,settled %s,5\n", buf_cstr(&longv));
	buf_printf(&sessions, "session_id,customer_id,page_viewed,session_time,device_type\n"
		   "s1,c1,/,2024-01-01,desktop%s\n", buf_cstr(&longv));
	const char *text[SRC_COUNT] = {"customer_id\nc1\n", buf_cstr(&orders), buf_cstr(&payments), NULL, buf_cstr(&sessions)};
	Silver s;
	Input in[SRC_COUNT];
	CHECK(silver_inputs(&s, &cfg, text, NULL, in), "builds");
	/* 60 bytes at most: "Storniert" and 25 é (59 bytes), not half of the 26th */
	const char *cut = "(\"Storniert\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6\", \"Geliefert\")";
	CHECK(note_has(&s.src[SRC_ORDERS], D_UNKNOWN_STATUSES, cut), "the value cut: %s",
	      s.src[SRC_ORDERS].diags.tally[D_UNKNOWN_STATUSES].nsamples
		      ? s.src[SRC_ORDERS].diags.tally[D_UNKNOWN_STATUSES].sample[0].text : "none said");
	const struct {
		SourceId src;
		DiagCode code;
	} said[] = {{SRC_ORDERS, D_UNKNOWN_STATUSES}, {SRC_PAYMENTS, D_UNKNOWN_STATUS}, {SRC_SESSIONS, D_UNKNOWN_DEVICES}};
	for (size_t i = 0; i < sizeof said / sizeof *said; i++) {
		const DiagTally *t = &s.src[said[i].src].diags.tally[said[i].code];
		CHECK(t->nsamples == 1, "%s: said", diag_info[said[i].code].name);
		CHECK(strlen(t->sample[0].text) < 400 && strstr(t->sample[0].text, "\xc3\xa9\xe2\x80\xa6\""),
		      "%s: %zu bytes, cut with \xe2\x80\xa6: %.200s", diag_info[said[i].code].name, strlen(t->sample[0].text),
		      t->sample[0].text);
	}
	inputs_free(&s, in);
	buf_free(&longv), buf_free(&orders), buf_free(&payments), buf_free(&sessions);
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
	/* at most 100 views: each made has SQLite read the others again (3,000 in a chain: minutes) */
	Buf views = {0};
	buf_puts(&views, "[sql]\n");
	for (int v = 1; v <= 101; v++)
		buf_printf(&views, "v%d = SELECT * FROM v%d\n", v, v + 1);
	CHECK(!load(&cfg, buf_cstr(&views), &err) &&
	      strstr(buf_cstr(&err), ":102:1: error: v101: a view more than 100; a configuration holds at most that many\n") &&
	      cfg.nviews == 100, "views: %s", buf_cstr(&err));
	config_free(&cfg);
	buf_free(&views);
	/* a key that is no source's is a view: its name, its key's place, its text's lines */
	CHECK(load(&cfg, "[sql]\norders = SELECT * FROM zoned\n\nzoned =\n    SELECT 1 AS x\n    -- the zones\n    , 2 AS y\n"
			 "other_2 = SELECT * FROM zoned\n", &err), "%s", buf_cstr(&err));
	CHECK(cfg.nviews == 2 && strcmp(cfg.views[0].name, "zoned") == 0 && cfg.views[0].line == 4 &&
	      cfg.views[0].col == 1 && strcmp(cfg.views[1].name, "other_2") == 0 && cfg.views[1].line == 8, "views");
	q = &cfg.views[0].q;
	CHECK(strcmp(q->text, "SELECT 1 AS x\n-- the zones\n, 2 AS y") == 0 && q->nlines == 3 && q->line[0] == 5 &&
	      q->col[0] == 5 && q->line[2] == 7, "the view's text: %s", q->text);
	CHECK(strcmp(cfg.sql[SRC_ORDERS].text, "SELECT * FROM zoned") == 0, "the source's");
	config_free(&cfg);
	buf_free(&err);
}

/* Each bad line is named by file, line and column, with what is expected. */
/* customer_pages: its values, and the default by the customer count, said with its reason. */
static void test_customer_pages(void **state)
{
	(void)state;
	static const struct { const char *v; int mode; uint32_t top; } cases[] = {
		{"files", PAGES_FILES, 0}, {"packed", PAGES_PACKED, 0}, {"none", PAGES_NONE, 0},
		{"top 1", PAGES_TOP, 1}, {"top 100000000", PAGES_TOP, 100000000}, {"top 0", -1, 0},
		{"top 100000001", -1, 0}, {"top", -1, 0}, {"top 5x", -1, 0}, {"top -5", -1, 0}, {"Packed", -1, 0},
		{"top  5", -1, 0}, {"", -1, 0},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Config cfg = test_config();
		bool ok = config_customer_pages(&cfg, cases[i].v);
		CHECK(ok == (cases[i].mode >= 0) && (!ok || (cfg.pages_mode == cases[i].mode && cfg.pages_top == cases[i].top)),
		      "customer_pages = %s", cases[i].v);
		config_free(&cfg);
	}
	Config cfg = test_config();
	Buf why = {0};
	CHECK(customer_pages_mode(&cfg, 200000, &why) == PAGES_FILES &&
	      strcmp(buf_cstr(&why), "files (200,000 customers <= 200,000; set customer_pages to change)") == 0, "%s", buf_cstr(&why));
	why.len = 0;
	CHECK(customer_pages_mode(&cfg, 1000000, &why) == PAGES_PACKED &&
	      strcmp(buf_cstr(&why), "packed (1,000,000 customers > 200,000; set customer_pages to change)") == 0, "%s", buf_cstr(&why));
	why.len = 0;
	config_customer_pages(&cfg, "top 7");
	CHECK(customer_pages_mode(&cfg, 1000000, &why) == PAGES_TOP && strcmp(buf_cstr(&why), "top 7 (set by customer_pages)") == 0,
	      "%s", buf_cstr(&why));
	buf_free(&why);
	config_free(&cfg);
}

static void test_bad_configs(void **state)
{
	(void)state;
	static const struct { const char *text, *want; } cases[] = {
		{"[read]\norders.delimiter = x\n", "test_config.conf:2:20: error: orders.delimiter: this value is not "
						     "valid; expected , ; | tab or auto"},
		{"[read]\norders.encoding = ebcdic\n", "test_config.conf:2:19: error: orders.encoding: this value is "
						       "not valid; expected utf-8 (the default), windows-1252, latin-1, or auto"},
		{"[read]\nheader_row = 0\n", ":2:14: error: header_row: this value is not valid; expected the line"},
		{"[read]\nfoo = 1\n", ":2:1: error: unknown key \"foo\"; see c360 help config"},
		{"[read]\ndelimeter = ;\n", ":2:1: error: unknown key \"delimeter\" (did you mean \"delimiter\"?)"},
		{"\n[categories]\ncolour.Red = rouge\n", ":3:1: error: unknown key \"colour.Red\""},
		/* a wrong label is the key's: its column is the label's, the key's after the map's dot */
		{"[categories]\norder_status. = x\n", ":2:14: error: order_status.: the label is missing after the "
						      "map's name: order_status.LABEL\n"},
		{"[categories]\ngender.Mr = Herr\n", ":2:8: error: gender.Mr: \"Mr\" is not a gender's label: Male, "
						  "Female, Other or Unknown\n"},
		{"[categories]\n  gender.\"Mr\" = Herr\n", ":2:10: error: gender.\"Mr\": \"Mr\" is not a gender's label"},
		{"[categories]\ngender.Male = \"Herr\n", ":2:15: error: gender.Male: a quote is never closed\n"},
		{"[columns]\norders.amount = \"Total\n", ":2:17: error: orders.amount: a quote is never closed\n"},
		{"[columns]\norders.amount = Total, \"Net\n", ":2:17: error: orders.amount: this value is not valid; expected "
							"more header names for it, separated by commas, e.g. "
							"customers.email = mail; none for a column the exports never have "
							"(customers.gender = none: no warning that it is missing) (a quote is "
							"never closed)\n"},
		/* none among header names: the column was looked for by the others, and by a header named none */
		{"[columns]\ncustomers.gender = Sex, none\n", ":2:20: error: customers.gender: this value is not valid; "
							  "expected more header names for it, separated by commas, e.g. "
							  "customers.email = mail; none for a column the exports never have "
							  "(customers.gender = none: no warning that it is missing) (none stands "
							  "alone, never among header names: a header named none is \"none\")\n"},
		{"[tables]\nt = a.csv\n[columns]\nt.x = NONE , y\n", ":4:7: error: t.x: this value is not valid; expected "
							      "a [tables] table's column NAME"},
		{"[currency]\nbase = euro\n", ":2:8: error: base: this value is not valid; expected the three-letter"},
		{"[currency]\nUSD = -1\n", ":2:7: error: USD: this value is not valid; expected what one unit of currency "
					   "CODE is worth in the base, e.g. USD = 0.92 (the rate of USD is a positive"},
		{"[currency]\nrates_file = nosuch.csv\n", ":2:14: error: rates_file: this value is not valid; expected a "
							  "file of CODE,rate lines, relative to this file (cannot "
							  "read the rates file"},
		{"[tables]\nmy-table = x.csv\n", ":2:1: error: unknown key \"my-table\""},
		{"[tables]\nt = a.csv\nt = b.csv\n", ":3:1: error: t is set again (line 2 sets it): keep one\n"},
		/* a file read as two tables: each held it whole (200 tables of a 1.2 MB file, 255 MB) */
		{"[tables]\nt1 = a.csv\nt2 = a.csv\n", ":3:6: error: t2: this value is not valid; expected a file in the data "
							"folder, read as SQL table TABLE (letters, digits, _) (the file of table t1 "
							"already (a SELECT may read a table twice: FROM t1 AS a JOIN t1 AS b))\n"},
		/* a key set twice: the last won without a word (helper 113) */
		{"title = first\ntitle = \"second\"\n", ":2:1: error: title is set again (line 1 sets it): keep one\n"},
		{"[columns]\ncustomers.email = a\n\ncustomers.email = b\n", ":4:1: error: customers.email is set again (line 2"},
		/* a key differs from another in case alone: set again (helper 115: usd after USD won) */
		{"[currency]\nbase = EUR\nUSD = 0.92\nusd = 0.5\n", ":4:1: error: usd is set again (line 3 sets it): keep one\n"},
		/* twenty errors said, then where reading stopped */
		{"a1 = 1\na2 = 1\na3 = 1\na4 = 1\na5 = 1\na6 = 1\na7 = 1\na8 = 1\na9 = 1\na10 = 1\na11 = 1\na12 = 1\n"
		 "a13 = 1\na14 = 1\na15 = 1\na16 = 1\na17 = 1\na18 = 1\na19 = 1\na20 = 1\na21 = 1\na22 = 1\na23 = 1\n",
		 "unknown key \"a21\"; see c360 help config\n" TEST_DIR "/test_config.conf:21: error: 20 errors or more; the lines "
		 "after this one were not read\n"},
		/* [columns] TABLE.NAME: a table's column; a source's unknown column is no table's */
		{"[columns]\nitems.amount = Total\n[tables]\nitem = items.csv\n",
		 ":2:1: error: [columns] items.amount: no source or [tables] table is named \"items\" (did you mean \"item\"?)"},
		{"[columns]\norders.amont = Total\n", ":2:1: error: unknown key \"orders.amont\" (did you mean \"orders.amount\"?)"},
		/* every error is said, not the first alone (helper 112) */
		{"titel = x\n[colums]\ncustomers.email = y\n[columns]\ncustomer.email = y\n",
		 ":1:1: error: unknown key \"titel\" (did you mean \"title\"?); see c360 help config\n"
		 TEST_DIR "/test_config.conf:2:1: error: unknown section [colums] (did you mean [columns]?)"},
		{"titel = x\n[colums]\ncustomers.email = y\n[columns]\ncustomer.email = y\n",
		 "]\n" TEST_DIR "/test_config.conf:5:1: error: [columns] customer.email: no source or [tables] table is named "
		 "\"customer\" (did you mean \"customers\"?)"},
		/* a [sql] key that is no source's is a view: a name of letters, digits and _ */
		{"[sql]\nproduct-list = SELECT 1\n", ":2:1: error: unknown key \"product-list\"; a key here is VIEW: a view"},
		{"[sql]\nOrders_2 = SELECT 1\nORDERS = SELECT 2\n", ":3:1: error: ORDERS: orders, a source's name, in another "
									     "case; a view's name is no source's\n"},
		{"[sql]\norders = SELECT 1\nORDERS = SELECT 2\n", ":3:1: error: ORDERS is set again (line 2 sets it): keep one\n"},
		{"[sql]\nv = SELECT 1\nV = SELECT 2\n", ":3:1: error: V is set again (line 2 sets it): keep one\n"},
		{"[tables]\nraw = a.csv\n[sql]\n  Raw = SELECT 1\n", ":4:3: error: Raw: the name of [tables] table raw; a view's "
									  "name is no table's\n"},
		{"[sql]\nraw = SELECT 1\n[tables]\nraw = a.csv\n", ":2:1: error: raw: the name of [tables] table raw"},
		{"[sql]\nsqlite_master = SELECT 1\n", ":2:1: error: sqlite_master: a name starting with sqlite_ is SQLite's own\n"},
		{"[read]\nv.delimiter = ;\n[sql]\nv = SELECT 1\n", ":2:1: error: [read] v: no source or [tables] table is named"},
		{"[sql]\norders =\n", ":2:1: error: orders: the value cannot be empty; expected a SELECT"},
		{"[s3]\nendpoint = ftp://x\n", ":2:12: error: endpoint: this value is not valid; expected an http://"},
		{"[s3]\nbase = EUR\n", ":2:1: error: unknown key \"base\" here: it belongs in [currency]\n"},
		{"orders.delimiter = ;\n", ":1:1: error: unknown key \"orders.delimiter\" here: it belongs in [read]\n"},
		{"= x\n", ":1:1: error: unknown key \"\"; see c360 help config\n"},	/* no key: found by fuzz_config */
		{"[bogus]\n", ":1:1: error: unknown section [bogus]; the sections are [files], [columns], [null], [read], "
			       "[tables], [sql], [categories], [currency] and [s3]\n"},
		{"[curency]\n", ":1:1: error: unknown section [curency] (did you mean [currency]?)"},
	};
	Buf err = {0};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Config cfg;
		CHECK(!load(&cfg, cases[i].text, &err), "%s loads", cases[i].text);
		CHECK(strstr(buf_cstr(&err), cases[i].want), "%s: got %s", cases[i].text, buf_cstr(&err));
		config_free(&cfg);
	}
	/* at most 4,096 keys: each is looked for among those before it, so a file of 40,000 [read]
	 * or [categories] keys took 7 s */
	Buf many = {0};
	buf_puts(&many, "[tables]\n");
	for (int i = 0; i < 4100; i++)
		buf_printf(&many, "t%d = f%d.csv\n", i, i);
	Config cfg;
	CHECK(!load(&cfg, buf_cstr(&many), &err), "4,100 keys load");
	CHECK(strstr(buf_cstr(&err), ":4098:1: error: more than 4096 keys; a configuration holds at most that many (this "
				    "key and the lines after it were not read)\n") && !strchr(buf_cstr(&err), '\n')[1],
	      "4,100 keys: said once, got %s", buf_cstr(&err));
	config_free(&cfg);
	many.len = 0;
	buf_puts(&many, "[tables]\n");
	for (int i = 0; i < 4096; i++)
		buf_printf(&many, "t%d = f%d.csv\n", i, i);
	CHECK(load(&cfg, buf_cstr(&many), &err), "4,096 keys: %s", buf_cstr(&err));
	config_free(&cfg);
	buf_free(&many);
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_and_quotes), cmocka_unit_test(test_names_none), cmocka_unit_test(test_real_headers),
		cmocka_unit_test(test_category_words), cmocka_unit_test(test_read_options),
		cmocka_unit_test(test_unknown_statuses), cmocka_unit_test(test_near_ids), cmocka_unit_test(test_long_values_cut), cmocka_unit_test(test_no_dates), cmocka_unit_test(test_borrowed_order),
		cmocka_unit_test(test_currency), cmocka_unit_test(test_decimal_by_evidence),
		cmocka_unit_test(test_currency_conversion), cmocka_unit_test(test_no_base_currency),
		cmocka_unit_test(test_delimiters_sniffed), cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_header_row_and_comments), cmocka_unit_test(test_report_footer), cmocka_unit_test(test_fill_down), cmocka_unit_test(test_column_nulls), cmocka_unit_test(test_gender_words), cmocka_unit_test(test_title_case_kept), cmocka_unit_test(test_unknown_devices), cmocka_unit_test(test_foreign_statuses),
		cmocka_unit_test(test_sql_text), cmocka_unit_test(test_bad_configs), cmocka_unit_test(test_unused_keys),
		cmocka_unit_test(test_customer_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
