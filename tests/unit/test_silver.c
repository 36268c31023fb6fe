/* test_silver.c — the table rules of SPEC §4-§5: headers, keys, duplicates, orphans,
 * date order, DOB, conservation. */
#include "harness.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <valgrind/memcheck.h>

static const char *const tutorial_like_customers =
	"customer_id,name,EMAIL,gender,dob,location\n"
	"1,ann lee,ann@x.com,f,1990-01-02,paris\n"
	"2,bob ray,bob@x.com,m,02-03-1985,rome\n";

static void test_header_names_match_loosely(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		"  Customer ID ,NAME,EMAIL,Gender,D O B,location,loyalty_tier\n1,a,a@b.co,f,,x,gold\n",
		"ORDER-ID,customer-id,Order Date,AMOUNT,status\n10,1,2022-01-01,5,complete\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	const Source *cu = &s.src[SRC_CUSTOMERS];
	static const int want[] = {0, 1, 2, 3, -1, 5};	/* "d_o_b" is not "dob" */
	for (int c = 0; c < CU_NCOLS; c++)
		CHECK(cu->field_of[c] == want[c], "customers column %s at field %d", cu->def->cols[c], cu->field_of[c]);
	CHECK(cu->diags.tally[D_COLUMN_UNKNOWN].count == 2, "d_o_b and loyalty_tier are reported as unknown");
	CHECK(cu->diags.tally[D_COLUMN_ABSENT].count == 1, "dob is reported missing");
	for (int c = 0; c < OR_NCOLS; c++)	/* currency is an extra column: absent here */
		CHECK(s.src[SRC_ORDERS].field_of[c] == (c == OR_CURRENCY ? -1 : c), "orders column %d", c);
	silver_free(&s);
}

/* A header name is as hostile as a value: its control bytes are written as \\xNN in messages. */
static void test_header_name_escaped_in_messages(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		"customer_id,name,email,gender,dob,location,\x1b[41mred\x07\n1,a,a@b.co,f,,x,y\n",
		"order_id,customer_id,order_date,amount,status\n10,1,2022-01-01,5,complete\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	const DiagTally *t = &s.src[SRC_CUSTOMERS].diags.tally[D_COLUMN_UNKNOWN];
	CHECK(t->nsamples == 1 && strstr(t->sample[0].text, "\\x1b[41mred\\x07") && !strchr(t->sample[0].text, '\x1b'),
	      "the name escaped: %s", t->nsamples ? t->sample[0].text : "");
	silver_free(&s);
}

