/* fuzz_gold.c — libFuzzer: the gold reader of `c360 render` on a folder of good gold tables
 * (the fixture's) with one of them replaced by any bytes (the first byte picks which): it
 * reads the folder or says where it is wrong, and what it reads is a whole model; read in
 * 64-byte chunks on 3 threads, it says what reading each file in one piece says. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "c360.h"

static char dir[64];

/* A folder of the fixture's gold tables, made once. */
static void make_folder(void)
{
	snprintf(dir, sizeof dir, "/tmp/fuzz-gold-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	for (int t = 0; t < GT_COUNT; t++) {
		char from[256], to[128];
		snprintf(from, sizeof from, "tests/golden/fixture/expected/gold/%s.csv", gold_tables[t].name);
		snprintf(to, sizeof to, "%s.csv", gold_tables[t].name);
		Buf b = {0}, err = {0};
		if (!file_read(from, &b, &err) || !out_write_file(dir, to, &b, &err))
			abort();	/* run from the repository's root */
		buf_free(&b), buf_free(&err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!*dir)
		make_folder();
	if (!size)
		return 0;
	int t = data[0] % GT_COUNT;
	char name[128];
	snprintf(name, sizeof name, "%s.csv", gold_tables[t].name);
	Buf text = {0}, err = {0}, saved = {0}, report = {0};
	char *path = path_join(dir, name);
	if (!file_read(path, &saved, &err))
		abort();
	buf_put(&text, data + 1, size - 1);
	if (!out_write_file(dir, name, &text, &err))
		abort();
	Gold g, whole;
	Buf whole_report = {0};
	Config cfg;
	config_defaults(&cfg);
	cfg.verbosity = SAY_VERBOSE;
	cfg.jobs = 3, cfg.chunk_min = 64;	/* a fact table of a few rows is read in chunks too */
	bool ok = gold_read(dir, &g, &report, &cfg);
	if (!ok && !strstr(buf_cstr(&report), "error"))
		abort();	/* gold that cannot be read says where and why */
	if (ok && (!g.c360 || !g.order || !g.rank))
		abort();
	cfg.jobs = 1;
	if (gold_read(dir, &whole, &whole_report, &cfg) != ok || strcmp(buf_cstr(&report), buf_cstr(&whole_report)))
		abort();	/* read in chunks or in one piece, the same problems */
	gold_free(&g), gold_free(&whole);
	buf_free(&whole_report);
	if (!out_write_file(dir, name, &saved, &err))
		abort();	/* the folder as it was, for the next input */
	free(path);
	buf_free(&text), buf_free(&err), buf_free(&saved), buf_free(&report);
	return 0;
}
