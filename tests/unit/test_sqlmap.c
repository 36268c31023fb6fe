/* test_sqlmap.c — sources defined by SQL over files loaded as tables: lines kept, rows
 * conserved, SQL errors located in the configuration, missing table files. */
#include "harness.h"

#include <inttypes.h>
#include <sys/stat.h>

#define DIR TEST_DIR "/sqltest"

static void put(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", DIR, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* Loads the configuration text and builds silver from DIR; returns what silver_load says. */
static bool build(Silver *s, Config *cfg, const char *conf, Buf *err)
{
	mkdir(DIR, 0777);
	put("c360.conf", conf);
	*s = (Silver){0};	/* done frees it when the configuration stops the build first */
	config_defaults(cfg);
	cfg->data_dir = DIR;
	cfg->config_file = DIR "/c360.conf";
	cfg->verbosity = SAY_QUIET;
	err->len = 0;
	if (!config_load(cfg, cfg->config_file, err))
		return false;
	bool ok = silver_load(s, cfg);
	silver_report(err, s, SAY_VERBOSE);
	return ok;
}

static void done(Silver *s, Config *cfg, Buf *err)
{
	silver_free(s);
	config_free(cfg);
	buf_free(err);
}

static const char customers[] = "id,Full Name\n1,ann lee\n2,bob ray\n";
/* Line items: an order's first row carries its total; a malformed row; an order without a customer. */
static const char items[] = "Order,Customer,Date,Total,Item\n"
			    "A,1,2022-01-01,30.00,pen\n"
			    "A,,,,ink\n"
			    "B,2,2022-01-02,12.50,cap\n"
			    "C,2,2022-01-03,\"7.00,bad\n"
			    "D,,2022-01-04,5.00,mug\n"
			    "E,9,2022-01-05,8.00,hat\n";
/* The CRM and the line items, written into DIR. */
static void fixtures(void)
{
	mkdir(DIR, 0777);
	put("customers_x.csv", customers);
	put("items.csv", items);
	mkdir(DIR "/folder", 0777);
}

static const char conf_ok[] = "[tables]\ncrm = customers_x.csv\nitems = items.csv\n"
			      "[sql]\ncustomers = SELECT id AS customer_id, \"Full Name\" AS name, _file, _line FROM crm\n"
			      "orders =\n"
			      "    SELECT \"Order\" AS order_id, Customer AS customer_id, Date AS order_date,\n"
			      "           Total AS amount, 'complete' AS status, _file, min(_line) AS _line\n"
			      "    FROM items GROUP BY \"Order\"\n";

static void test_sql_sources(void **state)
{
	(void)state;
	fixtures();
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(build(&s, &cfg, conf_ok, &err), "builds: %s", buf_cstr(&err));
	const Source *or = &s.src[SRC_ORDERS];
	CHECK(s.nraw == 2 && s.raw[1].rows_read == 6 && s.raw[1].loaded == 5 && s.raw[1].nquarantine == 1,
	      "items: 6 rows read, 5 in the table, 1 quarantined");
	CHECK(s.raw[1].quarantine[0].line == 5, "the malformed row's line");
	CHECK(or->rows_read == 4 && or->table.n == 3 && or->nquarantine == 1, "orders: A B D E; D has no customer");
	CHECK(or->quarantine[0].line == 6 && or->quarantine[0].reason == D_MISSING_CUSTOMER_ID, "D's line is its file's");
	CHECK(row_by_id(&s, SRC_ORDERS, "A")->line == 2 && ((Order *)row_by_id(&s, SRC_ORDERS, "A"))->cents == 3000,
	      "A: the first row's line and total");
	const RowHead *e = row_by_id(&s, SRC_ORDERS, "E");
	CHECK(e && (e->flags & FLAG(D_ORPHAN_CUSTOMER)) && e->line == 7, "E: customer 9 inferred");
	CHECK(strstr(buf_cstr(&err), DIR "/items.csv:6:2: warning: [sql] orders: no customer_id; row quarantined"),
	      "a row is named by its file and line, the value by its column in the file: %s", buf_cstr(&err));
	CHECK(strstr(buf_cstr(&err), DIR "/items.csv:5:4: warning: quoted field never closed"), "the raw file's problem");
	CHECK(strcmp(ROW(CUSTOMERS(&s), Customer, 0)->name, "Ann Lee") == 0, "customers through their rules");
	CHECK(!s.src[SRC_PAYMENTS].sql && !s.src[SRC_PAYMENTS].present, "payments: no file, no SQL");
	done(&s, &cfg, &err);
}

/* Configurations whose build fails, and what its errors say. */
typedef struct {
	const char *conf, *want;
} Failing;

static void fails_saying(const Failing *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		Silver s;
		Config cfg;
		Buf err = {0};
		CHECK(!build(&s, &cfg, cases[i].conf, &err), "case %zu fails", i);
		CHECK(strstr(buf_cstr(&err), cases[i].want), "case %zu: %s", i, buf_cstr(&err));
		done(&s, &cfg, &err);
	}
}

/* Each SQL error names the configuration file, the line and column SQLite points at, and
 * SQLite's message. */