static void test_aliases_from_config(void **state)
{
	(void)state;
	Config cfg = test_config();
	Buf err = {0};
	FILE *f = fopen(TEST_DIR "/test_alias.conf", "w");
	fputs("# aliases\n[columns]\ncustomers.email = Mail, E Mail Address\norders.amount = total\n", f);
	fclose(f);
	CHECK(config_load(&cfg, TEST_DIR "/test_alias.conf", &err), "%s", buf_cstr(&err));
	Silver s;
	const char *text[SRC_COUNT] = {
		"customer_id,name,e mail address,gender,dob,location\n1,a,a@b.co,f,,x\n",
		"order_id,customer_id,order_date,Total,status\n10,1,2022-01-01,5,complete\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(s.src[SRC_CUSTOMERS].field_of[CU_EMAIL] == 2, "alias of email");
	CHECK(ROW(&s.src[SRC_ORDERS].table, Order, 0)->cents == 500, "alias of amount");
	silver_free(&s);
	config_free(&cfg);
	buf_free(&err);
}

/* A workbook or JSON saved as an export is known by the file's first line with text, whatever
 * line header_row names the header (a zip's line 2 is bytes): said once, as a required source's
 * error or an optional one's left out, no delimiter found in it and no columns of its bytes. */
static void test_not_csv_by_first_line(void **state)
{
	(void)state;
	static const char zip[] = "PK\003\004\024\000\006\000|\n\001|\377;\002\n\003|\004\n";
	static const char json[] = "\n[{\"payment_id\": \"P1\", \"customer_id\": \"C1\"}]\n";
	static const struct { SourceId id; const char *text; size_t n; const char *conf; const char *what; } cases[] = {
		{SRC_PAYMENTS, zip, sizeof zip - 1, "[read]\npayments.header_row = 2\n", "a spreadsheet"},
		{SRC_CUSTOMERS, zip, sizeof zip - 1, "[read]\ncustomers.header_row = 2\n", "a spreadsheet"},
		{SRC_PAYMENTS, json, sizeof json - 1, "", "JSON"},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		Config cfg = test_config();
		Buf err = {0};
		FILE *f = fopen(TEST_DIR "/test_not_csv.conf", "w");
		fputs(cases[i].conf, f);
		fclose(f);
		CHECK(config_load(&cfg, TEST_DIR "/test_not_csv.conf", &err), "%s", buf_cstr(&err));
		Silver s;
		silver_init(&s, &cfg);
		const char *text[SRC_COUNT] = {tutorial_like_customers, "order_id,customer_id,order_date,amount\n10,1,2022-01-01,5\n"};
		for (int k = 0; k < SRC_COUNT; k++) {
			Source *src = &s.src[k];
			if (k != (int)cases[i].id && !text[k])
				continue;
			silver_source_init(&s, src, (SourceId)k);
			if (k == (int)cases[i].id) {
				input_from(&src->file, cases[i].text, cases[i].n);
				silver_source_input(&s, src, &src->file);
			} else {
				silver_source_feed(&s, src, text[k], strlen(text[k]), false);
			}
			silver_source_end(&s, src);
		}
		const Source *src = &s.src[cases[i].id];
		DiagCode said = src->def->required ? D_NO_HEADER : D_NOT_CSV;
		const DiagTally *t = &src->diags.tally[said];
		CHECK(t->count == 1 && t->nsamples && strstr(t->sample[0].text, cases[i].what), "case %zu: said what it is: %s",
		      i, t->nsamples ? t->sample[0].text : "");
		CHECK(!src->diags.tally[D_COLUMN_REQUIRED].count && !src->diags.tally[D_COLUMN_ABSENT].count &&
		      !src->diags.tally[D_COLUMN_UNKNOWN].count && !src->diags.tally[D_SOURCE_LEFT_OUT].count &&
		      !src->diags.tally[D_HEADER_ENCODING].count && !src->diags.tally[D_READ_AS].count &&
		      !src->diags.tally[D_LINES_SKIPPED].count,
		      "case %zu: its bytes read as no header, nor as separated by a delimiter, nor as lines before the header", i);
		CHECK(src->def->required ? src->broken : src->left_out != NULL, "case %zu: the build stops, or it is left out", i);
		SourceQuality q[SRC_COUNT];	/* check's summary of a build stopped: not "loaded" and the zip's lines */
		quality_measure(&s, q);
		CHECK(q[cases[i].id].status == STATUS_NOT_CSV, "case %zu: status %s", i, source_status_name[q[cases[i].id].status]);
		quality_free(q);
		silver_free(&s);
		config_free(&cfg);
		buf_free(&err);
	}
}

/* Columns in another order than the canonical one, and rows of fewer fields than the header:
 * each value read from its own column (silver_source_record's usual path skips the mapping). */
static void test_columns_in_any_order(void **state)
{
	(void)state;
	Config cfg = test_config();
	const char *text[][SRC_COUNT] = {
		{"location,dob,gender,email,name,customer_id\nOslo,1990-01-02,f,a@b.co,Ann,1\nRome,,m,,Bo,2\n,,,,Cy\n",
		 "amount,status,order_date,customer_id,order_id\n5,complete,2022-01-03,2,10\n7,complete,2022-01-04,1\n"},
		{"customer_id,name,email,gender,dob,location\n1,Ann,a@b.co,f,1990-01-02,Oslo\n2,Bo,,m,,Rome\n3,Cy\n",
		 "order_id,customer_id,order_date,amount,status\n10,2,2022-01-03,5,complete\n"},
	};
	for (size_t k = 0; k < N_ELEMS(text); k++) {
		Silver s;
		CHECK(silver_from(&s, &cfg, text[k]), "builds");
		const Table *cu = &s.src[SRC_CUSTOMERS].table, *o = &s.src[SRC_ORDERS].table;
		const Customer *ann = ROW(cu, Customer, 0), *bo = ROW(cu, Customer, 1);
		CHECK(cu->n == 2 + k && strcmp(ann->name, "Ann") == 0 && strcmp(ann->email, "a@b.co") == 0 &&
			      strcmp(ann->location, "Oslo") == 0 && ann->h.when == date_days(1990, 1, 2) * SECS_PER_DAY &&
			      bo->h.idlen == 1 && bo->h.id[0] == '2' && strcmp(bo->location, "Rome") == 0 && !bo->email,
		      "file %zu: the customers' values from their columns", k);
		CHECK(k == 0 || !ROW(cu, Customer, 2)->email, "a short row's missing fields null");
		const Order *r = ROW(o, Order, 0);
		CHECK(o->n == 1 && r->cents == 500 && r->h.idlen == 2 && memcmp(r->h.id, "10", 2) == 0 && r->h.customer == 1 &&
			      r->h.when == date_days(2022, 1, 3) * SECS_PER_DAY,
		      "file %zu: the order's values from their columns", k);
		silver_free(&s);
	}
}

/* Orders without the optional currency column (the usual export), its other columns in order:
 * each row as when its columns are mapped one by one (the same file with two columns swapped),
 * a short row's missing fields null, and a long row's extra field no currency. */
static void test_absent_currency_column(void **state)
{
	(void)state;
	Config cfg = test_config();
	strcpy(cfg.base_currency, "USD");	/* an unknown currency would flag the row */
	static const char *const rows[][6] = {	/* [5]: an extra field after the header's */
		{"10", "1", "2022-01-03", "5", "complete", NULL}, {"11", "1", "2022-01-04", "7", NULL, NULL},
		{"12", "2", "2022-01-05", "9", "complete", "XYZ"}, {"13", "2", "2022-01-06", "JPY 3", "pending", NULL},
		{"14", "1", NULL, NULL, NULL, NULL},
	};
	Buf in_order = {0}, swapped = {0};
	buf_puts(&in_order, "order_id,customer_id,order_date,amount,status\n");
	buf_puts(&swapped, "order_id,customer_id,order_date,status,amount\n");
	for (size_t i = 0; i < N_ELEMS(rows); i++) {
		buf_printf(&in_order, "%s,%s", rows[i][0], rows[i][1]);
		buf_printf(&swapped, "%s,%s", rows[i][0], rows[i][1]);
		for (int c = 2; c < 5 && rows[i][c]; c++)
			buf_printf(&in_order, ",%s", rows[i][c]);
		if (rows[i][2])
			buf_printf(&swapped, ",%s,%s,%s", rows[i][2], rows[i][4] ? rows[i][4] : "", rows[i][3] ? rows[i][3] : "");
		if (rows[i][5])
			buf_printf(&in_order, ",%s", rows[i][5]), buf_printf(&swapped, ",%s", rows[i][5]);
		buf_putc(&in_order, '\n'), buf_putc(&swapped, '\n');
	}
	const char *customers = "customer_id,name,email,gender,dob,location\n1,Ann,,,,\n2,Bo,,,,\n";
	const char *a[SRC_COUNT] = {customers, buf_cstr(&in_order)}, *b[SRC_COUNT] = {customers, buf_cstr(&swapped)};
	Silver sa, sb;
	CHECK(silver_from(&sa, &cfg, a) && silver_from(&sb, &cfg, b), "builds");
	const Table *ta = &sa.src[SRC_ORDERS].table, *tb = &sb.src[SRC_ORDERS].table;
	CHECK(ta->n == N_ELEMS(rows) && tb->n == ta->n, "%zu and %zu orders", ta->n, tb->n);
	for (size_t i = 0; i < ta->n; i++) {
		const Order *x = ROW(ta, Order, i), *y = ROW(tb, Order, i);
		uint32_t ragged = FLAG(D_RAGGED_ROW);
		CHECK(x->cents == y->cents && x->status == y->status && x->h.when == y->h.when &&
			      (x->h.flags & ~ragged) == (y->h.flags & ~ragged),
		      "row %zu: %lld %u %x against %lld %u %x", i, (long long)x->cents, x->status, x->h.flags,
		      (long long)y->cents, y->status, y->h.flags);
	}
	CHECK(ROW(ta, Order, 2)->cents == 900 && !(ROW(ta, Order, 2)->h.flags & FLAG(D_UNCONVERTIBLE_CURRENCY)),
	      "an extra field is no currency");
	CHECK(ROW(ta, Order, 3)->cents == AMOUNT_NULL && (ROW(ta, Order, 3)->h.flags & FLAG(D_UNCONVERTIBLE_CURRENCY)),
	      "the amount's own currency still counts");
	buf_free(&in_order), buf_free(&swapped);
	silver_free(&sa), silver_free(&sb);
}

static void test_missing_required_column_is_an_error(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {tutorial_like_customers, "order_id,order_date,amount\n10,2022-01-01,5\n"};
	CHECK(!silver_from(&s, &cfg, text), "cannot build without orders.customer_id");
	const DiagTally *t = &s.src[SRC_ORDERS].diags.tally[D_COLUMN_REQUIRED];
	CHECK(t->count == 1 && strstr(t->sample[0].text, "customer_id") &&
	      strstr(t->sample[0].text, "order_id, order_date, amount"), "names the column and the header: %s",
	      t->nsamples ? t->sample[0].text : "");
	CHECK(s.src[SRC_ORDERS].rows_read == s.src[SRC_ORDERS].nquarantine, "rows are kept in quarantine");
	silver_free(&s);
}

static void test_duplicate_header_keeps_first(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		"customer_id,name,email,email,gender,dob,location\n1,a,first@x.com,second@x.com,f,,p\n",
		"order_id,customer_id,order_date,amount,status\n",
	};
	silver_from(&s, &cfg, text);
	CHECK(s.src[SRC_CUSTOMERS].diags.tally[D_COLUMN_DUPLICATE].count == 1, "reported once");
	CHECK(strcmp(ROW(CUSTOMERS(&s), Customer, 0)->email, "first@x.com") == 0, "first column read");
	silver_free(&s);
}

