/* fuzz_cache.c — libFuzzer: any bytes as the cache files of customers and orders (a 16-bit
 * length, then the customers', then the orders'), their sums made right so that every check
 * after the sum is reached; what is taken must build (silver_finish, gold) without a fault. */
#include <stdlib.h>

#include "c360.h"
#include "../unit/cache_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	char *p = malloc(size), *part[2];
	memcpy(p, data, size);
	size_t len[2];
	Config cfg;
	Silver s;
	fuzz_cache_split(p, size, part, len, &cfg, &s);
	bool taken = true;
	for (int i = 0; i < 2 && taken; i++) {
		FileHash key = len[i] >= HEAD ? cache_fix_sum(part[i], len[i]) : (FileHash){0, 0};
		taken = silver_cache_read(&s, &s.src[i], key, part[i], len[i]);
		if (!taken && (s.src[i].table.n || s.src[i].nquarantine || s.src[i].file.data))
			abort();	/* a cache not taken leaves the source as set up */
	}
	if (taken && silver_finish(&s)) {
		Gold g;
		Buf err = {0};
		if (!gold_build(&s, &g, &err) && !err.len)
			abort();
		gold_free(&g);
		buf_free(&err);
	}
	silver_free(&s);
	free(p);
	return 0;
}