static void test_sql_errors(void **state)
{
	(void)state;
	fixtures();
	static const Failing cases[] = {
		{"[tables]\nitems = items.csv\n[sql]\norders =\n    SELECT \"Order\" AS order_id\n      FROM items WHERE Total >> )\n",
		 "c360.conf:6:33: error: [sql] orders: near \")\": syntax error"},
		{"[tables]\nitems = items.csv\n[sql]\norders =\n    SELECT \"Order\" AS order_id\n      FROM items WHERE\n",
		 "c360.conf:5:5: error: [sql] orders: incomplete input"},	/* no place: the SELECT's start */
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT Totl FROM items\n",
		 "c360.conf:4:17: error: [sql] orders: no such column: Totl"},
		/* a double-quoted name that is no column is an error too, not the text "Order Totl" */
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT \"Order Totl\" AS amount FROM items\n",
		 "c360.conf:4:17: error: [sql] orders: no such column: Order Totl"},
		{"[tables]\nitems = items.csv\n[sql]\norders = DELETE FROM items\n",
		 "c360.conf:4:10: error: [sql] orders: a source is one SELECT"},
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT 1;\n  SELECT 2\n",
		 "c360.conf:5:3: error: [sql] orders: a source is one SELECT"},
		/* only reading: no file of the machine attached, no PRAGMA */
		{"[tables]\nitems = items.csv\n[sql]\norders = ATTACH '/etc/hostname' AS h\n",
		 "c360.conf:4:10: error: [sql] orders: a source is one SELECT, which only reads the [tables] (no ATTACH"},
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT * FROM pragma_table_info('items')\n",
		 "c360.conf:4:10: error: [sql] orders: a source is one SELECT, which only reads"},
		/* nor fts3_tokenizer(), which shows a C function's address or sets one from a blob */
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT fts3_tokenizer('simple') AS order_id FROM items\n",
		 "c360.conf:4:17: error: [sql] orders: a source is one SELECT, which only reads"},
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT FTS3_Tokenizer('simple', x'4141414141414141') FROM items\n",
		 "c360.conf:4:17: error: [sql] orders: a source is one SELECT, which only reads"},
		/* a recursive WITH without an end: its rows stop where the files' rows allow */
		{"[tables]\nitems = items.csv\n[sql]\norders = WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)\n"
		 "  SELECT x AS order_id, 1 AS customer_id FROM c\n",
		 "c360.conf:4:10: error: [sql] orders: the SELECT gives more rows than c360 reads (4 times the rows of the [tables] files, and 100000)"},
		/* nor its time: one that never gives a row stops at sql_timeout (a second here) */
		{"sql_timeout = 1\n[tables]\nitems = items.csv\n[sql]\norders = WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
		 "SELECT x + 1 FROM c)\n  SELECT x AS order_id, 1 AS customer_id FROM c WHERE x < 0\n",
		 "c360.conf:5:10: error: [sql] orders: the SELECT ran longer than sql_timeout (1 s) allows; a recursive WITH "
		 "without an end, or a join that multiplies rows? If it needs longer, raise sql_timeout"},
		/* nor its bytes: a blob of a gigabyte, or rows of 16 MB each (helper 113: 7.4 GB) */
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT randomblob(1000000000) AS order_id FROM items\n",
		 "c360.conf:4:10: error: [sql] orders: string or blob too big"},
		{"[tables]\nitems = items.csv\n[sql]\norders = WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)\n"
		 "  SELECT hex(zeroblob(8000000)) || x AS order_id, 1 AS customer_id FROM c\n",
		 "c360.conf:4:10: error: [sql] orders: the SELECT gives more bytes than c360 reads (4 times the bytes of the [tables] files, and 64 MiB)"},
		/* ... the last row's bytes too (two values of 40 MB were read, the result then at its end) */
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT hex(zeroblob(20000000)) AS order_id, "
		 "hex(zeroblob(20000000)) AS customer_id\n",
		 "c360.conf:4:10: error: [sql] orders: the SELECT gives more bytes than c360 reads (4 times the bytes of the [tables] files, and 64 MiB)"},
		/* ... and SQLite's memory: a row's values, each within the bound of a value, are in it at once
		 * (thirty of 60 MB took 5 GB) */
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT hex(zeroblob(30000000)) AS a, hex(zeroblob(30000000)) AS b, "
		 "hex(zeroblob(30000000)) AS c, hex(zeroblob(30000000)) AS d, hex(zeroblob(30000000)) AS e, hex(zeroblob(30000000)) AS f\n",
		 "c360.conf:4:10: error: [sql] orders: the SELECT needs more memory than c360 gives it (4 times the bytes it may give); a row of many long values?"},
		{"[tables]\nitems = items.csv\n[sql]\norders = BEGIN\n",
		 "c360.conf:4:10: error: [sql] orders: a source is one SELECT, which only reads"},
		/* a table named as a source: two things of one name in [read] and gold/data_quality.csv,
		 * which c360 render refused; a name SQLite keeps, which it refused as the file's error */
		{"[tables]\ncustomers = items.csv\n", "c360.conf:2:1: error: customers: a source's name; name the table otherwise"},
		/* [columns] TABLE._file: the table's own column (a header's column of that name was _file_2,
		 * one it lacked made a second _file, and no table) */
		{"[tables]\nitems = items.csv\n[columns]\nitems._FILE = Item\n",
		 "c360.conf:4:7: error: items._FILE: _file and _line are the table's own columns"},
		{"[tables]\nSQLite_x = items.csv\n", "c360.conf:2:1: error: SQLite_x: a name starting with sqlite_ is SQLite's own"},
		{"[tables]\nitems = nosuch.csv\n[sql]\norders = SELECT * FROM items\n",
		 "c360.conf:4:10: error: [sql] orders: no such table: items (its file " DIR "/nosuch.csv is missing)"},
		/* a folder is not missing: it could not be read (its own error says why) */
		{"[tables]\nitems = folder\n[sql]\norders = SELECT * FROM items\n",
		 "c360.conf:4:10: error: [sql] orders: no such table: items (its file " DIR "/folder could not be read)"},
	};
	fails_saying(cases, N_ELEMS(cases));
}

/* What only reads is run: a table-valued function (json_each, whose first use SQLite records
 * in its schema) explodes each line item into two orders. */
static void test_table_valued(void **state)
{
	(void)state;
	fixtures();
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(build(&s, &cfg, "[tables]\ncrm = customers_x.csv\nitems = items.csv\n[sql]\n"
			      "customers = SELECT id AS customer_id FROM crm\n"
			      "orders = SELECT Item || j.value AS order_id, Customer AS customer_id, '2022-01-01' AS order_date\n"
			      "  FROM items, json_each('[1,2]') j WHERE Customer <> ''\n", &err), "builds: %s", buf_cstr(&err));
	CHECK(s.src[SRC_ORDERS].table.n == 6 && row_by_id(&s, SRC_ORDERS, "hat2"), "three items, two orders each: %zu",
	      s.src[SRC_ORDERS].table.n);
	done(&s, &cfg, &err);
}

/* A table's file is filled down as a source's is: the line item without its order's customer
 * (and the one after a malformed row) takes the customer above; without it, both have none. */
static void test_table_fill_down(void **state)
{
	(void)state;
	fixtures();
	for (int fill = 0; fill < 2; fill++) {
		Silver s;
		Config cfg;
		Buf err = {0};
		char conf[512];
		snprintf(conf, sizeof conf, "%s[tables]\ncrm = customers_x.csv\nitems = items.csv\n[sql]\n"
			 "customers = SELECT id AS customer_id FROM crm\n"
			 "orders = SELECT Item AS order_id, Customer AS customer_id, '2022-01-01' AS order_date FROM items\n",
			 fill ? "[read]\nitems.fill_down = Customer\n" : "");
		CHECK(build(&s, &cfg, conf, &err), "builds: %s", buf_cstr(&err));
		const Source *or = &s.src[SRC_ORDERS];
		size_t none = 0;
		for (size_t q = 0; q < or->nquarantine; q++)
			none += or->quarantine[q].reason == D_MISSING_CUSTOMER_ID;
		CHECK(none == (fill ? 0 : 2) && or->table.n == (fill ? 5 : 3), "fill %d: %zu without a customer, %zu rows", fill,
		      none, or->table.n);
		done(&s, &cfg, &err);
	}
}

/* A table's header that is no UTF-8 says which setting reads it, as a source's does: the
 * SELECT's "no such column" is then its garbled name; with the encoding set, nothing. */
static void test_table_header_encoding(void **state)
{
	(void)state;
	mkdir(DIR, 0777);
	put("customers_x.csv", customers);
	put("latin.csv", "id;Pr\xe9nom\n1;Ann\n");
	static const char *const conf[2] = {
		"[tables]\nlatin = latin.csv\n[sql]\ncustomers = SELECT id AS customer_id FROM latin\n",
		"[read]\nlatin.encoding = latin-1\n[tables]\nlatin = latin.csv\n[sql]\ncustomers = SELECT id AS customer_id FROM latin\n",
	};
	for (int k = 0; k < 2; k++) {
		Silver s;
		Config cfg;
		Buf err = {0};
		build(&s, &cfg, conf[k], &err);
		bool said = strstr(buf_cstr(&err), "latin.csv:1:2: warning: the header row has bytes that are not UTF-8") != NULL;
		CHECK(said == !k, "%s: %s", k ? "latin-1 set" : "unset", buf_cstr(&err));
		done(&s, &cfg, &err);
	}
}

/* A report's lines of notes before its header (Amazon's Date Range report) read as a header of
 * one column: the first line of more fields is named, with the header_row that reads it; with
 * header_row set, and for a table of one column whose rows have one, nothing. */