static void test_keys_duplicates_and_quarantine(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		tutorial_like_customers,
		"order_id,customer_id,order_date,amount,status\n"
		"A,1,2022-01-01,1,complete\n"	/* line 2: replaced by line 6 */
		"B,1,2022-01-02,2,complete\n"
		"A,2,2022-01-03,3,complete\n"	/* line 4: replaced by line 6 */
		",1,2022-01-04,4,complete\n"	/* missing key */
		"A,1.0,2022-01-05,5,complete\n"	/* the A that stays */
		"C,NA,2022-01-06,6,complete\n"	/* missing customer id */
		"NA,,2022-01-07,7,complete\n",	/* missing key wins over missing customer */
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	const Source *o = &s.src[SRC_ORDERS];
	CHECK(o->table.n == 2, "silver keeps B and the last A, got %zu", o->table.n);
	Order *a = (Order *)row_by_id(&s, SRC_ORDERS, "A");
	CHECK(a && a->h.line == 6 && a->cents == 500, "the last A in file order wins");
	CHECK(ROW(&o->table, RowHead, 0)->line == 3, "silver keeps file order");
	static const struct { uint32_t line; DiagCode reason; } want[] = {
		{2, D_DUPLICATE_KEY}, {4, D_DUPLICATE_KEY}, {5, D_MISSING_KEY},
		{7, D_MISSING_CUSTOMER_ID}, {8, D_MISSING_KEY},
	};
	CHECK(o->nquarantine == N_ELEMS(want), "%zu quarantined", o->nquarantine);
	for (size_t i = 0; i < N_ELEMS(want); i++)
		CHECK(o->quarantine[i].line == want[i].line && o->quarantine[i].reason == want[i].reason,
		      "quarantine %zu: line %u reason %s", i, o->quarantine[i].line, diag_info[o->quarantine[i].reason].name);
	CHECK(strncmp(o->quarantine[0].raw, "A,1,2022-01-01,1,complete", o->quarantine[0].rawlen) == 0,
	      "quarantine keeps the raw row");
	CHECK(o->rows_read == o->table.n + o->nquarantine, "conservation");
	silver_free(&s);
}

static void test_orphans_become_inferred_customers(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		tutorial_like_customers,
		"order_id,customer_id,order_date,amount,status\nA,1,2022-01-01,1,complete\nB,77,2022-01-02,2,complete\n",
		"payment_id,customer_id,payment_date,payment_method,payment_status,amount\nP,77.0,2022-01-02,cash,paid,2\n",
		NULL,
		"session_id,customer_id,page_viewed,session_time,device_type\nS,88,/,2022-01-02,ios\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(CUSTOMERS(&s)->n == 4 && s.ncrm == 2, "two inferred customers, got %zu", CUSTOMERS(&s)->n);
	Customer *c77 = (Customer *)row_by_id(&s, SRC_CUSTOMERS, "77");
	CHECK(c77 && !c77->in_crm && c77->name == NULL && c77->gender == GENDER_UNKNOWN, "inferred profile Unknown");
	RowHead *b = row_by_id(&s, SRC_ORDERS, "B"), *p = row_by_id(&s, SRC_PAYMENTS, "P");
	CHECK(b->flags & FLAG(D_ORPHAN_CUSTOMER), "the order is flagged orphan_customer");
	CHECK(b->customer == p->customer && ROW(CUSTOMERS(&s), Customer, b->customer) == c77, "one customer for 77");
	CHECK(!(row_by_id(&s, SRC_ORDERS, "A")->flags & FLAG(D_ORPHAN_CUSTOMER)), "known customers are not orphans");
	CHECK(s.src[SRC_ORDERS].table.n == 2, "nothing dropped");
	silver_free(&s);
}

/* Keys that are e-mail addresses meet whatever their case (as the e-mail column is
 * lower-cased); other keys keep theirs: C7 and c7 are two customers. */
static void test_email_keys_ignore_case(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		"customer_id,name\nJane.Doe@Example.COM,Jane\nC7,Seven\nc7,Other seven\n",
		"order_id,customer_id,order_date,amount,status\nA,JANE.DOE@EXAMPLE.COM,2022-01-01,1,complete\n"
		"B,jane.doe@example.com,2022-01-02,2,complete\nC,c7,2022-01-03,3,complete\n"
		"D,Mike@Example.com,2022-01-04,4,complete\nE,mike@example.COM,2022-01-05,5,complete\n",
		"payment_id,customer_id,payment_date,payment_method,payment_status,amount\nP,jane.doe@EXAMPLE.com,2022-01-02,cash,paid,2\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(CUSTOMERS(&s)->n == 4 && s.ncrm == 3, "three CRM customers and one inferred, got %zu", CUSTOMERS(&s)->n);
	const RowHead *jane = row_by_id(&s, SRC_CUSTOMERS, "jane.doe@example.com");
	CHECK(jane && !row_by_id(&s, SRC_CUSTOMERS, "Jane.Doe@Example.COM"), "the key is lower-cased");
	uint32_t j = (uint32_t)(((const char *)jane - CUSTOMERS(&s)->rows) / CUSTOMERS(&s)->size);
	CHECK(row_by_id(&s, SRC_ORDERS, "A")->customer == j && row_by_id(&s, SRC_ORDERS, "B")->customer == j &&
	      row_by_id(&s, SRC_PAYMENTS, "P")->customer == j, "every spelling of Jane's address is Jane");
	CHECK(!(row_by_id(&s, SRC_ORDERS, "A")->flags & FLAG(D_ORPHAN_CUSTOMER)), "and no orphan");
	const RowHead *c7 = row_by_id(&s, SRC_CUSTOMERS, "c7");
	CHECK(c7 && row_by_id(&s, SRC_CUSTOMERS, "C7") != c7, "C7 and c7 stay two");
	CHECK(row_by_id(&s, SRC_ORDERS, "D")->customer == row_by_id(&s, SRC_ORDERS, "E")->customer &&
	      row_by_id(&s, SRC_CUSTOMERS, "mike@example.com"), "one inferred customer for Mike's two spellings");
	silver_free(&s);
}

