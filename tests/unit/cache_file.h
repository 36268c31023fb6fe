/* cache_file.h — a cache file of silver_cache.c as the cache tests see it: the offsets in its
 * head (CacheHead), and its sum made right after a test has edited its bytes. */
#ifndef CACHE_FILE_H
#define CACHE_FILE_H

#include <string.h>

#include "c360.h"

enum { HEAD = 432, KEY_AT = 16, SUM_AT = 32, NTEXT_AT = 80, DICT_N_AT = 88, TALLY = 16 };	/* CacheHead, CacheTally */

/* The cache file at p, its sum made the sum of its bytes (of the hashes of the head with a zero
 * sum, of the bytes before the text and of the text), as silver_cache.c makes it: returns the key it names. n >= HEAD. */
static inline FileHash cache_fix_sum(char *p, size_t n)
{
	FileHash key;
	uint64_t ntext;
	memcpy(&key, p + KEY_AT, sizeof key);
	memcpy(&ntext, p + NTEXT_AT, sizeof ntext);
	ntext = ntext <= n - HEAD ? ntext : 0;
	char head[HEAD];
	memcpy(head, p, HEAD);
	memset(head + SUM_AT, 0, sizeof(FileHash));
	FileHash three[3] = {file_hash(head, HEAD), file_hash(p + HEAD, n - HEAD - ntext), file_hash(p + n - ntext, ntext)};
	FileHash sum = file_hash(three, sizeof three);
	memcpy(p + SUM_AT, &sum, sizeof sum);
	return key;
}

/* A fuzz_cache input (p, n bytes: two bytes of the first part's length, then the customers'
 * cache file and the orders'), as the fuzzer splits it: its two parts, and the silver they are
 * read into, set up as the fuzzer sets it up. */
static inline void fuzz_cache_split(char *p, size_t n, char *part[2], size_t len[2], Config *cfg, Silver *s)
{
	size_t n0 = n >= 2 ? ((size_t)(unsigned char)p[0] | (size_t)(unsigned char)p[1] << 8) : 0;
	n0 = n < 2 ? 0 : n0 < n - 2 ? n0 : n - 2;
	part[0] = p + 2, part[1] = p + 2 + n0;
	len[0] = n0, len[1] = n < 2 ? 0 : n - 2 - n0;
	config_defaults(cfg);
	cfg->data_dir = "(fuzz)";
	cfg->as_of = date_days(2024, 1, 1);
	silver_init(s, cfg);
}

#endif