static void test_table_notes_before_header(void **state)
{
	(void)state;
	mkdir(DIR, 0777);
	put("customers_x.csv", customers);
	put("ledger.csv", "\"Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore transactions\"\n"
			  "\"All amounts in USD, unless specified\"\n"
			  "\"date/time\",\"type\",\"order id\"\n\"Jan 6, 2024 10:11:09 AM PST\",\"Order\",\"111-1\"\n");
	put("ids.csv", "id\n1\n2\n");
	static const struct {
		const char *conf, *says;
	} k[] = {
		{"[tables]\nledger = ledger.csv\n[sql]\ncustomers = SELECT \"order id\" AS customer_id FROM ledger\n",
		 "ledger.csv:3: note: the header row has one column, this line has 3 fields: if lines of notes come before "
		 "the header (a report's title, Amazon's Date Range report's seven), [read] ledger.header_row = 3 names the "
		 "header's line"},
		{"[read]\nledger.header_row = 3\n[tables]\nledger = ledger.csv\n[sql]\n"
		 "customers = SELECT \"order id\" AS customer_id FROM ledger\n", NULL},
		{"[tables]\nids = ids.csv\n[sql]\ncustomers = SELECT id AS customer_id FROM ids\n", NULL},
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
		Silver s;
		Config cfg;
		Buf err = {0};
		bool built = build(&s, &cfg, k[i].conf, &err);
		CHECK(k[i].says ? !built && strstr(buf_cstr(&err), k[i].says) != NULL
				: built && !strstr(buf_cstr(&err), "header_row"), "%zu: %s", i, buf_cstr(&err));
		done(&s, &cfg, &err);
	}
}