/* The day/month order: column evidence, else dataset evidence, else the config. */
static void test_date_order_decisions(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		"customer_id,name,email,gender,dob,location\n1,a,,,03-04-1990,x\n",	/* no evidence of its own */
		"order_id,customer_id,order_date,amount,status\n"
		"A,1,05-06-2022,1,complete\nB,1,13-06-2022,1,complete\nC,1,14-06-2022,1,complete\n",	/* day-first */
		"payment_id,customer_id,payment_date,payment_method,payment_status,amount\n"
		"P,1,05-06-2022,cash,paid,1\nQ,1,06-30-2022,cash,paid,1\n",	/* month-first */
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(s.src[SRC_ORDERS].order == ORDER_DAY_FIRST && s.src[SRC_ORDERS].basis == BASIS_COLUMN, "orders");
	CHECK(s.src[SRC_PAYMENTS].order == ORDER_MONTH_FIRST && s.src[SRC_PAYMENTS].basis == BASIS_COLUMN, "payments");
	CHECK(strcmp(date_text(date_floor_day(row_by_id(&s, SRC_ORDERS, "A")->when)), "2022-06-05") == 0, "A day-first");
	CHECK(strcmp(date_text(date_floor_day(row_by_id(&s, SRC_PAYMENTS, "P")->when)), "2022-05-06") == 0,
	      "P month-first");
	/* customers.dob has none: the dataset has 2 day-first and 1 month-first. */
	CHECK(s.src[SRC_CUSTOMERS].basis == BASIS_DATASET && s.src[SRC_CUSTOMERS].order == ORDER_DAY_FIRST, "dob");
	CHECK(strcmp(date_text(date_floor_day(row_by_id(&s, SRC_CUSTOMERS, "1")->when)), "1990-04-03") == 0, "dob");
	silver_free(&s);

	/* No evidence anywhere: the config decides. */
	cfg.date_order = ORDER_MONTH_FIRST;
	const char *none[SRC_COUNT] = {
		"customer_id,name,email,gender,dob,location\n1,a,,,03-04-1990,x\n",
		"order_id,customer_id,order_date,amount,status\nA,1,05-06-2022,1,complete\n",
	};
	CHECK(silver_from(&s, &cfg, none), "builds");
	CHECK(s.src[SRC_ORDERS].basis == BASIS_CONFIG && s.src[SRC_ORDERS].order == ORDER_MONTH_FIRST, "config");
	CHECK(strcmp(date_text(date_floor_day(row_by_id(&s, SRC_ORDERS, "A")->when)), "2022-05-06") == 0, "A");
	CHECK(strcmp(date_text(date_floor_day(row_by_id(&s, SRC_CUSTOMERS, "1")->when)), "1990-03-04") == 0, "dob");
	SourceQuality qn[SRC_COUNT];
	quality_measure(&s, qn);
	Buf bn = {0};
	quality_table(&bn, qn, NULL, 0);	/* the order read the ambiguous values: not said to have read none */
	CHECK(strstr(buf_cstr(&bn), "date_order from the configuration; 1 ambiguous values\n") &&
	      !strstr(buf_cstr(&bn), "no value was read"), "config order used: %s", buf_cstr(&bn));
	buf_free(&bn);
	quality_free(qn);
	silver_free(&s);

	/* A tie (one of each, in the column and so in the dataset): the config decides, said as a tie. */
	const char *tie[SRC_COUNT] = {
		"customer_id,name,dob\n1,a,\n", "order_id,customer_id,order_date,amount,status\nA,1,13/01/2024,1,x\nB,1,01/14/2024,1,x\n",
	};
	CHECK(silver_from(&s, &cfg, tie), "builds");
	SourceQuality q[SRC_COUNT];
	quality_measure(&s, q);
	Buf b = {0};
	quality_table(&b, q, NULL, 0);
	CHECK(q[SRC_ORDERS].basis == BASIS_CONFIG &&
	      strstr(buf_cstr(&b), "1 day-first, 1 month-first, a tie, and the dataset's too; date_order from the configuration; "
				   "0 ambiguous values: no value was read by that order") &&
	      strstr(buf_cstr(&b), "dob,month-first,no day/month evidence in the column and none or a tie in the dataset"),
	      "a tie said: %s", buf_cstr(&b));
	buf_free(&b);
	quality_free(q);
	silver_free(&s);

	/* A date column the file lacks (a Shopify CRM's dob), and a file not there: no dates, no
	 * order decided for them, whatever the other columns' evidence (revB: dob day-first by the
	 * dataset's evidence, and the missing payments' payment_date too). */
	const char *nodob[SRC_COUNT] = {
		"customer_id,name,email\n1,a,\n", "order_id,customer_id,order_date,amount,status\nA,1,13/01/2024,1,x\n",
	};
	CHECK(silver_from(&s, &cfg, nodob), "builds");
	quality_measure(&s, q);
	b = (Buf){0};
	quality_table(&b, q, NULL, 0);
	CHECK(q[SRC_CUSTOMERS].unordered == DATES_ABSENT && q[SRC_PAYMENTS].unordered == DATES_ABSENT &&
	      q[SRC_ORDERS].unordered == DATES_ORDERED && q[SRC_ORDERS].basis == BASIS_COLUMN &&
	      strstr(buf_cstr(&b), "customers,date_order,dob,absent,\"not in customers.csv: no dates to read, no order decided\"\n"
				   "customers,date_basis,dob,,\ncustomers,date_evidence,day_first,0,\n") &&
	      strstr(buf_cstr(&b), "payments,date_order,payment_date,absent,") &&
	      strstr(buf_cstr(&b), "orders,date_order,order_date,day-first,\"column evidence: 1 day-first"),
	      "absent columns said: %s", buf_cstr(&b));
	buf_free(&b);
	quality_free(q);
	silver_free(&s);

	/* Ambiguous timestamps wait packed with their time and offset, the widest ones too. */
	const char *stamps[SRC_COUNT] = {
		"customer_id,name,email,gender,dob,location\n1,a,,,,x\n", "order_id,customer_id,order_date,amount,status\n",
		NULL, NULL,
		"session_id,customer_id,page_viewed,session_time,device_type\n"
		"S,1,/,05-06-2022 23:59:59-14:00,ios\nT,1,/,05-06-2022 00:00:00+14:00,ios\nU,1,/,05-06-2022 10:00+14:30,ios\n",
	};
	CHECK(silver_from(&s, &cfg, stamps), "builds");
	Buf m = {0};
	buf_moment(&m, row_by_id(&s, SRC_SESSIONS, "S")->when);
	CHECK(strcmp(buf_cstr(&m), "2022-05-07 13:59:59") == 0, "S: %s", buf_cstr(&m));
	m.len = 0;
	buf_moment(&m, row_by_id(&s, SRC_SESSIONS, "T")->when);
	CHECK(strcmp(buf_cstr(&m), "2022-05-05 10:00:00") == 0, "T: %s", buf_cstr(&m));
	CHECK(row_by_id(&s, SRC_SESSIONS, "U")->when == MOMENT_NULL &&
	      row_by_id(&s, SRC_SESSIONS, "U")->flags & FLAG(D_INVALID_DATE), "U: past +14:00 is invalid");
	buf_free(&m);
	silver_free(&s);
}

