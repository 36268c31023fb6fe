/* fuzz_reader.c — libFuzzer: the reader options and the SQL layer on any bytes. The first byte
 * chooses the options (encoding, delimiter, decimal separator, header row, comments); the rest
 * is read as orders from a file, and as a table that a SQL source reads. Every row read ends in
 * silver or quarantine, and every row of the table in it or in quarantine. */
#include <stdlib.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char customers[] = "customer_id,name\n1,a\n2,b\n";

static void options(Config *cfg, NamedOptions *o, uint8_t k)
{
	static const char delims[] = {0, ',', ';', '\t', '|'}, decimals[] = {0, '.', ','};
	o->name = "";
	o->opt = (ReadOptions){.delimiter = delims[k % 5], .decimal = decimals[k / 5 % 3],
			       .encoding = (signed char)(k / 15 % 3), .header_row = k / 45 % 3,
			       .comment = k & 0x80 ? "#" : NULL, .currency = k & 0x40 ? "USD" : NULL};
	cfg->read = o;
	cfg->nread = 1;
	if (k & 0x40) {	/* amounts in USD converted to EUR, other currencies unconvertible */
		static Rate usd = {"USD", 900000000};
		memcpy(cfg->base_currency, "EUR", 4);
		cfg->rates = &usd;
		cfg->nrates = 1;
	}
}

static void check(const Silver *s, SourceId id)
{
	const Source *src = &s->src[id];
	if (src->rows_read != src->table.n + src->nquarantine)
		abort();
}

/* The bytes as the orders file. */
static void as_file(Config *cfg, const char *d, size_t n)
{
	Silver s;
	silver_init(&s, cfg);
	Input in[2];
	input_from(&in[0], customers, sizeof customers - 1);
	input_from(&in[1], d, n);
	for (int i = 0; i < 2; i++) {
		silver_source_init(&s, &s.src[i], (SourceId)i);
		silver_source_input(&s, &s.src[i], &in[i]);
		silver_source_end(&s, &s.src[i]);
	}
	silver_finish(&s);
	check(&s, SRC_ORDERS);
	silver_free(&s);
	input_close(&in[0]);
	input_close(&in[1]);
}

/* The bytes as a table, and the orders as a SELECT over it. */
static void as_table(Config *cfg, const char *d, size_t n)
{
	static TableDef table = {"raw", "raw.csv"};
	static uint32_t zero = 0, one = 1;
	cfg->tables = &table;
	cfg->ntables = 1;
	cfg->sql[SRC_ORDERS] = (SqlDef){"SELECT * FROM raw", 1, &zero, &one, &one};
	Silver s;
	silver_init(&s, cfg);
	Input in, raw;
	input_from(&in, customers, sizeof customers - 1);
	input_from(&raw, d, n);
	silver_source_init(&s, &s.src[SRC_CUSTOMERS], SRC_CUSTOMERS);
	silver_source_input(&s, &s.src[SRC_CUSTOMERS], &in);
	silver_source_end(&s, &s.src[SRC_CUSTOMERS]);
	SqlMap *m = sqlmap_new(&s);
	sqlmap_load(m, &s.raw[0], &raw);
	sqlmap_source(m, &s, &s.src[SRC_ORDERS]);
	sqlmap_close(m);
	silver_finish(&s);
	if (s.raw[0].rows_read != s.raw[0].loaded + s.raw[0].nquarantine)
		abort();
	check(&s, SRC_ORDERS);
	silver_free(&s);
	input_close(&in);
	input_close(&raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	Config cfg;
	NamedOptions o;
	config_defaults(&cfg);
	cfg.data_dir = "(fuzz)";
	cfg.config_file = "(fuzz).conf";
	cfg.as_of = date_days(2024, 1, 1);
	cfg.jobs = 2, cfg.chunk_min = 64;
	options(&cfg, &o, data[0]);
	as_file(&cfg, (const char *)data + 1, size - 1);
	as_table(&cfg, (const char *)data + 1, size - 1);
	return 0;
}