/* An optional source whose table's file is missing is a missing source, not an error. */
static void test_missing_table_file(void **state)
{
	(void)state;
	mkdir(DIR, 0777);
	put("customers.csv", "customer_id\n1\n");
	put("orders.csv", "order_id,customer_id,order_date\no,1,2022-01-01\n");
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(build(&s, &cfg, "[tables]\npay = nosuch.csv\n[sql]\npayments = SELECT * FROM pay\n", &err), "builds: %s",
	      buf_cstr(&err));
	CHECK(!s.src[SRC_PAYMENTS].present && strstr(buf_cstr(&err), "nosuch.csv: warning: optional file missing: [sql] payments reads it; its sections"),
	      "said: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
}

/* An empty [tables] file is no table, as a missing one: an optional source reading it is left
 * out, empty, with a warning naming the file and the source (two may read it); a required one is an error that names it. A file
 * of a header alone is a table of no row. */
static void test_empty_table_file(void **state)
{
	(void)state;
	mkdir(DIR, 0777);
	put("customers.csv", "customer_id\n1\n");
	put("orders.csv", "order_id,customer_id,order_date\no,1,2022-01-01\n");
	put("empty.csv", "");
	put("head.csv", "id,cid\n");
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(build(&s, &cfg, "[tables]\npay = empty.csv\n[sql]\npayments = SELECT id AS payment_id FROM pay\n"
			      "support_tickets = SELECT id AS ticket_id FROM pay\n", &err),
	      "builds: %s", buf_cstr(&err));
	CHECK(s.src[SRC_PAYMENTS].present && !s.src[SRC_PAYMENTS].have_header && s.raw[0].present && s.raw[0].empty &&
	      s.src[SRC_TICKETS].present && !s.src[SRC_TICKETS].have_header, "payments and tickets empty, their table not made");
	CHECK(strstr(buf_cstr(&err), DIR "/empty.csv: warning: the file is empty (no header row): [sql] payments reads it; "
				    "its sections say \"no data\"") &&
	      strstr(buf_cstr(&err), DIR "/empty.csv: warning: the file is empty (no header row): [sql] support_tickets "
				    "reads it; its sections say \"no data\"") &&
	      !strstr(buf_cstr(&err), "error"), "each source named: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
	CHECK(!build(&s, &cfg, "[tables]\nitems = empty.csv\n[sql]\norders =\n  SELECT * FROM items\n", &err), "stops");
	CHECK(strstr(buf_cstr(&err), "c360.conf:5:3: error: [sql] orders: no such table: items (its file " DIR
				    "/empty.csv is empty: no header row)"), "said: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
	CHECK(build(&s, &cfg, "[tables]\npay = head.csv\n[sql]\npayments = SELECT id AS payment_id, cid AS customer_id FROM pay\n",
		    &err), "builds: %s", buf_cstr(&err));
	CHECK(s.src[SRC_PAYMENTS].present && s.src[SRC_PAYMENTS].have_header && !s.raw[0].empty && s.src[SRC_PAYMENTS].rows_read == 0,
	      "a header alone: a table of no row, payments loaded with none");
	done(&s, &cfg, &err);
}

/* A result that lacks a required column is named at its SELECT's line and column, as its SQL
 * errors are, whatever its rows' _file. */
static void test_result_lacks_column(void **state)
{
	(void)state;
	fixtures();
	put("customers.csv", "customer_id\n1\n");
	put("orders.csv", "order_id,customer_id,order_date\no,1,2022-01-01\n");
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(!build(&s, &cfg, "[tables]\nitems = items.csv\n[sql]\norders =\n    SELECT \"Order\" AS order_id\n    FROM items\n",
		     &err), "stops");
	CHECK(strstr(buf_cstr(&err), "c360.conf:5:5: error: [sql] orders: required column \"customer_id\" missing; "
				    "the header has: order_id"), "said: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
	CHECK(build(&s, &cfg, "[tables]\nitems = items.csv\n[sql]\npayments = SELECT \"Order\" AS payment_id, _file, _line FROM items\n",
		    &err), "builds: %s", buf_cstr(&err));
	CHECK(strstr(buf_cstr(&err), "c360.conf:4:12: warning: [sql] payments: required column \"customer_id\" missing; "
				    "this optional source is left out") && s.src[SRC_PAYMENTS].left_out, "said: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
}

/* A table's columns: header names as written, empty ones numbered, repeats (in any case) too. */
static void test_table_columns(void **state)
{
	(void)state;
	mkdir(DIR, 0777);
	put("customers.csv", "customer_id\n1\n");
	put("odd.csv", "Order #,,total,TOTAL,_line\nA1,x,5,6,7\n");
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(build(&s, &cfg,
		    "[tables]\nodd = odd.csv\n[sql]\norders = SELECT \"Order #\" AS order_id, '1' AS customer_id, "
		    "'2022-01-01' AS order_date, total || TOTAL_2 || _line_2 AS amount, column_2 AS status FROM odd\n",
		    &err), "builds: %s", buf_cstr(&err));
	const Order *o = (const Order *)row_by_id(&s, SRC_ORDERS, "A1");
	CHECK(o && o->cents == 56700, "total, TOTAL_2 and _line_2 are 5, 6 and 7");
	CHECK(o && strcmp(dict_label(&s.src[SRC_ORDERS].dict[OR_STATUS], o->status), "X") == 0, "column_2 is x");
	done(&s, &cfg, &err);
}

/* A [tables] file that is a workbook: said once what it is, not as a [columns] TABLE.NAME
 * that its "header" (a zip's bytes, listed) lacks, nor as rows (ragged, not UTF-8): none is
 * read, no table is made (its status not CSV, not loaded), and a SELECT reading it says so: a
 * required source's is an error, an optional one is left out, not CSV, as if its own file were. */
static void test_table_not_csv(void **state)
{
	(void)state;
	mkdir(DIR, 0777);
	put("customers.csv", "customer_id\n1\n");
	put("deals.csv", "PK\003\004\024\006|\001;x\n\002|\377y\n");
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(!build(&s, &cfg,
		     "[tables]\ndeals = deals.csv\n[columns]\ndeals.deal_id = Record ID\n[sql]\norders = SELECT deal_id AS "
		     "order_id, '1' AS customer_id, '2022-01-01' AS order_date, '5' AS amount FROM deals\n", &err),
	      "the SELECT fails");
	const char *said = buf_cstr(&err);
	CHECK(strstr(said, "deals.csv:1:1: warning: the file is a spreadsheet") && !strstr(said, "deals.deal_id") &&
	      !strstr(said, "separated") && !strstr(said, "deals.csv:2"), "said once: %s", said);
	CHECK(s.nraw == 1 && s.raw[0].rows_read == 0 && s.raw[0].loaded == 0 && s.raw[0].not_csv, "no rows read of it");
	CHECK(strstr(said, "c360.conf:6:10: error: [sql] orders: no such table: deals (its file " DIR "/deals.csv is not "
			   "CSV: a spreadsheet or JSON)"), "the SELECT's error: %s", said);
	size_t nt;
	TableQuality *t = quality_tables(&s, &nt);
	CHECK(nt == 1 && t[0].status == STATUS_NOT_CSV, "the table's status: %s", source_status_name[t[0].status]);
	free(t);
	done(&s, &cfg, &err);
	CHECK(build(&s, &cfg, "[tables]\ndeals = deals.csv\n[sql]\npayments = SELECT * FROM deals\n", &err),
	      "an optional source left out: %s", buf_cstr(&err));
	SourceQuality q[SRC_COUNT];
	quality_measure(&s, q);
	CHECK(q[SRC_PAYMENTS].status == STATUS_NOT_CSV && strstr(buf_cstr(&err), DIR "/deals.csv: warning: [sql] payments "
		"reads it, and it is not CSV (its warning says what it is): this optional source is left out and its "
		"sections say so"), "payments not CSV (%s): %s", source_status_name[q[SRC_PAYMENTS].status], buf_cstr(&err));
	quality_free(q);
	done(&s, &cfg, &err);
}

/* [columns] TABLE.NAME gives its column NAME even when the header has a column NAME of its own:
 * that one is NAME_2 (it took NAME, and the SELECT read the old address, when it came first). */
static void test_table_column_named_wins(void **state)
{
	(void)state;
	mkdir(DIR, 0777);
	put("crm.csv", "id,Email,E-mail Address\n1,old@example.org,new@example.org\n");
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(build(&s, &cfg,
		    "[tables]\ncrm = crm.csv\n[columns]\ncrm.email = E-mail Address\n[sql]\ncustomers = SELECT id AS "
		    "customer_id, email, email_2 AS name FROM crm\n", &err), "builds: %s", buf_cstr(&err));
	const Customer *c = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, "1");
	CHECK(c && c->email && strcmp(c->email, "new@example.org") == 0, "email is E-mail Address: %s", c ? c->email : "");
	CHECK(c && c->name && strcmp(c->name, "Old@example.org") == 0, "email_2 is the header's Email: %s", c ? c->name : "");
	done(&s, &cfg, &err);
}

/* A header of more columns than SQLite's tables hold is an error at the first of them, said at
 * once, and its rows are quarantined as such; 1,998 columns of one name are numbered (in a moment:
 * each name was compared with every name before it for each number tried, half a minute; not
 * timed here, a unit test under valgrind takes its own time). */
static void test_table_wide_header(void **state)
{
	(void)state;
	mkdir(DIR, 0777);
	put("customers.csv", "customer_id\n1\n");
	Buf wide = {0};
	for (int i = 0; i < 70000; i++)
		buf_printf(&wide, "%sc%d", i ? "," : "", i);
	buf_puts(&wide, "\n1\n");
	put("wide.csv", buf_cstr(&wide));
	buf_free(&wide);
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(!build(&s, &cfg, "[tables]\nwide = wide.csv\n[sql]\norders = SELECT c0 AS order_id FROM wide\n", &err),
	      "fails");
	CHECK(strstr(buf_cstr(&err), "wide.csv:1:1999: error: cannot read: the header has more than 65536 columns; a [tables] "
				     "table holds at most 1998 (SQLite's limit)") &&
	      strstr(buf_cstr(&err), "wide.csv:2: warning: the table was not made (its header's error says why); row "
				     "quarantined"), "said: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
	Buf same = {0};
	for (int i = 0; i < 1998; i++)
		buf_puts(&same, i ? ",a" : "a");
	buf_puts(&same, "\n");
	for (int i = 0; i < 1998; i++)
		buf_printf(&same, "%s%d", i ? "," : "", i);
	buf_puts(&same, "\n");
	put("same.csv", buf_cstr(&same));
	buf_free(&same);
	CHECK(build(&s, &cfg, "[tables]\nsame = same.csv\n[sql]\norders = SELECT a_1998 AS order_id, a AS customer_id, "
			      "'2022-01-01' AS order_date FROM same\n", &err), "builds: %s", buf_cstr(&err));
	CHECK(row_by_id(&s, SRC_ORDERS, "1997"), "a_1998 is the last column");
	done(&s, &cfg, &err);
}

/* A _file that is no table's file (a value of the data, 10 MB of it, a line end in it) does not
 * name the messages: the source's SQL does. */
static void test_sql_file_not_a_table(void **state)
{
	(void)state;
	fixtures();
	Silver s;
	Config cfg;
	Buf err = {0};
	build(&s, &cfg, "[tables]\ncrm = customers_x.csv\n[sql]\ncustomers = SELECT id AS customer_id FROM crm\n"
			"orders = SELECT 'o1' AS order_id, '' AS customer_id, printf('%.*c', 100000, 'F') || char(10) || "
			"'c360: wrote site' AS _file, 7 AS _line\n", &err);	/* no order left: no as-of date */
	CHECK(strstr(buf_cstr(&err), "[sql] orders:7: warning: no customer_id; row quarantined") &&
	      !strstr(buf_cstr(&err), "FFFF"), "named by the SQL: %.300s", buf_cstr(&err));
	done(&s, &cfg, &err);
}

/* A problem with a value the SELECT takes as it is from the table its _file is names the value's
 * column in that file (the header's, whatever [columns] calls it); a value the SELECT makes, or
 * one of another table's, no column; nor one of rows from two files (named by the SQL). */
static void test_sql_file_columns(void **state)
{
	(void)state;
	fixtures();
	put("items2.csv", "Item,Order,Customer\npen,F,\n");
	static const struct {
		const char *orders, *said, *also;
	} cases[] = {
		{"SELECT \"Order\" AS order_id, trim(buyer) AS customer_id, _file, _line FROM items",
		 DIR "/items.csv:3: warning: [sql] orders: no customer_id"},	/* made by the SELECT */
		{"SELECT \"Order\" AS order_id, buyer AS customer_id, _file, _line FROM items",
		 DIR "/items.csv:3:2: warning: [sql] orders: no customer_id"},	/* [columns] items.buyer = Customer */
		{"SELECT \"Order\" AS order_id, Customer AS customer_id, _file, _line FROM (SELECT * FROM more)",
		 DIR "/items2.csv:2:3: warning: [sql] orders: no customer_id"},	/* another header's order, a subquery */
		{"SELECT i.\"Order\" AS order_id, m.\"Order\" AS customer_id, i._file, i._line FROM items i "
		 "LEFT JOIN more m ON m.\"Order\" = i.\"Order\"",
		 DIR "/items.csv:2: warning: [sql] orders: no customer_id"},	/* more's column, though items has one of its name */
		{"SELECT \"Order\" AS order_id, Customer AS customer_id, _file, _line FROM more "
		 "UNION ALL SELECT \"Order\", buyer, _file, _line FROM items",
		 DIR "/items2.csv:2:3: warning: [sql] orders: no customer_id",	/* two files: each row's own, */
		 DIR "/items.csv:3: warning: [sql] orders: no customer_id"},	/* the columns the first SELECT's file's */
		{"SELECT \"Order\" AS order_id, Customer AS customer_id, _file, _line FROM more "
		 "UNION ALL SELECT \"Order\", buyer, _file, _line FROM items",
		 DIR "/items.csv:7: note: [sql] orders: customer_id \"9\" is not in the CRM"},	/* said after the SELECT */
		{"SELECT \"Order\" AS order_id, Customer AS customer_id, _file, _line FROM more "
		 "UNION ALL SELECT \"Order\", buyer, Item AS _file, _line FROM items",
		 DIR "/items2.csv:2:3: warning: [sql] orders: no customer_id",	/* a value as _file names none: */
		 "\n[sql] orders:3: warning: no customer_id"},	/* the SELECT's, said once */
		{"SELECT \"Order\" AS order_id, buyer AS customer_id, _file, _line FROM items WHERE 0 "
		 "UNION ALL SELECT \"Order\", Customer, _file, _line FROM more",
		 DIR "/items2.csv:2: warning: [sql] orders: no customer_id"},	/* SQLite's origin: the first SELECT's */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		Silver s;
		Config cfg;
		Buf err = {0}, conf = {0};
		buf_printf(&conf, "[tables]\ncrm = customers_x.csv\nitems = items.csv\nmore = items2.csv\n"
				  "[columns]\nitems.buyer = Customer\n"
				  "[sql]\ncustomers = SELECT id AS customer_id, _file, _line FROM crm\norders = %s\n",
			   cases[i].orders);
		build(&s, &cfg, buf_cstr(&conf), &err);
		CHECK(strstr(buf_cstr(&err), cases[i].said), "%zu: %s, not in: %s", i, cases[i].said, buf_cstr(&err));
		CHECK(!cases[i].also || strstr(buf_cstr(&err), cases[i].also), "%zu: %s, not in: %s", i, cases[i].also,
		      buf_cstr(&err));
		done(&s, &cfg, &err);
		buf_free(&conf);
	}
}

/* A comment after the SELECT's ";" is no second statement (it was refused as one). */
static void test_sql_trailing_comment(void **state)
{
	(void)state;
	fixtures();
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(build(&s, &cfg, "[tables]\ncrm = customers_x.csv\n[sql]\ncustomers = SELECT id AS customer_id FROM crm;"
			      " -- the CRM\norders = SELECT 'o' || id AS order_id, id AS customer_id, '2022-01-01' AS order_date "
			      "FROM crm; /* every customer */ ;\n", &err), "builds: %s", buf_cstr(&err));
	CHECK(s.src[SRC_ORDERS].table.n == 2, "two orders: %zu", s.src[SRC_ORDERS].table.n);
	done(&s, &cfg, &err);
}

/* amount(): amounts as c360 reads them, where SQLite's arithmetic reads "1,299.00" as 1; what it
 * cannot read null and said; a number the SELECT makes read with the source's decimal comma. */
static void test_sql_amount(void **state)
{
	(void)state;
	mkdir(DIR, 0777);
	put("customers.csv", "customer_id\n1\n");
	put("pay.csv", "id,Amount,Refunded\nA,\"1,299.00\",129.90\nB,€45.90,\nC,abc,0\nD,\"1,299\",0\n"
		       "E,(12.50),\nF,7,x9\n");
	static const char sql[] = "[tables]\npay = pay.csv\n[sql]\norders = SELECT id AS order_id, '1' AS customer_id, "
				  "'2024-01-01' AS order_date, amount(Amount) - coalesce(amount(Refunded), 0) AS amount, "
				  "'complete' AS status FROM pay\n";
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(build(&s, &cfg, sql, &err), "builds: %s", buf_cstr(&err));
	static const struct { const char *id; int64_t cents; } want[] = {
		{"A", 116910}, {"B", 4590}, {"C", AMOUNT_NULL}, {"D", AMOUNT_NULL}, {"E", -1250}, {"F", 700},	/* x9 null, coalesce()d to 0 */
	};
	for (size_t i = 0; i < N_ELEMS(want); i++) {
		const Order *o = (const Order *)row_by_id(&s, SRC_ORDERS, want[i].id);
		CHECK(o && o->cents == want[i].cents, "%s: %" PRId64, want[i].id, o ? o->cents : 0);
	}
	CHECK(strstr(buf_cstr(&err), "warning: amount() gave null for \"abc\", no amount (2 calls given no amount)") &&
	      strstr(buf_cstr(&err), "amount() gave null for \"1,299\", its separator either a decimal one or one of "
				     "thousands (1 call given such a value); give it: amount(x, '.')"), "said: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
	/* the separator given; a decimal comma the source's, the SELECT's 1224.06 read with it */
	/* ... an amount of 16 digits whole (SQLite's own text of it keeps 15: 12345678901234.6), and a
	 * number that is no amount as SQLite writes it (customer 1.0 is 1, not "1,0") */
	put("pay.csv", "id,Amount,Refunded\nA,\"1.234,56\",\"10,50\"\nB,\"1,299\",\nC,\"12.345.678.901.234,56\",\n");
	CHECK(build(&s, &cfg,
		    "[read]\norders.decimal = ,\n[tables]\npay = pay.csv\n[sql]\norders = SELECT id AS order_id, "
		    "CAST(1 AS REAL) AS customer_id, '2024-01-01' AS order_date, "
		    "amount(Amount) - coalesce(amount(Refunded), 0) AS amount, "
		    "'complete' AS status FROM pay\ncustomers = SELECT 1 AS customer_id, amount('1,299', '.') AS name\n", &err),
	      "builds: %s", buf_cstr(&err));
	const Order *a = (const Order *)row_by_id(&s, SRC_ORDERS, "A"), *b = (const Order *)row_by_id(&s, SRC_ORDERS, "B"),
		    *big = (const Order *)row_by_id(&s, SRC_ORDERS, "C");
	CHECK(a && a->cents == 122406 && b && b->cents == 130, "1.234,56 - 10,50 and 1,299 (1.30): %" PRId64 " %" PRId64,
	      a ? a->cents : 0, b ? b->cents : 0);
	CHECK(big && big->cents == 1234567890123456, "12.345.678.901.234,56: %" PRId64, big ? big->cents : 0);
	CHECK(a && !(a->h.flags & FLAG(D_ORPHAN_CUSTOMER)) && a->h.customer == 0, "customer 1.0 is the CRM's 1: %u %u",
	      a ? a->h.customer : 0, a ? a->h.flags : 0);
	const Customer *c = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, "1");
	CHECK(c && c->name && strcmp(c->name, "1299.0") == 0, "amount('1,299', '.'): %s", c ? c->name : "");
	CHECK(!strstr(buf_cstr(&err), "amount()"), "nothing to say: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
	/* a number the SELECT makes read by its fewest digits: 2.01 / 2 is 1.005, half up 1.01 (all 17 digits of
	 * the double are 1.0049999999999999: 1.00) */
	put("pay.csv", "id,Amount\nG,2.01\n");
	CHECK(build(&s, &cfg, "[tables]\npay = pay.csv\n[sql]\norders = SELECT id AS order_id, '1' AS customer_id, "
			      "'2024-01-01' AS order_date, amount(Amount) / 2 AS amount, 'complete' AS status FROM pay\n", &err),
	      "builds: %s", buf_cstr(&err));
	const Order *g = (const Order *)row_by_id(&s, SRC_ORDERS, "G");
	CHECK(g && g->cents == 101, "2.01 / 2: %" PRId64, g ? g->cents : 0);
	done(&s, &cfg, &err);
	/* ... and by 15 digits below 10^13: a sum's error past them is no cents, nor shown in a
	 * quarantined row (0.1 + 0.2 is 0.30000000000000004 in a double) */
	put("pay.csv", "id,Amount,Buyer\nH,0.1,\nI,1.1,1\n");
	CHECK(build(&s, &cfg, "[tables]\npay = pay.csv\n[sql]\norders = SELECT id AS order_id, Buyer AS customer_id, "
			      "'2024-01-01' AS order_date, amount(Amount) + 0.2 AS amount, 'complete' AS status FROM pay\n", &err),
	      "builds: %s", buf_cstr(&err));
	const Source *hq = &s.src[SRC_ORDERS];
	CHECK(hq->nquarantine == 1 && hq->quarantine[0].rawlen == strlen("H,,2024-01-01,0.3,complete") &&
	      memcmp(hq->quarantine[0].raw, "H,,2024-01-01,0.3,complete", hq->quarantine[0].rawlen) == 0,
	      "the row as the SELECT made it: %.*s", hq->nquarantine ? (int)hq->quarantine[0].rawlen : 0,
	      hq->nquarantine ? hq->quarantine[0].raw : "");
	const Order *io = (const Order *)row_by_id(&s, SRC_ORDERS, "I");
	CHECK(io && io->cents == 130, "1.1 + 0.2 (1.3000000000000003): %" PRId64, io ? io->cents : 0);
	done(&s, &cfg, &err);
	CHECK(!build(&s, &cfg, "[tables]\npay = pay.csv\n[sql]\norders = SELECT id AS order_id, '1' AS customer_id, "
			       "amount(Amount, ';') AS amount FROM pay\n", &err) &&
	      strstr(buf_cstr(&err), "amount(x, decimal): the decimal separator is '.' or ','"), "%s", buf_cstr(&err));
	done(&s, &cfg, &err);
	/* a currency named that is not the source's: dropped, its amount read as the base's, said unless the
	 * result selects a currency (which [currency] converts); the base's own, a $ where the file's currency
	 * is another (it gives way, as in a file), or no base at all (no conversion): nothing to say */
	put("pay.csv", "id,Amount\nH,€12.00\nI,$5.00\nJ,€3.00\nK,\"1 234,56 SEK\"\n");
	static const struct {
		const char *conf, *said;
	} cur[] = {
		{"[currency]\nbase = USD\nEUR = 1.10\nSEK = 0.09\n", "warning: amount() dropped the currency of \"€12.00\" (EUR; 3 calls "
		 "given another currency than USD, whose amounts they are now read as): select it in a column of its own, AS currency"},
		{"[currency]\nbase = USD\nEUR = 1.10\nSEK = 0.09\n[read]\norders.currency = EUR\n",
		 "warning: amount() dropped the currency of \"1 234,56 SEK\" (SEK; 1 call given another currency than EUR,"},
		{"[currency]\nbase = EUR\nSEK = 0.09\nCAD = 0.7\n[read]\norders.currency = CAD\n",
		 "warning: amount() dropped the currency of \"€12.00\" (EUR; 3 calls given another currency than CAD,"},
		{"", NULL},
	};
	for (size_t i = 0; i < N_ELEMS(cur); i++) {
		for (int with = 0; with < 2; with++) {
			Buf conf = {0};
			buf_printf(&conf, "%s[tables]\npay = pay.csv\n[sql]\norders = SELECT id AS order_id, '1' AS customer_id, "
					  "'2024-01-01' AS order_date, amount(Amount) AS amount, 'complete' AS status%s FROM pay\n",
				   cur[i].conf, with ? ", 'USD' AS currency" : "");
			CHECK(build(&s, &cfg, buf_cstr(&conf), &err), "%zu builds: %s", i, buf_cstr(&err));
			bool said = strstr(buf_cstr(&err), "amount() dropped") != NULL;
			if (cur[i].said && !with)
				CHECK(strstr(buf_cstr(&err), cur[i].said), "%zu: %s, not in: %s", i, cur[i].said, buf_cstr(&err));
			else
				CHECK(!said, "%zu%s: nothing to say: %s", i, with ? " with a currency column" : "", buf_cstr(&err));
			done(&s, &cfg, &err);
			buf_free(&conf);
		}
	}
}

/* The quarantined row of a source at line, or NULL. */
static const Quarantined *quarantined_at(const Source *src, uint32_t line)
{
	for (size_t i = 0; i < src->nquarantine; i++)
		if (src->quarantine[i].line == line)
			return &src->quarantine[i];
	return NULL;
}

/* Views: a [sql] key that is no source's. One view read by two sources, a view of a view defined
 * after it, a row's problem named by the raw file's line and column through both; no warning. */
static void test_sql_views(void **state)
{
	(void)state;
	fixtures();
	Silver s;
	Config cfg;
	Buf err = {0};
	CHECK(build(&s, &cfg, "[tables]\ncrm = customers_x.csv\nitems = items.csv\n[sql]\n"
			      "customers = SELECT id AS customer_id, \"Full Name\" AS name, _file, _line FROM crm\n"
			      "orders =\n"
			      "    SELECT \"Order\" AS order_id, Customer AS customer_id, Date AS order_date,\n"
			      "           Total AS amount, 'complete' AS status, _file, _line\n"
			      "    FROM firsts\n"
			      "firsts = SELECT * FROM sold WHERE Total <> ''\n"
			      "sold = SELECT i.*, upper(Item) AS what FROM items AS i\n"
			      "payments = SELECT \"Order\" || '-' || what AS payment_id, Customer AS customer_id, Date AS payment_date,\n"
			      "  Total AS amount, _file, _line FROM sold WHERE Total <> ''\n", &err),
	      "builds: %s", buf_cstr(&err));
	const Source *or = &s.src[SRC_ORDERS], *pay = &s.src[SRC_PAYMENTS];
	CHECK(or->rows_read == 4 && or->table.n == 3 && pay->rows_read == 4 && pay->table.n == 3,
	      "orders and payments: A B D E, D without a customer: %" PRIu64 " %zu", or->rows_read, or->table.n);
	CHECK(row_by_id(&s, SRC_PAYMENTS, "A-PEN") && row_by_id(&s, SRC_ORDERS, "E")->line == 7, "rows through the views");
	CHECK(strstr(buf_cstr(&err), DIR "/items.csv:6:2: warning: [sql] orders: no customer_id; row quarantined") &&
	      strstr(buf_cstr(&err), DIR "/items.csv:6:2: warning: [sql] payments: no customer_id; row quarantined"),
	      "named by the file's line and column through a view of a view: %s", buf_cstr(&err));
	CHECK(!strstr(buf_cstr(&err), "reads this view"), "%s", buf_cstr(&err));
	done(&s, &cfg, &err);
}

/* A view's errors are located in its own text, and a source reading it says it is not made; a
 * circle of views is an error (never a loop); a view is checked as a source is (one SELECT that
 * only reads); the bounds on a source's rows, bytes and time hold when a view costs them. */
static void test_sql_view_errors(void **state)
{
	(void)state;
	fixtures();
	static const Failing cases[] = {
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT * FROM v\nv =\n  SELECT Totl FROM items\n",
		 "c360.conf:6:10: error: [sql] v: no such column: Totl\n"},
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT * FROM v\nv =\n  SELECT Totl FROM items\n",
		 "c360.conf:4:10: error: [sql] orders: view v (line 5) is not made: its own error says why\n"},
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT * FROM a\na = SELECT * FROM b\nb = SELECT * FROM items, a\n",
		 "c360.conf:6:5: error: [sql] b: views read each other in a circle (b reads a, which reads b); a view cannot "
		 "read itself, nor a view that reads it\n"},
		{"[tables]\nitems = items.csv\n[sql]\na = SELECT * FROM a\norders = SELECT 1\n",
		 "c360.conf:4:5: error: [sql] a: views read each other in a circle (a reads a); a view"},
		{"[tables]\nitems = items.csv\n[sql]\nv = DELETE FROM items\norders = SELECT * FROM v\n",
		 "c360.conf:4:5: error: [sql] v: a view is one SELECT\n"},
		{"[tables]\nitems = items.csv\n[sql]\nv = SELECT 1;\n  SELECT 2\norders = SELECT * FROM v\n",
		 "c360.conf:5:3: error: [sql] v: a view is one SELECT\n"},
		{"[tables]\nitems = items.csv\n[sql]\nv = ATTACH '/etc/hostname' AS h\norders = SELECT * FROM v\n",
		 "c360.conf:4:5: error: [sql] v: a view is one SELECT, which only reads the [tables] (no ATTACH"},
		/* a table-valued PRAGMA asks as it runs: refused then, SQLite saying not in which view */
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT * FROM v\nv = SELECT * FROM pragma_table_info('items')\n",
		 "c360.conf:4:10: error: [sql] orders: a source (and a view it reads) is one SELECT, which only reads"},
		{"[tables]\nitems = items.csv\n[sql]\norders = SELECT * FROM v\nv = SELECT ?1 AS x\n",
		 "c360.conf:5:5: error: [sql] v: parameters are not allowed in views\n"},
		{"[tables]\nitems = items.csv\n[sql]\nitems = SELECT 1\norders = SELECT * FROM items\n",
		 "c360.conf:4:1: error: items: the name of [tables] table items; a view's name is no table's\n"},
		{"[sql]\nItems = SELECT 1\norders = SELECT * FROM items\n[tables]\nitems = items.csv\n",
		 "c360.conf:2:1: error: Items: the name of [tables] table items; a view's name is no table's\n"},
		{"[sql]\nOrders = SELECT 1\n", "c360.conf:2:1: error: Orders: orders, a source's name, in another case; a "
					    "view's name is no source's\n"},
		{"[sql]\nsqlite_v = SELECT 1\n", "c360.conf:2:1: error: sqlite_v: a name starting with sqlite_ is SQLite's own\n"},
		{"[sql]\nmy-view = SELECT 1\n", "c360.conf:2:1: error: unknown key \"my-view\"; a key here is VIEW: a view"},
		/* a table missing under a view: the source's error, at its reading the view */
		{"[tables]\nitems = nosuch.csv\n[sql]\norders =\n  SELECT * FROM v\nv = SELECT * FROM items\n",
		 "c360.conf:5:3: error: [sql] orders: no such table: items (its file " DIR "/nosuch.csv is missing)\n"},
		/* the bounds: a recursive view without an end, a blob too big, a view that never gives a row */
		{"[tables]\nitems = items.csv\n[sql]\nc = WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c\n"
		 "orders = SELECT x AS order_id, 1 AS customer_id FROM c\n",
		 "c360.conf:5:10: error: [sql] orders: the SELECT gives more rows than c360 reads"},
		{"[tables]\nitems = items.csv\n[sql]\nb = SELECT randomblob(1000000000) AS x FROM items\n"
		 "orders = SELECT x AS order_id FROM b\n",
		 "c360.conf:5:10: error: [sql] orders: string or blob too big"},
		{"sql_timeout = 1\n[tables]\nitems = items.csv\n[sql]\nc = WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
		 "SELECT x + 1 FROM c) SELECT x FROM c\norders = SELECT count(*) AS order_id FROM c\n",
		 "c360.conf:6:10: error: [sql] orders: the SELECT ran longer than sql_timeout (1 s) allows"},
		{"[tables]\nitems = items.csv\n[sql]\nc = WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)\n"
		 "  SELECT hex(zeroblob(8000000)) || x AS y FROM c\norders = SELECT y AS order_id, 1 AS customer_id FROM c\n",
		 "c360.conf:6:10: error: [sql] orders: the SELECT gives more bytes than c360 reads"},
	};
	fails_saying(cases, N_ELEMS(cases));
}

/* A view no source reads is still checked, and said (a note: "order =" would be a view, the
 * orders read from their file); a view only such a view reads too; a source's failure says
 * nothing of the views it may have read. A table missing under an optional source's view
 * leaves the source out, as a missing file. */
static void test_sql_view_unread(void **state)
{
	(void)state;
	fixtures();
	Silver s;
	Config cfg;
	Buf err = {0}, conf = {0};
	buf_printf(&conf, "%sorder = SELECT * FROM under\nunder = SELECT 1 AS x\n", conf_ok);
	CHECK(build(&s, &cfg, buf_cstr(&conf), &err), "builds: %s", buf_cstr(&err));
	CHECK(strstr(buf_cstr(&err), "c360.conf:10:1: note: [sql] order: no source's SELECT reads this view, nor a view "
				    "one reads (did you mean the source \"orders\"? A key that is no source's is a view)\n") &&
	      strstr(buf_cstr(&err), "c360.conf:11:1: note: [sql] under: no source's SELECT reads this view"),
	      "said: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
	conf.len = 0;
	buf_printf(&conf, "%sbad = SELECT nosuch FROM items\n", conf_ok);
	CHECK(!build(&s, &cfg, buf_cstr(&conf), &err), "fails");
	CHECK(strstr(buf_cstr(&err), "c360.conf:10:14: error: [sql] bad: no such column: nosuch\n") &&
	      !strstr(buf_cstr(&err), "reads this view"), "checked, not said unread: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
	CHECK(!build(&s, &cfg, "[tables]\nitems = items.csv\n[sql]\norders = SELECT nosuch, * FROM v\nv = SELECT 1\n", &err),
	      "fails");
	CHECK(!strstr(buf_cstr(&err), "reads this view"), "a source failed: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
	put("customers.csv", "customer_id\n1\n");
	put("orders.csv", "order_id,customer_id,order_date\no,1,2022-01-01\n");
	CHECK(build(&s, &cfg, "[tables]\npay = nosuch.csv\n[sql]\npayments = SELECT * FROM v\nv = SELECT * FROM pay\n", &err),
	      "builds: %s", buf_cstr(&err));
	CHECK(!s.src[SRC_PAYMENTS].present && strstr(buf_cstr(&err), "nosuch.csv: warning: optional file missing: [sql] "
									"payments reads it") && !strstr(buf_cstr(&err), "reads this view"),
	      "said: %s", buf_cstr(&err));
	done(&s, &cfg, &err);
	buf_free(&conf);
}

/* gold/quarantine.csv as gold_write writes it from s into *csv. */
static void quarantine_csv(const Silver *s, const Config *cfg, Buf *csv)
{
	Gold g = {0};
	Buf err = {0}, b = {0};
	CHECK(gold_build(s, &g, &err), "gold: %s", buf_cstr(&err));
	char dir[] = "/tmp/c360-sqlq-XXXXXX";
	CHECK(mkdtemp(dir), "temp dir");
	CHECK(gold_write(&g, cfg, dir, &err), "gold_write: %s", buf_cstr(&err));
	buf_printf(&b, "%s/gold/quarantine.csv", dir);
	csv->len = 0;
	CHECK(file_read(buf_cstr(&b), csv, &err), "read: %s", buf_cstr(&err));
	b.len = 0;
	buf_printf(&b, "rm -rf '%s'", dir);
	CHECK(system(buf_cstr(&b)) == 0, "clean up");
	gold_free(&g);
	buf_free(&b), buf_free(&err);
}

/* _quarantine: a result row whose value is text goes to quarantine, reason excluded, the text its
 * note, named by its _file and _line; NULL, '' and blanks keep the row; _quarantine is no column
 * of the source (its raw row lacks it). */
static void test_sql_quarantine(void **state)
{
	(void)state;
	fixtures();
	Silver s;
	Config cfg;
	Buf err = {0}, csv = {0};
	/* items: A (lines 2, 3), B 4, C (malformed, 5, in the table's quarantine), D 6 (no customer), E 7 */
	CHECK(build(&s, &cfg, "[tables]\ncrm = customers_x.csv\nitems = items.csv\n"
			      "[sql]\ncustomers = SELECT id AS customer_id, _file, _line FROM crm\n"
			      "orders = SELECT \"Order\" AS order_id, Customer AS customer_id, Date AS order_date,\n"
			      "    Total AS amount, 'complete' AS status, _file, min(_line) AS _line,\n"
			      "    CASE \"Order\" WHEN 'B' THEN 'a test order' WHEN 'D' THEN '  staff, \"free\"  '\n"
			      "                   WHEN 'A' THEN '' WHEN 'E' THEN '   ' END AS _quarantine\n"
			      "    FROM items GROUP BY \"Order\"\n", &err), "builds: %s", buf_cstr(&err));
	const Source *or = &s.src[SRC_ORDERS];
	/* A ('' ) and E (blanks) kept; B and D excluded (D's reason wins over its missing customer) */
	CHECK(or->rows_read == 4 && or->table.n == 2 && or->nquarantine == 2, "read 4, kept 2, quarantined 2: %" PRIu64
	      " %zu %zu", or->rows_read, or->table.n, or->nquarantine);
	CHECK(row_by_id(&s, SRC_ORDERS, "A") && row_by_id(&s, SRC_ORDERS, "E") && !row_by_id(&s, SRC_ORDERS, "B"),
	      "A and E kept, B not");
	const Quarantined *b = quarantined_at(or, 4), *d = quarantined_at(or, 6);
	CHECK(b && b->reason == D_EXCLUDED && b->note && strcmp(b->note, "a test order") == 0, "B at line 4: %s",
	      b && b->note ? b->note : "(none)");
	CHECK(d && d->reason == D_EXCLUDED && d->note && strcmp(d->note, "staff, \"free\"") == 0, "D at 6, trimmed: %s",
	      d && d->note ? d->note : "(none)");
	CHECK(b && b->rawlen == strlen("B,2,2022-01-02,12.50,complete") && memcmp(b->raw, "B,2,2022-01-02,12.50,complete",
	      b->rawlen) == 0, "the raw row: the source's columns, no _quarantine: %.*s", b ? (int)b->rawlen : 0, b ? b->raw : "");
	CHECK(or->reason_count[D_EXCLUDED - D_FIRST_REASON] == 2 && or->reason_count[D_MISSING_CUSTOMER_ID - D_FIRST_REASON] == 0,
	      "counted as excluded");
	CHECK(strstr(buf_cstr(&err), DIR "/items.csv:4: note: [sql] orders: the SELECT's _quarantine is \"a test order\"; row quarantined"),
	      "said at its file and line: %s", buf_cstr(&err));
	CHECK(!strstr(buf_cstr(&err), "_quarantine\" ignored"), "no unknown column: %s", buf_cstr(&err));
	quarantine_csv(&s, &cfg, &csv);
	CHECK(strstr(buf_cstr(&csv), "\norders,4,excluded: a test order,\"B,2,2022-01-02,12.50,complete\"\n") &&
	      strstr(buf_cstr(&csv), "\norders,6,\"excluded: staff, \"\"free\"\"\",\"D,,2022-01-04,5.00,complete\"\n") &&
	      strstr(buf_cstr(&csv), "\nitems,5,malformed_row,"), "gold/quarantine.csv: %s", buf_cstr(&csv));
	done(&s, &cfg, &err);

	/* a hostile reason: 10 KB cut to QUARANTINE_NOTE_MAX bytes and "…"; control bytes as \xNN, a
	 * backslash as \x5c; a formula and markup as they are (the cell starts "excluded: ", the page
	 * escapes); and _quarantine without _file or _line: the row's number in the result names it */
	put("notes.csv", "id\n1\n2\n3\n");
	Buf conf = {0};
	buf_puts(&conf, "[tables]\nn = notes.csv\n[sql]\ncustomers = SELECT id AS customer_id, CASE id WHEN '1' THEN "
			"hex(zeroblob(5120))");	/* 10240 zeros (a configuration's line holds 4096 bytes) */
	buf_puts(&conf, " WHEN '2' THEN 'a' || char(1) || char(27) || '[31m\\b' || char(10) || 'c' "
			"WHEN '3' THEN '=cmd|''/c calc''!A1 <script>alert(1)</script>' END AS _quarantine FROM n\n");
	CHECK(build(&s, &cfg, buf_cstr(&conf), &err), "builds: %s", buf_cstr(&err));
	const Source *cu = &s.src[SRC_CUSTOMERS];
	CHECK(cu->nquarantine == 3 && cu->rows_read == 3 && s.ncrm == 0, "all three quarantined: %zu of %" PRIu64 ", %zu in silver", cu->nquarantine, cu->rows_read, (size_t)s.ncrm);
	const Quarantined *q1 = quarantined_at(cu, 1), *q2 = quarantined_at(cu, 2), *q3 = quarantined_at(cu, 3);
	Buf want = {0};
	for (int i = 0; i < QUARANTINE_NOTE_MAX; i++)
		buf_putc(&want, '0');
	buf_puts(&want, "\xe2\x80\xa6");
	CHECK(q1 && q1->note && strcmp(q1->note, buf_cstr(&want)) == 0, "10 KB cut to %d bytes: %zu", QUARANTINE_NOTE_MAX,
	      q1 && q1->note ? strlen(q1->note) : 0);
	CHECK(q2 && q2->note && strcmp(q2->note, "a\\x01\\x1b[31m\\x5cb\\x0ac") == 0, "control bytes escaped: %s",
	      q2 && q2->note ? q2->note : "(none)");
	CHECK(q3 && q3->note && strcmp(q3->note, "=cmd|'/c calc'!A1 <script>alert(1)</script>") == 0, "as given: %s",
	      q3 && q3->note ? q3->note : "(none)");
	quarantine_csv(&s, &cfg, &csv);
	want.len = 0;
	buf_puts(&want, "\ncustomers,1,excluded: 0000000000");
	CHECK(strstr(buf_cstr(&csv), buf_cstr(&want)) && strlen(buf_cstr(&csv)) < 600, "bounded in gold: %zu bytes",
	      strlen(buf_cstr(&csv)));
	CHECK(strstr(buf_cstr(&csv), "\ncustomers,2,excluded: a\\x01\\x1b[31m\\x5cb\\x0ac,2\n") &&
	      strstr(buf_cstr(&csv), "\ncustomers,3,excluded: =cmd|'/c calc'!A1 <script>alert(1)</script>,3\n") &&
	      !strstr(buf_cstr(&csv), ",=cmd"), "no control byte, no cell starting with =: %s", buf_cstr(&csv));
	done(&s, &cfg, &err);
	buf_free(&conf), buf_free(&want);

	/* a compound SELECT: the first SELECT's column names; each row's own _quarantine */
	CHECK(build(&s, &cfg, "[tables]\ncrm = customers_x.csv\nitems = items.csv\n[sql]\n"
			      "customers = SELECT id AS customer_id, _file, _line, NULL AS _quarantine FROM crm\n"
			      "    UNION ALL SELECT Customer, _file, _line, 'from the items' FROM items WHERE Customer = '9'\n",
		    &err), "builds: %s", buf_cstr(&err));
	cu = &s.src[SRC_CUSTOMERS];
	CHECK(cu->rows_read == 3 && cu->table.n == 2 && cu->nquarantine == 1, "3 read, 2 kept: %zu %zu", cu->table.n,
	      cu->nquarantine);
	q1 = quarantined_at(cu, 7);
	CHECK(q1 && q1->reason == D_EXCLUDED && q1->note && strcmp(q1->note, "from the items") == 0,
	      "item E's customer at its line 7");
	done(&s, &cfg, &err);
	buf_free(&csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sql_sources), cmocka_unit_test(test_sql_errors), cmocka_unit_test(test_table_fill_down), cmocka_unit_test(test_table_valued),
		cmocka_unit_test(test_table_header_encoding), cmocka_unit_test(test_missing_table_file), cmocka_unit_test(test_table_columns), cmocka_unit_test(test_table_not_csv),
		cmocka_unit_test(test_sql_amount), cmocka_unit_test(test_table_column_named_wins), cmocka_unit_test(test_table_wide_header),
		cmocka_unit_test(test_table_notes_before_header),
		cmocka_unit_test(test_sql_file_not_a_table), cmocka_unit_test(test_sql_file_columns), cmocka_unit_test(test_sql_trailing_comment),
		cmocka_unit_test(test_empty_table_file), cmocka_unit_test(test_result_lacks_column), cmocka_unit_test(test_sql_quarantine),
		cmocka_unit_test(test_sql_views), cmocka_unit_test(test_sql_view_errors), cmocka_unit_test(test_sql_view_unread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