static void test_dob_plausibility_and_as_of(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		"customer_id,name,email,gender,dob,location\n"
		"1,a,,,2022-07-27,x\n"	/* after the as-of date */
		"2,b,,,1902-07-25,x\n"	/* more than 120 years before */
		"3,c,,,1902-07-26,x\n"	/* exactly 120 years: kept */
		"4,d,,,2022-07-26,x\n",	/* born on the as-of date: kept */
		"order_id,customer_id,order_date,amount,status\nA,1,2022-07-26,1,complete\nB,1,2022-06-01,1,complete\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(s.as_of == date_days(2022, 7, 26), "as-of is the latest event: %s", date_text(s.as_of));
	static const struct { const char *id; bool kept; } want[] = {{"1", false}, {"2", false}, {"3", true}, {"4", true}};
	for (size_t i = 0; i < N_ELEMS(want); i++) {
		RowHead *h = row_by_id(&s, SRC_CUSTOMERS, want[i].id);
		CHECK((h->when != MOMENT_NULL) == want[i].kept, "customer %s dob kept=%d", want[i].id, want[i].kept);
		CHECK(!(h->flags & FLAG(D_IMPLAUSIBLE_DOB)) == want[i].kept, "customer %s flag", want[i].id);
	}
	silver_free(&s);
	cfg.as_of = date_days(2022, 6, 30);
	CHECK(silver_from(&s, &cfg, text), "builds");
	CHECK(s.src[SRC_ORDERS].after_as_of == 1, "the order after --as-of is counted");
	silver_free(&s);
}

static void test_no_dated_fact_needs_as_of(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {tutorial_like_customers, "order_id,customer_id,order_date,amount,status\nA,1,,1,x\n"};
	CHECK(!silver_from(&s, &cfg, text), "cannot pick an as-of date");
	CHECK(s.general.tally[D_NO_AS_OF].count == 1, "says so");
	silver_free(&s);
	cfg.as_of = date_days(2022, 1, 1);
	CHECK(silver_from(&s, &cfg, text), "--as-of is enough");
	silver_free(&s);
}

static void test_ragged_rows_are_kept(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		tutorial_like_customers,
		"order_id,customer_id,order_date,amount,status\nA,1,2022-01-01\nB,1,2022-01-02,4,complete,extra,more\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	Order *a = (Order *)row_by_id(&s, SRC_ORDERS, "A"), *b = (Order *)row_by_id(&s, SRC_ORDERS, "B");
	CHECK(a && (a->h.flags & FLAG(D_RAGGED_ROW)) && a->cents == AMOUNT_NULL && a->status == OS_UNKNOWN,
	      "padded with nulls");
	CHECK(b && (b->h.flags & FLAG(D_RAGGED_ROW)) && b->cents == 400, "extra fields ignored, row kept");
	CHECK(strncmp(b->h.id - b->h.rawoff, "B,1,2022-01-02,4,complete,extra,more", b->h.rawlen) == 0,
	      "bronze keeps the extra text");
	silver_free(&s);
}

/* Every row ends in silver or quarantine, whatever the mess. */
static void test_conservation_on_messy_input(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	const char *text[SRC_COUNT] = {
		"\357\273\277customer_id,name,email,gender,dob,location\r\n1,a,,,,\r\n1,b,,,,\r\n\r\n,c,,,,\r\n2,\"d\"x,,,,\r\n",
		"order_id,customer_id,order_date,amount,status\n\nA,1,2022-01-01,1,ok\n\"B,1,2022-01-02\nC,,,,\nC,2,,,\n",
		"payment_id,customer_id,payment_date,payment_method,payment_status,amount\nP,\xff,2022-01-01,,,\nP,1\0,,,,\n",
		"ticket_id,customer_id,issue_type,ticket_date,resolution_status\n",
		"session_id,customer_id,page_viewed,session_time,device_type\nS,1,/,2022-01-01,ios\nS,1,/,bad,ios\n,,,,\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	for (int i = 0; i < SRC_COUNT; i++) {
		const Source *src = &s.src[i];
		size_t silver = silver_rows(&s, (SourceId)i);
		CHECK(src->rows_read == silver + src->nquarantine, "%s: %llu read, %zu silver, %zu quarantined",
		      src->def->name, (unsigned long long)src->rows_read, silver, src->nquarantine);
	}
	CHECK(s.src[SRC_CUSTOMERS].blank_lines == 1 && s.src[SRC_ORDERS].blank_lines == 1, "blank lines counted");
	CHECK(s.src[SRC_CUSTOMERS].rows_read == 4, "4 customer rows read");
	CHECK(s.src[SRC_ORDERS].reason_count[D_MALFORMED_ROW - D_FIRST_REASON] == 1, "the unterminated quote");
	silver_free(&s);
}

/* The source table is what every stage reads a source by: each row must be whole. */
static void test_source_table_is_consistent(void **state)
{
	(void)state;
	for (int i = 0; i < SRC_COUNT; i++) {
		const SourceDef *d = &source_defs[i];
		int dates = 0;
		CHECK(d->rule[0].kind == COL_KEY, "%s: column 0 is the key", d->name);
		CHECK((d->customer_col >= 0) == (i != SRC_CUSTOMERS), "%s: facts name a customer", d->name);
		if (d->customer_col >= 0)
			CHECK(d->rule[d->customer_col].kind == COL_CUSTOMER, "%s: customer column", d->name);
		CHECK(d->rule[d->date_col].kind == COL_DATE, "%s: date column", d->name);
		if (d->currency_col >= 0)
			CHECK(d->rule[d->currency_col].kind == COL_CURRENCY, "%s: currency column", d->name);
		for (int c = 0; c < d->ncols; c++) {
			const ColumnRule *r = &d->rule[c];
			dates += r->kind == COL_DATE;
			CHECK(d->cols[c] && *d->cols[c], "%s: column %d has a name", d->name, c);
			CHECK((r->kind == COL_CATEGORY) == (r->category != CAT_NONE), "%s.%s: category", d->name, d->cols[c]);
			if (r->kind >= COL_AMOUNT && r->kind != COL_CURRENCY)
				CHECK(r->at >= sizeof(RowHead) && r->at < d->row_size, "%s.%s: in the row", d->name, d->cols[c]);
		}
		CHECK(dates == 1, "%s: one date column", d->name);
	}
}

