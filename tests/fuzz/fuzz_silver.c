/* fuzz_silver.c — libFuzzer: any bytes as customers and orders (split at the first 0xff);
 * every row read ends in silver or quarantine. */
#include <stdlib.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data, *cut = memchr(d, '\xff', size);
	size_t n0 = cut ? (size_t)(cut - d) : size;
	Config cfg;
	config_defaults(&cfg);
	cfg.data_dir = "(fuzz)";
	cfg.as_of = date_days(2024, 1, 1);
	static char guest[] = "0";	/* [null] orders.customer_id = 0: its rows read through row_with_nulls */
	cfg.nulls[SRC_ORDERS][OR_CUSTOMER][0] = guest;
	Silver s;
	silver_init(&s, &cfg);
	const char *part[2] = {d, cut ? cut + 1 : d + size};
	size_t len[2] = {n0, cut ? size - n0 - 1 : 0};
	for (int i = 0; i < 2; i++) {
		silver_source_init(&s, &s.src[i], (SourceId)i);
		silver_source_feed(&s, &s.src[i], part[i], len[i], false);
		silver_source_end(&s, &s.src[i]);
	}
	if (silver_finish(&s)) {
		Gold g;
		Buf err = {0};
		if (!gold_build(&s, &g, &err) && !err.len)
			abort();	/* a failed build says why */
		gold_free(&g);
		buf_free(&err);
		for (int i = 0; i < 2; i++)
			if (s.src[i].rows_read != silver_rows(&s, (SourceId)i) + s.src[i].nquarantine)
				abort();
		for (int i = 0; i < 2; i++)	/* every date is a real one (no 1969-12-31 from a bad offset) */
			for (size_t r = 0; r < s.src[i].table.n; r++) {
				int64_t w = ROW(&s.src[i].table, RowHead, r)->when;
				if (w != MOMENT_NULL && (date_floor_day(w) < date_days(1899, 12, 31) ||
							 date_floor_day(w) > date_days(2101, 1, 1)))
					abort();
			}
	}
	silver_free(&s);
	return 0;
}
