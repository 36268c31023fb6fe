/* fuzz_keyed.c — libFuzzer: any bytes as the body of a keyed cache file a rebuild takes from the
 * previous site (silver_cache.c): a grouping by customer (.c360-cache/by-orders), the
 * sessions' views (views-web_activities) or the exports' record (exports-seen, silver_read.c,
 * looked up for a file of the site's folder). The first byte says which, the next two how many
 * customers and fact rows; the file is written with its head and sum right, so that every check
 * after the sum is reached. What is taken is walked as gold.c and kpi.c walk it: a row outside
 * the table, a run out of order or a week off its Monday aborts; a read past what was allocated
 * is ASan's. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "c360.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/c360-fuzz-keyed-XXXXXX";

/* The site folder and the files in it, when the fuzzer ends. */
static void site_remove(void)
{
	static const char *const files[] = {CACHE_DIR "/by-orders", CACHE_DIR "/views-web_activities",
					    CACHE_DIR "/" SEEN_NAME, CACHE_DIR "/.gitignore", CACHE_DIR, ""};
	for (int i = 0; i < 6; i++) {
		char *path = path_join(dir, files[i]);
		if (remove(path) != 0 && i == 5)
			perror(path);
		free(path);
	}
}

/* A site folder with its cache folder, made once. */
static const char *site(void)
{
	static bool made;
	if (!made) {
		if (!mkdtemp(dir))
			abort();
		char *cache = path_join(dir, CACHE_DIR), *file = path_join(cache, ".gitignore");
		FILE *f = mkdir(cache, 0777) == 0 ? fopen(file, "w") : NULL;
		if (!f || fputs("*\n", f) < 0 || fclose(f) != 0)
			abort();
		free(cache), free(file);
		atexit(site_remove);
		made = true;
	}
	return dir;
}

static void grouping(const uint8_t *body, size_t len, size_t n, size_t nrows)
{
	const FileHash key = {1, 2};
	keyed_cache_save(site(), SRC_ORDERS, "by-", BY_MAGIC, BY_VERSION, key, n, body, len, NULL, 0);
	uint32_t *start, *row;
	if (!by_cache_load(site(), SRC_ORDERS, key, n, nrows, &start, &row))
		return;
	if (start[0] != 0 || start[n] != start[n + 1])
		abort();
	for (size_t c = 0; c < n; c++) {
		if (start[c] > start[c + 1])
			abort();
		for (uint32_t i = start[c]; i < start[c + 1]; i++)
			if (row[i] >= nrows)
				abort();
	}
	free(start), free(row);
}

static void views(const uint8_t *body, size_t len, size_t n)
{
	const FileHash key = {3, 4};
	keyed_cache_save(site(), SRC_SESSIONS, "views-", VIEWS_MAGIC, VIEWS_VERSION, key, n, body, len, NULL, 0);
	SessionViews v = {0};
	if (!session_views_load(site(), key, n, &v))
		return;
	if (v.nweeks < 1 || v.weeks[0].days != MOMENT_NULL)
		abort();
	for (size_t k = 2; k < v.nweeks; k++)
		if (v.weeks[k].days != v.weeks[k - 1].days + 7)
			abort();
	uint64_t sum = 0;
	for (size_t c = 0; c < n; c++)
		for (int ch = 0; ch < CH_COUNT; ch++)
			sum += v.of[c][ch];
	if (sum == UINT64_MAX)	/* the walk is kept */
		abort();
	free(v.weeks), free(v.of);
}

/* The record's body as written, then looked up for the site's own folder read as an export:
 * whatever it holds, the folder is hashed or its hash taken, and nothing is read out of bounds. */
static void seen(const uint8_t *body, size_t len)
{
	keyed_file_save(site(), SEEN_NAME, SEEN_MAGIC, SEEN_VERSION, manifest_program(), 0, body, len, NULL, 0);
	Config cfg = {.data_dir = site()};
	const char *name[] = {CACHE_DIR "/.gitignore"};
	bool by_read[] = {true};
	FileHash hash;
	uint64_t n;
	if (inputs_ahead(&cfg, name, by_read, 1, 1, site(), &hash, &n) > 1)
		abort();
	input_ahead_free();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	size_t n = data[1] % 32, nrows = data[2];
	if (data[0] % 3 == 1)
		views(data + 3, size - 3, n);
	else if (data[0] % 3 == 2)
		seen(data + 3, size - 3);
	else
		grouping(data + 3, size - 3, n, nrows);
	return 0;
}