/* Every kind of column rule puts its value where the row keeps it. */
static void test_column_rules_fill_the_row(void **state)
{
	(void)state;
	Silver s;
	Config cfg = test_config();
	const char *text[SRC_COUNT] = {
		"customer_id,name,email,gender,dob,location\n 7.0 ,ada LOVELACE,ADA@Example.com,F,1990-03-04,new  york\n",
		"order_id,customer_id,order_date,amount,status\nA,7,2022-07-01,\"$1,234.50\",DELIVERED\n",
		"payment_id,customer_id,payment_date,payment_method,payment_status,amount\nP,7,2022-07-01,upi,declined,12\n",
		"ticket_id,customer_id,issue_type,ticket_date,resolution_status\nT,7,late_delivery,2022-07-01,solved\n",
		"session_id,customer_id,page_viewed,session_time,device_type\nS,7,Cart,2022-07-01 10:00,iPhone\n",
	};
	CHECK(silver_from(&s, &cfg, text), "builds");
	const Customer *c = (const Customer *)row_by_id(&s, SRC_CUSTOMERS, "7");
	CHECK(c && c->in_crm && strcmp(c->name, "Ada Lovelace") == 0 && strcmp(c->email, "ada@example.com") == 0 &&
	      c->gender == GENDER_FEMALE && strcmp(c->location, "New York") == 0, "customer 7");
	const Order *o = (const Order *)row_by_id(&s, SRC_ORDERS, "A");
	CHECK(o && o->cents == 123450 && o->status == OS_COMPLETED && o->h.customer == 0, "order A");
	const Payment *p = (const Payment *)row_by_id(&s, SRC_PAYMENTS, "P");
	CHECK(p && p->cents == 1200 && p->method == PM_UPI && p->status == PS_FAILED, "payment P");
	const Ticket *t = (const Ticket *)row_by_id(&s, SRC_TICKETS, "T");
	CHECK(t && t->status == TS_RESOLVED && strcmp(dict_label(&s.src[SRC_TICKETS].dict[TI_ISSUE], t->issue), "Late Delivery") == 0,
	      "ticket T");
	const Session *se = (const Session *)row_by_id(&s, SRC_SESSIONS, "S");
	CHECK(se && se->device == DV_IOS && strcmp(dict_label(&s.src[SRC_SESSIONS].dict[SE_PAGE], se->page), "/cart") == 0 &&
	      se->h.when == date_days(2022, 7, 1) * SECS_PER_DAY + 36000, "session S");
	silver_free(&s);
}

/* Once a file is read, its bytes keep only what silver points into, moved to the front (of the
 * bytes themselves, or of memory elsewhere when the file was mapped): keys (trimmed, or
 * overlapping a customer id), orphans' customer ids and quarantined rows' text. */
static void test_pack_keeps_what_rows_point_into(void **state)
{
	(void)state;
	for (int elsewhere = 0; elsewhere < 2; elsewhere++) {
		Config cfg = test_config();
		Silver s;
		silver_init(&s, &cfg);
		Source *cu = &s.src[SRC_CUSTOMERS], *o = &s.src[SRC_ORDERS];
		const char *people = "customer_id,name\n9,Al\n";
		silver_source_init(&s, cu, SRC_CUSTOMERS);
		silver_source_feed(&s, cu, people, strlen(people), false);
		silver_source_end(&s, cu);
		const char *text = "order_id,customer_id,order_date,amount,status\n"
				   "12,1,2022-01-01,5,complete\n"	/* a duplicate: its text is quarantined */
				   "\"7\"\"x\",9,2022-01-02,5,complete\n"	/* a key that is no bytes of the file */
				   "\"bad\"row,1,2022-01-04,5,complete\n"	/* malformed: text after a closing quote */
				   "12,3,2022-01-03,5,complete\n"
				   "  5 ,1,2022-01-05,5,complete\n";
		size_t len = strlen(text);
		char *bytes = xstrdup(text);
		silver_source_init(&s, o, SRC_ORDERS);
		silver_source_feed(&s, o, bytes, len, true);
		silver_source_end(&s, o);
		size_t room = silver_source_kept(o, bytes, len);	/* the 1 counted twice */
		CHECK(room == 26 + 32 + 2 + 1 + 1 + 1 + 1, "room for %zu bytes", room);
		char *to = elsewhere ? xmalloc(room) : bytes;	/* ASan: not a byte more is written */
		size_t kept = silver_source_pack(o, bytes, len, to);
		/* the duplicate's text (with the orphan id 1 at its start), the malformed row, 12, 3, 5, 1 */
		CHECK(kept == 26 + 32 + 2 + 1 + 1 + 1, "kept %zu bytes", kept);
		memset(to + kept, 'Z', (elsewhere ? room : len) - kept);
		if (elsewhere)
			memset(bytes, 'Z', len);
		CHECK(silver_finish(&s), "builds");
		static const char *const ids[] = {"7\"x", "12", "5"}, *const cids[] = {"9", "3", "1"};
		CHECK(o->table.n == 3, "three rows");
		for (size_t r = 0; r < 3 && r < o->table.n; r++) {
			const RowHead *h = ROW(&o->table, RowHead, r);
			const RowHead *c = ROW(&cu->table, RowHead, h->customer);
			CHECK(h->idlen == strlen(ids[r]) && memcmp(h->id, ids[r], h->idlen) == 0, "row %zu's key", r);
			CHECK(c->idlen == strlen(cids[r]) && memcmp(c->id, cids[r], c->idlen) == 0, "row %zu's customer", r);
			CHECK(h->rawlen == 0 && h->rawoff == 0, "no bronze text");
		}
		CHECK(o->nquarantine == 2, "two quarantined");
		CHECK(o->quarantine[0].rawlen == 26 && memcmp(o->quarantine[0].raw, "12,1,2022-01-01,5,complete", 26) == 0,
		      "the duplicate's text");
		CHECK(o->quarantine[1].rawlen == 32 &&
		      memcmp(o->quarantine[1].raw, "\"bad\"row,1,2022-01-04,5,complete", 32) == 0, "the malformed row's text");
		silver_free(&s);
		free(bytes);
		if (elsewhere)
			free(to);
	}
}

#define MAPDIR TEST_DIR "/maptest"

/* A file mapped, then cut short before it is read (an export rewritten under the build): the
 * pages gone read as zeros, never SIGBUS, and the file is said to have changed; a file left
 * alone is read whole and has not. */
static void test_mapped_file_cut_short(void **state)
{
	(void)state;
	Config cfg = test_config();
	cfg.data_dir = MAPDIR;
	mkdir(MAPDIR, 0777);
	Buf b = {0};
	buf_puts(&b, "order_id,customer_id,order_date,amount,status\n");
	for (int i = 0; i < 4000; i++)	/* 27 pages */
		buf_printf(&b, "o%05d,1,2022-01-01,5,complete\n", i);
	for (int cut = 0; cut < 2; cut++) {
		FILE *f = fopen(MAPDIR "/orders.csv", "w");
		CHECK(f && fwrite(b.p, 1, b.len, f) == b.len && fclose(f) == 0, "orders.csv written");
		Input in;
		Diags d = {0};
		CHECK(input_open(&cfg, "orders.csv", D_FILE_MISSING, &in, &d) && in.map && !input_changed(&in), "mapped");
		if (cut)
			CHECK(truncate(MAPDIR "/orders.csv", 5000) == 0, "cut short");
		Silver s;
		silver_init(&s, &cfg);
		Source *o = &s.src[SRC_ORDERS];
		silver_source_init(&s, o, SRC_ORDERS);
		silver_source_input(&s, o, &in);
		silver_source_end(&s, o);
		CHECK(input_changed(&in) == (cut == 1), "changed: %d", cut);
		CHECK(cut ? o->rows_read < 4000 : o->rows_read == 4000 && o->table.n == 4000, "%llu rows read",
		      (unsigned long long)o->rows_read);
		silver_free(&s);
		input_close(&in);
		diag_free(&d);
	}
	buf_free(&b);
}

/* A big array grown where it cannot grow in place (a mapping right after it) is moved onto a
 * mapping big_map made: its bytes are kept and the pages added are zeros, there to write; under
 * memcheck, addressable and defined (valgrind 3.19 took them for unaddressable, and every
 * table's row past its first 1024 for an invalid write). */
static void test_big_array_moved(void **state)
{
	(void)state;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), old = 16 * page, n = 64 * page;
	unsigned char *p = big_alloc(old);
	memset(p, 7, old);
	void *wall = mmap(p + old, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	unsigned char *q = big_realloc(p, old, n);
	CHECK(q != p || wall != p + old, "grown in place past the mapping after it");
	CHECK(VALGRIND_CHECK_MEM_IS_DEFINED(q, n) == 0, "the array moved is not all defined under memcheck");
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += q[i] != (i < old ? 7 : 0);
	CHECK(bad == 0, "%zu bytes not as they were or not zero", bad);
	memset(q + old, 1, n - old);
	big_free(q, n);
	if (wall != MAP_FAILED)
		munmap(wall, page);
}

/* More files open at once than there are slots for mappings: the rest are read whole, and
 * the mapped ones are as they were. */
static void test_mapped_slots_run_out(void **state)
{
	(void)state;
	Config cfg = test_config();
	cfg.data_dir = MAPDIR;
	mkdir(MAPDIR, 0777);
	static const char text[] = "order_id,customer_id,order_date,amount,status\no1,1,2022-01-01,5,complete\n";
	FILE *f = fopen(MAPDIR "/few.csv", "w");
	CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0, "few.csv written");
	enum { N = 80 };
	Input in[N];
	Diags d = {0};
	size_t maps = 0;
	for (int i = 0; i < N; i++)
		CHECK(input_open(&cfg, "few.csv", D_FILE_MISSING, &in[i], &d), "opened %d", i);
	for (int i = 0; i < N; i++) {
		maps += in[i].map != 0;
		CHECK(!input_changed(&in[i]) && in[i].len == strlen(text) && memcmp(in[i].data, text, in[i].len + 1) == 0,
		      "input %d as written", i);
	}
	CHECK(maps > 0 && maps < N, "%zu of %d mapped", maps, N);
	for (int i = 0; i < N; i++)
		input_close(&in[i]);
	diag_free(&d);
}

/* A chunk's labels join the source's, numbered on; a sealed dictionary is still searched, and
 * indexed again by the next label. */
static void test_dict_take_moves_labels(void **state)
{
	(void)state;
	Dict a = {0}, b = {0};
	dict_intern(&a, str_make("x", 1));
	dict_intern(&a, str_make("y", 1));
	dict_intern(&b, str_make("y", 1));
	dict_intern(&b, str_make("z\0z", 3));
	uint32_t map[2];
	dict_take(&a, &b, map);
	CHECK(map[0] == 1 && map[1] == 2, "y is a's 1, z\\0z is new: %u %u", map[0], map[1]);
	CHECK(a.n == 3 && dict_len(&a, 2) == 3 && memcmp(dict_label(&a, 2), "z\0z", 4) == 0 && b.n == 0,
	      "z\\0z's text in a, NUL-terminated; b is empty");
	CHECK(dict_find(&a, str_make("z\0z", 3)) == 2 && dict_find(&a, str_make("z", 1)) == INDEX_NONE, "found in a");
	dict_seal(&a);
	CHECK(a.ix.nslots == 0 && dict_find(&a, str_make("y", 1)) == 1 && dict_find(&a, str_make("w", 1)) == INDEX_NONE,
	      "sealed: no index, searched all the same");
	CHECK(dict_intern(&a, str_make("x", 1)) == 0 && dict_intern(&a, str_make("w", 1)) == 3 && a.ix.n == 4,
	      "indexed again by the next label");
	CHECK(strcmp(dict_label(&a, 0), "x") == 0 && strcmp(dict_label(&a, 3), "w") == 0, "texts kept");
	dict_free(&a);
}

/* A chunk with megabytes of labels gives its text back as it is copied: every label arrives
 * whole, in order, and the ones a already had keep their numbers. */
static void test_dict_take_many(void **state)
{
	(void)state;
	Dict a = {0}, b = {0};
	char text[32];
	for (int k = 0; k < 1000; k += 7)
		dict_intern(&a, str_make(text, (size_t)snprintf(text, sizeof text, "label number %07d", k)));
	uint32_t had = a.n;
	for (int k = 0; k < 200000; k++)	/* 4 MB of text */
		dict_intern(&b, str_make(text, (size_t)snprintf(text, sizeof text, "label number %07d", k)));
	uint32_t *map = malloc(b.n * sizeof *map);
	dict_take(&a, &b, map);
	bool ok = a.n == had + 200000 - had;
	for (int k = 0; ok && k < 200000; k++) {
		size_t n = (size_t)snprintf(text, sizeof text, "label number %07d", k);
		uint32_t want = k < 1000 && k % 7 == 0 ? (uint32_t)k / 7 : had + (uint32_t)(k - (k < 1000 ? k / 7 + 1 : 143));
		ok = map[k] == want && dict_len(&a, want) == n && memcmp(dict_label(&a, want), text, n + 1) == 0;
		if (!ok)
			print_error("label %d: map %u, want %u, text %s\n", k, map[k], want, dict_label(&a, map[k]));
	}
	CHECK(ok, "every label of b is in a, whole");
	free(map);
	dict_free(&a);
}

/* Duplicates among many rows (every range of hashes, the radix sort's levels): the last row of
 * each key stays, the others are quarantined. */
static void test_many_duplicates(void **state)
{
	(void)state;
	Config cfg = test_config();
	Silver s;
	Buf b = {0};
	buf_puts(&b, "order_id,customer_id,order_date,amount,status\n");
	for (int i = 0; i < 100000; i++)
		buf_printf(&b, "k%d,1,2022-01-01,5,complete\n", i % 30000);
	const char *text[SRC_COUNT] = {tutorial_like_customers, buf_cstr(&b)};
	CHECK(silver_from(&s, &cfg, text), "builds");
	const Source *o = &s.src[SRC_ORDERS];
	CHECK(o->table.n == 30000 && o->nquarantine == 70000, "%zu rows, %zu quarantined", o->table.n, o->nquarantine);
	bool last = true;
	for (size_t r = 0; r < o->table.n; r++) {
		const RowHead *h = ROW(&o->table, RowHead, r);
		int k = atoi(h->id + 1), i = k < 10000 ? k + 90000 : k + 60000;
		last &= h->line == (uint32_t)i + 2;
	}
	CHECK(last, "each key's last row stays");
	silver_free(&s);
	buf_free(&b);
}

/* Rows mostly in key order (ids numbered without leading zeros, so of growing length), some
 * keys again at once, some again much later, some rows ahead of their place (the rows after
 * them then out of order until passed), some keys only among those: each key's last row stays,
 * the others are quarantined, as an oracle says. Then a row far ahead of its place (a long run
 * out of order after it), then rows shuffled (looked up by hash). */
static void test_duplicates_in_key_order(void **state)
{
	(void)state;
	enum { N = 30000 };
	static int key[N], last[3 * N];
	uint64_t rng = 7;
	Config cfg = test_config();
	for (int pass = 0; pass < 3; pass++) {
		int next = 0, shuffled = pass == 2;
		for (int i = 0; i < N; i++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			unsigned r = (unsigned)(rng >> 33) % 1000;
			if (pass == 1 && i == 100)
				key[i] = 2 * (next + 1200);	/* far ahead: the 1,200 rows after it are out of order */
			else if (pass == 1)
				key[i] = r < 10 && i ? key[i - 1] : 2 * next++;
			else if (r < 10 && i)
				key[i] = key[i - 1];	/* again at once */
			else if (r < 20 && i)
				key[i] = key[(rng >> 40) % (unsigned)i];	/* again, from anywhere before */
			else if (r < 23)
				key[i] = 2 * (next + 1 + (int)(rng >> 45) % 5);	/* ahead of its place */
			else if (r < 25 && next > 100)
				key[i] = 2 * (int)((rng >> 45) % 100) + 1;	/* a key only out of order */
			else
				key[i] = 2 * next++;
		}
		for (int i = N - 1; shuffled && i > 0; i--) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			int j = (int)((rng >> 33) % (unsigned)(i + 1)), k = key[i];
			key[i] = key[j], key[j] = k;
		}
		for (int i = 0; i < N; i++)
			last[key[i]] = i;
		Buf b = {0};
		buf_puts(&b, "order_id,customer_id,order_date,amount,status\n");
		for (int i = 0; i < N; i++)
			buf_printf(&b, "%d,1,2022-01-01,5,complete\n", key[i]);
		const char *text[SRC_COUNT] = {tutorial_like_customers, buf_cstr(&b)};
		Silver s;
		CHECK(silver_from(&s, &cfg, text), "builds");
		const Source *o = &s.src[SRC_ORDERS];
		size_t kept = 0, quarantined = 0;
		bool ok = true;
		for (int i = 0; ok && i < N; i++) {
			uint32_t line = (uint32_t)i + 2;
			if (last[key[i]] == i)
				ok = kept < o->table.n && ROW(&o->table, RowHead, kept++)->line == line;
			else
				ok = quarantined < o->nquarantine && o->quarantine[quarantined].line == line &&
				     o->quarantine[quarantined++].reason == D_DUPLICATE_KEY;
			if (!ok)
				print_error("%s: line %u (key %d) %s\n", shuffled ? "shuffled" : "in order", line, key[i],
					    last[key[i]] == i ? "not kept" : "not quarantined");
		}
		CHECK(ok && kept == o->table.n && quarantined == o->nquarantine, "%s: %zu kept, %zu quarantined",
		      shuffled ? "shuffled" : "in order", o->table.n, o->nquarantine);
		silver_free(&s);
		buf_free(&b);
	}
}

/* bytes_order (c360.h: keys compared without a call) has memcmp's sign at every length up to
 * past 16, for a difference at every place and in every bit, and bytes_same and bytes_equal its
 * equality (up to 50 bytes: bytes_equal's steps of 16 and the last one over them). */
static void test_bytes_order_is_memcmp(void **state)
{
	(void)state;
	char x[56], y[56];
	unsigned seed = 1;
	for (size_t n = 0; n <= 50; n++)
		for (size_t at = 0; at <= n; at++)	/* at == n: equal */
			for (int bit = 0; bit < 8; bit++) {
				for (size_t i = 0; i < n; i++) {
					seed = seed * 1103515245 + 12345;
					x[i] = y[i] = (char)(seed >> 16);
				}
				if (at < n)
					y[at] = (char)(y[at] ^ (1 << bit));
				for (size_t i = at + 1; i < n; i++)	/* what follows the difference must not matter */
					y[i] = (char)~x[i];
				int want = memcmp(x, y, n), got = bytes_order(x, y, n), back = bytes_order(y, x, n);
				want = (want > 0) - (want < 0), got = (got > 0) - (got < 0), back = (back > 0) - (back < 0);
				CHECK(got == want, "n %zu, byte %zu, bit %d: %d, memcmp %d", n, at, bit, got, want);
				CHECK(back == -want, "n %zu, byte %zu, bit %d: swapped", n, at, bit);
				CHECK(bytes_same(x, y, n) == (want == 0), "n %zu, byte %zu: same", n, at);
				CHECK(bytes_equal(x, y, n) == (want == 0), "n %zu, byte %zu: equal", n, at);
				for (size_t i = at + 1; i < n; i++)	/* the one bit the only difference */
					y[i] = x[i];
				CHECK(bytes_equal(x, y, n) == (at == n), "n %zu, byte %zu, bit %d: one bit", n, at, bit);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_names_match_loosely),
		cmocka_unit_test(test_header_name_escaped_in_messages),
		cmocka_unit_test(test_aliases_from_config), cmocka_unit_test(test_not_csv_by_first_line),
		cmocka_unit_test(test_columns_in_any_order), cmocka_unit_test(test_absent_currency_column),
		cmocka_unit_test(test_missing_required_column_is_an_error),
		cmocka_unit_test(test_duplicate_header_keeps_first),
		cmocka_unit_test(test_keys_duplicates_and_quarantine),
		cmocka_unit_test(test_orphans_become_inferred_customers),
		cmocka_unit_test(test_email_keys_ignore_case),
		cmocka_unit_test(test_date_order_decisions),
		cmocka_unit_test(test_dob_plausibility_and_as_of),
		cmocka_unit_test(test_no_dated_fact_needs_as_of),
		cmocka_unit_test(test_ragged_rows_are_kept),
		cmocka_unit_test(test_conservation_on_messy_input),
		cmocka_unit_test(test_source_table_is_consistent),
		cmocka_unit_test(test_column_rules_fill_the_row),
		cmocka_unit_test(test_pack_keeps_what_rows_point_into),
		cmocka_unit_test(test_mapped_file_cut_short),
		cmocka_unit_test(test_mapped_slots_run_out),
		cmocka_unit_test(test_big_array_moved),
		cmocka_unit_test(test_dict_take_moves_labels),
		cmocka_unit_test(test_dict_take_many),
		cmocka_unit_test(test_many_duplicates),
		cmocka_unit_test(test_duplicates_in_key_order),
		cmocka_unit_test(test_bytes_order_is_memcmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
